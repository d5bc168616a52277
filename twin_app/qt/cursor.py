"""Status-bar readout of what lies under the mouse: map coordinates, lon/lat, elevation."""

from __future__ import annotations

from qtpy.QtCore import QTimer
from qtpy.QtWidgets import QLabel, QWidget

from twin_app.core.geo import format_lonlat
from twin_app.render.view import PickResult, SceneView


class CursorReadout(QLabel):
    """A label that follows the mouse over the 3D view.

    Picking is throttled: at most one pick per ``interval_ms`` however fast the mouse moves.
    """

    def __init__(self, parent: QWidget | None = None, interval_ms: int = 60) -> None:
        super().__init__(parent)
        self.setObjectName("cursorReadout")
        self.view: SceneView | None = None
        self.language = "en"
        self._pending: tuple[int, int] | None = None
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(interval_ms)
        self._timer.timeout.connect(self._update)
        self.last: PickResult | None = None

    def mouse_moved(self, x: int, y: int) -> None:
        """Note the mouse position (VTK display coordinates) and schedule a pick."""
        self._pending = (x, y)
        if not self._timer.isActive():
            self._timer.start()

    def _update(self) -> None:
        if self.view is None or self._pending is None:
            return
        self.show_pick(self.view.pick(*self._pending))

    def show_pick(self, result: PickResult | None) -> None:
        """Show ``result`` (or clear the readout when nothing is under the mouse)."""
        self.last = result
        if result is None or self.view is None:
            self.setText("")
            return
        frame = self.view.geometry.frame
        easting, northing, height = frame.local_to_map(result.local)
        lon, lat = frame.map_to_lonlat(easting, northing)
        datum = frame.datum.label(self.language)
        self.setText(
            f"E {easting:.2f}  N {northing:.2f} ({frame.crs})   "
            f"{format_lonlat(float(lon), float(lat))}   H {height:.2f} m {datum}"
        )
