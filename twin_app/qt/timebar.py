"""The time bar: the app clock's time, live or history, a slider over the readings held, play."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

from qtpy.QtCore import QEvent, Qt
from qtpy.QtWidgets import QComboBox, QLabel, QSlider, QToolBar, QToolButton, QWidget

from twin_app.core.workspace import Workspace

SHANGHAI = timezone(timedelta(hours=8), "CST")
SPEEDS = (1.0, 60.0, 600.0, 3600.0)
SLIDER_STEPS = 10_000


class TimeBar(QToolBar):
    """Shows and sets :attr:`Workspace.clock`; never holds a time of its own."""

    def __init__(self, workspace: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("timeBar")
        self.workspace = workspace
        self.time_label = QLabel(self)
        self.time_label.setObjectName("clockLabel")
        self.live_button = QToolButton(self)
        self.live_button.setCheckable(True)
        self.live_button.clicked.connect(self._toggle_live)
        self.play_button = QToolButton(self)
        self.play_button.setCheckable(True)
        self.play_button.clicked.connect(self._toggle_play)
        self.speed = QComboBox(self)
        for speed in SPEEDS:
            self.speed.addItem(f"{speed:g}×", speed)
        self.speed.setCurrentIndex(2)
        self.speed.currentIndexChanged.connect(self._speed_changed)
        self.slider = QSlider(Qt.Orientation.Horizontal, self)
        self.slider.setRange(0, SLIDER_STEPS)
        self.slider.sliderMoved.connect(self._slider_moved)
        for widget in (self.live_button, self.play_button, self.speed, self.slider,
                       self.time_label):
            self.addWidget(widget)
        clock = workspace.clock
        clock.events.time.connect(self.refresh)
        clock.events.mode.connect(self.refresh)
        clock.events.playing.connect(self.refresh)
        self.retranslate()
        self.refresh()

    def retranslate(self) -> None:
        """Set the texts in the current language."""
        self.setWindowTitle(self.tr("Time"))
        self.live_button.setText(self.tr("Live"))
        self.live_button.setToolTip(self.tr("Follow the current time"))
        self.play_button.setText(self.tr("Play"))
        self.play_button.setToolTip(self.tr("Play the history at the chosen speed"))
        self.speed.setToolTip(self.tr("Playback speed"))
        self.refresh()

    def changeEvent(self, event: QEvent) -> None:
        """Re-read texts when the language changes."""
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def _range(self) -> tuple[datetime, datetime] | None:
        live = self.workspace.live
        span = live.time_range() if live is not None else None
        if span is None or span[1] <= span[0]:
            return None
        return span

    def refresh(self) -> None:
        """Show the clock's state."""
        clock = self.workspace.clock
        local = clock.time.astimezone(SHANGHAI)
        mode = self.tr("Live") if clock.mode == "live" else self.tr("History")
        zone = self.tr("Beijing time")
        self.time_label.setText(f"{local:%Y-%m-%d %H:%M:%S} {zone}  [{mode}]")
        self.live_button.setChecked(clock.mode == "live")
        self.play_button.setChecked(clock.playing)
        span = self._range()
        self.slider.setEnabled(span is not None)
        if span is not None and not self.slider.isSliderDown():
            fraction = (clock.time - span[0]) / (span[1] - span[0])
            self.slider.setValue(round(min(max(fraction, 0.0), 1.0) * SLIDER_STEPS))

    def _toggle_live(self) -> None:
        self.workspace.clock.go_live()

    def _toggle_play(self, checked: bool) -> None:
        clock = self.workspace.clock
        if checked:
            clock.play(self.speed.currentData())
        else:
            clock.pause()

    def _speed_changed(self) -> None:
        self.workspace.clock.speed = float(self.speed.currentData())

    def _slider_moved(self, position: int) -> None:
        span = self._range()
        if span is None:
            return
        moment = span[0] + (span[1] - span[0]) * (position / SLIDER_STEPS)
        self.workspace.clock.set_time(moment.astimezone(UTC))
