"""The static manifest of a simulation plugin (a TOML file shipped inside the plugin package).

A plugin registers itself in the entry-point group ``twin_app.simulations``; the entry point's
name is the plugin id and its value is ``"package:manifest-file"`` (as npe2 does), e.g.::

    [project.entry-points."twin_app.simulations"]
    twin_example = "twin_example:twin_plugin.toml"

The manifest is found *without importing the package* (only its location is looked up), read and
validated here.  It names the model class as ``"module:Class"``; that code is imported only when
a run needs it (:func:`twin_app.sim.discovery.load_model_class`).  Example manifest::

    schema_version = 1
    id = "twin_example"
    version = "0.1.0"
    name = { zh = "示例：线性水库", en = "Example: linear reservoir" }
    model = "twin_example.model:LinearReservoir"
    scenario_parameters = ["rainfall_mm_h"]     # optional; default: every parameter

    [outputs]                                  # optional: what the result maps are made of
    depth_variable = "surface_water__depth"
    wet_threshold_m = 0.05

    [[variables]]
    name = "surface_water__depth"
    units = "m"
    intent = "out"
    location = "node"
    doc = "Depth of water on the ground"

    [[parameters]]
    name = "rainfall_mm_h"
    units = "mm h-1"
    default = 20.0
    min = 0.0
    max = 300.0
    doc = "Rain intensity over the whole grid"

Instead of inline ``variables``/``parameters``/``boundaries``, ``tables = "module:attribute"`` may
point to a :class:`~twin_app.sim.tables.Tables` object (imported on use).
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from twin_app.core.errors import TwinAppError
from twin_app.core.scene import Identifier, LocalizedText
from twin_app.core.toml_model import TomlModelError, validate_toml
from twin_app.sim.tables import BoundaryInfo, ParamInfo, Tables, VarInfo

ENTRY_POINT_GROUP = "twin_app.simulations"
MANIFEST_HINT = "see plugins/README.md, 'Writing a simulation plugin'"
PythonName = Annotated[str, Field(pattern=r"^[A-Za-z_][\w.]*:[A-Za-z_][\w.]*$")]
"""``"package.module:attribute"``."""


class ManifestError(TwinAppError):
    """A plugin's manifest is missing, not valid TOML or not a valid manifest.

    Parameters
    ----------
    path : str
        The manifest file (or the entry point, when the file cannot be found).
    problem : str
        What is wrong.
    line : int, optional
        The line of the offending key.
    """

    def __init__(self, path: str, problem: str, *, line: int | None = None) -> None:
        self.path = path
        self.line = line
        where = f"{path}:{line}" if line else path
        super().__init__(f"{where}: {problem}", hint=MANIFEST_HINT)


class OutputsSpec(BaseModel):
    """Which variable the flood maps (max depth, arrival time, duration, extent) are made of."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    depth_variable: str | None = None
    wet_threshold_m: Annotated[float, Field(gt=0)] = 0.05
    series_variables: list[str] = Field(default_factory=list)
    """Node variables written as CSV series at the probe points (default: the depth variable)."""


class PluginManifest(BaseModel):
    """A validated plugin manifest."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    schema_version: Literal[1]
    id: Identifier
    version: Annotated[str, Field(min_length=1)]
    name: LocalizedText
    description: LocalizedText | None = None
    model: PythonName
    tables: PythonName | None = None
    variables: list[VarInfo] = Field(default_factory=list)
    parameters: list[ParamInfo] = Field(default_factory=list)
    boundaries: list[BoundaryInfo] = Field(default_factory=list)
    scenario_parameters: list[str] | None = None
    outputs: OutputsSpec = Field(default_factory=OutputsSpec)

    @model_validator(mode="after")
    def _tables_once(self) -> PluginManifest:
        inline = bool(self.variables or self.parameters or self.boundaries)
        if self.tables and inline:
            raise ValueError("give either 'tables' (a pointer) or inline variables/parameters/"
                             "boundaries, not both")
        if not self.tables and not self.variables:
            raise ValueError("declare the model's 'variables' (or point 'tables' at them)")
        if inline:
            Tables(variables=self.variables, parameters=self.parameters,
                   boundaries=self.boundaries)
            names = {row.name for row in self.parameters}
            unknown = sorted(set(self.scenario_parameters or ()) - names)
            if unknown:
                raise ValueError(f"scenario_parameters {unknown} are not declared parameters")
            depth = self.outputs.depth_variable
            if depth and depth not in {row.name for row in self.variables}:
                raise ValueError(f"outputs.depth_variable {depth!r} is not a declared variable")
        return self

    @property
    def inline_tables(self) -> Tables | None:
        """The tables written in the manifest, or ``None`` when it points to them."""
        if self.tables:
            return None
        return Tables(variables=self.variables, parameters=self.parameters,
                      boundaries=self.boundaries)


def read_manifest(path: Path) -> PluginManifest:
    """Read and validate a manifest file.

    Raises
    ------
    ManifestError
        Naming the file, the line and the problem.
    """
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise ManifestError(str(path), f"cannot be read ({error})") from None
    try:
        manifest, _ = validate_toml(text, PluginManifest)
    except TomlModelError as error:
        issue = error.issue
        key = f"[{issue.key}] " if issue.key else ""
        raise ManifestError(str(path), f"{key}{issue.problem}", line=issue.line) from None
    return manifest


def tables_from_manifest(path: Path) -> Tables:
    """Return the inline tables of a manifest file, so a model class need not repeat them.

    A plugin writes ``tables = tables_from_manifest(Path(__file__).with_name("twin_plugin.toml"))``
    in its model class.

    Raises
    ------
    ManifestError
        If the manifest is invalid or points to its tables instead of holding them.
    """
    tables = read_manifest(path).inline_tables
    if tables is None:
        raise ManifestError(str(path), "the manifest points to its tables instead of holding them")
    return tables
