"""The solver finds the lexicographic group optimum: most aios gekoppeld, then most voorrangsopleiders filled,
then the lowest totaalscore; proven on hand-made rondes, on the weights themselves, and against a brute force
and CP-SAT on random small rondes."""

from __future__ import annotations

import itertools
import random
from dataclasses import replace

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from koppel_referentie import brute_force, cpsat, cpsat_weighted
from koppel_voorbeelden import C, aios, opleider, ronde, small_rondes

from ontkoppel_desktop.core.errors import ValidatieFout
from ontkoppel_desktop.core.koppelplanner import Herkomst, Koppelplanner, RondeIndex, solve, validate
from ontkoppel_desktop.core.koppelplanner.solver import (
    _EXACT_LIMIT,
    NIET_BEZOCHT_KOSTEN,
    Gewichten,
    spreiding,
)
from ontkoppel_desktop.demo.rondes import maak_demo_ronde


def _solve(r, pins=()):
    assert validate(r) == []
    return solve(RondeIndex.build(r), pins)


# --- the order of the goals, on rondes small enough to check by hand ---------------------------------------


def test_more_aios_matched_beats_better_scores():
    # A1 loves O1, but only O1 can take A2: the group takes 2 gekoppeld with a 2e keuze over 1 with a 1e keuze.
    r = ronde([aios("A1"), aios("A2")], [opleider("O1"), opleider("O2")],
              {"A1": ["O1", "O2"], "A2": ["O1"]})
    uitslag = _solve(r)
    assert uitslag.toewijzing == {"A1": "O2", "A2": "O1"}
    assert uitslag.doelwaarde.gekoppeld == 2


def test_voorrang_is_filled_without_losing_a_koppeling():
    # Giving curriculum opleider O1 to A1 (who ranks it first) would leave A2, who visited only O1, out.
    # (Goals 1 and 2 never truly conflict: the opleiders covered by matchings form a matroid, so any set of
    # filled voorrangsopleiders extends to a maximum matching. The weights still rank them, see below.)
    r = ronde([aios("A1"), aios("A2")], [opleider("O1", C), opleider("O2")],
              {"A1": ["O1", "O2"], "A2": ["O1"]})
    uitslag = _solve(r)
    assert uitslag.toewijzing == {"A1": "O2", "A2": "O1"}
    assert uitslag.doelwaarde.gekoppeld == 2 and uitslag.doelwaarde.voorrang_gevuld == 1


def test_voorrang_beats_scores():
    # A1 prefers O2 (plain), but O1 is a voorrangsopleider (curriculum): O1 is filled, at a worse score.
    r = ronde([aios("A1")], [opleider("O1", C), opleider("O2")], {"A1": ["O2", "O1"]})
    uitslag = _solve(r)
    assert uitslag.toewijzing == {"A1": "O1"}
    assert uitslag.doelwaarde.voorrang_gevuld == 1
    assert uitslag.doelwaarde.totaalscore == 2


def test_voorrang_is_counted_per_opleider_not_per_place():
    # O1 (voorrang, capaciteit 2) and O2 (voorrang): two aios fill two voorrangsopleiders, not O1 twice,
    # even though both aios score O1 first.
    r = ronde([aios("A1"), aios("A2")], [opleider("O1", coassistent=True, capaciteit=2),
                                         opleider("O2", coassistent=True)],
              {"A1": ["O1", "O2"], "A2": ["O1", "O2"]})
    uitslag = _solve(r)
    assert uitslag.doelwaarde.voorrang_gevuld == 2
    assert sorted(uitslag.toewijzing.values()) == ["O1", "O2"]


def test_second_place_of_a_voorrangsopleider_is_filled_on_score():
    r = ronde([aios("A1"), aios("A2")], [opleider("O1", coassistent=True, capaciteit=2), opleider("O2")],
              {"A1": ["O1", "O2"], "A2": ["O1", "O2"]})
    uitslag = _solve(r)
    assert uitslag.toewijzing == {"A1": "O1", "A2": "O1"}
    assert uitslag.doelwaarde == replace(uitslag.doelwaarde, gekoppeld=2, voorrang_gevuld=1, totaalscore=2)


def test_lowest_total_score():
    # Both want O1; A1 is indifferent between 1e and 2e, A2's alternative is its 4e keuze.
    r = ronde([aios("A1"), aios("A2")], [opleider(f"O{i}") for i in range(1, 6)],
              {"A1": ["O1", "O2"], "A2": ["O1", "O3", "O4", "O5"]})
    uitslag = _solve(r)
    assert uitslag.toewijzing == {"A1": "O2", "A2": "O1"}
    assert uitslag.doelwaarde.totaalscore == 3


def test_spread_breaks_ties_in_total_score():
    # A1: O1 1e, O2 2e. A2: X and Y (both geblokkeerd) 1e and 2e, then O1 3e, O2 4e.
    # 1 + 4 and 2 + 3 both total 5; the more even 2 + 3 is chosen.
    r = ronde([aios("A1"), aios("A2")],
              [opleider("O1"), opleider("O2"), opleider("X", blokkade=True), opleider("Y", blokkade=True)],
              {"A1": ["O1", "O2"], "A2": ["X", "Y", "O1", "O2"]})
    uitslag = _solve(r)
    assert uitslag.toewijzing == {"A1": "O2", "A2": "O1"}
    assert uitslag.doelwaarde.totaalscore == 5
    assert spreiding(RondeIndex.build(r), uitslag.toewijzing) == 13


# --- the rules are kept ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("beschrijving", "r", "niet"),
    [
        ("afgewezen", ronde([aios("A1")], [opleider("O1"), opleider("O2")], {"A1": ["O1", "O2"]},
                            afwijzingen=[("O1", "A1")]), ("A1", "O1")),
        ("blokkade", ronde([aios("A1")], [opleider("O1", blokkade=True), opleider("O2")],
                           {"A1": ["O1", "O2"]}), ("A1", "O1")),
        ("curriculum krijgt geen 3e jaars", ronde([aios("A1", 3)], [opleider("O1", C), opleider("O2")],
                                                  {"A1": ["O1", "O2"]}), ("A1", "O1")),
        ("niet bezocht", ronde([aios("A1")], [opleider("O1", C), opleider("O2")], {"A1": ["O2"]}),
         ("A1", "O1")),
    ],
)
def test_rules_exclude_pairs(beschrijving, r, niet):
    uitslag = _solve(r)
    assert niet not in uitslag.toewijzing.items(), beschrijving
    assert uitslag.toewijzing == {"A1": "O2"}


def test_uitzondering_allows_an_unvisited_practice_after_every_visited_one():
    r = ronde([aios("A1"), aios("A2")], [opleider("O1"), opleider("O2")], {"A1": ["O1"], "A2": ["O1"]},
              uitzonderingen=[("A2", "O2")])
    uitslag = _solve(r)
    assert uitslag.toewijzing == {"A1": "O1", "A2": "O2"}
    assert uitslag.koppeling_van("A2").score is None
    assert uitslag.doelwaarde.totaalscore == 1 + NIET_BEZOCHT_KOSTEN


def test_vastzetting_always_holds_even_against_the_group():
    # A1 is vastgezet at O1, which A2 wanted and nothing else: A2 stays ongekoppeld.
    r = ronde([aios("A1"), aios("A2")], [opleider("O1"), opleider("O2")], {"A1": ["O2"], "A2": ["O1"]},
              vast=[("A1", "O1")])
    uitslag = _solve(r)
    assert uitslag.toewijzing == {"A1": "O1"}
    assert uitslag.koppeling_van("A1").herkomst is Herkomst.VASTGEZET
    assert uitslag.ongekoppeld == ("A2",)


def test_vastzetting_fills_a_voorrangsopleider_without_a_second_bonus():
    r = ronde([aios("A1"), aios("A2")], [opleider("O1", coassistent=True, capaciteit=2), opleider("O2", C)],
              {"A2": ["O1", "O2"]}, vast=[("A1", "O1")])
    uitslag = _solve(r)
    assert uitslag.toewijzing == {"A1": "O1", "A2": "O2"}
    assert uitslag.doelwaarde.voorrang_gevuld == 2


# --- the weights are strictly lexicographic ----------------------------------------------------------------


@pytest.mark.parametrize("m", [1, 2, 5, 60, 1000, 2000])
@pytest.mark.parametrize("p_fraction", [0.0, 0.5, 1.0])
def test_weights_are_lexicographic_and_exact(m, p_fraction):
    p = int(m * p_fraction)
    g = Gewichten.voor(m, p)
    spread_max = g.spread * NIET_BEZOCHT_KOSTEN**2 * m
    score_part_max = g.score * NIET_BEZOCHT_KOSTEN * m + spread_max
    # One point of totaalscore outweighs any difference in spread,
    assert g.score > spread_max
    # one voorrangsopleider outweighs any difference in score and spread,
    assert g.voorrang > score_part_max
    # one more aios gekoppeld outweighs everything below.
    assert g.matched > g.voorrang * p + score_part_max
    # Every allowed pair costs less than staying unmatched (0), and all sums stay exact in float64.
    assert g.cost(NIET_BEZOCHT_KOSTEN, False) < 0
    assert (g.matched + g.voorrang) * m < _EXACT_LIMIT


def test_weights_drop_the_spread_term_before_losing_exactness():
    g = Gewichten.voor(20000, 20000)
    assert g.spread == 0 and g.score == 1


def _lex_key(g: Gewichten, pairs: list[tuple[int, bool]]) -> int:
    return sum(g.cost(score, bonus) for score, bonus in pairs)


@given(st.data())
def test_weighted_sum_orders_any_two_outcomes_lexicographically(data):
    """For any two sets of koppelingen of at most m pairs, the cheaper one is the lexicographically better."""
    m = data.draw(st.integers(1, 12))
    p = data.draw(st.integers(0, m))
    g = Gewichten.voor(m, p)

    def outcome():
        n = data.draw(st.integers(0, m))
        scores = data.draw(st.lists(st.integers(1, NIET_BEZOCHT_KOSTEN), min_size=n, max_size=n))
        bonus = data.draw(st.integers(0, min(n, p)))
        return [(s, i < bonus) for i, s in enumerate(scores)]

    a, b = outcome(), outcome()

    def lex(pairs):
        return (len(pairs), sum(bo for _, bo in pairs), -sum(s for s, _ in pairs), -sum(s * s for s, _ in pairs))

    if lex(a) > lex(b):
        assert _lex_key(g, a) < _lex_key(g, b)
    elif lex(a) == lex(b):
        assert _lex_key(g, a) == _lex_key(g, b)


# --- against independent solvers ---------------------------------------------------------------------------


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(small_rondes())
def test_equals_brute_force_on_small_rondes(r):
    assert validate(r) == []
    idx = RondeIndex.build(r)
    uitslag = solve(idx)
    verwacht = brute_force(r)
    assert uitslag.doelwaarde.key == (verwacht[0], verwacht[1], -verwacht[2])
    assert spreiding(idx, uitslag.toewijzing) == verwacht[3]
    _assert_feasible(r, idx, uitslag)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(small_rondes(max_aios=7, max_opleiders=6))
def test_equals_cpsat_on_small_rondes(r):
    assert validate(r) == []
    uitslag = solve(RondeIndex.build(r))
    assert (uitslag.doelwaarde.gekoppeld, uitslag.doelwaarde.voorrang_gevuld,
            uitslag.doelwaarde.totaalscore) == cpsat(r) == cpsat_weighted(r)


def test_equals_cpsat_on_a_demo_ronde():
    r = maak_demo_ronde(120, 150, seed=12)
    d = solve(RondeIndex.build(r)).doelwaarde
    assert (d.gekoppeld, d.voorrang_gevuld, d.totaalscore) == cpsat(r)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(small_rondes(), st.randoms(use_true_random=False))
def test_pins_are_kept_and_the_rest_is_optimal(r, rnd):
    idx = RondeIndex.build(r)
    # Pins may also be flagged moves (an unvisited practice), never refused ones.
    allowed = [(a, o) for a in idx.aios_ids for o in idx.opleider_ids
               if a not in idx.vastzettingen and not any(b.blokkerend for b in idx.bezwaren(a, o))]
    rnd.shuffle(allowed)
    pins: dict[str, str] = {}
    load = {o: sum(1 for v in idx.vastzettingen.values() if v.opleider_id == o) for o in idx.opleider_ids}
    for a, o in allowed[:2]:
        if a not in pins and load[o] < idx.opleiders[o].capaciteit:
            pins[a] = o
            load[o] += 1
    uitslag = solve(idx, pins.items())
    for a, o in pins.items():
        assert uitslag.toewijzing[a] == o
        assert uitslag.koppeling_van(a).herkomst is Herkomst.PIN
    verwacht = brute_force(r, pins.items())
    assert uitslag.doelwaarde.key == (verwacht[0], verwacht[1], -verwacht[2])
    _assert_feasible(r, idx, uitslag, pins)


def _assert_feasible(r, idx, uitslag, pins=None):
    pins = pins or {}
    load: dict[str, int] = {}
    for k in uitslag.koppelingen:
        load[k.opleider_id] = load.get(k.opleider_id, 0) + 1
        if pins.get(k.aios_id) == k.opleider_id:
            assert not any(b.blokkerend for b in idx.bezwaren(k.aios_id, k.opleider_id))
        else:
            assert idx.allowed(k.aios_id, k.opleider_id)
    for o, n in load.items():
        assert n <= idx.opleiders[o].capaciteit
    for v in r.vastzettingen:
        assert uitslag.toewijzing[v.aios_id] == v.opleider_id
    assert set(uitslag.ongekoppeld) | set(uitslag.toewijzing) == set(idx.aios_ids)


# --- determinism -------------------------------------------------------------------------------------------


def _shuffled(r, seed):
    rnd = random.Random(seed)

    def mix(items):
        items = list(items)
        rnd.shuffle(items)
        return tuple(items)

    return replace(
        r, aios=mix(r.aios), opleiders=mix(r.opleiders), bezoeken=mix(r.bezoeken),
        afwijzingen=mix(r.afwijzingen), vastzettingen=mix(r.vastzettingen), uitzonderingen=mix(r.uitzonderingen),
    )


@pytest.mark.parametrize("seed", range(5))
def test_same_input_in_any_order_gives_the_same_uitslag(seed):
    r = maak_demo_ronde(60, 80, seed=seed)
    expected = _solve(r)
    for shuffle_seed in range(5):
        assert _solve(_shuffled(r, shuffle_seed)) == expected


@settings(max_examples=100, deadline=None)
@given(small_rondes(), st.integers(0, 1000))
def test_order_independence_on_random_rondes(r, seed):
    assert _solve(_shuffled(r, seed)) == _solve(r)


def test_full_ties_are_broken_the_same_way_every_time():
    # Four aios, four identical opleiders, all scored alike except for the order: many optima.
    ids = ["O1", "O2", "O3", "O4"]
    r = ronde([aios(f"A{i}") for i in range(1, 5)], [opleider(o) for o in ids],
              {f"A{i}": ids for i in range(1, 5)})
    results = {tuple(sorted(_solve(_shuffled(r, s)).toewijzing.items())) for s in range(10)}
    assert len(results) == 1


# --- pins ----------------------------------------------------------------------------------------------------


def test_pin_clashes_are_refused_in_dutch():
    r = ronde([aios("A1"), aios("A2", 3)], [opleider("O1"), opleider("O2", C)],
              {"A1": ["O1", "O2"], "A2": ["O1"]}, afwijzingen=[("O1", "A1")])
    idx = RondeIndex.build(r)
    with pytest.raises(ValidatieFout) as refused:
        solve(idx, [("A1", "O1"), ("A2", "O2"), ("A9", "O1")])
    text = str(refused.value)
    assert "afgewezen" in text
    assert "alleen gekoppeld aan een 1e jaars aios" in text
    assert "A9" in text


def test_pins_over_capaciteit_are_refused():
    r = ronde([aios("A1"), aios("A2")], [opleider("O1")], {"A1": ["O1"], "A2": ["O1"]})
    with pytest.raises(ValidatieFout, match="capaciteit 1"):
        solve(RondeIndex.build(r), [("A1", "O1"), ("A2", "O1")])


def test_pinning_the_optimum_keeps_its_value():
    r = maak_demo_ronde(60, 80, seed=3)
    planner = Koppelplanner(r)
    optimum = planner.solve()
    pins = list(itertools.islice(optimum.toewijzing.items(), 10))
    assert planner.solve(pins).doelwaarde == optimum.doelwaarde


def test_planner_caches_the_optimum():
    planner = Koppelplanner(maak_demo_ronde(seed=4))
    assert planner.solve() is planner.optimum


def test_the_light_solver_is_scipys_own_and_loads_without_scipy_optimize() -> None:
    """Issue 7: the board loads scipy's assignment solver without the 60 MiB of scipy.optimize; the same
    answers as the package's, on random matrices with forbidden pairs and ties."""
    import subprocess
    import sys

    import numpy as np
    from scipy.optimize import linear_sum_assignment as packaged

    from ontkoppel_desktop.core.koppelplanner.solver import linear_sum_assignment

    code = ("import sys\nfrom ontkoppel_desktop.core.koppelplanner.solver import linear_sum_assignment\n"
            "f = linear_sum_assignment()\nprint(type(f).__name__, 'scipy.optimize' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split()
    assert out == ["builtin_function_or_method", "False"]
    rng = np.random.default_rng(7)
    light = linear_sum_assignment()
    for _ in range(200):
        rows, cols = rng.integers(1, 30), rng.integers(1, 40)
        cost = -rng.integers(0, 6, size=(rows, cols)).astype(float) * (rng.random((rows, cols)) < 0.6)
        a, b = light(cost), packaged(cost)
        assert cost[a].sum() == cost[b].sum()
        assert (a[0] == b[0]).all() and (a[1] == b[1]).all(), "the same code: the same choice among ties"
