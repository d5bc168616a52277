"""Fill unfinished zh_CN entries of the Qt Linguist file from a TOML table of translations.

Usage::

    python tools/fill_translations.py resources/i18n/zh_CN_terms.toml

Run ``make translations`` first (pyside6-lupdate adds new source texts as unfinished); this
script then sets each unfinished message whose source text is in the table, and lists those
still missing.  ``make translations`` again compiles the .qm file.
"""

from __future__ import annotations

import logging
import sys
import tomllib
import xml.etree.ElementTree as ET
from pathlib import Path

TS_FILE = Path(__file__).resolve().parents[1] / "resources" / "i18n" / "twin_app_zh_CN.ts"
logger = logging.getLogger("fill_translations")


def fill(ts_file: Path, table: dict[str, str]) -> list[str]:
    """Translate unfinished messages found in ``table``; return the source texts still missing."""
    tree = ET.parse(ts_file)
    missing = []
    for message in tree.iter("message"):
        source = message.findtext("source") or ""
        translation = message.find("translation")
        if translation is None or translation.get("type") != "unfinished":
            continue
        if source in table:
            translation.text = table[source]
            del translation.attrib["type"]
        else:
            missing.append(source)
    body = ET.tostring(tree.getroot(), encoding="unicode")
    ts_file.write_text(f'<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE TS>\n{body}\n',
                       encoding="utf-8")
    return missing


def main(argv: list[str]) -> int:
    """Fill the .ts file from the TOML table named on the command line."""
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    with Path(argv[1]).open("rb") as stream:
        table = tomllib.load(stream)
    missing = fill(TS_FILE, table)
    for source in missing:
        logger.info("no translation for: %s", source)
    return 1 if missing else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
