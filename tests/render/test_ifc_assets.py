"""An IFC model placed in a scene by its own IfcMapConversion lands where the work is."""

from pathlib import Path

import numpy as np
from pyproj import Transformer

from tests.scene_factory import write_scene
from twin_app.core.scene_loader import load_scene
from twin_app.render.geometry import ITEM_INDEX, build_scene_geometry

REPO = Path(__file__).resolve().parents[2]
MODEL = REPO / "bim_assets" / "xinchuansha" / "xinchuansha.ifc"
XCS_LON, XCS_LAT = 121.357708, 31.486419  # the old Xinchuansha sluice (reference/projects.md)

SCENE = """\
schema_version = 1
id = "ifc_check"
name = {{ zh = "模型检查", en = "Model check" }}
illustrative_note = {{ zh = "示意", en = "illustrative" }}
origin = [629000.0, 3485700.0, 0.0]

[crs]
horizontal = "EPSG:4549"

[vertical_datum]
name = {{ zh = "吴淞高程", en = "Wusong datum" }}
to_nhd1985_m = -1.66

[[assets]]
id = "hub"
name = {{ zh = "新川沙泵闸", en = "Xinchuansha hub" }}
kind = "ifc"
file = "{file}"
georeferencing = "ifc"
"""


def test_ifc_model_is_batched_pickable_and_at_its_true_place(tmp_path):
    folder = tmp_path / "scene"
    folder.mkdir()
    relative = Path("..") / Path(*([".."] * (len(folder.parts) - 1))) / MODEL.relative_to("/")
    document = load_scene(write_scene(folder, SCENE.format(file=relative.as_posix())))
    geometry = build_scene_geometry(document)
    layer = geometry.layer("asset:hub")
    model = geometry.models["hub"]
    assert layer.mesh.n_cells == model.counts().triangles
    assert len(layer.items) == len({int(e) for e in model.instances.element})
    assert set(np.unique(layer.mesh.cell_data[ITEM_INDEX])) == set(range(len(layer.items)))
    easting, northing = Transformer.from_crs("EPSG:4490", "EPSG:4549",
                                             always_xy=True).transform(XCS_LON, XCS_LAT)
    xmin, xmax, ymin, ymax, zmin, zmax = layer.mesh.bounds
    centre = np.array([(xmin + xmax) / 2, (ymin + ymax) / 2]) + np.array([629000.0, 3485700.0])
    assert np.hypot(*(centre - [easting, northing])) < 300.0
    assert zmin < -3.26 < zmax  # foundations and piles reach below the published sill
    assert 5.0 < zmax < 25.0  # superstructure tops, in the Wusong datum, not millimetres
