"""The wall's tiles without 3D: the frame every tile shares, title, clock, status and alarms.

Every tile is a :class:`Tile`: a dark frame with a title line and a body.  The wall calls
:meth:`Tile.scene_changed` after a scene opens, :meth:`Tile.refresh` when values may have
changed (at most every ``refresh.tiles_s``), :meth:`Tile.tick` once a second and
:meth:`Tile.retranslate` when the language changes.  Tiles read the wall's state; they own none.
"""

from __future__ import annotations

import logging
from collections import deque
from datetime import datetime
from typing import TYPE_CHECKING

from qtpy.QtCore import QDateTime, QLocale, Qt, QTimeZone
from qtpy.QtGui import QColor
from qtpy.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QSizePolicy,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from twin_app.core.wall_layout import AlarmsTile as AlarmsSpec
from twin_app.core.wall_layout import StatusTile as StatusSpec
from twin_app.qt.timebar import SHANGHAI
from twin_app.qt.wall.theme import fit_font_px
from twin_app.telemetry.alarms.state import AlarmState

if TYPE_CHECKING:
    from twin_app.qt.wall.window import WallWindow

logger = logging.getLogger(__name__)

SEVERITY_COLOURS = {1: "#5c6bc0", 2: "#ffb300", 3: "#ff3d3d", 4: "#b00020"}
NARROW_ALARM_LIST_EMS = 30
"""Below this width (in body-text sizes) the alarm list drops its state and time columns."""
WAITING = (AlarmState.UNACKNOWLEDGED, AlarmState.RTN_UNACKNOWLEDGED)
"""States awaiting an operator's acknowledgement."""


class Tile(QFrame):
    """A tile: a frame with a title and a body (subclasses fill :attr:`body_layout`).

    Parameters
    ----------
    spec : tile spec
        The tile's entry in the layout.
    wall : WallWindow
        The wall it belongs to (its state is read from there).
    """

    def __init__(self, spec: object, wall: WallWindow) -> None:
        super().__init__(wall)
        self.spec = spec
        self.wall = wall
        self.setProperty("wallTile", True)
        self.setObjectName(f"wallTile_{spec.kind}")
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Ignored)
        layout = QVBoxLayout(self)
        margin = max(4, wall.sizes.body // 4)
        layout.setContentsMargins(margin, margin // 2, margin, margin)
        layout.setSpacing(margin // 2)
        self.title_label = QLabel(self)
        self.title_label.setProperty("role", "tileTitle")
        layout.addWidget(self.title_label)
        self.body_layout = layout

    def default_title(self) -> str:
        """Return the title shown when the layout gives none."""
        return ""

    def retranslate(self) -> None:
        """Set the texts in the wall's language."""
        title = getattr(self.spec, "title", None)
        text = title.text(self.wall.language) if title is not None else self.default_title()
        self.title_label.setText(text)
        self.title_label.setVisible(bool(text))

    def scene_changed(self) -> None:
        """Follow the scene just opened."""

    def refresh(self) -> None:
        """Show the current values."""

    def tick(self) -> None:
        """Once a second."""


class TitleTile(Tile):
    """The wall's name and the scene's, large."""

    def __init__(self, spec: object, wall: WallWindow) -> None:
        super().__init__(spec, wall)
        self.banner = QLabel(self)
        self.banner.setProperty("role", "banner")
        self.subtitle = QLabel(self)
        self.subtitle.setProperty("role", "small")
        self.body_layout.addWidget(self.banner, 1)
        self.body_layout.addWidget(self.subtitle)
        self.title_label.hide()

    def retranslate(self) -> None:
        """Set the texts in the wall's language."""
        document = self.wall.workspace.document
        wall_name = self.wall.layout_spec.name.text(self.wall.language)
        if document is None:
            self.banner.setText(wall_name)
            self.subtitle.setText(self.tr("Loading…"))
            return
        spec = document.spec
        self.banner.setText(f"{wall_name} · {spec.name.text(self.wall.language)}")
        self.subtitle.setText(self.tr("Heights in the {datum}; data marked illustrative are "
                                      "not observations").format(
            datum=spec.vertical_datum.name.text(self.wall.language)))

    def scene_changed(self) -> None:
        """Show the new scene's name."""
        self.retranslate()


class ClockTile(Tile):
    """Beijing time, the date, and the time shown when the wall is not live."""

    def __init__(self, spec: object, wall: WallWindow) -> None:
        super().__init__(spec, wall)
        self.time_label = QLabel(self)
        self.time_label.setAlignment(Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignRight)
        self.date_label = QLabel(self)
        self.mode_label = QLabel(self)
        self.mode_label.setProperty("role", "small")
        self.mode_label.setWordWrap(True)
        row = QHBoxLayout()
        row.addWidget(self.time_label, 1)
        lines = QVBoxLayout()
        lines.addStretch(1)
        lines.addWidget(self.date_label)
        lines.addWidget(self.mode_label)
        lines.addStretch(1)
        row.addLayout(lines)
        self.body_layout.addLayout(row, 1)
        self.title_label.hide()
        self._zone = QTimeZone(b"Asia/Shanghai")
        self._size = 0

    def tick(self) -> None:
        """Show the time (system time, in Beijing)."""
        now = QDateTime.currentDateTime().toTimeZone(self._zone)
        self.time_label.setText(now.toString("HH:mm:ss"))
        locale = QLocale(QLocale.Language.Chinese if self.wall.language.startswith("zh")
                         else QLocale.Language.English)
        self.date_label.setText(locale.toString(now.date(), self.tr("yyyy-MM-dd dddd")))
        clock = self.wall.workspace.clock
        if clock.mode == "live":
            self.mode_label.setText(self.tr("Live data"))
        else:
            shown = f"{clock.time.astimezone(SHANGHAI):%Y-%m-%d %H:%M}"
            if clock.playing:
                text = self.tr("Replay at {time}, {speed}× speed").format(
                    time=shown, speed=f"{clock.speed:g}")
            else:
                text = self.tr("Showing {time} (paused)").format(time=shown)
            self.mode_label.setText(text)
        self._fit()

    def resizeEvent(self, event: object) -> None:
        """Fit the time's type to the new size."""
        super().resizeEvent(event)
        self._fit()

    def _fit(self) -> None:
        size = fit_font_px("00:00:00", self.time_label.width(), self.height(),
                           self.wall.sizes.big)
        if size != self._size:
            self._size = size
            self.time_label.setStyleSheet(f"font-size: {size}px; font-weight: bold;")

    def retranslate(self) -> None:
        """Set the texts in the wall's language."""
        super().retranslate()
        self.title_label.hide()
        self.tick()


class StatusTile(Tile):
    """Where the wall stands: scene, tour, control address, data source, latest problems."""

    def __init__(self, spec: StatusSpec, wall: WallWindow) -> None:
        super().__init__(spec, wall)
        self.line = QLabel(self)
        self.messages_label = QLabel(self)
        self.messages_label.setProperty("role", "small")
        self.messages_label.setWordWrap(True)
        self.body_layout.addWidget(self.line)
        self.body_layout.addWidget(self.messages_label, 1)
        self.messages: deque[str] = deque(maxlen=spec.max_messages)
        self.title_label.hide()

    def add_message(self, text: str) -> None:
        """Show a problem (the newest first); the oldest drops out."""
        stamp = datetime.now(SHANGHAI).strftime("%H:%M:%S")
        self.messages.appendleft(f"{stamp}  {text}")
        self.messages_label.setText("   ·   ".join(self.messages))

    def refresh(self) -> None:
        """Show the wall's state in one line."""
        wall = self.wall
        parts = []
        tour = wall.tour.status() if wall.tour is not None else None
        if wall.loading:
            parts.append(self.tr("Loading scene…"))
        if tour is not None:
            if tour["alarm_focus"]:
                parts.append(self.tr("Showing alarm {alarm}").format(
                    alarm=wall.alarm_title(tour["alarm_focus"])))
            elif tour["paused"]:
                parts.append(self.tr("Tour paused"))
            elif tour["next_in_s"] is not None:
                parts.append(self.tr("Tour {index}/{count}, next in {seconds} s").format(
                    index=tour["index"] + 1, count=tour["count"],
                    seconds=f"{tour['next_in_s']:.0f}"))
        if wall.replaying:
            parts.append(self.tr("Replaying {event}").format(event=wall.replaying))
        if wall.remote is not None and wall.remote.url:
            parts.append(self.tr("Remote control {url}").format(url=wall.remote.url))
        self.line.setText("   |   ".join(parts))

    def tick(self) -> None:
        """Keep the countdown current."""
        self.refresh()


class AlarmsTile(Tile):
    """The alarm list in big type: severity, sensor, alarm, value, time; unacknowledged flash."""

    def __init__(self, spec: AlarmsSpec, wall: WallWindow) -> None:
        super().__init__(spec, wall)
        self.max_rows = spec.max_rows
        self.table = QTableWidget(0, 6, self)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.table.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(round(wall.sizes.body * 1.6))
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)  # names share the room
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.table.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.table.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.empty = QLabel(self)
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setStyleSheet(f"color: {wall.layout_spec.theme.normal};")
        self.body_layout.addWidget(self.table, 1)
        self.body_layout.addWidget(self.empty, 1)
        self._shown: tuple = ()
        self._flash = False
        self.counts = (0, 0)

    def default_title(self) -> str:
        """Return the title shown when the layout gives none."""
        active, unacknowledged = self.counts
        return self.tr("Alarms: {unack} unacknowledged of {active}").format(
            unack=unacknowledged, active=active)

    def retranslate(self) -> None:
        """Set the texts in the wall's language."""
        self.table.setHorizontalHeaderLabels([
            self.tr("Level"), self.tr("Sensor"), self.tr("Alarm"), self.tr("State"),
            self.tr("Value"), self.tr("Raised")])
        self.empty.setText(self.tr("No alarms"))
        self._shown = ()
        super().retranslate()
        self.refresh()

    def resizeEvent(self, event: object) -> None:
        """On a narrow tile show only level, sensor, alarm and value."""
        super().resizeEvent(event)
        narrow = self.width() < NARROW_ALARM_LIST_EMS * self.wall.sizes.body
        for column in (3, 5):  # state, time raised
            self.table.setColumnHidden(column, narrow)

    def _state_text(self, state: AlarmState) -> str:
        return {AlarmState.UNACKNOWLEDGED: self.tr("Unacknowledged"),
                AlarmState.ACKNOWLEDGED: self.tr("Acknowledged"),
                AlarmState.RTN_UNACKNOWLEDGED: self.tr("Cleared, unacknowledged")
                }.get(state, state.value)

    def _severity_text(self, severity: int) -> str:
        return {1: self.tr("Advisory"), 2: self.tr("Warning"), 3: self.tr("Alarm"),
                4: self.tr("Critical")}.get(severity, str(severity))

    def refresh(self) -> None:
        """Rebuild the list if the alarms changed."""
        session = self.wall.session
        statuses = session.engine.active() if session is not None else []
        unacknowledged = sum(s.state in WAITING for s in statuses)
        self.counts = (len(statuses), unacknowledged)
        if self.spec.title is None:
            self.title_label.setText(self.default_title())
        shown = statuses[: self.max_rows]
        signature = tuple((s.key, s.state, s.value) for s in shown)
        self.table.setVisible(bool(shown))
        self.empty.setVisible(not shown)
        if signature == self._shown:
            return
        self._shown = signature
        sensors = self._sensor_names()
        self.table.setRowCount(len(shown))
        for row, status in enumerate(shown):
            definition = status.definition
            raised = status.raised_at.astimezone(SHANGHAI) if status.raised_at else None
            value = "" if status.value is None else f"{status.value:.2f} {definition.unit}"
            cells = [self._severity_text(int(status.severity)),
                     sensors.get(definition.sensor_id, definition.sensor_id),
                     definition.name.text(self.wall.language), self._state_text(status.state),
                     value, f"{raised:%H:%M}" if raised else ""]
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setData(Qt.ItemDataRole.UserRole, status.key)
                if column == 0:
                    item.setBackground(QColor(SEVERITY_COLOURS.get(int(status.severity),
                                                                   "#777777")))
                if status.state is AlarmState.UNACKNOWLEDGED:
                    font = item.font()
                    font.setBold(True)
                    item.setFont(font)
                elif status.state is not AlarmState.ACKNOWLEDGED and column:
                    item.setForeground(QColor(self.wall.layout_spec.theme.muted))  # cleared
                self.table.setItem(row, column, item)

    def tick(self) -> None:
        """Flash the severity of unacknowledged alarms (ISA-18.2: they must stand out)."""
        self._flash = not self._flash
        for row, (key, state, _) in enumerate(self._shown):
            item = self.table.item(row, 0)
            if item is None or state is not AlarmState.UNACKNOWLEDGED:
                continue
            colour = QColor("#ffffff") if self._flash else QColor("#000000")
            item.setForeground(colour)
            item.setData(Qt.ItemDataRole.UserRole, key)

    def _sensor_names(self) -> dict[str, str]:
        document = self.wall.workspace.document
        if document is None:
            return {}
        return {s.id: s.name.text(self.wall.language) for s in document.spec.sensors}

    def shown_keys(self) -> list[str]:
        """Return the alarm keys listed now (for tests and the status)."""
        return [key for key, _, _ in self._shown]


def make_label(parent: QWidget, role: str = "") -> QLabel:
    """Return a label with a style role (``big``, ``small``, ``muted``, ``banner``)."""
    label = QLabel(parent)
    if role:
        label.setProperty("role", role)
    return label
