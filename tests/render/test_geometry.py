import numpy as np
import pytest

from twin_app.core.geo import HeightDatum, SceneFrame
from twin_app.core.scene import AssetSpec
from twin_app.render.geometry import ITEM_INDEX, placeholder_asset_layer

FRAME = SceneFrame("EPSG:4549", (1000.0, 2000.0, 0.0), HeightDatum("吴淞高程", "Wusong", -1.66))


def _asset(part_rotation: float, asset_rotation: float) -> AssetSpec:
    return AssetSpec.model_validate({
        "id": "wall", "name": {"zh": "墙", "en": "Wall"}, "kind": "placeholder",
        "placement": {"easting": 1100.0, "northing": 2050.0, "height": 1.0,
                      "rotation_deg": asset_rotation},
        "parts": [
            {"id": "a", "name": {"zh": "甲", "en": "A"}, "ifc_class": "IfcWall",
             "center": [10.0, 0.0, 2.0], "size": [20.0, 2.0, 4.0], "rotation_deg": part_rotation},
            {"id": "b", "name": {"zh": "乙", "en": "B"}, "ifc_class": "IfcWall",
             "center": [-10.0, 0.0, 2.0], "size": [2.0, 2.0, 4.0]},
        ],
    })


def test_boxes_are_placed_in_the_local_frame_with_one_item_per_part():
    layer = placeholder_asset_layer(_asset(0.0, 0.0), FRAME)
    assert layer.items == ["part:wall:a", "part:wall:b"]
    part_a = layer.mesh.extract_cells(np.flatnonzero(layer.mesh.cell_data[ITEM_INDEX] == 0))
    # placement (1100, 2050, 1) minus origin (1000, 2000, 0), plus the part centre (10, 0, 2)
    assert part_a.bounds == pytest.approx((100.0, 120.0, 49.0, 51.0, 1.0, 5.0))


def test_part_rotation_turns_the_box_about_its_centre_then_the_asset_turns():
    layer = placeholder_asset_layer(_asset(90.0, 0.0), FRAME)
    part_a = layer.mesh.extract_cells(np.flatnonzero(layer.mesh.cell_data[ITEM_INDEX] == 0))
    assert part_a.bounds == pytest.approx((109.0, 111.0, 40.0, 60.0, 1.0, 5.0))
    turned = placeholder_asset_layer(_asset(0.0, 90.0), FRAME)
    part_a = turned.mesh.extract_cells(np.flatnonzero(turned.mesh.cell_data[ITEM_INDEX] == 0))
    # the asset turns about its placement point: the part's centre (10, 0) goes to (0, 10)
    assert part_a.bounds == pytest.approx((99.0, 101.0, 50.0, 70.0, 1.0, 5.0))
