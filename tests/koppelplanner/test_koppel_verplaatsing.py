"""Judging a move on the board (refused or flagged with a Dutch reason, and its cost against the optimum), and
1-op-1 mode."""

from __future__ import annotations

import pytest
from koppel_voorbeelden import C, aios, opleider, ronde

from ontkoppel_desktop.core.koppelplanner import Doelwaarde, Koppelplanner, Regel


@pytest.fixture
def planner() -> Koppelplanner:
    r = ronde(
        [aios("A1", naam="Sanne Visser"), aios("A2", naam="Bram Bos"), aios("A3", 3, naam="Noor Vos"),
         aios("AV", naam="Iris Post")],
        [opleider("O1", naam="Eva Kok"), opleider("O2", coassistent=True), opleider("OC", C),
         opleider("OB", blokkade=True), opleider("ON"), opleider("OV")],
        {"A1": ["O1", "O2", "OC"], "A2": ["O2", "O1"], "A3": ["O1", "O2"]},
        afwijzingen=[("O2", "A1")],
        vast=[("AV", "OV")],
    )
    return Koppelplanner(r)


def test_the_optimum(planner):
    assert planner.optimum.toewijzing == {"A1": "OC", "A2": "O2", "A3": "O1", "AV": "OV"}


@pytest.mark.parametrize(
    ("aios_id", "opleider_id", "regel", "toegestaan", "woorden"),
    [
        ("A1", "O2", Regel.AFGEWEZEN, False, ["afgewezen", "Sanne Visser"]),
        ("A3", "OC", Regel.OPLEIDINGSJAAR, False, ["1e jaars", "Noor Vos", "3e jaars"]),
        ("A1", "OB", Regel.BLOKKADE, False, ["blokkade"]),
        ("A1", "ON", Regel.NIET_BEZOCHT, True, ["niet bezocht", "uitzondering"]),
        ("A2", "O1", Regel.CAPACITEIT_VOL, False, ["geen vrije plaats", "Noor Vos"]),
        ("AV", "ON", Regel.VASTGEZET_ELDERS, False, ["vastgezet"]),
        ("AV", None, Regel.VASTGEZET_ELDERS, False, ["losgemaakt"]),
    ],
)
def test_move_rules(planner, aios_id, opleider_id, regel, toegestaan, woorden):
    oordeel = planner.check_move(planner.optimum.toewijzing, aios_id, opleider_id)
    assert regel in {b.regel for b in oordeel.bezwaren}
    assert oordeel.toegestaan is toegestaan
    tekst = oordeel.tekst
    for woord in woorden:
        assert woord in tekst


def test_a_clean_move_costs_against_the_optimum(planner):
    bord = planner.optimum.toewijzing
    oordeel = planner.check_move(bord, "A1", None)
    assert oordeel.toegestaan and not oordeel.bezwaren
    assert oordeel.tegen_optimum == Doelwaarde(-1, -1, -3)
    assert "1 aios minder gekoppeld" in oordeel.tekst
    assert "1 voorrangsopleider minder gevuld" in oordeel.tekst
    # Putting A1 on an unvisited practice: flagged, one aios back, the voorrang still lost, score +6.
    losgemaakt = dict(oordeel.toewijzing)
    terug = planner.check_move(losgemaakt, "A1", "ON")
    assert terug.gesignaleerd
    assert terug.tegen_huidig == Doelwaarde(1, 0, 6)
    assert terug.tegen_optimum == Doelwaarde(0, -1, 3)


def test_swap(planner):
    bord = planner.optimum.toewijzing
    oordeel = planner.check_swap(bord, "A2", "A3")
    assert oordeel.toewijzing["A2"] == "O1" and oordeel.toewijzing["A3"] == "O2"
    assert oordeel.toegestaan
    assert oordeel.tegen_optimum == Doelwaarde(0, 0, 2)
    assert planner.check_swap(bord, "A1", "A2").toegestaan is False  # A1 to O2: afgewezen


def test_undoing_a_pin_is_flagged(planner):
    bord = planner.optimum.toewijzing
    oordeel = planner.check_move(bord, "A2", None, pins=[("A2", "O2")])
    assert oordeel.toegestaan and oordeel.gesignaleerd
    assert "vastzetting vervalt" in oordeel.tekst


def test_unknown_aios_is_refused(planner):
    assert not planner.check_move({}, "A9", "O1").toegestaan


def test_move_to_the_same_place_is_free(planner):
    bord = planner.optimum.toewijzing
    oordeel = planner.check_move(bord, "A2", "O2")
    assert oordeel.toegestaan and oordeel.tegen_huidig == Doelwaarde(0, 0, 0)
    assert oordeel.tegen_optimum.verschil_tekst == "geen verschil"


# --- 1-op-1 ----------------------------------------------------------------------------------------------------


def test_one_on_one_lists_eligible_first_with_reasons_for_the_rest(planner):
    bord = planner.optimum.toewijzing
    kandidaten = planner.candidates("A3", {a: o for a, o in bord.items() if a != "A3"})
    geschikt = [k.opleider_id for k in kandidaten if k.geschikt]
    # Free, unblocked, 3rd-year-capable: O1 (A3 itself left it) and ON; a bezoek is not needed in 1-op-1.
    assert geschikt == ["O1", "ON"]
    redenen = {k.opleider_id: k.reden for k in kandidaten if not k.geschikt}
    assert "1e jaars" in redenen["OC"]
    assert "blokkade" in redenen["OB"]
    assert "geen vrije plaats" in redenen["O2"] and "Bram Bos" in redenen["O2"]
    assert "geen vrije plaats" in redenen["OV"]


def test_one_on_one_puts_voorrang_first_and_respects_afwijzing(planner):
    kandidaten = planner.candidates("A1", {})
    assert kandidaten[0].opleider_id == "OC" and kandidaten[0].voorrang
    o2 = next(k for k in kandidaten if k.opleider_id == "O2")
    assert not o2.geschikt and "afgewezen" in o2.reden


def test_a_refused_move_says_why_and_nothing_it_would_have_cost(planner):
    """Issue 14: "ten opzichte van het optimum" is said of a move that happens, not of one that is refused; and a
    refused move undoes no pin, so "die vastzetting vervalt" is not said of it either."""
    bord = planner.optimum.toewijzing
    # A1 pinned on the board at OC, then dragged onto O2, who rejected A1: refused, and the pin stays.
    oordeel = planner.check_move(bord, "A1", "O2", pins=[("A1", "OC")])
    assert not oordeel.toegestaan
    for tekst in (oordeel.tekst, oordeel.weigering, oordeel.tekst_vooraf):
        assert "afgewezen" in tekst
        assert "optimum" not in tekst and "Ten opzichte" not in tekst and "vervalt" not in tekst
    assert oordeel.tekst_vooraf.startswith("Kan niet: ")
    # Allowed: what it costs, after the move and (in the conditional) before it.
    toegestaan = planner.check_move(bord, "A1", None)
    assert "Ten opzichte van het optimum: 1 aios minder gekoppeld" in toegestaan.tekst
    assert "Ten opzichte van de indeling ervoor" in toegestaan.tekst
    assert toegestaan.tekst_vooraf.startswith("Deze zet geeft ten opzichte van het optimum: 1 aios minder")
    assert toegestaan.weigering == ""
