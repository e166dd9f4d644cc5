"""The arrows point one way: ui -> store/documents -> core. Importing the lower layers loads no Qt."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import ontkoppel_desktop

PACKAGE = Path(ontkoppel_desktop.__file__).parent


def _modules(layer: str) -> list[str]:
    return [
        "ontkoppel_desktop." + ".".join(p.relative_to(PACKAGE).with_suffix("").parts).removesuffix(".__init__")
        for p in (PACKAGE / layer).rglob("*.py")
    ]


def test_core_store_documents_and_headless_commands_do_not_load_qt() -> None:
    modules = [m for layer in ("core", "store", "documents", "exchange", "instituut") for m in _modules(layer)]
    modules += ["ontkoppel_desktop.demo.opslag", "ontkoppel_desktop.demo.trajecten", "ontkoppel_desktop.demo.rondes",
                "ontkoppel_desktop.demo.gedeeld",
                "ontkoppel_desktop.selftest", "ontkoppel_desktop.settings",
                "ontkoppel_desktop.paths", "ontkoppel_desktop.opslaglocatie", "ontkoppel_desktop.__main__"]
    assert len(modules) > 8
    code = (
        "import importlib, sys\n"
        f"for m in {modules!r}:\n"
        "    importlib.import_module(m)\n"
        "bad = sorted(m for m in sys.modules if m.startswith(('PySide6', 'shiboken6')))\n"
        "print(bad)\n"
        "sys.exit(1 if bad else 0)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_core_uses_no_sql_driver() -> None:
    for path in (PACKAGE / "core").rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        assert "import sqlcipher3" not in text and "import sqlite3" not in text, path


def test_the_screens_load_no_document_renderer() -> None:
    """The warm-up thread imports the first screens while the user types the wachtwoord (ui/app.warm_up); the
    renderers' C extensions (reportlab, lxml, PIL) must not load there beside the main thread: they load when a
    document is first made."""
    code = (
        "import sys\n"
        "import ontkoppel_desktop.ui.main_window, ontkoppel_desktop.ui.trajecten.view\n"
        "import ontkoppel_desktop.ui.taken.view, ontkoppel_desktop.ui.personen.view\n"
        "heavy = [m for m in ('reportlab', 'docx', 'lxml', 'PIL', 'pypdfium2', 'bidi') if m in sys.modules]\n"
        "print(','.join(heavy))\n"
    )
    import os
    import subprocess
    import sys

    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                            env=dict(os.environ, QT_QPA_PLATFORM="offscreen"))
    assert result.stdout.strip() == ""
