"""The BIM tool bar: sections, measurement, show all; and the element context menu.

Everything it changes is workspace state (``hidden``, ``xray``, ``section``) that
:class:`~twin_app.render.bim_tools.BimTools` draws; the measurement readout is the only thing it
keeps, and it is dropped when the scene changes.
"""

from __future__ import annotations

import logging
from typing import Any

import numpy as np
import pyvista as pv
from qtpy.QtCore import QEvent, QPoint, Signal
from qtpy.QtGui import QAction, QActionGroup
from qtpy.QtWidgets import QMenu, QToolBar, QWidget

from twin_app.core.measure import Measurement, measure
from twin_app.core.workspace import SectionState, Workspace
from twin_app.render.bim_tools import BimTools, section_box_around
from twin_app.render.view import SceneView

logger = logging.getLogger(__name__)

MEASURE_ACTOR = "measurement"


class BimToolBar(QToolBar):
    """Section plane / box, measure, show all.

    Parameters
    ----------
    workspace : Workspace
        Where the section and visibility state go.
    parent : QWidget, optional
        The main window.
    """

    measured = Signal(object)
    """Emitted with a :class:`~twin_app.core.measure.Measurement` when two points are picked."""

    def __init__(self, workspace: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("bimToolBar")
        self.workspace = workspace
        self.view: SceneView | None = None
        self.tools: BimTools | None = None
        self.points: list[np.ndarray] = []
        self.last_measurement: Measurement | None = None
        self.section_group = QActionGroup(self)
        self.section_group.setExclusionPolicy(QActionGroup.ExclusionPolicy.ExclusiveOptional)
        self.plane_action = QAction(self, checkable=True)
        self.plane_action.toggled.connect(self._toggle_plane)
        self.box_action = QAction(self, checkable=True)
        self.box_action.toggled.connect(self._toggle_box)
        self.section_group.addAction(self.plane_action)
        self.section_group.addAction(self.box_action)
        self.measure_action = QAction(self, checkable=True)
        self.measure_action.toggled.connect(self._toggle_measure)
        self.show_all_action = QAction(self)
        self.show_all_action.triggered.connect(self.show_all)
        for action in (self.plane_action, self.box_action, self.measure_action,
                       self.show_all_action):
            self.addAction(action)
        self.retranslate()

    def retranslate(self) -> None:
        """Set the texts in the current language."""
        self.setWindowTitle(self.tr("BIM tools"))
        self.plane_action.setText(self.tr("Section plane"))
        self.plane_action.setToolTip(self.tr("Cut models and terrain with a plane you can drag"))
        self.box_action.setText(self.tr("Section box"))
        self.box_action.setToolTip(self.tr("Keep only what lies inside a box you can resize"))
        self.measure_action.setText(self.tr("Measure"))
        self.measure_action.setToolTip(
            self.tr("Click two points: distance, rise and elevations in the scene datum"))
        self.show_all_action.setText(self.tr("Show all"))
        self.show_all_action.setToolTip(self.tr("Show hidden and X-rayed elements again"))

    def changeEvent(self, event: QEvent) -> None:
        """Re-read texts when the language changes."""
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def attach(self, view: SceneView | None, tools: BimTools | None) -> None:
        """Work on a new scene view (``None`` when the scene closes)."""
        for action in (self.plane_action, self.box_action, self.measure_action):
            action.setChecked(False)
        self.view, self.tools = view, tools
        self.points.clear()
        self.last_measurement = None

    # -- sections -----------------------------------------------------------------------------

    def _bounds(self) -> tuple[float, ...]:
        assert self.view is not None
        return self.view.geometry.local_bounds()

    def _toggle_plane(self, on: bool) -> None:
        if self.view is None:
            return
        plotter = self.view.plotter
        plotter.clear_plane_widgets()
        if not on:
            self.workspace.section = None
            return
        bounds = self._bounds()
        centre = self._section_centre(bounds)
        exaggeration = self.view.exaggeration
        self.workspace.section = SectionState(kind="plane", origin=tuple(centre),
                                              normal=(1.0, 0.0, 0.0))

        def moved(normal: Any, origin: Any) -> None:
            local = np.array(origin, dtype=float)
            local[2] /= exaggeration
            turned = np.array(normal, dtype=float) * np.array([1.0, 1.0, exaggeration])
            self.workspace.section = SectionState(
                kind="plane", origin=tuple(local), normal=tuple(turned / np.linalg.norm(turned)))

        shown = np.array(bounds, dtype=float)
        shown[4:] *= exaggeration
        plotter.add_plane_widget(moved, normal="x", origin=tuple(centre * [1, 1, exaggeration]),
                                 bounds=tuple(shown), outline_translation=False,
                                 implicit=True, color="#ffcc00", test_callback=False)

    def _section_centre(self, bounds: tuple[float, ...]) -> np.ndarray:
        """Return the selected element's centre if one is selected, else the scene's middle."""
        selected = self.workspace.selection
        if selected and self.tools is not None:
            box = self.tools.item_bounds(selected)
            if box is not None:
                centre = np.array([(box[0] + box[1]) / 2, (box[2] + box[3]) / 2,
                                   (box[4] + box[5]) / 2])
                centre[2] /= self.view.exaggeration if self.view else 1.0
                return centre
        return np.array([(bounds[0] + bounds[1]) / 2, (bounds[2] + bounds[3]) / 2,
                         (bounds[4] + bounds[5]) / 2])

    def _toggle_box(self, on: bool) -> None:
        if self.view is None:
            return
        plotter = self.view.plotter
        plotter.clear_box_widgets()
        if not on:
            self.workspace.section = None
            return
        section = section_box_around(self._initial_box_bounds())
        self.workspace.section = section
        exaggeration = self.view.exaggeration

        def moved(box: pv.PolyData) -> None:
            xmin, xmax, ymin, ymax, zmin, zmax = box.bounds
            self.workspace.section = SectionState(
                kind="box", bounds=(xmin, xmax, ymin, ymax, zmin / exaggeration,
                                    zmax / exaggeration))

        shown = np.array(section.bounds, dtype=float)
        shown[4:] *= exaggeration
        plotter.add_box_widget(moved, bounds=tuple(shown), factor=1.0, rotation_enabled=False,
                               color="#ffcc00", outline_translation=True, pass_widget=False)

    def _initial_box_bounds(self) -> tuple[float, ...]:
        selected = self.workspace.selection
        if selected and self.tools is not None and self.view is not None:
            box = self.tools.item_bounds(selected)
            if box is not None:
                pad = 0.5 * max(box[1] - box[0], box[3] - box[2], 4.0)
                e = self.view.exaggeration
                return (box[0] - pad * 2, box[1] + pad * 2, box[2] - pad * 2, box[3] + pad * 2,
                        box[4] / e - pad, box[5] / e + pad)
        return self._bounds()

    # -- visibility ---------------------------------------------------------------------------

    def show_all(self) -> None:
        """Show every hidden and X-rayed element."""
        self.workspace.hidden = frozenset()
        self.workspace.xray = frozenset()

    def element_menu(self, item: str, where: QPoint, parent: QWidget) -> QMenu | None:
        """Open the context menu of a model element (hide, isolate, X-ray, by element or class).

        Returns the menu (already shown) or ``None`` when ``item`` is not a model element.
        """
        if self.tools is None or item not in self.tools.classes:
            return None
        ifc_class = self.tools.classes[item]
        same_class = self.tools.items_of_class(ifc_class)
        menu = QMenu(parent)
        entries = [
            (self.tr("Fly to"), lambda: self.tools.fly_to(item, steps=8)),
            (self.tr("Hide"), lambda: self._hide([item])),
            (self.tr("Isolate"), lambda: self._isolate([item])),
            (self.tr("X-ray"), lambda: self._xray([item])),
            None,
            (self.tr("Hide all {ifc_class}").format(ifc_class=ifc_class),
             lambda: self._hide(same_class)),
            (self.tr("Isolate all {ifc_class}").format(ifc_class=ifc_class),
             lambda: self._isolate(same_class)),
            (self.tr("X-ray all {ifc_class}").format(ifc_class=ifc_class),
             lambda: self._xray(same_class)),
            None,
            (self.tr("Show all"), self.show_all),
        ]
        for entry in entries:
            if entry is None:
                menu.addSeparator()
                continue
            text, slot = entry
            menu.addAction(text).triggered.connect(slot)
        menu.popup(where)
        return menu

    def _hide(self, items: list[str]) -> None:
        self.workspace.hidden = self.workspace.hidden | frozenset(items)

    def _isolate(self, items: list[str]) -> None:
        assert self.tools is not None
        self.workspace.xray = self.workspace.xray - frozenset(items)
        self.workspace.hidden = self.tools.others(items)

    def _xray(self, items: list[str]) -> None:
        self.workspace.xray = self.workspace.xray | frozenset(items)

    # -- measuring ----------------------------------------------------------------------------

    def _toggle_measure(self, on: bool) -> None:
        self.points.clear()
        if self.view is not None and not on:
            self.view.plotter.remove_actor(MEASURE_ACTOR, render=True)

    @property
    def measuring(self) -> bool:
        """Whether clicks in the view pick measurement points."""
        return self.measure_action.isChecked() and self.view is not None

    def add_point(self, x: int, y: int) -> Measurement | None:
        """Take the point under display position (x, y); after two, measure and show it."""
        if self.view is None:
            return None
        hit = self.view.pick(x, y)
        if hit is None:
            return None
        self.points = [*self.points[-1:], hit.local] if len(self.points) < 2 else [hit.local]
        if len(self.points) < 2:
            return None
        result = measure(self.view.geometry.frame, self.points[0], self.points[1])
        self.last_measurement = result
        self._draw(self.points[0], self.points[1])
        self.measured.emit(result)
        return result

    def _draw(self, start: np.ndarray, end: np.ndarray) -> None:
        assert self.view is not None
        scale = np.array([1.0, 1.0, 1.0])  # the plotter's z scale applies exaggeration
        line = pv.Line(start * scale, end * scale)
        self.view.plotter.add_mesh(line, name=MEASURE_ACTOR, color="#ffcc00", line_width=4,
                                   pickable=False, reset_camera=False, render=True,
                                   lighting=False)
