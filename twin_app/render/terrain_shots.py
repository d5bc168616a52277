"""Off-screen pictures of a scene with its tiled terrain (for review, tests and the docs)."""

from __future__ import annotations

import logging
from pathlib import Path

import numpy as np

from twin_app.core.scene_loader import SceneDocument, load_scene
from twin_app.core.workspace import Workspace
from twin_app.render.geometry import build_scene_geometry
from twin_app.render.terrain_scene import add_tiled_terrain, set_vertical_exaggeration
from twin_app.render.view import SceneView, offscreen_plotter

logger = logging.getLogger(__name__)


def render_terrain_shots(scene: str | SceneDocument, folder: Path,
                         size: tuple[int, int] = (1280, 720),
                         exaggeration: float = 1.0) -> dict[str, Path]:
    """Render a scene's tiled terrain from three cameras and write PNGs.

    ``region`` looks at the work from 12 km out (the context DEM), ``overview`` is the scene's
    default viewpoint and ``closeup`` its second viewpoint (detailed DEM, structures).

    Returns
    -------
    dict of str to Path
        The PNG of each camera (``<scene>_<camera>.png`` in ``folder``).
    """
    document = load_scene(scene) if isinstance(scene, str) else scene
    spec = document.spec
    geometry = build_scene_geometry(document)
    workspace = Workspace(language="en")
    workspace.open(document)
    plotter = offscreen_plotter(*size)
    out: dict[str, Path] = {}
    tiled = None
    try:
        view = SceneView(plotter, geometry, workspace)
        for layer_id in ("labels",):
            for actor in view.actors.get(layer_id, []):
                actor.SetVisibility(False)
        tiled = add_tiled_terrain(view, document)
        if exaggeration != 1.0:
            set_vertical_exaggeration(plotter, exaggeration, view)
        default = spec.viewpoint()
        assert default is not None
        focal = np.asarray(default.focal_point) - np.asarray(spec.origin)
        cameras = {
            "region": (focal + np.array([-9000.0, -11000.0, 7000.0]), focal),
            "overview": (np.asarray(default.position) - spec.origin, focal),
        }
        close = spec.viewpoints[1] if len(spec.viewpoints) > 1 else default
        cameras["closeup"] = (np.asarray(close.position) - spec.origin,
                              np.asarray(close.focal_point) - spec.origin)
        for name, (position, target) in cameras.items():
            camera = plotter.camera
            camera.position = tuple(position * [1, 1, exaggeration])
            camera.focal_point = tuple(target * [1, 1, exaggeration])
            camera.up = (0.0, 0.0, 1.0)
            plotter.camera_set = True
            if tiled is not None:
                tiled.refresh()
            plotter.renderer.ResetCameraClippingRange()
            plotter.render()
            path = Path(folder) / f"{spec.id}_{name}.png"
            plotter.screenshot(str(path), return_img=False)
            logger.info("%s: %s (%d terrain triangles)", name, path,
                        tiled.triangle_count() if tiled else 0)
            out[name] = path
    finally:
        if tiled is not None:
            tiled.close()
        plotter.close()
    return out
