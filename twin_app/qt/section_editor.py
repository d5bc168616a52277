"""The section editor: a seepage section's layers, cut-off, water levels and piezometers as tables.

It shows a :class:`~twin_app.io.section_edit.SectionDraft` and forwards every edited cell to it
(the draft applies the edit and validates the section the way the solver does before solving,
:mod:`twin_app.io.section_edit`); it owns no section state itself.  The line above the tables
says whether the section is valid and, if not, what is wrong; "Save" writes the section back to
its file keeping the file's comments (:mod:`twin_app.io.section_save`), "Save As…" to a new
file (a section derived in the app has none yet), "Revert" goes back to the file.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from qtpy.QtCore import QEvent, Qt, Signal
from qtpy.QtGui import QColor
from qtpy.QtWidgets import (
    QAbstractItemView,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from twin_app.core.errors import TwinAppError
from twin_app.io.section_edit import (
    BOUNDARY,
    COLUMNS,
    EDITABLE,
    LAYER,
    PIEZOMETER,
    PILE,
    WALL,
    SectionDraft,
    cells,
)
from twin_app.io.section_save import save_section_file

logger = logging.getLogger(__name__)

INVALID, VALID, READ_ONLY = "#ff8a80", "#a5d6a7", "#9e9e9e"


class SectionEditor(QWidget):
    """Tables editing one section (see the module docstring).

    Parameters
    ----------
    parent : QWidget, optional
        The section dock.
    """

    edited = Signal()
    """Emitted after the draft changed (an edit, a revert) or another draft is shown."""
    saved = Signal(object)
    """Emitted with the draft after it was written to its file."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.draft: SectionDraft | None = None
        self.folder: Path | None = None
        self.problem = QLabel(self)
        self.problem.setWordWrap(True)
        self.problem.setObjectName("sectionProblem")
        self.save_button = QPushButton(self)
        self.save_as_button = QPushButton(self)
        self.revert_button = QPushButton(self)
        self.add_button = QPushButton(self)
        self.remove_button = QPushButton(self)
        self.tables = {part: self._table(part) for part in (LAYER, WALL, PILE, BOUNDARY,
                                                            PIEZOMETER)}
        self.parts = QTabWidget(self)
        self._layout()
        self.save_button.clicked.connect(lambda: self.save())
        self.save_as_button.clicked.connect(lambda: self.save_as())
        self.revert_button.clicked.connect(self.revert)
        self.add_button.clicked.connect(self.add_piezometer)
        self.remove_button.clicked.connect(
            lambda: self.remove_piezometer(self.tables[PIEZOMETER].currentRow()))
        self.retranslate()

    def _table(self, part: str) -> QTableWidget:
        table = QTableWidget(0, len(COLUMNS[part]), self)
        table.setObjectName(f"section_{part}_table")
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setEditTriggers(QAbstractItemView.EditTrigger.DoubleClicked
                              | QAbstractItemView.EditTrigger.EditKeyPressed
                              | QAbstractItemView.EditTrigger.AnyKeyPressed)
        table.horizontalHeader().setStretchLastSection(True)
        table.itemChanged.connect(lambda item, p=part: self._cell_changed(p, item))
        return table

    def _layout(self) -> None:
        top = QHBoxLayout()
        top.addWidget(self.problem, 1)
        for button in (self.save_button, self.save_as_button, self.revert_button):
            top.addWidget(button)
        structures = QWidget(self)
        structure_layout = QVBoxLayout(structures)
        structure_layout.setContentsMargins(0, 0, 0, 0)
        structure_layout.addWidget(self.tables[WALL], 1)
        structure_layout.addWidget(self.tables[PILE], 1)
        piezometers = QWidget(self)
        piezometer_layout = QHBoxLayout(piezometers)
        piezometer_layout.setContentsMargins(0, 0, 0, 0)
        piezometer_layout.addWidget(self.tables[PIEZOMETER], 1)
        buttons = QVBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.remove_button)
        buttons.addStretch(1)
        piezometer_layout.addLayout(buttons)
        for widget in (self.tables[LAYER], structures, self.tables[BOUNDARY], piezometers):
            self.parts.addTab(widget, "")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addWidget(self.parts, 1)

    # -- showing --------------------------------------------------------------------------------

    def set_draft(self, draft: SectionDraft | None, folder: Path | None = None) -> None:
        """Edit ``draft`` (``None``: nothing); ``folder`` is where Save As starts."""
        self.draft = draft
        if folder is not None:
            self.folder = folder
        self.refresh()

    def refresh(self, message: str | None = None) -> None:
        """Show the draft's values and state; ``message`` (an edit refused) replaces the state."""
        draft = self.draft
        for part, table in self.tables.items():
            self._fill(table, part, cells(draft.placed, part) if draft is not None else [])
        valid = draft is not None and draft.valid
        self.save_button.setEnabled(valid and draft is not None and draft.dirty)
        self.save_as_button.setEnabled(valid)
        self.revert_button.setEnabled(draft is not None and draft.dirty
                                      and draft.original is not draft.placed)
        self.add_button.setEnabled(draft is not None)
        self.remove_button.setEnabled(draft is not None and bool(draft.placed.section.piezometers))
        self._state(message)

    def _fill(self, table: QTableWidget, part: str, rows: list[list[str]]) -> None:
        editable = EDITABLE[part]
        table.blockSignals(True)
        table.setRowCount(len(rows))
        for row, values in enumerate(rows):
            for column, (key, text) in enumerate(zip(COLUMNS[part], values, strict=True)):
                item = QTableWidgetItem(text)
                if key not in editable:
                    item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
                    item.setForeground(QColor(READ_ONLY))
                table.setItem(row, column, item)
        table.blockSignals(False)
        table.resizeColumnsToContents()

    def _state(self, message: str | None = None) -> None:
        draft = self.draft
        if message is not None:
            text, colour = message, INVALID
        elif draft is None:
            text, colour = self.tr("Choose a section to edit"), READ_ONLY
        elif draft.problem:
            text = self.tr("Not valid, cannot be checked: {problem}").format(problem=draft.problem)
            colour = INVALID
        else:
            text = (self.tr("Valid, unsaved changes") if draft.dirty else self.tr("Valid"))
            colour = VALID
        self.problem.setText(text)
        self.problem.setStyleSheet(f"color: {colour};")

    # -- editing (forwarded to the draft) -------------------------------------------------------

    def _cell_changed(self, part: str, item: QTableWidgetItem) -> None:
        self.edit(part, item.row(), COLUMNS[part][item.column()], item.text())

    def edit(self, part: str, row: int, key: str, text: str) -> bool:
        """Apply one edited cell; return whether it was made (else the message says why)."""
        if self.draft is None:
            return False
        try:
            self.draft.apply(part, row, key, text)
        except TwinAppError as error:
            self.refresh(self.tr("Edit not made: {error}").format(error=error.one_line()))
            return False
        self.refresh()
        self.edited.emit()
        return True

    def move_piezometer(self, row: int, x: float, z: float) -> None:
        """Move a piezometer (dragged in the 2D view)."""
        if self.draft is not None:
            self.draft.move_piezometer(row, x, z)
            self.refresh()
            self.edited.emit()

    def add_piezometer(self) -> None:
        """Add a piezometer to the section (then edit its id and place in the table)."""
        if self.draft is not None:
            self.draft.add_piezometer()
            self.refresh()
            self.tables[PIEZOMETER].selectRow(len(self.draft.placed.section.piezometers) - 1)
            self.edited.emit()

    def remove_piezometer(self, row: int) -> None:
        """Remove piezometer ``row``."""
        if self.draft is not None and 0 <= row < len(self.draft.placed.section.piezometers):
            self.draft.remove_piezometer(row)
            self.refresh()
            self.edited.emit()

    def revert(self) -> None:
        """Go back to the section as last read or saved."""
        if self.draft is not None:
            self.draft.revert()
            self.refresh()
            self.edited.emit()

    # -- saving ---------------------------------------------------------------------------------

    def save(self, path: Path | None = None) -> bool:
        """Write the section to ``path`` (default its own file; none yet: ask, as Save As)."""
        draft = self.draft
        if draft is None:
            return False
        target = path or draft.placed.path
        if target is None:
            return self.save_as()
        if not draft.valid:
            self.refresh(self.tr("Not saved: the section is not valid"))
            return False
        try:
            placed = save_section_file(draft.placed, target)
        except TwinAppError as error:
            self.refresh(self.tr("Not saved: {error}").format(error=error.one_line()))
            return False
        draft.mark_saved(placed)
        self.refresh()
        self.saved.emit(draft)
        return True

    def save_as(self, path: Path | None = None) -> bool:
        """Write the section to a new file (asked for when ``path`` is not given)."""
        if self.draft is None:
            return False
        if path is None:
            start = (self.folder / "sections" / f"{self.draft.id}.toml" if self.folder
                     else Path(f"{self.draft.id}.toml"))
            chosen, _ = QFileDialog.getSaveFileName(self, self.tr("Save the section as"),
                                                    str(start),
                                                    self.tr("Section files (*.toml)"))
            if not chosen:
                return False
            path = Path(chosen) if chosen.endswith(".toml") else Path(chosen + ".toml")
        return self.save(path)

    # -- texts ----------------------------------------------------------------------------------

    def headers(self) -> dict[str, str]:
        """Return the translated column titles by key."""
        return {
            "name": self.tr("Name"), "soil": self.tr("Soil"), "top": self.tr("Top (m)"),
            "bottom": self.tr("Bottom (m)"), "kx": self.tr("kh (m/s)"), "kz": self.tr("kv (m/s)"),
            "ss": self.tr("Ss (1/m)"), "sy": self.tr("Sy"), "gs": self.tr("Gs"),
            "void_ratio": self.tr("Void ratio e"), "d70": self.tr("d70 (m)"),
            "d10": self.tr("d10 (m)"), "soil_type": self.tr("Soil type"),
            "x_min": self.tr("From x (m)"), "x_max": self.tr("To x (m)"),
            "crest": self.tr("Crest (m)"), "x": self.tr("x (m)"), "head": self.tr("Head (m)"),
            "toe": self.tr("Toe (m)"), "level": self.tr("Water level (m)"),
            "id": self.tr("Piezometer"), "z": self.tr("z (m)"),
        }

    def retranslate(self) -> None:
        """Set the texts in the current language."""
        titles = self.headers()
        for part, table in self.tables.items():
            table.setHorizontalHeaderLabels([titles[key] for key in COLUMNS[part]])
        self.tables[BOUNDARY].setVerticalHeaderLabels([self.tr("River side"),
                                                       self.tr("Land side")])
        for index, text in enumerate((self.tr("Layers"), self.tr("Wall and cut-off"),
                                      self.tr("Water levels"), self.tr("Piezometers"))):
            self.parts.setTabText(index, text)
        self.save_button.setText(self.tr("Save"))
        self.save_button.setToolTip(self.tr("Write the section back to its file (the file's "
                                            "comments are kept)"))
        self.save_as_button.setText(self.tr("Save As…"))
        self.revert_button.setText(self.tr("Revert"))
        self.add_button.setText(self.tr("Add"))
        self.remove_button.setText(self.tr("Remove"))
        self.tables[LAYER].setToolTip(self.tr(
            "Double-click a value to edit it. Soil values apply to every layer of that soil; "
            "a new soil name gives the layer a soil of its own. A new bottom moves the layer's "
            "base and the top of the layer beneath."))
        self.tables[PIEZOMETER].setToolTip(self.tr(
            "Edit the id and position here, or drag the markers in the section view"))
        self._state()

    def changeEvent(self, event: QEvent) -> None:
        """Re-read texts when the language changes."""
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)


def describe(draft: Any) -> str:
    """Return the section list's entry for a draft: its id, starred while unsaved."""
    return f"{draft.id} *" if draft.dirty else draft.id
