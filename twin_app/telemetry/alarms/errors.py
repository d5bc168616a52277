"""Errors of the alarm engine: each says what went wrong and what the operator or author can do."""

from __future__ import annotations

from pathlib import Path

from twin_app.core.errors import TwinAppError


class AlarmError(TwinAppError):
    """Base class of the alarm engine's errors."""


class AlarmConfigError(AlarmError):
    """An alarm configuration file (TOML) is malformed or names something the scene lacks.

    Parameters
    ----------
    source : Path or str
        The file, or a description of where the text came from.
    problem : str
        What is wrong, including what was expected.
    line : int, optional
        1-based line of the offending key, where known.
    key : str, optional
        Dotted path of the offending key, e.g. ``sensors.HPK-WL-01.deadband``.
    hint : str, optional
        What to do next.
    """

    def __init__(
        self,
        source: Path | str,
        problem: str,
        *,
        line: int | None = None,
        key: str | None = None,
        hint: str | None = None,
    ) -> None:
        self.source = str(source)
        self.problem = problem
        self.line = line
        self.key = key
        where = self.source + (f":{line}" if line is not None else "")
        subject = f" [{key}]" if key else ""
        super().__init__(f"{where}{subject}: {problem}", hint=hint)


class AlarmDefinitionError(AlarmError):
    """Alarm definitions cannot be built (duplicate ids, a threshold id that clashes, ...)."""


class UnknownAlarmError(AlarmError, KeyError):
    """An operation named an alarm the engine does not have."""

    def __str__(self) -> str:
        return self.one_line()


class IllegalTransitionError(AlarmError):
    """An operator or system action is not allowed in the alarm's current state.

    Parameters
    ----------
    key : str
        The alarm (``"SENSOR/alarm"``).
    state : str
        Its current state.
    action : str
        What was attempted (``"acknowledge"``, ``"shelve"``, ...).
    hint : str
        What to do instead.
    """

    def __init__(self, key: str, state: str, action: str, hint: str) -> None:
        self.key = key
        self.state = state
        self.action = action
        super().__init__(f"cannot {action.replace('_', ' ')} alarm {key}: it is {state}",
                         hint=hint)


class OperatorInputError(AlarmError):
    """An operator action lacks what it needs (a user name, a reason, a valid shelve time)."""


class AlarmListenerError(AlarmError):
    """A listener of :attr:`AlarmEngine.transitions` failed; the states have changed regardless.

    Parameters
    ----------
    events : tuple of AlarmEvent
        The batch being delivered: persist or show it again once the listener works.
    cause : BaseException
        What the listener raised.
    """

    def __init__(self, events: tuple[object, ...], cause: BaseException) -> None:
        self.events = events
        self.cause = cause
        super().__init__(f"a listener of alarm transitions failed on a batch of {len(events)} "
                         f"event(s): {type(cause).__name__}: {cause}",
                         hint="the alarm states have changed; record error.events again once "
                              "the listener (e.g. the store) works")
