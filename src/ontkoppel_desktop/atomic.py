"""Writing a file whole or not at all: every file the app writes (key file, settings, exports) goes through here.

The new content goes to a temporary name in the target's folder, is flushed to disk, and is renamed over the
target in one step, so a crash at any moment leaves the old file or the new one, never half of one. On Windows a
target held open by another program (Word, Excel, a virus scanner, a sync client) refuses the rename for a
moment: the rename is retried briefly, and if the target stays held the user gets a Dutch message saying which
file and what to do.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import time
from collections.abc import Callable
from pathlib import Path

from ontkoppel_desktop.core.errors import OntkoppelError

# A virus scanner or sync client holds a new file for a fraction of a second; Word holds it until it is closed.
_RETRIES = 10
_PAUSE_S = 0.1


class BestandBezet(OntkoppelError):
    """The target file is held open by another program."""


def write_atomic(path: Path, data: bytes) -> None:
    """Write `data` to `path`, whole or not at all."""

    def write(tmp: Path) -> None:
        with open(tmp, "wb") as handle:
            handle.write(data)

    write_atomic_with(path, write)


def write_atomic_with(path: Path | str | os.PathLike[str], write: Callable[[Path], None]) -> None:
    """Let `write` write the new content to a temporary path beside `path` (a library that saves to a path:
    openpyxl, reportlab), then put it in place, whole or not at all."""
    target = Path(path)
    folder = target.parent if str(target.parent) else Path(".")
    tmp = folder / f".~{target.name}.{secrets.token_hex(4)}.tmp"
    try:
        write(tmp)
        with open(tmp, "rb+") as handle:
            os.fsync(handle.fileno())
        _replace(tmp, target)
    finally:
        # On a read-only disk unlink fails too (EROFS even for a file that is not there): the first error
        # is the one that says what went wrong.
        with contextlib.suppress(OSError):
            tmp.unlink(missing_ok=True)
    fsync_folder(folder)


def fsync_folder(folder: Path) -> None:
    """A rename reaches the disk only with its folder (POSIX; Windows has no such step)."""
    if os.name == "posix":
        folder_fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(folder_fd)
        finally:
            os.close(folder_fd)


def _replace(tmp: Path, target: Path) -> None:
    for attempt in range(_RETRIES):
        try:
            os.replace(tmp, target)
            return
        except PermissionError:
            if attempt == _RETRIES - 1:
                raise BestandBezet(
                    f"{target.name} is geopend in een ander programma (bijvoorbeeld Word, Excel of een "
                    "virusscanner) en kan niet worden vervangen. Sluit het bestand daar en probeer het opnieuw, "
                    "of kies een andere naam."
                ) from None
            time.sleep(_PAUSE_S)


__all__ = ["BestandBezet", "fsync_folder", "write_atomic", "write_atomic_with"]
