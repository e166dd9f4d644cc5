"""A gespreksverslag as a document: one per verslag and place, each with only its own fields; the aios's
reflectieverslag in the e-portfolio's copy only when the aios chose it; the seal and version in the footer."""

from __future__ import annotations

import datetime as dt
import subprocess
import unicodedata
from pathlib import Path

from ontkoppel_desktop.core.procedure.definition import VerslagBestemming
from ontkoppel_desktop.documents.model import all_text
from ontkoppel_desktop.documents.pdf import render_pdf
from ontkoppel_desktop.documents.verslag import seal_text, verslag_documenten
from ontkoppel_desktop.store.store import Store
from tests.verslagen.conftest import AUTEUR, TODAY, ontkoppel, schrijf_driehoek
from tests.verslagen.conftest import traject_id as traject_id  # noqa: F401 (the fixture)

OPLEIDING = "Huisartsopleiding Utrecht"
NU = dt.datetime(2026, 11, 30, 14, 32, tzinfo=dt.UTC)


def _documenten(store: Store, verslag_id: int) -> list:  # type: ignore[type-arg]
    svc = store.verslagen
    verslag = svc.get(verslag_id)
    return verslag_documenten(verslag, svc.formulier(verslag), svc.context(verslag.traject_id), opleiding=OPLEIDING,
                              today=TODAY)


def test_a_driehoeksgesprek_has_a_copy_for_each_place_with_its_seal(store: Store, traject_id: int) -> None:
    vid = schrijf_driehoek(store, traject_id, dt.date(2026, 9, 8), aanleiding="Naam: Çağlar Yılmaz, ĳs, مرحبا 🙂")
    concept = _documenten(store, vid)
    assert [d.plek for d in concept] == [VerslagBestemming.E_PORTFOLIO, VerslagBestemming.DOSSIER_OPLEIDER]
    assert "CONCEPT" in concept[0].document.footer_detail
    store.verslagen.afronden(vid, user=AUTEUR, today=TODAY, now=NU)
    docs = _documenten(store, vid)
    zegel = store.verslagen.get(vid).zegels["verslag"]
    for d in docs:
        text = all_text(d.document)
        assert "Naam: Çağlar Yılmaz, ĳs, مرحبا 🙂" in text and "Wekelijks leergesprek." in text
        assert seal_text(zegel) in d.document.footer_detail and "Versie 1" in d.document.footer_detail
        assert d.document.kicker == OPLEIDING and d.document.footer == "Vertrouwelijk"


def test_the_two_verslagen_of_the_evaluatie_opleider_share_no_word(store: Store, traject_id: int) -> None:
    ontkoppel(store, traject_id)
    svc = store.verslagen
    vid = svc.nieuw(traject_id, "evaluatie_opleider", auteur=AUTEUR, today=dt.date(2026, 10, 6)).created
    assert isinstance(vid, int)
    svc.bewaar(vid, dict(svc.get(vid).antwoorden, reflectieverslag_ontvangen=True, eigen_rol="OPLEIDER-EIGEN-ROL",
                         leerpunten_opleider="OPLEIDER-LEERPUNT", aandachtspunten_aios="AIOS-AANDACHTSPUNT"),
               2, auteur=AUTEUR)
    svc.afronden(vid, user=AUTEUR, today=TODAY, now=NU)
    docs = {d.deel.id: d for d in _documenten(store, vid)}
    assert {d.plek for d in docs.values()} == {VerslagBestemming.E_PORTFOLIO, VerslagBestemming.DOSSIER_OPLEIDER}
    over_aios, over_opleider = all_text(docs["over_aios"].document), all_text(docs["over_opleider"].document)
    assert "AIOS-AANDACHTSPUNT" in over_aios and "OPLEIDER" not in over_aios
    assert "OPLEIDER-EIGEN-ROL" in over_opleider and "AIOS-AANDACHTSPUNT" not in over_opleider
    zegels = svc.get(vid).zegels
    assert seal_text(zegels["over_aios"]) in docs["over_aios"].document.footer_detail
    assert seal_text(zegels["over_opleider"]) in docs["over_opleider"].document.footer_detail


def test_the_reflectieverslag_goes_into_the_e_portfolio_only_when_the_aios_chose_it(store: Store,
                                                                                     traject_id: int) -> None:
    ontkoppel(store, traject_id)
    svc = store.verslagen
    vid = svc.nieuw(traject_id, "evaluatie_aios", auteur=AUTEUR, today=dt.date(2026, 9, 22)).created
    assert isinstance(vid, int)
    svc.bewaar(vid, dict(svc.get(vid).antwoorden, reflectieverslag_ontvangen=True, eigen_rol="x", leerpunten="y",
                         afspraken="z", reflectie_in_eportfolio=False), 0, auteur=AUTEUR)
    store.bijlagen.toevoegen(vid, "reflectieverslag", "Reflectie Noor.txt", b"Mijn reflectie", auteur=AUTEUR)
    svc.afronden(vid, user=AUTEUR, today=TODAY, now=NU)
    docs = {d.plek: all_text(d.document) for d in _documenten(store, vid)}
    assert "Reflectie Noor.txt" not in docs[VerslagBestemming.E_PORTFOLIO], "the aios said no (5.3.1)"
    assert "Reflectie Noor.txt" in docs[VerslagBestemming.DOSSIER_OPLEIDER]


def test_the_pdf_says_what_the_document_says(store: Store, traject_id: int) -> None:
    vid = schrijf_driehoek(store, traject_id, dt.date(2026, 9, 8), aanleiding="Çağlar Yılmaz en İlknur Şahin",
                           afronden=True)
    document = _documenten(store, vid)[0].document
    pdf = render_pdf(document)
    text = subprocess.run(["pdftotext", "-layout", "-", "-"], input=pdf, capture_output=True, check=True).stdout
    extracted = unicodedata.normalize("NFKC", text.decode("utf-8"))
    for needle in ("Gespreksverslag driehoeksgesprek", "Çağlar Yılmaz en İlknur Şahin", "Vertrouwelijk",
                   "pagina 1 van", "Perspectief van de opleider"):
        assert needle in extracted, needle


def test_word_and_pdf_say_what_the_verslag_says(store: Store, traject_id: int, tmp_path: Path) -> None:
    """Both files of each copy hold every word of the document (after NFKC, the PDF's capitals aside), tricky
    names included, and the Word body nothing else; the copy about the opleider holds none of the aios-verslag's
    own fields, and the reverse."""
    from collections import Counter

    from ontkoppel_desktop.documents.docx import render_docx
    from tests.documents.conftest import pdf_pages
    from tests.documents.test_docx import docx_texts
    from tests.documents.test_docx import words as nfkc_words

    def words(text: str) -> list[str]:  # the PDF prints the kicker in capitals
        return [w.casefold() for w in nfkc_words(text)]

    ontkoppel(store, traject_id)
    svc = store.verslagen
    vid = svc.nieuw(traject_id, "evaluatie_opleider", auteur=AUTEUR, today=dt.date(2026, 10, 6)).created
    assert isinstance(vid, int)
    svc.bewaar(vid, dict(svc.get(vid).antwoorden, reflectieverslag_ontvangen=False,
                         eigen_rol="Çağlar Yılmaz, İlknur Şahin en Ĳsbrand: OPLEIDERWOORD",
                         leerpunten_opleider="Eerder bellen.", aandachtspunten_aios="AIOSWOORD — Ümit Öztürk"),
               2, auteur=AUTEUR)
    svc.afronden(vid, user=AUTEUR, today=TODAY, now=NU)
    for stuk in _documenten(store, vid):
        expected = Counter(words(all_text(stuk.document) + "\n" + stuk.document.footer + "\n"
                                 + stuk.document.footer_centre + "\n" + stuk.document.footer_detail))
        pdf = tmp_path / f"{stuk.deel.id}.pdf"
        pdf.write_bytes(render_pdf(stuk.document))
        in_pdf = Counter(words(" ".join(pdf_pages(pdf))))
        in_docx = Counter(words("\n".join(docx_texts(render_docx(stuk.document)))))
        # The body's words are all there, in both formats (headers, footers and page numbers come on top).
        extra = in_docx - expected - Counter(words(stuk.document.header))
        assert not extra, (stuk.naam, dict(extra))
        assert not (Counter(words(all_text(stuk.document))) - in_pdf), stuk.naam
        assert not (Counter(words(all_text(stuk.document))) - in_docx), stuk.naam
        own, other = ("AIOSWOORD", "OPLEIDERWOORD") if stuk.deel.id == "over_aios" else ("OPLEIDERWOORD",
                                                                                            "AIOSWOORD")
        own, other = own.casefold(), other.casefold()
        assert own in in_pdf and own in in_docx
        assert not any(other in w for w in in_pdf) and not any(other in w for w in in_docx)
