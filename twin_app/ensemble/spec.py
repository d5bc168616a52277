"""The ensemble spec (TOML): a base rehearsal and the uncertain inputs its members sample.

One ensemble, as a ``--spec`` file or as one ``[[ensembles]]`` entry of
``scenes/<scene>/ensembles.toml``::

    id = "winnie_uncertainty"
    name = { zh = "温妮台风不确定性集合", en = "Typhoon Winnie uncertainty" }   # optional
    scenario = "winnie_1997"     # base: a scene scenario (its plugin, duration and parameters)
    # ...or plugin = "twin_example" with duration_h and output_interval_min
    members = 20                 # sampled members (an explicit [[members]] list replaces them)
    seed = 1997                  # the same seed gives the same members, on any machine
    wet_threshold_m = 0.10       # "flooded" means max depth above this (default: the plugin's)
    percentiles = [10, 50, 90]   # of max depth, per cell
    member_timeout_s = 900       # optional wall-clock limit of one member

    [base]                       # parameter values on top of the scenario's
    rainfall_total_mm = 150.0

    [[perturb]]                  # one uncertain input; applied in the order listed
    parameter = "peak_level_m"
    distribution = "normal"      # normal (mean, sd) | uniform (low, high)
    mean = 0.0                   #   | choice (values, weights) | bernoulli (p, value)
    sd = 0.15
    mode = "add"                 # set (default) | add | scale: how a number meets the base
    min = 4.0                    # optional truncation of the result (clip)
    max = 7.0
    label = { zh = "风暴潮峰值", en = "surge peak" }

    [[perturb]]
    parameter = "creek_gate_closed"
    distribution = "bernoulli"   # with probability p the parameter takes `value`, else the base
    p = 0.05
    value = false
    label = { zh = "河口闸未能关闭", en = "creek gate fails to close" }

    [[points]]                   # where exceedance curves are made (default: the scene's gauges)
    id = "bund_low_spot"
    x = 641700.0
    y = 3458900.0

    [[members]]                  # optional explicit members: parameters on top of [base]
    parameters = { rainfall_mm_h = 0.0 }

Member ``k`` draws from ``numpy.random.default_rng(SeedSequence(seed, spawn_key=(k,)))``, so its
values do not depend on how many members there are.  A sampled value that is out of the plugin's
bounds makes that member fail its check: it is reported and left out, never silently clipped
(give ``min``/``max`` to truncate on purpose).
"""

from __future__ import annotations

import logging
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any, Literal

import numpy as np
from pydantic import BaseModel, ConfigDict, Field, model_validator

from twin_app.core.errors import InputError
from twin_app.core.scene import Identifier, LocalizedText
from twin_app.core.toml_model import TomlModelError, validate_toml
from twin_app.sim.tables import ParamValue, Tables

logger = logging.getLogger(__name__)

ENSEMBLES_FILE = "ensembles.toml"
Number = float | int | bool | str


class EnsembleSpecError(InputError):
    """An ensemble spec that cannot be used (names the file, line and key)."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Perturbation(_Strict):
    """One uncertain input (see the module notes)."""

    parameter: Identifier
    distribution: Literal["normal", "uniform", "choice", "bernoulli"]
    mean: float = 0.0
    sd: Annotated[float, Field(ge=0)] | None = None
    low: float | None = None
    high: float | None = None
    values: list[Number] | None = None
    weights: list[Annotated[float, Field(ge=0)]] | None = None
    p: Annotated[float, Field(ge=0, le=1)] | None = None
    value: Number | None = None
    mode: Literal["set", "add", "scale"] = "set"
    min: float | None = None
    max: float | None = None
    label: LocalizedText | None = None

    @model_validator(mode="after")
    def _complete(self) -> Perturbation:
        need = {"normal": ("sd",), "uniform": ("low", "high"), "choice": ("values",),
                "bernoulli": ("p", "value")}[self.distribution]
        missing = [name for name in need if getattr(self, name) is None]
        if missing:
            raise ValueError(f"a {self.distribution} perturbation needs {', '.join(missing)}")
        if self.distribution == "uniform" and self.low > self.high:  # type: ignore[operator]
            raise ValueError("uniform: low is above high")
        if self.distribution == "choice":
            if not self.values:
                raise ValueError("choice: values is empty")
            if self.weights is not None and (len(self.weights) != len(self.values)
                                             or sum(self.weights) <= 0):
                raise ValueError("choice: give one non-negative weight per value, not all 0")
        return self

    def draw(self, rng: np.random.Generator, base: ParamValue | None) -> ParamValue:
        """Return this input's value for one member, given the base value."""
        if self.distribution == "bernoulli":
            return self.value if rng.random() < self.p else base  # type: ignore[return-value]
        if self.distribution == "choice":
            weights = None
            if self.weights is not None:
                weights = np.asarray(self.weights) / float(np.sum(self.weights))
            drawn: Any = self.values[int(rng.choice(len(self.values), p=weights))]  # type: ignore[index, arg-type]
        elif self.distribution == "normal":
            drawn = float(rng.normal(self.mean, self.sd))
        else:
            drawn = float(rng.uniform(self.low, self.high))
        if isinstance(drawn, bool | str):
            return drawn
        value = float(drawn)
        if self.mode != "set":
            if isinstance(base, bool) or not isinstance(base, int | float):
                raise EnsembleSpecError(f"perturbation of {self.parameter}: mode {self.mode!r} "
                                        f"needs a numeric base value, not {base!r}")
            value = float(base) + value if self.mode == "add" else float(base) * value
        if self.min is not None:
            value = max(value, self.min)
        if self.max is not None:
            value = min(value, self.max)
        return value


class PointSpec(_Strict):
    """A map point (scene CRS) where an exceedance curve is made."""

    id: Identifier
    x: float
    y: float


class ExplicitMember(_Strict):
    """A member given by its parameters (on top of the base)."""

    parameters: dict[str, ParamValue] = Field(default_factory=dict)
    label: str = ""


class EnsembleSpec(_Strict):
    """One ensemble (see the module notes)."""

    id: Identifier = "ensemble"
    name: LocalizedText | None = None
    scenario: Identifier | None = None
    plugin: Identifier | None = None
    duration_h: Annotated[float, Field(gt=0, le=24 * 30)] | None = None
    output_interval_min: Annotated[float, Field(gt=0)] | None = None
    members: Annotated[int, Field(ge=1, le=10000)] = 10
    seed: int = 0
    wet_threshold_m: Annotated[float, Field(ge=0)] | None = None
    percentiles: list[Annotated[float, Field(ge=0, le=100)]] = Field(
        default_factory=lambda: [10.0, 50.0, 90.0])
    member_timeout_s: Annotated[float, Field(gt=0)] | None = None
    illustrative: bool = True
    base: dict[str, ParamValue] = Field(default_factory=dict)
    perturb: list[Perturbation] = Field(default_factory=list)
    points: list[PointSpec] = Field(default_factory=list)
    explicit: list[ExplicitMember] = Field(default_factory=list, alias="members_list")

    @model_validator(mode="before")
    @classmethod
    def _members_table(cls, data: Any) -> Any:
        if isinstance(data, dict) and isinstance(data.get("members"), list):
            data = dict(data)
            listed = data.pop("members")
            data["members_list"] = listed
            data["members"] = max(len(listed), 1)
        return data

    @model_validator(mode="after")
    def _base_named(self) -> EnsembleSpec:
        if (self.scenario is None) == (self.plugin is None):
            raise ValueError("give either scenario (a scene scenario) or plugin, not both")
        if self.plugin is not None and self.duration_h is None:
            raise ValueError("with plugin, give duration_h")
        return self


@dataclass(frozen=True)
class Member:
    """One member: its index, full parameter values and what was drawn for it."""

    index: int
    parameters: dict[str, ParamValue]
    drawn: dict[str, ParamValue] = field(default_factory=dict)
    label: str = ""


def load_spec(path: str | Path) -> EnsembleSpec:
    """Read a single-ensemble spec file.

    Raises
    ------
    EnsembleSpecError
        Naming the file, line and key of the first problem.
    """
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise EnsembleSpecError(f"{path} cannot be read ({error})") from None
    return _validate(text, str(path))


def scene_specs(folder: Path) -> list[EnsembleSpec]:
    """Return the ensembles of a scene (``<scene folder>/ensembles.toml``; none if absent)."""
    path = Path(folder) / ENSEMBLES_FILE
    if not path.is_file():
        return []
    text = path.read_text(encoding="utf-8")
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise EnsembleSpecError(f"{path}: {error}") from None
    entries = raw.get("ensembles", [])
    if not isinstance(entries, list):
        raise EnsembleSpecError(f"{path}: 'ensembles' must be an array of tables [[ensembles]]")
    specs = []
    for index, entry in enumerate(entries):
        try:
            specs.append(EnsembleSpec.model_validate(entry))
        except ValueError as error:
            raise EnsembleSpecError(f"{path} [ensembles[{index}]]: {error}") from None
    return specs


def find_scene_spec(folder: Path, name: str) -> EnsembleSpec | None:
    """Return the scene ensemble whose id or scenario is ``name``, if any."""
    for spec in scene_specs(folder):
        if name in (spec.id, spec.scenario):
            return spec
    return None


def _validate(text: str, source: str) -> EnsembleSpec:
    try:
        spec, _ = validate_toml(text, EnsembleSpec)
    except TomlModelError as error:
        issue = error.issue
        where = f"{source}:{issue.line}" if issue.line else source
        key = f" [{issue.key}]" if issue.key else ""
        raise EnsembleSpecError(f"{where}{key}: {issue.problem}",
                                hint="see twin_app/ensemble/spec.py for the format") from None
    return spec


def sample_members(spec: EnsembleSpec, base: dict[str, ParamValue], tables: Tables | None = None,
                   count: int | None = None) -> list[Member]:
    """Return the members: the explicit list, or ``count`` (default ``spec.members``) draws.

    Parameters
    ----------
    spec : EnsembleSpec
        The perturbations and the seed.
    base : dict
        Base parameter values (the scenario's and ``spec.base``, merged by the caller).
    tables : Tables, optional
        The plugin's tables; whole-number parameters are rounded to integers.
    count : int, optional
        How many members to sample (overrides ``spec.members``).
    """
    ints = {row.name for row in tables.parameters if row.kind == "int"} if tables else set()
    if spec.explicit:
        return [Member(k, _typed({**base, **m.parameters}, ints), dict(m.parameters), m.label)
                for k, m in enumerate(spec.explicit)]
    members = []
    for k in range(count or spec.members):
        rng = np.random.default_rng(np.random.SeedSequence(spec.seed, spawn_key=(k,)))
        values = dict(base)
        drawn: dict[str, ParamValue] = {}
        for perturbation in spec.perturb:
            name = perturbation.parameter
            values[name] = drawn[name] = perturbation.draw(rng, values.get(name))
        members.append(Member(k, _typed(values, ints), _typed(drawn, ints)))
    return members


def _typed(values: dict[str, ParamValue], ints: set[str]) -> dict[str, ParamValue]:
    out: dict[str, ParamValue] = {}
    for name, value in values.items():
        if name in ints and isinstance(value, float) and value.is_integer():
            out[name] = int(value)
        elif name in ints and isinstance(value, float):
            out[name] = round(value)
        else:
            out[name] = value
    return out
