"""Piping and uplift checks: exit gradient, Lane's creep ratio, Sellmeijer's rule, uplift, heave.

Each check returns a :class:`CheckResult` (value, limit, safety factor, pass/fail and a short
text). Sources and status of the numbers are in ``reference/seepage.md`` section 4: the critical
gradient and Lane's table are standard; Sellmeijer's 2011 rule uses the Dutch WBI 2017 defaults;
the allowable gradients by soil type are the lower bounds of the GB 50487-2008 appendix G table,
which the reference marks as unconfirmed: pass project values through ``allowable=``.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise

import numpy as np

from twin_seepage.results import SeepageResult
from twin_seepage.sections import Section, Soil

GAMMA_W = 9.81  # kN/m3

#: Lane's minimum weighted creep ratios C_w (Lane 1935).
LANE_RATIO: dict[str, float] = {
    "very_fine_sand_or_silt": 8.5, "silt": 8.5, "fine_sand": 7.0, "medium_sand": 6.0,
    "coarse_sand": 5.0, "fine_gravel": 4.0, "medium_gravel": 3.5, "coarse_gravel": 3.0,
    "boulders": 2.5, "soft_clay": 3.0, "medium_clay": 2.0, "hard_clay": 1.8,
    "very_hard_clay": 1.6,
}

#: Allowable exit gradients (lower bounds of GB 50487-2008 App. G, no filter at the exit) by
#: seepage-deformation type, and the soil types mapped onto them. Illustrative: see module doc.
ALLOWABLE_GRADIENT: dict[str, float] = {
    "flow_cu_le_3": 0.25, "flow_cu_3_to_5": 0.35, "flow_cu_gt_5": 0.50, "transition": 0.25,
    "piping_continuous": 0.15, "piping_gap_graded": 0.10,
    "very_fine_sand_or_silt": 0.25, "silt": 0.25, "fine_sand": 0.25, "medium_sand": 0.25,
    "coarse_sand": 0.25, "fine_gravel": 0.15, "medium_gravel": 0.15, "coarse_gravel": 0.15,
    "boulders": 0.10, "soft_clay": 0.40, "medium_clay": 0.50, "hard_clay": 0.60,
    "very_hard_clay": 0.70,
}


@dataclass(frozen=True)
class CheckResult:
    """Outcome of one check.

    Attributes
    ----------
    name : str
        Which check.
    value : float
        The computed quantity (gradient, creep ratio, head difference, ...).
    limit : float
        What it is compared with (critical or allowable value).
    safety_factor : float
        Resistance over load (``inf`` when there is no load).
    required : float
        Safety factor needed to pass.
    passed : bool
        ``safety_factor >= required``.
    text : str
        One line for a check table or an alarm.
    """

    name: str
    value: float
    limit: float
    safety_factor: float
    required: float
    passed: bool
    text: str


def _result(name: str, value: float, limit: float, factor: float, required: float,
            detail: str) -> CheckResult:
    passed = factor >= required
    verdict = "OK" if passed else "FAILS"
    text = f"{name}: {detail}; safety factor {factor:.2f} (required {required:.2f}) {verdict}"
    return CheckResult(name, value, limit, factor, required, passed, text)


def _ratio(resistance: float, load: float) -> float:
    return math.inf if load <= 0.0 else resistance / load


def exit_gradient_check(gradient: float, soil: Soil, required: float = 1.5) -> CheckResult:
    """Compare an upward exit gradient with the critical gradient ``(Gs - 1) / (1 + e)``.

    Parameters
    ----------
    gradient : float
        Upward exit gradient (averaged over a stated length at singular points).
    soil : Soil
        Soil at the exit.
    required : float
        Required factor of safety (1.5 to 2.0 in GB practice; USACE uses about 1.6).
    """
    critical = soil.critical_gradient
    return _result("exit gradient vs critical", gradient, critical, _ratio(critical, gradient),
                   required, f"i = {gradient:.3f}, i_c = (Gs-1)/(1+e) = {critical:.3f}")


def allowable_gradient_check(gradient: float, soil_type: str,
                             allowable: float | None = None) -> CheckResult:
    """Compare an exit gradient with the allowable gradient of a soil type.

    Parameters
    ----------
    gradient : float
        Upward exit gradient.
    soil_type : str
        Key of :data:`ALLOWABLE_GRADIENT`.
    allowable : float, optional
        Project value overriding the table.
    """
    if allowable is None:
        if soil_type not in ALLOWABLE_GRADIENT:
            raise KeyError(f"no allowable gradient for soil type {soil_type!r}; known: "
                           f"{sorted(ALLOWABLE_GRADIENT)}")
        allowable = ALLOWABLE_GRADIENT[soil_type]
    return _result("exit gradient vs allowable", gradient, allowable,
                   _ratio(allowable, gradient), 1.0,
                   f"i = {gradient:.3f}, allowable for {soil_type} = {allowable:.3f}")


def creep_lengths(path: Sequence[tuple[float, float]]) -> tuple[float, float]:
    """Split a creep path (x, z polyline along the structure-soil contact) into lengths.

    Segments steeper than 45 degrees count as vertical, the others as horizontal.

    Returns
    -------
    (vertical, horizontal) : tuple of float
    """
    vertical = horizontal = 0.0
    for (x0, z0), (x1, z1) in pairwise(path):
        length = math.hypot(x1 - x0, z1 - z0)
        if abs(z1 - z0) > abs(x1 - x0):
            vertical += length
        else:
            horizontal += length
    return vertical, horizontal


def lane_check(vertical: float, horizontal: float, head_difference: float,
               soil_type: str) -> CheckResult:
    """Lane's weighted creep ratio ``C_w = (L_v + L_h / 3) / dH`` against the table minimum."""
    if soil_type not in LANE_RATIO:
        raise KeyError(f"no Lane ratio for soil type {soil_type!r}; known: {sorted(LANE_RATIO)}")
    minimum = LANE_RATIO[soil_type]
    weighted = vertical + horizontal / 3.0
    ratio = math.inf if head_difference <= 0 else weighted / head_difference
    return _result("Lane creep ratio", ratio, minimum, _ratio(ratio, minimum), 1.0,
                   f"C_w = ({vertical:.2f} + {horizontal:.2f}/3) / {head_difference:.2f} = "
                   f"{ratio:.2f}, minimum for {soil_type} = {minimum:.1f}")


@dataclass(frozen=True)
class SellmeijerFactors:
    """The three factors and the result of Sellmeijer's 2011 rule."""

    resistance: float
    scale: float
    geometry: float
    critical_head: float


def sellmeijer(length: float, aquifer_thickness: float, k: float, d70: float,
               eta: float = 0.25, theta_deg: float = 37.0, d70_ref: float = 2.08e-4,
               viscosity: float = 1.33e-6, g: float = 9.81, gamma_grain: float = 16.5,
               gamma_w: float = GAMMA_W) -> SellmeijerFactors:
    """Critical head difference for backward-erosion piping (Sellmeijer et al. 2011, WBI 2017).

    ``dH_c = F_res * F_scale * F_geom * L`` with ``F_res = eta (gamma'_p / gamma_w) tan(theta)``,
    ``F_scale = d70_m / (kappa L)^(1/3) (d70 / d70_m)^0.4``, ``kappa = nu k / g`` and
    ``F_geom = 0.91 (D/L)^(0.28 / ((D/L)^2.8 - 1) + 0.04)``.

    Parameters
    ----------
    length : float
        Seepage length L (m), from the river entry to the exit point.
    aquifer_thickness : float
        Thickness D (m) of the sand layer.
    k : float
        Permeability of the sand (m/s).
    d70 : float
        70 % grain size of the sand (m).

    Returns
    -------
    SellmeijerFactors
    """
    if length <= 0 or aquifer_thickness <= 0 or k <= 0 or d70 <= 0:
        raise ValueError("Sellmeijer's rule needs L, D, k and d70 all > 0")
    resistance = eta * gamma_grain / gamma_w * math.tan(math.radians(theta_deg))
    kappa = viscosity * k / g
    scale = d70_ref / (kappa * length) ** (1.0 / 3.0) * (d70 / d70_ref) ** 0.4
    ratio = aquifer_thickness / length
    if abs(ratio - 1.0) < 1e-6:
        # removable singularity: r ** (0.28 / (r**2.8 - 1)) -> exp(0.28 / 2.8) as r -> 1 (some
        # codes return 0.91 or 1.0 here; this is the continuous limit)
        geometry = 0.91 * math.exp(0.1)
    else:
        geometry = 0.91 * ratio ** (0.28 / (ratio**2.8 - 1.0) + 0.04)
    return SellmeijerFactors(resistance, scale, geometry, resistance * scale * geometry * length)


def sellmeijer_check(river_level: float, exit_level: float, cover_thickness: float,
                     length: float, aquifer_thickness: float, k: float, d70: float,
                     required: float = 1.0, reduction: float = 0.3) -> CheckResult:
    """Sellmeijer piping check: ``dH_c`` against ``h_river - h_exit - r_c d_cover``."""
    factors = sellmeijer(length, aquifer_thickness, k, d70)
    load = river_level - exit_level - reduction * cover_thickness
    return _result("Sellmeijer piping", load, factors.critical_head,
                   _ratio(factors.critical_head, load), required,
                   f"reduced head difference {load:.2f} m, critical {factors.critical_head:.2f} m"
                   f" (L = {length:g} m, D = {aquifer_thickness:g} m)")


def uplift_check(head_below_blanket: float, exit_level: float, blanket_thickness: float,
                 gamma_sat: float, required: float = 1.0) -> CheckResult:
    """Uplift of a land-side blanket: ``d (gamma_sat - gamma_w) / gamma_w`` vs ``phi - h_exit``.

    Parameters
    ----------
    head_below_blanket : float
        Piezometric head at the base of the blanket (from the solution), m.
    exit_level : float
        Water level (or phreatic level) at the top of the blanket, m.
    blanket_thickness : float
        Thickness d of the blanket, m.
    gamma_sat : float
        Saturated unit weight of the blanket, kN/m3.
    """
    limit = blanket_thickness * (gamma_sat - GAMMA_W) / GAMMA_W
    load = head_below_blanket - exit_level
    return _result("uplift of blanket", load, limit, _ratio(limit, load), required,
                   f"excess head {load:.2f} m below a {blanket_thickness:.2f} m blanket, "
                   f"resisting {limit:.2f} m")


def heave_check(head_below_blanket: float, exit_level: float, blanket_thickness: float,
                critical: float = 0.3) -> CheckResult:
    """Heave: mean vertical gradient across the blanket against ``i_c,h`` (0.3 in WBI)."""
    gradient = (head_below_blanket - exit_level) / blanket_thickness
    return _result("heave", gradient, critical, _ratio(critical, gradient), 1.0,
                   f"gradient across blanket {gradient:.3f}, critical {critical:.2f}")


def exit_checks(section: Section, result: SeepageResult, required: float = 1.5,
                allowable: float | None = None) -> list[CheckResult]:
    """Check the largest upward exit gradient along the land-side surface of a solution.

    The soil is the one at the surface where the gradient is largest; the gradient is that of
    the element owning the surface edge (averaged over one element: near a wall toe, where the
    exact gradient is singular, pass a coarser, stated length through
    :meth:`SeepageResult.exit_gradient_at` and the single checks instead).

    Returns
    -------
    list of CheckResult
        Against the critical gradient and against the allowable gradient of the soil type.
    """
    gradients = result.exit_gradients()
    if gradients.upward.size == 0:
        return []
    i = int(np.argmax(gradients.upward))
    soil = section.soil_at(float(gradients.x[i]), float(gradients.z[i]) - 1e-6)
    if soil is None:  # pragma: no cover - a land edge always lies on a layer
        raise ValueError("no soil under the land-side surface")
    gradient = float(max(gradients.upward[i], 0.0))
    where = f" at x = {gradients.x[i]:.2f} m"
    found = [exit_gradient_check(gradient, soil, required),
             allowable_gradient_check(gradient, soil.soil_type, allowable)]
    return [dataclasses.replace(check, text=check.text + where) for check in found]
