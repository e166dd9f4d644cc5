"""A move on the planner board, judged before it is made: the rules (refused or flagged, with a Dutch reason)
and what it costs against the group optimum and against the board as it is.

The board calls this on every drop, so it only reads the RondeIndex and sums one assignment: no solving.

Refused (blokkerend): an afgewezen pair, a blokkade, a 3rd-year aios with an opleider in the
opleiderscurriculum, an aios vastgezet elsewhere, an opleider without a free place. Flagged (not blokkerend):
a practice the aios did not visit (the manager can record an uitzondering), undoing a pin of the board.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from ontkoppel_desktop.core.koppelplanner.paarregels import Bezwaar, Regel, RondeIndex
from ontkoppel_desktop.core.koppelplanner.solver import Doelwaarde, doelwaarde


@dataclass(frozen=True, slots=True)
class Zetoordeel:
    """The verdict on one move (or a swap, which is two moves)."""

    # (aios_id, new opleider_id or None for "losmaken"), in the order given.
    zetten: tuple[tuple[str, str | None], ...]
    bezwaren: tuple[Bezwaar, ...]
    # The board after the move (also when refused, to show what it would cost).
    toewijzing: Mapping[str, str] = field(repr=False)
    nieuw: Doelwaarde
    huidig: Doelwaarde
    optimum: Doelwaarde

    @property
    def toegestaan(self) -> bool:
        return not any(b.blokkerend for b in self.bezwaren)

    @property
    def gesignaleerd(self) -> bool:
        """Allowed, but with a reason the manager should confirm."""
        return self.toegestaan and bool(self.bezwaren)

    @property
    def tegen_optimum(self) -> Doelwaarde:
        return self.nieuw - self.optimum

    @property
    def tegen_huidig(self) -> Doelwaarde:
        return self.nieuw - self.huidig

    @property
    def weigering(self) -> str:
        """Why the move is refused: the blocking reasons only. A refused move is not made, so what it would have
        cost and what it would have undone (a pin that "vervalt") are not said."""
        return "\n".join(b.bericht for b in self.bezwaren if b.blokkerend)

    @property
    def tekst(self) -> str:
        """The verdict on a move that was made: its flags and what it cost. A refused move: its reasons only."""
        if not self.toegestaan:
            return self.weigering
        regels = [b.bericht for b in self.bezwaren]
        regels.append(f"Ten opzichte van het optimum: {self.tegen_optimum.verschil_tekst}.")
        regels.append(f"Ten opzichte van de indeling ervoor: {self.tegen_huidig.verschil_tekst}.")
        return "\n".join(regels)

    @property
    def tekst_vooraf(self) -> str:
        """The verdict while the move is only considered (dragging over a card, choosing in a list): what it
        would do, in the conditional; a refused one says why it cannot."""
        if not self.toegestaan:
            return "Kan niet: " + self.weigering
        regels = [b.bericht for b in self.bezwaren]
        regels.append(
            f"Deze zet geeft ten opzichte van het optimum: {self.tegen_optimum.verschil_tekst}; ten opzichte "
            f"van nu: {self.tegen_huidig.verschil_tekst}."
        )
        return "\n".join(regels)


def check_move(
    idx: RondeIndex,
    optimum: Doelwaarde,
    toewijzing: Mapping[str, str],
    aios_id: str,
    opleider_id: str | None,
    pins: Iterable[tuple[str, str]] = (),
) -> Zetoordeel:
    """Judge moving `aios_id` to `opleider_id` (None: losmaken) on a board holding `toewijzing`."""
    return check_moves(idx, optimum, toewijzing, [(aios_id, opleider_id)], pins)


def check_swap(
    idx: RondeIndex,
    optimum: Doelwaarde,
    toewijzing: Mapping[str, str],
    aios_a: str,
    aios_b: str,
    pins: Iterable[tuple[str, str]] = (),
) -> Zetoordeel:
    """Judge swapping the opleiders of two aios (dropping a card on an occupied opleider)."""
    return check_moves(
        idx, optimum, toewijzing, [(aios_a, toewijzing.get(aios_b)), (aios_b, toewijzing.get(aios_a))], pins
    )


def check_moves(
    idx: RondeIndex,
    optimum: Doelwaarde,
    toewijzing: Mapping[str, str],
    zetten: Iterable[tuple[str, str | None]],
    pins: Iterable[tuple[str, str]] = (),
) -> Zetoordeel:
    """Judge several moves made together; capaciteit is checked on the board after all of them."""
    zetten = tuple(zetten)
    pinned = dict(pins)
    nieuw_bord = dict(toewijzing)
    for aios_id, opleider_id in zetten:
        if opleider_id is None:
            nieuw_bord.pop(aios_id, None)
        else:
            nieuw_bord[aios_id] = opleider_id

    bezwaren: list[Bezwaar] = []
    for aios_id, opleider_id in zetten:
        if aios_id not in idx.aios:
            bezwaren.append(Bezwaar(Regel.ONBEKENDE_AIOS, f"Aios {aios_id} staat niet in deze ronde.", True))
            continue
        if toewijzing.get(aios_id) == opleider_id:
            continue
        vast = idx.vastzettingen.get(aios_id)
        if opleider_id is None:
            if vast is not None:
                bezwaren.append(Bezwaar(
                    Regel.VASTGEZET_ELDERS,
                    f"{idx.aios_wie(aios_id)} is vastgezet bij {idx.opleider_wie(vast.opleider_id)} "
                    f"({vast.reden.strip()}) en kan niet worden losgemaakt.",
                    blokkerend=True,
                ))
        else:
            bezwaren += idx.bezwaren(aios_id, opleider_id)
        if aios_id in pinned and pinned[aios_id] != opleider_id:
            bezwaren.append(Bezwaar(
                Regel.VASTGEZET_ELDERS,
                f"{idx.aios_wie(aios_id)} was op het bord vastgezet bij {idx.opleider_wie(pinned[aios_id])}; "
                "die vastzetting vervalt.",
                blokkerend=False,
            ))
    targets = {o for _, o in zetten if o is not None and o in idx.opleiders}
    for opleider_id in sorted(targets):
        opleider = idx.opleiders[opleider_id]
        holders = [a for a, o in nieuw_bord.items() if o == opleider_id]
        if len(holders) > opleider.capaciteit:
            already = [a for a in holders if toewijzing.get(a) == opleider_id]
            namen = ", ".join(idx.aios[a].naam or a for a in already if a in idx.aios)
            bezwaren.append(Bezwaar(
                Regel.CAPACITEIT_VOL,
                f"{opleider.wie} heeft geen vrije plaats (capaciteit {opleider.capaciteit}): "
                f"{namen} {'is' if len(already) == 1 else 'zijn'} er al gekoppeld. Wissel, of maak eerst los.",
                blokkerend=True,
            ))
    return Zetoordeel(
        zetten=zetten,
        bezwaren=tuple(bezwaren),
        toewijzing=nieuw_bord,
        nieuw=doelwaarde(idx, nieuw_bord),
        huidig=doelwaarde(idx, toewijzing),
        optimum=optimum,
    )
