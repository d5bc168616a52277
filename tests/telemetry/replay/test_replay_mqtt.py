"""A replay published to a real Mosquitto arrives through MqttFeed, complete and in scene units."""

from __future__ import annotations

import threading
import time
from datetime import UTC, datetime

from tests.telemetry.mqtt.mqtt_broker import MosquittoBroker
from tests.telemetry.replay.conftest import FakeClock
from twin_app.core.readings import Reading
from twin_app.core.scene_loader import load_scene
from twin_app.telemetry.mqtt import BackoffPolicy, MqttFeed
from twin_app.telemetry.replay import EventReplay, publish_replay

START = datetime(2026, 5, 1, 9, 0, tzinfo=UTC)


def test_a_replay_published_to_the_broker_arrives_via_the_feed(broker: MosquittoBroker) -> None:
    document = load_scene("huangpu")
    units = {sensor.id: sensor.unit for sensor in document.spec.sensors}
    received: list[Reading] = []
    lock = threading.Lock()

    def collect(readings: list[Reading]) -> None:
        with lock:
            received.extend(readings)

    feed = MqttFeed(broker.url, "huangpu", collect, client_id="replay-feed",
                    sensor_units=units, backoff=BackoffPolicy(0.1, 1.0))
    feed.start()
    try:
        assert feed.wait_subscribed(10)
        result = publish_replay(document, "typhoon", 3600, broker.url,
                                clock=FakeClock(START), client_id="replay-pub")
        expected = list(EventReplay(document, "typhoon", 3600, START))
        deadline = time.monotonic() + 30
        while len(received) < len(expected) and time.monotonic() < deadline:
            time.sleep(0.05)
    finally:
        feed.stop()
    assert result.readings == len(expected) == 865 * len(units)
    assert result.batches == 865
    stats = feed.stats()
    assert stats.readings_rejected == 0, stats.rejected_by_reason
    assert stats.messages_ok == 865
    assert [(r.sensor_id, r.utc, r.value, r.unit) for r in received] == [
        (r.sensor_id, r.utc, r.value, r.unit) for r in expected]
    assert received[0].utc == START
    assert {r.source for r in received} == {"mqtt"}
