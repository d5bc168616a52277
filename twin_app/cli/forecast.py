"""``twin-app forecast``, ``twin-app ensemble`` and ``twin-app plans``: 预报, ensembles, 预案."""

from __future__ import annotations

import argparse
import json
import logging
import sys
from datetime import datetime
from pathlib import Path
from typing import Any

from twin_app.core.errors import InputError

logger = logging.getLogger("twin_app")

COMMANDS = frozenset({"forecast", "ensemble", "plans"})


def _when(text: str) -> datetime:
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not ISO 8601") from None
    if moment.tzinfo is None:
        raise argparse.ArgumentTypeError(f"{text!r} has no time zone (add +08:00 or Z)")
    return moment


def _assignment(text: str) -> tuple[str, Any]:
    name, sep, value = text.partition("=")
    if not sep or not name:
        raise argparse.ArgumentTypeError(f"{text!r} is not NAME=VALUE")
    lowered = value.strip().lower()
    if lowered in ("true", "false"):
        return name, lowered == "true"
    for kind in (int, float):
        try:
            return name, kind(value)
        except ValueError:
            continue
    return name, value


def add_commands(commands: argparse._SubParsersAction) -> None:
    """Add the ``forecast``, ``ensemble`` and ``plans`` commands to the parser."""
    forecast = commands.add_parser(
        "forecast", help="forecast every gauge of a scene for the next hours",
        description="Forecast (预报) every water-level gauge of a scene from the telemetry "
        "store's current state: astronomical tide from a harmonic analysis of each gauge's "
        "record, plus a surge and rain from a file, compared with warning levels.")
    forecast.add_argument("scene", help="scene name or folder")
    forecast.add_argument("--hours", type=float, default=48.0, help="horizon (default 48)")
    forecast.add_argument("--surge", type=Path, metavar="FILE",
                          help="surge and rain forecast: CSV, PI-XML (.xml) or NetCDF (.nc)")
    forecast.add_argument("--store", metavar="URL", help="telemetry store (default: the app's)")
    forecast.add_argument("--now", type=_when, metavar="ISO",
                          help="forecast start (default: the newest stored gauge reading)")
    forecast.add_argument("--history-days", type=float, default=30.0,
                          help="days of record analysed per gauge (default 30)")
    forecast.add_argument("--lang", choices=["zh_CN", "en"], default="en")
    forecast.add_argument("--json", action="store_true", help="print JSON")

    ensemble = commands.add_parser(
        "ensemble", help="run an ensemble of rehearsals and aggregate probabilities",
        description="Run an ensemble: members sample uncertain inputs (scenes/<scene>/"
        "ensembles.toml, or --spec), run on Dask (a LocalCluster, or --scheduler), and "
        "aggregate into flood probability, max-depth percentiles and exceedance curves "
        "(ensemble.nc, GeoTIFFs, ensemble.json in --out).")
    ensemble.add_argument("scene", help="scene name or folder")
    ensemble.add_argument("--scenario", metavar="NAME",
                          help="an ensemble of the scene (its id or its scenario)")
    ensemble.add_argument("--spec", type=Path, metavar="FILE.toml", help="an ensemble spec file")
    ensemble.add_argument("--plugin", metavar="ID",
                          help="run this plugin (with --set base values, no perturbations "
                          "unless --spec)")
    ensemble.add_argument("--set", type=_assignment, action="append", default=[],
                          metavar="NAME=VALUE", help="a base parameter value (repeatable)")
    ensemble.add_argument("--duration", type=float, default=6.0,
                          help="hours, with --plugin (default 6)")
    ensemble.add_argument("--members", type=int, metavar="N", help="members to sample")
    ensemble.add_argument("--seed", type=int, help="random seed (default: the spec's)")
    ensemble.add_argument("--scheduler", metavar="URL",
                          help="tcp://HOST:PORT of a Dask scheduler (default: a LocalCluster)")
    ensemble.add_argument("--workers", type=int, default=2, help="LocalCluster workers")
    ensemble.add_argument("--serial", action="store_true", help="run members one by one")
    ensemble.add_argument("--ship-grids", action="store_true",
                          help="workers send maps back (no shared disk with --out)")
    ensemble.add_argument("--out", type=Path, required=True, metavar="DIR")
    ensemble.add_argument("--json", action="store_true", help="print a JSON summary")

    plans = commands.add_parser(
        "plans", help="list, check and rehearse a scene's response plans",
        description="Response plans (预案) of a scene (scenes/<scene>/plans.toml): list them, "
        "--check their triggers against the store's latest values and a forecast, or "
        "--rehearse one with and without its actions (and write its brief as PDF).")
    plans.add_argument("scene", help="scene name or folder")
    plans.add_argument("--check", action="store_true", help="evaluate every trigger now")
    plans.add_argument("--rehearse", metavar="PLAN", help="rehearse this plan")
    plans.add_argument("--out", type=Path, metavar="DIR", help="folder for --rehearse")
    plans.add_argument("--plugin", metavar="ID", help="rehearse with this plugin's setup")
    plans.add_argument("--value", type=_assignment, action="append", default=[],
                       metavar="CHECK=VALUE", help="a named check value (repeatable)")
    plans.add_argument("--store", metavar="URL", help="telemetry store (default: the app's)")
    plans.add_argument("--now", type=_when, metavar="ISO", help="evaluation time")
    plans.add_argument("--hours", type=float, default=24.0, help="forecast horizon")
    plans.add_argument("--surge", type=Path, metavar="FILE", help="surge and rain forecast")
    plans.add_argument("--pdf", type=Path, metavar="FILE", help="brief (default OUT/brief.pdf)")
    plans.add_argument("--lang", choices=["zh_CN", "en"], default="zh_CN")
    plans.add_argument("--json", action="store_true", help="print JSON")


def run(args: argparse.Namespace) -> int:
    """Run a ``forecast``, ``ensemble`` or ``plans`` command; return the exit status."""
    if args.command == "forecast":
        return _forecast(args)
    if args.command == "ensemble":
        return _ensemble(args)
    return _plans(args)


def _print(payload: Any) -> None:
    sys.stdout.write(json.dumps(payload, ensure_ascii=False, indent=2, default=str) + "\n")


def _make_forecast(document: Any, store_url: str | None, *, hours: float, surge: Path | None,
                   now: datetime | None, history_days: float = 30.0) -> Any:
    from twin_app.core.scene import SensorKind
    from twin_app.forecast import make_forecast, read_inputs
    from twin_app.telemetry.store import SensorCatalog, open_store

    spec = document.spec
    inputs = None
    if surge is not None:
        inputs = read_inputs(surge, gauges=[s.id for s in spec.sensors
                                            if s.kind is SensorKind.WATER_LEVEL],
                             rain_gauges=[s.id for s in spec.sensors
                                          if s.kind is SensorKind.RAINFALL])
    with open_store(store_url, catalog=SensorCatalog.from_scene(spec)) as store:
        return make_forecast(document, store, hours=hours, inputs=inputs, now=now,
                             history_days=history_days)


def _forecast(args: argparse.Namespace) -> int:
    from twin_app.core.scene_loader import load_scene

    document = load_scene(args.scene)
    forecast = _make_forecast(document, args.store, hours=args.hours, surge=args.surge,
                              now=args.now, history_days=args.history_days)
    language = "zh" if args.lang == "zh_CN" else "en"
    if args.json:
        _print(forecast.to_dict(language, series=True))
        return 0
    sys.stdout.write(f"forecast {document.spec.id} from {forecast.issued:%Y-%m-%d %H:%M} UTC, "
                     f"{forecast.hours[-1]:g} h ({forecast.inputs.source})\n")
    for row in forecast.table(language):
        fit = (f"fit {100 * row['variance_explained']:.1f} %, rms {row['residual_rms_m']:.3f} m"
               if row["variance_explained"] is not None else "no tidal fit")
        sys.stdout.write(f"  {row['sensor_id']:<12} now {row['now_m']!s:>6} m  peak "
                         f"{row['peak_m']:.2f} m at {row['peak_clock']}  "
                         f"{row['hours_above_warning']:.1f} h above warning  "
                         f"[{row['method']}; {fit}]\n")
    for sentence in forecast.sentences(language):
        sys.stdout.write(sentence + "\n")
    for note in forecast.notes:
        sys.stdout.write(f"note: {note}\n")
    return 0


def _ensemble(args: argparse.Namespace) -> int:
    from twin_app.core.scene_loader import load_scene
    from twin_app.ensemble import EnsembleRun, EnsembleSpec, find_scene_spec, load_spec
    from twin_app.ensemble.prepare import prepare_ensemble

    document = load_scene(args.scene)
    if args.spec is not None:
        spec = load_spec(args.spec)
    elif args.scenario is not None:
        spec = find_scene_spec(document.folder, args.scenario)
        if spec is None:
            raise InputError(f"scene {document.spec.id} has no ensemble {args.scenario!r}",
                             hint="add it to ensembles.toml in the scene folder, or give "
                             "--spec FILE.toml")
    elif args.plugin is not None:
        spec = EnsembleSpec(id="cli", plugin=args.plugin, duration_h=args.duration)
    else:
        raise InputError("say what to run", hint="--scenario NAME, --spec FILE or --plugin ID")
    if args.plugin is not None and spec.plugin not in (None, args.plugin):
        raise InputError(f"--plugin {args.plugin} differs from the spec's {spec.plugin}")
    if args.seed is not None:
        spec = spec.model_copy(update={"seed": args.seed})
    plan = prepare_ensemble(spec, out_dir=args.out, scene=document, members=args.members,
                            base_overrides=dict(args.set))

    def report(event: Any) -> None:
        if event.kind == "member" and event.state not in ("running",):
            logger.info("member %s %s (%d/%d) %s", event.index, event.state, event.done,
                        event.total, event.message)

    run_ = EnsembleRun(plan, scheduler=args.scheduler, n_workers=args.workers,
                       executor="serial" if args.serial else "dask", ship_grids=args.ship_grids,
                       on_event=report).start()
    try:
        result = run_.wait()
    except KeyboardInterrupt:
        run_.cancel()
        result = run_.wait()
    summary = {"state": result.state, "message": result.message, "where": result.where,
               "wall_time_s": round(result.wall_time_s, 2),
               "members_per_hour": round(result.members_per_hour, 1),
               "failed": [{"index": o.index, "state": o.state, "message": o.message}
                          for o in result.failed],
               "aggregate": result.aggregate.summary() if result.aggregate else None,
               "files": result.files}
    if args.json:
        _print(summary)
    else:
        sys.stdout.write(f"ensemble {plan.id}: {result.message} on {result.where} in "
                         f"{result.wall_time_s:.1f} s ({result.members_per_hour:.0f} members/h)\n")
        for outcome in result.failed:
            sys.stdout.write(f"  member {outcome.index} {outcome.state}: {outcome.message}\n")
        for path in result.files:
            sys.stdout.write(f"  wrote {path}\n")
    return 0 if result.state == "succeeded" else 1


def _plans(args: argparse.Namespace) -> int:
    from twin_app.core.scene_loader import load_scene
    from twin_app.plans import TriggerEvaluator, load_library, rehearse_plan, write_brief
    from twin_app.telemetry.store import SensorCatalog, open_store

    document = load_scene(args.scene)
    library = load_library(document)
    language = "zh" if args.lang == "zh_CN" else "en"
    if not args.check and not args.rehearse:
        rows = [{"id": p.id, "name": p.name.text(language), "level": p.level,
                 "conditions": len(p.trigger.conditions), "actions": len(p.actions)}
                for p in library.plans]
        if args.json:
            _print(rows)
        else:
            for row in rows:
                sys.stdout.write(f"{row['id']:<26} {row['level'] or '-':<4} {row['name']}\n")
        return 0
    with open_store(args.store, catalog=SensorCatalog.from_scene(document.spec)) as store:
        latest = {k: r.value for k, r in store.latest(at=args.now).items()}
    forecast = _make_forecast(document, args.store, hours=args.hours, surge=args.surge,
                              now=args.now)
    statuses = TriggerEvaluator(library, document).evaluate(
        latest, forecast=forecast, checks=dict(args.value), now=forecast.issued)
    payload: dict[str, Any] = {"plans": [{"id": s.plan.id, "triggered": s.triggered,
                                          "event_time": s.event_time,
                                          "why": s.text(language)} for s in statuses]}
    if args.rehearse:
        if args.out is None:
            raise InputError("--rehearse needs --out DIR")
        status = next((s for s in statuses if s.plan.id == args.rehearse), None)
        library.plan(args.rehearse)  # raises with the list of plans if unknown
        comparison = rehearse_plan(library, args.rehearse, document, forecast,
                                   out_dir=args.out, plugin=args.plugin,
                                   event_time=status.event_time if status else None)
        pdf = args.pdf or args.out / "brief.pdf"
        write_brief(pdf, library, library.plan(args.rehearse), status=status,
                    comparison=comparison, language=language)
        payload["rehearsal"] = {**comparison.to_dict(), "brief": str(pdf)}
    if args.json:
        _print(payload)
        return 0
    for status in statuses:
        sys.stdout.write(status.text(language) + "\n")
    if "rehearsal" in payload:
        for line in payload["rehearsal"]["sentences_zh" if language == "zh" else "sentences_en"]:
            sys.stdout.write(line + "\n")
        sys.stdout.write(f"wrote {payload['rehearsal']['brief']}\n")
    return 0
