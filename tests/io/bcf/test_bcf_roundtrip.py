"""BCF 2.1 and 3.0 written by the app: valid against buildingSMART's XSDs, and read back whole.

Every XML member of every archive written here is validated with ``validate_bcf`` (xmlschema,
the unmodified XSDs in ../shared/schemas/bcf/<version>).  Cameras are checked against the model's
world coordinates computed here from the IfcMapConversion formula, not with the code under test.
"""

from __future__ import annotations

import math
import xml.etree.ElementTree as ET
import zipfile
from datetime import UTC, datetime

import ifcopenshell
import numpy as np
import pytest

from tests.io.bcf.conftest import png_bytes
from twin_app.core.review import CameraState, ReviewViewpoint, Topic, ViewSection
from twin_app.io.bcf import (
    BcfReadError,
    export_scene_bcf,
    import_scene_bcf,
    schema_folder,
    validate_bcf,
)
from twin_app.io.bcf.validate import validate_xml

VERSIONS = ("2.1", "3.0")
CAMERA = CameraState(position=(628760.2, 3485562.1, 120.0),
                     focal_point=(629009.58, 3485703.82, 2.0), view_angle_deg=30.0)


def _topics(ids: dict[str, str]) -> list[Topic]:
    pier, slab, leaf = ids["Left edge pier"], ids["Sluice chamber base slab"], \
        ids["Gate leaf 2 (30 m)"]
    main = ReviewViewpoint(
        name="闸室 sluice", camera=CAMERA,
        section=ViewSection(kind="box", bounds=(628950.0, 629070.0, 3485650.0, 3485760.0,
                                                -20.0, 25.0)),
        visible_layers=("terrain", "asset:xcs_hub"), selection=(f"part:xcs_hub:{leaf}",),
        hidden=(f"part:xcs_hub:{slab}",), xray=(f"part:xcs_hub:{pier}",),
        time=datetime(2024, 7, 1, 2, 0, tzinfo=UTC), scenario="typhoon").with_snapshot(
            png_bytes(160, 90))
    side = ReviewViewpoint(
        camera=CameraState(position=(629009.0, 3485600.0, 10.0),
                           focal_point=(629009.0, 3485700.0, 10.0), projection="orthogonal",
                           view_height_m=40.0),
        section=ViewSection(kind="plane", origin=(629000.0, 3485700.0, 0.0),
                            normal=(0.0, -1.0, 0.0)))
    first = Topic(title="2号闸门与工作桥碰撞 Gate 2 clash", author="张工",
                  description="启门 12 m 时碰撞", priority="High", labels=("闸门", "Structure"),
                  assigned_to="李工", due_date=datetime(2024, 7, 15, tzinfo=UTC),
                  viewpoints=(main, side), pinned_elements=(leaf,),
                  pinned_point=(629000.0, 3485710.0, 7.2))
    first.add_comment("李工", "已复核启闭行程", viewpoint=main.guid)
    first.set_status("in_progress", "李工")
    second = Topic(title="No view, closed", author="王工", status="closed", topic_type="Request")
    second.add_comment("王工", "")
    return [first, second]


@pytest.fixture
def topics(model_ids):
    return _topics(model_ids)


@pytest.mark.parametrize("version", VERSIONS)
def test_written_files_validate_against_the_official_xsds(version, topics, xinchuansha,
                                                          tmp_path):
    out = export_scene_bcf(xinchuansha, topics, tmp_path / f"review_{version}.bcf",
                           version=version)
    report = validate_bcf(out)
    assert schema_folder(version).parts[-4:] == ("shared", "schemas", "bcf", version)
    expected = {"bcf.version", "project.bcfp", "markup.bcf", "viewpoint.bcfv"}
    if version == "3.0":
        expected.add("extensions.xml")
    assert {name.rsplit("/", 1)[-1] for name in report} >= expected
    assert sum(name.endswith(".bcfv") for name in report) == 2
    assert report == {name: [] for name in report}, report


@pytest.mark.parametrize("version", VERSIONS)
def test_archive_layout_follows_the_standard(version, topics, xinchuansha, tmp_path):
    out = export_scene_bcf(xinchuansha, topics, tmp_path / "review.bcfzip", version=version)
    with zipfile.ZipFile(out) as archive:
        names = archive.namelist()
        folder = topics[0].guid.lower()
        assert f"{folder}/" in names, "folder entries in the central directory"
        assert {f"{folder}/markup.bcf", f"{folder}/viewpoint.bcfv", f"{folder}/snapshot.png",
                f"{folder}/twin_app_state.json"} <= set(names)
        assert not any("\\" in name for name in names)
        version_root = ET.fromstring(archive.read("bcf.version"))
        assert version_root.get("VersionId") == version
        markup = ET.fromstring(archive.read(f"{folder}/markup.bcf"))
    labels = [e.text for e in markup.iter() if e.tag in ("Label", "Labels") and e.text]
    assert "twin:scenario=typhoon" in labels and "twin:time=2024-07-01T02:00:00Z" in labels
    snippet = markup.find("Topic/BimSnippet")
    assert snippet.get("SnippetType") == "TwinAppViewState"


def _model_point(xinchuansha, point):
    """Map -> model world coordinates with the IfcMapConversion formula written out."""
    model = ifcopenshell.open(str(xinchuansha.resolve(xinchuansha.spec.assets[0].file)))
    (conversion,) = model.by_type("IfcMapConversion")
    angle = math.atan2(conversion.XAxisOrdinate, conversion.XAxisAbscissa)
    dx, dy = point[0] - conversion.Eastings, point[1] - conversion.Northings
    return np.array([math.cos(angle) * dx + math.sin(angle) * dy,
                     -math.sin(angle) * dx + math.cos(angle) * dy,
                     point[2] - conversion.OrthogonalHeight]), angle


@pytest.mark.parametrize("version", VERSIONS)
def test_camera_is_in_the_models_world_coordinates(version, topics, xinchuansha, tmp_path):
    out = export_scene_bcf(xinchuansha, topics, tmp_path / "r.bcf", version=version)
    with zipfile.ZipFile(out) as archive:
        root = ET.fromstring(archive.read(f"{topics[0].guid}/viewpoint.bcfv"))
    camera = root.find("PerspectiveCamera")

    def xyz(tag):
        element = camera.find(tag)
        return np.array([float(element.findtext(a)) for a in "XYZ"])

    expected, angle = _model_point(xinchuansha, CAMERA.position)
    assert np.allclose(xyz("CameraViewPoint"), expected, atol=1e-6)
    assert np.linalg.norm(xyz("CameraViewPoint")[:2]) < 1000, "not map or shifted coordinates"
    direction = np.subtract(CAMERA.focal_point, CAMERA.position)
    direction /= np.linalg.norm(direction)
    turned = [math.cos(angle) * direction[0] + math.sin(angle) * direction[1],
              -math.sin(angle) * direction[0] + math.cos(angle) * direction[1], direction[2]]
    assert np.allclose(xyz("CameraDirection"), turned, atol=1e-9)
    fov = float(camera.findtext("FieldOfView"))
    assert fov == (45.0 if version == "2.1" else 30.0)  # 2.1's XSD allows 45-60 only
    if version == "3.0":
        assert float(camera.findtext("AspectRatio")) == pytest.approx(160 / 90)
    planes = root.findall("ClippingPlanes/ClippingPlane")
    assert len(planes) == 6


@pytest.mark.parametrize("version", VERSIONS)
def test_round_trip_gives_back_every_topic(version, topics, xinchuansha, tmp_path):
    out = export_scene_bcf(xinchuansha, topics, tmp_path / "r.bcf", version=version)
    result = import_scene_bcf(xinchuansha, out)
    assert result.warnings == []
    assert result.version == version and result.project_id == "twin_app:xinchuansha"
    assert [t.model_dump() for t in result.topics] == [t.model_dump() for t in topics]
    for got, sent in zip(result.topics[0].viewpoints, topics[0].viewpoints, strict=True):
        assert got.snapshot == sent.snapshot


def _without_snippets(source, target):
    with zipfile.ZipFile(source) as archive, zipfile.ZipFile(target, "w") as out:
        for info in archive.infolist():
            if not info.filename.endswith("twin_app_state.json"):
                out.writestr(info, archive.read(info))
    return target


@pytest.mark.parametrize("version", VERSIONS)
def test_what_survives_a_tool_that_drops_the_snippet(version, topics, xinchuansha, tmp_path):
    out = export_scene_bcf(xinchuansha, topics, tmp_path / "r.bcf", version=version)
    result = import_scene_bcf(xinchuansha, _without_snippets(out, tmp_path / "stripped.bcf"))
    topic, sent = result.topics[0], topics[0]
    main = topic.viewpoints[0]
    assert (main.scenario, main.time) == ("typhoon", datetime(2024, 7, 1, 2, 0, tzinfo=UTC))
    assert topic.labels == sent.labels and topic.status == "in_progress"
    assert np.allclose(main.camera.position, CAMERA.position, atol=1e-6)
    assert np.allclose(main.camera.direction, CAMERA.direction, atol=1e-9)
    assert main.camera.view_angle_deg == (45.0 if version == "2.1" else 30.0)
    assert main.section.kind == "box"
    assert np.allclose(main.section.bounds, sent.viewpoints[0].section.bounds, atol=1e-6)
    assert main.hidden == sent.viewpoints[0].hidden and main.xray == sent.viewpoints[0].xray
    assert set(topic.pinned_elements) == {sent.pinned_elements[0]}
    side = topic.viewpoints[1]
    assert side.camera.projection == "orthogonal"
    assert side.camera.view_height_m == pytest.approx(40.0)
    assert side.section.kind == "plane"
    assert np.allclose(side.section.normal, (0.0, -1.0, 0.0), atol=1e-9)
    assert main.visible_layers is None, "layers are the app's own: unknown without the snippet"


def test_the_validator_finds_problems(tmp_path):
    bad = b'<?xml version="1.0"?><Markup><Topic Guid="nope"><Title>x</Title></Topic></Markup>'
    problems = validate_xml(bad, "markup.xsd", "3.0")
    assert any("Guid" in p for p in problems)
    assert any("TopicType" in p or "CreationDate" in p for p in problems)
    assert validate_xml(b"<not xml", "markup.xsd", "2.1")


def test_a_file_that_is_not_bcf_is_refused(xinchuansha, tmp_path):
    path = tmp_path / "x.bcf"
    path.write_bytes(b"PK not really")
    with pytest.raises(BcfReadError, match="not a BCF archive"):
        import_scene_bcf(xinchuansha, path)
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("readme.txt", "hello")
    with pytest.raises(BcfReadError, match=r"no bcf\.version"):
        import_scene_bcf(xinchuansha, path)


def test_bcf_3_documents_are_attached_and_listed(topics, xinchuansha, tmp_path, caplog):
    report = b"%PDF-1.4 meeting report"
    out = export_scene_bcf(xinchuansha, topics, tmp_path / "with_docs.bcf", version="3.0",
                           documents={"meeting.pdf": report})
    assert not any(validate_bcf(out).values())
    with zipfile.ZipFile(out) as archive:
        listing = ET.fromstring(archive.read("documents.xml"))
        (document,) = listing.findall("Documents/Document")
        assert document.findtext("Filename") == "meeting.pdf"
        assert archive.read(f"Documents/{document.get('Guid')}") == report
    out21 = export_scene_bcf(xinchuansha, topics, tmp_path / "v21.bcf", version="2.1",
                             documents={"meeting.pdf": report})
    with zipfile.ZipFile(out21) as archive:
        assert not any(name.startswith("Documents/") for name in archive.namelist())
    assert "BCF 2.1 has no project documents" in caplog.text
