"""Small widgets every screen uses: a date field in Dutch, and a combo box that gives back the Python values it
was filled with."""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtCore import QDate, Qt, QTimer, Signal
from PySide6.QtWidgets import QComboBox, QCompleter, QDateEdit, QLineEdit

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
