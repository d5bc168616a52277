"""Read GeoJSON vector layers (river centrelines, flood-wall lines, outlines) in the scene CRS.

Scene layers are GeoJSON files whose coordinates are map coordinates in the scene CRS (EPSG:4549,
metres).  Plain RFC 7946 GeoJSON means WGS84 longitude/latitude, so a scene layer names its CRS
with the (pre-RFC 7946) ``"crs"`` member::

    "crs": {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::4549"}}

A file without that member is taken to be in the scene CRS, unless every coordinate looks like a
longitude/latitude pair.  :func:`read_geojson` raises
:class:`~twin_app.core.errors.AssetLoadError` naming the file and, for a bad feature, its index.
"""

from __future__ import annotations

import json
import logging
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import shapely
from shapely.geometry import shape
from shapely.geometry.base import BaseGeometry

from twin_app.core.errors import AssetLoadError

logger = logging.getLogger(__name__)

SCENE_CRS = "EPSG:4549"
"""The CRS of the shipped scenes (CGCS2000 / 3-degree Gauss-Kruger CM 120E)."""

_EPSG_PATTERNS = (
    re.compile(r"^urn:ogc:def:crs:EPSG:[\d.]*:(\d+)$", re.IGNORECASE),
    re.compile(r"^EPSG:{1,2}(\d+)$", re.IGNORECASE),
    re.compile(r"^https?://www\.opengis\.net/def/crs/EPSG/[\d.]+/(\d+)$", re.IGNORECASE),
)
_CRS84_NAMES = ("urn:ogc:def:crs:ogc:1.3:crs84", "urn:ogc:def:crs:ogc::crs84", "crs84")


@dataclass(frozen=True)
class VectorFeature:
    """One feature of a vector layer.

    Attributes
    ----------
    geometry : shapely geometry
        The geometry in map coordinates of the scene CRS.
    properties : dict
        The feature's properties (an empty dict when it has none).
    index : int
        The feature's position in the file's ``features`` array (0-based).
    """

    geometry: BaseGeometry
    properties: dict[str, Any]
    index: int


def read_geojson(path: Path, expected_crs: str = SCENE_CRS) -> list[VectorFeature]:
    """Read the features of a GeoJSON file.

    Parameters
    ----------
    path : Path
        A GeoJSON ``FeatureCollection`` or a single ``Feature``.
    expected_crs : str
        The scene CRS as ``"EPSG:<code>"``; a file declaring another CRS is rejected.

    Returns
    -------
    list of VectorFeature
        The features in file order.

    Raises
    ------
    AssetLoadError
        If the file cannot be read or parsed, declares another CRS, looks like longitude/latitude
        without declaring a CRS, or holds a feature without a valid geometry.
    """
    path = Path(path)
    document = _load_json(path)
    if not isinstance(document, dict):
        raise AssetLoadError(f"{path}: the GeoJSON root is not an object")
    kind = document.get("type")
    if kind == "FeatureCollection":
        raw_features = document.get("features")
        if not isinstance(raw_features, list):
            raise AssetLoadError(f"{path}: the FeatureCollection has no 'features' array")
    elif kind == "Feature":
        raw_features = [document]
    else:
        raise AssetLoadError(
            f"{path}: GeoJSON type {kind!r} is not supported",
            hint="write a FeatureCollection or a Feature",
        )
    declared = _declared_epsg(path, document.get("crs"))
    expected = _epsg_code(expected_crs)
    if declared is not None and expected is not None and declared != expected:
        raise AssetLoadError(
            f"{path}: the layer is in EPSG:{declared}, but the scene CRS is EPSG:{expected}",
            hint=f"reproject it, e.g. ogr2ogr -t_srs EPSG:{expected} out.geojson in.geojson",
        )
    features = [_feature(path, index, raw) for index, raw in enumerate(raw_features)]
    if declared is None and features and _looks_like_lonlat(features):
        raise AssetLoadError(
            f"{path}: no 'crs' member and every coordinate looks like longitude/latitude "
            f"(plain GeoJSON means WGS84), but the scene needs map coordinates in {expected_crs}",
            hint="reproject the layer and add a 'crs' member naming the scene CRS",
        )
    if not features:
        logger.warning("%s holds no features", path)
    logger.info("read %d features from %s", len(features), path)
    return features


def _load_json(path: Path) -> Any:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise AssetLoadError(f"{path}: the vector file does not exist") from None
    except UnicodeDecodeError as error:
        raise AssetLoadError(f"{path}: not UTF-8 text (byte {error.start})") from None
    except OSError as error:
        raise AssetLoadError(f"{path}: cannot be read ({error.strerror})") from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        raise AssetLoadError(
            f"{path}: not valid JSON: {error.msg} at line {error.lineno}, column {error.colno}"
        ) from None


def _epsg_code(crs: str) -> int | None:
    for pattern in _EPSG_PATTERNS:
        match = pattern.match(crs.strip())
        if match:
            return int(match.group(1))
    return None


def _declared_epsg(path: Path, crs: Any) -> int | None:
    """Return the EPSG code the ``crs`` member names, or ``None`` when there is no member."""
    if crs is None:
        return None
    name = crs.get("properties", {}).get("name") if isinstance(crs, dict) else None
    if not isinstance(name, str):
        raise AssetLoadError(
            f"{path}: the 'crs' member is not of the form "
            '{"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::4549"}}'
        )
    if name.strip().lower() in _CRS84_NAMES:
        return 4326
    code = _epsg_code(name)
    if code is None:
        raise AssetLoadError(
            f"{path}: cannot tell the EPSG code of the declared CRS {name!r}",
            hint="name it as urn:ogc:def:crs:EPSG::<code>",
        )
    return code


def _feature(path: Path, index: int, raw: Any) -> VectorFeature:
    where = f"{path}: feature {index}"
    if not isinstance(raw, dict) or raw.get("type") != "Feature":
        raise AssetLoadError(f"{where} is not a GeoJSON Feature object")
    geometry = raw.get("geometry")
    if geometry is None:
        raise AssetLoadError(f"{where} has no geometry")
    try:
        shaped = shape(geometry)
    except (AttributeError, KeyError, TypeError, ValueError, shapely.errors.ShapelyError) as error:
        raise AssetLoadError(f"{where} has an invalid geometry ({error})") from None
    if shaped.is_empty:
        raise AssetLoadError(f"{where} has an empty geometry")
    coords = shapely.get_coordinates(shaped)
    if not np.isfinite(coords).all():
        raise AssetLoadError(f"{where} has coordinates that are not finite numbers")
    if not shaped.is_valid:
        reason = shapely.is_valid_reason(shaped)
        raise AssetLoadError(f"{where} has an invalid {shaped.geom_type} ({reason})")
    properties = raw.get("properties") or {}
    if not isinstance(properties, dict):
        raise AssetLoadError(f"{where} has 'properties' that are not an object")
    return VectorFeature(geometry=shaped, properties=dict(properties), index=index)


def _looks_like_lonlat(features: list[VectorFeature]) -> bool:
    coords = np.vstack([shapely.get_coordinates(feature.geometry) for feature in features])
    return bool(
        (np.abs(coords[:, 0]) <= 180.0).all() and (np.abs(coords[:, 1]) <= 90.0).all()
    )
