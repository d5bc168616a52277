"""Run an ensemble: members on Dask (a LocalCluster, or a cluster's scheduler) or one by one.

::

    plan = prepare_ensemble(spec, scene=document, out_dir=Path("runs/ens1"), members=20)
    run = EnsembleRun(plan, scheduler=None, n_workers=2, on_event=print).start()
    ...                       # a GUI calls run.poll() from a timer; run.cancel() stops it
    result = run.wait()       # result.aggregate: probability, percentiles, exceedance

The run goes in a background thread, so nothing here blocks a GUI: events (:class:`EnsembleEvent`)
queue up and are handed over by :meth:`EnsembleRun.poll` on the caller's thread, like
:class:`twin_app.sim.host.RehearsalRun`.  Members write their run folders under
``out_dir/members`` (which must be a path every worker can write: a shared disk on a cluster);
only :class:`~twin_app.ensemble.member.MemberOutcome` summaries and paths travel through the
scheduler.  With ``ship_grids=True`` (workers without the shared disk) members run in a temporary
folder on their worker and send the max-depth map back instead.

Dask workers must be allowed to start processes (each member's plugin runs in a process of its
own): a LocalCluster is started that way; ``dask worker`` processes need
``DASK_DISTRIBUTED__WORKER__DAEMON=False`` in their environment (see docs/command-centre.md).
"""

from __future__ import annotations

import json
import logging
import queue
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from twin_app.core.errors import TwinAppError
from twin_app.ensemble.aggregate import Aggregate, aggregate, write_aggregate
from twin_app.ensemble.member import (
    MemberOutcome,
    MemberTask,
    cancel_event_name,
    progress_topic,
    run_member,
)
from twin_app.ensemble.prepare import EnsemblePlan

logger = logging.getLogger(__name__)

POLL_S = 0.2
CANCEL_GRACE_S = 20.0


class EnsembleError(TwinAppError):
    """An ensemble cannot run (no scheduler at the address, already started)."""


@dataclass(frozen=True)
class EnsembleEvent:
    """Something that happened to an ensemble.

    ``kind``: ``"started"`` (``message``: where it runs), ``"member"`` (``index``, ``state``,
    ``fraction`` of that member), ``"aggregating"``, ``"finished"`` (``state``: succeeded,
    failed or cancelled; ``message``).  ``done``/``total`` count finished members.
    """

    kind: str
    index: int | None = None
    state: str = ""
    fraction: float = 0.0
    message: str = ""
    done: int = 0
    total: int = 0


@dataclass
class EnsembleResult:
    """How an ensemble ended: every member's outcome and the aggregate of the good ones."""

    state: str
    message: str
    outcomes: list[MemberOutcome]
    aggregate: Aggregate | None
    wall_time_s: float
    where: str
    files: list[str] = field(default_factory=list)

    @property
    def failed(self) -> list[MemberOutcome]:
        """Members that did not succeed (left out of the aggregate)."""
        return [o for o in self.outcomes if not o.ok]

    @property
    def members_per_hour(self) -> float:
        """Successful members per hour of wall time."""
        good = sum(o.ok for o in self.outcomes)
        return good * 3600.0 / self.wall_time_s if self.wall_time_s > 0 else 0.0


class EnsembleRun:
    """One ensemble run in a background thread.

    Parameters
    ----------
    plan : EnsemblePlan
        The members and where they go (:func:`~twin_app.ensemble.prepare.prepare_ensemble`).
    scheduler : str, optional
        ``tcp://HOST:PORT`` of a running Dask scheduler; a LocalCluster if not given.
    n_workers : int
        Workers of the LocalCluster.
    executor : {"dask", "serial"}
        ``"serial"`` runs members one after another in this process's children (no Dask).
    ship_grids : bool
        Members send their max-depth maps back instead of leaving them on a shared disk.
    on_event : callable, optional
        Called with each :class:`EnsembleEvent` from :meth:`poll`.
    """

    def __init__(self, plan: EnsemblePlan, *, scheduler: str | None = None, n_workers: int = 2,
                 executor: str = "dask", ship_grids: bool = False,
                 on_event: Callable[[EnsembleEvent], None] | None = None) -> None:
        if executor not in ("dask", "serial"):
            raise EnsembleError(f"unknown executor {executor!r}", hint="dask or serial")
        self.plan = plan
        self.scheduler = scheduler
        self.n_workers = n_workers
        self.executor = executor
        self.ship_grids = ship_grids
        self.on_event = on_event
        self.member_states: dict[int, tuple[str, float]] = {
            t.index: ("pending", 0.0) for t in plan.tasks}
        self._events: queue.Queue[EnsembleEvent] = queue.Queue()
        self._cancel = threading.Event()
        self._thread: threading.Thread | None = None
        self._result: EnsembleResult | None = None
        self._done_count = 0

    # -- control --------------------------------------------------------------------------------
    def start(self) -> EnsembleRun:
        """Start the run in a background thread; return ``self``."""
        if self._thread is not None:
            raise EnsembleError("this ensemble has already been started")
        self._thread = threading.Thread(target=self._main, name=f"ensemble-{self.plan.id}",
                                        daemon=True)
        self._thread.start()
        return self

    def cancel(self) -> None:
        """Stop: members not started never run, running ones are cancelled within seconds."""
        self._cancel.set()

    @property
    def done(self) -> bool:
        """Whether the run has ended (its result is set)."""
        return self._result is not None

    @property
    def result(self) -> EnsembleResult | None:
        """The result once ended."""
        return self._result

    def poll(self, timeout: float = 0.0) -> list[EnsembleEvent]:
        """Return the events since the last call (waiting up to ``timeout`` s for the first)."""
        events: list[EnsembleEvent] = []
        try:
            events.append(self._events.get(timeout=timeout) if timeout > 0
                          else self._events.get_nowait())
            while True:
                events.append(self._events.get_nowait())
        except queue.Empty:
            pass
        for event in events:
            if self.on_event is not None:
                self.on_event(event)
        return events

    def wait(self, timeout: float | None = None) -> EnsembleResult:
        """Block until the run ends (cancelling it after ``timeout`` s); return the result."""
        limit = None if timeout is None else time.monotonic() + timeout
        while self._thread is not None and self._thread.is_alive():
            self.poll(POLL_S)
            if limit is not None and time.monotonic() > limit:
                self.cancel()
                limit = None
        self.poll()
        if self._result is None:
            raise EnsembleError("the ensemble was never started", hint="call start() first")
        return self._result

    # -- the background thread ------------------------------------------------------------------
    def _emit(self, event: EnsembleEvent) -> None:
        self._events.put(event)

    def _member_event(self, message: dict[str, Any]) -> None:
        index = int(message["index"])
        state, fraction = str(message.get("state", "running")), float(message.get("fraction", 0))
        self.member_states[index] = (state, fraction)
        self._emit(EnsembleEvent("member", index, state, fraction, str(message.get("message", "")),
                                 self._done_count, len(self.plan.tasks)))

    def _main(self) -> None:
        started = time.monotonic()
        outcomes = list(self.plan.invalid)
        where = "serial" if self.executor == "serial" else (self.scheduler or
                                                             f"LocalCluster({self.n_workers})")
        try:
            tasks = [replace(t, ship_grids=True) if self.ship_grids else t
                     for t in self.plan.tasks]
            self._emit(EnsembleEvent("started", message=where, total=len(tasks)))
            runner = self._serial if self.executor == "serial" else self._dask
            outcomes += runner(tasks)
            self._emit(EnsembleEvent("aggregating", done=self._done_count, total=len(tasks)))
            result = self._finish(outcomes, started, where)
        except Exception as error:
            logger.exception("ensemble %s failed", self.plan.id)
            message = error.one_line() if isinstance(error, TwinAppError) else repr(error)
            result = EnsembleResult("failed", message, outcomes, None,
                                    time.monotonic() - started, where)
        self._result = result
        self._emit(EnsembleEvent("finished", state=result.state, message=result.message,
                                 done=self._done_count, total=len(self.plan.tasks)))

    def _record(self, outcome: MemberOutcome) -> MemberOutcome:
        self._done_count += 1
        self._member_event({"index": outcome.index, "state": outcome.state, "fraction": 1.0,
                            "message": outcome.message})
        return outcome

    def _serial(self, tasks: list[MemberTask]) -> list[MemberOutcome]:
        outcomes = []
        for task in tasks:
            if self._cancel.is_set():
                outcomes.append(self._record(MemberOutcome(task.index, "cancelled",
                                                           "cancelled before it started")))
                continue
            outcome = run_member(task, progress=self._member_event, cancelled=self._cancel.is_set)
            outcomes.append(self._record(self._landed(outcome)))
        return outcomes

    def _dask(self, tasks: list[MemberTask]) -> list[MemberOutcome]:
        import dask
        from distributed import Client, Event, LocalCluster

        cluster = None
        with dask.config.set({"distributed.worker.daemon": False}):
            try:
                if self.scheduler:
                    client = Client(self.scheduler, timeout="20s")
                else:
                    cluster = LocalCluster(n_workers=self.n_workers, threads_per_worker=1,
                                           processes=True, dashboard_address=":0",
                                           silence_logs=logging.ERROR)
                    client = Client(cluster)
            except (OSError, TimeoutError) as error:
                raise EnsembleError(f"cannot reach the Dask scheduler {self.scheduler}: {error}",
                                    hint="start it with 'dask scheduler' or leave out "
                                    "--scheduler for a LocalCluster") from None
        try:
            stop = Event(cancel_event_name(self.plan.id), client=client)
            stop.clear()
            client.subscribe_topic(progress_topic(self.plan.id),
                                   lambda event: self._member_event(event[1]))
            futures = {client.submit(run_member, task, key=f"{self.plan.id}-m{task.index:04d}",
                                     pure=False, priority=-task.index): task for task in tasks}
            return self._collect(client, futures, stop)
        finally:
            client.unsubscribe_topic(progress_topic(self.plan.id))
            client.close()
            if cluster is not None:
                cluster.close()

    def _collect(self, client: Any, futures: dict[Any, MemberTask], stop: Any
                 ) -> list[MemberOutcome]:
        outcomes: list[MemberOutcome] = []
        pending = dict(futures)
        cancelled_at: float | None = None
        while pending:
            for future in [f for f in pending if f.done()]:
                task = pending.pop(future)
                try:
                    outcome = future.result()
                except Exception as error:  # noqa: BLE001 - a lost worker fails one member
                    state = "cancelled" if future.status == "cancelled" else "failed"
                    outcome = MemberOutcome(task.index, state, f"{type(error).__name__}: "
                                            f"{error}", task.run_dir)
                outcomes.append(self._record(self._landed(outcome)))
            if self._cancel.is_set() and cancelled_at is None:
                cancelled_at = time.monotonic()
                stop.set()
            if cancelled_at is not None and time.monotonic() - cancelled_at > CANCEL_GRACE_S:
                client.cancel(list(pending))
                cancelled_at = float("inf")
            time.sleep(POLL_S)
        return outcomes

    def _landed(self, outcome: MemberOutcome) -> MemberOutcome:
        """Write a shipped max-depth map into the member's folder here."""
        if outcome.max_depth is None or not outcome.ok:
            return outcome
        import rasterio
        from affine import Affine

        folder = self.plan.out_dir / "members" / f"m{outcome.index:04d}"
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / "max_depth.tif"
        grid = outcome.max_depth
        with rasterio.open(path, "w", driver="GTiff", width=grid.shape[1], height=grid.shape[0],
                           count=1, dtype="float32", crs=outcome.grid.get("crs"),
                           transform=Affine(*outcome.grid["transform"]), nodata=-9999.0) as out:
            out.write(grid.astype("float32"), 1)
        outcome.max_depth_path, outcome.run_dir, outcome.max_depth = str(path), str(folder), None
        return outcome

    def _finish(self, outcomes: list[MemberOutcome], started: float, where: str
                ) -> EnsembleResult:
        plan = self.plan
        outcomes.sort(key=lambda o: o.index)
        combined = aggregate(outcomes, threshold_m=plan.threshold_m,
                             percentiles=plan.percentiles, point_ids=[p[0] for p in plan.points])
        files: list[str] = []
        if combined is not None:
            files = write_aggregate(combined, plan.out_dir, title=f"ensemble {plan.id}", attrs={
                "plugin": plan.plugin, "seed": plan.seed, "members": len(plan.members)})
        good = sum(o.ok for o in outcomes)
        cancelled = self._cancel.is_set()
        state = "cancelled" if cancelled else ("succeeded" if good else "failed")
        message = f"{good} of {len(outcomes)} members succeeded"
        result = EnsembleResult(state, message, outcomes, combined, time.monotonic() - started,
                                where, files)
        files.append(str(write_report(result, plan)))
        return result


def write_report(result: EnsembleResult, plan: EnsemblePlan) -> Path:
    """Write ``ensemble.json``: the members (values drawn, state, timing) and the aggregate."""
    drawn = {m.index: m.drawn for m in plan.members}
    payload = {
        "id": plan.id, "plugin": plan.plugin, "scene": plan.scene, "seed": plan.seed,
        "state": result.state, "message": result.message, "where": result.where,
        "written": datetime.now(UTC).isoformat(timespec="seconds"),
        "wall_time_s": round(result.wall_time_s, 2),
        "members_per_hour": round(result.members_per_hour, 1),
        "members": [{**o.to_dict(), "drawn": drawn.get(o.index, {})} for o in result.outcomes],
        "failed": [{"index": o.index, "state": o.state, "message": o.message}
                   for o in result.failed],
        "aggregate": result.aggregate.summary() if result.aggregate is not None else None,
    }
    path = plan.out_dir / "ensemble.json"
    path.write_text(json.dumps(payload, ensure_ascii=False, indent=2, default=str),
                    encoding="utf-8")
    return path
