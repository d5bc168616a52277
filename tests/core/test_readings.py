from datetime import UTC, datetime, timedelta, timezone

import pytest

from twin_app.core.readings import Quality, Reading


def test_reading_keeps_its_value_and_converts_time_to_utc():
    shanghai = timezone(timedelta(hours=8))
    reading = Reading("XCS-WL-01", datetime(2024, 9, 16, 14, 0, tzinfo=shanghai), 4.8, "m")
    assert reading.utc == datetime(2024, 9, 16, 6, 0, tzinfo=UTC)
    assert reading.quality is Quality.GOOD


def test_naive_time_and_nan_are_refused():
    with pytest.raises(ValueError, match="has no time zone"):
        Reading("A", datetime(2024, 1, 1), 1.0, "m")
    with pytest.raises(ValueError, match="is not a number"):
        Reading("A", datetime(2024, 1, 1, tzinfo=UTC), float("nan"), "m")
