"""File dialogs in Dutch that open where the user was last for the same purpose, else in the documents folder.

Windows shows its own dialog (in the language of Windows). Elsewhere Qt draws it, and Qt's Dutch translation
misses a few of its words ("Look in:", "Files of type:"): `install_woorden` adds them. The last folder per
purpose ("document", "ronde", "backup", …) is kept in a small file of its own beside the settings; a folder that no
longer exists falls back to the documents folder.
"""

from __future__ import annotations

import contextlib
import json
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QTranslator
from PySide6.QtWidgets import QFileDialog, QWidget

from ontkoppel_desktop import paths
from ontkoppel_desktop.atomic import write_atomic

# Words of the file dialog that Qt's own nl translation leaves in English (found by asking which sources the dialog
# translates, and which came back in English).
_WOORDEN = {
    ("QFileDialog", "&Look in:"): "&Zoeken in:",
    ("QFileDialog", "Files of &type:"): "Bestands&type:",
    ("QAbstractFileIconProvider", "Folder"): "Map",
    ("QAbstractFileIconProvider", "Drive"): "Station",
    ("QAbstractFileIconProvider", "File"): "Bestand",
}


class _Woorden(QTranslator):
    def translate(  # type: ignore[override]
        self, context: str, source: str, disambiguation: str | None = None, n: int = -1  # noqa: ARG002
    ) -> str | None:
        # None is Qt's null string, "not translated here": the next translator (Qt's own nl) is asked.
        return _WOORDEN.get((context, source))

    def isEmpty(self) -> bool:  # noqa: N802 (Qt API)
        return False


_geinstalleerd: list[QTranslator] = []


def install_woorden() -> None:
    """After Qt's own translators (ui/dutch.py): the last one installed is asked first."""
    app = QCoreApplication.instance()
    if app is None or _geinstalleerd:
        return
    translator = _Woorden(app)
    app.installTranslator(translator)
    _geinstalleerd.append(translator)


def _mappen_bestand() -> Path:
    # A file of its own, not a field of Settings: the app's Settings object lives as long as a session and is
    # saved at closing, which would write back the folders of when it was loaded.
    return paths.config_dir() / "laatste-mappen.json"


def _mappen() -> dict[str, str]:
    try:
        raw = json.loads(_mappen_bestand().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return {str(k): str(v) for k, v in raw.items()} if isinstance(raw, dict) else {}


def laatste_map(doel: str) -> str:
    """The folder last chosen for `doel` ("" when none)."""
    return _mappen().get(doel, "")


def _start(doel: str, naam: str = "") -> str:
    folder = laatste_map(doel)
    start = Path(folder) if folder and Path(folder).is_dir() else paths.documents_dir()
    return str(start / naam) if naam else str(start)


def _onthoud(doel: str, gekozen: Path) -> None:
    mappen = _mappen()
    mappen[doel] = str(gekozen if gekozen.is_dir() else gekozen.parent)
    with contextlib.suppress(OSError):  # comfort only: the next dialog opens in the documents folder
        write_atomic(_mappen_bestand(), json.dumps(mappen, indent=2, ensure_ascii=False).encode("utf-8"))


def opslaan(parent: QWidget | None, doel: str, titel: str, naam: str, filter_: str, extensie: str = "") -> Path | None:
    """Where to save; `extensie` is added when the user left it off."""
    name, _ = QFileDialog.getSaveFileName(parent, titel, _start(doel, naam), filter_)
    if not name:
        return None
    path = Path(name)
    if extensie and not path.name.lower().endswith(extensie.lower()):
        path = path.with_name(path.name + extensie)
    _onthoud(doel, path)
    return path


def openen(parent: QWidget | None, doel: str, titel: str, filter_: str) -> Path | None:
    name, _ = QFileDialog.getOpenFileName(parent, titel, _start(doel), filter_)
    if not name:
        return None
    _onthoud(doel, Path(name))
    return Path(name)


def kies_map(parent: QWidget | None, doel: str, titel: str, huidig: str = "") -> Path | None:
    folder = QFileDialog.getExistingDirectory(parent, titel, huidig or _start(doel))
    if not folder:
        return None
    _onthoud(doel, Path(folder))
    return Path(folder)


__all__ = ["install_woorden", "kies_map", "laatste_map", "openen", "opslaan"]
