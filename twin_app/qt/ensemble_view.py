"""An ensemble's results in charts: exceedance curves at its points, and its failed members.

Shown in the forecast-and-plans panel once an ensemble ends (its probability of flooding is
draped on the terrain at the same time).  For each point of the ensemble (the scene's gauges, or
the spec's ``[[points]]``) the chart gives the probability that the members' peak water level
(or, where no member wets the point, the peak depth) reaches ``x``, against ``x``, in the style
of the chart dock; a gauge's warning level is drawn as a line with the probability of going
above it.  The members that failed are listed with their errors.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

import numpy as np
import pyqtgraph as pg
from numpy.typing import NDArray
from qtpy.QtCore import QEvent, Qt
from qtpy.QtGui import QColor
from qtpy.QtWidgets import QComboBox, QLabel, QListWidget, QTabWidget, QVBoxLayout, QWidget

from twin_app.core.scene import SensorSpec, Threshold
from twin_app.core.workspace import Workspace
from twin_app.ensemble.aggregate import Aggregate
from twin_app.ensemble.runner import EnsembleResult
from twin_app.qt.chart import SEVERITY_PENS

logger = logging.getLogger(__name__)

BACKGROUND = "#10202c"
CURVE_PEN = "#4fc3f7"
FAILED_COLOUR = "#e57373"


@dataclass(frozen=True)
class Curve:
    """One exceedance curve ready to draw."""

    quantity: str
    """``"level"`` (m, scene datum) or ``"depth"`` (m)."""
    values: NDArray[np.float64]
    """Members' peaks, largest first."""
    probability: NDArray[np.float64]
    """Probability each value is reached or exceeded."""
    warning: Threshold | None


def warning_of(sensor: SensorSpec | None) -> Threshold | None:
    """Return a sensor's warning level (its ``warning`` threshold, else one of that severity)."""
    if sensor is None:
        return None
    named = [t for t in sensor.thresholds if t.id == "warning" and t.direction == "above"]
    graded = [t for t in sensor.thresholds if t.severity == "warning" and t.direction == "above"]
    return (named or graded or [None])[0]


def curve_at(aggregate: Aggregate, point_id: str, sensor: SensorSpec | None) -> Curve:
    """Return the curve of peak level at a point (of peak depth if no member wets it)."""
    values, probability = aggregate.exceedance(point_id, "level")
    if values.size:
        return Curve("level", values, probability, warning_of(sensor))
    values, probability = aggregate.exceedance(point_id, "depth")
    return Curve("depth", values, probability, None)  # a warning level is not a depth


def step_points(values: NDArray[np.float64], probability: NDArray[np.float64],
                span: tuple[float, float]) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Return the exceedance curve as a staircase over ``span`` (x from left to right).

    ``values`` (largest first) and ``probability`` are :meth:`Aggregate.exceedance`'s: left of
    a value the curve stands at the probability of reaching it, and it drops at the value.
    """
    if values.size == 0:
        return np.asarray(span, float), np.zeros(2)
    ascending = values[::-1]
    reached = probability[::-1]  # reached[i]: probability of reaching ascending[i] or more
    unique, first = np.unique(ascending, return_index=True)
    levels = reached[first]
    xs, ys = [span[0]], [float(levels[0])]
    for k, value in enumerate(unique):
        after = float(levels[k + 1]) if k + 1 < unique.size else 0.0
        xs += [float(value), float(value)]
        ys += [float(levels[k]), after]
    xs.append(span[1])
    ys.append(0.0)
    return np.asarray(xs), np.asarray(ys)


class EnsembleView(QWidget):
    """Exceedance curves at an ensemble's points and its failed members (two tabs).

    Parameters
    ----------
    workspace : Workspace
        The open scene (its gauges' warning levels, the datum, the language).
    parent : QWidget, optional
        The panel holding it.
    """

    def __init__(self, workspace: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.workspace = workspace
        self.aggregate: Aggregate | None = None
        self.result: EnsembleResult | None = None
        self.curve: Curve | None = None
        self.tabs = QTabWidget(self)
        chart_tab = QWidget(self.tabs)
        self.point_box = QComboBox(chart_tab)
        self.point_box.currentIndexChanged.connect(self._on_point)
        self.plot = pg.PlotWidget(chart_tab)
        self.plot.setBackground(BACKGROUND)
        self.plot.showGrid(x=True, y=True, alpha=0.25)
        self.plot.setMinimumHeight(160)
        self.plot.setYRange(0.0, 1.18, padding=0)  # room above P = 1 for the warning's label
        self.plot.setMouseEnabled(x=True, y=False)
        self.plot.getAxis("bottom").enableAutoSIPrefix(False)  # metres, never "(x0.001)"
        self.steps = self.plot.plot([], [], pen=pg.mkPen(CURVE_PEN, width=2))
        self.members = self.plot.plot([], [], pen=None, symbol="o", symbolSize=6,
                                      symbolBrush=CURVE_PEN, symbolPen=None)
        self.warning_line: pg.InfiniteLine | None = None
        self.verdict = QLabel(chart_tab)
        self.verdict.setWordWrap(True)
        chart_layout = QVBoxLayout(chart_tab)
        chart_layout.setContentsMargins(0, 0, 0, 0)
        for widget in (self.point_box, self.plot, self.verdict):
            chart_layout.addWidget(widget)
        self.failed = QListWidget(self.tabs)
        self.failed.setWordWrap(True)
        self.tabs.addTab(chart_tab, "")
        self.tabs.addTab(self.failed, "")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.tabs)
        self.retranslate()

    # -- texts ----------------------------------------------------------------------------------

    def retranslate(self) -> None:
        """Set the texts in the current language."""
        self.tabs.setTabText(0, self.tr("Exceedance at the gauges"))
        failed = len(self.result.failed) if self.result is not None else 0
        self.tabs.setTabText(1, self.tr("Failed members ({count})").format(count=failed))
        self.plot.setLabel("left", self.tr("Probability"))
        self._fill_failed()
        self._draw()

    def changeEvent(self, event: QEvent) -> None:
        """Re-read texts when the language changes."""
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    # -- results --------------------------------------------------------------------------------

    def clear(self) -> None:
        """Forget the results shown."""
        self.result, self.aggregate, self.curve = None, None, None
        self.point_box.blockSignals(True)
        self.point_box.clear()
        self.point_box.blockSignals(False)
        self.retranslate()

    def show_result(self, result: EnsembleResult) -> None:
        """Chart an ended ensemble: its points' exceedance curves and its failed members."""
        self.result, self.aggregate = result, result.aggregate
        sensors = self._sensors()
        language = self.workspace.language
        self.point_box.blockSignals(True)
        self.point_box.clear()
        for point_id in self.aggregate.point_ids if self.aggregate is not None else []:
            sensor = sensors.get(point_id)
            name = f"{point_id} {sensor.name.text(language)}" if sensor is not None else point_id
            self.point_box.addItem(name, point_id)
        self.point_box.blockSignals(False)
        self.tabs.setCurrentIndex(0 if self.point_box.count() else 1)
        self.retranslate()

    def point_ids(self) -> list[str]:
        """Return the points charted, in the order offered."""
        return [self.point_box.itemData(i) for i in range(self.point_box.count())]

    def show_point(self, point_id: str) -> None:
        """Chart the exceedance curve at ``point_id``."""
        self.point_box.setCurrentIndex(self.point_ids().index(point_id))
        self._draw()

    def _on_point(self, _index: int) -> None:
        self._draw()

    def _sensors(self) -> dict[str, SensorSpec]:
        document = self.workspace.document
        return {s.id: s for s in document.spec.sensors} if document is not None else {}

    def _fill_failed(self) -> None:
        self.failed.clear()
        if self.result is None:
            return
        if not self.result.failed:
            self.failed.addItem(self.tr("All {count} members succeeded").format(
                count=len(self.result.outcomes)))
            return
        for outcome in self.result.failed:
            text = (self.tr("Member {index} cancelled: {error}") if outcome.state == "cancelled"
                    else self.tr("Member {index} failed: {error}"))
            self.failed.addItem(text.format(index=outcome.index, error=outcome.message))
            self.failed.item(self.failed.count() - 1).setForeground(QColor(FAILED_COLOUR))

    # -- the chart ------------------------------------------------------------------------------

    def _draw(self) -> None:
        if self.warning_line is not None:
            self.plot.removeItem(self.warning_line)
            self.warning_line = None
        point_id = self.point_box.currentData()
        if self.aggregate is None or point_id is None:
            self.curve = None
            self.steps.setData([], [])
            self.members.setData([], [])
            self.plot.setTitle(self.tr("Run an ensemble to chart its exceedance curves"))
            self.verdict.setText("")
            return
        curve = self.curve = curve_at(self.aggregate, point_id, self._sensors().get(point_id))
        span = self._span(curve)
        xs, ys = step_points(curve.values, curve.probability, span)
        self.steps.setData(xs, ys)
        self.members.setData(curve.values, curve.probability)
        self.plot.setXRange(*span, padding=0)
        self.plot.setTitle(self.point_box.currentText())
        self.plot.setLabel("bottom", self._x_label(curve.quantity))
        self.verdict.setText(self._verdict(point_id, curve))
        if curve.warning is not None:
            warning = curve.warning
            self.warning_line = pg.InfiniteLine(
                pos=warning.value, angle=90,
                pen=pg.mkPen(SEVERITY_PENS.get(warning.severity, "#ffa000"), width=1.5,
                             style=Qt.PenStyle.DashLine),
                label=f"{warning.name.text(self.workspace.language)} {warning.value:g}",
                labelOpts={"position": 0.95, "color": "#ffffff"})
            self.plot.addItem(self.warning_line)

    @staticmethod
    def _span(curve: Curve) -> tuple[float, float]:
        marks = list(curve.values) + ([curve.warning.value] if curve.warning else [])
        if not marks:
            return 0.0, 1.0
        low, high = float(min(marks)), float(max(marks))
        pad = max(0.1 * (high - low), 0.1)
        if curve.quantity == "depth":  # no negative depths on the axis
            return max(low - pad, 0.0), high + pad
        return low - pad, high + pad

    def _x_label(self, quantity: str) -> str:
        document = self.workspace.document
        if quantity == "depth" or document is None:
            return self.tr("Peak depth (m)")
        datum = document.spec.vertical_datum.name.text(self.workspace.language)
        return self.tr("Peak water level (m, {datum})").format(datum=datum)

    def _verdict(self, point_id: str, curve: Curve) -> str:
        aggregate = self.aggregate
        assert aggregate is not None
        count = aggregate.count
        if curve.values.size == 0:
            return self.tr("No member gives a value here (the point is off the model's grid)")
        if curve.warning is None:
            top = float(curve.values[0])
            if curve.quantity == "depth":
                return self.tr("Largest peak depth {value:.2f} m (no member gives a water level "
                               "here)").format(value=top)
            return self.tr("Largest peak level {value:.2f} m; no warning level here").format(
                value=top)
        above = aggregate.probability_above(point_id, curve.warning.value, "level")
        return self.tr("Peak level above the warning level {warning:g} m in {share:.0%} of "
                       "the members ({members} of {count})").format(
            warning=curve.warning.value, share=above, members=round(above * count), count=count)
