"""Issue 14: what a manager reads on the board, in 1-op-1 and in the uitleg names people and practices, never the
ids of the workbook; only a problem of an imported workbook names the id, because the sheets Voorkeuren,
Afwijzingen, Vastgezet and Uitzonderingen name aios and opleiders by it alone."""

from __future__ import annotations

import re
from dataclasses import replace

import pytest

from ontkoppel_desktop.core.koppelplanner import Koppelplanner, Regel, validate
from ontkoppel_desktop.core.koppelplanner.paarregels import RondeIndex
from ontkoppel_desktop.core.koppelplanner.solver import pin_problems
from ontkoppel_desktop.demo.rondes import maak_demo_ronde


@pytest.fixture(scope="module")
def planner() -> Koppelplanner:
    return Koppelplanner(maak_demo_ronde(24, 30, seed=7, vastzettingen=1, uitzonderingen=2))


def _ids_in(text: str, planner: Koppelplanner) -> list[str]:
    ids = set(planner.index.aios) | set(planner.index.opleiders)
    return [w for w in re.findall(r"[A-Za-z]*\d+", text) if w in ids]


def test_every_move_on_the_board_is_judged_without_ids(planner: Koppelplanner) -> None:
    bord = planner.optimum.toewijzing
    regels: set[Regel] = set()
    for aios_id in planner.index.aios_ids:
        for opleider_id in [*planner.index.opleider_ids, None]:
            oordeel = planner.check_move(bord, aios_id, opleider_id, pins=[next(iter(bord.items()))])
            regels |= {b.regel for b in oordeel.bezwaren}
            assert _ids_in(oordeel.tekst, planner) == [], oordeel.tekst
    # Every kind of refusal came by: afgewezen, blokkade, opleidingsjaar, niet bezocht, vol, vastgezet.
    assert {Regel.AFGEWEZEN, Regel.BLOKKADE, Regel.OPLEIDINGSJAAR, Regel.NIET_BEZOCHT, Regel.CAPACITEIT_VOL,
            Regel.VASTGEZET_ELDERS} <= regels


def test_the_uitleg_and_1_op_1_name_no_ids(planner: Koppelplanner) -> None:
    uitleg = planner.explain(planner.optimum)
    assert _ids_in(uitleg.samenvatting, planner) == []
    for per_aios in uitleg.per_aios:
        assert _ids_in(per_aios.toelichting, planner) == [], per_aios.toelichting
    for aios_id in planner.index.aios_ids[:6]:
        for kandidaat in planner.candidates(aios_id, planner.optimum.toewijzing):
            assert _ids_in(kandidaat.reden + kandidaat.reden_kort, planner) == [], kandidaat.reden


def test_a_row_that_names_the_opleider_gives_the_reason_only(planner: Koppelplanner) -> None:
    """1-op-1 lists one opleider per row: its 'Waarom niet' does not say who again."""
    idx = planner.index
    kandidaten = [k for a in idx.aios_ids for k in planner.candidates(a, planner.optimum.toewijzing)
                  if not k.geschikt]
    assert kandidaten
    for k in kandidaten:
        opleider = idx.opleiders[k.opleider_id]
        assert opleider.naam in k.reden and opleider.naam not in k.reden_kort, k.reden_kort
    vol = next(k for k in kandidaten if any(b.regel is Regel.CAPACITEIT_VOL for b in k.bezwaren))
    assert vol.reden_kort.startswith("Geen vrije plaats: bezet door ")


def test_a_pin_on_the_board_is_refused_without_ids(planner: Koppelplanner) -> None:
    idx = planner.index
    aios_id, opleider_id = next((a, o) for a in idx.aios_ids for o in idx.opleider_ids
                                if idx.opleiders[o].blokkade and a not in idx.vastzettingen)
    problemen = pin_problems(idx, [(aios_id, opleider_id)])
    assert problemen and all(_ids_in(p.bericht, planner) == [] for p in problemen)
    assert idx.opleiders[opleider_id].naam in problemen[0].bericht


def test_a_problem_of_an_imported_workbook_names_the_id_of_its_row() -> None:
    """The Voorkeuren sheet has only ids: without them its row could not be found by the name."""
    ronde = maak_demo_ronde(6, 8, seed=3)
    bezoek = ronde.bezoeken[0]
    kapot = replace(ronde, bezoeken=(replace(bezoek, score=None), *ronde.bezoeken[1:]))
    problemen = validate(kapot, RondeIndex.build(kapot))
    bericht = next(p.bericht for p in problemen if p.regel is Regel.ONTBREKENDE_SCORE)
    assert f"({bezoek.aios_id})" in bericht and f"({bezoek.opleider_id}," in bericht
