"""The alarm list: active alarms, most severe first, with acknowledge and shelve."""

from __future__ import annotations

import getpass
import logging
from datetime import timedelta

from qtpy.QtCore import QEvent, QObject, Qt, Signal
from qtpy.QtGui import QColor
from qtpy.QtWidgets import (
    QAbstractItemView,
    QDockWidget,
    QHBoxLayout,
    QHeaderView,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from twin_app.qt.timebar import SHANGHAI
from twin_app.telemetry.alarms.errors import AlarmError
from twin_app.telemetry.alarms.state import AlarmState
from twin_app.telemetry.alarms.status import AlarmStatus
from twin_app.telemetry.session import MonitoringSession

logger = logging.getLogger(__name__)

SEVERITY_COLOURS = {1: "#5c6bc0", 2: "#ffa000", 3: "#d50000", 4: "#8e0000"}
SHELVE_FOR = timedelta(hours=1)
KEY_ROLE = Qt.ItemDataRole.UserRole


class _Bridge(QObject):
    """Carries engine transitions (from any thread) to the GUI thread."""

    changed = Signal()


class AlarmDock(QDockWidget):
    """Shows the session's active alarms and lets the operator acknowledge or shelve them."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("alarmDock")
        self.session: MonitoringSession | None = None
        self.language = "en"
        self._bridge = _Bridge(self)
        self._bridge.changed.connect(self.refresh, Qt.ConnectionType.QueuedConnection)
        self.table = QTableWidget(0, 6, self)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.ack_button = QPushButton(self)
        self.ack_button.setObjectName("acknowledgeAlarm")
        self.ack_button.clicked.connect(self.acknowledge_selected)
        self.shelve_button = QPushButton(self)
        self.shelve_button.clicked.connect(self.shelve_selected)
        buttons = QHBoxLayout()
        buttons.addWidget(self.ack_button)
        buttons.addWidget(self.shelve_button)
        buttons.addStretch(1)
        body = QWidget(self)
        layout = QVBoxLayout(body)
        layout.setContentsMargins(2, 2, 2, 2)
        layout.addWidget(self.table)
        layout.addLayout(buttons)
        self.setWidget(body)
        self.retranslate()

    def retranslate(self) -> None:
        """Set the texts in the current language."""
        self.setWindowTitle(self.tr("Alarms"))
        self.table.setHorizontalHeaderLabels([
            self.tr("Severity"), self.tr("Sensor"), self.tr("Alarm"), self.tr("State"),
            self.tr("Value"), self.tr("Raised (Beijing time)")])
        self.ack_button.setText(self.tr("Acknowledge"))
        self.shelve_button.setText(self.tr("Shelve 1 h"))
        self.refresh()

    def changeEvent(self, event: QEvent) -> None:
        """Re-read texts when the language changes."""
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def attach(self, session: MonitoringSession | None) -> None:
        """Follow ``session``'s alarms (``None`` when no scene is open)."""
        if self.session is not None:
            self.session.transitions.disconnect(self._on_transitions)
        self.session = session
        if session is not None:
            session.transitions.connect(self._on_transitions)
        self.refresh()

    def _on_transitions(self, _events: tuple) -> None:
        self._bridge.changed.emit()

    def _state_text(self, state: AlarmState) -> str:
        return {
            AlarmState.UNACKNOWLEDGED: self.tr("Unacknowledged"),
            AlarmState.ACKNOWLEDGED: self.tr("Acknowledged"),
            AlarmState.RTN_UNACKNOWLEDGED: self.tr("Cleared, unacknowledged"),
            AlarmState.SHELVED: self.tr("Shelved"),
        }.get(state, state.value)

    def _severity_text(self, severity: int) -> str:
        return {1: self.tr("Advisory"), 2: self.tr("Warning"), 3: self.tr("Alarm"),
                4: self.tr("Critical")}.get(severity, str(severity))

    def statuses(self) -> list[AlarmStatus]:
        """Return what the list shows: active alarms, then shelved ones."""
        if self.session is None:
            return []
        return self.session.engine.active() + self.session.engine.shelved()

    def refresh(self) -> None:
        """Rebuild the list from the engine."""
        statuses = self.statuses()
        self.table.setRowCount(len(statuses))
        for row, status in enumerate(statuses):
            definition = status.definition
            raised = status.raised_at.astimezone(SHANGHAI) if status.raised_at else None
            value = "" if status.value is None else f"{status.value:.2f} {definition.unit}"
            cells = [self._severity_text(int(status.severity)), definition.sensor_id,
                     definition.name.text(self.language), self._state_text(status.state),
                     value, f"{raised:%m-%d %H:%M:%S}" if raised else ""]
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setData(KEY_ROLE, status.key)
                if column == 0:
                    item.setBackground(QColor(SEVERITY_COLOURS.get(int(status.severity), "#777")))
                    item.setForeground(QColor("#ffffff"))
                if status.state is AlarmState.UNACKNOWLEDGED:
                    font = item.font()
                    font.setBold(True)
                    item.setFont(font)
                self.table.setItem(row, column, item)

    def _selected_keys(self) -> list[str]:
        rows = {index.row() for index in self.table.selectedIndexes()}
        return [self.table.item(row, 0).data(KEY_ROLE) for row in sorted(rows)]

    def acknowledge_selected(self) -> None:
        """Acknowledge the selected alarms (as the logged-in user)."""
        self._operate(lambda key: self.session.engine.acknowledge(key, user=_user()))

    def shelve_selected(self) -> None:
        """Shelve the selected alarms for an hour."""
        self._operate(lambda key: self.session.engine.shelve(
            key, SHELVE_FOR, user=_user(), comment="shelved from the alarm list"))

    def _operate(self, action) -> None:
        if self.session is None:
            return
        for key in self._selected_keys():
            try:
                action(key)
            except AlarmError as error:
                logger.warning("alarm %s: %s", key, error)
        self.refresh()


def _user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "operator"
