"""A lock left by another computer (issue 12, defect 8): QLockFile cannot see that computer's processes, so such a
lock never clears by itself. The app says who holds it and since when, and takes it over only when the user
confirms; a lock held by a running process on this computer stays refused."""

from __future__ import annotations

import datetime as dt
import getpass
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QLockFile, QSysInfo

from ontkoppel_desktop import paths
from ontkoppel_desktop.ui.app import Controller
from ontkoppel_desktop.ui.session import AlGeopend, InstanceLock, VergrendeldElders
from tests.gui.conftest import Messages
from tests.gui.vraagvenster import Beantwoord

SINDS = dt.datetime(2026, 12, 1, 14, 5)


def schrijf_vreemde_vergrendeling(store_path: Path, inhoud: str, gebruiker: str = "") -> Path:
    """A lock file as QLockFile writes it on another computer (pid, program name, host name, machine id), dated
    1 December 2026 14:05; with the app's file beside it that names the user."""
    lock = paths.lock_file_for(store_path)
    lock.write_text(inhoud, encoding="utf-8")
    os.utime(lock, (SINDS.timestamp(), SINDS.timestamp()))
    if gebruiker:
        lock.with_name(lock.name + ".gebruiker").write_text(gebruiker, encoding="utf-8")
    return lock


ANDERE_COMPUTER = "4242\nOntkoppelDesktop\nPC-SECRETARIAAT-07\n9f1c2e0a4b5d4c3e8a7b6c5d4e3f2a1b\n"
GEBRUIKER = "4242\nPC-SECRETARIAAT-07\nj.devries\n"


def test_the_lock_says_who_and_since_when_and_confirming_takes_it_over(
    qtbot: Any, store_path: Path, controller: Controller, messages: Messages
) -> None:
    lock = schrijf_vreemde_vergrendeling(store_path, ANDERE_COMPUTER, GEBRUIKER)
    antwoord = Beantwoord("Overnemen")
    try:
        controller.start(None, demo=False, demo_if_new=False)  # the last-used store, as at every start
    finally:
        antwoord.stop()
    gezien = antwoord.gezien
    assert gezien.aantal == 1
    assert gezien.tekst == ("Deze opslag is geopend op computer PC-SECRETARIAAT-07 (gebruiker j.devries) sinds "
                            "1 december 2026 om 14:05.")
    assert "andere computer" in gezien.titel
    assert "beschadigd" in gezien.uitleg and "niet meer open" in gezien.uitleg
    assert gezien.knoppen == ["Overnemen", "Niet overnemen"]
    assert gezien.standaard == "Niet overnemen" and gezien.escape == "Niet overnemen"
    assert messages.shown == []
    assert controller.unlock is not None and controller.unlock.isVisible()
    # The lock is now this app's: this process on this computer, and the user named beside it.
    pid, host, _ = QLockFile(str(lock)).getLockInfo()
    assert (pid, host) == (os.getpid(), QSysInfo.machineHostName())
    wie = lock.with_name(lock.name + ".gebruiker").read_text(encoding="utf-8").splitlines()
    assert wie == [str(os.getpid()), QSysInfo.machineHostName(), getpass.getuser()]


def test_declining_leaves_the_lock_untouched(qtbot: Any, store_path: Path, controller: Controller,
                                             messages: Messages) -> None:
    lock = schrijf_vreemde_vergrendeling(store_path, ANDERE_COMPUTER, GEBRUIKER)
    wie = lock.with_name(lock.name + ".gebruiker")
    voor = (lock.read_bytes(), lock.stat().st_mtime_ns, wie.read_bytes())
    antwoord = Beantwoord("Niet overnemen")
    try:
        controller.start(str(store_path), demo=False, demo_if_new=False)
    finally:
        antwoord.stop()
    assert antwoord.gezien.aantal == 1 and "PC-SECRETARIAAT-07" in antwoord.gezien.tekst
    assert (lock.read_bytes(), lock.stat().st_mtime_ns, wie.read_bytes()) == voor
    assert controller.unlock is None
    assert controller.welcome is not None and controller.welcome.isVisible()  # to choose another file


def test_an_unreadable_lock_can_be_taken_over_and_says_so(qtbot: Any, store_path: Path,
                                                         controller: Controller) -> None:
    lock = schrijf_vreemde_vergrendeling(store_path, "")  # empty: a crash while it was written, or a sync client
    antwoord = Beantwoord("Overnemen")
    try:
        controller.start(str(store_path), demo=False, demo_if_new=False)
    finally:
        antwoord.stop()
    assert "onleesbaar" in antwoord.gezien.tekst and "sinds 1 december 2026 om 14:05" in antwoord.gezien.tekst
    assert controller.unlock is not None and controller.unlock.isVisible()
    assert QLockFile(str(lock)).getLockInfo()[0] == os.getpid()


@pytest.mark.parametrize("gebruiker", ["", "4243\nLAPTOP-JAN\nj.devries\n", "4242\nPC-ANDERS\nj.devries\n"])
def test_without_a_matching_user_file_only_the_computer_is_named(qapp: Any, tmp_path: Path, gebruiker: str) -> None:
    """No user file (an older version, a failed write), or one left by another lock (pid or host differs)."""
    store = tmp_path / "werk.okdb"
    schrijf_vreemde_vergrendeling(store, "4242\nOntkoppelDesktop\nLAPTOP-JAN\n", gebruiker)
    with pytest.raises(VergrendeldElders) as raised:
        InstanceLock(store).acquire()
    assert raised.value.computer == "LAPTOP-JAN" and raised.value.gebruiker == ""
    assert str(raised.value) == "Deze opslag is geopend op computer LAPTOP-JAN sinds 1 december 2026 om 14:05."


def test_a_lock_that_changed_after_the_question_is_not_taken_over(qapp: Any, tmp_path: Path) -> None:
    store = tmp_path / "werk.okdb"
    lock_path = schrijf_vreemde_vergrendeling(store, ANDERE_COMPUTER)
    lock = InstanceLock(store)
    with pytest.raises(VergrendeldElders):
        lock.acquire()
    nieuw = "5151\nOntkoppelDesktop\nPC-BALIE\n"
    lock_path.write_text(nieuw, encoding="utf-8")  # another computer took it meanwhile
    with pytest.raises(AlGeopend, match="intussen veranderd"):
        lock.take_over()
    assert lock_path.read_text(encoding="utf-8") == nieuw


@pytest.fixture
def ander_proces(store_path: Path) -> Any:
    """Another Ontkoppel Desktop process on this computer that holds the store's lock through InstanceLock."""
    code = (
        "import sys\n"
        "from PySide6.QtCore import QCoreApplication\n"
        "app = QCoreApplication([])\n"
        "app.setApplicationName('Ontkoppel Desktop')\n"
        "from pathlib import Path\n"
        "from ontkoppel_desktop.ui.session import InstanceLock\n"
        f"lock = InstanceLock(Path({str(store_path)!r}))\n"
        "lock.acquire()\n"
        "print('vast', flush=True)\n"
        "sys.stdin.readline()\n"
    )
    proces = subprocess.Popen([sys.executable, "-c", code], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                              text=True, env=dict(os.environ, QT_QPA_PLATFORM="offscreen"))
    try:
        assert proces.stdout is not None and proces.stdout.readline().strip() == "vast"
        yield proces
    finally:
        proces.kill()
        proces.wait()


def test_a_running_process_on_this_computer_is_refused_without_take_over(
    qtbot: Any, store_path: Path, controller: Controller, messages: Messages, ander_proces: Any
) -> None:
    lock = paths.lock_file_for(store_path)
    voor = lock.read_bytes()
    wie = lock.with_name(lock.name + ".gebruiker")
    assert wie.read_text(encoding="utf-8").splitlines()[0] == str(ander_proces.pid)
    antwoord = Beantwoord("Overnemen")
    try:
        controller.start(str(store_path), demo=False, demo_if_new=False)
    finally:
        antwoord.stop()
    assert antwoord.gezien.aantal == 0, "no take-over offered for a process that runs here"
    assert messages.shown and "al geopend in een ander venster" in messages.shown[-1][1]
    assert f"proces {ander_proces.pid} op deze computer" in messages.shown[-1][1]
    assert controller.unlock is None
    assert lock.read_bytes() == voor and wie.exists()


def test_releasing_removes_the_user_file(qapp: Any, tmp_path: Path) -> None:
    lock = InstanceLock(tmp_path / "werk.okdb")
    lock.acquire()
    wie = tmp_path / "werk.okdb.lock.gebruiker"
    assert wie.read_text(encoding="utf-8") == f"{os.getpid()}\n{QSysInfo.machineHostName()}\n{getpass.getuser()}\n"
    lock.release()
    assert sorted(p.name for p in tmp_path.iterdir()) == []
