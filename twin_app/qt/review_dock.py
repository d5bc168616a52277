"""The model-review panel (施工例会): topics with views, comments, status; BCF; 4D; report; video.

The board (:class:`~twin_app.core.review.ReviewBoard`) is the state; this panel shows it, edits it
through its methods, and saves it after every change (its
:class:`~twin_app.core.review_store.ReviewStore`).
The video is made by ``twin-app review video`` in a child process, so the window keeps drawing and
the export can be cancelled.
"""

from __future__ import annotations

import getpass
import logging
import sys
from collections import Counter
from datetime import date
from pathlib import Path
from typing import Any

from qtpy.QtCore import QEvent, QProcess, Qt
from qtpy.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDockWidget,
    QFileDialog,
    QGridLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from twin_app.core.construction import PlanDelta, day_of
from twin_app.core.errors import TwinAppError
from twin_app.core.fonts import find_cjk_font
from twin_app.core.review import ReviewBoard, Topic, apply_viewpoint, capture_viewpoint
from twin_app.core.review_store import ReviewStore
from twin_app.core.workspace import Workspace
from twin_app.io.bcf.scene import export_scene_bcf, import_scene_bcf
from twin_app.io.report_pdf import ReportImage, progress_tables, write_meeting_report
from twin_app.render.colours import PLAN_DELTA_COLOURS
from twin_app.render.review_camera import camera_state, move_camera, snapshot_png
from twin_app.render.view import SceneView

logger = logging.getLogger(__name__)

STATUSES = ("open", "in_progress", "closed")
PLAN_AGAINST_ACTUAL = 2
"""The 4D display box's entry that colours elements by plan against actual."""


class ReviewDock(QDockWidget):
    """Topics of the open scene's model review.

    Parameters
    ----------
    workspace : Workspace
        The open scene, its selection, layers and clock.
    parent : QWidget, optional
        The main window.
    """

    def __init__(self, workspace: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("reviewDock")
        self.workspace = workspace
        self.view: SceneView | None = None
        self.board: ReviewBoard | None = None
        self.store: ReviewStore | None = None
        self.schedules: dict[str, Any] = {}
        self.video_process: QProcess | None = None
        body = QWidget(self)
        layout = QVBoxLayout(body)
        self.author = QLineEdit(_user(), body)
        self.title = QLineEdit(body)
        self.topics = QListWidget(body)
        self.topics.currentRowChanged.connect(self._on_topic_chosen)
        self.comment = QLineEdit(body)
        self.status_box = QComboBox(body)
        self.status_box.activated.connect(self._on_status_chosen)
        self.buttons: dict[str, QPushButton] = {}
        grid = QGridLayout()
        for index, (key, slot) in enumerate((
                ("new", self.new_topic), ("go", self.go_to_current),
                ("comment", self.add_comment), ("export", self._choose_bcf_export),
                ("import", self._choose_bcf_import), ("report", self._choose_report),
                ("video", self._choose_video), ("cancel_video", self.cancel_video))):
            button = QPushButton(body)
            button.clicked.connect(slot)
            self.buttons[key] = button
            grid.addWidget(button, index // 2, index % 2)
        self.bcf_version = QComboBox(body)
        self.bcf_version.addItems(["2.1", "3.0"])
        self.construction = QCheckBox(body)
        self.construction.toggled.connect(self._apply_construction)
        self.plan_box = QComboBox(body)
        self.plan_box.currentIndexChanged.connect(self._apply_construction)
        self.progress_label = QLabel(body)
        self.progress_label.setTextFormat(Qt.TextFormat.RichText)
        self.progress_label.setWordWrap(True)
        self.delta_counts: dict[str, int] = {}
        """Elements ahead, on plan and behind in the planned-against-actual display."""
        self.status = QLabel(body)
        self.status.setWordWrap(True)
        self.author_label, self.title_label = QLabel(body), QLabel(body)
        for widget in (self.author_label, self.author, self.title_label, self.title, self.topics,
                       self.status_box, self.comment):
            layout.addWidget(widget)
        layout.addLayout(grid)
        for widget in (self.bcf_version, self.construction, self.plan_box, self.progress_label,
                       self.status):
            layout.addWidget(widget)
        self.setWidget(body)
        workspace.clock.events.time.connect(self._apply_construction)
        self.retranslate()

    def retranslate(self) -> None:
        """Set the texts in the current language."""
        self.setWindowTitle(self.tr("Model review"))
        self.author_label.setText(self.tr("Author"))
        self.title_label.setText(self.tr("Topic title"))
        self.comment.setPlaceholderText(self.tr("Comment on the chosen topic"))
        texts = {"new": self.tr("New topic from this view"), "go": self.tr("Go to its view"),
                 "comment": self.tr("Add comment"), "export": self.tr("Export BCF…"),
                 "import": self.tr("Import BCF…"), "report": self.tr("Meeting report (PDF)…"),
                 "video": self.tr("Fly-through video…"), "cancel_video": self.tr("Stop video")}
        for key, text in texts.items():
            self.buttons[key].setText(text)
        statuses = (self.tr("Open"), self.tr("In progress"), self.tr("Closed"))
        self.status_box.clear()
        self.status_box.addItems(list(statuses))
        self.construction.setText(self.tr("Show the works as built on the clock's date (4D)"))
        current = self.plan_box.currentIndex()
        self.plan_box.blockSignals(True)
        self.plan_box.clear()
        self.plan_box.addItems([self.tr("Actual progress"), self.tr("Planned progress"),
                                self.tr("Planned vs actual")])
        self.plan_box.setCurrentIndex(max(current, 0))
        self.plan_box.blockSignals(False)

    def changeEvent(self, event: QEvent) -> None:
        """Re-read texts when the language changes."""
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    # -- the scene ------------------------------------------------------------------------------

    def attach(self, view: SceneView | None, schedules: dict[str, Any] | None = None,
               store_folder: Path | None = None) -> None:
        """Work on a new scene view (``None`` when the scene closes); load its review board."""
        self.construction.setChecked(False)
        self.view = view
        self.schedules = dict(schedules or {})
        document = self.workspace.document
        if view is None or document is None:
            self.board, self.store = None, None
        else:
            self.store = ReviewStore(document.spec.id, store_folder)
            try:
                self.board = self.store.load()
            except TwinAppError as error:
                self.status.setText(error.one_line())
                self.board = ReviewBoard(scene_id=document.spec.id)
        self.construction.setEnabled(bool(self.schedules))
        self._fill()

    def _fill(self) -> None:
        self.topics.blockSignals(True)
        self.topics.clear()
        for topic in self.board.topics if self.board is not None else ():
            self.topics.addItem(f"[{self._status_text(topic.status)}] {topic.title}")
        self.topics.blockSignals(False)

    def _status_text(self, status: str) -> str:
        return self.status_box.itemText(STATUSES.index(status)) if status in STATUSES else status

    def _save(self) -> None:
        if self.store is not None and self.board is not None:
            self.store.save(self.board)

    @property
    def current_topic(self) -> Topic | None:
        """The topic chosen in the list."""
        row = self.topics.currentRow()
        if self.board is None or not 0 <= row < len(self.board.topics):
            return None
        return self.board.topics[row]

    # -- topics ---------------------------------------------------------------------------------

    def new_topic(self) -> Topic | None:
        """Raise a topic pinned to the selection, with the current view and its snapshot."""
        if self.board is None or self.view is None:
            return None
        author = self.author.text().strip() or _user()
        viewpoint = capture_viewpoint(self.workspace, camera_state(self.view),
                                      name=self.title.text().strip(),
                                      snapshot=snapshot_png(self.view))
        title = self.title.text().strip() or self.tr("Topic {n}").format(
            n=len(self.board.topics) + 1)
        topic = Topic(title=title, author=author)
        if self.workspace.selection:
            topic.pin(elements=(self.workspace.selection,))
        topic.add_viewpoint(viewpoint)
        self.board.add_topic(topic)
        self._save()
        self._fill()
        self.topics.setCurrentRow(len(self.board.topics) - 1)
        self.title.clear()
        return topic

    def go_to_current(self) -> bool:
        """Restore the chosen topic's first view: camera, section, layers, selection, clock."""
        topic = self.current_topic
        if topic is None or not topic.viewpoints or self.view is None:
            return False
        move_camera(self.view, apply_viewpoint(self.workspace, topic.viewpoints[0]), render=True)
        return True

    def add_comment(self) -> bool:
        """Add the comment field's text to the chosen topic."""
        topic, text = self.current_topic, self.comment.text().strip()
        if topic is None or not text:
            return False
        topic.add_comment(self.author.text().strip() or _user(), text)
        self._save()
        self.comment.clear()
        self._on_topic_chosen(self.topics.currentRow())
        return True

    def _on_topic_chosen(self, row: int) -> None:
        topic = self.current_topic
        if topic is None:
            return
        self.status_box.setCurrentIndex(STATUSES.index(topic.status))
        lines = [f"{c.author} {c.date:%Y-%m-%d %H:%M}: {c.text}" for c in topic.comments]
        self.status.setText("\n".join([topic.title, *lines]))

    def _on_status_chosen(self, index: int) -> None:
        topic = self.current_topic
        if topic is None:
            return
        topic.set_status(STATUSES[index], self.author.text().strip() or _user())
        self._save()
        row = self.topics.currentRow()
        self._fill()
        self.topics.setCurrentRow(row)

    # -- files ----------------------------------------------------------------------------------

    def export_bcf(self, path: Path, version: str | None = None) -> Path | None:
        """Write the board's topics as BCF (2.1 or 3.0, validated against the XSDs)."""
        document = self.workspace.document
        if document is None or self.board is None:
            return None
        try:
            written = export_scene_bcf(document, self.board.topics, path,
                                       version=version or self.bcf_version.currentText())
        except TwinAppError as error:
            self.status.setText(error.one_line())
            return None
        self.status.setText(self.tr("Wrote {file}").format(file=written))
        return written

    def import_bcf(self, path: Path) -> int:
        """Add the topics of a BCF file; return how many came in."""
        document = self.workspace.document
        if document is None or self.board is None:
            return 0
        try:
            result = import_scene_bcf(document, path)
        except TwinAppError as error:
            self.status.setText(error.one_line())
            return 0
        for topic in result.topics:
            self.board.add_topic(topic)
        self._save()
        self._fill()
        notes = "; ".join(result.warnings)
        self.status.setText(self.tr("Imported {count} topics. {notes}").format(
            count=len(result.topics), notes=notes))
        return len(result.topics)

    def write_report(self, path: Path) -> Path | None:
        """Write the meeting report: the current view, the topics, the 4D figures."""
        document = self.workspace.document
        if document is None or self.board is None or self.view is None:
            return None
        language = self.workspace.language
        day = day_of(self.workspace.clock.time)
        images = [ReportImage(self.tr("The model on {day}").format(day=day),
                              snapshot_png(self.view))]
        write_meeting_report(
            path, scene_name=document.spec.name.text(language), meeting_date=day,
            illustrative_note=document.spec.illustrative_note.text(language),
            author=self.author.text().strip(), topics=self.board.topics, images=images,
            tables=progress_tables(self.schedules, day) if self.schedules else [],
            font_path=find_cjk_font())
        self.status.setText(self.tr("Wrote {file}").format(file=path))
        return path

    def start_video(self, path: Path, size: tuple[int, int] = (1280, 720),
                    seconds: float = 10.0) -> QProcess | None:
        """Export a fly-through of the scene's viewpoints in a child process."""
        document = self.workspace.document
        if document is None or self.video_process is not None:
            return None
        process = QProcess(self)
        process.setProgram(sys.executable)
        process.setArguments(["-m", "twin_app.cli", "review", "video", str(document.folder),
                              "--out", str(path), "--size", f"{size[0]}x{size[1]}",
                              "--seconds", str(seconds), "--lang", self.workspace.language])
        process.finished.connect(lambda code, _status: self._video_done(path, code))
        self.video_process = process
        process.start()
        self.status.setText(self.tr("Making {file}…").format(file=path))
        return process

    def cancel_video(self) -> None:
        """Stop the video export."""
        if self.video_process is not None:
            self.video_process.kill()

    def _video_done(self, path: Path, code: int) -> None:
        process, self.video_process = self.video_process, None
        if code == 0:
            self.status.setText(self.tr("Wrote {file}").format(file=path))
        else:
            error = bytes(process.readAllStandardError()).decode(errors="replace").strip()
            self.status.setText(self.tr("The video was not made: {reason}").format(
                reason=error.splitlines()[-1] if error else code))

    def _choose_bcf_export(self) -> None:
        name, _ = QFileDialog.getSaveFileName(self, self.tr("Export BCF"), "review.bcf",
                                              "BCF (*.bcf *.bcfzip)")
        if name:
            self.export_bcf(Path(name))

    def _choose_bcf_import(self) -> None:
        name, _ = QFileDialog.getOpenFileName(self, self.tr("Import BCF"), "",
                                              "BCF (*.bcf *.bcfzip)")
        if name:
            self.import_bcf(Path(name))

    def _choose_report(self) -> None:
        name, _ = QFileDialog.getSaveFileName(self, self.tr("Meeting report"), "review.pdf",
                                              "PDF (*.pdf)")
        if name:
            self.write_report(Path(name))

    def _choose_video(self) -> None:
        name, _ = QFileDialog.getSaveFileName(self, self.tr("Fly-through video"), "review.mp4",
                                              "MP4 (*.mp4)")
        if name:
            self.start_video(Path(name))

    # -- 4D -------------------------------------------------------------------------------------

    def _apply_construction(self, *_: object) -> None:
        if not self.construction.isChecked() or not self.schedules:
            if self.construction.property("applied"):
                self.workspace.hidden, self.workspace.xray = frozenset(), frozenset()
                self.workspace.tints = {}
                self.construction.setProperty("applied", False)
                self.progress_label.clear()
            return
        day = day_of(self.workspace.clock.time)
        if self.plan_box.currentIndex() == PLAN_AGAINST_ACTUAL:
            self._apply_plan_against_actual(day)
            return
        which = "planned" if self.plan_box.currentIndex() == 1 else "actual"
        self.workspace.tints = {}
        hidden: set[str] = set()
        xray: set[str] = set()
        built = total = 0
        for asset_id, schedule in self.schedules.items():
            snapshot = schedule.progress_on(day)
            not_started, building = snapshot.visibility(asset_id, which=which)
            hidden |= not_started
            xray |= building
            counts = snapshot.counts(which)
            built += counts.get("built", 0)
            total += sum(counts.values())
        self.workspace.hidden, self.workspace.xray = frozenset(hidden), frozenset(xray)
        self.construction.setProperty("applied", True)
        self.progress_label.setText(self.tr("{day}: {built} of {total} elements built ({which})")
                                    .format(day=day, built=built, total=total,
                                            which=self.plan_box.currentText()))

    def _apply_plan_against_actual(self, day: date) -> None:
        """Colour the elements ahead of plan, on plan and behind it; hide those not begun."""
        hidden: set[str] = set()
        tints: dict[str, str] = {}
        counts: Counter[str] = Counter()
        for asset_id, schedule in self.schedules.items():
            snapshot = schedule.progress_on(day)
            not_begun, deltas = snapshot.plan_against_actual(asset_id)
            hidden |= not_begun
            tints.update({item: PLAN_DELTA_COLOURS[delta.value]
                          for item, delta in deltas.items()})
            counts.update(delta.value for delta in deltas.values())
        self.workspace.xray = frozenset()
        self.workspace.hidden = frozenset(hidden)
        self.workspace.tints = tints
        self.construction.setProperty("applied", True)
        self.delta_counts = {delta.value: counts.get(delta.value, 0) for delta in PlanDelta}
        names = {"ahead": self.tr("ahead of plan"), "on_plan": self.tr("on plan"),
                 "behind": self.tr("behind plan")}
        legend = "&nbsp;&nbsp;".join(
            f'<span style="color:{PLAN_DELTA_COLOURS[key]}">&#9632;</span> '
            f"{names[key]} <b>{count}</b>" for key, count in self.delta_counts.items())
        self.progress_label.setText(
            self.tr("{day}, planned against actual ({total} elements drawn):").format(
                day=day, total=sum(counts.values())) + "<br>" + legend)


def _user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "reviewer"
