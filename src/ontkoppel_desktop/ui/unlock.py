"""Unlocking: at start, after Ctrl+L and after the idle time. Wachtwoord, or the herstelsleutel."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFormLayout, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from ontkoppel_desktop.store.keys import KeyFile
from ontkoppel_desktop.ui.background import run_in_background
from ontkoppel_desktop.ui.operations import user_message
from ontkoppel_desktop.ui.wachtwoord import WachtwoordVeld


class UnlockPanel(QWidget):
    """Asks for the wachtwoord (or herstelsleutel) and derives the data key off the UI thread.

    Emits `key_ready(data_key, via_herstelsleutel)`. It never opens or writes the database itself, so a
    wrong wachtwoord cannot change the file.
    """

    key_ready = Signal(bytes, bool)
    other_file = Signal()

    def __init__(self, path: Path, key_file: KeyFile | None, *, allow_other_file: bool, hint: str = "") -> None:
        super().__init__()
        self.path = path
        self.key_file = key_file
        self._herstel = False
        self.title_text = path.name
        self.explanation = "Deze opslag is versleuteld. Vul je wachtwoord in om verder te gaan."
        self.titel = QLabel()
        self.titel.setWordWrap(True)
        self.uitleg = QLabel()
        self.uitleg.setWordWrap(True)
        self.veld = WachtwoordVeld()
        self.veld.setAccessibleName("Wachtwoord")
        self.veld.returnPressed.connect(self.submit)
        self.fout = QLabel()
        self.fout.setObjectName("fout")
        self.fout.setStyleSheet("color: #b3261e; font-weight: bold;")
        self.fout.setWordWrap(True)
        self.hint = QLabel(hint)
        self.hint.setStyleSheet("color: #555;")
        self.knop = QPushButton("&Ontgrendelen")
        self.knop.setDefault(True)
        self.knop.clicked.connect(self.submit)
        self.wissel = QPushButton()
        self.wissel.setFlat(True)
        self.wissel.setStyleSheet("text-decoration: underline; color: #1a5fb4;")
        self.wissel.clicked.connect(lambda: self.set_herstel_mode(not self._herstel))
        self.ander = QPushButton("&Ander bestand…")
        self.ander.setToolTip("Een andere opslag openen of maken, of de demo bekijken")
        self.ander.setFlat(True)
        self.ander.setStyleSheet("text-decoration: underline; color: #1a5fb4;")
        self.ander.clicked.connect(self.other_file.emit)
        self.ander.setVisible(allow_other_file)
        # Enter in the field means Ontgrendelen, never one of these links.
        for link in (self.wissel, self.ander):
            link.setAutoDefault(False)
        form = QFormLayout()
        self.veld_label = QLabel()
        self.veld_label.setBuddy(self.veld)
        form.addRow(self.veld_label, self.veld)
        form.addRow("", self.veld.caps_melding)
        links = QHBoxLayout()
        links.addWidget(self.wissel)
        links.addWidget(self.ander)
        links.addStretch(1)
        knoppen = QHBoxLayout()
        knoppen.addStretch(1)
        knoppen.addWidget(self.knop)
        layout = QVBoxLayout(self)
        layout.addWidget(self.titel)
        layout.addWidget(self.uitleg)
        layout.addLayout(form)
        layout.addWidget(self.fout)
        layout.addWidget(self.hint)
        layout.addLayout(links)
        layout.addLayout(knoppen)
        self.set_herstel_mode(False)

    def set_herstel_mode(self, herstel: bool) -> None:
        self._herstel = herstel
        self.titel.setText(f"<h2>{self.title_text}</h2>")
        if herstel:
            self.uitleg.setText("Vul de herstelsleutel in. Daarna kies je meteen een nieuw wachtwoord.")
            self.veld_label.setText("Herstel&sleutel:")
            self.veld.setAccessibleName("Herstelsleutel")
            self.veld.setPlaceholderText("XXXX-XXXX-XXXX-XXXX-XXXX-XXXX-XXXX-XXXX")
            self.wissel.setText("Toch met &wachtwoord")
        else:
            self.uitleg.setText(self.explanation)
            self.veld_label.setText("&Wachtwoord:")
            self.veld.setAccessibleName("Wachtwoord")
            self.veld.setPlaceholderText("")
            # Alt+G, not Alt+H: on the lock page the main window's Help menu has that one.
            self.wissel.setText("Wachtwoord vergeten? Herstelsleutel &gebruiken")
        self.fout.setText("")
        self.veld.clear()
        self.veld.setFocus()

    def reset(self) -> None:
        self.set_herstel_mode(False)

    def submit(self) -> None:
        secret = self.veld.text()
        if not secret or not self.knop.isEnabled():
            return
        herstel = self._herstel
        self.knop.setEnabled(False)
        self.veld.setEnabled(False)
        self.fout.setStyleSheet("color: #555;")
        self.fout.setText("Bezig met ontgrendelen…")
        self.setCursor(Qt.CursorShape.BusyCursor)
        path = self.path

        def derive() -> tuple[KeyFile, bytes]:
            from ontkoppel_desktop.store.store import Store

            key_file = self.key_file or Store.read_key_file(path)
            key = key_file.unwrap_herstelsleutel(secret) if herstel else key_file.unwrap_wachtwoord(secret)
            return key_file, key

        def done(result: tuple[KeyFile, bytes]) -> None:
            self._idle()
            self.key_file = result[0]
            self.fout.setText("")
            self.veld.clear()
            self.key_ready.emit(result[1], herstel)

        def failed(exc: BaseException) -> None:
            self.show_error(user_message(exc))

        run_in_background(self, derive, done, failed)

    def show_error(self, message: str) -> None:
        self._idle()
        self.fout.setStyleSheet("color: #b3261e; font-weight: bold;")
        self.fout.setText(message)
        self.veld.selectAll()
        self.veld.setFocus()

    def _idle(self) -> None:
        self.unsetCursor()
        self.knop.setEnabled(True)
        self.veld.setEnabled(True)
