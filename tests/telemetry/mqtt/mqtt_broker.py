"""A real Mosquitto broker on a free loopback port, for the MQTT and replay tests.

The broker runs from a private config in a temporary folder (persistence on, so sessions and
queued messages survive :meth:`MosquittoBroker.restart`).  If the ``mosquitto`` binary is missing
it is installed with apt when running as root; otherwise the tests fail with the command to run:
they are never skipped.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import time
from pathlib import Path

INSTALL_HINT = "install it: apt-get install -y mosquitto (or run tools/install-system-deps.sh)"


def mosquitto_binary() -> str:
    """Return the path of ``mosquitto``, installing the Debian package as root if needed."""
    found = shutil.which("mosquitto") or shutil.which("mosquitto", path="/usr/sbin:/usr/bin")
    if found:
        return found
    if os.geteuid() == 0 and shutil.which("apt-get"):
        env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
        subprocess.run(["apt-get", "install", "-y", "-qq", "--no-install-recommends",
                        "mosquitto"], check=False, env=env, capture_output=True)
        found = shutil.which("mosquitto", path="/usr/sbin:/usr/bin")
        if found:
            return found
    raise RuntimeError(f"the MQTT tests need the mosquitto broker; {INSTALL_HINT}")


def free_port() -> int:
    """Return a TCP port on 127.0.0.1 that was free a moment ago."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class MosquittoBroker:
    """Start, stop, kill and restart one Mosquitto process on a fixed port and data folder."""

    def __init__(self, folder: Path, *, port: int | None = None,
                 extra_config: tuple[str, ...] = (), anonymous: bool = True) -> None:
        self.folder = folder
        self.port = port or free_port()
        self.extra_config = extra_config
        self.anonymous = anonymous
        self.config = folder / "mosquitto.conf"
        self.log = folder / "mosquitto.log"
        self.process: subprocess.Popen[bytes] | None = None
        (folder / "data").mkdir(parents=True, exist_ok=True)

    @property
    def url(self) -> str:
        return f"mqtt://127.0.0.1:{self.port}"

    def write_config(self) -> None:
        lines = [
            "per_listener_settings false",
            f"listener {self.port} 127.0.0.1",
            f"allow_anonymous {'true' if self.anonymous else 'false'}",
            "persistence true",
            f"persistence_location {self.folder / 'data'}/",
            "autosave_interval 1",
            "max_queued_messages 1000000",
            "max_inflight_messages 100",
            f"log_dest file {self.log}",
            "log_type error",
            "log_type warning",
            "log_type notice",
            "log_type information",
            *self.extra_config,
        ]
        if os.geteuid() == 0:
            # As root Mosquitto switches to the user 'mosquitto', who cannot enter pytest's
            # private temporary folders (mode 0700): stay root so persistence and log work.
            lines.append("user root")
        self.config.write_text("\n".join(lines) + "\n")

    def start(self, timeout: float = 10.0) -> MosquittoBroker:
        self.write_config()
        self.process = subprocess.Popen([mosquitto_binary(), "-c", str(self.config)],
                                        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                error = self.process.stderr.read().decode() if self.process.stderr else ""
                raise RuntimeError(f"mosquitto exited at start: {error}\n{self._log_text()}")
            if self._accepts():
                return self
            time.sleep(0.02)
        self.stop()
        raise RuntimeError(f"mosquitto did not listen on {self.port} in {timeout} s\n"
                           f"{self._log_text()}")

    def stop(self, timeout: float = 10.0) -> None:
        """Stop gracefully (SIGTERM: Mosquitto saves its persistence file)."""
        if self.process is None:
            return
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        if self.process.stderr:
            self.process.stderr.close()
        self.process = None

    def restart(self) -> MosquittoBroker:
        self.stop()
        return self.start()

    def _accepts(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=0.2):
                return True
        except OSError:
            return False

    def _log_text(self) -> str:
        return self.log.read_text() if self.log.exists() else "(no broker log)"
