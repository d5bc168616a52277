"""The 3D view widget: a pyvistaqt ``QtInteractor`` that draws once per paint.

pyvistaqt's ``render()`` draws the scene at once and also schedules a paint of the
``QOpenGLWidget``, which draws it again: every change costs two frames.  Here ``render()`` only
asks Qt for a paint, and ``paintGL`` draws one frame for however many changes came in the same
turn of the event loop (a data refresh, a label update, a camera move).

Anti-aliasing follows the OpenGL renderer found at the first paint: 8x multisampling on a GPU,
FXAA (one cheap screen-space pass) on a software renderer such as Mesa's llvmpipe, where 8x
multisampling made each frame of the Xinchuansha view 2 to 3 times slower on the reference
machine (2 cores, no GPU).  ``TWIN_APP_ANTI_ALIASING`` = ``msaa``, ``fxaa`` or ``none``
overrides the choice.
"""

from __future__ import annotations

import logging
import os
from typing import Any

from pyvistaqt import QtInteractor

logger = logging.getLogger(__name__)

ANTI_ALIASING_ENV = "TWIN_APP_ANTI_ALIASING"
MODES = ("auto", "msaa", "fxaa", "none")
GPU_MULTI_SAMPLES = 8
SOFTWARE_RENDERERS = ("llvmpipe", "softpipe", "swrast", "swiftshader", "basic render")
"""Substrings of the OpenGL renderer string of software rasterisers (lower case)."""


def renderer_string(capabilities: str) -> str:
    """Return the "OpenGL renderer string" line of VTK's ``ReportCapabilities()`` text."""
    for line in capabilities.splitlines():
        if "renderer string" in line.lower():
            return line.split(":", 1)[-1].strip()
    return ""


def choose_anti_aliasing(renderer: str, requested: str | None = None) -> str:
    """Return ``msaa``, ``fxaa`` or ``none`` for an OpenGL renderer string.

    Parameters
    ----------
    renderer : str
        The OpenGL renderer string, e.g. ``llvmpipe (LLVM 15.0.6, 256 bits)``.
    requested : str, optional
        ``auto`` (the default) or a mode to use whatever the renderer is.

    Raises
    ------
    ValueError
        ``requested`` is not one of :data:`MODES` (the message lists them).
    """
    requested = (requested or "auto").strip().lower()
    if requested not in MODES:
        raise ValueError(f"{ANTI_ALIASING_ENV}={requested!r} is not one of {', '.join(MODES)}; "
                         "unset it or pick one of those")
    if requested != "auto":
        return requested
    software = any(name in renderer.lower() for name in SOFTWARE_RENDERERS)
    return "fxaa" if software or not renderer else "msaa"


class SceneInteractor(QtInteractor):
    """A ``QtInteractor`` whose ``render()`` schedules one frame at the next paint."""

    def __init__(self, parent: Any = None, **kwargs: Any) -> None:
        self.frames = 0
        """Frames drawn so far (paints of the 3D view)."""
        self.anti_aliasing: str | None = None
        """``msaa``, ``fxaa`` or ``none`` once the first frame found the OpenGL renderer."""
        kwargs.setdefault("multi_samples", 0)  # chosen at the first paint
        super().__init__(parent, auto_update=False, **kwargs)

    def render(self) -> None:
        """Ask for a frame at the next paint (never draws here)."""
        if getattr(self, "_closed", False):
            return
        self._rendered = True
        self.update()

    def paintGL(self) -> None:
        """Draw the frame."""
        self.frames += 1
        super().paintGL()
        if self.anti_aliasing is None:
            self._apply_anti_aliasing()

    def _apply_anti_aliasing(self) -> None:
        renderer = renderer_string(self.ren_win.ReportCapabilities())
        try:
            mode = choose_anti_aliasing(renderer, os.environ.get(ANTI_ALIASING_ENV))
        except ValueError as exc:
            logger.warning("%s; using the automatic choice", exc)
            mode = choose_anti_aliasing(renderer)
        self.anti_aliasing = mode
        if mode == "msaa":
            self.ren_win.SetMultiSamples(GPU_MULTI_SAMPLES)
        elif mode == "fxaa":
            self.renderer.enable_anti_aliasing("fxaa")
        logger.info("3D view: OpenGL renderer %r, anti-aliasing %s", renderer or "unknown", mode)
        if mode != "none":
            self.update()  # the first frame was drawn without it
