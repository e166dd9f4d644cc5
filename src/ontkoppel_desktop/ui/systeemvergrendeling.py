"""Locking when the computer says so: the screen is locked, or the computer goes to sleep (as KeePassXC does).

Where the platform tells an application:

- Windows: `WTSRegisterSessionNotification` makes the session's lock arrive at the main window as
  WM_WTSSESSION_CHANGE with WTS_SESSION_LOCK (Windows+L, the lock after the screen saver, closing the lid with a
  lock); every top-level window gets WM_POWERBROADCAST with PBT_APMSUSPEND before sleep or hibernation. Both are
  read in a native event filter.
- Linux: logind on the system bus, through QtDBus. `Lock` on this session (`loginctl lock-session`, and desktops that
  lock through logind), the session's `LockedHint` turning true (GNOME and KDE set it when their lock screen shows),
  and `PrepareForSleep(true)` on the manager before suspend or hibernation. Without a system bus or logind (a
  container, another init system) nothing is watched; the idle lock still works.
- macOS: not watched (it would need the Cocoa notification centre); the idle lock, which follows the wall clock and
  so also locks after a sleep, still works.
"""

from __future__ import annotations

import contextlib
import ctypes
import logging
import os
import sys
from collections.abc import Callable

from PySide6.QtCore import SLOT, QAbstractNativeEventFilter, QByteArray, QCoreApplication, QObject, Signal, Slot
from PySide6.QtWidgets import QWidget

log = logging.getLogger(__name__)

# Windows (winuser.h, wtsapi32.h)
WM_WTSSESSION_CHANGE = 0x02B1
WTS_SESSION_LOCK = 0x7
WM_POWERBROADCAST = 0x0218
PBT_APMSUSPEND = 0x4
NOTIFY_FOR_THIS_SESSION = 0

LOGIND = "org.freedesktop.login1"
LOGIND_PAD = "/org/freedesktop/login1"
SCHERM = "het scherm werd vergrendeld"
SLAAP = "de computer in de slaapstand ging"


class _MSG(ctypes.Structure):
    """Windows' MSG (winuser.h), as the native event filter's message points to it."""

    _fields_ = [
        ("hwnd", ctypes.c_void_p),
        ("message", ctypes.c_uint),
        ("wParam", ctypes.c_size_t),
        ("lParam", ctypes.c_ssize_t),
        ("time", ctypes.c_uint32),
        ("pt_x", ctypes.c_int32),
        ("pt_y", ctypes.c_int32),
    ]


def windows_reden(message: int, wparam: int) -> str | None:
    """Why to lock for this Windows message, or None."""
    if message == WM_WTSSESSION_CHANGE and wparam == WTS_SESSION_LOCK:
        return SCHERM
    if message == WM_POWERBROADCAST and wparam == PBT_APMSUSPEND:
        return SLAAP
    return None


class WindowsBerichten(QAbstractNativeEventFilter):
    def __init__(self, melden: Callable[[str], None]) -> None:
        super().__init__()
        self._melden = melden

    def nativeEventFilter(self, event_type: QByteArray | bytes, message: int) -> tuple[bool, int]:  # noqa: N802
        if bytes(event_type) == b"windows_generic_MSG" and message:
            msg = _MSG.from_address(int(message))
            reden = windows_reden(msg.message, msg.wParam)
            if reden is not None:
                self._melden(reden)
        return False, 0  # seen, never taken: Qt and the window handle it as ever


def logind_sessie_pad(sessie_id: str) -> str:
    """logind's object path of a session: its id escaped as sd-bus does (a character other than a letter, or a digit
    at the start, becomes _ and its two hex digits): "3" → …/session/_33, "c2" → …/session/c2."""
    tekens = []
    for i, teken in enumerate(sessie_id):
        if ("a" <= teken <= "z") or ("A" <= teken <= "Z") or (i > 0 and "0" <= teken <= "9"):
            tekens.append(teken)
        else:
            tekens.extend(f"_{byte:02x}" for byte in teken.encode("utf-8"))
    return f"{LOGIND_PAD}/session/{''.join(tekens) or '_'}"


class SysteemVergrendeling(QObject):
    """Emits `vergrendelen(reden)` ("het scherm werd vergrendeld") when the platform says the screen locks or the
    computer goes to sleep."""

    vergrendelen = Signal(str)

    def __init__(self, window: QWidget, *, bus: object = None, dienst: str = LOGIND) -> None:
        """`bus` and `dienst` for tests: a private connection, and "" for a peer-to-peer one (which has no names)."""
        super().__init__(window)
        self._dienst = dienst
        self.bewaakt: list[str] = []  # what is watched, for the log and the tests
        self._filter: WindowsBerichten | None = None
        self._hwnd = 0
        self._bus: object = None
        self._signalen: list[tuple[str, str, str, str]] = []  # (path, interface, name, slot) connected on _bus
        if sys.platform == "win32":
            self._windows(window)
        elif sys.platform.startswith("linux") or bus is not None:
            try:
                self._logind(bus)
            except Exception:  # noqa: BLE001 - no QtDBus, no bus: the idle lock remains
                log.info("logind niet bereikbaar: geen vergrendeling bij schermvergrendeling of slaapstand",
                         exc_info=True)

    # ---- Windows -------------------------------------------------------------------------------------

    def _windows(self, window: QWidget) -> None:
        app = QCoreApplication.instance()
        if app is None:
            return
        self._filter = WindowsBerichten(self._meld)
        app.installNativeEventFilter(self._filter)
        self.bewaakt.append("slaapstand (WM_POWERBROADCAST)")
        try:
            self._hwnd = int(window.winId())
            if ctypes.windll.wtsapi32.WTSRegisterSessionNotification(  # type: ignore[attr-defined]
                    ctypes.c_void_p(self._hwnd), NOTIFY_FOR_THIS_SESSION):
                self.bewaakt.append("schermvergrendeling (WTS)")
            else:
                self._hwnd = 0
        except (AttributeError, OSError):
            self._hwnd = 0

    # ---- Linux: logind -------------------------------------------------------------------------------

    def _logind(self, bus: object) -> None:
        from PySide6.QtDBus import QDBusConnection

        verbinding = bus if bus is not None else QDBusConnection.systemBus()
        assert isinstance(verbinding, QDBusConnection)
        if not verbinding.isConnected():
            return
        self._bus = verbinding
        if self._verbind(LOGIND_PAD, f"{LOGIND}.Manager", "PrepareForSleep", SLOT("_slaap(bool)")):
            self.bewaakt.append("slaapstand (logind PrepareForSleep)")
        sessie = self._sessie(verbinding, self._dienst)
        if not sessie:
            return
        if self._verbind(sessie, f"{LOGIND}.Session", "Lock", SLOT("_scherm()")):
            self.bewaakt.append(f"schermvergrendeling (logind Lock op {sessie})")
        if self._verbind(sessie, "org.freedesktop.DBus.Properties", "PropertiesChanged",
                         SLOT("_eigenschappen(QString,QVariantMap,QStringList)")):
            self.bewaakt.append(f"schermvergrendeling (logind LockedHint op {sessie})")

    def _verbind(self, pad: str, interface: str, naam: str, slot: str) -> bool:
        from PySide6.QtDBus import QDBusConnection

        assert isinstance(self._bus, QDBusConnection)
        if not self._bus.connect(self._dienst, pad, interface, naam, self, slot):
            return False
        self._signalen.append((pad, interface, naam, slot))
        return True

    @staticmethod
    def _sessie(verbinding: object, dienst: str) -> str:
        """This process's logind session: from XDG_SESSION_ID, else asked (GetSessionByPID, half a second at
        most)."""
        sessie_id = os.environ.get("XDG_SESSION_ID", "").strip()
        if sessie_id:
            return logind_sessie_pad(sessie_id)
        from PySide6.QtDBus import QDBus, QDBusConnection, QDBusMessage

        assert isinstance(verbinding, QDBusConnection)
        vraag = QDBusMessage.createMethodCall(dienst, LOGIND_PAD, f"{LOGIND}.Manager", "GetSessionByPID")
        vraag.setArguments([os.getpid()])
        antwoord = verbinding.call(vraag, QDBus.CallMode.Block, 500)
        if antwoord.type() != QDBusMessage.MessageType.ReplyMessage or not antwoord.arguments():
            return ""
        pad = antwoord.arguments()[0]
        return str(pad.path() if hasattr(pad, "path") else pad)

    @Slot(bool)
    def _slaap(self, gaat_slapen: bool) -> None:
        if gaat_slapen:  # false: waking up again
            self._meld(SLAAP)

    @Slot()
    def _scherm(self) -> None:
        self._meld(SCHERM)

    @Slot(str, "QVariantMap", "QStringList")
    def _eigenschappen(self, interface: str, gewijzigd: dict[str, object], _vervallen: list[str]) -> None:
        if interface == f"{LOGIND}.Session" and gewijzigd.get("LockedHint") is True:
            self._meld(SCHERM)

    # ---- both ----------------------------------------------------------------------------------------

    def _meld(self, reden: str) -> None:
        log.info("Vergrendelen: %s", reden)
        self.vergrendelen.emit(reden)

    def stop(self) -> None:
        """When the window closes: the filter goes, and Windows stops sending the session's changes."""
        app = QCoreApplication.instance()
        if self._filter is not None and app is not None:
            app.removeNativeEventFilter(self._filter)
            self._filter = None
        if self._hwnd:
            with contextlib.suppress(AttributeError, OSError):
                ctypes.windll.wtsapi32.WTSUnRegisterSessionNotification(  # type: ignore[attr-defined]
                    ctypes.c_void_p(self._hwnd))
            self._hwnd = 0
        if self._bus is not None:
            for pad, interface, naam, slot in self._signalen:
                self._bus.disconnect(self._dienst, pad, interface, naam, self, slot)  # type: ignore[attr-defined]
            self._signalen.clear()
            self._bus = None


__all__ = ["SysteemVergrendeling", "WindowsBerichten", "logind_sessie_pad", "windows_reden"]
