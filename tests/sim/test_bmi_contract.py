"""Contract test over every model class (like Landlab's test_components.py): the tables are
complete, initialize sets every output, update_until reaches its time, finalize is idempotent,
and the BMI adapter answers all 41 methods consistently with the tables."""

import numpy as np
import pytest
from bmipy import Bmi

from tests.sim.factory import build_site
from twin_app.sim.bmi import BmiAdapter
from twin_app.sim.config import RunConfig
from twin_app.sim.discovery import discover_plugins, load_model_class


def _installed_ok_plugins():
    return [record.id for record in discover_plugins() if record.status == "ok"]


MODELS = ["fake_ramp", *_installed_ok_plugins()]


@pytest.fixture
def model_record(request, fake_site):
    records = {record.id: record for record in discover_plugins()}
    return records[request.param]


def _bmi(record, small_dem, tmp_path):
    model_class = load_model_class(record)
    config = RunConfig(plugin=record.id, parameters=model_class.tables.defaults(),
                       duration_s=7200.0, output_interval_s=1800.0, dem_path=str(small_dem),
                       run_dir=str(tmp_path))
    path = tmp_path / "run_config.json"
    config.to_json_file(path)
    bmi = BmiAdapter(model_class)
    bmi.initialize(str(path))
    return bmi, model_class


@pytest.mark.parametrize("model_record", MODELS, indirect=True)
def test_tables_are_complete(model_record):
    tables = load_model_class(model_record).tables
    assert tables.variables, "a model declares at least one variable"
    for info in tables.variables:
        assert info.units and info.doc and info.intent in ("in", "out", "inout")
        np.dtype(info.dtype)
    for info in tables.parameters:
        assert info.check(info.default) is None, info.name
    assert any(v.intent in ("out", "inout") for v in tables.variables)


@pytest.mark.parametrize("model_record", MODELS, indirect=True)
def test_bmi_adapter_follows_the_tables(model_record, small_dem, tmp_path):
    bmi, model_class = _bmi(model_record, small_dem, tmp_path)
    assert isinstance(bmi, Bmi)
    assert bmi.get_component_name() == model_class.name
    tables = model_class.tables
    outputs = [v.name for v in tables.variables if v.intent != "in"]
    inputs = [v.name for v in tables.variables if v.intent != "out"]
    assert list(bmi.get_output_var_names()) == outputs
    assert list(bmi.get_input_var_names()) == inputs
    assert bmi.get_output_item_count() == len(outputs)
    assert bmi.get_input_item_count() == len(inputs)
    for info in tables.variables:
        if info.optional and info.name not in bmi.model.fields:
            continue
        grid = bmi.get_var_grid(info.name)
        size = bmi.get_grid_size(grid)
        if info.location == "face":
            size = bmi.get_grid_face_count(grid)
        assert bmi.get_var_units(info.name) == info.units
        assert bmi.get_var_type(info.name) == info.dtype
        assert bmi.get_var_location(info.name) in ("node", "face")
        assert bmi.get_var_nbytes(info.name) == size * bmi.get_var_itemsize(info.name)
        dest = np.empty(size, dtype=info.dtype)
        assert bmi.get_value(info.name, dest) is dest
        np.testing.assert_array_equal(dest, bmi.get_value_ptr(info.name))
        some = np.empty(1, dtype=info.dtype)
        bmi.get_value_at_indices(info.name, some, np.array([size - 1]))
        assert some[0] == dest[-1] or np.isnan(dest[-1])
    rank = bmi.get_grid_rank(0)
    assert rank == 2
    shape = bmi.get_grid_shape(0, np.empty(rank, dtype=int))
    spacing = bmi.get_grid_spacing(0, np.empty(rank))
    origin = bmi.get_grid_origin(0, np.empty(rank))
    assert bmi.get_grid_type(0) == "uniform_rectilinear"
    assert bmi.get_grid_size(0) == shape.prod() == bmi.get_grid_node_count(0)
    assert (spacing > 0).all()
    x = bmi.get_grid_x(0, np.empty(shape[1]))
    y = bmi.get_grid_y(0, np.empty(shape[0]))
    assert x[0] == origin[1] and y[0] == origin[0]
    assert np.allclose(np.diff(x), spacing[1]) and np.allclose(np.diff(y), spacing[0])
    faces = bmi.get_grid_face_count(0)
    face_nodes = bmi.get_grid_face_nodes(0, np.empty(4 * faces, dtype=int))
    assert face_nodes.max() < bmi.get_grid_size(0)
    edges = bmi.get_grid_edge_nodes(0, np.empty(2 * bmi.get_grid_edge_count(0), dtype=int))
    assert edges.max() < bmi.get_grid_size(0)
    bmi.get_grid_face_edges(0, np.empty(4 * faces, dtype=int))
    assert (bmi.get_grid_nodes_per_face(0, np.empty(faces, dtype=int)) == 4).all()
    assert bmi.get_grid_type(2) == "scalar" and bmi.get_grid_size(2) == 1
    with pytest.raises(NotImplementedError):
        bmi.get_grid_z(0, np.empty(1))


@pytest.mark.parametrize("model_record", MODELS, indirect=True)
def test_lifecycle_reaches_its_times_and_finalize_is_idempotent(model_record, small_dem,
                                                                tmp_path):
    bmi, _ = _bmi(model_record, small_dem, tmp_path)
    assert bmi.get_time_units() == "s"
    assert bmi.get_start_time() == 0.0 == bmi.get_current_time()
    assert bmi.get_end_time() == 7200.0
    assert bmi.get_time_step() > 0
    bmi.update()
    assert bmi.get_current_time() > 0
    bmi.update_until(1234.5)
    assert bmi.get_current_time() == pytest.approx(1234.5)
    for name in bmi.get_input_var_names():
        size = bmi.get_var_nbytes(name) // bmi.get_var_itemsize(name)
        values = np.full(size, 0.5, dtype=bmi.get_var_type(name))
        bmi.set_value(name, values)
        out = np.empty(size, dtype=values.dtype)
        np.testing.assert_array_equal(bmi.get_value(name, out), values)
        bmi.set_value_at_indices(name, np.array([0]), np.array([0.25]))
        assert bmi.get_value(name, out)[0] == 0.25
    bmi.update_until(bmi.get_end_time())
    assert bmi.get_current_time() == pytest.approx(7200.0)
    bmi.finalize()
    bmi.finalize()


def test_site_builder_is_self_contained(tmp_path):
    site = build_site(tmp_path)
    assert (site / "fake_sim_plugins-0.0.1.dist-info" / "entry_points.txt").is_file()


def test_bmi_initialize_reads_a_case_file(small_dem, tmp_path):
    from twin_app.sim.discovery import find_plugin

    case = tmp_path / "case.toml"
    case.write_text(f'plugin = "twin_example"\nduration_h = 1.0\ndem = "{small_dem}"\n'
                    '[parameters]\ncoarsen = 2\ninflow_m3s = 5.0\n', encoding="utf-8")
    bmi = BmiAdapter(load_model_class(find_plugin("twin_example")))
    bmi.initialize(str(case))
    bmi.update_until(bmi.get_end_time())
    volume = np.empty(1)
    assert bmi.get_value("surface_water__volume", volume)[0] > 0
    assert bmi.get_grid_shape(0, np.empty(2, dtype=int)).tolist() == [12, 15]
    assert bmi.model.mass_balance_error() < 1e-12
