"""The video wall: render time by size, the wall layout's frame rate, memory over a short soak.

1. Off-screen render time (EGL/GLX off-screen, Mesa llvmpipe) of the scene's default view at
   1920x1080, 3840x2160 and 7680x2160; baseline: 1920x1080 in the same run.
2. Frame rate of the whole wall layout (3D scene tile, rehearsal view, gauges, chart, alarms,
   clock) in a real window on a 7680x2160 Xvfb screen: each frame moves the camera, puts new
   values on the model and the tiles, and paints the window; baseline: the same layout in a
   1920x1080 window in the same run.
3. Resident memory over a short soak (tour every 0.5 s, the typhoon event looping at 14,400x);
   baseline: the memory after a warm-up in the same run.

Run: ``.venv/bin/python benchmarks/bench_wall.py [--scene xinchuansha] [--frames 10]
[--soak 60]`` (it starts its own 7680x2160 Xvfb when there is no display).
"""

from __future__ import annotations

import argparse
import ctypes
import gc
import os
import statistics
import tempfile
import time
from pathlib import Path

from _common import ensure_display, report

SIZES = ((1920, 1080), (3840, 2160), (7680, 2160))


def rss_mb() -> float:
    """Resident memory after a collection and returning freed heap to the system."""
    gc.collect()
    ctypes.CDLL("libc.so.6").malloc_trim(0)
    with Path("/proc/self/statm").open() as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def offscreen_times(scene: str, frames: int) -> dict[tuple[int, int], float]:
    """Median render time (s) of the default view at each size."""
    from twin_app.core.scene_loader import load_scene
    from twin_app.core.workspace import Workspace
    from twin_app.render.geometry import build_scene_geometry
    from twin_app.render.view import SceneView, offscreen_plotter

    document = load_scene(scene)
    geometry = build_scene_geometry(document)
    times = {}
    for width, height in SIZES:
        workspace = Workspace(language="zh_CN")
        workspace.open(document)
        plotter = offscreen_plotter(width, height)
        SceneView(plotter, geometry, workspace)
        plotter.render()
        samples = []
        for index in range(frames):
            plotter.camera.azimuth = 0.5 * (index % 2 * 2 - 1)
            started = time.perf_counter()
            plotter.ren_win.Render()
            plotter.ren_win.WaitForCompletion()
            samples.append(time.perf_counter() - started)
        plotter.close()
        times[(width, height)] = statistics.median(samples)
    return times


def wall_frame_times(scene: str, frames: int, size: tuple[int, int]) -> tuple[float, int]:
    """Median time (s) of one full wall frame at ``size``, and the frames the 3D tiles drew."""
    from qtpy.QtCore import QEventLoop, QRect, QTimer

    from twin_app.core.wall_layout import load_layout
    from twin_app.qt.app import ensure_application
    from twin_app.qt.wall.window import WallWindow

    app = ensure_application()
    wall = WallWindow(load_layout(), language="zh_CN", height=size[1])
    wall.place(QRect(0, 0, *size), full_screen=False)
    loop = QEventLoop()
    wall.scene_shown.connect(lambda _id: loop.quit())
    wall.open_scene(scene)
    QTimer.singleShot(120_000, loop.quit)
    loop.exec()
    wall.replay.start("typhoon", 3600.0)
    for _ in range(20):
        app.processEvents()
    samples = []
    for _ in range(frames):
        started = time.perf_counter()
        wall.step_tour(1)
        wall.refresh_all()
        wall.repaint()
        app.processEvents()
        samples.append(time.perf_counter() - started)
    drawn = wall.frames()
    wall.close()
    app.processEvents()
    return statistics.median(samples), drawn


def soak_memory(scene: str, seconds: float) -> tuple[float, float, float]:
    """Memory after a 10 s warm-up, at the end and at most, over ``seconds`` of soak (MB)."""
    from qtpy.QtCore import QEventLoop, QRect, QTimer

    from twin_app.core.wall_layout import load_layout
    from twin_app.qt.app import ensure_application
    from twin_app.qt.wall.window import WallWindow

    ensure_application()
    layout = load_layout()
    layout = layout.model_copy(update={"tour": layout.tour.model_copy(
        update={"interval_s": 0.5, "alarm_hold_s": 2.0})})
    wall = WallWindow(layout, language="zh_CN", height=1080)
    wall.place(QRect(0, 0, 1920, 1080), full_screen=False)
    loop = QEventLoop()
    wall.scene_shown.connect(lambda _id: loop.quit())
    wall.replay.start("typhoon", 14_400.0, loop=True)
    wall.open_scene(scene)
    loop.exec()

    def run_for(duration: float) -> None:
        QTimer.singleShot(round(duration * 1000), loop.quit)
        loop.exec()

    run_for(10.0)
    warm = peak = rss_mb()
    end = warm
    for _ in range(max(1, round(seconds / 5))):
        run_for(5.0)
        end = rss_mb()
        peak = max(peak, end)
    wall.close()
    return warm, end, peak


def main() -> None:
    """Measure and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--scene", default="xinchuansha")
    parser.add_argument("--frames", type=int, default=10)
    parser.add_argument("--soak", type=float, default=60.0, help="seconds of soak")
    args = parser.parse_args()
    ensure_display(7680, 2160)
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["TWIN_APP_SETTINGS"] = str(Path(tmp) / "bench.ini")
        times = offscreen_times(args.scene, args.frames)
        base = times[SIZES[0]]
        for size in SIZES:
            report(f"off-screen render, {args.scene} default view, {size[0]}x{size[1]} "
                   f"(median of {args.frames})", times[size] * 1000, "ms", "1920x1080", base * 1000)
        small, _ = wall_frame_times(args.scene, args.frames, (1920, 1080))
        large, drawn = wall_frame_times(args.scene, args.frames, (7680, 2160))
        report(f"wall layout frame, 7680x2160 window under Xvfb ({drawn} 3D frames drawn)",
               large * 1000, "ms", "same layout at 1920x1080", small * 1000)
        print(f"wall layout frame rate: {1 / large:.2f} fps at 7680x2160, "
              f"{1 / small:.2f} fps at 1920x1080", flush=True)
        warm, end, peak = soak_memory(args.scene, args.soak)
        report(f"resident memory after a {args.soak:g} s soak (peak {peak:.0f} MB)", end, "MB",
               "after a 10 s warm-up", warm)


if __name__ == "__main__":
    main()
