"""Where the app keeps its files. One module, so tests and portable installs can redirect everything.

ONTKOPPEL_HOME, when set, replaces the per-user folders: settings, the demo store and logs all go below it
(the same idea as Anki's ANKI_BASE and Picard's PICARD_CONFIG_DIR).
"""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

APP_DIR_NAME = "OntkoppelDesktop"
HOME_ENV = "ONTKOPPEL_HOME"

STORE_SUFFIX = ".okdb"
# The wrapped data keys travel beside the store; see store/keys.py for why they are not inside it.
KEYS_SUFFIX = ".sleutel"
LOCK_SUFFIX = ".lock"


def _base() -> Path | None:
    value = os.environ.get(HOME_ENV)
    return Path(value) if value else None


def config_dir() -> Path:
    base = _base()
    path = base / "config" if base else Path(platformdirs.user_config_dir(APP_DIR_NAME, appauthor=False))
    path.mkdir(parents=True, exist_ok=True)
    return path


def data_dir() -> Path:
    base = _base()
    path = base / "data" if base else Path(platformdirs.user_data_dir(APP_DIR_NAME, appauthor=False))
    path.mkdir(parents=True, exist_ok=True)
    return path


def documents_dir() -> Path:
    """Default folder offered for new stores and exports: the user's documents folder."""
    base = _base()
    return base / "documenten" if base else Path(platformdirs.user_documents_dir())


def settings_file() -> Path:
    return config_dir() / "instellingen.json"


def tijdelijke_bijlagen() -> Path:
    """Where an opened bijlage's copy lives while another program shows it (ui/verslagen/bijlage_openen.py
    removes it on lock and close, and sweeps it at the next start).

    Under the app's own data folder, not the OS temp folder: on Windows that is %LOCALAPPDATA%, which belongs to
    the user alone and is neither roamed to a server nor synced by OneDrive (Documents and the Desktop can be);
    on Linux /tmp is shared by every user, where a predictable name can be taken over by another one. The folder
    is also fixed, so the next start finds what a crash or a file Word still held left behind. Owner-only on
    POSIX: a home folder is often readable by others.
    """
    path = data_dir() / "geopende-bijlagen"
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    if os.name == "posix":
        path.chmod(0o700)
    return path


def demo_store() -> Path:
    return data_dir() / f"demo{STORE_SUFFIX}"


def keys_file_for(store: Path) -> Path:
    return store.with_name(store.name + KEYS_SUFFIX)


def lock_file_for(store: Path) -> Path:
    return store.with_name(store.name + LOCK_SUFFIX)
