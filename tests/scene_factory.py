"""A small valid scene written to a temporary folder, for tests that need one."""

from __future__ import annotations

import os
import shutil
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


REPO = Path(__file__).resolve().parents[1]
XINCHUANSHA_MODEL = REPO / "bim_assets" / "xinchuansha" / "xinchuansha.ifc"

IFC_SCENE = """\
schema_version = 1
id = "ifc_check"
name = {{ zh = "模型检查", en = "Model check" }}
illustrative_note = {{ zh = "示意", en = "illustrative" }}
origin = [{origin_e}, {origin_n}, 0.0]

[crs]
horizontal = "EPSG:4549"

[vertical_datum]
name = {{ zh = "吴淞高程", en = "Wusong datum" }}
to_nhd1985_m = -1.66

[[assets]]
id = "{asset}"
name = {{ zh = "模型", en = "{asset_name}" }}
kind = "ifc"
file = "{file}"
{placing}
"""


def write_ifc_scene(folder: Path, model: Path = XINCHUANSHA_MODEL, *, asset: str = "hub",
                    asset_name: str = "Xinchuansha hub", placement: tuple[float, float] | None
                    = None, origin: tuple[float, float] = (629000.0, 3485700.0),
                    extra: str = "") -> Path:
    """Write a scene of one IFC model and return its folder.

    Models inside the repository (``bim_assets``) are referred to where they are; any other file
    is copied into the scene, since a scene may not point outside itself and the asset folders.
    With ``placement=None`` the model is placed by its own IfcMapConversion.
    """
    folder.mkdir(parents=True, exist_ok=True)
    model = Path(model).resolve()
    if model.is_relative_to(REPO / "bim_assets"):
        file = Path(os.path.relpath(model, folder)).as_posix()
    else:
        (folder / "model").mkdir(exist_ok=True)
        shutil.copyfile(model, folder / "model" / model.name)
        file = f"model/{model.name}"
    placing = ('georeferencing = "ifc"' if placement is None else
               f"placement = {{ easting = {placement[0]}, northing = {placement[1]}, "
               "height = 0.0 }")
    text = IFC_SCENE.format(origin_e=origin[0], origin_n=origin[1], asset=asset,
                            asset_name=asset_name, file=file, placing=placing)
    return write_scene(folder, text + extra).parent


UPSTREAM_WATER = """
[[water_bodies]]
id = "upstream"
name = { zh = "闸上", en = "Upstream" }
sensor = "WL-1"
default_level = 1.0
polygon = [[339800.0, 3484000.0], [340200.0, 3484000.0],
           [340200.0, 3484200.0], [339800.0, 3484200.0]]
"""
"""A water body on the upstream side of MINIMAL_SCENE's sluice, standing at sensor WL-1's level."""
