"""HEX/BCD frames of SL 651-2014: the envelope around a body (Tables 20-23).

Uplink (station to centre)::

    7E7E | centre (1) | station (5) | password (2) | function (1) | 0LLL (2) | STX
         | body (L) | ETX/ETB | CRC (2)

Downlink (centre to station) swaps the addresses (station first) and sets the high nibble of the
length word to 8.  Multi-packet (M3) frames open the body with SYN instead of STX and start it
with 3 bytes: the packet count (high 12 bits) and this packet's sequence number (low 12 bits);
the length word counts those 3 bytes too.  A whole frame is therefore always ``L + 17`` bytes.
Every multi-byte field is big-endian; the CRC (:mod:`.crc`) covers everything before it.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass, field
from enum import IntEnum

from twin_app.telemetry.sl651.codes import (
    BODY_START,
    DOWNLINK_END,
    HEX_START,
    UPLINK_END,
    Control,
    control_name,
)
from twin_app.telemetry.sl651.crc import crc16
from twin_app.telemetry.sl651.errors import (
    BadControlCharError,
    BadCrcError,
    BadDirectionError,
    BadStartError,
    BodyError,
    LengthMismatchError,
    ShortFrameError,
)

HEADER_LEN = 14
"""Bytes from 7E7E through STX/SYN."""
OVERHEAD = 17
"""Bytes of a frame that the length word does not count (header, end character, CRC)."""
MIN_FRAME = OVERHEAD
MAX_BODY = 0x0FFF
LENGTH_OFFSET = 11
"""Offset of the direction + length word."""
PACKET_FIELD_LEN = 3

_UP = struct.Struct(">2sB5sHBHB")
_DOWN = struct.Struct(">2s5sBHBHB")


class Direction(IntEnum):
    """The high nibble of the length word."""

    UP = 0x0
    """Station to centre."""
    DOWN = 0x8
    """Centre to station."""


@dataclass(frozen=True, slots=True)
class Header:
    """The first 14 bytes of a frame, read without any check but their count.

    Attributes
    ----------
    direction : Direction or None
        ``None`` when the nibble is neither 0 nor 8 (the addresses are then read in uplink order).
    direction_nibble : int
        The raw high nibble of the length word.
    centre : int
        Central station address, 1-255.
    station : str
        Remote station address as 10 hex digits (``"0011223344"``).
    password : int
        The 2-byte password.
    function : int
        Function code.
    length : int
        Low 12 bits of the length word: body bytes after STX/SYN and before the end character.
    start : int
        The byte at offset 13 (STX or SYN when the frame is sound).
    """

    direction: Direction | None
    direction_nibble: int
    centre: int
    station: str
    password: int
    function: int
    length: int
    start: int

    @property
    def total_length(self) -> int:
        """Bytes of the whole frame the length word announces (``length + 17``)."""
        return self.length + OVERHEAD


@dataclass(frozen=True, slots=True)
class Frame:
    """A checked HEX/BCD frame.

    Attributes
    ----------
    header : Header
        Addresses, password, function code, direction and length.
    body : bytes
        The body: after STX, or after SYN and the 3-byte packet field.
    end : int
        End character (ETX/ETB uplink; ENQ/ACK/NAK/EOT/ESC downlink).
    crc : int
        The CRC the frame carries (it matched).
    packet_total, packet_seq : int or None
        M3 packet count and this packet's sequence number (SYN frames only).
    raw : bytes
        The whole frame.
    """

    header: Header
    body: bytes
    end: int
    crc: int
    packet_total: int | None = None
    packet_seq: int | None = None
    raw: bytes = field(default=b"", repr=False)

    @property
    def body_offset(self) -> int:
        """Offset of :attr:`body` in :attr:`raw`."""
        return HEADER_LEN + (PACKET_FIELD_LEN if self.packet_total is not None else 0)

    @property
    def is_multipacket(self) -> bool:
        """Whether the body opened with SYN (M3)."""
        return self.packet_total is not None


def read_header(data: bytes) -> Header:
    """Read the 14-byte header of a HEX/BCD frame without validating it.

    Parameters
    ----------
    data : bytes
        At least the first 14 bytes of a frame.

    Returns
    -------
    Header
        The fields; the address order follows the direction nibble.

    Raises
    ------
    ShortFrameError
        If fewer than 14 bytes are given.
    """
    if len(data) < HEADER_LEN:
        raise ShortFrameError(MIN_FRAME, len(data))
    nibble = data[LENGTH_OFFSET] >> 4
    if nibble == Direction.DOWN:
        _, station, centre, password, function, word, start = _DOWN.unpack_from(data)
    else:
        _, centre, station, password, function, word, start = _UP.unpack_from(data)
    direction = Direction(nibble) if nibble in (0x0, 0x8) else None
    return Header(direction, nibble, centre, station.hex().upper(), password, function,
                  word & MAX_BODY, start)


def _check_start(data: bytes) -> None:
    if len(data) < 2:
        raise ShortFrameError(MIN_FRAME, len(data))
    if data[:2] != HEX_START:
        hint = ("this is an ASCII-mode frame (SOH); decode it with "
                "twin_app.telemetry.sl651.ascii_mode" if data[0] == Control.SOH else
                "a HEX/BCD frame starts with 7E 7E; check that the station is set to HEX mode")
        raise BadStartError(f"frame starts with {data[:2].hex().upper()}, not 7E7E",
                            offset=0, hint=hint)


def _check_length(data: bytes, header: Header) -> int:
    total = header.total_length
    if len(data) < total:
        raise ShortFrameError(total, len(data))
    if len(data) > total:
        raise LengthMismatchError(
            f"frame has {len(data)} bytes, but its length word ({header.length} body bytes) "
            f"makes it {total}; {len(data) - total} bytes follow the CRC",
            offset=total,
            hint="split back-to-back frames by their length words (the TCP server does), "
                 "or check the station's length field",
        )
    if header.length == 0:
        raise LengthMismatchError("length word is 0; a body has 1-4095 bytes",
                                  offset=LENGTH_OFFSET)
    return total


def _check_crc(data: bytes, total: int) -> int:
    expected = crc16(memoryview(data)[: total - 2])
    got = int.from_bytes(data[total - 2: total], "big")
    if expected != got:
        raise BadCrcError(expected, got, offset=total - 2)
    return got


def _check_control(header: Header, end: int, end_offset: int) -> None:
    if header.start not in BODY_START:
        raise BadControlCharError(
            f"body starts with {control_name(header.start)}, not STX (02) or SYN (16)",
            offset=HEADER_LEN - 1)
    allowed = UPLINK_END if header.direction == Direction.UP else DOWNLINK_END
    if end not in allowed:
        names = "/".join(sorted(control_name(code) for code in allowed))
        raise BadControlCharError(
            f"{'uplink' if header.direction == Direction.UP else 'downlink'} frame ends with "
            f"{control_name(end)}; expected {names}", offset=end_offset)


def _packet_field(data: bytes, header: Header) -> tuple[int | None, int | None]:
    if header.start != Control.SYN:
        return None, None
    if header.length < PACKET_FIELD_LEN:
        raise LengthMismatchError(
            f"multi-packet (SYN) frame has length {header.length}; the packet field alone "
            f"needs {PACKET_FIELD_LEN}", offset=LENGTH_OFFSET)
    word = int.from_bytes(data[HEADER_LEN: HEADER_LEN + PACKET_FIELD_LEN], "big")
    total, seq = word >> 12, word & 0xFFF
    if not 1 <= seq <= total:
        raise BodyError(f"packet {seq} of {total}: the sequence number must be 1..count",
                        offset=HEADER_LEN)
    return total, seq


def parse_frame(data: bytes) -> Frame:
    """Check and split one whole HEX/BCD frame.

    The checks run in this order: start (7E7E), header size, direction nibble, length word
    against the byte count, CRC, STX/SYN and end character, M3 packet field.

    Parameters
    ----------
    data : bytes
        Exactly one frame.

    Returns
    -------
    Frame
        The envelope and the body.

    Raises
    ------
    FrameError
        A subclass saying why, with the byte offset: :class:`~.errors.BadStartError`,
        :class:`~.errors.ShortFrameError`, :class:`~.errors.BadDirectionError`,
        :class:`~.errors.LengthMismatchError`, :class:`~.errors.BadCrcError`,
        :class:`~.errors.BadControlCharError` or :class:`~.errors.BodyError`.
    """
    data = bytes(data)
    _check_start(data)
    header = read_header(data)
    if header.direction is None:
        raise BadDirectionError(
            f"direction nibble is {header.direction_nibble:X}; 0 means uplink, 8 downlink",
            offset=LENGTH_OFFSET)
    total = _check_length(data, header)
    crc = _check_crc(data, total)
    end = data[total - 3]
    _check_control(header, end, total - 3)
    packet_total, packet_seq = _packet_field(data, header)
    body_start = HEADER_LEN + (PACKET_FIELD_LEN if packet_total is not None else 0)
    return Frame(header, data[body_start: total - 3], end, crc, packet_total, packet_seq, data)


def station_bytes(station: str) -> bytes:
    """Return the 5 address bytes of a station written as 10 hex digits.

    Parameters
    ----------
    station : str
        ``"0011223344"``; spaces are ignored.

    Returns
    -------
    bytes
        Five bytes.

    Raises
    ------
    ValueError
        If the text is not 10 hex digits.
    """
    text = station.replace(" ", "")
    try:
        raw = bytes.fromhex(text)
    except ValueError:
        raw = b""
    if len(raw) != 5:
        msg = f"station address {station!r} is not 10 hex digits (5 bytes), e.g. '0011223344'"
        raise ValueError(msg)
    return raw


def build_frame(*, direction: Direction, centre: int, station: str, password: int,
                function: int, body: bytes, end: int,
                packet: tuple[int, int] | None = None) -> bytes:
    """Build one HEX/BCD frame, CRC included.

    Parameters
    ----------
    direction : Direction
        :attr:`Direction.UP` puts the centre address first, :attr:`Direction.DOWN` the station's.
    centre : int
        Central station address, 0-255.
    station : str
        Remote station address, 10 hex digits.
    password : int
        0-FFFFH.
    function : int
        Function code, 0-FFH.
    body : bytes
        The body (for M3, without the packet field).
    end : int
        End character.
    packet : tuple of int, optional
        ``(count, seq)`` for an M3 packet: the body then opens with SYN and the packet field.

    Returns
    -------
    bytes
        The frame.

    Raises
    ------
    ValueError
        If a field is out of range or the body is longer than 4095 bytes.
    """
    if not (0 <= centre <= 0xFF and 0 <= password <= 0xFFFF and 0 <= function <= 0xFF):
        msg = f"centre {centre}, password {password} or function {function} out of range"
        raise ValueError(msg)
    address = station_bytes(station)
    start = Control.STX
    if packet is not None:
        count, seq = packet
        if not 1 <= seq <= count <= 0xFFF:
            msg = f"packet {seq} of {count}: need 1 <= seq <= count <= 4095"
            raise ValueError(msg)
        body = ((count << 12) | seq).to_bytes(3, "big") + body
        start = Control.SYN
    if not 1 <= len(body) <= MAX_BODY:
        msg = f"body of {len(body)} bytes; a frame carries 1-{MAX_BODY}"
        raise ValueError(msg)
    word = (direction << 12) | len(body)
    if direction == Direction.DOWN:
        head = _DOWN.pack(HEX_START, address, centre, password, function, word, start)
    else:
        head = _UP.pack(HEX_START, centre, address, password, function, word, start)
    frame = head + body + bytes((end,))
    return frame + crc16(frame).to_bytes(2, "big")
