"""Derive the seepage sections of the scenes' wall monitoring sections: ``sections/<id>.toml``.

One section per land-side piezometer of a scene listed in :data:`MONITORING`: a straight line
across the nearest flood wall of the scene's IFC model, perpendicular to the wall, through the
piezometer, reaching :data:`RIVER_M` into the river and :data:`LAND_M` inland.  Where that line
would pass through a joint between two wall segments (no wall cut) it is moved along the wall, in
steps of 0.5 m, to the nearest place where it cuts one; the piezometers within 5 m of the line are
kept (twin_app/io/section_derive.py).  Everything is derived from the scene's illustrative
terrain, BIM model and soil profile (``soils.toml``), so the sections are illustrative too.

Run ``python scenes/make_sections.py`` from the repository root (deterministic).
"""

from __future__ import annotations

import logging
import sys
from pathlib import Path

import numpy as np

from twin_app.core.scene_loader import load_scene
from twin_app.io.ifc import IfcModel, load_ifc_model
from twin_app.io.section_cut import WALL_CLASSES, cut_model
from twin_app.io.section_derive import derive_section
from twin_app.io.sections import SECTIONS_FOLDER

logger = logging.getLogger("make_sections")

MONITORING = {"huangpu": {"MS-1": "HPK-PZ-01", "MS-2": "HPK-PZ-02", "MS-3": "HPK-PZ-03"}}
"""Scene -> section id -> the land-side piezometer the section runs through (the IFC model's
monitoring sections MS-1..3 of the Bund wall, bim_assets/huangpu/build_huangpu.py)."""
RIVER_M, LAND_M = 40.0, 60.0
SHIFTS = [0.0] + [sign * 0.5 * k for k in range(1, 13) for sign in (1, -1)]


def wall_axes(model: IfcModel) -> list[tuple[np.ndarray, np.ndarray, np.ndarray]]:
    """Return (centre, unit axis, footprint points) of each IfcWall instance, in map metres."""
    axes = []
    georef = model.georeference
    for k in range(len(model.instances)):
        if model.elements[int(model.instances.element[k])].ifc_class != "IfcWall":
            continue
        points = model.instance_vertices(k)
        if georef is not None:
            points = georef.local_to_map(points)
        flat = points[:, :2]
        centre = flat.mean(axis=0)
        _, _, vt = np.linalg.svd(flat - centre, full_matrices=False)
        axes.append((centre, vt[0] / np.linalg.norm(vt[0]), flat))
    return axes


def section_line(model: IfcModel, sensor: tuple[float, float], crs: str
                 ) -> tuple[tuple[float, float], tuple[float, float]]:
    """Return the line (river end, land end) across the wall nearest the piezometer."""
    point = np.asarray(sensor)
    centre, axis, _ = min(wall_axes(model),
                          key=lambda item: float(np.min(np.hypot(*(item[2] - point).T))))
    foot = centre + axis * float((point - centre) @ axis)
    landward = (point - foot) / np.linalg.norm(point - foot)
    for shift in SHIFTS:
        middle = foot + axis * shift
        start, end = middle - RIVER_M * landward, middle + LAND_M * landward
        if any(cut.ifc_class in WALL_CLASSES for cut in cut_model(model, start, end, crs)):
            if shift:
                logger.info("line moved %.1f m along the wall (the piezometer stands at a "
                            "joint)", shift)
            return (float(start[0]), float(start[1])), (float(end[0]), float(end[1]))
    raise RuntimeError(f"no wall found across the line through {sensor}")


def main() -> int:
    """Write every monitoring section of :data:`MONITORING`."""
    logging.basicConfig(level=logging.INFO, format="%(name)s: %(message)s")
    for scene, sections in MONITORING.items():
        document = load_scene(scene)
        models = [load_ifc_model(document.resolve(asset.file))
                  for asset in document.spec.assets if asset.kind == "ifc" and asset.file]
        sensors = {s.id: s for s in document.spec.sensors}
        folder = document.folder / SECTIONS_FOLDER
        folder.mkdir(exist_ok=True)
        for section_id, sensor_id in sections.items():
            position = sensors[sensor_id].position
            start, end = section_line(models[0], (position[0], position[1]),
                                      document.spec.crs.horizontal)
            placed = derive_section(document, start, end, section_id=section_id,
                                    models=models, generator="scenes/make_sections.py")
            path = placed.save(folder / f"{section_id}.toml")
            logger.info("wrote %s (%s)", path.relative_to(Path.cwd()) if path.is_relative_to(
                Path.cwd()) else path, ", ".join(p.id for p in placed.section.piezometers))
    return 0


if __name__ == "__main__":
    sys.exit(main())
