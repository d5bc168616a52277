"""Control characters, function codes and station classes of SL 651-2014.

The numbers follow the approval draft of the standard (Table 10, Appendix A, Appendix B); see
``reference/telemetry.md`` section 1 for the sources.
"""

from __future__ import annotations

from enum import IntEnum


class Control(IntEnum):
    """Control characters (Table 10)."""

    SOH = 0x01
    """Start of an ASCII-mode frame."""
    STX = 0x02
    """Start of the body of a single-packet frame."""
    ETX = 0x03
    """End of the message; nothing follows."""
    EOT = 0x04
    """Downlink: transmission over, the station may hang up."""
    ENQ = 0x05
    """Downlink: query."""
    ACK = 0x06
    """Downlink: positive acknowledge, continue."""
    NAK = 0x15
    """Downlink: negative acknowledge, resend."""
    SYN = 0x16
    """Start of the body of a multi-packet (M3) frame."""
    ETB = 0x17
    """Uplink: end of this block, more follow."""
    ESC = 0x1B
    """Downlink: transmission over, the station stays online."""


HEX_START = b"\x7e\x7e"
"""Start of a HEX/BCD-mode frame."""

UPLINK_END = frozenset({Control.ETX, Control.ETB})
"""End characters allowed in an uplink (station to centre) frame."""

DOWNLINK_END = frozenset({Control.ENQ, Control.ACK, Control.NAK, Control.EOT, Control.ESC})
"""End characters allowed in a downlink (centre to station) frame."""

BODY_START = frozenset({Control.STX, Control.SYN})
"""Characters that may open a body."""


class Function(IntEnum):
    """Function codes (Appendix B, Table B.1) the twin names; others are kept as numbers."""

    KEEPALIVE = 0x2F
    TEST = 0x30
    UNIFORM_INTERVAL = 0x31
    TIMED = 0x32
    ADDED = 0x33
    HOURLY = 0x34
    MANUAL = 0x35
    PICTURE = 0x36
    QUERY_REALTIME = 0x37
    QUERY_RANGE = 0x38
    QUERY_MANUAL = 0x39
    QUERY_ELEMENTS = 0x3A
    WRITE_BASE_CONFIG = 0x40
    READ_BASE_CONFIG = 0x41
    WRITE_RUN_CONFIG = 0x42
    READ_RUN_CONFIG = 0x43
    PUMP_MOTOR = 0x44
    SOFTWARE_VERSION = 0x45
    STATUS = 0x46
    INIT_STORAGE = 0x47
    FACTORY_RESET = 0x48
    CHANGE_PASSWORD = 0x49
    SET_CLOCK = 0x4A
    IC_CARD = 0x4B
    PUMP = 0x4C
    VALVE = 0x4D
    GATE = 0x4E
    VOLUME_CONTROL = 0x4F
    EVENT_RECORD = 0x50
    QUERY_CLOCK = 0x51


FUNCTION_NAMES: dict[int, str] = {
    0x2F: "link keep-alive report",
    0x30: "test report",
    0x31: "uniform-interval hydrological report",
    0x32: "timed report",
    0x33: "added (event) report",
    0x34: "hourly report",
    0x35: "manual-entry report",
    0x36: "picture report",
    0x37: "real-time data (query response)",
    0x38: "time-range data (query response)",
    0x39: "manual data (query response)",
    0x3A: "specified elements (query response)",
    0x40: "write base configuration",
    0x41: "read base configuration",
    0x42: "write run-time parameters",
    0x43: "read run-time parameters",
    0x44: "pump motor real-time data",
    0x45: "software version",
    0x46: "status and alarm",
    0x47: "initialise storage",
    0x48: "factory reset",
    0x49: "change password",
    0x4A: "set clock",
    0x4B: "IC-card state",
    0x4C: "pump control / pump status",
    0x4D: "valve control / valve status",
    0x4E: "gate control / gate status",
    0x4F: "volume set-point control",
    0x50: "event record",
    0x51: "clock query",
}


def function_name(code: int) -> str:
    """Return a readable name of a function code.

    Parameters
    ----------
    code : int
        The function code byte.

    Returns
    -------
    str
        The name from Table B.1, ``"reserved"`` for 52H-DFH, ``"user-defined"`` for E0H-FFH.
    """
    if code in FUNCTION_NAMES:
        return FUNCTION_NAMES[code]
    if 0xE0 <= code <= 0xFF:
        return "user-defined"
    return "reserved"


STATION_CLASSES: dict[int, tuple[str, str]] = {
    0x50: ("P", "rainfall"),
    0x48: ("H", "river"),
    0x4B: ("K", "reservoir/lake"),
    0x5A: ("Z", "sluice/dam"),
    0x44: ("D", "pump station"),
    0x54: ("T", "tidal"),
    0x4D: ("M", "soil moisture"),
    0x47: ("G", "groundwater"),
    0x51: ("Q", "water quality"),
    0x49: ("I", "intake"),
    0x4F: ("O", "outfall"),
}
"""Station class codes (Appendix A): code byte to (letter, description)."""


def control_name(code: int | None) -> str:
    """Return the name of a control character (``"ETX"``), or its hex value if it is none."""
    if code is None:
        return "-"
    try:
        return Control(code).name
    except ValueError:
        return f"{code:02X}H"
