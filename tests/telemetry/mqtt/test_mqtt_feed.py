"""MqttFeed against a real Mosquitto: round trip, rejections, acknowledgement after the callback."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta, timezone

from tests.telemetry.mqtt.conftest import Collector
from tests.telemetry.mqtt.mqtt_broker import MosquittoBroker
from twin_app.core.readings import Quality, Reading
from twin_app.telemetry.mqtt import BackoffPolicy, MqttFeed, MqttPublisher, RejectReason

FAST = BackoffPolicy(0.1, 1.0)
T0 = datetime(2024, 9, 16, 6, 0, tzinfo=timezone(timedelta(hours=8)))


def _feed(broker: MosquittoBroker, collector: Collector, client_id: str = "test-feed",
          **options: object) -> MqttFeed:
    feed = MqttFeed(broker.url, "huangpu", collector.on_readings, client_id=client_id,
                    on_rejected=collector.on_rejected, backoff=FAST, **options)
    feed.start()
    assert feed.wait_subscribed(10), feed.stats()
    return feed


def test_readings_round_trip_single_and_batch(broker: MosquittoBroker,
                                              collector: Collector) -> None:
    feed = _feed(broker, collector)
    singles = [Reading("HPK-WL-01", T0 + timedelta(minutes=5 * i), 3.1 + 0.01 * i, "m",
                       Quality(i % 4), "mqtt") for i in range(20)]
    batch = [Reading(f"HPK-SM-0{i}", T0, 12.5 + i, "mm", source="mqtt") for i in range(1, 5)]
    try:
        with MqttPublisher(broker.url, "huangpu", client_id="test-pub", backoff=FAST) as pub:
            for reading in singles:
                pub.publish(reading)
            pub.publish_batch(batch)
            pub.publish_batch(singles, batch_size=7)  # 3 more messages, duplicates on purpose
        assert collector.wait_for(lambda: len(collector.readings) == 44)
    finally:
        feed.stop()
    assert collector.readings[:20] == singles
    assert collector.readings[20:24] == batch
    assert collector.readings[24:] == singles
    stats = feed.stats()
    assert (stats.messages_ok, stats.readings_ok, stats.messages_rejected) == (24, 44, 0)
    assert stats.last_message_at is not None
    assert stats.last_message_at.tzinfo is UTC
    assert stats.rejected_by_reason == {}


def test_malformed_payloads_are_counted_and_handed_over(broker: MosquittoBroker,
                                                        collector: Collector) -> None:
    feed = _feed(broker, collector, sensor_units={"HPK-WL-01": "m", "HPK-RG-01": "mm/h"})
    topic = "twin/huangpu/HPK-WL-01/reading"
    good = {"t": "2024-09-16T06:00:00+08:00", "v": 4.6, "u": "m"}
    sent = [
        (topic, b"not json at all"),
        (topic, json.dumps({**good, "t": "16/09/2024 06:00"}).encode()),
        (topic, json.dumps({**good, "v": "4.6"}).encode()),
        (topic, json.dumps({**good, "u": "cm"}).encode()),
        ("twin/huangpu/NOPE-01/reading", json.dumps(good).encode()),
        ("twin/huangpu/batch", json.dumps({"readings": [
            {**good, "s": "HPK-RG-01", "u": "mm/h", "v": 12.0},
            {**good, "s": "HPK-RG-01", "q": "excellent"}]}).encode()),
        (topic, json.dumps(good).encode()),
    ]
    try:
        with MqttPublisher(broker.url, "huangpu", client_id="test-pub-bad", backoff=FAST) as pub:
            for topic_name, payload in sent:
                pub.publish_raw(topic_name, payload)
        assert collector.wait_for(lambda: feed.stats().messages_ok
                                  + feed.stats().messages_rejected == len(sent))
    finally:
        feed.stop()
    assert [(r.sensor_id, r.value) for r in collector.readings] == [("HPK-RG-01", 12.0),
                                                                   ("HPK-WL-01", 4.6)]
    reasons = [r.reason for r in collector.rejections]
    assert reasons == [RejectReason.NOT_JSON, RejectReason.BAD_TIME, RejectReason.BAD_VALUE,
                       RejectReason.UNIT_MISMATCH, RejectReason.UNKNOWN_SENSOR,
                       RejectReason.BAD_QUALITY]
    assert collector.rejections[0].payload == b"not json at all"
    assert collector.rejections[4].topic == "twin/huangpu/NOPE-01/reading"
    assert collector.rejections[5].index == 1
    stats = feed.stats()
    assert (stats.messages_ok, stats.messages_rejected) == (1, 6)
    assert (stats.readings_ok, stats.readings_rejected) == (2, 6)
    assert stats.rejected_by_reason == {reason.value: 1 for reason in reasons}
    assert stats.callback_errors == 0


def test_a_message_is_acknowledged_only_after_the_callback_returned(
        broker: MosquittoBroker, collector: Collector) -> None:
    """A consumer that fails leaves the message with the broker, which delivers it again."""
    failures: list[int] = []

    def failing_store(readings: list[Reading]) -> None:
        failures.append(len(readings))
        raise OSError("disk full")

    failing = MqttFeed(broker.url, "huangpu", failing_store, client_id="ack-feed", backoff=FAST)
    failing.start()
    assert failing.wait_subscribed(10)
    reading = Reading("HPK-WL-01", T0, 4.71, "m", source="mqtt")
    with MqttPublisher(broker.url, "huangpu", client_id="ack-pub", backoff=FAST) as pub:
        pub.publish(reading)
    assert collector.wait_for(lambda: failing.stats().callback_errors == 1)
    failing.stop()
    assert failures == [1]
    assert failing.stats().messages_ok == 0

    feed = _feed(broker, collector, client_id="ack-feed")  # same session, working consumer
    try:
        assert collector.wait_for(lambda: len(collector.readings) == 1)
    finally:
        feed.stop()
    assert collector.readings == [reading]


def test_a_burst_of_single_messages_is_delivered_in_few_calls_and_all_acknowledged(
        broker: MosquittoBroker, collector: Collector) -> None:
    feed = _feed(broker, collector, client_id="test-batching", batch_window_s=0.2)
    burst = [Reading("HPK-WL-01", T0 + timedelta(seconds=i), 3.0 + 0.001 * i, "m", source="mqtt")
             for i in range(300)]
    try:
        with MqttPublisher(broker.url, "huangpu", client_id="test-pub-burst",
                           backoff=FAST) as pub:
            for reading in burst:
                pub.publish(reading)
            pub.flush(10)
        assert collector.wait_for(lambda: len(collector.readings) == 300)
    finally:
        feed.stop()
    assert sorted(collector.readings, key=lambda r: r.time) == burst
    assert collector.calls < 30, "each message went through its own callback (no batching)"
    assert feed.stats().messages_ok == 300
    # every message was acknowledged: the persistent session has nothing to redeliver
    again = Collector()
    feed = _feed(broker, again, client_id="test-batching")
    try:
        assert not again.wait_for(lambda: bool(again.readings), timeout=1.5)
    finally:
        feed.stop()
