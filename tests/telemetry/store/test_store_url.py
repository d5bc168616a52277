"""Store URLs: which backend, which file, and no passwords in messages."""

from __future__ import annotations

import pytest

from twin_app.core.paths import user_data_dir
from twin_app.telemetry.store import StoreUrlError, default_store_url, parse_store_url
from twin_app.telemetry.store.url import redact


@pytest.mark.parametrize(("url", "expected"), [
    ("sqlite:///srv/twin/telemetry.db", ("sqlite", "/srv/twin/telemetry.db")),
    ("sqlite:relative/t.db", ("sqlite", "relative/t.db")),
    ("sqlite:///C:/data/t.db", ("sqlite", "C:/data/t.db")),
    ("sqlite:///:memory:", ("sqlite", ":memory:")),
    ("sqlite:///with%20space.db", ("sqlite", "/with space.db")),
    ("/plain/path.db", ("sqlite", "/plain/path.db")),
    ("C:\\data\\t.db", ("sqlite", "C:\\data\\t.db")),
    ("postgresql://twin@db.example:5432/telemetry",
     ("postgresql", "postgresql://twin@db.example:5432/telemetry")),
    ("postgres://twin:pw@10.0.0.5/telemetry?sslmode=require",
     ("postgresql", "postgres://twin:pw@10.0.0.5/telemetry?sslmode=require")),
])
def test_urls_name_their_backend(url: str, expected: tuple[str, str]):
    assert parse_store_url(url) == expected


def test_the_default_store_is_in_the_user_data_folder():
    expected = ("sqlite", str(user_data_dir() / "telemetry.db"))
    assert parse_store_url(None) == expected
    assert parse_store_url("sqlite://") == expected
    assert parse_store_url(default_store_url()) == expected


@pytest.mark.parametrize(("url", "message"), [
    ("mysql://root@localhost/t", "unknown store URL scheme 'mysql'"),
    ("sqlite://host/t.db", "has a host part"),
])
def test_bad_urls_say_what_to_write(url: str, message: str):
    with pytest.raises(StoreUrlError, match=message) as raised:
        parse_store_url(url)
    assert "write" in str(raised.value) or "use" in str(raised.value)


def test_passwords_are_redacted():
    assert redact("postgresql://twin:pw@host/db") == "postgresql://twin:***@host/db"
    assert redact("postgresql://twin@host/db") == "postgresql://twin@host/db"
    with pytest.raises(StoreUrlError) as raised:
        parse_store_url("redis://u:topsecret@host/0")
    assert "topsecret" not in str(raised.value)
