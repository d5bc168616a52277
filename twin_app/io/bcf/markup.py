"""A topic <-> a BCF ``Markup`` (``<topic GUID>/markup.bcf``), BCF 2.1 and 3.0.

The two versions hold the same information in different shapes: 2.1 repeats ``Labels`` and
``ReferenceLink`` and puts ``Comment`` and ``Viewpoints`` after the ``Topic``; 3.0 wraps them
(``Labels/Label``, ``Comments/Comment``, ``Viewpoints/ViewPoint``) inside the ``Topic``, requires
``TopicType`` and ``TopicStatus``, forbids blank strings and wants lower-case GUIDs.  The reader
accepts either shape whatever ``bcf.version`` says.

Statuses: the app's ``open`` / ``in_progress`` / ``closed`` are written as ``Open`` /
``In Progress`` / ``Closed``.  Other tools' statuses are read case-insensitively: ``New``,
``Active``, ``ReOpened``, ``Assigned`` -> open; ``In Progress``, ``Resolved``, ``Pending``,
``Under Review`` -> in_progress; ``Closed``, ``Done``, ``Approved``, ``Void`` -> closed; anything
else -> open (kept as a ``status:<name>`` label so nothing is lost).
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from typing import Any

from twin_app.core.review import Comment, Topic, TopicStatus
from twin_app.io.bcf._xml import date_text, parse_date, sub, text_if
from twin_app.io.bcf.frame import IfcFileInfo
from twin_app.io.bcf.state import SNIPPET_FILE, SNIPPET_SCHEMA, SNIPPET_TYPE, state_labels

STATUS_NAMES: dict[str, str] = {"open": "Open", "in_progress": "In Progress", "closed": "Closed"}
_STATUS_IN: dict[str, TopicStatus] = {
    **dict.fromkeys(("open", "new", "active", "reopened", "assigned", "opened"), "open"),
    **dict.fromkeys(("inprogress", "resolved", "pending", "underreview", "inreview", "started"),
                    "in_progress"),
    **dict.fromkeys(("closed", "done", "approved", "void", "archived", "rejected"), "closed")}


def status_from_bcf(name: str | None) -> tuple[TopicStatus, str | None]:
    """Return the app status of a BCF status name, and a label keeping an unknown name."""
    if not name or not name.strip():
        return "open", None
    key = "".join(ch for ch in name.lower() if ch.isalnum())
    if key in _STATUS_IN:
        return _STATUS_IN[key], None
    return "open", f"status:{name.strip()}"


@dataclass
class ViewpointRef:
    """A viewpoint entry of a markup: its GUID and the files it names (relative to the topic)."""

    guid: str
    viewpoint: str | None
    snapshot: str | None
    index: int | None = None


@dataclass
class MarkupContent:
    """What a markup file says, before its viewpoints are read."""

    fields: dict[str, Any]
    comments: list[Comment] = field(default_factory=list)
    viewpoints: list[ViewpointRef] = field(default_factory=list)
    snippet: tuple[str, str] | None = None
    """(SnippetType, Reference) of the topic's BIM snippet, if any."""


def markup_xml(topic: Topic, version: str, files: list[tuple[str, str]],
               model: IfcFileInfo | None, index: int) -> ET.Element:
    """Return the ``Markup`` element of ``topic``.

    Parameters
    ----------
    topic : Topic
        The topic.
    version : {"2.1", "3.0"}
        The BCF version.
    files : list of (str, str)
        ``(viewpoint file, snapshot file or "")`` per viewpoint, in the topic's order.
    model : IfcFileInfo, optional
        The IFC file the topic refers to (the markup's Header).
    index : int
        The topic's position (BCF ``Index``).
    """
    v3 = version == "3.0"
    root = ET.Element("Markup")
    if model is not None:
        header = sub(root, "Header")
        file_parent = sub(header, "Files") if v3 else header
        entry = sub(file_parent, "File", IfcProject=model.project_guid,
                    **{"IsExternal" if v3 else "isExternal": "true"})
        text_if(entry, "Filename", model.filename)
    element = sub(root, "Topic", Guid=topic.guid.lower(), TopicType=topic.topic_type or "Issue",
                  TopicStatus=STATUS_NAMES[topic.status])
    text_if(element, "Title", topic.title)
    text_if(element, "Priority", topic.priority)
    sub(element, "Index", str(index))
    labels = [label for label in (*topic.labels, *state_labels(topic)) if label.strip()]
    label_parent = sub(element, "Labels") if v3 and labels else element
    for label in labels:
        sub(label_parent, "Label" if v3 else "Labels", label)
    sub(element, "CreationDate", date_text(topic.created))
    sub(element, "CreationAuthor", topic.author)
    if topic.modified is not None:
        sub(element, "ModifiedDate", date_text(topic.modified))
        text_if(element, "ModifiedAuthor", topic.modified_author or topic.author)
    if topic.due_date is not None:
        sub(element, "DueDate", date_text(topic.due_date))
    text_if(element, "AssignedTo", topic.assigned_to)
    text_if(element, "Description", topic.description)
    snippet = sub(element, "BimSnippet", SnippetType=SNIPPET_TYPE)
    sub(snippet, "Reference", SNIPPET_FILE)
    sub(snippet, "ReferenceSchema", SNIPPET_SCHEMA)
    comment_parent = (sub(element, "Comments") if topic.comments else element) if v3 else root
    for comment in topic.comments:
        _comment(comment_parent, comment, v3)
    viewpoint_parent = (sub(element, "Viewpoints") if topic.viewpoints else element) if v3 \
        else root
    for number, (viewpoint, (bcfv, png)) in enumerate(zip(topic.viewpoints, files, strict=True)):
        ref = sub(viewpoint_parent, "ViewPoint" if v3 else "Viewpoints",
                  Guid=viewpoint.guid.lower())
        sub(ref, "Viewpoint", bcfv)
        if png:
            sub(ref, "Snapshot", png)
        sub(ref, "Index", str(number))
    return root


def _comment(parent: ET.Element, comment: Comment, v3: bool) -> None:
    element = sub(parent, "Comment", Guid=comment.guid.lower())
    sub(element, "Date", date_text(comment.date))
    sub(element, "Author", comment.author)
    if v3:
        text_if(element, "Comment", comment.text)
    else:
        sub(element, "Comment", comment.text)
    if comment.viewpoint is not None:
        sub(element, "Viewpoint", Guid=comment.viewpoint.lower())
    if comment.modified_date is not None:
        sub(element, "ModifiedDate", date_text(comment.modified_date))
        text_if(element, "ModifiedAuthor", comment.modified_author or comment.author)


def _texts(topic: ET.Element, wrapper: str, tag: str) -> list[str]:
    """Texts of 2.1-style repeated ``<wrapper>`` or 3.0-style ``<wrapper><tag>``."""
    values = []
    for element in topic.findall(wrapper):
        children = element.findall(tag)
        if children:
            values += [c.text.strip() for c in children if c.text and c.text.strip()]
        elif element.text and element.text.strip():
            values.append(element.text.strip())
    return values


def read_markup(root: ET.Element, where: str) -> MarkupContent:
    """Read a ``Markup`` (2.1 or 3.0) into topic fields, comments and viewpoint references."""
    topic = root.find("Topic")
    if topic is None:
        from twin_app.io.bcf._xml import BcfReadError

        raise BcfReadError(f"{where}: no Topic element",
                           hint="the markup file is damaged; ask for a new export")
    status, extra_label = status_from_bcf(topic.get("TopicStatus"))
    labels = _texts(topic, "Labels", "Label") + ([extra_label] if extra_label else [])
    modified = parse_date(topic.findtext("ModifiedDate"), where)
    fields: dict[str, Any] = {
        "guid": topic.get("Guid", "").lower(),
        "title": (topic.findtext("Title") or "").strip() or "(untitled)",
        "description": (topic.findtext("Description") or "").strip(),
        "author": (topic.findtext("CreationAuthor") or "").strip() or "unknown",
        "created": parse_date(topic.findtext("CreationDate"), where),
        "modified": modified,
        "modified_author": (topic.findtext("ModifiedAuthor") or "").strip() or None,
        "status": status,
        "priority": (topic.findtext("Priority") or "").strip() or "Normal",
        "topic_type": (topic.get("TopicType") or "").strip() or "Issue",
        "labels": tuple(labels),
        "assigned_to": (topic.findtext("AssignedTo") or "").strip() or None,
        "due_date": parse_date(topic.findtext("DueDate"), where)}
    content = MarkupContent(fields={k: v for k, v in fields.items() if v is not None})
    for element in [*root.findall("Comment"), *topic.findall("Comments/Comment")]:
        viewpoint = element.find("Viewpoint")
        date = parse_date(element.findtext("Date"), where)
        comment = {"author": (element.findtext("Author") or "").strip() or "unknown",
                   "text": (element.findtext("Comment") or "").strip(),
                   "viewpoint": viewpoint.get("Guid", "").lower() if viewpoint is not None
                   else None,
                   "modified_date": parse_date(element.findtext("ModifiedDate"), where),
                   "modified_author": (element.findtext("ModifiedAuthor") or "").strip() or None}
        if element.get("Guid"):
            comment["guid"] = element.get("Guid", "").lower()
        if date is not None:
            comment["date"] = date
        content.comments.append(Comment(**{k: v for k, v in comment.items() if v is not None}))
    for element in [*root.findall("Viewpoints"), *topic.findall("Viewpoints/ViewPoint")]:
        index = element.findtext("Index")
        content.viewpoints.append(ViewpointRef(
            guid=element.get("Guid", "").lower(),
            viewpoint=(element.findtext("Viewpoint") or "").strip() or None,
            snapshot=(element.findtext("Snapshot") or "").strip() or None,
            index=int(index) if index and index.strip().lstrip("-").isdigit() else None))
    content.viewpoints.sort(key=lambda ref: (ref.index is None, ref.index or 0))
    snippet = topic.find("BimSnippet")
    if snippet is not None:
        content.snippet = (snippet.get("SnippetType", ""), snippet.findtext("Reference") or "")
    return content
