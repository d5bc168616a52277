"""The wall's rehearsal tile: the scene's latest rehearsal, looping in 3D, with its figures.

In ``view`` mode the tile draws the water of the wall's
:class:`~twin_app.sim.loop.RehearsalLoop` (the newest rehearsal run of the scene, or one the
remote started) with the same :class:`~twin_app.render.rehearsal_overlay.RehearsalOverlay` the
workstation uses, over the scene seen from the tile's viewpoint, and shows the scenario's name,
the model time, the peak depth and the flooded area in big type.  Without a rehearsal it says so
and how to start one.  ``images`` mode loops an image sequence instead; ``none`` shows a note.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from qtpy.QtCore import Qt, QTimer
from qtpy.QtGui import QPixmap
from qtpy.QtWidgets import QHBoxLayout, QLabel, QSizePolicy, QVBoxLayout, QWidget

from twin_app.core.sensor_state import DisplayState
from twin_app.core.wall_layout import RehearsalTile as RehearsalSpec
from twin_app.qt.timebar import SHANGHAI
from twin_app.qt.wall.theme import fit_font_px
from twin_app.qt.wall.views import ViewTile
from twin_app.render.geometry import SceneGeometry
from twin_app.render.rehearsal_overlay import RehearsalOverlay
from twin_app.render.wall_view import wall_label_size
from twin_app.sim.loop import LoopError, RehearsalLoop
from twin_app.sim.playback import WetSummary

if TYPE_CHECKING:
    from twin_app.qt.wall.window import WallWindow

logger = logging.getLogger(__name__)

IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg")
FIGURE_TEMPLATE = "88.88 km²"
"""The widest value a figure shows: its type is sized so that this fits."""
MIN_COLOUR_LIMIT_M = 0.5
"""The depth colour scale reaches at least this far (metres)."""
FIGURE_SHARE = 0.6
"""Of the big type size, what a figure's value gets (three share the tile's width)."""


class Figure(QWidget):
    """One figure: a caption above a value in big type."""

    def __init__(self, parent: QWidget, colour: str, largest: int) -> None:
        super().__init__(parent)
        self.largest = largest
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        self.caption = QLabel(self)
        self.caption.setProperty("role", "small")
        self.value = QLabel(self)
        self.value.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.colour = colour
        layout.addWidget(self.caption)
        layout.addWidget(self.value)
        self._size = 0

    def fit(self) -> None:
        """Size the value's type so that the widest value fits the figure's width."""
        size = fit_font_px(FIGURE_TEMPLATE, self.width(), 0, self.largest)
        if size != self._size:
            self._size = size
            self.value.setStyleSheet(f"color: {self.colour}; font-size: {size}px; "
                                     "font-weight: bold;")

    def resizeEvent(self, event: object) -> None:
        """Refit the type to the new width."""
        super().resizeEvent(event)
        self.fit()


class RehearsalTile(ViewTile):
    """The latest rehearsal's playback (view mode), an image sequence, or a note."""

    def __init__(self, spec: RehearsalSpec, wall: WallWindow) -> None:
        super().__init__(spec, wall)
        self.overlay_water: RehearsalOverlay | None = None
        theme = wall.layout_spec.theme
        self.name_label = QLabel(self)
        self.name_label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.figures_row = QWidget(self)
        row = QHBoxLayout(self.figures_row)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(wall.sizes.body)
        largest = round(wall.sizes.big * FIGURE_SHARE)
        self.time_figure = Figure(self.figures_row, theme.text, largest)
        self.depth_figure = Figure(self.figures_row, theme.accent, largest)
        self.area_figure = Figure(self.figures_row, theme.warning, largest)
        for figure in (self.time_figure, self.depth_figure, self.area_figure):
            row.addWidget(figure, 1)
        self.note = QLabel(self)
        self.note.setProperty("role", "small")
        self.note.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.note.setWordWrap(True)
        self.image = QLabel(self)
        self.image.setAlignment(Qt.AlignmentFlag.AlignCenter)
        for widget in (self.name_label, self.figures_row):
            self.body_layout.addWidget(widget)
        self.body_layout.addWidget(self.image, 1)
        self.body_layout.addWidget(self.note)
        self.images: list[Path] = []
        self.image_index = 0
        self._timer = QTimer(self)
        self._timer.timeout.connect(self.next_image)
        self.image.setVisible(spec.mode == "images")
        if spec.mode == "images":
            self._find_images()
        self._show_texts()

    @property
    def loop(self) -> RehearsalLoop | None:
        """The wall's rehearsal loop (``None`` before a scene is shown)."""
        return self.wall.rehearsal

    def default_title(self) -> str:
        """Return the title shown when the layout gives none."""
        loop = self.loop
        if self.spec.mode == "view" and loop is not None and loop.state == "running":
            fraction = loop.entry.fraction if loop.entry is not None else 0.0
            return self.tr("Rehearsal running · {percent} %").format(
                percent=f"{100 * fraction:.0f}")
        if self.spec.mode == "view" and loop is not None and loop.state == "looping":
            return self.tr("Rehearsal playback (loop)")
        return self.tr("Rehearsal playback")

    def label_size(self) -> int:
        """Return the font size of the sensor labels (smaller: a secondary view)."""
        return wall_label_size(self.wall.sizes.small)

    def retranslate(self) -> None:
        """Set the texts in the wall's language."""
        super().retranslate()
        self._show_texts()

    # -- the 3D view ----------------------------------------------------------------------------

    def show_geometry(self, geometry: SceneGeometry,
                      alarm_states: Callable[[], dict[str, DisplayState]]) -> None:
        """Draw the scene from the tile's viewpoint, ready for the rehearsal's water."""
        if self.spec.mode != "view":
            return
        super().show_geometry(geometry, alarm_states)
        if self.loop is not None:
            self.overlay_water = RehearsalOverlay(self.view, self.loop.session, self.loop.clock)
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

    def drop_scene(self) -> None:
        """Forget the scene and its water."""
        if self.overlay_water is not None:
            self.overlay_water.clear()
        self.overlay_water = None
        super().drop_scene()

    def show_rehearsal(self) -> None:
        """Draw the loop's frame and show its figures (called when the frame changed)."""
        if self.overlay_water is not None and self._drawable():
            self.overlay_water.colour_limit_m = self._colour_limit()
            self.overlay_water.refresh()
        self._show_texts()

    def _colour_limit(self) -> float:
        """Return the top of the depth scale: the run's deepest flooding, in half metres."""
        maximum = self.loop.run_maximum() if self.loop is not None else None
        deepest = maximum.flooded_peak_m if maximum is not None else 0.0
        return max(MIN_COLOUR_LIMIT_M, math.ceil(deepest * 2) / 2)

    def water_cells(self) -> int:
        """Return the cells of water drawn now (for tests and the status)."""
        layer = self.overlay_water.layer if self.overlay_water is not None else None
        return layer.visible_cells() if layer is not None and layer.actor is not None else 0

    # -- texts ----------------------------------------------------------------------------------

    def _show_texts(self) -> None:
        mode = self.spec.mode
        loop = self.loop
        figures = loop.figures() if loop is not None and mode == "view" else None
        self.figures_row.setVisible(figures is not None)
        self.name_label.setVisible(mode == "view" and loop is not None
                                   and loop.name() is not None)
        if self.spec.title is None:
            self.title_label.setText(self.default_title())
        if mode == "images":
            self.note.setText(self.tr("Image sequence: {count} frames").format(
                count=len(self.images)))
            return
        if mode != "view" or loop is None:
            self.note.setText(self.tr("No rehearsal is shown on this wall"))
            return
        name = loop.name()
        if name is not None:
            self.name_label.setText(name.text(self.wall.language))
        if figures is not None:
            self._show_figures(loop, figures)
        self.note.setText(self._note(loop))

    def _show_figures(self, loop: RehearsalLoop, figures: WetSummary) -> None:
        total_h = loop.source.duration_s / 3600 if loop.source is not None else 0.0
        self.time_figure.caption.setText(self.tr("Model time (of {total} h)").format(
            total=f"{total_h:g}"))
        self.time_figure.value.setText(f"{figures.time_s / 3600:.1f} h")
        self.depth_figure.caption.setText(self.tr("Peak depth"))
        self.depth_figure.value.setText(f"{figures.flooded_peak_m:.2f} m")
        self.area_figure.caption.setText(self.tr("Flooded area"))
        self.area_figure.value.setText(f"{figures.flooded_area_m2 / 1e6:.2f} km²")

    def _note(self, loop: RehearsalLoop) -> str:
        state = loop.state
        if state == "loading":
            return self.tr("Opening the latest rehearsal…")
        if state == "starting":
            return self.tr("Rehearsal started; waiting for its first results…")
        if state in ("running", "looping"):
            shown = loop.shown_time()
            maximum = loop.run_maximum()
            when = f"{shown.astimezone(SHANGHAI):%m-%d %H:%M}" if shown else "-"
            return self.tr("Shows {time} · water that was not there at the start · run "
                           "maximum {depth} m, {area} km²").format(
                time=when, depth=f"{maximum.flooded_peak_m:.2f}" if maximum else "-",
                area=f"{maximum.flooded_area_m2 / 1e6:.2f}" if maximum else "-")
        problem = f" ({loop.problem})" if loop.problem else ""
        if self.wall.remote is None:
            return self.tr("No rehearsal of this scene yet: run one in a workstation's "
                           "rehearsal panel to show it here") + problem
        try:
            scenario = loop.scenario(self.spec.scenario).name.text(self.wall.language)
        except LoopError:
            return self.tr("No rehearsal of this scene yet, and it has no scenario to "
                           "start") + problem
        return self.tr("No rehearsal of this scene yet. The remote can start \"{scenario}\": "
                       "POST /rehearsal/start").format(scenario=scenario) + problem

    # -- images mode ----------------------------------------------------------------------------

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
