"""Forecast, ensemble and response plans (预报 · 预案) for the open scene.

Three sections, each doing its work off the GUI thread with progress and cancel:

- **Forecast**: the next hours at every gauge from the store's current state (or, while a recorded
  event plays, from what the event has shown so far), with the warning sentences and a chart.
- **Ensemble**: members of a scene ensemble run on Dask; the probability of flooding is draped
  on the terrain when they are done, and the exceedance curves at the gauges and the failed
  members are charted and listed (:class:`~twin_app.qt.ensemble_view.EnsembleView`).
- **Plans**: which plans the live values and the forecast trigger; a plan is rehearsed with and
  without its actions and both runs go to the rehearsal panel, compared as a difference map;
  the rehearsed plan's brief exports to PDF.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pyqtgraph as pg
from qtpy.QtCore import QEvent, QObject, Qt, QTimer, Signal
from qtpy.QtWidgets import (
    QComboBox,
    QDockWidget,
    QDoubleSpinBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from twin_app.core.errors import OperationCancelledError, TwinAppError
from twin_app.core.progress import Feedback
from twin_app.core.workspace import Workspace
from twin_app.ensemble.prepare import prepare_ensemble
from twin_app.ensemble.runner import EnsembleRun
from twin_app.ensemble.spec import scene_specs
from twin_app.forecast.forecast import Forecast, make_forecast
from twin_app.plans.brief import write_brief
from twin_app.plans.library import PlanLibrary, load_library
from twin_app.plans.rehearse import PlanComparison, rehearse_plan
from twin_app.plans.triggers import PlanStatus, TriggerEvaluator
from twin_app.qt.ensemble_view import EnsembleView

logger = logging.getLogger(__name__)

POLL_MS = 200
StoreProvider = Callable[[], Any]
"""Returns an open telemetry store holding what the app shows (the caller closes it)."""


class VerticalScroll(QScrollArea):
    """Scrolls its widget up and down, and is as wide as the widget needs (no sideways scroll)."""

    def __init__(self, body: QWidget, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWidgetResizable(True)
        self.setFrameShape(QScrollArea.Shape.NoFrame)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setWidget(body)
        body.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Follow the widget's minimum width when its layout changes (texts, language)."""
        if watched is self.widget() and event.type() in (QEvent.Type.LayoutRequest,
                                                         QEvent.Type.Show):
            bar = self.verticalScrollBar().sizeHint().width()
            self.setMinimumWidth(watched.minimumSizeHint().width() + bar + 2 * self.frameWidth())
        return super().eventFilter(watched, event)


class OutlookDock(QDockWidget):
    """Forecast, ensemble and plans of the open scene.

    Parameters
    ----------
    workspace : Workspace
        The open scene, its shown values and clock.
    parent : QWidget, optional
        The main window.
    """

    finished = Signal(str, object)
    """A background job ended: its kind ("forecast", "plan", "brief") and result or exception."""
    probability_ready = Signal(object)
    """An ensemble's aggregate (maps on the model grid), to drape on the terrain."""
    plan_rehearsed = Signal(object)
    """A plan's comparison: its two run folders go to the rehearsal panel."""

    def __init__(self, workspace: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("outlookDock")
        self.workspace = workspace
        self.store_provider: StoreProvider | None = None
        self.runs_dir: Any = None
        self.forecast: Forecast | None = None
        self.library: PlanLibrary | None = None
        self.ensemble: EnsembleRun | None = None
        self.ensemble_workers = 2
        self.plan_plugin: str | None = None
        """Rehearse plans with this plugin's setup (``None``: the first one installed)."""
        self.comparison: PlanComparison | None = None
        self._comparison_status: PlanStatus | None = None
        self._rehearsing: PlanStatus | None = None
        self.job: Future | None = None
        self.feedback: Feedback | None = None
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="outlook")
        body = QWidget(self)
        layout = QVBoxLayout(body)
        self.hours = QDoubleSpinBox(body)
        self.hours.setRange(6.0, 240.0)
        self.hours.setValue(48.0)
        self.hours.setSuffix(" h")
        self.forecast_button = QPushButton(body)
        self.forecast_button.clicked.connect(self.run_forecast)
        row = QHBoxLayout()
        row.addWidget(self.hours)
        row.addWidget(self.forecast_button)
        self.sentences = QListWidget(body)
        self.plot = pg.PlotWidget(body)
        self.plot.setMinimumHeight(130)
        self.plot.setAxisItems({"bottom": pg.DateAxisItem()})
        self.ensemble_box = QComboBox(body)
        self.members = QSpinBox(body)
        self.members.setRange(2, 500)
        self.members.setValue(8)
        self.ensemble_button = QPushButton(body)
        self.ensemble_button.clicked.connect(self.run_ensemble)
        ensemble_row = QHBoxLayout()
        ensemble_row.addWidget(self.ensemble_box, 1)
        ensemble_row.addWidget(self.members)
        ensemble_row.addWidget(self.ensemble_button)
        self.ensemble_view = EnsembleView(workspace, body)
        self.ensemble_view.setVisible(False)
        self.plans = QListWidget(body)
        self.plan_button = QPushButton(body)
        self.plan_button.clicked.connect(self.rehearse_selected_plan)
        self.brief_button = QPushButton(body)
        self.brief_button.clicked.connect(self._ask_brief_path)
        plan_row = QHBoxLayout()
        plan_row.addWidget(self.plan_button, 1)
        plan_row.addWidget(self.brief_button)
        self.progress = QProgressBar(body)
        self.cancel_button = QPushButton(body)
        self.cancel_button.clicked.connect(self.cancel)
        bottom = QHBoxLayout()
        bottom.addWidget(self.progress, 1)
        bottom.addWidget(self.cancel_button)
        self.status = QLabel(body)
        self.status.setWordWrap(True)
        self.forecast_label, self.ensemble_label, self.plans_label = (QLabel(body) for _ in "abc")
        for item in (self.forecast_label, row, self.sentences, self.plot, self.ensemble_label,
                     ensemble_row, self.ensemble_view, self.plans_label, self.plans, plan_row,
                     bottom, self.status):
            (layout.addLayout if isinstance(item, QHBoxLayout) else layout.addWidget)(item)
        self.setWidget(VerticalScroll(body, self))  # the sections scroll, never squeezed
        self.finished.connect(self._on_finished)
        self._timer = QTimer(self)
        self._timer.setInterval(POLL_MS)
        self._timer.timeout.connect(self._poll)
        self.retranslate()
        self._set_busy(False)

    def retranslate(self) -> None:
        """Set the texts in the current language."""
        self.setWindowTitle(self.tr("Forecast and plans"))
        self.forecast_label.setText(self.tr("Forecast at the gauges"))
        self.forecast_button.setText(self.tr("Forecast"))
        self.ensemble_label.setText(self.tr("Ensemble (members on Dask)"))
        self.ensemble_button.setText(self.tr("Run ensemble"))
        self.plans_label.setText(self.tr("Response plans"))
        self.plan_button.setText(self.tr("Rehearse the chosen plan with and without its actions"))
        self.brief_button.setText(self.tr("Export brief (PDF)…"))
        self.brief_button.setToolTip(self.tr("The rehearsed plan's brief: trigger, actions, units, "
                                             "checklist and the comparison with and without it"))
        self.cancel_button.setText(self.tr("Cancel"))

    def changeEvent(self, event: QEvent) -> None:
        """Re-read texts when the language changes."""
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    # -- the scene ------------------------------------------------------------------------------

    def attach(self, store_provider: StoreProvider | None, runs_dir: Any = None) -> None:
        """Work on the open scene (``None`` when it closes): its ensembles and plans."""
        self.cancel()
        self.store_provider, self.runs_dir = store_provider, runs_dir
        self.forecast, self.library = None, None
        self.comparison, self._comparison_status = None, None
        self.ensemble_view.clear()
        self.ensemble_view.setVisible(False)
        self.sentences.clear()
        self.plot.clear()
        self.ensemble_box.clear()
        self.plans.clear()
        document = self.workspace.document
        if document is None or store_provider is None:
            return
        for spec in scene_specs(document.folder):
            self.ensemble_box.addItem(spec.id, spec)
        try:
            self.library = load_library(document)
        except TwinAppError as error:
            self.status.setText(error.one_line())
        self._set_busy(False)  # the buttons work now that a scene is open
        self.evaluate_plans()

    # -- background work ------------------------------------------------------------------------

    def _set_busy(self, busy: bool) -> None:
        for button in (self.forecast_button, self.ensemble_button, self.plan_button):
            button.setEnabled(not busy and self.workspace.document is not None)
        self.brief_button.setEnabled(not busy and self.comparison is not None)
        self.cancel_button.setEnabled(busy)
        self.progress.setRange(0, 100)
        if not busy:
            self.progress.setValue(0)

    def _submit(self, kind: str, work: Callable[[], Any]) -> None:
        def run() -> None:
            try:
                result = work()
            except Exception as error:  # noqa: BLE001 - reported in the panel, never raised
                self.finished.emit(kind, error)
            else:
                self.finished.emit(kind, result)

        self._set_busy(True)
        self.job = self._pool.submit(run)
        self._timer.start()

    def cancel(self) -> None:
        """Cancel what is running (a plan rehearsal or an ensemble)."""
        if self.feedback is not None:
            self.feedback.cancel()
        if self.ensemble is not None and not self.ensemble.done:
            self.ensemble.cancel()

    def _poll(self) -> None:
        if self.feedback is not None:
            self.progress.setValue(round(100 * self.feedback.fraction))
        if self.ensemble is not None:
            self.ensemble.poll()
            states = self.ensemble.member_states.values()
            fractions = [1.0 if state in ("succeeded", "failed", "cancelled") else fraction
                         for state, fraction in states]
            self.progress.setValue(round(100 * sum(fractions) / max(len(fractions), 1)))
            if self.ensemble.done:
                self._finish_ensemble()

    def _on_finished(self, kind: str, result: object) -> None:
        self.job, self.feedback = None, None
        if self.ensemble is None:
            self._timer.stop()
            self._set_busy(False)
        if isinstance(result, OperationCancelledError):
            self.status.setText(self.tr("Cancelled"))
        elif isinstance(result, TwinAppError):
            self.status.setText(result.one_line())
        elif isinstance(result, Exception):
            logger.error("%s failed: %r", kind, result)
            self.status.setText(self.tr("{kind} failed: {error}").format(kind=kind, error=result))
        elif kind == "forecast":
            self._show_forecast(result)
        elif kind == "plan":
            self._plan_done(result)
        elif kind == "brief":
            self.status.setText(self.tr("Brief written: {path}").format(path=result))

    # -- forecast -------------------------------------------------------------------------------

    def run_forecast(self) -> None:
        """Forecast the next hours at every gauge (off the GUI thread)."""
        document, provider = self.workspace.document, self.store_provider
        if document is None or provider is None:
            return
        hours = self.hours.value()
        self.progress.setRange(0, 0)  # busy: the forecast does not report its progress

        def work() -> Forecast:
            store = provider()
            try:
                return make_forecast(document, store, hours=hours)
            finally:
                store.close()

        self._submit("forecast", work)
        self.status.setText(self.tr("Forecasting…"))

    def _show_forecast(self, forecast: Forecast) -> None:
        self.forecast = forecast
        language = self.workspace.language
        self.sentences.clear()
        self.sentences.addItems(forecast.sentences(language))
        self.plot.clear()
        colours = ("#4fc3f7", "#ffb74d", "#81c784", "#e57373", "#ba68c8")
        times = forecast.times.astype("datetime64[ms]").astype("int64") / 1000.0  # UTC epoch
        for index, gauge in enumerate(forecast.gauges):
            pen = pg.mkPen(colours[index % len(colours)], width=2)
            self.plot.plot(times, gauge.level, pen=pen, name=gauge.sensor_id)
            if gauge.warning is not None:
                line = pg.InfiniteLine(gauge.warning.value, angle=0,
                                       pen=pg.mkPen("#d50000", style=Qt.PenStyle.DashLine))
                self.plot.addItem(line)
        self.status.setText(self.tr("Forecast issued {time}").format(time=forecast.issued))
        self.evaluate_plans()

    # -- plans ----------------------------------------------------------------------------------

    def evaluate_plans(self) -> list[Any]:
        """Show each plan with whether the shown values and the forecast trigger it."""
        document, library = self.workspace.document, self.library
        self.plans.clear()
        if document is None or library is None or self.workspace.live is None:
            return []
        values = {sensor: value.value for sensor, value in
                  self.workspace.live.snapshot(self.workspace.clock.time).items()}
        statuses = TriggerEvaluator(library, document).evaluate(values, forecast=self.forecast)
        language = self.workspace.language
        for status in statuses:
            self.plans.addItem(status.text(language))
        self._statuses = statuses
        return statuses

    def rehearse_selected_plan(self) -> None:
        """Rehearse the chosen plan with and without its actions (needs a forecast)."""
        row = self.plans.currentRow()
        document, library = self.workspace.document, self.library
        if document is None or library is None or row < 0:
            return
        if self.forecast is None:
            self.status.setText(self.tr("Make a forecast first: the plan is rehearsed on it"))
            return
        status = self._rehearsing = self._statuses[row]
        forecast = self.forecast
        out_dir = self.runs_dir / document.spec.id / f"plan-{status.plan.id}"
        feedback = self.feedback = Feedback("plan rehearsal")
        plugin = self.plan_plugin

        def work() -> Any:
            return rehearse_plan(library, status.plan.id, document, forecast, out_dir=out_dir,
                                 event_time=status.event_time, plugin=plugin,
                                 feedback=feedback)

        self._submit("plan", work)
        self.status.setText(self.tr("Rehearsing {plan}…").format(plan=status.plan.id))

    def _plan_done(self, comparison: PlanComparison) -> None:
        self.status.setText("\n".join(comparison.sentences(self.workspace.language)))
        if comparison.ok:
            self.comparison, self._comparison_status = comparison, self._rehearsing
        self.brief_button.setEnabled(self.ensemble is None and self.comparison is not None)
        self.plan_rehearsed.emit(comparison)

    def brief_path(self) -> Path | None:
        """Return where the rehearsed plan's brief goes by default (its rehearsal folder)."""
        document, comparison = self.workspace.document, self.comparison
        if document is None or comparison is None or self.runs_dir is None:
            return None
        return Path(self.runs_dir) / document.spec.id / f"plan-{comparison.plan.id}" / "brief.pdf"

    def _ask_brief_path(self) -> None:
        default = self.brief_path()
        if default is None:
            return
        chosen, _ = QFileDialog.getSaveFileName(self, self.tr("Export brief (PDF)"),
                                                str(default), self.tr("PDF files (*.pdf)"))
        if chosen:
            self.export_brief(Path(chosen))

    def export_brief(self, path: Path) -> None:
        """Write the rehearsed plan's brief to ``path`` (off the GUI thread; the status says where).

        The brief is in the interface's language; its Chinese needs a CJK font (see
        :mod:`twin_app.plans.brief`), and a missing font is reported in the status line.
        """
        library, comparison = self.library, self.comparison
        if library is None or comparison is None:
            return
        status = self._comparison_status
        language = "zh" if self.workspace.language.startswith("zh") else "en"
        path = path if path.suffix.lower() == ".pdf" else path.with_suffix(".pdf")
        self.progress.setRange(0, 0)  # busy: writing does not report its progress

        def work() -> Path:
            path.parent.mkdir(parents=True, exist_ok=True)
            return write_brief(path, library, comparison.plan, status=status,
                               comparison=comparison, language=language)

        self._submit("brief", work)
        self.status.setText(self.tr("Writing the brief of {plan}…").format(plan=comparison.plan.id))

    # -- ensemble -------------------------------------------------------------------------------

    def run_ensemble(self) -> None:
        """Run the chosen scene ensemble on a local Dask cluster (``ensemble_workers`` workers)."""
        document, spec = self.workspace.document, self.ensemble_box.currentData()
        if document is None or spec is None:
            return
        try:
            plan = prepare_ensemble(spec, out_dir=self.runs_dir / document.spec.id /
                                    f"ensemble-{spec.id}", scene=document,
                                    members=self.members.value())
            self.ensemble = EnsembleRun(plan, n_workers=self.ensemble_workers).start()
        except TwinAppError as error:
            self.status.setText(error.one_line())
            return
        self._set_busy(True)
        self._timer.start()
        self.status.setText(self.tr("Ensemble {name}: {count} members…").format(
            name=spec.id, count=self.members.value()))

    def _finish_ensemble(self) -> None:
        run, self.ensemble = self.ensemble, None
        self._timer.stop()
        self._set_busy(False)
        result = run.result if run is not None else None
        if result is not None:
            self.ensemble_view.show_result(result)
            self.ensemble_view.setVisible(True)
        if result is None:
            self.status.setText(self.tr("The ensemble ended without results"))
            return
        if result.aggregate is None:
            self.status.setText(self.tr("The ensemble ended without results ({reason})").format(
                reason=result.message))
            return
        failed = len(result.failed)
        self.status.setText(self.tr("{count} members aggregated, {failed} failed").format(
            count=result.aggregate.count, failed=failed))
        self.probability_ready.emit(result.aggregate)
