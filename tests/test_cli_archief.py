"""`ontkoppel-desktop archief OPSLAG.okdb --naar MAP [--van DATUM] [--tot DATUM] [--word]` as a jaarassistent's
script runs it: a separate process without a display, the wachtwoord on standard input, Dutch messages and an
exit code that says what went wrong."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

import pytest

from ontkoppel_desktop.cli_archief import lees_datum
from ontkoppel_desktop.core.procedure.definition import VerslagBestemming
from ontkoppel_desktop.store.store import Store
from tests.conftest import FAST_KDF, WACHTWOORD
from tests.verslagen.conftest import AUTEUR, TODAY, maak_traject, schrijf_driehoek

AFGEROND = dt.datetime(2026, 9, 9, 10, tzinfo=dt.UTC)


def _run(*args: str, wachtwoord: str | None = WACHTWOORD) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    return subprocess.run([sys.executable, "-m", "ontkoppel_desktop", "archief", *args], capture_output=True,
                          text=True, env=env, timeout=120, input=None if wachtwoord is None else wachtwoord + "\n")


@pytest.fixture
def opslag(tmp_path: Path) -> Path:
    """A store with one definitief driehoeksgesprek, afgerond on 9 September 2026."""
    store = Store.create(tmp_path / "werk.okdb", WACHTWOORD, FAST_KDF).store
    traject_id = maak_traject(store)
    vid = schrijf_driehoek(store, traject_id, dt.date(2026, 9, 8))
    store.verslagen.afronden(vid, user=AUTEUR, today=TODAY, now=AFGEROND)
    store.close()
    return store.path


def test_the_export_with_the_wachtwoord_on_standard_input(opslag: Path, tmp_path: Path) -> None:
    naar = tmp_path / "archief"
    result = _run(str(opslag), "--naar", str(naar), "--van", "1-9-2026", "--tot", "2026-09-30", "--word")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "1 definitieve verslag afgerond van 01-09-2026 tot en met 30-09-2026: 4 bestanden" in result.stdout
    assert "[1/4] e-portfolio aios/2026-09-08 Driehoeksgesprek - Visser, Noor.pdf" in result.stdout
    assert "Klaar: 4 bestanden geschreven" in result.stdout and "vastgelegd als geëxporteerd" in result.stdout
    assert sorted(str(p.relative_to(naar)) for p in naar.rglob("*.*")) == [
        "dossier opleider/2026-09-08 Driehoeksgesprek - Smit, Eva.docx",
        "dossier opleider/2026-09-08 Driehoeksgesprek - Smit, Eva.pdf",
        "e-portfolio aios/2026-09-08 Driehoeksgesprek - Visser, Noor.docx",
        "e-portfolio aios/2026-09-08 Driehoeksgesprek - Visser, Noor.pdf",
    ]
    store = Store.open(opslag, WACHTWOORD)
    try:
        (verslag,) = [store.verslagen.get(r.id) for r in store.verslagen.overzicht(TODAY)]
        assert verslag.geexporteerd_op.keys() == {VerslagBestemming.E_PORTFOLIO, VerslagBestemming.DOSSIER_OPLEIDER}
        assert verslag.gearchiveerd_op == {}, "gearchiveerd stays for the jaarassistent to confirm"
    finally:
        store.close()


def test_a_period_without_verslagen_writes_nothing_and_succeeds(opslag: Path, tmp_path: Path) -> None:
    result = _run(str(opslag), "--naar", str(tmp_path / "archief"), "--van", "2026-10-01")
    assert result.returncode == 0, result.stderr
    assert "Geen definitieve verslagen afgerond vanaf 01-10-2026; er is niets geschreven." in result.stdout
    assert not (tmp_path / "archief").exists()


def test_a_wrong_wachtwoord(opslag: Path, tmp_path: Path) -> None:
    result = _run(str(opslag), "--naar", str(tmp_path / "archief"), wachtwoord="niet-het-wachtwoord")
    assert result.returncode == 1
    assert "Onjuist wachtwoord." in result.stderr and "Traceback" not in result.stderr
    assert not (tmp_path / "archief").exists()


def test_no_wachtwoord_on_standard_input(opslag: Path, tmp_path: Path) -> None:
    result = _run(str(opslag), "--naar", str(tmp_path / "archief"), wachtwoord="")
    assert result.returncode == 1 and "geen wachtwoord gegeven" in result.stderr


def test_a_bad_date_is_wrong_use(opslag: Path, tmp_path: Path) -> None:
    for datum, reden in (("31-2-2026", "'31-2-2026' is geen bestaande datum"),
                         ("september", "'september' is geen datum; schrijf bijvoorbeeld 2026-09-01 of 1-9-2026")):
        result = _run(str(opslag), "--naar", str(tmp_path / "archief"), "--tot", datum, wachtwoord=None)
        assert result.returncode == 2 and f"Fout: {reden}" in result.stderr, result.stderr
    result = _run(str(opslag), "--naar", str(tmp_path), "--van", "2026-10-01", "--tot", "2026-09-01")
    assert result.returncode == 2 and "--van (01-10-2026) ligt na --tot (01-09-2026)" in result.stderr
    result = _run(str(opslag), wachtwoord=None)
    assert result.returncode == 2 and "verplicht: --naar" in result.stderr


def test_a_folder_that_cannot_be_written(opslag: Path, tmp_path: Path) -> None:
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        naar = Path("/sys/ontkoppel-archief")  # root may write anywhere but here
    else:
        (tmp_path / "alleen-lezen").mkdir(mode=0o500)
        naar = tmp_path / "alleen-lezen" / "archief"
    result = _run(str(opslag), "--naar", str(naar))
    assert result.returncode == 3, result.stdout + result.stderr
    assert ": geen toegang" in result.stderr and "Er is nog geen bestand geschreven" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_store_that_is_not_there(tmp_path: Path) -> None:
    result = _run(str(tmp_path / "weg.okdb"), "--naar", str(tmp_path / "archief"), wachtwoord=None)
    assert result.returncode == 1 and "bestaat niet" in result.stderr


@pytest.mark.parametrize(("tekst", "datum"), [
    ("2026-09-01", dt.date(2026, 9, 1)), ("1-9-2026", dt.date(2026, 9, 1)), ("01/09/2026", dt.date(2026, 9, 1)),
    (" 30.11.2026 ", dt.date(2026, 11, 30)),
])
def test_dates_as_written_in_the_netherlands(tekst: str, datum: dt.date) -> None:
    assert lees_datum(tekst) == datum
