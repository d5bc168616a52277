"""Fixtures of the replay tests: a fake clock, the event builder module, the shipped scenes."""

from __future__ import annotations

import importlib.util
import sys
import threading
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta
from pathlib import Path
from types import ModuleType

import pytest

from tests.telemetry.mqtt.mqtt_broker import MosquittoBroker

REPO = Path(__file__).resolve().parents[3]


class FakeClock:
    """A clock that jumps instead of sleeping; ``on_wait`` lets a test act at a fake time."""

    def __init__(self, start: datetime) -> None:
        self.time = start
        self.waits = 0
        self.on_wait: Callable[[FakeClock], None] | None = None
        self.lock = threading.Lock()

    def now(self) -> datetime:
        with self.lock:
            return self.time

    def wait(self, seconds: float, interrupt: threading.Event) -> None:
        if interrupt.is_set():
            return
        self.advance(seconds)

    def advance(self, seconds: float) -> None:
        with self.lock:
            self.time += timedelta(seconds=seconds)
            self.waits += 1
        if self.on_wait is not None:
            self.on_wait(self)


@pytest.fixture(scope="session")
def make_events() -> ModuleType:
    """scenes/make_events.py, imported from its file."""
    path = REPO / "scenes" / "make_events.py"
    spec = importlib.util.spec_from_file_location("make_events", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["make_events"] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def broker(tmp_path: Path) -> Iterator[MosquittoBroker]:
    server = MosquittoBroker(tmp_path / "broker").start()
    try:
        yield server
    finally:
        server.stop()
