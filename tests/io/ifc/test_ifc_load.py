"""Loading every sample and work model: counts, per-element bounding boxes, instancing, data."""

from __future__ import annotations

import itertools
import pickle
from collections import Counter
from pathlib import Path

import ifcopenshell
import numpy as np
import pytest
from ifc_samples import (
    DUPLEX,
    HYBRID,
    LOADABLE,
    OCC,
    RC3,
    WORKS,
    all_sample_files,
    loaded,
    reference_bounds,
)

from twin_app.core.progress import Feedback
from twin_app.io.ifc import load_ifc_model

MODELS = [*LOADABLE, *WORKS]
MM = 1e-3


def test_every_shared_sample_is_covered():
    assert set(all_sample_files()) == {*LOADABLE, RC3}


@pytest.mark.parametrize("path", MODELS, ids=lambda p: p.name)
def test_element_counts_match_ifcopenshell(path: Path):
    model = loaded(path)
    ifc_file = ifcopenshell.open(str(path))
    products = ifc_file.by_type("IfcProduct")
    spatial = {p.id() for p in products if p.is_a("IfcSpatialElement")
               or p.is_a("IfcSpatialStructureElement")}
    expected = Counter(p.is_a() for p in products if p.id() not in spatial)
    assert model.counts().elements_by_class == dict(expected)
    assert {e.global_id for e in model.elements} >= {p.GlobalId for p in products}
    assert model.schema == ifc_file.schema_identifier


@pytest.mark.parametrize("path", MODELS, ids=lambda p: p.name)
def test_element_bounds_match_world_coordinate_tessellation(path: Path):
    """Instanced local meshes placed by their matrices equal world-coordinate tessellation."""
    model = loaded(path)
    ours = model.element_bounds()
    kernel_of = {model.elements[int(e)].global_id: model.meshes[int(m)].kernel
                 for e, m in zip(model.instances.element, model.instances.mesh, strict=True)}
    occ = reference_bounds(path, OCC)
    assert set(ours) == set(occ), "the elements with geometry are those OpenCASCADE finds"
    same_kernel = {kernel: reference_bounds(path, kernel) for kernel in (HYBRID, OCC)}
    for guid, box in ours.items():
        np.testing.assert_allclose(box, same_kernel[kernel_of[guid]][guid], atol=MM,
                                   err_msg=guid)
        np.testing.assert_allclose(box, occ[guid], atol=MM, err_msg=guid)
    assert model.skipped == []


def test_instancing_reuses_meshes_and_falls_back_to_opencascade_where_hybrid_is_empty():
    model = loaded(DUPLEX)
    counts = model.counts()
    assert counts.shapes == 215 and counts.unique_meshes < counts.shapes
    uses = Counter(model.instances.mesh.tolist())
    assert max(uses.values()) > 1
    assert counts.triangles > counts.unique_triangles
    # hybrid CGAL returns empty meshes for the 10 cabinets and counters with openings
    by_kernel = Counter(m.kernel for m in model.meshes)
    assert by_kernel[OCC] == 10 and by_kernel[HYBRID] == counts.unique_meshes - 10
    for mesh in model.meshes:
        assert mesh.vertices.dtype == np.float64 and mesh.triangles.dtype == np.int32
        assert mesh.material_ids.shape == (mesh.n_triangles,)
        assert mesh.triangles.max() < len(mesh.vertices)
        assert mesh.triangle_colours().shape == (mesh.n_triangles, 4)
    assert model.instances.matrix.dtype == np.float64
    np.testing.assert_allclose(model.instances.matrix[:, 3], [[0, 0, 0, 1]] * counts.shapes)


def test_alignment_curves_come_as_edges():
    model = loaded(LOADABLE[3])  # linear-placement-of-signal
    curves = [m for m in model.meshes if m.n_triangles == 0]
    assert curves and all(len(m.edges) for m in curves)


def test_spatial_tree_of_a_work():
    model = loaded(WORKS[-1])  # xinchuansha
    root = model.spatial_tree()
    assert root.ifc_class == "IfcProject"
    nodes = root.walk()
    assert sorted(n.element for n in nodes) == list(range(len(model.elements)))
    site = root.children[0]
    assert site.ifc_class == "IfcSite"
    assert site.children[0].ifc_class == "IfcMarineFacility"
    path_to_pump = _path_to(root, next(e.global_id for e in model.elements
                                       if e.ifc_class == "IfcPump"))
    assert path_to_pump[:3] == ["IfcProject", "IfcSite", "IfcMarineFacility"]
    assert "IfcMarinePart" in path_to_pump


def _path_to(node, guid: str) -> list[str]:
    if node.global_id == guid:
        return [node.ifc_class]
    for child in node.children:
        found = _path_to(child, guid)
        if found:
            return [node.ifc_class, *found]
    return []


def test_properties_and_quantities_with_units():
    work = loaded(WORKS[-1])
    pump = next(e for e in work.elements if e.ifc_class == "IfcPump")
    assert pump.predefined_type == "USERDEFINED" and pump.parent is not None
    props = work.element_properties(pump.global_id)
    assert props["Twin_Design"]["NominalFlowRate"] == (30.0, "m3/s")
    assert props["Twin_Operation"]["DrivenBySensor"] == ("XCS-PS-01", None)
    duplex = loaded(DUPLEX)
    space = next(e for e in duplex.elements if e.ifc_class == "IfcSpace" and e.name == "A102")
    space_props = duplex.element_properties(space.global_id)
    area, unit = space_props["GSA Space Areas"]["GSA BIM Area"]  # an IfcElementQuantity
    assert unit == "m2" and area > 0
    wall = next(e for e in duplex.elements if e.ifc_class == "IfcWallStandardCase")
    wall_props = duplex.element_properties(wall.global_id)
    assert any(unit == "m" for pset in wall_props.values() for _, unit in pset.values())
    with pytest.raises(KeyError):
        duplex.element_properties("0000000000000000000000")


def test_a_model_pickles_and_reads_properties_after():
    model = loaded(WORKS[0])
    copy = pickle.loads(pickle.dumps(model))
    assert copy.counts() == model.counts()
    np.testing.assert_array_equal(copy.bounds(), model.bounds())
    guid = next(e.global_id for e in copy.elements if e.ifc_class == "IfcWall")
    assert copy.element_properties(guid) == model.element_properties(guid)


def test_progress_is_reported_and_ends_at_one():
    feedback = Feedback("load")
    seen: list[float] = []
    feedback.progressed.connect(lambda fraction, _message: seen.append(fraction))
    load_ifc_model(DUPLEX, use_cache=False, feedback=feedback)
    assert seen[0] < 0.1 and seen[-1] == 1.0
    assert all(b >= a for a, b in itertools.pairwise(seen))


def test_timings_are_recorded():
    timings = loaded(DUPLEX).timings
    assert timings.cold_s > timings.parse_s > 0 and not timings.from_cache
    assert timings.warm_s is None
