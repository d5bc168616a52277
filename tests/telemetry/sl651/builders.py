"""Build SL 651 uplink frames for tests, independently of the decoder's body walk."""

from __future__ import annotations

from datetime import datetime

from twin_app.telemetry.sl651.bcd import encode_number, encode_time
from twin_app.telemetry.sl651.codes import Control
from twin_app.telemetry.sl651.frame import Direction, build_frame

STATION = "0011223344"
SENT = datetime(2024, 7, 25, 14, 0, 30)
OBSERVED = datetime(2024, 7, 25, 14, 0)


def element(leader: int, value: float, length: int, decimals: int) -> bytes:
    """Identifier + data definition + packed BCD data."""
    return bytes((leader, length << 3 | decimals)) + encode_number(value, length, decimals)


def report_body(*groups: bytes, serial: int = 7, sent: datetime = SENT,
                station: str = STATION, station_class: int = 0x48,
                observed: datetime = OBSERVED) -> bytes:
    """Serial, send time, F1F1 address, class, F0F0 time and the given element bytes."""
    return (serial.to_bytes(2, "big") + encode_time(sent, seconds=True) + b"\xf1\xf1"
            + bytes.fromhex(station) + bytes((station_class,)) + b"\xf0\xf0"
            + encode_time(observed, seconds=False) + b"".join(groups))


def uplink(function: int, body: bytes, *, station: str = STATION, centre: int = 5,
           password: int = 0x03E8, end: int = Control.ETX,
           packet: tuple[int, int] | None = None) -> bytes:
    """A whole uplink frame with a correct CRC."""
    return build_frame(direction=Direction.UP, centre=centre, station=station,
                       password=password, function=function, body=body, end=end, packet=packet)
