"""SL 651 frames decoded per second: the decoder and the stream splitter.

The frames are the reference vectors of ``tests/telemetry/sl651/vectors.py``: A (32H timed report),
C (34H hourly report with the 5-minute arrays) and D (2FH keep-alive), repeated A, C, D, ... to
``--frames`` frames (10,000 by default).

Figures, each the median of ``--repeats`` passes:

* ``decode_frame(bytes)`` on each frame (check and decode);
* ``FrameSplitter`` over the concatenated stream fed in TCP-sized segments, alone and followed by
  ``decode_frame`` of each frame it cuts (what the SL 651 server does per connection).

Baseline, in the same run: the CRC check alone (``crc16`` over each frame's bytes before the CRC
field, compared with the CRC field) over the same frames; and, second, ``struct`` unpacking of
the fixed header (the floor of any per-frame Python work).

Run: ``.venv/bin/python benchmarks/bench_sl651.py [--frames 10000] [--repeats 5]``
"""

from __future__ import annotations

import argparse
import statistics
import struct
import sys
import time
from collections.abc import Callable

from _common import REPO, report

SEGMENT = 1460
"""Bytes per ``feed`` call: one TCP segment of an Ethernet MTU."""
HEADER = struct.Struct(">2sB5sHBH")
"""7E7E, centre, station (5 BCD bytes), password, function, direction/length word."""


def median_rate(work: Callable[[], int], repeats: int) -> float:
    """Run ``work`` (which returns how many frames it handled) ``repeats`` times; frames/s."""
    rates = []
    for _ in range(repeats):
        started = time.perf_counter()
        count = work()
        rates.append(count / (time.perf_counter() - started))
    return statistics.median(rates)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--frames", type=int, default=10_000)
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    sys.path.insert(0, str(REPO))
    from tests.telemetry.sl651.vectors import A_TIMED_32, C_HOURLY_34, D_KEEPALIVE_2F
    from twin_app.telemetry.sl651.crc import crc16
    from twin_app.telemetry.sl651.frame import Frame
    from twin_app.telemetry.sl651.reports import decode_frame
    from twin_app.telemetry.sl651.stream import FrameSplitter

    vectors = (A_TIMED_32, C_HOURLY_34, D_KEEPALIVE_2F)
    frames = [vectors[i % len(vectors)] for i in range(args.frames)]
    stream = b"".join(frames)
    segments = [stream[i:i + SEGMENT] for i in range(0, len(stream), SEGMENT)]
    print(f"{args.frames} frames (A 32H {len(A_TIMED_32)} B, C 34H {len(C_HOURLY_34)} B, "
          f"D 2FH {len(D_KEEPALIVE_2F)} B in turn), {len(stream)} bytes, "
          f"{len(segments)} segments of {SEGMENT} B; median of {args.repeats} passes", flush=True)

    # sanity: every vector decodes and the splitter cuts the stream into exactly these frames
    for vector in vectors:
        decoded = decode_frame(vector)
        print(f"  {decoded.function:02X}H {decoded.function_name}: "
              f"{len(decoded.elements)} elements, warnings {list(decoded.warnings)}", flush=True)
    splitter = FrameSplitter()
    cut = [item for segment in segments for item in splitter.feed(segment)] + splitter.flush()
    if len(cut) != args.frames or not all(isinstance(item, Frame) for item in cut):
        raise SystemExit(f"the splitter returned {len(cut)} items, not {args.frames} frames")

    def crc_only() -> int:
        bad = 0
        for frame in frames:
            if crc16(frame[:-2]) != int.from_bytes(frame[-2:], "big"):
                bad += 1
        if bad:
            raise SystemExit(f"{bad} frames fail the CRC")
        return len(frames)

    def header_only() -> int:
        unpack = HEADER.unpack_from
        for frame in frames:
            unpack(frame)
        return len(frames)

    def decode_each() -> int:
        for frame in frames:
            decode_frame(frame)
        return len(frames)

    def split_only() -> int:
        splitter = FrameSplitter()
        count = 0
        for segment in segments:
            count += len(splitter.feed(segment))
        return count + len(splitter.flush())

    def split_and_decode() -> int:
        splitter = FrameSplitter()
        count = 0
        for segment in segments:
            for item in splitter.feed(segment):
                decode_frame(item)
                count += 1
        for item in splitter.flush():
            decode_frame(item)
            count += 1
        return count

    crc_rate = median_rate(crc_only, args.repeats)
    header_rate = median_rate(header_only, args.repeats)
    decode_rate = median_rate(decode_each, args.repeats)
    split_rate = median_rate(split_only, args.repeats)
    pipeline_rate = median_rate(split_and_decode, args.repeats)
    report("decode_frame(bytes), frames/s", decode_rate, "frames/s", "CRC check alone",
           crc_rate)
    report("FrameSplitter over the stream, frames/s", split_rate, "frames/s", "CRC check alone",
           crc_rate)
    report("FrameSplitter + decode_frame (the server's path), frames/s", pipeline_rate,
           "frames/s", "CRC check alone", crc_rate)
    report("CRC check alone, frames/s", crc_rate, "frames/s", "struct unpack of the header",
           header_rate)
    megabytes = len(stream) / 1e6
    print(f"throughput: splitter + decode {pipeline_rate * len(stream) / args.frames / 1e6:.2f} "
          f"MB/s; CRC alone {crc_rate * megabytes / args.frames:.2f} MB/s", flush=True)


if __name__ == "__main__":
    main()
