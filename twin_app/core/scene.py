"""The scene format: what ``scenes/<name>/scene.toml`` may say, as validated pydantic models.

A scene is one work and its surroundings: the map CRS and height datum, a local origin, the terrain,
the models of the structures, vector layers, sensors, scenarios and named viewpoints.  The models
here are immutable descriptions of the file; runtime state (visibility, selection, the current
viewpoint) lives in :mod:`twin_app.core.workspace`.

Coordinates in a scene file are map coordinates in the scene CRS (eastings, northings in metres) and
heights in the scene's vertical datum, unless a field says otherwise.
"""

from __future__ import annotations

import math
from enum import StrEnum
from typing import Annotated, Literal

import numpy as np
from numpy.typing import ArrayLike, NDArray
from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

Identifier = Annotated[str, Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.\-]*$", max_length=64)]
Point3 = tuple[float, float, float]
HexColour = Annotated[str, Field(pattern=r"^#[0-9A-Fa-f]{6}$")]
RelativePath = Annotated[str, Field(min_length=1)]


class _Strict(BaseModel):
    """Base of every scene model: unknown keys are errors, values are immutable."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class LocalizedText(_Strict):
    """A text in Chinese and English."""

    zh: Annotated[str, Field(min_length=1)]
    en: Annotated[str, Field(min_length=1)]

    def text(self, language: str) -> str:
        """Return the text for ``language`` (``"zh..."`` gives Chinese, anything else English)."""
        return self.zh if language.lower().startswith("zh") else self.en


class CrsSpec(_Strict):
    """The scene's horizontal CRS: a projected CRS in metres, given as ``EPSG:<code>``."""

    horizontal: Annotated[str, Field(pattern=r"^EPSG:\d{4,6}$")]

    @field_validator("horizontal")
    @classmethod
    def _projected_in_metres(cls, value: str) -> str:
        from pyproj import CRS
        from pyproj.exceptions import CRSError

        try:
            crs = CRS.from_user_input(value)
        except CRSError as error:
            msg = f"unknown CRS {value!r} ({error}); expected an EPSG code such as 'EPSG:4549'"
            raise ValueError(msg) from error
        if not crs.is_projected:
            msg = f"{value} ({crs.name}) is not a projected CRS; a scene needs eastings in metres"
            raise ValueError(msg)
        unit = crs.axis_info[0].unit_name
        if unit not in ("metre", "meter"):
            msg = f"{value} has axis unit {unit!r}; expected metres"
            raise ValueError(msg)
        return value


class VerticalDatumSpec(_Strict):
    """The height datum of every height in the scene.

    ``to_nhd1985_m`` is added to a height in this datum to give the height in the 1985 National
    Height Datum (Wusong zero lies about 1.66 m below the 1985 zero, so Wusong uses about -1.66).
    """

    name: LocalizedText
    to_nhd1985_m: Annotated[float, Field(ge=-10.0, le=10.0)]
    note: str = ""


class Placement(_Strict):
    """Where a model's local origin sits on the map, and how it is turned.

    ``rotation_deg`` turns the model's x axis anticlockwise from grid east.
    """

    easting: float
    northing: float
    height: float = 0.0
    rotation_deg: Annotated[float, Field(ge=-360.0, le=360.0)] = 0.0

    def to_map(self, points: ArrayLike) -> NDArray[np.float64]:
        """Return points of the model's frame (n, 3), in metres, as map coordinates (float64)."""
        turned = turn_about_z(np.asarray(points, dtype=np.float64).reshape(-1, 3),
                              self.rotation_deg)
        return turned + np.array([self.easting, self.northing, self.height])


def turn_about_z(points: NDArray[np.float64], degrees: float) -> NDArray[np.float64]:
    """Return ``points`` (n, 3) turned anticlockwise about the z axis by ``degrees``."""
    angle = math.radians(degrees)
    cos_a, sin_a = math.cos(angle), math.sin(angle)
    return np.column_stack((points[:, 0] * cos_a - points[:, 1] * sin_a,
                            points[:, 0] * sin_a + points[:, 1] * cos_a, points[:, 2]))


class PlaceholderPart(_Strict):
    """A box standing in for an element until the real BIM model exists (always illustrative).

    ``center`` and ``size`` are in the asset's frame; ``rotation_deg`` turns the box about its
    own vertical axis, anticlockwise, before the asset's placement is applied.
    """

    id: Identifier
    name: LocalizedText
    ifc_class: Annotated[str, Field(pattern=r"^Ifc[A-Za-z]+$")]
    role: str = ""
    center: Point3
    size: tuple[
        Annotated[float, Field(gt=0)], Annotated[float, Field(gt=0)], Annotated[float, Field(gt=0)]
    ]
    rotation_deg: Annotated[float, Field(ge=-360.0, le=360.0)] = 0.0
    color: HexColour = "#b0b0b0"
    opening_direction: Literal["up", "down"] = "up"
    """For gate leaves: which way the leaf moves as the opening grows (a floating gate sinks)."""


class AssetSpec(_Strict):
    """A structure model: an IFC file, or placeholder boxes until the BIM model lands."""

    id: Identifier
    name: LocalizedText
    kind: Literal["ifc", "placeholder"]
    file: RelativePath | None = None
    georeferencing: Literal["placement", "ifc"] = "placement"
    placement: Placement | None = None
    parts: list[PlaceholderPart] = Field(default_factory=list)
    illustrative: bool = True

    @model_validator(mode="after")
    def _consistent(self) -> AssetSpec:
        if self.kind == "ifc" and self.file is None:
            raise ValueError("an 'ifc' asset needs 'file' (the IFC model, relative to the scene)")
        if self.kind == "placeholder" and not self.parts:
            raise ValueError("a 'placeholder' asset needs at least one entry in 'parts'")
        if self.georeferencing == "placement" and self.placement is None:
            raise ValueError(
                "missing 'placement' (easting, northing, height, rotation_deg); "
                "or set georeferencing = 'ifc' to use the model's IfcMapConversion"
            )
        if self.georeferencing == "ifc" and self.kind != "ifc":
            raise ValueError("georeferencing = 'ifc' is only possible for kind = 'ifc'")
        return self


class TerrainSpec(_Strict):
    """The terrain base: DEM GeoTIFFs (any CRS; reprojected to the scene CRS when read).

    ``file`` is the analysis DEM that rehearsals run on.  ``detail`` is an optional finer DEM of
    the same area drawn in its place (tiled, with levels of detail), and ``context`` an optional
    coarser, larger DEM drawn around it so the work sits in its landscape.  ``imagery`` is an
    optional orthophoto (RGB GeoTIFF) draped on the terrain; without one the terrain is coloured
    by height (``colormap``) with hillshading.  ``heights_datum`` says which datum the files'
    heights are in: ``"scene"`` (no change) or ``"nhd1985"`` (the 1985 National Height Datum,
    converted once with the scene's ``vertical_datum.to_nhd1985_m``).
    """

    file: RelativePath
    illustrative: bool = True
    colormap: str = "terrain"
    detail: RelativePath | None = None
    context: RelativePath | None = None
    imagery: RelativePath | None = None
    heights_datum: Literal["scene", "nhd1985"] = "scene"
    note: str = ""


class VectorStyle(_Strict):
    """How a vector layer is drawn."""

    color: HexColour = "#ffcc00"
    width: Annotated[float, Field(gt=0, le=50)] = 3.0
    opacity: Annotated[float, Field(ge=0, le=1)] = 1.0


class VectorLayerSpec(_Strict):
    """A GeoJSON layer (lines, polygons or points) in the scene CRS, draped on the terrain."""

    id: Identifier
    name: LocalizedText
    file: RelativePath
    style: VectorStyle = Field(default_factory=VectorStyle)
    height_offset_m: float = 0.5
    illustrative: bool = True


class SensorKind(StrEnum):
    """Kinds of monitoring instrument the twin knows."""

    WATER_LEVEL = "water_level"
    RAINFALL = "rainfall"
    GATE_OPENING = "gate_opening"
    PUMP_STATE = "pump_state"
    PUMP_FLOW = "pump_flow"
    PIEZOMETER = "piezometer"
    SETTLEMENT = "settlement"
    INCLINATION = "inclination"


SENSOR_UNITS: dict[SensorKind, tuple[str, ...]] = {
    SensorKind.WATER_LEVEL: ("m",),
    SensorKind.RAINFALL: ("mm", "mm/h"),
    SensorKind.GATE_OPENING: ("m",),
    SensorKind.PUMP_STATE: ("1",),
    SensorKind.PUMP_FLOW: ("m3/s",),
    SensorKind.PIEZOMETER: ("m", "kPa"),
    SensorKind.SETTLEMENT: ("mm",),
    SensorKind.INCLINATION: ("deg",),
}
"""Units each sensor kind may be given in (heights in the scene datum)."""


class Threshold(_Strict):
    """A level that raises a warning when crossed in ``direction``."""

    id: Identifier
    name: LocalizedText
    value: float
    direction: Literal["above", "below"] = "above"
    severity: Literal["advisory", "warning", "alarm", "critical"] = "warning"
    source: str = ""


class SensorSpec(_Strict):
    """A monitoring instrument at a map position."""

    id: Identifier
    kind: SensorKind
    name: LocalizedText
    position: Point3
    unit: str
    asset: Identifier | None = None
    element: Identifier | None = None
    """The element of ``asset`` the sensor drives: a gate leaf it opens, a pump it runs."""
    thresholds: list[Threshold] = Field(default_factory=list)
    illustrative: bool = True

    @model_validator(mode="after")
    def _unit_fits_kind(self) -> SensorSpec:
        allowed = SENSOR_UNITS[self.kind]
        if self.unit not in allowed:
            expected = ", ".join(repr(unit) for unit in allowed)
            msg = f"unit {self.unit!r} does not fit a {self.kind.value} sensor; expected {expected}"
            raise ValueError(msg)
        return self


class WaterBodySpec(_Strict):
    """A stretch of water whose surface stands at one gauge's level (e.g. one side of a gate).

    ``polygon`` (map coordinates, at least three corners) bounds it; where the terrain is higher
    than the level the terrain hides the surface, so the polygon can be generous.
    """

    id: Identifier
    name: LocalizedText
    sensor: Identifier
    polygon: Annotated[list[tuple[float, float]], Field(min_length=3)]
    default_level: float | None = None


class ScenarioSpec(_Strict):
    """A rehearsal the scene offers: which simulation plugin, for how long, with which inputs."""

    id: Identifier
    name: LocalizedText
    plugin: Identifier
    duration_h: Annotated[float, Field(gt=0, le=24 * 366)]
    output_interval_min: Annotated[float, Field(gt=0)] = 10.0
    parameters: dict[str, float | int | str | bool | list[float]] = Field(default_factory=dict)
    illustrative: bool = True


class ViewpointSpec(_Strict):
    """A named camera: position and focal point in map coordinates, heights in the scene datum."""

    id: Identifier
    name: LocalizedText
    position: Point3
    focal_point: Point3
    up: Point3 = (0.0, 0.0, 1.0)
    view_angle_deg: Annotated[float, Field(gt=1, lt=120)] = 30.0

    @model_validator(mode="after")
    def _not_degenerate(self) -> ViewpointSpec:
        if self.position == self.focal_point:
            raise ValueError("'position' and 'focal_point' are the same point")
        if self.up == (0.0, 0.0, 0.0):
            raise ValueError("'up' must not be the zero vector")
        return self


class DisplaySpec(_Strict):
    """Display defaults for the scene."""

    water_level: float | None = None
    vertical_exaggeration: Annotated[float, Field(gt=0, le=50)] = 1.0
    background: HexColour = "#1c2a3a"


class Scene(_Strict):
    """A validated scene file.  Use :func:`twin_app.core.scene_loader.load_scene` to read one."""

    schema_version: Literal[1]
    id: Identifier
    name: LocalizedText
    description: LocalizedText | None = None
    illustrative_note: LocalizedText
    crs: CrsSpec
    vertical_datum: VerticalDatumSpec
    origin: Point3
    terrain: TerrainSpec | None = None
    assets: list[AssetSpec] = Field(default_factory=list)
    layers: list[VectorLayerSpec] = Field(default_factory=list)
    sensors: list[SensorSpec] = Field(default_factory=list)
    scenarios: list[ScenarioSpec] = Field(default_factory=list)
    viewpoints: list[ViewpointSpec] = Field(default_factory=list)
    water_bodies: list[WaterBodySpec] = Field(default_factory=list)
    default_viewpoint: Identifier | None = None
    display: DisplaySpec = Field(default_factory=DisplaySpec)

    @model_validator(mode="after")
    def _references_resolve(self) -> Scene:
        for collection in ("assets", "layers", "sensors", "scenarios", "viewpoints",
                           "water_bodies"):
            seen: set[str] = set()
            for item in getattr(self, collection):
                if item.id in seen:
                    raise ValueError(f"{collection}: id {item.id!r} is used twice")
                seen.add(item.id)
        viewpoint_ids = [viewpoint.id for viewpoint in self.viewpoints]
        if self.default_viewpoint and self.default_viewpoint not in viewpoint_ids:
            msg = (
                f"default_viewpoint {self.default_viewpoint!r} is not one of the viewpoints "
                f"({', '.join(viewpoint_ids) or 'none defined'})"
            )
            raise ValueError(msg)
        self._sensor_links_resolve()
        sensors = {sensor.id: sensor for sensor in self.sensors}
        for body in self.water_bodies:
            sensor = sensors.get(body.sensor)
            if sensor is None or sensor.kind is not SensorKind.WATER_LEVEL:
                msg = f"water body {body.id!r} needs a water_level sensor, not {body.sensor!r}"
                raise ValueError(msg)
        return self

    def _sensor_links_resolve(self) -> None:
        assets = {asset.id: asset for asset in self.assets}
        for sensor in self.sensors:
            if sensor.asset and sensor.asset not in assets:
                msg = f"sensor {sensor.id!r} refers to asset {sensor.asset!r}, which is not defined"
                raise ValueError(msg)
            if sensor.element is None:
                continue
            asset = assets.get(sensor.asset or "")
            if asset is None:
                msg = f"sensor {sensor.id!r} names element {sensor.element!r} but no 'asset'"
                raise ValueError(msg)
            parts = [part.id for part in asset.parts]
            if asset.kind == "placeholder" and sensor.element not in parts:
                msg = (f"sensor {sensor.id!r}: asset {asset.id!r} has no element "
                       f"{sensor.element!r} (it has {', '.join(parts)})")
                raise ValueError(msg)

    def viewpoint(self, viewpoint_id: str | None = None) -> ViewpointSpec | None:
        """Return the named viewpoint, or the default one, or the first, or ``None``.

        Raises
        ------
        KeyError
            If ``viewpoint_id`` is given and no viewpoint has that id.
        """
        wanted = viewpoint_id or self.default_viewpoint
        if wanted is None:
            return self.viewpoints[0] if self.viewpoints else None
        for viewpoint in self.viewpoints:
            if viewpoint.id == wanted:
                return viewpoint
        available = ", ".join(v.id for v in self.viewpoints) or "none"
        raise KeyError(f"no viewpoint {wanted!r} in scene {self.id!r}; available: {available}")

    def sensor_summary(self) -> dict[str, int]:
        """Return how many sensors of each kind the scene has."""
        counts: dict[str, int] = {}
        for sensor in self.sensors:
            counts[sensor.kind.value] = counts.get(sensor.kind.value, 0) + 1
        return counts

