"""Tables, manifests and units: what a plugin declares is validated with useful messages."""

import pytest

from twin_app.sim.manifest import ManifestError, read_manifest
from twin_app.sim.sdk import GridInfo
from twin_app.sim.tables import ParamInfo, Tables, VarInfo
from twin_app.sim.units import UnitsError, convert, same_units

GOOD = """\
schema_version = 1
id = "demo"
version = "1.0"
name = { zh = "演示", en = "Demo" }
model = "demo.model:Demo"

[[variables]]
name = "surface_water__depth"
units = "m"
intent = "out"
doc = "Depth"
"""


def test_a_manifest_reads_and_a_bad_one_names_file_and_line(tmp_path):
    path = tmp_path / "m.toml"
    path.write_text(GOOD, encoding="utf-8")
    manifest = read_manifest(path)
    assert manifest.inline_tables.variable("surface_water__depth").location == "node"
    path.write_text(GOOD.replace('intent = "out"', 'intent = "sideways"'), encoding="utf-8")
    with pytest.raises(ManifestError, match=r"m\.toml:10: \[variables\[0\]\.intent\]"):
        read_manifest(path)
    path.write_text(GOOD.replace('model = "demo.model:Demo"', 'model = "demo.model"'),
                    encoding="utf-8")
    with pytest.raises(ManifestError, match=r"m\.toml:5"):
        read_manifest(path)
    path.write_text('tables = "demo.model:TABLES"\n' + GOOD, encoding="utf-8")
    with pytest.raises(ManifestError, match="either 'tables'"):
        read_manifest(path)


def test_parameter_rows_check_kinds_bounds_and_choices():
    level = ParamInfo(name="level_m", units="m", default=3.0, min=-5, max=10, doc="Level")
    assert level.check(4) is None
    assert "above the maximum 10 m" in level.check(11.0)
    assert "must be a number" in level.check("high")
    assert "must be a number" in level.check(True)
    mode = ParamInfo(name="mode", default="fast", choices=["fast", "exact"], doc="Mode")
    assert "'slow' is not one of" in mode.check("slow")
    with pytest.raises(ValueError, match="default 20 m is above the maximum"):
        ParamInfo(name="x", units="m", default=20, max=10, doc="X")


def test_tables_refuse_names_declared_twice():
    row = VarInfo(name="a", units="m", intent="out", doc="A")
    with pytest.raises(ValueError, match="a declared twice"):
        Tables(variables=[row, row])
    with pytest.raises(KeyError, match="no variable 'b'; the model has: a"):
        Tables(variables=[row]).variable("b")


def test_units_convert_between_spellings_and_scales():
    assert same_units("m3/s", "m3 s-1")
    assert convert(36.0, "mm/h", "m s-1") == pytest.approx(1e-5)
    assert convert(1500.0, "L/s", "m3 s-1") == pytest.approx(1.5)
    assert convert(90.0, "min", "h") == pytest.approx(1.5)
    with pytest.raises(UnitsError, match="cannot be converted"):
        convert(1.0, "m", "s")
    with pytest.raises(UnitsError, match="unknown unit 'furlong'"):
        convert(1.0, "furlong", "m")


def test_grid_nodes_and_points():
    grid = GridInfo(shape=(3, 4), spacing=(5.0, 10.0), origin=(100.0, 200.0))
    assert grid.x().tolist() == [200.0, 210.0, 220.0, 230.0]
    assert grid.y().tolist() == [100.0, 105.0, 110.0]
    assert grid.node_of(221.0, 109.0) == (2, 2)
    assert grid.node_of(0.0, 0.0) is None
    assert grid.face_shape == (2, 3)
