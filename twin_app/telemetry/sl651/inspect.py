"""The frame inspector behind ``twin-app telemetry sl651-decode HEX [--json]``.

:func:`describe` takes one frame (bytes or hex text) and returns a JSON-ready dict with every
field (offset, bytes, meaning), every check (start, length, CRC with expected and got, control
characters, password), every element, the acknowledge frame the centre would send, and for a
rejected frame the reason and the byte offset.  :func:`format_text` renders that dict for people.
"""

from __future__ import annotations

from typing import Any

from twin_app.telemetry.sl651.ack import ack_for
from twin_app.telemetry.sl651.ascii_mode import ASCII_OVERHEAD, decode_any, read_ascii_header
from twin_app.telemetry.sl651.codes import (
    HEX_START,
    Control,
    control_name,
    function_name,
)
from twin_app.telemetry.sl651.crc import crc16, crc_bytes
from twin_app.telemetry.sl651.elements import Element
from twin_app.telemetry.sl651.errors import BadCrcError, FrameError, WrongPasswordError
from twin_app.telemetry.sl651.fields import ascii_rows, body_rows, header_rows, json_value
from twin_app.telemetry.sl651.frame import HEADER_LEN, OVERHEAD, Header, read_header
from twin_app.telemetry.sl651.reports import DecodedFrame
from twin_app.telemetry.sl651.status import STATUS_BITS


def to_bytes(frame: bytes | str) -> bytes:
    """Accept bytes or hex text (spaces, colons and a ``0x`` prefix are ignored).

    Raises
    ------
    ValueError
        If the text is not hex.
    """
    if isinstance(frame, bytes | bytearray | memoryview):
        return bytes(frame)
    text = frame.strip().removeprefix("0x").removeprefix("0X")
    text = "".join(text.replace(":", " ").replace("-", " ").split())
    try:
        return bytes.fromhex(text)
    except ValueError:
        msg = f"not a hex frame: {frame[:40]!r}; give the bytes as hex, e.g. 7E7E0500..."
        raise ValueError(msg) from None


def _element_dict(element: Element) -> dict[str, Any]:
    return {"offset": element.offset, "identifier": element.identifier, "key": element.key,
            "name": element.name, "name_zh": element.name_zh, "unit": element.unit,
            "length": element.length, "decimals": element.decimals,
            "raw": element.raw.hex().upper(), "value": json_value(element.value),
            "status": element.status.value, "observed": json_value(element.observed),
            "index": element.index, "known": element.known, "note": element.note}


def _crc_field(data: bytes, total: int, ascii_mode: bool) -> tuple[int, int | None]:
    """Return (computed CRC, CRC carried) of a frame of ``total`` bytes."""
    size = 4 if ascii_mode else 2
    expected = crc16(data[:total - size])
    field = data[total - size:total]
    if not ascii_mode:
        return expected, int.from_bytes(field, "big")
    try:
        return expected, int(field.decode("ascii"), 16)
    except (UnicodeDecodeError, ValueError):
        return expected, None


def _checks(data: bytes, head: Header | None, error: FrameError | None,
            password: int | None) -> list[dict]:
    ascii_mode = data[:1] == bytes((Control.SOH,))
    start = "SOH (ASCII mode)" if ascii_mode else data[:2].hex().upper() or "(empty)"
    checks = [{"check": "start", "ok": ascii_mode or data[:2] == HEX_START, "detail": start}]
    if head is None:
        return checks
    total = head.length + (ASCII_OVERHEAD if ascii_mode else OVERHEAD)
    end_offset = total - (5 if ascii_mode else 3)
    checks.append({"check": "direction", "ok": head.direction is not None,
                   "detail": f"nibble {head.direction_nibble:X}"})
    checks.append({"check": "length", "ok": len(data) == total,
                   "detail": f"length word {head.length} -> {total} bytes; frame has {len(data)}"})
    if len(data) >= total:
        expected, got = _crc_field(data, total, ascii_mode)
        shown = "not hex" if got is None else f"{got:04X}"
        checks.append({"check": "crc", "ok": expected == got, "expected": f"{expected:04X}",
                       "got": shown, "detail": f"computed {expected:04X}, frame has {shown}"})
        checks.append({"check": "control characters",
                       "ok": error is None or error.reason != "bad_control_char",
                       "detail": f"{control_name(head.start)} ... "
                                 f"{control_name(data[end_offset])}"})
    if password is None:
        checks.append({"check": "password", "ok": None, "detail": "not checked (none given)"})
    else:
        checks.append({"check": "password", "ok": head.password == password,
                       "detail": f"frame {head.password:04X}, expected {password:04X}"})
    return checks


def describe(frame: bytes | str, password: int | None = None) -> dict[str, Any]:
    """Describe one frame: every field, element and check, and why it is rejected.

    Parameters
    ----------
    frame : bytes or str
        The frame, as bytes or hex text.
    password : int, optional
        The station's password; when given it is checked.

    Returns
    -------
    dict
        JSON-ready: ``ok``, ``verdict``, ``size``, ``header``, ``checks``, ``fields`` (offset,
        bytes, field, value), ``elements``, ``unknown_identifiers``, ``status_word``,
        ``warnings``, ``ack`` (hex of the M2 confirm, or ``None``) and ``error`` (type, reason,
        offset, message, hint) for a rejected frame.
    """
    data = to_bytes(frame)
    head = _any_header(data)
    decoded: DecodedFrame | None = None
    error: FrameError | None = None
    try:
        decoded = decode_any(data)
        if password is not None and decoded.password != password:
            error = WrongPasswordError(decoded.station, password, decoded.password)
    except FrameError as exc:
        error = exc
        decoded = _despite_bad_crc(data, exc)
    result: dict[str, Any] = {
        "ok": error is None, "size": len(data), "hex": data.hex().upper(),
        "verdict": "accepted" if error is None else f"rejected: {error.reason}",
        "checks": _checks(data, head, error, password),
        "header": None, "fields": header_rows(data, head) if head else [],
        "elements": [], "unknown_identifiers": [], "status_word": None, "warnings": [],
        "ack": None, "error": None,
    }
    if head is not None:
        result["header"] = {
            "direction": {0: "up", 8: "down"}.get(head.direction_nibble),
            "centre": head.centre, "station": head.station, "password": f"{head.password:04X}",
            "function": f"{head.function:02X}", "function_name": function_name(head.function),
            "body_length": head.length, "body_start": control_name(head.start)}
    if decoded is not None:
        _add_decoded(result, decoded, error)
    if error is not None:
        result["error"] = {"type": type(error).__name__, "reason": error.reason,
                           "offset": error.offset, "message": error.detail,
                           "hint": error.hint}
    return result


def _any_header(data: bytes) -> Header | None:
    if data[:2] == HEX_START and len(data) >= HEADER_LEN:
        return read_header(data)
    if data[:1] == bytes((Control.SOH,)):
        try:
            return read_ascii_header(data)
        except FrameError:
            return None
    return None


def _despite_bad_crc(data: bytes, error: FrameError) -> DecodedFrame | None:
    """Decode a frame whose only fault is its CRC, so the engineer sees what it says."""
    if not isinstance(error, BadCrcError) or error.offset is None:
        return None
    head = data[:error.offset]
    fixed = head + (f"{crc16(head):04X}".encode() if data[:1] == b"\x01" else crc_bytes(head))
    try:
        return decode_any(fixed)
    except FrameError:
        return None


def _add_decoded(result: dict[str, Any], decoded: DecodedFrame,
                 error: FrameError | None) -> None:
    frame = decoded.frame
    result["header"].update({
        "end": control_name(frame.end), "crc": f"{frame.crc:04X}",
        "packet": None if frame.packet_total is None else
        {"count": frame.packet_total, "seq": frame.packet_seq}})
    result["body"] = {
        "serial": decoded.serial, "send_time": json_value(decoded.send_time),
        "station": decoded.body_station, "station_class": decoded.station_class_letter,
        "observation_time": json_value(decoded.observation_time)}
    result["fields"] = (ascii_rows(decoded) if decoded.encoding == "ASCII"
                        else result["fields"] + body_rows(decoded))
    result["elements"] = [_element_dict(e) for e in decoded.elements]
    result["unknown_identifiers"] = list(decoded.unknown_identifiers)
    result["warnings"] = list(decoded.warnings)
    if isinstance(error, BadCrcError):
        result["fields"][-1].update(bytes=frame.raw[-4:].hex().upper() if decoded.encoding ==
                                    "ASCII" else f"{error.got:04X}",
                                    value=f"{error.got:04X} (computed {error.expected:04X})")
        result["warnings"].insert(0, "decoded despite the bad CRC: values may be corrupt")
    if decoded.status is not None:
        result["status_word"] = {"word": f"{decoded.status.word:08X}",
                                 "flags": decoded.status.flags, "alarms": decoded.status.alarms}
    if error is None:
        ack = ack_for(decoded)
        result["ack"] = ack.hex().upper() if ack else None


def format_text(info: dict[str, Any]) -> str:
    """Render the dict of :func:`describe` as text for a terminal.

    Parameters
    ----------
    info : dict
        The result of :func:`describe`.

    Returns
    -------
    str
        Verdict, checks, a byte-by-byte field table, status bits, the acknowledge frame and, for a
        rejected frame, the reason with its offset and what to do.
    """
    verdict = "ACCEPTED" if info["ok"] else f"REJECTED ({info['error']['reason']})"
    lines = [f"SL 651-2014 frame, {info['size']} bytes: {verdict}"]
    head = info.get("header")
    if head:
        lines.append(f"  {head['function_name']} ({head['function']}H), {head['direction'] or '?'}"
                     f"link, station {head['station']}, centre {head['centre']}, "
                     f"password {head['password']}")
    if info["error"]:
        err = info["error"]
        where = "" if err["offset"] is None else f" at byte {err['offset']}"
        lines += [f"  why{where}: {err['message']}"]
        if err["hint"]:
            lines.append(f"  what to do: {err['hint']}")
    lines.append("checks:")
    marks = {True: " ok ", False: "FAIL", None: " -- "}
    lines += [f"  [{marks[c['ok']]}] {c['check']:<19} {c['detail']}" for c in info["checks"]]
    if info["fields"]:
        lines += ["fields:", f"  {'offset':>6}  {'bytes':<26} {'field':<26} value"]
        for row in info["fields"]:
            raw = row["bytes"] if len(row["bytes"]) <= 26 else row["bytes"][:23] + "..."
            lines.append(f"  {row['offset']:>6}  {raw:<26} {row['field']:<26} {row['value']}")
    if info["status_word"]:
        word = info["status_word"]
        lines.append(f"status word {word['word']}:")
        for number, (name, meaning) in STATUS_BITS.items():
            lines.append(f"  bit {number:>2} {int(word['flags'][name])}  {meaning}")
    if info["unknown_identifiers"]:
        lines.append("unknown identifiers (skipped by length): "
                     + ", ".join(info["unknown_identifiers"]))
    lines += [f"warning: {text}" for text in info["warnings"]]
    if info["ack"]:
        lines.append(f"acknowledge (M2, {control_name(Control.ESC)}): {info['ack']}")
    elif info["ok"]:
        lines.append("acknowledge: none (the standard asks for no answer to this frame)")
    return "\n".join(lines)
