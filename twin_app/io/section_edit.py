"""Editing a seepage section (Qt-free): apply one edit, validate as the solver does, keep state.

The section dock's editor shows a :class:`~twin_app.io.sections.PlacedSection` as tables and
forwards every edited cell here as ``(part, row, key, text)``; :func:`apply_edit` returns the
edited section (a new object: sections are never changed in place) or raises
:class:`SectionEditError` when the edit itself cannot be made (not a number, a layer that would
vanish).  An edit that makes the section invalid (a zero permeability, a piezometer outside the
soil, a cut-off leaving the ground) is applied: :func:`validation_problem` then names what is
wrong, with the very check the solver runs before solving (:meth:`twin_seepage.Section.validate`).

Parts and their columns (:data:`COLUMNS`; the keys in :data:`EDITABLE` can be edited):

* ``layer``: name, soil, top and bottom (m), then the soil's kx, kz (m/s), ss (1/m), sy, Gs,
  void ratio, d70, d10 (m) and soil type (a key of the Lane and allowable-gradient tables).
  A soil value applies to every layer of that soil.  Typing another soil name gives the layer
  that soil (a copy of its own soil under the new name if no layer has it).  A new bottom moves
  the layer's horizontal bottom: lowered, the layer takes the soil directly beneath its bottom
  edge; raised, it gives its part below the new level to the layer beneath it (the lowest layer
  moves the base of the section, and the boundaries with it).
* ``wall``: name (its extent is shown, not edited).
* ``pile``: name, x (the cut-off moves sideways), head and toe levels.
* ``boundary``: rows ``river`` and ``land``, the water level (m; blank on the land side: dry).
  The river level is also the design stage of the checks and the land level theirs.
* ``piezometer``: id, x, z; :func:`add_piezometer`, :func:`move_piezometer` and
  :func:`remove_piezometer`.
"""

from __future__ import annotations

import dataclasses
import itertools
import logging
import math
from collections.abc import Callable
from typing import Any

import shapely
from shapely.geometry import LineString, Polygon, box
from twin_seepage import Boundary, Layer, Piezometer, Section, SectionError, SheetPile, Soil
from twin_seepage.checks import LANE_RATIO

from twin_app.core.errors import InputError
from twin_app.io.sections import PlacedSection

logger = logging.getLogger(__name__)

LAYER, WALL, PILE, BOUNDARY, PIEZOMETER = "layer", "wall", "pile", "boundary", "piezometer"
SOIL_KEYS = ("kx", "kz", "ss", "sy", "gs", "void_ratio", "d70", "d10", "soil_type")
COLUMNS: dict[str, tuple[str, ...]] = {
    LAYER: ("name", "soil", "top", "bottom", *SOIL_KEYS),
    WALL: ("name", "x_min", "x_max", "bottom", "crest"),
    PILE: ("name", "x", "head", "toe"),
    BOUNDARY: ("level",),
    PIEZOMETER: ("id", "x", "z"),
}
EDITABLE: dict[str, frozenset[str]] = {
    LAYER: frozenset({"name", "soil", "bottom", *SOIL_KEYS}),
    WALL: frozenset({"name"}),
    PILE: frozenset({"name", "x", "head", "toe"}),
    BOUNDARY: frozenset({"level"}),
    PIEZOMETER: frozenset({"id", "x", "z"}),
}
BOUNDARY_ROWS = ("river", "land")
_OPTIONAL = frozenset({"d70", "d10"})
_TOLERANCE = 1e-6


class SectionEditError(InputError):
    """An edit of a section cannot be made (the message says why and what to type instead)."""


# -- reading --------------------------------------------------------------------------------------


def _text(value: float | None) -> str:
    return "" if value is None else f"{value:.6g}"


def _layer_cells(layer: Layer) -> list[str]:
    zs = [z for _, z in layer.polygon]
    soil = layer.soil
    return [layer.name, soil.name, _text(max(zs)), _text(min(zs)),
            *(str(getattr(soil, key)) if key == "soil_type" else _text(getattr(soil, key))
              for key in SOIL_KEYS)]


def cells(placed: PlacedSection, part: str) -> list[list[str]]:
    """Return the text of every cell of a part's table, row by row (columns: :data:`COLUMNS`)."""
    section = placed.section
    if part == LAYER:
        return [_layer_cells(layer) for layer in section.layers]
    if part == WALL:
        rows = []
        for wall in section.walls:
            xs, zs = [x for x, _ in wall.polygon], [z for _, z in wall.polygon]
            rows.append([wall.name, _text(min(xs)), _text(max(xs)), _text(min(zs)),
                         _text(max(zs))])
        return rows
    if part == PILE:
        return [[pile.name, _text(pile.points[0][0]), _text(pile.points[0][1]),
                 _text(pile.points[-1][1])] for pile in section.sheet_piles]
    if part == BOUNDARY:
        return [[_text(section.river.level)], [_text(section.land.level)]]
    if part == PIEZOMETER:
        return [[p.id, _text(p.x), _text(p.z)] for p in section.piezometers]
    raise SectionEditError(f"unknown part {part!r} of a section",
                           hint=f"use one of {', '.join(COLUMNS)}")


def validation_problem(section: Section) -> str | None:
    """Return what is wrong with a section (the solver's own check), or ``None`` if it is valid."""
    try:
        section.validate()
    except SectionError as error:
        return str(error)
    except (ValueError, TypeError, shapely.errors.ShapelyError) as error:
        return f"section {section.name!r} cannot be checked: {error}"
    return None


# -- parsing cells --------------------------------------------------------------------------------


def _number(text: str, what: str, optional: bool = False) -> float | None:
    text = str(text).strip()
    if not text:
        if optional:
            return None
        raise SectionEditError(f"{what} needs a value", hint="type a number, e.g. 2e-6 or -1.5")
    try:
        value = float(text)
    except ValueError:
        raise SectionEditError(f"{what}: {text!r} is not a number",
                               hint="type a number, e.g. 2e-6 or -1.5") from None
    if not math.isfinite(value):
        raise SectionEditError(f"{what}: {text!r} is not a finite number",
                               hint="type a number, e.g. 2e-6 or -1.5")
    return value


def _required(text: str, what: str) -> float:
    value = _number(text, what)
    assert value is not None
    return value


def _name(text: str, what: str, taken: list[str]) -> str:
    name = str(text).strip()
    if not name:
        raise SectionEditError(f"{what} cannot be empty", hint="type a name")
    if name in taken:
        raise SectionEditError(f"{what}: {name!r} is already used in this section",
                               hint="choose another name")
    return name


def _with(placed: PlacedSection, section: Section, **changes: Any) -> PlacedSection:
    return dataclasses.replace(placed, section=section, **changes)


# -- layers ---------------------------------------------------------------------------------------


def _replace_soil(section: Section, old: str, soil: Soil) -> Section:
    layers = [dataclasses.replace(layer, soil=soil) if layer.soil.name == old else layer
              for layer in section.layers]
    return dataclasses.replace(section, layers=layers)


def _soil_value(soil: Soil, key: str, text: str) -> Soil:
    what = f"soil {soil.name!r}: {key}"
    if key == "soil_type":
        kind = str(text).strip()
        if kind not in LANE_RATIO:
            raise SectionEditError(f"{what}: {kind!r} is not a known soil type",
                                   hint=f"use one of {', '.join(sorted(LANE_RATIO))}")
        return dataclasses.replace(soil, soil_type=kind)
    value = _number(text, what, optional=key in _OPTIONAL)
    return dataclasses.replace(soil, **{key: value})


def _layer_soil_name(section: Section, row: int, text: str) -> Section:
    layer = section.layers[row]
    name = str(text).strip()
    if not name:
        raise SectionEditError(f"layer {layer.name!r}: the soil name cannot be empty",
                               hint="type the name of a soil")
    known = {other.soil.name: other.soil for other in section.layers}
    soil = known.get(name) or dataclasses.replace(layer.soil, name=name)
    layers = list(section.layers)
    layers[row] = dataclasses.replace(layer, soil=soil)
    return dataclasses.replace(section, layers=layers)


def _edit_layer(section: Section, row: int, key: str, text: str) -> Section:
    layer = section.layers[row]
    if key == "name":
        taken = [other.name for i, other in enumerate(section.layers) if i != row]
        layers = list(section.layers)
        layers[row] = dataclasses.replace(layer, name=_name(text, "layer name", taken))
        return dataclasses.replace(section, layers=layers)
    if key == "soil":
        return _layer_soil_name(section, row, text)
    if key == "bottom":
        return move_layer_bottom(section, row, _required(text, f"layer {layer.name!r}: bottom"))
    return _replace_soil(section, layer.soil.name, _soil_value(layer.soil, key, text))


def _single(geometry: shapely.Geometry, what: str) -> Polygon:
    """Return ``geometry`` as one polygon without holes, or raise naming ``what``."""
    parts = [g for g in shapely.get_parts(geometry.buffer(0))  # (buffer(0): no zero-width spikes)
             if isinstance(g, Polygon) and g.area > _TOLERANCE]
    if not parts:
        raise SectionEditError(f"{what} would vanish", hint="choose a level inside the layer")
    if len(parts) > 1:
        raise SectionEditError(f"{what} would fall into {len(parts)} pieces",
                               hint="choose a level that keeps it in one piece")
    if parts[0].interiors:
        raise SectionEditError(f"{what} would enclose another layer",
                               hint="choose another level")
    return parts[0]


def _corners(polygon: Polygon) -> tuple[tuple[float, float], ...]:
    return tuple((float(x), float(z)) for x, z in polygon.exterior.coords[:-1])


def _bottom_edge(name: str, polygon: Polygon) -> tuple[float, float, float]:
    """Return (x from, x to, level) of the horizontal bottom edge of a layer polygon."""
    zmin = polygon.bounds[1]
    ring = list(polygon.exterior.coords)
    xs = [end for (xa, za), (xb, zb) in itertools.pairwise(ring)
          if abs(za - zmin) < _TOLERANCE and abs(zb - zmin) < _TOLERANCE for end in (xa, xb)]
    if not xs:
        raise SectionEditError(f"layer {name!r} has no horizontal bottom to move",
                               hint="edit its polygon in the section file")
    return min(xs), max(xs), zmin


def _polygons(section: Section) -> list[Polygon]:
    polygons = section.layer_polygons()
    for layer, polygon in zip(section.layers, polygons, strict=True):
        if not polygon.is_valid:
            raise SectionEditError(f"layer {layer.name!r} is not a valid polygon",
                                   hint="undo the edit that broke it, or fix the section file")
    return polygons


def move_layer_bottom(section: Section, row: int, level: float) -> Section:
    """Return the section with layer ``row``'s horizontal bottom moved to ``level``.

    Lowered, the layer takes the soil directly beneath its bottom edge (between the edge's ends);
    raised, its part below ``level`` goes to the layer beneath it.  With no layer beneath (the
    lowest layer), the base of the section moves, and the boundary points on it.

    Raises
    ------
    SectionEditError
        If the layer has no horizontal bottom, the level is not below its top, or a layer would
        vanish, split or run into a wall.
    """
    name = section.layers[row].name
    polygons = _polygons(section)
    target = polygons[row]
    x0, x1, old = _bottom_edge(name, target)
    top = target.bounds[3]
    if level >= top - _TOLERANCE:
        raise SectionEditError(f"layer {name!r}: bottom {level:g} m is not below its top "
                               f"({top:g} m)", hint="type a lower level")
    if abs(level - old) < _TOLERANCE:
        return section
    edge = LineString([(x0, old), (x1, old)])
    beneath = [i for i, polygon in enumerate(polygons)
               if i != row and polygon.intersection(edge.buffer(_TOLERANCE)).area > 0
               and polygon.centroid.y < old]
    if not beneath:
        return _move_base(section, row, target, (x0, x1, old), level)
    band = box(x0, min(level, old), x1, max(level, old))
    for wall in section.walls:
        if Polygon(wall.polygon).intersection(band).area > _TOLERANCE and level < old:
            raise SectionEditError(f"layer {name!r}: a bottom at {level:g} m runs into wall "
                                   f"{wall.name!r}", hint="choose a level above the wall's base")
    new = list(polygons)
    if level < old:
        _check_through(section, polygons, beneath, (x0, x1, old), level, name)
        taken = [polygons[i].intersection(band) for i in beneath]
        for i in beneath:
            new[i] = _single(polygons[i].difference(band),
                             f"layer {section.layers[i].name!r}")
        new[row] = _single(shapely.union_all([target, *taken]), f"layer {name!r}")
    else:
        cut = box(target.bounds[0] - 1, old - 1, target.bounds[2] + 1, level)
        below = target.intersection(cut)
        new[row] = _single(target.difference(cut), f"layer {name!r}")
        receiver = max(beneath, key=lambda i: polygons[i].intersection(
            edge.buffer(_TOLERANCE)).area)
        new[receiver] = _single(shapely.union_all([polygons[receiver], below]),
                                f"layer {section.layers[receiver].name!r}")
    layers = [dataclasses.replace(layer, polygon=_corners(polygon)) if polygon is not old_p
              else layer for layer, polygon, old_p in zip(section.layers, new, polygons,
                                                          strict=True)]
    return dataclasses.replace(section, layers=layers)


def _check_through(section: Section, polygons: list[Polygon], beneath: list[int],
                   edge: tuple[float, float, float], level: float, name: str) -> None:
    """Raise if a bottom lowered to ``level`` would pass through a layer beneath."""
    x0, x1, old = edge
    for i in beneath:
        under = polygons[i].intersection(box(x0, level - 1e4, x1, old))
        if not under.is_empty and under.bounds[1] >= level - _TOLERANCE:
            other = section.layers[i].name
            raise SectionEditError(
                f"layer {name!r}: a bottom at {level:g} m passes through layer {other!r} "
                f"(its bottom is at {under.bounds[1]:g} m)",
                hint=f"lower the bottom of {other!r} first")


def _move_base(section: Section, row: int, target: Polygon, edge: tuple[float, float, float],
               level: float) -> Section:
    x0, x1, old = edge
    name = section.layers[row].name
    if level < old:
        moved = shapely.union_all([target, box(x0, level, x1, old)])
    else:
        moved = target.difference(box(x0 - 1, old - 1, x1 + 1, level))
    layers = list(section.layers)
    layers[row] = dataclasses.replace(layers[row], polygon=_corners(_single(moved,
                                                                            f"layer {name!r}")))

    def shift(boundary: Boundary) -> Boundary:
        points = [(x, level) if abs(z - old) < _TOLERANCE and x0 - _TOLERANCE <= x
                  <= x1 + _TOLERANCE else (x, z) for x, z in boundary.points]
        return dataclasses.replace(boundary, points=points)

    return dataclasses.replace(section, layers=layers, river=shift(section.river),
                               land=shift(section.land))


# -- structures, boundaries, piezometers ----------------------------------------------------------


def _edit_pile(section: Section, row: int, key: str, text: str) -> Section:
    pile = section.sheet_piles[row]
    points = [list(p) for p in pile.points]
    if key == "name":
        taken = [p.name for i, p in enumerate(section.sheet_piles) if i != row]
        changed = dataclasses.replace(pile, name=_name(text, "cut-off name", taken))
    else:
        value = _required(text, f"cut-off {pile.name!r}: {key}")
        if key == "x":
            shift = value - points[0][0]
            points = [[x + shift, z] for x, z in points]
        elif key == "head":
            if value <= points[-1][1]:
                raise SectionEditError(f"cut-off {pile.name!r}: head {value:g} m is not above "
                                       f"its toe ({points[-1][1]:g} m)", hint="type a higher level")
            points[0][1] = value
        else:
            if value >= points[0][1]:
                raise SectionEditError(f"cut-off {pile.name!r}: toe {value:g} m is not below "
                                       f"its head ({points[0][1]:g} m)", hint="type a lower level")
            points[-1][1] = value
        changed = SheetPile(pile.name, points)
    piles = list(section.sheet_piles)
    piles[row] = changed
    return dataclasses.replace(section, sheet_piles=piles)


def _edit_wall(section: Section, row: int, text: str) -> Section:
    taken = [w.name for i, w in enumerate(section.walls) if i != row]
    walls = list(section.walls)
    walls[row] = dataclasses.replace(walls[row], name=_name(text, "wall name", taken))
    return dataclasses.replace(section, walls=walls)


def _edit_piezometer(section: Section, row: int, key: str, text: str) -> Section:
    piezometer = section.piezometers[row]
    if key == "id":
        taken = [p.id for i, p in enumerate(section.piezometers) if i != row]
        changed = dataclasses.replace(piezometer, id=_name(text, "piezometer id", taken))
    else:
        changed = dataclasses.replace(
            piezometer, **{key: _required(text, f"piezometer {piezometer.id!r}: {key}")})
    piezometers = list(section.piezometers)
    piezometers[row] = changed
    return dataclasses.replace(section, piezometers=piezometers)


def _edit_boundary(placed: PlacedSection, row: int, text: str) -> PlacedSection:
    side = BOUNDARY_ROWS[row]
    level = _number(text, f"{side} level", optional=side == "land")
    section = placed.section
    checks = dict(placed.checks)
    key = "design_level" if side == "river" else "land_level"
    if level is None:
        checks.pop(key, None)
    else:
        checks[key] = level
    boundary = dataclasses.replace(getattr(section, side), level=level)
    return _with(placed, dataclasses.replace(section, **{side: boundary}), checks=checks)


def _row(items: list[Any], row: int, part: str) -> None:
    if not 0 <= row < len(items):
        raise SectionEditError(f"the section has no {part} number {row + 1}",
                               hint="pick a row of the table")


def apply_edit(placed: PlacedSection, part: str, row: int, key: str, text: str) -> PlacedSection:
    """Return the section with one cell edited (see the module docstring).

    Parameters
    ----------
    placed : PlacedSection
        The section (not changed).
    part : str
        ``layer``, ``wall``, ``pile``, ``boundary`` or ``piezometer``.
    row : int
        The row of that part's table.
    key : str
        The column (:data:`COLUMNS`); it must be in :data:`EDITABLE`.
    text : str
        What was typed.

    Raises
    ------
    SectionEditError
        If the column cannot be edited, the text is not a value of that column, or the edit
        cannot be made on the geometry.
    """
    if key not in EDITABLE.get(part, ()):
        raise SectionEditError(f"{key!r} of a {part} cannot be edited here",
                               hint="edit the section file, or derive the section again")
    section = placed.section
    editors: dict[str, tuple[list[Any], Callable[[], Section]]] = {
        LAYER: (section.layers, lambda: _edit_layer(section, row, key, text)),
        WALL: (section.walls, lambda: _edit_wall(section, row, text)),
        PILE: (section.sheet_piles, lambda: _edit_pile(section, row, key, text)),
        PIEZOMETER: (section.piezometers, lambda: _edit_piezometer(section, row, key, text)),
    }
    if part == BOUNDARY:
        _row(list(BOUNDARY_ROWS), row, "boundary")
        return _edit_boundary(placed, row, text)
    items, edit = editors[part]
    _row(items, row, part)
    return _with(placed, edit())


def _free_id(section: Section) -> str:
    taken = {p.id for p in section.piezometers}
    return next(f"P-{n}" for n in range(1, len(taken) + 2) if f"P-{n}" not in taken)


def add_piezometer(placed: PlacedSection, piezometer_id: str | None = None,
                   x: float | None = None, z: float | None = None) -> PlacedSection:
    """Return the section with a piezometer added.

    Without a position it goes 3 m below the ground three quarters of the way to the land end
    (a start the user then moves); without an id it gets the first free ``P-n``.
    """
    section = placed.section
    if x is None or z is None:
        domain = shapely.union_all([p for p in section.layer_polygons() if p.is_valid])
        xmin, zmin, xmax, zmax = domain.bounds
        x = round(xmin + 0.75 * (xmax - xmin), 1) if x is None else x
        column = LineString([(x, zmin - 1), (x, zmax + 1)]).intersection(domain)
        ground = column.bounds[3] if not column.is_empty else zmax
        z = round(max(ground - 3.0, zmin + 0.5), 1) if z is None else z
    taken = [p.id for p in section.piezometers]
    pid = _name(piezometer_id, "piezometer id", taken) if piezometer_id else _free_id(section)
    piezometers = [*section.piezometers, Piezometer(pid, float(x), float(z))]
    return _with(placed, dataclasses.replace(section, piezometers=piezometers))


def move_piezometer(placed: PlacedSection, row: int, x: float, z: float) -> PlacedSection:
    """Return the section with piezometer ``row`` at (x, z) (dragged in the 2D view)."""
    section = placed.section
    _row(section.piezometers, row, PIEZOMETER)
    piezometers = list(section.piezometers)
    piezometers[row] = dataclasses.replace(piezometers[row], x=float(x), z=float(z))
    return _with(placed, dataclasses.replace(section, piezometers=piezometers))


def remove_piezometer(placed: PlacedSection, row: int) -> PlacedSection:
    """Return the section without piezometer ``row``."""
    section = placed.section
    _row(section.piezometers, row, PIEZOMETER)
    piezometers = [p for i, p in enumerate(section.piezometers) if i != row]
    return _with(placed, dataclasses.replace(section, piezometers=piezometers))


# -- the edited section ---------------------------------------------------------------------------


class SectionDraft:
    """A section being edited: the current version, the saved one, and what is wrong now.

    Parameters
    ----------
    placed : PlacedSection
        The section as read (or as derived: then ``saved`` is false until it is saved).
    saved : bool
        Whether ``placed`` is what its file holds.
    """

    def __init__(self, placed: PlacedSection, saved: bool = True) -> None:
        self.placed = placed
        self.original = placed
        self.dirty = not saved
        self.problem = validation_problem(placed.section)

    @property
    def id(self) -> str:
        """Return the section's id."""
        return self.placed.id

    @property
    def valid(self) -> bool:
        """Whether the section passes the solver's validation."""
        return self.problem is None

    def _set(self, placed: PlacedSection) -> None:
        if placed is not self.original and not placed.derivation.get("edited"):
            placed = dataclasses.replace(placed, derivation={**placed.derivation, "edited": True})
        self.placed = placed
        self.dirty = True
        self.problem = validation_problem(placed.section)
        if self.problem:
            logger.info("section %s is not valid after the edit: %s", placed.id, self.problem)

    def apply(self, part: str, row: int, key: str, text: str) -> None:
        """Apply one edited cell (:func:`apply_edit`); raises :class:`SectionEditError`."""
        self._set(apply_edit(self.placed, part, row, key, text))

    def add_piezometer(self, **where: Any) -> None:
        """Add a piezometer (:func:`add_piezometer`)."""
        self._set(add_piezometer(self.placed, **where))

    def move_piezometer(self, row: int, x: float, z: float) -> None:
        """Move piezometer ``row`` to (x, z) (:func:`move_piezometer`)."""
        self._set(move_piezometer(self.placed, row, x, z))

    def remove_piezometer(self, row: int) -> None:
        """Remove piezometer ``row`` (:func:`remove_piezometer`)."""
        self._set(remove_piezometer(self.placed, row))

    def revert(self) -> None:
        """Go back to the section as last read or saved."""
        self._set(self.original)
        self.dirty = self.original.path is None

    def mark_saved(self, placed: PlacedSection) -> None:
        """Record that ``placed`` (with its new path and id) is what its file now holds."""
        self.placed = self.original = placed
        self.dirty = False
        self.problem = validation_problem(placed.section)
