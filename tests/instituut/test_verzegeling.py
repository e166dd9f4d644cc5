"""Sealing verslagen to their readers (issue 16): who can open an envelope, what a change on the way does to it, what
the server can read of it, the institute's binding of keys to accounts and its recovery key. No server, no Qt."""

from __future__ import annotations

import base64
import hashlib
import inspect
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import nacl.pwhash.argon2id as argon
import pytest
from nacl.public import PrivateKey, SealedBox
from nacl.signing import SigningKey

from ontkoppel_desktop.core.errors import OntkoppelError
from ontkoppel_desktop.instituut import verzegeling as vz
from ontkoppel_desktop.instituut.verzegeling import (
    HERSTEL,
    PubliekeSleutels,
    Sleutelpaar,
    ZegelFout,
    bewaar_herstelsleutel,
    controleer_binding,
    controleer_handtekening,
    lees_herstelsleutel,
    lezers_van,
    maak_herstelsleutel,
    maak_sleutelpaar,
    metadata_van,
    onderteken_binding,
    open_zegel,
    verzegel,
    vingerafdruk,
    voeg_lezer_toe,
)

MARKER = b"MARKER-zwangerschap-7f3a9c-een-notitie-die-de-server-nooit-mag-zien"
INHOUD = b"Verslag van het driehoeksgesprek. " + MARKER + " Afspraken: één, twee.".encode()
METADATA: dict[str, vz.Waarde] = {"soort": "driehoeksgesprek", "traject": 42, "datum": "2026-11-23",
                                  "definitief": True, "gearchiveerd": None, "groep": "Utrecht ë-groep"}
SNEL = {"opslimit": argon.OPSLIMIT_MIN, "memlimit": argon.MEMLIMIT_MIN}


@dataclass
class Wereld:
    docent: Sleutelpaar
    jaarassistent: Sleutelpaar
    tweede_docent: Sleutelpaar
    herstel: Sleutelpaar
    buitenstaander: Sleutelpaar
    envelop: bytes

    def lezers(self) -> dict[str, bytes]:
        return {"docent": self.docent.publiek.versleuteling, "jaarassistent": self.jaarassistent.publiek.versleuteling,
                "tweede_docent": self.tweede_docent.publiek.versleuteling, HERSTEL: self.herstel.publiek.versleuteling}


@pytest.fixture(scope="module")
def wereld() -> Wereld:
    docent, jaarassistent, tweede, herstel, buiten = (maak_sleutelpaar() for _ in range(5))
    w = Wereld(docent, jaarassistent, tweede, herstel, buiten, b"")
    w.envelop = verzegel(INHOUD, METADATA, docent, "docent", w.lezers())
    return w


def _fout(functie: Callable[[], object]) -> str:
    with pytest.raises(ZegelFout) as info:
        functie()
    return str(info.value)


def _velden(envelop: bytes) -> dict[str, Any]:
    velden = json.loads(envelop)
    assert isinstance(velden, dict)
    return velden


def _schrijf(velden: dict[str, Any]) -> bytes:
    return json.dumps(velden, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def _met(envelop: bytes, **gewijzigd: Any) -> bytes:
    return _schrijf(_velden(envelop) | gewijzigd)


def _flip(data: bytes, positie: int, masker: int = 0x01) -> bytes:
    return data[:positie] + bytes([data[positie] ^ masker]) + data[positie + 1:]


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


# --- Who can open it ---------------------------------------------------------------------------------------------


def test_every_reader_opens_the_same_content_metadata_and_author(wereld: Wereld) -> None:
    paren = {"docent": wereld.docent, "jaarassistent": wereld.jaarassistent, "tweede_docent": wereld.tweede_docent,
             HERSTEL: wereld.herstel}
    for lezer_id, paar in paren.items():
        geopend = open_zegel(wereld.envelop, lezer_id, paar, wereld.docent.publiek.ondertekening)
        assert geopend.inhoud == INHOUD, lezer_id
        assert geopend.metadata == METADATA, lezer_id
        assert geopend.auteur_account == "docent"
    assert lezers_van(wereld.envelop) == sorted(paren)


def test_empty_and_large_content_round_trip() -> None:
    auteur, herstel = maak_sleutelpaar(), maak_sleutelpaar()
    for inhoud in (b"", bytes(range(256)) * 4000):
        envelop = verzegel(inhoud, {}, auteur, "a", {HERSTEL: herstel.publiek.versleuteling})
        assert open_zegel(envelop, HERSTEL, herstel, auteur.publiek.ondertekening).inhoud == inhoud


def test_a_non_reader_is_refused(wereld: Wereld) -> None:
    auteur = wereld.docent.publiek.ondertekening
    assert _fout(lambda: open_zegel(wereld.envelop, "buitenstaander", wereld.buitenstaander, auteur)) == vz.NIET_VOOR_U
    # Claiming a reader's id does not help without that reader's key.
    assert _fout(lambda: open_zegel(wereld.envelop, "jaarassistent", wereld.buitenstaander, auteur)) == vz.NIET_VOOR_U
    # Nor does one reader's key under another reader's id.
    assert _fout(lambda: open_zegel(wereld.envelop, "jaarassistent", wereld.tweede_docent, auteur)) == vz.NIET_VOOR_U


def test_the_signature_must_be_the_bound_authors(wereld: Wereld) -> None:
    for ander in (wereld.jaarassistent, wereld.buitenstaander, maak_sleutelpaar()):
        melding = _fout(lambda a=ander: open_zegel(wereld.envelop, "jaarassistent", wereld.jaarassistent,
                                                   a.publiek.ondertekening))
        assert melding == vz.HANDTEKENING_PAST_NIET
        assert _fout(lambda a=ander: controleer_handtekening(wereld.envelop, a.publiek.ondertekening)) == melding
    controleer_handtekening(wereld.envelop, wereld.docent.publiek.ondertekening)
    # Not a key at all.
    assert _fout(lambda: open_zegel(wereld.envelop, "jaarassistent", wereld.jaarassistent, b"kort")) == \
        vz.HANDTEKENING_PAST_NIET


def test_an_envelope_re_signed_by_someone_else_as_the_author_is_refused(wereld: Wereld) -> None:
    """A forger (here: a reader, who can read it all) writes other content and metadata under the author's name,
    signed with the forger's own key: the author's bound key does not accept it."""
    vals = verzegel(b"Advies tot ontkoppeling.", METADATA | {"soort": "advies"}, wereld.jaarassistent, "docent",
                    wereld.lezers())
    assert _fout(lambda: open_zegel(vals, "tweede_docent", wereld.tweede_docent,
                                    wereld.docent.publiek.ondertekening)) == vz.HANDTEKENING_PAST_NIET


def test_the_author_account_is_signed(wereld: Wereld) -> None:
    envelop = _met(wereld.envelop, auteur_account="tweede_docent")
    assert _fout(lambda: open_zegel(envelop, "jaarassistent", wereld.jaarassistent,
                                    wereld.docent.publiek.ondertekening)) == vz.HANDTEKENING_PAST_NIET


# --- Changes on the way ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("veld", ["body", "handtekening", "sleutelcontrole"])
def test_every_byte_changed_in_body_signature_or_key_commitment_is_refused(wereld: Wereld, veld: str) -> None:
    oorspronkelijk = base64.b64decode(_velden(wereld.envelop)[veld])
    assert len(oorspronkelijk) >= 32
    for positie in range(len(oorspronkelijk)):
        for masker in (0x01, 0x80):
            envelop = _met(wereld.envelop, **{veld: _b64(_flip(oorspronkelijk, positie, masker))})
            melding = _fout(lambda e=envelop: open_zegel(e, "jaarassistent", wereld.jaarassistent,
                                                         wereld.docent.publiek.ondertekening))
            assert melding == vz.HANDTEKENING_PAST_NIET, (veld, positie)


def _tekstbereik(envelop: bytes, tekst: bytes) -> range:
    begin = envelop.find(tekst)
    assert begin >= 0 and envelop.find(tekst, begin + 1) < 0, "found once"
    return range(begin, begin + len(tekst))


def test_every_byte_changed_in_the_envelopes_body_metadata_or_signature_text_is_refused(wereld: Wereld) -> None:
    """As the bytes travel: the base64 texts (including their last character, whose unused bits base64 decoding
    would ignore) and the metadata's JSON."""
    velden = _velden(wereld.envelop)
    bereiken = [
        _tekstbereik(wereld.envelop, json.dumps(METADATA, sort_keys=True, separators=(",", ":"),
                                                ensure_ascii=False).encode()),
        _tekstbereik(wereld.envelop, velden["body"].encode()),
        _tekstbereik(wereld.envelop, velden["handtekening"].encode()),
        _tekstbereik(wereld.envelop, velden["sleutelcontrole"].encode()),
    ]
    assert len(bereiken[1]) > len(INHOUD)
    for bereik in bereiken:
        for positie in bereik:
            for masker in (0x01, 0x20, 0x80):
                envelop = _flip(wereld.envelop, positie, masker)
                _fout(lambda e=envelop: open_zegel(e, "jaarassistent", wereld.jaarassistent,
                                                   wereld.docent.publiek.ondertekening))


def test_no_single_byte_change_anywhere_opens_to_something_else(wereld: Wereld) -> None:
    """A change in another reader's entry may leave this reader's copy intact (the reader list is not signed), but
    no change ever makes the envelope open to other content, metadata or author."""
    onveranderd = open_zegel(wereld.envelop, "jaarassistent", wereld.jaarassistent,
                             wereld.docent.publiek.ondertekening)
    geopend = geweigerd = 0
    for positie in range(len(wereld.envelop)):
        for masker in (0x01, 0x20):
            envelop = _flip(wereld.envelop, positie, masker)
            try:
                uitkomst = open_zegel(envelop, "jaarassistent", wereld.jaarassistent,
                                      wereld.docent.publiek.ondertekening)
            except ZegelFout:
                geweigerd += 1
            else:
                assert uitkomst == onveranderd, positie
                geopend += 1
    assert geweigerd > geopend > 0


def test_the_last_base64_character_is_checked_exactly(wereld: Wereld) -> None:
    """'QQ==' and 'QR==' both decode to b'A': the envelope must not accept a text it would not have written."""
    # A body of 40 + 1 bytes (nonce, MAC, content) leaves unused bits in its last base64 character; the signature
    # (64 bytes) and the key commitment (32 bytes) always do.
    envelop = verzegel(b"x", {}, wereld.docent, "docent", wereld.lezers())
    alfabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
    for veld in ("body", "handtekening", "sleutelcontrole"):
        tekst = _velden(envelop)[veld]
        kern = tekst.rstrip("=")
        spellingen = [kern[:-1] + teken + tekst[len(kern):] for teken in alfabet]
        anders = [s for s in spellingen if s != tekst and base64.b64decode(s) == base64.b64decode(tekst)]
        assert anders, veld
        for spelling in anders:
            kapot = _met(envelop, **{veld: spelling})
            melding = _fout(lambda k=kapot: open_zegel(k, "jaarassistent", wereld.jaarassistent,
                                                       wereld.docent.publiek.ondertekening))
            assert melding == vz.BESCHADIGD, (veld, spelling)


def test_a_content_key_sealed_by_the_server_to_a_reader_is_refused(wereld: Wereld) -> None:
    """The server knows every reader's public key and can seal a key of its own to them; the author's signed
    commitment to the content key tells the reader it is not the author's."""
    eigen = SealedBox(wereld.jaarassistent.versleuteling.public_key).encrypt(bytes(32))
    lezers = _velden(wereld.envelop)["lezers"] | {"jaarassistent": _b64(eigen)}
    envelop = _met(wereld.envelop, lezers=lezers)
    assert _fout(lambda: open_zegel(envelop, "jaarassistent", wereld.jaarassistent,
                                    wereld.docent.publiek.ondertekening)) == vz.SLEUTEL_PAST_NIET
    # The other readers are not affected.
    assert open_zegel(envelop, "tweede_docent", wereld.tweede_docent,
                      wereld.docent.publiek.ondertekening).inhoud == INHOUD


def test_an_entry_moved_to_another_readers_id_opens_for_nobody_else(wereld: Wereld) -> None:
    lezers = _velden(wereld.envelop)["lezers"]
    envelop = _met(wereld.envelop, lezers=lezers | {"buitenstaander": lezers["jaarassistent"]})
    assert _fout(lambda: open_zegel(envelop, "buitenstaander", wereld.buitenstaander,
                                    wereld.docent.publiek.ondertekening)) == vz.NIET_VOOR_U


@pytest.mark.parametrize("envelop", [
    b"", b"{", b"[]", b"null", b"\xff\xfe", b'{"versie":1}', b'{"versie":"1"}', b'{"versie":true}',
])
def test_malformed_envelopes_are_refused(wereld: Wereld, envelop: bytes) -> None:
    assert _fout(lambda: open_zegel(envelop, "jaarassistent", wereld.jaarassistent,
                                    wereld.docent.publiek.ondertekening)) == vz.BESCHADIGD
    assert _fout(lambda: metadata_van(envelop)) == vz.BESCHADIGD
    assert _fout(lambda: lezers_van(envelop)) == vz.BESCHADIGD


@pytest.mark.parametrize("wijziging", [
    {"body": "geen base64!"}, {"body": 12}, {"handtekening": _b64(bytes(63))}, {"sleutelcontrole": _b64(bytes(31))},
    {"metadata": {"genest": {"a": 1}}}, {"metadata": {"getal": 1.5}}, {"metadata": []}, {"lezers": []},
    {"lezers": {"jaarassistent": _b64(bytes(79))}}, {"auteur_account": None}, {"extra": "veld"},
])
def test_envelopes_with_wrong_fields_are_refused(wereld: Wereld, wijziging: dict[str, Any]) -> None:
    envelop = _met(wereld.envelop, **wijziging)
    assert _fout(lambda: open_zegel(envelop, "jaarassistent", wereld.jaarassistent,
                                    wereld.docent.publiek.ondertekening)) == vz.BESCHADIGD


def test_a_duplicate_key_is_refused_not_read_as_the_last_one(wereld: Wereld) -> None:
    tekst = wereld.envelop.decode()
    dubbel = tekst.replace('"metadata":{', '"metadata":{"soort":"iets anders",', 1).encode()
    assert json.loads(dubbel)["metadata"]["soort"] == "driehoeksgesprek", "Python keeps the last"
    assert _fout(lambda: open_zegel(dubbel, "jaarassistent", wereld.jaarassistent,
                                    wereld.docent.publiek.ondertekening)) == vz.BESCHADIGD


def test_an_envelope_from_a_newer_version_says_so(wereld: Wereld) -> None:
    envelop = _met(wereld.envelop, versie=2)
    melding = _fout(lambda: open_zegel(envelop, "jaarassistent", wereld.jaarassistent,
                                       wereld.docent.publiek.ondertekening))
    assert melding == vz.NIEUWERE_VERSIE and "bij" in melding
    for versie in (0, True, "1", 1.0, None):  # true == 1 and 1.0 == 1 in Python, but not the version we write
        envelop = _met(wereld.envelop, versie=versie)
        assert _fout(lambda e=envelop: open_zegel(e, "jaarassistent", wereld.jaarassistent,
                                                  wereld.docent.publiek.ondertekening)) == vz.BESCHADIGD, versie


def test_the_errors_are_ontkoppel_errors_in_dutch() -> None:
    assert issubclass(ZegelFout, OntkoppelError)
    for melding in (vz.BESCHADIGD, vz.NIET_VOOR_U, vz.HANDTEKENING_PAST_NIET, vz.SLEUTEL_PAST_NIET,
                    vz.NIEUWERE_VERSIE, vz.ONJUIST_WACHTWOORD, vz.GEEN_HERSTELSLEUTEL):
        assert re.search(r"\b(dit|de|het|is|niet|van)\b", melding, re.IGNORECASE), melding


# --- What the server sees ----------------------------------------------------------------------------------------


def _base64_sporen(data: bytes) -> list[bytes]:
    """The base64 of `data` as it appears inside a longer base64 text, at each of the three alignments."""
    sporen = []
    for voor in range(3):
        tekst = base64.b64encode(b"\0" * voor + data)
        sporen.append(tekst[4:-4])  # without the characters shared with the bytes around it
    return sporen


def test_the_server_reads_the_metadata_and_readers_but_no_content(wereld: Wereld) -> None:
    assert metadata_van(wereld.envelop) == METADATA
    assert lezers_van(wereld.envelop) == sorted(wereld.lezers())
    assert _velden(wereld.envelop)["auteur_account"] == "docent"
    na_herstel = voeg_lezer_toe(wereld.envelop, HERSTEL, wereld.herstel, "nieuw",
                                maak_sleutelpaar().publiek.versleuteling)
    for envelop in (wereld.envelop, na_herstel):
        for spoor in [MARKER, MARKER[10:30], MARKER.hex().encode(), *_base64_sporen(MARKER)]:
            assert spoor not in envelop, spoor
    # The scan itself finds the marker where it is.
    assert any(s in _schrijf({"x": _b64(b"ab" + MARKER)}) for s in _base64_sporen(MARKER))


def test_each_envelope_has_its_own_content_key(wereld: Wereld) -> None:
    tweede = verzegel(INHOUD, METADATA, wereld.docent, "docent", wereld.lezers())
    assert _velden(tweede)["body"] != _velden(wereld.envelop)["body"]
    assert _velden(tweede)["sleutelcontrole"] != _velden(wereld.envelop)["sleutelcontrole"]


def test_sealing_demands_the_recovery_key_and_plain_metadata(wereld: Wereld) -> None:
    zonder = {k: v for k, v in wereld.lezers().items() if k != HERSTEL}
    with pytest.raises(ValueError, match="recovery"):
        verzegel(INHOUD, METADATA, wereld.docent, "docent", zonder)
    for metadata in ({"bedrag": 1.5}, {"lijst": [1]}, {3: "x"}):
        with pytest.raises(TypeError):
            verzegel(INHOUD, metadata, wereld.docent, "docent", wereld.lezers())  # type: ignore[arg-type]
    melding = _fout(lambda: verzegel(INHOUD, METADATA, wereld.docent, "docent",
                                     wereld.lezers() | {"kapot": b"te kort"}))
    assert "kapot" in melding


# --- Keys bound to accounts by the institute ---------------------------------------------------------------------


@dataclass
class Gids:
    """The server's directory: account -> public keys and the institute's signature over them."""

    sleutels: dict[str, PubliekeSleutels]
    handtekeningen: dict[str, bytes]


def _lezers_uit_gids(gids: Gids, instituut_publiek: bytes, accounts: list[str]) -> dict[str, bytes]:
    """What the laptop does before sealing: check every reader's binding, then seal to the checked key."""
    lezers = {}
    for account in accounts:
        publiek = gids.sleutels[account]
        controleer_binding(instituut_publiek, account, publiek, gids.handtekeningen.get(account, b""))
        lezers[account] = publiek.versleuteling
    return lezers


@pytest.fixture
def gids() -> tuple[SigningKey, Gids, dict[str, Sleutelpaar]]:
    instituut = SigningKey.generate()
    paren = {naam: maak_sleutelpaar() for naam in ("docent", "jaarassistent", HERSTEL, "mallory")}
    sleutels = {naam: paar.publiek for naam, paar in paren.items()}
    handtekeningen = {naam: onderteken_binding(instituut, naam, s) for naam, s in sleutels.items()}
    return instituut, Gids(sleutels, handtekeningen), paren


def test_bound_keys_are_accepted(gids: tuple[SigningKey, Gids, dict[str, Sleutelpaar]]) -> None:
    instituut, g, paren = gids
    lezers = _lezers_uit_gids(g, bytes(instituut.verify_key), ["jaarassistent", HERSTEL])
    envelop = verzegel(INHOUD, METADATA, paren["docent"], "docent", lezers)
    controleer_binding(bytes(instituut.verify_key), "docent", g.sleutels["docent"], g.handtekeningen["docent"])
    assert open_zegel(envelop, "jaarassistent", paren["jaarassistent"],
                      g.sleutels["docent"].ondertekening).inhoud == INHOUD


def test_a_swapped_reader_key_is_detected(gids: tuple[SigningKey, Gids, dict[str, Sleutelpaar]]) -> None:
    instituut, g, paren = gids
    publiek = bytes(instituut.verify_key)
    mallory = g.sleutels["mallory"]
    # The server hands out mallory's keys, with mallory's binding, as the jaarassistent's.
    g.sleutels["jaarassistent"] = mallory
    g.handtekeningen["jaarassistent"] = g.handtekeningen["mallory"]
    assert "jaarassistent" in _fout(lambda: _lezers_uit_gids(g, publiek, ["jaarassistent", HERSTEL]))
    # ... or keeps the jaarassistent's binding and swaps only the key to seal to.
    echt = paren["jaarassistent"].publiek
    g.sleutels["jaarassistent"] = PubliekeSleutels(mallory.versleuteling, echt.ondertekening)
    g.handtekeningen["jaarassistent"] = onderteken_binding(instituut, "jaarassistent", echt)
    _fout(lambda: _lezers_uit_gids(g, publiek, ["jaarassistent"]))
    # ... or offers a key nobody bound, or bound by a key that is not the institute's.
    g.sleutels["jaarassistent"] = mallory
    for handtekening in (b"", bytes(64), onderteken_binding(SigningKey.generate(), "jaarassistent", mallory)):
        g.handtekeningen["jaarassistent"] = handtekening
        _fout(lambda: _lezers_uit_gids(g, publiek, ["jaarassistent"]))
    # The institute's real binding still works.
    g.sleutels["jaarassistent"] = echt
    g.handtekeningen["jaarassistent"] = onderteken_binding(instituut, "jaarassistent", echt)
    assert _lezers_uit_gids(g, publiek, ["jaarassistent"]) == {"jaarassistent": echt.versleuteling}


def test_a_swapped_author_key_is_detected(gids: tuple[SigningKey, Gids, dict[str, Sleutelpaar]]) -> None:
    """Mallory signs as 'docent' and the server hands out mallory's signing key as the docent's: its binding fails,
    so the laptop never uses it to check the signature."""
    instituut, g, paren = gids
    vals = verzegel(b"Vervalst.", METADATA, paren["mallory"], "docent", {HERSTEL: g.sleutels[HERSTEL].versleuteling})
    _fout(lambda: controleer_binding(bytes(instituut.verify_key), "docent", g.sleutels["mallory"],
                                     g.handtekeningen["mallory"]))
    assert _fout(lambda: open_zegel(vals, HERSTEL, paren[HERSTEL],
                                    g.sleutels["docent"].ondertekening)) == vz.HANDTEKENING_PAST_NIET


def test_the_binding_covers_every_field_unambiguously() -> None:
    instituut = SigningKey.generate()
    publiek = maak_sleutelpaar().publiek
    handtekening = onderteken_binding(instituut, "ab", publiek)
    assert len(handtekening) == 64
    controleer_binding(bytes(instituut.verify_key), "ab", publiek, handtekening)
    ander = maak_sleutelpaar().publiek
    for account, sleutels in [("a", publiek), ("abc", publiek), ("AB", publiek), ("ab", ander),
                              ("ab", PubliekeSleutels(publiek.versleuteling, ander.ondertekening)),
                              ("ab", PubliekeSleutels(publiek.ondertekening, publiek.versleuteling))]:
        _fout(lambda a=account, s=sleutels: controleer_binding(bytes(instituut.verify_key), a, s, handtekening))
    for positie in range(len(handtekening)):
        _fout(lambda p=positie: controleer_binding(bytes(instituut.verify_key), "ab", publiek,
                                                   _flip(handtekening, p)))
    _fout(lambda: controleer_binding(b"geen sleutel", "ab", publiek, handtekening))


# --- Adding a reader with the recovery key -----------------------------------------------------------------------


def test_the_recovery_key_gives_a_new_jaarassistent_access_and_only_them(wereld: Wereld) -> None:
    nieuw, derde = maak_sleutelpaar(), maak_sleutelpaar()
    auteur = wereld.docent.publiek.ondertekening
    assert _fout(lambda: open_zegel(wereld.envelop, "nieuwe_jaarassistent", nieuw, auteur)) == vz.NIET_VOOR_U
    herzegeld = voeg_lezer_toe(wereld.envelop, HERSTEL, wereld.herstel, "nieuwe_jaarassistent",
                               nieuw.publiek.versleuteling)
    geopend = open_zegel(herzegeld, "nieuwe_jaarassistent", nieuw, auteur)
    assert (geopend.inhoud, geopend.metadata, geopend.auteur_account) == (INHOUD, METADATA, "docent")
    controleer_handtekening(herzegeld, auteur)
    oud, nieuw_velden = _velden(wereld.envelop), _velden(herzegeld)
    for veld in ("body", "handtekening", "sleutelcontrole", "metadata", "auteur_account"):
        assert nieuw_velden[veld] == oud[veld], veld
    assert lezers_van(herzegeld) == sorted([*lezers_van(wereld.envelop), "nieuwe_jaarassistent"])
    for lezer_id in ("derde", "nieuwe_jaarassistent"):
        assert _fout(lambda i=lezer_id: open_zegel(herzegeld, i, derde, auteur)) == vz.NIET_VOOR_U
    # The earlier readers keep their access.
    assert open_zegel(herzegeld, "jaarassistent", wereld.jaarassistent, auteur).inhoud == INHOUD


def test_any_reader_can_add_one_but_a_non_reader_cannot(wereld: Wereld) -> None:
    nieuw = maak_sleutelpaar()
    via_docent = voeg_lezer_toe(wereld.envelop, "docent", wereld.docent, "nieuw", nieuw.publiek.versleuteling)
    assert open_zegel(via_docent, "nieuw", nieuw, wereld.docent.publiek.ondertekening).inhoud == INHOUD
    for via_id, via in [("buitenstaander", wereld.buitenstaander), (HERSTEL, wereld.buitenstaander),
                        (HERSTEL, wereld.jaarassistent)]:
        melding = _fout(lambda i=via_id, p=via: voeg_lezer_toe(wereld.envelop, i, p, "nieuw",
                                                               nieuw.publiek.versleuteling))
        assert via_id in melding


def test_a_reader_with_a_new_key_pair_is_sealed_to_anew(wereld: Wereld) -> None:
    vervangend = maak_sleutelpaar()
    envelop = voeg_lezer_toe(wereld.envelop, HERSTEL, wereld.herstel, "jaarassistent",
                             vervangend.publiek.versleuteling)
    auteur = wereld.docent.publiek.ondertekening
    assert open_zegel(envelop, "jaarassistent", vervangend, auteur).inhoud == INHOUD
    assert _fout(lambda: open_zegel(envelop, "jaarassistent", wereld.jaarassistent, auteur)) == vz.NIET_VOOR_U


def test_adding_a_reader_refuses_a_key_the_author_did_not_commit_to(wereld: Wereld) -> None:
    eigen = SealedBox(wereld.herstel.versleuteling.public_key).encrypt(bytes(32))
    envelop = _met(wereld.envelop, lezers=_velden(wereld.envelop)["lezers"] | {HERSTEL: _b64(eigen)})
    assert _fout(lambda: voeg_lezer_toe(envelop, HERSTEL, wereld.herstel, "nieuw",
                                        maak_sleutelpaar().publiek.versleuteling)) == vz.SLEUTEL_PAST_NIET


# --- The recovery key file ---------------------------------------------------------------------------------------


def test_the_recovery_key_file_round_trips() -> None:
    herstel = maak_herstelsleutel()
    bestand = bewaar_herstelsleutel(herstel, "correct paard batterij nietje", **SNEL)
    gelezen = lees_herstelsleutel(bestand, "correct paard batterij nietje")
    assert gelezen.naar_bytes() == herstel.naar_bytes()
    velden = json.loads(bestand)
    assert velden["soort"] == "ontkoppel-herstelsleutel" and velden["versie"] == 1
    assert velden["kdf"]["naam"] == "argon2id" and velden["kdf"]["opslimit"] == argon.OPSLIMIT_MIN
    assert PubliekeSleutels.uit_json(velden["publiek"]) == herstel.publiek, "public, for IT to hand out"
    assert herstel.naar_bytes() not in bestand
    assert all(s not in bestand for s in _base64_sporen(herstel.naar_bytes()[:30]))
    # A new salt every time.
    assert json.loads(bewaar_herstelsleutel(herstel, "correct paard batterij nietje", **SNEL))["kdf"]["zout"] != \
        velden["kdf"]["zout"]


def test_the_passphrase_is_read_the_same_however_it_was_composed() -> None:
    herstel = maak_herstelsleutel()
    bestand = bewaar_herstelsleutel(herstel, "cafe\u0301 in de ochtend", **SNEL)
    assert lees_herstelsleutel(bestand, "caf\u00e9 in de ochtend").naar_bytes() == herstel.naar_bytes()


def test_a_wrong_passphrase_is_refused() -> None:
    bestand = bewaar_herstelsleutel(maak_herstelsleutel(), "correct paard batterij nietje", **SNEL)
    for fout in ("correct paard batterij nietj", "Correct paard batterij nietje", ""):
        assert _fout(lambda f=fout: lees_herstelsleutel(bestand, f)) == vz.ONJUIST_WACHTWOORD
    assert _fout(lambda: bewaar_herstelsleutel(maak_herstelsleutel(), "", **SNEL))


def test_a_damaged_recovery_key_file_is_refused() -> None:
    herstel = maak_herstelsleutel()
    bestand = bewaar_herstelsleutel(herstel, "wachtwoord", **SNEL)
    velden = json.loads(bestand)
    ander = maak_sleutelpaar().publiek.naar_json()
    for kapot in (b"", b"{}", b"[1]", _schrijf(velden | {"soort": "iets"}), _schrijf(velden | {"versie": 2}),
                  _schrijf(velden | {"kdf": velden["kdf"] | {"naam": "scrypt"}}),
                  _schrijf(velden | {"kdf": velden["kdf"] | {"opslimit": 0}}),
                  _schrijf(velden | {"kdf": velden["kdf"] | {"zout": _b64(bytes(8))}}),
                  _schrijf(velden | {"sleutels": "!!"}), _schrijf(velden | {"publiek": ander})):
        assert _fout(lambda k=kapot: lees_herstelsleutel(k, "wachtwoord")) == vz.GEEN_HERSTELSLEUTEL
    sleutels = base64.b64decode(velden["sleutels"])
    for positie in range(len(sleutels)):
        kapot = _schrijf(velden | {"sleutels": _b64(_flip(sleutels, positie))})
        assert _fout(lambda k=kapot: lees_herstelsleutel(k, "wachtwoord")) == vz.ONJUIST_WACHTWOORD


def test_production_uses_moderate_argon2_limits() -> None:
    parameters = inspect.signature(bewaar_herstelsleutel).parameters
    assert parameters["opslimit"].default == argon.OPSLIMIT_MODERATE
    assert parameters["memlimit"].default == argon.MEMLIMIT_MODERATE


# --- Keys and fingerprints ---------------------------------------------------------------------------------------


def test_a_key_pair_round_trips_through_bytes() -> None:
    paar = maak_sleutelpaar()
    data = paar.naar_bytes()
    assert len(data) == 64
    terug = Sleutelpaar.uit_bytes(data)
    assert terug.publiek == paar.publiek and terug.naar_bytes() == data
    auteur = maak_sleutelpaar()
    envelop = verzegel(INHOUD, {}, auteur, "a", {HERSTEL: paar.publiek.versleuteling})
    assert open_zegel(envelop, HERSTEL, terug, auteur.publiek.ondertekening).inhoud == INHOUD
    for kapot in (b"", data[:63], data + b"\0"):
        _fout(lambda k=kapot: Sleutelpaar.uit_bytes(k))


def test_a_key_pair_does_not_show_its_private_keys() -> None:
    paar = maak_sleutelpaar()
    tekst = repr(paar) + str(paar)
    assert paar.naar_bytes()[:32].hex() not in tekst and paar.naar_bytes()[32:].hex() not in tekst
    assert vingerafdruk(paar.publiek) in tekst


def test_public_keys_round_trip_through_json() -> None:
    publiek = maak_sleutelpaar().publiek
    data = publiek.naar_json()
    assert PubliekeSleutels.uit_json(json.loads(json.dumps(data))) == publiek
    assert len(publiek.versleuteling) == len(publiek.ondertekening) == 32
    for kapot in (None, [], {}, data | {"versleuteling": _b64(bytes(31))}, data | {"ondertekening": 5},
                  data | {"extra": ""}):
        _fout(lambda k=kapot: PubliekeSleutels.uit_json(k))


def test_fingerprints_are_stable_readable_and_differ_per_key() -> None:
    paar = Sleutelpaar(PrivateKey(bytes(range(32))), SigningKey(bytes(range(32, 64))))
    afdruk = vingerafdruk(paar.publiek)
    assert re.fullmatch(r"([A-Z2-7]{4} ){7}[A-Z2-7]{4}", afdruk), afdruk
    # Computed here from the definition, so a change of encoding (which would make every fingerprint that users
    # compared before differ) fails.
    publiek = paar.publiek
    bericht = b"".join(len(v).to_bytes(4, "big") + v for v in (b"ontkoppel-vingerafdruk-v1", publiek.versleuteling,
                                                               publiek.ondertekening))
    verwacht = base64.b32encode(hashlib.sha256(bericht).digest()[:20]).decode()
    assert afdruk.replace(" ", "") == verwacht
    assert vingerafdruk(Sleutelpaar.uit_bytes(paar.naar_bytes()).publiek) == afdruk
    andere = {vingerafdruk(maak_sleutelpaar().publiek) for _ in range(20)}
    assert len(andere) == 20 and afdruk not in andere
    # Each key counts: the same X25519 key with another Ed25519 key has another fingerprint, and the keys' order too.
    ander = maak_sleutelpaar().publiek
    assert vingerafdruk(PubliekeSleutels(publiek.versleuteling, ander.ondertekening)) != afdruk
    assert vingerafdruk(PubliekeSleutels(publiek.ondertekening, publiek.versleuteling)) != afdruk
