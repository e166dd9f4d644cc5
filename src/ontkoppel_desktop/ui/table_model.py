"""A table model for lists that grow (STYLE 3): rows held in Python, searched and sorted in one pass.

Searching compares against one folded string per row, made when the rows are loaded; sorting uses
QCollator sort keys, made once per column when that column is first sorted. Both stay within a few
milliseconds for ten thousand rows, so there is no proxy model calling back into Python per comparison.
"""

from __future__ import annotations

import logging
from bisect import bisect_right
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, Generic, TypeVar

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor, QFont

from ontkoppel_desktop.core.personen import zoek_normaal
from ontkoppel_desktop.ui.dutch import collator, datum_kort

R = TypeVar("R")
log = logging.getLogger(__name__)
Index = QModelIndex | QPersistentModelIndex

ID_ROLE = Qt.ItemDataRole.UserRole + 1


@dataclass(frozen=True)
class Column(Generic[R]):
    title: str
    value: Callable[[R], Any]
    width: int = 0
    tooltip: Callable[[R], str] | None = None
    background: Callable[[R], str | None] | None = None  # a colour name, e.g. "#fde0dc"
    bold: Callable[[R], bool] | None = None


def _is_number(value: Any) -> bool:
    return value is None or isinstance(value, int | float | date)


def display(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "ja" if value else "nee"
    if isinstance(value, date):
        return datum_kort(value)
    return str(value)


class RecordTableModel(QAbstractTableModel, Generic[R]):
    def __init__(
        self, columns: Sequence[Column[R]], id_of: Callable[[R], int | None], *, keep_order: bool = False,
        order_key: Callable[[R], Any] | None = None,
    ) -> None:
        """keep_order: show rows in the order they are given (a stappenplan, a task list) until sort().
        order_key: that order as a key, so rows added by update_rows() go straight to their place."""
        super().__init__()
        self.columns = list(columns)
        self._id_of = id_of
        self._all: list[R] = []
        self._search_text: Callable[[R], str] = lambda r: ""
        self._haystack: list[str] | None = None
        self._predicate: Callable[[R], bool] | None = None
        self._visible: list[int] = []
        self._needle = ""
        self._sort: tuple[int, Qt.SortOrder] = (-1 if keep_order else 0, Qt.SortOrder.AscendingOrder)
        self._sort_keys: dict[int, list[Any]] = {}
        self._archived: Callable[[R], bool] = lambda r: bool(getattr(r, "gearchiveerd", False))
        self._collator = collator()
        self._order_key = order_key
        self._numeric: dict[int, bool] = {}
        self._order_keys: list[Any] | None = None  # aligned with _all when order_key is given

    # ---- loading, searching, sorting -----------------------------------------------------------------

    def set_rows(self, rows: Sequence[R], search_text: Callable[[R], str]) -> None:
        """All rows anew (in the order given; with an order_key, the caller gives them in that order)."""
        self.beginResetModel()
        self._all = list(rows)
        self._search_text = search_text
        self._haystack = None  # built on the first search, not on every load
        self._sort_keys = {}
        self._order_keys = [self._order_key(r) for r in self._all] if self._order_key is not None else None
        self._visible = self._compute_visible()
        self.endResetModel()

    def clear(self) -> None:
        self.set_rows([], lambda r: "")

    def update_rows(self, drop: Callable[[R], bool], add: Sequence[R]) -> None:
        """A change touched some rows: drop those for which `drop` holds and add `add` (their new versions).

        Work is done for the touched rows only: the others keep their search text and sort keys, and with an
        order_key the new rows are put in their place (bisect) instead of the list being sorted again."""
        kept = [i for i, r in enumerate(self._all) if not drop(r)]
        self.beginResetModel()
        rows = [self._all[i] for i in kept]
        haystack = [self._haystack[i] for i in kept] if self._haystack is not None else None
        sort_keys = {column: [keys[i] for i in kept] for column, keys in self._sort_keys.items()}
        order_keys = [self._order_keys[i] for i in kept] if self._order_keys is not None else None
        for row in add:
            position = len(rows)
            if order_keys is not None and self._order_key is not None:
                key = self._order_key(row)
                position = bisect_right(order_keys, key)
                order_keys.insert(position, key)
            rows.insert(position, row)
            if haystack is not None:
                haystack.insert(position, zoek_normaal(self._search_text(row)))
            for column, keys in list(sort_keys.items()):
                value = self.columns[column].value(row)
                if self._numeric[column] and not _is_number(value):
                    del sort_keys[column]  # the column holds text now: its keys are made again when sorted
                else:
                    keys.insert(position, self._key(self._numeric[column], value))
        self._all, self._haystack, self._sort_keys, self._order_keys = rows, haystack, sort_keys, order_keys
        self._visible = self._compute_visible()
        self.endResetModel()

    def refresh_display(self) -> None:
        """What the cells show changed, not the rows (a name they look up): search and sort anew, repaint."""
        self.layoutAboutToBeChanged.emit()
        self._haystack = None
        self._sort_keys = {}
        self._visible = self._compute_visible()
        self.layoutChanged.emit()

    def all_rows(self) -> list[R]:
        return list(self._all)

    def set_search(self, text: str) -> None:
        needle = zoek_normaal(text)
        if needle == self._needle:
            return
        self.beginResetModel()
        self._needle = needle
        self._visible = self._compute_visible()
        self.endResetModel()

    def set_predicate(self, predicate: Callable[[R], bool] | None) -> None:
        """Keep only the rows for which predicate holds (e.g. the tasks of one role), on top of the search."""
        self.beginResetModel()
        self._predicate = predicate
        self._visible = self._compute_visible()
        self.endResetModel()

    def _compute_visible(self) -> list[int]:
        words = self._needle.split()
        indices: Sequence[int] = range(len(self._all))
        if self._predicate is not None:
            keep = self._predicate
            indices = [i for i in indices if keep(self._all[i])]
        if words:
            if self._haystack is None:
                self._haystack = [zoek_normaal(self._search_text(r)) for r in self._all]
            hay = self._haystack
            visible = [i for i in indices if all(w in hay[i] for w in words)]
        else:
            visible = list(indices)
        column, order = self._sort
        if column >= 0:
            keys = self._keys_for(column)
            visible.sort(key=keys.__getitem__, reverse=order == Qt.SortOrder.DescendingOrder)
        return visible

    def _keys_for(self, column: int) -> list[Any]:
        keys = self._sort_keys.get(column)
        if keys is None:
            value = self.columns[column].value
            raw = [value(r) for r in self._all]
            # Numbers and dates sort by value (empty last); a column with any text by the Dutch collator.
            numeric = all(_is_number(v) for v in raw)
            self._numeric[column] = numeric
            keys = [self._key(numeric, v) for v in raw]
            self._sort_keys[column] = keys
        return keys

    def _key(self, numeric: bool, value: Any) -> Any:
        return (value is None, value if value is not None else 0) if numeric else self._collator.sortKey(display(value))

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

    def visible_rows(self) -> list[R]:
        return [self._all[i] for i in self._visible]

    # ---- Qt model API --------------------------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self._visible)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self.columns)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        try:
            return self._data(index, role)
        except Exception:
            # A display bug must never take the window (and unsaved input) down: log it, show a blank cell.
            log.exception("cell %s,%s role %s", index.row(), index.column(), role)
            return None

    def _data(self, index: Index, role: int) -> Any:
        record = self._all[self._visible[index.row()]]
        column = self.columns[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return display(column.value(record))
        if role == ID_ROLE:
            return self._id_of(record)
        if role == Qt.ItemDataRole.ToolTipRole and column.tooltip is not None:
            return column.tooltip(record)
        if role == Qt.ItemDataRole.BackgroundRole and column.background is not None:
            colour = column.background(record)
            return QBrush(QColor(colour)) if colour else None
        if role == Qt.ItemDataRole.ForegroundRole:
            if self._archived(record):
                return QBrush(QColor("#777777"))
            if column.background is not None and column.background(record):
                return QBrush(QColor("#1b1b1b"))  # readable on the light tints, also in a dark theme
            return None
        if role == Qt.ItemDataRole.FontRole:
            archived = self._archived(record)
            bold = column.bold is not None and column.bold(record)
            if archived or bold:
                font = QFont()
                font.setItalic(archived)
                font.setBold(bold)
                return font
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:  # noqa: N802
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.columns[section].title
        return None
