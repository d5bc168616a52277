"""Publish readings in the twin's topic layout (replay, simulators, tests)."""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import paho.mqtt.client as mqtt

from twin_app.core.readings import Reading
from twin_app.telemetry.mqtt.client import (
    DEFAULT_SESSION_EXPIRY_S,
    BackoffPolicy,
    BrokerSettings,
    TlsOptions,
    default_client_id,
    make_client,
)
from twin_app.telemetry.mqtt.errors import MqttConnectError, MqttPublishError
from twin_app.telemetry.mqtt.payload import (
    DEFAULT_ROOT,
    TopicLayout,
    encode_batch,
    encode_reading,
)

logger = logging.getLogger(__name__)

DEFAULT_BATCH_SIZE = 1000
"""Readings per batch message (about 80 kB of JSON)."""


@dataclass(frozen=True)
class PublisherStats:
    """Counters of a publisher."""

    connected: bool
    published: int
    acknowledged: int
    pending: int
    refused: int
    reconnects: int
    connect_failures: int


class MqttPublisher:
    """Publish readings with QoS 1; messages wait in memory while the broker is away.

    paho keeps every unacknowledged QoS 1 message and sends it again after a reconnect, so a
    publisher that outlives a broker outage loses nothing.  Call :meth:`flush` to wait until the
    broker has acknowledged everything.

    Parameters
    ----------
    url : str
        ``mqtt://[user[:password]@]host[:port]`` or ``mqtts://...``.
    scene_id : str
        The scene whose topics to publish to.
    client_id : str, optional
        Client id; fixed by default (derived from the scene and the host name).
    username, password : str, optional
        Credentials (override the URL's).
    tls : TlsOptions, optional
        TLS settings.
    root : str
        First topic level.
    persistent : bool
        Ask the broker to keep this client's session while it is away.
    session_expiry_s : int
        How long the broker keeps that session.
    backoff : BackoffPolicy, optional
        Reconnect delays.
    qos : int
        QoS of the messages (1 unless a test needs 0).
    """

    def __init__(self, url: str, scene_id: str, *, client_id: str | None = None,
                 username: str | None = None, password: str | None = None,
                 tls: TlsOptions | None = None, root: str = DEFAULT_ROOT,
                 persistent: bool = False, session_expiry_s: int = DEFAULT_SESSION_EXPIRY_S,
                 backoff: BackoffPolicy | None = None, qos: int = 1) -> None:
        self.settings = BrokerSettings.from_url(url, username=username, password=password, tls=tls)
        self.layout = TopicLayout(scene_id, root)
        self.client_id = client_id or default_client_id("publisher", scene_id)
        self.qos = qos
        self._lock = threading.Condition()
        self._pending: set[int] = set()
        self._acked_early: set[int] = set()
        self._counts = {"published": 0, "acknowledged": 0, "refused": 0, "connects": 0,
                        "connect_failures": 0}
        self._connected = threading.Event()
        self._client = make_client(self.settings, self.client_id, persistent=persistent,
                                   session_expiry_s=session_expiry_s, backoff=backoff)
        self._client.on_connect = self._handle_connect
        self._client.on_connect_fail = self._handle_connect_fail
        self._client.on_disconnect = self._handle_disconnect
        self._client.on_publish = self._handle_publish

    def start(self) -> MqttPublisher:
        """Start the network thread (connects in the background)."""
        self._client.loop_start()
        return self

    def connect(self, timeout: float = 10.0) -> MqttPublisher:
        """Start and wait until connected.

        Raises
        ------
        MqttConnectError
            If the broker did not accept the connection within ``timeout`` seconds.
        """
        self.start()
        if not self._connected.wait(timeout):
            self.close(flush_timeout=0)
            msg = f"no connection to {self.settings.describe()} within {timeout:g} s"
            raise MqttConnectError(msg, hint="check that the broker runs and the URL, user name "
                                             "and password are right")
        return self

    def publish(self, reading: Reading) -> mqtt.MQTTMessageInfo:
        """Publish one reading on its sensor's topic."""
        return self.publish_raw(self.layout.reading_topic(reading.sensor_id),
                                encode_reading(reading))

    def publish_batch(self, readings: Iterable[Reading],
                      batch_size: int = DEFAULT_BATCH_SIZE) -> list[mqtt.MQTTMessageInfo]:
        """Publish readings as batch messages of at most ``batch_size`` readings each."""
        items = list(readings)
        return [self.publish_raw(self.layout.batch_topic, encode_batch(items[i:i + batch_size]))
                for i in range(0, len(items), batch_size)]

    def publish_raw(self, topic: str, payload: bytes | str,
                    qos: int | None = None) -> mqtt.MQTTMessageInfo:
        """Publish any payload on any topic (tests use it for malformed messages)."""
        info = self._client.publish(topic, payload, qos=self.qos if qos is None else qos)
        with self._lock:
            self._counts["published"] += 1
            if info.mid in self._acked_early:
                self._acked_early.discard(info.mid)
            else:
                self._pending.add(info.mid)
        return info

    def flush(self, timeout: float = 30.0) -> None:
        """Wait until the broker acknowledged every message published so far.

        Raises
        ------
        MqttPublishError
            If some are still unacknowledged after ``timeout`` seconds.
        """
        with self._lock:
            if self._lock.wait_for(lambda: not self._pending, timeout):
                return
            pending = len(self._pending)
        msg = f"{pending} messages not acknowledged by {self.settings.describe()} in {timeout:g} s"
        raise MqttPublishError(msg, hint="the broker may be down or slow; the messages stay "
                                         "queued while this publisher runs")

    def close(self, flush_timeout: float = 30.0) -> None:
        """Flush (unless ``flush_timeout`` is 0), disconnect and stop the network thread."""
        try:
            if flush_timeout > 0:
                self.flush(flush_timeout)
        finally:
            self._client.disconnect()
            self._client.loop_stop()
            self._connected.clear()

    def __enter__(self) -> MqttPublisher:
        return self.connect()

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def stats(self) -> PublisherStats:
        """Return the counters."""
        with self._lock:
            counts = dict(self._counts)
            pending = len(self._pending)
        return PublisherStats(
            connected=self._connected.is_set(), published=counts["published"],
            acknowledged=counts["acknowledged"], pending=pending, refused=counts["refused"],
            reconnects=max(0, counts["connects"] - 1),
            connect_failures=counts["connect_failures"])

    # -- paho callbacks (network thread) ------------------------------------------------------

    def _handle_connect(self, _client: mqtt.Client, _userdata: Any, _flags: Any,
                        reason_code: Any, _properties: Any) -> None:
        if reason_code.is_failure:
            logger.warning("MQTT publisher %s: broker refused the connection: %s",
                           self.client_id, reason_code)
            return
        with self._lock:
            self._counts["connects"] += 1
        self._connected.set()

    def _handle_connect_fail(self, _client: mqtt.Client, _userdata: Any) -> None:
        with self._lock:
            self._counts["connect_failures"] += 1

    def _handle_disconnect(self, _client: mqtt.Client, _userdata: Any, _flags: Any,
                           reason_code: Any, _properties: Any) -> None:
        self._connected.clear()
        logger.info("MQTT publisher %s disconnected: %s", self.client_id, reason_code)

    def _handle_publish(self, _client: mqtt.Client, _userdata: Any, mid: int,
                        reason_code: Any, _properties: Any) -> None:
        with self._lock:
            if reason_code.is_failure:
                self._counts["refused"] += 1
                logger.warning("MQTT publisher %s: broker refused message %s: %s",
                               self.client_id, mid, reason_code)
            self._counts["acknowledged"] += 1
            if mid in self._pending:
                self._pending.discard(mid)
            else:
                self._acked_early.add(mid)
            self._lock.notify_all()


def publish_readings(url: str, scene_id: str, readings: Sequence[Reading], *,
                     timeout: float = 30.0, **options: Any) -> int:
    """Publish readings as batches and wait until the broker has them; return how many."""
    with MqttPublisher(url, scene_id, **options) as publisher:
        publisher.publish_batch(readings)
        publisher.flush(timeout)
    return len(readings)
