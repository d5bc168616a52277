"""SL 651-2014 (水文监测数据通信规约) telemetry: frames, elements, confirms, a station server.

Modules, from the bytes up:

* :mod:`.crc` - CRC-16/MODBUS, sent high byte first;
* :mod:`.frame` - the HEX/BCD envelope (direction, addresses, length word, STX/SYN, M3 packets);
* :mod:`.bcd`, :mod:`.elements`, :mod:`.values`, :mod:`.status` - numbers, times, Table C.1,
  element data, the ZT status word;
* :mod:`.reports` - bodies of 2FH, 30H-3AH, 44H, 46H, 4CH, 4EH into a :class:`DecodedFrame`;
* :mod:`.ack` - the downlink confirm frames (ESC / EOT / ACK);
* :mod:`.ascii_mode` - ASCII-mode (SOH) frames;
* :mod:`.inspect`, :mod:`.fields` - the field engineers' frame inspector;
* :mod:`.mapping` - the station table: station + element to scene sensor, to readings;
* :mod:`.stream`, :mod:`.server`, :mod:`.stats` - framing a TCP stream, the asyncio server and
  its per-station counters.

Nothing here imports Qt or VTK.
"""

from __future__ import annotations

from twin_app.telemetry.sl651.ack import LinkMode, ack_for, build_confirm
from twin_app.telemetry.sl651.ascii_mode import build_ascii_frame, decode_any, decode_ascii_frame
from twin_app.telemetry.sl651.crc import crc16
from twin_app.telemetry.sl651.elements import Element
from twin_app.telemetry.sl651.errors import FrameError, MappingError
from twin_app.telemetry.sl651.frame import Direction, Frame, build_frame, parse_frame
from twin_app.telemetry.sl651.inspect import describe, format_text
from twin_app.telemetry.sl651.mapping import StationTable, load_mapping, parse_mapping
from twin_app.telemetry.sl651.reports import DecodedFrame, decode_frame
from twin_app.telemetry.sl651.server import Sl651Server, serve
from twin_app.telemetry.sl651.stats import StationStats
from twin_app.telemetry.sl651.stream import FrameSplitter, Rejected

__all__ = [
    "DecodedFrame",
    "Direction",
    "Element",
    "Frame",
    "FrameError",
    "FrameSplitter",
    "LinkMode",
    "MappingError",
    "Rejected",
    "Sl651Server",
    "StationStats",
    "StationTable",
    "ack_for",
    "build_ascii_frame",
    "build_confirm",
    "build_frame",
    "crc16",
    "decode_any",
    "decode_ascii_frame",
    "decode_frame",
    "describe",
    "format_text",
    "load_mapping",
    "parse_frame",
    "parse_mapping",
    "serve",
]
