"""An IFC model placed in a scene by its own IfcMapConversion lands where the work is."""


import numpy as np
from pyproj import Transformer

from tests.scene_factory import write_ifc_scene
from twin_app.core.scene_loader import load_scene
from twin_app.render.geometry import ITEM_INDEX, build_scene_geometry

XCS_LON, XCS_LAT = 121.357708, 31.486419  # the old Xinchuansha sluice (reference/projects.md)



def test_ifc_model_is_batched_pickable_and_at_its_true_place(tmp_path):
    document = load_scene(write_ifc_scene(tmp_path / "scene"))
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
