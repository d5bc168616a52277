"""Compile features into index arrays and apply them each step (the sparse part of a step)."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import Any

import numpy as np

from twin_flood.errors import FloodInputError
from twin_flood.features import (
    EDGES,
    Feature,
    Gate,
    Inflow,
    Pump,
    Rainfall,
    Wall,
    WaterLevelBoundary,
)
from twin_flood.grid import RasterGrid
from twin_flood.massbalance import VolumeAccount

__all__ = ["Forcing"]

log = logging.getLogger(__name__)


class Forcing:
    """All features of a model, compiled against its grid.

    Parameters
    ----------
    grid : RasterGrid
        The model's grid.
    active : numpy.ndarray
        Boolean mask of the cells that take part in the run.
    g : float
        Gravity [m/s2], for the weir coefficient.
    """

    def __init__(self, grid: RasterGrid, active: np.ndarray, g: float) -> None:
        self.grid = grid
        self.active = active.ravel()
        self.g = g
        self.features: dict[str, Feature] = {}
        self.overrides: dict[str, float] = {}
        self.rain: Rainfall | None = None
        self.boundaries: list[tuple[WaterLevelBoundary, np.ndarray]] = []
        self.inflows: list[tuple[Inflow, np.ndarray]] = []
        self.pumps: list[tuple[Pump, np.ndarray, int]] = []
        self.pump_running: dict[str, bool] = {}
        #: net volume [m3] each water-level boundary has put into the domain (negative: taken)
        self.boundary_net: dict[str, float] = {}
        self.gates: list[tuple[Gate, slice]] = []
        self.face_cells = np.zeros(0, dtype=np.int64)
        empty_i = np.zeros(0, dtype=np.int64)
        empty_f = np.zeros(0, dtype=np.float64)
        self.faces: dict[str, np.ndarray] = {
            "axis": empty_i, "row": empty_i, "col": empty_i, "kind": empty_i, "level": empty_f,
            "opening": empty_f, "top": empty_f, "cw": empty_f, "cd": empty_f}

    # -- building ------------------------------------------------------------------------------
    def add(self, feature: Feature) -> None:
        """Validate ``feature`` against the grid and add it.

        Raises
        ------
        FloodInputError
            On a duplicate name, a second rainfall, or points and lines outside the domain.
        """
        if not isinstance(feature, Feature):
            raise FloodInputError(f"not a feature: {feature!r}")
        if feature.name in self.features:
            raise FloodInputError(f"two features are named {feature.name!r}; names must be unique")
        what = f"{type(feature).__name__.lower()} {feature.name!r}"
        if isinstance(feature, Rainfall):
            if self.rain is not None:
                raise FloodInputError(f"{what}: the model already has rainfall "
                                      f"{self.rain.name!r}; combine them into one")
            if feature.pattern is not None and feature.pattern.shape != self.grid.shape:
                raise FloodInputError(f"{what}: pattern shape {feature.pattern.shape} is not the "
                                      f"DEM's {self.grid.shape}")
            self.rain = feature
        elif isinstance(feature, WaterLevelBoundary):
            self.boundaries.append((feature, self._boundary_cells(feature, what)))
        elif isinstance(feature, Inflow):
            self.inflows.append((feature, self._cells(feature.points, what)))
        elif isinstance(feature, Pump):
            sump = self._cells(feature.sump, f"{what} sump")
            outlet = -1
            if feature.outlet is not None:
                outlet = int(self._cells([feature.outlet], f"{what} outlet")[0])
                if outlet in sump:
                    raise FloodInputError(f"{what}: the outlet is inside the sump")
            self.pumps.append((feature, sump, outlet))
            self.pump_running[feature.name] = True
        elif isinstance(feature, Wall | Gate):
            self._add_faces(feature, what)
        else:
            raise FloodInputError(f"{what}: unsupported feature type")
        self.features[feature.name] = feature

    def _cells(self, points: Iterable[Any], what: str) -> np.ndarray:
        cells = self.grid.cells_of(list(points), what)
        if not np.all(self.active[cells]):
            raise FloodInputError(f"{what}: a point falls on a DEM no-data cell (outside the "
                                  "model domain); move it onto the terrain")
        return cells

    def _boundary_cells(self, b: WaterLevelBoundary, what: str) -> np.ndarray:
        ny, nx = self.grid.shape
        if b.edge is not None:
            index = np.arange(ny * nx).reshape(ny, nx)
            rows = {"north": index[0], "south": index[-1], "west": index[:, 0],
                    "east": index[:, -1]}
            cells = rows[b.edge]
            assert b.edge in EDGES
        elif b.points is not None:
            cells = self.grid.cells_of(list(b.points), what)
        else:
            mask = np.asarray(b.mask, dtype=bool)
            if mask.shape != self.grid.shape:
                raise FloodInputError(f"{what}: mask shape {mask.shape} is not the DEM's "
                                      f"{self.grid.shape}")
            cells = np.flatnonzero(mask)
        cells = cells[self.active[cells]]
        if cells.size == 0:
            raise FloodInputError(f"{what}: no active cell; place it on the terrain")
        return cells

    def _add_faces(self, feature: Wall | Gate, what: str) -> None:
        fs = self.grid.line_faces(feature.line, what)
        ny, nx = self.grid.shape
        inner = np.where(fs.axis == 0, (fs.col > 0) & (fs.col < nx), (fs.row > 0) & (fs.row < ny))
        n = int(inner.sum())
        line = np.asarray(feature.line, dtype=np.float64)
        vertex_chain = np.concatenate([[0.0], np.cumsum(np.hypot(*np.diff(line, axis=0).T))])
        cw0 = (2.0 / 3.0) ** 1.5 * np.sqrt(self.g)
        if isinstance(feature, Wall):
            crest = np.atleast_1d(np.asarray(feature.crest, dtype=np.float64))
            level = (np.full(n, crest[0]) if crest.size == 1
                     else np.interp(fs.chainage[inner], vertex_chain, crest))
            kind, top, cw, cd = 0, np.inf, feature.coefficient * cw0, 0.0
        else:
            level = np.full(n, feature.sill)
            kind, top, cw, cd = 1, feature.top, feature.weir_coefficient * cw0, \
                feature.discharge_coefficient
        start = self.faces["axis"].size
        new = {"axis": fs.axis[inner], "row": fs.row[inner], "col": fs.col[inner],
               "kind": np.full(n, kind, dtype=np.int64), "level": level,
               "opening": np.zeros(n), "top": np.full(n, top), "cw": np.full(n, cw),
               "cd": np.full(n, cd)}
        for key, values in new.items():
            self.faces[key] = np.concatenate([self.faces[key], values])
        if isinstance(feature, Gate):
            self.gates.append((feature, slice(start, start + n)))
        f = self.faces
        west_or_north = np.where(f["axis"] == 0, f["row"] * nx + f["col"] - 1,
                                 (f["row"] - 1) * nx + f["col"])
        #: flat indices of the cells on either side of any structure face
        self.face_cells = np.unique(np.concatenate([west_or_north, f["row"] * nx + f["col"]]))
        log.debug("%s: %d faces", what, n)

    # -- values --------------------------------------------------------------------------------
    def value(self, feature: Feature, t: float) -> float:
        """Return the feature's value at ``t`` seconds: its override if set, else its series."""
        if feature.name in self.overrides:
            return self.overrides[feature.name]
        return self.series_of(feature)(t)

    def series_of(self, feature: Feature) -> Any:
        """Return the time series driving ``feature`` (None for walls)."""
        for attr in ("series", "opening", "rate"):
            if getattr(feature, attr, None) is not None:
                return getattr(feature, attr)
        return None

    def check_covers(self, start: float, end: float) -> None:
        """Raise :class:`FloodSeriesError` if a series that is not overridden ends too soon."""
        for feature in self.features.values():
            series = self.series_of(feature)
            if series is not None and feature.name not in self.overrides:
                series.check_covers(start, end)

    # -- per step ------------------------------------------------------------------------------
    def apply_boundaries(self, h: np.ndarray, z: np.ndarray, t: float, area: float,
                         account: VolumeAccount) -> float:
        """Set water-level boundary cells to their level at ``t``; return their max depth."""
        hmax = 0.0
        for b, cells in self.boundaries:
            level = self.value(b, t)
            new = np.maximum(level - z[cells], 0.0).astype(h.dtype)
            diff = new.astype(np.float64) - h[cells]
            account.boundary_in += float(diff[diff > 0].sum()) * area
            account.boundary_out -= float(diff[diff < 0].sum()) * area
            self.boundary_net[b.name] = self.boundary_net.get(b.name, 0.0) + float(
                diff.sum()) * area
            h[cells] = new
            hmax = max(hmax, float(new.max()))
        return hmax

    def update_gates(self, t: float) -> None:
        """Set each gate face's opening to the gate's value at ``t``."""
        for gate, sl in self.gates:
            self.faces["opening"][sl] = self.value(gate, t)

    def apply_sources(self, h: np.ndarray, z: np.ndarray, t: float, dt: float, area: float,
                      account: VolumeAccount) -> list[np.ndarray]:
        """Add inflows and run pumps over a step of ``dt`` s at mid-time ``t``.

        Returns
        -------
        list of numpy.ndarray
            Flat indices of the cells whose depth changed.
        """
        touched = []
        for inflow, cells in self.inflows:
            volume = self.value(inflow, t) * dt
            if volume > 0.0:
                h[cells] += h.dtype.type(volume / area / cells.size)
                account.inflow += volume
                touched.append(cells)
        for pump, sump, outlet in self.pumps:
            moved = self._run_pump(pump, sump, outlet, h, z, t, dt, area)
            if moved > 0.0:
                account.pumped[pump.name] = account.pumped.get(pump.name, 0.0) + moved
                if outlet < 0:
                    account.pumped_out += moved
                touched.append(sump if outlet < 0 else np.append(sump, outlet))
        return touched

    def _run_pump(self, pump: Pump, sump: np.ndarray, outlet: int, h: np.ndarray,
                  z: np.ndarray, t: float, dt: float, area: float) -> float:
        depth = h[sump].astype(np.float64)
        level = float(np.mean(z[sump] + depth))
        running = self.pump_running[pump.name]
        if running and level <= pump.stop_level:
            running = False
            log.info("pump %s stops at t = %.0f s (sump level %.3f m)", pump.name, t, level)
        elif not running and level >= pump.start_level:
            running = True
            log.info("pump %s restarts at t = %.0f s", pump.name, t)
        self.pump_running[pump.name] = running
        if not running:
            return 0.0
        avail = np.maximum(depth - np.maximum(pump.stop_level - z[sump], 0.0), 0.0)
        total = float(avail.sum()) * area
        moved = min(self.value(pump, t) * dt, total)
        if moved <= 0.0:
            return 0.0
        take = avail * (moved / total)
        h[sump] = np.maximum(depth - take, 0.0).astype(h.dtype)
        if outlet >= 0:
            h[outlet] += h.dtype.type(moved / area)
        return moved
