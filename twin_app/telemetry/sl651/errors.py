"""Why an SL 651 frame or a station mapping table is rejected.

Every :class:`FrameError` carries a machine-readable :attr:`~FrameError.reason` (the key the server
counts rejections by and the inspector prints), the byte offset in the frame where the problem was
found, and a message that says what to check on the station.
"""

from __future__ import annotations

from pathlib import Path

from twin_app.core.errors import TwinAppError


class FrameError(TwinAppError):
    """A frame that cannot be accepted.

    Parameters
    ----------
    message : str
        What is wrong, in one sentence.
    offset : int, optional
        Byte offset in the frame where the problem was found.
    hint : str, optional
        What the user (a field engineer) can do about it.
    """

    reason = "bad_frame"
    """Short machine-readable reason, used as a counter key."""

    def __init__(self, message: str, *, offset: int | None = None,
                 hint: str | None = None) -> None:
        self.offset = offset
        self.detail = message
        """The message without the offset."""
        where = f" (at byte {offset})" if offset is not None else ""
        super().__init__(f"{message}{where}", hint=hint)


class BadStartError(FrameError):
    """The frame does not begin with 7E7E (HEX/BCD) or SOH (ASCII)."""

    reason = "bad_start"


class ShortFrameError(FrameError):
    """Fewer bytes than the header, or than the length word, requires.

    Parameters
    ----------
    expected : int
        Bytes the frame needs.
    got : int
        Bytes there are.
    """

    reason = "short_frame"

    def __init__(self, expected: int, got: int, *, what: str = "frame") -> None:
        self.expected = expected
        self.got = got
        super().__init__(
            f"short {what}: {got} bytes where {expected} are needed",
            offset=got,
            hint="the frame was cut off in transit; the station will resend it, "
                 "otherwise check the modem's packet size",
        )


class LengthMismatchError(FrameError):
    """The length word disagrees with the bytes of the frame or with its body."""

    reason = "length_mismatch"


class BadDirectionError(FrameError):
    """The high nibble of the length word is neither 0 (uplink) nor 8 (downlink)."""

    reason = "bad_direction"


class BadControlCharError(FrameError):
    """The body does not start with STX/SYN or the end character is not allowed here."""

    reason = "bad_control_char"


class BadCrcError(FrameError):
    """The CRC at the end of the frame does not match the bytes before it.

    Parameters
    ----------
    expected : int
        CRC computed over the frame.
    got : int
        CRC the frame carries.
    offset : int
        Offset of the CRC field.
    """

    reason = "bad_crc"

    def __init__(self, expected: int, got: int, *, offset: int) -> None:
        self.expected = expected
        self.got = got
        super().__init__(
            f"bad CRC: computed {expected:04X}, frame carries {got:04X}",
            offset=offset,
            hint="bytes were corrupted in transit (the station resends unacknowledged frames); "
                 "if every frame fails, check that the station sends CRC-16/MODBUS high byte first",
        )


class WrongPasswordError(FrameError):
    """The station's password is not the one in the station table.

    Parameters
    ----------
    station : str
        Station address.
    expected : int
        Password in the station table.
    got : int
        Password in the frame.
    """

    reason = "wrong_password"

    def __init__(self, station: str, expected: int, got: int) -> None:
        self.station = station
        self.expected = expected
        self.got = got
        super().__init__(
            f"wrong password from station {station}: frame has {got:04X}, "
            f"the station table says {expected:04X}",
            offset=8,
            hint="correct the password in the station table, or set it on the station "
                 "(function 49H)",
        )


class UnknownElementError(FrameError):
    """An element identifier the decoder does not know and cannot skip (or strict mode).

    Parameters
    ----------
    identifier : str
        The identifier bytes in hex (``"F7A0"``).
    message : str
        Why it cannot be decoded.
    offset : int
        Offset of the identifier in the frame.
    """

    reason = "unknown_element"

    def __init__(self, identifier: str, message: str, *, offset: int) -> None:
        self.identifier = identifier
        super().__init__(
            message,
            offset=offset,
            hint="add the element to twin_app.telemetry.sl651.elements if the station's manual "
                 "defines it, or ask the vendor which element this is",
        )


class BodyError(FrameError):
    """The body is malformed: invalid BCD, a truncated field, an element running past the end."""

    reason = "bad_body"


class UnknownStationError(FrameError):
    """The station is not in the station table (when the server accepts listed stations only)."""

    reason = "unknown_station"


class UnexpectedDirectionError(FrameError):
    """A downlink frame arrived where uplink frames are expected (or the reverse)."""

    reason = "wrong_direction"


class MappingError(TwinAppError):
    """A station mapping table is malformed or refers to something that does not exist.

    Parameters
    ----------
    path : Path or str
        The table file (or ``"<string>"``).
    problem : str
        What is wrong, including what was expected.
    line : int, optional
        1-based line of the offending key.
    key : str, optional
        Dotted path of the key, e.g. ``stations[0].elements[2].unit``.
    hint : str, optional
        What to do next.
    """

    def __init__(self, path: Path | str, problem: str, *, line: int | None = None,
                 key: str | None = None, hint: str | None = None) -> None:
        self.path = str(path)
        self.problem = problem
        self.line = line
        self.key = key
        where = self.path if line is None else f"{self.path}:{line}"
        subject = f" [{key}]" if key else ""
        super().__init__(f"{where}{subject}: {problem}", hint=hint)
