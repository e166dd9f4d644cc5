"""A dialog for an action that needs a reason (the reden of an uitzondering, the motivatie of an intrekking):
Enter does it, an empty reason is refused where it is typed, a refusal by the rules shows inline, and typed text
is not thrown away without asking."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QLineEdit, QPlainTextEdit, QVBoxLayout, QWidget

from ontkoppel_desktop.ui.form_dialog import FormDialog


class RedenDialog(FormDialog):
    """`doe(reden)` carries the action out and returns the Dutch reason it was refused, or None when done."""

    def __init__(
        self,
        title: str,
        uitleg: str,
        label: str,
        *,
        doe: Callable[[str], str | None],
        ok_text: str,
        leeg: str,
        veld_naam: str,
        placeholder: str = "",
        meerregelig: bool = False,
        weggooien: str = "Je hebt een reden getypt die nog niet is vastgelegd. Weggooien?",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.discard_title = "Niet vastgelegd"
        self.discard_text = weggooien
        self._doe = doe
        self._leeg = leeg
        tekst = QLabel(uitleg)
        tekst.setWordWrap(True)
        tekst.setTextFormat(Qt.TextFormat.RichText)
        self.reden: QLineEdit | QPlainTextEdit
        if meerregelig:
            self.reden = QPlainTextEdit()
            self.reden.setTabChangesFocus(True)
            self.reden.setFixedHeight(70)
            self.reden.setPlaceholderText(placeholder)
            self.reden.textChanged.connect(lambda: self.fout.setText(""))
        else:
            self.reden = QLineEdit()
            self.reden.setPlaceholderText(placeholder)
            self.reden.textChanged.connect(lambda _: self.fout.setText(""))
        self.reden.setAccessibleName(veld_naam)
        naam = QLabel(label)
        naam.setBuddy(self.reden)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(ok_text)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(tekst)
        layout.addWidget(naam)
        layout.addWidget(self.reden)
        layout.addWidget(self.fout)
        layout.addWidget(self.buttons)
        self.resize(560, self.sizeHint().height())
        self.reden.setFocus()

    def text(self) -> str:
        widget = self.reden
        return (widget.toPlainText() if isinstance(widget, QPlainTextEdit) else widget.text()).strip()

    @property
    def dirty(self) -> bool:
        return bool(self.text())

    def accept(self) -> None:
        reden = self.text()
        if not reden:
            self.fout.setText(self._leeg)
            self.reden.setFocus()
            return
        error = self._doe(reden)
        if error is not None:
            self.fout.setText(error)
            return
        QDialog.accept(self)
