"""The chart dock: the selected sensor's readings, its thresholds and the clock's time."""

from __future__ import annotations

from datetime import UTC, datetime

import pyqtgraph as pg
from qtpy.QtCore import QEvent, Qt
from qtpy.QtWidgets import QDockWidget, QWidget

from twin_app.core.scene import SensorSpec
from twin_app.core.workspace import Workspace

SEVERITY_PENS = {"advisory": "#fdd835", "warning": "#ffa000", "alarm": "#d50000",
                 "critical": "#b71c1c"}


def _epoch(time: datetime) -> float:
    return time.astimezone(UTC).timestamp()


class ChartDock(QDockWidget):
    """Plots the selected sensor; follows the selection, the readings and the clock."""

    def __init__(self, workspace: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("chartDock")
        self.workspace = workspace
        self.plot = pg.PlotWidget(axisItems={"bottom": pg.DateAxisItem(utcOffset=-8 * 3600)})
        self.plot.setBackground("#10202c")
        self.plot.showGrid(x=True, y=True, alpha=0.25)
        self.curve = self.plot.plot([], [], pen=pg.mkPen("#4fc3f7", width=2))
        dashed = pg.mkPen("#ffffff", style=Qt.PenStyle.DashLine)
        self.now_line = pg.InfiniteLine(angle=90, pen=dashed)
        self.plot.addItem(self.now_line)
        self.now_line.setVisible(False)  # shown with a sensor's chart
        self.threshold_lines: list[pg.InfiniteLine] = []
        self.sensor_id: str | None = None
        self.setWidget(self.plot)
        workspace.events.selection.connect(self._on_selection)
        workspace.clock.events.time.connect(self._on_time)
        self._live_connected = None
        self.retranslate()

    def retranslate(self) -> None:
        """Set the texts in the current language."""
        self.setWindowTitle(self.tr("Chart"))
        self._update_title()

    def changeEvent(self, event: QEvent) -> None:
        """Re-read texts when the language changes."""
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def _on_selection(self, selected: str | None) -> None:
        if selected and selected.startswith("sensor:"):
            self.show_sensor(selected.split(":", 1)[1])

    def show_sensor(self, sensor_id: str) -> None:
        """Plot ``sensor_id`` with its thresholds."""
        self.sensor_id = sensor_id
        live = self.workspace.live
        if live is not None and self._live_connected is not live:
            live.changed.connect(self._on_readings)
            self._live_connected = live
        for line in self.threshold_lines:
            self.plot.removeItem(line)
        self.threshold_lines = []
        sensor = self._sensor()
        if sensor is not None:
            for threshold in sensor.thresholds:
                line = pg.InfiniteLine(
                    pos=threshold.value, angle=0,
                    pen=pg.mkPen(SEVERITY_PENS.get(threshold.severity, "#ffa000"), width=1.5),
                    label=f"{threshold.name.text(self.workspace.language)} {threshold.value:g}",
                    labelOpts={"position": 0.05, "color": "#ffffff"},
                )
                self.plot.addItem(line)
                self.threshold_lines.append(line)
        self._update_title()
        self.redraw()

    def _sensor(self) -> SensorSpec | None:
        document = self.workspace.document
        if document is None or self.sensor_id is None:
            return None
        return next((s for s in document.spec.sensors if s.id == self.sensor_id), None)

    def _update_title(self) -> None:
        sensor = self._sensor()
        if sensor is None:
            self.plot.setTitle(self.tr("Select a sensor (in the scene tree or the 3D view) to "
                                       "chart it"))
            return
        self.plot.setTitle(f"{sensor.id} {sensor.name.text(self.workspace.language)}")
        self.plot.setLabel("left", sensor.unit)

    def redraw(self) -> None:
        """Plot the readings held for the sensor."""
        live = self.workspace.live
        self.now_line.setVisible(self.sensor_id is not None)
        if live is None or self.sensor_id is None:
            self.curve.setData([], [])
            return
        times, values = live.series(self.sensor_id)
        self.curve.setData([_epoch(t) for t in times], values)
        self.now_line.setPos(_epoch(self.workspace.clock.time))

    def _on_readings(self, sensor_ids: set[str]) -> None:
        if self.sensor_id in sensor_ids:
            self.redraw()

    def _on_time(self, time: datetime) -> None:
        """Move the clock's line, but only when it moves by half a pixel or more.

        The clock ticks 20 times a second; a sub-pixel move repainted the chart each time, and
        every repaint made Qt compose the whole window again (on a software renderer, as costly
        as the 3D frame it competes with).  With no sensor charted the line is hidden and stays.
        """
        if self.sensor_id is None:
            return
        x = _epoch(time)
        (low, high), width = self.plot.getViewBox().viewRange()[0], self.plot.width()
        seconds_per_pixel = (high - low) / max(width, 1)
        if abs(x - self.now_line.value()) >= 0.5 * seconds_per_pixel or not self.isVisible():
            self.now_line.setPos(x)

    def plotted(self) -> tuple[list[float], list[float]]:
        """Return the plotted x (epoch s) and y values (for tests)."""
        x, y = self.curve.getData()
        return ([] if x is None else list(x)), ([] if y is None else list(y))
