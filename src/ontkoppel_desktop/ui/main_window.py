"""The main window: navigation, the parts of the app, the lock screen, menus and the status bar."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QByteArray, Qt
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence, QUndoStack
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMessageBox,
    QSpinBox,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from ontkoppel_desktop import APP_NAME, __version__, paths
from ontkoppel_desktop.demo import DEMO_WACHTWOORD
from ontkoppel_desktop.ui import operations
from ontkoppel_desktop.ui.koppelplanner.view import KoppelplannerView
from ontkoppel_desktop.ui.personen.view import PersonenView
from ontkoppel_desktop.ui.session import Session
from ontkoppel_desktop.ui.taken.view import TakenView
from ontkoppel_desktop.ui.trajecten.view import TrajectenView
from ontkoppel_desktop.ui.unlock import UnlockPanel
from ontkoppel_desktop.ui.wachtwoord import WachtwoordWijzigenDialog


class LockPage(QWidget):
    def __init__(self, session: Session) -> None:
        super().__init__()
        hint = f"Demo-opslag — het wachtwoord is: {DEMO_WACHTWOORD}" if session.demo else ""
        self.panel = UnlockPanel(session.path, session.store.key_file, allow_other_file=False, hint=hint)
        self.panel.wissel.hide()  # the herstelsleutel is for a forgotten wachtwoord at start, not here
        self.panel.title_text = "Vergrendeld"
        self.panel.explanation = (
            f"{session.path.name} is vergrendeld. Vul je wachtwoord in om verder te werken; "
            "wat je aan het typen was, staat er daarna nog."
        )
        self.panel.reset()
        card = QFrame()
        card.setFrameShape(QFrame.Shape.StyledPanel)
        card.setMaximumWidth(520)
        inner = QVBoxLayout(card)
        inner.addWidget(self.panel)
        layout = QVBoxLayout(self)
        layout.addStretch(1)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(card, 2)
        row.addStretch(1)
        layout.addLayout(row)
        layout.addStretch(2)


class SettingsDialog(QDialog):
    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Instellingen")
        self.session = session
        self.naam = QLineEdit(session.settings.gebruikersnaam)
        self.naam.setPlaceholderText("bijv. J. de Vries, jaarassistent jaar 1")
        self.minuten = QSpinBox()
        self.minuten.setRange(1, 120)
        self.minuten.setSuffix(" minuten")
        self.minuten.setValue(max(1, round(session.settings.idle_lock_minutes)))
        form = QFormLayout()
        form.addRow("&Jouw naam (voor de geschiedenis):", self.naam)
        form.addRow("&Vergrendel na geen activiteit:", self.minuten)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(buttons)

    def accept(self) -> None:
        self.session.settings.gebruikersnaam = self.naam.text().strip()
        self.session.set_idle_minutes(float(self.minuten.value()))
        super().accept()


class MainWindow(QMainWindow):
    def __init__(self, session: Session) -> None:
        super().__init__()
        self.session = session
        self.undo_stack = QUndoStack(self)
        self._hidden_windows: list[QWidget] = []

        self.nav = QListWidget()
        self.nav.setObjectName("navigatie")
        self.nav.setFixedWidth(150)
        self.nav.setAccessibleName("Navigatie")
        self.sections = QStackedWidget()
        self.trajecten = TrajectenView(session)
        self.taken = TakenView(session)
        self.personen = PersonenView(session, self.undo_stack)
        self.koppelplanner = KoppelplannerView(session, self.undo_stack, self.open_traject_event)
        # Only the parts that exist are listed; the others arrive with their issues.
        self._add_section("Trajecten", self.trajecten)
        self._add_section("Taken & termijnen", self.taken)
        self._add_section("Koppelplanner", self.koppelplanner)
        self._add_section("Personen", self.personen)
        self.taken.open_traject.connect(self.show_traject)
        self.nav.currentRowChanged.connect(self.sections.setCurrentIndex)
        self.nav.setCurrentRow(0)

        workspace = QWidget()
        row = QHBoxLayout(workspace)
        row.setContentsMargins(6, 6, 6, 6)
        row.addWidget(self.nav)
        row.addWidget(self.sections, 1)

        self.lock_page = LockPage(session)
        self.lock_page.panel.key_ready.connect(self._unlock)
        self.root = QStackedWidget()
        self.root.addWidget(workspace)
        self.root.addWidget(self.lock_page)
        self.setCentralWidget(self.root)

        self.store_label = QLabel()
        self.lock_label = QLabel()
        self.statusBar().addPermanentWidget(self.store_label)
        self.statusBar().addPermanentWidget(self.lock_label)
        self._build_menus()
        session.locked.connect(self._on_locked)
        session.unlocked.connect(self._on_unlocked)
        self._update_status()
        available = self.screen().availableGeometry()
        self.resize(min(1320, available.width()), min(800, available.height()))
        geometry = session.settings.window_geometry.get("main")
        if geometry:
            self.restoreGeometry(QByteArray.fromBase64(geometry.encode()))

    def _add_section(self, title: str, widget: QWidget) -> None:
        index = self.sections.addWidget(widget)
        item = QListWidgetItem(title)
        item.setToolTip(f"{title} (Ctrl+{index + 1})")
        self.nav.addItem(item)
        action = QAction(self)
        action.setShortcut(QKeySequence(f"Ctrl+{index + 1}"))
        action.triggered.connect(lambda: self.nav.setCurrentRow(index))
        self.addAction(action)

    def show_section(self, widget: QWidget) -> None:
        self.nav.setCurrentRow(self.sections.indexOf(widget))

    def show_traject(self, traject_id: int) -> None:
        self.show_section(self.trajecten)
        self.trajecten.select(traject_id)

    def open_traject_event(self, traject_id: int, kind: Any, fixed: dict[str, object]) -> None:
        """Hand-off from the planner's 1-op-1 to the traject: record the kennismakingsgesprek there."""
        self.show_traject(traject_id)
        self.trajecten.detail.open_event(kind, fixed, title="Kennismakingsgesprek")

    # ---- menus ---------------------------------------------------------------------------------------

    def _build_menus(self) -> None:
        bestand = self.menuBar().addMenu("&Bestand")
        self.lock_action = bestand.addAction("&Vergrendelen", self.session.lock)
        self.lock_action.setShortcut(QKeySequence("Ctrl+L"))
        self.wachtwoord_action = bestand.addAction("&Wachtwoord wijzigen…", self.change_wachtwoord)
        self.backup_action = bestand.addAction("&Back-up maken…", self.make_backup)
        bestand.addSeparator()
        self.settings_action = bestand.addAction("&Instellingen…", self.open_settings)
        bestand.addSeparator()
        quit_action = bestand.addAction("&Afsluiten", self.close)
        quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        bewerken = self.menuBar().addMenu("Be&werken")
        self.bewerken_menu = bewerken
        undo = self.undo_stack.createUndoAction(self, "&Ongedaan maken")
        undo.setShortcut(QKeySequence.StandardKey.Undo)
        redo = self.undo_stack.createRedoAction(self, "O&pnieuw")
        redo.setShortcut(QKeySequence.StandardKey.Redo)
        bewerken.addAction(undo)
        bewerken.addAction(redo)
        help_menu = self.menuBar().addMenu("&Help")
        help_menu.addAction("&Over Ontkoppel Desktop", self._about)
        # While locked only Afsluiten works.
        self._lockable = [self.lock_action, self.wachtwoord_action, self.backup_action, self.settings_action,
                          undo, redo]

    def _about(self) -> None:
        QMessageBox.about(
            self,
            f"Over {APP_NAME}",
            f"<h3>{APP_NAME} {__version__}</h3><p>Ontkoppelingstrajecten, termijnen en koppelingen voor de "
            "huisartsopleiding, in één versleuteld bestand (SQLCipher).</p>",
        )

    def change_wachtwoord(self, *, verplicht: bool = False) -> WachtwoordWijzigenDialog:
        dialog = WachtwoordWijzigenDialog(self.session, self, verplicht=verplicht)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(lambda: self.statusBar().showMessage("Het wachtwoord is gewijzigd.", 8000))
        dialog.open()
        return dialog

    def make_backup(self) -> None:
        suggestion = self.session.path.with_name(self.session.path.stem + "-backup" + paths.STORE_SUFFIX)
        name, _ = QFileDialog.getSaveFileName(self, "Back-up maken", str(suggestion),
                                              f"Ontkoppel-opslag (*{paths.STORE_SUFFIX})")
        if not name:
            return
        target = Path(name if name.endswith(paths.STORE_SUFFIX) else name + paths.STORE_SUFFIX)
        if operations.run(self, lambda: self.session.store.backup(target)) is not None:
            QMessageBox.information(
                self, "Back-up gemaakt",
                f"De back-up staat in {target.parent}:\n\n• {target.name}\n• {paths.keys_file_for(target).name}\n\n"
                "Bewaar beide bestanden samen. De back-up opent met hetzelfde wachtwoord.",
            )

    def open_settings(self) -> None:
        dialog = SettingsDialog(self.session, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()

    # ---- locking -------------------------------------------------------------------------------------

    def _on_locked(self) -> None:
        # Hide every other window (open forms keep their input) and show only the lock page.
        self._hidden_windows = [
            w for w in QApplication.topLevelWidgets() if w is not self and w.isVisible() and not w.isHidden()
        ]
        for window in self._hidden_windows:
            window.hide()
        self.root.setCurrentWidget(self.lock_page)
        # The key file may have changed since the window opened (wachtwoord gewijzigd).
        self.lock_page.panel.key_file = self.session.store.key_file
        self.lock_page.panel.reset()
        for action in self._lockable:
            action.setEnabled(False)
        # The undo texts name people ("… bewerken"): the whole menu goes while locked.
        self.bewerken_menu.menuAction().setVisible(False)
        self._update_status()
        self.lock_page.panel.veld.setFocus()

    def _unlock(self, data_key: bytes, _via_herstel: bool) -> None:
        try:
            self.session.unlock_with_key(data_key)
        except Exception as exc:
            self.lock_page.panel.show_error(operations.user_message(exc))

    def _on_unlocked(self) -> None:
        self.root.setCurrentIndex(0)
        for action in self._lockable:
            action.setEnabled(True)
        self.bewerken_menu.menuAction().setVisible(True)
        for window in self._hidden_windows:
            window.show()
        self._hidden_windows = []
        self._update_status()

    def _update_status(self) -> None:
        locked = self.session.is_locked
        name = "Demo-opslag (fictieve gegevens)" if self.session.demo else self.session.path.name
        self.setWindowTitle(f"{APP_NAME} — vergrendeld" if locked else f"{name} — {APP_NAME}")
        self.store_label.setText(f"Opslag: {self.session.path}")
        self.store_label.setToolTip(str(self.session.path))
        self.lock_label.setText("Vergrendeld" if locked else "Ontgrendeld")
        self.lock_label.setStyleSheet(
            "padding: 1px 8px; border-radius: 3px; color: white; background: "
            + ("#b3261e;" if locked else "#2e7d32;")
        )
        self.lock_label.setAccessibleName("Vergrendeld" if locked else "Ontgrendeld")

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802
        open_dialogs = [d for d in QApplication.topLevelWidgets()
                        if d is not self and d.isVisible() and getattr(d, "dirty", False)]
        if open_dialogs:
            answer = QMessageBox.question(
                self, "Niet opgeslagen invoer",
                "Er staat nog een formulier open met invoer die niet is opgeslagen. Toch afsluiten?",
                QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, QMessageBox.StandardButton.No,
            )
            if answer != QMessageBox.StandardButton.Yes:
                event.ignore()
                return
        self.session.settings.window_geometry["main"] = bytes(self.saveGeometry().toBase64().data()).decode()
        self.session.settings.save()
        self.session.close()
        super().closeEvent(event)


__all__ = ["Any", "MainWindow"]
