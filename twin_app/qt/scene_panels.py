"""The main window's panels of rehearsal, forecast, plans and review (预演 · 预报 · 预案).

:class:`ScenePanels` creates the three docks, attaches them to each scene the window opens (a
:class:`~twin_app.sim.session.RehearsalSession`, the review board, the plan library), draws the
rehearsal and ensemble results on the scene at the clock's time, and answers the hydrograph probe.
The main window only forwards scene loads, clicks and ticks to it.
"""

from __future__ import annotations

import logging
import os
from typing import TYPE_CHECKING, Any

from qtpy.QtCore import QObject, Qt

from twin_app.core.paths import rehearsal_runs_dir
from twin_app.qt.outlook_dock import OutlookDock
from twin_app.qt.rehearsal_dock import RehearsalDock
from twin_app.qt.review_dock import ReviewDock
from twin_app.qt.side_by_side import SideBySide
from twin_app.render.flood_layer import FloodLayer
from twin_app.render.geometry import SceneGeometry
from twin_app.render.rehearsal_overlay import RehearsalOverlay
from twin_app.sim.sdk import GridInfo
from twin_app.sim.session import RehearsalSession
from twin_app.telemetry.snapshot import store_from_live
from twin_app.telemetry.store import SensorCatalog, open_store

if TYPE_CHECKING:
    from twin_app.qt.main_window import MainWindow

logger = logging.getLogger(__name__)

PROBABILITY_LAYER = "probability"


class ScenePanels(QObject):
    """Rehearsal, forecast-and-plans and review docks of one main window.

    Parameters
    ----------
    window : MainWindow
        The window (its workspace, plotter, view and monitoring session).
    """

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        workspace = window.workspace
        self.review_dock = ReviewDock(workspace, window)
        self.rehearsal_dock = RehearsalDock(workspace, window)
        self.outlook_dock = OutlookDock(workspace, window)
        window.addDockWidget(Qt.DockWidgetArea.LeftDockWidgetArea, self.review_dock)
        window.tabifyDockWidget(window.properties_dock, self.review_dock)
        window.properties_dock.raise_()
        for dock in (self.rehearsal_dock, self.outlook_dock):
            window.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, dock)
            window.tabifyDockWidget(window.alarm_dock, dock)
        window.alarm_dock.raise_()
        self.rehearsals: RehearsalSession | None = None
        self.overlay: RehearsalOverlay | None = None
        self.probability: FloodLayer | None = None
        self.probing = False
        self.dirty = False
        self.side_by_side = SideBySide(window)  # the 3D area: one view, or two runs compared
        self.rehearsal_dock.probe_toggled.connect(self._set_probing)
        self.outlook_dock.plan_rehearsed.connect(self._show_plan)
        self.outlook_dock.probability_ready.connect(self._show_probability)
        workspace.clock.events.time.connect(self.mark_dirty)

    def docks(self) -> tuple[Any, ...]:
        """Return the docks (for the View menu)."""
        return self.rehearsal_dock, self.outlook_dock, self.review_dock

    def retranslate(self) -> None:
        """Set every text in the current language."""
        for dock in self.docks():
            dock.retranslate()
        self.side_by_side.retranslate()

    # -- scenes ---------------------------------------------------------------------------------

    def detach(self) -> None:
        """Let go of the scene shown (runs still going are cancelled)."""
        self.side_by_side.leave()
        self.rehearsal_dock.attach(None)
        self.outlook_dock.attach(None)
        self.review_dock.attach(None)
        if self.overlay is not None:
            self.overlay.clear()
        if self.probability is not None:
            self.probability.remove()
        self.rehearsals, self.overlay, self.probability = None, None, None

    def attach(self, geometry: SceneGeometry) -> None:
        """Work on the scene just shown."""
        window = self.window
        document = geometry.document
        self.rehearsals = RehearsalSession(document, rehearsal_runs_dir())
        self.overlay = RehearsalOverlay(window.view, self.rehearsals, window.workspace.clock)
        self.rehearsals.changed.connect(self.mark_dirty)
        self.rehearsals.frame_added.connect(self.mark_dirty)
        self.rehearsal_dock.attach(self.rehearsals)
        self.review_dock.attach(window.view, geometry.schedules)
        self.outlook_dock.attach(self.open_shown_store, rehearsal_runs_dir())

    def mark_dirty(self, *_: object) -> None:
        """Note that the rehearsal shown must be drawn again."""
        self.dirty = True

    def refresh(self) -> None:
        """Draw the rehearsal at the clock's time if something changed (called on each tick)."""
        if self.dirty and self.overlay is not None and self.window.isVisible():
            self.dirty = False
            if not self.side_by_side.follow(self.rehearsals, self.overlay):
                self.overlay.refresh()

    def open_shown_store(self) -> Any:
        """Return an open store with what the window shows (for forecasts, from any thread).

        With a live feed, the store it writes to; while a recorded event plays (which never
        writes to the durable store), a snapshot of the event up to the clock's time.
        """
        window = self.window
        spec = window.workspace.document.spec
        catalog = SensorCatalog.from_scene(spec)
        if window.mqtt_url:
            return open_store(os.environ.get("TWIN_APP_STORE"), catalog=catalog)
        path = rehearsal_runs_dir() / spec.id / "shown-readings.db"
        url = store_from_live(spec, window.workspace.live, window.workspace.clock.time, path)
        return open_store(url, catalog=catalog)

    # -- results on the scene -------------------------------------------------------------------

    def _show_plan(self, comparison: Any) -> None:
        """Put a plan's two runs in the rehearsal panel, shown as their difference."""
        if self.rehearsals is None or not comparison.ok:
            return
        without = self.rehearsals.open_folder(comparison.run_dirs["without"], comparison.plugin)
        with_plan = self.rehearsals.open_folder(comparison.run_dirs["with"], comparison.plugin)
        entries = self.rehearsals.entries
        without.label = f"{comparison.plan.id}: without"
        with_plan.label = f"{comparison.plan.id}: with"
        self.rehearsals.show(entries.index(with_plan))
        self.rehearsals.set_display("difference", compare_with=entries.index(without))
        self.rehearsal_dock.raise_()

    def _show_probability(self, aggregate: Any) -> None:
        """Drape an ensemble's probability of flooding on the terrain."""
        window = self.window
        if window.view is None:
            return
        grid = aggregate.grid
        info = GridInfo(shape=tuple(grid["shape"]), spacing=tuple(grid["spacing"]),
                        origin=tuple(grid["origin"]), crs=grid.get("crs", "EPSG:4549"))
        if self.probability is not None:
            self.probability.remove()
        ground = self.overlay.ground_for(info) if self.overlay is not None else None
        self.probability = FloodLayer(window.plotter, info, window.view.geometry.frame, ground,
                                      name=PROBABILITY_LAYER)
        title = self.window.tr("P(depth > {threshold} m)").format(
            threshold=aggregate.threshold_m)
        self.probability.show_map("probability", aggregate.probability_wet, title, (0.0, 1.0))
        window.plotter.render()

    # -- the probe ------------------------------------------------------------------------------

    def _set_probing(self, on: bool) -> None:
        self.probing = on

    def probe_at(self, x: int, y: int) -> bool:
        """Chart the shown rehearsal's depth over time at display position (x, y)."""
        entry = self.rehearsals.current if self.rehearsals is not None else None
        view = self.window.view
        if entry is None or entry.playback is None or view is None:
            return False
        hit = view.pick(x, y)
        if hit is None:
            return False
        easting, northing, _ = view.geometry.frame.local_to_map(hit.local)
        self.rehearsal_dock.show_hydrograph(entry.playback.hydrograph(easting, northing))
        return True
