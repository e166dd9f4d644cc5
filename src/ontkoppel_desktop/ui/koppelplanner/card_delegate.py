"""Cards on the board: a rounded box per opleider or aios, its state in a border and in words."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QModelIndex, QRect, QSize, Qt
from PySide6.QtGui import QColor, QFont, QPainter, QPen
from PySide6.QtWidgets import QStyle, QStyledItemDelegate, QStyleOptionViewItem

from ontkoppel_desktop.ui.koppelplanner.board import STATE_ROLE

CARD = QSize(268, 86)


class CardDelegate(QStyledItemDelegate):
    def __init__(self, size: QSize = CARD) -> None:
        super().__init__()
        self.size = size

    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex) -> QSize:  # noqa: N802
        return self.size

    def paint(self, painter: QPainter, option: Any, index: QModelIndex) -> None:
        state = index.data(STATE_ROLE) or {}
        rect: QRect = option.rect.adjusted(4, 4, -4, -4)
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
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        pen = QPen(border, 3 if selected or state.get("pinned") else 1.5)
        if state.get("uitzondering"):
            pen.setStyle(Qt.PenStyle.DashLine)
        painter.setPen(pen)
        painter.setBrush(fill)
        painter.drawRoundedRect(rect, 7, 7)
        lines = str(index.data(Qt.ItemDataRole.DisplayRole) or "").split("\n")
        text_rect = rect.adjusted(9, 6, -9, -5)
        font = QFont(option.font)
        metrics_height = option.fontMetrics.height()
        y = text_rect.top()
        for i, line in enumerate(lines):
            f = QFont(font)
            f.setBold(i == 0)
            if i == 1:
                f.setPointSizeF(max(font.pointSizeF() - 1, 7))
            painter.setFont(f)
            painter.setPen(QColor("#1b1b1b") if i != 1 else QColor("#555555"))
            elided = painter.fontMetrics().elidedText(line, Qt.TextElideMode.ElideRight, text_rect.width())
            painter.drawText(QRect(text_rect.left(), y, text_rect.width(), metrics_height), 0, elided)
            y += metrics_height + 1
            if y > text_rect.bottom() - metrics_height + 4:
                break
        painter.restore()
