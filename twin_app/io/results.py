"""Write rehearsal results: CF-NetCDF that QGIS opens, GeoTIFF maps, GeoJSON extents, CSV series.

The grid is a uniform rectilinear grid of nodes in the scene CRS with rows running south to north
(as :class:`twin_app.sim.sdk.GridInfo` describes it; passed here as plain ``x``/``y`` arrays so this
module does not depend on the simulation layer).  GeoTIFFs are written north-up with the nodes as
pixel centres.  xarray's default NetCDF engine here is ``netCDF4``.
"""

from __future__ import annotations

import csv
import json
import logging
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np
import rasterio
import xarray as xr
from affine import Affine
from numpy.typing import NDArray
from pyproj import CRS
from rasterio.features import shapes
from shapely.geometry import mapping, shape
from shapely.ops import unary_union

from twin_app.core.errors import TwinAppError

logger = logging.getLogger(__name__)

GRID_MAPPING = "crs"


class ResultWriteError(TwinAppError):
    """A result file cannot be written (folder missing, disk full, bad data)."""


def build_dataset(x: NDArray[np.float64], y: NDArray[np.float64], times_s: Sequence[float],
                  node_fields: dict[str, NDArray[np.floating]], *, crs: str,
                  units: dict[str, str] | None = None, docs: dict[str, str] | None = None,
                  scalar_series: dict[str, NDArray[np.floating]] | None = None,
                  static_fields: dict[str, NDArray[np.floating]] | None = None,
                  start_time: datetime | None = None, title: str = "rehearsal") -> xr.Dataset:
    """Return a CF-1.8 dataset of node fields ``(time, y, x)`` and scalar series ``(time,)``.

    Parameters
    ----------
    x, y : ndarray
        Eastings of the columns and northings of the rows (ascending), in the scene CRS.
    times_s : sequence of float
        Output times in seconds since the run start.
    node_fields : dict
        Arrays of shape ``(time, y, x)`` by variable name.
    crs : str
        The scene CRS (``"EPSG:4549"``); written as a ``crs`` grid-mapping variable with WKT.
    units, docs : dict, optional
        UDUNITS units and long names by variable.
    scalar_series : dict, optional
        Arrays of shape ``(time,)`` by variable name.
    static_fields : dict, optional
        Arrays of shape ``(y, x)`` that do not change over time (the ground height).
    start_time : datetime, optional
        The real start time; the time axis is "seconds since" it (else since the run start).
    title : str
        The dataset title.
    """
    units, docs = units or {}, docs or {}
    crs_obj = CRS.from_user_input(crs)
    cf = crs_obj.to_cf()
    cf["crs_wkt"] = crs_obj.to_wkt()
    cf["spatial_ref"] = cf["crs_wkt"]
    data_vars: dict[str, xr.Variable] = {GRID_MAPPING: xr.Variable((), np.int32(0), cf)}
    for name, values in node_fields.items():
        data_vars[name] = xr.Variable(("time", "y", "x"), np.asarray(values), {
            "units": units.get(name, "1"), "long_name": docs.get(name, name),
            "grid_mapping": GRID_MAPPING, "coordinates": "time y x"})
    for name, values in (static_fields or {}).items():
        data_vars[name] = xr.Variable(("y", "x"), np.asarray(values), {
            "units": units.get(name, "1"), "long_name": docs.get(name, name),
            "grid_mapping": GRID_MAPPING, "coordinates": "y x"})
    for name, values in (scalar_series or {}).items():
        data_vars[name] = xr.Variable(("time",), np.asarray(values), {
            "units": units.get(name, "1"), "long_name": docs.get(name, name)})
    if start_time is not None and start_time.tzinfo is not None:
        start_time = start_time.astimezone(UTC).replace(tzinfo=None)  # CF's default zone is UTC
    since = start_time.isoformat(sep=" ") if start_time else "1970-01-01 00:00:00"
    coords = {
        "x": ("x", np.asarray(x, dtype=np.float64), {
            "standard_name": "projection_x_coordinate", "long_name": "easting",
            "units": "m", "axis": "X"}),
        "y": ("y", np.asarray(y, dtype=np.float64), {
            "standard_name": "projection_y_coordinate", "long_name": "northing",
            "units": "m", "axis": "Y"}),
        "time": ("time", np.asarray(times_s, dtype=np.float64), {
            "standard_name": "time", "long_name": "time since the run start" if not start_time
            else "time", "units": f"seconds since {since}", "calendar": "standard",
            "axis": "T"}),
    }
    return xr.Dataset(data_vars, coords=coords, attrs={
        "Conventions": "CF-1.8", "title": title, "source": "twin_app rehearsal",
        "history": f"{datetime.now().astimezone().isoformat(timespec='seconds')} written by "
        "twin_app"})


def build_section_dataset(distance: NDArray[np.float64], elevation: NDArray[np.float64],
                          times_s: Sequence[float], node_fields: dict[str, NDArray[np.floating]],
                          *, units: dict[str, str] | None = None,
                          docs: dict[str, str] | None = None,
                          scalar_series: dict[str, NDArray[np.floating]] | None = None,
                          start_time: datetime | None = None, title: str = "rehearsal",
                          line: Sequence[float] | None = None, crs: str | None = None
                          ) -> xr.Dataset:
    """Return a CF dataset of fields ``(time, z, x)`` on a vertical cross-section.

    Parameters
    ----------
    distance, elevation : ndarray
        Distance along the section from its start (columns) and elevation (rows, ascending), m.
    times_s, node_fields, units, docs, scalar_series, start_time, title
        As for :func:`build_dataset`.
    line : sequence of float, optional
        ``(x0, y0, x1, y1)``: the map points of the section's start and end, kept as attributes.
    crs : str, optional
        The CRS of ``line``.
    """
    units, docs = units or {}, docs or {}
    data_vars: dict[str, xr.Variable] = {}
    for name, values in node_fields.items():
        data_vars[name] = xr.Variable(("time", "z", "x"), np.asarray(values), {
            "units": units.get(name, "1"), "long_name": docs.get(name, name)})
    for name, values in (scalar_series or {}).items():
        data_vars[name] = xr.Variable(("time",), np.asarray(values), {
            "units": units.get(name, "1"), "long_name": docs.get(name, name)})
    if start_time is not None and start_time.tzinfo is not None:
        start_time = start_time.astimezone(UTC).replace(tzinfo=None)
    since = start_time.isoformat(sep=" ") if start_time else "1970-01-01 00:00:00"
    coords = {
        "x": ("x", np.asarray(distance, dtype=np.float64), {
            "long_name": "distance along the section from its start", "units": "m"}),
        "z": ("z", np.asarray(elevation, dtype=np.float64), {
            "long_name": "elevation (scene height datum)", "units": "m", "positive": "up",
            "axis": "Z"}),
        "time": ("time", np.asarray(times_s, dtype=np.float64), {
            "standard_name": "time", "units": f"seconds since {since}",
            "calendar": "standard", "axis": "T"}),
    }
    attrs: dict[str, object] = {"Conventions": "CF-1.8", "title": title,
                                "source": "twin_app rehearsal (vertical section)"}
    if line is not None:
        attrs["section_line"] = [float(v) for v in line]
        attrs["section_line_crs"] = crs or ""
    return xr.Dataset(data_vars, coords=coords, attrs=attrs)


def write_netcdf(dataset: xr.Dataset, path: Path) -> Path:
    """Write a dataset as NetCDF-4 with the time axis kept in seconds (no decoding surprises)."""
    path = Path(path)
    if not path.parent.is_dir():
        raise ResultWriteError(f"folder {path.parent} does not exist", hint="create it first")
    encoding = {name: {"zlib": True, "complevel": 4} for name in dataset.data_vars
                if dataset[name].ndim >= 2}
    encoding["time"] = {"dtype": "float64"}
    try:
        dataset.to_netcdf(path, format="NETCDF4", encoding=encoding)
    except (OSError, ValueError) as error:
        raise ResultWriteError(f"cannot write {path}: {error}") from error
    logger.info("wrote %s", path)
    return path


def _north_up_transform(x: NDArray[np.float64], y: NDArray[np.float64]) -> Affine:
    dx = float(x[1] - x[0]) if len(x) > 1 else 1.0
    dy = float(y[1] - y[0]) if len(y) > 1 else 1.0
    return Affine(dx, 0.0, float(x[0]) - dx / 2, 0.0, -dy, float(y[-1]) + dy / 2)


def write_geotiff(path: Path, values: NDArray[np.floating], x: NDArray[np.float64],
                  y: NDArray[np.float64], *, crs: str, nodata: float = -9999.0,
                  description: str = "") -> Path:
    """Write a node map ``(y, x)`` (rows south to north) as a north-up float32 GeoTIFF."""
    grid = np.asarray(values, dtype=np.float32)[::-1]
    grid = np.where(np.isfinite(grid), grid, np.float32(nodata))
    try:
        with rasterio.open(Path(path), "w", driver="GTiff", width=grid.shape[1],
                           height=grid.shape[0], count=1, dtype="float32", crs=crs,
                           transform=_north_up_transform(x, y), nodata=nodata,
                           compress="deflate") as dataset:
            dataset.write(grid, 1)
            if description:
                dataset.set_band_description(1, description)
    except (OSError, rasterio.errors.RasterioError) as error:
        raise ResultWriteError(f"cannot write {path}: {error}") from error
    return Path(path)


def max_map(series: NDArray[np.floating]) -> NDArray[np.floating]:
    """Return the maximum over time of a ``(time, y, x)`` series."""
    return np.nanmax(series, axis=0)


def arrival_time_map(series: NDArray[np.floating], times_s: Sequence[float],
                     threshold: float) -> NDArray[np.float64]:
    """Return the first time (s) each node exceeds ``threshold``; NaN where it never does."""
    above = np.asarray(series) > threshold
    first = np.argmax(above, axis=0)
    arrival = np.asarray(times_s, dtype=np.float64)[first]
    return np.where(above.any(axis=0), arrival, np.nan)


def duration_above_map(series: NDArray[np.floating], times_s: Sequence[float],
                       threshold: float) -> NDArray[np.float64]:
    """Return how long (s) each node stays above ``threshold`` (each frame counts its interval)."""
    times = np.asarray(times_s, dtype=np.float64)
    widths = np.diff(times, append=times[-1]) if len(times) > 1 else np.zeros(1)
    above = np.asarray(series) > threshold
    return np.tensordot(widths, above.astype(np.float64), axes=(0, 0))


def extent_polygons(mask: NDArray[np.bool_], x: NDArray[np.float64],
                    y: NDArray[np.float64]) -> list:
    """Return shapely polygons covering the ``True`` nodes of a ``(y, x)`` boolean grid."""
    north_up = np.ascontiguousarray(np.asarray(mask, dtype=np.uint8)[::-1])
    transform = _north_up_transform(x, y)
    polygons = [shape(geometry) for geometry, value in
                shapes(north_up, mask=north_up.astype(bool), transform=transform) if value == 1]
    if not polygons:
        return []
    merged = unary_union(polygons)
    return list(getattr(merged, "geoms", [merged]))


def write_extent_geojson(path: Path, mask: NDArray[np.bool_], x: NDArray[np.float64],
                         y: NDArray[np.float64], *, crs: str,
                         properties: dict[str, object] | None = None) -> Path:
    """Write the flooded area of a boolean node grid as GeoJSON polygons in the scene CRS."""
    epsg = CRS.from_user_input(crs).to_epsg()
    features = [{"type": "Feature", "properties": {**(properties or {}),
                                                   "area_m2": round(poly.area, 2)},
                 "geometry": mapping(poly)} for poly in extent_polygons(mask, x, y)]
    collection: dict[str, object] = {"type": "FeatureCollection", "features": features}
    if epsg:
        collection["crs"] = {"type": "name",
                             "properties": {"name": f"urn:ogc:def:crs:EPSG::{epsg}"}}
    Path(path).write_text(json.dumps(collection), encoding="utf-8")
    return Path(path)


def write_point_series_csv(path: Path, times_s: Sequence[float],
                           columns: dict[str, NDArray[np.floating]], *,
                           start_time: datetime | None = None) -> Path:
    """Write series at points: one row per output time, one column per ``point:variable``."""
    with Path(path).open("w", newline="", encoding="utf-8") as stream:
        writer = csv.writer(stream)
        header = ["time_s"] + (["time"] if start_time else []) + list(columns)
        writer.writerow(header)
        for index, time in enumerate(times_s):
            row: list[object] = [f"{time:g}"]
            if start_time:
                row.append((start_time + timedelta(seconds=float(time))).isoformat())
            row.extend(f"{float(values[index]):.6g}" for values in columns.values())
            writer.writerow(row)
    return Path(path)
