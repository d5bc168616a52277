"""Engineering checks (seepage safety factors, leak flags) in the same alarm list as live data."""

from __future__ import annotations

import dataclasses
from datetime import timedelta

import pytest

from tests.conftest import SCENES
from tests.telemetry.alarms.helpers import huangpu
from twin_app.core.clock import AppClock
from twin_app.core.live import LiveValues
from twin_app.core.scene import LocalizedText
from twin_app.core.scene_loader import load_scene
from twin_app.io.section_derive import derive_section
from twin_app.io.sections import read_soil_profile
from twin_app.telemetry.alarms import (
    AlarmEngine,
    AlarmKind,
    AlarmState,
    CheckOutcome,
    Severity,
)
from twin_app.telemetry.alarms.display import display_state_of
from twin_app.telemetry.alarms.history import resume_from, store_recorder
from twin_app.telemetry.seepage import assess_section
from twin_app.telemetry.session import MonitoringSession
from twin_app.telemetry.store import open_store

UPLIFT = CheckOutcome("seepage:MS-1", "uplift_of_blanket",
                      LocalizedText(zh="MS-1 覆盖层抗浮未满足要求", en="MS-1: uplift of blanket"),
                      failed=True, text="uplift of blanket: ...; safety factor 0.85 (required "
                      "1.00) FAILS", value=0.85, severity=Severity.ALARM)


def test_a_failed_check_raises_an_alarm_and_a_passed_one_clears_it(clock):
    engine = AlarmEngine.from_scene(huangpu(), clock=clock)
    (event,) = engine.post_checks([UPLIFT])
    assert event.key == "seepage:MS-1/uplift_of_blanket"
    assert event.to_state is AlarmState.UNACKNOWLEDGED and event.value == 0.85
    assert "FAILS" in event.comment
    (listed,) = engine.active()
    assert listed.kind is AlarmKind.CHECK and listed.severity is Severity.ALARM
    assert listed.definition.name.en == "MS-1: uplift of blanket"
    assert display_state_of(listed).name == "ALARM"
    assert engine.post_checks([UPLIFT]) == []  # still failing: no new transition
    engine.acknowledge(UPLIFT.key, user="duty-officer")
    clock.advance(timedelta(hours=1))
    passed = dataclasses.replace(UPLIFT, failed=False, value=1.4, text="... OK")
    (cleared,) = engine.post_checks([passed])
    assert cleared.to_state is AlarmState.NORMAL and engine.active() == []
    other = dataclasses.replace(passed, check_id="heave")
    assert engine.post_checks([other]) == []  # a passing check never seen makes no alarm


def test_check_alarms_are_kept_in_the_store_and_resumed(tmp_path, clock):
    with open_store(f"sqlite:///{tmp_path / 'alarms.db'}") as store:
        engine = AlarmEngine.from_scene(huangpu(), clock=clock)
        engine.transitions.connect(store_recorder(store.alarms))
        engine.post_checks([UPLIFT])
        again = AlarmEngine.from_scene(huangpu(), clock=clock)
        assert resume_from(again, store.alarms) == 1
        assert again.state(UPLIFT.key) is AlarmState.UNACKNOWLEDGED
        again.acknowledge(UPLIFT.key, user="duty-officer")


def test_a_section_assessment_posts_its_failed_checks_into_the_session(tmp_path):
    document = load_scene("huangpu")
    text = (SCENES / "huangpu" / "soils.toml").read_text(encoding="utf-8")
    path = tmp_path / "soils.toml"
    path.write_text(text.replace("bottom = 2.0", "bottom = 3.8").replace(
        "bottom = -1.0", "bottom = 3.5").replace("land_level = 2.0", "land_level = 3.9"),
        encoding="utf-8")
    placed = derive_section(document, (641646.31, 3458516.13), (641546.31, 3458516.13),
                            section_id="MS-1", soils=read_soil_profile(path))
    assessment = assess_section(placed, check_stage=9.0, size=3.0)
    clock = AppClock()
    live = LiveValues([sensor.id for sensor in document.spec.sensors])
    session = MonitoringSession(document.spec, live, clock)
    seen = []
    session.transitions.connect(seen.append)
    events = session.post_checks(assessment.outcomes())
    keys = {event.key for event in events}
    assert "seepage:MS-1/uplift_of_blanket" in keys
    assert all(event.to_state is AlarmState.UNACKNOWLEDGED for event in events)
    assert seen and {e.key for batch in seen for e in batch} == keys
    listed = {status.key: status for status in session.engine.active()}
    uplift = listed["seepage:MS-1/uplift_of_blanket"]
    assert uplift.value == pytest.approx(
        next(c.safety_factor for c in assessment.checks if c.name == "uplift of blanket"))
    assert "覆盖层抗浮" in uplift.definition.name.zh
