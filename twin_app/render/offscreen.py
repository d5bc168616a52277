"""Render a scene to a PNG with no display (VTK's EGL/OSMesa off-screen path)."""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from pathlib import Path

from twin_app.core.progress import Feedback
from twin_app.core.scene_loader import SceneDocument
from twin_app.core.workspace import Workspace
from twin_app.render.geometry import build_scene_geometry
from twin_app.render.view import SceneView, add_scene_title, offscreen_plotter

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class RenderReport:
    """Timings of one off-screen render, in seconds."""

    build_s: float
    render_s: float
    path: Path


def render_scene_png(
    document: SceneDocument,
    out: Path,
    size: tuple[int, int] = (1920, 1080),
    viewpoint: str | None = None,
    language: str = "en",
    feedback: Feedback | None = None,
) -> RenderReport:
    """Render ``document`` from a viewpoint and write a PNG.

    Parameters
    ----------
    document : SceneDocument
        The scene.
    out : Path
        The PNG to write (its folder must exist).
    size : tuple of int
        Width and height in pixels.
    viewpoint : str, optional
        A viewpoint id; the scene's default viewpoint if omitted.
    language : str
        Language of labels and title.
    feedback : Feedback, optional
        Progress and cancellation of the geometry build.

    Raises
    ------
    KeyError
        If ``viewpoint`` names no viewpoint of the scene.
    """
    spec = document.spec
    chosen = spec.viewpoint(viewpoint)
    started = time.perf_counter()
    geometry = build_scene_geometry(document, feedback=feedback)
    built = time.perf_counter()
    workspace = Workspace(language=language)
    workspace.open(document)
    plotter = offscreen_plotter(*size)
    try:
        view = SceneView(plotter, geometry, workspace)
        view.apply_viewpoint(chosen)
        add_scene_title(plotter, spec.name.text(language), spec.name.en)
        plotter.screenshot(str(out), return_img=False)
    finally:
        plotter.close()
    finished = time.perf_counter()
    logger.info("rendered %s to %s in %.2f s", spec.id, out, finished - started)
    return RenderReport(build_s=built - started, render_s=finished - built, path=out)
