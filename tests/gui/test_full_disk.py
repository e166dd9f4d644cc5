"""A full disk at closing time (issue 12, defect 6): the settings are only comfort, so the window still closes,
the store is closed, and no temporary settings file is left beside the old one."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from ontkoppel_desktop import paths
from ontkoppel_desktop.settings import Settings
from tests.gui.conftest import open_main_window


@pytest.fixture
def full_disk(tmp_path: Path) -> Iterator[Path]:
    """A small tmpfs (CI runs as root) holding an old settings file, then filled to the last byte."""
    mount = tmp_path / "vol"
    mount.mkdir()
    subprocess.run(["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(mount)], check=True)
    try:
        (mount / "instellingen.json").write_text('{"gebruikersnaam": "oud"}', encoding="utf-8")
        filler = os.open(mount / "opvulling", os.O_WRONLY | os.O_CREAT)
        try:
            while os.write(filler, b"\0" * 512):
                pass
        except OSError:
            pass
        finally:
            os.close(filler)
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=True)


def test_settings_save_on_a_full_disk_leaves_no_temp_file(full_disk: Path) -> None:
    target = full_disk / "instellingen.json"
    with pytest.raises(OSError):
        Settings(gebruikersnaam="nieuw" * 10_000).save(target)
    assert sorted(p.name for p in full_disk.iterdir()) == ["instellingen.json", "opvulling"]
    assert Settings.load(target).gebruikersnaam == "oud"


def test_closing_the_window_on_a_full_disk_still_closes(
    qtbot: Any, store_path: Path, fast_kdf: Any, full_disk: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    window = open_main_window(qtbot, store_path)
    window.show()
    monkeypatch.setattr(paths, "settings_file", lambda: full_disk / "instellingen.json")
    window.session.settings.gebruikersnaam = "nieuw" * 10_000  # more than fits
    window.session.lock()  # so closing never asks about open forms
    assert window.close()
    assert not window.isVisible()
    assert window.session.store.locked
    assert sorted(p.name for p in full_disk.iterdir()) == ["instellingen.json", "opvulling"]
    assert Settings.load(full_disk / "instellingen.json").gebruikersnaam == "oud"
