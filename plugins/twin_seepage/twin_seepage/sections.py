"""Seepage sections: a vertical cross-section through a flood wall or an embankment.

Coordinates are ``x`` (horizontal, metres, increasing from the river towards the land) and ``z``
(elevation, metres, in the scene's vertical datum). Permeabilities are in m/s, specific storage in
1/m, specific yield dimensionless, grain sizes in metres.

A :class:`Section` holds

* ``layers``: polygons of soil (embankment, blanket, aquifer, ...), each with a :class:`Soil`;
* ``walls``: impermeable polygons (a concrete flood wall, a floor slab) that are cut out of the
  flow domain;
* ``sheet_piles``: thin impermeable cut-offs given as polylines (zero thickness, modelled as a slit
  in the mesh);
* ``river`` and ``land``: :class:`Boundary` polylines along the outline. The river stage is a head
  boundary on the river boundary below the water and a seepage face above it; on the land side
  the ``level`` (a ditch or polder level, or ``None``) is a head boundary below it and the rest is a
  seepage face. The rest of the outline is impermeable;
* ``piezometers``: points where heads are predicted and measured.

:meth:`Section.validate` checks all of it and raises a :class:`~twin_seepage.errors.SectionError`
subclass naming what is wrong and where. :func:`load_section` / :func:`save_section` read and write
the TOML format described in :mod:`twin_seepage.section_toml`.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import shapely
from shapely.geometry import LineString, Point, Polygon
from shapely.validation import explain_validity

from twin_seepage.errors import (
    BoundaryError,
    GapError,
    GeometryError,
    OverlapError,
    PermeabilityError,
    PiezometerError,
    SoilDataError,
)

Coords = tuple[tuple[float, float], ...]

#: Tolerance (m) for points that should lie on the outline or inside the domain.
TOLERANCE = 1e-6


def _coords(points: Sequence[Sequence[float]]) -> Coords:
    return tuple((float(p[0]), float(p[1])) for p in points)


@dataclass(frozen=True)
class Soil:
    """Hydraulic and piping properties of one soil.

    Parameters
    ----------
    name : str
        Soil name.
    kx, kz : float
        Saturated horizontal and vertical permeability (m/s), both > 0.
    ss : float
        Specific storage (1/m) of the saturated soil.
    sy : float
        Specific yield (-): water released per unit fall of the phreatic surface.
    gs : float
        Specific gravity of the grains.
    void_ratio : float
        Void ratio ``e``.
    d70, d10 : float or None
        Grain sizes (m) used by Sellmeijer's rule (d70) and descriptive checks (d10).
    soil_type : str
        Key of the allowable-gradient and Lane tables in :mod:`twin_seepage.checks`
        (e.g. ``"fine_sand"``, ``"silt"``, ``"medium_clay"``).
    """

    name: str
    kx: float
    kz: float
    ss: float = 1e-4
    sy: float = 0.1
    gs: float = 2.65
    void_ratio: float = 0.7
    d70: float | None = None
    d10: float | None = None
    soil_type: str = "fine_sand"

    @property
    def critical_gradient(self) -> float:
        """Return the heave (quick) critical gradient ``(Gs - 1) / (1 + e)``."""
        return (self.gs - 1.0) / (1.0 + self.void_ratio)

    @property
    def gamma_sat(self) -> float:
        """Return the saturated unit weight (kN/m3) from Gs and e with gamma_w = 9.81."""
        return 9.81 * (self.gs + self.void_ratio) / (1.0 + self.void_ratio)

    def validate(self, where: str) -> None:
        """Raise if a value is unusable; ``where`` names the layer that uses this soil."""
        for key in ("kx", "kz"):
            value = getattr(self, key)
            if not (math.isfinite(value) and value > 0.0):
                raise PermeabilityError(
                    f"{where}: soil {self.name!r} has {key} = {value!r} m/s; permeability must be "
                    "a finite number > 0")
        if not (math.isfinite(self.ss) and self.ss >= 0.0):
            raise PermeabilityError(f"{where}: soil {self.name!r} has specific storage "
                                    f"ss = {self.ss!r} 1/m; it must be >= 0")
        if not (math.isfinite(self.sy) and 0.0 <= self.sy <= 1.0):
            raise PermeabilityError(f"{where}: soil {self.name!r} has specific yield "
                                    f"sy = {self.sy!r}; it must be in [0, 1]")
        if not (1.0 < self.gs < 5.0):
            raise SoilDataError(f"{where}: soil {self.name!r} has Gs = {self.gs!r}; "
                                "expected 1 < Gs < 5")
        if not (0.0 < self.void_ratio < 10.0):
            raise SoilDataError(f"{where}: soil {self.name!r} has void ratio "
                                f"e = {self.void_ratio!r}; expected 0 < e < 10")
        for key in ("d70", "d10"):
            value = getattr(self, key)
            if value is not None and not (0.0 < value < 0.1):
                raise SoilDataError(f"{where}: soil {self.name!r} has {key} = {value!r} m; "
                                    "grain sizes are in metres (e.g. 2e-4)")


@dataclass(frozen=True)
class Layer:
    """A soil polygon. ``polygon`` lists (x, z) vertices, open or closed, either orientation."""

    name: str
    polygon: Coords
    soil: Soil

    def __post_init__(self) -> None:
        object.__setattr__(self, "polygon", _coords(self.polygon))


@dataclass(frozen=True)
class Wall:
    """An impermeable polygon (concrete wall, slab); it is cut out of the flow domain."""

    name: str
    polygon: Coords

    def __post_init__(self) -> None:
        object.__setattr__(self, "polygon", _coords(self.polygon))


@dataclass(frozen=True)
class SheetPile:
    """A thin impermeable cut-off along the polyline ``points`` (head first, tip last)."""

    name: str
    points: Coords

    def __post_init__(self) -> None:
        object.__setattr__(self, "points", _coords(self.points))


@dataclass(frozen=True)
class Boundary:
    """A river-side or land-side boundary: a polyline lying on the section's outline.

    Parameters
    ----------
    points : sequence of (x, z)
        The polyline; every segment must lie on the outline of the flow domain.
    level : float or None
        Water level (m). On the river boundary the default stage (a stage series or an explicit
        stage overrides it); on the land boundary a fixed polder/ditch level, or ``None`` for a
        dry land side (seepage face only).
    seepage_face : bool
        Whether the part above the water may act as a seepage face (outflow where the pressure
        would be positive, no flow elsewhere).
    """

    points: Coords
    level: float | None = None
    seepage_face: bool = True

    def __post_init__(self) -> None:
        object.__setattr__(self, "points", _coords(self.points))


@dataclass(frozen=True)
class Piezometer:
    """A piezometer filter at (x, z) with an id matching the telemetry sensor id."""

    id: str
    x: float
    z: float


@dataclass
class Section:
    """A vertical seepage section; see the module docstring for the parts."""

    name: str
    layers: list[Layer]
    river: Boundary
    land: Boundary
    walls: list[Wall] = field(default_factory=list)
    sheet_piles: list[SheetPile] = field(default_factory=list)
    piezometers: list[Piezometer] = field(default_factory=list)
    description: str = ""

    # ------------------------------------------------------------------ geometry helpers
    def layer_polygons(self) -> list[Polygon]:
        """Return the layers as shapely polygons (after :meth:`validate` they are valid)."""
        return [Polygon(layer.polygon) for layer in self.layers]

    def flow_domain(self) -> Polygon:
        """Return the union of the layers: the region where water flows."""
        return shapely.union_all(self.layer_polygons())

    def bounds(self) -> tuple[float, float, float, float]:
        """Return (xmin, zmin, xmax, zmax) of the flow domain."""
        return tuple(self.flow_domain().bounds)  # type: ignore[return-value]

    def soil_at(self, x: float, z: float) -> Soil | None:
        """Return the soil at a point, or None outside every layer."""
        point = Point(x, z)
        for layer, polygon in zip(self.layers, self.layer_polygons(), strict=True):
            if polygon.buffer(TOLERANCE).contains(point):
                return layer.soil
        return None

    # ------------------------------------------------------------------ validation
    def validate(self) -> None:
        """Check the section; raise a :class:`SectionError` subclass naming the problem.

        Raises
        ------
        GeometryError, OverlapError, GapError, PermeabilityError, SoilDataError, BoundaryError,
        PiezometerError
        """
        if not self.layers:
            raise GeometryError(f"section {self.name!r} has no layers")
        polygons = [_polygon(f"layer {layer.name!r}", layer.polygon) for layer in self.layers]
        for layer in self.layers:
            layer.soil.validate(f"layer {layer.name!r}")
        walls = [_polygon(f"wall {wall.name!r}", wall.polygon) for wall in self.walls]
        names = [f"layer {layer.name!r}" for layer in self.layers]
        names += [f"wall {wall.name!r}" for wall in self.walls]
        _check_overlaps(names, polygons + walls)
        _check_gaps(polygons + walls)
        domain = shapely.union_all(polygons)
        outline = domain.boundary
        for pile in self.sheet_piles:
            if len(pile.points) < 2:
                raise GeometryError(f"sheet pile {pile.name!r} needs at least two points")
            line = LineString(pile.points)
            if not domain.buffer(TOLERANCE).contains(line):
                raise GeometryError(f"sheet pile {pile.name!r} leaves the flow domain "
                                    f"(points {list(pile.points)})")
        for label, boundary in (("river", self.river), ("land", self.land)):
            _check_boundary(label, boundary, outline)
        seen: set[str] = set()
        walls_union = shapely.union_all(walls) if walls else None
        for piezometer in self.piezometers:
            if piezometer.id in seen:
                raise PiezometerError(f"piezometer id {piezometer.id!r} is used twice")
            seen.add(piezometer.id)
            point = Point(piezometer.x, piezometer.z)
            if walls_union is not None and walls_union.contains(point):
                raise PiezometerError(f"piezometer {piezometer.id!r} at (x={piezometer.x}, "
                                      f"z={piezometer.z}) lies inside a wall")
            if not domain.buffer(TOLERANCE).covers(point):
                xmin, zmin, xmax, zmax = domain.bounds
                raise PiezometerError(
                    f"piezometer {piezometer.id!r} at (x={piezometer.x}, z={piezometer.z}) lies "
                    f"outside the section (soil spans x {xmin:g}..{xmax:g}, "
                    f"z {zmin:g}..{zmax:g}); {domain.distance(point):.3g} m from the nearest soil")


def _polygon(label: str, points: Coords) -> Polygon:
    if len(points) < 3:
        raise GeometryError(f"{label} has {len(points)} points; a polygon needs at least 3")
    if not np.all(np.isfinite(np.asarray(points))):
        raise GeometryError(f"{label} has a coordinate that is not a finite number")
    polygon = Polygon(points)
    if not polygon.is_valid:
        raise GeometryError(f"{label} is not a simple polygon: {explain_validity(polygon)}")
    if polygon.area <= 0.0:
        raise GeometryError(f"{label} has zero area")
    return polygon


def _check_overlaps(names: list[str], polygons: list[Polygon]) -> None:
    total = sum(p.area for p in polygons)
    tree = shapely.STRtree(polygons)
    for i, polygon in enumerate(polygons):
        for j in tree.query(polygon):
            if j <= i:
                continue
            overlap = polygon.intersection(polygons[j])
            if overlap.area > 1e-9 * total:
                centre = overlap.representative_point()
                raise OverlapError(
                    f"{names[i]} and {names[int(j)]} overlap by {overlap.area:.4g} m2 around "
                    f"(x={centre.x:.3f}, z={centre.y:.3f})")


def _check_gaps(polygons: list[Polygon]) -> None:
    union = shapely.union_all(polygons)
    total = sum(p.area for p in polygons)
    if union.geom_type == "MultiPolygon":
        pieces = sorted(union.geoms, key=lambda g: -g.area)
        centre = pieces[1].representative_point()
        raise GapError(f"the layers form {len(pieces)} separate pieces; the piece around "
                       f"(x={centre.x:.3f}, z={centre.y:.3f}) does not touch the rest")
    for ring in union.interiors:
        hole = Polygon(ring)
        if hole.area > 1e-9 * total:
            centre = hole.representative_point()
            raise GapError(f"open gap of {hole.area:.4g} m2 between layers around "
                           f"(x={centre.x:.3f}, z={centre.y:.3f}); every point of the section "
                           "must belong to a layer or a wall")


def _check_boundary(label: str, boundary: Boundary, outline: shapely.Geometry) -> None:
    if len(boundary.points) < 2:
        raise BoundaryError(f"{label} boundary needs at least two points")
    near = outline.buffer(1e-6 * max(1.0, outline.length))
    for a, b in zip(boundary.points[:-1], boundary.points[1:], strict=True):
        segment = LineString([a, b])
        if not near.covers(segment):
            raise BoundaryError(f"{label} boundary segment {a} -> {b} does not lie on the "
                                "outline of the soil layers")
    if boundary.level is not None and not math.isfinite(boundary.level):
        raise BoundaryError(f"{label} boundary level {boundary.level!r} is not a finite number")
