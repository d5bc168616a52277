from datetime import UTC, datetime, timedelta, timezone

import pytest

from twin_app.core.clock import AppClock

T0 = datetime(2024, 9, 16, 6, 0, tzinfo=UTC)


def test_live_clock_follows_the_wall_clock_and_emits():
    clock = AppClock(time=T0)
    seen = []
    clock.events.time.connect(seen.append)
    clock.tick(1.0, wall_clock=lambda: T0 + timedelta(seconds=1))
    assert clock.time == T0 + timedelta(seconds=1)
    assert seen == [T0 + timedelta(seconds=1)]


def test_history_stays_put_until_played_then_runs_at_speed():
    clock = AppClock(time=T0)
    clock.set_time(T0 - timedelta(hours=6))
    clock.tick(10.0, wall_clock=lambda: T0)
    assert clock.mode == "history"
    assert clock.time == T0 - timedelta(hours=6)
    clock.play(speed=360.0)
    clock.tick(10.0, wall_clock=lambda: T0)
    assert clock.time == T0 - timedelta(hours=5)
    clock.go_live(wall_clock=lambda: T0)
    assert clock.mode == "live"
    assert clock.time == T0
    assert not clock.playing


def test_times_are_kept_in_utc_and_naive_times_refused():
    shanghai = timezone(timedelta(hours=8))
    clock = AppClock(time=datetime(2024, 9, 16, 14, 0, tzinfo=shanghai))
    assert clock.time == T0
    with pytest.raises(ValueError, match="timezone-aware"):
        clock.set_time(datetime(2024, 9, 16, 14, 0))
