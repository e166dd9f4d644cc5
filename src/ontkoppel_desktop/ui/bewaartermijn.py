"""Bewaartermijnen (AVG) in the app: the terms in Instellingen (`BewaartermijnInstellingen`), and Bestand ›
Bewaartermijnen… (`BewaartermijnDialog`): what has passed its term, and deleting it for good after confirmation.

The work is core's and the store's (core/bewaartermijn.py, store/bewaartermijn.py); the deletion goes through the one
gateway (ui/operations.change), which tells every screen what went."""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Callable, Collection
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ontkoppel_desktop.core.bewaartermijn import (
    AIOS,
    MAX_JAREN,
    MIN_JAREN,
    RONDE,
    TRAJECT,
    Bewaartermijnen,
    Sleutel,
    Verlopen,
    Verwijdering,
    reden,
    samen,
)
from ontkoppel_desktop.core.kalender import dutch_date
from ontkoppel_desktop.settings import Settings
from ontkoppel_desktop.store import backups
from ontkoppel_desktop.ui import operations
from ontkoppel_desktop.ui.session import Session

Index = QModelIndex | QPersistentModelIndex
_TERMIJNEN = (
    (TRAJECT, "bewaartermijn_trajecten", "Traje&cten (met verslagen en bijlagen):", " jaar na het sluiten"),
    (RONDE, "bewaartermijn_rondes", "Koppelron&des (keuzes en scores):", " jaar na de start"),
    (AIOS, "bewaartermijn_personen", "Vertrokke&n aios en opleiders:", " jaar na het archiveren"),
)


class BewaartermijnInstellingen(QGroupBox):
    """The Bewaartermijnen group (of Instellingen, and of the Bewaartermijnen window): a term per kind of record,
    with why beside it. `gewijzigd` is called on every change (the window lists again)."""

    def __init__(self, settings: Settings, parent: QWidget | None = None,
                 gewijzigd: Callable[[], None] | None = None) -> None:
        super().__init__("Bewaartermijnen (AVG)", parent)
        termijnen = settings.bewaartermijnen()
        self.jaren: dict[str, QSpinBox] = {}
        rooster = QGridLayout(self)
        uitleg = QLabel("Persoonsgegevens worden niet langer bewaard dan nodig. Na de termijn staat een gegeven in "
                        "Bestand › Bewaartermijnen, waar je het definitief verwijdert. Stem de termijnen af met de "
                        "functionaris gegevensbescherming van het instituut.")
        uitleg.setWordWrap(True)
        rooster.addWidget(uitleg, 0, 0, 1, 3)
        for rij, (soort, _veld, label, achtervoegsel) in enumerate(_TERMIJNEN, start=1):
            spin = QSpinBox()
            spin.setRange(MIN_JAREN, MAX_JAREN)
            spin.setSuffix(achtervoegsel)
            spin.setValue(termijnen.jaren(soort))
            spin.setMinimumWidth(200)
            spin.setAccessibleName(label.replace("&", "").rstrip(":"))
            if gewijzigd is not None:
                spin.valueChanged.connect(lambda _value: gewijzigd())
            self.jaren[soort] = spin
            tekst = QLabel(label)
            tekst.setBuddy(spin)
            # Why, beside the setting: what the record still serves, and why the proposed number of years.
            waarom = QLabel(reden(soort))
            waarom.setWordWrap(True)
            waarom.setStyleSheet("color: #555;")
            rooster.addWidget(tekst, rij, 0, Qt.AlignmentFlag.AlignTop)
            rooster.addWidget(spin, rij, 1, Qt.AlignmentFlag.AlignTop)
            rooster.addWidget(waarom, rij, 2)
        rooster.setColumnStretch(2, 1)

    def termijnen(self) -> Bewaartermijnen:
        return Bewaartermijnen(self.jaren[TRAJECT].value(), self.jaren[RONDE].value(), self.jaren[AIOS].value())

    def toepassen(self, settings: Settings) -> None:
        for soort, veld, _label, _achtervoegsel in _TERMIJNEN:
            setattr(settings, veld, self.jaren[soort].value())


# ---- the list ---------------------------------------------------------------------------------------------------

_KOLOMMEN = ("Verwijderen", "Soort", "Wie", "Termijn", "Verlopen op", "Gaat mee", "Bewaard voor")


class VerlopenModel(QAbstractTableModel):
    """What has passed its term, each row checkable. A person goes only with the trajecten and rondes that name
    them: checking the person checks those, unchecking one of those unchecks the person."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.items: list[Verlopen] = []
        self.gekozen: set[Sleutel] = set()

    def zet(self, items: list[Verlopen], gekozen: Collection[Sleutel] | None = None) -> None:
        self.beginResetModel()
        self.items = items
        sleutels = {i.sleutel for i in items}
        self.gekozen = samen(items, sleutels if gekozen is None else set(gekozen) & sleutels)
        self.endResetModel()

    def keuze(self) -> set[Sleutel]:
        return samen(self.items, self.gekozen)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802 (Qt API)
        return 0 if parent.isValid() else len(self.items)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(_KOLOMMEN)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:  # noqa: N802
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return _KOLOMMEN[section]
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        base = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        return base | Qt.ItemFlag.ItemIsUserCheckable if index.column() == 0 else base

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        item = self.items[index.row()]
        if role == Qt.ItemDataRole.CheckStateRole and index.column() == 0:
            return Qt.CheckState.Checked if item.sleutel in self.gekozen else Qt.CheckState.Unchecked
        if role == Qt.ItemDataRole.DisplayRole:
            return (
                "",
                item.soort_label,
                item.wie,
                item.termijn,
                dutch_date(item.verlopen_op),
                item.inhoud,
                item.doel,
            )[index.column()]
        if role == Qt.ItemDataRole.ToolTipRole:
            if item.vereist:
                return "Gaat alleen weg samen met de trajecten en rondes waarin deze persoon voorkomt."
            return item.reden
        return None

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:  # noqa: N802
        if role != Qt.ItemDataRole.CheckStateRole or index.column() != 0:
            return False
        item = self.items[index.row()]
        aan = Qt.CheckState(value) == Qt.CheckState.Checked
        if aan:
            self.gekozen |= {item.sleutel, *item.vereist}
        else:
            self.gekozen.discard(item.sleutel)
            # Whoever goes only with this one stays too.
            self.gekozen -= {i.sleutel for i in self.items if item.sleutel in i.vereist}
        self.dataChanged.emit(self.index(0, 0), self.index(len(self.items) - 1, 0))
        return True


class BewaartermijnDialog(QDialog):
    """Bestand › Bewaartermijnen…: what has passed its term, the terms themselves, and Definitief verwijderen."""

    def __init__(self, session: Session, parent: QWidget | None = None,
                 today: Callable[[], dt.date] = dt.date.today) -> None:
        super().__init__(parent)
        self.session = session
        self._today = today
        self.setWindowTitle("Bewaartermijnen")
        self.resize(1100, 640)
        uitleg = QLabel(
            "Hieronder staat wat langer bewaard is dan de bewaartermijn: gesloten trajecten met hun verslagen en "
            "bijlagen, koppelrondes, en vertrokken aios en opleiders die nergens meer in voorkomen. Een traject dat "
            "nog loopt, staat er nooit in. Vink uit wat je nog moet bewaren (bijvoorbeeld bij een lopend bezwaar of "
            "geschil). Definitief verwijderen kan niet ongedaan worden gemaakt.")
        uitleg.setWordWrap(True)
        self.instellingen = BewaartermijnInstellingen(session.settings, self, self._termijnen_gewijzigd)
        self.model = VerlopenModel(self)
        self.tabel = QTableView()
        self.tabel.setModel(self.model)
        self.tabel.setAccessibleName("Over de bewaartermijn")
        self.tabel.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.tabel.setWordWrap(True)
        self.tabel.verticalHeader().setVisible(False)
        header = self.tabel.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        for kolom, breedte in enumerate((75, 85, 230, 250, 115, 200)):
            self.tabel.setColumnWidth(kolom, breedte)
        self.model.dataChanged.connect(lambda *_: self._bijwerken())
        self.model.modelReset.connect(self._bijwerken)
        self.model.modelReset.connect(self.tabel.resizeRowsToContents)
        self.aantal = QLabel()
        self.resultaat = QLabel()
        self.resultaat.setWordWrap(True)
        self.resultaat.setVisible(False)
        self.verwijder = QPushButton("&Definitief verwijderen…")
        self.verwijder.setStyleSheet("color: #b3261e;")
        self.verwijder.clicked.connect(self.vraag_bevestiging)
        sluiten = QPushButton("&Sluiten")
        sluiten.clicked.connect(self.close)
        knoppen = QHBoxLayout()
        knoppen.addWidget(self.aantal, 1)
        knoppen.addWidget(self.verwijder)
        knoppen.addWidget(sluiten)
        layout = QVBoxLayout(self)
        layout.addWidget(uitleg)
        layout.addWidget(self.instellingen)
        layout.addWidget(self.tabel, 1)
        layout.addWidget(self.resultaat)
        layout.addLayout(knoppen)
        self.bevestiging: QMessageBox | None = None
        self.ja: QPushButton | None = None
        self.laatste: Verwijdering | None = None
        # Nothing about anyone stays in a window while the store is locked: it closes (there is no input to keep).
        session.locked.connect(self.close)
        self.vernieuw()

    # ---- the list ------------------------------------------------------------------------------------------------

    @property
    def termijnen(self) -> Bewaartermijnen:
        return self.instellingen.termijnen()

    def vernieuw(self) -> None:
        if self.session.is_locked:
            return
        gekozen = self.model.gekozen if self.model.items else None
        items = operations.run(self, lambda: self.session.store.bewaartermijn.verlopen(self.termijnen, self._today()))
        self.model.zet(items or [], gekozen)

    def _termijnen_gewijzigd(self) -> None:
        settings = self.session.settings
        self.instellingen.toepassen(settings)
        with contextlib.suppress(OSError):  # the window lists with the new terms all the same
            settings.save()
        self.vernieuw()

    def _bijwerken(self) -> None:
        totaal, gekozen = len(self.model.items), len(self.model.keuze())
        if not totaal:
            self.aantal.setText("Niets is over de bewaartermijn.")
        else:
            self.aantal.setText(f"{totaal} over de bewaartermijn, {gekozen} gekozen om te verwijderen.")
        self.verwijder.setEnabled(gekozen > 0)

    # ---- deleting -----------------------------------------------------------------------------------------------

    def _backup_zin(self) -> str:
        settings = self.session.settings
        if not settings.backups_automatisch or self.session.demo:
            return "Automatische back-ups staan uit."
        op = backups.verdwenen_uit_backups_op(dt.datetime.now())
        return (f"De automatische back-ups bewaren de gegevens nog tot ze vervallen: uiterlijk {dutch_date(op)} "
                "zijn ze uit de laatste verdwenen.")

    def vraag_bevestiging(self) -> None:
        keuze = self.model.keuze()
        if not keuze:
            return
        per_soort = {s: sum(1 for k in keuze if k[0] == s) for s in {k[0] for k in keuze}}
        wat = ", ".join(f"{n} {_soort_meervoud(s, n)}" for s, n in sorted(per_soort.items(), key=_volgorde))
        box = QMessageBox(QMessageBox.Icon.Warning, "Definitief verwijderen",
                          f"{wat[0].upper()}{wat[1:]} worden definitief verwijderd, met alles wat erbij hoort "
                          "(gebeurtenissen, alle versies van de verslagen, bijlagen, koppelingen). Dit kan niet "
                          f"ongedaan worden gemaakt.\n\n{self._backup_zin()} Een back-up die je zelf maakte en "
                          "documenten die eerder als Word of PDF zijn opgeslagen, houden de gegevens tot je ze "
                          "weggooit.", parent=self)
        ja = box.addButton("&Definitief verwijderen", QMessageBox.ButtonRole.DestructiveRole)
        nee = box.addButton("&Annuleren", QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(nee)
        box.setEscapeButton(nee)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        ja.clicked.connect(lambda: self._verwijder(keuze))
        nee.clicked.connect(lambda: setattr(self, "bevestiging", None))
        self.ja = ja
        self.bevestiging = box
        box.open()

    def _verwijder(self, keuze: set[Sleutel]) -> None:
        self.bevestiging = None
        gedaan: list[Verwijdering] = []

        def verwijder() -> Any:
            gedaan.append(self.session.store.bewaartermijn.verwijder(keuze, self.termijnen, self._today()))
            return gedaan[0].changes

        if operations.change(self, self.session, verwijder, initiator=self, title="Niet verwijderd") is None:
            self.vernieuw()
            return
        # An undo step holds the values of what it undoes: of the people just deleted too.
        self.session.clear_undo()
        self.laatste = v = gedaan[0]
        w = v.verwijderd
        delen = []
        if w.trajecten:
            verslagen = _aantal(len(w.verslagen), "verslag", "verslagen")
            gebeurtenissen = _aantal(w.gebeurtenissen, "gebeurtenis", "gebeurtenissen")
            delen.append(f"{_aantal(len(w.trajecten), 'traject', 'trajecten')} ({verslagen} in alle versies, "
                         f"{gebeurtenissen}, {_aantal(w.bijlagen, 'bijlage', 'bijlagen')})")
        if w.rondes:
            delen.append(_aantal(len(w.rondes), "koppelronde", "koppelrondes"))
        if w.aios or w.opleiders:
            delen.append(f"{_aantal(len(w.aios) + len(w.opleiders), 'persoon', 'personen')} met "
                         f"{_aantal(len(w.koppelingen), 'koppeling', 'koppelingen')}")
        opgeruimd = ("" if v.opgeruimd else " Het bestand wordt helemaal opgeschoond bij het vergrendelen of "
                     "afsluiten.")
        self.resultaat.setText(f"Definitief verwijderd: {', '.join(delen)}.{opgeruimd} "
                               f"{self._backup_zin()}")
        self.resultaat.setVisible(True)
        self.vernieuw()


def _aantal(n: int, enkel: str, meer: str) -> str:
    return f"{n} {enkel if n == 1 else meer}"


def _soort_meervoud(soort: str, n: int) -> str:
    return {TRAJECT: ("traject", "trajecten"), RONDE: ("koppelronde", "koppelrondes"),
            AIOS: ("aios", "aios")}.get(soort, ("opleider", "opleiders"))[0 if n == 1 else 1]


def _volgorde(paar: tuple[str, int]) -> int:
    return {TRAJECT: 0, RONDE: 1, AIOS: 2}.get(paar[0], 3)


def open_bewaartermijnen(parent: QWidget, session: Session,
                         today: Callable[[], dt.date] = dt.date.today) -> BewaartermijnDialog:
    """Bestand › Bewaartermijnen…: window-modal and non-blocking, like every window that can be locked."""
    dialog = BewaartermijnDialog(session, parent, today)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.open()
    return dialog


__all__ = ["BewaartermijnDialog", "BewaartermijnInstellingen", "VerlopenModel", "open_bewaartermijnen"]
