"""What every store backend does, run against SQLite and a real PostgreSQL server."""

from __future__ import annotations

import logging
import threading
from datetime import UTC, datetime, timedelta, timezone

import numpy as np
import pytest

from tests.telemetry.store.helpers import NOW, T0, fixed_clock
from twin_app.core.readings import Quality, Reading
from twin_app.core.scene import SensorKind
from twin_app.telemetry.store import (
    AlarmEvent,
    QuarantineReason,
    RawReading,
    SensorCatalog,
    SensorLimits,
    StoreClosedError,
    StoreConfigError,
    TelemetryStore,
    open_store,
)
from twin_app.telemetry.store.times import to_us

SHANGHAI = timezone(timedelta(hours=8))


def level(minutes: float, value: float, sensor: str = "WL-1", **kw: object) -> Reading:
    return Reading(sensor, T0 + timedelta(minutes=minutes), value, "m", **kw)  # type: ignore[arg-type]


def test_round_trip_keeps_every_field_and_microsecond(store: TelemetryStore):
    readings = [
        Reading("WL-1", datetime(2024, 9, 16, 8, 0, 0, 123456, tzinfo=SHANGHAI), 4.551, "m",
                Quality.GOOD, "sl651:0012345678"),
        Reading("WL-1", datetime(2024, 9, 16, 0, 5, tzinfo=UTC), -0.25, "m", Quality.SUSPECT,
                "mqtt"),
        Reading("RG-1", T0 + timedelta(hours=1), 12.5, "mm", Quality.GOOD, "replay"),
        Reading("PZ-1", T0 + timedelta(hours=2), 87.0, "kPa", Quality.BAD, "mqtt"),
    ]
    result = store.append(readings)
    assert (result.received, result.stored, result.duplicates, result.rejected) == (4, 4, 0, 0)
    assert store.count() == 4

    series = store.series("WL-1", T0, T0 + timedelta(days=1))
    assert not series.downsampled and series.unit == "m"
    assert series.time_us.tolist() == [to_us(readings[0].time), to_us(readings[1].time)]
    assert series.mean.tolist() == [4.551, -0.25]
    assert series.quality.tolist() == [Quality.GOOD, Quality.SUSPECT]

    latest = store.latest()
    assert latest["WL-1"] == Reading("WL-1", datetime(2024, 9, 16, 0, 5, tzinfo=UTC), -0.25, "m",
                                     Quality.SUSPECT, "mqtt")
    assert latest["PZ-1"].unit == "kPa" and latest["PZ-1"].quality is Quality.BAD
    assert latest["RG-1"].source == "replay"

    info = {sensor.sensor_id: sensor for sensor in store.sensors()}
    assert sorted(info) == ["PZ-1", "RG-1", "WL-1"]
    assert info["WL-1"].first == readings[0].time and info["WL-1"].last == readings[1].time
    assert info["RG-1"].unit == "mm"


def test_data_survives_closing_and_reopening(store_url: str, catalog: SensorCatalog):
    with open_store(store_url, catalog=catalog, clock=fixed_clock) as first:
        first.append([level(i, 1.0 + i / 100) for i in range(50)])
        first.alarms.record(AlarmEvent("WL-1", "warning", T0, "normal", "unacknowledged"))
    with open_store(store_url) as again:  # no catalog: read-only for readings
        assert again.count() == 50
        assert again.latest(["WL-1"])["WL-1"].value == pytest.approx(1.49)
        assert again.alarms.count() == 1


def test_duplicates_are_counted_and_the_first_value_kept(store: TelemetryStore):
    batch = [level(i, 2.0) for i in range(10)]
    assert store.append(batch).stored == 10
    again = store.append([*batch[:5], level(0, 9.0), level(10, 2.0)])
    assert (again.stored, again.duplicates) == (1, 6)
    assert store.count() == 11
    assert store.latest(["WL-1"], at=T0)["WL-1"].value == 2.0


def test_latest_at_a_past_time_and_for_chosen_sensors(store: TelemetryStore):
    store.append([level(i, float(i) / 10) for i in range(10)])
    store.append([level(i, 5.0, sensor="WL-2") for i in range(5, 8)])
    at = T0 + timedelta(minutes=6, seconds=30)
    latest = store.latest(["WL-1", "WL-2", "RG-1"], at=at)
    assert set(latest) == {"WL-1", "WL-2"}
    assert latest["WL-1"].time == T0 + timedelta(minutes=6)
    assert latest["WL-2"].time == T0 + timedelta(minutes=6)
    assert store.latest(["WL-2"], at=T0) == {}


def test_downsampling_keeps_the_minimum_and_maximum_of_every_bucket(store: TelemetryStore):
    rng = np.random.default_rng(7)
    minutes = np.arange(30 * 24 * 60)  # 30 days of one-minute data
    values = 2.5 + 1.5 * np.sin(minutes / 745.0 * 2 * np.pi) + rng.normal(0, 0.05, len(minutes))
    spikes = rng.choice(len(minutes), 40, replace=False)
    values[spikes[:20]] += 6.0  # one-sample spikes a naive decimation would lose
    values[spikes[20:]] -= 6.0
    for chunk in np.array_split(np.arange(len(minutes)), 5):
        assert store.append([level(int(m), float(values[m])) for m in chunk]).rejected == 0

    start, end = T0, T0 + timedelta(days=30)
    series = store.series("WL-1", start, end, max_points=500)
    assert series.downsampled and 0 < len(series) <= 500

    # The same buckets computed from the raw values.
    times = to_us(T0) + minutes.astype(np.int64) * 60_000_000
    index = (times - to_us(start)) // series.bucket_us
    buckets = np.unique(index)
    assert series.time_us.tolist() == (to_us(start) + buckets * series.bucket_us).tolist()
    expected_min = np.array([values[index == b].min() for b in buckets])
    expected_max = np.array([values[index == b].max() for b in buckets])
    expected_mean = np.array([values[index == b].mean() for b in buckets])
    np.testing.assert_array_equal(series.minimum, expected_min)
    np.testing.assert_array_equal(series.maximum, expected_max)
    np.testing.assert_allclose(series.mean, expected_mean, rtol=1e-12)
    assert series.count.sum() == len(minutes)
    assert series.maximum.max() == values.max() and series.minimum.min() == values.min()


def test_a_short_range_comes_back_raw_even_with_max_points(store: TelemetryStore):
    store.append([level(i, 1.0 + i) for i in range(10)])
    series = store.series("WL-1", T0, T0 + timedelta(hours=1), max_points=10)
    assert not series.downsampled and len(series) == 10
    assert store.series("WL-1", T0, T0 + timedelta(hours=1), max_points=9).downsampled
    empty = store.series("RG-1", T0, T0 + timedelta(hours=1), max_points=100)
    assert len(empty) == 0 and empty.unit == "mm"
    with pytest.raises(StoreConfigError, match="max_points=0 asks for no points"):
        store.series("WL-1", T0, T0 + timedelta(hours=1), max_points=0)
    with pytest.raises(StoreConfigError, match="ends before it starts"):
        store.series("WL-1", T0, T0 - timedelta(hours=1))


def test_bad_values_are_quarantined_per_reason_and_never_raise(
    store: TelemetryStore, caplog: pytest.LogCaptureFixture
):
    max_future = NOW + timedelta(minutes=10)
    batch = [
        level(0, 3.0),                                                      # good
        Reading("WL-1", max_future, 3.0, "m"),                              # good: at the limit
        Reading("NOPE-9", T0, 1.0, "m"),                                    # unknown_sensor
        Reading("WL-1", T0 + timedelta(minutes=1), 3.0, "cm"),              # wrong_unit
        level(2, float("inf")),                                             # not_finite
        level(3, 99.0),                                                     # out_of_range
        Reading("RG-1", T0, -1.0, "mm"),                                    # out_of_range
        Reading("WL-1", max_future + timedelta(microseconds=1), 3.0, "m"),  # future_time
        RawReading("WL-1", T0, "ERR", "m", payload='{"v": "ERR"}'),         # not_numeric
        RawReading("WL-1", T0, float("nan"), "m", payload=b"\x7e\x7e\x01"),  # not_finite
        RawReading("WL-1", datetime(2024, 9, 16), 3.0, "m"),                # bad_time (naive)
        RawReading("WL-1", "yesterday", 3.0, "m"),                          # bad_time
        RawReading("WL-1", T0, True, "m"),                                  # not_numeric (bool)
        RawReading("WL-1", T0 + timedelta(minutes=9), 3.0, "m", quality=7),  # bad_quality
        RawReading("WL-1", "2024-09-16T08:30:00+08:00", "3.5", "m", "SUSPECT"),  # good
        {"sensor_id": "WL-1"},                                              # malformed
    ]
    with caplog.at_level(logging.WARNING, logger="twin_app.telemetry.store"):
        result = store.append(batch)  # type: ignore[arg-type]
    expected = {
        QuarantineReason.UNKNOWN_SENSOR: 1, QuarantineReason.WRONG_UNIT: 1,
        QuarantineReason.NOT_FINITE: 2, QuarantineReason.OUT_OF_RANGE: 2,
        QuarantineReason.FUTURE_TIME: 1, QuarantineReason.NOT_NUMERIC: 2,
        QuarantineReason.BAD_TIME: 2, QuarantineReason.BAD_QUALITY: 1,
        QuarantineReason.MALFORMED: 1,
    }
    assert dict(result.quarantined) == expected
    assert result.stored == 3 and result.received == len(batch)
    assert store.count() == 3
    assert store.quarantine_counts() == expected
    assert store.quarantine_counts(since=NOW + timedelta(seconds=1)) == {}
    assert "quarantined 13 of 16 readings" in caplog.text
    assert store.totals["stored"] == 3 and store.totals["out_of_range"] == 2

    records = store.quarantined(limit=100)
    assert len(records) == 13
    by_reason = {}
    for record in records:
        by_reason.setdefault(record.reason, []).append(record)
    hexed = [r for r in by_reason[QuarantineReason.NOT_FINITE] if r.payload_format == "hex"]
    assert hexed[0].payload == "7e7e01"
    text = by_reason[QuarantineReason.NOT_NUMERIC]
    assert any(r.payload == '{"v": "ERR"}' and r.payload_format == "text" for r in text)
    out = store.quarantined(reason=QuarantineReason.OUT_OF_RANGE, sensor_id="RG-1")
    assert len(out) == 1 and "0..500 mm" in out[0].detail and out[0].time == T0
    assert out[0].payload_format == "json" and '"value": -1.0' in out[0].payload
    assert by_reason[QuarantineReason.UNKNOWN_SENSOR][0].sensor_id == "NOPE-9"
    assert "expected 'm'" in by_reason[QuarantineReason.WRONG_UNIT][0].detail
    assert by_reason[QuarantineReason.BAD_TIME][0].time is None
    suspect = store.latest(["WL-1"], at=T0 + timedelta(hours=1))["WL-1"]
    assert suspect.quality is Quality.SUSPECT and suspect.value == 3.5


def test_units_are_carried_and_never_mixed(store: TelemetryStore, catalog: SensorCatalog):
    store.append([Reading("PZ-1", T0 + timedelta(minutes=i), 100.0 + i, "kPa") for i in range(5)])
    # The piezometer is re-commissioned to report head in metres.
    store.catalog = SensorCatalog([*[catalog[s] for s in catalog if s != "PZ-1"],
                                   SensorLimits("PZ-1", SensorKind.PIEZOMETER, "m", -50, 50)])
    result = store.append([
        Reading("PZ-1", T0 + timedelta(minutes=10 + i), 2.0, "m") for i in range(3)
    ] + [Reading("PZ-1", T0 + timedelta(minutes=20), 130.0, "kPa")])
    assert result.stored == 3 and dict(result.quarantined) == {QuarantineReason.WRONG_UNIT: 1}
    metres = store.series("PZ-1", T0, T0 + timedelta(hours=1))
    assert metres.unit == "m" and metres.mean.tolist() == [2.0, 2.0, 2.0]
    kpa = store.series("PZ-1", T0, T0 + timedelta(hours=1), unit="kPa")
    assert kpa.unit == "kPa" and len(kpa) == 5
    assert store.latest(["PZ-1"])["PZ-1"].unit == "m"
    assert {s.sensor_id: s.unit for s in store.sensors()}["PZ-1"] == "m"


def test_count_filters(store: TelemetryStore):
    store.append([level(i, 1.0) for i in range(60)] + [level(i, 1.0, "WL-2") for i in range(5)])
    assert store.count() == 65
    assert store.count("WL-2") == 5
    assert store.count("WL-1", T0 + timedelta(minutes=10), T0 + timedelta(minutes=19)) == 10


def test_two_clients_see_each_others_writes(store_url: str, catalog: SensorCatalog):
    with open_store(store_url, catalog=catalog, clock=fixed_clock) as a, \
            open_store(store_url, catalog=catalog, clock=fixed_clock) as b:
        a.append([level(i, 1.0) for i in range(10)])
        assert b.count() == 10
        b.append([level(i, 2.0, "WL-2") for i in range(3)])
        assert a.latest()["WL-2"].value == 2.0
        a.alarms.record(AlarmEvent("WL-1", "warning", T0, "normal", "unacknowledged",
                                   value=4.6))
        b.alarms.record(AlarmEvent("WL-1", "warning", T0 + timedelta(minutes=1),
                                   "unacknowledged", "acknowledged", user="duty-officer"))
        assert a.alarms.current()[("WL-1", "warning")].user == "duty-officer"
        assert sorted(s.sensor_id for s in a.sensors()) == ["WL-1", "WL-2"]


def test_concurrent_writers_lose_nothing(store_url: str, catalog: SensorCatalog):
    """Two store objects appending overlapping batches from two threads at once."""
    errors: list[BaseException] = []

    def ingest(offset: int) -> None:
        try:
            with open_store(store_url, catalog=catalog, clock=fixed_clock) as client:
                for batch in range(10):
                    client.append([level(offset + batch * 100 + i, 1.0, sensor)
                                   for i in range(100) for sensor in ("WL-1", "WL-2")])
        except BaseException as error:  # noqa: BLE001 - reported by the main thread
            errors.append(error)

    threads = [threading.Thread(target=ingest, args=(offset,)) for offset in (0, 500)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    with open_store(store_url) as check:
        assert check.count("WL-1") == 1500 and check.count("WL-2") == 1500


def test_alarm_history_is_stored_and_queried(store: TelemetryStore):
    events = [
        AlarmEvent("WL-1", "warning", T0, "normal", "unacknowledged", value=4.6,
                   comment="level 4.60 m above 4.55 m"),
        AlarmEvent("WL-1", "warning", T0 + timedelta(minutes=3), "unacknowledged",
                   "acknowledged", user="王工", comment="已通知闸管所"),
        AlarmEvent("WL-1", "rate_of_rise", T0 + timedelta(minutes=4), "normal",
                   "unacknowledged", value=0.31),
        AlarmEvent("RG-1", "stale", T0 + timedelta(minutes=5), "normal", "unacknowledged"),
        AlarmEvent("WL-1", "warning", T0 + timedelta(minutes=40), "acknowledged", "normal",
                   value=4.4),
    ]
    assert store.alarms.record(events[:2]) == 2
    assert store.alarms.record(events[2:]) == 3
    assert store.alarms.count() == 5

    history = store.alarms.history()
    assert [(e.sensor_id, e.alarm_id, e.to_state) for e in history] == [
        (e.sensor_id, e.alarm_id, e.to_state) for e in events]
    assert history[1].user == "王工" and history[1].comment == "已通知闸管所"
    assert history[0].value == 4.6 and history[3].value is None
    assert all(e.event_id is not None for e in history)

    warning = store.alarms.history(sensor_id="WL-1", alarm_id="warning")
    assert [e.to_state for e in warning] == ["unacknowledged", "acknowledged", "normal"]
    window = store.alarms.history(start=T0 + timedelta(minutes=3),
                                  end=T0 + timedelta(minutes=5))
    assert len(window) == 3
    newest = store.alarms.history(limit=2, newest_first=True)
    assert [e.alarm_id for e in newest] == ["warning", "stale"]

    current = store.alarms.current()
    assert {key: e.to_state for key, e in current.items()} == {
        ("WL-1", "warning"): "normal",
        ("WL-1", "rate_of_rise"): "unacknowledged",
        ("RG-1", "stale"): "unacknowledged",
    }
    assert set(store.alarms.current("RG-1")) == {("RG-1", "stale")}


def test_alarm_events_refuse_incomplete_records():
    with pytest.raises(ValueError, match="no time zone"):
        AlarmEvent("WL-1", "warning", datetime(2024, 9, 16), "normal", "unacknowledged")
    with pytest.raises(ValueError, match="alarm_id must be a non-empty text"):
        AlarmEvent("WL-1", "", T0, "normal", "unacknowledged")
    with pytest.raises(ValueError, match="not finite"):
        AlarmEvent("WL-1", "warning", T0, "normal", "unacknowledged", value=float("nan"))


def test_a_store_without_a_catalog_refuses_to_append_but_reads(store_url: str):
    with open_store(store_url) as store:
        with pytest.raises(StoreConfigError, match="without a sensor catalog") as raised:
            store.append([level(0, 1.0)])
        assert "SensorCatalog.from_scene" in str(raised.value)
        assert store.count() == 0 and store.latest() == {}


def test_a_closed_store_says_so(store: TelemetryStore):
    store.close()
    assert store.closed
    with pytest.raises(StoreClosedError, match="is closed"):
        store.count()
    store.close()  # closing twice is harmless
