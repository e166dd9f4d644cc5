"""The inzage document (AVG art. 15): everything the store holds about one aios or opleider, and nothing about anyone
else. Two cases of tests/faults/crash_child.py put a marker into every kind of record; a koppelronde names case 1's
aios and opleider beside another aios with their own scores and an afwijzing. The Word and the PDF are read back."""

from __future__ import annotations

import datetime as dt
import io
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from ontkoppel_desktop.core.bewaartermijn import AIOS, OPLEIDER
from ontkoppel_desktop.core.koppelplanner import Afwijzing, Aios, Bezoek, Opleider, OpleiderStatus, Ronde
from ontkoppel_desktop.core.koppelplanner.rondes import Bord
from ontkoppel_desktop.documents.docx import render_docx
from ontkoppel_desktop.documents.inzage import inzage_document
from ontkoppel_desktop.documents.model import all_text
from ontkoppel_desktop.documents.pdf import render_pdf
from ontkoppel_desktop.store.inzage import ANDERE_OPLEIDER, verzamel
from ontkoppel_desktop.store.rondes import SqlRondeRepository
from ontkoppel_desktop.store.store import Store
from tests.conftest import FAST_KDF, WACHTWOORD
from tests.faults.crash_child import Case, write_cases

PREFIX = "ZINZAGE"
ANDERE_AIOS = "Zwanet Anderaios"
ANDER_MOTIEF = "ZINZAGEandermotief"
EIGEN_MOTIEF = "ZINZAGEeigenmotief"

# Markers of case 1 per kind of record, and whose they are.
BEIDEN = ("aios", "aiosvoornaam", "opleider", "omschrijving", "notitie", "driehoeknotitie", "uitkomst", "door",
          "besluittoelichting", "gebruiker", "auteur", "conceptplaats", "aanleiding", "perspectiefaios",
          "verslagplaats", "motivatie")
ALLEEN_AIOS = ("aiosemail", "groep", "aandachtspuntenaios", "toelichting")
ALLEEN_OPLEIDER = ("opleideremail", "praktijk", "eigenrol", "beleving", "leerpunten", "bijlagenaam")


@pytest.fixture(scope="module")
def opslag(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Store, Case, Case]]:
    store = Store.create(tmp_path_factory.mktemp("inzage") / "inzage.okdb", WACHTWOORD, FAST_KDF).store
    write_cases(store, PREFIX, 2)
    een, twee = Case(store, PREFIX, 1), Case(store, PREFIX, 2)
    een.find()
    twee.find()
    aios = store.personen.aios(archief=True, ids=[een.ids["aios"]])[0]
    opleider = store.personen.opleiders(archief=True, ids=[een.ids["opleider"]])[0]
    # A ronde from Personen: case 1's people by their store ids, beside another aios and another opleider.
    ronde = Ronde(
        aios=(Aios(str(aios.id), aios.naam.volledig, 1), Aios("A2", ANDERE_AIOS, 1)),
        opleiders=(Opleider(str(opleider.id), opleider.naam.volledig, "De Linde", OpleiderStatus.ERVAREN),
                   Opleider("O2", "Otto Tweede", "De Beuk", OpleiderStatus.ERVAREN)),
        bezoeken=(Bezoek(str(aios.id), str(opleider.id), 1), Bezoek(str(aios.id), "O2", 2),
                  Bezoek("A2", str(opleider.id), 3), Bezoek("A2", "O2", 4)),
        afwijzingen=(Afwijzing("O2", str(aios.id), EIGEN_MOTIEF), Afwijzing(str(opleider.id), "A2", ANDER_MOTIEF)),
        startdatum=dt.date(2027, 3, 1), naam="Ronde maart 2027",
    )
    repo = SqlRondeRepository(store.conn)
    ronde_id = repo.add(ronde, ronde.naam)
    repo.save_bord(ronde_id, Bord({str(aios.id): str(opleider.id), "A2": "O2"}))
    yield store, een, twee
    store.close()


def _tekst(store: Store, soort: str, persoon_id: int) -> str:
    return all_text(inzage_document(verzamel(store, soort, persoon_id)))


def test_the_aios_sees_every_kind_of_record_about_them_and_nothing_about_anyone_else(
        opslag: tuple[Store, Case, Case]) -> None:
    store, een, twee = opslag
    tekst = _tekst(store, AIOS, een.ids["aios"])
    for kind in BEIDEN + ALLEEN_AIOS:
        assert een.tag(kind) in tekst, kind
    # The verslag about the opleider (and the opleider's reflectieverslag) is the opleider's.
    for kind in ALLEEN_OPLEIDER:
        if kind != "praktijk":  # the practice of the koppeling is part of the koppeling
            assert een.tag(kind) not in tekst, kind
    assert twee.marker not in tekst
    # The ronde: the aios's own scores, the opleider's names as the aios's choices, the afwijzing of this aios.
    assert "Ronde maart 2027" in tekst and "Otto Tweede" in tekst and EIGEN_MOTIEF in tekst
    assert "Gekoppeld aan" in tekst
    assert ANDERE_AIOS not in tekst and ANDER_MOTIEF not in tekst


def test_the_opleider_sees_their_own_part_and_no_other_aios_scores(opslag: tuple[Store, Case, Case]) -> None:
    store, een, twee = opslag
    tekst = _tekst(store, OPLEIDER, een.ids["opleider"])
    for kind in BEIDEN + ALLEEN_OPLEIDER:
        assert een.tag(kind) in tekst, kind
    for kind in ("aandachtspuntenaios", "toelichting", "aiosemail"):
        assert een.tag(kind) not in tekst, kind
    assert twee.marker not in tekst
    # Their own afwijzing (of the other aios) and the aios they were given; nobody's scores, nor the other opleider.
    assert ANDER_MOTIEF in tekst and EIGEN_MOTIEF not in tekst
    assert "Otto Tweede" not in tekst
    assert "Koppelgesprekken in de praktijk" in tekst


def test_a_kandidaat_opleider_sees_only_what_names_them(tmp_path: Path) -> None:
    from ontkoppel_desktop.core.procedure import EventKind
    from tests.verslagen.conftest import AUTEUR, TODAY, maak_traject, ontkoppel

    store = Store.create(tmp_path / "k.okdb", WACHTWOORD, FAST_KDF).store
    try:
        traject_id = maak_traject(store)
        ontkoppel(store, traject_id)
        bram = next(o for o in store.personen.opleiders() if o.naam.achternaam == "Nieuw")
        assert bram.id is not None
        store.trajecten.record(traject_id, EventKind.KANDIDAAT_OPLEIDER, dt.date(2026, 9, 20),
                               {"opleider_id": bram.id, "notitie": "Past goed bij de vraag van Noor."},
                               user=AUTEUR, today=TODAY)
        bram_tekst = _tekst(store, OPLEIDER, bram.id)
        assert "Kandidaat nieuwe opleider: Bram Nieuw" in bram_tekst and "Past goed" in bram_tekst
        assert "Formeel besluit" not in bram_tekst and "Eva Smit" not in bram_tekst
        eva = next(o for o in store.personen.opleiders() if o.naam.achternaam == "Smit")
        assert eva.id is not None
        eva_tekst = _tekst(store, OPLEIDER, eva.id)
        assert "Formeel besluit" in eva_tekst and "Bram Nieuw" not in eva_tekst and ANDERE_OPLEIDER in eva_tekst
        aios = store.trajecten.get(traject_id).aios_id
        assert "Kandidaat nieuwe opleider: Bram Nieuw" in _tekst(store, AIOS, aios)
    finally:
        store.close()


def test_word_and_pdf_say_it_all(opslag: tuple[Store, Case, Case], tmp_path: Path) -> None:
    import docx

    store, een, _ = opslag
    document = inzage_document(verzamel(store, AIOS, een.ids["aios"]), bijlagen_mee=True)
    word = docx.Document(io.BytesIO(render_docx(document)))
    word_tekst = "\n".join([p.text for p in word.paragraphs]
                           + [c.text for t in word.tables for r in t.rows for c in r.cells])
    pdf = tmp_path / "inzage.pdf"
    pdf.write_bytes(render_pdf(document))
    pdf_tekst = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, check=True, text=True).stdout
    for kind in ("aios", "notitie", "aanleiding", "aandachtspuntenaios", "motivatie"):
        assert een.tag(kind) in word_tekst, kind
        assert een.tag(kind) in " ".join(pdf_tekst.split()).replace("- ", "-") or een.tag(kind) in pdf_tekst, kind
    assert "Inzage persoonsgegevens" in pdf_tekst and "Koppelrondes" in pdf_tekst


def test_a_ronde_from_a_workbook_numbering_someone_else_the_same_is_not_theirs() -> None:
    from ontkoppel_desktop.core.inzage import ronde_inzage

    opleiders = (Opleider("O1", "Eva Smit", "De Linde", OpleiderStatus.ERVAREN),)
    werkmap = Ronde(aios=(Aios("1", "Piet Anders", 1),), opleiders=opleiders, startdatum=dt.date(2027, 3, 1))
    assert ronde_inzage(werkmap, None, AIOS, 1, "Noor Visser", achternaam="Visser") is None
    # From Personen: the store's id, and the name as it was then (since married: a name more).
    personen = Ronde(aios=(Aios("1", "Noor Visser", 1),), opleiders=opleiders, startdatum=dt.date(2027, 3, 1))
    deel = ronde_inzage(personen, None, AIOS, 1, "Noor de Groot-Visser", achternaam="Groot-Visser")
    assert deel is None  # neither the name nor the achternaam: not hers to show
    deel = ronde_inzage(personen, None, AIOS, 1, "Noor Visser-de Groot", achternaam="Visser")
    assert deel is not None and deel.uitslag == "Nog geen uitslag opgeslagen."
