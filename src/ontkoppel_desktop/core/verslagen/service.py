"""The one door for gespreksverslagen: a concept saved as it is typed, Voltooien (the gesprek becomes an event of
the traject, so its terms follow), Afronden (definitief and sealed), a new version with a reden, and the dates
verstuurd and gearchiveerd, which complete the procedure's steps by recording their events.

Every write is one transaction through the repository and returns the Changes it made. No Qt, no SQL.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, replace
from typing import Protocol

from ontkoppel_desktop.core import changes as c
from ontkoppel_desktop.core.changes import Changes
from ontkoppel_desktop.core.errors import OntkoppelError
from ontkoppel_desktop.core.kalender import dutch_date
from ontkoppel_desktop.core.personen import is_id, naam_tekst
from ontkoppel_desktop.core.procedure import EventKind, RuleError, Traject, TrajectEvent, new_event
from ontkoppel_desktop.core.procedure.definition import ProcedureDefinition, VerslagBestemming
from ontkoppel_desktop.core.procedure.events import SCHEMAS, JsonValue, vrije_tekst
from ontkoppel_desktop.core.rollen import Rol
from ontkoppel_desktop.core.trajecten import TrajectService
from ontkoppel_desktop.core.transactions import Transactions
from ontkoppel_desktop.core.verslagen.formulier import GesprekFormulier, Pagina, VeldSoort
from ontkoppel_desktop.core.verslagen.formulier_lezen import bundled_formulieren
from ontkoppel_desktop.core.verslagen.overzicht import LijstTraject, Overzicht, VerslagKop, VerslagRegel
from ontkoppel_desktop.core.verslagen.verslag import (
    ARCHIEFPLEKKEN,
    Status,
    Verslag,
    as_date,
    is_leeg,
    ontbrekend,
    weergave,
    zegels,
)
from ontkoppel_desktop.core.verslagen.zoeken import Treffer, fts_vraag, treffer, zoekwoorden


class _Unchanged:
    """A date zet_status leaves as it is (None clears it)."""


UNCHANGED = _Unchanged()


class VerslagFout(OntkoppelError, ValueError):
    """A verslag change refused; the message is Dutch. `veld` names the field to show it at, if there is one."""

    def __init__(self, message: str, veld: str | None = None) -> None:
        super().__init__(message)
        self.veld = veld


class VerslagRepository(Protocol):
    def insert(self, verslag: Verslag) -> int: ...

    def load(self, verslag_id: int) -> Verslag | None: ...

    def for_traject(self, traject_id: int) -> list[Verslag]: ...

    def for_gebeurtenis(self, gebeurtenis_id: str) -> list[Verslag]: ...

    def open_concepten(self, auteur: str) -> list[Verslag]:
        """The concepts of this author that a wizard had open when the app stopped, newest first."""
        ...

    def save_concept(self, verslag_id: int, antwoorden: Mapping[str, JsonValue], pagina: int, open_: bool,
                     opgeslagen: dt.datetime) -> None:
        """Write a concept's answers; a definitief verslag is never changed (the store refuses it too)."""
        ...

    def set_open(self, verslag_id: int, open_: bool) -> None: ...

    def update(self, verslag: Verslag) -> None:
        """Write status, seals, dates and links of a verslag (its answers only while it is a concept)."""
        ...

    def zoek(self, vraag: str, limiet: int, binnen: frozenset[int] | None = None) -> list[Verslag]:
        """The verslagen whose indexed text matches the FTS5 expression `vraag`, best first."""
        ...

    def lijst(self, traject_ids: frozenset[int] | None = None) -> list[VerslagKop]:
        """Every verslag (of these trajecten) without its answers."""
        ...

    def lijst_trajecten(self, stappen: frozenset[str], today: dt.date,
                        traject_ids: frozenset[int] | None = None) -> list[LijstTraject]:
        """The trajecten (these, or all) with their people and their open steps of these kinds due by today."""
        ...


# Which event records "verstuurd" for each receiver (Utrecht 5.1 and 5.3.2).
VERSTUURD_EVENT: dict[Rol, EventKind] = {
    Rol.JAARASSISTENT: EventKind.VERSLAG_NAAR_JAARASSISTENT,
    Rol.ASSISTENT_MANAGER_OPLEIDERS: EventKind.VERSLAG_NAAR_ASSISTENT_MANAGER_OPLEIDERS,
}


@dataclass(frozen=True, slots=True)
class GesprekContext:
    """What the app already knows about a gesprek's people, to fill in before the docent types."""

    aios: str
    opleider: str
    docenten: tuple[str, ...]
    nieuwe_opleider: str = ""
    opleider_id: int | None = None
    nieuwe_opleider_id: int | None = None  # the candidate, or the confirmed new opleider


@dataclass(frozen=True, slots=True)
class EerderAntwoord:
    gesprek: str  # the title of the earlier gesprek
    vraag: str
    datum: dt.date | None
    tekst: str
    definitief: bool


class VerslagService:
    def __init__(
        self,
        tx: Transactions,
        repo: VerslagRepository,
        trajecten: TrajectService,
        formulieren: Callable[[ProcedureDefinition], Mapping[str, GesprekFormulier]] = bundled_formulieren,
    ) -> None:
        self._tx = tx
        self.repo = repo
        self.trajecten = trajecten
        self._formulieren = formulieren

    # ---- reading -------------------------------------------------------------------------------------

    def get(self, verslag_id: int) -> Verslag:
        verslag = self.repo.load(verslag_id) if is_id(verslag_id) else None
        if verslag is None:
            raise VerslagFout("Dit verslag bestaat niet (meer).")
        return verslag

    def formulieren(self, traject: Traject) -> Mapping[str, GesprekFormulier]:
        """The gesprekken with a wizard in the procedure version this traject started with."""
        return self._formulieren(self.trajecten.definition(traject))

    def formulier(self, verslag: Verslag) -> GesprekFormulier:
        """The questions this verslag answers: those of the procedure version it was written in."""
        definition = self.trajecten.registry.get(*verslag.procedure)
        formulier = self._formulieren(definition).get(verslag.gesprek)
        if formulier is None:
            raise VerslagFout(f"De vragen van dit verslag ('{verslag.gesprek}', procedure {verslag.procedure[1]}) "
                              "ontbreken in deze installatie. Meld het aan de applicatiebeheerder.")
        return formulier

    def van_traject(self, traject_id: int) -> list[Verslag]:
        return self.repo.for_traject(traject_id)

    # ---- finding verslagen ---------------------------------------------------------------------------

    def zoek(self, tekst: str, limiet: int = 50, *, binnen: frozenset[int] | None = None) -> list[Treffer]:
        """The verslagen with every word typed at the start of a word of their text or gesprek title (case and
        accents ignored: "yilmaz" finds "Yılmaz"), best first, at most `limiet`, each with a fragment of its text
        around the first hit. `binnen`: only among these verslagen. Any input is safe: FTS5 syntax is searched
        for as words."""
        woorden = zoekwoorden(tekst)
        vraag = fts_vraag(woorden)
        if vraag is None or limiet <= 0:
            return []
        result = []
        for verslag in self.repo.zoek(vraag, limiet, binnen):
            try:
                formulier: GesprekFormulier | None = self.formulier(verslag)
            except VerslagFout:
                formulier = None
            result.append(treffer(verslag, formulier, woorden))
        return result

    def overzicht(self, today: dt.date, traject_ids: frozenset[int] | None = None) -> list[VerslagRegel]:
        """Every verslag (of these trajecten) for the Verslagen list: its people, state, and the term it serves
        today (core.verslagen.overzicht). Three queries (the verslagen, the trajecten, their open steps); no
        verslag's text is read, nothing is derived."""
        koppen = self.repo.lijst(traject_ids)
        lezer = Overzicht(self.trajecten.registry.get, self._formulieren)
        stappen = lezer.alle_stappen(self.trajecten.registry.definitions())
        return lezer.regels(koppen, self.repo.lijst_trajecten(stappen, today, traject_ids), today)

    def bij_gebeurtenis(self, gebeurtenis_id: str) -> list[Verslag]:
        return self.repo.for_gebeurtenis(gebeurtenis_id)

    def open_concepten(self, auteur: str) -> list[Verslag]:
        return self.repo.open_concepten(auteur)

    def eerder(self, traject_id: int, pagina: Pagina) -> list[EerderAntwoord]:
        """What earlier gesprekken of the traject said, for a page that checks it (the leerpunten and afspraken
        an evaluatie looks back on): from the newest version of each, a definitief one first."""
        verslagen = self.repo.for_traject(traject_id)
        result = []
        for ref in pagina.eerder:
            kandidaten = [v for v in verslagen if v.gesprek == ref.gesprek]
            if not kandidaten:
                continue
            bron = max(kandidaten, key=lambda v: (v.definitief, v.versie, v.id))
            formulier = self.formulier(bron)
            value = bron.antwoorden.get(ref.veld)
            if is_leeg(value) or not formulier.heeft_veld(ref.veld):
                continue
            result.append(EerderAntwoord(formulier.titel, formulier.veld(ref.veld).label, bron.datum(formulier),
                                         weergave(formulier.veld(ref.veld), value), bron.definitief))
        return result

    def context(self, traject_id: int) -> GesprekContext:
        traject = self.trajecten.get(traject_id)
        personen = self.trajecten.personen
        aios = next(iter(personen.aios(archief=True, ids=[traject.aios_id])), None)
        named = {traject.opleider_id} | {n for e in traject.effective_events if (n := e.number("opleider_id"))}
        opleiders = {o.id: o for o in personen.opleiders(archief=True, ids=named)}
        oud = opleiders.get(traject.opleider_id)
        docenten: list[str] = []
        if aios is not None and aios.groep_id is not None:
            groep = next(iter(personen.groepen(archief=True, ids=[aios.groep_id])), None)
            if groep is not None:
                ids = [i for i in (groep.huisarts_docent_id, groep.gedragswetenschapper_docent_id) if i is not None]
                docenten = [d.naam.volledig for d in personen.docenten(archief=True, ids=ids)]
        nieuw, nieuw_id = "", None
        for event in traject.effective_events:
            if event.kind in (EventKind.KANDIDAAT_OPLEIDER, EventKind.KENNISMAKINGSGESPREK,
                              EventKind.NIEUWE_KOPPELING_BEVESTIGD):
                o = opleiders.get(event.number("opleider_id") or -1)
                if o is not None:
                    nieuw, nieuw_id = o.naam.volledig, o.id
        return GesprekContext(
            aios=aios.naam.volledig if aios is not None else "",
            opleider=oud.naam.volledig if oud is not None else "",
            docenten=tuple(docenten),
            nieuwe_opleider=nieuw,
            opleider_id=traject.opleider_id,
            nieuwe_opleider_id=nieuw_id,
        )

    def vooraf(self, formulier: GesprekFormulier, context: GesprekContext, today: dt.date) -> dict[str, JsonValue]:
        """The answers the app fills in: today's date, and the people of the gesprek as one line each."""
        rollen = {
            "aios": [f"{context.aios} (aios)"] if context.aios else [],
            "opleider": [f"{context.opleider} (opleider)"] if context.opleider else [],
            "nieuwe_opleider": [f"{context.nieuwe_opleider} (nieuwe opleider)"] if context.nieuwe_opleider else [],
            "docenten": [f"{d} (docent)" for d in context.docenten],
        }
        result: dict[str, JsonValue] = {}
        ids = {"opleider": context.opleider_id, "nieuwe_opleider": context.nieuwe_opleider_id}
        for veld in formulier.velden:
            if "vandaag" in veld.vooraf:
                result[veld.id] = today.isoformat()
            elif veld.soort is VeldSoort.OPLEIDER:
                found = next((i for rol in veld.vooraf if (i := ids.get(rol)) is not None), None)
                if found is not None:
                    result[veld.id] = found
            elif veld.vooraf and veld.soort.is_tekst:
                lines = [line for rol in veld.vooraf for line in rollen.get(rol, [])]
                if lines:
                    result[veld.id] = ("\n" if veld.soort is VeldSoort.TEKST else ", ").join(lines)
        return result

    # ---- a concept -----------------------------------------------------------------------------------

    def nieuw(
        self, traject_id: int, gesprek: str, *, auteur: str, gebeurtenis_id: str | None = None,
        gegevens: Mapping[str, object] | None = None, today: dt.date | None = None, now: dt.datetime | None = None,
    ) -> Changes:
        """A new concept for a gesprek of this traject, with what the app knows filled in; `gegevens` are data of
        its gebeurtenis known already (the opleider chosen in the 1-op-1: {"opleider_id": 7}). With
        `gebeurtenis_id` it is the verslag of a gesprek already recorded (its date comes from that event)."""
        auteur = _auteur(auteur)
        with self._tx.transaction():
            traject = self.trajecten.get(traject_id)
            formulier = self.formulieren(traject).get(gesprek) if isinstance(gesprek, str) else None
            if formulier is None:
                raise VerslagFout("De procedure van dit traject heeft geen formulier voor dit gesprek "
                                  f"({_kort(gesprek)}).")
            if traject.closed:
                raise VerslagFout("Dit traject is gesloten; er kan geen nieuw verslag bij.")
            antwoorden = self.vooraf(formulier, self.context(traject_id), today or dt.date.today())
            for veld in formulier.velden:
                known = (gegevens or {}).get(veld.gebeurtenis[1]) if veld.gebeurtenis is not None else None
                if veld.gebeurtenis is not None and veld.gebeurtenis[0] == formulier.gebeurtenissen[0].value and (
                        isinstance(known, (str, int, bool))):
                    antwoorden[veld.id] = known
            if gebeurtenis_id is not None:
                event = _event(traject, gebeurtenis_id)
                if event is None or event.kind is not formulier.gebeurtenissen[0]:
                    raise VerslagFout(f"Dit is geen {formulier.titel.lower()} van dit traject.")
                antwoorden.update(_uit_gebeurtenissen(formulier, traject, event, tekst=True))
            moment = now or dt.datetime.now(dt.UTC)
            verslag = Verslag(
                id=0, traject_id=traject_id, gesprek=gesprek, procedure=formulier.procedure, auteur=auteur,
                antwoorden=antwoorden_bewaard(antwoorden), open=True, gebeurtenis_id=gebeurtenis_id,
                aangemaakt=moment, opgeslagen=moment,
            )
            new_id = self.repo.insert(verslag)
        return Changes.of(c.VERSLAG, new_id, created=new_id)

    def bewaar(
        self, verslag_id: int, antwoorden: Mapping[str, JsonValue], pagina: int, *, auteur: str,
        open_: bool = True, now: dt.datetime | None = None,
    ) -> Changes:
        """Save a concept as typed (every half second while typing, on every page, on close). Refused for a
        definitief verslag, another author's concept, and a field that went into the recorded gesprek. The
        answers are kept as antwoorden_bewaard makes them."""
        if isinstance(pagina, bool) or not isinstance(pagina, int) or not 0 <= pagina <= _PAGINA_MAX:
            raise VerslagFout(f"Dit formulier heeft geen pagina {_kort(pagina)}.")
        antwoorden = antwoorden_bewaard(antwoorden)
        with self._tx.transaction():
            verslag = self._eigen_concept(verslag_id, auteur)
            vast = self.vaste_antwoorden(verslag)
            for veld_id, value in vast.items():
                if antwoorden.get(veld_id) != value:
                    veld = self.formulier(verslag).veld(veld_id)
                    raise VerslagFout(
                        f"'{veld.label}' ligt vast sinds het gesprek is vastgelegd. Corrigeer het in de "
                        "geschiedenis van het traject.", veld_id)
            self.repo.save_concept(verslag_id, dict(antwoorden), pagina, open_, now or dt.datetime.now(dt.UTC))
        return Changes.of(c.VERSLAG, verslag_id)

    def sluit(self, verslag_id: int) -> Changes:
        """The wizard was closed by its user: the concept is kept, but not offered again at the next start."""
        if not is_id(verslag_id):
            raise VerslagFout("Dit verslag bestaat niet (meer).")
        with self._tx.transaction():
            self.repo.set_open(verslag_id, False)
        return Changes.of(c.VERSLAG, verslag_id)

    def heropen(self, verslag_id: int, *, auteur: str) -> Changes:
        """A wizard opens the concept (again): it is offered after a crash until the wizard is closed."""
        with self._tx.transaction():
            self._eigen_concept(verslag_id, auteur)
            self.repo.set_open(verslag_id, True)
        return Changes.of(c.VERSLAG, verslag_id)

    # ---- the gesprek, recorded ---------------------------------------------------------------------------

    def problemen(self, verslag: Verslag) -> list[VerslagFout]:
        """What keeps this concept from being recorded: the required fields left empty, and a date that is none
        (a concept keeps what was typed, "30-02-2026" too), each at its field."""
        formulier = self.formulier(verslag)
        fouten = [VerslagFout(f"Vul '{v.label}' in.", v.id) for v in ontbrekend(formulier, verslag.antwoorden)]
        for veld in formulier.velden:
            value = verslag.antwoorden.get(veld.id)
            if veld.soort is VeldSoort.DATUM and not is_leeg(value) and as_date(value) is None:
                fouten.append(VerslagFout(f"'{veld.label}' is geen datum die bestaat; vul een datum in als "
                                          "8 september 2026.", veld.id))
        return fouten

    def voltooien(self, verslag_id: int, *, user: str, today: dt.date | None = None) -> Changes:
        """Record the gesprek as a gebeurtenis of the traject (and, for a driehoeksgesprek, its uitkomst), so
        its terms follow; the verslag stays a concept to polish. The date checks apply here."""
        with self._tx.transaction():
            verslag = self._eigen_concept(verslag_id, user)
            if verslag.voltooid:
                return self._vul_aan(verslag, user, today)
            fouten = self.problemen(verslag)
            if fouten:
                raise fouten[0]
            formulier = self.formulier(verslag)
            day = verslag.datum(formulier)
            assert day is not None  # a required field, checked above
            changes = Changes()
            first: TrajectEvent | None = None
            try:
                for kind in formulier.gebeurtenissen:
                    event = new_event(kind, day, _event_data(formulier, verslag.antwoorden, kind), user=user)
                    changes = changes | self.trajecten.record_event(verslag.traject_id, event, today=today)
                    first = first or event
            except RuleError as exc:
                raise VerslagFout(str(exc), _schuldig(formulier, str(exc))) from None
            assert first is not None
            self.repo.update(replace(verslag, gebeurtenis_id=first.id))
        return changes | Changes.of(c.VERSLAG, verslag_id)

    def vaste_antwoorden(self, verslag: Verslag) -> dict[str, JsonValue]:
        """The answers the recorded gesprek fixes (its date, and what its events carry), by field id; none
        before the gesprek is recorded. They change only through the traject's history."""
        if verslag.gebeurtenis_id is None:
            return {}
        traject = self.trajecten.get(verslag.traject_id)
        event = _event(traject, verslag.gebeurtenis_id)
        return _uit_gebeurtenissen(self.formulier(verslag), traject, event) if event is not None else {}

    def _vul_aan(self, verslag: Verslag, user: str, today: dt.date | None) -> Changes:
        """A verslag of a gesprek recorded earlier (perhaps without its uitkomst): record, on the gesprek's day,
        the events of the gesprek that are still missing."""
        assert verslag.gebeurtenis_id is not None
        formulier = self.formulier(verslag)
        traject = self.trajecten.get(verslag.traject_id)
        gesprek = _event(traject, verslag.gebeurtenis_id)
        if gesprek is None:
            raise VerslagFout("Het gesprek van dit verslag is ingetrokken in de geschiedenis van het traject.")
        present = _gesprek_events(formulier, traject, gesprek)
        missing = [k for k in formulier.gebeurtenissen[1:] if k.value not in present]
        changes = Changes.of(c.VERSLAG, verslag.id)
        if not missing:
            return changes
        fouten = self.problemen(verslag)
        if fouten:
            raise fouten[0]
        try:
            for kind in missing:
                event = new_event(kind, gesprek.date, _event_data(formulier, verslag.antwoorden, kind), user=user)
                changes = changes | self.trajecten.record_event(verslag.traject_id, event, today=today)
        except RuleError as exc:
            raise VerslagFout(str(exc), _schuldig(formulier, str(exc))) from None
        return changes

    # ---- definitief ----------------------------------------------------------------------------------

    def afronden(self, verslag_id: int, *, user: str, today: dt.date | None = None,
                 now: dt.datetime | None = None) -> Changes:
        """Make the verslag definitief: sealed (SHA-256 per verslag, with author and time) and no longer
        editable. A concept whose gesprek is not yet recorded is recorded first. Any other definitief verslag
        for the same gesprek is refused: a correction is a new version."""
        with self._tx.transaction():
            formulier = self.formulier(self.get(verslag_id))
            if not formulier.heeft_verslag:
                raise VerslagFout(f"Een {formulier.titel.lower()} heeft volgens de procedure geen verslag: met "
                                  "Voltooien staat het gesprek in het traject, en de notities blijven erbij.")
            changes = self.voltooien(verslag_id, user=user, today=today)
            verslag = self._eigen_concept(verslag_id, user)
            assert verslag.gebeurtenis_id is not None
            fouten = self.problemen(verslag)
            if fouten:
                raise fouten[0]
            vorige = self.get(verslag.vorige_id) if verslag.vorige_id is not None else None
            for other in self.repo.for_gebeurtenis(verslag.gebeurtenis_id):
                if other.id != verslag.id and other.definitief and (vorige is None or other.versie > vorige.versie):
                    raise VerslagFout(
                        f"Van dit gesprek is al een definitief verslag (versie {other.versie}, van {other.auteur}). "
                        "Maak daarvan een nieuwe versie als het verslag gecorrigeerd moet worden.")
            traject = self.trajecten.get(verslag.traject_id)
            event = _event(traject, verslag.gebeurtenis_id)
            antwoorden = dict(verslag.antwoorden)
            if event is not None:
                # The record wins: a gesprek corrected in the traject's history is sealed as corrected.
                antwoorden.update(_uit_gebeurtenissen(formulier, traject, event))
            moment = (now or dt.datetime.now(dt.UTC)).replace(microsecond=0)
            verslag = replace(verslag, antwoorden=antwoorden)
            self.repo.save_concept(verslag.id, antwoorden, verslag.pagina, False, moment)
            sealed = replace(verslag, status=Status.DEFINITIEF, afgerond_op=moment, open=False, opgeslagen=moment,
                             zegels=zegels(formulier, verslag, moment))
            self.repo.update(sealed)
            if vorige is not None:
                changes = changes | self._trek_status_in(
                    vorige, f"Nieuwe versie {verslag.versie} van het verslag: {verslag.reden}", user, today)
        return changes | Changes.of(c.VERSLAG, verslag_id)

    def nieuwe_versie(self, verslag_id: int, reden: str, *, auteur: str, now: dt.datetime | None = None) -> Changes:
        """A correction of a definitief verslag: a new concept with the same answers, linked to the earlier
        version, which stays readable. Its verstuurd and gearchiveerd start empty."""
        auteur = _auteur(auteur)
        reden = reden.strip()
        if not reden:
            raise VerslagFout("Vul de reden voor een nieuwe versie in.", "reden")
        with self._tx.transaction():
            verslag = self.get(verslag_id)
            if not verslag.definitief:
                raise VerslagFout("Alleen van een definitief verslag wordt een nieuwe versie gemaakt; dit concept kun "
                                  "je nog gewoon bewerken.")
            assert verslag.gebeurtenis_id is not None
            newer = [v for v in self.repo.for_gebeurtenis(verslag.gebeurtenis_id) if v.versie > verslag.versie]
            if newer:
                raise VerslagFout(f"Er is al een nieuwere versie van dit verslag (versie {newer[-1].versie}).")
            moment = now or dt.datetime.now(dt.UTC)
            new_id = self.repo.insert(replace(
                verslag, id=0, auteur=auteur, status=Status.CONCEPT, open=True, versie=verslag.versie + 1,
                vorige_id=verslag.id, reden=reden, aangemaakt=moment, opgeslagen=moment, afgerond_op=None,
                zegels={}, verstuurd_op=None, gearchiveerd_op={}, status_events={}, geexporteerd_op={},
            ))
        return Changes.of(c.VERSLAG, new_id, created=new_id)

    # ---- verstuurd and gearchiveerd ------------------------------------------------------------------------

    def zet_verstuurd(self, verslag_id: int, datum: dt.date | None, *, user: str,
                      today: dt.date | None = None) -> Changes:
        """The day the definitief verslag went to its receiver (None: not sent after all). Records the event
        that completes the procedure's step, so the terms follow."""
        with self._tx.transaction():
            verslag = self._definitief(verslag_id)
            if datum == verslag.verstuurd_op:
                return Changes.of(c.VERSLAG, verslag_id)
            self._check_datum(verslag, datum, "verstuurd", today)
            formulier = self.formulier(verslag)
            changes = self._trek_in(verslag, ["verstuurd"], "Datum verstuurd gewijzigd", user, today)
            events = {k: v for k, v in verslag.status_events.items() if k != "verstuurd"}
            kind = VERSTUURD_EVENT.get(formulier.ontvanger) if formulier.ontvanger is not None else None
            if datum is not None and kind is not None:
                event = new_event(kind, datum, {"gesprek": formulier.id, "bij": verslag.gebeurtenis_id}, user=user)
                changes = changes | self._record(verslag, event, today)
                events["verstuurd"] = event.id
            self.repo.update(replace(verslag, verstuurd_op=datum, status_events=events))
        return changes | Changes.of(c.VERSLAG, verslag_id)

    def zet_gearchiveerd(self, verslag_id: int, plek: VerslagBestemming, datum: dt.date | None, *, user: str,
                         today: dt.date | None = None) -> Changes:
        """The day the verslag was archived in the e-portfolio or the dossier opleider (None: not after all).
        The step that archives it in both is done when both have a date."""
        with self._tx.transaction():
            verslag = self._definitief(verslag_id)
            formulier = self.formulier(verslag)
            if plek not in formulier.bestemmingen:
                raise VerslagFout(f"Dit verslag gaat niet naar het {plek.label}.")
            if datum == verslag.gearchiveerd_op.get(plek):
                return Changes.of(c.VERSLAG, verslag_id)
            self._check_datum(verslag, datum, "gearchiveerd", today)
            dates = {p: d for p, d in verslag.gearchiveerd_op.items() if p is not plek}
            if datum is not None:
                dates[plek] = datum
            wanted = _archief_events(dates, formulier.bestemmingen)
            old_keys = sorted(k for k in verslag.status_events if k.startswith("archief"))
            traject = self.trajecten.get(verslag.traject_id)
            have = [(e.date, e.text("bestemming"))
                    for k in old_keys if (e := _event(traject, verslag.status_events[k])) is not None]
            changes = Changes()
            events = dict(verslag.status_events)
            if have != wanted:
                changes = self._trek_in(verslag, old_keys, "Archiefdatum van het verslag gewijzigd", user, today)
                for k in old_keys:
                    events.pop(k)
                for i, (day, bestemming) in enumerate(wanted):
                    event = new_event(EventKind.VERSLAG_GEARCHIVEERD, day, {
                        "gesprek": formulier.id, "bestemming": bestemming, "bij": verslag.gebeurtenis_id}, user=user)
                    changes = changes | self._record(verslag, event, today)
                    events[f"archief{i}"] = event.id
            self.repo.update(replace(verslag, gearchiveerd_op=dates, status_events=events))
        return changes | Changes.of(c.VERSLAG, verslag_id)

    def zet_status(
        self, verslag_id: int, *, verstuurd: dt.date | None | _Unchanged = UNCHANGED,
        gearchiveerd: Mapping[VerslagBestemming, dt.date | None] | None = None, user: str,
        today: dt.date | None = None,
    ) -> Changes:
        """Several of these dates as one change: all of them, or (refused) none. Sending comes before archiving,
        and clearing goes the other way round, as the steps follow each other."""
        archief = dict(gearchiveerd or {})
        changes = Changes()
        with self._tx.transaction():
            for plek in reversed(ARCHIEFPLEKKEN):
                if plek in archief and archief[plek] is None:
                    changes = changes | self.zet_gearchiveerd(verslag_id, plek, None, user=user, today=today)
            if not isinstance(verstuurd, _Unchanged):
                changes = changes | self.zet_verstuurd(verslag_id, verstuurd, user=user, today=today)
            for plek in ARCHIEFPLEKKEN:
                if archief.get(plek) is not None:
                    changes = changes | self.zet_gearchiveerd(verslag_id, plek, archief[plek], user=user,
                                                              today=today)
        return changes | Changes.of(c.VERSLAG, verslag_id)

    # ---- geëxporteerd ----------------------------------------------------------------------------------

    def zet_geexporteerd(self, geexporteerd: Mapping[int, Iterable[VerslagBestemming]], datum: dt.date) -> Changes:
        """The archive export wrote the documents of these verslagen for these places on `datum` (one transaction
        for the whole export). Only a note for the jaarassistent: the app cannot see the e-portfolio or the
        dossier, so no step of the procedure is done by it; gearchiveerd stays theirs to confirm after uploading."""
        with self._tx.transaction():
            for verslag_id, plekken in geexporteerd.items():
                verslag = self._definitief(verslag_id)
                bestemmingen = self.formulier(verslag).bestemmingen
                dates = dict(verslag.geexporteerd_op)
                for plek in plekken:
                    if plek not in bestemmingen:
                        raise VerslagFout(f"Dit verslag gaat niet naar het {plek.label}.")
                    dates[plek] = datum
                self.repo.update(replace(verslag, geexporteerd_op=dates))
        return Changes.of_ids(c.VERSLAG, geexporteerd)

    # ---- inside ----------------------------------------------------------------------------------------

    def _eigen_concept(self, verslag_id: int, auteur: str) -> Verslag:
        verslag = self.get(verslag_id)
        if verslag.definitief:
            raise VerslagFout(
                f"Dit verslag is definitief (afgerond op {_wanneer(verslag.afgerond_op)}) en kan niet meer worden "
                "bewerkt. Maak een nieuwe versie met een reden als het gecorrigeerd moet worden.")
        if verslag.auteur != _auteur(auteur):
            raise VerslagFout(f"Dit concept is van {verslag.auteur}; alleen de auteur kan het bewerken.")
        return verslag

    def _definitief(self, verslag_id: int) -> Verslag:
        verslag = self.get(verslag_id)
        if not verslag.definitief:
            raise VerslagFout("Rond het verslag eerst af: alleen een definitief verslag wordt verstuurd en "
                              "gearchiveerd.")
        return verslag

    def _check_datum(self, verslag: Verslag, datum: dt.date | None, wat: str, today: dt.date | None) -> None:
        if datum is None:
            return
        gesprek = verslag.datum(self.formulier(verslag))
        if gesprek is not None and datum < gesprek:
            raise VerslagFout(f"Een verslag kan niet {wat} zijn vóór het gesprek ({dutch_date(gesprek)}). Vul een "
                              f"datum op of na {dutch_date(gesprek)} in.", wat)
        if datum > (today or dt.date.today()):
            raise VerslagFout(f"De datum {wat} ({dutch_date(datum)}) ligt in de toekomst. Vul de dag in waarop "
                              f"het gebeurde.", wat)

    def _record(self, verslag: Verslag, event: TrajectEvent, today: dt.date | None) -> Changes:
        try:
            return self.trajecten.record_event(verslag.traject_id, event, today=today)
        except RuleError as exc:
            raise VerslagFout(str(exc)) from None

    def _trek_in(self, verslag: Verslag, keys: list[str], motivatie: str, user: str,
                 today: dt.date | None) -> Changes:
        changes = Changes()
        traject = self.trajecten.get(verslag.traject_id)
        for key in keys:
            event_id = verslag.status_events.get(key)
            if event_id is not None and _event(traject, event_id) is not None:
                changes = changes | self.trajecten.intrekken(verslag.traject_id, event_id, motivatie, user=user,
                                                             today=today)
        return changes

    def _trek_status_in(self, verslag: Verslag, motivatie: str, user: str, today: dt.date | None) -> Changes:
        """A new version resets verstuurd and gearchiveerd: the earlier version's events are withdrawn, so the
        steps are open again until the new version is sent and archived."""
        return self._trek_in(verslag, sorted(verslag.status_events), motivatie, user, today)


def _auteur(auteur: str) -> str:
    """The author's name as it is kept: as every name (core.personen.naam_tekst)."""
    naam, fout = naam_tekst(auteur)
    if fout is not None:
        raise VerslagFout(f"Je naam (de auteur van het verslag) {fout}.")
    if not naam:
        raise VerslagFout("Vul eerst je naam in: een verslag heeft een auteur.")
    return naam


# A page number no formulier comes near; beyond it the number is a mistake (and SQLite's integers end).
_PAGINA_MAX = 10_000


def _kort(value: object) -> str:
    text = repr(vrije_tekst(value) if isinstance(value, str) else value)
    return text if len(text) <= 60 else text[:57] + "..."


def antwoorden_bewaard(antwoorden: Mapping[str, object]) -> dict[str, JsonValue]:
    """A verslag's answers as they are kept: JSON values (text, whole and finite numbers, yes/no, lists and
    mappings of them), every text and key as events.vrije_tekst keeps free text (exactly as typed, but for a lone
    surrogate). Anything else is refused (VerslagFout): it could not be read back as it was given."""
    if not isinstance(antwoorden, Mapping):
        raise VerslagFout("De antwoorden van een verslag horen bij de vragen van het formulier.")
    return {vrije_tekst(str(k)): _antwoord(v) for k, v in antwoorden.items()}


def _antwoord(value: object) -> JsonValue:
    if isinstance(value, str):
        return vrije_tekst(value)
    if value is None or isinstance(value, (bool, int)):
        return value
    if isinstance(value, float) and math.isfinite(value):
        return value
    if isinstance(value, (list, tuple)):
        return [_antwoord(v) for v in value]
    if isinstance(value, Mapping):
        return antwoorden_bewaard(value)
    raise VerslagFout(f"Een antwoord kan niet worden bewaard ({_kort(value)}); vul het opnieuw in.")


def _wanneer(moment: dt.datetime | None) -> str:
    if moment is None:
        return "onbekend"
    local = moment.astimezone()
    return f"{dutch_date(local.date())} om {local:%H:%M}"


def _event(traject: Traject, event_id: str) -> TrajectEvent | None:
    return next((e for e in traject.effective_events if e.id == event_id), None)


def _event_data(formulier: GesprekFormulier, antwoorden: Mapping[str, JsonValue], kind: EventKind) -> dict[str,
                                                                                                        JsonValue]:
    """The data of one of the gesprek's events, from the answers its fields map to."""
    return {
        v.gebeurtenis[1]: antwoorden[v.id]
        for v in formulier.velden
        if v.gebeurtenis is not None and v.gebeurtenis[0] == kind.value and v.gevraagd(antwoorden)
        and not is_leeg(antwoorden.get(v.id))
    }


def _gesprek_events(formulier: GesprekFormulier, traject: Traject, gesprek: TrajectEvent) -> dict[str, TrajectEvent]:
    """The recorded events of one gesprek, by kind: the gesprek itself, and of each other kind it records (the
    uitkomst of a driehoeksgesprek) the first on or after its day and before the next gesprek of its kind."""
    events = list(traject.effective_events)
    start = events.index(gesprek)
    # By day; on the gesprek's own day only what was recorded after it.
    later = [e for i, e in enumerate(events) if e.date > gesprek.date or (e.date == gesprek.date and i > start)]
    result = {gesprek.kind.value: gesprek}
    for event in sorted(later, key=lambda e: e.date):
        if event.kind is gesprek.kind:
            break
        if event.kind in formulier.gebeurtenissen:
            result.setdefault(event.kind.value, event)
    return result


def _uit_gebeurtenissen(formulier: GesprekFormulier, traject: Traject, event: TrajectEvent, *,
                        tekst: bool = False) -> dict[str, JsonValue]:
    """The answers that the recorded gesprek fixes: its date and the choices its events carry (the uitkomst,
    the aios's choice), as they are now, after any correctie in the traject's history. A field whose event is not
    recorded yet is not fixed; nor is text, which the docent polishes in the verslag after recording (`tekst`:
    include it, to fill in a new verslag of a recorded gesprek)."""
    result: dict[str, JsonValue] = {formulier.datum_veld.id: event.date.isoformat()}
    recorded = _gesprek_events(formulier, traject, event)
    for veld in formulier.velden:
        if veld.gebeurtenis is None or veld.gebeurtenis[0] == "datum" or (veld.soort.is_tekst and not tekst):
            continue
        source = recorded.get(veld.gebeurtenis[0])
        value = source.data.get(veld.gebeurtenis[1]) if source is not None else None
        if value is not None:
            result[veld.id] = value
    return result


def _schuldig(formulier: GesprekFormulier, message: str) -> str:
    """The field a refusal of the recorded gesprek is about: one whose event field it names, else the date."""
    lower = message.lower()
    for veld in formulier.velden:
        if veld.gebeurtenis is None or veld.gebeurtenis[0] == "datum":
            continue
        spec = SCHEMAS[EventKind(veld.gebeurtenis[0])][veld.gebeurtenis[1]]
        if spec.label.lower() in lower:
            return veld.id
    return formulier.datum_veld.id


def _archief_events(dates: Mapping[VerslagBestemming, dt.date],
                    plekken: frozenset[VerslagBestemming]) -> list[tuple[dt.date, str]]:
    """The verslag_gearchiveerd events the archive dates stand for: the first place on its own day, and once
    every place has a date, 'beide' on the later day (that completes a step that archives in both)."""
    set_ = sorted(((d, p) for p, d in dates.items() if p in plekken), key=lambda x: (x[0], ARCHIEFPLEKKEN.index(x[1])))
    if not set_:
        return []
    if len(set_) == 1:
        return [(set_[0][0], set_[0][1].value)]
    first, last = set_[0], set_[-1]
    if first[0] == last[0]:
        return [(last[0], VerslagBestemming.BEIDE.value)]
    return [(first[0], first[1].value), (last[0], VerslagBestemming.BEIDE.value)]


__all__ = [
    "UNCHANGED",
    "antwoorden_bewaard",
    "EerderAntwoord",
    "VERSTUURD_EVENT",
    "GesprekContext",
    "VerslagFout",
    "VerslagRepository",
    "VerslagService",
]
