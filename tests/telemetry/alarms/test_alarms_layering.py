"""The alarm engine is Qt-free: importing it loads neither Qt nor VTK."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[3]

PROBE = """
import json, sys
import twin_app.telemetry.alarms, twin_app.telemetry.alarms.history
print(json.dumps(sorted(m for m in sys.modules
                        if m.split('.')[0] in ('PySide6', 'qtpy', 'pyvista', 'pyvistaqt', 'vtk',
                                               'vtkmodules', 'shiboken6')
                        or m.startswith(('twin_app.qt', 'twin_app.render')))))
"""


def test_the_alarm_engine_loads_neither_qt_nor_vtk():
    result = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True,
                            check=True, cwd=REPO)
    assert json.loads(result.stdout) == []
