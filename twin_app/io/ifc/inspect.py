"""What an IFC file holds and how it loads: the report of ``twin-app bim inspect`` (no Qt, no VTK).

:func:`inspect_ifc` loads the file twice through the real pipeline (:func:`load_ifc_model`):

- cold: into an empty, temporary cache folder, so nothing cached is read and the load does what a
  first open does (hash the file, tessellate in the child process, write the cache entry);
- warm: again from that folder, i.e. from the entry the cold load wrote (a second open).

The user's own cache is neither read nor written. With ``use_cache=False`` only the cold load runs
(no cache at all) and the warm time is None.

The report is a plain dict with the same keys for every file (values None where they do not
apply); ``twin_app.cli.bim.format_report`` turns it into readable text. Errors are those of
:func:`load_ifc_model` (:class:`IfcReadError` for a missing, truncated or garbled file,
:class:`UnsupportedSchemaError` naming the schema and the documented header upgrade).
"""

from __future__ import annotations

import logging
import math
import tempfile
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from twin_app.io.ifc.model import IfcModel
from twin_app.io.ifc.tessellate import load_ifc_model

logger = logging.getLogger(__name__)

REPORT_VERSION = 1
"""Bump when a key of the report changes meaning or goes away."""

_GEOREF_KEYS = ("source", "crs", "crs_name", "eastings", "northings", "orthogonal_height",
                "rotation_deg", "x_axis_abscissa", "x_axis_ordinate", "scale", "scale_given",
                "applied_scale", "project_unit_m", "map_unit_m", "geodetic_datum",
                "vertical_datum")

Points = NDArray[np.float64]

FAR_FROM_SCENE_M = 50_000.0
"""A model whose centre is further than this from the scene origin is flagged."""


def inspect_ifc(path: str | Path, *, scene: str | None = None, use_cache: bool = True,
                timeout_s: float = 600, element_timeout_s: float = 60) -> dict[str, Any]:
    """Load an IFC file cold and warm and describe it.

    Parameters
    ----------
    path : str or Path
        The IFC file.
    scene : str, optional
        A scene name or folder; the bounding box is then given in that scene's CRS and relative to
        its origin. Without it, the box is in the model's own map CRS, or in local (engineering)
        coordinates when the model is not georeferenced.
    use_cache : bool
        Measure the warm load from the cache the cold load writes (in a temporary folder). False:
        cold load only, with no cache.
    timeout_s, element_timeout_s : float
        Time-outs of the whole file and of one element (see :func:`load_ifc_model`).

    Returns
    -------
    dict
        Keys ``report_version``, ``file``, ``size_bytes``, ``schema``, ``authoring``, ``counts``,
        ``georeference``, ``bounding_box``, ``skipped``, ``warnings``, ``timings``.

    Raises
    ------
    IfcReadError, UnsupportedSchemaError, IfcTimeoutError, IfcWorkerError
        When the file cannot be read (see :func:`load_ifc_model`).
    SceneNotFoundError, SceneFileError
        When ``scene`` does not name a valid scene.
    """
    path = Path(path)
    frame = _scene_frame(scene) if scene is not None else None
    options = {"timeout_s": timeout_s, "element_timeout_s": element_timeout_s}
    warm = None
    if use_cache:
        with tempfile.TemporaryDirectory(prefix="twin-app-inspect-") as folder:
            model = load_ifc_model(path, cache_dir=Path(folder), **options)
            warm = load_ifc_model(path, cache_dir=Path(folder), **options)
            if not warm.timings.from_cache:
                logger.info("%s: the cold load was not cached (an element timed out)", path)
                warm = None
    else:
        model = load_ifc_model(path, use_cache=False, **options)
    return describe_model(model, warm=warm, frame=frame)


def describe_model(model: IfcModel, *, warm: IfcModel | None = None,
                   frame: tuple[str, Any, Any] | None = None) -> dict[str, Any]:
    """Return the report of a loaded model (see :func:`inspect_ifc`).

    Parameters
    ----------
    model : IfcModel
        The model from the cold load.
    warm : IfcModel, optional
        The same file loaded from the cache (gives the warm time).
    frame : tuple, optional
        ``(scene id, SceneFrame, SceneDocument)`` for the scene's CRS and origin.

    Returns
    -------
    dict
        The report.
    """
    header = model.header
    return {
        "report_version": REPORT_VERSION,
        "file": str(model.path),
        "size_bytes": header.file_size,
        "schema": model.schema,
        "authoring": {
            "tool": header.authoring_tool or None,
            "originating_system": header.originating_system or None,
            "preprocessor_version": header.preprocessor_version or None,
            "time_stamp": header.time_stamp or None,
            "applications": _applications(model),
        },
        "counts": _counts(model),
        "georeference": _georeference(model),
        "bounding_box": _bounding_box(model, frame),
        "skipped": [{"global_id": s.global_id, "ifc_class": s.ifc_class, "name": s.name,
                     "reason": s.reason} for s in model.skipped],
        "warnings": list(model.warnings),
        "timings": _timings(model, warm),
    }


def _scene_frame(scene: str) -> tuple[str, Any, Any]:
    from twin_app.core.geo import SceneFrame
    from twin_app.core.scene_loader import load_scene

    document = load_scene(scene)
    return document.spec.id, SceneFrame.from_scene(document.spec), document


def _applications(model: IfcModel) -> list[dict[str, str | None]]:
    """IfcApplication entries (the authoring tools the owner histories name)."""
    try:
        applications = model.open_ifc().by_type("IfcApplication")
    except RuntimeError as exc:  # e.g. a file loaded with accept_errors
        logger.info("%s: no IfcApplication read (%s)", model.path, exc)
        return []
    found: list[dict[str, str | None]] = []
    for app in applications:
        developer = getattr(app.ApplicationDeveloper, "Name", None)
        entry = {"name": app.ApplicationFullName, "version": app.Version,
                 "identifier": app.ApplicationIdentifier, "developer": developer}
        if entry not in found:
            found.append(entry)
    return found


def _counts(model: IfcModel) -> dict[str, Any]:
    counts = model.counts()
    spatial = Counter(e.ifc_class for e in model.elements if e.spatial)
    return {"elements": counts.elements, "by_class": counts.elements_by_class,
            "spatial_by_class": dict(spatial.most_common()), "shapes": counts.shapes,
            "unique_representations": counts.unique_meshes, "triangles": counts.triangles,
            "unique_triangles": counts.unique_triangles, "skipped": counts.skipped,
            "without_geometry": counts.without_geometry}


def _georeference(model: IfcModel) -> dict[str, Any]:
    georef = model.georeference
    if georef is None:
        return {"found": False, **dict.fromkeys(_GEOREF_KEYS), "warnings": []}
    data = georef.to_dict()
    return {"found": True, **{key: data[key] for key in _GEOREF_KEYS},
            "warnings": list(georef.warnings)}


def _timings(model: IfcModel, warm: IfcModel | None) -> dict[str, Any]:
    cold_s = model.timings.cold_s
    warm_s = warm.timings.warm_s if warm is not None else None
    return {"cold_s": cold_s, "warm_s": warm_s,
            "warm_speedup": cold_s / warm_s if cold_s and warm_s else None,
            "worker_start_s": model.timings.worker_start_s, "parse_s": model.timings.parse_s,
            "tessellate_s": model.timings.tessellate_s, "restarts": model.timings.restarts,
            "worker_peak_rss_mb": model.timings.worker_peak_rss_mb,
            "cache": "temporary folder" if warm is not None else "not used"}


def transformed_bounds(model: IfcModel, transform: Callable[[Points], Points]
                       ) -> tuple[Points, Points] | None:
    """Return the min and max corner of every model vertex after ``transform``, None if empty.

    Parameters
    ----------
    model : IfcModel
        The model.
    transform : callable
        Maps model-space points (n, 3), metres, to the target coordinates (n, 3).

    Returns
    -------
    tuple of ndarray or None
        ``(low, high)``, float64. Every vertex is transformed (a rotation or a reprojection does
        not keep boxes), one unique mesh at a time with all its instances.
    """
    lows, highs = [], []
    for index, mesh in enumerate(model.meshes):
        matrices = model.instances.matrix[model.instances.mesh == index]
        if not len(mesh.vertices) or not len(matrices):
            continue
        world = np.einsum("kij,nj->kni", matrices[:, :3, :3], mesh.vertices)
        world += matrices[:, None, :3, 3]
        mapped = transform(world.reshape(-1, 3))
        lows.append(mapped.min(axis=0))
        highs.append(mapped.max(axis=0))
    if not lows:
        return None
    return np.min(lows, axis=0), np.max(highs, axis=0)


def _scene_placement(model: IfcModel, document: Any) -> Any:
    """Return the scene asset that places this file (by its placement), if any."""
    for asset in document.spec.assets:
        if asset.kind != "ifc" or asset.file is None or asset.placement is None:
            continue
        if asset.georeferencing != "placement":
            continue
        try:
            if document.resolve(asset.file).samefile(model.path):
                return asset
        except OSError:
            continue
    return None


def _bounding_box(model: IfcModel, frame: tuple[str, Any, Any] | None) -> dict[str, Any]:
    georef = model.georeference
    box: dict[str, Any] = {"coordinates": "local", "crs": None, "scene": None, "origin": None,
                           "min": None, "max": None, "size": None, "min_local": None,
                           "max_local": None, "note": "", "warnings": []}
    transform: Callable[[Points], Points] = lambda points: points  # noqa: E731
    if frame is not None:
        scene_id, scene_frame, document = frame
        box.update(scene=scene_id, origin=list(scene_frame.origin))
        asset = _scene_placement(model, document)
        if asset is not None:
            transform = asset.placement.to_map
            box.update(coordinates="scene", crs=scene_frame.crs,
                       note=f"placed by the scene's asset {asset.id!r} (its placement)")
        elif georef is not None and georef.crs is not None:
            if georef.crs == scene_frame.crs:
                transform = georef.local_to_map
                note = f"the model's {georef.source}, already in {georef.crs}"
            else:
                crs = scene_frame.crs
                transform = lambda points: georef.to_crs(points, crs)  # noqa: E731
                note = (f"the model's {georef.source} in {georef.crs}, reprojected with pyproj "
                        f"into {crs} (heights pass through)")
            box.update(coordinates="scene", crs=scene_frame.crs, note=note)
        elif georef is not None:
            transform = georef.local_to_map
            box.update(coordinates="model map", crs=georef.crs_name,
                       note=f"the model's CRS {georef.crs_name!r} is no EPSG code, so it cannot "
                            f"be reprojected into the scene CRS {scene_frame.crs}: shown in the "
                            "model's own map coordinates")
        else:
            box["note"] = (f"the model is not georeferenced and scene {scene_id!r} has no asset "
                           "placing it: shown in local (engineering) coordinates, metres")
    elif georef is not None:
        transform = georef.local_to_map
        box.update(coordinates="model map", crs=georef.crs or georef.crs_name,
                   note=f"the model's own CRS, from its {georef.source}")
    else:
        box["note"] = ("the model is not georeferenced: local (engineering) coordinates, "
                       "metres")
    bounds = transformed_bounds(model, transform)
    if bounds is None:
        box["note"] += "; the model has no geometry"
        return box
    low, high = bounds
    box.update(min=_floats(low), max=_floats(high), size=_floats(high - low))
    if box["coordinates"] == "scene":
        origin = np.asarray(box["origin"], dtype=np.float64)
        box.update(min_local=_floats(low - origin), max_local=_floats(high - origin))
        box["warnings"] = _far_from_origin(low, high, origin, box["scene"])
    return box


def _floats(values: Points) -> list[float | None]:
    """Return values for JSON: non-finite ones (a failed reprojection) become None."""
    return [float(v) if math.isfinite(v) else None for v in values]


def _far_from_origin(low: Points, high: Points, origin: Points, scene: str) -> list[str]:
    centre = (low + high) / 2
    if not np.all(np.isfinite(centre)):
        return [f"the model cannot be placed in scene {scene!r}: the reprojection gave "
                "non-finite coordinates (its CRS and the scene's are far apart)"]
    distance = float(np.hypot(*(centre[:2] - origin[:2])))
    if distance <= FAR_FROM_SCENE_M:
        return []
    return [f"the model's centre lies {distance / 1000:,.0f} km from the origin of scene "
            f"{scene!r}: it does not belong to this scene (or its georeferencing is wrong)"]
