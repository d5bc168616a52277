"""The rehearsals of an open scene: runs started, results kept, which one is shown and how.

This is the domain state behind the rehearsal panel (the panel only shows it and calls it): a run
is started from plugin parameter values, polled until it ends, and its :class:`Playback` grows
frame by frame so the 3D scene can show it while it runs.  Finished run folders can be reopened.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Literal

from psygnal import Signal

from twin_app.core.errors import InputError
from twin_app.core.scene_loader import SceneDocument
from twin_app.sim.discovery import PluginRecord, find_plugin
from twin_app.sim.host import RehearsalRun, RunEvent, RunState
from twin_app.sim.playback import Playback
from twin_app.sim.scenario import rehearsal_from_values
from twin_app.sim.tables import ParamValue

logger = logging.getLogger(__name__)

Display = Literal["depth", "max_depth", "arrival", "difference", "off"]


class ComparisonError(InputError):
    """Two rehearsals cannot be shown side by side (the message says why and what to choose)."""


@dataclass
class RehearsalEntry:
    """One rehearsal: its run (while it goes), its playback and how it ended."""

    label: str
    plugin: str
    run: RehearsalRun | None = None
    playback: Playback | None = None
    state: str = RunState.PENDING
    message: str = ""
    fraction: float = 0.0
    summary: dict = field(default_factory=dict)

    @property
    def running(self) -> bool:
        """Whether the worker is still going."""
        return self.run is not None and not self.run.done


class RehearsalSession:
    """Rehearsals of one scene.

    Parameters
    ----------
    document : SceneDocument
        The open scene (its DEM, CRS and gauges).
    runs_dir : Path
        Where run folders go (one per run).
    """

    changed = Signal()
    """Something about the runs, the one shown or the display mode changed."""
    frame_added = Signal(int)
    """A frame of the active run arrived (its index)."""

    def __init__(self, document: SceneDocument, runs_dir: Path) -> None:
        self.document = document
        self.runs_dir = Path(runs_dir)
        self.entries: list[RehearsalEntry] = []
        self.active: int | None = None
        self.display: Display = "depth"
        self.compare_with: int | None = None
        self.side_by_side: tuple[int, int] | None = None
        """Rehearsals shown side by side (left, right), each in its own view; ``None``: one view."""

    # -- starting and following runs ------------------------------------------------------------

    def start(self, plugin_id: str, values: dict[str, ParamValue], *, duration_h: float,
              output_interval_min: float, start_time: datetime, label: str = "",
              timeout_s: float | None = None) -> RehearsalEntry:
        """Check the values and start a run in a worker process; it becomes the one shown.

        Raises
        ------
        twin_app.sim.scenario.ScenarioError
            If a value is unknown, out of bounds or in the wrong units (nothing is started).
        """
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%f")
        folder = self.runs_dir / self.document.spec.id / f"{plugin_id}-{stamp}"
        rehearsal = rehearsal_from_values(
            plugin_id, values, duration_h=duration_h, output_interval_min=output_interval_min,
            out_dir=folder, scene=self.document, start=start_time)
        entry = RehearsalEntry(label or f"{plugin_id} {start_time:%m-%d %H:%M}", plugin_id)
        depth, wet = depth_output_of(rehearsal.record)

        def follow(event: RunEvent) -> None:
            self._follow(entry, event, start_time, depth, wet)

        entry.run = RehearsalRun(rehearsal.record, rehearsal.config, timeout_s=timeout_s,
                                 on_event=follow)
        self.entries.append(entry)
        self.active = len(self.entries) - 1
        entry.run.start()
        self.changed.emit()
        return entry

    def _follow(self, entry: RehearsalEntry, event: RunEvent, start_time: datetime,
                depth_variable: str, wet_threshold_m: float) -> None:
        run = entry.run
        assert run is not None
        entry.state = event.state
        if event.kind == "initialized" and run.grid is not None:
            entry.playback = Playback(run.grid, start_time, depth_variable, wet_threshold_m,
                                      run.run_dir, entry.label)
        elif event.kind == "frame" and entry.playback is not None and event.frame is not None:
            entry.playback.add_frame(event.frame)
            if self.entries.index(entry) == self.active:
                self.frame_added.emit(event.frame.index)
        elif event.kind == "progress":
            entry.fraction = event.fraction
        elif event.kind == "finished":
            entry.message = event.message
            result = run.result
            entry.summary = dict(result.summary) if result is not None else {}
            logger.info("rehearsal %s %s: %s", entry.label, event.state, event.message)
        if event.kind != "frame":
            self.changed.emit()

    def poll(self) -> None:
        """Collect what the workers report (call often from the GUI thread)."""
        for entry in self.entries:
            if entry.running:
                entry.run.poll()

    def cancel(self) -> None:
        """Cancel the active run, if it is running."""
        entry = self.current
        if entry is not None and entry.running:
            entry.run.cancel()

    def shutdown(self) -> None:
        """Cancel every run still going (the scene closes)."""
        for entry in self.entries:
            if entry.running:
                entry.run.cancel()

    # -- what is shown --------------------------------------------------------------------------

    @property
    def current(self) -> RehearsalEntry | None:
        """The rehearsal shown."""
        return self.entries[self.active] if self.active is not None else None

    def show(self, index: int | None, display: Display | None = None) -> None:
        """Show rehearsal ``index`` (``None``: none) in a display mode."""
        self.active = index
        if display is not None:
            self.display = display
        self.changed.emit()

    def set_display(self, display: Display, compare_with: int | None = None) -> None:
        """Choose what is drawn: animated depth, a result map, or the difference to another run."""
        self.display = display
        self.compare_with = compare_with
        self.changed.emit()

    def compare_side_by_side(self, left: int, right: int) -> None:
        """Show rehearsal ``left`` and rehearsal ``right`` side by side on one clock.

        Raises
        ------
        ComparisonError
            If either is not in the list, both are the same, or one has no results yet (the
            comparison shown, if any, stays).
        """
        count = len(self.entries)
        for index in (left, right):
            if not 0 <= index < count:
                raise ComparisonError(f"there is no rehearsal number {index + 1} (the list has "
                                      f"{count})", hint="run or open two rehearsals first")
        if left == right:
            raise ComparisonError(f"{self.entries[left].label} cannot be compared with itself",
                                  hint="choose another run to compare it with")
        for index in (left, right):
            if self.entries[index].playback is None:
                raise ComparisonError(f"{self.entries[index].label} has no results yet",
                                      hint="wait for its first frame, or choose a finished run")
        self.side_by_side = (left, right)
        self.changed.emit()

    def end_side_by_side(self) -> None:
        """Go back to showing one rehearsal."""
        if self.side_by_side is not None:
            self.side_by_side = None
            self.changed.emit()

    def open_folder(self, folder: Path, plugin_id: str) -> RehearsalEntry:
        """Add a finished run folder to the list (reopened, not re-run)."""
        depth, wet = depth_output_of(find_plugin(plugin_id))
        playback = Playback.open(folder, depth, wet)
        entry = RehearsalEntry(playback.label, plugin_id, playback=playback,
                               state=RunState.SUCCEEDED)
        self.entries.append(entry)
        self.changed.emit()
        return entry


DEFAULT_DEPTH_VARIABLE = "surface_water__depth"
"""The depth variable of a plugin whose manifest names none."""


def depth_output_of(record: PluginRecord) -> tuple[str, float]:
    """Return the depth variable and wet threshold the plugin's manifest names."""
    outputs = record.manifest.outputs if record.manifest else None
    depth = (outputs.depth_variable if outputs else None) or DEFAULT_DEPTH_VARIABLE
    return depth, outputs.wet_threshold_m if outputs else 0.05
