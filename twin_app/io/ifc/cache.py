"""Disk cache of tessellated IFC models: ``<key>.npz`` (arrays) + ``<key>.json`` (the rest).

The key is a hash of the file's content (SHA-256 of its bytes), the tessellation settings, the
ifcopenshell version and :data:`CACHE_FORMAT`, so a changed file, other settings or another
kernel version never read a stale entry, and a copy of a file under another name hits. Entries
are written to temporary files and renamed into place, JSON last (it marks a complete entry).
An entry that cannot be read is logged, deleted and rebuilt.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import zipfile
from pathlib import Path
from typing import Any

import ifcopenshell
import numpy as np

from twin_app.core.paths import user_cache_dir
from twin_app.io.ifc.elements import ElementInfo
from twin_app.io.ifc.geometry import Instances, Material, Mesh
from twin_app.io.ifc.georef import Georeference
from twin_app.io.ifc.header import IfcHeader
from twin_app.io.ifc.model import IfcModel, SkippedElement, TessellationSettings, Timings

logger = logging.getLogger(__name__)

CACHE_FORMAT = 1
"""Bump when the stored layout or the meaning of a field changes."""

_CHUNK = 1 << 20


def default_cache_dir() -> Path:
    """Return the default folder of the IFC cache (in the user's cache folder)."""
    return user_cache_dir() / "ifc"


def file_sha256(path: Path) -> str:
    """Return the SHA-256 of a file's bytes, as hex."""
    digest = hashlib.sha256()
    with Path(path).open("rb") as stream:
        while chunk := stream.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def cache_key(content_hash: str, settings: TessellationSettings) -> str:
    """Return the cache key of a file content tessellated with ``settings``."""
    identity = {"format": CACHE_FORMAT, "content": content_hash,
                "settings": settings.to_dict(), "ifcopenshell": ifcopenshell.version}
    text = json.dumps(identity, sort_keys=True)
    return hashlib.sha256(text.encode()).hexdigest()[:40]


class TessellationCache:
    """A folder of cached models.

    Parameters
    ----------
    folder : Path, optional
        Where entries live; :func:`default_cache_dir` by default. Created on first save.
    """

    def __init__(self, folder: Path | None = None) -> None:
        self.folder = Path(folder) if folder is not None else default_cache_dir()

    def paths(self, key: str) -> tuple[Path, Path]:
        """Return the ``.npz`` and ``.json`` paths of an entry."""
        return self.folder / f"{key}.npz", self.folder / f"{key}.json"

    def load(self, key: str, path: Path) -> IfcModel | None:
        """Return the cached model for ``key`` (placed at ``path``), or None if absent or bad."""
        npz_path, json_path = self.paths(key)
        if not json_path.exists():
            return None
        try:
            meta = json.loads(json_path.read_text(encoding="utf-8"))
            if meta.get("format") != CACHE_FORMAT or meta.get("key") != key:
                raise ValueError("format or key mismatch")
            with np.load(npz_path, allow_pickle=False) as arrays:
                return _from_payload({name: arrays[name] for name in arrays.files}, meta, path)
        except (OSError, ValueError, KeyError, TypeError, IndexError, zipfile.BadZipFile,
                EOFError) as exc:
            logger.warning("IFC cache entry %s is unreadable (%s); rebuilding it", json_path,
                           exc)
            self.remove(key)
            return None

    def save(self, key: str, model: IfcModel) -> None:
        """Store a model under ``key``; failures are logged, never raised."""
        npz_path, json_path = self.paths(key)
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            arrays, meta = _to_payload(model)
            meta["key"] = key
            tmp_npz = npz_path.with_name(f".{npz_path.name}.{os.getpid()}.tmp")
            with tmp_npz.open("wb") as stream:
                np.savez(stream, **arrays)  # type: ignore[arg-type]
            tmp_npz.replace(npz_path)
            tmp_json = json_path.with_name(f".{json_path.name}.{os.getpid()}.tmp")
            tmp_json.write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")
            tmp_json.replace(json_path)
        except (OSError, ValueError, TypeError) as exc:
            logger.warning("could not write the IFC cache entry %s: %s", json_path, exc)

    def remove(self, key: str) -> None:
        """Delete an entry (both files), ignoring missing ones."""
        for file in self.paths(key):
            try:
                file.unlink(missing_ok=True)
            except OSError as exc:
                logger.warning("could not delete %s: %s", file, exc)


def _concat(parts: list[np.ndarray], width: int, dtype: type) -> tuple[np.ndarray, np.ndarray]:
    offsets = np.zeros(len(parts) + 1, dtype=np.int64)
    offsets[1:] = np.cumsum([len(p) for p in parts])
    shape = (-1, width) if width else (-1,)
    data = (np.concatenate(parts).reshape(shape) if parts
            else np.zeros((0, width) if width else (0,), dtype=dtype))
    return data.astype(dtype, copy=False), offsets


def _to_payload(model: IfcModel) -> tuple[dict[str, np.ndarray], dict[str, Any]]:
    meshes = model.meshes
    verts, v_off = _concat([m.vertices for m in meshes], 3, np.float64)
    tris, t_off = _concat([m.triangles for m in meshes], 3, np.int32)
    mats, _ = _concat([m.material_ids for m in meshes], 0, np.int32)
    edges, e_off = _concat([m.edges for m in meshes], 2, np.int32)
    arrays = {"verts": verts, "v_off": v_off, "tris": tris, "t_off": t_off, "mats": mats,
              "edges": edges, "e_off": e_off, "inst_element": model.instances.element,
              "inst_mesh": model.instances.mesh, "inst_matrix": model.instances.matrix}
    meta = {
        "format": CACHE_FORMAT, "schema": model.schema, "header": model.header.to_dict(),
        "georeference": model.georeference.to_dict() if model.georeference else None,
        "elements": [[e.step_id, e.global_id, e.ifc_class, e.name, e.object_type,
                      e.predefined_type, e.parent, e.spatial] for e in model.elements],
        "meshes": [[m.geometry_id, m.kernel, [[x.name, list(x.rgba)] for x in m.materials]]
                   for m in meshes],
        "skipped": [[s.global_id, s.ifc_class, s.name, s.reason] for s in model.skipped],
        "timings": {"cold_s": model.timings.cold_s, "worker_start_s":
                    model.timings.worker_start_s, "parse_s": model.timings.parse_s,
                    "tessellate_s": model.timings.tessellate_s,
                    "restarts": model.timings.restarts,
                    "worker_peak_rss_mb": model.timings.worker_peak_rss_mb},
        "settings": model.settings.to_dict(), "warnings": model.warnings,
        "without_geometry": model.without_geometry, "content_hash": model.content_hash,
    }
    return arrays, meta


def _from_payload(arrays: dict[str, np.ndarray], meta: dict[str, Any], path: Path) -> IfcModel:
    v_off, t_off, e_off = arrays["v_off"], arrays["t_off"], arrays["e_off"]
    if not len(v_off) == len(t_off) == len(e_off) == len(meta["meshes"]) + 1:
        raise ValueError("mesh tables disagree")
    meshes = [
        Mesh(geometry_id=gid, vertices=arrays["verts"][v_off[i]:v_off[i + 1]],
             triangles=arrays["tris"][t_off[i]:t_off[i + 1]],
             material_ids=arrays["mats"][t_off[i]:t_off[i + 1]],
             materials=tuple(Material(name, tuple(rgba)) for name, rgba in materials),
             edges=arrays["edges"][e_off[i]:e_off[i + 1]], kernel=kernel)
        for i, (gid, kernel, materials) in enumerate(meta["meshes"])]
    instances = Instances(element=arrays["inst_element"], mesh=arrays["inst_mesh"],
                          matrix=arrays["inst_matrix"])
    elements = [ElementInfo(*row) for row in meta["elements"]]
    if len(instances) and (int(instances.mesh.max()) >= len(meshes)
                           or int(instances.element.max()) >= len(elements)):
        raise ValueError("instances refer past the tables")
    settings = meta["settings"]
    georef = meta["georeference"]
    return IfcModel(
        path=Path(path), schema=meta["schema"],
        header=IfcHeader.from_dict(meta["header"], path=Path(path)),
        georeference=Georeference.from_dict(georef) if georef else None,
        elements=elements, meshes=meshes, instances=instances,
        skipped=[SkippedElement(*row) for row in meta["skipped"]],
        timings=Timings(from_cache=True, **meta["timings"]),
        settings=TessellationSettings(
            kernels=tuple(settings["kernels"]), exclude=tuple(settings["exclude"]),
            weld_vertices=settings["weld_vertices"],
            apply_default_materials=settings["apply_default_materials"]),
        warnings=list(meta["warnings"]), without_geometry=list(meta["without_geometry"]),
        content_hash=meta["content_hash"])
