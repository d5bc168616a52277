"""What tells two rehearsals apart: the parameters they were run with, and how wet each is.

Used when two runs are shown side by side (:meth:`~twin_app.sim.session.RehearsalSession.
compare_side_by_side`): each side is titled with the parameters in which its run differs from the
other, and with the peak depth and flooded area of the frame it shows.  Plain data, no drawing.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from pathlib import Path

from twin_app.sim.tables import ParamInfo, ParamValue

logger = logging.getLogger(__name__)

CONFIG_FILE = "run_config.json"
MAX_SHOWN = 4
"""Differing parameters named in a title (the rest are counted)."""


@dataclass(frozen=True)
class ParameterDifference:
    """The parameters in which one run differs from another, formatted for a title.

    Attributes
    ----------
    shown : list of str
        ``name = value units`` for the first :data:`MAX_SHOWN` differing parameters.
    more : int
        How many more parameters differ.
    """

    shown: list[str]
    more: int

    @property
    def none(self) -> bool:
        """Whether the two runs have the same parameters."""
        return not self.shown


def run_parameters(run_dir: Path | None) -> dict[str, ParamValue]:
    """Return the parameters a run was started with (from its run folder's configuration).

    An unreadable or missing configuration gives ``{}`` (logged): a title then names no
    parameters, which is all that is lost.
    """
    if run_dir is None:
        return {}
    path = Path(run_dir) / CONFIG_FILE
    try:
        config = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        logger.warning("parameters of %s not known: %s", run_dir, error)
        return {}
    parameters = config.get("parameters")
    return dict(parameters) if isinstance(parameters, dict) else {}


def _format(value: ParamValue) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return f"{value:g}"
    if isinstance(value, list):
        return "[" + ", ".join(_format(item) for item in value) + "]"
    return str(value)


def differing_parameters(own: dict[str, ParamValue], other: dict[str, ParamValue],
                         table: list[ParamInfo] | None = None) -> ParameterDifference:
    """Return the parameters whose value in ``own`` differs from ``other``, with ``own``'s values.

    Parameters
    ----------
    own, other : dict
        The two runs' parameters (a name missing from one counts as differing).
    table : list of ParamInfo, optional
        The plugin's parameter table: its order and units are used when given.
    """
    units = {info.name: info.units for info in table or []}
    order = [info.name for info in table or []]
    names = order + [name for name in own if name not in units]
    differing = [name for name in names if name in own and own[name] != other.get(name)]
    shown = []
    for name in differing[:MAX_SHOWN]:
        unit = units.get(name, "1")
        suffix = "" if unit in ("1", "") or isinstance(own[name], bool | str) else f" {unit}"
        shown.append(f"{name} = {_format(own[name])}{suffix}")
    return ParameterDifference(shown, max(len(differing) - MAX_SHOWN, 0))
