"""Trajecten, Taken and Verslagen fit the common screens (issue 14): at 1366×768 (the common laptop), at 1920×1080 and
at 1280×720 (what 150 % scaling leaves of a 1920×1080 screen; Qt lays out in those logical pixels), every column
is in view, no header is narrower than its text and no cell's text is cut off, on the demo store."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QFont, QFontMetrics
from PySide6.QtWidgets import QApplication, QStyle, QTableView

from ontkoppel_desktop.settings import Settings
from ontkoppel_desktop.store.keys import KdfParams
from ontkoppel_desktop.store.store import Store
from ontkoppel_desktop.ui.main_window import MainWindow
from ontkoppel_desktop.ui.table_model import RecordTableModel

SIZES = [(1366, 768), (1920, 1080), (1280, 720)]


@pytest.fixture(scope="module")
def demo_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from ontkoppel_desktop.demo.opslag import DEMO_WACHTWOORD, create_demo_store

    path = tmp_path_factory.mktemp("demo") / "demo.okdb"
    create_demo_store(path, date.today(), KdfParams(1, 8 * 1024)).close()
    assert DEMO_WACHTWOORD
    return path


def open_demo(qtbot: Any, demo_path: Path, width: int, height: int) -> MainWindow:
    from ontkoppel_desktop.demo.opslag import DEMO_WACHTWOORD
    from ontkoppel_desktop.ui.app import create_application
    from ontkoppel_desktop.ui.session import InstanceLock, Session

    create_application()
    lock = InstanceLock(demo_path)
    lock.acquire()
    window = MainWindow(Session(Store.open(demo_path, DEMO_WACHTWOORD), lock, Settings.load()))
    qtbot.addWidget(window)
    window.resize(width, height)
    window.show()
    qtbot.waitExposed(window)
    return window


@pytest.fixture
def closing() -> Iterator[list[MainWindow]]:
    windows: list[MainWindow] = []
    yield windows
    for w in windows:
        w.session.lock()
        w.close()


def header_too_narrow(table: QTableView) -> list[str]:
    """Columns whose header section is narrower than its text (bold, as Qt draws a highlighted header, with the
    header's margins)."""
    header = table.horizontalHeader()
    font = QFont(header.font())
    font.setBold(True)
    metrics = QFontMetrics(font)
    margin = table.style().pixelMetric(QStyle.PixelMetric.PM_HeaderMargin, None, header)
    model = table.model()
    problems = []
    for column in range(model.columnCount()):
        if table.isColumnHidden(column):
            continue
        title = str(model.headerData(column, Qt.Orientation.Horizontal))
        needed = metrics.horizontalAdvance(title) + 2 * margin
        if header.sectionSize(column) < needed:
            problems.append(f"{title}: {header.sectionSize(column)} < {needed}")
    return problems


def cut_cells(table: QTableView) -> list[str]:
    """Cells whose text does not fit their cell (wrapped at word boundaries where the table wraps), except the
    columns meant to be cut (`elide`: the whole text is in the tooltip or beside the table)."""
    model = table.model()
    assert isinstance(model, RecordTableModel)
    margin = 2 * (table.style().pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin, None, table) + 1) + 1
    flags = Qt.TextFlag.TextWordWrap if table.wordWrap() else Qt.TextFlag.TextSingleLine
    problems = []
    for column, spec in enumerate(model.columns):
        if table.isColumnHidden(column) or spec.elide:
            continue
        width = table.columnWidth(column) - margin
        for row in range(min(model.rowCount(), 200)):
            text = model.data(model.index(row, column))
            if not text:
                continue
            font = model.data(model.index(row, column), Qt.ItemDataRole.FontRole) or table.font()
            box = QFontMetrics(font).boundingRect(QRect(0, 0, width, 10_000), int(flags), text)
            if box.width() > width or box.height() > table.rowHeight(row) - 1:
                problems.append(f"{spec.title} {row}: {text!r} needs {box.width()}×{box.height()}, has "
                                f"{width}×{table.rowHeight(row) - 1}")
    return problems


def all_in_view(table: QTableView) -> list[str]:
    """Nothing off to the right: the shown columns fit the viewport."""
    model = table.model()
    shown = [c for c in range(model.columnCount()) if not table.isColumnHidden(c)]
    used = sum(table.columnWidth(c) for c in shown)
    return [] if used <= table.viewport().width() else [f"columns take {used}, the view is "
                                                        f"{table.viewport().width()}"]


def check(table: QTableView, name: str) -> list[str]:
    QApplication.processEvents()
    assert table.isVisible(), name
    assert table.model().rowCount() > 0, f"{name}: the demo fills it"
    return [f"{name}: {p}" for p in header_too_narrow(table) + all_in_view(table) + cut_cells(table)]


@pytest.mark.parametrize(("width", "height"), SIZES)
def test_every_column_in_view_and_nothing_cut(qtbot: Any, demo_path: Path, closing: list[MainWindow],
                                              width: int, height: int) -> None:
    window = open_demo(qtbot, demo_path, width, height)
    closing.append(window)
    assert window.width() == width and window.height() == height, "the window fits the screen"
    problems: list[str] = []
    view = window.trajecten
    detail = view.detail
    problems += check(view.lijst, "Trajecten")
    for row in range(view.model.rowCount()):  # every traject's tijdlijn: the step names and roles differ
        view.lijst.selectRow(row)
        problems += check(detail.tijdlijn, f"Tijdlijn {row}")
    detail.tabs.setCurrentIndex(1)
    for rol in range(detail.rol.count()):
        detail.rol.setCurrentRow(rol)
        if detail.stappenplan.model().rowCount():
            problems += check(detail.stappenplan, f"Stappenplan {rol}")
    detail.tabs.setCurrentWidget(detail.verslagen)
    for row in range(view.model.rowCount()):
        view.lijst.selectRow(row)
        if detail.verslagen.model.rowCount():
            problems += check(detail.verslagen.table, f"Verslagen van traject {row}")
    window.show_section(window.taken)
    problems += check(window.taken.table, "Taken")
    window.show_section(window.verslagen)
    problems += check(window.verslagen.table, "Verslagen")
    window.verslagen.zoek.setText("supervisie")
    window.verslagen.run_search()
    problems += check(window.verslagen.table, "Verslagen, zoekend")
    assert window.width() == width and window.height() == height, "no screen made the window grow"
    assert not problems, "\n".join(problems)


def test_the_tijdlijn_of_another_traject_starts_at_the_top(qtbot: Any, demo_path: Path,
                                                           closing: list[MainWindow]) -> None:
    window = open_demo(qtbot, demo_path, 1366, 768)
    closing.append(window)
    view = window.trajecten
    tijdlijn = view.detail.tijdlijn
    view.lijst.selectRow(0)
    bar = tijdlijn.verticalScrollBar()
    qtbot.waitUntil(lambda: bar.maximum() > 0)  # the demo's first traject has more steps than fit
    tijdlijn.selectRow(tijdlijn.model().rowCount() - 1)
    qtbot.waitUntil(lambda: bar.value() > 0)
    view.lijst.selectRow(1)
    QApplication.processEvents()
    assert bar.value() == 0
    assert tijdlijn.current_status() is None
    # The same traject again (a change recorded elsewhere) keeps its place and the step chosen.
    tijdlijn.selectRow(tijdlijn.model().rowCount() - 1)
    chosen = tijdlijn.current_status()
    assert chosen is not None
    qtbot.waitUntil(lambda: bar.value() > 0)
    view.detail.show_traject(window.session.store.trajecten.get(view.current_id()))
    QApplication.processEvents()
    assert tijdlijn.current_status() is not None and tijdlijn.current_status().key == chosen.key
    assert bar.value() > 0
