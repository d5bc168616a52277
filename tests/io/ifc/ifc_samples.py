"""Sample IFC files, small files made on the fly, and independent reference values for the tests.

The real files live in ../shared/samples/ifc beside the repository (as in CI); see MANIFEST.md
there for their sources and licences (buildingSMART sample models CC BY-ND 4.0, IFC-infra-unit-test
CC BY 4.0, the Duplex CC BY 4.0).
"""

from __future__ import annotations

import functools
from pathlib import Path

import ifcopenshell
import ifcopenshell.api.aggregate
import ifcopenshell.api.context
import ifcopenshell.api.geometry
import ifcopenshell.api.project
import ifcopenshell.api.root
import ifcopenshell.api.spatial
import ifcopenshell.api.unit
import ifcopenshell.geom
import ifcopenshell.util.shape
import numpy as np

from twin_app.io.ifc import IfcModel, load_ifc_model

REPO = Path(__file__).resolve().parents[3]
SAMPLES = REPO / ".." / "shared" / "samples" / "ifc"
WORKS = sorted((REPO / "bim_assets").glob("*/*.ifc"))

DUPLEX = SAMPLES / "duplex.ifc"
UTM = SAMPLES / "geographic-referencing-utm.ifc"
EPSET = SAMPLES / "ifc2x3_epset_mapconversion.ifc"
SIGNAL = SAMPLES / "linear-placement-of-signal.ifc"
SECTIONED = SAMPLES / "sectioned-solid-horizontal.ifc"
RC3 = SAMPLES / "Georeferencing-Earthworks-12d-1.ifc"
LOADABLE = [DUPLEX, UTM, EPSET, SIGNAL, SECTIONED]

HYBRID = "hybrid-cgal-simple-opencascade"
OCC = "opencascade"
EXCLUDE = ["IfcOpeningElement", "IfcSpace"]


def all_sample_files() -> list[Path]:
    """Every .ifc in the shared samples folder (so a new sample is not silently untested)."""
    return sorted(SAMPLES.glob("*.ifc"))


@functools.cache
def loaded(path: Path) -> IfcModel:
    """Load once per test session, without the cache."""
    return load_ifc_model(path, use_cache=False)


def profile_space_segments(ifc_file: ifcopenshell.file) -> set[str]:
    """GlobalIds of alignment segments of vertical/cant layouts (distance-height space)."""
    found = set()
    for kind in ("IfcAlignmentVertical", "IfcAlignmentCant"):
        try:
            layouts = ifc_file.by_type(kind)
        except RuntimeError:
            return set()
        for layout in layouts:
            for rel in layout.IsNestedBy or ():
                found.update(o.GlobalId for o in rel.RelatedObjects)
    return found


@functools.cache
def reference_bounds(path: Path, kernel: str) -> dict[str, np.ndarray]:
    """Per-element world bounding boxes from a bare iterator in world coordinates."""
    ifc_file = ifcopenshell.open(str(path))
    settings = ifcopenshell.geom.settings()
    settings.set("use-world-coords", True)
    settings.set("weld-vertices", False)
    skip = profile_space_segments(ifc_file)
    bounds = {}
    for shape in ifcopenshell.geom.iterator(settings, ifc_file, 1, exclude=EXCLUDE,
                                            geometry_library=kernel):
        geometry = shape.geometry
        if shape.guid in skip:
            continue
        if not len(geometry.faces_buffer) and not len(geometry.edges_buffer):
            continue
        verts = ifcopenshell.util.shape.get_vertices(geometry)
        bounds[shape.guid] = np.array([verts.min(axis=0), verts.max(axis=0)])
    return bounds


def write_walls(path: Path, *, count: int = 4, broken: int | None = None,
                schema: str = "IFC4") -> list[str]:
    """Write a site with ``count`` extruded walls 5 m apart; return their GlobalIds.

    ``broken`` is the index of a wall whose extrusion depth is set to 0, which every geometry
    kernel rejects ("Non-positive extrusion height").
    """
    f = ifcopenshell.api.project.create_file(version=schema)
    project = ifcopenshell.api.root.create_entity(f, ifc_class="IfcProject", name="walls")
    metre = ifcopenshell.api.unit.add_si_unit(f, unit_type="LENGTHUNIT")
    ifcopenshell.api.unit.assign_unit(f, units=[metre])
    model = ifcopenshell.api.context.add_context(f, context_type="Model")
    body = ifcopenshell.api.context.add_context(
        f, context_type="Model", context_identifier="Body", target_view="MODEL_VIEW",
        parent=model)
    site = ifcopenshell.api.root.create_entity(f, ifc_class="IfcSite", name="site")
    ifcopenshell.api.aggregate.assign_object(f, relating_object=project, products=[site])
    guids = []
    for index in range(count):
        wall = ifcopenshell.api.root.create_entity(f, ifc_class="IfcWall", name=f"wall {index}")
        matrix = np.eye(4)
        matrix[0, 3] = 5.0 * index
        ifcopenshell.api.geometry.edit_object_placement(f, product=wall, matrix=matrix)
        rep = ifcopenshell.api.geometry.add_wall_representation(
            f, context=body, length=4.0, height=3.0, thickness=0.2)
        ifcopenshell.api.geometry.assign_representation(f, product=wall, representation=rep)
        ifcopenshell.api.spatial.assign_container(f, relating_structure=site, products=[wall])
        if index == broken:
            rep.Items[0].Depth = 0.0
        guids.append(wall.GlobalId)
    f.write(str(path))
    return guids
