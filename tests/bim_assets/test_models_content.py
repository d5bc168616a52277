"""What the works' IFC models promise: schema, georeferencing, classes, sensors, values, geometry.

The models are the committed files in ``bim_assets/``; their build scripts are checked by
``test_models_round_trip.py``.  Sensor ids and positions are checked against the scenes; geometry
against the placeholder massing the models were authored from (``bim_assets/<work>/layout.toml``,
which the scenes showed before they loaded the models).
"""

from __future__ import annotations

import math
import tomllib
from collections import Counter
from functools import cache
from pathlib import Path

import ifcopenshell
import ifcopenshell.geom
import ifcopenshell.util.element
import ifcopenshell.util.placement
import numpy as np
import pytest
from pyproj import Transformer

REPO = Path(__file__).resolve().parents[2]
PROVENANCE, DESIGN, SENSOR, OPERATION = ("Twin_Provenance", "Twin_Design", "Twin_Sensor",
                                         "Twin_Operation")
STATUSES = ("published: ", "derived: ", "illustrative")

MODELS = {
    "xinchuansha": {
        "file": "bim_assets/xinchuansha/xinchuansha.ifc",
        "lonlat": (121.357708, 31.486419),  # published: old Xinchuansha sluice
        "origin": (629009.58, 3485703.82),
        "rotation_deg": -25.0,  # x along the gate line; +y (bearing 65) is the flow direction
        "facility": ("IfcMarineFacility", "USERDEFINED", "PumpGateHub"),
        "classes": {"IfcActuator": 3, "IfcBuilding": 3, "IfcBuildingElementProxy": 3,
                    "IfcColumn": 4, "IfcFacilityPartCommon": 1, "IfcMarineFacility": 1,
                    "IfcMarinePart": 2, "IfcPile": 4, "IfcPump": 5, "IfcSensor": 31,
                    "IfcSite": 1, "IfcSlab": 9, "IfcTransportElement": 1, "IfcWall": 27},
        "gate_leaves": 3,
        "pumps": 5,
        "groups": 3,
    },
    "suzhou_west_gate": {
        "file": "bim_assets/suzhou_west_gate/west_gate.ifc",
        "lonlat": (121.19, 31.275),  # derived (reference/projects.md s2), as in the scene
        "origin": (613326.41, 3462075.1),
        "rotation_deg": -108.5,  # x along the gate axis; +y (bearing -18.5) is the flow
        "facility": ("IfcMarineFacility", "USERDEFINED", "NavigableSluice"),
        "classes": {"IfcBridge": 1, "IfcBridgePart": 2, "IfcBuilding": 2,
                    "IfcBuildingElementProxy": 1, "IfcColumn": 6, "IfcEarthworksFill": 12,
                    "IfcFacilityPartCommon": 2, "IfcMarineFacility": 1, "IfcMarinePart": 1,
                    "IfcPile": 2, "IfcRailing": 2, "IfcSensor": 16, "IfcSite": 1, "IfcSlab": 6,
                    "IfcWall": 26},
        "gate_leaves": 1,
        "pumps": 0,
        "groups": 1,
    },
    "huangpu": {
        "file": "bim_assets/huangpu/huangpu_bund.ifc",
        "lonlat": (121.486565, 31.245073),  # published: Huangpu Park tide station
        "origin": (641616.31, 3459099.01),
        "rotation_deg": 90.0,  # +x north: the Huangpu's flow direction at the Bund
        "facility": ("IfcMarineFacility", "MARINEDEFENCE", None),
        "classes": {"IfcAlignment": 2, "IfcAlignmentHorizontal": 2, "IfcAlignmentSegment": 8,
                    "IfcBeam": 1, "IfcBuilding": 1, "IfcBuildingElementProxy": 1,
                    "IfcColumn": 2, "IfcEarthworksFill": 11, "IfcFacilityPartCommon": 2,
                    "IfcFooting": 14, "IfcMarineFacility": 1, "IfcMarinePart": 1, "IfcPile": 16,
                    "IfcReferent": 2, "IfcSensor": 22, "IfcSite": 1, "IfcSlab": 2,
                    "IfcWall": 31},
        "gate_leaves": 1,
        "pumps": 0,
        "groups": 3,
    },
}
WORKS = sorted(MODELS)
POSITIONING = ("IfcAlignment", "IfcAlignmentHorizontal", "IfcAlignmentSegment", "IfcReferent")


@cache
def model(work: str) -> ifcopenshell.file:
    return ifcopenshell.open(str(REPO / MODELS[work]["file"]))


@cache
def scene(work: str) -> dict | None:
    path = REPO / "scenes" / work / "scene.toml"
    if not path.exists():
        return None
    with path.open("rb") as stream:
        return tomllib.load(stream)


@cache
def layout(work: str) -> dict:
    """The placeholder massing the model was authored against (bim_assets/<work>/layout.toml)."""
    with (REPO / "bim_assets" / work / "layout.toml").open("rb") as stream:
        return tomllib.load(stream)


def map_conversion(work: str) -> ifcopenshell.entity_instance:
    (conversion,) = model(work).by_type("IfcMapConversion")
    return conversion


def to_map(work: str, points: np.ndarray) -> np.ndarray:
    """Model (engineering) coordinates -> EPSG:4549 eastings, northings and Wusong heights."""
    c = map_conversion(work)
    a, b = c.XAxisAbscissa, c.XAxisOrdinate
    norm = math.hypot(a, b)
    a, b = a / norm, b / norm
    x, y, z = points[:, 0], points[:, 1], points[:, 2]
    return np.column_stack([c.Eastings + a * x - b * y, c.Northings + b * x + a * y,
                            c.OrthogonalHeight + z])


def placement_position(product: ifcopenshell.entity_instance) -> np.ndarray:
    matrix = ifcopenshell.util.placement.get_local_placement(product.ObjectPlacement)
    return matrix[:3, 3]


def products(work: str) -> list[ifcopenshell.entity_instance]:
    return [p for p in model(work).by_type("IfcProduct") if p.is_a() not in POSITIONING]


def psets(product: ifcopenshell.entity_instance) -> dict:
    return ifcopenshell.util.element.get_psets(product)


def properties(product: ifcopenshell.entity_instance, pset_name: str) -> dict:
    """Property name -> IfcPropertySingleValue of one property set of ``product``."""
    for rel in product.IsDefinedBy:
        if rel.is_a("IfcRelDefinesByProperties"):
            pset = rel.RelatingPropertyDefinition
            if pset.Name == pset_name:
                return {prop.Name: prop for prop in pset.HasProperties}
    return {}


@cache
def shapes(work: str) -> dict[int, np.ndarray]:
    """Tessellate every product once: id -> vertices in model coordinates (world coords)."""
    settings = ifcopenshell.geom.settings()
    settings.set("use-world-coords", True)
    iterator = ifcopenshell.geom.iterator(settings, model(work), 1)
    assert iterator.initialize(), "the geometry iterator found nothing to tessellate"
    result: dict[int, np.ndarray] = {}
    triangles = 0
    while True:
        shape = iterator.get()
        vertices = np.asarray(shape.geometry.verts, dtype=float).reshape(-1, 3)
        faces = np.asarray(shape.geometry.faces).reshape(-1, 3)
        assert len(faces) > 0, f"#{shape.id} tessellated to no triangles"
        triangles += len(faces)
        result[shape.id] = vertices
        if not iterator.next():
            break
    result[-1] = np.array([[triangles, 0, 0]], dtype=float)
    return result


# -- file, schema, size -----------------------------------------------------------------------


@pytest.mark.parametrize("work", WORKS)
def test_schema_units_and_size(work: str) -> None:
    f = model(work)
    assert f.schema_identifier == "IFC4X3_ADD2"
    (assignment,) = f.by_type("IfcUnitAssignment")
    lengths = [u for u in assignment.Units if getattr(u, "UnitType", None) == "LENGTHUNIT"]
    assert [(u.Name, u.Prefix) for u in lengths] == [("METRE", None)]
    assert (REPO / MODELS[work]["file"]).stat().st_size < 5_000_000
    notes = " ".join(f.header.file_description.description)
    assert "Published" in notes and "llustrative" in notes
    (project,) = f.by_type("IfcProject")
    assert "PUBLISHED" in project.Description and "ILLUSTRATIVE" in project.Description
    assert "reference/projects.md" in project.Description


@pytest.mark.parametrize("work", WORKS)
def test_global_ids_are_unique_and_owner_history_fixed(work: str) -> None:
    roots = model(work).by_type("IfcRoot")
    ids = [root.GlobalId for root in roots]
    assert len(set(ids)) == len(ids)
    (history,) = model(work).by_type("IfcOwnerHistory")
    assert history.CreationDate == 1751241600
    assert all(root.OwnerHistory == history for root in roots)


# -- georeferencing ----------------------------------------------------------------------------


@pytest.mark.parametrize("work", WORKS)
def test_map_conversion_and_projected_crs(work: str) -> None:
    conversion = map_conversion(work)
    crs = conversion.TargetCRS
    assert crs.is_a("IfcProjectedCRS")
    assert (crs.Name, crs.GeodeticDatum, crs.VerticalDatum) == ("EPSG:4549", "CGCS2000",
                                                                 "Wusong")
    assert crs.MapUnit.Name == "METRE"
    assert conversion.SourceCRS.is_a("IfcGeometricRepresentationContext")
    contexts = [c for c in model(work).by_type("IfcGeometricRepresentationContext")
                if not c.is_a("IfcGeometricRepresentationSubContext")]
    assert contexts == [conversion.SourceCRS], "geometry outside the georeferenced context"
    assert conversion.OrthogonalHeight == 0.0
    assert conversion.Scale == 1.0
    expected = MODELS[work]
    assert (conversion.Eastings, conversion.Northings) == pytest.approx(expected["origin"],
                                                                       abs=0.005)
    angle = math.radians(expected["rotation_deg"])
    assert (conversion.XAxisAbscissa, conversion.XAxisOrdinate) == pytest.approx(
        (math.cos(angle), math.sin(angle)), abs=1e-9)


@pytest.mark.parametrize("work", WORKS)
def test_work_location_falls_on_the_model(work: str) -> None:
    """The published (West Gate: derived) lon/lat lands within 300 m of origin and footprint."""
    to_4549 = Transformer.from_crs("EPSG:4490", "EPSG:4549", always_xy=True)
    easting, northing = to_4549.transform(*MODELS[work]["lonlat"])
    origin = to_map(work, np.zeros((1, 3)))[0]
    assert math.hypot(easting - origin[0], northing - origin[1]) < 300.0
    vertices = np.vstack([v for key, v in shapes(work).items() if key >= 0])
    corners = to_map(work, vertices)
    dx = max(corners[:, 0].min() - easting, 0.0, easting - corners[:, 0].max())
    dy = max(corners[:, 1].min() - northing, 0.0, northing - corners[:, 1].max())
    assert math.hypot(dx, dy) < 300.0


@pytest.mark.parametrize("work", WORKS)
def test_model_frame_matches_scene_placements(work: str) -> None:
    data = layout(work)
    rotation = MODELS[work]["rotation_deg"]
    origin = MODELS[work]["origin"]
    placements = [asset["placement"] for asset in data["assets"] if "placement" in asset]
    same_frame = [p for p in placements
                  if (p["easting"], p["northing"], p["rotation_deg"]) == (*origin, rotation)]
    if work != "huangpu":  # the Huangpu scene places each wall run in its own frame
        assert same_frame, "the model frame is not the placeholders' placement"


# -- spatial structure and classes -----------------------------------------------------------


@pytest.mark.parametrize("work", WORKS)
def test_element_classes_and_counts(work: str) -> None:
    counts = Counter(p.is_a() for p in model(work).by_type("IfcProduct"))
    assert dict(counts) == MODELS[work]["classes"]


@pytest.mark.parametrize("work", WORKS)
def test_spatial_structure(work: str) -> None:
    f = model(work)
    (project,) = f.by_type("IfcProject")
    (site,) = f.by_type("IfcSite")
    assert site.Decomposes[0].RelatingObject == project
    facility_class, predefined, object_type = MODELS[work]["facility"]
    (facility,) = f.by_type(facility_class)
    assert facility.Decomposes[0].RelatingObject == site
    assert (facility.PredefinedType, facility.ObjectType) == (predefined, object_type)
    parts = [o for rel in facility.IsDecomposedBy for o in rel.RelatedObjects]
    assert parts and all(p.is_a("IfcFacilityPart") and p.UsageType for p in parts)
    for building in f.by_type("IfcBuilding") + f.by_type("IfcBridge"):
        assert building.Decomposes[0].RelatingObject.is_a("IfcFacilityPart")
    for element in f.by_type("IfcElement"):
        assert element.ContainedInStructure, f"{element} is not in the spatial structure"
    assert site.RefLatitude and site.RefLongitude


def test_huangpu_alignments_position_the_walls() -> None:
    f = model("huangpu")
    alignments = f.by_type("IfcAlignment")
    assert len(alignments) == 2
    for alignment in alignments:
        assert alignment.Decomposes[0].RelatingObject.is_a("IfcProject")
        assert alignment.ReferencedInStructures[0].RelatingStructure.is_a("IfcFacilityPart")
        (positions,) = alignment.Positions
        walls = [p for p in positions.RelatedProducts if p.is_a("IfcWall")]
        assert walls and all(w.PredefinedType == "RETAININGWALL" for w in walls)
        segments = f.by_type("IfcAlignmentSegment")
        assert any(s.DesignParameters.PredefinedType == "CIRCULARARC" for s in segments)
    stations = [properties(w, DESIGN)["StationStart"].NominalValue.wrappedValue
                for w in f.by_type("IfcWall") if "StationStart" in properties(w, DESIGN)]
    assert len(stations) == 25 and min(stations) == pytest.approx(0.15, abs=0.01)


# -- sensors -----------------------------------------------------------------------------------


@pytest.mark.parametrize("work", WORKS)
def test_every_sensor_has_an_id(work: str) -> None:
    sensors = model(work).by_type("IfcSensor")
    tags = [s.Tag for s in sensors]
    assert all(tags) and len(set(tags)) == len(tags)
    for sensor in sensors:
        info = psets(sensor)[SENSOR]
        assert sensor.Name == sensor.Tag == info["SensorId"]
        assert sensor.PredefinedType
        if sensor.PredefinedType == "USERDEFINED":
            assert sensor.ObjectType


@pytest.mark.parametrize("work", WORKS)
def test_sensors_match_the_scene(work: str) -> None:
    data = scene(work)
    assert data is not None, f"scenes/{work}/scene.toml is missing"
    expected = {s["id"]: s for s in data.get("sensors", [])}
    modelled = {s.Tag: s for s in model(work).by_type("IfcSensor")}
    missing = set(expected) - set(modelled)
    assert not missing, f"scene sensors without an IfcSensor: {sorted(missing)}"
    for tag, sensor in modelled.items():
        info = psets(sensor)[SENSOR]
        if not info["InScene"]:
            assert tag not in expected, f"{tag} is in the scene now: set InScene"
            continue
        assert tag in expected, f"{tag} claims to be in the scene but is not"
        assert info["Kind"] == expected[tag]["kind"]
        assert info["Unit"] == expected[tag]["unit"]
        position = to_map(work, placement_position(sensor)[None, :])[0]
        assert position == pytest.approx(expected[tag]["position"], abs=0.02), tag


def test_monitoring_sections() -> None:
    for work, size in (("xinchuansha", 3), ("huangpu", 3), ("suzhou_west_gate", 3)):
        groups = model(work).by_type("IfcGroup")
        assert len(groups) == MODELS[work]["groups"]
        for group in groups:
            members = group.IsGroupedBy[0].RelatedObjects
            assert len(members) == size
            assert all(m.is_a("IfcSensor") and m.PredefinedType == "PRESSURESENSOR"
                       for m in members)


# -- movable elements --------------------------------------------------------------------------


@pytest.mark.parametrize("work", WORKS)
def test_gate_leaves_and_pumps_are_separate_movable_elements(work: str) -> None:
    f = model(work)
    tags = {s.Tag for s in f.by_type("IfcSensor")}
    leaves = [e for e in f.by_type("IfcBuildingElementProxy") if e.ObjectType == "GateLeaf"]
    pumps = list(f.by_type("IfcPump"))
    assert (len(leaves), len(pumps)) == (MODELS[work]["gate_leaves"], MODELS[work]["pumps"])
    placements = set()
    for element in leaves + pumps:
        assert element.Representation and not element.Decomposes and not element.IsDecomposedBy
        placements.add(element.ObjectPlacement.id())
        operation = psets(element)[OPERATION]
        assert operation["DrivenBySensor"] in tags
        assert operation["Behaviour"] == ("translate" if element in leaves else "state")
        if element in leaves:
            assert np.linalg.norm([float(a) for a in operation["MotionAxis"].split()]) == (
                pytest.approx(1.0))
            assert operation["TravelMax"] > 0
    assert len(placements) == len(leaves) + len(pumps)


# -- design values and provenance --------------------------------------------------------------


def design_value(element: ifcopenshell.entity_instance, name: str) -> tuple[float, str, str]:
    prop = properties(element, DESIGN)[name]
    unit = prop.Unit.Name if prop.Unit else ""
    return prop.NominalValue.wrappedValue, unit, prop.Specification


def test_xinchuansha_design_values() -> None:
    f = model("xinchuansha")
    (sluice,) = [p for p in f.by_type("IfcMarinePart") if p.PredefinedType == "GATEHEAD"]
    value, unit, spec = design_value(sluice, "SillLevel")
    assert (value, unit) == (-3.26, "METRE") and spec.startswith("published: ")
    assert "Wusong" in spec
    (hub,) = f.by_type("IfcMarineFacility")
    value, _, spec = design_value(hub, "PumpStationCapacity")
    assert value == 150.0 and spec.startswith("published: ")
    prop = properties(hub, DESIGN)["PumpStationCapacity"]
    assert prop.NominalValue.is_a("IfcVolumetricFlowRateMeasure")
    assert prop.Unit.UnitType == "VOLUMETRICFLOWRATEUNIT"
    assert design_value(hub, "NetWidthTotal")[0] == 60.0
    widths = sorted(design_value(leaf, "OpeningNetWidth")[0]
                    for leaf in f.by_type("IfcBuildingElementProxy"))
    assert widths == [15.0, 15.0, 30.0]
    assert all(design_value(leaf, "OpeningNetWidth")[2] == "illustrative"
               for leaf in f.by_type("IfcBuildingElementProxy"))
    flows = [design_value(pump, "NominalFlowRate")[0] for pump in f.by_type("IfcPump")]
    assert sum(flows) == 150.0


def test_west_gate_design_values() -> None:
    f = model("suzhou_west_gate")
    (leaf,) = f.by_type("IfcBuildingElementProxy")
    for name, value in (("LeafLength", 60.0), ("LeafWidth", 8.0), ("LeafHeight", 6.7)):
        assert design_value(leaf, name)[:2] == (value, "METRE")
        assert design_value(leaf, name)[2].startswith("published: ")
    assert design_value(leaf, "SillLevel")[0] == -1.5
    assert design_value(leaf, "SillLevel")[2].startswith("derived: ")
    walls = [w for w in f.by_type("IfcWall") if "BankWallCrestLevel" in properties(w, DESIGN)]
    assert walls
    assert {design_value(w, "BankWallCrestLevel")[0] for w in walls} == {5.2}
    assert not f.by_type("IfcPump")
    assert len(f.by_type("IfcBridge")) == 1


def test_huangpu_design_values() -> None:
    f = model("huangpu")
    (gauge,) = [s for s in f.by_type("IfcSensor") if s.Tag == "HPK-WL-01"]
    value, unit, spec = design_value(gauge, "WarningLevel")
    assert (value, unit) == (4.55, "METRE") and spec.startswith("published: ")
    bund = [w for w in f.by_type("IfcWall") if "Bund flood wall, south" in w.Name]
    assert len(bund) == 8
    for wall in bund:
        value, unit, spec = design_value(wall, "CrestLevel")
        assert (value, unit) == (6.9, "METRE") and spec.startswith("published: ")
    fills = f.by_type("IfcEarthworksFill")
    assert fills and all(fill.PredefinedType == "EMBANKMENT" for fill in fills)


@pytest.mark.parametrize("work", WORKS)
def test_every_value_states_its_provenance(work: str) -> None:
    for product in products(work):
        provenance = psets(product).get(PROVENANCE)
        assert provenance, f"{product} has no {PROVENANCE}"
        assert isinstance(provenance["Illustrative"], bool) and provenance["Source"]
        listed = {key: provenance[f"{key}Values"] for key in ("Published", "Derived",
                                                              "Illustrative")}
        flagged = provenance["GeometryIllustrative"].startswith("yes")
        for name, prop in properties(product, DESIGN).items():
            spec = prop.Specification or ""
            status = next((s for s in STATUSES if spec.startswith(s)), None)
            assert status, f"{product.Name}.{name}: no provenance in {spec!r}"
            if status != "illustrative":
                assert len(spec) > len(status) + 5, f"{product.Name}.{name}: no source"
            key = status.split(":")[0].strip().capitalize()
            assert f"{name} = " in listed[key], f"{product.Name}.{name} not in {key}Values"
            flagged |= status != "published: "
            if prop.NominalValue.is_a() in ("IfcLengthMeasure", "IfcVolumeMeasure",
                                            "IfcVolumetricFlowRateMeasure", "IfcMassMeasure",
                                            "IfcAreaMeasure"):
                assert prop.Unit is not None, f"{product.Name}.{name} has no unit"
        assert provenance["Illustrative"] == flagged, product.Name


# -- geometry ----------------------------------------------------------------------------------


@pytest.mark.parametrize("work", WORKS)
def test_every_body_tessellates(work: str) -> None:
    tessellated = shapes(work)
    with_body = {p.id() for p in products(work) if p.Representation and any(
        r.RepresentationIdentifier == "Body" for r in p.Representation.Representations)}
    assert with_body == set(tessellated) - {-1}
    triangles = int(tessellated[-1][0, 0])
    assert 0 < triangles < 50_000, triangles
    assert not model(work).by_type("IfcBooleanResult")


@pytest.mark.parametrize("work", WORKS)
def test_model_lands_on_the_scene_placeholders(work: str) -> None:
    """Every placeholder part is covered by IFC geometry; movers and walls match it exactly."""
    data = layout(work)
    tessellated = shapes(work)
    boxes = []
    for product_id, vertices in tessellated.items():
        if product_id >= 0 and not model(work).by_id(product_id).is_a("IfcSensor"):
            boxes.append(to_map(work, vertices))
    exact_roles = {"gate_leaf", "pier", "abutment", "wing_wall", "flood_wall", "guide_column",
                   "hoist_frame", "bridge_deck", "apron", "equipment"}
    for asset in data["assets"]:
        if asset["kind"] != "placeholder":
            continue
        placement = asset["placement"]
        angle = math.radians(placement["rotation_deg"])
        c, s = math.cos(angle), math.sin(angle)

        def to_asset(points: np.ndarray, e0=placement["easting"], n0=placement["northing"],
                     c=c, s=s) -> np.ndarray:
            dx, dy = points[:, 0] - e0, points[:, 1] - n0
            return np.column_stack([c * dx + s * dy, -s * dx + c * dy, points[:, 2]])

        local = [to_asset(points) for points in boxes]
        for part in asset["parts"]:
            centre, size = np.array(part["center"]), np.array(part["size"])
            low, high = centre - size / 2, centre + size / 2
            label = f"{asset['id']}/{part['id']}"
            if part.get("role") in exact_roles or part.get("role") == "pump_unit":
                matches = [p for p in local
                           if np.allclose((p.min(0) + p.max(0)) / 2, centre, atol=0.05)]
                assert matches, f"no IFC element centred on {label}"
                if part.get("role") != "pump_unit":
                    assert any(np.allclose(p.max(0) - p.min(0), size, atol=0.05)
                               for p in matches), f"no IFC element the size of {label}"
            else:
                overlaps = [p for p in local
                            if np.all(np.minimum(p.max(0), high) - np.maximum(p.min(0), low)
                                      > 0.01)]
                assert overlaps, f"no IFC element overlaps {label}"


@pytest.mark.parametrize("work", WORKS)
def test_model_passes_schema_and_where_rules(work: str) -> None:
    import ifcopenshell.validate

    log = ifcopenshell.validate.json_logger()
    ifcopenshell.validate.validate(model(work), log, express_rules=True)
    assert log.statements == []
