"""The rules for one aios-opleider pair (the reasons, in Dutch, why a pair is refused or flagged), over the
lookups of a ronde that the solver, the explanation and the board checks share (`RondeIndex`).

Whether a whole ronde keeps the rules is `validatie`; the codes of both kinds of rule are `Regel`, here, because a
vastzetting that breaks a pair rule is also a validation problem.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from enum import StrEnum

from ontkoppel_desktop.core.koppelplanner.ronde import (
    MAX_SCORE,
    Afwijzing,
    Aios,
    Opleider,
    OpleiderStatus,
    Ronde,
    Uitzondering,
    Vastzetting,
    natural_key,
)


class Regel(StrEnum):
    """Which rule a problem or a bezwaar is about. The value is a stable code (tests, the store, logs)."""

    GEEN_AIOS = "geen_aios"
    GEEN_OPLEIDERS = "geen_opleiders"
    STARTDATUM = "startdatum"
    LEEG_ID = "leeg_id"
    DUBBEL_ID = "dubbel_id"
    LEGE_NAAM = "lege_naam"
    GEEN_PRAKTIJK = "geen_praktijk"
    OPLEIDINGSJAAR = "opleidingsjaar"
    DEELTIJD = "deeltijd"
    CAPACITEIT = "capaciteit"
    AANWEZIGHEID = "aanwezigheid"
    DUO_AANWEZIGHEID = "duo_aanwezigheid"
    ONBEKENDE_AIOS = "onbekende_aios"
    ONBEKENDE_OPLEIDER = "onbekende_opleider"
    DUBBEL_BEZOEK = "dubbel_bezoek"
    TE_VEEL_BEZOEKEN = "te_veel_bezoeken"
    ONTBREKENDE_SCORE = "ontbrekende_score"
    DUBBELE_SCORE = "dubbele_score"
    SCORE_BUITEN_BEREIK = "score_buiten_bereik"
    TWEEDE_AFWIJZING = "tweede_afwijzing"
    AFWIJZING_ZONDER_MOTIVATIE = "afwijzing_zonder_motivatie"
    VASTZETTING_ZONDER_REDEN = "vastzetting_zonder_reden"
    DUBBELE_VASTZETTING = "dubbele_vastzetting"
    UITZONDERING_ZONDER_REDEN = "uitzondering_zonder_reden"
    CAPACITEIT_VOL = "capaciteit_vol"
    # Pair rules (bezwaren); also used by validation when a vastzetting or uitzondering breaks them.
    AFGEWEZEN = "afgewezen"
    BLOKKADE = "blokkade"
    NIET_BEZOCHT = "niet_bezocht"
    VASTGEZET_ELDERS = "vastgezet_elders"


@dataclass(frozen=True, slots=True)
class Bezwaar:
    """Why a pair may not (blokkerend) or should not without a decision (not blokkerend) be made."""

    regel: Regel
    bericht: str
    blokkerend: bool
    # The reason for a row or card that names the opleider already ("Geen vrije plaats: bezet door …");
    # empty when `bericht` says it as well.
    kort: str = ""

    @property
    def in_rij(self) -> str:
        return self.kort or self.bericht


@dataclass(slots=True)
class RondeIndex:
    """Lookups over a ronde, built once; the validation, the solver, the explanation and the board checks all
    read it.

    On an invalid ronde the first record of a duplicated id wins; call `validatie.validate` first."""

    ronde: Ronde
    aios: dict[str, Aios] = field(default_factory=dict)
    opleiders: dict[str, Opleider] = field(default_factory=dict)
    aios_ids: list[str] = field(default_factory=list)
    opleider_ids: list[str] = field(default_factory=list)
    # Position of each id in the lists above: a cheap sort key.
    aios_rank: dict[str, int] = field(default_factory=dict)
    opleider_rank: dict[str, int] = field(default_factory=dict)
    # (aios_id, opleider_id) -> score of the bezoek (None when the aios gave none).
    scores: dict[tuple[str, str], int | None] = field(default_factory=dict)
    # aios_id -> visited opleider ids, best score first.
    bezocht: dict[str, list[str]] = field(default_factory=dict)
    afwijzingen: dict[tuple[str, str], Afwijzing] = field(default_factory=dict)
    vastzettingen: dict[str, Vastzetting] = field(default_factory=dict)
    uitzonderingen: dict[tuple[str, str], Uitzondering] = field(default_factory=dict)
    # aios_id -> opleider ids allowed by an uitzondering.
    uitzondering_van: dict[str, list[str]] = field(default_factory=dict)
    # Set by `validatie.validate` over this index when the ronde keeps every rule: a Koppelplanner built on it
    # (after an import, which validates every ronde it reads) does not validate again.
    geldig: bool = False

    @classmethod
    def build(cls, ronde: Ronde) -> RondeIndex:
        idx = cls(ronde)
        for aios in ronde.aios:
            idx.aios.setdefault(aios.id, aios)
        for opleider in ronde.opleiders:
            idx.opleiders.setdefault(opleider.id, opleider)
        idx.aios_ids = sorted(idx.aios, key=natural_key)
        idx.opleider_ids = sorted(idx.opleiders, key=natural_key)
        idx.aios_rank = {a: i for i, a in enumerate(idx.aios_ids)}
        idx.opleider_rank = {o: i for i, o in enumerate(idx.opleider_ids)}
        for bezoek in ronde.bezoeken:
            idx.scores.setdefault((bezoek.aios_id, bezoek.opleider_id), bezoek.score)
        per_aios: dict[str, list[str]] = defaultdict(list)
        for aios_id, opleider_id in idx.scores:
            per_aios[aios_id].append(opleider_id)
        for aios_id, opleider_ids in per_aios.items():
            ranked = {o: (_score_sort(idx.scores[(aios_id, o)]), natural_key(o)) for o in opleider_ids}
            idx.bezocht[aios_id] = sorted(opleider_ids, key=ranked.__getitem__)
        for afwijzing in ronde.afwijzingen:
            idx.afwijzingen.setdefault((afwijzing.aios_id, afwijzing.opleider_id), afwijzing)
        for vastzetting in ronde.vastzettingen:
            idx.vastzettingen.setdefault(vastzetting.aios_id, vastzetting)
        for uitzondering in ronde.uitzonderingen:
            key = (uitzondering.aios_id, uitzondering.opleider_id)
            if key not in idx.uitzonderingen:
                idx.uitzonderingen[key] = uitzondering
                idx.uitzondering_van.setdefault(uitzondering.aios_id, []).append(uitzondering.opleider_id)
        for opleider_ids in idx.uitzondering_van.values():
            opleider_ids.sort(key=natural_key)
        return idx

    @property
    def voorrang_ids(self) -> list[str]:
        """Priority opleiders that can be filled this round (a blokkade takes an opleider out)."""
        return [o for o in self.opleider_ids if self.opleiders[o].voorrang and not self.opleiders[o].blokkade]

    def aios_wie(self, aios_id: str, *, werkmap: bool = False) -> str:
        """The aios as a message names it: by name; with `werkmap` (a problem of an imported workbook) also by
        the id its rows use."""
        aios = self.aios.get(aios_id)
        if aios is None:
            return f"Aios {aios_id}"
        return aios.wie_in_werkmap if werkmap else aios.wie

    def opleider_wie(self, opleider_id: str, *, werkmap: bool = False) -> str:
        opleider = self.opleiders.get(opleider_id)
        if opleider is None:
            return f"Opleider {opleider_id}"
        return opleider.wie_in_werkmap if werkmap else opleider.wie

    def pair_rules(self, aios_id: str, opleider_id: str, *, werkmap: bool = False) -> list[Bezwaar]:
        """The rules no decision can lift: afwijzing, blokkade, opleidingsjaar (both ids must exist). `werkmap`:
        the messages name aios and opleider with their ids, for a problem of an imported workbook.

        Each bezwaar also says `kort` what it means for a row that names the opleider already (1-op-1)."""
        aios = self.aios[aios_id]
        opleider = self.opleiders[opleider_id]
        aios_wie = aios.wie_in_werkmap if werkmap else aios.wie
        opleider_wie = opleider.wie_in_werkmap if werkmap else opleider.wie
        bezwaren: list[Bezwaar] = []
        afwijzing = self.afwijzingen.get((aios_id, opleider_id))
        if afwijzing is not None:
            bezwaren.append(Bezwaar(
                Regel.AFGEWEZEN,
                f"{opleider_wie} heeft {aios_wie} afgewezen ({afwijzing.motivatie.strip()}); "
                "een afgewezen koppeling wordt nooit gemaakt.",
                blokkerend=True,
                kort=f"Heeft {aios.naam or 'deze aios'} afgewezen ({afwijzing.motivatie.strip()}).",
            ))
        if opleider.blokkade:
            bezwaren.append(Bezwaar(
                Regel.BLOKKADE,
                f"{opleider_wie} heeft een blokkade na een ontkoppeling en krijgt deze ronde geen aios.",
                blokkerend=True,
                kort="Blokkade na een ontkoppeling: geen nieuwe aios tot het contact met de manager opleiders.",
            ))
        if opleider.status is OpleiderStatus.CURRICULUM and aios.opleidingsjaar != 1:
            bezwaren.append(Bezwaar(
                Regel.OPLEIDINGSJAAR,
                f"{opleider_wie} zit in het opleiderscurriculum en wordt alleen gekoppeld aan een 1e jaars aios; "
                f"{aios_wie} is {aios.opleidingsjaar}e jaars.",
                blokkerend=True,
                kort=f"Zit in het opleiderscurriculum: alleen een 1e jaars aios ({aios.naam or 'deze aios'} is "
                     f"{aios.opleidingsjaar}e jaars).",
            ))
        return bezwaren

    def bezwaren(self, aios_id: str, opleider_id: str) -> list[Bezwaar]:
        """Every reason against koppeling this aios to this opleider; empty when the solver may make the pair.

        A vastgezet pair is always allowed (validation already refused a vastzetting that breaks a rule)."""
        if aios_id not in self.aios:
            return [Bezwaar(Regel.ONBEKENDE_AIOS, f"Aios {aios_id} staat niet in deze ronde.", True)]
        if opleider_id not in self.opleiders:
            return [Bezwaar(Regel.ONBEKENDE_OPLEIDER, f"Opleider {opleider_id} staat niet in deze ronde.", True)]
        vast = self.vastzettingen.get(aios_id)
        if vast is not None:
            if vast.opleider_id == opleider_id:
                return []
            return [Bezwaar(
                Regel.VASTGEZET_ELDERS,
                f"{self.aios_wie(aios_id)} is vastgezet bij {self.opleider_wie(vast.opleider_id)} "
                f"({vast.reden.strip()}).",
                blokkerend=True,
            )]
        bezwaren = self.pair_rules(aios_id, opleider_id)
        if (aios_id, opleider_id) not in self.scores and (aios_id, opleider_id) not in self.uitzonderingen:
            # AMC kaders: the aios scores the practices it visited; only a manager's uitzondering adds another.
            opleider = self.opleiders[opleider_id]
            bezwaren.append(Bezwaar(
                Regel.NIET_BEZOCHT,
                f"{self.aios_wie(aios_id)} heeft de praktijk van {opleider.kort or opleider.wie} niet bezocht; "
                "alleen met een uitzondering van de manager opleiders.",
                blokkerend=False,
                kort="Niet bezocht: alleen met een uitzondering van de manager opleiders.",
            ))
        return bezwaren

    def allowed(self, aios_id: str, opleider_id: str) -> bool:
        """May the solver make this pair? The same as `not bezwaren(...)`, without building messages (the
        solver asks it for every visited pair)."""
        vast = self.vastzettingen.get(aios_id)
        if vast is not None:
            return vast.opleider_id == opleider_id
        aios = self.aios.get(aios_id)
        opleider = self.opleiders.get(opleider_id)
        if aios is None or opleider is None or opleider.blokkade:
            return False
        if opleider.status is OpleiderStatus.CURRICULUM and aios.opleidingsjaar != 1:
            return False
        key = (aios_id, opleider_id)
        return key not in self.afwijzingen and (key in self.scores or key in self.uitzonderingen)


def _score_sort(score: int | None) -> int:
    return score if score is not None else MAX_SCORE + 1
