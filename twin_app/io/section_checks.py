"""The piping and uplift checks of a placed section for one river stage.

:func:`section_checks` runs every check of :mod:`twin_seepage.checks` that the section's geometry
allows, on a steady solution at the stage checked (conservative for a tide: a steady state at the
peak overestimates the heads of the transient):

* **exit gradient** against the critical gradient ``(Gs - 1) / (1 + e)`` (required factor 1.5)
  and against the allowable gradient of the soil type, where the upward gradient along the
  land-side surface is largest;
* **Lane's weighted creep ratio** along the structure-soil contact (the wall's buried outline
  plus both faces of each sheet pile) against the head difference river stage - exit level;
* **Sellmeijer** (backward-erosion piping, 2011 rule) when the section has an aquifer with a
  ``d70``: seepage length from where the river reaches the aquifer to the land-side toe (the
  cut-off is not counted: conservative), aquifer thickness and cover at the toe;
* **uplift** and **heave** of the land-side blanket over the aquifer, with the head at the base of
  the blanket at the toe from the solution.

The land-side exit point lies 0.5 m beyond the structures (wall, footing, cut-off) on the land
side; the exit level is the ground there, or the land-side water level if higher.
"""

from __future__ import annotations

import contextlib
import math

import numpy as np
import shapely
from shapely.geometry import LineString, Polygon
from twin_seepage import (
    CheckResult,
    SeepageResult,
    Soil,
    creep_lengths,
    exit_checks,
    heave_check,
    lane_check,
    sellmeijer_check,
    uplift_check,
)

from twin_app.io.sections import PlacedSection

REQUIRED_EXIT = 1.5
"""Required safety factor on the critical exit gradient (GB practice 1.5-2.0)."""


def aquifer_soil(placed: PlacedSection) -> Soil | None:
    """Return the aquifer's soil: the ``[checks] aquifer`` one, else the most permeable with a d70.

    Returns ``None`` when no soil has a d70 (no Sellmeijer, uplift or heave check then).
    """
    soils = {layer.soil.name: layer.soil for layer in placed.section.layers}
    named = placed.checks.get("aquifer")
    if named and named in soils:
        return soils[named]
    candidates = [soil for soil in soils.values() if soil.d70 is not None]
    return max(candidates, key=lambda soil: soil.kx) if candidates else None


def _toe(placed: PlacedSection) -> tuple[float, float]:
    """Return the land-side exit point: 0.5 m beyond the structures and the land boundary's start.

    (x, ground height there); the checks of the blanket are made on the vertical through it.
    """
    section = placed.section
    start = min(x for x, _ in section.land.points)
    ends = [max(x for x, _ in wall.polygon) for wall in section.walls]
    ends += [max(x for x, _ in pile.points) for pile in section.sheet_piles]
    x = max([start, *ends]) + 0.5
    return x, _ground_at(placed, x)


def _ground_at(placed: PlacedSection, x: float) -> float:
    domain = placed.section.flow_domain()
    column = LineString([(x, -1e4), (x, 1e4)]).intersection(domain)
    return float(column.bounds[3]) if not column.is_empty else math.nan


def _aquifer_span(placed: PlacedSection, soil: Soil, x: float) -> tuple[float, float]:
    """Return (bottom, top) of the aquifer soil on the vertical through ``x``."""
    zones = [Polygon(layer.polygon) for layer in placed.section.layers if layer.soil == soil]
    column = LineString([(x, -1e4), (x, 1e4)]).intersection(shapely.union_all(zones))
    if column.is_empty:
        return (math.nan, math.nan)
    return (float(column.bounds[1]), float(column.bounds[3]))


def creep_path(placed: PlacedSection) -> tuple[float, float]:
    """Return (vertical, horizontal) creep lengths: buried wall outline and pile faces."""
    section = placed.section
    domain = section.flow_domain()
    vertical = horizontal = 0.0
    for wall in section.walls:
        contact = Polygon(wall.polygon).boundary.intersection(domain.boundary)
        for line in shapely.get_parts(shapely.line_merge(contact)):
            if isinstance(line, LineString):
                v, h = creep_lengths(list(line.coords))
                vertical, horizontal = vertical + v, horizontal + h
    for pile in section.sheet_piles:
        v, h = creep_lengths(list(pile.points))
        vertical, horizontal = vertical + 2 * v, horizontal + 2 * h
    return vertical, horizontal


def section_checks(placed: PlacedSection, result: SeepageResult, stage: float,
                   land_level: float | None = None) -> list[CheckResult]:
    """Return the checks of a section solved at river ``stage`` (see the module docstring).

    Parameters
    ----------
    placed : PlacedSection
        The section.
    result : SeepageResult
        A steady solution at ``stage``.
    stage : float
        The river stage checked (m).
    land_level : float, optional
        Land-side water level (default: the section's land boundary level).
    """
    section = placed.section
    checks = list(exit_checks(section, result, required=REQUIRED_EXIT))
    toe_x, toe_z = _toe(placed)
    level = section.land.level if land_level is None else land_level
    exit_level = max(toe_z, level) if level is not None else toe_z
    vertical, horizontal = creep_path(placed)
    if vertical + horizontal > 0:
        pile_tip = section.sheet_piles[0].points[-1] if section.sheet_piles else (toe_x, toe_z)
        soil = section.soil_at(pile_tip[0], pile_tip[1] - 1e-3) or section.layers[0].soil
        with contextlib.suppress(KeyError):
            checks.append(lane_check(vertical, horizontal, stage - exit_level, soil.soil_type))
    soil = aquifer_soil(placed)
    if soil is None:
        return checks
    bottom, top = _aquifer_span(placed, soil, toe_x)
    if not math.isfinite(top):
        return checks
    cover = toe_z - top
    entry = [p[0] for p in section.river.points if p[1] <= top + 1e-6]
    length = toe_x - (max(entry) if entry else section.bounds()[0])
    if soil.d70 is not None and length > 0:
        checks.append(sellmeijer_check(stage, exit_level, max(cover, 0.0), length,
                                       top - bottom, soil.kx, soil.d70))
    if cover > 0:
        head = float(result.head_at([[toe_x, top]])[0])
        column = LineString([(toe_x, top), (toe_x, top + cover)])
        pieces = [(layer.soil.gamma_sat, Polygon(layer.polygon).intersection(column).length)
                  for layer in section.layers if layer.soil != soil]
        weight = sum(length for _, length in pieces)
        gamma = (sum(g * length for g, length in pieces) / weight if weight > 0
                 else float(np.mean([layer.soil.gamma_sat for layer in section.layers])))
        checks.append(uplift_check(head, exit_level, cover, gamma))
        checks.append(heave_check(head, exit_level, cover))
    return checks
