"""Two clients of a command centre against one store (PostgreSQL) and one broker (Mosquitto).

A real Mosquitto and a real PostgreSQL run on loopback (the telemetry tests' fixtures).  The
centre's ingest service (``serve_scene``, what ``twin-app telemetry serve`` runs) takes readings
from the broker, judges them and records alarms in the store.  Two clients (say the wall and a
workstation) follow the store: both list the same alarm; one acknowledges it, the other then
sees it acknowledged by that operator and cannot acknowledge it a second time; the store holds
one acknowledgement, and the service's own engine knows it too (when the level falls back the
alarm returns to normal, not to "returned, unacknowledged").
"""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime

import pytest

from tests.telemetry.mqtt.mqtt_broker import MosquittoBroker
from tests.telemetry.store.conftest import new_postgres_url, postgres_server  # noqa: F401
from twin_app.core.readings import Reading
from twin_app.core.scene_loader import load_scene
from twin_app.telemetry.alarms import AlarmState
from twin_app.telemetry.centre import SharedAlarms
from twin_app.telemetry.mqtt.publisher import publish_readings
from twin_app.telemetry.service import ServeOptions, serve_scene
from twin_app.telemetry.store import SensorCatalog, open_store

KEY = "HPK-WL-01/warning"


def wait_for(condition: Callable[[], bool], timeout: float = 20.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.1)
    return condition()


@pytest.fixture
def broker(tmp_path):
    server = MosquittoBroker(tmp_path / "broker").start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def service(broker, new_postgres_url):  # noqa: F811
    """The centre's ingest service in a thread; yields (store URL, broker URL, session box)."""
    document = load_scene("huangpu")
    loop = asyncio.new_event_loop()
    stop = asyncio.Event()
    box: dict[str, object] = {}

    def main() -> None:
        asyncio.set_event_loop(loop)
        box["session"] = loop.run_until_complete(serve_scene(
            document, ServeOptions(store_url=new_postgres_url, mqtt_url=broker.url), stop))

    thread = threading.Thread(target=main, daemon=True)
    thread.start()
    try:
        yield new_postgres_url, broker.url, box
    finally:
        loop.call_soon_threadsafe(stop.set)
        thread.join(20)


def test_two_clients_see_the_same_alarms_and_acknowledge_once(service):
    store_url, broker_url, _ = service
    document = load_scene("huangpu")
    catalog = SensorCatalog.from_scene(document.spec)
    with open_store(store_url, catalog=catalog) as wall_store, \
            open_store(store_url, catalog=catalog) as desk_store:
        wall = SharedAlarms(document.spec, wall_store, user="wall")
        desk = SharedAlarms(document.spec, desk_store, user="duty-officer")
        time.sleep(1.5)  # let the service subscribe
        now = datetime.now(UTC)
        publish_readings(broker_url, "huangpu", [Reading("HPK-WL-01", now, 4.80, "m")])
        for client in (wall, desk):
            assert wait_for(lambda c=client: (c.refresh() or True)
                            and c.state(KEY) is AlarmState.UNACKNOWLEDGED), client.user
        assert [s.key for s in wall.active()] == [s.key for s in desk.active()]
        assert KEY in [s.key for s in wall.active()]

        event = desk.acknowledge(KEY, "seen on the desk")
        assert event is not None and event.user == "duty-officer"
        assert wait_for(lambda: (wall.refresh() or True)
                        and wall.state(KEY) is AlarmState.ACKNOWLEDGED)
        assert wall.acknowledge(KEY) is None  # once for all: nothing left to acknowledge
        acks = [e for e in wall_store.alarms.history(sensor_id="HPK-WL-01", alarm_id="warning")
                if e.to_state == AlarmState.ACKNOWLEDGED.value]
        assert [(e.user, e.comment) for e in acks] == [("duty-officer", "seen on the desk")]

        # the service took the acknowledgement too: back below warning means normal
        time.sleep(1.5)
        publish_readings(broker_url, "huangpu",
                         [Reading("HPK-WL-01", datetime.now(UTC), 3.20, "m")])
        for client in (wall, desk):
            assert wait_for(lambda c=client: (c.refresh() or True)
                            and c.state(KEY) is AlarmState.NORMAL), client.user
        states = [e.to_state for e in
                  wall_store.alarms.history(sensor_id="HPK-WL-01", alarm_id="warning")]
        assert AlarmState.RTN_UNACKNOWLEDGED.value not in states
