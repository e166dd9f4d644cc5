"""Bijlagen: a reflectieverslag kept inside the encrypted store, checked by name and content, named in the
verslag's answer with its SHA-256 (so the seal covers it), and kept with a definitief verslag."""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Callable, Iterator, Mapping
from dataclasses import replace
from datetime import date
from typing import Any

import pytest
import sqlcipher3

from ontkoppel_desktop.core.procedure.definition import ProcedureDefinition
from ontkoppel_desktop.core.verslagen import GesprekFormulier, Veld, VeldSoort, bundled_formulieren, canonical
from ontkoppel_desktop.core.verslagen.bijlagen import (
    MAX_GROOTTE,
    BijlageFout,
    BijlageSoort,
    controleer,
    grootte_tekst,
    schone_naam,
    verwijzingen,
)
from ontkoppel_desktop.core.verslagen.service import VerslagService
from ontkoppel_desktop.store.store import Store
from tests.conftest import WACHTWOORD
from tests.verslagen.conftest import AUTEUR, schrijf_driehoek

GESPREK = date(2026, 9, 8)
VELD = "reflectieverslag"


# ---- a gesprek with a bijlage question, and files of every kind -----------------------------------------------


def met_bijlageveld(
    formulieren: Callable[[ProcedureDefinition], Mapping[str, GesprekFormulier]],
) -> Callable[[ProcedureDefinition], Mapping[str, GesprekFormulier]]:
    """The driehoeksgesprek with one more question on its last page: the aios's reflectieverslag, in every
    verslag of the gesprek."""

    def met(definition: ProcedureDefinition) -> Mapping[str, GesprekFormulier]:
        result = dict(formulieren(definition))
        f = result["driehoeksgesprek"]
        veld = Veld(VELD, VeldSoort.BIJLAGE, "Reflectieverslag van de aios", tuple(d.id for d in f.delen))
        laatste = replace(f.paginas[-1], velden=(*f.paginas[-1].velden, veld))
        result["driehoeksgesprek"] = replace(f, paginas=(*f.paginas[:-1], laatste),
                                             _velden={**f._velden, veld.id: veld})
        return result

    return met


@pytest.fixture
def bijlageveld(monkeypatch: pytest.MonkeyPatch) -> None:
    vraag_bijlagen(monkeypatch)


def vraag_bijlagen(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every VerslagService (also one a store builds again after unlocking) knows the bijlage question."""
    init = VerslagService.__init__

    def patched(self: VerslagService, tx: Any, repo: Any, trajecten: Any,
                formulieren: Any = bundled_formulieren) -> None:
        init(self, tx, repo, trajecten, met_bijlageveld(formulieren))

    monkeypatch.setattr(VerslagService, "__init__", patched)


def docx_bytes(tekst: str = "Mijn reflectie") -> bytes:
    import docx

    document = docx.Document()
    document.add_paragraph(tekst)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def pdf_bytes(tekst: str = "Mijn reflectie") -> bytes:
    from reportlab.pdfgen import canvas

    out = io.BytesIO()
    c = canvas.Canvas(out)
    c.drawString(72, 720, tekst)
    c.save()
    return out.getvalue()


def zip_bytes(entries: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zf:
        for name, data in entries.items():
            zf.writestr(name, data)
    return out.getvalue()


def odt_bytes() -> bytes:
    return zip_bytes({"mimetype": b"application/vnd.oasis.opendocument.text",
                      "content.xml": b"<office:document-content/>"})


XLSX_TYPES = (b'<Types><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-'
              b'officedocument.spreadsheetml.sheet.main+xml"/></Types>')
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + bytes(range(256)) * 4


@pytest.fixture
def concept(store: Store, traject_id: int, bijlageveld: None) -> int:
    return schrijf_driehoek(store, traject_id, GESPREK)


def _voeg_toe(store: Store, verslag_id: int, naam: str, inhoud: bytes, auteur: str = AUTEUR) -> int:
    created = store.bijlagen.toevoegen(verslag_id, VELD, naam, inhoud, auteur=auteur).created
    assert isinstance(created, int)
    return created


# ---- keeping and reading -------------------------------------------------------------------------------------


def test_every_kind_round_trips_byte_for_byte_and_the_answer_names_it(store: Store, concept: int) -> None:
    files = {"reflectie.docx": docx_bytes(), "reflectie.pdf": pdf_bytes(), "reflectie.odt": odt_bytes(),
             "reflectie.txt": "Wat ik leerde: één ding.\r\n".encode()}
    ids = {naam: _voeg_toe(store, concept, naam, data) for naam, data in files.items()}
    for naam, data in files.items():
        bijlage = store.bijlagen.get(ids[naam])
        assert store.bijlagen.inhoud(ids[naam]) == data
        assert (bijlage.naam, bijlage.grootte, bijlage.verslag_id, bijlage.veld) == (naam, len(data), concept, VELD)
        assert bijlage.soort is BijlageSoort(naam.rsplit(".", 1)[1])
    assert [b.id for b in store.bijlagen.van_verslag(concept)] == list(ids.values())
    antwoord = store.verslagen.get(concept).antwoord(VELD)
    assert antwoord == [{"bijlage": ids[n], "naam": n, "sha256": store.bijlagen.get(ids[n]).sha256} for n in files]


def test_removing_takes_the_file_and_its_line_away(store: Store, concept: int) -> None:
    eerste = _voeg_toe(store, concept, "a.txt", b"een")
    tweede = _voeg_toe(store, concept, "b.txt", b"twee")
    store.bijlagen.verwijderen(eerste, auteur=AUTEUR)
    assert [v.bijlage for v in verwijzingen(store.verslagen.get(concept).antwoord(VELD))] == [tweede]
    with pytest.raises(BijlageFout):
        store.bijlagen.get(eerste)
    store.bijlagen.verwijderen(tweede, auteur=AUTEUR)
    assert store.verslagen.get(concept).antwoord(VELD) is None  # an empty list is no answer
    assert store.bijlagen.van_verslag(concept) == []


def test_the_content_is_encrypted_in_the_store_file(store: Store, concept: int) -> None:
    marker = "ZOEKMIJ-reflectie-7f3a9c"
    _voeg_toe(store, concept, "reflectie.txt", f"Begin\n{marker}\nEinde\n".encode())

    def in_files() -> bool:
        needles = [marker.encode(), marker.encode("utf-16-le")]
        files = [p for p in store.path.parent.iterdir() if p.name.startswith(store.path.name)]
        assert store.path in files
        return any(n in p.read_bytes() for p in files for n in needles)

    assert not in_files()  # while open: the main file and its write-ahead log
    path = store.path
    store.close()
    assert not in_files()
    reopened = Store.open(path, WACHTWOORD)
    try:
        (bijlage,) = reopened.bijlagen.van_verslag(concept)
        assert marker.encode() in reopened.bijlagen.inhoud(bijlage.id)
    finally:
        reopened.close()


def test_the_store_is_reset_on_lock(store: Store, concept: int) -> None:
    bijlage_id = _voeg_toe(store, concept, "a.txt", b"tekst")
    service = store.bijlagen
    store.lock()
    assert store._bijlagen is None
    store.unlock(WACHTWOORD)
    assert store.bijlagen is not service
    assert store.bijlagen.inhoud(bijlage_id) == b"tekst"


# ---- what is refused -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(("naam", "inhoud", "zegt"), [
    ("leeg.pdf", b"", "leeg"),
    ("programma.pdf", EXE, "programma"),
    ("programma.docx", EXE, "programma"),
    ("programma.txt", EXE, "programma"),
    ("programma.exe", EXE, ".docx"),
    ("groot.pdf", b"%PDF-1.7\n" + b"0" * (MAX_GROOTTE + 1024 * 1024), "21,0 MB"),
    ("kapot.docx", b"PK\x03\x04" + b"\x00" * 40 + b"niet echt een zip", "beschadigd"),
    ("kapot.odt", b"PK\x05\x06" + b"\x00" * 10, "beschadigd"),
    ("werkblad.docx", zip_bytes({"[Content_Types].xml": XLSX_TYPES}), "zip"),
    ("tekst.docx", odt_bytes(), "OpenDocument"),
    ("sjabloon.odt", zip_bytes({"mimetype": b"application/vnd.oasis.opendocument.text-template"}), "zip"),
    ("oud.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "sla het in Word op als .docx"),
    ("beveiligd.docx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "wachtwoord"),
    ("geen-pdf.pdf", b"<html>Dit is een webpagina</html>", "platte tekst"),
    ("plaatje.txt", b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, "afbeelding"),
    ("zonder-extensie", b"tekst", ".pdf"),
    ("reflectie\u202etxt.exe", b"tekst", ".odt"),  # shown as "reflectieexe.txt" without the cleaning
])
def test_a_refused_file_is_said_in_dutch_naming_it_and_what_is_allowed(
        store: Store, concept: int, naam: str, inhoud: bytes, zegt: str) -> None:
    with pytest.raises(BijlageFout) as caught:
        store.bijlagen.toevoegen(concept, VELD, naam, inhoud, auteur=AUTEUR)
    message = str(caught.value)
    assert f"'{schone_naam(naam)}'" in message
    assert zegt in message
    assert "20 MB" in message
    assert ".docx" in message or naam == "groot.pdf"  # too large: what is allowed is its size
    assert caught.value.veld == VELD
    assert store.bijlagen.van_verslag(concept) == []
    assert store.verslagen.get(concept).antwoord(VELD) is None


def test_exactly_20_mb_is_allowed_and_sizes_read_in_dutch() -> None:
    assert controleer("groot.pdf", b"%PDF-1.7\n" + b"0" * (MAX_GROOTTE - 9)) is BijlageSoort.PDF
    assert (grootte_tekst(1), grootte_tekst(812), grootte_tekst(48_000), grootte_tekst(3_565_158)) == (
        "1 byte", "812 bytes", "47 kB", "3,4 MB")


@pytest.mark.parametrize(("inhoud", "soort"), [
    ("Notepad in UTF-16: één".encode("utf-16"), BijlageSoort.TXT),
    ("Met BOM: één".encode("utf-8-sig"), BijlageSoort.TXT),
    ("Oude Windows-tekst: één, café".encode("cp1252"), BijlageSoort.TXT),
    (b"Regels\r\nmet\ttabs\fen een form feed\x1a", BijlageSoort.TXT),
])
def test_text_in_the_encodings_windows_writes(inhoud: bytes, soort: BijlageSoort) -> None:
    assert controleer("notities.TXT", inhoud) is soort


@pytest.mark.parametrize(("naam", "bewaard"), [
    ("CON.txt", "CON.txt"),  # a label here; the copy on disk gets a safe name (bijlage_openen)
    ("C:\\Users\\noor\\Documents\\reflectie.txt", "reflectie.txt"),
    ("map/onder/reflectie.txt", "reflectie.txt"),
    ("re\x00fl\x07ectie\n.txt", "reflectie.txt"),
    ("naam\udcff.txt", "naam\ufffd.txt"),  # an undecodable byte in a file name
    ("cafe\u0301.txt", "café.txt"),
    ("  spaties.txt  ", "spaties.txt"),
    ('<>:"|?*.txt', '<>:"|?*.txt'),
])
def test_odd_file_names_are_kept_cleaned(store: Store, concept: int, naam: str, bewaard: str) -> None:
    bijlage_id = _voeg_toe(store, concept, naam, b"tekst")
    assert store.bijlagen.get(bijlage_id).naam == bewaard
    json.dumps(store.verslagen.get(concept).antwoorden, ensure_ascii=False).encode("utf-8")


def test_a_long_name_is_shortened_keeping_its_extension() -> None:
    naam = schone_naam("reflectie " * 40 + ".docx")
    assert len(naam) == 180 and naam.endswith("….docx")


def test_the_same_file_twice_is_refused(store: Store, concept: int) -> None:
    _voeg_toe(store, concept, "reflectie.txt", b"tekst")
    with pytest.raises(BijlageFout, match="al bijgevoegd"):
        _voeg_toe(store, concept, "kopie.txt", b"tekst")


def test_only_the_author_adds_or_removes_and_only_in_a_bijlage_field(store: Store, concept: int) -> None:
    bijlage_id = _voeg_toe(store, concept, "a.txt", b"tekst")
    with pytest.raises(BijlageFout, match="van Docent Vos"):
        _voeg_toe(store, concept, "b.txt", b"andere tekst", auteur="Iemand Anders")
    with pytest.raises(BijlageFout, match="van Docent Vos"):
        store.bijlagen.verwijderen(bijlage_id, auteur="Iemand Anders")
    with pytest.raises(BijlageFout, match="geen bijlage"):
        store.bijlagen.toevoegen(concept, "afspraken", "b.txt", b"andere tekst", auteur=AUTEUR)
    with pytest.raises(BijlageFout, match="je naam"):
        _voeg_toe(store, concept, "b.txt", b"andere tekst", auteur=" ")


# ---- definitief ----------------------------------------------------------------------------------------------


@pytest.fixture
def definitief(store: Store, concept: int) -> Iterator[tuple[int, int]]:
    bijlage_id = _voeg_toe(store, concept, "reflectie.pdf", pdf_bytes())
    store.verslagen.afronden(concept, user=AUTEUR, today=max(GESPREK, date.today()))
    yield concept, bijlage_id


def test_the_seal_covers_the_files_hash(store: Store, definitief: tuple[int, int]) -> None:
    verslag_id, bijlage_id = definitief
    verslag = store.verslagen.get(verslag_id)
    formulier = store.verslagen.formulier(verslag)
    assert verslag.afgerond_op is not None
    for deel in formulier.delen:
        assert store.bijlagen.get(bijlage_id).sha256.encode() in canonical(formulier, verslag, deel.id,
                                                                          verslag.afgerond_op)


def test_a_definitief_verslag_keeps_its_bijlage(store: Store, definitief: tuple[int, int]) -> None:
    verslag_id, bijlage_id = definitief
    inhoud = store.bijlagen.inhoud(bijlage_id)
    with pytest.raises(BijlageFout, match="definitief"):
        store.bijlagen.verwijderen(bijlage_id, auteur=AUTEUR)
    with pytest.raises(BijlageFout, match="definitief"):
        _voeg_toe(store, verslag_id, "nog een.txt", b"later")
    # The store refuses it too, whatever the code above it does.
    for sql in ("DELETE FROM bijlage WHERE id = ?", "UPDATE bijlage SET inhoud = x'00' WHERE id = ?"):
        with pytest.raises(sqlcipher3.IntegrityError):
            store.conn.execute(sql, (bijlage_id,))
    with pytest.raises(sqlcipher3.IntegrityError):
        store.conn.execute("INSERT INTO bijlage (verslag_id, veld, naam, soort, grootte, sha256, toegevoegd, inhoud) "
                           "VALUES (?, ?, 'x.txt', 'txt', 1, '', '2026-11-30', x'41')", (verslag_id, VELD))
    assert store.bijlagen.inhoud(bijlage_id) == inhoud
    assert [b.id for b in store.bijlagen.van_verslag(verslag_id)] == [bijlage_id]


def test_a_new_version_carries_the_file_and_lets_go_of_it_alone(store: Store, definitief: tuple[int, int]) -> None:
    verslag_id, bijlage_id = definitief
    nieuw = store.verslagen.nieuwe_versie(verslag_id, "Tikfout in de afspraken", auteur=AUTEUR).created
    assert isinstance(nieuw, int)
    assert [v.bijlage for v in verwijzingen(store.verslagen.get(nieuw).antwoord(VELD))] == [bijlage_id]
    extra = _voeg_toe(store, nieuw, "aanvulling.txt", b"aanvulling")
    store.bijlagen.verwijderen(bijlage_id, auteur=AUTEUR, uit_verslag=nieuw)
    assert [v.bijlage for v in verwijzingen(store.verslagen.get(nieuw).antwoord(VELD))] == [extra]
    assert store.bijlagen.inhoud(bijlage_id)  # the earlier version keeps it
    assert [v.bijlage for v in verwijzingen(store.verslagen.get(verslag_id).antwoord(VELD))] == [bijlage_id]
    with pytest.raises(BijlageFout, match="hoort niet bij"):
        store.bijlagen.verwijderen(bijlage_id, auteur=AUTEUR, uit_verslag=nieuw)


def test_a_changed_content_is_not_handed_out(store: Store, concept: int) -> None:
    bijlage_id = _voeg_toe(store, concept, "a.txt", b"origineel")
    store.conn.execute("DROP TRIGGER bijlage_vast")  # as someone with the key and a SQL shell could
    store.conn.execute("UPDATE bijlage SET inhoud = ? WHERE id = ?", (b"vervalst", bijlage_id))
    with pytest.raises(BijlageFout, match="vingerafdruk"):
        store.bijlagen.inhoud(bijlage_id)
