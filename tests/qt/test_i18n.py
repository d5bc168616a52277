"""The interface starts in Chinese on a Chinese system, in English otherwise, unless told."""

import subprocess
import sys

import pytest
from qtpy.QtCore import QSettings

from twin_app.qt.i18n import SETTINGS_KEY, preferred_language

PROBE = "from twin_app.qt.i18n import system_language; print(system_language())"


@pytest.mark.parametrize(("locale", "expected"), [("zh_CN.UTF-8", "zh_CN"),
                                                  ("zh_TW.UTF-8", "zh_CN"),
                                                  ("en_US.UTF-8", "en"), ("C", "en")])
def test_system_locale_decides_the_start_language(locale, expected):
    env = {"LC_ALL": locale, "LANG": locale, "PATH": "/usr/bin:/bin"}
    result = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True,
                            env=env, check=True)
    assert result.stdout.strip() == expected


def test_saved_choice_beats_the_locale_and_an_explicit_request_beats_both(tmp_path):
    settings = QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat)
    settings.setValue(SETTINGS_KEY, "zh_CN")
    assert preferred_language(settings) == "zh_CN"
    assert preferred_language(settings, "en") == "en"
    settings.setValue(SETTINGS_KEY, "klingon")
    assert preferred_language(settings) in ("zh_CN", "en")
