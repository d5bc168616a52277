"""The wall's 3D tiles: the scene the tour drives, and the rehearsal playback tile.

Each tile owns one ``QtInteractor`` for the wall's whole life (a scene switch clears and refills
it; making new interactors would leave Qt timers and GL contexts behind, which matters on a wall
that runs for days).  The rehearsal tile is a placeholder until rehearsal results play on the
wall: it shows the scene from a second viewpoint (sharing the meshes, so gates and water move in
both), an image sequence, or a note that no rehearsal is running.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from qtpy.QtCore import Qt, QTimer
from qtpy.QtGui import QPixmap
from qtpy.QtWidgets import QLabel

from twin_app.core.scene import ViewpointSpec
from twin_app.core.sensor_state import DisplayState
from twin_app.core.wall_layout import RehearsalTile as RehearsalSpec
from twin_app.core.wall_layout import SceneTile as SceneSpec
from twin_app.qt.interactor import SceneInteractor
from twin_app.qt.wall.tiles import Tile
from twin_app.render.geometry import SceneGeometry
from twin_app.render.live_overlay import LiveOverlay
from twin_app.render.wall_view import WallSceneView, wall_label_size

if TYPE_CHECKING:
    from twin_app.qt.wall.window import WallWindow

logger = logging.getLogger(__name__)

IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg")


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


class RehearsalTile(ViewTile):
    """Placeholder for the rehearsal's playback: a second view, images, or a note."""

    def __init__(self, spec: RehearsalSpec, wall: WallWindow) -> None:
        super().__init__(spec, wall)
        self.note = QLabel(self)
        self.note.setProperty("role", "small")
        self.note.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.note.setWordWrap(True)
        self.image = QLabel(self)
        self.image.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.body_layout.addWidget(self.image, 1)
        self.body_layout.addWidget(self.note)
        self.images: list[Path] = []
        self.image_index = 0
        self._timer = QTimer(self)
        self._timer.timeout.connect(self.next_image)
        self.image.setVisible(spec.mode == "images")
        if spec.mode == "images":
            self._find_images()

    def default_title(self) -> str:
        """Return the title shown when the layout gives none."""
        return self.tr("Rehearsal playback")

    def label_size(self) -> int:
        """Return the font size of the sensor labels (smaller: a secondary view)."""
        return wall_label_size(self.wall.sizes.small)

    def retranslate(self) -> None:
        """Set the texts in the wall's language."""
        super().retranslate()
        mode = self.spec.mode
        if mode == "view":
            text = self.tr("No rehearsal is running; second view: {viewpoint}").format(
                viewpoint=self.viewpoint_name())
        elif mode == "images":
            text = self.tr("Image sequence: {count} frames").format(count=len(self.images))
        else:
            text = self.tr("No rehearsal is running")
        self.note.setText(text)

    def show_geometry(self, geometry: SceneGeometry,
                      alarm_states: Callable[[], dict[str, DisplayState]]) -> None:
        """Draw the scene from the tile's viewpoint (view mode only)."""
        if self.spec.mode != "view":
            return
        super().show_geometry(geometry, alarm_states)
        spec = geometry.document.spec
        wanted = self.spec.viewpoint
        ids = [v.id for v in spec.viewpoints]
        if wanted and wanted not in ids:
            self.wall.report(self.tr("The rehearsal tile's viewpoint {id} is not in this "
                                     "scene").format(id=wanted))
            wanted = None
        chosen = spec.viewpoint(wanted) if wanted else (spec.viewpoints[-1]
                                                        if spec.viewpoints else None)
        self.show_viewpoint(chosen)

    def _find_images(self) -> None:
        pattern = self.spec.images
        folder = self.wall.layout_spec.folder
        self.images = sorted(p for p in folder.glob(pattern)
                             if p.suffix.lower() in IMAGE_SUFFIXES) if pattern else []
        if not self.images:
            self.wall.report(self.tr("The rehearsal tile found no images for {pattern}").format(
                pattern=pattern or "-"))
            return
        self._timer.start(round(1000 / self.spec.fps))
        self.next_image()

    def next_image(self) -> None:
        """Show the next image of the sequence (looping), scaled to the tile."""
        if not self.images or not self.isVisible():
            return
        path = self.images[self.image_index % len(self.images)]
        self.image_index = (self.image_index + 1) % len(self.images)
        pixmap = QPixmap(str(path))
        if pixmap.isNull():
            logger.warning("rehearsal image %s cannot be read", path)
            return
        self.image.setPixmap(pixmap.scaled(self.image.size(), Qt.AspectRatioMode.KeepAspectRatio,
                                           Qt.TransformationMode.SmoothTransformation))
