"""The 2D picture of a seepage section (pyqtgraph): field, structures, lines, piezometers.

:class:`SectionPlot` draws a :class:`~twin_app.io.section_frames.SectionFrames` frame: the field
(total head or pore pressure) interpolated from the mesh onto a 0.25 m image (one image per frame:
a few Qt calls, not one per element),
head contours, the phreatic line, the river stage, walls and sheet piles, and at each piezometer
two columns rising from its filter: to the predicted head (blue) and to the measured head
(orange), so a difference is seen at a glance.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from numpy.typing import NDArray
from qtpy.QtCore import QPointF, QRectF, Qt
from qtpy.QtGui import QPolygonF
from qtpy.QtWidgets import QGraphicsPolygonItem, QWidget

from twin_app.io.section_frames import (
    LeakRow,
    SectionFrames,
    contour_segments,
    field_raster,
)

HEAD_MAP, PRESSURE_MAP = "viridis", "CET-D1"
PREDICTED, MEASURED = "#4fc3f7", "#ffa726"


def _segments_xy(segments: NDArray[np.float64]) -> tuple[NDArray[np.float64], ...]:
    """Return x, y arrays of segments (k, 2, 2) for ``connect="pairs"``."""
    flat = np.asarray(segments).reshape(-1, 2)
    return flat[:, 0], flat[:, 1]


class SectionPlot(pg.PlotWidget):
    """A section and one of its frames (see the module docstring)."""

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
        self.bar = pg.ColorBarItem(values=(0.0, 1.0), colorMap=pg.colormap.get(HEAD_MAP),
                                   interactive=False, width=14)
        plot_item = self.getPlotItem()
        plot_item.layout.addItem(self.bar, 2, 5)
        plot_item.layout.setColumnFixedWidth(4, 5)

    def set_frames(self, frames: SectionFrames) -> None:
        """Draw a new section (its structures), then its first frame."""
        self.frames = frames
        self.sampler = sampler = field_raster(frames)
        step = float(sampler.x[1] - sampler.x[0]) if sampler.x.size > 1 else 1.0
        self._rect = QRectF(float(sampler.x[0]) - step / 2, float(sampler.z[0]) - step / 2,
                            step * sampler.x.size, step * sampler.z.size)
        for item in self.walls:
            self.removeItem(item)
        self.walls = []
        for wall in frames.walls:
            item = QGraphicsPolygonItem(QPolygonF([QPointF(float(x), float(z)) for x, z in wall]))
            item.setBrush(pg.mkBrush("#9e9e9e"))
            item.setPen(pg.mkPen("#e0e0e0", width=1))
            item.setZValue(5)
            self.addItem(item)
            self.walls.append(item)
        pile_xy = [np.stack([p[:-1], p[1:]], axis=1) for p in frames.piles]
        self.piles.setData(*_segments_xy(np.concatenate(pile_xy)) if pile_xy else ([], []),
                           connect="pairs")
        self.piles.setZValue(6)
        outline = [np.stack([poly, np.roll(poly, -1, axis=0)], axis=1)
                   for _, poly in frames.layers]
        self.layer_lines.setData(*_segments_xy(np.concatenate(outline)), connect="pairs")
        self.layer_lines.setZValue(2)
        for item in (self.contours, self.phreatic, self.river, self.predicted, self.measured,
                     self.filters):
            item.setZValue(7)
        self.show_frame(0)
        self.autoRange()

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
