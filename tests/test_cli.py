"""The headless commands, run as IT and the installer run them: a separate process, no display."""

from __future__ import annotations

import os
import subprocess
import sys

from ontkoppel_desktop import __version__


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    return subprocess.run([sys.executable, "-m", "ontkoppel_desktop", *args], capture_output=True, text=True,
                          env=env, timeout=120)


def test_version() -> None:
    result = _run("--version")
    assert result.returncode == 0
    assert result.stdout.strip() == f"Ontkoppel Desktop {__version__}"


def test_self_test_passes_without_a_display() -> None:
    result = _run("--self-test")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Zelftest geslaagd" in result.stdout


def test_self_test_fails_loudly_when_encryption_is_broken(monkeypatch: object) -> None:
    # Same process: break the key so the store is written unencrypted, and the self-test must notice.
    from ontkoppel_desktop import selftest
    from ontkoppel_desktop.store import database

    messages: list[str] = []
    original = database.sqlcipher_raw_key
    database.sqlcipher_raw_key = lambda key: ""  # type: ignore[assignment]  # empty key: no encryption
    try:
        assert selftest.run(messages.append) == 1
    finally:
        database.sqlcipher_raw_key = original  # type: ignore[assignment]
    assert messages and messages[0].startswith("Zelftest mislukt")


def test_self_test_scan_finds_plaintext_sqlite(tmp_path: object) -> None:
    import sqlite3
    from pathlib import Path

    from ontkoppel_desktop import selftest

    folder = Path(str(tmp_path))
    conn = sqlite3.connect(folder / "plain.db")
    conn.execute("CREATE TABLE t (x)")
    conn.execute("INSERT INTO t VALUES ('MARKER-123')")
    conn.commit()
    conn.close()
    hits = selftest._files_containing(folder, [b"MARKER-123", b"CREATE TABLE"])
    assert hits == ["plain.db: MARKER-123", "plain.db: CREATE TABLE"]


def test_koppel_command_as_installed(tmp_path: object) -> None:
    """`ontkoppel-desktop koppel RONDE.xlsx --uitslag UITSLAG.xlsx`, as IT would script it."""
    from pathlib import Path

    import openpyxl

    from ontkoppel_desktop.demo.rondes import maak_demo_ronde
    from ontkoppel_desktop.exchange.ronde_schrijven import write_ronde

    folder = Path(str(tmp_path))
    ronde, uitslag = folder / "ronde.xlsx", folder / "uitslag.xlsx"
    write_ronde(ronde, maak_demo_ronde(aantal_aios=10, aantal_opleiders=12, seed=5))
    result = _run("koppel", str(ronde), "--uitslag", str(uitslag))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Gekoppeld" in result.stdout
    sheet = openpyxl.load_workbook(uitslag)["Uitslag"]
    header = [c.value for c in sheet[1]]
    assert header[:3] == ["aios", "opleider", "score"]
    assert sheet.max_row == 11
    bad = _run("koppel", str(folder / "bestaat-niet.xlsx"))
    assert bad.returncode != 0 and "bestaat niet" in (bad.stdout + bad.stderr)


def test_koppel_command_refuses_a_control_character_without_a_traceback(tmp_path: object) -> None:
    """Issue 12, defect 2, as the installed command runs: a Dutch problem with the row, no traceback, no name."""
    from pathlib import Path

    folder = Path(str(tmp_path)) / "ronde"
    folder.mkdir()
    (folder / "Aios.csv").write_text("id;naam;opleidingsjaar\nA1;Geheim\x00Naam\x1b;1\n", encoding="utf-8")
    (folder / "Opleiders.csv").write_text("id;naam;praktijk;status\nO1;Eva Kok;P;curriculum\n", encoding="utf-8")
    (folder / "Voorkeuren.csv").write_text("aios;opleider;score\nA1;O1;1\n", encoding="utf-8")
    result = _run("koppel", str(folder), "--uitslag", str(Path(str(tmp_path)) / "uitslag.xlsx"))
    assert result.returncode == 1, result.stderr
    assert "Blad Aios, rij 2, kolom naam: bevat een onzichtbaar stuurteken" in result.stderr
    assert "Traceback" not in result.stderr and "Geheim" not in result.stdout + result.stderr
