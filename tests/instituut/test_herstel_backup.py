"""A back-up restores (issue 17): the server's database dumped with `pg_dump -Fc` as server/deploy/backup.sh does,
restored into a second, fresh PostgreSQL cluster set up as in production (the roles
by `inrichten`, then pg_restore, then migrate), and gunicorn started on it at the same address. Two laptops that
shared a traject before sync on as before: no new enrolment (their tokens came back with the rest), what one records
after the restore arrives on the other, nothing doubles, and the volgnummers go on from where they were."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
import sys
from pathlib import Path

import psycopg
from django.conf import settings
from django.contrib.auth.hashers import make_password

from ontkoppel_desktop.core.procedure import EventKind, new_event
from ontkoppel_desktop.core.rollen import Rol
from ontkoppel_desktop.instituut import gedeeld, outbox, verslagen
from ontkoppel_server import pgcluster
from ontkoppel_server.inrichting import Inrichting
from tests.instituut.conftest import Server, docenten, it_ondertekent, nieuwe_laptop
from tests.server.conftest import ENV, WACHTWOORD, account
from tests.verslagen.conftest import schrijf_driehoek

NOTITIE_VOOR = "Voor-de-backup-MARKER-2b8e"
NOTITIE_NA = "Na-het-herstel-MARKER-c41d"
VANDAAG = dt.date.today()


def _pg(programma: str, cluster: pgcluster.Cluster, user: str, password: str, *args: str) -> None:
    subprocess.run([str(pgcluster.bin_map() / programma), "-h", "127.0.0.1", "-p", str(cluster.port),
                    "-U", user, "--no-password", *args],
                   capture_output=True, env={**os.environ, "PGPASSWORD": password}, check=True)


def _jaarassistent(naam: str) -> None:
    acc = account(naam, (Rol.JAARASSISTENT, 1))
    acc.password = make_password(WACHTWOORD, hasher="argon2")
    acc.save()


def _server_env(cluster: pgcluster.Cluster) -> dict[str, str]:
    return {**os.environ, **ENV, "ONTKOPPEL_SERVER_DB_POORT": str(cluster.port)}


def _zet_terug(tweede: pgcluster.Cluster, dump: Path, *na: list[str]) -> None:
    """As server/README.md says after the machine was lost: the same setup as the first install (`inrichten`:
    roles and an empty database), the dump restored as the owner of the tables (no superuser needed for the data),
    then migrate (a dump of an older version gets the newer migrations) and what `na` adds (`na-herstel`)."""
    eigenaar, app = settings.DATABASES["eigenaar"], settings.DATABASES["default"]
    Inrichting(app["NAME"], eigenaar["USER"], eigenaar["PASSWORD"], app["USER"], app["PASSWORD"]).richt_in(
        tweede.conninfo())
    _pg("pg_restore", tweede, eigenaar["USER"], eigenaar["PASSWORD"], "-d", app["NAME"], "--exit-on-error",
        "--single-transaction", str(dump))
    for opdracht in (["migrate", "--database", "eigenaar"], ["migrate", "--database", "eigenaar", "--check"], *na):
        subprocess.run([sys.executable, "-m", "ontkoppel_server", *opdracht], capture_output=True,
                       env=_server_env(tweede), check=True)


def _volgnummers(cluster: pgcluster.Cluster) -> list[tuple[int, str]]:
    db = settings.DATABASES["eigenaar"]
    with psycopg.connect(cluster.conninfo(dbname=db["NAME"], user=db["USER"], password=db["PASSWORD"])) as conn:
        rows = conn.execute("SELECT volgnummer, uuid FROM gebeurtenis ORDER BY volgnummer").fetchall()
    return [(int(v), u.hex) for v, u in rows]


def test_a_pg_dump_restores_into_a_fresh_cluster_and_the_laptops_sync_on(
        tmp_path: Path, server: Server, it: dict[str, Path], postgres: pgcluster.Cluster) -> None:
    docenten("anna", "bram")
    _jaarassistent("jan")  # a verslag's reader: without a confirmed key it would wait
    a = nieuwe_laptop(tmp_path / "a.okdb")
    b = nieuwe_laptop(tmp_path / "b.okdb", aios="Jansen")
    j = nieuwe_laptop(tmp_path / "j.okdb", aios="Jaar")
    for laptop, naam in ((a, "anna"), (b, "bram"), (j, "jan")):
        laptop.verbind(server.adres, naam)
    it_ondertekent(it["instituut"])

    # Before the back-up: anna's traject, with a sealed notitie, shared with bram.
    traject = a.start(dagen_terug=30)
    a.synchroniseer()  # learns the directory (its own key confirmed) before sealing anything
    for laptop in (b, j):
        laptop.synchroniseer()
    a.store.trajecten.record(traject, EventKind.TELEFONISCH_CONTACT, VANDAAG - dt.timedelta(days=25),
                             {"met": ["aios"], "notitie": NOTITIE_VOOR}, user="Docent")
    for laptop in (a, b, j):
        assert laptop.synchroniseer().fout is None
    [gb] = gedeeld.lijst(b.store.conn)
    assert [e.data.get("notitie") for e in gb.traject.events][-1] == NOTITIE_VOOR
    voor = _volgnummers(postgres)
    assert [u for _, u in voor] == a.events()

    # The back-up as server/deploy/backup.sh makes it: pg_dump -Fc as PostgreSQL's superuser. Then the machine is lost.
    dump = tmp_path / "ontkoppel.dump"
    _pg("pg_dump", postgres, pgcluster.SUPERUSER, postgres.wachtwoord, "-Fc",
        "-d", settings.DATABASES["eigenaar"]["NAME"], "-f", str(dump))
    assert dump.stat().st_size > 0
    assert NOTITIE_VOOR.encode() not in dump.read_bytes()  # a dump holds the free text only sealed
    server.stop()

    tweede = pgcluster.nieuw()
    hersteld: Server | None = None
    try:
        tweede.start()
        _zet_terug(tweede, dump)
        assert _volgnummers(tweede) == voor

        # gunicorn on the restored database, at the address the laptops know.
        hersteld = Server(server.port, None, tweede)  # type: ignore[arg-type]
        hersteld.start()

        # The laptops sync on without enrolling again; nothing comes twice.
        for laptop in (a, b, j):
            verslag = laptop.synchroniseer()
            assert verslag.fout is None and verslag.verstuurd == 0 and verslag.toegepast.vastgelegd == 0
            assert verslag.toegepast.gedeeld == 0

        # After the restore: anna records and seals, bram reads it as typed; bram starts a traject, anna gets it.
        a.store.trajecten.record(traject, EventKind.TELEFONISCH_CONTACT, VANDAAG - dt.timedelta(days=5),
                                 {"met": ["opleider"], "notitie": NOTITIE_NA}, user="Docent")
        schrijf_driehoek(a.store, traject, VANDAAG - dt.timedelta(days=3), afronden=True)
        verslag = a.synchroniseer()
        assert verslag.fout is None and verslag.geweigerd == 0, verslag.meldingen
        assert verslag.verslagen_verstuurd == 1, verslagen.wachtend(a.store.conn)  # keys came back too
        van_bram = b.start(dagen_terug=2)
        verslag = b.synchroniseer()
        assert verslag.fout is None and verslag.verstuurd == 1 and verslag.geweigerd == 0
        assert verslag.verslagen_ontvangen == 1  # bram, docent of the groep, reads anna's verslag
        assert j.synchroniseer().verslagen_ontvangen == 1
        # One more round each: the verslag's step (verstuurd) that anna's laptop recorded on sending goes out too.
        for laptop in (a, b, j):
            assert laptop.synchroniseer().fout is None

        na = _volgnummers(tweede)
        assert na[:len(voor)] == voor
        nieuw = na[len(voor):]
        assert nieuw and min(v for v, _ in nieuw) > max(v for v, _ in voor)  # the volgnummers go on
        assert len({u for _, u in na}) == len(na)  # nothing twice on the server
        assert [u for u in a.events() if u in {u for _, u in na}] == a.events()

        [gb] = gedeeld.lijst(b.store.conn)
        assert [e.id for e in gb.traject.events] == a.events()  # bram has anna's traject once, in order
        notities = [e.data.get("notitie") for e in gb.traject.events if e.kind is EventKind.TELEFONISCH_CONTACT]
        assert notities == [NOTITIE_VOOR, NOTITIE_NA]
        [ga] = outbox.gedeelde_trajecten(a.store.conn)
        assert ga.uuid == b.uuid(van_bram) and len(ga.events) == len(b.events())
        for laptop in (a, b):
            assert outbox.wachtrij(laptop.store.conn).aantal == 0
        # The first cluster never saw what came after the restore: the laptops spoke to the restored one.
        assert _volgnummers(postgres) == voor
    finally:
        if hersteld is not None and hersteld.process.poll() is None:
            hersteld.stop()
        tweede.stop()
        shutil.rmtree(tweede.map, ignore_errors=True)
        for laptop in (a, b, j):
            laptop.store.close()


def test_after_an_older_back_up_the_laptops_send_again_what_the_server_lost(
        tmp_path: Path, server: Server, it: dict[str, Path], postgres: pgcluster.Cluster) -> None:
    """The back-up put back is older than the last sync: the server lost what it accepted after it. IT runs
    `na-herstel`; the laptops see another reeks, send again what is theirs and pull from the start, so nothing is
    lost and nothing doubles, and no volgnummer a laptop already had is given out again."""
    docenten("anna", "bram")
    a = nieuwe_laptop(tmp_path / "a.okdb")
    b = nieuwe_laptop(tmp_path / "b.okdb", aios="Jansen")
    for laptop, naam in ((a, "anna"), (b, "bram")):
        laptop.verbind(server.adres, naam)
    it_ondertekent(it["instituut"])
    traject = a.start(dagen_terug=30)
    for laptop in (a, b, a, b):
        assert laptop.synchroniseer().fout is None
    dump = tmp_path / "ouder.dump"
    _pg("pg_dump", postgres, pgcluster.SUPERUSER, postgres.wachtwoord, "-Fc",
        "-d", settings.DATABASES["eigenaar"]["NAME"], "-f", str(dump))
    # After the back-up: anna records a contact, bram receives it and records a step of his own on anna's traject
    # (shared with him). Then the server is lost.
    a.store.trajecten.record(traject, EventKind.TELEFONISCH_CONTACT, VANDAAG - dt.timedelta(days=25),
                             {"met": ["aios"], "notitie": NOTITIE_NA}, user="Docent")
    for laptop in (a, b):
        assert laptop.synchroniseer().fout is None
    van_bram = new_event(EventKind.TELEFONISCH_CONTACT, VANDAAG - dt.timedelta(days=20),
                         {"met": ["opleider"], "notitie": "Bram belde de opleider"}, user="Bram")
    gedeeld.leg_vast(b.store.conn, a.uuid(traject), van_bram)
    for laptop in (b, a):
        assert laptop.synchroniseer().fout is None
    voor = _volgnummers(postgres)
    assert sorted(u for _, u in voor) == sorted(a.events()) and van_bram.id in a.events()
    server.stop()

    tweede = pgcluster.nieuw()
    hersteld: Server | None = None
    try:
        tweede.start()
        _zet_terug(tweede, dump, ["na-herstel", "--ja"])
        verloren = [u for _, u in voor if u not in {u for _, u in _volgnummers(tweede)}]
        assert verloren  # the contact recorded after the back-up is not on the restored server
        hersteld = Server(server.port, None, tweede)  # type: ignore[arg-type]
        hersteld.start()

        verslag = a.synchroniseer()
        assert verslag.fout is None and any("teruggezet" in m for m in verslag.meldingen)
        assert b.synchroniseer().fout is None
        assert a.synchroniseer().fout is None  # bram's step, sent again, reaches anna again
        na = _volgnummers(tweede)
        assert sorted(u for _, u in na) == sorted(a.events())  # everything once, bram's step too: nothing lost
        assert van_bram.id in {u for _, u in na}
        opnieuw = [v for v, u in na if u in verloren]
        assert opnieuw and min(opnieuw) > max(v for v, _ in voor)  # no number bram had is given out again
        [gb] = gedeeld.lijst(b.store.conn)
        assert sorted(e.id for e in gb.traject.events) == sorted(a.events())  # bram has the traject once
        assert any(e.data.get("notitie") == NOTITIE_NA for e in gb.traject.events)
    finally:
        if hersteld is not None and hersteld.process.poll() is None:
            hersteld.stop()
        tweede.stop()
        shutil.rmtree(tweede.map, ignore_errors=True)
        for laptop in (a, b):
            laptop.store.close()
