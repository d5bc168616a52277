"""`twin-app plugins list` and `twin-app rehearse` (a case file and a scene scenario)."""

import json

import pytest

from tests.sim.factory import write_dem, write_scene
from twin_app.cli import main


def test_plugins_list_json_shows_the_example_plugin(capsys):
    assert main(["plugins", "list", "--json", "--check"]) == 0
    plugins = {p["id"]: p for p in json.loads(capsys.readouterr().out)}
    example = plugins["twin_example"]
    assert example["status"] == "ok"
    assert example["name"]["en"].startswith("Example")
    assert "rainfall_mm_h" in [p["name"] for p in example["parameters"]]


def test_plugins_list_as_text(capsys):
    assert main(["plugins", "list"]) == 0
    assert "twin_example" in capsys.readouterr().out


@pytest.fixture
def case(tmp_path):
    dem = write_dem(tmp_path / "dem.tif")
    path = tmp_path / "case.toml"
    path.write_text(f'plugin = "twin_example"\nduration_h = 1.0\noutput_interval_min = 15\n'
                    f'dem = "{dem.name}"\n\n[parameters]\ncoarsen = 1\nrainfall_mm_h = 80\n'
                    '\n[[points]]\nid = "C"\nx = 600150.0\ny = 3469880.0\n', encoding="utf-8")
    return path


def test_rehearse_a_case_file_prints_a_json_summary(case, tmp_path, capsys):
    out = tmp_path / "out"
    assert main(["rehearse", "--scenario-file", str(case), "--out", str(out), "--json"]) == 0
    summary = json.loads(capsys.readouterr().out)
    assert summary["state"] == "succeeded"
    assert summary["frames"] == 5 and summary["steps"] == 12
    assert summary["mass_balance_error"] < 1e-12
    names = sorted(p.rsplit("/", 1)[-1] for p in summary["outputs"])
    assert names == ["arrival_time.tif", "duration_wet.tif", "max_depth.tif",
                     "max_extent.geojson", "results.nc", "series.csv"]
    assert (out / "run.log").is_file()
    # a second run into the same folder replaces the first run's frames and log
    (out / "frames" / "frame_00099.npz").write_bytes(b"stale")
    assert main(["rehearse", "--scenario-file", str(case), "--out", str(out)]) == 0
    assert len(list((out / "frames").glob("frame_*.npz"))) == 5
    assert (out / "run.log").read_text(encoding="utf-8").count("run finished") == 1


def test_rehearse_a_bad_case_exits_2_before_running(case, tmp_path, capsys):
    case.write_text(case.read_text(encoding="utf-8").replace("coarsen = 1", "coarsen = 0"),
                    encoding="utf-8")
    out = tmp_path / "out"
    assert main(["rehearse", "--scenario-file", str(case), "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert "case.toml:7 [parameters.coarsen]" in err and "below the minimum 1" in err
    assert not out.exists()


def test_rehearse_a_scene_scenario(tmp_path, capsys):
    scene = write_scene(tmp_path / "bowl")
    code = main(["rehearse", str(scene), "--scenario", "bathtub", "--out",
                 str(tmp_path / "out"), "--json"])
    assert code == 0
    summary = json.loads(capsys.readouterr().out)
    assert summary["frames"] == 4
    assert summary["source"].endswith("scene.toml#bathtub")


def test_rehearse_needs_a_scenario(tmp_path, capsys):
    assert main(["rehearse", "--out", str(tmp_path)]) == 2
    assert "say what to rehearse" in capsys.readouterr().err


def test_rehearse_starts_from_the_current_state_in_the_store(tmp_path, isolated_store, capsys):
    from datetime import UTC, datetime

    from twin_app.core.readings import Reading
    from twin_app.core.scene_loader import load_scene
    from twin_app.telemetry.store import SensorCatalog, open_store

    catalog = SensorCatalog.from_scene(load_scene(write_scene(tmp_path / "bowl")).spec)
    with open_store(isolated_store, catalog=catalog) as store:
        store.append([Reading("PF-1", datetime.now(UTC), 150.0, "m3/s")])
    dem = write_dem(tmp_path / "dem.tif")
    case = tmp_path / "case.toml"
    case.write_text(f'plugin = "twin_example"\nduration_h = 0.5\ndem = "{dem.name}"\n'
                    '[boundaries.inflow]\nkind = "telemetry"\nsensor = "PF-1"\n'
                    'units = "m3/s"\n', encoding="utf-8")
    out = tmp_path / "out"
    assert main(["rehearse", "--scenario-file", str(case), "--out", str(out),
                 "--store", isolated_store, "--json"]) == 0
    config = json.loads((out / "run_config.json").read_text(encoding="utf-8"))
    assert config["boundaries"]["inflow"]["values"] == [150.0]
    assert config["boundaries"]["inflow"]["source"] == "telemetry PF-1"


def test_plugins_list_shows_broken_plugins_with_the_reason(tmp_path, monkeypatch, capsys):
    from tests.sim.factory import build_site

    monkeypatch.syspath_prepend(str(build_site(tmp_path)))
    assert main(["plugins", "list"]) == 0
    out = capsys.readouterr().out
    assert "fake_ramp" in out and "twin_example" in out
    bad = out.split("fake_bad_manifest", 1)[1].split("\n")
    assert "broken" in bad[0]
    assert "reason: bad manifest:" in bad[1] and "unknown key 'colour'" in bad[1]
