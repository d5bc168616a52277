"""The meeting report PDF: pages, Chinese text (embedded font), topics, tables and snapshots.

The PDF is opened with pypdf: text is extracted back (so Chinese characters were written with a
real font and a ToUnicode map), fonts and images are looked up in the page resources.
"""

from __future__ import annotations

import io
import logging
from datetime import UTC, date, datetime

import pytest
from PIL import Image
from pypdf import PdfReader

from twin_app.core.errors import InputError
from twin_app.core.fonts import find_cjk_font
from twin_app.core.review import CameraState, ReviewViewpoint, Topic
from twin_app.io.report_pdf import ReportImage, ReportTable, write_meeting_report

CAMERA = CameraState(position=(0.0, -100.0, 50.0), focal_point=(0.0, 0.0, 0.0))


def _png(colour):
    stream = io.BytesIO()
    Image.new("RGB", (320, 180), colour).save(stream, format="PNG")
    return stream.getvalue()


def _topics():
    crack = Topic(title="2号闸墩裂缝 Pier 2 crack", author="张工", priority="High",
                  description="闸墩迎水面出现竖向裂缝，长约 1.2 m。", assigned_to="李工",
                  created=datetime(2024, 5, 1, 1, 0, tzinfo=UTC),
                  viewpoints=(ReviewViewpoint(camera=CAMERA).with_snapshot(_png("red")),),
                  pinned_elements=("0Tj51Yga1SwQxAyXSxcAB$",))
    crack.add_comment("李工", "已安排裂缝宽度复测。", date=datetime(2024, 5, 1, 2, tzinfo=UTC))
    closed = Topic(title="Hoist house drainage", author="王工", status="closed")
    return [crack, closed]


def _text(reader):
    return "\n".join(page.extract_text() for page in reader.pages)


def _fonts(reader):
    names = set()
    for page in reader.pages:
        fonts = page["/Resources"].get("/Font", {})
        for font in fonts.values():
            font = font.get_object()
            descendants = font.get("/DescendantFonts")
            target = descendants[0].get_object() if descendants else font
            descriptor = target.get("/FontDescriptor")
            embedded = bool(descriptor and any(k in descriptor.get_object() for k in
                                               ("/FontFile", "/FontFile2", "/FontFile3")))
            names.add((str(font["/BaseFont"]), embedded))
    return names


def test_report_has_topics_tables_snapshots_and_chinese_text(tmp_path):
    font = find_cjk_font()
    assert font is not None, "install fonts-wqy-microhei (make does)"
    out = tmp_path / "meeting.pdf"
    table = ReportTable("施工进度 4D progress", ["状态 State", "计划 Planned", "实际 Actual"],
                        [["built", 12, 23], ["not_started", 58, 58]], note="示意 illustrative")
    summary = write_meeting_report(
        out, scene_name="新川沙泵闸枢纽 Xinchuansha", meeting_date=date(2024, 5, 1),
        illustrative_note="示意场景，非设计资料。", author="项目部", topics=_topics(),
        images=[ReportImage("总览 Overview", _png("blue"))], tables=[table], font_path=font)
    reader = PdfReader(str(out))
    assert summary.pages == len(reader.pages) >= 3  # title; figures and snapshots; topics
    assert summary.embedded_font
    text = _text(reader)
    for expected in ("施工例会纪要", "新川沙泵闸枢纽", "2024-05-01", "示意场景，非设计资料。",
                     "施工进度 4D progress", "2号闸墩裂缝", "已安排裂缝宽度复测。", "李工",
                     "Hoist house drainage", "已关闭 Closed", "0Tj51Yga1SwQxAyXSxcAB$",
                     "总览 Overview"):
        assert expected in text, expected
    assert any(embedded for _, embedded in _fonts(reader)), "a subset of the CJK font is embedded"
    images = sum(len(page.images) for page in reader.pages)
    assert images == 2, "the overview and the topic's snapshot"
    assert reader.metadata.title == "施工例会纪要 Model review"


def test_a_font_that_cannot_be_embedded_falls_back(tmp_path, caplog):
    bad = tmp_path / "not_a_font.ttf"
    bad.write_bytes(b"not a font at all")
    with caplog.at_level(logging.WARNING, logger="twin_app.io.report_pdf"):
        summary = write_meeting_report(tmp_path / "r.pdf", scene_name="测试", topics=_topics(),
                                       meeting_date=date(2024, 5, 1), font_path=bad)
    assert (summary.font, summary.embedded_font) == ("STSong-Light", False)
    assert "cannot be embedded" in caplog.text
    assert "测试" in _text(PdfReader(str(summary.path)))


def test_missing_folder_is_refused(tmp_path):
    with pytest.raises(InputError, match="does not exist"):
        write_meeting_report(tmp_path / "no" / "r.pdf", scene_name="x",
                             meeting_date=date(2024, 5, 1))


def test_progress_tables_of_a_meeting_day():
    from pathlib import Path

    from twin_app.io.ifc.schedule import read_work_schedule
    from twin_app.io.report_pdf import progress_tables

    path = Path(__file__).resolve().parents[2] / "bim_assets" / "xinchuansha" / "xinchuansha.ifc"
    states, packages = progress_tables({"xcs_hub": read_work_schedule(path)}, date(2022, 11, 12))
    # the day before the pour: the slab is built in the plan, not yet on site
    assert states.rows == [["not_started", 75, 76], ["under_construction", 0, 0],
                           ["built", 12, 11]]
    slab = next(row for row in packages.rows if row[0] == "XCS-03")
    assert slab[2:4] == ["built", "not_started"] and slab[-1] == "+12"
