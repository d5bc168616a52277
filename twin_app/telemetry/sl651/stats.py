"""Per-station counters of the SL 651 server, for the feed-status panel."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any


@dataclass
class StationStats:
    """What the feed-status panel shows for one station.

    Attributes
    ----------
    station : str
        Station address.
    frames_ok : int
        Frames accepted.
    rejected : Counter
        Frames rejected, by reason (``bad_crc``, ``wrong_password`` ...).
    duplicates : int
        Resent frames confirmed again but not delivered again.
    readings : int
        Readings delivered.
    unknown_identifiers : int
        Elements skipped because the table does not know them.
    skipped_bytes : int
        Bytes dropped while resynchronising after a rejected frame.
    last_message : datetime or None
        When the last acceptable frame arrived (UTC).
    last_function : int or None
        Its function code.
    connections : int
        Connections open from this station now.
    peer : str
        Address of the latest connection.
    """

    station: str
    frames_ok: int = 0
    rejected: Counter[str] = field(default_factory=Counter)
    duplicates: int = 0
    readings: int = 0
    unknown_identifiers: int = 0
    skipped_bytes: int = 0
    last_message: datetime | None = None
    last_function: int | None = None
    connections: int = 0
    peer: str = ""

    @property
    def connected(self) -> bool:
        """Whether the station has a connection open."""
        return self.connections > 0

    def as_dict(self) -> dict[str, Any]:
        """Return the numbers as a JSON-ready dict."""
        return {"station": self.station, "connected": self.connected,
                "frames_ok": self.frames_ok, "rejected": dict(self.rejected),
                "duplicates": self.duplicates, "readings": self.readings,
                "unknown_identifiers": self.unknown_identifiers,
                "skipped_bytes": self.skipped_bytes,
                "last_message": self.last_message.isoformat() if self.last_message else None,
                "last_function": None if self.last_function is None
                else f"{self.last_function:02X}", "peer": self.peer}
