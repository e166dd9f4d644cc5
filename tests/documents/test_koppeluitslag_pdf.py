"""The uitslag of a koppelingsronde as PDF, per aios and per opleider: rendered from the demo ronde, read back
with pdftotext."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from ontkoppel_desktop.core.koppelplanner import (
    Aios,
    Bezoek,
    Koppelplanner,
    Opleider,
    OpleiderStatus,
    Ronde,
    Uitzondering,
)
from ontkoppel_desktop.core.koppelplanner.ronde import datum_nl
from ontkoppel_desktop.documents import Section
from ontkoppel_desktop.documents.koppeluitslag import Per, uitslag_document, write_uitslag_pdf
from ontkoppel_desktop.documents.model import Badge, Note, plain, walk
from tests.documents.conftest import Opgelost, pdf_pages

OPGESTELD = date(2026, 11, 23)
PERS: tuple[Per, ...] = ("aios", "opleider")


@pytest.fixture(scope="module")
def pdfs(krap: Opgelost, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("uitslag")
    paths: dict[str, Path] = {}
    for per in PERS:
        paths[per] = folder / f"uitslag per {per}.pdf"
        write_uitslag_pdf(paths[per], krap.ronde, krap.uitslag, krap.uitleg, per=per, opgesteld=OPGESTELD)
    return paths


def _details(pages: list[str], kop: str) -> str:
    """The text from the page where the per-aios or per-opleider blocks start."""
    start = next(i for i, page in enumerate(pages) if kop in page)
    return " ".join(pages[start:])


def test_both_variants_are_complete_pdfs_and_leave_no_temporary_file(pdfs: dict[str, Path]) -> None:
    for path in pdfs.values():
        data = path.read_bytes()
        assert data.startswith(b"%PDF-") and data.rstrip().endswith(b"%%EOF")
        # The bundled DejaVu Sans is embedded (Helvetica cannot print ı).
        assert b"DejaVuSans" in data and b"DejaVuSans-Bold" in data
    folder = next(iter(pdfs.values())).parent
    assert sorted(p.name for p in folder.iterdir()) == sorted(p.name for p in pdfs.values())


def test_names_outside_latin1_are_printed(pdfs: dict[str, Path]) -> None:
    for path in pdfs.values():
        text = " ".join(pdf_pages(path))
        assert "Emre Yılmaz" in text
        assert "Aylin Öztürk" in text


def test_every_page_has_the_footer_and_the_later_pages_the_header(pdfs: dict[str, Path]) -> None:
    for per, path in pdfs.items():
        pages = pdf_pages(path)
        assert len(pages) > 3
        for number, page in enumerate(pages, start=1):
            assert f"pagina {number} van {len(pages)}" in page, (per, number)
            assert "Vertrouwelijk" in page
            assert "Opgesteld op 23 november 2026" in page
            if number > 1:
                assert "Uitslag koppelingsronde Demo 1" in page and f"Uitslag per {per}" in page


def test_the_summary_page_tells_the_round_and_its_result(krap: Opgelost, pdfs: dict[str, Path]) -> None:
    uitleg = krap.uitleg
    planning = krap.ronde.planning
    assert planning is not None
    for path in pdfs.values():
        first = pdf_pages(path)[0]
        assert "Uitslag koppelingsronde Demo 1" in first
        assert datum_nl(planning.startdatum) == "1 maart 2027" and "1 maart 2027" in first
        assert "1 december 2026 t/m 10 januari 2027" in first
        assert "15 januari 2027" in first
        assert f"{uitleg.doelwaarde.gekoppeld} van {uitleg.aantal_aios}" in first
        assert f"{uitleg.voorrang_gevuld} van {uitleg.voorrang_totaal}" in first
        assert f"Totaalscore {uitleg.doelwaarde.totaalscore}" in first
        for keuze, aantal in uitleg.profiel:
            assert f"{keuze}e keuze {aantal} " in first


def test_the_aios_variant_has_every_aios_exactly_once(krap: Opgelost, pdfs: dict[str, Path]) -> None:
    document = uitslag_document(krap.ronde, krap.uitslag, krap.uitleg, per="aios", opgesteld=OPGESTELD)
    sections = [b for b in walk(document.blocks) if isinstance(b, Section)]
    assert [s.aside for s in sections] == [u.aios_id for u in krap.uitleg.per_aios]

    details = _details(pdf_pages(pdfs["aios"]), "Toelichting per aios")
    for aios in krap.ronde.aios:
        assert details.count(f"{aios.naam} {aios.id}") == 1, aios.wie


def test_an_unmatched_aios_shows_why(krap: Opgelost, pdfs: dict[str, Path]) -> None:
    details = _details(pdf_pages(pdfs["aios"]), "Toelichting per aios")
    titles = {a.id: f"{a.naam} {a.id}" for a in krap.ronde.aios}
    order = [u.aios_id for u in krap.uitleg.per_aios]
    for aios_id in krap.uitslag.ongekoppeld:
        start = details.index(titles[aios_id])
        following = order[order.index(aios_id) + 1:]
        end = details.index(titles[following[0]]) if following else len(details)
        block = details[start:end]
        # The summary of core's explanation ("alle bezochte praktijken zijn bezet door andere aios").
        reden = krap.uitleg.voor(aios_id).toelichting.split(" is niet gekoppeld: ", 1)[1].split(". ")[0]
        assert f"Niet gekoppeld. {reden[0].upper()}{reden[1:]}" in block
        # Each visited practice with what became of it.
        assert block.count("bezet door") + block.count("afgewezen") >= 1
    summary = " ".join(pdf_pages(pdfs["opleider"])[:3])
    for aios_id in krap.uitslag.ongekoppeld:
        assert titles[aios_id] in summary


def test_the_opleider_variant_has_every_opleider_with_aios_or_none(krap: Opgelost, pdfs: dict[str, Path]) -> None:
    document = uitslag_document(krap.ronde, krap.uitslag, krap.uitleg, per="opleider", opgesteld=OPGESTELD)
    sections = {s.aside: s for s in walk(document.blocks) if isinstance(s, Section)}
    assert sorted(sections) == sorted(o.id for o in krap.ronde.opleiders)
    gekoppeld = {k.opleider_id for k in krap.uitslag.koppelingen}
    for opleider in krap.ronde.opleiders:
        section = sections[opleider.id]
        badges = {b.text for b in section.badges}
        assert ("coassistent" in badges) == opleider.coassistent
        assert ("opleiderscurriculum" in badges) == (opleider.status == "curriculum")
        assert opleider.praktijk in plain(section.subtitle)
        notes = [b for b in section.blocks if isinstance(b, Note)]
        assert bool(notes) == (opleider.id not in gekoppeld)

    details = _details(pdf_pages(pdfs["opleider"]), "Toelichting per opleider")
    for opleider in krap.ronde.opleiders:
        assert details.count(f"{opleider.naam} {opleider.id}") == 1, opleider.wie
    assert details.count("Geen aios in deze ronde.") == len(krap.ronde.opleiders) - len(gekoppeld)
    for koppeling in krap.uitslag.koppelingen:
        aios = next(a for a in krap.ronde.aios if a.id == koppeling.aios_id)
        assert f"{aios.naam} {aios.id}" in details


def test_keuze_badges_follow_the_explanation(krap: Opgelost) -> None:
    document = uitslag_document(krap.ronde, krap.uitslag, krap.uitleg, per="aios", opgesteld=OPGESTELD)
    for section in (b for b in walk(document.blocks) if isinstance(b, Section)):
        uitleg = krap.uitleg.voor(section.aside)
        assert section.badges == (section.badges[0],)
        badge: Badge = section.badges[0]
        assert badge.text == uitleg.keuze
        assert (badge.tone == "negative") == (uitleg.opleider_id is None)


def test_the_standard_demo_renders_both_variants(demo: Opgelost, tmp_path: Path) -> None:
    for per in PERS:
        path = tmp_path / f"{per}.pdf"
        write_uitslag_pdf(path, demo.ronde, demo.uitslag, demo.uitleg, per=per)
        pages = pdf_pages(path)
        text = " ".join(pages)
        assert f"pagina {len(pages)} van {len(pages)}" in pages[-1]
        assert f"Opgesteld op {datum_nl(date.today())}" in pages[0]
        for aios in demo.ronde.aios:
            assert aios.naam in text


def test_the_explanation_is_computed_when_not_given(krap: Opgelost) -> None:
    with_uitleg = uitslag_document(krap.ronde, krap.uitslag, krap.uitleg, per="aios", opgesteld=OPGESTELD)
    without = uitslag_document(krap.ronde, krap.uitslag, per="aios", opgesteld=OPGESTELD)
    assert with_uitleg == without


def test_an_unknown_layout_is_refused(krap: Opgelost) -> None:
    with pytest.raises(ValueError, match="opleider"):
        uitslag_document(krap.ronde, krap.uitslag, per="praktijk")  # type: ignore[arg-type]


def test_a_failed_write_keeps_the_old_file(
    krap: Opgelost, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "uitslag.pdf"
    target.write_bytes(b"de vorige uitslag")

    def refuse(src: str, dst: str) -> None:
        raise OSError("schijf vol")

    monkeypatch.setattr(os, "replace", refuse)
    with pytest.raises(OSError, match="schijf vol"):
        write_uitslag_pdf(target, krap.ronde, krap.uitslag, krap.uitleg, per="aios")
    assert target.read_bytes() == b"de vorige uitslag"
    assert [p.name for p in tmp_path.iterdir()] == ["uitslag.pdf"]


def test_the_documents_package_loads_no_qt() -> None:
    code = (
        "import sys\n"
        "import ontkoppel_desktop.documents, ontkoppel_desktop.documents.koppeluitslag\n"
        "import ontkoppel_desktop.documents.pdf, ontkoppel_desktop.documents.fonts\n"
        "bad = sorted(m for m in sys.modules if m.startswith(('PySide6', 'shiboken6')))\n"
        "print(bad)\n"
        "sys.exit(1 if bad else 0)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_a_small_ronde_without_date_with_an_uitzondering_and_a_move_by_hand(tmp_path: Path) -> None:
    ronde = Ronde(
        aios=(Aios("A1", "Zeynep Çelik", 1), Aios("A2", "Iris Kok", 3, 80), Aios("A3", "Noor Bakker", 1)),
        opleiders=(
            Opleider("O1", "Jan Bos", "Praktijk De Linde", OpleiderStatus.CURRICULUM),
            Opleider("O2", "Eva Smit", "Praktijk Het Anker", OpleiderStatus.ERVAREN, coassistent=True),
            Opleider("O3", "Piet Vos", "Praktijk De Brink", OpleiderStatus.ERVAREN, blokkade=True),
        ),
        bezoeken=(Bezoek("A2", "O2", 1),),
        uitzonderingen=(Uitzondering("A1", "O1", "Ziek tijdens de gesprekken."),),
    )
    planner = Koppelplanner(ronde)
    optimum = planner.optimum
    assert optimum.toewijzing == {"A1": "O1", "A2": "O2"}
    by_hand = planner.uitslag_van({"A1": "O1", "A3": "O2"})
    for uitslag in (optimum, by_hand):
        for per in PERS:
            path = tmp_path / f"{per}-{len(uitslag.koppelingen)}-{uitslag is by_hand}.pdf"
            write_uitslag_pdf(path, ronde, uitslag, per=per, opgesteld=OPGESTELD)
            text = " ".join(pdf_pages(path))
            assert "Uitslag koppelingsronde " in text and "Ronde (zonder naam)" in text
            assert "Zeynep Çelik" in text
            if uitslag is optimum:
                assert "Uitzondering van de manager opleiders" in text and "Ziek tijdens de gesprekken." in text
            if per == "opleider":
                assert "Geen aios in deze ronde. De opleider is geblokkeerd na een ontkoppeling." in text
    text = " ".join(pdf_pages(tmp_path / "aios-2-True.pdf"))
    assert "niet bezocht · handmatig geplaatst" in text
    assert "Handmatig geplaatst." in " ".join(pdf_pages(tmp_path / "opleider-2-True.pdf"))
    assert "Niet gekoppeld. " in text  # Iris Kok, moved off her only practice
