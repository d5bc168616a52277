"""``twin-app review ...``: construction-meeting review (施工例会) from the command line.

- ``review export-bcf SCENE --out FILE [--version 2.1|3.0]``: the scene's review topics as BCF,
  validated against buildingSMART's XSDs when they are found.
- ``review import-bcf SCENE FILE``: topics from a BCF file (any tool) into the scene's review.
- ``review report SCENE --out FILE.pdf``: the meeting report (topics, snapshots, 4D progress).
- ``review video SCENE --out FILE.mp4``: a fly-through of the scene's (or the review's)
  viewpoints, rendered off-screen.
- ``review progress SCENE --date D``: which elements are built on a day, planned against actual.

The review of a scene lives in the user's data folder (``twin_app.core.review_store``).
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
from datetime import date
from pathlib import Path
from typing import Any

from twin_app.core.errors import InputError

logger = logging.getLogger("twin_app")

COMMANDS = frozenset({"review"})


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date like 2023-05-29") from None


def _positive(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None
    if value <= 0:
        raise argparse.ArgumentTypeError(f"{text!r} must be more than 0")
    return value


def add_commands(commands: argparse._SubParsersAction) -> None:
    """Add the ``review`` command and its sub-commands to the parser."""
    from twin_app.cli import _size

    review = commands.add_parser(
        "review", help="model review: BCF, meeting report, video, 4D progress",
        description="Construction-meeting model review: BCF exchange, meeting report, "
        "fly-through video and 4D construction progress.")
    sub = review.add_subparsers(dest="review_command", metavar="COMMAND", required=True)
    export = sub.add_parser("export-bcf", help="write the review's topics as BCF",
                            description="Write the scene's review topics to a BCF 2.1 or 3.0 "
                            "file (cameras in the IFC model's world coordinates).")
    export.add_argument("scene", help="scene name or folder")
    export.add_argument("--out", type=Path, required=True, metavar="FILE",
                        help="the .bcf or .bcfzip file to write")
    export.add_argument("--version", choices=["2.1", "3.0"], default="2.1",
                        help="BCF version (default 2.1)")
    export.add_argument("--no-validate", action="store_true",
                        help="skip the check against buildingSMART's XSDs")
    imp = sub.add_parser("import-bcf", help="add the topics of a BCF file to the review",
                         description="Read a BCF 2.1 or 3.0 file (from any tool) and add its "
                         "topics to the scene's review; a topic with the same GUID is replaced.")
    imp.add_argument("scene", help="scene name or folder")
    imp.add_argument("file", type=Path, metavar="FILE", help="the .bcf or .bcfzip file")
    report = sub.add_parser("report", help="write the meeting report (PDF)",
                            description="Write the meeting report: topics with status and "
                            "comments, snapshots, and the 4D progress on the meeting date.")
    report.add_argument("scene", help="scene name or folder")
    report.add_argument("--out", type=Path, required=True, metavar="FILE.pdf")
    report.add_argument("--date", type=_day, default=None, metavar="YYYY-MM-DD",
                        help="meeting date (default today); progress is given for it")
    report.add_argument("--author", default="", help="who prepared the report")
    report.add_argument("--overview", action="store_true",
                        help="render the scene's default viewpoint into the report")
    video = sub.add_parser("video", help="export a fly-through to MP4",
                           description="Fly through the scene's viewpoints (or the review's "
                           "saved viewpoints) off-screen and write an H.264 MP4.")
    video.add_argument("scene", help="scene name or folder")
    video.add_argument("--out", type=Path, required=True, metavar="FILE.mp4")
    video.add_argument("--size", type=_size, default=(1280, 720), metavar="WxH",
                       help="frame size (default 1280x720)")
    video.add_argument("--seconds", type=_positive, default=10.0, metavar="N",
                       help="length in seconds (default 10)")
    video.add_argument("--fps", type=_positive, default=25.0, metavar="N",
                       help="frames per second (default 25)")
    video.add_argument("--from-review", action="store_true",
                       help="fly through the review's saved viewpoints instead of the scene's")
    video.add_argument("--lang", choices=["zh_CN", "en"], default="zh_CN",
                       help="language of labels and title (default zh_CN)")
    progress = sub.add_parser("progress", help="elements built on a date, planned vs actual",
                              description="Read the work schedule of each IFC model of the "
                              "scene and say which elements are built on a date (end of day, "
                              "China Standard Time), planned against actual.")
    progress.add_argument("scene", help="scene name or folder")
    progress.add_argument("--date", type=_day, required=True, metavar="YYYY-MM-DD")
    progress.add_argument("--json", action="store_true", help="print JSON")


def run(args: argparse.Namespace) -> int:
    """Run a ``review`` sub-command; return the exit status."""
    from twin_app.core.scene_loader import load_scene

    document = load_scene(args.scene)
    handler = {"export-bcf": _export, "import-bcf": _import, "report": _report,
               "video": _video, "progress": _progress}[args.review_command]
    return handler(document, args)


def _board(document: Any) -> Any:
    from twin_app.core.review_store import ReviewStore

    return ReviewStore(document.spec.id).load()


def _export(document: Any, args: argparse.Namespace) -> int:
    from twin_app.io.bcf import export_scene_bcf, model_frame_for_scene, schema_folder
    from twin_app.io.bcf.validate import BcfSchemaNotFoundError

    if args.out.suffix.lower() not in (".bcf", ".bcfzip"):
        raise InputError(f"--out {args.out} must end in .bcf or .bcfzip")
    validate = not args.no_validate
    if validate:
        try:
            schemas = str(schema_folder(args.version))
        except BcfSchemaNotFoundError as error:
            logger.warning("not validated: %s", error.one_line())
            validate, schemas = False, ""
    board = _board(document)
    export_scene_bcf(document, board.topics, args.out, version=args.version, validate=validate)
    checked = f"valid against the BCF {args.version} XSDs in {schemas}" if validate else (
        "not validated")
    sys.stdout.write(f"wrote {args.out}: BCF {args.version}, {len(board.topics)} topics, "
                     f"cameras in {model_frame_for_scene(document).description}; {checked}\n")
    return 0


def _import(document: Any, args: argparse.Namespace) -> int:
    from twin_app.core.review_store import ReviewStore
    from twin_app.io.bcf import import_scene_bcf

    if not args.file.is_file():
        raise InputError(f"{args.file} does not exist", hint="give a .bcf or .bcfzip file")
    result = import_scene_bcf(document, args.file)
    store = ReviewStore(document.spec.id)
    board = store.load()
    for topic in result.topics:
        board.add_topic(topic)
    store.save(board)
    sys.stdout.write(f"read {args.file}: BCF {result.version}, {len(result.topics)} topics "
                     f"(project {result.project_name or result.project_id or '-'}); the review "
                     f"of {document.spec.id} now has {len(board.topics)} topics\n")
    for topic in result.topics:
        sys.stdout.write(f"  [{topic.status}] {topic.title} ({len(topic.comments)} comments, "
                         f"{len(topic.viewpoints)} viewpoints)\n")
    for warning in result.warnings:
        sys.stdout.write(f"  warning: {warning}\n")
    return 0


def _report(document: Any, args: argparse.Namespace) -> int:
    from twin_app.core.construction import day_of
    from twin_app.core.fonts import find_cjk_font
    from twin_app.core.review import utc_now
    from twin_app.io.ifc.schedule import read_scene_schedules
    from twin_app.io.report_pdf import ReportImage, progress_tables, write_meeting_report

    if args.out.suffix.lower() != ".pdf":
        raise InputError(f"--out {args.out} must end in .pdf")
    spec = document.spec
    day = args.date or day_of(utc_now())
    board = _board(document)
    images = [ReportImage(v.name or f"viewpoint {v.guid[:8]}", v.snapshot)
              for v in board.viewpoints if v.snapshot]
    if args.overview:
        images.insert(0, ReportImage(f"{spec.name.zh} {spec.name.en}", _overview(document)))
    summary = write_meeting_report(
        args.out, scene_name=f"{spec.name.zh} {spec.name.en}", meeting_date=day,
        illustrative_note=f"{spec.illustrative_note.zh}\n{spec.illustrative_note.en}",
        author=args.author, topics=board.topics, images=images,
        tables=progress_tables(read_scene_schedules(document), day), font_path=find_cjk_font())
    sys.stdout.write(f"wrote {args.out}: {summary.pages} pages, {len(board.topics)} topics, "
                     f"{len(images)} snapshots (font {summary.font})\n")
    return 0


def _overview(document: Any) -> bytes:
    import tempfile

    from twin_app.render.offscreen import render_scene_png

    with tempfile.TemporaryDirectory() as folder:
        png = Path(folder) / "overview.png"
        render_scene_png(document, png, size=(1280, 720), language="zh_CN")
        return png.read_bytes()


def _video(document: Any, args: argparse.Namespace) -> int:
    from twin_app.core.review import CameraState
    from twin_app.render.video import export_flythrough

    if args.from_review:
        stops = [v.camera for v in _board(document).viewpoints]
        source = "the review's saved viewpoints"
    else:
        stops = [CameraState(position=v.position, focal_point=v.focal_point, up=v.up,
                             view_angle_deg=v.view_angle_deg) for v in document.spec.viewpoints]
        source = "the scene's viewpoints"
    if not stops:
        raise InputError(f"{source} of {document.spec.id} are none",
                         hint="add [[viewpoints]] to scene.toml or save views in the review")
    report = export_flythrough(document, stops, args.out, seconds=args.seconds, fps=args.fps,
                               size=args.size, language=args.lang)
    width, height = report.size
    sys.stdout.write(f"wrote {args.out}: {report.frames} frames {width}x{height} at "
                     f"{report.fps:g} fps through {len(stops)} stops of {source}; "
                     f"{report.ms_per_frame:.0f} ms per frame\n")
    return 0


def _progress(document: Any, args: argparse.Namespace) -> int:
    from twin_app.core.construction import BuildState
    from twin_app.io.ifc.schedule import read_scene_schedules

    schedules = read_scene_schedules(document)
    if not schedules:
        raise InputError(f"no IFC model of scene {document.spec.id} has a work schedule",
                         hint="add an IfcWorkSchedule with IfcTasks (see bim_assets/_schedule.py)")
    result = {"scene": document.spec.id, "date": args.date.isoformat(),
              "semantics": "end of day, China Standard Time", "assets": []}
    for asset_id, schedule in schedules.items():
        snapshot = schedule.progress_on(args.date)
        result["assets"].append({
            "asset": asset_id, "schedule": schedule.name,
            "status_date": schedule.status_date.isoformat() if schedule.status_date else None,
            "planned": snapshot.counts("planned"), "actual": snapshot.counts("actual"),
            "delta": snapshot.delta_counts(),
            "built": {"planned": snapshot.in_state(BuildState.BUILT, "planned"),
                      "actual": snapshot.in_state(BuildState.BUILT, "actual")},
            "tasks": [{k: (v.isoformat() if isinstance(v, date) else v) for k, v in r.items()}
                      for r in snapshot.task_rows()]})
    if args.json:
        sys.stdout.write(json.dumps(result, ensure_ascii=False, indent=2) + "\n")
        return 0
    lines = [f"{document.spec.id} on {args.date} ({result['semantics']})"]
    for entry in result["assets"]:
        planned, actual, delta = entry["planned"], entry["actual"], entry["delta"]
        lines += [f"{entry['asset']}: {entry['schedule']} (status date {entry['status_date']})",
                  f"  built:              planned {planned['built']:>4}  actual "
                  f"{actual['built']:>4}",
                  f"  under construction: planned {planned['under_construction']:>4}  actual "
                  f"{actual['under_construction']:>4}",
                  f"  not started:        planned {planned['not_started']:>4}  actual "
                  f"{actual['not_started']:>4}",
                  f"  ahead {delta['ahead']}, on plan {delta['on_plan']}, behind "
                  f"{delta['behind']}"]
        for row in entry["tasks"]:
            variance = row["finish_variance_days"]
            lines.append(f"  {row['task']:<7} {row['planned']:<18} {row['actual']:<18} "
                         f"{'' if variance is None else f'{variance:+d} d':>7}  {row['name']}")
    sys.stdout.write("\n".join(lines) + "\n")
    return 0

