"""The main window's 3D area: one view, or two rehearsals side by side on one camera and clock.

:class:`SideBySide` holds the window's central widget (a splitter around the window's own 3D
view).  When the rehearsal session asks for two runs side by side
(:attr:`~twin_app.sim.session.RehearsalSession.side_by_side`), it opens a second 3D view to the
right that draws the scene's meshes without reloading them (:class:`~twin_app.render.
linked_views.SceneMirror`), looks through the same camera (:class:`~twin_app.render.
linked_views.CameraLink`), and shows the second run's water while the window's view shows the
first's; a title over each names the run, the parameters it differs in, and the peak depth and
flooded area at the clock's time.  Going back to one view closes the second view and takes both
waters and every observer away.  The session holds which runs are compared; this only shows it.
"""

from __future__ import annotations

import html
import logging
from typing import TYPE_CHECKING

from qtpy.QtCore import QEvent, QObject, Qt
from qtpy.QtWidgets import QHBoxLayout, QLabel, QSplitter, QToolButton, QVBoxLayout, QWidget

from twin_app.qt.interactor import SceneInteractor
from twin_app.render.flood_layer import ACTOR_NAME
from twin_app.render.linked_views import CameraLink, SceneMirror, match_look
from twin_app.render.run_pane import PANE_LAYER, RunPane, common_peak
from twin_app.sim.compare import ParameterDifference, differing_parameters, run_parameters
from twin_app.sim.discovery import discover_plugins
from twin_app.sim.session import RehearsalEntry, RehearsalSession

if TYPE_CHECKING:
    from twin_app.qt.main_window import MainWindow
    from twin_app.render.rehearsal_overlay import RehearsalOverlay

logger = logging.getLogger(__name__)

NOT_MIRRORED = (ACTOR_NAME, PANE_LAYER, "probability")
"""Actors of the window's view the second view does not draw (each side has its own water)."""
LABEL_CHARS = 70
"""A run's label is cut to this many characters in its title (the whole label is its tooltip)."""
KEY_COLOUR = "#ffd54f"
"""Colour of the parameters that tell the two runs apart."""


class _PaneBox(QWidget):
    """A title bar over a 3D view."""

    def __init__(self, parent: QWidget, view: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        bar = QWidget(self)
        bar.setObjectName("sideBySideTitle")
        bar.setStyleSheet("#sideBySideTitle { background: #1f3147; }"
                          " QLabel { color: white; padding: 4px 8px; }")
        row = QHBoxLayout(bar)
        row.setContentsMargins(0, 0, 4, 0)
        self.title = QLabel(bar)
        self.title.setTextFormat(Qt.TextFormat.RichText)
        self.title.setWordWrap(True)
        self.title.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        row.addWidget(self.title, 1)
        self.bar = bar
        layout.addWidget(bar)
        if view is not None:
            layout.addWidget(view, 1)

    def add_button(self, button: QToolButton) -> None:
        """Put a button at the title bar's right end."""
        self.bar.layout().addWidget(button, 0, Qt.AlignmentFlag.AlignTop)


class SideBySide(QObject):
    """The window's 3D area, split in two while two rehearsals are compared.

    Parameters
    ----------
    window : MainWindow
        The window; its central widget (its 3D view) is put in this area's splitter.
    """

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.splitter = QSplitter(Qt.Orientation.Horizontal, window)
        self.splitter.setObjectName("sceneArea")
        self.splitter.setChildrenCollapsible(False)
        view = window.takeCentralWidget()  # the 3D view: before the window is shown, no GL yet
        self.left = _PaneBox(self.splitter, view)
        self.left.bar.hide()
        self.splitter.addWidget(self.left)
        window.setCentralWidget(self.splitter)
        self.right: _PaneBox | None = None
        self.plotter: SceneInteractor | None = None
        """The second view while two runs are compared."""
        self.leave_button: QToolButton | None = None
        self.pair: tuple[int, int] | None = None
        self.panes: tuple[RunPane, RunPane] | None = None
        self.mirror: SceneMirror | None = None
        self.link: CameraLink | None = None
        self._entries: tuple[RehearsalEntry, RehearsalEntry] | None = None
        self._differences: tuple[ParameterDifference, ParameterDifference] | None = None
        self._peak: tuple[tuple[int, ...], float] | None = None
        self._before_tag = 0
        """The runs' frame counts and the deepest water in them (the shared colour scale)."""

    @property
    def comparing(self) -> bool:
        """Whether two views are shown."""
        return self.plotter is not None

    # -- following the session --------------------------------------------------------------------

    def follow(self, session: RehearsalSession | None, overlay: RehearsalOverlay) -> bool:
        """Show what the session asks for at the clock's time; return whether two runs are shown.

        Parameters
        ----------
        session : RehearsalSession or None
            The open scene's rehearsals.
        overlay : RehearsalOverlay
            What draws the one rehearsal shown otherwise: its water is taken off while two are.
        """
        pair = session.side_by_side if session is not None else None
        if pair is None or self.window.view is None:
            self.leave()
            return False
        if not self.comparing:
            overlay.clear()
            self._enter(overlay)
        if pair != self.pair:
            self._choose(session, pair)
        self.refresh()
        return True

    def _enter(self, overlay: RehearsalOverlay) -> None:
        window = self.window
        self.right = _PaneBox(self.splitter)
        self.plotter = SceneInteractor(self.right)
        self.right.layout().addWidget(self.plotter.interactor, 1)
        self.leave_button = QToolButton(self.right.bar)
        self.leave_button.setObjectName("leaveSideBySide")
        self.leave_button.clicked.connect(self._ask_to_leave)
        self.right.add_button(self.leave_button)
        match_look(window.plotter.renderer, self.plotter.renderer)
        self.mirror = SceneMirror(window.plotter, self.plotter, skip=NOT_MIRRORED)
        self.mirror.sync()
        self.link = CameraLink(window.plotter, self.plotter, on_drawn=self._after_frame)
        self._before_tag = self.plotter.render_window.AddObserver(
            "StartEvent", lambda *_: self._sync_mirror())  # a frame shows the left's latest
        frame = window.view.geometry.frame
        ground_for = overlay.ground_for
        self.panes = (RunPane(window.plotter, frame, ground_for),
                      RunPane(self.plotter, frame, ground_for))
        for box in (self.left, self.right):
            box.title.installEventFilter(self)  # resized: both titles as tall as the taller
        self.splitter.addWidget(self.right)
        half = max(self.splitter.width() // 2, 1)
        self.splitter.setSizes([half, half])
        self.left.bar.show()
        self.retranslate()
        logger.info("two rehearsals side by side")

    def _choose(self, session: RehearsalSession, pair: tuple[int, int]) -> None:
        """Put rehearsals ``pair`` (left, right) in the two views."""
        self.pair = pair
        entries = (session.entries[pair[0]], session.entries[pair[1]])
        self._entries = entries
        tables = {record.id: record.manifest.parameters for record in discover_plugins()
                  if record.manifest is not None}
        parameters = [run_parameters(entry.playback.run_dir if entry.playback else None)
                      for entry in entries]
        self._differences = (
            differing_parameters(parameters[0], parameters[1], tables.get(entries[0].plugin)),
            differing_parameters(parameters[1], parameters[0], tables.get(entries[1].plugin)))
        self._peak = None
        for pane in self.panes:
            pane.clear()

    def _ask_to_leave(self) -> None:
        session = self.window.rehearsals
        if session is not None:
            session.end_side_by_side()  # the session says so; the next refresh leaves

    def refresh(self) -> None:
        """Draw both runs at the clock's time (only what changed is drawn again)."""
        if self.panes is None or self._entries is None:
            return
        playbacks = [entry.playback for entry in self._entries]
        if any(playback is None for playback in playbacks):
            return
        moment = self.window.workspace.clock.time
        frames = tuple(len(playback.frames) for playback in playbacks)
        if self._peak is None or self._peak[0] != frames:  # the maps fold in new frames only
            self._peak = (frames, common_peak(playbacks))
        peak = self._peak[1]
        for pane, playback, plotter in zip(self.panes, playbacks,
                                           (self.window.plotter, self.plotter), strict=True):
            if pane.show(playback, moment, peak):
                plotter.render()
        self._set_titles()

    def _sync_mirror(self) -> bool:
        """Bring the second view's copy of the scene up; return whether it changed."""
        if self.mirror is None or self.window.is_loading():
            return False  # no VTK work while the loader builds meshes
        return self.mirror.sync()

    def _after_frame(self, index: int) -> None:
        """After a frame of the window's view: draw the second view if its copy changed."""
        if index == 0 and self.plotter is not None and self._sync_mirror():
            self.plotter.render()

    # -- leaving ----------------------------------------------------------------------------------

    def leave(self) -> None:
        """Go back to one view: close the second, take both waters away, drop the observers."""
        if not self.comparing:
            return
        self.plotter.render_window.RemoveObserver(self._before_tag)
        if self.link is not None:
            self.link.close()
        if self.mirror is not None:
            self.mirror.close()
        for pane in self.panes or ():
            pane.clear()
        plotter, box = self.plotter, self.right
        self.left.title.removeEventFilter(self)
        self.left.title.setMinimumHeight(0)
        self.plotter, self.right, self.leave_button = None, None, None
        self.link, self.mirror, self.panes, self.pair = None, None, None, None
        self._entries, self._differences, self._peak = None, None, None
        plotter.close()
        box.hide()
        box.setParent(None)
        box.deleteLater()
        self.left.bar.hide()
        self.window.plotter.render()
        logger.info("back to one view")

    # -- titles -----------------------------------------------------------------------------------

    def retranslate(self) -> None:
        """Set the texts in the current language."""
        if self.leave_button is not None:
            self.leave_button.setText(self.tr("Back to one view"))
        self._set_titles()

    def _set_titles(self) -> None:
        if self.panes is None or self._entries is None or self._differences is None:
            return
        boxes = (self.left, self.right)
        for side, (box, pane, entry, difference) in enumerate(zip(
                boxes, self.panes, self._entries, self._differences, strict=True)):
            label = entry.label if len(entry.label) <= LABEL_CHARS else (
                entry.label[:LABEL_CHARS - 1] + "…")
            lines = [f"<b>{'AB'[side]} · {html.escape(label)}</b>",
                     f"<span style='color:{KEY_COLOUR}'>"
                     f"{html.escape(self._parameter_text(difference, 'AB'[1 - side]))}</span>",
                     html.escape(self._wet_text(pane))]
            box.title.setText("<br>".join(lines))
            box.title.setToolTip(entry.label)
        self._equalize_titles()

    def _parameter_text(self, difference: ParameterDifference, other: str) -> str:
        if difference.none:
            return self.tr("Same parameters as {other}").format(other=other)
        text = ", ".join(difference.shown)
        if difference.more:
            text += self.tr(" and {count} more").format(count=difference.more)
        return text

    def _wet_text(self, pane: RunPane) -> str:
        summary = pane.summary
        if summary is None:
            return self.tr("No water yet: the clock is before this run starts")
        text = self.tr("At +{hours} h: flooded {area} km², deepest {peak} m (water not there at "
                       "the start; wet with rivers {wet} km²)")
        return text.format(
            hours=f"{summary.time_s / 3600.0:.2f}", area=f"{summary.flooded_area_m2 / 1e6:.3f}",
            peak=f"{summary.flooded_peak_m:.2f}", wet=f"{summary.wet_area_m2 / 1e6:.3f}")

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Keep the two titles equally tall (so the two views are the same size)."""
        if event.type() == QEvent.Type.Resize and self.right is not None:
            self._equalize_titles()
        return False

    def _equalize_titles(self) -> None:
        labels = (self.left.title, self.right.title)
        height = max(0, *(label.heightForWidth(max(label.width(), 1)) for label in labels))
        for label in labels:
            if label.minimumHeight() != height:
                label.setMinimumHeight(height)

    def titles(self) -> list[str]:
        """Return the two titles' texts (for tests and reports); empty with one view."""
        if not self.comparing:
            return []
        return [self.left.title.text(), self.right.title.text()]

