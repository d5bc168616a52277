"""Time-series files: CSV and Delft-FEWS PI-XML, read into and written from :class:`Reading`.

CSV
---
A header row, then one reading per row::

    sensor_id,time,value,unit,quality
    HPK-WL-01,2024-09-16T07:05:00+08:00,5.21,m,good

``time`` is ISO 8601 with a zone (``Z`` or ``+08:00``); ``quality`` is optional (``good``,
``suspect``, ``bad``, ``missing`` or 0-3; default good); other columns are ignored.  Lines starting
with ``#`` and blank lines are skipped; a quoted field may not span lines.  An empty ``value`` with
quality ``missing`` is a missing value (counted, not a reading).

PI-XML
------
The Delft-FEWS Published Interface time-series format (``pi_timeseries.xsd``, namespace
:data:`PI_NAMESPACE`): a root ``TimeSeries`` with an optional ``timeZone`` (hours from GMT; GMT when
absent) and ``series`` elements, each a ``header`` (``type``, ``locationId``, ``parameterId``,
``timeStep``, ``startDate``, ``endDate``, ``missVal``, ``stationName``, ``units``) followed by
``event`` elements with ``date``, ``time``, ``value`` and optional ``flag``.  The location id is the
sensor id unless a mapping says otherwise.  Events whose value equals ``missVal`` (or is NaN) are
missing: counted, not readings.  FEWS quality flags map to :class:`Quality` as 0-2 good (original,
corrected, completed reliable), 3-5 suspect (doubtful), 6-8 bad (unreliable), 9 missing; written
flags are 0, 3, 6 and 9.  PI times have whole seconds.

Bad rows or events are collected as :class:`RowError` (file and line) up to ``max_errors``; with
``strict=True`` the first one raises :class:`TimeSeriesFileError`.
"""

from __future__ import annotations

import contextlib
import csv
import itertools
import math
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta, timezone, tzinfo
from pathlib import Path
from typing import IO, Any
from xml.parsers import expat
from xml.sax.saxutils import escape, quoteattr

from twin_app.core.errors import TwinAppError
from twin_app.core.readings import Quality, Reading
from twin_app.core.scene import Scene

CSV_COLUMNS = ("sensor_id", "time", "value", "unit", "quality")
PI_NAMESPACE = "http://www.wldelft.nl/fews/PI"
PI_SCHEMA = "http://fews.wldelft.nl/schemas/version1.0/pi-schemas/pi_timeseries.xsd"
FLAG_TO_QUALITY = {0: Quality.GOOD, 1: Quality.GOOD, 2: Quality.GOOD, 3: Quality.SUSPECT,
                   4: Quality.SUSPECT, 5: Quality.SUSPECT, 6: Quality.BAD, 7: Quality.BAD,
                   8: Quality.BAD, 9: Quality.MISSING}
QUALITY_TO_FLAG = {Quality.GOOD: 0, Quality.SUSPECT: 3, Quality.BAD: 6, Quality.MISSING: 9}
PARAMETER_IDS = {"water_level": "H.obs", "rainfall": "P.obs", "gate_opening": "GateOpening.obs",
                 "pump_state": "PumpState.obs", "pump_flow": "Q.pump", "piezometer": "Hpz.obs",
                 "settlement": "Settlement.obs", "inclination": "Tilt.obs"}
"""PI parameter ids written for each sensor kind when a scene is given."""

_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.\-]*$")
Target = Path | str | IO[str]


class TimeSeriesFileError(TwinAppError):
    """A time-series file that cannot be read (or a bad row, in strict mode)."""

    def __init__(self, path: str, problem: str, *, line: int | None = None,
                 hint: str | None = None) -> None:
        self.path = path
        self.line = line
        self.problem = problem
        where = f"{path}:{line}" if line is not None else path
        super().__init__(f"{where}: {problem}", hint=hint)


@dataclass(frozen=True)
class RowError:
    """One row (CSV) or event (PI-XML) that was not imported."""

    path: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}"


@dataclass
class ImportResult:
    """What a file gave: readings in file order, rejected rows, and missing values skipped."""

    readings: list[Reading] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    missing: int = 0
    series: int = 0


class _Errors:
    """Collects row errors; raises in strict mode or past the limit."""

    def __init__(self, result: ImportResult, path: str, strict: bool, limit: int) -> None:
        self.result, self.path, self.strict, self.limit = result, path, strict, limit

    def add(self, line: int, message: str) -> None:
        if self.strict:
            raise TimeSeriesFileError(self.path, message, line=line,
                                      hint="fix the row, or import without strict mode")
        self.result.errors.append(RowError(self.path, line, message))
        if len(self.result.errors) > self.limit:
            raise TimeSeriesFileError(self.path, f"more than {self.limit} bad rows, last: "
                                      f"{message}", line=line,
                                      hint="check that this is the right file and format")


class _RowProblem(ValueError):
    """Internal: a row cannot become a reading."""


# -- CSV ------------------------------------------------------------------------------------------


def write_csv(target: Target, readings: Iterable[Reading], *, tz: tzinfo | None = None,
              comments: Iterable[str] = ()) -> int:
    """Write readings as CSV (times in ``tz``, or each reading's own zone); return the row count.

    ``comments`` are written first as ``# `` lines (provenance, licence).
    """
    with _open_text(target, "w") as stream:
        for comment in comments:
            stream.write(f"# {comment}\n")
        writer = csv.writer(stream, lineterminator="\n")
        writer.writerow(CSV_COLUMNS)
        rows = 0
        for reading in readings:
            time = reading.time.astimezone(tz) if tz else reading.time
            writer.writerow((reading.sensor_id, time.isoformat(), repr(float(reading.value)),
                             reading.unit, reading.quality.name.lower()))
            rows += 1
    return rows


def read_csv(source: Path | str, *, source_name: str = "csv", strict: bool = False,
             max_errors: int = 1000) -> ImportResult:
    """Read a CSV time-series file.

    Raises
    ------
    TimeSeriesFileError
        If the file cannot be opened, has no header with the required columns, has more than
        ``max_errors`` bad rows, or (``strict``) has any bad row.
    """
    path = str(source)
    result = ImportResult()
    errors = _Errors(result, path, strict, max_errors)
    columns: dict[str, int] | None = None
    with _open_for_reading(path) as stream:
        for number, line in enumerate(stream, start=1):
            if not line.strip() or line.lstrip().startswith("#"):
                continue
            fields = next(csv.reader([line]))
            if columns is None:
                columns = _csv_header(path, number, fields)
                continue
            try:
                reading = _csv_reading(fields, columns, source_name)
            except _RowProblem as problem:
                errors.add(number, str(problem))
                continue
            if reading is None:
                result.missing += 1
            else:
                result.readings.append(reading)
    if columns is None:
        raise TimeSeriesFileError(path, "no header row", hint=_header_hint())
    result.series = len({r.sensor_id for r in result.readings})
    return result


def _header_hint() -> str:
    return f"the first row must name the columns: {','.join(CSV_COLUMNS)}"


def _csv_header(path: str, line: int, fields: list[str]) -> dict[str, int]:
    names = [name.strip().lower() for name in fields]
    missing = [name for name in CSV_COLUMNS[:4] if name not in names]
    if missing:
        raise TimeSeriesFileError(path, f"header lacks {', '.join(missing)}", line=line,
                                  hint=_header_hint())
    return {name: names.index(name) for name in CSV_COLUMNS if name in names}


def _csv_reading(fields: list[str], columns: dict[str, int], source: str) -> Reading | None:
    if len(fields) < len(columns) or len(fields) <= max(columns.values()):
        raise _RowProblem(f"{len(fields)} fields where the header has {len(columns)}")
    get = {name: fields[index].strip() for name, index in columns.items()}
    quality = _quality(get.get("quality", ""))
    if not get["value"] and quality is Quality.MISSING:
        return None
    return Reading(_sensor_id(get["sensor_id"]), _iso_time(get["time"]), _number(get["value"]),
                   _unit(get["unit"]), quality, source)


def _sensor_id(text: str) -> str:
    if not _ID.match(text):
        raise _RowProblem(f"sensor id {text!r} is empty or has characters other than letters, "
                          "digits, '_', '.' and '-'")
    return text


def _iso_time(text: str) -> datetime:
    try:
        time = datetime.fromisoformat(text)
    except ValueError as error:
        raise _RowProblem(f"time {text!r} is not ISO 8601 (2024-09-16T07:05:00+08:00)") from error
    if time.utcoffset() is None:
        raise _RowProblem(f"time {text!r} has no zone; add +08:00 (Shanghai) or Z (UTC)")
    return time


def _number(text: str) -> float:
    try:
        value = float(text)
    except ValueError as error:
        raise _RowProblem(f"value {text!r} is not a number") from error
    if not math.isfinite(value):
        raise _RowProblem(f"value {text!r} is not finite")
    return value


def _unit(text: str) -> str:
    if not text:
        raise _RowProblem("no unit; values carry units (m, mm/h, m3/s, 1, mm, deg)")
    return text


def _quality(text: str) -> Quality:
    if not text:
        return Quality.GOOD
    if text.upper() in Quality.__members__:
        return Quality[text.upper()]
    if text.isdigit() and int(text) in Quality._value2member_map_:
        return Quality(int(text))
    raise _RowProblem(f"quality {text!r} is not good, suspect, bad, missing or 0-3")


@contextlib.contextmanager
def _open_text(target: Target, mode: str) -> Iterator[IO[str]]:
    if isinstance(target, str | Path):
        with Path(target).open(mode, encoding="utf-8", newline="") as stream:
            yield stream
    else:
        yield target


@contextlib.contextmanager
def _open_for_reading(path: str) -> Iterator[IO[str]]:
    try:
        stream = Path(path).open(encoding="utf-8-sig", newline="")  # noqa: SIM115
    except OSError as error:
        raise TimeSeriesFileError(path, f"cannot open: {error.strerror}",
                                  hint="check the path") from error
    with stream:
        try:
            yield stream
        except UnicodeDecodeError as error:
            raise TimeSeriesFileError(path, f"not UTF-8 text ({error.reason})",
                                      hint="save the file as UTF-8") from error


# -- PI-XML ---------------------------------------------------------------------------------------


def write_pi_xml(target: Target, readings: Iterable[Reading], *, time_zone_hours: float = 8.0,
                 miss_val: float = -999.0, scene: Scene | None = None,
                 parameter_ids: Mapping[str, str] | None = None, version: str = "1.2") -> int:
    """Write readings as PI-XML, one series per (sensor, unit); return the number of series.

    Parameters
    ----------
    target : Path, str or text stream
        Where to write.
    readings : iterable of Reading
        Any order; each series is written in time order.
    time_zone_hours : float
        The file's ``timeZone`` (8.0 for Shanghai); event dates and times are given in it.
    miss_val : float
        The ``missVal`` of every series.
    scene : Scene, optional
        Gives parameter ids by sensor kind (:data:`PARAMETER_IDS`) and station names.
    parameter_ids : Mapping[str, str], optional
        Parameter id by sensor id; overrides the scene's; ``"obs"`` when neither knows.
    version : str
        The PI schema version written in the root element.
    """
    zone = timezone(timedelta(hours=time_zone_hours))
    groups: dict[tuple[str, str], list[Reading]] = {}
    for reading in readings:
        groups.setdefault((reading.sensor_id, reading.unit), []).append(reading)
    sensors = {sensor.id: sensor for sensor in scene.sensors} if scene else {}
    with _open_text(target, "w") as stream:
        stream.write('<?xml version="1.0" encoding="UTF-8"?>\n'
                     f'<TimeSeries xmlns="{PI_NAMESPACE}" '
                     'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
                     f'xsi:schemaLocation="{PI_NAMESPACE} {PI_SCHEMA}" version="{version}">\n'
                     f"  <timeZone>{float(time_zone_hours)!r}</timeZone>\n")
        for (sensor_id, unit), series in groups.items():
            sensor = sensors.get(sensor_id)
            parameter = (parameter_ids or {}).get(sensor_id) or (
                PARAMETER_IDS.get(sensor.kind.value, "obs") if sensor else "obs")
            station = sensor.name.en if sensor else None
            series.sort(key=lambda r: r.utc)
            _write_series(stream, series, sensor_id, parameter, unit, station, zone, miss_val)
        stream.write("</TimeSeries>\n")
    return len(groups)


def _write_series(stream: IO[str], series: list[Reading], location: str, parameter: str,
                  unit: str, station: str | None, zone: tzinfo, miss_val: float) -> None:
    times = [r.time.astimezone(zone) for r in series]
    steps = {int((b - a).total_seconds()) for a, b in itertools.pairwise(times)}
    step = 'unit="nonequidistant"'
    if len(steps) == 1 and (seconds := steps.pop()) > 0:
        step = f'unit="second" multiplier="{seconds}"'
    stream.write("  <series>\n    <header>\n      <type>instantaneous</type>\n"
                 f"      <locationId>{escape(location)}</locationId>\n"
                 f"      <parameterId>{escape(parameter)}</parameterId>\n"
                 f"      <timeStep {step}/>\n"
                 f"      <startDate {_pi_date_time(times[0])}/>\n"
                 f"      <endDate {_pi_date_time(times[-1])}/>\n"
                 f"      <missVal>{float(miss_val)!r}</missVal>\n")
    if station:
        stream.write(f"      <stationName>{escape(station)}</stationName>\n")
    stream.write(f"      <units>{escape(unit)}</units>\n    </header>\n")
    for reading, time in zip(series, times, strict=True):
        stream.write(f"    <event {_pi_date_time(time)} value={quoteattr(repr(reading.value))}"
                     f' flag="{QUALITY_TO_FLAG[reading.quality]}"/>\n')
    stream.write("  </series>\n")


def _pi_date_time(time: datetime) -> str:
    return f'date="{time:%Y-%m-%d}" time="{time:%H:%M:%S}"'


def read_pi_xml(source: Path | str, *, source_name: str = "pi-xml", strict: bool = False,
                max_errors: int = 1000,
                sensor_ids: Mapping[tuple[str, str], str] | None = None) -> ImportResult:
    """Read a PI-XML time-series file.

    Parameters
    ----------
    source : Path or str
        The file.
    source_name : str
        Written to :attr:`Reading.source`.
    strict : bool
        Raise at the first bad event or header.
    max_errors : int
        Give up after this many bad events.
    sensor_ids : Mapping[tuple[str, str], str], optional
        Sensor id by (locationId, parameterId); the location id is used otherwise.

    Raises
    ------
    TimeSeriesFileError
        If the file is not well-formed XML, not a PI ``TimeSeries``, or too broken to import.
    """
    path = str(source)
    result = ImportResult()
    handler = _PiHandler(path, _Errors(result, path, strict, max_errors), source_name,
                         sensor_ids or {})
    parser = expat.ParserCreate(namespace_separator=" ")
    handler.attach(parser)
    try:
        with Path(path).open("rb") as stream:
            parser.ParseFile(stream)
    except OSError as error:
        raise TimeSeriesFileError(path, f"cannot open: {error.strerror}",
                                  hint="check the path") from error
    except expat.ExpatError as error:
        raise TimeSeriesFileError(path, f"not well-formed XML: {expat.errors.messages[error.code]}",
                                  line=error.lineno, hint="is this a PI-XML file?") from error
    if not handler.root_seen:
        raise TimeSeriesFileError(path, "no TimeSeries root element",
                                  hint=f"a PI time-series file has <TimeSeries xmlns="
                                       f"\"{PI_NAMESPACE}\">")
    return result


class _PiHandler:
    """expat callbacks that turn PI series into readings as events stream past."""

    def __init__(self, path: str, errors: _Errors, source: str,
                 sensor_ids: Mapping[tuple[str, str], str]) -> None:
        self.path, self.errors, self.source, self.sensor_ids = path, errors, source, sensor_ids
        self.parser: Any = None
        self.root_seen = False
        self.zone: tzinfo = UTC
        self.text: list[str] = []
        self.header: dict[str, str] = {}
        self.usable = False
        self.miss_val = math.nan
        self.sensor = ""

    def attach(self, parser: Any) -> None:
        self.parser = parser
        parser.StartElementHandler = self.start
        parser.EndElementHandler = self.end
        parser.CharacterDataHandler = self.text.append

    def start(self, qualified: str, attributes: dict[str, str]) -> None:
        name = qualified.rpartition(" ")[2]
        self.text.clear()
        if not self.root_seen:
            if name != "TimeSeries":
                raise TimeSeriesFileError(self.path, f"root element is <{name}>, not <TimeSeries>",
                                          line=self.parser.CurrentLineNumber,
                                          hint="export a PI time-series file from FEWS")
            self.root_seen = True
        elif name == "series":
            self.header, self.usable = {}, False
        elif name == "event":
            self._event(attributes)
        elif name == "timeStep":
            self.header["timeStep"] = attributes.get("unit", "")

    def end(self, qualified: str) -> None:
        name = qualified.rpartition(" ")[2]
        text = "".join(self.text).strip()
        if name == "timeZone":
            self._time_zone(text)
        elif name == "header":
            self._check_header()
        elif name in ("locationId", "parameterId", "missVal", "units", "type"):
            self.header[name] = text

    def _time_zone(self, text: str) -> None:
        try:
            self.zone = timezone(timedelta(hours=float(text)))
        except (ValueError, OverflowError) as error:
            raise TimeSeriesFileError(self.path, f"timeZone {text!r} is not hours from GMT",
                                      line=self.parser.CurrentLineNumber,
                                      hint="write e.g. <timeZone>8.0</timeZone>") from error

    def _check_header(self) -> None:
        self.errors.result.series += 1
        missing = [key for key in ("locationId", "units") if not self.header.get(key)]
        if missing:
            self.errors.add(self.parser.CurrentLineNumber,
                            f"series header lacks {', '.join(missing)}; its events are skipped")
            return
        try:
            self.miss_val = float(self.header.get("missVal", "NaN"))
        except ValueError:
            self.errors.add(self.parser.CurrentLineNumber,
                            f"missVal {self.header['missVal']!r} is not a number")
            return
        key = (self.header["locationId"], self.header.get("parameterId", ""))
        self.sensor = self.sensor_ids.get(key, key[0])
        self.usable = True

    def _event(self, attributes: dict[str, str]) -> None:
        if not self.usable:
            return
        line = self.parser.CurrentLineNumber
        try:
            reading = self._reading(attributes)
        except _RowProblem as problem:
            self.errors.add(line, f"event of {self.header['locationId']}: {problem}")
            return
        if reading is None:
            self.errors.result.missing += 1
        else:
            self.errors.result.readings.append(reading)

    def _reading(self, attributes: dict[str, str]) -> Reading | None:
        try:
            time = datetime.fromisoformat(f"{attributes['date']}T{attributes['time']}")
            value = float(attributes["value"])
        except KeyError as error:
            raise _RowProblem(f"no {error.args[0]} attribute") from error
        except ValueError as error:
            raise _RowProblem(f"bad date, time or value ({error})") from error
        flag = attributes.get("flag", "0")
        if not flag.isdigit() or int(flag) not in FLAG_TO_QUALITY:
            raise _RowProblem(f"flag {flag!r} is not a FEWS quality flag 0-9")
        if math.isnan(value) or value == self.miss_val:
            return None
        if not math.isfinite(value):
            raise _RowProblem(f"value {attributes['value']!r} is not finite")
        return Reading(self.sensor, time.replace(tzinfo=self.zone), value, self.header["units"],
                       FLAG_TO_QUALITY[int(flag)], self.source)

