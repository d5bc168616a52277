"""``twin-app plugins ...`` and ``twin-app rehearse ...``: simulation plugins and rehearsals."""

from __future__ import annotations

import argparse
import json
import logging
import sys
from collections.abc import Callable
from pathlib import Path

from twin_app.core.errors import InputError

logger = logging.getLogger("twin_app")

COMMANDS = frozenset({"plugins", "rehearse"})
EXIT_ERROR = 1


def add_commands(commands: argparse._SubParsersAction) -> None:
    """Add the ``plugins`` and ``rehearse`` commands to the parser."""
    plugins = commands.add_parser("plugins", help="list the installed simulation plugins",
                                  description="Simulation plugins (entry-point group "
                                  "twin_app.simulations).")
    sub = plugins.add_subparsers(dest="plugins_command", metavar="COMMAND", required=True)
    listing = sub.add_parser("list", help="list plugins with status ok/broken and the reason",
                             description="List every installed simulation plugin, ok or broken "
                             "(with the reason). Only manifests are read unless --check.")
    listing.add_argument("--json", action="store_true", help="print JSON")
    listing.add_argument("--check", action="store_true",
                         help="also import each plugin's model class (runs plugin code)")
    rehearse = commands.add_parser(
        "rehearse", help="run a rehearsal (a scene scenario or a case file)",
        description="Run a rehearsal in a worker process and write its results (results.nc, "
        "GeoTIFF maps, GeoJSON extent, CSV series, run.log) to --out. Either SCENE with "
        "--scenario, or --scenario-file CASE.toml.")
    rehearse.add_argument("scene", nargs="?", help="scene name or folder")
    rehearse.add_argument("--scenario", metavar="NAME", help="scenario id of the scene")
    rehearse.add_argument("--scenario-file", type=Path, metavar="CASE.toml",
                          help="a standalone case file instead of a scene scenario")
    rehearse.add_argument("--out", type=Path, required=True, metavar="DIR",
                          help="folder for the results (created if missing)")
    rehearse.add_argument("--timeout", type=float, metavar="S",
                          help="stop the run after S seconds of wall time")
    rehearse.add_argument("--store", metavar="URL",
                          help="telemetry store for 'start from the current state' inputs")
    rehearse.add_argument("--json", action="store_true", help="print a JSON summary")


def run(args: argparse.Namespace) -> int:
    """Run a ``plugins`` or ``rehearse`` command; return the exit status."""
    if args.command == "plugins":
        return _list_plugins(args)
    return _rehearse(args)


def _list_plugins(args: argparse.Namespace) -> int:
    from twin_app.sim.discovery import check_plugin, discover_plugins

    records = discover_plugins()
    if args.check:
        records = [check_plugin(record) for record in records]
    if args.json:
        payload = [record.summary() for record in records]
        sys.stdout.write(json.dumps(payload, ensure_ascii=False, indent=2) + "\n")
        return 0
    if not records:
        sys.stdout.write("no simulation plugins installed (install them with 'make setup')\n")
    for record in records:
        manifest = record.manifest
        title = f"{manifest.name.en} / {manifest.name.zh}" if manifest else ""
        version = manifest.version if manifest else "?"
        line = f"{record.id:<20} {record.status:<7} {version:<10} {title}"
        if record.reason:
            line += f"\n{'':<20} reason: {record.reason}"
        sys.stdout.write(line + "\n")
    return 0


def _latest_from_store(url: str | None) -> Callable[[list[str]], dict[str, float]]:
    def latest(sensor_ids: list[str]) -> dict[str, float]:
        from twin_app.telemetry.store import open_store

        with open_store(url) as store:
            return {key: reading.value for key, reading in store.latest(sensor_ids).items()}

    return latest


def _rehearse(args: argparse.Namespace) -> int:
    from twin_app.sim.host import RehearsalRun, RunEvent, RunState
    from twin_app.sim.scenario import load_case, scenario_from_scene

    if args.scenario_file is not None:
        if args.scene or args.scenario:
            raise InputError("give either SCENE --scenario NAME or --scenario-file, not both")
        rehearsal = load_case(args.scenario_file, out_dir=args.out,
                              latest=_latest_from_store(args.store))
    elif args.scene and args.scenario:
        rehearsal = scenario_from_scene(args.scene, args.scenario, out_dir=args.out)
    else:
        raise InputError("say what to rehearse",
                         hint="SCENE --scenario NAME, or --scenario-file CASE.toml")

    def report(event: RunEvent) -> None:
        if event.kind in ("progress", "frame"):
            logger.info("rehearsal %3.0f%% (model time %.0f s)", 100 * event.fraction,
                        event.time_s)

    run_ = RehearsalRun(rehearsal.record, rehearsal.config,
                        timeout_s=args.timeout or rehearsal.timeout_s, on_event=report)
    run_.start()
    try:
        result = run_.wait()
    except KeyboardInterrupt:
        run_.cancel()
        result = run_.wait()
    summary = {
        "source": rehearsal.source, "plugin": rehearsal.record.id, "state": result.state.value,
        "message": result.message, "run_dir": str(result.run_dir),
        "run_time_s": result.summary.get("run_time_s"),
        "wall_time_s": round(result.wall_time_s, 3), "steps": result.summary.get("steps"),
        "frames": len(result.frames),
        "mass_balance_error": result.summary.get("mass_balance_error"),
        "outputs": result.outputs, "log": str(result.log_path),
    }
    if args.json:
        sys.stdout.write(json.dumps(summary, ensure_ascii=False, indent=2) + "\n")
    else:
        sys.stdout.write(f"rehearsal {result.state.value}: {len(result.frames)} frames, "
                         f"{summary['steps']} steps in {result.wall_time_s:.1f} s; "
                         f"results in {result.run_dir}\n")
    if result.state is not RunState.SUCCEEDED:
        sys.stderr.write(f"twin-app: rehearsal {result.state.value}: {result.message} "
                         f"(log: {result.log_path})\n")
        return EXIT_ERROR
    return 0
