"""Alarm history: every state transition of every alarm, kept in the telemetry store.

Only storage and queries live here; the ISA-18.2 state machine that decides the transitions is in
the alarms package.  States are stored as the state machine's texts (``"normal"``,
``"unacknowledged"``, ``"acknowledged"``, ``"rtn_unacknowledged"``, ``"shelved"``, ...), so this
module does not fix the set of states.

A recorded event is committed durably before :meth:`AlarmLog.record` returns: an operator's
acknowledgement is never lost.  :meth:`AlarmLog.current` gives the last transition of each alarm,
which is what the state machine needs to resume after a restart.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Literal, Protocol

from twin_app.telemetry.store.times import from_us, now_us, to_us

SQLITE_SCHEMA = """
CREATE TABLE alarm_events (
    event_id    INTEGER PRIMARY KEY AUTOINCREMENT,
    time_us     INTEGER NOT NULL,
    sensor_id   TEXT NOT NULL,
    alarm_id    TEXT NOT NULL,
    from_state  TEXT NOT NULL,
    to_state    TEXT NOT NULL,
    user_name   TEXT NOT NULL,
    comment     TEXT NOT NULL,
    value       REAL,
    recorded_us INTEGER NOT NULL
);
CREATE INDEX alarm_events_by_time ON alarm_events (time_us);
CREATE INDEX alarm_events_by_alarm ON alarm_events (sensor_id, alarm_id, time_us);
"""
"""The alarm table of the SQLite schema (version 1)."""

POSTGRES_SCHEMA = """
CREATE TABLE alarm_events (
    event_id    BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    time        TIMESTAMPTZ NOT NULL,
    sensor_id   TEXT NOT NULL,
    alarm_id    TEXT NOT NULL,
    from_state  TEXT NOT NULL,
    to_state    TEXT NOT NULL,
    user_name   TEXT NOT NULL,
    comment     TEXT NOT NULL,
    value       DOUBLE PRECISION,
    recorded    TIMESTAMPTZ NOT NULL
);
CREATE INDEX alarm_events_by_time ON alarm_events (time);
CREATE INDEX alarm_events_by_alarm ON alarm_events (sensor_id, alarm_id, time);
"""
"""The alarm table of the PostgreSQL schema (version 1)."""


@dataclass(frozen=True, slots=True)
class AlarmEvent:
    """One state transition of one alarm.

    Attributes
    ----------
    sensor_id : str
        The sensor the alarm watches.
    alarm_id : str
        The alarm, unique per sensor (a threshold id, ``"rate_of_rise"``, ``"stale"``).
    time : datetime
        When the transition happened, timezone-aware.
    from_state, to_state : str
        The state machine's state before and after.
    user : str
        Who caused it (an operator acknowledging or shelving); empty for the system.
    comment : str
        The operator's comment, or why the system made the transition.
    value : float or None
        The sensor's value at the transition, if one applies.
    event_id : int or None
        The store's id, set on events read back from the store.

    Raises
    ------
    ValueError
        If an id or state is empty, the time has no zone or the value is not finite.
    """

    sensor_id: str
    alarm_id: str
    time: datetime
    from_state: str
    to_state: str
    user: str = ""
    comment: str = ""
    value: float | None = None
    event_id: int | None = None

    def __post_init__(self) -> None:
        for name in ("sensor_id", "alarm_id", "from_state", "to_state"):
            if not isinstance(getattr(self, name), str) or not getattr(self, name):
                raise ValueError(f"alarm event: {name} must be a non-empty text")
        if self.time.tzinfo is None or self.time.utcoffset() is None:
            raise ValueError(f"alarm event of {self.sensor_id}/{self.alarm_id}: time "
                             f"{self.time.isoformat()} has no time zone; give UTC")
        if self.value is not None and not math.isfinite(self.value):
            raise ValueError(f"alarm event of {self.sensor_id}/{self.alarm_id}: value "
                             f"{self.value!r} is not finite; give None if there is no value")


class SqlRunner(Protocol):
    """What a store backend offers :class:`AlarmLog`: durable writes, queries, its dialect."""

    dialect: Literal["sqlite", "postgresql"]

    def run_write(self, sql: str, rows: Sequence[tuple[object, ...]]) -> None:
        """Execute ``sql`` once per row in one transaction and commit it durably."""

    def run_query(self, sql: str, params: Sequence[object]) -> list[tuple[object, ...]]:
        """Run a query and return its rows."""

    def time_param(self, micros: int) -> object:
        """Return a time in epoch microseconds as the dialect's query parameter."""

    def time_value(self, value: object) -> int:
        """Return a time column's value as epoch microseconds."""


_COLUMNS = {
    "sqlite": {"p": "?", "time": "time_us", "recorded": "recorded_us"},
    "postgresql": {"p": "%s", "time": "time", "recorded": "recorded"},
}


class AlarmLog:
    """The alarm history of one store (``store.alarms``).

    Parameters
    ----------
    runner : SqlRunner
        The store backend.
    clock : callable, optional
        Returns the current time in epoch microseconds (stamped on each recorded event).
    """

    def __init__(self, runner: SqlRunner, clock: Callable[[], int] = now_us) -> None:
        self._runner = runner
        self._clock = clock
        self._sql = _COLUMNS[runner.dialect]

    def _fmt(self, sql: str) -> str:
        return sql.format(**self._sql)

    def record(self, events: AlarmEvent | Iterable[AlarmEvent]) -> int:
        """Store transitions durably; return once they are committed.

        Parameters
        ----------
        events : AlarmEvent or iterable of AlarmEvent
            The transitions, in any order.

        Returns
        -------
        int
            How many events were stored.
        """
        batch = [events] if isinstance(events, AlarmEvent) else list(events)
        if not batch:
            return 0
        time_param = self._runner.time_param
        recorded = time_param(self._clock())
        rows = [(time_param(to_us(e.time)), e.sensor_id, e.alarm_id, e.from_state, e.to_state,
                 e.user, e.comment, e.value, recorded) for e in batch]
        self._runner.run_write(self._fmt(
            "INSERT INTO alarm_events ({time}, sensor_id, alarm_id, from_state, to_state, "
            "user_name, comment, value, {recorded}) VALUES ({p}, {p}, {p}, {p}, {p}, {p}, {p}, "
            "{p}, {p})"), rows)
        return len(batch)

    def history(
        self,
        *,
        sensor_id: str | None = None,
        alarm_id: str | None = None,
        start: datetime | None = None,
        end: datetime | None = None,
        limit: int | None = None,
        newest_first: bool = False,
    ) -> list[AlarmEvent]:
        """Return recorded transitions, filtered, in time order.

        Parameters
        ----------
        sensor_id, alarm_id : str, optional
            Only this sensor's, or this alarm's, transitions.
        start, end : datetime, optional
            Only transitions in ``[start, end]``.
        limit : int, optional
            At most this many (the oldest, or the newest with ``newest_first``).
        newest_first : bool
            Return the newest first.

        Returns
        -------
        list of AlarmEvent
            With ``event_id`` set.
        """
        where, params = self._filters(sensor_id, alarm_id, start, end)
        order = "DESC" if newest_first else "ASC"
        sql = self._fmt(
            "SELECT event_id, {time}, sensor_id, alarm_id, from_state, to_state, user_name, "
            f"comment, value FROM alarm_events{where} ORDER BY {{time}} {order}, event_id {order}")
        if limit is not None:
            sql += self._fmt(" LIMIT {p}")
            params.append(int(limit))
        return [self._event(row) for row in self._runner.run_query(sql, params)]

    def after(self, event_id: int, limit: int | None = None) -> list[AlarmEvent]:
        """Return the transitions recorded after ``event_id`` (by any process), in record order.

        Parameters
        ----------
        event_id : int
            The last id already seen (0 for all).
        limit : int, optional
            At most this many.

        Returns
        -------
        list of AlarmEvent
            With ``event_id`` set, ascending.
        """
        sql = self._fmt(
            "SELECT event_id, {time}, sensor_id, alarm_id, from_state, to_state, user_name, "
            "comment, value FROM alarm_events WHERE event_id > {p} ORDER BY event_id")
        params: list[object] = [int(event_id)]
        if limit is not None:
            sql += self._fmt(" LIMIT {p}")
            params.append(int(limit))
        return [self._event(row) for row in self._runner.run_query(sql, params)]

    def current(self, sensor_id: str | None = None) -> dict[tuple[str, str], AlarmEvent]:
        """Return the last transition of each alarm, keyed by ``(sensor_id, alarm_id)``.

        Parameters
        ----------
        sensor_id : str, optional
            Only this sensor's alarms.

        Returns
        -------
        dict
            The state each alarm was last left in is ``event.to_state``.
        """
        where, params = self._filters(sensor_id, None, None, None)
        sql = self._fmt(
            "SELECT event_id, {time}, sensor_id, alarm_id, from_state, to_state, user_name, "
            "comment, value FROM (SELECT *, ROW_NUMBER() OVER (PARTITION BY sensor_id, alarm_id "
            f"ORDER BY {{time}} DESC, event_id DESC) AS newest FROM alarm_events{where}) AS ranked "
            "WHERE newest = 1 ORDER BY sensor_id, alarm_id")
        events = (self._event(row) for row in self._runner.run_query(sql, params))
        return {(event.sensor_id, event.alarm_id): event for event in events}

    def count(self) -> int:
        """Return how many transitions are stored."""
        rows = self._runner.run_query("SELECT COUNT(*) FROM alarm_events", ())
        return int(rows[0][0])  # type: ignore[call-overload]

    def _filters(self, sensor_id: str | None, alarm_id: str | None, start: datetime | None,
                 end: datetime | None) -> tuple[str, list[object]]:
        clauses: list[str] = []
        params: list[object] = []
        for column, value in (("sensor_id", sensor_id), ("alarm_id", alarm_id)):
            if value is not None:
                clauses.append(self._fmt(f"{column} = {{p}}"))
                params.append(value)
        for op, moment in ((">=", start), ("<=", end)):
            if moment is not None:
                clauses.append(self._fmt(f"{{time}} {op} {{p}}"))
                params.append(self._runner.time_param(to_us(moment)))
        return (" WHERE " + " AND ".join(clauses) if clauses else ""), params

    def _event(self, row: tuple[object, ...]) -> AlarmEvent:
        event_id, time, sensor_id, alarm_id, from_state, to_state, user, comment, value = row
        return AlarmEvent(str(sensor_id), str(alarm_id), from_us(self._runner.time_value(time)),
                          str(from_state), str(to_state), str(user), str(comment),
                          None if value is None else float(value),  # type: ignore[arg-type]
                          int(event_id))  # type: ignore[call-overload]
