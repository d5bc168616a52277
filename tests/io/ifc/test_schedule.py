"""Reading work schedules: the works' models, and a Bonsai-style model built here."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import ifcopenshell
import ifcopenshell.api.root
import ifcopenshell.api.sequence
import ifcopenshell.api.unit
import pytest

from twin_app.core.scene_loader import load_scene
from twin_app.io.ifc.errors import IfcReadError
from twin_app.io.ifc.schedule import (
    read_scene_schedules,
    read_work_schedule,
    read_work_schedules,
)

REPO = Path(__file__).resolve().parents[3]


def test_xinchuansha_schedule_is_read_with_dates_and_elements():
    path = REPO / "bim_assets" / "xinchuansha" / "xinchuansha.ifc"
    schedule = read_work_schedule(path)
    assert schedule.name.startswith("Xinchuansha pump-gate hub construction")
    assert schedule.status_date == date(2025, 6, 30)
    assert [t.identification for t in schedule.tasks][:3] == ["XCS", "XCS-M1", "XCS-01"]
    slab = schedule.task("XCS-03")
    assert (slab.actual_start, slab.actual_finish) == (date(2022, 11, 13), date(2022, 11, 13))
    assert slab.planned_finish == date(2022, 11, 1) and slab.finish_variance_days == 12
    model = ifcopenshell.open(str(path))
    assert [model.by_guid(g).Name for g in slab.elements] == ["Sluice chamber base slab"]
    assert slab.long_name.startswith("闸室底板") and "published" in slab.description
    water = schedule.task("XCS-M2")
    assert water.milestone and water.actual_finish == date(2023, 5, 29)
    assert schedule.span == (date(2020, 10, 21), date(2024, 7, 31))
    scheduled = {g for t in schedule.tasks for g in t.elements}
    assert scheduled == {e.GlobalId for e in model.by_type("IfcElement")}
    with pytest.raises(KeyError, match="no task 'XCS-99'"):
        schedule.task("XCS-99")


def test_every_shipped_scene_has_a_schedule():
    for scene in ("xinchuansha", "suzhou_west_gate", "huangpu"):
        schedules = read_scene_schedules(load_scene(scene))
        assert len(schedules) == 1, scene
        (schedule,) = schedules.values()
        assert sum(len(t.elements) for t in schedule.tasks) > 50


def test_outputs_assigned_bonsai_style_are_read(tmp_path):
    f = ifcopenshell.file(schema="IFC4")
    ifcopenshell.api.root.create_entity(f, ifc_class="IfcProject", name="p")
    ifcopenshell.api.unit.assign_unit(f)
    wall = ifcopenshell.api.root.create_entity(f, ifc_class="IfcWall", name="w")
    schedule = ifcopenshell.api.sequence.add_work_schedule(f, name="Bonsai 4D")
    task = ifcopenshell.api.sequence.add_task(f, work_schedule=schedule, name="Build wall",
                                              identification="A")
    sub = ifcopenshell.api.sequence.add_task(f, parent_task=task, name="Pour")
    time = ifcopenshell.api.sequence.add_task_time(f, sub)
    time.ScheduleStart, time.ScheduleFinish = "2024-01-02T08:00:00", "2024-01-05T17:00:00"
    ifcopenshell.api.sequence.assign_product(f, relating_product=wall, related_object=sub)
    path = tmp_path / "bonsai.ifc"
    f.write(str(path))
    (read,) = read_work_schedules(path)
    assert [t.name for t in read.tasks] == ["Build wall", "Pour"]
    pour = read.tasks[1]
    assert pour.elements == (wall.GlobalId,)
    assert (pour.planned_start, pour.planned_finish) == (date(2024, 1, 2), date(2024, 1, 5))
    assert read.tasks[0].elements == () and read.status_date is None


def test_a_model_without_schedule_and_a_broken_file(tmp_path):
    f = ifcopenshell.file(schema="IFC4")
    path = tmp_path / "none.ifc"
    f.write(str(path))
    assert read_work_schedule(path) is None
    broken = tmp_path / "broken.ifc"
    broken.write_text("ISO-10303-21;\nnot a model", encoding="ascii")
    with pytest.raises(IfcReadError, match="cannot be opened"):
        read_work_schedules(broken)
