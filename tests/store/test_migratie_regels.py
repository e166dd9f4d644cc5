"""Schema v9 on a store that already breaks its rules (two processes each started a traject on one koppeling before
the file held the rule): the store opens, nothing is closed, merged or deleted, and every write from then on is held
to the rules."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from ontkoppel_desktop.core.errors import ValidatieFout
from ontkoppel_desktop.core.procedure import Categorie, EventKind, Startreden, new_event
from ontkoppel_desktop.core.trajecten import AL_EEN_TRAJECT
from ontkoppel_desktop.store import schema
from ontkoppel_desktop.store.database import schema_version
from ontkoppel_desktop.store.schema import LATEST_VERSION
from ontkoppel_desktop.store.store import Store
from tests.conftest import FAST_KDF, WACHTWOORD

TODAY = date(2026, 11, 20)
_TRAJECT = ("INSERT INTO traject (id, koppeling_id, aios_id, opleider_id, procedure_id, procedure_version, startreden, "
            "categorie) VALUES (?, 1, 1, 1, 'utrecht-ontkoppeling', '2023-03', 'signaal_aios', 'opleidingssituatie')")
_VERSLAG = ("INSERT INTO verslag (id, traject_id, gesprek, procedure_id, procedure_version, auteur, antwoorden, "
            "status, gebeurtenis_id, versie, vorige_id, aangemaakt, opgeslagen) VALUES (?, 1, 'driehoeksgesprek', "
            "'utrecht-ontkoppeling', '2023-03', 'Docent Vos', '{}', ?, 'g1', ?, ?, '2026-10-01T10:00:00+00:00', "
            "'2026-10-01T10:00:00+00:00')")


def _als_v8(store: Store) -> None:
    """Take the file back to schema v8: what v9 added, removed (SQLite drops a column once its index is gone)."""
    conn = store.conn
    _zonder_v10(conn)
    for kind, name in conn.execute("SELECT type, name FROM sqlite_master WHERE name IN ('traject_een_open', "
                                   "'verslag_een_opvolger', 'verslag_een_definitief') OR (type = 'trigger' AND "
                                   "name LIKE 'koppeling_%')").fetchall():
        conn.execute(f"DROP {kind.upper()} {name}")
    for table, column in (("traject", "gesloten"), ("traject", "dubbel"), ("verslag", "dubbel")):
        conn.execute(f"ALTER TABLE {table} DROP COLUMN {column}")
    conn.execute("PRAGMA user_version = 8")


def _zonder_v16(conn: Any) -> None:
    """What v16 added, removed: the links of Personen to the institute's."""
    conn.execute("DROP TABLE instituut_kop")
    for table in ("praktijk", "opleider", "aios", "koppeling", "groep"):
        conn.execute(f"DROP INDEX {table}_instituut")
        conn.execute(f"ALTER TABLE {table} DROP COLUMN instituut_id")


def _zonder_v12(conn: Any) -> None:
    """What v12 and v13 added, removed: the blokkades and the keys (their columns go with v11's tables)."""
    _zonder_v16(conn)
    for name in ("verslag_uuid", "verslag_naar_instituut", "verslag_vergeten_instituut"):
        conn.execute(f"DROP TRIGGER {name}")
    conn.execute("DROP INDEX verslag_uuid_uniek")
    conn.execute("ALTER TABLE verslag DROP COLUMN uuid")
    for table in ("instituut_blokkade", "sleutelpaar", "sleutel_lezer", "uitgaand_verslag", "instituut_verslag",
                  "ontvangen_verslag", "inst_praktijk", "inst_opleider", "inst_aios", "inst_koppeling", "inst_groep",
                  "inst_medewerker", "eigen_gedeeld"):
        conn.execute(f"DROP TABLE {table}")


def _zonder_v11(conn: Any) -> None:
    """What v11 added, removed: the institute's tables, triggers and the traject's UUID."""
    _zonder_v12(conn)
    for name in ("uitgaand_nieuw", "uitgaand_vergeten"):
        conn.execute(f"DROP TRIGGER {name}")
    for table in ("gedeeld_event", "gedeeld_traject", "instituut_event", "uitgaand", "instituut"):
        conn.execute(f"DROP TABLE {table}")
    conn.execute("DROP INDEX traject_uuid")
    conn.execute("ALTER TABLE traject DROP COLUMN uuid")


def _zonder_v10(conn: Any) -> None:
    """What v10 added, removed: the bewaartermijn path (its trigger reads traject.gesloten, which v9 added)."""
    _zonder_v11(conn)
    for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'trigger' AND (name LIKE "
                                "'%gearchiveerd_%' OR name = 'te_verwijderen_gesloten' OR name IN "
                                "('verslag_definitief_blijft', 'bijlage_definitief_blijft'))").fetchall():
        conn.execute(f"DROP TRIGGER {name}")
    conn.execute(schema._V5_TRIGGERS[1])
    conn.execute(schema._V7_TRIGGERS[1])
    conn.execute("DROP TABLE te_verwijderen")
    for table in ("aios", "opleider"):
        conn.execute(f"ALTER TABLE {table} DROP COLUMN gearchiveerd_op")


def _event(conn: object, traject_id: int, kind: EventKind, data: dict[str, object], day: date) -> str:
    event = new_event(kind, day, data, user="Docent")
    conn.execute("INSERT INTO traject_event (traject_id, event_id, payload) VALUES (?, ?, ?)",  # type: ignore[attr-defined]
                 (traject_id, event.id, json.dumps(event.to_dict())))
    return event.id


@pytest.fixture
def oud_bestand(tmp_path: Path) -> Path:
    """A v8 store where koppeling 1 has three open trajecten (1, 2 and 4: the closing of 4 was withdrawn) and a closed
    one (3); verslag 1 has two next versions (3 and 4), and version 1 of gesprek g1 is definitief twice (1 and 2)."""
    store = Store.create(tmp_path / "oud.okdb", WACHTWOORD, FAST_KDF).store
    _als_v8(store)
    conn = store.conn
    conn.execute("INSERT INTO praktijk (id, naam) VALUES (1, 'Praktijk')")
    conn.execute("INSERT INTO aios (id, achternaam, opleidingsjaar, startdatum_opleiding) VALUES (1, 'Dijk', 1, "
                 "'2026-03-01')")
    conn.execute("INSERT INTO opleider (id, achternaam, praktijk_id) VALUES (1, 'Vries', 1)")
    conn.execute("INSERT INTO koppeling (id, aios_id, opleider_id, startdatum) VALUES (1, 1, 1, '2026-03-01')")
    for traject_id in (1, 2, 3, 4):
        conn.execute(_TRAJECT, (traject_id,))
        _event(conn, traject_id, EventKind.SIGNAAL, {"bron": "aios"}, date(2026, 9, 1))
    for traject_id in (3, 4):
        _event(conn, traject_id, EventKind.UITKOMST, {"uitkomst": "geen_ontkoppeling", "aandachtspunten": "Ja."},
               date(2026, 9, 8))
        gesloten = _event(conn, traject_id, EventKind.TRAJECT_GESLOTEN, {}, date(2026, 9, 9))
    _event(conn, 4, EventKind.GEBEURTENIS_INGETROKKEN, {"gebeurtenis": gesloten, "motivatie": "Toch niet"},
           date(2026, 9, 10))
    for verslag_id, status, versie, vorige in ((1, "definitief", 1, None), (2, "definitief", 1, None),
                                               (3, "concept", 2, 1), (4, "concept", 2, 1)):
        conn.execute(_VERSLAG, (verslag_id, status, versie, vorige))
    path = store.path
    store.close()
    return path


def test_a_store_that_breaks_the_rules_still_opens_and_keeps_every_row(oud_bestand: Path) -> None:
    store = Store.open(oud_bestand, WACHTWOORD)
    try:
        conn = store.conn
        assert schema_version(conn) == LATEST_VERSION
        assert conn.execute("SELECT id, gesloten, dubbel FROM traject ORDER BY id").fetchall() == [
            (1, 0, 0), (2, 0, 1), (3, 1, 0), (4, 0, 1)]
        assert conn.execute("SELECT id, status, dubbel FROM verslag ORDER BY id").fetchall() == [
            (1, "definitief", 0), (2, "definitief", 1), (3, "concept", 0), (4, "concept", 1)]
        assert conn.execute("SELECT count(*) FROM traject_event").fetchone()[0] == 9
        # The app reads them all, and the open ones stay open.
        assert [(t.id, t.closed) for t in store.trajecten.all()] == [(1, False), (2, False), (3, True), (4, False)]
        # From now on the rule holds: no further traject on the koppeling.
        with pytest.raises(ValidatieFout) as refused:
            store.trajecten.start(1, Startreden.SIGNAAL_AIOS, Categorie.OPLEIDINGSSITUATIE, date(2026, 10, 1),
                                  user="Docent", today=TODAY)
        assert str(refused.value) == AL_EEN_TRAJECT
        assert conn.execute("SELECT count(*) FROM traject").fetchone()[0] == 4
    finally:
        store.close()
