"""The reference frames of telemetry.md (A-D) and further public frames decode exactly."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from tests.telemetry.sl651 import vectors as v
from twin_app.telemetry.sl651.bcd import ValueStatus
from twin_app.telemetry.sl651.codes import Control
from twin_app.telemetry.sl651.frame import Direction, parse_frame
from twin_app.telemetry.sl651.reports import decode_frame

N = None


def _elements(decoded):
    return [(e.offset, e.identifier, e.key, e.raw.hex().upper(), e.value, e.unit, e.observed)
            for e in decoded.elements]


def test_vector_a_timed_report_every_field():
    d = decode_frame(v.A_TIMED_32, password=0x03E8)
    head = d.frame.header
    assert (d.direction, d.centre, d.station, d.password) == (Direction.UP, 5, "0011223344",
                                                              0x03E8)
    assert (d.function, d.function_name) == (0x32, "timed report")
    assert (head.length, head.total_length, head.start, d.end) == (43, 60, Control.STX,
                                                                   Control.ETX)
    assert d.frame.crc == 0xA421
    assert d.serial == 52
    assert d.send_time == datetime(2017, 7, 18, 11, 0, 16)
    assert d.body_station == "0011223344"
    assert (d.station_class, d.station_class_letter) == (0x48, "H")
    assert d.observation_time == datetime(2017, 7, 18, 11, 0)
    t = datetime(2017, 7, 18, 11, 0)
    assert _elements(d) == [
        (37, "2019", "PJ", "000040", 4.0, "mm", t),
        (42, "2619", "PT", "000040", 4.0, "mm", t),
        (47, "3923", "Z", "00010490", 10.49, "m", t),
        (53, "3812", "VT", "1099", 10.99, "V", t),
    ]
    assert [(e.length, e.decimals) for e in d.elements] == [(3, 1), (3, 1), (4, 3), (2, 2)]
    assert [e.name for e in d.elements] == ["current rainfall", "cumulative rainfall",
                                            "river water level / tide level", "supply voltage"]
    assert all(e.status is ValueStatus.OK and e.known and e.note == "" for e in d.elements)
    assert d.unknown_identifiers == () and d.warnings == () and d.status is None


def test_vector_b_confirm_downlink_every_field():
    d = decode_frame(v.B_CONFIRM_32)
    assert d.direction is Direction.DOWN
    # downlink: the station address comes first, then the centre
    assert (d.station, d.centre, d.password, d.function) == ("0011223344", 5, 0x03E8, 0x32)
    assert d.frame.header.length == 8 and d.frame.header.direction_nibble == 8
    assert (d.serial, d.send_time) == (52, datetime(2017, 7, 18, 11, 0, 16))
    assert d.end == Control.ESC and d.frame.crc == 0xE5D4
    assert d.elements == ()


def test_vector_c_hourly_report_with_five_minute_series():
    d = decode_frame(v.C_HOURLY_34)
    assert (d.function, d.serial, d.send_time) == (0x34, 51, datetime(2017, 7, 18, 11, 0, 14))
    assert d.frame.header.length == 104 and d.frame.crc == 0xF502
    assert (d.body_station, d.station_class_letter) == ("0011223344", "H")
    assert d.observation_time == datetime(2017, 7, 18, 10, 5)
    t1005, t1100 = datetime(2017, 7, 18, 10, 5), datetime(2017, 7, 18, 11, 0)
    rain = (0.5, 0.0, 0.0, 0.0, 2.0, N, N, N, N, N, 0.0, 0.0)
    level = (0.12, 0.12, 0.28, 0.49, 0.49, N, N, N, N, N, 0.49, 0.49)
    assert _elements(d) == [
        (37, "F460", "DRP", "0500000014FFFFFFFFFF0000", rain, "mm", t1005),
        (58, "2619", "PT", "000040", 4.0, "mm", t1100),
        (70, "F5C0", "DRZ1", "000C000C001C00310031FFFFFFFFFFFFFFFFFFFF00310031", level, "m",
         t1005),
        (103, "3923", "Z", "00010490", 10.49, "m", t1100),
        (109, "2019", "PJ", "000040", 4.0, "mm", t1100),
        (114, "3812", "VT", "1099", 10.99, "V", t1100),
    ]
    drp = d.element("DRP")
    assert drp.step == timedelta(minutes=5)
    assert drp.times()[0] == t1005 and drp.times()[-1] == t1100


def test_vector_d_keepalive():
    d = decode_frame(v.D_KEEPALIVE_2F)
    assert (d.centre, d.station, d.password, d.function) == (1, "0012345678", 0x1234, 0x2F)
    assert d.function_name == "link keep-alive report"
    assert (d.serial, d.send_time) == (3, datetime(2059, 10, 11, 15, 51, 11))
    assert d.frame.header.length == 8 and d.frame.crc == 0x6BCA and d.end == Control.ETX
    assert d.body_station is None and d.elements == () and d.observation_time is None


def test_added_report_33():
    d = decode_frame(v.ADDED_33)
    assert (d.function, d.serial, d.send_time) == (0x33, 38, datetime(2017, 7, 18, 10, 22, 2))
    assert d.observation_time == datetime(2017, 7, 18, 10, 22)
    assert [(e.key, e.value) for e in d.elements] == [("PJ", 4.0), ("PT", 4.0), ("Z", 10.49),
                                                      ("VT", 11.02)]


def test_status_report_46_bits():
    d = decode_frame(v.STATUS_46)
    assert (d.function, d.serial, d.password) == (0x46, 35, 0x1234)
    assert d.body_station == "0011223344" and d.station_class is None
    zt = d.element("ZT")
    assert (zt.identifier, zt.raw, zt.value, zt.offset) == ("4520", bytes.fromhex("00000400"),
                                                            0x400, 29)
    assert d.status.word == 0x400
    assert d.status.flags["pump_stopped"] is True
    assert not any(v for k, v in d.status.flags.items() if k != "pump_stopped")
    assert d.status.alarms == ["cabinet_door_open"]


def test_test_report_30_small_values():
    d = decode_frame(v.TEST_30)
    assert d.send_time == datetime(2059, 10, 11, 15, 49, 47)
    assert [(e.key, e.value) for e in d.elements] == [("PJ", 0.5), ("PT", 0.5), ("Z", 0.127),
                                                      ("VT", 11.15)]


def test_range_response_38_time_step_then_rain_array():
    d = decode_frame(v.RANGE_38)
    step, rain = d.elements
    assert (step.key, step.value) == ("DRxnn", timedelta(minutes=5))
    assert rain.key == "DRP" and rain.value[:5] == (0.5, 0.0, 0.0, 0.0, 2.0)


def test_m3_picture_packet_header():
    frame = parse_frame(v.PICTURE_36_PACKET_2)
    assert frame.header.start == Control.SYN and frame.end == Control.ETB
    assert (frame.packet_total, frame.packet_seq) == (13, 2)
    assert frame.header.length == 259 and len(frame.body) == 256 and frame.body_offset == 17
    d = decode_frame(frame)
    assert d.serial is None and "M3 continuation" in d.warnings[0]


@pytest.mark.parametrize("vector", [v.A_TIMED_32, v.B_CONFIRM_32, v.C_HOURLY_34,
                                    v.D_KEEPALIVE_2F, v.ADDED_33, v.STATUS_46])
def test_frame_length_is_length_word_plus_17(vector):
    assert len(vector) == parse_frame(vector).header.length + 17
