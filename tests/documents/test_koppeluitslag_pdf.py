"""The uitslag of a koppelingsronde as PDF for its three readers (DECISIONS 2026-12-01): the managers' overview,
one page per opleider and one page per aios; rendered from the demo ronde, read back with pdftotext."""

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
from ontkoppel_desktop.documents import PageBreak, Section
from ontkoppel_desktop.documents.bestand import DocumentNietOpgeslagen
from ontkoppel_desktop.documents.koppeluitslag import LEZERS, NIET_MOGELIJK, uitslag_document, write_uitslag_pdf
from ontkoppel_desktop.documents.model import Badge, walk
from tests.documents.conftest import Opgelost, pdf_pages

OPGESTELD = date(2026, 11, 23)
HEADER = {"managers": "Overzicht voor de managers opleiders", "opleider": "Uitslag per opleider",
          "aios": "Uitslag per aios"}


@pytest.fixture(scope="module")
def pdfs(krap: Opgelost, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("uitslag")
    paths: dict[str, Path] = {}
    for voor in LEZERS:
        paths[voor] = folder / f"uitslag voor {voor}.pdf"
        write_uitslag_pdf(paths[voor], krap.ronde, krap.uitslag, krap.uitleg, voor=voor, opgesteld=OPGESTELD)
    return paths


def _details(pages: list[str], kop: str) -> str:
    """The text from the page where the per-aios blocks start."""
    start = next(i for i, page in enumerate(pages) if kop in page)
    return " ".join(pages[start:])


def _page_of(pages: list[str], titel: str) -> str:
    """The one page that starts the section with this title (a name: the PDFs print no workbook ids)."""
    found = [page for page in pages if titel in page]
    assert len(found) == 1, titel
    return found[0]


def test_every_variant_is_a_complete_pdf_and_leaves_no_temporary_file(pdfs: dict[str, Path]) -> None:
    for path in pdfs.values():
        data = path.read_bytes()
        assert data.startswith(b"%PDF-") and data.rstrip().endswith(b"%%EOF")
        # The bundled DejaVu Sans is embedded (Helvetica cannot print ı).
        assert b"DejaVuSans" in data and b"DejaVuSans-Bold" in data
    folder = next(iter(pdfs.values())).parent
    assert sorted(p.name for p in folder.iterdir()) == sorted(p.name for p in pdfs.values())


def test_names_outside_latin1_are_printed(krap: Opgelost, pdfs: dict[str, Path]) -> None:
    managers = " ".join(pdf_pages(pdfs["managers"]))
    assert "Emre Yılmaz" in managers and "Aylin Öztürk" in managers
    assert "Emre Yılmaz" in " ".join(pdf_pages(pdfs["aios"]))
    assert "Aylin Öztürk" in " ".join(pdf_pages(pdfs["opleider"]))


def test_every_page_has_the_footer_and_the_later_pages_the_header(pdfs: dict[str, Path]) -> None:
    for voor, path in pdfs.items():
        pages = pdf_pages(path)
        assert len(pages) > 3
        for number, page in enumerate(pages, start=1):
            assert f"pagina {number} van {len(pages)}" in page, (voor, number)
            assert "Vertrouwelijk" in page
            assert "Opgesteld op 23 november 2026" in page
            if number > 1:
                assert "Uitslag koppelingsronde Demo 1" in page and HEADER[voor] in page


def test_the_managers_summary_page_tells_the_round_and_its_result(krap: Opgelost, pdfs: dict[str, Path]) -> None:
    uitleg = krap.uitleg
    planning = krap.ronde.planning
    assert planning is not None
    first = pdf_pages(pdfs["managers"])[0]
    assert "Uitslag koppelingsronde Demo 1" in first and "Alleen voor de (assistent) managers opleiders" in first
    assert datum_nl(planning.startdatum) == "1 maart 2027" and "1 maart 2027" in first
    assert "1 december 2026 t/m 10 januari 2027" in first
    assert "15 januari 2027" in first
    assert f"{uitleg.doelwaarde.gekoppeld} van {uitleg.aantal_aios}" in first
    assert f"{uitleg.voorrang_gevuld} van {uitleg.voorrang_totaal}" in first
    assert f"Totaalscore {uitleg.doelwaarde.totaalscore}" in first
    for keuze, aantal in uitleg.profiel:
        assert f"{keuze}e keuze {aantal} " in first


def test_the_managers_overview_explains_every_aios_with_herkomst_and_afwijzing(
    krap: Opgelost, pdfs: dict[str, Path]
) -> None:
    document = uitslag_document(krap.ronde, krap.uitslag, krap.uitleg, voor="managers", opgesteld=OPGESTELD)
    sections = [b for b in walk(document.blocks) if isinstance(b, Section)]
    assert [s.title for s in sections] == [_aios_naam(krap, u.aios_id) for u in krap.uitleg.per_aios]
    details = _details(pdf_pages(pdfs["managers"]), "Toelichting per aios")
    for aios in krap.ronde.aios:
        # A section opens with the name and its keuze badge; the name alone may recur in another's toelichting.
        assert details.count(f"{aios.naam} {krap.uitleg.voor(aios.id).keuze}") == 1, aios.wie
    # The full story stays with the managers: the optimum as such, and a rejection where it decided.
    assert "berekend groepsoptimum" in details and "handmatig geplaatst" not in details
    assert "afgewezen door de opleider" in details.lower()


def test_an_unmatched_aios_shows_why_to_the_managers(krap: Opgelost, pdfs: dict[str, Path]) -> None:
    details = _details(pdf_pages(pdfs["managers"]), "Toelichting per aios")
    titles = {a.id: f"{a.naam} {krap.uitleg.voor(a.id).keuze}" for a in krap.ronde.aios}
    order = [u.aios_id for u in krap.uitleg.per_aios]
    for aios_id in krap.uitslag.ongekoppeld:
        start = details.index(titles[aios_id])
        following = order[order.index(aios_id) + 1:]
        end = details.index(titles[following[0]]) if following else len(details)
        block = details[start:end]
        # The summary of core's explanation ("alle bezochte praktijken zijn bezet door andere aios").
        reden = krap.uitleg.voor(aios_id).toelichting.split(" is niet gekoppeld: ", 1)[1].split(". ")[0]
        assert f"Niet gekoppeld. {reden[0].upper()}{reden[1:]}" in block
        assert block.count("bezet door") + block.count("afgewezen") >= 1
    summary = " ".join(pdf_pages(pdfs["managers"])[:3])
    for aios_id in krap.uitslag.ongekoppeld:
        assert _aios_naam(krap, aios_id) in summary


def test_an_opleider_page_names_only_that_opleiders_own_koppeling(krap: Opgelost, pdfs: dict[str, Path]) -> None:
    """DECISIONS: the aios, the start date and what to prepare; never other choices, scores, herkomst or a
    rejection, and no other aios."""
    document = uitslag_document(krap.ronde, krap.uitslag, krap.uitleg, voor="opleider", opgesteld=OPGESTELD)
    sections = [b for b in document.blocks if isinstance(b, Section)]
    assert [s.title for s in sections] == [o.naam for o in sorted(krap.ronde.opleiders, key=lambda o: _natural(o.id))]
    assert sum(isinstance(b, PageBreak) for b in document.blocks) == len(sections) - 1
    pages = pdf_pages(pdfs["opleider"])
    text = " ".join(pages)
    for woord in ("keuze", "score", "afgewezen", "groepsoptimum", "handmatig", "op het bord", "voorrang",
                  "Niet gekoppeld", "Totaalscore"):
        assert woord not in text, woord
    for motivatie in {a.motivatie for a in krap.ronde.afwijzingen}:
        assert motivatie not in text
    eigen: dict[str, set[str]] = {}
    for koppeling in krap.uitslag.koppelingen:
        eigen.setdefault(koppeling.opleider_id, set()).add(koppeling.aios_id)
    for opleider in krap.ronde.opleiders:
        page = _page_of(pages, opleider.naam)
        for aios in krap.ronde.aios:
            assert (aios.naam in page) == (aios.id in eigen.get(opleider.id, set())), aios.wie
        if opleider.id in eigen:
            assert "1 maart 2027" in page and "Voorbereiden" in page
        else:
            assert "Geen aios in deze ronde." in page


def test_an_aios_page_says_which_choice_and_not_who_rejected(krap: Opgelost, pdfs: dict[str, Path]) -> None:
    """DECISIONS: which of their choices they got; a higher one "niet mogelijk in deze ronde", never a rejection
    by a named opleider, and no other aios."""
    document = uitslag_document(krap.ronde, krap.uitslag, krap.uitleg, voor="aios", opgesteld=OPGESTELD)
    sections = [b for b in document.blocks if isinstance(b, Section)]
    assert [s.title for s in sections] == [_aios_naam(krap, u.aios_id) for u in krap.uitleg.per_aios]
    pages = pdf_pages(pdfs["aios"])
    text = " ".join(pages)
    for woord in ("afgewezen", "afwijzing", "bezet door", "geblokkeerd", "Totaalscore"):
        assert woord not in text.lower(), woord
    for motivatie in {a.motivatie for a in krap.ronde.afwijzingen}:
        assert motivatie not in text
    for aios in krap.ronde.aios:
        page = _page_of(pages, aios.naam)
        others = [a for a in krap.ronde.aios if a.id != aios.id and a.naam in page]
        assert not others, aios.wie
        koppeling = krap.uitslag.koppeling_van(aios.id)
        uitleg = krap.uitleg.voor(aios.id)
        if koppeling is None:
            assert "Niet gekoppeld in deze ronde." in page
        else:
            opleider = next(o for o in krap.ronde.opleiders if o.id == koppeling.opleider_id)
            assert opleider.naam in page and uitleg.keuze in page
        # A better choice that was not possible says only that; one kept free for the group says so.
        soorten = {r.soort for r in uitleg.redenen}
        assert (NIET_MOGELIJK in page) == bool(soorten & {"afgewezen", "geblokkeerd", "opleidingsjaar", "bezet"})
        assert ("de beste koppeling voor de hele groep gaat voor" in page) == ("groepsbelang" in soorten)
    assert "vastgezet: Terug naar dezelfde praktijk" in text


def _aios_naam(krap: Opgelost, aios_id: str) -> str:
    return next(a.naam for a in krap.ronde.aios if a.id == aios_id)


def _aios_id(krap: Opgelost, naam: str) -> str:
    return next(a.id for a in krap.ronde.aios if a.naam == naam)


def test_no_workbook_id_is_printed(krap: Opgelost, pdfs: dict[str, Path]) -> None:
    """Issue 14: users read names, practices and dates, not the workbook's A001 or O001."""
    ids = {a.id for a in krap.ronde.aios} | {o.id for o in krap.ronde.opleiders}
    for voor, path in pdfs.items():
        words = set(" ".join(pdf_pages(path)).replace("(", " ").replace(")", " ").split())
        assert not ids & words, voor


def _natural(ident: str) -> tuple[object, ...]:
    from ontkoppel_desktop.core.koppelplanner.ronde import natural_key

    return natural_key(ident)


def test_keuze_badges_follow_the_explanation(krap: Opgelost) -> None:
    for voor in ("managers", "aios"):
        document = uitslag_document(krap.ronde, krap.uitslag, krap.uitleg, voor=voor, opgesteld=OPGESTELD)
        _badges_follow(krap, document)


def _badges_follow(krap: Opgelost, document: object) -> None:
    for section in (b for b in walk(document.blocks) if isinstance(b, Section)):  # type: ignore[attr-defined]
        uitleg = krap.uitleg.voor(_aios_id(krap, section.title))
        assert section.badges == (section.badges[0],)
        badge: Badge = section.badges[0]
        assert badge.text == uitleg.keuze
        assert (badge.tone == "negative") == (uitleg.opleider_id is None)


def test_the_standard_demo_renders_every_variant(demo: Opgelost, tmp_path: Path) -> None:
    gekoppeld = {k.aios_id for k in demo.uitslag.koppelingen}
    for voor in LEZERS:
        path = tmp_path / f"{voor}.pdf"
        write_uitslag_pdf(path, demo.ronde, demo.uitslag, demo.uitleg, voor=voor)
        pages = pdf_pages(path)
        text = " ".join(pages)
        assert f"pagina {len(pages)} van {len(pages)}" in pages[-1]
        assert f"Opgesteld op {datum_nl(date.today())}" in pages[0]
        for aios in demo.ronde.aios:
            assert (aios.naam in text) == (voor != "opleider" or aios.id in gekoppeld)


def test_the_explanation_is_computed_when_not_given(krap: Opgelost) -> None:
    for voor in LEZERS:
        with_uitleg = uitslag_document(krap.ronde, krap.uitslag, krap.uitleg, voor=voor, opgesteld=OPGESTELD)
        without = uitslag_document(krap.ronde, krap.uitslag, voor=voor, opgesteld=OPGESTELD)
        assert with_uitleg == without


def test_an_unknown_reader_is_refused(krap: Opgelost) -> None:
    with pytest.raises(ValueError, match="opleider"):
        uitslag_document(krap.ronde, krap.uitslag, voor="praktijk")  # type: ignore[arg-type]


def test_a_failed_write_keeps_the_old_file(
    krap: Opgelost, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "uitslag.pdf"
    target.write_bytes(b"de vorige uitslag")

    def refuse(src: str, dst: str) -> None:
        raise OSError("schijf vol")

    monkeypatch.setattr(os, "replace", refuse)
    with pytest.raises(DocumentNietOpgeslagen, match="uitslag.pdf is niet opgeslagen"):
        write_uitslag_pdf(target, krap.ronde, krap.uitslag, krap.uitleg, voor="aios")
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


def _small() -> Ronde:
    return Ronde(
        aios=(Aios("A1", "Zeynep Çelik", 1), Aios("A2", "Iris Kok", 3, 80), Aios("A3", "Noor Bakker", 1)),
        opleiders=(
            Opleider("O1", "Jan Bos", "Praktijk De Linde", OpleiderStatus.CURRICULUM),
            Opleider("O2", "Eva Smit", "Praktijk Het Anker", OpleiderStatus.ERVAREN, coassistent=True),
            Opleider("O3", "Piet Vos", "Praktijk De Brink", OpleiderStatus.ERVAREN, blokkade=True),
        ),
        bezoeken=(Bezoek("A2", "O2", 1),),
        uitzonderingen=(Uitzondering("A1", "O1", "Ziek tijdens de gesprekken."),),
    )


def _texts(tmp_path: Path, ronde: Ronde, uitslag: object, naam: str) -> dict[str, str]:
    texts = {}
    for voor in LEZERS:
        path = tmp_path / f"{naam}-{voor}.pdf"
        write_uitslag_pdf(path, ronde, uitslag, voor=voor, opgesteld=OPGESTELD)  # type: ignore[arg-type]
        texts[voor] = " ".join(pdf_pages(path))
    return texts


def test_a_board_equal_to_the_optimum_is_not_called_handmatig(tmp_path: Path) -> None:
    """Issue 7, defect 6: every koppeling read "Handmatig geplaatst", also on the untouched optimum."""
    ronde = _small()
    planner = Koppelplanner(ronde)
    optimum = planner.optimum
    herkomst = {k.aios_id: k.herkomst for k in optimum.koppelingen}
    on_the_board = planner.uitslag_van(optimum.toewijzing, (), herkomst)
    texts = _texts(tmp_path, ronde, on_the_board, "optimum")
    for voor in ("managers", "aios"):
        assert "berekend groepsoptimum" in texts[voor] and "andmatig" not in texts[voor], voor
    moved = planner.uitslag_van({"A1": "O1", "A3": "O2"}, (), {"A1": herkomst["A1"]})
    texts = _texts(tmp_path, ronde, moved, "verplaatst")
    assert "Noor Bakker" in texts["managers"] and "handmatig geplaatst" in texts["managers"]
    # Once in the overview's Herkomst column and once in the toelichting: only the moved aios.
    assert texts["managers"].split("Toelichting per aios", 1)[1].count("handmatig geplaatst") == 1
    assert "andmatig" not in texts["opleider"]


def test_an_uitzondering_is_told_to_whom_it_concerns(tmp_path: Path) -> None:
    """The reden is the aios's own: the managers and the aios read it; the opleider reads only that the aios did
    not visit and a kennismakingsgesprek is needed."""
    ronde = _small()
    planner = Koppelplanner(ronde)
    optimum = planner.optimum
    assert optimum.toewijzing == {"A1": "O1", "A2": "O2"}
    for naam, uitslag in (("optimum", optimum), ("hand", planner.uitslag_van({"A1": "O1", "A3": "O2"}))):
        texts = _texts(tmp_path, ronde, uitslag, naam)
        for voor, text in texts.items():
            assert "Uitslag koppelingsronde " in text and "Zeynep Çelik" in text, voor
        assert "uitzondering: Ziek tijdens de gesprekken." in texts["managers"]
        assert "uitzondering: Ziek tijdens de gesprekken." in texts["aios"]
        assert "Ziek" not in texts["opleider"]
        assert "Zeynep Çelik heeft de praktijk niet bezocht" in texts["opleider"]
        assert "kennismakingsgesprek" in texts["opleider"]
        assert "Geen aios in deze ronde. Na een ontkoppeling" in texts["opleider"]
        assert "Ronde (zonder naam)" in texts["managers"]
    texts = _texts(tmp_path, ronde, planner.uitslag_van({"A1": "O1", "A3": "O2"}), "hand2")
    assert "uitzondering: Ziek tijdens de gesprekken. · handmatig geplaatst" in texts["managers"]
    assert "Niet gekoppeld. " in texts["managers"]  # Iris Kok, moved off her only practice
    assert "Niet gekoppeld in deze ronde." in texts["aios"]
    assert "deeltijd" in texts["opleider"] or "Iris Kok" not in texts["opleider"]
