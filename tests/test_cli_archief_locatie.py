"""The archief command keeps the app's rule on where a store may live (issue 12, defect 8): a store on a network
folder is refused with one Dutch line and exit code 1, before the wachtwoord is asked; a synced folder is warned
about on standard error and the export goes on."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from ontkoppel_desktop import cli_archief, opslaglocatie
from ontkoppel_desktop.store.store import Store
from tests.conftest import FAST_KDF, WACHTWOORD


def _opslag(map_: Path) -> Path:
    map_.mkdir(parents=True, exist_ok=True)
    store = Store.create(map_ / "werk.okdb", WACHTWOORD, FAST_KDF).store
    store.close()
    return store.path


class _Invoer(io.StringIO):
    def __init__(self, tekst: str) -> None:
        super().__init__(tekst)
        self.gelezen = False

    def readline(self, *args: object) -> str:  # type: ignore[override]
        self.gelezen = True
        return super().readline()

    def isatty(self) -> bool:
        return False


def test_a_store_on_a_network_folder_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    opslag = _opslag(tmp_path / "nas")
    monkeypatch.setattr(opslaglocatie, "systeem_mounts",
                        lambda: f"/dev/vda / ext4 rw 0 0\nserver:/export {tmp_path / 'nas'} nfs4 rw 0 0\n")
    voor = {p.name: p.read_bytes() for p in opslag.parent.iterdir()}
    out, err, stdin = io.StringIO(), io.StringIO(), _Invoer(WACHTWOORD + "\n")
    code = cli_archief.run([str(opslag), "--naar", str(tmp_path / "archief")], out, err, stdin)
    assert code == cli_archief.EXIT_OPSLAG == 1
    regels = err.getvalue().splitlines()
    assert len(regels) == 1, err.getvalue()
    assert regels[0].startswith(f"Fout: de opslag {opslag} is niet geopend. De map {opslag.parent} staat op een "
                                "netwerkkoppeling (nfs4")
    assert "WAL" in regels[0] and "Traceback" not in err.getvalue()
    assert out.getvalue() == ""
    assert not stdin.gelezen, "refused before the wachtwoord is asked"
    assert not (tmp_path / "archief").exists()
    assert {p.name: p.read_bytes() for p in opslag.parent.iterdir()} == voor


def test_a_store_in_a_synced_folder_is_warned_about_and_exported(tmp_path: Path,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    opslag = _opslag(tmp_path / "Dropbox" / "Opleiding")
    monkeypatch.setattr(opslaglocatie, "systeem_mounts", lambda: "/dev/vda / ext4 rw 0 0\n")
    out, err = io.StringIO(), io.StringIO()
    code = cli_archief.run([str(opslag), "--naar", str(tmp_path / "archief")], out, err,
                           _Invoer(WACHTWOORD + "\n"))
    assert code == cli_archief.EXIT_OK, err.getvalue()
    assert err.getvalue().startswith("Let op: De map ") and "gesynchroniseerd door Dropbox" in err.getvalue()
    assert "Geen definitieve verslagen" in out.getvalue()
