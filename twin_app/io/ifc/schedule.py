"""Read a model's construction schedule: ``IfcWorkSchedule`` > ``IfcTask`` > ``IfcTaskTime``.

Tasks are found below each work schedule through ``IfcRelAssignsToControl`` (top-level tasks) and
``IfcRelNests`` (sub-tasks), at any depth.  A task's elements are the products assigned to it with
``IfcRelAssignsToProcess`` (the products it works on, how the works' models link them) or
assigned as its outputs with ``IfcRelAssignsToProduct`` (how Bonsai's 4D links them); a summary
task with no elements of its own has none here (its sub-tasks carry them).  Dates are
``IfcDateTime`` strings; only the day is kept (the works' models write 09:00 and 17:00).
"""

from __future__ import annotations

import logging
from datetime import date, datetime
from pathlib import Path
from typing import Any

import ifcopenshell

from twin_app.core.construction import ScheduleTask, WorkSchedule
from twin_app.core.scene_loader import SceneDocument
from twin_app.io.ifc.errors import IfcReadError

logger = logging.getLogger(__name__)


def _day(value: Any) -> date | None:
    if not value:
        return None
    text = str(value).strip()
    try:
        return datetime.fromisoformat(text).date()
    except ValueError:
        try:
            return date.fromisoformat(text[:10])
        except ValueError:
            logger.warning("ignored IfcDateTime %r: not an ISO date", text)
            return None


def _subtasks(task: Any) -> list[Any]:
    found = []
    for rel in getattr(task, "IsNestedBy", None) or ():
        found += [t for t in rel.RelatedObjects if t.is_a("IfcTask")]
    return found


def _elements(task: Any) -> tuple[str, ...]:
    guids: list[str] = []
    for rel in getattr(task, "OperatesOn", None) or ():
        guids += [o.GlobalId for o in rel.RelatedObjects if o.is_a("IfcProduct")]
    for rel in getattr(task, "HasAssignments", None) or ():
        if rel.is_a("IfcRelAssignsToProduct"):
            product = rel.RelatingProduct
            if product is not None and product.is_a("IfcProduct"):
                guids.append(product.GlobalId)
    return tuple(dict.fromkeys(guids))


def _task(entity: Any) -> ScheduleTask:
    time = entity.TaskTime
    return ScheduleTask(
        global_id=entity.GlobalId, identification=entity.Identification or entity.GlobalId,
        name=entity.Name or "", long_name=entity.LongDescription or "",
        description=entity.Description or "",
        planned_start=_day(getattr(time, "ScheduleStart", None)),
        planned_finish=_day(getattr(time, "ScheduleFinish", None)),
        actual_start=_day(getattr(time, "ActualStart", None)),
        actual_finish=_day(getattr(time, "ActualFinish", None)),
        elements=_elements(entity), milestone=bool(entity.IsMilestone),
        status=entity.Status)


def _schedule(ifc_file: ifcopenshell.file, schedule: Any) -> WorkSchedule:
    roots = []
    for rel in ifc_file.by_type("IfcRelAssignsToControl"):
        if rel.RelatingControl == schedule:
            roots += [t for t in rel.RelatedObjects if t.is_a("IfcTask")]
    tasks, seen, stack = [], set(), list(reversed(roots))
    while stack:
        entity = stack.pop()
        if entity.id() in seen:
            continue
        seen.add(entity.id())
        tasks.append(_task(entity))
        stack += list(reversed(_subtasks(entity)))
    status_days = [_day(getattr(t.TaskTime, "StatusTime", None))
                   for t in ifc_file.by_type("IfcTask") if t.TaskTime is not None]
    known = [d for d in status_days if d is not None]
    return WorkSchedule(global_id=schedule.GlobalId, name=schedule.Name or "",
                        tasks=tuple(tasks), status_date=max(known) if known else None,
                        description=schedule.Description or "")


def read_work_schedules(source: ifcopenshell.file | Path) -> list[WorkSchedule]:
    """Return every ``IfcWorkSchedule`` of a model, with its tasks (IFC4 and IFC4X3).

    Parameters
    ----------
    source : ifcopenshell.file or Path
        The open model or its file.

    Raises
    ------
    IfcReadError
        If the file cannot be opened.
    """
    ifc_file = source
    if not isinstance(source, ifcopenshell.file):
        path = Path(source)
        try:
            ifc_file = ifcopenshell.open(str(path))
        except (OSError, RuntimeError, ifcopenshell.Error) as error:
            raise IfcReadError(path, f"cannot be opened ({error})",
                               hint="check that it is an IFC-SPF file") from None
    schedules = [_schedule(ifc_file, s) for s in ifc_file.by_type("IfcWorkSchedule")]
    logger.info("read %d work schedule(s) with %d tasks", len(schedules),
                sum(len(s.tasks) for s in schedules))
    return schedules


def read_work_schedule(source: ifcopenshell.file | Path) -> WorkSchedule | None:
    """Return the model's first work schedule, or None when it has none."""
    schedules = read_work_schedules(source)
    return schedules[0] if schedules else None


def read_scene_schedules(document: SceneDocument) -> dict[str, WorkSchedule]:
    """Return the first work schedule of each IFC asset of a scene that has one, by asset id."""
    found: dict[str, WorkSchedule] = {}
    for asset in document.spec.assets:
        if asset.kind != "ifc" or asset.file is None:
            continue
        schedule = read_work_schedule(document.resolve(asset.file))
        if schedule is not None:
            found[asset.id] = schedule
    return found
