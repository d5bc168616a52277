"""What a scene holds, as plain data for ``twin-app info`` and the About box."""

from __future__ import annotations

from typing import Any

import numpy as np
import rasterio

from twin_app.core.errors import AssetLoadError
from twin_app.core.geo import GEOGRAPHIC_CRS, SceneFrame
from twin_app.core.scene_loader import SceneDocument


def map_extent(document: SceneDocument) -> tuple[float, float, float, float]:
    """Return the scene's extent ``(west, south, east, north)`` in map coordinates.

    The terrain's bounds when the scene has terrain, otherwise the box around its models' and
    sensors' positions.
    """
    spec = document.spec
    if spec.terrain is not None:
        path = document.resolve(spec.terrain.file)
        try:
            with rasterio.open(path) as dataset:
                left, bottom, right, top = dataset.bounds
        except rasterio.errors.RasterioIOError as error:
            raise AssetLoadError(f"{path}: cannot read the terrain ({error})") from None
        return (float(left), float(bottom), float(right), float(top))
    points = [(s.position[0], s.position[1]) for s in spec.sensors]
    points += [(a.placement.easting, a.placement.northing) for a in spec.assets if a.placement]
    points.append(spec.origin[:2])
    array = np.asarray(points, dtype=np.float64)
    return (
        float(array[:, 0].min()), float(array[:, 1].min()),
        float(array[:, 0].max()), float(array[:, 1].max()),
    )


def summarize_scene(document: SceneDocument, language: str = "en") -> dict[str, Any]:
    """Return a JSON-ready description of the scene.

    Parameters
    ----------
    document : SceneDocument
        The scene.
    language : str
        Language of the names (``"zh_CN"`` or ``"en"``); both are always given for the scene.
    """
    spec = document.spec
    frame = SceneFrame.from_scene(spec)
    west, south, east, north = map_extent(document)
    corners_lon, corners_lat = frame.map_to_lonlat([west, east, west, east],
                                                   [south, south, north, north])
    text = lambda t: t.text(language)  # noqa: E731
    return {
        "id": spec.id,
        "file": str(document.file),
        "name": {"zh": spec.name.zh, "en": spec.name.en},
        "crs": {"code": spec.crs.horizontal, "name": frame.crs_name},
        "vertical_datum": {
            "name": {"zh": spec.vertical_datum.name.zh, "en": spec.vertical_datum.name.en},
            "to_nhd1985_m": spec.vertical_datum.to_nhd1985_m,
            "note": spec.vertical_datum.note,
        },
        "origin": list(spec.origin),
        "extent_map": {"west": west, "south": south, "east": east, "north": north,
                       "width_m": east - west, "height_m": north - south},
        "extent_lonlat": {
            "crs": GEOGRAPHIC_CRS,
            "west": float(np.min(corners_lon)), "south": float(np.min(corners_lat)),
            "east": float(np.max(corners_lon)), "north": float(np.max(corners_lat)),
        },
        "terrain": None if spec.terrain is None else {
            "file": spec.terrain.file, "illustrative": spec.terrain.illustrative},
        "assets": [
            {"id": a.id, "name": text(a.name), "kind": a.kind, "file": a.file,
             "elements": len(a.parts) if a.kind == "placeholder" else None,
             "illustrative": a.illustrative}
            for a in spec.assets
        ],
        "layers": [{"id": v.id, "name": text(v.name), "file": v.file} for v in spec.layers],
        "sensors": {"count": len(spec.sensors), "by_kind": spec.sensor_summary()},
        "scenarios": [
            {"id": s.id, "name": text(s.name), "plugin": s.plugin, "duration_h": s.duration_h}
            for s in spec.scenarios
        ],
        "viewpoints": [{"id": v.id, "name": text(v.name)} for v in spec.viewpoints],
        "default_viewpoint": spec.default_viewpoint,
        "illustrative_note": {"zh": spec.illustrative_note.zh, "en": spec.illustrative_note.en},
    }


def format_summary(summary: dict[str, Any]) -> str:
    """Return the summary as the human-readable text of ``twin-app info``."""
    extent = summary["extent_map"]
    geo = summary["extent_lonlat"]
    datum = summary["vertical_datum"]
    lines = [
        f"Scene       {summary['id']}: {summary['name']['en']} / {summary['name']['zh']}",
        f"File        {summary['file']}",
        f"CRS         {summary['crs']['code']} ({summary['crs']['name']})",
        f"Datum       {datum['name']['en']} ({datum['name']['zh']}); "
        f"H(1985) = H {datum['to_nhd1985_m']:+.3f} m  {datum['note']}",
        "Origin      E {:.2f}  N {:.2f}  H {:.2f}".format(*summary["origin"]),
        f"Extent      E {extent['west']:.1f} .. {extent['east']:.1f}, "
        f"N {extent['south']:.1f} .. {extent['north']:.1f} "
        f"({extent['width_m']:.0f} m x {extent['height_m']:.0f} m)",
        f"Lon/lat     {geo['west']:.6f}..{geo['east']:.6f} E, "
        f"{geo['south']:.6f}..{geo['north']:.6f} N ({geo['crs']})",
        f"Assets      {len(summary['assets'])}",
    ]
    lines += [
        f"  - {a['id']}: {a['name']} ["
        + (f"{a['elements']} placeholder boxes" if a["elements"] is not None
           else f"IFC {a['file']}")
        + f"{', illustrative' if a['illustrative'] else ''}]"
        for a in summary["assets"]
    ]
    kinds = ", ".join(f"{k} {n}" for k, n in sorted(summary["sensors"]["by_kind"].items()))
    lines.append(f"Sensors     {summary['sensors']['count']} ({kinds})")
    lines.append(f"Layers      {', '.join(v['id'] for v in summary['layers']) or '-'}")
    lines.append(f"Scenarios   {', '.join(s['id'] for s in summary['scenarios']) or '-'}")
    viewpoints = ", ".join(
        v["id"] + (" (default)" if v["id"] == summary["default_viewpoint"] else "")
        for v in summary["viewpoints"]
    )
    lines.append(f"Viewpoints  {viewpoints or '-'}")
    lines.append(f"Illustrative: {summary['illustrative_note']['en']}")
    return "\n".join(lines)
