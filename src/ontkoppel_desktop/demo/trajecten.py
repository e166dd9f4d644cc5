"""Fictitious trajecten for the demo store: every phase, some on time, some overdue, a few closed.

The app's demo generator calls `demo_trajecten` with koppelingen it already made and stores what comes back.
Every event goes through `rules.record` on the demo's `today`, so demo trajecten obey the same rules as real ones:
nothing in the future, every step after what triggers it. Every event is held on a working day
(demo/werkdagen.py).

With `verslagen=True` an open traject's gespreksverslagen are left to `demo.verslagen`, which writes them through
the VerslagService after the trajecten are stored: their verstuurd and gearchiveerd are then recorded by the
verslag, as in the app (also for the manager opleiders' contact, whose verslag goes to the assistent manager
opleiders). A driehoeksgesprek's uitkomst is then recorded on the day of the gesprek, as the wizard records it at
Voltooien. The gesprekken the procedure keeps without a verslag (the calls after a ziekmelding, the check-up, the
overdracht to the new opleider, the kennismaking) carry their notes on the event, without names; `demo.verslagen`
writes their record from the event.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from ontkoppel_desktop.core.procedure.definition import ProcedureDefinition
from ontkoppel_desktop.core.procedure.engine import derive
from ontkoppel_desktop.core.procedure.events import EventKind, new_event
from ontkoppel_desktop.core.procedure.rules import event_for_step, record
from ontkoppel_desktop.core.procedure.traject import AiosFacts, Categorie, Startreden, Traject, start_traject
from ontkoppel_desktop.demo import teksten as t
from ontkoppel_desktop.demo.werkdagen import werkdag_voor


@dataclass(frozen=True, slots=True)
class DemoKoppeling:
    koppeling_id: int
    aios_id: int
    opleider_id: int


# (age of the traject in days, how far it got). The stages follow Utrecht section 5 in order.
_SCENARIOS: tuple[tuple[int, str], ...] = (
    (2, "signaal"),
    (10, "ziekmelding"),
    (16, "driehoeksgesprek"),
    (40, "geen_ontkoppeling"),
    (26, "advies"),
    (33, "besluit"),
    (62, "match"),
    (75, "evaluaties"),
    (100, "start"),
    (135, "gesloten"),
)
_STAGES = (
    "signaal",
    "driehoeksgesprek",
    "verslag",
    "advies",
    "besluit",
    "match",
    "evaluaties",
    "start",
    "evaluatie_nieuw",
    "gesloten",
)


class _Builder:
    def __init__(
        self, definition: ProcedureDefinition, traject: Traject, today: dt.date, user: str,
        facts: AiosFacts | None = None,
    ) -> None:
        self.definition = definition
        self.traject = traject
        self.today = today
        self.user = user
        self.facts = facts

    def _now(self, day: dt.date) -> dt.datetime:
        return dt.datetime.combine(day, dt.time(10, 0), tzinfo=dt.UTC)

    def add(self, day: dt.date, kind: EventKind, **data: object) -> bool:
        """Record the event if its day has come; held on the working day on or before it (never later: the
        shift keeps every event's order and keeps it out of the future)."""
        if day > self.today:
            return False
        day = werkdag_voor(day)
        event = new_event(kind, day, data, user=self.user, now=self._now(day))
        self.traject = record(self.definition, self.traject, event, facts=self.facts, today=self.today)
        return True

    def step(self, day: dt.date, step_id: str, **data: object) -> bool:
        if day > self.today or not self.definition.has_step(step_id):
            return False
        day = werkdag_voor(day)
        event = event_for_step(self.definition, step_id, day, data, user=self.user, now=self._now(day))
        self.traject = record(self.definition, self.traject, event, facts=self.facts, today=self.today)
        return True

    def needs(self, step_id: str, day: dt.date) -> bool:
        """Whether the step is open for this aios (e.g. the voortgang decision for a first-year aios)."""
        overview = derive(self.definition, self.traject, self.facts, day)
        return any(st.key == step_id and st.state.is_open for st in overview.statuses)


def _walk(b: _Builder, start: dt.date, stop: str, nieuwe_opleider: int | None, verslagen: bool = False) -> None:
    def d(offset: int) -> dt.date:
        return start + dt.timedelta(days=offset)

    reached = _STAGES[: _STAGES.index(stop) + 1]
    # A closed traject keeps its verslag events: it closes only when no step is open.
    aan_verslagen = verslagen and "gesloten" not in reached

    def verslag(day: dt.date, kind: EventKind, **data: object) -> None:
        if not aan_verslagen:
            b.add(day, kind, **data)

    if "driehoeksgesprek" in reached:
        b.add(d(7), EventKind.DRIEHOEKSGESPREK, initiatief="docenten")
        if aan_verslagen:
            b.add(d(7), EventKind.UITKOMST, uitkomst="geen_ontkoppeling",
                  aandachtspunten=t.aandachtspunten(b.traject.categorie, b.traject.aios_id))
    if "verslag" in reached:
        verslag(d(11), EventKind.VERSLAG_NAAR_JAARASSISTENT, gesprek="driehoeksgesprek")
        verslag(d(13), EventKind.VERSLAG_GEARCHIVEERD, gesprek="driehoeksgesprek", bestemming="beide")
        b.add(d(14), EventKind.CHECK_UP, notitie=t.notitie(t.CHECK_UP_ZORG, f"check-up-{b.traject.aios_id}"))
    if "advies" in reached:
        b.add(d(20), EventKind.DRIEHOEKSGESPREK, initiatief="opleider")
        b.add(d(20 if aan_verslagen else 22), EventKind.UITKOMST, uitkomst="advies_ontkoppeling")
        verslag(d(23), EventKind.VERSLAG_NAAR_JAARASSISTENT, gesprek="driehoeksgesprek")
        b.add(d(24), EventKind.MANAGER_OPLEIDERS_GEINFORMEERD)
    if "besluit" in reached:
        b.add(d(28), EventKind.BESLUIT_ONTKOPPELING, besluit="ontkoppelen", door="plaatsvervangend hoofd")
        b.step(d(28), "contact_opleider_plannen")
        b.step(d(29), "besluit_communiceren")
        verslag(d(30), EventKind.VERSLAG_GEARCHIVEERD, gesprek="driehoeksgesprek", bestemming="beide")
        b.step(d(31), "administratieve_afhandeling")
        b.add(d(32), EventKind.KOPPELING_BEEINDIGD)
    if "match" in reached and nieuwe_opleider is not None:
        b.add(d(35), EventKind.KANDIDAAT_OPLEIDER, opleider_id=nieuwe_opleider,
              notitie=t.notitie(t.SITUATIE, f"situatie-{b.traject.aios_id}"))
        b.add(
            d(38), EventKind.KENNISMAKINGSGESPREK, opleider_id=nieuwe_opleider, aios_ja=True, opleider_ja=True,
            notitie=t.notitie(t.KENNISMAKING, f"kennismaking-{b.traject.aios_id}", 1, 2),
        )
    if "evaluaties" in reached and nieuwe_opleider is not None:
        b.add(d(40), EventKind.EVALUATIEGESPREK_AIOS, reflectieverslag_in_eportfolio=True)
        b.add(d(45), EventKind.NIEUWE_KOPPELING_BEVESTIGD, opleider_id=nieuwe_opleider,
              startdatum=werkdag_voor(d(49)))
        b.add(d(48), EventKind.EVALUATIEGESPREK_OPLEIDER)
        b.step(d(46), "informatie_resterend_jaar")
        verslag(d(50), EventKind.VERSLAG_GEARCHIVEERD, gesprek="evaluatie_aios", bestemming="beide")
    if "start" in reached and nieuwe_opleider is not None:
        b.add(d(49), EventKind.NIEUWE_KOPPELING_GESTART, in_oude_praktijk_gebleven=False)
        verslag(d(52), EventKind.VERSLAG_GEARCHIVEERD, gesprek="evaluatie_opleider", bestemming="beide")
        b.step(d(53), "uitnodiging_opleidersterugkomdag")
        b.add(
            d(55),
            EventKind.WACHTTIJD_BESLUIT,
            dagen_opleidingstijd=10,
            invulling="Terugkomdagen en zelfstudie",
        )
        b.add(d(58), EventKind.CONTACT_MANAGER_OPLEIDERS)
        verslag(d(60), EventKind.VERSLAG_NAAR_ASSISTENT_MANAGER_OPLEIDERS, gesprek="contact_manager_opleiders")
        verslag(d(62), EventKind.VERSLAG_GEARCHIVEERD, gesprek="contact_manager_opleiders",
                bestemming="dossier_opleider")
        b.step(d(63), "opleider_nieuwe_aios")
        b.step(d(65), "nazorg_groep")
    if "evaluatie_nieuw" in reached and nieuwe_opleider is not None:
        b.add(d(110), EventKind.EVALUATIEGESPREK_NIEUWE_OPLEIDER)
        b.add(
            d(113),
            EventKind.VERSLAG_GEARCHIVEERD,
            gesprek="evaluatie_nieuwe_opleider",
            bestemming="e_portfolio",
        )
    if "evaluaties" in reached and b.needs("voortgang_besluit", d(44)):
        # Utrecht 5.2.3: a first-year aios ontkoppeld between month 3 and 9; verlenging is the rule after month 5.
        b.add(d(44), EventKind.VOORTGANG_BESLUIT, uitstel_voortgangsbeoordeling=True, verlenging=True,
              verlenging_maanden=3, door="Plaatsvervangend hoofd")
    if "gesloten" in reached and nieuwe_opleider is not None:
        b.add(
            d(115),
            EventKind.AFWIJKING,
            stap="verslag_driehoeksgesprek",
            wijze="anders_gedaan",
            motivatie="Het tweede gesprek is samen met het eerste verslag vastgelegd.",
        )
        b.add(
            d(115),
            EventKind.AFWIJKING,
            stap="archiveren_verslag_driehoeksgesprek",
            wijze="anders_gedaan",
            motivatie="Samen met het eerste verslag gearchiveerd.",
        )
        b.add(d(116), EventKind.TRAJECT_GESLOTEN, reden="Alle stappen afgerond.")


def demo_trajecten(
    definition: ProcedureDefinition,
    koppelingen: Sequence[DemoKoppeling],
    nieuwe_opleider_ids: Sequence[int],
    today: dt.date,
    *,
    user: str = "Demo",
    seed: int = 2023,
    facts: Mapping[int, AiosFacts] | None = None,
    verslagen: bool = False,
) -> list[Traject]:
    """One fictitious traject per koppeling, cycling through every phase (signaal, ziekmelding with the aios called,
    driehoeksgesprek with late verslag, closed after geen ontkoppeling, advies, just ontkoppeld, overdue
    evaluations with a long wachttijd, new koppeling started, phase 3, closed). `nieuwe_opleider_ids` are
    opleiders that may receive an ontkoppelde aios. Trajecten have id None; the store gives them theirs.
    `verslagen`: leave the gespreksverslagen of open trajecten to `demo.verslagen` (see the module's text)."""
    rng = random.Random(seed)
    result: list[Traject] = []
    for n, k in enumerate(koppelingen):
        age, stage = _SCENARIOS[n % len(_SCENARIOS)]
        start = werkdag_voor(today - dt.timedelta(days=age + rng.randint(0, 3)))
        categorie = rng.choice(
            (
                Categorie.OPLEIDINGSSITUATIE,
                Categorie.OPLEIDINGSSITUATIE,
                Categorie.ZIEKTE_ZWANGERSCHAP_PRIVE,
                Categorie.OVERIG,
            )
        )
        reden = (
            Startreden.ZIEKMELDING
            if stage == "ziekmelding"
            else rng.choice(
                (
                    Startreden.SIGNAAL_AIOS,
                    Startreden.SIGNAAL_OPLEIDER,
                    Startreden.SIGNAAL_TERUGKOMDAG,
                    Startreden.SIGNAAL_DOCENTEN,
                )
            )
        )
        traject = start_traject(
            definition,
            koppeling_id=k.koppeling_id,
            aios_id=k.aios_id,
            opleider_id=k.opleider_id,
            startreden=reden,
            categorie=categorie,
            datum=start,
            user=user,
            now=dt.datetime.combine(start, dt.time(9, 0), tzinfo=dt.UTC),
            today=today,
        )
        b = _Builder(definition, traject, today, user, (facts or {}).get(k.aios_id))
        candidates = [o for o in nieuwe_opleider_ids if o != k.opleider_id]
        nieuwe = rng.choice(candidates) if candidates else None
        if stage == "geen_ontkoppeling":
            b.add(start + dt.timedelta(days=6), EventKind.DRIEHOEKSGESPREK, initiatief="aios")
            b.add(
                start + dt.timedelta(days=9), EventKind.VERSLAG_NAAR_JAARASSISTENT, gesprek="driehoeksgesprek"
            )
            b.add(
                start + dt.timedelta(days=9),
                EventKind.UITKOMST,
                uitkomst="geen_ontkoppeling",
                aandachtspunten="Wekelijks een vast leergesprek; duidelijke afspraken over supervisie.",
            )
            b.add(start + dt.timedelta(days=12), EventKind.CHECK_UP,
                  notitie=t.notitie(t.CHECK_UP_GOED, f"check-up-{k.aios_id}"))
            b.add(start + dt.timedelta(days=14), EventKind.TRAJECT_GESLOTEN, reden="Geen ontkoppeling nodig.")
        elif stage == "ziekmelding":
            # Utrecht 5.1: the docenten call within a week; the aios first, the opleider not yet reached.
            b.add(start + dt.timedelta(days=2), EventKind.TELEFONISCH_CONTACT, met=["aios"],
                  notitie=t.notitie(t.TELEFOON_AIOS, f"telefoon-aios-{k.aios_id}"))
        else:
            _walk(b, start, stage, nieuwe, verslagen)
        result.append(b.traject)
    return result
