"""Elements that break the geometry kernel: skipped and listed while the rest loads.

A real failure comes from a file with one wall whose extrusion depth is 0. Crashes and hangs are
simulated with the child's test hook ``TWIN_APP_IFC_FAULT`` ("crash:<GlobalId>" makes the child
kill itself with SIGSEGV when it reaches that element, "hang:<GlobalId>" makes it sleep).
"""

from __future__ import annotations

import threading
import time
from pathlib import Path

import ifcopenshell
import ifcopenshell.geom
import pytest
from ifc_samples import HYBRID, WORKS, write_walls

from twin_app.core.errors import OperationCancelledError
from twin_app.core.progress import Feedback
from twin_app.io.ifc import IfcTimeoutError, load_ifc_model
from twin_app.io.ifc import _process as supervisor
from twin_app.io.ifc._protocol import FAULT_ENV

XINCHUANSHA = WORKS[-1]


@pytest.fixture
def workers(monkeypatch: pytest.MonkeyPatch) -> list[supervisor.WorkerProcess]:
    """Record every child process the loader starts."""
    started: list[supervisor.WorkerProcess] = []

    class Recording(supervisor.WorkerProcess):
        def __init__(self) -> None:
            super().__init__()
            started.append(self)

    monkeypatch.setattr(supervisor, "WorkerProcess", Recording)
    supervisor._close_standby()
    return started


def _all_exited(workers: list[supervisor.WorkerProcess]) -> bool:
    supervisor.join_closing()
    return all(not w.alive for w in workers)


def _in_iterator_order(path: Path) -> list[str]:
    ifc_file = ifcopenshell.open(str(path))
    return [s.guid for s in ifcopenshell.geom.iterator(
        ifcopenshell.geom.settings(), ifc_file, 1, exclude=["IfcOpeningElement", "IfcSpace"],
        geometry_library=HYBRID)]


def test_an_element_the_kernel_rejects_is_skipped_with_its_error(tmp_path: Path):
    path = tmp_path / "walls.ifc"
    guids = write_walls(path, count=4, broken=2)
    model = load_ifc_model(path, use_cache=False)
    assert [s.global_id for s in model.skipped] == [guids[2]]
    assert "Non-positive extrusion height" in model.skipped[0].reason
    assert model.skipped[0].ifc_class == "IfcWall" and model.skipped[0].name == "wall 2"
    placed = {model.elements[int(i)].global_id for i in model.instances.element}
    assert placed == {guids[0], guids[1], guids[3]}


def test_a_kernel_crash_is_isolated_to_its_element(monkeypatch: pytest.MonkeyPatch,
                                                   workers: list):
    order = _in_iterator_order(XINCHUANSHA)
    victim = order[40]
    monkeypatch.setenv(FAULT_ENV, f"crash:{victim}")
    model = load_ifc_model(XINCHUANSHA, use_cache=False)
    assert [s.global_id for s in model.skipped] == [victim]
    reason = model.skipped[0].reason
    assert reason.count("kernel crashed") == 2  # hybrid, then OpenCASCADE on its own
    assert HYBRID in reason and "(opencascade)" in reason
    assert len(model.instances) == len(order) - 1
    assert model.timings.restarts >= 2 and len(workers) >= 3
    assert _all_exited(workers)


def test_a_hang_is_timed_out_and_the_rest_loads(monkeypatch: pytest.MonkeyPatch,
                                                workers: list):
    order = _in_iterator_order(XINCHUANSHA)
    victim = order[30]
    monkeypatch.setenv(FAULT_ENV, f"hang:{victim}")
    started = time.perf_counter()
    model = load_ifc_model(XINCHUANSHA, use_cache=False, element_timeout_s=2)
    assert time.perf_counter() - started < 30
    assert [s.global_id for s in model.skipped] == [victim]
    assert model.skipped[0].reason.startswith("timed out after 2 s")
    assert len(model.instances) == len(order) - 1
    assert _all_exited(workers)


def test_a_crash_and_a_hang_in_one_file(monkeypatch: pytest.MonkeyPatch):
    order = _in_iterator_order(XINCHUANSHA)
    monkeypatch.setenv(FAULT_ENV, f"crash:{order[5]},hang:{order[60]}")
    model = load_ifc_model(XINCHUANSHA, use_cache=False, element_timeout_s=2)
    assert {s.global_id for s in model.skipped} == {order[5], order[60]}
    assert len(model.instances) == len(order) - 2


def test_cancel_kills_the_child(monkeypatch: pytest.MonkeyPatch, workers: list):
    monkeypatch.setenv(FAULT_ENV, f"hang:{_in_iterator_order(XINCHUANSHA)[10]}")
    feedback = Feedback("load")
    timer = threading.Timer(1.0, feedback.cancel)
    timer.start()
    started = time.perf_counter()
    with pytest.raises(OperationCancelledError):
        load_ifc_model(XINCHUANSHA, use_cache=False, feedback=feedback)
    assert time.perf_counter() - started < 10
    assert workers and _all_exited(workers)


def test_the_whole_file_time_out(monkeypatch: pytest.MonkeyPatch, workers: list,
                                 tmp_path: Path):
    monkeypatch.setenv(FAULT_ENV, f"hang:{_in_iterator_order(XINCHUANSHA)[10]}")
    with pytest.raises(IfcTimeoutError, match="within 3 s") as caught:
        load_ifc_model(XINCHUANSHA, timeout_s=3, cache_dir=tmp_path)
    assert "nothing was cached" in str(caught.value)
    assert _all_exited(workers)
    assert list(tmp_path.iterdir()) == []


def test_a_prestarted_worker_is_used(workers: list):
    supervisor.prestart_worker()
    assert len(workers) == 1
    deadline = time.perf_counter() + 60
    while workers[0].ready_at is None and time.perf_counter() < deadline:
        time.sleep(0.05)
    model = load_ifc_model(WORKS[0], use_cache=False)
    assert len(workers) == 1 and model.timings.worker_start_s == 0.0
    assert _all_exited(workers)


@pytest.mark.skipif(not Path("/proc/self/maps").exists(), reason="reads /proc/PID/maps (Linux)")
def test_a_ready_worker_has_its_kernels_and_schemas_loaded(workers: list):
    """The first iterator of a process loads the kernels and schema mappings (~60 ms): a
    pre-started process does it before it reports ready, so the first load does not pay it."""
    supervisor.prestart_worker()
    deadline = time.perf_counter() + 60
    while workers[0].ready_at is None and time.perf_counter() < deadline:
        time.sleep(0.05)
    maps = Path(f"/proc/{workers[0].proc.pid}/maps").read_text()
    loaded = {line.rsplit("/", 1)[-1] for line in maps.splitlines() if "ifcopenshell_" in line}
    for library in ("kernel_cgal", "mapping_ifc2x3", "mapping_ifc4.", "mapping_ifc4x3_add2"):
        assert any(library in name for name in loaded), (library, sorted(loaded))
    supervisor._close_standby()
