"""Each migration runs on a store made by the ones before it, with data in it."""

from __future__ import annotations

from pathlib import Path

import pytest

from ontkoppel_desktop.store import keys
from ontkoppel_desktop.store.database import connect, migrate, schema_version
from ontkoppel_desktop.store.schema import LATEST_VERSION, MIGRATIONS


def _fill_some(conn: object, version: int) -> None:
    """Put a row in every table that exists at `version`, so a migration meets real data."""
    tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")]  # type: ignore[attr-defined]
    if "praktijk" in tables:
        conn.execute("INSERT INTO praktijk (naam, plaats) VALUES ('Praktijk', 'Utrecht')")  # type: ignore[attr-defined]
    if "traject" in tables:
        conn.execute("INSERT INTO aios (achternaam, opleidingsjaar) VALUES ('Dijk', 1)")  # type: ignore[attr-defined]
        conn.execute("INSERT INTO opleider (achternaam) VALUES ('Vries')")  # type: ignore[attr-defined]
        conn.execute(  # type: ignore[attr-defined]
            "INSERT INTO koppeling (aios_id, opleider_id, startdatum) VALUES (1, 1, '2026-03-01')"
        )
        conn.execute(  # type: ignore[attr-defined]
            "INSERT INTO traject (koppeling_id, aios_id, opleider_id, procedure_id, procedure_version, startreden, "
            "categorie) VALUES (1, 1, 1, 'utrecht-ontkoppeling', '2023-03', 'signaal_aios', 'opleidingssituatie')"
        )


@pytest.mark.parametrize("migration", MIGRATIONS, ids=lambda m: f"v{m.version}")
def test_migration_from_previous_version(tmp_path: Path, migration: object) -> None:
    version = migration.version  # type: ignore[attr-defined]
    key = keys.new_data_key()
    path = tmp_path / "m.okdb"
    # A fresh file at the previous version: connect(create) migrates fully, so build it by hand.
    import sqlcipher3

    conn = sqlcipher3.connect(str(path), isolation_level=None)
    conn.set_key(keys.sqlcipher_raw_key(key))
    conn.execute("PRAGMA cipher_compatibility = 4")
    migrate(conn, target=version - 1)
    assert schema_version(conn) == version - 1
    _fill_some(conn, version - 1)
    migrate(conn, target=version)
    assert schema_version(conn) == version
    conn.close()
    conn = connect(path, key)
    assert schema_version(conn) == LATEST_VERSION
    assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
    conn.close()
