"""The plan library (预案库) of a scene: ``scenes/<scene>/plans.toml``, read and checked.

::

    schema_version = 1
    scene = "huangpu"
    illustrative = true                      # say so when the plans are not the works' own
    note = { zh = "...", en = "..." }

    [[checks]]                               # named values other modules supply (optional)
    id = "bund_seepage_fs"
    name = { zh = "外滩防汛墙渗流安全系数", en = "Bund wall seepage safety factor" }
    unit = "1"

    [rehearsal]                              # how plans are rehearsed (a plan may override)
    duration_h = 24.0
    output_interval_min = 30.0
    places = ["HPK-WL-01"]                   # key places: sensor ids (their map positions)
    [[rehearsal.setups]]                     # the first whose plugin is installed is used
    plugin = "twin_flood"
    scenario = "winnie_1997"                 # base parameters from a scene scenario ...
    [[rehearsal.setups]]
    plugin = "twin_example"
    base = { coarsen = 8 }                   # ... and/or given here

    [[plans]]
    id = "creek_gate_closure"
    name = { zh = "...", en = "..." }
    level = "IV"                             # response level, IV (lowest) to I
    units = [{ zh = "...", en = "..." }]     # units responsible
    checklist = [{ zh = "...", en = "..." }]

    [plans.trigger]
    match = "any"                            # any | all of the conditions
    conditions = [
      { forecast = "HPK-WL-01", above = "warning", within_h = 12 },   # a threshold id or m
      { sensor = "HPK-WL-01", above = 4.55 },                         # the latest reading
      { check = "bund_seepage_fs", below = 1.2 },                     # a named check value
    ]

    [[plans.actions]]
    id = "close_gate"
    name = { zh = "T-2 h 关闭河口闸", en = "Close the mouth gate at T-2 h" }
    at = "T-2h"                              # T: when the forecast first meets the trigger
    unit = { zh = "...", en = "..." }
    [plans.actions.parameters.twin_flood]    # the action as parameter changes, per plugin;
    creek_gate_closed = true                 # "T-2h" as a value becomes hours from the
    gate_close_time_h = "T-2h"               # rehearsal's start

An action without parameters for the rehearsal's plugin (evacuating a zone) is listed in the
brief as not modelled.  Sensor and threshold ids are checked against the scene on loading.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from twin_app.core.errors import InputError
from twin_app.core.scene import Identifier, LocalizedText, SensorSpec
from twin_app.core.scene_loader import SceneDocument
from twin_app.core.toml_model import TomlModelError, validate_toml
from twin_app.sim.tables import ParamValue

PLANS_FILE = "plans.toml"
RELATIVE_TIME = re.compile(r"^T(?:\s*([+-])\s*(\d+(?:\.\d+)?)\s*h)?$")


class PlanLibraryError(InputError):
    """A plan library that cannot be used (names the file, line and key)."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def relative_hours(text: str) -> float | None:
    """Return the hours of ``"T-2h"`` relative to T (``-2.0``), or ``None`` if not that form."""
    match = RELATIVE_TIME.match(text.strip())
    if not match:
        return None
    sign, amount = match.groups()
    return 0.0 if amount is None else (-1.0 if sign == "-" else 1.0) * float(amount)


class Condition(_Strict):
    """One trigger condition: on a sensor's latest value, a gauge's forecast, or a named check."""

    sensor: Identifier | None = None
    forecast: Identifier | None = None
    check: Identifier | None = None
    above: float | Identifier | None = None
    below: float | Identifier | None = None
    within_h: Annotated[float, Field(gt=0)] | None = None

    @model_validator(mode="after")
    def _one_subject(self) -> Condition:
        subjects = [s for s in (self.sensor, self.forecast, self.check) if s is not None]
        if len(subjects) != 1:
            raise ValueError("a condition names exactly one of sensor, forecast or check")
        if (self.above is None) == (self.below is None):
            raise ValueError("a condition gives exactly one of above or below")
        if self.within_h is not None and self.forecast is None:
            raise ValueError("within_h applies to forecast conditions only")
        if self.check is not None and isinstance(self.limit, str):
            raise ValueError("a check condition compares with a number")
        return self

    @property
    def subject(self) -> str:
        """The sensor, gauge or check id."""
        return self.sensor or self.forecast or self.check or ""

    @property
    def kind(self) -> Literal["sensor", "forecast", "check"]:
        """What is compared."""
        return "sensor" if self.sensor else ("forecast" if self.forecast else "check")

    @property
    def limit(self) -> float | str:
        """The level (a number, or a threshold id of the sensor)."""
        return self.above if self.above is not None else self.below  # type: ignore[return-value]

    @property
    def direction(self) -> Literal["above", "below"]:
        """``"above"`` or ``"below"``."""
        return "above" if self.above is not None else "below"


class Trigger(_Strict):
    """When a plan applies."""

    match: Literal["any", "all"] = "any"
    conditions: Annotated[list[Condition], Field(min_length=1)]


class Action(_Strict):
    """One action of a plan, and how the rehearsal plugins express it."""

    id: Identifier
    name: LocalizedText
    at: str = "T"
    unit: LocalizedText | None = None
    parameters: dict[str, dict[str, ParamValue]] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _times(self) -> Action:
        if relative_hours(self.at) is None:
            raise ValueError(f"at = {self.at!r} is not 'T', 'T-2h' or 'T+1.5h'")
        return self


class Setup(_Strict):
    """A way to rehearse: a plugin, with base parameters from a scenario and/or given here."""

    plugin: Identifier
    scenario: Identifier | None = None
    base: dict[str, ParamValue] = Field(default_factory=dict)
    boundaries: dict[str, str] | None = None
    """Boundary feeds (see :mod:`twin_app.forecast.drive`); chosen from units if absent."""


class RehearsalSpec(_Strict):
    """How a plan is rehearsed."""

    duration_h: Annotated[float, Field(gt=0, le=240)] = 24.0
    output_interval_min: Annotated[float, Field(gt=0)] = 30.0
    places: list[Identifier] = Field(default_factory=list)
    setups: list[Setup] = Field(default_factory=list)


class Plan(_Strict):
    """One response plan."""

    id: Identifier
    name: LocalizedText
    level: Literal["I", "II", "III", "IV"] | None = None
    illustrative: bool = True
    units: list[LocalizedText] = Field(default_factory=list)
    checklist: list[LocalizedText] = Field(default_factory=list)
    trigger: Trigger
    actions: list[Action] = Field(default_factory=list)
    rehearsal: RehearsalSpec | None = None


class CheckSpec(_Strict):
    """A named value supplied from outside (a seepage safety factor, a structure's state)."""

    id: Identifier
    name: LocalizedText
    unit: str = "1"
    source: str = ""


class PlanLibrary(_Strict):
    """The plans of one scene."""

    schema_version: Literal[1] = 1
    scene: Identifier
    illustrative: bool = True
    note: LocalizedText | None = None
    checks: list[CheckSpec] = Field(default_factory=list)
    rehearsal: RehearsalSpec = Field(default_factory=RehearsalSpec)
    plans: list[Plan] = Field(default_factory=list)

    def plan(self, plan_id: str) -> Plan:
        """Return a plan by id.

        Raises
        ------
        PlanLibraryError
            If there is none.
        """
        for plan in self.plans:
            if plan.id == plan_id:
                return plan
        raise PlanLibraryError(f"no plan {plan_id!r}",
                               hint=f"plans: {', '.join(p.id for p in self.plans) or 'none'}")

    def rehearsal_of(self, plan: Plan) -> RehearsalSpec:
        """Return how ``plan`` is rehearsed (its own spec, else the library's)."""
        return plan.rehearsal if plan.rehearsal is not None else self.rehearsal


def load_library(document: SceneDocument, path: Path | None = None) -> PlanLibrary:
    """Read and check a scene's plan library (``plans.toml`` in the scene folder by default).

    Raises
    ------
    PlanLibraryError
        If the file is missing or invalid, or names a sensor, threshold or check the scene and
        library do not have.
    """
    path = Path(path) if path is not None else document.folder / PLANS_FILE
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise PlanLibraryError(f"{path} cannot be read ({error})",
                               hint="write a plans.toml (see twin_app/plans/library.py)") from None
    try:
        library, _ = validate_toml(text, PlanLibrary)
    except TomlModelError as error:
        issue = error.issue
        where = f"{path}:{issue.line}" if issue.line else str(path)
        key = f" [{issue.key}]" if issue.key else ""
        raise PlanLibraryError(f"{where}{key}: {issue.problem}",
                               hint="see twin_app/plans/library.py for the format") from None
    problems = cross_check(library, document)
    if problems:
        raise PlanLibraryError(f"{path}: {problems[0]}",
                               hint=f"{len(problems)} problem(s); sensors and thresholds must be "
                               "the scene's")
    return library


def cross_check(library: PlanLibrary, document: SceneDocument) -> list[str]:
    """Return what the library names that the scene (or the library's checks) lacks."""
    sensors = {s.id: s for s in document.spec.sensors}
    checks = {c.id for c in library.checks}
    problems = []
    if library.scene != document.spec.id:
        problems.append(f"the library is for scene {library.scene!r}, not {document.spec.id!r}")
    specs = [library.rehearsal] + [p.rehearsal for p in library.plans if p.rehearsal]
    problems += [f"rehearsal place {place!r} is not a sensor of the scene"
                 for spec in specs for place in spec.places if place not in sensors]
    for plan in library.plans:
        for condition in plan.trigger.conditions:
            if condition.kind == "check":
                if condition.subject not in checks:
                    problems.append(f"plan {plan.id}: check {condition.subject!r} is not "
                                    "declared in [[checks]]")
                continue
            sensor = sensors.get(condition.subject)
            if sensor is None:
                problems.append(f"plan {plan.id}: {condition.subject!r} is not a sensor of "
                                "the scene")
            elif isinstance(condition.limit, str) and threshold(sensor, condition.limit) is None:
                problems.append(f"plan {plan.id}: sensor {sensor.id} has no threshold "
                                f"{condition.limit!r}")
    return problems


def threshold(sensor: SensorSpec, threshold_id: str) -> float | None:
    """Return the value of a sensor's threshold, or ``None``."""
    return next((t.value for t in sensor.thresholds if t.id == threshold_id), None)
