"""Wall layouts (TOML), the viewpoint tour, where alarms send the view, and gauge readings."""

from datetime import UTC, datetime, timedelta

import pytest

from tests.scene_factory import MINIMAL_SCENE, TOP_DOWN_VIEWPOINT, write_scene
from twin_app.core.errors import InputError, SceneFileError
from twin_app.core.live import LiveValues
from twin_app.core.readings import Reading
from twin_app.core.scene_loader import load_scene
from twin_app.core.sensor_state import DisplayState
from twin_app.core.wall_gauges import gauge_reading, key_sensors, trend
from twin_app.core.wall_layout import load_layout, parse_layout, span_screens, type_size_px
from twin_app.core.wall_tour import ViewpointTour, tour_viewpoints, viewpoint_for_sensor

T0 = datetime(2024, 9, 16, 6, 0, tzinfo=UTC)
SCENE_TILE = '[[tiles]]\nkind = "scene"\nrow = 0\ncolumn = 0\n'


@pytest.fixture
def scene(tmp_path):
    return load_scene(write_scene(tmp_path / "mini", MINIMAL_SCENE + TOP_DOWN_VIEWPOINT)).spec


# -- layout ---------------------------------------------------------------------------------


def test_the_shipped_default_layout_is_valid():
    layout = load_layout()
    kinds = {tile.kind for tile in layout.tiles}
    assert kinds == {"title", "clock", "scene", "gauges", "alarms", "chart", "rehearsal",
                     "status"}
    assert layout.name.zh.startswith("上海")
    assert layout.source.endswith("default_layout.toml")


def test_a_minimal_layout_takes_defaults():
    layout = parse_layout("schema_version = 1\n" + SCENE_TILE)
    assert layout.tour.interval_s == 45.0
    assert layout.grid.columns == [1.0]
    assert layout.tiles[0].row_span == 1


@pytest.mark.parametrize(("text", "problem", "line"), [
    ("schema_version = 1\n" + SCENE_TILE + "colour = 1\n", "unknown key 'colour'", 6),
    ("schema_version = 1\n" + SCENE_TILE.replace("column = 0", "column = 3"),
     "reaches beyond the grid", None),
    ("schema_version = 1\n[grid]\ncolumns = [1, 1]\n" + SCENE_TILE + SCENE_TILE.replace(
        "scene", "clock"), "overlaps tiles[0]", None),
    ("schema_version = 1\n[grid]\ncolumns = [1, 1]\n" + SCENE_TILE.replace("scene", "clock"),
     "exactly one 'scene' tile", None),
    ("schema_version = 1\n" + SCENE_TILE.replace('"scene"', '"radar"'), "radar", 3),
    ("schema_version = 1\n[tour]\ninterval_s = -1\n" + SCENE_TILE, "greater than", 3),
])
def test_bad_layouts_say_what_and_where(text, problem, line):
    with pytest.raises(SceneFileError) as caught:
        parse_layout(text, "wall.toml")
    assert problem in str(caught.value)
    if line is not None:
        assert caught.value.line == line


def test_unreadable_layout_file(tmp_path):
    with pytest.raises(InputError, match="cannot be read"):
        load_layout(tmp_path / "missing.toml")


def test_span_screens_covers_the_chosen_screens():
    screens = [(0, 0, 3840, 2160), (3840, 0, 3840, 2160), (0, 2160, 1920, 1080)]
    assert span_screens(screens, "all") == (0, 0, 7680, 3240)
    assert span_screens(screens, "1") == (3840, 0, 3840, 2160)
    assert span_screens(screens, "0,1") == (0, 0, 7680, 2160)
    for bad in ("3", "x", ""):
        with pytest.raises(InputError):
            span_screens(screens, bad)


def test_type_grows_with_the_wall():
    theme = load_layout().theme
    assert type_size_px(2160, theme) == 45
    assert type_size_px(1080, theme) == 22
    assert type_size_px(4320, theme, 2.0) == 180


# -- tour -----------------------------------------------------------------------------------


def test_tour_cycles_on_its_interval(scene):
    tour = ViewpointTour(scene.viewpoints, interval_s=30)
    assert tour.start().viewpoint.id == "overview"
    assert tour.tick(29.9) is None
    step = tour.tick(0.2)
    assert (step.viewpoint.id, step.reason) == ("top", "tour")
    assert tour.tick(30).viewpoint.id == "overview"
    # a day of touring in a loop: one step every 30 s
    steps = sum(tour.tick(1.0) is not None for _ in range(86_400))
    assert steps == 2880


def test_tour_pause_resume_and_operator_moves(scene):
    tour = ViewpointTour(scene.viewpoints, interval_s=10)
    tour.start()
    tour.pause()
    assert tour.tick(100) is None and tour.remaining_s() is None
    assert tour.next().viewpoint.id == "top"
    assert tour.previous().viewpoint.id == "overview"
    assert tour.go_to("top").reason == "operator"
    with pytest.raises(KeyError, match="available: overview, top"):
        tour.go_to("nowhere")
    tour.resume()
    assert tour.remaining_s() == 10
    assert tour.tick(10).viewpoint.id == "overview"


def test_alarm_focus_holds_then_the_tour_goes_on(scene):
    tour = ViewpointTour(scene.viewpoints, interval_s=10, alarm_hold_s=60, min_dwell_s=5)
    tour.start()
    close = viewpoint_for_sensor(scene, "WL-1")
    step = tour.focus_alarm(close, "WL-1/warning", severity=2)
    assert step.reason == "alarm" and tour.current == close
    assert tour.status()["alarm_focus"] == "WL-1/warning"
    assert tour.tick(30) is None  # the tour waits while the alarm holds the view
    assert tour.focus_alarm(close, "RG-1/heavy", severity=2) is not None  # after min dwell
    assert tour.focus_alarm(close, "RG-1/x", severity=1) is None  # a lesser alarm waits
    assert tour.focus_alarm(close, "WL-1/alarm", severity=3) is not None  # a graver one not
    assert tour.tick(59) is None
    step = tour.tick(2)
    assert step.reason == "tour" and tour.focus is None


def test_empty_tour_only_moves_for_alarms(scene):
    tour = ViewpointTour([], interval_s=1)
    assert tour.start() is None and tour.tick(100) is None and tour.next() is None
    assert tour.focus_alarm(scene.viewpoints[0], "WL-1/warning", 2) is not None


def test_tour_viewpoints_keeps_the_listed_order_and_names_the_missing(scene):
    chosen, missing = tour_viewpoints(scene, ["top", "nowhere", "overview"])
    assert [v.id for v in chosen] == ["top", "overview"] and missing == ["nowhere"]
    assert [v.id for v in tour_viewpoints(scene, [])[0]] == ["overview", "top"]


def test_alarm_viewpoint_mapping_nearest_in_view_or_a_closeup(scene):
    assert viewpoint_for_sensor(scene, "WL-1", mapping={"WL-1": "top"}).id == "top"
    assert viewpoint_for_sensor(scene, "WL-1", mapping={"sluice": "top"}).id == "top"
    # both viewpoints look near WL-1; the top camera is nearer (400 m up vs ~430 m away)
    assert viewpoint_for_sensor(scene, "WL-1").id == "top"
    closeup = viewpoint_for_sensor(scene, "WL-1", radius_m=5.0, closeup_distance_m=100)
    assert closeup.id == "alarm.WL-1"
    assert closeup.focal_point == (340010.0, 3484030.0, 3.0)
    distance = sum((a - b) ** 2 for a, b in zip(closeup.position, closeup.focal_point,
                                                strict=True)) ** 0.5
    assert distance == pytest.approx(100)
    assert closeup.position[2] > closeup.focal_point[2]
    with pytest.raises(KeyError):
        viewpoint_for_sensor(scene, "nope")


# -- gauges ---------------------------------------------------------------------------------


def test_key_sensors_put_levels_with_thresholds_first(scene):
    sensors, missing = key_sensors(scene, 5)
    assert [s.id for s in sensors] == ["WL-1", "RG-1"] and missing == []
    sensors, missing = key_sensors(scene, 5, ["RG-1", "XX"])
    assert [s.id for s in sensors] == ["RG-1"] and missing == ["XX"]


def test_trend_of_readings_before_the_clock():
    times = [T0 + timedelta(minutes=10 * k) for k in range(7)]
    rising = [3.0 + 0.1 * k for k in range(7)]  # 0.6 m/h
    assert trend(times, rising, times[-1], timedelta(minutes=30), 0.05) == ("rising",
                                                                          pytest.approx(0.6))
    flat = [3.0] * 7
    assert trend(times, flat, times[-1], timedelta(hours=1), 0.05)[0] == "steady"
    falling = list(reversed(rising))
    assert trend(times, falling, times[-1], timedelta(hours=1), 0.05)[0] == "falling"
    assert trend(times, rising, times[0], timedelta(hours=1), 0.05) == (None, None)


def test_gauge_reading_shows_value_trend_and_warning_level(scene):
    live = LiveValues(["WL-1", "RG-1"])
    live.ingest([Reading("WL-1", T0 + timedelta(minutes=10 * k), 4.3 + 0.1 * k, "m")
                 for k in range(5)])
    sensor = next(s for s in scene.sensors if s.id == "WL-1")
    before = gauge_reading(sensor, live, T0 + timedelta(minutes=20))
    assert before.value == pytest.approx(4.5) and before.trend == "rising"
    assert before.level.value == 4.55 and not before.crossed
    assert before.state is DisplayState.NORMAL
    after = gauge_reading(sensor, live, T0 + timedelta(minutes=40))
    assert after.crossed and after.state is DisplayState.WARNING
    empty = gauge_reading(next(s for s in scene.sensors if s.id == "RG-1"), live, T0)
    assert empty.value is None and empty.trend is None and empty.level is None
