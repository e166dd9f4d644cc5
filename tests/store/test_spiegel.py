"""The institute's Personen mirrored in this laptop's own (issue 17, instituut/spiegel.py), on a throwaway store
whose copy (`inst_*`, as a pull leaves it) is filled by hand: rows are linked one-to-one by name or added, never
guessed between namesakes; a koppeling the laptop's rules refuse is reported, not forced; an end recorded here by a
traject stands; what the institute keeps of a mirrored row is not changed here."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from ontkoppel_desktop.core.errors import ValidatieFout
from ontkoppel_desktop.core.personen import Aios, Koppeling, Naam, Opleider, Praktijk
from ontkoppel_desktop.instituut import spiegel
from ontkoppel_desktop.store.database import transaction
from ontkoppel_desktop.store.store import Store

START = date(2025, 9, 1)


def _kopie(store: Store, *, aios: list[tuple[int, str, str]], opleiders: list[tuple[int, str, str]],
           koppelingen: tuple[tuple[int, int, int, str, str | None], ...] = ()) -> None:
    conn = store.conn
    with transaction(conn):
        for tabel in ("inst_koppeling", "inst_aios", "inst_opleider", "inst_praktijk", "inst_groep"):
            conn.execute(f"DELETE FROM {tabel}")
        conn.execute("INSERT INTO inst_groep (id, naam, opleidingsjaar) VALUES (50, 'Groep A', 1)")
        conn.execute("INSERT INTO inst_praktijk (id, naam, plaats, versie) "
                     "VALUES (60, 'Praktijk Het Plein', 'Zeist', 1)")
        conn.executemany("INSERT INTO inst_aios (id, voornaam, achternaam, opleidingsjaar, startdatum_opleiding, "
                         "groep, versie) VALUES (?, ?, ?, 1, '2025-03-01', 50, 1)", aios)
        conn.executemany("INSERT INTO inst_opleider (id, voornaam, achternaam, praktijk, versie) "
                         "VALUES (?, ?, ?, 60, 1)", opleiders)
        conn.executemany("INSERT INTO inst_koppeling (id, aios, opleider, startdatum, einddatum, versie) "
                         "VALUES (?, ?, ?, ?, ?, 1)", koppelingen)


def _eigen(store: Store) -> tuple[Aios, Opleider, Koppeling]:
    p = store.personen
    praktijk = Praktijk("Praktijk Het Plein", "Zeist")
    p.save_praktijk(praktijk)
    aios = Aios(Naam("Noor", "", "Visser"), 1, date(2025, 3, 1))
    p.save_aios(aios)
    opleider = Opleider(Naam("Eva", "", "Oud"), praktijk.id)
    p.save_opleider(opleider)
    assert aios.id and opleider.id
    koppeling = Koppeling(aios.id, opleider.id, date(2025, 8, 1))
    p.save_koppeling(koppeling)
    return aios, opleider, koppeling


def _link(store: Store, tabel: str, local_id: int | None) -> int | None:
    row = store.conn.execute(f"SELECT instituut_id FROM {tabel} WHERE id = ?", (local_id,)).fetchone()
    return row[0] if row else None


def test_the_laptops_own_rows_are_linked_and_take_the_institutes_values(store: Store) -> None:
    aios, opleider, koppeling = _eigen(store)
    _kopie(store, aios=[(1, "Noor", "Visser")], opleiders=[(2, "Eva", "Oud"), (3, "Piet", "Vrij")],
           koppelingen=((4, 1, 2, START.isoformat(), None),))
    overname = spiegel.neem_over(store.conn)
    assert overname.meldingen == []
    assert (_link(store, "aios", aios.id), _link(store, "opleider", opleider.id),
            _link(store, "koppeling", koppeling.id)) == (1, 2, 4)
    assert store.personen.get_koppeling(koppeling.id).startdatum == START  # the institute's date
    assert sorted(o.naam.volledig for o in store.personen.opleiders()) == ["Eva Oud", "Piet Vrij"]
    assert overname.changes.touches("koppeling", koppeling.id)
    # Again, with nothing changed: nothing written.
    assert spiegel.neem_over(store.conn).changes.touched == {}


def test_namesakes_are_never_a_guess(store: Store) -> None:
    _eigen(store)
    store.personen.save_aios(Aios(Naam("Noor", "", "Visser"), 1, date(2025, 3, 1)))  # a second Noor Visser here
    _kopie(store, aios=[(1, "Noor", "Visser")], opleiders=[])
    spiegel.neem_over(store.conn)
    # Neither of the two is taken for the institute's: hers is added as a third.
    assert len([a for a in store.personen.aios() if a.naam.volledig == "Noor Visser"]) == 3
    assert store.conn.execute("SELECT count(*) FROM aios WHERE instituut_id IS NOT NULL").fetchone()[0] == 1


def test_a_koppeling_the_laptops_rules_refuse_is_reported_and_tried_again(store: Store) -> None:
    aios, _, _ = _eigen(store)
    # The institute has Noor with another opleider from a date her own koppeling here still runs.
    _kopie(store, aios=[(1, "Noor", "Visser")], opleiders=[(2, "Eva", "Oud"), (3, "Piet", "Vrij")],
           koppelingen=((5, 1, 3, "2025-10-01", None),))
    overname = spiegel.neem_over(store.conn)
    [melding] = overname.meldingen
    assert "Noor Visser bij Piet Vrij" in melding
    assert "overlapt een koppeling die alleen op deze laptop staat" in melding
    assert spiegel.nodig(store.conn)  # tried again with the next synchronisation
    assert len(store.personen.koppelingen(aios_id=aios.id)) == 1


def test_an_end_recorded_here_stands_until_the_institute_has_one(store: Store) -> None:
    _, _, koppeling = _eigen(store)
    _kopie(store, aios=[(1, "Noor", "Visser")], opleiders=[(2, "Eva", "Oud")],
           koppelingen=((4, 1, 2, START.isoformat(), None),))
    spiegel.neem_over(store.conn)
    # A traject ended the koppeling on this laptop (koppeling beëindigd); the institute has no end yet.
    store.personen.save_koppeling(replace(store.personen.get_koppeling(koppeling.id), einddatum=date(2026, 1, 31)))
    store.conn.execute("UPDATE inst_koppeling SET versie = 2")
    spiegel.neem_over(store.conn)
    assert store.personen.get_koppeling(koppeling.id).einddatum == date(2026, 1, 31)
    # Once the institute ends it, its date counts.
    store.conn.execute("UPDATE inst_koppeling SET einddatum = '2026-02-01'")
    spiegel.neem_over(store.conn)
    assert store.personen.get_koppeling(koppeling.id).einddatum == date(2026, 2, 1)


def test_what_the_institute_keeps_is_not_changed_here_but_the_laptops_own_fields_are(store: Store) -> None:
    aios, opleider, _ = _eigen(store)
    _kopie(store, aios=[(1, "Noor", "Visser")], opleiders=[(2, "Eva", "Oud")])
    spiegel.neem_over(store.conn)
    p = store.personen
    with pytest.raises(ValidatieFout, match="komt van het instituut: de naam wijzigt u daar"):
        p.save_aios(replace(p.get_aios(aios.id), naam=Naam("Noor", "", "Jansen")))
    with pytest.raises(ValidatieFout, match="archiveren"):
        p.set_gearchiveerd("opleider", [opleider.id], True)
    [groep] = p.groepen()  # the institute's Groep A, added by the mirror
    with pytest.raises(ValidatieFout, match="Groep A komt van het instituut: de naam"):
        p.save_groep(replace(groep, naam="Groep Z"))
    p.save_aios(replace(p.get_aios(aios.id), email="noor@example.org"))
    assert p.get_aios(aios.id).email == "noor@example.org"
    assert p.get_aios(aios.id).naam.volledig == "Noor Visser"
