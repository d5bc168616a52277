"""Persistent sessions: a feed that was away gets what was published meanwhile."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from tests.telemetry.mqtt.conftest import Collector
from tests.telemetry.mqtt.mqtt_broker import MosquittoBroker
from twin_app.core.readings import Reading
from twin_app.telemetry.mqtt import BackoffPolicy, MqttFeed, MqttPublisher

FAST = BackoffPolicy(0.1, 1.0)
T0 = datetime(2024, 9, 16, tzinfo=UTC)


def _readings(count: int) -> list[Reading]:
    return [Reading("XCS-WL-01", T0 + timedelta(seconds=i), 2.0 + i * 1e-4, "m", source="mqtt")
            for i in range(count)]


def _subscribe_once(broker: MosquittoBroker, client_id: str, *, persistent: bool) -> None:
    feed = MqttFeed(broker.url, "xinchuansha", lambda _: None, client_id=client_id,
                    persistent=persistent, backoff=FAST)
    feed.start()
    assert feed.wait_subscribed(10)
    feed.stop()


def _publish(broker: MosquittoBroker, readings: list[Reading]) -> None:
    with MqttPublisher(broker.url, "xinchuansha", client_id="session-pub", backoff=FAST) as pub:
        for reading in readings:
            pub.publish(reading)
        pub.publish_batch(readings[:10])


def _collect_after_return(broker: MosquittoBroker, client_id: str, *, persistent: bool,
                          expected: int) -> Collector:
    collector = Collector()
    feed = MqttFeed(broker.url, "xinchuansha", collector.on_readings, client_id=client_id,
                    persistent=persistent, backoff=FAST)
    feed.start()
    try:
        assert feed.wait_subscribed(10)
        collector.wait_for(lambda: len(collector.readings) >= expected, timeout=10 if expected
                           else 1)
    finally:
        feed.stop()
    return collector


def test_a_feed_that_was_offline_gets_what_was_published_meanwhile(
        broker: MosquittoBroker) -> None:
    _subscribe_once(broker, "session-feed", persistent=True)
    published = _readings(2000)
    _publish(broker, published)
    collector = _collect_after_return(broker, "session-feed", persistent=True, expected=2010)
    assert collector.readings[:2000] == published
    assert collector.readings[2000:] == published[:10]


def test_the_session_survives_a_broker_restart(broker: MosquittoBroker) -> None:
    _subscribe_once(broker, "restart-feed", persistent=True)
    published = _readings(300)
    _publish(broker, published)
    broker.restart()
    collector = _collect_after_return(broker, "restart-feed", persistent=True, expected=310)
    assert collector.keys() == {(r.sensor_id, r.time.isoformat()) for r in published}


def test_without_a_persistent_session_nothing_is_kept(broker: MosquittoBroker) -> None:
    """The control case: it shows the test above can fail."""
    _subscribe_once(broker, "clean-feed", persistent=False)
    _publish(broker, _readings(50))
    collector = _collect_after_return(broker, "clean-feed", persistent=False, expected=0)
    assert collector.readings == []
