"""CSV and Delft-FEWS PI-XML time-series files."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest

from twin_app.core.readings import Quality, Reading
from twin_app.core.scene_loader import load_scene
from twin_app.io.timeseries import (
    PI_NAMESPACE,
    TimeSeriesFileError,
    read_csv,
    read_pi_xml,
    write_csv,
    write_pi_xml,
)

SHANGHAI = timezone(timedelta(hours=8))
T0 = datetime(2024, 9, 16, 6, 0, tzinfo=SHANGHAI)
NS = {"pi": PI_NAMESPACE}


def _readings() -> list[Reading]:
    levels = [Reading("HPK-WL-01", T0 + timedelta(minutes=5 * i), 4.4 + 0.037 * i, "m",
                      Quality(i % 4), "test") for i in range(12)]
    rain = [Reading("HPK-RG-01", T0 + timedelta(minutes=m), r, "mm/h", source="test")
            for m, r in ((0, 0.0), (7, 12.5), (60, 31.25))]
    settlement = [Reading("HPK-SM-01", datetime(2024, 9, 15, 23, tzinfo=UTC), 12.345678901234,
                          "mm", Quality.SUSPECT, "test")]
    return levels + rain + settlement


def _same(read: list[Reading], written: list[Reading]) -> None:
    key = [(r.sensor_id, r.time, r.value, r.unit, r.quality) for r in read]
    assert key == [(r.sensor_id, r.time, r.value, r.unit, r.quality) for r in written]


# -- CSV ------------------------------------------------------------------------------------------


def test_csv_round_trip_keeps_values_zones_and_quality(tmp_path: Path) -> None:
    path = tmp_path / "levels.csv"
    written = _readings()
    assert write_csv(path, written, comments=["illustrative data"]) == len(written)
    text = path.read_text()
    assert text.startswith("# illustrative data\nsensor_id,time,value,unit,quality\n")
    assert "HPK-WL-01,2024-09-16T06:05:00+08:00,4.437,m,suspect\n" in text
    result = read_csv(path, source_name="file")
    assert result.errors == []
    _same(result.readings, written)
    assert result.readings[0].time.utcoffset() == timedelta(hours=8)
    assert result.readings[-1].time.utcoffset() == timedelta(0)
    assert {r.source for r in result.readings} == {"file"}
    assert result.series == 3


def test_csv_export_in_one_zone(tmp_path: Path) -> None:
    path = tmp_path / "utc.csv"
    write_csv(path, _readings()[:1], tz=UTC)
    assert "2024-09-15T22:00:00+00:00" in path.read_text()


def test_csv_tolerates_bom_comments_blank_lines_extra_columns_and_missing_values(
        tmp_path: Path) -> None:
    path = tmp_path / "excel.csv"
    path.write_text("\ufeff# exported by hand\n\nTime,Sensor_ID,Value,Unit,Quality,Source\n"
                    "2024-09-16T06:00:00Z,XCS-WL-01,3.5,m,,gauge\n"
                    "# a comment in the middle\n"
                    "2024-09-16T06:05:00Z,XCS-WL-01,,m,missing,gauge\n"
                    '2024-09-16T06:10:00Z,XCS-WL-01,"3.75",m,2,gauge\n', encoding="utf-8",
                    newline="\r\n")  # as Excel writes it
    result = read_csv(path)
    assert result.errors == []
    assert [(r.value, r.quality) for r in result.readings] == [(3.5, Quality.GOOD),
                                                               (3.75, Quality.BAD)]
    assert result.missing == 1


def test_bad_csv_rows_are_counted_with_file_and_line(tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_text("sensor_id,time,value,unit,quality\n"
                    "XCS-WL-01,2024-09-16T06:00:00+08:00,3.5,m,good\n"
                    "XCS-WL-01,2024-09-16T06:05:00,3.6,m,good\n"
                    "XCS-WL-01,16/09/2024 06:10,3.7,m,good\n"
                    "XCS-WL-01,2024-09-16T06:15:00+08:00,high,m,good\n"
                    "XCS-WL-01,2024-09-16T06:20:00+08:00,nan,m,good\n"
                    "XCS-WL-01,2024-09-16T06:25:00+08:00,3.8,,good\n"
                    "XCS-WL-01,2024-09-16T06:30:00+08:00,3.9,m,great\n"
                    "XCS WL 01,2024-09-16T06:35:00+08:00,4.0,m,good\n"
                    "XCS-WL-01,2024-09-16T06:40:00+08:00\n"
                    "XCS-WL-01,2024-09-16T06:45:00+08:00,4.1,m,0\n")
    result = read_csv(path)
    assert [r.value for r in result.readings] == [3.5, 4.1]
    assert [e.line for e in result.errors] == [3, 4, 5, 6, 7, 8, 9, 10]
    messages = [str(e) for e in result.errors]
    assert messages[0] == (f"{path}:3: time '2024-09-16T06:05:00' has no zone; "
                           "add +08:00 (Shanghai) or Z (UTC)")
    for message, words in zip(messages[1:], ("not ISO 8601", "not a number", "not finite",
                                             "no unit", "quality 'great'", "sensor id",
                                             "2 fields"), strict=True):
        assert words in message
    with pytest.raises(TimeSeriesFileError, match=r"bad\.csv:3: time .* has no zone"):
        read_csv(path, strict=True)
    with pytest.raises(TimeSeriesFileError, match="more than 3 bad rows"):
        read_csv(path, max_errors=3)


def test_unusable_csv_files_raise_with_what_to_do(tmp_path: Path) -> None:
    no_unit = tmp_path / "no_unit.csv"
    no_unit.write_text("# header follows\nsensor_id,time,value\nA,2024-09-16T00:00:00Z,1\n")
    with pytest.raises(TimeSeriesFileError, match=r"no_unit\.csv:2: header lacks unit") as info:
        read_csv(no_unit)
    assert "sensor_id,time,value,unit,quality" in str(info.value)
    empty = tmp_path / "empty.csv"
    empty.write_text("# nothing\n")
    with pytest.raises(TimeSeriesFileError, match="no header row"):
        read_csv(empty)
    with pytest.raises(TimeSeriesFileError, match="cannot open"):
        read_csv(tmp_path / "absent.csv")
    latin = tmp_path / "latin.csv"
    latin.write_bytes("sensor_id,time,value,unit\nA,2024-09-16T00:00:00Z,1,\xb0\n".encode("latin-1"))
    with pytest.raises(TimeSeriesFileError, match="not UTF-8"):
        read_csv(latin)


# -- PI-XML ---------------------------------------------------------------------------------------


def test_pi_xml_round_trip(tmp_path: Path) -> None:
    path = tmp_path / "export.xml"
    written = _readings()
    assert write_pi_xml(path, written) == 3
    result = read_pi_xml(path, source_name="fews")
    assert result.errors == []
    assert result.series == 3
    _same(result.readings, written)
    assert result.readings[0].time.utcoffset() == timedelta(hours=8)
    assert {r.source for r in result.readings} == {"fews"}


def test_pi_xml_follows_the_schema_layout(tmp_path: Path) -> None:
    path = tmp_path / "scene.xml"
    scene = load_scene("huangpu").spec
    write_pi_xml(path, _readings(), scene=scene, parameter_ids={"HPK-SM-01": "SETTLE"})
    root = ET.parse(path).getroot()
    assert root.tag == f"{{{PI_NAMESPACE}}}TimeSeries"
    assert root.get("version") == "1.2"
    assert root[0].tag == f"{{{PI_NAMESPACE}}}timeZone"
    assert root[0].text == "8.0"
    level, rain, settlement = root.findall("pi:series", NS)
    header = level.find("pi:header", NS)
    assert [child.tag.split("}")[1] for child in header] == [
        "type", "locationId", "parameterId", "timeStep", "startDate", "endDate", "missVal",
        "stationName", "units"]
    assert header.find("pi:timeStep", NS).attrib == {"unit": "second", "multiplier": "300"}
    assert header.find("pi:startDate", NS).attrib == {"date": "2024-09-16", "time": "06:00:00"}
    assert header.find("pi:endDate", NS).attrib == {"date": "2024-09-16", "time": "06:55:00"}
    assert header.find("pi:parameterId", NS).text == "H.obs"
    assert header.find("pi:stationName", NS).text == "Huangpu Park tide station"
    assert [e.get("flag") for e in level.findall("pi:event", NS)][:4] == ["0", "3", "6", "9"]
    assert rain.find("pi:header/pi:timeStep", NS).get("unit") == "nonequidistant"
    assert rain.find("pi:header/pi:parameterId", NS).text == "P.obs"
    assert settlement.find("pi:header/pi:parameterId", NS).text == "SETTLE"
    event = settlement.find("pi:event", NS)
    assert (event.get("date"), event.get("time")) == ("2024-09-16", "07:00:00")  # UTC+8


HAND_WRITTEN_PI = """<?xml version="1.0" encoding="UTF-8"?>
<!-- Hand-written for this test, following the published PI time-series schema
     (pi_timeseries.xsd: timeZone first, then series = header + events). Values are invented. -->
<TimeSeries xmlns="http://www.wldelft.nl/fews/PI"
            xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
            xsi:schemaLocation="http://www.wldelft.nl/fews/PI
              http://fews.wldelft.nl/schemas/version1.0/pi-schemas/pi_timeseries.xsd"
            version="1.2">
  <timeZone>8.0</timeZone>
  <series>
    <header>
      <type>instantaneous</type>
      <moduleInstanceId>ImportTide</moduleInstanceId>
      <locationId>HPGY</locationId>
      <parameterId>H.tide.wusong</parameterId>
      <qualifierId>validated</qualifierId>
      <timeStep unit="second" multiplier="300"/>
      <startDate date="2024-09-16" time="07:00:00"/>
      <endDate date="2024-09-16" time="07:15:00"/>
      <missVal>-999.0</missVal>
      <longName>Huangpu Park</longName>
      <stationName>Huangpu Park</stationName>
      <lat>31.245073</lat>
      <lon>121.486565</lon>
      <units>m</units>
      <creationDate>2024-09-16</creationDate>
      <creationTime>08:00:00</creationTime>
    </header>
    <event date="2024-09-16" time="07:00:00" value="5.21" flag="0"/>
    <event date="2024-09-16" time="07:05:00" value="-999.0" flag="9"/>
    <event date="2024-09-16" time="07:10:00" value="5.27" flag="4" comment="corrected"/>
    <event date="2024-09-16" time="07:15:00" value="5.30"/>
  </series>
  <series>
    <header>
      <type>accumulative</type>
      <locationId>HPK-RG</locationId>
      <parameterId>P.obs</parameterId>
      <timeStep unit="nonequidistant"/>
      <startDate date="2024-09-16" time="06:00:00"/>
      <endDate date="2024-09-16" time="09:00:00"/>
      <missVal>NaN</missVal>
      <units>mm/h</units>
    </header>
    <event date="2024-09-16" time="06:00:00" value="12.5" flag="7"/>
    <event date="2024-09-16" time="09:00:00" value="NaN" flag="9"/>
  </series>
</TimeSeries>
"""


def test_hand_written_pi_xml_is_read(tmp_path: Path) -> None:
    path = tmp_path / "fews.xml"
    path.write_text(HAND_WRITTEN_PI)
    result = read_pi_xml(path, sensor_ids={("HPGY", "H.tide.wusong"): "HPK-WL-01"})
    assert result.errors == []
    assert (result.series, result.missing) == (2, 2)
    assert [(r.sensor_id, r.time, r.value, r.unit, r.quality) for r in result.readings] == [
        ("HPK-WL-01", datetime(2024, 9, 16, 7, 0, tzinfo=SHANGHAI), 5.21, "m", Quality.GOOD),
        ("HPK-WL-01", datetime(2024, 9, 16, 7, 10, tzinfo=SHANGHAI), 5.27, "m", Quality.SUSPECT),
        ("HPK-WL-01", datetime(2024, 9, 16, 7, 15, tzinfo=SHANGHAI), 5.30, "m", Quality.GOOD),
        ("HPK-RG", datetime(2024, 9, 15, 22, 0, tzinfo=UTC), 12.5, "mm/h", Quality.BAD),
    ]


def test_pi_xml_without_time_zone_is_gmt(tmp_path: Path) -> None:
    path = tmp_path / "gmt.xml"
    path.write_text(HAND_WRITTEN_PI.replace("<timeZone>8.0</timeZone>", ""))
    first = read_pi_xml(path).readings[0]
    assert first.time == datetime(2024, 9, 16, 7, 0, tzinfo=UTC)


def _line_of(lines: list[str], needle: str) -> int:
    return next(n for n, text in enumerate(lines, 1) if needle in text)


def test_bad_pi_xml_events_and_headers_are_reported_with_lines(tmp_path: Path) -> None:
    path = tmp_path / "bad.xml"
    broken = (HAND_WRITTEN_PI
              .replace('value="5.27" flag="4"', 'value="high" flag="4"')
              .replace('value="5.30"/>', 'value="5.30" flag="12"/>')
              .replace("<units>mm/h</units>", ""))
    path.write_text(broken)
    result = read_pi_xml(path)
    assert [r.value for r in result.readings] == [5.21]
    lines = broken.splitlines()
    second_header_end = [n for n, text in enumerate(lines, 1) if "</header>" in text][1]
    assert [e.line for e in result.errors] == [
        _line_of(lines, 'value="high"'), _line_of(lines, 'flag="12"'), second_header_end]
    assert "bad date, time or value" in result.errors[0].message
    assert "flag '12'" in result.errors[1].message
    assert "lacks units" in result.errors[2].message
    with pytest.raises(TimeSeriesFileError, match=r"bad\.xml:\d+: event of HPGY"):
        read_pi_xml(path, strict=True)


def test_files_that_are_not_pi_xml(tmp_path: Path) -> None:
    not_xml = tmp_path / "not.xml"
    not_xml.write_text("<TimeSeries><series>\n</TimeSeries>\n")
    with pytest.raises(TimeSeriesFileError, match=r"not\.xml:2: not well-formed XML"):
        read_pi_xml(not_xml)
    other = tmp_path / "other.xml"
    other.write_text('<?xml version="1.0"?>\n<Locations xmlns="http://www.wldelft.nl/fews/PI"/>')
    with pytest.raises(TimeSeriesFileError, match="root element is <Locations>"):
        read_pi_xml(other)
    zone = tmp_path / "zone.xml"
    zone.write_text(HAND_WRITTEN_PI.replace("<timeZone>8.0", "<timeZone>CST"))
    with pytest.raises(TimeSeriesFileError, match="timeZone 'CST'"):
        read_pi_xml(zone)
