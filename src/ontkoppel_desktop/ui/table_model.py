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

from PySide6.QtCore import QAbstractTableModel, QEvent, QModelIndex, QObject, QPersistentModelIndex, QSize, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QFontMetrics
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
)

from ontkoppel_desktop.core.personen import zoek_normaal
from ontkoppel_desktop.ui.dutch import collator, datum_kort

R = TypeVar("R")
log = logging.getLogger(__name__)
Index = QModelIndex | QPersistentModelIndex

ID_ROLE = Qt.ItemDataRole.UserRole + 1
# A date as the lists show it (datum_kort), the widest digits: a column of dates is never narrower.
DATUM_BREEDTE = "30-12-2026"


@dataclass(frozen=True)
class Column(Generic[R]):
    title: str
    value: Callable[[R], Any]
    width: int = 0
    tooltip: Callable[[R], str] | None = None
    background: Callable[[R], str | None] | None = None  # a colour name, e.g. "#fde0dc"
    bold: Callable[[R], bool] | None = None
    # Content that must fit on one line, such as a date ("30-12-2026"): the column never gets narrower (ColumnFit).
    fits: str = ""
    # Shown only where it gets its preferred `width`, else left out; its content is shown elsewhere too (ColumnFit).
    optional: bool = False
    # Long free text on one line, cut short in the cell (its tooltip, or a panel beside the table, shows it whole).
    elide: bool = False


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
        if predicate is None and self._predicate is None:
            return  # no filter before or after: a reset (and the columns fitted again) for nothing
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

    def first_rows(self, n: int) -> list[R]:
        """The first `n` rows as shown."""
        return [self._all[i] for i in self._visible[:n]]

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


def _shown(column: Column[Any], record: Any) -> str:
    """What the cell shows, as the model's data() does; "" where that fails (data() logs it)."""
    try:
        return display(column.value(record))
    except Exception:  # noqa: BLE001 - a display bug must not take the layout down
        return ""


class OneLineDelegate(QStyledItemDelegate):
    """A cell of long free text on one line, cut short with "…": it never makes its row taller."""

    def initStyleOption(self, option: QStyleOptionViewItem, index: Index) -> None:  # noqa: N802 (Qt API)
        super().initStyleOption(option, index)
        option.features &= ~QStyleOptionViewItem.ViewItemFeature.WrapText
        option.textElideMode = Qt.TextElideMode.ElideRight

    def sizeHint(self, option: QStyleOptionViewItem, index: Index) -> QSize:  # noqa: N802 (Qt API)
        size = super().sizeHint(option, index)
        return QSize(size.width(), option.fontMetrics.height() + 6)


def _line_count(advances: list[int], space: int, width: int) -> int:
    """Lines that words of these advances take when wrapped greedily at spaces within `width` (a word wider than
    it: a line of its own)."""
    lines, line = 1, 0
    for advance in advances:
        if line and line + space + advance > width:
            lines, line = lines + 1, advance
        else:
            line = line + space + advance if line else advance
    return lines


def wrapped_width(metrics: QFontMetrics, text: str, lines: int = 2) -> int:
    """The least width at which `text` takes at most `lines` lines when wrapped at its spaces."""
    words = [w for w in text.split(" ") if w]  # not split(): Qt does not break at a no-break space
    if lines < 2 or len(words) < 2:
        return metrics.horizontalAdvance(text)
    advances = [metrics.horizontalAdvance(w) for w in words]
    space = metrics.horizontalAdvance(" ")
    low, high = max(advances), sum(advances) + space * (len(advances) - 1)
    while low < high:  # the line count only falls as the width grows
        middle = (low + high) // 2
        if _line_count(advances, space, middle) <= lines:
            high = middle
        else:
            low = middle + 1
    return low


def cell_margin(view: QAbstractItemView) -> int:
    """What a cell takes off its width around the text: Qt's item view leaves the focus frame margin and one pixel
    on each side, the grid line one more; and a few pixels for the rounding of the text's layout."""
    return 2 * (view.style().pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin, None, view) + 1) + 1 + 3


class ColumnFit(QObject):
    """A table's columns fitted to its width, so that no column hides off to the right and no header or cell is
    cut, at 1366 pixels as at 1920 and at 150 % scaling.

    Each column gets at least its header text (bold, with the sort arrow, as Qt measures it), its `fits` sample and
    what its cells need to show their text in `lines` lines (measured on the first rows, see CONTENT_ROWS; not for
    an `elide` column, whose long text the tooltip shows). The width left is shared in proportion to the columns'
    preferred widths, and beyond those by the text columns. Text wraps; rows are `lines` lines high, or with `grow`
    (a short list, such as a traject's steps) each row as high as its text, one line where one is enough. When
    even the minimums do not fit, optional columns go first; only then does the table scroll sideways. The user
    may still drag a column wider; the next resize of the view fits them again."""

    # Enough rows to meet every kind of value (steps, roles, states, names); measuring more would only slow down
    # a list of thousands.
    CONTENT_ROWS = 200

    def __init__(self, view: QTableView, columns: Sequence[Column[Any]], *, lines: int = 2, grow: bool = False,
                 hold: int = 0) -> None:
        """hold: the view asks at least the width its columns need (up to `hold` pixels), so that a splitter or
        layout does not squeeze it into scrolling sideways."""
        super().__init__(view)
        self.hold = hold
        self.view = view
        self.columns = list(columns)
        self.lines = lines
        self.hidden: set[int] = set()  # hidden by the screen (not fitted)
        self.dropped: set[int] = set()  # optional columns left out for want of room
        self._content: dict[int, int] | None = None
        self._measured: dict[tuple[bool, str], int] = {}
        self._busy = False
        self._again = False
        header = view.horizontalHeader()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        view.setWordWrap(lines > 1)
        rows = view.verticalHeader()
        if grow:
            rows.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        else:
            rows.setDefaultSectionSize(max(rows.defaultSectionSize(), lines * view.fontMetrics().lineSpacing() + 8))
        view.viewport().installEventFilter(self)
        model = view.model()
        for signal in (model.modelReset, model.layoutChanged, model.rowsInserted, model.dataChanged):
            signal.connect(self._content_changed)
        for column, spec in enumerate(self.columns):
            if spec.elide:
                view.setItemDelegateForColumn(column, OneLineDelegate(view))
        self.fit()

    def set_hidden(self, column: int, hidden: bool) -> None:
        """A column the screen shows or hides (not the fitter's choice): the others are fitted again."""
        if hidden:
            self.hidden.add(column)
        else:
            self.hidden.discard(column)
        self.fit()

    def _content_changed(self, *_args: object) -> None:
        self._content = None
        self.fit()

    def _content_widths(self) -> dict[int, int]:
        if self._content is None:
            model, view = self.view.model(), self.view
            font = QFont(view.font())
            font.setBold(True)
            regular, bold = view.fontMetrics(), QFontMetrics(font)
            margin = cell_margin(view)
            widths: dict[int, int] = {}
            # The first rows as shown (straight from the records: through Qt's index a tenth of a second per
            # reset of a long list).
            records = model.first_rows(self.CONTENT_ROWS) if isinstance(model, RecordTableModel) else None
            rows = min(model.rowCount(), self.CONTENT_ROWS)
            for column, spec in enumerate(self.columns):
                if spec.elide:
                    continue
                # A column that sets some rows in bold (a late one) is measured as if every row were.
                metrics, weight = (bold, True) if spec.bold is not None else (regular, False)
                if records is not None:
                    texts = {_shown(spec, r) for r in records}
                else:
                    texts = {model.data(model.index(row, column)) for row in range(rows)}
                widths[column] = max((self._measure(metrics, weight, str(t)) for t in texts if t), default=0)
                widths[column] += margin if widths[column] else 0
            self._content = widths
        return self._content

    def _measure(self, metrics: QFontMetrics, bold: bool, text: str) -> int:
        """wrapped_width, remembered: a list shows the same steps, roles and names again after every filter."""
        key = (bold, text)
        width = self._measured.get(key)
        if width is None:
            if len(self._measured) > 20_000:
                self._measured.clear()
            width = self._measured[key] = wrapped_width(metrics, text, self.lines)
        return width

    def minimum(self, column: int) -> int:
        header = self.view.horizontalHeader()
        width = max(header.sectionSizeFromContents(column).width(), self._content_widths().get(column, 0))
        sample = self.columns[column].fits
        if sample:
            width = max(width, self.view.fontMetrics().horizontalAdvance(sample) + cell_margin(self.view))
        return width

    def fit(self) -> None:
        if self._busy:
            # Fitting showed or hid a scroll bar, which resized the viewport: once more when this pass is done.
            self._again = True
            return
        self._busy = True
        try:
            for _ in range(3):  # a scroll bar comes or goes at most once each way
                self._again = False
                self._fit()
                if not self._again:
                    break
        finally:
            self._busy = False

    def _fit(self) -> None:
        view = self.view
        available = view.viewport().width()
        if available <= 0:
            return
        shown = [i for i in range(len(self.columns)) if i not in self.hidden]
        # An optional column is worth its place only at its preferred width (a toelichting in 80 pixels is not).
        minimum = {i: max(self.minimum(i), self.columns[i].width if self.columns[i].optional else 0) for i in shown}
        preferred = {i: max(minimum[i], self.columns[i].width) for i in shown}
        dropped: set[int] = set()
        for i in reversed(shown):  # the last optional column goes first
            if sum(minimum[j] for j in shown if j not in dropped) <= available:
                break
            if self.columns[i].optional:
                dropped.add(i)
        fitted = [i for i in shown if i not in dropped]
        least, most = sum(minimum[i] for i in fitted), sum(preferred[i] for i in fitted)
        if self.hold:
            chrome = 2 * view.frameWidth() + view.verticalScrollBar().sizeHint().width()
            view.setMinimumWidth(min(least + chrome, self.hold))
        if most <= available:
            # Room to spare: the text columns (no fixed sample, such as a date) share it.
            text = [i for i in fitted if not self.columns[i].fits] or fitted
            weight = sum(preferred[i] for i in text)
            widths = {i: preferred[i] + ((available - most) * preferred[i] // weight if i in text else 0)
                      for i in fitted}
        elif least < available:
            give = available - least
            widths = {i: minimum[i] + give * (preferred[i] - minimum[i]) // (most - least) for i in fitted}
        else:
            widths = {i: minimum[i] for i in fitted}
        if fitted and least <= available:
            widths[fitted[-1]] += available - sum(widths.values())  # no gap at the right edge
        for i in range(len(self.columns)):
            view.setColumnHidden(i, i in self.hidden or i in dropped)
        for i in fitted:
            view.setColumnWidth(i, widths[i])
        self.dropped = dropped

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt API)
        if event.type() == QEvent.Type.Resize and watched is self.view.viewport():
            self.fit()
        return False
