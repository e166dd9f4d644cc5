"""The one door for changes to people, praktijken, groepen and koppelingen: every rule is checked here, every
write is one transaction and returns what it changed.

The repository only reads and writes rows (`PersonenRepository`, a Protocol, so an institute server can
implement it on PostgreSQL). The trajecten side adds two rules that cross over (`TrajectRegels`): no new
koppeling with an opleider blocked after an ontkoppeling (Utrecht 5.2.1), and a changed aios recomputes what
its trajecten derive from the aios (deeltijd, startdatum: the voortgang rule and the verwachte einddatum).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from typing import Protocol

from ontkoppel_desktop.core import changes as c
from ontkoppel_desktop.core.changes import Changes
from ontkoppel_desktop.core.errors import ValidatieFout
from ontkoppel_desktop.core.personen import Aios, Docent, Groep, Koppeling, Medewerker, Opleider, Praktijk
from ontkoppel_desktop.core.transactions import Transactions

Ids = Collection[int] | None

# The tables Personen shows, each a kind of change.
ARCHIVABLE = (c.PRAKTIJK, c.DOCENT, c.GROEP, c.AIOS, c.OPLEIDER, c.MEDEWERKER, c.KOPPELING)


class PersonenRepository(Protocol):
    """Rows in, rows out; no rules. `ids` limits a read to those rows (for a screen refreshing a few)."""

    def praktijken(self, archief: bool = False, ids: Ids = None) -> list[Praktijk]: ...

    def docenten(self, archief: bool = False, ids: Ids = None) -> list[Docent]: ...

    def groepen(self, archief: bool = False, ids: Ids = None) -> list[Groep]: ...

    def aios(self, archief: bool = False, ids: Ids = None) -> list[Aios]: ...

    def opleiders(self, archief: bool = False, ids: Ids = None) -> list[Opleider]: ...

    def medewerkers(self, archief: bool = False, ids: Ids = None) -> list[Medewerker]: ...

    def koppelingen(self, archief: bool = False, aios_id: int | None = None, ids: Ids = None) -> list[Koppeling]:
        ...

    def write_praktijk(self, p: Praktijk) -> int:
        """Insert (id None) or update the row; returns its id. Updating a row that no longer exists raises."""
        ...

    def write_docent(self, d: Docent) -> int: ...

    def write_groep(self, g: Groep) -> int: ...

    def write_aios(self, a: Aios) -> int: ...

    def write_opleider(self, o: Opleider) -> int: ...

    def write_medewerker(self, m: Medewerker) -> int: ...

    def write_koppeling(self, k: Koppeling) -> int: ...

    def set_gearchiveerd(self, table: str, ids: Collection[int], gearchiveerd: bool) -> None: ...

    def counts(self) -> dict[str, int]: ...


class TrajectRegels(Protocol):
    """What the trajecten side adds to changes of people (implemented by the TrajectService)."""

    def check_opleider_vrij(self, opleider_id: int) -> None:
        """Raise a Dutch RuleError when the opleider may get no new aios now."""
        ...

    def aios_changed(self, aios_id: int) -> Changes:
        """Recompute what the aios's trajecten derive from the aios; returns the trajecten touched."""
        ...


class PersonenService:
    def __init__(self, tx: Transactions, repo: PersonenRepository, trajecten: TrajectRegels | None = None) -> None:
        self._tx = tx
        self.repo = repo
        # Set by the store once both services exist; without it (a store without trajecten) no rule crosses.
        self.trajecten = trajecten

    # ---- reading -------------------------------------------------------------------------------------

    def praktijken(self, archief: bool = False, ids: Ids = None) -> list[Praktijk]:
        return self.repo.praktijken(archief, ids)

    def docenten(self, archief: bool = False, ids: Ids = None) -> list[Docent]:
        return self.repo.docenten(archief, ids)

    def groepen(self, archief: bool = False, ids: Ids = None) -> list[Groep]:
        return self.repo.groepen(archief, ids)

    def aios(self, archief: bool = False, ids: Ids = None) -> list[Aios]:
        return self.repo.aios(archief, ids)

    def opleiders(self, archief: bool = False, ids: Ids = None) -> list[Opleider]:
        return self.repo.opleiders(archief, ids)

    def medewerkers(self, archief: bool = False, ids: Ids = None) -> list[Medewerker]:
        return self.repo.medewerkers(archief, ids)

    def koppelingen(self, archief: bool = False, aios_id: int | None = None, ids: Ids = None) -> list[Koppeling]:
        return self.repo.koppelingen(archief, aios_id, ids)

    def get_aios(self, aios_id: int) -> Aios:
        found = self.repo.aios(archief=True, ids=[aios_id])
        if not found:
            raise ValidatieFout([f"Deze aios bestaat niet (meer) (nummer {aios_id})."])
        return found[0]

    def get_koppeling(self, koppeling_id: int) -> Koppeling:
        found = self.repo.koppelingen(archief=True, ids=[koppeling_id])
        if not found:
            raise ValidatieFout([f"Deze koppeling bestaat niet (meer) (nummer {koppeling_id})."])
        return found[0]

    def counts(self) -> dict[str, int]:
        return self.repo.counts()

    # ---- changing ------------------------------------------------------------------------------------

    def save_praktijk(self, p: Praktijk) -> Changes:
        p.valideer()
        with self._tx.transaction():
            p.id = self.repo.write_praktijk(p)
        # Opleiders show their praktijk's name.
        return Changes.of(c.PRAKTIJK, p.id, created=p.id)

    def save_docent(self, d: Docent) -> Changes:
        d.valideer()
        with self._tx.transaction():
            d.id = self.repo.write_docent(d)
        return Changes.of(c.DOCENT, d.id, created=d.id)

    def save_groep(self, g: Groep) -> Changes:
        g.valideer()
        with self._tx.transaction():
            g.id = self.repo.write_groep(g)
        return Changes.of(c.GROEP, g.id, created=g.id)

    def save_aios(self, a: Aios, *, today: dt.date | None = None) -> Changes:
        a.valideer(today)
        with self._tx.transaction():
            new = a.id is None
            a.id = self.repo.write_aios(a)
            changes = Changes.of(c.AIOS, a.id, created=a.id)
            if not new and self.trajecten is not None:
                # Defect "stale facts": deeltijd and startdatum move the verwachte einddatum and the voortgang
                # rule of the aios's trajecten, in the same transaction.
                changes = changes | self.trajecten.aios_changed(a.id)
        return changes

    def save_opleider(self, o: Opleider) -> Changes:
        o.valideer()
        with self._tx.transaction():
            o.id = self.repo.write_opleider(o)
        return Changes.of(c.OPLEIDER, o.id, created=o.id)

    def save_medewerker(self, m: Medewerker) -> Changes:
        m.valideer()
        with self._tx.transaction():
            m.id = self.repo.write_medewerker(m)
        return Changes.of(c.MEDEWERKER, m.id, created=m.id)

    def save_koppeling(self, k: Koppeling, *, today: dt.date | None = None) -> Changes:
        """The only way a koppeling is written, also by the trajecten (einde, nieuwe koppeling)."""
        with self._tx.transaction():
            k.valideer(self.repo.koppelingen(aios_id=k.aios_id), today)
            if k.id is None:
                self._check_vrij(k.opleider_id)
            else:
                before = self.get_koppeling(k.id)
                if before.opleider_id != k.opleider_id:
                    # Another opleider on an existing koppeling is a new aios for that opleider.
                    self._check_vrij(k.opleider_id)
            k.id = self.repo.write_koppeling(k)
        return Changes.of(c.KOPPELING, k.id, created=k.id)

    def set_gearchiveerd(self, table: str, ids: Collection[int], gearchiveerd: bool, *,
                         today: dt.date | None = None) -> Changes:
        if table not in ARCHIVABLE:
            raise ValueError(table)
        ids = list(ids)
        with self._tx.transaction():
            if table == c.KOPPELING and not gearchiveerd:
                # Restoring a koppeling makes it count again: the same rules as a new one.
                for k in self.repo.koppelingen(archief=True, ids=ids):
                    k.gearchiveerd = False
                    k.valideer(self.repo.koppelingen(aios_id=k.aios_id), today)
                    if k.einddatum is None or k.einddatum >= (today or dt.date.today()):
                        self._check_vrij(k.opleider_id)
            self.repo.set_gearchiveerd(table, ids, gearchiveerd)
        return Changes.of_ids(table, ids)

    def _check_vrij(self, opleider_id: int) -> None:
        if self.trajecten is not None:
            self.trajecten.check_opleider_vrij(opleider_id)


__all__ = ["ARCHIVABLE", "PersonenRepository", "PersonenService", "TrajectRegels"]
