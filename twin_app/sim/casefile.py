"""The case-file format (``twin-app rehearse --scenario-file CASE.toml``) and its error class.

See :mod:`twin_app.sim.scenario` for an example file and for how a case is checked.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

from twin_app.core.errors import InputError
from twin_app.core.scene import Identifier
from twin_app.sim.boundaries import BoundarySpec
from twin_app.sim.tables import ParamValue


class ScenarioError(InputError):
    """A scenario or case file is not runnable; the message names the file and line.

    Parameters
    ----------
    path : str
        The file (scene or case file).
    problem : str
        What is wrong and what was expected.
    line : int, optional
        The 1-based line.
    key : str, optional
        The key, e.g. ``parameters.rainfall_mm_h``.
    hint : str, optional
        What to do next.
    """

    def __init__(self, path: str, problem: str, *, line: int | None = None,
                 key: str | None = None, hint: str | None = None) -> None:
        self.path, self.problem, self.line, self.key = path, problem, line, key
        where = f"{path}:{line}" if line else path
        subject = f" [{key}]" if key else ""
        super().__init__(f"{where}{subject}: {problem}", hint=hint)


class UnitValue(BaseModel):
    """A parameter given with its units: ``{ value = 12000, units = "L/s" }``."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    value: float | list[float]
    units: str


class PointSpec(BaseModel):
    """A probe point in the scene CRS."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: Identifier
    x: float
    y: float


class InitialState(BaseModel):
    """Values to start from: literal ``values`` and/or the newest readings of ``telemetry``."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    values: dict[str, float] = Field(default_factory=dict)
    telemetry: list[str] = Field(default_factory=list)


class CaseFile(BaseModel):
    """A standalone rehearsal case (outside any scene, e.g. a benchmark DEM)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    plugin: Identifier
    name: str = ""
    duration_h: Annotated[float, Field(gt=0, le=24 * 366)]
    output_interval_min: Annotated[float, Field(gt=0)] = 10.0
    start: datetime | None = None
    crs: str | None = None
    dem: str | None = None
    scene: str | None = None
    timeout_s: Annotated[float, Field(gt=0)] | None = None
    parameters: dict[str, ParamValue | UnitValue] = Field(default_factory=dict)
    boundaries: dict[str, BoundarySpec] = Field(default_factory=dict)
    points: list[PointSpec] = Field(default_factory=list)
    initial_state: InitialState = Field(default_factory=InitialState)
