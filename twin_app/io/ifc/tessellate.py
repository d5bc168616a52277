"""Load an IFC file into an :class:`IfcModel`: header checks, cache, child-process tessellation.

Kernel choice. ``hybrid-cgal-simple-opencascade`` (CGAL for simple solids, OpenCASCADE for
Booleans; Bonsai's default) tessellates every element first; it was 2-8x faster than
OpenCASCADE alone on the samples (reference/ifc.md 2.3, and ``benchmarks/bench_ifc_load.py``).
It is not always right in local coordinates: on duplex.ifc it returns empty meshes for 10
furnishing elements with openings. So every candidate that comes out empty (or fails, or crashed
the kernel) is re-tried with OpenCASCADE in the same child process, and the model records which
kernel made each mesh (:attr:`Mesh.kernel`). If the hybrid library is missing, OpenCASCADE does
all of it. Tests compare each element's bounding box with OpenCASCADE in world coordinates.
"""

from __future__ import annotations

import logging
import time
from pathlib import Path

import numpy as np

from twin_app.core.progress import Feedback
from twin_app.io.ifc._process import prestart_worker
from twin_app.io.ifc._step import check_complete
from twin_app.io.ifc._supervisor import Supervisor, TessellationOutcome
from twin_app.io.ifc.cache import TessellationCache, cache_key, file_sha256
from twin_app.io.ifc.header import IfcHeader, check_schema, read_header
from twin_app.io.ifc.model import IfcModel, SkippedElement, TessellationSettings, Timings

logger = logging.getLogger(__name__)

__all__ = ["TessellationSettings", "load_ifc_model", "prestart_worker"]


def load_ifc_model(
    path: str | Path,
    *,
    timeout_s: float = 600,
    element_timeout_s: float = 60,
    feedback: Feedback | None = None,
    cache_dir: Path | None = None,
    use_cache: bool = True,
    settings: TessellationSettings | None = None,
    accept_errors: bool = False,
) -> IfcModel:
    """Read and tessellate an IFC file, in a child process, with a disk cache.

    Parameters
    ----------
    path : str or Path
        An IFC-SPF file in IFC2X3, IFC4 or IFC4X3_ADD2.
    timeout_s : float
        Time-out for the whole file, seconds.
    element_timeout_s : float
        How long one element may take before it is declared hung, skipped and listed.
    feedback : Feedback, optional
        Receives progress; cancelling it kills the child process and raises.
    cache_dir : Path, optional
        Cache folder (default ``user_cache_dir() / "ifc"``).
    use_cache : bool
        Read and write the cache.
    settings : TessellationSettings, optional
        Kernels, excluded classes, welding; part of the cache key.
    accept_errors : bool
        Load what ifcopenshell can read from a file with unreadable instances (the problems
        become :attr:`IfcModel.warnings`) instead of raising :class:`IfcReadError`; use it for
        files written by :func:`upgrade_header`.

    Returns
    -------
    IfcModel
        Elements, meshes and instances, skipped elements, georeference, timings.

    Raises
    ------
    IfcReadError
        Missing, not IFC, truncated or garbled file (names the file and the line).
    UnsupportedSchemaError
        A schema ifcopenshell 0.9 cannot open (names the documented upgrade).
    IfcTimeoutError
        The whole file took longer than ``timeout_s``.
    IfcWorkerError
        The child process failed outside any element (e.g. while parsing).
    OperationCancelledError
        ``feedback`` was cancelled.
    """
    started = time.perf_counter()
    path = Path(path)
    settings = settings or TessellationSettings()
    header = read_header(path)
    check_schema(header)
    cache = TessellationCache(cache_dir) if use_cache else None
    content_hash = file_sha256(path) if cache is not None else ""
    key = cache_key(content_hash, settings) if cache is not None else ""
    if cache is not None:
        cached = cache.load(key, path)
        if cached is not None:
            cached.timings.warm_s = time.perf_counter() - started
            logger.info("%s: from the cache in %.3f s (cold load took %.3f s)", path.name,
                        cached.timings.warm_s, cached.timings.cold_s or float("nan"))
            return cached
    check_complete(path)
    if feedback is not None:
        feedback.step(0.01, f"reading {path.name}")
    supervisor = Supervisor(path=path, settings=settings, timeout_s=timeout_s,
                            element_timeout_s=element_timeout_s, accept_errors=accept_errors,
                            feedback=feedback, started=started)
    outcome = supervisor.run()
    model = _assemble(path, header, outcome, settings, content_hash)
    model.timings.cold_s = time.perf_counter() - started
    model.timings.tessellate_s = (model.timings.cold_s - outcome.worker_start_s
                                  - outcome.parse_s)
    if feedback is not None:
        feedback.step(1.0, f"{path.name}: {len(model.instances)} shapes")
    if cache is not None and outcome.cacheable:
        cache.save(key, model)
    elif cache is not None:
        logger.info("%s: not cached, because an element timed out (it may pass next time)",
                    path.name)
    return model


def _assemble(path: Path, header: IfcHeader, outcome: TessellationOutcome,
              settings: TessellationSettings, content_hash: str) -> IfcModel:
    elements = outcome.elements
    by_step = {e.step_id: e for e in elements}
    skipped = [SkippedElement(by_step[i].global_id, by_step[i].ifc_class, by_step[i].name,
                              reason) for i, reason in sorted(outcome.skipped.items())
               if i in by_step]
    for item in skipped:
        logger.warning("%s: skipped %s %s (%s): %s", path.name, item.ifc_class, item.global_id,
                       item.name, item.reason)
    model = IfcModel(
        path=path, schema=header.schema, header=header, georeference=outcome.georeference,
        elements=elements, meshes=outcome.geometry.meshes,
        instances=outcome.geometry.instances(), skipped=skipped,
        timings=Timings(worker_start_s=outcome.worker_start_s, parse_s=outcome.parse_s,
                        restarts=outcome.restarts, worker_peak_rss_mb=outcome.peak_rss_mb),
        settings=settings, warnings=list(outcome.warnings),
        without_geometry=[by_step[i].global_id for i in outcome.no_geometry if i in by_step],
        content_hash=content_hash)
    _check_position(model)
    return model


def _check_position(model: IfcModel) -> None:
    """Check with pyproj that the model's extent lies in its CRS's area of use."""
    georef = model.georeference
    if georef is None or georef.crs is None:
        return
    box = model.bounds()
    centre = box.mean(axis=0, keepdims=True) if box is not None else np.zeros((1, 3))
    for text in georef.check_area_of_use(centre):
        logger.warning("%s: %s", model.path.name, text)
