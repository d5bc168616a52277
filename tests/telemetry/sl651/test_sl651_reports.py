"""Body decoding beyond the reference vectors: gates, pumps, signs, user-defined elements."""

from __future__ import annotations

from datetime import timedelta

from tests.telemetry.sl651.builders import OBSERVED, SENT, element, report_body, uplink
from twin_app.telemetry.sl651.bcd import ValueStatus, encode_time
from twin_app.telemetry.sl651.reports import decode_frame


def _head(serial: int = 9) -> bytes:
    return serial.to_bytes(2, "big") + encode_time(SENT, seconds=True) + b"\xf1\xf1" + \
        bytes.fromhex("0011223344")


def test_gate_numbers_index_the_following_elements_until_the_next_time_group():
    body = report_body(
        element(0x3B, 4.12, 4, 3),                            # ZU, no gate number
        element(0x0A, 1, 2, 0), element(0x09, 1.25, 3, 2),    # GN 1, GH 1.25
        element(0x0A, 2, 2, 0), element(0x09, 444, 3, 2),     # GN 2, GH sentinel closed
        b"\xf0\xf0" + encode_time(OBSERVED, seconds=False),
        element(0x09, 0.5, 3, 2),                             # new group: no gate number
        station_class=0x5A)
    d = decode_frame(uplink(0x33, body))
    assert d.station_class_letter == "Z"
    assert [(e.key, e.index, e.value) for e in d.elements] == [
        ("ZU", None, 4.12), ("GN", None, 1.0), ("GH", 1, 1.25), ("GN", None, 2.0),
        ("GH", 2, 444.0), ("GH", None, 0.5)]
    assert d.element("GH", 2).note == "gate sentinel 444: fully closed"


def test_negative_missing_and_invalid_values():
    body = report_body(element(0x39, -1.5, 4, 3),
                       bytes.fromhex("2619FFFFFF"), bytes.fromhex("3812A0A0"))
    d = decode_frame(uplink(0x32, body))
    z, pt, vt = d.elements
    assert (z.value, z.status, z.raw.hex().upper()) == (-1.5, ValueStatus.OK, "FF001500")
    assert (pt.value, pt.status) == (None, ValueStatus.MISSING)
    assert (vt.value, vt.status) == (None, ValueStatus.INVALID)
    assert "not packed BCD" in vt.note


def test_user_defined_element_has_a_three_byte_identifier():
    body = report_body(bytes.fromhex("FF2A") + bytes((3 << 3 | 1,)) + bytes.fromhex("FF0125"),
                       element(0x38, 12.5, 2, 2))
    d = decode_frame(uplink(0x32, body))
    settlement, vt = d.elements
    assert (settlement.key, settlement.identifier, settlement.value) == ("FF2A", "FF2A19", -12.5)
    assert settlement.known and d.unknown_identifiers == ()
    assert vt.value == 12.5


def test_data_definition_differing_from_the_standard_is_noted_and_used():
    body = report_body(bytes.fromhex("3922") + bytes.fromhex("00012345"))  # 2 decimals, not 3
    z = decode_frame(uplink(0x32, body)).elements[0]
    assert z.value == 123.45 and z.decimals == 2
    assert "differs from the standard's 23" in z.note


def test_pump_state_report_4c():
    body = _head() + bytes((1, 0b0000_0101))
    d = decode_frame(uplink(0x4C, body))
    states = [(e.key, e.index, e.value) for e in d.elements]
    assert states[:4] == [("PUMP", 1, 1.0), ("PUMP", 2, 0.0), ("PUMP", 3, 1.0), ("PUMP", 4, 0.0)]
    assert len(states) == 8
    assert all(e.observed == SENT for e in d.elements)  # no F0F0 group: the send time


def test_gate_state_report_4e():
    body = _head() + bytes((3, 0b0000_0110)) + bytes.fromhex("0000" "0125" "0480")
    d = decode_frame(uplink(0x4E, body))
    assert [(e.key, e.index, e.value) for e in d.elements] == [
        ("GATE", 1, 0.0), ("GATE", 2, 1.0), ("GATE", 3, 1.0),
        ("GH", 1, 0.0), ("GH", 2, 1.25), ("GH", 3, 4.8)]


def test_uniform_interval_series_after_a_time_step_runs_to_the_end():
    step = bytes.fromhex("0418000010")  # 10 minutes
    values = bytes.fromhex("3923") + bytes.fromhex("00003250" "00003300" "FFFFFFFF" "00003410")
    d = decode_frame(uplink(0x31, report_body(step + values)))
    step_element, series = d.elements
    assert step_element.value == timedelta(minutes=10)
    assert series.key == "Z" and series.value == (3.25, 3.3, None, 3.41)
    assert series.times()[3] == OBSERVED + timedelta(minutes=30)


def test_inconsistencies_become_warnings():
    body = report_body(element(0x39, 1.0, 4, 3), station="0099999999", station_class=0x77)
    d = decode_frame(uplink(0x32, body))
    assert d.elements[0].value == 1.0
    assert d.warnings == ("station class 77H is not in Appendix A",
                          "body address 0099999999 differs from the header address 0011223344")


def test_missing_station_class_byte_is_tolerated():
    body = _head() + b"\xf0\xf0" + encode_time(OBSERVED, seconds=False) + element(0x39, 2, 4, 3)
    d = decode_frame(uplink(0x32, body))
    assert d.station_class is None and d.elements[0].value == 2.0
    assert d.warnings == ("station class byte missing after the address",)


def test_functions_without_an_element_body_are_not_walked():
    body = _head() + bytes.fromhex("0310" "03E8")  # 49H change password response
    d = decode_frame(uplink(0x49, body))
    assert d.elements == () and d.body_station == "0011223344"
    assert "body layout of 49H (change password) is not decoded" in d.warnings[0]
