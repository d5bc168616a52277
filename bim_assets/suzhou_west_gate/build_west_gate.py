"""Build the IFC model of the Suzhou River West Gate (苏州河西闸) at Anting.

Usage::

    python bim_assets/suzhou_west_gate/build_west_gate.py [--output FILE]

Writes ``bim_assets/suzhou_west_gate/west_gate.ifc`` (IFC4X3_ADD2, metres, EPSG:4549, Wusong
heights).  Published (reference/projects.md section 2): the reach (Anting, south of Anzhi Road
bridge), the 60 m net width of the navigable regulating sluice, the fixed floating single-leaf
gate of 60 x 8 x 6.7 m and 1,320 t, the walkway on top and the control tower, the bank walls
raised to 5.2 m, and that there is no pump.  Derived: the position (about 31.275N 121.19E) and
the sill at about -1.5 m (a 6.7 m gate whose raised top is flush with the 5.2 m crest).
Everything else is illustrative.  The layout follows ``scenes/suzhou_west_gate/scene.toml``
(same frame, same sensor ids and positions).

Spatial structure::

    IfcProject > IfcSite > IfcMarineFacility USERDEFINED "NavigableSluice"
        > IfcMarinePart GATEHEAD "Gate head"  > IfcBridge GIRDER "Walkway bridge" > IfcBridgePart
        > IfcFacilityPartCommon SEGMENT "Bank walls at the gate"
        > IfcFacilityPartCommon ABOVEGROUND "Control area" > IfcBuilding x 2

IfcMarineFacility: a navigable sluice on a Class VI waterway.  It is not a SHIPLOCK (one gate, no
chamber) and WATERWAY would describe the river, not the structure, hence USERDEFINED
"NavigableSluice" (可通航节制闸).
"""

from __future__ import annotations

import math
import sys
from itertools import pairwise
from pathlib import Path

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
    box_from_centre,
    derived,
    illustrative,
    published,
    run,
)
from bim_assets._schedule import ScheduleSpec, TaskSpec, add_work_schedule

HERE = Path(__file__).resolve().parent
OUTPUT = HERE / "west_gate.ifc"

FRAME = Frame(613326.41, 3462075.1, -108.5)
"""Model frame = the placeholders' placement in scenes/suzhou_west_gate/scene.toml: origin at the
derived gate position (31.275N 121.19E), x along the gate axis towards the south bank, y
downstream (the flow direction, east-south-east, bearing -18.5 degrees), z = Wusong height."""

GZW = f"{REFERENCE} s2 (Shanghai SASAC, 2025-06-24) [H]"
SINA = f"{REFERENCE} s2 (sina, 2023-12-20) [H]"
KANKAN = f"{REFERENCE} s2 (kankanews) [M]"
LOCATION = (f"{REFERENCE} s2: about 31.27-31.28N 121.18-121.20E, south of Anzhi Road bridge, "
            "east of the Yunzaobang fork; 31.275N 121.19E as in the scene [L]")
SCENE = "scenes/suzhou_west_gate/scene.toml placeholder"

NET_WIDTH = published("NetWidthTotal", 60.0, "m", SINA, "navigable regulating sluice")
SILL = derived("SillLevel", -1.5, "m", f"{REFERENCE} s2: raised 6.7 m gate flush with the 5.2 m "
               "crest gives about -1.5 m [L]", "Wusong datum")
CREST = published("BankWallCrestLevel", 5.2, "m", KANKAN + "; design crest 5.20 m, "
                  f"{REFERENCE} s2 [H]", "raised from 4.5 m; Wusong datum")
DESIGN_HIGH_WATER = published("DesignHighWater", 4.79, "m",
                              f"{REFERENCE} s2 (Suzhou River, water planning institute) [H]",
                              "Wusong datum")
FLOOD_STANDARD = published("FloodControlStandard", "50-year", "", SINA)
GATE_VALUES = (
    published("GateType", "fixed floating single-leaf gate (固定式浮体一字闸门)", "", GZW),
    published("LeafLength", 60.0, "m", GZW), published("LeafWidth", 8.0, "m", GZW),
    published("LeafHeight", 6.7, "m", GZW), published("LeafMass", 1.32e6, "kg", GZW, "1,320 t"),
    SILL,
    derived("TopLevelClosed", 5.2, "m", "sill -1.5 m + 6.7 m leaf", "Wusong datum"),
)

SENSORS: tuple[tuple[str, str, str, str, Point3, str, str], ...] = (
    ("SZW-WL-01", "water_level", "Upstream level (Wusong River side)", "闸上游水位（吴淞江侧）",
     (613300.36, 3462117.02, 5.2), "m", ""),
    ("SZW-WL-02", "water_level", "Downstream level (Suzhou River side)",
     "闸下游水位（苏州河侧）", (613372.44, 3462092.91, 5.2), "m", ""),
    ("SZW-WL-03", "water_level", "Float-tank water level", "浮箱水舱水位",
     (613326.41, 3462075.1, 5.2), "m", "Gate leaf"),
    ("SZW-GO-01", "gate_opening", "Gate stroke (opening)", "闸门启闭行程",
     (613336.4, 3462104.97, 9.0), "m", "Guide columns, north bank"),
    ("SZW-IN-01", "inclination", "Gate attitude, north end", "闸门姿态（北端）",
     (613334.97, 3462100.7, 5.2), "deg", "Gate leaf"),
    ("SZW-IN-02", "inclination", "Gate attitude, south end", "闸门姿态（南端）",
     (613317.84, 3462049.49, 5.2), "deg", "Gate leaf"),
    ("SZW-RG-01", "rainfall", "West Gate rain gauge", "西闸雨量站",
     (613347.35, 3462137.68, 30.5), "mm/h", "Control tower roof"),
    ("SZW-PZ-01", "piezometer", "Chamber floor uplift 1", "闸底板扬压力 1",
     (613312.16, 3462064.04, -3.5), "m", ""),
    ("SZW-PZ-02", "piezometer", "Chamber floor uplift 2", "闸底板扬压力 2",
     (613321.65, 3462060.87, -3.5), "m", ""),
    ("SZW-PZ-03", "piezometer", "Chamber floor uplift 3", "闸底板扬压力 3",
     (613331.13, 3462057.7, -3.5), "m", ""),
    ("SZW-SM-01", "settlement", "Settlement mark (north abutment, upstream corner)",
     "沉降标点（北岸边墩上游角）", (613322.97, 3462112.1, 6.0), "mm", "North abutment"),
    ("SZW-SM-02", "settlement", "Settlement mark (north abutment, downstream corner)",
     "沉降标点（北岸边墩下游角）", (613351.42, 3462102.58, 6.0), "mm", "North abutment"),
    ("SZW-SM-03", "settlement", "Settlement mark (south abutment, upstream corner)",
     "沉降标点（南岸边墩上游角）", (613301.39, 3462047.61, 6.0), "mm", "South abutment"),
    ("SZW-SM-04", "settlement", "Settlement mark (south abutment, downstream corner)",
     "沉降标点（南岸边墩下游角）", (613329.84, 3462038.09, 6.0), "mm", "South abutment"),
    ("SZW-SM-05", "settlement", "Settlement mark (north downstream wing-wall end)",
     "沉降标点（北岸下游翼墙端）", (613374.33, 3462092.28, 5.2), "mm",
     "North wing wall, downstream"),
    ("SZW-SM-06", "settlement", "Settlement mark (south downstream wing-wall end)",
     "沉降标点（南岸下游翼墙端）", (613354.34, 3462032.53, 5.2), "mm",
     "South wing wall, downstream"),
)
"""Sensors of scenes/suzhou_west_gate/scene.toml: id, kind, names, position (E, N, H), unit,
host.  SZW-GO-01 (kind ``gate_opening``) is the hoist stroke sensor (ObjectType
"HoistStrokeSensor")."""

BANK_BREAKS = (40.0, 50.0, 100.0, 160.0)
"""|y| of the bank-wall chord ends: from the wing-wall ends out to 160 m up- and downstream."""

INFO = ModelInfo(
    work="suzhou_west_gate",
    file_name="west_gate.ifc",
    script="bim_assets/suzhou_west_gate/build_west_gate.py",
    project_name="Suzhou River West Gate (illustrative model)",
    project_long_name="苏州河西闸（示意模型）",
    description=(
        "Illustrative BIM of the Suzhou River West Gate at Anting, Jiading (Wusong River "
        "Project), for the twin_app digital-twin demo; not design or survey data. PUBLISHED "
        f"({REFERENCE} s2): navigable regulating sluice of 60 m net width; fixed floating "
        "single-leaf gate 60 m x 8 m x 6.7 m, 1,320 t; pedestrian walkway on top linking the "
        "banks; control tower; bank walls raised from 4.5 m to 5.2 m; Suzhou River design high "
        "water 4.79 m; 50-year flood standard; no pump. DERIVED: position about 31.275N "
        "121.19E; sill about -1.5 m (Wusong). ILLUSTRATIVE: chamber length, abutments, guide "
        "columns, gate pit, aprons, wing walls, walkway and building massing, bank-wall "
        "sections, sensor layout (ids and positions shared with "
        "scenes/suzhou_west_gate/scene.toml). Heights: Wusong datum, metres. Georeferencing: "
        "IfcMapConversion to EPSG:4549; local x along the gate axis, local y downstream."),
    header_notes=(
        "Comment [twin_app illustrative model of the Suzhou River West Gate; NOT design or "
        "survey data]",
        "Comment [Published (reference/projects.md s2): net width 60 m, floating gate 60 x 8 x "
        "6.7 m 1320 t, walkway, control tower, bank walls 5.2 m, no pump]",
        "Comment [Derived: position about 31.275N 121.19E, sill about -1.5 m Wusong. "
        "Illustrative: all other dimensions and the sensor layout; see Twin_Provenance]",
        "Comment [Heights Wusong datum (m); EPSG:4549 via IfcMapConversion; rebuild: python "
        "bim_assets/suzhou_west_gate/build_west_gate.py]",
    ),
    frame=FRAME,
    lonlat=(121.19, 31.275),
    site_name="Suzhou River West Gate site, Anting, Jiading",
    location_status="derived",
    location_source=LOCATION,
)


def scene_box(centre: Point3, size: Point3) -> tuple[Place, Box]:
    """Return the placement and box of a placeholder part of the scene (same frame)."""
    return box_from_centre(FRAME, FRAME, centre, size)


def add_spatial_structure(model: ModelBuilder) -> dict[str, Entity]:
    """Add the facility, its parts, the walkway bridge and the buildings."""
    sluice = model.spatial(
        "IfcMarineFacility", "sluice", "Suzhou River West Gate", model.site,
        predefined_type="USERDEFINED", object_type="NavigableSluice", long_name="苏州河西闸",
        description="Navigable regulating sluice at the upstream mouth of the Suzhou River",
        values=[NET_WIDTH, SILL, CREST, DESIGN_HIGH_WATER, FLOOD_STANDARD,
                published("Pump", "none", "", SINA)], source=SINA)
    gate_head = model.spatial(
        "IfcMarinePart", "gate_head", "Gate head", sluice, predefined_type="GATEHEAD",
        usage="LATERAL", long_name="闸首（闸室）", values=[NET_WIDTH, SILL], source=GZW)
    banks = model.spatial(
        "IfcFacilityPartCommon", "banks", "Bank walls at the gate", sluice,
        predefined_type="SEGMENT", usage="LONGITUDINAL", long_name="闸址两岸防汛墙",
        values=[CREST, DESIGN_HIGH_WATER], source=KANKAN)
    control = model.spatial(
        "IfcFacilityPartCommon", "control_area", "Control area", sluice,
        predefined_type="ABOVEGROUND", usage="REGION", long_name="管理区")
    bridge = model.spatial(
        "IfcBridge", "walkway", "Walkway bridge", gate_head, predefined_type="GIRDER",
        long_name="闸顶人行桥", description="Pedestrian walkway on top of the gate",
        values=[published("Walkway", "pedestrian walkway on top of the gate linking both banks",
                          "", SINA)], source=SINA)
    return {
        "gate_head": gate_head, "banks": banks, "bridge": bridge,
        "deck": model.spatial("IfcBridgePart", "walkway/superstructure", "Walkway deck", bridge,
                              predefined_type="SUPERSTRUCTURE", usage="LONGITUDINAL"),
        "piers": model.spatial("IfcBridgePart", "walkway/substructure", "Walkway supports",
                               bridge, predefined_type="SUBSTRUCTURE", usage="LONGITUDINAL"),
        "tower": model.spatial("IfcBuilding", "control_tower", "Control tower", control,
                               long_name="指挥塔",
                               values=[published("ControlTower", "exists", "", KANKAN)],
                               source=KANKAN),
        "operations": model.spatial("IfcBuilding", "operations_building",
                                    "Operations building", control, long_name="管理用房"),
    }


def base_slab_shapes() -> list[Box | Section]:
    """Return the chamber base slab with the gate pit: a notched section plus end blocks.

    The leaf sinks into the pit to open (top flush with the sill); the pit is the scene's
    ``gate_pit`` volume (62 x 10 m, floor at -10.5 m).  No Booleans: the notch is in the profile.
    """
    notched = ((-15.0, -3.5), (-6.0, -3.5), (-6.0, -12.0), (6.0, -12.0), (6.0, -3.5),
               (15.0, -3.5), (15.0, -1.5), (5.0, -1.5), (5.0, -10.5), (-5.0, -10.5),
               (-5.0, -1.5), (-15.0, -1.5))
    shapes: list[Box | Section] = [Section(notched, 62.0)]
    for sign in (-1.0, 1.0):
        shapes.append(Box((7.0, 30.0, 2.0), (sign * 34.5, 0.0, -3.5)))
        shapes.append(Box((1.0, 12.0, 8.5), (sign * 31.5, 0.0, -12.0)))
    return shapes


def add_gate_head(model: ModelBuilder, gate_head: Entity) -> None:
    """Add the base slab, gate leaf, abutments, guide columns, aprons, wing walls, cut-offs."""
    model.element("IfcSlab", "gate_head/base_slab", "Chamber base slab with gate pit",
                  container=gate_head, place=Place(0.0, 0.0, 0.0), shapes=base_slab_shapes(),
                  material="Concrete, substructure", predefined_type="BASESLAB",
                  description="闸室底板及闸门库", values=[SILL], source=SCENE)
    place, box = scene_box((0.0, 0.0, 1.85), (60.0, 8.0, 6.7))
    model.element(
        "IfcBuildingElementProxy", "gate_head/gate_leaf", "Floating gate leaf",
        container=gate_head, place=place, shapes=[box], material="Steel, gate leaf",
        predefined_type="USERDEFINED", object_type="GateLeaf",
        description="浮体一字闸门（60×8×6.7 m, 1320 t）; drawn closed (raised)",
        values=GATE_VALUES, source=GZW,
        operation=Operation("SZW-GO-01", "translate", "closed (raised, top at 5.2 m)",
                            (0.0, 0.0, -1.0), 6.7,
                            "opens by sinking into the gate pit; stroke reading = descent"))
    for side, sign, zh in (("North", -1.0, "北"), ("South", 1.0, "南")):
        place, box = scene_box((sign * 34.0, 0.0, 2.25), (8.0, 30.0, 7.5))
        model.element("IfcWall", f"gate_head/abutment/{side.lower()}", f"{side} abutment",
                      container=gate_head, place=place, shapes=[box], material="Concrete",
                      predefined_type="RETAININGWALL", description=f"{zh}岸边墩",
                      values=[illustrative("TopLevel", 6.0, "m", "Wusong datum")], source=SCENE)
        for reach, y, zh_reach in (("upstream", -1.0, "上游"), ("downstream", 1.0, "下游")):
            place, box = scene_box((sign * 31.5, y * 5.0, 3.75), (2.0, 1.0, 10.5))
            model.element(
                "IfcColumn", f"gate_head/guide/{side.lower()}/{reach}",
                f"Guide column, {side.lower()} bank, {reach}", container=gate_head,
                place=place, shapes=[box], material="Steel, guide column",
                predefined_type="USERDEFINED", object_type="GuideColumn",
                description=f"{zh}岸{zh_reach}导向柱",
                values=[published("InstallationTolerance", 0.002, "m", GZW, "at most 2 mm")],
                source=GZW)
            place, box = scene_box((sign * 31.5, y * 27.5, 1.85), (3.0, 25.0, 6.7))
            model.element(
                "IfcWall", f"gate_head/wing/{side.lower()}/{reach}",
                f"{side} wing wall, {reach}", container=gate_head, place=place, shapes=[box],
                material="Concrete", predefined_type="RETAININGWALL",
                description=f"{zh}岸{zh_reach}翼墙", values=[CREST], source=SCENE)
    for key, name, zh, centre, size in (
            ("apron", "Upstream apron", "上游护坦", (0.0, -25.0, -2.0), (60.0, 20.0, 1.2)),
            ("basin", "Downstream stilling basin", "下游消力池", (0.0, 27.5, -2.0),
             (60.0, 25.0, 1.2))):
        place, box = scene_box(centre, size)
        model.element("IfcSlab", f"gate_head/{key}", name, container=gate_head, place=place,
                      shapes=[box], material="Concrete, substructure",
                      predefined_type="USERDEFINED",
                      object_type="Apron" if key == "apron" else "StillingBasinFloor",
                      description=zh, source=SCENE)
    for reach, y in (("upstream", -14.8), ("downstream", 14.8)):
        model.element(
            "IfcPile", f"gate_head/cutoff/{reach}", f"Sheet-pile cut-off ({reach} edge)",
            container=gate_head, place=Place(0.0, y, -15.5), shapes=[Box((76.0, 0.4, 12.0))],
            material="Precast concrete sheet pile", predefined_type="USERDEFINED",
            object_type="SheetPileCutOff", description="底板防渗板桩",
            attributes={"ConstructionType": "PRECAST_CONCRETE"},
            values=[illustrative("ToeLevel", -15.5, "m", "Wusong datum")])


def add_walkway(model: ModelBuilder, deck: Entity, piers: Entity) -> None:
    """Add the walkway deck, its railings and its two supports on the abutments."""
    model.element("IfcSlab", "walkway/deck", "Walkway deck", container=deck,
                  place=Place(0.0, 0.0, 9.6), shapes=[Box((76.0, 4.0, 0.6))],
                  material="Concrete, superstructure", predefined_type="USERDEFINED",
                  object_type="BridgeDeck", description="人行桥桥面",
                  values=[illustrative("DeckLevel", 10.2, "m",
                                       "Wusong datum; 5 m over the 5.2 m crest")], source=SINA)
    for side, y in (("upstream", -1.95), ("downstream", 1.95)):
        model.element("IfcRailing", f"walkway/railing/{side}", f"Walkway railing ({side})",
                      container=deck, place=Place(0.0, y, 10.2),
                      shapes=[Box((76.0, 0.1, 1.1))], material="Steel, railing",
                      predefined_type="HANDRAIL", description="栏杆", source=SINA)
    for side, sign in (("north", -1.0), ("south", 1.0)):
        model.element("IfcColumn", f"walkway/pier/{side}", f"Walkway support ({side})",
                      container=piers, place=Place(sign * 34.0, 0.0, 6.0),
                      shapes=[Box((1.5, 3.0, 3.6))], material="Concrete, superstructure",
                      predefined_type="PIERSTEM", description="人行桥支墩", source=SINA)


def top_half(y: float) -> float:
    """Return the river's half top width at ``y`` (as in scenes/make_placeholder_data.py)."""
    return float(min(40.0, max(35.0, 40.0 - 5.0 * (abs(y) - 50.0) / 110.0)))


def bank_points(sign: float, direction: float) -> list[Point2]:
    """Return the river-face line of one bank reach: (x, y) at the chord ends."""
    first = (sign * 33.0, direction * BANK_BREAKS[0])
    return [first, *((sign * top_half(y), direction * y) for y in BANK_BREAKS[1:])]


def add_bank(model: ModelBuilder, banks: Entity, side: str, sign: float, reach: str,
             direction: float) -> None:
    """Add one bank reach: a wall on the river face and the earth fill behind each chord."""
    points = bank_points(sign, direction)
    for number, (start, end) in enumerate(pairwise(points), start=1):
        dx, dy = end[0] - start[0], end[1] - start[1]
        length = math.hypot(dx, dy)
        turn = math.degrees(math.atan2(dy, dx))
        land = 1.0 if (-dy / length) * sign > 0 else -1.0  # +y' of the chord points inland?
        place = Place((start[0] + end[0]) / 2.0, (start[1] + end[1]) / 2.0, 0.0, turn)
        key = f"banks/{side}/{reach}/{number}"
        model.element(
            "IfcWall", f"{key}/wall", f"{side.capitalize()} bank wall, {reach} {number}",
            container=banks, place=place, shapes=[Box((length, 0.8, 5.2), (0.0, land * 0.4,
                                                                           0.0))],
            material="Concrete, flood wall", predefined_type="RETAININGWALL",
            description="苏州河防汛墙（直立式护岸）", values=[CREST], source=KANKAN)
        fill = tuple((land * u, v) for u, v in ((0.8, 2.6), (0.8, 5.2), (8.0, 5.2),
                                                  (14.0, 3.2), (14.0, 2.6)))
        if land < 0:
            fill = tuple(reversed(fill))
        model.element(
            "IfcEarthworksFill", f"{key}/fill", f"{side.capitalize()} bank embankment, "
            f"{reach} {number}", container=banks, place=place,
            shapes=[Section(fill, length)], material="Earth fill", predefined_type="EMBANKMENT",
            description="堤身填土", source=KANKAN,
            values=[CREST, illustrative("CrestWidth", 7.2, "m"),
                    illustrative("LandSideSlope", "1:3")])


def add_sensors(model: ModelBuilder, parts: dict[str, Entity]) -> None:
    """Add the instruments with the scene's ids and positions."""
    members = []
    for sensor_id, kind, name_en, name_zh, position, unit, host in SENSORS:
        container = parts["tower"] if sensor_id == "SZW-RG-01" else parts["gate_head"]
        object_type = "HoistStrokeSensor" if sensor_id == "SZW-GO-01" else None
        sensor = model.sensor(SensorSpec(sensor_id, kind, name_en, name_zh, position, unit,
                                         host=host, object_type=object_type), container)
        if kind == "piezometer":
            members.append(sensor)
    model.group("group/uplift/S1", "Uplift monitoring section S1", members,
                "Piezometers across the chamber floor at x = 15 m, upstream to downstream "
                "(illustrative)")


S2_TIMELINE = f"{REFERENCE} s2 timeline (91zixun 2023-01-28, sina 2023-12-20, gzw 2025-06-24) [H/M]"
SCHEDULE = ScheduleSpec(
    "WG", "Suzhou River West Gate construction", "苏州河西闸工程施工",
    "Construction schedule of the West Gate. PUBLISHED to the month (" + S2_TIMELINE + "): "
    "construction started 2022; foundation-pit support and cofferdam piling 2023-01; water-passing "
    "acceptance Q2 2023; diversion channel closed Dec 2023; sluice chamber complete about May "
    "2024 with gate installation due the next month; completion acceptance about June 2025. "
    "Days within those months, the packages and every other date are ILLUSTRATIVE.",
    "2025-06-30",
    (TaskSpec("WG-M1", "Construction start", "开工", ("2022-06-01", "2022-06-01"),
              ("2022-06-01", "2022-06-01"), milestone=True,
              sources={"ActualStart": f"derived: published year 2022 ({S2_TIMELINE})"}),
     TaskSpec("WG-01", "Cofferdam piling and cut-offs", "围堰打桩及防渗墙",
              ("2023-01-01", "2023-03-31"), ("2023-01-05", "2023-04-15"), ("gate_head/cutoff/*",),
              sources={"ActualStart": f"derived: published month 2023-01 ({S2_TIMELINE})"}),
     TaskSpec("WG-02", "Gate head base slab, apron and stilling basin", "闸室底板、护坦及消力池",
              ("2023-04-01", "2023-09-30"), ("2023-04-20", "2023-10-31"),
              ("gate_head/base_slab", "gate_head/apron", "gate_head/basin")),
     TaskSpec("WG-03", "Abutments, wing walls and guide columns", "边墩、翼墙及导向柱",
              ("2023-10-01", "2024-05-31"), ("2023-11-01", "2024-05-20"),
              ("gate_head/abutment/*", "gate_head/wing/*", "gate_head/guide/*"),
              sources={"ActualFinish": f"derived: chamber complete about May 2024 "
                                       f"({S2_TIMELINE})"}),
     TaskSpec("WG-04", "Bank walls and embankment fills", "两岸防汛墙及填土",
              ("2023-03-01", "2024-03-31"), ("2023-03-15", "2024-06-30"), ("banks/*",)),
     TaskSpec("WG-05", "Floating gate leaf installation", "浮体一字闸门安装",
              ("2024-06-01", "2024-08-31"), ("2024-06-10", "2024-09-30"),
              ("gate_head/gate_leaf",),
              sources={"ScheduleStart": f"derived: installation due June 2024 ({S2_TIMELINE})"}),
     TaskSpec("WG-06", "Walkway bridge", "闸顶人行桥", ("2024-09-01", "2024-12-31"),
              ("2024-10-15", "2025-03-31"), ("walkway/*",)),
     TaskSpec("WG-07", "Control tower and operations building", "指挥塔及管理用房",
              ("2024-03-01", "2024-12-31"), ("2024-03-15", "2025-05-31"),
              ("control_tower/*", "operations_building/*")),
     TaskSpec("WG-08", "Monitoring instruments and gate control system", "监测仪器及闸控系统",
              ("2024-09-01", "2025-02-28"), ("2024-10-01", None), ("sensor/*",)),
     TaskSpec("WG-M2", "Completion acceptance", "竣工验收", ("2025-06-30", "2025-06-30"),
              milestone=True,
              sources={"ScheduleStart": f"derived: about June 2025 ({S2_TIMELINE})",
                       "ScheduleFinish": f"derived: about June 2025 ({S2_TIMELINE})"})))
"""The West Gate's construction schedule (4D): months public, days and packages illustrative."""


def build(output: Path = OUTPUT) -> Path:
    """Build the Suzhou River West Gate model and write it to ``output``."""
    model = ModelBuilder(INFO)
    parts = add_spatial_structure(model)
    add_gate_head(model, parts["gate_head"])
    add_walkway(model, parts["deck"], parts["piers"])
    for side, sign in (("north", -1.0), ("south", 1.0)):
        for reach, direction in (("upstream", -1.0), ("downstream", 1.0)):
            add_bank(model, parts["banks"], side, sign, reach, direction)
    place, _ = scene_box((-66.0, 0.0, 16.95), (12.0, 12.0, 26.1))
    model.building_shell("control_tower", "Control tower", parts["tower"], place,
                         (12.0, 12.0, 26.1), wall=0.4, roof=0.5, material="Tower cladding",
                         source=KANKAN)
    place, _ = scene_box((-75.0, -16.0, 7.45), (30.0, 16.0, 7.1))
    model.building_shell("operations_building", "Operations building", parts["operations"],
                         place, (30.0, 16.0, 7.1), source=SCENE)
    add_sensors(model, parts)
    add_work_schedule(model, SCHEDULE)
    return model.write(output)


if __name__ == "__main__":
    run(build, OUTPUT)
