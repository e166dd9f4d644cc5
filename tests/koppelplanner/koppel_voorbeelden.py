"""Small rondes written compactly for tests, and a hypothesis strategy for valid random small rondes."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date

from hypothesis import strategies as st

from ontkoppel_desktop.core.koppelplanner.ronde import (
    Afwijzing,
    Aios,
    Bezoek,
    Opleider,
    OpleiderStatus,
    Ronde,
    Uitzondering,
    Vastzetting,
)

C = OpleiderStatus.CURRICULUM
E = OpleiderStatus.ERVAREN


def aios(ident: str, jaar: int = 1, naam: str | None = None, deeltijd: int = 100) -> Aios:
    return Aios(ident, naam if naam is not None else f"Aios {ident}", jaar, deeltijd)


def opleider(
    ident: str,
    status: OpleiderStatus = E,
    *,
    coassistent: bool = False,
    blokkade: bool = False,
    capaciteit: int = 1,
    duo: bool = False,
    aanwezigheid: int = 100,
    naam: str | None = None,
) -> Opleider:
    return Opleider(
        ident, naam if naam is not None else f"Opleider {ident}", f"Praktijk {ident}", status,
        coassistent, blokkade, capaciteit, duo, aanwezigheid,
    )


def ronde(
    aios_: Sequence[Aios],
    opleiders: Sequence[Opleider],
    voorkeuren: dict[str, Sequence[str]] | None = None,
    afwijzingen: Iterable[tuple[str, str]] = (),
    vast: Iterable[tuple[str, str]] = (),
    uitzonderingen: Iterable[tuple[str, str]] = (),
    startdatum: date | None = date(2027, 3, 1),
) -> Ronde:
    """`voorkeuren` maps an aios to the opleiders it visited, best first (scores 1..n);
    `afwijzingen` are (opleider, aios) pairs."""
    bezoeken = [
        Bezoek(a, o, score)
        for a, ranked in (voorkeuren or {}).items()
        for score, o in enumerate(ranked, start=1)
    ]
    return Ronde(
        aios=tuple(aios_),
        opleiders=tuple(opleiders),
        bezoeken=tuple(bezoeken),
        afwijzingen=tuple(Afwijzing(o, a, "Eerder samengewerkt.") for o, a in afwijzingen),
        vastzettingen=tuple(Vastzetting(a, o, "Terug na zwangerschapsverlof.") for a, o in vast),
        uitzonderingen=tuple(Uitzondering(a, o, "Ziek tijdens de bezoeken.") for a, o in uitzonderingen),
        startdatum=startdatum,
        naam="Test",
    )


@st.composite
def small_rondes(draw: st.DrawFn, max_aios: int = 5, max_opleiders: int = 4) -> Ronde:
    """A valid ronde small enough to enumerate every assignment."""
    n_aios = draw(st.integers(1, max_aios))
    n_opl = draw(st.integers(1, max_opleiders))
    aios_list = [aios(f"A{i}", draw(st.sampled_from((1, 3)))) for i in range(n_aios)]
    opleiders = [
        opleider(
            f"O{j}",
            draw(st.sampled_from((C, E))),
            coassistent=draw(st.booleans()),
            blokkade=draw(st.integers(0, 9)) == 0,
            capaciteit=draw(st.sampled_from((1, 1, 2))),
        )
        for j in range(n_opl)
    ]
    ids = [o.id for o in opleiders]
    voorkeuren: dict[str, list[str]] = {}
    for a in aios_list:
        visited = draw(st.lists(st.sampled_from(ids), unique=True, max_size=min(5, n_opl)))
        if visited:
            voorkeuren[a.id] = visited
    afwijzingen: list[tuple[str, str]] = []
    for o in ids:
        if draw(st.integers(0, 3)) == 0:
            afwijzingen.append((o, draw(st.sampled_from([a.id for a in aios_list]))))
    rejected = {(a, o) for o, a in afwijzingen}
    by_id = {o.id: o for o in opleiders}
    year = {a.id: a.opleidingsjaar for a in aios_list}

    def rule_ok(a: str, o: str) -> bool:
        op = by_id[o]
        return not op.blokkade and (a, o) not in rejected and not (op.status is C and year[a] != 1)

    vast: list[tuple[str, str]] = []
    load: dict[str, int] = {}
    for a in aios_list:
        if draw(st.integers(0, 5)) == 0:
            o = draw(st.sampled_from(ids))
            if rule_ok(a.id, o) and load.get(o, 0) < by_id[o].capaciteit:
                vast.append((a.id, o))
                load[o] = load.get(o, 0) + 1
    uitz: list[tuple[str, str]] = []
    for a in aios_list:
        if draw(st.integers(0, 4)) == 0:
            o = draw(st.sampled_from(ids))
            if o not in voorkeuren.get(a.id, []) and (a.id, o) not in rejected:
                uitz.append((a.id, o))
    return ronde(aios_list, opleiders, voorkeuren, afwijzingen, vast, uitz)
