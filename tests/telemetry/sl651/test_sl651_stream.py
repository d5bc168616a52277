"""Cutting a TCP byte stream into frames: split, concatenated, corrupted, resynchronised."""

from __future__ import annotations

from tests.telemetry.sl651 import vectors as v
from tests.telemetry.sl651.builders import element, report_body, uplink
from twin_app.telemetry.sl651.frame import Frame
from twin_app.telemetry.sl651.stream import FrameSplitter, Rejected


def _summary(items):
    return [("ok", item.header.function) if isinstance(item, Frame) else
            (item.error.reason, item.skipped) for item in items]


def _run(stream: bytes, chunk: int | None = None):
    splitter = FrameSplitter()
    items = []
    step = chunk or len(stream) or 1
    for i in range(0, len(stream), step):
        items += splitter.feed(stream[i:i + step])
    return _summary(items + splitter.flush())


def test_concatenated_frames_are_split_by_their_length_words():
    stream = v.A_TIMED_32 + v.D_KEEPALIVE_2F + v.C_HOURLY_34
    assert _run(stream) == [("ok", 0x32), ("ok", 0x2F), ("ok", 0x34)]


def test_a_frame_split_byte_by_byte_comes_out_once_complete():
    splitter = FrameSplitter()
    for byte in v.A_TIMED_32[:-1]:
        assert splitter.feed(bytes((byte,))) == []
    assert splitter.pending == 59
    (frame,) = splitter.feed(v.A_TIMED_32[-1:])
    assert frame.raw == v.A_TIMED_32 and splitter.pending == 0


def test_body_containing_7e7e_is_not_mistaken_for_a_frame_start():
    frame = uplink(0x32, report_body(element(0x39, 7.7, 4, 3),
                                     bytes.fromhex("FF7E7E7E7E") + b"\x00"))
    assert b"\x7e\x7e" in frame[14:-3]
    assert _run(frame + v.D_KEEPALIVE_2F, chunk=5) == [("ok", 0x32), ("ok", 0x2F)]


def test_corrupt_frame_is_dropped_whole_and_the_next_frame_survives():
    bad = bytearray(v.A_TIMED_32)
    bad[40] ^= 0x10
    stream = v.D_KEEPALIVE_2F + bytes(bad) + v.A_TIMED_32
    assert _run(stream) == [("ok", 0x2F), ("bad_crc", 60), ("ok", 0x32)]


def test_corrupted_length_word_resynchronises_on_the_next_frame():
    bad = bytearray(v.A_TIMED_32)
    bad[12] = 0x20  # L = 32: the candidate ends inside the frame
    stream = bytes(bad) + v.D_KEEPALIVE_2F + v.A_TIMED_32
    assert _run(stream) == [("bad_crc", 1), ("bad_start", 59), ("ok", 0x2F), ("ok", 0x32)]


def test_garbage_before_a_frame_is_one_bad_start():
    assert _run(b"AT+CIPSEND\r\n" + v.A_TIMED_32, chunk=3) == [("bad_start", 12), ("ok", 0x32)]


def test_bad_header_is_rejected_without_waiting_for_its_length():
    splitter = FrameSplitter()
    bad = bytearray(v.A_TIMED_32)
    bad[11] = 0x4F  # direction nibble 4, length 4095
    items = splitter.feed(bytes(bad[:20]))
    assert _summary(items) == [("bad_direction", 1)]
    assert _summary(splitter.feed(bytes(bad[20:]) + v.D_KEEPALIVE_2F)) == [
        ("bad_start", 59), ("ok", 0x2F)]


def test_truncated_frame_at_end_of_stream_is_short():
    assert _run(v.A_TIMED_32 + v.C_HOURLY_34[:50]) == [("ok", 0x32), ("short_frame", 1),
                                                       ("bad_start", 49)]


def test_rejections_keep_the_bytes_for_the_log():
    splitter = FrameSplitter()
    bad = bytes(v.A_TIMED_32[:-1]) + b"\x00"
    (item,) = splitter.feed(bad) + splitter.flush()
    assert isinstance(item, Rejected) and item.data == bad and item.error.got == 0xA400
