"""Headless ingest: the scene's feeds into the durable store, with alarms (``telemetry serve``).

One :class:`~twin_app.telemetry.session.MonitoringSession` with a store receives readings from an
MQTT broker and from SL 651 stations.  An MQTT message is acknowledged to the broker only after
its readings are committed, so a crash or an outage loses nothing the broker delivered.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from twin_app.core.clock import AppClock
from twin_app.core.errors import InputError
from twin_app.core.live import LiveValues
from twin_app.core.scene_loader import SceneDocument
from twin_app.telemetry.centre import AlarmSync
from twin_app.telemetry.session import MonitoringSession
from twin_app.telemetry.store import SensorCatalog, open_store

if TYPE_CHECKING:
    from twin_app.telemetry.mqtt import MqttFeed
    from twin_app.telemetry.sl651.server import Sl651Server

logger = logging.getLogger(__name__)

STATIONS_FILE = Path("telemetry") / "sl651_stations.toml"
"""Where a scene keeps its SL 651 station table, relative to the scene folder."""
TICK_S = 1.0
STATS_EVERY_S = 60.0


@dataclass(frozen=True)
class ServeOptions:
    """What ``telemetry serve`` listens to and where it stores."""

    store_url: str | None = None
    mqtt_url: str | None = None
    sl651: tuple[str, int] | None = None
    stations: Path | None = None


def parse_host_port(text: str) -> tuple[str, int]:
    """Return ``("0.0.0.0", 5005)`` for ``"0.0.0.0:5005"``.

    Raises
    ------
    InputError
        If the text is not HOST:PORT with a port from 1 to 65535.
    """
    host, _, port = text.rpartition(":")
    if not host or not port.isdigit() or not 0 < int(port) < 65536:
        raise InputError(f"{text!r} is not HOST:PORT", hint="e.g. 0.0.0.0:5005")
    return host, int(port)


async def serve_scene(document: SceneDocument, options: ServeOptions,
                      stop: asyncio.Event | None = None) -> MonitoringSession:
    """Ingest the scene's feeds until ``stop`` is set (or the task is cancelled).

    Returns
    -------
    MonitoringSession
        The session, for its statistics (its store is closed).
    """
    spec = document.spec
    if options.mqtt_url is None and options.sl651 is None:
        raise InputError("nothing to listen to", hint="give --mqtt URL and/or --sl651 HOST:PORT")
    store = open_store(options.store_url, catalog=SensorCatalog.from_scene(spec))
    clock = AppClock()
    session = MonitoringSession(spec, LiveValues([s.id for s in spec.sensors]), clock, store)
    sync = AlarmSync(session.engine, store.alarms)  # acknowledgements made on the clients
    stop = stop or asyncio.Event()
    feed = server = None
    try:
        if options.mqtt_url is not None:
            feed = _start_mqtt(document, options.mqtt_url, session)
        if options.sl651 is not None:
            server = await _start_sl651(document, options, session)
        await _run_until(stop, session, feed, server, sync)
    finally:
        if feed is not None:
            feed.stop()
        if server is not None:
            await server.close()
        store.close()
    return session


def _start_mqtt(document: SceneDocument, url: str, session: MonitoringSession) -> MqttFeed:
    from twin_app.telemetry.mqtt import MqttFeed

    units = {sensor.id: sensor.unit for sensor in document.spec.sensors}
    feed = MqttFeed(url, document.spec.id, session.ingest, sensor_units=units,
                    client_id=f"twin-serve-{document.spec.id}")
    logger.info("listening to MQTT at %s", url)
    return feed.start()


async def _start_sl651(document: SceneDocument, options: ServeOptions,
                       session: MonitoringSession) -> Sl651Server:
    from twin_app.telemetry.sl651.mapping import load_mapping
    from twin_app.telemetry.sl651.server import Sl651Server

    table_path = options.stations or document.folder / STATIONS_FILE
    if not table_path.is_file():
        raise InputError(f"no SL 651 station table at {table_path}",
                         hint="write one (see README) or give --stations FILE")
    table = load_mapping(table_path)
    server = Sl651Server(table, session.ingest)
    host, port = options.sl651
    await server.start(host, port)
    logger.info("SL 651 server listening on %s:%d (%d stations)", host, port,
                len(table.stations))
    return server


async def _run_until(stop: asyncio.Event, session: MonitoringSession, feed: MqttFeed | None,
                     server: Sl651Server | None, sync: AlarmSync | None = None) -> None:
    elapsed = 0.0
    while not stop.is_set():
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), timeout=TICK_S)
        session.clock.tick(TICK_S)
        session.advance()
        if sync is not None:
            sync.pull()
        elapsed += TICK_S
        if elapsed >= STATS_EVERY_S:
            elapsed = 0.0
            _log_stats(session, feed, server)


def _log_stats(session: MonitoringSession, feed: MqttFeed | None,
               server: Sl651Server | None) -> None:
    parts = [f"{session.store.count()} readings stored",
             f"{len(session.engine.active())} alarms listed"]
    if feed is not None:
        parts.append(f"mqtt {feed.stats()}")
    if server is not None:
        parts.append(f"sl651 stations known: {len(server.snapshot().get('stations', {}))}")
    logger.info("; ".join(parts))
