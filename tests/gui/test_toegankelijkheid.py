"""Accessibility in Trajecten, Taken and Verslagen (issue 14): every control has a name a screen reader says and is
reached with Tab; the verslag wizard says which fields are required, reads their help and announces a problem;
colour is never the only signal."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAccessible, QColor
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QHeaderView,
    QLineEdit,
    QPlainTextEdit,
    QTextEdit,
    QWidget,
)

from ontkoppel_desktop.core.procedure import EventKind
from ontkoppel_desktop.ui.main_window import MainWindow
from ontkoppel_desktop.ui.table_model import RecordTableModel
from tests.gui.conftest import open_main_window

CONTROLS = (QAbstractButton, QLineEdit, QPlainTextEdit, QTextEdit, QComboBox, QAbstractSpinBox, QAbstractItemView)
# What a coloured cell says in words (the states of steps and terms).
WOORDEN = ("te laat", "vandaag", "binnenkort", "gedaan", "lopend", "anders", "overgeslagen", "nu (nog")


@pytest.fixture
def window(qtbot: Any, store_path: Path) -> Iterator[MainWindow]:
    from ontkoppel_desktop.demo.verslagen import demo_auteur

    w = open_main_window(qtbot, store_path)
    w.session.settings.gebruikersnaam = demo_auteur(w.session.store)
    yield w
    w.session.lock()
    w.close()


def name(widget: QWidget) -> str:
    interface = QAccessible.queryAccessibleInterface(widget)
    return interface.text(QAccessible.Text.Name).strip() if interface is not None else ""


def unnamed(root: QWidget, where: str) -> list[str]:
    """Controls a screen reader cannot name, or Tab does not reach."""
    QApplication.processEvents()
    problems = []
    for widget in root.findChildren(QWidget):
        if not isinstance(widget, CONTROLS) or isinstance(widget, QHeaderView) or not widget.isVisibleTo(root):
            continue
        parent = widget.parentWidget()
        if isinstance(widget, QLineEdit) and isinstance(parent, QComboBox | QAbstractSpinBox):
            continue  # the editor inside a combo box or date field: the box is named
        if parent is not None and parent.inherits("QCalendarWidget"):
            continue
        if not name(widget):
            problems.append(f"{where}: {type(widget).__name__} has no accessible name")
        if not widget.focusPolicy() & Qt.FocusPolicy.TabFocus:
            problems.append(f"{where}: {type(widget).__name__} {name(widget)!r} is not reached with Tab")
    return problems


def test_every_control_is_named_and_reached_with_tab(qtbot: Any, window: MainWindow) -> None:
    problems: list[str] = []
    trajecten = window.trajecten
    detail = trajecten.detail
    for tab in range(detail.tabs.count()):
        detail.tabs.setCurrentIndex(tab)
        problems += unnamed(trajecten, f"Trajecten, tab {detail.tabs.tabText(tab)}")
    window.show_section(window.taken)
    problems += unnamed(window.taken, "Taken")
    window.show_section(window.verslagen)
    problems += unnamed(window.verslagen, "Verslagen")
    window.show_section(trajecten)
    nieuw = trajecten.new_traject()
    assert nieuw is not None
    problems += unnamed(nieuw, "Nieuw traject")
    nieuw.done(0)
    for kind in (None, EventKind.AFWIJKING, EventKind.KOPPELING_BEEINDIGD, EventKind.TRAJECT_GESLOTEN):
        dialog = detail.open_event(kind)
        assert dialog is not None
        problems += unnamed(dialog, f"Gebeurtenis {kind}")
        dialog.done(0)
    from ontkoppel_desktop.ui.trajecten.agenda import AgendaDialog
    from ontkoppel_desktop.ui.verslagen.archief_export import ArchiefExportDialog

    agenda = AgendaDialog(window.session, window)
    agenda.show()
    problems += unnamed(agenda, "Opleidersterugkomdagen")
    agenda.done(0)
    for traject_id in (None, detail.traject.id if detail.traject else None):
        export = ArchiefExportDialog(window.session, window, traject_id=traject_id)
        export.show()
        problems += unnamed(export, "Archiefexport")
        export.done(0)
    detail.berichten.vul_menu()
    next(a for a in detail.berichten.berichten_menu.actions() if a.isEnabled()).trigger()
    bericht = detail.berichten.dialoog
    assert bericht is not None
    problems += unnamed(bericht, "Standaardbericht")
    bericht._bewaard = True
    bericht.close()
    from ontkoppel_desktop.ui.documenten import toon_voorbeeld

    overzicht = detail._overzicht()
    assert overzicht is not None
    preview = toon_voorbeeld(window, overzicht[0], overzicht[1], "Overzicht")
    assert preview is not None
    problems += unnamed(preview, "Voorbeeld")
    problems += [f"Voorbeeld: {name(b)!r} says a sign, not what it does" for b in preview.findChildren(QAbstractButton)
                 if name(b) in ("+", "−", "-")]
    preview.close()
    assert not problems, "\n".join(problems)


def _concept_wizard(window: MainWindow) -> Any:
    from ontkoppel_desktop.ui.verslagen.wizard import start_gesprek

    detail = window.trajecten.detail
    assert detail.traject is not None and detail.traject.id is not None
    wizard = start_gesprek(window, window.session, detail.traject.id, "driehoeksgesprek")
    assert wizard is not None
    return wizard


def test_the_wizard_says_required_help_and_problems(qtbot: Any, window: MainWindow) -> None:
    wizard = _concept_wizard(window)
    try:
        problems: list[str] = []
        verplicht = 0
        for page_id in wizard.pageIds():
            page = wizard.page(page_id)
            problems += unnamed(page, f"wizard, {page.title()}")
            for veld in page.pagina.velden:
                field = page.widgets[veld.id].focus_widget()
                if veld.verplicht and field.accessibleName() == veld.label:
                    problems.append(f"{veld.label}: required, but not said")
                verplicht += veld.verplicht and "(verplicht)" in field.accessibleName()
                if veld.hulp and field.accessibleDescription() != veld.hulp:
                    problems.append(f"{veld.label}: its help is not its description")
        assert verplicht, "the driehoeksgesprek has required fields"
        assert not problems, "\n".join(problems)
        # Tab goes from field to field on a page, in order.
        page = wizard.page(wizard.currentId())
        fields = [page.widgets[v.id].focus_widget() for v in page.pagina.velden]
        wizard.activateWindow()
        qtbot.waitUntil(wizard.isActiveWindow)
        fields[0].setFocus()
        qtbot.waitUntil(fields[0].hasFocus)
        reached = [QApplication.focusWidget()]
        for _ in range(len(fields) * 6):
            qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
            reached.append(QApplication.focusWidget())
        assert all(f in reached for f in fields), [f.accessibleName() for f in fields if f not in reached]
        # A problem is announced and described on its field, which gets the focus.
        alerts: list[Any] = []
        import ontkoppel_desktop.ui.verslagen.wizard as wizard_module

        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(wizard_module.QAccessible, "updateAccessibility", lambda event: alerts.append(event))
            veld = page.pagina.velden[0]
            page.show_error("Vul dit in.", veld.id)
        assert alerts and alerts[0].type() == QAccessible.Event.Alert
        assert fields[0].hasFocus() and fields[0].accessibleDescription().startswith("Vul dit in.")
        page.clear_error()
        assert "Vul dit in." not in fields[0].accessibleDescription()
    finally:
        wizard.close()


def coloured_without_words(model: RecordTableModel[Any], where: str) -> list[str]:
    problems = []
    for row in range(model.rowCount()):
        words = " ".join(str(model.data(model.index(row, c)) or "") for c in range(model.columnCount())).lower()
        for column in range(model.columnCount()):
            if model.data(model.index(row, column), Qt.ItemDataRole.BackgroundRole) is None:
                continue
            cell = str(model.data(model.index(row, column)) or "").lower()
            if cell.isdigit() and model.headerData(column, Qt.Orientation.Horizontal) == "Te laat":
                continue  # a count under the header "Te laat"
            if not any(w in words for w in WOORDEN):
                problems.append(f"{where} row {row}: {model.columns[column].title} {cell!r} is only a colour")
    return problems


def test_colour_is_never_the_only_signal(qtbot: Any, window: MainWindow) -> None:
    problems: list[str] = []
    trajecten = window.trajecten
    problems += coloured_without_words(trajecten.model, "Trajecten")
    for row in range(trajecten.model.rowCount()):
        trajecten.lijst.selectRow(row)
        problems += coloured_without_words(trajecten.detail.tijdlijn.model_, f"Tijdlijn {row}")
    window.show_section(window.taken)
    problems += coloured_without_words(window.taken.model, "Taken")
    window.show_section(window.verslagen)
    verslagen = window.verslagen
    qtbot.waitUntil(lambda: verslagen.model.rowCount() > 0)
    problems += coloured_without_words(verslagen.model, "Verslagen")
    termijn = next(i for i, c in enumerate(verslagen.model.columns) if c.title == "Termijn")
    coloured = [verslagen.model.data(verslagen.model.index(r, termijn)) for r in range(verslagen.model.rowCount())
                if verslagen.model.data(verslagen.model.index(r, termijn), Qt.ItemDataRole.BackgroundRole)]
    assert coloured, "the demo has verslagen with a term near or past"
    assert all(t.endswith(("(te laat)", "(vandaag)", "(binnenkort)")) for t in coloured), coloured
    assert not problems, "\n".join(problems)


def test_past_terugkomdagen_say_so(qtbot: Any, window: MainWindow) -> None:
    import datetime as dt

    from ontkoppel_desktop.ui.trajecten.agenda import AgendaDialog

    service = window.session.store.trajecten
    service.add_agenda(dt.date.today() - dt.timedelta(days=30), "Najaar")
    dialog = AgendaDialog(window.session, window)
    items = [dialog.lijst.item(i) for i in range(dialog.lijst.count())]
    shown = [(item.text(), item.foreground().color() == QColor(Qt.GlobalColor.gray)) for item in items]
    dialog.done(0)
    assert any(t.endswith("Najaar (voorbij)") for t, _ in shown), shown
    assert all(t.endswith("(voorbij)") == grey for t, grey in shown), "grey and the word go together"
