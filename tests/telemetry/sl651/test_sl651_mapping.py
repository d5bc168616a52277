"""The station table: loading, errors with file and line, readings for scene sensors."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest

from tests.telemetry.sl651 import vectors as v
from tests.telemetry.sl651.builders import SENT, element, report_body, uplink
from twin_app.core.readings import Quality
from twin_app.core.scene_loader import load_scene
from twin_app.telemetry.sl651.ack import LinkMode
from twin_app.telemetry.sl651.bcd import encode_time
from twin_app.telemetry.sl651.errors import MappingError
from twin_app.telemetry.sl651.mapping import load_mapping, parse_mapping
from twin_app.telemetry.sl651.reports import decode_frame

REPO = Path(__file__).resolve().parents[3]
EXAMPLE = REPO / "scenes" / "xinchuansha" / "telemetry" / "sl651_stations.toml"
CST = timezone(timedelta(hours=8))

TABLE = """\
version = 1

[[stations]]
address = "0011223344"
password = "03E8"

[[stations.elements]]
element = "Z"
sensor = "WL-1"

[[stations.elements]]
element = "F5C0"
sensor = "WL-1"
offset = 2.0

[[stations.elements]]
element = "PJ"
sensor = "RG-1"

[[stations.elements]]
element = "VT"
sensor = "BAT-1"
unit = "mV"
scale = 1000.0
"""


def test_example_table_loads_and_every_sensor_is_in_the_scene():
    table = load_mapping(EXAMPLE)
    assert sorted(table.stations) == ["0061000001", "0061000002", "0061000003"]
    assert table.password("0061000002") == 0x1A2B
    station = table.stations["0061000002"]
    assert (station.mode, station.keep_online) == (LinkMode.M2, False)
    scene = load_scene("xinchuansha")
    table.check_sensors(sensor.id for sensor in scene.spec.sensors)


def test_readings_of_vector_a_and_c():
    table = parse_mapping(TABLE)
    a = table.readings(decode_frame(v.A_TIMED_32))
    t = datetime(2017, 7, 18, 11, 0, tzinfo=CST)
    assert [(r.sensor_id, r.time, r.value, r.unit, r.quality, r.source) for r in a] == [
        ("RG-1", t, 4.0, "mm", Quality.GOOD, "sl651:0011223344"),
        ("WL-1", t, 10.49, "m", Quality.GOOD, "sl651:0011223344"),
        ("BAT-1", t, 10990.0, "mV", Quality.GOOD, "sl651:0011223344"),
    ]
    assert a[0].utc == datetime(2017, 7, 18, 3, 0, tzinfo=UTC)
    c = [r for r in table.readings(decode_frame(v.C_HOURLY_34)) if r.sensor_id == "WL-1"]
    # seven 5-min relative levels (five "no data" left out) plus the instantaneous Z
    assert [(r.time.strftime("%H:%M"), round(r.value, 6)) for r in c] == [
        ("10:05", 2.12), ("10:10", 2.12), ("10:15", 2.28), ("10:20", 2.49), ("10:25", 2.49),
        ("10:55", 2.49), ("11:00", 2.49), ("11:00", 10.49)]


def test_unknown_station_gives_no_readings():
    table = parse_mapping(TABLE)
    assert table.readings(decode_frame(v.D_KEEPALIVE_2F)) == []
    assert table.password("0012345678") is None


def test_status_bit_gate_index_sentinels_and_pressure_conversion():
    table = load_mapping(EXAMPLE)
    body = report_body(
        element(0x0A, 1, 2, 0), element(0x09, 1.25, 3, 2),
        element(0x0A, 2, 2, 0), element(0x09, 999, 3, 2),
        element(0x0A, 3, 2, 0), element(0x09, 444, 3, 2),
        element(0x58, 98.07, 3, 2), bytes.fromhex("FF0119") + bytes.fromhex("FF0125"),
        station="0061000002", station_class=0x5A)
    readings = table.readings(decode_frame(uplink(0x32, body, station="0061000002",
                                                  password=0x1A2B)))
    values = {r.sensor_id: round(r.value, 4) for r in readings}
    assert values == {"XCS-GO-01": 1.25, "XCS-GO-02": 7.5, "XCS-GO-03": 0.0,
                      "XCS-PZ-01": round(98.07 / 9.80665 - 5.76, 4), "XCS-SM-01": -12.5}
    status = (9).to_bytes(2, "big") + encode_time(SENT, seconds=True) + b"\xf1\xf1" + \
        bytes.fromhex("0061000003") + bytes.fromhex("4520") + (1 << 10).to_bytes(4, "big")
    pump = table.readings(decode_frame(uplink(0x46, status, station="0061000003",
                                              password=0x5C5C)))
    assert [(r.sensor_id, r.value, r.time) for r in pump] == [
        ("XCS-PS-03", 0.0, SENT.replace(tzinfo=CST))]


def test_pump_state_bits_by_index():
    table = load_mapping(EXAMPLE)
    body = (3).to_bytes(2, "big") + encode_time(SENT, seconds=True) + b"\xf1\xf1" + \
        bytes.fromhex("0061000003") + bytes((1, 0b10))
    readings = table.readings(decode_frame(uplink(0x4C, body, station="0061000003")))
    assert [(r.sensor_id, r.value) for r in readings] == [("XCS-PS-01", 0.0),
                                                          ("XCS-PS-02", 1.0)]


def _error(text: str) -> MappingError:
    with pytest.raises(MappingError) as caught:
        parse_mapping(text, "stations.toml")
    return caught.value


@pytest.mark.parametrize(("old", "new", "line", "words"), [
    ('password = "03E8"', "password = 1000", 5, "must be a string of 4 hex digits"),
    ('password = "03E8"', 'password = "3E8"', 5, "not 4 hex digits"),
    ('address = "0011223344"', 'address = "00112233"', 4, "not 10 hex digits"),
    ('element = "PJ"', 'element = "RAIN"', 17, "neither an SL 651 ASCII identifier"),
    ('unit = "mV"\nscale = 1000.0', 'unit = "mV"', 23, "no conversion from 'V' (VT) to 'mV'"),
    ('sensor = "RG-1"', 'sensor = "RG 1"', 18, "String should match pattern"),
    ('element = "PJ"', 'element = "PJ"\ncolour = "red"', 18, "Extra inputs are not permitted"),
    ('element = "PJ"', 'element = "3923"', 17, "maps element Z twice"),
    ("version = 1", "version = 2", 1, "Input should be 1"),
])
def test_errors_name_file_line_and_key(old, new, line, words):
    error = _error(TABLE.replace(old, new))
    assert error.path == "stations.toml" and error.line == line, str(error)
    assert words in str(error)
    assert str(error).startswith(f"stations.toml:{line} [")


def test_sensor_fed_by_two_stations_is_an_error():
    second = TABLE.split("\n\n", 1)[1].replace("0011223344", "0099999999").replace(
        '"03E8"', '"0001"')
    error = _error(TABLE + "\n" + second)
    assert "sensor 'WL-1' is already fed by station 0011223344 (line 9)" in str(error)
    assert error.line == 32


def test_duplicate_station_and_toml_syntax_errors():
    error = _error(TABLE + '\n[[stations]]\naddress = "0011223344"\n')
    assert "listed twice" in str(error) and error.line == 27
    error = _error(TABLE.replace('sensor = "WL-1"\n\n', 'sensor = "WL-1\n\n', 1))
    assert "not valid TOML" in str(error) and error.line == 9


def test_sensor_not_in_scene_and_unreadable_file(tmp_path):
    table = parse_mapping(TABLE, "stations.toml")
    with pytest.raises(MappingError, match=r"stations.toml:22: sensor 'BAT-1' is not in"):
        table.check_sensors(["WL-1", "RG-1"])
    with pytest.raises(MappingError, match="cannot read the station table"):
        load_mapping(tmp_path / "missing.toml")
