"""The checks before storing, one reason at a time (no database involved)."""

from __future__ import annotations

import json
from datetime import timedelta
from decimal import Decimal

import numpy as np
import pytest

from tests.telemetry.store.helpers import NOW, T0, fixed_clock, make_catalog
from twin_app.core.readings import Quality, Reading
from twin_app.telemetry.store import QuarantineReason, RawReading
from twin_app.telemetry.store.times import from_us, to_us
from twin_app.telemetry.store.validation import Validator


@pytest.fixture
def validator() -> Validator:
    return Validator(make_catalog(), max_future=timedelta(minutes=5), clock=fixed_clock)


def one(validator: Validator, item: object):
    rows, rejections = validator.split([item])  # type: ignore[list-item]
    assert len(rows) + len(rejections) == 1
    return rows[0] if rows else rejections[0]


@pytest.mark.parametrize(("value", "stored"), [
    (3, 3.0), (np.float64(2.5), 2.5), (np.int32(2), 2.0), (Decimal("1.25"), 1.25),
    ("4.5", 4.5), (" -1e0 ", -1.0),
])
def test_numbers_in_any_form_are_stored_as_floats(validator: Validator, value, stored):
    row = one(validator, RawReading("WL-1", T0, value, "m"))
    assert row == ("WL-1", to_us(T0), stored, "m", 0, "")
    assert type(row[2]) is float


@pytest.mark.parametrize(("item", "reason"), [
    (RawReading("WL-1", T0, None, "m"), QuarantineReason.NOT_NUMERIC),
    (RawReading("WL-1", T0, [1.0], "m"), QuarantineReason.NOT_NUMERIC),
    (RawReading("WL-1", T0, False, "m"), QuarantineReason.NOT_NUMERIC),
    (RawReading("WL-1", T0, "-inf", "m"), QuarantineReason.NOT_FINITE),
    (RawReading("WL-1", T0, 15.000001, "m"), QuarantineReason.OUT_OF_RANGE),
    (RawReading("WL-1", T0, -20.5, "m"), QuarantineReason.OUT_OF_RANGE),
    (RawReading(None, T0, 1.0, "m"), QuarantineReason.UNKNOWN_SENSOR),
    (RawReading(17, T0, 1.0, "m"), QuarantineReason.UNKNOWN_SENSOR),
    (RawReading("WL-1", T0, 1.0, None), QuarantineReason.WRONG_UNIT),
    (RawReading("WL-1", T0.timestamp(), 1.0, "m"), QuarantineReason.BAD_TIME),
    (RawReading("WL-1", "2024-09-16T00:00:00", 1.0, "m"), QuarantineReason.BAD_TIME),
    (RawReading("WL-1", NOW + timedelta(minutes=6), 1.0, "m"), QuarantineReason.FUTURE_TIME),
    (RawReading("WL-1", T0, 1.0, "m", quality="GREAT"), QuarantineReason.BAD_QUALITY),
    (RawReading("WL-1", T0, 1.0, "m", quality=True), QuarantineReason.BAD_QUALITY),
    (Reading("WL-1", T0, 1.0, "m", quality=9), QuarantineReason.BAD_QUALITY),  # type: ignore[arg-type]
    (Reading("WL-1", T0, True, "m"), QuarantineReason.NOT_NUMERIC),
    ("WL-1,3.2", QuarantineReason.MALFORMED),
])
def test_each_bad_item_gets_its_reason(validator: Validator, item, reason):
    rejection = one(validator, item)
    assert rejection.reason is reason
    assert rejection.detail
    json.loads(rejection.payload) if rejection.payload_format == "json" else None


def test_the_first_failed_check_is_the_reason(validator: Validator):
    rejection = one(validator, Reading("XX", NOW + timedelta(days=1), float("inf"), "cm"))
    assert rejection.reason is QuarantineReason.UNKNOWN_SENSOR
    rejection = one(validator, Reading("WL-1", NOW + timedelta(days=1), 99.0, "m"))
    assert rejection.reason is QuarantineReason.FUTURE_TIME
    assert "1440.0 min in the future (limit 5 min)" in rejection.detail
    assert rejection.time_us == to_us(NOW + timedelta(days=1))


def test_the_future_limit_is_inclusive(validator: Validator):
    limit = NOW + timedelta(minutes=5)
    assert one(validator, Reading("WL-1", limit, 1.0, "m"))[1] == to_us(limit)
    late = one(validator, Reading("WL-1", limit + timedelta(microseconds=1), 1.0, "m"))
    assert late.reason is QuarantineReason.FUTURE_TIME


def test_quality_and_source_are_kept(validator: Validator):
    row = one(validator, Reading("RG-1", T0, 0.0, "mm", Quality.MISSING, "sl651:0012345678"))
    assert row == ("RG-1", to_us(T0), 0.0, "mm", 3, "sl651:0012345678")
    row = one(validator, RawReading("RG-1", T0, 1.0, "mm", quality="suspect", source="csv"))
    assert row[4] == Quality.SUSPECT and row[5] == "csv"


def test_the_json_payload_keeps_what_was_received(validator: Validator):
    rejection = one(validator, Reading("WL-1", T0, float("inf"), "m", source="mqtt"))
    assert json.loads(rejection.payload) == {
        "sensor_id": "WL-1", "time": "2024-09-16T00:00:00+00:00", "value": "inf", "unit": "m",
        "quality": 0, "source": "mqtt"}


def test_time_conversion_is_exact_to_the_microsecond():
    moment = T0 + timedelta(days=12345, microseconds=999_999)
    assert from_us(to_us(moment)) == moment
    with pytest.raises(ValueError, match="no time zone"):
        to_us(moment.replace(tzinfo=None))
