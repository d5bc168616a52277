"""CRC-16/MODBUS (high byte first), packed BCD numbers and times, element identifiers."""

from __future__ import annotations

from datetime import datetime

import pytest

from tests.telemetry.sl651 import vectors as v
from twin_app.telemetry.sl651.bcd import (
    ValueStatus,
    decode_number,
    decode_time,
    encode_number,
    encode_time,
)
from twin_app.telemetry.sl651.crc import crc16, crc_bytes
from twin_app.telemetry.sl651.elements import BY_KEY, element_key
from twin_app.telemetry.sl651.elements import Kind as ElementKind
from twin_app.telemetry.sl651.values import decode_series


def _bitwise_crc(data: bytes) -> int:
    register = 0xFFFF
    for byte in data:
        register ^= byte
        for _ in range(8):
            register = (register >> 1) ^ 0xA001 if register & 1 else register >> 1
    return register


def test_crc_check_value():
    assert crc16(b"123456789") == 0x4B37


@pytest.mark.parametrize("frame", [v.A_TIMED_32, v.B_CONFIRM_32, v.C_HOURLY_34,
                                   v.D_KEEPALIVE_2F, v.ADDED_33, v.STATUS_46])
def test_crc_of_reference_frames_is_sent_high_byte_first(frame):
    assert crc_bytes(frame[:-2]) == frame[-2:]


@pytest.mark.parametrize("size", [0, 1, 2, 3, 17, 60, 121, 4112])
def test_word_table_crc_equals_bitwise_crc(size):
    data = bytes((i * 37 + 11) % 256 for i in range(size))
    assert crc16(data) == _bitwise_crc(data)
    assert crc16(bytearray(data)) == crc16(memoryview(data)) == crc16(data)


@pytest.mark.parametrize(("hex_data", "decimals", "value", "status"), [
    ("00010490", 3, 10.49, ValueStatus.OK),
    ("1099", 2, 10.99, ValueStatus.OK),
    ("000040", 1, 4.0, ValueStatus.OK),
    ("FF0123", 2, -1.23, ValueStatus.OK),  # odd digit count: FF0 before the digits
    ("FF1234", 2, -12.34, ValueStatus.OK),  # even digit count: one FF byte
    ("FF000150", 3, -0.15, ValueStatus.OK),
    ("FFFFFF", 1, None, ValueStatus.MISSING),
    ("FFFF", 2, None, ValueStatus.MISSING),
    ("00A1", 0, None, ValueStatus.INVALID),
    ("FFFF12", 1, None, ValueStatus.INVALID),
    ("0F12", 1, None, ValueStatus.INVALID),
    ("", 0, None, ValueStatus.INVALID),
])
def test_decode_number(hex_data, decimals, value, status):
    assert decode_number(bytes.fromhex(hex_data), decimals) == (value, status)


@pytest.mark.parametrize(("value", "length", "decimals", "hex_data"), [
    (10.49, 4, 3, "00010490"), (4.0, 3, 1, "000040"), (-1.23, 3, 2, "FF0123"),
    (0.0, 2, 2, "0000"), (-0.001, 4, 3, "FF000001"), (9999.99, 3, 2, "999999"),
])
def test_encode_number(value, length, decimals, hex_data):
    assert encode_number(value, length, decimals).hex().upper() == hex_data


def test_encode_number_that_does_not_fit():
    with pytest.raises(ValueError, match="holds 4"):
        encode_number(-123.45, 3, 2)
    with pytest.raises(ValueError, match="holds 6"):
        encode_number(10000.0, 3, 2)


def test_times():
    assert decode_time(bytes.fromhex("170718110016")) == datetime(2017, 7, 18, 11, 0, 16)
    assert decode_time(bytes.fromhex("1707181005")) == datetime(2017, 7, 18, 10, 5)
    assert encode_time(datetime(2017, 7, 18, 11, 0, 16), seconds=True).hex() == "170718110016"
    with pytest.raises(ValueError, match="not BCD"):
        decode_time(bytes.fromhex("17071811001A"))
    with pytest.raises(ValueError, match="not a valid date"):
        decode_time(bytes.fromhex("1713181100"))


@pytest.mark.parametrize(("key", "identifier"), [
    ("Z", "3923"), ("PJ", "2019"), ("PT", "2619"), ("VT", "3812"), ("GH", "091A"),
    ("ZU", "3B23"), ("ZB", "3A23"), ("P1", "1A19"), ("PD", "1F19"), ("GN", "0A10"),
    ("GT", "0C10"), ("ZT", "4520"), ("DRxnn", "0418"),
])
def test_standard_identifiers_follow_from_the_formats(key, identifier):
    row = BY_KEY[key.upper()]
    assert f"{row.leader:02X}{row.data_definition:02X}" == identifier


@pytest.mark.parametrize(("text", "key"), [
    ("Z", "Z"), ("z", "Z"), ("39", "Z"), ("3923", "Z"), ("drz1", "DRZ1"), ("F5C0", "DRZ1"),
    ("FF2A", "FF2A"), ("9A", "9A"), ("ZT", "ZT"),
])
def test_element_keys(text, key):
    assert element_key(text) == key


@pytest.mark.parametrize("text", ["QQQ", "FF", "123456", ""])
def test_bad_element_keys(text):
    with pytest.raises(ValueError, match=r"neither|extension"):
        element_key(text)


def test_series_no_data_conventions():
    assert decode_series(ElementKind.RAIN_SERIES, bytes.fromhex("00FF7F")) == (0.0, None, 12.7)
    assert decode_series(ElementKind.LEVEL_SERIES, bytes.fromhex("FFFF0001FFFE")) == (
        None, 0.01, 655.34)
