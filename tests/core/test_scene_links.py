"""Sensors drive elements and water bodies: the links are checked on load and in the scenes."""

import pytest
from shapely.geometry import Point, Polygon

from tests.scene_factory import MINIMAL_SCENE, write_scene
from twin_app.core.errors import SceneFileError
from twin_app.core.scene import SensorKind
from twin_app.core.scene_loader import load_scene

BODY = """
[[water_bodies]]
id = "up"
name = { zh = "闸上", en = "Upstream" }
sensor = "%s"
polygon = [[0.0, 0.0], [1.0, 0.0], [1.0, 1.0]]
"""


def test_water_body_needs_a_water_level_sensor(tmp_path):
    file = write_scene(tmp_path / "a", MINIMAL_SCENE + BODY % "RG-1")
    with pytest.raises(SceneFileError, match="water body 'up' needs a water_level sensor"):
        load_scene(file)


def test_sensor_element_must_be_a_part_of_its_asset(tmp_path):
    link = 'unit = "m"\nasset = "sluice"\nelement = "gate_9"\n'
    text = MINIMAL_SCENE.replace('unit = "m"\n', link)
    with pytest.raises(SceneFileError, match="asset 'sluice' has no element 'gate_9'"):
        load_scene(write_scene(tmp_path / "b", text))
    text = MINIMAL_SCENE.replace('unit = "m"\n', 'unit = "m"\nelement = "gate_1"\n')
    with pytest.raises(SceneFileError, match="names element 'gate_1' but no 'asset'"):
        load_scene(write_scene(tmp_path / "c", text))


@pytest.mark.parametrize("scene", ["xinchuansha", "huangpu", "suzhou_west_gate"])
def test_each_gauge_stands_in_its_own_water_body_and_bodies_do_not_overlap(scene):
    spec = load_scene(scene).spec
    sensors = {s.id: s for s in spec.sensors}
    polygons = {body.id: Polygon(body.polygon) for body in spec.water_bodies}
    assert len(polygons) >= 2
    for body in spec.water_bodies:
        gauge = sensors[body.sensor]
        assert polygons[body.id].contains(Point(gauge.position[:2])), body.id
        for other_id, other in polygons.items():
            if other_id != body.id:
                assert not other.contains(Point(gauge.position[:2])), (body.id, other_id)
                assert polygons[body.id].intersection(other).area < 1.0


@pytest.mark.parametrize("scene", ["xinchuansha", "huangpu", "suzhou_west_gate"])
def test_gate_and_pump_sensors_drive_their_elements(scene):
    """Every gate-opening and pump sensor drives exactly one element of the scene's IFC model."""
    import ifcopenshell

    from twin_app.io.ifc.operations import read_operations

    document = load_scene(scene)
    spec = document.spec
    driving = {s.id: s for s in spec.sensors
               if s.kind in (SensorKind.GATE_OPENING, SensorKind.PUMP_STATE)}
    assert driving
    operations = []
    for asset in spec.assets:
        assert asset.kind == "ifc"
        operations += read_operations(ifcopenshell.open(str(document.resolve(asset.file))))
    by_sensor = {}
    for operation in operations:
        by_sensor.setdefault(operation.sensor_id, []).append(operation)
    for sensor_id, sensor in driving.items():
        (operation,) = by_sensor[sensor_id]
        expected = "translate" if sensor.kind is SensorKind.GATE_OPENING else "state"
        assert operation.behaviour == expected


