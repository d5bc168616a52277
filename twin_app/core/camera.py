"""A camera and a section as plain values, in map coordinates (or the scene's local frame).

:class:`CameraState` and :class:`ViewSection` are what review viewpoints, fly-throughs and BCF
exchange carry: tuples of floats, no VTK.  The render layer turns them into a real camera
(``twin_app.render.review_camera``).
"""

from __future__ import annotations

from typing import Annotated, Literal

import numpy as np
from pydantic import BaseModel, ConfigDict, Field

from twin_app.core.geo import SceneFrame
from twin_app.core.workspace import SectionState

Vector3 = tuple[float, float, float]


class _Value(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class CameraState(_Value):
    """A camera, in map coordinates (or, after :meth:`to_local`, in the scene's local frame).

    Attributes
    ----------
    position, focal_point : tuple of float
        Where the camera is and what it looks at.
    up : tuple of float
        The view's up direction.
    view_angle_deg : float
        Vertical field of view of a perspective camera, degrees.
    projection : {"perspective", "orthogonal"}
        Perspective, or parallel (orthogonal) projection.
    view_height_m : float or None
        Visible vertical extent of an orthogonal view, in metres (VTK's parallel scale is half
        of it); None for a perspective camera.
    """

    position: Vector3
    focal_point: Vector3
    up: Vector3 = (0.0, 0.0, 1.0)
    view_angle_deg: Annotated[float, Field(gt=0, lt=180)] = 30.0
    projection: Literal["perspective", "orthogonal"] = "perspective"
    view_height_m: Annotated[float, Field(gt=0)] | None = None

    @property
    def direction(self) -> Vector3:
        """Unit vector from the position to the focal point."""
        vector = np.subtract(self.focal_point, self.position)
        norm = float(np.linalg.norm(vector))
        if norm == 0.0:
            return (0.0, 1.0, 0.0)
        return tuple(float(v) for v in vector / norm)  # type: ignore[return-value]

    @property
    def distance(self) -> float:
        """Distance from the position to the focal point."""
        return float(np.linalg.norm(np.subtract(self.focal_point, self.position)))

    def to_local(self, frame: SceneFrame) -> CameraState:
        """Return this (map) camera shifted to the scene's local frame."""
        return self.model_copy(update={
            "position": _vec(frame.map_to_local(self.position)),
            "focal_point": _vec(frame.map_to_local(self.focal_point))})

    def to_map(self, frame: SceneFrame) -> CameraState:
        """Return this (local) camera shifted back to map coordinates."""
        return self.model_copy(update={
            "position": _vec(frame.local_to_map(self.position)),
            "focal_point": _vec(frame.local_to_map(self.focal_point))})


def _vec(values: object) -> Vector3:
    x, y, z = (float(v) for v in np.asarray(values, dtype=np.float64).reshape(3))
    return (x, y, z)


class ViewSection(_Value):
    """A section plane or box in **map** coordinates (the workspace keeps it in the local frame).

    Attributes
    ----------
    kind : {"plane", "box"}
        As :class:`~twin_app.core.workspace.SectionState`: a plane keeps what lies on the side
        its normal points to, a box keeps what lies inside.
    origin, normal : tuple of float
        The plane.
    bounds : tuple of float
        ``(xmin, xmax, ymin, ymax, zmin, zmax)`` of the box.
    """

    kind: Literal["plane", "box"]
    origin: Vector3 = (0.0, 0.0, 0.0)
    normal: Vector3 = (1.0, 0.0, 0.0)
    bounds: tuple[float, float, float, float, float, float] = (0.0,) * 6

    @classmethod
    def from_local(cls, section: SectionState, frame: SceneFrame) -> ViewSection:
        """Return the map-coordinate copy of a workspace section."""
        ox, oy, oz = frame.origin
        xmin, xmax, ymin, ymax, zmin, zmax = section.bounds
        return cls(kind=section.kind, origin=_vec(frame.local_to_map(section.origin)),
                   normal=section.normal,
                   bounds=(xmin + ox, xmax + ox, ymin + oy, ymax + oy, zmin + oz, zmax + oz))

    def to_local(self, frame: SceneFrame) -> SectionState:
        """Return the workspace section (local frame) this map section describes."""
        ox, oy, oz = frame.origin
        xmin, xmax, ymin, ymax, zmin, zmax = self.bounds
        return SectionState(kind=self.kind, origin=_vec(frame.map_to_local(self.origin)),
                            normal=self.normal,
                            bounds=(xmin - ox, xmax - ox, ymin - oy, ymax - oy, zmin - oz,
                                    zmax - oz))
