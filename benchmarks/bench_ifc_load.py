"""IFC loading: the pipeline (child process, isolation, instancing, cache) vs bare ifcopenshell.

For each sample in ../shared/samples/ifc (the IFC4X3_RC3 one after ``upgrade_header``) and each
work model in bim_assets, measured in the same run:

- bare: ``ifcopenshell.open`` + ``ifcopenshell.geom.iterator`` in this process with the same kernel
  and settings (local coordinates, no welding, openings and spaces excluded), pulling vertices,
  faces and matrices into numpy: the floor for any loader. Also "bare + fallback" (the same
  OpenCASCADE re-try of empty elements the pipeline does, i.e. the same work) and bare
  OpenCASCADE alone (the kernel the hybrid replaces);
- cold: ``load_ifc_model(use_cache=False)`` with a new child process (start-up included), and with
  a pre-started one (``prestart_worker``), as the app does when a scene opens;
- warm: ``load_ifc_model`` from the disk cache;
- peak memory: resident set of the tessellation process (ru_maxrss) and the Python allocations of
  the loading process (tracemalloc).

Run: ``.venv/bin/python benchmarks/bench_ifc_load.py [--repeat 3] [FILE ...]``
"""

from __future__ import annotations

import argparse
import logging
import statistics
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path

import ifcopenshell
import ifcopenshell.geom
import numpy as np
import pyproj  # noqa: F401  (the app has pyproj loaded; keep its import out of the timings)

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from twin_app.io.ifc import _process as supervisor  # noqa: E402
from twin_app.io.ifc import load_ifc_model, prestart_worker, upgrade_header  # noqa: E402

SAMPLES = REPO / ".." / "shared" / "samples" / "ifc"
HYBRID, OCC = "hybrid-cgal-simple-opencascade", "opencascade"
EXCLUDE = ["IfcOpeningElement", "IfcSpace"]


def bare(path: Path, kernel: str, fallback: bool = False) -> int:
    """Open and tessellate with a bare iterator; return the number of shapes with geometry."""
    ifc_file = ifcopenshell.open(str(path))
    settings = ifcopenshell.geom.settings()
    settings.set("use-world-coords", False)
    settings.set("weld-vertices", False)
    shapes, empty = _iterate(ifc_file, settings, kernel, None)
    if fallback and empty:
        more, _ = _iterate(ifc_file, settings, OCC, [ifc_file.by_id(i) for i in empty])
        shapes += more
    return shapes


def _iterate(ifc_file, settings, kernel: str, include) -> tuple[int, list[int]]:
    if include is None:
        iterator = ifcopenshell.geom.iterator(settings, ifc_file, 1, exclude=EXCLUDE,
                                              geometry_library=kernel)
    else:
        iterator = ifcopenshell.geom.iterator(settings, ifc_file, 1, include=include,
                                              geometry_library=kernel)
    shapes, empty = 0, []
    if iterator.initialize():
        while True:
            shape = iterator.get()
            geometry = shape.geometry
            faces = np.frombuffer(geometry.faces_buffer, dtype=np.int32).reshape(-1, 3)
            verts = np.frombuffer(geometry.verts_buffer, dtype=np.float64).reshape(-1, 3)
            np.frombuffer(shape.transformation_buffer, dtype=np.float64).reshape(4, 4)
            if len(faces) or len(geometry.edges_buffer):
                shapes += 1
            else:
                empty.append(shape.id)
            del verts
            if not iterator.next():
                break
    return shapes, empty


def timed(function: Callable[[], object], repeat: int) -> float:
    """Median wall time of ``repeat`` calls."""
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        function()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def cold_prestarted(path: Path) -> float:
    """Time one cold load with a ready, pre-started child process."""
    prestart_worker()
    worker = supervisor._standby
    while worker is not None and worker.ready_at is None:
        time.sleep(0.01)
    started = time.perf_counter()
    load_ifc_model(path, use_cache=False)
    return time.perf_counter() - started


def measure(path: Path, repeat: int) -> dict[str, float]:
    """All figures for one file."""
    figures: dict[str, float] = {}
    bare(path, HYBRID, fallback=True)  # warm-up: kernel plug-ins, OS file cache
    load_ifc_model(path, use_cache=False)
    figures["bare"] = timed(lambda: bare(path, HYBRID), repeat)
    figures["bare+fallback"] = timed(lambda: bare(path, HYBRID, fallback=True), repeat)
    figures["bare occ"] = timed(lambda: bare(path, OCC), repeat)
    figures["cold"] = timed(lambda: load_ifc_model(path, use_cache=False), repeat)
    figures["cold prestarted"] = statistics.median(cold_prestarted(path) for _ in range(repeat))
    with tempfile.TemporaryDirectory() as cache:
        load_ifc_model(path, cache_dir=Path(cache))
        figures["warm"] = timed(lambda: load_ifc_model(path, cache_dir=Path(cache)),
                                max(repeat, 5))
    tracemalloc.start()
    model = load_ifc_model(path, use_cache=False)
    figures["parent peak MiB"] = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()
    counts = model.counts()
    figures["child peak MiB"] = model.timings.worker_peak_rss_mb
    figures["shapes"] = counts.shapes
    figures["meshes"] = counts.unique_meshes
    figures["triangles"] = counts.triangles
    figures["worker start"] = model.timings.worker_start_s
    return figures


def report(name: str, f: dict[str, float]) -> None:
    """Print one file's figures and ratios."""
    print(f"\n{name}: {int(f['shapes'])} shapes from {int(f['meshes'])} meshes, "
          f"{int(f['triangles'])} triangles")
    print(f"  bare hybrid {f['bare']:.3f} s | bare hybrid + OCC fallback {f['bare+fallback']:.3f}"
          f" s | bare OCC {f['bare occ']:.3f} s (hybrid speed-up {f['bare occ'] / f['bare']:.2f}x)")
    print(f"  cold (new process) {f['cold']:.3f} s: {f['cold'] / f['bare']:.2f}x bare, "
          f"{f['cold'] / f['bare+fallback']:.2f}x bare+fallback "
          f"(process start {f['worker start']:.3f} s)")
    print(f"  cold (pre-started) {f['cold prestarted']:.3f} s: "
          f"{f['cold prestarted'] / f['bare']:.2f}x bare, "
          f"{f['cold prestarted'] / f['bare+fallback']:.2f}x bare+fallback")
    print(f"  warm (cache) {f['warm'] * 1000:.1f} ms: {f['cold'] / f['warm']:.0f}x faster than "
          f"cold")
    print(f"  peak memory: tessellation process {f['child peak MiB']:.0f} MiB RSS, "
          f"loading process {f['parent peak MiB']:.1f} MiB Python allocations")


def main() -> None:
    """Measure and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("files", nargs="*", type=Path)
    args = parser.parse_args()
    logging.basicConfig(level=logging.ERROR)
    with tempfile.TemporaryDirectory() as tmp:
        files = args.files or [p for p in sorted(SAMPLES.glob("*.ifc"))
                               if "RC3" not in p.read_bytes()[:2048].decode("latin-1")]
        if not args.files:
            rc3 = SAMPLES / "Georeferencing-Earthworks-12d-1.ifc"
            upgraded = Path(tmp) / "Georeferencing-Earthworks-12d-1.ADD2.ifc"
            upgrade_header(rc3, upgraded)
            files += [upgraded, *sorted((REPO / "bim_assets").glob("*/*.ifc"))]
        rows = []
        for path in files:
            figures = measure(path, args.repeat)
            report(path.name, figures)
            rows.append((path.name, figures))
    print("\nfile | bare s | cold s | cold/bare | cold/(bare+fb) | prestarted/(bare+fb) | "
          "warm ms | cold/warm | child MiB")
    for name, f in rows:
        print(f"{name} | {f['bare']:.3f} | {f['cold']:.3f} | {f['cold'] / f['bare']:.2f} | "
              f"{f['cold'] / f['bare+fallback']:.2f} | "
              f"{f['cold prestarted'] / f['bare+fallback']:.2f} | {f['warm'] * 1000:.1f} | "
              f"{f['cold'] / f['warm']:.0f} | {f['child peak MiB']:.0f}")


if __name__ == "__main__":
    main()
