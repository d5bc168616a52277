"""A real TCP conversation with the SL 651 server on 127.0.0.1."""

from __future__ import annotations

import asyncio
import contextlib
import logging

import pytest

from tests.telemetry.sl651 import vectors as v
from tests.telemetry.sl651.builders import element, report_body, uplink
from twin_app.telemetry.sl651.codes import Control
from twin_app.telemetry.sl651.frame import parse_frame
from twin_app.telemetry.sl651.mapping import parse_mapping
from twin_app.telemetry.sl651.reports import decode_frame
from twin_app.telemetry.sl651.server import Sl651Server, serve

TABLE = """\
[[stations]]
address = "0011223344"
password = "03E8"
name = "river gauge"

[[stations.elements]]
element = "Z"
sensor = "WL-1"

[[stations.elements]]
element = "PJ"
sensor = "RG-1"

[[stations]]
address = "0012345678"
password = "1234"

[[stations]]
address = "0099000001"
mode = "M1"

[[stations.elements]]
element = "Z"
sensor = "WL-9"
"""

ACK_SIZE = 25


def run(coroutine):
    return asyncio.run(asyncio.wait_for(coroutine, 30))


async def _ack(reader: asyncio.StreamReader) -> bytes:
    return await asyncio.wait_for(reader.readexactly(ACK_SIZE), 5)


async def _nothing(reader: asyncio.StreamReader, seconds: float = 0.3) -> None:
    with pytest.raises(TimeoutError):
        await asyncio.wait_for(reader.read(1), seconds)


async def _drain_queue(queue: asyncio.Queue) -> list:
    batches = []
    while not queue.empty():
        batches.append(queue.get_nowait())
    return batches


def _timed(serial: int, level: float, password: int = 0x03E8,
           station: str = "0011223344") -> bytes:
    body = report_body(element(0x20, 0.5, 3, 1), element(0x39, level, 4, 3), serial=serial,
                       station=station)
    return uplink(0x32, body, password=password, station=station)


def test_conversation_split_concatenated_corrupt_and_acks(caplog):
    caplog.set_level(logging.INFO, logger="twin_app.telemetry.sl651")

    async def scenario():
        queue: asyncio.Queue = asyncio.Queue()
        frames_seen = []
        server = Sl651Server(parse_mapping(TABLE), queue, on_frame=frames_seen.append)
        await server.start("127.0.0.1", 0)
        async with server:
            reader, writer = await asyncio.open_connection("127.0.0.1", server.port)
            # 1. vector A split across two writes (two TCP segments)
            writer.write(v.A_TIMED_32[:21])
            await writer.drain()
            await asyncio.sleep(0.1)
            writer.write(v.A_TIMED_32[21:])
            await writer.drain()
            assert await _ack(reader) == v.B_CONFIRM_32

            # 2. two frames in one write: two confirms, in order
            writer.write(v.C_HOURLY_34 + v.ADDED_33)
            first, second = await _ack(reader), await _ack(reader)
            assert [decode_frame(a).serial for a in (first, second)] == [51, 38]
            assert [decode_frame(a).function for a in (first, second)] == [0x34, 0x33]

            # 3. a corrupt frame then a good one in the same write: the good one is confirmed
            corrupt = bytearray(_timed(100, 3.0))
            corrupt[40] ^= 0x01
            writer.write(bytes(corrupt) + _timed(101, 3.5))
            assert decode_frame(await _ack(reader)).serial == 101

            # 4. wrong password: rejected, not confirmed, connection kept
            writer.write(_timed(102, 4.0, password=0x1111))
            await _nothing(reader)

            # 5. a resend of A: confirmed again, not delivered twice
            writer.write(v.A_TIMED_32)
            assert await _ack(reader) == v.B_CONFIRM_32

            # 6. another station on its own connection: keep-alive gets no answer
            reader2, writer2 = await asyncio.open_connection("127.0.0.1", server.port)
            writer2.write(v.D_KEEPALIVE_2F)
            await _nothing(reader2)
            assert server.stats["0012345678"].connected
            assert server.stats["0012345678"].frames_ok == 1

            stats = server.stats["0011223344"]
            assert stats.frames_ok == 5 and stats.duplicates == 1
            assert dict(stats.rejected) == {"bad_crc": 1, "wrong_password": 1}
            assert stats.connected and stats.last_message is not None
            assert stats.last_function == 0x32
            assert stats.as_dict()["rejected"] == {"bad_crc": 1, "wrong_password": 1}
            snapshot = server.snapshot()
            assert snapshot["connections"] == 2
            assert snapshot["stations"]["0011223344"]["name"] == "river gauge"
            assert snapshot["stations"]["0012345678"]["connected"] is True
            assert snapshot["stations"]["0099000001"]["frames_ok"] == 0

            writer.close()
            writer2.close()
            await writer.wait_closed()
            await writer2.wait_closed()
            for _ in range(50):
                if not stats.connected:
                    break
                await asyncio.sleep(0.02)
            assert not stats.connected and not server.stats["0012345678"].connected
        batches = await _drain_queue(queue)
        return batches, frames_seen

    batches, frames_seen = run(scenario())
    readings = [(r.sensor_id, r.value, r.time.strftime("%H:%M"), r.source)
                for batch in batches for r in batch]
    assert readings == [
        ("RG-1", 4.0, "11:00", "sl651:0011223344"), ("WL-1", 10.49, "11:00", "sl651:0011223344"),
        ("WL-1", 10.49, "11:00", "sl651:0011223344"), ("RG-1", 4.0, "11:00", "sl651:0011223344"),
        ("RG-1", 4.0, "10:22", "sl651:0011223344"), ("WL-1", 10.49, "10:22", "sl651:0011223344"),
        ("RG-1", 0.5, "14:00", "sl651:0011223344"), ("WL-1", 3.5, "14:00", "sl651:0011223344"),
    ]
    assert [f.function for f in frames_seen] == [0x32, 0x34, 0x33, 0x32, 0x32, 0x2F]
    assert "wrong password from station 0011223344" in caplog.text


def test_sink_failure_leaves_the_frame_unconfirmed_so_nothing_is_lost():
    delivered = []
    fail = [True]

    def sink(readings):
        if fail[0]:
            fail[0] = False
            raise OSError("store is down")
        delivered.extend(readings)

    async def scenario():
        async with Sl651Server(parse_mapping(TABLE), sink) as server:
            await server.start()
            reader, writer = await asyncio.open_connection("127.0.0.1", server.port)
            writer.write(v.A_TIMED_32)
            await _nothing(reader)  # not confirmed: the station will resend
            writer.write(v.A_TIMED_32)  # the resend
            assert await _ack(reader) == v.B_CONFIRM_32
            writer.close()
            return server.stats["0011223344"]

    stats = run(scenario())
    assert [(r.sensor_id, r.value) for r in delivered] == [("RG-1", 4.0), ("WL-1", 10.49)]
    assert stats.duplicates == 0 and stats.readings == 2


def test_async_sink_m1_station_and_idle_flush_of_a_partial_frame():
    delivered = []

    async def sink(readings):
        await asyncio.sleep(0)
        delivered.extend(readings)

    async def scenario():
        server = Sl651Server(parse_mapping(TABLE), sink, idle_flush=0.2)
        await server.start()
        async with server:
            reader, writer = await asyncio.open_connection("127.0.0.1", server.port)
            writer.write(_timed(5, 1.25, password=0, station="0099000001"))
            await _nothing(reader)  # M1: send, no reply
            writer.write(v.A_TIMED_32[:30])  # a frame that never completes
            await asyncio.sleep(0.5)
            writer.write(_timed(6, 1.5, password=0, station="0099000001"))
            await asyncio.sleep(0.3)
            writer.close()
            return server.stats

    stats = run(scenario())
    assert [(r.sensor_id, r.value) for r in delivered] == [("WL-9", 1.25), ("WL-9", 1.5)]
    assert stats["0099000001"].rejected["short_frame"] == 1
    assert stats["0099000001"].frames_ok == 2


def test_unrecoverable_stream_is_closed_and_unknown_stations_can_be_refused():
    async def scenario():
        server = Sl651Server(parse_mapping(TABLE), lambda readings: None,
                             max_consecutive_rejects=3, accept_unknown_stations=False)
        await server.start()
        async with server:
            reader, writer = await asyncio.open_connection("127.0.0.1", server.port)
            stranger = _timed(1, 1.0, station="0055555555")
            writer.write(stranger * 3)
            assert await asyncio.wait_for(reader.read(), 5) == b""  # closed by the server
            return server.stats["0055555555"], server.unattributed

    stats, unattributed = run(scenario())
    assert stats.rejected["unknown_station"] == 3 and not stats.connected
    assert not unattributed


def test_downlink_frames_and_noise_are_counted_without_a_station():
    async def scenario():
        server = Sl651Server(parse_mapping(TABLE), lambda readings: None)
        await server.start()
        async with server:
            reader, writer = await asyncio.open_connection("127.0.0.1", server.port)
            writer.write(b"+++ATH\r\n" + v.B_CONFIRM_32 + v.A_TIMED_32)
            ack = parse_frame(await _ack(reader))
            assert ack.end == Control.ESC
            writer.close()
            return server

    server = run(scenario())
    assert server.unattributed == {"bad_start": 1}
    assert server.stats["0011223344"].rejected == {"wrong_direction": 1}


def test_serve_runs_until_cancelled_and_shuts_down_cleanly():
    async def scenario():
        task = asyncio.create_task(serve("127.0.0.1", 0, parse_mapping(TABLE),
                                         lambda readings: None))
        await asyncio.sleep(0.2)
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
        return task.cancelled()

    assert run(scenario())


def test_close_with_a_station_still_connected():
    async def scenario():
        server = Sl651Server(parse_mapping(TABLE), lambda readings: None)
        await server.start()
        reader, writer = await asyncio.open_connection("127.0.0.1", server.port)
        writer.write(v.A_TIMED_32)
        await _ack(reader)
        await asyncio.wait_for(server.close(), 5)
        assert await asyncio.wait_for(reader.read(), 5) == b""
        with pytest.raises(RuntimeError, match="not listening"):
            _ = server.port
        return server.stats["0011223344"].connected

    assert run(scenario()) is False


def test_a_failing_frame_callback_is_logged_and_the_connection_survives(caplog):
    def explode(decoded):
        raise RuntimeError("raw log is full")

    async def scenario():
        server = Sl651Server(parse_mapping(TABLE), lambda readings: None, on_frame=explode)
        await server.start()
        async with server:
            reader, writer = await asyncio.open_connection("127.0.0.1", server.port)
            writer.write(v.A_TIMED_32)
            assert await _ack(reader) == v.B_CONFIRM_32
            writer.write(v.ADDED_33)
            assert decode_frame(await _ack(reader)).serial == 38
            writer.close()
            return server.stats["0011223344"]

    stats = run(scenario())
    assert stats.frames_ok == 2 and stats.rejected == {"internal_error": 2}
    assert "raw log is full" in caplog.text
