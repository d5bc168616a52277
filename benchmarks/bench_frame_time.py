"""Frame time of the default view at 1920x1080 in the real main window under Xvfb/Mesa.

Baselines, in the same window and run: the same view with 8x multisampling (pyvista's default,
which the app replaced by FXAA on software renderers; see ``twin_app.qt.interactor``), and the
same view with the scene's actors removed (the cost of an empty frame: clearing, the background
gradient and swapping buffers).

Run: ``.venv/bin/python benchmarks/bench_frame_time.py [--frames 30]``
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
from pathlib import Path

from _common import ensure_display, report


def _frame_times(plotter, frames: int) -> list[float]:
    times = []
    plotter.ren_win.Render()
    for index in range(frames):
        plotter.camera.azimuth = 0.5 * (index % 2 * 2 - 1)  # tiny orbit: every frame is real work
        started = time.perf_counter()
        plotter.ren_win.Render()
        plotter.ren_win.WaitForCompletion()
        times.append(time.perf_counter() - started)
    return times


def main() -> None:
    """Measure and print the frame times."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--frames", type=int, default=30)
    parser.add_argument("--scene", default="xinchuansha")
    args = parser.parse_args()
    ensure_display(1920, 1080)
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["TWIN_APP_SETTINGS"] = str(Path(tmp) / "bench.ini")
        from qtpy.QtCore import QEventLoop, QTimer

        from twin_app.qt.app import create_main_window, ensure_application

        app = ensure_application()
        window = create_main_window(language="zh_CN")
        from qtpy.QtWidgets import QDockWidget, QToolBar

        for panel in window.findChildren(QDockWidget) + window.findChildren(QToolBar):
            panel.hide()  # the 3D view alone fills the 1920x1080 screen
        window.menuBar().hide()
        window.statusBar().hide()
        window.setGeometry(0, 0, 1920, 1080)  # the whole screen (Xvfb has no window manager)
        window.show()
        loop = QEventLoop()
        window.scene_shown.connect(lambda _id: loop.quit())
        window.open_scene(args.scene)
        QTimer.singleShot(120_000, loop.quit)
        loop.exec()
        app.processEvents()
        size = window.plotter.ren_win.GetSize()
        actors = window.plotter.renderer.GetActors().GetNumberOfItems()
        print(f"render window {size[0]}x{size[1]}, {actors} actors", flush=True)
        plotter = window.plotter
        scene = statistics.median(_frame_times(plotter, args.frames))
        plotter.renderer.disable_anti_aliasing()
        plotter.ren_win.SetMultiSamples(8)
        msaa = statistics.median(_frame_times(plotter, args.frames))
        plotter.ren_win.SetMultiSamples(8 if plotter.anti_aliasing == "msaa" else 0)
        if plotter.anti_aliasing == "fxaa":
            plotter.renderer.enable_anti_aliasing("fxaa")
        report(f"frame time, {args.scene} default view, anti-aliasing {plotter.anti_aliasing} "
               f"(median of {args.frames})", scene * 1000, "ms", "same view, 8x MSAA",
               msaa * 1000)
        for actor in list(window.plotter.renderer.actors):
            window.plotter.remove_actor(actor, render=False)
        empty = statistics.median(_frame_times(window.plotter, args.frames))
        report(f"frame time, {args.scene} default view (median of {args.frames})",
               scene * 1000, "ms", "same window, empty scene", empty * 1000)
        window.close()
        app.processEvents()


if __name__ == "__main__":
    main()
