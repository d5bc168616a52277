"""User name, password and TLS against a Mosquitto with a password file and a test CA."""

from __future__ import annotations

import subprocess
from datetime import UTC, datetime
from pathlib import Path

import pytest

from tests.telemetry.mqtt.conftest import Collector
from tests.telemetry.mqtt.mqtt_broker import MosquittoBroker
from twin_app.core.readings import Reading
from twin_app.telemetry.mqtt import BackoffPolicy, MqttFeed, MqttPublisher, TlsOptions

FAST = BackoffPolicy(0.1, 0.5)


def _run(*command: str) -> None:
    subprocess.run(command, check=True, capture_output=True)


def _make_certificates(folder: Path) -> None:
    """A throwaway CA and a server certificate for 127.0.0.1 (openssl command line)."""
    folder.mkdir(parents=True, exist_ok=True)
    ca_key, ca_crt = folder / "ca.key", folder / "ca.crt"
    key, csr, crt = folder / "server.key", folder / "server.csr", folder / "server.crt"
    (folder / "san.ext").write_text("subjectAltName=DNS:localhost,IP:127.0.0.1\n")
    _run("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", str(ca_key),
         "-out", str(ca_crt), "-days", "2", "-subj", "/CN=twin-test-ca")
    _run("openssl", "req", "-newkey", "rsa:2048", "-nodes", "-keyout", str(key), "-out",
         str(csr), "-subj", "/CN=127.0.0.1")
    _run("openssl", "x509", "-req", "-in", str(csr), "-CA", str(ca_crt), "-CAkey", str(ca_key),
         "-CAcreateserial", "-out", str(crt), "-days", "2", "-extfile", str(folder / "san.ext"))


@pytest.fixture
def secure_broker(tmp_path: Path) -> MosquittoBroker:
    certs = tmp_path / "certs"
    _make_certificates(certs)
    passwords = tmp_path / "passwords"
    _run("mosquitto_passwd", "-b", "-c", str(passwords), "operator", "tide-4.55")
    passwords.chmod(0o600)
    broker = MosquittoBroker(tmp_path / "broker", anonymous=False, extra_config=(
        f"cafile {certs / 'ca.crt'}", f"certfile {certs / 'server.crt'}",
        f"keyfile {certs / 'server.key'}", f"password_file {passwords}"))
    yield broker.start()
    broker.stop()


def test_tls_with_user_name_and_password(secure_broker: MosquittoBroker, tmp_path: Path,
                                         collector: Collector) -> None:
    url = f"mqtts://operator:tide-4.55@127.0.0.1:{secure_broker.port}"
    tls = TlsOptions(ca_file=tmp_path / "certs" / "ca.crt")
    feed = MqttFeed(url, "huangpu", collector.on_readings, client_id="tls-feed", tls=tls,
                    backoff=FAST)
    feed.start()
    reading = Reading("HPK-WL-01", datetime(2024, 9, 16, tzinfo=UTC), 4.6, "m", source="mqtt")
    try:
        assert feed.wait_subscribed(10), feed.stats()
        with MqttPublisher(f"mqtts://127.0.0.1:{secure_broker.port}", "huangpu",
                           username="operator", password="tide-4.55", tls=tls,
                           client_id="tls-pub", backoff=FAST) as publisher:
            publisher.publish(reading)
        assert collector.wait_for(lambda: collector.readings == [reading], timeout=10)
    finally:
        feed.stop()
    assert feed.stats().broker == f"mqtts://operator@127.0.0.1:{secure_broker.port}"


@pytest.mark.parametrize(("url_template", "tls_needed", "error"), [
    ("mqtts://operator:wrong@127.0.0.1:{port}", True, "refused the connection"),
    ("mqtts://127.0.0.1:{port}", True, "refused the connection"),
    ("mqtts://operator:tide-4.55@127.0.0.1:{port}", False, "cannot reach"),
])
def test_wrong_credentials_or_an_unknown_ca_never_connect(
        secure_broker: MosquittoBroker, tmp_path: Path, collector: Collector,
        url_template: str, tls_needed: bool, error: str) -> None:
    tls = TlsOptions(ca_file=tmp_path / "certs" / "ca.crt") if tls_needed else None
    feed = MqttFeed(url_template.format(port=secure_broker.port), "huangpu",
                    collector.on_readings, client_id="bad-feed", tls=tls, backoff=FAST)
    feed.start()
    try:
        assert collector.wait_for(lambda: error in (feed.stats().last_error or ""), timeout=5)
        assert not feed.stats().connected
        assert not feed.wait_subscribed(0.2)
    finally:
        feed.stop()


def test_a_missing_ca_file_is_reported_with_its_path(tmp_path: Path) -> None:
    missing = tmp_path / "nowhere" / "ca.crt"
    with pytest.raises(FileNotFoundError, match="nowhere"):
        MqttFeed("mqtts://127.0.0.1:8883", "huangpu", lambda _: None,
                 tls=TlsOptions(ca_file=missing))
