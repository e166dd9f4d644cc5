"""A docent typing into a concept, run as a child process by test_concept_kill.py and then killed.

Usage: python -m tests.gui.typist STORE VERSLAG_ID. Opens the verslag's wizard offscreen at the page with the
aanleiding and types TEXT into it, one character every 25 ms, printing "<monotonic time> <characters typed>"
after each one, until killed.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QTimer  # noqa: E402
from PySide6.QtTest import QTest  # noqa: E402

from ontkoppel_desktop.settings import Settings  # noqa: E402
from ontkoppel_desktop.store.store import Store  # noqa: E402
from ontkoppel_desktop.ui.app import create_application  # noqa: E402
from ontkoppel_desktop.ui.session import InstanceLock, Session  # noqa: E402
from ontkoppel_desktop.ui.verslagen.wizard import GesprekWizard, open_verslag  # noqa: E402
from tests.conftest import WACHTWOORD  # noqa: E402
from tests.verslagen.conftest import AUTEUR  # noqa: E402

TEXT = "De aios meldt dat de supervisie vaak uitvalt en dat zij daardoor visites alleen doet. " * 40


def main() -> None:
    path, verslag_id = Path(sys.argv[1]), int(sys.argv[2])
    app = create_application()
    lock = InstanceLock(path)
    lock.acquire()
    settings = Settings()
    settings.gebruikersnaam = AUTEUR
    session = Session(Store.open(path, WACHTWOORD), lock, settings)
    wizard = open_verslag(None, session, verslag_id)
    assert isinstance(wizard, GesprekWizard)
    wizard._go_to(1)
    edit = wizard.widgets["aanleiding"].focus_widget()
    typed = 0

    def type_one() -> None:
        nonlocal typed
        if typed >= len(TEXT):
            return
        QTest.keyClick(edit, TEXT[typed])
        typed += 1
        print(f"{time.monotonic():.4f} {typed}", flush=True)

    timer = QTimer()
    timer.timeout.connect(type_one)
    timer.start(25)
    print("ready", flush=True)
    app.exec()


if __name__ == "__main__":
    main()
