"""The topic layout and payload codec, without a broker."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta, timezone

import pytest

from twin_app.core.readings import Quality, Reading
from twin_app.telemetry.mqtt import (
    BackoffPolicy,
    BrokerSettings,
    MqttUrlError,
    RejectReason,
    TopicLayout,
    decode_message,
    encode_batch,
    encode_reading,
)

LAYOUT = TopicLayout("xinchuansha")
TOPIC = "twin/xinchuansha/XCS-WL-01/reading"
SHANGHAI = timezone(timedelta(hours=8))


def test_topics_of_a_scene() -> None:
    assert LAYOUT.reading_topic("XCS-WL-01") == TOPIC
    assert LAYOUT.batch_topic == "twin/xinchuansha/batch"
    assert LAYOUT.subscriptions == ("twin/xinchuansha/+/reading", "twin/xinchuansha/batch")
    assert LAYOUT.sensor_of(TOPIC) == "XCS-WL-01"
    assert LAYOUT.sensor_of("twin/xinchuansha/batch") is None
    for wrong in ("twin/huangpu/XCS-WL-01/reading", "twin/xinchuansha/XCS-WL-01",
                  "twin/xinchuansha/XCS-WL-01/state", "site/xinchuansha/XCS-WL-01/reading"):
        with pytest.raises(ValueError, match="is not twin/xinchuansha"):
            LAYOUT.sensor_of(wrong)
    with pytest.raises(ValueError, match="cannot be a topic level"):
        TopicLayout("bad/scene")
    with pytest.raises(ValueError, match="cannot be a topic level"):
        LAYOUT.reading_topic("WL+01")


def test_single_and_batch_payloads_round_trip() -> None:
    time = datetime(2024, 9, 16, 7, 5, tzinfo=SHANGHAI)
    reading = Reading("XCS-WL-01", time, 5.21, "m", Quality.SUSPECT, "mqtt")
    assert json.loads(encode_reading(reading)) == {
        "t": "2024-09-16T07:05:00+08:00", "v": 5.21, "q": 1, "u": "m"}
    decoded = decode_message(LAYOUT, TOPIC, encode_reading(reading))
    assert decoded.rejections == []
    assert decoded.readings == [reading]
    assert decoded.readings[0].time.utcoffset() == timedelta(hours=8)

    batch = [Reading(f"XCS-PS-0{i}", time + timedelta(minutes=i), float(i % 2), "1", source="mqtt")
             for i in range(1, 6)]
    decoded = decode_message(LAYOUT, LAYOUT.batch_topic, encode_batch(batch))
    assert decoded.readings == batch


def test_quality_names_and_default() -> None:
    payload = b'{"t": "2024-09-16T00:00:00Z", "v": 1, "u": "m", "q": "Bad"}'
    assert decode_message(LAYOUT, TOPIC, payload).readings[0].quality is Quality.BAD
    payload = b'{"t": "2024-09-16T00:00:00Z", "v": 1, "u": "m"}'
    reading = decode_message(LAYOUT, TOPIC, payload).readings[0]
    assert reading.quality is Quality.GOOD
    assert reading.time == datetime(2024, 9, 16, tzinfo=UTC)


@pytest.mark.parametrize(("payload", "reason"), [
    (b"\xff\xfe not utf-8", RejectReason.NOT_JSON),
    (b'{"t": ', RejectReason.NOT_JSON),
    (b"[1, 2]", RejectReason.BAD_STRUCTURE),
    (b'{"v": 1, "u": "m"}', RejectReason.MISSING_FIELD),
    (b'{"t": "2024-09-16T00:00:00Z", "u": "m"}', RejectReason.MISSING_FIELD),
    (b'{"t": "2024-09-16T00:00:00Z", "v": 1}', RejectReason.MISSING_FIELD),
    (b'{"t": "yesterday", "v": 1, "u": "m"}', RejectReason.BAD_TIME),
    (b'{"t": 1726444800, "v": 1, "u": "m"}', RejectReason.BAD_TIME),
    (b'{"t": "2024-09-16T00:00:00", "v": 1, "u": "m"}', RejectReason.TIME_WITHOUT_ZONE),
    (b'{"t": "2024-09-16T00:00:00Z", "v": "5.2", "u": "m"}', RejectReason.BAD_VALUE),
    (b'{"t": "2024-09-16T00:00:00Z", "v": NaN, "u": "m"}', RejectReason.BAD_VALUE),
    (b'{"t": "2024-09-16T00:00:00Z", "v": true, "u": "m"}', RejectReason.BAD_VALUE),
    (b'{"t": "2024-09-16T00:00:00Z", "v": 1e999, "u": "m"}', RejectReason.BAD_VALUE),
    (b'{"t": "2024-09-16T00:00:00Z", "v": null, "u": "m"}', RejectReason.BAD_VALUE),
    (b'{"t": "2024-09-16T00:00:00Z", "v": 1, "u": "m", "q": 7}', RejectReason.BAD_QUALITY),
    (b'{"t": "2024-09-16T00:00:00Z", "v": 1, "u": "m", "q": "great"}',
     RejectReason.BAD_QUALITY),
    (b'{"t": "2024-09-16T00:00:00Z", "v": 1, "u": ""}', RejectReason.BAD_UNIT),
    (b'{"t": "2024-09-16T00:00:00Z", "v": 1, "u": 3}', RejectReason.BAD_UNIT),
])
def test_malformed_single_payloads_are_rejected_with_a_reason(payload: bytes,
                                                              reason: RejectReason) -> None:
    result = decode_message(LAYOUT, TOPIC, payload)
    assert result.readings == []
    assert [r.reason for r in result.rejections] == [reason]
    rejection = result.rejections[0]
    assert rejection.payload == payload
    assert rejection.topic == TOPIC
    assert rejection.index is None
    assert rejection.detail


def test_large_payloads_and_foreign_topics_are_rejected() -> None:
    result = decode_message(LAYOUT, TOPIC, b" " * 1_000_001)
    assert [r.reason for r in result.rejections] == [RejectReason.TOO_LARGE]
    result = decode_message(LAYOUT, "twin/huangpu/batch", b"{}")
    assert [r.reason for r in result.rejections] == [RejectReason.UNEXPECTED_TOPIC]


def test_a_bad_batch_entry_does_not_stop_the_others() -> None:
    good = {"s": "XCS-WL-01", "t": "2024-09-16T00:00:00Z", "v": 1.5, "u": "m"}
    payload = json.dumps({"readings": [
        good, {"s": "XCS WL", "t": good["t"], "v": 1, "u": "m"}, {"t": good["t"], "v": 1, "u": "m"},
        "not an object", {**good, "v": "high"}, {**good, "s": "XCS-WL-02"},
    ]}).encode()
    result = decode_message(LAYOUT, LAYOUT.batch_topic, payload)
    assert [(r.sensor_id, r.value) for r in result.readings] == [("XCS-WL-01", 1.5),
                                                                 ("XCS-WL-02", 1.5)]
    assert [(r.index, r.reason) for r in result.rejections] == [
        (1, RejectReason.BAD_SENSOR_ID), (2, RejectReason.BAD_SENSOR_ID),
        (3, RejectReason.BAD_STRUCTURE), (4, RejectReason.BAD_VALUE)]
    for empty in (b'{"readings": []}', b'{"data": []}', b"[]"):
        result = decode_message(LAYOUT, LAYOUT.batch_topic, empty)
        assert [r.reason for r in result.rejections] == [RejectReason.BAD_STRUCTURE]


def test_scene_sensor_check() -> None:
    units = {"XCS-WL-01": "m"}
    ok = b'{"t": "2024-09-16T00:00:00Z", "v": 1, "u": "m"}'
    assert decode_message(LAYOUT, TOPIC, ok, sensor_units=units).readings
    wrong_unit = b'{"t": "2024-09-16T00:00:00Z", "v": 1, "u": "cm"}'
    result = decode_message(LAYOUT, TOPIC, wrong_unit, sensor_units=units)
    assert [r.reason for r in result.rejections] == [RejectReason.UNIT_MISMATCH]
    result = decode_message(LAYOUT, "twin/xinchuansha/XCS-WL-09/reading", ok, sensor_units=units)
    assert [r.reason for r in result.rejections] == [RejectReason.UNKNOWN_SENSOR]


def test_broker_urls() -> None:
    plain = BrokerSettings.from_url("mqtt://ops:s%40cret@broker.example:1884")
    assert (plain.host, plain.port, plain.username, plain.password, plain.tls) == (
        "broker.example", 1884, "ops", "s@cret", None)
    assert plain.describe() == "mqtt://ops@broker.example:1884"
    secure = BrokerSettings.from_url("mqtts://broker.example", username="u", password="p")
    assert (secure.port, secure.username, secure.tls is not None) == (8883, "u", True)
    for bad, problem in (("http://x", "scheme"), ("mqtt://", "no host"),
                         ("mqtt://x:99999", "port")):
        with pytest.raises(MqttUrlError, match=problem):
            BrokerSettings.from_url(bad)


def test_backoff_doubles_up_to_the_maximum() -> None:
    assert BackoffPolicy(0.5, 4.0).delays(6) == [0.5, 1.0, 2.0, 4.0, 4.0, 4.0]
    assert BackoffPolicy(1.0, 30.0).delays(1000)[-1] == 30.0
    with pytest.raises(ValueError, match="back-off"):
        BackoffPolicy(5.0, 1.0)
