"""Build the IFC model of the Huangpu River flood walls at the Bund (外滩) and Lujiazui.

Usage::

    python bim_assets/huangpu/build_huangpu.py [--output FILE]

Writes ``bim_assets/huangpu/huangpu_bund.ifc`` (IFC4X3_ADD2, metres, EPSG:4549, Wusong heights).
The reach: the west-bank (Puxi) flood wall from the Bund at Huangpu Park north past the Suzhou
Creek mouth to the North Bund (about 1.6 km), the Suzhou Creek mouth floodgate in that wall line,
and about 1.3 km of the east bank (Lujiazui, Pudong).  Published (reference/projects.md section
3): the Huangpu Park tide station's location, its warning level 4.55 m, the 1000-year design level
5.86 m and the 5.72 m record, and the Bund wall crest 6.9 m.  Everything else is illustrative:
wall lines and segments (those of ``scenes/huangpu/scene.toml``), sections, footings, sheet piles,
the floodgate's type and size, the east-bank embankment and the sensor layout.

Spatial structure::

    IfcProject > IfcSite > IfcMarineFacility MARINEDEFENCE
        > IfcFacilityPartCommon SEGMENT "West bank (the Bund)"   <- IfcAlignment (referenced)
        > IfcMarinePart GATEHEAD "Suzhou Creek mouth floodgate" > IfcBuilding "Gate control house"
        > IfcFacilityPartCommon SEGMENT "East bank (Lujiazui)"  <- IfcAlignment (referenced)

MARINEDEFENCE is IFC 4.3's "protection or defence of a coastal or flood area".  Each bank has an
``IfcAlignment`` (horizontal, PI method with a 30 m curve at the bend) made with
``ifcopenshell.api.alignment``; the wall elements are related to it with ``IfcRelPositions`` and
carry their stations.  They are placed with local placements, not ``IfcLinearPlacement``:
ifcopenshell 0.9 resolves linear placements but prints a line per element while doing so, and many
viewers do not support them yet; local placements land exactly on the scene's placeholders.
"""

from __future__ import annotations

import math
import sys
from pathlib import Path
from typing import NamedTuple

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from bim_assets._authoring import (
    REFERENCE,
    Box,
    Entity,
    Frame,
    ModelBuilder,
    ModelInfo,
    Operation,
    Place,
    Point2,
    Point3,
    Section,
    SensorSpec,
    Value,
    box_from_centre,
    clean,
    derived,
    illustrative,
    published,
    run,
)
from bim_assets._schedule import ScheduleSpec, TaskSpec, add_work_schedule

HERE = Path(__file__).resolve().parent
OUTPUT = HERE / "huangpu_bund.ifc"

FRAME = Frame(641616.31, 3459099.01, 90.0)
"""Model frame: origin at the Huangpu Park tide station (published 31.245073N 121.486565E), x
along the Huangpu's flow (north, towards Wusongkou), y to the west bank, z = Wusong height."""

S31 = f"{REFERENCE} s3.1 (flood-control office statement, 2024-09-16, repost) [M]"
S31_H = f"{REFERENCE} s3.1 ('84 standard, MWREP approval 1984) [H]"
S32 = f"{REFERENCE} s3.2 (cctv 2002, cri 2018) [H]"
S33 = f"{REFERENCE} s3.3 (flood-control office, Typhoon Winnie 1997) [H]"
S34 = f"{REFERENCE} s3.4 (gate dataset; about 100-200 m uncertainty) [M]"
SCENE = "scenes/huangpu/scene.toml placeholder"

CREST_BUND = published("CrestLevel", 6.9, "m", S31, "Bund wall; Wusong datum")
CREST_ASSUMED = illustrative("CrestLevel", 6.9, "m", "taken equal to the published Bund crest; "
                             "Wusong datum")
DESIGN_LEVEL = published("DesignFloodLevel", 5.86, "m", S31_H,
                         "1000-year level at Huangpu Park; Wusong datum")
STANDARD = published("FloodStandard", "1000-year (urban walls, '84 standard)", "", S31_H)

class WallRun(NamedTuple):
    """A flood-wall placeholder asset of the scene: equal segments along its frame's x axis."""

    key: str
    name: str
    zh: str
    frame: Frame
    centres: tuple[float, ...]
    length: float
    bank: str


WALL_RUNS = (
    WallRun("bund_south", "Bund flood wall, south of the creek mouth",
            "外滩防汛墙（黄浦公园以南）", Frame(641606.31, 3458279.51, 90.0),
            (59.03, 177.1, 295.16, 413.22, 531.29, 649.35, 767.41, 885.48), 117.76, "west"),
    WallRun("bund_north", "Flood wall north of the creek mouth", "外白渡桥段防汛墙",
            Frame(641606.31, 3459314.01, 90.0), (50.6, 151.79), 100.89, "west"),
    WallRun("north_bund", "North Bund flood wall", "北外滩防汛墙",
            Frame(641606.31, 3459516.4, 58.0), (54.73, 164.19, 273.65, 383.12), 109.16,
            "west"),
    WallRun("lujiazui_west", "Lujiazui riverside flood wall, west face",
            "陆家嘴滨江防汛墙（西段）", Frame(642076.31, 3458420.5, 90.0),
            (60.07, 180.21, 300.35, 420.5, 540.64, 660.78, 780.92, 901.06), 119.84, "east"),
    WallRun("lujiazui_north", "Lujiazui riverside flood wall, north face",
            "陆家嘴滨江防汛墙（北段）", Frame(642076.31, 3459381.63, 58.0),
            (49.95, 149.86, 249.77), 99.61, "east"),
)
"""The scene's flood-wall placeholder assets (scenes/huangpu/scene.toml)."""

GATE_FRAME = Frame(641606.31, 3459269.01, -90.0)
"""The scene's ``szc_mouth_gate`` placement: x along the wall line (south), y into the Huangpu."""

ALIGNMENTS = {
    "west": ("Bund flood-wall line (west bank)", (641606.31, 3458279.51),
             (641606.31, 3459516.4), 438.0),
    "east": ("Lujiazui flood-wall line (east bank)", (642076.31, 3458420.5),
             (642076.31, 3459381.63), 299.7),
}
"""Bank -> (name, start, bend (PI), length after the bend at 58 degrees), map coordinates."""
BEND_DEG = 58.0
RADIUS = 30.0

SENSORS: tuple[tuple[str, str, str, str, Point3, str, str, str], ...] = (
    ("HPK-WL-01", "water_level", "Huangpu Park tide station", "黄浦公园潮位站",
     (641616.31, 3459099.01, 4.5), "m", "", "west"),
    ("SZK-WL-01", "water_level", "Suzhou Creek level inside the mouth gate",
     "苏州河河口闸闸内水位", (641586.31, 3459309.01, 6.9), "m", "North abutment", "gate"),
    ("SZK-WL-02", "water_level", "Level outside the Suzhou Creek mouth gate",
     "苏州河河口闸闸外水位", (641626.31, 3459309.01, 6.9), "m", "North abutment", "gate"),
    ("SZK-GO-01", "gate_opening", "Mouth gate opening", "河口闸闸门开度",
     (641609.31, 3459269.01, 20.0), "m", "Hoist beam", "gate"),
    ("LJZ-WL-01", "water_level", "Lujiazui riverside level gauge", "陆家嘴滨江水位计",
     (642071.31, 3459112.51, 4.5), "m", "", "east"),
    ("HPK-RG-01", "rainfall", "Huangpu Park rain gauge", "黄浦公园雨量站",
     (641556.31, 3459169.01, 4.3), "mm/h", "", "west"),
    ("HPK-PZ-01", "piezometer", "Piezometer behind the Bund wall 1", "外滩墙后测压管 1",
     (641598.31, 3458515.63, -2.0), "m", "", "west"),
    ("HPK-PZ-02", "piezometer", "Piezometer behind the Bund wall 2", "外滩墙后测压管 2",
     (641598.31, 3458751.76, -2.0), "m", "", "west"),
    ("HPK-PZ-03", "piezometer", "Piezometer behind the Bund wall 3", "外滩墙后测压管 3",
     (641598.31, 3458987.89, -2.0), "m", "", "west"),
    *((f"HPK-SM-0{n}", "settlement", f"Bund wall settlement mark {n}", f"外滩防汛墙沉降点 {n}",
       (641606.31, northing, 6.9), "mm", "Bund flood wall", "west")
      for n, northing in enumerate((3458468.41, 3458704.53, 3458940.66, 3459176.79), start=1)),
    ("HPK-IN-01", "inclination", "Bund wall inclinometer", "外滩防汛墙倾斜仪",
     (641606.31, 3458846.21, 6.9), "deg", "Bund flood wall", "west"),
    ("LJZ-SM-01", "settlement", "Lujiazui wall settlement mark 1", "陆家嘴防汛墙沉降点 1",
     (642076.31, 3458756.89, 6.9), "mm", "Lujiazui flood wall", "east"),
    ("LJZ-SM-02", "settlement", "Lujiazui wall settlement mark 2", "陆家嘴防汛墙沉降点 2",
     (642076.31, 3459189.4, 6.9), "mm", "Lujiazui flood wall", "east"),
)
"""Sensors of scenes/huangpu/scene.toml: id, kind, names, position (E, N, H), unit, host, part."""

SECTIONS = (("MS-1", "HPK-PZ-01", "HPK-PZ-04", "HPK-PZ-05"),
            ("MS-2", "HPK-PZ-02", "HPK-PZ-06", "HPK-PZ-07"),
            ("MS-3", "HPK-PZ-03", "HPK-PZ-08", "HPK-PZ-09"))
"""Monitoring sections across the Bund wall: (name, land side = scene sensor, under the wall,
river side).  The scene has one piezometer per section; the brief asks for three, so the other
two (not in the scene file yet) are added with ``Twin_Sensor.InScene = False``."""

INFO = ModelInfo(
    work="huangpu",
    file_name="huangpu_bund.ifc",
    script="bim_assets/huangpu/build_huangpu.py",
    project_name="Huangpu River flood walls at the Bund (illustrative model)",
    project_long_name="黄浦江外滩段防汛墙（示意模型）",
    description=(
        "Illustrative BIM of the Huangpu River flood defences at the Bund, the Suzhou Creek "
        "mouth and Lujiazui, Shanghai, for the twin_app digital-twin demo; not design or survey "
        f"data. PUBLISHED ({REFERENCE} s3): Huangpu Park tide station at 31.245073N 121.486565E "
        "(about 100-200 m uncertainty), warning level 4.55 m, 1000-year design level 5.86 m, "
        "record 5.72 m (Typhoon Winnie, 1997), Bund flood-wall crest 6.9 m; urban walls built to "
        "the 1000-year '84 standard. ILLUSTRATIVE: the wall lines and segments (as the "
        "placeholders of scenes/huangpu/scene.toml), wall sections, footings, sheet piles, the "
        "crest of the walls other than the Bund's (taken as 6.9 m), the Suzhou Creek mouth "
        "floodgate (one 60 m lift gate), the east-bank embankment, the sensor layout. Heights: "
        "Wusong datum, metres. Georeferencing: IfcMapConversion to EPSG:4549; local x north "
        "(the flow direction), local y west."),
    header_notes=(
        "Comment [twin_app illustrative model of the Huangpu flood walls at the Bund and "
        "Lujiazui; NOT design or survey data]",
        "Comment [Published (reference/projects.md s3): Huangpu Park station location, warning "
        "4.55 m, design level 5.86 m, record 5.72 m, Bund wall crest 6.9 m Wusong]",
        "Comment [Illustrative: wall lines, sections, foundations, floodgate type and size, "
        "east-bank embankment, sensor layout; each element's Twin_Provenance says which]",
        "Comment [Heights Wusong datum (m); EPSG:4549 via IfcMapConversion; IfcAlignment per "
        "bank; rebuild: python bim_assets/huangpu/build_huangpu.py]",
    ),
    frame=FRAME,
    lonlat=(121.486565, 31.245073),
    site_name="The Bund and Lujiazui, Huangpu River",
    location_status="published",
    location_source=S34,
)


def add_spatial_structure(model: ModelBuilder) -> dict[str, Entity]:
    """Add the facility, the two bank segments, the floodgate part and its control house."""
    defence = model.spatial(
        "IfcMarineFacility", "defence", "Huangpu River flood defences at the Bund", model.site,
        predefined_type="MARINEDEFENCE", long_name="黄浦江外滩段防汛墙",
        values=[STANDARD, DESIGN_LEVEL,
                published("WarningLevelHuangpuPark", 4.55, "m", S32, "Wusong datum"),
                published("RecordHighHuangpuPark", 5.72, "m", S33, "Wusong datum"),
                published("RiverWidthUrbanReach", "about 400-500 m", "",
                          f"{REFERENCE} s3.4 [L-M]")], source=S31_H)
    gate = model.spatial(
        "IfcMarinePart", "floodgate", "Suzhou Creek mouth floodgate", defence,
        predefined_type="GATEHEAD", usage="LATERAL", long_name="苏州河河口闸（示意）",
        description="Opening in the Bund flood-wall line, closed by one lift gate "
                    "(type and size illustrative)",
        values=[illustrative("NetWidth", 60.0, "m"),
                illustrative("SillLevel", -2.2, "m", "Wusong datum"), CREST_BUND])
    return {
        "defence": defence, "gate": gate,
        "west": model.spatial(
            "IfcFacilityPartCommon", "west_bank", "West bank (the Bund, Puxi)", defence,
            predefined_type="SEGMENT", usage="LONGITUDINAL", long_name="浦西外滩段",
            values=[CREST_BUND, DESIGN_LEVEL], source=S31),
        "east": model.spatial(
            "IfcFacilityPartCommon", "east_bank", "East bank (Lujiazui, Pudong)", defence,
            predefined_type="SEGMENT", usage="LONGITUDINAL", long_name="浦东陆家嘴段",
            values=[CREST_ASSUMED, DESIGN_LEVEL]),
        "gate_house": model.spatial("IfcBuilding", "floodgate/control_house",
                                    "Gate control house", gate, long_name="闸管理房"),
    }


def stations(bank: str) -> dict[str, float]:
    """Return each wall run's station offset (chainage of its frame origin) on its alignment.

    Runs before the bend are measured from the alignment's start; runs that start at the bend
    (PI) lose ``2 T - R * delta`` to the curve (T = tangent length).  Within the 8.6 m of the
    curve the station is approximate (under 0.5 m).
    """
    _, start, bend, _ = ALIGNMENTS[bank]
    delta = math.radians(90.0 - BEND_DEG)
    tangent = RADIUS * math.tan(delta / 2.0)
    to_bend = math.dist(start, bend)
    offsets = {}
    for wall_run in WALL_RUNS:
        if wall_run.bank != bank:
            continue
        origin = (wall_run.frame.easting, wall_run.frame.northing)
        offsets[wall_run.key] = (to_bend - 2.0 * tangent + RADIUS * delta if origin == bend
                            else math.dist(start, origin))
    return offsets


def add_wall_run(model: ModelBuilder, part: Entity, wall_run: WallRun, offset: float
                 ) -> list[Entity]:
    """Add one run of wall segments (with footing and sheet pile, or embankment fill).

    West-bank segments: wall stem + strip footing + sheet-pile cut-off; east-bank segments:
    wall + earth embankment behind it (land side is +y in the west-bank runs' frames and -y
    in the east-bank runs').
    """
    key, name, zh, frame, centres, length, bank = wall_run
    crest = CREST_BUND if key == "bund_south" else CREST_ASSUMED
    elements = []
    for number, centre in enumerate(centres, start=1):
        start, end = offset + centre - length / 2.0, offset + centre + length / 2.0
        chainage = [derived("StationStart", round(start, 2), "m", "chainage on the bank's "
                            "IfcAlignment"),
                    derived("StationEnd", round(end, 2), "m", "chainage on the bank's "
                            "IfcAlignment")]
        place, box = box_from_centre(FRAME, frame, (centre, 0.0, 4.95), (length, 1.2, 3.9))
        seg = f"{key}/{number:02d}"
        elements.append(model.element(
            "IfcWall", f"{seg}/wall", f"{name}, segment {number}", container=part,
            place=place, shapes=[box], material="Concrete, flood wall",
            predefined_type="RETAININGWALL", description=f"{zh} 第{number}段",
            values=[crest, illustrative("Thickness", 1.2, "m"),
                    illustrative("BaseLevel", 3.0, "m", "Wusong datum"), *chainage],
            source=S31 if key == "bund_south" else SCENE))
        base = FRAME.place_from(frame, (centre, 0.0, 0.0))
        if bank == "west":
            elements += add_foundation(model, part, seg, name, number, base, length)
        else:
            elements.append(add_fill(model, part, seg, name, number, base, length))
    return elements


def add_foundation(model: ModelBuilder, part: Entity, seg: str, name: str, number: int,
                   base: Place, length: float) -> list[Entity]:
    """Add a west-bank segment's strip footing (landward) and sheet-pile cut-off."""
    footing = model.element(
        "IfcFooting", f"{seg}/footing", f"{name}, footing {number}", container=part,
        place=Place(base.x, base.y, 2.0, base.rotation_deg),
        shapes=[Box((length, 3.2, 1.0), (0.0, 0.8, 0.0))], material="Concrete, substructure",
        predefined_type="STRIP_FOOTING", description="底板",
        values=[illustrative("Width", 3.2, "m"), illustrative("TopLevel", 3.0, "m")])
    pile = model.element(
        "IfcPile", f"{seg}/sheet_pile", f"{name}, sheet-pile cut-off {number}", container=part,
        place=Place(base.x, base.y, -10.0, base.rotation_deg),
        shapes=[Box((length, 0.4, 12.0))], material="Precast concrete sheet pile",
        predefined_type="USERDEFINED", object_type="SheetPileCutOff",
        description="防渗板桩", attributes={"ConstructionType": "PRECAST_CONCRETE"},
        values=[illustrative("ToeLevel", -10.0, "m", "Wusong datum")])
    return [footing, pile]


def add_fill(model: ModelBuilder, part: Entity, seg: str, name: str, number: int,
             base: Place, length: float) -> Entity:
    """Add the earth embankment behind an east-bank wall segment (land side is -y)."""
    section = ((-14.6, 3.0), (-14.6, 3.5), (-8.6, 5.5), (-0.6, 5.5), (-0.6, 3.0))
    return model.element(
        "IfcEarthworksFill", f"{seg}/fill", f"{name}, embankment {number}", container=part,
        place=base, shapes=[Section(section, length)], material="Earth fill",
        predefined_type="EMBANKMENT", description="墙后堤身填土（示意）",
        values=[illustrative("CrestLevel", 5.5, "m", "promenade embankment; Wusong datum"),
                illustrative("CrestWidth", 8.0, "m"), illustrative("LandSideSlope", "1:3")])


def add_floodgate(model: ModelBuilder, gate: Entity, house: Entity) -> None:
    """Add the Suzhou Creek mouth floodgate: slab, abutments, leaf, hoist frame, cut-offs."""
    parts = (("base_slab", "IfcSlab", "BASESLAB", None, "Base slab", "闸底板", (0.0, 0.0, -3.2),
              (92.0, 24.0, 2.0), "Concrete, substructure"),
             ("abutment/north", "IfcWall", "RETAININGWALL", None, "North abutment", "北岸边墩",
              (-38.0, 0.0, 2.35), (16.0, 24.0, 9.1), "Concrete"),
             ("abutment/south", "IfcWall", "RETAININGWALL", None,
              "South abutment (Huangpu Park side)", "南岸边墩（黄浦公园侧）", (38.0, 0.0, 2.35),
              (16.0, 24.0, 9.1), "Concrete"),
             ("hoist_tower/north", "IfcColumn", "COLUMN", None, "North hoist tower", "北启闭塔",
              (-34.0, 3.0, 12.45), (8.0, 8.0, 11.1), "Concrete, superstructure"),
             ("hoist_tower/south", "IfcColumn", "COLUMN", None, "South hoist tower", "南启闭塔",
              (34.0, 3.0, 12.45), (8.0, 8.0, 11.1), "Concrete, superstructure"),
             ("hoist_beam", "IfcBeam", "BEAM", None, "Hoist beam", "启闭机横梁", (0.0, 3.0, 19.0),
              (76.0, 6.0, 2.0), "Concrete, superstructure"))
    for key, ifc_class, predefined, object_type, name, zh, centre, size, material in parts:
        place, box = box_from_centre(FRAME, GATE_FRAME, centre, size)
        model.element(ifc_class, f"floodgate/{key}", name, container=gate, place=place,
                      shapes=[box], material=material, predefined_type=predefined,
                      object_type=object_type, description=zh, source=SCENE)
    place, box = box_from_centre(FRAME, GATE_FRAME, (0.0, 3.0, 2.35), (61.0, 1.2, 9.1))
    model.element(
        "IfcBuildingElementProxy", "floodgate/gate_leaf", "Floodgate leaf", container=gate,
        place=place, shapes=[box], material="Steel, gate leaf", predefined_type="USERDEFINED",
        object_type="GateLeaf", description="河口闸闸门（示意：直升门）; drawn closed",
        values=[illustrative("LeafWidth", 61.0, "m"), illustrative("LeafHeight", 9.1, "m"),
                illustrative("SillLevel", -2.2, "m", "Wusong datum"), CREST_BUND],
        source=SCENE,
        operation=Operation("SZK-GO-01", "translate", "closed (on the sill)", (0.0, 0.0, 1.0),
                            9.0))
    for side, y in (("Huangpu", 11.8), ("creek", -11.8)):
        place, box = box_from_centre(FRAME, GATE_FRAME, (0.0, y, -10.2), (92.0, 0.4, 12.0))
        model.element(
            "IfcPile", f"floodgate/cutoff/{side.lower()}", f"Floodgate sheet-pile cut-off "
            f"({side} side)", container=gate, place=place, shapes=[box],
            material="Precast concrete sheet pile", predefined_type="USERDEFINED",
            object_type="SheetPileCutOff", description="闸底板防渗板桩",
            attributes={"ConstructionType": "PRECAST_CONCRETE"},
            values=[illustrative("ToeLevel", -16.2, "m", "Wusong datum")])
    place, _ = box_from_centre(FRAME, GATE_FRAME, (57.0, -10.0, 7.5), (14.0, 12.0, 7.0))
    model.building_shell("floodgate/control_house", "Gate control house", house, place,
                         (14.0, 12.0, 7.0), source=SCENE)


def alignment_points(bank: str) -> list[Point2]:
    """Return the start, bend (PI) and end of a bank's wall line in the model frame."""
    _, start, bend, after = ALIGNMENTS[bank]
    angle = math.radians(BEND_DEG)
    end = (bend[0] + after * math.cos(angle), bend[1] + after * math.sin(angle))
    return [FRAME.to_local(*point)[:2] for point in (start, bend, end)]


def sensor_specs() -> list[tuple[SensorSpec, str]]:
    """Return the scene's sensors and the extra piezometers, each with its part's name."""
    specs = []
    for sensor_id, kind, name_en, name_zh, position, unit, host, part in SENSORS:
        values: tuple[Value, ...] = ()
        if sensor_id == "HPK-WL-01":
            values = (published("WarningLevel", 4.55, "m", S32, "Wusong datum"),
                      published("DesignFloodLevel", 5.86, "m", S31_H, "Wusong datum"),
                      published("RecordHigh", 5.72, "m", S33, "1997-08, Wusong datum"))
        specs.append((SensorSpec(sensor_id, kind, name_en, name_zh, position, unit,
                                 illustrative=sensor_id != "HPK-WL-01", host=host,
                                 values=values), part))
    positions = {sensor_id: position for sensor_id, _, _, _, position, *_ in SENSORS}
    for name, land, under, river in SECTIONS:
        northing = positions[land][1]
        for sensor_id, easting, where, zh in ((under, 641604.81, "under the wall", "墙下"),
                                              (river, 641610.31, "river side", "临江侧")):
            specs.append((SensorSpec(
                sensor_id, "piezometer", f"Bund wall section {name} piezometer, {where}",
                f"外滩防汛墙 {name} 断面测压管（{zh}）", (easting, northing, -2.0), "m",
                in_scene=False), "west"))
    return specs


SCHEDULE = ScheduleSpec(
    "HP", "Huangpu flood walls at the Bund (1000-year raising)",
    "黄浦江外滩段防汛墙（千年一遇加高）",
    "ILLUSTRATIVE construction schedule of the modelled walls. Published (" + S31_H + "): the "
    "'84 standard raised the urban flood walls to the 1000-year level and the raising works "
    "began in 1988. The day, the packages and every other date are invented.",
    "2025-06-30",
    (TaskSpec("HP-M1", "Raising works begin", "防汛墙加高工程开工", ("1988-03-01", "1988-03-01"),
              ("1988-03-01", "1988-03-01"), milestone=True,
              sources={"ActualStart": f"derived: published year 1988 ({S31_H})"}),
     TaskSpec("HP-01", "Bund wall, south reach", "外滩防汛墙南段", ("1988-03-01", "1990-06-30"),
              ("1988-03-01", "1990-09-30"), ("bund_south/*",)),
     TaskSpec("HP-02", "Bund wall, north reaches", "外滩防汛墙北段", ("1990-01-01", "1992-06-30"),
              ("1990-03-01", "1992-05-31"), ("bund_north/*", "north_bund/*")),
     TaskSpec("HP-03", "Suzhou Creek mouth floodgate", "苏州河河口水闸",
              ("1989-01-01", "1991-12-31"), ("1989-04-01", "1992-03-31"), ("floodgate/*",)),
     TaskSpec("HP-04", "Lujiazui embankment", "陆家嘴防汛堤", ("1991-01-01", "1993-12-31"),
              ("1991-06-01", "1994-06-30"), ("lujiazui_north/*", "lujiazui_west/*")),
     TaskSpec("HP-05", "Monitoring instruments (retrofit)", "安全监测仪器（增设）",
              ("2005-01-01", "2005-12-31"), ("2005-03-01", "2006-03-31"), ("sensor/*",))))
"""The Bund walls' construction schedule (4D): all illustrative but the 1988 start."""


def build(output: Path = OUTPUT) -> Path:
    """Build the Huangpu (Bund and Lujiazui) flood-wall model and write it to ``output``."""
    model = ModelBuilder(INFO)
    parts = add_spatial_structure(model)
    positioned: dict[str, list[Entity]] = {"west": [], "east": []}
    for bank in ("west", "east"):
        offsets = stations(bank)
        for wall_run in WALL_RUNS:
            if wall_run.bank == bank:
                positioned[bank] += add_wall_run(model, parts[bank], wall_run,
                                                 offsets[wall_run.key])
    add_floodgate(model, parts["gate"], parts["gate_house"])
    for bank in ("west", "east"):
        name = ALIGNMENTS[bank][0]
        model.alignment(f"alignment/{bank}", name, alignment_points(bank), RADIUS,
                        parts[bank], positioned[bank])
    sensors = {spec.id: model.sensor(spec, parts[part]) for spec, part in sensor_specs()}
    start_northing = ALIGNMENTS["west"][1][1]
    for name, land, under, river in SECTIONS:
        northing = next(spec.position[1] for spec, _ in sensor_specs() if spec.id == land)
        station = clean(northing - start_northing, 2)
        model.group(f"group/section/{name}", f"Monitoring section {name}",
                    [sensors[land], sensors[under], sensors[river]],
                    f"Piezometers across the Bund wall (land side, under the wall, river side); "
                    f"station {station} m on the west-bank alignment (illustrative)")
    add_work_schedule(model, SCHEDULE)
    return model.write(output)


if __name__ == "__main__":
    run(build, OUTPUT)
