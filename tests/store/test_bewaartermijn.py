"""Bewaartermijnen (issue 13, AVG): what has passed its term is listed, and deleted for good on confirmation.

Two cases of tests/faults/crash_child.py write a marker into every kind of record (names, e-mail, notities, the text
of a concept and of a definitief verslag, a bijlage's name and bytes, a ronde's names and an uitzondering). Case 1's
traject is closed and its aios and opleider archived; case 2 stays in use. Ten years on, case 1 is listed and
deleted; then no trace of its markers is left in any table (the search index's own tables too), nor in any page of the
file or its -wal once decrypted (freed pages included), while case 2 is exactly as it was.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlcipher3
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

from ontkoppel_desktop.core import changes as c
from ontkoppel_desktop.core.bewaartermijn import AIOS, OPLEIDER, RONDE, TRAJECT, Bewaartermijnen, na_jaren
from ontkoppel_desktop.core.errors import ValidatieFout
from ontkoppel_desktop.core.procedure import EventKind
from ontkoppel_desktop.store.store import Store
from tests.conftest import FAST_KDF, WACHTWOORD
from tests.faults.crash_child import Case, write_cases

PREFIX = "ZBEWAAR"
TODAY = dt.date.today()
LATER = TODAY + dt.timedelta(days=10 * 366)
TERMIJNEN = Bewaartermijnen()
# What case 1 keeps after its traject and people are gone: the institute's own rows, which no term removes.
BLIJFT = ("praktijk", "plaats", "docenthuisarts", "docentgedrag", "groep", "medewerker")


ZOEKWOORD = "qqxyzzybewaarwoord"


# ---- the scans ----------------------------------------------------------------------------------------------------


def _tables(conn: sqlcipher3.Connection) -> list[str]:
    """Every table that holds rows: the ordinary ones and the search index's shadow tables (the virtual table
    itself is contentless: it reads from those)."""
    return [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' "
                                       "AND sql NOT LIKE 'CREATE VIRTUAL%'")]


def dump(store: Store) -> list[tuple[str, str]]:
    """Every value of every row of every table, as (table, text); BLOBs as their bytes read as Latin-1, so a marker
    inside a file or an index segment shows."""
    out = []
    for table in _tables(store.conn):
        for row in store.conn.execute(f'SELECT * FROM "{table}"'):
            for value in row:
                if isinstance(value, bytes):
                    out.append((table, value.decode("latin-1")))
                elif value is not None:
                    out.append((table, str(value)))
    return out


def treffers_in_tabellen(store: Store, marker: str) -> set[str]:
    marker = marker.casefold()
    return {table for table, text in dump(store) if marker in text.casefold()}


_PAGE = 4096
_RESERVE = 80  # SQLCipher 4: a 16-byte IV and a 64-byte HMAC at the end of each page


def _decrypt(page: bytes, key: bytes, first: bool) -> bytes:
    iv = page[_PAGE - _RESERVE:_PAGE - _RESERVE + 16]
    decryptor = Cipher(algorithms.AES(key), modes.CBC(iv)).decryptor()
    return decryptor.update(page[16 if first else 0:_PAGE - _RESERVE]) + decryptor.finalize()


def pages(path: Path, key: bytes) -> Iterator[bytes]:
    """Every page of the database file and every frame of its -wal, decrypted with the store's data key (raw key:
    SQLCipher uses it as the AES key as is): the free pages and old page copies a table dump never shows."""
    data = path.read_bytes()
    for n in range(len(data) // _PAGE):
        yield _decrypt(data[n * _PAGE:(n + 1) * _PAGE], key, n == 0)
    wal = path.with_name(path.name + "-wal")
    data = wal.read_bytes() if wal.exists() else b""
    offset = 32  # the WAL header; each frame is a 24-byte header and a page
    while offset + 24 + _PAGE <= len(data):
        yield _decrypt(data[offset + 24:offset + 24 + _PAGE], key, False)
        offset += 24 + _PAGE


def treffers_in_paginas(store: Store, marker: str) -> int:
    assert store._data_key is not None
    needles = [marker.lower().encode(e) for e in ("utf-8", "utf-16-le")]
    return sum(any(n in page.lower() for n in needles) for page in pages(store.path, store._data_key))


# ---- the store --------------------------------------------------------------------------------------------------


@pytest.fixture
def gevuld(tmp_path: Path) -> Iterator[Store]:
    """Case 1 done with (traject closed, aios and opleider archived); case 2 in use."""
    store = Store.create(tmp_path / "bewaar.okdb", WACHTWOORD, FAST_KDF).store
    write_cases(store, PREFIX, 2)
    een = Case.latest(store, PREFIX)
    assert een.number == 2
    een = Case(store, PREFIX, 1)
    een.find()
    sluit(store, een.ids["traject"], een.tag("gesloten"), een.tag("gebruiker"))
    store.personen.set_gearchiveerd(c.AIOS, [een.ids["aios"]], True)
    store.personen.set_gearchiveerd(c.OPLEIDER, [een.ids["opleider"]], True)
    store.personen.set_gearchiveerd(c.KOPPELING, [een.ids["koppeling"]], True)
    yield store
    store.close()


def sluit(store: Store, traject_id: int, reden: str, user: str, day: dt.date = TODAY) -> None:
    """Close the traject: every step still open skipped with a motivatie, then traject_gesloten."""
    svc = store.trajecten
    for _ in range(20):
        open_steps = svc.overview(svc.get(traject_id), day).open_statuses()
        if not open_steps:
            break
        for status in open_steps:
            svc.record(traject_id, EventKind.AFWIJKING, day, {"stap": status.step.id, "wijze": "overgeslagen",
                                                              "motivatie": reden}, user=user, today=day)
    svc.record(traject_id, EventKind.TRAJECT_GESLOTEN, day, {"reden": reden}, user=user, today=day)


def _case(store: Store, number: int) -> Case:
    case = Case(store, PREFIX, number)
    case.find()
    return case


def test_past_the_term_case_1_is_listed_and_nothing_in_use(gevuld: Store) -> None:
    een, twee = _case(gevuld, 1), _case(gevuld, 2)
    items = gevuld.bewaartermijn.verlopen(TERMIJNEN, LATER)
    sleutels = {i.sleutel for i in items}
    # Both cases' rondes started months from now: past their 2 years, whoever they name.
    assert sleutels == {(TRAJECT, een.ids["traject"]), (AIOS, een.ids["aios"]), (OPLEIDER, een.ids["opleider"]),
                        (RONDE, een.ids["ronde"]), (RONDE, twee.ids["ronde"])}
    traject = next(i for i in items if i.soort == TRAJECT)
    assert traject.sinds == TODAY and traject.verlopen_op == na_jaren(TODAY, 7)
    assert een.tag("aios") in traject.wie and "2 verslagen" in traject.inhoud and "1 bijlage" in traject.inhoud
    aios = next(i for i in items if i.soort == AIOS)
    assert aios.vereist == {(TRAJECT, een.ids["traject"])}


def test_before_the_term_nothing_or_only_what_has_passed(gevuld: Store) -> None:
    een = _case(gevuld, 1)
    assert gevuld.bewaartermijn.verlopen(TERMIJNEN, TODAY) == []
    # Six years on: the rondes have passed, the traject not yet, so neither have its people.
    zes = {i.sleutel for i in gevuld.bewaartermijn.verlopen(TERMIJNEN, na_jaren(TODAY, 6))}
    assert (TRAJECT, een.ids["traject"]) not in zes and (AIOS, een.ids["aios"]) not in zes
    assert {s for s, _ in zes} == {RONDE}


def test_an_open_traject_is_never_listed_however_old(gevuld: Store) -> None:
    twee = _case(gevuld, 2)
    items = gevuld.bewaartermijn.verlopen(TERMIJNEN, dt.date(9000, 1, 1))
    assert (TRAJECT, twee.ids["traject"]) not in {i.sleutel for i in items}
    assert not {(AIOS, twee.ids["aios"]), (OPLEIDER, twee.ids["opleider"])} & {i.sleutel for i in items}


def test_deletion_refuses_what_is_not_past_its_term_or_a_person_without_their_traject(gevuld: Store) -> None:
    een, twee = _case(gevuld, 1), _case(gevuld, 2)
    svc = gevuld.bewaartermijn
    voor = dump(gevuld)
    with pytest.raises(ValidatieFout):
        svc.verwijder({(TRAJECT, twee.ids["traject"])}, TERMIJNEN, LATER)
    with pytest.raises(ValidatieFout):
        svc.verwijder({(TRAJECT, een.ids["traject"])}, TERMIJNEN, TODAY)
    with pytest.raises(ValidatieFout, match="samen met"):
        svc.verwijder({(AIOS, een.ids["aios"])}, TERMIJNEN, LATER)
    assert dump(gevuld) == voor


def test_the_file_itself_refuses_an_open_traject_and_keeps_guarding_definitief_verslagen(gevuld: Store) -> None:
    een, twee = _case(gevuld, 1), _case(gevuld, 2)
    conn = gevuld.conn
    with pytest.raises(sqlcipher3.IntegrityError):
        conn.execute("INSERT INTO te_verwijderen (traject_id) VALUES (?)", (twee.ids["traject"],))
    # A definitief verslag of a closed traject outside the deletion's path stays guarded.
    with pytest.raises(sqlcipher3.IntegrityError):
        conn.execute("DELETE FROM verslag WHERE id = ?", (een.ids["evaluatie_opleider"],))
    gevuld.bewaartermijn.verwijder({(TRAJECT, een.ids["traject"])}, TERMIJNEN, LATER)
    assert conn.execute("SELECT count(*) FROM te_verwijderen").fetchone()[0] == 0
    with pytest.raises(sqlcipher3.IntegrityError):
        conn.execute("DELETE FROM verslag WHERE id = ?", (twee.ids["evaluatie_opleider"],))


def test_after_deletion_no_trace_of_case_1_in_any_table_or_page_and_case_2_as_it_was(gevuld: Store) -> None:
    een, twee = _case(gevuld, 1), _case(gevuld, 2)
    weg = [een.tag(k) for k in ("aios", "aiosvoornaam", "aiosemail", "opleider", "opleideremail", "omschrijving",
                                "notitie", "driehoeknotitie", "uitkomst", "door", "besluittoelichting", "gebruiker",
                                "auteur", "conceptplaats", "aanleiding", "perspectiefaios", "verslagplaats",
                                "eigenrol", "beleving", "leerpunten", "aandachtspuntenaios", "toelichting",
                                "bijlagenaam", "bijlage", "motivatie", "gesloten", "ronde", "rondeaios",
                                "rondeopleider", "rondepraktijk", "uitzondering")]
    # The search index stores its words prefix-compressed (each after the part it shares with the word before), so
    # a marker that shares a beginning with other words is not in its pages whole: a word unlike any other is.
    concept = gevuld.verslagen.get(een.ids["driehoeksgesprek"])
    gevuld.verslagen.bewaar(concept.id, {**concept.antwoorden, "aanleiding": f"{ZOEKWOORD} {een.tag('aanleiding')}"},
                            1, auteur=een.auteur)
    weg.append(ZOEKWOORD[1:])
    # The scans see them first, in the tables (the search index's too) and in the pages.
    for marker in weg:
        assert treffers_in_tabellen(gevuld, marker), marker
    assert treffers_in_tabellen(gevuld, ZOEKWOORD[1:]) == {"verslag", "verslag_zoek_data"}
    assert treffers_in_paginas(gevuld, een.tag("bijlage")) and treffers_in_paginas(gevuld, ZOEKWOORD[1:])
    twee_voor = twee.slots()

    items = gevuld.bewaartermijn.verlopen(TERMIJNEN, LATER)
    gedaan = gevuld.bewaartermijn.verwijder({i.sleutel for i in items}, TERMIJNEN, LATER)

    assert gedaan.opgeruimd
    v = gedaan.verwijderd
    assert v.trajecten == {een.ids["traject"]} and v.aios == {een.ids["aios"]}
    assert v.verslagen == {een.ids["driehoeksgesprek"], een.ids["evaluatie_opleider"]} and v.bijlagen == 1
    assert v.koppelingen == {een.ids["koppeling"]} and v.rondes == {een.ids["ronde"], twee.ids["ronde"]}
    assert gedaan.changes.touches(c.TRAJECT, een.ids["traject"]) and gedaan.changes.touches(c.RONDE, een.ids["ronde"])
    assert gedaan.changes.touches(c.VERSLAG, een.ids["evaluatie_opleider"])
    for marker in weg:
        assert not treffers_in_tabellen(gevuld, marker), marker
        assert not treffers_in_paginas(gevuld, marker), marker
    for kind in BLIJFT:
        assert treffers_in_tabellen(gevuld, een.tag(kind)), kind
    # Case 2 is exactly as it was (its ronde aside, which had passed its term too).
    twee_na = _case(gevuld, 2).slots()
    assert {k: v for k, v in twee_voor.items() if not k.startswith("ronde")} == twee_na
    assert not any(k.startswith("ronde") for k in twee_na)
    # And the search finds case 2's words, not case 1's.
    assert gevuld.verslagen.zoek(twee.tag("eigenrol")) and not gevuld.verslagen.zoek(een.tag("eigenrol"))


def test_no_trace_after_closing_and_opening_again(gevuld: Store, tmp_path: Path) -> None:
    een = _case(gevuld, 1)
    items = gevuld.bewaartermijn.verlopen(TERMIJNEN, LATER)
    gevuld.bewaartermijn.verwijder({i.sleutel for i in items}, TERMIJNEN, LATER)
    path = gevuld.path
    gevuld.close()
    store = Store.open(path, WACHTWOORD)
    try:
        for marker in (een.tag("aios"), een.tag("bijlage"), een.tag("eigenrol"), een.tag("rondeaios")):
            assert not treffers_in_tabellen(store, marker)
            assert not treffers_in_paginas(store, marker)
    finally:
        store.close()


def test_a_person_archived_is_dated_and_restoring_clears_it(store: Store) -> None:
    from ontkoppel_desktop.core.personen import Aios, Naam

    store.personen.save_aios(aios := Aios(Naam("Lot", "", "Vis"), 1, TODAY))
    assert aios.id is not None
    datum = "SELECT gearchiveerd_op FROM aios WHERE id = ?"
    assert store.conn.execute(datum, (aios.id,)).fetchone()[0] is None
    store.personen.set_gearchiveerd(c.AIOS, [aios.id], True)
    assert store.conn.execute(datum, (aios.id,)).fetchone()[0] == TODAY.isoformat()
    store.personen.set_gearchiveerd(c.AIOS, [aios.id], False)
    assert store.conn.execute(datum, (aios.id,)).fetchone()[0] is None
