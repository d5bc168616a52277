"""Export a fly-through or a frame-by-frame playback of a scene to MP4 (off-screen, imageio).

Frames are rendered off-screen (VTK's EGL path when there is no display) and piped to FFmpeg
through ``imageio`` with the encoder binary that the ``imageio-ffmpeg`` wheel carries: H.264
(libx264), ``yuv420p`` so that every player opens it.  That pixel format needs even sizes, so an
odd width or height is rounded up by one pixel.

- :func:`export_flythrough`: a camera path through viewpoints (:func:`~twin_app.core.camera_path.
  camera_path`), e.g. the scene's named viewpoints or a review's saved views.
- :func:`export_frames`: any per-frame change (a rehearsal playback: set the clock, the water
  level, the gate positions) through a callback that receives the frame number and the view.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from twin_app.core.camera_path import camera_path
from twin_app.core.errors import InputError
from twin_app.core.progress import Feedback
from twin_app.core.review import CameraState
from twin_app.core.scene_loader import SceneDocument
from twin_app.core.workspace import Workspace
from twin_app.render.geometry import SceneGeometry, build_scene_geometry
from twin_app.render.review_camera import move_camera
from twin_app.render.view import SceneView, add_scene_title, offscreen_plotter

logger = logging.getLogger(__name__)

FrameCallback = Callable[[int, SceneView], None]


@dataclass(frozen=True)
class VideoReport:
    """What was written and how long it took (seconds)."""

    path: Path
    frames: int
    size: tuple[int, int]
    fps: float
    render_s: float
    total_s: float

    @property
    def ms_per_frame(self) -> float:
        """Mean render-and-encode time of one frame, in milliseconds."""
        return 1000.0 * self.render_s / max(self.frames, 1)


def even_size(size: tuple[int, int]) -> tuple[int, int]:
    """Round a frame size up to even numbers (H.264 in yuv420p needs them)."""
    width, height = size
    if width < 16 or height < 16:
        raise InputError(f"video size {width}x{height} is too small", hint="use at least 16x16")
    return width + width % 2, height + height % 2


def _writer(out: Path, fps: float, quality: float) -> object:
    import imageio.v2 as imageio

    if out.suffix.lower() != ".mp4":
        raise InputError(f"{out} must end in .mp4")
    if not out.parent.is_dir():
        raise InputError(f"folder {out.parent} does not exist", hint="create it first")
    return imageio.get_writer(str(out), format="FFMPEG", mode="I", fps=fps, codec="libx264",
                              quality=quality, pixelformat="yuv420p", macro_block_size=2,
                              ffmpeg_log_level="error")


def record(view: SceneView, out: Path, n_frames: int, on_frame: FrameCallback, *,
           fps: float = 25.0, quality: float = 7.0,
           feedback: Feedback | None = None) -> VideoReport:
    """Render ``n_frames`` of ``view`` into an MP4, calling ``on_frame(k, view)`` before each.

    Parameters
    ----------
    view : SceneView
        An off-screen view (its plotter's window size is the video size; make it even).
    out : Path
        The ``.mp4`` to write.
    n_frames : int
        Number of frames.
    on_frame : callable
        Changes the scene for frame ``k`` (camera, clock, water level...).
    fps : float
        Frames per second.
    quality : float
        imageio's 0-10 quality scale (10 best).
    feedback : Feedback, optional
        Progress and cancellation (a cancelled export deletes the partial file).
    """
    if n_frames < 1:
        raise InputError(f"a video needs at least one frame, not {n_frames}")
    started = time.perf_counter()
    writer = _writer(out, fps, quality)
    try:
        for k in range(n_frames):
            if feedback is not None:
                feedback.step(k / n_frames, f"frame {k + 1} of {n_frames}")
            on_frame(k, view)
            view.plotter.render()
            image = np.asarray(view.plotter.screenshot(return_img=True))[:, :, :3]
            writer.append_data(np.ascontiguousarray(image))  # type: ignore[attr-defined]
    except BaseException:
        writer.close()  # type: ignore[attr-defined]
        out.unlink(missing_ok=True)
        raise
    writer.close()  # type: ignore[attr-defined]
    elapsed = time.perf_counter() - started
    height, width = image.shape[:2]
    logger.info("wrote %s: %d frames %dx%d at %g fps in %.1f s", out, n_frames, width, height,
                fps, elapsed)
    return VideoReport(path=out, frames=n_frames, size=(width, height), fps=fps,
                       render_s=elapsed, total_s=elapsed)


def export_frames(document: SceneDocument, out: Path, n_frames: int, on_frame: FrameCallback,
                  *, size: tuple[int, int] = (1280, 720), fps: float = 25.0,
                  language: str = "zh_CN", geometry: SceneGeometry | None = None,
                  workspace: Workspace | None = None, title: bool = True,
                  feedback: Feedback | None = None) -> VideoReport:
    """Render a scene off-screen frame by frame through ``on_frame`` into an MP4.

    ``workspace`` (a fresh one on ``document`` by default) is what the view follows, so a
    callback that sets ``workspace.clock`` or ``workspace.hidden`` changes the picture; the
    callback gets the :class:`SceneView` for everything else (water levels, gate positions).
    """
    started = time.perf_counter()
    width, height = even_size(size)
    geometry = geometry or build_scene_geometry(document)
    if workspace is None:
        workspace = Workspace(language=language)
        workspace.open(document)
    plotter = offscreen_plotter(width, height)
    try:
        view = SceneView(plotter, geometry, workspace)
        if title:
            spec = document.spec
            add_scene_title(plotter, spec.name.text(language), spec.name.en)
        report = record(view, out, n_frames, on_frame, fps=fps, feedback=feedback)
    finally:
        plotter.close()
    return VideoReport(path=report.path, frames=report.frames, size=report.size, fps=fps,
                       render_s=report.render_s, total_s=time.perf_counter() - started)


def export_flythrough(document: SceneDocument, stops: Sequence[CameraState], out: Path, *,
                      seconds: float = 10.0, fps: float = 25.0,
                      size: tuple[int, int] = (1280, 720), language: str = "zh_CN",
                      geometry: SceneGeometry | None = None,
                      feedback: Feedback | None = None) -> VideoReport:
    """Fly through ``stops`` (map-coordinate cameras) in ``seconds`` and write an MP4."""
    if seconds <= 0:
        raise InputError(f"a video of {seconds} s is not possible", hint="give seconds > 0")
    n_frames = max(1, round(seconds * fps))
    path = camera_path(stops, n_frames)

    def fly(k: int, view: SceneView) -> None:
        move_camera(view, path[k])
        view.update_labels()

    return export_frames(document, out, n_frames, fly, size=size, fps=fps, language=language,
                         geometry=geometry, feedback=feedback)
