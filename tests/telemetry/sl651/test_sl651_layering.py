"""Importing the SL 651 package loads neither Qt nor VTK (the telemetry layer contract)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[3]
PACKAGE = REPO / "twin_app" / "telemetry" / "sl651"

PROBE = """
import importlib, json, sys
for name in sys.argv[1:]:
    importlib.import_module(name)
print(json.dumps(sorted(m for m in sys.modules
                        if m.split('.')[0] in ('PySide6', 'qtpy', 'pyvista', 'pyvistaqt', 'vtk',
                                               'vtkmodules', 'shiboken6'))))
"""


def test_every_sl651_module_imports_without_qt_or_vtk():
    modules = sorted(f"twin_app.telemetry.sl651.{p.stem}" for p in PACKAGE.glob("*.py")
                     if p.stem != "__init__")
    assert "twin_app.telemetry.sl651.server" in modules
    result = subprocess.run([sys.executable, "-c", PROBE, "twin_app.telemetry.sl651", *modules],
                            capture_output=True, text=True, check=True, cwd=REPO)
    assert json.loads(result.stdout) == []
