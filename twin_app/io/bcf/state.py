"""What BCF has no place for (scenario, clock time, layers, exact camera), kept so others ignore it.

Neither BCF 2.1 nor 3.0 lets a file add elements or attributes (their XSDs have no ``xs:any``), so
the twin's own state travels in two places that the standard provides and other tools ignore
safely:

1. **A BIM snippet** per topic: ``<BimSnippet SnippetType="TwinAppViewState">`` whose
   ``Reference`` is ``twin_app_state.json`` in the topic folder and whose ``ReferenceSchema`` is
   :data:`SNIPPET_SCHEMA`.  BCF defines the snippet as "an additional file containing information
   related to one or multiple topics" with a free type; BCF 3.0 lists the type in
   ``extensions.xml``.  The JSON holds, per viewpoint GUID, the map-coordinate camera (with its
   focal point and exact field of view), the section, the visible layers, the item ids, the
   clock time and the scenario, plus the topic's pins and status.
2. **Topic labels** a person can read in any BCF tool: ``twin:scenario=<id>`` and
   ``twin:time=<UTC ISO time>`` of the topic's first viewpoint.  They are the fallback when
   another tool dropped the snippet on a round trip.

On import the snippet's camera is used only when the BCF camera still matches it (the same
position within 1 mm and the same direction); otherwise the BCF camera wins, because another tool
changed the view.
"""

from __future__ import annotations

import json
import logging
from datetime import datetime
from typing import Any

import numpy as np
from pydantic import ValidationError

from twin_app.core.review import CameraState, ReviewViewpoint, Topic, ViewSection

logger = logging.getLogger(__name__)

SNIPPET_TYPE = "TwinAppViewState"
SNIPPET_FILE = "twin_app_state.json"
SNIPPET_SCHEMA = "urn:twin-app:bcf-view-state:1"
FORMAT = "twin_app.bcf-view-state"
LABEL_SCENARIO = "twin:scenario="
LABEL_TIME = "twin:time="


def state_labels(topic: Topic) -> list[str]:
    """Return the ``twin:`` labels of a topic's first viewpoint."""
    if not topic.viewpoints:
        return []
    first = topic.viewpoints[0]
    labels = []
    if first.scenario:
        labels.append(f"{LABEL_SCENARIO}{first.scenario}")
    if first.time is not None:
        labels.append(f"{LABEL_TIME}{first.time.isoformat().replace('+00:00', 'Z')}")
    return labels


def split_labels(labels: list[str]) -> tuple[list[str], str | None, datetime | None]:
    """Return the user's labels and the scenario and time the ``twin:`` labels carry."""
    kept, scenario, time = [], None, None
    for label in labels:
        if label.startswith(LABEL_SCENARIO):
            scenario = label[len(LABEL_SCENARIO):] or None
        elif label.startswith(LABEL_TIME):
            try:
                time = datetime.fromisoformat(label[len(LABEL_TIME):])
            except ValueError:
                logger.warning("ignored label %r: not an ISO time", label)
        else:
            kept.append(label)
    return kept, scenario, time


def snippet_json(topic: Topic, scene_id: str, frame_description: str) -> bytes:
    """Return the snippet file of ``topic``."""
    viewpoints = {}
    for viewpoint in topic.viewpoints:
        data = viewpoint.model_dump(mode="json", exclude={"guid"})
        viewpoints[viewpoint.guid.lower()] = data
    document = {"format": FORMAT, "version": 1, "scene_id": scene_id,
                "coordinates": "map coordinates of the scene (camera, section, pin); the BCF "
                               f"viewpoints use {frame_description}",
                "topic": {"status": topic.status,
                          "pinned_elements": list(topic.pinned_elements),
                          "pinned_point": topic.pinned_point},
                "viewpoints": viewpoints}
    return json.dumps(document, ensure_ascii=False, indent=1).encode("utf-8")


def read_snippet(data: bytes, where: str, warnings: list[str]) -> dict[str, Any] | None:
    """Parse a snippet file; None (with a warning) if it is not one of ours."""
    try:
        document = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        warnings.append(f"{where}: twin state ignored, not JSON ({error})")
        return None
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        warnings.append(f"{where}: twin state ignored, not a {FORMAT} file")
        return None
    return document


def merge_viewpoint(viewpoint: ReviewViewpoint, state: dict[str, Any] | None,
                    warnings: list[str]) -> ReviewViewpoint:
    """Complete a viewpoint read from BCF with what the snippet kept for it."""
    if not state:
        return viewpoint
    try:
        saved = ReviewViewpoint.model_validate({**state, "guid": viewpoint.guid})
    except ValidationError as error:
        warnings.append(f"viewpoint {viewpoint.guid}: twin state ignored ({error})")
        return viewpoint
    camera = saved.camera if _same_view(viewpoint.camera, saved.camera) else viewpoint.camera
    section = saved.section if _same_section(viewpoint.section, saved.section) else (
        viewpoint.section)
    return viewpoint.model_copy(update={
        "name": saved.name or viewpoint.name, "camera": camera, "section": section,
        "visible_layers": saved.visible_layers,
        # the BCF selection also holds the topic's pins: the saved one is right if it is a part
        "selection": saved.selection if set(_guids(saved.selection)) <= set(
            _guids(viewpoint.selection)) else viewpoint.selection,
        "hidden": saved.hidden if set(_guids(saved.hidden)) == set(_guids(viewpoint.hidden))
        else viewpoint.hidden,
        "xray": saved.xray if set(_guids(saved.xray)) == set(_guids(viewpoint.xray))
        else viewpoint.xray,
        "time": saved.time, "scenario": saved.scenario})


def _guids(items: tuple[str, ...]) -> list[str]:
    return [item.rsplit(":", 1)[-1] for item in items]


def _same_view(bcf: CameraState, saved: CameraState) -> bool:
    close = np.allclose(bcf.position, saved.position, atol=1e-3, rtol=0.0)
    return bool(close and np.allclose(bcf.direction, saved.direction, atol=1e-6, rtol=0.0)
                and bcf.projection == saved.projection)


def _same_section(bcf: ViewSection | None, saved: ViewSection | None) -> bool:
    if bcf is None or saved is None:
        return bcf is saved
    if bcf.kind != saved.kind:
        return False
    if bcf.kind == "box":
        return bool(np.allclose(bcf.bounds, saved.bounds, atol=1e-3, rtol=0.0))
    # the same plane: parallel normals and the saved origin on the BCF plane
    offset = float(np.dot(np.subtract(saved.origin, bcf.origin), bcf.normal))
    return bool(np.allclose(bcf.normal, saved.normal, atol=1e-6, rtol=0.0)
                and abs(offset) < 1e-3)
