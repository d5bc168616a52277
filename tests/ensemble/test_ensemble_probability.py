"""Ensembles whose probabilities have a known answer (twin_example, a bathtub on the DEM).

Members differ only by whether it rains: the rain fills the lowest ground above the wet
threshold, no rain leaves it dry.  So the probability of flooding is exactly k/N where the rain
wets the ground (k raining members of N successful ones) and 0 elsewhere; the percentiles of the
maximum depth are those of k equal depths and N-k zeros.
"""

import json
from pathlib import Path

import numpy as np
import pytest
import rasterio

from twin_app.core.scene_loader import load_scene
from twin_app.ensemble import EnsembleRun, EnsembleSpec, prepare_ensemble, sample_members
from twin_app.ensemble.spec import EnsembleSpecError, load_spec

BASE = {"coarsen": 16, "rainfall_mm_h": 0.0, "time_step_s": 900.0}


def bathtub_spec(**extra) -> EnsembleSpec:
    return EnsembleSpec.model_validate({"id": "known", "plugin": "twin_example",
                                        "duration_h": 3.0, "output_interval_min": 60.0,
                                        "base": BASE, **extra})


def test_sampling_is_reproducible_and_independent_of_the_count():
    spec = bathtub_spec(seed=11, perturb=[
        {"parameter": "inflow_m3s", "distribution": "uniform", "low": 0, "high": 100},
        {"parameter": "rainfall_mm_h", "distribution": "choice", "values": [0.0, 20.0],
         "weights": [1, 3]},
        {"parameter": "reservoir_constant_h", "distribution": "normal", "mean": 1.0,
         "sd": 0.1, "mode": "scale", "min": 0.5}])
    base = {"inflow_m3s": 0.0, "rainfall_mm_h": 0.0, "reservoir_constant_h": 6.0}
    five, three = sample_members(spec, base, count=5), sample_members(spec, base, count=3)
    assert [m.parameters for m in five[:3]] == [m.parameters for m in three]
    assert [m.parameters for m in sample_members(spec, base, count=5)] == \
        [m.parameters for m in five]
    assert all(0 <= m.parameters["inflow_m3s"] <= 100 for m in five)
    assert all(m.parameters["reservoir_constant_h"] >= 3.0 for m in five)


def test_spec_errors_name_the_line(tmp_path):
    path = tmp_path / "bad.toml"
    path.write_text('plugin = "twin_example"\nduration_h = 2\n\n[[perturb]]\n'
                    'parameter = "inflow_m3s"\ndistribution = "normal"\n', encoding="utf-8")
    with pytest.raises(EnsembleSpecError, match=r"bad.toml:4.*needs sd"):
        load_spec(path)


def test_probability_is_k_over_n_serial(tmp_path):
    document = load_scene("huangpu")
    spec = bathtub_spec(seed=1, members=5, percentiles=[0, 50, 100], perturb=[
        {"parameter": "rainfall_mm_h", "distribution": "bernoulli", "p": 0.5, "value": 60.0},
        {"parameter": "reservoir_constant_h", "distribution": "choice", "values": [6.0, -1.0],
         "weights": [4, 1]}])
    plan = prepare_ensemble(spec, out_dir=tmp_path / "ens", scene=document)
    bad = {o.index for o in plan.invalid}
    good = [m for m in plan.members if m.index not in bad]
    raining = [m for m in good if m.parameters["rainfall_mm_h"] > 0]
    assert bad and raining and len(raining) < len(good), "the seed must give a mixed ensemble"
    result = EnsembleRun(plan, executor="serial").start().wait(timeout=180)
    assert result.state == "succeeded"
    assert {o.index for o in result.failed} == bad  # reported, excluded
    assert all("invalid member" in o.message for o in result.failed)
    combined = result.aggregate
    k, n = len(raining), len(good)
    assert combined.count == n
    values = set(np.unique(combined.probability_wet).tolist())
    assert values == {0.0, float(np.float32(k / n))}  # exactly k/N (stored as float32)
    wet = combined.probability_wet > 0
    one = next(o for o in result.outcomes if o.index == raining[0].index)
    with rasterio.open(one.max_depth_path) as dataset:
        depth = dataset.read(1)[::-1]
    assert np.array_equal(wet, depth > plan.threshold_m)
    assert np.allclose(combined.percentiles[100][wet], depth[wet], atol=1e-5)
    assert np.all(combined.percentiles[0] == 0)
    report = json.loads((tmp_path / "ens" / "ensemble.json").read_text(encoding="utf-8"))
    assert len(report["failed"]) == len(bad) and report["aggregate"]["members_aggregated"] == n
    with rasterio.open(tmp_path / "ens" / "probability_wet.tif") as dataset:
        assert np.allclose(dataset.read(1)[::-1], combined.probability_wet)
    import xarray as xr

    with xr.open_dataset(tmp_path / "ens" / "ensemble.nc") as dataset:
        assert float(dataset["probability_wet"].max()) == pytest.approx(k / n)
        assert dataset["peak_depth"].shape == (4, n)  # the scene's 4 water-level gauges


def test_peak_levels_at_the_gauges_have_a_known_exceedance(tmp_path):
    """The bathtub has one level: members that wet a gauge peak at that level there.

    Three members with no, some and much inflow (and no outflow to speak of): the first leaves
    Huangpu Park's gauge dry (no level), the second fills the river below the 4.55 m warning
    level, the third floods the banks above it.  So P(peak level > 4.55 m) is exactly 1/3.
    """
    from twin_app.sim.outputs import read_frame

    document = load_scene("huangpu")
    spec = EnsembleSpec.model_validate({
        "id": "levels", "plugin": "twin_example", "duration_h": 3.0,
        "output_interval_min": 60.0, "base": {**BASE, "coarsen": 12, "time_step_s": 600.0,
                                              "reservoir_constant_h": 1000.0},
        "members": [{"parameters": {"inflow_m3s": q}} for q in (0.0, 1500.0, 4000.0)]})
    plan = prepare_ensemble(spec, out_dir=tmp_path / "ens", scene=document)
    result = EnsembleRun(plan, executor="serial").start().wait(timeout=180)
    combined = result.aggregate
    assert result.state == "succeeded" and combined.count == 3
    peaks = []
    for outcome in result.outcomes:  # the bathtub's own level, read from its frames
        frames = sorted((Path(outcome.run_dir) / "frames").glob("frame_*.npz"))
        peaks.append(max(float(read_frame(f)["water_surface__elevation"][0]) for f in frames))
        assert outcome.point_peaks_m  # every gauge is on the grid
        for point_id, level in outcome.point_levels_m.items():
            assert level == pytest.approx(peaks[-1], abs=1e-3)
            assert outcome.point_peaks_m[point_id] > plan.threshold_m
        for point_id, depth in outcome.point_peaks_m.items():
            if depth <= plan.threshold_m:
                assert point_id not in outcome.point_levels_m  # dry: no level
    _, below, above = peaks
    assert below < 4.55 < above
    assert result.outcomes[0].point_levels_m == {}  # no inflow: every gauge stays dry
    levels, probability = combined.exceedance("HPK-WL-01", "level")
    assert levels == pytest.approx([above, below], abs=1e-3)
    assert probability == pytest.approx([1 / 3, 2 / 3])
    assert combined.probability_above("HPK-WL-01", 4.55) == pytest.approx(1 / 3)
    assert combined.probability_above("HPK-WL-01", below - 0.01) == pytest.approx(2 / 3)
    depths, depth_probability = combined.exceedance("HPK-WL-01")
    assert depth_probability == pytest.approx([1 / 3, 2 / 3, 1.0]) and depths[-1] == 0.0
    with pytest.raises(KeyError, match="HPK-WL-01"):
        combined.exceedance("nowhere", "level")
    import xarray as xr

    with xr.open_dataset(tmp_path / "ens" / "ensemble.nc") as dataset:
        stored = dataset["peak_level"].sel(point="HPK-WL-01").values
    assert np.isnan(stored[0]) and stored[1:] == pytest.approx([below, above], abs=1e-3)
    report = json.loads((tmp_path / "ens" / "ensemble.json").read_text(encoding="utf-8"))
    assert report["aggregate"]["exceedance_level"]["HPK-WL-01"]["probability"] == \
        pytest.approx([0.3333, 0.6667])
