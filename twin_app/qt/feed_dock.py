"""Feed status: which feeds are connected, when they last spoke, and what they rejected."""

from __future__ import annotations

from datetime import datetime

from qtpy.QtCore import QEvent, QTimer
from qtpy.QtWidgets import QDockWidget, QHeaderView, QTableWidget, QTableWidgetItem, QWidget

from twin_app.qt.timebar import SHANGHAI
from twin_app.telemetry.mqtt import MqttFeed

REFRESH_MS = 1000


class FeedStatusDock(QDockWidget):
    """One row per feed: connection, last message, readings taken and rejected, last error."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("feedStatusDock")
        self.feeds: list[MqttFeed] = []
        self.table = QTableWidget(0, 6, self)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.setWidget(self.table)
        self._timer = QTimer(self)
        self._timer.setInterval(REFRESH_MS)
        self._timer.timeout.connect(self.refresh)
        self._timer.start()
        self.retranslate()

    def retranslate(self) -> None:
        """Set the texts in the current language."""
        self.setWindowTitle(self.tr("Feeds"))
        self.table.setHorizontalHeaderLabels([
            self.tr("Feed"), self.tr("Connected"), self.tr("Last message"), self.tr("Readings"),
            self.tr("Rejected"), self.tr("Last error")])
        self.refresh()

    def changeEvent(self, event: QEvent) -> None:
        """Re-read texts when the language changes."""
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def refresh(self) -> None:
        """Show every feed's current statistics."""
        self.table.setRowCount(len(self.feeds))
        for row, feed in enumerate(self.feeds):
            stats = feed.stats()
            cells = [
                f"MQTT {stats.broker}",
                self.tr("yes") if stats.subscribed else self.tr("no"),
                _when(stats.last_message_at),
                str(stats.readings_ok),
                str(stats.readings_rejected),
                stats.last_error or "",
            ]
            for column, text in enumerate(cells):
                self.table.setItem(row, column, QTableWidgetItem(text))

    def rows(self) -> list[list[str]]:
        """Return the table's texts (for tests)."""
        return [[self.table.item(r, c).text() for c in range(self.table.columnCount())]
                for r in range(self.table.rowCount())]


def _when(moment: datetime | None) -> str:
    return f"{moment.astimezone(SHANGHAI):%H:%M:%S}" if moment else "-"
