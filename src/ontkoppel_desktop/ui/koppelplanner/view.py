"""Koppelplanner: a ronde on a board, the optimum explained, moves by drag and drop, by keyboard or from a card's
right-click menu, and the 1-op-1 match after an ontkoppeling."""

from __future__ import annotations

from collections.abc import Callable
from html import escape
from pathlib import Path
from typing import Any

from PySide6.QtCore import QEvent, QModelIndex, QObject, QPoint, Qt
from PySide6.QtGui import QAction, QColor, QContextMenuEvent, QKeyEvent, QKeySequence, QShortcut, QUndoStack
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QListView,
    QListWidget,
    QListWidgetItem,
    QMenu,
    QMessageBox,
    QPushButton,
    QSplitter,
    QStyle,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from ontkoppel_desktop.core.changes import AIOS, BLOKKADE, KOPPELING, OPLEIDER, PRAKTIJK, RONDE, TRAJECT, Changes
from ontkoppel_desktop.core.koppelplanner import Herkomst, Regel, Zetoordeel
from ontkoppel_desktop.core.koppelplanner.ronde import datum_nl
from ontkoppel_desktop.store import instituut_personen
from ontkoppel_desktop.store.ronde_personen import ronde_from_instituut, ronde_from_personen
from ontkoppel_desktop.store.store import Store
from ontkoppel_desktop.ui import bestandsdialoog, na_export, operations, vraag
from ontkoppel_desktop.ui.koppelplanner.board import (
    AIOS_ID_ROLE,
    OPLEIDER_ID_ROLE,
    BoardState,
    OpleiderModel,
    UnassignedModel,
    needs_uitzondering,
)
from ontkoppel_desktop.ui.koppelplanner.card_delegate import CardDelegate, CardView
from ontkoppel_desktop.ui.koppelplanner.een_op_een import EenOpEenPanel
from ontkoppel_desktop.ui.koppelplanner.melding import Melding, Soort
from ontkoppel_desktop.ui.reden_dialog import RedenDialog
from ontkoppel_desktop.ui.session import Session
from ontkoppel_desktop.ui.undo import StoreCommand
from ontkoppel_desktop.ui.widgets import combo

ALLOWED_ROLE = Qt.ItemDataRole.UserRole + 10


def aantal(n: int, enkel: str, meer: str) -> str:
    """ "1 vastgezet paar", "2 vastgezette paren", "geen vastgezette paren"."""
    if n == 0:
        return f"geen {meer}"
    return f"{n} {enkel if n == 1 else meer}"


class _KeuzeDialog(QDialog):
    """The keyboard way to make a move: every option with the core's judgement in words ("Kan" or "Kan niet",
    and why). Enter on an option that may makes the move; on one that may not, the reason is said again and the
    dialog stays, so a screen reader user can hear every reason by walking the list."""

    def __init__(self, title: str, uitleg: str, lijst_naam: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.lijst = QListWidget()
        self.lijst.setAccessibleName(lijst_naam)
        self.lijst.setWordWrap(True)
        self.chosen: str | None = None
        self.uitleg = QLabel(uitleg)
        self.uitleg.setWordWrap(True)
        self.melding = Melding("Waarom deze keuze niet kan", self)
        self.melding.hide()
        self.lijst.itemActivated.connect(lambda _: self.accept())
        self.lijst.currentItemChanged.connect(lambda *_: self.melding.hide())
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("&Toewijzen")
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("Annuleren")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.uitleg)
        layout.addWidget(self.lijst, 1)
        layout.addWidget(self.melding)
        layout.addWidget(buttons)
        self.resize(self.fontMetrics().averageCharWidth() * 130, self.fontMetrics().height() * 30)

    def fill(self, options: list[tuple[bool, tuple[Any, ...], str, str, str]]) -> None:
        """(allowed, sort key, text, value, why not) per option; the allowed ones first."""
        style = self.style()
        ok, nee = (style.standardIcon(QStyle.StandardPixmap.SP_DialogApplyButton),
                   style.standardIcon(QStyle.StandardPixmap.SP_DialogCancelButton))
        for allowed, _, text, value, waarom in sorted(options, key=lambda o: (not o[0], o[1])):
            item = QListWidgetItem(ok if allowed else nee, text)
            item.setData(Qt.ItemDataRole.UserRole, value)
            item.setData(ALLOWED_ROLE, allowed)
            item.setData(Qt.ItemDataRole.UserRole + 11, waarom)
            item.setToolTip(text)
            if not allowed:
                item.setForeground(QColor("#6b6b6b"))
            self.lijst.addItem(item)
        self.lijst.setCurrentRow(0)

    def accept(self) -> None:
        item = self.lijst.currentItem()
        if item is None:
            return
        if not item.data(ALLOWED_ROLE):
            self.melding.toon(Soort.GEWEIGERD, str(item.data(Qt.ItemDataRole.UserRole + 11)))
            self.melding.show()
            return
        self.chosen = str(item.data(Qt.ItemDataRole.UserRole))
        super().accept()


def _let_op(oordeel: Zetoordeel) -> str:
    """What an allowed move asks attention for, short: the list names the pair already."""
    delen = ["niet bezocht: je legt daarna de reden van de uitzondering vast" if b.regel is Regel.NIET_BEZOCHT
             else "let op: " + b.bericht for b in oordeel.bezwaren]
    return "".join(f" · {d}" for d in delen)


class AssignDialog(_KeuzeDialog):
    """For one aios: every opleider, the allowed ones first (best score first)."""

    def __init__(self, state: BoardState, aios_id: str, parent: QWidget | None = None) -> None:
        naam = state.aios[aios_id].naam
        super().__init__(f"{naam} toewijzen", f"Kies de opleider voor {naam} met de pijltjes en Enter. Bij elke "
                         "opleider staat of het kan; zo niet, waarom niet.", f"Opleiders voor {naam}", parent)
        options = []
        for o in state.ronde.opleiders:
            if state.bord.toewijzing.get(aios_id) == o.id:
                continue
            oordeel = state.check(aios_id, o.id)
            score = state.score(aios_id, o.id)
            keuze = f" · {score}e keuze" if score else ""
            if oordeel.toegestaan:
                text = (f"Kan: {o.naam} — {o.praktijk}{keuze} · tegen het optimum: "
                        f"{oordeel.tegen_optimum.verschil_tekst}{_let_op(oordeel)}")
            else:
                text = f"Kan niet: {o.naam} — {o.praktijk}: " + " ".join(b.in_rij for b in oordeel.bezwaren
                                                                          if b.blokkerend)
            options.append((oordeel.toegestaan, (score or 99, o.naam), text, o.id, oordeel.weigering))
        self.fill(options)


class AiosKiezenDialog(_KeuzeDialog):
    """For one opleider: every aios, the allowed ones first (those not gekoppeld first, then by score)."""

    def __init__(self, state: BoardState, opleider_id: str, parent: QWidget | None = None) -> None:
        o = state.opleiders[opleider_id]
        super().__init__(f"Aios voor {o.naam}", f"Kies de aios voor {o.naam} ({o.praktijk}) met de pijltjes en "
                         "Enter. Bij elke aios staat of het kan; zo niet, waarom niet.", f"Aios voor {o.naam}", parent)
        options = []
        for a in state.ronde.aios:
            if state.bord.toewijzing.get(a.id) == opleider_id:
                continue
            oordeel = state.check(a.id, opleider_id)
            score = state.score(a.id, opleider_id)
            nu = state.bord.toewijzing.get(a.id)
            waar = f"nu bij {state.opleiders[nu].naam}" if nu else "niet gekoppeld"
            keuze = f" · {score}e keuze" if score else ""
            if oordeel.toegestaan:
                text = (f"Kan: {a.naam} (jaar {a.opleidingsjaar}, {waar}){keuze} · tegen het optimum: "
                        f"{oordeel.tegen_optimum.verschil_tekst}{_let_op(oordeel)}")
            else:
                text = f"Kan niet: {a.naam} (jaar {a.opleidingsjaar}, {waar}): " + oordeel.weigering
            options.append((oordeel.toegestaan, (nu is not None, score or 99, a.naam), text, a.id,
                            oordeel.weigering))
        self.fill(options)


def uitzondering_dialog(aios_naam: str, opleider: str, vastleggen: Callable[[str], str | None],
                        parent: QWidget | None = None) -> RedenDialog:
    """Before a move onto a practice the aios did not visit: the reden of the manager's uitzondering.

    Enter records it (an empty reden is refused here, in words), Escape cancels and no move is made."""
    return RedenDialog(
        "Uitzondering vastleggen",
        f"{escape(aios_naam)} heeft de praktijk van {escape(opleider)} niet bezocht. Volgens de kaders kan dat "
        "alleen na overleg, om zwaarwegende redenen (vakantie is er geen). Leg de reden van de uitzondering van "
        "de manager opleiders vast; die staat op de kaart en in de uitslag.",
        "&Reden:",
        doe=vastleggen,
        ok_text="&Vastleggen en plaatsen",
        leeg="Vul de reden van de uitzondering in: niet bezoeken kan alleen na overleg, om zwaarwegende redenen.",
        veld_naam="Reden van de uitzondering",
        placeholder="bijvoorbeeld: bezoek niet mogelijk door ziekte, vooraf overlegd",
        weggooien="Je hebt een reden getypt die nog niet is vastgelegd. Weggooien? De aios wordt dan niet "
                  "verplaatst.",
        parent=parent,
    )


class BoardCommand(StoreCommand):
    """A move on the board; after its undo or redo the board says what happened (the message of the move
    itself would otherwise stay, telling what is no longer so)."""

    def __init__(self, *args: Any, gevolg: Callable[[str, str, bool], None], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._gevolg = gevolg
        self._eerste = True

    def undo(self) -> None:
        super().undo()
        self._gevolg("Ongedaan gemaakt", self.text(), not self.isObsolete())

    def redo(self) -> None:
        eerste, self._eerste = self._eerste, False
        super().redo()
        if not eerste:
            self._gevolg("Opnieuw gedaan", self.text(), not self.isObsolete())


HINT = ("Sleep een aios naar een opleider, of kies een aios of opleider en druk op T. Rechtsklik op een kaart "
        "voor alles wat je ermee kunt doen.")


def _toets(tekst: str, toets: str) -> str:
    """A menu item's text with the key that does the same on the board, shown on the right."""
    return f"{tekst}\t{toets}"


class BoardView(QWidget):
    def __init__(self, session: Session, undo_stack: QUndoStack) -> None:
        super().__init__()
        self.session = session
        self.undo_stack = undo_stack
        self.state: BoardState | None = None
        self._ronde_na_ontgrendelen: int | None = None  # the ronde shown when the store locked
        # The reden asked before a move onto an unvisited practice (kept for the tests and to close on lock).
        self.uitzondering_dialog: RedenDialog | None = None
        self.unassigned_model: UnassignedModel | None = None
        self.opleider_model: OpleiderModel | None = None
        self.ronde = combo([])
        self.ronde.setAccessibleName("Ronde")
        self.ronde.currentIndexChanged.connect(lambda _: self.load_current())
        self.importeren = QPushButton("&Importeren…")
        self.importeren.setToolTip("Een ronde inlezen uit een Excel-werkmap (.xlsx) of CSV-bestanden")
        self.importeren.clicked.connect(self.import_ronde)
        self.sjabloon = QPushButton("Leeg &sjabloon…")
        self.sjabloon.setToolTip("Een lege werkmap met toelichting, om een ronde in te vullen")
        self.sjabloon.clicked.connect(self.save_template)
        self.uit_personen = QPushButton("Sjabloon uit &Personen…")
        self.uit_personen.setToolTip("Een werkmap met de aios (jaar 1 en 3) en opleiders uit Personen, om aan te "
                                     "vullen met bezoeken en scores")
        self.uit_personen.clicked.connect(self.save_personen_template)
        self.exporteren = QPushButton("Uitslag naar &Excel…")
        self.exporteren.setToolTip("De uitslag met toelichting als Excel-werkmap, voor de managers opleiders")
        self.exporteren.clicked.connect(self.export_xlsx)
        self.pdf = QPushButton("Uitslag als &PDF…")
        self.pdf.setToolTip("Het overzicht voor de managers opleiders, of een pagina per opleider of per aios")
        self.pdf.clicked.connect(self.export_pdf)
        self.optimaliseer = QPushButton("&Optimaliseer de rest")
        self.optimaliseer.setToolTip("De beste koppeling voor de hele groep rond de vastgezette paren (Ctrl+R)")
        self.optimaliseer.clicked.connect(self.optimise)
        self.toewijzen = QPushButton("&Toewijzen…")
        self.toewijzen.setToolTip("De gekozen aios een opleider geven, of de gekozen opleider een aios (T)")
        self.toewijzen.clicked.connect(self.assign_selected)
        self.losmaken = QPushButton("&Losmaken")
        self.losmaken.setToolTip("De aios van de gekozen opleider losmaken (Delete)")
        self.losmaken.clicked.connect(self.unassign_selected)
        self.vastzetten = QPushButton("&Vastzetten")
        self.vastzetten.setToolTip("Het gekozen paar vastzetten of weer losmaken (V)")
        self.vastzetten.clicked.connect(self.pin_selected)
        self.samenvatting = QLabel()
        self.samenvatting.setWordWrap(True)
        self.samenvatting.setAccessibleName("Samenvatting van de ronde")
        self.hint = Melding("Melding bij de zet")
        self._vaste_melding: tuple[Soort, str] = (Soort.INFO, HINT)
        self._say(Soort.INFO, HINT, aankondigen=False)

        self.aios_view = CardView(CardDelegate(frozenset({1})), grid=False,
                                  leeg="Alle aios zijn gekoppeld. Sleep een aios hierheen om hem los te maken.")
        self.aios_view.setAccessibleName("Niet gekoppelde aios")
        self.aios_view.setAccessibleDescription("Kies een aios en druk op T om een opleider te kiezen; rechtsklik "
                                                "of de menutoets voor meer.")
        self.opleider_view = CardView(CardDelegate(frozenset({2})), grid=True)
        self.opleider_view.setAccessibleName("Opleiders")
        self.opleider_view.setAccessibleDescription(
            "Kies een opleider en druk op T om een aios toe te wijzen, Delete om los te maken, V om vast te "
            "zetten; rechtsklik of de menutoets voor meer.")
        for view in (self.aios_view, self.opleider_view):
            view.setDragEnabled(True)
            view.setAcceptDrops(True)
            view.setDropIndicatorShown(True)
            view.setDragDropMode(QAbstractItemView.DragDropMode.DragDrop)
            view.setDefaultDropAction(Qt.DropAction.MoveAction)
            view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
            # QListView.setMovement(Static) switches drops off on the viewport; the cards must take drops.
            view.viewport().setAcceptDrops(True)
            view.viewport().installEventFilter(self)
            view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.aios_view.customContextMenuRequested.connect(lambda pos: self._context_menu(self.aios_view, pos))
        self.opleider_view.customContextMenuRequested.connect(
            lambda pos: self._context_menu(self.opleider_view, pos))
        # The keyboard way to every move: keys on the focused list (an event filter, so they also work while
        # another window of the app is the active one).
        self._keys: dict[tuple[QListView, int], Callable[[], None]] = {
            (self.aios_view, Qt.Key.Key_T): self.assign_selected,
            (self.aios_view, Qt.Key.Key_Return): self.assign_selected,
            (self.aios_view, Qt.Key.Key_Enter): self.assign_selected,
            (self.opleider_view, Qt.Key.Key_T): self.assign_selected,
            (self.opleider_view, Qt.Key.Key_Delete): self.unassign_selected,
            (self.opleider_view, Qt.Key.Key_Backspace): self.unassign_selected,
            (self.opleider_view, Qt.Key.Key_V): self.pin_selected,
        }
        self.aios_view.installEventFilter(self)
        self.opleider_view.installEventFilter(self)
        QShortcut(QKeySequence("Ctrl+R"), self, self.optimise)

        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        titel_links = QLabel("<b>Niet gekoppeld</b> (sleep hierheen om los te maken)")
        titel_links.setWordWrap(True)
        left_layout.addWidget(titel_links)
        left_layout.addWidget(self.aios_view, 1)
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        self.legenda = QLabel(
            "<b>Opleiders</b> — elke kaart zegt haar stand ook in woorden: goudkleurige rand: voorrang "
            "(coassistent of opleiderscurriculum); dikke blauwe rand: vastgezet; rood: geblokkeerd; oranje, "
            "gestreept: uitzondering (niet bezocht)")
        self.legenda.setWordWrap(True)
        right_layout.addWidget(self.legenda)
        right_layout.addWidget(self.opleider_view, 1)
        self.splitter = QSplitter()
        self.splitter.addWidget(left)
        self.splitter.addWidget(right)
        self.splitter.setStretchFactor(0, 0)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setChildrenCollapsible(False)
        # The loose aios take one card's width; the opleiders the rest of the window.
        left.setMinimumWidth(self.fontMetrics().averageCharWidth() * 20)
        self.splitter.setSizes([self.fontMetrics().averageCharWidth() * 27, 10_000])
        top = QHBoxLayout()
        ronde_label = QLabel("&Ronde:")
        ronde_label.setBuddy(self.ronde)
        top.addWidget(ronde_label)
        top.addWidget(self.ronde, 1)
        for b in (self.importeren, self.sjabloon, self.uit_personen, self.exporteren, self.pdf):
            top.addWidget(b)
        moves = QHBoxLayout()
        for b in (self.optimaliseer, self.toewijzen, self.losmaken, self.vastzetten):
            moves.addWidget(b)
        moves.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addWidget(self.samenvatting)
        layout.addLayout(moves)
        layout.addWidget(self.splitter, 1)
        layout.addWidget(self.hint)
        self._set_enabled(False)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if (event.type() == QEvent.Type.ContextMenu and isinstance(event, QContextMenuEvent)
                and event.reason() == QContextMenuEvent.Reason.Keyboard and watched in (self.aios_view,
                                                                                       self.opleider_view)):
            # The menu key (or Shift+F10): the menu of the chosen card, wherever the mouse is.
            view = self.aios_view if watched is self.aios_view else self.opleider_view
            self._context_menu(view, None)
            return True
        if event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent) and not event.modifiers():
            action = self._keys.get((watched, event.key()))  # type: ignore[call-overload]
            if action is not None:
                action()
                return True
        if event.type() in (QEvent.Type.DragLeave, QEvent.Type.Drop) and watched in (
                self.aios_view.viewport(), self.opleider_view.viewport()):
            # The drag left the list, or was dropped: no card is marked any more, and the message of the drag
            # gives way to the last real one (a drop says its own).
            for model in (self.unassigned_model, self.opleider_model):
                if model is not None:
                    model.set_hover(None)
            if event.type() == QEvent.Type.DragLeave:
                self._say(*self._vaste_melding, aankondigen=False)
        return False

    # ---- messages ------------------------------------------------------------------------------------

    def _say(self, soort: Soort, tekst: str, *, aankondigen: bool = True, vast: bool = True) -> None:
        """Show a message under the board. `vast`: it stays when a drag passes by (the drag's own does not)."""
        if vast:
            self._vaste_melding = (soort, tekst)
        if (soort, tekst) != (self.hint.soort, self.hint.text()):
            self.hint.toon(soort, tekst, aankondigen=aankondigen)

    def _while_dragging(self, oordeel: Zetoordeel) -> None:
        if oordeel.toegestaan:
            self._say(Soort.LET_OP if oordeel.bezwaren else Soort.INFO, "Hier loslaten: " + oordeel.tekst_vooraf,
                      aankondigen=False, vast=False)
        else:
            self._say(Soort.GEWEIGERD, "hier kan deze aios niet. " + oordeel.weigering, aankondigen=False,
                      vast=False)

    def _after_undo(self, wat: str, zet: str, gelukt: bool) -> None:
        if gelukt:
            self._say(Soort.INFO, f"{wat}: {zet}.")
        else:
            self._say(Soort.INFO, HINT, aankondigen=False)

    # ---- rondes --------------------------------------------------------------------------------------

    def refresh(self) -> None:
        current = self.ronde.currentData() if self.ronde.count() else self._ronde_na_ontgrendelen
        rows = self.session.store.rondes.list()
        self.ronde.blockSignals(True)
        self.ronde.clear()
        for r in rows:
            self.ronde.add(f"{r.naam} (start {datum_nl(r.startdatum)})", r.id)
        self.ronde.setCurrentIndex(max(0, self.ronde.findData(current)))
        self.ronde.blockSignals(False)
        self.load_current()

    def listed(self, ronde_id: object) -> bool:
        return self.ronde.findData(ronde_id) >= 0

    def forget(self) -> None:
        """The store locks: the board, the rondes by name and what the message said about a move go; the ronde
        shown is kept by its id and shown again after unlocking."""
        self._ronde_na_ontgrendelen = self.ronde.currentData() if self.ronde.count() else self._ronde_na_ontgrendelen
        self.clear()
        self.ronde.blockSignals(True)
        self.ronde.clear()
        self.ronde.blockSignals(False)
        self._say(Soort.INFO, HINT, aankondigen=False)

    def clear(self) -> None:
        self.state = None
        self.aios_view.setModel(None)
        self.opleider_view.setModel(None)
        self.unassigned_model = self.opleider_model = None
        self.samenvatting.setText("")
        self._set_enabled(False)

    def load_current(self) -> None:
        """Show the chosen ronde as stored; the same ronde again is refreshed in place (selection kept)."""
        ronde_id = self.ronde.currentData()
        if ronde_id is None:
            self.clear()
            self.samenvatting.setText("Nog geen ronde. Importeer een ronde uit een Excel-werkmap; "
                                      "een leeg sjabloon staat klaar onder 'Leeg sjabloon…'.")
            return
        try:
            rondebord = self.session.store.rondes.bord(ronde_id)
        except Exception as exc:
            # A ronde that cannot be shown says why; the rest of the app works on.
            self.clear()
            self.samenvatting.setText("Deze ronde kan niet worden getoond: " + operations.user_message(exc))
            return
        if self.state is not None and self.state.ronde_id == ronde_id:
            self.state.update(rondebord)
        else:
            self.state = BoardState(rondebord)
            self.state.changed.connect(self._on_state_changed)
            self.unassigned_model = UnassignedModel(self.state, self.drop)
            self.opleider_model = OpleiderModel(self.state, self.drop)
            for model in (self.unassigned_model, self.opleider_model):
                model.oordeel.connect(self._while_dragging)
            self.aios_view.setModel(self.unassigned_model)
            self.opleider_view.setModel(self.opleider_model)
            # Another ronde: what was said about a move on the one before does not hold here.
            self._say(Soort.INFO, HINT, aankondigen=False)
            if rondebord.geblokkeerd:
                self._say(Soort.LET_OP, "Geblokkeerd na een ontkoppeling (geen nieuwe aios tot het contact met de "
                          "manager opleiders): " + ", ".join(rondebord.geblokkeerd) + ".", aankondigen=False)
        self._set_enabled(True)
        self._summarise()

    def _set_enabled(self, enabled: bool) -> None:
        for b in (self.exporteren, self.pdf, self.optimaliseer, self.toewijzen, self.losmaken, self.vastzetten):
            b.setEnabled(enabled)

    def _on_state_changed(self) -> None:
        if self.unassigned_model is not None and self.opleider_model is not None:
            self.unassigned_model.reload()
            self.opleider_model.reload()
        self._summarise()

    def _summarise(self) -> None:
        state = self.state
        if state is None:
            return
        uitleg = state.uitleg
        optimum = state.planner.optimum.doelwaarde
        nu = state.uitslag.doelwaarde
        verschil = nu - optimum
        tegen = ("gelijk aan het optimum" if nu.key == optimum.key
                 else f"minder goed dan het optimum: {verschil.verschil_tekst}")
        handmatig = sum(1 for k in state.uitslag.koppelingen if k.herkomst is Herkomst.HANDMATIG)
        herkomst = f" {handmatig} handmatig geplaatst." if handmatig else ""
        planning = state.ronde.planning.tekst if state.ronde.planning else ""
        self.samenvatting.setText(
            f"<b>{escape(uitleg.samenvatting)}</b> <i>Deze indeling is {tegen}.{herkomst}</i>"
            + (f"<br><span style='color:#555'>{escape(planning)}</span>" if planning else "")
        )

    # ---- moves ---------------------------------------------------------------------------------------

    def _change(self, ronde_id: int, text: str, do: Callable[[Store], Changes],
                on_error: Callable[[str], None] | None = None) -> Changes | None:
        """Make one change through the gateway and put it on the undo stack as the board before and after
        (values, with the ronde's id: an undo acts on the store of the moment, also after unlocking)."""
        session = self.session
        before = operations.run(self, lambda: session.store.rondes.stand(ronde_id))
        if before is None:
            return None
        changes = operations.change(self, session, lambda: do(session.store), initiator=self, on_error=on_error)
        if not changes:
            return changes
        after = operations.run(self, lambda: session.store.rondes.stand(ronde_id))
        if after is None:
            return changes  # made, and shown; only its undo step is missing (the reason was shown)
        self.undo_stack.push(BoardCommand(
            session, text, initiator=self,
            undo=lambda store: store.rondes.herstel(ronde_id, before),
            redo=lambda store: store.rondes.herstel(ronde_id, after),
            gevolg=self._after_undo,
        ))
        return changes

    def drop(self, aios_id: str, opleider_id: str | None) -> bool:
        """A drop (or a keyboard move): refused with the reason; onto a practice the aios did not visit only
        after the reden of the uitzondering is given; otherwise made. True when the move was made."""
        state = self.state
        if state is None or state.bord.toewijzing.get(aios_id) == opleider_id:
            if state is not None:
                self._say(*self._vaste_melding, aankondigen=False)
            return False
        oordeel = state.check(aios_id, opleider_id)
        naam = state.aios[aios_id].naam
        if not oordeel.toegestaan:
            self._say(Soort.GEWEIGERD, f"{naam} is niet verplaatst. {oordeel.weigering}")
            return False
        ronde_id = state.ronde_id
        text = f"{naam} naar {state.opleiders[opleider_id].naam}" if opleider_id else f"{naam} losgemaakt"
        if opleider_id is not None and needs_uitzondering(oordeel):
            self._ask_reden(aios_id, opleider_id, text, oordeel.tekst)
            return False
        changes = self._change(ronde_id, text, lambda store: store.rondes.verplaats(ronde_id, aios_id, opleider_id))
        if changes:
            self._say(Soort.GEDAAN, f"{text}. {oordeel.tekst}")
        return bool(changes)

    def _ask_reden(self, aios_id: str, opleider_id: str, text: str, tekst: str) -> None:
        state = self.state
        assert state is not None
        ronde_id = state.ronde_id
        opleider = state.opleiders[opleider_id]
        errors: list[str] = []
        self._say(Soort.LET_OP, f"{state.aios[aios_id].naam} heeft deze praktijk niet bezocht: leg eerst de reden "
                  "van de uitzondering vast.", aankondigen=False)

        def vastleggen(reden: str) -> str | None:
            errors.clear()
            changes = self._change(
                ronde_id, f"{text} (uitzondering)",
                lambda store: store.rondes.verplaats(ronde_id, aios_id, opleider_id, reden=reden),
                on_error=errors.append,
            )
            if changes is None:
                return errors[0] if errors else "Niet gelukt."
            self._say(Soort.GEDAAN, f"{text}, met uitzondering: {reden}\n{tekst}")
            self._select_card(opleider_id)
            return None

        dialog = uitzondering_dialog(state.aios[aios_id].naam, opleider.kort, vastleggen, self.window())
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.rejected.connect(lambda: self._say(Soort.INFO, "Niet verplaatst: er is geen uitzondering "
                                                  "vastgelegd."))
        dialog.destroyed.connect(lambda: setattr(self, "uitzondering_dialog", None))
        self.uitzondering_dialog = dialog
        dialog.open()

    def _select_card(self, opleider_id: str) -> None:
        if self.opleider_model is not None:
            self.opleider_view.setCurrentIndex(self.opleider_model.index(self.opleider_model.row_of(opleider_id)))

    def _selected_aios(self) -> str | None:
        if self.aios_view.hasFocus() or not self.opleider_view.currentIndex().isValid():
            index = self.aios_view.currentIndex()
            if index.isValid():
                return str(index.data(AIOS_ID_ROLE))
        index = self.opleider_view.currentIndex()
        value = index.data(AIOS_ID_ROLE) if index.isValid() else None
        return str(value) if value else None

    def assign_selected(self) -> None:
        """T: the chosen aios (in the list, or on the chosen card) gets an opleider; a chosen card without an
        aios gets one."""
        if self.state is None:
            return
        aios_id = self._selected_aios()
        if aios_id is not None:
            self.assign_aios(aios_id)
            return
        index = self.opleider_view.currentIndex()
        if index.isValid():
            self.choose_aios_for(str(index.data(OPLEIDER_ID_ROLE)))
            return
        self._say(Soort.INFO, "Kies eerst een aios (links) of een opleider (rechts).")

    def assign_aios(self, aios_id: str) -> None:
        """The keyboard way for one aios: the list of opleiders with the judgement; Enter moves."""
        if self.state is None:
            return
        self._run_dialog(AssignDialog(self.state, aios_id, self.window()), lambda chosen: (aios_id, chosen))

    def choose_aios_for(self, opleider_id: str) -> None:
        """The keyboard way for one opleider: the list of aios with the judgement; Enter moves."""
        if self.state is None:
            return
        self._run_dialog(AiosKiezenDialog(self.state, opleider_id, self.window()),
                         lambda chosen: (chosen, opleider_id))

    def _run_dialog(self, dialog: _KeuzeDialog, move: Callable[[str], tuple[str, str]]) -> None:
        accepted = dialog.exec() == QDialog.DialogCode.Accepted
        chosen = dialog.chosen
        dialog.deleteLater()  # a closed dialog is kept by its parent, the main window: with every name in it
        if accepted and chosen:
            aios_id, opleider_id = move(chosen)
            if self.drop(aios_id, opleider_id):
                self._select_card(opleider_id)

    def unassign_selected(self) -> None:
        index = self.opleider_view.currentIndex()
        aios_id = index.data(AIOS_ID_ROLE) if index.isValid() else None
        if aios_id:
            self.drop(str(aios_id), None)
        else:
            self._say(Soort.INFO, "Kies een opleider met een aios om die los te maken.")

    def pin_selected(self) -> None:
        index = self.opleider_view.currentIndex()
        aios_id = str(index.data(AIOS_ID_ROLE)) if index.isValid() and index.data(AIOS_ID_ROLE) else None
        if aios_id is None:
            self._say(Soort.INFO, "Kies een opleider met een aios om het paar vast te zetten.")
            return
        self.pin_aios(aios_id)

    def pin_aios(self, aios_id: str) -> None:
        """Pin the aios's pair on the board, or unpin it."""
        state = self.state
        if state is None:
            return
        opleider_id = state.bord.toewijzing.get(aios_id)
        if opleider_id is None:
            self._say(Soort.INFO, "Alleen een aios bij een opleider kan worden vastgezet.")
            return
        vast = (aios_id, opleider_id) not in state.bord.pins
        naam, bij = state.aios[aios_id].naam, state.opleiders[opleider_id].naam
        text = f"{naam} vastgezet bij {bij}" if vast else f"vastzetting van {naam} bij {bij} opgeheven"
        ronde_id = state.ronde_id
        if self._change(ronde_id, text, lambda store: store.rondes.zet_vast(ronde_id, aios_id, vast)):
            self._say(Soort.GEDAAN, text[0].upper() + text[1:] + ".")

    def optimise(self) -> None:
        state = self.state
        if state is None:
            return
        ronde_id = state.ronde_id
        pins = len(state.bord.pins)
        rond = f"rond {aantal(pins, 'vastgezet paar', 'vastgezette paren')}" if pins else "(geen vastgezette paren)"
        changes = self._change(ronde_id, "Optimaliseer de rest", lambda store: store.rondes.optimaliseer_rest(ronde_id))
        if changes is None:
            return
        if not changes:
            self._say(Soort.INFO, f"Er veranderde niets: de indeling was al de beste voor de groep {rond}.")
        else:
            self._say(Soort.GEDAAN, f"Geoptimaliseerd {rond}.")

    # ---- right-click menus ---------------------------------------------------------------------------

    def _context_menu(self, view: QListView, pos: QPoint | None) -> None:
        """The actions of the card under the mouse at `pos`, or (None: the keyboard's menu key) of the chosen
        card, shown at that card."""
        index = view.indexAt(pos) if pos is not None else view.currentIndex()
        if index.isValid():
            view.setCurrentIndex(index)
            if pos is None:
                pos = view.visualRect(index).center()
        if pos is None:
            pos = view.viewport().rect().center()
        menu = self.menu_for(view, index)
        if menu is None:
            return
        menu.exec(view.viewport().mapToGlobal(pos))
        menu.deleteLater()  # its items name the aios and opleiders: not kept after use

    def menu_for(self, view: QListView, index: QModelIndex) -> QMenu | None:
        state = self.state
        if state is None:
            return None
        menu = QMenu(self)
        menu.setAccessibleName("Acties")

        def add(text: str, action: Callable[[], object], target: QMenu = menu, enabled: bool = True) -> QAction:
            a = target.addAction(text)
            a.triggered.connect(lambda _checked=False: action())
            a.setEnabled(enabled)
            return a

        if index.isValid() and view is self.aios_view:
            aios_id = str(index.data(AIOS_ID_ROLE))
            naam = state.aios[aios_id].naam
            add(_toets(f"{naam} toewijzen aan een opleider…", "T"), lambda: self.assign_aios(aios_id))
        elif index.isValid():
            opleider_id = str(index.data(OPLEIDER_ID_ROLE))
            opleider = state.opleiders[opleider_id]
            assigned = list(state.per_opleider.get(opleider_id, []))
            for i, aios_id in enumerate(assigned):
                naam = state.aios[aios_id].naam
                # The first aios of a card is what T, Delete and V act on; a second one gets the same actions.
                sub = menu if len(assigned) == 1 else menu.addMenu(naam)
                vast = (aios_id, opleider_id) in state.bord.pins
                add(_toets(f"{naam} naar een andere opleider…", "T") if i == 0 else f"{naam} naar een andere "
                    "opleider…", lambda a=aios_id: self.assign_aios(a), sub)
                add(_toets(f"{naam} losmaken", "Delete") if i == 0 else f"{naam} losmaken",
                    lambda a=aios_id: self.drop(a, None), sub)
                pin_text = f"Vastzetting van {naam} opheffen" if vast else f"{naam} hier vastzetten"
                add(_toets(pin_text, "V") if i == 0 else pin_text, lambda a=aios_id: self.pin_aios(a), sub)
            vrij = opleider.capaciteit - len(assigned)
            if vrij > 0:
                if assigned:
                    menu.addSeparator()
                add(_toets(f"Een aios toewijzen aan {opleider.naam}…", "T") if not assigned
                    else f"Nog een aios toewijzen aan {opleider.naam}…",
                    lambda: self.choose_aios_for(opleider_id), enabled=not opleider.blokkade)
                if opleider.blokkade:
                    add("Geblokkeerd na een ontkoppeling: geen nieuwe aios", lambda: None, enabled=False)
        menu.addSeparator()
        add(_toets("Optimaliseer de rest", "Ctrl+R"), self.optimise)
        return menu

    # ---- files ---------------------------------------------------------------------------------------

    def import_ronde(self) -> None:
        path = bestandsdialoog.openen(self, "ronde", "Ronde importeren",
                                      "Excel-werkmap (*.xlsx);;CSV-bestand (*.csv)")
        if path is not None:
            self.import_path(path)

    def import_path(self, path: Path) -> int | None:
        """All or nothing: a ronde with any problem is not stored, and every problem is listed."""
        from ontkoppel_desktop.exchange.ronde_lezen import read_ronde  # the spreadsheet reader loads only for an import

        result = read_ronde(path)
        if result.ronde is None:
            problems = "\n".join(f"• {p}" for p in result.problemen[:60])
            more = f"\n… en nog {len(result.problemen) - 60}" if len(result.problemen) > 60 else ""
            QMessageBox.warning(self, "Ronde niet geïmporteerd",
                                f"{path.name} is niet ingelezen; er is niets opgeslagen. "
                                f"Los deze punten op en importeer opnieuw:\n\n{problems}{more}")
            return None
        ronde = result.ronde
        changes = operations.change(self, self.session, lambda: self.session.store.rondes.add(ronde), initiator=self,
                                    title="Ronde niet geïmporteerd")
        if changes is None or changes.created is None:
            return None
        ronde_id = int(changes.created)
        if not self.listed(ronde_id):
            self.refresh()
        self.ronde.setCurrentIndex(self.ronde.findData(ronde_id))
        return ronde_id

    ONVERSLEUTELD = "Dit bestand staat onversleuteld op schijf; bewaar het veilig."

    def _saved(self, titel: str, wat: str, path: Path) -> None:
        """After an export: say where it went, with Openen and Toon in map."""
        self._say(Soort.GEDAAN, f"{wat} opgeslagen: {path.name}. {self.ONVERSLEUTELD}", aankondigen=False)
        na_export.klaar(self, titel, f"{wat} is opgeslagen. {self.ONVERSLEUTELD}", path)

    def save_template(self) -> None:
        path = bestandsdialoog.opslaan(self, "ronde", "Leeg sjabloon opslaan", "koppelronde-sjabloon.xlsx",
                                       "Excel-werkmap (*.xlsx)", ".xlsx")
        if path is None:
            return
        from ontkoppel_desktop.exchange.ronde_sjabloon import write_template

        if operations.run_ok(self, lambda: write_template(path)):
            self._say(Soort.GEDAAN, f"Sjabloon opgeslagen: {path.name}.", aankondigen=False)
            na_export.klaar(self, "Sjabloon opgeslagen", "Het lege sjabloon is opgeslagen.", path)

    def save_personen_template(self) -> None:
        from datetime import date

        from ontkoppel_desktop.exchange.ronde_schrijven import write_ronde

        # Connected to an institute whose Personen this laptop keeps: the server's picture, not the laptop's own.
        store = self.session.store
        van_instituut = instituut_personen.heeft_kopie(store.conn)
        ronde = (ronde_from_instituut if van_instituut else ronde_from_personen)(store, date.today())
        path = bestandsdialoog.opslaan(self, "ronde", "Sjabloon uit Personen" + (" van het instituut" if van_instituut
                                       else ""), f"{ronde.naam}.xlsx",
                                       "Excel-werkmap (*.xlsx)", ".xlsx")
        if path is None:
            return
        if operations.run_ok(self, lambda: write_ronde(path, ronde)):
            wat = (f"De werkmap met {aantal(len(ronde.aios), 'aios', 'aios')} en "
                   f"{aantal(len(ronde.opleiders), 'opleider', 'opleiders')}"
                   + (" uit de Personen van het instituut" if van_instituut else ""))
            self._say(Soort.GEDAAN, f"{wat} is opgeslagen: {path.name}. Vul de bezoeken en scores aan en "
                      f"importeer de werkmap. {self.ONVERSLEUTELD}", aankondigen=False)
            na_export.klaar(self, "Sjabloon opgeslagen", f"{wat} is opgeslagen. Vul de bezoeken en scores aan en "
                            f"importeer de werkmap. {self.ONVERSLEUTELD}", path)

    def _export(self, title: str, wat: str, default: str, pattern: str, write: Callable[[Path], object]) -> None:
        if self.state is None:
            return
        suffix = pattern.split("*")[1].rstrip(")")
        path = bestandsdialoog.opslaan(self, "uitslag", title, default, pattern, suffix)
        if path is None:
            return
        if operations.run_ok(self, lambda: write(path)):
            self._saved("Uitslag opgeslagen", wat, path)

    def export_xlsx(self) -> None:
        state = self.state
        if state is not None:
            self._export("Uitslag opslaan", "De uitslag", "uitslag.xlsx", "Excel-werkmap (*.xlsx)",
                         lambda p: _write_uitslag(p, state))

    # Who a PDF is for (DECISIONS 2026-12-01): the managers' full overview, or one page per opleider or per aios
    # that says only what that reader may read. (button, voor, file name, what it is)
    PDF_KEUZES = (
        ("&Overzicht voor de managers", "managers", "uitslag-overzicht-managers", "Het overzicht voor de managers"),
        ("Een pagina per o&pleider", "opleider", "uitslag-per-opleider", "De uitslag per opleider"),
        ("Een pagina per &aios", "aios", "uitslag-per-aios", "De uitslag per aios"),
    )

    def export_pdf(self) -> None:
        state = self.state
        if state is None:
            return
        keuze = vraag.kies(
            self, "Uitslag als PDF",
            "Voor wie is de PDF?\n\nHet overzicht is voor de (assistent) managers opleiders: alles, met de "
            "toelichting. Per opleider krijgt elke opleider een pagina met alleen de eigen koppeling(en) en wat voor "
            "te bereiden; per aios krijgt elke aios een pagina met de eigen keuze, zonder te noemen dat een opleider "
            "iemand afwees.",
            [knop for knop, *_ in self.PDF_KEUZES], standaard=0)
        if keuze is None:
            return
        _, voor, naam, wat = self.PDF_KEUZES[keuze]
        from ontkoppel_desktop.documents.koppeluitslag import write_uitslag_pdf

        self._export("Uitslag als PDF", wat, f"{naam}.pdf", "PDF (*.pdf)",
                     lambda p: write_uitslag_pdf(p, state.ronde, state.uitslag, state.uitleg, voor=voor))


class KoppelplannerView(QWidget):
    TITLE = "Koppelplanner"

    def __init__(self, session: Session, undo_stack: QUndoStack, open_event: Any) -> None:
        super().__init__()
        self.session = session
        self.board = BoardView(session, undo_stack)
        self.een_op_een = EenOpEenPanel(session, open_event)
        self.tabs = QTabWidget()
        self.tabs.addTab(self.board, "&Matchingsronde")
        self.tabs.addTab(self.een_op_een, "&1-op-1 na ontkoppeling")
        self.tabs.currentChanged.connect(lambda _: self._refresh_current())
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.tabs)
        # What must be read again before it is shown (each part refreshes only for what touches it).
        self.board_stale = True
        self.een_op_een_stale = True
        session.changed.connect(self._on_changed)
        session.locked.connect(self._on_locked)

    def _refresh_current(self) -> None:
        if self.session.is_locked:
            return
        if self.tabs.currentWidget() is self.board:
            if self.board_stale:
                self.board_stale = False
                self.board.refresh()
        elif self.een_op_een_stale:
            self.een_op_een_stale = False
            self.een_op_een.refresh()

    def _on_changed(self, changes: Changes, initiator: object = None) -> None:
        """Refresh only what a change touches: the board for its own ronde (whatever the initiator, an undo
        included, so screen and store agree), the list for a new ronde, both for a blokkade."""
        ronde_ids = changes.ids(RONDE)
        current = self.board.ronde.currentData()
        if (changes.touches_any(BLOKKADE, TRAJECT)
                or (current is not None and changes.touches(RONDE, current))
                or ronde_ids is None
                or any(not self.board.listed(i) for i in ronde_ids)):
            self.board_stale = True
        if changes.touches_any(TRAJECT, KOPPELING, BLOKKADE, OPLEIDER, AIOS, PRAKTIJK):
            self.een_op_een_stale = True
        if self.isVisible():
            self._refresh_current()

    def _on_locked(self) -> None:
        # Nothing confidential stays on screen, and no undo step outlives the connection it was made on (the
        # session empties its stacks too; this one may be a stack the main window shares). An open reden stays:
        # the main window hides it and takes its text out while locked, and it records through the store of the
        # moment after unlocking.
        self.board.forget()
        self.board.undo_stack.clear()
        self.een_op_een.forget()
        self.board_stale = self.een_op_een_stale = True

    def showEvent(self, event: Any) -> None:  # noqa: N802
        super().showEvent(event)
        self._refresh_current()


def _write_uitslag(path: Path, state: Any) -> None:
    from ontkoppel_desktop.exchange.uitslag_schrijven import write_uitslag  # XlsxWriter loads only for an export

    write_uitslag(path, state.ronde, state.uitslag, state.uitleg)
