"""Real faults for the fault tests: a small tmpfs that can be filled to the last byte or made read-only
(the `schijf` fixture in tests/conftest.py).

Mounting needs root; CI runs as root (.ci/run), and so does the development container. Without root the
fixture fails rather than skips: a fault test that does not run cannot fail.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest


class Schijf:
    """A mounted tmpfs of `size` bytes at `path`."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._filler = path / "opvulling"

    def vul(self) -> None:
        """Fill the disk to the last byte (a file that grows until the kernel says ENOSPC)."""
        fd = os.open(self._filler, os.O_WRONLY | os.O_CREAT | os.O_APPEND)
        try:
            for block in (65536, 4096, 512, 1):
                try:
                    while os.write(fd, b"\0" * block):
                        pass
                except OSError:
                    continue
        finally:
            os.close(fd)

    def maak_ruimte(self) -> None:
        self._filler.unlink(missing_ok=True)

    def alleen_lezen(self, ja: bool = True) -> None:
        option = "remount,ro" if ja else "remount,rw"
        subprocess.run(["mount", "-o", option, str(self.path)], check=True)


def mount_schijf(tmp_path: Path) -> Iterator[Schijf]:
    if os.geteuid() != 0:
        pytest.fail("de fouttests koppelen een kleine tmpfs aan en hebben daarvoor root nodig (zoals in CI)")
    mount = tmp_path / "schijf"
    mount.mkdir()
    subprocess.run(["mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", str(mount)], check=True)
    try:
        yield Schijf(mount)
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=True)


def vingerafdruk(folder: Path) -> dict[str, str]:
    """Every file in `folder` (not the -shm index, which SQLite rebuilds from the WAL and is no content) by
    its SHA-256: what a failed open or a refused write must leave exactly as it was."""
    return {
        p.name: hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.iterdir())
        if p.is_file() and not p.name.endswith("-shm") and p.name != "opvulling"
    }
