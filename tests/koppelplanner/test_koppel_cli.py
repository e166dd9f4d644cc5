"""The headless command: `ontkoppel-desktop koppel RONDE.xlsx --uitslag UITSLAG.xlsx`."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook

from ontkoppel_desktop.cli_koppel import EXIT_GEBRUIK, EXIT_OK, EXIT_ONGELDIG, EXIT_SCHRIJVEN, run
from ontkoppel_desktop.demo.rondes import maak_demo_ronde
from ontkoppel_desktop.exchange.ronde_schrijven import write_ronde
from ontkoppel_desktop.exchange.ronde_sjabloon import write_template


def _run(*argv):
    out, err = io.StringIO(), io.StringIO()
    code = run(list(argv), out, err)
    return code, out.getvalue(), err.getvalue()


def test_solves_writes_and_summarises(tmp_path):
    write_ronde(tmp_path / "ronde.xlsx", maak_demo_ronde(60, 80, seed=1))
    code, out, err = _run(str(tmp_path / "ronde.xlsx"), "--uitslag", str(tmp_path / "uitslag.xlsx"))
    assert code == EXIT_OK, err
    assert "Gekoppeld: 60 van 60 aios." in out
    assert "Voorrangsopleiders gevuld:" in out and "Profiel: 1e keuze" in out
    assert "Uitslag geschreven naar" in out
    wb = load_workbook(tmp_path / "uitslag.xlsx")
    assert wb["Uitslag"].max_row == 61


def test_without_uitslag_only_prints(tmp_path):
    write_ronde(tmp_path / "ronde.xlsx", maak_demo_ronde(10, 12, seed=1))
    code, out, _ = _run(str(tmp_path / "ronde.xlsx"))
    assert code == EXIT_OK and "Gekoppeld:" in out
    assert not (tmp_path / "uitslag.xlsx").exists()


def test_bad_input_prints_every_problem_and_fails(tmp_path):
    r = maak_demo_ronde(10, 12, seed=1)
    from dataclasses import replace

    from ontkoppel_desktop.core.koppelplanner import Aios, Bezoek

    r = replace(r, aios=r.aios + (Aios("A99", "Noor Vos", 2),),
                bezoeken=r.bezoeken + (Bezoek("A99", "O001", 1), Bezoek("A99", "O002", 1)))
    write_ronde(tmp_path / "ronde.xlsx", r)
    code, out, err = _run(str(tmp_path / "ronde.xlsx"), "--uitslag", str(tmp_path / "uitslag.xlsx"))
    assert code == EXIT_ONGELDIG
    assert "3 problemen" in err and "mist score 2" in err
    assert "opleidingsjaar 2" in err and "score 1 aan zowel" in err
    assert "Blad Aios, rij" in err and "Blad Voorkeuren, rij" in err
    assert not (tmp_path / "uitslag.xlsx").exists()
    assert out == ""


def test_empty_template_fails_with_problems(tmp_path):
    write_template(tmp_path / "sjabloon.xlsx")
    code, _, err = _run(str(tmp_path / "sjabloon.xlsx"))
    assert code == EXIT_ONGELDIG and "geen aios" in err


def test_missing_file(tmp_path):
    code, _, err = _run(str(tmp_path / "weg.xlsx"))
    assert code == EXIT_ONGELDIG and "bestaat niet" in err


def test_usage_errors_are_dutch(tmp_path):
    code, _, err = _run()
    assert code == EXIT_GEBRUIK and "gebruik: ontkoppel-desktop koppel" in err and "verplicht" in err
    code, _, err = _run("r.xlsx", "--onbekend")
    assert code == EXIT_GEBRUIK and "onbekende argumenten" in err
    code, _, err = _run("r.xlsx", "--uitslag", "uitslag.csv")
    assert code == EXIT_GEBRUIK and ".xlsx" in err


def test_uitslag_may_not_overwrite_the_ronde(tmp_path):
    write_ronde(tmp_path / "ronde.xlsx", maak_demo_ronde(10, 12, seed=1))
    code, _, err = _run(str(tmp_path / "ronde.xlsx"), "--uitslag", str(tmp_path / "ronde.xlsx"))
    assert code == EXIT_GEBRUIK and "overschrijven" in err


def test_unwritable_uitslag(tmp_path):
    write_ronde(tmp_path / "ronde.xlsx", maak_demo_ronde(10, 12, seed=1))
    code, _, err = _run(str(tmp_path / "ronde.xlsx"), "--uitslag", str(tmp_path / "geen-map" / "u.xlsx"))
    assert code == EXIT_SCHRIJVEN and "kan niet worden geschreven" in err


def test_help_is_dutch():
    code, out, _ = _run("--help")
    assert code == EXIT_OK


def test_uitslag_held_by_another_program(tmp_path, monkeypatch):
    """On Windows Excel holds an open workbook: the replace is refused. Said in Dutch, exit 3, no traceback."""
    from ontkoppel_desktop import atomic

    def held(*_):
        raise PermissionError(13, "Permission denied")

    write_ronde(tmp_path / "ronde.xlsx", maak_demo_ronde(10, 12, seed=1))
    monkeypatch.setattr(atomic.os, "replace", held)
    monkeypatch.setattr(atomic, "_PAUSE_S", 0)
    code, _, err = _run(str(tmp_path / "ronde.xlsx"), "--uitslag", str(tmp_path / "uitslag.xlsx"))
    assert code == EXIT_SCHRIJVEN and "uitslag.xlsx is geopend in een ander programma" in err
    assert not list(tmp_path.glob(".~*"))


def test_a_damaged_workbook_fails_with_a_sentence(tmp_path):
    path = tmp_path / "ronde.xlsx"
    write_ronde(path, maak_demo_ronde(10, 12, seed=1))
    path.write_bytes(path.read_bytes()[:3000])
    code, out, err = _run(str(path), "--uitslag", str(tmp_path / "uitslag.xlsx"))
    assert code == EXIT_ONGELDIG and out == ""
    assert "1 probleem" in err and "kan niet als Excel-werkmap (.xlsx) worden gelezen" in err
    assert "Traceback" not in err


def test_the_ronde_is_validated_and_indexed_once(tmp_path, monkeypatch):
    """Issue 8: the import's validation and lookups serve the solver, the explanation and the uitslag."""
    from ontkoppel_desktop.core.koppelplanner import planner, validatie
    from ontkoppel_desktop.core.koppelplanner.paarregels import RondeIndex
    from ontkoppel_desktop.exchange import ronde_lezen

    builds, validations = [], []
    build = RondeIndex.build.__func__
    monkeypatch.setattr(RondeIndex, "build", classmethod(lambda cls, r: builds.append(r) or build(cls, r)))

    def counted(ronde, idx=None):
        validations.append(ronde)
        return validatie.validate(ronde, idx)

    monkeypatch.setattr(ronde_lezen, "validate", counted)
    monkeypatch.setattr(planner, "validate", counted)
    write_ronde(tmp_path / "ronde.xlsx", maak_demo_ronde(30, 36, seed=2))
    code, _, err = _run(str(tmp_path / "ronde.xlsx"), "--uitslag", str(tmp_path / "uitslag.xlsx"))
    assert code == EXIT_OK, err
    assert len(builds) == 1 and len(validations) == 1


def _csv_ronde(folder, aios_namen, voorkeur_extra=""):
    folder.mkdir()
    aios = "id;naam;opleidingsjaar\n" + "".join(f"A{i};{n};1\n" for i, n in enumerate(aios_namen, start=1))
    (folder / "Aios.csv").write_text(aios, encoding="utf-8")
    (folder / "Opleiders.csv").write_text(
        "id;naam;praktijk;status\n" + "".join(f"O{i};Eva Kok {i};Praktijk {i};curriculum\n"
                                              for i in range(1, len(aios_namen) + 1)), encoding="utf-8")
    (folder / "Voorkeuren.csv").write_text(
        "aios;opleider;score\n" + "".join(f"A{i};O{i};1\n" for i in range(1, len(aios_namen) + 1)) + voorkeur_extra,
        encoding="utf-8")
    return folder


@pytest.mark.parametrize("teken", ["\x00", "\x07", "\x1b"])
def test_control_characters_in_a_name_are_a_dutch_problem_with_the_row(tmp_path, teken):
    """Issue 12, defect 2: a NUL, BEL or ESC in a name is refused at import, its row named; the name is not shown."""
    folder = _csv_ronde(tmp_path / "ronde", ["Sanne Visser", f"Geheim{teken}Naam"])
    code, out, err = _run(str(folder), "--uitslag", str(tmp_path / "uitslag.xlsx"))
    assert code == EXIT_ONGELDIG, err
    assert "Blad Aios, rij 3, kolom naam: bevat een onzichtbaar stuurteken" in err
    assert "Geheim" not in err + out and "Traceback" not in err
    assert not (tmp_path / "uitslag.xlsx").exists()


def test_control_characters_in_an_xlsx_are_refused_too(tmp_path):
    from xlsxwriter import Workbook

    book = Workbook(str(tmp_path / "r.xlsx"))
    for title, rows in {
        "Aios": [["id", "naam", "opleidingsjaar"], ["A1", "Sanne\x1bVisser", 1]],
        "Opleiders": [["id", "naam", "praktijk", "status"], ["O1", "Eva\x00Kok", "P\x07", "curriculum"]],
        "Voorkeuren": [["aios", "opleider", "score"], ["A1", "O1", 1]],
    }.items():
        ws = book.add_worksheet(title)
        for r, row in enumerate(rows):
            for c, v in enumerate(row):
                (ws.write_string if isinstance(v, str) else ws.write_number)(r, c, v)
    book.close()
    code, _, err = _run(str(tmp_path / "r.xlsx"), "--uitslag", str(tmp_path / "u.xlsx"))
    assert code == EXIT_ONGELDIG and err.count("stuurteken") == 3, err
    assert "Visser" not in err and "Kok" not in err and not (tmp_path / "u.xlsx").exists()


def test_a_csv_field_over_the_csv_limit_is_a_dutch_problem(tmp_path):
    folder = _csv_ronde(tmp_path / "ronde", ["Sanne Visser"], voorkeur_extra='A1;O1;"' + "x" * 200_000 + '"\n')
    code, _, err = _run(str(folder))
    assert code == EXIT_ONGELDIG, err
    assert "Voorkeuren.csv kan niet worden gelezen: rij 3 heeft een veld van meer dan 131.072 tekens" in err
    assert "Error" not in err and "xxxx" not in err


def test_an_unforeseen_fault_is_one_dutch_line_without_personal_data(tmp_path, monkeypatch):
    import ontkoppel_desktop.cli_koppel as cli_koppel

    def kapot(_pad):
        raise RuntimeError("Sanne Visser, BSN 123456782")

    monkeypatch.setattr(cli_koppel, "read_ronde", kapot)
    code, out, err = _run(str(tmp_path / "r.xlsx"))
    assert code == cli_koppel.EXIT_ONVERWACHT != EXIT_OK
    assert err == "Fout: er ging iets onverwachts mis (RuntimeError); er is geen uitslag geschreven.\n"
    assert out == ""
