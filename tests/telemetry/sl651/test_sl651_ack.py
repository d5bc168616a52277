"""Downlink confirm frames, byte-exact against the standard's layout and vector B."""

from __future__ import annotations

from datetime import datetime

import pytest

from tests.telemetry.sl651 import vectors as v
from tests.telemetry.sl651.builders import element, report_body, uplink
from twin_app.telemetry.sl651.ack import LinkMode, ack_for, build_confirm
from twin_app.telemetry.sl651.codes import Control
from twin_app.telemetry.sl651.crc import crc_bytes
from twin_app.telemetry.sl651.frame import Direction, parse_frame
from twin_app.telemetry.sl651.reports import decode_frame


def test_confirm_of_vector_a_is_vector_b():
    assert ack_for(decode_frame(v.A_TIMED_32)) == v.B_CONFIRM_32


def test_eot_confirm_differs_only_in_end_char_and_crc():
    eot = ack_for(decode_frame(v.A_TIMED_32), keep_online=False)
    expected = v.B_CONFIRM_32[:-3] + bytes((Control.EOT,))
    assert eot == expected + crc_bytes(expected)
    assert parse_frame(eot).end == Control.EOT


def test_confirm_layout_field_by_field():
    frame = build_confirm(station="0012345678", centre=0x21, password=0xBEEF, function=0x33,
                          serial=0x0102, send_time=datetime(2024, 7, 25, 14, 0, 30))
    assert frame[0:2] == b"\x7e\x7e"
    assert frame[2:7] == bytes.fromhex("0012345678")  # station first on the downlink
    assert frame[7] == 0x21
    assert frame[8:10] == b"\xbe\xef"
    assert frame[10] == 0x33
    assert frame[11:13] == b"\x80\x08"  # downlink, 8 body bytes
    assert frame[13] == Control.STX
    assert frame[14:16] == b"\x01\x02"
    assert frame[16:22] == bytes.fromhex("240725140030")
    assert frame[22] == Control.ESC
    assert frame[23:25] == crc_bytes(frame[:23])
    assert len(frame) == 25


@pytest.mark.parametrize("vector", [v.ADDED_33, v.C_HOURLY_34, v.STATUS_46, v.TEST_30])
def test_reports_and_responses_are_confirmed_with_their_serial_and_time(vector):
    decoded = decode_frame(vector)
    confirm = decode_frame(ack_for(decoded))
    assert confirm.direction is Direction.DOWN
    assert (confirm.station, confirm.centre, confirm.password, confirm.function) == (
        decoded.station, decoded.centre, decoded.password, decoded.function)
    assert (confirm.serial, confirm.send_time) == (decoded.serial, decoded.send_time)
    assert confirm.end == Control.ESC


def test_keepalive_gets_no_answer():
    assert ack_for(decode_frame(v.D_KEEPALIVE_2F)) is None


def test_m1_station_and_downlink_frames_get_no_answer():
    assert ack_for(decode_frame(v.A_TIMED_32), mode=LinkMode.M1) is None
    assert ack_for(decode_frame(v.B_CONFIRM_32)) is None


def test_reserved_and_user_defined_functions_get_no_answer():
    for function in (0x52, 0xDF, 0xE0, 0xFF):
        body = report_body(element(0x39, 1.0, 4, 3))
        assert ack_for(decode_frame(uplink(function, body))) is None


def test_etb_block_is_answered_with_ack():
    frame = uplink(0x32, report_body(element(0x39, 1.0, 4, 3)), end=Control.ETB)
    answer = parse_frame(ack_for(decode_frame(frame)))
    assert answer.end == Control.ACK


def test_m3_transfer_is_confirmed_once_after_the_last_packet():
    first = decode_frame(uplink(0x36, report_body(), end=Control.ETB, packet=(3, 1)))
    middle = decode_frame(uplink(0x36, b"\xff\xd8" * 10, end=Control.ETB, packet=(3, 2)))
    last = decode_frame(uplink(0x36, b"\xff\xd9", end=Control.ETX, packet=(3, 3)))
    assert ack_for(first) is None and ack_for(middle) is None
    assert ack_for(last) is None  # the last packet carries no serial number of its own
    confirm = decode_frame(ack_for(last, serial=first.serial, send_time=first.send_time))
    assert (confirm.function, confirm.serial, confirm.end) == (0x36, 7, Control.ESC)


def test_centre_may_stamp_its_own_clock():
    now = datetime(2024, 1, 2, 3, 4, 5)
    confirm = decode_frame(ack_for(decode_frame(v.A_TIMED_32), send_time=now))
    assert (confirm.serial, confirm.send_time) == (52, now)
