"""Dutch throughout: Qt's own translations for standard buttons, the nl_NL locale for dates and a
collator for names (STYLE 7)."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QCollator, QDate, QLibraryInfo, QLocale, Qt, QTranslator
from PySide6.QtWidgets import QApplication

LOCALE = QLocale(QLocale.Language.Dutch, QLocale.Country.Netherlands)
_translators: list[QTranslator] = []


def install(app: QApplication) -> None:
    QLocale.setDefault(LOCALE)
    if _translators:
        return
    folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    for name in ("qtbase", "qt"):
        translator = QTranslator(app)
        if translator.load(LOCALE, name, "_", folder):
            app.installTranslator(translator)
            _translators.append(translator)
    # The words of the file dialog that Qt's nl translation misses; installed last, so asked first.
    from ontkoppel_desktop.ui.bestandsdialoog import install_woorden

    install_woorden()


def collator() -> QCollator:
    c = QCollator(LOCALE)
    c.setNumericMode(True)
    c.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
    return c


def qdate(value: date) -> QDate:
    return QDate(value.year, value.month, value.day)


def pydate(value: QDate) -> date:
    return date(value.year(), value.month(), value.day())


def datum(value: date | None) -> str:
    """"23 november 2026"."""
    return LOCALE.toString(qdate(value), "d MMMM yyyy") if value else ""


def datum_kort(value: date | None) -> str:
    return LOCALE.toString(qdate(value), "dd-MM-yyyy") if value else ""
