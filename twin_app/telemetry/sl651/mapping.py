"""The station table: which SL 651 station and element feeds which scene sensor.

A TOML file lists the stations the centre accepts, their passwords and link settings, and for each
station the elements that become readings of scene sensors::

    version = 1

    [[stations]]
    address = "0011223344"        # 10 hex digits, as the station sends them (5 bytes)
    password = "03E8"             # 4 hex digits; omit to accept any password
    name = "Xinchuansha hub RTU"  # optional, for the feed-status panel
    utc_offset_hours = 8          # station clock (default 8: Beijing time)
    mode = "M2"                   # M1 (no reply), M2 (confirm; default), M3, M4
    keep_online = true            # confirm with ESC (stay online) or EOT (hang up)

    [[stations.elements]]
    element = "Z"                 # ASCII id of Table C.1 ("Z", "PJ", "GH", "DRZ1", "ZT"), a hex
                                  # identifier ("39", "3923"), "FFxx" (user-defined), or
                                  # "PUMP" / "GATE" (the 4CH/4EH state bits)
    sensor = "XCS-WL-01"          # scene sensor id
    unit = "m"                    # unit of the reading (default: the element's unit)
    scale = 1.0                   # reading = value * scale + offset (scale defaults to the
    offset = 0.0                  # conversion from the element's unit to `unit`)
    index = 1                     # optional: gate / outlet number (GN), pump or gate number
    bit = 10                      # optional: take this bit (0/1) of the status word ZT
    fully_open = 6.0              # optional (GH): opening for the sentinels 999/888, in m

Rules:

* An entry without ``index`` takes the element whatever its index, unless another entry names
  that index.  The index of an element is the gate number (GN) given before it in the same
  observation-time group, or the pump / gate number of a 4CH / 4EH state entry.
* A station may map one element (with one index and bit) once; a sensor may be fed by several
  elements of one station (e.g. ``Z`` from timed reports and ``DRZ1`` from hourly ones), never by
  two stations.
* Series elements (DRP, DRZ1-8, the 31H series) give one reading per value; "no data" values are
  left out.  Elements without an observation time (4CH, 4EH, 46H) take the send time.
* Gate openings (GH) 444 (fully closed) become 0; 999 (fully open) and 888 (lifted out) become
  ``fully_open`` if given and are otherwise left out; 555 (no gate) is left out.
* Units: without ``scale``, ``unit`` must equal the element's unit (Table C.1) or be one of the
  conversions in :data:`CONVERSIONS`; user-defined (``FFxx``) and unknown elements need ``unit``
  and take ``scale`` (default 1).  ``bit`` gives readings in unit ``"1"``.
* Times are the station clock plus ``utc_offset_hours``; readings carry the source
  ``"sl651:<station address>"``.
"""

from __future__ import annotations

import logging
import re
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import timedelta, timezone
from pathlib import Path
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from twin_app.core.readings import Quality, Reading
from twin_app.core.toml_lines import KeyPath, index_key_lines, line_of
from twin_app.telemetry.sl651.ack import LinkMode
from twin_app.telemetry.sl651.elements import BY_KEY, GATE_SENTINELS, Element, element_key
from twin_app.telemetry.sl651.errors import MappingError
from twin_app.telemetry.sl651.reports import DecodedFrame

logger = logging.getLogger(__name__)

STATE_KEYS = {"PUMP": "1", "GATE": "1"}
"""Pseudo-elements made from the 4CH pump and 4EH gate state bit fields, with their unit."""

CONVERSIONS: dict[tuple[str, str], float] = {
    ("m", "mm"): 1000.0, ("mm", "m"): 0.001, ("m", "cm"): 100.0, ("cm", "m"): 0.01,
    ("mm", "cm"): 0.1, ("cm", "mm"): 10.0,
    ("kPa", "m"): 1 / 9.80665,
    ("m3/s", "L/s"): 1000.0, ("L/s", "m3/s"): 0.001,
}
"""Unit conversions applied when ``unit`` differs from the element's and no ``scale`` is given.
kPa to m is a head of fresh water (1 kPa = 0.10197 m); give ``scale`` for anything else."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ElementEntry(_Strict):
    """One element of a station feeding one sensor."""

    element: str
    sensor: Annotated[str, Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.\-]*$", max_length=64)]
    unit: str | None = None
    scale: float | None = None
    offset: float = 0.0
    index: Annotated[int, Field(ge=0, le=999)] | None = None
    bit: Annotated[int, Field(ge=0, le=31)] | None = None
    fully_open: float | None = None

    @field_validator("element")
    @classmethod
    def _known_form(cls, value: str) -> str:
        if value.strip().upper() in STATE_KEYS:
            return value.strip().upper()
        return element_key(value)


class StationEntry(_Strict):
    """One telemetry station."""

    address: str
    password: str | None = None
    name: str = ""
    utc_offset_hours: Annotated[float, Field(ge=-14, le=14)] = 8.0
    mode: LinkMode = LinkMode.M2
    keep_online: bool = True
    elements: list[ElementEntry] = Field(default_factory=list)

    @field_validator("address")
    @classmethod
    def _address(cls, value: str) -> str:
        text = value.replace(" ", "").upper()
        if not re.fullmatch(r"[0-9A-F]{10}", text):
            msg = f"address {value!r} is not 10 hex digits (5 bytes), e.g. '0011223344'"
            raise ValueError(msg)
        return text

    @field_validator("password", mode="before")
    @classmethod
    def _password(cls, value: object) -> str | None:
        if value is not None and not isinstance(value, str):
            msg = (f"password {value!r} must be a string of 4 hex digits, e.g. \"03E8\" "
                   f"(a TOML number would be ambiguous between decimal and hex)")
            raise ValueError(msg)
        if value is not None and not re.fullmatch(r"[0-9A-Fa-f]{4}", value):
            msg = f"password {value!r} is not 4 hex digits (2 bytes), e.g. '03E8'"
            raise ValueError(msg)
        return None if value is None else value.upper()


class MappingFile(_Strict):
    """The whole table."""

    version: Literal[1] = 1
    stations: list[StationEntry] = Field(default_factory=list)


@dataclass(frozen=True, slots=True)
class Route:
    """A resolved element entry: where a value goes and how it is converted."""

    key: str
    sensor: str
    unit: str
    factor: float
    offset: float
    index: int | None
    bit: int | None
    fully_open: float | None
    line: int | None
    """Line of the entry's ``sensor`` key."""

    def convert(self, value: float, element: Element) -> float | None:
        """Return the reading value for ``value`` of ``element``, or ``None`` to skip it."""
        if self.bit is not None:
            value = float(int(value) >> self.bit & 1)
        elif element.key == "GH" and value in GATE_SENTINELS:
            if value == 444.0:
                value = 0.0
            elif value in (999.0, 888.0) and self.fully_open is not None:
                return self.fully_open
            else:
                logger.info("gate %s: %s, no reading (set fully_open in the station table)",
                            self.sensor, GATE_SENTINELS[value])
                return None
        return value * self.factor + self.offset


@dataclass
class Station:
    """A station of the table, with its routes by (element key, index)."""

    address: str
    password: int | None
    name: str
    tz: timezone
    mode: LinkMode
    keep_online: bool
    routes: dict[tuple[str, int | None], list[Route]] = field(default_factory=dict)

    def routes_for(self, key: str, index: int | None) -> list[Route]:
        """Return the routes of an element: those naming its index, else those without one."""
        if index is not None and (key, index) in self.routes:
            return self.routes[(key, index)]
        return self.routes.get((key, None), [])


def _native_unit(key: str) -> str | None:
    if key in STATE_KEYS:
        return STATE_KEYS[key]
    row = BY_KEY.get(key.upper())
    return row.unit if row else None


class StationTable:
    """Stations by address, with their passwords and routes to scene sensors.

    Build it with :func:`load_mapping` or :func:`parse_mapping`.
    """

    def __init__(self, stations: Iterable[Station], source: str = "<table>") -> None:
        self.source = source
        self.stations: dict[str, Station] = {s.address: s for s in stations}

    def __contains__(self, address: str) -> bool:
        return address in self.stations

    def password(self, address: str) -> int | None:
        """Return the password the station must send, or ``None`` to accept any."""
        station = self.stations.get(address)
        return station.password if station else None

    def sensors(self) -> dict[str, list[Route]]:
        """Return the routes feeding each sensor id."""
        out: dict[str, list[Route]] = {}
        for station in self.stations.values():
            for routes in station.routes.values():
                for route in routes:
                    out.setdefault(route.sensor, []).append(route)
        return out

    def check_sensors(self, known: Iterable[str]) -> None:
        """Raise :class:`MappingError` for the first route to a sensor not in ``known``."""
        known = set(known)
        for sensor, routes in self.sensors().items():
            if sensor not in known:
                raise MappingError(self.source, f"sensor {sensor!r} is not in the scene",
                                   line=routes[0].line, hint="use one of the scene's sensor ids")

    def readings(self, decoded: DecodedFrame) -> list[Reading]:
        """Turn the elements of a decoded frame into readings of the mapped sensors.

        Parameters
        ----------
        decoded : DecodedFrame
            An accepted uplink frame.

        Returns
        -------
        list of Reading
            One per mapped value; "no data" values are left out.  Times without an observation
            time take the send time; all are made timezone-aware with the station's offset.
        """
        station = self.stations.get(decoded.station)
        if station is None:
            return []
        out: list[Reading] = []
        source = f"sl651:{station.address}"
        for element in decoded.elements:
            routes = station.routes_for(element.key, element.index)
            if not routes:
                continue
            values = element.value if isinstance(element.value, tuple) else (element.value,)
            for time, value in zip(element.times(), values, strict=True):
                when = time or decoded.send_time
                if not isinstance(value, int | float) or when is None:
                    continue
                for route in routes:
                    converted = route.convert(float(value), element)
                    if converted is None:
                        continue
                    try:
                        out.append(Reading(route.sensor, when.replace(tzinfo=station.tz),
                                           converted, route.unit, Quality.GOOD, source))
                    except ValueError as error:
                        logger.warning("station %s element %s: no reading for %s (%s)",
                                       station.address, element.key, route.sensor, error)
        return out


def _location(lines: dict[KeyPath, int], loc: Iterable[str | int]) -> tuple[int | None, str]:
    path = tuple(loc)
    key = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in path).lstrip(".")
    return line_of(lines, path), key


def _route(entry: ElementEntry, loc: KeyPath, lines: dict[KeyPath, int], source: str) -> Route:
    native = "1" if entry.bit is not None else _native_unit(entry.element)
    unit = entry.unit or native
    line, key = _location(lines, (*loc, "unit") if entry.unit else (*loc, "element"))
    if unit is None:
        raise MappingError(source, f"element {entry.element} has no unit in Table C.1",
                           line=line, key=key, hint="give unit (and scale if needed)")
    if entry.scale is not None:
        factor = entry.scale
    elif native is None or unit == native:
        factor = 1.0
    elif (native, unit) in CONVERSIONS:
        factor = CONVERSIONS[(native, unit)]
    else:
        raise MappingError(source, f"no conversion from {native!r} ({entry.element}) to "
                           f"{unit!r}", line=line, key=key,
                           hint="give scale: reading = value * scale + offset")
    return Route(entry.element, entry.sensor, unit, factor, entry.offset, entry.index,
                 entry.bit, entry.fully_open, line_of(lines, (*loc, "sensor")))


def _station(entry: StationEntry, number: int, lines: dict[KeyPath, int], source: str,
             seen: dict[str, tuple[str, int | None]]) -> Station:
    station = Station(entry.address, None if entry.password is None else int(entry.password, 16),
                      entry.name, timezone(timedelta(hours=entry.utc_offset_hours)), entry.mode,
                      entry.keep_online)
    for j, item in enumerate(entry.elements):
        loc: KeyPath = ("stations", number, "elements", j)
        route = _route(item, loc, lines, source)
        slot = station.routes.setdefault((route.key, route.index), [])
        line, key = _location(lines, (*loc, "element"))
        if any(r.bit == route.bit for r in slot):
            raise MappingError(source, f"station {entry.address} maps element {route.key}"
                               f"{'' if route.index is None else f' index {route.index}'} twice",
                               line=line, key=key, hint="remove one of the entries")
        other = seen.setdefault(route.sensor, (entry.address, route.line))
        if other[0] != entry.address:
            line, key = _location(lines, (*loc, "sensor"))
            raise MappingError(source, f"sensor {route.sensor!r} is already fed by station "
                               f"{other[0]} (line {other[1]})", line=line, key=key,
                               hint="a sensor takes its readings from one station")
        slot.append(route)
    return station


def parse_mapping(text: str, source: str = "<string>") -> StationTable:
    """Read a station table from TOML text.

    Parameters
    ----------
    text : str
        The TOML document (format in the module docstring).
    source : str
        Name of the file, for messages.

    Returns
    -------
    StationTable
        The validated table.

    Raises
    ------
    MappingError
        Naming the file, line and key of the first problem.
    """
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        match = re.search(r"line (\d+)", str(error))
        raise MappingError(source, f"not valid TOML: {error}",
                           line=int(match.group(1)) if match else None) from None
    lines = index_key_lines(text)
    try:
        table = MappingFile.model_validate(data)
    except ValidationError as error:
        first = error.errors()[0]
        line, key = _location(lines, first["loc"])
        raise MappingError(source, first["msg"].removeprefix("Value error, "), line=line,
                           key=key) from None
    stations: list[Station] = []
    seen_sensors: dict[str, tuple[str, int | None]] = {}
    for number, entry in enumerate(table.stations):
        if any(s.address == entry.address for s in stations):
            line, key = _location(lines, ("stations", number, "address"))
            raise MappingError(source, f"station {entry.address} is listed twice", line=line,
                               key=key)
        stations.append(_station(entry, number, lines, source, seen_sensors))
    return StationTable(stations, source)


def load_mapping(path: Path | str) -> StationTable:
    """Read a station table from a TOML file.

    Parameters
    ----------
    path : Path or str
        The file.

    Returns
    -------
    StationTable
        The validated table.

    Raises
    ------
    MappingError
        If the file cannot be read or is invalid (with its line).
    """
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise MappingError(path, f"cannot read the station table: {error.strerror}") from None
    return parse_mapping(text, str(path))

