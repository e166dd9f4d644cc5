"""The headless command: `ontkoppel-desktop koppel RONDE.xlsx --uitslag UITSLAG.xlsx`."""

from __future__ import annotations

import io

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
