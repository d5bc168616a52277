"""EventReplay: order, re-timing at any speed, pause, stop, threads and asyncio (fake clock)."""

from __future__ import annotations

import asyncio
import time
from datetime import UTC, datetime, timedelta

import pytest

from tests.telemetry.replay.conftest import FakeClock
from twin_app.core.readings import Reading
from twin_app.core.scene_loader import SceneDocument, load_scene
from twin_app.telemetry.replay import (
    EventReplay,
    ReplayControl,
    ReplayError,
    ReplayPlayer,
    available_events,
    play_async,
)

WALL_START = datetime(2026, 5, 1, 9, 0, tzinfo=UTC)
EVENT_T0 = datetime(2023, 9, 13, 16, 0, tzinfo=UTC)  # 2023-09-14 00:00 +08:00


class Recorder:
    def __init__(self, clock: FakeClock) -> None:
        self.clock = clock
        self.batches: list[tuple[datetime, list[Reading]]] = []

    def __call__(self, batch: list[Reading]) -> None:
        self.batches.append((self.clock.now(), batch))


@pytest.fixture(scope="module")
def huangpu() -> SceneDocument:
    return load_scene("huangpu")


@pytest.mark.parametrize("speed", [60, 3600])
def test_replay_is_ordered_and_retimed(huangpu: SceneDocument, speed: int) -> None:
    clock = FakeClock(WALL_START)
    replay = EventReplay(huangpu, "typhoon", speed, clock=clock)
    recorder = Recorder(clock)
    began = time.monotonic()
    result = replay.play(recorder)
    assert time.monotonic() - began < 20, "a fake clock never sleeps"
    sensors = len(huangpu.spec.sensors)
    assert (result.readings, result.batches, result.stopped) == (865 * sensors, 865, False)
    assert result.last_event_time == datetime(2023, 9, 17, 0, 0, tzinfo=replay.readings[0].time
                                              .tzinfo)
    step = timedelta(minutes=5) / speed
    for index, (emitted_at, batch) in enumerate(recorder.batches):
        due = WALL_START + index * step
        assert abs(emitted_at - due) <= timedelta(microseconds=index + 1)
        assert {r.time for r in batch} == {emitted_at}, "stamped with the moment delivered"
        assert [r.sensor_id for r in batch] == [s.id for s in huangpu.spec.sensors]
        assert {r.source for r in batch} == {"replay:typhoon"}
    assert clock.now() - WALL_START == pytest.approx(timedelta(hours=72) / speed,
                                                     abs=timedelta(milliseconds=1))
    assert replay.wall_duration == timedelta(hours=72) / speed
    values = [r.value for _, batch in recorder.batches for r in batch]
    assert values == [r.value for r in replay.readings]


def test_iteration_retimes_without_waiting(huangpu: SceneDocument) -> None:
    clock = FakeClock(WALL_START)
    start = datetime(2026, 6, 1, tzinfo=UTC)
    replay = EventReplay(huangpu, "typhoon", 3600, start, clock=clock)
    readings = list(replay)
    assert clock.waits == 0
    assert readings[0].time == start
    assert readings[-1].time == start + timedelta(seconds=72)
    assert [r.time for r in readings] == sorted(r.time for r in readings)
    original = replay.readings[len(huangpu.spec.sensors) * 12]
    assert original.utc == EVENT_T0 + timedelta(hours=1)
    assert replay.retime(original.time, start) == start + timedelta(seconds=1)


def test_pause_shifts_the_rest_of_the_event(huangpu: SceneDocument) -> None:
    clock = FakeClock(WALL_START)
    replay = EventReplay(huangpu, "typhoon", 60, clock=clock)
    control = ReplayControl()
    paused_at: list[datetime] = []

    def deliver(batch: list[Reading]) -> None:
        recorder(batch)
        if len(recorder.batches) == 10:
            control.pause()
            paused_at.append(clock.now())

    def resume_after_30_s(fake: FakeClock) -> None:
        if control.paused and fake.now() - paused_at[0] >= timedelta(seconds=30):
            control.resume()

    recorder = Recorder(clock)
    clock.on_wait = resume_after_30_s
    replay.play(deliver, control=control)
    times = [emitted for emitted, _ in recorder.batches]
    assert times[9] - times[8] == timedelta(seconds=5)
    assert times[10] - times[9] == timedelta(seconds=35)
    assert times[11] - times[10] == timedelta(seconds=5)
    assert recorder.batches[10][1][0].time == times[10]


def test_stop_ends_the_replay(huangpu: SceneDocument) -> None:
    clock = FakeClock(WALL_START)
    replay = EventReplay(huangpu, "typhoon", 60, clock=clock)
    control = ReplayControl()
    seen: list[int] = []

    def deliver(batch: list[Reading]) -> None:
        seen.append(len(batch))
        if len(seen) == 3:
            control.stop()

    result = replay.play(deliver, control=control)
    assert (result.batches, result.stopped) == (3, True)
    assert result.last_event_time is not None
    assert result.last_event_time.astimezone(UTC) == EVENT_T0 + timedelta(minutes=10)


def test_threaded_player_pauses_resumes_and_stops(huangpu: SceneDocument) -> None:
    replay = EventReplay(huangpu, "typhoon", 360_000)  # real clock: 5 min every 0.83 ms
    batches: list[list[Reading]] = []
    player = ReplayPlayer(replay, batches.append).start()
    deadline = time.monotonic() + 10
    while len(batches) < 5 and time.monotonic() < deadline:
        time.sleep(0.001)
    player.pause()
    time.sleep(0.05)
    held = len(batches)
    time.sleep(0.2)
    assert len(batches) == held, "nothing is delivered while paused"
    player.resume()
    while len(batches) <= held and time.monotonic() < deadline:
        time.sleep(0.001)
    assert len(batches) > held
    player.stop()
    assert player.join(5)
    assert player.result is not None
    assert player.result.stopped
    assert player.result.batches == len(batches) < 865
    assert player.error is None


def test_threaded_player_keeps_a_failing_callback_s_error(huangpu: SceneDocument) -> None:
    replay = EventReplay(huangpu, "typhoon", 60, clock=FakeClock(WALL_START))

    def broken(batch: list[Reading]) -> None:
        raise RuntimeError("store is gone")

    player = ReplayPlayer(replay, broken).start()
    assert player.join(5)
    assert isinstance(player.error, RuntimeError)
    assert not player.running


def test_asyncio_driver_matches_the_threaded_one(huangpu: SceneDocument) -> None:
    clock = FakeClock(WALL_START)
    replay = EventReplay(huangpu, "typhoon", 3600, clock=clock)
    recorder = Recorder(clock)

    async def fake_sleep(seconds: float) -> None:
        clock.advance(seconds)

    async def deliver(batch: list[Reading]) -> None:
        recorder(batch)

    result = asyncio.run(play_async(replay, deliver, sleep=fake_sleep))
    assert result.batches == 865
    step = timedelta(minutes=5) / 3600
    for index, (emitted_at, batch) in enumerate(recorder.batches):
        assert abs(emitted_at - (WALL_START + index * step)) <= timedelta(microseconds=index + 1)
        assert batch[0].time == emitted_at


def test_replay_errors_say_what_to_do(huangpu: SceneDocument) -> None:
    assert available_events(huangpu) == ["typhoon"]
    with pytest.raises(ReplayError, match=r"no recorded event 'flood' \(it has: typhoon\)") as info:
        EventReplay(huangpu, "flood")
    assert "make_events.py" in str(info.value)
    with pytest.raises(ReplayError, match="not positive"):
        EventReplay(huangpu, "typhoon", 0)
    with pytest.raises(ReplayError, match="no time zone"):
        EventReplay(huangpu, "typhoon", 60, datetime(2026, 1, 1))
