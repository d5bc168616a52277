"""Small unit handling for scenario inputs: ``"m3/s"`` equals ``"m3 s-1"``; mm to m, h to s.

Only what scenario files need: products of a few base units with integer powers, written either
UDUNITS style (``"mm h-1"``) or with a slash (``"mm/h"``).  Anything else must match exactly.
"""

from __future__ import annotations

import re

_BASE: dict[str, tuple[str, float]] = {
    "m": ("L", 1.0), "cm": ("L", 0.01), "mm": ("L", 0.001), "km": ("L", 1000.0),
    "s": ("T", 1.0), "min": ("T", 60.0), "h": ("T", 3600.0), "d": ("T", 86400.0),
    "L": ("L3", 0.001), "kPa": ("P", 1000.0), "Pa": ("P", 1.0), "deg": ("A", 1.0),
}
_TERM = re.compile(r"^([A-Za-z]+)(-?\d+)?$")


class UnitsError(ValueError):
    """A unit string cannot be understood or two units do not convert."""


def _parse(text: str) -> tuple[dict[str, int], float]:
    """Return the dimension powers and the factor to SI of a unit string."""
    text = text.strip()
    if text in ("1", "", "-"):
        return {}, 1.0
    numerator, _, denominator = text.partition("/")
    dims: dict[str, int] = {}
    factor = 1.0
    for part, sign in ((numerator, 1), (denominator, -1)):
        for term in part.replace("*", " ").replace(".", " ").split():
            match = _TERM.match(term)
            if not match or match.group(1) not in _BASE:
                raise UnitsError(f"unknown unit {term!r} in {text!r}")
            symbol, power = match.group(1), int(match.group(2) or 1) * sign
            dimension, scale = _BASE[symbol]
            if dimension == "L3":  # a litre is a cubic decimetre
                dims["L"] = dims.get("L", 0) + 3 * power
                factor *= scale ** power
                continue
            dims[dimension] = dims.get(dimension, 0) + power
            factor *= scale ** power
    return {k: v for k, v in dims.items() if v}, factor


def convert(value: float, given: str, wanted: str) -> float:
    """Return ``value`` in ``given`` units expressed in ``wanted`` units.

    Raises
    ------
    UnitsError
        If either unit is unknown or they measure different things.
    """
    if given.strip() == wanted.strip():
        return value
    given_dims, given_factor = _parse(given)
    wanted_dims, wanted_factor = _parse(wanted)
    if given_dims != wanted_dims:
        raise UnitsError(f"{given!r} cannot be converted to {wanted!r}")
    return value * given_factor / wanted_factor


def same_units(first: str, second: str) -> bool:
    """Return whether two unit strings mean exactly the same unit."""
    try:
        return convert(1.0, first, second) == 1.0
    except UnitsError:
        return first.strip() == second.strip()
