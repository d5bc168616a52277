"""The Qt side of the wall's remote control: run API commands on the GUI thread, build status.

The HTTP server and the command routing live in :mod:`twin_app.core.wall_control` (no Qt);
:class:`WallRemote` wakes the GUI thread when a command is queued and carries it out on the
:class:`~twin_app.qt.wall.window.WallWindow`.
"""

from __future__ import annotations

import logging
import os
from typing import TYPE_CHECKING, Any

from qtpy.QtCore import QObject, Qt, Signal

from twin_app.core.errors import TwinAppError
from twin_app.core.scene_loader import available_scenes
from twin_app.core.wall_control import CommandQueue, ControlError, StatusSnapshot, WallCommand
from twin_app.core.wall_http import WallControlServer
from twin_app.qt.timebar import SHANGHAI
from twin_app.sim.loop import LoopError, UnknownScenarioError
from twin_app.telemetry.alarms.errors import AlarmError, UnknownAlarmError
from twin_app.telemetry.alarms.state import AlarmState

if TYPE_CHECKING:
    from twin_app.qt.wall.window import WallWindow

logger = logging.getLogger(__name__)

REMOTE_USER = "wall-remote"
MAX_LISTED_ALARMS = 50
TRUE_TEXTS = ("1", "true", "yes", "on")


class WallRemote(QObject):
    """Serves the control API for one wall.

    Parameters
    ----------
    wall : WallWindow
        The wall to drive.
    token : str
        The token requests must carry.
    host, port : str, int
        Where to listen (port 0: any free port).
    """

    _wake = Signal()

    def __init__(self, wall: WallWindow, token: str, host: str, port: int) -> None:
        super().__init__(wall)
        self.wall = wall
        self.commands = CommandQueue(notify=self._wake.emit)
        self._wake.connect(self.run_pending, Qt.ConnectionType.QueuedConnection)
        self.snapshot = StatusSnapshot()
        self.server = WallControlServer(self.commands, token, host, port, status=self.snapshot)
        self.url = ""

    def start(self) -> str:
        """Listen; return the API's URL (raises InputError if the address cannot be used)."""
        self.server.start()
        self.url = self.server.url
        self.wall.remote = self
        self.publish()
        return self.url

    def publish(self) -> None:
        """Publish the wall's status for ``GET /status`` (GUI thread, about once a second)."""
        self.snapshot.publish(wall_status(self.wall))

    def stop(self) -> None:
        """Stop listening; queued commands fail with 503."""
        self.server.stop()

    def run_pending(self) -> int:
        """Carry out the queued commands (GUI thread); publish the status after any."""
        done = self.commands.run_pending(self.execute)
        if done:
            self.publish()
        return done

    def execute(self, command: WallCommand) -> dict[str, Any]:
        """Carry out one command; return its result (JSON-ready).

        Raises
        ------
        ControlError
            404 for an unknown viewpoint, scene, event or alarm; 409 when not possible now.
        """
        wall, args = self.wall, command.args
        if command.name == "status":
            return wall_status(wall)
        if wall.tour is None and command.name in ("next", "previous", "goto", "pause", "resume"):
            raise ControlError(409, "no scene is shown yet")
        if wall.loading and command.name in ("next", "previous", "goto"):
            raise ControlError(409, "a scene is loading; try again in a moment")
        if command.name in ("next", "previous"):
            return {"viewpoint": wall.step_tour(1 if command.name == "next" else -1)}
        if command.name == "goto":
            try:
                return {"viewpoint": wall.go_to_viewpoint(args.get("viewpoint", ""))}
            except KeyError as error:
                raise ControlError(404, str(error.args[0])) from None
        if command.name == "pause":
            wall.tour.pause()
            return wall.tour.status()
        if command.name == "resume":
            wall.tour.resume()
            return wall.tour.status()
        if command.name == "scene":
            return self._switch_scene(args.get("scene", ""))
        if command.name == "acknowledge":
            return self._acknowledge(args)
        if command.name == "replay":
            return self._replay(args)
        if command.name == "rehearse":
            return self._rehearse(args)
        raise ControlError(404, f"unknown command {command.name!r}")

    def _switch_scene(self, scene: str) -> dict[str, Any]:
        known = known_scenes(self.wall)
        if scene not in known:
            raise ControlError(404, f"no scene {scene!r}; available: {', '.join(sorted(known))}")
        self.wall.open_scene(known[scene])
        return {"loading": scene}

    def _acknowledge(self, args: dict[str, str]) -> dict[str, Any]:
        session = self.wall.session
        if session is None:
            raise ControlError(409, "no scene is shown yet")
        user = args.get("user") or REMOTE_USER
        waiting = (AlarmState.UNACKNOWLEDGED, AlarmState.RTN_UNACKNOWLEDGED)
        if args.get("all", "").lower() in TRUE_TEXTS:
            keys = [s.key for s in session.engine.active() if s.state in waiting]
        elif args.get("key"):
            keys = [args["key"]]
        else:
            raise ControlError(400, "give key=SENSOR/alarm or all=true")
        for key in keys:
            try:
                session.engine.acknowledge(key, user=user, comment="wall remote control")
            except UnknownAlarmError as error:
                raise ControlError(404, error.one_line()) from None
            except AlarmError as error:
                raise ControlError(409, error.one_line()) from None
        self.wall.refresh_all()
        return {"acknowledged": keys}

    def _replay(self, args: dict[str, str]) -> dict[str, Any]:
        try:
            speed = float(args.get("speed") or self.wall.replay.speed)
        except ValueError:
            raise ControlError(400, f"speed {args.get('speed')!r} is not a number") from None
        if not 0 < speed <= 1e6:
            raise ControlError(400, "speed must be above 0 and at most 1e6")
        try:
            self.wall.replay.start(args.get("event", ""), speed,
                                   loop=args.get("loop", "").lower() in TRUE_TEXTS)
        except KeyError as error:
            raise ControlError(404, str(error.args[0])) from None
        return self.wall.replay.status()


    def _rehearse(self, args: dict[str, str]) -> dict[str, Any]:
        wall = self.wall
        if wall.loading:
            raise ControlError(409, "a scene is loading; try again in a moment")
        try:
            scenario = wall.start_rehearsal(args.get("scenario") or None)
        except UnknownScenarioError as error:
            raise ControlError(404, error.one_line()) from None
        except LoopError as error:
            raise ControlError(409, error.one_line()) from None
        except TwinAppError as error:
            raise ControlError(400, error.one_line()) from None
        return {"started": scenario, **wall.rehearsal.status()}


def known_scenes(wall: WallWindow) -> dict[str, str]:
    """Return the scenes the remote may open: those on the search path and those shown before.

    A remote names a scene by id; it can never make the wall open an arbitrary folder.
    """
    known = {name: name for name in available_scenes()}
    known.update(wall.opened_scenes)
    return known


def wall_status(wall: WallWindow) -> dict[str, Any]:
    """Return the wall's state (JSON-ready): scene, view, clock, alarms, health."""
    document = wall.workspace.document
    clock = wall.workspace.clock
    statuses = wall.session.engine.active() if wall.session is not None else []
    alarms = [{
        "key": s.key, "sensor": s.definition.sensor_id,
        "name": s.definition.name.text(wall.language), "severity": int(s.severity),
        "state": s.state.value, "value": s.value,
        "raised_at": s.raised_at.astimezone(SHANGHAI).isoformat() if s.raised_at else None,
    } for s in statuses[:MAX_LISTED_ALARMS]]
    geometry = wall.geometry()
    return {
        "scene": document.spec.id if document is not None else None,
        "scene_name": document.spec.name.text(wall.language) if document is not None else None,
        "loading": wall.loading,
        "tour": wall.tour.status() if wall.tour is not None else None,
        "viewpoints": [v.id for v in document.spec.viewpoints] if document is not None else [],
        "clock": {"time": clock.time.astimezone(SHANGHAI).isoformat(), "mode": clock.mode,
                  "playing": clock.playing, "speed": clock.speed},
        "replay": wall.replay.status(),
        "rehearsal": wall.rehearsal.status() if wall.rehearsal is not None else None,
        "alarms": {"active": len(statuses),
                   "unacknowledged": sum(s.state is AlarmState.UNACKNOWLEDGED for s in statuses),
                   "list": alarms},
        "window": {"x": geometry.x(), "y": geometry.y(), "width": geometry.width(),
                   "height": geometry.height()},
        "messages": list(wall.messages),
        "uptime_s": round(wall.uptime_s(), 1),
        "frames": wall.frames(),
        "pid": os.getpid(),
    }
