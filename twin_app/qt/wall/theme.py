"""The wall's dark theme: one style sheet, and type sizes that follow the wall's height."""

from __future__ import annotations

from dataclasses import dataclass

from qtpy.QtGui import QFont, QFontMetrics

from twin_app.core.wall_layout import ThemeSpec, type_size_px

CJK_FAMILIES = ('"Microsoft YaHei"', '"PingFang SC"', '"Noto Sans CJK SC"',
                '"WenQuanYi Micro Hei"', '"Source Han Sans SC"', "sans-serif")
"""Chinese first: the families the wall asks for, in order (Qt takes the first it has)."""


@dataclass(frozen=True)
class WallType:
    """Type sizes in pixels for one wall height.

    Attributes
    ----------
    body : int
        Lists, labels, status lines.
    title : int
        Tile titles.
    big : int
        Gauge values and the clock.
    banner : int
        The wall's title.
    small : int
        Secondary lines (units, sources).
    """

    body: int
    title: int
    big: int
    banner: int
    small: int

    @classmethod
    def for_height(cls, height: int, theme: ThemeSpec) -> WallType:
        """Return the sizes for a wall ``height`` pixels high."""
        return cls(body=type_size_px(height, theme), title=type_size_px(height, theme, 0.95),
                   big=type_size_px(height, theme, 2.6), banner=type_size_px(height, theme, 1.7),
                   small=type_size_px(height, theme, 0.75))


def state_colour(theme: ThemeSpec, state: str) -> str:
    """Return the colour of a display state (``normal``, ``warning``, ``alarm``, ...)."""
    return {"normal": theme.normal, "warning": theme.warning, "alarm": theme.alarm,
            "stale": theme.muted, "bad": theme.muted, "no_data": theme.muted}.get(state,
                                                                                  theme.text)


def style_sheet(theme: ThemeSpec, sizes: WallType) -> str:
    """Return the wall's style sheet: dark tiles, light text, big type, no focus frames."""
    families = ", ".join(CJK_FAMILIES)
    return f"""
    QWidget#wallWindow {{ background: {theme.background}; }}
    QWidget {{ color: {theme.text}; font-family: {families}; font-size: {sizes.body}px; }}
    QFrame[wallTile="true"] {{
        background: {theme.tile}; border: 2px solid {theme.border}; border-radius: 6px;
    }}
    QLabel {{ background: transparent; border: none; }}
    QLabel[role="tileTitle"] {{
        color: {theme.accent}; font-size: {sizes.title}px; font-weight: bold;
        padding: 2px 4px;
    }}
    QLabel[role="banner"] {{ font-size: {sizes.banner}px; font-weight: bold; }}
    QLabel[role="big"] {{ font-size: {sizes.big}px; font-weight: bold; }}
    QLabel[role="small"] {{ color: {theme.muted}; font-size: {sizes.small}px; }}
    QLabel[role="muted"] {{ color: {theme.muted}; }}
    QTableWidget {{
        background: {theme.tile}; border: none; gridline-color: {theme.border};
        font-size: {sizes.body}px; selection-background-color: {theme.border};
    }}
    QHeaderView::section {{
        background: {theme.background}; color: {theme.muted}; border: none;
        font-size: {sizes.small}px; padding: 4px;
    }}
    QScrollBar {{ width: 0px; height: 0px; }}
    """


def fit_font_px(text: str, width: int, height: int, largest: int, *, bold: bool = True,
                smallest: int = 8) -> int:
    """Return the largest pixel size up to ``largest`` at which ``text`` fits a box.

    Parameters
    ----------
    text : str
        One line of text.
    width, height : int
        The box in pixels (the line's height is taken as 1.25 times the size).
    largest, smallest : int
        The size range.
    bold : bool
        Whether the text is drawn bold.
    """
    font = QFont()
    font.setFamilies([family.strip('"') for family in CJK_FAMILIES])
    font.setBold(bold)
    font.setPixelSize(max(1, largest))
    advance = QFontMetrics(font).horizontalAdvance(text)
    size = largest
    if advance > width > 0:
        size = int(largest * width / advance)
    if height > 0:
        size = min(size, int(height / 1.25))
    return max(smallest, size)
