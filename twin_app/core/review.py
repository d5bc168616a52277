"""Model review (施工例会): viewpoints, topics and comments, as evented models.

A :class:`ReviewViewpoint` records what the meeting looked at: the camera, the section, the
visible layers, the selected, hidden and X-rayed elements, the clock time and the scenario shown.
A :class:`Topic` is an issue raised in the meeting (BCF's "topic"): title, description, author,
status, priority, labels, comments, the elements or the point it is pinned to, and its viewpoints
with their snapshots.  A :class:`ReviewBoard` holds the topics and saved viewpoints of one scene;
:mod:`twin_app.core.review_store` keeps it on disk and :mod:`twin_app.io.bcf` exchanges it as BCF.

Every coordinate here is a **map** coordinate (the scene's projected CRS, heights in the scene's
datum), so a saved viewpoint survives a change of the scene's local origin.
:func:`capture_viewpoint` and :func:`apply_viewpoint` convert to and from the workspace, whose
section lives in the scene's local frame; the camera is passed as plain tuples
(:class:`~twin_app.core.camera.CameraState`) and the render or Qt layer moves the real camera.
"""

from __future__ import annotations

import re
import uuid
from datetime import UTC, datetime
from typing import Annotated, Literal

from psygnal import EventedModel
from pydantic import AfterValidator, AwareDatetime, BaseModel, ConfigDict, Field

from twin_app.core.camera import CameraState, Vector3, ViewSection, _vec
from twin_app.core.errors import InputError
from twin_app.core.geo import SceneFrame
from twin_app.core.workspace import Workspace

__all__ = ["CameraState", "Comment", "ReviewBoard", "ReviewViewpoint", "Topic", "ViewSection",
           "apply_viewpoint", "capture_viewpoint", "global_id_of", "new_guid"]
TopicStatus = Literal["open", "in_progress", "closed"]
TOPIC_STATUSES: tuple[TopicStatus, ...] = ("open", "in_progress", "closed")
PRIORITIES = ("Low", "Normal", "High", "Critical")
"""Suggested priorities (BCF leaves them free; imported files may carry others)."""

_GUID = re.compile(r"^[a-fA-F0-9]{8}-[a-fA-F0-9]{4}-[a-fA-F0-9]{4}-[a-fA-F0-9]{4}-[a-fA-F0-9]{12}$")
_IFC_GUID = re.compile(r"^[0-9A-Za-z_$]{22}$")


def new_guid() -> str:
    """Return a fresh lower-case UUID (the GUID form BCF uses for topics, comments, viewpoints)."""
    return str(uuid.uuid4())


def _check_guid(value: str) -> str:
    if not _GUID.match(value):
        msg = f"{value!r} is not a GUID like 3f2504e0-4f89-41d3-9a0c-0305e82c3301"
        raise ValueError(msg)
    return value


Guid = Annotated[str, AfterValidator(_check_guid)]


def utc_now() -> datetime:
    """Return the current time, timezone-aware UTC, to the second."""
    return datetime.now(UTC).replace(microsecond=0)


def global_id_of(item: str) -> str | None:
    """Return the IFC GlobalId of a model-element item id (``part:<asset>:<GlobalId>``), if any."""
    parts = item.split(":")
    if len(parts) == 3 and parts[0] == "part" and _IFC_GUID.match(parts[2]):
        return parts[2]
    return None


class _Value(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class ReviewViewpoint(_Value):
    """What the meeting looked at, restorable with :func:`apply_viewpoint`.

    Attributes
    ----------
    guid : str
        Identity (a GUID, as BCF needs).
    name : str
        A caption.
    camera : CameraState
        In map coordinates.
    section : ViewSection or None
        In map coordinates.
    visible_layers : tuple of str or None
        Ids of the layers shown; None leaves the layers as they are (viewpoints from other tools).
    selection, hidden, xray : tuple of str
        Item ids (``part:<asset>:<GlobalId>``, ``sensor:<id>``).
    time : datetime or None
        The clock time shown (UTC); None leaves the clock alone.
    scenario : str or None
        Id of the rehearsal scenario shown, if any.
    snapshot : bytes or None
        A PNG of the view.  Not part of the JSON form: the store keeps it in its own file.
    """

    guid: Guid = Field(default_factory=new_guid)
    name: str = ""
    camera: CameraState
    section: ViewSection | None = None
    visible_layers: tuple[str, ...] | None = None
    selection: tuple[str, ...] = ()
    hidden: tuple[str, ...] = ()
    xray: tuple[str, ...] = ()
    time: AwareDatetime | None = None
    scenario: str | None = None
    snapshot: bytes | None = Field(default=None, exclude=True, repr=False)

    def with_snapshot(self, png: bytes | None) -> ReviewViewpoint:
        """Return a copy carrying the PNG ``png`` (bytes starting with the PNG signature)."""
        if png is not None and not png.startswith(b"\x89PNG\r\n\x1a\n"):
            raise InputError("a viewpoint snapshot must be a PNG image",
                             hint="render it with plotter.screenshot(...) to a .png")
        return self.model_copy(update={"snapshot": png})


class Comment(_Value):
    """One remark in a topic's discussion."""

    guid: Guid = Field(default_factory=new_guid)
    author: Annotated[str, Field(min_length=1)]
    date: AwareDatetime = Field(default_factory=utc_now)
    text: str
    viewpoint: Guid | None = None
    modified_date: AwareDatetime | None = None
    modified_author: str | None = None


class Topic(EventedModel):
    """An issue raised in a review (a BCF topic).  Views listen to ``topic.events.<field>``.

    Attributes
    ----------
    guid : str
        Identity (GUID).
    title, description : str
        What the issue is.
    author : str
        Who raised it; ``created`` says when.
    status : {"open", "in_progress", "closed"}
        Where it stands.
    priority : str
        One of :data:`PRIORITIES`, or what another tool wrote.
    topic_type : str
        ``"Issue"``, ``"Request"``, ``"Comment"``, ... (BCF's TopicType).
    labels : tuple of str
        Free tags.
    assigned_to : str or None
        Who should act; ``due_date`` by when.
    pinned_elements : tuple of str
        IFC GlobalIds the topic is about.
    pinned_point : tuple of float or None
        A map point the topic is about.
    comments : tuple of Comment
        The discussion, oldest first.
    viewpoints : tuple of ReviewViewpoint
        Views of the issue (the first is the main one).
    """

    guid: Guid = Field(default_factory=new_guid)
    title: Annotated[str, Field(min_length=1)]
    description: str = ""
    author: Annotated[str, Field(min_length=1)]
    created: AwareDatetime = Field(default_factory=utc_now)
    modified: AwareDatetime | None = None
    modified_author: str | None = None
    status: TopicStatus = "open"
    priority: str = "Normal"
    topic_type: str = "Issue"
    labels: tuple[str, ...] = ()
    assigned_to: str | None = None
    due_date: AwareDatetime | None = None
    pinned_elements: tuple[str, ...] = ()
    pinned_point: Vector3 | None = None
    comments: tuple[Comment, ...] = ()
    viewpoints: tuple[ReviewViewpoint, ...] = ()

    def touch(self, author: str) -> None:
        """Record that ``author`` changed the topic now."""
        self.modified, self.modified_author = utc_now(), author

    def set_status(self, status: TopicStatus, author: str) -> None:
        """Move the topic to ``status`` (open, in_progress, closed)."""
        if status not in TOPIC_STATUSES:
            raise InputError(f"unknown topic status {status!r}",
                             hint=f"use one of {', '.join(TOPIC_STATUSES)}")
        self.status = status
        self.touch(author)

    def add_comment(self, author: str, text: str, *, viewpoint: str | None = None,
                    date: datetime | None = None) -> Comment:
        """Append a comment (optionally about one of the topic's viewpoints) and return it."""
        if viewpoint is not None and viewpoint not in {v.guid for v in self.viewpoints}:
            raise InputError(f"topic {self.title!r} has no viewpoint {viewpoint}",
                             hint="add the viewpoint to the topic first")
        comment = Comment(author=author, text=text, viewpoint=viewpoint,
                          date=date or utc_now())
        self.comments = (*self.comments, comment)
        return comment

    def add_viewpoint(self, viewpoint: ReviewViewpoint) -> None:
        """Append a viewpoint (the first one added is the topic's main view)."""
        self.viewpoints = (*self.viewpoints, viewpoint)

    def pin(self, *, elements: tuple[str, ...] | None = None,
            point: Vector3 | None = None) -> None:
        """Pin the topic to IFC GlobalIds (or element item ids) and/or a map point."""
        if elements is not None:
            ids = tuple(global_id_of(e) or e for e in elements)
            bad = [e for e in ids if not _IFC_GUID.match(e)]
            if bad:
                raise InputError(f"not IFC GlobalIds: {', '.join(bad)}",
                                 hint="pin model elements (part:<asset>:<GlobalId>)")
            self.pinned_elements = ids
        if point is not None:
            self.pinned_point = _vec(point)


class ReviewBoard(EventedModel):
    """The topics and saved viewpoints of one scene's reviews.

    Attributes
    ----------
    scene_id : str
        The scene the board belongs to.
    topics : tuple of Topic
        In the order they were raised (or imported).
    viewpoints : tuple of ReviewViewpoint
        Saved views not tied to a topic (a meeting's tour, a fly-through's stops).
    """

    model_config = ConfigDict(arbitrary_types_allowed=True)

    scene_id: str
    topics: tuple[Topic, ...] = ()
    viewpoints: tuple[ReviewViewpoint, ...] = ()

    def topic(self, guid: str) -> Topic:
        """Return the topic with ``guid`` (case-insensitive).

        Raises
        ------
        KeyError
            If there is none.
        """
        for topic in self.topics:
            if topic.guid.lower() == guid.lower():
                return topic
        raise KeyError(f"no topic {guid} in the review of {self.scene_id!r}")

    def add_topic(self, topic: Topic) -> Topic:
        """Add ``topic``, replacing one with the same GUID (an update from a BCF import)."""
        kept = tuple(t for t in self.topics if t.guid.lower() != topic.guid.lower())
        replaced = len(kept) != len(self.topics)
        if replaced:
            order = [t.guid.lower() for t in self.topics]
            merged = [*kept, topic]
            merged.sort(key=lambda t: order.index(t.guid.lower()))
            self.topics = tuple(merged)
        else:
            self.topics = (*self.topics, topic)
        return topic

    def remove_topic(self, guid: str) -> None:
        """Remove the topic with ``guid``."""
        topic = self.topic(guid)
        self.topics = tuple(t for t in self.topics if t is not topic)

    def add_viewpoint(self, viewpoint: ReviewViewpoint) -> None:
        """Save a view that belongs to no topic."""
        self.viewpoints = (*self.viewpoints, viewpoint)

    def count_by_status(self) -> dict[str, int]:
        """Return how many topics are open, in progress and closed."""
        counts = dict.fromkeys(TOPIC_STATUSES, 0)
        for topic in self.topics:
            counts[topic.status] += 1
        return counts


def capture_viewpoint(workspace: Workspace, camera: CameraState, *, name: str = "",
                      scenario: str | None = None, snapshot: bytes | None = None,
                      camera_frame: Literal["map", "local"] = "map") -> ReviewViewpoint:
    """Record the workspace's state and the camera as a viewpoint.

    Parameters
    ----------
    workspace : Workspace
        With a scene open.
    camera : CameraState
        The camera, in map coordinates, or in the local frame with ``camera_frame="local"``
        (what a VTK camera gives, with the vertical exaggeration already divided out).
    name : str
        Caption.
    scenario : str, optional
        Id of the scenario being played back.
    snapshot : bytes, optional
        A PNG of the view.
    camera_frame : {"map", "local"}
        The frame ``camera`` is given in.

    Returns
    -------
    ReviewViewpoint
        In map coordinates.
    """
    frame = _frame(workspace)
    if camera_frame == "local":
        camera = camera.to_map(frame)
    section = workspace.section
    viewpoint = ReviewViewpoint(
        name=name, camera=camera,
        section=ViewSection.from_local(section, frame) if section is not None else None,
        visible_layers=tuple(layer.id for layer in workspace.layers if layer.visible),
        selection=(workspace.selection,) if workspace.selection else (),
        hidden=tuple(sorted(workspace.hidden)), xray=tuple(sorted(workspace.xray)),
        time=workspace.clock.time if workspace.clock.mode == "history" else None,
        scenario=scenario)
    return viewpoint.with_snapshot(snapshot) if snapshot is not None else viewpoint


def apply_viewpoint(workspace: Workspace, viewpoint: ReviewViewpoint) -> CameraState:
    """Restore a viewpoint's layers, selection, hidden and X-ray items, section and clock.

    The camera is returned, not moved: the render or Qt layer moves the real camera (see
    ``twin_app.render.review_camera.move_camera``).  The scenario (``viewpoint.scenario``) is
    the caller's to load.

    Returns
    -------
    CameraState
        The viewpoint's camera, in map coordinates.
    """
    frame = _frame(workspace)
    if viewpoint.visible_layers is not None:
        shown = set(viewpoint.visible_layers)
        for layer in workspace.layers:
            layer.visible = layer.id in shown
    workspace.hidden = frozenset(viewpoint.hidden)
    workspace.xray = frozenset(viewpoint.xray)
    workspace.section = (viewpoint.section.to_local(frame) if viewpoint.section is not None
                         else None)
    workspace.selection = viewpoint.selection[0] if viewpoint.selection else None
    if viewpoint.time is not None:
        workspace.clock.set_time(viewpoint.time)
    return viewpoint.camera


def _frame(workspace: Workspace) -> SceneFrame:
    if workspace.document is None:
        raise InputError("no scene is open", hint="open a scene before saving or showing views")
    return SceneFrame.from_scene(workspace.document.spec)
