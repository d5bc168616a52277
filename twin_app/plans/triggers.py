"""Evaluate plan triggers against a snapshot: latest values, a forecast, named check values.

::

    evaluator = TriggerEvaluator(library, document)
    statuses = evaluator.evaluate(latest_values, forecast=forecast, checks={"bund_fs": 1.15})
    [s.plan.id for s in statuses if s.triggered]
    statuses[0].text("zh")                 # why: each condition, its value and limit

Sensor conditions are compiled once into arrays (sensor index, limit, direction, plan), so an
evaluation is a gather and a comparison over every condition at once, then a per-plan count:
a library watching 2,000 sensors is evaluated in well under a millisecond
(``benchmarks/bench_forecast.py``).  Forecast and check conditions are few and evaluated one by
one.  A condition on a value that is missing (no reading, no forecast, no check value) is not met.
:class:`PlanMonitor` keeps the last statuses and emits the plans whose state changed, for the
alarm list.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import numpy as np
from numpy.typing import NDArray
from psygnal import Signal

from twin_app.core.scene_loader import SceneDocument
from twin_app.forecast.forecast import Forecast
from twin_app.forecast.text import SHANGHAI, clock_text
from twin_app.plans.library import Condition, Plan, PlanLibrary, threshold


@dataclass(frozen=True)
class ConditionResult:
    """How one condition came out."""

    condition: Condition
    met: bool
    value: float | None
    limit: float
    when: datetime | None = None
    """For a forecast condition: when the forecast first meets it."""

    def text(self, language: str = "en", now: datetime | None = None) -> str:
        """Return e.g. ``"forecast HPK-WL-01 above 4.55 within 12 h: 4.98 (yes, at 16:40)"``."""
        c = self.condition
        zh = language.startswith("zh")
        relation = ("高于" if c.direction == "above" else "低于") if zh else c.direction
        kind = {"sensor": ("实测", "sensor"), "forecast": ("预报", "forecast"),
                "check": ("校核值", "check")}[c.kind][0 if zh else 1]
        window = ""
        if c.within_h is not None:
            window = f"（{c.within_h:g} 小时内）" if zh else f" within {c.within_h:g} h"
        value = "—" if self.value is None else f"{self.value:.3g}"
        verdict = ("满足" if self.met else "不满足") if zh else ("met" if self.met else "not met")
        when = ""
        if self.when is not None:
            moment = clock_text(self.when, now or self.when, SHANGHAI)
            when = f"，{moment}" if zh else f", at {moment}"
        return f"{kind} {c.subject} {relation} {self.limit:g}{window}: {value} ({verdict}{when})"


@dataclass(frozen=True)
class PlanStatus:
    """Whether a plan's trigger holds, why, and the event time T its actions count from."""

    plan: Plan
    triggered: bool
    results: tuple[ConditionResult, ...]
    event_time: datetime | None = None

    def text(self, language: str = "en") -> str:
        """Return the plan's name, verdict and conditions on one line each."""
        head = self.plan.name.text(language)
        verdict = (("已触发" if self.triggered else "未触发") if language.startswith("zh") else
                   ("TRIGGERED" if self.triggered else "not triggered"))
        lines = [f"{head}: {verdict}"]
        lines += [f"  - {r.text(language, self.event_time)}" for r in self.results]
        return "\n".join(lines)


class TriggerEvaluator:
    """The compiled triggers of a plan library.

    Parameters
    ----------
    library : PlanLibrary
        The plans (checked against ``document`` by :func:`~twin_app.plans.library.load_library`).
    document : SceneDocument
        The scene, for threshold values named by id.
    """

    def __init__(self, library: PlanLibrary, document: SceneDocument) -> None:
        self.library = library
        self.plans = list(library.plans)
        sensors = {s.id: s for s in document.spec.sensors}
        self._limits: list[list[float]] = []
        ids: dict[str, int] = {}
        index, limit, sign, owner = [], [], [], []
        self._others: list[tuple[int, int, Condition, float]] = []
        for p, plan in enumerate(self.plans):
            row = []
            for c, condition in enumerate(plan.trigger.conditions):
                value = condition.limit
                if isinstance(value, str):
                    found = threshold(sensors[condition.subject], value)
                    value = found if found is not None else math.nan
                row.append(float(value))
                if condition.kind == "sensor":
                    index.append(ids.setdefault(condition.subject, len(ids)))
                    limit.append(float(value))
                    sign.append(1.0 if condition.direction == "above" else -1.0)
                    owner.append(p)
                else:
                    self._others.append((p, c, condition, float(value)))
            self._limits.append(row)
        self.sensor_ids = list(ids)
        self._index = np.asarray(index, dtype=np.intp)
        self._limit = np.asarray(limit, dtype=np.float64)
        self._sign = np.asarray(sign, dtype=np.float64)
        self._owner = np.asarray(owner, dtype=np.intp)
        self._needed = np.array([len(p.trigger.conditions) if p.trigger.match == "all" else 1
                                 for p in self.plans], dtype=np.int64)

    def vector(self, values: Mapping[str, float]) -> NDArray[np.float64]:
        """Return the watched sensors' values in compiled order (NaN where missing)."""
        get = values.get
        return np.fromiter((get(s, math.nan) for s in self.sensor_ids), dtype=np.float64,
                           count=len(self.sensor_ids))

    def triggered(self, values: Mapping[str, float] | NDArray[np.float64], *,
                  forecast: Forecast | None = None,
                  checks: Mapping[str, float] | None = None) -> NDArray[np.bool_]:
        """Return, per plan (library order), whether its trigger holds: the fast path."""
        met = self._sensor_met(values)
        counts = np.bincount(self._owner, weights=met, minlength=len(self.plans))
        for p, _, condition, limit in self._others:
            ok, _, _ = _other(condition, limit, forecast, checks)
            counts[p] += ok
        return counts >= self._needed

    def evaluate(self, values: Mapping[str, float] | NDArray[np.float64], *,
                 forecast: Forecast | None = None, checks: Mapping[str, float] | None = None,
                 now: datetime | None = None) -> list[PlanStatus]:
        """Return every plan's status with the result of each condition."""
        vector = values if isinstance(values, np.ndarray) else self.vector(values)
        met = self._sensor_met(vector)
        results: list[list[ConditionResult | None]] = [
            [None] * len(p.trigger.conditions) for p in self.plans]
        position = 0
        for p, plan in enumerate(self.plans):
            for c, condition in enumerate(plan.trigger.conditions):
                if condition.kind != "sensor":
                    continue
                value = float(vector[self._index[position]])
                results[p][c] = ConditionResult(condition, bool(met[position]),
                                                None if math.isnan(value) else value,
                                                self._limits[p][c])
                position += 1
        for p, c, condition, limit in self._others:
            ok, value, when = _other(condition, limit, forecast, checks)
            results[p][c] = ConditionResult(condition, ok, value, limit, when)
        statuses = []
        for plan, row in zip(self.plans, results, strict=True):
            done = tuple(r for r in row if r is not None)
            flags = [r.met for r in done]
            on = all(flags) if plan.trigger.match == "all" else any(flags)
            times = [r.when for r in done if r.met and r.when is not None]
            event = min(times) if times else (now if on else None)
            statuses.append(PlanStatus(plan, on, done, event))
        return statuses

    def _sensor_met(self, values: Mapping[str, float] | NDArray[np.float64]) -> NDArray[Any]:
        vector = values if isinstance(values, np.ndarray) else self.vector(values)
        if not self._index.size:
            return np.zeros(0)
        with np.errstate(invalid="ignore"):
            return (self._sign * (vector[self._index] - self._limit) > 0).astype(np.float64)


def _other(condition: Condition, limit: float, forecast: Forecast | None,
           checks: Mapping[str, float] | None) -> tuple[bool, float | None, datetime | None]:
    """Evaluate a forecast or check condition: (met, the value compared, when)."""
    if condition.kind == "check":
        value = (checks or {}).get(condition.subject)
        if value is None or math.isnan(limit):
            return False, None, None
        met = value > limit if condition.direction == "above" else value < limit
        return met, float(value), None
    if forecast is None or math.isnan(limit):
        return False, None, None
    try:
        gauge = forecast.gauge(condition.subject)
    except KeyError:
        return False, None, None
    if condition.direction == "above":
        peak, _ = gauge.peak(condition.within_h)
        when = gauge.first_above(limit, condition.within_h)
        return when is not None, peak, when
    hours = (gauge.times - gauge.times[0]) / np.timedelta64(1, "h")
    window = hours <= (condition.within_h or float("inf")) + 1e-9
    low = float(np.nanmin(gauge.level[window]))
    return low < limit, low, None


class PlanMonitor:
    """Evaluates triggers continuously and reports the plans whose state changed.

    The Qt layer connects :attr:`changed` to its alarm list and calls :meth:`update` whenever
    new readings, a new forecast or a new check value arrive.
    """

    changed = Signal(list)
    """Emitted with the list of :class:`PlanStatus` whose ``triggered`` flag changed."""

    def __init__(self, evaluator: TriggerEvaluator) -> None:
        self.evaluator = evaluator
        self.statuses: dict[str, PlanStatus] = {}

    def update(self, values: Mapping[str, float], *, forecast: Forecast | None = None,
               checks: Mapping[str, float] | None = None,
               now: datetime | None = None) -> list[PlanStatus]:
        """Evaluate now; return (and emit) the plans that became triggered or cleared."""
        changes = []
        for status in self.evaluator.evaluate(values, forecast=forecast, checks=checks, now=now):
            before = self.statuses.get(status.plan.id)
            flipped = before is not None and before.triggered != status.triggered
            if flipped or (before is None and status.triggered):
                changes.append(status)
            self.statuses[status.plan.id] = status
        if changes:
            self.changed.emit(changes)
        return changes

    def active(self) -> list[PlanStatus]:
        """Return the plans whose trigger holds now."""
        return [s for s in self.statuses.values() if s.triggered]
