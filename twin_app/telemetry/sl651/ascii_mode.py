"""ASCII-mode frames of SL 651-2014 (section 6.4, 6.6.2), decoded into the same DecodedFrame.

Layout (every header field written as ASCII hex characters)::

    SOH | centre (2) | station (10) | password (4) | function (2) | D LLL (4) | STX
        | body (L characters) | ETX/ETB | CRC (4 hex characters)

so a frame is ``L + 29`` characters.  The first length character is ``0`` (uplink) or ``8``
(downlink); a downlink puts the station address before the centre's, as in HEX mode.  The body is
the serial number (4 hex characters) and the send time (``YYMMDDhhmmss``), then identifiers and
values separated by single spaces, ending with a space: ``ST 0011223344 H TT 1707181100 Z 10.490 ``.
Numbers are decimal text, ``M`` is "no data"; the time step is written ``DRxnn`` with x = D (days),
H (hours) or N (minutes).

Assumptions where the draft standard is silent (see the final report): the CRC (CRC-16/MODBUS) is
computed over the characters as transmitted, from SOH through the end character; the 5-minute
arrays (DRP, DRZ1-8) are written as the hex digits of their HEX-mode bytes; the status word ZT as
8 hex digits.  No public ASCII-mode frame was available to check these against.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta

from twin_app.telemetry.sl651.bcd import ValueStatus, decode_time
from twin_app.telemetry.sl651.codes import (
    BODY_START,
    DOWNLINK_END,
    STATION_CLASSES,
    UPLINK_END,
    Control,
    control_name,
    function_name,
)
from twin_app.telemetry.sl651.crc import crc16
from twin_app.telemetry.sl651.elements import (
    BY_KEY,
    FIVE_MINUTES,
    Element,
    Kind,
)
from twin_app.telemetry.sl651.errors import (
    BadControlCharError,
    BadCrcError,
    BadDirectionError,
    BadStartError,
    BodyError,
    LengthMismatchError,
    ShortFrameError,
    UnknownElementError,
    WrongPasswordError,
)
from twin_app.telemetry.sl651.frame import Direction, Frame, Header
from twin_app.telemetry.sl651.reports import DecodedFrame, decode_frame
from twin_app.telemetry.sl651.status import StatusWord
from twin_app.telemetry.sl651.values import decode_series

ASCII_OVERHEAD = 29
ASCII_HEADER = 24
"""Characters from SOH through STX."""
_HEX = re.compile(rb"[0-9A-Fa-f]{22}")
_STEP = re.compile(r"DR([DHN])(\d{2})")
_DECIMAL = re.compile(r"[+-]?\d+(\.\d*)?")
_CLASS_BY_LETTER = {letter: code for code, (letter, _) in STATION_CLASSES.items()}


def read_ascii_header(data: bytes) -> Header:
    """Read the 24-character header of an ASCII-mode frame (SOH ... STX).

    Raises
    ------
    FrameError
        If it does not start with SOH, is shorter than 24 characters, is not hex, or has a
        direction other than 0/8.
    """
    if not data or data[0] != Control.SOH:
        raise BadStartError(f"frame starts with {data[:1].hex().upper() or 'nothing'}, not SOH",
                            offset=0)
    if len(data) < ASCII_HEADER:
        raise ShortFrameError(ASCII_OVERHEAD, len(data))
    if not _HEX.fullmatch(data[1:23]):
        raise BodyError("ASCII header is not 22 hex characters", offset=1)
    text = data[1:23].decode("ascii")
    nibble = int(text[18], 16)
    if nibble not in (0, 8):
        raise BadDirectionError(f"direction character is {text[18]}; 0 = up, 8 = down",
                                offset=19)
    down = nibble == 8
    station, centre = (text[0:10], text[10:12]) if down else (text[2:12], text[0:2])
    return Header(Direction(nibble), nibble, int(centre, 16), station.upper(),
                  int(text[12:16], 16), int(text[16:18], 16), int(text[19:22], 16), data[23])


def parse_ascii_frame(data: bytes) -> Frame:
    """Check and split one whole ASCII-mode frame.

    Parameters
    ----------
    data : bytes
        Exactly one frame, starting with SOH.

    Returns
    -------
    Frame
        Header, body (ASCII bytes), end character and CRC.

    Raises
    ------
    FrameError
        Bad start, short frame, bad direction, length mismatch, bad CRC or control characters.
    """
    data = bytes(data)
    head = read_ascii_header(data)
    total = head.length + ASCII_OVERHEAD
    if len(data) < total:
        raise ShortFrameError(total, len(data))
    if len(data) > total:
        raise LengthMismatchError(f"frame has {len(data)} characters; its length word makes it "
                                  f"{total}", offset=total)
    expected = crc16(data[: total - 4])
    try:
        got = int(data[total - 4:].decode("ascii"), 16)
    except ValueError:
        raise BodyError("CRC is not 4 hex characters", offset=total - 4) from None
    if expected != got:
        raise BadCrcError(expected, got, offset=total - 4)
    end = data[total - 5]
    allowed = UPLINK_END if head.direction is Direction.UP else DOWNLINK_END
    if head.start not in BODY_START or end not in allowed:
        raise BadControlCharError(f"body framed by {control_name(head.start)} ... "
                                  f"{control_name(end)}", offset=ASCII_HEADER - 1)
    return Frame(head, data[ASCII_HEADER: total - 5], end, got, raw=data)


def build_ascii_frame(*, direction: Direction, centre: int, station: str, password: int,
                      function: int, body: str, end: int) -> bytes:
    """Build one ASCII-mode frame, CRC included.

    Parameters
    ----------
    direction, centre, station, password, function, end
        As for :func:`~.frame.build_frame`.
    body : str
        The ASCII body (serial, send time, identifiers and values with their spaces).

    Returns
    -------
    bytes
        The frame.
    """
    raw_body = body.encode("ascii")
    if not 1 <= len(raw_body) <= 0xFFF:
        msg = f"body of {len(raw_body)} characters; a frame carries 1-4095"
        raise ValueError(msg)
    addresses = (f"{station}{centre:02X}" if direction is Direction.DOWN
                 else f"{centre:02X}{station}")
    head = f"{addresses}{password:04X}{function:02X}{direction:X}{len(raw_body):03X}"
    frame = bytes((Control.SOH,)) + head.upper().encode("ascii") + bytes((Control.STX,)) + \
        raw_body + bytes((end,))
    return frame + f"{crc16(frame):04X}".encode("ascii")


def _value(kind: Kind, token: str) -> tuple[object, ValueStatus]:
    if token == "M":
        return None, ValueStatus.MISSING
    try:
        if kind in (Kind.RAIN_SERIES, Kind.LEVEL_SERIES):
            return decode_series(kind, bytes.fromhex(token)), ValueStatus.OK
        if kind is Kind.STATUS:
            return int(token, 16), ValueStatus.OK
        if not _DECIMAL.fullmatch(token):
            return None, ValueStatus.INVALID
        return float(token), ValueStatus.OK
    except ValueError:
        return None, ValueStatus.INVALID


class _AsciiWalk:
    def __init__(self, body: str, base: int, strict: bool) -> None:
        self.tokens = [(m.group(), base + m.start()) for m in re.finditer(r"\S+", body)]
        self.i = 0
        self.strict = strict
        self.fields: dict[str, object] = {}
        self.observed: datetime | None = None
        self.step: timedelta | None = None
        self.elements: list[Element] = []
        self.unknown: list[str] = []

    def take(self, what: str) -> tuple[str, int]:
        if self.i >= len(self.tokens):
            raise LengthMismatchError(f"{what} missing at the end of the body")
        self.i += 1
        return self.tokens[self.i - 1]

    def time(self, what: str) -> datetime:
        token, offset = self.take(what)
        try:
            return decode_time(bytes.fromhex(token))
        except ValueError as error:
            raise BodyError(f"{what}: {token!r} is not a time ({error})", offset=offset) from None

    def run(self) -> None:
        while self.i < len(self.tokens):
            key, offset = self.take("identifier")
            if key == "ST":
                self.fields["body_station"] = self.take("station address")[0].upper()
                if self.i < len(self.tokens) and self.tokens[self.i][0] in _CLASS_BY_LETTER:
                    self.fields["station_class"] = _CLASS_BY_LETTER[self.take("class")[0]]
            elif key == "TT":
                self.observed = self.time("observation time")
                self.fields.setdefault("observation_time", self.observed)
            elif step := _STEP.fullmatch(key):
                self._step(key, step, offset)
            else:
                self._element(key, offset)

    def _step(self, key: str, match: re.Match[str], offset: int) -> None:
        unit = {"D": "days", "H": "hours", "N": "minutes"}[match.group(1)]
        self.step = timedelta(**{unit: int(match.group(2))})
        self.elements.append(Element("DRxnn", key, "time-step code", "", 0, 0, key.encode(),
                                     self.step, observed=self.observed, offset=offset))

    def _element(self, key: str, offset: int) -> None:
        row = BY_KEY.get(key.upper())
        if row is None:
            if self.strict:
                raise UnknownElementError(key, f"element {key} is not in Table C.1",
                                          offset=offset)
            self.unknown.append(key)
        token, _ = self.take(f"value of {key}")
        value, status = _value(row.kind if row else Kind.NUMBER, token)
        series = row is not None and row.kind in (Kind.RAIN_SERIES, Kind.LEVEL_SERIES)
        decimals = len(token.partition(".")[2])
        self.elements.append(Element(
            row.key if row else key, key, row.name if row else "", row.unit if row else "",
            len(token), decimals, token.encode(), value, status, self.observed, offset,
            row is not None, None, FIVE_MINUTES if series else None,
            row.name_zh if row else ""))


def decode_ascii_frame(data: bytes | Frame, *, password: int | None = None,
                       strict: bool = False) -> DecodedFrame:
    """Check an ASCII-mode frame and decode its body.

    Parameters
    ----------
    data : bytes or Frame
        One whole frame starting with SOH (or a frame from :func:`parse_ascii_frame`).
    password : int, optional
        Reject a frame with another password.
    strict : bool
        Reject identifiers the table does not know.

    Returns
    -------
    DecodedFrame
        As for HEX frames; element identifiers are the ASCII identifiers, ``raw`` their text.

    Raises
    ------
    FrameError
        Why the frame is rejected.
    """
    frame = data if isinstance(data, Frame) else parse_ascii_frame(data)
    head = frame.header
    if password is not None and head.password != password:
        raise WrongPasswordError(head.station, password, head.password)
    text = frame.body.decode("ascii", "replace")
    serial_text, time_text = text[0:4], text[4:16]
    try:
        serial = int(serial_text, 16)
        send_time = decode_time(bytes.fromhex(time_text))
    except ValueError as error:
        raise BodyError(f"serial number and send time {text[:16]!r} are not valid ({error})",
                        offset=ASCII_HEADER) from None
    walk = _AsciiWalk(text[16:], ASCII_HEADER + 16, strict)
    if head.direction is Direction.UP:
        walk.run()
    zt = next((e for e in walk.elements if e.key == "ZT" and isinstance(e.value, int)), None)
    return DecodedFrame(
        frame=frame, direction=head.direction or Direction.UP, centre=head.centre,
        station=head.station, password=head.password, function=head.function,
        function_name=function_name(head.function), end=frame.end, serial=serial,
        send_time=send_time, elements=tuple(walk.elements),
        unknown_identifiers=tuple(walk.unknown), encoding="ASCII",
        status=StatusWord(zt.value) if zt is not None else None,  # type: ignore[arg-type]
        **walk.fields)  # type: ignore[arg-type]


def decode_any(data: bytes | Frame, *, password: int | None = None,
               strict: bool = False) -> DecodedFrame:
    """Decode a HEX/BCD (7E7E) or ASCII (SOH) frame, whichever it is.

    Parameters
    ----------
    data : bytes or Frame
        One whole frame.
    password : int, optional
        Reject a frame with another password.
    strict : bool
        Reject identifiers the element table does not know.

    Returns
    -------
    DecodedFrame
        Every field and element.

    Raises
    ------
    FrameError
        Why the frame is rejected.
    """
    raw = data.raw if isinstance(data, Frame) else bytes(data)
    if raw[:1] == bytes((Control.SOH,)):
        return decode_ascii_frame(data, password=password, strict=strict)
    return decode_frame(data, password=password, strict=strict)
