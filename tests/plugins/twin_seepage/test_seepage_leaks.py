"""Leak detection: persistent excess of measured over predicted piezometric head."""

from __future__ import annotations

import numpy as np
import pytest
from twin_seepage import SolverOptions, TimeSeries, TransientSolver, detect_leaks, examples

START = np.datetime64("2024-09-16T00:00")


def tide(hours: float, step_minutes: int = 10) -> tuple[np.ndarray, np.ndarray]:
    stamps = START + np.arange(0, int(hours * 60) + 1, step_minutes) * np.timedelta64(1, "m")
    seconds = (stamps - START) / np.timedelta64(1, "s")
    return stamps, 2.5 + 1.8 * np.sin(2 * np.pi * seconds / 44712.0)


def test_synthetic_excess_is_flagged_with_evidence() -> None:
    stamps, predicted = tide(48)
    measured = predicted + 0.03 * np.sin(np.arange(predicted.size))  # noise within tolerance
    hour = np.timedelta64(1, "h")
    episode = (stamps >= START + 20 * hour) & (stamps < START + 30 * hour)
    measured[episode] += 0.5
    blip = (stamps >= START + np.timedelta64(40, "h")) & (stamps < START + np.timedelta64(42, "h"))
    measured[blip] += 0.5  # too short to count
    flags = detect_leaks({"P1": TimeSeries(stamps, predicted, "P1")},
                         {"P1": TimeSeries(stamps, measured, "P1")},
                         tolerance=0.2, min_duration=6 * 3600.0)
    assert len(flags) == 1
    flag = flags[0]
    assert flag.start == START + np.timedelta64(20, "h")
    assert flag.end == START + np.timedelta64(29 * 60 + 50, "m")
    assert flag.duration == pytest.approx(9 * 3600 + 50 * 60)
    assert flag.max_excess == pytest.approx(0.53, abs=0.005)
    assert flag.measured.shape == flag.predicted.shape == flag.times.shape == (60,)
    assert "P1" in flag.text and "possible leak" in flag.text


def test_measurement_gap_splits_an_episode() -> None:
    stamps, predicted = tide(24)
    measured = predicted + 0.5
    keep = (stamps < START + np.timedelta64(5, "h")) | (stamps > START + np.timedelta64(9, "h"))
    flags = detect_leaks({"P1": TimeSeries(stamps, predicted)},
                         {"P1": TimeSeries(stamps[keep], measured[keep])},
                         tolerance=0.2, min_duration=6 * 3600.0)
    assert len(flags) == 1  # 0-5 h is too short on its own; 9-24 h is flagged
    assert flags[0].start > START + np.timedelta64(9, "h")


def test_shortened_cut_off_is_detected_against_the_design_model() -> None:
    """'Measured' heads from a section whose sheet pile stops short (a defect) are compared with
    the design model: the land-side piezometer in the aquifer follows the tide more closely,
    so it reads high around high water; those episodes are flagged."""
    stamps, stage = tide(24)
    series = TimeSeries(stamps, stage)
    options = SolverOptions(unconfined=False)
    design = TransientSolver(examples.flood_wall_section(pile_tip=-19.0), size=3.0,
                             options=options).run(series, 600.0)
    defect = TransientSolver(examples.flood_wall_section(pile_tip=-5.0), size=3.0,
                             options=options).run(series, 600.0)
    measured = defect.predicted(stamps[0])
    predicted = design.predicted(stamps[0])
    excess = measured["P1"].values - predicted["P1"].values
    assert excess.max() > 0.3
    flags = detect_leaks(predicted, measured, tolerance=0.15, min_duration=3 * 3600.0)
    p1 = [flag for flag in flags if flag.piezometer == "P1"]
    assert len(p1) >= 2  # around each high water of the day
    for flag in p1:
        during = np.isin(stamps, flag.times)
        assert stage[during].mean() > stage.mean()
        assert flag.max_excess > 0.15
