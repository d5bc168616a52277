"""The plan libraries of the shipped scenes, the format's checks, and trigger evaluation."""

import math

import pytest

from twin_app.core.scene_loader import load_scene
from twin_app.plans import PlanLibraryError, PlanMonitor, TriggerEvaluator, load_library
from twin_app.plans.library import relative_hours


@pytest.mark.parametrize("scene", ["huangpu", "xinchuansha", "suzhou_west_gate"])
def test_every_scene_has_an_illustrative_plan_library(scene):
    document = load_scene(scene)
    library = load_library(document)
    assert library.illustrative and library.plans
    for plan in library.plans:
        assert plan.name.zh and plan.name.en
    assert any(s.plugin == "twin_example" for s in library.rehearsal.setups)


def test_unknown_sensor_or_threshold_is_an_error(tmp_path):
    document = load_scene("huangpu")
    path = tmp_path / "plans.toml"
    path.write_text('scene = "huangpu"\n[[plans]]\nid = "p"\nname = { zh = "甲", en = "A" }\n'
                    '[plans.trigger]\nconditions = [{ sensor = "HPK-WL-01", above = "nope" }]\n',
                    encoding="utf-8")
    with pytest.raises(PlanLibraryError, match="no threshold 'nope'"):
        load_library(document, path)
    path.write_text('scene = "huangpu"\n[[plans]]\nid = "p"\nname = { zh = "甲", en = "A" }\n'
                    '[plans.trigger]\nconditions = [{ sensor = "HPK-WL-01" }]\n',
                    encoding="utf-8")
    with pytest.raises(PlanLibraryError, match=r"plans.toml:6.*exactly one of above or below"):
        load_library(document, path)


def test_relative_times():
    assert relative_hours("T") == 0.0
    assert relative_hours("T-2h") == -2.0
    assert relative_hours("T+1.5h") == 1.5
    assert relative_hours("at noon") is None


def test_triggers_on_sensors_and_checks():
    document = load_scene("xinchuansha")
    evaluator = TriggerEvaluator(load_library(document), document)
    quiet = {"XCS-WL-01": 3.0, "XCS-WL-02": 2.8, "XCS-RG-01": 0.0, "XCS-PZ-02": 3.0}
    flags = evaluator.triggered(quiet)
    assert not flags.any()
    high = {**quiet, "XCS-WL-02": 3.6}  # above the inland 'high' threshold 3.5
    statuses = {s.plan.id: s for s in evaluator.evaluate(high)}
    assert statuses["inland_high_water"].triggered
    assert not statuses["surge_gate_closure"].triggered
    assert "3.6" in statuses["inland_high_water"].text("en")
    assert "满足" in statuses["inland_high_water"].text("zh")
    checks = evaluator.evaluate(quiet, checks={"sluice_seepage_fs": 1.15})
    assert next(s for s in checks if s.plan.id == "sluice_seepage").triggered
    missing = evaluator.evaluate({})  # no readings: nothing is met
    assert not any(s.triggered for s in missing)
    assert all(r.value is None for s in missing for r in s.results)
    assert list(evaluator.triggered(high)) == [s.triggered for s in evaluator.evaluate(high)]
    assert math.isclose(evaluator.vector(high)[evaluator.sensor_ids.index("XCS-WL-02")], 3.6)


def test_monitor_reports_changes_once():
    document = load_scene("xinchuansha")
    monitor = PlanMonitor(TriggerEvaluator(load_library(document), document))
    seen = []
    monitor.changed.connect(seen.append)
    assert monitor.update({"XCS-WL-02": 2.5}) == []
    assert [s.plan.id for s in monitor.update({"XCS-WL-02": 3.7})] == ["inland_high_water"]
    assert monitor.update({"XCS-WL-02": 3.8}) == []
    cleared = monitor.update({"XCS-WL-02": 3.0})
    assert [(s.plan.id, s.triggered) for s in cleared] == [("inland_high_water", False)]
    assert len(seen) == 2 and not monitor.active()
