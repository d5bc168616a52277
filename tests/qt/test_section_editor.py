"""The section editor in the seepage dock, in a real window (Xvfb): edit, validate, check, save."""

from __future__ import annotations

from pathlib import Path

import pytest
from qtpy.QtCore import Qt
from qtpy.QtWidgets import QLineEdit

from tests.conftest import SCENES
from tests.qt.windows import SectionHost
from twin_app.core.scene_loader import load_scene
from twin_app.io.section_edit import COLUMNS, LAYER, PIEZOMETER
from twin_app.io.sections import load_placed_section
from twin_app.qt import section_dock

pytestmark = pytest.mark.gui


@pytest.fixture
def dock(qtbot):
    main = SectionHost()
    qtbot.addWidget(main)
    dock = section_dock.install(main)
    dock.show()
    main.resize(1400, 900)
    main.show()
    qtbot.waitExposed(main)
    main.workspace.open(load_scene("huangpu"))
    main.scene_shown.emit("huangpu")
    dock.tabs.setCurrentWidget(dock.editor)
    yield dock
    main.close()


def _type_into(qtbot, table, row: int, column: int, text: str) -> None:
    """Edit a cell as a user does: open its editor, type, press Enter."""
    table.setCurrentCell(row, column)
    table.editItem(table.item(row, column))
    qtbot.waitUntil(lambda: bool(table.viewport().findChildren(QLineEdit)), timeout=2000)
    (editor,) = table.viewport().findChildren(QLineEdit)
    editor.selectAll()
    qtbot.keyClicks(editor, text)
    qtbot.keyClick(editor, Qt.Key.Key_Return)  # the view commits it in a queued call
    qtbot.waitUntil(lambda: not table.viewport().findChildren(QLineEdit), timeout=2000)


def _row_of(table, name: str) -> int:
    return next(row for row in range(table.rowCount()) if table.item(row, 0).text() == name)


def test_zero_permeability_is_named_check_waits_and_the_fix_is_checked(dock, qtbot, tmp_path):
    editor = dock.editor
    assert dock.section_box.currentText() == "MS-1"
    assert editor.problem.text() == "Valid" and dock.check_button.isEnabled()
    layers = editor.tables[LAYER]
    row, column = _row_of(layers, "sandy silt"), COLUMNS[LAYER].index("kx")
    _type_into(qtbot, layers, row, column, "0")
    text = editor.problem.text()
    assert text.startswith("Not valid, cannot be checked")
    assert "layer 'sandy silt'" in text and "kx = 0.0 m/s" in text and "> 0" in text
    assert not dock.check_button.isEnabled()
    assert not editor.save_button.isEnabled() and not editor.save_as_button.isEnabled()
    assert dock.section_box.currentText() == "MS-1 *"
    assert "kx = 0.0" in dock.status.text()
    qtbot.wait(100)
    dock.window().grab().save("/tmp/sec_edit_invalid.png")
    dock.run_check()  # refused, not started
    assert dock.frames is None and "cannot be checked" in dock.status.text()

    _type_into(qtbot, layers, row, column, "abc")  # not a number: the edit is not made
    assert editor.problem.text().startswith("Edit not made: soil 'sandy silt': kx: 'abc' is not")
    assert layers.item(row, column).text() == "0"

    _type_into(qtbot, layers, row, column, "4e-6")
    assert editor.problem.text() == "Valid, unsaved changes"
    assert dock.check_button.isEnabled() and editor.save_button.isEnabled()
    assert dock.drafts[0].placed.section.layers[row].soil.kx == pytest.approx(4e-6)
    dock.run_check()
    qtbot.waitUntil(lambda: dock.frames is not None, timeout=60_000)
    assert dock.frames.id == "MS-1" and dock.checks_table.rowCount() == 6

    target = tmp_path / "MS-1-edited.toml"
    assert editor.save_as(target)
    saved = load_placed_section(target)
    assert saved.section.layers[row].soil.kx == pytest.approx(4e-6)
    assert dock.section_box.currentText() == "MS-1-edited" and not dock.drafts[0].dirty
    header = target.read_text(encoding="utf-8").splitlines()[:4]
    assert header[0].startswith("# Seepage section MS-1-edited:")
    assert header[2].startswith("# ILLUSTRATIVE") and "Edited in the section editor" in header[3]
    assert saved.derivation["edited"] is True


def test_piezometers_added_moved_by_dragging_and_outside_the_soil(dock, qtbot):
    editor = dock.editor
    editor.parts.setCurrentIndex(3)
    table = editor.tables[PIEZOMETER]
    assert table.rowCount() == 3
    qtbot.mouseClick(editor.add_button, Qt.MouseButton.LeftButton)
    assert table.rowCount() == 4 and table.item(3, 0).text() == "P-1"
    assert editor.problem.text() == "Valid, unsaved changes"
    assert len(dock.plot.markers) == 4
    _type_into(qtbot, table, 3, COLUMNS[PIEZOMETER].index("z"), "-45")
    assert "piezometer 'P-1'" in editor.problem.text()
    assert "outside the section" in editor.problem.text()
    assert not dock.check_button.isEnabled()
    marker = dock.plot.markers[3]  # drag it back into the soil, as the mouse does
    marker.setPos(70.0, -5.0)
    marker.sigPositionChangeFinished.emit(marker)
    assert table.item(3, 1).text() == "70" and table.item(3, 2).text() == "-5"
    assert editor.problem.text() == "Valid, unsaved changes" and dock.check_button.isEnabled()
    qtbot.wait(100)
    dock.window().grab().save("/tmp/sec_edit_piezometers.png")
    table.selectRow(3)
    qtbot.mouseClick(editor.remove_button, Qt.MouseButton.LeftButton)
    assert table.rowCount() == 3
    qtbot.mouseClick(editor.revert_button, Qt.MouseButton.LeftButton)
    assert not dock.drafts[0].dirty and dock.section_box.currentText() == "MS-1"


def test_save_writes_the_section_file_back(dock, qtbot, tmp_path):
    editor = dock.editor
    source = SCENES / "huangpu" / "sections" / "MS-2.toml"
    copy = tmp_path / "MS-2.toml"
    copy.write_text("# kept: a note by the engineer\n" + source.read_text(encoding="utf-8"),
                    encoding="utf-8")
    draft = dock.add_section(load_placed_section(copy))
    assert dock.section_box.currentText() == "MS-2" and editor.draft is draft
    piles = editor.tables["pile"]
    _type_into(qtbot, piles, 0, 3, "-12.5")  # the cut-off's toe
    assert editor.save_button.isEnabled()
    qtbot.mouseClick(editor.save_button, Qt.MouseButton.LeftButton)
    assert not draft.dirty and editor.problem.text() == "Valid"
    reloaded = load_placed_section(copy)
    assert reloaded.section.sheet_piles[0].points[-1][1] == pytest.approx(-12.5)
    assert copy.read_text(encoding="utf-8").startswith("# kept: a note by the engineer\n")
    assert Path(source).read_text(encoding="utf-8") != copy.read_text(encoding="utf-8")
