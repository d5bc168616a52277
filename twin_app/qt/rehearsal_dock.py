"""The rehearsal (预演) panel: choose a scenario or model, edit its parameters, run, watch, compare.

The form is generated from the plugin's parameter table (units as suffixes, bounds as the spin
boxes' limits).  The run goes in a worker process (:class:`~twin_app.sim.session.RehearsalSession`
polls it from a timer here); results play on the app clock.  Nothing here blocks: a bad value or
a failed run is said in the status line, never in a modal dialog.
"""

from __future__ import annotations

import logging
from typing import Any

import pyqtgraph as pg
from qtpy.QtCore import QEvent, QTimer, Signal
from qtpy.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDockWidget,
    QDoubleSpinBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from twin_app.core.errors import TwinAppError
from twin_app.core.workspace import Workspace
from twin_app.sim.discovery import PluginRecord, discover_plugins
from twin_app.sim.playback import Hydrograph
from twin_app.sim.session import ComparisonError, RehearsalSession
from twin_app.sim.tables import ParamInfo

logger = logging.getLogger(__name__)

POLL_MS = 100
DISPLAYS = ("depth", "max_depth", "arrival", "difference", "off")


class RehearsalDock(QDockWidget):
    """Run and show rehearsals of the open scene.

    Parameters
    ----------
    workspace : Workspace
        The open scene and the clock (runs start at the clock's time).
    parent : QWidget, optional
        The main window.
    """

    probe_toggled = Signal(bool)
    """The user wants (or no longer wants) the next click in 3D to probe a hydrograph."""

    def __init__(self, workspace: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("rehearsalDock")
        self.workspace = workspace
        self.session: RehearsalSession | None = None
        self.plugins: dict[str, PluginRecord] = {}
        self.fields: dict[str, QWidget] = {}
        body = QWidget(self)
        layout = QVBoxLayout(body)
        self.scenario_box = QComboBox(body)
        self.scenario_box.currentIndexChanged.connect(self._build_form)
        self.form_host = QWidget(body)
        self.form = QFormLayout(self.form_host)
        scroll = QScrollArea(body)
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.form_host)
        self.duration = _spin(0.5, 24 * 30, 48.0, " h", 1)
        self.interval = _spin(1.0, 24 * 60, 10.0, " min", 0)
        times = QHBoxLayout()
        times.addWidget(self.duration)
        times.addWidget(self.interval)
        self.run_button = QPushButton(body)
        self.run_button.clicked.connect(self.run)
        self.cancel_button = QPushButton(body)
        self.cancel_button.clicked.connect(self.cancel)
        buttons = QHBoxLayout()
        buttons.addWidget(self.run_button)
        buttons.addWidget(self.cancel_button)
        self.progress = QProgressBar(body)
        self.status = QLabel(body)
        self.status.setWordWrap(True)
        self.runs_box = QComboBox(body)
        self.runs_box.currentIndexChanged.connect(self._on_run_chosen)
        self.display_box = QComboBox(body)
        self.display_box.currentIndexChanged.connect(self._on_display_chosen)
        self.compare_box = QComboBox(body)
        self.compare_box.currentIndexChanged.connect(self._on_display_chosen)
        self.compare_box.currentIndexChanged.connect(self._on_pair_chosen)
        self.runs_box.currentIndexChanged.connect(self._on_pair_chosen)
        self.side_by_side_button = QPushButton(body)
        self.side_by_side_button.setObjectName("sideBySideButton")
        self.side_by_side_button.setCheckable(True)
        self.side_by_side_button.toggled.connect(self._on_side_by_side)
        self.probe_button = QPushButton(body)
        self.probe_button.setCheckable(True)
        self.probe_button.toggled.connect(self.probe_toggled)
        self.plot = pg.PlotWidget(body)
        self.plot.setMinimumHeight(140)
        self.plot.setAxisItems({"bottom": pg.DateAxisItem()})
        self.scenario_label, self.times_label = QLabel(body), QLabel(body)
        self.shown_label, self.display_label = QLabel(body), QLabel(body)
        self.compare_label = QLabel(body)
        for widget in (self.scenario_label, self.scenario_box, scroll, self.times_label):
            layout.addWidget(widget)
        layout.addLayout(times)
        layout.addLayout(buttons)
        for widget in (self.progress, self.status, self.shown_label, self.runs_box,
                       self.display_label, self.display_box, self.compare_label,
                       self.compare_box, self.side_by_side_button, self.probe_button, self.plot):
            layout.addWidget(widget)
        self.setWidget(body)
        self._timer = QTimer(self)
        self._timer.setInterval(POLL_MS)
        self._timer.timeout.connect(self._poll)
        self.retranslate()
        self._refresh()

    # -- texts ----------------------------------------------------------------------------------

    def retranslate(self) -> None:
        """Set the texts in the current language."""
        self.setWindowTitle(self.tr("Rehearsal"))
        self.scenario_label.setText(self.tr("Scenario or model"))
        self.times_label.setText(self.tr("Duration and output interval"))
        self.run_button.setText(self.tr("Run"))
        self.cancel_button.setText(self.tr("Cancel"))
        self.shown_label.setText(self.tr("Shown on the scene"))
        self.display_label.setText(self.tr("Display"))
        self.compare_label.setText(self.tr("Compared with (difference map, side by side)"))
        self.side_by_side_button.setText(self.tr("Compare side by side"))
        self.side_by_side_button.setToolTip(
            self.tr("Two 3D views on one camera and clock: the run shown, and the one compared"))
        self.probe_button.setText(self.tr("Probe a hydrograph (click the map)"))
        labels = (self.tr("Water depth (plays on the clock)"), self.tr("Maximum depth"),
                  self.tr("Arrival time"), self.tr("Difference of maximum depth to…"),
                  self.tr("Off"))
        current = self.display_box.currentIndex()
        self.display_box.blockSignals(True)
        self.display_box.clear()
        self.display_box.addItems(list(labels))
        self.display_box.setCurrentIndex(max(current, 0))
        self.display_box.blockSignals(False)

    def changeEvent(self, event: QEvent) -> None:
        """Re-read texts when the language changes."""
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    # -- the scene ------------------------------------------------------------------------------

    def attach(self, session: RehearsalSession | None) -> None:
        """Work on a scene's rehearsal session (``None`` when no scene is open)."""
        if self.session is not None:
            self.session.changed.disconnect(self._refresh)
            self.session.shutdown()
        self.session = session
        self.plugins = {record.id: record for record in discover_plugins()}
        self.scenario_box.blockSignals(True)
        self.scenario_box.clear()
        document = self.workspace.document
        language = self.workspace.language
        if document is not None:
            for scenario in document.spec.scenarios:
                self.scenario_box.addItem(scenario.name.text(language), ("scenario", scenario.id))
        for record in self.plugins.values():
            name = record.manifest.name.text(language) if record.manifest else record.id
            suffix = "" if record.status == "ok" else f" ({record.reason})"
            self.scenario_box.addItem(self.tr("Model: {name}").format(name=name) + suffix,
                                      ("plugin", record.id))
        self.scenario_box.blockSignals(False)
        self._build_form()
        if session is not None:
            session.changed.connect(self._refresh)
            self._timer.start()
        else:
            self._timer.stop()
        self._refresh()

    def _choice(self) -> tuple[str, dict[str, Any], float, float] | None:
        """Plugin id, parameter values, duration and interval of the current choice."""
        data = self.scenario_box.currentData()
        if data is None:
            return None
        kind, key = data
        if kind == "plugin":
            return key, {}, self.duration.value(), self.interval.value()
        document = self.workspace.document
        scenario = next(s for s in document.spec.scenarios if s.id == key)
        return (scenario.plugin, dict(scenario.parameters), scenario.duration_h,
                scenario.output_interval_min)

    def _build_form(self, *_: object) -> None:
        while self.form.rowCount():
            self.form.removeRow(0)
        self.fields.clear()
        choice = self._choice()
        if choice is None:
            return
        plugin_id, values, duration, interval = choice
        self.duration.setValue(duration)
        self.interval.setValue(interval)
        record = self.plugins.get(plugin_id)
        if record is None or record.manifest is None:
            self.status.setText(self.tr("Model {plugin} is not installed or broken: {reason}")
                                .format(plugin=plugin_id,
                                        reason=record.reason if record else "-"))
            return
        for info in record.manifest.parameters:
            widget = _field(info, values.get(info.name, info.default))
            widget.setToolTip(f"{info.doc} [{info.units}]")
            self.form.addRow(info.name, widget)
            self.fields[info.name] = widget

    def values(self) -> dict[str, Any]:
        """Return the form's parameter values."""
        return {name: _value(widget) for name, widget in self.fields.items()}

    # -- running --------------------------------------------------------------------------------

    def run(self) -> bool:
        """Start the chosen rehearsal; return whether it started (else the status says why)."""
        choice = self._choice()
        if self.session is None or choice is None:
            return False
        plugin_id = choice[0]
        label = self.scenario_box.currentText()
        try:
            self.session.start(plugin_id, self.values(), duration_h=self.duration.value(),
                               output_interval_min=self.interval.value(),
                               start_time=self.workspace.clock.time, label=label)
        except TwinAppError as error:
            self.status.setText(self.tr("Not started: {reason}").format(reason=error.one_line()))
            return False
        self.status.setText(self.tr("Running {label}…").format(label=label))
        return True

    def cancel(self) -> None:
        """Cancel the run shown."""
        if self.session is not None:
            self.session.cancel()

    def _poll(self) -> None:
        if self.session is not None:
            self.session.poll()

    # -- what is shown --------------------------------------------------------------------------

    def _refresh(self) -> None:
        session = self.session
        entries = session.entries if session is not None else []
        chosen = self.compare_box.currentIndex()  # kept unless the session says otherwise
        for box in (self.runs_box, self.compare_box):
            box.blockSignals(True)  # setting the session's choices must not set them again
            box.clear()
            box.addItems([entry.label for entry in entries])
        current = session.current if session is not None else None
        if session is not None and session.active is not None:
            self.runs_box.setCurrentIndex(session.active)
        if session is not None and session.side_by_side is not None:
            chosen = session.side_by_side[1]
        elif session is not None and session.compare_with is not None:
            chosen = session.compare_with
        if 0 <= chosen < len(entries):
            self.compare_box.setCurrentIndex(chosen)
        for box in (self.runs_box, self.compare_box):
            box.blockSignals(False)
        running = current is not None and current.running
        self.run_button.setEnabled(session is not None and not running)
        self.cancel_button.setEnabled(running)
        done = current is not None and current.state == "succeeded"
        self.progress.setValue(100 if done else round(100 * current.fraction) if current else 0)
        if current is not None and not running and current.state != "pending":
            self.status.setText(self.tr("{label}: {state} {message}").format(
                label=current.label, state=current.state, message=current.message))
        self.side_by_side_button.blockSignals(True)
        self.side_by_side_button.setChecked(session is not None
                                            and session.side_by_side is not None)
        self.side_by_side_button.setEnabled(len(entries) >= 2)
        self.side_by_side_button.blockSignals(False)

    def _on_run_chosen(self, index: int) -> None:
        if self.session is not None and index >= 0:
            self.session.show(index)

    def _on_display_chosen(self, *_: object) -> None:
        if self.session is None:
            return
        display = DISPLAYS[max(self.display_box.currentIndex(), 0)]
        compare = self.compare_box.currentIndex() if display == "difference" else None
        self.session.set_display(display, compare if compare is not None and compare >= 0
                                 else None)

    def _on_side_by_side(self, on: bool) -> None:
        if self.session is None:
            return
        if not on:
            self.session.end_side_by_side()
            return
        self._compare_pair()

    def _on_pair_chosen(self, *_: object) -> None:
        if self.session is not None and self.session.side_by_side is not None:
            self._compare_pair()

    def _compare_pair(self) -> None:
        """Show the chosen run and the one compared with side by side (or say why not)."""
        try:
            self.session.compare_side_by_side(self.runs_box.currentIndex(),
                                              self.compare_box.currentIndex())
        except ComparisonError as error:
            self.status.setText(self.tr("Not compared: {reason}").format(
                reason=error.one_line()))
            self.side_by_side_button.blockSignals(True)
            self.side_by_side_button.setChecked(self.session.side_by_side is not None)
            self.side_by_side_button.blockSignals(False)

    def show_hydrograph(self, series: Hydrograph | None) -> None:
        """Plot depth over time at a probed point (or say that the point is off the grid)."""
        self.plot.clear()
        if series is None:
            self.status.setText(self.tr("That point is outside the rehearsal's grid"))
            return
        times = [moment.timestamp() for moment in series.times]
        self.plot.plot(times, series.depth_m, pen=pg.mkPen("#4fc3f7", width=2))
        self.plot.setLabel("left", self.tr("depth (m)"))
        self.status.setText(self.tr("Hydrograph at E {x:.0f}, N {y:.0f}").format(
            x=series.x, y=series.y))


def _spin(low: float, high: float, value: float, suffix: str, decimals: int) -> QDoubleSpinBox:
    box = QDoubleSpinBox()
    box.setRange(low, high)
    box.setDecimals(decimals)
    box.setValue(value)
    box.setSuffix(suffix)
    return box


def _field(info: ParamInfo, value: Any) -> QWidget:
    """Return an input for one parameter, with bounds and units from its table row."""
    kind = info.kind
    if kind == "bool":
        box = QCheckBox()
        box.setChecked(bool(value))
        return box
    if info.choices:
        combo = QComboBox()
        combo.addItems(info.choices)
        combo.setCurrentText(str(value))
        return combo
    if kind in ("int", "float"):
        spin: QSpinBox | QDoubleSpinBox = QSpinBox() if kind == "int" else QDoubleSpinBox()
        if kind == "float":
            spin.setDecimals(3)
        spin.setRange(info.min if info.min is not None else -1e9,
                      info.max if info.max is not None else 1e9)
        spin.setValue(value if kind == "float" else int(value))
        if info.units not in ("1", ""):
            spin.setSuffix(f" {info.units}")
        return spin
    return QLineEdit(str(value))


def _value(widget: QWidget) -> Any:
    if isinstance(widget, QCheckBox):
        return widget.isChecked()
    if isinstance(widget, QComboBox):
        return widget.currentText()
    if isinstance(widget, QSpinBox | QDoubleSpinBox):
        return widget.value()
    text = widget.text()
    if "," in text:
        return [float(part) for part in text.strip("[] ").split(",")]
    return text
