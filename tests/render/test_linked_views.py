"""A second view of a scene: the same meshes in another plotter, and one camera for both."""

from __future__ import annotations

import contextlib
from datetime import UTC, datetime, timedelta

import pytest
import pyvista as pv

from tests.scene_factory import MINIMAL_SCENE, UPSTREAM_WATER, write_scene
from twin_app.core.clock import AppClock
from twin_app.core.live import LiveValues
from twin_app.core.readings import Reading
from twin_app.core.scene_loader import load_scene
from twin_app.core.workspace import Workspace
from twin_app.render.geometry import build_scene_geometry
from twin_app.render.linked_views import (
    MIRROR_PREFIX,
    CameraLink,
    SceneMirror,
    camera_pose,
    match_look,
)
from twin_app.render.live_overlay import LiveOverlay
from twin_app.render.view import SceneView

pytestmark = pytest.mark.needs_rendering

T0 = datetime(2024, 9, 16, 6, 0, tzinfo=UTC)


@contextlib.contextmanager
def _two_plotters():
    first = pv.Plotter(off_screen=True, window_size=(320, 240))
    second = pv.Plotter(off_screen=True, window_size=(320, 240))
    try:
        yield first, second
    finally:
        second.close()
        first.close()


def _frames(plotter) -> list[int]:
    """Count the frames a plotter's renderer draws from now on."""
    count = [0]

    def drawn(*_):
        count[0] += 1

    plotter.renderer.AddObserver("EndEvent", drawn)
    return count


def test_the_mirror_draws_the_same_meshes_and_follows_what_changes(tmp_path):
    document = load_scene(write_scene(tmp_path / "scene", MINIMAL_SCENE + UPSTREAM_WATER))
    workspace = Workspace()
    workspace.open(document)
    with _two_plotters() as (first, second):
        view = SceneView(first, build_scene_geometry(document), workspace)
        live = LiveValues([sensor.id for sensor in document.spec.sensors])
        overlay = LiveOverlay(view, live, AppClock(time=T0))
        mirror = SceneMirror(first, second, skip=["sensors"])
        assert mirror.sync()
        three_d = {name for name, actor in first.renderer.actors.items()
                   if isinstance(actor, pv.Actor)}
        assert set(mirror.mirrors) == three_d - {"sensors"}
        assert {"asset:sluice", "water:upstream"} <= set(mirror.mirrors)
        for source, copy in mirror.mirrors.values():
            assert copy.GetMapper() is not source.GetMapper()
            assert copy.GetMapper().GetInputDataObject(0, 0).GetAddressAsString("") == \
                source.GetMapper().GetInputDataObject(0, 0).GetAddressAsString("")
            assert copy.GetProperty() is source.GetProperty()
        assert not mirror.sync()  # nothing changed: nothing to do

        live.ingest([Reading("WL-1", T0 - timedelta(minutes=10), 3.2, "m")])
        overlay.refresh()  # the water surface stands at 3.2 m now
        assert mirror.sync()
        water = view.actors["water:upstream"][0]
        assert mirror.mirrors["water:upstream"][1].GetPosition() == pytest.approx(
            water.GetPosition())

        next(state for state in workspace.layers if state.id == "asset:sluice").visible = False
        assert mirror.sync()
        assert not mirror.mirrors["asset:sluice"][1].GetVisibility()

        first.set_scale(zscale=3.0, reset_camera=False, render=False)
        assert mirror.sync()
        assert list(second.renderer.scale) == [1.0, 1.0, 3.0]
        assert mirror.mirrors["water:upstream"][1].GetScale() == pytest.approx(water.GetScale())

        first.remove_actor("water:upstream", render=False)
        assert mirror.sync()
        assert "water:upstream" not in mirror.mirrors
        assert MIRROR_PREFIX + "water:upstream" not in second.renderer.actors
        mirror.close()
        assert not any(name.startswith(MIRROR_PREFIX) for name in second.renderer.actors)


def test_the_look_is_copied_lights_and_background():
    with _two_plotters() as (first, second):
        first.set_background("#102030", top="#4a6f94")
        first.renderer.remove_all_lights()
        assert second.renderer.GetLights().GetNumberOfItems() > 0
        match_look(first.renderer, second.renderer)
        assert second.renderer.GetLights().GetNumberOfItems() == 0
        assert second.renderer.GetBackground() == pytest.approx(first.renderer.GetBackground())
        assert second.renderer.GetGradientBackground()


def test_linked_views_draw_each_camera_move_once_and_never_ask_back():
    with _two_plotters() as (first, second):
        first.add_mesh(pv.Sphere(), reset_camera=True)
        second.add_mesh(pv.Cube(center=(5.0, 0.0, 0.0)))  # other bounds, other clipping range
        for plotter in (first, second):
            plotter.show(auto_close=False)  # the first frame: render() draws from now on
        link = CameraLink(first, second)
        frames = [_frames(first), _frames(second)]
        assert second.renderer.GetActiveCamera() is first.renderer.GetActiveCamera()

        first.camera.Azimuth(30.0)
        first.render()  # the second view is asked once, draws, and does not ask back
        assert [count[0] for count in frames] == [1, 1]
        assert link.requests == [0, 1]

        second.render()  # a frame without a camera move asks nothing of the other view
        first.render()
        assert [count[0] for count in frames] == [2, 2]
        assert link.requests == [0, 1]

        second.camera.Elevation(20.0)
        second.render()  # a move in the second view is drawn by the first
        assert [count[0] for count in frames] == [3, 3]
        assert link.requests == [1, 1]
        assert camera_pose(first.renderer.GetActiveCamera()) == camera_pose(
            second.renderer.GetActiveCamera())

        link.close()
        assert second.renderer.GetActiveCamera() is not first.renderer.GetActiveCamera()
        assert camera_pose(second.renderer.GetActiveCamera()) == camera_pose(
            first.renderer.GetActiveCamera())
        first.camera.Azimuth(30.0)
        first.render()  # unlinked: the second view is left alone
        assert [count[0] for count in frames] == [4, 3]
