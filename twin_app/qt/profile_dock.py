"""The elevation-profile dock: draw a line on the terrain, see terrain, crests and water level.

Press "Draw line", click points on the terrain in the 3D view (each click adds a vertex; the
camera does not move meanwhile), then "Finish" (or a right click).  The chart shows the ground
along the line, the crests of the structures and wall lines it crosses and the water level,
with the height datum named on the axis.  "Seepage section from this line" asks for the seepage
section along the straight line from the first to the last point (a line drawn across a flood
wall): the section dock derives it (:meth:`twin_app.qt.section_dock.SectionDock.derive_from_line`).
"""

from __future__ import annotations

import itertools
import logging
from typing import Any

import numpy as np
import pyqtgraph as pg
import pyvista as pv
from qtpy.QtCore import QEvent, QObject, Qt, Signal
from qtpy.QtWidgets import (
    QDockWidget,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from twin_app.core.errors import TwinAppError
from twin_app.core.geo import SceneFrame
from twin_app.io.dem import DemRaster, read_dem
from twin_app.io.profile import ElevationProfile, elevation_profile
from twin_app.io.vectors import VectorFeature, read_geojson
from twin_app.render.terrain_pick import terrain_point_at
from twin_app.render.terrain_scene import structure_footprints

logger = logging.getLogger(__name__)

LINE_ACTOR = "profile-line"
DRAPE_SAMPLES = 400
"""Most points drawn on one segment of the line (one a metre on shorter ones)."""


class ProfileDock(QDockWidget):
    """Draws a profile line in a plotter and charts it.

    Parameters
    ----------
    plotter : pyvistaqt.QtInteractor
        The 3D view to draw in.
    parent : QWidget, optional
        The main window.
    """

    profile_ready = Signal(object)
    """Emitted with the :class:`~twin_app.io.profile.ElevationProfile` after each line."""
    section_requested = Signal(object, object)
    """Emitted with the map points (easting, northing) of the line's ends: derive a section."""

    def __init__(self, plotter: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("profileDock")
        self.plotter = plotter
        self.view: Any = None
        self.dem: DemRaster | None = None
        self.frame: SceneFrame | None = None
        self.walls: list[VectorFeature] = []
        self.footprints: list[Any] = []
        self.datum = ""
        self.water_level: float | None = None
        self.points: list[tuple[float, float, float]] = []
        self.profile: ElevationProfile | None = None
        self.drawing = False
        self.draw_button = QPushButton(self)
        self.draw_button.setCheckable(True)
        self.clear_button = QPushButton(self)
        self.section_button = QPushButton(self)
        self.section_button.setObjectName("seepageSectionFromLine")
        self.status = QLabel(self)
        self.plot = pg.PlotWidget()
        self.plot.setBackground("#10202c")
        self.plot.showGrid(x=True, y=True, alpha=0.25)
        self.plot.addLegend(offset=(10, 10))
        self.ground_curve = self.plot.plot([], [], pen=pg.mkPen("#c8a165", width=2))
        self.crest_curve = self.plot.plot([], [], pen=None, symbol="s", symbolSize=7,
                                          symbolBrush="#e0e0e0", connect="pairs")
        self.water_line = pg.InfiniteLine(angle=0, pen=pg.mkPen("#4fc3f7", width=2,
                                                                style=Qt.PenStyle.DashLine))
        self.water_line.setVisible(False)
        self.plot.addItem(self.water_line)
        buttons = QHBoxLayout()
        buttons.addWidget(self.draw_button)
        buttons.addWidget(self.clear_button)
        buttons.addWidget(self.section_button)
        buttons.addWidget(self.status, 1)
        body = QWidget(self)
        layout = QVBoxLayout(body)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(buttons)
        layout.addWidget(self.plot, 1)
        self.setWidget(body)
        self.draw_button.toggled.connect(self.set_drawing)
        self.clear_button.clicked.connect(self.clear)
        self.section_button.clicked.connect(self.request_section)
        self._filter = _ClickFilter(self)
        plotter.interactor.installEventFilter(self._filter)
        self.retranslate()

    # -- scene --------------------------------------------------------------------------------

    def set_view(self, view: Any, water_level: float | None = None) -> None:
        """Follow a shown scene: its terrain, structures, wall lines and datum."""
        self.clear()
        self.view = view
        geometry = view.geometry
        document = geometry.document
        spec = document.spec
        self.frame = geometry.frame
        self.dem = geometry.dem
        if spec.terrain is not None and spec.terrain.detail is not None:
            try:
                self.dem = read_dem(document.resolve(spec.terrain.detail))
            except TwinAppError as error:
                logger.warning("profile uses the analysis DEM: %s", error)
        self.footprints = structure_footprints(document, geometry)
        self.walls = [feature for layer in spec.layers
                      for feature in read_geojson(document.resolve(layer.file),
                                                  spec.crs.horizontal)
                      if "crest_m" in feature.properties]
        self.datum = self.frame.datum.label(getattr(view.workspace, "language", "en"))
        self.water_level = water_level if water_level is not None else spec.display.water_level
        self.retranslate()

    # -- drawing ------------------------------------------------------------------------------

    def set_drawing(self, drawing: bool) -> None:
        """Start (clicks add points) or finish (chart the line) drawing."""
        if drawing and self.dem is None:
            self.status.setText(self.tr("Open a scene with terrain first"))
            self.draw_button.setChecked(False)
            return
        self.drawing = drawing
        if drawing:
            self.points = []
            self._draw_line()
        elif len(self.points) >= 2:
            self.compute()
        self.retranslate()

    def add_screen_point(self, x: float, y: float) -> bool:
        """Add the terrain point under widget pixel (x, y); return whether one was hit."""
        if self.dem is None or self.frame is None:
            return False
        ratio = self.plotter.interactor.devicePixelRatioF()
        height = self.plotter.interactor.height()
        z_scale = getattr(self.view, "exaggeration", 1.0)
        hit = terrain_point_at(self.plotter.renderer, self.dem, self.frame, x * ratio,
                               (height - y) * ratio, z_scale)
        if hit is None:
            self.status.setText(self.tr("No terrain under the cursor"))
            return False
        self.points.append(hit)
        self._draw_line()
        self.retranslate()
        return True

    def add_map_point(self, easting: float, northing: float) -> None:
        """Add a vertex given in map coordinates (scripting and tests)."""
        assert self.dem is not None
        self.points.append((easting, northing, self.dem.height_at(easting, northing)))
        self._draw_line()

    def compute(self) -> ElevationProfile | None:
        """Compute and chart the profile of the drawn line."""
        if self.dem is None or len(self.points) < 2:
            return None
        try:
            profile = elevation_profile(self.dem, [p[:2] for p in self.points], datum=self.datum,
                                        footprints=self.footprints, walls=self.walls,
                                        water_level=self.water_level)
        except TwinAppError as error:
            self.status.setText(error.one_line())
            return None
        self.profile = profile
        self._chart(profile)
        self.profile_ready.emit(profile)
        return profile

    def request_section(self) -> bool:
        """Ask for the seepage section along the drawn line (first to last point).

        Returns whether it was asked for: the line needs two points and drawing must be done.
        """
        if self.drawing or len(self.points) < 2:
            self.status.setText(self.tr("Draw a line across a flood wall first: two clicks on "
                                        "the terrain, from the river to the land"))
            return False
        start, end = self.points[0][:2], self.points[-1][:2]
        self.section_requested.emit(start, end)
        self.status.setText(self.tr("Section asked for: it opens in the seepage section panel"))
        return True

    def clear(self) -> None:
        """Forget the line and empty the chart."""
        self.points = []
        self.profile = None
        self.ground_curve.setData([], [])
        self.crest_curve.setData([], [])
        self.water_line.setVisible(False)
        if LINE_ACTOR in self.plotter.renderer.actors:
            self.plotter.remove_actor(LINE_ACTOR, render=False)
        self.plotter.render()
        self.retranslate()

    def _draped(self) -> np.ndarray:
        """Return the line's vertices with points every metre or so between, on the ground.

        Straight between the clicked points the line would run under a crest or a wall and be
        hidden; draped, it stays 1 m above the ground (or the water shown) all along.
        """
        xyz = np.asarray(self.points, dtype=np.float64)
        parts = []
        for a, b in itertools.pairwise(xyz):
            count = int(np.clip(np.hypot(*(b[:2] - a[:2])), 2, DRAPE_SAMPLES))
            t = np.linspace(0.0, 1.0, count, endpoint=False)[:, None]
            parts.append(a + t * (b - a))
        line = np.vstack([*parts, xyz[-1:]])
        if self.dem is not None:
            ground = self.dem.heights_at(line[:, 0], line[:, 1])
            line[:, 2] = np.where(np.isfinite(ground), ground, line[:, 2])
        if self.water_level is not None:
            line[:, 2] = np.maximum(line[:, 2], self.water_level)
        return line

    def _draw_line(self) -> None:
        if self.frame is None or len(self.points) < 2:
            return
        local = self.frame.map_to_local(self._draped()) + np.array([0.0, 0.0, 1.0])
        line = pv.lines_from_points(local)
        actor = self.plotter.add_mesh(line, name=LINE_ACTOR, color="#ffeb3b", line_width=4,
                                      reset_camera=False, render=False, pickable=False,
                                      lighting=False)
        actor.SetScale(1.0, 1.0, getattr(self.view, "exaggeration", 1.0))
        mapper = actor.GetMapper()  # drawn over a wall or a water surface it crosses
        mapper.SetResolveCoincidentTopologyToPolygonOffset()
        mapper.SetRelativeCoincidentTopologyLineOffsetParameters(0, -20000)
        self.plotter.render()

    def _chart(self, profile: ElevationProfile) -> None:
        self.ground_curve.setData(profile.distance, np.nan_to_num(profile.ground, nan=np.nan),
                                  connect="finite")
        xs, ys = profile.crest_points()
        self.crest_curve.setData(xs, ys)
        if profile.water_level is not None:
            self.water_line.setPos(profile.water_level)
            self.water_line.setVisible(True)
        self.retranslate()

    # -- texts --------------------------------------------------------------------------------

    def retranslate(self) -> None:
        """Set the texts in the current language."""
        self.setWindowTitle(self.tr("Elevation profile"))
        self.draw_button.setText(self.tr("Finish") if self.drawing else self.tr("Draw line"))
        self.clear_button.setText(self.tr("Clear"))
        self.section_button.setText(self.tr("Seepage section from this line"))
        self.section_button.setToolTip(self.tr(
            "Derive the seepage section along the line (first to last point) from the scene's "
            "BIM models, terrain and soil profile, and open it in the seepage section panel"))
        self.section_button.setEnabled(not self.drawing and len(self.points) >= 2)
        datum = self.datum or self.tr("scene datum")
        self.plot.setLabel("left", self.tr("Height (m, {datum})").format(datum=datum))
        self.plot.setLabel("bottom", self.tr("Distance along the line (m)"))
        if self.drawing:
            self.status.setText(self.tr("Click points on the terrain: {count}").format(
                count=len(self.points)))
        elif self.profile is not None:
            self.status.setText(self.tr("{length} m, {crests} crest(s) crossed").format(
                length=f"{self.profile.length_m:.0f}", crests=len(self.profile.crests)))

    def changeEvent(self, event: QEvent) -> None:
        """Re-read texts when the language changes."""
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)


class _ClickFilter(QObject):
    """While drawing, left clicks in the 3D view add points instead of turning the camera."""

    def __init__(self, dock: ProfileDock) -> None:
        super().__init__(dock)
        self.dock = dock

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Take left clicks (add a point) and right clicks (finish) while drawing."""
        if not self.dock.drawing:
            return False
        kind = event.type()
        if kind == QEvent.Type.MouseButtonPress:
            position = event.position()
            if event.button() == Qt.MouseButton.LeftButton:
                self.dock.add_screen_point(position.x(), position.y())
                return True
            if event.button() == Qt.MouseButton.RightButton:
                self.dock.draw_button.setChecked(False)
                return True
        return kind in (QEvent.Type.MouseButtonRelease, QEvent.Type.MouseButtonDblClick)


def install(window: Any) -> ProfileDock:
    """Add the profile dock to a main window (bottom area) and follow its scenes.

    The window needs ``plotter``, ``view`` (after a scene is shown) and ``scene_shown``;
    ``view_menu`` gets the dock's toggle action when present, and the water level comes from
    ``terrain_tools`` (see :mod:`twin_app.qt.terrain_tools`) when installed.
    """
    dock = ProfileDock(window.plotter, window)
    window.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, dock)
    menu = getattr(window, "view_menu", None)
    if menu is not None:
        menu.addAction(dock.toggleViewAction())

    def follow(*_: object) -> None:
        view = getattr(window, "view", None)
        if view is None:
            return
        tools = getattr(window, "terrain_tools", None)
        level = tools.toolbar.current_water_level() if tools is not None else None
        dock.set_view(view, level)

    window.scene_shown.connect(follow)
    window.profile_dock = dock
    return dock
