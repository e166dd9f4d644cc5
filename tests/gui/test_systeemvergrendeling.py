"""Locking when the computer says so (issue 14, KeePassXC's habit): a screen lock and sleep, from Windows' messages
and from logind on D-Bus, and minimising the window when Instellingen says so."""

from __future__ import annotations

import ctypes
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QByteArray, Qt
from PySide6.QtDBus import QDBusConnection, QDBusMessage, QDBusServer
from PySide6.QtWidgets import QWidget

from ontkoppel_desktop.ui import systeemvergrendeling as sv
from ontkoppel_desktop.ui.main_window import SettingsDialog
from tests.gui.conftest import open_main_window


def _msg(message: int, wparam: int) -> sv._MSG:
    msg = sv._MSG()
    msg.message, msg.wParam = message, wparam
    return msg


def test_windows_screen_lock_and_suspend_messages(qapp: Any) -> None:
    gemeld: list[str] = []
    filter_ = sv.WindowsBerichten(gemeld.append)
    windows = QByteArray(b"windows_generic_MSG")
    for message, wparam in ((sv.WM_WTSSESSION_CHANGE, sv.WTS_SESSION_LOCK), (sv.WM_WTSSESSION_CHANGE, 0x8),
                            (sv.WM_POWERBROADCAST, sv.PBT_APMSUSPEND), (sv.WM_POWERBROADCAST, 0x12),
                            (0x0100, sv.WTS_SESSION_LOCK)):  # session unlock, resume, a key press: nothing
        msg = _msg(message, wparam)
        assert filter_.nativeEventFilter(windows, ctypes.addressof(msg)) == (False, 0), "never taken from Qt"
    assert gemeld == [sv.SCHERM, sv.SLAAP]
    msg = _msg(sv.WM_POWERBROADCAST, sv.PBT_APMSUSPEND)
    filter_.nativeEventFilter(QByteArray(b"xcb_generic_event_t"), ctypes.addressof(msg))
    assert gemeld == [sv.SCHERM, sv.SLAAP], "another platform's event is not read as a MSG"


def test_logind_session_paths_as_sd_bus_writes_them() -> None:
    assert sv.logind_sessie_pad("3") == "/org/freedesktop/login1/session/_33"
    assert sv.logind_sessie_pad("c2") == "/org/freedesktop/login1/session/c2"
    assert sv.logind_sessie_pad("12") == "/org/freedesktop/login1/session/_312"
    assert sv.logind_sessie_pad("a-b") == "/org/freedesktop/login1/session/a_2db"


class Logind:
    """A stand-in for logind: a D-Bus peer (QDBusServer, no daemon needed) that sends its signals."""

    def __init__(self, qtbot: Any) -> None:
        self.server = QDBusServer("unix:tmpdir=/tmp")
        assert self.server.isConnected()
        self.peers: list[QDBusConnection] = []
        self.server.newConnection.connect(self.peers.append)
        self.client = QDBusConnection.connectToPeer(self.server.address(), f"logind-test-{id(self)}")
        assert self.client.isConnected()
        qtbot.waitUntil(lambda: bool(self.peers))

    def signal(self, pad: str, interface: str, naam: str, *args: object) -> None:
        message = QDBusMessage.createSignal(pad, interface, naam)
        message.setArguments(list(args))
        assert self.peers[0].send(message)

    def close(self) -> None:
        QDBusConnection.disconnectFromPeer(self.client.name())
        self.server.deleteLater()


@pytest.fixture
def logind(qtbot: Any, monkeypatch: pytest.MonkeyPatch) -> Iterator[Logind]:
    monkeypatch.setenv("XDG_SESSION_ID", "7")
    stand_in = Logind(qtbot)
    yield stand_in
    stand_in.close()


SESSIE = "/org/freedesktop/login1/session/_37"


def test_logind_lock_lockedhint_and_sleep(qtbot: Any, logind: Logind) -> None:
    venster = QWidget()
    qtbot.addWidget(venster)
    watcher = sv.SysteemVergrendeling(venster, bus=logind.client, dienst="")
    assert len(watcher.bewaakt) == 3, watcher.bewaakt
    gemeld: list[str] = []
    watcher.vergrendelen.connect(gemeld.append)
    logind.signal(sv.LOGIND_PAD, "org.freedesktop.login1.Manager", "PrepareForSleep", False)  # waking up
    logind.signal(SESSIE, "org.freedesktop.login1.Session", "Lock")
    qtbot.waitUntil(lambda: gemeld == [sv.SCHERM])
    logind.signal("/org/freedesktop/login1/session/_38", "org.freedesktop.login1.Session", "Lock")  # another's
    logind.signal(SESSIE, "org.freedesktop.DBus.Properties", "PropertiesChanged", "org.freedesktop.login1.Session",
                  {"LockedHint": False}, ["Active"])
    logind.signal(SESSIE, "org.freedesktop.DBus.Properties", "PropertiesChanged", "org.freedesktop.login1.Session",
                  {"LockedHint": True, "IdleHint": True}, ["Active"])
    qtbot.waitUntil(lambda: gemeld == [sv.SCHERM, sv.SCHERM])
    logind.signal(sv.LOGIND_PAD, "org.freedesktop.login1.Manager", "PrepareForSleep", True)
    qtbot.waitUntil(lambda: gemeld == [sv.SCHERM, sv.SCHERM, sv.SLAAP])
    watcher.stop()
    logind.signal(sv.LOGIND_PAD, "org.freedesktop.login1.Manager", "PrepareForSleep", True)
    qtbot.wait(200)
    assert len(gemeld) == 3, "stopped: nothing more"


def test_without_a_session_id_logind_is_asked_and_sleep_still_watched(qtbot: Any, logind: Logind,
                                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("XDG_SESSION_ID")
    venster = QWidget()
    qtbot.addWidget(venster)
    watcher = sv.SysteemVergrendeling(venster, bus=logind.client, dienst="")  # GetSessionByPID: no answer here
    assert watcher.bewaakt == ["slaapstand (logind PrepareForSleep)"]


def test_the_main_window_locks_when_logind_says_the_computer_sleeps(
        qtbot: Any, store_path: Path, logind: Logind, monkeypatch: pytest.MonkeyPatch) -> None:
    real = sv.SysteemVergrendeling.__init__

    def met_test_bus(self: Any, window: QWidget, **_kwargs: Any) -> None:
        real(self, window, bus=logind.client, dienst="")

    monkeypatch.setattr(sv.SysteemVergrendeling, "__init__", met_test_bus)
    window = open_main_window(qtbot, store_path)
    logind.signal(sv.LOGIND_PAD, "org.freedesktop.login1.Manager", "PrepareForSleep", True)
    qtbot.waitUntil(lambda: window.session.is_locked)
    assert window.lock_page.isVisible()
    assert window.lock_page.panel.fout.text() == "Vergrendeld omdat de computer in de slaapstand ging."
    window.close()


def test_minimising_locks_only_when_instellingen_says_so(qtbot: Any, store_path: Path) -> None:
    window = open_main_window(qtbot, store_path)
    window.showMinimized()
    qtbot.wait(50)
    assert not window.session.is_locked, "off by default"
    window.showNormal()
    dialog = SettingsDialog(window.session, window)
    qtbot.addWidget(dialog)
    dialog.show()
    assert not dialog.minimaliseren.isChecked()
    qtbot.mouseClick(dialog.minimaliseren, Qt.MouseButton.LeftButton)
    dialog.accept()
    assert window.session.settings.vergrendelen_bij_minimaliseren
    window.showMinimized()
    qtbot.waitUntil(lambda: window.session.is_locked)
    assert window.lock_page.panel.fout.text() == "Vergrendeld omdat het venster werd geminimaliseerd."
    window.showNormal()
    window.close()
