"""1-op-1 mode: for one aios (after an ontkoppeling) the opleiders it can go to now, and why the others cannot.

Utrecht procedure, phase 2: the (assistent) manager opleiders makes a 1-on-1 match, then aios and new opleider
each say yes or no after a kennismakingsgesprek. That gesprek takes the place of the bezoek, so a practice the
aios did not visit is no reason to exclude it here. What still excludes: an afwijzing, a blokkade (no new aios
before the 1-month contact after an ontkoppeling), the opleiderscurriculum for a 3rd-year aios, and a full
capaciteit. For a 1-op-1 search outside a ronde, build a Ronde whose opleiders carry their free places as
`capaciteit`.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass

from ontkoppel_desktop.core.koppelplanner.paarregels import Bezwaar, Regel, RondeIndex
from ontkoppel_desktop.core.koppelplanner.ronde import natural_key


@dataclass(frozen=True, slots=True)
class Kandidaat:
    opleider_id: str
    geschikt: bool
    vrije_plaatsen: int
    voorrang: bool
    # The aios's score from a bezoek in this ronde, if any.
    score: int | None
    # Why not (empty when geschikt).
    bezwaren: tuple[Bezwaar, ...]

    @property
    def reden(self) -> str:
        """Why not, naming the opleider: for a message on its own."""
        return " ".join(b.bericht for b in self.bezwaren)

    @property
    def reden_kort(self) -> str:
        """Why not, for the opleider's row in a list (the row names the opleider already)."""
        return " ".join(b.in_rij for b in self.bezwaren)


def candidates(idx: RondeIndex, aios_id: str, toewijzing: Mapping[str, str]) -> tuple[Kandidaat, ...]:
    """Every opleider of the ronde for `aios_id`: the geschikte first (voorrangsopleiders first, as the kaders
    give them priority, then by the aios's score, then by id), then the others with their reasons."""
    if aios_id not in idx.aios:
        raise KeyError(aios_id)
    holders: dict[str, list[str]] = defaultdict(list)
    known = sorted((a for a in toewijzing if a in idx.aios_rank), key=idx.aios_rank.__getitem__)
    unknown = sorted((a for a in toewijzing if a not in idx.aios_rank), key=natural_key)
    for a in known + unknown:
        if a != aios_id:
            holders[toewijzing[a]].append(a)
    result: list[Kandidaat] = []
    for opleider_id in idx.opleider_ids:
        opleider = idx.opleiders[opleider_id]
        bezwaren = idx.pair_rules(aios_id, opleider_id)
        vrij = max(opleider.capaciteit - len(holders.get(opleider_id, ())), 0)
        if vrij == 0 and not opleider.blokkade:
            namen = ", ".join(idx.aios[a].naam if a in idx.aios else a for a in holders[opleider_id])
            bezwaren.append(Bezwaar(
                Regel.CAPACITEIT_VOL,
                f"{opleider.wie} heeft geen vrije plaats (capaciteit {opleider.capaciteit}, bezet door {namen}).",
                blokkerend=True,
                kort=f"Geen vrije plaats: bezet door {namen}.",
            ))
        result.append(Kandidaat(
            opleider_id=opleider_id,
            geschikt=not bezwaren,
            vrije_plaatsen=vrij,
            voorrang=opleider.voorrang,
            score=idx.scores.get((aios_id, opleider_id)),
            bezwaren=tuple(bezwaren),
        ))
    result.sort(key=lambda k: (
        not k.geschikt, not k.voorrang, k.score if k.score is not None else 99, idx.opleider_rank[k.opleider_id]
    ))
    return tuple(result)
