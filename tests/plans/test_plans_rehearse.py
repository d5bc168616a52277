"""A plan triggered by a replayed event, rehearsed with and without its actions, and its brief.

The huangpu typhoon is replayed to hour 40; the forecast (with the event's surge) crosses the
4.55 m warning at Huangpu Park about 8 h later, which triggers the creek gate closure plan
("forecast above warning within 12 h") while the live level is still below warning.  It is
rehearsed with twin_example (the example plugin; its setup in plans.toml stands the gate and
pumps in for the creek's inflow and drainage): with the plan's actions there is less water.
"""

from datetime import timedelta

import numpy as np
import pytest
import rasterio

from tests.forecast.forecast_helpers import replayed_store, write_surge_csv
from twin_app.forecast import make_forecast, read_inputs
from twin_app.plans import TriggerEvaluator, load_library, rehearse_plan, write_brief
from twin_app.plans.brief import FONT_NAME, find_cjk_font_file
from twin_app.plans.rehearse import action_parameters
from twin_app.sim.playback import Playback
from twin_app.telemetry.store import open_store


@pytest.fixture(scope="module")
def situation(tmp_path_factory):
    folder = tmp_path_factory.mktemp("plan")
    url, document, _ = replayed_store(folder / "telemetry.db")
    inputs = read_inputs(write_surge_csv(folder / "surge.csv"),
                         gauges=["HPK-WL-01", "SZK-WL-01", "SZK-WL-02", "LJZ-WL-01"],
                         rain_gauges=["HPK-RG-01"])
    with open_store(url) as store:
        latest = {k: r.value for k, r in store.latest().items()}
        forecast = make_forecast(document, store, hours=24, inputs=inputs)
    return document, forecast, latest, folder


def test_replayed_event_triggers_the_gate_plan(situation):
    document, forecast, latest, _ = situation
    library = load_library(document)
    statuses = {s.plan.id: s
                for s in TriggerEvaluator(library, document).evaluate(latest, forecast=forecast)}
    gate = statuses["creek_gate_closure"]
    assert gate.triggered
    forecast_result, live_result = gate.results
    assert forecast_result.met and not live_result.met  # foreseen, not yet observed
    lead = gate.event_time - forecast.issued
    assert timedelta(hours=6) < lead < timedelta(hours=10)
    assert statuses["bund_wall_openings"].triggered  # forecast above 5.0 m within 24 h
    changes, modelled, missing = action_parameters(library.plan("creek_gate_closure"),
                                                   "twin_example", gate.event_time,
                                                   forecast.issued)
    assert changes == {"inflow_m3s": 0.0, "reservoir_constant_h": 6.0}
    assert modelled == ["close_mouth_gate", "drain_creek"] and missing == []


def test_rehearse_with_and_without_and_write_the_brief(situation):
    document, forecast, latest, folder = situation
    library = load_library(document)
    status = next(s for s in TriggerEvaluator(library, document).evaluate(
        latest, forecast=forecast) if s.plan.id == "creek_gate_closure")
    comparison = rehearse_plan(library, "creek_gate_closure", document, forecast,
                               out_dir=folder / "rehearsal", event_time=status.event_time,
                               plugin="twin_example", timeout_s=300)
    assert comparison.ok, comparison.states
    without, with_plan = comparison.metrics["without"], comparison.metrics["with"]
    assert with_plan["flooded_area_m2"] < without["flooded_area_m2"]
    # flooded: deepest water above the wet threshold where the first frame was dry
    run = Playback.open(folder / "rehearsal" / "without", "surface_water__depth", 0.05)
    first = run.depth(0) < 0.05
    cell = abs(run.grid.spacing[0] * run.grid.spacing[1])
    assert without["flooded_area_m2"] == pytest.approx(
        np.count_nonzero((run.max_depth() > 0.05) & first) * cell)
    assert with_plan["max_depth_m"] < without["max_depth_m"]
    assert set(without["peak_depth_m"]) == {"HPK-WL-01", "SZK-WL-01", "LJZ-WL-01"}
    assert comparison.difference.min() < 0 and comparison.difference.max() <= 1e-6
    with rasterio.open(comparison.difference_path) as dataset:
        assert np.allclose(dataset.read(1)[::-1], comparison.difference)
    # both runs were driven by the forecast's rain, from the forecast's start
    for variant in ("with", "without"):
        config = (folder / "rehearsal" / variant / "run_config.json").read_text("utf-8")
        assert '"rainfall"' in config and forecast.issued.strftime("%Y-%m-%dT%H:%M") in config
    assert any("公顷" in line for line in comparison.sentences("zh"))
    font = find_cjk_font_file()
    assert font is not None, "install fonts-wqy-microhei: Chinese must render in the brief"
    pdf = write_brief(folder / "brief.pdf", library, library.plan("creek_gate_closure"),
                      status=status, comparison=comparison, language="zh")
    data = pdf.read_bytes()
    assert data.startswith(b"%PDF") and len(data) > 20_000
    import re

    fonts = set(re.findall(rb"/BaseFont\s*/([^\s/]+)", data))
    assert any(b"+" in name for name in fonts), fonts  # a CJK subset is embedded
    assert b"/FontFile2" in data
    from reportlab.pdfbase import pdfmetrics

    face = pdfmetrics.getFont(FONT_NAME).face
    assert all(ord(ch) in face.charToGlyph for ch in "苏州河河口闸防高潮关闸预案")
