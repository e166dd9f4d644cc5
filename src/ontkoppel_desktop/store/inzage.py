"""Inzage (AVG art. 15): gather from the store everything about one aios or opleider (core/inzage.py says what
belongs to them and what to others). Reads only; the document is documents/inzage.py."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping

from ontkoppel_desktop.core.bewaartermijn import AIOS, OPLEIDER
from ontkoppel_desktop.core.errors import OntkoppelError, ValidatieFout
from ontkoppel_desktop.core.inzage import (
    BijlageRegel,
    Feit,
    GebeurtenisRegel,
    Inzage,
    KoppelingRegel,
    RondeInzage,
    TrajectInzage,
    VerslagDeelInzage,
    VerslagInzage,
    datum,
    moment,
    over,
    ronde_inzage,
)
from ontkoppel_desktop.core.procedure import EventKind, Traject, TrajectEvent
from ontkoppel_desktop.core.procedure.events import FieldType, JsonValue
from ontkoppel_desktop.core.procedure.history import history
from ontkoppel_desktop.core.verslagen.formulier import GesprekFormulier, VeldSoort
from ontkoppel_desktop.core.verslagen.verslag import ARCHIEFPLEKKEN, Verslag, inhoud, is_leeg, weergave
from ontkoppel_desktop.store.rondes import SqlRondeRepository
from ontkoppel_desktop.store.store import Store

ANDERE_OPLEIDER = "(een andere opleider)"


def _ja(value: object) -> str:
    return "ja" if value else "nee"


def verzamel(store: Store, soort: str, persoon_id: int, today: dt.date | None = None) -> Inzage:
    """Everything the store holds about the aios or opleider `persoon_id`. ValidatieFout when there is none."""
    today = today or dt.date.today()
    p = store.personen
    praktijken = {x.id: x.weergave for x in p.praktijken(archief=True)}
    opleider_namen = {o.id: o.naam.volledig for o in p.opleiders(archief=True) if o.id is not None}
    aios_namen = {a.id: a.naam.volledig for a in p.aios(archief=True) if a.id is not None}
    gearchiveerd_op = _gearchiveerd_op(store, soort, persoon_id)
    if soort == AIOS:
        found = p.aios(archief=True, ids=[persoon_id])
        if not found:
            raise ValidatieFout([f"Deze aios bestaat niet (meer) (nummer {persoon_id})."])
        a = found[0]
        groep = next((g.naam for g in p.groepen(archief=True, ids=[a.groep_id])), "") if a.groep_id else ""
        naam = a.naam.volledig
        gegevens: tuple[Feit, ...] = (
            ("Voornaam", a.naam.voornaam), ("Tussenvoegsel", a.naam.tussenvoegsel), ("Achternaam", a.naam.achternaam),
            ("Opleidingsjaar", str(a.opleidingsjaar)), ("Startdatum opleiding", datum(a.startdatum_opleiding)),
            ("Deeltijdpercentage", f"{a.deeltijdpercentage} %"), ("Groep", groep), ("E-mailadres", a.email),
            ("Gearchiveerd", _gearchiveerd(a.gearchiveerd, gearchiveerd_op)), ("Nummer in de opslag", str(a.id)),
        )
        koppelingen = tuple(
            KoppelingRegel(opleider_namen.get(k.opleider_id, "(onbekend)"), _praktijk_van(store, k.opleider_id,
                                                                                       praktijken),
                           k.startdatum, k.einddatum, k.gearchiveerd)
            for k in sorted(p.koppelingen(archief=True, aios_id=persoon_id), key=lambda k: k.startdatum))
    else:
        found_o = p.opleiders(archief=True, ids=[persoon_id])
        if not found_o:
            raise ValidatieFout([f"Deze opleider bestaat niet (meer) (nummer {persoon_id})."])
        o = found_o[0]
        naam = o.naam.volledig
        gegevens = (
            ("Voornaam", o.naam.voornaam), ("Tussenvoegsel", o.naam.tussenvoegsel), ("Achternaam", o.naam.achternaam),
            ("Praktijk", praktijken.get(o.praktijk_id, "") if o.praktijk_id is not None else ""),
            ("Status", o.status_label), ("Opleiderscurriculum, jaar", str(o.curriculumjaar or "")),
            ("Begeleidt een coassistent", _ja(o.begeleidt_coassistent)), ("Duo-opleider", _ja(o.duo_opleider)),
            ("Aanwezigheid", f"{o.aanwezigheidspercentage} %"), ("Hoofdopleider", _ja(o.hoofdopleider)),
            ("E-mailadres", o.email), ("Gearchiveerd", _gearchiveerd(o.gearchiveerd, gearchiveerd_op)),
            ("Nummer in de opslag", str(o.id)),
        )
        koppelingen = tuple(
            KoppelingRegel(aios_namen.get(k.aios_id, "(onbekend)"), praktijken.get(o.praktijk_id, "")
                           if o.praktijk_id is not None else "", k.startdatum, k.einddatum, k.gearchiveerd)
            for k in sorted((k for k in p.koppelingen(archief=True) if k.opleider_id == persoon_id),
                            key=lambda k: k.startdatum))
    trajecten = tuple(_trajecten(store, soort, persoon_id, aios_namen, opleider_namen))
    rondes = tuple(_rondes(store, soort, persoon_id, naam, dict(gegevens).get("Achternaam", "")))
    return Inzage(soort, persoon_id, naam, today, gegevens, koppelingen, trajecten, rondes)


def _gearchiveerd_op(store: Store, soort: str, persoon_id: int) -> dt.date | None:
    table = "aios" if soort == AIOS else "opleider"
    row = store.conn.execute(f"SELECT gearchiveerd_op FROM {table} WHERE id = ?", (persoon_id,)).fetchone()
    try:
        return dt.date.fromisoformat(row[0]) if row and row[0] else None
    except ValueError:
        return None


def _gearchiveerd(gearchiveerd: bool, op: dt.date | None) -> str:
    if not gearchiveerd:
        return "nee"
    return f"ja, sinds {datum(op)}" if op is not None else "ja"


def _praktijk_van(store: Store, opleider_id: int, praktijken: Mapping[int | None, str]) -> str:
    found = store.personen.opleiders(archief=True, ids=[opleider_id])
    return praktijken.get(found[0].praktijk_id, "") if found and found[0].praktijk_id is not None else ""


# ---- trajecten -----------------------------------------------------------------------------------------------


def _genoemd_in(store: Store, opleider_id: int) -> set[int]:
    """The trajecten whose events name this opleider (a kandidaat, a new opleider), at any depth of their data."""
    return {r[0] for r in store.conn.execute(
        "SELECT DISTINCT e.traject_id FROM traject_event e, json_tree(e.payload, '$.data') j "
        "WHERE j.key = 'opleider_id' AND j.type = 'integer' AND j.value = ?", (opleider_id,))}


def _noemt(event: TrajectEvent, opleider_id: int) -> bool:
    data = event.data
    gegevens = data.get("gegevens")
    return data.get("opleider_id") == opleider_id or (
        isinstance(gegevens, dict) and gegevens.get("opleider_id") == opleider_id)


def _trajecten(store: Store, soort: str, persoon_id: int, aios_namen: Mapping[int, str],
               opleider_namen: Mapping[int, str]) -> list[TrajectInzage]:
    kolom = "aios_id" if soort == AIOS else "opleider_id"
    eigen = {r[0] for r in store.conn.execute(f"SELECT id FROM traject WHERE {kolom} = ?", (persoon_id,))}
    genoemd = _genoemd_in(store, persoon_id) - eigen if soort == OPLEIDER else set()
    out = []
    for traject in store.trajecten.repo.load_all(sorted(eigen | genoemd)):
        assert traject.id is not None
        volledig = traject.id in eigen
        if soort == AIOS:
            rol = "aios van dit traject"
        elif volledig:
            rol = "opleider van dit traject (de koppeling waarover het gaat)"
        else:
            rol = "genoemd in dit traject (kandidaat of nieuwe opleider van de aios)"
        # The aios of a traject sees who was considered as their new opleider; an opleider sees no other opleider.
        names = {i: (n if soort == AIOS or i == persoon_id else ANDERE_OPLEIDER) for i, n in opleider_namen.items()}
        out.append(_traject(store, traject, soort, persoon_id, rol, volledig, aios_namen, names))
    return out


def _traject(store: Store, traject: Traject, soort: str, persoon_id: int, rol: str, volledig: bool,
             aios_namen: Mapping[int, str], names: Mapping[int, str]) -> TrajectInzage:
    assert traject.id is not None
    definition = store.trajecten.definition(traject)
    gesloten = [e.date for e in traject.effective_events if e.kind is EventKind.TRAJECT_GESLOTEN]
    feiten: tuple[Feit, ...] = (
        ("Aios", aios_namen.get(traject.aios_id, "(onbekend)")),
        ("Opleider", names.get(traject.opleider_id, "(onbekend)")),
        ("Rol in dit traject", rol),
        ("Gestart", datum(traject.start_date)),
        ("Aanleiding", traject.startreden.label),
        ("Categorie", traject.categorie.label),
        ("Gesloten", datum(gesloten[-1]) if gesloten and traject.closed else "nee, loopt nog"),
        ("Procedure", f"{definition.title} {definition.version}"),
        ("Nummer in de opslag", str(traject.id)),
    )
    wie = dict(names)
    events = {e.id: e for e in traject.events}
    regels = []
    for line in history(definition, traject, wie):
        event = events[line.event_id]
        if not volledig:
            doel = events.get(event.text("gebeurtenis")) if event.kind.is_correctie else None
            if not (_noemt(event, persoon_id) or (doel is not None and _noemt(doel, persoon_id))):
                continue
        who = f"door {line.user} " if line.user else ""
        regels.append(GebeurtenisRegel(line.day, event.kind.label, line.text, _gegevens(event, line.text, wie),
                                       f"{who}op {moment(line.recorded_at)}".strip(),
                                       f"{line.status}: {line.opmerking}" if line.status else line.opmerking))
    verslagen = []
    for verslag in store.verslagen.van_traject(traject.id):
        gezien = _verslag(store, verslag, soort, persoon_id, volledig, wie)
        if gezien is not None:
            verslagen.append(gezien)
    return TrajectInzage(traject.id, rol, feiten, tuple(regels), tuple(verslagen), volledig)


def _waarde(spec_type: FieldType | None, value: JsonValue, names: Mapping[int, str]) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return _ja(value)
    if spec_type is FieldType.ID and isinstance(value, int):
        return names.get(value, f"nummer {value}")
    if spec_type is FieldType.DATE and isinstance(value, str):
        try:
            return datum(dt.date.fromisoformat(value))
        except ValueError:
            return value
    if isinstance(value, list):
        return ", ".join(str(v).replace("_", " ") for v in value)
    if isinstance(value, dict):
        return "; ".join(f"{k}: {_waarde(None, v, names)}" for k, v in value.items())
    return str(value)


def _gegevens(event: TrajectEvent, zin: str, names: Mapping[int, str]) -> str:
    """The event's data the sentence does not already say (a field's label and value), so nothing stored is left
    out; references to other events and steps are in the sentence already."""
    fields = event.kind.fields
    parts = []
    for key, value in event.data.items():
        spec = fields.get(key)
        if spec is not None and spec.type in (FieldType.EVENT, FieldType.STEP, FieldType.DATA):
            continue
        text = _waarde(spec.type if spec is not None else None, value, names)
        if text and text not in zin and text.replace(" ", "_") not in zin:
            parts.append(f"{spec.label if spec is not None else key}: {text}")
    return "; ".join(parts)


def _verslag(store: Store, verslag: Verslag, soort: str, persoon_id: int, volledig: bool,
             names: Mapping[int, str]) -> VerslagInzage | None:
    try:
        formulier: GesprekFormulier | None = store.verslagen.formulier(verslag)
    except OntkoppelError:
        formulier = None
    if formulier is None:
        # The questions are missing from this installation: every answer as stored, for everyone it is about.
        if not volledig:
            return None
        delen: tuple[VerslagDeelInzage, ...] = (VerslagDeelInzage("Antwoorden (zoals opgeslagen)", tuple(
            (k, _waarde(None, v, names)) for k, v in verslag.antwoorden.items() if not is_leeg(v))),)
        velden_in: set[str] | None = None
        deel_ids: set[str] | None = None
        titel = verslag.gesprek
    else:
        noemt = any(v.soort is VeldSoort.OPLEIDER and verslag.antwoorden.get(v.id) == persoon_id
                    for v in formulier.velden)
        if not volledig and not noemt:
            return None
        gekozen = [d for d in formulier.delen if not volledig or over(soort, d.bestemming)]
        deel_ids = {d.id for d in gekozen}
        deel_lijst = []
        velden_in = set()
        for deel in gekozen:
            antwoorden = tuple((veld.label, _antwoord(veld.soort, veld, value, names))
                               for veld, value in inhoud(formulier, verslag.antwoorden, deel.id))
            velden_in |= {veld.id for veld, _ in inhoud(formulier, verslag.antwoorden, deel.id)}
            deel_lijst.append(VerslagDeelInzage(f"{deel.titel} (voor het {deel.bestemming.label})", antwoorden))
        # Answers that belong to no verslag of the gesprek (the choices that steer it) are about both.
        los = tuple((veld.label, _antwoord(veld.soort, veld, verslag.antwoorden[veld.id], names))
                    for veld in formulier.velden
                    if not veld.verslagen and not is_leeg(verslag.antwoorden.get(veld.id)))
        velden_in |= {veld.id for veld in formulier.velden if not veld.verslagen}
        if los:
            deel_lijst.append(VerslagDeelInzage("Overige antwoorden bij dit gesprek", los))
        delen = tuple(deel_lijst)
        titel = formulier.titel
    feiten: list[Feit] = [
        ("Status", "definitief (verzegeld)" if verslag.definitief else "concept"),
        ("Auteur", verslag.auteur),
        ("Begonnen", moment(verslag.aangemaakt)),
        ("Laatst opgeslagen", moment(verslag.opgeslagen)),
    ]
    if verslag.afgerond_op is not None:
        feiten.append(("Afgerond", moment(verslag.afgerond_op)))
    if verslag.vorige_id is not None:
        feiten.append(("Nieuwe versie van", f"versie {verslag.versie - 1}" + (f", reden: {verslag.reden}"
                                                                               if verslag.reden else "")))
    if verslag.verstuurd_op is not None:
        feiten.append(("Verstuurd", datum(verslag.verstuurd_op)))
    for plek in ARCHIEFPLEKKEN:
        if plek in verslag.gearchiveerd_op:
            feiten.append((f"Gearchiveerd in {plek.label}", datum(verslag.gearchiveerd_op[plek])))
    for plek, dag in verslag.geexporteerd_op.items():
        feiten.append((f"Geëxporteerd voor {plek.label}", datum(dag)))
    zegels = [z for deel_id, z in verslag.zegels.items() if deel_ids is None or deel_id in deel_ids]
    if verslag.definitief and zegels:
        feiten.append(("Zegel (SHA-256)", ", ".join(zegels)))
    bijlagen = tuple(
        BijlageRegel(b.id, b.naam, b.grootte, b.toegevoegd, b.soort.label, b.sha256)
        for b in store.bijlagen.van_verslag(verslag.id) if velden_in is None or b.veld in velden_in)
    return VerslagInzage(verslag.id, titel, verslag.versie, "definitief" if verslag.definitief else "concept",
                         tuple(feiten), delen, bijlagen)


def _antwoord(soort: VeldSoort, veld: object, value: JsonValue, names: Mapping[int, str]) -> str:
    if soort is VeldSoort.OPLEIDER and isinstance(value, int):
        return names.get(value, f"nummer {value}")
    return weergave(veld, value)  # type: ignore[arg-type]


# ---- koppelrondes ------------------------------------------------------------------------------------------------


def _rondes(store: Store, soort: str, persoon_id: int, naam: str, achternaam: str) -> list[RondeInzage]:
    """Every ronde (archived ones too) that names this person, oldest first."""
    repo = SqlRondeRepository(store.conn)
    out = []
    for ronde_id, ronde_naam in store.conn.execute("SELECT id, naam FROM ronde ORDER BY startdatum, id").fetchall():
        ronde, bord = repo.get(ronde_id)
        deel = ronde_inzage(ronde, bord.toewijzing if bord is not None else None, soort, persoon_id, naam, ronde_naam,
                            achternaam)
        if deel is not None:
            out.append(deel)
    return out


def bijlage_inhoud(store: Store) -> Callable[[int], bytes]:
    """Reads a bijlage's file (for sending the bijlagen along with the document)."""
    return store.bijlagen.inhoud


__all__ = ["ANDERE_OPLEIDER", "bijlage_inhoud", "verzamel"]
