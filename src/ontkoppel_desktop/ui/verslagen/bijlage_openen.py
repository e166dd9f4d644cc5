"""Opening a bijlage: the one moment a reflectieverslag leaves the encrypted store. Always asked first, with a
warning that says where the copy goes and that it is removed again.

The copy is written to this app's private folder (paths.tijdelijke_bijlagen), read-only, under its own name made
safe for Windows, and handed to the program the system opens such files with. Every copy is removed before the
store locks or closes. Windows refuses to delete a file another program still holds open (Word does): that copy
stays until the next start, which sweeps the folder. Each running app keeps its copies in a folder of its own,
guarded by a lock file, so a second Ontkoppel Desktop (another store) never sweeps away the copies of the first.
"""

from __future__ import annotations

import contextlib
import logging
import os
import re
import secrets
import stat
from html import escape
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QLockFile, QObject, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QMessageBox, QWidget

from ontkoppel_desktop import paths
from ontkoppel_desktop.core.bestandsnamen import VERBODEN, gereserveerd
from ontkoppel_desktop.core.errors import OntkoppelError
from ontkoppel_desktop.ui import operations, vraag

if TYPE_CHECKING:
    from ontkoppel_desktop.ui.session import Session

log = logging.getLogger(__name__)

_NAAM_KOPIEEN = "bijlage-kopieen"
# A short name: the copy's folder is already deep in the user's profile, and Word gives up on a path above
# 218 characters (Windows' MAX_PATH is 260).
_MAX_NAAM = 80


class KopieFout(OntkoppelError):
    pass


def veilige_bestandsnaam(naam: str) -> str:
    """`naam` as a file name Windows (and every other system) accepts: forbidden characters become "_", no
    trailing dots or spaces, a reserved name gets a "_" before it, at most 80 characters with the extension
    kept. The user still recognises it in the other program's title bar."""
    naam = VERBODEN.sub("_", naam).strip().rstrip(". ")
    stam, punt, ext = naam.rpartition(".")
    if not punt or len(ext) > 10:
        stam, ext = naam, ""
    if len(naam) > _MAX_NAAM:
        stam = stam[:_MAX_NAAM - len(ext) - 1].rstrip(". ")
    if not stam.strip(" ."):
        stam = "bijlage"
    if gereserveerd(stam):
        stam = "_" + stam
    return f"{stam}.{ext}" if ext else stam


# ---- removing ------------------------------------------------------------------------------------------


def _verwijder(path: Path) -> list[Path]:
    """Remove a file or a folder with everything in it, as far as the system lets us; return what stayed (a
    file another program holds open on Windows)."""
    left: list[Path] = []
    if path.is_dir() and not path.is_symlink():
        for root, dirs, files in os.walk(path, topdown=False):
            for name in files:
                left += _verwijder_bestand(Path(root, name))
            for name in dirs:
                _rmdir(Path(root, name))
        _rmdir(path)
    elif path.exists() or path.is_symlink():
        left += _verwijder_bestand(path)
    return left


def _verwijder_bestand(path: Path) -> list[Path]:
    with contextlib.suppress(OSError):
        # The copy was made read-only; Windows deletes no read-only file.
        path.chmod(stat.S_IREAD | stat.S_IWRITE)
    try:
        path.unlink()
    except FileNotFoundError:
        return []
    except OSError as exc:  # PermissionError: Word (or a viewer) still has it open
        log.info("copy of a bijlage not removed now (%s); the next start removes it", exc)
        return [path]
    return []


def _rmdir(path: Path) -> None:
    with contextlib.suppress(OSError):  # not empty: a file in it is still held open
        path.rmdir()


def _neem(lock_path: Path) -> QLockFile | None:
    """The lock on a folder of copies, unless a running app holds it."""
    lock = QLockFile(str(lock_path))
    lock.setStaleLockTime(0)  # a lock of a process that no longer runs is taken over at once
    if lock.tryLock(0):
        return lock
    info = lock.getLockInfo()
    if not (isinstance(info, tuple) and info and info[0]):
        # Unreadable (a crash while it was written): it names no process, so none can hold it.
        lock.removeStaleLockFile()
        if lock.tryLock(0):
            return lock
    return None


def ruim_achtergebleven_kopieen_op() -> list[Path]:
    """At the start of the app: remove the copies an earlier run left behind (after a crash, or a file Windows
    would not delete because a program held it open). Copies of an Ontkoppel Desktop running now are kept.
    Returns what could not be removed yet; never raises."""
    left: list[Path] = []
    try:
        base = paths.tijdelijke_bijlagen()
        entries = sorted(base.iterdir())
    except OSError as exc:
        log.warning("could not sweep the copies of bijlagen: %s", exc)
        return left
    for entry in entries:
        if entry.suffix == ".lock" and entry.with_suffix("").exists():
            continue  # handled with its folder
        lock_path = entry if entry.suffix == ".lock" else entry.with_name(entry.name + ".lock")
        lock = _neem(lock_path)
        if lock is None:
            continue  # another Ontkoppel Desktop uses it now
        try:
            if entry != lock_path:
                left += _verwijder(entry)
        finally:
            lock.unlock()  # removes the lock file
    return left


# ---- the copies of one session -------------------------------------------------------------------------------


class Kopieen(QObject):
    """The copies this session handed to other programs: all removed before the store locks or closes."""

    def __init__(self, session: Session) -> None:
        super().__init__(session)
        self.setObjectName(_NAAM_KOPIEEN)
        self._map: Path | None = None
        self._lock: QLockFile | None = None
        self._teller = 0
        self.achtergebleven: list[Path] = []  # not removed at the last lock: the next start removes them
        session.before_lock.connect(self.opruimen)
        app = QCoreApplication.instance()
        if app is not None:
            app.aboutToQuit.connect(self.opruimen)

    @property
    def map(self) -> Path | None:
        return self._map

    def schrijf(self, naam: str, inhoud: bytes) -> Path:
        """A read-only copy of `inhoud` named after `naam`, in a folder of its own (two bijlagen may have the
        same name; the same one may be open twice)."""
        try:
            if self._map is None:
                base = paths.tijdelijke_bijlagen()
                token = secrets.token_hex(8)
                lock = _neem(base / f"{token}.lock")
                if lock is None:
                    raise OSError(f"lock {token} taken")
                folder = base / token
                folder.mkdir(mode=0o700)
                self._map, self._lock = folder, lock
            self._teller += 1
            sub = self._map / str(self._teller)
            sub.mkdir(mode=0o700)
            target = sub / veilige_bestandsnaam(naam)
            fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o600)
            with os.fdopen(fd, "wb") as handle:
                handle.write(inhoud)
            # Read-only: Word and others say so, and nobody types into a copy whose changes are never kept.
            target.chmod(stat.S_IREAD)
        except OSError as exc:
            log.warning("copy of a bijlage not written: %s", exc)
            reden = exc.strerror or str(exc)
            raise KopieFout(f"De kopie van '{naam}' kon niet worden gemaakt in {paths.data_dir()} ({reden}). Is de "
                            "schijf vol? Maak ruimte en probeer het opnieuw.") from None
        return target

    def opruimen(self) -> list[Path]:
        """Remove every copy of this session; what Windows will not let go of stays for the next start."""
        if self._map is None:
            return []
        left = _verwijder(self._map)
        self._map = None
        if self._lock is not None:
            self._lock.unlock()
            self._lock = None
        self.achtergebleven += left
        return left


def kopieen(session: Session) -> Kopieen:
    """The copies of this session (made on first use; they live as long as the session)."""
    found = session.findChild(QObject, _NAAM_KOPIEEN)
    return found if isinstance(found, Kopieen) else Kopieen(session)


# ---- opening -------------------------------------------------------------------------------------------------


def waarschuwing(naam: str) -> str:
    return (
        f"'{naam}' wordt geopend in een ander programma. Daarvoor wordt een kopie gemaakt buiten de versleutelde "
        f"opslag, onder een neutrale naam (zonder de oorspronkelijke), in deze map:\n\n"
        f"{paths.tijdelijke_bijlagen()}\n\n"
        "Die kopie is niet versleuteld. Ontkoppel Desktop verwijdert haar weer zodra je de opslag vergrendelt of "
        "de app sluit; als het andere programma de kopie dan nog openhoudt, bij de volgende start. Sluit de kopie "
        "als je klaar bent. Wijzigingen in de kopie worden niet bewaard.\n\nDe kopie openen?"
    )


def open_bijlage(parent: QWidget | None, session: Session, bijlage_id: int, *,
                 sha256: str | None = None) -> Path | None:
    """Ask, then open a copy of the bijlage in the program the system chooses. `sha256`: what the verslag's
    answer says the file is; a bijlage that does not match it is not opened. Returns the copy's path."""
    service = session.store.bijlagen
    bijlage = operations.run(parent, lambda: service.get(bijlage_id), title="Bijlage openen")
    if bijlage is None:
        return None
    if sha256 is not None and sha256 != bijlage.sha256:
        QMessageBox.warning(parent, "Bijlage openen",
                            f"'{bijlage.naam}' in de opslag is niet het bestand dat het verslag noemt (de "
                            "vingerafdruk verschilt). Het wordt niet geopend; meld dit aan de applicatiebeheerder.")
        return None
    if not vraag.bevestig(parent, "Kopie buiten de versleutelde opslag", waarschuwing(bijlage.naam),
                          "Kopie &openen", waarschuwing=True):
        return None
    inhoud = operations.run(parent, lambda: service.inhoud(bijlage_id), title="Bijlage openen")
    if inhoud is None:
        return None
    # A neutral name: the original often names the aios, and Word keeps recently opened names after the copy is
    # gone (its list of recent files, jump lists).
    neutraal = f"bijlage-{bijlage.id}{Path(bijlage.naam).suffix.lower()}"
    kopie = operations.run(parent, lambda: kopieen(session).schrijf(neutraal, inhoud), title="Bijlage openen")
    if kopie is None:
        return None
    if not QDesktopServices.openUrl(QUrl.fromLocalFile(str(kopie))):
        QMessageBox.information(
            parent, "Bijlage openen",
            f"Er is geen programma gevonden dat een {bijlage.soort.label} opent. De kopie staat in {kopie.parent}; "
            "ze wordt verwijderd als je de opslag vergrendelt of de app sluit.")
    return kopie


# ---- in the read-only view ---------------------------------------------------------------------------------


def bijlagen_html(session: Session, value: object) -> str:
    """The bijlagen an answer names, a line each with its size and an "Openen…" link (`bijlage:<id>:<sha256>`,
    handled by open_link)."""
    from ontkoppel_desktop.core.verslagen.bijlagen import grootte_tekst, verwijzingen

    regels = []
    for v in verwijzingen(value):
        try:
            bytes_ = session.store.bijlagen.get(v.bijlage).grootte
            grootte = f" <span style='color:#555'>({grootte_tekst(bytes_)})</span>"
        except OntkoppelError:
            grootte = " <span style='color:#b3261e'>(ontbreekt in de opslag)</span>"
        regels.append(f"<p style='margin:0'>{escape(v.naam)}{grootte} — "
                      f"<a href='bijlage:{v.bijlage}:{escape(v.sha256)}'>Openen…</a></p>")
    return "".join(regels)


def open_link(parent: QWidget | None, session: Session, link: str) -> bool:
    """Open the bijlage a `bijlage:<id>:<sha256>` link names (after the warning); False for any other link."""
    match = re.fullmatch(r"bijlage:(\d+):([0-9a-f]*)", link)
    if match is None:
        return False
    open_bijlage(parent, session, int(match.group(1)), sha256=match.group(2) or None)
    return True


__all__ = [
    "KopieFout",
    "Kopieen",
    "bijlagen_html",
    "kopieen",
    "open_bijlage",
    "open_link",
    "ruim_achtergebleven_kopieen_op",
    "veilige_bestandsnaam",
    "waarschuwing",
]
