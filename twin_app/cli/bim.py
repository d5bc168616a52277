"""``twin-app bim ...``: BIM (IFC) tools.

``bim inspect FILE.ifc`` describes a file and times its loads; the report comes from
:mod:`twin_app.io.ifc.inspect`, and :func:`format_report` prints it as text.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
from pathlib import Path
from typing import Any

logger = logging.getLogger("twin_app")

COMMANDS = frozenset({"bim"})


def _positive(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of seconds") from None
    if value <= 0:
        raise argparse.ArgumentTypeError(f"{text!r} must be more than 0 seconds")
    return value


def add_commands(commands: argparse._SubParsersAction) -> None:
    """Add the ``bim`` command and its sub-commands to the parser."""
    bim = commands.add_parser("bim", help="BIM (IFC) model tools",
                              description="BIM (IFC) model tools.")
    sub = bim.add_subparsers(dest="bim_command", metavar="COMMAND", required=True)
    inspect = sub.add_parser(
        "inspect", help="describe an IFC file and time its cold and warm loads",
        description="Load an IFC file through the app's pipeline and print its schema, "
        "authoring tool, element counts by class, shapes and triangles, georeferencing, "
        "bounding box, skipped elements and the cold (cache bypassed) and warm (from the "
        "cache the cold load wrote, in a temporary folder) load times. Exit status 1 with "
        "the reason on stderr if the file cannot be read.")
    inspect.add_argument("file", type=Path, metavar="FILE.ifc", help="the IFC file")
    inspect.add_argument("--json", action="store_true", help="print JSON (stable keys)")
    inspect.add_argument("--scene", metavar="SCENE",
                         help="give the bounding box in this scene's CRS and relative to its "
                         "origin (default: the model's own CRS, or local coordinates)")
    inspect.add_argument("--no-cache", action="store_true",
                         help="cold load only: no cache read or written, no warm time")
    inspect.add_argument("--timeout", type=_positive, default=600.0, metavar="SECONDS",
                         help="time-out for the whole file (default 600)")
    inspect.add_argument("--element-timeout", type=_positive, default=60.0, metavar="SECONDS",
                         help="time after which one element is declared hung and skipped "
                         "(default 60)")


def run(args: argparse.Namespace) -> int:
    """Run a ``bim`` sub-command; return the exit status."""
    from twin_app.io.ifc.inspect import inspect_ifc

    report = inspect_ifc(args.file, scene=args.scene, use_cache=not args.no_cache,
                         timeout_s=args.timeout, element_timeout_s=args.element_timeout)
    if args.json:
        sys.stdout.write(json.dumps(report, ensure_ascii=False, indent=2) + "\n")
    else:
        sys.stdout.write(format_report(report) + "\n")
    return 0


def _xyz(values: list[float | None] | None, digits: int = 3) -> str:
    if values is None:
        return "-"
    return "(" + ", ".join("?" if v is None else f"{v:,.{digits}f}" for v in values) + ")"


def _seconds(value: float | None) -> str:
    return "-" if value is None else f"{value:.3f} s"


def format_report(report: dict[str, Any]) -> str:
    """Return the report as readable text.

    Parameters
    ----------
    report : dict
        The output of :func:`twin_app.io.ifc.inspect.inspect_ifc`.

    Returns
    -------
    str
        Several lines, without a final newline.
    """
    lines = [f"file:        {report['file']} ({report['size_bytes']:,} bytes)",
             f"schema:      {report['schema']}"]
    authoring = report["authoring"]
    lines.append(f"written by:  {authoring['tool'] or '(header names no tool)'}"
                 f"  [FILE_NAME originating_system: {authoring['originating_system'] or '-'}; "
                 f"preprocessor: {authoring['preprocessor_version'] or '-'}]")
    for app in authoring["applications"]:
        lines.append(f"  IfcApplication: {app['name']} {app['version'] or ''} "
                     f"(identifier {app['identifier']}, developer {app['developer']})")
    if not authoring["applications"]:
        lines.append("  IfcApplication: none in the file")
    counts = report["counts"]
    lines.append(f"elements:    {counts['elements']:,} (spatial structure: "
                 + (", ".join(f"{n} {c}" for c, n in counts["spatial_by_class"].items())
                    or "none") + ")")
    lines += [f"  {name:<32} {number:>7,}" for name, number in counts["by_class"].items()]
    lines.append(f"shapes:      {counts['shapes']:,} placed, {counts['unique_representations']:,} "
                 f"unique representations; triangles {counts['triangles']:,} drawn, "
                 f"{counts['unique_triangles']:,} unique")
    lines += _georef_lines(report["georeference"])
    lines += _box_lines(report["bounding_box"])
    skipped = report["skipped"]
    lines.append(f"skipped:     {len(skipped)} element(s)"
                 + (f"; {counts['without_geometry']} with a representation but no body geometry"
                    if counts["without_geometry"] else ""))
    lines += [f"  {s['ifc_class']} {s['global_id']} ({s['name'] or 'no name'}): {s['reason']}"
              for s in skipped]
    lines += [f"warning:     {text}" for text in report["warnings"]]
    timings = report["timings"]
    speedup = timings["warm_speedup"]
    lines.append(f"load:        cold {_seconds(timings['cold_s'])} (cache bypassed; worker start "
                 f"{timings['worker_start_s']:.3f} s, parse {timings['parse_s']:.3f} s, "
                 f"tessellate {timings['tessellate_s']:.3f} s, peak "
                 f"{timings['worker_peak_rss_mb']:.0f} MiB)")
    if timings["warm_s"] is None:
        lines.append("             warm - (cache not used)")
    else:
        lines.append(f"             warm {_seconds(timings['warm_s'])} (from the cache the cold "
                     f"load wrote; {speedup:.0f}x faster)")
    return "\n".join(lines)


def _georef_lines(georef: dict[str, Any]) -> list[str]:
    if not georef["found"]:
        return ["georef:      none (no IfcMapConversion, IfcRigidOperation or "
                "ePSet_MapConversion)"]
    lines = [f"georef:      {georef['source']} to {georef['crs'] or '(no EPSG code)'} "
             f"({georef['crs_name']})",
             f"  eastings {georef['eastings']:,.3f}, northings {georef['northings']:,.3f}, "
             f"orthogonal height {georef['orthogonal_height']:,.3f}",
             f"  rotation {georef['rotation_deg']:.6f} deg (x axis {georef['x_axis_abscissa']:g},"
             f" {georef['x_axis_ordinate']:g}); scale {georef['scale']:g}"
             + ("" if georef["scale_given"] else " (omitted)")
             + f", applied {georef['applied_scale']:g} map unit per project unit "
             f"(project unit {georef['project_unit_m']:g} m, map unit {georef['map_unit_m']:g} m)"]
    if georef["vertical_datum"] or georef["geodetic_datum"]:
        lines.append(f"  datums: geodetic {georef['geodetic_datum'] or '-'}, vertical "
                     f"{georef['vertical_datum'] or '-'}")
    lines += [f"  warning: {text}" for text in georef["warnings"]]
    return lines


def _box_lines(box: dict[str, Any]) -> list[str]:
    where = {"local": "local coordinates", "model map": f"map coordinates, {box['crs']}",
             "scene": f"scene {box['scene']!r}, {box['crs']}"}[box["coordinates"]]
    lines = [f"bounds:      {where}: {box['note']}"]
    if box["min"] is not None:
        lines += [f"  min {_xyz(box['min'])}", f"  max {_xyz(box['max'])}",
                  f"  size {_xyz(box['size'])} m"]
    if box["min_local"] is not None:
        lines.append(f"  relative to the scene origin {_xyz(box['origin'])}: "
                     f"min {_xyz(box['min_local'])}, max {_xyz(box['max_local'])}")
    lines += [f"  warning: {text}" for text in box["warnings"]]
    return lines
