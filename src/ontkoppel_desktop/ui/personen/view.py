"""Personen: aios, opleiders, praktijken, groepen, docenten, medewerkers and koppelingen, each a tab with
search, add, edit and archive. Edits and archiving can be undone (Ctrl+Z).

A row that mirrors the institute's Personen (issue 17, instituut/spiegel.py) says so in the column Bron, shown only
while the tab has such a row; its form greys out what the institute keeps (forms.py)."""

from __future__ import annotations

import copy
from collections.abc import Callable, Collection
from dataclasses import dataclass
from datetime import date
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut, QUndoStack
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QHBoxLayout,
    QLabel,
    QMenu,
    QPushButton,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from ontkoppel_desktop.core import changes as c
from ontkoppel_desktop.core.changes import Changes
from ontkoppel_desktop.core.personen import (
    Aios,
    Docent,
    Groep,
    Koppeling,
    Medewerker,
    Naam,
    Opleider,
    Praktijk,
)
from ontkoppel_desktop.core.rollen import Rol
from ontkoppel_desktop.store.store import Store
from ontkoppel_desktop.ui.lookups import Lookups
from ontkoppel_desktop.ui.personen.forms import (
    AiosDialog,
    DocentDialog,
    GroepDialog,
    KoppelingDialog,
    MedewerkerDialog,
    OpleiderDialog,
    PraktijkDialog,
    RecordDialog,
)
from ontkoppel_desktop.ui.session import Session
from ontkoppel_desktop.ui.table_model import ID_ROLE, Column, ColumnFit, RecordTableModel
from ontkoppel_desktop.ui.undo import StoreCommand, push_change
from ontkoppel_desktop.ui.widgets import SearchField, context_menu, knop_in_menu, widget_shortcut


@dataclass
class Kind:
    key: str
    label: str
    enkelvoud: str
    table: str
    columns: list[Column[Any]]
    load: Callable[[Store, bool, Collection[int] | None], list[Any]]  # (store, archief, ids)
    search: Callable[[Any], str]
    dialog: type[RecordDialog]
    new: Callable[[], Any]
    save: Callable[[Store, Any], Changes]
    name: Callable[[Any], str]
    # Other kinds whose change shows in this tab's columns (a praktijk's name on its opleiders...).
    shows: tuple[str, ...] = ()
    # Inzage-export… (AVG art. 15) for a row of this kind: aios and opleiders.
    inzage: bool = False
    # Its rows can mirror the institute's Personen: its last column is Bron.
    instituut: bool = False


BRON_UITLEG = "Van het instituut: wijzigen via Instituut › Personen van het instituut"


class KindTab(QWidget):
    def __init__(self, view: PersonenView, kind: Kind) -> None:
        super().__init__()
        self.view = view
        self.kind = kind
        self.stale = True
        self._selected_after: int | None = None  # the row chosen when the store locked
        self.model: RecordTableModel[Any] = RecordTableModel(kind.columns, lambda r: r.id)
        self.zoek = SearchField(f"Zoek in {kind.label.lower()}…  (Ctrl+F)", f"Zoek {kind.label.lower()}")
        self.zoek.search.connect(lambda _: self._apply_search())
        self.archief = QCheckBox("Toon &gearchiveerd")
        self.archief.toggled.connect(lambda: self.refresh())
        self.nieuw = QPushButton("&Nieuw…")
        self.nieuw.setToolTip(f"Nieuwe {kind.enkelvoud} toevoegen (Ctrl+N)")
        self.nieuw.clicked.connect(self.add)
        self.bewerk = QPushButton("&Bewerken…")
        self.bewerk.setToolTip("Geselecteerde regel bewerken (Enter)")
        self.bewerk.clicked.connect(self.edit_current)
        self.archiveer = QPushButton("&Archiveren")
        self.archiveer.setToolTip("Geselecteerde regels archiveren of terugzetten (Delete)")
        self.archiveer.clicked.connect(self.toggle_archived)
        self.melding = ""  # the last word after a save, also for a test
        self.inzage: QPushButton | None = None
        if kind.inzage:
            self.inzage = QPushButton("In&zage-export…")
            self.inzage.setToolTip(f"Alles wat de app over deze {kind.enkelvoud} bewaart, in één document (AVG)")
            self.inzage.clicked.connect(self.inzage_export)
        self.aantal = QLabel()
        self.aantal.setStyleSheet("color: #555;")
        self.table = QTableView()
        self.table.setAccessibleName(kind.label)
        self.table.setModel(self.model)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(self.table.fontMetrics().height() + 10)
        # Columns never narrower than their header, at 1366 pixels as at 150 % (issue 14).
        self.fit = ColumnFit(self.table, kind.columns, lines=1)
        # Bron, hidden while no row of the tab comes from the institute (a laptop not connected never sees it).
        self.bron: int | None = len(kind.columns) - 1 if kind.instituut else None
        if self.bron is not None:
            self.fit.set_hidden(self.bron, True)
        self.table.doubleClicked.connect(lambda _: self.edit_current())
        self.table.activated.connect(lambda _: self.edit_current())
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._update_buttons())
        top = QHBoxLayout()
        top.addWidget(self.zoek, 1)
        top.addWidget(self.archief)
        top.addWidget(self.nieuw)
        top.addWidget(self.bewerk)
        top.addWidget(self.archiveer)
        if self.inzage is not None:
            top.addWidget(self.inzage)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.aantal)
        widget_shortcut(QKeySequence(Qt.Key.Key_Delete), self.table, self.toggle_archived)
        context_menu(self.table, self._fill_menu)
        self._update_buttons()

    def _fill_menu(self, menu: QMenu) -> None:
        """The list's buttons as a right-click menu (Outlook and Excel habit, issue 14)."""
        self._update_buttons()
        knop_in_menu(menu, self.bewerk, "&Bewerken…")
        knop_in_menu(menu, self.archiveer)
        if self.inzage is not None:
            knop_in_menu(menu, self.inzage)
        menu.addSeparator()
        knop_in_menu(menu, self.nieuw, f"&Nieuwe {self.kind.enkelvoud}…")

    # ---- data ----------------------------------------------------------------------------------------

    def refresh(self) -> None:
        session = self.view.session
        if session.is_locked:
            return
        selected, self._selected_after = self.current_id() or self._selected_after, None
        rows = self.kind.load(session.store, self.archief.isChecked(), None)
        if self.kind.instituut:
            # One query for the whole list, before the cells are read.
            self.view.instituut_ids[self.kind.table] = session.store.personen.van_instituut(
                self.kind.table, [r.id for r in rows])
        self.model.set_rows(rows, self.kind.search)
        self._show_bron()
        self.stale = False
        self._update_count()
        if selected is not None:
            self.select_id(selected)
        self._update_buttons()

    def update(self, ids: Collection[int]) -> None:
        """These rows changed: read just them again (a row archived meanwhile leaves the list)."""
        session = self.view.session
        if session.is_locked or self.stale:
            return
        selected = self.current_id()
        wanted = set(ids)
        rows = self.kind.load(session.store, self.archief.isChecked(), wanted)
        if self.kind.instituut:
            # The mirror links a row, or lets it go, with a change of just that row.
            mirrored = self.view.instituut_ids.setdefault(self.kind.table, set())
            mirrored -= wanted
            if rows:
                mirrored |= session.store.personen.van_instituut(self.kind.table, [r.id for r in rows])
        self.model.update_rows(lambda r: r.id in wanted, rows)
        self._show_bron()
        self._update_count()
        if selected is not None:
            self.select_id(selected)
        self._update_buttons()

    def _show_bron(self) -> None:
        if self.bron is None:
            return
        hidden = not self.view.instituut_ids.get(self.kind.table)
        if hidden != (self.bron in self.fit.hidden):
            self.fit.set_hidden(self.bron, hidden)

    def clear(self) -> None:
        """The store locks: rows and search go; the row chosen is kept by its id and chosen again after."""
        self._selected_after = self.current_id() or self._selected_after
        self.model.clear()
        self.zoek.forget()
        self.stale = True
        self._update_count()

    def _apply_search(self) -> None:
        self.model.set_search(self.zoek.text())
        self._update_count()

    def _update_count(self) -> None:
        shown, total = self.model.rowCount(), self.model.total
        label = self.kind.label.lower()
        self.aantal.setText(f"{shown:,} van {total:,} {label}".replace(",", ".") if shown != total
                            else f"{total:,} {label}".replace(",", "."))

    def current_id(self) -> int | None:
        index = self.table.currentIndex()
        return self.model.data(index, ID_ROLE) if index.isValid() else None

    def selected_rows(self) -> list[Any]:
        rows = {i.row() for i in self.table.selectionModel().selectedRows()}
        if not rows and self.table.currentIndex().isValid():
            rows = {self.table.currentIndex().row()}
        return [self.model.row_at(r) for r in sorted(rows)]

    def select_id(self, obj_id: int) -> None:
        row = self.model.row_of_id(obj_id)
        if row is not None:
            self.table.selectRow(row)
            self.table.scrollTo(self.model.index(row, 0))

    def _update_buttons(self) -> None:
        rows = self.selected_rows() if self.model.rowCount() else []
        self.bewerk.setEnabled(len(rows) == 1)
        self.archiveer.setEnabled(bool(rows))
        self.archiveer.setText("&Terugzetten" if rows and all(r.gearchiveerd for r in rows) else "&Archiveren")
        if self.inzage is not None:
            self.inzage.setEnabled(len(rows) == 1)

    # ---- actions -------------------------------------------------------------------------------------

    def add(self) -> None:
        self._open_dialog(self.kind.new(), f"Nieuwe {self.kind.enkelvoud}")

    def edit_current(self) -> None:
        rows = self.selected_rows()
        if len(rows) == 1:
            self._open_dialog(rows[0], f"{self.kind.enkelvoud.capitalize()} bewerken")

    def _open_dialog(self, obj: Any, title: str) -> None:
        session = self.view.session
        self.view.lookups = Lookups.load(session.store.personen)
        before = copy.deepcopy(obj)
        save = self.kind.save
        # Asked now, not taken from the list: a synchronisation may have linked the row since.
        van_instituut = (self.kind.instituut and obj.id is not None
                         and bool(session.store.personen.van_instituut(self.kind.table, [obj.id])))
        dialog = self.kind.dialog(title, obj, lambda o: save(session.store, o), self.view.lookups,
                                  self.window(), session=session, initiator=self, van_instituut=van_instituut)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)

        def saved(_changes: Changes) -> None:
            after = copy.deepcopy(dialog.written)
            if before.id is not None:
                # The values before and after, never an object bound to a connection: undo writes them again
                # through the store of the moment.
                self.view.undo_stack.push(StoreCommand(
                    session, f"{self.kind.enkelvoud} {self.kind.name(after)} bewerken",
                    undo=lambda store: save(store, copy.deepcopy(before)),
                    redo=lambda store: save(store, copy.deepcopy(after)),
                ))
            self._show_saved(after)

        dialog.saved.connect(saved)
        self.view.dialogs.append(dialog)
        dialog.destroyed.connect(lambda *_: self.view.dialogs.remove(dialog) if dialog in self.view.dialogs else None)
        # Window-modal and non-blocking: locking can hide it and show it again with its input intact.
        dialog.open()

    def _show_saved(self, obj: Any) -> None:
        """Choose the saved row. A search that hides it is cleared and said so: a new aios that vanished from
        the list without a word looked lost (issue 14)."""
        zoek = self.zoek.text().strip()
        if self.model.row_of_id(obj.id) is None and zoek:
            self.zoek.forget()
            self.model.set_search("")
            self._update_count()
            self.melding = (f"{self.kind.name(obj)} opgeslagen; de zoekopdracht '{zoek}' is gewist om deze "
                            f"{self.kind.enkelvoud} te tonen.")
            self.view.window().statusBar().showMessage(self.melding, 10000)
        self.select_id(obj.id)

    def inzage_export(self) -> None:
        rows = self.selected_rows()
        if len(rows) == 1 and rows[0].id is not None:
            from ontkoppel_desktop.ui.personen.inzage import open_inzage

            open_inzage(self.window(), self.view.session, self.kind.key, rows[0].id)

    def toggle_archived(self) -> None:
        rows = self.selected_rows()
        if not rows:
            return
        target = not all(r.gearchiveerd for r in rows)
        ids = [r.id for r in rows]
        table = self.kind.table
        what = self.kind.name(rows[0]) if len(rows) == 1 else f"{len(rows)} {self.kind.label.lower()}"
        verb = "archiveren" if target else "terugzetten"
        done = push_change(
            self.view.session, self.view.undo_stack, f"{what} {verb}",
            do=lambda store: store.personen.set_gearchiveerd(table, ids, target),
            undo=lambda store: store.personen.set_gearchiveerd(table, ids, not target),
            parent=self, initiator=self,
        )
        if done is not None:
            self.view.window().statusBar().showMessage(
                f"{what} {'gearchiveerd' if target else 'teruggezet'}. Ongedaan maken: Ctrl+Z", 6000
            )


def _status_opleider(o: Opleider) -> str:
    return o.status_label


class PersonenView(QWidget):
    TITLE = "Personen"

    def __init__(self, session: Session, undo_stack: QUndoStack) -> None:
        super().__init__()
        self.session = session
        self.undo_stack = undo_stack
        self.lookups = Lookups()
        self.blokkades: dict[int, str] = {}
        # Per table, the ids of the rows shown that mirror the institute's (read with each refresh, for Bron).
        self.instituut_ids: dict[str, set[int]] = {}
        self.dialogs: list[QWidget] = []
        self.tabs = QTabWidget()
        # A tab is built the first time it is shown (most users open one or two): the others cost nothing.
        self.kind_tabs: dict[str, KindTab] = {}
        self._kinds_list = self._kinds()
        self._slots: dict[str, QWidget] = {}
        for kind in self._kinds_list:
            slot = QWidget()
            slot_layout = QVBoxLayout(slot)
            slot_layout.setContentsMargins(0, 0, 0, 0)
            self._slots[kind.key] = slot
            self.tabs.addTab(slot, kind.label)
        self.tabs.currentChanged.connect(lambda _: self._refresh_current())
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.tabs)
        QShortcut(QKeySequence.StandardKey.Find, self, lambda: self.current_tab().zoek.setFocus())
        QShortcut(QKeySequence.StandardKey.New, self, lambda: self.current_tab().add())
        session.changed.connect(self._on_changed)
        session.locked.connect(self._on_locked)

    def _load_opleiders(self, store: Store, archief: bool, ids: Collection[int] | None) -> list[Opleider]:
        self.blokkades = {i: b[0].reden for i, b in store.trajecten.blokkades().items()}
        return store.personen.opleiders(archief, ids)

    def _tab(self, key: str) -> KindTab:
        tab = self.kind_tabs.get(key)
        if tab is None:
            kind = next(k for k in self._kinds_list if k.key == key)
            tab = KindTab(self, kind)
            self._slots[key].layout().addWidget(tab)
            self.kind_tabs[key] = tab
        return tab

    def current_tab(self) -> KindTab:
        return self._tab(self._kinds_list[max(self.tabs.currentIndex(), 0)].key)

    def show_kind(self, key: str) -> KindTab:
        tab = self._tab(key)
        self.tabs.setCurrentWidget(self._slots[key])
        return tab

    def _refresh_current(self) -> None:
        if self.session.is_locked:
            return
        tab = self.current_tab()
        if tab.stale:
            self.lookups = Lookups.load(self.session.store.personen)
            tab.refresh()

    def _on_changed(self, changes: Changes, initiator: object = None) -> None:
        """Each tab reads again only the rows a change touched; a tab never shown yet waits until it is."""
        if changes.everything_of & {kind.table for kind in self._kinds_list}:
            for tab in self.kind_tabs.values():
                tab.stale = True
            if self.isVisible():
                self._refresh_current()
            return
        if changes.touches_any(c.PRAKTIJK, c.GROEP, c.DOCENT, c.AIOS, c.OPLEIDER):
            # Names shown in other tabs' columns (groep of an aios, praktijk of an opleider...).
            self.lookups = Lookups.load(self.session.store.personen)
        for tab in self.kind_tabs.values():
            kind = tab.kind
            ids = changes.int_ids(kind.table)
            if ids is None:
                tab.stale = True
            elif ids:
                tab.update(ids)
            if kind.table == c.OPLEIDER and changes.touches(c.BLOKKADE):
                tab.update(changes.int_ids(c.BLOKKADE) or ())
            if any(changes.touches(k) for k in kind.shows):
                # Only names shown from the lookups changed: cells, search text and sort keys are made anew.
                tab.model.refresh_display()
        if self.isVisible() and self.current_tab().stale:
            self._refresh_current()

    def _on_locked(self) -> None:
        # Nothing confidential stays in the models while locked.
        for tab in self.kind_tabs.values():
            tab.clear()
        self.lookups = Lookups()
        self.instituut_ids = {}

    def showEvent(self, event: Any) -> None:  # noqa: N802
        super().showEvent(event)
        self._refresh_current()

    # ---- the kinds -----------------------------------------------------------------------------------

    def _bron(self, table: str) -> Column[Any]:
        """Bron: "Instituut" on a row that mirrors the institute's, with where to change it."""
        def van(r: Any) -> bool:
            return r.id in self.instituut_ids.get(table, ())

        return Column("Bron", lambda r: "Instituut" if van(r) else "", 80, fits="Instituut",
                      tooltip=lambda r: BRON_UITLEG if van(r) else "")

    def _kinds(self) -> list[Kind]:
        lk = lambda: self.lookups  # noqa: E731 — the lookups are replaced on every refresh
        jaar_of: Callable[[int | None], str] = lambda j: f"jaar {j}" if j else ""  # noqa: E731
        p = lambda store: store.personen  # noqa: E731
        return [
            Kind(
                "aios", "Aios", "aios", "aios",
                [
                    Column("Naam", lambda a: a.naam.sorteernaam, 220),
                    Column("Jaar", lambda a: a.opleidingsjaar, 50),
                    Column("Start opleiding", lambda a: a.startdatum_opleiding, 110),
                    Column("Deeltijd", lambda a: f"{a.deeltijdpercentage} %", 70),
                    Column("Groep", lambda a: lk().groep_naam(a.groep_id), 90),
                    Column("Docenten", lambda a: lk().docenten_van_groep(a.groep_id), 260),
                    self._bron(c.AIOS),
                ],
                lambda store, archief, ids: p(store).aios(archief, ids),
                lambda a: f"{a.naam.volledig} {a.email} jaar{a.opleidingsjaar} {lk().groep_naam(a.groep_id)}",
                AiosDialog,
                lambda: Aios(Naam(), 1, date.today()),
                lambda store, a: p(store).save_aios(a),
                lambda a: a.naam.volledig,
                shows=(c.GROEP, c.DOCENT),
                inzage=True,
                instituut=True,
            ),
            Kind(
                "opleider", "Opleiders", "opleider", "opleider",
                [
                    Column("Naam", lambda o: o.naam.sorteernaam, 220),
                    Column("Praktijk", lambda o: lk().praktijk_naam(o.praktijk_id), 340),
                    Column("Status", _status_opleider, 190),
                    Column("Coassistent", lambda o: o.begeleidt_coassistent, 90),
                    Column("Duo", lambda o: f"ja, {o.aanwezigheidspercentage} %" if o.duo_opleider else "nee", 90),
                    # Utrecht 5.2.1: no new aios for an ontkoppelde opleider until the manager opleiders' contact.
                    Column("Nieuwe aios", lambda o: "geblokkeerd" if o.id in self.blokkades else "",
                           110, tooltip=lambda o: self.blokkades.get(o.id, ""),
                           background=lambda o: "#f9d6d2" if o.id in self.blokkades else None,
                           bold=lambda o: o.id in self.blokkades),
                    self._bron(c.OPLEIDER),
                ],
                self._load_opleiders,
                lambda o: f"{o.naam.volledig} {lk().praktijk_naam(o.praktijk_id)} {o.status_label}",
                OpleiderDialog,
                lambda: Opleider(Naam()),
                lambda store, o: p(store).save_opleider(o),
                lambda o: o.naam.volledig,
                shows=(c.PRAKTIJK,),
                inzage=True,
                instituut=True,
            ),
            Kind(
                "praktijk", "Praktijken", "praktijk", "praktijk",
                [Column("Naam", lambda p: p.naam, 320), Column("Plaats", lambda p: p.plaats, 160),
                 self._bron(c.PRAKTIJK)],
                lambda store, archief, ids: p(store).praktijken(archief, ids),
                lambda p: f"{p.naam} {p.plaats}",
                PraktijkDialog,
                lambda: Praktijk(""),
                lambda store, x: p(store).save_praktijk(x),
                lambda p: p.naam,
                instituut=True,
            ),
            Kind(
                "groep", "Groepen", "groep", "groep",
                [
                    Column("Naam", lambda g: g.naam, 120),
                    Column("Jaar", lambda g: g.opleidingsjaar, 50),
                    Column("Docenten", lambda g: lk().docenten_van_groep(g.id), 320),
                    self._bron(c.GROEP),
                ],
                lambda store, archief, ids: p(store).groepen(archief, ids),
                lambda g: f"{g.naam} {lk().docenten_van_groep(g.id)}",
                GroepDialog,
                lambda: Groep("", 1),
                lambda store, g: p(store).save_groep(g),
                lambda g: g.naam,
                shows=(c.DOCENT,),
                instituut=True,
            ),
            Kind(
                "docent", "Docenten", "docent", "docent",
                [
                    Column("Naam", lambda d: d.naam.sorteernaam, 220),
                    Column("Soort", lambda d: d.soort.label, 220),
                    Column("E-mail", lambda d: d.email, 200),
                ],
                lambda store, archief, ids: p(store).docenten(archief, ids),
                lambda d: f"{d.naam.volledig} {d.soort.label} {d.email}",
                DocentDialog,
                lambda: Docent(Naam()),
                lambda store, d: p(store).save_docent(d),
                lambda d: d.naam.volledig,
            ),
            Kind(
                "medewerker", "Medewerkers", "medewerker", "medewerker",
                [
                    Column("Naam", lambda m: m.naam.sorteernaam, 220),
                    Column("Rol", lambda m: m.rol.label, 220),
                    Column("Opleidingsjaar", lambda m: jaar_of(m.opleidingsjaar), 110),
                    Column("E-mail", lambda m: m.email, 200),
                ],
                lambda store, archief, ids: p(store).medewerkers(archief, ids),
                lambda m: f"{m.naam.volledig} {m.rol.label} {jaar_of(m.opleidingsjaar)}",
                MedewerkerDialog,
                lambda: Medewerker(Naam(), Rol.JAARASSISTENT, 1),
                lambda store, m: p(store).save_medewerker(m),
                lambda m: m.naam.volledig,
            ),
            Kind(
                "koppeling", "Koppelingen", "koppeling", "koppeling",
                [
                    Column("Aios", lambda k: lk().aios_sorteernaam(k.aios_id), 190),
                    Column("Opleider", lambda k: lk().opleider_sorteernaam(k.opleider_id), 190),
                    Column("Praktijk", lambda k: lk().opleider_praktijk(k.opleider_id), 330),
                    Column("Start", lambda k: k.startdatum, 100),
                    Column("Einde", lambda k: k.einddatum, 100),
                    Column("Stand", lambda k: "loopt" if k.loopt_op(date.today()) else
                           ("beëindigd" if k.einddatum and k.einddatum < date.today() else "gepland"), 90),
                    self._bron(c.KOPPELING),
                ],
                lambda store, archief, ids: p(store).koppelingen(archief, ids=ids),
                lambda k: f"{lk().aios_naam(k.aios_id)} {lk().opleider_naam(k.opleider_id)} "
                f"{lk().opleider_praktijk(k.opleider_id)}",
                KoppelingDialog,
                lambda: Koppeling(0, 0, date.today()),
                lambda store, k: p(store).save_koppeling(k),
                lambda k: f"{lk().aios_naam(k.aios_id)} – {lk().opleider_naam(k.opleider_id)}",
                shows=(c.AIOS, c.OPLEIDER, c.PRAKTIJK),
                instituut=True,
            ),
        ]

