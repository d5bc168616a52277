"""The seepage section dock: a flood-wall section in 2D, its checks, its piezometers, leak flags.

Pick a section of the scene and press "Check": the dock runs the section on the river stage and
the piezometer readings of the telemetry store (the last 72 h up to the app clock, or the design
level when nothing was stored) in a worker thread, shows the result and puts failed checks and
leak flags into the alarm list.  The chart plays through the tide (slider, play button); the
tables list the checks with their safety factors, the piezometers (predicted and measured head at
the frame shown) and the leak flags, whose evidence (both series) is one click away.  "Show in
3D" draws the section in the scene (:mod:`twin_app.render.section_layer`) and opens the scene
along it.

A line drawn across a wall in the 3D view (the profile dock's "Seepage section from this line")
comes here: :meth:`SectionDock.derive_from_line` derives its section from the scene's BIM models,
terrain and soil profile in a worker thread (progress and cancel in the dock) and adds it to the
list, unsaved.  The "Edit" tab (:mod:`twin_app.qt.section_editor`) edits the chosen section;
until it is checked the chart shows its geometry, and "Check" waits until it is valid.
"""

from __future__ import annotations

import logging
import math
import os
import threading
from typing import Any

import numpy as np
import pyqtgraph as pg
from qtpy.QtCore import QEvent, Qt, QTimer, Signal
from qtpy.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDockWidget,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QSlider,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from twin_app.core.errors import OperationCancelledError, TwinAppError
from twin_app.core.progress import Feedback
from twin_app.io.section_edit import SectionDraft
from twin_app.io.section_frames import SectionFrames, outline_of
from twin_app.qt.section_editor import SectionEditor, describe
from twin_app.qt.section_plot import SectionPlot, plot_evidence
from twin_app.qt.wall.none_guard import keep_none_alive

logger = logging.getLogger(__name__)

PLAY_MS = 250
STORE_ENV = "TWIN_APP_STORE"


def _beijing(moment: np.datetime64) -> str:
    """Return a UTC time as Beijing time (as the app's charts show it), to the minute."""
    local = (moment + np.timedelta64(8, "h")).astype("datetime64[m]")
    return str(local).replace("T", " ") + " +08:00"


def _number(value: float, digits: int = 2) -> str:
    return "∞" if not math.isfinite(value) else f"{value:.{digits}f}"


class SectionDock(QDockWidget):
    """Shows a section's frames, checks, piezometers and leak flags (see the module docstring).

    Parameters
    ----------
    parent : QWidget, optional
        The main window.
    """

    computed = Signal(object, object)
    """Emitted (from the worker thread) with (frames, outcomes) or (None, error text)."""
    derived = Signal(object, object)
    """Emitted (from the worker thread) with (section, None) or (None, error text)."""
    progressed = Signal(float, str)
    """Emitted (from the worker thread) with the derivation's progress."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        keep_none_alive()  # playing a tide makes many void Qt calls (see none_guard)
        self.setObjectName("sectionDock")
        self.frames: SectionFrames | None = None
        self.document: Any = None
        self.session: Any = None
        self.view: Any = None
        self.layer: Any = None
        self.drafts: list[SectionDraft] = []
        self.feedback: Feedback | None = None
        self.checking = False
        self.section_box = QComboBox(self)
        self.check_button = QPushButton(self)
        self.field_box = QComboBox(self)
        self.play_button = QPushButton(self)
        self.play_button.setCheckable(True)
        self.slider = QSlider(Qt.Orientation.Horizontal, self)
        self.time_label = QLabel(self)
        self.time_label.setMinimumWidth(420)
        self.show_3d = QCheckBox(self)
        self.status = QLabel(self)
        self.status.setWordWrap(True)
        self.progress = QProgressBar(self)
        self.progress.setRange(0, 100)
        self.progress.setMaximumWidth(160)
        self.progress.hide()
        self.cancel_button = QPushButton(self)
        self.cancel_button.hide()
        self.plot = SectionPlot(self)
        self.plot.setMinimumHeight(220)
        self.tabs = QTabWidget(self)
        self.checks_table = self._table(6)
        self.piezometer_table = self._table(5)
        self.leaks_table = self._table(4)
        self.evidence_button = QPushButton(self)
        self.editor = SectionEditor(self)
        self.evidence = pg.PlotWidget(axisItems={"bottom": pg.DateAxisItem(utcOffset=-8 * 3600)})
        self.evidence.setBackground("#10202c")
        self.evidence.showGrid(x=True, y=True, alpha=0.25)
        self.evidence.addLegend(offset=(10, 10))
        self._timer = QTimer(self)
        self._timer.setInterval(PLAY_MS)
        self._layout()
        self.section_box.currentIndexChanged.connect(self.select)
        self.editor.edited.connect(self._on_edited)
        self.editor.saved.connect(lambda _: self._on_edited())
        self.plot.piezometer_moved.connect(self.editor.move_piezometer)
        self.cancel_button.clicked.connect(self.cancel_derivation)
        self.derived.connect(self._on_derived, Qt.ConnectionType.QueuedConnection)
        self.progressed.connect(lambda fraction, _: self.progress.setValue(int(fraction * 100)),
                                Qt.ConnectionType.QueuedConnection)
        self.check_button.clicked.connect(self.run_check)
        self.field_box.currentIndexChanged.connect(lambda _: self.show_frame(self.slider.value()))
        self.slider.valueChanged.connect(self.show_frame)
        self.play_button.toggled.connect(self._play)
        self._timer.timeout.connect(self._next)
        self.evidence_button.clicked.connect(lambda: self.show_evidence(
            self.leaks_table.currentRow()))
        self.leaks_table.cellDoubleClicked.connect(lambda row, _: self.show_evidence(row))
        self.show_3d.toggled.connect(self.set_3d)
        self.computed.connect(self._on_computed, Qt.ConnectionType.QueuedConnection)
        self.retranslate()

    def _table(self, columns: int) -> QTableWidget:
        table = QTableWidget(0, columns, self)
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.horizontalHeader().setStretchLastSection(True)
        table.verticalHeader().setVisible(False)
        return table

    def _layout(self) -> None:
        top = QHBoxLayout()
        for widget in (self.section_box, self.check_button, self.field_box, self.show_3d):
            top.addWidget(widget)
        top.addWidget(self.status, 1)
        top.addWidget(self.progress)
        top.addWidget(self.cancel_button)
        time_row = QHBoxLayout()
        time_row.addWidget(self.play_button)
        time_row.addWidget(self.slider, 1)
        time_row.addWidget(self.time_label)
        leaks = QWidget(self)
        leak_layout = QVBoxLayout(leaks)
        leak_layout.setContentsMargins(0, 0, 0, 0)
        leak_layout.addWidget(self.leaks_table, 1)
        leak_layout.addWidget(self.evidence_button)
        for widget in (self.checks_table, self.piezometer_table, leaks, self.evidence,
                       self.editor):
            self.tabs.addTab(widget, "")
        body = QWidget(self)
        layout = QVBoxLayout(body)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(top)
        layout.addWidget(self.plot, 3)
        layout.addLayout(time_row)
        layout.addWidget(self.tabs, 2)
        self.setWidget(body)

    # -- scene and computation ------------------------------------------------------------------

    @property
    def sections(self) -> list[Any]:
        """Return the sections listed (as edited, saved or not)."""
        return [draft.placed for draft in self.drafts]

    def set_scene(self, document: Any, session: Any = None, view: Any = None) -> None:
        """Follow a scene: list its sections; ``session`` gets the alarms, ``view`` the 3D."""
        from twin_app.io.sections import SectionFileError, scene_sections

        self.set_3d(False)
        self.cancel_derivation()
        self.document, self.session, self.view = document, session, view
        problem = None
        try:
            found = scene_sections(document.folder) if document is not None else []
        except SectionFileError as error:
            found, problem = [], error.one_line()
        self.drafts = [SectionDraft(placed) for placed in found]
        self.section_box.blockSignals(True)
        self.section_box.clear()
        for draft in self.drafts:
            self.section_box.addItem(describe(draft), draft.id)
        self.section_box.blockSignals(False)
        self.select(self.section_box.currentIndex())
        if problem:
            self.status.setText(problem)

    def current_draft(self) -> SectionDraft | None:
        """Return the section chosen in the list, or ``None``."""
        index = self.section_box.currentIndex()
        return self.drafts[index] if 0 <= index < len(self.drafts) else None

    def select(self, index: int) -> None:
        """Show section ``index`` of the list: its geometry (or its check) and its editor."""
        draft = self.drafts[index] if 0 <= index < len(self.drafts) else None
        folder = getattr(self.document, "folder", None)
        self.editor.set_draft(draft, folder)
        if draft is not None and (self.frames is None or self.frames.id != draft.id):
            self.show_outline(draft)
        self.retranslate()

    def show_outline(self, draft: SectionDraft, keep_view: bool = False) -> None:
        """Chart a section's geometry (no results: they belong to the section as checked)."""
        self.set_3d(False)
        self.show_3d.blockSignals(True)
        self.show_3d.setChecked(False)
        self.show_3d.blockSignals(False)
        self.frames = None
        self.plot.set_outline(outline_of(draft.placed), keep_view=keep_view)
        for table in (self.checks_table, self.piezometer_table, self.leaks_table):
            table.setRowCount(0)

    def add_section(self, placed: Any, saved: bool = True) -> SectionDraft:
        """Add a section to the list (``saved``: as its file holds it) and choose it."""
        draft = SectionDraft(placed, saved=saved)
        self.drafts.append(draft)
        self.section_box.addItem(describe(draft), draft.id)
        self.section_box.setCurrentIndex(len(self.drafts) - 1)
        return draft

    def _on_edited(self) -> None:
        draft = self.current_draft()
        if draft is None:
            return
        self.section_box.setItemText(self.section_box.currentIndex(), describe(draft))
        self.show_outline(draft, keep_view=True)
        self.retranslate()

    # -- deriving a section from a line ---------------------------------------------------------

    def derive_from_line(self, start: Any, end: Any) -> bool:
        """Derive the section along a line (map points) in a worker thread; add it when done.

        Returns whether the derivation was started (a scene must be open and none running).
        """
        from twin_app.io.section_derive import derive_picked_section, new_section_id

        self.show()
        self.raise_()
        if self.document is None:
            self.status.setText(self.tr("Open a scene first"))
            return False
        if self.feedback is not None:
            self.status.setText(self.tr("A section is being derived already"))
            return False
        section_id = new_section_id([draft.id for draft in self.drafts])
        feedback = self.feedback = Feedback(f"deriving seepage section {section_id}")
        feedback.progressed.connect(lambda fraction, text: self.progressed.emit(fraction, text))
        self.progress.setValue(0)
        self.progress.show()
        self.cancel_button.show()
        self.status.setText(self.tr("Deriving section {section} from the scene's BIM models, "
                                    "terrain and soils…").format(section=section_id))
        document = self.document

        def work() -> None:
            try:
                placed = derive_picked_section(document, start, end, section_id=section_id,
                                               feedback=feedback)
                self.derived.emit(placed, None)
            except OperationCancelledError:
                self.derived.emit(None, None)
            except TwinAppError as error:
                self.derived.emit(None, error.one_line())
            except Exception as error:  # reported in the dock (logged with its trace), not a crash
                logger.exception("deriving section %s failed", section_id)
                self.derived.emit(None, str(error))

        threading.Thread(target=work, daemon=True, name=f"derive-{section_id}").start()
        return True

    def cancel_derivation(self) -> None:
        """Stop a derivation running (its result is dropped)."""
        if self.feedback is not None:
            self.feedback.cancel()

    def _on_derived(self, placed: Any, error: str | None) -> None:
        cancelled = self.feedback is not None and self.feedback.cancelled
        self.feedback = None
        self.progress.hide()
        self.cancel_button.hide()
        if placed is None or cancelled:
            self.status.setText(self.tr("No section: {error}").format(error=error) if error
                                else self.tr("Derivation cancelled"))
            return
        self.add_section(placed, saved=False)
        section = placed.section
        self.status.setText(self.tr(
            "Section {section} derived: {length} m, {walls} wall(s), {piles} cut-off(s), "
            "{piezometers} piezometer(s); not saved yet").format(
            section=placed.id, length=f"{placed.length:.0f}", walls=len(section.walls),
            piles=len(section.sheet_piles), piezometers=len(section.piezometers)))

    # -- checking -------------------------------------------------------------------------------

    def run_check(self) -> None:
        """Check the chosen section in a worker thread (the result arrives in the GUI thread)."""
        draft = self.current_draft()
        if draft is None:
            return
        if not draft.valid:
            self.status.setText(self.tr("Not valid, cannot be checked: {problem}").format(
                problem=draft.problem))
            return
        placed = draft.placed
        url = getattr(getattr(self.session, "store", None), "url", None) or os.environ.get(
            STORE_ENV)
        until = self.document_clock()
        self.checking = True
        self.check_button.setEnabled(False)
        self.status.setText(self.tr("Checking {section}…").format(section=placed.id))
        threading.Thread(target=self._compute, args=(placed, url, until), daemon=True,
                         name=f"seepage-{placed.id}").start()

    def document_clock(self) -> Any:
        """Return the app clock's time (the end of the period checked), if known."""
        return getattr(getattr(self.session, "clock", None), "time", None)

    def _compute(self, placed: Any, url: str | None, until: Any) -> None:
        from twin_app.telemetry.seepage import assess_from_store, assess_section, stored_window
        from twin_app.telemetry.store import open_store

        try:
            with open_store(url) as store:
                window = stored_window(store, placed.checks.get("stage_sensor"), until=until)
                assessment = (assess_from_store(placed, store, *window) if window
                              else assess_section(placed))
            self.computed.emit(assessment.frames(), assessment.outcomes())
        except Exception as error:  # noqa: BLE001 - any failure is reported in the dock
            logger.warning("seepage check of %s failed: %s", placed.id, error)
            self.computed.emit(None, str(error))

    def _on_computed(self, frames: SectionFrames | None, outcomes: Any) -> None:
        self.checking = False
        draft = self.current_draft()
        self.check_button.setEnabled(draft is None or draft.valid)
        if frames is None:
            self.status.setText(self.tr("Check failed: {error}").format(error=outcomes))
            return
        if self.session is not None:
            self.session.post_checks(outcomes)
        self.set_frames(frames)

    # -- showing --------------------------------------------------------------------------------

    def set_frames(self, frames: SectionFrames) -> None:
        """Show a section's frames, checks and leak flags."""
        self.frames = frames
        self.plot.set_frames(frames)
        self.slider.blockSignals(True)
        self.slider.setRange(0, frames.count - 1)
        self.slider.setValue(0)
        self.slider.blockSignals(False)
        self._fill_checks(frames)
        self._fill_leaks(frames)
        if self.layer is not None:
            self.set_3d(False)
            self.set_3d(True)
        self.show_frame(0)
        self.retranslate()

    def field(self) -> str:
        """Return the field shown: ``head`` or ``pressure``."""
        return "pressure" if self.field_box.currentIndex() == 1 else "head"

    def show_frame(self, index: int) -> None:
        """Show frame ``index`` in the chart, the piezometer table and the 3D layer."""
        frames = self.frames
        if frames is None:
            return
        index = int(np.clip(index, 0, frames.count - 1))
        self.plot.show_frame(index, self.field())
        when = (_beijing(frames.clock[index]) if frames.clock is not None
                else f"{frames.times[index] / 3600:.1f} h")
        self.time_label.setText(self.tr("{when}, river {stage} m, {discharge} m³/s per m").format(
            when=when, stage=f"{frames.stage[index]:.2f}",
            discharge=f"{frames.discharge[index]:.2e}"))
        self._fill_piezometers(frames, index)
        if self.layer is not None:
            self.layer.show(index, self.field())
            self.layer.plotter.render()

    def _set_row(self, table: QTableWidget, row: int, cells: list[str],
                 colour: str | None = None) -> None:
        for column, text in enumerate(cells):
            item = QTableWidgetItem(text)
            if colour is not None:
                item.setForeground(pg.mkColor(colour))
            table.setItem(row, column, item)

    def _fill_checks(self, frames: SectionFrames) -> None:
        self.checks_table.setRowCount(len(frames.checks))
        for row, check in enumerate(frames.checks):
            verdict = self.tr("OK") if check.passed else self.tr("Fails")
            self._set_row(self.checks_table, row, [
                check.name, _number(check.value, 3), _number(check.limit, 3),
                _number(check.safety_factor), _number(check.required), verdict],
                None if check.passed else "#ff5252")
            self.checks_table.item(row, 0).setToolTip(check.text)

    def _fill_piezometers(self, frames: SectionFrames, index: int) -> None:
        measured = frames.measured_at(index)
        self.piezometer_table.setRowCount(len(frames.piezometers))
        for row, (pid, x, z) in enumerate(frames.piezometers):
            predicted = float(frames.predicted[index, row]) if frames.predicted.size else math.nan
            value = measured.get(pid)
            self._set_row(self.piezometer_table, row, [
                pid, f"{x:.1f} / {z:.1f}", _number(predicted),
                "—" if value is None else _number(value),
                "—" if value is None else f"{value - predicted:+.2f}"])

    def _fill_leaks(self, frames: SectionFrames) -> None:
        self.leaks_table.setRowCount(len(frames.leaks))
        for row, leak in enumerate(frames.leaks):
            self._set_row(self.leaks_table, row, [
                leak.piezometer, _beijing(leak.start),
                f"{leak.max_excess:.2f}", leak.text], "#ffa726")
        if frames.leaks:
            self.leaks_table.selectRow(0)
        self.evidence_button.setEnabled(bool(frames.leaks))

    def show_evidence(self, row: int) -> None:
        """Chart a leak flag's evidence: both series, the flagged episode shaded."""
        frames = self.frames
        if frames is None or not 0 <= row < len(frames.leaks):
            return
        leak = frames.leaks[row]
        plot_evidence(self.evidence, frames, leak, (self.tr("measured"), self.tr("predicted"),
                                                     self.tr("flagged")))
        self.evidence.setLabel("left", self.tr("Head (m) at {piezometer}").format(
            piezometer=leak.piezometer))
        self.tabs.setCurrentWidget(self.evidence)

    # -- playing and 3D -------------------------------------------------------------------------

    def _play(self, playing: bool) -> None:
        if playing:
            self._timer.start()
        else:
            self._timer.stop()
        self.retranslate()

    def _next(self) -> None:
        if self.frames is None or self.frames.count < 2:
            self.play_button.setChecked(False)
            return
        self.slider.setValue((self.slider.value() + 1) % self.frames.count)

    def set_3d(self, shown: bool) -> None:
        """Draw the section in the 3D view (and open the scene along it), or take it away."""
        if self.layer is not None:
            self.layer.remove()
            self.layer = None
            workspace = getattr(self.view, "workspace", None)
            if workspace is not None:
                workspace.section = None
        if not shown or self.frames is None or self.view is None or self.frames.line is None:
            if shown and self.show_3d.isChecked() and self.view is None:
                self.status.setText(self.tr("Open a scene first"))
            return
        from twin_app.render.section_layer import SectionLayer

        view = self.view
        self.layer = SectionLayer(view.plotter, self.frames, view.geometry.frame,
                                  z_scale=getattr(view, "exaggeration", 1.0))
        view.workspace.section = self.layer.cut(tuple(view.plotter.camera.position))
        self.layer.show(self.slider.value(), self.field())
        self.layer.look_at()
        view.plotter.render()

    # -- texts ----------------------------------------------------------------------------------

    def retranslate(self) -> None:
        """Set the texts in the current language."""
        self.setWindowTitle(self.tr("Seepage section"))
        self.check_button.setText(self.tr("Check"))
        draft = self.current_draft()
        self.check_button.setEnabled(not self.checking and (draft is None or draft.valid))
        self.cancel_button.setText(self.tr("Cancel"))
        self.check_button.setToolTip(self.tr("Run the section on the stored tide and "
                                             "piezometers; failed checks go to the alarm list"))
        current = self.field_box.currentIndex()
        self.field_box.blockSignals(True)
        self.field_box.clear()
        self.field_box.addItems([self.tr("Total head"), self.tr("Pore pressure")])
        self.field_box.setCurrentIndex(max(current, 0))
        self.field_box.blockSignals(False)
        self.play_button.setText(self.tr("Pause") if self.play_button.isChecked()
                                 else self.tr("Play"))
        self.show_3d.setText(self.tr("Show in 3D"))
        self.evidence_button.setText(self.tr("Show evidence"))
        for index, text in enumerate((self.tr("Checks"), self.tr("Piezometers"),
                                      self.tr("Leak flags"), self.tr("Evidence"),
                                      self.tr("Edit"))):
            self.tabs.setTabText(index, text)
        self.checks_table.setHorizontalHeaderLabels([
            self.tr("Check"), self.tr("Value"), self.tr("Limit"), self.tr("Safety factor"),
            self.tr("Required"), self.tr("Result")])
        self.piezometer_table.setHorizontalHeaderLabels([
            self.tr("Piezometer"), self.tr("x / z (m)"), self.tr("Predicted (m)"),
            self.tr("Measured (m)"), self.tr("Difference (m)")])
        self.leaks_table.setHorizontalHeaderLabels([
            self.tr("Piezometer"), self.tr("From"), self.tr("Largest excess (m)"),
            self.tr("Details")])
        self.plot.setLabel("left", self.tr("Elevation (m)"))
        self.plot.setLabel("bottom", self.tr("Distance from the river end (m)"))
        self.evidence.setLabel("bottom", self.tr("Time"))
        if self.frames is not None:
            failed = sum(not check.passed for check in self.frames.checks)
            self.status.setText(self.tr("{section}: {failed} check(s) failed, {leaks} leak "
                                        "flag(s)").format(section=self.frames.id, failed=failed,
                                                          leaks=len(self.frames.leaks)))
        elif draft is not None and draft.problem and self.feedback is None:
            self.status.setText(self.tr("Not valid, cannot be checked: {problem}").format(
                problem=draft.problem))
        elif draft is not None and self.feedback is None:
            self.status.setText(self.tr("{section}: valid, not checked yet").format(
                section=draft.id))
        elif not self.drafts and self.feedback is None:
            self.status.setText(self.tr("This scene has no seepage sections"))
        self.play_button.setEnabled(self.frames is not None)
        self.slider.setEnabled(self.frames is not None)

    def changeEvent(self, event: QEvent) -> None:
        """Re-read texts when the language changes."""
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)


def install(window: Any) -> SectionDock:
    """Add the section dock to a main window (bottom area, hidden) and follow its scenes.

    The window needs ``scene_shown``; it may have ``workspace`` (its ``document``),
    ``session`` (alarms), ``view`` (3D) and ``view_menu`` (the dock's toggle action).
    """
    dock = SectionDock(window)
    window.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, dock)
    dock.hide()
    menu = getattr(window, "view_menu", None)
    if menu is not None:
        menu.addAction(dock.toggleViewAction())

    def follow(*_: object) -> None:
        workspace = getattr(window, "workspace", None)
        dock.set_scene(getattr(workspace, "document", None), getattr(window, "session", None),
                       getattr(window, "view", None))

    window.scene_shown.connect(follow)
    profile = getattr(window, "profile_dock", None)
    if profile is not None:  # a line drawn across a wall gives a section
        profile.section_requested.connect(dock.derive_from_line)
    window.section_dock = dock
    return dock
