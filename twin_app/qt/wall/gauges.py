"""Key gauges (big numbers, trend arrows, warning levels) and the chart tile of the wall."""

from __future__ import annotations

import bisect
import logging
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

import pyqtgraph as pg
from qtpy.QtCore import Qt
from qtpy.QtGui import QFont
from qtpy.QtWidgets import QFrame, QGridLayout, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from twin_app.core.scene import SensorKind, SensorSpec
from twin_app.core.wall_gauges import (
    FALLING,
    RISING,
    STEADY,
    GaugeReading,
    gauge_reading,
    key_sensors,
)
from twin_app.core.wall_layout import ChartTile as ChartSpec
from twin_app.core.wall_layout import GaugesTile as GaugesSpec
from twin_app.qt.wall.theme import fit_font_px, state_colour
from twin_app.qt.wall.tiles import Tile

if TYPE_CHECKING:
    from twin_app.qt.wall.window import WallWindow

logger = logging.getLogger(__name__)

RUNNING = 0.5
ARROWS = {RISING: "↑", FALLING: "↓", STEADY: "→"}
CURVE_COLOURS = ("#4fc3f7", "#ffd54f", "#81c784", "#f48fb1", "#ce93d8", "#ffab91", "#80cbc4",
                 "#e6ee9c")
THRESHOLD_COLOURS = {"advisory": "#9fa8da", "warning": "#ffb300", "alarm": "#ff3d3d",
                     "critical": "#b00020"}


class Gauge(QFrame):
    """One sensor: name, value in big type with its unit, trend arrow, warning level.

    The value's type is as big as ``wall.sizes.big`` allows within the gauge's box.
    """

    def __init__(self, sensor: SensorSpec, wall: WallWindow, parent: QWidget) -> None:
        super().__init__(parent)
        self.sensor = sensor
        self.wall = wall
        self.setObjectName(f"gauge_{sensor.id}")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 0, 4, 0)
        layout.setSpacing(0)
        self.name_label = QLabel(self)
        self.value_label = QLabel(self)
        self.unit_label = QLabel(self)
        self.arrow_label = QLabel(self)
        row = QHBoxLayout()
        row.setSpacing(max(2, wall.sizes.body // 5))
        row.addWidget(self.value_label)
        row.addWidget(self.unit_label, 0, Qt.AlignmentFlag.AlignBottom)
        row.addWidget(self.arrow_label)
        row.addStretch(1)
        self.level_label = QLabel(self)
        self.level_label.setProperty("role", "small")
        self.level_label.setWordWrap(True)
        layout.addWidget(self.name_label)
        layout.addLayout(row, 1)
        layout.addWidget(self.level_label)
        self.reading: GaugeReading | None = None
        self._style = ""

    def show_reading(self, reading: GaugeReading, language: str) -> None:
        """Show ``reading`` (texts are set only when they change)."""
        self.reading = reading
        theme = self.wall.layout_spec.theme
        sensor = reading.sensor
        _set(self.name_label, sensor.name.text(language))
        if reading.value is None:
            value = "—"
        elif sensor.kind is SensorKind.PUMP_STATE:
            value = self.tr("Running") if reading.value >= RUNNING else self.tr("Stopped")
        else:
            digits = 0 if sensor.unit in ("mm", "mm/h") else 2
            value = f"{reading.value:.{digits}f}"
        _set(self.value_label, value)
        _set(self.unit_label, "" if sensor.unit == "1" else sensor.unit)
        _set(self.arrow_label, ARROWS.get(reading.trend or "", ""))
        _set(self.level_label, self.level_text(reading, language))
        self._colour = state_colour(theme, reading.state.value)
        self._fit()

    def resizeEvent(self, event: object) -> None:
        """Fit the value's type to the new size."""
        super().resizeEvent(event)
        self._fit()

    def _fit(self) -> None:
        if self.reading is None:
            return
        theme = self.wall.layout_spec.theme
        spare = self.unit_label.sizeHint().width() + 2 * self.wall.sizes.body
        height = self.height() - self.name_label.sizeHint().height() \
            - self.level_label.sizeHint().height()
        size = fit_font_px(f"{self.value_label.text()}→", self.width() - spare, height,
                           self.wall.sizes.big)
        style = f"font-size: {size}px; font-weight: bold;"
        key = f"{style}{self._colour}"
        if key == self._style:
            return
        self._style = key
        self.value_label.setStyleSheet(f"color: {self._colour}; {style}")
        self.arrow_label.setStyleSheet(f"color: {theme.accent}; {style}")
        self.arrow_label.setFixedWidth(round(size * 1.1))  # never clipped to a dash
        self.setStyleSheet(f"QFrame#{self.objectName()} {{ border: none; "
                           f"border-left: 6px solid {self._colour}; }}")

    def level_text(self, reading: GaugeReading, language: str) -> str:
        """Return the warning-level line: the level (crossed or not) and the rate of change."""
        parts = []
        level = reading.level
        if level is not None:
            name = level.name.text(language)
            amount = f"{level.value:g} {reading.sensor.unit}"
            if not reading.crossed:
                parts.append(self.tr("{level} {value}").format(level=name, value=amount))
            elif level.direction == "above":
                parts.append(self.tr("Above {level} {value}").format(level=name, value=amount))
            else:
                parts.append(self.tr("Below {level} {value}").format(level=name, value=amount))
        if reading.rate_per_h is not None and reading.sensor.kind is not SensorKind.PUMP_STATE:
            parts.append(self.tr("{rate} per hour").format(
                rate=f"{reading.rate_per_h:+.2f} {reading.sensor.unit}"))
        return "   ".join(parts)


def _set(label: QLabel, text: str) -> None:
    if label.text() != text:
        label.setText(text)


class GaugesTile(Tile):
    """A grid of :class:`Gauge` for the scene's key sensors (or those the layout lists)."""

    def __init__(self, spec: GaugesSpec, wall: WallWindow) -> None:
        super().__init__(spec, wall)
        self.grid_widget = QWidget(self)
        self.grid = QGridLayout(self.grid_widget)
        self.grid.setContentsMargins(0, 0, 0, 0)
        self.grid.setSpacing(max(4, wall.sizes.body // 3))
        self.body_layout.addWidget(self.grid_widget, 1)
        self.gauges: list[Gauge] = []

    def default_title(self) -> str:
        """Return the title shown when the layout gives none."""
        return self.tr("Key readings")

    def scene_changed(self) -> None:
        """Make one gauge per key sensor of the new scene."""
        for gauge in self.gauges:
            self.grid.removeWidget(gauge)
            gauge.deleteLater()
        self.gauges = []
        document = self.wall.workspace.document
        if document is None:
            return
        sensors, missing = key_sensors(document.spec, self.spec.max_gauges, self.spec.sensors)
        if missing:
            self.wall.report(self.tr("The layout's gauges name sensors this scene lacks: "
                                     "{ids}").format(ids=", ".join(missing)))
        per_row = self.spec.per_row
        for index, sensor in enumerate(sensors):
            gauge = Gauge(sensor, self.wall, self.grid_widget)
            self.grid.addWidget(gauge, index // per_row, index % per_row)
            self.gauges.append(gauge)
        self.refresh()

    def refresh(self) -> None:
        """Show the values at the clock's time."""
        live = self.wall.workspace.live
        if live is None:
            return
        now = self.wall.workspace.clock.time
        window = timedelta(minutes=self.spec.trend_minutes)
        for gauge in self.gauges:
            gauge.show_reading(gauge_reading(gauge.sensor, live, now, window),
                               self.wall.language)


class ChartTile(Tile):
    """The last hours of a few sensors, with their thresholds and the clock's time."""

    def __init__(self, spec: ChartSpec, wall: WallWindow) -> None:
        super().__init__(spec, wall)
        self.plot = pg.PlotWidget(self, axisItems={
            "bottom": pg.DateAxisItem(utcOffset=-8 * 3600)})
        theme = wall.layout_spec.theme
        self.plot.setBackground(theme.tile)
        self.plot.showGrid(x=True, y=True, alpha=0.2)
        font = QFont()
        font.setPixelSize(wall.sizes.small)
        self._font = font
        for name in ("bottom", "left"):
            axis = self.plot.getAxis(name)
            axis.setStyle(tickFont=font)
            axis.setTextPen(theme.muted)
            axis.setPen(theme.border)
        self.plot.setMouseEnabled(x=False, y=False)
        self.plot.hideButtons()
        self.legend = self.plot.addLegend(offset=(-10, 10), labelTextSize=f"{wall.sizes.small}px",
                                          labelTextColor=theme.text,
                                          brush=pg.mkBrush(f"{theme.tile}d0"))
        self.now_line = pg.InfiniteLine(angle=90, pen=pg.mkPen(theme.text,
                                                               style=Qt.PenStyle.DashLine))
        self.plot.addItem(self.now_line)
        self.body_layout.addWidget(self.plot, 1)
        self.sensors: list[SensorSpec] = []
        self.curves: list[pg.PlotDataItem] = []
        self.threshold_lines: list[pg.InfiniteLine] = []

    def default_title(self) -> str:
        """Return the title shown when the layout gives none."""
        return self.tr("Last {hours} hours").format(hours=f"{self.spec.hours:g}")

    def scene_changed(self) -> None:
        """Plot the new scene's key sensors (of one unit, so that one axis fits them)."""
        for item in self.curves + self.threshold_lines:
            self.plot.removeItem(item)
        self.legend.clear()
        self.curves, self.threshold_lines, self.sensors = [], [], []
        document = self.wall.workspace.document
        if document is None:
            return
        wanted = self.spec.sensors
        sensors, missing = key_sensors(document.spec, len(document.spec.sensors), wanted)
        if missing:
            self.wall.report(self.tr("The layout's chart names sensors this scene lacks: "
                                     "{ids}").format(ids=", ".join(missing)))
        if sensors and not wanted:
            sensors = [s for s in sensors if s.unit == sensors[0].unit]
        self.sensors = sensors[: self.spec.max_sensors]
        language = self.wall.language
        width = max(2, self.wall.sizes.body // 12)
        for index, sensor in enumerate(self.sensors):
            pen = pg.mkPen(CURVE_COLOURS[index % len(CURVE_COLOURS)], width=width)
            curve = self.plot.plot([], [], pen=pen, name=sensor.name.text(language))
            self.curves.append(curve)
        if self.sensors:
            first = self.sensors[0]
            self.plot.setLabel("left", first.unit, color=self.wall.layout_spec.theme.muted,
                               **{"font-size": f"{self.wall.sizes.small}px"})
            for threshold in first.thresholds:
                if threshold.direction != "above":
                    continue
                line = pg.InfiniteLine(
                    pos=threshold.value, angle=0,
                    pen=pg.mkPen(THRESHOLD_COLOURS[threshold.severity], width=width,
                                 style=Qt.PenStyle.DashLine),
                    label=f"{threshold.name.text(language)} {threshold.value:g}",
                    labelOpts={"position": 0.02, "color": THRESHOLD_COLOURS[threshold.severity],
                               "anchors": [(0, 0), (0, 0)]})  # under the line: never clipped
                line.label.setFont(self._font)
                self.plot.addItem(line)
                self.threshold_lines.append(line)
        self.refresh()

    def refresh(self) -> None:
        """Plot the readings held up to the clock's time."""
        live = self.wall.workspace.live
        if live is None:
            return
        now = self.wall.workspace.clock.time
        start = now - timedelta(hours=self.spec.hours)
        for sensor, curve in zip(self.sensors, self.curves, strict=True):
            times, values = live.series(sensor.id)
            first, last = bisect.bisect_left(times, start), bisect.bisect_right(times, now)
            curve.setData([_epoch(t) for t in times[first:last]], values[first:last])
        self.now_line.setPos(_epoch(now))
        self.plot.setXRange(_epoch(start), _epoch(now), padding=0.01)
        shown = [line.value() for line in self.threshold_lines]
        for curve in self.curves:
            values = curve.getData()[1]
            if values is not None and len(values):
                shown += [float(values.min()), float(values.max())]
        if shown:
            low, high = min(shown), max(shown)
            margin = max(0.05 * (high - low), 0.1)
            self.plot.setYRange(low - margin, high + margin, padding=0)

    def retranslate(self) -> None:
        """Set the texts in the wall's language (the legend follows the next scene change)."""
        super().retranslate()


def _epoch(time: datetime) -> float:
    return time.astimezone(UTC).timestamp()
