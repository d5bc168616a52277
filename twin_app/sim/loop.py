"""The latest rehearsal of a scene, played on a loop: what the command-centre wall shows.

A :class:`RehearsalLoop` keeps one :class:`~twin_app.sim.session.RehearsalSession` with at most
one rehearsal in it: the newest run folder of the scene under the runs folder (written by the
workstation's rehearsal panel or by the wall itself), or a run the wall was asked to start.  A
run that is going is followed frame by frame as the worker writes it; a finished one plays on a
loop of ``loop_s`` wall-clock seconds, at most ``fps`` distinct frames a second.  The loop owns a
clock of its own (:attr:`RehearsalLoop.clock`, in history mode at the shown frame's time) for
the render layer's :class:`~twin_app.render.rehearsal_overlay.RehearsalOverlay`; the wall's own
clock (live data, a replay) is never moved by it.

Opening a run folder reads every frame once (the maximum-depth map and the figures below), about
a second for 300 frames: that happens in a worker thread, never on the caller's.

The figures of a frame (:class:`twin_app.sim.playback.WetSummary`) count the water that was not
there at the run's first frame: the flooded area is the area of nodes wet at the frame and dry at
the first one, and the peak depth the deepest water on those nodes.  (Rivers, docks and the sea
are wet from the start; their depth says nothing about flooding.)
"""

from __future__ import annotations

import json
import logging
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from twin_app.core.clock import AppClock
from twin_app.core.errors import TwinAppError
from twin_app.core.scene import LocalizedText, ScenarioSpec
from twin_app.sim.discovery import find_plugin
from twin_app.sim.host import GRID_NAME, RunState
from twin_app.sim.outputs import FRAMES_FOLDER
from twin_app.sim.playback import Playback, WetSummary
from twin_app.sim.session import RehearsalEntry, RehearsalSession, depth_output_of

logger = logging.getLogger(__name__)

CONFIG_NAME = "run_config.json"
FAILED_STATES = (RunState.FAILED, RunState.TIMED_OUT, RunState.CANCELLED)


class LoopError(TwinAppError):
    """The loop cannot do what was asked now (a run is going, nothing to show it on)."""


class UnknownScenarioError(LoopError):
    """The scene has no such scenario (or none at all): name one of those it lists."""


@dataclass(frozen=True)
class RunSource:
    """A rehearsal the loop may show: its folder, plugin and scenario (when one matches)."""

    folder: Path
    plugin: str
    scenario: ScenarioSpec | None
    duration_s: float


@dataclass
class _Loaded:
    """A finished or partial run folder opened in the worker thread."""

    source: RunSource
    playback: Playback
    figures: dict[int, WetSummary]


def depth_output(plugin_id: str) -> tuple[str, float]:
    """Return the depth variable and wet threshold a plugin's manifest names.

    Raises
    ------
    twin_app.sim.discovery.PluginError
        If the plugin is not installed.
    """
    return depth_output_of(find_plugin(plugin_id))


def matching_scenario(config: dict[str, Any], scenarios: list[ScenarioSpec]
                      ) -> ScenarioSpec | None:
    """Return the scene scenario a run was made from: same plugin, duration and parameters.

    A run keeps every parameter (defaults filled in); a scenario names some of them.
    """
    parameters = config.get("parameters", {})
    for scenario in scenarios:
        if scenario.plugin != config.get("plugin"):
            continue
        if abs(scenario.duration_h * 3600.0 - float(config.get("duration_s", -1))) > 1.0:
            continue
        if all(parameters.get(name) == value for name, value in scenario.parameters.items()):
            return scenario
    return None


def run_folders(runs_dir: Path, scene_id: str) -> list[Path]:
    """Return the scene's run folders that have a map grid and frames, newest first."""
    folder = Path(runs_dir).resolve() / scene_id
    if not folder.is_dir():
        return []
    found = []
    for run in folder.iterdir():
        config = run / CONFIG_NAME
        grid = run / GRID_NAME
        if not (config.is_file() and grid.is_file()):
            continue
        try:
            if json.loads(grid.read_text(encoding="utf-8")).get("plane", "map") != "map":
                continue  # a seepage section: nothing to draw on the map
        except (OSError, ValueError):
            continue
        if _frame_count(run) == 0:
            continue
        found.append((config.stat().st_mtime, run))
    return [run for _, run in sorted(found, reverse=True)]


def describe_run(folder: Path, scenarios: list[ScenarioSpec]) -> RunSource:
    """Return what a run folder holds: plugin, scenario and length (from its configuration).

    Raises
    ------
    LoopError
        If the configuration cannot be read.
    """
    try:
        config = json.loads((folder / CONFIG_NAME).read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise LoopError(f"{folder / CONFIG_NAME} cannot be read: {error}",
                        hint="re-run the rehearsal") from None
    return RunSource(folder=folder, plugin=str(config.get("plugin", "")),
                     scenario=matching_scenario(config, scenarios),
                     duration_s=float(config.get("duration_s", 0.0)))


def open_run(source: RunSource) -> _Loaded:
    """Open a run folder and read every frame once: maximum depth and figures (worker thread)."""
    depth, wet = depth_output(source.plugin)
    playback = Playback.open(source.folder, depth, wet, label=source.folder.name)
    playback.max_depth()  # folded here, not on the GUI thread when the colour scale needs it
    figures = {i: playback.wet_summary(i) for i in range(len(playback.frames))}
    return _Loaded(source, playback, figures)


class RehearsalLoop:
    """The one rehearsal a wall shows, on a loop.

    Parameters
    ----------
    session : RehearsalSession
        The scene's session (the loop keeps at most one rehearsal in it).
    loop_s : float
        Wall-clock seconds one pass of a finished run takes.
    fps : float
        Distinct frames a second at most (each one is a 3D redraw).
    rescan_s : float
        How often to look for a newer run folder of the scene.
    """

    def __init__(self, session: RehearsalSession, loop_s: float = 60.0, fps: float = 2.0,
                 rescan_s: float = 30.0) -> None:
        self.session = session
        self.loop_s = float(loop_s)
        self.fps = float(fps)
        self.rescan_s = float(rescan_s)
        self.clock = AppClock(mode="history")
        """The shown frame's time (the overlay draws the frame at this time)."""
        self.source: RunSource | None = None
        self.index: int | None = None
        self.loops = 0
        """How many times a finished run has started over."""
        self.opened = 0
        """How many run folders have been opened and shown."""
        self.frames_shown = 0
        """How many times the frame to draw has changed."""
        self.problem = ""
        self._figures: dict[int, WetSummary] = {}
        self._phase = 0.0
        self._since_scan = float("inf")  # look at once
        self._loading: Future[_Loaded] | None = None
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="rehearsal-loop")

    # -- what is shown --------------------------------------------------------------------------

    @property
    def entry(self) -> RehearsalEntry | None:
        """The rehearsal shown (``None``: there is none yet)."""
        return self.session.current

    @property
    def playback(self) -> Playback | None:
        """Its frames."""
        entry = self.entry
        return entry.playback if entry is not None else None

    @property
    def running(self) -> bool:
        """Whether the shown rehearsal is still being computed."""
        entry = self.entry
        return entry is not None and entry.running

    @property
    def state(self) -> str:
        """``"none"``, ``"loading"``, ``"starting"``, ``"running"`` or ``"looping"``."""
        if self.entry is None:
            return "loading" if self._loading is not None else "none"
        if self.running:
            return "running" if self.index is not None else "starting"
        return "looping" if self.index is not None else "none"

    def name(self) -> LocalizedText | None:
        """Return the shown rehearsal's scenario name (its folder's name if no scenario matches)."""
        if self.source is None:
            return None
        if self.source.scenario is not None:
            return self.source.scenario.name
        label = self.entry.label if self.entry is not None else self.source.folder.name
        return LocalizedText(zh=label, en=label)

    def figures(self) -> WetSummary | None:
        """Return the shown frame's figures."""
        return self._figures.get(self.index) if self.index is not None else None

    def run_maximum(self) -> WetSummary | None:
        """Return the largest flooded area and peak depth over the frames so far."""
        if not self._figures:
            return None
        frames = self._figures.values()
        last = max(frames, key=lambda f: f.index)
        return WetSummary(index=last.index, time_s=last.time_s,
                          flooded_peak_m=max(f.flooded_peak_m for f in frames),
                          flooded_area_m2=max(f.flooded_area_m2 for f in frames),
                          wet_peak_m=max(f.wet_peak_m for f in frames),
                          wet_area_m2=max(f.wet_area_m2 for f in frames))

    def shown_time(self) -> datetime | None:
        """Clock time of the shown frame (the run's start plus its model time)."""
        playback = self.playback
        if playback is None or self.index is None:
            return None
        return playback.time_of(self.index)

    # -- starting -------------------------------------------------------------------------------

    def scenario(self, scenario_id: str | None = None) -> ScenarioSpec:
        """Return the scene's scenario ``scenario_id`` (default: its first).

        Raises
        ------
        UnknownScenarioError
            If the scene has no such scenario, or none at all.
        """
        scenarios = self.session.document.spec.scenarios
        if not scenarios:
            raise UnknownScenarioError(
                f"scene {self.session.document.spec.id!r} has no scenarios",
                hint="add [[scenarios]] to its scene.toml")
        if not scenario_id:
            return scenarios[0]
        for scenario in scenarios:
            if scenario.id == scenario_id:
                return scenario
        raise UnknownScenarioError(
            f"scene {self.session.document.spec.id!r} has no scenario {scenario_id!r}; it has: "
            f"{', '.join(s.id for s in scenarios)}")

    def start(self, scenario_id: str | None, start_time: datetime, language: str = "zh_CN"
              ) -> RehearsalEntry:
        """Run a scene scenario in a worker process; it is shown as it runs, then looped.

        Raises
        ------
        LoopError
            If a run is going already (UnknownScenarioError: the scenario is unknown).
        twin_app.sim.scenario.ScenarioError
            If its parameters do not fit the plugin (nothing is started).
        """
        if self.running:
            raise LoopError("a rehearsal is running already; wait for it to finish")
        scenario = self.scenario(scenario_id)
        entry = self.session.start(  # raises before anything changes if the values are bad
            scenario.plugin, dict(scenario.parameters), duration_h=scenario.duration_h,
            output_interval_min=scenario.output_interval_min, start_time=start_time,
            label=scenario.name.text(language))
        self._forget(keep=entry)
        run_dir = Path(entry.run.config.run_dir)
        self.source = RunSource(run_dir, scenario.plugin, scenario, scenario.duration_h * 3600)
        logger.info("rehearsal loop: started %s in %s", scenario.id, run_dir)
        return entry

    # -- time -----------------------------------------------------------------------------------

    def tick(self, elapsed_s: float) -> bool:
        """Advance by ``elapsed_s`` wall-clock seconds; return whether the frame to draw changed.

        Collects what a running worker wrote, takes a newer run folder once it is opened, and
        looks for one every ``rescan_s``.
        """
        self.session.poll()
        self._adopt_loaded()
        self._note_failure()
        self._since_scan += elapsed_s
        if self._since_scan >= self.rescan_s and self._loading is None and not self.running:
            self._since_scan = 0.0
            self._look_for_newer()
        playback = self.playback
        if playback is None or not playback.frames:
            return self._show(None)
        self._add_figures(playback)
        if self.running:
            return self._show(len(playback.frames) - 1)
        return self._show(self._looped_index(len(playback.frames), elapsed_s))

    def _note_failure(self) -> None:
        entry = self.entry
        if entry is not None and entry.state in FAILED_STATES:
            self._report(f"the rehearsal {entry.label} ended {entry.state}: {entry.message}")

    def _looped_index(self, frames: int, elapsed_s: float) -> int:
        self._phase += elapsed_s
        if self._phase >= self.loop_s:
            self.loops += int(self._phase // self.loop_s)
            self._phase %= self.loop_s
        steps = max(1, min(frames, round(self.loop_s * self.fps)))
        step = min(steps - 1, int(self._phase / self.loop_s * steps))
        return step * (frames - 1) // max(steps - 1, 1)

    def _show(self, index: int | None) -> bool:
        if index == self.index:
            return False
        self.index = index
        self.frames_shown += 1
        playback = self.playback
        if index is not None and playback is not None:
            self.clock.time = playback.time_of(index)
        return True

    def _add_figures(self, playback: Playback) -> None:
        """Work out the figures of frames that arrived since the last tick (a running run)."""
        if len(self._figures) == len(playback.frames):
            return
        for index in range(len(playback.frames)):
            if index not in self._figures:
                self._figures[index] = playback.wet_summary(index)
        playback.max_depth()  # fold the new frames now: one read each, not all at the end

    # -- run folders ----------------------------------------------------------------------------

    def _look_for_newer(self) -> None:
        spec = self.session.document.spec
        try:
            folders = run_folders(self.session.runs_dir, spec.id)
        except OSError as error:
            self._report(f"the rehearsal runs folder cannot be read: {error}")
            return
        if not folders:
            return
        newest = folders[0]
        shown = self.source.folder if self.source is not None else None
        frames = len(self.playback.frames) if self.playback is not None else 0
        if newest == shown and frames == _frame_count(newest):
            return
        try:
            source = describe_run(newest, spec.scenarios)
        except LoopError as error:
            self._report(error.one_line())
            return
        self._loading = self._executor.submit(open_run, source)

    def _adopt_loaded(self) -> None:
        future = self._loading
        if future is None or not future.done():
            return
        self._loading = None
        try:
            loaded = future.result()
        except (TwinAppError, OSError, ValueError, KeyError) as error:
            self._report(f"a rehearsal could not be opened: {error}")
            return
        if self.running:
            return  # a run started meanwhile is shown instead
        self._forget()
        entry = RehearsalEntry(loaded.source.folder.name, loaded.source.plugin,
                               playback=loaded.playback, state=RunState.SUCCEEDED)
        self.session.entries.append(entry)
        self.session.show(0)
        self.source = loaded.source
        self._figures = loaded.figures
        self.problem = ""
        self.opened += 1
        logger.info("rehearsal loop: showing %s (%d frames)", loaded.source.folder,
                    len(loaded.playback.frames))

    def _forget(self, keep: RehearsalEntry | None = None) -> None:
        """Drop the rehearsal shown: the session keeps only ``keep`` (the one to show next)."""
        self.session.entries[:] = [keep] if keep is not None else []
        self.session.active = 0 if keep is not None else None
        self.source, self.index = None, None
        self._figures = {}
        self._phase = 0.0

    def _report(self, text: str) -> None:
        if text != self.problem:
            self.problem = text
            logger.warning("rehearsal loop: %s", text)

    def rescan_now(self) -> None:
        """Look for a newer run folder at the next tick."""
        self._since_scan = float("inf")

    def close(self) -> None:
        """Cancel a run still going and stop the worker thread (the scene closes)."""
        self.session.shutdown()
        self._executor.shutdown(wait=False, cancel_futures=True)

    def status(self) -> dict[str, Any]:
        """Return what the loop shows (JSON-ready)."""
        figures = self.figures()
        name = self.name()
        entry = self.entry
        return {
            "state": self.state,
            "scenario": self.source.scenario.id if self.source and self.source.scenario
            else None,
            "name": name.text("zh_CN") if name is not None else None,
            "run_dir": str(self.source.folder) if self.source is not None else None,
            "frames": len(self.playback.frames) if self.playback is not None else 0,
            "frame": self.index,
            "fraction": round(entry.fraction, 3) if entry is not None else 0.0,
            "model_time_h": round(figures.time_s / 3600, 2) if figures else None,
            "peak_depth_m": round(figures.flooded_peak_m, 3) if figures else None,
            "flooded_area_m2": round(figures.flooded_area_m2, 1) if figures else None,
            "loops": self.loops,
            "opened": self.opened,
            "problem": self.problem or None,
        }


def _frame_count(folder: Path) -> int:
    """Return the frames written whole in a run folder (not those being written)."""
    return sum(1 for path in (folder / FRAMES_FOLDER).glob("frame_*.npz")
               if not path.name.endswith(".part.npz"))
