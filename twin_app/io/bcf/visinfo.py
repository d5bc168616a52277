"""A review viewpoint <-> a BCF ``VisualizationInfo`` (``*.bcfv``), BCF 2.1 and 3.0.

- **Camera**: in the IFC model's world coordinates (:class:`~twin_app.io.bcf.frame.ModelFrame`).
  ``PerspectiveCamera.FieldOfView`` is the vertical angle (VTK's ``view_angle``); BCF 2.1's schema
  only allows 45 to 60 degrees, so a 2.1 file carries the angle clamped to that range (the exact
  angle travels in the twin-state snippet, see :mod:`twin_app.io.bcf.state`).  An orthogonal view
  writes ``ViewToWorldScale`` = the visible vertical extent in metres.  BCF stores no focal
  point: on import the camera looks along its direction at the snippet's focal distance, or else
  at the point of its view ray nearest the model's origin (at least 10 m ahead).
- **Components** by IFC GlobalId: ``Selection`` = selected items (and the topic's pinned elements
  in its first viewpoint); ``Visibility DefaultVisibility="true"`` with the hidden items as
  ``Exceptions``; X-rayed items as ``Coloring`` with a translucent ARGB colour (alpha < 0x80).
- **Clipping planes**: a section plane is one plane whose Direction points to the side that is cut
  away (BCF's convention), i.e. minus the workspace normal; a section box is six planes, one per
  face, pointing outwards.  On import one plane gives a plane section, six axis-aligned planes a
  box, anything else the first plane (with a warning).
- **Lines**: a topic's pinned point is drawn as a 3 m vertical line (tools show it as markup).
"""

from __future__ import annotations

import logging
import xml.etree.ElementTree as ET
from collections.abc import Callable, Sequence

import numpy as np

from twin_app.core.review import CameraState, ReviewViewpoint, ViewSection, global_id_of
from twin_app.io.bcf._xml import number, png_aspect, read_xyz, sub, xyz
from twin_app.io.bcf.frame import ModelFrame

logger = logging.getLogger(__name__)

XRAY_ARGB = "2E9FC5E8"
"""Colour of X-rayed components: alpha 0x2E (18 %) then RGB #9FC5E8 (ARGB, as BCF says)."""
FOV_RANGE_21 = (45.0, 60.0)
PIN_LINE_M = 3.0


def _components(parent: ET.Element, guids: Sequence[str]) -> None:
    for guid in guids:
        sub(parent, "Component", IfcGuid=guid)


def _ids(items: Sequence[str]) -> list[str]:
    return sorted({g for g in (global_id_of(i) or (i if len(i) == 22 else None)
                               for i in items) if g})


def viewpoint_xml(viewpoint: ReviewViewpoint, frame: ModelFrame, version: str, *,
                  pinned: Sequence[str] = (),
                  pin_point: tuple[float, float, float] | None = None) -> ET.Element:
    """Return the ``VisualizationInfo`` element of ``viewpoint``.

    Parameters
    ----------
    viewpoint : ReviewViewpoint
        In map coordinates.
    frame : ModelFrame
        Map -> model world coordinates.
    version : {"2.1", "3.0"}
        The BCF version to write.
    pinned : sequence of str
        GlobalIds added to the selection (a topic's pinned elements).
    pin_point : tuple of float, optional
        A map point drawn as a vertical line.
    """
    root = ET.Element("VisualizationInfo", Guid=viewpoint.guid.lower())
    components = sub(root, "Components")
    if version == "2.1":
        sub(components, "ViewSetupHints", SpacesVisible="false", SpaceBoundariesVisible="false",
            OpeningsVisible="false")
    selected = sorted(set(_ids(viewpoint.selection)) | set(pinned))
    if selected:
        _components(sub(components, "Selection"), selected)
    visibility = sub(components, "Visibility", DefaultVisibility="true")
    if version == "3.0":
        sub(visibility, "ViewSetupHints", SpacesVisible="false", SpaceBoundariesVisible="false",
            OpeningsVisible="false")
    hidden = _ids(viewpoint.hidden)
    if hidden:
        _components(sub(visibility, "Exceptions"), hidden)
    xray = _ids(viewpoint.xray)
    if xray:
        colour = sub(sub(components, "Coloring"), "Color", Color=XRAY_ARGB)
        _components(colour if version == "2.1" else sub(colour, "Components"), xray)
    _camera(root, viewpoint, frame, version)
    if pin_point is not None:
        top = np.add(pin_point, (0.0, 0.0, PIN_LINE_M))
        line = sub(sub(root, "Lines"), "Line")
        xyz(line, "StartPoint", frame.to_model(pin_point)[0])
        xyz(line, "EndPoint", frame.to_model(top)[0])
    if viewpoint.section is not None:
        planes = sub(root, "ClippingPlanes")
        for location, direction in section_planes(viewpoint.section):
            plane = sub(planes, "ClippingPlane")
            xyz(plane, "Location", frame.to_model(location)[0])
            xyz(plane, "Direction", frame.direction_to_model(direction, location))
    return root


def _camera(root: ET.Element, viewpoint: ReviewViewpoint, frame: ModelFrame,
            version: str) -> None:
    camera = viewpoint.camera
    position = camera.position
    orthogonal = camera.projection == "orthogonal" and camera.view_height_m is not None
    element = sub(root, "OrthogonalCamera" if orthogonal else "PerspectiveCamera")
    xyz(element, "CameraViewPoint", frame.to_model(position)[0])
    xyz(element, "CameraDirection", frame.direction_to_model(camera.direction, position))
    xyz(element, "CameraUpVector", frame.direction_to_model(_unit(camera.up), position))
    if orthogonal:
        assert camera.view_height_m is not None
        sub(element, "ViewToWorldScale", number(frame.length_to_model(camera.view_height_m)))
    else:
        angle = camera.view_angle_deg
        if version == "2.1":
            low, high = FOV_RANGE_21
            if not low <= angle <= high:
                logger.info("BCF 2.1 allows a field of view of 45-60 degrees only: %.1f written "
                            "as %.1f (the exact angle is kept in the twin-state snippet)", angle,
                            min(max(angle, low), high))
            angle = min(max(angle, low), high)
        sub(element, "FieldOfView", number(angle))
    if version == "3.0":
        sub(element, "AspectRatio", number(png_aspect(viewpoint.snapshot)))


def _unit(vector: Sequence[float]) -> np.ndarray:
    array = np.asarray(vector, dtype=np.float64)
    return array / np.linalg.norm(array)


def section_planes(section: ViewSection) -> list[tuple[np.ndarray, np.ndarray]]:
    """Return ``(location, direction)`` map planes of a section, directions to the cut side."""
    if section.kind == "plane":
        return [(np.asarray(section.origin, dtype=np.float64),
                 -_unit(section.normal))]
    xmin, xmax, ymin, ymax, zmin, zmax = section.bounds
    centre = np.array([(xmin + xmax) / 2, (ymin + ymax) / 2, (zmin + zmax) / 2])
    planes = []
    for axis, (low, high) in enumerate(((xmin, xmax), (ymin, ymax), (zmin, zmax))):
        for value, sign in ((low, -1.0), (high, 1.0)):
            location = centre.copy()
            location[axis] = value
            direction = np.zeros(3)
            direction[axis] = sign
            planes.append((location, direction))
    return planes


def _box(planes: Sequence[tuple[np.ndarray, np.ndarray]]
         ) -> tuple[tuple[float, ...], bool] | None:
    """Return the map bounds of six planes that enclose a box, and whether it is map-aligned."""
    normals = [_unit(direction) for _, direction in planes]
    pairs, used = [], set()
    for i in range(6):
        for j in range(i + 1, 6):
            if i not in used and j not in used and float(np.dot(normals[i], normals[j])) < -0.999:
                pairs.append((i, j))
                used |= {i, j}
    if len(pairs) != 3:
        return None
    axes = np.array([normals[i] for i, _ in pairs])
    if not np.allclose(np.abs(axes @ axes.T), np.eye(3), atol=1e-3):
        return None
    high = np.array([float(np.dot(normals[i], planes[i][0])) for i, _ in pairs])
    low = np.array([float(np.dot(normals[i], planes[j][0])) for i, j in pairs])
    if np.any(low >= high):
        return None
    corners = np.array([np.linalg.solve(axes, [c0, c1, c2]) for c0 in (low[0], high[0])
                        for c1 in (low[1], high[1]) for c2 in (low[2], high[2])])
    bounds = tuple(float(v) for pair in zip(corners.min(axis=0), corners.max(axis=0),
                                            strict=True) for v in pair)
    aligned = bool(np.allclose(np.abs(axes).max(axis=1), 1.0, atol=1e-6))
    return bounds, aligned


def read_section(planes: Sequence[tuple[np.ndarray, np.ndarray]],
                 warnings: list[str]) -> ViewSection | None:
    """Turn map clipping planes (direction to the cut side) back into a section.

    Six planes that enclose a box give a box section; a box turned against the map axes (from a
    tool working in the model's axes) becomes the map-aligned box around it, with a warning.
    One plane gives a plane section; any other set gives its first plane, with a warning.
    """
    if not planes:
        return None
    if len(planes) == 6:
        found = _box(planes)
        if found is not None:
            bounds, aligned = found
            if not aligned:
                warnings.append("the section box is turned against the map axes: shown as the "
                                "map-aligned box around it")
            return ViewSection(kind="box", bounds=bounds)  # type: ignore[arg-type]
    if len(planes) > 1:
        warnings.append(f"{len(planes)} clipping planes that are not a box: only the first is "
                        "shown")
    location, direction = planes[0]
    return ViewSection(kind="plane", origin=_t(location), normal=_t(-_unit(direction)))


def read_viewpoint(root: ET.Element, frame: ModelFrame, where: str, *,
                   item_for: Callable[[str], str], all_items: Sequence[str] | None,
                   warnings: list[str]) -> ReviewViewpoint:
    """Read a ``VisualizationInfo`` (2.1 or 3.0) into a viewpoint in map coordinates.

    Parameters
    ----------
    root : Element
        The parsed ``.bcfv``.
    frame : ModelFrame
        Model world -> map coordinates.
    where : str
        The member name, for messages.
    item_for : callable
        GlobalId -> item id (``part:<asset>:<GlobalId>``).
    all_items : sequence of str, optional
        Every model item; needed to honour ``DefaultVisibility="false"``.
    warnings : list of str
        Receives what could not be carried over.
    """
    components = root.find("Components")
    selection, hidden, xray = [], [], []
    if components is not None:
        selection = [item_for(c.get("IfcGuid", "")) for c in components.iter("Component")
                     if _under(components, "Selection", c) and c.get("IfcGuid")]
        hidden = _hidden(components, item_for, all_items, where, warnings)
        for colour in components.iter("Color"):
            value = colour.get("Color", "")
            if len(value) == 8 and int(value[:2], 16) < 0x80:
                xray += [item_for(c.get("IfcGuid", "")) for c in colour.iter("Component")
                         if c.get("IfcGuid")]
    camera = _read_camera(root, frame, where)
    planes = []
    for plane in root.iter("ClippingPlane"):
        location = frame.to_map(read_xyz(plane.find("Location"), where))[0]
        model_direction = read_xyz(plane.find("Direction"), where)
        direction = frame.direction_to_map(model_direction, frame.to_model(location)[0])
        planes.append((location, direction))
    identity = {"guid": root.get("Guid", "").lower()} if root.get("Guid") else {}
    return ReviewViewpoint(**identity, camera=camera, section=read_section(planes, warnings),
                           selection=tuple(selection), hidden=tuple(sorted(set(hidden))),
                           xray=tuple(sorted(set(xray))))


def _under(components: ET.Element, tag: str, component: ET.Element) -> bool:
    block = components.find(tag)
    return block is not None and any(c is component for c in block.iter("Component"))


def _hidden(components: ET.Element, item_for: Callable[[str], str],
            all_items: Sequence[str] | None, where: str, warnings: list[str]) -> list[str]:
    visibility = components.find("Visibility")
    if visibility is None:  # BCF 2.0 style: per-component Visible attributes
        return [item_for(c.get("IfcGuid", "")) for c in components.iter("Component")
                if c.get("Visible", "").lower() == "false" and c.get("IfcGuid")]
    default = visibility.get("DefaultVisibility", "true").strip().lower() in ("true", "1")
    exceptions = [item_for(c.get("IfcGuid", "")) for c in visibility.iter("Component")
                  if c.get("IfcGuid")]
    if default:
        return exceptions
    if all_items is None:
        warnings.append(f"{where}: DefaultVisibility=false needs the model's element list; "
                        "everything is shown")
        return []
    shown = set(exceptions)
    return [item for item in all_items if item not in shown]


def _read_camera(root: ET.Element, frame: ModelFrame, where: str) -> CameraState:
    element = root.find("PerspectiveCamera")
    orthogonal = element is None
    if orthogonal:
        element = root.find("OrthogonalCamera")
    if element is None:
        origin = frame.to_map((0.0, 0.0, 0.0))[0]
        return CameraState(position=_t(np.add(origin, (-100.0, -100.0, 100.0))),
                           focal_point=_t(origin))
    model_position = np.asarray(read_xyz(element.find("CameraViewPoint"), where))
    position = frame.to_map(model_position)[0]
    direction = frame.direction_to_map(read_xyz(element.find("CameraDirection"), where),
                                       model_position)
    up = frame.direction_to_map(read_xyz(element.find("CameraUpVector"), where), model_position)
    origin = frame.to_map((0.0, 0.0, 0.0))[0]
    ahead = max(float(np.dot(origin - position, direction)), 10.0)
    values = {"position": _t(position), "focal_point": _t(position + ahead * direction),
              "up": _t(up)}
    if orthogonal:
        scale = float(element.findtext("ViewToWorldScale", "0") or 0)
        return CameraState(**values, projection="orthogonal",
                           view_height_m=frame.length_to_map(scale) if scale > 0 else 100.0)
    angle = float(element.findtext("FieldOfView", "45") or 45)
    return CameraState(**values, view_angle_deg=min(max(angle, 1.0), 179.0))


def _t(values: np.ndarray) -> tuple[float, float, float]:
    return (float(values[0]), float(values[1]), float(values[2]))
