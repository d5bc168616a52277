"""Downlink acknowledge / confirm frames the centre sends back (section 6.3, 6.6.2).

A confirm is a downlink frame with the station address first, the centre address, the password and
the function code of the uplink, the length word ``8008``, STX, a body of the uplink's serial
number and send time (8 bytes), an end character, and the CRC (reference vector B)::

    7E7E | station (5) | centre (1) | password (2) | function (1) | 8008 | 02
         | serial (2) | time (6) | end | CRC (2)

The end character says what the station does next:

========  ===========================================================================
ESC 1BH   transmission over, the station stays online (up to 10 min) for commands
EOT 04H   transmission over, the station may hang up
ACK 06H   answer to a block ending ETB: received, send the next one
========  ===========================================================================

Which uplinks get a confirm (link mode M2):

* 2FH keep-alive: **none** (section 6.6.4.2: it reuses the last serial number and gets no
  downlink).
* 30H-36H reports and the responses to centre queries and commands (37H-51H): a confirm with the
  same function code and serial number; ETB blocks get ACK, the last block (ETX) ESC or EOT.
* M3 multi-packet transfers (SYN frames): a single confirm after the last packet, carrying the
  serial number and send time of the first packet (the others carry none).
* reserved (52H-DFH) and user-defined (E0H-FFH) codes, downlink frames and M1 stations: none.

An ASCII-mode uplink is confirmed in ASCII mode, with the same fields as characters.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from twin_app.telemetry.sl651.ascii_mode import build_ascii_frame
from twin_app.telemetry.sl651.bcd import encode_time
from twin_app.telemetry.sl651.codes import Control, Function
from twin_app.telemetry.sl651.frame import Direction, build_frame
from twin_app.telemetry.sl651.reports import DecodedFrame

CONFIRMED_FUNCTIONS = frozenset(range(0x30, 0x3B)) | frozenset(range(0x40, 0x52))
"""Uplink function codes answered with a confirm frame in M2 (and at the end of M3/M4)."""


class LinkMode(StrEnum):
    """Link transmission mode of a station (section 6.3)."""

    M1 = "M1"
    """Send, no reply."""
    M2 = "M2"
    """Send, confirm."""
    M3 = "M3"
    """Multi-packet send, single confirm."""
    M4 = "M4"
    """Query / response (the centre asks)."""


def build_confirm(*, station: str, centre: int, password: int, function: int, serial: int,
                  send_time: datetime, end: int = Control.ESC) -> bytes:
    """Build a confirm (or ACK) downlink frame.

    Parameters
    ----------
    station : str
        Station address, 10 hex digits.
    centre : int
        Central station address.
    password : int
        The station's password.
    function : int
        Function code of the uplink being confirmed.
    serial : int
        Serial number of the uplink (confirms echo it).
    send_time : datetime
        The time to put in the body; the reference pair echoes the uplink's send time.
    end : int
        :attr:`Control.ESC` (stay online), :attr:`Control.EOT` (hang up) or
        :attr:`Control.ACK` (answer to an ETB block).

    Returns
    -------
    bytes
        The frame, CRC included.
    """
    body = serial.to_bytes(2, "big") + encode_time(send_time, seconds=True)
    return build_frame(direction=Direction.DOWN, centre=centre, station=station,
                       password=password, function=function, body=body, end=end)


def ack_for(decoded: DecodedFrame, *, mode: LinkMode = LinkMode.M2, keep_online: bool = True,
            serial: int | None = None, send_time: datetime | None = None) -> bytes | None:
    """Return the downlink frame the standard asks for in answer to ``decoded``, or ``None``.

    Parameters
    ----------
    decoded : DecodedFrame
        An accepted uplink frame.
    mode : LinkMode
        The station's link mode; M1 stations get no answer.
    keep_online : bool
        End a finished exchange with ESC (station stays online) rather than EOT.
    serial, send_time : optional
        Override the echoed serial number and send time (for the last packet of an M3
        transfer: those of its first packet; or to stamp the centre's own clock).

    Returns
    -------
    bytes or None
        The frame to send, or ``None`` when the standard asks for no answer.
    """
    if mode is LinkMode.M1 or decoded.direction != Direction.UP:
        return None
    if decoded.function == Function.KEEPALIVE or decoded.function not in CONFIRMED_FUNCTIONS:
        return None
    frame = decoded.frame
    final = Control.ESC if keep_online else Control.EOT
    if frame.is_multipacket:
        if frame.packet_seq != frame.packet_total:
            return None
        end = final
    else:
        end = Control.ACK if decoded.end == Control.ETB else final
    serial = decoded.serial if serial is None else serial
    send_time = decoded.send_time if send_time is None else send_time
    if serial is None or send_time is None:
        return None
    if decoded.encoding == "ASCII":
        body = f"{serial:04X}{send_time:%y%m%d%H%M%S}"
        return build_ascii_frame(direction=Direction.DOWN, centre=decoded.centre,
                                 station=decoded.station, password=decoded.password,
                                 function=decoded.function, body=body, end=end)
    return build_confirm(station=decoded.station, centre=decoded.centre,
                         password=decoded.password, function=decoded.function, serial=serial,
                         send_time=send_time, end=end)
