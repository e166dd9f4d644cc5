"""No confidential text on disk in plain form (issue 12: the plaintext scan). A marker goes into every kind of
record, through the services and through the gesprek wizard; then every file the app wrote is searched for it:
the store, its -wal and -shm, the key file and its temporary files, the back-ups (made by hand and automatic), the
settings folder and the new files in the temp folder, while the store is open (the WAL not yet checkpointed) and
after it is closed.

Only a document the user explicitly exports may hold plain text; these tests export nothing.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import tempfile
import zipfile
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QMessageBox, QWizard

from ontkoppel_desktop import paths
from ontkoppel_desktop.settings import Settings
from ontkoppel_desktop.store.rondes import SqlRondeRepository, ronde_to_json
from ontkoppel_desktop.store.store import Store
from tests.conftest import FAST_KDF, WACHTWOORD
from tests.faults.crash_child import ANDER_WACHTWOORD, observe, write_cases
from tests.gui.conftest import Messages, open_main_window
from tests.verslagen.conftest import AUTEUR, maak_traject

MARKER = "ZQXJMARKER"
# Every text a Case writes, by what it is (Case.tag): the scan names the kind a hit belongs to.
KINDS = (
    "praktijk", "plaats", "docenthuisarts", "docenthuisartsemail", "docentgedrag", "groep", "medewerker",
    "medewerkeremail", "aios", "aiosvoornaam", "aiosemail", "opleider", "opleideremail", "gebruiker", "omschrijving",
    "notitie", "driehoeknotitie", "uitkomst", "door", "besluittoelichting", "auteur", "conceptplaats", "aanleiding",
    "perspectiefaios", "verslagplaats", "eigenrol", "beleving", "leerpunten", "aandachtspuntenaios", "toelichting",
    "bijlagenaam", "bijlage", "motivatie", "ronde", "rondeaios", "rondeopleider", "rondepraktijk", "uitzondering",
)


# ---- the scan -------------------------------------------------------------------------------------------------

_NEEDLES = tuple(MARKER.lower().encode(encoding) for encoding in ("utf-8", "utf-16-le", "utf-16-be"))
_CHUNK = 4 * 1024 * 1024


def _hits_in(data: bytes) -> bool:
    # Lowered on both sides: any mix of upper and lower case (ASCII, so also in UTF-16).
    lowered = data.lower()
    return any(needle in lowered for needle in _NEEDLES)


def _context(data: bytes) -> str:
    lowered = data.lower()
    for needle in _NEEDLES:
        at = lowered.find(needle)
        if at >= 0:
            return repr(data[at: at + len(needle) + 40])
    return ""


def scan_file(path: Path) -> str | None:
    """Where in `path` the marker is in plain form (as UTF-8 or UTF-16, any case, also inside a zip), or None."""
    try:
        with open(path, "rb") as handle:
            head = handle.read(4)
            handle.seek(0)
            tail = b""
            while chunk := handle.read(_CHUNK):
                window = tail + chunk
                if _hits_in(window):
                    return _context(window)
                tail = window[-64:]
            if head == b"PK\x03\x04":
                handle.seek(0)
                return _scan_zip(handle.read())
    except (FileNotFoundError, PermissionError, IsADirectoryError):
        return None  # gone or not ours: another process's temp file
    return None


def _scan_zip(data: bytes) -> str | None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            for info in zf.infolist():
                inner = zf.read(info)
                if _hits_in(inner):
                    return f"in {info.filename}: {_context(inner)}"
    except (zipfile.BadZipFile, OSError, ValueError):
        return None
    return None


def _files(folder: Path) -> Iterator[Path]:
    for root, _, names in os.walk(folder, onerror=lambda _: None):
        for name in names:
            path = Path(root) / name
            if not path.is_symlink() and path.is_file():
                yield path


def snapshot(folder: Path) -> dict[Path, tuple[int, int]]:
    out = {}
    for path in _files(folder):
        try:
            st = path.stat()
        except OSError:
            continue
        out[path] = (st.st_mtime_ns, st.st_size)
    return out


def changed_since(before: dict[Path, tuple[int, int]], folder: Path) -> list[Path]:
    return [p for p, stamp in snapshot(folder).items() if before.get(p) != stamp]


def scan(folders: Iterable[Path], files: Iterable[Path] = ()) -> tuple[list[str], int]:
    """Every hit as "file: context", and how many files were read."""
    seen: set[Path] = set()
    hits = []
    for path in [*(f for folder in folders for f in _files(folder)), *files]:
        if path in seen:
            continue
        seen.add(path)
        found = scan_file(path)
        if found is not None:
            hits.append(f"{path}: {found}")
    return hits, len(seen)


class Disk:
    """The folders the app writes to in a test, and the temp folder's files from before it."""

    def __init__(self, folders: list[Path]) -> None:
        self.folders = folders
        self.temp = Path(tempfile.gettempdir())
        self.temp_before = snapshot(self.temp)

    def scan(self) -> tuple[list[str], int]:
        return scan(self.folders, changed_since(self.temp_before, self.temp))


# ---- the scanner itself finds what it looks for ---------------------------------------------------------------


def test_the_scan_finds_the_marker_in_every_form(tmp_path: Path) -> None:
    forms = {
        "utf8.txt": f"xx {MARKER}aios yy".encode(),
        "lower.txt": f"{MARKER.lower()}".encode(),
        "mixed.txt": b"zQxJmArKeR",
        "utf16.txt": f"naam: {MARKER}".encode("utf-16-le"),
        "utf16be.txt": MARKER.title().encode("utf-16-be"),
        "gezipt.docx": _zipped(f"<w:t>{MARKER}</w:t>".encode()),
    }
    for name, data in forms.items():
        (tmp_path / name).write_bytes(b"\x00" * (_CHUNK - 8) + data if name == "utf8.txt" else data)
    (tmp_path / "schoon.bin").write_bytes(os.urandom(4096))
    hits, read = scan([tmp_path])
    assert read == len(forms) + 1
    assert sorted(Path(h.split(": ", 1)[0]).name for h in hits) == sorted(forms), hits


def _zipped(data: bytes) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("word/document.xml", data)
    return buffer.getvalue()


# ---- every kind of record, through the services ---------------------------------------------------------------


def test_no_marker_in_any_file_while_open_and_after_close(tmp_path: Path, ontkoppel_home: Path) -> None:
    folder, backups = tmp_path / "opslag", tmp_path / "back-ups"
    backups.mkdir()
    disk = Disk([folder, backups, ontkoppel_home])
    store = Store.create(folder / "werk.okdb", WACHTWOORD, FAST_KDF).store
    write_cases(store, MARKER, 2)
    settings = Settings.load()
    settings.remember_store(store.path)
    settings.gebruikersnaam = AUTEUR  # the user's own name, a setting by design; not a record of anyone
    settings.save()
    backup = store.backup(backups / "kopie.okdb")
    automatic = store.backup_taak(backups / "automatisch")().path  # as the app runs it, on close and daily
    store.change_wachtwoord(ANDER_WACHTWOORD, huidig=WACHTWOORD, kdf=FAST_KDF)
    write_cases(store, MARKER, 3)  # after the back-up and the change, so the WAL holds new pages

    # Everything went in: the decrypted store holds every kind of marked text, and so does the back-up.
    texts = _decrypted_texts(store)
    assert [k for k in KINDS if f"{MARKER}0001{k}" not in texts] == []
    assert _in_backup(backup, f"{MARKER}0002aios") and _in_backup(automatic, f"{MARKER}0002aios")

    wal = store.path.with_name(store.path.name + "-wal")
    assert wal.stat().st_size > 0, "the scan while open covers a WAL with pages not yet checkpointed"
    hits, read = disk.scan()
    assert hits == [], f"plain text on disk while the store is open ({read} files read):\n" + "\n".join(hits)
    assert read >= 6  # store, -wal, -shm, key file, back-up and its key file, settings

    store.close()
    hits, read = disk.scan()
    assert hits == [], f"plain text on disk after closing ({read} files read):\n" + "\n".join(hits)
    assert sorted(p.name for p in folder.iterdir()) == ["werk.okdb", "werk.okdb.sleutel"]


def _decrypted_texts(store: Store) -> str:
    """What the store holds, read through it: every record (the rondes whole; observe() has their hash)."""
    rondes = SqlRondeRepository(store.conn)
    return " ".join([*observe(store).values(), *(ronde_to_json(rondes.get(r.id)[0]) for r in rondes.list())])


def _in_backup(backup: Path, text: str) -> bool:
    copy = Store.open(backup, WACHTWOORD)
    try:
        return text in _decrypted_texts(copy)
    finally:
        copy.close()


# ---- through the GUI: the concept saved as it is typed, and the wizard's own write ------------------------------


@pytest.mark.gui
def test_no_marker_in_any_file_after_the_wizard_wrote(qtbot: Any, tmp_path: Path, ontkoppel_home: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    messages = Messages()
    for kind in ("warning", "information", "critical", "question"):
        monkeypatch.setattr(QMessageBox, kind, staticmethod(messages.record(kind)))
    folder = tmp_path / "opslag"
    disk = Disk([folder, ontkoppel_home])
    store = Store.create(folder / "werk.okdb", WACHTWOORD, FAST_KDF).store
    write_cases(store, MARKER, 1)  # on screen in Personen, Trajecten and Verslagen
    traject_id = maak_traject(store)
    store.close()
    settings = Settings.load()
    settings.remember_store(store.path)
    settings.save()

    from ontkoppel_desktop.ui.verslagen.wizard import GesprekWizard, start_gesprek

    window = open_main_window(qtbot, store.path, gebruikersnaam=AUTEUR)
    wizard = start_gesprek(window, window.session, traject_id, "driehoeksgesprek")
    assert isinstance(wizard, GesprekWizard)
    qtbot.waitExposed(wizard)
    service = window.session.store.verslagen
    gesprek = dt.date.today() - dt.timedelta(days=7)
    wizard.widgets["datum"].edit.setDate(QDate(gesprek.year, gesprek.month, gesprek.day))  # type: ignore[attr-defined]
    _type(qtbot, wizard, "plaats", f"{MARKER}guiplaats")
    qtbot.waitUntil(lambda: "plaats" in service.get(wizard.verslag_id).antwoorden, timeout=3000)
    for pagina in (["aanleiding"], ["perspectief_aios", "perspectief_opleider"], ["afspraken"]):
        _next(qtbot, wizard)
        for veld in pagina:
            _type(qtbot, wizard, veld, f"{MARKER}gui{veld}")
    _next(qtbot, wizard)
    buttons = wizard.widgets["uitkomst"].buttons  # type: ignore[attr-defined]
    buttons[0].click()
    _type(qtbot, wizard, "aandachtspunten", f"{MARKER}guiaandachtspunten")
    qtbot.waitUntil(lambda: "aandachtspunten" in service.get(wizard.verslag_id).antwoorden, timeout=3000)
    assert service.get(wizard.verslag_id).antwoorden["aanleiding"] == f"{MARKER}guiaanleiding", "autosaved"

    hits, read = disk.scan()
    assert hits == [], f"plain text on disk while the concept is being typed ({read} files):\n" + "\n".join(hits)

    qtbot.mouseClick(wizard.button(QWizard.WizardButton.FinishButton), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not wizard.isVisible(), timeout=5000)
    verslag = service.get(wizard.verslag_id)
    assert verslag.voltooid, messages.shown
    events = window.session.store.trajecten.get(traject_id).events
    assert any(e.text("aandachtspunten") == f"{MARKER}guiaandachtspunten" for e in events), "the wizard wrote"
    hits, read = disk.scan()
    assert hits == [], f"plain text on disk after the wizard wrote ({read} files):\n" + "\n".join(hits)

    window.session.lock()
    window.close()
    assert paths.settings_file().exists()
    hits, read = disk.scan()
    assert hits == [], f"plain text on disk after closing the app ({read} files):\n" + "\n".join(hits)


def _type(qtbot: Any, wizard: Any, veld: str, text: str) -> None:
    target = wizard.widgets[veld].focus_widget()
    target.setFocus()
    qtbot.keyClicks(target, text)


def _next(qtbot: Any, wizard: Any) -> None:
    before = wizard.currentId()
    qtbot.mouseClick(wizard.button(QWizard.WizardButton.NextButton), Qt.MouseButton.LeftButton)
    assert wizard.currentId() == before + 1
