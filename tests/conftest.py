"""Fixtures shared by all tests.

GUI tests run in real windows: pytest-xvfb starts a 1920x1080 Xvfb for the session and Qt uses
its xcb platform.  ``fail_on_vtk_errors`` fails any test in which VTK logs an error or warning.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SCENES = REPO / "scenes"


@pytest.fixture(autouse=True)
def isolated_settings(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
                      ) -> Path:
    """Give every test its own settings file so no test sees another's recent scenes."""
    path = tmp_path_factory.mktemp("settings") / "twin_app.ini"
    monkeypatch.setenv("TWIN_APP_SETTINGS", str(path))
    return path


@pytest.fixture(autouse=True)
def isolated_store(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
                   ) -> str:
    """Point the app's live store at a fresh SQLite file, never the user's data folder."""
    url = f"sqlite:///{tmp_path_factory.mktemp('store') / 'telemetry.db'}"
    monkeypatch.setenv("TWIN_APP_STORE", url)
    return url


@pytest.fixture(autouse=True)
def isolated_data(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
                  ) -> Path:
    """Give every test its own user data folder (reviews, scenes the user added)."""
    path = tmp_path_factory.mktemp("data")
    monkeypatch.setenv("TWIN_APP_DATA", str(path))
    return path


@pytest.fixture(autouse=True)
def isolated_runs(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
                  ) -> Path:
    """Put rehearsal run folders in a temporary folder, never the user's data folder."""
    path = tmp_path_factory.mktemp("runs")
    monkeypatch.setenv("TWIN_APP_RUNS", str(path))
    return path


@contextlib.contextmanager
def captured_vtk_output() -> Iterator[list[str]]:
    """Collect what VTK writes to its output window (errors, warnings) while the block runs."""
    from vtkmodules.vtkCommonCore import vtkOutputWindow, vtkStringOutputWindow

    capture = vtkStringOutputWindow()
    previous = vtkOutputWindow.GetInstance()
    vtkOutputWindow.SetInstance(capture)
    collected: list[str] = []
    try:
        yield collected
    finally:
        vtkOutputWindow.SetInstance(previous)
        collected.append(capture.GetOutput().strip())


@pytest.fixture(autouse=True)
def fail_on_vtk_errors() -> Iterator[None]:
    """Fail the test if VTK reports an error or a warning while it runs."""
    with captured_vtk_output() as collected:
        yield
    output = collected[0]
    if "ERROR" in output or "Warning" in output:
        pytest.fail(f"VTK logged during the test:\n{output}")


def pytest_configure(config: pytest.Config) -> None:
    """Make Qt use a real (Xvfb) window, never the offscreen platform, unless told otherwise."""
    os.environ.setdefault("QT_QPA_PLATFORM", "xcb")
    os.environ.setdefault("PYVISTA_OFF_SCREEN", "false")
