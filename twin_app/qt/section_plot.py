"""The 2D picture of a seepage section (pyqtgraph): field, structures, lines, piezometers.

:class:`SectionPlot` draws a :class:`~twin_app.io.section_frames.SectionFrames` frame: the field
(total head or pore pressure) interpolated from the mesh onto a 0.25 m image (one image per frame:
a few Qt calls, not one per element),
head contours, the phreatic line, the river stage, walls and sheet piles, and at each piezometer
two columns rising from its filter: to the predicted head (blue) and to the measured head
(orange), so a difference is seen at a glance.

Before a section is checked (derived in the app, or being edited) :meth:`SectionPlot.set_outline`
draws its geometry alone: the soil layers filled and named, walls, cut-offs, the river and land
levels and the piezometers as markers that can be dragged (:attr:`SectionPlot.piezometer_moved`).
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from numpy.typing import NDArray
from qtpy.QtCore import QPointF, QRectF, Qt, Signal
from qtpy.QtGui import QPolygonF
from qtpy.QtWidgets import QGraphicsPolygonItem, QWidget
from shapely.geometry import Polygon

from twin_app.io.section_frames import (
    LeakRow,
    SectionFrames,
    SectionOutline,
    contour_segments,
    field_raster,
)

HEAD_MAP, PRESSURE_MAP = "viridis", "CET-D1"
PREDICTED, MEASURED = "#4fc3f7", "#ffa726"
SOIL_COLOURS = ("#a1887f", "#8d6e63", "#bcaaa4", "#6d4c41", "#d7ccc8", "#795548", "#c5a880")


def _segments_xy(segments: NDArray[np.float64]) -> tuple[NDArray[np.float64], ...]:
    """Return x, y arrays of segments (k, 2, 2) for ``connect="pairs"``."""
    flat = np.asarray(segments).reshape(-1, 2)
    return flat[:, 0], flat[:, 1]


class SectionPlot(pg.PlotWidget):
    """A section and one of its frames (see the module docstring)."""

    piezometer_moved = Signal(int, float, float)
    """Emitted with (index, x, z) when a piezometer marker of the outline was dragged."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setBackground("#10202c")
        self.setAspectLocked(True)
        self.showGrid(x=True, y=True, alpha=0.2)
        self.frames: SectionFrames | None = None
        self.field = "head"
        self.image = pg.ImageItem()
        self.addItem(self.image)
        self.sampler = None
        self._rect = QRectF()
        self.layer_lines = self.plot([], [], pen=pg.mkPen("#8d6e63", width=1), connect="pairs")
        self.contours = self.plot([], [], pen=pg.mkPen((255, 255, 255, 150), width=1),
                                  connect="pairs")
        self.walls: list[QGraphicsPolygonItem] = []
        self.piles = self.plot([], [], pen=pg.mkPen("#eceff1", width=3), connect="pairs")
        self.phreatic = self.plot([], [], pen=pg.mkPen("#00e5ff", width=3), connect="pairs")
        self.river = self.plot([], [], pen=pg.mkPen("#1e88e5", width=2,
                                                    style=Qt.PenStyle.DashLine))
        self.predicted = self.plot([], [], pen=pg.mkPen(PREDICTED, width=3), connect="pairs")
        self.measured = self.plot([], [], pen=pg.mkPen(MEASURED, width=3), connect="pairs")
        self.filters = pg.ScatterPlotItem(size=9, brush="#ffffff", pen="#000000", symbol="s")
        self.addItem(self.filters)
        self.labels: list[pg.TextItem] = []
        self.outline: SectionOutline | None = None
        self.soil_items: list[QGraphicsPolygonItem] = []
        self.soil_labels: list[pg.TextItem] = []
        self.markers: list[pg.TargetItem] = []
        self.land = self.plot([], [], pen=pg.mkPen("#26a69a", width=2,
                                                   style=Qt.PenStyle.DashLine))
        self.bar = pg.ColorBarItem(values=(0.0, 1.0), colorMap=pg.colormap.get(HEAD_MAP),
                                   interactive=False, width=14)
        plot_item = self.getPlotItem()
        plot_item.layout.addItem(self.bar, 2, 5)
        plot_item.layout.setColumnFixedWidth(4, 5)

    def set_frames(self, frames: SectionFrames) -> None:
        """Draw a new section (its structures), then its first frame."""
        self._clear_outline()
        self.bar.setVisible(True)
        self.frames = frames
        self.sampler = sampler = field_raster(frames)
        step = float(sampler.x[1] - sampler.x[0]) if sampler.x.size > 1 else 1.0
        self._rect = QRectF(float(sampler.x[0]) - step / 2, float(sampler.z[0]) - step / 2,
                            step * sampler.x.size, step * sampler.z.size)
        self._structures(frames.walls, frames.piles, [poly for _, poly in frames.layers])
        for item in (self.contours, self.phreatic, self.river, self.predicted, self.measured,
                     self.filters):
            item.setZValue(7)
        self.show_frame(0)
        self.autoRange()

    def _structures(self, walls: list[np.ndarray], piles: list[np.ndarray],
                    layers: list[np.ndarray]) -> None:
        """Draw the walls, the cut-offs and the layer outlines."""
        for item in self.walls:
            self.removeItem(item)
        self.walls = []
        for wall in walls:
            item = _polygon_item(wall, "#9e9e9e", "#e0e0e0")
            item.setZValue(5)
            self.addItem(item)
            self.walls.append(item)
        pile_xy = [np.stack([p[:-1], p[1:]], axis=1) for p in piles]
        self.piles.setData(*_segments_xy(np.concatenate(pile_xy)) if pile_xy else ([], []),
                           connect="pairs")
        self.piles.setZValue(6)
        edges = [np.stack([poly, np.roll(poly, -1, axis=0)], axis=1) for poly in layers]
        self.layer_lines.setData(*_segments_xy(np.concatenate(edges)) if edges else ([], []),
                                 connect="pairs")
        self.layer_lines.setZValue(2)

    def set_outline(self, outline: SectionOutline, keep_view: bool = False) -> None:
        """Draw a section's geometry alone (no results); ``keep_view`` keeps the zoom."""
        self._clear_outline()
        self.frames = None
        self.sampler = None
        self.outline = outline
        self.image.clear()
        self.bar.setVisible(False)
        for item in (self.contours, self.phreatic, self.predicted, self.measured):
            item.setData([], [])
        for label in self.labels:
            self.removeItem(label)
        self.labels = []
        self.filters.setData(pos=np.zeros((0, 2)))
        soils = list(dict.fromkeys(soil for _, soil, _ in outline.layers))
        for name, soil, polygon in outline.layers:
            colour = SOIL_COLOURS[soils.index(soil) % len(SOIL_COLOURS)]
            item = _polygon_item(polygon, colour, "#5d4037")
            item.setZValue(1)
            self.addItem(item)
            self.soil_items.append(item)
            label = pg.TextItem(name, color="#ffffff", anchor=(0.5, 0.5))
            label.setPos(*_label_point(polygon))
            label.setZValue(3)
            self.addItem(label)
            self.soil_labels.append(label)
        self._structures(outline.walls, outline.piles, [poly for _, _, poly in outline.layers])
        self._levels(outline)
        for index, (pid, x, z) in enumerate(outline.piezometers):
            marker = pg.TargetItem(pos=(x, z), size=11, symbol="s", brush="#ffffff",
                                   pen="#000000", label=pid,
                                   labelOpts={"color": "#ffffff",  # alternately above, below
                                              "offset": (0, -14 if index % 2 == 0 else 14)})
            marker.setZValue(9)
            marker.sigPositionChangeFinished.connect(
                lambda item, number=index: self._dragged(number, item))
            self.addItem(marker)
            self.markers.append(marker)
        if not keep_view:
            self.autoRange()

    def _levels(self, outline: SectionOutline) -> None:
        river_end = min((float(w[:, 0].min()) for w in outline.walls),
                        default=outline.river_x[1])
        if outline.river_level is not None:
            self.river.setData([outline.river_x[0], river_end], [outline.river_level] * 2)
        else:
            self.river.setData([], [])
        if outline.land_level is not None:
            self.land.setData(list(outline.land_x), [outline.land_level] * 2)
        else:
            self.land.setData([], [])
        self.river.setZValue(7)
        self.land.setZValue(7)

    def _dragged(self, index: int, marker: pg.TargetItem) -> None:
        position = marker.pos()
        self.piezometer_moved.emit(index, round(float(position.x()), 2),
                                   round(float(position.y()), 2))

    def _clear_outline(self) -> None:
        for item in (*self.soil_items, *self.soil_labels, *self.markers):
            self.removeItem(item)
        self.soil_items, self.soil_labels, self.markers = [], [], []
        self.land.setData([], [])
        self.outline = None

    def levels(self) -> tuple[float, float]:
        """Return the colour range of the current field over all frames."""
        assert self.frames is not None
        if self.field == "pressure":
            every = np.concatenate([self.frames.pressure(i) for i in range(self.frames.count)])
            limit = float(max(abs(every.min()), abs(every.max()), 1.0))
            return (-limit, limit)
        low, high = self.frames.head_range()
        return (low, max(high, low + 0.01))

    def show_frame(self, index: int, field: str | None = None) -> None:
        """Draw frame ``index`` coloured by ``field`` (``head`` or ``pressure``)."""
        frames = self.frames
        if frames is None:
            return
        if field is not None:
            self.field = field
        values = frames.pressure(index) if self.field == "pressure" else frames.head[index]
        colour_map = pg.colormap.get(PRESSURE_MAP if self.field == "pressure" else HEAD_MAP)
        levels = self.levels()
        if self.sampler is not None:  # (columns, rows): x first, as ImageItem reads it
            self.image.setImage(self.sampler.nodal(values).T, levels=levels,
                                lut=colour_map.getLookupTable(nPts=256))
            self.image.setRect(self._rect)  # (after setImage: the rect scales the image's size)
        self.bar.setColorMap(colour_map)
        self.bar.setLevels(levels)
        head = frames.head[index]
        low, high = frames.head_range()
        parts = [contour_segments(frames.nodes, frames.triangles, head, level)
                 for level in np.linspace(low, high, 14)[1:-1]]
        parts = [p for p in parts if len(p)]
        self.contours.setData(*(_segments_xy(np.concatenate(parts)) if parts else ([], [])),
                              connect="pairs")
        self.phreatic.setData(*_segments_xy(frames.phreatic[index]), connect="pairs")
        river_x = [x for x, _ in frames.layers[0][1]] if frames.layers else [0.0]
        wall_x = min((float(w[:, 0].min()) for w in frames.walls), default=max(river_x))
        stage = float(frames.stage[index])
        self.river.setData([float(frames.nodes[:, 0].min()), wall_x], [stage, stage])
        self._piezometers(index)

    def _piezometers(self, index: int) -> None:
        frames = self.frames
        assert frames is not None
        for label in self.labels:
            self.removeItem(label)
        self.labels = []
        measured = frames.measured_at(index)
        predicted_xy, measured_xy, filters = [], [], []
        for column, (pid, x, z) in enumerate(frames.piezometers):
            filters.append((x, z))
            head = float(frames.predicted[index, column]) if frames.predicted.size else z
            predicted_xy += [(x - 0.35, z), (x - 0.35, head)]
            text = f"{pid}\n{head:.2f}"
            if pid in measured:
                measured_xy += [(x + 0.35, z), (x + 0.35, measured[pid])]
                text += f" / {measured[pid]:.2f}"
            label = pg.TextItem(text, color="#ffffff", anchor=(0.5, 1.0))
            label.setPos(x, max(head, measured.get(pid, head)) + 0.3)
            label.setZValue(8)
            self.addItem(label)
            self.labels.append(label)
        for item, points in ((self.predicted, predicted_xy), (self.measured, measured_xy)):
            array = np.asarray(points, dtype=np.float64).reshape(-1, 2)
            item.setData(array[:, 0], array[:, 1], connect="pairs")
        self.filters.setData(pos=np.asarray(filters, dtype=np.float64).reshape(-1, 2))


def _polygon_item(points: np.ndarray, fill: str, edge: str) -> QGraphicsPolygonItem:
    item = QGraphicsPolygonItem(QPolygonF([QPointF(float(x), float(z)) for x, z in points]))
    item.setBrush(pg.mkBrush(fill))
    item.setPen(pg.mkPen(edge, width=1))
    return item


def _label_point(polygon: np.ndarray) -> tuple[float, float]:
    """Return a point inside a layer to write its name at (its centroid if valid)."""
    shape = Polygon(polygon)
    point = shape.representative_point() if shape.is_valid else shape.centroid
    return float(point.x), float(point.y)


def _epoch(times: NDArray[np.datetime64]) -> NDArray[np.float64]:
    return np.asarray(times).astype("datetime64[ms]").astype(np.int64) / 1000.0


def plot_evidence(plot: pg.PlotWidget, frames: SectionFrames, leak: LeakRow,
                  names: tuple[str, str, str]) -> None:
    """Chart a leak flag's evidence in ``plot`` (a date axis).

    The measured and predicted heads over the whole period, the flagged readings marked and their
    episode shaded; ``names`` are the legend's (measured, predicted, flagged), translated.
    """
    plot.clear()
    plot.addLegend(offset=(10, 10))
    for series, colour, name in ((frames.measured, MEASURED, names[0]),
                                 (frames.predicted_series, PREDICTED, names[1])):
        if leak.piezometer in series:
            times, values = series[leak.piezometer]
            plot.plot(_epoch(times), values, pen=pg.mkPen(colour, width=2), name=name)
    plot.plot(_epoch(leak.times), leak.measured, pen=None, symbol="o", symbolSize=4,
              symbolBrush="#ff5252", name=names[2])
    span = _epoch(np.array([leak.start, leak.end]))
    plot.addItem(pg.LinearRegionItem(values=tuple(span), movable=False,
                                     brush=(255, 82, 82, 40)))
