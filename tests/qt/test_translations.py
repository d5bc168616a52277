"""The Chinese translation covers every interface string, and the compiled file is current."""

import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
TS = REPO / "resources" / "i18n" / "twin_app_zh_CN.ts"
QM = TS.with_suffix(".qm")
BIN = Path(sys.executable).parent


def _tool(name: str) -> str:
    path = shutil.which(name, path=str(BIN))
    assert path, f"{name} ships with PySide6"
    return path


def _messages(ts: Path) -> dict[tuple[str, str], ET.Element]:
    found = {}
    for context in ET.parse(ts).getroot().iter("context"):
        name = context.findtext("name")
        for message in context.iter("message"):
            found[(name, message.findtext("source"))] = message.find("translation")
    return found


def test_every_interface_string_has_a_finished_chinese_translation(tmp_path):
    fresh = tmp_path / "fresh.ts"
    sources = sorted(str(p) for p in (REPO / "twin_app" / "qt").rglob("*.py"))
    subprocess.run([_tool("pyside6-lupdate"), *sources, "-ts", str(fresh)], check=True,
                   capture_output=True)
    in_code = _messages(fresh)
    committed = _messages(TS)
    assert len(in_code) > 30
    untranslated = [
        key for key in in_code
        if key not in committed or committed[key].get("type") in ("unfinished", "vanished")
        or not (committed[key].text or "").strip()
    ]
    assert untranslated == [], "run `make translations` and translate these in Qt Linguist"


def test_compiled_translation_matches_its_source(tmp_path):
    compiled = tmp_path / "out.qm"
    subprocess.run([_tool("pyside6-lrelease"), str(TS), "-qm", str(compiled)], check=True,
                   capture_output=True)
    assert compiled.read_bytes() == QM.read_bytes(), "run `make translations`"


def test_no_translated_text_hides_inside_an_f_string():
    """lupdate cannot see ``tr()`` inside an f-string, so such text would never be translated."""
    pattern = re.compile(r"""f(["']).*\{[^}]*\btr\(""")
    offenders = [
        f"{path.name}:{number}"
        for path in sorted((REPO / "twin_app").rglob("*.py"))
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if pattern.search(line)
    ]
    assert offenders == []
