"""The archive export's plan (core.verslagen.archief): which verslagen, and the names of their files: sorted by the
gesprek's date, saying what and whose, safe on Windows (forbidden characters, reserved names, trailing dots, the
260-character path), one name per file; the reflectieverslag copied only where the document may show it (5.3.1).
And geëxporteerd, recorded per verslag and place."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import replace
from pathlib import Path

import pytest
import sqlcipher3

from ontkoppel_desktop.core.personen import Naam
from ontkoppel_desktop.core.procedure.definition import VerslagBestemming
from ontkoppel_desktop.core.procedure.loader import default_registry
from ontkoppel_desktop.core.verslagen import GesprekFormulier, Status, Verslag, VerslagFout, bundled_formulieren
from ontkoppel_desktop.core.verslagen.archief import (
    MAX_PAD,
    TIJDELIJK_EXTRA,
    ArchiefFout,
    ArchiefVerslag,
    Formaat,
    kies_periode,
    kies_traject,
    maak_plan,
    nog_te_exporteren,
    windows_naam,
)
from ontkoppel_desktop.store import keys
from ontkoppel_desktop.store.database import connect, migrate
from ontkoppel_desktop.store.store import Store
from ontkoppel_desktop.store.verslagen import SqlVerslagRepository
from tests.verslagen.conftest import AUTEUR, TODAY, schrijf_driehoek
from tests.verslagen.conftest import traject_id as traject_id  # noqa: F401 (the fixture)

E, D = VerslagBestemming.E_PORTFOLIO, VerslagBestemming.DOSSIER_OPLEIDER
NOOR, EVA = Naam("Noor", "", "Visser"), Naam("Eva", "", "Smit")


def _formulier(gesprek: str) -> GesprekFormulier:
    return bundled_formulieren(default_registry().get("utrecht-ontkoppeling", "2023-03"))[gesprek]


def _verslag(vid: int, gesprek: str, datum: str, *, traject: int = 1, versie: int = 1, **antwoorden: object
             ) -> ArchiefVerslag:
    formulier = _formulier(gesprek)
    verslag = Verslag(id=vid, traject_id=traject, gesprek=gesprek, procedure=formulier.procedure, auteur=AUTEUR,
                      antwoorden={"datum": datum, **antwoorden}, status=Status.DEFINITIEF, versie=versie,  # type: ignore[dict-item]
                      gebeurtenis_id=f"g{vid}")
    return ArchiefVerslag(verslag, formulier, NOOR, EVA)


def _namen(plan_map: Path, *verslagen: ArchiefVerslag, formaten: tuple[Formaat, ...] = (Formaat.PDF,)) -> list[str]:
    plan = maak_plan(list(verslagen), plan_map, formaten)
    return [f"{b.pad.parent.name}/{b.pad.name}" for b in plan.bestanden()]


# ---- names -----------------------------------------------------------------------------------------------------


def test_names_say_date_what_and_whose_and_sort_in_time(tmp_path: Path) -> None:
    namen = _namen(
        tmp_path,
        _verslag(3, "evaluatie_opleider", "2026-10-06"),
        _verslag(1, "driehoeksgesprek", "2026-09-08"),
        _verslag(2, "evaluatie_nieuwe_opleider", "2027-01-12"),
    )
    assert namen == [
        "e-portfolio aios/2026-09-08 Driehoeksgesprek - Visser, Noor.pdf",
        "dossier opleider/2026-09-08 Driehoeksgesprek - Smit, Eva.pdf",
        "e-portfolio aios/2026-10-06 Verslag over de aios (evaluatiegesprek opleider) - Visser, Noor.pdf",
        "dossier opleider/2026-10-06 Verslag over de opleider (evaluatiegesprek opleider) - Smit, Eva.pdf",
        "e-portfolio aios/2027-01-12 Evaluatiegesprek met de nieuwe opleider - Visser, Noor.pdf",
    ]
    for folder in ("e-portfolio aios", "dossier opleider"):
        mine = [n for n in namen if n.startswith(folder)]
        assert sorted(mine) == mine, "sorting by name is sorting in time"


def test_a_person_as_a_list_sorts_them_and_a_new_version_says_so(tmp_path: Path) -> None:
    a = _verslag(1, "driehoeksgesprek", "2026-09-08", versie=2)
    a = ArchiefVerslag(a.verslag, a.formulier, Naam("Jan", "van", "Dijk"), Naam("", "", "Özdemir-Şahin"))
    assert _namen(tmp_path, a, formaten=(Formaat.PDF, Formaat.WORD)) == [
        "e-portfolio aios/2026-09-08 Driehoeksgesprek versie 2 - Dijk, Jan van.pdf",
        "e-portfolio aios/2026-09-08 Driehoeksgesprek versie 2 - Dijk, Jan van.docx",
        "dossier opleider/2026-09-08 Driehoeksgesprek versie 2 - Özdemir-Şahin.pdf",
        "dossier opleider/2026-09-08 Driehoeksgesprek versie 2 - Özdemir-Şahin.docx",
    ]


@pytest.mark.parametrize(("naam", "veilig"), [
    ("CON", "_CON"),
    ("nul.pdf", "_nul.pdf"),
    ("Com1.tar.gz", "_Com1.tar.gz"),
    ("LPT9 .docx", "_LPT9 .docx"),
    ("CONSOLE.pdf", "CONSOLE.pdf"),
    ('a<b>c:d"e/f\\g|h?i*j', "a_b_c_d_e_f_g_h_i_j"),
    ("verslag. . ", "verslag"),
    ("  spaties  ", "spaties"),
    ("regel\neen\ttwee", "regel een twee"),
    ("reflectie\u202etxt.exe", "reflectietxt.exe"),
    ("ctrl\x07\x00teken", "ctrl__teken"),
    ("...", "_"),
    ("Yılmaz, Çağlar ĳ", "Yılmaz, Çağlar ĳ"),
])
def test_windows_naam(naam: str, veilig: str) -> None:
    assert windows_naam(naam) == veilig


def test_odd_names_in_the_plan_are_safe_on_windows(tmp_path: Path) -> None:
    a = _verslag(1, "driehoeksgesprek", "2026-09-08")
    a = ArchiefVerslag(a.verslag, a.formulier, Naam("Noor", "", 'Visser/Jansen: "V"?'), Naam("", "", "Smit."))
    namen = [n.split("/", 1)[1] for n in _namen(tmp_path, a)]
    assert namen == ["2026-09-08 Driehoeksgesprek - Visser_Jansen_ _V__, Noor.pdf",
                     "2026-09-08 Driehoeksgesprek - Smit.pdf"]
    for naam in namen:
        stam = naam.rsplit(".", 1)[0]
        assert not set('<>:"/\\|?*') & set(naam) and stam == stam.rstrip(". ")


def test_a_deep_folder_shortens_the_middle_of_the_name_within_windows_limit(tmp_path: Path) -> None:
    diep = tmp_path / ("diepe map " * 30)[: 139 - len(str(tmp_path))].strip()
    assert 120 < len(str(diep)) <= 140
    lang = Naam("Maria Antonia Johanna", "van der", "Berg-Hoogeveen tot Wijhe-Zuylestein")
    bijlage = [{"bijlage": 7, "naam": "Mijn reflectieverslag over de periode in de praktijk " * 3 + ".docx",
                "sha256": "ab" * 32}]
    a = _verslag(1, "evaluatie_aios", "2026-09-22", reflectieverslag_ontvangen=True, reflectieverslag=bijlage,
                 reflectie_in_eportfolio=True)
    a = ArchiefVerslag(a.verslag, a.formulier, lang, lang)
    plan = maak_plan([a], diep, (Formaat.PDF, Formaat.WORD))
    bestanden = list(plan.bestanden())
    assert len(bestanden) == 6
    for b in bestanden:
        assert len(str(b.pad)) + TIJDELIJK_EXTRA <= MAX_PAD, "the temporary name fits too"
        assert b.pad.name.startswith("2026-09-22 Evalu") and "…" in b.pad.name
    documenten = [b for b in bestanden if b.bijlage is None]
    assert all(b.pad.stem.endswith("anna van der") for b in documenten), "the name's end stays"
    for b in bestanden:
        if b.bijlage is not None:
            assert b.pad.name.startswith(b.document.stam + " - bijlage ") and b.pad.suffix == ".docx"


def test_a_folder_too_deep_for_any_name_is_refused_in_dutch(tmp_path: Path) -> None:
    te_diep = tmp_path / ("x" * 100) / ("y" * 60)
    with pytest.raises(ArchiefFout, match="te diep voor Windows"):
        maak_plan([_verslag(1, "driehoeksgesprek", "2026-09-08")], te_diep)


def test_names_that_collide_get_a_number_also_when_only_the_case_differs(tmp_path: Path) -> None:
    een = _verslag(1, "driehoeksgesprek", "2026-09-08")
    twee = _verslag(2, "driehoeksgesprek", "2026-09-08")
    ander = _verslag(3, "driehoeksgesprek", "2026-09-08", traject=2)
    ander = ArchiefVerslag(ander.verslag, ander.formulier, Naam("noor", "", "VISSER"), Naam("Eva", "", "Jansen"))
    namen = _namen(tmp_path, een, twee, ander)
    assert namen == [
        "e-portfolio aios/2026-09-08 Driehoeksgesprek - Visser, Noor.pdf",
        "dossier opleider/2026-09-08 Driehoeksgesprek - Smit, Eva.pdf",
        "e-portfolio aios/2026-09-08 Driehoeksgesprek - Visser, Noor (2).pdf",
        "dossier opleider/2026-09-08 Driehoeksgesprek - Smit, Eva (2).pdf",
        "e-portfolio aios/2026-09-08 Driehoeksgesprek - VISSER, noor (3).pdf",
        "dossier opleider/2026-09-08 Driehoeksgesprek - Jansen, Eva.pdf",
    ]
    assert len({n.casefold() for n in namen}) == len(namen)


def test_two_bijlagen_of_the_same_name_get_two_files(tmp_path: Path) -> None:
    lijst = [{"bijlage": 1, "naam": "Reflectie.txt", "sha256": "a" * 64},
             {"bijlage": 2, "naam": "reflectie.TXT", "sha256": "b" * 64}]
    a = _verslag(1, "evaluatie_aios", "2026-09-22", reflectieverslag_ontvangen=True, reflectieverslag=lijst,
                 reflectie_in_eportfolio=False)
    namen = [n for n in _namen(tmp_path, a) if "bijlage" in n]
    assert namen == ["dossier opleider/2026-09-22 Evaluatiegesprek aios - Smit, Eva - bijlage Reflectie.txt",
                     "dossier opleider/2026-09-22 Evaluatiegesprek aios - Smit, Eva - bijlage reflectie (2).txt"]


# ---- the reflectieverslag (Utrecht 5.3.1) ----------------------------------------------------------------------


@pytest.mark.parametrize("gekozen", [True, False])
def test_the_aios_reflectieverslag_is_copied_into_the_e_portfolio_only_when_chosen(tmp_path: Path,
                                                                                   gekozen: bool) -> None:
    bijlage = [{"bijlage": 7, "naam": "Reflectie Noor.docx", "sha256": "ab" * 32}]
    a = _verslag(1, "evaluatie_aios", "2026-09-22", reflectieverslag_ontvangen=True, reflectieverslag=bijlage,
                 reflectie_in_eportfolio=gekozen)
    plan = maak_plan([a], tmp_path)
    kopieen = {d.plek: [b.bijlage_id for b in d.bijlagen] for s in plan.stukken for d in s.documenten}
    assert kopieen == {E: [7] if gekozen else [], D: [7]}
    namen = [b.pad.name for b in plan.bestanden() if b.bijlage is not None]
    assert "2026-09-22 Evaluatiegesprek aios - Smit, Eva - bijlage Reflectie Noor.docx" in namen


def test_the_opleiders_reflectieverslag_goes_only_with_the_verslag_over_the_opleider(tmp_path: Path) -> None:
    bijlage = [{"bijlage": 9, "naam": "Reflectie Eva.pdf", "sha256": "cd" * 32}]
    a = _verslag(1, "evaluatie_opleider", "2026-10-06", reflectieverslag_ontvangen=True, reflectieverslag=bijlage)
    plan = maak_plan([a], tmp_path)
    kopieen = {(d.deel.id, d.plek): [b.bijlage_id for b in d.bijlagen] for s in plan.stukken for d in s.documenten}
    assert kopieen == {("over_aios", E): [], ("over_opleider", D): [9]}


# ---- which verslagen -------------------------------------------------------------------------------------------


def test_a_traject_exports_the_newest_definitief_version_of_each_gesprek(store: Store, traject_id: int) -> None:
    svc = store.verslagen
    eerste = schrijf_driehoek(store, traject_id, dt.date(2026, 9, 8), afronden=True)
    schrijf_driehoek(store, traject_id, dt.date(2026, 9, 10))  # a concept: not exported
    assert [a.verslag.id for a in kies_traject(svc, traject_id, TODAY)] == [eerste]
    tweede = svc.nieuwe_versie(eerste, "Naam verkeerd gespeld", auteur=AUTEUR).created
    assert [a.verslag.id for a in kies_traject(svc, traject_id, TODAY)] == [eerste], "a concept replaces nothing"
    assert isinstance(tweede, int)
    svc.afronden(tweede, user=AUTEUR, today=TODAY)
    gekozen = kies_traject(svc, traject_id, TODAY)
    assert [(a.verslag.id, a.verslag.versie) for a in gekozen] == [(tweede, 2)]
    assert gekozen[0].aios == NOOR and gekozen[0].opleider == EVA


def test_a_period_is_by_the_day_a_verslag_was_afgerond(store: Store, traject_id: int) -> None:
    svc = store.verslagen
    ids = []
    for gesprek, afgerond in ((dt.date(2026, 9, 8), dt.datetime(2026, 9, 9, 10, tzinfo=dt.UTC)),
                              (dt.date(2026, 9, 20), dt.datetime(2026, 10, 1, 9, tzinfo=dt.UTC))):
        vid = schrijf_driehoek(store, traject_id, gesprek)
        svc.afronden(vid, user=AUTEUR, today=TODAY, now=afgerond)
        ids.append(vid)

    def gekozen(van: dt.date | None, tot: dt.date | None) -> list[int]:
        return [a.verslag.id for a in kies_periode(svc, van, tot, TODAY)]

    assert gekozen(None, None) == ids
    assert gekozen(dt.date(2026, 9, 1), dt.date(2026, 9, 30)) == ids[:1]
    assert gekozen(dt.date(2026, 10, 1), dt.date(2026, 10, 1)) == ids[1:]
    assert gekozen(dt.date(2026, 10, 2), None) == []
    with pytest.raises(ArchiefFout, match="De periode loopt terug"):
        kies_periode(svc, dt.date(2026, 10, 1), dt.date(2026, 9, 1))


# ---- geëxporteerd ----------------------------------------------------------------------------------------------


def test_geexporteerd_is_recorded_per_place_and_not_for_a_new_version(store: Store, traject_id: int) -> None:
    svc = store.verslagen
    vid = schrijf_driehoek(store, traject_id, dt.date(2026, 9, 8), afronden=True)
    changes = svc.zet_geexporteerd({vid: [E]}, dt.date(2026, 11, 2))
    assert changes.int_ids("verslag") == {vid}
    assert svc.get(vid).geexporteerd_op == {E: dt.date(2026, 11, 2)}
    assert [a.verslag.id for a in nog_te_exporteren(kies_traject(svc, traject_id, TODAY))] == [vid], "not the dossier"
    svc.zet_geexporteerd({vid: [E, D]}, dt.date(2026, 11, 3))
    verslag = svc.get(vid)
    assert verslag.geexporteerd_op == {E: dt.date(2026, 11, 3), D: dt.date(2026, 11, 3)}
    assert verslag.fase() == "Definitief", "geëxporteerd is no step: gearchiveerd stays to confirm"
    assert nog_te_exporteren(kies_traject(svc, traject_id, TODAY)) == []
    nieuw = svc.nieuwe_versie(vid, "Correctie", auteur=AUTEUR).created
    assert isinstance(nieuw, int) and svc.get(nieuw).geexporteerd_op == {}


def test_geexporteerd_is_refused_for_a_concept_and_a_place_it_does_not_go(store: Store, traject_id: int) -> None:
    svc = store.verslagen
    concept = schrijf_driehoek(store, traject_id, dt.date(2026, 9, 8))
    with pytest.raises(VerslagFout, match="Rond het verslag eerst af"):
        svc.zet_geexporteerd({concept: [E]}, TODAY)
    # The evaluatiegesprek with the new opleider goes into the e-portfolio only (made definitief at the store:
    # its traject need not reach that step for this).
    vid = svc.nieuw(traject_id, "evaluatie_nieuwe_opleider", auteur=AUTEUR, today=dt.date(2026, 11, 20)).created
    assert isinstance(vid, int)
    svc.repo.update(replace(svc.get(vid), status=Status.DEFINITIEF, afgerond_op=dt.datetime.now(dt.UTC)))
    with pytest.raises(VerslagFout, match="niet naar het dossier opleider"):
        svc.zet_geexporteerd({vid: [D]}, TODAY)
    assert svc.get(vid).geexporteerd_op == {} and svc.get(concept).geexporteerd_op == {}


def test_a_v7_store_reads_its_verslagen_after_v8(tmp_path: Path) -> None:
    key = keys.new_data_key()
    path = tmp_path / "v7.okdb"
    conn = sqlcipher3.connect(str(path), isolation_level=None)
    conn.set_key(keys.sqlcipher_raw_key(key))
    conn.execute("PRAGMA cipher_compatibility = 4")
    migrate(conn, target=7)
    conn.execute("INSERT INTO aios (voornaam, achternaam, opleidingsjaar) VALUES ('Noor', 'Visser', 1)")
    conn.execute("INSERT INTO opleider (voornaam, achternaam) VALUES ('Eva', 'Smit')")
    conn.execute("INSERT INTO koppeling (aios_id, opleider_id, startdatum) VALUES (1, 1, '2026-03-01')")
    conn.execute(
        "INSERT INTO traject (koppeling_id, aios_id, opleider_id, procedure_id, procedure_version, startreden, "
        "categorie) VALUES (1, 1, 1, 'utrecht-ontkoppeling', '2023-03', 'signaal_aios', 'opleidingssituatie')")
    conn.execute(
        "INSERT INTO verslag (traject_id, gesprek, procedure_id, procedure_version, auteur, antwoorden, status, "
        "aangemaakt, opgeslagen, gebeurtenis_id, gearchiveerd_op) VALUES (1, 'driehoeksgesprek', "
        "'utrecht-ontkoppeling', '2023-03', 'Docent Vos', ?, 'definitief', '2026-11-02T10:00:00+00:00', "
        "'2026-11-02T10:00:00+00:00', 'e1', ?)",
        (json.dumps({"datum": "2026-11-02"}), json.dumps({"e_portfolio": "2026-11-05"})))
    conn.close()
    conn = connect(path, key)
    try:
        verslag = SqlVerslagRepository(conn).load(1)
        assert verslag is not None
        assert verslag.geexporteerd_op == {} and verslag.gearchiveerd_op == {E: dt.date(2026, 11, 5)}
    finally:
        conn.close()
