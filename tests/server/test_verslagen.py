"""Sealed verslagen on the server (issue 16): a docent's laptop sends a definitief verslag sealed to its readers and
signed; the server keeps the envelope and the metadata the terms need, hands it to its readers only, refuses what
it should not carry, and cannot read it — nor can whoever dumps its database. IT's recovery key gives a new
jaarassistent access, and only them."""

from __future__ import annotations

import base64
import json
import os
import subprocess
import sys
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import nacl.pwhash.argon2id
import psycopg
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from ontkoppel_desktop.core.rollen import Rol
from ontkoppel_desktop.instituut.verzegeling import (
    HERSTEL,
    PubliekeSleutels,
    Sleutelpaar,
    ZegelFout,
    bewaar_herstelsleutel,
    controleer_binding,
    controleer_handtekening,
    lezers_van,
    maak_herstelsleutel,
    maak_sleutelpaar,
    open_zegel,
    uit_b64,
    verzegel,
)
from ontkoppel_server import pgcluster
from ontkoppel_server.__main__ import main
from ontkoppel_server.instituut import toegang, verslagen
from ontkoppel_server.instituut.management.commands import _sleutelbestand
from ontkoppel_server.instituut.models import Account, Groep, Verslag
from tests.server.conftest import (
    EIGENAAR_WACHTWOORD,
    LaptopSessie,
    aanmelden,
    account,
    groep,
    nieuw_traject,
    signaal,
)
from tests.server.test_sleutels import SLEUTELWACHTWOORD, _instituut, _Uit
from tests.server.test_toegang import als_app

MARKER = "Zeer-vertrouwelijk: aios Ëlise huilde tijdens het gesprek (7f3a9c)"
INHOUD = f"Driehoeksgesprek.\n\n{MARKER}\n\nAfspraken: ...".encode()


@pytest.fixture(autouse=True)
def snelle_sleutelbestanden(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_sleutelbestand, "KDF", {"opslimit": nacl.pwhash.argon2id.OPSLIMIT_MIN,
                                                 "memlimit": nacl.pwhash.argon2id.MEMLIMIT_MIN})
    monkeypatch.setenv(_sleutelbestand.WACHTWOORD_VAR, SLEUTELWACHTWOORD)


@dataclass
class Wereld:
    """Groep A (jaar 1) with docent dirk and jaarassistent jas of year 1; bea is docent of groep B (also year 1).
    Each has a key pair whose public half the institute signed; one traject of groep A on the server."""

    tmp: Path
    a: Groep
    b: Groep
    paren: dict[str, Sleutelpaar]
    laptops: dict[str, LaptopSessie]
    instituut: Path
    herstel: Path
    traject: str

    def nieuw(self, naam: str, *rollen: tuple[Rol, Groep | int | None], onderteken: bool = True) -> LaptopSessie:
        account(naam, *rollen)
        self.paren[naam] = maak_sleutelpaar()
        self.laptops[naam] = aanmelden(naam, sleutels=self.paren[naam].publiek.naar_json())
        if onderteken:
            call_command("sleutels-ondertekenen", "--instituutssleutel", str(self.instituut), "--ja",
                         "--account", naam, stdout=_Uit())
        return self.laptops[naam]

    def lezers(self, *namen: str, herstel: bool = True) -> dict[str, bytes]:
        """The readers' X25519 keys as a laptop takes them: from the directory, each checked against the institute
        key (and the recovery key against its binding to herstel)."""
        laptop = self.laptops["dirk"]
        _, ik = laptop.get("/api/v1/ik")
        instituut = uit_b64(ik["instituut"]["ondertekening"])
        _, gids = laptop.get("/api/v1/sleutels")
        uit: dict[str, bytes] = {}
        for rij in gids["sleutels"]:
            if rij["account"] in namen:
                publiek = PubliekeSleutels.uit_json({k: rij[k] for k in ("versleuteling", "ondertekening")})
                controleer_binding(instituut, rij["account"], publiek, uit_b64(rij["handtekening"]))
                uit[rij["account"]] = publiek.versleuteling
        assert set(uit) == set(namen)
        if herstel:
            h = ik["instituut"]["herstel"]
            publiek = PubliekeSleutels.uit_json({k: h[k] for k in ("versleuteling", "ondertekening")})
            controleer_binding(instituut, HERSTEL, publiek, uit_b64(h["handtekening"]))
            uit[HERSTEL] = publiek.versleuteling
        return uit

    def metadata(self, **extra: Any) -> dict[str, Any]:
        return {"traject": self.traject, "gesprek": "driehoeksgesprek", "versie": 1, "datum": "2026-11-03",
                "afgerond_op": "2026-11-03T14:05:00+01:00", "procedure_id": "utrecht", **extra}

    def envelop(self, inhoud: bytes = INHOUD, *, auteur: str = "dirk", paar: Sleutelpaar | None = None,
                lezers: dict[str, bytes] | None = None, metadata: dict[str, Any] | None = None) -> bytes:
        return verzegel(inhoud, self.metadata() if metadata is None else metadata, paar or self.paren[auteur],
                        auteur, self.lezers("dirk", "jas") if lezers is None else lezers)


@pytest.fixture
def wereld(tmp_path: Path) -> Wereld:
    a, b = groep("Groep A", 1), groep("Groep B", 1)
    instituut = _instituut(tmp_path)
    herstel = tmp_path / "herstel.sleutel"
    call_command("herstelsleutel-maken", "--bestand", str(herstel), "--instituutssleutel", str(instituut),
                 stdout=_Uit())
    w = Wereld(tmp_path, a, b, {}, {}, instituut, herstel, nieuw_traject())
    w.nieuw("dirk", (Rol.DOCENTEN, a))
    w.nieuw("jas", (Rol.JAARASSISTENT, 1))
    w.nieuw("bea", (Rol.DOCENTEN, b))
    [resultaat] = w.laptops["dirk"].stuur(signaal(w.traject, a))
    assert resultaat["status"] == "aanvaard", resultaat
    return w


def stuur(laptop: LaptopSessie, *items: tuple[str, str, bytes]) -> list[dict[str, Any]]:
    body = {"verslagen": [{"id": i, "traject": t, "envelop": base64.b64encode(e).decode()} for i, t, e in items]}
    status, answer = laptop.post("/api/v1/verslagen", body)
    assert status == 200, answer
    resultaten: list[dict[str, Any]] = answer["resultaten"]
    return resultaten


def haal(laptop: LaptopSessie, na: int = 0) -> dict[str, Any]:
    status, answer = laptop.get("/api/v1/verslagen", na=na)
    assert status == 200, answer
    result: dict[str, Any] = answer
    return result


def _count(cursor: psycopg.Cursor[Any], sql: str) -> int:
    cursor.execute(sql)
    row = cursor.fetchone()
    assert row is not None
    return int(row[0])


def test_a_sealed_verslag_reaches_its_readers_and_nobody_else(wereld: Wereld, postgres: pgcluster.Cluster) -> None:
    w = wereld
    verslag_id = str(uuid.uuid4())
    envelop = w.envelop()
    [resultaat] = stuur(w.laptops["dirk"], (verslag_id, w.traject, envelop))
    assert resultaat == {"id": verslag_id, "status": "aanvaard", "volgnummer": resultaat["volgnummer"]}
    assert isinstance(resultaat["volgnummer"], int)

    antwoord = haal(w.laptops["jas"])
    assert antwoord["meer"] is False and antwoord["tot"] == resultaat["volgnummer"]
    [ontvangen] = antwoord["verslagen"]
    assert ontvangen == {
        "id": verslag_id, "traject": w.traject, "auteur": "dirk", "auteur_naam": "Dirk", "gesprek": "driehoeksgesprek",
        "versie": 1, "datum": "2026-11-03", "metadata": w.metadata(), "envelop": ontvangen["envelop"],
        "volgnummer": resultaat["volgnummer"],
    }
    geopend = open_zegel(uit_b64(ontvangen["envelop"]), "jas", w.paren["jas"],
                         w.paren["dirk"].publiek.ondertekening)
    assert geopend.inhoud == INHOUD and geopend.auteur_account == "dirk"
    assert haal(w.laptops["jas"], na=antwoord["tot"]) == {"verslagen": [], "tot": antwoord["tot"], "meer": False,
                                                         "reeks": toegang.reeks()}
    assert [v["id"] for v in haal(w.laptops["dirk"])["verslagen"]] == [verslag_id]

    # Bea sees trajecten of year 1's other groep, not this one; and she is not a reader.
    assert haal(w.laptops["bea"]) == {"verslagen": [], "tot": 0, "meer": False, "reeks": toegang.reeks()}
    bea, jas = Account.objects.get(username="bea"), Account.objects.get(username="jas")
    with als_app(postgres, bea) as cursor:
        assert _count(cursor, "SELECT count(*) FROM verslag") == 0
    with als_app(postgres, None) as cursor:
        assert _count(cursor, "SELECT count(*) FROM verslag") == 0
    with als_app(postgres, jas) as cursor:
        assert _count(cursor, "SELECT count(*) FROM verslag") == 1

    rij = Verslag.objects.using("eigenaar").get()
    assert (rij.gesprek, rij.versie, str(rij.datum), rij.auteur.username) == ("driehoeksgesprek", 1, "2026-11-03",
                                                                            "dirk")
    assert rij.lezers == ["dirk", HERSTEL, "jas"] and bytes(rij.envelop) == envelop


def test_a_reader_who_sees_the_traject_but_was_not_sealed_to_gets_nothing(wereld: Wereld) -> None:
    w = wereld
    w.nieuw("mo", (Rol.MANAGER_OPLEIDING, 1))  # sees every traject of year 1
    stuur(w.laptops["dirk"], (str(uuid.uuid4()), w.traject, w.envelop()))
    assert haal(w.laptops["mo"])["verslagen"] == []


def test_the_database_dump_holds_no_plaintext_of_the_verslag(wereld: Wereld, postgres: pgcluster.Cluster) -> None:
    w = wereld
    verslag_id = str(uuid.uuid4())
    envelop = w.envelop()
    [resultaat] = stuur(w.laptops["dirk"], (verslag_id, w.traject, envelop))
    assert resultaat["status"] == "aanvaard"

    dump = subprocess.run(
        [str(pgcluster.bin_map() / "pg_dump"), "--host", "127.0.0.1", "--port", str(postgres.port), "--username",
         "ontkoppel_eigenaar", "--no-password", "--dbname", "ontkoppel"],
        env={**os.environ, "PGPASSWORD": EIGENAAR_WACHTWOORD}, capture_output=True, check=True,
    ).stdout
    # The row is in the dump, envelope and all (bytea as hex): a plaintext there would be found below.
    assert verslag_id.encode() in dump and b"driehoeksgesprek" in dump and envelop.hex().encode() in dump
    gezocht = MARKER.encode("utf-8")
    for vorm in (gezocht, gezocht.hex().encode(), b"huilde", "Ëlise".encode()):
        assert vorm not in dump
    assert MARKER not in dump.decode("utf-8", errors="replace")


def test_a_verslag_signed_by_another_key_than_the_authors_bound_one_is_refused(wereld: Wereld) -> None:
    w = wereld
    # Signed by a key the institute never bound to dirk (a stolen laptop's server, a forger), in dirk's name.
    vals = w.envelop(paar=maak_sleutelpaar())
    [resultaat] = stuur(w.laptops["dirk"], (str(uuid.uuid4()), w.traject, vals))
    assert resultaat["status"] == "geweigerd" and resultaat["melding"] == verslagen.HANDTEKENING
    # Jas's own, valid signature does not make it dirk's verslag, nor may dirk's laptop send in jas's name.
    namens_jas = w.envelop(auteur="jas", lezers=w.lezers("dirk", "jas"))
    [resultaat] = stuur(w.laptops["dirk"], (str(uuid.uuid4()), w.traject, namens_jas))
    assert resultaat["status"] == "geweigerd" and "ander account (‘jas’)" in resultaat["melding"]
    assert not Verslag.objects.using("eigenaar").exists()


def test_a_replaced_key_that_was_signed_still_signs_what_it_sealed(wereld: Wereld) -> None:
    w = wereld
    oud = w.envelop()  # sealed before the laptop got a new key
    status, _ = w.laptops["dirk"].post("/api/v1/sleutels/eigen", maak_sleutelpaar().publiek.naar_json())
    assert status == 200
    [resultaat] = stuur(w.laptops["dirk"], (str(uuid.uuid4()), w.traject, oud))
    assert resultaat["status"] == "aanvaard", resultaat


def test_an_author_without_a_signed_key_is_refused(wereld: Wereld) -> None:
    w = wereld
    laptop = w.nieuw("dora", (Rol.DOCENTEN, w.a), onderteken=False)
    envelop = w.envelop(auteur="dora", lezers={**w.lezers("dirk"), "dora": w.paren["dora"].publiek.versleuteling})
    [resultaat] = stuur(laptop, (str(uuid.uuid4()), w.traject, envelop))
    assert resultaat == {"id": resultaat["id"], "status": "geweigerd", "melding": verslagen.GEEN_SLEUTEL}


def _zonder_lezer(envelop: bytes, lezer: str) -> bytes:
    """The envelope with one reader's entry taken out: the readers are not signed, so the signature still holds."""
    data = json.loads(envelop)
    del data["lezers"][lezer]
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def test_readers_the_server_refuses(wereld: Wereld) -> None:
    w = wereld
    laptop = w.laptops["dirk"]
    zonder_herstel = _zonder_lezer(w.envelop(), HERSTEL)
    controleer_handtekening(zonder_herstel, w.paren["dirk"].publiek.ondertekening)  # still validly signed
    zonder_auteur = _zonder_lezer(w.envelop(), "dirk")
    onbekend = w.envelop(lezers={**w.lezers("dirk", "jas"), "niemand": maak_sleutelpaar().publiek.versleuteling})
    Account.objects.filter(username="bea").update(is_active=False)
    uitgeschakeld = w.envelop(lezers={**w.lezers("dirk"), "bea": w.paren["bea"].publiek.versleuteling})
    resultaten = stuur(laptop, *((str(uuid.uuid4()), w.traject, e)
                                 for e in (zonder_herstel, zonder_auteur, onbekend, uitgeschakeld)))
    assert [r["status"] for r in resultaten] == ["geweigerd"] * 4
    assert resultaten[0]["melding"] == verslagen.ZONDER_HERSTEL
    assert resultaten[1]["melding"] == verslagen.AUTEUR_GEEN_LEZER
    assert "‘niemand’" in resultaten[2]["melding"] and "geen actief account" in resultaten[2]["melding"]
    assert "‘bea’" in resultaten[3]["melding"]
    assert not Verslag.objects.using("eigenaar").exists()


@pytest.mark.parametrize(
    ("metadata", "melding"),
    [
        ({"notitie": "Aios was emotioneel"}, "velden die de server niet bewaart (notitie)"),
        ({"traject": str(uuid.uuid4())}, verslagen.TRAJECT_PAST_NIET),
        ({"gesprek": None}, verslagen.GESPREK_VERSIE),
        ({"versie": "1"}, verslagen.GESPREK_VERSIE),
        ({"versie": True}, verslagen.GESPREK_VERSIE),
        ({"datum": "3 november"}, verslagen.GEEN_DATUM),
    ],
)
def test_metadata_beyond_what_the_terms_need_is_refused(wereld: Wereld, metadata: dict[str, Any],
                                                        melding: str) -> None:
    w = wereld
    envelop = w.envelop(metadata=w.metadata(**metadata))
    [resultaat] = stuur(w.laptops["dirk"], (str(uuid.uuid4()), w.traject, envelop))
    assert resultaat["status"] == "geweigerd" and melding in resultaat["melding"]


def test_only_a_traject_the_account_sees_and_a_readable_envelope(wereld: Wereld) -> None:
    w = wereld
    bea = w.laptops["bea"]
    envelop = w.envelop(auteur="bea", lezers=w.lezers("bea", "dirk"))
    onbekend = nieuw_traject()
    resultaten = stuur(bea, (str(uuid.uuid4()), w.traject, envelop), (str(uuid.uuid4()), onbekend, envelop))
    assert [r["melding"] for r in resultaten] == [verslagen.ONBEKEND_TRAJECT] * 2

    laptop = w.laptops["dirk"]
    status, answer = laptop.post("/api/v1/verslagen", {"verslagen": [
        {"id": "geen-uuid", "traject": w.traject, "envelop": "eA=="},
        {"id": str(uuid.uuid4()), "traject": w.traject, "envelop": "!!"},
        {"id": str(uuid.uuid4()), "traject": w.traject, "envelop": base64.b64encode(b"{}").decode()},
        "geen object",
    ]})
    assert status == 200
    assert [r["status"] for r in answer["resultaten"]] == ["geweigerd"] * 4
    assert [r["melding"] for r in answer["resultaten"]] == [
        "Het id van het verslag is geen geldige UUID.", verslagen.GEEN_BASE64,
        "Dit verslag is beschadigd of onleesbaar.", verslagen.GEEN_OBJECT]

    for body, melding in (({"verslag": []}, verslagen.ONLEESBAAR), ([], verslagen.ONLEESBAAR),
                          ({"verslagen": [{}] * 101}, verslagen.TE_VEEL)):
        assert laptop.post("/api/v1/verslagen", body) == (400, {"fout": melding})
    assert laptop.get("/api/v1/verslagen", na="x")[0] == 400


def test_sending_again_is_harmless_and_other_content_under_the_same_uuid_is_refused(wereld: Wereld) -> None:
    w = wereld
    laptop = w.laptops["dirk"]
    verslag_id = str(uuid.uuid4())
    envelop = w.envelop()
    [eerste] = stuur(laptop, (verslag_id, w.traject, envelop))
    [tweede] = stuur(laptop, (verslag_id, w.traject, envelop))
    assert tweede == eerste and eerste["status"] == "aanvaard"

    [anders] = stuur(laptop, (verslag_id, w.traject, w.envelop(b"Een andere tekst.")))
    assert anders == {"id": verslag_id, "status": "geweigerd", "melding": verslagen.ANDERE_INHOUD}
    assert anders["melding"] == "Dit verslag is al ontvangen met een andere inhoud; een correctie is een nieuwe versie."

    # Twice in one batch: one row, one volgnummer; a second with other bytes in the same batch is refused.
    nog_een = str(uuid.uuid4())
    envelop2 = w.envelop(b"Tweede.")
    a, b, c = stuur(laptop, (nog_een, w.traject, envelop2), (nog_een, w.traject, envelop2),
                    (nog_een, w.traject, w.envelop(b"Derde.")))
    assert a == b and a["status"] == "aanvaard" and a["volgnummer"] > eerste["volgnummer"]
    assert c["status"] == "geweigerd"
    assert Verslag.objects.using("eigenaar").count() == 2

    # Another account's verslag under a uuid the server has: refused, and it learns nothing of it.
    envelop_jas = w.envelop(auteur="jas", lezers=w.lezers("dirk", "jas"))
    [van_jas] = stuur(w.laptops["jas"], (verslag_id, w.traject, envelop_jas))
    assert van_jas["status"] == "geweigerd"
    assert bytes(Verslag.objects.using("eigenaar").get(pk=verslag_id).envelop) == envelop


def test_the_application_role_cannot_change_remove_or_forge_a_verslag(wereld: Wereld,
                                                                     postgres: pgcluster.Cluster) -> None:
    w = wereld
    stuur(w.laptops["dirk"], (str(uuid.uuid4()), w.traject, w.envelop()))
    dirk, bea = Account.objects.get(username="dirk"), Account.objects.get(username="bea")
    for poging in ("UPDATE verslag SET lezers = lezers || ARRAY['bea']", "DELETE FROM verslag"):
        with als_app(postgres, dirk) as cursor, pytest.raises(psycopg.errors.InsufficientPrivilege):
            cursor.execute(poging)
    invoegen = ("INSERT INTO verslag (uuid, traject_id, auteur_id, gesprek, versie, metadata, lezers, envelop, "
                "volgnummer, ontvangen_op, bijgewerkt_op) VALUES (%s, %s, %s, 'x', 1, '{}', %s, 'x', "
                "nextval('verslag_volgnummer'), now(), now())")
    for als, auteur, lezers in (
        (bea, bea, ["bea", "herstel"]),  # a traject bea does not see
        (dirk, bea, ["bea", "dirk", "herstel"]),  # in another's name
        (dirk, dirk, ["dirk"]),  # without the recovery key
    ):
        with als_app(postgres, als) as cursor, pytest.raises(psycopg.errors.InsufficientPrivilege):
            cursor.execute(invoegen, [uuid.uuid4(), w.traject, auteur.pk, lezers])


def _herverzegel(w: Wereld, *extra: str) -> str:
    uit = _Uit()
    call_command("verslagen-herverzegelen", "--herstelsleutel", str(w.herstel), "--ja", *extra, stdout=uit)
    return uit.tekst


def test_resealing_with_the_recovery_key_gives_a_new_jaarassistent_access_and_only_them(wereld: Wereld) -> None:
    w = wereld
    verslag_id = str(uuid.uuid4())
    [eerste] = stuur(w.laptops["dirk"], (verslag_id, w.traject, w.envelop()))
    nina = w.nieuw("nina", (Rol.JAARASSISTENT, 1))  # the new jaarassistent, after the verslag was sent
    piet = w.nieuw("piet", (Rol.JAARASSISTENT, 2))
    assert haal(nina)["verslagen"] == []
    jas_tot = haal(w.laptops["jas"])["tot"]

    uit = _herverzegel(w, "--account", "nina")
    assert "1 verslag(en) opnieuw verzegeld voor nina" in uit and "opleidingsjaar 1" in uit

    [ontvangen] = haal(nina)["verslagen"]
    assert ontvangen["id"] == verslag_id and ontvangen["volgnummer"] > eerste["volgnummer"]
    envelop = uit_b64(ontvangen["envelop"])
    # The author's signature still holds: re-sealing changed the readers, not what dirk signed.
    controleer_handtekening(envelop, w.paren["dirk"].publiek.ondertekening)
    geopend = open_zegel(envelop, "nina", w.paren["nina"], w.paren["dirk"].publiek.ondertekening)
    assert geopend.inhoud == INHOUD
    assert lezers_van(envelop) == ["dirk", HERSTEL, "jas", "nina"]
    # The other readers pull it again (a new volgnummer) and still open it.
    [opnieuw] = haal(w.laptops["jas"], na=jas_tot)["verslagen"]
    assert open_zegel(uit_b64(opnieuw["envelop"]), "jas", w.paren["jas"],
                      w.paren["dirk"].publiek.ondertekening).inhoud == INHOUD
    # Only nina: year 2's jaarassistent and the other groep's docent still get nothing, and cannot open it.
    assert haal(piet)["verslagen"] == [] and haal(w.laptops["bea"])["verslagen"] == []
    with pytest.raises(ZegelFout):
        open_zegel(envelop, "piet", w.paren["piet"], w.paren["dirk"].publiek.ondertekening)
    assert Verslag.objects.using("eigenaar").get().lezers == ["dirk", HERSTEL, "jas", "nina"]

    # Once more: nina reads it already.
    assert "0 verslag(en) opnieuw verzegeld voor nina; 1 las het account al" in _herverzegel(w, "--account", "nina")


def test_a_resend_after_resealing_is_still_the_same_verslag(wereld: Wereld) -> None:
    w = wereld
    verslag_id = str(uuid.uuid4())
    envelop = w.envelop()
    stuur(w.laptops["dirk"], (verslag_id, w.traject, envelop))
    w.nieuw("nina", (Rol.JAARASSISTENT, 1))
    _herverzegel(w, "--account", "nina")
    volgnummer = Verslag.objects.using("eigenaar").get().volgnummer
    [resultaat] = stuur(w.laptops["dirk"], (verslag_id, w.traject, envelop))
    assert resultaat == {"id": verslag_id, "status": "aanvaard", "volgnummer": volgnummer}


def test_resealing_chooses_explicitly_when_the_account_has_no_year(wereld: Wereld) -> None:
    w = wereld
    stuur(w.laptops["dirk"], (str(uuid.uuid4()), w.traject, w.envelop()))
    w.nieuw("mo", (Rol.MANAGER_OPLEIDERS, None))
    with pytest.raises(CommandError, match="geen jaarassistent of manager opleiding.*--jaar, --traject of --alle"):
        _herverzegel(w, "--account", "mo")
    assert _herverzegel(w, "--account", "mo", "--jaar", "2") == "Er zijn geen verslagen van opleidingsjaar 2.\n"
    assert "1 verslag(en) opnieuw verzegeld voor mo" in _herverzegel(w, "--account", "mo", "--traject", w.traject)
    assert len(haal(w.laptops["mo"])["verslagen"]) == 1


def test_resealing_refuses_a_wrong_passphrase_another_recovery_key_or_an_unsigned_key(
    wereld: Wereld, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    w = wereld
    stuur(w.laptops["dirk"], (str(uuid.uuid4()), w.traject, w.envelop()))
    w.nieuw("nina", (Rol.JAARASSISTENT, 1))
    voor = Verslag.objects.using("eigenaar").get()

    monkeypatch.setenv(_sleutelbestand.WACHTWOORD_VAR, "fout-wachtwoord")
    monkeypatch.setattr(sys, "argv", ["ontkoppel_server", "verslagen-herverzegelen", "--herstelsleutel",
                                      str(w.herstel), "--account", "nina", "--ja"])
    capsys.readouterr()
    with pytest.raises(SystemExit) as einde:
        main()
    assert einde.value.code == 1
    assert f"Onjuist wachtwoord voor de herstelsleutel ({w.herstel}). Er is niets veranderd." in \
        capsys.readouterr().err
    monkeypatch.setenv(_sleutelbestand.WACHTWOORD_VAR, SLEUTELWACHTWOORD)

    ander = w.tmp / "ander-herstel.sleutel"
    ander.write_bytes(bewaar_herstelsleutel(maak_herstelsleutel(), SLEUTELWACHTWOORD,
                                            opslimit=nacl.pwhash.argon2id.OPSLIMIT_MIN,
                                            memlimit=nacl.pwhash.argon2id.MEMLIMIT_MIN))
    with pytest.raises(CommandError, match="niet de herstelsleutel van deze server"):
        call_command("verslagen-herverzegelen", "--herstelsleutel", str(ander), "--account", "nina", "--ja")

    w.nieuw("nieuw", (Rol.JAARASSISTENT, 1), onderteken=False)
    with pytest.raises(CommandError, match="nog niet door het instituut ondertekend"):
        _herverzegel(w, "--account", "nieuw")
    with pytest.raises(CommandError, match="geen actief account ‘niemand’"):
        _herverzegel(w, "--account", "niemand")

    na = Verslag.objects.using("eigenaar").get()
    assert (na.lezers, bytes(na.envelop), na.volgnummer) == (voor.lezers, bytes(voor.envelop), voor.volgnummer)


def test_resealing_asks_before_it_changes_anything(wereld: Wereld, monkeypatch: pytest.MonkeyPatch) -> None:
    w = wereld
    stuur(w.laptops["dirk"], (str(uuid.uuid4()), w.traject, w.envelop()))
    w.nieuw("nina", (Rol.JAARASSISTENT, 1))
    vragen: list[str] = []
    monkeypatch.setattr("builtins.input", lambda vraag: vragen.append(vraag) or "")
    uit = _Uit()
    call_command("verslagen-herverzegelen", "--herstelsleutel", str(w.herstel), "--account", "nina", stdout=uit)
    assert vragen == ["Deze verslagen opnieuw verzegelen voor dit account? [j/N] "]
    assert "1 verslag(en) van opleidingsjaar 1, voor nina" in uit.tekst and "Er is niets veranderd." in uit.tekst
    assert haal(w.laptops["nina"])["verslagen"] == []
