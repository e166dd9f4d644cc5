"""The schema, as forward migrations. The file's PRAGMA user_version says how many have run.

Never edit a migration that has shipped: add the next one. tests/store/test_migrations.py runs each
migration on a store made by the ones before it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from ontkoppel_desktop.store.connection import Connection


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

# Trajecten are stored as a header row plus their events in recording order; an event's payload is
# TrajectEvent.to_dict() as JSON, so the procedure's data model can grow without a migration per field.
_V2 = """
CREATE TABLE traject (
    id                INTEGER PRIMARY KEY,
    koppeling_id      INTEGER NOT NULL REFERENCES koppeling(id),
    aios_id           INTEGER NOT NULL REFERENCES aios(id),
    opleider_id       INTEGER NOT NULL REFERENCES opleider(id),
    procedure_id      TEXT NOT NULL,
    procedure_version TEXT NOT NULL,
    startreden        TEXT NOT NULL,
    categorie         TEXT NOT NULL
);
CREATE TABLE traject_event (
    seq        INTEGER PRIMARY KEY,
    traject_id INTEGER NOT NULL REFERENCES traject(id),
    event_id   TEXT NOT NULL UNIQUE,
    payload    TEXT NOT NULL
);
CREATE INDEX traject_event_traject ON traject_event(traject_id, seq);
CREATE INDEX traject_opleider ON traject(opleider_id);
CREATE TABLE agenda (
    id           INTEGER PRIMARY KEY,
    soort        TEXT NOT NULL,
    datum        TEXT NOT NULL,
    omschrijving TEXT NOT NULL DEFAULT ''
)
"""

# A koppelronde is edited as a whole (imported, scored, solved, moved on the board): one JSON document.
_V3 = """
CREATE TABLE ronde (
    id           INTEGER PRIMARY KEY,
    naam         TEXT NOT NULL,
    startdatum   TEXT NOT NULL,
    document     TEXT NOT NULL,
    uitslag      TEXT,
    bijgewerkt   TEXT NOT NULL,
    gearchiveerd INTEGER NOT NULL DEFAULT 0
)
"""

# What the lists read, derived from each traject's events and kept in step with them: written in the same
# transaction as every event (and whenever an aios's facts, the agenda or a procedure file change), so the
# Trajecten list and Taken read them with SQL and only the selected traject is derived in full. Overdue is a
# comparison with today at query time, never a rewrite. meta 'afgeleid' holds the fingerprint of the
# procedure files and the derivation they were built with; a different one rebuilds them.
_V4 = """
CREATE TABLE traject_overzicht (
    traject_id        INTEGER PRIMARY KEY REFERENCES traject(id),
    fase              INTEGER,
    gesloten          INTEGER NOT NULL,
    gestart           TEXT NOT NULL,
    blokkade_sinds    TEXT,
    blokkade_wacht_op TEXT NOT NULL DEFAULT '',
    zoekt_opleider    INTEGER NOT NULL DEFAULT 0,
    fout              TEXT NOT NULL DEFAULT ''
);
CREATE TABLE open_stap (
    traject_id    INTEGER NOT NULL REFERENCES traject(id),
    stap          TEXT NOT NULL,
    keer          INTEGER NOT NULL,
    volgorde      INTEGER NOT NULL,
    vanaf         TEXT,
    termijn_vanaf TEXT,
    termijn       TEXT,
    oorsprong     TEXT,
    PRIMARY KEY (traject_id, stap, keer)
);
CREATE INDEX open_stap_termijn ON open_stap(termijn);
CREATE INDEX traject_aios ON traject(aios_id);
CREATE INDEX traject_overzicht_blokkade ON traject_overzicht(blokkade_sinds) WHERE blokkade_sinds IS NOT NULL
"""

# Gespreksverslagen: one row per version. A concept is rewritten as it is typed; once definitief its answers,
# seals and gesprek are fixed, and a trigger refuses any change to them, whatever the code above does.
_V5 = """
CREATE TABLE verslag (
    id                INTEGER PRIMARY KEY,
    traject_id        INTEGER NOT NULL REFERENCES traject(id),
    gesprek           TEXT NOT NULL,
    procedure_id      TEXT NOT NULL,
    procedure_version TEXT NOT NULL,
    auteur            TEXT NOT NULL,
    antwoorden        TEXT NOT NULL,
    status            TEXT NOT NULL,
    pagina            INTEGER NOT NULL DEFAULT 0,
    open              INTEGER NOT NULL DEFAULT 0,
    gebeurtenis_id    TEXT,
    versie            INTEGER NOT NULL DEFAULT 1,
    vorige_id         INTEGER REFERENCES verslag(id),
    reden             TEXT NOT NULL DEFAULT '',
    aangemaakt        TEXT NOT NULL,
    opgeslagen        TEXT NOT NULL,
    afgerond_op       TEXT,
    zegels            TEXT NOT NULL DEFAULT '{}',
    verstuurd_op      TEXT,
    gearchiveerd_op   TEXT NOT NULL DEFAULT '{}',
    status_events     TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX verslag_traject ON verslag(traject_id);
CREATE INDEX verslag_gebeurtenis ON verslag(gebeurtenis_id) WHERE gebeurtenis_id IS NOT NULL;
CREATE INDEX verslag_open ON verslag(auteur) WHERE open = 1
"""
# One statement each: a trigger's body holds semicolons.
_V5_TRIGGERS = (
    """CREATE TRIGGER verslag_definitief_vast BEFORE UPDATE OF antwoorden, zegels, gebeurtenis_id, afgerond_op,
    auteur, versie, vorige_id, traject_id, gesprek ON verslag WHEN OLD.status = 'definitief'
    BEGIN SELECT RAISE(ABORT, 'verslag is definitief'); END""",
    """CREATE TRIGGER verslag_definitief_blijft BEFORE DELETE ON verslag WHEN OLD.status = 'definitief'
    BEGIN SELECT RAISE(ABORT, 'verslag is definitief'); END""",
)


def _v5(conn: Connection) -> None:
    _script(_V5)(conn)
    for statement in _V5_TRIGGERS:
        conn.execute(statement)


# Search over the verslagen (FTS5, inside the encrypted file like every other table) and what the Verslagen list
# reads. The index is contentless (content=''): it holds the words, not a second copy of the text, so a concept of
# 30 pages is not stored twice and an autosave does not write it twice; a row is replaced by its rowid (the
# verslag's id, contentless_delete) without the old text. It cannot be external-content: it indexes text folded
# in Python (core.verslagen.zoeken.fold), which is in no column, and the fragment shown with a hit is cut from
# the answers as typed. `datum` is the gesprek's date as answered, and `verslag_lijst` holds every column the
# list reads, so listing 20 000 verslagen never reads a row's answers (SQLite would read the overflow pages of a
# long verslag to reach the columns stored after them).
_V6 = """
CREATE VIRTUAL TABLE verslag_zoek USING fts5(
    titel, tekst, content='', contentless_delete=1, tokenize='unicode61 remove_diacritics 0'
);
ALTER TABLE verslag ADD COLUMN datum TEXT;
CREATE INDEX verslag_lijst ON verslag(traject_id, gesprek, procedure_id, procedure_version, auteur, status,
    gebeurtenis_id, versie, vorige_id, aangemaakt, datum, verstuurd_op, gearchiveerd_op)
"""


def _v6(conn: Connection) -> None:
    from ontkoppel_desktop.store.verslag_index import indexeer_alle  # the repository's own indexing, every row

    _script(_V6)(conn)
    indexeer_alle(conn)


# Bijlagen of a verslag (a reflectieverslag): the file itself is a BLOB inside this encrypted file, never a file
# on disk. `inhoud` is the last column, so listing a verslag's bijlagen does not read a 20 MB file's pages. A row
# is never changed; the bijlage of a definitief verslag is never removed, nor is one added to it (the seal names
# each file's SHA-256), whatever the code above does.
_V7 = """
CREATE TABLE bijlage (
    id         INTEGER PRIMARY KEY,
    verslag_id INTEGER NOT NULL REFERENCES verslag(id),
    veld       TEXT NOT NULL,
    naam       TEXT NOT NULL,
    soort      TEXT NOT NULL,
    grootte    INTEGER NOT NULL,
    sha256     TEXT NOT NULL,
    toegevoegd TEXT NOT NULL,
    inhoud     BLOB NOT NULL
);
CREATE INDEX bijlage_verslag ON bijlage(verslag_id)
"""
_V7_TRIGGERS = (
    """CREATE TRIGGER bijlage_vast BEFORE UPDATE ON bijlage
    BEGIN SELECT RAISE(ABORT, 'bijlage wordt niet gewijzigd'); END""",
    """CREATE TRIGGER bijlage_definitief_blijft BEFORE DELETE ON bijlage
    WHEN (SELECT status FROM verslag WHERE id = OLD.verslag_id) = 'definitief'
    BEGIN SELECT RAISE(ABORT, 'verslag is definitief'); END""",
    """CREATE TRIGGER bijlage_niet_bij_definitief BEFORE INSERT ON bijlage
    WHEN (SELECT status FROM verslag WHERE id = NEW.verslag_id) = 'definitief'
    BEGIN SELECT RAISE(ABORT, 'verslag is definitief'); END""",
)


def _v7(conn: Connection) -> None:
    _script(_V7)(conn)
    for statement in _V7_TRIGGERS:
        conn.execute(statement)


# The day the archive export wrote a verslag's documents, per place ({"e_portfolio": "2026-09-30"}), beside
# gearchiveerd_op. A note for the jaarassistent, not a step of the procedure: the app cannot see the e-portfolio, so
# gearchiveerd stays the date the jaarassistent confirms after uploading. The definitief trigger (v5) leaves it
# free: exporting a definitief verslag is what writes it.
_V8 = """
ALTER TABLE verslag ADD COLUMN geexporteerd_op TEXT NOT NULL DEFAULT '{}'
"""


MIGRATIONS: tuple[Migration, ...] = (
    Migration(1, "personen, praktijken, groepen en koppelingen", _script(_V1)),
    Migration(2, "trajecten met hun gebeurtenissen, agenda", _script(_V2)),
    Migration(3, "koppelrondes", _script(_V3)),
    Migration(4, "afgeleide overzichten van trajecten en open stappen", _script(_V4)),
    Migration(5, "gespreksverslagen", _v5),
    Migration(6, "zoeken in gespreksverslagen", _v6),
    Migration(7, "bijlagen bij gespreksverslagen", _v7),
    Migration(8, "geëxporteerd bij gespreksverslagen", _script(_V8)),
)

LATEST_VERSION = MIGRATIONS[-1].version
