"""The ingest process of the kill -9 test: append numbered batches forever, report each ack.

Usage: ``python store_ingest_child.py URL BATCH_SIZE``.  Reading number ``n`` is sensor ``WL-1``
at ``T0 + n`` seconds with value ``(n % 1000) / 100``.  After each :meth:`append` returns, the
number of the batch's last reading is written to stdout and flushed: that line is the ack.
"""

from __future__ import annotations

import sys
from datetime import timedelta

from tests.telemetry.store.helpers import T0, fixed_clock, make_catalog
from twin_app.core.readings import Reading
from twin_app.telemetry.store import open_store


def value_of(number: int) -> float:
    """Return the value of reading ``number``."""
    return (number % 1000) / 100


def main() -> None:
    """Append batches until killed."""
    url, batch_size = sys.argv[1], int(sys.argv[2])
    store = open_store(url, catalog=make_catalog(), clock=fixed_clock)
    sys.stdout.write("ready\n")
    sys.stdout.flush()
    number = 0
    while True:
        batch = [Reading("WL-1", T0 + timedelta(seconds=n), value_of(n), "m", source="child")
                 for n in range(number, number + batch_size)]
        result = store.append(batch)
        if result.stored != batch_size:
            raise SystemExit(f"batch at {number}: stored {result.stored} of {batch_size}")
        number += batch_size
        sys.stdout.write(f"{number - 1}\n")
        sys.stdout.flush()


if __name__ == "__main__":
    main()
