"""Fixtures of the MQTT tests: a real Mosquitto per test and a thread-safe reading collector."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.telemetry.mqtt.mqtt_broker import MosquittoBroker
from twin_app.core.readings import Reading
from twin_app.telemetry.mqtt import Rejection


class Collector:
    """Collects what a feed hands over; ``wait_for`` polls a condition with a deadline."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.readings: list[Reading] = []
        self.rejections: list[Rejection] = []
        self.calls = 0

    def on_readings(self, readings: list[Reading]) -> None:
        with self.lock:
            self.readings.extend(readings)
            self.calls += 1

    def on_rejected(self, rejection: Rejection) -> None:
        with self.lock:
            self.rejections.append(rejection)

    def keys(self) -> set[tuple[str, str]]:
        with self.lock:
            return {(r.sensor_id, r.time.isoformat()) for r in self.readings}

    def wait_for(self, condition: Callable[[], bool], timeout: float = 20.0) -> bool:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if condition():
                return True
            time.sleep(0.02)
        return condition()


@pytest.fixture
def broker(tmp_path: Path) -> Iterator[MosquittoBroker]:
    server = MosquittoBroker(tmp_path / "broker").start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def collector() -> Collector:
    return Collector()
