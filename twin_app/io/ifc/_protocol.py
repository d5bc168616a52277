"""Length-prefixed pickle frames between the app and its tessellation process.

Both ends are this package, so pickle is safe here: nothing else writes to these pipes.
"""

from __future__ import annotations

import pickle
from typing import Any, BinaryIO

_HEADER = 8

FAULT_ENV = "TWIN_APP_IFC_FAULT"
"""Test hook read by the child: ``crash:<GlobalId>`` / ``hang:<GlobalId>``, comma-separated."""


def write_frame(stream: BinaryIO, message: Any) -> None:
    """Write one message and flush."""
    data = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
    stream.write(len(data).to_bytes(_HEADER, "little"))
    stream.write(data)
    stream.flush()


def _read_exact(stream: BinaryIO, size: int) -> bytes | None:
    chunks, remaining = [], size
    while remaining:
        chunk = stream.read(remaining)
        if not chunk:
            return None
        chunks.append(chunk)
        remaining -= len(chunk)
    return b"".join(chunks)


def read_frame(stream: BinaryIO) -> Any | None:
    """Read one message; return None at end of stream (the other side is gone)."""
    head = _read_exact(stream, _HEADER)
    if head is None:
        return None
    data = _read_exact(stream, int.from_bytes(head, "little"))
    if data is None:
        return None
    return pickle.loads(data)  # our own child process wrote it
