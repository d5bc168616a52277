"""The byte-by-byte field table of the frame inspector (offset, bytes, field, value).

:func:`header_rows` needs only the 14-byte header, so a rejected frame still shows what it has;
:func:`body_rows` and :func:`ascii_rows` walk a decoded HEX or ASCII frame, including the
``F0F0`` / ``F1F1`` (``TT`` / ``ST``) groups the element list does not carry.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta

from twin_app.telemetry.sl651.bcd import decode_time
from twin_app.telemetry.sl651.codes import STATION_CLASSES, control_name, function_name
from twin_app.telemetry.sl651.elements import Element
from twin_app.telemetry.sl651.frame import HEADER_LEN, Direction, Header
from twin_app.telemetry.sl651.reports import DecodedFrame


def json_value(value: object) -> object:
    """Return ``value`` in a form ``json.dumps`` accepts (times as ISO text, bytes as hex)."""
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, timedelta):
        return f"{int(value.total_seconds() // 60)} min"
    if isinstance(value, bytes):
        return value.hex().upper()
    if isinstance(value, tuple):
        return [json_value(v) for v in value]
    return value


def _field(rows: list[dict], offset: int, raw: bytes, name: str, value: object) -> None:
    rows.append({"offset": offset, "bytes": raw.hex().upper(), "field": name,
                 "value": json_value(value)})


def header_rows(data: bytes, head: Header) -> list[dict]:
    """Rows of the 14-byte HEX/BCD header (address order by direction)."""
    rows: list[dict] = []
    down = head.direction == Direction.DOWN
    _field(rows, 0, data[:2], "start", "HEX/BCD frame")
    addresses = [(1, "central station address", head.centre),
                 (5, "remote station address", head.station)]
    offset = 2
    for size, name, value in reversed(addresses) if down else addresses:
        _field(rows, offset, data[offset:offset + size], name, value)
        offset += size
    _field(rows, 8, data[8:10], "password", f"{head.password:04X}")
    _field(rows, 10, data[10:11], "function code",
           f"{head.function:02X}H {function_name(head.function)}")
    direction = {0: "uplink", 8: "downlink"}.get(head.direction_nibble, "invalid direction")
    _field(rows, 11, data[11:13], "direction + length", f"{direction}, {head.length} body bytes")
    _field(rows, 13, data[13:14], "body start", control_name(head.start))
    return rows


def _gap_rows(rows: list[dict], data: bytes, start: int, stop: int) -> None:
    """Describe bytes between elements: F0F0 observation-time groups, F1F1 addresses."""
    pos = start
    while pos < stop:
        mark = data[pos:pos + 2]
        if mark in (b"\xf0\xf0", b"\xf1\xf1") and pos + 7 <= stop:
            time = mark == b"\xf0\xf0"
            _field(rows, pos, mark, "identifier " + mark.hex().upper(),
                   "observation time" if time else "station address")
            raw = data[pos + 2:pos + 7]
            value: object = raw.hex().upper()
            if time:
                try:
                    value = decode_time(raw)
                except ValueError as error:
                    value = str(error)
            _field(rows, pos + 2, raw, "observation time" if time else "station address", value)
            pos += 7
        else:
            _field(rows, pos, data[pos:stop], "not decoded", "")
            pos = stop


def body_rows(decoded: DecodedFrame) -> list[dict]:
    """Rows of the body of a decoded HEX/BCD frame, through the end character and CRC."""
    frame, data = decoded.frame, decoded.frame.raw
    rows: list[dict] = []
    pos = HEADER_LEN
    if frame.packet_total is not None:
        _field(rows, pos, data[pos:pos + 3], "packet count + sequence",
               f"packet {frame.packet_seq} of {frame.packet_total}")
        pos += 3
    if decoded.serial is not None:
        _field(rows, pos, data[pos:pos + 2], "serial number", decoded.serial)
        _field(rows, pos + 2, data[pos + 2:pos + 8], "send time", decoded.send_time)
        pos += 8
    if decoded.body_station is not None:
        _field(rows, pos, data[pos:pos + 2], "identifier F1F1", "station address")
        _field(rows, pos + 2, data[pos + 2:pos + 7], "station address", decoded.body_station)
        pos += 7
    if decoded.station_class is not None:
        letter, kind = STATION_CLASSES.get(decoded.station_class, ("?", "not in Appendix A"))
        _field(rows, pos, data[pos:pos + 1], "station class", f"{letter} ({kind})")
        pos += 1
    end = len(data) - 3
    for element in decoded.elements:
        if element.offset > pos:
            _gap_rows(rows, data, pos, element.offset)
        id_len = len(element.identifier) // 2
        if element.offset >= pos:
            _field(rows, element.offset, data[element.offset:element.offset + id_len],
                   f"identifier {element.identifier}", element.name or "unknown element")
        _field(rows, element.offset + id_len, element.raw, element.key,
               value_text(element))
        pos = max(pos, element.offset + id_len + len(element.raw))
    if pos < end:
        _gap_rows(rows, data, pos, end)
    _field(rows, end, data[end:end + 1], "end character", control_name(frame.end))
    _field(rows, end + 1, data[end + 1:], "CRC", f"{frame.crc:04X}")
    return rows


def ascii_rows(decoded: DecodedFrame) -> list[dict]:
    """Field table of an ASCII-mode frame (offsets in characters)."""
    frame, data = decoded.frame, decoded.frame.raw
    head = frame.header
    rows: list[dict] = []
    _field(rows, 0, data[:1], "start", "SOH (ASCII frame)")
    spans = [(1, 2, "central station address", head.centre),
             (3, 10, "remote station address", head.station)]
    if head.direction == Direction.DOWN:
        spans = [(1, 10, spans[1][2], head.station), (11, 2, spans[0][2], head.centre)]
    for offset, size, name, value in [*spans, (13, 4, "password", f"{head.password:04X}"),
                                      (17, 2, "function code", f"{head.function:02X}H "
                                       f"{function_name(head.function)}"),
                                      (19, 4, "direction + length",
                                       f"{'down' if head.direction_nibble else 'up'}link, "
                                       f"{head.length} body characters"),
                                      (23, 1, "body start", control_name(head.start)),
                                      (24, 4, "serial number", decoded.serial),
                                      (28, 12, "send time", decoded.send_time)]:
        _field(rows, offset, data[offset:offset + size], name, value)
    for match in re.finditer(rb"(ST|TT) (\S+)( [A-Z](?= ))?", data[40:len(data) - 5]):
        offset = 40 + match.start()
        station = match.group(1) == b"ST"
        _field(rows, offset, match.group(1), f"identifier {match.group(1).decode()}",
               "station address" if station else "observation time")
        _field(rows, offset + 3, match.group(2), "station address" if station else
               "observation time", match.group(2).decode("ascii", "replace") if station else
               _ascii_time(match.group(2)))
        if station and match.group(3):
            _field(rows, offset + 4 + len(match.group(2)), match.group(3).strip(),
                   "station class", decoded.station_class_letter)
    for element in decoded.elements:
        _field(rows, element.offset, element.identifier.encode(), f"identifier {element.key}",
               element.name or "unknown element")
        if element.key != "DRxnn":
            _field(rows, element.offset + len(element.identifier) + 1, element.raw,
                   element.key, value_text(element))
    rows.sort(key=lambda row: row["offset"])
    end = len(data) - 5
    _field(rows, end, data[end:end + 1], "end character", control_name(frame.end))
    _field(rows, end + 1, data[end + 1:], "CRC", f"{frame.crc:04X}")
    return rows


def _ascii_time(token: bytes) -> object:
    try:
        return json_value(decode_time(bytes.fromhex(token.decode())))
    except ValueError as error:
        return str(error)


def value_text(element: Element) -> str:
    """Return the value of an element with its unit and note, for the table."""
    if element.status.value != "ok":
        return f"{element.status.value} ({element.note})" if element.note else element.status.value
    value = json_value(element.value)
    text = f"{value} {element.unit}".strip() if not isinstance(value, list) else (
        f"{value} {element.unit} every 5 min".strip())
    return f"{text} ({element.note})" if element.note else text
