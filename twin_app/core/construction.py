"""4D construction progress: which elements are built on a date, as planned and as done.

A :class:`WorkSchedule` (read from a model's ``IfcWorkSchedule`` by
:func:`twin_app.io.ifc.schedule.read_work_schedule`) lists :class:`ScheduleTask` work packages with
their planned and actual start and finish days and the GlobalIds of the elements they build.
:meth:`WorkSchedule.progress_on` answers for a day ``D``, shown **at the end of that day**:

- *not started* when the start day is after ``D``;
- *under construction* when it started on or before ``D`` and finishes after ``D``;
- *built* when it finished on or before ``D``.

Planned states use the scheduled days; actual states the actual days (a package started but not
finished at the schedule's status date stays under construction after it).  Comparing the two
gives *ahead*, *on plan* or *behind* per element; the finish variance of each package is its
actual finish minus its planned finish, in days (positive = late).  Days are calendar days in
China Standard Time (UTC+8): :func:`day_of` turns the app clock's UTC time into one.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from enum import StrEnum

CHINA_STANDARD_TIME = timezone(timedelta(hours=8), "CST")


class BuildState(StrEnum):
    """Where an element stands on a day."""

    NOT_STARTED = "not_started"
    UNDER_CONSTRUCTION = "under_construction"
    BUILT = "built"


class PlanDelta(StrEnum):
    """The actual state compared with the planned one."""

    AHEAD = "ahead"
    ON_PLAN = "on_plan"
    BEHIND = "behind"


_RANK = {BuildState.NOT_STARTED: 0, BuildState.UNDER_CONSTRUCTION: 1, BuildState.BUILT: 2}


def day_of(moment: datetime) -> date:
    """Return the calendar day (China Standard Time) of an aware time, e.g. the app clock."""
    return moment.astimezone(CHINA_STANDARD_TIME).date()


def state_between(start: date | None, finish: date | None, day: date) -> BuildState:
    """Return the state on ``day`` (end of day) of work that runs from ``start`` to ``finish``.

    ``finish`` None means not finished (yet); ``start`` None means not started.
    """
    if start is None or start > day:
        return BuildState.NOT_STARTED
    if finish is not None and finish <= day:
        return BuildState.BUILT
    return BuildState.UNDER_CONSTRUCTION


@dataclass(frozen=True)
class ScheduleTask:
    """One work package (or milestone) of a schedule.

    Attributes
    ----------
    global_id, identification, name : str
        The IfcTask's GlobalId, Identification (``"XCS-03"``) and Name.
    long_name : str
        ``LongDescription`` (the Chinese name in the works' models).
    description : str
        ``Description`` (the works' models say there which dates are published).
    planned_start, planned_finish, actual_start, actual_finish : date or None
        Days of the ``IfcTaskTime``.
    elements : tuple of str
        GlobalIds of the elements the task builds.
    milestone : bool
        ``IsMilestone``.
    status : str or None
        ``IfcTask.Status`` as written (``"COMPLETED"``, ...).
    """

    global_id: str
    identification: str
    name: str
    long_name: str = ""
    description: str = ""
    planned_start: date | None = None
    planned_finish: date | None = None
    actual_start: date | None = None
    actual_finish: date | None = None
    elements: tuple[str, ...] = ()
    milestone: bool = False
    status: str | None = None

    def planned_state(self, day: date) -> BuildState:
        """Return the planned state on ``day``."""
        return state_between(self.planned_start, self.planned_finish, day)

    def actual_state(self, day: date) -> BuildState:
        """Return the actual state on ``day``."""
        return state_between(self.actual_start, self.actual_finish, day)

    @property
    def finish_variance_days(self) -> int | None:
        """Actual finish minus planned finish in days (positive = late), if both are known."""
        if self.actual_finish is None or self.planned_finish is None:
            return None
        return (self.actual_finish - self.planned_finish).days


@dataclass(frozen=True)
class ElementProgress:
    """One element on one day."""

    global_id: str
    task: str
    planned: BuildState
    actual: BuildState

    @property
    def delta(self) -> PlanDelta:
        """Actual against planned."""
        difference = _RANK[self.actual] - _RANK[self.planned]
        if difference > 0:
            return PlanDelta.AHEAD
        return PlanDelta.BEHIND if difference < 0 else PlanDelta.ON_PLAN


@dataclass(frozen=True)
class ProgressSnapshot:
    """The state of every scheduled element on one day.

    Attributes
    ----------
    day : date
        The day (shown at its end).
    elements : dict of str to ElementProgress
        By GlobalId.
    tasks : tuple of ScheduleTask
        The packages with elements, for per-task reporting.
    """

    day: date
    elements: dict[str, ElementProgress] = field(default_factory=dict)
    tasks: tuple[ScheduleTask, ...] = ()

    def counts(self, which: str = "actual") -> dict[str, int]:
        """Return how many elements are in each state, ``which`` = "actual" or "planned"."""
        found = Counter(getattr(p, which).value for p in self.elements.values())
        return {state.value: found.get(state.value, 0) for state in BuildState}

    def delta_counts(self) -> dict[str, int]:
        """Return how many elements are ahead, on plan and behind."""
        found = Counter(p.delta.value for p in self.elements.values())
        return {delta.value: found.get(delta.value, 0) for delta in PlanDelta}

    def in_state(self, state: BuildState, which: str = "actual") -> list[str]:
        """Return the GlobalIds in ``state`` (``which`` = "actual" or "planned"), sorted."""
        return sorted(g for g, p in self.elements.items() if getattr(p, which) is state)

    def visibility(self, asset_id: str, which: str = "actual"
                   ) -> tuple[frozenset[str], frozenset[str]]:
        """Return ``(hidden, xray)`` item ids that show the works as they stand on the day.

        Not-started elements are hidden and elements under construction drawn see-through;
        feed the two sets to ``Workspace.hidden`` and ``Workspace.xray`` (together with what the
        user hid).  Elements no task builds are left alone.
        """
        def items(state: BuildState) -> frozenset[str]:
            return frozenset(f"part:{asset_id}:{g}" for g in self.in_state(state, which))

        return items(BuildState.NOT_STARTED), items(BuildState.UNDER_CONSTRUCTION)

    def plan_against_actual(self, asset_id: str) -> tuple[frozenset[str], dict[str, PlanDelta]]:
        """Return what the planned-against-actual display hides, and each drawn element's delta.

        Elements not started in the plan nor in fact are hidden; every other scheduled element
        is drawn with its :class:`PlanDelta` (item ids ``part:<asset>:<GlobalId>``).  Elements
        no task builds are left alone.
        """
        hidden: set[str] = set()
        deltas: dict[str, PlanDelta] = {}
        for guid, progress in self.elements.items():
            item = f"part:{asset_id}:{guid}"
            if progress.planned is progress.actual is BuildState.NOT_STARTED:
                hidden.add(item)
            else:
                deltas[item] = progress.delta
        return frozenset(hidden), deltas

    def task_rows(self) -> list[dict[str, object]]:
        """Return one row per package: planned and actual state, dates, finish variance."""
        rows = []
        for task in self.tasks:
            rows.append({"task": task.identification, "name": task.name,
                         "planned": task.planned_state(self.day).value,
                         "actual": task.actual_state(self.day).value,
                         "planned_finish": task.planned_finish, "actual_finish":
                         task.actual_finish, "finish_variance_days": task.finish_variance_days,
                         "elements": len(task.elements)})
        return rows


@dataclass(frozen=True)
class WorkSchedule:
    """A model's construction schedule.

    Attributes
    ----------
    global_id, name : str
        The ``IfcWorkSchedule``.
    tasks : tuple of ScheduleTask
        Every task below it, in the file's order (summary tasks included).
    status_date : date or None
        The data date of the actual dates (``IfcTaskTime.StatusTime``), if given.
    description : str
        ``IfcWorkSchedule.Description``.
    """

    global_id: str
    name: str
    tasks: tuple[ScheduleTask, ...]
    status_date: date | None = None
    description: str = ""

    def task(self, identification: str) -> ScheduleTask:
        """Return the task with ``identification`` (or GlobalId).

        Raises
        ------
        KeyError
            If there is none.
        """
        for task in self.tasks:
            if identification in (task.identification, task.global_id):
                return task
        raise KeyError(f"no task {identification!r} in schedule {self.name!r}")

    @property
    def span(self) -> tuple[date | None, date | None]:
        """First and last day of any planned or actual date."""
        days = [d for t in self.tasks for d in (t.planned_start, t.planned_finish,
                                                t.actual_start, t.actual_finish) if d]
        return (min(days), max(days)) if days else (None, None)

    def progress_on(self, day: date) -> ProgressSnapshot:
        """Return the planned and actual state of every scheduled element on ``day``.

        An element built by several tasks takes the earliest start and the latest finish.
        """
        spans: dict[str, list[ScheduleTask]] = {}
        for task in self.tasks:
            for guid in task.elements:
                spans.setdefault(guid, []).append(task)
        elements = {}
        for guid, tasks in spans.items():
            elements[guid] = ElementProgress(
                global_id=guid, task=tasks[0].identification,
                planned=_combined([t.planned_state(day) for t in tasks]),
                actual=_combined([t.actual_state(day) for t in tasks]))
        worked = tuple(t for t in self.tasks if t.elements or t.milestone)
        return ProgressSnapshot(day=day, elements=elements, tasks=worked)


def _combined(states: list[BuildState]) -> BuildState:
    if all(s is BuildState.BUILT for s in states):
        return BuildState.BUILT
    if all(s is BuildState.NOT_STARTED for s in states):
        return BuildState.NOT_STARTED
    return BuildState.UNDER_CONSTRUCTION
