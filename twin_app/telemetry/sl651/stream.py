"""Cut a TCP byte stream into SL 651 HEX/BCD frames.

Stations send frames back to back, and TCP may split a frame across segments or put several in
one.  :class:`FrameSplitter` buffers the bytes and delimits each frame by its length word (a frame
is ``L + 17`` bytes); it never scans a body for 7E7E, which BCD and HEX data can contain.  Only when
a frame is rejected does it look for the next 7E7E:

* the header (direction nibble, STX/SYN, length 0) is wrong: drop one byte and resynchronise;
* a whole frame is there but fails a check (CRC ...): if 7E7E follows it, trust its length and
  drop it whole; otherwise (its length word is probably what was corrupted) drop one byte and
  resynchronise.  To make that choice the splitter waits for the two bytes after the frame, so
  the result never depends on how TCP cut the stream;
* bytes before a frame start are reported once per run as a ``bad_start`` rejection.

ASCII-mode frames (SOH followed by a 22-character hex header) are framed the same way (``L + 29``
characters), so a station may use either mode.

:meth:`FrameSplitter.flush` ends the stream (connection closed or idle): what is left is reported
as a short frame.  Every output item is either a checked :class:`~.frame.Frame` or a
:class:`Rejected` with the error and the bytes concerned.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from twin_app.telemetry.sl651.ascii_mode import ASCII_OVERHEAD, parse_ascii_frame
from twin_app.telemetry.sl651.codes import BODY_START, HEX_START, Control
from twin_app.telemetry.sl651.errors import (
    BadControlCharError,
    BadDirectionError,
    BadStartError,
    FrameError,
    LengthMismatchError,
    ShortFrameError,
)
from twin_app.telemetry.sl651.frame import (
    HEADER_LEN,
    LENGTH_OFFSET,
    MIN_FRAME,
    OVERHEAD,
    Frame,
    parse_frame,
)

_KEEP_BYTES = 64
_SYNC = re.compile(rb"\x7e\x7e|\x01[0-9A-Fa-f]{18}[08][0-9A-Fa-f]{3}[\x02\x16]")
"""A frame start: 7E7E, or SOH and an ASCII header (hex fields, direction 0/8, STX/SYN)."""
_MAX_PREFIX = 23
"""Bytes kept at the end of the buffer while no frame start is found: a start may be arriving."""


@dataclass(frozen=True, slots=True)
class Rejected:
    """Bytes of the stream that did not make an acceptable frame.

    Attributes
    ----------
    error : FrameError
        Why (its ``reason`` is the counter key).
    data : bytes
        The bytes concerned (for skipped garbage: the first 64 of them).
    skipped : int
        How many bytes of the stream this rejection consumed.
    """

    error: FrameError
    data: bytes
    skipped: int


def _header_error(buf: bytearray) -> FrameError | None:
    nibble = buf[LENGTH_OFFSET] >> 4
    if nibble not in (0x0, 0x8):
        return BadDirectionError(
            f"direction nibble is {nibble:X}; 0 means uplink, 8 downlink", offset=LENGTH_OFFSET)
    if buf[HEADER_LEN - 1] not in BODY_START:
        return BadControlCharError(
            f"byte {buf[HEADER_LEN - 1]:02X} after the length word is not STX (02) or SYN (16)",
            offset=HEADER_LEN - 1)
    if (int.from_bytes(buf[LENGTH_OFFSET:LENGTH_OFFSET + 2], "big") & 0xFFF) == 0:
        return LengthMismatchError("length word is 0; a body has 1-4095 bytes",
                                   offset=LENGTH_OFFSET)
    return None


class FrameSplitter:
    """Incremental framer for one connection's byte stream."""

    def __init__(self) -> None:
        self._buf = bytearray()
        self._garbage = bytearray()
        self._garbage_count = 0

    @property
    def pending(self) -> int:
        """Bytes buffered, waiting for the rest of a frame."""
        return len(self._buf) + self._garbage_count

    @property
    def skipping(self) -> int:
        """Bytes skipped so far while looking for the next 7E7E (0 once one is found)."""
        return self._garbage_count

    def feed(self, data: bytes) -> list[Frame | Rejected]:
        """Add bytes from the stream and return the frames and rejections they complete.

        Parameters
        ----------
        data : bytes
            The next bytes received.

        Returns
        -------
        list
            :class:`~.frame.Frame` and :class:`Rejected` items in stream order.
        """
        self._buf += data
        return self._process(final=False)

    def flush(self) -> list[Frame | Rejected]:
        """End the stream: decide on everything buffered and empty the buffer.

        Returns
        -------
        list
            Remaining items; a frame cut short is a ``short_frame`` rejection.
        """
        items = self._process(final=True)
        self._buf.clear()
        return items

    def _skip_garbage(self, count: int) -> None:
        if len(self._garbage) < _KEEP_BYTES:
            self._garbage += self._buf[: min(count, _KEEP_BYTES - len(self._garbage))]
        self._garbage_count += count
        del self._buf[:count]

    def _emit_garbage(self, out: list[Frame | Rejected]) -> None:
        if self._garbage_count:
            error = BadStartError(
                f"{self._garbage_count} bytes skipped before the next frame start (7E7E or SOH)",
                offset=0, hint="noise on the line or a modem banner; check the station's "
                               "serial settings if this keeps happening")
            out.append(Rejected(error, bytes(self._garbage), self._garbage_count))
            self._garbage.clear()
            self._garbage_count = 0

    def _drop(self, out: list[Frame | Rejected], error: FrameError, data: bytes,
              count: int) -> None:
        out.append(Rejected(error, data, count))
        del self._buf[:count]

    def _process(self, *, final: bool) -> list[Frame | Rejected]:
        out: list[Frame | Rejected] = []
        buf = self._buf
        while buf:
            sync = _SYNC.search(buf)
            if sync is None:
                self._skip_garbage(len(buf) - (0 if final else min(len(buf), _MAX_PREFIX)))
                break
            if sync.start() > 0:
                self._skip_garbage(sync.start())
                self._emit_garbage(out)
                continue
            self._emit_garbage(out)
            if not self._frame_at_head(out, final):
                break
        if final:
            self._emit_garbage(out)
        return out

    def _frame_at_head(self, out: list[Frame | Rejected], final: bool) -> bool:
        """Cut the frame that starts the buffer; return ``False`` to wait for more bytes."""
        buf = self._buf
        ascii_mode = buf[0] == Control.SOH
        if ascii_mode:
            length = int(buf[20:23], 16)
            error = None if length else LengthMismatchError(
                "length word is 0; a body has 1-4095 characters", offset=19)
            total, parse = length + ASCII_OVERHEAD, parse_ascii_frame
        else:
            if len(buf) < HEADER_LEN:
                if final:
                    self._drop(out, ShortFrameError(MIN_FRAME, len(buf)), bytes(buf), 1)
                return final
            error = _header_error(buf)
            total = (int.from_bytes(buf[LENGTH_OFFSET:LENGTH_OFFSET + 2], "big") & 0xFFF) \
                + OVERHEAD
            parse = parse_frame
        if error is not None:
            self._drop(out, error, bytes(buf[:HEADER_LEN]), 1)
            return True
        if len(buf) < total:
            if final:
                self._drop(out, ShortFrameError(total, len(buf)), bytes(buf), 1)
            return final
        candidate = bytes(buf[:total])
        try:
            frame = parse(candidate)
        except FrameError as err:
            follows = buf[total: total + 2]
            if len(follows) < 2 and not final:
                return False
            trust_length = (follows == HEX_START or follows[:1] == bytes((Control.SOH,))
                            or len(follows) < 2)
            self._drop(out, err, candidate, total if trust_length else 1)
            return True
        out.append(frame)
        del buf[:total]
        return True
