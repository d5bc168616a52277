"""Element identifiers of SL 651-2014 (Appendix C, Table C.1) and how one element is read.

An element in a HEX/BCD body is ``leader (1 B) + data definition (1 B) + data``.  The data
definition says the data length in bytes (bits 7-3) and the implied decimal places (bits 2-0), so
an element the table does not know can still be skipped.  Special leaders: ``F0F0`` observation
time, ``F1F1`` station address, ``F2F2`` manual-entry text and ``F3F3`` picture (both run to the end
of the body), ``F4`` twelve 5-minute rainfall increments (1 B HEX each, 0.1 mm, ``FF`` = no data),
``F5``-``FC`` twelve 5-minute relative water levels (2 B HEX each, 0.01 m, ``FFFF`` = no data),
``04 18`` the time-step code (3 B BCD ``DDHHMM``), ``45`` the 32-bit status and alarm word (HEX),
and ``FF xx`` user-defined elements, whose data definition follows in a third byte.

Each element has a *key*: its ASCII identifier from Table C.1 (``"Z"``, ``"PJ"``, ``"DRZ1"``),
``"FFxx"`` for user-defined elements, or the leader in hex for elements the table lacks.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import NamedTuple

from twin_app.telemetry.sl651.bcd import ValueStatus

ElementValue = float | int | str | bytes | timedelta | tuple[float | None, ...] | None


class Kind(StrEnum):
    """How an element's data is encoded."""

    NUMBER = "number"
    """Packed BCD with implied decimals (most elements)."""
    RAIN_SERIES = "rain_series"
    """F4: twelve 1-byte HEX increments of 0.1 mm."""
    LEVEL_SERIES = "level_series"
    """F5-FC: twelve 2-byte HEX relative levels in 0.01 m."""
    STATUS = "status"
    """45 (ZT): 4-byte HEX bit word (Table 58)."""
    TIME_STEP = "time_step"
    """04: time-step code, 3 bytes BCD DDHHMM."""
    TEXT = "text"
    """F2F2: manual-entry text, to the end of the body."""
    PICTURE = "picture"
    """F3F3: JPEG picture, to the end of the body."""


@dataclass(frozen=True, slots=True)
class ElementDef:
    """One row of Table C.1.

    Attributes
    ----------
    leader : int
        Identifier leader byte.
    key : str
        ASCII identifier.
    name, name_zh : str
        English and Chinese names.
    unit : str
        Unit of the decoded value.
    digits, decimals : int
        The standard's format N(D,d); the data-definition byte in the frame rules when decoding.
    kind : Kind
        Encoding.
    """

    leader: int
    key: str
    name: str
    name_zh: str
    unit: str
    digits: int = 0
    decimals: int = 0
    kind: Kind = Kind.NUMBER

    @property
    def data_definition(self) -> int:
        """The data-definition byte the standard gives: ``ceil(D/2) << 3 | d``."""
        return ((self.digits + 1) // 2) << 3 | self.decimals


def _d(leader: int, key: str, name: str, name_zh: str, unit: str, digits: int = 0,
       decimals: int = 0, kind: Kind = Kind.NUMBER) -> ElementDef:
    return ElementDef(leader, key, name, name_zh, unit, digits, decimals, kind)


_ROWS: list[ElementDef] = [
    _d(0x01, "AC", "section area", "断面面积", "m2", 8, 2),
    _d(0x02, "AI", "air temperature", "瞬时气温", "degC", 3, 1),
    _d(0x03, "C", "water temperature", "瞬时水温", "degC", 3, 1),
    _d(0x04, "DRxnn", "time-step code", "时间步长码", "", 6, 0, Kind.TIME_STEP),
    _d(0x05, "DT", "period length (hh.mm)", "时段长", "h", 4, 2),
    _d(0x06, "ED", "daily evaporation", "日蒸发量", "mm", 5, 1),
    _d(0x07, "EJ", "current evaporation", "当前蒸发", "mm", 5, 1),
    _d(0x08, "FL", "air pressure", "气压", "hPa", 5, 0),
    _d(0x09, "GH", "gate opening height", "闸坝、水库闸门开启高度", "m", 5, 2),
    _d(0x0A, "GN", "gate / outlet number", "输水设备、闸门(组)编号", "", 3, 0),
    _d(0x0B, "GS", "outlet device class", "输水设备类别", "", 1, 0),
    _d(0x0C, "GT", "number of open gate bays", "水库、闸坝闸门开启孔数", "", 3, 0),
    _d(0x0D, "GTP", "ground temperature", "地温", "degC", 3, 1),
    _d(0x0E, "H", "groundwater depth", "地下水瞬时埋深", "m", 6, 2),
    _d(0x0F, "HW", "wave height", "波浪高度", "m", 5, 2),
    *(_d(0x10 + i, f"M{depth}", f"soil moisture at {depth} cm", f"{depth}厘米处土壤含水量", "%",
         4, 1) for i, depth in enumerate((10, 20, 30, 40, 50, 60, 80, 100))),
    _d(0x18, "MST", "humidity", "湿度", "%", 4, 1),
    _d(0x19, "NS", "number of pumps running", "开机台数", "", 2, 0),
    *(_d(0x1A + i, f"P{hours}", f"{hours}-h rainfall", f"{hours}小时时段降水量", "mm", 5, 1)
      for i, hours in enumerate((1, 2, 3, 6, 12))),
    _d(0x1F, "PD", "daily rainfall", "日降水量", "mm", 5, 1),
    _d(0x20, "PJ", "current rainfall", "当前降水量", "mm", 5, 1),
    *(_d(0x21 + i, f"PN{minutes:02d}", f"{minutes}-min rainfall", f"{minutes}分钟时段降水量",
         "mm", 5, 1) for i, minutes in enumerate((1, 5, 10, 30))),
    _d(0x25, "PR", "storm rainfall", "暴雨量", "mm", 5, 1),
    _d(0x26, "PT", "cumulative rainfall", "降水量累计值", "mm", 6, 1),
    _d(0x27, "Q", "instantaneous / pumping discharge", "瞬时流量、抽水流量", "m3/s", 9, 3),
    *(_d(0x28 + i, f"Q{i + 1}", f"outlet {i + 1} discharge", f"取(排)水口流量{i + 1}", "m3/s",
         9, 3) for i in range(8)),
    _d(0x30, "QA", "total outflow / gate discharge", "总出库流量、过闸总流量", "m3/s", 9, 3),
    _d(0x31, "QZ", "outlet device / gate group discharge", "输水设备流量、过闸(组)流量", "m3/s",
       9, 3),
    _d(0x32, "SW", "sediment transport", "输沙量", "1e4 t", 11, 3),
    _d(0x33, "UC", "wind direction", "风向", "", 2, 0),
    _d(0x34, "UE", "wind force", "风力", "Beaufort", 2, 0),
    _d(0x35, "US", "wind speed", "风速", "m/s", 4, 1),
    _d(0x36, "VA", "mean section velocity", "断面平均流速", "m/s", 5, 3),
    _d(0x37, "VJ", "current velocity", "当前瞬时流速", "m/s", 5, 3),
    _d(0x38, "VT", "supply voltage", "电源电压", "V", 4, 2),
    _d(0x39, "Z", "river water level / tide level", "瞬时河道水位、潮位", "m", 7, 3),
    _d(0x3A, "ZB", "downstream level (gate / pump station)", "库(闸、站)下水位", "m", 7, 3),
    _d(0x3B, "ZU", "upstream level (gate / pump station)", "库(闸、站)上水位", "m", 7, 3),
    *(_d(0x3C + i, f"Z{i + 1}", f"outlet {i + 1} water level", f"取(排)水口水位{i + 1}", "m",
         7, 3) for i in range(8)),
    _d(0x44, "SQ", "sediment concentration", "含沙量", "kg/m3", 9, 3),
    _d(0x45, "ZT", "station status and alarm word", "遥测站状态及报警信息", "", 8, 0,
       Kind.STATUS),
    _d(0x46, "PH", "pH", "pH值", "", 4, 2),
    _d(0x47, "DO", "dissolved oxygen", "溶解氧", "mg/L", 4, 2),
    _d(0x48, "COND", "conductivity", "电导率", "uS/cm", 5, 0),
    _d(0x49, "TURB", "turbidity", "浊度", "NTU", 3, 0),
    _d(0x4A, "CODMN", "permanganate index", "高锰酸盐指数", "mg/L", 4, 1),
    _d(0x4B, "REDOX", "redox potential", "氧化还原电位", "mV", 5, 1),
    _d(0x4C, "NH4N", "ammonia nitrogen", "氨氮", "mg/L", 6, 2),
    _d(0x4D, "TP", "total phosphorus", "总磷", "mg/L", 5, 3),
    _d(0x4E, "TN", "total nitrogen", "总氮", "mg/L", 5, 2),
    _d(0x4F, "TOC", "total organic carbon", "总有机碳", "mg/L", 4, 2),
    _d(0x50, "CU", "copper", "铜", "mg/L", 7, 4),
    _d(0x51, "ZN", "zinc", "锌", "mg/L", 6, 4),
    *(_d(0x52 + i, key, name, zh, "mg/L", 7, 5) for i, (key, name, zh) in enumerate(
        (("SE", "selenium", "硒"), ("AS", "arsenic", "砷"), ("THG", "total mercury", "总汞"),
         ("CD", "cadmium", "镉"), ("PB", "lead", "铅")))),
    _d(0x57, "CHLA", "chlorophyll a", "叶绿素a", "mg/L", 4, 2),
    *(_d(0x58 + i, f"WP{i + 1}", f"water pressure {i + 1}", f"水压{i + 1}", "kPa", 5, 2)
      for i in range(8)),
    *(_d(0x60 + i, f"SYL{i + 1}", f"water meter {i + 1} remaining volume",
         f"水表{i + 1}剩余水量", "m3", 11, 3) for i in range(8)),
    *(_d(0x68 + i, f"SBL{i + 1}", f"water meter {i + 1} hourly volume",
         f"水表{i + 1}每小时水量", "m3/h", 10, 2) for i in range(8)),
    *(_d(0x70 + i, f"VT{phase}", f"AC phase {phase} voltage", f"交流{phase}相电压", "V", 4, 1)
      for i, phase in enumerate("ABC")),
    *(_d(0x73 + i, f"VI{phase}", f"AC phase {phase} current", f"交流{phase}相电流", "A", 4, 1)
      for i, phase in enumerate("ABC")),
    _d(0xF4, "DRP", "5-min rainfall increments in the hour", "1小时内每5分钟时段雨量", "mm",
       kind=Kind.RAIN_SERIES),
    *(_d(0xF5 + i, f"DRZ{i + 1}", f"5-min relative water level {i + 1} in the hour",
         f"1小时内5分钟间隔相对水位{i + 1}", "m", kind=Kind.LEVEL_SERIES) for i in range(8)),
]

ELEMENTS: dict[int, ElementDef] = {row.leader: row for row in _ROWS}
"""Table C.1 by leader byte (user-defined ``FFxx`` and the F0-F3 markers are handled apart)."""

BY_KEY: dict[str, ElementDef] = {row.key.upper(): row for row in _ROWS}
"""Table C.1 by ASCII identifier (upper case)."""

OBSERVATION_TIME = b"\xf0\xf0"
STATION_ADDRESS = b"\xf1\xf1"
MANUAL_TEXT = b"\xf2\xf2"
PICTURE = b"\xf3\xf3"
USER_DEFINED = 0xFF
FIVE_MINUTES = timedelta(minutes=5)

GATE_SENTINELS: dict[float, str] = {
    444.0: "fully closed",
    999.0: "fully open",
    888.0: "lifted out of the water",
    555.0: "no gate",
}
"""Gate-opening (GH) values with a special meaning (Appendix E.4)."""


class Element(NamedTuple):
    """One decoded element (an immutable named tuple: cheap to build by the thousand).

    Attributes
    ----------
    key : str
        ``"Z"``, ``"DRZ1"``, ``"FF2A"`` (user-defined) or the leader in hex if unknown.
    identifier : str
        Identifier bytes as sent, in hex (``"3923"``).
    name, name_zh : str
        Names from Table C.1 (empty if unknown).
    unit : str
        Unit of :attr:`value`.
    length : int
        Data bytes (from the data-definition byte, or the fixed size of a special element).
    decimals : int
        Implied decimal places.
    raw : bytes
        The data bytes.
    value : float, int, tuple, str, bytes, timedelta or None
        Number; tuple of numbers (``None`` = no data) for series; int for the status word;
        timedelta for the time-step code; text or bytes for manual entry and pictures.
    status : ValueStatus
        ``ok``, ``missing`` (all ``F``) or ``invalid`` (not BCD).
    observed : datetime or None
        Observation time (of the first value of a series), naive, in the station's clock.
    offset : int
        Byte offset of the identifier in the frame.
    known : bool
        Whether Table C.1 (or the user-defined range) defines the identifier.
    index : int or None
        Gate / outlet number (from a preceding GN in the same observation group), or the pump or
        gate number of a 4CH/4EH status entry.
    step : timedelta or None
        Spacing of the values of a series.
    note : str
        Anything the decoder noticed (a gate sentinel, a data definition that differs from the
        standard's format).
    """

    key: str
    identifier: str
    name: str
    unit: str
    length: int
    decimals: int
    raw: bytes
    value: ElementValue
    status: ValueStatus = ValueStatus.OK
    observed: datetime | None = None
    offset: int = 0
    known: bool = True
    index: int | None = None
    step: timedelta | None = None
    name_zh: str = ""
    note: str = ""

    def times(self) -> list[datetime | None]:
        """Return the observation time of each value (one for a scalar, twelve for a series)."""
        if isinstance(self.value, tuple):
            if self.observed is None or self.step is None:
                return [None] * len(self.value)
            return [self.observed + i * self.step for i in range(len(self.value))]
        return [self.observed]


@dataclass(frozen=True, slots=True)
class IdentifierInfo:
    """What an identifier (leader + data definition, or FF + extension + data definition) means.

    Attributes
    ----------
    identifier : str
        The identifier bytes in hex.
    key : str
        Element key (see :class:`Element`).
    row : ElementDef or None
        The Table C.1 row; ``None`` for user-defined and unknown elements.
    length, decimals : int
        From the data-definition byte.
    known : bool
        In Table C.1 or user-defined.
    note : str
        Set when the data definition differs from the standard's format.
    step : timedelta or None
        Spacing of the values of a 5-minute series.
    """

    identifier: str
    key: str
    row: ElementDef | None
    length: int
    decimals: int
    known: bool
    note: str
    step: timedelta | None


_INFO_CACHE: dict[bytes, IdentifierInfo] = {}
_INFO_CACHE_SIZE = 4096


def identifier_info(ident: bytes) -> IdentifierInfo:
    """Describe an element identifier (2 bytes, or 3 for user-defined ``FF xx dd``).

    Parameters
    ----------
    ident : bytes
        The identifier bytes; the last one is the data definition.

    Returns
    -------
    IdentifierInfo
        Key, table row, length and decimals (cached: a station sends the same few).
    """
    info = _INFO_CACHE.get(ident)
    if info is not None:
        return info
    leader, ddef = ident[0], ident[-1]
    row = ELEMENTS.get(leader)
    text = ident.hex().upper()
    user_key = text[:4] if leader == USER_DEFINED else text[:2]
    key = row.key if row is not None else user_key
    note = ""
    if row is not None and row.kind is Kind.NUMBER and ddef != row.data_definition:
        note = f"data definition {ddef:02X} differs from the standard's {row.data_definition:02X}"
    series = row is not None and row.kind in (Kind.RAIN_SERIES, Kind.LEVEL_SERIES)
    info = IdentifierInfo(text, key, row, ddef >> 3, ddef & 0x07,
                          row is not None or leader == USER_DEFINED, note,
                          FIVE_MINUTES if series else None)
    if len(_INFO_CACHE) < _INFO_CACHE_SIZE:
        _INFO_CACHE[ident] = info
    return info


def element_key(text: str) -> str:
    """Normalise an element name from a mapping table to an element key.

    Parameters
    ----------
    text : str
        An ASCII identifier (``"Z"``, ``"drz1"``), a leader in hex (``"39"``), an identifier with
        its data-definition byte (``"3923"``), or a user-defined identifier (``"FF2A"``).

    Returns
    -------
    str
        The key :class:`Element` objects carry.

    Raises
    ------
    ValueError
        If ``text`` is neither a known ASCII identifier nor 2 or 4 hex digits.
    """
    name = text.strip().upper()
    if name in BY_KEY:
        return BY_KEY[name].key
    try:
        raw = bytes.fromhex(name)
    except ValueError:
        raw = b""
    if len(raw) not in (1, 2):
        known = ", ".join(sorted(key for key in BY_KEY if len(key) <= 3)[:12])
        msg = (f"element {text!r} is neither an SL 651 ASCII identifier ({known}, ...) "
               f"nor a hex identifier such as '39', '3923' or 'FF2A'")
        raise ValueError(msg)
    if raw[0] == USER_DEFINED:
        if len(raw) != 2:
            msg = f"user-defined element {text!r} needs its extension byte, e.g. 'FF2A'"
            raise ValueError(msg)
        return name
    row = ELEMENTS.get(raw[0])
    return row.key if row else f"{raw[0]:02X}"
