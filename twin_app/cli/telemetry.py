"""``twin-app telemetry ...``: live-data feeds and tools."""

from __future__ import annotations

import argparse
import json
import logging
import sys
from datetime import datetime
from pathlib import Path

from twin_app.core.errors import InputError

logger = logging.getLogger("twin_app")

COMMANDS = frozenset({"telemetry"})
EXIT_ERROR = 1


def add_commands(commands: argparse._SubParsersAction) -> None:
    """Add the ``telemetry`` command and its sub-commands to the parser."""
    telemetry = commands.add_parser("telemetry", help="live-data feeds and tools",
                                    description="Live-data feeds and tools.")
    sub = telemetry.add_subparsers(dest="telemetry_command", metavar="COMMAND", required=True)
    decode = sub.add_parser(
        "sl651-decode", help="decode one SL 651-2014 frame and explain every field",
        description="Decode an SL 651-2014 frame (HEX/BCD or ASCII mode) given as hex text: "
        "every field, element and check, and why a frame is rejected. Exit status 1 if the "
        "frame is rejected.")
    decode.add_argument("hex", help="the frame as hex digits (spaces allowed)")
    decode.add_argument("--password", help="the station password (4 hex digits) to check")
    decode.add_argument("--json", action="store_true", help="print JSON")
    serve = sub.add_parser(
        "serve", help="ingest the scene's feeds into the store (headless)",
        description="Listen to an MQTT broker and/or SL 651 stations and store every reading "
        "durably, with alarms, until interrupted (Ctrl-C or SIGTERM).")
    serve.add_argument("scene", help="scene name or folder")
    serve.add_argument("--mqtt", metavar="URL", help="broker, e.g. mqtt://127.0.0.1:1883")
    serve.add_argument("--sl651", metavar="HOST:PORT", help="listen for SL 651 stations")
    serve.add_argument("--stations", type=Path, metavar="FILE",
                       help="SL 651 station table (default: the scene's "
                       "telemetry/sl651_stations.toml)")
    serve.add_argument("--store", metavar="URL",
                       help="sqlite:///FILE or postgresql://... (default: the user's data folder)")
    replay = sub.add_parser(
        "replay", help="publish a scene's recorded event to an MQTT broker",
        description="Publish a recorded event (scenes/<scene>/events/<event>.csv) to the "
        "broker at SPEED times real time, stamped with the current time. To play an event "
        "in the window instead, use 'twin-app open SCENE --replay EVENT'.")
    replay.add_argument("scene", help="scene name or folder")
    replay.add_argument("--event", default="typhoon", help="event name (default typhoon)")
    replay.add_argument("--speed", type=float, default=60.0, help="times real time (default 60)")
    replay.add_argument("--mqtt", metavar="URL", default="mqtt://127.0.0.1:1883",
                        help="broker (default mqtt://127.0.0.1:1883)")
    export = sub.add_parser(
        "export", help="write a sensor's stored readings to CSV or PI-XML",
        description="Write one sensor's stored readings between two times to a file or stdout.")
    export.add_argument("scene", help="scene name or folder")
    export.add_argument("--sensor", required=True, help="sensor id")
    export.add_argument("--from", dest="start", required=True, type=_when,
                        help="start, ISO 8601 with a zone (e.g. 2024-09-16T00:00+08:00)")
    export.add_argument("--to", dest="end", required=True, type=_when, help="end, ISO 8601")
    export.add_argument("--format", choices=["csv", "pi-xml"], default="csv")
    export.add_argument("--store", metavar="URL", help="store URL (default: the user's)")
    export.add_argument("--out", type=Path, metavar="FILE", help="file to write (default stdout)")


def _when(text: str) -> datetime:
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not an ISO 8601 time") from None
    if moment.tzinfo is None:
        msg = f"{text!r} has no time zone; add one, e.g. +08:00 or Z"
        raise argparse.ArgumentTypeError(msg)
    return moment


def run(args: argparse.Namespace) -> int:
    """Run a ``telemetry`` sub-command; return the exit status."""
    if args.telemetry_command == "serve":
        return _serve(args)
    if args.telemetry_command == "replay":
        return _replay(args)
    if args.telemetry_command == "export":
        return _export(args)
    from twin_app.telemetry.sl651.inspect import describe, format_text

    try:
        info = describe(args.hex, password=args.password)
    except ValueError as error:
        raise InputError(f"not a frame in hex: {error}") from None
    if args.json:
        sys.stdout.write(json.dumps(info, ensure_ascii=False, indent=2, default=str) + "\n")
    else:
        sys.stdout.write(format_text(info) + "\n")
    return 0 if info["ok"] else EXIT_ERROR


def _serve(args: argparse.Namespace) -> int:
    import asyncio
    import signal

    from twin_app.core.scene_loader import load_scene
    from twin_app.telemetry.service import ServeOptions, parse_host_port, serve_scene

    document = load_scene(args.scene)
    options = ServeOptions(store_url=args.store, mqtt_url=args.mqtt,
                           sl651=parse_host_port(args.sl651) if args.sl651 else None,
                           stations=args.stations)

    async def run() -> None:
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for signum in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(signum, stop.set)
        session = await serve_scene(document, options, stop)
        logger.info("stopped; %d alarms listed", len(session.engine.active()))

    asyncio.run(run())
    return 0


def _replay(args: argparse.Namespace) -> int:
    from twin_app.core.scene_loader import load_scene
    from twin_app.telemetry.replay import publish_replay

    result = publish_replay(load_scene(args.scene), args.event, args.speed, args.mqtt)
    sys.stdout.write(f"published {result.readings} readings in {result.batches} batches\n")
    return 0


def _export(args: argparse.Namespace) -> int:
    from twin_app.core.scene_loader import load_scene
    from twin_app.io.timeseries import write_csv, write_pi_xml
    from twin_app.telemetry.store import SensorCatalog, open_store

    spec = load_scene(args.scene).spec
    if args.sensor not in {sensor.id for sensor in spec.sensors}:
        raise InputError(f"scene {spec.id!r} has no sensor {args.sensor!r}")
    with open_store(args.store, catalog=SensorCatalog.from_scene(spec)) as store:
        readings = store.series(args.sensor, args.start, args.end).readings()
    target = args.out if args.out is not None else sys.stdout
    if args.format == "csv":
        write_csv(target, readings)
    else:
        write_pi_xml(target, readings)
    if args.out is not None:
        sys.stdout.write(f"wrote {len(readings)} readings to {args.out}\n")
    return 0


