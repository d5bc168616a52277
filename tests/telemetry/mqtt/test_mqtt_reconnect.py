"""Broker outages: the broker is stopped and restarted while a publisher keeps publishing."""

from __future__ import annotations

import itertools
import logging
import threading
import time
from collections import Counter
from datetime import UTC, datetime, timedelta

import pytest

from tests.telemetry.mqtt.conftest import Collector
from tests.telemetry.mqtt.mqtt_broker import MosquittoBroker
from twin_app.core.readings import Reading
from twin_app.telemetry.mqtt import BackoffPolicy, MqttFeed, MqttPublisher

logger = logging.getLogger(__name__)

FAST = BackoffPolicy(0.1, 1.0)
T0 = datetime(2024, 9, 16, tzinfo=UTC)
SENSORS = ("XCS-WL-01", "XCS-WL-02", "XCS-RG-01")


def _publish_steadily(publisher: MqttPublisher, count: int, published: list[Reading]) -> None:
    for i in range(count):
        reading = Reading(SENSORS[i % 3], T0 + timedelta(seconds=i // 3), 2.0 + i * 1e-4,
                          "mm/h" if i % 3 == 2 else "m", source="mqtt")
        publisher.publish(reading)
        published.append(reading)
        time.sleep(0.002)


def test_every_reading_arrives_across_two_broker_restarts(
        broker: MosquittoBroker, collector: Collector,
        record_property: pytest.RecordProperty) -> None:
    feed = MqttFeed(broker.url, "xinchuansha", collector.on_readings, client_id="outage-feed",
                    backoff=FAST)
    feed.start()
    assert feed.wait_subscribed(10)
    publisher = MqttPublisher(broker.url, "xinchuansha", client_id="outage-pub",
                              persistent=True, backoff=FAST).connect()
    published: list[Reading] = []
    sender = threading.Thread(target=_publish_steadily, args=(publisher, 3000, published))
    started = time.monotonic()
    sender.start()
    try:
        for threshold in (500, 1500):
            assert collector.wait_for(lambda t=threshold: len(collector.readings) >= t)
            broker.stop()
            time.sleep(0.8)  # the publisher goes on publishing into its queue meanwhile
            broker.start()
        sender.join(60)
        publisher.flush(30)
        expected = {(r.sensor_id, r.time.isoformat()) for r in published}
        complete = collector.wait_for(lambda: collector.keys() >= expected, timeout=30)
        elapsed = time.monotonic() - started
    finally:
        publisher.close(flush_timeout=0)
        feed.stop()
    missing = expected - collector.keys()
    duplicates = sum(n - 1 for n in Counter((r.sensor_id, r.time) for r in collector.readings)
                     .values())
    facts = {"published": len(published), "received": len(collector.readings),
             "missing": len(missing), "duplicates": duplicates,
             "feed_reconnects": feed.stats().reconnects,
             "publisher_reconnects": publisher.stats().reconnects,
             "seconds": round(elapsed, 2)}
    for key, value in facts.items():
        record_property(key, value)
    logger.info("broker restart test: %s", facts)
    assert complete, f"{len(missing)} readings never arrived, e.g. {sorted(missing)[:3]}"
    assert not missing
    assert len(published) == 3000
    assert feed.stats().reconnects >= 2
    assert publisher.stats().reconnects >= 2
    assert feed.stats().messages_ok == len(collector.readings)


def test_reconnect_delays_grow_exponentially_while_the_broker_is_away(
        broker: MosquittoBroker, collector: Collector) -> None:
    policy = BackoffPolicy(0.2, 1.6)
    feed = MqttFeed(broker.url, "xinchuansha", collector.on_readings, client_id="backoff-feed",
                    backoff=policy)
    feed.start()
    attempts: list[float] = []
    try:
        assert feed.wait_subscribed(10)
        broker.stop()
        assert collector.wait_for(lambda: not feed.stats().connected, timeout=5)
        lost = time.monotonic()
        seen = 0
        while len(attempts) < 5 and time.monotonic() < lost + 10:
            failures = feed.stats().connect_failures
            attempts.extend([time.monotonic() - lost] * (failures - seen))
            seen = failures
            time.sleep(0.005)
        assert not feed.stats().connected
        broker.start()
        assert feed.wait_subscribed(5)
    finally:
        feed.stop()
    expected = list(itertools.accumulate(policy.delays(5)))  # 0.2, 0.6, 1.4, 3.0, 4.6 s
    assert len(attempts) == 5
    for measured, planned in zip(attempts, expected, strict=True):
        assert planned - 0.05 <= measured <= planned + 0.3, (attempts, expected)
    assert feed.stats().reconnects == 1
    assert "retrying" in (feed.stats().last_error or "")


def test_a_feed_started_before_the_broker_connects_when_it_appears(
        broker: MosquittoBroker, collector: Collector) -> None:
    broker.stop()
    feed = MqttFeed(broker.url, "xinchuansha", collector.on_readings, client_id="early-feed",
                    backoff=FAST)
    feed.start()
    try:
        assert collector.wait_for(lambda: feed.stats().connect_failures >= 2, timeout=5)
        assert not feed.wait_subscribed(0.1)
        broker.start()
        assert feed.wait_subscribed(5)
    finally:
        feed.stop()
    assert feed.stats().reconnects == 0
