"""The schema, as forward migrations. The file's PRAGMA user_version says how many have run.

Never edit a migration that has shipped: add the next one. tests/store/test_migrations.py runs each
migration on a store made by the ones before it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

Connection = Any  # sqlcipher3.Connection; the driver ships no type information


@dataclass(frozen=True)
class Migration:
    version: int
    description: str
    apply: Callable[[Connection], None]


def _script(sql: str) -> Callable[[Connection], None]:
    def run(conn: Connection) -> None:
        for statement in sql.split(";"):
            if statement.strip():
                conn.execute(statement)

    return run


_V1 = """
CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
CREATE TABLE praktijk (
    id           INTEGER PRIMARY KEY,
    naam         TEXT NOT NULL,
    plaats       TEXT NOT NULL DEFAULT '',
    gearchiveerd INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE docent (
    id            INTEGER PRIMARY KEY,
    voornaam      TEXT NOT NULL DEFAULT '',
    tussenvoegsel TEXT NOT NULL DEFAULT '',
    achternaam    TEXT NOT NULL,
    soort         TEXT NOT NULL,
    email         TEXT NOT NULL DEFAULT '',
    gearchiveerd  INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE groep (
    id                             INTEGER PRIMARY KEY,
    naam                           TEXT NOT NULL,
    opleidingsjaar                 INTEGER NOT NULL,
    huisarts_docent_id             INTEGER REFERENCES docent(id),
    gedragswetenschapper_docent_id INTEGER REFERENCES docent(id),
    gearchiveerd                   INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE aios (
    id                   INTEGER PRIMARY KEY,
    voornaam             TEXT NOT NULL DEFAULT '',
    tussenvoegsel        TEXT NOT NULL DEFAULT '',
    achternaam           TEXT NOT NULL,
    opleidingsjaar       INTEGER NOT NULL,
    startdatum_opleiding TEXT,
    deeltijdpercentage   INTEGER NOT NULL DEFAULT 100,
    groep_id             INTEGER REFERENCES groep(id),
    email                TEXT NOT NULL DEFAULT '',
    gearchiveerd         INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE opleider (
    id                      INTEGER PRIMARY KEY,
    voornaam                TEXT NOT NULL DEFAULT '',
    tussenvoegsel           TEXT NOT NULL DEFAULT '',
    achternaam              TEXT NOT NULL,
    praktijk_id             INTEGER REFERENCES praktijk(id),
    curriculumjaar          INTEGER,
    begeleidt_coassistent   INTEGER NOT NULL DEFAULT 0,
    duo_opleider            INTEGER NOT NULL DEFAULT 0,
    aanwezigheidspercentage INTEGER NOT NULL DEFAULT 100,
    hoofdopleider           INTEGER NOT NULL DEFAULT 1,
    email                   TEXT NOT NULL DEFAULT '',
    gearchiveerd            INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE medewerker (
    id             INTEGER PRIMARY KEY,
    voornaam       TEXT NOT NULL DEFAULT '',
    tussenvoegsel  TEXT NOT NULL DEFAULT '',
    achternaam     TEXT NOT NULL,
    rol            TEXT NOT NULL,
    opleidingsjaar INTEGER,
    email          TEXT NOT NULL DEFAULT '',
    gearchiveerd   INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE koppeling (
    id           INTEGER PRIMARY KEY,
    aios_id      INTEGER NOT NULL REFERENCES aios(id),
    opleider_id  INTEGER NOT NULL REFERENCES opleider(id),
    startdatum   TEXT NOT NULL,
    einddatum    TEXT,
    gearchiveerd INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX koppeling_aios ON koppeling(aios_id);
CREATE INDEX koppeling_opleider ON koppeling(opleider_id);
CREATE INDEX opleider_praktijk ON opleider(praktijk_id);
CREATE INDEX aios_groep ON aios(groep_id)
"""

MIGRATIONS: tuple[Migration, ...] = (Migration(1, "personen, praktijken, groepen en koppelingen", _script(_V1)),)

LATEST_VERSION = MIGRATIONS[-1].version
