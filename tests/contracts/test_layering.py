"""The layering contract: lower layers never load Qt or VTK rendering."""

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]

PROBE = """
import importlib, json, sys
for name in sys.argv[1:]:
    importlib.import_module(name)
loaded = sorted(m for m in sys.modules
                if m.split('.')[0] in ('PySide6', 'qtpy', 'pyvista', 'pyvistaqt', 'shiboken6')
                or m.startswith(('vtkmodules.vtkRendering', 'twin_app.qt', 'twin_app.render')))
print(json.dumps(loaded))
"""


def _modules_loaded_by(*modules: str) -> list[str]:
    result = subprocess.run(
        [sys.executable, "-c", PROBE, *modules],
        capture_output=True, text=True, check=True, cwd=REPO,
    )
    return json.loads(result.stdout)


@pytest.mark.parametrize(
    "modules",
    [
        ("twin_app.core",),
        ("twin_app.core.scene_loader", "twin_app.core.workspace", "twin_app.core.geo",
         "twin_app.core.properties", "twin_app.core.progress"),
        ("twin_app.io.scene_summary", "twin_app.io.dem", "twin_app.io.vectors",
         "twin_app.io.ifc"),
        ("twin_app.telemetry", "twin_app.sim", "twin_app.telemetry.session",
         "twin_app.telemetry.sl651.server", "twin_app.telemetry.store",
         "twin_app.telemetry.store.sqlite", "twin_app.telemetry.store.postgres",
         "twin_app.telemetry.store.pg_local", "twin_app.telemetry.alarms",
         "twin_app.telemetry.alarms.engine", "twin_app.telemetry.alarms.history",
         "twin_app.telemetry.mqtt", "twin_app.telemetry.replay", "twin_app.telemetry.service"),
        ("twin_app.cli",),
    ],
)
def test_lower_layers_load_neither_qt_nor_vtk_rendering(modules):
    assert _modules_loaded_by(*modules) == []


def test_the_probe_does_see_rendering_modules():
    """Guard against a probe that can never fail: the render layer does load VTK rendering."""
    loaded = _modules_loaded_by("twin_app.render.view")
    assert any(m.startswith("vtkmodules.vtkRendering") for m in loaded)
    assert "twin_app.render.view" in loaded


def test_import_linter_contracts_hold():
    lint_imports = shutil.which("lint-imports", path=str(Path(sys.executable).parent))
    assert lint_imports, "import-linter is part of the test extras"
    result = subprocess.run([lint_imports], capture_output=True, text=True, cwd=REPO,
                            check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "2 kept, 0 broken" in result.stdout
