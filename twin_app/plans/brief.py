"""A plan brief as PDF (reportlab): trigger, actions, units, checklist, rehearsal comparison.

Chinese needs a CJK font file: pass ``font_path``, or one is looked for with
:func:`twin_app.core.fonts.find_cjk_font` (``TWIN_APP_CJK_FONT``, fontconfig, then the usual
places on Linux, Windows and macOS; Debian's ``fonts-wqy-microhei`` gives one).
The brief is bilingual: headings and names in both languages, the body in ``language``.
"""

from __future__ import annotations

import io
import logging
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
from numpy.typing import NDArray

from twin_app.core.errors import TwinAppError
from twin_app.core.fonts import find_cjk_font
from twin_app.plans.library import Plan, PlanLibrary
from twin_app.plans.rehearse import PlanComparison
from twin_app.plans.triggers import PlanStatus

logger = logging.getLogger(__name__)

FONT_NAME = "TwinCJK"
class BriefError(TwinAppError):
    """A brief cannot be written (no CJK font, folder missing)."""


def find_cjk_font_file() -> Path | None:
    """Return a font file with Chinese glyphs, or ``None`` (:mod:`twin_app.core.fonts`)."""
    return find_cjk_font()


def _register_font(font_path: Path | None) -> str:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    path = font_path or find_cjk_font_file()
    if path is None:
        raise BriefError("no font with Chinese glyphs was found for the brief",
                         hint="install fonts-wqy-microhei (Debian) or set TWIN_APP_CJK_FONT")
    if FONT_NAME not in pdfmetrics.getRegisteredFontNames():
        options = {"subfontIndex": 0} if str(path).lower().endswith(".ttc") else {}
        pdfmetrics.registerFont(TTFont(FONT_NAME, str(path), **options))
    return FONT_NAME


def difference_image(difference: NDArray[np.floating], limit: float | None = None) -> object:
    """Return a PIL image of a difference map (rows south to north in, north up out).

    Blue where the plan lowers the depth, red where it raises it, white where unchanged.
    """
    from PIL import Image

    values = np.nan_to_num(np.asarray(difference, dtype=np.float64))[::-1]
    scale = limit or float(np.abs(values).max()) or 1.0
    t = np.clip(values / scale, -1.0, 1.0)
    red = np.where(t > 0, 1.0, 1.0 + t)
    blue = np.where(t < 0, 1.0, 1.0 - t)
    green = 1.0 - np.abs(t)
    rgb = (np.stack([red, green, blue], axis=-1) * 255).astype(np.uint8)
    return Image.fromarray(rgb, "RGB")


def write_brief(path: Path, library: PlanLibrary, plan: Plan, *,
                status: PlanStatus | None = None, comparison: PlanComparison | None = None,
                language: str = "zh", font_path: Path | None = None) -> Path:
    """Write the plan brief PDF and return its path.

    Parameters
    ----------
    path : Path
        The PDF to write.
    library, plan : PlanLibrary, Plan
        The plan (and its library's notes).
    status : PlanStatus, optional
        The trigger evaluation to show.
    comparison : PlanComparison, optional
        A rehearsal with and without the plan.
    language : str
        ``"zh"`` or ``"en"`` for the body text.
    font_path : Path, optional
        A CJK font file; looked for if not given.

    Raises
    ------
    BriefError
        If no CJK font is found or the PDF cannot be written.
    """
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import Image, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    font = _register_font(font_path)
    zh = language.startswith("zh")
    body = ParagraphStyle("body", fontName=font, fontSize=9.5, leading=14, wordWrap="CJK")
    head = ParagraphStyle("head", parent=body, fontSize=12, leading=18, spaceBefore=8)
    title = ParagraphStyle("title", parent=body, fontSize=16, leading=22)

    def t(zh_text: str, en_text: str) -> str:
        return zh_text if zh else en_text

    story: list[object] = [Paragraph(f"{plan.name.zh}<br/>{plan.name.en}", title)]
    meta = [t("预案简报", "Plan brief"), f"{t('场景', 'scene')}: {library.scene}"]
    if plan.level:
        meta.append(f"{t('响应等级', 'response level')}: {plan.level}")
    meta.append(datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"))
    story.append(Paragraph(" · ".join(meta), body))
    if plan.illustrative or library.illustrative:
        note = library.note.text(language) if library.note else ""
        story.append(Paragraph(t("【示意】本预案为演示用虚构内容，非实际预案。",
                                 "[ILLUSTRATIVE] An invented plan for demonstration, not the "
                                 "works' real plan.") + f" {note}", body))
    story.append(Paragraph(t("触发条件", "Trigger"), head))
    match = {"any": t("满足任一条件", "any condition"),
             "all": t("满足全部条件", "all conditions")}[plan.trigger.match]
    story.append(Paragraph(match, body))
    if status is not None:
        story += [Paragraph(f"• {r.text(language, status.event_time)}", body)
                  for r in status.results]
        verdict = t("已触发", "TRIGGERED") if status.triggered else t("未触发", "not triggered")
        when = status.event_time.strftime(" T = %Y-%m-%d %H:%M UTC") if status.event_time else ""
        story.append(Paragraph(f"<b>{verdict}</b>{when}", body))
    else:
        story += [Paragraph(f"• {c.kind} {c.subject} {c.direction} {c.limit}", body)
                  for c in plan.trigger.conditions]
    story.append(Paragraph(t("处置措施", "Actions"), head))
    rows = [[t("时间", "When"), t("措施", "Action"), t("责任单位", "Unit")]]
    rows += [[a.at, Paragraph(a.name.text(language), body),
              Paragraph(a.unit.text(language) if a.unit else "", body)] for a in plan.actions]
    story.append(_table(rows, font, [22 * mm, 100 * mm, 48 * mm], Table, TableStyle, colors))
    if plan.units:
        story.append(Paragraph(t("责任单位", "Units responsible"), head))
        story += [Paragraph(f"• {u.text(language)}", body) for u in plan.units]
    if plan.checklist:
        story.append(Paragraph(t("检查清单", "Checklist"), head))
        story += [Paragraph(f"□ {item.text(language)}", body) for item in plan.checklist]
    if comparison is not None:
        story.append(Paragraph(t("预演对比（无预案 / 执行预案）",
                                 "Rehearsal: without / with the plan"), head))
        story.append(Paragraph(f"{t('模型', 'model')}: {comparison.plugin}; "
                               f"T = {comparison.event_time:%Y-%m-%d %H:%M} UTC", body))
        story += [Paragraph(f"• {line}", body) for line in comparison.sentences(language)]
        if comparison.not_modelled:
            story.append(Paragraph(t("未在模型中体现的措施：", "Actions not modelled: ")
                                   + ", ".join(comparison.not_modelled), body))
        if comparison.difference is not None and comparison.difference.size:
            image = difference_image(comparison.difference)
            width = 120 * mm
            height = width * image.height / max(image.width, 1)
            png = io.BytesIO()
            image.save(png, format="PNG")
            png.seek(0)
            story += [Spacer(1, 4 * mm), Image(png, width=width, height=height),
                      Paragraph(t("最大水深差（执行预案减无预案）：蓝色为减少，红色为增加。",
                                  "Max depth difference (with minus without): blue lower, "
                                  "red higher."), body)]
    path = Path(path)
    if not path.parent.is_dir():
        raise BriefError(f"folder {path.parent} does not exist", hint="create it first")
    document = SimpleDocTemplate(str(path), pagesize=A4, leftMargin=18 * mm,
                                 rightMargin=18 * mm, topMargin=16 * mm, bottomMargin=16 * mm,
                                 title=f"{plan.name.en} / {plan.name.zh}", author="twin_app")
    document.build(story)
    logger.info("wrote plan brief %s", path)
    return path


def _table(rows: list[list[object]], font: str, widths: list[float], table: type,
           style: type, colors: object) -> object:
    built = table(rows, colWidths=widths, repeatRows=1)
    built.setStyle(style([
        ("FONTNAME", (0, 0), (-1, -1), font), ("FONTSIZE", (0, 0), (-1, -1), 9),
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#dde6ee")),  # type: ignore[attr-defined]
        ("GRID", (0, 0), (-1, -1), 0.4, colors.grey),  # type: ignore[attr-defined]
        ("VALIGN", (0, 0), (-1, -1), "TOP")]))
    return built
