"""Units the flood module accepts, and their conversion to SI.

Each quantity kind has a table of accepted unit strings and their factor to the SI unit the
solver uses internally (m, s, m/s, m3/s).  Anything else raises :class:`FloodUnitsError`.
"""

from __future__ import annotations

import re

from twin_flood.errors import FloodUnitsError

__all__ = ["KINDS", "parse_quantity", "to_si"]

#: Accepted units per quantity kind: unit string -> factor to the SI unit (first entry).
KINDS: dict[str, dict[str, float]] = {
    "length": {"m": 1.0, "cm": 0.01, "mm": 0.001, "km": 1000.0},
    "level": {"m": 1.0, "cm": 0.01, "mm": 0.001},
    "time": {"s": 1.0, "min": 60.0, "h": 3600.0, "d": 86400.0},
    "discharge": {"m3/s": 1.0, "m^3/s": 1.0, "l/s": 0.001, "L/s": 0.001, "m3/h": 1.0 / 3600.0},
    "rain_rate": {"m/s": 1.0, "mm/h": 0.001 / 3600.0, "mm/min": 0.001 / 60.0,
                  "mm/s": 0.001, "mm/d": 0.001 / 86400.0},
    "velocity": {"m/s": 1.0, "km/h": 1.0 / 3.6},
    "manning": {"s/m^(1/3)": 1.0, "s m-1/3": 1.0, "s/m1/3": 1.0},
    "acceleration": {"m/s2": 1.0, "m/s^2": 1.0},
    "weir": {"m^0.5/s": 1.0, "m0.5/s": 1.0},
    "dimensionless": {"1": 1.0, "": 1.0, "-": 1.0},
}

_QUANTITY = re.compile(r"^\s*([-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?)\s*(.*?)\s*$")


def to_si(value: float, unit: str, kind: str) -> float:
    """Convert ``value`` in ``unit`` to the SI unit of ``kind``.

    Parameters
    ----------
    value : float
        The number.
    unit : str
        Its unit, one of ``KINDS[kind]``.
    kind : str
        Quantity kind, a key of :data:`KINDS`.

    Returns
    -------
    float
        The value in the kind's SI unit.

    Raises
    ------
    FloodUnitsError
        If the unit is not accepted for this kind.
    """
    table = KINDS[kind]
    if unit not in table:
        accepted = ", ".join(repr(u) for u in table if u)
        raise FloodUnitsError(f"unit {unit!r} is not a {kind} unit; use one of {accepted}")
    return float(value) * table[unit]


def parse_quantity(text: str | float | int, kind: str, name: str) -> float:
    """Read a parameter given as a number (SI) or a string ``"<number> <unit>"``.

    Parameters
    ----------
    text : str or float or int
        ``0.7``, ``"10 min"``, ``"5 mm"``.
    kind : str
        Quantity kind, a key of :data:`KINDS`.
    name : str
        Parameter name, for the message.

    Returns
    -------
    float
        The value in SI units.

    Raises
    ------
    FloodUnitsError
        If the string cannot be read or its unit does not fit the kind.
    """
    if isinstance(text, bool):
        raise FloodUnitsError(f"parameter {name!r}: expected a number, got {text!r}")
    if isinstance(text, int | float):
        return float(text)
    match = _QUANTITY.match(str(text))
    if match is None:
        raise FloodUnitsError(f"parameter {name!r}: cannot read {text!r}; "
                              f"write a number and a unit, e.g. '10 {next(iter(KINDS[kind]))}'")
    try:
        return to_si(float(match.group(1)), match.group(2), kind)
    except FloodUnitsError as exc:
        raise FloodUnitsError(f"parameter {name!r}: {exc}") from None
