"""Each shipped scene renders off-screen from its default viewpoint into a sensible picture."""

import numpy as np
import pytest
from PIL import Image

from twin_app.core.scene_loader import load_scene
from twin_app.render.offscreen import render_scene_png

pytestmark = pytest.mark.needs_rendering


@pytest.mark.parametrize("scene", ["xinchuansha", "huangpu", "suzhou_west_gate"])
def test_scene_renders_terrain_below_sky(scene, tmp_path):
    out = tmp_path / f"{scene}.png"
    render_scene_png(load_scene(scene), out, size=(960, 540), language="zh_CN")
    image = np.asarray(Image.open(out).convert("RGB")).astype(int)
    assert image.std() > 20
    # The lower half is the ground: terrain greens/browns or water, not the dark background.
    lower = image[300:520, 100:860].reshape(-1, 3)
    background = np.array([0x1C, 0x2A, 0x3A])
    not_background = np.abs(lower - background).sum(axis=1) > 40
    assert not_background.mean() > 0.8, "the default viewpoint does not look at the terrain"
    # Land shows as green-dominant pixels somewhere in the view.
    green = (lower[:, 1] > lower[:, 0] + 5) & (lower[:, 1] > lower[:, 2] - 20)
    assert green.mean() > 0.02, "no land visible"
    # The water plane shows as blue-dominant pixels.
    blue = lower[:, 2] > lower[:, 0] + 30
    assert blue.mean() > 0.02, "no water visible"
