"""The Koppelplanner: one validated ronde with its lookups and its optimum, built once and asked many times by
the board (solve around pins, judge a drop, explain, 1-op-1)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from ontkoppel_desktop.core.koppelplanner.een_op_een import Kandidaat, candidates
from ontkoppel_desktop.core.koppelplanner.paarregels import Bezwaar, RondeIndex
from ontkoppel_desktop.core.koppelplanner.ronde import Ronde
from ontkoppel_desktop.core.koppelplanner.solver import Doelwaarde, Herkomst, Uitslag, doelwaarde, solve, uitslag_van
from ontkoppel_desktop.core.koppelplanner.uitleg import Uitleg, explain
from ontkoppel_desktop.core.koppelplanner.validatie import RondeOngeldig, validate
from ontkoppel_desktop.core.koppelplanner.verplaatsing import Zetoordeel, check_move, check_moves, check_swap


class Koppelplanner:
    """Raises RondeOngeldig (every problem, in Dutch) when the ronde breaks the rules."""

    def __init__(self, ronde: Ronde, index: RondeIndex | None = None) -> None:
        """`index`: the ronde's lookups when the caller has built them; when `validate` found them geldig (an
        import validates every ronde it reads) the ronde is not validated again."""
        index = index if index is not None else RondeIndex.build(ronde)
        if not index.geldig:
            problemen = validate(ronde, index)
            if problemen:
                raise RondeOngeldig(problemen)
        elif index.ronde is not ronde:
            raise ValueError("index holds the lookups of another ronde")
        self.ronde = ronde
        self.index = index
        self._optimum: Uitslag | None = None

    @property
    def optimum(self) -> Uitslag:
        """The group optimum around the ronde's vastzettingen only (what every move is measured against)."""
        if self._optimum is None:
            self._optimum = solve(self.index)
        return self._optimum

    def solve(self, pins: Iterable[tuple[str, str]] = ()) -> Uitslag:
        """The optimum; with pins, "Optimaliseer de rest". Raises ValidatieFout when the pins clash."""
        pins = frozenset(pins)
        if not pins:
            return self.optimum
        return solve(self.index, pins)

    def explain(self, uitslag: Uitslag) -> Uitleg:
        return explain(self.index, uitslag)

    def doelwaarde(self, toewijzing: Mapping[str, str]) -> Doelwaarde:
        return doelwaarde(self.index, toewijzing)

    def bezwaren(self, aios_id: str, opleider_id: str) -> tuple[Bezwaar, ...]:
        return tuple(self.index.bezwaren(aios_id, opleider_id))

    def check_move(
        self,
        toewijzing: Mapping[str, str],
        aios_id: str,
        opleider_id: str | None,
        pins: Iterable[tuple[str, str]] = (),
    ) -> Zetoordeel:
        return check_move(self.index, self.optimum.doelwaarde, toewijzing, aios_id, opleider_id, pins)

    def check_swap(
        self, toewijzing: Mapping[str, str], aios_a: str, aios_b: str, pins: Iterable[tuple[str, str]] = ()
    ) -> Zetoordeel:
        return check_swap(self.index, self.optimum.doelwaarde, toewijzing, aios_a, aios_b, pins)

    def check_moves(
        self,
        toewijzing: Mapping[str, str],
        zetten: Iterable[tuple[str, str | None]],
        pins: Iterable[tuple[str, str]] = (),
    ) -> Zetoordeel:
        return check_moves(self.index, self.optimum.doelwaarde, toewijzing, zetten, pins)

    def candidates(self, aios_id: str, toewijzing: Mapping[str, str]) -> tuple[Kandidaat, ...]:
        return candidates(self.index, aios_id, toewijzing)

    def uitslag_van(
        self,
        toewijzing: Mapping[str, str],
        pins: Iterable[tuple[str, str]] = (),
        herkomst: Mapping[str, Herkomst] | None = None,
    ) -> Uitslag:
        return uitslag_van(self.index, toewijzing, pins, herkomst)
