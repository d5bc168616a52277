"""Run every benchmark and print its figures (`make bench`); a failure is reported, not fatal."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
SCRIPTS = ("bench_startup.py", "bench_frame_time.py", "bench_store.py", "bench_ifc_load.py",
           "bench_bim_frame.py", "bench_latency.py", "bench_sl651.py", "bench_terrain.py",
           "bench_flood.py", "bench_rehearsal.py", "bench_seepage.py", "bench_forecast.py",
           "bench_wall.py")

failed = []
for script in SCRIPTS:
    print(f"== {script}", flush=True)
    if subprocess.run([sys.executable, str(HERE / script)], cwd=HERE).returncode != 0:
        failed.append(script)
if failed:
    print(f"== failed: {', '.join(failed)}", flush=True)
sys.exit(1 if failed else 0)
