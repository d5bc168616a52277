"""Cold start: `twin-app open xinchuansha` to the first rendered frame, and `twin-app render`.

Baselines, measured in the same run: a bare PySide6 + pyvistaqt window that renders one empty
frame and quits (the floor any Qt + VTK app pays here), and a bare off-screen PyVista render of an
empty 1920x1080 frame to PNG.

Run: ``.venv/bin/python benchmarks/bench_startup.py [--repeat 3]``
"""

from __future__ import annotations

import argparse
import os
import re
import sys
import tempfile
import time
from pathlib import Path

from _common import BIN, ensure_display, median_of, report, wall_time

BARE_WINDOW = """
import sys
from qtpy.QtCore import QTimer
from qtpy.QtWidgets import QApplication, QMainWindow
from pyvistaqt import QtInteractor
app = QApplication(sys.argv)
window = QMainWindow(); window.resize(1600, 960)
plotter = QtInteractor(window); window.setCentralWidget(plotter.interactor)
window.show()
def done():
    plotter.ren_win.Render(); window.grab(); plotter.close(); window.close(); app.quit()
QTimer.singleShot(0, done)
app.exec()
"""

BARE_RENDER = """
import sys, pyvista as pv
plotter = pv.Plotter(off_screen=True, window_size=(1920, 1080))
plotter.screenshot(sys.argv[1]); plotter.close()
"""


def main() -> None:
    """Measure and print the start-up figures."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--scene", default="xinchuansha")
    args = parser.parse_args()
    ensure_display()
    twin_app = str(BIN / "twin-app")
    python = sys.executable
    with tempfile.TemporaryDirectory() as tmp:
        env = {**os.environ, "TWIN_APP_SETTINGS": str(Path(tmp) / "bench.ini")}
        open_cmd = [twin_app, "-v", "open", args.scene, "--quit-after-load"]
        wall_time(open_cmd, env)  # warm the OS file cache once; every run below is a new process
        first_frames, whole = [], []
        for _ in range(args.repeat):
            launched = time.time()
            elapsed, log = wall_time(open_cmd, env)
            match = re.search(r"shown [0-9.]+ s after start \(epoch ([0-9.]+)\)", log)
            if not match:
                raise RuntimeError(f"no 'scene shown' line in the log:\n{log[-2000:]}")
            first_frames.append(float(match.group(1)) - launched)
            whole.append(elapsed)
        bare = [wall_time([python, "-c", BARE_WINDOW], env)[0] for _ in range(args.repeat)]
        report(f"twin-app open {args.scene}: launch to first scene frame", median_of(first_frames),
               "s", "bare Qt+VTK window: launch, one empty frame, quit", median_of(bare))
        print(f"  (launch to exit with --quit-after-load: {median_of(whole):.3f} s)", flush=True)
        png = str(Path(tmp) / "view.png")
        renders = [wall_time([twin_app, "render", args.scene, "--out", png], env)[0]
                   for _ in range(args.repeat)]
        bare_png = [wall_time([python, "-c", BARE_RENDER, png], env)[0]
                    for _ in range(args.repeat)]
        report(f"twin-app render {args.scene} 1920x1080 (wall)", median_of(renders), "s",
               "bare off-screen PyVista empty frame to PNG", median_of(bare_png))


if __name__ == "__main__":
    main()
