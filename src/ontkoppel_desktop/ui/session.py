"""The open store as the UI sees it: one instance per file (QLockFile), locking by hand and when idle."""

from __future__ import annotations

import contextlib
import datetime as dt
import getpass
import os
import time
from pathlib import Path

from PySide6.QtCore import (
    QEvent,
    QKeyCombination,
    QLockFile,
    QObject,
    QSysInfo,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QKeyEvent, QUndoGroup, QUndoStack
from PySide6.QtWidgets import QApplication

from ontkoppel_desktop import paths
from ontkoppel_desktop.core.changes import Changes
from ontkoppel_desktop.core.errors import OntkoppelError
from ontkoppel_desktop.core.kalender import dutch_date
from ontkoppel_desktop.settings import Settings
from ontkoppel_desktop.store.store import Store

LOCK_KEYS = QKeyCombination(Qt.KeyboardModifier.ControlModifier, Qt.Key.Key_L)




class AlGeopend(OntkoppelError):
    pass


class VergrendeldElders(AlGeopend):
    """The lock names another computer, or cannot be read: it may be left by a computer that crashed or was
    switched off with the store open, which QLockFile cannot tell apart from one still in use (it can only
    look for a process on this computer). The user may take it over after confirming."""

    def __init__(self, computer: str, gebruiker: str, sinds: dt.datetime | None) -> None:
        self.computer = computer
        self.gebruiker = gebruiker
        self.sinds = sinds
        super().__init__(f"Deze opslag is {self.wie_en_wanneer}.")

    @property
    def wie_en_wanneer(self) -> str:
        """'geopend op computer PC-042 (gebruiker jan) sinds 1 december 2026 om 14:05'."""
        if self.computer:
            wie = f"geopend op computer {self.computer}"
            if self.gebruiker:
                wie += f" (gebruiker {self.gebruiker})"
        else:
            wie = "vergrendeld, maar de vergrendeling is onleesbaar: niet te zien door welke computer"
        if self.sinds is not None:
            wie += f" sinds {dutch_date(self.sinds.date())} om {self.sinds:%H:%M}"
        return wie


def _gebruiker() -> str:
    try:
        naam = getpass.getuser()
    except Exception:  # no user name in the environment nor in the password database
        return ""
    return "".join(c for c in naam if c.isprintable())[:64]


class InstanceLock:
    """A second app on the same file is told so; a lock left by a crashed app on this computer is taken over; a
    lock of another computer is described (`VergrendeldElders`) and taken over only when the user says so.

    QLockFile records pid and host; when that process no longer runs on this host the lock is stale and
    tryLock() removes it, so no age threshold is needed. It cannot see processes of another host, so such a lock
    never clears by itself. Beside the lock a small file names the OS user (QLockFile has no field for it and
    keeps its file open exclusively on Windows), so that another computer can say who has the store open.
    """

    def __init__(self, store_path: Path) -> None:
        self._path = paths.lock_file_for(store_path)
        self._lock = QLockFile(str(self._path))
        self._folder = store_path.parent
        self._lock.setStaleLockTime(0)
        self._wie = self._path.with_name(self._path.name + ".gebruiker")
        self._gezien: bytes | None = None

    def _try_lock(self, timeout_ms: int) -> bool:
        if not self._lock.tryLock(timeout_ms):
            return False
        gebruiker = _gebruiker()
        # The name only serves the message another computer shows: failing to write it costs nothing more.
        with contextlib.suppress(OSError):
            if gebruiker:
                self._wie.write_text(f"{os.getpid()}\n{QSysInfo.machineHostName()}\n{gebruiker}\n", encoding="utf-8")
        return True

    def _gebruiker_van(self, pid: int, host: str) -> str:
        """The user the file beside the lock names, when it belongs to that very lock (pid and host)."""
        try:
            regels = self._wie.read_text(encoding="utf-8").splitlines()
        except (OSError, UnicodeDecodeError):
            return ""
        return regels[2] if len(regels) >= 3 and regels[:2] == [str(pid), host] else ""

    def acquire(self) -> None:
        if self._try_lock(200):
            return
        if self._lock.error() == QLockFile.LockError.PermissionError:
            # Not another window: the lock file cannot be made here (a read-only folder or mount).
            raise AlGeopend(
                f"In de map {self._folder} kan niet geschreven worden, en de opslag heeft een map nodig waarin "
                "dat wel kan. Kopieer het databasebestand en het sleutelbestand samen naar een map op deze "
                "computer waarin je mag schrijven (bijvoorbeeld Documenten) en open het daar."
            )
        if self._lees() is None and self._try_lock(200):
            return  # released between the two looks
        # PySide returns (pid, hostname, appname); pid 0 when the lock file is empty or unreadable.
        info = self._lock.getLockInfo()
        pid, host, _app = info if isinstance(info, tuple) and len(info) == 3 else (0, "", "")
        if pid and (not host or host == QSysInfo.machineHostName()):
            # A process on this computer that still runs (a dead one's lock tryLock() has removed).
            raise AlGeopend(
                f"Deze opslag is al geopend in een ander venster van Ontkoppel Desktop (proces {pid} op deze "
                "computer). Sluit dat venster eerst, of open een ander bestand."
            )
        self._gezien = self._lees()
        try:
            sinds: dt.datetime | None = dt.datetime.fromtimestamp(self._path.stat().st_mtime)
        except OSError:
            sinds = None
        raise VergrendeldElders(host if pid else "", self._gebruiker_van(pid, host) if pid else "", sinds)

    def take_over(self) -> None:
        """Remove the lock `acquire` described with VergrendeldElders, and take it. Refused when the lock changed
        in between (someone opened the store meanwhile) or is held by a process on this computer."""
        nu = self._lees()
        if nu is not None and nu != self._gezien:
            raise AlGeopend("De vergrendeling is intussen veranderd: de opslag is net op een andere plek geopend. "
                            "Probeer het opnieuw.")
        if nu is not None and not self._lock.removeStaleLockFile():
            raise AlGeopend(f"De vergrendeling ({self._path.name}) kon niet worden verwijderd. Controleer of je "
                            f"in de map {self._folder} mag schrijven.")
        if not self._try_lock(0):
            raise AlGeopend("De vergrendeling kon niet worden overgenomen: de opslag is net opnieuw geopend. "
                            "Probeer het opnieuw.")

    def _lees(self) -> bytes | None:
        """The lock file's bytes, None when there is none (b"" when it cannot be read)."""
        try:
            return self._path.read_bytes()
        except FileNotFoundError:
            return None
        except OSError:
            return b""

    def release(self) -> None:
        if self._lock.isLocked():
            # Left behind (a failed unlink) it is ignored: its pid and host must match the lock's.
            with contextlib.suppress(OSError):
                self._wie.unlink(missing_ok=True)
        self._lock.unlock()


class IdleWatcher(QObject):
    """Calls `expired` after `minutes` without keyboard or mouse input.

    Measured on the wall clock, not a countdown timer: a laptop that slept longer than the idle time is
    locked the moment it wakes.
    """

    expired = Signal()
    # Ctrl+L must lock from every window, also while a window-modal form is open (which blocks the main
    # window's own shortcuts), so the key is caught here, where all input passes.
    lock_requested = Signal()
    _INPUT = {
        QEvent.Type.KeyPress,
        QEvent.Type.MouseButtonPress,
        QEvent.Type.MouseMove,
        QEvent.Type.Wheel,
        QEvent.Type.TouchBegin,
    }

    def __init__(self, minutes: float, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.minutes = minutes
        self.last_input = time.time()
        self._timer = QTimer(self)
        self._timer.timeout.connect(self._check)
        app = QApplication.instance()
        assert app is not None
        app.installEventFilter(self)

    def start(self) -> None:
        self.last_input = time.time()
        # Check often enough for a short test timeout, rarely enough to cost nothing.
        self._timer.start(int(min(1000, max(100, self.minutes * 60_000 / 10))))

    def stop(self) -> None:
        self._timer.stop()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt API)
        if event.type() in self._INPUT:
            self.last_input = time.time()
            if (
                event.type() == QEvent.Type.KeyPress
                and isinstance(event, QKeyEvent)
                and event.keyCombination() == LOCK_KEYS
            ):
                self.lock_requested.emit()
                return True
        return False

    def _check(self) -> None:
        if self.minutes > 0 and time.time() - self.last_input >= self.minutes * 60:
            self.expired.emit()


class Session(QObject):
    """The store in use. Screens listen to `changed(changes, initiator)`, `locked` and `unlocked`.

    It also holds the undo history: one stack per screen in one group (each screen undoes its own moves), all
    emptied when the store is locked or closed, since an undo must never outlive the connection it acts on.
    """

    changed = Signal(object, object)  # Changes, the object that asked for the change (or None)
    # The store is about to lock or close, and can still be written: an open verslag saves its concept here.
    before_lock = Signal()
    locked = Signal()
    unlocked = Signal()
    # The store is about to close for good (the app quits), after before_lock, still open: the back-up on close.
    closing = Signal()

    def __init__(self, store: Store, instance_lock: InstanceLock, settings: Settings, *, demo: bool = False) -> None:
        super().__init__()
        self.store = store
        self.settings = settings
        self.demo = demo
        self._instance_lock = instance_lock
        self.idle = IdleWatcher(settings.idle_lock_minutes, self)
        self.idle.expired.connect(self.lock)
        self.idle.lock_requested.connect(self.lock)
        self.idle.start()
        self.undo_group = QUndoGroup(self)
        # The verslagen whose wizard the lock closed, to open again after unlocking.
        self.verslagen_na_ontgrendelen: list[int] = []

    def undo_stack(self) -> QUndoStack:
        """A new undo stack for one screen, in the session's group."""
        stack = QUndoStack(self.undo_group)
        self.undo_group.addStack(stack)
        return stack

    def clear_undo(self) -> None:
        for stack in self.undo_group.stacks():
            stack.clear()

    @property
    def path(self) -> Path:
        return self.store.path

    @property
    def is_locked(self) -> bool:
        return self.store.locked

    def lock(self) -> None:
        if self.store.locked:
            return
        self.before_lock.emit()
        self.idle.stop()
        self.clear_undo()
        self.store.lock()
        self.locked.emit()

    def unlock_with_key(self, data_key: bytes, *, via_herstel: bool = False) -> None:
        # The full integrity check runs beside the user's first look; every write waits for it.
        self.store.unlock_with_key(data_key, check_in_background=True)
        if via_herstel:
            # Unlocked with the herstelsleutel on the lock page: the wachtwoord was forgotten, a new one follows
            # without asking the current one (as when the store is opened with it at the start).
            self.store.needs_new_wachtwoord = True
        self.idle.start()
        self.unlocked.emit()
        self.announce(Changes.everything(), None)

    def set_idle_minutes(self, minutes: float) -> None:
        self.settings.idle_lock_minutes = minutes
        self.settings.save()
        self.idle.minutes = minutes
        if not self.store.locked:
            self.idle.start()

    def announce(self, changes: Changes, initiator: object = None) -> None:
        """Tell every screen what a change touched (ui/operations.change calls this; nothing else should)."""
        if changes:
            self.changed.emit(changes, initiator)

    def close(self) -> None:
        if not self.store.locked:
            self.before_lock.emit()
            self.closing.emit()
        self.idle.stop()
        # The app may go on with another store: this one's Ctrl+L and idle time must not reach it.
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self.idle)
        self.clear_undo()
        self.store.close()
        self._instance_lock.release()
