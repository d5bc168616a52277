"""Broker settings (URL, credentials, TLS, reconnect back-off) and the paho client they make.

Both :class:`~twin_app.telemetry.mqtt.feed.MqttFeed` and
:class:`~twin_app.telemetry.mqtt.publisher.MqttPublisher` use :func:`make_client`: MQTT 5,
paho's callback API version 2, a fixed client id, optionally a persistent session
(``clean_start=False`` and a session expiry interval, so the broker keeps subscriptions and queued
QoS 1 messages while the client is away) and paho's network thread, which reconnects on its own
with exponential back-off (the delay doubles from ``initial_s`` to ``maximum_s`` and starts again
after a successful connection).
"""

from __future__ import annotations

import logging
import socket
import ssl
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

import paho.mqtt.client as mqtt
from paho.mqtt.packettypes import PacketTypes
from paho.mqtt.properties import Properties

from twin_app.telemetry.mqtt.errors import MqttUrlError

_PLAIN_SCHEMES = {"mqtt": 1883, "tcp": 1883}
_TLS_SCHEMES = {"mqtts": 8883, "ssl": 8883, "tls": 8883}

_PAHO_LOGGER = logging.getLogger(f"{__name__}.paho")
# paho reports every failed socket operation of an outage as an error; the feed already says
# what matters, so only exceptions caught in callbacks get through.
_PAHO_LOGGER.addFilter(lambda record: record.getMessage().startswith("Caught exception"))

DEFAULT_SESSION_EXPIRY_S = 7 * 24 * 3600
"""How long the broker keeps a persistent session of a client that is away (one week)."""


@dataclass(frozen=True)
class TlsOptions:
    """TLS settings of a broker connection.

    Attributes
    ----------
    ca_file : Path or None
        CA certificate(s) that signed the broker's certificate; ``None`` uses the system's CAs.
    cert_file, key_file : Path or None
        Client certificate and key, for brokers that ask for one.
    insecure : bool
        Do not check that the certificate names the host (test brokers only).
    """

    ca_file: Path | None = None
    cert_file: Path | None = None
    key_file: Path | None = None
    insecure: bool = False


@dataclass(frozen=True)
class BackoffPolicy:
    """Reconnect delays: ``initial_s``, doubled after each failed attempt, at most ``maximum_s``."""

    initial_s: float = 0.5
    maximum_s: float = 30.0

    def __post_init__(self) -> None:
        if not 0 < self.initial_s <= self.maximum_s:
            msg = (f"back-off needs 0 < initial_s <= maximum_s, got {self.initial_s} and "
                   f"{self.maximum_s}")
            raise ValueError(msg)

    def delays(self, attempts: int) -> list[float]:
        """Return the waits before the first ``attempts`` retries (what paho will do)."""
        return [min(self.maximum_s, self.initial_s * 2.0 ** min(n, 60)) for n in range(attempts)]


@dataclass(frozen=True)
class BrokerSettings:
    """Where the broker is and how to log in.

    Build one from a URL with :meth:`from_url`.
    """

    host: str
    port: int
    username: str | None = None
    password: str | None = None
    tls: TlsOptions | None = None
    keepalive_s: int = 30

    @classmethod
    def from_url(cls, url: str, *, username: str | None = None, password: str | None = None,
                 tls: TlsOptions | None = None, keepalive_s: int = 30) -> BrokerSettings:
        """Parse ``mqtt://[user[:password]@]host[:port]`` (``mqtts://`` for TLS).

        Explicit ``username``, ``password`` and ``tls`` take precedence over the URL.

        Raises
        ------
        MqttUrlError
            If the scheme, host or port cannot be used.
        """
        parts = urlsplit(url)
        scheme = parts.scheme.lower()
        if scheme not in _PLAIN_SCHEMES and scheme not in _TLS_SCHEMES:
            raise MqttUrlError(url, f"scheme {parts.scheme!r} is not mqtt or mqtts")
        if not parts.hostname:
            raise MqttUrlError(url, "no host")
        try:
            port = parts.port or _PLAIN_SCHEMES.get(scheme) or _TLS_SCHEMES[scheme]
        except ValueError as error:
            raise MqttUrlError(url, str(error)) from error
        if tls is None and scheme in _TLS_SCHEMES:
            tls = TlsOptions()
        return cls(
            host=parts.hostname,
            port=port,
            username=username if username is not None else _unquoted(parts.username),
            password=password if password is not None else _unquoted(parts.password),
            tls=tls,
            keepalive_s=keepalive_s,
        )

    def describe(self) -> str:
        """Return the broker as a URL without the password, for logs and status panels."""
        scheme = "mqtts" if self.tls else "mqtt"
        user = f"{self.username}@" if self.username else ""
        return f"{scheme}://{user}{self.host}:{self.port}"


def _unquoted(text: str | None) -> str | None:
    return unquote(text) if text is not None else None


def default_client_id(role: str, scene_id: str) -> str:
    """Return a client id that stays the same across restarts on this computer.

    A persistent session is found again by its client id, so the id must not change between runs.
    """
    host = "".join(c for c in socket.gethostname() if c.isalnum() or c in "-_")[:32] or "host"
    return f"twin-{role}-{scene_id}-{host}"[:64]


def make_client(settings: BrokerSettings, client_id: str, *, persistent: bool,
                session_expiry_s: int = DEFAULT_SESSION_EXPIRY_S, manual_ack: bool = False,
                backoff: BackoffPolicy | None = None) -> mqtt.Client:
    """Return a configured paho client; :meth:`paho.mqtt.client.Client.connect_async` is done.

    Start its network thread with ``loop_start()``.

    Raises
    ------
    FileNotFoundError, ssl.SSLError
        If a TLS file is missing or unusable.
    """
    client = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, client_id=client_id,
                         protocol=mqtt.MQTTv5, manual_ack=manual_ack)
    client.enable_logger(_PAHO_LOGGER)
    client.suppress_exceptions = True  # a bug in a callback is logged, never ends the thread
    if settings.username is not None:
        client.username_pw_set(settings.username, settings.password)
    if settings.tls is not None:
        _apply_tls(client, settings.tls)
    backoff = backoff or BackoffPolicy()
    client.reconnect_delay_set(backoff.initial_s, backoff.maximum_s)  # type: ignore[arg-type]
    client.max_queued_messages_set(0)  # keep every QoS 1 message until the broker has it
    properties = Properties(PacketTypes.CONNECT)
    properties.SessionExpiryInterval = session_expiry_s if persistent else 0
    client.connect_async(settings.host, settings.port, keepalive=settings.keepalive_s,
                         clean_start=not persistent, properties=properties)
    return client


def _apply_tls(client: mqtt.Client, tls: TlsOptions) -> None:
    for path in (tls.ca_file, tls.cert_file, tls.key_file):
        if path is not None and not Path(path).is_file():
            msg = f"TLS file {path} does not exist; check the path in the broker settings"
            raise FileNotFoundError(msg)
    client.tls_set(
        ca_certs=str(tls.ca_file) if tls.ca_file else None,
        certfile=str(tls.cert_file) if tls.cert_file else None,
        keyfile=str(tls.key_file) if tls.key_file else None,
        cert_reqs=ssl.CERT_REQUIRED,
        tls_version=ssl.PROTOCOL_TLS_CLIENT,
    )
    if tls.insecure:
        client.tls_insecure_set(True)
