"""Scenarios from case files and scenes are checked against the plugin's tables before a run."""

import pytest

from tests.sim.factory import case_text, write_scene
from twin_app.sim.scenario import ScenarioError, load_case, scenario_from_scene

HEAD = """\
plugin = "twin_example"
duration_h = 2.0
output_interval_min = 30
dem = "{dem}"
"""


def _case(tmp_path, small_dem, body="", *, head=HEAD):
    path = tmp_path / "case.toml"
    path.write_text(head.format(dem=small_dem) + case_text(body), encoding="utf-8")
    return path


def _error(path, out, **kwargs):
    with pytest.raises(ScenarioError) as info:
        load_case(path, out_dir=out, **kwargs)
    return info.value


def test_a_good_case_fills_defaults_and_converts_units(tmp_path, small_dem):
    path = _case(tmp_path, small_dem, """
        [parameters]
        reservoir_constant_h = 3.0
        inflow_m3s = { value = 12000, units = "L/s" }

        [boundaries.rainfall]
        kind = "design_storm"
        total_mm = 60
        storm_duration_h = 1
        peak_time_h = 0.5

        [[points]]
        id = "P1"
        x = 600100.0
        y = 3469900.0
        """)
    rehearsal = load_case(path, out_dir=tmp_path / "out")
    config = rehearsal.config
    assert rehearsal.record.id == "twin_example"
    assert config.parameters["inflow_m3s"] == pytest.approx(12.0)
    assert config.parameters["rainfall_mm_h"] == 20.0  # default
    assert config.duration_s == 7200 and config.output_interval_s == 1800
    rain = config.boundaries["rainfall"]
    assert rain.units == "mm h-1"
    assert max(rain.values) == pytest.approx(120.0)  # 2 * 60 mm / 1 h at the peak
    assert config.points[0].id == "P1"
    assert config.run_dir == str((tmp_path / "out").resolve())


@pytest.mark.parametrize(("body", "line", "words"), [
    ("[parameters]\nrain_mm = 3.0\n", 6, "has no parameter 'rain_mm'"),
    ("[parameters]\ninflow_m3s = { value = 3.0, units = \"m\" }\n", 6, "wrong units"),
    ("[parameters]\nrainfall_mm_h = 900.0\n", 6, "above the maximum 300 mm h-1"),
    ("[parameters]\ncoarsen = 2.5\n", 6, "whole number"),
    ("[boundaries.tide]\nkind = \"constant\"\nvalue = 3.0\n", 5, "takes no boundary 'tide'"),
    ("[boundaries.rainfall]\nkind = \"sunshine\"\n", 5, "sunshine"),
    ("output_interval_mins = 3\n", 5, "unknown key 'output_interval_mins'"),
])
def test_bad_input_is_reported_with_file_and_line(tmp_path, small_dem, body, line, words):
    error = _error(_case(tmp_path, small_dem, body), tmp_path / "out")
    assert f"case.toml:{line}" in error.one_line()
    assert words in error.one_line()


def test_a_series_with_a_gap_names_the_csv_line(tmp_path, small_dem):
    (tmp_path / "inflow.csv").write_text(
        "# an inflow hydrograph\ntime_h,value,unit\n0,1.0,m3/s\n0.5,2.0,m3/s\n1.8,2.0,m3/s\n"
        "2.0,1.0,m3/s\n", encoding="utf-8")
    path = _case(tmp_path, small_dem, """
        [boundaries.inflow]
        kind = "csv"
        file = "inflow.csv"
        max_gap_min = 30
        """)
    error = _error(path, tmp_path / "out")
    assert "inflow.csv:5" in error.one_line()
    assert "gap of 78 min" in error.one_line()


def test_a_series_that_stops_early_is_refused(tmp_path, small_dem):
    (tmp_path / "rain.csv").write_text(
        "sensor_id,time,value,unit\nR1,2024-09-16T00:00:00+08:00,3,mm/h\n"
        "R2,2024-09-16T00:00:00+08:00,9,mm/h\nR1,2024-09-16T01:00:00+08:00,5,mm/h\n",
        encoding="utf-8")
    path = _case(tmp_path, small_dem, """
        start = 2024-09-16T00:00:00+08:00
        [boundaries.rainfall]
        kind = "csv"
        file = "rain.csv"
        sensor = "R1"
        """)
    error = _error(path, tmp_path / "out")
    assert "rain.csv:4" in error.one_line()
    assert "covers 0 h to 1 h of the run, which lasts 2 h" in error.one_line()


def test_a_csv_series_in_other_units_is_converted(tmp_path, small_dem):
    (tmp_path / "inflow.csv").write_text("time_s,value,unit\n0,1000,L/s\n7200,3000,L/s\n",
                                         encoding="utf-8")
    path = _case(tmp_path, small_dem, '[boundaries.inflow]\nkind = "csv"\n'
                 'file = "inflow.csv"\nmax_gap_min = 180\n')
    series = load_case(path, out_dir=tmp_path / "o").config.boundaries["inflow"]
    assert series.values == [1.0, 3.0] and series.units == "m3 s-1"


def test_start_from_the_current_state_uses_the_newest_readings(tmp_path, small_dem):
    path = _case(tmp_path, small_dem, """
        [boundaries.inflow]
        kind = "telemetry"
        sensor = "XCS-PF-01"
        units = "m3/s"
        [initial_state]
        telemetry = ["XCS-WL-01"]
        """)
    stored = {"XCS-PF-01": 42.0, "XCS-WL-01": 3.1}

    def latest(ids):
        return {key: stored[key] for key in ids if key in stored}

    config = load_case(path, out_dir=tmp_path / "o", latest=latest).config
    assert config.boundaries["inflow"].values == [42.0]
    assert config.initial_state == {"XCS-WL-01": 3.1}
    assert "no store is open" in _error(path, tmp_path / "o").one_line()


def test_unknown_plugin_is_reported_at_its_line(tmp_path, small_dem):
    path = _case(tmp_path, small_dem, head=HEAD.replace("twin_example", "no_such_plugin"))
    error = _error(path, tmp_path / "out")
    assert "case.toml:1" in error.one_line()
    assert "no simulation plugin 'no_such_plugin'" in error.one_line()


@pytest.fixture
def scene_copy(tmp_path):
    return write_scene(tmp_path / "bowl")


def test_a_scene_scenario_runs_on_the_scene_terrain(scene_copy, tmp_path):
    rehearsal = scenario_from_scene(scene_copy, "bathtub", out_dir=tmp_path / "out")
    config = rehearsal.config
    assert config.dem_path.endswith("terrain/dem.tif")
    assert config.crs == "EPSG:4549"
    assert config.parameters["rainfall_mm_h"] == 50.0
    assert [p.id for p in config.points] == ["WL-1"]


def test_a_bad_scene_scenario_names_the_scene_line(scene_copy, tmp_path):
    lines = (scene_copy / "scene.toml").read_text(encoding="utf-8").splitlines()
    expected = next(i for i, text in enumerate(lines, 1) if "rainfall_mm_h = 5000.0" in text)
    with pytest.raises(ScenarioError) as info:
        scenario_from_scene(scene_copy, "too_wet", out_dir=tmp_path / "out")
    assert f"scene.toml:{expected}" in info.value.one_line()
    assert "above the maximum" in info.value.one_line()
    with pytest.raises(ScenarioError, match="no scenario 'nope'"):
        scenario_from_scene(scene_copy, "nope", out_dir=tmp_path / "out")


def test_values_from_a_form_are_checked_by_key(tmp_path, small_dem):
    from twin_app.sim.scenario import rehearsal_from_values

    rehearsal = rehearsal_from_values("twin_example", {"coarsen": 2}, duration_h=1.0,
                                      output_interval_min=15, out_dir=tmp_path,
                                      dem_path=str(small_dem))
    assert rehearsal.config.parameters["coarsen"] == 2
    with pytest.raises(ScenarioError) as info:
        rehearsal_from_values("twin_example", {"coarsen": -1}, duration_h=1.0,
                              output_interval_min=15, out_dir=tmp_path)
    assert info.value.key == "parameters.coarsen"
    assert "below the minimum 1" in info.value.one_line()


def test_a_point_outside_the_dem_is_refused_and_a_bad_dem_named(tmp_path, small_dem):
    path = _case(tmp_path, small_dem, '[[points]]\nid = "far"\nx = 1.0\ny = 2.0\n')
    error = _error(path, tmp_path / "out")
    assert "case.toml:5" in error.one_line()
    assert "point 'far' (1.0, 2.0) lies outside the DEM (x 600000.0 to 600300.0" in str(error)
    not_a_dem = tmp_path / "dem.txt"
    not_a_dem.write_text("hello", encoding="utf-8")
    error = _error(_case(tmp_path, not_a_dem), tmp_path / "out")
    assert "case.toml:4 [dem]" in error.one_line() and "cannot be read" in error.one_line()
