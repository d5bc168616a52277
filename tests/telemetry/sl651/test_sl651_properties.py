"""Property-based tests of the frame parser, the body decoder and the stream splitter."""

from __future__ import annotations

import contextlib
from datetime import datetime

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from tests.telemetry.sl651 import vectors as v
from tests.telemetry.sl651.builders import report_body, uplink
from twin_app.telemetry.sl651.ascii_mode import build_ascii_frame
from twin_app.telemetry.sl651.bcd import encode_number
from twin_app.telemetry.sl651.codes import DOWNLINK_END, UPLINK_END, Control
from twin_app.telemetry.sl651.crc import crc_bytes
from twin_app.telemetry.sl651.elements import ELEMENTS, Kind
from twin_app.telemetry.sl651.errors import FrameError
from twin_app.telemetry.sl651.frame import Direction, Frame, build_frame, parse_frame
from twin_app.telemetry.sl651.inspect import describe, format_text
from twin_app.telemetry.sl651.reports import decode_frame
from twin_app.telemetry.sl651.stream import FrameSplitter

PROPERTY = settings(max_examples=150, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow])

NUMBER_ELEMENTS = sorted(leader for leader, row in ELEMENTS.items() if row.kind is Kind.NUMBER)
VECTORS = [v.A_TIMED_32, v.B_CONFIRM_32, v.C_HOURLY_34, v.D_KEEPALIVE_2F, v.ADDED_33,
           v.STATUS_46, v.TEST_30, v.RANGE_38, v.PICTURE_36_PACKET_2]
ASCII_FRAME = build_ascii_frame(direction=Direction.UP, centre=5, station="0011223344",
                                password=0x03E8, function=0x32, end=Control.ETX,
                                body="0034170718110016ST 0011223344 H TT 1707181100 Z 10.490 ")
STREAM_PARTS = [*VECTORS, ASCII_FRAME]


@st.composite
def frames(draw):
    """Any well-formed frame: fields, direction, M3 packet field, body."""
    direction = draw(st.sampled_from(list(Direction)))
    ends = UPLINK_END if direction is Direction.UP else DOWNLINK_END
    packet = None
    if draw(st.booleans()):
        count = draw(st.integers(1, 4095))
        packet = (count, draw(st.integers(1, count)))
    body = draw(st.binary(min_size=1, max_size=4092 if packet else 4095)
                if draw(st.integers(0, 9)) == 0 else st.binary(min_size=1, max_size=200))
    return {"direction": direction, "centre": draw(st.integers(0, 255)),
            "station": draw(st.binary(min_size=5, max_size=5)).hex().upper(),
            "password": draw(st.integers(0, 0xFFFF)), "function": draw(st.integers(0, 255)),
            "body": body, "end": draw(st.sampled_from(sorted(ends))), "packet": packet}


@given(frames())
@PROPERTY
def test_build_then_parse_round_trip(fields):
    raw = build_frame(**fields)
    frame = parse_frame(raw)
    head = frame.header
    assert (head.direction, head.centre, head.station, head.password, head.function) == (
        fields["direction"], fields["centre"], fields["station"], fields["password"],
        fields["function"])
    assert frame.body == fields["body"] and frame.end == fields["end"]
    assert (frame.packet_total, frame.packet_seq) == (fields["packet"] or (None, None))
    assert head.start == (Control.SYN if fields["packet"] else Control.STX)
    assert len(raw) == head.length + 17 and frame.raw == raw


@st.composite
def element_values(draw):
    """(leader, length, decimals, value or None) for a number element of Table C.1."""
    leader = draw(st.sampled_from(NUMBER_ELEMENTS))
    length = draw(st.integers(2, 6))
    decimals = draw(st.integers(0, 4))
    kind = draw(st.sampled_from(["positive", "negative", "missing"]))
    if kind == "missing":
        return leader, length, decimals, None
    digits = 2 * length - (2 if kind == "negative" else 0)
    magnitude = draw(st.integers(1 if kind == "negative" else 0, 10**digits - 1))
    value = magnitude / 10**decimals
    return leader, length, decimals, -value if kind == "negative" else value


@given(st.lists(element_values(), min_size=1, max_size=12), st.integers(0, 65535))
@PROPERTY
def test_elements_round_trip(items, serial):
    data = b"".join(
        bytes((leader, length << 3 | decimals))
        + (b"\xff" * length if value is None else encode_number(value, length, decimals))
        for leader, length, decimals, value in items)
    decoded = decode_frame(uplink(0x32, report_body(data, serial=serial)))
    assert decoded.serial == serial
    assert [(e.key, e.value) for e in decoded.elements] == [
        (ELEMENTS[leader].key, value) for leader, _, _, value in items]
    assert decoded.unknown_identifiers == ()


@given(st.binary(max_size=300))
@PROPERTY
def test_random_bytes_raise_only_frame_errors(data):
    for candidate in (data, b"\x7e\x7e" + data):
        with contextlib.suppress(FrameError):
            decode_frame(candidate)
        info = describe(candidate)
        assert info["ok"] is (info["error"] is None)
        format_text(info)


@given(st.sampled_from(VECTORS), st.data())
@PROPERTY
def test_mutated_frames_with_a_valid_crc_raise_only_frame_errors(vector, data):
    frame = bytearray(vector)
    for _ in range(data.draw(st.integers(1, 6))):
        frame[data.draw(st.integers(2, len(frame) - 3))] = data.draw(st.integers(0, 255))
    candidate = bytes(frame[:-2]) + crc_bytes(frame[:-2])
    outcome: FrameError | None = None
    try:
        decoded = decode_frame(candidate)
    except FrameError as error:
        outcome = error
    if outcome is None:
        assert decoded.frame.raw == candidate
    else:
        assert outcome.reason != "bad_frame"
        assert outcome.offset is None or 0 <= outcome.offset <= len(candidate)
    assert describe(candidate)["size"] == len(candidate)


@st.composite
def streams(draw):
    """A byte stream of good frames, corrupted frames and noise."""
    parts = []
    for _ in range(draw(st.integers(1, 8))):
        choice = draw(st.integers(0, 3))
        frame = bytearray(draw(st.sampled_from(STREAM_PARTS)))
        if choice == 1:
            frame[draw(st.integers(0, len(frame) - 1))] ^= draw(st.integers(1, 255))
        elif choice == 2:
            frame = frame[: draw(st.integers(0, len(frame) - 1))]
        elif choice == 3:
            frame = bytearray(draw(st.binary(max_size=40)))
        parts.append(bytes(frame))
    return b"".join(parts)


def _split(stream: bytes, cuts: list[int]):
    splitter = FrameSplitter()
    items = []
    start = 0
    for cut in [*sorted(set(cuts)), len(stream)]:
        items += splitter.feed(stream[start:cut])
        start = cut
    items += splitter.flush()
    return [(item.raw if isinstance(item, Frame) else (item.error.reason, item.skipped))
            for item in items]


@given(streams(), st.data())
@PROPERTY
def test_stream_splits_the_same_however_tcp_cuts_it(stream, data):
    cuts = data.draw(st.lists(st.integers(0, len(stream)), max_size=20))
    whole = _split(stream, [])
    assert _split(stream, cuts) == whole
    assert sum(len(x) if isinstance(x, bytes) else x[1] for x in whole) == len(stream)


@given(st.lists(st.sampled_from(STREAM_PARTS), min_size=1, max_size=10), st.data())
@PROPERTY
def test_concatenated_good_frames_all_come_out(frames_sent, data):
    stream = b"".join(frames_sent)
    cuts = data.draw(st.lists(st.integers(0, len(stream)), max_size=20))
    assert _split(stream, cuts) == frames_sent


@given(st.integers(0, 65535), st.datetimes(datetime(2000, 1, 1), datetime(2099, 12, 31)))
@PROPERTY
def test_keepalive_send_time_round_trip(serial, sent):
    sent = sent.replace(microsecond=0)
    body = serial.to_bytes(2, "big") + bytes.fromhex(sent.strftime("%y%m%d%H%M%S"))
    decoded = decode_frame(uplink(0x2F, body))
    assume(decoded.elements == ())
    assert (decoded.serial, decoded.send_time) == (serial, sent)
