"""Every file the app writes is written whole or not at all, and a target held by another program is said in
Dutch (Windows: Word, Excel or a virus scanner keeps it open)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from ontkoppel_desktop import atomic
from ontkoppel_desktop.atomic import BestandBezet, write_atomic, write_atomic_with


def test_writes_whole_and_leaves_no_temporary_file(tmp_path: Path) -> None:
    target = tmp_path / "uitslag.pdf"
    target.write_bytes(b"oud")
    write_atomic(target, b"nieuw")
    assert target.read_bytes() == b"nieuw"
    assert [p.name for p in tmp_path.iterdir()] == ["uitslag.pdf"]


def test_a_failing_writer_leaves_the_old_file(tmp_path: Path) -> None:
    target = tmp_path / "ronde.xlsx"
    target.write_bytes(b"oud")

    def half(tmp: Path) -> None:
        tmp.write_bytes(b"half")
        raise OSError("schijf vol")

    with pytest.raises(OSError):
        write_atomic_with(target, half)
    assert target.read_bytes() == b"oud" and [p.name for p in tmp_path.iterdir()] == ["ronde.xlsx"]


def test_a_held_target_is_retried_then_explained(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "verslag.docx"
    target.write_bytes(b"oud")
    calls: list[int] = []
    real = os.replace

    def held(src: object, dst: object) -> None:
        calls.append(1)
        if len(calls) < 3:  # a virus scanner lets go after a moment
            raise PermissionError("in use")
        real(src, dst)  # type: ignore[arg-type]

    monkeypatch.setattr(atomic, "_PAUSE_S", 0.0)
    monkeypatch.setattr(os, "replace", held)
    write_atomic(target, b"nieuw")
    assert target.read_bytes() == b"nieuw" and len(calls) == 3

    monkeypatch.setattr(os, "replace", lambda *a: (_ for _ in ()).throw(PermissionError("in use")))
    with pytest.raises(BestandBezet, match="verslag.docx is geopend in een ander programma.*Sluit"):
        write_atomic(target, b"nog nieuwer")
    assert target.read_bytes() == b"nieuw" and [p.name for p in tmp_path.iterdir()] == ["verslag.docx"]
