"""Aggregate an ensemble's members: flood probability, max-depth percentiles, exceedance curves.

The members' max-depth maps are read from their run folders a block of rows at a time (so memory
stays bounded by ``members x block`` whatever the grid), giving per cell:

* ``probability_wet``: the fraction of successful members whose maximum depth exceeds the
  threshold (exactly ``k / N``: ``k`` such members out of ``N``);
* ``max_depth_pXX``: percentiles of the maximum depth (numpy's linear interpolation);
* ``max_depth_mean``.

At each point, the members' peak depths give an exceedance curve: sorted from the largest, the
``i``-th largest value is exceeded or equalled with probability ``i / N``.  So do their peak
water levels (ground + max depth, in the scene's datum, comparable with a gauge's warning level);
a member that leaves the point dry has no level there and counts as reaching none.

Written as ``ensemble.nc`` (CF-1.8; maps on ``(y, x)``, peak depths and levels on
``(point, member)``) and one
GeoTIFF per map, with :mod:`twin_app.io.results`.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from twin_app.ensemble.member import MemberOutcome
from twin_app.io import results

logger = logging.getLogger(__name__)

QUANTITIES = ("depth", "level")
"""What an exceedance curve is of: peak depth or peak water level."""
BLOCK_VALUES = 4_000_000
"""Values read at once (members x rows x columns) while aggregating."""


@dataclass
class Aggregate:
    """The ensemble's maps (rows south to north, as the model grid) and point statistics."""

    members: list[int]
    threshold_m: float
    grid: dict[str, Any]
    probability_wet: NDArray[np.float32]
    mean_max_depth: NDArray[np.float32]
    percentiles: dict[float, NDArray[np.float32]]
    point_ids: list[str] = field(default_factory=list)
    point_peaks: NDArray[np.float64] = field(default_factory=lambda: np.zeros((0, 0)))
    point_levels: NDArray[np.float64] = field(default_factory=lambda: np.zeros((0, 0)))
    """Peak water level of each member at each point (NaN where it stayed dry)."""
    excluded: dict[int, str] = field(default_factory=dict)
    files: list[str] = field(default_factory=list)

    @property
    def count(self) -> int:
        """Members aggregated."""
        return len(self.members)

    def _values(self, point_id: str, quantity: str) -> NDArray[np.float64]:
        if quantity not in QUANTITIES:
            raise ValueError(f"unknown quantity {quantity!r}: use one of {QUANTITIES}")
        table = self.point_peaks if quantity == "depth" else self.point_levels
        if point_id not in self.point_ids:
            raise KeyError(f"no point {point_id!r} in this ensemble; points: "
                           f"{', '.join(self.point_ids) or 'none'}")
        if table.shape[0] != len(self.point_ids):
            return np.zeros(0)
        row = table[self.point_ids.index(point_id)]
        return row[np.isfinite(row)]

    def exceedance(self, point_id: str, quantity: str = "depth"
                   ) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
        """Return (values from the largest, probability each is reached) at a point.

        Parameters
        ----------
        point_id : str
            One of :attr:`point_ids`.
        quantity : {"depth", "level"}
            Peak depth (m) or peak water level (m, scene datum).
        """
        values = np.sort(self._values(point_id, quantity))[::-1]
        return values, np.arange(1, values.size + 1) / max(self.count, 1)

    def probability_above(self, point_id: str, value: float, quantity: str = "level") -> float:
        """Return the fraction of the members whose peak at the point is above ``value``."""
        return float((self._values(point_id, quantity) > value).sum()) / max(self.count, 1)

    def summary(self) -> dict[str, Any]:
        """Return a JSON-ready summary (no grids)."""
        cell = self.grid["spacing"][0] * self.grid["spacing"][1]
        return {
            "members_aggregated": self.count, "threshold_m": self.threshold_m,
            "cells_possibly_wet": int((self.probability_wet > 0).sum()),
            "area_p50_m2": float((self.probability_wet >= 0.5).sum() * cell),
            "area_any_m2": float((self.probability_wet > 0).sum() * cell),
            "max_probability": float(self.probability_wet.max(initial=0.0)),
            "exceedance": {pid: {"depth_m": [round(float(v), 4) for v in self.exceedance(pid)[0]],
                                 "probability": [round(float(p), 4)
                                                 for p in self.exceedance(pid)[1]]}
                           for pid in self.point_ids},
            "exceedance_level": {pid: {"level_m": [round(float(v), 4)
                                                   for v in self.exceedance(pid, "level")[0]],
                                       "probability": [round(float(p), 4) for p in
                                                       self.exceedance(pid, "level")[1]]}
                                 for pid in self.point_ids},
            "excluded": {str(k): v for k, v in self.excluded.items()}, "files": self.files,
        }


def aggregate(outcomes: list[MemberOutcome], *, threshold_m: float,
              percentiles: list[float], point_ids: list[str]) -> Aggregate | None:
    """Aggregate the successful members; ``None`` if there is none.

    Members whose grid differs from the first successful member's are excluded (reported in
    :attr:`Aggregate.excluded`).
    """
    import rasterio

    good = [o for o in outcomes if o.ok and o.max_depth_path]
    if not good:
        return None
    reference = _grid_key(good[0].grid)
    excluded = {o.index: "its grid differs from the other members'" for o in good
                if _grid_key(o.grid) != reference}
    used = [o for o in good if o.index not in excluded]
    rows, cols = good[0].grid["shape"]
    n = len(used)
    probability = np.zeros((rows, cols), np.float32)
    mean = np.zeros((rows, cols), np.float32)
    quantiles = {q: np.zeros((rows, cols), np.float32) for q in percentiles}
    block = max(1, BLOCK_VALUES // max(n * cols, 1))
    handles = [rasterio.open(o.max_depth_path) for o in used]
    try:
        for top in range(0, rows, block):
            height = min(block, rows - top)
            window = rasterio.windows.Window(0, top, cols, height)
            stack = np.stack([h.read(1, window=window, masked=True).filled(np.nan)
                              for h in handles]).astype(np.float32)
            stack = np.nan_to_num(stack, nan=0.0)
            probability[top:top + height] = (stack > threshold_m).sum(axis=0) / n
            mean[top:top + height] = stack.mean(axis=0)
            for q in percentiles:
                quantiles[q][top:top + height] = np.percentile(stack, q, axis=0)
    finally:
        for handle in handles:
            handle.close()
    flip = slice(None, None, -1)  # the files are north-up; the model grid runs south to north
    peaks = np.full((len(point_ids), n), np.nan)
    levels = np.full((len(point_ids), n), np.nan)
    for column, outcome in enumerate(used):
        for row, point_id in enumerate(point_ids):
            peaks[row, column] = outcome.point_peaks_m.get(point_id, np.nan)
            levels[row, column] = outcome.point_levels_m.get(point_id, np.nan)
    return Aggregate([o.index for o in used], threshold_m, good[0].grid, probability[flip],
                     mean[flip], {q: v[flip] for q, v in quantiles.items()}, list(point_ids),
                     peaks, levels, excluded)


def write_aggregate(result: Aggregate, out_dir: Path, *, title: str = "ensemble",
                    attrs: dict[str, Any] | None = None) -> list[str]:
    """Write ``ensemble.nc`` and the GeoTIFF maps to ``out_dir``; return their paths."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    grid = result.grid
    rows, cols = grid["shape"]
    dy, dx = grid["spacing"]
    y = grid["origin"][0] + dy * np.arange(rows, dtype=np.float64)
    x = grid["origin"][1] + dx * np.arange(cols, dtype=np.float64)
    crs = grid.get("crs", "EPSG:4549")
    maps: dict[str, tuple[NDArray[np.float32], str, str]] = {
        "probability_wet": (result.probability_wet, "1",
                            f"probability that max depth exceeds {result.threshold_m:g} m"),
        "max_depth_mean": (result.mean_max_depth, "m", "mean of the members' maximum depth"),
    }
    for q, values in result.percentiles.items():
        maps[f"max_depth_p{q:g}"] = (values, "m", f"{q:g}th percentile of maximum depth")
    written = [str(results.write_geotiff(out_dir / f"{name}.tif", values, x, y, crs=crs,
                                         description=text))
               for name, (values, _, text) in maps.items()]
    dataset = results.build_dataset(
        x, y, [0.0], {}, crs=crs, units={k: v[1] for k, v in maps.items()},
        docs={k: v[2] for k, v in maps.items()},
        static_fields={k: v[0] for k, v in maps.items()}, title=title)
    dataset = dataset.assign_coords(point=("point", result.point_ids),
                                    member=("member", np.asarray(result.members, np.int32)))
    dataset["peak_depth"] = (("point", "member"), result.point_peaks,
                             {"units": "m", "long_name": "maximum depth of each member at the "
                              "point"})
    dataset["peak_level"] = (("point", "member"), result.point_levels,
                             {"units": "m", "long_name": "maximum water level of each member at "
                              "the point (NaN where it stayed dry)"})
    dataset.attrs.update({"members_aggregated": result.count,
                          "wet_threshold_m": result.threshold_m, **(attrs or {})})
    written.append(str(results.write_netcdf(dataset, out_dir / "ensemble.nc")))
    result.files = written
    return written


def _grid_key(grid: dict[str, Any]) -> tuple[Any, ...]:
    return (tuple(grid.get("shape", ())), tuple(np.round(grid.get("spacing", ()), 6)),
            tuple(np.round(grid.get("origin", ()), 3)), grid.get("crs"))
