"""Shared test set-up: every test gets its own ONTKOPPEL_HOME, Qt runs offscreen."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from ontkoppel_desktop.store.keys import KdfParams  # noqa: E402
from ontkoppel_desktop.store.store import Store  # noqa: E402

# Cheap Argon2id parameters: tests check the machinery, bench/ checks the tuning.
FAST_KDF = KdfParams(time_cost=1, memory_kib=8 * 1024)
WACHTWOORD = "Correct-paard-batterij-7"


@pytest.fixture(autouse=True)
def ontkoppel_home(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("ONTKOPPEL_HOME", str(home))
    return home


@pytest.fixture
def fast_kdf(monkeypatch: pytest.MonkeyPatch) -> KdfParams:
    """Make the app's own calibration (used when a store is created through the UI) cheap."""
    monkeypatch.setattr(KdfParams, "calibrate", classmethod(lambda cls, *a, **k: FAST_KDF))
    return FAST_KDF


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    s = Store.create(tmp_path / "test.okdb", WACHTWOORD, FAST_KDF).store
    yield s
    s.close()
