"""The frame inspector: every field, element and check, and why a frame is rejected."""

from __future__ import annotations

import json

import pytest

from tests.telemetry.sl651 import vectors as v
from tests.telemetry.sl651.builders import element, report_body, uplink
from twin_app.telemetry.sl651.inspect import describe, format_text


def test_vector_a_field_table_matches_the_reference_decode():
    info = describe(v.A_TIMED_32.hex(" ").lower(), password=0x03E8)
    assert info["ok"] and info["verdict"] == "accepted" and info["error"] is None
    rows = [(r["offset"], r["bytes"], r["value"]) for r in info["fields"]]
    assert rows == [
        (0, "7E7E", "HEX/BCD frame"), (2, "05", 5), (3, "0011223344", "0011223344"),
        (8, "03E8", "03E8"), (10, "32", "32H timed report"),
        (11, "002B", "uplink, 43 body bytes"), (13, "02", "STX"),
        (14, "0034", 52), (16, "170718110016", "2017-07-18T11:00:16"),
        (22, "F1F1", "station address"), (24, "0011223344", "0011223344"),
        (29, "48", "H (river)"), (30, "F0F0", "observation time"),
        (32, "1707181100", "2017-07-18T11:00:00"),
        (37, "2019", "current rainfall"), (39, "000040", "4.0 mm"),
        (42, "2619", "cumulative rainfall"), (44, "000040", "4.0 mm"),
        (47, "3923", "river water level / tide level"), (49, "00010490", "10.49 m"),
        (53, "3812", "supply voltage"), (55, "1099", "10.99 V"),
        (57, "03", "ETX"), (58, "A421", "A421"),
    ]
    assert {c["check"]: c["ok"] for c in info["checks"]} == {
        "start": True, "direction": True, "length": True, "crc": True,
        "control characters": True, "password": True}
    assert info["ack"] == v.B_CONFIRM_32.hex().upper()
    assert info["body"]["serial"] == 52 and info["header"]["crc"] == "A421"
    json.dumps(info)


def test_rejected_frame_says_why_and_where():
    bad = bytearray(v.A_TIMED_32)
    bad[50] = 0x99
    info = describe(bytes(bad))
    assert not info["ok"] and info["verdict"] == "rejected: bad_crc"
    assert info["error"]["reason"] == "bad_crc" and info["error"]["offset"] == 58
    crc = next(c for c in info["checks"] if c["check"] == "crc")
    assert (crc["ok"], crc["got"], crc["expected"]) == (False, "A421", crc["expected"])
    assert crc["expected"] != "A421"
    assert info["ack"] is None
    z = next(e for e in info["elements"] if e["key"] == "Z")
    assert z["raw"] == "00990490" and z["value"] == 990.49
    text = format_text(info)
    assert "REJECTED (bad_crc)" in text and "why at byte 58: bad CRC" in text
    assert "decoded despite the bad CRC" in text


def test_wrong_password_is_reported_with_the_rest_decoded():
    info = describe(v.A_TIMED_32, password=0x1234)
    assert info["error"]["reason"] == "wrong_password" and not info["ok"]
    assert next(c for c in info["checks"] if c["check"] == "password")["ok"] is False
    assert [e["key"] for e in info["elements"]] == ["PJ", "PT", "Z", "VT"]
    assert info["ack"] is None


def test_short_frame_shows_the_header_it_has():
    info = describe(v.C_HOURLY_34[:30])
    assert info["error"]["reason"] == "short_frame"
    assert info["header"]["function"] == "34" and info["header"]["body_length"] == 104
    assert "length word 104 -> 121 bytes; frame has 30" in format_text(info)


def test_status_word_and_no_answer_for_keepalive():
    text = format_text(describe(v.STATUS_46))
    assert "bit 10 1  pump: 0 = running, 1 = stopped" in text
    text = format_text(describe(v.D_KEEPALIVE_2F))
    assert "acknowledge: none" in text


def test_unknown_elements_are_listed():
    info = describe(uplink(0x32, report_body(element(0x9A, 4.0, 3, 1))))
    assert info["unknown_identifiers"] == ["9A19"] and info["ok"]
    assert info["elements"][0]["known"] is False
    assert "unknown identifiers (skipped by length): 9A19" in format_text(info)


def test_not_hex_is_a_value_error():
    with pytest.raises(ValueError, match="not a hex frame"):
        describe("7E7E ZZ")
