"""Write the synthetic terrain and vector layers of the three shipped scenes.

Usage::

    python scenes/make_placeholder_data.py

For each scene (``xinchuansha``, ``huangpu``, ``suzhou_west_gate``) this writes
``scenes/<name>/terrain/dem.tif`` and ``scenes/<name>/vectors/*.geojson``.  The output is the same
on every run (fixed seeds, no time stamps).

Everything here is ILLUSTRATIVE.  Only the locations and a few published levels come from public
sources (``reference/projects.md``): the works' lon/lat, the Xinchuansha sill (-3.26 m) and channel
top width (96-175 m), the Bund flood-wall crest (6.9 m), the Suzhou River wall crest (5.2 m) and
the Huangpu width (about 400-500 m in the urban reach).  Channel courses, cross-sections, land
heights, the estuary bed and all noise are invented.

Heights are metres in the Wusong datum; coordinates are CGCS2000 / 3-degree Gauss-Kruger CM 120E
(EPSG:4549).  The grids are 400 x 400 cells of 7.5 m (3 km square).  Earth embankments (seawall,
river bank crests) are part of the DEM; thin concrete flood walls (Huangpu, Suzhou Creek) are not:
their lines carry ``crest_m`` and ``dem_represents = "ground"`` so that a flood model can burn them
in as break lines.  Every DEM is depression-filled (4-connected) so that each cell drains to the
grid edge.
"""

from __future__ import annotations

import heapq
import json
import logging
import math
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import rasterio
import shapely
from affine import Affine
from pyproj import Transformer
from shapely.geometry import LineString, MultiLineString, Polygon, box, mapping
from shapely.ops import substring

logger = logging.getLogger("make_placeholder_data")

HERE = Path(__file__).resolve().parent
CRS = "EPSG:4549"
CRS_URN = "urn:ogc:def:crs:EPSG::4549"
CELL = 7.5
SIZE = 400
NODATA = -9999.0
VERTICAL_DATUM = "Wusong (吴淞高程)"
ILLUSTRATIVE = "yes: synthetic terrain made by scenes/make_placeholder_data.py, not surveyed data"

_TO_MAP = Transformer.from_crs("EPSG:4490", CRS, always_xy=True)


def lonlat_to_map(lon: float, lat: float) -> tuple[float, float]:
    """Return the EPSG:4549 easting and northing of a CGCS2000 (~WGS84) lon/lat."""
    easting, northing = _TO_MAP.transform(lon, lat)
    return (float(easting), float(northing))


# ----------------------------------------------------------------------------------------------
# Grid and geometry helpers (coordinates relative to the work point, in metres)
# ----------------------------------------------------------------------------------------------


@dataclass
class Grid:
    """A north-up grid of ``size`` x ``size`` cells of ``cell`` metres around a work point."""

    work: tuple[float, float]
    left: float
    top: float
    cell: float = CELL
    size: int = SIZE
    x: np.ndarray = field(init=False)
    y: np.ndarray = field(init=False)

    def __post_init__(self) -> None:
        cols = self.left + self.cell * (np.arange(self.size) + 0.5) - self.work[0]
        rows = self.top - self.cell * (np.arange(self.size) + 0.5) - self.work[1]
        self.x, self.y = np.meshgrid(cols, rows)

    @classmethod
    def around(cls, work: tuple[float, float], left: float, top: float, cell: float) -> Grid:
        """Return the grid of the scene's 3 km square at ``cell`` metres."""
        return cls(work, left, top, cell, round(SIZE * CELL / cell))

    @property
    def extent(self) -> Polygon:
        """The grid's outline, relative to the work point."""
        x0, y1 = self.left - self.work[0], self.top - self.work[1]
        span = self.cell * self.size
        return box(x0, y1 - span, x0 + span, y1)

    def points(self) -> np.ndarray:
        """Return the cell centres as shapely points (row-major)."""
        return shapely.points(self.x.ravel(), self.y.ravel())


def chaikin(points: list[tuple[float, float]], iterations: int = 3) -> np.ndarray:
    """Smooth a polyline by corner cutting, keeping its end points."""
    p = np.asarray(points, dtype=np.float64)
    for _ in range(iterations):
        q = 0.75 * p[:-1] + 0.25 * p[1:]
        r = 0.25 * p[:-1] + 0.75 * p[1:]
        cut = np.empty((2 * len(q), 2))
        cut[0::2], cut[1::2] = q, r
        p = np.vstack([p[0], cut[1:-1], p[-1]])
    return p


def dense_line(points: np.ndarray | list, step: float = 5.0) -> LineString:
    """Return the polyline with vertices at most ``step`` metres apart."""
    return shapely.segmentize(LineString(points), step)


NEAR = 60.0
"""On fine grids, distances below this come from densified vertices, above it from a coarse
exact field interpolated (both errors are centimetres)."""


def _fine_fields(grid: Grid, geometry: object,
                 chainage: bool = False) -> tuple[np.ndarray, np.ndarray | None]:
    """Return each cell's distance to a geometry (and chainage along it) on a fine grid.

    Used on grids finer than the 7.5 m analysis grid, where GEOS point-to-line distances for
    millions of cells are too slow: near the geometry from its 0.25 m-densified vertices (error
    below 1 cm beyond 1 m), further away from exact values on every fourth node, interpolated
    bilinearly (the distance field is smooth there; errors are centimetres).
    """
    from scipy.interpolate import RegularGridInterpolator
    from scipy.spatial import cKDTree

    vertices = shapely.get_coordinates(shapely.segmentize(geometry, 0.25))
    points = np.column_stack([grid.x.ravel(), grid.y.ravel()])
    distance, index = cKDTree(vertices).query(points, distance_upper_bound=NEAR)
    far = ~np.isfinite(distance)
    nodes = np.r_[0:grid.size:4, grid.size - 1]
    cx, cy = np.meshgrid(grid.x[0, nodes], grid.y[nodes, 0])
    coarse = shapely.points(cx.ravel(), cy.ravel())
    axes = (-grid.y[nodes, 0], grid.x[0, nodes])
    far_points = np.column_stack([-points[far, 1], points[far, 0]])

    def coarse_field(values: np.ndarray) -> np.ndarray:
        return RegularGridInterpolator(axes, values.reshape(cx.shape))(far_points)

    distance[far] = coarse_field(shapely.distance(geometry, coarse))
    along = None
    if chainage:
        steps = np.hypot(*np.diff(vertices, axis=0).T)
        along = np.concatenate([[0.0], np.cumsum(steps)])[np.minimum(index, len(vertices) - 1)]
        along[far] = coarse_field(shapely.line_locate_point(geometry, coarse))
        along = along.reshape(grid.x.shape)
    return distance.reshape(grid.x.shape), along


def distance_and_chainage(grid: Grid, line: LineString) -> tuple[np.ndarray, np.ndarray]:
    """Return each cell's distance to ``line`` and the chainage of its nearest point on it."""
    if grid.cell < CELL:
        distance, along = _fine_fields(grid, line, chainage=True)
        assert along is not None
        return distance, along
    pts = grid.points()
    distance = shapely.distance(line, pts).reshape(grid.x.shape)
    chainage = shapely.line_locate_point(line, pts).reshape(grid.x.shape)
    return distance, chainage


def distance_to(grid: Grid, geometry: object) -> np.ndarray:
    """Return each cell's distance to a geometry (inf for an empty one)."""
    if geometry is None or shapely.is_empty(geometry):
        return np.full(grid.x.shape, np.inf)
    if grid.cell < CELL:
        return _fine_fields(grid, geometry)[0]
    return shapely.distance(geometry, grid.points()).reshape(grid.x.shape)


def offset_line(line: LineString, half_width: Callable[[np.ndarray], np.ndarray],
                side: float) -> LineString:
    """Return a line offset from ``line`` by ``half_width(chainage)``, left if ``side`` > 0."""
    p = np.asarray(line.coords)[:, :2]
    chainage = np.concatenate([[0.0], np.cumsum(np.hypot(*np.diff(p, axis=0).T))])
    tangent = np.gradient(p, axis=0)
    tangent /= np.hypot(tangent[:, 0], tangent[:, 1])[:, None]
    normal = np.column_stack([-tangent[:, 1], tangent[:, 0]])
    return LineString(p + side * normal * half_width(chainage)[:, None])


def ridge(distance: np.ndarray, crest: float, flat_half: float, slope: float) -> np.ndarray:
    """Return an embankment: ``crest`` within ``flat_half`` of its line, then 1:``slope`` sides."""
    return crest - np.maximum(0.0, distance - flat_half) / slope


def smooth_noise(rng: np.random.Generator, wavelength: float, size: int = SIZE,
                 cell: float = CELL) -> np.ndarray:
    """Return Gaussian-filtered white noise with unit standard deviation."""
    white = rng.standard_normal((size, size))
    k = np.fft.fftfreq(size, d=cell)
    kx, ky = np.meshgrid(k, k)
    spectrum = np.fft.fft2(white) * np.exp(-((kx**2 + ky**2) * wavelength**2))
    field_ = np.real(np.fft.ifft2(spectrum))
    return (field_ - field_.mean()) / field_.std()


LAND_FALL = 0.0005
"""How fast the land falls away from rivers and the coast (m per m): 0.5 m per km."""


def land_noise(rng: np.random.Generator, grid: Grid | None = None) -> np.ndarray:
    """Return the gentle, low-relief roughness added to the land (a few centimetres)."""
    size, cell = (SIZE, CELL) if grid is None else (grid.size, grid.cell)
    return (0.03 * smooth_noise(rng, 400.0, size, cell)
            + 0.01 * smooth_noise(rng, 15.0, size, cell))


def fill_depressions(z: np.ndarray, epsilon: float = 1e-3) -> np.ndarray:
    """Return ``z`` with every pit raised so that each cell drains 4-connected to the edge.

    Priority-flood with an epsilon gradient (Barnes et al. 2014): filled areas slope by
    ``epsilon`` per cell towards their spill point instead of being flat.
    """
    rows, cols = z.shape
    filled = z.astype(np.float64).ravel().tolist()
    closed = bytearray(rows * cols)
    heap: list[tuple[float, int]] = []
    for r in range(rows):
        for c in range(cols):
            if r in (0, rows - 1) or c in (0, cols - 1):
                index = r * cols + c
                closed[index] = 1
                heap.append((filled[index], index))
    heapq.heapify(heap)
    while heap:
        level, index = heapq.heappop(heap)
        r, c = divmod(index, cols)
        for nr, nc in ((r - 1, c), (r + 1, c), (r, c - 1), (r, c + 1)):
            if 0 <= nr < rows and 0 <= nc < cols:
                neighbour = nr * cols + nc
                if not closed[neighbour]:
                    closed[neighbour] = 1
                    if filled[neighbour] <= level:
                        filled[neighbour] = level + epsilon
                    heapq.heappush(heap, (filled[neighbour], neighbour))
    out = np.asarray(filled).reshape(rows, cols)
    raised = out - z
    logger.info("filled %d cells (max %.3f m)", int((raised > 0).sum()), float(raised.max()))
    return out


def feature(geometry: object, work: tuple[float, float], **properties: object) -> dict:
    """Return a GeoJSON feature with the geometry moved from work-relative to map coordinates."""
    simple = shapely.simplify(geometry, 0.05)
    moved = shapely.transform(simple, lambda xy: np.round(xy + np.asarray(work), 2))
    if isinstance(moved, MultiLineString) and len(moved.geoms) == 1:
        moved = moved.geoms[0]
    return {"type": "Feature", "properties": properties, "geometry": mapping(moved)}


@dataclass
class SceneData:
    """What one scene's script writes."""

    name: str
    grid: Grid
    heights: np.ndarray
    source: str
    vectors: dict[str, list[dict]]


# ----------------------------------------------------------------------------------------------
# Xinchuansha: river mouth on the Yangtze estuary, seawall, pump-gate hub
# ----------------------------------------------------------------------------------------------

XCS_WORK = lonlat_to_map(121.357708, 31.486419)
XCS_SHORE_BEARING = -25.0
"""Direction of the shore (Yangtze to the north-east), degrees anticlockwise from east."""
XCS_SILL = -3.26
XCS_SEAWALL_CREST = 8.6
XCS_BANK_CREST = 4.5


def _unit(bearing_deg: float) -> np.ndarray:
    angle = math.radians(bearing_deg)
    return np.array([math.cos(angle), math.sin(angle)])


def xcs_geometry() -> dict[str, object]:
    """Return the Xinchuansha river centreline and shoreline (work-relative)."""
    along, across = _unit(XCS_SHORE_BEARING), _unit(XCS_SHORE_BEARING + 90.0)
    shore = [u * along + v * across for u, v in
             ((-2600, 45), (-1300, 20), (0, 0), (1300, -25), (2600, -70))]
    river = chaikin([(-1620, -560), (-1100, -530), (-700, -520), (-350, -420),
                     tuple(-250 * across), (0, 0), tuple(700 * across)])
    return {"shore": LineString(shore), "river": dense_line(river), "across": across}


def build_xinchuansha(cell: float = CELL) -> SceneData:
    """Build the Xinchuansha DEM and vectors."""
    rng = np.random.default_rng(20201021)
    grid = Grid.around(XCS_WORK, left=627500.0, top=3487200.0, cell=cell)
    geo = xcs_geometry()
    river, shore = geo["river"], geo["shore"]
    s_work = river.project(shapely.Point(0, 0))

    def top_half(s: np.ndarray) -> np.ndarray:
        return np.interp(s - s_work, [-500, -150, 0, 300], [48.0, 87.5, 87.5, 110.0])

    def bed(s: np.ndarray) -> np.ndarray:
        # Upstream -3.0 m, the sill level in front of the hub, a little lower under its floor
        # (so the base slab, top at the sill, stands proud of the terrain), deeper seawards.
        return np.interp(s - s_work, [-2000, -150, -20, 40, 300, 800],
                         [-3.0, XCS_SILL, -3.5, -3.55, -4.5, -7.0])

    sea_side = Polygon([*shore.coords, (3000, 5000), (-3000, 5000)])
    in_sea = shapely.contains_xy(sea_side, grid.x, grid.y)
    d_shore = distance_to(grid, shore)
    d_river, s_river = distance_and_chainage(grid, river)
    # Land 3.2-4 m: highest along the coast and the river (as on the delta's coastal ridge and
    # natural levees), falling gently inland so that it drains away from the embankments.
    land = 3.95 - LAND_FALL * np.minimum(d_river, 0.8 * d_shore) + land_noise(rng, grid)
    # Estuary: a narrow foreshore at 2.5 m, then the bed falls to about -12.5 m.
    sea = np.where(d_shore < 25, 2.5, -12.5 + 15.0 * np.exp(-(d_shore - 25) / 380))
    z = np.where(in_sea, sea, land)
    # The channel: bed, then side slopes 1:3 up to the bank crest at the top width.
    b = bed(s_river)
    bottom_half = top_half(s_river) - 3.0 * (XCS_BANK_CREST - b)
    z = np.minimum(z, b + np.maximum(0.0, d_river - bottom_half) / 3.0)
    # Bank crests (inland only) and the seawall, which stops at the hub.
    corridor = river.buffer(87.5 + 3.0, cap_style="flat")
    seawall = shore.difference(corridor).intersection(grid.extent.buffer(-1))
    inland = river.intersection(Polygon([*shore.coords, (3000, -5000), (-3000, -5000)]))
    land_side = grid.extent.difference(sea_side)
    banks = [offset_line(inland, lambda s: top_half(s) + 3.0, side).intersection(land_side)
             for side in (1.0, -1.0)]
    for bank in banks:
        z = np.maximum(z, ridge(distance_to(grid, bank), XCS_BANK_CREST, 5.0, 2.0))
    z = np.maximum(z, ridge(distance_to(grid, seawall), XCS_SEAWALL_CREST, 5.0, 2.5))
    z = fill_depressions(z, epsilon=1e-3 * cell / CELL)

    work = grid.work
    common = {"illustrative": True, "crs_note": "EPSG:4549 metres; heights Wusong datum"}
    centreline = [feature(river.intersection(grid.extent), work, id="xcs_river",
                          name_zh="新川沙河中心线", name_en="Xinchuansha River centreline",
                          kind="centreline", sill_m=XCS_SILL, top_width_m="96-175",
                          note="course invented; sill and top width published", **common)]
    bank_features = [
        feature(bank, work, id=f"xcs_bank_{side}", name_zh=f"新川沙河{zh}岸堤顶线",
                name_en=f"Xinchuansha River {side} bank crest", kind="bank",
                crest_m=XCS_BANK_CREST, dem_represents="crest", **common)
        for bank, side, zh in zip(banks, ("left", "right"), ("左", "右"), strict=True)
    ]
    seawall_features = [
        feature(part, work, id=f"xcs_seawall_{side}", name_zh=f"长江口海塘（{zh}段）",
                name_en=f"Yangtze estuary seawall ({side} of the hub)", kind="seawall",
                crest_m=XCS_SEAWALL_CREST, dem_represents="crest", **common)
        for part, side, zh in zip(_parts_west_to_east(seawall), ("west", "east"), ("西", "东"),
                                  strict=True)
    ]
    return SceneData(
        "xinchuansha", grid, z,
        "synthetic; location of the old Xinchuansha sluice (31.486419N 121.357708E), sill -3.26 m "
        "and channel top width 96-175 m from public sources; everything else invented",
        {"river_centreline.geojson": centreline, "bank_lines.geojson": bank_features,
         "seawall.geojson": seawall_features},
    )


def _parts_west_to_east(geometry: object) -> list[object]:
    parts = list(getattr(geometry, "geoms", [geometry]))
    return sorted(parts, key=lambda part: part.centroid.x)


# ----------------------------------------------------------------------------------------------
# Huangpu: the Bund, Huangpu Park, Suzhou Creek mouth, Lujiazui across the river
# ----------------------------------------------------------------------------------------------

HP_WORK = lonlat_to_map(121.486565, 31.245073)
HP_HALF_WIDTH = 225.0
HP_WALL_OFFSET = HP_HALF_WIDTH + 10.0
HP_WALL_CREST = 6.9
SZC_HALF_WIDTH = 35.0
SZC_WALL_CREST = 5.2
SZC_WALL_OFFSET = SZC_HALF_WIDTH + 10.0


def hp_geometry() -> dict[str, object]:
    """Return the Huangpu and Suzhou Creek centrelines and the flood-wall lines (work-relative)."""
    b = np.array([225.0, 350.0])
    c = b + 500.0 * _unit(58.0)
    d = c + 1500.0 * _unit(20.0)
    huangpu = dense_line([(225.0, -1850.0), tuple(b), tuple(c), tuple(d)])
    bends = chaikin([(-1400, 420), (-1050, 330), (-700, 360), (-420, 250), (-250, 170)])
    creek = dense_line([*map(tuple, bends), (60.0, 170.0)])
    river_zone = huangpu.buffer(HP_WALL_OFFSET, join_style="mitre")
    creek_zone = creek.buffer(SZC_WALL_OFFSET, cap_style="flat")
    walls = {
        side: huangpu.offset_curve(sign * HP_WALL_OFFSET, join_style="mitre").difference(
            creek_zone)
        for side, sign in (("west", 1.0), ("east", -1.0))
    }
    creek_walls = {
        side: creek.offset_curve(sign * SZC_WALL_OFFSET).difference(river_zone)
        for side, sign in (("north", 1.0), ("south", -1.0))
    }
    return {"huangpu": huangpu, "creek": creek, "walls": walls, "creek_walls": creek_walls}


def build_huangpu(cell: float = CELL) -> SceneData:
    """Build the Huangpu (Bund / Huangpu Park) DEM and vectors."""
    rng = np.random.default_rng(19970819)
    grid = Grid.around(HP_WORK, left=640300.0, top=3460700.0, cell=cell)
    geo = hp_geometry()
    huangpu, creek = geo["huangpu"], geo["creek"]
    d_hp, s_hp = distance_and_chainage(grid, huangpu)
    d_cr, s_cr = distance_and_chainage(grid, creek)
    # City ground 3.3-4 m, highest on the riverside promenades (about 4.2 m) and falling gently
    # away from the rivers, so that the land drains to the grid edges, not over the quays.
    near_bank = np.clip(np.minimum(d_hp - HP_HALF_WIDTH, d_cr - SZC_HALF_WIDTH), 0, None)
    land = 3.9 + 0.3 * np.exp(-near_bank / 30.0) - LAND_FALL * near_bank + land_noise(rng, grid)
    # Huangpu bed: thalweg -10 m at the south edge to -11 m downstream, -1 m at the quay toe.
    thalweg = np.interp(s_hp, [0.0, huangpu.length], [-10.0, -11.0])
    section = np.where(
        d_hp <= HP_HALF_WIDTH,
        thalweg + (-1.0 - thalweg) * (d_hp / HP_HALF_WIDTH) ** 2.5,
        -1.0 + 2.0 * (d_hp - HP_HALF_WIDTH),
    )
    creek_bed = np.interp(s_cr, [0.0, creek.length], [-2.0, -2.4])
    creek_section = np.where(
        d_cr <= SZC_HALF_WIDTH - 10,
        creek_bed,
        np.where(d_cr <= SZC_HALF_WIDTH,
                 creek_bed * (SZC_HALF_WIDTH - d_cr) / 10.0,
                 2.0 * (d_cr - SZC_HALF_WIDTH)),
    )
    z = np.minimum(np.minimum(land, section), creek_section)
    z = fill_depressions(z, epsilon=1e-3 * cell / CELL)

    work = grid.work
    common = {"illustrative": True, "crs_note": "EPSG:4549 metres; heights Wusong datum"}
    centrelines = [
        feature(huangpu.intersection(grid.extent), work, id="huangpu_river",
                name_zh="黄浦江中心线", name_en="Huangpu River centreline", kind="centreline",
                width_m=2 * HP_HALF_WIDTH, thalweg_m="-10 to -11",
                note="course simplified; width after public figures, depth illustrative",
                **common),
        feature(creek.intersection(grid.extent), work, id="suzhou_creek",
                name_zh="苏州河中心线", name_en="Suzhou Creek centreline", kind="centreline",
                width_m=2 * SZC_HALF_WIDTH, note="course and section illustrative", **common),
    ]
    names = {"west": ("浦西", "Puxi (Bund) bank"), "east": ("浦东", "Pudong (Lujiazui) bank")}
    walls = []
    for side, geometry in geo["walls"].items():
        for number, part in enumerate(_parts_south_to_north(geometry), start=1):
            zh, en = names[side]
            walls.append(feature(
                part.intersection(grid.extent), work, id=f"hp_wall_{side}_{number}",
                name_zh=f"黄浦江防汛墙（{zh}{number}段）",
                name_en=f"Huangpu flood wall, {en} {number}", kind="flood_wall",
                crest_m=HP_WALL_CREST, dem_represents="ground",
                note="crest 6.9 m published for the Bund wall; line illustrative", **common))
    for side, geometry in geo["creek_walls"].items():
        zh = "北" if side == "north" else "南"
        walls.append(feature(
            geometry.intersection(grid.extent), work, id=f"szc_wall_{side}",
            name_zh=f"苏州河防汛墙（{zh}岸）", name_en=f"Suzhou Creek flood wall ({side} bank)",
            kind="flood_wall", crest_m=SZC_WALL_CREST, dem_represents="ground",
            note="crest 5.2 m published for the Suzhou River secondary wall; line illustrative",
            **common))
    return SceneData(
        "huangpu", grid, z,
        "synthetic; Huangpu Park station location (31.245073N 121.486565E), river width about "
        "450 m and wall crests 6.9 m / 5.2 m after public sources; everything else invented",
        {"river_centrelines.geojson": centrelines, "flood_walls.geojson": walls},
    )


def _parts_south_to_north(geometry: object) -> list[object]:
    parts = list(getattr(geometry, "geoms", [geometry]))
    return sorted(parts, key=lambda part: min(y for _, y in part.coords))


# ----------------------------------------------------------------------------------------------
# Suzhou River West Gate at Anting: Wusong River splits into Yunzaobang and the Suzhou River
# ----------------------------------------------------------------------------------------------

SZW_WORK = lonlat_to_map(121.19, 31.275)
SZW_YUNXI = lonlat_to_map(121.179774, 31.280177)
SZW_FLOW_BEARING = -18.5
SZW_SILL = -1.5
SZW_WALL_CREST = 5.2


def szw_geometry() -> dict[str, object]:
    """Return the centrelines of the Wusong, Suzhou and Yunzaobang reaches (work-relative)."""
    flow = _unit(SZW_FLOW_BEARING)
    yunxi = np.subtract(SZW_YUNXI, SZW_WORK)
    fork = (-1180.0, 380.0)
    wusong = dense_line([(-1600.0, 330.0), (-1400.0, 350.0), fork])
    suzhou = dense_line(chaikin([fork, (-850, 330), (-500, 180), tuple(-200 * flow), (0, 0),
                                 tuple(200 * flow), (600, -140), (1000, -300), (1600, -380)]))
    yunzao = dense_line(chaikin([fork, tuple(yunxi), (-880, 900), (-850, 1250), (-780, 1600)]))
    return {"wusong": wusong, "suzhou": suzhou, "yunzao": yunzao, "flow": flow}


def build_suzhou_west_gate(cell: float = CELL) -> SceneData:
    """Build the Suzhou River West Gate DEM and vectors."""
    rng = np.random.default_rng(20250624)
    grid = Grid.around(SZW_WORK, left=611800.0, top=3463600.0, cell=cell)
    geo = szw_geometry()
    suzhou = geo["suzhou"]
    s_gate = suzhou.project(shapely.Point(0, 0))

    def top_half(s: np.ndarray) -> np.ndarray:
        return np.interp(s - s_gate, [-160, -50, 50, 160], [35.0, 40.0, 40.0, 35.0])

    def bottom_half(s: np.ndarray) -> np.ndarray:
        return np.interp(s - s_gate, [-160, -50, 50, 160], [18.0, 30.0, 30.0, 18.0])

    distances = {}
    for name in ("wusong", "suzhou", "yunzao"):
        distances[name] = distance_and_chainage(grid, geo[name])
    d_any = np.minimum.reduce([d for d, _ in distances.values()])
    # Land 3.2-3.95 m, highest along the rivers and falling gently away from them.
    land = 3.95 - LAND_FALL * d_any + land_noise(rng, grid)
    z = land
    beds = {
        "wusong": lambda s: np.interp(s, [0.0, geo["wusong"].length], [-1.3, -1.4]),
        # About the derived sill (-1.5 m) at the gate, a little lower under its floor slab.
        "suzhou": lambda s: np.interp(s - s_gate, [-2000, -45, -15, 15, 2000],
                                      [-1.4, SZW_SILL, -1.75, -1.8, -1.95]),
        "yunzao": lambda s: np.interp(s, [0.0, geo["yunzao"].length], [-1.4, -1.9]),
    }
    for name, (d, s) in distances.items():
        bed = beds[name](s)
        if name == "suzhou":
            b_half, t_half = bottom_half(s), top_half(s)
            section = bed + (SZW_WALL_CREST - bed) * np.clip((d - b_half) / (t_half - b_half),
                                                              0, None)
        else:  # natural banks: 80 m top width, 1:2.5 slopes up to the land
            section = bed + np.maximum(0.0, d - (40.0 - 2.5 * (3.6 - bed))) / 2.5
        z = np.minimum(z, section)
    # Bank embankments with flood walls, crest 5.2 m, on both banks of the Suzhou River.
    reach = substring(suzhou, 250.0, suzhou.length)
    walls = {side: offset_line(reach, lambda s: top_half(s + 250.0) + 4.0, sign)
             .intersection(grid.extent)
             for side, sign in (("north", 1.0), ("south", -1.0))}
    for wall in walls.values():
        z = np.maximum(z, ridge(distance_to(grid, wall), SZW_WALL_CREST, 5.0, 3.0))
    z = fill_depressions(z, epsilon=1e-3 * cell / CELL)

    work = grid.work
    common = {"illustrative": True, "crs_note": "EPSG:4549 metres; heights Wusong datum"}
    rivers = [
        feature(geo["wusong"].intersection(grid.extent), work, id="wusong_river",
                name_zh="吴淞江中心线", name_en="Wusong River centreline", kind="centreline",
                **common),
        feature(suzhou.intersection(grid.extent), work, id="suzhou_river",
                name_zh="苏州河中心线", name_en="Suzhou River centreline", kind="centreline",
                sill_m=SZW_SILL, note="sill about -1.5 m derived, not published", **common),
        feature(geo["yunzao"].intersection(grid.extent), work, id="yunzaobang",
                name_zh="蕰藻浜中心线", name_en="Yunzaobang centreline", kind="centreline",
                note="fork position illustrative; passes the Yunxi hub (published lon/lat)",
                **common),
    ]
    wall_features = [
        feature(wall, work, id=f"szw_wall_{side}", name_zh=f"苏州河防汛墙（{zh}岸）",
                name_en=f"Suzhou River flood wall ({side} bank)", kind="flood_wall",
                crest_m=SZW_WALL_CREST, dem_represents="crest",
                note="crest raised to 5.2 m (published); embankment section illustrative",
                **common)
        for (side, wall), zh in zip(walls.items(), ("北", "南"), strict=True)
    ]
    return SceneData(
        "suzhou_west_gate", grid, z,
        "synthetic; West Gate at about 31.275N 121.19E (derived), Yunxi hub location, river "
        "width 60-80 m, bank wall crest 5.2 m after public sources; everything else invented",
        {"river_centrelines.geojson": rivers, "flood_walls.geojson": wall_features},
    )


# ----------------------------------------------------------------------------------------------
# Writing
# ----------------------------------------------------------------------------------------------


def write_dem(data: SceneData, folder: Path) -> Path:
    """Write the scene's DEM as a compressed, tiled float32 GeoTIFF."""
    path = folder / "terrain" / "dem.tif"
    path.parent.mkdir(parents=True, exist_ok=True)
    profile = {
        "driver": "GTiff", "width": SIZE, "height": SIZE, "count": 1, "dtype": "float32",
        "crs": CRS, "transform": Affine(CELL, 0.0, data.grid.left, 0.0, -CELL, data.grid.top),
        "nodata": NODATA, "compress": "deflate", "predictor": 3, "zlevel": 9,
        "tiled": True, "blockxsize": 256, "blockysize": 256,
    }
    with rasterio.open(path, "w", **profile) as dataset:
        dataset.write(data.heights.astype(np.float32), 1)
        dataset.update_tags(VERTICAL_DATUM=VERTICAL_DATUM, ILLUSTRATIVE=ILLUSTRATIVE,
                            SOURCE=data.source, UNITS="metre")
        dataset.set_band_description(1, "height (m, Wusong datum)")
        dataset.units = ("metre",)
    return path


def write_vectors(data: SceneData, folder: Path) -> list[Path]:
    """Write the scene's GeoJSON layers with a ``crs`` member naming EPSG:4549."""
    written = []
    target = folder / "vectors"
    target.mkdir(parents=True, exist_ok=True)
    for name, features in data.vectors.items():
        document = {
            "type": "FeatureCollection",
            "name": name.removesuffix(".geojson"),
            "crs": {"type": "name", "properties": {"name": CRS_URN}},
            "features": features,
        }
        path = target / name
        path.write_text(json.dumps(document, ensure_ascii=False, indent=1) + "\n",
                        encoding="utf-8")
        written.append(path)
    return written


BUILDERS: dict[str, Callable[[], SceneData]] = {
    "xinchuansha": build_xinchuansha,
    "huangpu": build_huangpu,
    "suzhou_west_gate": build_suzhou_west_gate,
}


def main() -> None:
    """Build and write every scene's terrain and vector layers."""
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    for name, build in BUILDERS.items():
        logger.info("scene %s", name)
        data = build()
        folder = HERE / name
        dem = write_dem(data, folder)
        vectors = write_vectors(data, folder)
        logger.info("  %s (%d bytes), heights %.2f..%.2f m", dem.relative_to(HERE),
                    dem.stat().st_size, float(data.heights.min()), float(data.heights.max()))
        for path in vectors:
            logger.info("  %s", path.relative_to(HERE))


if __name__ == "__main__":
    main()
