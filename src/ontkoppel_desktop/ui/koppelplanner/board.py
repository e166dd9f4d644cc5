"""The planner board's state and its two models: unassigned aios, and opleider cards with their aios.

Drag and drop carries aios ids under the app's own MIME type (STYLE 5); every drop asks the core whether the
move is allowed (check_move) and is then made by the RondeService through the one gateway (ui/operations). The
state is a read model of the store: it is refreshed from the service after every change that touches its ronde
(a move, an undo, another screen), so the board always shows what is stored.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QAbstractListModel, QMimeData, QModelIndex, QObject, QPersistentModelIndex, Qt, Signal

from ontkoppel_desktop.core.koppelplanner import Herkomst, Regel, Rondebord, Zetoordeel

AIOS_MIME = "application/x-ontkoppel-aios"
Index = QModelIndex | QPersistentModelIndex
AIOS_ID_ROLE = Qt.ItemDataRole.UserRole + 1
OPLEIDER_ID_ROLE = Qt.ItemDataRole.UserRole + 2
STATE_ROLE = Qt.ItemDataRole.UserRole + 3


def needs_uitzondering(oordeel: Zetoordeel) -> bool:
    """An allowed move onto a practice the aios did not visit: the manager's uitzondering, with its reden."""
    return oordeel.toegestaan and any(b.regel is Regel.NIET_BEZOCHT for b in oordeel.bezwaren)


class BoardState(QObject):
    """One ronde on the board, as the RondeService gives it. `changed` fires after every refresh."""

    changed = Signal()

    def __init__(self, rondebord: Rondebord) -> None:
        super().__init__()
        self._show(rondebord)

    def update(self, rondebord: Rondebord) -> None:
        """The ronde as stored now (after a move, an undo, a blokkade elsewhere)."""
        self._show(rondebord)
        self.changed.emit()

    def _show(self, rondebord: Rondebord) -> None:
        new_planner = getattr(self, "planner", None) is not rondebord.planner
        self.rondebord = rondebord
        self.ronde_id = rondebord.ronde_id
        self.ronde = rondebord.ronde
        self.planner = rondebord.planner
        self.bord = rondebord.bord
        if new_planner:
            self.aios = {a.id: a for a in self.ronde.aios}
            self.opleiders = {o.id: o for o in self.ronde.opleiders}
            # Each aios's visited practices in order of preference, for its card.
            self.keuzes: dict[str, list[tuple[int, str]]] = {}
            for (a, o), score in self.planner.index.scores.items():
                if score is not None:
                    self.keuzes.setdefault(a, []).append((score, o))
            for choices in self.keuzes.values():
                choices.sort()
        self.uitslag = rondebord.uitslag()
        self.uitleg = self.planner.explain(self.uitslag)
        self.per_opleider: dict[str, list[str]] = {}
        for aios_id, opleider_id in sorted(self.bord.toewijzing.items()):
            self.per_opleider.setdefault(opleider_id, []).append(aios_id)

    # ---- reading -------------------------------------------------------------------------------------

    def unassigned(self) -> list[str]:
        return [a.id for a in self.ronde.aios if a.id not in self.bord.toewijzing]

    def check(self, aios_id: str, opleider_id: str | None) -> Zetoordeel:
        return self.planner.check_move(self.bord.toewijzing, aios_id, opleider_id, self.bord.pins)

    def score(self, aios_id: str, opleider_id: str) -> int | None:
        return self.planner.index.scores.get((aios_id, opleider_id))

    def uitzondering(self, aios_id: str, opleider_id: str) -> str | None:
        """The reden of the manager's uitzondering for this pair, if there is one."""
        found = self.planner.index.uitzonderingen.get((aios_id, opleider_id))
        return found.reden if found is not None else None

    def herkomst(self, aios_id: str) -> Herkomst | None:
        koppeling = self.uitslag.koppeling_van(aios_id)
        return koppeling.herkomst if koppeling is not None else None


# ---- models --------------------------------------------------------------------------------------------


class _DropModel(QAbstractListModel):
    """Shared drag/drop plumbing: ids out as MIME data, a drop becomes a move through `on_drop`.

    While a card is dragged, `oordeel` fires with the verdict on the place under the mouse (shown at once, so
    the user sees why before dropping) and the card under it is marked as `hover`: welcome or refused."""

    oordeel = Signal(object)  # Zetoordeel, or None when the drag left

    def __init__(self, state: BoardState, on_drop: Callable[[str, str | None], bool]) -> None:
        super().__init__()
        self.state = state
        self.on_drop = on_drop
        # (row, allowed) of the card under a drag, or None.
        self.hover: tuple[int, bool] | None = None

    def mimeTypes(self) -> list[str]:  # noqa: N802
        return [AIOS_MIME]

    def supportedDropActions(self) -> Qt.DropAction:  # noqa: N802
        return Qt.DropAction.MoveAction

    def supportedDragActions(self) -> Qt.DropAction:  # noqa: N802
        return Qt.DropAction.MoveAction

    def mimeData(self, indexes: list[QModelIndex]) -> QMimeData:  # noqa: N802
        data = QMimeData()
        ids = [self.data(i, AIOS_ID_ROLE) for i in indexes if self.data(i, AIOS_ID_ROLE)]
        data.setData(AIOS_MIME, "\n".join(ids).encode("utf-8"))
        return data

    @staticmethod
    def aios_ids(data: QMimeData) -> list[str]:
        if not data.hasFormat(AIOS_MIME):
            return []
        return [x for x in bytes(data.data(AIOS_MIME).data()).decode("utf-8").split("\n") if x]

    def target(self, row: int, parent: Index) -> str | None:
        raise NotImplementedError

    def target_row(self, row: int, parent: Index) -> int | None:
        """The card a drop at (row, parent) lands on, to mark it while dragging; None for the list itself."""
        return None

    def canDropMimeData(self, data: QMimeData, action: Qt.DropAction, row: int, column: int,  # noqa: N802
                        parent: Index) -> bool:
        ids = self.aios_ids(data)
        if len(ids) != 1:
            return False
        oordeel = self.state.check(ids[0], self.target(row, parent))
        self.oordeel.emit(oordeel)
        card = self.target_row(row, parent)
        self.set_hover(None if card is None else (card, oordeel.toegestaan))
        return oordeel.toegestaan

    def set_hover(self, hover: tuple[int, bool] | None) -> None:
        if hover == self.hover:
            return
        rows = [h[0] for h in (self.hover, hover) if h is not None]
        self.hover = hover
        for r in rows:
            if 0 <= r < self.rowCount():
                self.dataChanged.emit(self.index(r), self.index(r), [STATE_ROLE])

    def dropMimeData(self, data: QMimeData, action: Qt.DropAction, row: int, column: int,  # noqa: N802
                     parent: Index) -> bool:
        ids = self.aios_ids(data)
        self.set_hover(None)
        if len(ids) != 1:
            return False
        self.on_drop(ids[0], self.target(row, parent))
        # The move itself (or its refusal) is done by on_drop; returning False keeps Qt from removing rows.
        return False


def _keuzes(state: BoardState, aios_id: str) -> str:
    """The aios's visited practices in order: "1 Jan Bakker, 2 Eva Kok"."""
    return ", ".join(f"{s} {state.opleiders[o].naam}" for s, o in state.keuzes.get(aios_id, []))


class UnassignedModel(_DropModel):
    def __init__(self, state: BoardState, on_drop: Callable[[str, str | None], bool]) -> None:
        super().__init__(state, on_drop)
        self.ids: list[str] = []
        self.reload()

    def reload(self) -> None:
        self.beginResetModel()
        self.ids = self.state.unassigned()
        self.endResetModel()

    def target(self, row: int, parent: Index) -> str | None:
        return None  # dropping here makes the aios loose again

    def row_of(self, aios_id: str) -> int:
        return self.ids.index(aios_id)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self.ids)

    def flags(self, index: Index) -> Qt.ItemFlag:
        base = Qt.ItemFlag.ItemIsDropEnabled
        if not index.isValid():
            return base
        return base | Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsDragEnabled

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self.ids):
            return None
        aios = self.state.aios[self.ids[index.row()]]
        if role == AIOS_ID_ROLE:
            return aios.id
        if role == STATE_ROLE:
            return {}
        keuzes = _keuzes(self.state, aios.id)
        if role == Qt.ItemDataRole.DisplayRole:
            # One line per visited practice, best first: the list is narrow, a line of all of them would be cut.
            regels = [f"{s}. {self.state.opleiders[o].naam}" for s, o in self.state.keuzes.get(aios.id, [])]
            return "\n".join([aios.naam, f"jaar {aios.opleidingsjaar} · {aios.deeltijdpercentage} %",
                              *(regels or ["geen bezochte praktijken"])])
        uitleg = self.state.uitleg.voor(aios.id)
        if role == Qt.ItemDataRole.ToolTipRole:
            regels = [f"{s}e keuze: {self.state.opleiders[o].kort}" for s, o in self.state.keuzes.get(aios.id, [])]
            return "\n".join([aios.naam, *regels, "", uitleg.toelichting])
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return f"{aios.naam}, niet gekoppeld, jaar {aios.opleidingsjaar}"
        if role == Qt.ItemDataRole.AccessibleDescriptionRole:
            return (f"Keuzes: {keuzes}. " if keuzes else "") + uitleg.toelichting
        return None


class OpleiderModel(_DropModel):
    def __init__(self, state: BoardState, on_drop: Callable[[str, str | None], bool]) -> None:
        super().__init__(state, on_drop)
        self.ids = [o.id for o in state.ronde.opleiders]

    def target(self, row: int, parent: Index) -> str | None:
        card = self.target_row(row, parent)
        return None if card is None else self.ids[card]

    def target_row(self, row: int, parent: Index) -> int | None:
        if parent.isValid():
            return parent.row()
        if 0 <= row < len(self.ids):
            return row
        return None

    def reload(self) -> None:
        self.dataChanged.emit(self.index(0), self.index(len(self.ids) - 1))

    def row_of(self, opleider_id: str) -> int:
        return self.ids.index(opleider_id)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self.ids)

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsDropEnabled
        if self.state.per_opleider.get(self.ids[index.row()]):
            flags |= Qt.ItemFlag.ItemIsDragEnabled
        return flags

    def assigned(self, opleider_id: str) -> list[str]:
        return self.state.per_opleider.get(opleider_id, [])

    def badges(self, opleider_id: str) -> list[str]:
        """The card's state in words (its border and fill say the same in colour)."""
        o = self.state.opleiders[opleider_id]
        assigned = self.assigned(opleider_id)
        words = []
        if o.voorrang:
            # The status (opleiderscurriculum) stands before it on the card: a coassistent is the other reason.
            words.append("voorrang: coassistent" if o.coassistent else "voorrang")
        if o.blokkade:
            words.append("geblokkeerd")
        if any((a, o.id) in self.state.bord.pins for a in assigned):
            words.append("vastgezet")
        if any(self.state.score(a, o.id) is None and self.state.uitzondering(a, o.id) for a in assigned):
            words.append("uitzondering")
        if o.capaciteit > 1:
            vrij = o.capaciteit - len(assigned)
            words.append(f"{o.capaciteit} plaatsen, {vrij} vrij" if vrij > 0 else f"{o.capaciteit} plaatsen, vol")
        return words

    def aios_lines(self, opleider_id: str) -> list[str]:
        lines = []
        for a in self.assigned(opleider_id):
            s = self.state.score(a, opleider_id)
            reden = self.state.uitzondering(a, opleider_id) if s is None else None
            keuze = f"{s}e keuze" if s else "uitzondering" if reden else "niet bezocht"
            pin = " · vastgezet" if (a, opleider_id) in self.state.bord.pins else ""
            hand = " · handmatig" if self.state.herkomst(a) is Herkomst.HANDMATIG else ""
            lines.append(f"→ {self.state.aios[a].naam} (jaar {self.state.aios[a].opleidingsjaar}, {keuze}){pin}{hand}")
            if reden:
                lines.append(f"uitzondering: {reden}")
        return lines or ["geen aios"]

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self.ids):
            return None
        o = self.state.opleiders[self.ids[index.row()]]
        assigned = self.assigned(o.id)
        if role == OPLEIDER_ID_ROLE:
            return o.id
        if role == AIOS_ID_ROLE:
            return assigned[0] if assigned else None
        if role == STATE_ROLE:
            hover = self.hover if self.hover is not None and self.hover[0] == index.row() else None
            return {
                "pinned": any((a, o.id) in self.state.bord.pins for a in assigned),
                "blokkade": o.blokkade,
                "voorrang": o.voorrang,
                "vol": len(assigned) >= o.capaciteit,
                "uitzondering": any(self.state.score(a, o.id) is None and self.state.uitzondering(a, o.id)
                                    for a in assigned),
                # While a card is dragged over this one: may it land here?
                "hover": None if hover is None else ("welkom" if hover[1] else "geweigerd"),
            }
        if role == Qt.ItemDataRole.DisplayRole:
            status = " · ".join([o.status.label, *self.badges(o.id)])
            return "\n".join([o.naam, o.praktijk, status, *self.aios_lines(o.id)])
        if role == Qt.ItemDataRole.ToolTipRole:
            # The whole card (a long practice name may be cut short on it) and why it holds whom it holds.
            uitleg = [self.state.uitleg.voor(a).toelichting for a in assigned]
            return "\n".join([self.data(index), "", *(uitleg or ["Sleep een aios hierheen om toe te wijzen."])])
        if role == Qt.ItemDataRole.AccessibleTextRole:
            namen = ", ".join(self.state.aios[a].naam for a in assigned) or "geen aios"
            return f"{o.naam}, {o.praktijk}: {namen}"
        if role == Qt.ItemDataRole.AccessibleDescriptionRole:
            return "; ".join([o.status.label, *self.badges(o.id), *self.aios_lines(o.id)])
        return None
