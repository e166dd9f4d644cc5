"""The standaardberichten as files: the bundled templates copied into the institute's own folder as a start, and
an e-mail draft (.eml) written whole. Beside core.berichten, which reads and fills the templates and writes
nothing."""

from __future__ import annotations

from importlib.abc import Traversable
from pathlib import Path

from ontkoppel_desktop.atomic import write_atomic
from ontkoppel_desktop.core.berichten import Bericht, bundled_map, eml_bytes
from ontkoppel_desktop.core.procedure.definition import ProcedureDefinition


def kopieer_standaard(definition: ProcedureDefinition, naar: Path, *,
                      root: Traversable | Path | None = None) -> tuple[list[str], list[str]]:
    """Copy the bundled templates (and their README) into the institute's folder as a start: (copied, kept).
    A file that is already there is kept as it is, never overwritten."""
    naar.mkdir(parents=True, exist_ok=True)
    folder = bundled_map(definition, root)
    gekopieerd: list[str] = []
    behouden: list[str] = []
    for path in sorted(folder.iterdir(), key=lambda p: p.name) if folder.is_dir() else ():
        if not (path.is_file() and path.name.endswith((".toml", ".md"))):
            continue
        target = naar / path.name
        if target.exists():
            behouden.append(path.name)
            continue
        write_atomic(target, path.read_bytes())
        gekopieerd.append(path.name)
    return gekopieerd, behouden


def schrijf_eml(path: Path, bericht: Bericht, *, onderwerp: str | None = None, tekst: str | None = None) -> None:
    """Write the e-mail draft whole or not at all."""
    write_atomic(path, eml_bytes(bericht, onderwerp=onderwerp, tekst=tekst))


__all__ = ["kopieer_standaard", "schrijf_eml"]
