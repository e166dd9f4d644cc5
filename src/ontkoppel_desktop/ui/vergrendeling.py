"""What a lock takes out of the windows it hides, and puts back after unlocking (issue 13: locked means locked).

Locking hides every window of the app but the main one, and an open form keeps what was typed in it (the lock page
promises so). Hidden is not enough: a hidden widget still holds its text for anything that walks the widgets, such
as an accessibility or UI automation tool. So while the store is locked each hidden window is emptied: its texts,
lists, combo boxes, pictures and text documents are taken out of the widgets and kept here, outside Qt's tree of
widgets, until unlocking puts them back where they were (the undo history of a text included). The screens of the
main window empty themselves on `Session.locked` and read the store again after unlocking.

What is kept is still in the process's memory, as is anything Python has ever held: Python cannot wipe a string.
The promise is that no widget shows or hands out confidential text while locked, not that memory is clean.

The clipboard is emptied at the lock too when the app put what it holds there: a standaardbericht copied with
Kopiëren (`copy_to_clipboard`), or text copied from a field (the system says the app owns it).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable

from PySide6.QtCore import QAbstractItemModel, QObject, QTimer
from PySide6.QtGui import QAction, QClipboard, QPixmap, QStandardItemModel, QTextDocument
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSpinBox,
    QApplication,
    QCalendarWidget,
    QComboBox,
    QGroupBox,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QPlainTextDocumentLayout,
    QPlainTextEdit,
    QTabBar,
    QTableWidget,
    QTextEdit,
    QTreeWidget,
    QWidget,
)
from shiboken6 import isValid

Restore = Callable[[], None]

# The digests of what the app itself put on the clipboard since the last lock: the text itself is what must not
# outlive the lock, so only a digest is kept to recognise it.
_copied: set[bytes] = set()


def _digest(text: str) -> bytes:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).digest()


def copy_to_clipboard(text: str) -> None:
    """Put `text` on the clipboard as the app's own: the lock takes it off again."""
    QApplication.clipboard().setText(text)
    _copied.add(_digest(text))


def clear_clipboard() -> None:
    """At the lock: empty the clipboard (and on X11 the selection) when the app put what it holds there. What
    another program put there is left alone."""
    clipboard = QApplication.clipboard()
    if clipboard.ownsClipboard() or (clipboard.text() and _digest(clipboard.text()) in _copied):
        clipboard.clear(QClipboard.Mode.Clipboard)
    if clipboard.supportsSelection() and clipboard.ownsSelection():
        clipboard.clear(QClipboard.Mode.Selection)
    _copied.clear()


def _inside(widget: QWidget, kinds: tuple[type, ...], window: QWidget) -> bool:
    """Whether `widget` is part of one of `kinds` below `window` (a combo box's list is a window of its own)."""
    parent = widget.parentWidget()
    while parent is not None and parent is not window:
        if isinstance(parent, kinds):
            return True
        parent = parent.parentWidget()
    return False


class WindowContents:
    """The content of one window, taken out of its widgets when made and put back by `put_back()`.

    Every change is made with the widget's signals blocked, so the window's own code sees nothing happen: no
    form turns dirty or empty, no autosave runs, no filter reacts. Putting back is the exact reverse."""

    def __init__(self, window: QWidget) -> None:
        self.window = window
        self._restore: list[Restore] = []
        self._pause_timers()
        for widget in (window, *window.findChildren(QWidget)):
            if self._own_parts(widget, window):
                continue
            blocked = widget.blockSignals(True)
            try:
                self._take_out(widget)
            finally:
                widget.blockSignals(blocked)
        for action in window.findChildren(QAction):
            self._take_out_action(action)

    def put_back(self) -> None:
        restore, self._restore = self._restore, []
        for step in reversed(restore):
            step()

    # ---- taking out ----------------------------------------------------------------------------------

    @staticmethod
    def _own_parts(widget: QWidget, window: QWidget) -> bool:
        """Parts a widget manages itself (the list of a combo box, the field of a date, a table's header): they
        follow the widget they belong to. A QTableWidget or QTreeWidget keeps its model to itself: none is used
        in a window that can stay open while locked."""
        return (isinstance(widget, QHeaderView | QTableWidget | QTreeWidget)
                or _inside(widget, (QComboBox, QAbstractSpinBox, QCalendarWidget), window))

    def _later(self, widget: QObject, step: Restore) -> None:
        """Remember how to put `widget`'s content back (skipped when the widget is gone by then)."""

        def restore() -> None:
            if isValid(widget):
                blocked = widget.blockSignals(True)
                try:
                    step()
                finally:
                    widget.blockSignals(blocked)

        self._restore.append(restore)

    def _pause_timers(self) -> None:
        """A hidden window's timers wait too: a preview drawing its pages one by one, a count or a search after a
        pause in typing would otherwise put text or pictures back while locked. They run again once the content
        is back (put back last)."""
        for timer in self.window.findChildren(QTimer):
            if timer.isActive():
                timer.stop()
                self._later(timer, timer.start)

    def _take_out(self, w: QWidget) -> None:
        self._take_out_texts(w)
        if isinstance(w, QLabel):
            self._take_out_label(w)
        elif isinstance(w, QAbstractButton) and w.text():
            text = w.text()
            w.setText("")
            self._later(w, lambda: w.setText(text))
        elif isinstance(w, QGroupBox) and w.title():
            title = w.title()
            w.setTitle("")
            self._later(w, lambda: w.setTitle(title))
        elif isinstance(w, QLineEdit):
            self._take_out_line(w)
        elif isinstance(w, QPlainTextEdit | QTextEdit):
            self._take_out_document(w)
        elif isinstance(w, QComboBox):
            self._take_out_combo(w)
        elif isinstance(w, QListWidget):
            self._take_out_list(w)
        elif isinstance(w, QAbstractItemView):
            self._take_out_view(w)
        elif isinstance(w, QTabBar):
            self._take_out_tabs(w)

    def _take_out_texts(self, w: QWidget) -> None:
        """What every widget can carry: a window title, tooltips and the names an accessibility tool reads."""
        texts = (w.windowTitle(), w.toolTip(), w.statusTip(), w.whatsThis(), w.accessibleName(),
                 w.accessibleDescription())
        if not any(texts):
            return
        title, tooltip, status, whats_this, name, description = texts
        setters = (w.setWindowTitle, w.setToolTip, w.setStatusTip, w.setWhatsThis, w.setAccessibleName,
                   w.setAccessibleDescription)
        for setter, text in zip(setters, texts, strict=True):
            if text:
                setter("")

        def restore() -> None:
            for setter, text in zip(setters, (title, tooltip, status, whats_this, name, description), strict=True):
                if text:
                    setter(text)

        self._later(w, restore)

    def _take_out_label(self, w: QLabel) -> None:
        pixmap = w.pixmap()
        if not pixmap.isNull():  # a page of a document in the preview
            w.setPixmap(QPixmap())
            self._later(w, lambda: w.setPixmap(pixmap))
        elif w.text():
            text = w.text()
            w.setText("")
            self._later(w, lambda: w.setText(text))

    def _take_out_line(self, w: QLineEdit) -> None:
        if not w.text() and not w.isUndoAvailable() and not w.isRedoAvailable():
            return
        text, cursor, modified = w.text(), w.cursorPosition(), w.isModified()
        w.setText("")  # also forgets the undo history (clear() would keep the text for Ctrl+Z)

        def restore() -> None:
            w.setText(text)
            w.setCursorPosition(cursor)
            w.setModified(modified)

        self._later(w, restore)

    def _take_out_document(self, w: QPlainTextEdit | QTextEdit) -> None:
        """The whole document is swapped for an empty one: text, formatting and undo history go with it."""
        document, cursor = w.document(), w.textCursor()
        if document.isEmpty() and not document.isUndoAvailable():
            return
        owner = document.parent()
        document.setParent(None)  # kept here; otherwise setDocument() deletes it when the widget owns it
        empty = QTextDocument(w)
        if isinstance(w, QPlainTextEdit):
            empty.setDocumentLayout(QPlainTextDocumentLayout(empty))
        w.setDocument(empty)

        def restore() -> None:
            w.setDocument(document)
            document.setParent(owner if owner is not None and isValid(owner) else w)
            w.setTextCursor(cursor)
            if isValid(empty):  # deleted by setDocument() when the widget owned it
                empty.deleteLater()

        self._later(w, restore)

    def _take_out_combo(self, w: QComboBox) -> None:
        """The items go as their model: every role, enabled state and the completer's list with them."""
        model = w.model()
        if model.rowCount() == 0 and not w.currentText():
            return
        index, edit_text = w.currentIndex(), w.currentText()
        owner = model.parent()
        model.setParent(None)  # kept here; QComboBox deletes a model it owns when given another
        w.setModel(QStandardItemModel(w))
        editor, completer = w.lineEdit(), w.completer()
        if editor is not None:
            editor.setText("")  # what was typed to search the list, and its undo history
        if completer is not None:
            completer.setCompletionPrefix("")

        def restore() -> None:
            placeholder = w.model()
            w.setModel(model)
            model.setParent(owner if owner is not None and isValid(owner) else w)
            if isValid(placeholder):  # deleted by setModel() when the combo box owned it
                placeholder.deleteLater()
            w.setCurrentIndex(index)
            if w.isEditable():
                w.setEditText(edit_text)

        self._later(w, restore)

    def _take_out_list(self, w: QListWidget) -> None:
        if not w.count():
            return
        current = w.currentRow()
        items = [w.takeItem(0) for _ in range(w.count())]

        def restore() -> None:
            for item in items:
                w.addItem(item)
            w.setCurrentRow(current)

        self._later(w, restore)

    def _take_out_view(self, w: QAbstractItemView) -> None:
        """A view's model goes with its selection (the selection model, to which the window's code listens)."""
        model: QAbstractItemModel | None = w.model()
        if model is None or model.rowCount() == 0:
            return
        selection = w.selectionModel()
        owner = model.parent()
        if owner is not None:
            model.setParent(None)  # out of the window's tree of objects while locked
        w.setModel(None)

        def restore() -> None:
            w.setModel(model)
            if owner is not None:
                model.setParent(owner if isValid(owner) else w)
            if selection is not None and isValid(selection) and selection.model() is model:
                w.setSelectionModel(selection)

        self._later(w, restore)

    def _take_out_tabs(self, w: QTabBar) -> None:
        tabs = [(w.tabText(i), w.tabToolTip(i)) for i in range(w.count())]
        for i in range(w.count()):
            w.setTabText(i, "")
            w.setTabToolTip(i, "")

        def restore() -> None:
            for i, (text, tooltip) in enumerate(tabs[:w.count()]):
                w.setTabText(i, text)
                w.setTabToolTip(i, tooltip)

        self._later(w, restore)

    def _take_out_action(self, action: QAction) -> None:
        text, tooltip, status, whats_this = action.text(), action.toolTip(), action.statusTip(), action.whatsThis()
        if not any((text, status, whats_this)):
            return
        action.setText("")
        action.setToolTip("")
        action.setStatusTip("")
        action.setWhatsThis("")

        def restore() -> None:
            action.setText(text)
            if action.toolTip() != tooltip:  # set on its own, not made from the text
                action.setToolTip(tooltip)
            action.setStatusTip(status)
            action.setWhatsThis(whats_this)

        self._later(action, restore)


__all__ = ["WindowContents", "clear_clipboard", "copy_to_clipboard"]
