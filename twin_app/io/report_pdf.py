"""The construction-meeting report (施工例会纪要) as a PDF, with ReportLab.

Contents: a title page (scene, meeting date, who wrote it, the scene's illustrative note), the
tables of figures the caller passes (e.g. 4D progress), the snapshots, a summary of the topics by
status and then each topic with its status, priority, pins, description, comments and main
snapshot.  Headings are bilingual (Chinese first).

Chinese text needs a TrueType font file with CJK glyphs (ReportLab embeds a subset): pass
``font_path`` (``twin_app.core.fonts.find_cjk_font()`` finds one).  A font ReportLab cannot embed
(an OpenType/CFF ``.otf``/``.ttc`` such as Noto Sans CJK) or no font at all falls back to the
built-in ``STSong-Light`` CID font, which is not embedded: viewers substitute a system font.
"""

from __future__ import annotations

import io
import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfbase.ttfonts import TTFError, TTFont
from reportlab.platypus import (
    Image,
    KeepTogether,
    PageBreak,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from twin_app.core.construction import WorkSchedule
from twin_app.core.errors import InputError
from twin_app.core.review import Topic

logger = logging.getLogger(__name__)

FALLBACK_FONT = "STSong-Light"
STATUS_TEXT = {"open": "未解决 Open", "in_progress": "处理中 In progress",
               "closed": "已关闭 Closed"}


@dataclass(frozen=True)
class ReportTable:
    """A table of figures for the report (e.g. elements built, planned against actual)."""

    title: str
    header: Sequence[str]
    rows: Sequence[Sequence[object]]
    note: str = ""
    weights: Sequence[float] | None = None
    """Relative column widths (equal if omitted)."""


@dataclass(frozen=True)
class ReportImage:
    """A snapshot with its caption."""

    caption: str
    png: bytes


@dataclass(frozen=True)
class ReportSummary:
    """What was written."""

    path: Path
    pages: int
    font: str
    embedded_font: bool


def register_cjk_font(font_path: Path | None) -> tuple[str, bool]:
    """Register a font for Chinese text; return its ReportLab name and whether it is embedded."""
    if font_path is not None:
        name = f"TwinCJK-{Path(font_path).stem}"
        if name in pdfmetrics.getRegisteredFontNames():
            return name, True
        try:
            pdfmetrics.registerFont(TTFont(name, str(font_path), subfontIndex=0))
        except (TTFError, OSError) as error:
            logger.warning("font %s cannot be embedded (%s); using %s, which viewers substitute",
                           font_path, error, FALLBACK_FONT)
        else:
            return name, True
    else:
        logger.warning("no CJK font file: using %s (not embedded)", FALLBACK_FONT)
    if FALLBACK_FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(FALLBACK_FONT))
    return FALLBACK_FONT, False


def _styles(font: str) -> dict[str, ParagraphStyle]:
    base = getSampleStyleSheet()
    common = {"fontName": font, "wordWrap": "CJK"}
    return {
        "title": ParagraphStyle("t", parent=base["Title"], fontSize=22, leading=30, **common),
        "h1": ParagraphStyle("h1", parent=base["Heading1"], fontSize=15, leading=21, **common),
        "h2": ParagraphStyle("h2", parent=base["Heading2"], fontSize=12, leading=17, **common),
        "body": ParagraphStyle("b", parent=base["BodyText"], fontSize=9.5, leading=14, **common),
        "small": ParagraphStyle("s", parent=base["BodyText"], fontSize=8, leading=11,
                                textColor=colors.HexColor("#555555"), **common),
        "cell": ParagraphStyle("c", parent=base["BodyText"], fontSize=8.5, leading=11,
                               **common)}


def _p(text: object, style: ParagraphStyle) -> Paragraph:
    return Paragraph(escape(str(text)).replace("\n", "<br/>"), style)


def _table(rows: list[list[object]], style: dict[str, ParagraphStyle], widths: list[float]
           ) -> Table:
    cells = [[_p(value, style["cell"]) for value in row] for row in rows]
    table = Table(cells, colWidths=widths, repeatRows=1)
    table.setStyle(TableStyle([
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#dde6ee")),
        ("GRID", (0, 0), (-1, -1), 0.4, colors.HexColor("#8899aa")),
        ("VALIGN", (0, 0), (-1, -1), "TOP")]))
    return table


def _image(png: bytes, max_width: float, max_height: float) -> Image:
    width, height = ImageReader(io.BytesIO(png)).getSize()
    scale = min(max_width / width, max_height / height)
    return Image(io.BytesIO(png), width=width * scale, height=height * scale)


def write_meeting_report(out: Path, *, scene_name: str, meeting_date: date,
                         illustrative_note: str = "", title: str = "施工例会纪要 Model review",
                         author: str = "", topics: Sequence[Topic] = (),
                         images: Sequence[ReportImage] = (), tables: Sequence[ReportTable] = (),
                         font_path: Path | None = None) -> ReportSummary:
    """Write the meeting report.

    Parameters
    ----------
    out : Path
        The PDF to write (its folder must exist).
    scene_name : str
        The scene (e.g. "新川沙泵闸枢纽 Xinchuansha pump-gate hub").
    meeting_date : date
        The meeting's day.
    illustrative_note : str
        The scene's note on what is invented; printed on the title page.
    title, author : str
        Title and author line.
    topics : sequence of Topic
        The review topics (with comments and snapshots).
    images : sequence of ReportImage
        Other snapshots (overview, fly-through stills).
    tables : sequence of ReportTable
        Figures asked for (progress, levels...).
    font_path : Path, optional
        A TrueType font with CJK glyphs.

    Returns
    -------
    ReportSummary
        The file, its page count and the font used.
    """
    if not out.parent.is_dir():
        raise InputError(f"folder {out.parent} does not exist", hint="create it first")
    font, embedded = register_cjk_font(font_path)
    style = _styles(font)
    width = A4[0] - 36 * mm
    story: list[object] = [Spacer(1, 50 * mm), _p(title, style["title"]),
                           _p(scene_name, style["h1"]),
                           _p(f"会议日期 Meeting date: {meeting_date.isoformat()}", style["body"])]
    if author:
        story.append(_p(f"整理 Prepared by: {author}", style["body"]))
    counts = {s: sum(1 for t in topics if t.status == s) for s in STATUS_TEXT}
    story.append(_p("议题 Topics: " + ", ".join(f"{STATUS_TEXT[s]} {n}"
                                               for s, n in counts.items()), style["body"]))
    if illustrative_note:
        story += [Spacer(1, 12 * mm), _p("示意说明 Illustrative note", style["h2"]),
                  _p(illustrative_note, style["small"])]
    story.append(PageBreak())
    for table in tables:
        story += [_p(table.title, style["h1"])]
        weights = list(table.weights or [1.0] * max(len(table.header), 1))
        story.append(_table([list(table.header), *map(list, table.rows)], style,
                            [width * w / sum(weights) for w in weights]))
        if table.note:
            story.append(_p(table.note, style["small"]))
        story.append(Spacer(1, 6 * mm))
    for number, image in enumerate(images):
        block = [_image(image.png, width, 110 * mm), _p(image.caption, style["small"]),
                 Spacer(1, 4 * mm)]
        if number == 0:
            block.insert(0, _p("快照 Snapshots", style["h1"]))
        story.append(KeepTogether(block))
    if topics:
        story += [PageBreak(), _p("议题一览 Topics", style["h1"]),
                  _table([["#", "标题 Title", "状态\nStatus", "优先级\nPriority", "负责\nAssigned",
                           "意见\nComments"]] +
                         [[n, t.title, STATUS_TEXT[t.status], t.priority, t.assigned_to or "-",
                           len(t.comments)] for n, t in enumerate(topics, start=1)],
                         style, [8 * mm, width - 108 * mm, 30 * mm, 22 * mm, 28 * mm, 20 * mm])]
        for number, topic in enumerate(topics, start=1):
            story += _topic(number, topic, style, width)
    document = SimpleDocTemplate(str(out), pagesize=A4, leftMargin=18 * mm, rightMargin=18 * mm,
                                 topMargin=16 * mm, bottomMargin=16 * mm, title=title,
                                 author=author or "twin_app", subject=scene_name)
    document.build(story)
    pages = document.page
    logger.info("wrote meeting report %s: %d pages, %d topics, font %s", out, pages,
                len(topics), font)
    return ReportSummary(path=out, pages=pages, font=font, embedded_font=embedded)


def _topic(number: int, topic: Topic, style: dict[str, ParagraphStyle],
           width: float) -> list[object]:
    facts = [f"状态 Status: {STATUS_TEXT[topic.status]}", f"优先级 Priority: {topic.priority}",
             f"类型 Type: {topic.topic_type}",
             f"提出 Raised by: {topic.author}, {topic.created:%Y-%m-%d %H:%M} UTC"]
    if topic.assigned_to:
        facts.append(f"负责 Assigned to: {topic.assigned_to}")
    if topic.due_date:
        facts.append(f"期限 Due: {topic.due_date:%Y-%m-%d}")
    if topic.labels:
        facts.append("标签 Labels: " + ", ".join(topic.labels))
    if topic.pinned_elements:
        facts.append("构件 Elements: " + ", ".join(topic.pinned_elements))
    if topic.pinned_point:
        facts.append("位置 Point (map): " + ", ".join(f"{v:.2f}" for v in topic.pinned_point))
    flow: list[object] = [Spacer(1, 6 * mm), _p(f"{number}. {topic.title}", style["h2"]),
                          _p(" · ".join(facts), style["small"])]
    if topic.description:
        flow.append(_p(topic.description, style["body"]))
    first = next((v for v in topic.viewpoints if v.snapshot), None)
    if first is not None and first.snapshot is not None:
        flow.append(_image(first.snapshot, width * 0.8, 80 * mm))
    if topic.comments:
        rows: list[list[object]] = [["时间 Date", "作者 Author", "意见 Comment"]]
        rows += [[f"{c.date:%Y-%m-%d %H:%M}", c.author, c.text] for c in topic.comments]
        flow.append(_table(rows, style, [30 * mm, 30 * mm, width - 60 * mm]))
    return flow


def progress_tables(schedules: Mapping[str, WorkSchedule], day: date) -> list[ReportTable]:
    """Return the 4D progress figures of a meeting day: per model, states and packages.

    Parameters
    ----------
    schedules : mapping of str to WorkSchedule
        By asset id (``twin_app.io.ifc.schedule.read_scene_schedules``).
    day : date
        The meeting day (states at its end).
    """
    tables = []
    for asset_id, schedule in schedules.items():
        snapshot = schedule.progress_on(day)
        planned, actual = snapshot.counts("planned"), snapshot.counts("actual")
        tables.append(ReportTable(
            f"施工进度 4D progress: {schedule.name}, {day.isoformat()}",
            ["构件状态 Elements", "计划 Planned", "实际 Actual"],
            [[state, planned[state], actual[state]] for state in planned],
            note=f"asset {asset_id}; status date {schedule.status_date}; "
                 f"{schedule.description}"))
        rows = []
        for row in snapshot.task_rows():
            variance = row["finish_variance_days"]
            rows.append([row["task"], row["name"], row["planned"], row["actual"],
                         row["planned_finish"] or "-", row["actual_finish"] or "-",
                         "-" if variance is None else f"{variance:+d}"])
        tables.append(ReportTable(
            "工作包 Work packages", ["Task", "Name", "Planned", "Actual", "Planned finish",
                                    "Actual finish", "Late (d)"], rows,
            weights=[1.0, 3.2, 1.6, 1.6, 1.4, 1.4, 0.8]))
    return tables
