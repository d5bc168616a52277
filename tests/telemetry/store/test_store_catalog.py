"""The sensor catalog: units and physical ranges from the scenes."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.scene_factory import MINIMAL_SCENE, write_scene
from twin_app.core.scene import SENSOR_UNITS, SensorKind
from twin_app.core.scene_loader import available_scenes, load_scene
from twin_app.telemetry.store import DEFAULT_PHYSICAL_RANGES, SensorCatalog, SensorLimits
from twin_app.telemetry.store.errors import StoreConfigError


def test_every_kind_has_a_default_range_in_every_unit():
    expected = {(kind, unit) for kind, units in SENSOR_UNITS.items() for unit in units}
    assert set(DEFAULT_PHYSICAL_RANGES) == expected
    for low, high in DEFAULT_PHYSICAL_RANGES.values():
        assert low < high
    assert DEFAULT_PHYSICAL_RANGES[(SensorKind.WATER_LEVEL, "m")] == (-20.0, 15.0)


@pytest.mark.parametrize("name", sorted(available_scenes()))
def test_every_shipped_scene_gives_a_catalog(name: str):
    scene = load_scene(name).spec
    catalog = SensorCatalog.from_scene(scene)
    assert len(catalog) == len(scene.sensors)
    for sensor in scene.sensors:
        limits = catalog[sensor.id]
        assert (limits.kind, limits.unit) == (sensor.kind, sensor.unit)
        for threshold in sensor.thresholds:  # a warning level must be a possible value
            assert limits.low <= threshold.value <= limits.high, (sensor.id, threshold.id)


def test_ranges_can_be_narrowed_per_sensor(tmp_path: Path):
    scene = load_scene(write_scene(tmp_path, MINIMAL_SCENE)).spec
    catalog = SensorCatalog.from_scene(scene, ranges={"WL-1": (-2.0, 8.0)})
    assert (catalog["WL-1"].low, catalog["WL-1"].high) == (-2.0, 8.0)
    assert catalog.checks["RG-1"] == ("mm", 0.0, 500.0)
    with pytest.raises(StoreConfigError, match="ranges given for sensors no scene has: XX"):
        SensorCatalog.from_scene(scene, ranges={"XX": (0.0, 1.0)})


def test_sensor_ids_must_be_unique_across_scenes(tmp_path: Path):
    scene = load_scene(write_scene(tmp_path, MINIMAL_SCENE)).spec
    with pytest.raises(StoreConfigError, match="'WL-1' appears twice") as raised:
        SensorCatalog.from_scenes([scene, scene])
    assert "rename one" in str(raised.value)


def test_limits_must_be_an_interval_in_a_unit_of_the_kind():
    with pytest.raises(StoreConfigError, match="not a finite interval"):
        SensorLimits("A", SensorKind.WATER_LEVEL, "m", 5.0, 1.0)
    with pytest.raises(StoreConfigError, match="does not fit a rainfall") as raised:
        SensorLimits("A", SensorKind.RAINFALL, "m", 0.0, 1.0)
    assert "'mm'" in str(raised.value)
