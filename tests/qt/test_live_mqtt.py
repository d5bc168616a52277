"""Live readings from a real Mosquitto reach the window: values, chart, feed status."""

from datetime import UTC, datetime, timedelta

import pytest

from tests.scene_factory import MINIMAL_SCENE, write_scene
from tests.telemetry.mqtt.mqtt_broker import MosquittoBroker
from twin_app.core.readings import Reading
from twin_app.qt.app import create_main_window
from twin_app.telemetry.mqtt import MqttPublisher

pytestmark = [pytest.mark.gui, pytest.mark.needs_rendering]


def test_window_shows_readings_published_to_the_broker(qtbot, tmp_path, isolated_store):
    broker = MosquittoBroker(tmp_path / "broker").start()
    window = create_main_window(language="en")
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    try:
        window.mqtt_url = broker.url
        with qtbot.waitSignal(window.scene_shown, timeout=60_000):
            window.open_scene(str(write_scene(tmp_path / "mini", MINIMAL_SCENE).parent))
        feed = window.feed_dock.feeds[0]
        assert feed.wait_subscribed(10)
        now = datetime.now(UTC)
        with MqttPublisher(broker.url, "mini", client_id="test-window-pub") as publisher:
            publisher.publish(Reading("WL-1", now - timedelta(seconds=5), 4.7, "m"))
            publisher.flush(10)
        qtbot.waitUntil(lambda: "WL-1 Upstream level 4.70 m" in window.view.label_texts(),
                        timeout=10_000)
        assert window.workspace.clock.mode == "live"
        assert window.overlay.states["WL-1"].value == "warning"  # above 4.55
        def one_reading_counted() -> bool:
            rows = window.feed_dock.rows()
            return bool(rows) and rows[0][3] == "1"

        qtbot.waitUntil(one_reading_counted, timeout=5000)
        key = next(a.key for a in window.session.engine.active()
                   if a.definition.sensor_id == "WL-1")
        window.session.engine.acknowledge(key, user="duty officer")
        store = window.session.store
        assert store.count("WL-1") == 1
        assert [e.to_state for e in store.alarms.history(sensor_id="WL-1")] == [
            "unacknowledged", "acknowledged"]
        row = window.feed_dock.rows()[0]
        assert row[0].startswith("MQTT ")
        assert str(broker.port) in row[0]
        assert row[1] == "yes"
    finally:
        window.close()
        broker.stop()
