"""The guard that fails tests on VTK errors does see VTK errors."""

from tests.conftest import captured_vtk_output


def test_vtk_error_is_captured(tmp_path):
    from vtkmodules.vtkIOLegacy import vtkPolyDataReader

    reader = vtkPolyDataReader()
    reader.SetFileName(str(tmp_path / "missing.vtk"))
    with captured_vtk_output() as collected:
        reader.Update()
    assert "ERROR" in collected[0]
    assert "missing.vtk" in collected[0]
