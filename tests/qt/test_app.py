"""Starting the Qt application: cyclic garbage is collected in the GUI thread only."""

import gc
import threading
import weakref

import pytest

from twin_app.qt.app import ensure_application

pytestmark = pytest.mark.gui


class _Node:
    """A Python object in a reference cycle (only the cycle collector frees it)."""

    def __init__(self) -> None:
        self.me = self


def test_cycles_are_collected_on_the_gui_threads_timer_not_where_they_are_made(qtbot):
    ensure_application()
    assert not gc.isenabled()  # no collection in whichever thread allocates
    collected_in: list[str] = []

    class Watched(_Node):
        def __del__(self) -> None:
            collected_in.append(threading.current_thread().name)

    def make_garbage() -> None:
        for _ in range(5 * gc.get_threshold()[0]):  # far past the first generation's threshold
            _Node()
        Watched()

    worker = threading.Thread(target=make_garbage, name="loader")
    worker.start()
    worker.join()
    assert collected_in == []  # the worker's allocations collected nothing
    probe = _Node()
    dead = weakref.ref(probe)
    del probe
    qtbot.waitUntil(lambda: dead() is None and bool(collected_in), timeout=5000)
    assert collected_in == [threading.main_thread().name]
