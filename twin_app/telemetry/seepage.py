"""The seepage watch of a scene's flood-wall sections: checks and leak detection from the store.

For one section (:class:`~twin_app.io.sections.PlacedSection`), :func:`assess_section`

1. solves the steady state at the stage checked (the highest measured stage of the period, or the
   design level when nothing was measured) and runs the piping and uplift checks on it
   (:func:`twin_app.io.section_checks.section_checks`);
2. when the river stage was measured, runs the transient model for that tide (starting from the
   steady state at its mean level), predicts the head at each piezometer and compares it with the
   measured heads: a measured head above the prediction by more than ``tolerance`` for longer than
   ``min_duration_s`` is flagged as a possible leak or cut-off defect
   (:func:`twin_seepage.detect_leaks`), with both series as evidence.

:meth:`SectionAssessment.outcomes` turns failed checks and leak flags into alarms for the alarm
engine (source ``"seepage:<section id>"``); :func:`assess_from_store` reads the river stage and the
piezometers from the telemetry store between two times.
"""

from __future__ import annotations

import logging
import math
import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

import numpy as np
from twin_seepage import (
    CheckResult,
    LeakFlag,
    SeepageResult,
    SolverOptions,
    TimeSeries,
    TransientResult,
    TransientSolver,
    detect_leaks,
)

from twin_app.core.readings import Quality
from twin_app.core.scene import LocalizedText
from twin_app.io.section_checks import section_checks
from twin_app.io.section_frames import (
    SectionFrames,
    check_rows,
    frames_from_steady,
    frames_from_transient,
    leak_rows,
)
from twin_app.io.sections import PlacedSection
from twin_app.telemetry.alarms.checks import CheckOutcome
from twin_app.telemetry.alarms.definitions import Severity
from twin_app.telemetry.store.base import TelemetryStore

logger = logging.getLogger(__name__)

DEFAULT_TOLERANCE_M = 0.4
"""Measured head above the prediction (m) that counts as abnormal (illustrative choice)."""
DEFAULT_MIN_HOURS = 6.0
"""How long the excess must last to be flagged (about half a tide)."""
SOURCE_PREFIX = "seepage:"
CHECK_NAMES_ZH = {
    "exit gradient vs critical": "出逸坡降（对临界坡降）",
    "exit gradient vs allowable": "出逸坡降（对允许坡降）",
    "Lane creep ratio": "莱恩加权渗径系数",
    "Sellmeijer piping": "Sellmeijer 管涌",
    "uplift of blanket": "覆盖层抗浮（顶托）",
    "heave": "覆盖层流土",
}


def check_id(name: str) -> str:
    """Return the alarm id of a check name (``"uplift of blanket"`` -> ``"uplift_of_blanket"``)."""
    return re.sub(r"[^a-z0-9]+", "_", name.lower()).strip("_")


@dataclass
class SectionAssessment:
    """The checks and the leak comparison of one section (see the module docstring)."""

    placed: PlacedSection
    check_stage: float
    stage_source: str
    solver: TransientSolver
    steady: SeepageResult
    checks: list[CheckResult]
    stage: TimeSeries | None = None
    transient: TransientResult | None = None
    predicted: dict[str, TimeSeries] = field(default_factory=dict)
    measured: dict[str, TimeSeries] = field(default_factory=dict)
    leaks: list[LeakFlag] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    tolerance: float = DEFAULT_TOLERANCE_M

    @property
    def id(self) -> str:
        """The section id."""
        return self.placed.id

    @property
    def source(self) -> str:
        """The alarm source of this section, ``"seepage:<id>"``."""
        return f"{SOURCE_PREFIX}{self.id}"

    def outcomes(self) -> list[CheckOutcome]:
        """Return every check and every compared piezometer as an alarm outcome."""
        name_zh = self.placed.id
        found: list[CheckOutcome] = []
        for check in self.checks:
            zh = CHECK_NAMES_ZH.get(check.name, check.name)
            factor = check.safety_factor
            found.append(CheckOutcome(
                self.source, check_id(check.name),
                LocalizedText(zh=f"{name_zh} {zh}未满足要求", en=f"{self.id}: {check.name}"),
                failed=not check.passed, text=check.text,
                value=factor if math.isfinite(factor) else None,
                severity=Severity.ALARM if factor < 1.0 else Severity.WARNING))
        flagged = {flag.piezometer: flag for flag in self.leaks}
        for pid in self.measured:
            if pid not in self.predicted:
                continue
            flag = flagged.get(pid)
            found.append(CheckOutcome(
                self.source, f"leak_{pid}",
                LocalizedText(zh=f"{name_zh} 测压管 {pid} 实测水头持续高于预测"
                                 "（疑似渗漏或防渗缺陷）",
                              en=f"{self.id}: {pid} above the prediction (possible leak)"),
                failed=flag is not None,
                text=flag.text if flag else f"piezometer {pid}: within {self.tolerance:.2f} m "
                "of the prediction",
                value=flag.max_excess if flag else None, severity=Severity.WARNING))
        return found

    def frames(self) -> SectionFrames:
        """Return the section's frames for the views (the tide if run, else the checked state)."""
        if self.transient is not None and self.stage is not None:
            frames = frames_from_transient(self.placed, self.solver, self.transient,
                                           start=_start(self.stage))
        else:
            frames = frames_from_steady(self.placed, self.solver, self.steady,
                                        self.check_stage)
        frames.measured = {pid: (np.asarray(s.times, dtype="datetime64[ms]"), s.values)
                           for pid, s in self.measured.items()}
        frames.checks = check_rows(self.checks)
        frames.check_stage = self.check_stage
        frames.leaks = leak_rows(self.leaks)
        return frames

    def summary(self) -> dict[str, Any]:
        """Return the results as JSON-compatible values (``twin-app seepage check --json``)."""
        gradients = self.steady.exit_gradients()
        peak, where = gradients.max()
        data: dict[str, Any] = {
            "section": self.id, "name": self.placed.section.name,
            "check_stage_m": self.check_stage, "stage_source": self.stage_source,
            "discharge_m3_s_per_m": self.steady.discharge,
            "exit_gradient_max": peak, "exit_gradient_x_m": where,
            "exit_gradients": {"x_m": gradients.x.round(3).tolist(),
                               "upward": gradients.upward.round(5).tolist()},
            "checks": [{"name": c.name, "value": _finite(c.value), "limit": _finite(c.limit),
                        "safety_factor": _finite(c.safety_factor), "required": c.required,
                        "passed": c.passed, "text": c.text} for c in self.checks],
            "leaks": [{"piezometer": f.piezometer, "start": _iso(f.start), "end": _iso(f.end),
                       "hours": round(f.duration / 3600.0, 2), "max_excess_m": f.max_excess,
                       "text": f.text} for f in self.leaks],
            "compared": sorted(set(self.measured) & set(self.predicted)),
            "notes": list(self.notes)}
        if self.transient is not None:
            data["tide"] = {"steps": int(self.transient.times.size - 1),
                            "discharge_max_m3_s_per_m": float(self.transient.discharge.max()),
                            "stage_min_m": float(self.transient.stage.min()),
                            "stage_max_m": float(self.transient.stage.max())}
        return data


def _iso(moment: object) -> str:
    """Return a leak flag's time as ISO 8601 (UTC for the store's datetime64 times)."""
    if isinstance(moment, np.datetime64):
        return str(np.datetime_as_string(moment, unit="s", timezone="UTC"))
    return str(moment)


def _finite(value: float) -> float | None:
    return value if math.isfinite(value) else None


def _start(series: TimeSeries) -> np.datetime64 | None:
    times = series.times
    return times[0] if np.issubdtype(times.dtype, np.datetime64) else None


def series_from_store(store: TelemetryStore, sensor_id: str, start: datetime, end: datetime
                      ) -> TimeSeries | None:
    """Return a sensor's good readings between two times as a series (UTC datetime64).

    Returns ``None`` when the store has fewer than two usable readings.
    """
    series = store.series(sensor_id, start, end)
    good = series.quality < int(Quality.BAD)
    if int(good.sum()) < 2:
        return None
    return TimeSeries(series.times()[good], series.mean[good], sensor_id)


def assess_section(placed: PlacedSection, *, stage: TimeSeries | None = None,
                   measured: dict[str, TimeSeries] | None = None,
                   check_stage: float | None = None, size: float = 2.0, dt: float = 600.0,
                   tolerance: float = DEFAULT_TOLERANCE_M,
                   min_duration_s: float = DEFAULT_MIN_HOURS * 3600.0) -> SectionAssessment:
    """Check a section and compare its piezometers (see the module docstring).

    Parameters
    ----------
    placed : PlacedSection
        The section.
    stage : TimeSeries, optional
        The measured river stage (datetime64 times); without it only the checks are made.
    measured : dict, optional
        Measured heads by piezometer id.
    check_stage : float, optional
        Stage of the checks; default the peak of ``stage``, else the section's design level.
    size, dt : float
        Element size (m) and time step (s) of the model.
    tolerance, min_duration_s : float
        Leak detection: excess (m) and how long it must last (s).

    Raises
    ------
    twin_seepage.SeepageError
        If the section is invalid, the stage series has gaps, or the solver does not converge.
    """
    section = placed.section
    solver = TransientSolver(section, size=size, options=SolverOptions(lagged=True))
    if check_stage is not None:
        source = "given"
    elif stage is not None:
        check_stage, source = float(np.max(stage.values)), f"highest measured ({stage.name})"
    else:
        level = placed.checks.get("design_level", section.river.level)
        if level is None:
            raise ValueError(f"section {placed.id}: no stage to check (no design_level)")
        check_stage, source = float(level), "design level"
    steady = solver.solve(check_stage)
    land = placed.checks.get("land_level")
    checks = section_checks(placed, steady, check_stage,
                            None if land is None else float(land))
    assessment = SectionAssessment(placed, check_stage, source, solver, steady, checks,
                                   tolerance=tolerance)
    if stage is None:
        assessment.notes.append("no river stage measured: leak detection not run")
        return assessment
    assessment.stage = stage
    initial = solver.solve(float(np.mean(stage.values))).head
    run = solver.run(stage, dt=dt, initial=initial)
    assessment.transient = run
    assessment.predicted = run.predicted(start=_start(stage))
    measured = dict(measured or {})
    for piezometer in section.piezometers:
        if piezometer.id not in measured:
            assessment.notes.append(f"no readings of {piezometer.id}: not compared")
    assessment.measured = {pid: s for pid, s in measured.items() if pid in assessment.predicted}
    assessment.leaks = detect_leaks(assessment.predicted, assessment.measured,
                                    tolerance=tolerance, min_duration=min_duration_s)
    logger.info("section %s: %d check(s) failed, %d leak flag(s)", placed.id,
                sum(not c.passed for c in checks), len(assessment.leaks))
    return assessment


def stored_window(store: TelemetryStore, sensor_id: str | None, hours: float = 72.0,
                  until: datetime | None = None) -> tuple[datetime, datetime] | None:
    """Return the last ``hours`` of a gauge's stored readings (up to ``until``), or ``None``."""
    info = next((s for s in store.sensors() if s.sensor_id == sensor_id), None) \
        if sensor_id else None
    if info is None or (until is not None and until < info.first):
        return None
    end = min(info.last, until) if until is not None else info.last
    return max(info.first, end - timedelta(hours=hours)), end


def assess_from_store(placed: PlacedSection, store: TelemetryStore, start: datetime,
                      end: datetime, *, stage_sensor: str | None = None,
                      **options: Any) -> SectionAssessment:
    """Assess a section on the river stage and piezometer readings stored between two times.

    ``stage_sensor`` defaults to the section's ``[checks] stage_sensor``; ``options`` go to
    :func:`assess_section`.  Without stored stage readings only the checks are made.
    """
    sensor = stage_sensor or placed.checks.get("stage_sensor")
    stage = series_from_store(store, sensor, start, end) if sensor else None
    measured = {}
    for piezometer in placed.section.piezometers:
        series = series_from_store(store, piezometer.id, start, end)
        if series is not None:
            measured[piezometer.id] = series
    assessment = assess_section(placed, stage=stage, measured=measured, **options)
    if sensor is None:
        assessment.notes.append("the section names no river gauge (stage_sensor)")
    return assessment
