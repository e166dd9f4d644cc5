"""The calendar of a ronde, derived from the AMC kaders, and the small model helpers."""

from __future__ import annotations

from datetime import date

import pytest

from ontkoppel_desktop.core.koppelplanner import Ronde, plan_ronde
from ontkoppel_desktop.core.koppelplanner.ronde import datum_nl, natural_key


@pytest.mark.parametrize(
    ("start", "van", "tot", "uitslag", "woorden"),
    [
        # "Startdatum maart: gesprekken december tot begin januari (uitslag koppeling half januari bekend)"
        (date(2027, 3, 1), date(2026, 12, 1), date(2027, 1, 10), date(2027, 1, 15), "december tot begin januari"),
        # "Startdatum juni: gesprekken half maart (uitslag koppeling half april bekend)"
        (date(2027, 6, 1), date(2027, 3, 8), date(2027, 3, 22), date(2027, 4, 15), "half maart"),
        # "Startdatum september: gesprekken juni (uitslag koppeling half juli bekend)"
        (date(2027, 9, 1), date(2027, 6, 1), date(2027, 6, 30), date(2027, 7, 15), "gesprekken juni"),
        # "Startdatum december: gesprekken september (uitslag koppeling half oktober bekend)"
        (date(2027, 12, 1), date(2027, 9, 1), date(2027, 9, 30), date(2027, 10, 15), "half oktober"),
    ],
)
def test_planning_per_start_month(start, van, tot, uitslag, woorden):
    planning = plan_ronde(start)
    assert (planning.gesprekken_van, planning.gesprekken_tot, planning.uitslag) == (van, tot, uitslag)
    assert woorden in planning.omschrijving
    assert planning.gesprekken_van < planning.gesprekken_tot < planning.uitslag < start


def test_planning_text_is_dutch():
    tekst = plan_ronde(date(2027, 3, 1)).tekst
    assert "1 december 2026" in tekst and "15 januari 2027" in tekst


@pytest.mark.parametrize("month", [1, 2, 4, 5, 7, 8, 10, 11])
def test_other_start_months_are_refused(month):
    with pytest.raises(ValueError, match="maart, juni, september of december"):
        plan_ronde(date(2027, month, 1))


def test_ronde_planning_property():
    assert Ronde((), (), startdatum=date(2027, 9, 1)).planning == plan_ronde(date(2027, 9, 1))
    assert Ronde((), ()).planning is None
    assert Ronde((), (), startdatum=date(2027, 8, 1)).planning is None


def test_datum_nl():
    assert datum_nl(date(2026, 11, 23)) == "23 november 2026"


def test_natural_key_orders_ids_as_people_read_them_and_is_total():
    ids = ["A10", "A2", "A1", "A01", "B1", "a3"]
    assert sorted(ids, key=natural_key) == ["A01", "A1", "A2", "a3", "A10", "B1"]
    assert len({natural_key(i) for i in ids}) == len(ids)
