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


LOWER_LAYERS = ("core", "io", "telemetry", "sim", "forecast", "ensemble", "plans")


def _lower_layer_modules() -> list[str]:
    modules = []
    for layer in (*LOWER_LAYERS, "cli"):
        folder = REPO / "twin_app" / layer
        for path in sorted(folder.rglob("*.py")):
            parts = path.relative_to(REPO).with_suffix("").parts
            modules.append(".".join(parts[:-1] if parts[-1] == "__init__" else parts))
    return modules


def test_every_lower_layer_module_loads_neither_qt_nor_vtk_rendering():
    modules = _lower_layer_modules()
    assert "twin_app.telemetry.sl651.server" in modules
    assert "twin_app.io.ifc.tessellate" in modules
    assert len(modules) > 60
    assert _modules_loaded_by(*modules) == []


@pytest.mark.parametrize("layer", LOWER_LAYERS)
def test_each_layer_on_its_own(layer):
    assert _modules_loaded_by(f"twin_app.{layer}") == []


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
