"""Load a scene off the GUI thread, with progress and cancel."""

from __future__ import annotations

import logging

from qtpy.QtCore import QThread, Signal

from twin_app.core.construction import WorkSchedule
from twin_app.core.errors import OperationCancelledError, TwinAppError
from twin_app.core.progress import Feedback
from twin_app.core.scene_loader import load_scene
from twin_app.io.ifc.schedule import read_work_schedule
from twin_app.render.geometry import SceneGeometry, build_scene_geometry

logger = logging.getLogger(__name__)


class SceneLoadThread(QThread):
    """Reads and validates a scene and builds its geometry in a worker thread.

    Signals are delivered on the GUI thread: ``progressed(fraction, message)``, then one of
    ``loaded(SceneGeometry)``, ``failed(message)`` or ``cancelled()``.
    """

    progressed = Signal(float, str)
    loaded = Signal(object)
    failed = Signal(str)
    cancelled = Signal()

    def __init__(self, scene: str, parent: object = None) -> None:
        super().__init__(parent)
        self.scene = scene
        self.feedback = Feedback("scene loading")
        self.feedback.progressed.connect(self.progressed.emit)

    def cancel(self) -> None:
        """Ask the load to stop at its next check point."""
        self.feedback.cancel()

    def run(self) -> None:
        """Do the work (called by Qt in the worker thread)."""
        try:
            self.feedback.step(0.0, "reading scene file")
            document = load_scene(self.scene)
            geometry = build_scene_geometry(document, self.feedback)
            geometry.schedules = _schedules(geometry)
        except OperationCancelledError:
            self.cancelled.emit()
        except TwinAppError as error:
            self.failed.emit(error.one_line())
        except Exception as error:  # a worker must report, never die silently
            logger.exception("loading %s failed", self.scene)
            self.failed.emit(f"{self.scene}: unexpected {type(error).__name__}: {error}")
        else:
            self.loaded.emit(geometry)


def _schedules(geometry: SceneGeometry) -> dict[str, WorkSchedule]:
    """Read the IFC models' work schedules (4D) from the files the models keep open."""
    found = {}
    for asset_id, model in geometry.models.items():
        try:
            schedule = read_work_schedule(model.open_ifc())
        except Exception as error:  # noqa: BLE001 - a bad schedule must not stop the scene
            logger.warning("%s: work schedule not read: %s", model.path, error)
            continue
        if schedule is not None:
            found[asset_id] = schedule
    return found
