"""The 3D view widget: a pyvistaqt ``QtInteractor`` that draws once per paint.

pyvistaqt's ``render()`` draws the scene at once and also schedules a paint of the
``QOpenGLWidget``, which draws it again: every change costs two frames.  Here ``render()`` only
asks Qt for a paint, and ``paintGL`` draws one frame for however many changes came in the same
turn of the event loop (a data refresh, a label update, a camera move).

The same holds for the mouse: VTK's interactor styles call the interactor's ``Render()``, which
drew the frame at once and scheduled a paint that drew it again (pyvistaqt's ``paintGL`` always
renders), so every orbit step cost two frames.  Here the interactor's own rendering is off
outside paints and its ``RenderEvent`` asks for a paint instead, as VTK's C++
``QVTKOpenGLNativeWidget`` does.

Anti-aliasing follows the OpenGL renderer found at the first paint: 8x multisampling on a GPU,
FXAA (one cheap screen-space pass) on a software renderer such as Mesa's llvmpipe, where 8x
multisampling made each frame of the Xinchuansha view 2 to 3 times slower on the reference
machine (2 cores, no GPU).  ``TWIN_APP_ANTI_ALIASING`` = ``msaa``, ``fxaa`` or ``none``
overrides the choice.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable
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
        self._painting = False
        self.before_paint: list[Callable[[], object]] = []
        """Called at the start of each paint, before the frame is drawn: a last chance to bring
        what is shown up to date (changes made here go into this frame, no new one is asked)."""
        super().__init__(parent, auto_update=False, **kwargs)
        interactor = self.ren_win.GetInteractor()
        interactor.EnableRenderOff()  # an interaction asks for a paint (see the module doc)
        tag = interactor.AddObserver("RenderEvent", self._on_interactor_render)
        observers = getattr(self, "_vtk_observers", None)
        if observers is not None:  # removed with pyvistaqt's own when the widget closes
            observers.append((interactor, tag))

    def _on_interactor_render(self, *_: object) -> None:
        if not self._painting:
            self.update()

    def render(self) -> None:
        """Ask for a frame at the next paint (never draws here)."""
        if getattr(self, "_closed", False) or self._painting:
            return  # during a paint the frame being drawn shows the change
        self._rendered = True
        self.update()

    def paintGL(self) -> None:
        """Draw the frame."""
        self.frames += 1
        window = self.__dict__.get("_RenderWindow")  # None once the widget closed
        interactor = window.GetInteractor() if window is not None else None
        self._painting = True
        if interactor is not None:
            interactor.EnableRenderOn()  # pyvistaqt's paintGL renders through the interactor
        try:
            for hook in list(self.before_paint):
                try:
                    hook()
                except Exception:  # a failing hook must not leave the view blank
                    logger.exception("a before-paint hook of the 3D view failed")
            super().paintGL()
        finally:
            if interactor is not None:
                interactor.EnableRenderOff()
            self._painting = False
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
