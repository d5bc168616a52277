"""A reading the store acknowledged is never lost, even when the ingest process is killed -9.

A child process (``store_ingest_child.py``) appends numbered batches and prints the last number of
each batch once :meth:`append` has returned.  The test sends SIGKILL at a random moment, reopens
the store and checks that every acknowledged reading is there with its value, and that the batch
in flight was stored whole or not at all.
"""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from datetime import timedelta
from pathlib import Path

import numpy as np
import pytest

from tests.telemetry.store.helpers import T0
from tests.telemetry.store.store_ingest_child import value_of
from twin_app.telemetry.store import open_store, parse_store_url

REPO = Path(__file__).resolve().parents[3]


def _collect(stream, lines: list[str], ready: threading.Event, first_ack: threading.Event
             ) -> None:
    for line in stream:
        lines.append(line.strip())
        (ready if line.strip() == "ready" else first_ack).set()


@pytest.mark.parametrize("seed", [11, 22, 33, 44])
def test_every_acknowledged_reading_survives_kill_9(store_url: str, seed: int, tmp_path: Path):
    rng = random.Random(seed)
    batch_size = rng.choice([50, 500, 2000])
    delay = rng.uniform(0.05, 1.5)
    stderr_path = tmp_path / "child.stderr"
    with stderr_path.open("w") as stderr:
        child = subprocess.Popen(
            [sys.executable, "-m", "tests.telemetry.store.store_ingest_child", store_url,
             str(batch_size)],
            cwd=REPO, stdout=subprocess.PIPE, stderr=stderr, text=True, bufsize=1)
    lines: list[str] = []
    ready, first_ack = threading.Event(), threading.Event()
    reader = threading.Thread(target=_collect, args=(child.stdout, lines, ready, first_ack))
    reader.start()
    try:
        assert first_ack.wait(120), f"the child never acknowledged: {stderr_path.read_text()}"
        time.sleep(delay)  # the random moment
        assert child.poll() is None, f"the child died by itself: {stderr_path.read_text()}"
        os.kill(child.pid, signal.SIGKILL)
    finally:
        child.kill()
        child.wait(30)
        reader.join(30)
    assert child.returncode == -signal.SIGKILL

    acknowledged = [int(line) for line in lines if line != "ready"]
    last = max(acknowledged)
    assert acknowledged == sorted(acknowledged) and (last + 1) % batch_size == 0

    backend, target = parse_store_url(store_url)
    if backend == "sqlite":
        with sqlite3.connect(target) as check:
            assert check.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    with open_store(store_url) as store:
        stored = store.count("WL-1")
        # Every acknowledged reading is there; the batch in flight is all there or not at all.
        assert stored in (last + 1, last + 1 + batch_size), (stored, last, batch_size)
        series = store.series("WL-1", T0, T0 + timedelta(seconds=last))
        numbers = np.arange(last + 1)
        expected_times = series.start_us + numbers * 1_000_000
        np.testing.assert_array_equal(series.time_us, expected_times)
        np.testing.assert_array_equal(series.mean, [value_of(int(n)) for n in numbers])
