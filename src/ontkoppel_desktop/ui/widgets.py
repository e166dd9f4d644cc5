"""Small widgets every screen uses: a date field in Dutch, a combo box that gives back the Python values it
was filled with, a list's search field and its right-click menu."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from PySide6.QtCore import QDate, QPoint, Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QComboBox,
    QCompleter,
    QDateEdit,
    QLineEdit,
    QMenu,
    QWidget,
)

from ontkoppel_desktop.ui.dutch import qdate


def date_edit(value: date | None = None) -> QDateEdit:
    edit = QDateEdit()
    edit.setCalendarPopup(True)
    edit.setDisplayFormat("d MMMM yyyy")
    edit.setDate(qdate(value) if value else QDate.currentDate())
    # The Dutch locale makes the calendar start on Monday.
    edit.calendarWidget().setFirstDayOfWeek(Qt.DayOfWeek.Monday)
    return edit


class ValueCombo(QComboBox):
    """A combo box that gives back the Python values it was filled with.

    Qt stores item data as QVariant, and PySide turns an enum member (Rol, Startreden…) into a plain str on
    the way; the values are therefore also kept here, by index.
    """

    def __init__(self) -> None:
        super().__init__()
        self._values: list[Any] = []

    def add(self, text: str, value: Any) -> None:
        self._values.append(value)
        self.addItem(text, value)

    def currentData(self, role: int = Qt.ItemDataRole.UserRole) -> Any:  # noqa: N802
        index = self.currentIndex()
        if role == Qt.ItemDataRole.UserRole and 0 <= index < len(self._values):
            return self._values[index]
        return super().currentData(role)

    def itemData(self, index: int, role: int = Qt.ItemDataRole.UserRole) -> Any:  # noqa: N802
        if role == Qt.ItemDataRole.UserRole and 0 <= index < len(self._values):
            return self._values[index]
        return super().itemData(index, role)

    def findData(self, value: Any, role: int = Qt.ItemDataRole.UserRole, flags: Any = None) -> int:  # noqa: N802
        for i, v in enumerate(self._values):
            if v == value and type(v) is type(value) or (v is None and value is None):
                return i
        for i, v in enumerate(self._values):
            if v == value:
                return i
        return -1

    def clear(self) -> None:
        self._values = []
        super().clear()


def combo(items: list[tuple[str, Any]], current: Any = None, *, searchable: bool = False) -> ValueCombo:
    box = ValueCombo()
    for text, value in items:
        box.add(text, value)
    index = box.findData(current)
    box.setCurrentIndex(max(index, 0))
    if searchable:
        box.setEditable(True)
        box.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        completer = box.completer()
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
    return box


class SearchField(QLineEdit):
    """A list's search box: `search(text)` follows a short pause in typing, not every key, so filtering stays
    smooth with thousands of rows."""

    search = Signal(str)

    def __init__(self, placeholder: str, accessible_name: str = "") -> None:
        super().__init__()
        self.setPlaceholderText(placeholder)
        self.setClearButtonEnabled(True)
        if accessible_name:
            self.setAccessibleName(accessible_name)
        self._pause = QTimer(self, singleShot=True, interval=120)
        self._pause.timeout.connect(lambda: self.search.emit(self.text()))
        self.textChanged.connect(lambda _: self._pause.start())

    def forget(self) -> None:
        """Empty the field and its undo history, and search for nothing at once (the store locks: a name typed
        here must not stay, and clear() would keep it for Ctrl+Z)."""
        self._pause.stop()
        self.blockSignals(True)
        self.setText("")
        self.blockSignals(False)
        self.search.emit("")


def context_menu(view: QAbstractItemView, fill: Callable[[QMenu], None]) -> None:
    """A list's right-click menu with its actions, filled when it opens (`fill`); also on the menu key and
    Shift+F10, at the chosen row, so the keyboard reaches it too. A right click chooses the row first."""

    def show(pos: QPoint) -> None:
        menu = QMenu(view)
        fill(menu)
        if not menu.isEmpty():
            menu.exec(view.viewport().mapToGlobal(pos))
        menu.deleteLater()

    def by_keyboard() -> None:
        rect = view.visualRect(view.currentIndex())
        show(rect.bottomLeft() if rect.isValid() else QPoint(0, 0))

    view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
    view.customContextMenuRequested.connect(show)
    widget_shortcut(QKeySequence("Shift+F10"), view, by_keyboard)


def widget_shortcut(key: QKeySequence, widget: QWidget, slot: Callable[[], object]) -> QShortcut:
    """A key that works while `widget` has the focus. PySide6 (6.11) ignores the `context` argument of
    QShortcut(key, parent, slot, context): such a shortcut is the whole window's, and two lists with the same
    key make it ambiguous, so that it does nothing. The context is set here after construction."""
    shortcut = QShortcut(key, widget)
    shortcut.setContext(Qt.ShortcutContext.WidgetShortcut)
    shortcut.activated.connect(slot)
    return shortcut


def knop_in_menu(menu: QMenu, button: QAbstractButton, text: str = "") -> None:
    """The button's action in a menu, as enabled as the button (and its menu, if it has one, as a submenu)."""
    text = text or button.text()
    sub = getattr(button, "menu", lambda: None)()
    if isinstance(sub, QMenu):
        sub.setTitle(text)
        menu.addMenu(sub).setEnabled(button.isEnabled())
        return
    action = menu.addAction(text, button.click)
    action.setEnabled(button.isEnabled())
    if button.toolTip():
        action.setStatusTip(button.toolTip())
