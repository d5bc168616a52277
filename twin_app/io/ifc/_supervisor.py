"""Run the tessellation in a child process and isolate the elements that crash or hang it.

Protocol (pickle frames, see ``_protocol``). The parent sends ``("open", path, settings,
exclude, known_geometry_ids, want_elements)``, then ``("tessellate", unit, kernel, mode, ids)``
per unit of work, then ``("quit",)``. The child answers ``ready``, ``opened`` (parse time and
problems), ``elements`` (element records and georeference), ``candidates`` (step ids of the
products with a representation), and per unit ``unit`` (kernel available?), ``start`` (single
mode: the element it is about to tessellate), ``shapes`` (records, empty results, progress) and
``unit_done`` (the kernel's error text per element without geometry).

Isolation. The plan starts with one *batch* unit: the first kernel over all candidates, one
``ifcopenshell.geom.iterator``. If the child dies (a kernel crash) or sends nothing for
``element_timeout_s`` (a hang), it is killed; the elements of that unit not yet delivered are
re-run in *single* mode in a new child, which announces each element before tessellating it, so
the next crash or hang names its element exactly. That element is listed as skipped (a hang
at once; a crash only if the last kernel crashes on it too, else the next kernel re-tries it
first, alone) and the rest continue. After the first kernel, the next kernel (OpenCASCADE)
re-tries every candidate that got no geometry. A whole-file time-out bounds everything.
"""

from __future__ import annotations

import logging
import time
from collections import deque
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from twin_app.core.progress import Feedback
from twin_app.io.ifc._process import EOF_MESSAGE, WorkerProcess, take_worker
from twin_app.io.ifc._step import line_at_offset, line_of_instance
from twin_app.io.ifc.elements import ElementInfo
from twin_app.io.ifc.errors import IfcReadError, IfcTimeoutError, IfcWorkerError
from twin_app.io.ifc.geometry import GeometryAccumulator
from twin_app.io.ifc.georef import Georeference
from twin_app.io.ifc.model import TessellationSettings

logger = logging.getLogger(__name__)

_POLL_S = 0.05
_FEEDBACK_EVERY_S = 0.1


@dataclass
class Unit:
    """A piece of the plan: one kernel, batch or single mode, over some elements."""

    stage: int
    mode: str
    ids: list[int] | None


@dataclass
class TessellationOutcome:
    """What the child processes produced, before it becomes an :class:`IfcModel`."""

    schema: str
    elements: list[ElementInfo]
    georeference: Georeference | None
    geometry: GeometryAccumulator
    skipped: dict[int, str]
    no_geometry: list[int]
    warnings: list[str]
    worker_start_s: float
    parse_s: float
    restarts: int
    cacheable: bool
    peak_rss_mb: float = 0.0


@dataclass
class Supervisor:
    """Drives worker processes through the plan; see the module notes."""

    path: Path
    settings: TessellationSettings
    timeout_s: float
    element_timeout_s: float
    accept_errors: bool = False
    feedback: Feedback | None = None
    schema: str = ""
    elements: list[ElementInfo] | None = None
    georeference: Georeference | None = None
    candidates: list[int] = field(default_factory=list)
    geometry: GeometryAccumulator | None = None
    pending: deque[Unit] = field(default_factory=deque)
    stage: int = 0
    failures: dict[int, list[str]] = field(default_factory=dict)
    suspects: set[int] = field(default_factory=set)
    skipped: dict[int, str] = field(default_factory=dict)
    errors: dict[int, str] = field(default_factory=dict)
    seen: set[int] = field(default_factory=set)
    warnings: list[str] = field(default_factory=list)
    restarts: int = 0
    timed_out: bool = False
    worker_start_s: float = 0.0
    parse_s: float = 0.0
    peak_rss_mb: float = 0.0
    started: float = field(default_factory=time.perf_counter)
    _fed: float = 0.0

    def run(self) -> TessellationOutcome:
        """Execute the plan and return what was produced.

        Raises
        ------
        IfcReadError, IfcWorkerError, IfcTimeoutError, OperationCancelledError
            See :func:`twin_app.io.ifc.load_ifc_model`.
        """
        self.pending.append(Unit(0, "batch", None))
        worker: WorkerProcess | None = None
        finished = False
        try:
            while self._next_stage_if_idle():
                if worker is None:
                    worker = self._open(take_worker())
                if not self._run_unit(worker, self.pending.popleft()):
                    self._close(worker, kill=True)
                    worker = None
            finished = True
        finally:
            if worker is not None:
                self._close(worker, kill=not finished)
        return self._outcome()

    def _close(self, worker: WorkerProcess, *, kill: bool) -> None:
        worker.close(kill=kill, wait=kill)

    def _next_stage_if_idle(self) -> bool:
        while not self.pending:
            if self.stage + 1 >= len(self.settings.kernels):
                return False
            self.stage += 1
            placed = self.geometry.placed if self.geometry else set()
            ids = [i for i in self.candidates if i not in placed and i not in self.skipped]
            suspects = [i for i in ids if i in self.suspects]
            rest = [i for i in ids if i not in self.suspects]
            if suspects:
                self.pending.append(Unit(self.stage, "single", suspects))
            if rest:
                self.pending.append(Unit(self.stage, "batch", rest))
        return True

    def _wait(self, worker: WorkerProcess, limit: float | None) -> tuple[Any, ...] | None:
        """Return the next message; None if ``limit`` seconds pass without one."""
        waited = 0.0
        while True:
            self._check_deadline(worker)
            self._feed()
            message = worker.get(_POLL_S)
            if message is not None:
                return message
            waited += _POLL_S
            if limit is not None and waited >= limit:
                return None

    def _check_deadline(self, worker: WorkerProcess) -> None:
        if time.perf_counter() - self.started > self.timeout_s:
            self._close(worker, kill=True)
            done = len(self.seen)
            raise IfcTimeoutError(self.path, self.timeout_s, done, len(self.candidates))

    def _feed(self) -> None:
        if self.feedback is None:
            return
        now = time.perf_counter()
        if now - self._fed < _FEEDBACK_EVERY_S:
            return
        self._fed = now
        total = max(len(self.candidates), 1)
        fraction = 0.05 + 0.9 * min(len(self.seen) / total, 1.0) if self.candidates else 0.02
        self.feedback.step(fraction, f"tessellating {self.path.name}: {len(self.seen)} of "
                                     f"{len(self.candidates)} elements")

    def _open(self, worker: WorkerProcess) -> WorkerProcess:
        taken = time.perf_counter()
        try:
            known = list(self.geometry.mesh_by_id) if self.geometry else []
            worker.send("open", str(self.path), self.settings.iterator_settings(),
                        list(self.settings.exclude), known, self.elements is None)
            while True:
                message = self._wait(worker, None)
                assert message is not None
                if message is EOF_MESSAGE or message[0] == "error":
                    raise IfcWorkerError(self.path, self._describe_failure(worker, message))
                self._handle_open(worker, message)
                if message[0] == "candidates":
                    self.worker_start_s += max(0.0, (worker.ready_at or taken) - taken)
                    return worker
        except BaseException:
            self._close(worker, kill=True)
            raise

    def _describe_failure(self, worker: WorkerProcess, message: tuple[Any, ...]) -> str:
        if message is EOF_MESSAGE:
            return f"it ended while reading the file: {worker.exit_reason()}"
        return f"{message[1]}: {message[2]}"

    def _handle_open(self, worker: WorkerProcess, message: tuple[Any, ...]) -> None:
        kind = message[0]
        if kind == "opened":
            _, self.schema, parse_s, problems, total = message
            self.parse_s = max(self.parse_s, parse_s)
            if problems:
                self._parse_problems(problems, total)
        elif kind == "elements":
            self.elements = [ElementInfo(*record) for record in message[1]]
            self.georeference = message[2]
            index = {e.step_id: i for i, e in enumerate(self.elements)}
            self.geometry = GeometryAccumulator(index)
        elif kind == "candidates":
            self.candidates = message[1]

    def _parse_problems(self, problems: list[tuple[int | None, int | None, str]],
                        total: int) -> None:
        offset, instance, text = problems[0]
        line = (line_at_offset(self.path, offset) if offset is not None
                else line_of_instance(self.path, instance) if instance is not None else None)
        more = f" ({total - 1} more problems follow)" if total > 1 else ""
        if not self.accept_errors:
            raise IfcReadError(
                self.path, f"ifcopenshell cannot read this: {text}{more}", line=line,
                hint="the file is garbled here (a damaged copy or an exporter bug): export it "
                     "again, or load with accept_errors=True to keep what can be read")
        where = f"line {line}: " if line else ""
        self.warnings.append(f"{total} parse problems accepted; first at {where}{text}")

    def _run_unit(self, worker: WorkerProcess, unit: Unit) -> bool:
        kernel = self.settings.kernels[unit.stage]
        unit_started = time.perf_counter()
        worker.send("tessellate", id(unit), kernel, unit.mode, unit.ids)
        delivered: set[int] = set()
        announced: int | None = None
        first = True
        while True:
            limit = self.element_timeout_s
            if first and unit.mode == "batch":
                limit += max(5.0, 3.0 * self.parse_s)
            message = self._wait(worker, limit)
            if message is None or message is EOF_MESSAGE:
                hang = message is None
                reason = (f"timed out after {self.element_timeout_s:g} s" if hang
                          else worker.exit_reason())
                self._fail(unit, delivered, announced, reason, hang=hang)
                return False
            kind = message[0]
            if kind == "error":
                self._close(worker, kill=True)
                raise IfcWorkerError(self.path, self._describe_failure(worker, message))
            if kind == "unit" and not message[2]:
                self.warnings.append(f"geometry kernel unavailable: {message[3]}")
            elif kind == "start":
                announced, first = message[1], False
            elif kind == "shapes":
                first = False
                self._add_shapes(message[1], message[2], delivered)
            elif kind == "element_error":
                self.errors[message[1]] = message[2]
            elif kind == "unit_done":
                self.errors.update(message[2])
                self.peak_rss_mb = max(self.peak_rss_mb, message[3])
                logger.debug("%s: %s %s unit of %s elements took %.3f s", self.path.name, kernel,
                             unit.mode, "all" if unit.ids is None else len(unit.ids),
                             time.perf_counter() - unit_started)
                return True

    def _add_shapes(self, records: list[tuple[Any, ...]], empties: list[int],
                    delivered: set[int]) -> None:
        assert self.geometry is not None
        for record in records:
            self.geometry.add(record)
            delivered.add(record[0])
        delivered.update(empties)
        self.seen.update(delivered)

    def _fail(self, unit: Unit, delivered: set[int], announced: int | None, reason: str,
              *, hang: bool) -> None:
        """Record a crash or hang, name the element if known, and re-plan the rest of the unit.

        After a batch unit fails, its undelivered elements run in single mode, which names the
        next culprit; once it is named, the rest go back to a batch unit (faster).
        """
        self.restarts += 1
        kernel = self.settings.kernels[unit.stage]
        ids = unit.ids if unit.ids is not None else self.candidates
        remaining = [i for i in ids if i not in delivered]
        culprit = None
        if unit.mode == "single" and remaining:
            culprit = announced if announced in remaining else remaining[0]
            remaining.remove(culprit)
            self._blame(culprit, f"{reason} ({kernel})", unit.stage, hang=hang)
        logger.warning("%s: the geometry process failed (%s) in %s mode; %s; %d elements left "
                       "in this pass", self.path.name, reason, unit.mode,
                       f"element #{culprit}" if culprit else "element not known yet",
                       len(remaining))
        if remaining:
            mode = "batch" if culprit is not None else "single"
            self.pending.appendleft(Unit(unit.stage, mode, remaining))

    def _blame(self, culprit: int, reason: str, stage: int, *, hang: bool) -> None:
        self.failures.setdefault(culprit, []).append(reason)
        if hang:
            self.timed_out = True
        if hang or stage + 1 >= len(self.settings.kernels):
            self.skipped[culprit] = "; ".join(self.failures[culprit])
            self.seen.add(culprit)
        else:
            self.suspects.add(culprit)

    def _outcome(self) -> TessellationOutcome:
        if self.elements is None or self.geometry is None:
            raise IfcWorkerError(self.path, "no elements were read")
        placed = self.geometry.placed
        for step_id in self.candidates:
            if step_id in placed or step_id in self.skipped:
                continue
            if step_id in self.errors:
                self.skipped[step_id] = self.errors[step_id]
        retried = [i for i in self.failures if i in placed]
        if retried:
            self.warnings.append(f"{len(retried)} elements that crashed the first kernel were "
                                 f"tessellated by {self.settings.kernels[-1]}")
        no_geometry = [i for i in self.candidates if i not in placed and i not in self.skipped]
        return TessellationOutcome(
            schema=self.schema, elements=self.elements, georeference=self.georeference,
            geometry=self.geometry, skipped=self.skipped, no_geometry=no_geometry,
            warnings=self.warnings, worker_start_s=self.worker_start_s, parse_s=self.parse_s,
            restarts=self.restarts, cacheable=not self.timed_out, peak_rss_mb=self.peak_rss_mb)
