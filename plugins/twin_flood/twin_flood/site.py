"""Compile a scene's hydraulic set-up (``flood.toml``) against the model grid.

:func:`build_site` reads the DEM at the plugin's cell size, applies weak wall sections to it,
leaves out deep outer water, crops to the cells that take part, and turns the set-up into
:mod:`twin_flood` features (water-level boundaries, walls, gates, pumps) with masks and cell
indices the operating rules (:mod:`twin_flood.operation`) and the outputs need.  Without a
set-up (a run on a bare DEM) the site has no structures; an ``outer_edge`` may hold the outer
level on one DEM edge.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from twin_flood.features import Feature, Gate, Pump, Wall
from twin_flood.grid import RasterGrid
from twin_flood.raster import (
    Raster,
    blocked_faces,
    connected,
    crop_box,
    near_line,
    read_raster,
    within,
)
from twin_flood.series import TimeSeries
from twin_flood.setup_file import FloodSetup, GateSpec, PumpSpec, WeakSection

__all__ = ["Site", "SiteError", "build_site", "wall_lines"]

logger = logging.getLogger(__name__)

Point = tuple[float, float]


class SiteError(ValueError):
    """The set-up does not fit the DEM (a gate outside it, a boundary with no cell)."""


@dataclass
class Site:
    """Everything the plugin needs about the compiled set-up.

    Attributes
    ----------
    raster : Raster
        The (cropped) ground; NaN where there is no data.
    active : ndarray of bool
        Cells that take part in the run.
    outer_shown : ndarray of bool
        Left-out cells that stand in open outer water (shown at the outer level).
    boundary_masks : dict
        Held cells of each boundary, by boundary id.
    walls : list of Wall
        Walls with their crests (weak sections applied).
    gates, pumps : list
        ``(spec, feature)`` pairs.
    manning : ndarray
        Manning's n per cell.
    structure_faces : list
        ``(axis, row, col)`` arrays of every wall and gate face (for connected fills).
    full : Raster or None
        The whole DEM at the model's cell size (weak sections cut in), of which ``raster`` is
        the window ``window``; outputs cover all of it.
    full_outer_shown : ndarray of bool or None
        ``outer_shown`` on the whole DEM.
    window : tuple of slice
        Rows and columns of ``raster`` in ``full``.
    """

    raster: Raster
    active: NDArray[np.bool_]
    outer_shown: NDArray[np.bool_]
    boundary_masks: dict[str, NDArray[np.bool_]] = field(default_factory=dict)
    walls: list[Wall] = field(default_factory=list)
    gates: list[tuple[GateSpec, Gate]] = field(default_factory=list)
    pumps: list[tuple[PumpSpec, Pump]] = field(default_factory=list)
    manning: NDArray[np.float64] | float = 0.03
    structure_faces: list[tuple[NDArray[np.int64], ...]] = field(default_factory=list)
    full: Raster | None = None
    full_outer_shown: NDArray[np.bool_] | None = None
    window: tuple[slice, slice] = (slice(None), slice(None))

    @property
    def grid(self) -> RasterGrid:
        """The solver's grid of the site."""
        return RasterGrid(self.raster.shape, self.raster.dx,
                          (self.raster.x_west, self.raster.y_north))

    def cell_of(self, point: Sequence[float], radius: float = 0.0) -> int | None:
        """Return the flat index of the lowest active cell within ``radius`` of a point."""
        x, y = self.raster.centres()
        near = (np.hypot(x - point[0], y - point[1]) <= max(radius, 0.75 * self.raster.dx))
        near &= self.active
        if not near.any():
            return None
        z = np.where(near, self.raster.z, np.inf)
        return int(np.argmin(z))

    def fill(self, seeds: NDArray[np.bool_], level: float,
             taken: NDArray[np.bool_] | None = None) -> NDArray[np.bool_]:
        """Return active cells below ``level`` connected to ``seeds`` past no structure."""
        bx, by = blocked_faces(self.raster.shape, self.structure_faces)
        allowed = self.active & (self.raster.z < level)
        if taken is not None:
            allowed &= ~taken
        return connected(allowed, seeds, bx, by)


def wall_lines(setup: FloodSetup, scene: Any) -> dict[str, tuple[list[Point], float]]:
    """Return every wall line ``id -> (vertices, crest)``: the scene layers' and the file's.

    Raises
    ------
    SiteError
        If a named layer is not in the scene or has no line with ``crest_m``.
    """
    lines: dict[str, tuple[list[Point], float]] = {}
    layers = {layer.id: layer for layer in scene.spec.layers} if scene is not None else {}
    for layer_id in setup.walls.layers:
        if layer_id not in layers:
            raise SiteError(f"walls.layers names {layer_id!r}, which is not a layer of the "
                            f"scene (layers: {', '.join(layers) or 'none'})")
        path = scene.resolve(layers[layer_id].file)
        found = 0
        for number, feature in enumerate(json.loads(Path(path).read_text("utf-8"))["features"]):
            props = feature.get("properties") or {}
            geometry = feature.get("geometry") or {}
            if "crest_m" not in props or geometry.get("type") not in ("LineString",
                                                                       "MultiLineString"):
                continue
            parts = ([geometry["coordinates"]] if geometry["type"] == "LineString"
                     else geometry["coordinates"])
            for index, part in enumerate(parts):
                name = str(props.get("id", f"{layer_id}_{number}"))
                name = name if len(parts) == 1 else f"{name}_{index}"
                lines[name] = ([(float(p[0]), float(p[1])) for p in part],
                               float(props["crest_m"]))
                found += 1
        if not found:
            raise SiteError(f"layer {layer_id!r} ({path}) has no line with a crest_m property")
    for extra in setup.walls.lines:
        lines[extra.id] = (list(extra.line), extra.crest_m)
    return lines


def _weaken(line: list[Point], crest: float, sections: list[WeakSection]
            ) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Return the line with vertices added at the weak sections' ends, and a crest per vertex."""
    xy = np.asarray(line, dtype=np.float64)
    chain = np.concatenate([[0.0], np.cumsum(np.hypot(*np.diff(xy, axis=0).T))])
    cuts = [chain]
    for section in sections:
        if section.to_m > chain[-1] + 1e-6:
            raise SiteError(f"weak section {section.id!r} reaches {section.to_m:g} m along wall "
                            f"{section.wall!r}, which is {chain[-1]:.1f} m long")
        ends = [section.from_m - 0.01, section.from_m, section.to_m, section.to_m + 0.01]
        cuts.append(np.clip(ends, 0.0, chain[-1]))
    new_chain = np.unique(np.concatenate(cuts))
    points = np.column_stack([np.interp(new_chain, chain, xy[:, 0]),
                              np.interp(new_chain, chain, xy[:, 1])])
    crests = np.full(new_chain.size, crest)
    for section in sections:
        inside = (new_chain >= section.from_m - 1e-9) & (new_chain <= section.to_m + 1e-9)
        crests[inside] = np.minimum(crests[inside], section.crest_m)
    return points, crests


def _sub_line(points: NDArray[np.float64], start: float, end: float) -> NDArray[np.float64]:
    chain = np.concatenate([[0.0], np.cumsum(np.hypot(*np.diff(points, axis=0).T))])
    keep = (chain >= start - 1e-6) & (chain <= end + 1e-6)
    return points[keep]


def _inside_bounds(raster: Raster, points: Sequence[Sequence[float]], what: str) -> None:
    xmin, ymin, xmax, ymax = raster.bounds
    for x, y in points:
        if not (xmin <= x <= xmax and ymin <= y <= ymax):
            raise SiteError(f"{what} at ({x:.1f}, {y:.1f}) is outside the DEM, which covers x "
                            f"{xmin:.1f}..{xmax:.1f}, y {ymin:.1f}..{ymax:.1f}; use the scene's "
                            "DEM or one that covers the works")


def _clip(points: NDArray[np.float64], crests: NDArray[np.float64], raster: Raster
          ) -> list[tuple[NDArray[np.float64], NDArray[np.float64]]]:
    """Return the parts of a wall line on the raster, with their crests (by chainage)."""
    import shapely

    xmin, ymin, xmax, ymax = raster.bounds
    pad = 1e-3 * raster.dx
    if (points[:, 0].min() >= xmin and points[:, 0].max() <= xmax
            and points[:, 1].min() >= ymin and points[:, 1].max() <= ymax):
        return [(points, crests)]
    line = shapely.LineString(points)
    chain = np.concatenate([[0.0], np.cumsum(np.hypot(*np.diff(points, axis=0).T))])
    clipped = line.intersection(shapely.box(xmin + pad, ymin + pad, xmax - pad, ymax - pad))
    parts = [g for g in getattr(clipped, "geoms", [clipped]) if g.geom_type == "LineString"
             and not g.is_empty and g.length > raster.dx]
    result = []
    for part in parts:
        xy = np.asarray(part.coords)
        along = np.array([line.project(shapely.Point(p)) for p in xy])
        result.append((xy, np.interp(along, chain, crests)))
    return result


def _window(active: NDArray[np.bool_], raster: Raster,
            points: NDArray[np.float64]) -> tuple[slice, slice]:
    """Return the crop window: every active cell and structure point, with a cell of margin."""
    rows, cols = crop_box(active)
    if points.size:
        c = np.floor((points[:, 0] - raster.x_west) / raster.dx).astype(int)
        r = np.floor((raster.y_north - points[:, 1]) / raster.dx).astype(int)
        ny, nx = raster.shape
        r0, r1 = max(min(rows.start, r.min() - 1), 0), min(max(rows.stop, r.max() + 2), ny)
        c0, c1 = max(min(cols.start, c.min() - 1), 0), min(max(cols.stop, c.max() + 2), nx)
        rows, cols = slice(int(r0), int(r1)), slice(int(c0), int(c1))
    return rows, cols


def _rim(region: NDArray[np.bool_], left_out: NDArray[np.bool_]) -> NDArray[np.bool_]:
    """Cells of ``region`` with a 4-neighbour in ``left_out``."""
    near = np.zeros_like(left_out)
    near[1:, :] |= left_out[:-1, :]
    near[:-1, :] |= left_out[1:, :]
    near[:, 1:] |= left_out[:, :-1]
    near[:, :-1] |= left_out[:, 1:]
    return region & near


def build_site(dem_path: str, cell_size_m: float, setup: FloodSetup | None, scene: Any,
               *, outer_edge: str = "none") -> Site:
    """Compile the set-up against the DEM (see the module docstring).

    Raises
    ------
    SiteError
        If a structure, boundary or point does not fit the DEM.
    """
    raster = read_raster(dem_path, cell_size_m)
    z = raster.z
    lines = wall_lines(setup, scene) if setup is not None else {}
    weak = {} if setup is None else {s.wall: [w for w in setup.weak_sections if w.wall == s.wall]
                                     for s in setup.weak_sections}
    unknown = sorted(set(weak) - set(lines))
    if unknown:
        raise SiteError(f"weak_sections name walls {', '.join(unknown)}, which are not wall "
                        f"lines (walls: {', '.join(sorted(lines)) or 'none'})")
    x, y = raster.centres()
    compiled: dict[str, tuple[NDArray[np.float64], NDArray[np.float64]]] = {}
    for name, (line, crest) in lines.items():
        points, crests = _weaken(line, crest, weak.get(name, []))
        compiled[name] = (points, crests)
        for section in weak.get(name, []):
            notch = near_line(x, y, _sub_line(points, section.from_m, section.to_m),
                              max(section.notch_m, 0.5 * raster.dx))
            z[notch] = np.minimum(z[notch], section.crest_m)
            logger.info("weak section %s: %d cells lowered to %.2f m", section.id,
                        int(notch.sum()), section.crest_m)
    walls = [(name, part) for name, (points, crests) in compiled.items()
             for part in _clip(points, crests, raster)]
    active = np.isfinite(z)
    outer_shown = np.zeros_like(active)
    anchors: list[Sequence[float]] = [p for _, (points, _) in walls for p in points]
    if setup is not None:
        for gate in setup.gates:
            _inside_bounds(raster, [*gate.line, gate.inland_point, gate.outer_point],
                           f"gate {gate.id!r}")
            anchors += [*gate.line, gate.inland_point, gate.outer_point]
        for pump in setup.pumps:
            outlet = [pump.outlet] if pump.outlet else []
            _inside_bounds(raster, [*pump.sump, *outlet], f"pump station {pump.id!r}")
            anchors += [*pump.sump, *outlet]
        _inside_bounds(raster, setup.initial.inland_points, "initial.inland_points")
        anchors += setup.initial.inland_points
        for spec in setup.boundaries:
            if spec.kind == "outer" and spec.deeper_than_m is not None:
                outer_shown |= within(x, y, spec.polygon) & active & (z < spec.deeper_than_m)
        active &= ~outer_shown
    rows, cols = _window(active, raster, np.asarray(anchors, dtype=np.float64).reshape(-1, 2))
    full, full_outer = raster, outer_shown
    raster = raster.crop(rows, cols)
    active, outer_shown = active[rows, cols], outer_shown[rows, cols]
    site = Site(raster, active, outer_shown, full=full, full_outer_shown=full_outer,
                window=(rows, cols))
    x, y = raster.centres()
    grid = site.grid
    if setup is None:
        if outer_edge != "none":
            mask = np.zeros_like(active)
            edge = {"north": (0, slice(None)), "south": (-1, slice(None)),
                    "west": (slice(None), 0), "east": (slice(None), -1)}[outer_edge]
            mask[edge] = True
            site.boundary_masks["outer"] = mask & active
        return site
    for spec in setup.boundaries:
        region = within(x, y, spec.polygon) & active
        if spec.kind == "outer" and spec.deeper_than_m is not None:
            region = _rim(region, outer_shown)
        if not region.any():
            raise SiteError(f"boundary {spec.id!r} holds no cell of the DEM: its polygon misses "
                            "the terrain (or the rim of the left-out deep water)")
        site.boundary_masks[spec.id] = region
    for index, (name, (points, crests)) in enumerate(walls):
        label = name if sum(1 for other, _ in walls if other == name) == 1 else f"{name}~{index}"
        site.walls.append(Wall(label, line=[tuple(p) for p in points], crest=crests))
    for gate_spec in setup.gates:
        faces = grid.line_faces(gate_spec.line, f"gate {gate_spec.id!r}")
        scale = gate_spec.width_m / (len(faces) * raster.dx)
        gate = Gate(gate_spec.id, line=list(gate_spec.line), sill=gate_spec.sill_m,
                    opening=TimeSeries.constant(0.0, "m", "length", name=gate_spec.id),
                    top=gate_spec.top_m,
                    discharge_coefficient=gate_spec.discharge_coefficient * scale,
                    weir_coefficient=scale)
        site.gates.append((gate_spec, gate))
    for pump_spec in setup.pumps:
        sump = within(x, y, pump_spec.sump) & active
        if not sump.any():
            centre = np.mean(np.asarray(pump_spec.sump), axis=0)
            index = site.cell_of(centre, raster.dx)
            if index is None:
                raise SiteError(f"pump station {pump_spec.id!r}: its sump has no active cell")
            sump.reshape(-1)[index] = True
        capacity = pump_spec.units * pump_spec.unit_flow_m3s
        pump = Pump(pump_spec.id, sump=list(zip(x[sump], y[sump], strict=True)),
                    rate=TimeSeries.constant(capacity, "m3/s", "discharge", name=pump_spec.id),
                    stop_level=pump_spec.stop_level_m, start_level=pump_spec.start_level_m,
                    outlet=pump_spec.outlet)
        site.pumps.append((pump_spec, pump))
    site.structure_faces = [(f.axis, f.row, f.col) for f in (
        grid.line_faces(feature.line, feature.name)
        for feature in [*site.walls, *(gate for _, gate in site.gates)])]
    site.manning = _manning(setup, raster, x, y)
    return site


def _manning(setup: FloodSetup, raster: Raster, x: NDArray[np.float64],
             y: NDArray[np.float64]) -> NDArray[np.float64]:
    n = np.full(raster.shape, setup.roughness.default_n)
    z = np.nan_to_num(raster.z, nan=np.inf)
    for zone in setup.roughness.zones:
        mask = np.ones(raster.shape, dtype=bool)
        if zone.polygon is not None:
            mask &= within(x, y, zone.polygon)
        if zone.ground_below_m is not None:
            mask &= z < zone.ground_below_m
        if zone.ground_above_m is not None:
            mask &= z > zone.ground_above_m
        n[mask] = zone.n
    return n


def feature_list(site: Site) -> list[Feature]:
    """Return the structures of the site as solver features (boundaries are added apart)."""
    return [*site.walls, *(gate for _, gate in site.gates), *(pump for _, pump in site.pumps)]
