"""``twin-app wall SCENE``: the command-centre video wall (指挥中心大屏)."""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path

from twin_app.core.errors import InputError

logger = logging.getLogger("twin_app")

COMMANDS = frozenset({"wall"})
EXIT_NO_DISPLAY = 3


def add_commands(commands: argparse._SubParsersAction) -> None:
    """Add the ``wall`` command to the parser."""
    wall = commands.add_parser(
        "wall", help="show a scene on the command-centre video wall",
        description="Show a scene full screen across one or more screens as tiles (3D scene, "
        "alarms, gauges, chart, rehearsal, clock, status), touring its viewpoints and jumping to "
        "raised alarms, unattended. No dialog ever opens: problems go to the status tile and "
        "the log. A remote control API (HTTP on loopback, token-protected) drives it.")
    wall.add_argument("scene", help="scene name or folder")
    wall.add_argument("--layout", type=Path, metavar="FILE",
                      help="wall layout (TOML; default resources/wall/default_layout.toml)")
    wall.add_argument("--screens", default="all", metavar="all|N[,M...]",
                      help="the screens to cover: all (default), or screen numbers from 0")
    wall.add_argument("--lang", choices=["zh_CN", "en"], default="zh_CN",
                      help="language of the wall (default zh_CN)")
    wall.add_argument("--control", metavar="HOST:PORT",
                      help="serve the remote control API here (e.g. 127.0.0.1:8765; port 0: any)")
    wall.add_argument("--token", metavar="TOKEN",
                      help="the API's token (default: $TWIN_APP_WALL_TOKEN, else one is "
                      "generated and logged; required beyond loopback)")
    wall.add_argument("--replay", metavar="EVENT",
                      help="play a recorded event of the scene (e.g. typhoon)")
    wall.add_argument("--replay-speed", type=float, default=600.0, metavar="X",
                      help="times real time (default 600)")
    wall.add_argument("--replay-loop", action="store_true",
                      help="start the event over when it ends (a demonstration wall)")
    wall.add_argument("--screenshot", type=Path, metavar="PNG",
                      help="save a screenshot of the whole wall once the scene is shown")
    wall.add_argument("--screenshot-delay", type=float, default=0.0, metavar="S",
                      help="wait this many seconds after the scene is shown before the shot")
    wall.add_argument("--quit-after-load", action="store_true",
                      help="quit once the scene is shown (with --screenshot: after saving)")


def run(args: argparse.Namespace) -> int:
    """Check the options, then show the wall; return the exit status."""
    from twin_app.core.scene_loader import load_scene
    from twin_app.core.wall_control import parse_address, resolve_token
    from twin_app.core.wall_layout import load_layout

    layout = load_layout(args.layout)
    load_scene(args.scene)  # a wrong name or a broken file stops here, with exit status 2
    if args.control:
        host, _ = parse_address(args.control)
        resolve_token(args.token, host)  # refuses a public address without a token, early
    if args.screenshot is not None:
        if args.screenshot.suffix.lower() != ".png":
            raise InputError(f"--screenshot {args.screenshot} must end in .png")
        if not args.screenshot.parent.exists():
            raise InputError(f"folder {args.screenshot.parent} does not exist",
                             hint="create it first")
    if not 0 < args.replay_speed <= 1e6:
        raise InputError("--replay-speed must be above 0 and at most 1000000")
    if args.screens.strip().lower() != "all" and not all(
            part.strip().isdigit() for part in args.screens.split(",")):
        raise InputError(f"--screens {args.screens!r} is not 'all' or screen numbers like 0,1")
    from twin_app.cli import display_problem

    problem = display_problem()
    if problem:
        sys.stderr.write(f"twin-app: {problem}; the wall needs a screen (try xvfb-run -s "
                         "'-screen 0 7680x2160x24' for a virtual one)\n")
        return EXIT_NO_DISPLAY
    from twin_app.qt.wall.app import WallOptions, run_wall

    return run_wall(WallOptions(
        scene=args.scene, layout=layout, screens=args.screens, language=args.lang,
        control=args.control, token=args.token, replay=args.replay,
        replay_speed=args.replay_speed, replay_loop=args.replay_loop,
        screenshot=args.screenshot, screenshot_delay_s=args.screenshot_delay,
        quit_after_load=args.quit_after_load))
