"""`twin-app forecast`, `twin-app ensemble` and `twin-app plans` on a replayed event."""

import json

import pytest

from tests.forecast.forecast_helpers import replayed_store, write_surge_csv
from twin_app.cli import main


@pytest.fixture(scope="module")
def event(tmp_path_factory):
    folder = tmp_path_factory.mktemp("cli")
    url, _, cut = replayed_store(folder / "telemetry.db")
    return url, write_surge_csv(folder / "surge.csv"), cut


def test_forecast_json(event, capsys):
    url, surge, cut = event
    assert main(["forecast", "huangpu", "--store", url, "--surge", str(surge), "--hours", "24",
                 "--json"]) == 0
    payload = json.loads(capsys.readouterr().out)
    assert payload["issued"] == cut.isoformat() or payload["issued"].startswith("2023-09-15")
    park = payload["gauges"][0]
    assert park["sensor_id"] == "HPK-WL-01" and 5.15 < park["peak_m"] < 5.45
    assert park["method"] == "tide+surge" and park["variance_explained"] > 0.95
    assert payload["sentences"][0].startswith("Huangpu Park tide station reaches")
    assert payload["analyses"][0]["constituents"][0]["name"] == "M2"


def test_forecast_text_in_chinese(event, capsys):
    url, surge, _ = event
    assert main(["forecast", "huangpu", "--store", url, "--surge", str(surge), "--hours", "24",
                 "--lang", "zh_CN"]) == 0
    out = capsys.readouterr().out
    assert "黄浦公园潮位站" in out and "超警戒水位" in out


def test_plans_list_and_check(event, capsys):
    url, surge, _ = event
    assert main(["plans", "huangpu", "--json"]) == 0
    assert "creek_gate_closure" in [p["id"] for p in json.loads(capsys.readouterr().out)]
    assert main(["plans", "huangpu", "--check", "--store", url, "--surge", str(surge),
                 "--value", "bund_seepage_fs=1.1", "--json"]) == 0
    plans = {p["id"]: p for p in json.loads(capsys.readouterr().out)["plans"]}
    assert plans["creek_gate_closure"]["triggered"]
    assert plans["bund_wall_openings"]["triggered"]
    assert not plans["intense_rain_drainage"]["triggered"]


def test_plans_rehearse_writes_comparison_and_brief(event, tmp_path, capsys):
    url, surge, _ = event
    out = tmp_path / "rehearsal"
    assert main(["plans", "huangpu", "--rehearse", "creek_gate_closure", "--out", str(out),
                 "--store", url, "--surge", str(surge), "--plugin", "twin_example",
                 "--hours", "12", "--json"]) == 0
    rehearsal = json.loads(capsys.readouterr().out)["rehearsal"]
    assert rehearsal["states"] == {"without": "succeeded", "with": "succeeded"}
    assert (out / "brief.pdf").read_bytes().startswith(b"%PDF")
    assert (out / "difference_max_depth.tif").is_file()
    assert (out / "comparison.json").is_file()


def test_ensemble_on_a_local_cluster(tmp_path, capsys):
    spec = tmp_path / "spec.toml"
    spec.write_text('id = "cli"\nplugin = "twin_example"\nduration_h = 2.0\n'
                    'output_interval_min = 60.0\nseed = 3\n\n'
                    '[base]\ncoarsen = 16\ntime_step_s = 900.0\nrainfall_mm_h = 0.0\n\n'
                    '[[perturb]]\nparameter = "rainfall_mm_h"\ndistribution = "choice"\n'
                    'values = [0.0, 60.0]\n', encoding="utf-8")
    out = tmp_path / "ens"
    assert main(["ensemble", "huangpu", "--spec", str(spec), "--members", "3", "--out",
                 str(out), "--json"]) == 0
    summary = json.loads(capsys.readouterr().out)
    assert summary["state"] == "succeeded" and summary["where"].startswith("LocalCluster")
    assert summary["aggregate"]["members_aggregated"] == 3
    assert (out / "ensemble.nc").is_file() and (out / "probability_wet.tif").is_file()


def test_ensemble_needs_a_known_ensemble(tmp_path, capsys):
    assert main(["ensemble", "huangpu", "--scenario", "nope", "--out", str(tmp_path)]) == 2
    assert "no ensemble 'nope'" in capsys.readouterr().err
