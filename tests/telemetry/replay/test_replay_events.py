"""The shipped recorded events: the tide, the surge, the rain and the operation they show."""

from __future__ import annotations

import itertools
from collections import defaultdict
from datetime import timedelta
from pathlib import Path
from types import ModuleType

import numpy as np
import pytest

from twin_app.core.readings import Reading
from twin_app.core.scene_loader import load_scene
from twin_app.io.timeseries import read_csv, write_csv

SCENES = ("xinchuansha", "huangpu", "suzhou_west_gate")
STEPS = 72 * 12 + 1  # 72 h at 5 min, both ends


def _event(scene_id: str) -> dict[str, np.ndarray]:
    path = load_scene(scene_id).folder / "events" / "typhoon.csv"
    result = read_csv(path, strict=True)
    series: dict[str, list[float]] = defaultdict(list)
    for reading in result.readings:
        series[reading.sensor_id].append(reading.value)
    return {sensor: np.array(values) for sensor, values in series.items()}


def _hours(index: int | np.ndarray) -> float | np.ndarray:
    return np.asarray(index) * 5 / 60


def _noisy_mean_range(level: np.ndarray, half_window: int = 36) -> float:
    """Mean high minus mean low water of a gauge record: extrema of +-3 h windows."""
    highs, lows = [], []
    for i in range(half_window, len(level) - half_window):
        window = level[i - half_window: i + half_window + 1]
        if level[i] == window.max():
            highs.append(level[i])
        elif level[i] == window.min():
            lows.append(level[i])
    return float(np.mean(highs) - np.mean(lows))


@pytest.mark.parametrize("scene_id", SCENES)
def test_every_sensor_has_the_whole_event_in_its_unit(scene_id: str) -> None:
    document = load_scene(scene_id)
    path = document.folder / "events" / "typhoon.csv"
    assert path.stat().st_size < 3_000_000
    assert (path.parent / "README.md").read_text().count("illustrative") >= 1
    readings = read_csv(path, strict=True).readings
    by_sensor: dict[str, list[Reading]] = defaultdict(list)
    for reading in readings:
        by_sensor[reading.sensor_id].append(reading)
    assert set(by_sensor) == {sensor.id for sensor in document.spec.sensors}
    for sensor in document.spec.sensors:
        series = by_sensor[sensor.id]
        assert len(series) == STEPS
        assert {r.unit for r in series} == {sensor.unit}
        steps = {b.time - a.time for a, b in itertools.pairwise(series)}
        assert steps == {timedelta(minutes=5)}
        assert series[0].time.utcoffset() == timedelta(hours=8)
    assert [r.time for r in readings] == sorted(r.time for r in readings)


@pytest.mark.parametrize(("gauge", "published"), [("wusongkou", 2.23), ("huangpu_park", 1.85)])
def test_the_harmonic_tide_has_the_published_mean_range(make_events: ModuleType, gauge: str,
                                                        published: float) -> None:
    month = np.arange(-15 * 24.0, 15 * 24.0, 1 / 12)
    tide = make_events.astronomical_tide(gauge, month)
    assert make_events.mean_range(tide) == pytest.approx(published, rel=0.10)
    # irregular semi-diurnal: two highs a lunar day, unequal; the flood shorter than the ebb
    day = tide[(month >= 0) & (month < 24.84)]
    rising = np.diff(day) > 0
    highs = day[1:-1][rising[:-1] & ~rising[1:]]
    assert len(highs) == 2
    assert abs(highs[0] - highs[1]) > 0.05
    assert rising.mean() < 0.45


@pytest.mark.parametrize(("scene_id", "gauge", "mean_range", "warning", "band"), [
    ("xinchuansha", "XCS-WL-01", 2.23, 4.80, (5.3, 5.6)),
    ("huangpu", "HPK-WL-01", 1.85, 4.55, (5.2, 5.4)),
])
def test_the_storm_tide_crosses_the_warning_level_into_the_historic_band(
        make_events: ModuleType, scene_id: str, gauge: str, mean_range: float, warning: float,
        band: tuple[float, float]) -> None:
    level = _event(scene_id)[gauge]
    peak = int(np.argmax(level))
    assert band[0] <= level[peak] <= band[1]
    assert abs(_hours(peak) - make_events.PEAK_H) < 1.5
    above = level > warning
    assert not above[: 12 * 36].any(), "the tide alone stays below the warning level"
    crossings = np.flatnonzero(~above[:-1] & above[1:])
    assert len(crossings) >= 1
    assert _hours(crossings[0]) > 40
    # before the surge builds, the recorded tide ranges about the mean range (springs ahead)
    early = _noisy_mean_range(level[: 12 * 25])
    assert 0.9 * mean_range <= early <= 1.25 * mean_range  # measured: 1.08-1.09x


@pytest.mark.parametrize("scene_id", SCENES)
def test_typhoon_rain(scene_id: str) -> None:
    event = _event(scene_id)
    rain = next(values for sensor, values in event.items() if "-RG-" in sensor)
    total_mm = rain.sum() * 5 / 60
    assert 150 <= total_mm <= 400
    assert 25 <= rain.max() <= 50
    assert rain[: 12 * 20].max() == 0.0  # dry before the outer rain bands


def test_xinchuansha_gates_close_before_the_peak_and_pumps_run(make_events: ModuleType) -> None:
    event = _event("xinchuansha")
    peak = int(np.argmax(event["XCS-WL-01"]))
    gates = np.vstack([event[f"XCS-GO-0{k}"] for k in (1, 2, 3)])
    pumps = np.vstack([event[f"XCS-PS-0{k}"] for k in range(1, 6)])
    assert gates[:, : 12 * 36].max() > 3.0, "gates drain on the ebb before the storm"
    last_open = np.flatnonzero(gates.max(axis=0)[:peak] > 0)[-1]
    assert _hours(peak - last_open) >= 6, "gates closed at least 6 h before the peak"
    assert gates[:, peak - 12 * 6: peak + 12 * 3].max() == 0.0
    assert pumps[:, peak].sum() >= 4
    assert set(np.unique(pumps)) <= {0.0, 1.0}
    running = pumps.sum(axis=0)
    flow = event["XCS-PF-01"]
    assert np.all(np.abs(flow - 29.5 * running) <= 1.5 * running + 0.01)
    assert flow.max() < 150.0  # the design flow threshold is not crossed by noise
    assert not (running[gates.max(axis=0) > 0] > 0).any(), "no pumping through open gates"
    inland = event["XCS-WL-02"]
    assert inland.max() < 3.8  # held below the maximum control level
    assert inland[:peak].min() < 2.3  # pre-lowered before the storm


def test_huangpu_mouth_gate_keeps_the_surge_out_of_suzhou_creek() -> None:
    event = _event("huangpu")
    peak = int(np.argmax(event["HPK-WL-01"]))
    assert event["SZK-GO-01"][peak - 12 * 4: peak + 12 * 2].max() == 0.0
    assert event["SZK-GO-01"][: 12 * 6].max() > 0
    assert event["SZK-WL-01"][peak] < 4.2 < event["SZK-WL-02"][peak]


def test_suzhou_west_gate_closes_through_the_storm() -> None:
    event = _event("suzhou_west_gate")
    rain_peak = int(np.argmax(event["SZW-RG-01"]))
    assert event["SZW-GO-01"][rain_peak] == 0.0
    assert event["SZW-GO-01"][0] > 5.0
    assert event["SZW-WL-03"][rain_peak] < 1.0 < event["SZW-WL-03"][0]  # float tank emptied
    assert event["SZW-WL-01"].max() > 3.8  # upstream rises behind the closed gate


@pytest.mark.parametrize(("scene_id", "level", "piezometer"), [
    ("xinchuansha", "XCS-WL-01", "XCS-PZ-03"), ("huangpu", "HPK-WL-01", "HPK-PZ-03")])
def test_piezometers_lag_the_tide_and_settlement_stays_small(scene_id: str, level: str,
                                                             piezometer: str) -> None:
    event = _event(scene_id)
    lag_h = _hours(np.argmax(event[piezometer]) - np.argmax(event[level]))
    assert 0.5 <= lag_h <= 4
    assert np.ptp(event[piezometer]) < np.ptp(event[level])
    for sensor, values in event.items():
        if "-SM-" in sensor:
            assert np.ptp(values) < 2.0, sensor


def test_the_shipped_events_are_what_the_builder_makes(make_events: ModuleType,
                                                       tmp_path: Path) -> None:
    for scene_id in SCENES:
        fresh = tmp_path / f"{scene_id}.csv"
        shipped = load_scene(scene_id).folder / "events" / "typhoon.csv"
        write_csv(fresh, make_events.build_event(scene_id))
        body = [line for line in shipped.read_text().splitlines() if not line.startswith("#")]
        assert fresh.read_text().splitlines() == body, (
            f"{shipped} is stale: run python scenes/make_events.py")
