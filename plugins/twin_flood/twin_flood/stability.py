"""Instability detection and the messages that say what to change."""

from __future__ import annotations

from collections import deque

import numpy as np

from twin_flood.params import FloodParameters

__all__ = ["OSCILLATION_FRACTION", "OSCILLATION_WINDOW", "StabilityMonitor"]

#: Over this many steps, this fraction of wet faces flipping sign and growing is an instability.
OSCILLATION_WINDOW = 8
OSCILLATION_FRACTION = 0.15


class StabilityMonitor:
    """Watches the per-step signals of the kernels and words the failure.

    A stable run has few faces whose flux reverses and grows in one step (measured: < 4 % of
    the wet faces in any step of the validation cases); alpha = 3 gives ~50 %.  The Froude and
    positivity limiters keep a run with too long a time step bounded, so this signal, not a
    NaN, is what usually reveals it.

    Parameters
    ----------
    parameters : FloodParameters
        The run's parameters (for the limits and the advice).
    """

    def __init__(self, parameters: FloodParameters) -> None:
        self.parameters = parameters
        self._window: deque[tuple[int, int]] = deque(maxlen=OSCILLATION_WINDOW)

    def oscillation(self, flips: int, wet: int) -> str | None:
        """Record one step's counts; return a description if the run is oscillating."""
        self._window.append((flips, wet))
        total_flips = sum(f for f, _ in self._window)
        total_wet = sum(w for _, w in self._window)
        if (len(self._window) == OSCILLATION_WINDOW and total_flips > 8 * OSCILLATION_WINDOW
                and total_flips > OSCILLATION_FRACTION * total_wet):
            return (f"{100.0 * total_flips / total_wet:.0f} % of the wet faces reversed and "
                    f"grew every step over the last {OSCILLATION_WINDOW} steps (a grid-scale "
                    "oscillation)")
        return None

    def velocity_report(self, h: np.ndarray, qx: np.ndarray, qy: np.ndarray) -> str:
        """Describe where the velocity went over ``max_velocity``."""
        hf = np.maximum(h.astype(np.float64), self.parameters.depth_threshold)
        vx = np.nan_to_num(np.abs(qx[:, 1:-1]) / np.maximum(hf[:, 1:], hf[:, :-1]), nan=np.inf)
        vy = np.nan_to_num(np.abs(qy[1:-1, :]) / np.maximum(hf[1:, :], hf[:-1, :]), nan=np.inf)
        if vx.max(initial=0.0) >= vy.max(initial=0.0):
            r, c = np.unravel_index(int(np.argmax(vx)), vx.shape)
            top, where = float(vx[r, c]), f"between cells ({r}, {c}) and ({r}, {c + 1})"
        else:
            r, c = np.unravel_index(int(np.argmax(vy)), vy.shape)
            top, where = float(vy[r, c]), f"between cells ({r}, {c}) and ({r + 1}, {c})"
        return (f"the flow velocity reached {top:.3g} m/s {where}, above max_velocity = "
                f"{self.parameters.max_velocity:g} m/s")

    def depth_report(self, h: np.ndarray) -> str:
        """Describe the depths that are NaN, infinite or over ``max_depth_limit``."""
        bad = ~(h <= self.parameters.max_depth_limit)
        r, c = np.argwhere(bad)[0] if bad.any() else (0, 0)
        return (f"{int(bad.sum())} cells have a depth that is NaN, infinite or above "
                f"max_depth_limit = {self.parameters.max_depth_limit:g} m (e.g. {h[r, c]:.3g} m "
                f"at cell ({r}, {c}))")

    def message(self, time: float, steps: int, what: str) -> str:
        """Return the full failure message: when, what, and what to change."""
        p = self.parameters
        damping = (f", lower theta to 0.8 to add damping (now {p.theta:g})" if p.theta > 0.9
                   else "")
        return (f"the flood run went unstable at t = {time:.1f} s (step {steps}): {what}. "
                f"Reduce alpha (now {p.alpha:g}; 0.2-0.5 is safe) or max_dt (now "
                f"{p.max_dt:g} s){damping}, and check the DEM for spikes or pits and the inflows "
                "for impossible rates")
