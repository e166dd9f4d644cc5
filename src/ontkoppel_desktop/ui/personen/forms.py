"""Edit dialogs for every kind in Personen. Each shows the rule it breaks inline, in Dutch, and asks
before throwing typed input away. A row that mirrors the institute's Personen (issue 17) shows what the institute
keeps greyed out, with a note where to change it; the laptop's own fields stay editable."""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from ontkoppel_desktop.core import changes as c
from ontkoppel_desktop.core.changes import Changes
from ontkoppel_desktop.core.personen import (
    MIN_AANWEZIGHEID_DUO,
    Aios,
    Docent,
    DocentSoort,
    Groep,
    Koppeling,
    Medewerker,
    Naam,
    Opleider,
    Praktijk,
)
from ontkoppel_desktop.core.personen_service import SOORT, VAN_INSTITUUT
from ontkoppel_desktop.core.rollen import MEDEWERKER_ROLLEN, Rol
from ontkoppel_desktop.ui.dutch import pydate, qdate
from ontkoppel_desktop.ui.form_dialog import FormDialog
from ontkoppel_desktop.ui.lookups import Lookups
from ontkoppel_desktop.ui.session import Session
from ontkoppel_desktop.ui.widgets import combo, date_edit

# What of a mirrored row its form shows but does not let change. The service refuses a change to VAN_INSTITUUT;
# a groep's and a koppeling's fields below it lets through, but the mirror takes them over again at the next
# synchronisation (instituut/spiegel.py), so a change made here would not last. A koppeling's einddatum stays
# editable: an end recorded here stands until the institute records one.
VELDEN_VAN_INSTITUUT: dict[str, tuple[str, ...]] = {
    **VAN_INSTITUUT,
    c.GROEP: ("naam", "opleidingsjaar"),
    c.KOPPELING: ("aios_id", "opleider_id", "startdatum"),
}
# The fields in the note at the top of such a form.
_VELD_WOORD = {
    "naam": "naam", "opleidingsjaar": "opleidingsjaar", "startdatum_opleiding": "startdatum",
    "deeltijdpercentage": "deeltijd", "groep_id": "groep", "praktijk_id": "praktijk", "plaats": "plaats",
    "aios_id": "aios", "opleider_id": "opleider", "startdatum": "startdatum",
}
WAAR_WIJZIGEN = "Instituut › Personen van het instituut"


def _opsomming(woorden: list[str]) -> str:
    return woorden[0] if len(woorden) == 1 else f"{', '.join(woorden[:-1])} en {woorden[-1]}"


class RecordDialog(FormDialog):
    """Base of the edit dialogs: build() makes the fields, load() fills them, collect() reads them back.
    Only Opslaan writes, through `save` (a service call), in one transaction; `written` is then the object as
    saved (with its id).

    `van_instituut`: the row mirrors the institute's; the fields of VELDEN_VAN_INSTITUUT[table] are disabled,
    a note says where they are changed, and what is saved keeps them as they were loaded."""

    # The table of the rows this form edits (a kind of change).
    table = ""

    def __init__(
        self, title: str, obj: Any, save: Callable[[Any], Changes], lookups: Lookups, parent: QWidget | None = None,
        *, session: Session, initiator: object = None, van_instituut: bool = False,
    ) -> None:
        super().__init__(parent, session=session, initiator=initiator)
        self.setWindowTitle(title)
        self.written: Any = None
        self.original = copy.deepcopy(obj)
        self.lookups = lookups
        self._save = save
        self.van_instituut = van_instituut and obj.id is not None
        self.instituut_velden: tuple[str, ...] = VELDEN_VAN_INSTITUUT.get(self.table, ()) if self.van_instituut else ()
        self.instituut_uitleg = QLabel()
        self.instituut_uitleg.setWordWrap(True)
        self.instituut_uitleg.setVisible(False)
        self.form = QFormLayout()
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.instituut_uitleg)
        layout.addLayout(self.form)
        layout.addWidget(self.fout)
        layout.addWidget(self.buttons)
        self.build()
        self.load(obj)
        if self.instituut_velden:
            self._alleen_instituut()
        self._loaded = self.gegevens()
        self.setMinimumWidth(540)

    def _alleen_instituut(self) -> None:
        """Grey out what the institute keeps and say so above the form; with nothing left to change, only
        Sluiten."""
        velden = self.velden()
        for veld in self.instituut_velden:
            for widget in velden.get(veld, ()):
                widget.setEnabled(False)
        eigen = [veld for veld in velden if veld not in self.instituut_velden]
        woorden = [_VELD_WOORD[v] for v in self.instituut_velden if v in _VELD_WOORD]
        tekst = (f"{SOORT[self.table].capitalize()} komt van het instituut. {_opsomming(woorden).capitalize()} "
                 f"wijzigt u daar: {WAAR_WIJZIGEN} (als uw rol dat mag; anders de jaarassistent of de manager "
                 "opleiders). Bij de volgende synchronisatie komt de wijziging hier. ")
        tekst += "De andere velden horen bij deze laptop en wijzigt u hier." if eigen else "Hier is niets te wijzigen."
        self.instituut_uitleg.setText(tekst)
        self.instituut_uitleg.setStyleSheet("background: #e8f0fe; color: #1b1b1b; padding: 6px; border-radius: 4px;")
        self.instituut_uitleg.setVisible(True)
        self.setAccessibleDescription(tekst)
        if not eigen:
            self.buttons.button(QDialogButtonBox.StandardButton.Save).setEnabled(False)
            self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("Sluiten")

    def build(self) -> None:
        raise NotImplementedError

    def velden(self) -> dict[str, list[QWidget]]:
        """The form's widgets per field of the row (the names of core.personen): what a mirrored row greys out."""
        return {}

    def gegevens(self) -> Any:
        """What the form holds (collect()); of a mirrored row, what the institute keeps as it was loaded: a value a
        widget cannot show (a groep no longer in the list) is never changed without being seen."""
        obj = self.collect()
        for veld in self.instituut_velden:
            setattr(obj, veld, copy.deepcopy(getattr(self.original, veld)))
        return obj

    def load(self, obj: Any) -> None:
        raise NotImplementedError

    def collect(self) -> Any:
        raise NotImplementedError

    def naam_fields(self, naam: Naam) -> None:
        self.voornaam = QLineEdit(naam.voornaam)
        self.tussenvoegsel = QLineEdit(naam.tussenvoegsel)
        self.tussenvoegsel.setMaximumWidth(90)
        # Its placeholder stays whole in a narrow dialog (it was 'tusse…' at 150 %).
        self.tussenvoegsel.setMinimumWidth(self.tussenvoegsel.fontMetrics().horizontalAdvance("tussenv.") + 16)
        self.achternaam = QLineEdit(naam.achternaam)
        row = QHBoxLayout()
        row.addWidget(self.voornaam, 2)
        row.addWidget(self.tussenvoegsel, 1)
        row.addWidget(self.achternaam, 3)
        self.voornaam.setPlaceholderText("voornaam")
        self.tussenvoegsel.setPlaceholderText("tussenv.")
        self.achternaam.setPlaceholderText("achternaam")
        for edit, name in ((self.voornaam, "Voornaam"), (self.tussenvoegsel, "Tussenvoegsel"),
                           (self.achternaam, "Achternaam")):
            edit.setAccessibleName(name)
        label = QLabel("&Naam:")
        label.setBuddy(self.voornaam)
        self.form.addRow(label, row)

    def naam(self) -> Naam:
        return Naam(self.voornaam.text().strip(), self.tussenvoegsel.text().strip(), self.achternaam.text().strip())

    @property
    def dirty(self) -> bool:
        return bool(self.gegevens() != self._loaded)

    def accept(self) -> None:
        if not self.buttons.button(QDialogButtonBox.StandardButton.Save).isEnabled():
            return
        obj = self.gegevens()
        self.written = obj
        self.finish(lambda: self._save(obj))


class AiosDialog(RecordDialog):
    table = c.AIOS

    def velden(self) -> dict[str, list[QWidget]]:
        return {"naam": [self.voornaam, self.tussenvoegsel, self.achternaam], "opleidingsjaar": [self.jaar],
                "startdatum_opleiding": [self.start], "deeltijdpercentage": [self.deeltijd], "groep_id": [self.groep],
                "email": [self.email]}

    def build(self) -> None:
        self.naam_fields(Naam())
        self.jaar = combo([(f"Jaar {j}", j) for j in (1, 2, 3)])
        self.start = date_edit()
        self.deeltijd = QSpinBox()
        self.deeltijd.setRange(50, 100)
        self.deeltijd.setSingleStep(5)
        self.deeltijd.setSuffix(" %")
        self.groep = combo([("— geen groep —", None)] + [(g.naam, g.id) for g in self.lookups.groepen_sorted()])
        self.docenten = QLabel()
        self.docenten.setStyleSheet("color: #555;")
        self.groep.currentIndexChanged.connect(self._show_docenten)
        self.email = QLineEdit()
        self.form.addRow("&Opleidingsjaar:", self.jaar)
        self.form.addRow("&Startdatum opleiding:", self.start)
        self.form.addRow("&Deeltijdpercentage:", self.deeltijd)
        self.form.addRow("&Groep:", self.groep)
        self.form.addRow("Docenten:", self.docenten)
        self.form.addRow("&E-mail:", self.email)

    def _show_docenten(self) -> None:
        self.docenten.setText(self.lookups.docenten_van_groep(self.groep.currentData()) or "—")

    def load(self, a: Aios) -> None:
        self.voornaam.setText(a.naam.voornaam)
        self.tussenvoegsel.setText(a.naam.tussenvoegsel)
        self.achternaam.setText(a.naam.achternaam)
        self.jaar.setCurrentIndex(self.jaar.findData(a.opleidingsjaar))
        if a.startdatum_opleiding:
            self.start.setDate(qdate(a.startdatum_opleiding))
        self.deeltijd.setValue(a.deeltijdpercentage)
        self.groep.setCurrentIndex(max(0, self.groep.findData(a.groep_id)))
        self._show_docenten()
        self.email.setText(a.email)

    def collect(self) -> Aios:
        return Aios(
            self.naam(),
            self.jaar.currentData(),
            pydate(self.start.date()),
            self.deeltijd.value(),
            self.groep.currentData(),
            self.email.text().strip(),
            id=self.original.id,
            gearchiveerd=self.original.gearchiveerd,
        )


class OpleiderDialog(RecordDialog):
    table = c.OPLEIDER

    def velden(self) -> dict[str, list[QWidget]]:
        return {"naam": [self.voornaam, self.tussenvoegsel, self.achternaam],
                "praktijk_id": [self.praktijk, self.nieuwe_praktijk], "curriculumjaar": [self.status],
                "begeleidt_coassistent": [self.coassistent], "duo_opleider": [self.duo],
                "aanwezigheidspercentage": [self.aanwezig], "hoofdopleider": [self.hoofd], "email": [self.email]}

    def build(self) -> None:
        self.naam_fields(Naam())
        self.praktijk = combo(
            [("— kies een praktijk —", None)] + [(p.weergave, p.id) for p in self.lookups.praktijken_sorted()],
            searchable=True,
        )
        self.status = combo([("Ervaren", None)] + [(f"Opleiderscurriculum jaar {j}", j) for j in (1, 2, 3, 4)])
        self.coassistent = QCheckBox("Laat de aios een coassistent begeleiden")
        self.duo = QCheckBox("Duo-opleider")
        self.aanwezig = QSpinBox()
        self.aanwezig.setRange(1, 100)
        self.aanwezig.setSuffix(" %")
        self.aanwezig_uitleg = QLabel(f"minimaal {MIN_AANWEZIGHEID_DUO} % (AMC-kaders)")
        self.aanwezig_uitleg.setStyleSheet("color: #555;")
        self.hoofd = QCheckBox("Hoofdopleider (verantwoordelijk voor de beoordeling)")
        self.duo.toggled.connect(self._duo_changed)
        self.email = QLineEdit()
        self.aanwezig.setAccessibleName("Aanwezigheid")
        self.aanwezig.setAccessibleDescription(self.aanwezig_uitleg.text())
        row = QHBoxLayout()
        row.addWidget(self.aanwezig)
        row.addWidget(self.aanwezig_uitleg, 1)
        # Nieuwe opleider on an empty store (issue 14): the praktijk is made here, not in another tab first.
        self.nieuwe_praktijk = QPushButton("Nieuwe p&raktijk…")
        self.nieuwe_praktijk.setToolTip("Een praktijk toevoegen en meteen kiezen")
        self.nieuwe_praktijk.clicked.connect(self.add_praktijk)
        self.praktijk.setAccessibleName("Praktijk")
        praktijk_row = QHBoxLayout()
        praktijk_row.addWidget(self.praktijk, 1)
        praktijk_row.addWidget(self.nieuwe_praktijk)
        praktijk_label = QLabel("&Praktijk:")
        praktijk_label.setBuddy(self.praktijk)
        self.form.addRow(praktijk_label, praktijk_row)
        self.form.addRow("&Status:", self.status)
        self.form.addRow("", self.coassistent)
        self.form.addRow("", self.duo)
        # A row whose field is a layout gets no buddy from QFormLayout, so its '&' was shown as it is.
        aanwezig_label = QLabel("&Aanwezigheid:")
        aanwezig_label.setBuddy(self.aanwezig)
        self.form.addRow(aanwezig_label, row)
        self.form.addRow("", self.hoofd)
        self.form.addRow("&E-mail:", self.email)

    def add_praktijk(self) -> PraktijkDialog:
        """The praktijk form over this one; once saved, the new praktijk is in the list and chosen."""
        session = self.session
        assert session is not None
        dialog = PraktijkDialog("Nieuwe praktijk", Praktijk(""), lambda p: session.store.personen.save_praktijk(p),
                                self.lookups, self, session=session, initiator=self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)

        def saved(_changes: Changes) -> None:
            praktijk: Praktijk = dialog.written
            self.praktijk.add(praktijk.weergave, praktijk.id)
            self.praktijk.setCurrentIndex(self.praktijk.findData(praktijk.id))
            self.praktijk.setFocus()

        dialog.saved.connect(saved)
        dialog.open()
        return dialog

    def _duo_changed(self, duo: bool) -> None:
        self.aanwezig.setEnabled(duo)
        self.hoofd.setEnabled(duo)
        if not duo:
            self.aanwezig.setValue(100)
            self.hoofd.setChecked(True)

    def load(self, o: Opleider) -> None:
        self.voornaam.setText(o.naam.voornaam)
        self.tussenvoegsel.setText(o.naam.tussenvoegsel)
        self.achternaam.setText(o.naam.achternaam)
        self.praktijk.setCurrentIndex(max(0, self.praktijk.findData(o.praktijk_id)))
        self.praktijk.lineEdit().setCursorPosition(0)  # a long name shows its start, not its last letters
        self.status.setCurrentIndex(max(0, self.status.findData(o.curriculumjaar)))
        self.coassistent.setChecked(o.begeleidt_coassistent)
        self.duo.setChecked(o.duo_opleider)
        self.aanwezig.setValue(o.aanwezigheidspercentage)
        self.hoofd.setChecked(o.hoofdopleider)
        self._duo_changed(o.duo_opleider)
        self.email.setText(o.email)

    def collect(self) -> Opleider:
        return Opleider(
            self.naam(),
            self.praktijk.currentData(),
            self.status.currentData(),
            self.coassistent.isChecked(),
            self.duo.isChecked(),
            self.aanwezig.value(),
            self.hoofd.isChecked(),
            self.email.text().strip(),
            id=self.original.id,
            gearchiveerd=self.original.gearchiveerd,
        )


class PraktijkDialog(RecordDialog):
    table = c.PRAKTIJK

    def velden(self) -> dict[str, list[QWidget]]:
        return {"naam": [self.naam_edit], "plaats": [self.plaats]}

    def build(self) -> None:
        self.naam_edit = QLineEdit()
        self.naam_edit.setAccessibleName("Naam")
        self.plaats = QLineEdit()
        self.form.addRow("&Naam:", self.naam_edit)
        self.form.addRow("&Plaats:", self.plaats)

    def load(self, p: Praktijk) -> None:
        self.naam_edit.setText(p.naam)
        self.plaats.setText(p.plaats)

    def collect(self) -> Praktijk:
        return Praktijk(self.naam_edit.text().strip(), self.plaats.text().strip(), id=self.original.id,
                        gearchiveerd=self.original.gearchiveerd)


class DocentDialog(RecordDialog):
    table = c.DOCENT

    def build(self) -> None:
        self.naam_fields(Naam())
        self.soort = combo([(s.label, s) for s in DocentSoort])
        self.email = QLineEdit()
        self.form.addRow("&Soort:", self.soort)
        self.form.addRow("&E-mail:", self.email)

    def load(self, d: Docent) -> None:
        self.voornaam.setText(d.naam.voornaam)
        self.tussenvoegsel.setText(d.naam.tussenvoegsel)
        self.achternaam.setText(d.naam.achternaam)
        self.soort.setCurrentIndex(max(0, self.soort.findData(d.soort)))
        self.email.setText(d.email)

    def collect(self) -> Docent:
        return Docent(self.naam(), self.soort.currentData(), self.email.text().strip(), id=self.original.id,
                      gearchiveerd=self.original.gearchiveerd)


class GroepDialog(RecordDialog):
    table = c.GROEP

    def velden(self) -> dict[str, list[QWidget]]:
        return {"naam": [self.naam_edit], "opleidingsjaar": [self.jaar], "huisarts_docent_id": [self.huisarts],
                "gedragswetenschapper_docent_id": [self.gedrag]}

    def build(self) -> None:
        self.naam_edit = QLineEdit()
        self.naam_edit.setAccessibleName("Naam")
        self.jaar = combo([(f"Jaar {j}", j) for j in (1, 2, 3)])
        docenten = self.lookups.docenten_sorted()
        self.huisarts = combo([("— geen —", None)] + [(d.naam.volledig, d.id) for d in docenten
                                                      if d.soort is DocentSoort.HUISARTS])
        self.gedrag = combo([("— geen —", None)] + [(d.naam.volledig, d.id) for d in docenten
                                                    if d.soort is DocentSoort.GEDRAGSWETENSCHAPPER])
        self.form.addRow("&Naam:", self.naam_edit)
        self.form.addRow("&Opleidingsjaar:", self.jaar)
        self.form.addRow("&Huisarts-docent:", self.huisarts)
        self.form.addRow("&Gedragswetenschappelijk docent:", self.gedrag)

    def load(self, g: Groep) -> None:
        self.naam_edit.setText(g.naam)
        self.jaar.setCurrentIndex(max(0, self.jaar.findData(g.opleidingsjaar)))
        self.huisarts.setCurrentIndex(max(0, self.huisarts.findData(g.huisarts_docent_id)))
        self.gedrag.setCurrentIndex(max(0, self.gedrag.findData(g.gedragswetenschapper_docent_id)))

    def collect(self) -> Groep:
        return Groep(self.naam_edit.text().strip(), self.jaar.currentData(), self.huisarts.currentData(),
                     self.gedrag.currentData(), id=self.original.id, gearchiveerd=self.original.gearchiveerd)


class MedewerkerDialog(RecordDialog):
    table = c.MEDEWERKER

    def build(self) -> None:
        self.naam_fields(Naam())
        self.rol = combo([(r.label, r) for r in MEDEWERKER_ROLLEN])
        self.jaar = combo([("—", None)] + [(f"Jaar {j}", j) for j in (1, 2, 3)])
        self.rol.currentIndexChanged.connect(self._rol_changed)
        self.email = QLineEdit()
        self.form.addRow("&Rol:", self.rol)
        self.form.addRow("&Opleidingsjaar:", self.jaar)
        self.form.addRow("&E-mail:", self.email)

    def _rol_changed(self) -> None:
        rol: Rol = self.rol.currentData()
        self.jaar.setEnabled(rol.per_opleidingsjaar)
        if not rol.per_opleidingsjaar:
            self.jaar.setCurrentIndex(0)

    def load(self, m: Medewerker) -> None:
        self.voornaam.setText(m.naam.voornaam)
        self.tussenvoegsel.setText(m.naam.tussenvoegsel)
        self.achternaam.setText(m.naam.achternaam)
        self.rol.setCurrentIndex(max(0, self.rol.findData(m.rol)))
        self.jaar.setCurrentIndex(max(0, self.jaar.findData(m.opleidingsjaar)))
        self._rol_changed()
        self.email.setText(m.email)

    def collect(self) -> Medewerker:
        return Medewerker(self.naam(), self.rol.currentData(), self.jaar.currentData(), self.email.text().strip(),
                          id=self.original.id, gearchiveerd=self.original.gearchiveerd)


class KoppelingDialog(RecordDialog):
    table = c.KOPPELING

    def velden(self) -> dict[str, list[QWidget]]:
        return {"aios_id": [self.aios], "opleider_id": [self.opleider], "startdatum": [self.start],
                "einddatum": [self.heeft_eind, self.eind]}

    def build(self) -> None:
        self.aios = combo([("— kies een aios —", None)] + [(a.naam.sorteernaam + f" (jaar {a.opleidingsjaar})", a.id)
                                                           for a in self.lookups.aios_sorted()], searchable=True)
        self.opleider = combo([("— kies een opleider —", None)] + [
            (f"{o.naam.sorteernaam} — {self.lookups.praktijk_naam(o.praktijk_id)}", o.id)
            for o in self.lookups.opleiders_sorted()
        ], searchable=True)
        self.start = date_edit()
        self.heeft_eind = QCheckBox("Einddatum")
        self.eind = date_edit()
        self.eind.setEnabled(False)
        self.heeft_eind.toggled.connect(self.eind.setEnabled)
        row = QHBoxLayout()
        row.addWidget(self.heeft_eind)
        row.addWidget(self.eind, 1)
        self.form.addRow("&Aios:", self.aios)
        self.form.addRow("&Opleider:", self.opleider)
        self.form.addRow("&Startdatum:", self.start)
        self.form.addRow("", row)

    def load(self, k: Koppeling) -> None:
        self.aios.setCurrentIndex(max(0, self.aios.findData(k.aios_id or None)))
        self.opleider.setCurrentIndex(max(0, self.opleider.findData(k.opleider_id or None)))
        self.start.setDate(qdate(k.startdatum))
        self.heeft_eind.setChecked(k.einddatum is not None)
        if k.einddatum:
            self.eind.setDate(qdate(k.einddatum))

    def collect(self) -> Koppeling:
        return Koppeling(
            self.aios.currentData() or 0,
            self.opleider.currentData() or 0,
            pydate(self.start.date()),
            pydate(self.eind.date()) if self.heeft_eind.isChecked() else None,
            id=self.original.id,
            gearchiveerd=self.original.gearchiveerd,
        )
