"""A throwaway local PostgreSQL server, for tests, benchmarks and trying the shared store.

It runs the server binaries of a Debian-style install (``/usr/lib/postgresql/<N>/bin``) in a
temporary folder, on a free loopback port, with ``trust`` authentication, and deletes everything on
:meth:`LocalPostgres.stop`.  PostgreSQL refuses to run as root, so as root it runs the server as
the ``postgres`` user through ``runuser``.  Never use it for real data.
"""

from __future__ import annotations

import contextlib
import getpass
import logging
import os
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path
from types import TracebackType
from typing import Self

from twin_app.telemetry.store.errors import StoreUnavailableError

log = logging.getLogger(__name__)

INSTALL_HINT = ("install PostgreSQL's server binaries (Debian: apt-get install -y postgresql, "
                "which tools/install-system-deps.sh does), or set TWIN_APP_PG_BIN to the folder "
                "holding initdb and pg_ctl")


def find_server_binaries(preferred_major: int = 15) -> Path:
    """Return the folder holding ``initdb`` and ``pg_ctl``.

    Looks at ``$TWIN_APP_PG_BIN``, then ``/usr/lib/postgresql/<N>/bin`` (``preferred_major``
    first, then the newest), then ``PATH``.

    Parameters
    ----------
    preferred_major : int
        The major version to use when several are installed.

    Returns
    -------
    Path
        The binaries' folder.

    Raises
    ------
    StoreUnavailableError
        If no PostgreSQL server binaries are installed.
    """
    candidates = []
    if os.environ.get("TWIN_APP_PG_BIN"):
        candidates.append(Path(os.environ["TWIN_APP_PG_BIN"]))
    def rank(folder: Path) -> tuple[bool, int]:
        major = folder.parent.name
        return (major != str(preferred_major), -int(major) if major.isdigit() else 0)

    candidates += sorted(Path("/usr/lib/postgresql").glob("*/bin"), key=rank)
    on_path = shutil.which("initdb")
    if on_path:
        candidates.append(Path(on_path).parent)
    for folder in candidates:
        if (folder / "initdb").exists() and (folder / "pg_ctl").exists():
            return folder
    raise StoreUnavailableError("no PostgreSQL server binaries (initdb, pg_ctl) found",
                                hint=INSTALL_HINT)


def free_port() -> int:
    """Return a TCP port on 127.0.0.1 that is free right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class LocalPostgres:
    """A PostgreSQL cluster in a temporary folder, serving 127.0.0.1 on a free port.

    Parameters
    ----------
    bin_dir : Path, optional
        The server binaries (found with :func:`find_server_binaries` by default).
    settings : dict of str to str, optional
        Extra server settings (``-c name=value``), e.g. ``{"fsync": "off"}``; the defaults are
        the server's, so commits are durable.
    """

    def __init__(self, bin_dir: Path | None = None, settings: dict[str, str] | None = None
                 ) -> None:
        self.bin_dir = bin_dir or find_server_binaries()
        self.settings = dict(settings or {})
        self.port = 0
        self.folder: Path | None = None
        self._as_postgres = hasattr(os, "geteuid") and os.geteuid() == 0

    @property
    def user(self) -> str:
        """The server's superuser (the OS user that ran ``initdb``)."""
        return "postgres" if self._as_postgres else getpass.getuser()

    def url(self, database: str = "postgres") -> str:
        """Return the URL of a database on this server."""
        return f"postgresql://{self.user}@127.0.0.1:{self.port}/{database}"

    def _run(self, *command: str) -> subprocess.CompletedProcess[str]:
        argv = list(command)
        if self._as_postgres:
            argv = ["runuser", "-u", "postgres", "--", *argv]
        result = subprocess.run(argv, capture_output=True, text=True, check=False, timeout=120)
        if result.returncode != 0:
            raise StoreUnavailableError(
                f"{Path(command[0]).name} failed ({result.returncode}): "
                f"{(result.stderr or result.stdout).strip()[-1500:]}", hint=INSTALL_HINT)
        return result

    def start(self) -> Self:
        """Create the cluster and start the server; return once it accepts connections.

        Returns
        -------
        LocalPostgres
            ``self``.

        Raises
        ------
        StoreUnavailableError
            If ``initdb`` or ``pg_ctl`` fails.
        """
        self.folder = Path(tempfile.mkdtemp(prefix="twin-pg-"))
        if self._as_postgres:
            shutil.chown(self.folder, user="postgres", group="postgres")
        data = self.folder / "data"
        self._run(str(self.bin_dir / "initdb"), "-D", str(data), "-A", "trust", "-E", "UTF8",
                  "--locale=C", "-U", self.user)
        self.port = free_port()
        options = [f"-p {self.port}", f"-k {self.folder}", "-c listen_addresses=127.0.0.1"]
        options += [f"-c {name}={value}" for name, value in self.settings.items()]
        self._run(str(self.bin_dir / "pg_ctl"), "-D", str(data), "-l",
                  str(self.folder / "server.log"), "-o", " ".join(options), "-w", "-t", "60",
                  "start")
        log.info("started a throwaway PostgreSQL at %s", self.url())
        return self

    def create_database(self, name: str) -> str:
        """Create a database and return its URL.

        Parameters
        ----------
        name : str
            A database name (letters, digits, ``_``).

        Returns
        -------
        str
            The database's URL.
        """
        import psycopg

        with psycopg.connect(self.url(), autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        return self.url(name)

    def stop(self) -> None:
        """Stop the server immediately and delete its folder."""
        if self.folder is None:
            return
        data = self.folder / "data"
        with contextlib.suppress(StoreUnavailableError, subprocess.TimeoutExpired):
            self._run(str(self.bin_dir / "pg_ctl"), "-D", str(data), "-m", "immediate", "-w",
                      "stop")
        shutil.rmtree(self.folder, ignore_errors=True)
        self.folder = None

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 traceback: TracebackType | None) -> None:
        self.stop()
