"""`twin-app telemetry serve` ingests MQTT and SL 651 into the store; `export` reads it back."""

import os
import signal
import socket
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest

from tests.telemetry.mqtt.mqtt_broker import MosquittoBroker, free_port
from tests.telemetry.sl651.builders import element, report_body, uplink
from twin_app.core.readings import Reading
from twin_app.core.scene_loader import load_scene
from twin_app.telemetry.mqtt import MqttPublisher
from twin_app.telemetry.store import SensorCatalog, open_store

TWIN_APP = str(Path(sys.executable).parent / "twin-app")
NOW = datetime.now(UTC).replace(microsecond=0)


def _count(url: str, sensor: str) -> int:
    spec = load_scene("xinchuansha").spec
    with open_store(url, catalog=SensorCatalog.from_scene(spec)) as store:
        return store.count(sensor)


def _send_sl651(port: int) -> bytes:
    station_clock = timezone(timedelta(hours=8))  # stations keep Beijing time
    observed = (NOW - timedelta(minutes=1)).astimezone(station_clock).replace(tzinfo=None,
                                                                              second=0)
    body = report_body(element(0x39, 4.61, 4, 3), station="0061000001", station_class=0x54,
                       sent=observed, observed=observed)
    frame = uplink(0x32, body, station="0061000001", password=0x03E8)
    with socket.create_connection(("127.0.0.1", port), timeout=5) as connection:
        connection.sendall(frame)
        return connection.recv(64)


def _wait_for_port(port: int, timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise AssertionError(f"nothing listens on {port}")


@pytest.mark.slow
def test_serve_stores_mqtt_and_sl651_readings_then_export(tmp_path):
    broker = MosquittoBroker(tmp_path / "broker").start()
    store_url = f"sqlite:///{tmp_path / 'telemetry.db'}"
    sl651_port = free_port()
    server = subprocess.Popen(
        [TWIN_APP, "-v", "telemetry", "serve", "xinchuansha", "--mqtt", broker.url,
         "--sl651", f"127.0.0.1:{sl651_port}", "--store", store_url],
        stderr=subprocess.PIPE, text=True, env={**os.environ, "PYTHONUNBUFFERED": "1"})
    try:
        _wait_for_port(sl651_port)
        with MqttPublisher(broker.url, "xinchuansha", client_id="test-pub") as publisher:
            for k in range(5):
                publisher.publish(Reading("XCS-WL-02", NOW - timedelta(minutes=5 - k),
                                          2.5 + 0.1 * k, "m"))
            publisher.flush(10)
        ack = _send_sl651(sl651_port)
        assert ack.startswith(bytes.fromhex("7E7E0061000001"))  # the confirm to the station
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline and (
                _count(store_url, "XCS-WL-02") < 5 or _count(store_url, "XCS-WL-01") < 1):
            time.sleep(0.2)
        assert _count(store_url, "XCS-WL-02") == 5
        assert _count(store_url, "XCS-WL-01") == 1
    finally:
        server.send_signal(signal.SIGTERM)
        _, log = server.communicate(timeout=20)
        broker.stop()
    assert server.returncode == 0, log
    out = tmp_path / "wl02.csv"
    start = (NOW - timedelta(hours=1)).isoformat()
    end = (NOW + timedelta(hours=1)).isoformat()
    result = subprocess.run(
        [TWIN_APP, "telemetry", "export", "xinchuansha", "--sensor", "XCS-WL-02", "--from",
         start, "--to", end, "--store", store_url, "--out", str(out)],
        capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    rows = [line for line in out.read_text().splitlines()
            if line and not line.startswith(("#", "sensor_id"))]
    assert len(rows) == 5
    assert rows[-1].split(",")[2].startswith("2.9")
