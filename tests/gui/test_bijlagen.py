"""Bijlagen through the real widgets: Bestand toevoegen… keeps the file in the store at once, Verwijderen asks
first, Openen… warns before a copy leaves the encrypted store, and every copy goes on lock, on close or (when
Windows would not let go of it) at the next start."""

from __future__ import annotations

import stat
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QLockFile, Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QMessageBox, QVBoxLayout, QWidget

from ontkoppel_desktop import paths
from ontkoppel_desktop.core.verslagen.bijlagen import verwijzingen
from ontkoppel_desktop.store.store import Store
from ontkoppel_desktop.ui.app import Controller
from ontkoppel_desktop.ui.verslagen import wizard as wizard_module
from ontkoppel_desktop.ui.verslagen.bijlage_openen import (
    kopieen,
    open_bijlage,
    ruim_achtergebleven_kopieen_op,
    veilige_bestandsnaam,
)
from ontkoppel_desktop.ui.verslagen.bijlage_veld import BijlageVeld
from ontkoppel_desktop.ui.verslagen.lezen import VerslagLezen
from tests.conftest import FAST_KDF, WACHTWOORD
from tests.gui.conftest import Messages, open_main_window
from tests.verslagen.conftest import AUTEUR, maak_traject, schrijf_driehoek
from tests.verslagen.test_bijlagen import GESPREK, VELD, docx_bytes, odt_bytes, pdf_bytes, vraag_bijlagen

YES, NO = QMessageBox.StandardButton.Yes, QMessageBox.StandardButton.No


@pytest.fixture
def window(qtbot: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Any:
    vraag_bijlagen(monkeypatch)
    store = Store.create(tmp_path / "werk.okdb", WACHTWOORD, FAST_KDF).store
    maak_traject(store)
    store.close()
    return open_main_window(qtbot, store.path, gebruikersnaam=AUTEUR)


@pytest.fixture
def verslag_id(window: Any) -> int:
    return schrijf_driehoek(window.session.store, 1, GESPREK)


@pytest.fixture
def veld(qtbot: Any, window: Any, verslag_id: int) -> Iterator[BijlageVeld]:
    """The widget on its own, as the wizard builds it."""
    store = window.session.store
    formulier = store.verslagen.formulier(store.verslagen.get(verslag_id))
    widget = BijlageVeld(formulier.veld(VELD), window.session, verslag_id, AUTEUR)
    widget.set_value(store.verslagen.get(verslag_id).antwoord(VELD))
    holder = QWidget()
    QVBoxLayout(holder).addWidget(widget)
    qtbot.addWidget(holder)
    holder.show()
    qtbot.waitExposed(holder)
    yield widget
    holder.close()


@pytest.fixture
def documenten(tmp_path: Path) -> Path:
    folder = tmp_path / "Documenten"
    folder.mkdir()
    return folder


class Opener:
    """QDesktopServices.openUrl, recorded; and what the copies folder held when the warning was shown."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch, answer: QMessageBox.StandardButton = YES) -> None:
        self.urls: list[Path] = []
        self.warnings: list[tuple[str, str, list[Path]]] = []
        self.answer = answer
        monkeypatch.setattr(QDesktopServices, "openUrl", staticmethod(self._open))
        monkeypatch.setattr("ontkoppel_desktop.ui.vraag._toon", self._question)

    def _open(self, url: QUrl) -> bool:
        self.urls.append(Path(url.toLocalFile()))
        return True

    def _question(self, box: QMessageBox) -> Any:
        """The question's buttons say what they do: Kopie openen, or Annuleren (also the default)."""
        self.warnings.append((box.windowTitle(), box.text(), _bestanden()))
        doen = [b for b in box.buttons() if box.buttonRole(b) == QMessageBox.ButtonRole.AcceptRole]
        assert [b.text().replace("&", "") for b in doen] == ["Kopie openen"]
        assert box.defaultButton() is box.escapeButton()
        return doen[0] if self.answer == YES else box.escapeButton()


def _bestanden() -> list[Path]:
    return sorted(p for p in paths.tijdelijke_bijlagen().rglob("*") if p.is_file() and p.suffix != ".lock")


def _kies(monkeypatch: pytest.MonkeyPatch, veld: BijlageVeld, path: Path) -> None:
    monkeypatch.setattr(veld, "kies_bestand", lambda: str(path))


def _voeg_toe(qtbot: Any, monkeypatch: pytest.MonkeyPatch, veld: BijlageVeld, path: Path) -> None:
    _kies(monkeypatch, veld, path)
    qtbot.mouseClick(veld.toevoegen_knop, Qt.MouseButton.LeftButton)


# ---- adding and removing ---------------------------------------------------------------------------------------


def test_a_chosen_file_is_kept_in_the_store_at_once(qtbot: Any, monkeypatch: pytest.MonkeyPatch, window: Any,
                                                   veld: BijlageVeld, verslag_id: int, documenten: Path) -> None:
    path = documenten / "Reflectie Noor.docx"
    path.write_bytes(docx_bytes())
    assert veld.leeg.isVisible() and not veld.lijst.isVisible()
    assert veld.focus_widget() is veld.toevoegen_knop
    with qtbot.waitSignal(veld.changed):
        _voeg_toe(qtbot, monkeypatch, veld, path)
    store = window.session.store
    (bijlage,) = store.bijlagen.van_verslag(verslag_id)
    assert store.bijlagen.inhoud(bijlage.id) == path.read_bytes()
    assert veld.value() == [{"bijlage": bijlage.id, "naam": "Reflectie Noor.docx", "sha256": bijlage.sha256}]
    assert store.verslagen.get(verslag_id).antwoord(VELD) == veld.value()  # in the same transaction
    assert veld.lijst.count() == 1 and veld.lijst.item(0).text().startswith("Reflectie Noor.docx  (")
    assert "kB)" in veld.lijst.item(0).text()
    assert veld.focus_widget() is veld.lijst and veld.lijst.hasFocus()


def test_the_file_dialog_starts_in_the_documents_folder(monkeypatch: pytest.MonkeyPatch, veld: BijlageVeld) -> None:
    seen: list[tuple[str, str, str]] = []

    def dialog(parent: Any, title: str, folder: str, filter_: str) -> tuple[str, str]:
        seen.append((title, folder, filter_))
        return "", ""

    monkeypatch.setattr("PySide6.QtWidgets.QFileDialog.getOpenFileName", dialog)
    assert veld.toevoegen() is False
    assert seen == [("Bijlage toevoegen", str(paths.documents_dir()),
                     "Verslagen (*.docx *.pdf *.odt *.txt);;Alle bestanden (*)")]


@pytest.mark.parametrize(("naam", "maak", "zegt"), [
    ("setup.pdf", lambda p: p.write_bytes(b"MZ\x90\x00" + b"\x00" * 500), "programma"),
    ("leeg.docx", lambda p: p.write_bytes(b""), "leeg"),
    ("groot.pdf", lambda p: p.open("wb").truncate(21 * 1024 * 1024), "21,0 MB"),
    ("foto.jpg", lambda p: p.write_bytes(b"\xff\xd8\xff\xe0"), ".docx"),
])
def test_a_refused_file_is_said_and_nothing_is_kept(qtbot: Any, monkeypatch: pytest.MonkeyPatch, window: Any,
                                                   veld: BijlageVeld, verslag_id: int, documenten: Path,
                                                   messages: Messages, naam: str, maak: Any, zegt: str) -> None:
    path = documenten / naam
    maak(path)
    if naam == "groot.pdf":  # refused on its size, before it is read
        monkeypatch.setattr(Path, "read_bytes", lambda self: pytest.fail("read a file that is too large"))
    _voeg_toe(qtbot, monkeypatch, veld, path)
    ((title, text),) = messages.shown
    assert title == "Bijlage niet toegevoegd" and f"'{naam}'" in text and zegt in text
    assert window.session.store.bijlagen.van_verslag(verslag_id) == []
    assert veld.value() is None and veld.lijst.count() == 0


def test_removing_asks_first_naming_the_file(qtbot: Any, monkeypatch: pytest.MonkeyPatch, window: Any,
                                             veld: BijlageVeld, verslag_id: int, documenten: Path,
                                             messages: Messages) -> None:
    path = documenten / "reflectie.txt"
    path.write_text("Wat ik leerde.", encoding="utf-8")
    _voeg_toe(qtbot, monkeypatch, veld, path)
    veld.lijst.setFocus()
    messages.answer = NO
    qtbot.keyClick(veld.lijst, Qt.Key.Key_Delete)
    ((title, text),) = messages.shown
    assert title == "Bijlage verwijderen" and "'reflectie.txt'" in text
    assert veld.lijst.count() == 1 and len(window.session.store.bijlagen.van_verslag(verslag_id)) == 1
    messages.answer = YES
    with qtbot.waitSignal(veld.changed):
        qtbot.mouseClick(veld.verwijderen_knop, Qt.MouseButton.LeftButton)
    assert veld.lijst.count() == 0 and veld.value() is None
    assert window.session.store.bijlagen.van_verslag(verslag_id) == []
    assert window.session.store.verslagen.get(verslag_id).antwoord(VELD) is None


def test_fixed_it_only_opens(qtbot: Any, monkeypatch: pytest.MonkeyPatch, veld: BijlageVeld,
                             documenten: Path) -> None:
    path = documenten / "reflectie.txt"
    path.write_text("Wat ik leerde.", encoding="utf-8")
    _voeg_toe(qtbot, monkeypatch, veld, path)
    veld.set_fixed(True)
    assert not veld.toevoegen_knop.isEnabled() and not veld.verwijderen_knop.isEnabled()
    assert veld.openen_knop.isEnabled() and veld.lijst.isEnabled()
    assert veld.verwijderen() is False and veld.lijst.count() == 1
    opener = Opener(monkeypatch)
    veld.lijst.setFocus()
    qtbot.keyClick(veld.lijst, Qt.Key.Key_Return)  # Enter opens, as Openen… does
    assert len(opener.urls) == 1


def test_buttons_have_their_own_keys(veld: BijlageVeld) -> None:
    texts = [veld.toevoegen_knop.text(), veld.openen_knop.text(), veld.verwijderen_knop.text()]
    assert texts == ["Bestand &toevoegen…", "O&penen…", "Ver&wijderen…"]
    for knop in (veld.toevoegen_knop, veld.openen_knop, veld.verwijderen_knop):
        assert knop.focusPolicy() & Qt.FocusPolicy.TabFocus


# ---- opening: a copy outside the store ---------------------------------------------------------------------------


def test_the_warning_comes_before_anything_is_written(qtbot: Any, monkeypatch: pytest.MonkeyPatch, window: Any,
                                                      veld: BijlageVeld, documenten: Path) -> None:
    path = documenten / "reflectie.pdf"
    path.write_bytes(pdf_bytes())
    _voeg_toe(qtbot, monkeypatch, veld, path)
    opener = Opener(monkeypatch, answer=NO)
    qtbot.mouseClick(veld.openen_knop, Qt.MouseButton.LeftButton)
    ((title, text, toen),) = opener.warnings
    assert title == "Kopie buiten de versleutelde opslag"
    assert "'reflectie.pdf'" in text and str(paths.tijdelijke_bijlagen()) in text
    assert "niet versleuteld" in text and "vergrendelt" in text and "volgende start" in text
    assert toen == [] and _bestanden() == [] and opener.urls == []  # declined: nothing written, nothing opened

    opener.answer = YES
    qtbot.mouseClick(veld.openen_knop, Qt.MouseButton.LeftButton)
    assert opener.warnings[1][2] == []  # asked again, and again before writing
    (kopie,) = opener.urls
    assert kopie.name == f"bijlage-{kopie.name.split('-')[1].split('.')[0]}.pdf" and "reflectie" not in kopie.name
    assert kopie.read_bytes() == path.read_bytes()
    assert paths.tijdelijke_bijlagen() in kopie.parents
    assert not kopie.stat().st_mode & stat.S_IWUSR  # read-only


def test_every_copy_is_removed_on_lock(qtbot: Any, monkeypatch: pytest.MonkeyPatch, window: Any,
                                       veld: BijlageVeld, documenten: Path) -> None:
    for naam in ("reflectie.txt", "CON.txt"):
        (documenten / naam).write_text(f"Tekst van {naam}", encoding="utf-8")
        _voeg_toe(qtbot, monkeypatch, veld, documenten / naam)
    opener = Opener(monkeypatch)
    for row in (0, 1, 0):  # the same file twice: two copies side by side
        veld.lijst.setCurrentRow(row)
        veld.openen()
    # Neutral names: the original (often naming the aios) stays in the store, out of Word's recent files.
    assert [p.name for p in opener.urls] == ["bijlage-1.txt", "bijlage-2.txt", "bijlage-1.txt"]
    assert len(set(opener.urls)) == 3 and all(p.exists() for p in opener.urls)
    window.session.lock()
    assert _bestanden() == [] and list(paths.tijdelijke_bijlagen().iterdir()) == []


def test_every_copy_is_removed_on_close(monkeypatch: pytest.MonkeyPatch, window: Any, verslag_id: int) -> None:
    store = window.session.store
    bijlage_id = store.bijlagen.toevoegen(verslag_id, VELD, "a.txt", b"tekst", auteur=AUTEUR).created
    opener = Opener(monkeypatch)
    open_bijlage(window, window.session, bijlage_id)
    assert opener.urls[0].exists()
    window.close()
    assert _bestanden() == []


def test_a_copy_windows_holds_open_is_removed_at_the_next_start(
        qtbot: Any, monkeypatch: pytest.MonkeyPatch, window: Any, verslag_id: int, controller: Controller) -> None:
    store = window.session.store
    bijlage_id = store.bijlagen.toevoegen(verslag_id, VELD, "reflectie.txt", b"tekst", auteur=AUTEUR).created
    opener = Opener(monkeypatch)
    open_bijlage(window, window.session, bijlage_id)
    (kopie,) = opener.urls
    unlink = Path.unlink

    def held_open(self: Path, missing_ok: bool = False) -> None:
        if self == kopie:
            raise PermissionError(32, "Het proces heeft geen toegang tot het bestand", str(self))
        unlink(self, missing_ok=missing_ok)

    with monkeypatch.context() as m:
        m.setattr(Path, "unlink", held_open)
        window.session.lock()
        assert kopie.exists()
        assert kopieen(window.session).achtergebleven == [kopie]
        window.close()
    assert kopie.exists()

    # The next start: the copy goes at once, before the wachtwoord is even asked.
    controller.start(str(window.session.path), demo=False, demo_if_new=False)
    assert controller.unlock is not None and controller.unlock.isVisible()
    assert not kopie.exists() and list(paths.tijdelijke_bijlagen().iterdir()) == []


def test_the_sweep_leaves_the_copies_of_a_running_app_alone() -> None:
    base = paths.tijdelijke_bijlagen()
    (base / "levend" / "1").mkdir(parents=True)
    (base / "levend" / "1" / "open.txt").write_text("in gebruik", encoding="utf-8")
    (base / "dood" / "1").mkdir(parents=True)
    (base / "dood" / "1" / "oud.txt").write_text("van een crash", encoding="utf-8")
    (base / "los.lock").write_text("", encoding="utf-8")
    lock = QLockFile(str(base / "levend.lock"))
    assert lock.tryLock(0)  # held by this (running) process, as by another app's session
    try:
        assert ruim_achtergebleven_kopieen_op() == []
        assert sorted(p.name for p in base.iterdir()) == ["levend", "levend.lock"]
    finally:
        lock.unlock()
    ruim_achtergebleven_kopieen_op()
    assert list(base.iterdir()) == []


@pytest.mark.parametrize(("naam", "veilig"), [
    ("reflectie.docx", "reflectie.docx"),
    ("CON.txt", "_CON.txt"),
    ("con .txt", "_con .txt"),
    ("com1.tar.gz", "_com1.tar.gz"),
    ("LPT9.pdf", "_LPT9.pdf"),
    ("CONSOLE.txt", "CONSOLE.txt"),
    ('a<b>:c"d|e?f*g.txt', "a_b__c_d_e_f_g.txt"),
    ("naam. . .", "naam"),
    (".txt", "bijlage.txt"),
    ("", "bijlage"),
    ("verslag\ufffd van Noor.odt", "verslag\ufffd van Noor.odt"),
])
def test_a_copy_gets_a_name_windows_accepts(naam: str, veilig: str) -> None:
    assert veilige_bestandsnaam(naam) == veilig


def test_a_long_name_is_shortened_keeping_its_extension() -> None:
    veilig = veilige_bestandsnaam("Reflectieverslag over de periode in de praktijk " * 5 + ".docx")
    assert len(veilig) <= 80 and veilig.endswith(".docx")


# ---- in the wizard and the read-only view ----------------------------------------------------------------------


def test_in_the_wizard_the_answer_is_saved_and_sealed(qtbot: Any, monkeypatch: pytest.MonkeyPatch, window: Any,
                                                      verslag_id: int, documenten: Path) -> None:
    wizard = wizard_module.open_verslag(window, window.session, verslag_id)
    assert isinstance(wizard, wizard_module.GesprekWizard)
    qtbot.waitExposed(wizard)
    veld = wizard.widgets[VELD]
    assert isinstance(veld, BijlageVeld)
    path = documenten / "reflectie.odt"
    path.write_bytes(odt_bytes())
    wizard._go_to(wizard.formulier.pagina_van(VELD))
    _voeg_toe(qtbot, monkeypatch, veld, path)
    qtbot.waitUntil(lambda: not wizard.dirty)
    store = window.session.store
    assert store.verslagen.get(verslag_id).antwoord(VELD) == veld.value()
    monkeypatch.setattr(QMessageBox, "question", staticmethod(lambda *a, **k: YES))
    wizard.afronden()
    verslag = store.verslagen.get(verslag_id)
    assert verslag.definitief
    (v,) = verwijzingen(verslag.antwoord(VELD))
    assert v.naam == "reflectie.odt" and v.sha256 == store.bijlagen.get(v.bijlage).sha256


def test_the_read_only_view_lists_and_opens_each_file(qtbot: Any, monkeypatch: pytest.MonkeyPatch, window: Any,
                                                     verslag_id: int) -> None:
    store = window.session.store
    bijlage_id = store.bijlagen.toevoegen(verslag_id, VELD, "Reflectie <Noor>.txt", b"tekst", auteur=AUTEUR).created
    sha = store.bijlagen.get(bijlage_id).sha256
    view = VerslagLezen(window.session, verslag_id, window)
    qtbot.addWidget(view)
    html = view.tekst.toHtml()
    assert "Reflectie &lt;Noor&gt;.txt" in html and "Openen…" in html and f"bijlage:{bijlage_id}:{sha}" in html
    opener = Opener(monkeypatch)
    view._link(QUrl(f"bijlage:{bijlage_id}:{sha}"))
    assert len(opener.warnings) == 1 and [p.read_bytes() for p in opener.urls] == [b"tekst"]
    # A file that is not the one the verslag names is not opened.
    view._link(QUrl(f"bijlage:{bijlage_id}:{'0' * 64}"))
    assert len(opener.urls) == 1
