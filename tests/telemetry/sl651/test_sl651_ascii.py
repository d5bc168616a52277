"""ASCII-mode (SOH) frames: build, parse, decode, confirm, stream and inspect."""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.telemetry.sl651 import vectors as v
from twin_app.telemetry.sl651.ack import ack_for
from twin_app.telemetry.sl651.ascii_mode import (
    build_ascii_frame,
    decode_any,
    decode_ascii_frame,
    parse_ascii_frame,
)
from twin_app.telemetry.sl651.bcd import ValueStatus
from twin_app.telemetry.sl651.codes import Control
from twin_app.telemetry.sl651.crc import crc16
from twin_app.telemetry.sl651.errors import BadCrcError, ShortFrameError, UnknownElementError
from twin_app.telemetry.sl651.frame import Direction, Frame
from twin_app.telemetry.sl651.inspect import describe
from twin_app.telemetry.sl651.mapping import parse_mapping
from twin_app.telemetry.sl651.server import Sl651Server
from twin_app.telemetry.sl651.stream import FrameSplitter

BODY = ("0034170718110016ST 0011223344 H TT 1707181100 PJ 4.0 PT 4.0 Z 10.490 VT 10.99 "
        "DRP 0500000014FFFFFFFFFF0000 ZT 00000400 PD M ")


def _frame(body: str = BODY, **fields) -> bytes:
    args = {"direction": Direction.UP, "centre": 5, "station": "0011223344",
            "password": 0x03E8, "function": 0x32, "body": body, "end": Control.ETX}
    return build_ascii_frame(**(args | fields))


def test_layout_character_by_character():
    frame = _frame()
    assert frame[:1] == b"\x01"
    assert frame[1:23] == b"05" b"0011223344" b"03E8" b"32" + f"0{len(BODY):03X}".encode()
    assert frame[23] == Control.STX and frame[24:24 + len(BODY)] == BODY.encode()
    assert frame[-5] == Control.ETX
    assert frame[-4:] == f"{crc16(frame[:-4]):04X}".encode()
    assert len(frame) == len(BODY) + 29


def test_decode_matches_the_hex_mode_vector_a():
    d = decode_ascii_frame(_frame(), password=0x03E8)
    a = decode_any(v.A_TIMED_32)
    assert d.encoding == "ASCII" and a.encoding == "HEX"
    for name in ("centre", "station", "password", "function", "serial", "send_time",
                 "body_station", "station_class", "observation_time"):
        assert getattr(d, name) == getattr(a, name), name
    assert [(e.key, e.value) for e in d.elements[:4]] == [(e.key, e.value) for e in a.elements]
    drp, zt, pd = d.elements[4:]
    assert drp.value[:5] == (0.5, 0.0, 0.0, 0.0, 2.0) and drp.step == timedelta(minutes=5)
    assert d.status.word == 0x400 and zt.value == 0x400
    assert (pd.value, pd.status) == (None, ValueStatus.MISSING)
    assert d.element("Z").decimals == 3 and d.element("Z").raw == b"10.490"


def test_time_step_and_unknown_identifiers():
    d = decode_ascii_frame(_frame("0001240725140000ST 0011223344 H TT 2407251400 DRN05 "
                                  "Z 3.25 QQ 7 "))
    assert d.elements[0].value == timedelta(minutes=5)
    assert d.unknown_identifiers == ("QQ",)
    with pytest.raises(UnknownElementError) as caught:
        decode_ascii_frame(_frame("0001240725140000ST 0011223344 H QQ 7 "), strict=True)
    assert caught.value.offset == 24 + 16 + len("ST 0011223344 H ")


def test_rejections():
    frame = _frame()
    with pytest.raises(BadCrcError):
        parse_ascii_frame(frame[:-1] + (b"0" if frame[-1:] != b"0" else b"1"))
    with pytest.raises(ShortFrameError):
        parse_ascii_frame(frame[:40])


def test_confirm_is_sent_in_ascii():
    confirm = ack_for(decode_ascii_frame(_frame()))
    assert confirm[:23] == b"\x01" b"0011223344" b"05" b"03E8" b"32" b"8010"
    assert confirm[23:-5] == b"\x020034170718110016"
    assert confirm[-5] == Control.ESC
    back = decode_ascii_frame(confirm)
    assert (back.direction, back.serial, back.send_time) == (
        Direction.DOWN, 52, datetime(2017, 7, 18, 11, 0, 16))


def test_stream_carries_ascii_and_hex_frames_however_cut():
    stream = _frame() + v.A_TIMED_32 + b"\x01\x01noise" + _frame()
    for chunk in (1, 7, len(stream)):
        splitter = FrameSplitter()
        items = []
        for i in range(0, len(stream), chunk):
            items += splitter.feed(stream[i:i + chunk])
        items += splitter.flush()
        kinds = [item.raw[:1] if isinstance(item, Frame) else item.error.reason
                 for item in items]
        assert kinds == [b"\x01", b"\x7e", "bad_start", b"\x01"], chunk


def test_inspector_shows_ascii_fields():
    info = describe(_frame().hex())
    assert info["ok"] and info["ack"] is not None
    fields = {row["field"]: row["value"] for row in info["fields"]}
    assert fields["serial number"] == 52 and fields["station class"] == "H"
    assert fields["observation time"] == "2017-07-18T11:00:00"
    assert fields["Z"] == "10.49 m"


def test_server_answers_an_ascii_station_in_ascii():
    table = parse_mapping('[[stations]]\naddress = "0011223344"\npassword = "03E8"\n'
                          '[[stations.elements]]\nelement = "Z"\nsensor = "WL-1"\n')

    async def scenario():
        queue: asyncio.Queue = asyncio.Queue()
        async with Sl651Server(table, queue) as server:
            await server.start()
            reader, writer = await asyncio.open_connection("127.0.0.1", server.port)
            writer.write(_frame())
            confirm = await asyncio.wait_for(reader.readexactly(45), 5)
            writer.close()
            return confirm, await asyncio.wait_for(queue.get(), 5)

    confirm, readings = asyncio.run(scenario())
    assert confirm[:1] == b"\x01" and confirm[-5] == Control.ESC
    assert [(r.sensor_id, r.value) for r in readings] == [("WL-1", 10.49)]


@given(st.integers(0, 0xFFFF), st.integers(0, 255), st.integers(0, 0xFFFF),
       st.lists(st.tuples(st.sampled_from(["Z", "PJ", "VT", "GH", "WP1", "Q"]),
                          st.decimals(-999, 9999, places=2)), max_size=8))
@settings(max_examples=100, deadline=None)
def test_ascii_round_trip(serial, centre, password, pairs):
    body = f"{serial:04X}240725140030ST 0011223344 H TT 2407251400 " + "".join(
        f"{key} {value} " for key, value in pairs)
    d = decode_ascii_frame(_frame(body, centre=centre, password=password))
    assert (d.serial, d.centre, d.password) == (serial, centre, password)
    assert [(e.key, e.value) for e in d.elements] == [(k, float(val)) for k, val in pairs]
