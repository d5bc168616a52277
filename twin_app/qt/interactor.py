"""The 3D view widget: a pyvistaqt ``QtInteractor`` that draws once per paint.

pyvistaqt's ``render()`` draws the scene at once and also schedules a paint of the
``QOpenGLWidget``, which draws it again: every change costs two frames.  Here ``render()`` only
asks Qt for a paint, and ``paintGL`` draws one frame for however many changes came in the same
turn of the event loop (a data refresh, a label update, a camera move).
"""

from __future__ import annotations

from typing import Any

from pyvistaqt import QtInteractor


class SceneInteractor(QtInteractor):
    """A ``QtInteractor`` whose ``render()`` schedules one frame at the next paint."""

    def __init__(self, parent: Any = None, **kwargs: Any) -> None:
        self.frames = 0
        """Frames drawn so far (paints of the 3D view)."""
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
