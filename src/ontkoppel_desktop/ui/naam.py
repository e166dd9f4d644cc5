"""The user's name: every change is recorded under it (the history's "wie"), and every verslag has it as author."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QInputDialog, QLineEdit, QWidget

from ontkoppel_desktop.ui.session import Session

VRAAG = ("Onder welke naam leg je wijzigingen vast? Die naam staat in de geschiedenis van elk traject.\n"
         "(Later te wijzigen via Bestand → Instellingen.)")


class NaamDialog(QInputDialog):
    """Asks the name, and stays open when it is left empty, saying why a name is needed: leaving it empty must
    not quietly cancel what the user was doing (Annuleren does, and says so)."""

    def __init__(self, parent: QWidget | None, doel: str) -> None:
        super().__init__(parent)
        self.doel = doel
        self.setWindowTitle("Jouw naam")
        self.setInputMode(QInputDialog.InputMode.TextInput)
        self.setLabelText(VRAAG)
        self.setOkButtonText("&Naam gebruiken")
        self.setCancelButtonText("&Annuleren")
        self.setAccessibleName("Jouw naam")
        field = self.findChild(QLineEdit)
        if field is not None:
            field.setAccessibleName("Jouw naam")

    def done(self, result: int) -> None:
        if result == QDialog.DialogCode.Accepted and not self.textValue().strip():
            self.setLabelText(f"Vul je naam in: zonder naam wordt {self.doel} niet vastgelegd, want elke wijziging "
                              "staat in de geschiedenis met wie haar vastlegde. Of kies Annuleren.\n\n" + VRAAG)
            field = self.findChild(QLineEdit)
            if field is not None:
                field.setFocus()
            return
        super().done(result)


def ask_user_name(parent: QWidget, session: Session, doel: str = "je wijziging") -> str:
    """The name every change is recorded under (the history's "wie"); asked once, kept in the settings. `doel`
    says what waits for it ("de stap"), in the words the dialog uses when the name is left empty. "" when the
    user chose Annuleren."""
    name = session.settings.gebruikersnaam.strip()
    if name:
        return name
    dialog = NaamDialog(parent, doel)
    try:
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return ""
        name = dialog.textValue().strip()
    finally:
        dialog.deleteLater()
    if name:
        session.settings.gebruikersnaam = name
        session.settings.save()
    return name
