"""Fictitious gespreksverslagen for the demo store, of every gesprek of the procedure and in every state a verslag
has: a concept still being typed (offered again at the start), a prepared concept, a concept whose gesprek is
recorded, definitief, verstuurd, gearchiveerd in one place or in both, and corrected in a new version (still a
concept, or definitief again). The gesprekken the procedure keeps without a verslag (the calls after a
ziekmelding, the check-up, the overdracht to the new opleider, the kennismaking) get their record with its notes,
"Vastgelegd". One evaluatiegesprek with the aios carries the aios's reflectieverslag, a small text file kept as a
bijlage inside the store.

Written after the trajecten are stored, through the VerslagService with the demo's `today`, so the verslagen obey
the same rules as in the app: Voltooien records the gesprek in its traject (and is refused on a date the
procedure does not allow), verstuurd and gearchiveerd complete the procedure's steps. A gesprek already recorded
in a traject gets its verslag with `nieuw(..., gebeurtenis_id=...)`, so nothing is recorded twice; a gesprek held
since (a call, a check-up, the manager opleiders' contact a month after the ontkoppeling, the evaluatie two months
after the start with the new opleider) is recorded through its wizard, on a day the procedure allows, on every
other traject where it is due: the others keep the step open. Which state a verslag reaches follows from its
traject (how far it got) and a fixed rotation, so the demo holds each state and two demo stores read alike.

The docenten's verslagen are written by one fictitious docent (`demo_auteur`, a docent of the aios's groep): a
concept can only be edited by its author, and the demo's user plays that docent. The overdracht and the
kennismaking are recorded by an assistent manager opleiders, the contact with the ontkoppelde opleider by the
manager opleiders (Utrecht 5.2.1, 5.3.2).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Collection, Iterator, Mapping, Sequence
from itertools import cycle

from ontkoppel_desktop.core.personen import Aios, Naam
from ontkoppel_desktop.core.procedure import EventKind, Traject, TrajectEvent
from ontkoppel_desktop.core.procedure.definition import VerslagBestemming
from ontkoppel_desktop.core.procedure.events import JsonValue
from ontkoppel_desktop.core.procedure.rules import besluit_ontkoppeling
from ontkoppel_desktop.core.procedure.traject import Startreden
from ontkoppel_desktop.core.rollen import Rol
from ontkoppel_desktop.core.verslagen import (
    ARCHIEFPLEKKEN,
    GesprekFormulier,
    VeldSoort,
    Verslag,
    VerslagService,
    as_date,
    is_leeg,
)
from ontkoppel_desktop.core.verslagen.bijlagen import BijlageService
from ontkoppel_desktop.demo import teksten as t
from ontkoppel_desktop.demo.werkdagen import werkdag_na, werkdag_voor
from ontkoppel_desktop.store.store import Store

E_PORTFOLIO = VerslagBestemming.E_PORTFOLIO
DOSSIER = VerslagBestemming.DOSSIER_OPLEIDER

# The gesprek each wizard records (with its verslag, or its notes), by the event that records it.
GESPREKKEN: Mapping[EventKind, str] = {
    EventKind.TELEFONISCH_CONTACT: "contact_na_ziekmelding",
    EventKind.DRIEHOEKSGESPREK: "driehoeksgesprek",
    EventKind.CHECK_UP: "check_up",
    EventKind.KANDIDAAT_OPLEIDER: "match_nieuwe_opleider",
    EventKind.KENNISMAKINGSGESPREK: "kennismakingsgesprek",
    EventKind.EVALUATIEGESPREK_AIOS: "evaluatie_aios",
    EventKind.EVALUATIEGESPREK_OPLEIDER: "evaluatie_opleider",
    EventKind.CONTACT_MANAGER_OPLEIDERS: "contact_manager_opleiders",
    EventKind.EVALUATIEGESPREK_NIEUWE_OPLEIDER: "evaluatie_nieuwe_opleider",
}
_NIEUWE_OPLEIDER = frozenset({EventKind.KANDIDAAT_OPLEIDER, EventKind.KENNISMAKINGSGESPREK,
                              EventKind.NIEUWE_KOPPELING_BEVESTIGD})
_VERSLAG_EVENTS = frozenset({EventKind.VERSLAG_NAAR_JAARASSISTENT, EventKind.VERSLAG_NAAR_ASSISTENT_MANAGER_OPLEIDERS,
                             EventKind.VERSLAG_GEARCHIVEERD})
# Who records a gesprek other than the docenten's (Utrecht 5.2.1, 5.3.2).
_DOOR: Mapping[str, Rol] = {
    "match_nieuwe_opleider": Rol.ASSISTENT_MANAGER_OPLEIDERS,
    "kennismakingsgesprek": Rol.ASSISTENT_MANAGER_OPLEIDERS,
    "contact_manager_opleiders": Rol.MANAGER_OPLEIDERS,
}


def demo_auteur(store: Store) -> str:
    """The docent who writes the demo's verslagen: the huisarts-docent of the groep whose aios have the most
    trajecten (the docenten of the aios guide the traject and write its verslagen)."""
    personen = store.personen
    groep_van = {a.id: a.groep_id for a in personen.aios(archief=True)}
    per_groep = Counter(groep_van.get(t.aios_id) for t in store.trajecten.all())
    groepen = sorted((g for g in personen.groepen(archief=True) if g.huisarts_docent_id is not None),
                     key=lambda g: (-per_groep[g.id], g.id or 0))
    docent_id = groepen[0].huisarts_docent_id if groepen else None
    docenten = personen.docenten(archief=True, ids=[docent_id]) if docent_id is not None else []
    return docenten[0].naam.volledig if docenten else "Docent (demo)"


def vul_verslagen(store: Store, today: dt.date, auteur: str, *, traject_ids: Collection[int] | None = None) -> int:
    """Write the verslagen of the open trajecten (all, or `traject_ids`) and return how many were written.

    A gesprek whose verslag the traject already records as sent or archived (written before the verslagen,
    as the bench's trajecten are) gets a verslag that records nothing more: definitief if it can be, else a
    concept. Runs in one transaction."""
    schrijver = _Demo(store, today, auteur)
    with store.transactions.transaction():
        trajecten = store.trajecten.all()
        for traject in sorted(trajecten, key=lambda x: x.id or 0):
            if traject.id is not None and (traject_ids is None or traject.id in traject_ids):
                schrijver.traject(traject)
    return schrijver.geschreven


def _moment(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=dt.UTC)


def _voornaam(naam: Naam | None) -> str:
    return naam.voornaam if naam is not None else ""


class _Demo:
    def __init__(self, store: Store, today: dt.date, auteur: str) -> None:
        self.svc: VerslagService = store.verslagen
        self.bijlagen: BijlageService = store.bijlagen
        self.today = today
        self.auteur = auteur
        self.geschreven = 0
        personen = store.personen
        self.aios: dict[int, Aios] = {a.id: a for a in personen.aios(archief=True) if a.id is not None}
        self.opleiders: dict[int, Naam] = {o.id: o.naam for o in personen.opleiders(archief=True) if o.id is not None}
        medewerkers = sorted(personen.medewerkers(), key=lambda m: m.id or 0)
        self.jaarassistenten: dict[int | None, str] = {
            m.opleidingsjaar: m.naam.volledig for m in medewerkers if m.rol is Rol.JAARASSISTENT
        }
        # The first of each role: the manager opleiders, an assistent manager opleiders (without one: the docent).
        self.medewerkers: dict[Rol, str] = {}
        for m in medewerkers:
            self.medewerkers.setdefault(m.rol, m.naam.volledig)
        # Rotations: which state the next verslag of each kind of situation reaches.
        self.open_gegeven = False
        self.reflectie_gegeven = False
        self.zonder_gesprek: Iterator[str] = cycle(("voltooid", "concept"))
        self.eerder_gesprek: Iterator[str] = cycle(("archief_beide", "v2_definitief"))
        self.na_besluit: Iterator[str] = cycle(("archief_een", "archief_beide"))
        self.laatste_gesprek: Iterator[str] = cycle(("voltooid", "definitief"))
        self.evaluatie_aios: Iterator[str] = cycle(("archief_beide", "v2_concept"))
        self.evaluatie_nieuw: Iterator[str] = cycle(("verstuurd", "archief_beide"))
        # Whether a gesprek due on a traject was held since (recorded through its wizard), or is still to come.
        self.opleider_gebeld: Iterator[bool] = cycle((True, False))
        self.check_up: Iterator[bool] = cycle((True, False))
        self.contact: Iterator[bool] = cycle((True, False))

    # ---- one traject ----------------------------------------------------------------------------------

    def traject(self, traject: Traject) -> None:
        if traject.closed:
            return  # a closed traject takes no new verslag
        events = traject.effective_events
        al_vastgelegd = {e.text("gesprek") for e in events if e.kind in _VERSLAG_EVENTS and not e.text("bij")}
        gesprekken = [e for e in events if e.kind in GESPREKKEN]
        driehoek = [e for e in gesprekken if e.kind is EventKind.DRIEHOEKSGESPREK]
        besluit = besluit_ontkoppeling(traject)
        gestart = next((e for e in reversed(events) if e.kind is EventKind.NIEUWE_KOPPELING_GESTART), None)
        formulieren = self.svc.formulieren(traject)
        if not driehoek:
            if not self.open_gegeven:
                self.open_gegeven = True
                self._zonder_gesprek(traject, "open")
            else:
                self._zonder_gesprek(traject, next(self.zonder_gesprek))
        for event in gesprekken:
            gesprek = GESPREKKEN[event.kind]
            formulier = formulieren.get(gesprek)
            if formulier is None:
                continue  # a procedure version without this wizard
            if not formulier.heeft_verslag:
                self._vastgelegd(traject, formulier, event, event.date)
            elif gesprek in al_vastgelegd:
                self._verslag(traject, gesprek, event, event.date, "al_vastgelegd")
            elif event.kind is EventKind.DRIEHOEKSGESPREK:
                if event is not driehoek[-1]:
                    self._verslag(traject, gesprek, event, event.date, next(self.eerder_gesprek))
                elif _uitkomst(traject, event) != "advies_ontkoppeling":
                    self._verslag(traject, gesprek, event, event.date, next(self.laatste_gesprek))
                elif besluit is None:
                    self._verslag(traject, gesprek, event, event.date, "verstuurd")
                else:
                    self._verslag(traject, gesprek, event, event.date, next(self.na_besluit), besluit=besluit)
            elif event.kind is EventKind.EVALUATIEGESPREK_AIOS:
                self._verslag(traject, gesprek, event, event.date, next(self.evaluatie_aios))
            elif event.kind is EventKind.EVALUATIEGESPREK_OPLEIDER:
                self._verslag(traject, gesprek, event, event.date, "archief_beide" if gestart else "verstuurd")
            else:
                self._verslag(traject, gesprek, event, event.date, "archief_beide")
        if besluit is not None and not any(e.kind is EventKind.EVALUATIEGESPREK_AIOS for e in gesprekken):
            # Ontkoppeld, the evaluatiegesprek with the aios not yet held: the docent prepares its verslag.
            self._verslag(traject, "evaluatie_aios", None, werkdag_na(self.today + dt.timedelta(days=2)), "concept")
        self._sindsdien(traject, events, formulieren, besluit, gestart)

    def _sindsdien(self, traject: Traject, events: Sequence[TrajectEvent], formulieren: Mapping[str, GesprekFormulier],
                   besluit: TrajectEvent | None, gestart: TrajectEvent | None) -> None:
        """Gesprekken the traject does not record yet, held since on a day the procedure allows and recorded
        through their wizard; on every other traject where one is due it is still to come (the step stays open)."""
        kinds = {e.kind for e in events}
        dag = dt.timedelta(days=1)
        gebeld = [e for e in events if e.kind is EventKind.TELEFONISCH_CONTACT]
        met = {m for e in gebeld for m in _lijst(e.data.get("met"))}
        # 5.1: the docenten call the aios and the opleider within a week of the ziekmelding.
        if gebeld and "opleider" not in met and "contact_na_ziekmelding" in formulieren \
                and werkdag_na(gebeld[-1].date + dag) <= self.today and next(self.opleider_gebeld):
            self._vastgelegd(traject, formulieren["contact_na_ziekmelding"], None, werkdag_na(gebeld[-1].date + dag),
                             met=["opleider"])
        # 5.3.2: a short check-up with the opleider about a week after the driehoeksgesprek.
        driehoek = next((e for e in events if e.kind is EventKind.DRIEHOEKSGESPREK), None)
        if driehoek is not None and EventKind.CHECK_UP not in kinds and "check_up" in formulieren \
                and werkdag_na(driehoek.date + 7 * dag) <= self.today and next(self.check_up):
            self._vastgelegd(traject, formulieren["check_up"], None, werkdag_na(driehoek.date + 7 * dag))
        # 5.3.2: the manager opleiders call the ontkoppelde opleider about a month after the ontkoppeling.
        if besluit is not None and EventKind.CONTACT_MANAGER_OPLEIDERS not in kinds \
                and "contact_manager_opleiders" in formulieren and werkdag_na(besluit.date + 30 * dag) <= self.today \
                and next(self.contact):
            self._verslag(traject, "contact_manager_opleiders", None, werkdag_na(besluit.date + 30 * dag),
                          "verstuurd")
        # 5.3.1: the evaluatiegesprek with the new opleider about 2 months (7 to 9 weeks) after the start.
        if gestart is not None and EventKind.EVALUATIEGESPREK_NIEUWE_OPLEIDER not in kinds \
                and "evaluatie_nieuwe_opleider" in formulieren and werkdag_na(gestart.date + 49 * dag) <= self.today:
            self._verslag(traject, "evaluatie_nieuwe_opleider", None, werkdag_na(gestart.date + 49 * dag),
                          next(self.evaluatie_nieuw))

    def _zonder_gesprek(self, traject: Traject, doel: str) -> None:
        """A driehoeksgesprek not yet recorded: typed during today's gesprek, prepared for one in a few days, or
        held yesterday and recorded through Voltooien."""
        if doel == "open":
            day = werkdag_voor(self.today)
        elif doel == "concept":
            day = werkdag_na(self.today + dt.timedelta(days=3))
        else:
            day = max(traject.start_date, werkdag_voor(self.today - dt.timedelta(days=1)))
        self._verslag(traject, "driehoeksgesprek", None, day, doel)

    # ---- a gesprek without a verslag ----------------------------------------------------------------------

    def _vastgelegd(self, traject: Traject, formulier: GesprekFormulier, event: TrajectEvent | None, day: dt.date,
                    **vast: JsonValue) -> None:
        """The record of a gesprek the procedure keeps without a verslag, with the notes typed in its wizard:
        "Vastgelegd". Of a gesprek the traject records, written from that event (its notes are the event's, so
        the two agree); else recorded through Voltooien, which records the gesprek (`vast`: what was chosen)."""
        assert traject.id is not None
        svc, auteur = self.svc, self._auteur(formulier.id)
        op = min(self.today, day)
        created = svc.nieuw(traject.id, formulier.id, auteur=auteur, gebeurtenis_id=event.id if event else None,
                            today=day, now=_moment(op, 15, 0)).created
        assert isinstance(created, int)
        self.geschreven += 1
        verslag = svc.get(created)
        antwoorden = dict(verslag.antwoorden)
        for veld_id, value in vast.items():
            antwoorden.setdefault(veld_id, value)
        s = self._schrijver(traject, formulier.id, _sleutel(traject, event.id if event is not None else None, day))
        for veld_id, value in self._notities(traject, formulier, antwoorden, s).items():
            # What the recorded gesprek says stays as it is; only what it left empty is typed.
            if formulier.heeft_veld(veld_id) and is_leeg(antwoorden.get(veld_id)):
                antwoorden[veld_id] = value
        svc.bewaar(created, antwoorden, len(formulier.paginas) - 1, auteur=auteur, open_=False,
                   now=_moment(op, 15, 12))
        if event is None:
            svc.voltooien(created, user=auteur, today=self.today)

    def _notities(self, traject: Traject, formulier: GesprekFormulier, antwoorden: Mapping[str, JsonValue],
                  s: t.Schrijver) -> dict[str, JsonValue]:
        """What is typed in the wizard of a gesprek without a verslag. The notes on the traject's events name no
        one (they are written with the trajecten); these are composed the same way."""
        sleutel = f"{traject.id}-{formulier.id}-{antwoorden.get(formulier.datum_veld.id)}"
        if formulier.id == "contact_na_ziekmelding":
            opleider = "opleider" in _lijst(antwoorden.get("met"))
            return {"notitie": t.notitie(t.TELEFOON_OPLEIDER if opleider else t.TELEFOON_AIOS, sleutel),
                    "driehoeksgesprek_gepland": s.rng.choice(t.DRIEHOEKSGESPREK_GEPLAND)}
        if formulier.id == "check_up":
            # A check-up followed by a new driehoeksgesprek called for one.
            dag = as_date(antwoorden.get(formulier.datum_veld.id))
            vervolg = dag is not None and any(e.kind is EventKind.DRIEHOEKSGESPREK and e.date > dag
                                              for e in traject.effective_events)
            return {"notitie": t.notitie(t.CHECK_UP_ZORG if vervolg else t.CHECK_UP_GOED, sleutel),
                    "vervolg_nodig": vervolg}
        if formulier.id == "match_nieuwe_opleider":
            gebieden = [v.id.removesuffix("_laat_zien") for v in formulier.velden if v.id.endswith("_laat_zien")]
            return {"situatie": t.notitie(t.SITUATIE, sleutel), **s.competenties(gebieden),
                    "begeleiding": s.lijst(t.BEGELEIDING, 2, 3)}
        if formulier.id == "kennismakingsgesprek":
            return {"aios_ja": True, "opleider_ja": True, "notitie": t.notitie(t.KENNISMAKING, sleutel, 1, 2)}
        return {}

    # ---- one verslag -----------------------------------------------------------------------------------

    def _verslag(self, traject: Traject, gesprek: str, event: TrajectEvent | None, day: dt.date, doel: str, *,
                 besluit: TrajectEvent | None = None) -> None:
        assert traject.id is not None
        svc, auteur = self.svc, self._auteur(gesprek)
        # Written on the day of the gesprek, or the working day after it; a concept for a gesprek still to come
        # on the last working day.
        geschreven_op = werkdag_voor(min(self.today, day if event is None else werkdag_na(day + dt.timedelta(days=1))))
        vid = svc.nieuw(traject.id, gesprek, auteur=auteur, gebeurtenis_id=event.id if event else None,
                        today=day, now=_moment(geschreven_op, 8 if event is None else 16, 30))
        assert isinstance(vid.created, int)
        verslag_id = vid.created
        self.geschreven += 1
        verslag = svc.get(verslag_id)
        formulier = svc.formulier(verslag)
        antwoorden = self._antwoorden(traject, formulier, verslag, half=doel == "open")
        laatste = len(formulier.paginas) - 1
        bewaard = _moment(min(self.today, max(day, geschreven_op)), 17, 10)
        if doel == "open":
            # Typed during today's gesprek when the laptop stopped: halfway, offered again at the start.
            svc.bewaar(verslag_id, antwoorden, 2, auteur=auteur, open_=True, now=_moment(self.today, 10, 47))
            return
        svc.bewaar(verslag_id, antwoorden, laatste if event is not None else 1, auteur=auteur, open_=False,
                   now=bewaard)
        if doel == "concept":
            return
        if not self.reflectie_gegeven and gesprek == "evaluatie_aios":
            self.reflectie_gegeven = self._reflectieverslag(traject, formulier, verslag_id, auteur, bewaard)
        if event is None:
            svc.voltooien(verslag_id, user=auteur, today=self.today)
        if doel == "voltooid" or svc.problemen(svc.get(verslag_id)):
            # A gesprek recorded without its uitkomst on the same day (before the verslagen existed): the
            # service keeps the recorded answers fixed, the uitkomst stays empty and it is required.
            return
        if doel == "al_vastgelegd":
            svc.afronden(verslag_id, user=auteur, today=self.today, now=_moment(geschreven_op, 16, 45))
            return
        if doel == "definitief":
            af = self._dag(day, 8, minimum=day)
            svc.afronden(verslag_id, user=auteur, today=self.today, now=_moment(af, 15, 20))
            return
        verstuurd = self._dag(day, 3 if gesprek == "driehoeksgesprek" else 2, minimum=day)
        if gesprek == "evaluatie_aios":
            verstuurd = self._dag(day, 1, minimum=day)
        svc.afronden(verslag_id, user=auteur, today=self.today, now=_moment(verstuurd, 9, 5))
        svc.zet_verstuurd(verslag_id, verstuurd, user=auteur, today=self.today)
        if doel == "verstuurd":
            return
        archivaris = self._archivaris(traject, formulier)
        if doel == "archief_een":
            assert besluit is not None
            svc.zet_gearchiveerd(verslag_id, E_PORTFOLIO, self._dag(besluit.date, 2, minimum=verstuurd),
                                 user=archivaris, today=self.today)
            return
        if besluit is not None:
            # The verslag with the advies, archived by the jaarassistent once the besluit was taken.
            op = self._dag(besluit.date, 2, minimum=verstuurd)
            plekken = {E_PORTFOLIO: op, DOSSIER: op}
        elif gesprek == "evaluatie_aios":
            plekken = {E_PORTFOLIO: self._dag(day, 9, minimum=verstuurd),
                       DOSSIER: self._dag(day, 10, minimum=verstuurd)}
        elif gesprek == "evaluatie_opleider":
            op = self._dag(day, 4, minimum=verstuurd)
            plekken = {E_PORTFOLIO: op, DOSSIER: op}
        else:
            plekken = {E_PORTFOLIO: self._dag(day, 5, minimum=verstuurd),
                       DOSSIER: self._dag(day, 6, minimum=verstuurd)}
        # Only where this gesprek's verslagen go: the contact's in the dossier, the last evaluatie's in the
        # e-portfolio.
        plekken = {plek: op for plek, op in plekken.items() if plek in formulier.bestemmingen}
        for plek, op in plekken.items():
            svc.zet_gearchiveerd(verslag_id, plek, op, user=archivaris, today=self.today)
        if doel in ("v2_definitief", "v2_concept"):
            self._nieuwe_versie(traject, verslag_id, max(plekken.values()), definitief=doel == "v2_definitief")

    def _reflectieverslag(self, traject: Traject, formulier: GesprekFormulier, verslag_id: int, auteur: str,
                          moment: dt.datetime) -> bool:
        """The aios's reflectieverslag, a small text file, kept with the verslag of the evaluatiegesprek (inside
        the store, its SHA-256 in the answer, so the seal covers it). False if the questions ask for none."""
        verslag = self.svc.get(verslag_id)
        veld = next((v for v in formulier.velden if v.soort is VeldSoort.BIJLAGE and v.gevraagd(verslag.antwoorden)),
                    None)
        if veld is None:
            return False
        s = self._schrijver(traject, "reflectieverslag", verslag_id)
        naam = f"Reflectieverslag {s.namen['aios']}.txt"
        self.bijlagen.toevoegen(verslag_id, veld.id, naam, s.reflectieverslag().encode("utf-8"), auteur=auteur,
                                now=moment)
        return True

    def _nieuwe_versie(self, traject: Traject, verslag_id: int, na: dt.date, *, definitief: bool) -> None:
        """A correction some days after archiving: the earlier version stays readable, the new one carries its
        reden; definitief again, or still a concept being corrected."""
        svc, auteur = self.svc, self.svc.get(verslag_id).auteur
        schrijver = self._schrijver(traject, "versie", verslag_id)
        gemaakt = self._dag(na, 2, minimum=na)
        reden = schrijver.rng.choice(t.REDENEN_NIEUWE_VERSIE)
        created = svc.nieuwe_versie(verslag_id, reden, auteur=auteur, now=_moment(gemaakt, 11, 0)).created
        assert isinstance(created, int)
        self.geschreven += 1
        v2 = svc.get(created)
        formulier = svc.formulier(v2)
        veld = next(v for v in formulier.velden if v.soort.value == "tekst" and v.gebeurtenis is None
                    and isinstance(v2.antwoorden.get(v.id), str) and v.id != "aanwezigen")
        antwoorden = dict(v2.antwoorden)
        antwoorden[veld.id] = f"{antwoorden[veld.id]}\n\n{schrijver.aanvulling()}"
        svc.bewaar(created, antwoorden, formulier.pagina_van(veld.id), auteur=auteur, open_=False,
                   now=_moment(gemaakt, 11, 25))
        if not definitief:
            return
        op = self._dag(gemaakt, 1, minimum=gemaakt)
        svc.afronden(created, user=auteur, today=self.today, now=_moment(op, 9, 40))
        svc.zet_verstuurd(created, op, user=auteur, today=self.today)
        archivaris = self._archivaris(traject, formulier)
        archief = self._dag(op, 1, minimum=op)
        for plek in sorted(formulier.bestemmingen, key=ARCHIEFPLEKKEN.index):
            svc.zet_gearchiveerd(created, plek, archief, user=archivaris, today=self.today)

    # ---- the texts -------------------------------------------------------------------------------------

    def _schrijver(self, traject: Traject, gesprek: str, sleutel: object) -> t.Schrijver:
        aios = self.aios.get(traject.aios_id)
        nieuw = next((n for e in reversed(traject.effective_events) if e.kind in _NIEUWE_OPLEIDER
                      and (n := e.number("opleider_id")) is not None), None)
        return t.Schrijver(
            f"{traject.id}-{gesprek}-{sleutel}", t.thema(traject.categorie, traject.aios_id),
            _voornaam(aios.naam if aios is not None else None), _voornaam(self.opleiders.get(traject.opleider_id)),
            _voornaam(self.opleiders.get(nieuw) if nieuw is not None else None),
        )

    def _antwoorden(self, traject: Traject, formulier: GesprekFormulier, verslag: Verslag,
                    *, half: bool) -> dict[str, JsonValue]:
        """What the docent typed. Answers that the recorded gesprek fixed (its date, the uitkomst) stay as
        they are: the wizard shows them read-only."""
        s = self._schrijver(traject, formulier.id, _sleutel(traject, verslag.gebeurtenis_id, verslag.id))
        nieuw: dict[str, JsonValue] = {"plaats": s.plaats()} if formulier.heeft_veld("plaats") else {}
        if formulier.id == "driehoeksgesprek":
            nieuw |= {
                "initiatief": _initiatief(traject.startreden),
                "aanleiding": s.aanleiding(),
                "perspectief_aios": s.zinnen(s.thema.aios),
                "perspectief_opleider": s.zinnen(s.thema.opleider),
                "afspraken": s.afspraken(),
                "uitkomst": "geen_ontkoppeling",
                "aandachtspunten": s.lijst(s.thema.aandachtspunten),
            }
            if verslag.antwoorden.get("uitkomst") == "advies_ontkoppeling":
                nieuw["argumentatie"] = s.zinnen(s.thema.argumentatie, 2, 3)
            if half:
                # Page 3 (perspectieven) halfway: the opleider's side not yet typed, no afspraken.
                for veld in ("perspectief_opleider", "afspraken", "uitkomst", "aandachtspunten"):
                    nieuw.pop(veld)
        elif formulier.id == "evaluatie_aios":
            nieuw |= {
                "reflectieverslag_ontvangen": True,
                "eigen_rol": s.zinnen(t.EIGEN_ROL_AIOS, 2, 4),
                "leerpunten": s.lijst(t.LEERPUNTEN_AIOS),
                "afspraken": s.lijst(t.AFSPRAKEN_NIEUWE_PRAKTIJK),
                "aandachtspunten_opleider": s.lijst(t.AANDACHTSPUNTEN_VOOR_OPLEIDER, 2, 3),
                "reflectie_in_eportfolio": s.rng.random() < 0.7,
            }
        elif formulier.id == "contact_manager_opleiders":
            nieuw |= {
                "beleving": s.zinnen(t.BELEVING_CONTACT, 2, 3),
                "verwerking": s.zinnen(t.VERWERKING, 2, 3),
                "vooruit": s.zinnen(t.VOORUIT, 2, 3),
                "klaar_voor_aios": True,
            }
        elif formulier.id == "evaluatie_nieuwe_opleider":
            leert = s.rng.random() < 0.75
            nieuw |= {
                "stand_leerpunten": s.zinnen(t.STAND_LEERPUNTEN, 2, 4),
                "evaluatie": s.zinnen(t.EVALUATIE_NIEUWE_PRAKTIJK, 2, 4),
                "afspraken": s.lijst(t.AFSPRAKEN_NA_EVALUATIE, 2, 3),
                "leert_voldoende": leert,
            }
            if not leert:
                nieuw["nazorg_toelichting"] = s.zinnen(t.NAZORG, 2, 3)
        elif formulier.id == "evaluatie_opleider":
            nieuw |= {
                "reflectieverslag_ontvangen": True,
                "eigen_rol": s.zinnen(t.EIGEN_ROL_OPLEIDER, 2, 4),
                "beleving": s.zinnen(t.BELEVING, 2, 3),
                "leerpunten_opleider": s.lijst(t.LEERPUNTEN_OPLEIDER),
                "aandachtspunten_aios": s.lijst(t.AANDACHTSPUNTEN_AIOS),
                "toelichting_aios": s.zinnen(t.TOELICHTING_AIOS, 2, 3),
            }
        antwoorden = dict(verslag.antwoorden)
        for veld_id, value in nieuw.items():
            if verslag.voltooid and formulier.veld(veld_id).gebeurtenis is not None:
                continue
            antwoorden[veld_id] = value
        return antwoorden

    # ---- dates and people ----------------------------------------------------------------------------------

    def _dag(self, day: dt.date, days: int, *, minimum: dt.date) -> dt.date:
        """`days` after `day` (or the working day before it), but not after the demo's today (nothing is
        recorded in the future) and not before `minimum`."""
        return max(minimum, werkdag_voor(min(self.today, day + dt.timedelta(days=days))))

    def _auteur(self, gesprek: str) -> str:
        """Who records the gesprek: the docent, or for their own gesprekken the (assistent) manager opleiders."""
        rol = _DOOR.get(gesprek)
        return self.medewerkers.get(rol, self.auteur) if rol is not None else self.auteur

    def _archivaris(self, traject: Traject, formulier: GesprekFormulier) -> str:
        """Who archives the verslag: its receiver, the jaarassistent of the aios's year or the assistent manager
        opleiders (the contact with the ontkoppelde opleider, for the dossier)."""
        if formulier.ontvanger is Rol.ASSISTENT_MANAGER_OPLEIDERS:
            return self.medewerkers.get(Rol.ASSISTENT_MANAGER_OPLEIDERS, self.auteur)
        aios = self.aios.get(traject.aios_id)
        jaar = aios.opleidingsjaar if aios is not None else None
        return self.jaarassistenten.get(jaar) or next(iter(self.jaarassistenten.values()), self.auteur)


def _uitkomst(traject: Traject, gesprek: TrajectEvent) -> str:
    """The uitkomst recorded for a driehoeksgesprek: the first after it (before a next gesprek)."""
    later = False
    for event in traject.effective_events:
        if event.id == gesprek.id:
            later = True
        elif later and event.kind is EventKind.DRIEHOEKSGESPREK:
            break
        elif later and event.kind is EventKind.UITKOMST:
            return event.text("uitkomst") or ""
    return ""


def _sleutel(traject: Traject, gebeurtenis_id: str | None, anders: object) -> object:
    """What fixes a text's sentences: the recorded gesprek's place in its traject (an event's id is new in every
    store), else `anders`; so that two demo stores read alike."""
    plek = next((i for i, e in enumerate(traject.effective_events) if e.id == gebeurtenis_id), None)
    return f"g{plek}" if plek is not None else anders


def _lijst(value: JsonValue) -> list[str]:
    return [str(v) for v in value] if isinstance(value, list) else []


def _initiatief(reden: Startreden) -> str:
    return {Startreden.SIGNAAL_AIOS: "aios", Startreden.SIGNAAL_OPLEIDER: "opleider"}.get(reden, "docenten")


__all__ = ["GESPREKKEN", "demo_auteur", "vul_verslagen"]
