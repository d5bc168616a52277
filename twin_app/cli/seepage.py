"""``twin-app seepage ...``: seepage sections of flood walls: checks, leak detection, derivation."""

from __future__ import annotations

import argparse
import json
import logging
import sys
from datetime import datetime
from pathlib import Path
from typing import Any

from twin_app.cli.telemetry import _when
from twin_app.core.errors import InputError

logger = logging.getLogger("twin_app")

COMMANDS = frozenset({"seepage"})
WINDOW_HOURS = 72.0


def add_commands(commands: argparse._SubParsersAction) -> None:
    """Add the ``seepage`` command and its sub-commands to the parser."""
    seepage = commands.add_parser("seepage", help="seepage through flood walls: checks, leaks",
                                  description="Seepage sections of a scene's flood walls.")
    sub = seepage.add_subparsers(dest="seepage_command", metavar="COMMAND", required=True)
    check = sub.add_parser(
        "check", help="check the sections and compare their piezometers with the model",
        description="For each section of the scene (scenes/<scene>/sections/*.toml): the "
        "discharge per metre, the exit gradients and the piping and uplift checks (each with "
        "its safety factor) for the highest river stage measured between --from and --to (the "
        "design level if nothing was measured), and the leak flags: piezometers whose measured "
        "head stays above the head the model predicts for the measured tide. Without --from "
        "and --to the last 72 h of the river gauge's stored readings are used.")
    check.add_argument("scene", help="scene name or folder")
    check.add_argument("--section", action="append", metavar="ID",
                       help="only this section (repeat for several; default: all)")
    check.add_argument("--from", dest="start", type=_when, help="start, ISO 8601 with a zone")
    check.add_argument("--to", dest="end", type=_when, help="end, ISO 8601 with a zone")
    check.add_argument("--store", metavar="URL", help="store URL (default: the user's)")
    check.add_argument("--stage", type=float, metavar="M",
                       help="check at this river stage (m) instead of the measured peak")
    check.add_argument("--tolerance", type=float, default=None, metavar="M",
                       help="leak flag: measured head above the prediction by more than this "
                       "(default 0.4 m)")
    check.add_argument("--min-hours", type=float, default=None, metavar="H",
                       help="leak flag: for longer than this (default 6 h)")
    check.add_argument("--size", type=float, default=2.0, metavar="M",
                       help="finite element size (default 2 m)")
    check.add_argument("--record-alarms", action="store_true",
                       help="put failed checks and leak flags into the store's alarm history "
                       "(the app's alarm list resumes from it)")
    check.add_argument("--json", action="store_true", help="print JSON")
    derive = sub.add_parser(
        "derive", help="derive a section along a line across a wall",
        description="Derive a seepage section along a straight line across a wall from the "
        "scene's terrain, BIM models and soil profile (soils.toml), and save it.")
    derive.add_argument("scene", help="scene name or folder")
    derive.add_argument("--line", required=True, metavar="E1,N1,E2,N2", type=_line,
                        help="the line's two map points (scene CRS), either order")
    derive.add_argument("--id", required=True, help="section id (the file name)")
    derive.add_argument("--out", type=Path, metavar="FILE",
                        help="file to write (default: the scene's sections/<id>.toml)")


def _line(text: str) -> tuple[float, float, float, float]:
    try:
        values = tuple(float(part) for part in text.split(","))
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not four numbers E1,N1,E2,N2") from None
    if len(values) != 4:
        raise argparse.ArgumentTypeError(f"{text!r} is not four numbers E1,N1,E2,N2")
    return values  # type: ignore[return-value]


def run(args: argparse.Namespace) -> int:
    """Run a ``seepage`` sub-command; return the exit status."""
    if args.seepage_command == "derive":
        return _derive(args)
    return _check(args)


def _derive(args: argparse.Namespace) -> int:
    from twin_app.core.scene_loader import load_scene
    from twin_app.io.section_derive import derive_section
    from twin_app.io.sections import SECTIONS_FOLDER

    document = load_scene(args.scene)
    x1, y1, x2, y2 = args.line
    placed = derive_section(document, (x1, y1), (x2, y2), section_id=args.id,
                            generator="twin-app seepage derive")
    out = args.out or document.folder / SECTIONS_FOLDER / f"{args.id}.toml"
    out.parent.mkdir(parents=True, exist_ok=True)
    placed.save(out)
    section = placed.section
    sys.stdout.write(f"wrote {out}: {placed.length:.1f} m, {len(section.layers)} layers, "
                     f"{len(section.walls)} wall(s), {len(section.sheet_piles)} sheet pile(s), "
                     f"piezometers {', '.join(p.id for p in section.piezometers) or 'none'}\n")
    return 0


def _check(args: argparse.Namespace) -> int:
    from twin_app.core.scene_loader import load_scene
    from twin_app.io.sections import scene_sections
    from twin_app.telemetry.seepage import (
        DEFAULT_MIN_HOURS,
        DEFAULT_TOLERANCE_M,
        assess_from_store,
    )
    from twin_app.telemetry.store import SensorCatalog, open_store

    document = load_scene(args.scene)
    spec = document.spec
    sections = scene_sections(document.folder)
    if not sections:
        raise InputError(f"scene {spec.id!r} has no seepage sections",
                         hint="derive some with 'twin-app seepage derive'")
    if args.section:
        known = {placed.id: placed for placed in sections}
        missing = [sid for sid in args.section if sid not in known]
        if missing:
            raise InputError(f"scene {spec.id!r} has no section {', '.join(missing)}",
                             hint=f"its sections: {', '.join(sorted(known))}")
        sections = [known[sid] for sid in args.section]
    if (args.start is None) != (args.end is None):
        raise InputError("give both --from and --to, or neither")
    if args.start is not None and args.end <= args.start:
        raise InputError("--to must be after --from")
    tolerance = DEFAULT_TOLERANCE_M if args.tolerance is None else args.tolerance
    hours = DEFAULT_MIN_HOURS if args.min_hours is None else args.min_hours
    results = []
    with open_store(args.store, catalog=SensorCatalog.from_scene(spec)) as store:
        for placed in sections:
            start, end = args.start, args.end
            if start is None:
                start, end = _window(store, placed.checks.get("stage_sensor"))
            assessment = assess_from_store(
                placed, store, start, end, check_stage=args.stage, size=args.size,
                tolerance=tolerance, min_duration_s=hours * 3600.0) if start is not None \
                else _checks_only(placed, args)
            results.append((assessment, start, end))
        if args.record_alarms:
            _record(document, store, [a for a, _, _ in results])
    if args.json:
        payload = [{**a.summary(), "from": s.isoformat() if s else None,
                    "to": e.isoformat() if e else None} for a, s, e in results]
        sys.stdout.write(json.dumps(payload, ensure_ascii=False, indent=2) + "\n")
    else:
        for assessment, start, end in results:
            sys.stdout.write(_text(assessment.summary(), start, end, tolerance, hours))
    return 0


def _checks_only(placed: Any, args: argparse.Namespace) -> Any:
    from twin_app.telemetry.seepage import assess_section

    return assess_section(placed, check_stage=args.stage, size=args.size)


def _window(store: Any, sensor: str | None) -> tuple[datetime | None, datetime | None]:
    """Return the last 72 h of a gauge's stored readings, or (None, None) without any."""
    from twin_app.telemetry.seepage import stored_window

    window = stored_window(store, sensor, WINDOW_HOURS)
    return window if window is not None else (None, None)


def _record(document: Any, store: Any, assessments: list[Any]) -> None:
    from twin_app.telemetry.alarms import AlarmEngine
    from twin_app.telemetry.alarms.history import resume_from, store_recorder

    engine = AlarmEngine.from_scene(document.spec)
    resume_from(engine, store.alarms)
    engine.transitions.connect(store_recorder(store.alarms))
    events = engine.post_checks([o for a in assessments for o in a.outcomes()])
    sys.stderr.write(f"recorded {len(events)} alarm transition(s) in the store\n")


def _text(data: dict[str, Any], start: datetime | None, end: datetime | None,
          tolerance: float, hours: float) -> str:
    lines = [f"Section {data['section']} ({data['name']})"]
    if start is not None and end is not None:
        lines.append(f"  period: {start.isoformat()} to {end.isoformat()}")
    lines.append(f"  river stage checked: {data['check_stage_m']:.2f} m "
                 f"({data['stage_source']})")
    discharge = data["discharge_m3_s_per_m"]
    lines.append(f"  discharge: {discharge:.3e} m3/s per m ({discharge * 86400:.3f} m3/day "
                 "per m)")
    lines.append(f"  exit gradient: max {data['exit_gradient_max']:.3f} upward at x = "
                 f"{data['exit_gradient_x_m']:.1f} m from the river end")
    if "tide" in data:
        tide = data["tide"]
        lines.append(f"  measured tide: {tide['stage_min_m']:.2f} to {tide['stage_max_m']:.2f} "
                     f"m, {tide['steps']} steps, peak discharge "
                     f"{tide['discharge_max_m3_s_per_m']:.3e} m3/s per m")
    lines.append("  checks:")
    for check in data["checks"]:
        factor = check["safety_factor"]
        shown = "inf" if factor is None else f"{factor:.2f}"
        verdict = "OK  " if check["passed"] else "FAIL"
        lines.append(f"    {verdict} SF {shown:>7}  {check['text']}")
    compared = data["compared"]
    if data["leaks"]:
        lines.append(f"  leak flags (tolerance {tolerance:.2f} m for {hours:g} h):")
        lines += [f"    FLAG {leak['text']}" for leak in data["leaks"]]
    elif compared:
        lines.append(f"  leak flags: none ({', '.join(compared)} compared; tolerance "
                     f"{tolerance:.2f} m for {hours:g} h)")
    lines += [f"  note: {note}" for note in data["notes"]]
    return "\n".join(lines) + "\n\n"
