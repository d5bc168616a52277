"""Astronomical tide at a gauge: harmonic analysis of its record with UTide, and prediction.

::

    analysis = analyse_tide(times, levels, latitude=31.24, sensor_id="HPK-WL-01")
    analysis.variance_explained, analysis.residual_rms_m      # how good the fit is
    analysis.constituents[0]          # M2: amplitude, phase and their 95 % intervals
    tide = analysis.predict(future_times)

The record is first averaged into regular bins (an hour by default: the usual input of a tidal
analysis, and what keeps a year of 1-minute data to a second or two), then UTide's ``solve``
fits the constituents (chosen by the Rayleigh criterion for the record length unless a list is
given) by ordinary least squares with linearised 95 % confidence intervals.  Prediction uses the
constituents whose signal-to-noise ratio is at least :attr:`TideSettings.min_snr`.

Phases are Greenwich phase lags (nodal corrections on) by default.  ``phase="raw"`` with
``nodal=False`` gives lags relative to :attr:`TideAnalysis.reference_time` (the middle of the
record), which is what a synthetic record without nodal modulation should be checked against.
"""

from __future__ import annotations

import logging
import warnings
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field, replace
from datetime import UTC, datetime, timedelta
from typing import Any, Literal

import numpy as np
from numpy.typing import NDArray

from twin_app.core.errors import InputError

logger = logging.getLogger(__name__)

MIN_RECORD_H = 25.0
"""The shortest record analysed: one lunar day, so that M2 and K1 are told apart."""
MIN_SAMPLES = 24
EPOCH = np.datetime64("1970-01-01T00:00:00", "us")
DENSE_POINTS = 5000
DENSE_STEP_S = 300
"""Predictions of more than DENSE_POINTS times closer than DENSE_STEP_S are interpolated."""


class TideAnalysisError(InputError):
    """A record that cannot be analysed (too short, too few values, constant)."""


@dataclass(frozen=True)
class TideSettings:
    """How a record is analysed.

    Attributes
    ----------
    interval_min : float
        Bin width the record is averaged into before the fit (0: use the samples as they are).
    constituents : "auto" or tuple of str
        UTide's automatic choice for the record length, or the names to fit.
    nodal : bool
        Apply nodal (18.6-year) corrections.
    phase : {"Greenwich", "raw"}
        Greenwich phase lags, or lags relative to :attr:`TideAnalysis.reference_time`.
    trend : bool
        Fit a linear trend too (off by default: a storm surge on a short record would be read as
        one and extrapolated).
    min_snr : float
        Constituents with a lower signal-to-noise ratio are left out of predictions.
    """

    interval_min: float = 60.0
    constituents: Literal["auto"] | tuple[str, ...] = "auto"
    nodal: bool = True
    phase: Literal["Greenwich", "raw"] = "Greenwich"
    trend: bool = False
    min_snr: float = 2.0


@dataclass(frozen=True)
class Constituent:
    """One fitted tidal constituent (amplitude in metres, phase in degrees, 95 % intervals)."""

    name: str
    frequency_cph: float
    amplitude_m: float
    amplitude_ci_m: float
    phase_deg: float
    phase_ci_deg: float
    snr: float
    percent_energy: float

    @property
    def significant(self) -> bool:
        """Whether the amplitude stands out of the noise (SNR at least 2)."""
        return self.snr >= 2.0


@dataclass(frozen=True)
class TideAnalysis:
    """The harmonic analysis of one gauge's record.

    Attributes
    ----------
    sensor_id : str
        The gauge.
    latitude : float
        Degrees north (UTide needs it for the nodal corrections).
    start, end : datetime
        The span of the record analysed (UTC).
    samples : int
        Values used after averaging into bins.
    interval_min : float
        The bin width (or the median sample interval when not averaged).
    mean_m : float
        The mean level of the fit.
    constituents : tuple of Constituent
        By decreasing energy.
    variance_explained : float
        ``1 - var(residual) / var(record)`` over the analysed samples (a fraction).
    residual_rms_m : float
        Root mean square of the record minus the fitted tide.
    reference_time : datetime
        The middle of the record (phases are relative to it with ``phase="raw"``).
    settings : TideSettings
        How it was analysed.
    """

    sensor_id: str
    latitude: float
    start: datetime
    end: datetime
    samples: int
    interval_min: float
    mean_m: float
    constituents: tuple[Constituent, ...]
    variance_explained: float
    residual_rms_m: float
    reference_time: datetime
    settings: TideSettings
    coef: Any = field(repr=False, compare=False, default=None)
    """UTide's solution (a ``Bunch``), used for prediction."""

    def constituent(self, name: str) -> Constituent | None:
        """Return the constituent called ``name`` (``"M2"``), if fitted."""
        return next((c for c in self.constituents if c.name == name), None)

    def predict(self, times: Sequence[datetime] | NDArray[np.datetime64]) -> NDArray[np.float64]:
        """Return the astronomical tide (m, the record's datum) at ``times``.

        Parameters
        ----------
        times : sequence of datetime or datetime64 array
            Timezone-aware datetimes, or ``datetime64`` in UTC.
        """
        import utide

        stamps = to_datetime64(times)
        if stamps.size == 0:
            return np.zeros(0)
        if stamps.size > DENSE_POINTS:
            step = np.median(np.diff(stamps)) / np.timedelta64(1, "s")
            if 0 < step < DENSE_STEP_S:
                # nodal factors per point are what costs: predict every 5 min and interpolate
                # (under 1 mm for the tides here); times must be in order for this
                coarse = np.arange(stamps.min(), stamps.max() + np.timedelta64(DENSE_STEP_S, "s"),
                                   np.timedelta64(DENSE_STEP_S, "s"))
                base = (coarse - coarse[0]) / np.timedelta64(1, "s")
                wanted = (stamps - coarse[0]) / np.timedelta64(1, "s")
                return np.interp(wanted, base, self.predict(coarse))
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            result = utide.reconstruct(stamps, self.coef, verbose=False,
                                       min_SNR=self.settings.min_snr)
        return np.asarray(result.h, dtype=np.float64)

    def summary(self, top: int = 8) -> dict[str, Any]:
        """Return a JSON-ready description of the analysis quality and main constituents."""
        return {
            "sensor_id": self.sensor_id, "start": self.start.isoformat(),
            "end": self.end.isoformat(), "samples": self.samples,
            "interval_min": self.interval_min, "mean_m": round(self.mean_m, 4),
            "variance_explained": round(self.variance_explained, 4),
            "residual_rms_m": round(self.residual_rms_m, 4),
            "constituents": [{k: (round(v, 4) if isinstance(v, float) else v)
                              for k, v in asdict(c).items()}
                             for c in self.constituents[:top]],
        }


def to_datetime64(times: Sequence[datetime] | NDArray[Any]) -> NDArray[np.datetime64]:
    """Return times as ``datetime64[us]`` in UTC (naive datetimes are refused)."""
    array = np.asarray(times)
    if array.dtype.kind == "M":
        return array.astype("datetime64[us]")
    out = np.empty(len(array), dtype="datetime64[us]")
    for index, moment in enumerate(array):
        if moment.tzinfo is None:
            raise TideAnalysisError(f"time {moment} has no time zone", hint="give UTC")
        out[index] = np.datetime64(moment.astimezone(UTC).replace(tzinfo=None), "us")
    return out


def from_datetime64(stamp: np.datetime64) -> datetime:
    """Return a UTC ``datetime64`` as a timezone-aware datetime."""
    micros = int((stamp.astype("datetime64[us]") - EPOCH) / np.timedelta64(1, "us"))
    return datetime(1970, 1, 1, tzinfo=UTC) + timedelta(microseconds=micros)


def bin_means(times: NDArray[np.datetime64], values: NDArray[np.float64], interval_min: float
              ) -> tuple[NDArray[np.datetime64], NDArray[np.float64]]:
    """Average a record into regular bins; return each bin's mean time and mean value.

    The mean time (not the bin's middle) keeps the phase right whatever the sampling.
    """
    if interval_min <= 0:
        return times, values
    width = np.int64(round(interval_min * 60e6))
    micros = (times - EPOCH).astype("timedelta64[us]").astype(np.int64)
    offset = int(micros[0]) if micros.size else 0
    relative = micros - offset
    inverse = np.unique(relative // width, return_inverse=True)[1]
    counts = np.bincount(inverse)
    mean_times = np.bincount(inverse, weights=relative.astype(np.float64)) / counts
    stamps = EPOCH + (np.round(mean_times).astype(np.int64) + offset).astype("timedelta64[us]")
    return stamps, np.bincount(inverse, weights=values) / counts


def analyse_tide(times: Sequence[datetime] | NDArray[Any], values: Sequence[float] | NDArray[Any],
                 *, latitude: float, sensor_id: str = "",
                 settings: TideSettings | None = None) -> TideAnalysis:
    """Fit tidal constituents to a gauge's record.

    Parameters
    ----------
    times : sequence of datetime or datetime64 array
        When each value was measured (timezone-aware, or ``datetime64`` in UTC).
    values : sequence of float
        Water levels in metres.
    latitude : float
        The gauge's latitude, degrees north.
    sensor_id : str
        The gauge (for messages and the result).
    settings : TideSettings, optional
        How to analyse; the defaults suit an hourly-averaged record of a month or more.

    Returns
    -------
    TideAnalysis

    Raises
    ------
    TideAnalysisError
        If the record spans less than :data:`MIN_RECORD_H` hours, has too few values, or does
        not vary.
    """
    import utide

    settings = settings or TideSettings()
    stamps = to_datetime64(times)
    levels = np.asarray(values, dtype=np.float64)
    keep = np.isfinite(levels)
    stamps, levels = stamps[keep], levels[keep]
    order = np.argsort(stamps, kind="stable")
    stamps, levels = bin_means(stamps[order], levels[order], settings.interval_min)
    name = sensor_id or "the gauge"
    if stamps.size < MIN_SAMPLES:
        raise TideAnalysisError(f"{name}: only {stamps.size} values to analyse",
                                hint=f"a tidal analysis needs at least {MIN_SAMPLES} "
                                "(a day of hourly values)")
    span_h = float((stamps[-1] - stamps[0]) / np.timedelta64(1, "h"))
    if span_h < MIN_RECORD_H:
        raise TideAnalysisError(f"{name}: the record spans {span_h:.1f} h",
                                hint=f"a tidal analysis needs at least {MIN_RECORD_H:g} h; a "
                                "month or more gives the main constituents")
    if float(np.ptp(levels)) == 0.0:
        raise TideAnalysisError(f"{name}: the record does not vary (no tide)")
    constit = "auto" if settings.constituents == "auto" else list(settings.constituents)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        coef = utide.solve(stamps, levels, lat=float(latitude), constit=constit,
                           method="ols", conf_int="linear", trend=settings.trend,
                           nodal=settings.nodal, phase=settings.phase, verbose=False)
    interval = settings.interval_min or float(np.median(np.diff(stamps)) / np.timedelta64(1, "m"))
    reference = from_datetime64(stamps[0] + (stamps[-1] - stamps[0]) / 2)
    analysis = TideAnalysis(
        sensor_id=sensor_id, latitude=float(latitude), start=from_datetime64(stamps[0]),
        end=from_datetime64(stamps[-1]), samples=int(stamps.size), interval_min=interval,
        mean_m=float(coef.mean), constituents=_constituents(coef), variance_explained=0.0,
        residual_rms_m=0.0, reference_time=reference, settings=settings, coef=coef)
    fitted = analysis.predict(stamps)
    residual = levels - fitted
    explained = 1.0 - float(np.var(residual)) / float(np.var(levels))
    rms = float(np.sqrt(np.mean(residual ** 2)))
    logger.info("tide analysis of %s: %d values over %.0f h, %d constituents, %.1f %% of the "
                "variance explained, residual RMS %.3f m", name, stamps.size, span_h,
                len(analysis.constituents), 100 * explained, rms)
    return replace(analysis, variance_explained=explained, residual_rms_m=rms)


def _constituents(coef: Any) -> tuple[Constituent, ...]:
    frequencies = np.asarray(coef.aux.frq, dtype=np.float64)
    rows = []
    for index, name in enumerate(coef.name):
        rows.append(Constituent(
            name=str(name), frequency_cph=float(frequencies[index]),
            amplitude_m=float(coef.A[index]), amplitude_ci_m=float(coef.A_ci[index]),
            phase_deg=float(coef.g[index]), phase_ci_deg=float(coef.g_ci[index]),
            snr=float(coef.SNR[index]), percent_energy=float(coef.PE[index])))
    return tuple(rows)
