"""The crash test's two sides, one protocol: a child process that writes through the real services and says what
it committed, and the driver that kills it with SIGKILL at random moments and checks the store after each kill.

tests/faults/test_crash_kill.py runs it about 20 times per kind; tools/fault_kill.py 100 times and more, with figures.

The child, `python -m tests.faults.crash_child schrijven|wachtwoord|wachtwoord-halt STORE [N]` with the wachtwoord
(and for a change the other one) on stdin, prints "ready" once the store is open, "begin <json>" before every write
(what it may change) and "ok <json>" once the write is committed. A kill may come at any moment. What was
acknowledged must be in the store exactly; the one write in flight may be there or not; nothing else may change.

The store is read as *slots*: one "kind:id" per record, whose value is every field of it (an event is
"event:<traject>#<n>", append-only). The child acknowledges a write with the slots of its case read back after the
commit, so the driver compares like with like and a record nobody acknowledged shows up as a slot too many.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import random
import re
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from functools import partial
from pathlib import Path

from ontkoppel_desktop import paths
from ontkoppel_desktop.core import changes as c
from ontkoppel_desktop.core.koppelplanner.ronde import OpleiderStatus
from ontkoppel_desktop.core.personen import (
    Aios,
    Docent,
    DocentSoort,
    Groep,
    Koppeling,
    Medewerker,
    Naam,
    Opleider,
    Praktijk,
)
from ontkoppel_desktop.core.procedure import Categorie, EventKind, Startreden
from ontkoppel_desktop.core.procedure.traject import Traject
from ontkoppel_desktop.core.rollen import Rol
from ontkoppel_desktop.core.verslagen.verslag import Verslag
from ontkoppel_desktop.store.keys import SleutelFout
from ontkoppel_desktop.store.rondes import SqlRondeRepository, bord_to_json, ronde_to_json
from ontkoppel_desktop.store.store import Store
from tests.conftest import FAST_KDF

ROOT = Path(__file__).resolve().parents[2]
# The crash test's markers; the plaintext scan writes the same cases with its own.
PREFIX = "ZKILL"
# A second wachtwoord for the change run, as strong as the tests' own.
ANDER_WACHTWOORD = "Ander-paard-batterij-8"
# "kind:id" -> every field of that record, as text.
Slots = dict[str, str]


# ---- reading the store as slots --------------------------------------------------------------------------------


def _json(value: object) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False, default=str)


def _sha(data: bytes | str) -> str:
    return hashlib.sha256(data.encode("utf-8") if isinstance(data, str) else data).hexdigest()


def _naam(n: Naam) -> str:
    return f"{n.voornaam}|{n.tussenvoegsel}|{n.achternaam}"


def _traject_slots(t: Traject) -> Slots:
    out = {f"traject:{t.id}": f"{t.koppeling_id}|{t.aios_id}|{t.opleider_id}|{t.startreden}|{t.categorie}|"
                              f"{len(t.events)}"}
    for i, e in enumerate(t.events):
        out[f"event:{t.id}#{i}"] = f"{e.id}|{e.kind}|{e.date}|{e.user}|{e.recorded_at}|{_json(e.data)}"
    return out


def _verslag_slots(store: Store, v: Verslag) -> Slots:
    out = {f"verslag:{v.id}": (
        f"{v.traject_id}|{v.gesprek}|{v.auteur}|{v.status}|{v.gebeurtenis_id}|{v.versie}|{v.open}|{v.pagina}|"
        f"{v.opgeslagen}|{v.afgerond_op}|{_json(dict(v.zegels))}|{_json(dict(v.antwoorden))}")}
    for b in store.bijlagen.van_verslag(v.id):
        # The content read back and checked against its SHA-256 by the service itself.
        out[f"bijlage:{b.id}"] = f"{b.verslag_id}|{b.veld}|{b.naam}|{b.grootte}|{b.sha256}|" + _sha(
            store.bijlagen.inhoud(b.id))
    return out


def _ronde_slot(repo: SqlRondeRepository, ronde_id: int) -> Slots:
    ronde, bord = repo.get(ronde_id)
    naam = next(r.naam for r in repo.list() if r.id == ronde_id)
    return {f"ronde:{ronde_id}": f"{naam}|{_sha(ronde_to_json(ronde))}|{_sha(bord_to_json(bord)) if bord else ''}"}


def _personen_slots(store: Store, ids: dict[str, list[int]] | None) -> Slots:
    """Every person-like record (or, with `ids`, those of each kind), as slots."""
    p = store.personen

    def which(kind: str) -> list[int] | None:
        return None if ids is None else ids.get(kind, [])

    out: Slots = {}
    for pr in p.praktijken(archief=True, ids=which("praktijk")):
        out[f"praktijk:{pr.id}"] = f"{pr.naam}|{pr.plaats}|{pr.gearchiveerd}"
    for d in p.docenten(archief=True, ids=which("docent")):
        out[f"docent:{d.id}"] = f"{_naam(d.naam)}|{d.soort}|{d.email}|{d.gearchiveerd}"
    for g in p.groepen(archief=True, ids=which("groep")):
        out[f"groep:{g.id}"] = (f"{g.naam}|{g.opleidingsjaar}|{g.huisarts_docent_id}|"
                                f"{g.gedragswetenschapper_docent_id}|{g.gearchiveerd}")
    for m in p.medewerkers(archief=True, ids=which("medewerker")):
        out[f"medewerker:{m.id}"] = f"{_naam(m.naam)}|{m.rol}|{m.opleidingsjaar}|{m.email}|{m.gearchiveerd}"
    for a in p.aios(archief=True, ids=which("aios")):
        out[f"aios:{a.id}"] = (f"{_naam(a.naam)}|{a.opleidingsjaar}|{a.startdatum_opleiding}|"
                               f"{a.deeltijdpercentage}|{a.groep_id}|{a.email}|{a.gearchiveerd}")
    for o in p.opleiders(archief=True, ids=which("opleider")):
        out[f"opleider:{o.id}"] = f"{_naam(o.naam)}|{o.praktijk_id}|{o.email}|{o.gearchiveerd}"
    for k in p.koppelingen(archief=True, ids=which("koppeling")):
        out[f"koppeling:{k.id}"] = f"{k.aios_id}|{k.opleider_id}|{k.startdatum}|{k.einddatum}|{k.gearchiveerd}"
    return out


def observe(store: Store) -> Slots:
    """The whole store as slots."""
    out = _personen_slots(store, None)
    for t in store.trajecten.all():
        assert t.id is not None
        out.update(_traject_slots(t))
        for v in store.verslagen.van_traject(t.id):
            out.update(_verslag_slots(store, v))
    repo = SqlRondeRepository(store.conn)
    for r in repo.list():
        out.update(_ronde_slot(repo, r.id))
    return out


# ---- one case: a write of every kind --------------------------------------------------------------------------


@dataclass
class Write:
    name: str
    # The slots this write may change: "kind:id" exactly, or "kind:+" / "event:<traject>#+" for a new one.
    touches: list[str]
    call: Callable[[], object]


@dataclass
class Case:
    """A praktijk, docenten, groep, medewerker, aios, opleider and koppeling, a traject to the besluit tot
    ontkoppeling with free text in its events and an intrekking, a verslag concept, a definitief verslag of the
    evaluatiegesprek opleider with a bijlage, and a koppelronde with an uitzondering: every text carrying
    `marker` + what it is (tag()), so a restarted child finds the case again and the plaintext scan can name
    what leaked."""

    store: Store
    prefix: str
    number: int
    today: dt.date = field(default_factory=dt.date.today)
    ids: dict[str, int] = field(default_factory=dict)

    @property
    def marker(self) -> str:
        return f"{self.prefix}{self.number:04d}"

    def tag(self, kind: str) -> str:
        return f"{self.marker}{kind}"

    @property
    def auteur(self) -> str:
        return f"Docent {self.tag('auteur')}"

    def day(self, days_ago: int) -> dt.date:
        return self.today - dt.timedelta(days=days_ago)

    # ---- finding a case again --------------------------------------------------------------------------

    @classmethod
    def latest(cls, store: Store, prefix: str) -> Case:
        """The last case begun in this store (to go on with after a kill), or the first one."""
        pattern = re.compile(rf"Praktijk {re.escape(prefix)}(\d+)praktijk")
        numbers = [int(m.group(1)) for p in store.personen.praktijken(archief=True)
                   if (m := pattern.fullmatch(p.naam))]
        case = cls(store, prefix, max(numbers, default=1))
        case.find()
        return case

    def find(self) -> None:
        """Fill `ids` with what of this case is in the store, found by the markers."""
        p = self.store.personen
        found: dict[str, int | None] = {
            "praktijk": next((x.id for x in p.praktijken(archief=True) if x.naam == self._praktijk_naam), None),
            "groep": next((x.id for x in p.groepen(archief=True) if x.naam == self.tag("groep")), None),
        }
        # Each achternaam is the marker and the key: "…docenthuisarts", "…medewerker", "…aios", "…opleider".
        rows: list[Docent | Medewerker | Aios | Opleider] = [
            *p.docenten(archief=True), *p.medewerkers(archief=True), *p.aios(archief=True), *p.opleiders(archief=True)]
        for row in rows:
            if row.naam.achternaam.startswith(self.marker) and row.id is not None:
                found[row.naam.achternaam.removeprefix(self.marker)] = row.id
        aios = found.get("aios")
        if aios is not None:
            found["koppeling"] = next((k.id for k in p.koppelingen(archief=True, aios_id=aios)), None)
            found["traject"] = next(iter(self.store.trajecten.repo.ids_for_aios(aios)), None)
        traject = found.get("traject")
        if traject is not None:
            for v in self.store.verslagen.van_traject(traject):
                found[v.gesprek] = v.id
        wanted = f"Ronde {self.tag('ronde')}"
        found["ronde"] = next((r.id for r in self.store.rondes.list() if r.naam == wanted), None)
        self.ids = {k: v for k, v in found.items() if v is not None}

    @property
    def _praktijk_naam(self) -> str:
        return f"Praktijk {self.tag('praktijk')}"

    # ---- reading it back ---------------------------------------------------------------------------------

    def slots(self) -> Slots:
        """This case's slots, as they are in the store now."""
        ids = self.ids
        out = _personen_slots(self.store, {
            "praktijk": [ids[k] for k in ("praktijk",) if k in ids],
            "docent": [ids[k] for k in ("docenthuisarts", "docentgedrag") if k in ids],
            "groep": [ids[k] for k in ("groep",) if k in ids],
            "medewerker": [ids[k] for k in ("medewerker",) if k in ids],
            "aios": [ids[k] for k in ("aios",) if k in ids],
            "opleider": [ids[k] for k in ("opleider",) if k in ids],
            "koppeling": [ids[k] for k in ("koppeling",) if k in ids],
        })
        if "traject" in ids:
            out.update(_traject_slots(self.store.trajecten.get(ids["traject"])))
            for v in self.store.verslagen.van_traject(ids["traject"]):
                out.update(_verslag_slots(self.store, v))
        if "ronde" in ids:
            out.update(_ronde_slot(SqlRondeRepository(self.store.conn), ids["ronde"]))
        return out

    # ---- what to write next ------------------------------------------------------------------------------

    def next_write(self) -> Write | None:
        """The first write of this case that is not in the store yet; None when the case is complete."""
        ids, p = self.ids, self.store.personen
        if "praktijk" not in ids:
            return Write("praktijk", ["praktijk:+"], lambda: self._save(
                "praktijk", p.save_praktijk, Praktijk(self._praktijk_naam, self.tag("plaats"))))
        for kind, voornaam, soort in (("docenthuisarts", "Mila", DocentSoort.HUISARTS),
                                      ("docentgedrag", "Daan", DocentSoort.GEDRAGSWETENSCHAPPER)):
            if kind not in ids:
                docent = Docent(Naam(voornaam, "de", self.tag(kind)), soort, f"{self.tag(kind + 'email')}@example.org")
                return Write(kind, ["docent:+"], partial(self._save, kind, p.save_docent, docent))
        if "groep" not in ids:
            groep = Groep(self.tag("groep"), 1, ids["docenthuisarts"], ids["docentgedrag"])
            return Write("groep", ["groep:+"], lambda: self._save("groep", p.save_groep, groep))
        if "medewerker" not in ids:
            medewerker = Medewerker(Naam("Jan", "", self.tag("medewerker")), Rol.JAARASSISTENT, 1,
                                    f"{self.tag('medewerkeremail')}@example.org")
            return Write("medewerker", ["medewerker:+"], lambda: self._save("medewerker", p.save_medewerker,
                                                                            medewerker))
        if "aios" not in ids:
            aios = Aios(Naam(self.tag("aiosvoornaam"), "van", self.tag("aios")), 1, self.day(270), 100,
                        ids["groep"], f"{self.tag('aiosemail')}@example.org")
            return Write("aios", ["aios:+"], lambda: self._save("aios", p.save_aios, aios))
        if "opleider" not in ids:
            opleider = Opleider(Naam("Eva", "", self.tag("opleider")), ids["praktijk"],
                                email=f"{self.tag('opleideremail')}@example.org")
            return Write("opleider", ["opleider:+"], lambda: self._save("opleider", p.save_opleider, opleider))
        if "koppeling" not in ids:
            koppeling = Koppeling(ids["aios"], ids["opleider"], self.day(270))
            return Write("koppeling", ["koppeling:+"], lambda: self._save("koppeling", p.save_koppeling, koppeling))
        if "traject" not in ids:
            return Write("traject", ["traject:+", "event:+"], self._start)
        traject = self.store.trajecten.get(ids["traject"])
        kinds = {e.kind for e in traject.events}
        for kind, days_ago, data in self._events():
            if kind not in kinds:
                return self._record(kind.value, partial(self.store.trajecten.record, ids["traject"], kind,
                                                        self.day(days_ago), data, user=self.tag("gebruiker"),
                                                        today=self.today))
        if "driehoeksgesprek" not in ids:
            return Write("concept", ["verslag:+"], lambda: self._verslag("driehoeksgesprek"))
        concept = self.store.verslagen.get(ids["driehoeksgesprek"])
        if "aanleiding" not in concept.antwoorden:
            return Write("concept bewaard", [f"verslag:{concept.id}"], lambda: self._bewaar(concept, {
                "plaats": self.tag("conceptplaats"), "aanleiding": self.tag("aanleiding"),
                "perspectief_aios": self.tag("perspectiefaios")}))
        if "evaluatie_opleider" not in ids:
            return Write("verslag", ["verslag:+"], lambda: self._verslag("evaluatie_opleider"))
        verslag = self.store.verslagen.get(ids["evaluatie_opleider"])
        if "eigen_rol" not in verslag.antwoorden:
            return Write("verslag bewaard", [f"verslag:{verslag.id}"], lambda: self._bewaar(verslag, {
                "datum": self.day(54).isoformat(), "plaats": self.tag("verslagplaats"),
                "reflectieverslag_ontvangen": True, "eigen_rol": self.tag("eigenrol"),
                "beleving": self.tag("beleving"), "leerpunten_opleider": self.tag("leerpunten"),
                "aandachtspunten_aios": self.tag("aandachtspuntenaios"), "toelichting_aios": self.tag("toelichting")}))
        if not self.store.bijlagen.van_verslag(verslag.id):
            return Write("bijlage", ["bijlage:+", f"verslag:{verslag.id}"], lambda: self.store.bijlagen.toevoegen(
                verslag.id, "reflectieverslag", f"Reflectie {self.tag('bijlagenaam')}.txt",
                f"Reflectieverslag van de opleider: {self.tag('bijlage')}\n".encode() * 40, auteur=self.auteur))
        if not verslag.definitief:
            return Write("afronden", [f"verslag:{verslag.id}", f"traject:{traject.id}", f"event:{traject.id}#+"],
                         lambda: self.store.verslagen.afronden(verslag.id, user=self.auteur, today=self.today))
        aios = p.aios(archief=True, ids=[ids["aios"]])[0]
        if aios.deeltijdpercentage != 80:
            return Write("aios gewijzigd", [f"aios:{aios.id}"], lambda: p.save_aios(
                replace(aios, deeltijdpercentage=80), today=self.today))
        if EventKind.GEBEURTENIS_INGETROKKEN not in kinds:
            contact = next(e for e in traject.events if e.kind is EventKind.TELEFONISCH_CONTACT)
            return self._record("intrekking", lambda: self.store.trajecten.intrekken(
                ids["traject"], contact.id, self.tag("motivatie"), user=self.tag("gebruiker"), today=self.today))
        if "ronde" not in ids:
            return Write("ronde", ["ronde:+"], self._ronde)
        ronde, _ = SqlRondeRepository(self.store.conn).get(ids["ronde"])
        if not ronde.uitzonderingen:
            return Write("uitzondering", [f"ronde:{ids['ronde']}"], self._uitzondering)
        medewerker = p.medewerkers(archief=True, ids=[ids["medewerker"]])[0]
        if not medewerker.gearchiveerd:
            return Write("gearchiveerd", [f"medewerker:{medewerker.id}"], lambda: p.set_gearchiveerd(
                c.MEDEWERKER, [ids["medewerker"]], True))
        return None

    def _events(self) -> list[tuple[EventKind, int, dict[str, object]]]:
        """Events with free text, to the formal besluit (Utrecht 5.1), on days before `today`."""
        return [
            (EventKind.TELEFONISCH_CONTACT, 88, {"met": ["aios"], "notitie": self.tag("notitie")}),
            (EventKind.DRIEHOEKSGESPREK, 80, {"initiatief": "aios", "notitie": self.tag("driehoeknotitie")}),
            (EventKind.UITKOMST, 80, {"uitkomst": "advies_ontkoppeling", "aandachtspunten": self.tag("uitkomst")}),
            (EventKind.BESLUIT_ONTKOPPELING, 75, {"besluit": "ontkoppelen", "door": self.tag("door"),
                                                  "toelichting": self.tag("besluittoelichting")}),
        ]

    def _record(self, name: str, call: Callable[[], object]) -> Write:
        t = self.ids["traject"]
        return Write(name, [f"traject:{t}", f"event:{t}#+"], call)

    def _save(self, key: str, save: Callable[..., object], obj: Praktijk | Docent | Groep | Medewerker | Aios |
              Opleider | Koppeling) -> None:
        if isinstance(obj, (Aios, Koppeling)):
            save(obj, today=self.today)
        else:
            save(obj)
        assert obj.id is not None
        self.ids[key] = obj.id

    def _start(self) -> None:
        created = self.store.trajecten.start(
            self.ids["koppeling"], Startreden.SIGNAAL_AIOS, Categorie.OPLEIDINGSSITUATIE, self.day(90),
            user=self.tag("gebruiker"), omschrijving=self.tag("omschrijving"), today=self.today).created
        assert isinstance(created, int)
        self.ids["traject"] = created

    def _verslag(self, gesprek: str) -> None:
        created = self.store.verslagen.nieuw(self.ids["traject"], gesprek, auteur=self.auteur,
                                             today=self.today).created
        assert isinstance(created, int)
        self.ids[gesprek] = created

    def _bewaar(self, verslag: Verslag, antwoorden: dict[str, object]) -> None:
        merged = {**verslag.antwoorden, **antwoorden}
        self.store.verslagen.bewaar(verslag.id, merged, 1, auteur=self.auteur)  # type: ignore[arg-type]

    def _ronde(self) -> None:
        from ontkoppel_desktop.demo.rondes import maak_demo_ronde
        from ontkoppel_desktop.store.ronde_personen import next_start

        ronde = maak_demo_ronde(aantal_aios=12, aantal_opleiders=16, seed=self.number,
                                startdatum=next_start(self.today))
        aios = (replace(ronde.aios[0], naam=self.tag("rondeaios")), *ronde.aios[1:])
        opleiders = (replace(ronde.opleiders[0], naam=self.tag("rondeopleider"),
                             praktijk=self.tag("rondepraktijk")), *ronde.opleiders[1:])
        ronde = replace(ronde, aios=aios, opleiders=opleiders, naam=f"Ronde {self.tag('ronde')}")
        created = self.store.rondes.add(ronde).created
        assert isinstance(created, int)
        self.ids["ronde"] = created

    def _uitzondering(self) -> None:
        """A move to a practice the aios did not visit: the manager's uitzondering with its reden."""
        rondes = self.store.rondes
        ronde_id = self.ids["ronde"]
        board = rondes.bord(ronde_id)
        ronde, bord = rondes.get(ronde_id)
        bezocht = {(b.aios_id, b.opleider_id) for b in ronde.bezoeken}
        for a in ronde.aios:
            for o in ronde.opleiders:
                if (a.id, o.id) in bezocht or o.blokkade or (
                        a.opleidingsjaar == 3 and o.status is not OpleiderStatus.ERVAREN):
                    continue
                oordeel = board.planner.check_move(bord.toewijzing, a.id, o.id, bord.pins)
                if not any(b.blokkerend for b in oordeel.bezwaren):
                    rondes.verplaats(ronde_id, a.id, o.id, reden=self.tag("uitzondering"))
                    return
        raise AssertionError("no move needs an uitzondering in this ronde")


def write_cases(store: Store, prefix: str, upto: int) -> None:
    """Write cases 1 to `upto` whole, in this process (the set-up of the wachtwoord run, the plaintext scan)."""
    case = Case.latest(store, prefix)
    while case.number <= upto:
        while (write := case.next_write()) is not None:
            write.call()
        case = Case(store, prefix, case.number + 1)


# ---- the child --------------------------------------------------------------------------------------------------


def _say(kind: str, payload: object = None) -> None:
    line = kind if payload is None else f"{kind} {_json(payload)}"
    # One write per line, flushed: a line the driver reads whole was printed whole.
    os.write(1, (line + "\n").encode("utf-8"))


def _child_writes(store: Store, limit: int | None) -> None:
    case = Case.latest(store, PREFIX)
    # What a killed predecessor committed without saying so, said now: the driver allowed it as in flight.
    _say("ok", {"write": "resume", "slots": case.slots()})
    done = 0
    while limit is None or done < limit:
        write = case.next_write()
        if write is None:
            case = Case(store, PREFIX, case.number + 1)
            continue
        _say("begin", {"write": write.name, "touches": write.touches})
        write.call()
        _say("ok", {"write": write.name, "slots": case.slots()})
        done += 1


def _child_wachtwoord(store: Store, huidig: str, ander: str, limit: int | None) -> None:
    done = 0
    while limit is None or done < limit:
        _say("begin", ander)
        store.change_wachtwoord(ander, huidig=huidig, kdf=FAST_KDF)
        _say("ok", ander)
        huidig, ander = ander, huidig
        done += 1


def _halt_before_replacing(target: Path) -> None:
    """Stop for good just before `target` is replaced (os.replace, as write_atomic does), saying so: the driver
    kills the child at exactly that moment."""
    real = os.replace

    def replace(src: str | os.PathLike[str], dst: str | os.PathLike[str], **kwargs: object) -> None:
        if Path(dst) == target:
            _say("replacing")
            time.sleep(3600)
        real(src, dst, **kwargs)  # type: ignore[arg-type]

    setattr(os, "replace", replace)  # noqa: B010 - the child's own os module, for this one test


def child_main(argv: list[str]) -> int:
    mode, path = argv[0], Path(argv[1])
    limit = int(argv[2]) if len(argv) > 2 else None
    huidig = sys.stdin.readline().rstrip("\n")
    if mode == "wachtwoord-halt":
        _halt_before_replacing(paths.keys_file_for(path))
    store = Store.open(path, huidig)
    _say("ready")
    try:
        if mode == "schrijven":
            _child_writes(store, limit)
        else:
            _child_wachtwoord(store, huidig, sys.stdin.readline().rstrip("\n"), limit)
    finally:
        store.close()
    return 0


# ---- the driver -------------------------------------------------------------------------------------------------


@dataclass
class Child:
    """A running child and what it said; a thread drains its stdout so it never blocks on a full pipe."""

    process: subprocess.Popen[bytes]
    lines: list[str] = field(default_factory=list)
    ready: threading.Event = field(default_factory=threading.Event)
    reader: threading.Thread | None = None

    @classmethod
    def start(cls, mode: str, path: Path, stdin: str, limit: int | None = None) -> Child:
        command = [sys.executable, "-m", "tests.faults.crash_child", mode, str(path)]
        command += [str(limit)] if limit is not None else []
        env = dict(os.environ, PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])))
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                   stderr=subprocess.PIPE)
        assert process.stdin is not None
        process.stdin.write(stdin.encode("utf-8"))
        process.stdin.close()
        child = cls(process)
        child.reader = threading.Thread(target=child._drain, daemon=True)
        child.reader.start()
        return child

    def _drain(self) -> None:
        assert self.process.stdout is not None
        for raw in self.process.stdout:
            # A line cut off by the kill (no newline) was not acknowledged.
            if raw.endswith(b"\n"):
                line = raw.decode("utf-8").rstrip("\n")
                self.lines.append(line)
                if line == "ready":
                    self.ready.set()

    def kill(self) -> str:
        os.kill(self.process.pid, signal.SIGKILL)
        return self.finish()

    def finish(self) -> str:
        """Wait for the child's end and for every line it printed; its stderr."""
        self.process.wait(timeout=120)
        if self.reader is not None:
            self.reader.join(timeout=10)
        assert self.process.stderr is not None
        return self.process.stderr.read().decode("utf-8", "replace")


@dataclass
class Figures:
    """What a run of kills found, for the test's asserts and the tool's table."""

    kind: str
    seed: int
    kills: int = 0
    killed_before_ready: int = 0
    acknowledged: int = 0
    in_flight: int = 0
    lost: int = 0
    integrity_failures: int = 0
    temp_files_left: int = 0
    reopen_seconds: list[float] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    def fail(self, message: str) -> None:
        self.problems.append(message)


def _kill_at_random(child: Child, rng: random.Random, figures: Figures, window_s: float) -> None:
    """Mostly while it writes (after "ready"); one in five while it starts and opens the store."""
    if rng.random() < 0.2:
        time.sleep(rng.uniform(0.0, 0.6))
    else:
        if not child.ready.wait(timeout=30):
            raise AssertionError(f"the child never opened the store: {child.kill()}")
        time.sleep(rng.uniform(0.0, window_s))
    if child.process.poll() is not None:
        figures.fail(f"the child ended by itself (exit {child.process.returncode}): {child.finish()}")
        return
    if not child.ready.is_set():
        figures.killed_before_ready += 1
    child.kill()
    figures.kills += 1


def _integrity(store: Store) -> list[str]:
    problems = []
    check = store.conn.execute("PRAGMA integrity_check").fetchall()
    if check != [("ok",)]:
        problems.append(f"integrity_check: {check[:5]}")
    foreign = store.conn.execute("PRAGMA foreign_key_check").fetchall()
    if foreign:
        problems.append(f"foreign_key_check: {foreign[:5]}")
    return problems


def _matches(slot: str, patterns: list[str], expected: Slots) -> bool:
    for pattern in patterns:
        if pattern.endswith("+"):
            if slot.startswith(pattern[:-1]) and slot not in expected:
                return True
        elif slot == pattern:
            return True
    return False


def compare(expected: Slots, in_flight: list[str], found: Slots) -> tuple[list[str], list[str]]:
    """(lost, unexpected): acknowledged slots missing or changed, and slots that changed or appeared outside the
    write in flight."""
    lost = [f"{s}: acknowledged {expected[s]!r}, found {found.get(s)!r}" for s in expected
            if found.get(s) != expected[s] and not (s in found and _matches(s, in_flight, expected))]
    unexpected = [f"{s}: {found[s]!r}, never acknowledged" for s in found
                  if s not in expected and not _matches(s, in_flight, expected)]
    return lost, unexpected


def _timed_open(path: Path, wachtwoord: str, figures: Figures) -> Store:
    started = time.perf_counter()
    store = Store.open(path, wachtwoord)
    figures.reopen_seconds.append(time.perf_counter() - started)
    return store


def kill_writes(path: Path, wachtwoord: str, kills: int, seed: int, window_s: float = 0.35,
                log: Callable[[str], None] = lambda _: None) -> Figures:
    """Kill a writing child `kills` times; after each kill reopen, check integrity and every acknowledged write.
    The store at `path` exists; what is in it already counts as acknowledged."""
    rng = random.Random(seed)
    figures = Figures("schrijven", seed)
    store = Store.open(path, wachtwoord)
    expected = observe(store)
    store.close()
    while figures.kills < kills and len(figures.problems) < 5:
        child = Child.start("schrijven", path, wachtwoord + "\n")
        _kill_at_random(child, rng, figures, window_s)
        in_flight: list[str] = []
        for line in child.lines:
            kind, _, payload = line.partition(" ")
            if kind == "begin":
                in_flight = json.loads(payload)["touches"]
            elif kind == "ok":
                data = json.loads(payload)
                expected.update(data["slots"])
                in_flight = []
                figures.acknowledged += data["write"] != "resume"
        figures.in_flight += bool(in_flight)
        try:
            store = _timed_open(path, wachtwoord, figures)
        except Exception as exc:  # noqa: BLE001 - the failure is the finding
            figures.integrity_failures += 1
            figures.fail(f"kill {figures.kills}: the store does not open: {exc!r}")
            break
        try:
            integrity = _integrity(store)
            figures.integrity_failures += bool(integrity)
            figures.problems += [f"kill {figures.kills}: {p}" for p in integrity]
            found = observe(store)
        finally:
            store.close()
        lost, unexpected = compare(expected, in_flight, found)
        figures.lost += len(lost)
        figures.problems += [f"kill {figures.kills}: lost {p}" for p in lost[:5]]
        figures.problems += [f"kill {figures.kills}: unexpected {p}" for p in unexpected[:5]]
        expected = found
        log(f"kill {figures.kills}: {figures.acknowledged} writes acknowledged so far, "
            f"{'one' if in_flight else 'none'} in flight")
    # The child goes on where the last kill left it, to the end of a few writes.
    child = Child.start("schrijven", path, wachtwoord + "\n", limit=5)
    stderr = child.finish()
    if child.process.returncode != 0:
        figures.fail(f"the child does not start again after the last kill: {stderr}")
    return figures


def key_temps(path: Path) -> list[Path]:
    """write_atomic's temporary files for this store's key file."""
    name = paths.keys_file_for(path).name
    return sorted(p for p in path.parent.iterdir() if p.name.startswith(f".~{name}.") and p.name.endswith(".tmp"))


def opens(path: Path, wachtwoord: str) -> bool | str:
    """True when it opens; False for the plain wrong-wachtwoord refusal; any other failure as text."""
    from ontkoppel_desktop.store.keys import ONJUIST_WACHTWOORD

    try:
        Store.open(path, wachtwoord).close()
    except SleutelFout as exc:
        return False if str(exc) == ONJUIST_WACHTWOORD else repr(exc)
    return True


def kill_wachtwoord_changes(path: Path, wachtwoord: str, kills: int, seed: int, window_s: float = 0.35,
                            log: Callable[[str], None] = lambda _: None) -> Figures:
    """Kill a child that changes the wachtwoord back and forth, `kills` times; after each kill exactly one of the
    two opens (the last acknowledged or the one in flight), the data is as it was, and a temporary key file
    left by the kill is swept at the next open once it is old."""
    rng = random.Random(seed)
    figures = Figures("wachtwoord", seed)
    store = Store.open(path, wachtwoord)
    before = observe(store)
    store.close()
    huidig, ander = wachtwoord, ANDER_WACHTWOORD
    while figures.kills < kills and len(figures.problems) < 5:
        child = Child.start("wachtwoord", path, f"{huidig}\n{ander}\n")
        _kill_at_random(child, rng, figures, window_s)
        acknowledged, in_flight = huidig, None
        for line in child.lines:
            kind, _, payload = line.partition(" ")
            if kind == "begin":
                in_flight = json.loads(payload)
            elif kind == "ok":
                acknowledged, in_flight = json.loads(payload), None
                figures.acknowledged += 1
        figures.in_flight += in_flight is not None
        opened = {w: opens(path, w) for w in (huidig, ander)}
        working = [w for w, ok in opened.items() if ok is True]
        if len(working) != 1 or any(ok not in (True, False) for ok in opened.values()):
            figures.integrity_failures += 1
            figures.fail(f"kill {figures.kills}: {len(working)} wachtwoorden open the store: {opened}")
            break
        if working[0] not in (acknowledged, in_flight):
            figures.lost += 1
            figures.fail(f"kill {figures.kills}: the acknowledged wachtwoord does not open the store")
        huidig, ander = working[0], ander if working[0] == huidig else huidig
        temps = key_temps(path)
        figures.temp_files_left += len(temps)
        for temp in temps:  # as if the next open came a while later
            os.utime(temp, (time.time() - 3600,) * 2)
        store = _timed_open(path, huidig, figures)
        try:
            integrity = _integrity(store)
            found = observe(store)
        finally:
            store.close()
        figures.integrity_failures += bool(integrity)
        figures.problems += [f"kill {figures.kills}: {p}" for p in integrity]
        lost, unexpected = compare(before, [], found)
        figures.lost += len(lost)
        figures.problems += [f"kill {figures.kills}: data {p}" for p in (lost + unexpected)[:5]]
        if key_temps(path):
            figures.fail(f"kill {figures.kills}: temporary key files stay after an open: {key_temps(path)}")
        log(f"kill {figures.kills}: '{huidig[:6]}…' opens; {len(temps)} temporary key file(s) swept")
    child = Child.start("wachtwoord", path, f"{huidig}\n{ander}\n", limit=2)
    stderr = child.finish()
    if child.process.returncode != 0:
        figures.fail(f"the child does not start again after the last kill: {stderr}")
    return figures


if __name__ == "__main__":
    sys.exit(child_main(sys.argv[1:]))
