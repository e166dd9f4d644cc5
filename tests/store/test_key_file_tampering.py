"""A tampered key file is refused before any key is derived: the right Dutch message, at once, nothing written.

The Argon2id parameters travel unauthenticated in the key file, so a time cost of 100 000 or 2 TiB of memory
would otherwise hang the unlock or exhaust memory (issue 12, defect 7)."""

from __future__ import annotations

import base64
import hashlib
import json
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from ontkoppel_desktop import paths
from ontkoppel_desktop.store.keys import KdfParams, SleutelFout
from ontkoppel_desktop.store.store import Store
from tests.conftest import FAST_KDF, WACHTWOORD

Tamper = Callable[[dict[str, Any]], None]


def _kdf(field: str, value: int) -> Tamper:
    def tamper(data: dict[str, Any]) -> None:
        data["wachtwoord"]["kdf"][field] = value

    return tamper


def _b64_field(kind: str, field: str, length: int) -> Tamper:
    def tamper(data: dict[str, Any]) -> None:
        data[kind][field] = base64.b64encode(b"\x01" * length).decode()

    return tamper


TAMPERED: dict[str, Tamper] = {
    "time_cost_0": _kdf("time_cost", 0),
    "time_cost_100000": _kdf("time_cost", 100_000),
    "time_cost_negative": _kdf("time_cost", -5),
    "memory_2_tib": _kdf("memory_kib", 2 * 1024**3),
    "memory_tiny": _kdf("memory_kib", 8),
    "parallelism_0": _kdf("parallelism", 0),
    "parallelism_absurd": _kdf("parallelism", 1_000_000),
    "time_and_memory_together": lambda d: d["wachtwoord"]["kdf"].update(time_cost=100, memory_kib=1024 * 1024),
    "salt_too_short": _b64_field("wachtwoord", "salt", 1),
    "salt_too_long": _b64_field("wachtwoord", "salt", 4096),
    "nonce_wrong_length": _b64_field("wachtwoord", "nonce", 7),
    "ciphertext_wrong_length": _b64_field("wachtwoord", "ciphertext", 5),
    "kdf_removed": lambda d: d["wachtwoord"].pop("kdf"),
    "kdf_other_name": lambda d: d["wachtwoord"]["kdf"].update(name="scrypt"),
    "time_cost_text": _kdf("time_cost", "veel"),  # type: ignore[arg-type]
}


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def closed_store(tmp_path: Path) -> Path:
    path = tmp_path / "opslag.okdb"
    Store.create(path, WACHTWOORD, FAST_KDF).store.close()
    return path


def _tamper(path: Path, tamper: Tamper) -> Path:
    key_path = paths.keys_file_for(path)
    data = json.loads(key_path.read_bytes())
    tamper(data)
    key_path.write_text(json.dumps(data, indent=2))
    return key_path


@pytest.mark.parametrize("case", sorted(TAMPERED))
def test_tampered_wachtwoord_parameters_are_refused_at_once_and_nothing_changes(closed_store: Path, case: str) -> None:
    key_path = _tamper(closed_store, TAMPERED[case])
    before = {p.name: digest(p) for p in closed_store.parent.iterdir()}
    started = time.perf_counter()
    with pytest.raises(SleutelFout) as raised:
        Store.open(closed_store, WACHTWOORD)
    assert time.perf_counter() - started < 2.0
    message = str(raised.value)
    assert f"sleutelbestand {key_path.name} is beschadigd of hoort niet bij deze app" in message
    assert "herstelsleutel" in message and "back-up" in message
    assert "Onjuist wachtwoord" not in message
    assert {p.name: digest(p) for p in closed_store.parent.iterdir()} == before


@pytest.mark.parametrize("field", ["salt", "nonce", "ciphertext"])
def test_a_damaged_herstelsleutel_envelope_refuses_the_key_file(closed_store: Path, field: str) -> None:
    _tamper(closed_store, _b64_field("herstelsleutel", field, 3))
    before = digest(closed_store)
    with pytest.raises(SleutelFout, match="beschadigd of hoort niet bij deze app"):
        Store.read_key_file(closed_store)
    assert digest(closed_store) == before


def test_the_herstelsleutel_still_opens_when_only_the_wachtwoord_parameters_are_tampered(tmp_path: Path) -> None:
    path = tmp_path / "opslag.okdb"
    nieuw = Store.create(path, WACHTWOORD, FAST_KDF)
    nieuw.store.close()
    _tamper(path, TAMPERED["memory_2_tib"])
    store = Store.open_with_herstelsleutel(path, nieuw.herstelsleutel)
    assert store.needs_new_wachtwoord
    # The tampered parameters are not reused for the new wachtwoord; the app's own calibration is.
    calibrated: list[bool] = []

    def calibrate(cls: type[KdfParams], *args: object, **kwargs: object) -> KdfParams:
        calibrated.append(True)
        return FAST_KDF

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(KdfParams, "calibrate", classmethod(calibrate))
        store.change_wachtwoord("Nieuw-paard-batterij-8")
    store.close()
    assert calibrated
    Store.open(path, "Nieuw-paard-batterij-8").close()


def test_derive_itself_refuses_insane_parameters() -> None:
    started = time.perf_counter()
    with pytest.raises(SleutelFout, match="beschadigd"):
        KdfParams(time_cost=100_000, memory_kib=64 * 1024).derive(b"x", b"0" * 16)
    assert time.perf_counter() - started < 1.0


def test_calibration_never_writes_parameters_a_read_would_refuse() -> None:
    assert KdfParams.calibrate(target_seconds=1000, memory_kib=64 * 1024).sane
