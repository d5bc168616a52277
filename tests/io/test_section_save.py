"""Saving an edited section file: values written, comments and untouched layout kept."""

from __future__ import annotations

import pytest

from tests.conftest import SCENES
from twin_app.io.section_edit import LAYER, PIEZOMETER, PILE, SectionDraft
from twin_app.io.section_save import save_section_file
from twin_app.io.sections import SectionFileError, load_placed_section

SOURCE = SCENES / "huangpu" / "sections" / "MS-1.toml"


def _commented(tmp_path):
    """Return a copy of MS-1 with an engineer's comments in it."""
    text = SOURCE.read_text(encoding="utf-8")
    text = text.replace('[[soils]]\nname = "sandy silt"',
                        '# Borehole BH-3 (illustrative): the seepage path\n'
                        '[[soils]]\nname = "sandy silt"', 1)
    text = text.replace("kx = 5e-06\n", "kx = 5e-06  # from a pumping test (illustrative)\n", 1)
    text = text.replace('    { id = "HPK-PZ-04"', '    # installed 2023\n    { id = "HPK-PZ-04"',
                        1)
    text += "\n# End of section MS-1: reviewed by the dike office (illustrative).\n"
    path = tmp_path / "MS-1.toml"
    path.write_text(text, encoding="utf-8")
    return path


def _block(text: str, start: str) -> str:
    """Return the lines of ``text`` from the line ``start`` to the next blank line."""
    lines = text.splitlines()
    first = lines.index(start)
    last = next(i for i in range(first, len(lines)) if not lines[i].strip())
    return "\n".join(lines[first:last])


def test_edit_save_and_reload_keeps_the_comments(tmp_path):
    path = _commented(tmp_path)
    before = path.read_text(encoding="utf-8")
    draft = SectionDraft(load_placed_section(path))
    draft.apply(LAYER, 3, "kx", "7e-6")  # sandy silt
    draft.apply(LAYER, 2, "bottom", "-2")  # grey silty clay over the sandy silt
    draft.apply(PILE, 0, "toe", "-13")
    draft.apply(PIEZOMETER, 1, "z", "-3")
    draft.add_piezometer(piezometer_id="HPK-PZ-09", x=70.0, z=-6.0)
    assert draft.valid
    saved = save_section_file(draft.placed, path)
    draft.mark_saved(saved)
    assert not draft.dirty

    reloaded = load_placed_section(path)  # validates, as the app's scene list does
    assert reloaded.section == draft.placed.section
    assert reloaded.start == draft.placed.start and reloaded.checks == draft.placed.checks
    assert reloaded.section.layers[3].soil.kx == 7e-6
    assert reloaded.section.sheet_piles[0].points[-1] == (40.0, -13.0)
    assert [p.id for p in reloaded.section.piezometers][-1] == "HPK-PZ-09"
    assert reloaded.derivation["edited"] is True

    after = path.read_text(encoding="utf-8")
    for comment in ("# Seepage section MS-1: twin_seepage format",  # the header
                    "# Borehole BH-3 (illustrative): the seepage path",
                    "kx = 7e-06  # from a pumping test (illustrative)",
                    "    # installed 2023",
                    "# End of section MS-1: reviewed by the dike office (illustrative)."):
        assert comment in after, comment
    assert after.index("# Borehole BH-3") < after.index('name = "sandy silt"')
    # what was not edited keeps its layout, line for line
    assert _block(after, "[[walls]]") == _block(before, "[[walls]]")
    mucky = '[[layers]]\nname = "mucky clay"'
    assert after[after.index(mucky):].split("\n\n")[0] == (
        before[before.index(mucky):].split("\n\n")[0])


def test_a_new_soil_and_a_removed_piezometer_are_written(tmp_path):
    path = _commented(tmp_path)
    draft = SectionDraft(load_placed_section(path))
    draft.apply(LAYER, 1, "soil", "landward fill")
    draft.apply(LAYER, 1, "kx", "4e-6")
    draft.remove_piezometer(0)
    saved = save_section_file(draft.placed, path)
    assert [layer.soil.name for layer in saved.section.layers][:2] == ["fill", "landward fill"]
    assert saved.section.layers[1].soil.kx == 4e-6 and saved.section.layers[0].soil.kx == 2e-6
    assert [p.id for p in saved.section.piezometers] == ["HPK-PZ-04", "HPK-PZ-05"]
    text = path.read_text(encoding="utf-8")
    assert "# Borehole BH-3 (illustrative)" in text and "    # installed 2023" in text
    assert text.count("[[soils]]") == 5


def test_save_as_writes_a_new_file_with_the_new_id(tmp_path):
    draft = SectionDraft(load_placed_section(SOURCE))
    draft.apply(PILE, 0, "toe", "-12")
    saved = save_section_file(draft.placed, tmp_path / "sections" / "MS-1b.toml")
    assert saved.id == "MS-1b" and saved.path == tmp_path / "sections" / "MS-1b.toml"
    text = saved.path.read_text(encoding="utf-8")
    assert text.startswith("# Seepage section MS-1b: twin_seepage format")
    assert "# Edited in the section editor after it was derived." in text
    assert "edit that script" not in text
    assert load_placed_section(saved.path).section == draft.placed.section


def test_a_file_that_cannot_be_written_is_named(tmp_path):
    folder = tmp_path / "MS-1.toml"
    folder.mkdir()  # a folder where the file should be
    draft = SectionDraft(load_placed_section(SOURCE))
    with pytest.raises(SectionFileError, match=r"MS-1\.toml"):
        save_section_file(draft.placed, folder)
