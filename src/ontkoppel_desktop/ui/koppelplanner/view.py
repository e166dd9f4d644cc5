"""Koppelplanner: a ronde on a board, the optimum explained, moves by drag and drop or by keyboard, and the
1-op-1 match after an ontkoppeling."""

from __future__ import annotations

from collections.abc import Callable
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

from ontkoppel_desktop.core.changes import Changes
from ontkoppel_desktop.core.koppelplanner import RondeOngeldig
from ontkoppel_desktop.exchange.ronde_workbook import read_ronde, write_template, write_uitslag
from ontkoppel_desktop.store.ronde_personen import ronde_from_personen, with_personen_blokkade
from ontkoppel_desktop.ui import operations
from ontkoppel_desktop.ui.koppelplanner.board import (
    AIOS_ID_ROLE,
    BoardState,
    OpleiderModel,
    UnassignedModel,
    move_command,
    optimise_command,
    pin_command,
)
from ontkoppel_desktop.ui.koppelplanner.card_delegate import CardDelegate
from ontkoppel_desktop.ui.koppelplanner.een_op_een import EenOpEenPanel
from ontkoppel_desktop.ui.personen.forms import combo
from ontkoppel_desktop.ui.session import Session


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


class BoardView(QWidget):
    def __init__(self, session: Session, undo_stack: QUndoStack) -> None:
        super().__init__()
        self.session = session
        self.undo_stack = undo_stack
        self.state: BoardState | None = None
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
        self.hint = QLabel("Sleep een aios naar een opleider, of kies een aios en druk op T.")
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
        right_layout.addWidget(QLabel("<b>Opleiders</b> — goudkleurige rand: voorrang (coassistent of "
                                      "opleiderscurriculum); blauwe rand: vastgezet; rood: geblokkeerd"))
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
        current = self.ronde.currentData()
        rows = self.session.store.rondes.list()
        self.ronde.blockSignals(True)
        self.ronde.clear()
        for r in rows:
            self.ronde.add(f"{r.naam} (start {r.startdatum:%d-%m-%Y})", r.id)
        self.ronde.setCurrentIndex(max(0, self.ronde.findData(current)))
        self.ronde.blockSignals(False)
        self.load_current()

    def load_current(self) -> None:
        ronde_id = self.ronde.currentData()
        if ronde_id is None:
            self.state = None
            self.aios_view.setModel(None)
            self.opleider_view.setModel(None)
            self.samenvatting.setText("Nog geen ronde. Importeer een ronde uit een Excel-werkmap; "
                                      "een leeg sjabloon staat klaar onder 'Leeg sjabloon…'.")
            self._set_enabled(False)
            return
        rondes = self.session.store.rondes
        ronde, bord = rondes.get(ronde_id)
        ronde, blocked = with_personen_blokkade(self.session.store, ronde)
        if blocked and bord is not None:
            # A blokkade that arose after the board was saved: those pairs cannot stay.
            bord.toewijzing = {a: o for a, o in bord.toewijzing.items()
                               if o not in {x.id for x in ronde.opleiders if x.blokkade}}
            bord.pins = {(a, o) for a, o in bord.pins if a in bord.toewijzing}
        try:
            self.state = BoardState(ronde_id, ronde, bord, rondes.save_bord)
        except RondeOngeldig as exc:
            self.state = None
            operations.show_error(self, exc)
            return
        self.state.changed.connect(self._on_state_changed)
        self.unassigned_model = UnassignedModel(self.state, self.drop)
        self.opleider_model = OpleiderModel(self.state, self.drop)
        for model in (self.unassigned_model, self.opleider_model):
            model.hint.connect(self.hint.setText)
        self.aios_view.setModel(self.unassigned_model)
        self.opleider_view.setModel(self.opleider_model)
        self._set_enabled(True)
        self._summarise()
        if blocked:
            self.hint.setText("Geblokkeerd na een ontkoppeling (geen nieuwe aios tot het contact met de manager "
                              "opleiders): " + ", ".join(blocked))

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
        planning = state.ronde.planning.tekst if state.ronde.startdatum else ""
        self.samenvatting.setText(
            f"<b>{uitleg.samenvatting}</b> <i>Deze indeling is {tegen}.</i>"
            + (f"<br><span style='color:#555'>{planning}</span>" if planning else "")
        )

    # ---- moves ---------------------------------------------------------------------------------------

    def drop(self, aios_id: str, opleider_id: str | None) -> bool:
        """A drop (or a keyboard move): refused with the reason, or done through the undo stack."""
        if self.state is None:
            return False
        command, oordeel = move_command(self.state, aios_id, opleider_id)
        if command is None:
            self.hint.setText("Niet toegestaan: " + "; ".join(b.bericht for b in oordeel.bezwaren))
            return False
        self.undo_stack.push(command)
        self.hint.setText(oordeel.tekst)
        return True

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
        if dialog.exec() == QDialog.DialogCode.Accepted and dialog.chosen:
            self.drop(aios_id, dialog.chosen)
            if self.opleider_model is not None:
                self.opleider_view.setCurrentIndex(self.opleider_model.index(self.opleider_model.row_of(dialog.chosen)))

    def unassign_selected(self) -> None:
        index = self.opleider_view.currentIndex()
        aios_id = index.data(AIOS_ID_ROLE) if index.isValid() else None
        if aios_id:
            self.drop(str(aios_id), None)

    def pin_selected(self) -> None:
        if self.state is None:
            return
        index = self.opleider_view.currentIndex()
        aios_id = index.data(AIOS_ID_ROLE) if index.isValid() else None
        command = pin_command(self.state, str(aios_id)) if aios_id else None
        if command is None:
            self.hint.setText("Kies een opleider met een aios om het paar vast te zetten.")
            return
        self.undo_stack.push(command)
        self.hint.setText(command.text())

    def optimise(self) -> None:
        if self.state is None:
            return
        command = operations.run(self, lambda: optimise_command(self.state))  # type: ignore[arg-type]
        if command is not None:
            self.undo_stack.push(command)
            self.hint.setText(f"Geoptimaliseerd rond {len(self.state.bord.pins)} vastgezette paren.")

    # ---- files ---------------------------------------------------------------------------------------

    def import_ronde(self) -> None:
        name, _ = QFileDialog.getOpenFileName(self, "Ronde importeren", "",
                                              "Excel-werkmap (*.xlsx);;CSV-bestand (*.csv)")
        if name:
            self.import_path(Path(name))

    def import_path(self, path: Path) -> int | None:
        """All or nothing: a ronde with any problem is not stored, and every problem is listed."""
        result = read_ronde(path)
        if result.ronde is None:
            problems = "\n".join(f"• {p}" for p in result.problemen[:60])
            more = f"\n… en nog {len(result.problemen) - 60}" if len(result.problemen) > 60 else ""
            QMessageBox.warning(self, "Ronde niet geïmporteerd",
                                f"{path.name} is niet ingelezen; er is niets opgeslagen. "
                                f"Los deze punten op en importeer opnieuw:\n\n{problems}{more}")
            return None
        ronde_id = operations.run(self, lambda: self.session.store.rondes.add(result.ronde))  # type: ignore[arg-type]
        if ronde_id is not None:
            self.refresh()
            self.ronde.setCurrentIndex(self.ronde.findData(ronde_id))
        return ronde_id

    def save_template(self) -> None:
        name, _ = QFileDialog.getSaveFileName(self, "Leeg sjabloon opslaan", "koppelronde-sjabloon.xlsx",
                                              "Excel-werkmap (*.xlsx)")
        if name:
            path = Path(name if name.endswith(".xlsx") else name + ".xlsx")
            if operations.run_ok(self, lambda: write_template(path)):
                self.hint.setText(f"Sjabloon opgeslagen: {path}")

    def save_personen_template(self) -> None:
        from datetime import date

        from ontkoppel_desktop.exchange.ronde_workbook import write_ronde

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
                         lambda p: write_uitslag(p, state.ronde, state.uitslag, state.uitleg))

    def export_pdf(self) -> None:
        state = self.state
        if state is None:
            return
        answer = QMessageBox.question(
            self, "PDF per opleider of per aios",
            "Een PDF per opleider (Ja) of per aios (Nee)?",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No | QMessageBox.StandardButton.Cancel)
        if answer == QMessageBox.StandardButton.Cancel:
            return
        per = "opleider" if answer == QMessageBox.StandardButton.Yes else "aios"
        from ontkoppel_desktop.documents.koppeluitslag import write_uitslag_pdf

        self._export("Uitslag als PDF", f"uitslag-per-{per}.pdf", "PDF (*.pdf)",
                     lambda p: write_uitslag_pdf(p, state.ronde, state.uitslag, state.uitleg, per=per))


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
        self.stale = True
        session.changed.connect(self._on_changed)
        session.locked.connect(self._on_locked)

    def _refresh_current(self) -> None:
        if self.session.is_locked:
            return
        if self.tabs.currentWidget() is self.board:
            self.board.refresh()
        else:
            self.een_op_een.refresh()
        self.stale = False

    def _on_changed(self, changes: Changes, initiator: object = None) -> None:
        self.stale = True
        if self.isVisible() and changes.touches_any("traject", "koppeling", "blokkade", "opleider", "aios"):
            self._refresh_current()

    def _on_locked(self) -> None:
        self.board.state = None
        self.board.aios_view.setModel(None)
        self.board.opleider_view.setModel(None)
        self.board.samenvatting.setText("")
        self.een_op_een.model.clear()
        self.stale = True

    def showEvent(self, event: Any) -> None:  # noqa: N802
        super().showEvent(event)
        if self.stale:
            self._refresh_current()
