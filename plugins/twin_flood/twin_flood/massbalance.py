"""The mass-balance account of a run (volumes in m3, float64)."""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = ["MassBalance", "VolumeAccount"]


@dataclass
class VolumeAccount:
    """Running totals of the water that entered and left the domain [m3]."""

    initial: float = 0.0
    rain: float = 0.0
    inflow: float = 0.0
    boundary_in: float = 0.0
    boundary_out: float = 0.0
    pumped_out: float = 0.0
    clipped: float = 0.0
    pumped: dict[str, float] = field(default_factory=dict)

    def snapshot(self, stored: float) -> MassBalance:
        """Return the balance for ``stored`` m3 now in the domain."""
        return MassBalance(self.initial, self.rain, self.inflow, self.boundary_in,
                           self.boundary_out, self.pumped_out, self.clipped, stored,
                           dict(self.pumped))


@dataclass(frozen=True)
class MassBalance:
    """Volumes [m3] since the start of the run and the balance error.

    Attributes
    ----------
    initial : float
        Water in the domain at t = 0.
    rain, inflow, boundary_in : float
        Water that came in by rain, inflow hydrographs and water-level boundaries.
    boundary_out, pumped_out : float
        Water that left through water-level boundaries and pumps discharging out of the domain.
    clipped : float
        Water removed by clipping depths the flux limiter could not fix (should be ~0).
    stored : float
        Water in the domain now.
    pumped : dict
        Volume each pump moved, by pump name.
    """

    initial: float
    rain: float
    inflow: float
    boundary_in: float
    boundary_out: float
    pumped_out: float
    clipped: float
    stored: float
    pumped: dict[str, float]

    @property
    def volume_in(self) -> float:
        """All water that came in [m3]."""
        return self.rain + self.inflow + self.boundary_in

    @property
    def volume_out(self) -> float:
        """All water that went out [m3] (clipping counts as out)."""
        return self.boundary_out + self.pumped_out + self.clipped

    @property
    def error(self) -> float:
        """``stored - (initial + in - out)`` [m3]; 0 for a conservative run."""
        return self.stored - (self.initial + self.volume_in - self.volume_out)

    @property
    def relative_error(self) -> float:
        """:attr:`error` relative to the water that passed (``initial + in``), 0 if none."""
        scale = self.initial + self.volume_in
        return self.error / scale if scale > 0.0 else 0.0
