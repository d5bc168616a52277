"""A seepage section's results as plain arrays for the views: mesh, frames, checks, leak flags.

:class:`SectionFrames` is what the 3D layer (:mod:`twin_app.render.section_layer`) and the 2D
section view (:mod:`twin_app.qt.section_dock`) draw; it holds numpy arrays and plain records only
(no twin_seepage types), so the views know nothing of the solver.  Build one with
:func:`frames_from_transient` (a tide: one frame per kept head field) or
:func:`frames_from_steady` (one frame).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray
from twin_seepage import CheckResult, LeakFlag, SeepageResult, TransientResult
from twin_seepage.raster import RasterSampler
from twin_seepage.results import phreatic_segments
from twin_seepage.solver import SteadySolver

from twin_app.io.sections import PlacedSection

GAMMA_W = 9.81


@dataclass(frozen=True)
class CheckRow:
    """One check for a table: name, value, limit, safety factor, required factor, verdict."""

    name: str
    value: float
    limit: float
    safety_factor: float
    required: float
    passed: bool
    text: str


@dataclass(frozen=True)
class LeakRow:
    """One leak flag and its evidence (measured and predicted heads over the episode)."""

    piezometer: str
    start: np.datetime64
    end: np.datetime64
    max_excess: float
    text: str
    times: NDArray[np.datetime64]
    measured: NDArray[np.float64]
    predicted: NDArray[np.float64]


@dataclass
class SectionFrames:
    """A section's mesh and fields over time (see the module docstring).

    Attributes
    ----------
    id, name : str
        The section.
    line : tuple of float or None
        ``(x0, y0, x1, y1)``: map points of ``x = 0`` (river end) and of the land end.
    nodes : ndarray (n, 2)
        Mesh nodes ``(x, z)``; ``x`` from the river end.
    triangles : ndarray (m, 3)
        Elements.
    walls, piles : list of ndarray
        Wall outlines (k, 2) and sheet-pile polylines.
    layers : list of (str, ndarray)
        Soil layer names and outlines.
    times : ndarray (t,)
        Seconds since the first frame; ``clock`` the same as datetime64 when known.
    stage : ndarray (t,)
        River stage of each frame.
    head : ndarray (t, n)
        Total head at the nodes.
    velocity : ndarray (t, m, 2)
        Darcy velocity per element.
    phreatic : list of ndarray
        The phreatic line of each frame as segments (k, 2, 2).
    discharge : ndarray (t,)
        Land-side discharge, m3/s per metre.
    piezometers : list of (str, float, float)
        Id, x, z of each piezometer.
    predicted : ndarray (t, p)
        Predicted head at each piezometer in each frame.
    measured : dict
        Piezometer id -> (datetime64 times, heads) measured, when compared.
    predicted_series : dict
        Piezometer id -> (datetime64 times, heads) predicted at every model step.
    checks : list of CheckRow
        The checks and the stage they were made for (``check_stage``).
    leaks : list of LeakRow
        Leak flags with their evidence.
    """

    id: str
    name: str
    line: tuple[float, float, float, float] | None
    crs: str
    nodes: NDArray[np.float64]
    triangles: NDArray[np.int64]
    walls: list[NDArray[np.float64]]
    piles: list[NDArray[np.float64]]
    layers: list[tuple[str, NDArray[np.float64]]]
    times: NDArray[np.float64]
    stage: NDArray[np.float64]
    head: NDArray[np.float64]
    velocity: NDArray[np.float64]
    phreatic: list[NDArray[np.float64]]
    discharge: NDArray[np.float64]
    piezometers: list[tuple[str, float, float]]
    predicted: NDArray[np.float64]
    clock: NDArray[np.datetime64] | None = None
    measured: dict[str, tuple[NDArray[np.datetime64], NDArray[np.float64]]] = field(
        default_factory=dict)
    predicted_series: dict[str, tuple[NDArray[np.datetime64], NDArray[np.float64]]] = field(
        default_factory=dict)
    checks: list[CheckRow] = field(default_factory=list)
    check_stage: float | None = None
    leaks: list[LeakRow] = field(default_factory=list)

    @property
    def count(self) -> int:
        """Return the number of frames."""
        return int(self.times.size)

    def pressure(self, frame: int) -> NDArray[np.float64]:
        """Return the pore pressure (kPa) at the nodes in a frame."""
        return GAMMA_W * (self.head[frame] - self.nodes[:, 1])

    def head_range(self) -> tuple[float, float]:
        """Return the smallest and largest head over all frames."""
        return float(np.nanmin(self.head)), float(np.nanmax(self.head))

    def measured_at(self, frame: int) -> dict[str, float]:
        """Return each measured piezometer's head at a frame's clock time (nearest reading)."""
        if self.clock is None:
            return {}
        moment = self.clock[frame].astype("datetime64[s]").astype(np.int64)
        found = {}
        for pid, (times, values) in self.measured.items():
            seconds = times.astype("datetime64[s]").astype(np.int64)
            if len(seconds) and seconds[0] <= moment <= seconds[-1]:
                found[pid] = float(np.interp(moment, seconds, values))
        return found


def field_raster(frames: SectionFrames, spacing: float = 0.25) -> RasterSampler:
    """Return a sampler of the frames' nodal fields on a regular raster of the section.

    ``sampler.nodal(frames.head[i])`` is then a ``(len(z), len(x))`` image with NaN outside the
    soil (walls, air, river); ``sampler.x`` and ``sampler.z`` are its pixel centres.
    """
    return RasterSampler.build(_Mesh(frames.nodes, frames.triangles), spacing)  # type: ignore[arg-type]


def contour_segments(nodes: NDArray[np.float64], triangles: NDArray[np.int64],
                     values: NDArray[np.float64], level: float) -> NDArray[np.float64]:
    """Return the ``level`` contour of a nodal field on triangles, as segments (k, 2, 2)."""
    return phreatic_segments(_Mesh(nodes, triangles), np.asarray(values) - level)  # type: ignore[arg-type]


@dataclass(frozen=True)
class _Mesh:
    nodes: NDArray[np.float64]
    triangles: NDArray[np.int64]


def _geometry(placed: PlacedSection) -> dict[str, object]:
    section = placed.section
    return {"walls": [np.asarray(w.polygon) for w in section.walls],
            "piles": [np.asarray(p.points) for p in section.sheet_piles],
            "layers": [(layer.name, np.asarray(layer.polygon)) for layer in section.layers],
            "piezometers": [(p.id, p.x, p.z) for p in section.piezometers]}


def _velocity(solver: SteadySolver, head: NDArray[np.float64]) -> NDArray[np.float64]:
    assembler = solver.assembler
    kr = solver.element_kr(head, solver.hk)
    return (-np.stack([assembler.kx, assembler.kz], axis=1) * kr[:, None]
            * assembler.gradients(head))


def check_rows(checks: list[CheckResult]) -> list[CheckRow]:
    """Return the checks as plain rows."""
    return [CheckRow(c.name, c.value, c.limit, c.safety_factor, c.required, c.passed, c.text)
            for c in checks]


def leak_rows(leaks: list[LeakFlag]) -> list[LeakRow]:
    """Return leak flags as plain rows (times as datetime64)."""
    return [LeakRow(f.piezometer, np.datetime64(f.start), np.datetime64(f.end), f.max_excess,
                    f.text, np.asarray(f.times, dtype="datetime64[ms]"), np.asarray(f.measured),
                    np.asarray(f.predicted)) for f in leaks]


def frames_from_transient(placed: PlacedSection, solver: SteadySolver, run: TransientResult,
                          start: np.datetime64 | None = None) -> SectionFrames:
    """Return the frames of a transient run: one per kept head field (``run.output_times``)."""
    mesh = solver.mesh
    times = np.asarray(run.output_times, dtype=np.float64)
    heads = np.asarray(run.heads, dtype=np.float64)
    z = mesh.nodes[:, 1]
    predicted = (np.column_stack([np.interp(times, run.times, run.piezometer_heads[:, k])
                                  for k in range(run.piezometer_heads.shape[1])])
                 if run.piezometer_heads.size else np.zeros((times.size, 0)))
    clock = None
    series = {}
    if start is not None:
        origin = np.datetime64(start, "ms")
        clock = origin + np.rint(times * 1000).astype("timedelta64[ms]")
        steps = origin + np.rint(np.asarray(run.times) * 1000).astype("timedelta64[ms]")
        series = {pid: (steps, run.piezometer_heads[:, k])
                  for k, pid in enumerate(run.piezometer_ids)}
    return SectionFrames(
        id=placed.id, name=placed.section.name, line=placed.line, crs=placed.crs,
        nodes=mesh.nodes, triangles=mesh.triangles,
        times=times - times[0], stage=np.interp(times, run.times, run.stage), head=heads,
        velocity=np.stack([_velocity(solver, h) for h in heads]),
        phreatic=[phreatic_segments(mesh, h - z) for h in heads],
        discharge=np.interp(times, run.times, run.discharge), predicted=predicted,
        clock=clock, predicted_series=series, **_geometry(placed))  # type: ignore[arg-type]


def frames_from_steady(placed: PlacedSection, solver: SteadySolver, result: SeepageResult,
                       stage: float) -> SectionFrames:
    """Return one frame of a steady solution at river ``stage``."""
    mesh = solver.mesh
    heads = {p.id: h for p, h in zip(placed.section.piezometers,
                                     result.head_at([[p.x, p.z] for p in
                                                     placed.section.piezometers]), strict=True)
             } if placed.section.piezometers else {}
    return SectionFrames(
        id=placed.id, name=placed.section.name, line=placed.line, crs=placed.crs,
        nodes=mesh.nodes, triangles=mesh.triangles, times=np.zeros(1),
        stage=np.array([stage]), head=result.head[None, :], velocity=result.velocity[None],
        phreatic=[result.phreatic_segments()], discharge=np.array([result.discharge]),
        predicted=np.array([[heads[p.id] for p in placed.section.piezometers]]),
        **_geometry(placed))  # type: ignore[arg-type]


@dataclass(frozen=True)
class SectionOutline:
    """A section's geometry without results, for the 2D view of a section not yet checked.

    Attributes
    ----------
    id : str
        The section.
    layers : list of (str, str, ndarray)
        Layer name, soil name and outline (k, 2).
    walls, piles : list of ndarray
        Wall outlines and sheet-pile polylines.
    piezometers : list of (str, float, float)
        Id, x, z of each piezometer.
    river_level, land_level : float or None
        Water levels of the river and land boundaries.
    river_x, land_x : tuple of float
        The x range of the river and of the land boundary (where their levels are drawn).
    """

    id: str
    layers: list[tuple[str, str, NDArray[np.float64]]]
    walls: list[NDArray[np.float64]]
    piles: list[NDArray[np.float64]]
    piezometers: list[tuple[str, float, float]]
    river_level: float | None
    land_level: float | None
    river_x: tuple[float, float]
    land_x: tuple[float, float]


def outline_of(placed: PlacedSection) -> SectionOutline:
    """Return the geometry of a section (valid or not) as plain arrays."""
    section = placed.section
    geometry = _geometry(placed)
    river = [x for x, _ in section.river.points] or [0.0]
    land = [x for x, _ in section.land.points] or [0.0]
    return SectionOutline(
        id=placed.id,
        layers=[(layer.name, layer.soil.name, np.asarray(layer.polygon, dtype=np.float64))
                for layer in section.layers],
        walls=geometry["walls"], piles=geometry["piles"],  # type: ignore[arg-type]
        piezometers=geometry["piezometers"],  # type: ignore[arg-type]
        river_level=section.river.level, land_level=section.land.level,
        river_x=(min(river), max(river)), land_x=(min(land), max(land)))
