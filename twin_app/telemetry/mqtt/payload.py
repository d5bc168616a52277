"""Topic layout and JSON payloads of the twin's MQTT telemetry (no network code here).

See :mod:`twin_app.telemetry.mqtt` for the specification.  :func:`decode_message` turns one MQTT
message into readings and, for whatever cannot be accepted, :class:`Rejection` records with a
machine-readable :class:`RejectReason`; it never raises on bad input.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any

from twin_app.core.readings import Quality, Reading

DEFAULT_ROOT = "twin"
"""First topic level of every twin topic."""

MAX_PAYLOAD_BYTES = 1_000_000
"""Larger payloads are rejected unread (Mosquitto 2.1 limits packets to 2,000,000 bytes)."""

_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.\-]*$")
_MAX_UNIT_LENGTH = 16


class RejectReason(StrEnum):
    """Why (part of) a message was not accepted; the key rejections are counted by."""

    UNEXPECTED_TOPIC = "unexpected_topic"
    TOO_LARGE = "too_large"
    NOT_JSON = "not_json"
    BAD_STRUCTURE = "bad_structure"
    MISSING_FIELD = "missing_field"
    BAD_SENSOR_ID = "bad_sensor_id"
    BAD_TIME = "bad_time"
    TIME_WITHOUT_ZONE = "time_without_zone"
    BAD_VALUE = "bad_value"
    BAD_QUALITY = "bad_quality"
    BAD_UNIT = "bad_unit"
    UNKNOWN_SENSOR = "unknown_sensor"
    UNIT_MISMATCH = "unit_mismatch"


@dataclass(frozen=True)
class Rejection:
    """A message, or one entry of a batch, that was not accepted.

    Attributes
    ----------
    topic : str
        The MQTT topic.
    payload : bytes
        The raw payload of the whole message, as received.
    reason : RejectReason
        Why it was rejected.
    detail : str
        What exactly was wrong, for the log and the feed-status panel.
    index : int or None
        The position of the entry in a batch, ``None`` for a single-reading message.
    """

    topic: str
    payload: bytes
    reason: RejectReason
    detail: str
    index: int | None = None


@dataclass
class DecodeResult:
    """What one message gave: accepted readings and rejections."""

    readings: list[Reading] = field(default_factory=list)
    rejections: list[Rejection] = field(default_factory=list)


class _Reject(Exception):
    """Internal: one entry cannot be accepted."""

    def __init__(self, reason: RejectReason, detail: str) -> None:
        super().__init__(detail)
        self.reason = reason
        self.detail = detail


@dataclass(frozen=True)
class TopicLayout:
    """The topics of one scene: ``<root>/<scene>/<sensor_id>/reading`` and ``<root>/<scene>/batch``.

    Parameters
    ----------
    scene_id : str
        The scene id (letters, digits, ``_ . -``: never an MQTT wildcard or separator).
    root : str
        The first topic level, ``"twin"`` unless a site uses its own namespace.
    """

    scene_id: str
    root: str = DEFAULT_ROOT

    def __post_init__(self) -> None:
        for name, value in (("scene id", self.scene_id), ("topic root", self.root)):
            if not _ID.match(value):
                msg = (f"{name} {value!r} cannot be a topic level; use letters, digits, "
                       "'_', '.' and '-' only")
                raise ValueError(msg)

    def reading_topic(self, sensor_id: str) -> str:
        """Return the topic of single readings of ``sensor_id``."""
        if not _ID.match(sensor_id):
            raise ValueError(f"sensor id {sensor_id!r} cannot be a topic level")
        return f"{self.root}/{self.scene_id}/{sensor_id}/reading"

    @property
    def batch_topic(self) -> str:
        """The topic of batch messages."""
        return f"{self.root}/{self.scene_id}/batch"

    @property
    def subscriptions(self) -> tuple[str, str]:
        """The topic filters a subscriber of this scene needs."""
        return f"{self.root}/{self.scene_id}/+/reading", self.batch_topic

    def sensor_of(self, topic: str) -> str | None:
        """Return the sensor id of a single-reading topic, ``None`` for the batch topic.

        Raises
        ------
        ValueError
            If the topic belongs to neither form of this scene.
        """
        if topic == self.batch_topic:
            return None
        parts = topic.split("/")
        if (len(parts) == 4 and parts[0] == self.root and parts[1] == self.scene_id
                and parts[3] == "reading" and _ID.match(parts[2])):
            return parts[2]
        msg = (f"topic {topic!r} is not {self.root}/{self.scene_id}/<sensor_id>/reading "
               f"or {self.batch_topic}")
        raise ValueError(msg)


def reading_to_json(reading: Reading, *, with_sensor: bool = False) -> dict[str, Any]:
    """Return the JSON object of one reading (``s`` only inside batches)."""
    entry: dict[str, Any] = {}
    if with_sensor:
        entry["s"] = reading.sensor_id
    entry.update(t=reading.time.isoformat(), v=float(reading.value), q=int(reading.quality),
                 u=reading.unit)
    return entry


def encode_reading(reading: Reading) -> bytes:
    """Return the payload of a single-reading message."""
    return json.dumps(reading_to_json(reading), separators=(",", ":")).encode()


def encode_batch(readings: Iterable[Reading]) -> bytes:
    """Return the payload of a batch message."""
    entries = [reading_to_json(reading, with_sensor=True) for reading in readings]
    return json.dumps({"readings": entries}, separators=(",", ":")).encode()


def decode_message(layout: TopicLayout, topic: str, payload: bytes, *, source: str = "mqtt",
                   sensor_units: Mapping[str, str] | None = None) -> DecodeResult:
    """Decode one message; bad input becomes rejections, never an exception.

    Parameters
    ----------
    layout : TopicLayout
        The scene's topics.
    topic : str
        The topic the message arrived on.
    payload : bytes
        The raw payload.
    source : str
        Written to :attr:`Reading.source`.
    sensor_units : Mapping[str, str], optional
        The scene's sensors and their units; when given, unknown sensors and other units are
        rejected too.

    Returns
    -------
    DecodeResult
        The accepted readings and the rejections, in payload order.
    """
    result = DecodeResult()
    try:
        sensor_id = layout.sensor_of(topic)
        document = _load(payload)
        entries = _entries(document, sensor_id)
    except _Reject as whole:
        result.rejections.append(Rejection(topic, payload, whole.reason, whole.detail))
        return result
    except ValueError as error:
        reason = RejectReason.UNEXPECTED_TOPIC
        result.rejections.append(Rejection(topic, payload, reason, str(error)))
        return result
    for index, (entry_sensor, entry) in enumerate(entries):
        try:
            reading = _reading(entry_sensor, entry, source)
            _check_known(reading, sensor_units)
        except _Reject as bad:
            where = None if sensor_id is not None else index
            result.rejections.append(Rejection(topic, payload, bad.reason, bad.detail, where))
        else:
            result.readings.append(reading)
    return result


def _load(payload: bytes) -> Any:
    if len(payload) > MAX_PAYLOAD_BYTES:
        detail = f"payload of {len(payload)} bytes exceeds {MAX_PAYLOAD_BYTES}; split the batch"
        raise _Reject(RejectReason.TOO_LARGE, detail)
    try:
        return json.loads(payload.decode("utf-8"), parse_constant=_no_constants)
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise _Reject(RejectReason.NOT_JSON, f"payload is not UTF-8 JSON: {error}") from error


def _no_constants(name: str) -> Any:
    raise _Reject(RejectReason.BAD_VALUE, f"{name} is not a number a reading may carry")


def _entries(document: Any, sensor_id: str | None) -> list[tuple[str, Any]]:
    if sensor_id is not None:
        if not isinstance(document, dict):
            raise _Reject(RejectReason.BAD_STRUCTURE, "a reading payload must be a JSON object")
        return [(sensor_id, document)]
    batch = document.get("readings") if isinstance(document, dict) else None
    if not isinstance(batch, list) or not batch:
        detail = 'a batch payload must be {"readings": [ ... ]} with at least one entry'
        raise _Reject(RejectReason.BAD_STRUCTURE, detail)
    return [(_batch_sensor(entry), entry) for entry in batch]


def _batch_sensor(entry: Any) -> str:
    sensor = entry.get("s") if isinstance(entry, dict) else None
    return sensor if isinstance(sensor, str) else ""


def _reading(sensor_id: str, entry: Any, source: str) -> Reading:
    if not isinstance(entry, dict):
        raise _Reject(RejectReason.BAD_STRUCTURE, "a batch entry must be a JSON object")
    if not _ID.match(sensor_id):
        raise _Reject(RejectReason.BAD_SENSOR_ID, f"sensor id {entry.get('s')!r} is missing "
                                                  "or not an id")
    for key in ("t", "v", "u"):
        if key not in entry:
            raise _Reject(RejectReason.MISSING_FIELD, f"{sensor_id}: no {key!r} field")
    return Reading(sensor_id, _time(entry["t"]), _value(entry["v"]), _unit(entry["u"]),
                   _quality(entry.get("q", 0)), source)


def _time(raw: Any) -> datetime:
    if not isinstance(raw, str):
        raise _Reject(RejectReason.BAD_TIME, f"time {raw!r} is not an ISO-8601 string")
    try:
        time = datetime.fromisoformat(raw)
    except ValueError as error:
        raise _Reject(RejectReason.BAD_TIME, f"time {raw!r} is not ISO-8601") from error
    if time.tzinfo is None or time.utcoffset() is None:
        raise _Reject(RejectReason.TIME_WITHOUT_ZONE, f"time {raw!r} has no zone; add Z or +08:00")
    return time


def _value(raw: Any) -> float:
    problem = _Reject(RejectReason.BAD_VALUE, f"value {raw!r:.40} is not a finite number")
    if isinstance(raw, bool) or not isinstance(raw, int | float):
        raise problem
    try:
        value = float(raw)
    except OverflowError as error:
        raise problem from error
    if not math.isfinite(value):
        raise problem
    return value


def _unit(raw: Any) -> str:
    if not isinstance(raw, str) or not raw or len(raw) > _MAX_UNIT_LENGTH:
        raise _Reject(RejectReason.BAD_UNIT, f"unit {raw!r} is not a short text such as 'm'")
    return raw


def _quality(raw: Any) -> Quality:
    if isinstance(raw, int) and not isinstance(raw, bool) and raw in Quality._value2member_map_:
        return Quality(raw)
    if isinstance(raw, str) and raw.upper() in Quality.__members__:
        return Quality[raw.upper()]
    names = ", ".join(f"{q.value}/{q.name.lower()}" for q in Quality)
    raise _Reject(RejectReason.BAD_QUALITY, f"quality {raw!r} is not one of {names}")


def _check_known(reading: Reading, sensor_units: Mapping[str, str] | None) -> None:
    if sensor_units is None:
        return
    unit = sensor_units.get(reading.sensor_id)
    if unit is None:
        raise _Reject(RejectReason.UNKNOWN_SENSOR, f"sensor {reading.sensor_id!r} is not in "
                                                   "the scene")
    if unit != reading.unit:
        raise _Reject(RejectReason.UNIT_MISMATCH, f"{reading.sensor_id}: unit {reading.unit!r}, "
                                                  f"the scene says {unit!r}")
