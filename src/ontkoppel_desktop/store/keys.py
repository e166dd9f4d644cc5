"""Key handling: one random data key opens the SQLCipher file; it is kept only wrapped.

The data key (32 random bytes) is what SQLCipher uses, as a raw key, so opening the file costs no key
derivation of its own. It is wrapped twice with AES-GCM:

* by a key derived from the wachtwoord with Argon2id (memory-hard, tuned at creation to about half a
  second on the machine that creates the store; the parameters travel with the envelope);
* by a key derived from the herstelsleutel with HKDF: the herstelsleutel is 160 random bits, so a slow
  KDF adds nothing there.

Changing the wachtwoord therefore only rewraps 32 bytes; the database is never re-encrypted.

Why beside the store and not inside it: SQLCipher encrypts every page including the first, so nothing
inside the file is readable before the key is known. The envelopes live in "<store>.sleutel", written
atomically (temporary file, fsync, rename) so an interruption leaves either the old or the new file,
never half of one. Each envelope is bound to the store's random id (AES-GCM associated data), and the
same id is inside the database, so a key file from another store is recognised and refused.
"""

from __future__ import annotations

import base64
import json
import secrets
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from argon2.low_level import Type, hash_secret_raw
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from ontkoppel_desktop.atomic import write_atomic
from ontkoppel_desktop.core.errors import OntkoppelError

KEY_FILE_FORMAT = 1
DATA_KEY_BYTES = 32
HERSTELSLEUTEL_BYTES = 20  # 160 bits: 32 characters in groups of four
# Crockford's base32: no I, L, O or U, so a written-down key cannot be misread.
_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
_READ_AS = {"O": "0", "I": "1", "L": "1"}

# The envelope's AES-GCM tag proves the wachtwoord before the database is touched, so a wrong one is said as such.
ONJUIST_WACHTWOORD = (
    "Onjuist wachtwoord. Let op hoofdletters en Caps Lock. Weet je het niet meer, open de opslag dan met je "
    "herstelsleutel."
)
ONJUISTE_HERSTELSLEUTEL = "Deze herstelsleutel hoort niet bij deze opslag. Controleer de tekens en probeer het opnieuw."

SALT_BYTES = 16
NONCE_BYTES = 12
WRAPPED_KEY_BYTES = DATA_KEY_BYTES + 16  # AES-GCM adds a 16-byte tag
# Sane bounds for the Argon2id parameters read from a key file. The file is not authenticated before the key
# is derived, so a tampered time or memory cost would otherwise hang the unlock or exhaust memory. Calibration
# uses 64 MiB and a time cost of 2 or more that takes about half a second; the tests use 8 MiB and 1 pass.
KDF_TIME_COST = (1, 100)
KDF_MEMORY_KIB = (8 * 1024, 1024 * 1024)
KDF_PARALLELISM = (1, 16)
# time_cost x memory_kib: the work of one derivation; 100 passes over 64 MiB is seconds, not minutes.
KDF_MAX_WORK = 100 * 64 * 1024


def sleutelbestand_beschadigd(name: str) -> str:
    return (
        f"Het sleutelbestand {name} is beschadigd of hoort niet bij deze app. Open de opslag met je "
        "herstelsleutel (die zet een nieuw wachtwoord), of zet een back-up terug (databasebestand en "
        "sleutelbestand samen)."
    )


class SleutelFout(OntkoppelError):
    """The wachtwoord or herstelsleutel does not open this store, or the key file is unusable."""


@dataclass(frozen=True)
class KdfParams:
    time_cost: int
    memory_kib: int
    parallelism: int = 1

    @classmethod
    def calibrate(cls, target_seconds: float = 0.5, memory_kib: int = 64 * 1024) -> KdfParams:
        """Choose the Argon2id time cost that takes about `target_seconds` on this machine."""
        # The first pass pays for allocating the memory; time a warm three-pass run for the per-pass cost.
        cls(time_cost=1, memory_kib=memory_kib).derive(b"opwarmen", b"0" * 16)
        probe = cls(time_cost=3, memory_kib=memory_kib)
        started = time.perf_counter()
        probe.derive(b"kalibratie", b"0" * 16)
        one_pass = max((time.perf_counter() - started) / 3, 1e-3)
        time_cost = max(2, round(target_seconds / one_pass))
        # Never write what the next read would refuse as tampered.
        time_cost = min(time_cost, KDF_TIME_COST[1], KDF_MAX_WORK // memory_kib)
        return cls(time_cost=time_cost, memory_kib=memory_kib)

    @property
    def sane(self) -> bool:
        """Within the bounds this app ever writes: deriving with them finishes in seconds, in bounded memory."""
        return (
            KDF_TIME_COST[0] <= self.time_cost <= KDF_TIME_COST[1]
            and KDF_MEMORY_KIB[0] <= self.memory_kib <= KDF_MEMORY_KIB[1]
            and KDF_PARALLELISM[0] <= self.parallelism <= KDF_PARALLELISM[1]
            and self.time_cost * self.memory_kib <= KDF_MAX_WORK
        )

    def derive(self, secret: bytes, salt: bytes) -> bytes:
        if not self.sane:
            raise SleutelFout(sleutelbestand_beschadigd("naast de opslag"))
        return hash_secret_raw(
            secret,
            salt,
            time_cost=self.time_cost,
            memory_cost=self.memory_kib,
            parallelism=self.parallelism,
            hash_len=32,
            type=Type.ID,
        )


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.b64decode(text.encode("ascii"), validate=True)


def new_data_key() -> bytes:
    return secrets.token_bytes(DATA_KEY_BYTES)


def sqlcipher_raw_key(data_key: bytes) -> str:
    """SQLCipher's raw-key form x'…': used as is, without its own PBKDF2 pass."""
    return "x'" + data_key.hex() + "'"


# ---- herstelsleutel ---------------------------------------------------------------------------------


def new_herstelsleutel() -> str:
    raw = secrets.token_bytes(HERSTELSLEUTEL_BYTES)
    number = int.from_bytes(raw, "big")
    chars = [_ALPHABET[(number >> (5 * i)) & 31] for i in reversed(range(HERSTELSLEUTEL_BYTES * 8 // 5))]
    text = "".join(chars)
    return "-".join(text[i : i + 4] for i in range(0, len(text), 4))


def parse_herstelsleutel(text: str) -> bytes:
    cleaned = "".join(_READ_AS.get(c, c) for c in text.upper() if c.isalnum())
    if len(cleaned) != HERSTELSLEUTEL_BYTES * 8 // 5 or any(c not in _ALPHABET for c in cleaned):
        raise SleutelFout(
            "Dit is geen geldige herstelsleutel: die bestaat uit 32 tekens in groepjes van vier "
            "(cijfers en hoofdletters)."
        )
    number = 0
    for c in cleaned:
        number = number * 32 + _ALPHABET.index(c)
    return number.to_bytes(HERSTELSLEUTEL_BYTES, "big")


# ---- envelopes and the key file ---------------------------------------------------------------------


@dataclass(frozen=True)
class Envelope:
    kind: str  # "wachtwoord" or "herstelsleutel"
    salt: bytes
    nonce: bytes
    ciphertext: bytes
    kdf: KdfParams | None  # None for the herstelsleutel (HKDF)

    @property
    def sane(self) -> bool:
        """Shaped as this app writes it: the right lengths, and for the wachtwoord sane Argon2id parameters."""
        shaped = (
            len(self.salt) == SALT_BYTES
            and len(self.nonce) == NONCE_BYTES
            and len(self.ciphertext) == WRAPPED_KEY_BYTES
        )
        if self.kind == "herstelsleutel":
            return shaped and self.kdf is None
        return shaped and self.kind == "wachtwoord" and self.kdf is not None and self.kdf.sane

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "kind": self.kind,
            "salt": _b64(self.salt),
            "nonce": _b64(self.nonce),
            "ciphertext": _b64(self.ciphertext),
        }
        if self.kdf is not None:
            out["kdf"] = {
                "name": "argon2id",
                "time_cost": self.kdf.time_cost,
                "memory_kib": self.kdf.memory_kib,
                "parallelism": self.kdf.parallelism,
            }
        return out

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Envelope:
        kdf_data = data.get("kdf")
        if kdf_data and kdf_data.get("name", "argon2id") != "argon2id":
            raise ValueError("kdf")
        kdf = (
            KdfParams(int(kdf_data["time_cost"]), int(kdf_data["memory_kib"]), int(kdf_data["parallelism"]))
            if kdf_data
            else None
        )
        return cls(
            kind=str(data["kind"]),
            salt=_unb64(data["salt"]),
            nonce=_unb64(data["nonce"]),
            ciphertext=_unb64(data["ciphertext"]),
            kdf=kdf,
        )


def _herstel_kek(herstel: bytes, salt: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=salt, info=b"ontkoppel herstelsleutel").derive(
        herstel
    )


def _aad(store_id: str, kind: str) -> bytes:
    return f"ontkoppel-desktop/{store_id}/{kind}".encode()


def wrap_with_wachtwoord(data_key: bytes, wachtwoord: str, store_id: str, kdf: KdfParams) -> Envelope:
    salt, nonce = secrets.token_bytes(16), secrets.token_bytes(12)
    kek = kdf.derive(wachtwoord.encode("utf-8"), salt)
    ciphertext = AESGCM(kek).encrypt(nonce, data_key, _aad(store_id, "wachtwoord"))
    return Envelope("wachtwoord", salt, nonce, ciphertext, kdf)


def wrap_with_herstelsleutel(data_key: bytes, herstelsleutel: str, store_id: str) -> Envelope:
    salt, nonce = secrets.token_bytes(16), secrets.token_bytes(12)
    kek = _herstel_kek(parse_herstelsleutel(herstelsleutel), salt)
    ciphertext = AESGCM(kek).encrypt(nonce, data_key, _aad(store_id, "herstelsleutel"))
    return Envelope("herstelsleutel", salt, nonce, ciphertext, None)


def _unwrap(envelope: Envelope, kek: bytes, store_id: str) -> bytes:
    try:
        return AESGCM(kek).decrypt(envelope.nonce, envelope.ciphertext, _aad(store_id, envelope.kind))
    except InvalidTag:
        raise SleutelFout(ONJUIST_WACHTWOORD if envelope.kind == "wachtwoord" else ONJUISTE_HERSTELSLEUTEL) from None


@dataclass(frozen=True)
class KeyFile:
    store_id: str
    wachtwoord: Envelope
    herstelsleutel: Envelope
    # The file's name, for messages; "" for a key file that was not read from disk.
    name: str = ""

    def unwrap_wachtwoord(self, wachtwoord: str) -> bytes:
        env = self.wachtwoord
        # Checked before deriving: a tampered cost would hang here. The herstelsleutel envelope may still be
        # intact, so the file as a whole is not refused for this.
        if not env.sane or env.kdf is None:
            raise SleutelFout(sleutelbestand_beschadigd(self.name or "naast de opslag"))
        return _unwrap(env, env.kdf.derive(wachtwoord.encode("utf-8"), env.salt), self.store_id)

    def unwrap_herstelsleutel(self, herstelsleutel: str) -> bytes:
        env = self.herstelsleutel
        return _unwrap(env, _herstel_kek(parse_herstelsleutel(herstelsleutel), env.salt), self.store_id)

    def with_wachtwoord(self, envelope: Envelope) -> KeyFile:
        return KeyFile(self.store_id, envelope, self.herstelsleutel, self.name)

    def to_bytes(self) -> bytes:
        data = {
            "format": KEY_FILE_FORMAT,
            "app": "Ontkoppel Desktop",
            "store_id": self.store_id,
            "wachtwoord": self.wachtwoord.to_json(),
            "herstelsleutel": self.herstelsleutel.to_json(),
        }
        return json.dumps(data, indent=2).encode("utf-8")

    @classmethod
    def read(cls, path: Path) -> KeyFile:
        try:
            raw = path.read_bytes()
        except FileNotFoundError:
            raise SleutelFout(
                f"Het sleutelbestand {path.name} ontbreekt. Het hoort naast het databasebestand te staan; "
                "kopieer altijd beide bestanden samen."
            ) from None
        except OSError as exc:
            raise SleutelFout(f"Het sleutelbestand {path.name} kan niet gelezen worden ({exc.strerror}).") from None
        try:
            data = json.loads(raw)
            if data.get("format") != KEY_FILE_FORMAT:
                raise ValueError("format")
            key_file = cls(
                store_id=str(data["store_id"]),
                wachtwoord=Envelope.from_json(data["wachtwoord"]),
                herstelsleutel=Envelope.from_json(data["herstelsleutel"]),
                name=path.name,
            )
        except (ValueError, KeyError, TypeError, AttributeError, OverflowError):
            raise SleutelFout(sleutelbestand_beschadigd(path.name)) from None
        if not key_file.herstelsleutel.sane:
            raise SleutelFout(sleutelbestand_beschadigd(path.name))
        return key_file

    def write_atomic(self, path: Path) -> None:
        write_atomic(path, self.to_bytes())
