"""BCF export and import for a scene: the frame, the GlobalId table and the project named for you.

These are the two calls the CLI and the Qt layer use; :func:`~twin_app.io.bcf.writer.write_bcf`
and :func:`~twin_app.io.bcf.reader.read_bcf` take the pieces separately.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

from twin_app.core.review import Topic
from twin_app.core.scene_loader import SceneDocument
from twin_app.io.bcf.frame import first_ifc_asset, global_ids_by_asset, model_frame_for_scene
from twin_app.io.bcf.reader import BcfImport, read_bcf
from twin_app.io.bcf.writer import write_bcf


def export_scene_bcf(document: SceneDocument, topics: Sequence[Topic], path: Path, *,
                     version: str = "2.1", documents: Mapping[str, bytes] | None = None,
                     validate: bool = True) -> Path:
    """Write ``topics`` of ``document``'s review as BCF ``version`` ("2.1" or "3.0").

    Cameras go into the world coordinates of the scene's first IFC model; the BCF project is the
    scene (id ``twin_app:<scene id>``, name "<Chinese name> / <English name>").
    """
    spec = document.spec
    return write_bcf(path, topics, model_frame_for_scene(document), version=version,
                     project_id=f"twin_app:{spec.id}",
                     project_name=f"{spec.name.zh} / {spec.name.en}", scene_id=spec.id,
                     documents=documents, validate=validate)


def import_scene_bcf(document: SceneDocument, path: Path) -> BcfImport:
    """Read a BCF file (any tool, 2.1 or 3.0) into topics of ``document``'s review."""
    asset = first_ifc_asset(document)
    return read_bcf(path, model_frame_for_scene(document),
                    assets_by_guid=global_ids_by_asset(document),
                    default_asset=asset.id if asset is not None else "model")
