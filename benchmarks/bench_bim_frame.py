"""Frame time and peak memory of an IFC model drawn batched (the app) against one actor per element.

For the largest sample in ../shared/samples/ifc (by bytes, among the schemas the app reads) and the
Xinchuansha work model, in the same run and on the same model, at 1920x1080 off-screen (VTK's EGL
path, or the X display if there is one; Mesa on this machine):

- batched: the app's own layer, :func:`twin_app.render.ifc_layer.load_ifc_asset` (one mesh with an
  element id per cell, coloured per cell) added with the app's IFC style: one actor;
- per element (the baseline): the same cells split by element id, one actor per element with the
  same style and colours;
- empty: the same window with no actor (the cost of a bare frame, for reference).

Each variant runs in its own process (so its peak resident memory, ``ru_maxrss``, is its own) and
places the model in the Xinchuansha scene frame (the work by its IfcMapConversion, the sample by a
placement at the scene origin). The model comes from a warm tessellation cache in a temporary
folder, filled by this script first, so no tessellation happens in the measured processes. Frame
time: median of ``--frames`` renders with a tiny orbit (every frame is real work), each ended by
``WaitForCompletion``.

Run: ``.venv/bin/python benchmarks/bench_bim_frame.py [--frames 60] [FILE.ifc ...]``
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np
from _common import REPO, report

sys.path.insert(0, str(REPO))

SAMPLES = REPO / ".." / "shared" / "samples" / "ifc"
XINCHUANSHA = REPO / "bim_assets" / "xinchuansha" / "xinchuansha.ifc"
SCENE = "xinchuansha"
SIZE = (1920, 1080)
VARIANTS = ("empty", "per-element", "batched")


def largest_sample() -> Path:
    """Return the largest sample file in a schema the app reads."""
    from twin_app.io.ifc import read_header

    readable = [p for p in SAMPLES.glob("*.ifc") if read_header(p).supported]
    return max(readable, key=lambda p: p.stat().st_size).resolve()


class _Folder:
    """Stands in for a scene document whose asset names the IFC file by an absolute path."""

    def resolve(self, relative: str) -> Path:
        return Path(relative)


def _batched_mesh(path: Path) -> Any:
    """Return the app's batched mesh of ``path`` placed in the Xinchuansha scene frame."""
    from twin_app.core.geo import SceneFrame
    from twin_app.core.scene import AssetSpec, Placement
    from twin_app.core.scene_loader import load_scene
    from twin_app.io.ifc import load_ifc_model
    from twin_app.render.ifc_layer import load_ifc_asset

    spec = load_scene(SCENE).spec
    frame = SceneFrame.from_scene(spec)
    georeferenced = load_ifc_model(path).georeference is not None
    placement = None if georeferenced else Placement(easting=spec.origin[0],
                                                     northing=spec.origin[1])
    asset = AssetSpec(id="model", name={"zh": "模型", "en": "model"}, kind="ifc",
                      file=str(path), georeferencing="ifc" if georeferenced else "placement",
                      placement=placement)
    mesh, _items, model = load_ifc_asset(_Folder(), asset, frame)  # type: ignore[arg-type]
    assert model.timings.from_cache, "the measured process must read the warm cache"
    return mesh


def _split_by_element(mesh: Any) -> list[Any]:
    """Return one PolyData per element id, with the same cells and colours."""
    from twin_app.render.ifc_layer import ITEM_INDEX

    items = np.asarray(mesh.cell_data[ITEM_INDEX])
    order = np.argsort(items, kind="stable")
    starts = np.flatnonzero(np.r_[True, np.diff(items[order]) != 0])
    parts = []
    for cells in np.split(order, starts[1:]):
        part = mesh.extract_cells(cells).extract_surface(pass_pointid=False, pass_cellid=False)
        parts.append(part)
    return parts


def _frame_times(plotter: Any, frames: int) -> list[float]:
    times = []
    plotter.ren_win.Render()
    for index in range(frames):
        plotter.camera.azimuth = 0.5 * (index % 2 * 2 - 1)  # tiny orbit: every frame is real work
        started = time.perf_counter()
        plotter.ren_win.Render()
        plotter.ren_win.WaitForCompletion()
        times.append(time.perf_counter() - started)
    return times


def _plotter_with(mesh: Any, parts: list[Any]) -> tuple[Any, list[Any]]:
    from twin_app.render.geometry import _ifc_style
    from twin_app.render.view import offscreen_plotter

    plotter = offscreen_plotter(*SIZE)
    actors = [plotter.add_mesh(part, **_ifc_style()) for part in parts]
    plotter.view_isometric()
    plotter.reset_camera(bounds=mesh.bounds)
    return plotter, actors


def _renderer_name(plotter: Any) -> str:
    for line in plotter.ren_win.ReportCapabilities().splitlines():
        if "renderer string" in line:
            return line.split(":", 1)[1].strip()
    return "unknown"


def measure_frames(path: Path, frames: int, rounds: int) -> dict[str, Any]:
    """Return frame times of the three variants, measured in alternating blocks.

    Both actor sets live in one window; only one set is visible at a time. Blocks of
    ``frames // rounds`` renders alternate between the variants, so a change in the machine's
    load (it is shared) hits all of them alike.
    """
    mesh = _batched_mesh(path)
    parts = _split_by_element(mesh)
    plotter, actors = _plotter_with(mesh, [mesh, *parts])
    sets = {"batched": actors[:1], "per-element": actors[1:], "empty": []}
    times: dict[str, list[float]] = {variant: [] for variant in sets}
    for _round in range(rounds):
        for variant, shown in sets.items():
            for actor in actors:
                actor.SetVisibility(False)
            for actor in shown:
                actor.SetVisibility(True)
            times[variant] += _frame_times(plotter, max(1, frames // rounds))
    size, renderer = list(plotter.ren_win.GetSize()), _renderer_name(plotter)
    plotter.close()
    return {"file": path.name, "triangles": int(mesh.n_cells), "window": size,
            "renderer": renderer, "actors": {k: len(v) for k, v in sets.items()},
            "median_ms": {k: statistics.median(v) * 1000 for k, v in times.items()},
            "p90_ms": {k: float(np.percentile(v, 90)) * 1000 for k, v in times.items()}}


def measure_memory(path: Path, variant: str) -> dict[str, Any]:
    """Draw ``path`` as ``variant`` alone in a window; return time to first frame and peak RSS."""
    mesh = _batched_mesh(path)
    if variant == "per-element":
        parts = _split_by_element(mesh)
    else:
        parts = [mesh] if variant == "batched" else []
    started = time.perf_counter()
    plotter, _actors = _plotter_with(mesh, parts)
    plotter.ren_win.Render()
    plotter.ren_win.WaitForCompletion()
    first_frame_s = time.perf_counter() - started
    _frame_times(plotter, 5)
    plotter.close()
    return {"variant": variant, "first_frame_s": first_frame_s,
            "peak_rss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}


def _child(path: Path, mode: str, frames: int, rounds: int) -> dict[str, Any]:
    command = [sys.executable, __file__, "--child", mode, "--frames", str(frames),
               "--rounds", str(rounds), str(path)]
    result = subprocess.run(command, capture_output=True, text=True, check=False, cwd=REPO)
    if result.returncode != 0:
        raise RuntimeError(f"{mode} on {path.name} failed: {result.stderr[-2000:]}")
    return json.loads(result.stdout.strip().splitlines()[-1])


def compare(path: Path, frames: int, rounds: int) -> None:
    """Measure one model: frame times in one process, each variant's memory in its own."""
    timing = _child(path, "frames", frames, rounds)
    memory = {variant: _child(path, variant, frames, rounds) for variant in VARIANTS}
    width, height = timing["window"]
    median, p90, actors = timing["median_ms"], timing["p90_ms"], timing["actors"]
    print(f"-- {path.name}: {timing['triangles']:,} triangles; batched {actors['batched']} "
          f"actor, per element {actors['per-element']} actors; window {width}x{height}; "
          f"renderer {timing['renderer']}", flush=True)
    count = rounds * max(1, frames // rounds)
    report(f"{path.name} frame time, batched (median of {count})", median["batched"], "ms",
           "one actor per element", median["per-element"])
    report(f"{path.name} frame time p90, batched", p90["batched"], "ms",
           "one actor per element", p90["per-element"])
    print(f"{path.name} empty frame (same window, no actor): median {median['empty']:.2f} ms; "
          f"drawing the model: batched {median['batched'] - median['empty']:.2f} ms, per "
          f"element {median['per-element'] - median['empty']:.2f} ms", flush=True)
    batched, single, empty = (memory[v] for v in ("batched", "per-element", "empty"))
    report(f"{path.name} first frame (actors + first render), batched",
           batched["first_frame_s"] * 1000, "ms", "one actor per element",
           single["first_frame_s"] * 1000)
    report(f"{path.name} peak RSS, batched", batched["peak_rss_mib"], "MiB",
           "one actor per element", single["peak_rss_mib"])
    print(f"{path.name} peak RSS above the empty window: batched "
          f"{batched['peak_rss_mib'] - empty['peak_rss_mib']:.1f} MiB, per element "
          f"{single['peak_rss_mib'] - empty['peak_rss_mib']:.1f} MiB (empty window "
          f"{empty['peak_rss_mib']:.1f} MiB)", flush=True)


def main() -> None:
    """Fill a temporary cache, then measure each model's variants in child processes."""
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("files", nargs="*", type=Path, help="IFC files (default: the largest "
                        "sample and the Xinchuansha work model)")
    parser.add_argument("--frames", type=int, default=60, help="renders per variant")
    parser.add_argument("--rounds", type=int, default=6,
                        help="alternating blocks the renders are split into")
    parser.add_argument("--child", choices=("frames", *VARIANTS), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child == "frames":
        result = measure_frames(args.files[0], args.frames, args.rounds)
        print(json.dumps(result), flush=True)
        return
    if args.child:
        print(json.dumps(measure_memory(args.files[0], args.child)), flush=True)
        return
    files = [p.resolve() for p in args.files] or [largest_sample(), XINCHUANSHA]
    with tempfile.TemporaryDirectory(prefix="bench-bim-frame-") as folder:
        os.environ["XDG_CACHE_HOME"] = folder  # children inherit it: their loads are warm
        from twin_app.io.ifc import load_ifc_model

        for path in files:
            model = load_ifc_model(path)
            print(f"cached {path.name}: cold load {model.timings.cold_s:.2f} s", flush=True)
        for path in files:
            compare(path, args.frames, args.rounds)


if __name__ == "__main__":
    main()
