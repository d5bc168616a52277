"""Build the IFC model of the Xinchuansha pump-gate hub (新川沙泵闸枢纽).

Usage::

    python bim_assets/xinchuansha/build_xinchuansha.py [--output FILE]

Writes ``bim_assets/xinchuansha/xinchuansha.ifc`` (IFC4X3_ADD2, metres, EPSG:4549, Wusong
heights).  Published (reference/projects.md section 1.1): the location (the old Xinchuansha
sluice), the 150 m3/s bidirectional pump station, the 60 m total net width of the sluice, its
650 m3/s design discharge, the -3.26 m sill and the 6,250 m3 single pour of the sluice base slab.
Everything else is illustrative: the 15 + 30 + 15 m openings, lift gates, 5 x 30 m3/s pump units,
every dimension and the sensor layout.  The layout follows the placeholder boxes and sensors of
``scenes/xinchuansha/scene.toml`` (same frame, same sensor ids and positions).

Spatial structure::

    IfcProject > IfcSite > IfcMarineFacility USERDEFINED "PumpGateHub"
        > IfcMarinePart GATEHEAD "Control sluice"      > IfcBuilding "Hoist house"
        > IfcMarinePart USERDEFINED "PumpStation"      > IfcBuilding "Pump house"
        > IfcFacilityPartCommon ABOVEGROUND "Operations area" > IfcBuilding "Control building"

IfcMarineFacility: the hub sits in the Yangtze estuary seawall line and controls water levels, the
marine/waterway domain of IFC 4.3.  None of its predefined types fits (it is not a SHIPLOCK: no
navigation is published), hence USERDEFINED with ObjectType "PumpGateHub".  GATEHEAD ("gate,
supporting structure and plant of an impounded facility") fits the sluice.  Buildings sit under
facility parts, which IFC 4.3 allows for facilities within facility parts.
"""

from __future__ import annotations

import sys
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from bim_assets._authoring import (
    REFERENCE,
    Box,
    Cylinder,
    Entity,
    Frame,
    ModelBuilder,
    ModelInfo,
    Operation,
    Place,
    Point3,
    SensorSpec,
    box_from_centre,
    derived,
    illustrative,
    published,
    run,
)
from bim_assets._schedule import ScheduleSpec, TaskSpec, add_work_schedule

HERE = Path(__file__).resolve().parent
OUTPUT = HERE / "xinchuansha.ifc"

FRAME = Frame(629009.58, 3485703.82, -25.0)
"""Model frame = the placeholders' placement in scenes/xinchuansha/scene.toml: origin at the old
sluice's published lon/lat, x along the gate line (east-south-east), y downstream (the flow
direction towards the Yangtze, bearing 65 degrees), z = Wusong height."""

S11 = f"{REFERENCE} s1.1 (municipal construction commission release, 2023-09, repost) [M]"
LOCATION = f"{REFERENCE} s1.1 (old Xinchuansha sluice, 31.486419N 121.357708E) [M]"
SCENE = "scenes/xinchuansha/scene.toml placeholder"

SILL = published("SillLevel", -3.26, "m", S11, "Wusong datum")
NET_WIDTH = published("NetWidthTotal", 60.0, "m", S11)
DISCHARGE = published("DesignDischarge", 650.0, "m3/s", S11)
PUMP_CAPACITY = published("PumpStationCapacity", 150.0, "m3/s", S11,
                          "bidirectional (drainage and intake)")
TOP_WIDTH = published("ChannelTopWidth", "96-175 m", "", S11)
STRUCTURE_TOP = illustrative("StructureTopLevel", 8.5, "m",
                             "Wusong datum; projects.md s1.2 suggests 8.0-8.5 m")

OPENINGS = ((1, -65.5, 15.0), (2, -40.0, 30.0), (3, -14.5, 15.0))
"""(number, centre x, net width): ILLUSTRATIVE split of the published 60 m (after the analogue
Jinhuigang south sluice, 60 m with a 30 m central lift gate, projects.md s1.2)."""
PIERS = ((1, "Left edge pier", "左边墩", -75.0, 4.0), (2, "Middle pier 1", "1号中墩", -56.5, 3.0),
         (3, "Middle pier 2", "2号中墩", -23.5, 3.0), (4, "Right edge pier", "右边墩", -5.0, 4.0))
PUMP_X = (10.2, 24.6, 39.0, 53.4, 67.8)
"""Pump unit centres along the gate line (scene placeholders); 5 x 30 m3/s is ILLUSTRATIVE."""
PASSAGE_WALL_X = (3.6, 17.4, 31.8, 46.2, 60.6, 74.4)

SENSORS: tuple[tuple[str, str, str, str, Point3, str, str], ...] = (
    ("XCS-WL-01", "water_level", "Tide level, Yangtze side", "长江侧潮位",
     (628955.34, 3485773.25, 8.5), "m", ""),
    ("XCS-WL-02", "water_level", "Inland water level", "内河侧水位",
     (628921.53, 3485700.74, 6.0), "m", ""),
    ("XCS-WL-03", "water_level", "Pump forebay level", "泵站前池水位",
     (629062.01, 3485635.24, 6.0), "m", ""),
    ("XCS-WL-04", "water_level", "Pump outlet basin level", "泵站出水池水位",
     (629093.71, 3485703.21, 8.5), "m", ""),
    ("XCS-RG-01", "rainfall", "Hub rain gauge", "枢纽雨量站",
     (629094.48, 3485625.61, 16.5), "mm/h", "Control building roof"),
    ("XCS-GO-01", "gate_opening", "Gate 1 opening", "1号闸门开度",
     (628952.75, 3485736.94, 20.5), "m", "Hoist deck"),
    ("XCS-GO-02", "gate_opening", "Gate 2 opening", "2号闸门开度",
     (628975.87, 3485726.16, 20.5), "m", "Hoist deck"),
    ("XCS-GO-03", "gate_opening", "Gate 3 opening", "3号闸门开度",
     (628998.98, 3485715.38, 20.5), "m", "Hoist deck"),
    ("XCS-PF-01", "pump_flow", "Pump station total flow", "泵站总流量",
     (629051.06, 3485700.48, 14.0), "m3/s", ""),
    *((f"XCS-PS-0{n}", "pump_state", f"Pump unit {n} state", f"{n}号泵组运行状态", position,
       "1", f"Pump unit {n}") for n, position in enumerate((
           (629017.35, 3485696.34, 6.5), (629030.4, 3485690.25, 6.5),
           (629043.45, 3485684.16, 6.5), (629056.5, 3485678.08, 6.5),
           (629069.55, 3485671.99, 6.5)), start=1)),
    ("XCS-PZ-01", "piezometer", "Sluice floor uplift, upstream", "闸底板扬压力（上游）",
     (628968.26, 3485709.85, -5.76), "m", ""),
    ("XCS-PZ-02", "piezometer", "Sluice floor uplift, middle", "闸底板扬压力（中）",
     (628973.33, 3485720.72, -5.76), "m", ""),
    ("XCS-PZ-03", "piezometer", "Sluice floor uplift, downstream", "闸底板扬压力（下游）",
     (628978.4, 3485731.6, -5.76), "m", ""),
    ("XCS-PZ-04", "piezometer", "Pump floor uplift, intake side", "泵房底板扬压力（进水侧）",
     (629037.32, 3485671.02, -9.0), "m", ""),
    ("XCS-PZ-05", "piezometer", "Pump floor uplift, middle", "泵房底板扬压力（中）",
     (629043.24, 3485683.71, -9.0), "m", ""),
    ("XCS-PZ-06", "piezometer", "Pump floor uplift, outlet side", "泵房底板扬压力（出水侧）",
     (629049.15, 3485696.4, -9.0), "m", ""),
    ("XCS-SM-01", "settlement", "Settlement mark (sluice chamber, inland-west corner)",
     "沉降标点（闸室西南角）", (628933.03, 3485721.86, 8.5), "mm", "Left edge pier"),
    ("XCS-SM-02", "settlement", "Settlement mark (sluice chamber, Yangtze-west corner)",
     "沉降标点（闸室西北角）", (628946.56, 3485750.86, 8.5), "mm", "Left edge pier"),
    ("XCS-SM-03", "settlement", "Settlement mark (sluice chamber, inland-east corner)",
     "沉降标点（闸室东南角）", (629000.1, 3485690.59, 8.5), "mm", "Right edge pier"),
    ("XCS-SM-04", "settlement", "Settlement mark (sluice chamber, Yangtze-east corner)",
     "沉降标点（闸室东北角）", (629013.62, 3485719.59, 8.5), "mm", "Right edge pier"),
    ("XCS-SM-05", "settlement", "Settlement mark (pump house, inland-west corner)",
     "沉降标点（泵房西南角）", (629003.0, 3485682.61, 14.0), "mm", "Pump house"),
    ("XCS-SM-06", "settlement", "Settlement mark (pump house, inland-east corner)",
     "沉降标点（泵房东南角）", (629068.26, 3485652.18, 14.0), "mm", "Pump house"),
    ("XCS-SM-07", "settlement", "Settlement mark (pump house, Yangtze-west corner)",
     "沉降标点（泵房西北角）", (629018.22, 3485715.24, 14.0), "mm", "Pump house"),
    ("XCS-SM-08", "settlement", "Settlement mark (pump house, Yangtze-east corner)",
     "沉降标点（泵房东北角）", (629083.47, 3485684.81, 14.0), "mm", "Pump house"),
)
"""Sensors of scenes/xinchuansha/scene.toml: id, kind, names, position (E, N, H), unit, host."""

EXTRA_PIEZOMETERS = (("XCS-PZ-07", -12.0, "upstream", "上游"), ("XCS-PZ-08", 0.0, "middle", "中"),
                     ("XCS-PZ-09", 12.0, "downstream", "下游"))
"""Third uplift section (under opening 3, x = -14.5): the brief asks for 3 x 3 piezometers under
the floors (GB/T 50265: at least 3 sections of 3); the scene has two sections.  Not in the scene
file yet, flagged ``Twin_Sensor.InScene = False``."""

INFO = ModelInfo(
    work="xinchuansha",
    file_name="xinchuansha.ifc",
    script="bim_assets/xinchuansha/build_xinchuansha.py",
    project_name="Xinchuansha pump-gate hub (illustrative model)",
    project_long_name="新川沙泵闸枢纽（示意模型）",
    description=(
        "Illustrative BIM of the Xinchuansha pump-gate hub of the Wusong River Project, Shanghai, "
        "for the twin_app digital-twin demo; not design or survey data. PUBLISHED "
        f"({REFERENCE} s1.1): location of the old Xinchuansha sluice 31.486419N 121.357708E "
        "(the new hub is at or near the same mouth); bidirectional pump station 150 m3/s; "
        "control sluice 60 m total net width, design discharge 650 m3/s, sill -3.26 m (Wusong); "
        "channel top width 96-175 m; base slab poured as 6,250 m3 in one pour (2022-11-13). "
        "ILLUSTRATIVE: three openings 15 + 30 + 15 m with lift gates, five 30 m3/s pump units, "
        "every dimension and level not listed above, the sensor layout (ids and positions shared "
        "with scenes/xinchuansha/scene.toml). Heights: Wusong datum, metres. Georeferencing: "
        "IfcMapConversion to EPSG:4549; local x along the gate line, local y downstream."),
    header_notes=(
        "Comment [twin_app illustrative model of the Xinchuansha pump-gate hub; NOT design or "
        "survey data]",
        "Comment [Published (reference/projects.md s1.1): location (old sluice), pump station "
        "150 m3/s, sluice net width 60 m, design discharge 650 m3/s, sill -3.26 m Wusong, "
        "base-slab pour 6250 m3]",
        "Comment [Illustrative: openings 15+30+15 m, gate type, 5 pump units of 30 m3/s, all "
        "other dimensions, sensor layout; each element's Twin_Provenance says which]",
        "Comment [Heights Wusong datum (m); EPSG:4549 via IfcMapConversion; rebuild: python "
        "bim_assets/xinchuansha/build_xinchuansha.py]",
    ),
    frame=FRAME,
    lonlat=(121.357708, 31.486419),
    site_name="Xinchuansha River mouth, Luojing, Baoshan",
    location_status="published",
    location_source=LOCATION,
)


def scene_box(centre: Point3, size: Point3) -> tuple[Place, Box]:
    """Return the placement and box of a placeholder part of the scene (same frame)."""
    return box_from_centre(FRAME, FRAME, centre, size)


def add_spatial_structure(model: ModelBuilder) -> dict[str, Entity]:
    """Add the facility, its parts and buildings; return them by short name."""
    hub = model.spatial(
        "IfcMarineFacility", "hub", "Xinchuansha pump-gate hub", model.site,
        predefined_type="USERDEFINED", object_type="PumpGateHub", long_name="新川沙泵闸枢纽",
        description="Easternmost hub of the Wusong River Project (Shanghai section)",
        values=[PUMP_CAPACITY, NET_WIDTH, DISCHARGE, SILL, TOP_WIDTH], source=S11)
    sluice = model.spatial(
        "IfcMarinePart", "sluice", "Control sluice", hub, predefined_type="GATEHEAD",
        usage="LATERAL", long_name="节制闸",
        values=[NET_WIDTH, DISCHARGE, SILL, STRUCTURE_TOP,
                illustrative("Openings", "3 (15 + 30 + 15 m)", "",
                             "split of the published 60 m after the Jinhuigang analogue"),
                illustrative("GateType", "vertical-lift plain steel gates")], source=S11)
    pumps = model.spatial(
        "IfcMarinePart", "pump_station", "Bidirectional pump station", hub,
        predefined_type="USERDEFINED", object_type="PumpStation", usage="LATERAL",
        long_name="双向泵站",
        values=[PUMP_CAPACITY, illustrative("PumpUnits", 5, "count", "or 6 x 25 m3/s"),
                illustrative("UnitFlowRate", 30.0, "m3/s")], source=S11)
    operations = model.spatial(
        "IfcFacilityPartCommon", "operations", "Operations area", hub,
        predefined_type="ABOVEGROUND", usage="REGION", long_name="管理区")
    return {
        "hub": hub, "sluice": sluice, "pumps": pumps,
        "hoist_house": model.spatial("IfcBuilding", "hoist_house", "Hoist house", sluice,
                                     long_name="启闭机房"),
        "pump_house": model.spatial("IfcBuilding", "pump_house", "Pump house", pumps,
                                    long_name="泵房"),
        "control_building": model.spatial("IfcBuilding", "control_building",
                                          "Control building", operations,
                                          long_name="管理控制楼"),
    }


def add_sluice_structure(model: ModelBuilder, sluice: Entity) -> None:
    """Add the sluice's base slab, piers, cut-offs, decks, basins and walls."""
    place, box = scene_box((-40.0, 0.0, -4.51), (74.0, 32.0, 2.5))
    model.element(
        "IfcSlab", "sluice/base_slab", "Sluice chamber base slab", container=sluice,
        place=place, shapes=[box], material="Concrete, substructure",
        predefined_type="BASESLAB", description="闸室底板; top = sill",
        values=[SILL, published("SinglePourVolume", 6250.0, "m3", S11 + ", poured 2022-11-13"),
                illustrative("ModelledVolume", 74.0 * 32.0 * 2.5, "m3",
                             "74 x 32 x 2.5 m (dimensions illustrative)")], source=S11)
    for number, name, zh, x, width in PIERS:
        place, box = scene_box((x, 0.0, 2.62), (width, 32.0, 11.76))
        model.element(
            "IfcWall", f"sluice/pier/{number}", name, container=sluice, place=place,
            shapes=[box], material="Concrete", predefined_type="USERDEFINED",
            object_type="SluicePier", description=zh,
            values=[SILL, STRUCTURE_TOP, illustrative("Thickness", width, "m")], source=SCENE)
    for side, y in (("inland", -15.8), ("Yangtze", 15.8)):
        model.element(
            "IfcPile", f"sluice/cutoff/{side}", f"Sluice sheet-pile cut-off ({side} side)",
            container=sluice, place=Place(-40.0, y, -17.76), shapes=[Box((74.0, 0.4, 12.0))],
            material="Precast concrete sheet pile", predefined_type="USERDEFINED",
            object_type="SheetPileCutOff", description="闸底板防渗板桩",
            attributes={"ConstructionType": "PRECAST_CONCRETE"},
            values=[illustrative("ToeLevel", -17.76, "m", "Wusong datum")])
    slabs = (("hoist_deck", "Hoist deck", "启闭机工作桥", (-40.0, 6.0, 20.0), (74.0, 6.0, 1.0),
              "HoistDeck", "Concrete, superstructure"),
             ("bridge_deck", "Road bridge deck", "交通桥", (-40.0, -10.5, 8.4), (74.0, 7.0, 0.8),
              "RoadBridgeDeck", "Concrete, superstructure"),
             ("basin_outer", "Stilling basin, Yangtze side", "外河侧消力池", (-40.0, 28.0, -3.7),
              (74.0, 24.0, 1.2), "StillingBasinFloor", "Concrete, substructure"),
             ("basin_inner", "Stilling basin, inland side", "内河侧消力池", (-40.0, -28.0, -3.7),
              (74.0, 24.0, 1.2), "StillingBasinFloor", "Concrete, substructure"))
    for key, name, zh, centre, size, object_type, material in slabs:
        place, box = scene_box(centre, size)
        model.element("IfcSlab", f"sluice/{key}", name, container=sluice, place=place,
                      shapes=[box], material=material, predefined_type="USERDEFINED",
                      object_type=object_type, description=zh, source=SCENE)
    for number, _, zh, x, width in PIERS:
        place, box = scene_box((x, 6.0, 14.0), (width, 6.0, 11.0))
        model.element("IfcColumn", f"sluice/hoist_column/{number}",
                      f"Hoist column on pier {number}", container=sluice, place=place,
                      shapes=[box], material="Concrete, superstructure",
                      predefined_type="COLUMN", description=f"{zh}启闭排架", source=SCENE)
    walls = (("wing_outer_left", "Left wing wall, Yangtze side", "外河侧左翼墙",
              (-78.5, 31.0, 2.25), (3.0, 30.0, 12.5), "RETAININGWALL", None),
             ("wing_inner_left", "Left wing wall, inland side", "内河侧左翼墙",
              (-78.5, -31.0, 1.0), (3.0, 30.0, 10.0), "RETAININGWALL", None),
             ("divide_wall", "Dividing wall between sluice and pumps", "闸站分隔导流墙",
              (0.0, 0.0, 1.25), (3.0, 120.0, 10.5), "USERDEFINED", "DividingGuideWall"))
    for key, name, zh, centre, size, predefined, object_type in walls:
        place, box = scene_box(centre, size)
        model.element("IfcWall", f"sluice/{key}", name, container=sluice, place=place,
                      shapes=[box], material="Concrete", predefined_type=predefined,
                      object_type=object_type, description=zh, source=SCENE)


def add_gates(model: ModelBuilder, sluice: Entity, hoist_house: Entity) -> None:
    """Add the three gate leaves (separate, movable) and their hoists and hoist house.

    Gate leaf class: IFC 4.3 has no hydraulic-gate entity.  IfcDoor GATE is "a point of entry in
    a fence or wall" for people or vehicles and implies a door-like operation and an opening it
    fills; IfcElementAssembly would need parts that all move together.  A single
    IfcBuildingElementProxy (USERDEFINED, ObjectType "GateLeaf") with its own placement is the
    honest choice: live gate-opening data moves exactly that element along Twin_Operation's axis.
    """
    for number, x, width in OPENINGS:
        place, box = scene_box((x, 6.0, 1.97), (width + 1.0, 1.5, 10.46))
        model.element(
            "IfcBuildingElementProxy", f"sluice/gate_leaf/{number}",
            f"Gate leaf {number} ({width:g} m)", container=sluice, place=place, shapes=[box],
            material="Steel, gate leaf", predefined_type="USERDEFINED", object_type="GateLeaf",
            description=f"{number}号闸门（{width:g} m）, vertical-lift plain steel gate",
            values=[SILL, illustrative("OpeningNetWidth", width, "m"),
                    illustrative("LeafWidth", width + 1.0, "m", "0.5 m into each pier slot"),
                    illustrative("LeafHeight", 10.46, "m"),
                    illustrative("TopLevelClosed", 7.2, "m", "Wusong datum")],
            source=S11,
            operation=Operation(f"XCS-GO-0{number}", "translate", "closed (on the sill)",
                                (0.0, 0.0, 1.0), 12.0))
        model.element(
            "IfcActuator", f"sluice/hoist/{number}", f"Hoist {number}", container=hoist_house,
            place=Place(x + 4.5, 6.0, 20.5), shapes=[Box((3.0, 3.0, 1.8))],
            material="Steel, hoist", predefined_type="ELECTRICACTUATOR",
            description=f"{number}号卷扬式启闭机 (winch hoist)",
            values=[illustrative("HoistType", "electric winch hoist")])
    place, _ = scene_box((-40.0, 6.0, 22.25), (72.0, 5.0, 3.5))
    model.building_shell("hoist_house", "Hoist house", hoist_house, place, (72.0, 5.0, 3.5),
                         wall=0.3, roof=0.3, source=SCENE)


def add_pump_station(model: ModelBuilder, pumps: Entity, pump_house: Entity) -> None:
    """Add the pump house substructure, hall walls, the five pump units and the crane."""
    place, box = scene_box((39.0, -4.0, -8.0), (72.0, 36.0, 2.0))
    model.element("IfcSlab", "pumps/base_slab", "Pump house base slab", container=pump_house,
                  place=place, shapes=[box], material="Concrete, substructure",
                  predefined_type="BASESLAB", description="泵房底板", source=SCENE,
                  values=[illustrative("BottomLevel", -9.0, "m", "Wusong datum")])
    for number, x in enumerate(PASSAGE_WALL_X, start=1):
        place, box = scene_box((x, -4.0, -3.0), (1.2, 36.0, 8.0))
        model.element("IfcWall", f"pumps/passage_wall/{number}", f"Flow passage wall {number}",
                      container=pump_house, place=place, shapes=[box], material="Concrete",
                      predefined_type="SOLIDWALL", description="流道隔墙", source=SCENE)
    place, box = scene_box((39.0, -4.0, 1.5), (72.0, 36.0, 1.0))
    model.element("IfcSlab", "pumps/pump_floor", "Pump floor", container=pump_house,
                  place=place, shapes=[box], material="Concrete, substructure",
                  predefined_type="FLOOR", description="水泵层楼板", source=SCENE,
                  values=[illustrative("FloorLevel", 2.0, "m", "Wusong datum")])
    halls = (("inner", "inland side", "内河侧墙", (39.0, -21.4, 8.0), (72.0, 1.2, 12.0)),
             ("outer", "Yangtze side", "外河侧墙", (39.0, 13.4, 8.0), (72.0, 1.2, 12.0)),
             ("west", "west gable", "西山墙", (3.6, -4.0, 8.0), (1.2, 33.6, 12.0)),
             ("east", "east gable", "东山墙", (74.4, -4.0, 8.0), (1.2, 33.6, 12.0)))
    for key, side, zh, centre, size in halls:
        place, box = scene_box(centre, size)
        model.element("IfcWall", f"pumps/hall_wall/{key}", f"Motor hall wall, {side}",
                      container=pump_house, place=place, shapes=[box],
                      material="Building envelope", predefined_type="SOLIDWALL",
                      description=f"主厂房{zh}; roof omitted as in the scene so units stay visible",
                      source=SCENE)
    for number, x in enumerate(PUMP_X, start=1):
        model.element(
            "IfcPump", f"pumps/unit/{number}", f"Pump unit {number}", container=pump_house,
            place=Place(x, -3.5, 2.0), shapes=[Cylinder(2.25, 9.0, "y", (0.0, 0.0, 2.25))],
            material="Steel, pump unit", predefined_type="USERDEFINED",
            object_type="BidirectionalShaftTubularPump", tag=f"P{number}",
            description=f"{number}号泵组 (bidirectional shaft tubular axial-flow unit)",
            values=[illustrative("NominalFlowRate", 30.0, "m3/s", "share of 150 m3/s"),
                    derived("StationCapacityShare", 0.2, "1", "30 / 150 m3/s (published total)"),
                    illustrative("UnitType", "bidirectional shaft tubular (竖井贯流) pump")],
            source=S11, operation=Operation(f"XCS-PS-0{number}", "state", "stopped"))
    place, box = scene_box((39.0, -4.5, 12.5), (69.6, 3.0, 1.0))
    model.element("IfcTransportElement", "pumps/crane", "Overhead travelling crane",
                  container=pump_house, place=place, shapes=[box], material="Steel, crane",
                  predefined_type="CRANEWAY", description="桥式起重机", source=SCENE)
    for side, y in (("intake", -21.8), ("outlet", 13.8)):
        model.element(
            "IfcPile", f"pumps/cutoff/{side}", f"Pump house sheet-pile cut-off ({side} side)",
            container=pump_house, place=Place(39.0, y, -21.0), shapes=[Box((72.0, 0.4, 12.0))],
            material="Precast concrete sheet pile", predefined_type="USERDEFINED",
            object_type="SheetPileCutOff", description="泵房底板防渗板桩",
            attributes={"ConstructionType": "PRECAST_CONCRETE"},
            values=[illustrative("ToeLevel", -21.0, "m", "Wusong datum")])
    wings = (("wing_outer_right", "Right wing wall, Yangtze side", "外河侧右翼墙",
              (76.5, 30.0, 2.25), (3.0, 32.0, 12.5)),
             ("wing_inner_right", "Right wing wall, inland side", "内河侧右翼墙",
              (76.5, -37.0, 1.0), (3.0, 30.0, 10.0)))
    for key, name, zh, centre, size in wings:
        place, box = scene_box(centre, size)
        model.element("IfcWall", f"pumps/{key}", name, container=pumps, place=place,
                      shapes=[box], material="Concrete", predefined_type="RETAININGWALL",
                      description=zh, source=SCENE)


def sensor_part(sensor_id: str, host: str) -> str:
    """Return the short name of the spatial element that contains a scene sensor."""
    if sensor_id in ("XCS-WL-03", "XCS-WL-04"):
        return "pumps"
    if sensor_id == "XCS-RG-01":
        return "control_building"
    if sensor_id in ("XCS-PF-01", "XCS-PZ-04", "XCS-PZ-05", "XCS-PZ-06") or host.startswith(
            "Pump"):
        return "pump_house"
    return "sluice"


def add_sensors(model: ModelBuilder, parts: dict[str, Entity]) -> None:
    """Add the instruments (scene ids and positions) and group the uplift sections."""
    sensors = {}
    for sensor_id, kind, name_en, name_zh, position, unit, host in SENSORS:
        part = sensor_part(sensor_id, host)
        values = ()
        if sensor_id == "XCS-WL-01":
            values = (derived("WarningLevel", 4.8, "m",
                              f"Wusongkou warning level ({REFERENCE} s3.2) applied to the hub",
                              "Wusong datum"),)
        sensors[sensor_id] = model.sensor(
            SensorSpec(sensor_id, kind, name_en, name_zh, position, unit, host=host,
                       values=values), parts[part])
    for sensor_id, y, side, zh in EXTRA_PIEZOMETERS:
        position = FRAME.to_map(-14.5, y, -5.76)
        sensors[sensor_id] = model.sensor(
            SensorSpec(sensor_id, "piezometer", f"Sluice floor uplift, opening 3, {side}",
                       f"3号孔闸底板扬压力（{zh}）", (round(position[0], 2),
                                                     round(position[1], 2), -5.76),
                       "m", in_scene=False), parts["sluice"])
    sections = (("S1", "sluice floor, opening 2 (x = -40 m)", ("01", "02", "03")),
                ("S2", "pump house floor (x = 39 m)", ("04", "05", "06")),
                ("S3", "sluice floor, opening 3 (x = -14.5 m)", ("07", "08", "09")))
    for name, where, numbers in sections:
        model.group(f"group/uplift/{name}", f"Uplift monitoring section {name}",
                    [sensors[f"XCS-PZ-{n}"] for n in numbers],
                    f"Piezometers across the {where}, upstream to downstream (illustrative)")


S11_TIMELINE = f"{REFERENCE} s1.1 (timeline, guancha 2020-10-21 and the 2023-09 release) [M]"
SCHEDULE = ScheduleSpec(
    "XCS", "Xinchuansha pump-gate hub construction", "新川沙泵闸枢纽工程施工",
    "Construction schedule of the hub. PUBLISHED (" + S11_TIMELINE + "): construction began "
    "2020-10-21; the sluice base slab was poured 2022-11-13 in a single pour; the water-passing "
    "acceptance was passed 2023-05-29, 3 months ahead of plan; targets: pump-station structure "
    "topped out Sept 2023, sluice structure topped out end of 2023. Every other date and the "
    "split into packages are ILLUSTRATIVE.",
    "2025-06-30",
    (TaskSpec("XCS-M1", "Construction start (groundbreaking)", "开工", ("2020-10-21", "2020-10-21"),
              ("2020-10-21", "2020-10-21"), milestone=True,
              sources={"ActualStart": f"published ({S11_TIMELINE})",
                       "ActualFinish": f"published ({S11_TIMELINE})"}),
     TaskSpec("XCS-01", "Cofferdam and sheet-pile cut-offs", "围堰及防渗板桩",
              ("2020-10-21", "2021-09-30"), ("2020-10-21", "2021-10-25"),
              ("sluice/cutoff/*", "pumps/cutoff/*"),
              sources={"ActualStart": f"published: groundbreaking ({S11_TIMELINE})"}),
     TaskSpec("XCS-02", "Pump house substructure", "泵房下部结构", ("2021-10-01", "2022-09-30"),
              ("2021-10-26", "2022-10-20"), ("pumps/base_slab", "pumps/passage_wall/*")),
     TaskSpec("XCS-03", "Sluice base slab, single pour of 6,250 m3", "闸室底板（6250 m³ 一次浇筑）",
              ("2022-11-01", "2022-11-01"), ("2022-11-13", "2022-11-13"), ("sluice/base_slab",),
              sources={"ActualStart": f"published ({S11_TIMELINE})",
                       "ActualFinish": f"published ({S11_TIMELINE})"}),
     TaskSpec("XCS-04", "Sluice piers, stilling basins, wing and dividing walls",
              "闸墩、消力池、翼墙及导流墙", ("2022-11-14", "2023-07-31"),
              ("2022-11-20", "2023-05-20"),
              ("sluice/pier/*", "sluice/basin_*", "sluice/wing_*", "sluice/divide_wall",
               "pumps/wing_*")),
     TaskSpec("XCS-M2", "Water-passing acceptance", "通水阶段验收", ("2023-08-29", "2023-08-29"),
              ("2023-05-29", "2023-05-29"), milestone=True,
              sources={"ScheduleStart": "derived: published 3 months ahead of plan",
                       "ScheduleFinish": "derived: published 3 months ahead of plan",
                       "ActualStart": f"published ({S11_TIMELINE})",
                       "ActualFinish": f"published ({S11_TIMELINE})"}),
     TaskSpec("XCS-05", "Pump station superstructure", "泵站上部结构", ("2023-03-01", "2023-09-30"),
              ("2023-03-10", "2023-09-20"),
              ("pumps/pump_floor", "pumps/hall_wall/*", "pumps/crane"),
              sources={"ScheduleFinish": "derived: published target, topped out Sept 2023"}),
     TaskSpec("XCS-06", "Sluice superstructure and hoist house", "闸室上部结构及启闭机房",
              ("2023-06-01", "2023-12-31"), ("2023-06-10", "2024-01-25"),
              ("sluice/hoist_column/*", "sluice/hoist_deck", "sluice/bridge_deck",
               "hoist_house/*"),
              sources={"ScheduleFinish": "derived: published target, topped out end of 2023"}),
     TaskSpec("XCS-07", "Gates, hoists and pump units", "闸门、启闭机及水泵机组安装",
              ("2024-01-01", "2024-04-30"), ("2024-01-20", "2024-05-10"),
              ("sluice/gate_leaf/*", "sluice/hoist/*", "pumps/unit/*")),
     TaskSpec("XCS-08", "Control building", "管理控制楼", ("2023-09-01", "2024-06-30"),
              ("2023-09-15", "2024-06-20"), ("control_building/*",)),
     TaskSpec("XCS-09", "Monitoring instruments", "安全监测仪器", ("2024-03-01", "2024-06-30"),
              ("2024-03-15", "2024-07-31"), ("sensor/*",))))
"""The hub's construction schedule (4D): public milestones, the rest illustrative."""


def build(output: Path = OUTPUT) -> Path:
    """Build the Xinchuansha pump-gate hub model and write it to ``output``."""
    model = ModelBuilder(INFO)
    parts = add_spatial_structure(model)
    add_sluice_structure(model, parts["sluice"])
    add_gates(model, parts["sluice"], parts["hoist_house"])
    add_pump_station(model, parts["pumps"], parts["pump_house"])
    place, _ = scene_box((110.0, -35.0, 9.75), (28.0, 22.0, 12.5))
    model.building_shell("control_building", "Control building", parts["control_building"],
                         place, (28.0, 22.0, 12.5), source=SCENE)
    add_sensors(model, parts)
    add_work_schedule(model, SCHEDULE)
    return model.write(output)


if __name__ == "__main__":
    run(build, OUTPUT)
