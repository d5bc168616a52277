"""Terrain tools in the main window: tiled terrain, vertical exaggeration, a water plane.

The tiled terrain follows the camera; the slider scales heights; the water plane stands at a
chosen level.

:func:`install` adds a "Terrain" tool bar to a main window that has ``plotter`` (a
``QtInteractor``), ``view`` (the :class:`~twin_app.render.view.SceneView` once a scene is shown)
and the ``scene_shown`` signal.  The window's own code is not changed.
"""

from __future__ import annotations

import logging
import math
from typing import Any

import numpy as np
from qtpy.QtCore import QEvent, QObject, Qt, QTimer, Signal
from qtpy.QtWidgets import QCheckBox, QDoubleSpinBox, QLabel, QSlider, QToolBar, QWidget

from twin_app.core.errors import TwinAppError
from twin_app.core.geo import SceneFrame
from twin_app.core.workspace import item_id
from twin_app.io.vector_query import Identified, identify
from twin_app.io.vectors import VectorFeature, read_geojson
from twin_app.render.terrain_pick import show_water_plane, terrain_point_at
from twin_app.render.terrain_scene import TiledTerrain, add_tiled_terrain, set_vertical_exaggeration

logger = logging.getLogger(__name__)

EXAGGERATION_STEPS = (1.0, 1.5, 2.0, 3.0, 5.0, 10.0, 20.0)
"""The slider's positions: delta terrain is flat, so the useful range starts at 1 and grows fast."""
TILE_POLL_MS = 150


class TerrainToolBar(QToolBar):
    """Vertical exaggeration slider and water-plane level, for one plotter."""

    exaggeration_changed = Signal(float)
    water_level_changed = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("terrainToolBar")
        self.exaggeration_label = QLabel(self)
        self.slider = QSlider(Qt.Orientation.Horizontal, self)
        self.slider.setRange(0, len(EXAGGERATION_STEPS) - 1)
        self.slider.setFixedWidth(140)
        self.slider.setPageStep(1)
        self.value_label = QLabel(self)
        self.water_check = QCheckBox(self)
        self.water_level = QDoubleSpinBox(self)
        self.water_level.setRange(-20.0, 20.0)
        self.water_level.setDecimals(2)
        self.water_level.setSingleStep(0.1)
        self.water_level.setValue(3.0)
        self.addWidget(self.exaggeration_label)
        self.addWidget(self.slider)
        self.addWidget(self.value_label)
        self.addSeparator()
        self.addWidget(self.water_check)
        self.addWidget(self.water_level)
        self.slider.valueChanged.connect(self._on_slider)
        self.water_check.toggled.connect(self._on_water)
        self.water_level.valueChanged.connect(self._on_water)
        self.retranslate()
        self._show_value()

    @property
    def exaggeration(self) -> float:
        """The chosen vertical exaggeration."""
        return EXAGGERATION_STEPS[self.slider.value()]

    def set_exaggeration(self, factor: float) -> None:
        """Move the slider to the step nearest ``factor`` (emits when it moves)."""
        nearest = min(range(len(EXAGGERATION_STEPS)),
                      key=lambda i: abs(EXAGGERATION_STEPS[i] - factor))
        self.slider.setValue(nearest)

    def current_water_level(self) -> float | None:
        """Return the water plane's level, or ``None`` when it is off."""
        return self.water_level.value() if self.water_check.isChecked() else None

    def retranslate(self) -> None:
        """Set the texts in the current language."""
        self.setWindowTitle(self.tr("Terrain"))
        self.exaggeration_label.setText(self.tr("Vertical exaggeration"))
        self.slider.setToolTip(self.tr("Scale heights to read the low relief of the delta"))
        self.water_check.setText(self.tr("Water plane"))
        self.water_level.setToolTip(self.tr("Level of the static water plane (scene datum)"))
        self.water_level.setSuffix(self.tr(" m"))

    def changeEvent(self, event: QEvent) -> None:
        """Re-read texts when the language changes."""
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def _show_value(self) -> None:
        self.value_label.setText(self.tr("×{factor}").format(factor=f"{self.exaggeration:g}"))

    def _on_slider(self, _: int) -> None:
        self._show_value()
        self.exaggeration_changed.emit(self.exaggeration)

    def _on_water(self, *_: object) -> None:
        self.water_level_changed.emit(self.current_water_level())


class TerrainTools(QObject):
    """Drives the tiled terrain, the exaggeration and the water plane of a main window."""

    def __init__(self, window: Any) -> None:
        super().__init__(window)
        self.window = window
        self.toolbar = TerrainToolBar(window)
        self.tiled: TiledTerrain | None = None
        self.vectors: dict[str, list[VectorFeature]] = {}
        self.timer = QTimer(self)
        self.timer.setInterval(TILE_POLL_MS)
        self.timer.timeout.connect(self.poll)
        self.toolbar.exaggeration_changed.connect(self.set_exaggeration)
        self.toolbar.water_level_changed.connect(self.set_water_level)
        window.scene_shown.connect(self.on_scene_shown)

    @property
    def plotter(self) -> Any:
        """The window's plotter."""
        return self.window.plotter

    def on_scene_shown(self, *_: object) -> None:
        """Replace the scene's single terrain mesh by tiled terrain, and apply the tools."""
        self.close_terrain()
        view = getattr(self.window, "view", None)
        if view is None:
            return
        document = view.geometry.document
        spec = document.spec
        try:
            self.vectors = {layer.id: read_geojson(document.resolve(layer.file),
                                                   spec.crs.horizontal)
                            for layer in spec.layers}
        except TwinAppError as error:
            logger.warning("vector layers not identifiable: %s", error)
            self.vectors = {}
        try:
            self.tiled = add_tiled_terrain(view, document)
        except TwinAppError as error:
            logger.warning("tiled terrain unavailable, keeping the single mesh: %s", error)
            self.tiled = None
        spec = document.spec
        self.toolbar.blockSignals(True)
        self.toolbar.set_exaggeration(spec.display.vertical_exaggeration)
        if spec.display.water_level is not None:
            self.toolbar.water_level.setValue(spec.display.water_level)
        self.toolbar.blockSignals(False)
        self.set_exaggeration(self.toolbar.exaggeration)
        self.set_water_level(self.toolbar.current_water_level())
        if self.tiled is not None:
            self.timer.start()
            self.poll()

    def identify_at(self, x: float, y: float, tolerance_px: float = 6.0) -> Identified | None:
        """Return the vector feature under widget pixel (x, y) of the 3D view, or ``None``.

        The pixel is turned into a terrain point (the ray meets the DEM), and the visible vector
        layers are asked which feature lies there; lines within ``tolerance_px`` count.
        """
        view = getattr(self.window, "view", None)
        if view is None or view.geometry.dem is None:
            return None
        widget = self.plotter.interactor
        ratio = widget.devicePixelRatioF()
        renderer = self.plotter.renderer
        hit = terrain_point_at(renderer, view.geometry.dem, view.geometry.frame, x * ratio,
                               (widget.height() - y) * ratio, view.exaggeration)
        if hit is None:
            return None
        camera = renderer.GetActiveCamera()
        local = view.geometry.frame.map_to_local(np.asarray(hit))
        distance = float(np.linalg.norm(np.asarray(camera.GetPosition()) - local))
        metres_per_pixel = (2.0 * distance * math.tan(math.radians(camera.GetViewAngle()) / 2)
                            / max(widget.height(), 1))
        visible = {state.id: state.visible for state in view.workspace.layers}
        layers = {layer_id: features for layer_id, features in self.vectors.items()
                  if visible.get(item_id("vectors", layer_id), True)}
        return identify(layers, hit[0], hit[1], tolerance_px * metres_per_pixel)

    def poll(self) -> None:
        """Select tiles for the camera, show the finished ones, redraw if anything changed."""
        if self.tiled is None:
            return
        self.tiled.update()
        if self.tiled.poll():
            self.plotter.render()

    def set_exaggeration(self, factor: float) -> None:
        """Scale the scene vertically."""
        view = getattr(self.window, "view", None)
        if view is None:
            return
        set_vertical_exaggeration(self.plotter, factor, view)
        self.plotter.render()

    def set_water_level(self, level: float | None) -> None:
        """Show the static water plane at ``level`` (hide it with ``None``)."""
        view = getattr(self.window, "view", None)
        if view is None:
            return
        spec = view.geometry.document.spec
        frame = SceneFrame.from_scene(spec)
        bounds = (self.tiled.layers[-1].source.bounds if self.tiled is not None
                  else _dem_bounds(view))
        show_water_plane(self.plotter, frame, bounds, level, view.exaggeration)
        self.plotter.render()

    def close_terrain(self) -> None:
        """Stop following the camera and drop the tiles."""
        self.timer.stop()
        if self.tiled is not None:
            self.tiled.close()
            self.tiled = None


def _dem_bounds(view: Any) -> tuple[float, float, float, float]:
    dem = view.geometry.dem
    if dem is not None:
        return dem.bounds
    ox, oy, _ = view.geometry.frame.origin
    return (ox - 1500.0, oy - 1500.0, ox + 1500.0, oy + 1500.0)


def install(window: Any) -> TerrainTools:
    """Add the terrain tool bar and tiled terrain to a main window; return the controller.

    The window needs ``plotter``, ``view`` (after a scene is shown), ``scene_shown`` and
    ``addToolBar``; ``view_menu`` gets the tool bar's toggle action when present.
    """
    tools = TerrainTools(window)
    window.addToolBar(Qt.ToolBarArea.TopToolBarArea, tools.toolbar)
    menu = getattr(window, "view_menu", None)
    if menu is not None:
        menu.addAction(tools.toolbar.toggleViewAction())
    window.terrain_tools = tools
    return tools
