"""Shared for the document tests: a demo ronde with names outside Latin-1, solved and explained, and a way to read
a PDF's text back."""

from __future__ import annotations

import dataclasses
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest

from ontkoppel_desktop.core.koppelplanner import Koppelplanner, Ronde, Uitleg, Uitslag
from ontkoppel_desktop.demo.rondes import maak_demo_ronde


@dataclass(frozen=True)
class Opgelost:
    ronde: Ronde
    uitslag: Uitslag
    uitleg: Uitleg


def _with_dutch_names(ronde: Ronde) -> Ronde:
    """The demo's names are ASCII; real lists are not. Put in a dotless ı (Yılmaz) and an Ö (Öztürk), which
    reportlab's built-in Helvetica cannot print."""
    aios = list(ronde.aios)
    aios[0] = dataclasses.replace(aios[0], naam="Emre Yılmaz")
    opleiders = list(ronde.opleiders)
    opleiders[0] = dataclasses.replace(opleiders[0], naam="Aylin Öztürk")
    return dataclasses.replace(ronde, aios=tuple(aios), opleiders=tuple(opleiders))


def solve(ronde: Ronde) -> Opgelost:
    planner = Koppelplanner(ronde)
    uitslag = planner.optimum
    return Opgelost(ronde, uitslag, planner.explain(uitslag))


@pytest.fixture(scope="session")
def krap() -> Opgelost:
    """Fewer places than aios: some aios stay ongekoppeld; the ronde also has a vastzetting and an afwijzing."""
    opgelost = solve(_with_dutch_names(maak_demo_ronde(aantal_aios=40, aantal_opleiders=30)))
    assert opgelost.uitslag.ongekoppeld and opgelost.ronde.vastzettingen and opgelost.ronde.afwijzingen
    return opgelost


@pytest.fixture(scope="session")
def demo() -> Opgelost:
    """The standard demo ronde (60 aios, 80 opleiders), every aios gekoppeld."""
    return solve(_with_dutch_names(maak_demo_ronde()))


def pdf_pages(path: Path) -> list[str]:
    """The text of each page, whitespace collapsed. Skips the test when poppler's pdftotext is missing."""
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed: the PDF's text cannot be read back")
    result = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, check=True, text=True, encoding="utf-8"
    )
    pages = result.stdout.split("\f")
    if pages and not pages[-1].strip():
        pages.pop()
    return [" ".join(page.split()) for page in pages]
