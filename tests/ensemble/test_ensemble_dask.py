"""Ensembles on a real Dask scheduler with two workers, started here on loopback.

The scheduler and workers are ``dask scheduler`` / ``dask worker`` processes from this venv (the
workers import twin_app and its plugins like any cluster node would), allowed to start processes
(``DASK_DISTRIBUTED__WORKER__DAEMON=False``).  Members write their run folders to the test's
folder (the shared path); only summaries come back through the scheduler.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest

from twin_app.core.scene_loader import load_scene
from twin_app.ensemble import EnsembleRun, EnsembleSpec, prepare_ensemble

BIN = Path(sys.executable).parent


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    """A ``dask scheduler`` and two single-thread ``dask worker`` processes on loopback."""
    from distributed import Client

    folder = tmp_path_factory.mktemp("dask")
    port = _free_port()
    address = f"tcp://127.0.0.1:{port}"
    env = dict(os.environ, DASK_DISTRIBUTED__WORKER__DAEMON="False")
    logs = [(folder / f"{name}.log").open("w") for name in ("scheduler", "w1", "w2")]
    commands = [[str(BIN / "dask"), "scheduler", "--host", "127.0.0.1", "--port", str(port),
                 "--no-dashboard"]]
    commands += [[str(BIN / "dask"), "worker", address, "--nthreads", "1", "--nworkers", "1",
                  "--no-dashboard", "--host", "127.0.0.1", "--name", f"w{k}",
                  "--local-directory", str(folder / f"w{k}")] for k in (1, 2)]
    processes = []
    try:
        for command, log in zip(commands, logs, strict=True):
            processes.append(subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT,
                                              env=env, start_new_session=True))
            if not processes[1:]:
                time.sleep(1.0)  # let the scheduler bind first
        with Client(address, timeout="30s") as client:
            client.wait_for_workers(2, timeout=90)
        yield address
    finally:
        for process in reversed(processes):
            os.killpg(process.pid, signal.SIGTERM)
        for process in processes:
            try:
                process.wait(20)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(5)
        for log in logs:
            log.close()


def test_known_probability_on_two_workers(cluster, tmp_path):
    spec = EnsembleSpec.model_validate({
        "id": "dask", "plugin": "twin_example", "duration_h": 3.0, "output_interval_min": 60.0,
        "base": {"coarsen": 16, "time_step_s": 900.0, "rainfall_mm_h": 0.0},
        "members": [{"parameters": {"rainfall_mm_h": 60.0}}, {"parameters": {}},
                    {"parameters": {"rainfall_mm_h": 60.0}}, {"parameters": {}},
                    {"parameters": {}}, {"parameters": {"reservoir_constant_h": -1.0}}]})
    plan = prepare_ensemble(spec, out_dir=tmp_path / "ens", scene=load_scene("huangpu"))
    events = []
    result = EnsembleRun(plan, scheduler=cluster, on_event=events.append).start().wait(300)
    assert result.state == "succeeded", result.message
    assert [o.index for o in result.failed] == [5]
    values = set(np.unique(result.aggregate.probability_wet).tolist())
    assert values == {0.0, float(np.float32(2 / 5))}  # exactly k/N: 2 raining members of 5
    ran = [o for o in result.outcomes if o.ok]
    assert len({o.worker for o in ran}) == 2  # both workers took members
    assert all(o.max_depth is None for o in ran)  # no grid came through the scheduler
    assert all(Path(o.max_depth_path).is_relative_to(tmp_path / "ens" / "members") for o in ran)
    progress = [e for e in events if e.kind == "member" and e.state == "running"]
    assert {e.index for e in progress} == {0, 1, 2, 3, 4}  # progress per member, from workers
    assert events[-1].kind == "finished" and events[-1].done == 5


def test_ship_grids_without_a_shared_disk(cluster, tmp_path):
    spec = EnsembleSpec.model_validate({
        "id": "ship", "plugin": "twin_example", "duration_h": 2.0, "output_interval_min": 60.0,
        "base": {"coarsen": 16, "time_step_s": 900.0, "rainfall_mm_h": 0.0},
        "members": [{"parameters": {"rainfall_mm_h": 60.0}}, {"parameters": {}}]})
    plan = prepare_ensemble(spec, out_dir=tmp_path / "ens", scene=load_scene("huangpu"))
    result = EnsembleRun(plan, scheduler=cluster, ship_grids=True).start().wait(300)
    assert result.state == "succeeded", result.message
    assert set(np.unique(result.aggregate.probability_wet).tolist()) == {0.0, 0.5}
    assert all(Path(o.max_depth_path).parent.parent == tmp_path / "ens" / "members"
               for o in result.outcomes)


def test_cancel_stops_running_members(cluster, tmp_path):
    spec = EnsembleSpec.model_validate({
        "id": "cancel", "plugin": "twin_example", "duration_h": 200.0,
        "output_interval_min": 600.0, "members": 4,
        "base": {"coarsen": 4, "time_step_s": 1.0}})
    plan = prepare_ensemble(spec, out_dir=tmp_path / "ens", scene=load_scene("huangpu"))
    run = EnsembleRun(plan, scheduler=cluster).start()
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and not any(
            state == "running" for state, _ in run.member_states.values()):
        run.poll(0.2)
    started = time.monotonic()
    run.cancel()
    result = run.wait(120)
    assert time.monotonic() - started < 30
    assert result.state == "cancelled"
    assert {o.state for o in result.outcomes} == {"cancelled"}
