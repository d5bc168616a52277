"""A small valid scene written to a temporary folder, for tests that need one."""

from __future__ import annotations

from pathlib import Path

MINIMAL_SCENE = """\
schema_version = 1
id = "mini"
name = { zh = "测试场景", en = "Test scene" }
illustrative_note = { zh = "全部为示意数据。", en = "Everything here is illustrative." }
origin = [340000.0, 3484000.0, 0.0]
default_viewpoint = "overview"

[crs]
horizontal = "EPSG:4549"

[vertical_datum]
name = { zh = "吴淞高程", en = "Wusong datum" }
to_nhd1985_m = -1.66
note = "unverified"

[display]
water_level = 2.5

[[assets]]
id = "sluice"
name = { zh = "水闸", en = "Sluice" }
kind = "placeholder"
placement = { easting = 340000.0, northing = 3484000.0, height = 0.0, rotation_deg = 0.0 }
parts = [
  { id = "pier_1", name = { zh = "闸墩1", en = "Pier 1" }, ifc_class = "IfcColumn", center = [0.0, 0.0, 2.0], size = [2.0, 20.0, 10.0], color = "#a0a0a0" },
  { id = "gate_1", name = { zh = "闸门1", en = "Gate 1" }, ifc_class = "IfcElement", role = "gate_leaf", center = [8.0, 0.0, 2.0], size = [14.0, 1.0, 8.0], color = "#3060a0" },
]

[[sensors]]
id = "WL-1"
kind = "water_level"
name = { zh = "闸上水位", en = "Upstream level" }
position = [340010.0, 3484030.0, 3.0]
unit = "m"

[[sensors.thresholds]]
id = "warning"
name = { zh = "警戒水位", en = "Warning level" }
value = 4.55
source = "illustrative"

[[sensors]]
id = "RG-1"
kind = "rainfall"
name = { zh = "雨量站", en = "Rain gauge" }
position = [339950.0, 3483950.0, 4.0]
unit = "mm"

[[scenarios]]
id = "surge"
name = { zh = "风暴潮", en = "Storm surge" }
plugin = "twin_flood"
duration_h = 24

[[viewpoints]]
id = "overview"
name = { zh = "全景", en = "Overview" }
position = [339800.0, 3483700.0, 300.0]
focal_point = [340000.0, 3484000.0, 0.0]
"""

TOP_DOWN_VIEWPOINT = """
[[viewpoints]]
id = "top"
name = { zh = "俯视", en = "Top" }
position = [340000.0, 3484000.0, 400.0]
focal_point = [340000.0, 3484000.0, 0.0]
up = [0.0, 1.0, 0.0]
"""
"""A viewpoint looking straight down on the scene's origin, north up."""


def write_scene(folder: Path, text: str = MINIMAL_SCENE) -> Path:
    """Write ``text`` as ``folder/scene.toml`` and return the file."""
    folder.mkdir(parents=True, exist_ok=True)
    file = folder / "scene.toml"
    file.write_text(text, encoding="utf-8")
    return file
