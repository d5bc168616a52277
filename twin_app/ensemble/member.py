"""One ensemble member as a task: run the rehearsal, return a small summary (never a grid).

:func:`run_member` runs where it is called: in the client process (serial), or on a Dask worker.
It checks the member's parameters, runs the rehearsal through the plugin host (a worker process
of its own, so a crashing plugin only fails its member) in the member's run folder, and returns a
:class:`MemberOutcome`: the state, the max-depth map's path and a few numbers (wet area, peak
depth at each point).  Grids stay in the run folder, which the client reads when the folder is
shared; with ``ship_grids`` (workers without a shared disk) the max-depth map travels back in the
outcome instead.

Progress goes to ``progress`` (a callable taking a dict), throttled; ``cancelled`` is polled and
stops the run.  Both default to Dask's worker event log and a ``distributed.Event`` when running
on a Dask worker (see :mod:`twin_app.ensemble.runner`).
"""

from __future__ import annotations

import logging
import multiprocessing
import shutil
import tempfile
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from twin_app.core.errors import TwinAppError

logger = logging.getLogger(__name__)

PROGRESS_EVERY_S = 1.0
CANCEL_POLL_S = 1.0
MAX_DEPTH_FILE = "max_depth.tif"


@dataclass(frozen=True)
class MemberTask:
    """Everything a worker needs to run one member (plain data: it pickles)."""

    ensemble_id: str
    index: int
    plugin: str
    parameters: dict[str, Any]
    duration_h: float
    output_interval_min: float
    run_dir: str
    scene: str | None = None
    dem_path: str | None = None
    start: datetime | None = None
    points: tuple[tuple[str, float, float], ...] = ()
    wet_threshold_m: float = 0.05
    timeout_s: float | None = None
    ship_grids: bool = False
    boundaries: dict[str, Any] = field(default_factory=dict)
    """Boundary series as ``BoundarySeries.model_dump()`` dicts, by name."""


@dataclass
class MemberOutcome:
    """How a member ended and the little the client needs of it."""

    index: int
    state: str
    message: str = ""
    run_dir: str = ""
    max_depth_path: str = ""
    wall_time_s: float = 0.0
    worker: str = ""
    wet_cells: int = 0
    wet_area_m2: float = 0.0
    max_depth_m: float = 0.0
    point_peaks_m: dict[str, float] = field(default_factory=dict)
    point_levels_m: dict[str, float] = field(default_factory=dict)
    """Peak water level (ground + max depth, scene datum) at the points that got wet."""
    grid: dict[str, Any] = field(default_factory=dict)
    max_depth: NDArray[np.float32] | None = None
    """The map itself, only with ``ship_grids``."""

    @property
    def ok(self) -> bool:
        """Whether the member ran to its end."""
        return self.state == "succeeded"

    def to_dict(self) -> dict[str, Any]:
        """Return a JSON-ready summary (without the map)."""
        return {"index": self.index, "state": self.state, "message": self.message,
                "run_dir": self.run_dir, "wall_time_s": round(self.wall_time_s, 3),
                "worker": self.worker, "wet_cells": self.wet_cells,
                "wet_area_m2": round(self.wet_area_m2, 1),
                "max_depth_m": round(self.max_depth_m, 4),
                "point_peaks_m": {k: round(v, 4) for k, v in self.point_peaks_m.items()},
                "point_levels_m": {k: round(v, 4) for k, v in self.point_levels_m.items()}}


Progress = Callable[[dict[str, Any]], None]


class MemberError(TwinAppError):
    """A member cannot run where it was sent (a worker that may not start processes)."""


def run_member(task: MemberTask, progress: Progress | None = None,
               cancelled: Callable[[], bool] | None = None) -> MemberOutcome:
    """Run one member to its end and return its outcome (never raises for a failed member)."""
    started = time.monotonic()
    worker = _worker_name()
    if progress is None and cancelled is None:
        progress, cancelled = _dask_hooks(task)
    try:
        outcome = _run(task, progress, cancelled or (lambda: False))
    except TwinAppError as error:
        outcome = MemberOutcome(task.index, "failed", error.one_line(), task.run_dir)
    except Exception as error:
        logger.exception("member %d failed", task.index)
        last = traceback.format_exception_only(type(error), error)[-1].strip()
        outcome = MemberOutcome(task.index, "failed", f"unexpected error: {last}", task.run_dir)
    outcome.wall_time_s = time.monotonic() - started
    outcome.worker = worker
    return outcome


def _run(task: MemberTask, progress: Progress | None,
         cancelled: Callable[[], bool]) -> MemberOutcome:
    from twin_app.core.scene_loader import load_scene
    from twin_app.sim.config import BoundarySeries
    from twin_app.sim.host import RehearsalRun, RunEvent
    from twin_app.sim.scenario import rehearsal_from_values

    if cancelled():
        return MemberOutcome(task.index, "cancelled", "cancelled before it started")
    if multiprocessing.current_process().daemon:
        raise MemberError("this Dask worker may not start processes, and each member's plugin "
                          "runs in a process of its own",
                          hint="start the workers with DASK_DISTRIBUTED__WORKER__DAEMON=False")
    run_dir = Path(tempfile.mkdtemp(prefix=f"twin-m{task.index:04d}-")) if task.ship_grids \
        else Path(task.run_dir)
    scene = load_scene(task.scene) if task.scene else None
    rehearsal = rehearsal_from_values(task.plugin, task.parameters, duration_h=task.duration_h,
                                      output_interval_min=task.output_interval_min,
                                      out_dir=run_dir, scene=scene,
                                      dem_path=task.dem_path, start=task.start)
    config = rehearsal.config
    if task.boundaries:
        series = {k: BoundarySeries.model_validate(v) for k, v in task.boundaries.items()}
        config = config.model_copy(update={"boundaries": series})
    last = [0.0]

    def report(event: RunEvent) -> None:
        now = time.monotonic()
        if progress is not None and event.kind in ("progress", "frame") and (
                now - last[0] >= PROGRESS_EVERY_S):
            last[0] = now
            progress({"index": task.index, "kind": "progress", "fraction": event.fraction,
                      "state": "running", "message": ""})

    run = RehearsalRun(rehearsal.record, config, timeout_s=task.timeout_s, on_event=report)
    run.start()
    if progress is not None:
        progress({"index": task.index, "kind": "progress", "fraction": 0.0, "state": "running",
                  "message": ""})
    checked = time.monotonic()
    while not run.done:
        run.poll(0.2)
        if time.monotonic() - checked >= CANCEL_POLL_S:
            checked = time.monotonic()
            if cancelled():
                run.cancel()
    result = run.result
    assert result is not None
    outcome = MemberOutcome(task.index, result.state.value, result.message, str(result.run_dir))
    if result.state.value != "succeeded":
        if result.log_tail:
            outcome.message += f" (log: {result.log_tail.strip().splitlines()[-1][:200]})"
    else:
        outcome = _summarise(task, outcome)
    if task.ship_grids:
        shutil.rmtree(run_dir, ignore_errors=True)
        outcome.run_dir = outcome.max_depth_path = ""
    return outcome


def _summarise(task: MemberTask, outcome: MemberOutcome) -> MemberOutcome:
    """Add the wet area and the peak depth at each point, read from the run folder."""
    import json

    import rasterio

    run_dir = Path(outcome.run_dir)
    path = run_dir / MAX_DEPTH_FILE
    if not path.is_file():
        outcome.state, outcome.message = "failed", f"the run wrote no {MAX_DEPTH_FILE}"
        return outcome
    with rasterio.open(path) as dataset:
        north_up = dataset.read(1, masked=True).filled(np.nan).astype(np.float32)
        transform = dataset.transform
    grid = json.loads((run_dir / "grid.json").read_text(encoding="utf-8"))
    depth = north_up[::-1]  # rows south to north, like the model grid
    wet = np.isfinite(depth) & (depth > task.wet_threshold_m)
    outcome.grid = {**grid, "transform": list(transform)[:6]}
    outcome.max_depth_path = str(path)
    outcome.wet_cells = int(wet.sum())
    dy, dx = grid["spacing"]
    outcome.wet_area_m2 = float(outcome.wet_cells * dy * dx)
    outcome.max_depth_m = float(np.nanmax(depth)) if np.isfinite(depth).any() else 0.0
    rows, cols = grid["shape"]
    ground = _ground(run_dir, (rows, cols))
    for point_id, x, y in task.points:
        col = round((x - grid["origin"][1]) / dx)
        row = round((y - grid["origin"][0]) / dy)
        if 0 <= row < rows and 0 <= col < cols and np.isfinite(depth[row, col]):
            outcome.point_peaks_m[point_id] = float(depth[row, col])
            if ground is not None and depth[row, col] > task.wet_threshold_m:
                outcome.point_levels_m[point_id] = float(ground[row, col] + depth[row, col])
    if task.ship_grids:
        outcome.max_depth = north_up
    return outcome


def _ground(run_dir: Path, shape: tuple[int, int]) -> NDArray[np.float64] | None:
    """Return the model's ground heights on the nodes (rows south to north), if it wrote them.

    Read from the first frame; ``None`` when the plugin writes no grid of
    ``topographic__elevation`` (then no peak levels are given, only depths).
    """
    from twin_app.sim.outputs import frame_path, read_frame
    from twin_app.sim.playback import ELEVATION

    path = frame_path(run_dir, 0)
    if not path.is_file():
        return None
    ground = read_frame(path).get(ELEVATION)
    if ground is None or np.size(ground) != shape[0] * shape[1]:
        return None
    return np.asarray(ground, dtype=np.float64).reshape(shape)


def _worker_name() -> str:
    try:
        from distributed import get_worker

        return str(get_worker().address)
    except (ImportError, ValueError):
        import socket

        return socket.gethostname()


def _dask_hooks(task: MemberTask) -> tuple[Progress | None, Callable[[], bool] | None]:
    """Return progress and cancel hooks through the Dask worker running this task, if any."""
    try:
        from distributed import Event, get_worker

        worker = get_worker()
    except (ImportError, ValueError):
        return None, None
    topic = progress_topic(task.ensemble_id)
    stop = Event(cancel_event_name(task.ensemble_id))

    def progress(message: dict[str, Any]) -> None:
        worker.log_event(topic, message)

    def cancelled() -> bool:
        try:
            return bool(stop.is_set())
        except (OSError, TimeoutError):  # the scheduler is briefly unreachable
            return False

    return progress, cancelled


def progress_topic(ensemble_id: str) -> str:
    """Return the Dask event-log topic members report progress on."""
    return f"twin-ensemble-progress-{ensemble_id}"


def cancel_event_name(ensemble_id: str) -> str:
    """Return the name of the ``distributed.Event`` that cancels an ensemble's members."""
    return f"twin-ensemble-cancel-{ensemble_id}"
