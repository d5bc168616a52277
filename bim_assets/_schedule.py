"""Add a 4D construction schedule to a model: ``IfcWorkSchedule`` + ``IfcTask`` + ``IfcTaskTime``.

Written with ``ifcopenshell.api.sequence``.  The structure the app reads
(``twin_app/io/ifc/schedule.py``)::

    IfcProject --IfcRelDeclares--> IfcWorkSchedule (PLANNED)
        --IfcRelAssignsToControl--> IfcTask (summary, Identification "XCS")
            --IfcRelNests--> IfcTask (one per work package or milestone)
                .TaskTime = IfcTaskTime(ScheduleStart/Finish, ActualStart/Finish, StatusTime)
                <--IfcRelAssignsToProcess-- the elements the package builds

Dates are days (the API puts a scheduled start at 09:00 and a finish at 17:00; actual dates are
written at the same hours).  Every element of the model is assigned to exactly one package: the
build fails otherwise.  Which dates are published is stated on each task: ``Description`` reads
``published: <date field> (<source>)`` / ``derived: ...`` for those, every other date is
illustrative, and ``LongDescription`` carries the Chinese name.
"""

from __future__ import annotations

import datetime as dt
import fnmatch
from dataclasses import dataclass, field

import ifcopenshell.api.sequence

from bim_assets._authoring import TIMESTAMP, Entity, ModelBuilder

DateRange = tuple[str | None, str | None]


@dataclass(frozen=True)
class TaskSpec:
    """One work package (or milestone) of a schedule.

    Attributes
    ----------
    ident : str
        ``Identification`` (e.g. ``"XCS-03"``).
    name, name_zh : str
        English ``Name``; Chinese ``LongDescription``.
    planned, actual : tuple of (str or None, str or None)
        ISO dates (start, finish); an actual finish of None means not finished at the status
        date, an actual start of None not started.
    elements : tuple of str
        Glob patterns of element keys (``"sluice/pier/*"``) the package builds.
    milestone : bool
        A milestone (one day, no elements needed).
    sources : dict of str to str
        Date field (``ScheduleStart``, ``ScheduleFinish``, ``ActualStart``, ``ActualFinish``) ->
        ``"published: <source>"`` or ``"derived: <how>"``; every other date is illustrative.
    """

    ident: str
    name: str
    name_zh: str
    planned: DateRange
    actual: DateRange = (None, None)
    elements: tuple[str, ...] = ()
    milestone: bool = False
    sources: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class ScheduleSpec:
    """A work's construction schedule.

    Attributes
    ----------
    ident, name, name_zh : str
        The summary task's Identification and names.
    description : str
        ``IfcWorkSchedule.Description`` (what is published, what is illustrative).
    status_date : str
        The data date of the actual dates (``IfcTaskTime.StatusTime``).
    tasks : tuple of TaskSpec
        The packages and milestones, in order.
    """

    ident: str
    name: str
    name_zh: str
    description: str
    status_date: str
    tasks: tuple[TaskSpec, ...]


def _at(day: str | None, hour: int) -> dt.datetime | None:
    return None if day is None else dt.datetime.combine(dt.date.fromisoformat(day),
                                                        dt.time(hour))


def _description(spec: TaskSpec) -> str:
    fields: dict[str, list[str]] = {}
    for name, text in spec.sources.items():
        fields.setdefault(text, []).append(name)
    notes = [f"{', '.join(names)} {text}" for text, names in fields.items()]
    others = "other dates illustrative" if notes else "dates illustrative"
    return "; ".join([*notes, others])


def _status(spec: TaskSpec, status_date: str) -> str:
    start, finish = spec.actual
    if finish is not None and finish <= status_date:
        return "COMPLETED"
    if start is not None and start <= status_date:
        return "IN PROGRESS"
    return "NOT STARTED"


def _match(spec: ScheduleSpec, elements: dict[str, Entity]) -> dict[str, list[Entity]]:
    owners: dict[str, list[str]] = {key: [] for key in elements}
    for task in spec.tasks:
        for key in elements:
            if any(fnmatch.fnmatchcase(key, pattern) for pattern in task.elements):
                owners[key].append(task.ident)
    unassigned = sorted(k for k, tasks in owners.items() if not tasks)
    doubled = sorted(f"{k} ({', '.join(t)})" for k, t in owners.items() if len(t) > 1)
    if unassigned or doubled:
        msg = (f"schedule {spec.ident}: every element needs exactly one task; unassigned: "
               f"{', '.join(unassigned) or 'none'}; in two tasks: {', '.join(doubled) or 'none'}")
        raise ValueError(msg)
    by_task: dict[str, list[Entity]] = {task.ident: [] for task in spec.tasks}
    for key, tasks in owners.items():
        by_task[tasks[0]].append(elements[key])
    return by_task


def add_work_schedule(model: ModelBuilder, spec: ScheduleSpec) -> Entity:
    """Add ``spec`` to ``model`` and link its tasks to the model's elements.

    Call it after every element is added.  Returns the ``IfcWorkSchedule``.
    """
    api = ifcopenshell.api.sequence
    f = model.file
    starts = [t.planned[0] for t in spec.tasks if t.planned[0]]
    schedule = api.add_work_schedule(f, name=f"{spec.name} (construction schedule)",
                                     predefined_type="PLANNED",
                                     start_time=_at(min(starts), 0))
    schedule.CreationDate = TIMESTAMP
    schedule.Description = spec.description
    schedule.Purpose = "4D construction progress: planned against actual"
    model.register_key(schedule, "schedule")
    summary = api.add_task(f, work_schedule=schedule, name=spec.name,
                           identification=spec.ident, predefined_type="CONSTRUCTION")
    summary.LongDescription = spec.name_zh
    summary.Description = "summary of the packages below"
    model.register_key(summary, f"schedule/{spec.ident}")
    status_time = _at(spec.status_date, 0)
    assert status_time is not None
    by_task = _match(spec, model.elements_by_key())
    for task_spec in spec.tasks:
        task = api.add_task(f, parent_task=summary, name=task_spec.name,
                            predefined_type="CONSTRUCTION")
        task.Identification = task_spec.ident
        task.LongDescription = task_spec.name_zh
        task.Description = _description(task_spec)
        task.IsMilestone = task_spec.milestone
        task.Status = _status(task_spec, spec.status_date)
        model.register_key(task, f"schedule/{task_spec.ident}")
        task_time = api.add_task_time(f, task)
        attributes: dict[str, object] = {
            "ScheduleStart": _at(task_spec.planned[0], 9),
            "ScheduleFinish": _at(task_spec.planned[1], 17), "StatusTime": status_time}
        api.edit_task_time(f, task_time=task_time, attributes=attributes)
        actual = {"ActualStart": _at(task_spec.actual[0], 9),
                  "ActualFinish": _at(task_spec.actual[1], 17)}
        api.edit_task_time(f, task_time=task_time,
                           attributes={k: v for k, v in actual.items() if v is not None})
        for element in by_task[task_spec.ident]:
            api.assign_process(f, relating_process=task, related_object=element)
    return schedule
