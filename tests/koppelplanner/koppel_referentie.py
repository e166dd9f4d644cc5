"""Reference solvers for the Koppelplanner, written from the ronde's raw lists and not from the solver's code:
a brute force over every assignment (small rondes) and a plain lexicographic CP-SAT model (any size).
Tests and bench/bench_koppelplanner.py compare the scipy solver against them."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from ontkoppel_desktop.core.koppelplanner.ronde import OpleiderStatus, Ronde

UNVISITED = 6


@dataclass(frozen=True)
class Model:
    fixed: dict[str, str]
    # aios -> {opleider: score cost}
    options: dict[str, dict[str, int]]
    free: dict[str, int]
    voorrang_open: set[str]
    fixed_value: tuple[int, int, int, int]  # matched, voorrang filled, score, spread of the fixed pairs


def model(ronde: Ronde, pins: Iterable[tuple[str, str]] = ()) -> Model:
    aios = {a.id: a for a in ronde.aios}
    opleiders = {o.id: o for o in ronde.opleiders}
    scores = {(b.aios_id, b.opleider_id): b.score for b in ronde.bezoeken}
    rejected = {(a.aios_id, a.opleider_id) for a in ronde.afwijzingen}
    exceptions = {(u.aios_id, u.opleider_id) for u in ronde.uitzonderingen}
    vast = {v.aios_id: v.opleider_id for v in ronde.vastzettingen}
    fixed = dict(vast)
    for a, o in pins:
        fixed.setdefault(a, o)
    voorrang = {
        o.id for o in ronde.opleiders
        if (o.coassistent or o.status is OpleiderStatus.CURRICULUM) and not o.blokkade
    }

    def cost(a: str, o: str) -> int:
        score = scores.get((a, o))
        if score is not None:
            return score
        return 0 if vast.get(a) == o else UNVISITED

    load = Counter(fixed.values())
    options: dict[str, dict[str, int]] = {}
    for a, person in aios.items():
        if a in fixed:
            continue
        options[a] = {}
        for o, opleider in opleiders.items():
            if opleider.blokkade or (a, o) in rejected:
                continue
            if opleider.status is OpleiderStatus.CURRICULUM and person.opleidingsjaar != 1:
                continue
            if (a, o) not in scores and (a, o) not in exceptions:
                continue
            options[a][o] = cost(a, o)
    filled = {o for o in fixed.values() if o in voorrang}
    fixed_costs = [cost(a, o) for a, o in fixed.items()]
    return Model(
        fixed=fixed,
        options=options,
        free={o: opleiders[o].capaciteit - load[o] for o in opleiders},
        voorrang_open=voorrang - filled,
        fixed_value=(len(fixed), len(filled), sum(fixed_costs), sum(c * c for c in fixed_costs)),
    )


def brute_force(ronde: Ronde, pins: Iterable[tuple[str, str]] = ()) -> tuple[int, int, int, int]:
    """(matched, voorrang filled, total score, spread) of the lexicographic best assignment, by enumeration:
    max matched, max voorrang, min score, min spread."""
    m = model(ronde, pins)
    order = sorted(m.options)
    best: list[tuple[int, int, int, int]] = []
    free = dict(m.free)
    used: Counter[str] = Counter()

    def walk(i: int, matched: int, score: int, spread: int) -> None:
        if i == len(order):
            filled = sum(1 for o in m.voorrang_open if used[o] > 0)
            key = (matched, filled, -score, -spread)
            if not best or key > best[0]:
                best[:] = [key]
            return
        a = order[i]
        walk(i + 1, matched, score, spread)
        for o, c in m.options[a].items():
            if free[o] > 0:
                free[o] -= 1
                used[o] += 1
                walk(i + 1, matched + 1, score + c, spread + c * c)
                free[o] += 1
                used[o] -= 1

    walk(0, 0, 0, 0)
    matched, filled, neg_score, neg_spread = best[0]
    fm, fp, fs, fsp = m.fixed_value
    return (matched + fm, filled + fp, -neg_score + fs, -neg_spread + fsp)


def _cp_model(m: Model):  # type: ignore[no-untyped-def]
    """Variables per visited, allowed pair: `first` (the aios takes the first place of a voorrangsopleider
    still to fill) or `rest` (any other place). A voorrangsopleider is filled exactly when one of its aios can be
    marked `first`, so maximising the number of `first` marks maximises the voorrangsopleiders filled. It is a
    plain b-matching: per aios at most one place, per opleider at most one `first` and the other places `rest`."""
    from ortools.sat.python import cp_model

    cp = cp_model.CpModel()
    first: dict[tuple[str, str], object] = {}
    rest: dict[tuple[str, str], object] = {}
    for a, opts in m.options.items():
        for o in opts:
            open_first = o in m.voorrang_open
            if open_first:
                first[(a, o)] = cp.new_bool_var(f"f_{a}_{o}")
            if m.free[o] - open_first > 0:
                rest[(a, o)] = cp.new_bool_var(f"r_{a}_{o}")
    for a, opts in m.options.items():
        places = [first[(a, o)] for o in opts if (a, o) in first] + [rest[(a, o)] for o in opts if (a, o) in rest]
        if places:
            cp.add(sum(places) <= 1)  # type: ignore[arg-type]
    per_first: dict[str, list[object]] = {}
    per_rest: dict[str, list[object]] = {}
    for (_a, o), var in first.items():
        per_first.setdefault(o, []).append(var)
    for (_a, o), var in rest.items():
        per_rest.setdefault(o, []).append(var)
    for vars_ in per_first.values():
        cp.add(sum(vars_) <= 1)  # type: ignore[arg-type]
    for o, vars_ in per_rest.items():
        cp.add(sum(vars_) <= m.free[o] - (o in m.voorrang_open))  # type: ignore[arg-type]
    places = list(first.items()) + list(rest.items())
    matched = sum(var for _, var in places)  # type: ignore[misc]
    filled = sum(first.values())  # type: ignore[arg-type]
    score = sum(m.options[a][o] * var for (a, o), var in places)  # type: ignore[operator]
    return cp, [var for _, var in places], matched, filled, score


def _solver(workers: int):  # type: ignore[no-untyped-def]
    from ortools.sat.python import cp_model

    solver = cp_model.CpSolver()
    solver.parameters.num_workers = workers
    if workers == 1:
        # One worker with the full LP relaxation: the b-matching LP is (nearly) integral.
        solver.parameters.linearization_level = 2
    return solver


def cpsat(ronde: Ronde, pins: Iterable[tuple[str, str]] = (), workers: int = 1) -> tuple[int, int, int]:
    """(matched, voorrang filled, total score) by three CP-SAT solves, each goal fixed before the next: no
    weights at all."""
    from ortools.sat.python import cp_model

    m = model(ronde, pins)
    cp, variables, matched, filled, score = _cp_model(m)
    solver = _solver(workers)
    values: list[int] = []
    for expression, maximise in ((matched, True), (filled, True), (score, False)):
        if isinstance(expression, int):
            values.append(expression)
            continue
        if maximise:
            cp.maximize(expression)
        else:
            cp.minimize(expression)
        status = solver.solve(cp)
        assert status == cp_model.OPTIMAL, solver.status_name(status)
        value = round(solver.objective_value)
        values.append(value)
        cp.add(expression == value)
        # Start the next stage from this solution.
        cp.clear_hints()
        for var in variables:
            cp.add_hint(var, solver.value(var))
    fm, fp, fs, _ = m.fixed_value
    return (values[0] + fm, values[1] + fp, values[2] + fs)


def cpsat_weighted(ronde: Ronde, pins: Iterable[tuple[str, str]] = (), workers: int = 1) -> tuple[int, int, int]:
    """The same model with one objective and the reference's own weights (not the solver's): n aios, scores at
    most 6, so a filled voorrangsopleider is worth 6n + 1 and a koppeling more than all of that."""
    from ortools.sat.python import cp_model

    m = model(ronde, pins)
    cp, _, matched, filled, score = _cp_model(m)
    n = max(len(m.options), 1)
    w_filled = UNVISITED * n + 1
    w_matched = w_filled * (n + 1)
    cp.maximize(w_matched * matched + w_filled * filled - score)
    solver = _solver(workers)
    status = solver.solve(cp)
    assert status == cp_model.OPTIMAL, solver.status_name(status)
    fm, fp, fs, _ = m.fixed_value
    return (round(solver.value(matched)) + fm, round(solver.value(filled)) + fp, round(solver.value(score)) + fs)
