"""Corrupted frames are rejected with the right reason, offset and numbers."""

from __future__ import annotations

import pytest

from tests.telemetry.sl651 import vectors as v
from tests.telemetry.sl651.builders import element, report_body, uplink
from twin_app.telemetry.sl651.crc import crc_bytes
from twin_app.telemetry.sl651.errors import (
    BadControlCharError,
    BadCrcError,
    BadDirectionError,
    BadStartError,
    BodyError,
    FrameError,
    LengthMismatchError,
    ShortFrameError,
    UnknownElementError,
    WrongPasswordError,
)
from twin_app.telemetry.sl651.frame import parse_frame
from twin_app.telemetry.sl651.reports import decode_frame


def _with_crc(frame: bytes | bytearray) -> bytes:
    """Recompute the CRC so that only the intended fault remains."""
    return bytes(frame[:-2]) + crc_bytes(frame[:-2])


def test_bad_crc_gives_expected_and_got():
    bad = bytearray(v.A_TIMED_32)
    bad[52] ^= 0x01  # a water-level digit
    with pytest.raises(BadCrcError) as caught:
        decode_frame(bytes(bad))
    error = caught.value
    assert error.reason == "bad_crc" and error.offset == 58
    assert error.got == 0xA421
    assert error.expected == int.from_bytes(crc_bytes(bad[:58]), "big") != 0xA421
    assert f"computed {error.expected:04X}, frame carries A421" in str(error)


def test_crc_sent_low_byte_first_is_rejected():
    swapped = v.A_TIMED_32[:-2] + v.A_TIMED_32[-1:] + v.A_TIMED_32[-2:-1]
    with pytest.raises(BadCrcError) as caught:
        parse_frame(swapped)
    assert (caught.value.expected, caught.value.got) == (0xA421, 0x21A4)


def test_published_manual_entry_frame_with_wrong_crc_is_rejected():
    with pytest.raises(BadCrcError) as caught:
        parse_frame(v.MANUAL_35_BAD_CRC)
    assert (caught.value.expected, caught.value.got) == (0xD76F, 0x4602)


@pytest.mark.parametrize("keep", [0, 1, 13, 14, 40, 59])
def test_short_frame(keep):
    with pytest.raises(ShortFrameError) as caught:
        parse_frame(v.A_TIMED_32[:keep])
    error = caught.value
    assert error.reason == "short_frame" and error.got == keep
    assert error.expected == (60 if keep >= 14 else 17)


def test_extra_bytes_after_the_crc_are_a_length_mismatch():
    with pytest.raises(LengthMismatchError) as caught:
        parse_frame(v.A_TIMED_32 + v.D_KEEPALIVE_2F)
    assert caught.value.reason == "length_mismatch" and caught.value.offset == 60
    assert "25 bytes follow the CRC" in str(caught.value)


def test_length_word_that_disagrees_with_the_body():
    bad = bytearray(v.A_TIMED_32)
    bad[12] = 0x2A  # 42 instead of 43: the frame now looks one byte too long
    with pytest.raises(LengthMismatchError):
        parse_frame(_with_crc(bad))


def test_element_running_past_the_body_is_a_length_mismatch():
    body = report_body(element(0x39, 1.0, 4, 3))[:-2]  # cut 2 data bytes
    with pytest.raises(LengthMismatchError) as caught:
        decode_frame(uplink(0x32, body))
    assert "element 3923 needs 4 bytes but only 2 remain" in str(caught.value)
    assert caught.value.offset == 14 + len(body) - 2


def test_wrong_password():
    with pytest.raises(WrongPasswordError) as caught:
        decode_frame(v.A_TIMED_32, password=0x1234)
    error = caught.value
    assert (error.reason, error.offset, error.expected, error.got) == ("wrong_password", 8,
                                                                      0x1234, 0x03E8)
    assert "frame has 03E8, the station table says 1234" in str(error)


def test_bad_start():
    with pytest.raises(BadStartError) as caught:
        parse_frame(b"\x7e\x7f" + v.A_TIMED_32[2:])
    assert caught.value.reason == "bad_start" and caught.value.offset == 0
    with pytest.raises(BadStartError) as caught:
        parse_frame(b"\x01" + v.A_TIMED_32[1:])
    assert "ASCII-mode" in str(caught.value)


def test_bad_direction_nibble():
    bad = bytearray(v.A_TIMED_32)
    bad[11] = 0x40
    with pytest.raises(BadDirectionError) as caught:
        parse_frame(_with_crc(bad))
    assert caught.value.offset == 11


@pytest.mark.parametrize(("offset", "value"), [(13, 0x03), (57, 0x1B)])
def test_bad_control_characters(offset, value):
    bad = bytearray(v.A_TIMED_32)
    bad[offset] = value  # STX replaced by ETX; uplink ended by a downlink ESC
    with pytest.raises(BadControlCharError) as caught:
        parse_frame(_with_crc(bad))
    assert caught.value.offset == offset


def test_unknown_element_is_listed_and_skipped_by_its_length():
    body = report_body(element(0x39, 3.25, 4, 3), element(0x9A, 12.5, 3, 1),
                       element(0x38, 12.1, 2, 2))
    d = decode_frame(uplink(0x32, body))
    assert d.unknown_identifiers == ("9A19",)
    assert [(e.key, e.value, e.known) for e in d.elements] == [
        ("Z", 3.25, True), ("9A", 12.5, False), ("VT", 12.1, True)]


def test_unknown_element_rejected_in_strict_mode():
    body = report_body(element(0x39, 3.25, 4, 3), element(0x9A, 12.5, 3, 1))
    with pytest.raises(UnknownElementError) as caught:
        decode_frame(uplink(0x32, body), strict=True)
    assert caught.value.reason == "unknown_element" and caught.value.identifier == "9A19"
    assert caught.value.offset == 14 + len(body) - 5


@pytest.mark.parametrize("identifier", ["F0AA", "F3A0", "FDF6"])
def test_unknown_element_without_a_reliable_length_is_rejected(identifier):
    body = report_body(element(0x39, 3.25, 4, 3)) + bytes.fromhex(identifier) + b"\x00" * 4
    with pytest.raises(UnknownElementError) as caught:
        decode_frame(uplink(0x32, body))
    assert caught.value.identifier == identifier


def test_time_that_is_not_bcd():
    body = bytearray(report_body(element(0x39, 3.25, 4, 3)))
    body[2] = 0x1A  # year nibble A
    with pytest.raises(BodyError) as caught:
        decode_frame(uplink(0x32, bytes(body)))
    assert caught.value.offset == 16 and "send time" in str(caught.value)


def test_every_rejection_is_a_frame_error_with_a_hint_or_message():
    for error_type in (BadCrcError, ShortFrameError, WrongPasswordError, UnknownElementError,
                       LengthMismatchError, BadStartError, BadDirectionError, BodyError):
        assert issubclass(error_type, FrameError)
        assert error_type.reason != FrameError.reason
