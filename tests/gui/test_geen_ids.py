"""Users see names, practices and dates, never the store's numbers (issue 14): the Taken list and its traject
filter, the agenda export and the archive export name a traject by its people."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt

from ontkoppel_desktop.ui.main_window import MainWindow
from ontkoppel_desktop.ui.trajecten.common import ics_label
from tests.gui.conftest import open_main_window

# "traject 2", "(4, Praktijk", "nr. 7", "id 3": how a number of the store shows up in a text.
NUMMER = re.compile(r"\b(traject|verslag|koppeling|aios|opleider|id|nr\.?)\s*#?\d+\b|\(\d+[,)]", re.IGNORECASE)


@pytest.fixture
def window(qtbot: Any, store_path: Path) -> Iterator[MainWindow]:
    w = open_main_window(qtbot, store_path, gebruikersnaam="T. Docent")
    yield w
    w.session.lock()
    w.close()


def test_taken_names_its_trajecten_by_their_people(qtbot: Any, window: MainWindow) -> None:
    window.show_section(window.taken)
    taken = window.taken
    qtbot.waitUntil(lambda: taken.model.rowCount() > 0)
    model = taken.model
    titles = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())]
    assert "Aios" in titles and "Opleider" in titles
    for row in range(model.rowCount()):
        for column in range(model.columnCount()):
            text = model.data(model.index(row, column)) or ""
            assert not text.isdigit() and not NUMMER.search(text), (titles[column], text)
    ids = {r.task.traject_id for r in model.all_rows()}
    assert taken.traject.count() == len(ids) + 1
    for i in range(1, taken.traject.count()):
        text = taken.traject.itemText(i)
        assert not any(ch.isdigit() for ch in text), text
        assert " (bij " in text  # "Kuipers, Lars (bij Thijs Hoekstra)"


def test_the_agenda_names_a_term_by_initials_not_a_number(qtbot: Any, window: MainWindow) -> None:
    window.show_section(window.taken)
    taken = window.taken
    qtbot.waitUntil(lambda: taken.model.rowCount() > 0)
    for rij in taken.model.all_rows():
        label = ics_label(rij)
        assert not any(ch.isdigit() for ch in label), label
        assert re.fullmatch(r"([A-Z]\.)+ bij ([A-Z]\.)+", label), label


def test_the_archive_export_of_a_traject_names_its_people(qtbot: Any, window: MainWindow) -> None:
    from PySide6.QtWidgets import QLabel

    from ontkoppel_desktop.ui.verslagen.archief_export import ArchiefExportDialog

    traject = window.trajecten.detail.traject
    assert traject is not None and traject.id is not None
    dialog = ArchiefExportDialog(window.session, window, traject_id=traject.id)
    texts = [label.text() for label in dialog.findChildren(QLabel)]
    dialog.done(0)
    assert any("(aios)" in t and "(opleider)" in t for t in texts)
    assert not any(NUMMER.search(t) for t in texts), texts


def test_a_fixed_opleider_in_the_event_form_is_named(qtbot: Any, window: MainWindow) -> None:
    """Issue 14: the kennismakingsgesprek opened from 1-op-1 read "Nieuwe opleider: 8"."""
    from ontkoppel_desktop.core.procedure import EventKind

    view = window.trajecten
    window.show_section(view)
    qtbot.waitUntil(lambda: view.detail.traject is not None)
    opleider = next(o for o in window.session.store.personen.opleiders() if o.id is not None)
    dialog = view.detail.open_event(EventKind.KENNISMAKINGSGESPREK, {"opleider_id": opleider.id})
    assert dialog is not None
    try:
        assert f"Nieuwe opleider: {opleider.naam.volledig}" in dialog.vast.text()
        assert not NUMMER.search(dialog.vast.text()) and f": {opleider.id}" not in dialog.vast.text()
    finally:
        dialog.done(0)
