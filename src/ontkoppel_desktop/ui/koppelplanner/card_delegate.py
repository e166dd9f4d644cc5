"""Cards on the board: a rounded box per opleider or aios, its state in a border and in words, and the list that
lays them out to the width of the window.

The size of a card follows the font (so 150 % scaling and a large system font give larger cards) and the names
in the ronde: a card is wide enough for the longest name and practice up to a limit; beyond it the text is cut
short on the card and said in full in its tooltip and to a screen reader. The grid takes as many columns as fit
and widens them to fill the row, so a wide window is filled instead of keeping three columns.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QModelIndex, QPoint, QRect, QSize, Qt, QTimer
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QPaintEvent, QPen, QResizeEvent
from PySide6.QtWidgets import QListView, QStyle, QStyledItemDelegate, QStyleOptionViewItem, QWidget

from ontkoppel_desktop.ui.koppelplanner.board import STATE_ROLE

# Inside a card: the gap around the box, and the padding of the text inside it.
_MARGE = 4
_PAD_X, _PAD_TOP, _PAD_BOTTOM = 9, 6, 6
# A card is at least this many average characters wide, and grows for long names up to the second.
_MIN_TEKENS, _MAX_TEKENS = 30, 64

# While a card is dragged over this one: (colour, badge). The badge says it in words, never colour alone.
HOVER = {
    "geweigerd": ("#b3261e", "✗ kan hier niet"),
    "welkom": ("#2e7d32", "✓ hier loslaten"),
}


def _font(base: QFont, line: int, klein: frozenset[int]) -> QFont:
    f = QFont(base)
    f.setBold(line == 0)
    if line in klein:
        f.setPointSizeF(max(base.pointSizeF() - 1, 7))
    return f


class CardDelegate(QStyledItemDelegate):
    """Paints a card: the first line bold, the lines in `klein` smaller and grey, each cut short with "…" only
    when the card is narrower than the text. The size is set by the CardView."""

    def __init__(self, klein: frozenset[int] = frozenset({2})) -> None:
        super().__init__()
        self.klein = klein
        self.size = QSize(280, 90)

    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex) -> QSize:  # noqa: N802
        return self.size

    def text_rect(self, rect: QRect) -> QRect:
        return rect.adjusted(_MARGE + _PAD_X, _MARGE + _PAD_TOP, -_MARGE - _PAD_X, -_MARGE - _PAD_BOTTOM)

    def lines(self, index: QModelIndex) -> list[str]:
        return str(index.data(Qt.ItemDataRole.DisplayRole) or "").split("\n")

    def fits(self, base: QFont, index: QModelIndex, width: int) -> list[bool]:
        """Per line whether it fits the card's text width uncut (the tests read it; the painter elides)."""
        return [QFontMetrics(_font(base, i, self.klein)).horizontalAdvance(line) <= width
                for i, line in enumerate(self.lines(index))]

    def paint(self, painter: QPainter, option: Any, index: QModelIndex) -> None:
        state = index.data(STATE_ROLE) or {}
        rect: QRect = option.rect.adjusted(_MARGE, _MARGE, -_MARGE, -_MARGE)
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        fill = QColor("#ffffff")
        border = QColor("#9aa4b1")
        if state.get("blokkade"):
            fill = QColor("#f6e3e1")
        elif state.get("uitzondering"):
            # A pair the aios did not visit, allowed by the manager's uitzondering: seen at a glance.
            fill = QColor("#fdf0d5")
        elif state.get("vol"):
            fill = QColor("#eef6ee")
        if state.get("voorrang"):
            border = QColor("#b07d00")
        if state.get("pinned"):
            border = QColor("#1a5fb4")
        if selected:
            fill = QColor("#dbe8fb")
        hover = HOVER.get(state.get("hover") or "")
        width = 3.0 if selected or state.get("pinned") else 1.5
        if hover is not None:
            border, width = QColor(hover[0]), 3.5
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        pen = QPen(border, width)
        if state.get("uitzondering") or state.get("hover") == "geweigerd":
            pen.setStyle(Qt.PenStyle.DashLine)
        painter.setPen(pen)
        painter.setBrush(fill)
        painter.drawRoundedRect(rect, 7, 7)
        if selected:
            # The chosen card also by its shape: a dotted line inside the border, not only the blue fill.
            painter.setPen(QPen(QColor("#1b1b1b"), 1, Qt.PenStyle.DotLine))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawRoundedRect(rect.adjusted(3, 3, -3, -3), 5, 5)
        text_rect = self.text_rect(option.rect)
        base = QFont(option.font)
        y = text_rect.top()
        for i, line in enumerate(self.lines(index)):
            f = _font(base, i, self.klein)
            painter.setFont(f)
            height = painter.fontMetrics().height()
            if y + height > text_rect.bottom() + 2:
                break
            painter.setPen(QColor("#555555") if i in self.klein else QColor("#1b1b1b"))
            elided = painter.fontMetrics().elidedText(line, Qt.TextElideMode.ElideRight, text_rect.width())
            painter.drawText(QRect(text_rect.left(), y, text_rect.width(), height), 0, elided)
            y += height + 1
        if hover is not None:
            # The verdict on the card itself, in words: a red dashed border alone would say it in colour only.
            f = QFont(base)
            f.setBold(True)
            painter.setFont(f)
            metrics = painter.fontMetrics()
            badge = QRect(0, 0, metrics.horizontalAdvance(hover[1]) + 12, metrics.height() + 4)
            badge.moveBottomRight(rect.bottomRight() - QPoint(6, 6))
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(QColor(hover[0]))
            painter.drawRoundedRect(badge, 4, 4)
            painter.setPen(QColor("#ffffff"))
            painter.drawText(badge, Qt.AlignmentFlag.AlignCenter, hover[1])
        painter.restore()


class CardView(QListView):
    """A list of cards. `grid`: as many columns as fit the width, each widened to fill the row (the opleiders);
    otherwise one card per row over the whole width (the aios not gekoppeld). `leeg` is said in the empty list."""

    def __init__(self, delegate: CardDelegate, *, grid: bool, leeg: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.card = delegate
        self.grid = grid
        self.leeg = leeg
        self.setItemDelegate(delegate)
        self.setUniformItemSizes(True)
        self.setWordWrap(False)
        if grid:
            self.setViewMode(QListView.ViewMode.IconMode)
            self.setMovement(QListView.Movement.Static)
            self.setResizeMode(QListView.ResizeMode.Adjust)
            self.setWrapping(True)
            self.setSpacing(0)
        self._relayout_pending = False

    # ---- size ----------------------------------------------------------------------------------------

    def min_card_width(self) -> int:
        """Wide enough for the longest name and second line in the model, between _MIN_TEKENS and _MAX_TEKENS
        average characters."""
        metrics = QFontMetrics(self.font())
        bold = QFont(self.font())
        bold.setBold(True)
        bold_metrics = QFontMetrics(bold)
        widest = 0
        model = self.model()
        for row in range(model.rowCount() if model is not None else 0):
            lines = self.card.lines(model.index(row, 0))
            widest = max(widest, bold_metrics.horizontalAdvance(lines[0]),
                         metrics.horizontalAdvance(lines[1]) if len(lines) > 1 else 0)
        chars = metrics.averageCharWidth()
        padding = 2 * (_MARGE + _PAD_X) + 2
        return max(_MIN_TEKENS * chars, min(widest + padding, _MAX_TEKENS * chars))

    def card_height(self) -> int:
        model = self.model()
        lines = max([len(self.card.lines(model.index(r, 0))) for r in range(model.rowCount())] or [3]) \
            if model is not None else 3
        lines = max(lines, 3)
        base = self.font()
        height = sum(QFontMetrics(_font(base, i, self.card.klein)).height() + 1 for i in range(lines))
        return height + 2 * _MARGE + _PAD_TOP + _PAD_BOTTOM

    def available_width(self) -> int:
        """The width the cards may take: the viewport, less a scroll bar even when none shows (so a scroll bar
        that comes or goes never makes the grid jump between column counts)."""
        bar = 0 if self.verticalScrollBar().isVisible() else self.style().pixelMetric(
            QStyle.PixelMetric.PM_ScrollBarExtent)
        return max(self.viewport().width() - bar - 2, 50)

    def columns(self) -> int:
        return max(1, self.available_width() // self.min_card_width()) if self.grid else 1

    def relayout(self) -> None:
        self._relayout_pending = False
        width = self.available_width() // self.columns()
        size = QSize(width, self.card_height())
        if size != self.card.size:
            self.card.size = size
            if self.grid:
                self.setGridSize(size)
            self.scheduleDelayedItemsLayout()

    def schedule_relayout(self) -> None:
        if not self._relayout_pending:
            self._relayout_pending = True
            QTimer.singleShot(0, self.relayout)

    def setModel(self, model: Any) -> None:  # noqa: N802
        super().setModel(model)
        if model is not None:
            model.modelReset.connect(self.schedule_relayout)
            model.dataChanged.connect(lambda *args: self.schedule_relayout()
                                      if len(args) < 3 or STATE_ROLE not in (args[2] or []) else None)
        self.relayout()

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802
        super().resizeEvent(event)
        self.relayout()

    def changeEvent(self, event: Any) -> None:  # noqa: N802
        super().changeEvent(event)
        if event.type() == event.Type.FontChange:
            self.relayout()

    # ---- empty ---------------------------------------------------------------------------------------

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802
        super().paintEvent(event)
        model = self.model()
        if self.leeg and (model is None or model.rowCount() == 0):
            painter = QPainter(self.viewport())
            painter.setPen(QColor("#555555"))
            painter.drawText(self.viewport().rect().adjusted(12, 12, -12, -12),
                             Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop | Qt.TextFlag.TextWordWrap,
                             self.leeg)
            painter.end()
