"""The dates of the opleidersterugkomdagen: the invitation to report there is due on the next one
(Utrecht 5.3.2), so the app needs to know them."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ontkoppel_desktop.ui import operations
from ontkoppel_desktop.ui.dutch import datum, pydate
from ontkoppel_desktop.ui.session import Session
from ontkoppel_desktop.ui.widgets import date_edit


class AgendaDialog(QDialog):
    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Opleidersterugkomdagen")
        self.session = session
        uitleg = QLabel("Een ontkoppelde opleider wordt uitgenodigd om op de eerstvolgende opleidersterugkomdag "
                        "te vertellen over het proces. De termijn van die uitnodiging volgt deze data.")
        uitleg.setWordWrap(True)
        self.lijst = QListWidget()
        self.lijst.setAccessibleName("Opleidersterugkomdagen")
        self.datum = date_edit(date.today())
        self.datum.setAccessibleName("Datum van de opleidersterugkomdag")
        self.omschrijving = QLineEdit()
        self.omschrijving.setPlaceholderText("omschrijving (optioneel)")
        self.omschrijving.setAccessibleName("Omschrijving (optioneel)")
        toevoegen = QPushButton("&Toevoegen")
        toevoegen.clicked.connect(self.add)
        self.verwijder = QPushButton("&Verwijderen")
        self.verwijder.clicked.connect(self.remove)
        row = QHBoxLayout()
        row.addWidget(self.datum)
        row.addWidget(self.omschrijving, 1)
        row.addWidget(toevoegen)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(uitleg)
        layout.addWidget(self.lijst, 1)
        layout.addLayout(row)
        layout.addWidget(self.verwijder, alignment=Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(buttons)
        self.setMinimumSize(520, 380)
        self._load()

    def _load(self) -> None:
        self.lijst.clear()
        for agenda_id, dag, omschrijving in self.session.store.trajecten.agenda_rows():
            voorbij = dag < date.today()
            # Grey and the word: colour is never the only signal.
            item = QListWidgetItem(f"{datum(dag)}" + (f" — {omschrijving}" if omschrijving else "")
                                   + (" (voorbij)" if voorbij else ""))
            item.setData(Qt.ItemDataRole.UserRole, agenda_id)
            if voorbij:
                item.setForeground(Qt.GlobalColor.gray)
            self.lijst.addItem(item)
        self.verwijder.setEnabled(self.lijst.count() > 0)

    def add(self) -> None:
        day, omschrijving = pydate(self.datum.date()), self.omschrijving.text()
        session = self.session
        if operations.change(self, session, lambda: session.store.trajecten.add_agenda(day, omschrijving),
                             initiator=self) is not None:
            self.omschrijving.clear()
            self._load()

    def remove(self) -> None:
        item = self.lijst.currentItem()
        if item is None:
            return
        agenda_id = int(item.data(Qt.ItemDataRole.UserRole))
        session = self.session
        if operations.change(self, session, lambda: session.store.trajecten.remove_agenda(agenda_id),
                             initiator=self) is not None:
            self._load()
