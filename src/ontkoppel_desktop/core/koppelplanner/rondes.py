"""Koppelrondes as a service: the one door for every write to a ronde and its board.

Each call checks the rules of core (the ones the board shows while dragging), writes through a
`RondeRepository` inside one transaction, and returns the Changes (RONDE with the ronde's id), so every screen
refreshes from what was stored. The repository is a Protocol beside the service: the store implements it on
SQLCipher, an institute server can implement it on PostgreSQL.

The board (`Bord`) keeps per koppeling where it came from (`Herkomst`): the group optimum, the optimum around
the pins ("Optimaliseer de rest"), a vastzetting, or a move by hand. A board saved before that was kept gets it
derived by comparing with the optimum. A move onto a practice the aios did not visit records the manager's
`Uitzondering` in the ronde (AMC kaders: not visiting needs prior consultation, for weighty reasons only), so the
optimum from then on may use that pair too.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Collection, Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from typing import Any, Protocol

from ontkoppel_desktop.core.changes import NONE, RONDE, Changes
from ontkoppel_desktop.core.errors import ValidatieFout
from ontkoppel_desktop.core.koppelplanner.paarregels import Regel, RondeIndex
from ontkoppel_desktop.core.koppelplanner.planner import Koppelplanner
from ontkoppel_desktop.core.koppelplanner.ronde import Ronde, Uitzondering, natural_key
from ontkoppel_desktop.core.koppelplanner.solver import Herkomst, Uitslag, pin_problems
from ontkoppel_desktop.core.koppelplanner.validatie import startdatum_problemen, validate
from ontkoppel_desktop.core.transactions import Transactions

Pair = tuple[str, str]


@dataclass(frozen=True, slots=True)
class Bord:
    """What the managers did on the board: aios id -> opleider id, the pairs they pinned, and per aios where its
    pair came from. A value: a change makes a new Bord, and an undo step holds two of them."""

    toewijzing: Mapping[str, str] = field(default_factory=dict)
    pins: frozenset[Pair] = frozenset()
    # None on a board saved before the herkomst was kept; RondeService derives it (see `afgeleide_herkomst`).
    herkomst: Mapping[str, Herkomst] | None = None

    def to_dict(self) -> dict[str, Any]:
        """Plain data for a store (JSON, or a JSONB column)."""
        data: dict[str, Any] = {
            "toewijzing": dict(sorted(self.toewijzing.items())),
            "pins": sorted([a, o] for a, o in self.pins),
        }
        if self.herkomst is not None:
            data["herkomst"] = {a: h.value for a, h in sorted(self.herkomst.items())}
        return data

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Bord:
        """The inverse of to_dict. A herkomst this version does not know is left out (and derived again), so a
        stored value never stops a board from opening."""
        known = {h.value for h in Herkomst}
        raw = data.get("herkomst")
        herkomst = None if raw is None else {
            str(a): Herkomst(h) for a, h in dict(raw).items() if h in known
        }
        return cls(
            {str(a): str(o) for a, o in dict(data.get("toewijzing", {})).items()},
            frozenset((str(a), str(o)) for a, o in data.get("pins", [])),
            herkomst,
        )


@dataclass(frozen=True, slots=True)
class Bordstand:
    """What an undo step puts back: the board and the ronde's uitzonderingen (a move onto a practice the aios
    did not visit records one, and its undo takes it away again)."""

    bord: Bord
    uitzonderingen: tuple[Uitzondering, ...]


@dataclass(frozen=True, slots=True)
class RondeRij:
    """A ronde in a list."""

    id: int
    naam: str
    startdatum: date
    bijgewerkt: datetime


class RondeOnbekend(ValidatieFout):
    def __init__(self, ronde_id: int) -> None:
        # The id is for the program; the user reads that the ronde they had open is gone.
        super().__init__(["Deze ronde bestaat niet (meer). Kies een andere ronde."])
        self.ronde_id = ronde_id


class RondeRepository(Protocol):
    """Where rondes are kept. Each call is a transaction of its own, or joins the caller's (`Transactions`).

    The rules are not here but in RondeService: a repository stores what it is given."""

    def list(self) -> list[RondeRij]:
        """The rondes not archived, latest startdatum first, then by id."""
        ...

    def add(self, ronde: Ronde, naam: str) -> int:
        """Store a new ronde (its startdatum is set) under `naam`, without a board; return its id."""
        ...

    def get(self, ronde_id: int) -> tuple[Ronde, Bord | None]:
        """The ronde and its board as stored (None: no board saved yet). Raises RondeOnbekend."""
        ...

    def save_ronde(self, ronde_id: int, ronde: Ronde) -> None:
        """Replace the ronde (e.g. with an uitzondering more); its board stays. Raises RondeOnbekend."""
        ...

    def save_bord(self, ronde_id: int, bord: Bord) -> None:
        """Replace the board of the ronde. Raises RondeOnbekend."""
        ...

    def archive(self, ronde_id: int, gearchiveerd: bool) -> None:
        """Hide the ronde from `list` (or show it again). Raises RondeOnbekend."""
        ...


@dataclass(frozen=True, slots=True, eq=False)
class Rondebord:
    """One ronde as the board shows it: the ronde with the opleiders a traject blocks marked, its planner (index
    and optimum), and the board with the herkomst of every pair."""

    ronde_id: int
    ronde: Ronde
    planner: Koppelplanner
    bord: Bord
    # Names of the opleiders blocked by a traject but not yet in the ronde as imported (Utrecht 5.2.1).
    geblokkeerd: tuple[str, ...] = ()

    @property
    def stand(self) -> Bordstand:
        return Bordstand(self.bord, self.ronde.uitzonderingen)

    def uitslag(self) -> Uitslag:
        return self.planner.uitslag_van(self.bord.toewijzing, self.bord.pins, self.bord.herkomst)


def met_blokkades(ronde: Ronde, opleider_ids: Collection[str]) -> tuple[Ronde, list[str]]:
    """The ronde with these opleiders blocked (after an ontkoppeling: no new aios before the manager
    opleiders' contact, Utrecht 5.2.1), and the names of those that were not blocked yet."""
    changed: list[str] = []
    opleiders = []
    for opleider in ronde.opleiders:
        if opleider.id in opleider_ids and not opleider.blokkade:
            opleiders.append(replace(opleider, blokkade=True))
            changed.append(opleider.naam)
        else:
            opleiders.append(opleider)
    return (replace(ronde, opleiders=tuple(opleiders)) if changed else ronde), changed


def afgeleide_herkomst(
    planner: Koppelplanner, toewijzing: Mapping[str, str], pins: Iterable[Pair] = ()
) -> dict[str, Herkomst]:
    """Where each pair of a board saved without its herkomst most likely came from: a vastzetting, the group
    optimum, the optimum around the board's pins, else a move by hand."""
    idx = planner.index
    optimum = planner.optimum.toewijzing
    pins = frozenset(pins)
    rest: Mapping[str, str] = {}
    if pins:
        try:
            rest = planner.solve(pins).toewijzing
        except ValidatieFout:
            rest = {}
    herkomst: dict[str, Herkomst] = {}
    for aios_id, opleider_id in toewijzing.items():
        vast = idx.vastzettingen.get(aios_id)
        if vast is not None and vast.opleider_id == opleider_id:
            herkomst[aios_id] = Herkomst.VASTGEZET
        elif optimum.get(aios_id) == opleider_id:
            herkomst[aios_id] = Herkomst.OPTIMUM
        elif rest.get(aios_id) == opleider_id:
            herkomst[aios_id] = Herkomst.REST
        else:
            herkomst[aios_id] = Herkomst.HANDMATIG
    return herkomst


def bord_problemen(idx: RondeIndex, bord: Bord) -> list[str]:
    """What no board may hold, in Dutch: a pair a rule refuses (afwijzing, blokkade, opleidingsjaar, an aios
    vastgezet elsewhere), more aios than an opleider's capaciteit, a pin that is not on the board or clashes.

    A practice the aios did not visit is not refused here: on a board saved before uitzonderingen were recorded
    such a pair may stand, and an undo must be able to put it back."""
    problemen: list[str] = []
    load: Counter[str] = Counter()
    for aios_id, opleider_id in sorted(bord.toewijzing.items(), key=lambda p: natural_key(p[0])):
        if aios_id not in idx.aios:
            problemen.append(f"Aios {aios_id} staat niet in deze ronde.")
            continue
        if opleider_id not in idx.opleiders:
            problemen.append(f"Opleider {opleider_id} staat niet in deze ronde.")
            continue
        problemen += [b.bericht for b in idx.bezwaren(aios_id, opleider_id) if b.blokkerend]
        load[opleider_id] += 1
    for opleider_id in sorted(load, key=natural_key):
        opleider = idx.opleiders[opleider_id]
        if load[opleider_id] > opleider.capaciteit:
            problemen.append(
                f"{opleider.wie} heeft capaciteit {opleider.capaciteit} en kan geen {load[opleider_id]} aios krijgen."
            )
    for aios_id, opleider_id in sorted(bord.pins):
        if bord.toewijzing.get(aios_id) != opleider_id:
            problemen.append(
                f"Vastgezet op het bord: {idx.aios_wie(aios_id)} staat niet bij {idx.opleider_wie(opleider_id)}."
            )
    problemen += [p.bericht for p in pin_problems(idx, sorted(bord.pins))]
    return list(dict.fromkeys(problemen))


class RondeService:
    """Every read and write of rondes for the UI and the commands. Writes return Changes.of(RONDE, id).

    `blokkades` gives the ids of the opleiders a traject blocks now (the store asks its TrajectService), so a
    move onto such an opleider is refused here too, not only on the board."""

    def __init__(
        self,
        repository: RondeRepository,
        transactions: Transactions,
        *,
        blokkades: Callable[[], Collection[str]] = frozenset,
        today: Callable[[], date] = date.today,
    ) -> None:
        self._repository = repository
        self._transactions = transactions
        self._blokkades = blokkades
        self._today = today
        # Per ronde the planner (index and optimum) of the ronde as last shown. It is rebuilt whenever the ronde
        # differs (an uitzondering, a blokkade), so what is allowed and the optimum always match the store.
        self._planners: dict[int, tuple[Ronde, Koppelplanner]] = {}

    # ---- reading -------------------------------------------------------------------------------------

    def list(self) -> list[RondeRij]:
        return self._repository.list()

    def bord(self, ronde_id: int) -> Rondebord:
        """The ronde as the board shows it. Raises RondeOnbekend, or RondeOngeldig (every problem, in Dutch)
        when a blokkade since the import breaks a vastzetting."""
        return self._load(ronde_id)[1]

    def get(self, ronde_id: int) -> tuple[Ronde, Bord]:
        """The ronde as stored, and its board (the optimum when none was saved) with each pair's herkomst."""
        stored, bord = self._load(ronde_id)
        return stored, bord.bord

    def stand(self, ronde_id: int) -> Bordstand:
        """What an undo step needs to put this ronde's board back as it is now."""
        return self._load(ronde_id)[1].stand

    # ---- writing -------------------------------------------------------------------------------------

    def add(self, ronde: Ronde) -> Changes:
        """Store a new ronde; `created` is its id. Refused (every problem) when it breaks a rule or its
        startdatum is missing or not plausible."""
        problemen: list[str] = []
        if ronde.startdatum is None:
            problemen.append("Ronde: vul de startdatum in (maart, juni, september of december).")
        problemen += [p.bericht for p in startdatum_problemen(ronde, self._today())]
        problemen += [p.bericht for p in validate(ronde)]
        if problemen or ronde.startdatum is None:
            raise ValidatieFout(problemen)
        naam = ronde.naam.strip() or f"Ronde {ronde.startdatum:%m-%Y}"
        with self._transactions.transaction():
            ronde_id = self._repository.add(ronde, naam)
        return Changes.of(RONDE, ronde_id, created=ronde_id)

    def verplaats(
        self, ronde_id: int, aios_id: str, opleider_id: str | None, *, reden: str | None = None
    ) -> Changes:
        """Move an aios to an opleider by hand (None: losmaken). A practice the aios did not visit needs
        `reden`: it is recorded as the manager's Uitzondering, with the move, in one transaction."""
        with self._transactions.transaction():
            stored, rb = self._load(ronde_id)
            bord = rb.bord
            if bord.toewijzing.get(aios_id) == opleider_id:
                return NONE
            idx = rb.planner.index
            oordeel = rb.planner.check_move(bord.toewijzing, aios_id, opleider_id, bord.pins)
            refused = [b.bericht for b in oordeel.bezwaren if b.blokkerend]
            if refused:
                raise ValidatieFout(refused)
            if opleider_id is not None and any(b.regel is Regel.NIET_BEZOCHT for b in oordeel.bezwaren):
                tekst = (reden or "").strip()
                if not tekst:
                    raise ValidatieFout([
                        f"{idx.aios_wie(aios_id)} heeft de praktijk van {idx.opleider_wie(opleider_id)} niet "
                        "bezocht. Dat kan alleen met een uitzondering van de manager opleiders: vul de reden in."
                    ])
                uitzondering = Uitzondering(aios_id, opleider_id, tekst)
                self._repository.save_ronde(
                    ronde_id, replace(stored, uitzonderingen=(*stored.uitzonderingen, uitzondering))
                )
            herkomst = dict(bord.herkomst or {})
            if opleider_id is None:
                herkomst.pop(aios_id, None)
            else:
                herkomst[aios_id] = Herkomst.HANDMATIG
            pins = frozenset(p for p in bord.pins if p[0] != aios_id)
            self._repository.save_bord(ronde_id, Bord(dict(oordeel.toewijzing), pins, herkomst))
        return Changes.of(RONDE, ronde_id)

    def zet_vast(self, ronde_id: int, aios_id: str, vast: bool = True) -> Changes:
        """Pin the aios's pair on the board (kept by "Optimaliseer de rest"), or unpin it."""
        with self._transactions.transaction():
            _, rb = self._load(ronde_id)
            opleider_id = rb.bord.toewijzing.get(aios_id)
            if opleider_id is None:
                raise ValidatieFout([
                    f"{rb.planner.index.aios_wie(aios_id)} is niet gekoppeld; alleen een paar op het bord kan "
                    "worden vastgezet."
                ])
            pair = (aios_id, opleider_id)
            if (pair in rb.bord.pins) == vast:
                return NONE
            pins = rb.bord.pins | {pair} if vast else rb.bord.pins - {pair}
            problemen = [p.bericht for p in pin_problems(rb.planner.index, sorted(pins))]
            if problemen:
                raise ValidatieFout(problemen)
            self._repository.save_bord(ronde_id, replace(rb.bord, pins=pins))
        return Changes.of(RONDE, ronde_id)

    def optimaliseer_rest(self, ronde_id: int) -> Changes:
        """The group optimum around the pinned pairs (AMC kaders: the group before the individual)."""
        with self._transactions.transaction():
            _, rb = self._load(ronde_id)
            pins = rb.bord.pins
            uitslag = rb.planner.solve(pins)
            before = rb.bord.herkomst or {}
            herkomst: dict[str, Herkomst] = {}
            for koppeling in uitslag.koppelingen:
                if koppeling.herkomst is Herkomst.PIN:
                    # A pin keeps where its pair came from; the uitslag shows it as pinned while it is.
                    herkomst[koppeling.aios_id] = before.get(koppeling.aios_id, Herkomst.HANDMATIG)
                elif koppeling.herkomst is Herkomst.OPTIMUM:
                    herkomst[koppeling.aios_id] = Herkomst.REST if pins else Herkomst.OPTIMUM
                else:
                    herkomst[koppeling.aios_id] = koppeling.herkomst
            bord = Bord(uitslag.toewijzing, pins, herkomst)
            if bord == rb.bord:
                return NONE
            self._repository.save_bord(ronde_id, bord)
        return Changes.of(RONDE, ronde_id)

    def herstel(self, ronde_id: int, stand: Bordstand) -> Changes:
        """Put a board and the ronde's uitzonderingen back as they were (undo and redo), in one transaction.
        Refused, with the reason, when a rule forbids it now (e.g. a blokkade since)."""
        with self._transactions.transaction():
            stored, rb = self._load(ronde_id)
            ronde = stored
            if stand.uitzonderingen != stored.uitzonderingen:
                ronde = replace(stored, uitzonderingen=stand.uitzonderingen)
            blocked = {o.id for o in rb.ronde.opleiders if o.blokkade}
            planner = self._planner(ronde_id, met_blokkades(ronde, blocked)[0])
            problemen = bord_problemen(planner.index, stand.bord)
            if problemen:
                raise ValidatieFout(problemen)
            if ronde is stored and stand.bord == rb.bord:
                return NONE
            if ronde is not stored:
                self._repository.save_ronde(ronde_id, ronde)
            self._repository.save_bord(ronde_id, stand.bord)
        return Changes.of(RONDE, ronde_id)

    def archiveer(self, ronde_id: int, gearchiveerd: bool = True) -> Changes:
        with self._transactions.transaction():
            self._repository.archive(ronde_id, gearchiveerd)
        self._planners.pop(ronde_id, None)
        return Changes.of(RONDE, ronde_id)

    # ---- inside --------------------------------------------------------------------------------------

    def _load(self, ronde_id: int) -> tuple[Ronde, Rondebord]:
        stored, saved = self._repository.get(ronde_id)
        shown, names = met_blokkades(stored, frozenset(self._blokkades()))
        planner = self._planner(ronde_id, shown)
        return stored, Rondebord(ronde_id, shown, planner, self._compleet(planner, saved), tuple(names))

    def _planner(self, ronde_id: int, ronde: Ronde) -> Koppelplanner:
        cached = self._planners.get(ronde_id)
        if cached is not None and cached[0] == ronde:
            return cached[1]
        planner = Koppelplanner(ronde)
        self._planners[ronde_id] = (ronde, planner)
        return planner

    @staticmethod
    def _compleet(planner: Koppelplanner, saved: Bord | None) -> Bord:
        """The board to show: the optimum when none was saved; else the saved one without pairs a blokkade took
        since, each pair with its herkomst."""
        idx = planner.index
        if saved is None:
            optimum = planner.optimum
            return Bord(optimum.toewijzing, frozenset(), {k.aios_id: k.herkomst for k in optimum.koppelingen})
        toewijzing = {
            a: o for a, o in saved.toewijzing.items()
            if a in idx.aios and o in idx.opleiders and not idx.opleiders[o].blokkade
        }
        pins = frozenset(p for p in saved.pins if toewijzing.get(p[0]) == p[1])
        herkomst: dict[str, Herkomst] = {
            a: h for a, h in (saved.herkomst or {}).items()
            # A pin is kept in `pins`; "vastgezet" belongs to the ronde's own vastzettingen only.
            if a in toewijzing and h is not Herkomst.PIN
            and (h is not Herkomst.VASTGEZET or a in idx.vastzettingen)
        }
        missing = [a for a in toewijzing if a not in herkomst]
        if missing:
            derived = afgeleide_herkomst(planner, toewijzing, pins)
            herkomst.update((a, derived[a]) for a in missing)
        return Bord(toewijzing, pins, herkomst)


__all__ = [
    "Bord", "Bordstand", "RondeOnbekend", "RondeRepository", "RondeRij", "RondeService", "Rondebord",
    "afgeleide_herkomst", "bord_problemen", "met_blokkades",
]
