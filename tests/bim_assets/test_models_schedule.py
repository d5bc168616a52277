"""The works' models carry a 4D construction schedule (checked with ifcopenshell directly).

``IfcProject`` declares one ``IfcWorkSchedule``; a summary ``IfcTask`` is controlled by it and
nests the work packages; each package has an ``IfcTaskTime`` and builds elements assigned to it
with ``IfcRelAssignsToProcess``.  Every physical element is built by exactly one package.  For
Xinchuansha the published milestones are where the public record puts them (reference/projects.md
s1.1): construction began 2020-10-21, the base slab was poured 2022-11-13, water passed
2023-05-29.
"""

from __future__ import annotations

from collections import Counter
from functools import cache
from pathlib import Path

import ifcopenshell
import pytest

REPO = Path(__file__).resolve().parents[2]
MODELS = {"xinchuansha": ("bim_assets/xinchuansha/xinchuansha.ifc", "XCS", 11),
          "suzhou_west_gate": ("bim_assets/suzhou_west_gate/west_gate.ifc", "WG", 10),
          "huangpu": ("bim_assets/huangpu/huangpu_bund.ifc", "HP", 6)}


@cache
def model(work: str) -> ifcopenshell.file:
    return ifcopenshell.open(str(REPO / MODELS[work][0]))


def packages(work: str) -> list[ifcopenshell.entity_instance]:
    (summary,) = [t for t in model(work).by_type("IfcTask") if t.Identification == MODELS[work][1]]
    return [t for rel in summary.IsNestedBy for t in rel.RelatedObjects]


@pytest.mark.parametrize("work", sorted(MODELS))
def test_schedule_structure(work: str) -> None:
    f = model(work)
    (schedule,) = f.by_type("IfcWorkSchedule")
    (project,) = f.by_type("IfcProject")
    assert schedule.PredefinedType == "PLANNED"
    assert any(schedule in rel.RelatedDefinitions for rel in project.Declares)
    (control,) = schedule.Controls
    (summary,) = control.RelatedObjects
    assert summary.is_a("IfcTask") and summary.Identification == MODELS[work][1]
    tasks = packages(work)
    assert len(tasks) == MODELS[work][2]
    assert "ILLUSTRATIVE" in schedule.Description or "illustrative" in schedule.Description
    for task in tasks:
        time = task.TaskTime
        assert time.is_a("IfcTaskTime") and task.Identification.startswith(MODELS[work][1])
        assert time.ScheduleStart <= time.ScheduleFinish
        if time.ActualStart and time.ActualFinish:
            assert time.ActualStart <= time.ActualFinish
        assert task.Status in ("COMPLETED", "IN PROGRESS", "NOT STARTED")
        assert "illustrative" in task.Description and task.LongDescription
        assert bool(task.OperatesOn) != bool(task.IsMilestone), task.Identification


@pytest.mark.parametrize("work", sorted(MODELS))
def test_every_element_is_built_by_exactly_one_package(work: str) -> None:
    f = model(work)
    built = Counter(element.GlobalId for rel in f.by_type("IfcRelAssignsToProcess")
                    for element in rel.RelatedObjects)
    elements = {e.GlobalId for e in f.by_type("IfcElement")}
    assert set(built) == elements
    assert set(built.values()) == {1}


def test_xinchuansha_public_milestones() -> None:
    tasks = {t.Identification: t for t in packages("xinchuansha")}
    start, slab, water = tasks["XCS-M1"], tasks["XCS-03"], tasks["XCS-M2"]
    assert start.IsMilestone and start.TaskTime.ActualStart.startswith("2020-10-21")
    assert slab.TaskTime.ActualStart.startswith("2022-11-13")
    assert slab.TaskTime.ActualFinish.startswith("2022-11-13")
    (rel,) = slab.OperatesOn
    assert [e.Name for e in rel.RelatedObjects] == ["Sluice chamber base slab"]
    assert water.IsMilestone and water.TaskTime.ActualFinish.startswith("2023-05-29")
    assert water.TaskTime.ScheduleFinish.startswith("2023-08-29"), "3 months ahead of plan"
    for task in (start, slab, water):
        assert "published" in task.Description
