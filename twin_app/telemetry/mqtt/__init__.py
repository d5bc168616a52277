"""MQTT telemetry: the subscriber feed, a publisher, and the topic and payload specification.

Topics (all QoS 1, never retained)
----------------------------------
``twin/<scene_id>/<sensor_id>/reading``
    One reading of one sensor.  ``<scene_id>`` and ``<sensor_id>`` are the ids of the scene file
    (letters, digits, ``_``, ``.``, ``-``), so a topic never contains a wildcard or a separator.
``twin/<scene_id>/batch``
    Several readings of the scene, any sensors, in one message (replay, gateways, SL 651 relays).

The root ``twin`` can be changed per site (``root=``).  A subscriber of a scene subscribes
``twin/<scene_id>/+/reading`` and ``twin/<scene_id>/batch``.

Payloads (UTF-8 JSON)
---------------------
Single reading::

    {"t": "2024-09-16T07:05:00+08:00", "v": 5.21, "q": 0, "u": "m"}

Batch::

    {"readings": [{"s": "HPK-WL-01", "t": "2024-09-16T07:05:00+08:00", "v": 5.21, "q": 0,
                   "u": "m"}, ...]}

``t``
    Time of measurement, ISO 8601 **with** a zone (``Z`` or ``+08:00``); required.
``v``
    The value, a finite JSON number (not a string, not ``NaN``); required.
``u``
    The unit, e.g. ``m``, ``mm/h``, ``m3/s``, ``1``, ``mm``, ``deg``, ``kPa`` (at most 16
    characters); required, because values carry units.
``q``
    Quality, optional (default 0): ``0``/``"good"``, ``1``/``"suspect"``, ``2``/``"bad"``,
    ``3``/``"missing"`` (:class:`twin_app.core.readings.Quality`; names are case-insensitive).
``s``
    Sensor id, in batch entries only (on the single topic the sensor is the topic level).

Other keys are ignored, so producers may add fields.  A payload above 1,000,000 bytes is
rejected unread.  Messages or batch entries that break these rules are not readings: the feed
counts them by :class:`RejectReason`, logs the first of each reason, and hands each
:class:`Rejection` (topic, raw payload, reason, detail, batch index) to ``on_rejected``.  A
rejected entry never stops the other entries of a batch.

Delivery
--------
The feed connects with MQTT 5, a fixed client id and a persistent session (``clean_start`` false,
session expiry one week), subscribes with QoS 1 and acknowledges each message only after its
callbacks returned (paho's manual acknowledgement).  Messages published while the feed is away,
or delivered but not yet acknowledged when a connection breaks, are delivered (again) when it
reconnects: delivery is at least once, so consumers de-duplicate by (sensor, time).  paho's
network thread reconnects with exponential back-off.  Broker requirements: persistence on (so
sessions survive a broker restart), and ``max_queued_messages`` well above what an outage
accumulates (Mosquitto's default of 1000 per client is far too low for a scene at 1 Hz).
"""

from twin_app.telemetry.mqtt.client import BackoffPolicy, BrokerSettings, TlsOptions
from twin_app.telemetry.mqtt.errors import (
    MqttConnectError,
    MqttError,
    MqttPublishError,
    MqttUrlError,
)
from twin_app.telemetry.mqtt.feed import FeedStats, MqttFeed
from twin_app.telemetry.mqtt.payload import (
    DecodeResult,
    Rejection,
    RejectReason,
    TopicLayout,
    decode_message,
    encode_batch,
    encode_reading,
)
from twin_app.telemetry.mqtt.publisher import MqttPublisher, PublisherStats, publish_readings

__all__ = [
    "BackoffPolicy",
    "BrokerSettings",
    "DecodeResult",
    "FeedStats",
    "MqttConnectError",
    "MqttError",
    "MqttFeed",
    "MqttPublishError",
    "MqttPublisher",
    "MqttUrlError",
    "PublisherStats",
    "RejectReason",
    "Rejection",
    "TlsOptions",
    "TopicLayout",
    "decode_message",
    "encode_batch",
    "encode_reading",
    "publish_readings",
]
