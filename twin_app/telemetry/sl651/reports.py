"""Decode the body of an SL 651 frame into a :class:`DecodedFrame`.

Uplink body (section 6.6): serial number (2 B) · send time (6 B BCD) · ``F1F1`` + station address
(5 B) · station class (1 B, in the data reports 30H-3AH and 44H) · then groups of ``F0F0`` +
observation time (5 B) followed by elements.  The keep-alive 2FH stops after the send time; the
status report 46H has the address but no class, then ``45 20`` + the 4-byte status word; 4CH and
4EH carry pump and gate state bit fields (Tables 71 and 77).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from twin_app.telemetry.sl651.bcd import ValueStatus, decode_number, decode_time
from twin_app.telemetry.sl651.codes import STATION_CLASSES, Function, function_name
from twin_app.telemetry.sl651.elements import (
    MANUAL_TEXT,
    OBSERVATION_TIME,
    PICTURE,
    STATION_ADDRESS,
    USER_DEFINED,
    Element,
    ElementValue,
    IdentifierInfo,
    Kind,
    identifier_info,
)
from twin_app.telemetry.sl651.errors import (
    BodyError,
    LengthMismatchError,
    UnknownElementError,
    WrongPasswordError,
)
from twin_app.telemetry.sl651.frame import Direction, Frame, parse_frame
from twin_app.telemetry.sl651.status import StatusWord, decode_bit_field
from twin_app.telemetry.sl651.values import decode_value

logger = logging.getLogger(__name__)

WITH_STATION_CLASS = frozenset(range(0x30, 0x3B)) | {0x44}
"""Functions whose body has the station class byte after the address."""
WITH_ELEMENTS = frozenset(range(0x30, 0x3B)) | {0x44, 0x46, 0x4C, 0x4E}
"""Functions whose body (after the address) is made of Table C.1 elements or state fields; other
functions (configuration tables, versions, commands, reserved and user-defined codes) are decoded
up to the address and the rest is left as it is."""
SERIES_TO_END = frozenset({Function.UNIFORM_INTERVAL, Function.QUERY_RANGE})
"""Functions in which a number element after a time-step code runs to the end of the body."""


@dataclass(frozen=True, slots=True)
class DecodedFrame:
    """Everything in one frame.

    Attributes
    ----------
    frame : Frame
        The checked envelope.
    direction : Direction
        Up (station to centre) or down.
    centre : int
        Central station address.
    station : str
        Remote station address from the header, 10 hex digits.
    password : int
        The password field.
    function : int
        Function code.
    function_name : str
        Its name in Table B.1.
    end : int
        End character.
    serial : int or None
        Serial number of the report (``None`` in M3 continuation packets).
    send_time : datetime or None
        When the station sent the frame (naive, station clock).
    body_station : str or None
        The address after ``F1F1`` in the body.
    station_class : int or None
        The class code byte (48H = ``H`` river ...).
    observation_time : datetime or None
        The first observation time in the body.
    elements : tuple of Element
        Decoded elements, in order.
    unknown_identifiers : tuple of str
        Identifiers (hex) the element table does not know; they were skipped by their length.
    status : StatusWord or None
        The ZT word, if the frame carries one.
    warnings : tuple of str
        Things that look wrong but did not stop decoding.
    encoding : str
        ``"HEX"`` (HEX/BCD frames, 7E7E) or ``"ASCII"`` (SOH frames).
    """

    frame: Frame
    direction: Direction
    centre: int
    station: str
    password: int
    function: int
    function_name: str
    end: int
    serial: int | None = None
    send_time: datetime | None = None
    body_station: str | None = None
    station_class: int | None = None
    observation_time: datetime | None = None
    elements: tuple[Element, ...] = ()
    unknown_identifiers: tuple[str, ...] = ()
    status: StatusWord | None = None
    warnings: tuple[str, ...] = field(default=())
    encoding: str = "HEX"

    @property
    def station_class_letter(self) -> str | None:
        """The class letter (``"H"``), or ``None``."""
        if self.station_class is None:
            return None
        return STATION_CLASSES.get(self.station_class, (f"{self.station_class:02X}H", ""))[0]

    def element(self, key: str, index: int | None = None) -> Element | None:
        """Return the first element with ``key`` (and ``index``, if given), or ``None``."""
        for item in self.elements:
            if item.key == key and (index is None or item.index == index):
                return item
        return None


@dataclass
class _Walk:
    body: bytes
    base: int
    function: int
    strict: bool
    pos: int = 0
    observed: datetime | None = None
    first_observed: datetime | None = None
    gate: int | None = None
    step: timedelta | None = None
    elements: list[Element] = field(default_factory=list)
    unknown: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def need(self, count: int, what: str) -> bytes:
        if self.pos + count > len(self.body):
            msg = (f"{what} needs {count} bytes but only {len(self.body) - self.pos} remain "
                   f"in the body")
            raise LengthMismatchError(msg, offset=self.base + self.pos)
        data = self.body[self.pos: self.pos + count]
        self.pos += count
        return data

    def time(self, count: int, what: str) -> datetime:
        start = self.base + self.pos
        raw = self.need(count, what)
        try:
            return decode_time(raw)
        except ValueError as error:
            raise BodyError(f"{what}: {error}", offset=start) from None


def _header_fields(walk: _Walk, frame: Frame) -> dict[str, object]:
    fields: dict[str, object] = {}
    if frame.packet_seq is not None and frame.packet_seq > 1:
        return fields
    serial = walk.need(2, "serial number")
    fields["serial"] = int.from_bytes(serial, "big")
    fields["send_time"] = walk.time(6, "send time")
    body = walk.body
    if body[walk.pos: walk.pos + 2] == STATION_ADDRESS and frame.header.direction == Direction.UP:
        walk.pos += 2
        fields["body_station"] = walk.need(5, "station address").hex().upper()
        if walk.function in WITH_STATION_CLASS and walk.pos < len(body):
            if body[walk.pos: walk.pos + 2] == OBSERVATION_TIME:
                walk.warnings.append("station class byte missing after the address")
            else:
                fields["station_class"] = body[walk.pos]
                walk.pos += 1
                if fields["station_class"] not in STATION_CLASSES:
                    walk.warnings.append(
                        f"station class {fields['station_class']:02X}H is not in Appendix A")
    return fields


_UNRELIABLE = frozenset({0xF0, 0xF1, 0xF2, 0xF3, 0xFD})
"""Leaders whose data definition does not give a length to skip by (other than the markers)."""


def _identifier(walk: _Walk) -> IdentifierInfo:
    """Read the identifier at the cursor and move past it."""
    body, pos = walk.body, walk.pos
    leader = body[pos]
    id_len = 3 if leader == USER_DEFINED else 2
    if pos + id_len > len(body):
        msg = f"identifier {body[pos:].hex().upper()} is cut off by the end of the body"
        raise LengthMismatchError(msg, offset=walk.base + pos)
    ident = body[pos: pos + id_len]
    if leader in _UNRELIABLE:
        text = ident.hex().upper()
        what = "bulk velocity data (FD)" if leader == 0xFD else f"marker {text}"
        raise UnknownElementError(
            text, f"{what} has no length the decoder can rely on, so the rest of the body "
                  f"cannot be read", offset=walk.base + pos)
    walk.pos = pos + id_len
    return identifier_info(ident)


def _new(walk: _Walk, info: IdentifierInfo, raw: bytes, value: ElementValue,
         status: ValueStatus, offset: int, index: int | None, step: timedelta | None,
         note: str) -> None:
    row = info.row
    walk.elements.append(Element(
        info.key, info.identifier, row.name if row else "", row.unit if row else "",
        info.length, info.decimals, raw, value, status, walk.observed, offset, info.known,
        index, step, row.name_zh if row else "", note))  # type: ignore[arg-type]


def _number_series(walk: _Walk, info: IdentifierInfo, offset: int) -> None:
    rest = walk.body[walk.pos:]
    length, dec = info.length, info.decimals
    count = len(rest) // length
    values = tuple(decode_number(rest[i * length:(i + 1) * length], dec)[0] for i in range(count))
    if len(rest) % length:
        walk.warnings.append(
            f"{len(rest) % length} bytes left over after the {info.identifier} series")
    _new(walk, info, rest, values, ValueStatus.OK, offset, walk.gate, walk.step, info.note)
    walk.pos = len(walk.body)


def _element(walk: _Walk) -> None:
    offset = walk.base + walk.pos
    info = _identifier(walk)
    if not info.known:
        if walk.strict:
            raise UnknownElementError(info.identifier,
                                      f"element {info.identifier} is not in Table C.1",
                                      offset=offset)
        walk.unknown.append(info.identifier)
    row = info.row
    if (walk.step is not None and info.length and walk.function in SERIES_TO_END
            and (row is None or row.kind is Kind.NUMBER)):
        _number_series(walk, info, offset)
        return
    raw = walk.need(info.length, f"element {info.identifier}")
    value, status, note = decode_value(row, raw, info.decimals)
    if info.note:
        note = f"{note}; {info.note}" if note else info.note
    key = info.key
    _new(walk, info, raw, value, status, offset, None if key == "GN" else walk.gate, info.step,
         note)
    if key == "GN" and isinstance(value, float):
        walk.gate = int(value)
    elif key == "DRxnn" and isinstance(value, timedelta):
        walk.step = value


def _marker(walk: _Walk) -> bool:
    """Handle F0F0/F1F1/F2F2/F3F3 at the cursor; return whether one was there."""
    mark = walk.body[walk.pos: walk.pos + 2]
    offset = walk.base + walk.pos
    if mark == OBSERVATION_TIME:
        walk.pos += 2
        walk.observed = walk.time(5, "observation time")
        walk.first_observed = walk.first_observed or walk.observed
        walk.gate = None
        return True
    if mark == STATION_ADDRESS:
        walk.pos += 2
        address = walk.need(5, "station address").hex().upper()
        walk.warnings.append(f"second station address {address} inside the elements")
        return True
    if mark in (MANUAL_TEXT, PICTURE):
        raw = walk.body[walk.pos + 2:]
        text = mark == MANUAL_TEXT
        walk.elements.append(Element(
            key="MANUAL" if text else "PICTURE", identifier=mark.hex().upper(),
            name="manual-entry data" if text else "picture (JPEG)", unit="", length=len(raw),
            decimals=0, raw=raw, value=raw.decode("ascii", "replace") if text else raw,
            observed=walk.observed, offset=offset))
        walk.pos = len(walk.body)
        return True
    return False


def _states(walk: _Walk, send_time: datetime | None) -> None:
    """Decode the 4CH pump or 4EH gate state payload into PUMP/GATE/GH elements."""
    offset = walk.base + walk.pos
    count = walk.need(1, "state count")[0]
    pump = walk.function == Function.PUMP
    n_bytes = count if pump else (count + 7) // 8
    field_bytes = walk.need(n_bytes, "state bit field")
    bits = decode_bit_field(field_bytes, 8 * n_bytes if pump else count)
    for number, on in enumerate(bits, start=1):
        walk.elements.append(Element(
            key="PUMP" if pump else "GATE", identifier=f"{walk.function:02X}",
            name=f"pump {number} running" if pump else f"gate {number} open", unit="1",
            length=n_bytes, decimals=0, raw=field_bytes, value=1.0 if on else 0.0,
            observed=send_time, offset=offset, index=number))
    for number in range(1, 0 if pump else count + 1):
        item_offset = walk.base + walk.pos
        raw = walk.need(2, f"opening of gate {number}")
        value, status = decode_number(raw, 2)
        walk.elements.append(Element(
            key="GH", identifier="4E", name=f"gate {number} opening", unit="m", length=2,
            decimals=2, raw=raw, value=value, status=status, observed=send_time,
            offset=item_offset, index=number, note="from the 4EH gate state (cm)"))


def _undecoded_reason(direction: Direction | None, function: int,
                      fields: dict[str, object]) -> str:
    if "serial" not in fields:
        return "M3 continuation packet"
    if direction != Direction.UP:
        return "downlink"
    return f"the body layout of {function:02X}H ({function_name(function)}) is not decoded"


def decode_frame(data: bytes | Frame, *, password: int | None = None,
                 strict: bool = False) -> DecodedFrame:
    """Check a HEX/BCD frame and decode its body.

    Parameters
    ----------
    data : bytes or Frame
        One whole frame, or a frame already checked by :func:`~.frame.parse_frame`.
    password : int, optional
        The station's password; when given, a frame with another one is rejected.
    strict : bool
        Reject elements the table does not know instead of skipping them by their length.

    Returns
    -------
    DecodedFrame
        Every field and element.

    Raises
    ------
    FrameError
        Why the frame is rejected (see :func:`~.frame.parse_frame`), or
        :class:`~.errors.WrongPasswordError`, :class:`~.errors.UnknownElementError`,
        :class:`~.errors.LengthMismatchError` (an element runs past the body) or
        :class:`~.errors.BodyError` (a time that is not BCD).
    """
    frame = data if isinstance(data, Frame) else parse_frame(data)
    head = frame.header
    if password is not None and head.password != password:
        raise WrongPasswordError(head.station, password, head.password)
    walk = _Walk(frame.body, frame.body_offset, head.function, strict)
    fields = _header_fields(walk, frame)
    if head.direction == Direction.UP and "serial" in fields \
            and head.function in WITH_ELEMENTS:
        if head.function in (Function.PUMP, Function.GATE) and walk.pos < len(walk.body):
            sent = fields.get("send_time")
            _states(walk, sent if isinstance(sent, datetime) else None)
        while walk.pos < len(walk.body):
            if not _marker(walk):
                _element(walk)
    elif walk.pos < len(walk.body):
        walk.warnings.append(f"{len(walk.body) - walk.pos} body bytes not decoded "
                             f"({_undecoded_reason(head.direction, head.function, fields)})")
    if fields.get("body_station") not in (None, head.station):
        walk.warnings.append(f"body address {fields['body_station']} differs from the header "
                             f"address {head.station}")
    zt = next((e for e in walk.elements if e.key == "ZT" and isinstance(e.value, int)), None)
    return DecodedFrame(
        frame=frame, direction=head.direction or Direction.UP, centre=head.centre,
        station=head.station, password=head.password, function=head.function,
        function_name=function_name(head.function), end=frame.end,
        observation_time=walk.first_observed, elements=tuple(walk.elements),
        unknown_identifiers=tuple(walk.unknown),
        status=StatusWord(zt.value) if zt is not None else None,  # type: ignore[arg-type]
        warnings=tuple(walk.warnings), **fields)


__all__ = ["DecodedFrame", "ValueStatus", "decode_frame"]
