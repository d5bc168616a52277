"""The wall's remote control: a small HTTP API on loopback, authenticated by a token.

A keyboard-free remote (a tablet page, a Stream Deck, ``curl``) drives the wall::

    curl -H "Authorization: Bearer $TOKEN" http://127.0.0.1:8765/status
    curl -X POST -H "X-Wall-Token: $TOKEN" http://127.0.0.1:8765/viewpoint/next

=======  ==========================  ============  =============================================
method   path                        command       parameters (query string or JSON body)
=======  ==========================  ============  =============================================
GET      /status                     status        (answered from the last snapshot, with its age)
POST     /viewpoint/next             next
POST     /viewpoint/previous         previous
POST     /viewpoint/{id}             goto          ``viewpoint`` (from the path)
POST     /tour/pause                 pause
POST     /tour/resume                resume
POST     /scene/{id}                 scene         ``scene`` (from the path)
POST     /alarms/acknowledge         acknowledge   ``key`` (``SENSOR/alarm``) or ``all=true``;
                                                   ``user`` (default ``wall-remote``)
POST     /replay/{event}             replay        ``event`` (from the path), ``speed``
POST     /rehearsal/start            rehearse      ``scenario`` (default: the rehearsal tile's,
                                                   else the scene's first scenario)
=======  ==========================  ============  =============================================

Every answer is JSON: ``{"ok": true, "command": ..., "result": {...}}``, or ``{"ok": false,
"error": ...}`` with 400 (bad parameters), 401 (no or wrong token), 404 (unknown path, viewpoint,
scene or alarm), 405 (wrong method), 409 (not possible now, e.g. acknowledging an acknowledged
alarm), 413 (body too large) or 503 (the wall did not answer in time, or is closing).

This module knows nothing of Qt: HTTP threads (:mod:`twin_app.core.wall_http`) put
:class:`WallCommand` objects on a :class:`CommandQueue`; the GUI thread runs them with
:meth:`CommandQueue.run_pending` and the answer goes back to the waiting HTTP thread.
"""

from __future__ import annotations

import json
import logging
import os
import queue
import re
import secrets
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl, unquote, urlsplit

from twin_app.core.errors import InputError, TwinAppError

logger = logging.getLogger(__name__)

DEFAULT_HOST, DEFAULT_PORT = "127.0.0.1", 8765
TOKEN_ENV = "TWIN_APP_WALL_TOKEN"
"""Environment variable a token may come from (keeps it off the command line)."""
TOKEN_HEADER = "X-Wall-Token"
MAX_BODY = 16 * 1024
MAX_QUEUED = 64
ANSWER_TIMEOUT_S = 10.0
SOCKET_TIMEOUT_S = 10.0
AUTH_LOG_EVERY_S = 60.0
LOOPBACK = ("127.0.0.1", "::1", "localhost")


class ControlError(TwinAppError):
    """A control request that cannot be carried out; ``status`` is the HTTP status to answer."""

    def __init__(self, status: int, message: str, *, hint: str | None = None) -> None:
        self.status = status
        super().__init__(message, hint=hint)


@dataclass(frozen=True)
class WallCommand:
    """One command for the wall: its name and its parameters (texts)."""

    name: str
    args: dict[str, str] = field(default_factory=dict)


_ROUTES: tuple[tuple[str, re.Pattern[str], str, str | None], ...] = (
    ("GET", re.compile(r"/status"), "status", None),
    ("POST", re.compile(r"/viewpoint/next"), "next", None),
    ("POST", re.compile(r"/viewpoint/previous"), "previous", None),
    ("POST", re.compile(r"/viewpoint/([^/]+)"), "goto", "viewpoint"),
    ("POST", re.compile(r"/tour/pause"), "pause", None),
    ("POST", re.compile(r"/tour/resume"), "resume", None),
    ("POST", re.compile(r"/scene/([^/]+)"), "scene", "scene"),
    ("POST", re.compile(r"/alarms/acknowledge"), "acknowledge", None),
    ("POST", re.compile(r"/replay/([^/]+)"), "replay", "event"),
    ("POST", re.compile(r"/rehearsal/start"), "rehearse", None),
)
COMMANDS = tuple(dict.fromkeys(name for _, _, name, _ in _ROUTES))


def route(method: str, target: str, body: bytes = b"") -> WallCommand:
    """Return the command a request asks for.

    Parameters
    ----------
    method : str
        ``GET`` or ``POST``.
    target : str
        The request target: path and query string.
    body : bytes
        The request body: empty, a JSON object, or ``application/x-www-form-urlencoded``.

    Raises
    ------
    ControlError
        404 for an unknown path, 405 for the wrong method, 400 for a bad body.
    """
    parts = urlsplit(target)
    path = parts.path.rstrip("/") or "/"
    args = dict(parse_qsl(parts.query))
    args.update(_body_args(body))
    allowed = []
    for route_method, pattern, name, path_arg in _ROUTES:
        match = pattern.fullmatch(path)
        if match is None:
            continue
        if route_method != method:
            allowed.append(route_method)
            continue
        if path_arg is not None:
            args[path_arg] = unquote(match.group(1))
        return WallCommand(name, args)
    if allowed:
        raise ControlError(405, f"{path} takes {' or '.join(sorted(set(allowed)))}, not {method}")
    raise ControlError(404, f"no command at {path}",
                       hint="GET /status, POST /viewpoint/next|previous|ID, /tour/pause|resume, "
                       "/scene/ID, /alarms/acknowledge, /replay/EVENT, /rehearsal/start")


def _body_args(body: bytes) -> dict[str, str]:
    text = body.decode("utf-8", errors="replace").strip()
    if not text:
        return {}
    if text.startswith(("{", "[")):
        try:
            data = json.loads(text)
        except json.JSONDecodeError as error:
            raise ControlError(400, f"the body is not valid JSON: {error.msg}") from None
        if not isinstance(data, dict):
            raise ControlError(400, "the body must be a JSON object")
        return {str(k): _text(v) for k, v in data.items()}
    return dict(parse_qsl(text))


def _text(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


class CommandQueue:
    """Hands commands from HTTP threads to the thread that owns the wall, and back the answers.

    Parameters
    ----------
    notify : callable, optional
        Called (from the HTTP thread) after a command is queued, to wake the owning thread.
    """

    def __init__(self, notify: Callable[[], None] | None = None) -> None:
        self.notify = notify
        self._queue: queue.Queue[tuple[WallCommand, Future[dict[str, Any]]]] = queue.Queue(
            MAX_QUEUED)
        self._closed = threading.Event()

    def submit(self, command: WallCommand, timeout_s: float = ANSWER_TIMEOUT_S
               ) -> dict[str, Any]:
        """Queue ``command`` and wait for its result (called from an HTTP thread).

        Raises
        ------
        ControlError
            What the command raised, or 503 if the wall is closing, busy or does not answer.
        """
        if self._closed.is_set():
            raise ControlError(503, "the wall is closing")
        future: Future[dict[str, Any]] = Future()
        try:
            self._queue.put_nowait((command, future))
        except queue.Full:
            raise ControlError(503, "the wall is busy; try again") from None
        if self.notify is not None:
            self.notify()
        try:
            return future.result(timeout=timeout_s)
        except FutureTimeout:
            future.cancel()
            raise ControlError(503, f"the wall did not answer within {timeout_s:g} s") from None

    def run_pending(self, execute: Callable[[WallCommand], dict[str, Any]]) -> int:
        """Run the queued commands with ``execute`` (on the owning thread); return how many."""
        done = 0
        while True:
            try:
                command, future = self._queue.get_nowait()
            except queue.Empty:
                return done
            if not future.set_running_or_notify_cancel():
                continue  # the caller gave up waiting
            try:
                future.set_result(execute(command))
            except ControlError as error:
                future.set_exception(error)
            except Exception as error:  # the wall must answer and keep running
                logger.exception("wall command %s failed", command.name)
                future.set_exception(ControlError(500, f"{command.name} failed: {error}"))
            done += 1

    def close(self) -> None:
        """Refuse new commands and fail the queued ones with 503."""
        self._closed.set()
        while True:
            try:
                _, future = self._queue.get_nowait()
            except queue.Empty:
                return
            if future.set_running_or_notify_cancel():
                future.set_exception(ControlError(503, "the wall is closing"))


class StatusSnapshot:
    """The wall's status as last published by its own thread, readable from any thread.

    The owning thread calls :meth:`publish` (about once a second); HTTP threads call the
    snapshot (``snapshot()``), which adds ``age_s``: a watchdog that sees the age grow knows the
    wall has stopped, while ``/status`` itself still answers at once.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._status: dict[str, Any] = {}
        self._at = time.monotonic()

    def publish(self, status: dict[str, Any]) -> None:
        """Replace the snapshot (owning thread)."""
        with self._lock:
            self._status = status
            self._at = time.monotonic()

    def __call__(self) -> dict[str, Any]:
        """Return a copy of the snapshot with its age in seconds."""
        with self._lock:
            return {**self._status, "age_s": round(time.monotonic() - self._at, 2)}


def parse_address(text: str) -> tuple[str, int]:
    """Return host and port from ``HOST:PORT``, ``:PORT`` or ``PORT`` (host 127.0.0.1).

    Raises
    ------
    InputError
        If the port is not a number from 0 to 65535 (0: any free port).
    """
    host, _, port = text.strip().rpartition(":")
    host = host.strip("[]") or DEFAULT_HOST
    if not port.isdigit() or not 0 <= int(port) < 65536:
        raise InputError(f"{text!r} is not HOST:PORT", hint=f"e.g. {DEFAULT_HOST}:{DEFAULT_PORT}")
    return host, int(port)


def resolve_token(given: str | None, host: str, environ: dict[str, str] | None = None
                  ) -> tuple[str, bool]:
    """Return the token to require and whether it was made up here.

    The token is ``given``, else the ``TWIN_APP_WALL_TOKEN`` variable, else (on a loopback
    address only) a new random one, which the caller must show the operator.

    Raises
    ------
    InputError
        If the API would listen beyond loopback without a token chosen by the operator.
    """
    token = given or (environ if environ is not None else os.environ).get(TOKEN_ENV, "")
    if token:
        if len(token) < 8:
            raise InputError("the control token is shorter than 8 characters")
        return token, False
    if host not in LOOPBACK:
        raise InputError(f"listening on {host} needs a token",
                         hint=f"give --token or set {TOKEN_ENV}")
    return secrets.token_urlsafe(18), True
