"""Move a scene view's VTK camera to a review camera, read it back, and take a PNG snapshot.

:class:`~twin_app.core.review.CameraState` is in map coordinates with true heights; the view's
camera is in the scene's local frame with heights multiplied by the vertical exaggeration.  The
Qt layer and the video export use these three functions and nothing else to touch the camera for
reviews.
"""

from __future__ import annotations

import numpy as np
from vtkmodules.vtkIOImage import vtkPNGWriter
from vtkmodules.vtkRenderingCore import vtkWindowToImageFilter

from twin_app.core.review import CameraState
from twin_app.render.view import SceneView


def camera_state(view: SceneView) -> CameraState:
    """Return the view's camera as a map-coordinate :class:`CameraState`."""
    camera = view.plotter.camera
    scale = np.array([1.0, 1.0, view.exaggeration])
    frame = view.geometry.frame
    position = frame.local_to_map(np.asarray(camera.position) / scale)
    focal = frame.local_to_map(np.asarray(camera.focal_point) / scale)
    orthogonal = bool(camera.parallel_projection)
    return CameraState(
        position=tuple(float(v) for v in position),  # type: ignore[arg-type]
        focal_point=tuple(float(v) for v in focal),  # type: ignore[arg-type]
        up=tuple(float(v) for v in camera.up),  # type: ignore[arg-type]
        view_angle_deg=float(camera.view_angle),
        projection="orthogonal" if orthogonal else "perspective",
        view_height_m=2.0 * float(camera.parallel_scale) if orthogonal else None)


def move_camera(view: SceneView, state: CameraState, *, render: bool = False) -> None:
    """Put the view's camera where ``state`` (map coordinates) says."""
    frame = view.geometry.frame
    scale = np.array([1.0, 1.0, view.exaggeration])
    camera = view.plotter.camera
    camera.position = tuple(frame.map_to_local(state.position) * scale)
    camera.focal_point = tuple(frame.map_to_local(state.focal_point) * scale)
    camera.up = state.up
    camera.view_angle = state.view_angle_deg
    orthogonal = state.projection == "orthogonal" and state.view_height_m is not None
    camera.parallel_projection = orthogonal
    if orthogonal:
        assert state.view_height_m is not None
        camera.parallel_scale = state.view_height_m / 2.0
    view.plotter.renderer.ResetCameraClippingRange()
    if render:
        view.plotter.render()


def snapshot_png(view: SceneView) -> bytes:
    """Render the view and return it as PNG bytes (for a viewpoint's snapshot)."""
    view.plotter.render()
    grab = vtkWindowToImageFilter()
    grab.SetInput(view.plotter.render_window)
    grab.ReadFrontBufferOff()
    grab.Update()
    writer = vtkPNGWriter()
    writer.SetInputConnection(grab.GetOutputPort())
    writer.WriteToMemoryOn()
    writer.Write()
    result = writer.GetResult()
    return bytes(memoryview(result).cast("B")) if result is not None else b""
