"""A store in a read-only folder is not "al geopend in een ander venster" (issue 12, defect 4): the lock file
cannot be made there, and the message says the folder cannot be written."""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from ontkoppel_desktop.ui.session import AlGeopend, InstanceLock


@pytest.fixture
def read_only_folder(tmp_path: Path) -> Iterator[Path]:
    """A read-only bind mount (as root a chmod does not stop writes; CI runs as root)."""
    source = tmp_path / "bron"
    source.mkdir()
    (source / "opslag.okdb").write_bytes(b"x")
    view = tmp_path / "alleen-lezen"
    view.mkdir()
    subprocess.run(["mount", "--bind", str(source), str(view)], check=True)
    try:
        subprocess.run(["mount", "-o", "remount,bind,ro", str(view)], check=True)
        yield view
    finally:
        subprocess.run(["umount", "-l", str(view)], check=True)


def test_a_read_only_folder_is_said_as_such(qapp: Any, read_only_folder: Path) -> None:
    lock = InstanceLock(read_only_folder / "opslag.okdb")
    with pytest.raises(AlGeopend) as raised:
        lock.acquire()
    message = str(raised.value)
    assert "ander venster" not in message
    assert "kan niet geschreven worden" in message and "map" in message
    assert sorted(p.name for p in read_only_folder.iterdir()) == ["opslag.okdb"]


def test_a_second_window_is_still_said_as_such(qapp: Any, tmp_path: Path) -> None:
    first = InstanceLock(tmp_path / "opslag.okdb")
    first.acquire()
    try:
        with pytest.raises(AlGeopend, match="al geopend in een ander venster"):
            InstanceLock(tmp_path / "opslag.okdb").acquire()
    finally:
        first.release()
