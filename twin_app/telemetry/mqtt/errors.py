"""Errors of the MQTT feed and publisher; each message says what to do next."""

from __future__ import annotations

from twin_app.core.errors import TwinAppError


class MqttError(TwinAppError):
    """Base class of the MQTT errors."""


class MqttUrlError(MqttError):
    """A broker URL that cannot be used (wrong scheme, no host, bad port)."""

    def __init__(self, url: str, problem: str) -> None:
        super().__init__(
            f"broker URL {url!r}: {problem}",
            hint="write it as mqtt://[user[:password]@]host[:port] "
                 "(or mqtts:// for TLS, default ports 1883 and 8883)",
        )


class MqttConnectError(MqttError):
    """The broker could not be reached or refused the connection within the time allowed."""


class MqttPublishError(MqttError):
    """Messages were not acknowledged by the broker within the time allowed."""

