"""The flood solver as a platform plugin: manifest, grid orientation, scene runs, operation,
bad input.  Scene runs are shortened (1-2 h) on coarse cells so the whole file stays fast."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import rasterio
from affine import Affine
from twin_flood.design import catchment_runoff, design_storm, design_tide
from twin_flood.setup_file import load_setup

from twin_app.core.scene_loader import load_scene
from twin_app.sim.bmi import BmiAdapter
from twin_app.sim.casefile import ScenarioError
from twin_app.sim.config import RunConfig
from twin_app.sim.discovery import find_plugin, load_model_class
from twin_app.sim.host import RehearsalRun, RunState
from twin_app.sim.scenario import rehearsal_from_values, scenario_from_scene
from twin_app.sim.sdk import SimulationError

REPO = Path(__file__).resolve().parents[3]
SCENES = ("xinchuansha", "huangpu", "suzhou_west_gate")
SCENARIOS = [(scene, scenario.id) for scene in SCENES
             for scenario in load_scene(scene).spec.scenarios]


def write_dem(path: Path, heights: np.ndarray, *, cell: float, west: float,
              north: float) -> Path:
    """Write a north-up float32 GeoTIFF (row 0 north) in EPSG:4549."""
    rows, cols = heights.shape
    with rasterio.open(path, "w", driver="GTiff", width=cols, height=rows, count=1,
                       dtype="float32", crs="EPSG:4549",
                       transform=Affine(cell, 0.0, west, 0.0, -cell, north)) as dataset:
        dataset.write(heights.astype(np.float32), 1)
    return path


def model_for(config: RunConfig):
    """Initialize the plugin's model in this process (as the worker does) and return it."""
    bmi = BmiAdapter(load_model_class(find_plugin("twin_flood")))
    bmi.initialize_config(config)
    return bmi.model


def scene_config(scene: str, values: dict, hours: float, tmp_path: Path, **extra) -> RunConfig:
    rehearsal = rehearsal_from_values("twin_flood", values, duration_h=hours,
                                      output_interval_min=30.0, out_dir=tmp_path,
                                      scene=load_scene(scene), **extra)
    return rehearsal.config


def test_plugin_is_installed_and_every_scene_scenario_checks(tmp_path):
    record = find_plugin("twin_flood")
    assert record.status == "ok", record.reason
    for scene, scenario_id in SCENARIOS:
        rehearsal = scenario_from_scene(scene, scenario_id, out_dir=tmp_path)
        assert rehearsal.config.scene_file.endswith(f"{scene}/scene.toml")
        assert rehearsal.config.points, "the scene's water-level gauges are probe points"


def test_grid_orientation_puts_a_known_cell_at_its_map_position(tmp_path):
    """A pit in the DEM's north comes out at its map position in the south-up grid."""
    heights = np.full((20, 30), 3.0)
    heights[10] = 5.0  # a ridge: the held north edge fills the northern half only
    heights[2, 25] = -1.0  # row 2 from the north, column 25 from the west
    west, north, cell = 600000.0, 3470000.0, 10.0
    dem = write_dem(tmp_path / "dem.tif", heights, cell=cell, west=west, north=north)
    pit_x, pit_y = west + 25.5 * cell, north - 2.5 * cell
    for size, pit_ground in ((10.0, -1.0), (20.0, 2.0)):  # at 20 m a quarter of a cell is pit
        config = RunConfig(plugin="twin_flood", duration_s=60.0, output_interval_s=60.0,
                           dem_path=str(dem), run_dir=str(tmp_path),
                           parameters={"cell_size_m": size, "outer_edge": "north",
                                       "base_level_m": 3.5, "tide_range_m": 0.0,
                                       "peak_level_m": 3.5})
        model = model_for(config)
        grid = model.grid
        assert grid.spacing == (size, size)
        assert grid.origin == (north - 20 * cell + size / 2, west + size / 2)  # SW cell centre
        assert grid.y()[-1] > grid.y()[0], "rows run north"
        ground = model.get_value("topographic__elevation")
        row, col = grid.node_of(pit_x, pit_y)
        assert ground[row, col] == pytest.approx(pit_ground)
        assert np.count_nonzero(ground < 3.0) == 1
        model.update_until(60.0)
        depth = model.get_value("surface_water__depth")
        assert depth[row, col] == pytest.approx(3.5 - pit_ground, abs=1e-3)
        north_half = grid.y() > north - 10 * cell
        assert np.all(depth[north_half] > 0.4) and np.all(depth[~north_half] == 0.0)
        level = model.get_value("water_surface__elevation")
        np.testing.assert_allclose(level, ground + depth, atol=1e-5)


def test_design_series_match_their_parameters():
    times, levels = design_tide(48 * 3600.0, mean_m=2.2, range_m=2.23, peak_m=5.47,
                                peak_time_h=24.0, surge_duration_h=12.0, step_s=60.0)
    assert levels.max() == pytest.approx(5.47, abs=1e-3)
    assert times[np.argmax(levels)] == pytest.approx(24 * 3600.0, abs=60.0)
    assert levels.min() == pytest.approx(2.2 - 2.23 / 2, abs=0.01)
    times, rain = design_storm(48 * 3600.0, total_mm=275.0, peak_mm_h=35.5,
                               storm_duration_h=24.0, peak_time_h=20.0)
    assert np.trapezoid(rain, times / 3600.0) == pytest.approx(275.0, rel=1e-9)
    assert rain.max() == pytest.approx(35.5) and times[np.argmax(rain)] == 20 * 3600.0
    _, flow = catchment_runoff(times, rain, area_km2=10.0, coefficient=0.5, lag_h=0.5,
                               base_m3s=0.0)
    assert np.trapezoid(flow, times) == pytest.approx(0.5 * 10e6 * 0.275, rel=1e-3)


@pytest.mark.parametrize(("scene", "scenario_id"), SCENARIOS)
def test_scene_scenario_runs_short_with_mass_conserved(scene, scenario_id, tmp_path):
    """Each shipped scenario, 1 h on 30 m cells in float64, through the host."""
    spec = next(s for s in load_scene(scene).spec.scenarios if s.id == scenario_id)
    values = {**spec.parameters, "cell_size_m": 30.0, "dtype": "float64"}
    config = scene_config(scene, values, 1.0, tmp_path)
    result = RehearsalRun(find_plugin("twin_flood"), config).start().wait(timeout=120)
    assert result.state is RunState.SUCCEEDED, result.message + result.log_tail
    assert result.summary["steps"] > 0
    assert result.summary["mass_balance_error"] < 1e-6
    written = {Path(path).name for path in result.outputs}
    assert {"results.nc", "max_depth.tif", "max_extent.geojson", "series.csv"} <= written
    assert len(result.frames) == 3


def inland_levels(values: dict, tmp_path: Path, hours: float = 1.5) -> dict[str, float]:
    base = {"cell_size_m": 30.0, "base_level_m": 4.0, "tide_range_m": 0.0, "peak_level_m": 4.0,
            "inland_initial_level_m": 2.8, "upstream_inflow_m3s": 0.0}
    model = model_for(scene_config("xinchuansha", {**base, **values}, hours, tmp_path))
    model.update_until(hours * 3600.0)
    names = [point_id for point_id, _, _ in model.points]
    levels = dict(zip(names, model.get_value("point_water_surface__elevation"), strict=True))
    levels["network"] = model.forcings.storage[0].level
    levels["pumped"] = sum(model.model.mass_balance().pumped.values())
    return levels


def test_closing_the_gates_and_pumping_lower_the_inland_levels(tmp_path):
    """Outer water at 4.0 m, inland at 2.8 m: open gates let the tide in; pumps draw down."""
    opened = inland_levels({"gate_rule": "open", "pumps_running": 0}, tmp_path)
    shut = inland_levels({"gates_closed": True, "pumps_running": 0}, tmp_path)
    pumped = inland_levels({"gates_closed": True, "pumps_running": 5}, tmp_path)
    assert opened["XCS-WL-02"] > shut["XCS-WL-02"] + 0.2  # the tide came in
    assert shut["XCS-WL-02"] == pytest.approx(2.8, abs=0.05)
    assert shut["pumped"] == 0.0 < pumped["pumped"]
    assert pumped["XCS-WL-03"] < shut["XCS-WL-03"] - 0.1  # the forebay drawn down
    assert pumped["network"] < shut["network"]
    assert pumped["XCS-WL-01"] == pytest.approx(4.0, abs=0.05)  # the outer side unchanged


def test_a_dem_that_misses_the_gates_is_refused_before_the_run(tmp_path):
    dem = write_dem(tmp_path / "elsewhere.tif", np.full((30, 30), 3.0), cell=10.0,
                    west=600000.0, north=3470000.0)
    config = scene_config("xinchuansha", {"cell_size_m": 10.0}, 1.0, tmp_path,
                          dem_path=str(dem))
    with pytest.raises(SimulationError, match=r"gate 'xcs_sluice' at .* is outside the DEM"):
        model_for(config)


def test_an_unknown_parameter_is_refused_with_the_known_ones(tmp_path):
    with pytest.raises(ScenarioError, match="no parameter 'surge_peak_level_m'") as error:
        scene_config("xinchuansha", {"surge_peak_level_m": 6.3}, 1.0, tmp_path)
    assert "peak_level_m" in str(error.value.hint)
    with pytest.raises(ScenarioError, match="gate_rule"):
        scene_config("xinchuansha", {"gate_rule": "sometimes"}, 1.0, tmp_path)


def test_a_bad_flood_setup_names_file_line_and_key(tmp_path):
    text = (REPO / "scenes" / "xinchuansha" / "flood.toml").read_text(encoding="utf-8")
    broken = tmp_path / "flood.toml"
    broken.write_text(text.replace("sill_m = -3.26", 'sill_m = "low"'), encoding="utf-8")
    with pytest.raises(ScenarioError) as error:
        load_setup(broken)
    line = next(n for n, row in enumerate(broken.read_text().splitlines(), 1)
                if row.startswith("sill_m = "))
    assert error.value.line == line
    assert error.value.key == "gates[0].sill_m" and str(broken) in str(error.value)


@pytest.mark.parametrize("scene", SCENES)
def test_scene_setup_fits_its_dem(scene):
    """Gates span the channel at the works; no pits in the active DEM; boundaries hold cells."""
    from twin_flood.site import build_site

    document = load_scene(scene)
    setup = load_setup(document.folder / "flood.toml")
    site = build_site(str(document.resolve(document.spec.terrain.file)), 15.0, setup, document)
    z = np.where(site.active, site.raster.z, np.nan)
    held = np.logical_or.reduce(list(site.boundary_masks.values()))
    assert all(mask.any() for mask in site.boundary_masks.values())
    padded = np.pad(z, 1, constant_values=np.nan)
    around = np.stack([padded[1 + i:padded.shape[0] - 1 + i, 1 + j:padded.shape[1] - 1 + j]
                       for i in (-1, 0, 1) for j in (-1, 0, 1) if (i, j) != (0, 0)])
    inside = site.active & ~held & np.isfinite(around).all(axis=0)
    lowest = np.where(inside, np.min(np.nan_to_num(around, nan=np.inf), axis=0), 0.0)
    pit = inside & (lowest - np.where(inside, z, 0.0) > 0.05)
    assert not pit.any(), f"{int(pit.sum())} pits deeper than 5 cm"
    for gate in setup.gates:
        line = np.asarray(gate.line)
        samples = line[0] + np.linspace(0.1, 0.9, 9)[:, None] * (line[1] - line[0])
        ground = [site.raster.z[int((site.raster.y_north - py) // site.raster.dx),
                                int((px - site.raster.x_west) // site.raster.dx)]
                  for px, py in samples]
        assert min(ground) < gate.sill_m + 1.5, "the gate crosses the channel bed"
        inland, outer = (site.cell_of(p, 1.5 * site.raster.dx) for p in (gate.inland_point,
                                                                          gate.outer_point))
        assert inland is not None and outer is not None
        assert site.raster.z.reshape(-1)[inland] < 0.0 and site.raster.z.reshape(-1)[outer] < 1.0


def test_a_case_file_gives_the_outer_level_and_rain_as_series(tmp_path):
    """On a bare DEM: the outer level held on the named edge, rain from a design storm series."""
    heights = np.full((10, 12), 2.0)
    heights[:, 0] = 1.0  # the west column is lower: it holds water at the outer level
    dem = write_dem(tmp_path / "dem.tif", heights, cell=10.0, west=600000.0, north=3470000.0)
    case = tmp_path / "case.toml"
    case.write_text(f'plugin = "twin_flood"\nduration_h = 1.0\noutput_interval_min = 30\n'
                    f'dem = "{dem.name}"\n\n[parameters]\nouter_edge = "west"\n'
                    'cell_size_m = 10.0\ndtype = "float64"\n\n'
                    '[boundaries.outer_level]\nkind = "constant"\nvalue = 1.5\n\n'
                    '[boundaries.rainfall]\nkind = "design_storm"\ntotal_mm = 20\n'
                    'storm_duration_h = 1\npeak_time_h = 0.5\n', encoding="utf-8")
    bmi = BmiAdapter(load_model_class(find_plugin("twin_flood")))
    bmi.initialize(str(case))
    model = bmi.model
    model.update_until(3600.0)
    depth = model.get_value("surface_water__depth")
    assert depth[:, 0] == pytest.approx(0.5, abs=1e-6)
    balance = model.model.mass_balance()
    assert balance.rain == pytest.approx(0.020 * 120 * 100.0, rel=1e-6)
    assert model.mass_balance_error() < 1e-10
