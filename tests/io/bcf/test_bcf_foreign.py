"""BCF files from other tools: read into review topics of the Xinchuansha scene.

No BCF file exported by another tool for these works exists, so the two archives in
``data/`` were **written by hand** following buildingSMART's BCF-XML 2.1 and 3.0 documentation,
in the style of a Revit BCF add-in (BCF 2.1: upper-case GUIDs, dates without a zone, status
"Active", Revit element ids, an orthogonal camera, DefaultVisibility="false") and of a
BIMcollab-like tool (BCF 3.0: extensions.xml, comments inside the topic, a perspective camera
with an aspect ratio, a six-plane section box); ``data/README.md`` says the same.  Each is first
validated against the official XSDs, so the import is tested on files that follow the standard.
"""

from __future__ import annotations

import math
from datetime import UTC, datetime

import ifcopenshell
import numpy as np
import pytest

from twin_app.io.bcf import import_scene_bcf, validate_bcf

REVIT_TOPIC = "7e4a9c2b-5d13-4f0a-8b6e-2c9d1a3f4b57"


def _to_map(xinchuansha, point):
    """Model world -> map with the IfcMapConversion formula written out."""
    model = ifcopenshell.open(str(xinchuansha.resolve(xinchuansha.spec.assets[0].file)))
    (c,) = model.by_type("IfcMapConversion")
    angle = math.atan2(c.XAxisOrdinate, c.XAxisAbscissa)
    x, y, z = point
    return np.array([c.Eastings + math.cos(angle) * x - math.sin(angle) * y,
                     c.Northings + math.sin(angle) * x + math.cos(angle) * y,
                     c.OrthogonalHeight + z]), angle


@pytest.mark.parametrize("name", ["revit_style_2_1", "bimcollab_style_3_0"])
def test_the_hand_written_files_follow_the_standard(name, hand_written):
    report = validate_bcf(hand_written(name))
    assert report and report == {member: [] for member in report}, report


def test_revit_style_bcf_2_1(hand_written, xinchuansha, model_ids):
    result = import_scene_bcf(xinchuansha, hand_written("revit_style_2_1"))
    assert (result.version, result.project_name) == ("2.1", "XCS Hub - Structure (Revit)")
    assert result.topics[0].guid == REVIT_TOPIC, "Index orders the topics"
    clash, request = result.topics
    assert clash.title == "Gate leaf 2 clashes with the hoist deck when raised"
    assert (clash.status, clash.priority, clash.topic_type) == ("open", "Critical", "Clash")
    assert clash.labels == ("Structure", "闸门")
    assert clash.created == datetime(2024, 3, 5, 10, 15, tzinfo=UTC), "no zone: UTC"
    assert clash.modified == datetime(2024, 3, 6, 0, 0, tzinfo=UTC)
    assert clash.assigned_to == "li.ming@contractor.example"
    assert clash.description.startswith("2号闸门全开")
    assert [c.text for c in clash.comments] == ["Clash found in the hoist-travel check.",
                                                "请核对启闭行程，工作桥标高不变。"]
    (viewpoint,) = clash.viewpoints
    assert clash.comments[0].viewpoint == viewpoint.guid == "a1b2c3d4-e5f6-4789-abcd-ef0123456789"
    assert viewpoint.snapshot.startswith(b"\x89PNG")
    leaf = model_ids["Gate leaf 2 (30 m)"]
    assert viewpoint.selection == (f"part:xcs_hub:{leaf}",)
    assert clash.pinned_elements == (leaf,)
    # DefaultVisibility="false": everything but the four exceptions is hidden
    visible = {leaf, model_ids["Sluice chamber base slab"], model_ids["Middle pier 1"]}
    hidden = {item.rsplit(":", 1)[-1] for item in viewpoint.hidden}
    assert hidden and not hidden & visible
    assert len(hidden) == len(model_ids) + 8 - len(visible)  # 87 elements + 8 spatial
    assert model_ids["Left edge pier"] in hidden
    assert viewpoint.xray == (), "an opaque colour is not X-ray"
    camera = viewpoint.camera
    expected, angle = _to_map(xinchuansha, (-40.0, -60.0, 10.0))
    assert np.allclose(camera.position, expected, atol=1e-6)
    assert np.allclose(camera.direction, (-math.sin(angle), math.cos(angle), 0.0), atol=1e-9)
    assert (camera.projection, camera.view_height_m) == ("orthogonal", pytest.approx(30.0))
    section = viewpoint.section
    assert section.kind == "plane"
    assert np.allclose(section.origin, _to_map(xinchuansha, (-40.0, 6.0, 0.0))[0], atol=1e-6)
    assert np.allclose(section.normal, (math.sin(angle), -math.cos(angle), 0.0), atol=1e-9)
    assert (viewpoint.scenario, viewpoint.time, viewpoint.visible_layers) == (None, None, None)
    assert (request.status, request.topic_type, request.viewpoints) == ("in_progress",
                                                                       "Request", ())
    assert request.comments[0].text == ""
    assert result.warnings == []


def test_bimcollab_style_bcf_3_0(hand_written, xinchuansha, model_ids):
    result = import_scene_bcf(xinchuansha, hand_written("bimcollab_style_3_0"))
    (topic,) = result.topics
    assert (result.version, result.project_name) == ("3.0", "新川沙泵闸 协同")
    assert (topic.status, topic.priority, topic.labels) == ("in_progress", "Major",
                                                            ("Seepage",))
    (viewpoint,) = topic.viewpoints
    assert topic.comments[0].viewpoint == viewpoint.guid
    assert viewpoint.selection == (f"part:xcs_hub:{model_ids['Pump unit 3']}",)
    assert viewpoint.hidden == ()
    camera = viewpoint.camera
    assert camera.projection == "perspective" and camera.view_angle_deg == 60.0
    expected, _ = _to_map(xinchuansha, (10.0, -40.0, 20.0))
    assert np.allclose(camera.position, expected, atol=1e-6)
    box = viewpoint.section
    assert box.kind == "box"
    corners = np.array([_to_map(xinchuansha, (x, y, z))[0] for x in (30, 50) for y in (-14, 6)
                        for z in (-8, 12)])
    # the model's axes are turned 25 degrees from the map's: the map box holds the model box
    assert np.allclose(box.bounds, [corners[:, 0].min(), corners[:, 0].max(),
                                    corners[:, 1].min(), corners[:, 1].max(), -8.0, 12.0],
                       atol=1e-6)
    assert result.warnings == ["the section box is turned against the map axes: shown as the "
                               "map-aligned box around it"]


def test_unknown_globalids_and_broken_viewpoints_are_reported_not_fatal(hand_written,
                                                                        xinchuansha,
                                                                        tmp_path):
    import zipfile

    source = hand_written("revit_style_2_1")
    target = tmp_path / "broken.bcfzip"
    with zipfile.ZipFile(source) as archive, zipfile.ZipFile(target, "w") as out:
        for info in archive.infolist():
            data = archive.read(info)
            if info.filename.endswith("viewpoint.bcfv"):
                data = data.replace(b"<X>-40</X>", b"<X>west</X>", 1)
            out.writestr(info, data)
    result = import_scene_bcf(xinchuansha, target)
    clash = next(t for t in result.topics if t.guid == REVIT_TOPIC)
    assert clash.viewpoints == ()
    assert any("viewpoint skipped" in w and "numeric X, Y and Z" in w for w in result.warnings)
