"""Checks of what an operator gives with an action: a name, a reason, a shelve time."""

from __future__ import annotations

from datetime import datetime, timedelta

from twin_app.telemetry.alarms.errors import OperatorInputError


def operator_name(user: str) -> str:
    """Return the operator's name, stripped.

    Raises
    ------
    OperatorInputError
        If it is empty.
    """
    if not user or not user.strip():
        raise OperatorInputError("an operator action needs the operator's name",
                                 hint="log in, or give user=")
    return user.strip()


def require_reason(comment: str, action: str) -> str:
    """Return the reason given for ``action``, stripped.

    Raises
    ------
    OperatorInputError
        If it is empty.
    """
    if not comment or not comment.strip():
        raise OperatorInputError(f"{action} needs a reason", hint="give a comment")
    return comment.strip()


def shelve_expiry(key: str, until: datetime | timedelta, now: datetime, longest: timedelta
                  ) -> datetime:
    """Return when a shelve of ``key`` asked for at ``now`` ends.

    Parameters
    ----------
    key : str
        The alarm, for messages.
    until : datetime or timedelta
        The end, or the duration.
    now : datetime
        The engine's time.
    longest : timedelta
        The longest shelve allowed.

    Returns
    -------
    datetime
        The expiry, timezone-aware.

    Raises
    ------
    OperatorInputError
        If the end has no time zone, is not after ``now`` or lies more than ``longest`` ahead.
    """
    expiry = now + until if isinstance(until, timedelta) else until
    if expiry.tzinfo is None:
        raise OperatorInputError(f"shelve time {expiry} has no time zone",
                                 hint="give a timezone-aware time or a duration")
    if expiry <= now or expiry - now > longest:
        raise OperatorInputError(
            f"cannot shelve {key} until {expiry.isoformat()}: the end must lie after "
            f"{now.isoformat()} and at most {longest} ahead",
            hint="choose a shorter shelve, or take the alarm out of service")
    return expiry
