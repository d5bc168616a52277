"""``twin-app review ...`` run through ``main([...])`` in this process, as a user would type it.

The review store goes to a temporary user-data folder (``XDG_DATA_HOME``).  BCF input is the
hand-written Revit-style BCF 2.1 file of tests/io/bcf/data (see the README there).
"""

from __future__ import annotations

import json

import imageio.v3 as iio
import pytest
from pypdf import PdfReader

from tests.io.bcf.conftest import DATA, zip_folder
from tests.scene_factory import MINIMAL_SCENE, write_scene
from twin_app.cli import main
from twin_app.core.review_store import ReviewStore
from twin_app.io.bcf import validate_bcf


@pytest.fixture(autouse=True)
def user_data(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    return tmp_path / "data"


def _run(capsys, *args):
    status = main(list(args))
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def test_progress_text_and_json(capsys):
    status, out, _ = _run(capsys, "review", "progress", "xinchuansha", "--date", "2022-11-12")
    assert status == 0
    assert "xcs_hub" in out and "XCS-03" in out and "+12 d" in out
    status, out, _ = _run(capsys, "review", "progress", "xinchuansha", "--date", "2022-11-13",
                          "--json")
    data = json.loads(out)
    (asset,) = data["assets"]
    assert asset["actual"]["built"] == asset["planned"]["built"] == 12
    assert "25g6ziOwXRVw2_fGnwNfud" in asset["built"]["actual"]  # the base slab, poured that day
    slab = next(t for t in asset["tasks"] if t["task"] == "XCS-03")
    assert slab["actual_finish"] == "2022-11-13"


def test_import_then_export_both_versions(capsys, tmp_path):
    source = zip_folder(DATA / "revit_style_2_1", tmp_path / "from_revit.bcfzip")
    status, out, _ = _run(capsys, "review", "import-bcf", "xinchuansha", str(source))
    assert status == 0 and "2 topics" in out and "[open] Gate leaf 2 clashes" in out
    assert len(ReviewStore("xinchuansha").load().topics) == 2
    for version in ("2.1", "3.0"):
        out_file = tmp_path / f"meeting_{version}.bcf"
        status, out, _ = _run(capsys, "review", "export-bcf", "xinchuansha", "--out",
                              str(out_file), "--version", version)
        assert status == 0, out
        assert f"valid against the BCF {version} XSDs" in out
        assert "xinchuansha.ifc world coordinates" in out
        report = validate_bcf(out_file)
        assert report and not any(report.values())
    status, _, _ = _run(capsys, "review", "import-bcf", "xinchuansha", str(source))
    assert len(ReviewStore("xinchuansha").load().topics) == 2, "same GUIDs replace, not add"


def test_report(capsys, tmp_path):
    source = zip_folder(DATA / "revit_style_2_1", tmp_path / "from_revit.bcfzip")
    _run(capsys, "review", "import-bcf", "xinchuansha", str(source))
    out_file = tmp_path / "meeting.pdf"
    status, out, _ = _run(capsys, "review", "report", "xinchuansha", "--out", str(out_file),
                          "--date", "2023-05-29", "--author", "项目部")
    assert status == 0 and "2 topics" in out
    reader = PdfReader(str(out_file))
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert "新川沙泵闸枢纽" in text and "2023-05-29" in text
    assert "Gate leaf 2 clashes" in text and "XCS-M2" in text


def test_video(capsys, tmp_path):
    scene = write_scene(tmp_path / "mini", MINIMAL_SCENE)
    out_file = tmp_path / "fly.mp4"
    status, out, _ = _run(capsys, "review", "video", str(scene), "--out", str(out_file),
                          "--size", "96x64", "--seconds", "0.5", "--fps", "8", "--lang", "en")
    assert status == 0 and "4 frames 96x64" in out
    assert iio.imread(out_file).shape == (4, 64, 96, 3)


def test_errors_say_what_to_do(capsys, tmp_path):
    scene = write_scene(tmp_path / "mini", MINIMAL_SCENE)
    status, _, err = _run(capsys, "review", "progress", str(scene), "--date", "2024-01-01")
    assert status == 2 and "has a work schedule" in err and "IfcWorkSchedule" in err
    status, _, err = _run(capsys, "review", "export-bcf", "xinchuansha", "--out",
                          str(tmp_path / "x.txt"))
    assert status == 2 and "must end in .bcf or .bcfzip" in err
    status, _, err = _run(capsys, "review", "video", str(scene), "--out",
                          str(tmp_path / "x.mp4"), "--from-review")
    assert status == 2 and "save views in the review" in err
    status, _, err = _run(capsys, "review", "import-bcf", "xinchuansha",
                          str(tmp_path / "missing.bcf"))
    assert status == 2 and "does not exist" in err
    with pytest.raises(SystemExit):
        main(["review", "progress", "xinchuansha", "--date", "29/05/2023"])
