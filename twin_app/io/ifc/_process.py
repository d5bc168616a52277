"""The tessellation child process as seen from the app: start, talk, stop, keep one in standby.

The child is ``python -m twin_app.io.ifc._worker`` started with :mod:`subprocess` (not
multiprocessing), so it never re-imports the app's main module (and with it Qt). A background
thread reads its frames into a queue; the supervisor polls the queue with time-outs.
"""

from __future__ import annotations

import atexit
import logging
import os
import queue
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

from twin_app.io.ifc._protocol import FAULT_ENV, read_frame, write_frame

logger = logging.getLogger(__name__)

EOF_MESSAGE = ("eof",)
"""Queued when the child's output ends (it exited or crashed)."""
_PACKAGE_ROOT = str(Path(__file__).resolve().parents[3])


class WorkerProcess:
    """One child process running ``twin_app.io.ifc._worker``, read by a background thread."""

    def __init__(self) -> None:
        env = dict(os.environ)
        env["PYTHONPATH"] = os.pathsep.join(
            p for p in (_PACKAGE_ROOT, env.get("PYTHONPATH", "")) if p)
        self.fault_env = os.environ.get(FAULT_ENV, "")
        self.spawned = time.perf_counter()
        self.ready_at: float | None = None
        self._stderr = tempfile.TemporaryFile()  # noqa: SIM115  (closed in close())
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "twin_app.io.ifc._worker"], stdin=subprocess.PIPE,
            stdout=subprocess.PIPE, stderr=self._stderr, env=env,
            creationflags=getattr(subprocess, "CREATE_NO_WINDOW", 0))
        self.messages: queue.Queue[tuple[Any, ...]] = queue.Queue()
        self._reader = threading.Thread(target=self._read, daemon=True,
                                        name=f"ifc-worker-{self.proc.pid}")
        self._reader.start()

    def _read(self) -> None:
        stream = self.proc.stdout
        assert stream is not None
        while True:
            try:
                message = read_frame(stream)
            except (OSError, ValueError, EOFError):
                message = None
            if message is None:
                self.messages.put(EOF_MESSAGE)
                return
            if message[0] == "ready":
                self.ready_at = time.perf_counter()
                continue
            self.messages.put(message)

    def send(self, *command: Any) -> None:
        """Send a command; a dead child shows up as end of output, so errors are ignored."""
        try:
            assert self.proc.stdin is not None
            write_frame(self.proc.stdin, command)  # type: ignore[arg-type]
        except (BrokenPipeError, OSError, ValueError):
            logger.debug("worker %d no longer reads its input", self.proc.pid)

    def get(self, timeout: float) -> tuple[Any, ...] | None:
        """Return the next message, ``EOF_MESSAGE`` when the child is gone, None on time-out."""
        try:
            return self.messages.get(timeout=timeout)
        except queue.Empty:
            return None

    @property
    def alive(self) -> bool:
        """Whether the process is still running."""
        return self.proc.poll() is None

    def exit_reason(self) -> str:
        """Describe how the process ended, with the last line it wrote to stderr."""
        try:
            code = self.proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            return "stopped answering"
        if code < 0:
            try:
                name = signal.Signals(-code).name
            except ValueError:
                name = str(-code)
            reason = f"kernel crashed ({name})"
        else:
            reason = f"kernel crashed (exit status {code})"
        tail = self.stderr_tail()
        return f"{reason}: {tail}" if tail else reason

    def stderr_tail(self) -> str:
        """Return the last non-empty line the child wrote to stderr."""
        try:
            self._stderr.seek(max(0, self._stderr.seek(0, 2) - 4096))
            lines = [ln.strip() for ln in self._stderr.read().decode("utf-8", "replace")
                     .splitlines() if ln.strip()]
        except (OSError, ValueError):
            return ""
        return lines[-1][:300] if lines else ""

    def close(self, *, kill: bool = False, wait: bool = True) -> None:
        """Stop the process (politely unless ``kill``) and release its pipes.

        With ``wait=False`` the process is asked to quit and reaped by a background thread,
        so a finished load does not wait for the child's interpreter to shut down.
        """
        if not wait and not kill:
            self.send("quit")
            closer = threading.Thread(target=self.close, name=f"ifc-close-{self.proc.pid}",
                                      daemon=True)
            _closing.add(closer)
            closer.start()
            return
        if self.proc.returncode is None:
            if kill:
                self.proc.kill()
            else:
                self.send("quit")
        try:
            self.proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(timeout=5)
        for stream in (self.proc.stdin, self.proc.stdout):
            if stream is not None:
                try:
                    stream.close()
                except OSError:
                    logger.debug("closing a pipe of worker %d failed", self.proc.pid)
        self._reader.join(timeout=5)
        self._stderr.close()
        _closing.discard(threading.current_thread())


_closing: set[threading.Thread] = set()


def join_closing(timeout: float = 10.0) -> None:
    """Wait until child processes being closed in the background have exited."""
    for thread in list(_closing):
        thread.join(timeout)


_standby: WorkerProcess | None = None
_standby_lock = threading.Lock()


def prestart_worker() -> None:
    """Start a tessellation process now, so that the next load does not wait for its start-up.

    The process imports ifcopenshell and waits; the next :func:`load_ifc_model` uses it. Call
    it when a scene opens or when an IFC load is likely; it costs one idle Python process.
    """
    global _standby
    with _standby_lock:
        if _standby is None or not _standby.alive:
            _standby = WorkerProcess()


def take_worker() -> WorkerProcess:
    """Return the standby process if it is usable, else start a new one."""
    global _standby
    with _standby_lock:
        worker, _standby = _standby, None
    if worker is not None and worker.alive and worker.fault_env == os.environ.get(FAULT_ENV, ""):
        return worker
    if worker is not None:
        worker.close(kill=True)
    return WorkerProcess()


@atexit.register
def _close_standby() -> None:
    global _standby
    with _standby_lock:
        worker, _standby = _standby, None
    if worker is not None:
        worker.close(kill=True)
    join_closing()
