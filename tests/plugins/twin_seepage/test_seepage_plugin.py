"""The seepage plugin through the platform: discovery, the host's worker, section results."""

from __future__ import annotations

import csv
import json

import numpy as np
import pytest
import xarray as xr

from tests.conftest import SCENES
from twin_app.sim.bmi import BmiAdapter
from twin_app.sim.config import BoundarySeries, RunConfig
from twin_app.sim.discovery import find_plugin, load_model_class
from twin_app.sim.host import RunState, run_rehearsal
from twin_app.sim.sdk import SimulationError

SECTION = SCENES / "huangpu" / "sections" / "MS-1.toml"
FAST = {"element_size_m": 3.0, "raster_spacing_m": 1.0, "time_step_s": 1200.0}


def _config(tmp_path, **parameters):
    record = find_plugin("twin_seepage")
    values = {**load_model_class(record).tables.defaults(), "section_file": str(SECTION), **FAST,
              **parameters}
    return record, RunConfig(plugin="twin_seepage", parameters=values, duration_s=7200.0,
                             output_interval_s=3600.0, run_dir=str(tmp_path / "run"))


def _rising() -> BoundarySeries:
    return BoundarySeries(name="river_stage", units="m", times_s=[0.0, 7200.0],
                          values=[3.0, 5.0], source="test")


def test_the_plugin_is_discovered_with_its_manifest():
    record = find_plugin("twin_seepage")
    assert record.status == "ok"
    assert record.manifest.outputs.depth_variable is None
    tables = load_model_class(record).tables
    assert tables.parameter("mode").choices == ["transient", "steady"]
    assert tables.boundary("river_stage") is not None


@pytest.mark.parametrize("mode", ["transient", "steady"])
def test_a_run_through_the_host_writes_section_results(tmp_path, mode):
    record, config = _config(tmp_path, mode=mode)
    config = config.model_copy(update={"boundaries": {"river_stage": _rising()}})
    result = run_rehearsal(record, config, timeout_s=120)
    assert result.state is RunState.SUCCEEDED, result.log_tail
    assert len(result.frames) == 3
    grid = json.loads((result.run_dir / "grid.json").read_text())
    assert grid["plane"] == "section"
    assert grid["line"] == pytest.approx([641646.31, 3458516.13, 641546.31, 3458516.13])
    assert not (result.run_dir / "max_depth.tif").exists()  # no flood maps for a section
    with xr.open_dataset(result.run_dir / "results.nc") as data:
        head = data["ground_water__total_head"]
        assert head.dims == ("time", "z", "x")
        assert data.sizes["x"] == grid["shape"][1] and data.sizes["z"] == grid["shape"][0]
        # the wall (x 39.2-42.4 m, z 3-6.9 m) is no soil: NaN there; soil below has heads
        assert np.isnan(head.sel(x=40.0, z=5.0, method="nearest").values).all()
        assert np.isfinite(head.sel(x=48.0, z=-2.0, method="nearest").values).all()
        assert data["river__stage"].values == pytest.approx([3.0, 4.0, 5.0])
        assert (data["ground_water__seepage_discharge"].values > 0).all()
    with (result.run_dir / "series.csv").open(encoding="utf-8") as stream:
        rows = list(csv.DictReader(stream))
    assert len(rows) == 3
    river_side = [float(row["HPK-PZ-05:ground_water__piezometer_head"]) for row in rows]
    land_side = [float(row["HPK-PZ-01:ground_water__piezometer_head"]) for row in rows]
    assert river_side[2] > river_side[0] + 0.5  # the river-side piezometer follows the river
    assert abs(land_side[2] - land_side[0]) < river_side[2] - river_side[0]
    assert result.summary["steps"] == 6


def test_a_river_stage_boundary_overrides_the_design_tide(tmp_path):
    _, config = _config(tmp_path, mode="steady")
    config = config.model_copy(update={"boundaries": {"river_stage": _rising()}})
    bmi = BmiAdapter(load_model_class(find_plugin("twin_seepage")))
    bmi.initialize_config(config)
    bmi.update_until(3600.0)
    assert bmi.model.get_value("river__stage")[0] == pytest.approx(4.0)
    heads = bmi.model.get_value("ground_water__piezometer_head")
    assert [p[0] for p in bmi.model.points] == ["HPK-PZ-01", "HPK-PZ-04", "HPK-PZ-05"]
    assert bmi.model.points[0][1] == pytest.approx(641646.31 - 48.0)  # map position
    assert heads[2] > heads[0]  # river side above land side
    bmi.finalize()


def test_a_bad_section_file_is_named(tmp_path):
    broken = tmp_path / "broken.toml"
    broken.write_text(SECTION.read_text(encoding="utf-8").replace("kx = 2e-06", "kx = -1.0"),
                      encoding="utf-8")
    _, config = _config(tmp_path, section_file=str(broken))
    bmi = BmiAdapter(load_model_class(find_plugin("twin_seepage")))
    with pytest.raises(SimulationError, match=r"broken\.toml.*permeability"):
        bmi.initialize_config(config)
    _, config = _config(tmp_path, section_file="no/such/section.toml")
    with pytest.raises(SimulationError, match="not found"):
        BmiAdapter(load_model_class(find_plugin("twin_seepage"))).initialize_config(config)
