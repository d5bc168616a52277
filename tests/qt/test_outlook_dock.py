"""Forecast, plans and an ensemble's probability in a real window, on the replayed Huangpu event."""

from datetime import timedelta
from pathlib import Path

import numpy as np
import pytest
from pypdf import PdfReader

from tests.qt.windows import window_on
from twin_app.ensemble.prepare import prepare_ensemble
from twin_app.ensemble.runner import EnsembleRun
from twin_app.ensemble.spec import load_spec
from twin_app.sim.outputs import read_frame

pytestmark = [pytest.mark.gui, pytest.mark.needs_rendering]

EXAMPLE_ENSEMBLE = """
id = "rain_or_not"
plugin = "twin_example"
seed = 7
members = 4
wet_threshold_m = 0.05
duration_h = 2.0
output_interval_min = 60.0
base = { coarsen = 12, time_step_s = 600.0, rainfall_mm_h = 0.0 }

[[perturb]]
parameter = "rainfall_mm_h"
distribution = "choice"
values = [0.0, 150.0]
label = { zh = "有无降雨", en = "rain or not" }
"""


# Three bathtub members with no, some and much inflow (and next to no outflow) and one whose
# reservoir constant is out of bounds: the first leaves the gauges dry, the second fills the river
# below Huangpu Park's 4.55 m warning level, the third floods the banks above it; the last fails.
LEVELS_ENSEMBLE = """
id = "inflow_levels"
plugin = "twin_example"
wet_threshold_m = 0.05
duration_h = 3.0
output_interval_min = 60.0
base = { coarsen = 12, time_step_s = 600.0, rainfall_mm_h = 0.0, reservoir_constant_h = 1000.0 }

[[members]]
parameters = { inflow_m3s = 0.0 }
[[members]]
parameters = { inflow_m3s = 1500.0 }
[[members]]
parameters = { inflow_m3s = 4000.0 }
[[members]]
parameters = { reservoir_constant_h = -1.0 }
"""
GAUGES = ["HPK-WL-01", "SZK-WL-01", "SZK-WL-02", "LJZ-WL-01"]


@pytest.fixture
def window(qtbot):
    with window_on(qtbot, "huangpu") as main:
        yield main


def test_forecast_from_the_replayed_event_and_plan_triggers(qtbot, window):
    window.replay_event_named("typhoon", speed=1.0)
    start = window.workspace.clock.time  # the replay puts the clock at the event's start
    window.workspace.clock.set_time(start + timedelta(hours=40))
    qtbot.wait(300)
    dock = window.outlook_dock
    assert dock.forecast_button.isEnabled() and dock.ensemble_button.isEnabled()
    dock.hours.setValue(24.0)
    dock.run_forecast()
    qtbot.waitUntil(lambda: dock.job is None, timeout=180_000)
    assert dock.forecast is not None, dock.status.text()
    assert dock.sentences.count() >= 1
    assert any("Huangpu Park" in dock.sentences.item(i).text()
               for i in range(dock.sentences.count()))
    assert len(dock.plot.listDataItems()) == len(dock.forecast.gauges)
    assert dock.plans.count() == len(dock.library.plans)


def test_ensemble_probability_is_draped_on_the_terrain(qtbot, window, tmp_path):
    spec_file = tmp_path / "ensembles.toml"
    spec_file.write_text(EXAMPLE_ENSEMBLE, encoding="utf-8")
    spec = load_spec(spec_file)
    plan = prepare_ensemble(spec, out_dir=tmp_path / "ensemble",
                            scene=window.workspace.document)
    result = EnsembleRun(plan, n_workers=1).start().wait(300)
    aggregate = result.aggregate
    assert aggregate is not None and aggregate.count == 4
    probability = np.asarray(aggregate.probability_wet)
    assert set(np.unique(np.round(probability * 4))) <= {0.0, 1.0, 2.0, 3.0, 4.0}
    window.panels._show_probability(aggregate)
    layer = window.panels.probability
    assert layer is not None and layer.mode == "probability"
    assert layer.visible_cells() > 0
    assert layer.clim == (0.0, 1.0)


def _bathtub_peak(run_dir: str) -> float:
    """The bathtub's highest level over a member's frames, read from its run folder."""
    frames = sorted((Path(run_dir) / "frames").glob("frame_*.npz"))
    return max(float(read_frame(f)["water_surface__elevation"][0]) for f in frames)


def test_ensemble_run_in_the_dock_drapes_and_charts_exceedance(qtbot, window, tmp_path):
    spec_file = tmp_path / "levels.toml"
    spec_file.write_text(LEVELS_ENSEMBLE, encoding="utf-8")
    dock = window.outlook_dock
    dock.ensemble_box.addItem("inflow_levels", load_spec(spec_file))
    dock.ensemble_box.setCurrentIndex(dock.ensemble_box.count() - 1)
    dock.ensemble_workers = 1
    view = dock.ensemble_view
    assert not view.isVisibleTo(dock)
    dock.run_ensemble()
    assert dock.ensemble is not None, dock.status.text()
    assert not dock.ensemble_button.isEnabled() and dock.cancel_button.isEnabled()
    qtbot.waitUntil(lambda: dock.ensemble is None, timeout=240_000)
    assert "3 members aggregated, 1 failed" in dock.status.text()
    layer = window.panels.probability  # the drape came through the dock's signal
    assert layer is not None and layer.mode == "probability" and layer.visible_cells() > 0
    assert view.isVisibleTo(dock) and view.point_ids() == GAUGES
    _, some, much = (_bathtub_peak(o.run_dir) for o in view.result.outcomes if o.ok)
    assert some < 4.55 < much
    view.show_point("HPK-WL-01")
    curve = view.curve
    assert curve.quantity == "level" and curve.warning.value == 4.55
    assert curve.values == pytest.approx([much, some], abs=1e-3)
    assert curve.probability == pytest.approx([1 / 3, 2 / 3])
    assert view.warning_line is not None and view.warning_line.value() == 4.55
    assert "33%" in view.verdict.text() and "(1 of 3)" in view.verdict.text()
    xs, ys = view.steps.getData()
    assert ys.max() == pytest.approx(2 / 3) and ys[-1] == 0.0
    assert xs.min() < some and xs.max() > much  # the whole curve and the warning line in view
    assert "Wusong" in view.plot.getAxis("bottom").labelText
    view.show_point("SZK-WL-01")  # a bank gauge: only the flooding member reaches it
    assert view.curve.values == pytest.approx([much], abs=1e-3)
    assert view.warning_line.value() == 4.2 and "(1 of 3)" in view.verdict.text()
    assert view.tabs.tabText(1) == "Failed members (1)"
    assert view.failed.count() == 1
    failure = view.failed.item(0).text()
    assert failure.startswith("Member 3 failed:") and "reservoir_constant_h" in failure


def test_rehearsed_plan_brief_exports_to_pdf(qtbot, window, tmp_path):
    window.replay_event_named("typhoon", speed=1.0)
    window.workspace.clock.set_time(window.workspace.clock.time + timedelta(hours=40))
    qtbot.wait(300)
    dock = window.outlook_dock
    dock.hours.setValue(24.0)
    dock.run_forecast()
    qtbot.waitUntil(lambda: dock.job is None, timeout=180_000)
    assert dock.forecast is not None, dock.status.text()
    assert not dock.brief_button.isEnabled()  # nothing rehearsed yet
    row = next(i for i, s in enumerate(dock._statuses) if s.plan.id == "creek_gate_closure")
    dock.plans.setCurrentRow(row)
    dock.plan_plugin = "twin_example"  # the plan's quick setup (twin_flood takes minutes here)
    dock.rehearse_selected_plan()
    assert not dock.brief_button.isEnabled()
    qtbot.waitUntil(lambda: dock.job is None, timeout=280_000)
    comparison = dock.comparison
    assert comparison is not None and comparison.ok, dock.status.text()
    assert dock.brief_button.isEnabled()
    assert dock.brief_path().parent == Path(comparison.run_dirs["with"]).parent
    path = tmp_path / "briefs" / "creek gate"  # no suffix, a folder still to make
    dock.export_brief(path)
    assert not dock.brief_button.isEnabled()  # written off the GUI thread
    qtbot.waitUntil(lambda: dock.job is None, timeout=60_000)
    pdf = path.with_suffix(".pdf")
    assert str(pdf) in dock.status.text()
    assert pdf.read_bytes().startswith(b"%PDF") and dock.brief_button.isEnabled()
    text = "\n".join(page.extract_text() for page in PdfReader(pdf).pages)
    flat = " ".join(text.split())
    assert "Suzhou Creek mouth gate closure against high tide" in flat
    without, with_plan = comparison.metrics["without"], comparison.metrics["with"]
    assert (f"Flooded area: {without['flooded_area_m2'] / 1e4:.2f} ha without the plan, "
            f"{with_plan['flooded_area_m2'] / 1e4:.2f} ha with it") in flat
    for place, depth in without["peak_depth_m"].items():
        assert f"{place}: peak depth {depth:.2f} m" in flat
        assert f"{with_plan['peak_depth_m'][place]:.2f} m" in flat
    for place, hours in without["hours_above_warning"].items():
        assert f"{place}: {hours:.1f} h above warning" in flat
