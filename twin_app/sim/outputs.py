"""Output frames of a run, and the result files made from them at the end.

While a run goes, the worker writes every output frame as ``frames/frame_NNNNN.npz`` (the ``out``
and ``inout`` variables at one time) in the run folder; the host can read a frame as soon as it is
announced, so playback starts before the end.  An array equal to the one of the frame before (the
ground, a field that has stopped changing) is not written again: the frame names the earlier frame
that holds it, and :func:`read_frame` fetches it from there (frames of runs written before this
have every array in every file, and read the same).  At the end :func:`write_results` turns the
frames into ``results.nc`` (CF-NetCDF), GeoTIFF maps, a GeoJSON flood extent and CSV series at
points.  A model on a vertical section (``GridInfo.plane == "section"``) gets ``results.nc`` on
``(time, z, x)`` and ``series.csv`` (its ``point`` and ``scalar`` variables), no maps.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

import numpy as np
from numpy.typing import NDArray

from twin_app.core.errors import InputError
from twin_app.sim.config import RunConfig
from twin_app.sim.manifest import OutputsSpec
from twin_app.sim.sdk import GridInfo, Simulation

logger = logging.getLogger(__name__)

FRAMES_FOLDER = "frames"
HELD_NAMES = "__held_elsewhere__"
"""Frame array: names of the arrays the frame does not hold itself."""
HELD_IN = "__held_in_frame__"
"""Frame array: for each of those, the index of the frame that holds it."""
MIN_SHARED_SIZE = 64
"""Arrays smaller than this (scalars, probe points) are always written (a reference costs more)."""


class FrameFileError(InputError):
    """A frame refers to an earlier frame for an array, and that frame cannot be read."""


@dataclass(frozen=True)
class FrameInfo:
    """An output frame on disk: its index, model time in seconds and file."""

    index: int
    time_s: float
    path: str


def frame_path(run_dir: Path, index: int) -> Path:
    """Return the file of frame ``index``."""
    return Path(run_dir) / FRAMES_FOLDER / f"frame_{index:05d}.npz"


def _outputs_now(model: Simulation) -> dict[str, NDArray[Any]]:
    """Return the model's output variables now (copies), with ``time_s``."""
    arrays: dict[str, NDArray[Any]] = {"time_s": np.array(model.time)}
    for info in model.tables.variables:
        if info.intent in ("out", "inout") and info.name in model.fields:
            arrays[info.name] = np.array(model.get_value(info.name), copy=True)
    return arrays


def _same(a: NDArray[Any], b: NDArray[Any]) -> bool:
    if a.shape != b.shape or a.dtype != b.dtype:
        return False
    return bool(np.array_equal(a, b, equal_nan=a.dtype.kind in "fc"))


class FrameWriter:
    """Writes the frames of one run, each array only when it differs from the frame before.

    Parameters
    ----------
    run_dir : Path
        The run folder (frames go to its ``frames`` folder).
    always : iterable of str
        Variables written in every frame even when unchanged (the depth, which readers of the
        frame files look up directly).
    """

    def __init__(self, run_dir: Path, always: Iterable[str] = ()) -> None:
        self.run_dir = Path(run_dir)
        self.always = frozenset(always)
        self._written: dict[str, tuple[NDArray[Any], int]] = {}
        """Each array's last value, and the frame that holds it."""

    def write(self, model: Simulation, index: int) -> FrameInfo:
        """Save the model's outputs now as frame ``index`` (written whole, then renamed)."""
        stored: dict[str, NDArray[Any]] = {}
        held_names: list[str] = []
        held_in: list[int] = []
        for name, array in _outputs_now(model).items():
            written = self._written.get(name)
            if (written is not None and name not in self.always
                    and array.size >= MIN_SHARED_SIZE and _same(written[0], array)):
                held_names.append(name)
                held_in.append(written[1])
            else:
                stored[name] = array
                self._written[name] = (array, index)
        if held_names:
            stored[HELD_NAMES] = np.array(held_names)
            stored[HELD_IN] = np.array(held_in, dtype=np.int64)
        path = frame_path(self.run_dir, index)
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_suffix(".part.npz")
        np.savez(partial, **stored)
        partial.replace(path)
        return FrameInfo(index=index, time_s=float(model.time), path=str(path))


def write_frame(model: Simulation, run_dir: Path, index: int) -> FrameInfo:
    """Save the model's output variables now as frame ``index``, every array in the file.

    A run writes its frames through one :class:`FrameWriter` instead, which writes an unchanged
    array only once.
    """
    return FrameWriter(run_dir).write(model, index)


def read_frame(path: str | Path) -> dict[str, NDArray[Any]]:
    """Return the arrays of a frame file by variable name (plus ``time_s``).

    Arrays the frame left to an earlier frame (unchanged since) are read from that frame.

    Raises
    ------
    FrameFileError
        If an earlier frame the file refers to is missing or does not hold the array.
    """
    path = Path(path)
    with np.load(path) as data:
        arrays = {name: data[name] for name in data.files if name not in (HELD_NAMES, HELD_IN)}
        held = (list(zip(data[HELD_NAMES].tolist(), data[HELD_IN].tolist(), strict=True))
                if HELD_NAMES in data.files else [])
    for source in sorted({index for _, index in held}):
        source_path = path.with_name(f"frame_{source:05d}.npz")
        names = [name for name, index in held if index == source]
        try:
            with np.load(source_path) as data:
                arrays.update({name: data[name] for name in names})
        except (OSError, KeyError) as error:
            raise FrameFileError(
                f"{path.name} keeps {', '.join(names)} in {source_path.name}, which cannot be "
                f"read ({error})", hint="the run folder is incomplete: run the rehearsal again"
            ) from error
    return arrays


def write_results(model: Simulation, config: RunConfig, frames: list[FrameInfo],
                  outputs: OutputsSpec, run_dir: Path) -> list[str]:
    """Write the result files of a finished run; return their paths."""
    from twin_app.io import results  # xarray and netCDF4 load only when results are written

    run_dir = Path(run_dir)
    grid = model.grid
    data = [read_frame(frame.path) for frame in frames]
    times = [frame.time_s for frame in frames]
    tables = model.tables
    node_fields: dict[str, NDArray[Any]] = {}
    static: dict[str, NDArray[Any]] = {}
    scalars: dict[str, NDArray[Any]] = {}
    at_points: dict[str, NDArray[Any]] = {}
    for info in tables.variables:
        if info.intent == "in" or any(info.name not in frame for frame in data):
            continue
        stack = np.stack([frame[info.name] for frame in data])
        if info.location == "node" and grid is not None and stack.shape[1:] == grid.shape:
            if len(stack) > 1 and info.name != outputs.depth_variable and all(
                    np.array_equal(stack[0], layer, equal_nan=True) for layer in stack[1:]):
                static[info.name] = stack[0]
            else:
                node_fields[info.name] = stack
        elif info.location == "scalar":
            scalars[info.name] = stack.reshape(len(data), -1)[:, 0]
        elif info.location == "point" and stack.shape[1:] == (len(model.points),):
            # the run's probe points, or the model's own (a section's piezometers)
            for column, (point_id, _, _) in enumerate(model.points):
                at_points[f"{point_id}:{info.name}"] = stack[:, column]
        else:
            logger.info("%s (%s) is kept in the frames only", info.name, info.location)
    units = {info.name: info.units for info in tables.variables}
    docs = {info.name: info.doc for info in tables.variables}
    written: list[str] = []
    if grid is None:
        logger.warning("the model has no grid: no NetCDF or maps written")
        return written
    if grid.plane == "section":
        return _section_results(results, model, config, times, node_fields, scalars, at_points,
                                run_dir)
    x, y = grid.x(), grid.y()
    dataset = results.build_dataset(x, y, times, node_fields, crs=grid.crs, units=units,
                                    docs=docs, scalar_series=scalars, static_fields=static,
                                    start_time=config.start_time, title=f"{config.plugin} run")
    written.append(str(results.write_netcdf(dataset, run_dir / "results.nc")))
    written += _maps(results, node_fields, times, x, y, grid, outputs, run_dir)
    written += _series(results, node_fields, times, grid, config, outputs, run_dir, at_points)
    return written


def _maps(results: ModuleType, node_fields: dict[str, NDArray[Any]], times: list[float],
          x: NDArray[np.float64], y: NDArray[np.float64], grid: GridInfo, outputs: OutputsSpec,
          run_dir: Path) -> list[str]:
    depth = node_fields.get(outputs.depth_variable or "")
    if depth is None:
        return []
    threshold = outputs.wet_threshold_m
    maps = {
        "max_depth.tif": (results.max_map(depth), "maximum depth (m)"),
        "arrival_time.tif": (results.arrival_time_map(depth, times, threshold),
                             f"first time depth > {threshold} m (s)"),
        "duration_wet.tif": (results.duration_above_map(depth, times, threshold),
                             f"time with depth > {threshold} m (s)"),
    }
    written = [str(results.write_geotiff(run_dir / name, values, x, y, crs=grid.crs,
                                         description=text))
               for name, (values, text) in maps.items()]
    extent = results.max_map(depth) > threshold
    written.append(str(results.write_extent_geojson(
        run_dir / "max_extent.geojson", extent, x, y, crs=grid.crs,
        properties={"threshold_m": threshold})))
    return written


def _series(results: ModuleType, node_fields: dict[str, NDArray[Any]], times: list[float],
            grid: GridInfo, config: RunConfig, outputs: OutputsSpec, run_dir: Path,
            at_points: dict[str, NDArray[Any]]) -> list[str]:
    names = outputs.series_variables or ([outputs.depth_variable] if outputs.depth_variable
                                         else list(node_fields))
    columns: dict[str, NDArray[Any]] = dict(at_points)
    for point in config.points:
        node = grid.node_of(point.x, point.y)
        if node is None:
            logger.warning("probe point %s (%.1f, %.1f) is outside the grid", point.id,
                           point.x, point.y)
            continue
        for name in names:
            if name in node_fields:
                columns[f"{point.id}:{name}"] = node_fields[name][:, node[0], node[1]]
    if not columns:
        return []
    path = results.write_point_series_csv(run_dir / "series.csv", times, columns,
                                          start_time=config.start_time)
    return [str(path)]


def _section_results(results: ModuleType, model: Simulation, config: RunConfig,
                     times: list[float], node_fields: dict[str, NDArray[Any]],
                     scalars: dict[str, NDArray[Any]], at_points: dict[str, NDArray[Any]],
                     run_dir: Path) -> list[str]:
    """Write a section run's fields (no maps: the grid is a vertical plane) and its series."""
    grid = model.grid
    assert grid is not None
    units = {info.name: info.units for info in model.tables.variables}
    docs = {info.name: info.doc for info in model.tables.variables}
    dataset = results.build_section_dataset(
        grid.x(), grid.y(), times, node_fields, units=units, docs=docs, scalar_series=scalars,
        start_time=config.start_time, title=f"{config.plugin} run", line=grid.line,
        crs=grid.crs)
    written = [str(results.write_netcdf(dataset, run_dir / "results.nc"))]
    columns = {**at_points, **scalars}
    if columns:
        written.append(str(results.write_point_series_csv(
            run_dir / "series.csv", times, columns, start_time=config.start_time)))
    return written
