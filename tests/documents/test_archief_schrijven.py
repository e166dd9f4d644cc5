"""Writing an archive export (documents.archief): every file appears whole (PDF, Word, the bijlage byte for byte),
a stop halfway leaves only whole files and says how many, and a folder without access or a full disk gives a Dutch
message with the count, never a traceback and never half a file."""

from __future__ import annotations

import datetime as dt
import errno
import io
import os
import subprocess
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from ontkoppel_desktop import atomic
from ontkoppel_desktop.core.procedure.definition import VerslagBestemming
from ontkoppel_desktop.core.verslagen.archief import ArchiefPlan, Formaat, kies_traject, maak_plan
from ontkoppel_desktop.documents.archief import (
    ArchiefSchrijfFout,
    InhoudLezer,
    Voortgang,
    schrijf_archief,
)
from ontkoppel_desktop.store.store import Store
from tests.verslagen.conftest import AUTEUR, TODAY, ontkoppel, schrijf_driehoek
from tests.verslagen.conftest import traject_id as traject_id  # noqa: F401 (the fixture)

E, D = VerslagBestemming.E_PORTFOLIO, VerslagBestemming.DOSSIER_OPLEIDER
REFLECTIE = "Terugblik op de stage: één ding dat ik anders doe.\n".encode()


@pytest.fixture
def export(store: Store, traject_id: int, tmp_path: Path) -> Iterator[tuple[Store, ArchiefPlan]]:
    """A traject with a driehoeksgesprek and an evaluatiegesprek aios whose reflectieverslag the aios kept out of the
    e-portfolio, both definitief; the plan for PDF and Word."""
    schrijf_driehoek(store, traject_id, dt.date(2026, 9, 8), aanleiding="Çağlar Yılmaz belde", afronden=True)
    ontkoppel(store, traject_id)
    svc = store.verslagen
    vid = svc.nieuw(traject_id, "evaluatie_aios", auteur=AUTEUR, today=dt.date(2026, 9, 22)).created
    assert isinstance(vid, int)
    svc.bewaar(vid, dict(svc.get(vid).antwoorden, reflectieverslag_ontvangen=True, eigen_rol="x", leerpunten="y",
                         afspraken="z", reflectie_in_eportfolio=False), 0, auteur=AUTEUR)
    store.bijlagen.toevoegen(vid, "reflectieverslag", "Reflectie Noor.txt", REFLECTIE, auteur=AUTEUR)
    svc.afronden(vid, user=AUTEUR, today=TODAY)
    yield store, maak_plan(kies_traject(svc, traject_id, TODAY), tmp_path / "archief", (Formaat.PDF, Formaat.WORD))


def _lezer(store: Store) -> InhoudLezer:
    return InhoudLezer(store.verslagen, store.bijlagen, TODAY)


def _alle_bestanden(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*") if p.is_file())


def _heel(path: Path) -> bool:
    data = path.read_bytes()
    if path.suffix == ".pdf":
        return data.startswith(b"%PDF-") and data.rstrip().endswith(b"%%EOF")
    if path.suffix == ".docx":
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            return zf.testzip() is None and "word/document.xml" in zf.namelist()
    return data == REFLECTIE


def test_every_file_appears_whole_where_the_plan_says(export: tuple[Store, ArchiefPlan]) -> None:
    store, plan = export
    gezien: list[Voortgang] = []
    resultaat = schrijf_archief(plan, _lezer(store), voortgang=gezien.append)
    assert not resultaat.gestopt and resultaat.aantal == resultaat.totaal == plan.aantal_bestanden == 9
    assert [v.gedaan for v in gezien] == list(range(10)) and gezien[-1].totaal == 9
    root = plan.map
    assert [str(p.relative_to(root)) for p in _alle_bestanden(root)] == sorted([
        "e-portfolio aios/2026-09-08 Driehoeksgesprek - Visser, Noor.pdf",
        "e-portfolio aios/2026-09-08 Driehoeksgesprek - Visser, Noor.docx",
        "dossier opleider/2026-09-08 Driehoeksgesprek - Smit, Eva.pdf",
        "dossier opleider/2026-09-08 Driehoeksgesprek - Smit, Eva.docx",
        "e-portfolio aios/2026-09-22 Evaluatiegesprek aios - Visser, Noor.pdf",
        "e-portfolio aios/2026-09-22 Evaluatiegesprek aios - Visser, Noor.docx",
        "dossier opleider/2026-09-22 Evaluatiegesprek aios - Smit, Eva.pdf",
        "dossier opleider/2026-09-22 Evaluatiegesprek aios - Smit, Eva.docx",
        # The aios kept the reflectieverslag out of the e-portfolio (5.3.1): the dossier's copy only.
        "dossier opleider/2026-09-22 Evaluatiegesprek aios - Smit, Eva - bijlage Reflectie Noor.txt",
    ])
    assert all(_heel(p) for p in _alle_bestanden(root))
    assert resultaat.klaar == {s.verslag.id: {E, D} for s in plan.stukken}
    pdf = root / "e-portfolio aios" / "2026-09-08 Driehoeksgesprek - Visser, Noor.pdf"
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, check=True, text=True).stdout
    assert "Çağlar Yılmaz belde" in text and "Noor Visser" in text


def test_a_stop_halfway_leaves_only_whole_files_and_counts_the_complete_places(
        export: tuple[Store, ArchiefPlan]) -> None:
    store, plan = export
    geschreven: list[Voortgang] = []
    resultaat = schrijf_archief(plan, _lezer(store), voortgang=geschreven.append,
                                gestopt=lambda: len(geschreven) > 3)  # after 3 files (the first call is 0 files)
    assert resultaat.gestopt and resultaat.aantal == 3 and resultaat.totaal == 9
    files = _alle_bestanden(plan.map)
    assert files == sorted(resultaat.geschreven) and all(_heel(p) for p in files)
    assert not [p for p in plan.map.rglob(".~*")], "no temporary file stays behind"
    # PDF and Word of the e-portfolio, then the dossier's PDF: only the e-portfolio is complete.
    assert resultaat.klaar == {plan.stukken[0].verslag.id: {E}}


def test_a_full_disk_says_so_in_dutch_with_the_count_and_leaves_whole_files(
        export: tuple[Store, ArchiefPlan], monkeypatch: pytest.MonkeyPatch) -> None:
    store, plan = export
    echt = atomic.write_atomic
    calls = []

    def vol(path: Path, data: bytes) -> None:
        calls.append(path)
        if len(calls) == 7:
            raise OSError(errno.ENOSPC, "No space left on device", str(path))
        echt(path, data)

    monkeypatch.setattr(atomic, "write_atomic", vol)
    with pytest.raises(ArchiefSchrijfFout) as raised:
        schrijf_archief(plan, _lezer(store))
    message = str(raised.value)
    assert "De schijf is vol" in message and "6 van de 9 bestanden zijn al geschreven, elk volledig" in message
    assert "Traceback" not in message and "Errno" not in message
    assert raised.value.resultaat.aantal == 6 and all(_heel(p) for p in _alle_bestanden(plan.map))
    # The driehoeksgesprek is complete; of the evaluatie only the e-portfolio's two files were written.
    ids = [s.verslag.id for s in plan.stukken]
    assert raised.value.resultaat.klaar == {ids[0]: {E, D}, ids[1]: {E}}


def _zonder_toegang(tmp_path: Path) -> Path:
    """A folder nobody may write in: read-only for a user; for root (who may write anywhere) a folder under /sys."""
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        return Path("/sys/ontkoppel-archief")
    folder = tmp_path / "alleen-lezen"
    folder.mkdir()
    folder.chmod(0o500)
    return folder / "archief"


def test_a_folder_without_access_says_so_in_dutch(export: tuple[Store, ArchiefPlan], tmp_path: Path) -> None:
    store, plan = export
    plan = maak_plan([s.bron for s in plan.stukken], _zonder_toegang(tmp_path))
    with pytest.raises(ArchiefSchrijfFout) as raised:
        schrijf_archief(plan, _lezer(store))
    message = str(raised.value)
    assert "kan niet worden gemaakt in" in message and ": geen toegang" in message
    assert "Er is nog geen bestand geschreven" in message
    assert raised.value.resultaat.aantal == 0


def test_a_file_held_open_by_another_program_is_named(export: tuple[Store, ArchiefPlan],
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    store, plan = export

    def bezet(path: Path, data: bytes) -> None:
        raise atomic.BestandBezet(f"{path.name} is geopend in een ander programma.")

    monkeypatch.setattr(atomic, "write_atomic", bezet)
    with pytest.raises(ArchiefSchrijfFout, match="Driehoeksgesprek - Visser, Noor.pdf is geopend in een ander"):
        schrijf_archief(plan, _lezer(store))


def test_writing_again_replaces_the_same_files(export: tuple[Store, ArchiefPlan]) -> None:
    store, plan = export
    schrijf_archief(plan, _lezer(store))
    eerst = _alle_bestanden(plan.map)
    schrijf_archief(plan, _lezer(store))
    assert _alle_bestanden(plan.map) == eerst and all(_heel(p) for p in eerst)
