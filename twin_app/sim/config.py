"""The validated configuration a model is initialized from (:class:`RunConfig`).

The scenario loader (:mod:`twin_app.sim.scenario`) builds a :class:`RunConfig` from a scene
scenario or a case file after checking everything against the plugin's tables; the host writes it
to ``run_config.json`` in the run folder, and the worker (or any BMI caller, through
:meth:`twin_app.sim.bmi.BmiAdapter.initialize`) reads it back.  It holds plain data only, so it
pickles and serialises as JSON.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Annotated

import numpy as np
from numpy.typing import NDArray
from pydantic import BaseModel, ConfigDict, Field, model_validator

from twin_app.sim.tables import ParamValue


class _Plain(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class BoundarySeries(_Plain):
    """A boundary input as a series: times in seconds from the run start, values in ``units``."""

    name: str
    units: str
    times_s: list[float]
    values: list[float]
    source: str = ""
    """Where the series came from (a file and line, a design event, the telemetry store)."""

    @model_validator(mode="after")
    def _same_length(self) -> BoundarySeries:
        if len(self.times_s) != len(self.values) or not self.times_s:
            raise ValueError(f"boundary {self.name!r}: needs as many times as values (at least 1)")
        if any(b <= a for a, b in zip(self.times_s, self.times_s[1:], strict=False)):
            raise ValueError(f"boundary {self.name!r}: times must increase")
        return self

    def at(self, time_s: float) -> float:
        """Return the value at ``time_s``, linearly interpolated (held beyond the ends)."""
        return float(np.interp(time_s, self.times_s, self.values))


class ProbePoint(_Plain):
    """A map point (scene CRS) at which series are written, e.g. a gauge."""

    id: str
    x: float
    y: float


class RunConfig(_Plain):
    """Everything a model needs to start.

    Attributes
    ----------
    plugin : str
        The plugin id.
    parameters : dict
        Every parameter of the model's table, checked, with defaults filled in, in table units.
    duration_s, output_interval_s : float
        How long to run and how often to write an output frame, in seconds.
    start_time : datetime, optional
        The real time the run starts at (for the time axis of results); ``None`` means an
        abstract time axis starting at 0.
    crs : str
        The scene CRS (``"EPSG:4549"``) of every coordinate.
    dem_path : str, optional
        The terrain GeoTIFF, when the model runs on the scene DEM.
    scene_file : str, optional
        The scene's ``scene.toml`` when the run belongs to a scene (a scene scenario, a form
        opened on a scene, or a case file naming one), so a model can read the scene's own
        set-up files next to it; ``None`` for a run on a bare DEM.
    boundaries : dict
        Boundary series by the name of the model's boundary input.
    initial_state : dict
        Values to start from, e.g. the latest reading of each sensor from the telemetry store.
    points : list of ProbePoint
        Where to write series.
    run_dir : str
        The folder the run writes into.
    """

    plugin: str
    parameters: dict[str, ParamValue] = Field(default_factory=dict)
    duration_s: Annotated[float, Field(gt=0)]
    output_interval_s: Annotated[float, Field(gt=0)]
    start_time: datetime | None = None
    crs: str = "EPSG:4549"
    dem_path: str | None = None
    scene_file: str | None = None
    boundaries: dict[str, BoundarySeries] = Field(default_factory=dict)
    initial_state: dict[str, float] = Field(default_factory=dict)
    points: list[ProbePoint] = Field(default_factory=list)
    run_dir: str = "."

    def output_times(self) -> NDArray[np.float64]:
        """Return the times of the output frames, from 0 to the end inclusive, in seconds."""
        count = int(np.floor(self.duration_s / self.output_interval_s + 1e-9))
        times = np.arange(count + 1, dtype=np.float64) * self.output_interval_s
        if self.duration_s - times[-1] > 1e-6:
            times = np.append(times, self.duration_s)
        return times

    def to_json_file(self, path: Path) -> None:
        """Write the configuration as JSON (what the worker and BMI ``initialize`` read)."""
        Path(path).write_text(self.model_dump_json(indent=2), encoding="utf-8")

    @classmethod
    def from_file(cls, path: str | Path) -> RunConfig:
        """Read a configuration written by :meth:`to_json_file`."""
        return cls.model_validate_json(Path(path).read_text(encoding="utf-8"))
