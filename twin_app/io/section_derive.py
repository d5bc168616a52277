"""Derive a seepage section along a line across a wall, from the scene and its BIM models.

:func:`derive_section` takes two map points (either order) and builds a
:class:`~twin_app.io.sections.PlacedSection`:

* **orientation**: ``x = 0`` at the river end, which is the end lying in exactly one of the
  scene's water bodies, else the end with the lower ground;
* **ground**: the scene DEM (its detail DEM when it has one) sampled along the line;
* **structures**: every IFC element the vertical plane of the line cuts, from its tessellated
  geometry (each triangle crossing the plane gives a segment; the segments are polygonised):
  walls, footings and slabs become impermeable walls, sheet-pile cut-offs (``IfcPile`` whose
  type says sheet pile) become zero-thickness cut-offs along their centre line, embankment fill
  (``IfcEarthworksFill``) becomes soil of the profile's ``[fill]``;
* **soil layers**: the scene's soil profile (``soils.toml``) cut by the ground and the walls;
* **boundaries**: the river-side face and ground up to the wall are the river boundary, the
  land-side ground and far face the land boundary (groundwater held at the profile's
  ``land_level``), the base and the structures are impermeable;
* **piezometers**: the scene's piezometers, and those of the IFC models (``Twin_Sensor`` psets),
  within ``max_offset_m`` of the line and inside the soil.
"""

from __future__ import annotations

import itertools
import logging
import math
from collections import Counter
from collections.abc import Sequence
from typing import Any

import numpy as np
import shapely
from numpy.typing import NDArray
from shapely.geometry import LineString, MultiLineString, Point, Polygon, box
from twin_seepage import Boundary, Layer, Piezometer, Section, SectionError, SheetPile, Wall

from twin_app.core.progress import Feedback
from twin_app.core.scene import SensorKind
from twin_app.core.scene_loader import SceneDocument
from twin_app.io.dem import DemRaster, read_dem
from twin_app.io.ifc import IfcModel, load_ifc_model
from twin_app.io.section_cut import (
    FILL_CLASSES,
    GRID,
    WALL_CLASSES,
    Cut,
    cut_model,
    largest_polygon,
    line_frame,
)
from twin_app.io.sections import (
    SOILS_FILE,
    PlacedSection,
    SectionFileError,
    SoilProfile,
    read_soil_profile,
)

logger = logging.getLogger(__name__)


def _orient(document: SceneDocument, dem: DemRaster, start: Sequence[float],
            end: Sequence[float]) -> tuple[tuple[float, float], tuple[float, float]]:
    """Return (river end, land end)."""
    a, b = (float(start[0]), float(start[1])), (float(end[0]), float(end[1]))
    waters = [Polygon(body.polygon) for body in document.spec.water_bodies]
    wet = [any(w.covers(Point(p)) for w in waters) for p in (a, b)]
    if wet[0] != wet[1]:
        return (a, b) if wet[0] else (b, a)
    _, along, _, length = line_frame(a, b)
    near = np.linspace(0.0, min(10.0, float(length) / 4), 5)
    low_a = np.nanmean(dem.heights_at(a[0] + near * along[0], a[1] + near * along[1]))
    low_b = np.nanmean(dem.heights_at(b[0] - near * along[0], b[1] - near * along[1]))
    return (a, b) if low_a <= low_b else (b, a)


def _without_holes(polygon: Polygon) -> list[Polygon]:
    """Split a polygon with holes by vertical cuts through them into polygons without holes."""
    if not polygon.interiors:
        return [polygon]
    x = Polygon(polygon.interiors[0]).centroid.x
    ymin, ymax = polygon.bounds[1] - 1.0, polygon.bounds[3] + 1.0
    halves = [polygon.intersection(box(polygon.bounds[0] - 1.0, ymin, x, ymax)),
              polygon.intersection(box(x, ymin, polygon.bounds[2] + 1.0, ymax))]
    return [part for half in halves for piece in shapely.get_parts(half)
            if isinstance(piece, Polygon) and piece.area > 1e-9
            for part in _without_holes(piece)]


def _polygons(geometry: shapely.Geometry) -> list[Polygon]:
    return [part for piece in shapely.get_parts(geometry)
            if isinstance(piece, Polygon) and piece.area > 1e-9
            for part in _without_holes(piece)]


def _coords(polygon: Polygon) -> list[tuple[float, float]]:
    """Return a polygon's corners, unrounded: layers meeting on the outline share them exactly."""
    return [(float(x), float(z)) for x, z in polygon.exterior.coords[:-1]]


def _layers(domain: Polygon, fills: list[Polygon], soils: SoilProfile) -> list[Layer]:
    fill_zone = shapely.union_all(fills) if fills else Polygon()
    natural = domain.difference(fill_zone)
    top = domain.bounds[3] + 10.0
    layers: list[Layer] = []
    for layer in soils.layers:
        bottom = layer.bottom if layer is not soils.layers[-1] else soils.base_level - 1.0
        band = natural.intersection(box(-1.0, bottom, domain.bounds[2] + 1.0, top))
        pieces = _polygons(band)
        for number, piece in enumerate(pieces, start=1):
            name = layer.soil.name if len(pieces) == 1 else f"{layer.soil.name} {number}"
            layers.append(Layer(name, _coords(piece), layer.soil))
        top = bottom
    if fills:
        if soils.fill is None:
            raise SectionFileError("the line crosses embankment fill but the soil profile has "
                                   "no [fill] soil", hint=f"add [fill] to {soils.path}")
        for number, piece in enumerate(_polygons(domain.intersection(fill_zone)), start=1):
            layers.append(Layer(f"{soils.fill.name} {number}", _coords(piece), soils.fill))
    return layers


def _outline_edges(layers: Sequence[Layer]) -> list[tuple[tuple[float, float], ...]]:
    """Return the edges of the layers that belong to one layer only: the flow domain's outline.

    Taken from the layers themselves (not from their union), so every corner where two layers
    meet on the outline is a corner of the boundary polylines too (no near-collinear overlaps
    for the mesher).
    """
    count: Counter[tuple[tuple[float, float], ...]] = Counter()
    first: dict[tuple[tuple[float, float], ...], tuple[tuple[float, float], ...]] = {}
    for layer in layers:
        ring = [*layer.polygon, layer.polygon[0]]
        for a, b in itertools.pairwise(ring):
            key = tuple(sorted((tuple(np.round(a, 9)), tuple(np.round(b, 9)))))
            count[key] += 1
            first.setdefault(key, (a, b))
    return [first[key] for key, n in count.items() if n == 1]


def _boundaries(layers: Sequence[Layer], walls: Polygon | None, divider: float, length: float,
                base: float, land_level: float | None, river_level: float | None
                ) -> tuple[Boundary, Boundary]:
    """Split the outline into the river and land boundaries (base and structures: no flow)."""
    outline = walls.boundary if walls is not None else None
    river: list[LineString] = []
    land: list[LineString] = []
    for a, b in _outline_edges(layers):
        segment = LineString([a, b])
        mid_x = (a[0] + b[0]) / 2
        if abs(a[1] - base) < 1e-6 and abs(b[1] - base) < 1e-6:
            continue
        if outline is not None and _on(outline, a, b):
            continue
        if mid_x < 1e-6:
            river.append(segment)
        elif mid_x > length - 1e-6:
            land.append(segment)
        else:
            (river if mid_x < divider else land).append(segment)
    return (Boundary(_chain(river, "river"), level=river_level),
            Boundary(_chain(land, "land"), level=land_level))


def _on(outline: shapely.Geometry, a: Sequence[float], b: Sequence[float]) -> bool:
    """Return whether the segment a-b lies along ``outline`` (ends and middle within 0.1 mm)."""
    points = shapely.points([a, b, ((a[0] + b[0]) / 2, (a[1] + b[1]) / 2)])
    return bool(np.all(shapely.distance(outline, points) < 1e-4))


def _chain(segments: list[LineString], label: str) -> list[tuple[float, float]]:
    if not segments:
        raise SectionFileError(f"the section has no {label}-side boundary",
                               hint="draw the line from the river across the wall to the land")
    merged = shapely.line_merge(MultiLineString(segments))
    lines = list(shapely.get_parts(merged))
    if len(lines) > 1:
        logger.warning("the %s boundary falls in %d pieces; the longest is used", label,
                       len(lines))
    longest = max(lines, key=lambda line: line.length)
    return [(float(x), float(z)) for x, z in longest.coords]


def _pile(cut: Cut, domain: Polygon) -> SheetPile | None:
    x = round(cut.polygon.centroid.x, 3)
    _, zmin, _, zmax = cut.polygon.bounds
    inside = LineString([(x, zmax), (x, zmin)]).intersection(domain)
    lines = [g for g in shapely.get_parts(inside) if isinstance(g, LineString) and g.length > 0]
    if not lines:
        return None
    line = max(lines, key=lambda g: g.length)
    (x0, z0), (x1, z1) = line.coords[0], line.coords[-1]
    head, tip = ((x0, z0), (x1, z1)) if z0 > z1 else ((x1, z1), (x0, z0))
    return SheetPile(cut.name or cut.global_id, [head, tip])


def _sensor_points(document: SceneDocument, models: Sequence[IfcModel]
                   ) -> dict[str, tuple[float, float, float]]:
    """Return piezometer positions by id: the scene's, then the IFC models' not in the scene."""
    found = {s.id: tuple(s.position) for s in document.spec.sensors
             if s.kind is SensorKind.PIEZOMETER}
    crs = document.spec.crs.horizontal
    for model in models:
        bounds = model.element_bounds()
        for element in model.elements:
            if element.ifc_class != "IfcSensor" or element.global_id not in bounds:
                continue
            pset = model.element_properties(element.global_id).get("Twin_Sensor", {})
            sensor_id = str(pset.get("SensorId", (element.name, None))[0] or "")
            if str(pset.get("Kind", ("", None))[0]) != "piezometer" or not sensor_id \
                    or sensor_id in found:
                continue
            centre = bounds[element.global_id].mean(axis=0)[None, :]
            georef = model.georeference
            if georef is not None:
                centre = (georef.to_crs(centre, crs) if georef.crs and georef.crs != crs
                          else georef.local_to_map(centre))
            found[sensor_id] = tuple(float(v) for v in centre[0])  # type: ignore[assignment]
    return found  # type: ignore[return-value]


def _piezometers(points: dict[str, tuple[float, float, float]], origin: NDArray[np.float64],
                 along: NDArray[np.float64], normal: NDArray[np.float64], length: float,
                 domain: Polygon, max_offset: float) -> list[Piezometer]:
    chosen = []
    for sensor_id, (east, north, height) in sorted(points.items()):
        rel = np.array([east, north]) - origin
        x, offset = float(rel @ along), float(rel @ normal)
        if abs(offset) > max_offset or not 0.0 <= x <= length:
            continue
        if not domain.buffer(1e-6).covers(Point(x, height)):
            logger.warning("piezometer %s at x = %.2f m, z = %.2f m is not in the soil of the "
                           "section; left out", sensor_id, x, height)
            continue
        chosen.append(Piezometer(sensor_id, round(x, 3), round(float(height), 3)))
    return chosen


def derive_section(document: SceneDocument, start: Sequence[float], end: Sequence[float], *,
                   section_id: str, soils: SoilProfile | None = None,
                   models: Sequence[IfcModel] | None = None, dem: DemRaster | None = None,
                   max_offset_m: float = 5.0, step_m: float = 1.0,
                   generator: str = "") -> PlacedSection:
    """Derive the seepage section along a line (see the module docstring).

    Parameters
    ----------
    document : SceneDocument
        The scene (terrain, water bodies, sensors, IFC assets, ``soils.toml``).
    start, end : sequence of float
        Two map points of the line, either order.
    section_id : str
        The section's id (and file name).
    soils, models, dem : optional
        The soil profile, IFC models and DEM to use instead of the scene's.
    max_offset_m : float
        How far from the line a piezometer may be.
    step_m : float
        Spacing of the ground profile.
    generator : str
        What made the section (kept in ``[derivation]``).

    Raises
    ------
    SectionFileError
        If the scene has no terrain or soil profile, or the line does not give a valid section.
    """
    spec = document.spec
    if spec.terrain is None and dem is None:
        raise SectionFileError(f"scene {spec.id!r} has no terrain to take the ground from")
    if dem is None:
        terrain = spec.terrain
        assert terrain is not None
        dem = read_dem(document.resolve(terrain.detail or terrain.file))
    soils = soils or read_soil_profile(document.folder / SOILS_FILE)
    if models is None:
        models = [load_ifc_model(document.resolve(asset.file)) for asset in spec.assets
                  if asset.kind == "ifc" and asset.file]
    river_end, land_end = _orient(document, dem, start, end)
    origin, along, normal, length_array = line_frame(river_end, land_end)
    length = float(length_array)
    count = max(math.ceil(length / step_m), 2) + 1
    s = np.linspace(0.0, length, count)
    ground = dem.heights_at(origin[0] + s * along[0], origin[1] + s * along[1])
    if not np.all(np.isfinite(ground)):
        raise SectionFileError("the section line leaves the terrain (no ground height at "
                               f"{int((~np.isfinite(ground)).sum())} of {count} points)")
    base = soils.base_level
    ground = np.round(ground / GRID) * GRID
    below = Polygon([(0.0, base), *zip(np.round(s, 3), ground, strict=True), (length, base)])
    cuts = [cut for model in models for cut in cut_model(model, river_end, land_end,
                                                         spec.crs.horizontal)]
    walls = [c for c in cuts if c.ifc_class in WALL_CLASSES]
    fills = [c.polygon for c in cuts if c.ifc_class in FILL_CLASSES]
    wall_zone = (largest_polygon(shapely.simplify(shapely.union_all([w.polygon for w in walls]),
                                          GRID / 10)) if walls else None)
    if wall_zone is not None:
        wall_zone = Polygon(wall_zone.exterior.coords)
    domain = largest_polygon(shapely.union_all([below, *fills]).difference(wall_zone or Polygon()))
    if domain is None:
        raise SectionFileError("the section has no soil")
    piles = [p for p in (_pile(c, domain) for c in cuts if c.is_sheet_pile) if p is not None]
    if wall_zone is not None:
        divider = wall_zone.centroid.x
    elif piles:
        divider = piles[0].points[0][0]
    else:
        divider = float(s[int(np.argmax(ground))])
    layers = _layers(domain, fills, soils)
    river, land = _boundaries(layers, wall_zone, divider, length, base, soils.land_level,
                              soils.design_level)
    piezometers = _piezometers(_sensor_points(document, models), origin, along, normal, length,
                               domain, max_offset_m)
    crossed = [f"{c.ifc_class} {c.name} ({c.global_id})" for c in cuts]
    section = Section(
        name=f"{spec.name.en}: section {section_id}",
        description=(f"Derived from scene {spec.id!r} (terrain, BIM, {SOILS_FILE}); "
                     + ("ILLUSTRATIVE." if soils.illustrative else "")),
        layers=layers,
        walls=[Wall(" + ".join(c.name for c in walls) or "wall", _coords(wall_zone))]
        if wall_zone is not None else [],
        sheet_piles=piles, river=river, land=land, piezometers=piezometers)
    section.validate()
    logger.info("section %s: %.1f m, %d layers, %d structure(s) cut, %d piezometer(s)",
                section_id, length, len(section.layers), len(cuts), len(piezometers))
    checks: dict[str, Any] = {key: value for key, value in (
        ("aquifer", soils.aquifer), ("stage_sensor", soils.stage_sensor),
        ("design_level", soils.design_level), ("land_level", soils.land_level)) if value}
    derivation: dict[str, Any] = {"scene": spec.id, "soils": SOILS_FILE,
                                  "elements": crossed, "illustrative": soils.illustrative}
    if generator:
        derivation["generator"] = generator
    return PlacedSection(id=section_id, section=section, start=river_end, end=land_end,
                         crs=spec.crs.horizontal, checks=checks, derivation=derivation)


def new_section_id(taken: Sequence[str], prefix: str = "D-") -> str:
    """Return the first ``D-n`` not among ``taken`` (the id of a section derived in the app)."""
    return next(f"{prefix}{n}" for n in itertools.count(1) if f"{prefix}{n}" not in taken)


def derive_picked_section(document: SceneDocument, start: Sequence[float], end: Sequence[float],
                          *, section_id: str, feedback: Feedback | None = None,
                          generator: str = "twin-app section dock") -> PlacedSection:
    """Derive the section along a line picked in the app, with progress and cancel.

    The scene's terrain, soil profile and IFC models are read step by step (``feedback`` is told
    after each and may cancel between them), then :func:`derive_section` cuts them.  A line that
    cuts no wall or sheet-pile cut-off of the models is refused: a seepage section goes across a
    flood wall.

    Raises
    ------
    SectionFileError
        If the line leaves the terrain, crosses no wall, or gives no valid section (the message
        says which, and what to draw instead).
    OperationCancelledError
        If ``feedback`` was cancelled.
    """
    feedback = feedback or Feedback("deriving a seepage section")
    spec = document.spec
    if spec.terrain is None:
        raise SectionFileError(f"scene {spec.id!r} has no terrain to take the ground from",
                               hint="open a scene with terrain")
    feedback.step(0.05, "reading the terrain")
    dem = read_dem(document.resolve(spec.terrain.detail or spec.terrain.file))
    feedback.step(0.15, "reading the soil profile")
    soils = read_soil_profile(document.folder / SOILS_FILE)
    assets = [asset for asset in spec.assets if asset.kind == "ifc" and asset.file]
    models = []
    for number, asset in enumerate(assets):
        feedback.step(0.2 + 0.6 * number / max(len(assets), 1), f"reading {asset.id}")
        models.append(load_ifc_model(document.resolve(asset.file)))
    feedback.step(0.85, "cutting the models along the line")
    try:
        placed = derive_section(document, start, end, section_id=section_id, soils=soils,
                                models=models, dem=dem, generator=generator)
    except SectionError as error:
        raise SectionFileError(f"the section along this line is not valid: {error}",
                               hint=_ACROSS) from None
    if not placed.section.walls and not placed.section.sheet_piles:
        raise SectionFileError("the line crosses no flood wall or sheet-pile cut-off of the "
                               "scene's BIM models", hint=_ACROSS)
    feedback.step(1.0, "derived")
    return placed


_ACROSS = "draw a straight line from the river, across a flood wall, to the land"
