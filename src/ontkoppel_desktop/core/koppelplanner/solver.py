"""The group optimum of a ronde: one weighted assignment problem solved by scipy's `linear_sum_assignment`
(loaded lightly, see `linear_sum_assignment()` below).

AMC kaders: "Het doel van het koppelen is het bereiken van een optimale koppeling voor de gehele groep;
groepsbelang gaat bij de koppelingsprocedure dus vóór het individuele belang." The issue orders the goals:

1. the most aios gekoppeld;
2. then the most voorrangsopleiders filled (coassistent, or in the opleiderscurriculum), counted per opleider;
3. then the lowest total of the scores of the gekoppelde aios.

Ties among equal optima are broken by a fourth, smaller goal: the lowest sum of squared scores, i.e. the most
even spread (two 2nd choices before a 1st and a 3rd), then by the canonical order of the ids. Neither ever
overrides the three goals (see `Gewichten`), and the same ronde always gives the same uitslag whatever the
order of its input lists, because every list is sorted by id before the matrix is built.

The matrix: one row per aios that is not fixed, one column per free place ("slot") of an opleider with
capaciteit > 1. A pair the rules forbid costs 0, like staying unmatched; every allowed pair costs less than 0,
so the assignment's negative entries are exactly the koppelingen (a row or column left on a 0 is unmatched).
The voorrang bonus sits only on an opleider's first slot, so it is earned once per opleider: an optimum never
fills a later slot while the first is free, because moving the aios to the first slot gains the bonus.
"""

from __future__ import annotations

import importlib.machinery
import importlib.util
import sys
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np

from ontkoppel_desktop.core.errors import ValidatieFout
from ontkoppel_desktop.core.koppelplanner.paarregels import Regel, RondeIndex
from ontkoppel_desktop.core.koppelplanner.ronde import MAX_SCORE, natural_key
from ontkoppel_desktop.core.koppelplanner.validatie import Onderdeel, Probleem, fixed_pair_problems

# A pair the aios did not visit (a manager's uitzondering, or a pin on the board) ranks after every visited one.
NIET_BEZOCHT_KOSTEN = MAX_SCORE + 1
_MAX_PAIR_COST = NIET_BEZOCHT_KOSTEN
# float64 holds integers exactly up to 2**53; the algorithm adds and subtracts costs, so keep a margin.
_EXACT_LIMIT = 2**51


class Herkomst(StrEnum):
    """Where a koppeling in an uitslag comes from. The value is stored with the board."""

    OPTIMUM = "optimum"  # the group optimum of the ronde
    REST = "rest"  # "Optimaliseer de rest": the group optimum around the pairs pinned on the board
    VASTGEZET = "vastgezet"  # a Vastzetting of the ronde
    PIN = "pin"  # vastgezet on the board before "Optimaliseer de rest"
    HANDMATIG = "handmatig"  # moved by hand on the board

    @property
    def label(self) -> str:
        return {
            Herkomst.OPTIMUM: "berekend groepsoptimum",
            Herkomst.REST: "groepsoptimum rond vastgezette paren",
            Herkomst.VASTGEZET: "vastgezet",
            Herkomst.PIN: "vastgezet op het bord",
            Herkomst.HANDMATIG: "handmatig geplaatst",
        }[self]


@dataclass(frozen=True, slots=True)
class Doelwaarde:
    """The three goals for one assignment, in their order of importance.

    `totaalscore` sums the scores of the gekoppelde aios; a pair without a bezoek counts as
    NIET_BEZOCHT_KOSTEN (6, after every visited choice), except a vastzetting of the ronde, which is not a
    choice and counts 0."""

    gekoppeld: int
    voorrang_gevuld: int
    totaalscore: int

    @property
    def key(self) -> tuple[int, int, int]:
        """Larger is better, compared left to right."""
        return (self.gekoppeld, self.voorrang_gevuld, -self.totaalscore)

    def __sub__(self, other: Doelwaarde) -> Doelwaarde:
        return Doelwaarde(
            self.gekoppeld - other.gekoppeld,
            self.voorrang_gevuld - other.voorrang_gevuld,
            self.totaalscore - other.totaalscore,
        )

    @property
    def verschil_tekst(self) -> str:
        """This value read as a difference, in Dutch: "1 aios minder gekoppeld, totaalscore +2"."""
        delen: list[str] = []
        if self.gekoppeld:
            delen.append(f"{abs(self.gekoppeld)} aios {'meer' if self.gekoppeld > 0 else 'minder'} gekoppeld")
        if self.voorrang_gevuld:
            n = abs(self.voorrang_gevuld)
            delen.append(
                f"{n} voorrangsopleider{'s' if n != 1 else ''} "
                f"{'meer' if self.voorrang_gevuld > 0 else 'minder'} gevuld"
            )
        if self.totaalscore:
            delen.append(f"totaalscore {self.totaalscore:+d}")
        return ", ".join(delen) if delen else "geen verschil"


@dataclass(frozen=True, slots=True)
class Koppeling:
    aios_id: str
    opleider_id: str
    # The aios's score for this opleider; None when the pair was not visited.
    score: int | None
    herkomst: Herkomst


@dataclass(frozen=True, slots=True)
class Uitslag:
    """The koppelingen of a ronde (sorted by aios id), the aios left ongekoppeld, and the goals reached."""

    koppelingen: tuple[Koppeling, ...]
    ongekoppeld: tuple[str, ...]
    doelwaarde: Doelwaarde
    pins: frozenset[tuple[str, str]] = frozenset()
    # aios_id -> its koppeling: the explanation and the uitslag workbook ask once per aios.
    _per_aios: dict[str, Koppeling] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_per_aios", {k.aios_id: k for k in self.koppelingen})

    @property
    def toewijzing(self) -> dict[str, str]:
        """aios_id -> opleider_id."""
        return {k.aios_id: k.opleider_id for k in self.koppelingen}

    def koppeling_van(self, aios_id: str) -> Koppeling | None:
        return self._per_aios.get(aios_id)


@dataclass(frozen=True, slots=True)
class Gewichten:
    """Integer weights that make one summed cost strictly lexicographic.

    A koppeling with score s costs  -matched - voorrang*[first slot of an unfilled voorrangsopleider]
    + score*s + spread*s**2.  Over at most m koppelingen, with p voorrangsopleiders to fill:

    - the spread term sums to at most 36m, so `score` = 36m + 1 makes one point of totaalscore outweigh it;
    - the score terms sum to at most score*6m + 36m, so `voorrang` one larger outweighs all of them;
    - voorrang and score terms sum to at most voorrang*p + score*6m + 36m, so `matched` one larger outweighs
      everything below it.

    Every allowed pair thus costs < 0. When the spread term would push the costs beyond exact float arithmetic
    it is dropped (spread = 0, score = 1); the three goals keep their strict order.
    """

    matched: int
    voorrang: int
    score: int
    spread: int

    @classmethod
    def voor(cls, m: int, p: int) -> Gewichten:
        m = max(m, 1)
        p = max(min(p, m), 0)
        for spread in (1, 0):
            spread_max = spread * _MAX_PAIR_COST**2 * m
            score = spread_max + 1
            below_voorrang = score * _MAX_PAIR_COST * m + spread_max
            voorrang = below_voorrang + 1
            matched = voorrang * p + below_voorrang + 1
            if (matched + voorrang) * m < _EXACT_LIMIT:
                return cls(matched, voorrang, score, spread)
        raise ValueError(f"Te grote ronde om exact te rekenen ({m} koppelingen).")

    def cost(self, score: int, first_voorrang_slot: bool) -> int:
        bonus = self.voorrang if first_voorrang_slot else 0
        return -self.matched - bonus + self.score * score + self.spread * score * score


@cache
def linear_sum_assignment() -> Callable[[Any], tuple[Any, Any]]:
    """scipy's exact assignment solver (`scipy.optimize.linear_sum_assignment`).

    Loaded from its own extension module, `scipy/optimize/_lsap`: importing the package `scipy.optimize` pulls
    in linear algebra, sparse matrices and dozens of solvers this app never uses, about 60 MiB and half a second
    before the board can show (issue 7: memory, and the Koppelplanner's first open). The solver is the same
    code either way; the package import is the fallback should scipy move the module. A frozen build carries
    only this module (in its scipy/optimize folder), not the package: 73 MB less to install.
    tests/koppelplanner/test_koppel_solver.py checks both agree."""
    try:
        frozen = getattr(sys, "_MEIPASS", None)
        if frozen:
            # The installer carries this one module of scipy, not the package (installer/ontkoppel-desktop.spec).
            folder: Path | None = Path(frozen) / "scipy" / "optimize"
        else:
            spec = importlib.util.find_spec("scipy")
            folder = Path(spec.origin).parent / "optimize" if spec is not None and spec.origin else None
        found = sorted(folder.glob("_lsap.*")) if folder is not None and folder.is_dir() else []
        suffixes = tuple(importlib.machinery.EXTENSION_SUFFIXES)
        extension = next((f for f in found if f.name.endswith(suffixes)), None)
        if extension is not None:
            name = "scipy.optimize._lsap"
            module = sys.modules.get(name)
            if module is None:
                loader = importlib.machinery.ExtensionFileLoader(name, str(extension))
                module_spec = importlib.util.spec_from_file_location(name, extension, loader=loader)
                assert module_spec is not None
                module = importlib.util.module_from_spec(module_spec)
                loader.exec_module(module)
                # A later `import scipy.optimize` finds it here instead of loading the extension twice.
                sys.modules[name] = module
            solver: Callable[[Any], tuple[Any, Any]] = module.linear_sum_assignment
            return solver
    except Exception:  # noqa: BLE001 - any surprise in scipy's layout: the package import below
        pass
    from scipy.optimize import linear_sum_assignment as packaged

    return packaged  # type: ignore[no-any-return]


def pair_cost(idx: RondeIndex, aios_id: str, opleider_id: str) -> int:
    """The score part of a pair's cost (see Doelwaarde.totaalscore)."""
    score = idx.scores.get((aios_id, opleider_id))
    if score is not None:
        return score
    vast = idx.vastzettingen.get(aios_id)
    if vast is not None and vast.opleider_id == opleider_id:
        return 0
    return NIET_BEZOCHT_KOSTEN


def doelwaarde(idx: RondeIndex, toewijzing: Mapping[str, str]) -> Doelwaarde:
    """The three goals of any assignment (aios_id -> opleider_id), e.g. the board's current one."""
    voorrang = {
        o for o in toewijzing.values()
        if o in idx.opleiders and idx.opleiders[o].voorrang and not idx.opleiders[o].blokkade
    }
    totaal = sum(pair_cost(idx, a, o) for a, o in toewijzing.items())
    return Doelwaarde(len(toewijzing), len(voorrang), totaal)


def spreiding(idx: RondeIndex, toewijzing: Mapping[str, str]) -> int:
    """The tie-break: the sum of the squared score costs (lower is more even)."""
    return sum(pair_cost(idx, a, o) ** 2 for a, o in toewijzing.items())


def pin_problems(idx: RondeIndex, pins: Iterable[tuple[str, str]]) -> list[Probleem]:
    """What is wrong with a set of pins from the board, on top of the ronde's vastzettingen."""
    pins = list(pins)
    problemen: list[Probleem] = []
    for aios_id, opleider_id in pins:
        if aios_id not in idx.aios:
            problemen.append(Probleem(
                Regel.ONBEKENDE_AIOS, f"Vastgezet op het bord: aios {aios_id} staat niet in deze ronde.",
                Onderdeel.VASTZETTING, aios_id=aios_id,
            ))
        if opleider_id not in idx.opleiders:
            problemen.append(Probleem(
                Regel.ONBEKENDE_OPLEIDER, f"Vastgezet op het bord: opleider {opleider_id} staat niet in deze ronde.",
                Onderdeel.VASTZETTING, opleider_id=opleider_id,
            ))
    already = [(a, v.opleider_id) for a, v in idx.vastzettingen.items()]
    problemen += fixed_pair_problems(idx, pins, Onderdeel.VASTZETTING, "vastzetting op het bord", already,
                                     werkmap=False)
    return problemen


def solve(idx: RondeIndex, pins: Iterable[tuple[str, str]] = ()) -> Uitslag:
    """The optimum around the ronde's vastzettingen and the board's `pins` (aios_id, opleider_id).

    Raises ValidatieFout when the pins clash (an aios twice, over capaciteit, a rule no decision lifts).
    The ronde itself must be valid (`validatie.validate`)."""
    pin_set = frozenset(pins)
    problemen = pin_problems(idx, sorted(pin_set, key=lambda p: (natural_key(p[0]), natural_key(p[1]))))
    if problemen:
        raise ValidatieFout([p.bericht for p in problemen])

    fixed: dict[str, tuple[str, Herkomst]] = {
        a: (v.opleider_id, Herkomst.VASTGEZET) for a, v in idx.vastzettingen.items()
    }
    for aios_id, opleider_id in pin_set:
        fixed.setdefault(aios_id, (opleider_id, Herkomst.PIN))
    load = Counter(o for o, _ in fixed.values())
    voorrang = set(idx.voorrang_ids)
    filled = {o for o, _ in fixed.values() if o in voorrang}

    rows: list[str] = []
    candidates: list[list[str]] = []
    for aios_id in idx.aios_ids:
        if aios_id in fixed:
            continue
        options = [
            o for o in _options(idx, aios_id)
            if load[o] < idx.opleiders[o].capaciteit and idx.allowed(aios_id, o)
        ]
        if options:
            rows.append(aios_id)
            candidates.append(options)

    demand: Counter[str] = Counter(o for options in candidates for o in options)
    columns: list[str] = sorted(demand, key=natural_key)
    first_slot: dict[str, int] = {}
    slot_owner: list[str] = []
    for o in columns:
        first_slot[o] = len(slot_owner)
        # More slots than aios who could take them never help.
        slot_owner += [o] * min(idx.opleiders[o].capaciteit - load[o], demand[o])

    toewijzing: dict[str, tuple[str, Herkomst]] = dict(fixed)
    if rows:
        m = min(len(rows), len(slot_owner))
        p = sum(1 for o in columns if o in voorrang and o not in filled)
        gewichten = Gewichten.voor(m, p)
        cost = np.zeros((len(rows), len(slot_owner)), dtype=np.float64)
        for r, (aios_id, options) in enumerate(zip(rows, candidates, strict=True)):
            for o in options:
                score = pair_cost(idx, aios_id, o)
                start = first_slot[o]
                bonus = o in voorrang and o not in filled
                cost[r, start] = gewichten.cost(score, bonus)
                n_slots = min(idx.opleiders[o].capaciteit - load[o], demand[o])
                if n_slots > 1:
                    cost[r, start + 1:start + n_slots] = gewichten.cost(score, False)
        row_ind, col_ind = linear_sum_assignment()(cost)
        for r, c in zip(row_ind.tolist(), col_ind.tolist(), strict=True):
            if cost[r, c] < 0:
                toewijzing[rows[r]] = (slot_owner[c], Herkomst.OPTIMUM)
    return _uitslag(idx, toewijzing, pin_set)


def _options(idx: RondeIndex, aios_id: str) -> list[str]:
    options = list(idx.bezocht.get(aios_id, ()))
    options += [o for o in idx.uitzondering_van.get(aios_id, ()) if o not in options]
    return options


def _uitslag(
    idx: RondeIndex, toewijzing: Mapping[str, tuple[str, Herkomst]], pins: frozenset[tuple[str, str]]
) -> Uitslag:
    koppelingen = tuple(
        Koppeling(a, o, idx.scores.get((a, o)), herkomst)
        for a in idx.aios_ids if a in toewijzing
        for o, herkomst in [toewijzing[a]]
    )
    ongekoppeld = tuple(a for a in idx.aios_ids if a not in toewijzing)
    waarde = doelwaarde(idx, {a: o for a, (o, _) in toewijzing.items()})
    return Uitslag(koppelingen, ongekoppeld, waarde, pins)


def uitslag_van(
    idx: RondeIndex,
    toewijzing: Mapping[str, str],
    pins: Iterable[tuple[str, str]] = (),
    herkomst: Mapping[str, Herkomst] | None = None,
) -> Uitslag:
    """An Uitslag for an assignment made on the board (to explain, save or export it). Vastzettingen and pins
    are marked as such; other pairs take `herkomst[aios_id]` (the board keeps it per pair), or HANDMATIG."""
    pin_set = frozenset(pins)
    pinned = dict(pin_set)
    marked: dict[str, tuple[str, Herkomst]] = {}
    for aios_id, opleider_id in toewijzing.items():
        vast = idx.vastzettingen.get(aios_id)
        if vast is not None and vast.opleider_id == opleider_id:
            marked[aios_id] = (opleider_id, Herkomst.VASTGEZET)
        elif pinned.get(aios_id) == opleider_id:
            marked[aios_id] = (opleider_id, Herkomst.PIN)
        else:
            marked[aios_id] = (opleider_id, (herkomst or {}).get(aios_id, Herkomst.HANDMATIG))
    return _uitslag(idx, marked, pin_set)
