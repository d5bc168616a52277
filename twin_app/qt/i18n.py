"""Interface language: Qt Linguist translations from ``resources/i18n``.

The language is the one saved in the settings, else Chinese when the system locale is Chinese,
else English.  Switching installs the other translator; Qt then sends ``LanguageChange`` to every
widget, and each re-reads its texts in ``retranslate()``.
"""

from __future__ import annotations

import logging

from qtpy.QtCore import QCoreApplication, QLocale, QSettings, QTranslator

from twin_app.core.paths import resources_dir

logger = logging.getLogger(__name__)

LANGUAGES = ("zh_CN", "en")
SETTINGS_KEY = "ui/language"


def system_language() -> str:
    """Return ``"zh_CN"`` when the system locale is Chinese, else ``"en"``."""
    locale = QLocale.system()
    return "zh_CN" if locale.language() == QLocale.Language.Chinese else "en"


def preferred_language(settings: QSettings, requested: str | None = None) -> str:
    """Return the language to start in: requested, saved, else the system's."""
    if requested in LANGUAGES:
        return requested
    saved = settings.value(SETTINGS_KEY, "", type=str)
    return saved if saved in LANGUAGES else system_language()


class LanguageSwitcher:
    """Installs and swaps the app's translator."""

    def __init__(self) -> None:
        self._translator: QTranslator | None = None
        self.language = "en"

    def apply(self, language: str) -> bool:
        """Switch to ``language``; return whether its translation was found (English always is)."""
        app = QCoreApplication.instance()
        if self._translator is not None:
            app.removeTranslator(self._translator)
            self._translator = None
        self.language = language
        if language == "en":
            return True
        translator = QTranslator(app)
        qm = resources_dir() / "i18n" / f"twin_app_{language}.qm"
        if not translator.load(str(qm)):
            logger.warning("translation %s not found; the interface stays in English", qm)
            return False
        app.installTranslator(translator)
        self._translator = translator
        return True
