"""Starting a traject on a running koppeling: by a signaal or a ziekmelding, with its LOVAH category."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from PySide6.QtWidgets import (
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from ontkoppel_desktop.core.changes import Changes
from ontkoppel_desktop.core.personen import Koppeling
from ontkoppel_desktop.core.procedure import Categorie, Startreden
from ontkoppel_desktop.ui.dutch import pydate
from ontkoppel_desktop.ui.form_dialog import FormDialog
from ontkoppel_desktop.ui.lookups import Lookups
from ontkoppel_desktop.ui.session import Session
from ontkoppel_desktop.ui.widgets import combo, date_edit


class NewTrajectDialog(FormDialog):
    discard_title = "Niet opgeslagen"
    discard_text = "Het traject is nog niet gestart. Wat je invulde weggooien?"

    def __init__(
        self,
        koppelingen: list[Koppeling],
        lookups: Lookups,
        start: Callable[[int, Startreden, Categorie, date, str], Changes],
        parent: QWidget | None = None,
        *,
        session: Session,
        initiator: object = None,
    ) -> None:
        super().__init__(parent, session=session, initiator=initiator)
        self.setWindowTitle("Nieuw traject")
        self._start = start
        items = sorted(
            (f"{lookups.aios_sorteernaam(k.aios_id)} — {lookups.opleider_naam(k.opleider_id)} "
             f"({lookups.opleider_praktijk(k.opleider_id)})", k.id)
            for k in koppelingen
        )
        self.koppeling = combo([("— kies een koppeling —", None), *items], searchable=True)
        self.koppeling.setAccessibleName("Koppeling")
        self.reden = combo([(r.label, r) for r in Startreden])
        # No category until one is chosen: a preselected one is saved unnoticed, and it matters (LOVAH).
        self.categorie = combo([("— kies een categorie —", None), *((c.label, c) for c in Categorie)])
        self.datum = date_edit(date.today())
        self.omschrijving = QPlainTextEdit()
        self.omschrijving.setTabChangesFocus(True)
        self.omschrijving.setFixedHeight(90)
        uitleg = QLabel(
            "Een traject start met een signaal van onvrede (van aios, opleider, terugkomdag of de docenten zelf) "
            "of met een ziekmelding van de aios vanwege de opleidingsrelatie; dan nemen de docenten binnen "
            "1 week telefonisch contact op met aios en opleider."
        )
        uitleg.setWordWrap(True)
        uitleg.setStyleSheet("color: #555;")
        form = QFormLayout()
        form.addRow("&Koppeling *:", self.koppeling)
        form.addRow("&Aanleiding:", self.reden)
        form.addRow("&Categorie (LOVAH) *:", self.categorie)
        form.addRow("&Datum:", self.datum)
        form.addRow("&Omschrijving:", self.omschrijving)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Save).setText("Traject &starten")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(uitleg)
        layout.addLayout(form)
        layout.addWidget(self.fout)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(560)

    def accept(self) -> None:
        koppeling_id = self.koppeling.currentData()
        if koppeling_id is None or self.koppeling.currentIndex() <= 0:
            self.fout.setText("Kies de koppeling waarop het traject start.")
            self.koppeling.setFocus()
            return
        categorie = self.categorie.currentData()
        if categorie is None:
            self.fout.setText("Kies de categorie (LOVAH) van het traject.")
            self.categorie.setFocus()
            return
        self.finish(lambda: self._start(
            koppeling_id, self.reden.currentData(), categorie, pydate(self.datum.date()),
            self.omschrijving.toPlainText().strip(),
        ))

    @property
    def dirty(self) -> bool:
        return bool(self.omschrijving.toPlainText().strip() or self.koppeling.currentIndex() > 0
                    or self.categorie.currentIndex() > 0)
