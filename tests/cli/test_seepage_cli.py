"""`twin-app seepage check` against a store holding a replayed event; `seepage derive`."""

from __future__ import annotations

import json

import pytest

from tests.seepage_events import event_store
from twin_app.cli import main
from twin_app.io.sections import load_placed_section
from twin_app.telemetry.store import open_store

SENSORS = ("HPK-WL-01", "HPK-PZ-01", "HPK-PZ-02")


@pytest.fixture(scope="module")
def raised(tmp_path_factory):
    """The typhoon event with HPK-PZ-02 raised 0.8 m from the middle on (a cut-off defect)."""
    path = tmp_path_factory.mktemp("seepage") / "event.db"
    return event_store(path, raise_sensor="HPK-PZ-02", by=0.8, sensors=SENSORS)


def test_check_flags_the_raised_piezometer_and_not_the_normal_one(raised, capsys):
    url, first, last = raised
    code = main(["seepage", "check", "huangpu", "--section", "MS-1", "--section", "MS-2",
                 "--from", first.isoformat(), "--to", last.isoformat(), "--store", url,
                 "--json", "--record-alarms"])
    captured = capsys.readouterr()
    assert code == 0, captured.err
    ms1, ms2 = json.loads(captured.out)
    assert ms1["section"] == "MS-1" and ms2["section"] == "MS-2"
    assert ms1["compared"] == ["HPK-PZ-01"] and ms1["leaks"] == []
    (flag,) = ms2["leaks"]
    assert flag["piezometer"] == "HPK-PZ-02"
    assert flag["max_excess_m"] > 0.6 and flag["hours"] >= 6.0
    assert flag["start"] >= "2023-09-15T04"  # the raise began at the middle of the event (UTC)
    for data in (ms1, ms2):
        assert data["check_stage_m"] == pytest.approx(5.332)  # the highest measured stage
        assert data["discharge_m3_s_per_m"] > 0
        assert len(data["exit_gradients"]["x_m"]) == len(data["exit_gradients"]["upward"]) > 10
        names = [check["name"] for check in data["checks"]]
        assert "Lane creep ratio" in names and "uplift of blanket" in names
        assert all(check["passed"] for check in data["checks"])
        assert data["tide"]["steps"] == 432  # 72 h at 10 minutes
    assert "no readings of HPK-PZ-04: not compared" in ms1["notes"]  # only in the IFC model
    assert "recorded 1 alarm transition" in captured.err
    with open_store(url) as store:
        current = store.alarms.current()
    assert current[("seepage:MS-2", "leak_HPK-PZ-02")].to_state == "unacknowledged"
    assert ("seepage:MS-1", "leak_HPK-PZ-01") not in current


def test_check_prints_each_check_and_the_flags(raised, capsys):
    url, _, _ = raised
    assert main(["seepage", "check", "huangpu", "--section", "MS-2", "--store", url]) == 0
    out = capsys.readouterr().out
    assert "Section MS-2" in out and "discharge:" in out and "exit gradient: max" in out
    assert "OK   SF" in out and "Sellmeijer piping" in out
    assert "FLAG piezometer HPK-PZ-02" in out and "possible leak" in out


def test_without_readings_the_sections_are_checked_at_the_design_level(tmp_path, capsys):
    url = f"sqlite:///{tmp_path / 'empty.db'}"
    assert main(["seepage", "check", "huangpu", "--section", "MS-3", "--store", url,
                 "--json"]) == 0
    (data,) = json.loads(capsys.readouterr().out)
    assert data["check_stage_m"] == pytest.approx(5.86) and data["stage_source"] == "design level"
    assert data["leaks"] == [] and "leak detection not run" in data["notes"][0]


def test_bad_input_is_named(capsys, tmp_path):
    assert main(["seepage", "check", "huangpu", "--section", "MS-9"]) == 2
    assert "no section MS-9" in capsys.readouterr().err
    assert main(["seepage", "check", "huangpu", "--from", "2023-09-14T00:00+08:00"]) == 2
    assert "both --from and --to" in capsys.readouterr().err


def test_derive_writes_a_section_file(tmp_path, capsys):
    out = tmp_path / "X-1.toml"
    assert main(["seepage", "derive", "huangpu", "--line",
                 "641546.31,3458752.26,641646.31,3458752.26", "--id", "X-1",
                 "--out", str(out)]) == 0
    assert "1 wall(s), 1 sheet pile(s)" in capsys.readouterr().out
    placed = load_placed_section(out)
    assert placed.start == pytest.approx((641646.31, 3458752.26))  # river end first
    assert [p.id for p in placed.section.piezometers] == ["HPK-PZ-02", "HPK-PZ-06",
                                                          "HPK-PZ-07"]
