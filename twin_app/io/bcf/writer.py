"""Write review topics as a BCF 2.1 or 3.0 archive (``.bcf`` / ``.bcfzip``).

Archive layout (buildingSMART BCF-XML):

- ``bcf.version`` -- ``<Version VersionId="2.1"><DetailedVersion>2.1</DetailedVersion>`` or
  ``<Version VersionId="3.0"/>``;
- ``project.bcfp`` -- 2.1 ``ProjectExtension`` (project id and name, ``ExtensionSchema``) or 3.0
  ``ProjectInfo``;
- 3.0 only: ``extensions.xml`` (the topic types, statuses, priorities, labels, users and snippet
  types the file uses) and, when documents are attached, ``documents.xml`` with the files in
  ``Documents/<document GUID>``;
- one folder per topic, named by its GUID: ``markup.bcf``; per viewpoint a ``.bcfv`` and a PNG
  snapshot (the first are ``viewpoint.bcfv`` and ``snapshot.png``, as BCF 2.1 asks); the
  twin-state snippet ``twin_app_state.json`` (see :mod:`twin_app.io.bcf.state`).

Folder entries are written into the zip's central directory, paths use ``/`` (the standard's
encoding guide).  Cameras and planes are converted to the IFC model's world coordinates with a
:class:`~twin_app.io.bcf.frame.ModelFrame`; with several IFC models in a scene that is the first
IFC asset's frame.  With ``validate=True`` every XML member is checked against the official XSDs
before the archive is closed, and a failure raises :class:`BcfValidationError`.
"""

from __future__ import annotations

import logging
import time
import uuid
import xml.etree.ElementTree as ET
import zipfile
from collections.abc import Mapping, Sequence
from pathlib import Path

from twin_app.core.errors import InputError, TwinAppError
from twin_app.core.review import PRIORITIES, Topic
from twin_app.io.bcf._xml import sub, to_bytes
from twin_app.io.bcf.frame import ModelFrame
from twin_app.io.bcf.markup import STATUS_NAMES, markup_xml
from twin_app.io.bcf.state import SNIPPET_FILE, SNIPPET_TYPE, snippet_json, state_labels
from twin_app.io.bcf.validate import schema_for_member, validate_xml
from twin_app.io.bcf.visinfo import viewpoint_xml

logger = logging.getLogger(__name__)

BCF_VERSIONS = ("2.1", "3.0")
TOPIC_TYPES = ("Issue", "Request", "Comment", "Clash", "Remark")


class BcfValidationError(TwinAppError):
    """A BCF file the app wrote does not validate against buildingSMART's XSDs (a bug)."""


def _project_xml(version: str, project_id: str, project_name: str) -> ET.Element:
    if version == "2.1":
        root = ET.Element("ProjectExtension")
        project = sub(root, "Project", ProjectId=project_id)
        sub(project, "Name", project_name)
        sub(root, "ExtensionSchema", "")
        return root
    root = ET.Element("ProjectInfo")
    sub(sub(root, "Project", ProjectId=project_id), "Name", project_name)
    return root


def _version_xml(version: str) -> ET.Element:
    root = ET.Element("Version", VersionId=version)
    if version == "2.1":
        sub(root, "DetailedVersion", "2.1")
    return root


def _extensions_xml(topics: Sequence[Topic]) -> ET.Element:
    root = ET.Element("Extensions")
    lists = (
        ("TopicTypes", "TopicType", [*TOPIC_TYPES, *(t.topic_type for t in topics)]),
        ("TopicStatuses", "TopicStatus", list(STATUS_NAMES.values())),
        ("Priorities", "Priority", [*PRIORITIES, *(t.priority for t in topics)]),
        ("TopicLabels", "TopicLabel",
         [label for t in topics for label in (*t.labels, *state_labels(t))]),
        ("Users", "User", [name for t in topics for name in
                           (t.author, t.modified_author, t.assigned_to,
                            *(c.author for c in t.comments)) if name]),
        ("SnippetTypes", "SnippetType", [SNIPPET_TYPE]))
    for wrapper, tag, values in lists:
        unique = list(dict.fromkeys(v for v in values if v and v.strip()))
        if unique:
            parent = sub(root, wrapper)
            for value in unique:
                sub(parent, tag, value)
    return root


def _documents_xml(documents: Mapping[str, tuple[str, bytes]]) -> ET.Element:
    root = ET.Element("DocumentInfo")
    parent = sub(root, "Documents")
    for guid, (filename, _) in documents.items():
        sub(sub(parent, "Document", Guid=guid), "Filename", filename)
    return root


def write_bcf(path: Path, topics: Sequence[Topic], frame: ModelFrame, *, version: str = "2.1",
              project_id: str, project_name: str, scene_id: str = "",
              documents: Mapping[str, bytes] | None = None,
              validate: bool = True) -> Path:
    """Write ``topics`` to a BCF archive.

    Parameters
    ----------
    path : Path
        The ``.bcf`` or ``.bcfzip`` file to write (its folder must exist).
    topics : sequence of Topic
        What to write, in order.
    frame : ModelFrame
        Converts the map coordinates of viewpoints to the IFC model's world coordinates
        (:func:`~twin_app.io.bcf.frame.model_frame_for_scene`).
    version : {"2.1", "3.0"}
        The BCF version.
    project_id, project_name : str
        The BCF project (the app uses the scene id and name).
    scene_id : str
        Recorded in the twin-state snippets.
    documents : mapping of str to bytes, optional
        Files to attach by file name (BCF 3.0 ``documents.xml``; ignored with a warning in 2.1).
    validate : bool
        Check every XML member against the official XSDs (needs them, see
        :func:`~twin_app.io.bcf.validate.schema_folder`).

    Returns
    -------
    Path
        ``path``.

    Raises
    ------
    InputError
        For an unknown version or a missing folder.
    BcfValidationError
        If a written member does not validate (nothing is left at ``path``).
    """
    if version not in BCF_VERSIONS:
        raise InputError(f"BCF version {version!r} is not supported",
                         hint=f"use one of {', '.join(BCF_VERSIONS)}")
    if not path.parent.is_dir():
        raise InputError(f"folder {path.parent} does not exist", hint="create it first")
    members: list[tuple[str, bytes]] = [("bcf.version", to_bytes(_version_xml(version))),
                                        ("project.bcfp", to_bytes(_project_xml(
                                            version, project_id, project_name)))]
    attached: dict[str, tuple[str, bytes]] = {}
    if documents and version == "2.1":
        logger.warning("BCF 2.1 has no project documents: %d file(s) not attached",
                       len(documents))
    elif documents:
        attached = {str(uuid.uuid4()): (name, data) for name, data in documents.items()}
    if version == "3.0":
        members.append(("extensions.xml", to_bytes(_extensions_xml(topics))))
        if attached:
            members.append(("documents.xml", to_bytes(_documents_xml(attached))))
            members += [(f"Documents/{guid}", data) for guid, (_, data) in attached.items()]
    for index, topic in enumerate(topics):
        members += _topic_members(topic, index, frame, version, scene_id)
    if validate:
        problems = {name: found for name, data in members
                    if (schema := schema_for_member(name, version)) is not None
                    and (found := validate_xml(data, schema, version))}
        if problems:
            first = next(iter(problems.items()))
            raise BcfValidationError(
                f"the BCF {version} file for {path.name} does not validate: {first[0]}: "
                f"{first[1][0]} ({sum(map(len, problems.values()))} problems)",
                hint="this is a bug in twin_app; report it with the topic that failed")
    _write_zip(path, members)
    logger.info("wrote BCF %s %s: %d topics (%s)", version, path, len(topics),
                frame.description)
    return path


def _topic_members(topic: Topic, index: int, frame: ModelFrame, version: str,
                   scene_id: str) -> list[tuple[str, bytes]]:
    folder = topic.guid.lower()
    members: list[tuple[str, bytes]] = []
    files: list[tuple[str, str]] = []
    for number, viewpoint in enumerate(topic.viewpoints):
        stem = "" if number == 0 else f"_{viewpoint.guid.lower()}"
        bcfv, png = f"viewpoint{stem}.bcfv", f"snapshot{stem}.png"
        pinned = topic.pinned_elements if number == 0 else ()
        pin = topic.pinned_point if number == 0 else None
        root = viewpoint_xml(viewpoint, frame, version, pinned=pinned, pin_point=pin)
        members.append((f"{folder}/{bcfv}", to_bytes(root)))
        if viewpoint.snapshot is not None:
            members.append((f"{folder}/{png}", viewpoint.snapshot))
        files.append((bcfv, png if viewpoint.snapshot is not None else ""))
    markup = markup_xml(topic, version, files, frame.model, index)
    members.insert(0, (f"{folder}/markup.bcf", to_bytes(markup)))
    members.append((f"{folder}/{SNIPPET_FILE}",
                    snippet_json(topic, scene_id, frame.description)))
    return members


def _write_zip(path: Path, members: list[tuple[str, bytes]]) -> None:
    stamp = time.localtime()[:6]
    temporary = path.with_name(f".{path.name}.partial")
    try:
        with zipfile.ZipFile(temporary, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            folders: set[str] = set()
            for name, data in members:
                if "/" in name:
                    folder = name.rsplit("/", 1)[0] + "/"
                    if folder not in folders:
                        folders.add(folder)
                        archive.writestr(zipfile.ZipInfo(folder, date_time=stamp), b"")
                info = zipfile.ZipInfo(name, date_time=stamp)
                info.compress_type = zipfile.ZIP_DEFLATED
                archive.writestr(info, data)
        temporary.replace(path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
