"""Write the terrain of the three shipped scenes: analysis, detail and context DEMs.

Usage::

    python scenes/make_terrain.py            # every scene
    python scenes/make_terrain.py huangpu    # one scene

For each scene this writes, beside ``scene.toml``:

``terrain/dem.tif``
    The analysis DEM, 400 x 400 cells of 7.5 m (3 km square), written by
    :mod:`make_placeholder_data` together with the vector layers.  Flood rehearsals run on it.
``terrain/dem_2m.tif``
    The detailed DEM of the same 3 km square at 2 m cells (1500 x 1500), built from the same
    channel, bank and land functions, depression-filled, as a Cloud-Optimized GeoTIFF (Deflate,
    floating-point predictor, 256-pixel tiles, internal overviews).
``vectors/polders.geojson``, ``vectors/warning_zones.geojson``
    Polygons traced from the analysis DEM: each block of land between channels (a polder, its
    median ground level) and the low ground below ``WARNING_GROUND_M`` that floods first if
    the walls are overtopped (an illustrative warning zone).
``terrain/context.tif``
    The context DEM, 640 x 640 cells of 40 m (25.6 km square) centred on the work, a COG too: the
    scene's rivers continued across the plain (courses illustrative), a few regional canals, the
    Yangtze estuary and its seawall for Xinchuansha, and the analysis DEM inside the 3 km square.

Every DEM is EPSG:4549 with heights in metres in the Wusong datum, stated in the file's tags
(``VERTICAL_DATUM``, ``ILLUSTRATIVE``, ``SOURCE``, ``UNITS``), and depression-filled so each cell
drains to the grid edge.  The output is the same on every run (fixed seeds, no time stamps).
Everything beyond the facts listed in :mod:`make_placeholder_data` is ILLUSTRATIVE.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import rasterio
import rasterio.features
import rasterio.shutil
import shapely
from affine import Affine
from rasterio.io import MemoryFile
from shapely.geometry import LineString, Polygon, shape

sys.path.insert(0, str(Path(__file__).resolve().parent))

import make_placeholder_data as base

logger = logging.getLogger("make_terrain")

HERE = base.HERE
DETAIL_CELL = 2.0
CONTEXT_CELL = 40.0
CONTEXT_SIZE = 640
COG_OPTIONS = {"COMPRESS": "DEFLATE", "PREDICTOR": "FLOATING_POINT", "LEVEL": "9",
               "BLOCKSIZE": "256", "OVERVIEW_RESAMPLING": "AVERAGE", "OVERVIEWS": "AUTO"}


@dataclass(frozen=True)
class Channel:
    """A regional river or canal of the context DEM (work-relative course, metres)."""

    points: tuple[tuple[float, float], ...]
    half_width: float
    bed: float


@dataclass(frozen=True)
class Region:
    """What the context DEM of one scene holds besides the plain."""

    channels: tuple[Channel, ...]
    shore: LineString | None = None
    seawall_crest: float = 0.0


def _xcs_region() -> Region:
    geo = base.xcs_geometry()
    river = np.asarray(geo["river"].coords)
    along, across = base._unit(base.XCS_SHORE_BEARING), base._unit(base.XCS_SHORE_BEARING + 90)
    shore = LineString([u * along + v * across for u, v in
                        ((-16000, 250), (-8000, 150), (-2600, 45), (-1300, 20), (0, 0),
                         (1300, -25), (2600, -70), (8000, -250), (16000, -500))])
    inland = ((-13000.0, -3600.0), (-8000.0, -2500.0), (-4500.0, -1200.0))
    canals = (
        Channel(tuple(map(tuple, (p * across + q * along for p, q in
                                  ((-14000, -7000), (-3000, -7000), (200, -7000))))), 25, -1.5),
        Channel(tuple(map(tuple, (p * across + q * along for p, q in
                                  ((-14000, 6500), (-3000, 6500), (200, 6500))))), 25, -1.5),
        Channel(tuple(map(tuple, (p * across + q * along for p, q in
                                  ((-6000, -16000), (-6000, 0), (-6000, 16000))))), 20, -1.0),
    )
    channels = (Channel((*inland, *map(tuple, river)), 50.0, -3.0), *canals)
    return Region(channels, shore=shore, seawall_crest=base.XCS_SEAWALL_CREST)


def _hp_region() -> Region:
    geo = base.hp_geometry()
    huangpu = [tuple(p) for p in np.asarray(geo["huangpu"].coords)]
    creek = [tuple(p) for p in np.asarray(geo["creek"].coords)]
    south = ((-2500.0, -13500.0), (-1800.0, -8500.0), (-300.0, -5000.0))
    north = ((3500.0, 3500.0), (5500.0, 7500.0), (7000.0, 13500.0))
    west = ((-13500.0, 900.0), (-9000.0, 1200.0), (-6000.0, 300.0), (-3500.0, 800.0))
    return Region((
        Channel((*south, *huangpu, *north), base.HP_HALF_WIDTH, -10.5),
        Channel((*west, *creek), base.SZC_HALF_WIDTH, -2.0),
        Channel(((-13500.0, -4000.0), (-6000.0, -4300.0), (-700.0, -4200.0)), 25, -1.5),
        Channel(((1500.0, -3000.0), (7000.0, -2600.0), (13500.0, -2500.0)), 25, -1.5),
        Channel(((-13500.0, 6000.0), (-4000.0, 6200.0), (4300.0, 6000.0)), 20, -1.0),
    ))


def _szw_region() -> Region:
    geo = base.szw_geometry()
    wusong = [tuple(p) for p in np.asarray(geo["wusong"].coords)]
    suzhou = [tuple(p) for p in np.asarray(geo["suzhou"].coords)]
    yunzao = [tuple(p) for p in np.asarray(geo["yunzao"].coords)]
    return Region((
        Channel(((-13500.0, -400.0), (-8000.0, -600.0), (-4000.0, 200.0), *wusong), 40, -1.4),
        Channel((*suzhou, (4000.0, -1200.0), (8000.0, -1800.0), (13500.0, -3000.0)), 35, -2.0),
        Channel((*yunzao, (0.0, 4000.0), (3000.0, 8000.0), (6000.0, 13500.0)), 40, -1.9),
        Channel(((-13500.0, -6000.0), (-3000.0, -5600.0), (13500.0, -6500.0)), 25, -1.5),
        Channel(((5000.0, -13500.0), (4800.0, -5000.0), (5200.0, -1500.0)), 20, -1.0),
    ))


REGIONS: dict[str, Callable[[], Region]] = {
    "xinchuansha": _xcs_region, "huangpu": _hp_region, "suzhou_west_gate": _szw_region,
}


def build_context(name: str, analysis: base.SceneData) -> tuple[np.ndarray, Affine]:
    """Return the context heights and their transform for one scene.

    Parameters
    ----------
    name : str
        The scene.
    analysis : SceneData
        The scene's 7.5 m DEM, copied into the 3 km square.
    """
    work = analysis.grid.work
    half = CONTEXT_CELL * CONTEXT_SIZE / 2
    left = round((work[0] - half) / CONTEXT_CELL) * CONTEXT_CELL
    top = round((work[1] + half) / CONTEXT_CELL) * CONTEXT_CELL
    grid = base.Grid(work, left, top, CONTEXT_CELL, CONTEXT_SIZE)
    region = REGIONS[name]()
    rng = np.random.default_rng(sum(map(ord, name)))
    noise = (0.15 * base.smooth_noise(rng, 2500.0, CONTEXT_SIZE, CONTEXT_CELL)
             + 0.04 * base.smooth_noise(rng, 300.0, CONTEXT_SIZE, CONTEXT_CELL))
    lines = [base.dense_line(channel.points, step=20.0) for channel in region.channels]
    distances = [base.distance_to(grid, line) for line in lines]
    d_any = np.minimum.reduce(distances)
    # The plain: 3.3-4 m, highest along the rivers, falling about 0.5 m per km away from them.
    z = 3.95 - base.LAND_FALL * np.minimum(d_any, 1400.0) + noise
    for channel, d in zip(region.channels, distances, strict=True):
        bottom_half = max(channel.half_width - 3.0 * (3.5 - channel.bed), 0.3 * channel.half_width)
        z = np.minimum(z, channel.bed + np.maximum(0.0, d - bottom_half) / 3.0)
    if region.shore is not None:
        coords = list(region.shore.coords)
        sea = Polygon([*coords, (30000, 30000), (-30000, 30000)])
        in_sea = shapely.contains_xy(sea, grid.x, grid.y)
        d_shore = base.distance_to(grid, region.shore)
        z = np.where(in_sea, np.where(d_shore < 25, 2.5,
                                      -12.5 + 15.0 * np.exp(-(d_shore - 25) / 380)), z)
        mouth = lines[0].buffer(120.0)
        wall = region.shore.difference(mouth)
        z = np.maximum(z, base.ridge(base.distance_to(grid, wall), region.seawall_crest,
                                     CONTEXT_CELL / 2 + 5.0, 2.5))
    z = _paste_analysis(z, grid, analysis)
    z = base.fill_depressions(z, epsilon=1e-3)
    return z, Affine(CONTEXT_CELL, 0.0, left, 0.0, -CONTEXT_CELL, top)


def _paste_analysis(z: np.ndarray, grid: base.Grid, analysis: base.SceneData) -> np.ndarray:
    """Copy the 7.5 m analysis DEM (bilinear) into the context cells inside its square."""
    a_grid = analysis.grid
    col = (grid.x - (a_grid.left - a_grid.work[0])) / a_grid.cell - 0.5
    row = ((a_grid.top - a_grid.work[1]) - grid.y) / a_grid.cell - 0.5
    inside = (col >= 0) & (row >= 0) & (col <= a_grid.size - 1) & (row <= a_grid.size - 1)
    c0 = np.clip(np.floor(col).astype(int), 0, a_grid.size - 2)
    r0 = np.clip(np.floor(row).astype(int), 0, a_grid.size - 2)
    fc, fr = np.clip(col - c0, 0, 1), np.clip(row - r0, 0, 1)
    h = analysis.heights
    value = ((h[r0, c0] * (1 - fc) + h[r0, c0 + 1] * fc) * (1 - fr)
             + (h[r0 + 1, c0] * (1 - fc) + h[r0 + 1, c0 + 1] * fc) * fr)
    return np.where(inside, value, z)


def write_cog(path: Path, heights: np.ndarray, transform: Affine, source: str) -> Path:
    """Write heights as a Cloud-Optimized GeoTIFF with the datum and provenance tags."""
    rows, cols = heights.shape
    profile = {"driver": "GTiff", "width": cols, "height": rows, "count": 1,
               "dtype": "float32", "crs": base.CRS, "transform": transform,
               "nodata": base.NODATA}
    path.parent.mkdir(parents=True, exist_ok=True)
    with MemoryFile() as memory:
        with memory.open(**profile) as dataset:
            dataset.write(heights.astype(np.float32), 1)
            dataset.update_tags(VERTICAL_DATUM=base.VERTICAL_DATUM,
                                ILLUSTRATIVE=base.ILLUSTRATIVE.replace(
                                    "make_placeholder_data.py", "make_terrain.py"),
                                SOURCE=source, UNITS="metre")
            dataset.set_band_description(1, "height (m, Wusong datum)")
        with memory.open() as dataset:
            rasterio.shutil.copy(dataset, path, driver="COG", **COG_OPTIONS)
    return path


WARNING_GROUND_M = {"xinchuansha": 3.55, "huangpu": 3.6, "suzhou_west_gate": 3.55}
"""Ground below this level forms the scene's illustrative flood-warning zones (Wusong, m)."""


def _traced(mask: np.ndarray, transform: Affine, min_area: float) -> list[Polygon]:
    """Return the polygons of a mask's connected areas (map coordinates), largest first."""
    # Closing then opening by 6 m rounds off the 7.5 m cell staircase of the traced outline.
    polygons = [_smooth(shape(geometry)) for geometry, value in
                rasterio.features.shapes(mask.astype(np.uint8), mask=mask, transform=transform,
                                         connectivity=4) if value]
    return sorted((p for p in polygons if p.area >= min_area), key=lambda p: -p.area)


def _smooth(polygon: Polygon, radius: float = 6.0) -> Polygon:
    smooth = polygon.buffer(radius).buffer(-2 * radius).buffer(radius).simplify(1.5)
    parts = list(getattr(smooth, "geoms", [smooth]))
    return max(parts, key=lambda part: part.area) if parts else polygon


def area_vectors(name: str, analysis: base.SceneData) -> dict[str, list[dict]]:
    """Return the polder and warning-zone layers traced from the analysis DEM."""
    grid, z = analysis.grid, analysis.heights
    transform = Affine(grid.cell, 0.0, grid.left, 0.0, -grid.cell, grid.top)
    common = {"illustrative": True, "crs_note": "EPSG:4549 metres; heights Wusong datum"}
    # Land is above 3 m; channels, the estuary and foreshore are below.  Crests split nothing.
    land = z >= 3.0
    polders = []
    for number, polygon in enumerate(_traced(land, transform, 2.0e5), start=1):
        inside = shapely.contains_xy(polygon, grid.x + grid.work[0], grid.y + grid.work[1])
        ground = float(np.median(z[inside])) if inside.any() else float("nan")
        polders.append(_map_feature(
            polygon, id=f"{name}_polder_{number}", name_zh=f"圩区 {number}（示意）",
            name_en=f"Polder {number} (illustrative)", kind="polder",
            ground_median_m=round(ground, 2), area_km2=round(polygon.area / 1e6, 3), **common))
    level = WARNING_GROUND_M[name]
    low = (z >= 3.0) & (z < level)
    zones = [_map_feature(
        polygon, id=f"{name}_low_ground_{number}", name_zh=f"低洼易涝区 {number}（示意）",
        name_en=f"Low ground {number} (illustrative warning zone)", kind="warning_zone",
        ground_below_m=level, severity="warning",
        note=f"ground below {level} m Wusong: floods first if walls are overtopped", **common)
        for number, polygon in enumerate(_traced(low, transform, 2.0e4), start=1)]
    return {"polders.geojson": polders, "warning_zones.geojson": zones}


def _map_feature(geometry: object, **properties: object) -> dict:
    rounded = shapely.transform(geometry, lambda xy: np.round(xy, 2))
    return {"type": "Feature", "properties": properties,
            "geometry": shapely.geometry.mapping(rounded)}


def make_scene(name: str) -> None:
    """Write the analysis, detail and context DEMs and the vectors of one scene."""
    folder = HERE / name
    build = base.BUILDERS[name]
    analysis = build()
    base.write_dem(analysis, folder)
    analysis.vectors.update(area_vectors(name, analysis))
    base.write_vectors(analysis, folder)
    detail = build(DETAIL_CELL)
    grid = detail.grid
    path = write_cog(folder / "terrain" / "dem_2m.tif", detail.heights,
                     Affine(grid.cell, 0.0, grid.left, 0.0, -grid.cell, grid.top),
                     detail.source + "; 2 m cells")
    logger.info("  %s: %d bytes", path.relative_to(HERE), path.stat().st_size)
    context, transform = build_context(name, analysis)
    path = write_cog(folder / "terrain" / "context.tif", context, transform,
                     "synthetic regional context (rivers continued, canals, plain: all "
                     "illustrative) around " + analysis.source)
    logger.info("  %s: %d bytes, heights %.2f..%.2f m", path.relative_to(HERE),
                path.stat().st_size, float(context.min()), float(context.max()))


def main(argv: list[str] | None = None) -> None:
    """Write the terrain of the scenes named on the command line, or of all of them."""
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    names = (argv if argv is not None else sys.argv[1:]) or list(base.BUILDERS)
    for name in names:
        logger.info("scene %s", name)
        make_scene(name)


if __name__ == "__main__":
    main()
