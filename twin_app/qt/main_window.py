"""The main window: the 3D view in the middle, the scene tree and properties docked beside it."""

from __future__ import annotations

import logging
import os
import time
from pathlib import Path
from typing import Any

from qtpy.QtCore import QEvent, QSettings, Qt, QTimer, Signal
from qtpy.QtGui import QAction, QActionGroup, QKeySequence
from qtpy.QtWidgets import (
    QFileDialog,
    QInputDialog,
    QLabel,
    QMainWindow,
    QMessageBox,
    QProgressBar,
    QPushButton,
)

from twin_app.core.errors import TwinAppError
from twin_app.core.scene_loader import available_scenes
from twin_app.core.sensor_state import DisplayState
from twin_app.core.workspace import Workspace
from twin_app.io.ifc import prestart_worker
from twin_app.io.timeseries import read_csv
from twin_app.qt import profile_dock, section_dock, terrain_tools
from twin_app.qt.about import show_about
from twin_app.qt.alarm_dock import AlarmDock
from twin_app.qt.bim_toolbar import BimToolBar
from twin_app.qt.chart import ChartDock
from twin_app.qt.cursor import CursorReadout
from twin_app.qt.docks import LayerTreeDock, PropertiesDock
from twin_app.qt.feed_dock import FeedStatusDock
from twin_app.qt.i18n import SETTINGS_KEY, LanguageSwitcher
from twin_app.qt.interactor import SceneInteractor
from twin_app.qt.loader import SceneLoadThread
from twin_app.qt.scene_panels import ScenePanels
from twin_app.qt.timebar import TimeBar
from twin_app.render.bim_tools import BimTools
from twin_app.render.geometry import SceneGeometry
from twin_app.render.live_overlay import LiveOverlay
from twin_app.render.view import SceneView, add_scene_title
from twin_app.telemetry.alarms.display import display_states_from_alarms
from twin_app.telemetry.mqtt import MqttFeed
from twin_app.telemetry.session import MonitoringSession
from twin_app.telemetry.store import SensorCatalog, open_store

logger = logging.getLogger(__name__)

TICK_MS = 100
STORE_ENV = "TWIN_APP_STORE"
"""Names the store live readings go to (a URL); the user's data folder's SQLite file if unset."""
STALENESS_REFRESH_S = 10.0
MIN_REFRESH_INTERVAL_S = 0.05
"""Shortest gap between two refreshes driven by arriving data (the GUI stays responsive)."""
RECENT_KEY = "scenes/recent"
MAX_RECENT = 8
CLICK_TOLERANCE_PX = 4


class MainWindow(QMainWindow):
    """The workstation window.

    Parameters
    ----------
    settings : QSettings
        Where layout, recent scenes and the language persist.
    switcher : LanguageSwitcher
        The installed translation, already set to the start language.
    """

    scene_shown = Signal(str)
    """Emitted with the scene id once a scene's first frame is rendered."""
    scene_failed = Signal(str)
    """Emitted with the reason when a scene cannot be opened."""
    _values_changed = Signal()
    """Emitted (from any thread) when new readings arrive; queued to the GUI thread."""

    def __init__(self, settings: QSettings, switcher: LanguageSwitcher) -> None:
        super().__init__()
        self.setObjectName("mainWindow")
        self.settings = settings
        self.switcher = switcher
        self.workspace = Workspace(language=switcher.language)
        self.view: SceneView | None = None
        self._loader: SceneLoadThread | None = None
        self._press: tuple[int, int] | None = None
        self._error_box: QMessageBox | None = None
        # auto_update off: the window renders when something changes, not five times a second
        self.plotter = SceneInteractor(self)
        self.setCentralWidget(self.plotter.interactor)
        self.tree_dock = LayerTreeDock(self.workspace, self)
        self.properties_dock = PropertiesDock(self.workspace, self)
        self.chart_dock = ChartDock(self.workspace, self)
        self.alarm_dock = AlarmDock(self)
        self.feed_dock = FeedStatusDock(self)
        self.feed_dock.hide()
        self.mqtt_url: str | None = None
        self.session: MonitoringSession | None = None
        self.time_bar = TimeBar(self.workspace, self)
        self.addDockWidget(Qt.DockWidgetArea.LeftDockWidgetArea, self.tree_dock)
        self.addDockWidget(Qt.DockWidgetArea.LeftDockWidgetArea, self.properties_dock)
        self.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, self.chart_dock)
        self.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, self.alarm_dock)
        self.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, self.feed_dock)
        self.addToolBar(Qt.ToolBarArea.BottomToolBarArea, self.time_bar)
        self.panels = ScenePanels(self)
        self.bim_toolbar = BimToolBar(self.workspace, self)
        self.addToolBar(Qt.ToolBarArea.TopToolBarArea, self.bim_toolbar)
        self.bim_tools: BimTools | None = None
        self.tree_dock.fly_to_requested.connect(self.fly_to)
        self.tree_dock.menu_requested.connect(
            lambda item, where: self.bim_toolbar.element_menu(item, where, self))
        self.bim_toolbar.measured.connect(
            lambda result: self.statusBar().showMessage(result.summary(
                self.workspace.document.spec.vertical_datum.name.text(self.workspace.language)
                if self.workspace.document else "", self.workspace.language)))
        self.overlay: LiveOverlay | None = None
        self._overlay_dirty = False
        self._last_tick = time.monotonic()
        self._since_refresh = 0.0
        self._tick_timer = QTimer(self)
        self._tick_timer.setInterval(TICK_MS)
        self._tick_timer.timeout.connect(self._on_tick)
        self._tick_timer.start()
        self._refresh_pending = False
        self._last_refresh = 0.0
        self._values_changed.connect(self._schedule_refresh, Qt.ConnectionType.QueuedConnection)
        # a frame about to be drawn (an orbit step) shows the newest values, not those of the
        # last timed refresh: while the view turns, values reach the screen with the next frame
        self.plotter.before_paint.append(self._refresh_if_dirty)
        self.workspace.clock.events.time.connect(self._on_clock_time)
        self._build_status_bar()
        self._build_actions()
        self._build_menus()
        self._connect_interaction()
        self.terrain_tools = terrain_tools.install(self)  # before the profile: its water level
        self.profile_dock = profile_dock.install(self)
        self.section_dock = section_dock.install(self)
        self.workspace.events.selection.connect(self._on_selection)
        self.retranslate()
        self.resize(1600, 960)
        self._restore_layout()

    # -- construction -------------------------------------------------------------------------

    def _build_status_bar(self) -> None:
        bar = self.statusBar()
        self.cursor_readout = CursorReadout(self)
        self.cursor_readout.language = self.workspace.language
        self.progress = QProgressBar(self)
        self.progress.setObjectName("loadProgress")
        self.progress.setRange(0, 100)
        self.progress.setMaximumWidth(240)
        self.cancel_button = QPushButton(self)
        self.cancel_button.setObjectName("cancelLoad")
        self.cancel_button.clicked.connect(self.cancel_loading)
        self.datum_label = QLabel(self)
        bar.addWidget(self.cursor_readout, 1)
        bar.addPermanentWidget(self.datum_label)
        bar.addPermanentWidget(self.progress)
        bar.addPermanentWidget(self.cancel_button)
        self._set_loading(False)

    def _build_actions(self) -> None:
        self.open_action = QAction(self, shortcut=QKeySequence.StandardKey.Open)
        self.open_action.triggered.connect(self._choose_scene)
        self.open_folder_action = QAction(self)
        self.open_folder_action.triggered.connect(self._choose_scene_folder)
        self.screenshot_action = QAction(self, shortcut=QKeySequence("F12"))
        self.screenshot_action.triggered.connect(self._choose_screenshot_file)
        self.quit_action = QAction(self, shortcut=QKeySequence.StandardKey.Quit)
        self.quit_action.triggered.connect(self.close)
        self.reset_view_action = QAction(self, shortcut=QKeySequence("Ctrl+R"))
        self.reset_view_action.triggered.connect(self.reset_view)
        self.fullscreen_action = QAction(self, shortcut=QKeySequence("F11"), checkable=True)
        self.fullscreen_action.toggled.connect(self.set_full_screen)
        self.about_action = QAction(self)
        self.about_action.triggered.connect(
            lambda: show_about(self, self.workspace.document, self.workspace.language)
        )
        self.language_group = QActionGroup(self)
        self.language_actions: dict[str, QAction] = {}
        for language, label in (("zh_CN", "中文"), ("en", "English")):
            action = QAction(label, self, checkable=True)
            action.setChecked(language == self.workspace.language)
            action.triggered.connect(lambda _=False, lang=language: self.set_language(lang))
            self.language_group.addAction(action)
            self.language_actions[language] = action

    def _build_menus(self) -> None:
        bar = self.menuBar()
        self.file_menu = bar.addMenu("")
        self.file_menu.addAction(self.open_action)
        self.file_menu.addAction(self.open_folder_action)
        self.recent_menu = self.file_menu.addMenu("")
        self.file_menu.addSeparator()
        self.file_menu.addAction(self.screenshot_action)
        self.file_menu.addSeparator()
        self.file_menu.addAction(self.quit_action)
        self.view_menu = bar.addMenu("")
        self.viewpoint_menu = self.view_menu.addMenu("")
        self.view_menu.addAction(self.reset_view_action)
        self.view_menu.addAction(self.fullscreen_action)
        self.view_menu.addSeparator()
        self.view_menu.addAction(self.tree_dock.toggleViewAction())
        self.view_menu.addAction(self.properties_dock.toggleViewAction())
        self.view_menu.addAction(self.chart_dock.toggleViewAction())
        self.view_menu.addAction(self.alarm_dock.toggleViewAction())
        self.view_menu.addAction(self.feed_dock.toggleViewAction())
        self.view_menu.addAction(self.time_bar.toggleViewAction())
        self.view_menu.addAction(self.bim_toolbar.toggleViewAction())
        for dock in self.panels.docks():
            self.view_menu.addAction(dock.toggleViewAction())
        self.telemetry_menu = bar.addMenu("")
        self.replay_menu = self.telemetry_menu.addMenu("")
        self.language_menu = bar.addMenu("")
        self.language_menu.addActions(self.language_group.actions())
        self.help_menu = bar.addMenu("")
        self.help_menu.addAction(self.about_action)
        self._fill_recent_menu()

    def _connect_interaction(self) -> None:
        iren = self.plotter.iren
        iren.add_observer("MouseMoveEvent", self._on_mouse_move)
        iren.add_observer("LeftButtonPressEvent", self._on_left_press)
        iren.add_observer("LeftButtonReleaseEvent", self._on_left_release)

    # -- language -----------------------------------------------------------------------------

    def retranslate(self) -> None:
        """Set every text in the current language."""
        self.file_menu.setTitle(self.tr("&File"))
        self.open_action.setText(self.tr("&Open scene…"))
        self.open_folder_action.setText(self.tr("Open scene &folder…"))
        self.recent_menu.setTitle(self.tr("&Recent scenes"))
        self.screenshot_action.setText(self.tr("Save &screenshot…"))
        self.quit_action.setText(self.tr("&Quit"))
        self.view_menu.setTitle(self.tr("&View"))
        self.viewpoint_menu.setTitle(self.tr("&Viewpoints"))
        self.reset_view_action.setText(self.tr("&Reset view"))
        self.fullscreen_action.setText(self.tr("&Full screen"))
        self.language_menu.setTitle(self.tr("&Language"))
        self.telemetry_menu.setTitle(self.tr("&Monitoring"))
        self.replay_menu.setTitle(self.tr("&Replay recorded event"))
        self.help_menu.setTitle(self.tr("&Help"))
        self.about_action.setText(self.tr("&About…"))
        self.cancel_button.setText(self.tr("Cancel"))
        self.tree_dock.retranslate()
        self.properties_dock.retranslate()
        self.chart_dock.retranslate()
        self.alarm_dock.retranslate()
        self.feed_dock.retranslate()
        self.time_bar.retranslate()
        self.bim_toolbar.retranslate()
        self.panels.retranslate()
        self._update_title()

    def changeEvent(self, event: QEvent) -> None:
        """Re-read texts when the language changes."""
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def set_language(self, language: str) -> None:
        """Switch the interface (menus, docks, scene names, labels) to ``language``."""
        self.switcher.apply(language)
        self.settings.setValue(SETTINGS_KEY, language)
        self.language_actions[language].setChecked(True)
        self.workspace.language = language
        self.cursor_readout.language = language
        self.alarm_dock.language = language
        self.alarm_dock.refresh()
        self._fill_viewpoint_menu()
        self._update_title()
        self.retranslate()
        if self.view is not None:
            spec = self.view.geometry.document.spec
            add_scene_title(self.plotter, spec.name.text(language), spec.name.en)

    def _update_title(self) -> None:
        document = self.workspace.document
        app_name = self.tr("Flood-control digital twin")
        if document is None:
            self.setWindowTitle(app_name)
            self.datum_label.setText("")
            return
        spec = document.spec
        language = self.workspace.language
        self.setWindowTitle(f"{spec.name.text(language)} — {app_name}")
        self.datum_label.setText(
            self.tr("Heights: {datum}").format(datum=spec.vertical_datum.name.text(language))
        )

    # -- scene loading ------------------------------------------------------------------------

    def open_scene(self, scene: str) -> None:
        """Start loading ``scene`` (a name or folder) in the background."""
        if self._loader is not None:
            self._loader.cancel()
            self._loader.wait()
        prestart_worker()  # the IFC tessellation process starts while the scene file is read
        loader = SceneLoadThread(scene, self)
        loader.progressed.connect(self._on_progress)
        loader.loaded.connect(self._on_loaded)
        loader.failed.connect(self._on_failed)
        loader.cancelled.connect(self._on_cancelled)
        loader.finished.connect(loader.deleteLater)
        self._loader = loader
        self._set_loading(True)
        self.statusBar().showMessage(self.tr("Loading {scene}…").format(scene=scene))
        loader.start()

    def cancel_loading(self) -> None:
        """Cancel the scene load in progress, keeping the scene already shown."""
        if self._loader is not None:
            self._loader.cancel()

    def is_loading(self) -> bool:
        """Whether a scene load is running."""
        return self._loader is not None

    def _set_loading(self, loading: bool) -> None:
        self.progress.setVisible(loading)
        self.cancel_button.setVisible(loading)
        if loading:
            self.progress.setValue(0)

    def _on_progress(self, fraction: float, message: str) -> None:
        self.progress.setValue(round(fraction * 100))
        self.progress.setFormat(f"%p% {message}")

    def _finish_loading(self) -> None:
        self._loader = None
        self._set_loading(False)

    def _on_failed(self, message: str) -> None:
        self._finish_loading()
        logger.error("scene not opened: %s", message)
        self.statusBar().showMessage(self.tr("Scene not opened: {reason}").format(reason=message))
        self.show_error(self.tr("The scene could not be opened."), message)
        self.scene_failed.emit(message)

    def _on_cancelled(self) -> None:
        self._finish_loading()
        self.statusBar().showMessage(self.tr("Loading cancelled"), 5000)

    def _on_loaded(self, geometry: SceneGeometry) -> None:
        self._finish_loading()
        if self.bim_tools is not None:
            self.bim_tools.disconnect()
            self.bim_tools = None
        self.panels.detach()
        if self.view is not None:
            self.view.disconnect()
        if self.workspace.live is not None:
            self.workspace.live.changed.disconnect(self._mark_overlay_dirty)
        self.overlay = None
        self._stop_feeds()
        self.alarm_dock.attach(None)
        self.session = None
        self.plotter.clear()
        document = geometry.document
        spec = document.spec
        self.workspace.open(document)
        self.view = SceneView(self.plotter, geometry, self.workspace)
        self.bim_tools = BimTools(self.view, self.workspace)
        self.bim_toolbar.attach(self.view, self.bim_tools)
        self.properties_dock.models = geometry.models
        self.tree_dock.set_models(geometry.models)
        self.panels.attach(geometry)
        self.session = MonitoringSession(spec, self.workspace.live, self.workspace.clock)
        self.alarm_dock.language = self.workspace.language
        self.alarm_dock.attach(self.session)
        self.overlay = LiveOverlay(self.view, self.workspace.live, self.workspace.clock,
                                   self._alarm_display_states)
        self._fill_replay_menu()
        if self.mqtt_url:
            self.connect_mqtt(self.mqtt_url)
        self.workspace.live.changed.connect(self._mark_overlay_dirty)
        self.overlay.refresh()
        self.cursor_readout.view = self.view
        spec = document.spec
        add_scene_title(self.plotter, spec.name.text(self.workspace.language), spec.name.en)
        self._fill_viewpoint_menu()
        self._remember_recent(str(document.folder))
        self._update_title()
        self.statusBar().showMessage(self.tr("Opened {scene}").format(scene=spec.id), 5000)
        self.plotter.render()
        QTimer.singleShot(0, lambda: self.scene_shown.emit(spec.id))

    # -- live values --------------------------------------------------------------------------

    def _mark_overlay_dirty(self, *_: object) -> None:
        """Note that the shown values changed (callable from any thread): refresh soon."""
        self._overlay_dirty = True
        self._values_changed.emit()

    def _schedule_refresh(self) -> None:
        """Refresh as soon as the event loop is free, at most every MIN_REFRESH_INTERVAL_S."""
        if self._refresh_pending:
            return
        self._refresh_pending = True
        wait = MIN_REFRESH_INTERVAL_S - (time.monotonic() - self._last_refresh)
        QTimer.singleShot(max(0, int(wait * 1000)), self._refresh_if_dirty)

    def _refresh_if_dirty(self) -> None:
        self._refresh_pending = False
        if self._loader is not None and self._loader.isRunning():
            return  # drawn after the load (see _on_tick)
        if self._overlay_dirty and self.overlay is not None and self.isVisible():
            self._overlay_dirty = False
            self._since_refresh = 0.0
            self.overlay.refresh()
            self.time_bar.refresh()
            self._last_refresh = time.monotonic()

    def _on_clock_time(self, *_: object) -> None:
        if self.workspace.clock.mode == "history":
            self._overlay_dirty = True

    def _on_tick(self) -> None:
        now = time.monotonic()
        elapsed, self._last_tick = now - self._last_tick, now
        self.workspace.clock.tick(elapsed)
        if self.session is not None:
            self.session.advance()
        self._since_refresh += elapsed
        if self._since_refresh >= STALENESS_REFRESH_S:
            self._overlay_dirty = True
        if self._loader is not None and self._loader.isRunning():
            return  # no VTK work while the loader builds meshes: the two threads could deadlock
        if (self.view is not None and self.view.camera_moved()
                and self._press is None):
            self._overlay_dirty = self.view.update_labels() or self._overlay_dirty
        self.panels.refresh()
        self._refresh_if_dirty()

    def _alarm_display_states(self) -> dict[str, DisplayState]:
        """Marker states from the alarm engine (which has deadbands and acknowledgement)."""
        if self.session is None:
            return {}
        return display_states_from_alarms(self.session.engine.active())

    def _fill_replay_menu(self) -> None:
        self.replay_menu.clear()
        document = self.workspace.document
        events = sorted((document.folder / "events").glob("*.csv")) if document else []
        for path in events:
            action = self.replay_menu.addAction(path.stem)
            action.triggered.connect(lambda _=False, p=path: self.replay_event(p))
        self.replay_menu.setEnabled(bool(events))

    def replay_event_named(self, name: str, speed: float = 600.0) -> None:
        """Play the open scene's recorded event ``name`` (``events/<name>.csv``)."""
        document = self.workspace.document
        path = document.folder / "events" / f"{name}.csv" if document else None
        if path is None or not path.is_file():
            names = [p.stem for p in sorted(document.folder.glob("events/*.csv"))] if document \
                else []
            self.show_error(self.tr("No such recorded event."),
                            f"{name}: {', '.join(names) or '-'}")
            return
        self.replay_event(path, speed)

    def replay_event(self, path: Path, speed: float = 600.0) -> None:
        """Play a recorded event: its readings are released as the clock passes them."""
        if self.session is None:
            return
        try:
            result = read_csv(path, source_name="replay")
        except TwinAppError as error:
            self.show_error(self.tr("The event could not be read."), error.one_line())
            return
        if self.session.load_replay(result.readings) is None:
            return
        self.workspace.clock.play(speed)
        self.statusBar().showMessage(
            self.tr("Replaying {event} at {speed}x").format(event=path.stem, speed=f"{speed:g}"),
            8000)

    def connect_mqtt(self, url: str) -> None:
        """Take live readings of the open scene from an MQTT broker (and again on each open)."""
        self.mqtt_url = url
        if self.session is None or self.workspace.document is None:
            return
        spec = self.workspace.document.spec
        units = {sensor.id: sensor.unit for sensor in spec.sensors}
        if self.session.store is None:
            try:
                self.session.attach_store(open_store(os.environ.get(STORE_ENV),
                                                     catalog=SensorCatalog.from_scene(spec)))
            except TwinAppError as error:
                self.show_error(self.tr("Live readings will not be stored."), error.one_line())
        feed = MqttFeed(url, spec.id, self.session.ingest, sensor_units=units)
        self.feed_dock.feeds.append(feed.start())
        self.feed_dock.show()
        self.workspace.clock.go_live()

    def _stop_feeds(self) -> None:
        for feed in self.feed_dock.feeds:
            feed.stop()
        self.feed_dock.feeds.clear()
        if self.session is not None and self.session.store is not None:
            self.session.store.close()
            self.session.store = None

    def show_error(self, text: str, detail: str) -> None:
        """Tell the user what went wrong without blocking the window."""
        box = QMessageBox(QMessageBox.Icon.Warning, self.tr("Flood-control digital twin"), text,
                          QMessageBox.StandardButton.Ok, self)
        box.setObjectName("errorBox")
        box.setInformativeText(detail)
        box.setModal(False)
        box.show()
        self._error_box = box

    # -- view ---------------------------------------------------------------------------------

    def _fill_viewpoint_menu(self) -> None:
        self.viewpoint_menu.clear()
        document = self.workspace.document
        if document is None:
            return
        for viewpoint in document.spec.viewpoints:
            action = self.viewpoint_menu.addAction(viewpoint.name.text(self.workspace.language))
            action.setData(viewpoint.id)
            action.triggered.connect(lambda _=False, vid=viewpoint.id: self.go_to_viewpoint(vid))

    def go_to_viewpoint(self, viewpoint_id: str) -> None:
        """Move the camera to a named viewpoint of the open scene."""
        if self.view is None or self.workspace.document is None:
            return
        self.view.apply_viewpoint(self.workspace.document.spec.viewpoint(viewpoint_id))
        self.plotter.render()

    def reset_view(self) -> None:
        """Fit the whole scene in the view."""
        if self.view is not None:
            self.view.reset_view()
            self.plotter.render()

    def set_full_screen(self, full: bool) -> None:
        """Show the window full screen (F11) or restore it."""
        self.showFullScreen() if full else self.showNormal()

    def save_screenshot(self, path: Path) -> None:
        """Write the 3D view as a PNG."""
        self.plotter.screenshot(str(path))
        self.statusBar().showMessage(self.tr("Saved {path}").format(path=path), 5000)

    def _choose_screenshot_file(self) -> None:
        name, _ = QFileDialog.getSaveFileName(self, self.tr("Save screenshot"), "view.png",
                                              "PNG (*.png)")
        if name:
            self.save_screenshot(Path(name))

    def _choose_scene(self) -> None:
        names = sorted(available_scenes())
        name, ok = QInputDialog.getItem(self, self.tr("Open scene"), self.tr("Scene:"), names,
                                        0, False)
        if ok and name:
            self.open_scene(name)

    def _choose_scene_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, self.tr("Open scene folder"))
        if folder:
            self.open_scene(folder)

    # -- picking ------------------------------------------------------------------------------

    def _on_mouse_move(self, *_: object) -> None:
        x, y = self.plotter.iren.get_event_position()
        self.cursor_readout.mouse_moved(x, y)

    def _on_left_press(self, *_: object) -> None:
        self._press = self.plotter.iren.get_event_position()
        if self.plotter.iren.interactor.GetRepeatCount() > 0 and self.view is not None:
            chosen = self.select_at(*self._press)  # a double click: go to what is under it
            if chosen:
                self.fly_to(chosen)

    def _on_left_release(self, *_: object) -> None:
        x, y = self.plotter.iren.get_event_position()
        if self._press is None or self.view is None:
            return
        px, py = self._press
        self._press = None
        if abs(x - px) <= CLICK_TOLERANCE_PX and abs(y - py) <= CLICK_TOLERANCE_PX:
            if self.bim_toolbar.measuring:
                self.bim_toolbar.add_point(x, y)
            elif self.panels.probing:
                self.panels.probe_at(x, y)
            else:
                self.select_at(x, y)

    @property
    def rehearsal_dock(self) -> Any:
        """The rehearsal panel."""
        return self.panels.rehearsal_dock

    @property
    def review_dock(self) -> Any:
        """The model-review panel."""
        return self.panels.review_dock

    @property
    def outlook_dock(self) -> Any:
        """The forecast-and-plans panel."""
        return self.panels.outlook_dock

    @property
    def rehearsals(self) -> Any:
        """The open scene's rehearsals."""
        return self.panels.rehearsals

    @property
    def rehearsal_overlay(self) -> Any:
        """What draws the shown rehearsal."""
        return self.panels.overlay

    def fly_to(self, item: str) -> bool:
        """Move the camera to a model element or sensor; return whether it could."""
        if self.bim_tools is None:
            return False
        return self.bim_tools.fly_to(item, steps=8)

    def select_at(self, x: int, y: int) -> str | None:
        """Select what lies at display position (x, y); return its item id or ``None``.

        Where no element or sensor is hit, a vector feature draped there (a polder, a warning
        zone, a wall line) is identified in the status bar.
        """
        if self.view is None:
            return None
        result = self.view.pick(x, y)
        self.workspace.selection = result.item if result is not None else None
        if self.workspace.selection is None:
            widget = self.plotter.interactor
            ratio = widget.devicePixelRatioF() or 1.0
            found = self.terrain_tools.identify_at(x / ratio, widget.height() - y / ratio)
            if found is not None:
                shown = ", ".join(f"{k}={v}" for k, v in found.properties.items())
                self.statusBar().showMessage(f"{found.layer_id}: {shown}", 15000)
        return self.workspace.selection

    def _on_selection(self, selected: str | None) -> None:
        if self.view is not None:
            self.view.highlight(selected)

    # -- persistence --------------------------------------------------------------------------

    def _remember_recent(self, folder: str) -> None:
        recent = [f for f in self.recent_scenes() if f != folder]
        self.settings.setValue(RECENT_KEY, [folder, *recent][:MAX_RECENT])
        self._fill_recent_menu()

    def recent_scenes(self) -> list[str]:
        """Return the recently opened scene folders, newest first."""
        value = self.settings.value(RECENT_KEY, [])
        if isinstance(value, str):
            return [value]
        return [str(v) for v in value or []]

    def _fill_recent_menu(self) -> None:
        self.recent_menu.clear()
        for folder in self.recent_scenes():
            action = self.recent_menu.addAction(Path(folder).name)
            action.setToolTip(folder)
            action.triggered.connect(lambda _=False, f=folder: self.open_scene(f))
        self.recent_menu.setEnabled(bool(self.recent_scenes()))

    def _restore_layout(self) -> None:
        geometry = self.settings.value("window/geometry")
        state = self.settings.value("window/state")
        if geometry is not None:
            self.restoreGeometry(geometry)
        if state is not None:
            self.restoreState(state)
        else:
            docks = [self.tree_dock, self.properties_dock]
            self.resizeDocks(docks, [340, 340], Qt.Orientation.Horizontal)
            self.resizeDocks(docks, [480, 420], Qt.Orientation.Vertical)

    def closeEvent(self, event: QEvent) -> None:
        """Save the layout, stop background work and release the 3D view."""
        self.settings.setValue("window/geometry", self.saveGeometry())
        self.settings.setValue("window/state", self.saveState())
        self.settings.sync()
        if self._loader is not None:
            self._loader.cancel()
            self._loader.wait()
        self._tick_timer.stop()
        self._stop_feeds()
        self.panels.detach()  # cancels runs still going
        if self.view is not None:
            self.view.disconnect()
        self.overlay = None
        self.plotter.close()
        super().closeEvent(event)

