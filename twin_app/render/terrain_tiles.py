"""Tiled terrain with levels of detail, loaded in the background as the camera moves.

:class:`TileSelector` picks the quadtree tiles of a :class:`~twin_app.io.dem_tiles.DemTileSource`
to draw from a camera by screen-space error: a tile is split while its mesh cell, seen from the
camera, spans more than ``pixel_error`` pixels, and tiles outside the view frustum are dropped.
:class:`TerrainTileLayer` keeps the actors of the selected tiles in a plotter: missing tiles are
read and meshed by a thread pool (no OpenGL there), and finished meshes become actors on the
calling (GUI) thread in :meth:`TerrainTileLayer.poll`.  Until a tile arrives its nearest loaded
ancestor stands in.  No Qt here: a Qt view calls :meth:`~TerrainTileLayer.update` and
:meth:`~TerrainTileLayer.poll` from a timer.
"""

from __future__ import annotations

import heapq
import logging
import math
from collections import OrderedDict
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pyvista as pv
import shapely
from affine import Affine
from numpy.typing import NDArray

from twin_app.core.errors import AssetLoadError
from twin_app.core.footprints import Footprint
from twin_app.core.geo import SceneFrame
from twin_app.io.dem import DemRaster
from twin_app.io.dem_tiles import DemTileSource, TileData, TileKey
from twin_app.io.dem_warp import read_image_on
from twin_app.render.terrain_colours import image_colours, shaded_colours
from twin_app.render.terrain_mesh import Overlay, TileArrays, tile_arrays

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class CameraState:
    """What tile selection needs of a camera, in the scene's local frame (z exaggerated).

    Attributes
    ----------
    position : tuple of float
        The eye.
    view_angle_deg : float
        The vertical field of view.
    viewport_height : int
        The view's height in pixels.
    planes : ndarray, shape (6, 4), optional
        Frustum planes ``a x + b y + c z + d >= 0`` inside (VTK's ``GetFrustumPlanes``).
    z_scale : float
        The vertical exaggeration the actors are drawn with.
    """

    position: tuple[float, float, float]
    view_angle_deg: float
    viewport_height: int
    planes: NDArray[np.float64] | None = None
    z_scale: float = 1.0

    @classmethod
    def from_plotter(cls, plotter: Any) -> CameraState:
        """Read the active camera of a PyVista plotter."""
        renderer = plotter.renderer
        camera = renderer.GetActiveCamera()
        width, height = renderer.GetSize()
        planes = [0.0] * 24
        camera.GetFrustumPlanes(width / max(height, 1), planes)
        scale = getattr(renderer, "scale", (1.0, 1.0, 1.0))
        return cls(tuple(camera.GetPosition()), camera.GetViewAngle(), max(height, 1),
                   np.asarray(planes, dtype=np.float64).reshape(6, 4), float(scale[2]))


class TileSelector:
    """Choose the tiles to draw for a camera by screen-space error.

    Parameters
    ----------
    source : DemTileSource
        The tiles.
    frame : SceneFrame
        The scene frame (tile bounds are map coordinates; the camera is local).
    pixel_error : float
        Split a tile while its mesh cell spans more than this many pixels on screen.
    z_range : tuple of float
        Lowest and highest height of the DEM (scene datum), for the tiles' boxes.
    triangle_budget : int
        Stop splitting when the selected tiles would hold more triangles than this (llvmpipe
        draws about 0.5 M triangles in 340 ms at 1920x1080; a GPU can take far more).
    """

    def __init__(self, source: DemTileSource, frame: SceneFrame, pixel_error: float = 8.0,
                 z_range: tuple[float, float] = (-15.0, 15.0),
                 triangle_budget: int = 400_000) -> None:
        self.source = source
        self.triangle_budget = triangle_budget
        self.frame = frame
        self.pixel_error = pixel_error
        self.z_range = z_range

    def tile_box(self, key: TileKey, z_scale: float = 1.0) -> NDArray[np.float64]:
        """Return a tile's box ``[[xmin, ymin, zmin], [xmax, ymax, zmax]]`` in the local frame."""
        left, bottom, right, top = self.source.tile_bounds(key)
        ox, oy, oz = self.frame.origin
        low, high = self.z_range
        return np.array([[left - ox, bottom - oy, (low - oz) * z_scale],
                         [right - ox, top - oy, (high - oz) * z_scale]])

    def screen_error(self, key: TileKey, camera: CameraState) -> float:
        """Return the pixels one mesh cell of ``key`` spans at its nearest point to the eye."""
        box = self.tile_box(key, camera.z_scale)
        eye = np.asarray(camera.position)
        distance = float(np.linalg.norm(np.clip(eye, box[0], box[1]) - eye))
        distance = max(distance, 1e-3)
        per_pixel = 2.0 * distance * math.tan(math.radians(camera.view_angle_deg) / 2.0)
        return self.source.geometric_error(key.level) * camera.viewport_height / per_pixel

    def visible(self, key: TileKey, camera: CameraState) -> bool:
        """Return whether a tile's box meets the view frustum (always when no planes)."""
        if camera.planes is None:
            return True
        box = self.tile_box(key, camera.z_scale)
        corners = np.array([[box[i][0], box[j][1], box[k][2]]
                            for i in (0, 1) for j in (0, 1) for k in (0, 1)])
        # The four side planes only: the near and far planes follow the clipping range, which
        # the renderer resets from what is already drawn (not yet the tiles).
        sides = camera.planes[:4]
        values = corners @ sides[:, :3].T + sides[:, 3]
        return not (values < 0).all(axis=0).any()

    def select(self, camera: CameraState, limit: int | None = None) -> list[TileKey]:
        """Return the tiles to draw, coarse where far, fine near the eye.

        Tiles are split worst-first (largest screen-space error), so when the budget (``limit``
        tiles, by default :attr:`triangle_budget` worth) stops the refinement, the detail goes
        where it shows most.
        """
        if limit is None:
            limit = max(4, self.triangle_budget // (2 * self.source.tile_cells**2))
        root = TileKey(0, 0, 0)
        heap: list[tuple[float, TileKey]] = [(-self.screen_error(root, camera), root)]
        chosen: list[TileKey] = []
        while heap:
            negative_error, key = heapq.heappop(heap)
            children = []
            if key.level < self.source.max_level and -negative_error > self.pixel_error:
                children = [child for child in key.children() if self.source.exists(child)
                            and self.visible(child, camera)]
            if children and len(chosen) + len(heap) + len(children) <= limit:
                for child in children:
                    heapq.heappush(heap, (-self.screen_error(child, camera), child))
            else:
                chosen.append(key)
        return sorted(chosen)


@dataclass
class _Slot:
    future: Future[TileArrays] | None = None
    actor: Any = None
    cells: int = 0
    mesh: pv.PolyData | None = None


@dataclass
class TerrainTileLayer:
    """The actors of a tiled DEM in one plotter, kept in step with its camera.

    Parameters
    ----------
    plotter : pyvista.BasePlotter
        Where to draw (call :meth:`update` and :meth:`poll` on its thread).
    source : DemTileSource
        The DEM.
    frame : SceneFrame
        The scene frame.
    footprints : sequence of Footprint
        Structures to flatten the terrain under.
    executor : ThreadPoolExecutor, optional
        Shared worker pool; the layer makes (and later shuts down) its own when omitted.
    pixel_error : float
        Screen-space error threshold in pixels.
    hole : tuple of float, optional
        Map bounds left out (a finer DEM is drawn there).
    z_shift : float
        Added to drawn heights.
    overlays : sequence of Overlay
        Polygon layers tinted onto the terrain.
    imagery : Path, optional
        An orthophoto (RGB GeoTIFF, any CRS) draped on the tiles; hillshaded height tints
        where it has no data.
    name : str
        Prefix of the actor names.
    """

    plotter: Any
    source: DemTileSource
    frame: SceneFrame
    footprints: Sequence[Footprint] = ()
    executor: ThreadPoolExecutor | None = None
    pixel_error: float = 8.0
    triangle_budget: int = 400_000
    hole: tuple[float, float, float, float] | None = None
    z_shift: float = 0.0
    overlays: Sequence[Overlay] = ()
    imagery: Path | None = None
    name: str = "terrain"
    cache_size: int = 600
    style: dict[str, Any] = field(default_factory=lambda: {
        "scalars": "rgb", "rgb": True, "smooth_shading": False, "ambient": 0.3,
        "diffuse": 0.75, "specular": 0.0})
    visible: bool = True

    def __post_init__(self) -> None:
        self._own_executor = self.executor is None
        if self.executor is None:
            self.executor = ThreadPoolExecutor(max_workers=2, thread_name_prefix="dem-tiles")
        self._slots: OrderedDict[TileKey, _Slot] = OrderedDict()
        self.wanted: list[TileKey] = []
        self._camera_key: tuple[Any, ...] | None = None
        self.shown: set[TileKey] = set()
        low_res = self.source.read_tile(TileKey(0, 0, 0)).heights
        finite = low_res[np.isfinite(low_res)]
        low, high = (float(finite.min()), float(finite.max())) if finite.size else (0.0, 0.0)
        self.selector = TileSelector(self.source, self.frame, self.pixel_error,
                                     (low - 2.0, high + 2.0), self.triangle_budget)

    def _build(self, key: TileKey) -> TileArrays:
        tile = self.source.read_tile(key)
        left, bottom, right, top = self.source.tile_bounds(key)
        near = [fp for fp in self.footprints if fp.polygon.intersects(
            _box(left, bottom, right, top))]
        full = self.source.bounds
        sides = (top < full[3], bottom > full[1], left > full[0], right < full[2])
        skirt = 1.0 + 0.25 * self.source.geometric_error(key.level)
        colour = None
        if self.imagery is not None:
            colour = _image_colour(self.imagery, tile, self.source.scene_crs)
        return tile_arrays(tile, self.frame, near, hole=self.hole, z_shift=self.z_shift,
                         skirt=skirt, skirt_sides=sides, colour=colour, overlays=[
                             overlay for overlay in self.overlays
                             if overlay.geometry.intersects(_box(left, bottom, right, top))])

    def update(self, camera: CameraState | None = None) -> int:
        """Select tiles for the camera and queue the missing ones; return how many are loading."""
        camera = camera or CameraState.from_plotter(self.plotter)
        key = _camera_key(camera)
        if key != self._camera_key:  # the selection only changes when the camera does
            self._camera_key = key
            self.wanted = self.selector.select(camera)
        assert self.executor is not None
        for key in self.wanted:
            slot = self._slots.get(key)
            if slot is None:
                slot = _Slot(future=self.executor.submit(self._build, key))
                self._slots[key] = slot
            self._slots.move_to_end(key)
        return sum(1 for s in self._slots.values() if s.future is not None and s.actor is None)

    def poll(self) -> bool:
        """Turn finished meshes into actors and show the selected tiles; return if it changed."""
        for key, slot in list(self._slots.items()):
            if slot.actor is None and slot.future is not None and slot.future.done():
                error = slot.future.exception()
                if error is not None:
                    logger.warning("terrain tile %s failed: %s", key, error)
                    slot.future = None
                    continue
                mesh = slot.future.result().to_polydata()
                slot.cells, slot.mesh = mesh.n_cells, mesh
                slot.actor = self._add_actor(key, mesh)
        show: set[TileKey] = set()
        for key in self.wanted:
            stand_in: TileKey | None = key
            while stand_in is not None and self._slots.get(stand_in, _Slot()).actor is None:
                stand_in = stand_in.parent()
            if stand_in is not None:
                show.add(stand_in)
        changed = show != self.shown
        for key, slot in self._slots.items():
            if slot.actor is not None:
                slot.actor.SetVisibility(self.visible and key in show)
        self.shown = show
        self._evict()
        return changed

    def _add_actor(self, key: TileKey, mesh: pv.PolyData) -> Any:
        actor = self.plotter.add_mesh(mesh, name=f"{self.name}:{key.level}:{key.col}:{key.row}",
                                      reset_camera=False, render=False, pickable=True,
                                      **self.style)
        scale = getattr(self.plotter.renderer, "scale", (1.0, 1.0, 1.0))
        actor.SetScale(*scale)
        return actor

    def _evict(self) -> None:
        while len(self._slots) > self.cache_size:
            key, slot = next(iter(self._slots.items()))
            if key in self.shown or key in self.wanted:
                break
            self._slots.popitem(last=False)
            if slot.actor is not None:
                self.plotter.remove_actor(slot.actor, render=False)

    def wait(self, timeout: float = 60.0) -> None:
        """Load every selected tile now (for off-screen renders, tests and benchmarks)."""
        for key in self.wanted:
            slot = self._slots[key]
            if slot.future is not None:
                slot.future.exception(timeout=timeout)
        self.poll()

    def refresh(self, timeout: float = 60.0) -> None:
        """Select for the current camera, load, and show (blocking)."""
        self.update()
        self.wait(timeout)

    def set_visible(self, visible: bool) -> None:
        """Show or hide the whole layer."""
        self.visible = visible
        self.poll()

    def shown_meshes(self) -> list[pv.PolyData]:
        """Return the meshes of the tiles shown now."""
        return [mesh for key in sorted(self.shown)
                if (mesh := self._slots[key].mesh) is not None]

    def triangle_count(self) -> int:
        """Return the triangles drawn (quads count twice)."""
        return sum(2 * self._slots[key].cells for key in self.shown)

    def close(self) -> None:
        """Remove the actors and stop the layer's own worker pool."""
        for slot in self._slots.values():
            if slot.future is not None:
                slot.future.cancel()
            if slot.actor is not None:
                self.plotter.remove_actor(slot.actor, render=False)
        self._slots.clear()
        if self._own_executor and self.executor is not None:
            self.executor.shutdown(wait=True, cancel_futures=True)


def _image_colour(path: Path, tile: TileData, crs: str
                  ) -> Callable[[NDArray[np.float32], float], NDArray[np.uint8]]:
    """Return a colour function draping an orthophoto on a tile (shaded tints where none)."""
    t = tile.transform
    corner = Affine(t.a, 0.0, t.c - t.a / 2, 0.0, t.e, t.f - t.e / 2)  # nodes -> cell corners
    grid = DemRaster(tile.heights, corner, crs, path)

    def colour(heights: NDArray[np.float32], cell: float) -> NDArray[np.uint8]:
        try:
            rgba = read_image_on(path, grid)
        except AssetLoadError as error:
            logger.debug("no imagery on tile %s: %s", tile.key, error)
            return shaded_colours(heights, cell)
        return image_colours(rgba, heights, cell)

    return colour


def _box(left: float, bottom: float, right: float, top: float) -> Any:
    return shapely.box(left, bottom, right, top)


def _camera_key(camera: CameraState) -> tuple[Any, ...]:
    """Return what tile selection depends on, comparable between polls."""
    planes = None if camera.planes is None else np.asarray(camera.planes).tobytes()
    return (tuple(camera.position), camera.view_angle_deg, camera.viewport_height, planes,
            camera.z_scale)
