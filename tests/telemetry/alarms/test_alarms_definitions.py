"""Alarm definitions from scenes, the per-kind defaults, and the TOML configuration."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.telemetry.alarms.helpers import huangpu, scene_with, sensor, threshold
from twin_app.core.readings import Quality
from twin_app.core.scene import SensorKind
from twin_app.core.scene_loader import load_scene
from twin_app.telemetry.alarms import (
    KIND_DEFAULTS,
    AlarmConfig,
    AlarmConfigError,
    AlarmDefinitionError,
    AlarmEngine,
    AlarmKind,
    BadQualityAlarm,
    LevelAlarm,
    RateOfRiseAlarm,
    Severity,
    StaleDataAlarm,
    definitions_from_scene,
)


def by_key(definitions):
    return {definition.key: definition for definition in definitions}


def test_huangpu_park_warning_level_is_a_level_alarm():
    definitions = by_key(definitions_from_scene(huangpu()))
    warning = definitions["HPK-WL-01/warning"]
    assert isinstance(warning, LevelAlarm)
    assert warning.kind is AlarmKind.LEVEL
    assert (warning.limit, warning.direction, warning.severity) == (4.55, "above",
                                                                    Severity.WARNING)
    assert warning.deadband == pytest.approx(0.05)
    assert warning.name.zh == "警戒水位"
    assert "4.55" in warning.source
    assert definitions["HPK-WL-01/wall_crest"].severity is Severity.CRITICAL
    assert definitions["HPK-WL-01/design"].severity is Severity.ALARM


def test_every_sensor_gets_its_built_in_alarms():
    scene = huangpu()
    definitions = by_key(definitions_from_scene(scene))
    for spec in scene.sensors:
        assert isinstance(definitions[f"{spec.id}/stale"], StaleDataAlarm)
        assert isinstance(definitions[f"{spec.id}/bad_quality"], BadQualityAlarm)
        has_rate = KIND_DEFAULTS[spec.kind].rate_on
        assert (f"{spec.id}/rate_of_rise" in definitions) == has_rate
        for limit in spec.thresholds:
            assert definitions[f"{spec.id}/{limit.id}"].unit == spec.unit
    rate = definitions["HPK-WL-01/rate_of_rise"]
    assert isinstance(rate, RateOfRiseAlarm)
    assert (rate.rate_per_hour, rate.window) == (1.0, timedelta(minutes=15))
    assert definitions["HPK-WL-01/stale"].max_age == timedelta(minutes=10)
    assert definitions["HPK-RG-01/stale"].max_age == timedelta(minutes=70)
    assert "HPK-RG-01/rate_of_rise" not in definitions


@pytest.mark.parametrize("name", ["huangpu", "xinchuansha", "suzhou_west_gate"])
def test_every_shipped_scene_gives_an_engine(name):
    scene = load_scene(name).spec
    engine = AlarmEngine.from_scene(scene)
    thresholds = sum(len(spec.thresholds) for spec in scene.sensors)
    levels = [key for key in engine.keys
              if engine.definition(key).kind is AlarmKind.LEVEL]
    assert len(levels) == thresholds > 0


def test_defaults_scale_to_a_piezometer_in_kpa():
    scene = scene_with(sensor("PZ-M", SensorKind.PIEZOMETER, "m", [threshold("w", 3.5)]),
                       sensor("PZ-K", SensorKind.PIEZOMETER, "kPa", [threshold("w", 30.0)]))
    definitions = by_key(definitions_from_scene(scene))
    assert definitions["PZ-K/w"].deadband == pytest.approx(0.05 * 9.80665)
    assert definitions["PZ-K/rate_of_rise"].rate_per_hour == pytest.approx(0.2 * 9.80665)
    assert definitions["PZ-M/w"].deadband == pytest.approx(0.05)


def test_a_threshold_may_not_take_a_built_in_id():
    scene = scene_with(sensor("WL-1", thresholds=[threshold("stale", 3.0)]))
    with pytest.raises(AlarmDefinitionError, match="reserved") as caught:
        definitions_from_scene(scene)
    assert "rename" in caught.value.hint


CONFIG = """
[shelving]
max_hours = 4

[defaults.water_level]
deadband = 0.1
rate_of_rise = { rate_per_hour = 0.5, window_min = 10, severity = "alarm" }

[defaults.piezometer]
deadband = 0.1

[sensors.HPK-WL-01]
deadband = 0.02
on_delay_s = 30
stale = { after_min = 5, severity = "warning" }
bad_quality = { from_quality = "suspect" }
thresholds.wall_crest = { deadband = 0.2, severity = "alarm" }
thresholds.design = { enabled = false }

[sensors.HPK-RG-01]
stale = false
bad_quality = false

[sensors.HPK-SM-01]
enabled = false

[sensors.HPK-PZ-01]
rate_of_rise = false
"""


def test_config_overrides_defaults_per_kind_sensor_and_threshold():
    config = AlarmConfig.from_text(CONFIG, source="alarms.toml")
    definitions = by_key(definitions_from_scene(huangpu(), config))
    assert definitions["HPK-WL-01/warning"].deadband == 0.02
    assert definitions["HPK-WL-01/warning"].on_delay == timedelta(seconds=30)
    assert definitions["HPK-WL-01/wall_crest"].deadband == 0.2
    assert definitions["HPK-WL-01/wall_crest"].severity is Severity.ALARM
    assert "HPK-WL-01/design" not in definitions
    assert definitions["HPK-WL-01/stale"].max_age == timedelta(minutes=5)
    assert definitions["HPK-WL-01/stale"].severity is Severity.WARNING
    assert definitions["HPK-WL-01/bad_quality"].from_quality is Quality.SUSPECT
    rate = definitions["HPK-WL-01/rate_of_rise"]
    assert (rate.rate_per_hour, rate.window, rate.severity) == (0.5, timedelta(minutes=10),
                                                                Severity.ALARM)
    assert definitions["LJZ-WL-01/warning"].deadband == 0.1  # the kind default
    assert definitions["HPK-PZ-02/warning"].deadband == 0.1
    assert "HPK-PZ-01/rate_of_rise" not in definitions
    assert "HPK-PZ-02/rate_of_rise" in definitions
    assert "HPK-RG-01/stale" not in definitions
    assert "HPK-RG-01/bad_quality" not in definitions
    assert "HPK-RG-01/heavy" in definitions
    assert not any(key.startswith("HPK-SM-01/") for key in definitions)
    assert config.shelving.max_hours == 4


def test_config_loads_from_a_file(tmp_path):
    path = tmp_path / "alarms.toml"
    path.write_text(CONFIG, encoding="utf-8")
    config = AlarmConfig.load(path)
    engine = AlarmEngine.from_scene(huangpu(), config)
    assert engine.definition("HPK-WL-01/warning").deadband == 0.02


def test_true_switches_a_built_in_alarm_on_with_defaults():
    config = AlarmConfig.from_text("[sensors.HPK-SZ]\n", source="x")
    assert config.sensors["HPK-SZ"].stale is None
    config = AlarmConfig.from_text('[defaults.water_level]\nstale = true\n', source="x")
    assert config.defaults[SensorKind.WATER_LEVEL].stale.enabled


def derive(text: str) -> None:
    definitions_from_scene(huangpu(), AlarmConfig.from_text(text, source="alarms.toml"))


def error_of(text: str) -> AlarmConfigError:
    with pytest.raises(AlarmConfigError) as caught:
        derive(text)
    return caught.value


def test_syntax_error_names_the_line():
    error = error_of("[sensors.HPK-WL-01]\ndeadband = = 1\n")
    assert "TOML syntax error" in str(error)
    assert error.line == 2
    assert str(error).startswith("alarms.toml:2: TOML syntax error: Invalid value at column 12")


def test_unknown_key_names_line_and_allowed_keys():
    error = error_of("[sensors.HPK-WL-01]\n\ndeadbend = 0.1\n")
    assert error.line == 3
    assert error.key == "sensors.HPK-WL-01.deadbend"
    assert "unknown key 'deadbend'" in error.problem
    assert "deadband" in error.problem and "thresholds" in error.problem
    assert str(error).startswith("alarms.toml:3 [sensors.HPK-WL-01.deadbend]")


def test_unknown_key_inside_a_built_in_alarm_table():
    error = error_of("[defaults.water_level]\nrate_of_rise = { per_hour = 1 }\n")
    assert error.line == 2
    assert "rate_per_hour" in error.problem


def test_bad_value_says_what_was_expected():
    error = error_of("[sensors.HPK-WL-01]\ndeadband = -0.1\n")
    assert error.line == 2
    assert "greater than or equal to 0" in error.problem


def test_a_number_where_a_table_belongs():
    error = error_of("[sensors.HPK-WL-01]\nstale = 5\n")
    assert error.problem == "'stale' must be a table, true or false (got 5)"


def test_unknown_kind_lists_the_kinds():
    error = error_of("[defaults.tide]\ndeadband = 0.1\n")
    assert "water_level" in error.problem


def test_unknown_sensor_is_an_error_not_ignored():
    error = error_of("# overrides\n[sensors.HPK-WL-99]\ndeadband = 0.1\n")
    assert error.line == 2
    assert "has no sensor 'HPK-WL-99'" in error.problem
    assert "HPK-WL-01" in error.hint


def test_unknown_threshold_is_an_error_not_ignored():
    error = error_of("[sensors.HPK-WL-01]\nthresholds.alert = { deadband = 0.1 }\n")
    assert error.line == 2
    assert "has no threshold 'alert'" in error.problem
    assert "warning" in error.hint


def test_rate_of_rise_without_a_rate_where_the_kind_has_none():
    error = error_of("[sensors.HPK-RG-01]\nrate_of_rise = true\n")
    assert error.key == "sensors.HPK-RG-01.rate_of_rise"
    assert error.line == 2
    assert "rate_per_hour" in error.hint
    config = AlarmConfig.from_text("[sensors.HPK-RG-01]\nrate_of_rise = { rate_per_hour = 20 }\n")
    definitions = by_key(definitions_from_scene(huangpu(), config))
    assert definitions["HPK-RG-01/rate_of_rise"].rate_per_hour == 20


def test_unreadable_file(tmp_path):
    with pytest.raises(AlarmConfigError, match="cannot be read"):
        AlarmConfig.load(tmp_path / "missing.toml")
