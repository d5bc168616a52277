"""Shared helpers for the scripts that author the works' IFC models.

Every model made with :class:`ModelBuilder` is IFC4X3_ADD2 in SI units (metres), georeferenced
with ``IfcMapConversion`` + ``IfcProjectedCRS`` (EPSG:4549, CGCS2000 / 3-degree Gauss-Kruger CM
120E; heights in the Wusong datum, so ``OrthogonalHeight`` is 0 and local z is the Wusong height).

Rebuilding gives a byte-identical file:

* GlobalIds are ``ifcopenshell.guid.compress(uuid5(GUID_NAMESPACE, "<work>/<key>").hex)`` of a
  stable key per object (``"sluice/gate_leaf/2"``); property sets and relationships derive their
  key from what they relate, so no random id survives :meth:`ModelBuilder.write`.
* one ``IfcOwnerHistory`` with a fixed creation date, and a fixed header time stamp;
* plain extrusions (``IfcExtrudedAreaSolid``) only, no Booleans; coordinates rounded to 1 µm.
  The only header field that depends on the environment is FILE_NAME's preprocessor version
  (the ifcopenshell version), which the round-trip test masks.

Provenance (what is published, what is invented) is stated on every object:

* ``Twin_Design``: design values as typed IFC measures with an explicit unit; each property's
  ``Specification`` (IFC 4.3's name for a property's description) starts with
  ``published: <source>``, ``derived: <how>`` or ``illustrative``;
* ``Twin_Provenance``: ``Illustrative`` (True when the object's geometry or any value is
  invented or derived), ``Source`` and the names of its published / derived / illustrative values.

Custom property sets do not start with ``Pset_``: that prefix is reserved for buildingSMART's
standard sets and checkers reject unknown ``Pset_`` names.
"""

from __future__ import annotations

import logging
import math
import uuid
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import ifcopenshell
import ifcopenshell.api.aggregate
import ifcopenshell.api.alignment
import ifcopenshell.api.context
import ifcopenshell.api.geometry
import ifcopenshell.api.georeference
import ifcopenshell.api.group
import ifcopenshell.api.material
import ifcopenshell.api.project
import ifcopenshell.api.pset
import ifcopenshell.api.root
import ifcopenshell.api.spatial
import ifcopenshell.api.style
import ifcopenshell.api.unit
import ifcopenshell.guid
import ifcopenshell.util.geolocation

logger = logging.getLogger(__name__)

Entity = ifcopenshell.entity_instance
Point2 = tuple[float, float]
Point3 = tuple[float, float, float]

SCHEMA = "IFC4X3_ADD2"
TIMESTAMP = "2025-06-30T00:00:00"
"""Header time stamp of every model (fixed so that a rebuild is byte-identical)."""
CREATION_DATE = 1751241600
"""``IfcOwnerHistory.CreationDate``: 2025-06-30T00:00:00Z as seconds since the Unix epoch."""
GUID_NAMESPACE = uuid.UUID("9b0d6c3e-5f0a-5d5e-8a43-1c7e2b6f4a10")
"""UUID5 namespace of every GlobalId in the works' models (arbitrary, fixed)."""

MAP_CRS = "EPSG:4549"
MAP_CRS_DESCRIPTION = "CGCS2000 / 3-degree Gauss-Kruger CM 120E"
GEODETIC_DATUM = "CGCS2000"
VERTICAL_DATUM = "Wusong"
REFERENCE = "reference/projects.md"

PROVENANCE_PSET = "Twin_Provenance"
DESIGN_PSET = "Twin_Design"
SENSOR_PSET = "Twin_Sensor"
OPERATION_PSET = "Twin_Operation"

Status = Literal["published", "derived", "illustrative"]

MATERIALS: dict[str, tuple[str, str]] = {
    "Concrete, substructure": ("concrete", "#7f7e79"),
    "Concrete": ("concrete", "#9a9993"),
    "Concrete, superstructure": ("concrete", "#b3b0a8"),
    "Concrete, flood wall": ("concrete", "#a8a59c"),
    "Precast concrete sheet pile": ("concrete", "#5d5c58"),
    "Steel, gate leaf": ("steel", "#4a6f8f"),
    "Steel, guide column": ("steel", "#5d6b75"),
    "Steel, pump unit": ("steel", "#8c3b2a"),
    "Steel, hoist": ("steel", "#6a5f8c"),
    "Steel, crane": ("steel", "#c98a2b"),
    "Steel, railing": ("steel", "#3c3f44"),
    "Building envelope": ("masonry", "#c2bdb2"),
    "Tower cladding": ("glass", "#6f8a9c"),
    "Earth fill": ("earth", "#8b7a55"),
    "Instrument": ("electronics", "#f2c230"),
}
"""Material name -> (category, display colour); colours follow the scenes' placeholders."""

SENSOR_CLASSES: dict[str, tuple[str, str | None]] = {
    "water_level": ("LEVELSENSOR", "WaterLevelGauge"),
    "rainfall": ("RAINSENSOR", "RainGauge"),
    "gate_opening": ("MOVEMENTSENSOR", "GateOpeningEncoder"),
    "pump_state": ("CONTACTSENSOR", "PumpRunStateContact"),
    "pump_flow": ("FLOWSENSOR", "PumpStationFlowMeter"),
    "piezometer": ("PRESSURESENSOR", "Piezometer"),
    "settlement": ("USERDEFINED", "SettlementMark"),
    "inclination": ("MOVEMENTSENSOR", "Inclinometer"),
}
"""Scene sensor kind -> (IfcSensorTypeEnum, ObjectType).

IFC 4.3 has no piezometer, settlement-mark or gate-encoder value: a piezometer reads pore-water
pressure (PRESSURESENSOR), an encoder or stroke sensor and an inclinometer sense movement
(MOVEMENTSENSOR), a pump's run state comes from a contactor's auxiliary contact (CONTACTSENSOR).
A settlement mark is a levelled survey point, not a transducer, so it is USERDEFINED.  ObjectType
names the instrument in every case.
"""

_LEVEL_KINDS = frozenset({"water_level", "piezometer"})

_MEASURES: dict[str, tuple[str, str | None]] = {
    "m": ("IfcLengthMeasure", "LENGTHUNIT"),
    "m2": ("IfcAreaMeasure", "AREAUNIT"),
    "m3": ("IfcVolumeMeasure", "VOLUMEUNIT"),
    "m3/s": ("IfcVolumetricFlowRateMeasure", "VOLUMETRICFLOWRATEUNIT"),
    "kg": ("IfcMassMeasure", "MASSUNIT"),
    "count": ("IfcCountMeasure", None),
    "1": ("IfcReal", None),
    "text": ("IfcText", None),
}
"""Unit text of a :class:`Value` -> (IFC measure type, project unit type)."""


# ------------------------------------------------------------------------------------------------
# Small pure helpers
# ------------------------------------------------------------------------------------------------


def stable_guid(work: str, key: str) -> str:
    """Return the 22-character IFC GlobalId of ``key`` in the model of ``work``.

    Parameters
    ----------
    work : str
        Short name of the work (``"xinchuansha"``).
    key : str
        Stable key of the object within the model.

    Returns
    -------
    str
        ``ifcopenshell.guid.compress(uuid5(GUID_NAMESPACE, f"{work}/{key}").hex)``.
    """
    return ifcopenshell.guid.compress(uuid.uuid5(GUID_NAMESPACE, f"{work}/{key}").hex)


def clean(value: float, digits: int = 6) -> float:
    """Round ``value`` to ``digits`` decimals and turn ``-0.0`` into ``0.0``.

    Parameters
    ----------
    value : float
        A coordinate or direction ratio.
    digits : int
        Decimals to keep (6 = micrometres for coordinates in metres).

    Returns
    -------
    float
        The rounded value.
    """
    rounded = round(float(value), digits)
    return 0.0 if rounded == 0 else rounded


def _rgb(colour: str) -> tuple[float, float, float]:
    return tuple(int(colour[i:i + 2], 16) / 255.0 for i in (1, 3, 5))  # type: ignore[return-value]


@dataclass(frozen=True)
class Place:
    """Where an element's origin sits in the model frame, and its turn about z (degrees)."""

    x: float
    y: float
    z: float
    rotation_deg: float = 0.0


def shifted(place: Place, dx: float, dy: float, dz: float = 0.0, turn: float = 0.0) -> Place:
    """Return ``place`` moved by (dx, dy, dz) along its own turned axes and turned by ``turn``.

    Parameters
    ----------
    place : Place
        The reference placement.
    dx, dy, dz : float
        Offset in the placement's own axes (metres).
    turn : float
        Extra turn about z (degrees).

    Returns
    -------
    Place
        The new placement in the model frame.
    """
    angle = math.radians(place.rotation_deg)
    c, s = math.cos(angle), math.sin(angle)
    return Place(clean(place.x + c * dx - s * dy), clean(place.y + s * dx + c * dy),
                 clean(place.z + dz), clean(place.rotation_deg + turn, 9))


@dataclass(frozen=True)
class Frame:
    """A local frame on the map: its origin (EPSG:4549 metres, Wusong height) and x-axis bearing.

    ``rotation_deg`` turns the frame's x axis anticlockwise from grid east, as the scenes'
    ``placement.rotation_deg`` does and as ``IfcMapConversion.XAxisAbscissa/XAxisOrdinate`` state.
    """

    easting: float
    northing: float
    rotation_deg: float = 0.0
    height: float = 0.0

    @property
    def axis(self) -> Point2:
        """Return (cos, sin) of the x axis' bearing, rounded to 12 decimals."""
        angle = math.radians(self.rotation_deg)
        return (clean(math.cos(angle), 12), clean(math.sin(angle), 12))

    def to_map(self, x: float, y: float, z: float = 0.0) -> Point3:
        """Return the map coordinates of a point given in this frame."""
        c, s = self.axis
        return (self.easting + c * x - s * y, self.northing + s * x + c * y, self.height + z)

    def to_local(self, easting: float, northing: float, height: float = 0.0) -> Point3:
        """Return a map point's coordinates in this frame."""
        c, s = self.axis
        dx, dy = easting - self.easting, northing - self.northing
        return (c * dx + s * dy, -s * dx + c * dy, height - self.height)

    def place_from(self, other: Frame, point: Point3, rotation_deg: float = 0.0) -> Place:
        """Return the placement in this frame of a point and turn given in ``other``'s frame."""
        x, y, z = self.to_local(*other.to_map(*point))
        turn = (other.rotation_deg - self.rotation_deg + rotation_deg + 180.0) % 360.0 - 180.0
        return Place(clean(x), clean(y), clean(z), clean(turn, 9))


# ------------------------------------------------------------------------------------------------
# Values and their provenance
# ------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Value:
    """A design value with its unit and provenance.

    ``unit`` is one of ``m``, ``m2``, ``m3``, ``m3/s``, ``kg``, ``count``, ``1`` (a ratio),
    ``text`` (an ``IfcText``), or ``""`` for booleans, integers and labels.  Levels are lengths
    in the Wusong datum (say so in ``note``).
    """

    name: str
    value: float | int | str | bool
    unit: str = ""
    status: Status = "illustrative"
    source: str = ""
    note: str = ""

    def __post_init__(self) -> None:
        if self.status in ("published", "derived") and not self.source:
            msg = f"{self.status} value {self.name!r} needs a source"
            raise ValueError(msg)
        if self.unit and self.unit not in _MEASURES:
            msg = f"unknown unit {self.unit!r} for {self.name!r}; expected one of {list(_MEASURES)}"
            raise ValueError(msg)

    @property
    def description(self) -> str:
        """Return the property's Specification text: the status, its source, then the note."""
        head = f"{self.status}: {self.source}" if self.source else self.status
        return f"{head}; {self.note}" if self.note else head

    def summary(self) -> str:
        """Return ``Name = value unit`` for the provenance lists."""
        unit = f" {self.unit}" if self.unit not in ("", "1", "count", "text") else ""
        return f"{self.name} = {self.value}{unit}"


def published(name: str, value: float | str | bool, unit: str, source: str,
              note: str = "") -> Value:
    """Return a value found in the public sources (``source`` says where)."""
    return Value(name, value, unit, "published", source, note)


def derived(name: str, value: float | str | bool, unit: str, how: str, note: str = "") -> Value:
    """Return a value derived from published ones (``how`` says how)."""
    return Value(name, value, unit, "derived", how, note)


def illustrative(name: str, value: float | str | bool, unit: str = "", note: str = "") -> Value:
    """Return an invented, plausible value."""
    return Value(name, value, unit, "illustrative", "", note)


# ------------------------------------------------------------------------------------------------
# Geometry specifications (turned into IFC entities by ModelBuilder)
# ------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Box:
    """A box centred on the element origin in x and y, from z = 0 up to ``size[2]``."""

    size: Point3
    offset: Point3 = (0.0, 0.0, 0.0)


@dataclass(frozen=True)
class Section:
    """A closed (y, z) cross-section extruded along x from ``-length / 2`` to ``+length / 2``."""

    points: tuple[Point2, ...]
    length: float
    offset: Point3 = (0.0, 0.0, 0.0)


@dataclass(frozen=True)
class Cylinder:
    """A cylinder centred on the element origin (plus ``offset``) along ``axis``."""

    radius: float
    length: float
    axis: Literal["x", "y", "z"] = "z"
    offset: Point3 = (0.0, 0.0, 0.0)


Shape = Box | Section | Cylinder


def box_from_centre(frame: Frame, scene_frame: Frame, centre: Point3,
                    size: Point3) -> tuple[Place, Box]:
    """Return the placement and box of a scene placeholder part given by centre and size.

    Parameters
    ----------
    frame : Frame
        The model frame.
    scene_frame : Frame
        The scene asset's placement, in which ``centre`` is given.
    centre, size : tuple of float
        The placeholder's centre and size (x, y, z) in the scene asset's frame.

    Returns
    -------
    tuple
        The element's :class:`Place` (the centre of the box's bottom face) and its :class:`Box`.
    """
    x, y, z = centre
    return frame.place_from(scene_frame, (x, y, z - size[2] / 2.0)), Box(size)


@dataclass(frozen=True)
class SensorSpec:
    """A monitoring instrument: its scene id, kind, names and map position (E, N, Wusong H)."""

    id: str
    kind: str
    name_en: str
    name_zh: str
    position: Point3
    unit: str
    illustrative: bool = True
    in_scene: bool = True
    host: str = ""
    values: tuple[Value, ...] = ()
    object_type: str | None = None
    """Overrides the kind's default ObjectType (e.g. a hoist stroke sensor reporting opening)."""


@dataclass(frozen=True)
class Operation:
    """How live data moves or colours an element (written as ``Twin_Operation``)."""

    driven_by: str
    behaviour: Literal["translate", "state"]
    modelled_state: str
    axis: Point3 = (0.0, 0.0, 1.0)
    travel_max: float = 0.0
    note: str = ""


# ------------------------------------------------------------------------------------------------
# The builder
# ------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ModelInfo:
    """What a model says about itself: names, notes, where it is."""

    work: str
    file_name: str
    script: str
    project_name: str
    project_long_name: str
    description: str
    header_notes: tuple[str, ...]
    frame: Frame
    lonlat: Point2
    site_name: str
    location_status: Status
    location_source: str


class ModelBuilder:
    """Author one georeferenced, deterministic IFC4X3_ADD2 model with ``ifcopenshell.api``.

    Parameters
    ----------
    info : ModelInfo
        Names, notes, the model frame (its origin is the work's map position) and lon/lat.
    """

    def __init__(self, info: ModelInfo) -> None:
        self.info = info
        self.frame = info.frame
        self.file = ifcopenshell.api.project.create_file(version=SCHEMA)
        self._keys: dict[int, str] = {}
        self._contained: dict[int, list[Entity]] = defaultdict(list)
        self._structures: dict[int, Entity] = {}
        self._materials: dict[str, tuple[Entity, Entity]] = {}
        self._material_members: dict[str, list[Entity]] = defaultdict(list)
        self.project = self._root("IfcProject", "project", info.project_name,
                                  LongName=info.project_long_name, Description=info.description)
        self.units = self._assign_units()
        self.body, self.axis_context = self._add_contexts()
        self._georeference()
        self.site = self.spatial("IfcSite", "site", info.site_name, self.project,
                                 values=self._site_values())
        self._set_site_reference()

    # -- set-up ----------------------------------------------------------------------------------

    def _root(self, ifc_class: str, key: str, name: str, **attributes: object) -> Entity:
        entity = ifcopenshell.api.root.create_entity(self.file, ifc_class=ifc_class, name=name)
        for attribute, value in attributes.items():
            if value is not None:
                setattr(entity, attribute, value)
        if key in self._keys.values():
            msg = f"duplicate key {key!r}"
            raise ValueError(msg)
        self._keys[entity.id()] = key
        return entity

    def _assign_units(self) -> dict[str, Entity]:
        api = ifcopenshell.api.unit
        units = {kind: api.add_si_unit(self.file, unit_type=kind)
                 for kind in ("LENGTHUNIT", "AREAUNIT", "VOLUMEUNIT", "PLANEANGLEUNIT",
                              "TIMEUNIT")}
        units["MASSUNIT"] = api.add_si_unit(self.file, unit_type="MASSUNIT", prefix="KILO")
        units["VOLUMETRICFLOWRATEUNIT"] = api.add_derived_unit(
            self.file, "VOLUMETRICFLOWRATEUNIT", None,
            {units["LENGTHUNIT"]: 3, units["TIMEUNIT"]: -1})
        api.assign_unit(self.file, units=list(units.values()))
        return units

    def _add_contexts(self) -> tuple[Entity, Entity]:
        api = ifcopenshell.api.context
        model = api.add_context(self.file, context_type="Model")
        body = api.add_context(self.file, context_type="Model", context_identifier="Body",
                               target_view="MODEL_VIEW", parent=model)
        # ifcopenshell.api.alignment looks for this Axis sub-context and would otherwise add a
        # second, un-georeferenced Model context.
        axis = api.add_context(self.file, context_type="Model", context_identifier="Axis",
                               target_view="MODEL_VIEW", parent=model)
        return body, axis

    def _georeference(self) -> None:
        api = ifcopenshell.api.georeference
        api.add_georeferencing(self.file, ifc_class="IfcMapConversion", name=MAP_CRS)
        abscissa, ordinate = self.frame.axis
        api.edit_georeferencing(
            self.file,
            projected_crs={"Description": MAP_CRS_DESCRIPTION, "GeodeticDatum": GEODETIC_DATUM,
                           "VerticalDatum": VERTICAL_DATUM, "MapProjection": "Gauss-Kruger",
                           "MapZone": "CM 120E", "MapUnit": self.units["LENGTHUNIT"]},
            coordinate_operation={"Eastings": clean(self.frame.easting, 3),
                                  "Northings": clean(self.frame.northing, 3),
                                  "OrthogonalHeight": clean(self.frame.height, 3),
                                  "XAxisAbscissa": abscissa, "XAxisOrdinate": ordinate,
                                  "Scale": 1.0})

    def _add_owner_history(self) -> Entity:
        f = self.file
        person = f.createIfcPerson(Identification="twin_app", FamilyName="bim_assets")
        organisation = f.createIfcOrganization(
            Identification="twin_app", Name="twin_app (illustrative digital-twin demo)")
        user = f.createIfcPersonAndOrganization(person, organisation)
        application = f.createIfcApplication(
            organisation, "1", "twin_app bim_assets authoring scripts (ifcopenshell.api)",
            "twin_app.bim_assets")
        return f.createIfcOwnerHistory(OwningUser=user, OwningApplication=application,
                                       CreationDate=CREATION_DATE)

    def _site_values(self) -> tuple[Value, ...]:
        lon, lat = self.info.lonlat
        status, source = self.info.location_status, self.info.location_source
        return (Value("ReferenceLongitude", f"{lon:.6f} E", "", status, source,
                      "CGCS2000 (within centimetres of WGS84)"),
                Value("ReferenceLatitude", f"{lat:.6f} N", "", status, source,
                      "CGCS2000 (within centimetres of WGS84)"))

    def _set_site_reference(self) -> None:
        lon, lat = self.info.lonlat
        self.site.RefLatitude = ifcopenshell.util.geolocation.dd2dms(lat, use_us=True)
        self.site.RefLongitude = ifcopenshell.util.geolocation.dd2dms(lon, use_us=True)
        self.site.RefElevation = 0.0

    # -- placements, geometry, materials -----------------------------------------------------

    def _point(self, coordinates: Sequence[float]) -> Entity:
        return self.file.createIfcCartesianPoint([clean(c) for c in coordinates])

    def _direction(self, ratios: Sequence[float]) -> Entity:
        return self.file.createIfcDirection([clean(r, 12) for r in ratios])

    def _axes(self, location: Point3, axis: Point3 | None = None,
              ref: Point3 | None = None) -> Entity:
        return self.file.createIfcAxis2Placement3D(
            self._point(location), self._direction(axis) if axis else None,
            self._direction(ref) if ref else None)

    def _placement(self, relative_to: Entity | None, place: Place | None = None) -> Entity:
        place = place or Place(0.0, 0.0, 0.0)
        turn = math.radians(place.rotation_deg)
        turned = clean(place.rotation_deg, 9) != 0.0
        axes = self._axes((place.x, place.y, place.z), (0.0, 0.0, 1.0) if turned else None,
                          (math.cos(turn), math.sin(turn), 0.0) if turned else None)
        return self.file.createIfcLocalPlacement(relative_to, axes)

    def _solid(self, shape: Shape) -> Entity:
        f = self.file
        if isinstance(shape, Box):
            sx, sy, sz = shape.size
            profile = f.createIfcRectangleProfileDef(
                "AREA", None, f.createIfcAxis2Placement2D(self._point((0.0, 0.0))),
                clean(sx), clean(sy))
            return f.createIfcExtrudedAreaSolid(profile, self._axes(shape.offset),
                                                self._direction((0.0, 0.0, 1.0)), clean(sz))
        if isinstance(shape, Section):
            points = f.createIfcCartesianPointList2D([[clean(u), clean(v)]
                                                      for u, v in shape.points])
            indices = [*range(1, len(shape.points) + 1), 1]
            curve = f.createIfcIndexedPolyCurve(points, [f.createIfcLineIndex(indices)], False)
            profile = f.createIfcArbitraryClosedProfileDef("AREA", None, curve)
            ox, oy, oz = shape.offset
            position = self._axes((ox - shape.length / 2.0, oy, oz), (1.0, 0.0, 0.0),
                                  (0.0, 1.0, 0.0))
            return f.createIfcExtrudedAreaSolid(profile, position,
                                                self._direction((0.0, 0.0, 1.0)),
                                                clean(shape.length))
        profile = f.createIfcCircleProfileDef("AREA", None, None, clean(shape.radius))
        half = shape.length / 2.0
        ox, oy, oz = shape.offset
        axes = {"x": ((ox - half, oy, oz), (1.0, 0.0, 0.0), (0.0, 1.0, 0.0)),
                "y": ((ox, oy - half, oz), (0.0, 1.0, 0.0), (0.0, 0.0, 1.0)),
                "z": ((ox, oy, oz - half), None, None)}[shape.axis]
        return f.createIfcExtrudedAreaSolid(profile, self._axes(*axes),
                                            self._direction((0.0, 0.0, 1.0)),
                                            clean(shape.length))

    def _material(self, name: str) -> tuple[Entity, Entity]:
        if name not in self._materials:
            category, colour = MATERIALS[name]
            material = ifcopenshell.api.material.add_material(self.file, name=name,
                                                             category=category)
            style = ifcopenshell.api.style.add_style(self.file, name=name)
            red, green, blue = _rgb(colour)
            ifcopenshell.api.style.add_surface_style(
                self.file, style=style, ifc_class="IfcSurfaceStyleShading",
                attributes={"SurfaceColour": {"Name": None, "Red": red, "Green": green,
                                              "Blue": blue}, "Transparency": 0.0})
            ifcopenshell.api.style.assign_material_style(self.file, material=material,
                                                         style=style, context=self.body)
            self._materials[name] = (material, style)
        return self._materials[name]

    def _represent(self, product: Entity, shapes: Iterable[Shape], material: str) -> None:
        items = [self._solid(shape) for shape in shapes]
        representation = self.file.createIfcShapeRepresentation(
            self.body, "Body", "SweptSolid", items)
        ifcopenshell.api.geometry.assign_representation(self.file, product=product,
                                                        representation=representation)
        _, style = self._material(material)
        ifcopenshell.api.style.assign_representation_styles(
            self.file, shape_representation=representation, styles=[style])
        self._material_members[material].append(product)

    # -- property sets -----------------------------------------------------------------------

    def _nominal(self, value: Value) -> dict[str, object]:
        if isinstance(value.value, bool):
            return {"NominalValue": self.file.createIfcBoolean(value.value)}
        if isinstance(value.value, str):
            long_text = value.unit == "text" or len(value.value) > 255
            kind = "IfcText" if long_text else "IfcLabel"
            return {"NominalValue": self.file.create_entity(kind, value.value)}
        if not value.unit:
            kind = "IfcInteger" if isinstance(value.value, int) else "IfcReal"
            return {"NominalValue": self.file.create_entity(kind, value.value)}
        measure, unit_type = _MEASURES[value.unit]
        number = int(value.value) if measure == "IfcCountMeasure" else float(value.value)
        nominal = {"NominalValue": self.file.create_entity(measure, number)}
        if unit_type:
            nominal["Unit"] = self.units[unit_type]
        return nominal

    def add_pset(self, product: Entity, name: str, values: Sequence[Value]) -> Entity:
        """Add a property set of typed values (with units and provenance) to ``product``.

        Parameters
        ----------
        product : ifcopenshell.entity_instance
            The object that gets the property set.
        name : str
            The property set name (not ``Pset_...``: reserved for standard sets).
        values : sequence of Value
            The properties; each one's Specification states its provenance.

        Returns
        -------
        ifcopenshell.entity_instance
            The ``IfcPropertySet``.
        """
        pset = ifcopenshell.api.pset.add_pset(self.file, product=product, name=name)
        ifcopenshell.api.pset.edit_pset(self.file, pset=pset,
                                        properties={v.name: self._nominal(v) for v in values})
        descriptions = {v.name: v.description for v in values}
        for prop in pset.HasProperties:
            prop.Specification = descriptions[prop.Name]
        return pset

    def _meta_pset(self, product: Entity, name: str,
                   items: Sequence[tuple[str, bool | str | float, str, str]]) -> Entity:
        """Add a property set of bookkeeping values: (name, value, unit, description)."""
        values = [Value(prop, value, unit) for prop, value, unit, _ in items]
        pset = self.add_pset(product, name, values)
        descriptions = {prop: description for prop, _, _, description in items}
        for prop in pset.HasProperties:
            prop.Specification = descriptions[prop.Name]
        return pset

    def _provenance(self, product: Entity, values: Sequence[Value], source: str,
                    geometry_illustrative: bool) -> None:
        by_status: dict[str, list[str]] = {"published": [], "derived": [], "illustrative": []}
        for value in values:
            text = value.summary()
            by_status[value.status].append(f"{text} [{value.source}]" if value.source else text)
        flagged = geometry_illustrative or bool(by_status["derived"] or by_status["illustrative"])
        geometry = ("yes: position and dimensions invented" if geometry_illustrative
                    else "no: no geometry, or only published dimensions")
        self._meta_pset(product, PROVENANCE_PSET, [
            ("Illustrative", flagged, "", _PROVENANCE_DESCRIPTIONS["Illustrative"]),
            ("Source", source, "text", _PROVENANCE_DESCRIPTIONS["Source"]),
            ("GeometryIllustrative", geometry, "text",
             _PROVENANCE_DESCRIPTIONS["GeometryIllustrative"]),
            *((f"{status.capitalize()}Values", "; ".join(texts) or "none", "text",
               _PROVENANCE_DESCRIPTIONS[f"{status.capitalize()}Values"])
              for status, texts in by_status.items()),
        ])

    def _annotate(self, product: Entity, values: Sequence[Value], source: str,
                  geometry_illustrative: bool) -> None:
        if values:
            self.add_pset(product, DESIGN_PSET, values)
        self._provenance(product, values, source, geometry_illustrative)

    # -- public authoring API ------------------------------------------------------------------

    def spatial(self, ifc_class: str, key: str, name: str, parent: Entity, *,
                predefined_type: str | None = None, object_type: str | None = None,
                long_name: str | None = None, description: str | None = None,
                usage: str | None = None, values: Sequence[Value] = (),
                source: str = REFERENCE) -> Entity:
        """Add a spatial element (site, facility, facility part, building) under ``parent``.

        Parameters
        ----------
        ifc_class : str
            ``IfcSite``, ``IfcMarineFacility``, ``IfcMarinePart``, ``IfcBuilding``, ...
        key : str
            Stable key (gives the GlobalId).
        name : str
            English name; ``long_name`` carries the Chinese name.
        parent : ifcopenshell.entity_instance
            The project or spatial element it is aggregated into.
        predefined_type, object_type, long_name, description, usage : str, optional
            IFC attributes (``usage`` is ``IfcFacilityPart.UsageType``).
        values : sequence of Value
            Design values (``Twin_Design``).
        source : str
            Where its facts come from (``Twin_Provenance.Source``).

        Returns
        -------
        ifcopenshell.entity_instance
            The new spatial element.
        """
        entity = self._root(ifc_class, key, name, LongName=long_name, Description=description,
                            ObjectType=object_type, PredefinedType=predefined_type,
                            UsageType=usage)
        relative_to = getattr(parent, "ObjectPlacement", None)
        entity.ObjectPlacement = self._placement(relative_to)
        ifcopenshell.api.aggregate.assign_object(self.file, relating_object=parent,
                                                 products=[entity])
        self._structures[entity.id()] = entity
        self._annotate(entity, values, source, geometry_illustrative=False)
        return entity

    def element(self, ifc_class: str, key: str, name: str, *, container: Entity, place: Place,
                shapes: Sequence[Shape], material: str, predefined_type: str | None = None,
                object_type: str | None = None, description: str | None = None,
                tag: str | None = None, values: Sequence[Value] = (), source: str = REFERENCE,
                geometry_illustrative: bool = True, operation: Operation | None = None,
                attributes: dict[str, object] | None = None) -> Entity:
        """Add a physical element with an extruded body, contained in ``container``.

        Parameters
        ----------
        ifc_class : str
            The IFC class (``IfcWall``, ``IfcSlab``, ``IfcPump``, ...).
        key : str
            Stable key (gives the GlobalId).
        name : str
            English name; ``description`` carries the Chinese name and notes.
        container : ifcopenshell.entity_instance
            The spatial element that contains it.
        place : Place
            Its origin and turn in the model frame.
        shapes : sequence of Shape
            Body items, in the element's own coordinates.
        material : str
            A key of :data:`MATERIALS` (material and colour).
        predefined_type, object_type, description, tag : str, optional
            IFC attributes.
        values : sequence of Value
            Design values (``Twin_Design``).
        source : str
            Where its facts come from (``Twin_Provenance.Source``).
        geometry_illustrative : bool
            Whether its position or dimensions are invented (almost always).
        operation : Operation, optional
            How live data moves or colours it (``Twin_Operation``).
        attributes : dict, optional
            Other IFC attributes (e.g. ``ConstructionType``).

        Returns
        -------
        ifcopenshell.entity_instance
            The new element.
        """
        extra = dict(attributes or {})
        entity = self._root(ifc_class, key, name, Description=description, Tag=tag,
                            ObjectType=object_type, PredefinedType=predefined_type, **extra)
        entity.ObjectPlacement = self._placement(container.ObjectPlacement, place)
        self._represent(entity, shapes, material)
        self._contained[container.id()].append(entity)
        self._structures[container.id()] = container
        self._annotate(entity, values, source, geometry_illustrative)
        if operation is not None:
            self._meta_pset(entity, OPERATION_PSET, _operation_items(operation))
        return entity

    def building_shell(self, key: str, name: str, building: Entity, place: Place, size: Point3,
                       *, wall: float = 0.4, roof: float | None = 0.4,
                       material: str = "Building envelope", source: str = REFERENCE
                       ) -> list[Entity]:
        """Add the four walls and the flat roof of a box-shaped building.

        Parameters
        ----------
        key, name : str
            Key prefix and English name of the building.
        building : ifcopenshell.entity_instance
            The ``IfcBuilding`` that contains the elements.
        place : Place
            Centre of the building's footprint at ground level, and its turn.
        size : tuple of float
            Outer length (x), width (y) and height (z), roof included.
        wall, roof : float
            Wall and roof-slab thickness; ``roof=None`` leaves the building open on top.
        material : str
            Wall material (a key of :data:`MATERIALS`).
        source : str
            ``Twin_Provenance.Source`` of every element.

        Returns
        -------
        list of ifcopenshell.entity_instance
            The walls, then the roof slab.
        """
        sx, sy, sz = size
        height = sz - (roof or 0.0)
        sides = (("+y", 0.0, (sy - wall) / 2.0, (sx, wall)),
                 ("-y", 0.0, -(sy - wall) / 2.0, (sx, wall)),
                 ("-x", -(sx - wall) / 2.0, 0.0, (wall, sy - 2.0 * wall)),
                 ("+x", (sx - wall) / 2.0, 0.0, (wall, sy - 2.0 * wall)))
        elements = [
            self.element("IfcWall", f"{key}/wall{side}", f"{name} wall ({side})",
                         container=building, place=shifted(place, dx, dy),
                         shapes=[Box((length, thickness, height))], material=material,
                         predefined_type="SOLIDWALL", source=source)
            for side, dx, dy, (length, thickness) in sides]
        if roof:
            elements.append(self.element(
                "IfcSlab", f"{key}/roof", f"{name} roof", container=building,
                place=shifted(place, 0.0, 0.0, height), shapes=[Box((sx, sy, roof))],
                material="Concrete, superstructure", predefined_type="ROOF", source=source))
        return elements

    def sensor(self, spec: SensorSpec, container: Entity, size: float = 0.5) -> Entity:
        """Add an ``IfcSensor`` whose Name and Tag are the scene sensor id.

        Its placement origin is the measuring point (``spec.position`` converted to the model
        frame); the body is a ``size`` cube centred there.
        """
        predefined, object_type = SENSOR_CLASSES[spec.kind]
        object_type = spec.object_type or object_type
        x, y, z = self.frame.to_local(*spec.position)
        entity = self.element(
            "IfcSensor", f"sensor/{spec.id}", spec.id, container=container,
            place=Place(clean(x), clean(y), clean(z)),
            shapes=[Box((size, size, size), (0.0, 0.0, -size / 2.0))], material="Instrument",
            predefined_type=predefined, object_type=object_type, tag=spec.id,
            description=f"{spec.name_en} / {spec.name_zh}", values=spec.values,
            source=_sensor_source(spec), geometry_illustrative=spec.illustrative)
        datum = VERTICAL_DATUM if spec.kind in _LEVEL_KINDS else "n/a"
        items = [("SensorId", spec.id), ("Kind", spec.kind), ("Unit", spec.unit),
                 ("HeightDatum", datum), ("InScene", spec.in_scene),
                 ("HostElement", spec.host or "none")]
        self._meta_pset(entity, SENSOR_PSET, [(name, value, "", _SENSOR_DESCRIPTIONS[name])
                                              for name, value in items])
        return entity

    def register_key(self, entity: Entity, key: str) -> None:
        """Give an entity made outside this class (e.g. by ``ifcopenshell.api.sequence``) a key."""
        if key in self._keys.values():
            msg = f"duplicate key {key!r}"
            raise ValueError(msg)
        self._keys[entity.id()] = key

    def elements_by_key(self) -> dict[str, Entity]:
        """Return the physical elements (``IfcElement``) added so far, by their stable key."""
        found = {}
        for entity_id, key in self._keys.items():
            entity = self.file.by_id(entity_id)
            if entity.is_a("IfcElement"):
                found[key] = entity
        return found

    def group(self, key: str, name: str, members: Sequence[Entity], description: str) -> Entity:
        """Group elements (e.g. a monitoring section) with ``IfcGroup``."""
        group = ifcopenshell.api.group.add_group(self.file, name=name, description=description)
        self._keys[group.id()] = key
        ifcopenshell.api.group.assign_group(self.file, products=list(members), group=group)
        return group

    def alignment(self, key: str, name: str, points: Sequence[Point2], radius: float,
                  structure: Entity, positioned: Sequence[Entity]) -> Entity:
        """Add a horizontal ``IfcAlignment`` (PI method) and relate products to it.

        Parameters
        ----------
        key, name : str
            Stable key and name.
        points : sequence of (x, y)
            Start, intersection points and end, in the model frame.
        radius : float
            Radius of the circular curve at each intersection point.
        structure : ifcopenshell.entity_instance
            Spatial element that references the alignment.
        positioned : sequence of ifcopenshell.entity_instance
            Products positioned along it (``IfcRelPositions``).

        Returns
        -------
        ifcopenshell.entity_instance
            The alignment (aggregated into the project by the API, referenced in ``structure``).
        """
        hpoints = [(clean(x), clean(y)) for x, y in points]
        alignment = ifcopenshell.api.alignment.create_by_pi_method(
            self.file, name, hpoints=hpoints, radii=[radius] * (len(points) - 2),
            start_station=0.0)
        self._keys[alignment.id()] = key
        ifcopenshell.api.spatial.reference_structure(self.file, products=[alignment],
                                                     relating_structure=structure)
        rel = self.file.createIfcRelPositions(
            ifcopenshell.guid.new(), None, f"Positioned along {name}", None, alignment,
            list(positioned))
        logger.debug("alignment %s positions %d products", name, len(rel.RelatedProducts))
        return alignment

    # -- writing ---------------------------------------------------------------------------------

    def _flush_relationships(self) -> None:
        for structure_id, products in self._contained.items():
            ifcopenshell.api.spatial.assign_container(
                self.file, products=products, relating_structure=self._structures[structure_id])
        for name, products in self._material_members.items():
            material, _ = self._materials[name]
            ifcopenshell.api.material.assign_material(self.file, products=products,
                                                      type="IfcMaterial", material=material)

    def _finalise_ids(self) -> None:
        # Created last: once an IfcOwnerHistory exists, ifcopenshell.api adds a time-stamped one
        # to every entity it creates or edits.
        owner_history = self._add_owner_history()
        resolver = _KeyResolver(self._keys)
        used: dict[str, str] = {}
        for entity in self.file.by_type("IfcRoot"):
            key = resolver.key(entity)
            guid = stable_guid(self.info.work, key)
            if guid in used:
                msg = f"two objects share the key {key!r}"
                raise ValueError(msg)
            used[guid] = key
            entity.GlobalId = guid
            entity.OwnerHistory = owner_history

    def _write_header(self) -> None:
        header = self.file.header
        header.file_description.description = (
            "ViewDefinition [DesignTransferView]", *self.info.header_notes)
        header.file_name.name = self.info.file_name
        header.file_name.time_stamp = TIMESTAMP
        header.file_name.author = ("twin_app bim_assets",)
        header.file_name.organization = ("twin_app (illustrative demo, not design data)",)
        header.file_name.preprocessor_version = f"IfcOpenShell {ifcopenshell.version}"
        header.file_name.originating_system = f"twin_app {self.info.script}"
        header.file_name.authorization = "none"

    def write(self, path: Path) -> Path:
        """Finish the model (relationships, GlobalIds, header) and write it to ``path``."""
        self._flush_relationships()
        self._finalise_ids()
        self._write_header()
        path.parent.mkdir(parents=True, exist_ok=True)
        self.file.write(str(path))
        logger.info("wrote %s (%d bytes, %d products)", path, path.stat().st_size,
                    len(self.file.by_type("IfcProduct")))
        return path


_PROVENANCE_DESCRIPTIONS = {
    "Illustrative": "True when the object's position, dimensions or any of its values are "
                    "invented or derived rather than published",
    "Source": "where the object's facts come from",
    "GeometryIllustrative": "whether the position and dimensions are invented",
    "PublishedValues": "Twin_Design values found in public sources, each with its source",
    "DerivedValues": "Twin_Design values derived from published ones",
    "IllustrativeValues": "Twin_Design values that are invented",
}

_SENSOR_DESCRIPTIONS = {
    "SensorId": "id of the sensor in scenes/<work>/scene.toml (also Name and Tag)",
    "Kind": "sensor kind in the scene format (twin_app.core.scene.SensorKind)",
    "Unit": "unit of the readings",
    "HeightDatum": "datum of level readings",
    "InScene": "False: promised by the model's brief but not (yet) in the scene file",
    "HostElement": "element the instrument is fixed to (moves with it)",
}


def _sensor_source(spec: SensorSpec) -> str:
    base = f"id and position from scenes/<work>/scene.toml; layout after {REFERENCE} s5.1"
    if not spec.in_scene:
        base = f"not in the scene file; id follows its pattern; layout after {REFERENCE} s5.1"
    return base if spec.illustrative else f"{base}; station location published"


def _operation_items(operation: Operation) -> list[tuple[str, bool | str | float, str, str]]:
    axis = " ".join(f"{clean(a):g}" for a in operation.axis)
    items: list[tuple[str, bool | str | float, str, str]] = [
        ("DrivenBySensor", operation.driven_by, "", "scene sensor id whose readings drive it"),
        ("Behaviour", operation.behaviour, "",
         "translate: readings move it along MotionAxis; state: readings colour it"),
        ("ModelledState", operation.modelled_state, "", "the state the geometry shows"),
    ]
    if operation.behaviour == "translate":
        items += [("MotionAxis", axis, "",
                   "unit vector in the model frame; a reading of 0 is the modelled state"),
                  ("TravelMax", operation.travel_max, "m", "illustrative: full travel")]
    if operation.note:
        items.append(("Note", operation.note, "text", "illustrative"))
    return items


class _KeyResolver:
    """Give every ``IfcRoot`` a stable key: registered, or derived from what it relates."""

    def __init__(self, keys: dict[int, str]) -> None:
        self._keys = dict(keys)

    def key(self, entity: Entity) -> str:
        """Return the stable key of ``entity``."""
        if entity.id() not in self._keys:
            self._keys[entity.id()] = self._derive(entity)
        return self._keys[entity.id()]

    def _derive(self, entity: Entity) -> str:
        if entity.is_a("IfcPropertySetDefinition"):
            owner = entity.DefinesOccurrence[0].RelatedObjects[0]
            return f"{self.key(owner)}/pset/{entity.Name}"
        if entity.is_a("IfcRelationship"):
            info = entity.get_info(include_identifier=False, recursive=False)
            tokens = [self._token(value) for name, value in info.items()
                      if name not in ("type", "GlobalId", "OwnerHistory")]
            return f"rel/{entity.is_a()}/" + "|".join(tokens)
        for inverse in ("Nests", "Decomposes"):
            relations = getattr(entity, inverse, None)
            if relations:
                parent = relations[0].RelatingObject
                index = list(relations[0].RelatedObjects).index(entity)
                return f"{self.key(parent)}/{inverse.lower()}/{entity.is_a()}/{index}"
        msg = f"no stable key for {entity}"
        raise ValueError(msg)

    def _token(self, value: object) -> str:
        if isinstance(value, ifcopenshell.entity_instance):
            if value.is_a("IfcRoot"):
                return self.key(value)
            return f"{value.is_a()}:{getattr(value, 'Name', '')}"
        if isinstance(value, tuple):
            return "[" + ",".join(sorted(self._token(item) for item in value)) + "]"
        return str(value)


def run(build: Callable[[Path], Path], default: Path, argv: Sequence[str] | None = None) -> Path:
    """Parse ``--output`` and run a build function; the entry point of every build script.

    Parameters
    ----------
    build : callable
        Writes the model to the given path and returns it.
    default : pathlib.Path
        The committed model's path (used when ``--output`` is not given).
    argv : sequence of str, optional
        Command-line arguments (``sys.argv[1:]`` when None).

    Returns
    -------
    pathlib.Path
        The written file.
    """
    import argparse

    parser = argparse.ArgumentParser(description=build.__doc__)
    parser.add_argument("--output", type=Path, default=default,
                        help=f"where to write the model (default: {default})")
    parser.add_argument("-v", "--verbose", action="store_true", help="log more")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.DEBUG if args.verbose else logging.INFO,
                        format="%(levelname)s %(name)s: %(message)s")
    return build(args.output)
