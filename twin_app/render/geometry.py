"""Build the meshes of a scene in its local frame, ready for actors (no OpenGL, thread-safe).

:func:`build_scene_geometry` reads the terrain, vector layers and models a scene refers to and turns
them into PyVista data sets shifted to the scene origin (float64 subtraction before VTK's float32
buffers).  It touches no render window, so it runs in a worker thread while the GUI stays live.
Selectable meshes carry a cell array ``item_index`` into :attr:`LayerGeometry.items`.
"""

from __future__ import annotations

import itertools
import logging
import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pyvista as pv

from twin_app.core.geo import SceneFrame
from twin_app.core.progress import Feedback
from twin_app.core.scene import AssetSpec, SensorKind, turn_about_z
from twin_app.core.scene_loader import SceneDocument
from twin_app.core.workspace import item_id
from twin_app.io.dem import DemRaster, read_dem
from twin_app.io.ifc.model import IfcModel
from twin_app.io.ifc.operations import ElementOperation, read_operations
from twin_app.io.vectors import read_geojson
from twin_app.render.colours import SENSOR_COLOURS, hex_to_rgb8, hypsometric_rgb
from twin_app.render.ifc_layer import ITEM_INDEX, load_ifc_asset
from twin_app.render.water import WATER_STYLE, initial_level, polygon_surface, water_layer_id

logger = logging.getLogger(__name__)

DRIVING_KINDS = (SensorKind.GATE_OPENING, SensorKind.PUMP_STATE)
"""Sensors that move or colour model elements."""



@dataclass
class LayerGeometry:
    """What one layer draws.

    Attributes
    ----------
    layer_id : str
        The :class:`~twin_app.core.workspace.LayerState` id it belongs to.
    mesh : pyvista.DataSet
        The geometry, in the scene's local frame.
    style : dict
        Keyword arguments for ``Plotter.add_mesh`` (or ``add_point_labels`` for labels).
    items : list of str
        Item ids addressed by the ``item_index`` cell array, for picking.
    labels : dict of str to list of str
        Point labels by language (``"zh_CN"``, ``"en"``), for label layers only.
    """

    layer_id: str
    mesh: pv.DataSet
    style: dict[str, Any] = field(default_factory=dict)
    items: list[str] = field(default_factory=list)
    labels: dict[str, list[str]] = field(default_factory=dict)


@dataclass
class SceneGeometry:
    """All the geometry of one scene, in its local frame."""

    document: SceneDocument
    frame: SceneFrame
    layers: list[LayerGeometry]
    dem: DemRaster | None = None
    models: dict[str, IfcModel] = field(default_factory=dict)
    """The IFC models of the scene's IFC assets, by asset id."""
    operations: dict[str, list[ElementOperation]] = field(default_factory=dict)
    """Elements of the IFC models that sensors move or colour (``Twin_Operation``), by asset."""
    schedules: dict[str, Any] = field(default_factory=dict)
    """The IFC models' work schedules (4D), by asset; filled by the app's loader, not here."""

    def layer(self, layer_id: str) -> LayerGeometry:
        """Return the geometry of ``layer_id``."""
        for layer in self.layers:
            if layer.layer_id == layer_id:
                return layer
        raise KeyError(f"no geometry for layer {layer_id!r}")

    def local_bounds(self) -> tuple[float, float, float, float, float, float]:
        """Return the bounds of everything, as ``(xmin, xmax, ymin, ymax, zmin, zmax)``."""
        bounds = np.array([layer.mesh.bounds for layer in self.layers if layer.mesh.n_points])
        if bounds.size == 0:
            return (-100.0, 100.0, -100.0, 100.0, -10.0, 10.0)
        return (
            float(bounds[:, 0].min()), float(bounds[:, 1].max()),
            float(bounds[:, 2].min()), float(bounds[:, 3].max()),
            float(bounds[:, 4].min()), float(bounds[:, 5].max()),
        )


def build_scene_geometry(
    document: SceneDocument, feedback: Feedback | None = None
) -> SceneGeometry:
    """Read what a scene refers to and build its meshes.

    Parameters
    ----------
    document : SceneDocument
        A validated scene.
    feedback : Feedback, optional
        Progress and cancellation; cancelling raises ``OperationCancelledError``.

    Returns
    -------
    SceneGeometry
        The meshes of every layer of :func:`twin_app.core.workspace.default_layers`.
    """
    feedback = feedback or Feedback("scene loading")
    spec = document.spec
    frame = SceneFrame.from_scene(spec)
    layers: list[LayerGeometry] = []
    models: dict[str, IfcModel] = {}
    operations: dict[str, list[ElementOperation]] = {}
    dem: DemRaster | None = None
    steps = 2 + len(spec.assets) + len(spec.layers) + (1 if spec.sensors else 0)
    done = 0

    def advance(message: str) -> None:
        nonlocal done
        done += 1
        feedback.step(done / steps, message)

    feedback.step(0.0, "terrain")
    if spec.terrain is not None:
        dem = read_dem(document.resolve(spec.terrain.file))
        layers.append(LayerGeometry("terrain", terrain_mesh(dem, frame), _terrain_style()))
    advance("water")
    for body in spec.water_bodies:
        style = {**WATER_STYLE, "position": (0.0, 0.0, initial_level(spec, body) - frame.origin[2])}
        layers.append(LayerGeometry(water_layer_id(body.id),
                                    polygon_surface(body.polygon, frame), style))
    if spec.display.water_level is not None and not spec.water_bodies:
        layers.append(_water_layer(spec.display.water_level, dem, frame, layers))
    for asset in spec.assets:
        advance(f"model {asset.id}")
        if asset.kind == "placeholder":
            layers.append(placeholder_asset_layer(asset, frame))
        else:
            mesh, items, model = load_ifc_asset(document, asset, frame)
            models[asset.id] = model
            if any(sensor.kind in DRIVING_KINDS for sensor in spec.sensors):
                operations[asset.id] = read_operations(model.open_ifc())
            layers.append(LayerGeometry(item_id("asset", asset.id), mesh, _ifc_style(), items))
    for vector_layer in spec.layers:
        advance(f"layer {vector_layer.id}")
        features = read_geojson(document.resolve(vector_layer.file), spec.crs.horizontal)
        mesh = vector_mesh(features, frame, dem, vector_layer.height_offset_m)
        style = vector_layer.style
        layers.append(
            LayerGeometry(
                item_id("vectors", vector_layer.id),
                mesh,
                {"color": style.color, "line_width": style.width, "opacity": style.opacity,
                 "render_lines_as_tubes": False, "lighting": False},
            )
        )
    if spec.sensors:
        advance("sensors")
        layers.extend(sensor_layers(document, frame))
    feedback.step(1.0, "done")
    return SceneGeometry(document=document, frame=frame, layers=layers, dem=dem, models=models,
                         operations=operations)


def _ifc_style() -> dict[str, Any]:
    return {"scalars": "rgb", "rgb": True, "smooth_shading": False, "specular": 0.15}


def _terrain_style() -> dict[str, Any]:
    return {"scalars": "rgb", "rgb": True, "smooth_shading": True, "specular": 0.0,
            "ambient": 0.25, "diffuse": 0.8}


def terrain_mesh(dem: DemRaster, frame: SceneFrame) -> pv.StructuredGrid:
    """Return the DEM as a surface in the local frame, coloured by height.

    Parameters
    ----------
    dem : DemRaster
        Heights in the scene datum, in the scene CRS.
    frame : SceneFrame
        The scene's frame (its origin is subtracted in float64).
    """
    x_map, y_map = dem.cell_centres()
    x_local = x_map - frame.origin[0]
    y_local = y_map - frame.origin[1]
    xx, yy = np.meshgrid(x_local, y_local)
    heights = dem.heights.astype(np.float64)
    fill = np.nanmin(heights) if np.isfinite(heights).any() else 0.0
    zz = np.where(np.isnan(heights), fill, heights) - frame.origin[2]
    grid = pv.StructuredGrid(xx, yy, zz)
    grid.point_data["rgb"] = hypsometric_rgb(heights.ravel(order="F").reshape(-1))
    grid.point_data["height"] = heights.ravel(order="F")
    if np.isnan(heights).any():
        grid.hide_points(np.flatnonzero(np.isnan(heights.ravel(order="F"))))
    return grid


def _water_layer(
    level: float, dem: DemRaster | None, frame: SceneFrame, layers: list[LayerGeometry]
) -> LayerGeometry:
    if dem is not None:
        left, bottom, right, top = dem.bounds
        x0, y0 = left - frame.origin[0], bottom - frame.origin[1]
        x1, y1 = right - frame.origin[0], top - frame.origin[1]
    else:
        xmin, xmax, ymin, ymax = (-500.0, 500.0, -500.0, 500.0)
        for layer in layers:
            b = layer.mesh.bounds
            xmin, xmax = min(xmin, b[0]), max(xmax, b[1])
            ymin, ymax = min(ymin, b[2]), max(ymax, b[3])
        x0, x1, y0, y1 = xmin, xmax, ymin, ymax
    z = level - frame.origin[2]
    plane = pv.Plane(
        center=((x0 + x1) / 2, (y0 + y1) / 2, z), direction=(0, 0, 1),
        i_size=x1 - x0, j_size=y1 - y0, i_resolution=1, j_resolution=1,
    )
    return LayerGeometry("water", plane, dict(WATER_STYLE))


def placeholder_asset_layer(asset: AssetSpec, frame: SceneFrame) -> LayerGeometry:
    """Return the boxes of a placeholder asset merged into one mesh, one item per part."""
    assert asset.placement is not None
    placement = asset.placement
    pieces: list[pv.PolyData] = []
    items: list[str] = []
    for index, part in enumerate(asset.parts):
        dx, dy, dz = part.size
        box = pv.Box(bounds=(-dx / 2, dx / 2, -dy / 2, dy / 2, -dz / 2, dz / 2))
        points = turn_about_z(np.asarray(box.points, dtype=np.float64), part.rotation_deg)
        points += np.asarray(part.center, dtype=np.float64)
        box.points = frame.map_to_local(placement.to_map(points))
        box.cell_data[ITEM_INDEX] = np.full(box.n_cells, index, dtype=np.int32)
        box.point_data[ITEM_INDEX] = np.full(box.n_points, index, dtype=np.int32)
        rgb = hex_to_rgb8(part.color)
        box.cell_data["rgb"] = np.tile(rgb, (box.n_cells, 1))
        pieces.append(box)
        items.append(item_id("part", asset.id, part.id))
    merged = pv.merge(pieces, merge_points=False) if len(pieces) > 1 else pieces[0]
    style = {"scalars": "rgb", "rgb": True, "smooth_shading": False, "specular": 0.2,
             "show_edges": False}
    return LayerGeometry(item_id("asset", asset.id), merged, style, items=items)


def vector_mesh(
    features: list, frame: SceneFrame, dem: DemRaster | None, height_offset: float
) -> pv.PolyData:
    """Return lines (and polygon outlines) draped on the terrain, in the local frame."""
    polylines: list[np.ndarray] = []
    for feature in features:
        polylines.extend(_lines_of(feature.geometry))
    points: list[np.ndarray] = []
    cells: list[int] = []
    start = 0
    for line in polylines:
        dense = _densify(line, step=10.0)
        if dem is not None:
            heights = dem.heights_at(dense[:, 0], dense[:, 1])
            heights = np.where(np.isnan(heights), 0.0, heights)
        else:
            heights = np.zeros(len(dense))
        xyz = np.column_stack((dense, heights + height_offset))
        points.append(frame.map_to_local(xyz))
        cells.extend([len(dense), *range(start, start + len(dense))])
        start += len(dense)
    if not points:
        return pv.PolyData()
    return pv.PolyData(np.vstack(points), lines=np.array(cells, dtype=np.int64))


def _lines_of(geometry: Any) -> list[np.ndarray]:
    kind = geometry.geom_type
    if kind == "LineString":
        return [np.asarray(geometry.coords)[:, :2]]
    if kind == "Polygon":
        return [np.asarray(geometry.exterior.coords)[:, :2]]
    if kind.startswith("Multi") or kind == "GeometryCollection":
        return [line for part in geometry.geoms for line in _lines_of(part)]
    return []


def _densify(line: np.ndarray, step: float) -> np.ndarray:
    out = [line[0]]
    for a, b in itertools.pairwise(line):
        n = max(1, math.ceil(float(np.hypot(*(b - a))) / step))
        out.extend(a + (b - a) * t for t in np.linspace(0, 1, n + 1)[1:])
    return np.asarray(out)


def sensor_layers(document: SceneDocument, frame: SceneFrame) -> list[LayerGeometry]:
    """Return the sensor markers (one vertex per sensor, an item each) and their labels.

    Markers are drawn as spheres of a fixed size in pixels, so they stay visible from afar and do
    not hide the structures close up.
    """
    sensors = document.spec.sensors
    positions = frame.map_to_local([sensor.position for sensor in sensors])
    markers = pv.PolyData(positions)  # one vertex cell per point, in sensor order
    markers.cell_data[ITEM_INDEX] = np.arange(len(sensors), dtype=np.int32)
    markers.cell_data["rgb"] = hex_to_rgb8(
        [SENSOR_COLOURS.get(s.kind.value, "#ffffff") for s in sensors])
    items = [item_id("sensor", sensor.id) for sensor in sensors]
    style = {"scalars": "rgb", "rgb": True, "style": "points", "point_size": 14,
             "render_points_as_spheres": True}
    labels = {
        language: [f"{sensor.id} {sensor.name.text(language)}" for sensor in sensors]
        for language in ("zh_CN", "en")
    }
    label_points = pv.PolyData(positions + np.array([0.0, 0.0, 3.0]))
    return [
        LayerGeometry("sensors", markers, style, items=items),
        LayerGeometry("labels", label_points, {}, labels=labels),
    ]
