"""The key directory (issue 16): laptops send their public keys, IT signs them with the institute key it keeps
offline, and a laptop believes a key only when that signature verifies for the account, so whoever holds the
server's database cannot swap in a reader. The recovery key is published bound to `herstel`."""

from __future__ import annotations

import sys
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
    ZegelFout,
    controleer_binding,
    lees_herstelsleutel,
    maak_sleutelpaar,
    uit_b64,
    vingerafdruk,
    vingerafdruk_instituut,
)
from ontkoppel_server import pgcluster
from ontkoppel_server.__main__ import main
from ontkoppel_server.instituut.management.commands import _sleutelbestand
from ontkoppel_server.instituut.models import Account, InstituutSleutels, Laptop, Sleutel
from ontkoppel_server.instituut.sleutels import ONLEESBARE_SLEUTELS, b64
from tests.server.conftest import WACHTWOORD, LaptopSessie, aanmelden, account, groep
from tests.server.test_toegang import als_app

SLEUTELWACHTWOORD = "Kluis-stick-paardenbloem-42"


@pytest.fixture(autouse=True)
def snelle_sleutelbestanden(monkeypatch: pytest.MonkeyPatch) -> None:
    # The machinery, not Argon2id's cost; a file records its own cost, so reading follows.
    monkeypatch.setattr(_sleutelbestand, "KDF", {"opslimit": nacl.pwhash.argon2id.OPSLIMIT_MIN,
                                                 "memlimit": nacl.pwhash.argon2id.MEMLIMIT_MIN})
    monkeypatch.setenv(_sleutelbestand.WACHTWOORD_VAR, SLEUTELWACHTWOORD)


def _instituut(tmp_path: Path, *extra: str) -> Path:
    pad = tmp_path / f"instituut-{len(list(tmp_path.iterdir()))}.sleutel"
    call_command("instituutssleutel-maken", "--bestand", str(pad), *extra, stdout=_Uit())
    return pad


def _onderteken(instituut: Path, *extra: str) -> str:
    uit = _Uit()
    call_command("sleutels-ondertekenen", "--instituutssleutel", str(instituut), "--ja", *extra, stdout=uit)
    return uit.tekst


def _rijen() -> Any:
    """The key rows as the owner sees them: the application role sees them only for a named account."""
    return Sleutel.objects.using("eigenaar")


class _Uit:
    """A stdout for call_command that keeps what was written."""

    def __init__(self) -> None:
        self.tekst = ""

    def write(self, tekst: str) -> None:
        self.tekst += tekst

    def flush(self) -> None:
        pass


def _ik(laptop: LaptopSessie) -> dict[str, Any]:
    status, ik = laptop.get("/api/v1/ik")
    assert status == 200, ik
    return ik


def _gids(laptop: LaptopSessie) -> list[dict[str, Any]]:
    status, body = laptop.get("/api/v1/sleutels")
    assert status == 200, body
    sleutels: list[dict[str, Any]] = body["sleutels"]
    return sleutels


def _controleer(ik: dict[str, Any], rij: dict[str, Any], account: str | None = None) -> None:
    """What a laptop does with a row of the directory: verify it with the institute key it pinned."""
    publiek = PubliekeSleutels.uit_json({k: rij[k] for k in ("versleuteling", "ondertekening")})
    controleer_binding(uit_b64(ik["instituut"]["ondertekening"]), account or rij["account"], publiek,
                       uit_b64(rij["handtekening"]))


def test_a_laptop_enrols_with_its_keys_and_they_wait_unsigned_outside_the_directory() -> None:
    g = groep("Groep A")
    account("anna", (Rol.DOCENTEN, g))
    paar = maak_sleutelpaar()
    laptop = aanmelden("anna", sleutels=paar.publiek.naar_json())

    sleutel = _rijen().get()
    assert (sleutel.account.username, sleutel.laptop, sleutel.handtekening) == ("anna", Laptop.objects.get(), None)
    assert PubliekeSleutels(uit_b64(sleutel.versleuteling), uit_b64(sleutel.ondertekening)) == paar.publiek
    ik = _ik(laptop)
    assert ik["sleutel"] == {"vingerafdruk": vingerafdruk(paar.publiek), "ondertekend": False}
    assert ik["instituut"] == {"ondertekening": None, "herstel": None}
    assert _gids(laptop) == []

    # Without keys a laptop enrols as before, and its account has none.
    account("bert", (Rol.DOCENTEN, g))
    assert _ik(aanmelden("bert"))["sleutel"] is None


def test_signed_keys_are_listed_and_verify_with_the_institute_key_for_their_own_account_only(tmp_path: Path) -> None:
    g = groep("Groep A", 2)
    account("bert", (Rol.DOCENTEN, g), last_name="Bakker")
    account("anna", (Rol.DOCENTEN, g), (Rol.JAARASSISTENT, 2), last_name="Jansen")
    account("oud", (Rol.DOCENTEN, g))
    paren = {naam: maak_sleutelpaar() for naam in ("anna", "bert", "oud")}
    laptops = {naam: aanmelden(naam, sleutels=paar.publiek.naar_json()) for naam, paar in paren.items()}
    instituut = _instituut(tmp_path)

    uit = _onderteken(instituut, "--account", "anna")
    assert vingerafdruk(paren["anna"].publiek) in uit and "1 sleutel(s) ondertekend, 0 niet." in uit
    assert [r["account"] for r in _gids(laptops["bert"])] == ["anna"]
    _onderteken(instituut)
    Account.objects.filter(username="oud").update(is_active=False)

    ik = _ik(laptops["anna"])
    assert ik["sleutel"] == {"vingerafdruk": vingerafdruk(paren["anna"].publiek), "ondertekend": True}
    assert ik["instituut"]["ondertekening"] == b64(
        bytes(lees_herstelsleutel(instituut.read_bytes(), SLEUTELWACHTWOORD).ondertekening.verify_key))
    gids = _gids(laptops["bert"])
    assert [r["account"] for r in gids] == ["anna", "bert"]  # by account; not the switched-off one
    assert gids[0]["naam"] == "Anna Jansen"
    assert gids[0]["rollen"] == [{"rol": "docenten", "groep": g.pk, "opleidingsjaar": None},
                                 {"rol": "jaarassistent", "groep": None, "opleidingsjaar": 2}]
    assert set(gids[0]) == {"account", "naam", "rollen", "versleuteling", "ondertekening", "handtekening"}
    for rij in gids:
        _controleer(ik, rij)
        assert PubliekeSleutels.uit_json({k: rij[k] for k in ("versleuteling", "ondertekening")}) == \
            paren[rij["account"]].publiek
    # Anna's key, signed for anna, is not bert's: a server that hands it out under his name is caught.
    with pytest.raises(ZegelFout, match="bert"):
        _controleer(ik, gids[0], account="bert")
    with pytest.raises(ZegelFout):
        _controleer(ik, {**gids[1], "handtekening": gids[0]["handtekening"]})


def test_a_key_swapped_in_the_database_after_signing_does_not_verify(tmp_path: Path) -> None:
    g = groep("Groep A")
    account("anna", (Rol.DOCENTEN, g))
    account("bert", (Rol.DOCENTEN, g))
    laptop = aanmelden("anna", sleutels=maak_sleutelpaar().publiek.naar_json())
    instituut = _instituut(tmp_path)
    _onderteken(instituut)
    ik = _ik(laptop)

    # Whoever holds the database puts a key of their own in anna's row (fingerprint column and all).
    mallory = maak_sleutelpaar().publiek
    _rijen().update(versleuteling=mallory.naar_json()["versleuteling"],
                                             vingerafdruk=vingerafdruk(mallory))
    [rij] = _gids(laptop)
    assert rij["versleuteling"] == mallory.naar_json()["versleuteling"]
    with pytest.raises(ZegelFout, match="niet door het instituut bevestigd"):
        _controleer(ik, rij)

    # Before signing, IT is shown the fingerprint of the keys it signs, not the column the database holds.
    bert = maak_sleutelpaar().publiek
    aanmelden("bert", sleutels=bert.naar_json())
    _rijen().filter(account__username="bert").update(
        versleuteling=mallory.naar_json()["versleuteling"])
    uit = _onderteken(instituut, "--account", "bert")
    getoond = PubliekeSleutels(mallory.versleuteling, bert.ondertekening)
    assert vingerafdruk(getoond) in uit and vingerafdruk(bert) not in uit


def test_it_compares_each_fingerprint_and_signs_only_what_the_user_confirms(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    g = groep("Groep A")
    for naam in ("anna", "bert"):
        account(naam, (Rol.DOCENTEN, g))
        aanmelden(naam, f"Laptop van {naam}", sleutels=maak_sleutelpaar().publiek.naar_json())
    instituut = _instituut(tmp_path)
    vragen: list[str] = []
    antwoorden = iter(["j", ""])
    monkeypatch.setattr("builtins.input", lambda vraag: vragen.append(vraag) or next(antwoorden))
    uit = _Uit()
    call_command("sleutels-ondertekenen", "--instituutssleutel", str(instituut), stdout=uit)
    assert vragen == ["Komt deze vingerafdruk overeen met wat de gebruiker op het scherm ziet? [j/N] "] * 2
    assert "Laptop:        Laptop van anna" in uit.tekst and "Aangemeld op:  " in uit.tekst
    assert "1 sleutel(s) ondertekend, 1 niet." in uit.tekst
    ondertekend = {s.account.username: s.ondertekend for s in _rijen().select_related("account")}
    assert ondertekend == {"anna": True, "bert": False}


def test_replacing_the_institute_key_clears_every_signature(tmp_path: Path) -> None:
    g = groep("Groep A")
    account("anna", (Rol.DOCENTEN, g))
    laptop = aanmelden("anna", sleutels=maak_sleutelpaar().publiek.naar_json())
    oud = _instituut(tmp_path)
    herstel = tmp_path / "herstel.sleutel"
    call_command("herstelsleutel-maken", "--bestand", str(herstel), "--instituutssleutel", str(oud), stdout=_Uit())
    _onderteken(oud)
    [oude_rij] = _gids(laptop)
    oude_ik = _ik(laptop)

    with pytest.raises(CommandError, match="al een instituutssleutel.*--vervang"):
        _instituut(tmp_path)
    assert len(list(tmp_path.iterdir())) == 2  # refused before a file was made

    uit = _Uit()
    nieuw = tmp_path / "nieuw.sleutel"
    call_command("instituutssleutel-maken", "--bestand", str(nieuw), "--vervang", stdout=uit)
    assert "elke handtekening ervan is nu ongeldig" in uit.tekst and "1 sleutel(s)" in uit.tekst
    assert _rijen().get().handtekening is None and _rijen().get().ondertekend_op is None
    ik = _ik(laptop)
    assert ik["sleutel"]["ondertekend"] is False and ik["instituut"]["herstel"] is None
    assert ik["instituut"]["ondertekening"] != oude_ik["instituut"]["ondertekening"]
    assert _gids(laptop) == []
    with pytest.raises(ZegelFout):  # the old signature does not hold under the new key
        _controleer(ik, oude_rij)
    with pytest.raises(CommandError, match="niet de instituutssleutel van deze server"):
        _onderteken(oud)

    _onderteken(nieuw)
    call_command("herstelsleutel-ondertekenen", "--bestand", str(herstel), "--instituutssleutel", str(nieuw),
                 stdout=_Uit())
    ik = _ik(laptop)
    _controleer(ik, _gids(laptop)[0])
    h = ik["instituut"]["herstel"]
    controleer_binding(uit_b64(ik["instituut"]["ondertekening"]), HERSTEL,
                       PubliekeSleutels.uit_json({k: h[k] for k in ("versleuteling", "ondertekening")}),
                       uit_b64(h["handtekening"]))


def test_the_recovery_key_is_published_bound_to_herstel(tmp_path: Path) -> None:
    account("anna")
    laptop = aanmelden("anna")
    instituut = _instituut(tmp_path)
    herstel = tmp_path / "herstel.sleutel"
    uit = _Uit()
    call_command("herstelsleutel-maken", "--bestand", str(herstel), "--instituutssleutel", str(instituut), stdout=uit)

    paar = lees_herstelsleutel(herstel.read_bytes(), SLEUTELWACHTWOORD)
    assert vingerafdruk(paar.publiek) in uit.tekst
    ik = _ik(laptop)
    h = ik["instituut"]["herstel"]
    assert set(h) == {"versleuteling", "ondertekening", "handtekening"}
    publiek = PubliekeSleutels.uit_json({k: h[k] for k in ("versleuteling", "ondertekening")})
    assert publiek == paar.publiek
    instituut_publiek = uit_b64(ik["instituut"]["ondertekening"])
    controleer_binding(instituut_publiek, HERSTEL, publiek, uit_b64(h["handtekening"]))
    with pytest.raises(ZegelFout):  # bound to herstel, not to an account of that key
        controleer_binding(instituut_publiek, "anna", publiek, uit_b64(h["handtekening"]))
    with pytest.raises(CommandError, match="al een herstelsleutel"):
        call_command("herstelsleutel-maken", "--bestand", str(tmp_path / "ander"), "--instituutssleutel",
                     str(instituut))


def test_a_new_key_from_a_laptop_replaces_the_old_one_which_keeps_its_signature(tmp_path: Path) -> None:
    g = groep("Groep A")
    account("anna", (Rol.DOCENTEN, g))
    eerste, tweede = maak_sleutelpaar().publiek, maak_sleutelpaar().publiek
    laptop = aanmelden("anna", sleutels=eerste.naar_json())
    _onderteken(_instituut(tmp_path))

    # Enrolling again with the same keys (a second laptop of the same store) keeps the signed key.
    aanmelden("anna", "Tweede laptop", sleutels=eerste.naar_json())
    assert _rijen().count() == 1 and _ik(laptop)["sleutel"]["ondertekend"] is True

    status, body = laptop.post("/api/v1/sleutels/eigen", tweede.naar_json())
    assert status == 200 and body == {"vingerafdruk": vingerafdruk(tweede), "ondertekend": False}
    oud, nieuw = _rijen().order_by("pk")
    assert oud.vervangen_op is not None and oud.handtekening is not None  # old verslagen still verify
    assert nieuw.vervangen_op is None and nieuw.handtekening is None and nieuw.vingerafdruk == vingerafdruk(tweede)
    assert _ik(laptop)["sleutel"] == body
    assert _gids(laptop) == []  # until IT signs the new one


@pytest.mark.parametrize(
    "sleutels",
    [
        {"versleuteling": "kort"},
        {"versleuteling": "QUJD", "ondertekening": "QUJD"},  # base64, but not 32 bytes
        {"versleuteling": "!" * 44, "ondertekening": "!" * 44},
        ["geen object"],
    ],
)
def test_unreadable_keys_are_refused_in_dutch(sleutels: object) -> None:
    account("anna")
    client = aanmelden("anna").client
    response = client.post("/api/v1/aanmelden", {"gebruikersnaam": "anna", "wachtwoord": WACHTWOORD,
                                                  "laptop": "L", "sleutels": sleutels},
                           content_type="application/json", secure=True)
    assert response.status_code == 400 and response.json() == {"fout": ONLEESBARE_SLEUTELS}
    assert Laptop.objects.count() == 1  # the refused enrolment made no laptop
    laptop = aanmelden("anna")
    status, body = laptop.post("/api/v1/sleutels/eigen", sleutels)
    assert status == 400 and body == {"fout": ONLEESBARE_SLEUTELS}
    assert not _rijen().exists()


def test_a_wrong_passphrase_is_named_in_dutch_and_exits_non_zero(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    account("anna")
    aanmelden("anna", sleutels=maak_sleutelpaar().publiek.naar_json())
    instituut = _instituut(tmp_path)
    capsys.readouterr()
    monkeypatch.setenv(_sleutelbestand.WACHTWOORD_VAR, "fout-wachtwoord")
    monkeypatch.setattr(sys, "argv", ["ontkoppel_server", "sleutels-ondertekenen", "--instituutssleutel",
                                      str(instituut), "--ja"])
    with pytest.raises(SystemExit) as einde:
        main()
    assert einde.value.code not in (0, None)
    assert f"Onjuist wachtwoord voor de instituutssleutel ({instituut}). Er is niets veranderd." in \
        capsys.readouterr().err
    assert _rijen().get().handtekening is None

    monkeypatch.setenv(_sleutelbestand.WACHTWOORD_VAR, SLEUTELWACHTWOORD)
    (tmp_path / "geen.sleutel").write_text("{}")
    with pytest.raises(CommandError, match="geen sleutelbestand van Ontkoppel"):
        _onderteken(tmp_path / "geen.sleutel")


def test_a_key_file_is_never_overwritten_and_its_fingerprint_is_printed(tmp_path: Path) -> None:
    pad = tmp_path / "instituut.sleutel"
    pad.write_bytes(b"iets anders")
    with pytest.raises(CommandError, match="bestaat al"):
        call_command("instituutssleutel-maken", "--bestand", str(pad))
    assert pad.read_bytes() == b"iets anders" and not InstituutSleutels.objects.using("eigenaar").exists()

    uit = _Uit()
    call_command("instituutssleutel-maken", "--bestand", str(tmp_path / "echt.sleutel"), stdout=uit)
    paar = lees_herstelsleutel((tmp_path / "echt.sleutel").read_bytes(), SLEUTELWACHTWOORD)
    assert vingerafdruk_instituut(bytes(paar.ondertekening.verify_key)) in uit.tekst
    assert (tmp_path / "echt.sleutel").stat().st_mode & 0o077 == 0


def test_the_database_lets_the_application_read_keys_but_not_sign_or_forge_them(
    postgres: pgcluster.Cluster, tmp_path: Path
) -> None:
    g = groep("Groep A")
    anna = account("anna", (Rol.DOCENTEN, g))
    zonder_rol = account("zonder")
    aanmelden("anna", sleutels=maak_sleutelpaar().publiek.naar_json())
    aanmelden("zonder", sleutels=maak_sleutelpaar().publiek.naar_json())
    _instituut(tmp_path)

    with als_app(postgres, None) as cursor:  # no account named: nothing
        cursor.execute("SELECT count(*) FROM sleutel")
        assert cursor.fetchone() == (0,)
        cursor.execute("SELECT count(*) FROM instituut_sleutels")
        assert cursor.fetchone() == (0,)
    with als_app(postgres, zonder_rol) as cursor:  # no role: its own key only
        cursor.execute("SELECT count(*) FROM sleutel")
        assert cursor.fetchone() == (1,)
    with als_app(postgres, anna) as cursor:
        cursor.execute("SELECT count(*) FROM sleutel")
        assert cursor.fetchone() == (2,)
        cursor.execute("SELECT count(*) FROM instituut_sleutels")
        assert cursor.fetchone() == (1,)
    for poging in (
        "UPDATE sleutel SET handtekening = 'x', ondertekend_op = now()",
        "UPDATE sleutel SET versleuteling = 'x'",
        "UPDATE instituut_sleutels SET ondertekening = 'x'",
        "DELETE FROM sleutel",
    ):
        with als_app(postgres, anna) as cursor, pytest.raises(psycopg.errors.InsufficientPrivilege):
            cursor.execute(poging)
    laptop = Laptop.objects.get(account=anna)
    with als_app(postgres, anna) as cursor, pytest.raises(psycopg.errors.InsufficientPrivilege):
        # A pre-signed key, or one in another account's name, does not pass the policy.
        cursor.execute("INSERT INTO sleutel (account_id, laptop_id, versleuteling, ondertekening, vingerafdruk, "
                       "handtekening, aangemeld_op, ondertekend_op) VALUES (%s, %s, 'a', 'b', 'c', 'd', now(), now())",
                       [anna.pk, laptop.pk])
    with als_app(postgres, anna) as cursor, pytest.raises(psycopg.errors.InsufficientPrivilege):
        cursor.execute("INSERT INTO sleutel (account_id, laptop_id, versleuteling, ondertekening, vingerafdruk, "
                       "aangemeld_op) VALUES (%s, %s, 'a', 'b', 'c', now())", [zonder_rol.pk, laptop.pk])
    with als_app(postgres, anna) as cursor:  # marking another account's key replaced touches nothing
        cursor.execute("UPDATE sleutel SET vervangen_op = now() WHERE account_id = %s", [zonder_rol.pk])
        assert cursor.rowcount == 0
