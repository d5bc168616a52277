"""The hydraulic set-up of a scene for the flood plugin: ``scenes/<scene>/flood.toml``.

The scene file (``scene.toml``) says what the works are; this file says how the flood model
sees them: where the outer water (tide, downstream river) is held, which river ends stand for
the network behind them, the gates with their sills, widths and operating parameter, the pump
stations, the walls (the scene's vector layers with ``crest_m``, plus structure lines), weak
wall sections, roughness and where the water starts.  Coordinates are map metres in the scene
CRS, levels in the scene's vertical datum.  Example (every key, see the shipped scenes)::

    schema_version = 1
    illustrative = true
    note = "What is published and what is invented."

    [roughness]
    default_n = 0.03
    [[roughness.zones]]              # later zones win; polygon and/or a ground filter
    id = "channels"
    n = 0.025
    ground_below_m = 0.0

    [[boundaries]]                   # outer water: level from the design tide parameters
    id = "yangtze"
    kind = "outer"                   # outer | storage | fixed
    polygon = [[x, y], ...]
    deeper_than_m = -4.0             # optional: deeper cells are left out (shown at the outer
                                     # level) and the rim of cells next to them is held
    [[boundaries]]                   # a river end standing for the network behind it
    id = "network"
    kind = "storage"
    polygon = [[x, y], ...]
    storage_km2 = 10.0               # water surface of the network: its level moves with
    inflow_share = 1.0               # share of upstream_inflow_m3s + catchment runoff
    catchment_km2 = 60.0             # minus what flows into the model
    runoff_coefficient = 0.5
    runoff_lag_h = 6.0
    [[boundaries]]
    id = "yunzaobang"
    kind = "fixed"                   # a constant level, present if its parameter is true
    polygon = [[x, y], ...]
    level_m = 2.6
    enabled_by = "divert_to_yunzaobang"

    [[gates]]
    id = "sluice"
    line = [[x, y], [x, y]]          # across the opening(s), pier to pier
    sill_m = -3.26
    width_m = 60.0                   # net width (the discharge is scaled to it)
    max_opening_m = 4.0
    top_m = 7.2                      # leaf top when shut (overtopping)
    design_discharge_m3s = 650.0     # gravity drainage is throttled to this
    closed_by = "gates_closed"       # the bool scenario parameter that shuts it
    inland_point = [x, y]            # where the rule reads the inland level ...
    outer_point = [x, y]             # ... and the outer level
    open_margin_m = 0.05             # drain by gravity when inland is this much higher ...
    drain_to_m = 2.0                 # ... down to this level (optional; the opening eases
    drain_band_m = 0.3               # off over this band above it); shut when outer is higher
    min_dwell_min = 10.0             # a shut gate stays shut at least this long
    hoist_speed_m_min = 0.3          # how fast the leaf moves (both ways)

    [[pumps]]
    id = "pumps"
    sump = [[x, y], ...]             # polygon of the forebay
    outlet = [x, y]                  # outer side; omit to pump out of the model
    units = 5
    unit_flow_m3s = 30.0
    start_level_m = 2.8
    stop_level_m = 2.0

    [walls]
    layers = ["seawall"]             # scene layers whose lines carry crest_m
    [[walls.lines]]
    id = "hub_structure"
    line = [[x, y], ...]
    crest_m = 8.5

    [[weak_sections]]                # part of a wall with a lower crest
    id = "weak"
    wall = "xcs_seawall_east"        # a layer feature id or a walls.lines id
    from_m = 250.0                   # chainage along that line
    to_m = 310.0
    crest_m = 6.0
    notch_m = 12.0                   # the DEM is lowered to the crest this far either side

    [initial]
    inland_points = [[x, y]]         # inland water connected to these starts at
                                     # inland_initial_level_m; water connected to the outer
                                     # boundaries at the outer level at t = 0
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from twin_app.core.toml_model import TomlModelError, validate_toml
from twin_app.sim.casefile import ScenarioError

__all__ = ["FLOOD_FILE", "BoundarySpec", "FloodSetup", "GateSpec", "PumpSpec", "load_setup"]

FLOOD_FILE = "flood.toml"
HINT = "see plugins/twin_flood/twin_flood/setup_file.py for the flood.toml format"

Point = tuple[float, float]
Line = Annotated[list[Point], Field(min_length=2)]
Polygon = Annotated[list[Point], Field(min_length=3)]
Ident = Annotated[str, Field(pattern=r"^[A-Za-z0-9_-]+$")]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class RoughnessZone(_Strict):
    """Manning's n inside a polygon and/or a ground-level band."""

    id: Ident
    n: Annotated[float, Field(gt=0, le=1)]
    polygon: Polygon | None = None
    ground_below_m: float | None = None
    ground_above_m: float | None = None


class Roughness(_Strict):
    """Manning's n: a default and optional zones (later zones win)."""

    default_n: Annotated[float, Field(gt=0, le=1)] = 0.03
    zones: list[RoughnessZone] = Field(default_factory=list)


class BoundarySpec(_Strict):
    """A water-level boundary: outer water, a storage river end or a fixed level."""

    id: Ident
    kind: Literal["outer", "storage", "fixed"]
    polygon: Polygon
    deeper_than_m: float | None = None
    storage_km2: Annotated[float, Field(gt=0)] = 5.0
    inflow_share: Annotated[float, Field(ge=0, le=1)] = 1.0
    catchment_km2: Annotated[float, Field(ge=0)] = 0.0
    runoff_coefficient: Annotated[float, Field(ge=0, le=1)] = 0.5
    runoff_lag_h: Annotated[float, Field(gt=0)] = 6.0
    level_m: float | None = None
    enabled_by: str | None = None

    @model_validator(mode="after")
    def _kind_fields(self) -> BoundarySpec:
        if self.kind == "fixed" and self.level_m is None:
            raise ValueError(f"boundary {self.id!r}: a fixed boundary needs level_m")
        if self.kind != "fixed" and self.level_m is not None:
            raise ValueError(f"boundary {self.id!r}: level_m is only for kind = 'fixed'")
        return self


class GateSpec(_Strict):
    """A gate across a channel, operated by a scenario parameter and a rule."""

    id: Ident
    line: Line
    sill_m: float
    width_m: Annotated[float, Field(gt=0)]
    max_opening_m: Annotated[float, Field(gt=0)]
    top_m: float
    design_discharge_m3s: Annotated[float, Field(gt=0)] | None = None
    closed_by: str = "gates_closed"
    inland_point: Point
    outer_point: Point
    discharge_coefficient: Annotated[float, Field(gt=0, le=1.5)] = 0.61
    open_margin_m: Annotated[float, Field(ge=0)] = 0.05
    drain_to_m: float | None = None
    drain_band_m: Annotated[float, Field(gt=0)] = 0.3
    min_dwell_min: Annotated[float, Field(ge=0)] = 10.0
    hoist_speed_m_min: Annotated[float, Field(gt=0)] = 0.3

    @model_validator(mode="after")
    def _top_above_sill(self) -> GateSpec:
        if self.top_m <= self.sill_m:
            raise ValueError(f"gate {self.id!r}: top_m must be above sill_m")
        return self


class PumpSpec(_Strict):
    """A pump station: a sump polygon, an outlet point, units and start/stop levels."""

    id: Ident
    sump: Polygon
    outlet: Point | None = None
    units: Annotated[int, Field(ge=1)]
    unit_flow_m3s: Annotated[float, Field(gt=0)]
    start_level_m: float
    stop_level_m: float
    runs_when_closed: list[str] | None = None

    @model_validator(mode="after")
    def _levels(self) -> PumpSpec:
        if self.start_level_m < self.stop_level_m:
            raise ValueError(f"pump {self.id!r}: start_level_m is below stop_level_m")
        return self


class WallLine(_Strict):
    """A wall or structure line written in this file."""

    id: Ident
    line: Line
    crest_m: float


class Walls(_Strict):
    """Walls: the lines of scene layers that carry ``crest_m``, and extra lines."""

    layers: list[str] = Field(default_factory=list)
    lines: list[WallLine] = Field(default_factory=list)


class WeakSection(_Strict):
    """A stretch of a wall with a lower crest (settled, unraised or a construction gap)."""

    id: Ident
    wall: str
    from_m: Annotated[float, Field(ge=0)]
    to_m: Annotated[float, Field(gt=0)]
    crest_m: float
    notch_m: Annotated[float, Field(ge=0)] = 12.0
    note: str = ""

    @model_validator(mode="after")
    def _order(self) -> WeakSection:
        if self.to_m <= self.from_m:
            raise ValueError(f"weak section {self.id!r}: to_m must be beyond from_m")
        return self


class Initial(_Strict):
    """Where the inland water starts."""

    inland_points: list[Point] = Field(default_factory=list)


class FloodSetup(_Strict):
    """A validated ``flood.toml``."""

    schema_version: Literal[1]
    illustrative: bool = True
    note: str = ""
    roughness: Roughness = Field(default_factory=Roughness)
    boundaries: list[BoundarySpec] = Field(default_factory=list)
    gates: list[GateSpec] = Field(default_factory=list)
    pumps: list[PumpSpec] = Field(default_factory=list)
    walls: Walls = Field(default_factory=Walls)
    weak_sections: list[WeakSection] = Field(default_factory=list)
    initial: Initial = Field(default_factory=Initial)

    @model_validator(mode="after")
    def _unique_ids(self) -> FloodSetup:
        ids = [item.id for group in (self.boundaries, self.gates, self.pumps, self.walls.lines)
               for item in group]
        twice = sorted({name for name in ids if ids.count(name) > 1})
        if twice:
            raise ValueError(f"ids used twice: {', '.join(twice)}")
        gates = {gate.id for gate in self.gates}
        for pump in self.pumps:
            unknown = sorted(set(pump.runs_when_closed or ()) - gates)
            if unknown:
                raise ValueError(f"pump {pump.id!r}: runs_when_closed names unknown gates "
                                 f"{', '.join(unknown)}")
        return self


def load_setup(path: Path) -> FloodSetup:
    """Read and validate a ``flood.toml``.

    Raises
    ------
    ScenarioError
        Naming the file, the line and the key of the first problem.
    """
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise ScenarioError(str(path), f"cannot be read ({error})", hint=HINT) from None
    try:
        setup, _ = validate_toml(text, FloodSetup)
    except TomlModelError as error:
        issue = error.issue
        raise ScenarioError(str(path), issue.problem, line=issue.line, key=issue.key,
                            hint=HINT) from None
    return setup
