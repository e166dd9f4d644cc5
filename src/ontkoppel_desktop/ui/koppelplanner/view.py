"""Koppelplanner: a ronde on a board, the optimum explained, moves by drag and drop or by keyboard, and the
1-op-1 match after an ontkoppeling."""

from __future__ import annotations

from collections.abc import Callable
from html import escape
from pathlib import Path
from typing import Any

from PySide6.QtCore import QEvent, QObject, QSize, Qt
from PySide6.QtGui import QKeyEvent, QKeySequence, QShortcut, QUndoStack
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QListView,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from ontkoppel_desktop.core.changes import AIOS, BLOKKADE, KOPPELING, OPLEIDER, PRAKTIJK, RONDE, TRAJECT, Changes
from ontkoppel_desktop.core.koppelplanner import Herkomst
from ontkoppel_desktop.store.ronde_personen import ronde_from_personen
from ontkoppel_desktop.store.store import Store
from ontkoppel_desktop.ui import operations
from ontkoppel_desktop.ui.koppelplanner.board import (
    AIOS_ID_ROLE,
    BoardState,
    OpleiderModel,
    UnassignedModel,
    needs_uitzondering,
)
from ontkoppel_desktop.ui.koppelplanner.card_delegate import CardDelegate
from ontkoppel_desktop.ui.koppelplanner.een_op_een import EenOpEenPanel
from ontkoppel_desktop.ui.reden_dialog import RedenDialog
from ontkoppel_desktop.ui.session import Session
from ontkoppel_desktop.ui.undo import StoreCommand
from ontkoppel_desktop.ui.widgets import combo


class AssignDialog(QDialog):
    """The keyboard way to make a move: every opleider with the core's judgement; Enter assigns."""

    def __init__(self, state: BoardState, aios_id: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"{state.aios[aios_id].naam} toewijzen")
        self.lijst = QListWidget()
        self.lijst.setAccessibleName("Opleiders")
        self.chosen: str | None = None
        options = []
        for o in state.ronde.opleiders:
            oordeel = state.check(aios_id, o.id)
            score = state.score(aios_id, o.id)
            if oordeel.toegestaan:
                extra = " · let op: " + "; ".join(b.bericht for b in oordeel.bezwaren) if oordeel.bezwaren else ""
                if needs_uitzondering(oordeel):
                    extra += " (je legt daarna de reden vast)"
                text = (f"✓ {o.naam} — {o.praktijk}" + (f" · score {score}" if score else "")
                        + f" · tegen optimum: {oordeel.tegen_optimum.verschil_tekst}{extra}")
            else:
                text = f"✗ {o.naam} — " + "; ".join(b.bericht for b in oordeel.bezwaren)
            options.append((not oordeel.toegestaan, score or 99, text, o.id, oordeel.toegestaan))
        for _, _, text, opleider_id, allowed in sorted(options):
            item = QListWidgetItem(text)
            item.setData(Qt.ItemDataRole.UserRole, opleider_id)
            item.setToolTip(text)
            if not allowed:
                item.setFlags(Qt.ItemFlag.NoItemFlags)
            self.lijst.addItem(item)
        self.lijst.setCurrentRow(0)
        self.lijst.itemActivated.connect(lambda _: self.accept())
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("&Toewijzen")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("Kies de opleider met de pijltjes en Enter. "
                                "Keuzes met ✗ mogen niet; de reden staat erbij."))
        layout.addWidget(self.lijst, 1)
        layout.addWidget(buttons)
        self.resize(760, 480)

    def accept(self) -> None:
        item = self.lijst.currentItem()
        if item is None or not item.flags() & Qt.ItemFlag.ItemIsEnabled:
            return
        self.chosen = str(item.data(Qt.ItemDataRole.UserRole))
        super().accept()


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


HINT = "Sleep een aios naar een opleider, of kies een aios en druk op T."


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
        self.importeren.setToolTip("Een ronde inlezen uit een Excel-werkmap (.xlsx) of een map met CSV-bestanden")
        self.importeren.clicked.connect(self.import_ronde)
        self.sjabloon = QPushButton("Leeg &sjabloon…")
        self.sjabloon.clicked.connect(self.save_template)
        self.uit_personen = QPushButton("Sjabloon uit &Personen…")
        self.uit_personen.setToolTip("Een werkmap met de aios (jaar 1 en 3) en opleiders uit Personen, om aan te "
                                     "vullen met bezoeken en scores")
        self.uit_personen.clicked.connect(self.save_personen_template)
        self.exporteren = QPushButton("Uitslag naar &Excel…")
        self.exporteren.clicked.connect(self.export_xlsx)
        self.pdf = QPushButton("Uitslag als &PDF…")
        self.pdf.clicked.connect(self.export_pdf)
        self.optimaliseer = QPushButton("&Optimaliseer de rest")
        self.optimaliseer.setToolTip("De beste koppeling voor de hele groep rond de vastgezette paren (Ctrl+R)")
        self.optimaliseer.clicked.connect(self.optimise)
        self.toewijzen = QPushButton("&Toewijzen…")
        self.toewijzen.setToolTip("Geselecteerde aios toewijzen met het toetsenbord (T)")
        self.toewijzen.clicked.connect(self.assign_selected)
        self.losmaken = QPushButton("&Losmaken")
        self.losmaken.setToolTip("De aios van de geselecteerde opleider losmaken (Delete)")
        self.losmaken.clicked.connect(self.unassign_selected)
        self.vastzetten = QPushButton("&Vastzetten")
        self.vastzetten.setToolTip("Het geselecteerde paar vastzetten of weer losmaken (V)")
        self.vastzetten.clicked.connect(self.pin_selected)
        self.samenvatting = QLabel()
        self.samenvatting.setWordWrap(True)
        self.samenvatting.setAccessibleName("Samenvatting van de ronde")
        self.hint = QLabel(HINT)
        self.hint.setWordWrap(True)
        self.hint.setStyleSheet("color: #333;")
        self.hint.setAccessibleName("Toelichting bij de zet")

        self.aios_view = QListView()
        self.aios_view.setAccessibleName("Niet gekoppelde aios")
        self.aios_view.setItemDelegate(CardDelegate(QSize(260, 70)))
        self.opleider_view = QListView()
        self.opleider_view.setAccessibleName("Opleiders")
        self.opleider_view.setViewMode(QListView.ViewMode.IconMode)
        self.opleider_view.setMovement(QListView.Movement.Static)
        self.opleider_view.setResizeMode(QListView.ResizeMode.Adjust)
        self.opleider_view.setWrapping(True)
        self.opleider_view.setUniformItemSizes(True)
        self.opleider_view.setItemDelegate(CardDelegate())
        self.opleider_view.setGridSize(QSize(272, 90))
        for view in (self.aios_view, self.opleider_view):
            view.setDragEnabled(True)
            view.setAcceptDrops(True)
            view.setDropIndicatorShown(True)
            view.setDragDropMode(QAbstractItemView.DragDropMode.DragDrop)
            view.setDefaultDropAction(Qt.DropAction.MoveAction)
            view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
            # QListView.setMovement(Static) switches drops off on the viewport; the cards must take drops.
            view.viewport().setAcceptDrops(True)
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
        left_layout.addWidget(QLabel("<b>Niet gekoppeld</b> (sleep hierheen om los te maken)"))
        left_layout.addWidget(self.aios_view, 1)
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        legend = QLabel("<b>Opleiders</b> — goudkleurige rand: voorrang (coassistent of opleiderscurriculum); "
                        "blauwe rand: vastgezet; rood: geblokkeerd; oranje, gestreept: uitzondering (niet bezocht)")
        legend.setWordWrap(True)
        right_layout.addWidget(legend)
        right_layout.addWidget(self.opleider_view, 1)
        splitter = QSplitter()
        splitter.addWidget(left)
        splitter.addWidget(right)
        splitter.setSizes([290, 900])
        top = QHBoxLayout()
        top.addWidget(QLabel("&Ronde:", buddy=self.ronde))
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
        layout.addWidget(splitter, 1)
        layout.addWidget(self.hint)
        self._set_enabled(False)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent) and not event.modifiers():
            action = self._keys.get((watched, event.key()))  # type: ignore[call-overload]
            if action is not None:
                action()
                return True
        return False

    # ---- rondes --------------------------------------------------------------------------------------

    def refresh(self) -> None:
        current = self.ronde.currentData() if self.ronde.count() else self._ronde_na_ontgrendelen
        rows = self.session.store.rondes.list()
        self.ronde.blockSignals(True)
        self.ronde.clear()
        for r in rows:
            self.ronde.add(f"{r.naam} (start {r.startdatum:%d-%m-%Y})", r.id)
        self.ronde.setCurrentIndex(max(0, self.ronde.findData(current)))
        self.ronde.blockSignals(False)
        self.load_current()

    def listed(self, ronde_id: object) -> bool:
        return self.ronde.findData(ronde_id) >= 0

    def forget(self) -> None:
        """The store locks: the board, the rondes by name and what the hint said about a move go; the ronde shown
        is kept by its id and shown again after unlocking."""
        self._ronde_na_ontgrendelen = self.ronde.currentData() if self.ronde.count() else self._ronde_na_ontgrendelen
        self.clear()
        self.ronde.blockSignals(True)
        self.ronde.clear()
        self.ronde.blockSignals(False)
        self.hint.setText(HINT)

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
                model.hint.connect(self.hint.setText)
            self.aios_view.setModel(self.unassigned_model)
            self.opleider_view.setModel(self.opleider_model)
            if rondebord.geblokkeerd:
                self.hint.setText("Geblokkeerd na een ontkoppeling (geen nieuwe aios tot het contact met de "
                                  "manager opleiders): " + ", ".join(rondebord.geblokkeerd))
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
            f"<b>{uitleg.samenvatting}</b> <i>Deze indeling is {tegen}.{herkomst}</i>"
            + (f"<br><span style='color:#555'>{planning}</span>" if planning else "")
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
        self.undo_stack.push(StoreCommand(
            session, text, initiator=self,
            undo=lambda store: store.rondes.herstel(ronde_id, before),
            redo=lambda store: store.rondes.herstel(ronde_id, after),
        ))
        return changes

    def drop(self, aios_id: str, opleider_id: str | None) -> bool:
        """A drop (or a keyboard move): refused with the reason; onto a practice the aios did not visit only
        after the reden of the uitzondering is given; otherwise made. True when the move was made."""
        state = self.state
        if state is None or state.bord.toewijzing.get(aios_id) == opleider_id:
            return False
        oordeel = state.check(aios_id, opleider_id)
        if not oordeel.toegestaan:
            self.hint.setText("Niet toegestaan: " + "; ".join(b.bericht for b in oordeel.bezwaren))
            return False
        naam = state.aios[aios_id].naam
        ronde_id = state.ronde_id
        text = f"{naam} naar {state.opleiders[opleider_id].naam}" if opleider_id else f"{naam} losgemaakt"
        if opleider_id is not None and needs_uitzondering(oordeel):
            self._ask_reden(aios_id, opleider_id, text, oordeel.tekst)
            return False
        changes = self._change(ronde_id, text, lambda store: store.rondes.verplaats(ronde_id, aios_id, opleider_id))
        if changes:
            self.hint.setText(oordeel.tekst)
        return bool(changes)

    def _ask_reden(self, aios_id: str, opleider_id: str, text: str, tekst: str) -> None:
        state = self.state
        assert state is not None
        ronde_id = state.ronde_id
        opleider = state.opleiders[opleider_id]
        errors: list[str] = []

        def vastleggen(reden: str) -> str | None:
            errors.clear()
            changes = self._change(
                ronde_id, f"{text} (uitzondering)",
                lambda store: store.rondes.verplaats(ronde_id, aios_id, opleider_id, reden=reden),
                on_error=errors.append,
            )
            if changes is None:
                return errors[0] if errors else "Niet gelukt."
            self.hint.setText(f"Uitzondering vastgelegd: {reden}\n{tekst}")
            self._select_card(opleider_id)
            return None

        dialog = uitzondering_dialog(state.aios[aios_id].naam, opleider.kort, vastleggen, self.window())
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.rejected.connect(lambda: self.hint.setText("Niet verplaatst: er is geen uitzondering vastgelegd."))
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
        aios_id = self._selected_aios()
        if self.state is None or aios_id is None:
            self.hint.setText("Kies eerst een aios (links, of op een opleiderskaart).")
            return
        dialog = AssignDialog(self.state, aios_id, self.window())
        accepted = dialog.exec() == QDialog.DialogCode.Accepted
        chosen = dialog.chosen
        dialog.deleteLater()  # a closed dialog is kept by its parent, the main window: with every name in it
        if accepted and chosen and self.drop(aios_id, chosen):
            self._select_card(chosen)

    def unassign_selected(self) -> None:
        index = self.opleider_view.currentIndex()
        aios_id = index.data(AIOS_ID_ROLE) if index.isValid() else None
        if aios_id:
            self.drop(str(aios_id), None)

    def pin_selected(self) -> None:
        state = self.state
        if state is None:
            return
        index = self.opleider_view.currentIndex()
        aios_id = str(index.data(AIOS_ID_ROLE)) if index.isValid() and index.data(AIOS_ID_ROLE) else None
        opleider_id = state.bord.toewijzing.get(aios_id) if aios_id else None
        if aios_id is None or opleider_id is None:
            self.hint.setText("Kies een opleider met een aios om het paar vast te zetten.")
            return
        vast = (aios_id, opleider_id) not in state.bord.pins
        naam = state.aios[aios_id].naam
        text = f"{naam} vastgezet" if vast else f"{naam} losgezet"
        ronde_id = state.ronde_id
        if self._change(ronde_id, text, lambda store: store.rondes.zet_vast(ronde_id, aios_id, vast)):
            self.hint.setText(text)

    def optimise(self) -> None:
        state = self.state
        if state is None:
            return
        ronde_id = state.ronde_id
        changes = self._change(ronde_id, "Optimaliseer de rest", lambda store: store.rondes.optimaliseer_rest(ronde_id))
        if changes is not None:
            pins = len(self.state.bord.pins) if self.state is not None else 0
            self.hint.setText(f"Geoptimaliseerd rond {pins} vastgezette paren.")

    # ---- files ---------------------------------------------------------------------------------------

    def import_ronde(self) -> None:
        name, _ = QFileDialog.getOpenFileName(self, "Ronde importeren", "",
                                              "Excel-werkmap (*.xlsx);;CSV-bestand (*.csv)")
        if name:
            self.import_path(Path(name))

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

    def save_template(self) -> None:
        name, _ = QFileDialog.getSaveFileName(self, "Leeg sjabloon opslaan", "koppelronde-sjabloon.xlsx",
                                              "Excel-werkmap (*.xlsx)")
        if name:
            path = Path(name if name.endswith(".xlsx") else name + ".xlsx")
            from ontkoppel_desktop.exchange.ronde_sjabloon import write_template

            if operations.run_ok(self, lambda: write_template(path)):
                self.hint.setText(f"Sjabloon opgeslagen: {path}")

    def save_personen_template(self) -> None:
        from datetime import date

        from ontkoppel_desktop.exchange.ronde_schrijven import write_ronde

        ronde = ronde_from_personen(self.session.store, date.today())
        name, _ = QFileDialog.getSaveFileName(self, "Sjabloon uit Personen", f"{ronde.naam}.xlsx",
                                              "Excel-werkmap (*.xlsx)")
        if name:
            path = Path(name if name.endswith(".xlsx") else name + ".xlsx")
            if operations.run_ok(self, lambda: write_ronde(path, ronde)):
                self.hint.setText(f"Opgeslagen: {path} ({len(ronde.aios)} aios, {len(ronde.opleiders)} opleiders). "
                                  "Vul de bezoeken en scores aan en importeer de werkmap. Dit bestand staat "
                                  "onversleuteld op schijf; bewaar het veilig.")

    def _export(self, title: str, default: str, pattern: str, write: Callable[[Path], object]) -> None:
        if self.state is None:
            return
        name, _ = QFileDialog.getSaveFileName(self, title, default, pattern)
        if not name:
            return
        suffix = pattern.split("*")[1].rstrip(")")
        path = Path(name if name.endswith(suffix) else name + suffix)
        if operations.run_ok(self, lambda: write(path)):
            self.hint.setText(f"Opgeslagen: {path}. Dit bestand staat onversleuteld op schijf; bewaar het veilig.")

    def export_xlsx(self) -> None:
        state = self.state
        if state is not None:
            self._export("Uitslag opslaan", "uitslag.xlsx", "Excel-werkmap (*.xlsx)",
                         lambda p: _write_uitslag(p, state))

    # Who a PDF is for (DECISIONS 2026-12-01): the managers' full overview, or one page per opleider or per aios
    # that says only what that reader may read.
    PDF_KEUZES = (
        ("Overzicht voor de managers opleiders (volledige toelichting)", "managers"),
        ("Per opleider: één pagina per opleider, alleen de eigen koppeling", "opleider"),
        ("Per aios: één pagina per aios, alleen de eigen keuzes", "aios"),
    )

    def export_pdf(self) -> None:
        state = self.state
        if state is None:
            return
        labels = [label for label, _ in self.PDF_KEUZES]
        label, ok = QInputDialog.getItem(self, "Uitslag als PDF", "Voor wie is de PDF?", labels, 0, False)
        if not ok or label not in labels:
            return
        voor = dict(self.PDF_KEUZES)[label]
        from ontkoppel_desktop.documents.koppeluitslag import write_uitslag_pdf

        naam = {"managers": "uitslag-overzicht-managers", "opleider": "uitslag-per-opleider",
                "aios": "uitslag-per-aios"}[voor]
        self._export("Uitslag als PDF", f"{naam}.pdf", "PDF (*.pdf)",
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
