"""Off-screen rendering through VTK's EGL path: images are checked pixel by pixel."""

import contextlib

import numpy as np
import pytest
import pyvista as pv
from PIL import Image

from tests.scene_factory import MINIMAL_SCENE, TOP_DOWN_VIEWPOINT, write_scene
from twin_app.core.scene_loader import load_scene
from twin_app.core.workspace import Workspace
from twin_app.render.fonts import find_cjk_font
from twin_app.render.geometry import build_scene_geometry
from twin_app.render.offscreen import render_scene_png
from twin_app.render.view import SceneView

pytestmark = pytest.mark.needs_rendering



def _top_down_scene(tmp_path):
    text = MINIMAL_SCENE.replace('color = "#3060a0"', 'color = "#e00000"')
    text = text.replace("size = [14.0, 1.0, 8.0]", "size = [40.0, 40.0, 8.0]")
    text = text.replace("center = [8.0, 0.0, 2.0]", "center = [0.0, 0.0, 8.0]")
    return load_scene(write_scene(tmp_path / "top", text + TOP_DOWN_VIEWPOINT))


def test_render_writes_png_with_expected_colours_in_expected_places(tmp_path):
    document = _top_down_scene(tmp_path)
    out = tmp_path / "top.png"
    report = render_scene_png(document, out, size=(640, 480), viewpoint="top", language="en")
    assert report.path == out
    image = np.asarray(Image.open(out).convert("RGB")).astype(int)
    assert image.shape == (480, 640, 3)
    assert image.std() > 10, "image is blank"
    centre = image[230:250, 310:330].reshape(-1, 3).mean(axis=0)
    assert centre[0] > 120 and centre[0] > 2 * centre[1] and centre[0] > 2 * centre[2], centre
    corner = image[420:470, 560:630].reshape(-1, 3).mean(axis=0)
    assert corner[2] > corner[0] + 30, f"expected water blue at the corner, got {corner}"


def test_unknown_viewpoint_is_refused(tmp_path):
    document = _top_down_scene(tmp_path)
    with pytest.raises(KeyError, match=r"no viewpoint 'nadir'.*available: overview, top"):
        render_scene_png(document, tmp_path / "x.png", size=(64, 64), viewpoint="nadir")


@contextlib.contextmanager
def _scene_view(tmp_path, size):
    document = _top_down_scene(tmp_path)
    workspace = Workspace()
    workspace.open(document)
    plotter = pv.Plotter(off_screen=True, window_size=size)
    try:
        yield SceneView(plotter, build_scene_geometry(document), workspace)
    finally:
        plotter.close()


def test_pick_returns_the_element_under_the_pixel(tmp_path):
    with _scene_view(tmp_path, (640, 480)) as view:
        document, plotter = view.geometry.document, view.plotter
        view.apply_viewpoint(document.spec.viewpoint("top"))
        plotter.render()
        hit = view.pick(320, 240)
        assert hit is not None
        assert hit.item == "part:sluice:gate_1"
        np.testing.assert_allclose(hit.local[:2], [0.0, 0.0], atol=3.0)
        assert hit.local[2] == pytest.approx(12.0, abs=0.5)  # top of the 8 m box centred at 8 m
        water_or_nothing = view.pick(20, 20)
        assert water_or_nothing is None or water_or_nothing.item is None


def test_layer_visibility_follows_the_workspace(tmp_path):
    with _scene_view(tmp_path, (320, 240)) as view:
        actor = view.actors["asset:sluice"][0]
        assert actor.GetVisibility()
        view.workspace.layer("asset:sluice").visible = False
        assert not actor.GetVisibility()


def _ink(text: str, font_file: str | None) -> int:
    plotter = pv.Plotter(off_screen=True, window_size=(400, 120))
    try:
        plotter.set_background("black")
        plotter.add_text(text, position=(10, 40), font_size=28, color="white",
                         font_file=font_file)
        image = plotter.screenshot(return_img=True)
    finally:
        plotter.close()
    return int((np.asarray(image)[..., 0] > 128).sum())


def test_chinese_text_renders_with_the_cjk_font():
    font = find_cjk_font()
    assert font is not None, "install fonts-wqy-microhei (make does)"
    with_cjk_font = _ink("新川沙泵闸", str(font))
    latin_reference = _ink("XCS", str(font))
    assert with_cjk_font > latin_reference > 50
