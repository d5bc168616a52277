"""Forecast, plans and an ensemble's probability in a real window, on the replayed Huangpu event."""

from datetime import timedelta

import numpy as np
import pytest

from tests.qt.windows import window_on
from twin_app.ensemble.prepare import prepare_ensemble
from twin_app.ensemble.runner import EnsembleRun
from twin_app.ensemble.spec import load_spec

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
