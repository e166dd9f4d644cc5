"""Why the uitslag is what it is, in Dutch: per aios the keuze it got and why not a better one, per aios left
ongekoppeld why, and for the ronde the profile (how many got their 1e, 2e, ... keuze) and how many
voorrangsopleiders are filled.

The reasons come from the data (afwijzing, blokkade, opleiderscurriculum, who took the place), so a manager can
answer an aios's question "waarom niet mijn 1e keuze?" with names. The kaders' own answer stands behind each one:
"groepsbelang gaat bij de koppelingsprocedure vóór het individuele belang".
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field

from ontkoppel_desktop.core.koppelplanner.paarregels import Regel, RondeIndex
from ontkoppel_desktop.core.koppelplanner.ronde import MAX_SCORE, datum_nl
from ontkoppel_desktop.core.koppelplanner.solver import Doelwaarde, Herkomst, Koppeling, Uitslag


def keuze_label(score: int | None) -> str:
    return f"{score}e keuze" if score is not None else "niet bezocht"


@dataclass(frozen=True, slots=True)
class Keuzereden:
    """Why the aios did not get this (better scored) practice."""

    opleider_id: str
    score: int | None
    reden: str
    # One of: "afgewezen", "geblokkeerd", "opleidingsjaar", "bezet", "groepsbelang", "vrij".
    soort: str


@dataclass(frozen=True, slots=True)
class AiosUitleg:
    aios_id: str
    opleider_id: str | None
    score: int | None
    # Which choice the aios got: "1e keuze" .. "5e keuze", "uitzondering" (not visited, allowed by the manager),
    # "vastgezet", "niet bezocht" (placed by hand before uitzonderingen were recorded), or "niet gekoppeld".
    keuze: str
    toelichting: str
    redenen: tuple[Keuzereden, ...]
    # How the koppeling came about (None when not gekoppeld): the optimum, a move by hand, a pin...
    herkomst: Herkomst | None = None
    # The reden of the manager's uitzondering when the aios did not visit this practice.
    uitzondering: str | None = None


@dataclass(frozen=True, slots=True)
class Uitleg:
    per_aios: tuple[AiosUitleg, ...]
    # (keuze, aantal) for keuze 1..5, every keuze listed, also with 0.
    profiel: tuple[tuple[int, int], ...]
    # Gekoppeld without a score: a vastzetting, an uitzondering or a pin the aios did not visit.
    zonder_score: int
    niet_gekoppeld: int
    voorrang_gevuld: int
    voorrang_totaal: int
    doelwaarde: Doelwaarde
    aantal_aios: int
    kop: str
    # aios_id -> its uitleg: the uitslag workbook and the board ask once per aios.
    _per_id: dict[str, AiosUitleg] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_per_id", {u.aios_id: u for u in self.per_aios})

    def voor(self, aios_id: str) -> AiosUitleg:
        return self._per_id[aios_id]

    @property
    def profiel_tekst(self) -> str:
        delen = [f"{keuze}e keuze {aantal}" for keuze, aantal in self.profiel if aantal]
        if self.zonder_score:
            delen.append(f"zonder score (vastgezet of uitzondering) {self.zonder_score}")
        return ", ".join(delen) if delen else "geen koppelingen"

    @property
    def samenvatting(self) -> str:
        regels = [
            self.kop,
            f"Gekoppeld: {self.doelwaarde.gekoppeld} van {self.aantal_aios} aios.",
            f"Profiel: {self.profiel_tekst}.",
            f"Voorrangsopleiders gevuld: {self.voorrang_gevuld} van {self.voorrang_totaal}.",
            f"Totaalscore: {self.doelwaarde.totaalscore}.",
        ]
        niet = [u for u in self.per_aios if u.opleider_id is None]
        if niet:
            regels.append(f"Niet gekoppeld ({len(niet)}):")
            regels += [f"- {u.toelichting}" for u in niet]
        return "\n".join(regels)


def explain(idx: RondeIndex, uitslag: Uitslag) -> Uitleg:
    occupants: dict[str, list[Koppeling]] = defaultdict(list)
    for koppeling in uitslag.koppelingen:
        occupants[koppeling.opleider_id].append(koppeling)
    per_aios = tuple(_explain_aios(idx, uitslag, occupants, a) for a in idx.aios_ids)
    scores = Counter(k.score for k in uitslag.koppelingen if k.score is not None)
    ronde = idx.ronde
    kop = f"Koppelingsronde {ronde.naam}".rstrip()
    planning = ronde.planning
    if planning is not None:
        kop += f" (start {datum_nl(planning.startdatum)}, uitslag uiterlijk {datum_nl(planning.uitslag)})"
    return Uitleg(
        per_aios=per_aios,
        profiel=tuple((k, scores.get(k, 0)) for k in range(1, MAX_SCORE + 1)),
        zonder_score=sum(1 for k in uitslag.koppelingen if k.score is None),
        niet_gekoppeld=len(uitslag.ongekoppeld),
        voorrang_gevuld=uitslag.doelwaarde.voorrang_gevuld,
        voorrang_totaal=len(idx.voorrang_ids),
        doelwaarde=uitslag.doelwaarde,
        aantal_aios=len(idx.aios_ids),
        kop=kop + ".",
    )


def _naam_aios(idx: RondeIndex, aios_id: str) -> str:
    aios = idx.aios[aios_id]
    return aios.naam or aios_id


def _reason(
    idx: RondeIndex,
    uitslag: Uitslag,
    occupants: dict[str, list[Koppeling]],
    aios_id: str,
    opleider_id: str,
    own: Koppeling | None,
) -> Keuzereden:
    score = idx.scores.get((aios_id, opleider_id))
    opleider = idx.opleiders[opleider_id]
    for bezwaar in idx.pair_rules(aios_id, opleider_id):
        if bezwaar.regel is Regel.AFGEWEZEN:
            return Keuzereden(opleider_id, score, "afgewezen door de opleider", "afgewezen")
        if bezwaar.regel is Regel.BLOKKADE:
            return Keuzereden(opleider_id, score, "geblokkeerd na een ontkoppeling", "geblokkeerd")
        if bezwaar.regel is Regel.OPLEIDINGSJAAR:
            return Keuzereden(
                opleider_id, score, "opleiderscurriculum: alleen een 1e jaars aios", "opleidingsjaar"
            )
    taken = [k for k in occupants.get(opleider_id, []) if k.aios_id != aios_id]
    if len(taken) >= opleider.capaciteit:
        wie = ", ".join(_occupant(idx, k) for k in taken)
        extra = VOORRANG_SUFFIX if opleider.voorrang else ""
        return Keuzereden(opleider_id, score, f"gekoppeld aan {wie}{extra}", "bezet")
    if own is not None:
        if own.herkomst in (Herkomst.VASTGEZET, Herkomst.PIN, Herkomst.HANDMATIG):
            return Keuzereden(opleider_id, score, f"nog vrij; deze aios is {own.herkomst.label}", "vrij")
        current = idx.opleiders[own.opleider_id]
        alone = len(occupants.get(own.opleider_id, [])) == 1
        fills_other = opleider.voorrang and not occupants.get(opleider_id)
        if current.voorrang and alone and not fills_other:
            return Keuzereden(
                opleider_id, score,
                f"blijft vrij zodat voorrangsopleider {current.naam} gevuld is (groepsbelang)", "groepsbelang",
            )
        return Keuzereden(opleider_id, score, "blijft vrij voor de beste koppeling van de groep", "groepsbelang")
    return Keuzereden(opleider_id, score, "nog vrij", "vrij")


# Said after who holds the place: "gekoppeld aan Noor Visser (1e keuze), een voorrangsopleider".
VOORRANG_SUFFIX = ", een voorrangsopleider"


def _occupant(idx: RondeIndex, koppeling: Koppeling) -> str:
    naam = _naam_aios(idx, koppeling.aios_id)
    if koppeling.herkomst is Herkomst.VASTGEZET:
        return f"{naam} (vastgezet)"
    if koppeling.herkomst is Herkomst.PIN:
        return f"{naam} (vastgezet op het bord)"
    if koppeling.score is None:
        niet_bezocht = (koppeling.aios_id, koppeling.opleider_id) not in idx.uitzonderingen
        return f"{naam} ({'niet bezocht' if niet_bezocht else 'uitzondering'})"
    return f"{naam} ({keuze_label(koppeling.score)})"


def _reasons_text(idx: RondeIndex, redenen: list[Keuzereden]) -> str:
    return "; ".join(
        f"{keuze_label(r.score) if r.score is not None else 'uitzondering'} "
        f"{idx.opleiders[r.opleider_id].kort}: {r.reden}"
        for r in redenen
    )


def _explain_aios(
    idx: RondeIndex, uitslag: Uitslag, occupants: dict[str, list[Koppeling]], aios_id: str
) -> AiosUitleg:
    wie = idx.aios[aios_id].wie
    own = uitslag.koppeling_van(aios_id)
    visited = idx.bezocht.get(aios_id, [])
    if own is None:
        exceptions = [o for o in idx.uitzondering_van.get(aios_id, []) if o not in visited]
        redenen = [_reason(idx, uitslag, occupants, aios_id, o, None) for o in visited + exceptions]
        if not redenen:
            tekst = (
                f"{wie} is niet gekoppeld: er zijn geen bezochte praktijken, geen uitzondering en geen "
                "vastzetting."
            )
        else:
            welke = "toegestane" if exceptions else "bezochte"
            tekst = f"{wie} is niet gekoppeld: {_all_phrase(redenen, welke)}. {_reasons_text(idx, redenen)}."
        return AiosUitleg(aios_id, None, None, "niet gekoppeld", tekst, tuple(redenen))

    opleider = idx.opleiders[own.opleider_id]
    if own.herkomst is Herkomst.VASTGEZET:
        vast = idx.vastzettingen[aios_id]
        tekst = f"{wie} is vastgezet bij {opleider.kort}: {vast.reden.strip().rstrip('.')}."
        return AiosUitleg(aios_id, own.opleider_id, own.score, "vastgezet", tekst, (), own.herkomst)
    uitz = idx.uitzonderingen.get((aios_id, own.opleider_id)) if own.score is None else None
    reden = uitz.reden.strip().rstrip(".") if uitz is not None else None
    keuze = keuze_label(own.score) if own.score is not None else "niet bezocht" if uitz is None else "uitzondering"
    wat = f"uitzondering: {reden}" if reden is not None else keuze
    better = [o for o in visited if own.score is None or (idx.scores[(aios_id, o)] or 0) < own.score]
    redenen = [_reason(idx, uitslag, occupants, aios_id, o, own) for o in better]
    if own.herkomst is Herkomst.PIN:
        tekst = f"{wie} is op het bord vastgezet bij {opleider.kort} ({wat})."
    elif own.herkomst is Herkomst.HANDMATIG:
        tekst = f"{wie} is handmatig geplaatst bij {opleider.kort} ({wat})."
    elif reden is not None:
        tekst = (
            f"{wie} is gekoppeld aan {opleider.kort} met een uitzondering van de manager opleiders "
            f"({reden}); deze praktijk is niet bezocht."
        )
        if own.herkomst is Herkomst.REST:
            tekst += f" Berekend als {own.herkomst.label}."
    elif own.herkomst is Herkomst.REST:
        tekst = f"{wie} is gekoppeld aan {opleider.kort}: {keuze} ({own.herkomst.label})."
    else:
        tekst = f"{wie} is gekoppeld aan {opleider.kort}: {keuze}."
    if redenen:
        tekst += f" Hoger gescoord: {_reasons_text(idx, redenen)}."
    return AiosUitleg(aios_id, own.opleider_id, own.score, keuze, tekst, tuple(redenen), own.herkomst, reden)


_PHRASES = {
    "afgewezen": "afgewezen",
    "geblokkeerd": "geblokkeerd",
    "opleidingsjaar": "alleen voor een 1e jaars aios (opleiderscurriculum)",
    "bezet": "bezet door andere aios",
    "groepsbelang": "vrijgehouden voor de groep",
    "vrij": "nog vrij",
}


def _all_phrase(redenen: list[Keuzereden], welke: str = "bezochte") -> str:
    """"alle bezochte praktijken zijn afgewezen, geblokkeerd of bezet door andere aios", from the data."""
    words: list[str] = []
    for soort, phrase in _PHRASES.items():
        matching = [r for r in redenen if r.soort == soort]
        if not matching:
            continue
        if soort == "bezet" and all(r.reden.endswith(VOORRANG_SUFFIX) for r in matching):
            phrase += " bij voorrangsopleiders"
        words.append(phrase)
    lijst = words[0] if len(words) == 1 else ", ".join(words[:-1]) + " of " + words[-1]
    if len(redenen) == 1:
        return f"de enige {welke} praktijk is {lijst}"
    return f"alle {welke} praktijken zijn {lijst}"
