"""ifcopenshell's own log (parser and geometry kernel messages) as structured records."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

import ifcopenshell.ifcopenshell_wrapper as wrapper

_OFFSET = re.compile(r"\s+at offset (\d+)\s*$")
_INSTANCE = re.compile(r"for instance #(\d+)")
_STEP_ID = re.compile(r"^#(\d+)\s*=")


@dataclass(frozen=True)
class LogRecord:
    """One message of ifcopenshell's log.

    Attributes
    ----------
    level : str
        ``"error"``, ``"warning"``, ``"notice"``...
    message : str
        The message, without the trailing ``at offset N``.
    product : int or None
        Step id of the product being processed, when the kernel names one.
    instance : int or None
        Step id of the instance the message is about, when named.
    instance_text : str
        The instance as the log quotes it (possibly empty).
    offset : int or None
        Byte offset in the file (parser messages).
    """

    level: str
    message: str
    product: int | None = None
    instance: int | None = None
    instance_text: str = ""
    offset: int | None = None

    @property
    def is_parse_problem(self) -> bool:
        """Whether the parser lost data here (an unreadable or mis-sized instance)."""
        return self.level == "error" or "attribute values" in self.message

    def describe(self) -> str:
        """Return the message with the instance it names, on one line."""
        text = " ".join(self.message.split())
        if self.instance_text and self.instance_text not in text:
            quoted = self.instance_text if len(self.instance_text) <= 120 else (
                self.instance_text[:117] + "...")
            text = f"{text.rstrip(':')}: {quoted}"
        return text


def start_capture() -> None:
    """Switch ifcopenshell's log to JSON records and discard what it holds so far."""
    wrapper.set_log_format_json()
    wrapper.get_log()


def _step_id(text: str | None) -> int | None:
    if not text:
        return None
    match = _STEP_ID.match(text)
    return int(match.group(1)) if match else None


def take_log() -> list[LogRecord]:
    """Return (and clear) the records logged since the last call."""
    records = []
    for line in wrapper.get_log().splitlines():
        if not line.strip():
            continue
        try:
            raw = json.loads(line)
        except json.JSONDecodeError:
            records.append(LogRecord("notice", line))
            continue
        message = str(raw.get("message", ""))
        offset = None
        if match := _OFFSET.search(message):
            offset = int(match.group(1))
            message = message[:match.start()]
        instance_text = str(raw.get("instance") or "")
        instance = _step_id(instance_text)
        if instance is None and (match := _INSTANCE.search(message)):
            instance = int(match.group(1))
        records.append(LogRecord(
            level=str(raw.get("level", "notice")), message=message,
            product=_step_id(raw.get("product")), instance=instance,
            instance_text=instance_text, offset=offset))
    return records
