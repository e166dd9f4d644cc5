"""Verslagen: every verslag of every traject, with its state and the term it serves (late ones first), filtered by
state and by "te laat", and searched through the text of every verslag and the names of its aios and opleider.

The rows come from the store in three queries (VerslagService.overzicht: the verslagen without their text, their
trajecten's people, the open steps they serve); a change reads again only the rows of the trajecten it touched.
Search runs the FTS5 index (VerslagService.zoek) a moment after typing stops, and shows where each verslag
matched.
"""

from __future__ import annotations

import datetime as dt
import gc
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from html import escape
from operator import attrgetter
from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRect, Qt, QTimer, Signal
from PySide6.QtGui import (
    QAbstractTextDocumentLayout,
    QFontMetrics,
    QKeySequence,
    QPainter,
    QPalette,
    QTextDocument,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QHBoxLayout,
    QLabel,
    QMenu,
    QPushButton,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ontkoppel_desktop.core import changes as c
from ontkoppel_desktop.core.changes import Changes
from ontkoppel_desktop.core.procedure import StepState
from ontkoppel_desktop.core.verslagen.overzicht import Fase, VerslagRegel
from ontkoppel_desktop.core.verslagen.service import VerslagFout
from ontkoppel_desktop.core.verslagen.verslag import ARCHIEFPLEKKEN, Verslag
from ontkoppel_desktop.core.verslagen.zoeken import Fragment, Treffer, fold, zoekwoorden
from ontkoppel_desktop.ui.dutch import datum_kort
from ontkoppel_desktop.ui.session import Session
from ontkoppel_desktop.ui.table_model import DATUM_BREEDTE, Column, ColumnFit, RecordTableModel
from ontkoppel_desktop.ui.trajecten.common import SOON_COLOUR, SOON_DAYS, STATE_COLOURS, today
from ontkoppel_desktop.ui.widgets import SearchField, combo, context_menu, knop_in_menu, widget_shortcut

Index = QModelIndex | QPersistentModelIndex

# The best hits in the text that the list shows; a search that finds more says so.
MAX_TREFFERS = 200
GEVONDEN = 3  # the column of the fragment, shown only while searching


def _termijn_tekst(r: VerslagRegel, day: dt.date) -> str:
    """The term, and in words what its colour says (te laat, vandaag, binnenkort): colour is never the only
    signal."""
    t = r.termijn
    if t is None or t.termijn is None:
        return ""
    text = datum_kort(t.termijn)
    if t.termijn_vanaf is not None:
        text = f"{datum_kort(t.termijn_vanaf)} – {text}"
    if t.te_laat:
        return f"{text} (te laat)"
    dagen = (t.termijn - day).days
    if dagen == 0:
        return f"{text} (vandaag)"
    return f"{text} (binnenkort)" if dagen <= SOON_DAYS else text


def _termijn_kleur(r: VerslagRegel, day: dt.date) -> str | None:
    t = r.termijn
    if t is None or t.termijn is None:
        return None
    if t.te_laat:
        return STATE_COLOURS[StepState.OVERDUE]
    return SOON_COLOUR if (t.termijn - day).days <= SOON_DAYS else None


def _stap_uitleg(r: VerslagRegel) -> str:
    t = r.termijn
    if r.nieuwer is not None:
        return f"Vervangen door versie {r.nieuwer}: die telt voor de termijnen"
    if t is None:
        return "Dit verslag wacht op geen open stap van de procedure"
    late = "\nDe termijn is verstreken." if t.te_laat else ""
    return f"{t.titel}\nTermijn: {t.uitleg}{late}"


def _status_uitleg(r: VerslagRegel, verslag: Callable[[int], Verslag | None]) -> str:
    """The state in words; for a definitief verslag with its dates (read when the tooltip is asked for)."""
    kop = r.kop
    if r.nieuwer is not None:
        return f"Vervangen door versie {r.nieuwer}; deze versie blijft leesbaar"
    if not kop.definitief:
        if not r.heeft_verslag:
            return "Het gesprek is vastgelegd in het traject" if kop.voltooid else "Nog niet vastgelegd"
        return ("Het gesprek is vastgelegd in het traject; het verslag is nog een concept" if kop.voltooid
                else "Concept: het gesprek is nog niet vastgelegd")
    regels = ["Definitief (afgerond en verzegeld)"]
    v = verslag(kop.id)
    if v is not None:
        regels.append(f"Verstuurd op {datum_kort(v.verstuurd_op)}" if v.verstuurd_op else "Nog niet verstuurd")
        for plek in (p for p in ARCHIEFPLEKKEN if p in r.bestemmingen):
            day = v.gearchiveerd_op.get(plek)
            regels.append(f"{plek.label[0].upper()}{plek.label[1:]}: "
                          + (f"gearchiveerd op {datum_kort(day)}" if day else "nog niet gearchiveerd"))
    return "\n".join(regels)


def _gesprek(r: VerslagRegel) -> str:
    return r.titel if r.kop.versie == 1 else f"{r.titel} (versie {r.kop.versie})"


def _gesprek_uitleg(r: VerslagRegel) -> str:
    zonder = "" if r.heeft_verslag else "\nDe procedure vraagt bij dit gesprek geen verslag; de notities staan hier."
    return f"{_gesprek(r)}\nTraject van {r.aios_naam.volledig} bij {r.opleider_naam.volledig}{zonder}"


_KOPTEKSTEN = [
    "De aios van het traject",
    "De opleider van het traject (de ontkoppelde opleider, na een ontkoppeling)",
    "Het gesprek waar het verslag over gaat; een correctie is een nieuwe versie",
    "Waar de gezochte woorden in het verslag staan",
    "De datum van het gesprek",
    "Concept, gesprek vastgelegd, definitief (afgerond en verzegeld), verstuurd of gearchiveerd",
    "De stap van de procedure die het verslag nu dient: het gesprek zelf, versturen of archiveren",
    "De termijn van die stap; rood en '(te laat)' als hij verstreken is, geel en '(binnenkort)' binnen een week",
    "Wie het verslag schreef",
]


class VerslagenModel(RecordTableModel[VerslagRegel]):
    def __init__(self, view: VerslagenView) -> None:
        super().__init__(
            [
                Column("Aios", lambda r: r.aios_naam.sorteernaam, 126),
                Column("Opleider", lambda r: r.opleider_naam.sorteernaam, 126),
                Column("Gesprek", _gesprek, 155, tooltip=_gesprek_uitleg),
                Column("Gevonden", lambda r: view.fragment_tekst(r.id), 330,
                       tooltip=lambda r: view.fragment_tekst(r.id, met_veld=True), elide=True),
                Column("Datum", lambda r: r.kop.datum, 80, fits=DATUM_BREEDTE),
                Column("Status", lambda r: r.status, 200, tooltip=lambda r: _status_uitleg(r, view.verslag)),
                Column("Wacht op", lambda r: r.termijn.titel if r.termijn is not None else "", 240,
                       tooltip=_stap_uitleg),
                Column("Termijn", lambda r: _termijn_tekst(r, view.day), 152, tooltip=_stap_uitleg, fits=DATUM_BREEDTE,
                       background=lambda r: _termijn_kleur(r, view.day), bold=lambda r: r.te_laat),
                Column("Auteur", lambda r: r.kop.auteur, 110),
            ],
            lambda r: r.id,
            keep_order=True,
            order_key=attrgetter("volgorde"),
        )

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.ToolTipRole:
            return _KOPTEKSTEN[section] if 0 <= section < len(_KOPTEKSTEN) else None
        return super().headerData(section, orientation, role)


class FragmentDelegate(QStyledItemDelegate):
    """The Gevonden column: the fragment of the verslag's text with the words found in bold, starting a little
    before the first of them so that it is in view."""

    def __init__(self, view: VerslagenView) -> None:
        super().__init__(view)
        self.view = view

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        model = self.view.model
        fragment = self.view.fragment(model.row_at(index.row()).id) if index.row() < model.rowCount() else None
        if fragment is None:
            super().paint(painter, option, index)
            return
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        opt.text = ""
        widget = opt.widget
        style = widget.style() if widget is not None else None
        if style is None:
            super().paint(painter, option, index)
            return
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, widget)
        rect: QRect = style.subElementRect(QStyle.SubElement.SE_ItemViewItemText, opt, widget)
        doc = QTextDocument()
        doc.setDocumentMargin(0)
        doc.setDefaultFont(opt.font)
        doc.setHtml(_html(_in_beeld(fragment, QFontMetrics(opt.font), rect.width())))
        painter.save()
        painter.translate(rect.left(), rect.top() + max(0, (rect.height() - doc.size().height()) / 2))
        painter.setClipRect(QRect(0, 0, rect.width(), rect.height()))
        context = QAbstractTextDocumentLayout.PaintContext()
        selected = bool(opt.state & QStyle.StateFlag.State_Selected)
        role = QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
        context.palette.setColor(QPalette.ColorRole.Text, opt.palette.color(role))
        doc.documentLayout().draw(painter, context)
        painter.restore()


def _in_beeld(fragment: Fragment, metrics: QFontMetrics, width: int) -> Fragment:
    """The fragment from a word before its first hit, so that the hit starts about a fifth into `width`."""
    if not fragment.treffers:
        return fragment
    hit = fragment.treffers[0][0]
    text = fragment.tekst
    start = 0
    while start < hit and metrics.horizontalAdvance(text[start:hit]) > width // 5:
        space = text.find(" ", start + 1, hit)
        if space < 0:
            break
        start = space + 1
    if start == 0:
        return fragment
    shift = start - 2
    return Fragment(fragment.veld, "… " + text[start:],
                    tuple((a - shift, b - shift) for a, b in fragment.treffers if a >= start))


def _html(fragment: Fragment) -> str:
    parts: list[str] = []
    position = 0
    for start, end in fragment.treffers:
        parts.append(escape(fragment.tekst[position:start]))
        parts.append(f"<b>{escape(fragment.tekst[start:end])}</b>")
        position = end
    parts.append(escape(fragment.tekst[position:]))
    return "<span style='white-space: pre'>" + "".join(parts) + "</span>"


# A gesprek the procedure records without a verslag (a telefonisch contact, the check-up) is listed too, for its
# notes; it has a filter of its own.
ZONDER_VERSLAG = "zonder verslag"
_STATUSSEN: list[tuple[str, Fase | str | None]] = [
    ("alle statussen", None), ("concept", Fase.CONCEPT), ("gesprek vastgelegd (concept)", Fase.VASTGELEGD),
    ("definitief", Fase.DEFINITIEF), ("verstuurd", Fase.VERSTUURD), ("gearchiveerd", Fase.GEARCHIVEERD),
    ("gesprekken zonder verslag", ZONDER_VERSLAG),
]


def _heeft_fase(r: VerslagRegel, fase: Fase | str) -> bool:
    if fase == ZONDER_VERSLAG:
        return not r.heeft_verslag
    return r.heeft_verslag and r.nieuwer is None and r.fase is fase


class VerslagenView(QWidget):
    TITLE = "Verslagen"
    # Show this verslag in its traject (traject id, verslag id).
    open_traject = Signal(int, int)

    def __init__(self, session: Session) -> None:
        super().__init__()
        self.session = session
        self.stale = True
        self.day = today()
        self._treffers: dict[int, Treffer] = {}
        self._naam_treffers: set[int] = set()
        # Per traject the folded names of its aios and opleider, and its verslagen; made at the first search.
        self._per_traject: dict[int, tuple[str, list[int]]] | None = None
        # Trajecten whose rows changed while the list was not shown (a wizard saving as it is typed in).
        self._pending: set[int] = set()
        self._heeft_ouder = False  # some verslag has a newer version
        self._zoekt = False
        self._afgekapt = False
        self.model = VerslagenModel(self)

        self.status = combo(_STATUSSEN)
        self.status.setAccessibleName("Status")
        self.status.currentIndexChanged.connect(lambda _: self._apply_filter())
        self.te_laat = QCheckBox("Alleen te &laat")
        self.te_laat.setToolTip("Alleen verslagen waarvan de termijn van hun stap verstreken is")
        self.te_laat.toggled.connect(lambda _: self._apply_filter())
        self.ouder = QCheckBox("Oudere &versies")
        self.ouder.setToolTip("Ook de versies die door een nieuwere zijn vervangen (die blijven leesbaar)")
        self.ouder.toggled.connect(lambda _: self._apply_filter())
        self.zoek = SearchField("Zoek in de tekst van de verslagen, of op naam van aios of opleider…", "Zoeken")
        self.zoek.search.connect(lambda _: self.run_search())
        self.naar_traject = QPushButton("Naar &traject")
        self.naar_traject.setToolTip("Het traject van het gekozen verslag openen, op het tabblad Verslagen")
        self.naar_traject.clicked.connect(self.show_traject)
        self.openen = QPushButton("&Openen")
        self.openen.setToolTip("Het gekozen verslag openen (Enter): je eigen concept om verder te schrijven, "
                               "anders om te lezen")
        self.openen.clicked.connect(self.open_selected)
        # The jaarassistent archives from here: a period's definitief verslagen, after filtering on Definitief.
        self.archief = QPushButton("Archiefe&xport…")
        self.archief.setToolTip("De definitieve verslagen die in een periode zijn afgerond, als PDF of Word in een "
                                "map voor het e-portfolio en een voor het dossier opleider")
        self.archief.clicked.connect(self.archief_export)

        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setAccessibleName("Verslagen")
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        # Late first, then by term: the given order until a header is clicked.
        header.setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        self.table.setSortingEnabled(True)
        self.fit = ColumnFit(self.table, self.model.columns)
        self.fit.set_hidden(GEVONDEN, True)
        self.table.setItemDelegateForColumn(GEVONDEN, FragmentDelegate(self))
        self.table.doubleClicked.connect(lambda _: self.open_selected())
        for key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            widget_shortcut(QKeySequence(key), self.table, self.open_selected)
        context_menu(self.table, self._context_menu)
        self.table.selectionModel().currentRowChanged.connect(lambda *_: self._show_current())

        status_label = QLabel("&Status:")
        status_label.setBuddy(self.status)
        top = QHBoxLayout()
        top.addWidget(status_label)
        top.addWidget(self.status)
        top.addWidget(self.te_laat)
        top.addWidget(self.ouder)
        top.addWidget(self.zoek, 1)
        top.addWidget(self.openen)
        top.addWidget(self.naar_traject)
        top.addWidget(self.archief)
        self.samenvatting = QLabel()
        self.samenvatting.setAccessibleName("Samenvatting")
        self.voorbeeld = QLabel()
        self.voorbeeld.setAccessibleName("Gevonden tekst")
        self.voorbeeld.setWordWrap(True)
        self.voorbeeld.setTextFormat(Qt.TextFormat.RichText)
        self.voorbeeld.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.voorbeeld.hide()
        uitleg = QLabel("Enter of dubbelklik opent het verslag: je eigen concept om verder te schrijven, anders om "
                        "te lezen. 'Wacht op' is de stap van de procedure die het verslag nu dient: het gesprek zelf, "
                        "het versturen naar de ontvanger of het archiveren; de termijn is die van de stap.")
        uitleg.setStyleSheet("color: #555;")
        uitleg.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.voorbeeld)
        layout.addWidget(self.samenvatting)
        layout.addWidget(uitleg)
        self._search_again = QTimer(self, singleShot=True, interval=300)
        self._search_again.timeout.connect(self.run_search)
        session.changed.connect(self._on_changed)
        session.locked.connect(self._on_locked)
        self._update_buttons()

    # ---- data ----------------------------------------------------------------------------------------

    def refresh(self) -> None:
        if self.session.is_locked:
            return
        self.day = today()
        with _gc_na_tekenen():
            rows = sorted(self.session.store.verslagen.overzicht(self.day), key=attrgetter("volgorde"))
            self.model.set_rows(rows, lambda r: "")
            self._heeft_ouder = any(map(attrgetter("nieuwer"), rows))  # a version number, never 0
            self._per_traject = None
            self._pending = set()
            self.stale = False
            if self._zoekt:
                self.run_search()
            else:
                self._apply_filter()

    def update(self, traject_ids: set[int]) -> None:
        """The verslagen of these trajecten (or their terms) changed: read just theirs again."""
        rows = self.session.store.verslagen.overzicht(self.day, frozenset(traject_ids))
        current = self.current()
        self.model.update_rows(lambda r: r.traject_id in traject_ids, rows)
        self._per_traject = None
        self._heeft_ouder = self._heeft_ouder or any(map(attrgetter("nieuwer"), rows))
        if current is not None:
            self.select(current.id)
        if self._zoekt:
            self._search_again.start()  # a concept's text may have changed what it matches
        self._summarise()

    def select(self, verslag_id: int) -> None:
        row = self.model.row_of_id(verslag_id)
        if row is not None:
            self.table.selectRow(row)

    def verslag(self, verslag_id: int) -> Verslag | None:
        """One verslag in full, for what a row shows only on request (its dates in a tooltip)."""
        if self.session.is_locked:
            return None
        try:
            return self.session.store.verslagen.get(verslag_id)
        except VerslagFout:
            return None

    def current(self) -> VerslagRegel | None:
        index = self.table.currentIndex()
        return self.model.row_at(index.row()) if index.isValid() and index.row() < self.model.rowCount() else None

    # ---- filtering and searching ---------------------------------------------------------------------

    def _apply_filter(self) -> None:
        fase: Fase | str | None = self.status.currentData()
        alleen_te_laat = self.te_laat.isChecked()
        ouder = self.ouder.isChecked()
        zoekt = self._zoekt
        gevonden = self._treffers.keys() | self._naam_treffers

        def keep(r: VerslagRegel) -> bool:
            return ((ouder or r.nieuwer is None) and (fase is None or _heeft_fase(r, fase))
                    and (not alleen_te_laat or r.te_laat) and (not zoekt or r.id in gevonden))

        # Without a filter no predicate: 20 000 calls of it are a noticeable part of opening the list.
        filtered = fase is not None or alleen_te_laat or (not ouder and self._heeft_ouder) or zoekt
        self.model.set_predicate(keep if filtered else None)
        self._summarise()
        if self.model.rowCount() and self.current() is None:
            self.table.selectRow(0)
        self._show_current()

    def run_search(self) -> None:
        """What the search field says, in the text of the verslagen (FTS5) and in the names of their people: a
        verslag is found when each word is in its text or in the name of its aios or opleider."""
        text = self.zoek.text()
        woorden = zoekwoorden(text)
        self._treffers = {}
        self._naam_treffers = set()
        self._afgekapt = False
        self._zoekt = bool(woorden)
        self.fit.set_hidden(GEVONDEN, not self._zoekt)
        if self._zoekt and not self.session.is_locked:
            service = self.session.store.verslagen
            # Per traject, the words its people's names do not hold must be in the text of its verslagen;
            # verslagen that need the same words are searched together (usually all, or those of one person).
            groepen: dict[tuple[str, ...], set[int]] = {}
            for namen, ids in self._trajecten().values():
                rest = tuple(w for w in woorden if w not in namen)
                if not rest:
                    self._naam_treffers.update(ids)
                elif rest != woorden:
                    groepen.setdefault(rest, set()).update(ids)
            treffers = service.zoek(" ".join(woorden), MAX_TREFFERS)
            self._afgekapt = len(treffers) >= MAX_TREFFERS
            for rest, ids in groepen.items():
                treffers += service.zoek(" ".join(rest), len(ids), binnen=frozenset(ids))
            self._treffers = {t.verslag_id: t for t in treffers}
        self._apply_filter()

    def _trajecten(self) -> dict[int, tuple[str, list[int]]]:
        if self._per_traject is None:
            per_traject: dict[int, tuple[str, list[int]]] = {}
            for row in self.model.all_rows():
                found = per_traject.get(row.traject_id)
                if found is None:
                    found = per_traject[row.traject_id] = (_naam_tekst(row), [])
                found[1].append(row.id)
            self._per_traject = per_traject
        return self._per_traject

    def fragment(self, verslag_id: int) -> Fragment | None:
        treffer = self._treffers.get(verslag_id)
        return treffer.fragment if treffer is not None else None

    def fragment_tekst(self, verslag_id: int, met_veld: bool = False) -> str:
        if not self._zoekt:
            return ""
        fragment = self.fragment(verslag_id)
        if fragment is None:
            treffer = self._treffers.get(verslag_id)
            if treffer is not None:
                return f"(het gesprek: {treffer.titel})"
            return "(naam van aios of opleider)" if verslag_id in self._naam_treffers else ""
        return f"{fragment.veld}: {fragment.tekst}" if met_veld else fragment.tekst

    def _summarise(self) -> None:
        shown = self.model.visible_rows()
        late = sum(map(attrgetter("te_laat"), shown))
        text = f"{len(shown)} verslagen · {late} te laat"
        if self._zoekt:
            in_tekst = sum(1 for r in shown if r.id in self._treffers)
            text += f" · {in_tekst} gevonden in de tekst"
            if self._afgekapt:
                text += f" (de beste {MAX_TREFFERS}; maak de zoekopdracht preciezer voor de rest)"
        self.samenvatting.setText(text)

    def _show_current(self) -> None:
        rij = self.current()
        fragment = self.fragment(rij.id) if rij is not None else None
        if fragment is None:
            self.voorbeeld.hide()
        else:
            self.voorbeeld.setText(f"Gevonden in <i>{escape(fragment.veld)}</i>: {_html(fragment)}"
                                   .replace("white-space: pre", "white-space: normal"))
            self.voorbeeld.show()
        self._update_buttons()

    def _update_buttons(self) -> None:
        rij = self.current()
        self.openen.setEnabled(rij is not None)
        self.naar_traject.setEnabled(rij is not None)

    # ---- acting --------------------------------------------------------------------------------------

    def open_selected(self) -> QWidget | None:
        rij = self.current()
        if rij is None:
            return None
        from ontkoppel_desktop.ui.verslagen import wizard

        return wizard.open_verslag(self.window(), self.session, rij.id)

    def archief_export(self) -> QWidget | None:
        from ontkoppel_desktop.ui.verslagen.archief_export import open_archief_export

        return open_archief_export(self.window(), self.session)

    def show_traject(self) -> None:
        rij = self.current()
        if rij is not None:
            self.open_traject.emit(rij.traject_id, rij.id)

    def _context_menu(self, menu: QMenu) -> None:
        knop_in_menu(menu, self.openen)
        knop_in_menu(menu, self.naar_traject)
        menu.addSeparator()
        knop_in_menu(menu, self.archief)

    # ---- keeping up ----------------------------------------------------------------------------------

    def _on_changed(self, changes: Changes, initiator: object = None) -> None:
        if self.stale or changes.everything_of & {c.VERSLAG, c.TRAJECT, c.AIOS, c.OPLEIDER}:
            self.stale = True
            if self.isVisible():
                self.refresh()
            return
        ids = set(changes.int_ids(c.TRAJECT) or ())
        verslag_ids = changes.int_ids(c.VERSLAG) or frozenset()
        if verslag_ids or changes.touches_any(c.AIOS, c.OPLEIDER):
            known = set()
            for row in self.model.all_rows():
                kop = row.kop
                if (kop.id in verslag_ids or changes.touches(c.AIOS, row.traject.aios_id)
                        or changes.touches(c.OPLEIDER, row.traject.opleider_id)):
                    ids.add(kop.traject_id)
                known.add(kop.id)
            for verslag_id in verslag_ids - known:  # a new verslag (or version): its traject
                verslag = self.verslag(verslag_id)
                if verslag is not None:
                    ids.add(verslag.traject_id)
        if not ids:
            return
        if self.isVisible():
            self.update(ids)
        else:
            self._pending |= ids

    def _on_locked(self) -> None:
        self.model.clear()
        self.zoek.forget()  # what was searched (a name, a word of a verslag) goes too
        self._treffers = {}
        self._naam_treffers = set()
        self._per_traject = None
        self._pending = set()
        self.voorbeeld.clear()
        self.stale = True

    def showEvent(self, event: Any) -> None:  # noqa: N802
        super().showEvent(event)
        if self.stale or self.day != today():
            self.refresh()
        elif self._pending:
            pending, self._pending = self._pending, set()
            self.update(pending)


@contextmanager
def _gc_na_tekenen() -> Iterator[None]:
    """Python's cyclic garbage collector paused while the rows are made and painted: with 20 000 rows it would
    otherwise scan the whole heap (every widget's wrapper too) several times over, doubling the time the list
    takes to open. Nothing made here forms a cycle; the collector resumes once the event loop is idle again, after
    the list is on screen."""
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        QTimer.singleShot(0, gc.enable)


def _naam_tekst(r: VerslagRegel) -> str:
    return fold(f"{r.aios_naam.volledig} {r.opleider_naam.volledig}")


__all__ = ["VerslagenView"]
