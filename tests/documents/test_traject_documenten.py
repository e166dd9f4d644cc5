"""The overzicht van gesprekken en verslagen of a traject, and the stappenplan per rol (with a traject, and without
any personal data to hand out)."""

from __future__ import annotations

import datetime as dt
import subprocess

from ontkoppel_desktop.core.procedure.definition import VerslagBestemming
from ontkoppel_desktop.core.rollen import Rol
from ontkoppel_desktop.documents.model import all_text
from ontkoppel_desktop.documents.pdf import render_pdf
from ontkoppel_desktop.documents.traject import overzicht_document, stappenplan_document
from ontkoppel_desktop.store.store import Store
from tests.verslagen.conftest import AUTEUR, TODAY, schrijf_driehoek
from tests.verslagen.conftest import traject_id as traject_id  # noqa: F401 (the fixture)


def test_the_overzicht_shows_every_step_and_where_its_verslag_went(store: Store, traject_id: int) -> None:
    vid = schrijf_driehoek(store, traject_id, dt.date(2026, 9, 8), afronden=True)
    store.verslagen.zet_status(vid, verstuurd=dt.date(2026, 9, 9), gearchiveerd={
        VerslagBestemming.E_PORTFOLIO: dt.date(2026, 9, 10), VerslagBestemming.DOSSIER_OPLEIDER: dt.date(2026, 9, 11)},
        user=AUTEUR, today=TODAY)
    traject = store.trajecten.get(traject_id)
    overview = store.trajecten.overview(traject, TODAY)
    document = overzicht_document(overview, aios="Noor Visser", opleider="Eva Smit",
                                  verslagen=store.verslagen.van_traject(traject_id), today=TODAY)
    text = all_text(document)
    assert "Driehoeksgesprek" in text and "8 sep. 2026" in text
    assert "e-portfolio aios 10 sep. 2026; dossier opleider 11 sep. 2026" in text
    assert "Verslag driehoeksgesprek naar jaarassistent" in text and "Noor Visser" in text
    pdf = subprocess.run(["pdftotext", "-", "-"], input=render_pdf(document), capture_output=True, check=True)
    assert "Overzicht van gesprekken en verslagen" in pdf.stdout.decode()


def test_the_stappenplan_without_a_traject_names_nobody(store: Store, traject_id: int) -> None:
    traject = store.trajecten.get(traject_id)
    definition = store.trajecten.definition(traject)
    blanco = stappenplan_document(definition, Rol.JAARASSISTENT, today=TODAY)
    text = all_text(blanco)
    assert "Stappenplan jaarassistent" in text and "Administratieve afhandeling" not in text  # titles, not shorts
    assert any(s.title in text for s in definition.steps_for_role(Rol.JAARASSISTENT))
    for name in ("Noor", "Visser", "Eva", "Smit", "Bakker"):
        assert name not in text, "nothing personal in the stappenplan to hand out"
    assert blanco.footer == ""
    overview = store.trajecten.overview(traject, TODAY)
    eigen = stappenplan_document(definition, Rol.DOCENTEN, overview=overview, aios="Noor Visser", today=TODAY)
    assert "Noor Visser" in all_text(eigen) and eigen.footer == "Vertrouwelijk"
