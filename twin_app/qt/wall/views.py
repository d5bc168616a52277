"""The wall's 3D tiles: the view every 3D tile shares, and the scene the tour drives.

Each tile owns one ``QtInteractor`` for the wall's whole life (a scene switch clears and refills
it; making new interactors would leave Qt timers and GL contexts behind, which matters on a wall
that runs for days).  The rehearsal tile (:mod:`twin_app.qt.wall.rehearsal`) is a second view of
the scene (sharing the meshes, so gates and water move in both) with the rehearsal's water.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING

from twin_app.core.scene import ViewpointSpec
from twin_app.core.sensor_state import DisplayState
from twin_app.core.wall_layout import SceneTile as SceneSpec
from twin_app.qt.interactor import SceneInteractor
from twin_app.qt.wall.tiles import Tile
from twin_app.render.geometry import SceneGeometry
from twin_app.render.live_overlay import LiveOverlay
from twin_app.render.wall_view import WallSceneView, wall_label_size

if TYPE_CHECKING:
    from twin_app.qt.wall.window import WallWindow

logger = logging.getLogger(__name__)


class ViewTile(Tile):
    """A tile with a 3D view of the open scene."""

    def __init__(self, spec: object, wall: WallWindow) -> None:
        super().__init__(spec, wall)
        self.plotter: SceneInteractor | None = None
        if getattr(spec, "mode", "view") == "view":
            self.plotter = SceneInteractor(self)
            self.plotter.setObjectName(f"plotter_{spec.kind}")
            self.body_layout.addWidget(self.plotter.interactor, 1)
        self.view: WallSceneView | None = None
        self.overlay: LiveOverlay | None = None
        self.viewpoint: ViewpointSpec | None = None

    def show_geometry(self, geometry: SceneGeometry,
                      alarm_states: Callable[[], dict[str, DisplayState]]) -> None:
        """Draw a newly opened scene (dropping the previous one)."""
        self.drop_scene()
        if self.plotter is None:
            return
        workspace = self.wall.workspace
        self.view = WallSceneView(self.plotter, geometry, workspace,
                                  label_font_size=self.label_size())
        self.overlay = LiveOverlay(self.view, workspace.live, workspace.clock, alarm_states)

    def label_size(self) -> int:
        """Return the font size of the sensor labels in this tile."""
        return wall_label_size(self.wall.sizes.body)

    def drop_scene(self) -> None:
        """Forget the scene shown (before another opens, or on close)."""
        if self.view is not None:
            self.view.disconnect()
        self.view = None
        self.overlay = None
        if self.plotter is not None:
            self.plotter.clear()

    def _drawable(self) -> bool:
        """Whether the 3D view may be touched now: a scene is shown and none is loading.

        While a scene loads, its geometry is built with VTK in a worker thread; VTK calls on the
        GUI thread then (a render, a camera move) can deadlock on VTK's global garbage-collector
        lock against the worker holding Python's GIL.  The wall touches no VTK meanwhile.
        """
        return self.view is not None and not self.wall.loading

    def freeze(self, frozen: bool) -> None:
        """Stop (or resume) painting the 3D view, e.g. while a scene loads."""
        if self.plotter is not None:
            self.plotter.setUpdatesEnabled(not frozen)

    def show_viewpoint(self, viewpoint: ViewpointSpec | None) -> None:
        """Move the camera to ``viewpoint`` (``None``: the whole scene) and draw."""
        if not self._drawable():
            return
        self.viewpoint = viewpoint
        self.view.apply_viewpoint(viewpoint)
        self.view.update_labels()
        self.retranslate()
        self.render()

    def refresh_values(self) -> None:
        """Put the values at the clock's time on the model and draw."""
        if self.overlay is not None and self._drawable():
            self.overlay.refresh()

    def render(self) -> None:
        """Draw a frame (at the next paint)."""
        if self.plotter is not None and self._drawable():
            self.plotter.render()

    @property
    def frames(self) -> int:
        """Frames the 3D view has drawn."""
        return self.plotter.frames if self.plotter is not None else 0

    def viewpoint_name(self) -> str:
        """Return the shown viewpoint's name in the wall's language."""
        if self.viewpoint is None:
            return self.tr("Whole scene")
        return self.viewpoint.name.text(self.wall.language)

    def close_view(self) -> None:
        """Release the 3D view for good (the wall is closing)."""
        self.drop_scene()
        if self.plotter is not None:
            self.plotter.close()


class SceneTile(ViewTile):
    """The main 3D view; the tour and alarm jumps move its camera."""

    def __init__(self, spec: SceneSpec, wall: WallWindow) -> None:
        super().__init__(spec, wall)

    def default_title(self) -> str:
        """Return the title shown when the layout gives none."""
        return self.tr("3D scene · {viewpoint}").format(viewpoint=self.viewpoint_name())

    def highlight(self, item: str | None) -> None:
        """Outline an item (an alarmed sensor) or clear the outline."""
        if self._drawable():
            self.view.highlight(item)
