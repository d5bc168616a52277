"""Read a BCF 2.1 or 3.0 archive (from this app or any other tool) into review topics.

Cameras, clipping planes and pins come back to the scene's map coordinates through a
:class:`~twin_app.io.bcf.frame.ModelFrame`; component GlobalIds become item ids
(``part:<asset>:<GlobalId>``) with the scene's GlobalId -> asset table (GlobalIds no model of the
scene has are given the first IFC asset).  What the twin keeps in its snippet (scenario, time,
layers, exact camera) is merged in when present, else the ``twin:`` labels give the scenario and
time.  Unreadable parts are skipped and listed in :attr:`BcfImport.warnings`; only a file that is
not a BCF archive at all raises.
"""

from __future__ import annotations

import logging
import posixpath
import re
import xml.etree.ElementTree as ET
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from pydantic import ValidationError

from twin_app.core.review import ReviewViewpoint, Topic, new_guid
from twin_app.io.bcf._xml import BcfReadError, parse
from twin_app.io.bcf.frame import ModelFrame
from twin_app.io.bcf.markup import MarkupContent, read_markup
from twin_app.io.bcf.state import SNIPPET_TYPE, merge_viewpoint, read_snippet, split_labels
from twin_app.io.bcf.visinfo import read_viewpoint

logger = logging.getLogger(__name__)

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
GUID = re.compile(r"^[a-f0-9]{8}-[a-f0-9]{4}-[a-f0-9]{4}-[a-f0-9]{4}-[a-f0-9]{12}$")


@dataclass
class BcfImport:
    """What a BCF archive held.

    Attributes
    ----------
    version : str
        ``VersionId`` of ``bcf.version`` ("2.1", "3.0", ...).
    project_id, project_name : str or None
        From ``project.bcfp``.
    topics : list of Topic
        The topics, in the archive's order (``Index`` where given).
    warnings : list of str
        What could not be carried over, each naming the member.
    """

    version: str
    project_id: str | None = None
    project_name: str | None = None
    topics: list[Topic] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def read_version(archive: zipfile.ZipFile) -> str:
    """Return the ``VersionId`` of an open BCF archive's ``bcf.version``."""
    try:
        data = archive.read("bcf.version")
    except KeyError:
        raise BcfReadError(f"{archive.filename}: no bcf.version",
                           hint="this is not a BCF 2.x/3.x archive (.bcf or .bcfzip)") from None
    version = parse(data, "bcf.version").get("VersionId", "").strip()
    if not version:
        raise BcfReadError(f"{archive.filename}: bcf.version names no VersionId",
                           hint="the archive is damaged; ask for a new export")
    return version


def read_bcf(path: Path, frame: ModelFrame, *, assets_by_guid: Mapping[str, str] | None = None,
             default_asset: str = "model") -> BcfImport:
    """Read the topics of a BCF archive.

    Parameters
    ----------
    path : Path
        A ``.bcf`` or ``.bcfzip`` file, BCF 2.1 or 3.0 (2.0 files read as 2.1).
    frame : ModelFrame
        The IFC model's world coordinates -> the scene's map coordinates.
    assets_by_guid : mapping of str to str, optional
        ``{GlobalId: asset id}`` of the scene's models
        (:func:`~twin_app.io.bcf.frame.global_ids_by_asset`); also needed to honour
        ``DefaultVisibility="false"``.
    default_asset : str
        Asset id given to GlobalIds that no model of the scene has.

    Raises
    ------
    BcfReadError
        If ``path`` is not a zip archive with a ``bcf.version``.
    """
    try:
        archive = zipfile.ZipFile(path)
    except (OSError, zipfile.BadZipFile) as error:
        raise BcfReadError(f"{path}: not a BCF archive ({error})",
                           hint="give a .bcf or .bcfzip file exported by a BIM tool") from None
    with archive:
        result = BcfImport(version=read_version(archive))
        if result.version not in ("2.0", "2.1", "3.0"):
            result.warnings.append(f"BCF version {result.version} is not 2.1 or 3.0: read "
                                   "as far as it matches")
        _read_project(archive, result)
        assets = dict(assets_by_guid or {})

        def item_for(guid: str) -> str:
            return f"part:{assets.get(guid, default_asset)}:{guid}"

        all_items = [f"part:{a}:{g}" for g, a in assets.items()] if assets else None
        names = archive.namelist()
        folders = sorted({PurePosixPath(n).parts[0] for n in names
                          if PurePosixPath(n).name == "markup.bcf"
                          and len(PurePosixPath(n).parts) == 2})
        entries = []
        for folder in folders:
            try:
                entries.append(_read_topic(archive, folder, frame, item_for, all_items,
                                           result.warnings))
            except (BcfReadError, ValidationError) as error:
                result.warnings.append(f"{folder}: topic skipped ({error})")
        entries.sort(key=lambda entry: (entry[0] is None, entry[0] or 0))
        result.topics = [topic for _, topic in entries]
    for text in result.warnings:
        logger.warning("BCF import %s: %s", path.name, text)
    logger.info("read BCF %s %s: %d topics", result.version, path, len(result.topics))
    return result


def _read_project(archive: zipfile.ZipFile, result: BcfImport) -> None:
    if "project.bcfp" not in archive.namelist():
        return
    try:
        root = parse(archive.read("project.bcfp"), "project.bcfp")
    except BcfReadError as error:
        result.warnings.append(str(error))
        return
    project = root.find("Project")
    if project is not None:
        result.project_id = project.get("ProjectId")
        result.project_name = (project.findtext("Name") or "").strip() or None


def _member(archive: zipfile.ZipFile, folder: str, relative: str) -> str | None:
    """Resolve a file a markup names (relative to its folder; backslashes tolerated)."""
    name = posixpath.normpath(posixpath.join(folder, relative.replace("\\", "/")))
    names = archive.namelist()
    if name in names:
        return name
    lowered = {n.lower(): n for n in names}
    return lowered.get(name.lower())


def _read_topic(archive: zipfile.ZipFile, folder: str, frame: ModelFrame, item_for: Any,
                all_items: list[str] | None, warnings: list[str]) -> tuple[int | None, Topic]:
    where = f"{folder}/markup.bcf"
    root = parse(archive.read(where), where)
    content = read_markup(root, where)
    state = _snippet(archive, folder, content, warnings)
    fields = dict(content.fields)
    labels, label_scenario, label_time = split_labels(list(fields.get("labels", ())))
    fields["labels"] = tuple(labels)
    if not fields.get("guid"):
        fields["guid"] = folder.lower() if len(folder) == 36 else new_guid()
    refs = list(content.viewpoints)
    if not refs and f"{folder}/viewpoint.bcfv" in archive.namelist():  # BCF 1.0 layout
        from twin_app.io.bcf.markup import ViewpointRef

        refs = [ViewpointRef(guid=new_guid(), viewpoint="viewpoint.bcfv",
                             snapshot="snapshot.png")]
    viewpoints: list[ReviewViewpoint] = []
    for ref in refs:
        viewpoint = _read_viewpoint(archive, folder, ref, frame, item_for, all_items, warnings)
        if viewpoint is None:
            continue
        saved = (state or {}).get("viewpoints", {}).get(viewpoint.guid.lower())
        viewpoint = merge_viewpoint(viewpoint, saved, warnings)
        if saved is None and (label_scenario or label_time):
            viewpoint = viewpoint.model_copy(update={
                "scenario": viewpoint.scenario or label_scenario,
                "time": viewpoint.time or label_time})
        viewpoints.append(viewpoint)
    fields["viewpoints"] = tuple(viewpoints)
    fields["comments"] = tuple(content.comments)
    _pins(fields, state, viewpoints)
    index = root.find("Topic")
    number = index.findtext("Index") if index is not None else None
    order = int(number) if number and number.strip().lstrip("-").isdigit() else None
    return order, Topic(**fields)


def _snippet(archive: zipfile.ZipFile, folder: str, content: MarkupContent,
             warnings: list[str]) -> dict[str, Any] | None:
    if content.snippet is None or content.snippet[0] != SNIPPET_TYPE:
        return None
    member = _member(archive, folder, content.snippet[1])
    if member is None:
        warnings.append(f"{folder}: the twin-state snippet {content.snippet[1]} is missing")
        return None
    return read_snippet(archive.read(member), member, warnings)


def _pins(fields: dict[str, Any], state: dict[str, Any] | None,
          viewpoints: list[ReviewViewpoint]) -> None:
    saved = (state or {}).get("topic") or {}
    if saved:
        fields["pinned_elements"] = tuple(saved.get("pinned_elements") or ())
        point = saved.get("pinned_point")
        fields["pinned_point"] = tuple(point) if point else None
    elif viewpoints:  # another tool's topic: it is about what its main view selects
        fields["pinned_elements"] = tuple(item.rsplit(":", 1)[-1]
                                          for item in viewpoints[0].selection)


def _read_viewpoint(archive: zipfile.ZipFile, folder: str, ref: Any, frame: ModelFrame,
                    item_for: Any, all_items: list[str] | None,
                    warnings: list[str]) -> ReviewViewpoint | None:
    member = _member(archive, folder, ref.viewpoint) if ref.viewpoint else None
    if member is None:
        warnings.append(f"{folder}: viewpoint {ref.guid} has no readable .bcfv; skipped")
        return None
    try:
        root: ET.Element = parse(archive.read(member), member)
        viewpoint = read_viewpoint(root, frame, member, item_for=item_for, all_items=all_items,
                                   warnings=warnings)
    except (BcfReadError, ValidationError, ValueError) as error:
        warnings.append(f"{member}: viewpoint skipped ({error})")
        return None
    if GUID.match(ref.guid) and ref.guid != viewpoint.guid:
        viewpoint = viewpoint.model_copy(update={"guid": ref.guid})
    snapshot = _member(archive, folder, ref.snapshot) if ref.snapshot else None
    if snapshot is not None:
        data = archive.read(snapshot)
        if data.startswith(PNG_SIGNATURE):
            viewpoint = viewpoint.with_snapshot(data)
        else:
            warnings.append(f"{snapshot}: only PNG snapshots are kept; this one is skipped")
    return viewpoint
