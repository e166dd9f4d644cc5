"""Starting the app: first-start welcome, unlocking the last-used store, or the demo."""

from __future__ import annotations

import os
import sys
import threading
import time
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QTimer
from PySide6.QtGui import QIcon, QKeySequence, QShortcut
from PySide6.QtWidgets import QApplication, QDialog, QProgressDialog, QVBoxLayout, QWidget

from ontkoppel_desktop import APP_NAME, paths
from ontkoppel_desktop.settings import Settings
from ontkoppel_desktop.store.database import OpslagFout
from ontkoppel_desktop.store.store import NieuweOpslag, Store
from ontkoppel_desktop.ui import dutch, operations, opslag_openen
from ontkoppel_desktop.ui.background import run_in_background
from ontkoppel_desktop.ui.handleiding import toon_handleiding
from ontkoppel_desktop.ui.session import InstanceLock, Session, VergrendeldElders
from ontkoppel_desktop.ui.unlock import UnlockPanel
from ontkoppel_desktop.ui.verslagen.bijlage_openen import ruim_achtergebleven_kopieen_op
from ontkoppel_desktop.ui.wachtwoord import HerstelsleutelDialog

if TYPE_CHECKING:
    from ontkoppel_desktop.ui.main_window import MainWindow
from ontkoppel_desktop.ui.welcome import WelcomeDialog

# For bench/: print how long it took until the first window was on screen, then quit.
EXIT_AFTER_SHOWN_ENV = "ONTKOPPEL_EXIT_AFTER_SHOWN"


class UnlockDialog(QDialog):
    def __init__(self, path: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Ontgrendelen — {APP_NAME}")
        self.panel = UnlockPanel(path, None, allow_other_file=True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.panel)
        self.setMinimumWidth(500)
        QShortcut(QKeySequence(QKeySequence.StandardKey.HelpContents), self,
                  lambda: toon_handleiding(self, "beginnen", "Ontgrendelen"))


class Controller:
    """Walks from start to an open main window. Every step is a non-blocking window, so tests can type
    into each of them."""

    def __init__(self, app: QApplication, settings: Settings) -> None:
        self.app = app
        self.settings = settings
        self.welcome: WelcomeDialog | None = None
        self.unlock: UnlockDialog | None = None
        self.window: MainWindow | None = None  # noqa: F821 (imported when the store opens)
        self.herstel: HerstelsleutelDialog | None = None
        self._progress: QProgressDialog | None = None
        self._instance_lock: InstanceLock | None = None

    # ---- entry ---------------------------------------------------------------------------------------

    def start(self, path: str | None, *, demo: bool, demo_if_new: bool) -> None:
        # Copies of bijlagen an earlier run could not remove (Windows: a file Word still held open) go first.
        ruim_achtergebleven_kopieen_op()
        if demo or (demo_if_new and not path and not self.settings.last_store):
            self.open_demo()
        elif path:
            self.show_unlock(Path(path))
        elif self.settings.last_store and Path(self.settings.last_store).exists():
            self.show_unlock(Path(self.settings.last_store))
        else:
            self.show_welcome()

    def show_welcome(self, *, nieuw: bool = False) -> None:
        self._close_dialogs()
        self.welcome = WelcomeDialog()
        if nieuw:
            self.welcome.ga_naar_nieuw()
        self.welcome.created.connect(self._created)
        self.welcome.open_requested.connect(self.show_unlock)
        self.welcome.demo_requested.connect(self.open_demo)
        self.welcome.rejected.connect(self._quit_if_nothing_open)
        self.welcome.show()

    def show_unlock(self, path: Path) -> None:
        # The folder first: on a network share not even the lock file is made.
        if not opslag_openen.mag_openen(None, path) or not self._take_instance_lock(path):
            if self.welcome is None or not self.welcome.isVisible():
                self.show_welcome()
            return
        self._close_dialogs()
        self.unlock = UnlockDialog(path)
        self.unlock.panel.key_ready.connect(lambda key, herstel: self._key_ready(path, key, herstel))
        self.unlock.panel.other_file.connect(self._other_file)
        self.unlock.rejected.connect(self._quit_if_nothing_open)
        self.unlock.show()
        warm_up()

    # ---- steps ---------------------------------------------------------------------------------------

    def _take_instance_lock(self, path: Path) -> bool:
        self._release_instance_lock()
        lock = InstanceLock(path)
        try:
            lock.acquire()
        except VergrendeldElders as elders:
            if not opslag_openen.neem_over(None, lock, elders):
                return False
        except Exception as exc:
            operations.show_error(None, exc, "Al geopend")
            return False
        self._instance_lock = lock
        return True

    def _release_instance_lock(self) -> None:
        if self._instance_lock is not None:
            self._instance_lock.release()
            self._instance_lock = None

    def _other_file(self) -> None:
        self._release_instance_lock()
        self.show_welcome()

    def wissel(self, doel: object) -> None:
        """From the main window (Bestand → Nieuwe opslag…, Openen…, Recente opslagen, the demo; Ander bestand… on
        the lock page): close the session as quitting would (a wizard saves its concept, the back-up on closing,
        the instance lock released), then the welcome window, or the chosen store's unlock window."""
        from ontkoppel_desktop.ui.main_window import DEMO, NIEUW

        window = self.window
        quit_on_close = self.app.quitOnLastWindowClosed()
        # The main window closes before the next window shows: that must not end the app.
        self.app.setQuitOnLastWindowClosed(False)
        try:
            if window is not None:
                if not window.close():  # the user went back to a form with unsaved input
                    return
                self.window = None
                window.deleteLater()
            if isinstance(doel, Path):
                self.show_unlock(doel)
            elif doel == DEMO:
                self.open_demo()
            else:
                self.show_welcome(nieuw=doel == NIEUW)
        finally:
            self.app.setQuitOnLastWindowClosed(quit_on_close)

    def _key_ready(self, path: Path, data_key: bytes, via_herstel: bool) -> None:
        assert self.unlock is not None
        panel = self.unlock.panel
        assert panel.key_file is not None
        try:
            store = Store.open_with_key(path, panel.key_file, data_key, needs_new_wachtwoord=via_herstel,
                                        check_in_background=True)
        except OpslagFout as exc:
            # Damaged (or its -wal): the newest automatic back-up that opens with this key is offered.
            from ontkoppel_desktop.ui.backups import bied_backup_aan

            reden = operations.user_message(exc)
            panel.show_error(reden)
            if not bied_backup_aan(self.unlock, self.settings, path, panel.key_file, data_key, reden):
                return
            try:
                store = Store.open_with_key(path, Store.read_key_file(path), data_key,
                                            needs_new_wachtwoord=via_herstel, check_in_background=True)
            except Exception as again:  # noqa: BLE001 - said in Dutch, as the first failure
                panel.show_error(operations.user_message(again))
                return
        except Exception as exc:
            panel.show_error(operations.user_message(exc))
            return
        self._open_main(store, demo=False)
        if via_herstel and self.window is not None:
            self.window.change_wachtwoord(verplicht=True)

    def _created(self, nieuw: NieuweOpslag) -> None:
        path = nieuw.store.path
        if not self._take_instance_lock(path):
            nieuw.store.close()
            return
        self.herstel = HerstelsleutelDialog(nieuw.herstelsleutel, path.name, self.welcome, opslag=path)
        self.herstel.accepted.connect(lambda: self._open_main(nieuw.store, demo=False))
        self.herstel.open()

    def open_demo(self) -> None:
        from ontkoppel_desktop.demo import opslag as demo

        path = paths.demo_store()
        if not self._take_instance_lock(path):
            if self.window is None:  # said why; the welcome window stays, so the app does not sit without one
                self.show_welcome()
            return
        if path.exists() and paths.keys_file_for(path).exists():
            make = lambda: Store.open(path, demo.DEMO_WACHTWOORD)  # noqa: E731
        else:
            for stale in (path, paths.keys_file_for(path)):
                stale.unlink(missing_ok=True)
            make = lambda: demo.create_demo_store(path)  # noqa: E731
        # A plain busy window: a QMessageBox without buttons would refuse to close.
        progress = QProgressDialog("De demo-opslag met fictieve gegevens wordt geopend…", "", 0, 0)
        progress.setWindowTitle(APP_NAME)
        progress.setCancelButton(None)
        progress.setMinimumDuration(0)
        progress.show()
        self._progress = progress

        def finish() -> None:
            progress.hide()
            progress.deleteLater()
            self._progress = None

        def done(store: Store) -> None:
            finish()
            self._open_main(store, demo=True)

        def failed(exc: BaseException) -> None:
            finish()
            operations.show_error(None, exc)
            self.show_welcome()

        run_in_background(self.app, make, done, failed)

    def _open_main(self, store: Store, *, demo: bool) -> None:
        assert self._instance_lock is not None
        if not demo:
            self.settings.remember_store(store.path)
            self.settings.save()
        # Imported here, not at the top: the main window pulls in the planner (scipy), documents and
        # spreadsheets, which the unlock window does not need, so the app shows that window sooner.
        from ontkoppel_desktop.ui.main_window import MainWindow

        session = Session(store, self._instance_lock, self.settings, demo=demo)
        self._instance_lock = None  # the session releases it when it closes
        self.window = MainWindow(session)
        self.window.opslag_gevraagd.connect(self.wissel)
        self.window.show()
        self._close_dialogs()
        # A verslag whose wizard was open when the app stopped (a crash, an empty battery) is offered again.
        from ontkoppel_desktop.ui.verslagen.wizard import bied_open_concepten_aan

        window = self.window
        QTimer.singleShot(0, lambda: bied_open_concepten_aan(window, session))

    def _close_dialogs(self) -> None:
        for dialog in (self.welcome, self.unlock):
            if dialog is not None:
                dialog.blockSignals(True)
                dialog.close()
                dialog.deleteLater()
        self.welcome = self.unlock = None

    def _quit_if_nothing_open(self) -> None:
        if self.window is None:
            self._release_instance_lock()
            self.app.quit()


_warmed = False


def warm_up() -> None:
    """While the user types the wachtwoord, load in a thread what the main window needs first: the procedure
    engine and its definitions, the holiday calendar and the first screens' modules. Only imports and parsing,
    no database: the main window is then on screen sooner after Enter."""
    global _warmed
    if _warmed:
        return
    _warmed = True

    def load() -> None:
        import importlib

        from ontkoppel_desktop.core.procedure import day_warning, default_registry

        default_registry()
        day_warning(date.today())  # the holiday calendar of this year
        for module in ("ontkoppel_desktop.core.trajecten", "ontkoppel_desktop.store.trajecten",
                       "ontkoppel_desktop.ui.main_window", "ontkoppel_desktop.ui.trajecten.view",
                       "ontkoppel_desktop.ui.taken.view", "ontkoppel_desktop.ui.personen.view"):
            importlib.import_module(module)

    threading.Thread(target=load, name="voorladen", daemon=True).start()


def create_application(argv: list[str] | None = None) -> QApplication:
    if sys.platform.startswith("linux") and not QApplication.instance():
        # Qt's own file dialog writes dates in the system's format (from LC_TIME, read when the application
        # starts): Dutch, as everywhere else in the app. Windows and macOS show their own dialogs.
        os.environ.setdefault("LC_TIME", "nl_NL.UTF-8")
    app = QApplication.instance() or QApplication(argv or sys.argv)
    assert isinstance(app, QApplication)
    app.setApplicationName(APP_NAME)
    app.setOrganizationName("Huisartsopleiding")
    app.setApplicationDisplayName(APP_NAME)
    from importlib.resources import files

    icon = files("ontkoppel_desktop.resources").joinpath("icons/ontkoppel.svg")
    if icon.is_file():
        app.setWindowIcon(QIcon(str(icon)))
    dutch.install(app)
    return app


def run_app(path: str | None, *, demo: bool = False, demo_if_new: bool = False) -> int:
    started = time.perf_counter()
    app = create_application()
    controller = Controller(app, Settings.load())
    controller.start(path, demo=demo, demo_if_new=demo_if_new)
    if os.environ.get(EXIT_AFTER_SHOWN_ENV):
        def report() -> None:
            print(f"shown_after_s={time.perf_counter() - started:.4f}", flush=True)
            app.quit()

        QTimer.singleShot(0, report)
    app.setQuitOnLastWindowClosed(True)
    return app.exec()
