"""The wall's automatic tour of viewpoints, and where to look when an alarm is raised.

:class:`ViewpointTour` is a small state machine driven by elapsed time (the wall's timer calls
:meth:`ViewpointTour.tick`); it never reads a clock itself, so tests can run days of touring in
milliseconds.  An alarm *focuses* the tour on a viewpoint near the alarm's sensor for
``alarm_hold_s``; a more severe alarm may take the focus from a less severe one at any time, an
alarm of the same or lower severity only after ``min_dwell_s``.  An operator action (next,
previous, go to) ends any focus.  When the hold ends the tour moves on (unless paused).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from twin_app.core.scene import LocalizedText, Scene, ViewpointSpec

MIN_DWELL_S = 10.0
"""An alarm of no higher severity does not take the view from another alarm sooner than this."""
CLOSEUP_ELEVATION_DEG = 35.0


@dataclass(frozen=True)
class TourStep:
    """A move of the view the wall should make.

    Attributes
    ----------
    viewpoint : ViewpointSpec
        Where to look.
    reason : str
        ``"tour"``, ``"operator"`` or ``"alarm"``.
    alarm : str or None
        The alarm's key, for an alarm focus.
    """

    viewpoint: ViewpointSpec
    reason: str
    alarm: str | None = None


class ViewpointTour:
    """Cycles through viewpoints every ``interval_s`` seconds; alarms and operators interrupt.

    Parameters
    ----------
    viewpoints : sequence of ViewpointSpec
        The tour, in order (may be empty: then only alarm focuses move the view).
    interval_s : float
        Seconds on each viewpoint.
    paused : bool
        Start paused.
    alarm_hold_s : float
        How long an alarm focus holds the view.
    min_dwell_s : float
        How long an alarm focus holds against alarms of no higher severity.
    """

    def __init__(self, viewpoints: Sequence[ViewpointSpec], interval_s: float, *,
                 paused: bool = False, alarm_hold_s: float = 120.0,
                 min_dwell_s: float = MIN_DWELL_S) -> None:
        if interval_s <= 0:
            raise ValueError("the tour interval must be positive")
        self.viewpoints = list(viewpoints)
        self.interval_s = float(interval_s)
        self.paused = paused
        self.alarm_hold_s = float(alarm_hold_s)
        self.min_dwell_s = float(min_dwell_s)
        self.index = 0
        self.elapsed_s = 0.0
        self.steps = 0
        """How many moves the tour has made (any reason)."""
        self.focus: TourStep | None = None
        self._focus_severity = 0
        self._focus_elapsed_s = 0.0

    @property
    def current(self) -> ViewpointSpec | None:
        """The viewpoint shown now (an alarm focus's while it holds)."""
        if self.focus is not None:
            return self.focus.viewpoint
        return self.viewpoints[self.index] if self.viewpoints else None

    def start(self) -> TourStep | None:
        """Return the first step (the first viewpoint), restarting the timer."""
        self.elapsed_s = 0.0
        self.focus = None
        if not self.viewpoints:
            return None
        return self._step(self.viewpoints[self.index], "tour")

    def tick(self, elapsed_s: float) -> TourStep | None:
        """Let ``elapsed_s`` seconds pass; return a step when the view should move."""
        if self.focus is not None:
            self._focus_elapsed_s += elapsed_s
            if self._focus_elapsed_s < self.alarm_hold_s:
                return None
            self.focus = None
            self.elapsed_s = 0.0
            if self.paused or not self.viewpoints:
                return None
            return self._advance(1, "tour")
        if self.paused or len(self.viewpoints) < 2:
            return None
        self.elapsed_s += elapsed_s
        if self.elapsed_s < self.interval_s:
            return None
        return self._advance(1, "tour")

    def next(self) -> TourStep | None:
        """Show the next viewpoint now (an operator's action)."""
        return self._advance(1, "operator")

    def previous(self) -> TourStep | None:
        """Show the previous viewpoint now."""
        return self._advance(-1, "operator")

    def go_to(self, viewpoint_id: str) -> TourStep:
        """Show the viewpoint ``viewpoint_id`` now; the tour continues from it.

        Raises
        ------
        KeyError
            If the tour has no such viewpoint.
        """
        for index, viewpoint in enumerate(self.viewpoints):
            if viewpoint.id == viewpoint_id:
                self.index = index
                self.focus = None
                self.elapsed_s = 0.0
                return self._step(viewpoint, "operator")
        known = ", ".join(v.id for v in self.viewpoints) or "none"
        raise KeyError(f"no viewpoint {viewpoint_id!r} in the tour; available: {known}")

    def pause(self) -> None:
        """Stop touring (alarm focuses still move the view)."""
        self.paused = True

    def resume(self) -> None:
        """Tour on from the current viewpoint, with a full interval before the next move."""
        self.paused = False
        self.elapsed_s = 0.0

    def focus_alarm(self, viewpoint: ViewpointSpec, alarm: str, severity: int
                    ) -> TourStep | None:
        """Look at ``viewpoint`` because ``alarm`` was raised; ``None`` if a focus outranks it."""
        if self.focus is not None and (
            severity < self._focus_severity
            or (severity == self._focus_severity and self._focus_elapsed_s < self.min_dwell_s)
        ):
            return None
        self._focus_severity = severity
        self._focus_elapsed_s = 0.0
        self.focus = self._step(viewpoint, "alarm", alarm)
        return self.focus

    def remaining_s(self) -> float | None:
        """Seconds until the view moves by itself, or ``None`` if it will not."""
        if self.focus is not None:
            return max(0.0, self.alarm_hold_s - self._focus_elapsed_s)
        if self.paused or len(self.viewpoints) < 2:
            return None
        return max(0.0, self.interval_s - self.elapsed_s)

    def status(self) -> dict[str, Any]:
        """Return the tour's state for the status tile and the control API (JSON-ready)."""
        current = self.current
        remaining = self.remaining_s()
        return {
            "viewpoint": current.id if current else None,
            "index": self.index,
            "count": len(self.viewpoints),
            "paused": self.paused,
            "interval_s": self.interval_s,
            "next_in_s": None if remaining is None else round(remaining, 1),
            "alarm_focus": self.focus.alarm if self.focus else None,
            "steps": self.steps,
        }

    def _advance(self, direction: int, reason: str) -> TourStep | None:
        self.focus = None
        self.elapsed_s = 0.0
        if not self.viewpoints:
            return None
        self.index = (self.index + direction) % len(self.viewpoints)
        return self._step(self.viewpoints[self.index], reason)

    def _step(self, viewpoint: ViewpointSpec, reason: str, alarm: str | None = None) -> TourStep:
        self.steps += 1
        return TourStep(viewpoint, reason, alarm)


def tour_viewpoints(scene: Scene, wanted: Sequence[str]) -> tuple[list[ViewpointSpec], list[str]]:
    """Return the tour's viewpoints (``wanted`` ids in order, or all) and the ids not found."""
    if not wanted:
        return list(scene.viewpoints), []
    by_id = {viewpoint.id: viewpoint for viewpoint in scene.viewpoints}
    found = [by_id[vid] for vid in wanted if vid in by_id]
    missing = [vid for vid in wanted if vid not in by_id]
    return found or list(scene.viewpoints), missing


def viewpoint_for_sensor(scene: Scene, sensor_id: str, *,
                         mapping: Mapping[str, str] | None = None, radius_m: float = 600.0,
                         closeup_distance_m: float = 220.0) -> ViewpointSpec:
    """Return where to look when an alarm of ``sensor_id`` is raised.

    In order: the viewpoint ``mapping`` names for the sensor or its asset; of the scene's
    viewpoints that look at a point within ``radius_m`` of the sensor (horizontally) and have
    it in their field of view, the one whose camera is nearest the sensor (it shows it largest);
    else a close-up of the sensor, seen from the direction of the scene's default viewpoint from
    ``closeup_distance_m`` away, 35 degrees above the horizon.

    Raises
    ------
    KeyError
        If the scene has no sensor ``sensor_id``.
    """
    sensor = next((s for s in scene.sensors if s.id == sensor_id), None)
    if sensor is None:
        raise KeyError(f"scene {scene.id!r} has no sensor {sensor_id!r}")
    by_id = {viewpoint.id: viewpoint for viewpoint in scene.viewpoints}
    mapping = mapping or {}
    for key in (sensor.id, sensor.asset):
        if key and mapping.get(key) in by_id:
            return by_id[mapping[key]]
    target = np.asarray(sensor.position, dtype=float)
    best: tuple[float, ViewpointSpec] | None = None
    for viewpoint in scene.viewpoints:
        aim = float(np.hypot(*(np.asarray(viewpoint.focal_point[:2]) - target[:2])))
        if aim > radius_m or not _in_view(viewpoint, target):
            continue
        distance = float(np.linalg.norm(np.asarray(viewpoint.position) - target))
        if best is None or distance < best[0]:
            best = (distance, viewpoint)
    if best is not None:
        return best[1]
    return closeup_viewpoint(scene, sensor_id, closeup_distance_m)


def closeup_viewpoint(scene: Scene, sensor_id: str, distance_m: float = 220.0) -> ViewpointSpec:
    """Return a viewpoint looking at a sensor from ``distance_m`` away (see above)."""
    sensor = next(s for s in scene.sensors if s.id == sensor_id)
    focal = np.asarray(sensor.position, dtype=float)
    reference = scene.viewpoint()
    if reference is not None:
        look = np.asarray(reference.focal_point, float) - np.asarray(reference.position, float)
        heading = math.atan2(look[1], look[0]) if np.hypot(look[0], look[1]) > 1e-6 else 0.79
    else:
        heading = math.radians(45.0)  # from the south-west, like the default overview
    elevation = math.radians(CLOSEUP_ELEVATION_DEG)
    back = np.array([-math.cos(heading) * math.cos(elevation),
                     -math.sin(heading) * math.cos(elevation), math.sin(elevation)])
    position = focal + back * distance_m
    return ViewpointSpec(
        id=f"alarm.{sensor.id}"[:64],
        name=LocalizedText(zh=f"报警：{sensor.name.zh}", en=f"Alarm: {sensor.name.en}"),
        position=tuple(float(v) for v in position),
        focal_point=tuple(float(v) for v in focal),
        view_angle_deg=30.0,
    )


def _in_view(viewpoint: ViewpointSpec, target: np.ndarray) -> bool:
    """Whether ``target`` lies within the viewpoint's cone of view (its view angle)."""
    position = np.asarray(viewpoint.position, dtype=float)
    look = np.asarray(viewpoint.focal_point, dtype=float) - position
    to_target = target - position
    norms = np.linalg.norm(look) * np.linalg.norm(to_target)
    if norms <= 0:
        return True
    angle = math.degrees(math.acos(float(np.clip(look @ to_target / norms, -1.0, 1.0))))
    return angle <= viewpoint.view_angle_deg / 2
