"""The open store as the UI sees it: one instance per file (QLockFile), locking by hand and when idle."""

from __future__ import annotations

import socket
import time
from pathlib import Path

from PySide6.QtCore import QEvent, QKeyCombination, QLockFile, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent, QUndoGroup, QUndoStack
from PySide6.QtWidgets import QApplication

from ontkoppel_desktop import paths
from ontkoppel_desktop.core.changes import Changes
from ontkoppel_desktop.core.errors import OntkoppelError
from ontkoppel_desktop.settings import Settings
from ontkoppel_desktop.store.store import Store

LOCK_KEYS = QKeyCombination(Qt.KeyboardModifier.ControlModifier, Qt.Key.Key_L)


class AlGeopend(OntkoppelError):
    pass


class InstanceLock:
    """A second app on the same file is told so; a lock left by a crashed app is taken over.

    QLockFile records pid and host; when that process no longer runs on this host the lock is stale and
    tryLock() removes it, so no age threshold is needed.
    """

    def __init__(self, store_path: Path) -> None:
        self._lock = QLockFile(str(paths.lock_file_for(store_path)))
        self._folder = store_path.parent
        self._lock.setStaleLockTime(0)

    def acquire(self) -> None:
        if self._lock.tryLock(200):
            return
        if self._lock.error() == QLockFile.LockError.PermissionError:
            # Not another window: the lock file cannot be made here (a read-only folder or mount).
            raise AlGeopend(
                f"In de map {self._folder} kan niet geschreven worden, en de opslag heeft een map nodig waarin "
                "dat wel kan. Kopieer het databasebestand en het sleutelbestand samen naar een map op deze "
                "computer waarin je mag schrijven (bijvoorbeeld Documenten) en open het daar."
            )
        # PySide returns (pid, hostname, appname), or nothing useful when the lock file is unreadable.
        info = self._lock.getLockInfo()
        detail = ""
        if isinstance(info, tuple) and len(info) >= 2 and info[0]:
            pid, host = info[0], info[1]
            where = "op deze computer" if host == socket.gethostname() else f"op computer {host}"
            detail = f" (proces {pid} {where})"
        raise AlGeopend(
            "Deze opslag is al geopend in een ander venster van Ontkoppel Desktop"
            f"{detail}. Sluit dat venster eerst, of open een ander bestand."
        )

    def release(self) -> None:
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

    def unlock_with_key(self, data_key: bytes) -> None:
        # The full integrity check runs beside the user's first look; every write waits for it.
        self.store.unlock_with_key(data_key, check_in_background=True)
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
        self.idle.stop()
        self.clear_undo()
        self.store.close()
        self._instance_lock.release()
