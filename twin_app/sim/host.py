"""Run a rehearsal in a worker process: progress, cancel, time-out and crash isolation.

A :class:`RehearsalRun` starts the plugin in a fresh process (multiprocessing "spawn") and turns
the worker's messages into :class:`RunEvent` objects.  Nothing here blocks unless asked to and
nothing here knows Qt: a GUI calls :meth:`RehearsalRun.poll` from a timer (every 100 ms, say) and
gets the new events, or passes ``on_event`` to have them delivered by ``poll``; a script calls
:meth:`RehearsalRun.wait` or iterates :meth:`RehearsalRun.events`.

A plugin that raises, hangs (time-out) or kills its process (segfault, ``os.abort``) leaves the
caller running: the run ends ``failed`` or ``timed_out`` with the worker's log (``run.log``, which
includes the crash traceback that ``faulthandler`` writes) in :attr:`RunResult.log_tail`.
Frames stream in while the run goes (:attr:`RehearsalRun.frames`), so playback can start early.
"""

from __future__ import annotations

import json
import logging
import multiprocessing
import signal
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any

from twin_app.core.errors import TwinAppError
from twin_app.sim._worker import LOG_NAME, run_worker
from twin_app.sim.config import RunConfig
from twin_app.sim.discovery import PluginRecord
from twin_app.sim.outputs import FRAMES_FOLDER, FrameInfo, read_frame
from twin_app.sim.sdk import GridInfo

logger = logging.getLogger(__name__)

LOG_TAIL_CHARS = 4000


GRID_NAME = "grid.json"
"""The model's grid, written to the run folder once the model is initialized."""


class RunState(StrEnum):
    """Where a run is in its life."""

    PENDING = "pending"
    RUNNING = "running"
    SUCCEEDED = "succeeded"
    FAILED = "failed"
    CANCELLED = "cancelled"
    TIMED_OUT = "timed_out"

    @property
    def done(self) -> bool:
        """Whether the run has ended."""
        return self not in (RunState.PENDING, RunState.RUNNING)


class RunError(TwinAppError):
    """A run cannot be started (already started, run folder not writable)."""


@dataclass(frozen=True)
class RunEvent:
    """Something that happened to a run.

    ``kind`` is ``"started"``, ``"initialized"`` (the model's grid is now in
    :attr:`RehearsalRun.grid`), ``"progress"`` (``fraction``, ``time_s``), ``"frame"``
    (``frame``), ``"outputs"`` (result files written) or ``"finished"`` (``state``, ``message``).
    """

    kind: str
    state: RunState
    time_s: float = 0.0
    fraction: float = 0.0
    frame: FrameInfo | None = None
    message: str = ""


@dataclass
class RunResult:
    """How a run ended and what it left in its run folder."""

    state: RunState
    message: str
    run_dir: Path
    frames: list[FrameInfo] = field(default_factory=list)
    outputs: list[str] = field(default_factory=list)
    summary: dict[str, Any] = field(default_factory=dict)
    wall_time_s: float = 0.0
    exit_code: int | None = None
    log_tail: str = ""

    @property
    def log_path(self) -> Path:
        """The worker's log file."""
        return self.run_dir / LOG_NAME


class RehearsalRun:
    """One rehearsal in a worker process.

    Parameters
    ----------
    record : PluginRecord
        The plugin (from :func:`twin_app.sim.discovery.find_plugin`); its code is imported in the
        worker only, so an import that crashes cannot take the caller down.
    config : RunConfig
        The validated configuration (:mod:`twin_app.sim.scenario` builds it); ``run_dir`` is
        where frames, results and ``run.log`` go.
    timeout_s : float, optional
        Wall-clock limit; the worker is stopped and the run marked ``timed_out`` past it.
    on_event : callable, optional
        Called with each :class:`RunEvent`, from the thread that calls :meth:`poll`.
    cancel_grace_s : float, default: 5.0
        How long a cancelled worker may take to stop by itself before it is terminated.
    """

    def __init__(self, record: PluginRecord, config: RunConfig, *, timeout_s: float | None = None,
                 on_event: Callable[[RunEvent], None] | None = None,
                 cancel_grace_s: float = 5.0) -> None:
        self.record = record
        self.config = config
        self.run_dir = Path(config.run_dir)
        self.timeout_s = timeout_s
        self.on_event = on_event
        self.cancel_grace_s = cancel_grace_s
        self.state = RunState.PENDING
        self.frames: list[FrameInfo] = []
        self.grid: GridInfo | None = None
        self.fraction = 0.0
        self.model_time_s = 0.0
        self._outputs: list[str] = []
        self._summary: dict[str, Any] = {}
        self._message = ""
        self._process: Any = None
        self._conn: Any = None
        self._cancel: Any = None
        self._started_at = 0.0
        self._cancel_at: float | None = None
        self._result: RunResult | None = None

    # -- control -------------------------------------------------------------------------------
    def start(self) -> RehearsalRun:
        """Start the worker process; return ``self``."""
        if self.state is not RunState.PENDING:
            raise RunError("this run has already been started", hint="make a new RehearsalRun")
        try:
            self.run_dir.mkdir(parents=True, exist_ok=True)
            _clear_previous_run(self.run_dir)
            self.config.to_json_file(self.run_dir / "run_config.json")
        except OSError as error:
            raise RunError(f"cannot write to the run folder {self.run_dir}: {error}",
                           hint="choose a writable --out folder") from error
        context = multiprocessing.get_context("spawn")
        receiver, sender = context.Pipe(duplex=False)
        self._cancel = context.Event()
        self._process = context.Process(
            target=run_worker, args=(self.record, self.config, sender, self._cancel),
            name=f"rehearsal-{self.record.id}", daemon=True)
        self._started_at = time.monotonic()
        self._process.start()
        sender.close()
        self._conn = receiver
        self.state = RunState.RUNNING
        logger.info("started run of %s (pid %s) in %s", self.record.id, self._process.pid,
                    self.run_dir)
        return self

    def cancel(self) -> None:
        """Ask the run to stop; it is terminated if it has not stopped within the grace time."""
        if self.state is RunState.RUNNING and self._cancel_at is None:
            self._cancel.set()
            self._cancel_at = time.monotonic()

    @property
    def done(self) -> bool:
        """Whether the run has ended (in any state)."""
        return self.state.done

    @property
    def result(self) -> RunResult | None:
        """The result once the run has ended, else ``None``."""
        return self._result

    # -- events --------------------------------------------------------------------------------
    def poll(self, timeout: float = 0.0, max_events: int = 500) -> list[RunEvent]:
        """Return the events since the last call, waiting up to ``timeout`` s for the first.

        Also enforces the time-out and the cancel grace time, and notices a dead worker.  At most
        ``max_events`` are taken per call, so a GUI timer never stalls; the rest wait for the
        next call.
        """
        if self.state is not RunState.RUNNING:
            return []
        events: list[RunEvent] = []
        deadline = time.monotonic() + timeout
        while True:
            wait = max(deadline - time.monotonic(), 0.0) if not events else 0.0
            try:
                ready = self._conn.poll(wait)
                if not ready:
                    break
                message = self._conn.recv()
            except (EOFError, OSError):
                events += self._worker_gone()
                break
            event = self._handle(message)
            if event is not None:
                events.append(event)
            if self.done or len(events) >= max_events:
                break
        if not self.done:
            events += self._enforce_limits()
        for event in events:
            if self.on_event is not None:
                self.on_event(event)
        return events

    def events(self, interval: float = 0.1) -> Iterator[RunEvent]:
        """Yield events until the run ends (blocking between them)."""
        while not self.done:
            yield from self.poll(interval)

    def wait(self, timeout: float | None = None) -> RunResult:
        """Block until the run ends (or ``timeout`` s pass, then cancel it); return the result."""
        limit = None if timeout is None else time.monotonic() + timeout
        while not self.done:
            self.poll(0.1)
            if limit is not None and time.monotonic() > limit:
                self.cancel()
                limit = None
        if self._result is None:  # unreachable: a done run always has a result
            raise RunError("the run ended without a result")
        return self._result

    def read_frame(self, index: int) -> dict[str, Any]:
        """Return the arrays of frame ``index`` (available as soon as its event arrived)."""
        return read_frame(self.frames[index].path)

    # -- internals -----------------------------------------------------------------------------
    def _handle(self, message: dict[str, Any]) -> RunEvent | None:
        kind = message.get("kind")
        if kind == "started":
            return RunEvent("started", self.state)
        if kind == "initialized":
            grid = message.get("grid")
            if grid:
                self.grid = GridInfo.from_dict(grid)
                (self.run_dir / GRID_NAME).write_text(json.dumps(grid), encoding="utf-8")
            return RunEvent("initialized", self.state)
        if kind == "progress":
            self.fraction = float(message["fraction"])
            self.model_time_s = float(message["time_s"])
            return RunEvent("progress", self.state, self.model_time_s, self.fraction)
        if kind == "frame":
            frame = FrameInfo(int(message["index"]), float(message["time_s"]),
                              str(message["path"]))
            self.frames.append(frame)
            self.model_time_s = frame.time_s
            self.fraction = min(frame.time_s / self.config.duration_s, 1.0)
            return RunEvent("frame", self.state, frame.time_s, self.fraction, frame)
        if kind == "outputs":
            self._outputs = list(message["files"])
            self._summary = dict(message["summary"])
            return RunEvent("outputs", self.state, self.model_time_s, 1.0)
        if kind == "finished":
            return self._finish(RunState(message["status"]), str(message.get("message", "")))
        logger.warning("unknown message from the worker: %r", message)
        return None

    def _worker_gone(self) -> list[RunEvent]:
        self._process.join(2.0)
        code = self._process.exitcode
        reason = f"the worker process ended without finishing (exit code {code})"
        if code is not None and code < 0:
            try:
                name = signal.Signals(-code).name
            except ValueError:
                name = f"signal {-code}"
            reason = f"the plugin crashed: worker killed by {name}"
        return [self._finish(RunState.FAILED, reason)]

    def _enforce_limits(self) -> list[RunEvent]:
        now = time.monotonic()
        if self.timeout_s is not None and now - self._started_at > self.timeout_s:
            self._stop_worker()
            return [self._finish(RunState.TIMED_OUT,
                                 f"the run took longer than {self.timeout_s:g} s and was stopped")]
        if self._cancel_at is not None and now - self._cancel_at > self.cancel_grace_s:
            self._stop_worker()
            return [self._finish(RunState.CANCELLED, "cancelled by the user (worker terminated "
                                 "after it did not stop by itself)")]
        if not self._process.is_alive() and not self._conn.poll(0):
            return self._worker_gone()
        return []

    def _stop_worker(self) -> None:
        process = self._process
        if process.is_alive():
            process.terminate()
            process.join(2.0)
        if process.is_alive():
            process.kill()
            process.join(2.0)

    def _finish(self, state: RunState, message: str) -> RunEvent:
        self.state = state
        self._message = message
        self._process.join(5.0)
        if self._process.is_alive():
            self._stop_worker()
        self._conn.close()
        self._result = RunResult(
            state=state, message=message, run_dir=self.run_dir, frames=list(self.frames),
            outputs=self._outputs, summary=self._summary,
            wall_time_s=time.monotonic() - self._started_at, exit_code=self._process.exitcode,
            log_tail=_tail(self.run_dir / LOG_NAME))
        log = logger.info if state is RunState.SUCCEEDED else logger.warning
        log("run of %s %s%s", self.record.id, state.value, f": {message}" if message else "")
        return RunEvent("finished", state, self.model_time_s, self.fraction, message=message)


def _clear_previous_run(run_dir: Path) -> None:
    """Remove the frames and log a previous run left in ``run_dir`` (nothing else)."""
    for frame in (run_dir / FRAMES_FOLDER).glob("frame_*.npz"):
        frame.unlink()
    (run_dir / LOG_NAME).unlink(missing_ok=True)


def _tail(path: Path) -> str:
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return ""
    return text[-LOG_TAIL_CHARS:]


def run_rehearsal(record: PluginRecord, config: RunConfig, *, timeout_s: float | None = None,
                  on_event: Callable[[RunEvent], None] | None = None) -> RunResult:
    """Run a rehearsal to its end in a worker process and return the result (blocking)."""
    return RehearsalRun(record, config, timeout_s=timeout_s, on_event=on_event).start().wait()
