"""An asyncio TCP server for SL 651-2014 telemetry stations (HEX/BCD and ASCII mode).

Each connection's byte stream is cut into frames by length (:mod:`.stream`), so frames split
across TCP segments or sent back to back are handled.  For every frame the server checks the CRC
and the station's password from the station table, decodes it, hands the mapped readings to the
sink, and then answers with the confirm frame the station's link mode asks for (:mod:`.ack`).
Readings are handed over *before* the confirm is sent: if the sink fails the frame is not
confirmed, the station resends it, and nothing is lost.  Resends of a frame already delivered
(same function, serial number and send time) are confirmed again but not delivered twice.

A malformed frame is counted by reason and skipped; the connection stays open and the stream
resynchronises on the next 7E7E.  The connection is closed only when the stream looks
unrecoverable: ``max_consecutive_rejects`` rejections in a row, or ``max_garbage`` bytes without
any frame start.
"""

from __future__ import annotations

import asyncio
import contextlib
import inspect
import logging
from collections import Counter, OrderedDict
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from twin_app.core.readings import Reading
from twin_app.telemetry.sl651.ack import LinkMode, ack_for
from twin_app.telemetry.sl651.ascii_mode import decode_any
from twin_app.telemetry.sl651.codes import Function
from twin_app.telemetry.sl651.errors import (
    FrameError,
    UnexpectedDirectionError,
    UnknownStationError,
    WrongPasswordError,
)
from twin_app.telemetry.sl651.frame import Direction, Frame
from twin_app.telemetry.sl651.mapping import StationTable
from twin_app.telemetry.sl651.reports import DecodedFrame
from twin_app.telemetry.sl651.stats import StationStats
from twin_app.telemetry.sl651.stream import FrameSplitter, Rejected

logger = logging.getLogger(__name__)

ReadingSink = (Callable[[list[Reading]], Awaitable[None] | None]
               | asyncio.Queue[list[Reading]])
"""Where readings go: a function (plain or async) called with one list per frame, or a queue
that receives one list per frame."""


@dataclass(eq=False)
class _Connection:
    peer: str
    writer: asyncio.StreamWriter
    splitter: FrameSplitter = field(default_factory=FrameSplitter)
    station: str | None = None
    consecutive_rejects: int = 0
    after_rejection: bool = False
    transfers: dict[tuple[str, int], tuple[int, datetime]] = field(default_factory=dict)


class Sl651Server:
    """Accepts station connections and turns their frames into readings.

    Parameters
    ----------
    mapping : StationTable
        Stations, passwords, link modes and the routes to scene sensors.
    on_readings : callable or asyncio.Queue
        Receives one list of readings per accepted frame (see :data:`ReadingSink`).
    on_frame : callable, optional
        Called with every accepted :class:`~.reports.DecodedFrame` (e.g. for a raw log).
    accept_unknown_stations : bool
        Decode and confirm frames from stations not in the table (they give no readings);
        otherwise reject them as ``unknown_station``.
    idle_flush : float
        Seconds without data after which a partly received frame is rejected as short.
    max_consecutive_rejects : int
        Close a connection after this many rejections in a row.
    max_garbage : int
        Close a connection after this many bytes without a frame start.
    """

    def __init__(self, mapping: StationTable, on_readings: ReadingSink, *,
                 on_frame: Callable[[DecodedFrame], None] | None = None,
                 accept_unknown_stations: bool = True, idle_flush: float = 10.0,
                 max_consecutive_rejects: int = 20, max_garbage: int = 65536) -> None:
        self.mapping = mapping
        self.on_readings = on_readings
        self.on_frame = on_frame
        self.accept_unknown_stations = accept_unknown_stations
        self.idle_flush = idle_flush
        self.max_consecutive_rejects = max_consecutive_rejects
        self.max_garbage = max_garbage
        self.stats: dict[str, StationStats] = {a: StationStats(a) for a in mapping.stations}
        self.unattributed: Counter[str] = Counter()
        """Rejections on connections that have not yet sent a frame naming their station."""
        self._seen: dict[str, OrderedDict[tuple[int, int, datetime | None], None]] = {}
        self._server: asyncio.Server | None = None
        self._tasks: set[asyncio.Task[None]] = set()
        self._connections: set[_Connection] = set()

    async def start(self, host: str = "127.0.0.1", port: int = 0) -> None:
        """Listen on ``host``:``port``; port 0 picks a free one (see :attr:`port`).

        Stations reach the centre from outside: give ``"0.0.0.0"`` (or the public interface)
        to accept them; the default listens on loopback only.
        """
        self._server = await asyncio.start_server(self._handle, host, port)
        logger.info("SL 651 server listening on %s", ", ".join(
            f"{s.getsockname()[0]}:{s.getsockname()[1]}" for s in self._server.sockets))

    @property
    def port(self) -> int:
        """The port listened on (after :meth:`start`)."""
        if self._server is None or not self._server.sockets:
            msg = "the server is not listening; call start() first"
            raise RuntimeError(msg)
        return self._server.sockets[0].getsockname()[1]

    async def close(self) -> None:
        """Stop listening, close every station connection and wait for the handlers to end."""
        if self._server is not None:
            self._server.close()
        for connection in list(self._connections):
            connection.writer.close()
        for task in list(self._tasks):
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        if self._server is not None:
            await self._server.wait_closed()
            self._server = None
        logger.info("SL 651 server closed")

    async def __aenter__(self) -> Sl651Server:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.close()

    def snapshot(self) -> dict[str, Any]:
        """Return the statistics as a JSON-ready dict (for a feed-status panel or a log line).

        Returns
        -------
        dict
            ``stations``: one :meth:`StationStats.as_dict` per station, by address, with the
            name from the station table; ``unattributed``: rejections on connections that
            never named their station; ``connections``: connections open now.
        """
        stations = {}
        for address, stats in sorted(self.stats.items()):
            entry = stats.as_dict()
            station = self.mapping.stations.get(address)
            entry["name"] = station.name if station else ""
            entry["in_table"] = station is not None
            stations[address] = entry
        return {"stations": stations, "unattributed": dict(self.unattributed),
                "connections": len(self._connections)}

    def station_stats(self, address: str) -> StationStats:
        """Return (creating if needed) the statistics of a station."""
        if address not in self.stats:
            self.stats[address] = StationStats(address)
        return self.stats[address]

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        if task is not None:
            self._tasks.add(task)
        peer = writer.get_extra_info("peername")
        conn = _Connection(f"{peer[0]}:{peer[1]}" if peer else "?", writer)
        self._connections.add(conn)
        logger.info("station connection from %s", conn.peer)
        try:
            await self._read_loop(conn, reader)
        except (ConnectionError, asyncio.IncompleteReadError) as error:
            logger.info("connection from %s lost: %s", conn.peer, error)
        finally:
            self._connections.discard(conn)
            if conn.station is not None:
                self.station_stats(conn.station).connections -= 1
            writer.close()
            with contextlib.suppress(ConnectionError, asyncio.CancelledError):
                await writer.wait_closed()
            if task is not None:
                self._tasks.discard(task)
            logger.info("station connection from %s closed", conn.peer)

    async def _read_loop(self, conn: _Connection, reader: asyncio.StreamReader) -> None:
        while True:
            timeout = self.idle_flush if conn.splitter.pending else None
            try:
                data = await asyncio.wait_for(reader.read(65536), timeout)
            except TimeoutError:
                await self._process(conn, conn.splitter.flush())
                continue
            if not data:
                await self._process(conn, conn.splitter.flush())
                return
            await self._process(conn, conn.splitter.feed(data))
            if conn.consecutive_rejects >= self.max_consecutive_rejects:
                logger.warning("closing connection from %s: %d frames rejected in a row; the "
                               "stream cannot be resynchronised", conn.peer,
                               conn.consecutive_rejects)
                return
            if conn.splitter.skipping > self.max_garbage:
                logger.warning("closing connection from %s: %d bytes without a frame start",
                               conn.peer, conn.splitter.skipping)
                return

    async def _process(self, conn: _Connection, items: list[Frame | Rejected]) -> None:
        for item in items:
            if isinstance(item, Rejected):
                self._rejected(conn, item.error, None, item.skipped)
                continue
            try:
                await self._frame(conn, item)
            except (ConnectionError, asyncio.CancelledError):
                raise
            except Exception:  # a decoder bug must not take the station's connection down
                logger.exception("frame from %s could not be processed: %s", conn.peer,
                                 item.raw.hex().upper())
                self.station_stats(item.header.station).rejected["internal_error"] += 1

    def _rejected(self, conn: _Connection, error: FrameError, station: str | None,
                  skipped: int = 0) -> None:
        address = station or conn.station
        if error.reason == "bad_start" and conn.after_rejection:
            if address is not None:
                self.station_stats(address).skipped_bytes += skipped
            conn.after_rejection = False
            return
        conn.after_rejection = True
        conn.consecutive_rejects += 1
        if address is not None:
            self.station_stats(address).rejected[error.reason] += 1
        else:
            self.unattributed[error.reason] += 1
        logger.warning("frame from %s (station %s) rejected: %s", conn.peer, address or "?",
                       error)

    def _check(self, frame: Frame) -> None:
        head = frame.header
        if head.direction != Direction.UP:
            raise UnexpectedDirectionError(
                "downlink frame (direction 8) received by the centre", offset=11,
                hint="another centre or a loop-back is talking to this port")
        station = self.mapping.stations.get(head.station)
        if station is None and not self.accept_unknown_stations:
            raise UnknownStationError(f"station {head.station} is not in the station table",
                                      offset=3, hint=f"add it to {self.mapping.source}")
        if station is not None and station.password is not None \
                and head.password != station.password:
            raise WrongPasswordError(head.station, station.password, head.password)

    async def _frame(self, conn: _Connection, frame: Frame) -> None:
        head = frame.header
        try:
            self._check(frame)
            decoded = decode_any(frame)
        except FrameError as error:
            self._rejected(conn, error, head.station)
            return
        conn.after_rejection = False
        conn.consecutive_rejects = 0
        self._identify(conn, head.station)
        stats = self.station_stats(head.station)
        stats.frames_ok += 1
        stats.last_message = datetime.now(UTC)
        stats.last_function = head.function
        stats.unknown_identifiers += len(decoded.unknown_identifiers)
        if decoded.unknown_identifiers:
            logger.info("station %s sent elements not in Table C.1: %s", head.station,
                        ", ".join(decoded.unknown_identifiers))
        if not await self._deliver(decoded, stats):
            return
        await self._confirm(conn, decoded)
        if self.on_frame is not None:
            self.on_frame(decoded)

    def _identify(self, conn: _Connection, address: str) -> None:
        if conn.station == address:
            return
        if conn.station is not None:
            self.station_stats(conn.station).connections -= 1
        conn.station = address
        stats = self.station_stats(address)
        stats.connections += 1
        stats.peer = conn.peer

    async def _deliver(self, decoded: DecodedFrame, stats: StationStats) -> bool:
        """Hand the readings over once per frame; return whether the frame may be confirmed."""
        if decoded.function == Function.KEEPALIVE or decoded.serial is None:
            return True
        seen = self._seen.setdefault(decoded.station, OrderedDict())
        key = (decoded.function, decoded.serial, decoded.send_time)
        if key in seen:
            stats.duplicates += 1
            logger.info("station %s resent %02XH serial %d; confirmed again, not delivered twice",
                        decoded.station, decoded.function, decoded.serial)
            return True
        readings = self.mapping.readings(decoded)
        if readings:
            try:
                await self._sink(readings)
            except Exception:  # a faulty sink must not take the server down
                logger.exception("the reading sink failed for station %s serial %d; frame not "
                                 "confirmed, the station will resend it",
                                 decoded.station, decoded.serial)
                return False
        stats.readings += len(readings)
        seen[key] = None
        while len(seen) > 256:
            seen.popitem(last=False)
        return True

    async def _sink(self, readings: list[Reading]) -> None:
        sink = self.on_readings
        if isinstance(sink, asyncio.Queue):
            await sink.put(readings)
            return
        result = sink(readings)
        if inspect.isawaitable(result):
            await result

    async def _confirm(self, conn: _Connection, decoded: DecodedFrame) -> None:
        station = self.mapping.stations.get(decoded.station)
        mode = station.mode if station else LinkMode.M2
        keep_online = station.keep_online if station else True
        frame = decoded.frame
        serial, send_time = None, None
        if frame.is_multipacket:
            transfer = (decoded.station, decoded.function)
            if decoded.serial is not None and decoded.send_time is not None:
                conn.transfers[transfer] = (decoded.serial, decoded.send_time)
            if frame.packet_seq == frame.packet_total:
                if transfer not in conn.transfers:
                    logger.warning("last packet of a %02XH transfer from %s without its first "
                                   "packet; not confirmed", decoded.function, decoded.station)
                    return
                serial, send_time = conn.transfers.pop(transfer)
        ack = ack_for(decoded, mode=mode, keep_online=keep_online, serial=serial,
                      send_time=send_time)
        if ack is not None:
            conn.writer.write(ack)
            await conn.writer.drain()


async def serve(host: str, port: int, mapping: StationTable, on_readings: ReadingSink,
                **options: Any) -> None:
    """Run an SL 651 server until cancelled, then shut it down cleanly.

    Parameters
    ----------
    host : str
        Address to listen on (``"0.0.0.0"`` for every interface).
    port : int
        TCP port.
    mapping : StationTable
        The station table.
    on_readings : callable or asyncio.Queue
        Where readings go (see :class:`Sl651Server`).
    **options
        Further keyword arguments of :class:`Sl651Server`.
    """
    server = Sl651Server(mapping, on_readings, **options)
    await server.start(host, port)
    try:
        await asyncio.Event().wait()
    finally:
        await server.close()
