"""The tables a simulation plugin declares: its variables, its parameters, its boundary inputs.

These are Landlab ``_info``-style tables as validated pydantic models, so that the same rows can be
written inline in a plugin's manifest TOML (read without importing the plugin) and as class
attributes of the model (:class:`twin_app.sim.sdk.Simulation`).  The host derives the CSDMS BMI
getters, the UI its parameter form and the scenario loader its checks from them.

Units are UDUNITS-style strings as BMI asks (``"m"``, ``"m3 s-1"``, ``"mm h-1"``, ``"1"``).
"""

from __future__ import annotations

from typing import Annotated, Literal

import numpy as np
from pydantic import BaseModel, ConfigDict, Field, model_validator

VarName = Annotated[str, Field(pattern=r"^[A-Za-z][A-Za-z0-9_]*$", max_length=80)]
"""A variable or parameter name (CSDMS style ``object__quantity`` recommended for variables)."""

Intent = Literal["in", "out", "inout"]
Location = Literal["node", "face", "point", "scalar"]
"""Where a value lives: grid nodes, grid faces (cells between four nodes), the probe points of
the run, or a single number for the whole model."""

ParamValue = float | int | str | bool | list[float]

DTYPES = ("float64", "float32", "int32", "int64", "uint8", "bool")


class _Row(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class VarInfo(_Row):
    """One variable of a model (a row of its variable table).

    Attributes
    ----------
    name : str
        The name, CSDMS style, e.g. ``surface_water__depth``.
    units : str
        UDUNITS units, ``"1"`` for a pure number.
    dtype : str
        numpy dtype name, one of :data:`DTYPES`.
    intent : {"in", "out", "inout"}
        Whether the host sets it, reads it, or both.
    location : {"node", "face", "point", "scalar"}
        Where the value lives.
    doc : str
        One sentence saying what it is.
    optional : bool
        Whether the model may leave it out.
    """

    name: VarName
    units: Annotated[str, Field(min_length=1)]
    dtype: Literal["float64", "float32", "int32", "int64", "uint8", "bool"] = "float64"
    intent: Intent
    location: Location = "node"
    doc: Annotated[str, Field(min_length=1)]
    optional: bool = False

    @property
    def itemsize(self) -> int:
        """Bytes per item of :attr:`dtype`."""
        return int(np.dtype(self.dtype).itemsize)


class ParamInfo(_Row):
    """One parameter of a model (a row of its parameter table).

    A number has ``min``/``max`` bounds (inclusive), a string may list its ``choices``.  Every
    parameter has a default, so that a form can be built and a scenario may leave it out.
    """

    name: VarName
    units: str = "1"
    default: ParamValue
    min: float | None = None
    max: float | None = None
    doc: Annotated[str, Field(min_length=1)]
    choices: list[str] | None = None

    @model_validator(mode="after")
    def _consistent(self) -> ParamInfo:
        if self.min is not None and self.max is not None and self.min > self.max:
            raise ValueError(f"parameter {self.name!r}: min {self.min} is above max {self.max}")
        if self.choices is not None and self.default not in self.choices:
            raise ValueError(f"parameter {self.name!r}: default {self.default!r} is not one of "
                             f"its choices {self.choices}")
        problem = self.check(self.default)
        if problem:
            raise ValueError(f"parameter {self.name!r}: default {problem}")
        return self

    @property
    def kind(self) -> str:
        """``"bool"``, ``"int"``, ``"float"``, ``"str"`` or ``"list"``, from the default."""
        for name, kind in (("bool", bool), ("int", int), ("float", float), ("str", str)):
            if isinstance(self.default, kind):
                return name
        return "list"

    def check(self, value: object) -> str | None:
        """Return what is wrong with ``value`` for this parameter, or ``None`` if it is fine."""
        kind = self.kind
        if kind == "bool" and not isinstance(value, bool):
            return f"must be true or false, not {value!r}"
        if kind in ("int", "float") and (isinstance(value, bool)
                                          or not isinstance(value, int | float)):
            return f"must be a number, not {value!r}"
        if kind == "int" and isinstance(value, float) and not value.is_integer():
            return f"must be a whole number, not {value!r}"
        if kind == "str":
            if not isinstance(value, str):
                return f"must be text, not {value!r}"
            if self.choices is not None and value not in self.choices:
                return f"{value!r} is not one of {', '.join(map(repr, self.choices))}"
        numbers: list[float] = []
        if kind in ("int", "float"):
            numbers = [float(value)]  # type: ignore[arg-type]
        elif kind == "list":
            if not isinstance(value, list) or not all(
                    isinstance(v, int | float) and not isinstance(v, bool) for v in value):
                return f"must be a list of numbers, not {value!r}"
            numbers = [float(v) for v in value]
        for number in numbers:
            if self.min is not None and number < self.min:
                return f"{number:g} {self.units} is below the minimum {self.min:g} {self.units}"
            if self.max is not None and number > self.max:
                return f"{number:g} {self.units} is above the maximum {self.max:g} {self.units}"
        return None


class BoundaryInfo(_Row):
    """A time-varying input the model takes (a tide level, a rainfall intensity, an inflow)."""

    name: VarName
    units: Annotated[str, Field(min_length=1)]
    doc: Annotated[str, Field(min_length=1)]
    required: bool = False


class Tables(_Row):
    """Everything a model declares: variables, parameters and boundary inputs."""

    variables: list[VarInfo] = Field(default_factory=list)
    parameters: list[ParamInfo] = Field(default_factory=list)
    boundaries: list[BoundaryInfo] = Field(default_factory=list)

    @model_validator(mode="after")
    def _unique(self) -> Tables:
        for kind in ("variables", "parameters", "boundaries"):
            names = [row.name for row in getattr(self, kind)]
            twice = sorted({name for name in names if names.count(name) > 1})
            if twice:
                raise ValueError(f"{kind}: {', '.join(twice)} declared twice")
        return self

    def variable(self, name: str) -> VarInfo:
        """Return the variable called ``name``.

        Raises
        ------
        KeyError
            Naming the variables there are.
        """
        for row in self.variables:
            if row.name == name:
                return row
        known = ", ".join(row.name for row in self.variables) or "none"
        raise KeyError(f"no variable {name!r}; the model has: {known}")

    def parameter(self, name: str) -> ParamInfo | None:
        """Return the parameter called ``name``, or ``None``."""
        return next((row for row in self.parameters if row.name == name), None)

    def boundary(self, name: str) -> BoundaryInfo | None:
        """Return the boundary input called ``name``, or ``None``."""
        return next((row for row in self.boundaries if row.name == name), None)

    def defaults(self) -> dict[str, ParamValue]:
        """Return every parameter's default value by name."""
        return {row.name: row.default for row in self.parameters}
