"""The ``twin-app`` command: open the main window, render off-screen, describe a scene.

Every sub-command has ``--help``.  Bad input ends with a one-line reason on stderr and a non-zero
exit status: 2 for a bad command line or scene, 3 when a window is asked for and there is no
display, 1 for anything else the app reports.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from types import ModuleType

from twin_app import __version__
from twin_app.core.errors import InputError, TwinAppError

logger = logging.getLogger("twin_app")

DEFAULT_SCENE = "xinchuansha"
EXIT_ERROR, EXIT_USAGE, EXIT_NO_DISPLAY = 1, 2, 3


def _size(text: str) -> tuple[int, int]:
    try:
        width, height = (int(part) for part in text.lower().split("x"))
    except ValueError:
        msg = f"size {text!r} is not WIDTHxHEIGHT, e.g. 1920x1080"
        raise argparse.ArgumentTypeError(msg) from None
    if not (16 <= width <= 16384 and 16 <= height <= 16384):
        raise argparse.ArgumentTypeError(f"size {text!r} is outside 16..16384 pixels")
    return width, height


def _command_modules() -> list[ModuleType]:
    """Return the modules that add sub-commands (each has COMMANDS, add_commands and run)."""
    from twin_app.cli import bim, forecast, review, seepage, sim, telemetry, wall

    return [telemetry, bim, sim, wall, review, forecast, seepage]


def build_parser() -> argparse.ArgumentParser:
    """Return the command-line parser."""
    parser = argparse.ArgumentParser(
        prog="twin-app",
        description="Digital twin of Shanghai's flood-control works. "
        "With no command, opens the main window on the default scene.",
    )
    parser.add_argument("--version", action="version", version=f"twin-app {__version__}")
    parser.add_argument("-v", "--verbose", action="store_true", help="log progress to stderr")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    open_cmd = commands.add_parser("open", help="open the main window on a scene",
                                   description="Open the main window on a scene.")
    open_cmd.add_argument("scene", nargs="?", default=None,
                          help=f"scene name or folder (default: {DEFAULT_SCENE})")
    open_cmd.add_argument("--viewpoint", help="start from this named viewpoint")
    open_cmd.add_argument("--lang", choices=["zh_CN", "en"],
                          help="interface language (default: saved choice, else system locale)")
    open_cmd.add_argument("--mqtt", metavar="URL",
                          help="take live readings from this broker (e.g. mqtt://127.0.0.1:1883)")
    open_cmd.add_argument("--replay", metavar="EVENT",
                          help="play a recorded event of the scene (e.g. typhoon) once it is shown")
    open_cmd.add_argument("--screenshot", type=Path, metavar="PNG",
                          help="save a screenshot of the window once the scene is shown")
    open_cmd.add_argument("--quit-after-load", action="store_true",
                          help="quit once the scene is shown (with --screenshot: after saving)")

    render = commands.add_parser("render", help="render a scene to PNG with no display",
                                 description="Render a scene off-screen (EGL) to a PNG file.")
    render.add_argument("scene", help="scene name or folder")
    render.add_argument("--out", type=Path, required=True, metavar="FILE.png",
                        help="PNG file to write")
    render.add_argument("--size", type=_size, default=(1920, 1080), metavar="WxH",
                        help="image size in pixels (default 1920x1080)")
    render.add_argument("--viewpoint", help="named viewpoint (default: the scene's default)")
    render.add_argument("--lang", choices=["zh_CN", "en"], default="zh_CN",
                        help="language of labels (default zh_CN)")

    info = commands.add_parser("info", help="describe what a scene holds",
                               description="Print a scene's CRS, datum, extent, assets, "
                               "sensors, scenarios and viewpoints.")
    info.add_argument("scene", help="scene name or folder")
    info.add_argument("--json", action="store_true", help="print JSON")
    info.add_argument("--lang", choices=["zh_CN", "en"], default="en",
                      help="language of names (default en)")
    for module in _command_modules():
        module.add_commands(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit status."""
    parser = build_parser()
    args = parser.parse_args(argv)
    logging.basicConfig(
        level=logging.INFO if args.verbose else logging.WARNING,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    command = args.command or "open"
    try:
        if command == "info":
            return _info(args)
        if command == "render":
            return _render(args)
        for module in _command_modules():
            if command in module.COMMANDS:
                return module.run(args)
        return _open(args)
    except TwinAppError as error:
        sys.stderr.write(f"twin-app: error: {error.one_line()}\n")
        return EXIT_USAGE if _is_input_error(error) else EXIT_ERROR
    except KeyError as error:
        sys.stderr.write(f"twin-app: error: {error.args[0]}\n")
        return EXIT_USAGE


def _is_input_error(error: TwinAppError) -> bool:
    from twin_app.core.errors import InputError, SceneFileError, SceneNotFoundError

    return isinstance(error, SceneFileError | SceneNotFoundError | InputError)


def _info(args: argparse.Namespace) -> int:
    from twin_app.core.scene_loader import load_scene
    from twin_app.io.scene_summary import format_summary, summarize_scene

    summary = summarize_scene(load_scene(args.scene), language=args.lang)
    if args.json:
        sys.stdout.write(json.dumps(summary, ensure_ascii=False, indent=2) + "\n")
    else:
        sys.stdout.write(format_summary(summary) + "\n")
    return 0


def _render(args: argparse.Namespace) -> int:
    from twin_app.core.scene_loader import load_scene
    from twin_app.render.offscreen import render_scene_png

    document = load_scene(args.scene)
    out: Path = args.out
    if out.suffix.lower() != ".png":
        raise InputError(f"--out {out} must end in .png")
    if not out.parent.exists():
        raise InputError(f"folder {out.parent} does not exist", hint="create it first")
    report = render_scene_png(document, out, size=args.size, viewpoint=args.viewpoint,
                              language=args.lang)
    sys.stdout.write(
        f"wrote {out} ({args.size[0]}x{args.size[1]}; geometry {report.build_s:.2f} s, "
        f"render {report.render_s:.2f} s)\n"
    )
    return 0


def display_problem() -> str | None:
    """Return why no window can be opened here, or ``None`` if one can."""
    platform = os.environ.get("QT_QPA_PLATFORM", "")
    if platform.startswith(("offscreen", "minimal")):
        return f"QT_QPA_PLATFORM={platform} cannot show a 3D window"
    if sys.platform.startswith("linux") and not (
        os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")
    ):
        return "no display found (DISPLAY is not set)"
    return None


def _open(args: argparse.Namespace) -> int:
    problem = display_problem()
    if problem:
        sys.stderr.write(
            f"twin-app: {problem}; run 'xvfb-run make run' for a virtual screen, "
            "or render off-screen with 'twin-app render SCENE --out view.png'\n"
        )
        return EXIT_NO_DISPLAY
    from twin_app.qt.app import run_app

    return run_app(
        scene=getattr(args, "scene", None),
        viewpoint=getattr(args, "viewpoint", None),
        language=getattr(args, "lang", None),
        screenshot=getattr(args, "screenshot", None),
        replay=getattr(args, "replay", None),
        mqtt=getattr(args, "mqtt", None),
        quit_after_load=getattr(args, "quit_after_load", False),
    )


if __name__ == "__main__":
    raise SystemExit(main())
