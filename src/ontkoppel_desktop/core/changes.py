"""What a change touched: the kinds of data and their ids, returned by every service call that writes.

The UI runs each change through one function (ui/operations.py), which announces the Changes; every view asks
`touches(kind, id)` and refreshes only that (cf. Anki's OpChanges). A kind without ids means "all of them", as
after unlocking.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

# The kinds of data a change can touch. Personen's tables keep their table names.
AIOS = "aios"
OPLEIDER = "opleider"
PRAKTIJK = "praktijk"
GROEP = "groep"
DOCENT = "docent"
MEDEWERKER = "medewerker"
KOPPELING = "koppeling"
TRAJECT = "traject"
AGENDA = "agenda"
RONDE = "ronde"
# An opleider's blokkade (Utrecht 5.2.1) changed: Personen, koppelingen and the board show it.
BLOKKADE = "blokkade"
# A gespreksverslag (a concept saved, recorded, sealed, sent or archived).
VERSLAG = "verslag"
# A traject another laptop shares through the institute (ids: its UUID), or the institute's blokkades.
GEDEELD = "gedeeld"

KINDS = frozenset({AIOS, OPLEIDER, PRAKTIJK, GROEP, DOCENT, MEDEWERKER, KOPPELING, TRAJECT, AGENDA, RONDE,
                   BLOKKADE, VERSLAG, GEDEELD})

Id = int | str


@dataclass(frozen=True)
class Changes:
    """Per kind the ids that changed; `None` for a kind means every row of it (a reload)."""

    touched: Mapping[str, frozenset[Id] | None] = field(default_factory=lambda: MappingProxyType({}))
    # The id a call created (a new traject, a new aios...), for the screen that asked for it.
    created: Id | None = None

    def __post_init__(self) -> None:
        unknown = set(self.touched) - KINDS
        if unknown:
            raise ValueError(f"unknown kind(s) of change: {sorted(unknown)}")

    # ---- making --------------------------------------------------------------------------------------

    @classmethod
    def of(cls, kind: str, *ids: Id | None, created: Id | None = None) -> Changes:
        """`kind` with these ids (None ids are skipped)."""
        return cls(MappingProxyType({kind: frozenset(i for i in ids if i is not None)}), created)

    @classmethod
    def of_ids(cls, kind: str, ids: Iterable[Id]) -> Changes:
        return cls(MappingProxyType({kind: frozenset(ids)}))

    @classmethod
    def all_of(cls, *kinds: str) -> Changes:
        """Every row of these kinds."""
        return cls(MappingProxyType(dict.fromkeys(kinds)))

    @classmethod
    def everything(cls) -> Changes:
        return cls.all_of(*KINDS)

    def __or__(self, other: Changes) -> Changes:
        merged: dict[str, frozenset[Id] | None] = dict(self.touched)
        for kind, ids in other.touched.items():
            if kind in merged:
                mine = merged[kind]
                merged[kind] = None if mine is None or ids is None else mine | ids
            else:
                merged[kind] = ids
        created = other.created if other.created is not None else self.created
        return Changes(MappingProxyType(merged), created)

    # ---- reading -------------------------------------------------------------------------------------

    def touches(self, kind: str, obj_id: Id | None = None) -> bool:
        """Whether `kind` changed; with `obj_id`, whether that row did (True for an all-rows change)."""
        if kind not in self.touched:
            return False
        ids = self.touched[kind]
        return obj_id is None or ids is None or obj_id in ids

    def touches_any(self, *kinds: str) -> bool:
        return any(kind in self.touched for kind in kinds)

    def ids(self, kind: str) -> frozenset[Id] | None:
        """The ids of `kind` that changed: empty when untouched, None when all of them did."""
        if kind not in self.touched:
            return frozenset()
        return self.touched[kind]

    def int_ids(self, kind: str) -> frozenset[int] | None:
        ids = self.ids(kind)
        return None if ids is None else frozenset(int(i) for i in ids)

    @property
    def everything_of(self) -> frozenset[str]:
        """The kinds changed as a whole."""
        return frozenset(k for k, ids in self.touched.items() if ids is None)

    def __bool__(self) -> bool:
        return bool(self.touched)

    def __repr__(self) -> str:
        parts = [f"{k}={'*' if v is None else sorted(map(str, v))}" for k, v in sorted(self.touched.items())]
        return f"Changes({', '.join(parts)})"


NONE = Changes()

__all__ = [
    "AGENDA", "AIOS", "BLOKKADE", "DOCENT", "GROEP", "KINDS", "KOPPELING", "MEDEWERKER", "NONE", "OPLEIDER",
    "PRAKTIJK", "RONDE", "TRAJECT", "Changes", "Id",
]
