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


# Rules a second writer could break (issue 12, defect 9). Every service checks its rules inside its write
# transaction (BEGIN IMMEDIATE: one writer at a time, reading what the one before it committed). A process that
# checked before its transaction, an older version of the app beside this one, or a write that skips a service
# could still break them; so the file holds them too, and the repositories give a refused write back as the
# service's own Dutch message (store/personen.py, store/trajecten.py, store/verslagen.py):
# - one open traject per koppeling: `traject.gesloten` mirrors Traject.closed (written with the event that closes
#   or reopens it) and a partial unique index allows one open traject per koppeling;
# - a version of a verslag has at most one next version (unique vorige_id), and a gesprek has at most one
#   definitief verslag per version number (unique (gebeurtenis_id, versie) among the definitief ones);
# - no new koppeling, and no other opleider on a koppeling, while that opleider is blocked after an ontkoppeling
#   (Utrecht 5.2.1): the same question TrajectService.check_opleider_vrij asks of the derived rows. An archived
#   koppeling gives no aios to anyone; restoring one is held here only when it has no end (whether one with an
#   end still runs depends on today's date, which the service knows);
# - an aios has one koppeling at a time: no two koppelingen of an aios that are not archived overlap.
# Held since v2 already: an event id is recorded once (UNIQUE), the events of all trajecten share one sequence.
#
# A store that already breaks a unique rule (two processes each started a traject on one koppeling before this
# migration) still opens: nothing is closed, merged or deleted on the user's behalf. Of each such group the row
# with the lowest id is held by the index; the others get `dubbel = 1`, which the indexes leave out, so every
# traject and verslag stays as it was, visible and workable, and the user decides (closes one of the two
# trajecten). Every write from here on is held to the rules. The triggers look at new writes only, so koppelingen
# that overlap already do not stop the migration either (the service refuses to save them as they are, as before).
GEBLOKKEERD = "koppeling: opleider geblokkeerd"
OVERLAPT = "koppeling: overlapt een andere koppeling van de aios"
_V9 = """
ALTER TABLE traject ADD COLUMN gesloten INTEGER NOT NULL DEFAULT 0;
ALTER TABLE traject ADD COLUMN dubbel INTEGER NOT NULL DEFAULT 0;
ALTER TABLE verslag ADD COLUMN dubbel INTEGER NOT NULL DEFAULT 0
"""
_V9_DUBBEL = """
UPDATE traject SET dubbel = 1 WHERE gesloten = 0 AND id > (
    SELECT min(t.id) FROM traject t WHERE t.koppeling_id = traject.koppeling_id AND t.gesloten = 0);
UPDATE verslag SET dubbel = 1 WHERE vorige_id IS NOT NULL AND id > (
    SELECT min(v.id) FROM verslag v WHERE v.vorige_id = verslag.vorige_id);
UPDATE verslag SET dubbel = 1 WHERE status = 'definitief' AND id > (
    SELECT min(v.id) FROM verslag v WHERE v.status = 'definitief' AND v.gebeurtenis_id = verslag.gebeurtenis_id
    AND v.versie = verslag.versie);
CREATE UNIQUE INDEX traject_een_open ON traject(koppeling_id) WHERE gesloten = 0 AND dubbel = 0;
CREATE UNIQUE INDEX verslag_een_opvolger ON verslag(vorige_id) WHERE vorige_id IS NOT NULL AND dubbel = 0;
CREATE UNIQUE INDEX verslag_een_definitief ON verslag(gebeurtenis_id, versie) WHERE status = 'definitief' AND dubbel = 0
"""
_GEBLOKKEERD_ALS = """EXISTS (SELECT 1 FROM traject t JOIN traject_overzicht o ON o.traject_id = t.id
    WHERE t.opleider_id = NEW.opleider_id AND o.blokkade_sinds IS NOT NULL)"""
# ISO dates compare as text; an open end is the last day there is, as in core.personen.Koppeling.overlapt.
_OVERLAPT_ALS = """NEW.gearchiveerd = 0 AND EXISTS (SELECT 1 FROM koppeling k WHERE k.aios_id = NEW.aios_id
    AND k.id IS NOT NEW.id AND k.gearchiveerd = 0 AND k.startdatum <= coalesce(NEW.einddatum, '9999-12-31')
    AND NEW.startdatum <= coalesce(k.einddatum, '9999-12-31'))"""
_V9_TRIGGERS = (
    f"""CREATE TRIGGER koppeling_opleider_vrij BEFORE INSERT ON koppeling
    WHEN NEW.gearchiveerd = 0 AND {_GEBLOKKEERD_ALS}
    BEGIN SELECT RAISE(ABORT, '{GEBLOKKEERD}'); END""",
    f"""CREATE TRIGGER koppeling_andere_opleider_vrij BEFORE UPDATE OF opleider_id ON koppeling
    WHEN NEW.gearchiveerd = 0 AND NEW.opleider_id IS NOT OLD.opleider_id AND {_GEBLOKKEERD_ALS}
    BEGIN SELECT RAISE(ABORT, '{GEBLOKKEERD}'); END""",
    # Of the restored koppelingen only those without an end: the others run or not depending on today.
    f"""CREATE TRIGGER koppeling_teruggezet_opleider_vrij BEFORE UPDATE OF gearchiveerd ON koppeling
    WHEN OLD.gearchiveerd = 1 AND NEW.gearchiveerd = 0 AND NEW.einddatum IS NULL AND {_GEBLOKKEERD_ALS}
    BEGIN SELECT RAISE(ABORT, '{GEBLOKKEERD}'); END""",
    f"""CREATE TRIGGER koppeling_een_tegelijk BEFORE INSERT ON koppeling WHEN {_OVERLAPT_ALS}
    BEGIN SELECT RAISE(ABORT, '{OVERLAPT}'); END""",
    f"""CREATE TRIGGER koppeling_een_tegelijk_gewijzigd BEFORE UPDATE OF aios_id, startdatum, einddatum, gearchiveerd
    ON koppeling WHEN {_OVERLAPT_ALS}
    BEGIN SELECT RAISE(ABORT, '{OVERLAPT}'); END""",
)


def _gesloten_trajecten(conn: Connection) -> list[int]:
    """The trajecten closed by their events (Traject.closed, after intrekkingen and correcties). A traject whose
    events cannot be read counts as open: that only keeps a second traject off its koppeling."""
    import json

    from ontkoppel_desktop.core.procedure.correcties import effective_events
    from ontkoppel_desktop.core.procedure.events import EventKind, TrajectEvent

    events: dict[int, list[TrajectEvent]] = {}
    unreadable: set[int] = set()
    for traject_id, payload in conn.execute("SELECT traject_id, payload FROM traject_event ORDER BY traject_id, seq"):
        try:
            events.setdefault(traject_id, []).append(TrajectEvent.from_dict(json.loads(payload), validate=False))
        except Exception:  # noqa: BLE001 - one unreadable row must not keep the store from opening
            unreadable.add(traject_id)
    closed = []
    for traject_id, found in events.items():
        if traject_id in unreadable:
            continue
        try:
            if any(e.kind is EventKind.TRAJECT_GESLOTEN for e in effective_events(tuple(found))):
                closed.append(traject_id)
        except Exception:  # noqa: BLE001 - as above
            continue
    return closed


def _v9(conn: Connection) -> None:
    _script(_V9)(conn)
    conn.executemany("UPDATE traject SET gesloten = 1 WHERE id = ?", [(i,) for i in _gesloten_trajecten(conn)])
    _script(_V9_DUBBEL)(conn)
    for statement in _V9_TRIGGERS:
        conn.execute(statement)


# Bewaartermijnen (AVG, core/bewaartermijn.py). The store is append-only while a record is in use: events are never
# rewritten and a definitief verslag and its bijlagen are never changed nor removed (v5, v7). Once a traject is closed
# and its bewaartermijn has passed, it is deleted for good, with its verslagen (definitief ones too), bijlagen,
# search words and derived rows: deletion after the term is part of the design, not an exception to it.
# - `te_verwijderen` is the one path for that deletion (store/bewaartermijn.py): inside its transaction it names the
#   trajecten being deleted, and the definitief triggers let their verslagen and bijlagen go; the table is emptied
#   again before the transaction ends, so it never holds a row outside one. Only a closed traject may be named (the
#   term itself depends on today and the settings, which the service knows).
# - `gearchiveerd_op` is the day an aios or opleider was archived: a person's term counts from it. Kept by triggers,
#   whatever writes the row; a person archived before this migration counts from the day it ran (the safe side).
_V10 = """
ALTER TABLE aios ADD COLUMN gearchiveerd_op TEXT;
ALTER TABLE opleider ADD COLUMN gearchiveerd_op TEXT;
UPDATE aios SET gearchiveerd_op = date('now', 'localtime') WHERE gearchiveerd = 1;
UPDATE opleider SET gearchiveerd_op = date('now', 'localtime') WHERE gearchiveerd = 1;
CREATE TABLE te_verwijderen (traject_id INTEGER PRIMARY KEY)
"""
NIET_GESLOTEN = "te_verwijderen: traject is niet gesloten"


def _gearchiveerd_op_triggers(table: str) -> tuple[str, ...]:
    return (
        f"""CREATE TRIGGER {table}_gearchiveerd_op AFTER UPDATE OF gearchiveerd ON {table}
        WHEN NEW.gearchiveerd IS NOT OLD.gearchiveerd
        BEGIN UPDATE {table} SET gearchiveerd_op = CASE WHEN NEW.gearchiveerd THEN date('now', 'localtime') END
        WHERE id = NEW.id; END""",
        f"""CREATE TRIGGER {table}_gearchiveerd_nieuw AFTER INSERT ON {table}
        WHEN NEW.gearchiveerd AND NEW.gearchiveerd_op IS NULL
        BEGIN UPDATE {table} SET gearchiveerd_op = date('now', 'localtime') WHERE id = NEW.id; END""",
    )


_V10_TRIGGERS = (
    *_gearchiveerd_op_triggers("aios"),
    *_gearchiveerd_op_triggers("opleider"),
    f"""CREATE TRIGGER te_verwijderen_gesloten BEFORE INSERT ON te_verwijderen
    WHEN NOT EXISTS (SELECT 1 FROM traject WHERE id = NEW.traject_id AND gesloten = 1)
    BEGIN SELECT RAISE(ABORT, '{NIET_GESLOTEN}'); END""",
    "DROP TRIGGER verslag_definitief_blijft",
    """CREATE TRIGGER verslag_definitief_blijft BEFORE DELETE ON verslag WHEN OLD.status = 'definitief'
    AND NOT EXISTS (SELECT 1 FROM te_verwijderen WHERE traject_id = OLD.traject_id)
    BEGIN SELECT RAISE(ABORT, 'verslag is definitief'); END""",
    "DROP TRIGGER bijlage_definitief_blijft",
    """CREATE TRIGGER bijlage_definitief_blijft BEFORE DELETE ON bijlage
    WHEN (SELECT status FROM verslag WHERE id = OLD.verslag_id) = 'definitief'
    AND NOT EXISTS (SELECT 1 FROM te_verwijderen t JOIN verslag v ON v.traject_id = t.traject_id
                    WHERE v.id = OLD.verslag_id)
    BEGIN SELECT RAISE(ABORT, 'verslag is definitief'); END""",
)


def _v10(conn: Connection) -> None:
    _script(_V10)(conn)
    for statement in _V10_TRIGGERS:
        conn.execute(statement)


# The institute server (issue 15, server/README.md). Every traject gets a UUID that the server knows it by (events
# have had one since v2: their event_id). `instituut` is the one connection (at most one row); its token is the
# laptop's key to the server and lives here, in the encrypted file, nowhere else. `uitgaand` is the outbox: every
# event written while the store is connected is queued by a trigger in the same transaction, whatever wrote it, and
# leaves the outbox only when the server accepted it; a refused one stays, marked, with the server's message.
# `instituut_event` holds the events the server has (ours once accepted, others' once pulled) with their volgnummer:
# a pulled event is entered there first, so the trigger does not queue it back. Trajecten pulled from the server
# that this laptop does not have are kept read-only in `gedeeld_traject` and `gedeeld_event`: their aios, opleider
# and koppeling are the starting laptop's own ids (until issue 17 brings Personen from the server), so they cannot
# become local trajecten.
_V11 = """
ALTER TABLE traject ADD COLUMN uuid TEXT;
CREATE TABLE instituut (
    id               INTEGER PRIMARY KEY CHECK (id = 1),
    server           TEXT NOT NULL,
    account          TEXT NOT NULL,
    account_naam     TEXT NOT NULL DEFAULT '',
    laptop_id        TEXT NOT NULL,
    laptop_naam      TEXT NOT NULL DEFAULT '',
    token            TEXT NOT NULL,
    token_verloopt   TEXT,
    laatst_opgehaald INTEGER NOT NULL DEFAULT 0,
    scope_versie     INTEGER,
    ca_bundel        TEXT,
    http_toegestaan  INTEGER NOT NULL DEFAULT 0,
    groepen          TEXT NOT NULL DEFAULT '[]',
    verbonden_op     TEXT NOT NULL,
    laatst_gesynchroniseerd TEXT,
    laatste_fout     TEXT
);
CREATE TABLE uitgaand (
    event_id     TEXT PRIMARY KEY,
    traject_uuid TEXT NOT NULL,
    seq          INTEGER NOT NULL,
    sinds        TEXT NOT NULL,
    pogingen     INTEGER NOT NULL DEFAULT 0,
    laatste_fout TEXT,
    geweigerd    INTEGER NOT NULL DEFAULT 0,
    melding      TEXT
);
CREATE INDEX uitgaand_seq ON uitgaand(seq);
CREATE TABLE instituut_event (
    event_id   TEXT PRIMARY KEY,
    volgnummer INTEGER NOT NULL
);
CREATE TABLE gedeeld_traject (
    uuid TEXT PRIMARY KEY,
    kop  TEXT NOT NULL
);
CREATE TABLE gedeeld_event (
    event_id     TEXT PRIMARY KEY,
    traject_uuid TEXT NOT NULL REFERENCES gedeeld_traject(uuid),
    volgnummer   INTEGER NOT NULL,
    payload      TEXT NOT NULL
);
CREATE INDEX gedeeld_event_traject ON gedeeld_event(traject_uuid, volgnummer)
"""

_V11_TRIGGERS = (
    """CREATE TRIGGER uitgaand_nieuw AFTER INSERT ON traject_event
    WHEN EXISTS (SELECT 1 FROM instituut) AND NOT EXISTS (SELECT 1 FROM instituut_event WHERE event_id = NEW.event_id)
    BEGIN INSERT INTO uitgaand (event_id, traject_uuid, seq, sinds)
        VALUES (NEW.event_id, (SELECT uuid FROM traject WHERE id = NEW.traject_id), NEW.seq,
                strftime('%Y-%m-%dT%H:%M:%S', 'now', 'localtime')); END""",
    # Deleted after its bewaartermijn (store/bewaartermijn.py): nothing of it waits to be sent.
    """CREATE TRIGGER uitgaand_vergeten AFTER DELETE ON traject_event
    BEGIN DELETE FROM uitgaand WHERE event_id = OLD.event_id; END""",
)


def _v11(conn: Connection) -> None:
    import uuid

    _script(_V11)(conn)
    ids = [r[0] for r in conn.execute("SELECT id FROM traject")]
    conn.executemany("UPDATE traject SET uuid = ? WHERE id = ?", [(str(uuid.uuid4()), i) for i in ids])
    conn.execute("CREATE UNIQUE INDEX traject_uuid ON traject(uuid)")
    for statement in _V11_TRIGGERS:
        conn.execute(statement)


# The institute, second step (issue 15). `rollen` are the account's roles at the institute as the server gave them
# (which steps of a shared traject this user records). An event this laptop records on a traject another laptop
# shares (`gedeeld_traject`) is no local `traject_event`: it waits in the outbox with its own `payload`, and moves
# to `gedeeld_event` once the server accepted it. `instituut_blokkade` is the institute's list of blocked
# opleiders (opleider name and dates, no aios), as the server gave it at the last synchronisation.
_V12 = """
ALTER TABLE instituut ADD COLUMN rollen TEXT NOT NULL DEFAULT '[]';
ALTER TABLE uitgaand ADD COLUMN payload TEXT;
CREATE TABLE instituut_blokkade (
    traject_uuid  TEXT PRIMARY KEY,
    opleider_id   INTEGER,
    opleider_naam TEXT NOT NULL DEFAULT '',
    sinds         TEXT NOT NULL,
    wacht_op      TEXT NOT NULL DEFAULT ''
)
"""


# Sealed verslagen (issue 16). `sleutelpaar` is this user's private keys (X25519 to open what is sealed to them,
# Ed25519 to sign what they seal): in the encrypted file, so protected by the wachtwoord and the herstelsleutel
# like everything else, and in every back-up. `instituut` pins the institute's signing key (its Ed25519 public key,
# as the laptop first heard it and the user compared its fingerprint) and the recovery key the institute always
# seals to; `sleutel_lezer` is the directory of other accounts' public keys, each checked against the pinned key.
_V13 = """
CREATE TABLE sleutelpaar (
    id         INTEGER PRIMARY KEY CHECK (id = 1),
    paar       BLOB NOT NULL,
    aangemaakt TEXT NOT NULL
);
ALTER TABLE instituut ADD COLUMN instituut_ondertekening TEXT;
ALTER TABLE instituut ADD COLUMN herstel_versleuteling TEXT;
ALTER TABLE instituut ADD COLUMN sleutel_ondertekend INTEGER NOT NULL DEFAULT 0;
CREATE TABLE sleutel_lezer (
    account       TEXT PRIMARY KEY,
    naam          TEXT NOT NULL DEFAULT '',
    rollen        TEXT NOT NULL DEFAULT '[]',
    versleuteling TEXT NOT NULL,
    ondertekening TEXT NOT NULL
)
"""


# Definitief verslagen to the institute, sealed (issue 16). Each verslag gets a UUID the server knows it by (a
# trigger, so no insert path can forget it). `uitgaand_verslag` is their outbox: a verslag turning definitief while
# the store is connected is queued by a trigger in the same transaction; concepten never are. `instituut_verslag`
# holds the ones the server accepted. `ontvangen_verslag` keeps what others sealed to this user exactly as it came
# (the envelope), opened and checked each time it is read; `gearchiveerd` is the receiver's own note per place.
_V14 = """
ALTER TABLE verslag ADD COLUMN uuid TEXT;
ALTER TABLE instituut ADD COLUMN verslagen_opgehaald INTEGER NOT NULL DEFAULT 0;
ALTER TABLE instituut ADD COLUMN sleutels_opgehaald TEXT;
ALTER TABLE instituut ADD COLUMN reeks TEXT;
CREATE TABLE uitgaand_verslag (
    verslag_id INTEGER PRIMARY KEY REFERENCES verslag(id),
    sinds      TEXT NOT NULL,
    pogingen   INTEGER NOT NULL DEFAULT 0,
    geweigerd  INTEGER NOT NULL DEFAULT 0,
    melding    TEXT
);
CREATE TABLE instituut_verslag (
    verslag_id INTEGER PRIMARY KEY REFERENCES verslag(id),
    volgnummer INTEGER NOT NULL
);
CREATE TABLE ontvangen_verslag (
    uuid         TEXT PRIMARY KEY,
    traject_uuid TEXT NOT NULL,
    auteur       TEXT NOT NULL,
    auteur_naam  TEXT NOT NULL DEFAULT '',
    gesprek      TEXT NOT NULL,
    versie       INTEGER NOT NULL,
    datum        TEXT,
    metadata     TEXT NOT NULL,
    envelop      BLOB NOT NULL,
    volgnummer   INTEGER NOT NULL,
    ontvangen_op TEXT NOT NULL,
    gearchiveerd TEXT NOT NULL DEFAULT '{}'
)
"""
# A random (version 4) UUID in SQL, so that every way a verslag is inserted gets one.
_UUID_SQL = ("lower(hex(randomblob(4))) || '-' || lower(hex(randomblob(2))) || '-4' || "
             "substr(lower(hex(randomblob(2))), 2) || '-' || substr('89ab', 1 + abs(random()) % 4, 1) || "
             "substr(lower(hex(randomblob(2))), 2) || '-' || lower(hex(randomblob(6)))")
_V14_TRIGGERS = (
    f"""CREATE TRIGGER verslag_uuid AFTER INSERT ON verslag WHEN NEW.uuid IS NULL
    BEGIN UPDATE verslag SET uuid = ({_UUID_SQL}) WHERE id = NEW.id; END""",
    """CREATE TRIGGER verslag_naar_instituut AFTER UPDATE OF status ON verslag
    WHEN NEW.status = 'definitief' AND OLD.status != 'definitief' AND EXISTS (SELECT 1 FROM instituut)
    BEGIN INSERT OR IGNORE INTO uitgaand_verslag (verslag_id, sinds)
        VALUES (NEW.id, strftime('%Y-%m-%dT%H:%M:%S', 'now', 'localtime')); END""",
    # Deleted after its bewaartermijn (store/bewaartermijn.py): nothing of it waits to be sent.
    """CREATE TRIGGER verslag_vergeten_instituut BEFORE DELETE ON verslag
    BEGIN DELETE FROM uitgaand_verslag WHERE verslag_id = OLD.id;
          DELETE FROM instituut_verslag WHERE verslag_id = OLD.id; END""",
)


def _v14(conn: Connection) -> None:
    _script(_V14)(conn)
    conn.execute(f"UPDATE verslag SET uuid = ({_UUID_SQL})")
    conn.execute("CREATE UNIQUE INDEX verslag_uuid_uniek ON verslag(uuid)")
    for statement in _V14_TRIGGERS:
        conn.execute(statement)


# Personen from the institute (issue 17): a read-only copy of what the user's role needs, as the server last gave it
# (praktijken, opleiders, aios, koppelingen, groepen, staff), kept apart from this laptop's own Personen (ids are
# the server's). `personen_versie` is how far this laptop pulled. `eigen_gedeeld` names the events this laptop recorded
# on trajecten others share, once the server had them: sent again if the server is put back from a back-up.
_V15 = """
ALTER TABLE instituut ADD COLUMN personen_versie INTEGER NOT NULL DEFAULT 0;
ALTER TABLE instituut ADD COLUMN personen_scope INTEGER;
CREATE TABLE inst_praktijk (
    id INTEGER PRIMARY KEY, naam TEXT NOT NULL, plaats TEXT NOT NULL DEFAULT '',
    gearchiveerd INTEGER NOT NULL DEFAULT 0, versie INTEGER NOT NULL
);
CREATE TABLE inst_opleider (
    id INTEGER PRIMARY KEY, voornaam TEXT NOT NULL DEFAULT '', tussenvoegsel TEXT NOT NULL DEFAULT '',
    achternaam TEXT NOT NULL DEFAULT '', praktijk INTEGER, gearchiveerd INTEGER NOT NULL DEFAULT 0,
    versie INTEGER NOT NULL
);
CREATE TABLE inst_aios (
    id INTEGER PRIMARY KEY, voornaam TEXT NOT NULL DEFAULT '', tussenvoegsel TEXT NOT NULL DEFAULT '',
    achternaam TEXT NOT NULL DEFAULT '', opleidingsjaar INTEGER NOT NULL, startdatum_opleiding TEXT,
    deeltijdpercentage INTEGER NOT NULL DEFAULT 100, groep INTEGER, gearchiveerd INTEGER NOT NULL DEFAULT 0,
    versie INTEGER NOT NULL
);
CREATE TABLE inst_koppeling (
    id INTEGER PRIMARY KEY, aios INTEGER NOT NULL, opleider INTEGER NOT NULL, startdatum TEXT NOT NULL,
    einddatum TEXT, versie INTEGER NOT NULL
);
CREATE TABLE inst_groep (
    id INTEGER PRIMARY KEY, naam TEXT NOT NULL, opleidingsjaar INTEGER NOT NULL
);
CREATE TABLE inst_medewerker (
    account TEXT PRIMARY KEY, naam TEXT NOT NULL DEFAULT '', rollen TEXT NOT NULL DEFAULT '[]'
);
CREATE TABLE eigen_gedeeld (
    event_id TEXT PRIMARY KEY
)
"""


# Trajecten on the institute's Personen (issue 17): this laptop's own Personen mirror what the institute shares with
# the user (instituut/spiegel.py); `instituut_id` is the server's id of a mirrored row (NULL: the laptop's own).
# `instituut_kop` says per traject this laptop started whether its header at the institute carries the institute's
# ids (1) or this laptop's own (0): decided once, when its first event is sent, and never again, because the server
# keeps the header it first accepted. A traject the server already has from before is this laptop's own. A blokkade
# of the institute names the institute's opleider when `instituut` is set (else the starting laptop's).
# `gespiegeld_versie`: the copy's versie up to which the mirror took everything over (a mirror reads only what came
# after it, and what it could not link).
_V16 = """
ALTER TABLE praktijk ADD COLUMN instituut_id INTEGER;
ALTER TABLE opleider ADD COLUMN instituut_id INTEGER;
ALTER TABLE aios ADD COLUMN instituut_id INTEGER;
ALTER TABLE koppeling ADD COLUMN instituut_id INTEGER;
ALTER TABLE groep ADD COLUMN instituut_id INTEGER;
CREATE UNIQUE INDEX praktijk_instituut ON praktijk(instituut_id) WHERE instituut_id IS NOT NULL;
CREATE UNIQUE INDEX opleider_instituut ON opleider(instituut_id) WHERE instituut_id IS NOT NULL;
CREATE UNIQUE INDEX aios_instituut ON aios(instituut_id) WHERE instituut_id IS NOT NULL;
CREATE UNIQUE INDEX koppeling_instituut ON koppeling(instituut_id) WHERE instituut_id IS NOT NULL;
CREATE UNIQUE INDEX groep_instituut ON groep(instituut_id) WHERE instituut_id IS NOT NULL;
ALTER TABLE instituut_blokkade ADD COLUMN instituut INTEGER NOT NULL DEFAULT 0;
ALTER TABLE instituut ADD COLUMN gespiegeld_versie INTEGER NOT NULL DEFAULT 0;
CREATE TABLE instituut_kop (
    traject_uuid TEXT PRIMARY KEY,
    instituut    INTEGER NOT NULL
);
INSERT INTO instituut_kop (traject_uuid, instituut)
    SELECT DISTINCT t.uuid, 0 FROM traject t JOIN traject_event e ON e.traject_id = t.id
    JOIN instituut_event i ON i.event_id = e.event_id WHERE t.uuid IS NOT NULL
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
    Migration(9, "regels die een tweede schrijver kan breken, in het bestand zelf", _v9),
    Migration(10, "bewaartermijnen: datum van archiveren, verwijderen na de termijn", _v10),
    Migration(11, "instituutsserver: UUID per traject, uitgaande map, verbinding", _v11),
    Migration(12, "instituut: rollen, stappen op gedeelde trajecten, blokkades", _script(_V12)),
    Migration(13, "verzegelde verslagen: eigen sleutelpaar, sleutels van het instituut en van lezers", _script(_V13)),
    Migration(14, "verzegelde verslagen naar en van het instituut", _v14),
    Migration(15, "personen van het instituut: een kopie van wat de rol nodig heeft", _script(_V15)),
    Migration(16, "trajecten op de personen van het instituut", _script(_V16)),
)

LATEST_VERSION = MIGRATIONS[-1].version
