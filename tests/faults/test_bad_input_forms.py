"""The bad-input corpus of the forms API (issue 12, defect 10 and the corpus it asks for): what a form can send to
PersonenService.save_*, TrajectService.start/record and VerslagService.nieuw/bewaar. Every call either succeeds, and
then what is read back is what was given, normalised as documented (names: core/personen.py, naam_tekst; free text:
core/procedure/events.py, vrije_tekst), or it raises an OntkoppelError with a Dutch message; never another exception.
After a refused call the file holds exactly what it held before (every table compared).

Fixed cases first, then hypothesis over the same doors. One store per module: the cases only add rows, and each one
compares the tables just before and after itself.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from ontkoppel_desktop.core import changes as c
from ontkoppel_desktop.core.errors import OntkoppelError
from ontkoppel_desktop.core.personen import Aios, Docent, Groep, Koppeling, Medewerker, Naam, Opleider, Praktijk
from ontkoppel_desktop.core.procedure import Categorie, EventKind, Startreden
from ontkoppel_desktop.core.procedure.events import FieldType
from ontkoppel_desktop.core.rollen import Rol
from ontkoppel_desktop.store.store import Store
from tests.conftest import FAST_KDF, WACHTWOORD

TODAY = dt.date(2026, 11, 20)
AUTEUR = "Docent Vos"
START = dt.date(2026, 3, 1)

# ---- the store and its checks ---------------------------------------------------------------------------------


@dataclass
class Basis:
    """A store with one of everything, active and archived, and an ontkoppeld traject with a concept verslag."""

    store: Store
    praktijk: int
    praktijk_archief: int
    docent: int
    docent_archief: int
    groep: int
    groep_archief: int
    aios: int
    aios_archief: int
    opleider: int
    opleider_vrij: int
    opleider_archief: int
    koppeling: int
    koppeling_ander: int
    traject: int
    kandidaat: str
    verslag: int


def _nieuwe_koppeling(store: Store, praktijk_id: int, naam: str = "Kok") -> int:
    """A koppeling of a new aios with a new opleider (whom no blokkade holds)."""
    aios = Aios(Naam("Iris", "", naam), 1, START)
    store.personen.save_aios(aios)
    opleider = Opleider(Naam("Bas", "", naam), praktijk_id)
    store.personen.save_opleider(opleider)
    assert aios.id and opleider.id
    koppeling = Koppeling(aios.id, opleider.id, START)
    store.personen.save_koppeling(koppeling, today=TODAY)
    assert koppeling.id
    return koppeling.id


def _ontkoppeld_traject(store: Store, koppeling_id: int) -> int:
    svc = store.trajecten
    traject_id = svc.start(koppeling_id, Startreden.SIGNAAL_AIOS, Categorie.OPLEIDINGSSITUATIE, dt.date(2026, 9, 1),
                           user=AUTEUR, today=TODAY).created
    assert isinstance(traject_id, int)
    svc.record(traject_id, EventKind.DRIEHOEKSGESPREK, dt.date(2026, 9, 8), user=AUTEUR, today=TODAY)
    svc.record(traject_id, EventKind.UITKOMST, dt.date(2026, 9, 8), {"uitkomst": "advies_ontkoppeling"}, user=AUTEUR,
               today=TODAY)
    svc.record(traject_id, EventKind.BESLUIT_ONTKOPPELING, dt.date(2026, 9, 15),
               {"besluit": "ontkoppelen", "door": "Plv. hoofd"}, user=AUTEUR, today=TODAY)
    return traject_id


@pytest.fixture(scope="module")
def basis(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Basis]:
    store = Store.create(tmp_path_factory.mktemp("forms") / "forms.okdb", WACHTWOORD, FAST_KDF).store
    p = store.personen
    ids: dict[str, int] = {}
    for key, obj in (("praktijk", Praktijk("Praktijk De Linde", "Houten")), ("praktijk_archief", Praktijk("Oud")),
                     ("docent", Docent(Naam("Mila", "", "Bakker"))), ("docent_archief", Docent(Naam("", "", "Weg")))):
        (p.save_praktijk if isinstance(obj, Praktijk) else p.save_docent)(obj)  # type: ignore[arg-type]
        assert obj.id
        ids[key] = obj.id
    for key in ("groep", "groep_archief"):
        p.save_groep(groep := Groep(f"Groep {key}", 1, ids["docent"]))
        assert groep.id
        ids[key] = groep.id
    for key in ("opleider", "opleider_vrij", "opleider_archief"):
        p.save_opleider(opleider := Opleider(Naam("Eva", "", key.title()), ids["praktijk"]))
        assert opleider.id
        ids[key] = opleider.id
    for key in ("aios", "aios_archief"):
        p.save_aios(aios := Aios(Naam("Noor", "", key.title()), 1, START, groep_id=ids["groep"]))
        assert aios.id
        ids[key] = aios.id
    p.save_koppeling(koppeling := Koppeling(ids["aios"], ids["opleider"], START), today=TODAY)
    assert koppeling.id
    traject = _ontkoppeld_traject(store, koppeling.id)
    store.trajecten.record(traject, EventKind.KANDIDAAT_OPLEIDER, dt.date(2026, 9, 20),
                           {"opleider_id": ids["opleider_vrij"]}, user=AUTEUR, today=TODAY)
    kandidaat = store.trajecten.get(traject).events[-1].id
    verslag = store.verslagen.nieuw(traject, "driehoeksgesprek", auteur=AUTEUR, today=TODAY).created
    assert isinstance(verslag, int)
    for table, key in ((c.PRAKTIJK, "praktijk_archief"), (c.DOCENT, "docent_archief"), (c.GROEP, "groep_archief"),
                       (c.OPLEIDER, "opleider_archief"), (c.AIOS, "aios_archief")):
        p.set_gearchiveerd(table, [ids[key]], True)
    yield Basis(store, koppeling=koppeling.id, koppeling_ander=_nieuwe_koppeling(store, ids["praktijk"]),
                traject=traject, kandidaat=kandidaat, verslag=verslag, **ids)
    store.close()


def dump(store: Store) -> dict[str, list[str]]:
    """Every row of every table (the search index's own tables too), as text, in a stable order."""
    tables = [r[0] for r in store.conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND sql NOT LIKE 'CREATE VIRTUAL%' ORDER BY name")]
    return {t: sorted(repr(row) for row in store.conn.execute(f"SELECT * FROM {t}")) for t in tables}


_ENGELS = ("constraint", "FOREIGN KEY", "UNIQUE", "NOT NULL", "IntegrityError", "OperationalError", "Traceback",
           "has no attribute", "object", "invalid literal", "codec", "surrogates", "must be", "expected", "NoneType")
_NEDERLANDS = {"de", "het", "een", "niet", "is", "vul", "kies", "bestaat", "bevat", "van", "op", "geen", "in", "kan",
               "dit", "deze", "al", "heeft", "ligt", "te", "meer", "naam", "onbekend", "onbekende", "gegeven",
               "ongeldige", "waarde", "verplicht", "moet", "na", "wordt", "worden", "nog", "eerst", "zijn", "met",
               "voor", "aan", "om", "er", "dat", "bij", "alleen", "wacht"}


def nederlands(message: str) -> None:
    """A message for the user: Dutch, short, without SQLite's or Python's words and without what was refused
    (control characters, a half surrogate pair) repeated in it."""
    assert message.strip(), "an empty message"
    assert not any(word in message for word in _ENGELS), message
    assert _NEDERLANDS & set(re.findall(r"[a-zà-ÿ]+", message.lower())), message
    assert len(message) < 1500, message[:200]
    assert not re.search("[\x00-\x08\x0b-\x1f\x7f\ud800-\udfff\u202a-\u202e\u2066-\u2069]", message), repr(message)


def weigert(store: Store, call: Callable[[], object]) -> str:
    """`call` is refused in Dutch and leaves the file as it was; returns the message."""
    before = dump(store)
    with pytest.raises(OntkoppelError) as refused:
        call()
    nederlands(str(refused.value))
    assert dump(store) == before
    return str(refused.value)


def uitkomst(store: Store, call: Callable[[], object]) -> object | None:
    """The property of every call: its result, or None when it was refused in Dutch with the file as it was."""
    before = dump(store)
    try:
        result = call()
    except OntkoppelError as exc:
        nederlands(str(exc))
        assert dump(store) == before
        event("geweigerd")
        return None
    event("bewaard")
    return result


# ---- names, written again from the documented rules (core/personen.py) ------------------------------------------

_ONZICHTBAAR = "\u200b\u2060\ufeff\u00ad"
_RICHTING = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"


def verwacht(tekst: str) -> str | None:
    """What the forms keep of a name (None: refused): zero-width space, word joiner, BOM and soft hyphen out, NFC,
    whitespace and invisible format characters off both ends; refused with a control character, a line separator
    or a direction override inside, with a lone surrogate or U+FFFE/U+FFFF, or over 200 characters."""
    if any(0xD800 <= ord(ch) <= 0xDFFF or ch in "\ufffe\uffff" for ch in tekst):
        return None
    for ch in _ONZICHTBAAR:
        tekst = tekst.replace(ch, "")
    tekst = unicodedata.normalize("NFC", tekst)
    while tekst and (tekst[0].isspace() or unicodedata.category(tekst[0]) in ("Cc", "Cf")):
        tekst = tekst[1:]
    while tekst and (tekst[-1].isspace() or unicodedata.category(tekst[-1]) in ("Cc", "Cf")):
        tekst = tekst[:-1]
    if any(unicodedata.category(ch) in ("Cc", "Zl", "Zp") or ch in _RICHTING for ch in tekst) or len(tekst) > 200:
        return None
    return tekst


NAMEN_FOUT = [
    pytest.param("", id="leeg"),
    pytest.param("   ", id="spaties"),
    pytest.param("\t\n\r ", id="witruimte"),
    pytest.param("\u00a0\u3000", id="harde-spaties"),
    pytest.param("\u200b", id="alleen-zwsp"),
    pytest.param("\u200d", id="alleen-zwj"),
    pytest.param("\ufeff", id="alleen-bom"),
    pytest.param("\u202e", id="alleen-rlo"),
    pytest.param("\u200b\u200c\u200d\ufeff\u202e\u2066\u00ad", id="alleen-onzichtbaar"),
    pytest.param("\x00", id="alleen-nul"),
    pytest.param("\x07\x1b", id="alleen-bel-esc"),
    pytest.param("Jan\x00sen", id="nul-erin"),
    pytest.param("Jan\x07sen", id="bel-erin"),
    pytest.param("Jan\x1b[31msen", id="esc-erin"),
    pytest.param("Jan\nsen", id="regelovergang-erin"),
    pytest.param("Jan\tsen", id="tab-erin"),
    pytest.param("Jan\u2028sen", id="regelscheiding-erin"),
    pytest.param("Jan\u202esen", id="rlo-erin"),
    pytest.param("Jan\u2066sen\u2069", id="isolaat-erin"),
    pytest.param("\ud800", id="los-surrogaat"),
    pytest.param("Jan\udfffsen", id="los-laag-surrogaat-erin"),
    pytest.param("Jan\ufffe", id="geen-teken"),
    pytest.param("x" * 100_000, id="100000-tekens"),
    pytest.param("y" * 201, id="201-tekens"),
]

NAMEN_GOED = [
    pytest.param("Jansen", "Jansen", id="gewoon"),
    pytest.param("  Jansen \t", "Jansen", id="witruimte-eromheen"),
    pytest.param("\u200bJansen\ufeff", "Jansen", id="zwsp-bom-eromheen"),
    pytest.param("Jan\u200bsen", "Jansen", id="zwsp-erin-weg"),
    pytest.param("Jan\u00adsen", "Jansen", id="zacht-afbreekstreepje-weg"),
    pytest.param("\u202eJansen\u200e", "Jansen", id="richting-aan-de-rand-weg"),
    pytest.param("e\u0301lise", "élise", id="nfc"),
    pytest.param("e\u200b\u0301", "é", id="nfc-na-zwsp"),
    pytest.param("Çağlar Yılmaz", "Çağlar Yılmaz", id="turks"),
    pytest.param("Ĳsselstein", "Ĳsselstein", id="ij"),
    pytest.param("محمد", "محمد", id="arabisch"),
    pytest.param("שרה לוי", "שרה לוי", id="hebreeuws"),
    pytest.param("میرزا\u200cزاده", "میرزا\u200cزاده", id="perzisch-zwnj-blijft"),
    pytest.param("Jansen 🙂", "Jansen 🙂", id="emoji"),
    pytest.param("👨\u200d👩\u200d👧", "👨\u200d👩\u200d👧", id="emoji-zwj-blijft"),
    pytest.param("'; DROP TABLE aios; --", "'; DROP TABLE aios; --", id="sql"),
    pytest.param("Robert'); DROP TABLE koppeling;--", "Robert'); DROP TABLE koppeling;--", id="sql-bobby"),
    pytest.param("O'Brien-de Wit", "O'Brien-de Wit", id="apostrof"),
    pytest.param("z" * 200, "z" * 200, id="200-tekens"),
    pytest.param("%_\\", "%_\\", id="like-tekens"),
]


def _aios(achternaam: str, **kwargs: Any) -> Aios:
    return Aios(Naam(kwargs.pop("voornaam", "Noor"), kwargs.pop("tussenvoegsel", ""), achternaam), 1, START, **kwargs)


# The forms whose name is required, each with the name put in.
VERPLICHT: dict[str, Callable[[Basis, str], Callable[[], object]]] = {
    "aios": lambda b, n: lambda: b.store.personen.save_aios(_aios(n), today=TODAY),
    "opleider": lambda b, n: lambda: b.store.personen.save_opleider(Opleider(Naam("Eva", "", n), b.praktijk)),
    "praktijk": lambda b, n: lambda: b.store.personen.save_praktijk(Praktijk(n, "Zeist")),
    "groep": lambda b, n: lambda: b.store.personen.save_groep(Groep(n, 2)),
    "docent": lambda b, n: lambda: b.store.personen.save_docent(Docent(Naam("", "", n))),
    "medewerker": lambda b, n: lambda: b.store.personen.save_medewerker(
        Medewerker(Naam("Sanne", "", n), Rol.MANAGER_OPLEIDERS)),
}


@pytest.mark.parametrize("naam", NAMEN_FOUT)
@pytest.mark.parametrize("form", sorted(VERPLICHT))
def test_a_required_name_that_is_no_name_is_refused(basis: Basis, form: str, naam: str) -> None:
    message = weigert(basis.store, VERPLICHT[form](basis, naam))
    assert naam.strip() == "" or naam not in message


@pytest.mark.parametrize(("naam", "bewaard"), NAMEN_GOED)
def test_a_name_is_kept_normalised_and_reads_back(basis: Basis, naam: str, bewaard: str) -> None:
    aios = _aios(naam, voornaam=f" {naam} ", tussenvoegsel="van\u200b der")
    basis.store.personen.save_aios(aios, today=TODAY)
    assert aios.id
    [terug] = basis.store.personen.aios(ids=[aios.id])
    assert (terug.naam.voornaam, terug.naam.tussenvoegsel, terug.naam.achternaam) == (bewaard, "van der", bewaard)
    assert verwacht(naam) == bewaard


@pytest.mark.parametrize("naam", [p for p in NAMEN_FOUT if verwacht(p.values[0]) is None])  # type: ignore[arg-type]
def test_an_optional_name_part_is_refused_for_the_same_faults(basis: Basis, naam: str) -> None:
    weigert(basis.store, lambda: basis.store.personen.save_aios(_aios("Visser", tussenvoegsel=naam), today=TODAY))


def test_an_optional_name_part_may_be_left_empty_even_with_invisible_characters(basis: Basis) -> None:
    aios = _aios("Visser", voornaam="\u200b \ufeff", tussenvoegsel="")
    basis.store.personen.save_aios(aios, today=TODAY)
    assert aios.id
    assert basis.store.personen.get_aios(aios.id).naam == Naam("", "", "Visser")


def test_a_praktijk_plaats_follows_the_name_rules(basis: Basis) -> None:
    weigert(basis.store, lambda: basis.store.personen.save_praktijk(Praktijk("De Linde", "Zei\x00st")))
    praktijk = Praktijk(" De\u200b Linde ", "\ufeffZeist ")
    basis.store.personen.save_praktijk(praktijk)
    assert basis.store.personen.praktijken(ids=[praktijk.id]) == [Praktijk("De Linde", "Zeist", praktijk.id)]


# ---- e-mail -------------------------------------------------------------------------------------------------------

EMAIL_FOUT = ["x", "a@b", "jan@@praktijk.nl", "jan@praktijk", "jan @praktijk.nl", "jan@praktijk.nl\r\nBcc: x@y.nl",
              "<jan@praktijk.nl>", "jan@praktijk..nl", "@praktijk.nl", "jan@", "j\u200ban@praktijk.nl",
              "a" * 250 + "@praktijk.nl", "jan@praktijk.nl\x00", "jan@-praktijk.nl", "jan,piet@praktijk.nl"]
EMAIL_GOED = [("jan@voorbeeld.nl", "jan@voorbeeld.nl"), ("  jan@voorbeeld.nl ", "jan@voorbeeld.nl"),
              ("j.de.vries@praktijk-west.nl", "j.de.vries@praktijk-west.nl"),
              ("jan+ontkoppel@voorbeeld.nl", "jan+ontkoppel@voorbeeld.nl"), ("", "")]


@pytest.mark.parametrize("email", EMAIL_FOUT)
def test_email_nonsense_is_refused(basis: Basis, email: str) -> None:
    message = weigert(basis.store, lambda: basis.store.personen.save_aios(_aios("Visser", email=email), today=TODAY))
    assert "e-mailadres" in message


@pytest.mark.parametrize(("email", "bewaard"), EMAIL_GOED)
def test_an_email_address_reads_back(basis: Basis, email: str, bewaard: str) -> None:
    opleider = Opleider(Naam("Eva", "", "Smit"), basis.praktijk, email=email)
    basis.store.personen.save_opleider(opleider)
    assert [o.email for o in basis.store.personen.opleiders(ids=[opleider.id])] == [bewaard]


# ---- references: ids that do not exist, negative, out of range, archived ----------------------------------------

ONBESTAAND = [pytest.param(999_999, id="onbekend"), pytest.param(-1, id="negatief"), pytest.param(0, id="nul"),
              pytest.param(2**63, id="buiten-sqlite"), pytest.param(2**70, id="enorm")]


@pytest.mark.parametrize("ref", ONBESTAAND)
def test_an_opleider_in_a_praktijk_that_does_not_exist(basis: Basis, ref: int) -> None:
    message = weigert(basis.store, lambda: basis.store.personen.save_opleider(Opleider(Naam("", "", "Vos"), ref)))
    assert "de praktijk" in message and "bestaat niet" in message


@pytest.mark.parametrize("ref", ONBESTAAND)
def test_a_koppeling_with_people_that_do_not_exist(basis: Basis, ref: int) -> None:
    weigert(basis.store, lambda: basis.store.personen.save_koppeling(Koppeling(ref, basis.opleider_vrij, START)))
    weigert(basis.store, lambda: basis.store.personen.save_koppeling(Koppeling(basis.aios, ref, START)))


@pytest.mark.parametrize("ref", [-5, 424_242])
def test_an_aios_in_a_groep_and_a_groep_with_docenten_that_do_not_exist(basis: Basis, ref: int) -> None:
    weigert(basis.store, lambda: basis.store.personen.save_aios(_aios("Visser", groep_id=ref), today=TODAY))
    weigert(basis.store, lambda: basis.store.personen.save_groep(Groep("Groep 2B", 2, basis.docent, ref)))


@pytest.mark.parametrize("soort", ["opleider-praktijk", "aios-groep", "groep-docent", "koppeling-aios",
                                   "koppeling-opleider"])
def test_a_new_reference_to_an_archived_row_is_refused(basis: Basis, soort: str) -> None:
    p, b = basis.store.personen, basis
    call = {
        "opleider-praktijk": lambda: p.save_opleider(Opleider(Naam("", "", "Vos"), b.praktijk_archief)),
        "aios-groep": lambda: p.save_aios(_aios("Visser", groep_id=b.groep_archief), today=TODAY),
        "groep-docent": lambda: p.save_groep(Groep("Groep 3C", 3, b.docent_archief)),
        "koppeling-aios": lambda: p.save_koppeling(Koppeling(b.aios_archief, b.opleider_vrij, START), today=TODAY),
        "koppeling-opleider": lambda: p.save_koppeling(Koppeling(b.aios, b.opleider_archief, dt.date(2027, 1, 1),
                                                                 dt.date(2027, 2, 1)), today=TODAY),
    }[soort]
    assert "archief" in weigert(basis.store, call)


def test_an_unchanged_reference_to_an_archived_row_may_stay(basis: Basis) -> None:
    """An opleider whose praktijk was archived later can still be edited."""
    opleider = Opleider(Naam("Eva", "", "Blijft"), basis.praktijk)
    basis.store.personen.save_opleider(opleider)
    basis.store.personen.save_praktijk(praktijk := Praktijk("Sluit straks", "Bunnik"))
    opleider.praktijk_id = praktijk.id
    basis.store.personen.save_opleider(opleider)
    basis.store.personen.set_gearchiveerd(c.PRAKTIJK, [praktijk.id], True)  # type: ignore[list-item]
    opleider.aanwezigheidspercentage = 80
    basis.store.personen.save_opleider(opleider)
    assert basis.store.personen.opleiders(ids=[opleider.id])[0].aanwezigheidspercentage == 80


@pytest.mark.parametrize("ref", ONBESTAAND)
def test_a_save_of_a_row_that_does_not_exist(basis: Basis, ref: int) -> None:
    weigert(basis.store, lambda: basis.store.personen.save_praktijk(Praktijk("Bestaat niet", id=ref)))


@pytest.mark.parametrize("ref", [pytest.param(-3, id="negatief"), pytest.param(2**70, id="enorm")])
def test_lookups_and_archiving_with_ids_that_cannot_exist(basis: Basis, ref: int) -> None:
    weigert(basis.store, lambda: basis.store.personen.get_aios(ref))
    weigert(basis.store, lambda: basis.store.personen.get_koppeling(ref))
    weigert(basis.store, lambda: basis.store.personen.set_gearchiveerd(c.AIOS, [ref], True))


# ---- dates ------------------------------------------------------------------------------------------------------

DATUMS_FOUT = [pytest.param(dt.date.min, id="jaar-1"), pytest.param(dt.date.max, id="9999-12-31"),
               pytest.param(dt.date(1900, 1, 1), id="1900"), pytest.param(dt.date(2200, 6, 1), id="2200")]


@pytest.mark.parametrize("datum", DATUMS_FOUT)
def test_dates_out_of_range_in_every_form(basis: Basis, datum: dt.date) -> None:
    p = basis.store.personen
    weigert(basis.store, lambda: p.save_aios(Aios(Naam("", "", "Visser"), 1, datum), today=TODAY))
    weigert(basis.store, lambda: p.save_koppeling(Koppeling(basis.aios, basis.opleider_vrij, datum), today=TODAY))
    weigert(basis.store, lambda: basis.store.trajecten.start(
        basis.koppeling_ander, Startreden.ZIEKMELDING, Categorie.OVERIG, datum, user=AUTEUR, today=TODAY))
    weigert(basis.store, lambda: basis.store.trajecten.record(
        basis.traject, EventKind.CHECK_UP, datum, {"notitie": "x"}, user=AUTEUR, today=TODAY))


@pytest.mark.parametrize("tekst", ["2026-02-30", "0000-01-01", "2026-13-01", "9999-12-31", "morgen", "31-12-2026",
                                   "2026-09-15\x00", "2026-09-1\ud800"])
def test_a_date_in_an_event_that_is_no_date(basis: Basis, tekst: str) -> None:
    weigert(basis.store, lambda: basis.store.trajecten.record(
        basis.traject, EventKind.KOPPELING_BEEINDIGD, dt.date(2026, 9, 16), {"laatste_dag_oude_praktijk": tekst},
        user=AUTEUR, today=TODAY))


def test_an_aios_without_a_startdatum_and_a_koppeling_ending_before_it_starts(basis: Basis) -> None:
    weigert(basis.store, lambda: basis.store.personen.save_aios(Aios(Naam("", "", "Visser"), 1, None)))
    weigert(basis.store, lambda: basis.store.personen.save_koppeling(
        Koppeling(basis.aios, basis.opleider_vrij, dt.date(2027, 3, 1), dt.date(2027, 2, 1)), today=TODAY))


def test_a_verslag_dated_february_30_is_kept_as_typed_and_not_recorded(basis: Basis) -> None:
    svc = basis.store.verslagen
    verslag_id = svc.nieuw(basis.traject, "driehoeksgesprek", auteur=AUTEUR, today=TODAY).created
    assert isinstance(verslag_id, int)
    antwoorden = {**svc.get(verslag_id).antwoorden, "datum": "2026-02-30", "aanleiding": "x", "perspectief_aios": "x",
                  "perspectief_opleider": "x", "afspraken": "x", "uitkomst": "geen_ontkoppeling",
                  "aandachtspunten": "x"}
    svc.bewaar(verslag_id, antwoorden, 2, auteur=AUTEUR)
    assert svc.get(verslag_id).antwoorden["datum"] == "2026-02-30"
    assert "geen datum" in weigert(basis.store, lambda: svc.voltooien(verslag_id, user=AUTEUR, today=TODAY))


# ---- trajecten: start and events --------------------------------------------------------------------------------


@pytest.mark.parametrize("ref", ONBESTAAND)
def test_an_event_naming_an_opleider_that_does_not_exist(basis: Basis, ref: int) -> None:
    message = weigert(basis.store, lambda: basis.store.trajecten.record(
        basis.traject, EventKind.KANDIDAAT_OPLEIDER, dt.date(2026, 9, 21), {"opleider_id": ref}, user=AUTEUR,
        today=TODAY))
    assert "opleider" in message


@pytest.mark.parametrize("waarde", [pytest.param("7", id="tekst"), pytest.param(True, id="ja-nee"),
                                    pytest.param(1.5, id="breuk"), pytest.param([1], id="lijst")])
def test_an_event_naming_an_opleider_with_something_else_than_a_number(basis: Basis, waarde: object) -> None:
    weigert(basis.store, lambda: basis.store.trajecten.record(
        basis.traject, EventKind.KANDIDAAT_OPLEIDER, dt.date(2026, 9, 21), {"opleider_id": waarde}, user=AUTEUR,
        today=TODAY))


def test_an_event_naming_an_archived_opleider_or_another_aioss_koppeling(basis: Basis) -> None:
    svc = basis.store.trajecten
    assert "archief" in weigert(basis.store, lambda: svc.record(
        basis.traject, EventKind.KANDIDAAT_OPLEIDER, dt.date(2026, 9, 21), {"opleider_id": basis.opleider_archief},
        user=AUTEUR, today=TODAY))
    assert "andere aios" in weigert(basis.store, lambda: svc.record(
        basis.traject, EventKind.NIEUWE_KOPPELING_GESTART, dt.date(2026, 9, 30),
        {"in_oude_praktijk_gebleven": False, "koppeling_id": basis.koppeling_ander}, user=AUTEUR, today=TODAY))


def test_a_correctie_naming_an_opleider_that_does_not_exist(basis: Basis) -> None:
    weigert(basis.store, lambda: basis.store.trajecten.corrigeren(
        basis.traject, basis.kandidaat, "Andere kandidaat", gegevens={"opleider_id": 31337}, user=AUTEUR,
        today=TODAY))


@pytest.mark.parametrize("traject", ONBESTAAND)
def test_an_event_on_a_traject_that_does_not_exist(basis: Basis, traject: int) -> None:
    weigert(basis.store, lambda: basis.store.trajecten.record(traject, EventKind.CHECK_UP, dt.date(2026, 9, 21),
                                                              user=AUTEUR, today=TODAY))


@pytest.mark.parametrize(("kind", "data"), [
    pytest.param("bestaat_niet", {}, id="onbekende-soort"),
    pytest.param(EventKind.CHECK_UP, {"onzin": 1}, id="onbekend-gegeven"),
    pytest.param(EventKind.UITKOMST, {"uitkomst": "'; DROP TABLE traject; --"}, id="sql-als-keuze"),
    pytest.param(EventKind.BESLUIT_ONTKOPPELING, {"besluit": "ontkoppelen", "door": "\x00\u200b"},
                 id="verplicht-alleen-nul"),
    pytest.param(EventKind.WACHTTIJD_BESLUIT, {"dagen_opleidingstijd": "veel"}, id="getal-als-tekst"),
    pytest.param(EventKind.TELEFONISCH_CONTACT, {"met": []}, id="lege-keuzes"),
])
def test_an_event_with_data_the_kind_does_not_take(basis: Basis, kind: object, data: dict[str, object]) -> None:
    weigert(basis.store, lambda: basis.store.trajecten.record(basis.traject, kind, dt.date(2026, 9, 21),  # type: ignore[arg-type]
                                                              data, user=AUTEUR, today=TODAY))


@pytest.mark.parametrize(("notitie", "bewaard"), [
    pytest.param("Belde om 9:00\x07\x1b[0m, niemand\x00 thuis", "Belde om 9:00\x07\x1b[0m, niemand\x00 thuis",
                 id="stuurtekens-blijven"),
    pytest.param("half \ud83d paar", "half  paar", id="los-surrogaat-weg"),
    pytest.param("lang " * 20_000, ("lang " * 20_000).strip(), id="100000-tekens"),
    pytest.param("مرحبا 🙂 \u202eomgedraaid", "مرحبا 🙂 \u202eomgedraaid", id="rtl-en-emoji"),
    pytest.param("'; DROP TABLE traject_event; --", "'; DROP TABLE traject_event; --", id="sql"),
])
def test_a_note_is_kept_as_typed(basis: Basis, notitie: str, bewaard: str) -> None:
    svc = basis.store.trajecten
    svc.record(basis.traject, EventKind.CHECK_UP, dt.date(2026, 9, 21), {"notitie": notitie}, user=AUTEUR,
               today=TODAY)
    assert svc.get(basis.traject).events[-1].data == {"notitie": bewaard}


@pytest.mark.parametrize("koppeling", [*ONBESTAAND, pytest.param("archief", id="gearchiveerd")])
def test_a_traject_on_a_koppeling_that_does_not_exist(basis: Basis, koppeling: object) -> None:
    if koppeling == "archief":
        koppeling = _nieuwe_koppeling(basis.store, basis.praktijk, "Archief")
        basis.store.personen.set_gearchiveerd(c.KOPPELING, [koppeling], True)
    weigert(basis.store, lambda: basis.store.trajecten.start(
        koppeling, Startreden.SIGNAAL_OPLEIDER, Categorie.OVERIG, dt.date(2026, 10, 1), user=AUTEUR,  # type: ignore[arg-type]
        today=TODAY))


def test_a_second_traject_on_a_koppeling(basis: Basis) -> None:
    assert "loopt al een traject" in weigert(basis.store, lambda: basis.store.trajecten.start(
        basis.koppeling, Startreden.SIGNAAL_AIOS, Categorie.OVERIG, dt.date(2026, 10, 1), user=AUTEUR, today=TODAY))


# ---- verslagen ----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("traject", "gesprek", "auteur", "gebeurtenis"), [
    pytest.param(999_999, "driehoeksgesprek", AUTEUR, None, id="traject-bestaat-niet"),
    pytest.param(-1, "driehoeksgesprek", AUTEUR, None, id="traject-negatief"),
    pytest.param(None, "bestaat_niet", AUTEUR, None, id="gesprek-onbekend"),
    pytest.param(None, "drie\ud800hoek", AUTEUR, None, id="gesprek-los-surrogaat"),
    pytest.param(None, "driehoeksgesprek", "", None, id="auteur-leeg"),
    pytest.param(None, "driehoeksgesprek", "\u200b\ufeff", None, id="auteur-onzichtbaar"),
    pytest.param(None, "driehoeksgesprek", "Docent\x00Vos", None, id="auteur-nul"),
    pytest.param(None, "driehoeksgesprek", "Docent\nVos", None, id="auteur-regelovergang"),
    pytest.param(None, "driehoeksgesprek", "\ud800", None, id="auteur-los-surrogaat"),
    pytest.param(None, "driehoeksgesprek", AUTEUR, "bestaat-niet", id="gebeurtenis-onbekend"),
])
def test_a_new_verslag_that_cannot_be(basis: Basis, traject: int | None, gesprek: str, auteur: str,
                                      gebeurtenis: str | None) -> None:
    weigert(basis.store, lambda: basis.store.verslagen.nieuw(
        basis.traject if traject is None else traject, gesprek, auteur=auteur, gebeurtenis_id=gebeurtenis,
        today=TODAY))


@pytest.mark.parametrize(("antwoorden", "pagina", "auteur"), [
    pytest.param({"aanleiding": "x"}, -1, AUTEUR, id="pagina-negatief"),
    pytest.param({"aanleiding": "x"}, 2**70, AUTEUR, id="pagina-enorm"),
    pytest.param({"aanleiding": "x"}, True, AUTEUR, id="pagina-ja"),
    pytest.param({"aanleiding": math.nan}, 1, AUTEUR, id="nan"),
    pytest.param({"aanleiding": math.inf}, 1, AUTEUR, id="oneindig"),
    pytest.param({"aanleiding": b"bytes"}, 1, AUTEUR, id="bytes"),
    pytest.param({"aanleiding": {1, 2}}, 1, AUTEUR, id="verzameling"),
    pytest.param({"aanleiding": dt.date(2026, 9, 8)}, 1, AUTEUR, id="datum-object"),
    pytest.param(["aanleiding"], 1, AUTEUR, id="geen-mapping"),
    pytest.param({"aanleiding": "x"}, 1, "Iemand anders", id="andere-auteur"),
    pytest.param({"aanleiding": "x"}, 1, "", id="geen-auteur"),
])
def test_a_save_of_a_concept_that_cannot_be(basis: Basis, antwoorden: object, pagina: int, auteur: str) -> None:
    weigert(basis.store, lambda: basis.store.verslagen.bewaar(basis.verslag, antwoorden, pagina, auteur=auteur))  # type: ignore[arg-type]


@pytest.mark.parametrize("verslag", ONBESTAAND)
def test_a_save_of_a_verslag_that_does_not_exist(basis: Basis, verslag: int) -> None:
    weigert(basis.store, lambda: basis.store.verslagen.bewaar(verslag, {}, 0, auteur=AUTEUR))


@pytest.mark.parametrize(("tekst", "bewaard"), [
    pytest.param("Ĳsselmeer \x07\x00\x1b[31m\r\n", "Ĳsselmeer \x07\x00\x1b[31m\r\n", id="stuurtekens-exact"),
    pytest.param("tekst " * 20_000, "tekst " * 20_000, id="100000-tekens"),
    pytest.param("los \udc00 surrogaat", "los  surrogaat", id="los-surrogaat-weg"),
    pytest.param("שלום 🙂 \u202e", "שלום 🙂 \u202e", id="rtl-emoji"),
    pytest.param("'); DELETE FROM verslag; --", "'); DELETE FROM verslag; --", id="sql"),
    pytest.param("AND OR NOT NEAR * \" ^", "AND OR NOT NEAR * \" ^", id="fts-syntax"),
])
def test_a_concept_keeps_its_text_as_typed(basis: Basis, tekst: str, bewaard: str) -> None:
    svc = basis.store.verslagen
    svc.bewaar(basis.verslag, {**svc.get(basis.verslag).antwoorden, "aanleiding": tekst, "lijst": [tekst, 1, None]},
               3, auteur=f" {AUTEUR}\u200b")
    terug = svc.get(basis.verslag)
    assert (terug.antwoorden["aanleiding"], terug.antwoorden["lijst"], terug.pagina) == (bewaard, [bewaard, 1, None], 3)


# ---- hypothesis: any input through the same doors ------------------------------------------------------------

SNEL = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                       HealthCheck.data_too_large])
LASTIG = st.sampled_from([
    "", " ", "\t", "\n", "\r", "\x00", "\x07", "\x1b", "\x7f", "\x85", "\u00a0", "\u00ad", "\u200b", "\u200c",
    "\u200d", "\u200e", "\u2028", "\u2060", "\ufeff", "\u202e", "\u2066", "\ud800", "\udfff", "\ufffe", "e",
    "\u0301", "é", "e\u0301", "A\u030a", "ı", "Ĳ", "م", "ש", "🙂", "'", ";", "--", "%", "_", "\\", "@", ".",
])
TEKST = st.lists(st.one_of(LASTIG, st.characters(exclude_categories=())), max_size=30).map("".join)
NAAMTEKST = st.one_of(TEKST, st.sampled_from(["Jansen", "de", "van der", "Çağlar", " Ĳzer\u200bman ", "e\u0301lise",
                                             "A\u030as\u200ba"]),
                      st.integers(195, 205).map(lambda n: "a" * n))
NAAMDEEL = st.one_of(st.sampled_from(["", "Jan", "van der", "Çağlar", "\u200bIris "]), NAAMTEKST)
EMAIL = st.one_of(st.sampled_from(["", "jan@voorbeeld.nl", " j.de.vries@praktijk-west.nl "]), TEKST)
# Ids: the first rows of each table (they exist, some archived), and the ones no row can have.
IDS = st.one_of(st.integers(1, 6), st.integers(-3, 30), st.sampled_from([2**63 - 1, 2**63, -(2**63), 2**70]))
DATUMS = st.one_of(st.dates(), st.dates(dt.date(2011, 1, 1), dt.date(2028, 12, 31)))
RECENT = st.one_of(st.dates(dt.date(2026, 3, 1), TODAY), DATUMS)
NIEUW = -100  # an id that stands for "a row made for this example", so that some saves are free to succeed


@SNEL
@given(voornaam=NAAMDEEL, tussenvoegsel=NAAMDEEL, email=EMAIL,
       achternaam=st.one_of(st.sampled_from(["Jansen", "Yılmaz", " Ĳzer\u200bman ", "e\u0301lise"]), NAAMTEKST),
       jaar=st.one_of(st.sampled_from([1, 2, 3]), st.sampled_from([1, 2, 3]), st.integers(-1, 5)),
       start=st.one_of(st.dates(dt.date(2012, 1, 1), dt.date(2027, 6, 30)), DATUMS),
       deeltijd=st.one_of(st.sampled_from([50, 80, 100]), st.integers(0, 120)), groep=st.one_of(st.none(), IDS))
def test_any_aios_is_saved_as_the_rules_say_or_refused_in_dutch(
        basis: Basis, voornaam: str, tussenvoegsel: str, achternaam: str, email: str, jaar: int, start: dt.date,
        deeltijd: int, groep: int | None) -> None:
    aios = Aios(Naam(voornaam, tussenvoegsel, achternaam), jaar, start, deeltijd, groep, email)
    saved = uitkomst(basis.store, lambda: basis.store.personen.save_aios(aios, today=TODAY))
    namen = (verwacht(voornaam), verwacht(tussenvoegsel), verwacht(achternaam))
    if None in namen or not namen[2]:
        assert saved is None
    if saved is None:
        return
    assert aios.id
    [terug] = basis.store.personen.aios(archief=True, ids=[aios.id])
    assert (terug.naam.voornaam, terug.naam.tussenvoegsel, terug.naam.achternaam) == namen
    assert (terug.opleidingsjaar, terug.startdatum_opleiding, terug.deeltijdpercentage, terug.groep_id,
            terug.email) == (jaar, start, deeltijd, groep, email.strip())


@SNEL
@given(naam=NAAMTEKST, plaats=NAAMTEKST)
def test_any_praktijk_is_saved_as_the_rules_say_or_refused_in_dutch(basis: Basis, naam: str, plaats: str) -> None:
    praktijk = Praktijk(naam, plaats)
    saved = uitkomst(basis.store, lambda: basis.store.personen.save_praktijk(praktijk))
    goed = verwacht(naam) and verwacht(plaats) is not None
    assert (saved is not None) == bool(goed), (naam, plaats)
    if saved is not None:
        assert basis.store.personen.praktijken(ids=[praktijk.id]) == [
            Praktijk(verwacht(naam) or "", verwacht(plaats) or "", praktijk.id)]


@SNEL
@given(achternaam=NAAMTEKST, praktijk=IDS, curriculum=st.one_of(st.none(), st.integers(-1, 6)),
       duo=st.booleans(), aanwezig=st.one_of(st.sampled_from([40, 100]), st.integers(-5, 110)), email=EMAIL)
def test_any_opleider_is_saved_as_the_rules_say_or_refused_in_dutch(
        basis: Basis, achternaam: str, praktijk: int, curriculum: int | None, duo: bool, aanwezig: int,
        email: str) -> None:
    opleider = Opleider(Naam("Eva", "", achternaam), praktijk, curriculum, False, duo, aanwezig, email=email)
    saved = uitkomst(basis.store, lambda: basis.store.personen.save_opleider(opleider))
    if saved is not None:
        [terug] = basis.store.personen.opleiders(archief=True, ids=[opleider.id])
        assert terug.naam.achternaam == verwacht(achternaam) and terug.praktijk_id == praktijk
        assert (terug.curriculumjaar, terug.duo_opleider, terug.aanwezigheidspercentage) == (curriculum, duo, aanwezig)


@SNEL
@given(aios=st.one_of(st.just(NIEUW), IDS), opleider=IDS, start=DATUMS,
       einde=st.one_of(st.none(), st.none(), DATUMS))
def test_any_koppeling_is_saved_as_the_rules_say_or_refused_in_dutch(
        basis: Basis, aios: int, opleider: int, start: dt.date, einde: dt.date | None) -> None:
    if aios == NIEUW:
        nieuw = _aios("Vrij")
        basis.store.personen.save_aios(nieuw, today=TODAY)
        assert nieuw.id
        aios = nieuw.id
    koppeling = Koppeling(aios, opleider, start, einde)
    saved = uitkomst(basis.store, lambda: basis.store.personen.save_koppeling(koppeling, today=TODAY))
    if saved is not None:
        assert basis.store.personen.koppelingen(archief=True, ids=[koppeling.id]) == [koppeling]


JSON = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(-(2**70), 2**70), st.floats(), TEKST),
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(TEKST, inner, max_size=4)),
    max_leaves=12,
)


def _zonder_surrogaten(value: object) -> object:
    if isinstance(value, str):
        return re.sub("[\ud800-\udfff]", "", value)
    if isinstance(value, list):
        return [_zonder_surrogaten(v) for v in value]
    if isinstance(value, dict):
        return {_zonder_surrogaten(k): _zonder_surrogaten(v) for k, v in value.items()}
    return value


def _eindig(value: object) -> bool:
    if isinstance(value, float):
        return math.isfinite(value)
    if isinstance(value, list):
        return all(_eindig(v) for v in value)
    if isinstance(value, dict):
        return all(_eindig(v) for v in value.values())
    return True


@SNEL
@given(extra=st.dictionaries(st.one_of(TEKST, st.sampled_from(["aanleiding", "afspraken", "datum", "uitkomst"])),
                             JSON, max_size=5),
       pagina=st.one_of(st.integers(-2, 12), st.just(2**64)))
def test_any_answers_are_kept_as_typed_or_refused_in_dutch(basis: Basis, extra: dict[str, Any], pagina: int) -> None:
    svc = basis.store.verslagen
    antwoorden = {**svc.get(basis.verslag).antwoorden, **extra}
    saved = uitkomst(basis.store, lambda: svc.bewaar(basis.verslag, antwoorden, pagina, auteur=AUTEUR))
    assert (saved is not None) == (_eindig(antwoorden) and 0 <= pagina <= 10_000)
    if saved is not None:
        terug = svc.get(basis.verslag)
        assert terug.antwoorden == _zonder_surrogaten(antwoorden) and terug.pagina == pagina


@SNEL
@given(gesprek=st.one_of(st.sampled_from(["driehoeksgesprek", "evaluatie_aios", "check_up"]), TEKST),
       auteur=st.one_of(st.just(AUTEUR), NAAMTEKST), gebeurtenis=st.one_of(st.none(), TEKST),
       gegevens=st.dictionaries(st.one_of(st.just("opleider_id"), TEKST), JSON, max_size=3))
def test_any_new_verslag_is_made_or_refused_in_dutch(basis: Basis, gesprek: str, auteur: str,
                                                     gebeurtenis: str | None, gegevens: dict[str, Any]) -> None:
    svc = basis.store.verslagen
    made = uitkomst(basis.store, lambda: svc.nieuw(basis.traject, gesprek, auteur=auteur, gebeurtenis_id=gebeurtenis,
                                                   gegevens=gegevens, today=TODAY))
    if made is not None:
        verslag = svc.get(made.created)  # type: ignore[attr-defined]
        assert (verslag.gesprek, verslag.auteur, verslag.gebeurtenis_id) == (gesprek, verwacht(auteur), gebeurtenis)


_KINDS = [k for k in EventKind if not k.is_correctie]
_WAARDE: dict[FieldType, st.SearchStrategy[Any]] = {
    FieldType.TEXT: TEKST, FieldType.BOOL: st.booleans(), FieldType.INT: st.integers(),
    FieldType.DATE: RECENT.map(dt.date.isoformat), FieldType.ID: IDS, FieldType.EVENT: TEKST,
    FieldType.STEP: st.sampled_from(["driehoeksgesprek", "check_up", "besluit_communiceren", "bestaat_niet"]),
}


@st.composite
def _events(draw: st.DrawFn) -> tuple[EventKind | str, dict[str, object]]:
    """A kind (or a name no kind has) and data: each field of the kind with a value of its type (or of another
    type), and now and then a field it does not have."""
    kind = draw(st.one_of(st.sampled_from(_KINDS), st.sampled_from(_KINDS), st.sampled_from(_KINDS), TEKST))
    data: dict[str, object] = {}
    for name, spec in (kind.fields.items() if isinstance(kind, EventKind) else ()):
        if not draw(st.booleans()) and not spec.required:
            continue
        if spec.type in (FieldType.CHOICE, FieldType.CHOICES):
            good = st.sampled_from(spec.choices)
            good = good if spec.type is FieldType.CHOICE else st.lists(good, min_size=1, max_size=2, unique=True)
        else:
            good = _WAARDE.get(spec.type, TEKST)
        data[name] = draw(st.one_of(good, good, good, EVENT_DATA))
    if draw(st.integers(0, 5)) == 0:
        data[draw(TEKST)] = draw(EVENT_DATA)
    return kind, data


EVENT_DATA = st.one_of(st.none(), st.booleans(), st.integers(), TEKST, st.dates().map(dt.date.isoformat))


@pytest.fixture(scope="module")
def eigen_traject(basis: Basis) -> int:
    """A traject of its own for the hypothesis events, which may end, close or change it."""
    return _ontkoppeld_traject(basis.store, _nieuwe_koppeling(basis.store, basis.praktijk, "Hypothese"))


@SNEL
@given(event=_events(), day=st.one_of(st.dates(dt.date(2026, 9, 15), TODAY), RECENT),
       user=st.one_of(st.just(AUTEUR), TEKST))
def test_any_event_is_recorded_as_given_or_refused_in_dutch(
        basis: Basis, eigen_traject: int, event: tuple[EventKind | str, dict[str, object]], day: dt.date,
        user: str) -> None:
    kind, data = event
    svc = basis.store.trajecten
    recorded = uitkomst(basis.store, lambda: svc.record(eigen_traject, kind, day, data, user=user, today=TODAY))
    if recorded is not None:
        # The event as recorded, after the one the checklist may have added for its last point.
        last = svc.get(eigen_traject).events
        assert any(e.kind == kind and e.date == day and e.user == _zonder_surrogaten(user) for e in last[-2:])


@SNEL
@given(koppeling=st.one_of(st.just(NIEUW), IDS), datum=RECENT, omschrijving=TEKST, user=TEKST,
       reden=st.sampled_from(list(Startreden)))
def test_any_start_of_a_traject_starts_one_or_is_refused_in_dutch(
        basis: Basis, koppeling: int, datum: dt.date, omschrijving: str, user: str, reden: Startreden) -> None:
    if koppeling == NIEUW:
        koppeling = _nieuwe_koppeling(basis.store, basis.praktijk, "Start")
    started = uitkomst(basis.store, lambda: basis.store.trajecten.start(
        koppeling, reden, Categorie.OVERIG, datum, user=user, omschrijving=omschrijving, today=TODAY))
    if started is not None:
        traject = basis.store.trajecten.get(started.created)  # type: ignore[attr-defined]
        first = traject.events[0]
        assert traject.koppeling_id == koppeling and first.date == datum
        assert first.text("omschrijving") == _zonder_surrogaten(omschrijving).strip()
