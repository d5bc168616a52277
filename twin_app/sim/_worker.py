"""The child-process side of a run (started by :class:`twin_app.sim.host.RehearsalRun`).

Runs in a fresh interpreter (multiprocessing "spawn").  Everything it prints, logs or dumps on a
crash (``faulthandler``) goes to ``run.log`` in the run folder; it talks to the host only through
messages (plain dicts) on a one-way pipe:

``started``, ``initialized`` (the model's grid), ``progress`` (time_s, fraction), ``frame``
(index, time_s, path), ``outputs`` (files, summary) and ``finished`` (status succeeded / failed /
cancelled, message).
"""

from __future__ import annotations

import faulthandler
import logging
import os
import sys
import time
import traceback
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from twin_app.core.errors import OperationCancelledError
from twin_app.sim.config import RunConfig
from twin_app.sim.discovery import PluginRecord, load_model_class
from twin_app.sim.outputs import FrameInfo, FrameWriter, write_results
from twin_app.sim.sdk import Simulation, SimulationError

logger = logging.getLogger("twin_app.sim.worker")

LOG_NAME = "run.log"
PROGRESS_EVERY_S = 0.2


def _capture_output(run_dir: Path) -> Any:
    """Send fds 1 and 2, Python logging and crash dumps to ``run.log``; return the open file."""
    log = (run_dir / LOG_NAME).open("a", encoding="utf-8", buffering=1)
    os.dup2(log.fileno(), 1)
    os.dup2(log.fileno(), 2)
    sys.stdout = sys.stderr = log
    faulthandler.enable(file=log, all_threads=True)
    logging.basicConfig(level=logging.INFO, stream=log, force=True,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    return log


class _Reporter:
    """Send messages to the host; check for cancel and send throttled progress at checkpoints."""

    def __init__(self, conn: Connection, cancel: Any, duration_s: float) -> None:
        self.conn = conn
        self.cancel = cancel
        self.duration_s = duration_s
        self.last = 0.0

    def send(self, kind: str, **data: object) -> None:
        self.conn.send({"kind": kind, **data})

    def checkpoint(self, model_time: float) -> None:
        if self.cancel.is_set():
            raise OperationCancelledError("run")
        now = time.monotonic()
        if now - self.last >= PROGRESS_EVERY_S:
            self.last = now
            self.send("progress", time_s=model_time,
                      fraction=min(model_time / self.duration_s, 1.0))


def run_worker(record: PluginRecord, config: RunConfig, conn: Connection, cancel: Any) -> None:
    """Run one rehearsal to the end and report through ``conn`` (the child's entry point)."""
    run_dir = Path(config.run_dir)
    run_dir.mkdir(parents=True, exist_ok=True)
    log = _capture_output(run_dir)
    reporter = _Reporter(conn, cancel, config.duration_s)
    reporter.send("started", pid=os.getpid())
    logger.info("run of plugin %s in %s (pid %d)", record.id, run_dir, os.getpid())
    model: Simulation | None = None
    started = time.perf_counter()
    try:
        model = _initialize(record, config, reporter)
        grid = model.grid
        reporter.send("initialized", grid=None if grid is None else grid.to_dict())
        outputs_spec = record.manifest.outputs if record.manifest else None
        depth = outputs_spec.depth_variable if outputs_spec is not None else None
        writer = FrameWriter(run_dir, always=[depth] if depth else [])
        frames, steps = _advance(model, config, reporter, writer)
        model.finalize()
        balance = model.mass_balance_error()
        files = write_results(model, config, frames, outputs_spec, run_dir) if outputs_spec \
            else []
        summary = {"plugin": record.id, "run_time_s": round(time.perf_counter() - started, 3),
                   "model_time_s": model.time, "steps": steps, "frames": len(frames),
                   "mass_balance_error": balance}
        reporter.send("outputs", files=files, summary=summary)
        logger.info("run finished: %s", summary)
        reporter.send("finished", status="succeeded", message="")
    except OperationCancelledError:
        logger.info("run cancelled at model time %s s", model.time if model else 0.0)
        reporter.send("finished", status="cancelled", message="cancelled by the user")
    except Exception as error:  # noqa: BLE001 - any plugin error marks the run failed
        logger.error("run failed:\n%s", traceback.format_exc())
        reporter.send("finished", status="failed",
                      message=f"{type(error).__name__}: {error}")
    finally:
        if model is not None:
            _quiet_finalize(model)
        log.flush()
        conn.close()


def _quiet_finalize(model: Simulation) -> None:
    try:
        model.finalize()
    except Exception:
        logger.warning("finalize() failed after the run", exc_info=True)


def _initialize(record: PluginRecord, config: RunConfig, reporter: _Reporter) -> Simulation:
    model_class = load_model_class(record)
    model = model_class()
    model.config = config
    model.end_time = config.duration_s
    model.points = [(p.id, p.x, p.y) for p in config.points]
    model.on_checkpoint = reporter.checkpoint
    model.initialize(config)
    missing = [v.name for v in model.tables.variables
               if v.intent != "in" and not v.optional and v.name not in model.fields]
    if missing:
        raise SimulationError(f"{record.id}: initialize() left {', '.join(missing)} unset",
                              hint="set every non-optional output in initialize()")
    return model


def _advance(model: Simulation, config: RunConfig, reporter: _Reporter,
             writer: FrameWriter) -> tuple[list[FrameInfo], int]:
    frames: list[FrameInfo] = []
    steps = 0
    counter = _StepCounter(model)
    for index, target in enumerate(config.output_times()):
        if index:
            model.update_until(float(target))
            model.checkpoint()
        frame = writer.write(model, index)
        frames.append(frame)
        reporter.send("frame", index=frame.index, time_s=frame.time_s, path=frame.path)
        steps = counter.count
    return frames, steps


class _StepCounter:
    """Count the model's ``update`` calls without the model knowing."""

    def __init__(self, model: Simulation) -> None:
        self.count = 0
        original = model.update

        def counted() -> None:
            original()
            self.count += 1

        model.update = counted  # type: ignore[method-assign]
