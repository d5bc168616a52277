"""Shared fixtures of the seepage tests."""

from __future__ import annotations

import pytest
from twin_seepage import Boundary, Layer, Section, SheetPile, Soil


def sheet_pile_section(s: float, t: float = 10.0, h: float = 1.0, k: float = 1.0,
                       half_width: float = 60.0) -> Section:
    """A pervious layer of thickness t with a sheet pile of depth s at x = 0 (Harr's case)."""
    soil = Soil("sand", k, k)
    return Section(
        "sheet pile", [Layer("layer", [(-half_width, -t), (half_width, -t), (half_width, 0.0),
                                       (-half_width, 0.0)], soil)],
        river=Boundary([(-half_width, 0.0), (0.0, 0.0)], level=h),
        land=Boundary([(0.0, 0.0), (half_width, 0.0)], level=0.0),
        sheet_piles=[SheetPile("pile", [(0.0, 0.0), (0.0, -s)])])


@pytest.fixture
def sheet_pile() -> type:
    return sheet_pile_section
