"""Build the illustrative recorded event of every scene: ``scenes/<scene>/events/typhoon.csv``.

The event is **invented**, not observed: a 72-hour typhoon storm surge at 5-minute steps, with a
value for every sensor of the scene in its unit.  Deterministic: the same code gives the same
files.  Run ``python scenes/make_events.py`` from the repository root.

* Astronomical tide from M2, S2, K1, O1 and M4 (the shallow-water M4 makes the flood shorter than
  the ebb).  Amplitudes are scaled so that the mean range (mean high water minus mean low water
  over a lunar month) is the published one: Wusongkou 2.23 m, Huangpu Park 1.85 m
  (reference/projects.md §3.4).  Xinchuansha, on the Yangtze a few km upstream of Wusongkou,
  uses the Wusongkou figures.  All constituents crest at the surge peak: a spring tide.
* A storm surge: an asymmetric hump (9 h rise, 6 h fall) sized so that the peak reaches the
  historic-high band: Huangpu Park 5.30 m (warning 4.55 m; 5.22 m in 1981, about 5.3 m in 2024),
  Wusongkou 5.45 m (warning 4.80 m).
* Rain: a typhoon hyetograph of rain bands over 38 h, about 250 mm in all, peak about 37 mm/h.
* Inland water: small storage models driven by runoff; gates drain on the ebb, are closed before
  the surge peak and stay closed through it, pumps start in stages on the inland level.
* Piezometers follow the outer and inner levels with a lag; settlement moves by fractions of a mm.
"""

from __future__ import annotations

import functools
import logging
import math
import random
import sys
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path

import numpy as np

from twin_app.core.readings import Reading
from twin_app.core.scene import SensorKind, SensorSpec
from twin_app.core.scene_loader import load_scene
from twin_app.io.timeseries import write_csv

logger = logging.getLogger("make_events")

SHANGHAI = timezone(timedelta(hours=8))
EVENT_NAME = "typhoon"
EVENT_START = datetime(2023, 9, 14, 0, 0, tzinfo=SHANGHAI)
DURATION_H = 72.0
STEP_MIN = 5
PEAK_H = 50.0
"""Hours from the event start to the surge peak (and the spring high water)."""
SCENES = ("xinchuansha", "huangpu", "suzhou_west_gate")
SPEEDS_DEG_PER_H = {"M2": 28.9841042, "S2": 30.0, "K1": 15.0410686, "O1": 13.9430356,
                    "M4": 57.9682084}
G = 9.81
KM2_MM_PER_H = 1e6 * 1e-3 / 3600.0
"""m3/s given by 1 mm/h of runoff over 1 km2."""


@dataclass(frozen=True)
class TideGauge:
    """Harmonic tide and surge of one gauge (amplitudes before calibration to the mean range)."""

    mean_level: float
    mean_range: float
    amplitudes: dict[str, float]
    peak_level: float
    warning: float


GAUGES = {
    "wusongkou": TideGauge(2.25, 2.23, {"M2": 1.0, "S2": 0.40, "K1": 0.24, "O1": 0.17,
                                        "M4": 0.13}, 5.45, 4.80),
    "huangpu_park": TideGauge(2.30, 1.85, {"M2": 1.0, "S2": 0.40, "K1": 0.25, "O1": 0.18,
                                           "M4": 0.18}, 5.30, 4.55),
}
PHASES_DEG = {"M2": 0.0, "S2": 0.0, "K1": 0.0, "O1": 0.0, "M4": 90.0}


def hours_grid(step_min: float = STEP_MIN) -> np.ndarray:
    """Return the hours from the event start, every ``step_min`` minutes, end included."""
    return np.arange(0.0, DURATION_H + 1e-9, step_min / 60.0)


def _raw_tide(gauge: TideGauge, hours: np.ndarray, scale: float) -> np.ndarray:
    level = np.full_like(hours, gauge.mean_level, dtype=float)
    for name, amplitude in gauge.amplitudes.items():
        angle = np.radians(SPEEDS_DEG_PER_H[name] * (hours - PEAK_H) + PHASES_DEG[name])
        level += scale * amplitude * np.cos(angle)
    return level


def mean_range(levels: np.ndarray) -> float:
    """Return mean high water minus mean low water of a tide series (local extrema)."""
    rising = np.diff(levels) > 0
    highs = levels[1:-1][rising[:-1] & ~rising[1:]]
    lows = levels[1:-1][~rising[:-1] & rising[1:]]
    return float(highs.mean() - lows.mean())


@functools.cache
def _scale(name: str) -> float:
    gauge = GAUGES[name]
    month = np.arange(-15 * 24.0, 15 * 24.0, 1 / 12)
    return gauge.mean_range / mean_range(_raw_tide(gauge, month, 1.0))


def astronomical_tide(name: str, hours: np.ndarray) -> np.ndarray:
    """Return the astronomical tide (m, Wusong datum) of a gauge at ``hours`` from the start."""
    return _raw_tide(GAUGES[name], hours, _scale(name))


def surge_shape(hours: np.ndarray) -> np.ndarray:
    """Return the storm-surge hump, 1 at the peak: 9 h rise scale, 6 h fall scale."""
    width = np.where(hours < PEAK_H, 9.0, 6.0)
    return np.exp(-0.5 * ((hours - PEAK_H) / width) ** 2)


def storm_tide(name: str, hours: np.ndarray) -> np.ndarray:
    """Return tide plus surge, the surge sized so the level at the peak is the gauge's target."""
    gauge = GAUGES[name]
    peak = gauge.peak_level - float(astronomical_tide(name, np.array([PEAK_H]))[0])
    return astronomical_tide(name, hours) + peak * surge_shape(hours)


def rainfall(hours: np.ndarray, scale: float = 1.0, shift_h: float = 0.0) -> np.ndarray:
    """Return a typhoon hyetograph in mm/h: rain bands around the landfall."""
    bands = ((-20, 5, 1.0), (-14, 10, 0.8), (-8, 18, 1.0), (-4, 34, 0.8), (-1, 22, 0.6),
             (4, 12, 1.0), (9, 4, 1.0))
    rel = hours - PEAK_H - shift_h
    rain = np.where((rel > -24) & (rel < 14), 1.5, 0.0)
    for centre, peak, width in bands:
        rain = rain + peak * np.exp(-0.5 * ((rel - centre) / width) ** 2)
    return scale * rain


def runoff(rain: np.ndarray, area_km2: float, coefficient: float, lag_h: float,
           dt_h: float) -> np.ndarray:
    """Return runoff (m3/s) of a catchment: a linear reservoir fed by the rain."""
    flow = np.zeros_like(rain)
    for i in range(1, len(rain)):
        target = rain[i] * area_km2 * coefficient * KM2_MM_PER_H
        flow[i] = flow[i - 1] + (target - flow[i - 1]) * dt_h / lag_h
    return flow


def lagged(series: np.ndarray, lag_h: float, dt_h: float, smooth_h: float = 0.0) -> np.ndarray:
    """Return ``series`` delayed by ``lag_h`` and smoothed with an exponential filter."""
    shift = round(lag_h / dt_h)
    out = np.concatenate([np.full(shift, series[0]), series[:len(series) - shift]])
    if smooth_h > 0:
        alpha = dt_h / (smooth_h + dt_h)
        for i in range(1, len(out)):
            out[i] = out[i - 1] + alpha * (out[i] - out[i - 1])
    return out


def ramp(target: float, current: float, rate: float) -> float:
    """Move ``current`` towards ``target`` by at most ``rate``."""
    return current + max(-rate, min(rate, target - current))


# -- the works --------------------------------------------------------------------------------


Signals = dict[str, np.ndarray]


def xinchuansha(hours: np.ndarray, dt_h: float) -> Signals:
    """Yangtze tide outside; a drainage sluice (3 gates) and 5 pumps of 30 m3/s inside."""
    outer = storm_tide("wusongkou", hours)
    rain = rainfall(hours, 1.0, -0.3)
    inflow = runoff(rain, 80.0, 0.6, 3.0, dt_h) + 8.0
    area = 3.5e6
    lockout = (hours > PEAK_H - 10) & (hours < PEAK_H + 5)
    level, opening, running = 2.6, 0.0, 0
    out = {k: np.zeros_like(hours) for k in ("inland", "opening", "pumps", "flow")}
    for i, hour in enumerate(hours):
        target_low = 2.2 if hour < PEAK_H else 2.5  # pre-lowered before the storm
        drain = (not lockout[i]) and level - outer[i] > 0.15 and level > target_low
        opening = ramp(4.0 if drain else 0.0, opening, 0.25 * dt_h * 60)
        head = max(level - outer[i], 0.0)
        q_gate = 0.6 * 60.0 * opening * math.sqrt(2 * G * head)
        running = _pump_units(level, running, gates_shut=opening == 0.0)
        q_pump = running * (29.8 - 0.4 * max(outer[i] - level, 0.0))  # less flow at high head
        level += (inflow[i] - q_gate - q_pump) * dt_h * 3600 / area
        out["inland"][i], out["opening"][i], out["pumps"][i] = level, opening, running
        out["flow"][i] = q_pump
    signals = {"outer": outer, "rain": rain, **out}
    signals["forebay"] = out["inland"] - 0.05 - 0.06 * out["pumps"]
    signals["outlet"] = lagged(outer, 5 / 60, dt_h) + 0.01 * out["pumps"]
    signals["outer_slow"] = lagged(outer, 0.75, dt_h, 0.6)
    return signals


def _pump_units(level: float, running: int, *, gates_shut: bool) -> int:
    """Units 1-5 start at 2.75, 2.85, ... m inland and stop 0.2 m lower."""
    if not gates_shut:
        return 0
    if running < 5 and level > 2.75 + 0.1 * running:
        return running + 1
    if running > 0 and level < 2.75 + 0.1 * (running - 1) - 0.2:
        return running - 1
    return running


def huangpu(hours: np.ndarray, dt_h: float) -> Signals:
    """Huangpu Park tide; the Suzhou Creek mouth gate shuts out high tides and the surge."""
    outer = storm_tide("huangpu_park", hours)
    rain = rainfall(hours, 1.0, 0.0)
    inflow = runoff(rain, 12.0, 0.5, 2.0, dt_h) + 5.0
    area = 2.0e6
    lockout = (hours > PEAK_H - 8) & (hours < PEAK_H + 4)
    inside, opening = 2.7, 4.0
    creek, gate = np.zeros_like(hours), np.zeros_like(hours)
    for i in range(len(hours)):
        rising = i > 0 and outer[i] > outer[i - 1]
        shut = lockout[i] or (rising and outer[i] > 3.6) or (opening == 0 and outer[i] > inside)
        opening = ramp(0.0 if shut else 4.0, opening, 0.2 * dt_h * 60)
        if opening > 0:
            inside += (outer[i] - inside) * min(1.0, dt_h / 0.25) * opening / 4.0
        inside += inflow[i] * dt_h * 3600 / area
        creek[i], gate[i] = inside, opening
    return {"outer": outer, "rain": rain, "creek": creek, "opening": gate,
            "outer_slow": lagged(outer, 1.5, dt_h, 1.5), "rain_total": np.cumsum(rain) * dt_h}


def suzhou_west_gate(hours: np.ndarray, dt_h: float) -> Signals:
    """Upstream Wusong River and downstream Suzhou River; the floating gate closes in the storm."""
    rain = rainfall(hours, 0.85, 0.7)
    tide = astronomical_tide("huangpu_park", hours) - GAUGES["huangpu_park"].mean_level
    boundary = 2.65 + 0.12 * lagged(tide, 2.5, dt_h) + 0.25 * surge_shape(hours - 1.5)
    q_up = runoff(rain, 60.0, 0.45, 6.0, dt_h) + 40.0
    q_down = runoff(rain, 25.0, 0.55, 3.0, dt_h)
    lockout = (hours > PEAK_H - 6) & (hours < PEAK_H + 10)
    up, down, frac = 2.8, 2.75, 1.0
    out = {k: np.zeros_like(hours) for k in ("up", "down", "frac")}
    for i in range(len(hours)):
        close = lockout[i] or down > 3.5
        frac = ramp(0.0 if close else 1.0, frac, dt_h * 60 / 37.0)
        q_gate = 150.0 * frac * math.copysign(math.sqrt(abs(up - down)), up - down)
        q_divert = 150.0 * max(0.0, up - 3.4)
        up += (q_up[i] - q_gate - q_divert) * dt_h * 3600 / 3.0e6
        down += (q_down[i] + q_gate - 400.0 * (down - boundary[i])) * dt_h * 3600 / 4.0e6
        out["up"][i], out["down"][i], out["frac"][i] = up, down, frac
    return {"rain": rain, **out}


# -- sensors ------------------------------------------------------------------------------------

Recipe = Callable[[Signals, np.ndarray], np.ndarray]


def _piezo(weight_outer: float, outer: str, inner: str, offset: float = 0.0) -> Recipe:
    return lambda s, h: weight_outer * s[outer] + (1 - weight_outer) * s[inner] + offset


def _settlement(base: float, load: str, per_m: float, datum: float) -> Recipe:
    return lambda s, h: base + 0.004 * h + per_m * np.maximum(s[load] - datum, 0.0)


RECIPES: dict[str, dict[str, Recipe]] = {
    "xinchuansha": {
        "XCS-WL-01": lambda s, h: s["outer"], "XCS-WL-02": lambda s, h: s["inland"],
        "XCS-WL-03": lambda s, h: s["forebay"], "XCS-WL-04": lambda s, h: s["outlet"],
        "XCS-RG-01": lambda s, h: s["rain"], "XCS-PF-01": lambda s, h: s["flow"],
        **{f"XCS-GO-0{k}": (lambda s, h: s["opening"]) for k in (1, 2, 3)},
        **{f"XCS-PS-0{k}": (lambda s, h, k=k: (s["pumps"] >= k).astype(float))
           for k in range(1, 6)},
        "XCS-PZ-01": _piezo(0.35, "outer_slow", "inland"),
        "XCS-PZ-02": _piezo(0.55, "outer_slow", "inland"),
        "XCS-PZ-03": _piezo(0.75, "outer_slow", "inland"),
        "XCS-PZ-04": _piezo(0.30, "outer_slow", "forebay"),
        "XCS-PZ-05": _piezo(0.50, "outer_slow", "forebay"),
        "XCS-PZ-06": _piezo(0.70, "outer_slow", "forebay"),
        **{f"XCS-SM-0{k}": _settlement(8.0 + 1.7 * k, "outer_slow", 0.25, 3.0)
           for k in range(1, 9)},
    },
    "huangpu": {
        "HPK-WL-01": lambda s, h: s["outer"], "SZK-WL-01": lambda s, h: s["creek"],
        "SZK-WL-02": lambda s, h: lagged(s["outer"], 2 / 60, 1 / 60) + 0.01,
        "LJZ-WL-01": lambda s, h: lagged(s["outer"], 3 / 60, 1 / 60) - 0.01,
        "SZK-GO-01": lambda s, h: s["opening"], "HPK-RG-01": lambda s, h: s["rain"],
        **{f"HPK-PZ-0{k}": (lambda s, h, w=w: 1.9 + w * (s["outer_slow"] - 2.3)
                            + 0.002 * s["rain_total"])
           for k, w in ((1, 0.30), (2, 0.36), (3, 0.42))},
        **{f"HPK-SM-0{k}": _settlement(5.0 + 2.1 * k, "outer_slow", 0.2, 3.0)
           for k in range(1, 5)},
        **{f"LJZ-SM-0{k}": _settlement(4.0 + 3.0 * k, "outer_slow", 0.2, 3.0)
           for k in (1, 2)},
        "HPK-IN-01": lambda s, h: 0.06 + 0.03 * np.maximum(s["outer_slow"] - 2.3, 0.0),
    },
    "suzhou_west_gate": {
        "SZW-WL-01": lambda s, h: s["up"], "SZW-WL-02": lambda s, h: s["down"],
        "SZW-WL-03": lambda s, h: 0.8 + 1.8 * s["frac"],
        "SZW-GO-01": lambda s, h: 5.5 * s["frac"], "SZW-RG-01": lambda s, h: s["rain"],
        "SZW-IN-01": lambda s, h: 0.02 + 0.4 * s["frac"] * (1 - s["frac"])
        + 0.04 * np.abs(s["up"] - s["down"]),
        "SZW-IN-02": lambda s, h: 0.025 + 0.3 * s["frac"] * (1 - s["frac"])
        + 0.03 * np.abs(s["up"] - s["down"]),
        **{f"SZW-PZ-0{k}": _piezo(w, "up", "down", -0.4)
           for k, w in ((1, 0.7), (2, 0.5), (3, 0.3))},
        **{f"SZW-SM-0{k}": _settlement(6.0 + 1.9 * k, "up", 0.3, 3.0) for k in range(1, 7)},
    },
}
MODELS = {"xinchuansha": xinchuansha, "huangpu": huangpu, "suzhou_west_gate": suzhou_west_gate}
DECIMALS = {SensorKind.WATER_LEVEL: 3, SensorKind.RAINFALL: 1, SensorKind.GATE_OPENING: 2,
            SensorKind.PUMP_STATE: 0, SensorKind.PUMP_FLOW: 1, SensorKind.PIEZOMETER: 3,
            SensorKind.SETTLEMENT: 2, SensorKind.INCLINATION: 3}
NOISE = {SensorKind.WATER_LEVEL: 0.004, SensorKind.RAINFALL: 0.0, SensorKind.GATE_OPENING: 0.0,
         SensorKind.PUMP_STATE: 0.0, SensorKind.PUMP_FLOW: 0.2, SensorKind.PIEZOMETER: 0.003,
         SensorKind.SETTLEMENT: 0.05, SensorKind.INCLINATION: 0.003}


def _fallback(sensor: SensorSpec, signals: Signals, hours: np.ndarray) -> np.ndarray:
    """Return a plausible series for a sensor without a recipe (one added to a scene later)."""
    level = next(signals[k] for k in ("outer", "down", "creek") if k in signals)
    by_kind = {SensorKind.WATER_LEVEL: level, SensorKind.RAINFALL: signals["rain"],
               SensorKind.PIEZOMETER: 0.5 * level + 0.8,
               SensorKind.SETTLEMENT: 10.0 + 0.004 * hours,
               SensorKind.INCLINATION: np.full_like(hours, 0.05)}
    return by_kind.get(sensor.kind, np.zeros_like(hours))


def sensor_series(scene_id: str, sensor: SensorSpec, signals: Signals,
                  hours: np.ndarray) -> np.ndarray:
    """Return the values of one sensor at ``hours`` (simulation grid), noise and rounding added."""
    recipe = RECIPES.get(scene_id, {}).get(sensor.id)
    if recipe is None:
        logger.warning("%s: no recipe for %s (%s); using a generic series of its kind",
                       scene_id, sensor.id, sensor.kind.value)
        values = _fallback(sensor, signals, hours)
    else:
        values = np.asarray(recipe(signals, hours), dtype=float)
    rng = random.Random(f"{scene_id}:{sensor.id}")
    noise = NOISE[sensor.kind]
    jitter = np.array([rng.uniform(-noise, noise) for _ in hours])
    values = values + jitter * (values != 0 if sensor.kind is SensorKind.PUMP_FLOW else 1)
    if sensor.kind is SensorKind.RAINFALL and sensor.unit == "mm":
        values = values * STEP_MIN / 60.0  # depth per step instead of intensity
    if sensor.kind in (SensorKind.RAINFALL, SensorKind.GATE_OPENING, SensorKind.PUMP_FLOW):
        values = np.maximum(values, 0.0)
    return np.round(values, DECIMALS[sensor.kind])


def build_event(scene_id: str) -> list[Reading]:
    """Return the event of a scene as readings in time order (sensors in scene order)."""
    scene = load_scene(scene_id).spec
    sim_dt_h = 1 / 60
    fine = hours_grid(1)
    signals = MODELS[scene_id](fine, sim_dt_h)
    every = STEP_MIN
    series = {sensor.id: sensor_series(scene_id, sensor, signals, fine)[::every]
              for sensor in scene.sensors}
    times = [EVENT_START + timedelta(hours=float(h)) for h in fine[::every]]
    return [Reading(sensor.id, time, float(series[sensor.id][i]) + 0.0, sensor.unit,
                    source=f"event:{EVENT_NAME}")
            for i, time in enumerate(times) for sensor in scene.sensors]


def write_event(scene_id: str) -> Path:
    """Write ``scenes/<scene>/events/typhoon.csv`` and return its path."""
    document = load_scene(scene_id)
    path = document.folder / "events" / f"{EVENT_NAME}.csv"
    path.parent.mkdir(exist_ok=True)
    readings = build_event(scene_id)
    write_csv(path, readings, comments=[
        f"ILLUSTRATIVE typhoon storm-surge event for scene {scene_id}: invented, not observed.",
        "Made by scenes/make_events.py (harmonic tide + surge + rain + operation models);",
        "levels in the Wusong datum; see events/README.md."])
    logger.info("%s: %d readings -> %s (%.2f MB)", scene_id, len(readings), path,
                path.stat().st_size / 1e6)
    return path


def main(argv: list[str]) -> int:
    """Write the events of the scenes named in ``argv`` (all scenes when none)."""
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    for scene_id in argv or SCENES:
        write_event(scene_id)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
