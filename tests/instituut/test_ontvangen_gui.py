"""Received verslagen and the keys through the real widgets, against the real server: Verbinden shows the
institute's fingerprint and connects only when the user says it matches; the jaarassistent reads a received verslag,
marks it gearchiveerd in the form, and locking empties the list."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from shiboken6 import isValid

from ontkoppel_desktop.core.procedure import EventKind
from ontkoppel_desktop.core.procedure.definition import VerslagBestemming
from ontkoppel_desktop.core.rollen import Rol
from ontkoppel_desktop.instituut import outbox, sleutels
from ontkoppel_desktop.instituut.verzegeling import vingerafdruk_instituut
from ontkoppel_desktop.ui.instituut import HTTP_TOESTAAN, VerbindDialoog
from ontkoppel_desktop.ui.ontvangen import ArchiveerDialoog
from ontkoppel_desktop.ui.voorbeeld import VoorbeeldDialog
from tests.gui.conftest import messages, open_main_window  # noqa: F401, F811 - the fixture
from tests.instituut.conftest import WACHTWOORD, Laptop, Server, nieuwe_laptop
from tests.instituut.test_verslagen_verzegeld import MARKER, medewerker
from tests.verslagen.conftest import schrijf_driehoek

pytestmark = pytest.mark.gui


def _verbind(qtbot: Any, window: Any, adres: str, naam: str) -> VerbindDialoog:
    window.instituut_action.trigger()
    dialog = window.findChild(VerbindDialoog)
    assert dialog is not None
    qtbot.keyClicks(dialog.adres, adres)
    qtbot.keyClicks(dialog.account, naam)
    qtbot.keyClicks(dialog.wachtwoord, WACHTWOORD)
    return dialog


def test_verbinden_asks_to_compare_the_institutes_fingerprint(
    qtbot: Any, server: Server, it: dict[str, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch,  # noqa: F811
    messages: Any,  # noqa: F811
) -> None:
    monkeypatch.setenv(HTTP_TOESTAAN, "1")
    medewerker("jan", (Rol.JAARASSISTENT, 1))
    laptop = nieuwe_laptop(tmp_path / "jan.okdb")
    path = laptop.store.path
    laptop.store.close()
    window = open_main_window(qtbot, path)

    gevraagd: list[str] = []
    monkeypatch.setattr("ontkoppel_desktop.ui.vraag._toon", lambda box: (gevraagd.append(box.text()), None)[1])
    dialog = _verbind(qtbot, window, server.adres, "jan")
    qtbot.mouseClick(dialog.verbind_knop, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "Niet verbonden" in dialog.melding.text(), timeout=15_000)
    assert outbox.verbinding(window.session.store.conn) is None  # "Niet gelijk": not connected
    from ontkoppel_desktop.instituut.verzegeling import uit_b64
    from ontkoppel_server.instituut.models import InstituutSleutels
    vinger = vingerafdruk_instituut(uit_b64(InstituutSleutels.objects.using("eigenaar").get().ondertekening))
    assert vinger in gevraagd[0]

    monkeypatch.setattr("ontkoppel_desktop.ui.vraag._toon", lambda box: box.buttons()[0])  # "Gelijk, verbinden"
    dialog.wachtwoord.clear()
    qtbot.keyClicks(dialog.wachtwoord, WACHTWOORD)
    qtbot.mouseClick(dialog.verbind_knop, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not isValid(dialog) or not dialog.isVisible(), timeout=15_000)
    conn = window.session.store.conn
    assert sleutels.instituut_sleutel(conn) is not None
    assert vingerafdruk_instituut(sleutels.instituut_sleutel(conn) or b"") == vinger


def test_the_jaarassistent_reads_and_archives_a_received_verslag(
    qtbot: Any, anna_en_jan: tuple[Laptop, Laptop], monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv(HTTP_TOESTAAN, "1")
    a, j = anna_en_jan
    traject = a.start(dagen_terug=30)
    schrijf_driehoek(a.store, traject, dt.date.today() - dt.timedelta(days=20), afronden=True, afspraken=MARKER)
    assert a.synchroniseer().verslagen_verstuurd == 1
    path = j.store.path
    j.store.close()

    window = open_main_window(qtbot, path)
    window.synchronisatie.start()
    qtbot.waitUntil(lambda: not window.synchronisatie.bezig, timeout=15_000)
    window.nav.setCurrentRow([window.nav.item(i).text() for i in range(window.nav.count())].index("Instituut"))
    view = window.gedeeld
    view.bladen.setCurrentWidget(view.ontvangen)
    lijst = view.ontvangen
    qtbot.waitUntil(lambda: lijst.model.rowCount() == 1, timeout=5_000)
    assert lijst.model.data(lijst.model.index(0, 2)) == "Noor Visser"
    assert lijst.model.data(lijst.model.index(0, 1)) == "Gespreksverslag driehoeksgesprek"

    qtbot.mouseClick(lijst.lezen, Qt.MouseButton.LeftButton)
    voorbeeld = window.findChild(VoorbeeldDialog)
    assert voorbeeld is not None and voorbeeld.isVisible()
    voorbeeld.close()

    qtbot.mouseClick(lijst.archiveren, Qt.MouseButton.LeftButton)
    dialoog = window.findChild(ArchiveerDialoog)
    assert dialoog is not None
    assert [VerslagBestemming(dialoog.plek.itemData(i)) for i in range(dialoog.plek.count())] == [
        VerslagBestemming.E_PORTFOLIO, VerslagBestemming.DOSSIER_OPLEIDER]
    dialoog.accept()
    qtbot.waitUntil(lambda: "e-portfolio" in lijst.model.data(lijst.model.index(0, 6)), timeout=5_000)
    qtbot.waitUntil(lambda: not window.synchronisatie.bezig and outbox.wachtrij(window.session.store.conn).aantal
                    == 0, timeout=15_000)
    a.synchroniseer()
    assert a.store.trajecten.get(traject).events[-1].kind is EventKind.VERSLAG_GEARCHIVEERD

    window.session.lock()
    assert lijst.model.rowCount() == 0
