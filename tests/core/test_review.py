"""Review viewpoints, topics and their store: capture, apply, events, JSON on disk, camera paths."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import numpy as np
import pytest

from tests.scene_factory import MINIMAL_SCENE, write_scene
from twin_app.core.camera_path import camera_path
from twin_app.core.errors import InputError
from twin_app.core.review import (
    CameraState,
    ReviewBoard,
    ReviewViewpoint,
    Topic,
    ViewSection,
    apply_viewpoint,
    capture_viewpoint,
    global_id_of,
)
from twin_app.core.review_store import ReviewStore, ReviewStoreError, default_review_folder
from twin_app.core.scene_loader import load_scene
from twin_app.core.workspace import SectionState, Workspace

PNG = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10\x00\x00\x00\x09"
       b"\x08\x02\x00\x00\x00rest-of-a-png")
CAMERA = CameraState(position=(339800.0, 3483700.0, 300.0),
                     focal_point=(340000.0, 3484000.0, 0.0), view_angle_deg=35.0)


@pytest.fixture
def workspace(tmp_path):
    document = load_scene(write_scene(tmp_path / "mini", MINIMAL_SCENE))
    space = Workspace()
    space.open(document)
    return space


def test_capture_records_the_workspace_in_map_coordinates(workspace):
    workspace.layer("sensors").visible = False
    workspace.selection = "part:sluice:pier_1"
    workspace.hidden = frozenset({"part:sluice:gate_1"})
    workspace.xray = frozenset({"part:sluice:pier_1"})
    workspace.section = SectionState(kind="box", bounds=(-10, 10, -20, 20, -5, 5))
    workspace.clock.set_time(datetime(2024, 7, 1, 2, 30, tzinfo=UTC))
    viewpoint = capture_viewpoint(workspace, CAMERA, name="闸墩", scenario="surge", snapshot=PNG)
    assert viewpoint.camera == CAMERA
    assert viewpoint.section == ViewSection(kind="box", origin=(340000.0, 3484000.0, 0.0),
                                            bounds=(339990.0, 340010.0, 3483980.0, 3484020.0,
                                                    -5.0, 5.0))
    assert viewpoint.selection == ("part:sluice:pier_1",)
    assert viewpoint.hidden == ("part:sluice:gate_1",)
    assert viewpoint.xray == ("part:sluice:pier_1",)
    assert "sensors" not in viewpoint.visible_layers and "asset:sluice" in viewpoint.visible_layers
    assert viewpoint.time == datetime(2024, 7, 1, 2, 30, tzinfo=UTC)
    assert (viewpoint.scenario, viewpoint.snapshot) == ("surge", PNG)


def test_live_clock_is_not_recorded_and_local_cameras_are_shifted(workspace):
    local = CameraState(position=(-200.0, -300.0, 300.0), focal_point=(0.0, 0.0, 0.0))
    viewpoint = capture_viewpoint(workspace, local, camera_frame="local")
    assert viewpoint.time is None
    assert viewpoint.camera.position == (339800.0, 3483700.0, 300.0)
    assert viewpoint.camera.to_local(_frame(workspace)) == local


def _frame(workspace):
    from twin_app.core.geo import SceneFrame

    return SceneFrame.from_scene(workspace.document.spec)


def test_apply_restores_everything_and_returns_the_camera(workspace):
    section = ViewSection(kind="plane", origin=(340005.0, 3484000.0, 1.0), normal=(0, 1, 0))
    viewpoint = ReviewViewpoint(camera=CAMERA, section=section, visible_layers=("asset:sluice",),
                                selection=("part:sluice:gate_1",), hidden=("sensor:WL-1",),
                                time=datetime(2023, 5, 29, tzinfo=UTC), scenario="surge")
    assert apply_viewpoint(workspace, viewpoint) == CAMERA
    assert [layer.id for layer in workspace.layers if layer.visible] == ["asset:sluice"]
    assert workspace.selection == "part:sluice:gate_1"
    assert workspace.hidden == frozenset({"sensor:WL-1"}) and workspace.xray == frozenset()
    assert workspace.section.origin == (5.0, 0.0, 1.0)
    assert workspace.clock.mode == "history"
    assert workspace.clock.time == datetime(2023, 5, 29, tzinfo=UTC)
    again = capture_viewpoint(workspace, CAMERA, scenario="surge")
    assert again.section == section and again.visible_layers == viewpoint.visible_layers


def test_a_foreign_viewpoint_leaves_layers_and_clock_alone(workspace):
    before = [layer.visible for layer in workspace.layers]
    apply_viewpoint(workspace, ReviewViewpoint(camera=CAMERA))
    assert [layer.visible for layer in workspace.layers] == before
    assert workspace.clock.mode == "live"


def test_capture_needs_an_open_scene():
    with pytest.raises(InputError, match="no scene is open"):
        capture_viewpoint(Workspace(), CAMERA)


def test_topics_emit_events_and_check_their_input():
    topic = Topic(title="2号闸墩裂缝", author="张工")
    seen = []
    topic.events.comments.connect(lambda value: seen.append(len(value)))
    topic.events.status.connect(lambda value: seen.append(value))
    viewpoint = ReviewViewpoint(camera=CAMERA)
    topic.add_viewpoint(viewpoint)
    comment = topic.add_comment("李工", "已复核", viewpoint=viewpoint.guid)
    topic.set_status("in_progress", "李工")
    assert seen == [1, "in_progress"]
    assert comment.viewpoint == viewpoint.guid and topic.modified_author == "李工"
    with pytest.raises(InputError, match="no viewpoint"):
        topic.add_comment("李工", "?", viewpoint="3f2504e0-4f89-41d3-9a0c-0305e82c3301")
    with pytest.raises(InputError, match="unknown topic status"):
        topic.set_status("done", "x")  # type: ignore[arg-type]
    topic.pin(elements=("part:xcs_hub:25g6ziOwXRVw2_fGnwNfud",), point=(1.0, 2.0, 3.0))
    assert topic.pinned_elements == ("25g6ziOwXRVw2_fGnwNfud",)
    with pytest.raises(InputError, match="not IFC GlobalIds"):
        topic.pin(elements=("sensor:WL-1",))
    with pytest.raises(InputError, match="PNG"):
        viewpoint.with_snapshot(b"GIF89a")


def test_global_id_of_item_ids():
    assert global_id_of("part:xcs_hub:25g6ziOwXRVw2_fGnwNfud") == "25g6ziOwXRVw2_fGnwNfud"
    assert global_id_of("part:sluice:pier_1") is None
    assert global_id_of("sensor:WL-1") is None


def test_board_replaces_a_topic_with_the_same_guid_in_place():
    board = ReviewBoard(scene_id="mini")
    first, second = Topic(title="a", author="x"), Topic(title="b", author="x")
    board.add_topic(first)
    board.add_topic(second)
    updated = Topic(guid=first.guid.upper(), title="a2", author="x", status="closed")
    board.add_topic(updated)
    assert [t.title for t in board.topics] == ["a2", "b"]
    assert board.count_by_status() == {"open": 1, "in_progress": 0, "closed": 1}
    board.remove_topic(second.guid)
    with pytest.raises(KeyError, match="no topic"):
        board.topic(second.guid)


def test_store_round_trip_with_snapshots(tmp_path):
    store = ReviewStore("mini", tmp_path / "reviews")
    board = store.load()
    assert board.topics == ()
    topic = Topic(title="渗漏 seepage", author="张工", labels=("4D",), priority="High")
    shot = ReviewViewpoint(camera=CAMERA, time=datetime(2024, 1, 1, tzinfo=UTC)
                           ).with_snapshot(PNG)
    topic.add_viewpoint(shot)
    topic.add_comment("李工", "需要复测")
    board.add_topic(topic)
    board.add_viewpoint(ReviewViewpoint(camera=CAMERA, name="tour 1").with_snapshot(PNG))
    store.save(board)
    data = json.loads(store.board_file.read_text(encoding="utf-8"))
    assert data["format"] == "twin_app.review" and "snapshot" not in json.dumps(data)
    assert sorted(p.name for p in (store.folder / "snapshots").iterdir()) == sorted(
        [f"{shot.guid}.png", f"{board.viewpoints[0].guid}.png"])
    loaded = store.load()
    assert loaded.topics[0].model_dump() == topic.model_dump()
    assert loaded.topics[0].viewpoints[0].snapshot == PNG
    assert loaded.viewpoints[0].snapshot == PNG
    board.viewpoints = ()
    store.save(board)
    assert len(list((store.folder / "snapshots").iterdir())) == 1


def test_store_refuses_other_files(tmp_path):
    store = ReviewStore("mini", tmp_path)
    store.board_file.write_text("{", encoding="utf-8")
    with pytest.raises(ReviewStoreError, match="cannot be read"):
        store.load()
    store.board_file.write_text(json.dumps({"format": "twin_app.review", "version": 1,
                                            "scene_id": "other"}), encoding="utf-8")
    with pytest.raises(ReviewStoreError, match="belongs to scene 'other'"):
        store.load()
    with pytest.raises(ReviewStoreError, match="the board is of scene"):
        store.save(ReviewBoard(scene_id="other"))


def test_default_folder_is_in_the_user_data_folder(monkeypatch, tmp_path):
    monkeypatch.delenv("TWIN_APP_DATA", raising=False)  # the suite's isolation, not the default
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    assert default_review_folder("xinchuansha") == tmp_path / "twin_app" / "reviews" / \
        "xinchuansha"


def test_camera_path_starts_and_ends_at_the_stops_and_moves_evenly():
    stops = [CAMERA,
             CameraState(position=(340300.0, 3483700.0, 200.0), focal_point=(340000.0,
                         3484000.0, 0.0), view_angle_deg=45.0),
             CameraState(position=(340300.0, 3484300.0, 100.0), focal_point=(340100.0,
                         3484100.0, 5.0), view_angle_deg=30.0)]
    frames = camera_path(stops, 61)
    assert len(frames) == 61
    assert frames[0] == stops[0]
    assert np.allclose(frames[-1].position, stops[-1].position)
    assert frames[-1].view_angle_deg == pytest.approx(30.0)
    steps = np.linalg.norm(np.diff([f.position for f in frames], axis=0), axis=1)
    assert steps.max() < 8 * np.median(steps), "no jumps along the path"
    assert all(np.isclose(np.linalg.norm(f.up), 1.0) for f in frames)
    assert camera_path([CAMERA], 3) == [CAMERA] * 3
    with pytest.raises(InputError, match="at least one viewpoint"):
        camera_path([], 3)
