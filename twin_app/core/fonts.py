"""Find a font file with Chinese glyphs (VTK text, PDF reports): VTK and ReportLab need a file.

Qt finds CJK fonts through the platform; VTK needs a file.  The search order is: the
``TWIN_APP_CJK_FONT`` variable, fontconfig's best match for Simplified Chinese, then the usual
locations on Linux, Windows and macOS.
"""

from __future__ import annotations

import functools
import logging
import os
import shutil
import subprocess
from pathlib import Path

logger = logging.getLogger(__name__)

_KNOWN_FONT_FILES = (
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc",
    "C:/Windows/Fonts/msyh.ttc",
    "C:/Windows/Fonts/simhei.ttf",
    "C:/Windows/Fonts/simsun.ttc",
    "/System/Library/Fonts/PingFang.ttc",
    "/System/Library/Fonts/STHeiti Medium.ttc",
    "/Library/Fonts/Arial Unicode.ttf",
)


@functools.cache
def find_cjk_font() -> Path | None:
    """Return a font file that has CJK glyphs, or ``None`` if the system has none.

    Returns
    -------
    Path or None
        The font file; ``None`` means Chinese 3D labels would show as empty boxes, and the
        caller should fall back to English text.
    """
    override = os.environ.get("TWIN_APP_CJK_FONT")
    if override and Path(override).is_file():
        return Path(override)
    fc_match = shutil.which("fc-match")
    if fc_match:
        try:
            result = subprocess.run(
                [fc_match, "-f", "%{file}", ":lang=zh-cn"],
                capture_output=True, text=True, timeout=5, check=False,
            )
        except (OSError, subprocess.SubprocessError) as error:
            logger.debug("fc-match failed: %s", error)
        else:
            candidate = Path(result.stdout.strip())
            if result.returncode == 0 and candidate.is_file() and _looks_cjk(candidate):
                return candidate
    for name in _KNOWN_FONT_FILES:
        if Path(name).is_file():
            return Path(name)
    logger.warning("no CJK font found; 3D labels fall back to English")
    return None


def _looks_cjk(path: Path) -> bool:
    """Tell whether fontconfig's answer is a CJK font rather than its Latin fallback."""
    name = path.name.lower()
    return any(tag in name for tag in ("cjk", "wqy", "hei", "song", "ming", "kai", "yahei",
                                       "msyh", "pingfang", "droidsansfallback", "unifont"))
