"""A table model for lists that grow (STYLE 3): rows held in Python, searched and sorted in one pass.

Searching compares against one folded string per row, made when the rows are loaded; sorting uses
QCollator sort keys, made once per column when that column is first sorted. Both stay within a few
milliseconds for ten thousand rows, so there is no proxy model calling back into Python per comparison.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, Generic, TypeVar

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor

from ontkoppel_desktop.core.personen import zoek_normaal
from ontkoppel_desktop.ui.dutch import collator, datum_kort

R = TypeVar("R")
Index = QModelIndex | QPersistentModelIndex

ID_ROLE = Qt.ItemDataRole.UserRole + 1


@dataclass(frozen=True)
class Column(Generic[R]):
    title: str
    value: Callable[[R], Any]
    width: int = 0
    tooltip: Callable[[R], str] | None = None


def display(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "ja" if value else "nee"
    if isinstance(value, date):
        return datum_kort(value)
    return str(value)


class RecordTableModel(QAbstractTableModel, Generic[R]):
    def __init__(self, columns: Sequence[Column[R]], id_of: Callable[[R], int | None]) -> None:
        super().__init__()
        self.columns = list(columns)
        self._id_of = id_of
        self._all: list[R] = []
        self._haystack: list[str] = []
        self._visible: list[int] = []
        self._needle = ""
        self._sort: tuple[int, Qt.SortOrder] = (0, Qt.SortOrder.AscendingOrder)
        self._sort_keys: dict[int, list[Any]] = {}
        self._archived: Callable[[R], bool] = lambda r: bool(getattr(r, "gearchiveerd", False))
        self._collator = collator()

    # ---- loading, searching, sorting -----------------------------------------------------------------

    def set_rows(self, rows: Sequence[R], search_text: Callable[[R], str]) -> None:
        self.beginResetModel()
        self._all = list(rows)
        self._haystack = [zoek_normaal(search_text(r)) for r in self._all]
        self._sort_keys = {}
        self._visible = self._compute_visible()
        self.endResetModel()

    def clear(self) -> None:
        self.set_rows([], lambda r: "")

    def set_search(self, text: str) -> None:
        needle = zoek_normaal(text)
        if needle == self._needle:
            return
        self.beginResetModel()
        self._needle = needle
        self._visible = self._compute_visible()
        self.endResetModel()

    def _compute_visible(self) -> list[int]:
        words = self._needle.split()
        hay = self._haystack
        visible = [i for i in range(len(self._all)) if all(w in hay[i] for w in words)] if words else list(
            range(len(self._all))
        )
        column, order = self._sort
        keys = self._keys_for(column)
        visible.sort(key=keys.__getitem__, reverse=order == Qt.SortOrder.DescendingOrder)
        return visible

    def _keys_for(self, column: int) -> list[Any]:
        keys = self._sort_keys.get(column)
        if keys is None:
            value = self.columns[column].value
            raw = [value(r) for r in self._all]
            if all(v is None or isinstance(v, int | float | date) for v in raw):
                keys = [(v is None, v if v is not None else 0) for v in raw]
            else:
                sort_key = self._collator.sortKey
                keys = [sort_key(display(v)) for v in raw]
            self._sort_keys[column] = keys
        return keys

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not 0 <= column < len(self.columns):
            return
        self.layoutAboutToBeChanged.emit()
        self._sort = (column, order)
        self._visible = self._compute_visible()
        self.layoutChanged.emit()

    # ---- access --------------------------------------------------------------------------------------

    def row_at(self, row: int) -> R:
        return self._all[self._visible[row]]

    def row_of_id(self, obj_id: int) -> int | None:
        for row, i in enumerate(self._visible):
            if self._id_of(self._all[i]) == obj_id:
                return row
        return None

    @property
    def total(self) -> int:
        return len(self._all)

    # ---- Qt model API --------------------------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self._visible)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self.columns)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        record = self._all[self._visible[index.row()]]
        column = self.columns[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return display(column.value(record))
        if role == ID_ROLE:
            return self._id_of(record)
        if role == Qt.ItemDataRole.ToolTipRole and column.tooltip is not None:
            return column.tooltip(record)
        if role == Qt.ItemDataRole.ForegroundRole and self._archived(record):
            return QBrush(QColor("#777777"))
        if role == Qt.ItemDataRole.FontRole and self._archived(record):
            from PySide6.QtGui import QFont

            font = QFont()
            font.setItalic(True)
            return font
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:  # noqa: N802
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.columns[section].title
        return None
