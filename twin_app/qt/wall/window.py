"""The wall window: tiles on a grid over one or more screens, run unattended.

:class:`WallWindow` composes the same parts as the workstation window (a
:class:`~twin_app.core.workspace.Workspace`, a
:class:`~twin_app.telemetry.session.MonitoringSession`, scene views with a
:class:`~twin_app.render.live_overlay.LiveOverlay`) in tiles from a
:class:`~twin_app.core.wall_layout.WallLayout`.  One timer drives everything: the clock, the
replay, the tour and the refreshes.  Nothing here ever opens a dialog: problems go to the status
tile and the log.  Remote commands arrive through :mod:`twin_app.qt.wall.remote`.
"""

from __future__ import annotations

import logging
import time
from collections import deque
from datetime import UTC, datetime
from pathlib import Path

from qtpy.QtCore import QEvent, QRect, Qt, QTimer, Signal
from qtpy.QtWidgets import QGridLayout, QWidget

from twin_app.core.paths import rehearsal_runs_dir
from twin_app.core.scene_loader import SceneDocument
from twin_app.core.sensor_state import DisplayState
from twin_app.core.wall_layout import SEVERITIES, WallLayout
from twin_app.core.wall_tour import TourStep, ViewpointTour, tour_viewpoints, viewpoint_for_sensor
from twin_app.core.workspace import Workspace, item_id
from twin_app.qt.i18n import LanguageSwitcher
from twin_app.qt.loader import SceneLoadThread
from twin_app.qt.wall.gauges import ChartTile, GaugesTile
from twin_app.qt.wall.logs import WallLogHandler
from twin_app.qt.wall.none_guard import keep_none_alive
from twin_app.qt.wall.rehearsal import RehearsalTile
from twin_app.qt.wall.replay import WallReplay
from twin_app.qt.wall.theme import WallType, style_sheet
from twin_app.qt.wall.tiles import AlarmsTile, ClockTile, StatusTile, Tile, TitleTile
from twin_app.qt.wall.views import SceneTile, ViewTile
from twin_app.render.geometry import SceneGeometry
from twin_app.sim.loop import LoopError, RehearsalLoop
from twin_app.sim.session import RehearsalSession
from twin_app.telemetry.alarms.display import display_states_from_alarms
from twin_app.telemetry.alarms.errors import UnknownAlarmError
from twin_app.telemetry.alarms.state import AlarmEvent, AlarmState, Trigger
from twin_app.telemetry.session import MonitoringSession

logger = logging.getLogger(__name__)

TICK_MS = 200
MAX_MESSAGES = 20
TILE_CLASSES: dict[str, type[Tile]] = {
    "scene": SceneTile, "rehearsal": RehearsalTile, "alarms": AlarmsTile, "gauges": GaugesTile,
    "chart": ChartTile, "clock": ClockTile, "status": StatusTile, "title": TitleTile,
}


class WallWindow(QWidget):
    """The command-centre wall.

    Parameters
    ----------
    layout : WallLayout
        Tiles, tour, refresh and theme.
    language : str
        ``"zh_CN"`` (the wall's default) or ``"en"``.
    height : int
        The wall's height in pixels, which sets the type sizes (the window's if 0).
    """

    scene_shown = Signal(str)
    """Emitted with the scene id once a scene is drawn on the wall."""
    scene_failed = Signal(str)
    """Emitted with the reason when a scene cannot be opened (the old one stays)."""
    view_moved = Signal(str, str)
    """Emitted with the viewpoint id and the reason (tour, operator, alarm) when the view moves."""
    message = Signal(str)
    """Emitted (queued, from any thread) with a problem to show on the status tile."""
    _alarm_batch = Signal(object)
    _values_changed = Signal()

    def __init__(self, layout: WallLayout, language: str = "zh_CN", height: int = 1080) -> None:
        super().__init__(None)
        keep_none_alive()
        self.setObjectName("wallWindow")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.layout_spec = layout
        self.language = language
        self.sizes = WallType.for_height(height, layout.theme)
        self.setStyleSheet(style_sheet(layout.theme, self.sizes))
        self.workspace = Workspace(language=language)
        self.session: MonitoringSession | None = None
        self.rehearsal: RehearsalLoop | None = None
        """The rehearsal the rehearsal tile plays (a scene is shown and the layout has one)."""
        self.tour: ViewpointTour | None = None
        self.remote = None
        self.replay = WallReplay(self)
        self.switcher: LanguageSwitcher | None = None
        """The installed translation (kept alive as long as the wall)."""
        self.target = QRect()
        """The area the wall covers (see :meth:`place`)."""
        self.full_screen = False
        self._loader: SceneLoadThread | None = None
        self._started = time.monotonic()
        self._last_tick = time.monotonic()
        self._since = {"values": 0.0, "tiles": 0.0, "second": 0.0}
        self._dirty = {"values": False, "tiles": False}
        self.tiles: list[Tile] = []
        self.messages: deque[str] = deque(maxlen=MAX_MESSAGES)
        self.opened_scenes: dict[str, str] = {}
        """Scenes shown so far, id to the name or folder they were opened from."""
        self.moves = 0
        """How many times the view has moved (tour, operator, alarm), over all scenes."""
        self._log_handler = WallLogHandler(self.message)
        logging.getLogger("twin_app").addHandler(self._log_handler)
        self._build_grid()
        self.scene_tile: SceneTile = next(t for t in self.tiles if isinstance(t, SceneTile))
        self.status_tiles = [t for t in self.tiles if isinstance(t, StatusTile)]
        self.message.connect(self._show_message, Qt.ConnectionType.QueuedConnection)
        self._alarm_batch.connect(self._on_alarms, Qt.ConnectionType.QueuedConnection)
        self._values_changed.connect(self._mark_values, Qt.ConnectionType.QueuedConnection)
        self.workspace.clock.events.time.connect(self._on_clock_time)
        self._timer = QTimer(self)
        self._timer.setInterval(TICK_MS)
        self._timer.timeout.connect(self._on_tick)
        self._timer.start()
        self.setCursor(Qt.CursorShape.BlankCursor)
        self.retranslate()

    # -- construction -------------------------------------------------------------------------

    def _build_grid(self) -> None:
        grid = QGridLayout(self)
        gap = max(2, round(self.layout_spec.grid.gap_px * self.sizes.body / 22))
        grid.setContentsMargins(gap, gap, gap, gap)
        grid.setSpacing(gap)
        for column, weight in enumerate(self.layout_spec.grid.columns):
            grid.setColumnStretch(column, round(weight * 100))
        for row, weight in enumerate(self.layout_spec.grid.rows):
            grid.setRowStretch(row, round(weight * 100))
        for spec in self.layout_spec.tiles:
            tile = TILE_CLASSES[spec.kind](spec, self)
            grid.addWidget(tile, spec.row, spec.column, spec.row_span, spec.column_span)
            self.tiles.append(tile)

    def place(self, rect: QRect, full_screen: bool) -> None:
        """Cover ``rect`` (one screen full screen, or several without a frame)."""
        self.setWindowFlag(Qt.WindowType.FramelessWindowHint, True)
        self.setGeometry(rect)
        if full_screen:
            self.showFullScreen()
        else:
            self.show()

    # -- language -----------------------------------------------------------------------------

    def retranslate(self) -> None:
        """Set every text in the wall's language."""
        self.setWindowTitle(self.tr("Flood command centre wall"))
        for tile in self.tiles:
            tile.retranslate()

    def changeEvent(self, event: QEvent) -> None:
        """Re-read texts when the language changes."""
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    # -- scenes -------------------------------------------------------------------------------

    @property
    def loading(self) -> bool:
        """Whether a scene is being loaded."""
        return self._loader is not None

    def open_scene(self, scene: str) -> None:
        """Load ``scene`` (a name or folder) in the background; the shown scene stays meanwhile."""
        if self._loader is not None:
            self._loader.cancel()
            self._loader.wait()
        loader = SceneLoadThread(scene, self)
        loader.loaded.connect(self._on_loaded)
        loader.failed.connect(self._on_failed)
        loader.cancelled.connect(self._finish_loading)
        loader.finished.connect(loader.deleteLater)
        self._loader = loader
        for tile in self.tiles:
            if isinstance(tile, ViewTile):
                tile.freeze(True)  # no VTK on this thread while the worker builds geometry
        logger.info("wall: loading scene %s", scene)
        loader.start()

    def _finish_loading(self) -> None:
        self._loader = None
        for tile in self.tiles:
            if isinstance(tile, ViewTile):
                tile.freeze(False)

    def _on_failed(self, reason: str) -> None:
        self._finish_loading()
        self.report(self.tr("Scene not opened: {reason}").format(reason=reason))
        self.scene_failed.emit(reason)

    def _on_loaded(self, geometry: SceneGeometry) -> None:
        self._finish_loading()
        self._drop_scene()
        document = geometry.document
        spec = document.spec
        self.opened_scenes[spec.id] = str(document.folder)
        self.workspace.open(document)
        self.session = MonitoringSession(spec, self.workspace.live, self.workspace.clock)
        self.session.transitions.connect(self._on_transitions)
        self.workspace.live.changed.connect(self._on_readings)
        self.rehearsal = self._rehearsal_loop(document)
        for tile in self.tiles:
            if isinstance(tile, ViewTile):
                tile.show_geometry(geometry, self._alarm_display_states)
        tour_spec = self.layout_spec.tour
        viewpoints, missing = tour_viewpoints(spec, tour_spec.viewpoints)
        if missing:
            self.report(self.tr("The tour's viewpoints {ids} are not in this scene").format(
                ids=", ".join(missing)))
        self.tour = ViewpointTour(viewpoints, tour_spec.interval_s, paused=tour_spec.start_paused,
                                  alarm_hold_s=tour_spec.alarm_hold_s)
        for tile in self.tiles:
            tile.scene_changed()
        step = self.tour.start()
        self._apply_step(step) if step else self.scene_tile.show_viewpoint(spec.viewpoint())
        self.replay.scene_opened()
        self.refresh_all()
        logger.info("wall: scene %s shown", spec.id)
        QTimer.singleShot(0, lambda: self.scene_shown.emit(spec.id))

    def _drop_scene(self) -> None:
        if self.session is not None:
            self.session.transitions.disconnect(self._on_transitions)
        if self.workspace.live is not None:
            self.workspace.live.changed.disconnect(self._on_readings)
        for tile in self.tiles:
            if isinstance(tile, ViewTile):
                tile.drop_scene()
        if self.rehearsal is not None:
            self.rehearsal.close()
        self.session = None
        self.rehearsal = None
        self.tour = None

    def _rehearsal_loop(self, document: SceneDocument) -> RehearsalLoop | None:
        """Return the loop the layout's rehearsal tile plays (``None`` if it has none in 3D)."""
        specs = [t for t in self.layout_spec.tiles_of("rehearsal") if t.mode == "view"]
        if not specs:
            return None
        spec = specs[0]
        return RehearsalLoop(RehearsalSession(document, rehearsal_runs_dir()),
                             loop_s=spec.loop_s, fps=spec.fps, rescan_s=spec.rescan_s)

    def start_rehearsal(self, scenario_id: str | None = None) -> str:
        """Run a scene scenario for the rehearsal tile (default: the tile's, else the first).

        Returns
        -------
        str
            The scenario's id.

        Raises
        ------
        twin_app.sim.loop.LoopError
            If there is no rehearsal tile in 3D or no scene, a run is going, or the scenario
            is unknown.
        twin_app.sim.scenario.ScenarioError
            If the scenario's parameters do not fit its plugin.
        """
        if self.rehearsal is None:
            raise LoopError("this wall shows no rehearsal (its layout has no rehearsal tile "
                            "in view mode, or no scene is shown yet)")
        specs = self.layout_spec.tiles_of("rehearsal")
        wanted = scenario_id or (specs[0].scenario if specs else None)
        entry = self.rehearsal.start(wanted, self.workspace.clock.time, self.language)
        logger.info("wall: rehearsal %s started", entry.label)
        return self.rehearsal.source.scenario.id

    # -- values and refresh -------------------------------------------------------------------

    def _on_readings(self, *_: object) -> None:
        """Note new readings (any thread): redraw soon."""
        self._values_changed.emit()

    def _on_transitions(self, events: tuple[AlarmEvent, ...]) -> None:
        """Alarm transitions (any thread): handled on the GUI thread.

        psygnal probes ``MonitoringSession.transitions.emit`` with a dummy ``1`` when a session
        connects a new engine; anything but a batch of events is ignored.
        """
        if isinstance(events, tuple | list):
            self._alarm_batch.emit(list(events))

    def _mark_values(self) -> None:
        self._dirty["values"] = self._dirty["tiles"] = True

    def _on_clock_time(self, *_: object) -> None:
        if self.workspace.clock.mode == "history":
            self._dirty["values"] = self._dirty["tiles"] = True

    def _alarm_display_states(self) -> dict[str, DisplayState]:
        if self.session is None:
            return {}
        return display_states_from_alarms(self.session.engine.active())

    def refresh_all(self) -> None:
        """Redraw every tile and both 3D views now."""
        self._refresh_values()
        self._refresh_tiles()

    def _refresh_values(self) -> None:
        self._dirty["values"] = False
        self._since["values"] = 0.0
        for tile in self.tiles:
            if isinstance(tile, ViewTile):
                tile.refresh_values()

    def _refresh_tiles(self) -> None:
        self._dirty["tiles"] = False
        self._since["tiles"] = 0.0
        for tile in self.tiles:
            tile.refresh()

    def _on_tick(self) -> None:
        now = time.monotonic()
        elapsed, self._last_tick = now - self._last_tick, now
        self.workspace.clock.tick(elapsed)
        if self.session is not None:
            self.replay.tick()
            self.session.advance()
        if self.remote is not None:
            self.remote.run_pending()
        if self.tour is not None and not self.loading and \
                (step := self.tour.tick(elapsed)) is not None:
            self._apply_step(step)
        if self.rehearsal is not None and not self.loading and self.rehearsal.tick(elapsed):
            for tile in self.tiles:
                if isinstance(tile, RehearsalTile):
                    tile.show_rehearsal()
        for key in self._since:
            self._since[key] += elapsed
        refresh = self.layout_spec.refresh
        if self.isVisible() and self.session is not None and not self.loading:
            if (self._dirty["values"] and self._since["values"] >= refresh.values_s) or \
                    self._since["values"] >= refresh.stale_s:
                self._refresh_values()
            if (self._dirty["tiles"] and self._since["tiles"] >= refresh.tiles_s) or \
                    self._since["tiles"] >= refresh.stale_s:
                self._refresh_tiles()
        if self._since["second"] >= 1.0:
            self._since["second"] = 0.0
            for tile in self.tiles:
                tile.tick()
            if self.remote is not None:
                self.remote.publish()

    # -- the view -----------------------------------------------------------------------------

    def _apply_step(self, step: TourStep) -> None:
        if self.loading:
            return  # the new scene's tour starts when it is shown
        self.scene_tile.show_viewpoint(step.viewpoint)
        self.moves += 1
        logger.info("wall: view to %s (%s)", step.viewpoint.id, step.reason)
        self.view_moved.emit(step.viewpoint.id, step.reason)

    def _on_alarms(self, events: list[AlarmEvent]) -> None:
        """Alarm transitions (on the GUI thread): update the list; jump to a raised alarm."""
        for tile in self.tiles:
            if isinstance(tile, AlarmsTile):
                tile.refresh()
        tour_spec = self.layout_spec.tour
        if self.tour is None or self.session is None or not tour_spec.jump_on_alarm:
            return
        floor = SEVERITIES.index(tour_spec.alarm_min_severity) + 1
        raised = [e for e in events if e.to_state is AlarmState.UNACKNOWLEDGED
                  and e.trigger is Trigger.ACTIVATE and e.severity >= floor]
        if not raised:
            return
        event = max(raised, key=lambda e: (e.severity, e.time))
        try:
            viewpoint = viewpoint_for_sensor(
                self.session.scene, event.sensor_id, mapping=tour_spec.alarm_viewpoints,
                radius_m=tour_spec.alarm_radius_m,
                closeup_distance_m=tour_spec.closeup_distance_m)
        except KeyError as error:
            logger.warning("wall: %s", error)
            return
        step = self.tour.focus_alarm(viewpoint, event.key, event.severity)
        if step is not None:
            self._apply_step(step)
            self.scene_tile.highlight(item_id("sensor", event.sensor_id))

    def go_to_viewpoint(self, viewpoint_id: str) -> str:
        """Show a viewpoint of the tour now; return its id (KeyError if there is none)."""
        if self.tour is None:
            raise KeyError("no scene is shown yet")
        step = self.tour.go_to(viewpoint_id)
        self._apply_step(step)
        return step.viewpoint.id

    def step_tour(self, direction: int) -> str | None:
        """Show the next (1) or previous (-1) viewpoint now; return its id."""
        if self.tour is None:
            return None
        step = self.tour.next() if direction > 0 else self.tour.previous()
        if step is None:
            return None
        self.scene_tile.highlight(None)
        self._apply_step(step)
        return step.viewpoint.id

    # -- problems -----------------------------------------------------------------------------

    def report(self, text: str) -> None:
        """Log a problem; the wall's log handler shows it on the status tile (never a dialog)."""
        logger.warning("%s", text)

    def _show_message(self, text: str) -> None:
        self.messages.appendleft(text)
        for tile in self.status_tiles:
            tile.add_message(text)

    def alarm_title(self, key: str) -> str:
        """Return an alarm's sensor and name in the wall's language (its key if unknown)."""
        document = self.workspace.document
        if self.session is None or document is None:
            return key
        try:
            definition = self.session.engine.definition(key)
        except UnknownAlarmError:
            return key
        sensor = next((s for s in document.spec.sensors if s.id == definition.sensor_id), None)
        name = sensor.name.text(self.language) if sensor is not None else definition.sensor_id
        return f"{name} {definition.name.text(self.language)}"

    @property
    def replaying(self) -> str | None:
        """The event being replayed, or ``None``."""
        return self.replay.replaying

    def uptime_s(self) -> float:
        """Seconds since the wall started."""
        return time.monotonic() - self._started

    def frames(self) -> int:
        """Frames the 3D tiles have asked for."""
        return sum(t.frames for t in self.tiles if isinstance(t, ViewTile))

    def save_screenshot(self, path: Path) -> None:
        """Write the whole wall as a PNG."""
        self.refresh_all()
        self.grab().save(str(path))
        logger.info("wall: saved screenshot %s at %s", path, datetime.now(UTC).isoformat())

    def closeEvent(self, event: QEvent) -> None:
        """Stop the timer, the loader, the remote and the feeds; release the 3D views."""
        self._timer.stop()
        logging.getLogger("twin_app").removeHandler(self._log_handler)
        if self._loader is not None:
            self._loader.cancel()
            self._loader.wait()
        if self.remote is not None:
            self.remote.stop()
        self._drop_scene()
        for tile in self.tiles:
            if isinstance(tile, ViewTile):
                tile.close_view()
        super().closeEvent(event)

