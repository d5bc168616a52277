"""The HTTP server of the wall's remote control (stdlib ``http.server`` in a daemon thread).

Every request must carry the token (``Authorization: Bearer TOKEN`` or ``X-Wall-Token: TOKEN``,
compared in constant time); the paths and answers are those of :mod:`twin_app.core.wall_control`.
Bodies are limited to 16 KiB and sockets time out after 10 s, so a stuck client cannot hold the
server; refused requests are counted and logged at most once a minute.
"""

from __future__ import annotations

import hmac
import json
import logging
import threading
import time
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from twin_app.core.errors import InputError
from twin_app.core.wall_control import (
    AUTH_LOG_EVERY_S,
    DEFAULT_HOST,
    DEFAULT_PORT,
    MAX_BODY,
    SOCKET_TIMEOUT_S,
    TOKEN_HEADER,
    CommandQueue,
    ControlError,
    route,
)

logger = logging.getLogger(__name__)


class _Handler(BaseHTTPRequestHandler):
    server: _Server
    protocol_version = "HTTP/1.1"
    timeout = SOCKET_TIMEOUT_S

    def do_GET(self) -> None:
        self._serve("GET")

    def do_POST(self) -> None:
        self._serve("POST")

    def _serve(self, method: str) -> None:
        control = self.server.control
        try:
            length = int(self.headers.get("Content-Length") or 0)
            if length > MAX_BODY:
                self.close_connection = True
                raise ControlError(413, f"the body is larger than {MAX_BODY} bytes")
            body = self.rfile.read(length) if length > 0 else b""
            if not control.authorised(self.headers.get("Authorization"),
                                      self.headers.get(TOKEN_HEADER)):
                control.note_refused(self.client_address[0])
                raise ControlError(401, "no or wrong token",
                                   hint=f"send 'Authorization: Bearer TOKEN' or "
                                   f"'{TOKEN_HEADER}: TOKEN'")
            command = route(method, self.path, body)
            if command.name == "status" and control.status is not None:
                result = control.status()  # a snapshot: answers even while the wall is busy
            else:
                result = control.commands.submit(command)
            answer = {"ok": True, "command": command.name, "result": result}
            self._answer(200, answer)
        except ControlError as error:
            self._answer(error.status, {"ok": False, "error": error.one_line()})
        except ValueError:
            self._answer(400, {"ok": False, "error": "bad Content-Length"})

    def _answer(self, status: int, payload: dict[str, Any]) -> None:
        data = json.dumps(payload, ensure_ascii=False, default=str).encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Cache-Control", "no-store")
        if status == 401:
            self.send_header("WWW-Authenticate", 'Bearer realm="twin-app wall"')
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, format: str, *args: Any) -> None:
        logger.debug("%s %s", self.client_address[0], format % args)


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    control: WallControlServer


class WallControlServer:
    """Serves the control API in a background thread.

    Parameters
    ----------
    commands : CommandQueue
        Where commands go.
    token : str
        The shared secret every request must carry.
    host, port : str, int
        Where to listen (port 0: any free port; see :attr:`address`).
    status : callable, optional
        Returns the wall's status (any thread); without it ``status`` is a queued command.

    Raises
    ------
    InputError
        If the token is empty.
    """

    def __init__(self, commands: CommandQueue, token: str, host: str = DEFAULT_HOST,
                 port: int = DEFAULT_PORT,
                 status: Callable[[], dict[str, Any]] | None = None) -> None:
        if not token:
            raise InputError("the wall's control API needs a token")
        self.commands = commands
        self.status = status
        self._token = token.encode("utf-8")
        self.host, self.port = host, port
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None
        self._refused = 0
        self._refused_logged = 0.0

    @property
    def address(self) -> tuple[str, int]:
        """The host and port listened on (the real port once started)."""
        if self._server is not None:
            host, port = self._server.server_address[:2]
            return str(host), int(port)
        return self.host, self.port

    @property
    def url(self) -> str:
        """The base URL of the API."""
        host, port = self.address
        return f"http://{f'[{host}]' if ':' in host else host}:{port}"

    def start(self) -> tuple[str, int]:
        """Listen and serve in a daemon thread; return the address.

        Raises
        ------
        InputError
            If the address cannot be bound (in use, not an address of this machine).
        """
        try:
            server = _Server((self.host, self.port), _Handler)
        except OSError as error:
            raise InputError(f"the wall's control API cannot listen on {self.host}:{self.port}: "
                             f"{error.strerror or error}") from None
        server.control = self
        self._server = server
        self._thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.2},
                                        name="wall-control", daemon=True)
        self._thread.start()
        logger.info("wall control API on %s", self.url)
        return self.address

    def stop(self) -> None:
        """Stop serving and close the socket (queued commands fail with 503)."""
        self.commands.close()
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None

    def authorised(self, authorization: str | None, token_header: str | None) -> bool:
        """Whether a request's headers carry the token (compared in constant time)."""
        offered = token_header
        if authorization and authorization.lower().startswith("bearer "):
            offered = authorization[7:].strip()
        if not offered:
            return False
        return hmac.compare_digest(offered.encode("utf-8"), self._token)

    def note_refused(self, client: str) -> None:
        """Count a refused request; log at most once a minute (a remote may retry for days)."""
        self._refused += 1
        now = time.monotonic()
        if now - self._refused_logged >= AUTH_LOG_EVERY_S:
            self._refused_logged = now
            logger.warning("wall control: refused a request without the right token from %s "
                           "(%d refused so far)", client, self._refused)

    @property
    def refused(self) -> int:
        """How many requests were refused for want of the token."""
        return self._refused
