"""Triangular meshes of a section, built with Shewchuk's Triangle (the ``triangle`` package).

All polygon outlines, sheet piles and boundary polylines are noded together (shapely) and
triangulated as one planar straight-line graph, so layer interfaces are element edges. Walls are
meshed and then removed (they are impermeable); sheet piles become slits: nodes along a pile are
duplicated so that elements on either side do not share them and no water passes.
"""

from __future__ import annotations

import logging
import math
from dataclasses import dataclass
from itertools import pairwise

import numpy as np
import shapely
import triangle
from shapely.geometry import LineString, MultiLineString

from twin_seepage.errors import MeshError
from twin_seepage.sections import Boundary, Section

log = logging.getLogger(__name__)

#: Edge kinds in :attr:`SectionMesh.edge_kind`.
EDGE_OTHER, EDGE_RIVER, EDGE_LAND = 0, 1, 2
#: Grid (m) the linework is noded on: a vertex of one line lying within floating-point error of
#: another line (as edited sections give) becomes a node of both, instead of leaving two
#: near-collinear segments that Triangle cannot mesh.
NODING_GRID = 1e-9


@dataclass(frozen=True)
class SectionMesh:
    """A P1 triangle mesh of the flow domain.

    Attributes
    ----------
    nodes : ndarray (n, 2)
        Node coordinates (x, z).
    triangles : ndarray (m, 3)
        Node indices of each element, counter-clockwise.
    layer : ndarray (m,)
        Index into ``section.layers`` of each element.
    edges : ndarray (k, 2)
        Boundary edges (node pairs), including both faces of every sheet-pile slit.
    edge_kind : ndarray (k,)
        :data:`EDGE_RIVER`, :data:`EDGE_LAND` or :data:`EDGE_OTHER` (no flow).
    """

    nodes: np.ndarray
    triangles: np.ndarray
    layer: np.ndarray
    edges: np.ndarray
    edge_kind: np.ndarray

    @property
    def n_nodes(self) -> int:
        """Return the number of nodes."""
        return int(self.nodes.shape[0])

    def boundary_nodes(self, kind: int) -> np.ndarray:
        """Return the sorted nodes on edges of one kind."""
        return np.unique(self.edges[self.edge_kind == kind])


def _linework(section: Section) -> MultiLineString:
    lines = []
    for layer in section.layers:
        lines.append(LineString([*layer.polygon, layer.polygon[0]]))
    for wall in section.walls:
        lines.append(LineString([*wall.polygon, wall.polygon[0]]))
    lines += [LineString(pile.points) for pile in section.sheet_piles]
    lines += [LineString(b.points) for b in (section.river, section.land)]
    noded = shapely.union_all(lines, grid_size=NODING_GRID)  # snap-rounded: robust noding
    if noded.geom_type == "LineString":
        noded = MultiLineString([noded])
    return noded


def _pslg(section: Section) -> tuple[np.ndarray, np.ndarray]:
    noded = _linework(section)
    vertices: dict[tuple[float, float], int] = {}
    segments = []
    for line in noded.geoms:
        coords = np.round(np.asarray(line.coords), 9)
        ids = []
        for x, z in coords:
            key = (float(x), float(z))
            ids.append(vertices.setdefault(key, len(vertices)))
        segments += [(a, b) for a, b in pairwise(ids) if a != b]
    points = np.array(list(vertices), dtype=np.float64)
    return points, np.unique(np.sort(np.array(segments), axis=1), axis=0)


def _size_field(section: Section, size: float, fine: float) -> list[tuple[np.ndarray, float]]:
    """Return (point, size) pairs where the mesh is refined: pile tips and wall corners."""
    spots = []
    for pile in section.sheet_piles:
        spots += [(np.asarray(pile.points[0]), fine), (np.asarray(pile.points[-1]), fine)]
    for wall in section.walls:
        spots += [(np.asarray(p), fine) for p in wall.polygon]
    return [(p, s) for p, s in spots if s < size]


def build_mesh(section: Section, size: float, refine: float = 0.1, grading: float = 0.15,
               min_angle: float = 30.0) -> SectionMesh:
    """Mesh a validated section.

    Parameters
    ----------
    section : Section
        The section (call :meth:`Section.validate` first).
    size : float
        Target element edge length (m) away from singular points.
    refine : float
        Element size at sheet-pile ends and wall corners, as a fraction of ``size``.
    grading : float
        How fast the size grows away from a refined point (size per metre of distance).
    min_angle : float
        Minimum triangle angle (degrees) passed to Triangle's quality switch.

    Returns
    -------
    SectionMesh
    """
    points, segments = _pslg(section)
    regions = []
    for index, polygon in enumerate(section.layer_polygons()):
        p = polygon.representative_point()
        regions.append([p.x, p.y, index, 0.0])
    for wall in section.walls:
        p = shapely.Polygon(wall.polygon).representative_point()
        regions.append([p.x, p.y, -1, 0.0])
    data = {"vertices": points, "segments": segments, "regions": np.array(regions)}
    area = size * size * math.sqrt(3.0) / 4.0
    try:
        mesh = triangle.triangulate(data, f"pq{min_angle:g}Aa{area:.12g}")
        spots = _size_field(section, size, refine * size)
        for _ in range(12 if spots else 0):
            centroids = mesh["vertices"][mesh["triangles"]].mean(axis=1)
            local = np.full(len(centroids), size)
            for point, fine in spots:
                distance = np.hypot(*(centroids - point).T)
                local = np.minimum(local, fine + grading * distance)
            limit = local**2 * math.sqrt(3.0) / 4.0
            areas = _areas(mesh["vertices"], mesh["triangles"])
            if np.all(areas <= 1.05 * limit):
                break
            mesh["triangle_max_area"] = np.where(areas > limit, limit, -1.0)[:, None]
            mesh = triangle.triangulate(mesh, f"rpq{min_angle:g}Aa")
    except RuntimeError as exc:  # pragma: no cover - Triangle reports bad input this way
        raise MeshError(f"Triangle failed on section {section.name!r}: {exc}") from exc
    nodes = np.asarray(mesh["vertices"], dtype=np.float64)
    tris = np.asarray(mesh["triangles"], dtype=np.int64)
    layer = np.rint(mesh["triangle_attributes"][:, 0]).astype(np.int64)
    keep = layer >= 0
    tris, layer = tris[keep], layer[keep]
    nodes, tris = _split_piles(section, nodes, tris)
    used = np.unique(tris)
    renumber = np.full(nodes.shape[0], -1, dtype=np.int64)
    renumber[used] = np.arange(used.size)
    nodes, tris = nodes[used], renumber[tris]
    flip = _areas(nodes, tris, signed=True) < 0
    tris[flip] = tris[flip][:, [0, 2, 1]]
    edges = _boundary_edges(tris)
    kind = np.full(edges.shape[0], EDGE_OTHER, dtype=np.int64)
    kind[_on_polyline(nodes, edges, section.river)] = EDGE_RIVER
    kind[_on_polyline(nodes, edges, section.land)] = EDGE_LAND
    log.debug("meshed %s: %d nodes, %d elements", section.name, nodes.shape[0], tris.shape[0])
    return SectionMesh(nodes, tris, layer, edges, kind)


def _areas(nodes: np.ndarray, tris: np.ndarray, signed: bool = False) -> np.ndarray:
    a, b, c = nodes[tris[:, 0]], nodes[tris[:, 1]], nodes[tris[:, 2]]
    area = 0.5 * ((b[:, 0] - a[:, 0]) * (c[:, 1] - a[:, 1])
                  - (c[:, 0] - a[:, 0]) * (b[:, 1] - a[:, 1]))
    return area if signed else np.abs(area)


def _boundary_edges(tris: np.ndarray) -> np.ndarray:
    edges = np.sort(np.concatenate([tris[:, [0, 1]], tris[:, [1, 2]], tris[:, [2, 0]]]), axis=1)
    unique, counts = np.unique(edges, axis=0, return_counts=True)
    return unique[counts == 1]


def _segment_distance(points: np.ndarray, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    ab = b - a
    t = np.clip(((points - a) @ ab) / max(float(ab @ ab), 1e-300), 0.0, 1.0)
    return np.hypot(*(points - (a + t[:, None] * ab)).T)


def _polyline_distance(points: np.ndarray, polyline: np.ndarray) -> np.ndarray:
    distance = np.full(points.shape[0], np.inf)
    for a, b in pairwise(polyline):
        distance = np.minimum(distance, _segment_distance(points, a, b))
    return distance


def _on_polyline(nodes: np.ndarray, edges: np.ndarray, boundary: Boundary) -> np.ndarray:
    line = np.asarray(boundary.points)
    scale = 1e-7 * max(1.0, float(np.ptp(nodes, axis=0).max()))
    ends = (_polyline_distance(nodes[edges[:, 0]], line) < scale) & (
        _polyline_distance(nodes[edges[:, 1]], line) < scale)
    middle = _polyline_distance(nodes[edges].mean(axis=1), line) < scale
    return ends & middle


def _split_piles(section: Section, nodes: np.ndarray, tris: np.ndarray
                 ) -> tuple[np.ndarray, np.ndarray]:
    """Duplicate the nodes along each sheet pile so that the pile is a slit (no flow across)."""
    if not section.sheet_piles:
        return nodes, tris
    outline = section.flow_domain().boundary
    scale = 1e-7 * max(1.0, float(np.ptp(nodes, axis=0).max()))
    for pile in section.sheet_piles:
        line = np.asarray(pile.points)
        on = _polyline_distance(nodes, line) < scale
        tip = np.hypot(*(nodes - line[-1]).T) < scale
        if outline.distance(shapely.Point(line[-1])) > scale:
            on &= ~tip  # a tip inside the soil stays shared: water flows round it
        slit = np.flatnonzero(on)
        if slit.size == 0:
            continue
        touching = np.flatnonzero(np.isin(tris, slit).any(axis=1))
        centroids = nodes[tris[touching]].mean(axis=1)
        side = _side(centroids, line)
        new_index = {int(old): nodes.shape[0] + i for i, old in enumerate(slit)}
        nodes = np.vstack([nodes, nodes[slit]])
        for element in touching[side > 0]:
            tris[element] = [new_index.get(int(n), int(n)) for n in tris[element]]
    return nodes, tris


def _side(points: np.ndarray, line: np.ndarray) -> np.ndarray:
    """Return +1/-1: which side of the polyline (nearest segment) each point lies on."""
    best = np.full(points.shape[0], np.inf)
    sign = np.zeros(points.shape[0])
    for a, b in pairwise(line):
        distance = _segment_distance(points, a, b)
        d = b - a
        cross = d[0] * (points[:, 1] - a[1]) - d[1] * (points[:, 0] - a[0])
        closer = distance < best
        best[closer] = distance[closer]
        sign[closer] = np.sign(cross[closer])
    return sign
