from pathlib import Path

import numpy as np
import pytest

from tests.scene_factory import MINIMAL_SCENE, write_scene
from twin_app.core.errors import SceneFileError, SceneNotFoundError, ScenePathError
from twin_app.core.scene import SensorKind
from twin_app.core.scene_loader import available_scenes, load_scene


def _line_of(text: str, fragment: str) -> int:
    for number, line in enumerate(text.splitlines(), start=1):
        if fragment in line:
            return number
    raise AssertionError(f"{fragment!r} not in text")


def _load_error(tmp_path: Path, text: str) -> SceneFileError:
    file = write_scene(tmp_path / "bad", text)
    with pytest.raises(SceneFileError) as caught:
        load_scene(file)
    assert caught.value.path == file.resolve()
    return caught.value


def test_minimal_scene_loads_with_all_its_parts(tmp_path):
    document = load_scene(write_scene(tmp_path / "mini"))
    spec = document.spec
    assert spec.id == "mini"
    assert spec.name.text("zh_CN") == "测试场景"
    assert spec.crs.horizontal == "EPSG:4549"
    assert spec.vertical_datum.to_nhd1985_m == -1.66
    assert [p.id for p in spec.assets[0].parts] == ["pier_1", "gate_1"]
    assert spec.sensors[0].kind is SensorKind.WATER_LEVEL
    assert spec.sensors[0].thresholds[0].value == 4.55
    assert spec.viewpoint().id == "overview"
    assert spec.sensor_summary() == {"water_level": 1, "rainfall": 1}
    assert document.folder == (tmp_path / "mini").resolve()


def test_scene_found_by_folder_and_by_name_on_the_search_path(tmp_path, monkeypatch):
    write_scene(tmp_path / "library" / "mini")
    monkeypatch.setenv("TWIN_APP_SCENE_PATH", str(tmp_path / "library"))
    assert load_scene("mini").spec.id == "mini"
    assert load_scene(tmp_path / "library" / "mini").spec.id == "mini"
    assert "mini" in available_scenes()


def test_unknown_scene_lists_the_available_ones():
    with pytest.raises(SceneNotFoundError) as caught:
        load_scene("no_such_scene")
    assert "no scene 'no_such_scene'" in str(caught.value)
    assert "xinchuansha" in str(caught.value)


def test_toml_syntax_error_names_line_and_column(tmp_path):
    text = MINIMAL_SCENE.replace('plugin = "twin_flood"', 'plugin = "twin_flood')
    error = _load_error(tmp_path, text)
    assert error.line == _line_of(text, 'plugin = "twin_flood')
    assert "TOML syntax error" in str(error)
    assert "column" in str(error)


def test_unknown_key_is_named_with_its_line_and_the_allowed_keys(tmp_path):
    text = MINIMAL_SCENE.replace('unit = "mm"', 'unit = "mm"\ncolour = "red"')
    error = _load_error(tmp_path, text)
    assert error.key == "sensors[1].colour"
    assert error.line == _line_of(text, 'colour = "red"')
    assert "unknown key 'colour'" in error.problem
    assert "expected one of: id, kind, name, position, unit" in error.problem


def test_missing_key_points_at_its_table(tmp_path):
    text = MINIMAL_SCENE.replace('unit = "mm"\n', "")
    error = _load_error(tmp_path, text)
    assert error.key == "sensors[1].unit"
    assert "missing required key 'unit'" in error.problem
    assert error.line == [n for n, line in enumerate(text.splitlines(), 1)
                          if line == "[[sensors]]"][1]


def test_wrong_type_says_what_was_expected_and_what_was_given(tmp_path):
    text = MINIMAL_SCENE.replace("duration_h = 24", 'duration_h = "a day"')
    error = _load_error(tmp_path, text)
    assert error.key == "scenarios[0].duration_h"
    assert error.line == _line_of(text, "duration_h =")
    assert "valid number" in error.problem
    assert "'a day'" in error.problem


def test_unit_that_does_not_fit_the_sensor_kind(tmp_path):
    text = MINIMAL_SCENE.replace('unit = "m"\n', 'unit = "cm"\n')
    error = _load_error(tmp_path, text)
    assert error.key == "sensors[0]"
    assert "unit 'cm' does not fit a water_level sensor; expected 'm'" in error.problem


def test_geographic_crs_is_refused(tmp_path):
    text = MINIMAL_SCENE.replace('"EPSG:4549"', '"EPSG:4490"')
    error = _load_error(tmp_path, text)
    assert error.key == "crs.horizontal"
    assert "not a projected CRS" in error.problem
    assert error.line == _line_of(text, "horizontal =")


def test_default_viewpoint_must_exist(tmp_path):
    text = MINIMAL_SCENE.replace('default_viewpoint = "overview"', 'default_viewpoint = "top"')
    error = _load_error(tmp_path, text)
    assert "default_viewpoint 'top' is not one of the viewpoints (overview)" in error.problem


def test_duplicate_ids_are_refused(tmp_path):
    text = MINIMAL_SCENE.replace('id = "RG-1"', 'id = "WL-1"')
    error = _load_error(tmp_path, text)
    assert "sensors: id 'WL-1' is used twice" in error.problem


def test_placeholder_without_placement(tmp_path):
    text = MINIMAL_SCENE.replace(
        "placement = { easting = 340000.0, northing = 3484000.0, height = 0.0, "
        "rotation_deg = 0.0 }\n", "")
    error = _load_error(tmp_path, text)
    assert error.key == "assets[0]"
    assert "missing 'placement'" in error.problem


def test_path_escaping_the_scene_is_refused(tmp_path):
    (tmp_path / "outside.tif").write_bytes(b"not really")
    text = MINIMAL_SCENE.replace("[display]", '[terrain]\nfile = "../outside.tif"\n\n[display]')
    file = write_scene(tmp_path / "bad", text)
    with pytest.raises(ScenePathError) as caught:
        load_scene(file)
    assert caught.value.key == "terrain.file"
    assert caught.value.line == _line_of(text, 'file = "../outside.tif"')
    assert "leads outside the scene and the asset folders" in str(caught.value)


def test_absolute_and_missing_paths_are_refused(tmp_path):
    absolute = MINIMAL_SCENE.replace("[display]", '[terrain]\nfile = "/etc/hostname"\n\n[display]')
    file = write_scene(tmp_path / "abs", absolute)
    with pytest.raises(ScenePathError, match=r"absolute path '/etc/hostname' is not allowed"):
        load_scene(file)
    missing = MINIMAL_SCENE.replace("[display]", '[terrain]\nfile = "terrain/dem.tif"\n\n[display]')
    file = write_scene(tmp_path / "missing", missing)
    with pytest.raises(ScenePathError, match=r"file 'terrain/dem\.tif' does not exist"):
        load_scene(file)


def test_symlink_out_of_the_scene_is_refused(tmp_path):
    (tmp_path / "secret.tif").write_bytes(b"x")
    folder = tmp_path / "linked"
    text = MINIMAL_SCENE.replace("[display]", '[terrain]\nfile = "dem.tif"\n\n[display]')
    write_scene(folder, text)
    (folder / "dem.tif").symlink_to(tmp_path / "secret.tif")
    with pytest.raises(ScenePathError, match="leads outside"):
        load_scene(folder)


def test_sensor_referring_to_unknown_asset(tmp_path):
    text = MINIMAL_SCENE.replace('unit = "mm"', 'unit = "mm"\nasset = "pumphouse"')
    error = _load_error(tmp_path, text)
    assert "refers to asset 'pumphouse', which is not defined" in error.problem


def test_file_that_is_not_utf8(tmp_path):
    folder = tmp_path / "latin1"
    folder.mkdir()
    (folder / "scene.toml").write_bytes(MINIMAL_SCENE.encode("gb18030"))
    with pytest.raises(SceneFileError, match="not UTF-8 text"):
        load_scene(folder)


def test_scene_name_is_not_hidden_by_a_folder_in_the_working_directory(tmp_path, monkeypatch):
    (tmp_path / "xinchuansha").mkdir()
    monkeypatch.chdir(tmp_path)
    assert load_scene("xinchuansha").folder.name == "xinchuansha"
    assert load_scene("xinchuansha").folder != (tmp_path / "xinchuansha").resolve()


def test_placement_turns_then_shifts_to_map_coordinates():
    from twin_app.core.scene import Placement

    placement = Placement(easting=1000.0, northing=2000.0, height=1.5, rotation_deg=90.0)
    mapped = placement.to_map([[10.0, 0.0, 2.0], [0.0, 5.0, 0.0]])
    np.testing.assert_allclose(mapped, [[1000.0, 2010.0, 3.5], [995.0, 2000.0, 1.5]], atol=1e-9)
