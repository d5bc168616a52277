"""A section derived from a line picked in the app: progress, cancel, and bad lines named."""

from __future__ import annotations

import pytest

from twin_app.core.errors import OperationCancelledError
from twin_app.core.progress import Feedback
from twin_app.core.scene_loader import load_scene
from twin_app.io.section_derive import derive_picked_section, new_section_id
from twin_app.io.sections import SectionFileError

WALL_E, NORTH = 641606.31, 3458516.13
"""The Bund wall's axis and a line across wall segment 3 (see tests/io/test_sections.py)."""


@pytest.fixture(scope="module")
def document():
    return load_scene("huangpu")


def test_a_picked_line_gives_the_section_with_progress(document):
    feedback = Feedback()
    steps: list[tuple[float, str]] = []
    feedback.progressed.connect(lambda fraction, text: steps.append((fraction, text)))
    placed = derive_picked_section(document, (WALL_E - 60.0, NORTH), (WALL_E + 40.0, NORTH),
                                   section_id="D-1", feedback=feedback)
    assert placed.id == "D-1" and placed.path is None
    assert placed.start == pytest.approx((WALL_E + 40.0, NORTH))  # x = 0 at the river end
    assert len(placed.section.walls) == 1 and len(placed.section.sheet_piles) == 1
    assert placed.derivation["generator"] == "twin-app section dock"
    fractions = [fraction for fraction, _ in steps]
    assert fractions == sorted(fractions) and fractions[-1] == 1.0
    assert "reading huangpu_works" in [text for _, text in steps]


def test_a_cancelled_derivation_stops(document):
    feedback = Feedback()
    feedback.cancel()
    with pytest.raises(OperationCancelledError):
        derive_picked_section(document, (WALL_E - 60.0, NORTH), (WALL_E + 40.0, NORTH),
                              section_id="D-1", feedback=feedback)


def test_a_line_that_crosses_no_wall_is_refused(document):
    with pytest.raises(SectionFileError, match="crosses no flood wall or sheet-pile cut-off") \
            as raised:
        derive_picked_section(document, (WALL_E - 40.0, NORTH - 30.0),
                              (WALL_E - 40.0, NORTH + 30.0), section_id="D-1")
    assert "from the river, across a flood wall, to the land" in raised.value.one_line()


def test_a_line_leaving_the_terrain_is_refused(document):
    with pytest.raises(SectionFileError, match="leaves the terrain"):
        derive_picked_section(document, (WALL_E, NORTH), (WALL_E + 5000.0, NORTH),
                              section_id="D-1")
    with pytest.raises(SectionFileError, match=r"0\.20 m long; draw it across the wall"):
        derive_picked_section(document, (WALL_E, NORTH), (WALL_E + 0.2, NORTH),
                              section_id="D-1")


def test_new_ids_do_not_clash():
    assert new_section_id([]) == "D-1"
    assert new_section_id(["MS-1", "D-1", "D-2"]) == "D-3"
