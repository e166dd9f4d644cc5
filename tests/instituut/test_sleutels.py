"""The keys on the laptop (instituut/sleutels.py), without a server: the user's key pair lives in the encrypted
store; the institute's signing key is pinned once and another one is not believed; the directory keeps only keys
the pinned institute signed for their account; the recovery key only with its binding to `herstel`."""

from __future__ import annotations

from pathlib import Path

from nacl.signing import SigningKey

from ontkoppel_desktop.instituut import outbox, sleutels
from ontkoppel_desktop.instituut.verzegeling import (
    HERSTEL,
    _b64,
    maak_sleutelpaar,
    onderteken_binding,
    vingerafdruk,
)
from ontkoppel_desktop.store.store import Store
from tests.conftest import FAST_KDF, WACHTWOORD

INSTITUUT = SigningKey.generate()
HERSTELPAAR = maak_sleutelpaar()


def _instituut(sleutel: SigningKey = INSTITUUT) -> dict[str, object]:
    publiek = HERSTELPAAR.publiek
    return {"ondertekening": _b64(bytes(sleutel.verify_key)),
            "herstel": {**publiek.naar_json(), "handtekening": _b64(onderteken_binding(sleutel, HERSTEL, publiek))}}


def _verbonden(store: Store, instituut: dict[str, object] | None) -> None:
    outbox.verbind(store.conn, "https://ontkoppel.example", {
        "token": "t", "account": {"gebruikersnaam": "jan", "naam": "Jan"}, "laptop": {"id": "1", "naam": "L"},
        "instituut": instituut, "sleutel": None})


def _lezer(account: str, sleutel: SigningKey = INSTITUUT, als: str | None = None) -> dict[str, object]:
    publiek = maak_sleutelpaar().publiek
    return {"account": account, "naam": account.title(), "rollen": [{"rol": "jaarassistent", "opleidingsjaar": 1}],
            **publiek.naar_json(), "handtekening": _b64(onderteken_binding(sleutel, als or account, publiek))}


def test_the_key_pair_is_made_once_and_kept_in_the_encrypted_store(tmp_path: Path) -> None:
    store = Store.create(tmp_path / "s.okdb", WACHTWOORD, FAST_KDF).store
    paar = sleutels.eigen_paar(store.conn)
    assert sleutels.eigen_paar(store.conn).naar_bytes() == paar.naar_bytes()
    store.close()
    # The file is SQLCipher's: the private key is not in it as plain bytes.
    assert paar.naar_bytes() not in (tmp_path / "s.okdb").read_bytes()
    store = Store.open(tmp_path / "s.okdb", WACHTWOORD)
    assert sleutels.eigen_vingerafdruk(store.conn) == vingerafdruk(paar.publiek)
    store.close()


def test_the_institute_key_is_pinned_once_and_another_is_not_believed(store: Store) -> None:
    _verbonden(store, _instituut())
    assert sleutels.instituut_sleutel(store.conn) == bytes(INSTITUUT.verify_key)
    assert sleutels.herstel_sleutel(store.conn) == HERSTELPAAR.publiek.versleuteling
    ander = SigningKey.generate()
    assert sleutels.bewaar_instituut(store.conn, _instituut(ander)) == sleutels.ANDERE_INSTITUUTSSLEUTEL
    assert sleutels.instituut_sleutel(store.conn) == bytes(INSTITUUT.verify_key)
    # Enrolling again with the same server keeps the pinned key, whatever the server now says.
    _verbonden(store, _instituut(ander))
    assert sleutels.instituut_sleutel(store.conn) == bytes(INSTITUUT.verify_key)


def test_a_recovery_key_without_the_institutes_binding_is_not_used(store: Store) -> None:
    instituut = _instituut()
    vals = maak_sleutelpaar().publiek
    instituut["herstel"] = {**vals.naar_json(), "handtekening": _b64(onderteken_binding(INSTITUUT, "jan", vals))}
    _verbonden(store, instituut)
    assert sleutels.herstel_sleutel(store.conn) is None
    assert "niet door het instituut bevestigd" in (sleutels.bewaar_instituut(store.conn, instituut) or "")


def test_the_directory_keeps_only_keys_the_institute_signed_for_their_account(store: Store) -> None:
    _verbonden(store, _instituut())
    goed = _lezer("jan")
    vreemd = _lezer("piet", sleutel=SigningKey.generate())  # signed by another "institute"
    verwisseld = _lezer("kees", als="jan")  # a key signed for jan, presented as kees's
    gewijzigd = _lezer("mia")
    gewijzigd["versleuteling"] = maak_sleutelpaar().publiek.naar_json()["versleuteling"]  # swapped by a server
    meldingen = sleutels.bewaar_lezers(store.conn, [goed, vreemd, verwisseld, gewijzigd])
    assert [lezer.account for lezer in sleutels.lezers(store.conn)] == ["jan"]
    assert len(meldingen) == 3 and all("niet door het instituut bevestigd" in m for m in meldingen)
    assert any("piet" in m for m in meldingen) and any("kees" in m for m in meldingen)


def test_without_a_pinned_institute_key_nothing_is_believed(store: Store) -> None:
    _verbonden(store, None)
    assert sleutels.instituut_sleutel(store.conn) is None
    assert sleutels.bewaar_lezers(store.conn, [_lezer("jan")])
    assert sleutels.lezers(store.conn) == []
