"""Terrain: DEM open-to-first-frame and memory (2k, 5k, 10k square), and frame time flying over
the 10k DEM with tiling, against the same DEM drawn as one mesh where one mesh can be built.

Usage::

    .venv/bin/python benchmarks/bench_terrain.py [--sizes 2000 5000 10000] [--frames 40]

Synthetic DEMs (2 m cells, tiled, Deflate, internal overviews: COG-style) are written to a temp
dir.  Each measurement runs in its own process so that peak memory (ru_maxrss) is its own.
Off-screen 1920x1080 through EGL/llvmpipe, as in bench_frame_time.py.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks._common import REPO, report

CELL = 2.0
LEFT, TOP = 600000.0, 3500000.0
WIDTH, HEIGHT = 1920, 1080


def write_dem(path: Path, size: int) -> Path:
    """Write a size x size synthetic DEM block by block, then internal overviews."""
    import rasterio
    from affine import Affine
    from rasterio.enums import Resampling
    from rasterio.windows import Window

    profile = {"driver": "GTiff", "width": size, "height": size, "count": 1,
               "dtype": "float32", "crs": "EPSG:4549", "nodata": -9999.0,
               "transform": Affine(CELL, 0.0, LEFT, 0.0, -CELL, TOP), "tiled": True,
               "blockxsize": 512, "blockysize": 512, "compress": "deflate", "zlevel": 1,
               "predictor": 3, "BIGTIFF": "IF_SAFER"}
    block = 2048
    with rasterio.open(path, "w", **profile) as dataset:
        for r0 in range(0, size, block):
            for c0 in range(0, size, block):
                rows, cols = min(block, size - r0), min(block, size - c0)
                y, x = np.mgrid[r0:r0 + rows, c0:c0 + cols].astype(np.float32) * CELL
                z = (3.5 + 0.6 * np.sin(x / 700.0) * np.cos(y / 900.0)
                     + 0.2 * np.sin(x / 90.0 + y / 130.0))
                channel = np.abs(y - 0.5 * size * CELL - 800.0 * np.sin(x / 3000.0))
                z = np.minimum(z, -6.0 + channel / 20.0)
                dataset.write(z.astype(np.float32), 1, window=Window(c0, r0, cols, rows))
        levels = [2**k for k in range(1, 10) if size // 2**k >= 256]
        dataset.build_overviews(levels, Resampling.average)
    return path


def _camera(plotter, size: int, t: float) -> None:
    """Fly low along the DEM's diagonal: t=0 at the south-west, 1 at the north-east."""
    span = size * CELL
    half = span / 2
    x = -half + (0.1 + 0.8 * t) * span
    y = -half + (0.1 + 0.8 * t) * span
    camera = plotter.camera
    camera.position = (x, y, 350.0)
    camera.focal_point = (x + 1500.0, y + 1500.0, 0.0)
    camera.up = (0.0, 0.0, 1.0)
    camera.view_angle = 30.0
    plotter.camera_set = True


def child(mode: str, path: Path, size: int, frames: int) -> dict:
    """Measure in this process: open-to-first-frame, fly frames, peak memory."""
    import pyvista as pv

    from twin_app.core.geo import HeightDatum, SceneFrame
    from twin_app.render.view import offscreen_plotter

    started = time.perf_counter()
    plotter = offscreen_plotter(WIDTH, HEIGHT)
    frame = SceneFrame("EPSG:4549", (LEFT + size, TOP - size, 0.0),
                       HeightDatum("吴淞高程", "Wusong", -1.66))
    _camera(plotter, size, 0.0)
    triangles = 0
    if mode == "tiled":
        from twin_app.io.dem_tiles import DemTileSource
        from twin_app.render.terrain_tiles import TerrainTileLayer

        layer = TerrainTileLayer(plotter, DemTileSource(path, "EPSG:4549"), frame,
                                 pixel_error=4.0)
        layer.refresh()
        triangles = layer.triangle_count()
    else:
        from twin_app.io.dem import read_dem
        from twin_app.render.geometry import terrain_mesh

        mesh = terrain_mesh(read_dem(path), frame)
        plotter.add_mesh(mesh, scalars="rgb", rgb=True, reset_camera=False)
        triangles = 2 * mesh.n_cells
        layer = None
    plotter.renderer.ResetCameraClippingRange()
    plotter.screenshot(return_img=False)
    first_frame = time.perf_counter() - started
    times, renders = [], []
    for i in range(frames):
        t0 = time.perf_counter()
        _camera(plotter, size, (i + 1) / frames)
        if layer is not None:
            layer.update()
            layer.poll()
        plotter.renderer.ResetCameraClippingRange()
        t1 = time.perf_counter()
        plotter.render()
        t2 = time.perf_counter()
        times.append(t2 - t0)
        renders.append(t2 - t1)
    if layer is not None:
        triangles = layer.triangle_count()
        layer.close()
    plotter.close()
    del pv
    return {"first_frame_s": first_frame, "frame_ms": 1000 * float(np.median(times)),
            "render_ms": 1000 * float(np.median(renders)), "triangles": triangles,
            "max_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}


def run_child(mode: str, path: Path, size: int, frames: int) -> dict:
    """Run :func:`child` in a fresh process and return its figures."""
    out = subprocess.run([sys.executable, __file__, "--child", mode, str(path), str(size),
                          str(frames)], capture_output=True, text=True, cwd=REPO, check=False)
    if out.returncode != 0:
        raise RuntimeError(out.stderr[-3000:])
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    """Write the DEMs, measure each, print figures and ratios."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="+", default=[2000, 5000, 10000])
    parser.add_argument("--frames", type=int, default=40)
    parser.add_argument("--child", nargs=4, metavar=("MODE", "PATH", "SIZE", "FRAMES"))
    args = parser.parse_args()
    if args.child:
        mode, path, size, frames = args.child
        print(json.dumps(child(mode, Path(path), int(size), int(frames))))
        return
    with tempfile.TemporaryDirectory(prefix="bench_terrain_") as folder:
        results: dict[tuple[str, int], dict] = {}
        for size in args.sizes:
            started = time.perf_counter()
            path = write_dem(Path(folder) / f"dem_{size}.tif", size)
            print(f"wrote {size}x{size} DEM ({path.stat().st_size / 1e6:.0f} MB) in "
                  f"{time.perf_counter() - started:.1f} s", flush=True)
            results["tiled", size] = run_child("tiled", path, size, args.frames)
            print(f"  tiled {size}: {results['tiled', size]}", flush=True)
            if size <= 2000:
                results["mesh", size] = run_child("mesh", path, size, args.frames)
                print(f"  one mesh {size}: {results['mesh', size]}", flush=True)
        print()
        base = results.get(("mesh", min(args.sizes)))
        smallest = min(args.sizes)
        for size in args.sizes:
            tiled = results["tiled", size]
            reference = base or results["tiled", smallest]
            name = f"one mesh {smallest}" if base else f"tiled {smallest}"
            report(f"open-to-first-frame tiled {size}", tiled["first_frame_s"], "s", name,
                   reference["first_frame_s"])
            report(f"peak memory tiled {size}", tiled["max_rss_mb"], "MB", name,
                   reference["max_rss_mb"])
            report(f"fly frame tiled {size} ({tiled['triangles']} tri)", tiled["frame_ms"], "ms",
                   f"{name} ({reference['triangles']} tri)", reference["frame_ms"])
        if max(args.sizes) >= 10000:
            n = max(args.sizes)
            print(f"one mesh of the {n}x{n} DEM is not built: {n * n / 1e6:.0f} M vertices need "
                  f"about {n * n * 31 / 1e9:.1f} GB (float64 points, heights, colours) before "
                  f"VTK's copies, and {2 * (n - 1) ** 2 / 1e6:.0f} M triangles would take minutes "
                  "per frame on llvmpipe (about 770 ms per 2 M triangles here).")


if __name__ == "__main__":
    main()
