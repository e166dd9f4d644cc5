"""Schema v6 on a store that already has verslagen (made at v5): afterwards search finds them, and the list knows
each gesprek's date."""

from __future__ import annotations

import json
from pathlib import Path

import sqlcipher3

from ontkoppel_desktop.core.verslagen.zoeken import fts_vraag, zoekwoorden
from ontkoppel_desktop.store import keys
from ontkoppel_desktop.store.database import connect, migrate, schema_version
from ontkoppel_desktop.store.verslagen import SqlVerslagRepository

_VERSLAG = (
    "INSERT INTO verslag (traject_id, gesprek, procedure_id, procedure_version, auteur, antwoorden, status, "
    "aangemaakt, opgeslagen, gebeurtenis_id) VALUES (1, ?, 'utrecht-ontkoppeling', '2023-03', 'Docent Vos', ?, ?, "
    "'2026-11-02T10:00:00+00:00', '2026-11-02T10:00:00+00:00', ?)"
)


def _v5_store(path: Path, key: bytes) -> None:
    conn = sqlcipher3.connect(str(path), isolation_level=None)
    conn.set_key(keys.sqlcipher_raw_key(key))
    conn.execute("PRAGMA cipher_compatibility = 4")
    migrate(conn, target=5)
    conn.execute("INSERT INTO aios (voornaam, achternaam, opleidingsjaar) VALUES ('Elif', 'Yılmaz', 1)")
    conn.execute("INSERT INTO opleider (voornaam, achternaam) VALUES ('Joost', 'IJzerman')")
    conn.execute("INSERT INTO koppeling (aios_id, opleider_id, startdatum) VALUES (1, 1, '2026-03-01')")
    conn.execute(
        "INSERT INTO traject (koppeling_id, aios_id, opleider_id, procedure_id, procedure_version, startreden, "
        "categorie) VALUES (1, 1, 1, 'utrecht-ontkoppeling', '2023-03', 'signaal_aios', 'opleidingssituatie')")
    concept = {"datum": "2026-11-02", "aanwezigen": "Elif Yılmaz (aios)\nJoost IJzerman (opleider)",
               "aanleiding": "Zorgen over de samenwerking.", "uitkomst": "geen_ontkoppeling"}
    conn.execute(_VERSLAG, ("driehoeksgesprek", json.dumps(concept, ensure_ascii=False), "concept", None))
    definitief = {"datum": "2026-10-01", "aanwezigen": "Elif Yılmaz (aios)",
                  "leerpunten": "Eerder om supervisie vragen."}
    conn.execute(_VERSLAG, ("evaluatie_aios", json.dumps(definitief, ensure_ascii=False), "definitief", "e1"))
    conn.close()


def test_v6_indexes_the_verslagen_a_v5_store_has(tmp_path: Path) -> None:
    key = keys.new_data_key()
    path = tmp_path / "v5.okdb"
    _v5_store(path, key)
    conn = connect(path, key)  # migrates
    try:
        assert schema_version(conn) >= 6
        repo = SqlVerslagRepository(conn)

        def found(tekst: str) -> list[int]:
            vraag = fts_vraag(zoekwoorden(tekst))
            assert vraag is not None
            return sorted(v.id for v in repo.zoek(vraag, 10))

        assert found("yilmaz") == [1, 2]
        assert found("ijzerman samenwerk") == [1]
        assert found("supervisie") == [2]  # a definitief verslag too (its row is otherwise fixed)
        assert found("ontkoppeling") == []  # a choice, not text
        assert {k.id: k.datum.isoformat() if k.datum else None for k in repo.lijst()} == {
            1: "2026-11-02", 2: "2026-10-01"}
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    finally:
        conn.close()
