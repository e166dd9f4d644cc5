"""Habits users bring from Outlook and Excel (issue 14), in Trajecten, Taken and Verslagen: a right click (or Shift+F10)
gives a list's actions; Taken goes to Excel; every export ends with Openen and Toon in map; file dialogs open
where the user last saved that kind of file; a traject's overzicht is printed."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pypdfium2
import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QContextMenuEvent
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import QAbstractItemView, QApplication, QFileDialog, QMenu

from ontkoppel_desktop import paths
from ontkoppel_desktop.ui import voorbeeld
from ontkoppel_desktop.ui.main_window import MainWindow
from ontkoppel_desktop.ui.trajecten.event_form import EventDialog
from ontkoppel_desktop.ui.verslagen.archief_export import ArchiefExportDialog
from tests.gui.conftest import Messages, open_main_window


@pytest.fixture
def window(qtbot: Any, store_path: Path) -> Iterator[MainWindow]:
    w = open_main_window(qtbot, store_path, gebruikersnaam="T. Docent")
    yield w
    w.session.lock()
    w.close()


@pytest.fixture
def opslaan(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> list[tuple[str, str]]:
    """The save dialog answers a file in the folder `tmp_path/<n>` (n counts up), after recording where it
    opened; the test sets the next folder by appending to `naar`."""
    asked: list[tuple[str, str]] = []

    def save(parent: Any, title: str, start: str, filter_: str, *args: Any) -> tuple[str, str]:
        asked.append((title, start))
        folder = tmp_path / f"map{len(asked)}"
        folder.mkdir(exist_ok=True)
        return str(folder / Path(start).name), filter_

    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(save))
    return asked


@pytest.fixture
def printer_pdf(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """The print dialog chooses a PDF printer writing here (Qt's own, so the pages are what a printer gets)."""
    target = tmp_path / "afgedrukt.pdf"

    def choose(parent: Any, printer: QPrinter, pages: int) -> bool:
        assert printer.docName() and pages >= 1
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(str(target))
        return True

    monkeypatch.setattr(voorbeeld, "kies_printer", choose)
    return target


def _choose_in_menu(qtbot: Any, text: str, seen: list[list[str]]) -> None:
    """Once the context menu is open: record its entries and click the one whose text starts with `text`."""

    def look() -> None:
        menu = QApplication.activePopupWidget()
        if not isinstance(menu, QMenu):
            QTimer.singleShot(10, look)
            return
        entries = [a.text().replace("&", "") for a in menu.actions() if not a.isSeparator()]
        seen.append(entries)
        action = next(a for a in menu.actions() if a.text().replace("&", "").startswith(text))
        assert action.isEnabled(), text
        qtbot.mouseClick(menu, Qt.MouseButton.LeftButton, pos=menu.actionGeometry(action).center())

    QTimer.singleShot(0, look)


def right_click(qtbot: Any, view: QAbstractItemView, row: int, text: str) -> list[str]:
    """A right click on a row, as the platform delivers it (press, then the context menu event), and `text` chosen
    from the menu; the menu's entries."""
    seen: list[list[str]] = []
    pos = view.visualRect(view.model().index(row, 0)).center()
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.RightButton, pos=pos)
    _choose_in_menu(qtbot, text, seen)
    QApplication.sendEvent(view.viewport(), QContextMenuEvent(QContextMenuEvent.Reason.Mouse, pos,
                                                              view.viewport().mapToGlobal(pos)))
    assert seen, "a menu opened"
    return seen[0]


def _focus(qtbot: Any, widget: Any) -> None:
    """Keyboard focus as a user has it: the window active, the widget focused (shortcuts go by focus)."""
    widget.window().activateWindow()
    qtbot.waitUntil(lambda: widget.window().isActiveWindow())
    widget.setFocus()
    qtbot.waitUntil(widget.hasFocus)


def shift_f10(qtbot: Any, view: QAbstractItemView, text: str) -> list[str]:
    seen: list[list[str]] = []
    _focus(qtbot, view)
    _choose_in_menu(qtbot, text, seen)
    qtbot.keyClick(view, Qt.Key.Key_F10, Qt.KeyboardModifier.ShiftModifier)
    assert seen, "Shift+F10 opened the menu"
    return seen[0]


def _pages(path: Path) -> int:
    pdf = pypdfium2.PdfDocument(str(path))
    try:
        return len(pdf)
    finally:
        pdf.close()


def _inked(path: Path) -> bool:
    """The first page has print on it (not a blank sheet)."""
    pdf = pypdfium2.PdfDocument(str(path))
    try:
        image = voorbeeld.pagina_beeld(pdf[0], 0.5)
    finally:
        pdf.close()
    return any(image.pixelColor(x, y).lightness() < 100
               for y in range(0, image.height(), 3) for x in range(0, image.width(), 3))


def test_right_click_on_a_traject_prints_its_overzicht(qtbot: Any, window: MainWindow, printer_pdf: Path) -> None:
    from ontkoppel_desktop.documents.pdf import render_pdf

    view = window.trajecten
    assert view.model.rowCount() > 1
    entries = right_click(qtbot, view.lijst, 1, "Overzicht afdrukken")
    assert view.current_id() == view.model.row_at(1).id, "the right click chose the row"
    assert entries[:2] == ["Overzicht afdrukken…", "Documenten"] and "Nieuw traject…" in entries
    assert "Berichten" in entries and "Traject sluiten…" in entries
    overzicht = view.detail._overzicht()
    assert overzicht is not None
    expected = pypdfium2.PdfDocument(render_pdf(overzicht[0]()))
    assert printer_pdf.exists() and _pages(printer_pdf) == len(expected) and _inked(printer_pdf)
    expected.close()


def test_the_preview_prints_what_it_shows(qtbot: Any, window: MainWindow, printer_pdf: Path) -> None:
    from ontkoppel_desktop.ui.documenten import toon_voorbeeld

    overzicht = window.trajecten.detail._overzicht()
    assert overzicht is not None
    dialog = toon_voorbeeld(window, overzicht[0], overzicht[1], "Overzicht")
    assert isinstance(dialog, voorbeeld.VoorbeeldDialog)
    qtbot.mouseClick(dialog.afdrukken_knop, Qt.MouseButton.LeftButton)
    assert _pages(printer_pdf) == len(dialog.paginas) and _inked(printer_pdf)
    printer_pdf.unlink()
    _focus(qtbot, dialog.vlak)
    qtbot.keyClick(dialog.vlak, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)
    assert printer_pdf.exists()
    dialog.close()


def test_the_tijdlijn_and_history_menus_do_what_their_buttons_do(qtbot: Any, window: MainWindow) -> None:
    detail = window.trajecten.detail
    tijdlijn = detail.tijdlijn
    row = next(i for i in range(tijdlijn.model_.rowCount()) if not tijdlijn.model_.row_at(i).state.is_finished
               and tijdlijn.model_.row_at(i).step.id not in detail.formulieren()
               and not tijdlijn.model_.row_at(i).step.id.startswith(("verslag", "archiveren")))
    tijdlijn.selectRow(row)
    entries = shift_f10(qtbot, tijdlijn, "Afwijking")
    assert entries == ["Stap vastleggen…", "Afwijking…", "Andere gebeurtenis…"]
    dialog = next(w for w in QApplication.topLevelWidgets() if isinstance(w, EventDialog) and w.isVisible())
    assert dialog.windowTitle().startswith("Afwijking: ")
    dialog.done(0)
    detail.tabs.setCurrentIndex(2)
    detail.geschiedenis.setCurrentRow(0)
    entries = right_click(qtbot, detail.geschiedenis, 0, "Corrigeren")
    assert entries == ["Corrigeren…", "Intrekken…", "Verslag schrijven…"]
    dialog = next(w for w in QApplication.topLevelWidgets() if isinstance(w, EventDialog) and w.isVisible())
    assert dialog.windowTitle().startswith("Corrigeren: ")
    dialog.done(0)


def test_taken_to_excel_from_its_menu_with_openen_after(qtbot: Any, window: MainWindow, messages: Messages,
                                                       opslaan: list[tuple[str, str]], geopend: list[str]) -> None:
    import openpyxl

    window.show_section(window.taken)
    taken = window.taken
    qtbot.waitUntil(lambda: taken.model.rowCount() > 0)
    everyone = taken.model.rowCount()
    first = taken.model.row_at(0)
    right_click(qtbot, taken.table, 0, "Alleen de taken van dit traject")
    assert taken.traject.currentData() == first.task.traject_id
    shown = taken.model.visible_rows()
    assert 0 < len(shown) < everyone
    messages.keuze = 0  # Openen
    entries = shift_f10(qtbot, taken.table, "Naar Excel")
    assert entries[:2] == ["Openen: traject en stap", "Taken van alle trajecten"]
    (title, start), = opslaan
    assert start == str(paths.documents_dir() / f"{dt.date.today().isoformat()} Taken en termijnen.xlsx")
    written = Path(geopend[0].removeprefix("open "))
    assert written.suffix == ".xlsx" and written.exists()
    assert messages.shown[-1][0] == "Geëxporteerd" and str(written) in messages.shown[-1][1]
    sheet = openpyxl.load_workbook(written)["Taken"]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("Status", "Dagen", "Termijn")
    assert len(rows) == len(shown) + 1
    aios = {r[8] for r in rows[1:]}
    assert aios == {first.aios_naam.sorteernaam}
    due = [r.task.due for r in shown]
    assert [r[2].date() if r[2] is not None else None for r in rows[1:]] == due, "terms as dates, in the list's order"
    # The next Taken export opens where this one went; a document still in Documenten (its own purpose).
    messages.keuze = None
    messages.answer = messages.answer.Cancel
    taken.export_ics()
    assert opslaan[-1][1] == str(written.parent / "termijnen.ics")


def test_documents_and_berichten_remember_their_own_folder(qtbot: Any, window: MainWindow, messages: Messages,
                                                           opslaan: list[tuple[str, str]],
                                                           geopend: list[str]) -> None:
    from ontkoppel_desktop.ui.documenten import opslaan_als

    detail = window.trajecten.detail
    overzicht = detail._overzicht()
    assert overzicht is not None
    messages.keuze = 1  # Toon in map
    detail.documenten_menu.aboutToShow.emit()
    pdf = next(a for a in detail.documenten_menu.actions() if a.text().endswith("— als PDF…"))
    pdf.trigger()
    first = Path(geopend[-1].removeprefix("map "))
    assert first.suffix == ".pdf" and first.exists() and opslaan[-1][1].startswith(str(paths.documents_dir()))
    title, text = messages.shown[-1]
    assert title == "Opgeslagen" and "onversleuteld" in text
    opslaan_als(window, overzicht[0], "tweede", ".docx", "Overzicht", klaar=True)
    assert opslaan[-1][1] == str(first.parent / "tweede.docx"), "the folder of the last document"
    # A bericht's e-mail concept has a folder of its own: the first time Documenten.
    sjablonen = detail.berichten
    sjablonen.vul_menu()
    action = next(a for a in sjablonen.berichten_menu.actions() if a.isEnabled() and a.text().endswith("…"))
    action.trigger()
    bericht = sjablonen.dialoog
    assert bericht is not None
    messages.keuze = 0
    eml = bericht.opslaan_als_eml()
    assert eml is not None and opslaan[-1][1].startswith(str(paths.documents_dir()))
    assert geopend[-1] == f"open {eml}"
    bericht._bewaard = True
    bericht.close()


def test_the_verslagen_list_offers_the_archive_export(qtbot: Any, window: MainWindow) -> None:
    window.show_section(window.verslagen)
    view = window.verslagen
    qtbot.waitUntil(lambda: view.model.rowCount() > 0)
    entries = right_click(qtbot, view.table, 0, "Archiefexport")
    assert entries == ["Openen", "Naar traject", "Archiefexport…"]
    dialog = next(w for w in QApplication.topLevelWidgets() if isinstance(w, ArchiefExportDialog) and w.isVisible())
    dialog.reject()


def test_the_archive_export_ends_with_openen_and_toon_in_map(qtbot: Any, window: MainWindow, messages: Messages,
                                                             geopend: list[str], tmp_path: Path,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    from ontkoppel_desktop.ui.verslagen.archief_export import ArchiefExportDialog

    folder = tmp_path / "archief"
    folder.mkdir()
    starts: list[str] = []
    monkeypatch.setattr(QFileDialog, "getExistingDirectory",
                        staticmethod(lambda parent, title, start, *a: starts.append(start) or str(folder)))
    dialog = ArchiefExportDialog(window.session, window)
    dialog.van.setDate(dialog.van.date().addYears(-2))
    dialog.tel()
    if not dialog.exporteren.isEnabled() and not dialog._keuze:
        pytest.fail("the demo store has definitieve verslagen")
    qtbot.mouseClick(dialog.kiezen, Qt.MouseButton.LeftButton)
    assert starts == [str(paths.documents_dir())]
    messages.keuze = 1
    qtbot.mouseClick(dialog.exporteren, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: geopend == [f"map {folder}"], timeout=20_000)
    assert messages.shown[-1][0] == "Archiefexport" and "geschreven" in messages.shown[-1][1]
    dialog.reject()
    again = ArchiefExportDialog(window.session, window)
    qtbot.mouseClick(again.kiezen, Qt.MouseButton.LeftButton)
    assert starts[-1] == str(folder), "the archive's folder is remembered"
    again.reject()

