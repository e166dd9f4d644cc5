"""No column narrower than its header at 1366×768 (issue 14), in every table and tree of the main window: each
section of the navigation is visited, and in it every tab (Personen's seven, the traject's detail, the
Koppelplanner's board and 1-op-1), and every visible view is measured. A column hidden on purpose is skipped."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QFontMetrics
from PySide6.QtWidgets import QApplication, QHeaderView, QStyle, QTableView, QTabWidget, QTreeView, QWidget

from ontkoppel_desktop.ui.main_window import MainWindow
from tests.gui.test_schermbreedte import demo_path, open_demo

__all__ = ["demo_path"]  # the module's demo store, a fixture


def _header(view: QTableView | QTreeView) -> QHeaderView:
    return view.horizontalHeader() if isinstance(view, QTableView) else view.header()


def too_narrow(view: QTableView | QTreeView, name: str) -> list[str]:
    """Shown columns narrower than their header text (bold, as a highlighted header draws it) and its margins."""
    header = _header(view)
    if header.isHidden():
        return []
    font = QFont(header.font())
    font.setBold(True)
    metrics = QFontMetrics(font)
    margin = view.style().pixelMetric(QStyle.PixelMetric.PM_HeaderMargin, None, header)
    model = view.model()
    problems = []
    for column in range(model.columnCount()):
        if header.isSectionHidden(column):
            continue
        title = str(model.headerData(column, Qt.Orientation.Horizontal) or "")
        if not title:
            continue
        needed = metrics.horizontalAdvance(title) + 2 * margin
        if header.sectionSize(column) < needed:
            problems.append(f"{name} › {title}: {header.sectionSize(column)} < {needed}")
    return problems


def _views(root: QWidget) -> Iterator[QTableView | QTreeView]:
    for view in root.findChildren(QTableView) + root.findChildren(QTreeView):
        if view.isVisible() and view.model() is not None and view.model().columnCount() > 0:
            yield view


def _visit(window: MainWindow, root: QWidget, where: str, seen: dict[int, str], problems: list[str]) -> None:
    """Measure what is shown, then every tab of every tab widget in view, one level down at a time."""
    QApplication.processEvents()
    for view in _views(root):
        name = f"{where} › {view.accessibleName() or view.objectName() or type(view).__name__}"
        seen.setdefault(id(view), name)
        problems += too_narrow(view, name)
    for tabs in root.findChildren(QTabWidget):
        if not tabs.isVisible() or tabs.property("_bezocht"):
            continue
        tabs.setProperty("_bezocht", True)
        for i in range(tabs.count()):
            tabs.setCurrentIndex(i)
            _visit(window, tabs.widget(i), f"{where} › {tabs.tabText(i).replace('&', '')}", seen, problems)
        tabs.setCurrentIndex(0)


def test_no_column_narrower_than_its_header_at_1366(qtbot: Any, demo_path: Path) -> None:
    window = open_demo(qtbot, demo_path, 1366, 768)
    try:
        trajecten = window.trajecten
        qtbot.waitUntil(lambda: trajecten.model.rowCount() > 0)
        trajecten.lijst.selectRow(0)
        problems: list[str] = []
        seen: dict[int, str] = {}
        sections = []
        for row in range(window.nav.count()):
            window.nav.setCurrentRow(row)
            section = window.sections.currentWidget()
            sections.append(window.nav.item(row).text())
            _visit(window, section, window.nav.item(row).text(), seen, problems)
        assert {"Trajecten", "Taken & termijnen", "Verslagen", "Koppelplanner", "Personen"} <= set(sections), sections
        personen = window.personen
        assert len(personen.kind_tabs) == personen.tabs.count(), "every Personen tab was shown"
        assert len(seen) >= 12, sorted(seen.values())
        assert not problems, "\n".join(problems)
    finally:
        window.session.lock()
        window.close()
