"""Sealing a verslag (or an event's free text) to its readers, signed by its author: what the institute server
carries but cannot read (issue 16). Keys, envelopes and the institute's recovery key; no network, no store, no Qt.

Every user has a `Sleutelpaar`: an X25519 key to which others seal, and an Ed25519 key with which the user signs.
The private half lives in the user's encrypted store; the public half (`PubliekeSleutels`) goes to the server's
directory at enrolment. A server that hands out keys could hand out its own, so a laptop trusts a public key only
when the institute's signing key (held by IT, not by the server) has signed it for that account
(`controleer_binding`), or when its `vingerafdruk` was compared out of band.

An envelope (`verzegel`) holds the content encrypted once with a fresh random content key (`SecretBox`, XSalsa20-
Poly1305), and that content key sealed (`SealedBox`, anonymous X25519) to every reader's public key. The author signs
with Ed25519: the author's account, the metadata, the SHA-256 of the encrypted body and a commitment to the content
key. The commitment is there because Poly1305 does not commit to its key: without it an author could craft one body
that opens to different texts under different keys and give each reader another version under the same signature.
A reader checks the signature against the author's key *as bound to the account*, never a key from the envelope.

The list of readers is deliberately not signed, so the institute can add a reader later without the author: a new
jaarassistent gets last year's verslagen re-sealed with the recovery key (`voeg_lezer_toe`). That is safe because
adding a reader takes the content key, which only a reader can unseal; whoever can add a reader could read the
verslag already. The server can drop or garble a reader's entry (it can always withhold a verslag), or seal a key
of its own to a reader, which that reader refuses: the key does not match the signed commitment.

The server sees the author's account, the metadata (type, traject, dates, status: what the terms need), the readers'
account names, the length of the content and the ciphertext; never the content or the content key. So the metadata
must hold nothing personal: free text goes into the content. The institute's recovery key is always a reader
(`HERSTEL`); it is an ordinary key pair kept offline, in a file protected by a passphrase (`bewaar_herstelsleutel`).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import nacl.exceptions
import nacl.pwhash.argon2id
import nacl.secret
import nacl.utils
from nacl.public import PrivateKey, PublicKey, SealedBox
from nacl.signing import SigningKey, VerifyKey

from ontkoppel_desktop.core.errors import OntkoppelError

HERSTEL = "herstel"
"""The reader id of the institute's recovery key: a reader of every envelope."""

VERSIE = 1
SLEUTEL_LENGTE = 32
_VERZEGELDE_SLEUTEL_LENGTE = SLEUTEL_LENGTE + 48  # a sealed box adds an ephemeral public key (32) and a MAC (16)
_HANDTEKENING_LENGTE = 64

Waarde = str | int | bool | None
"""A metadata value: what the server may read and compare. No floats: their JSON text is not canonical."""

BESCHADIGD = "Dit verslag is beschadigd of onleesbaar."
NIET_VOOR_U = "Dit verslag is niet voor u verzegeld."
HANDTEKENING_PAST_NIET = (
    "De handtekening onder dit verslag past niet bij de auteur: het is onderweg veranderd of door een ander "
    "ondertekend. Het wordt niet getoond."
)
SLEUTEL_PAST_NIET = (
    "De sleutel die voor u verzegeld is, hoort niet bij wat de auteur ondertekende: het verslag is onderweg "
    "veranderd. Het wordt niet getoond."
)
NIEUWERE_VERSIE = "Dit verslag is verzegeld met een nieuwere versie van Ontkoppel Desktop. Werk de app bij."
ONJUIST_WACHTWOORD = "Onjuist wachtwoord voor de herstelsleutel van het instituut."
GEEN_HERSTELSLEUTEL = "Dit bestand is geen leesbare herstelsleutel van het instituut."


class ZegelFout(OntkoppelError):
    """A key or an envelope that cannot be trusted or read; the message says which, in Dutch."""


# --- Canonical encodings -----------------------------------------------------------------------------------------


def _velden(*velden: str | bytes) -> bytes:
    """Fields each preceded by their length, so no two different lists of fields encode alike."""
    uit = bytearray()
    for veld in velden:
        data = veld.encode("utf-8") if isinstance(veld, str) else veld
        uit += len(data).to_bytes(4, "big") + data
    return bytes(uit)


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def uit_b64(tekst: object) -> bytes:
    """Strict base64: the unused bits of the last character can differ without changing the bytes, so a text that
    is not exactly what we would have written is refused rather than read as the same bytes."""
    if not isinstance(tekst, str):
        raise ValueError("not a base64 string")
    try:
        data = base64.b64decode(tekst.encode("ascii"), validate=True)
    except (binascii.Error, UnicodeEncodeError) as exc:
        raise ValueError("not base64") from exc
    if _b64(data) != tekst:
        raise ValueError("non-canonical base64")
    return data


def _canonieke_json(waarde: object) -> bytes:
    return json.dumps(waarde, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False).encode()


def _geen_dubbele_sleutels(paren: list[tuple[str, Any]]) -> dict[str, Any]:
    uit: dict[str, Any] = {}
    for sleutel, waarde in paren:
        if sleutel in uit:
            raise ValueError(f"duplicate key {sleutel!r}")
        uit[sleutel] = waarde
    return uit


def _lees_json(data: bytes) -> object:
    return json.loads(data.decode("utf-8"), object_pairs_hook=_geen_dubbele_sleutels)


def _controleer_metadata(metadata: Mapping[str, object]) -> dict[str, Waarde]:
    uit: dict[str, Waarde] = {}
    for sleutel, waarde in metadata.items():
        if not isinstance(sleutel, str):
            raise TypeError(f"metadata key {sleutel!r} is not a string")
        if waarde is not None and not isinstance(waarde, str | int | bool):
            raise TypeError(f"metadata {sleutel!r}: {type(waarde).__name__} is not str, int, bool or None")
        uit[sleutel] = waarde
    return uit


# --- Keys --------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PubliekeSleutels:
    """A user's public keys: X25519 to seal to, Ed25519 to check signatures with (32 bytes each)."""

    versleuteling: bytes
    ondertekening: bytes

    def __post_init__(self) -> None:
        if len(self.versleuteling) != SLEUTEL_LENGTE or len(self.ondertekening) != SLEUTEL_LENGTE:
            raise ValueError("a public key is 32 bytes")

    def naar_json(self) -> dict[str, str]:
        """A JSON object (base64 values), as the server's directory carries it."""
        return {"versleuteling": _b64(self.versleuteling), "ondertekening": _b64(self.ondertekening)}

    @classmethod
    def uit_json(cls, data: object) -> PubliekeSleutels:
        try:
            if not isinstance(data, Mapping) or set(data) != {"versleuteling", "ondertekening"}:
                raise ValueError("not a public key object")
            return cls(uit_b64(data["versleuteling"]), uit_b64(data["ondertekening"]))
        except ValueError as exc:
            raise ZegelFout("Deze publieke sleutel is beschadigd of onleesbaar.") from exc


@dataclass(frozen=True, repr=False)
class Sleutelpaar:
    """A user's private keys. `naar_bytes` is what the encrypted store keeps: the X25519 private key, then the
    Ed25519 seed."""

    versleuteling: PrivateKey
    ondertekening: SigningKey

    @property
    def publiek(self) -> PubliekeSleutels:
        return PubliekeSleutels(bytes(self.versleuteling.public_key), bytes(self.ondertekening.verify_key))

    def naar_bytes(self) -> bytes:
        return bytes(self.versleuteling) + bytes(self.ondertekening)

    @classmethod
    def uit_bytes(cls, data: bytes) -> Sleutelpaar:
        if len(data) != 2 * SLEUTEL_LENGTE:
            raise ZegelFout("Dit sleutelpaar is beschadigd of onleesbaar.")
        return cls(PrivateKey(data[:SLEUTEL_LENGTE]), SigningKey(data[SLEUTEL_LENGTE:]))

    def __repr__(self) -> str:
        # Never the private keys, not even in a traceback.
        return f"Sleutelpaar(vingerafdruk={vingerafdruk(self.publiek)!r})"


def maak_sleutelpaar() -> Sleutelpaar:
    return Sleutelpaar(PrivateKey.generate(), SigningKey.generate())


def vingerafdruk(publiek: PubliekeSleutels) -> str:
    """32 characters in groups of four, to read aloud and compare by phone or on paper (160 bits of SHA-256)."""
    digest = hashlib.sha256(_velden("ontkoppel-vingerafdruk-v1", publiek.versleuteling, publiek.ondertekening))
    tekst = base64.b32encode(digest.digest()[:20]).decode("ascii")
    return " ".join(tekst[i : i + 4] for i in range(0, len(tekst), 4))


def vingerafdruk_instituut(ondertekening: bytes) -> str:
    """The fingerprint of the institute's signing key (its Ed25519 public key alone, which is all a laptop gets),
    as IT publishes it and the laptop shows it at Verbinden; same form as `vingerafdruk`."""
    digest = hashlib.sha256(_velden("ontkoppel-instituut-v1", ondertekening))
    tekst = base64.b32encode(digest.digest()[:20]).decode("ascii")
    return " ".join(tekst[i : i + 4] for i in range(0, len(tekst), 4))


# --- The institute's binding of keys to accounts -----------------------------------------------------------------


def _binding_bericht(account: str, publiek: PubliekeSleutels) -> bytes:
    return _velden("ontkoppel-binding-v1", account, publiek.versleuteling, publiek.ondertekening)


def onderteken_binding(instituut: SigningKey, account: str, publiek: PubliekeSleutels) -> bytes:
    """The institute's signature that these public keys are `account`'s (64 bytes)."""
    return instituut.sign(_binding_bericht(account, publiek)).signature


def controleer_binding(instituut_publiek: bytes, account: str, publiek: PubliekeSleutels, handtekening: bytes) -> None:
    """Raises ZegelFout unless the institute signed these keys for exactly this account."""
    try:
        VerifyKey(instituut_publiek).verify(_binding_bericht(account, publiek), handtekening)
    except (nacl.exceptions.CryptoError, TypeError) as exc:
        raise ZegelFout(
            f"De sleutel van ‘{account}’ is niet door het instituut bevestigd: de server kan een andere sleutel "
            "hebben doorgegeven. Er wordt niets mee verzegeld of geopend; neem contact op met de functioneel beheerder."
        ) from exc


# --- Envelopes ---------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Geopend:
    inhoud: bytes
    metadata: dict[str, Waarde]
    auteur_account: str


@dataclass(frozen=True)
class _Envelop:
    auteur_account: str
    metadata: dict[str, Waarde]
    body: bytes
    sleutelcontrole: bytes
    handtekening: bytes
    lezers: dict[str, bytes]

    def naar_bytes(self) -> bytes:
        return _canonieke_json({
            "versie": VERSIE,
            "auteur_account": self.auteur_account,
            "metadata": self.metadata,
            "body": _b64(self.body),
            "sleutelcontrole": _b64(self.sleutelcontrole),
            "handtekening": _b64(self.handtekening),
            "lezers": {lezer: _b64(verzegeld) for lezer, verzegeld in self.lezers.items()},
        })

    def ondertekend_bericht(self) -> bytes:
        return _velden("ontkoppel-zegel-v1", self.auteur_account, _canonieke_json(self.metadata),
                       hashlib.sha256(self.body).digest(), self.sleutelcontrole)


_VELDEN = {"versie", "auteur_account", "metadata", "body", "sleutelcontrole", "handtekening", "lezers"}


def _lees(envelop: bytes) -> _Envelop:
    try:
        data = _lees_json(envelop)
        if not isinstance(data, dict):
            raise ValueError("not an object")
        versie = data.get("versie")
        if type(versie) is int and versie > VERSIE:
            raise ZegelFout(NIEUWERE_VERSIE)
        if versie != VERSIE or type(versie) is not int or set(data) != _VELDEN:
            raise ValueError("not a version 1 envelope")
        auteur, metadata, lezers = data["auteur_account"], data["metadata"], data["lezers"]
        if not isinstance(auteur, str) or not isinstance(metadata, dict) or not isinstance(lezers, dict):
            raise ValueError("wrong types")
        uit = _Envelop(
            auteur_account=auteur,
            metadata=_controleer_metadata(metadata),
            body=uit_b64(data["body"]),
            sleutelcontrole=uit_b64(data["sleutelcontrole"]),
            handtekening=uit_b64(data["handtekening"]),
            lezers={lezer: uit_b64(verzegeld) for lezer, verzegeld in lezers.items()},
        )
        if (len(uit.sleutelcontrole) != 32 or len(uit.handtekening) != _HANDTEKENING_LENGTE
                or any(len(v) != _VERZEGELDE_SLEUTEL_LENGTE for v in uit.lezers.values())):
            raise ValueError("wrong lengths")
        return uit
    except (ValueError, TypeError) as exc:  # JSONDecodeError and UnicodeDecodeError are ValueErrors
        raise ZegelFout(BESCHADIGD) from exc


def _sleutelcontrole(sleutel: bytes) -> bytes:
    """A commitment to the content key. It reveals nothing of the key (256 random bits) or of the content."""
    return hashlib.sha256(_velden("ontkoppel-inhoudssleutel-v1", sleutel)).digest()


def _verzegel_sleutel(sleutel: bytes, lezer: str, publiek: bytes) -> bytes:
    try:
        return SealedBox(PublicKey(publiek)).encrypt(sleutel)
    except (nacl.exceptions.CryptoError, TypeError) as exc:
        raise ZegelFout(f"De publieke sleutel van ‘{lezer}’ is ongeldig; er is niets verzegeld.") from exc


def _open_sleutel(envelop: _Envelop, lezer_id: str, lezer: Sleutelpaar, fout: str) -> bytes:
    verzegeld = envelop.lezers.get(lezer_id)
    if verzegeld is None:
        raise ZegelFout(fout)
    try:
        sleutel = SealedBox(lezer.versleuteling).decrypt(verzegeld)
    except nacl.exceptions.CryptoError as exc:  # sealed to another key, or garbled
        raise ZegelFout(fout) from exc
    if _sleutelcontrole(sleutel) != envelop.sleutelcontrole:
        raise ZegelFout(SLEUTEL_PAST_NIET)
    return sleutel


def verzegel(inhoud: bytes, metadata: Mapping[str, Waarde], auteur: Sleutelpaar, auteur_account: str,
             lezers: Mapping[str, bytes]) -> bytes:
    """Seals `inhoud` to every reader (reader id -> X25519 public key, each checked with `controleer_binding`
    first), signed by the author. The institute's recovery key (`HERSTEL`) must be among the readers: a verslag
    it cannot open could never reach next year's jaarassistent."""
    if HERSTEL not in lezers:
        raise ValueError("the institute's recovery key must be a reader of every envelope")
    if not all(isinstance(lezer, str) and lezer for lezer in lezers):
        raise ValueError("a reader id is a non-empty string")
    sleutel = nacl.utils.random(nacl.secret.SecretBox.KEY_SIZE)
    body = bytes(nacl.secret.SecretBox(sleutel).encrypt(inhoud))
    ongetekend = _Envelop(auteur_account, _controleer_metadata(metadata), body, _sleutelcontrole(sleutel), b"",
                          {lezer: _verzegel_sleutel(sleutel, lezer, publiek) for lezer, publiek in lezers.items()})
    handtekening = auteur.ondertekening.sign(ongetekend.ondertekend_bericht()).signature
    return _Envelop(ongetekend.auteur_account, ongetekend.metadata, body, ongetekend.sleutelcontrole, handtekening,
                    ongetekend.lezers).naar_bytes()


def controleer_handtekening(envelop: bytes, auteur_ondertekening: bytes) -> None:
    """Raises ZegelFout unless the author's key signed this envelope's author, metadata and body. Needs no reader's
    key, so the server can check an upload too."""
    _controleer_handtekening(_lees(envelop), auteur_ondertekening)


def _controleer_handtekening(envelop: _Envelop, auteur_ondertekening: bytes) -> None:
    try:
        VerifyKey(auteur_ondertekening).verify(envelop.ondertekend_bericht(), envelop.handtekening)
    except (nacl.exceptions.CryptoError, TypeError) as exc:
        raise ZegelFout(HANDTEKENING_PAST_NIET) from exc


def open_zegel(envelop: bytes, lezer_id: str, lezer: Sleutelpaar, auteur_ondertekening: bytes) -> Geopend:
    """The content, when `lezer` is a reader and the author's Ed25519 key signed it. `auteur_ondertekening` is the
    key bound to the author's account (`controleer_binding`), never one taken from the envelope."""
    gelezen = _lees(envelop)
    if lezer_id not in gelezen.lezers:
        raise ZegelFout(NIET_VOOR_U)
    _controleer_handtekening(gelezen, auteur_ondertekening)
    sleutel = _open_sleutel(gelezen, lezer_id, lezer, NIET_VOOR_U)
    try:
        inhoud = nacl.secret.SecretBox(sleutel).decrypt(gelezen.body)
    except nacl.exceptions.CryptoError as exc:  # signed, but not by an honest author: never shown
        raise ZegelFout(BESCHADIGD) from exc
    return Geopend(inhoud, dict(gelezen.metadata), gelezen.auteur_account)


def lezers_van(envelop: bytes) -> list[str]:
    """The reader ids, sorted; readable without a key (and not signed, see the module's docstring)."""
    return sorted(_lees(envelop).lezers)


def metadata_van(envelop: bytes) -> dict[str, Waarde]:
    """The metadata, readable without a key: what the server needs. Only checked by `open_zegel` and
    `controleer_handtekening`."""
    return dict(_lees(envelop).metadata)


def voeg_lezer_toe(envelop: bytes, via_id: str, via: Sleutelpaar, nieuwe_id: str, nieuwe_publiek: bytes) -> bytes:
    """The envelope with the content key also sealed to `nieuwe_publiek` (checked with `controleer_binding` first),
    unsealed with the key of reader `via_id` — usually the recovery key. Body and signature stay as they are, so the
    author's signature still holds. A reader already there gets the key sealed anew (a new key pair)."""
    gelezen = _lees(envelop)
    if not isinstance(nieuwe_id, str) or not nieuwe_id:
        raise ValueError("a reader id is a non-empty string")
    sleutel = _open_sleutel(gelezen, via_id, via,
                            f"Dit verslag is niet verzegeld voor ‘{via_id}’; daarmee kan geen lezer worden toegevoegd.")
    lezers = dict(gelezen.lezers)
    lezers[nieuwe_id] = _verzegel_sleutel(sleutel, nieuwe_id, nieuwe_publiek)
    return _Envelop(gelezen.auteur_account, gelezen.metadata, gelezen.body, gelezen.sleutelcontrole,
                    gelezen.handtekening, lezers).naar_bytes()


# --- The institute's recovery key --------------------------------------------------------------------------------


def maak_herstelsleutel() -> Sleutelpaar:
    """An ordinary key pair; what makes it the recovery key is that it is kept offline and is a reader of all."""
    return maak_sleutelpaar()


def _wachtwoordsleutel(wachtwoord: str, zout: bytes, opslimit: int, memlimit: int) -> bytes:
    # NFC: the same passphrase typed on another system can arrive composed differently (é as one or two code points).
    return nacl.pwhash.argon2id.kdf(nacl.secret.SecretBox.KEY_SIZE, unicodedata.normalize("NFC", wachtwoord).encode(),
                                    zout, opslimit=opslimit, memlimit=memlimit)


def bewaar_herstelsleutel(paar: Sleutelpaar, wachtwoord: str, *, opslimit: int = nacl.pwhash.argon2id.OPSLIMIT_MODERATE,
                          memlimit: int = nacl.pwhash.argon2id.MEMLIMIT_MODERATE) -> bytes:
    """The recovery key as a small JSON file, its private keys encrypted with a key derived from `wachtwoord`
    (Argon2id). The public keys are in the clear, so IT can hand them out without the passphrase."""
    if not wachtwoord:
        raise ZegelFout("Kies een wachtwoord voor de herstelsleutel van het instituut.")
    zout = nacl.utils.random(nacl.pwhash.argon2id.SALTBYTES)
    kluis = nacl.secret.SecretBox(_wachtwoordsleutel(wachtwoord, zout, opslimit, memlimit))
    return _canonieke_json({
        "soort": "ontkoppel-herstelsleutel",
        "versie": 1,
        "kdf": {"naam": "argon2id", "opslimit": opslimit, "memlimit": memlimit, "zout": _b64(zout)},
        "publiek": paar.publiek.naar_json(),
        "sleutels": _b64(bytes(kluis.encrypt(paar.naar_bytes()))),
    })


def lees_herstelsleutel(data: bytes, wachtwoord: str) -> Sleutelpaar:
    argon = nacl.pwhash.argon2id
    try:
        bestand = _lees_json(data)
        if not isinstance(bestand, dict) or bestand.get("soort") != "ontkoppel-herstelsleutel":
            raise ValueError("not a recovery key file")
        if type(bestand.get("versie")) is not int or bestand["versie"] != 1:
            raise ValueError("unknown version")
        kdf = bestand["kdf"]
        opslimit, memlimit = kdf["opslimit"], kdf["memlimit"]
        if kdf["naam"] != "argon2id" or type(opslimit) is not int or type(memlimit) is not int:
            raise ValueError("unknown kdf")
        if not (argon.OPSLIMIT_MIN <= opslimit <= argon.OPSLIMIT_MAX and argon.MEMLIMIT_MIN <= memlimit
                <= argon.MEMLIMIT_MAX):
            raise ValueError("kdf limits out of range")
        zout, versleuteld = uit_b64(kdf["zout"]), uit_b64(bestand["sleutels"])
        publiek = PubliekeSleutels.uit_json(bestand["publiek"])
        if len(zout) != argon.SALTBYTES:
            raise ValueError("wrong salt length")
    except (ValueError, TypeError, KeyError, ZegelFout) as exc:
        raise ZegelFout(GEEN_HERSTELSLEUTEL) from exc
    try:
        paar = Sleutelpaar.uit_bytes(
            nacl.secret.SecretBox(_wachtwoordsleutel(wachtwoord, zout, opslimit, memlimit)).decrypt(versleuteld))
    except nacl.exceptions.CryptoError as exc:
        raise ZegelFout(ONJUIST_WACHTWOORD) from exc
    if paar.publiek != publiek:
        raise ZegelFout(GEEN_HERSTELSLEUTEL)
    return paar
