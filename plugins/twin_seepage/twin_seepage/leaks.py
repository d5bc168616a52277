"""Leak detection: persistent excess of measured over predicted piezometric head.

For each piezometer the head predicted for the tide actually measured (a transient run driven by
the measured river stage) is interpolated onto the measurement times. Where the measured head
exceeds the prediction by more than ``tolerance`` for longer than ``min_duration``, the section is
flagged as a possible leak or cut-off defect, with the evidence: both series over the episode,
its start and end, and the largest excess.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from twin_seepage.errors import StageSeriesError
from twin_seepage.series import TimeSeries

log = logging.getLogger(__name__)


def absolute_seconds(series: TimeSeries) -> np.ndarray:
    """Return a series' times as float seconds: since 1970 for datetimes, else as given."""
    times = series.times
    if np.issubdtype(times.dtype, np.datetime64):
        return times.astype("datetime64[ms]").astype(np.float64) / 1000.0
    return times.astype(np.float64)


@dataclass(frozen=True)
class LeakFlag:
    """One episode of persistent excess head at a piezometer.

    Attributes
    ----------
    piezometer : str
        Piezometer id.
    start, end : object
        First and last measurement time of the episode (same type as the measured times).
    duration : float
        Seconds from start to end.
    max_excess : float
        Largest measured-minus-predicted head (m) in the episode.
    mean_excess : float
        Mean excess (m) in the episode.
    times : ndarray
        Measurement times of the episode (evidence).
    measured, predicted : ndarray
        Both heads at those times (evidence).
    text : str
        One line for the alarm list.
    """

    piezometer: str
    start: object
    end: object
    duration: float
    max_excess: float
    mean_excess: float
    times: np.ndarray
    measured: np.ndarray
    predicted: np.ndarray
    text: str


def _runs(mask: np.ndarray) -> list[tuple[int, int]]:
    """Return (first, last) index pairs of the runs of True in ``mask``."""
    padded = np.concatenate([[False], mask, [False]]).astype(np.int8)
    change = np.flatnonzero(np.diff(padded))
    return [(int(a), int(b) - 1) for a, b in zip(change[::2], change[1::2], strict=True)]


def detect_leaks(predicted: Mapping[str, TimeSeries], measured: Mapping[str, TimeSeries],
                 tolerance: float = 0.2, min_duration: float = 6 * 3600.0,
                 max_gap: float | None = None) -> list[LeakFlag]:
    """Flag persistent excess of measured over predicted head.

    Parameters
    ----------
    predicted : mapping of id to TimeSeries
        Model heads per piezometer (e.g. from :meth:`TransientResult.piezometer` with the
        times shifted to the measurement clock).
    measured : mapping of id to TimeSeries
        Measured heads; piezometers missing from ``predicted`` are skipped with a log message.
    tolerance : float
        Excess (m) that counts as abnormal.
    min_duration : float
        Seconds the excess must last to be flagged.
    max_gap : float, optional
        A measurement gap longer than this (s) splits an episode; default 1.5 x the median
        sampling interval.

    Returns
    -------
    list of LeakFlag
        Sorted by piezometer and start time.

    Raises
    ------
    StageSeriesError
        If a measured series contains missing values or times that do not increase.
    """
    flags = []
    for pid, series in measured.items():
        if pid not in predicted:
            log.info("piezometer %s has measurements but no prediction: skipped", pid)
            continue
        if np.any(~np.isfinite(series.values)):
            raise StageSeriesError(f"measured head of {pid}: missing values; drop them first")
        t = absolute_seconds(series)
        if np.any(np.diff(t) <= 0):
            raise StageSeriesError(f"measured head of {pid}: times do not increase")
        model = predicted[pid]
        tm = absolute_seconds(model)
        inside = (t >= tm[0]) & (t <= tm[-1])
        if not inside.any():
            log.info("piezometer %s: measurements do not overlap the prediction", pid)
            continue
        t_in, measured_in = t[inside], series.values[inside]
        times_in = series.times[inside]
        model_in = np.interp(t_in, tm, model.values)
        excess = measured_in - model_in
        steps = np.diff(t_in)
        limit = (1.5 * float(np.median(steps)) if steps.size else np.inf) if max_gap is None \
            else max_gap
        mask = excess > tolerance
        # a gap longer than the limit breaks a run: split the mask there
        breaks = np.flatnonzero(steps > limit) + 1
        for part in np.split(np.arange(t_in.size), breaks):
            for a, b in _runs(mask[part]):
                first, last = part[a], part[b]
                duration = float(t_in[last] - t_in[first])
                if duration < min_duration:
                    continue
                window = slice(first, last + 1)
                peak = float(excess[window].max())
                text = (f"piezometer {pid}: measured head above the prediction by up to "
                        f"{peak:.2f} m (tolerance {tolerance:.2f} m) for {duration / 3600:.1f} h "
                        f"from {times_in[first]} to {times_in[last]}: possible leak or cut-off "
                        "defect")
                flags.append(LeakFlag(pid, times_in[first], times_in[last], duration, peak,
                                      float(excess[window].mean()), times_in[window],
                                      measured_in[window], model_in[window], text))
    return sorted(flags, key=lambda flag: flag.piezometer)  # stable: time order kept
