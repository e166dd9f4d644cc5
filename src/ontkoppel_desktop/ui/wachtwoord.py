"""Wachtwoord fields, the strength meter, the herstelsleutel sheet and the change-wachtwoord dialog."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction, QFont, QPainter, QTextDocument
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ontkoppel_desktop.store.keys import SleutelFout
from ontkoppel_desktop.store.store import SleutelVernieuwing
from ontkoppel_desktop.store.wachtwoord_sterkte import MIN_WACHTWOORD_LENGTE, wachtwoord_sterkte
from ontkoppel_desktop.ui.background import run_in_background
from ontkoppel_desktop.ui.operations import user_message
from ontkoppel_desktop.ui.session import Session

_STERKTE_KLEUR = {0: "#b3261e", 1: "#c25e00", 2: "#b38600", 3: "#2e7d32", 4: "#1b5e20"}


class WachtwoordVeld(QLineEdit):
    """A password line edit with a show/hide toggle in the field."""

    def __init__(self, placeholder: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setEchoMode(QLineEdit.EchoMode.Password)
        self.setPlaceholderText(placeholder)
        self._toggle = QAction("Toon", self)
        self._toggle.setToolTip("Wachtwoord tonen of verbergen")
        self._toggle.triggered.connect(self._flip)
        self.addAction(self._toggle, QLineEdit.ActionPosition.TrailingPosition)
        self.setMinimumWidth(280)

    def _flip(self) -> None:
        hidden = self.echoMode() == QLineEdit.EchoMode.Password
        self.setEchoMode(QLineEdit.EchoMode.Normal if hidden else QLineEdit.EchoMode.Password)
        self._toggle.setText("Verberg" if hidden else "Toon")


class NieuwWachtwoord(QWidget):
    """Choose and confirm a wachtwoord, with a visible strength indication. `valid_changed` drives the
    dialog's OK button."""

    valid_changed = Signal(bool)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.eerste = WachtwoordVeld(f"minimaal {MIN_WACHTWOORD_LENGTE} tekens")
        self.eerste.setAccessibleName("Nieuw wachtwoord")
        self.tweede = WachtwoordVeld("nogmaals hetzelfde wachtwoord")
        self.tweede.setAccessibleName("Herhaal wachtwoord")
        self.meter = QProgressBar()
        self.meter.setRange(0, 4)
        self.meter.setTextVisible(False)
        self.meter.setFixedHeight(8)
        self.sterkte = QLabel()
        self.sterkte.setAccessibleName("Sterkte van het wachtwoord")
        # What makes it weak and what would help, in Dutch (zxcvbn's advice); empty once it is strong enough.
        self.tips = QLabel()
        self.tips.setAccessibleName("Tips voor een sterker wachtwoord")
        self.tips.setWordWrap(True)
        self.melding = QLabel()
        self.melding.setWordWrap(True)
        form = QFormLayout(self)
        form.setContentsMargins(0, 0, 0, 0)
        form.addRow("&Wachtwoord:", self.eerste)
        form.addRow("", self.meter)
        form.addRow("Sterkte:", self.sterkte)
        form.addRow("", self.tips)
        form.addRow("&Herhaal wachtwoord:", self.tweede)
        form.addRow("", self.melding)
        self.eerste.textChanged.connect(self._update)
        self.tweede.textChanged.connect(self._update)
        self._valid = False
        self._update()

    @property
    def wachtwoord(self) -> str:
        return self.eerste.text()

    def is_valid(self) -> bool:
        return self._valid

    def _update(self) -> None:
        sterkte = wachtwoord_sterkte(self.eerste.text())
        self.meter.setValue(sterkte.score)
        kleur = _STERKTE_KLEUR[sterkte.score]
        self.meter.setStyleSheet(f"QProgressBar::chunk {{ background: {kleur}; }}")
        # Text as well as colour: the strength is readable without seeing colours.
        self.sterkte.setText(sterkte.label if self.eerste.text() else "—")
        self.sterkte.setStyleSheet(f"color: {kleur}; font-weight: bold;" if self.eerste.text() else "")
        tips = sterkte.tips if self.eerste.text() and len(self.eerste.text()) >= MIN_WACHTWOORD_LENGTE else ()
        self.tips.setText(" ".join(tips) + (" Minimaal „Goed” is nodig." if tips else ""))
        self.tips.setVisible(bool(tips))
        gelijk = self.eerste.text() == self.tweede.text()
        if self.tweede.text() and not gelijk:
            self.melding.setText("De twee wachtwoorden zijn niet gelijk.")
        else:
            self.melding.setText("")
        valid = sterkte.voldoende and gelijk
        if valid != self._valid:
            self._valid = valid
            self.valid_changed.emit(valid)


HERSTEL_UITLEG = (
    "Dit is de <b>herstelsleutel</b> van deze opslag. Hij wordt nu één keer getoond en nergens bewaard. "
    "Druk hem af of schrijf hem op en bewaar hem op een veilige plek, apart van je laptop.<br><br>"
    "<b>Let op:</b> zonder wachtwoord én zonder herstelsleutel zijn de gegevens niet meer terug te halen. "
    "Ook de applicatiebeheerder kan dat niet."
)


class HerstelsleutelDialog(QDialog):
    """Shows the herstelsleutel once; Verder only after the user confirms it is written down."""

    def __init__(self, herstelsleutel: str, bestandsnaam: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Herstelsleutel")
        self._sleutel = herstelsleutel
        self._bestandsnaam = bestandsnaam
        uitleg = QLabel(HERSTEL_UITLEG)
        uitleg.setWordWrap(True)
        sleutel = QLabel(herstelsleutel)
        sleutel.setObjectName("herstelsleutel")
        font = QFont("monospace")
        font.setStyleHint(QFont.StyleHint.Monospace)
        font.setPointSize(font.pointSize() + 5)
        font.setBold(True)
        sleutel.setFont(font)
        sleutel.setAlignment(Qt.AlignmentFlag.AlignCenter)
        sleutel.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        sleutel.setStyleSheet("padding: 14px; border: 2px dashed #666; background: #fffbe6; color: #111;")
        afdrukken = QPushButton("&Afdrukken…")
        afdrukken.clicked.connect(self._print)
        self.bevestig = QCheckBox("Ik heb de herstelsleutel afgedrukt of opgeschreven")
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText("&Verder")
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(False)
        self.bevestig.toggled.connect(self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled)
        self.buttons.accepted.connect(self.accept)
        layout = QVBoxLayout(self)
        layout.addWidget(uitleg)
        layout.addWidget(sleutel)
        layout.addWidget(afdrukken, alignment=Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(self.bevestig)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(560)

    def reject(self) -> None:
        # Closing without confirming would lose the only copy of the key: only Verder leaves.
        if self.bevestig.isChecked():
            self.accept()

    def _print(self) -> None:
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        dialog = QPrintDialog(printer, self)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        doc = QTextDocument()
        doc.setHtml(
            f"<h2>Ontkoppel Desktop — herstelsleutel</h2><p>Opslag: {self._bestandsnaam}</p>"
            f"<p style='font-size:20pt; font-family:monospace'><b>{self._sleutel}</b></p>"
            "<p>Bewaar dit papier op een veilige plek. Met deze sleutel kan de opslag worden geopend "
            "als het wachtwoord vergeten is.</p>"
        )
        painter = QPainter(printer)
        doc.drawContents(painter)
        painter.end()


class WachtwoordWijzigenDialog(QDialog):
    """Change the wachtwoord. When the store was opened with the herstelsleutel, the current wachtwoord is
    not asked and the dialog cannot be skipped."""

    def __init__(
        self, session: Session, parent: QWidget | None = None, *, verplicht: bool = False, vernieuwen: bool = False
    ) -> None:
        super().__init__(parent)
        self.session = session
        self.verplicht = verplicht
        self.setWindowTitle(
            "Nieuw wachtwoord kiezen" if verplicht else "Sleutel vernieuwen" if vernieuwen else "Wachtwoord wijzigen"
        )
        layout = QVBoxLayout(self)
        if verplicht:
            uitleg = QLabel(
                "Je hebt de opslag geopend met de herstelsleutel. Kies nu een nieuw wachtwoord; "
                "het oude wachtwoord werkt daarna niet meer."
            )
            uitleg.setWordWrap(True)
            layout.addWidget(uitleg)
        self.huidig = WachtwoordVeld()
        self.huidig.setAccessibleName("Huidig wachtwoord")
        if not verplicht:
            form = QFormLayout()
            form.addRow("H&uidig wachtwoord:", self.huidig)
            layout.addLayout(form)
        self.nieuw = NieuwWachtwoord()
        layout.addWidget(self.nieuw)
        # Changing the wachtwoord only rewraps the key: an old key file (a back-up's, a copy) still opens today's
        # store with the old wachtwoord. When the old one may be known to others, the key itself is renewed.
        self.vernieuwen = QCheckBox("&Mijn huidige wachtwoord kan bekend zijn bij anderen: vernieuw ook de sleutel")
        self.vernieuwen.setChecked(vernieuwen)
        self.vernieuwen_uitleg = QLabel(VERNIEUWEN_UITLEG)
        self.vernieuwen_uitleg.setWordWrap(True)
        self.vernieuwen_uitleg.setVisible(vernieuwen)
        self.vernieuwen.toggled.connect(self.vernieuwen_uitleg.setVisible)
        self.vernieuwen.toggled.connect(self._update_ok_text)
        if not verplicht:
            layout.addWidget(self.vernieuwen)
            layout.addWidget(self.vernieuwen_uitleg)
        self.fout = QLabel()
        self.fout.setStyleSheet("color: #b3261e;")
        self.fout.setWordWrap(True)
        layout.addWidget(self.fout)
        buttons = QDialogButtonBox.StandardButton.Ok
        if not verplicht:
            buttons |= QDialogButtonBox.StandardButton.Cancel
        self.buttons = QDialogButtonBox(buttons)
        self.ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self._update_ok_text()
        self.ok.setEnabled(False)
        self.nieuw.valid_changed.connect(self.ok.setEnabled)
        self.buttons.accepted.connect(self._save)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)

    def reject(self) -> None:
        if not self.verplicht:
            super().reject()

    def _update_ok_text(self) -> None:
        self.ok.setText("Sleutel &vernieuwen" if self.vernieuwen.isChecked() else "Wachtwoord &opslaan")

    def _save(self) -> None:
        if self.vernieuwen.isChecked() and not self.verplicht:
            self._vernieuw()
            return
        huidig = None if self.verplicht else self.huidig.text()
        nieuw = self.nieuw.wachtwoord
        store = self.session.store
        self.ok.setEnabled(False)
        self.fout.setText("Bezig met opslaan…")

        def done(_: object) -> None:
            self.fout.setText("")
            self.accept()

        def failed(exc: BaseException) -> None:
            self.ok.setEnabled(self.nieuw.is_valid())
            text = user_message(exc)
            if isinstance(exc, SleutelFout) and huidig is not None:
                text = "Het huidige wachtwoord klopt niet."
            self.fout.setText(text)

        # Key derivation takes about half a second: keep the window responsive. Only the key file is
        # written; the database connection is not touched from the thread.
        run_in_background(self, lambda: store.change_wachtwoord(nieuw, huidig), done, failed)

    def _vernieuw(self) -> None:
        huidig, nieuw = self.huidig.text(), self.nieuw.wachtwoord
        store = self.session.store
        self.ok.setEnabled(False)
        self.fout.setText("Bezig met voorbereiden…")

        def failed(exc: BaseException) -> None:
            if QApplication.overrideCursor() is not None:
                QApplication.restoreOverrideCursor()
            self.ok.setEnabled(self.nieuw.is_valid())
            text = user_message(exc)
            if isinstance(exc, SleutelFout) and "Onjuist wachtwoord" in str(exc):
                text = "Het huidige wachtwoord klopt niet."
            self.fout.setText(text)

        def prepared(vernieuwing: SleutelVernieuwing) -> None:
            self.fout.setText("")
            # The new herstelsleutel is shown (and confirmed written down) before anything changes.
            HerstelsleutelDialog(vernieuwing.herstelsleutel, store.path.name, self).exec()
            self.fout.setText("De opslag wordt opnieuw versleuteld…")
            self.fout.repaint()
            # On this thread, in one go: the connection is this thread's, and no autosave may write between the
            # copy and the switch.
            QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
            try:
                vernieuwing.voltooi()
            except Exception as exc:  # noqa: BLE001 - shown in Dutch; the store is as it was
                failed(exc)
                return
            QApplication.restoreOverrideCursor()
            self.fout.setText("")
            self.accept()

        # Two key derivations (the current wachtwoord, the new one) take about a second: off the UI thread.
        run_in_background(self, lambda: store.bereid_sleutel_vernieuwing(huidig, nieuw), prepared, failed)


VERNIEUWEN_UITLEG = (
    "De opslag wordt dan opnieuw versleuteld met een nieuwe sleutel, en je krijgt een nieuwe herstelsleutel. "
    "Je oude wachtwoord, je oude herstelsleutel en kopieën van het oude sleutelbestand openen de opslag daarna "
    "niet meer. Back-ups die je eerder maakte houden hun eigen sleutelbestand en hun oude wachtwoord: bewaar of "
    "vernietig ze bewust."
)
