"""Two 3D views of one scene: the second draws the first's meshes and looks through its camera.

:class:`SceneMirror` gives a second plotter an actor for every 3D actor of the first (terrain tiles,
models, vectors, water surfaces, sensors), each with its own mapper on the *same* data set: the
meshes are shared, not copied or reloaded, and what the first view changes on them (a tile
loaded, a gate moved, an element X-rayed, a layer hidden) the second shows after
:meth:`SceneMirror.sync`.  :class:`CameraLink` puts both views on one camera and asks the other
view for a frame only when the camera really moved since it last drew, so orbiting one view
moves the other without the two asking each other for frames forever.  No Qt here.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from typing import Any

import pyvista as pv
from vtkmodules.vtkRenderingCore import vtkActor, vtkCamera, vtkLight

logger = logging.getLogger(__name__)

MIRROR_PREFIX = "mirror:"
"""Names of the mirrored actors in the second plotter: this prefix and the source's name."""


def _signature(actor: vtkActor) -> tuple[int, ...]:
    """Return what changes when an actor's look, place or data change (VTK modified times)."""
    mapper = actor.GetMapper()
    data = mapper.GetInputDataObject(0, 0) if mapper is not None else None
    return (actor.GetMTime(), mapper.GetMTime() if mapper is not None else 0,
            data.GetMTime() if data is not None else 0)


def _copy_mapper(source: Any, mapper: Any) -> None:
    """Give ``mapper`` the settings and the input of ``source`` (the data set is not copied).

    The settings are the colours, lookup table, scalar mode and clipping planes.
    """
    mapper.ShallowCopy(source)
    if source.GetNumberOfInputConnections(0):
        mapper.SetInputConnection(source.GetInputConnection(0, 0))
    mapper.SetInterpolateScalarsBeforeMapping(source.GetInterpolateScalarsBeforeMapping())


def match_look(source: Any, target: Any) -> None:
    """Give renderer ``target`` the background and the lights of renderer ``source``.

    The lights are copied (the main view may have none after its plotter was cleared, and then
    draws unlit colours; the second view must draw the same colours).
    """
    target.SetBackground(source.GetBackground())
    target.SetBackground2(source.GetBackground2())
    target.SetGradientBackground(source.GetGradientBackground())
    target.SetGradientMode(source.GetGradientMode())
    target.RemoveAllLights()
    for light in source.GetLights():
        copy = vtkLight()
        copy.DeepCopy(light)
        target.AddLight(copy)
    target.SetAutomaticLightCreation(source.GetAutomaticLightCreation())


class SceneMirror:
    """Keeps a second plotter's actors in step with the 3D actors of a first one.

    Parameters
    ----------
    source : pyvista.BasePlotter
        The view whose scene is mirrored.
    target : pyvista.BasePlotter
        The view that draws it too.
    skip : iterable of str
        Names of source actors not to mirror (what each view draws for itself).
    """

    def __init__(self, source: Any, target: Any, skip: Iterable[str] = ()) -> None:
        self.source = source
        self.target = target
        self.skip = frozenset(skip)
        self.mirrors: dict[str, tuple[vtkActor, vtkActor]] = {}
        """Source actor name -> (source actor, its mirror)."""
        self._signatures: dict[str, tuple[int, ...]] = {}

    def _sources(self) -> dict[str, vtkActor]:
        return {name: actor for name, actor in self.source.renderer.actors.items()
                if isinstance(actor, vtkActor) and name not in self.skip
                and actor.GetMapper() is not None}

    def sync(self) -> bool:
        """Add, drop and update mirrors to match the source now; return whether anything changed."""
        sources = self._sources()
        changed = self._match_scale()
        for name in [name for name in self.mirrors if name not in sources]:
            self._drop(name)
            changed = True
        for name, actor in sources.items():
            known = self.mirrors.get(name)
            if known is None or known[0] is not actor:
                if known is not None:
                    self._drop(name)
                self.mirrors[name] = (actor, self._add(name, actor))
            signature = _signature(actor)
            previous = self._signatures.get(name)
            if previous != signature:
                self._signatures[name] = signature
                mirror = self.mirrors[name][1]
                if previous is not None and previous[1] != signature[1]:
                    _copy_mapper(actor.GetMapper(), mirror.GetMapper())  # recoloured
                self._copy_state(actor, mirror)
                changed = True
        return changed

    def _match_scale(self) -> bool:
        """Give the target renderer the source's scale (vertical exaggeration)."""
        scale = list(self.source.renderer.scale)
        if list(self.target.renderer.scale) == scale:
            return False
        self.target.set_scale(*scale, reset_camera=False, render=False)
        return True

    def _add(self, name: str, actor: vtkActor) -> vtkActor:
        source_mapper = actor.GetMapper()
        mapper = source_mapper.NewInstance()
        _copy_mapper(source_mapper, mapper)
        mirror = pv.Actor(mapper=mapper)
        mirror.SetProperty(actor.GetProperty())  # shared: opacity and colour changes follow
        if actor.GetBackfaceProperty() is not None:
            mirror.SetBackfaceProperty(actor.GetBackfaceProperty())
        self.target.add_actor(mirror, name=MIRROR_PREFIX + name, reset_camera=False,
                              render=False, pickable=False)
        return mirror

    @staticmethod
    def _copy_state(actor: vtkActor, mirror: vtkActor) -> None:
        mirror.SetVisibility(actor.GetVisibility())
        mirror.SetPosition(actor.GetPosition())
        mirror.SetOrientation(actor.GetOrientation())
        mirror.SetOrigin(actor.GetOrigin())
        mirror.SetScale(actor.GetScale())
        mirror.SetUserMatrix(actor.GetUserMatrix())

    def _drop(self, name: str) -> None:
        self.mirrors.pop(name)
        self._signatures.pop(name, None)
        self.target.remove_actor(MIRROR_PREFIX + name, reset_camera=False, render=False)

    def close(self) -> None:
        """Take every mirrored actor out of the target (the source is untouched)."""
        for name in list(self.mirrors):
            self._drop(name)


def camera_pose(camera: vtkCamera) -> tuple[Any, ...]:
    """Where a camera is and how it looks (not its clipping range, which each view sets)."""
    return (camera.GetPosition(), camera.GetFocalPoint(), camera.GetViewUp(),
            camera.GetViewAngle(), camera.GetParallelProjection(), camera.GetParallelScale())


class CameraLink:
    """Two plotters looking through one camera; a move drawn in one is drawn in the other.

    The second plotter takes the first's camera.  After each frame of either view, the camera's
    pose is compared with the pose the other view last drew (or was asked to draw): only if they
    differ is the other view asked for a frame.  A frame does not move the camera (only its
    clipping range, which is left out of the pose), so the views never ask each other back.

    Parameters
    ----------
    first, second : pyvista.BasePlotter
        The two views (``render()`` of a Qt view only schedules a paint).
    on_drawn : callable, optional
        Called with the view's index (0, 1) after each frame of it (after the link's own work).
    """

    def __init__(self, first: Any, second: Any,
                 on_drawn: Callable[[int], None] | None = None) -> None:
        self.plotters = (first, second)
        self.on_drawn = on_drawn
        self.camera = first.renderer.GetActiveCamera()
        second.renderer.SetActiveCamera(self.camera)
        second.renderer._camera = first.renderer.camera  # pyvista's own reference, same object
        pose = camera_pose(self.camera)
        self._drawn: list[tuple[Any, ...] | None] = [pose, None]
        self.requests = [0, 0]
        """Frames the link asked of each view (for tests and reports)."""
        self._tags = [(plotter.renderer, plotter.renderer.AddObserver(
            "EndEvent", lambda *_, i=index: self._after_frame(i)))
            for index, plotter in enumerate(self.plotters)]

    def _after_frame(self, index: int) -> None:
        pose = camera_pose(self.camera)
        self._drawn[index] = pose
        other = 1 - index
        if self._drawn[other] != pose:
            self._drawn[other] = pose  # asked for: not asked again until the camera moves on
            self.requests[other] += 1
            self.plotters[other].render()
        if self.on_drawn is not None:
            self.on_drawn(index)

    def close(self) -> None:
        """Stop following frames and give the second view a camera of its own again."""
        for renderer, tag in self._tags:
            renderer.RemoveObserver(tag)
        self._tags = []
        second = self.plotters[1].renderer
        own = pv.Camera()
        own.DeepCopy(self.camera)
        second.SetActiveCamera(own)
        second._camera = own
        self.on_drawn = None
