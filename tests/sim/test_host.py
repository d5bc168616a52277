"""The host runs plugins in a worker process: results, raise, hang, segfault, cancel, streaming."""

import time
from pathlib import Path

import numpy as np
import pytest

from twin_app.sim.config import RunConfig
from twin_app.sim.discovery import find_plugin
from twin_app.sim.host import RehearsalRun, RunState, run_rehearsal


def _config(tmp_path, plugin, *, hours=1.0, every_min=10.0, **parameters):
    return RunConfig(plugin=plugin, parameters={"rate_m_h": 1.0, "sleep_s": 0.0, **parameters},
                     duration_s=hours * 3600, output_interval_s=every_min * 60,
                     run_dir=str(tmp_path / "run"))


def test_a_good_run_writes_frames_results_and_a_summary(fake_site, tmp_path):
    events = []
    result = run_rehearsal(find_plugin("fake_ramp"), _config(tmp_path, "fake_ramp"),
                           timeout_s=60, on_event=events.append)
    assert result.state is RunState.SUCCEEDED, result.log_tail
    assert [f.time_s for f in result.frames] == [0, 600, 1200, 1800, 2400, 3000, 3600]
    assert result.summary["steps"] == 60
    assert result.summary["mass_balance_error"] == 0.0
    assert {Path(p).name for p in result.outputs} >= {
        "results.nc", "max_depth.tif", "arrival_time.tif", "duration_wet.tif",
        "max_extent.geojson"}
    assert [e.kind for e in events[:3]] == ["started", "initialized", "frame"]
    assert events[-1].kind == "finished"
    assert events[-2].kind == "outputs"
    assert (tmp_path / "run" / "run_config.json").is_file()
    last = np.load(result.frames[-1].path)
    assert last["surface_water__depth"].max() == pytest.approx(1.0)


def test_a_plugin_that_raises_fails_the_run_with_its_log(fake_site, tmp_path):
    result = run_rehearsal(find_plugin("fake_raises"), _config(tmp_path, "fake_raises"),
                           timeout_s=60)
    assert result.state is RunState.FAILED
    assert "boom in update at 180 s" in result.message
    assert "Traceback" in result.log_tail and "RuntimeError" in result.log_tail
    assert len(result.frames) == 1  # frame 0 was written before the failure


def test_a_plugin_that_hangs_is_stopped_at_the_time_out(fake_site, tmp_path):
    started = time.monotonic()
    result = run_rehearsal(find_plugin("fake_hangs"), _config(tmp_path, "fake_hangs"),
                           timeout_s=2)
    assert result.state is RunState.TIMED_OUT
    assert "longer than 2 s" in result.message
    assert time.monotonic() - started < 15


@pytest.mark.parametrize(("plugin", "signal_name"), [("fake_segfaults", "SIGSEGV"),
                                                     ("fake_aborts", "SIGABRT")])
def test_a_plugin_that_kills_its_process_leaves_the_caller_running(fake_site, tmp_path, plugin,
                                                                    signal_name):
    result = run_rehearsal(find_plugin(plugin), _config(tmp_path, plugin), timeout_s=60)
    assert result.state is RunState.FAILED
    assert signal_name in result.message
    assert "Fatal Python error" in result.log_tail  # faulthandler's dump is in the log
    assert result.exit_code is not None and result.exit_code < 0


def test_a_plugin_that_does_not_import_fails_in_the_worker(fake_site, tmp_path):
    result = run_rehearsal(find_plugin("fake_import_error"),
                           _config(tmp_path, "fake_import_error"), timeout_s=60)
    assert result.state is RunState.FAILED
    assert "module_that_does_not_exist_xyz" in result.message


def test_frames_stream_before_the_end_and_cancel_stops_mid_run(fake_site, tmp_path):
    config = _config(tmp_path, "fake_ramp", hours=10.0, every_min=1.0, sleep_s=0.02)
    run = RehearsalRun(find_plugin("fake_ramp"), config, timeout_s=60).start()
    seen = []
    for event in run.events(0.05):
        if event.kind == "frame":
            seen.append(event.frame)
            assert not run.done
            frame = run.read_frame(event.frame.index)  # readable while the run goes on
            assert frame["surface_water__depth"].shape == run.grid.shape == (4, 5)
            assert run.grid.origin == (3000000.0, 500000.0)
        if len(seen) == 3:
            run.cancel()
    result = run.result
    assert result.state is RunState.CANCELLED
    assert 3 <= len(result.frames) < 600
    assert result.wall_time_s < 20


def test_cancelling_a_hung_plugin_terminates_it_after_the_grace_time(fake_site, tmp_path):
    run = RehearsalRun(find_plugin("fake_hangs"), _config(tmp_path, "fake_hangs"),
                       cancel_grace_s=0.5).start()
    while not run.frames:
        run.poll(0.1)
    run.cancel()
    result = run.wait(timeout=30)
    assert result.state is RunState.CANCELLED
    assert "terminated" in result.message


def test_polling_with_no_wait_never_blocks(fake_site, tmp_path):
    config = _config(tmp_path, "fake_ramp", hours=1.0, sleep_s=0.01)
    run = RehearsalRun(find_plugin("fake_ramp"), config).start()
    started = time.monotonic()
    run.poll()
    assert time.monotonic() - started < 0.5
    assert run.wait(timeout=60).state is RunState.SUCCEEDED
