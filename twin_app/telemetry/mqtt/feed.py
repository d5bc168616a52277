"""The MQTT subscriber that turns a scene's telemetry topics into :class:`Reading` batches."""

from __future__ import annotations

import logging
import threading
import time
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import paho.mqtt.client as mqtt
from paho.mqtt.subscribeoptions import SubscribeOptions

from twin_app.core.readings import Reading
from twin_app.telemetry.mqtt.client import (
    DEFAULT_SESSION_EXPIRY_S,
    BackoffPolicy,
    BrokerSettings,
    TlsOptions,
    default_client_id,
    make_client,
)
from twin_app.telemetry.mqtt.payload import DEFAULT_ROOT, Rejection, TopicLayout, decode_message

logger = logging.getLogger(__name__)

ReadingsCallback = Callable[[list[Reading]], None]
RejectedCallback = Callable[[Rejection], None]


@dataclass(frozen=True)
class FeedStats:
    """A snapshot of the feed's health, for the feed-status panel.

    ``messages_rejected`` counts messages with at least one rejected entry; ``rejected_by_reason``
    counts rejected entries (a whole message counts once).
    """

    broker: str
    connected: bool
    subscribed: bool
    last_message_at: datetime | None
    messages_ok: int
    messages_rejected: int
    readings_ok: int
    readings_rejected: int
    rejected_by_reason: dict[str, int]
    reconnects: int
    connect_failures: int
    callback_errors: int
    last_error: str | None


DEFAULT_BATCH_WINDOW_S = 0.05
"""Messages arriving within this window are delivered together (one store commit for all)."""
MAX_BATCH = 2000

_Pending = tuple[int, int, str, Any]
"""A decoded message waiting for delivery: mid, QoS, topic, decode result."""


class _Batcher:
    """Collects decoded messages and delivers them together from its own thread.

    The first message of a batch starts a ``window``; everything that arrives until it closes (or
    until ``MAX_BATCH`` messages) is delivered in one call, so a thousand single-reading messages a
    second cost a few durable commits, not a thousand.
    """

    def __init__(self, window: float, deliver: Callable[[list[_Pending]], None]) -> None:
        self.window = window
        self.deliver = deliver
        self._pending: list[_Pending] = []
        self._condition = threading.Condition()
        self._running = False
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        with self._condition:
            if self._running:
                return
            self._running = True
        self._thread = threading.Thread(target=self._run, name="mqtt-batcher", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        with self._condition:
            self._running = False
            self._condition.notify()
        if self._thread is not None:
            self._thread.join(timeout=10)
            self._thread = None

    def add(self, item: _Pending) -> None:
        with self._condition:
            self._pending.append(item)
            self._condition.notify()

    def _run(self) -> None:
        while True:
            with self._condition:
                while self._running and not self._pending:
                    self._condition.wait()
                if not self._pending and not self._running:
                    return
            time.sleep(self.window)  # let the rest of the burst arrive
            with self._condition:
                batch, self._pending = self._pending[:MAX_BATCH], self._pending[MAX_BATCH:]
            if batch:
                self.deliver(batch)


@dataclass
class _Counters:
    connects: int = 0
    connect_failures: int = 0
    messages_ok: int = 0
    messages_rejected: int = 0
    readings_ok: int = 0
    readings_rejected: int = 0
    callback_errors: int = 0
    by_reason: Counter[str] = field(default_factory=Counter)
    last_message_at: datetime | None = None
    last_error: str | None = None


class MqttFeed:
    """Subscribe to one scene's readings (QoS 1, persistent session, automatic reconnect).

    A message is acknowledged to the broker only after ``on_readings`` (and ``on_rejected``, for
    entries that were rejected) returned.  If a callback raises, the message stays unacknowledged
    and the broker delivers it again after the next reconnect, so nothing the broker delivered is
    lost by a failing consumer or a lost connection.  Callbacks run on paho's network thread: keep
    them short (hand the readings to a queue or a batched store write).

    Parameters
    ----------
    url : str
        ``mqtt://[user[:password]@]host[:port]`` or ``mqtts://...`` for TLS.
    scene_id : str
        The scene whose topics to subscribe (see :class:`TopicLayout`).
    on_readings : callable
        Called with the accepted readings of each message, in payload order.
    client_id : str, optional
        The fixed client id of the persistent session; by default one derived from the scene and
        the host name, so that it is the same after a restart.
    username, password : str, optional
        Credentials (override those in the URL).
    tls : TlsOptions, optional
        TLS settings (``mqtts://`` alone uses the system's CAs).
    on_rejected : callable, optional
        Called with each :class:`Rejection` (the raw payload, topic, reason and detail).
    sensor_units : Mapping[str, str], optional
        Sensor id to unit of the scene; when given, unknown sensors and wrong units are rejected.
    root : str
        First topic level.
    persistent : bool
        Keep the session (subscription and queued messages) while the feed is away.
    session_expiry_s : int
        How long the broker keeps the session of an absent feed.
    backoff : BackoffPolicy, optional
        Reconnect delays.
    clock : callable, optional
        Returns the current time (for ``last_message_at``); UTC wall clock by default.
    """

    def __init__(self, url: str, scene_id: str, on_readings: ReadingsCallback, *,
                 client_id: str | None = None, username: str | None = None,
                 password: str | None = None, tls: TlsOptions | None = None,
                 on_rejected: RejectedCallback | None = None,
                 sensor_units: Mapping[str, str] | None = None, root: str = DEFAULT_ROOT,
                 persistent: bool = True, session_expiry_s: int = DEFAULT_SESSION_EXPIRY_S,
                 backoff: BackoffPolicy | None = None,
                 clock: Callable[[], datetime] | None = None,
                 batch_window_s: float = DEFAULT_BATCH_WINDOW_S) -> None:
        self.settings = BrokerSettings.from_url(url, username=username, password=password, tls=tls)
        self.layout = TopicLayout(scene_id, root)
        self.client_id = client_id or default_client_id("feed", scene_id)
        self._on_readings = on_readings
        self._on_rejected = on_rejected
        self._sensor_units = dict(sensor_units) if sensor_units is not None else None
        self._clock = clock or (lambda: datetime.now(UTC))
        self._lock = threading.Lock()
        self._counters = _Counters()
        self._connected = threading.Event()
        self._subscribed = threading.Event()
        self._stopping = False
        self._client = make_client(self.settings, self.client_id, persistent=persistent,
                                   session_expiry_s=session_expiry_s, manual_ack=True,
                                   backoff=backoff)
        self._client.on_connect = self._handle_connect
        self._client.on_connect_fail = self._handle_connect_fail
        self._client.on_disconnect = self._handle_disconnect
        self._client.on_subscribe = self._handle_subscribe
        self._client.on_message = self._handle_message
        self._batcher = (_Batcher(batch_window_s, lambda batch: self._deliver(self._client, batch))
                         if batch_window_s > 0 else None)

    # -- lifecycle ---------------------------------------------------------------------------

    def start(self) -> MqttFeed:
        """Start the network thread; it connects (and keeps reconnecting) in the background."""
        self._stopping = False
        if self._batcher is not None:
            self._batcher.start()
        logger.info("MQTT feed %s: connecting to %s for %s", self.client_id,
                    self.settings.describe(), ", ".join(self.layout.subscriptions))
        self._client.loop_start()
        return self

    def stop(self) -> None:
        """Disconnect and stop the network thread (the persistent session stays on the broker)."""
        self._stopping = True
        if self._batcher is not None:
            self._batcher.stop()  # delivers (and acknowledges) what is pending first
        self._client.disconnect()
        self._client.loop_stop()
        self._connected.clear()
        self._subscribed.clear()

    def __enter__(self) -> MqttFeed:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    def wait_subscribed(self, timeout: float) -> bool:
        """Wait until connected and subscribed; return whether that happened in time."""
        return self._subscribed.wait(timeout)

    def stats(self) -> FeedStats:
        """Return a consistent snapshot of the counters."""
        with self._lock:
            c = self._counters
            return FeedStats(
                broker=self.settings.describe(), connected=self._connected.is_set(),
                subscribed=self._subscribed.is_set(), last_message_at=c.last_message_at,
                messages_ok=c.messages_ok, messages_rejected=c.messages_rejected,
                readings_ok=c.readings_ok, readings_rejected=c.readings_rejected,
                rejected_by_reason=dict(c.by_reason), reconnects=max(0, c.connects - 1),
                connect_failures=c.connect_failures, callback_errors=c.callback_errors,
                last_error=c.last_error)

    # -- paho callbacks (network thread) ------------------------------------------------------

    def _handle_connect(self, client: mqtt.Client, _userdata: Any, flags: mqtt.ConnectFlags,
                        reason_code: Any, _properties: Any) -> None:
        if reason_code.is_failure:
            self._error(f"broker {self.settings.describe()} refused the connection: "
                        f"{reason_code} (check the user name, password and client id)")
            return
        with self._lock:
            self._counters.connects += 1
        self._connected.set()
        logger.info("MQTT feed %s connected (session present: %s)", self.client_id,
                    flags.session_present)
        options = SubscribeOptions(qos=1, retainHandling=SubscribeOptions.RETAIN_SEND_IF_NEW_SUB)
        client.subscribe([(topic, options) for topic in self.layout.subscriptions])

    def _handle_connect_fail(self, _client: mqtt.Client, _userdata: Any) -> None:
        with self._lock:
            self._counters.connect_failures += 1
            failures = self._counters.connect_failures
        self._error(f"cannot reach {self.settings.describe()} (attempt {failures}); retrying")

    def _handle_disconnect(self, _client: mqtt.Client, _userdata: Any, _flags: Any,
                           reason_code: Any, _properties: Any) -> None:
        was_connected = self._connected.is_set()
        self._connected.clear()
        self._subscribed.clear()
        if was_connected and not self._stopping:  # else the refusal already is the last error
            self._error(f"lost {self.settings.describe()}: {reason_code}; reconnecting")

    def _handle_subscribe(self, _client: mqtt.Client, _userdata: Any, _mid: int,
                          reason_codes: list[Any], _properties: Any) -> None:
        refused = [str(code) for code in reason_codes if code.is_failure]
        if refused:
            self._error(f"broker refused the subscription ({', '.join(refused)}); "
                        "check the broker's ACL for this user")
            return
        self._subscribed.set()

    def _handle_message(self, client: mqtt.Client, _userdata: Any,
                        message: mqtt.MQTTMessage) -> None:
        payload = bytes(message.payload)
        result = decode_message(self.layout, message.topic, payload,
                                sensor_units=self._sensor_units)
        if self._batcher is None:
            self._deliver(client, [(message.mid, message.qos, message.topic, result)])
        else:
            self._batcher.add((message.mid, message.qos, message.topic, result))

    def _deliver(self, client: mqtt.Client, batch: list[_Pending]) -> None:
        """Hand a batch of decoded messages to the callbacks; acknowledge them if they succeed.

        All readings of the batch go to ``on_readings`` in one call (one durable commit in the
        store); only then are the messages acknowledged to the broker.
        """
        readings = [reading for _mid, _qos, _topic, result in batch for reading in result.readings]
        rejections = [r for _mid, _qos, _topic, result in batch for r in result.rejections]
        try:
            if readings:
                self._on_readings(readings)
            if self._on_rejected is not None:
                for rejection in rejections:
                    self._on_rejected(rejection)
        except Exception:
            logger.exception("MQTT feed: a callback failed on %d message(s) (first %s, mid %s); "
                             "they stay unacknowledged and come again after a reconnect",
                             len(batch), batch[0][2], batch[0][0])
            with self._lock:
                self._counters.callback_errors += 1
            return
        for mid, qos, _topic, result in batch:
            client.ack(mid, qos)
            self._count(result.readings, result.rejections)

    # -- helpers ------------------------------------------------------------------------------

    def _count(self, readings: list[Reading], rejections: list[Rejection]) -> None:
        with self._lock:
            c = self._counters
            c.last_message_at = self._clock()
            c.readings_ok += len(readings)
            c.readings_rejected += len(rejections)
            if rejections:
                c.messages_rejected += 1
            else:
                c.messages_ok += 1
            first_seen = [r for r in rejections if c.by_reason[r.reason.value] == 0]
            c.by_reason.update(r.reason.value for r in rejections)
        for rejection in first_seen:
            logger.warning("MQTT feed: rejected %s on %s: %s (further %s rejections are counted "
                           "in the feed stats)", rejection.reason.value, rejection.topic,
                           rejection.detail, rejection.reason.value)

    def _error(self, text: str) -> None:
        with self._lock:
            self._counters.last_error = text
        logger.warning("MQTT feed %s: %s", self.client_id, text)
