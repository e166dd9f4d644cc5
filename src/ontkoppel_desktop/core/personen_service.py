"""The one door for changes to people, praktijken, groepen and koppelingen: every rule is checked here, every
write is one transaction and returns what it changed.

The repository only reads and writes rows (`PersonenRepository`, a Protocol, so an institute server can
implement it on PostgreSQL). The trajecten side adds two rules that cross over (`TrajectRegels`): no new
koppeling with an opleider blocked after an ontkoppeling (Utrecht 5.2.1), and a changed aios recomputes what
its trajecten derive from the aios (deeltijd, startdatum: the voortgang rule and the verwachte einddatum).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Collection, Sequence
from typing import Any, Protocol

from ontkoppel_desktop.core import changes as c
from ontkoppel_desktop.core.changes import Changes
from ontkoppel_desktop.core.errors import ValidatieFout
from ontkoppel_desktop.core.personen import (
    Aios,
    Docent,
    Groep,
    Koppeling,
    Medewerker,
    Opleider,
    Praktijk,
    in_zin,
    is_id,
)
from ontkoppel_desktop.core.transactions import Transactions

Ids = Collection[int] | None

# The tables Personen shows, each a kind of change.
ARCHIVABLE = (c.PRAKTIJK, c.DOCENT, c.GROEP, c.AIOS, c.OPLEIDER, c.MEDEWERKER, c.KOPPELING)

# What the user calls a row of each table, in a sentence ("de praktijk bestaat niet meer").
SOORT = {
    c.PRAKTIJK: "de praktijk", c.DOCENT: "de docent", c.GROEP: "de groep", c.AIOS: "de aios",
    c.OPLEIDER: "de opleider", c.MEDEWERKER: "de medewerker", c.KOPPELING: "de koppeling",
}


def niet_gevonden(soort: str, row_id: object) -> str:
    """"de opleider (nummer 12) bestaat niet (meer)": a reference to no row, in the user's words (`soort` as in
    SOORT)."""
    nummer = f" (nummer {row_id})" if isinstance(row_id, int) and not isinstance(row_id, bool) else ""
    return f"{soort}{nummer} bestaat niet (meer)"


def _weergave(rij: object) -> str:
    naam = getattr(rij, "naam", "")
    return str(getattr(naam, "volledig", naam))


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

    def van_instituut(self, table: str, ids: Collection[int]) -> set[int]:
        """Those of these rows that mirror the institute's Personen (instituut/spiegel.py)."""
        ...


# What of a row the institute keeps, when the row mirrors the institute's (issue 17): changed there, not here. The
# rest (an e-mail, the opleider's curriculumjaar, a groep's docenten) is this laptop's own.
VAN_INSTITUUT: dict[str, tuple[str, ...]] = {
    c.AIOS: ("naam", "opleidingsjaar", "startdatum_opleiding", "deeltijdpercentage", "groep_id", "gearchiveerd"),
    c.OPLEIDER: ("naam", "praktijk_id", "gearchiveerd"),
    c.PRAKTIJK: ("naam", "plaats", "gearchiveerd"),
    c.GROEP: ("naam", "opleidingsjaar", "gearchiveerd"),
}
# A mirrored koppeling is not in VAN_INSTITUUT: the laptop's trajecten write its end, start and opleider (a step
# recorded here), and the mirror keeps an end recorded here until the institute has one (instituut/spiegel.py).
VAN_INSTITUUT_MELDING = (
    "{wie} komt van het instituut: {wat} wijzigt u daar (Instituut › Personen van het instituut, als uw rol dat mag; "
    "anders de jaarassistent of de manager opleiders). Bij de volgende synchronisatie komt de wijziging hier."
)


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
        found = self.repo.aios(archief=True, ids=[aios_id]) if is_id(aios_id) else []
        if not found:
            raise ValidatieFout([f"Deze aios bestaat niet (meer) (nummer {aios_id})."])
        return found[0]

    def get_koppeling(self, koppeling_id: int) -> Koppeling:
        found = self.repo.koppelingen(archief=True, ids=[koppeling_id]) if is_id(koppeling_id) else []
        if not found:
            raise ValidatieFout([f"Deze koppeling bestaat niet (meer) (nummer {koppeling_id})."])
        return found[0]

    def rij(self, table: str, row_id: object) -> Any | None:
        """The row (archived or not) of a table of ARCHIVABLE with this id, or None: no such row, or no id."""
        if not is_id(row_id):
            return None
        assert isinstance(row_id, int)
        readers: dict[str, Callable[..., Sequence[Any]]] = {
            c.PRAKTIJK: self.repo.praktijken, c.DOCENT: self.repo.docenten, c.GROEP: self.repo.groepen,
            c.AIOS: self.repo.aios, c.OPLEIDER: self.repo.opleiders, c.MEDEWERKER: self.repo.medewerkers,
            c.KOPPELING: self.repo.koppelingen,
        }
        found = readers[table](archief=True, ids=[row_id])
        return found[0] if found else None

    def check_verwijzing(self, wie: str, table: str, row_id: object, before: object = None) -> str | None:
        """None when `row_id` may be referred to from a form about `wie`; else the problem (Dutch). The row must
        exist; a new or changed reference (`before` is the id it had) must not be to an archived row, which no
        pick list offers any more. An unchanged one stays, so an opleider whose praktijk was archived later can
        still be edited."""
        rij = self.rij(table, row_id)
        if rij is None:
            return f"{wie}: {niet_gevonden(SOORT[table], row_id)}; kies een andere."
        if rij.gearchiveerd and row_id != before:
            return (f"{wie}: {SOORT[table]} {in_zin(_weergave(rij))} staat in het archief. Haal die eerst terug uit "
                    "het archief, of kies een andere.")
        return None

    def counts(self) -> dict[str, int]:
        return self.repo.counts()

    # ---- changing ------------------------------------------------------------------------------------

    def save_praktijk(self, p: Praktijk) -> Changes:
        p.valideer()
        with self._tx.transaction():
            self._eigen(c.PRAKTIJK, p, self._bestaat(c.PRAKTIJK, p.id))
            p.id = self.repo.write_praktijk(p)
        # Opleiders show their praktijk's name.
        return Changes.of(c.PRAKTIJK, p.id, created=p.id)

    def save_docent(self, d: Docent) -> Changes:
        d.valideer()
        with self._tx.transaction():
            self._bestaat(c.DOCENT, d.id)
            d.id = self.repo.write_docent(d)
        return Changes.of(c.DOCENT, d.id, created=d.id)

    def save_groep(self, g: Groep) -> Changes:
        g.valideer()
        with self._tx.transaction():
            before = self._bestaat(c.GROEP, g.id)
            self._eigen(c.GROEP, g, before)
            self._verwijzingen(f"Groep {in_zin(g.naam)}", [
                (c.DOCENT, g.huisarts_docent_id, getattr(before, "huisarts_docent_id", None)),
                (c.DOCENT, g.gedragswetenschapper_docent_id, getattr(before, "gedragswetenschapper_docent_id", None)),
            ])
            g.id = self.repo.write_groep(g)
        return Changes.of(c.GROEP, g.id, created=g.id)

    def save_aios(self, a: Aios, *, today: dt.date | None = None) -> Changes:
        a.valideer(today)
        with self._tx.transaction():
            before = self._bestaat(c.AIOS, a.id)
            self._eigen(c.AIOS, a, before)
            self._verwijzingen(f"Aios {in_zin(a.naam.volledig)}",
                               [(c.GROEP, a.groep_id, getattr(before, "groep_id", None))])
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
            before = self._bestaat(c.OPLEIDER, o.id)
            self._eigen(c.OPLEIDER, o, before)
            self._verwijzingen(f"Opleider {in_zin(o.naam.volledig)}",
                               [(c.PRAKTIJK, o.praktijk_id, getattr(before, "praktijk_id", None))])
            o.id = self.repo.write_opleider(o)
        return Changes.of(c.OPLEIDER, o.id, created=o.id)

    def save_medewerker(self, m: Medewerker) -> Changes:
        m.valideer()
        with self._tx.transaction():
            self._bestaat(c.MEDEWERKER, m.id)
            m.id = self.repo.write_medewerker(m)
        return Changes.of(c.MEDEWERKER, m.id, created=m.id)

    def save_koppeling(self, k: Koppeling, *, today: dt.date | None = None) -> Changes:
        """The only way a koppeling is written, also by the trajecten (einde, nieuwe koppeling)."""
        with self._tx.transaction():
            before = self._bestaat(c.KOPPELING, k.id)
            # The people first: the other koppelingen of the aios are read by its id.
            self._verwijzingen("Koppeling", [(c.AIOS, k.aios_id, getattr(before, "aios_id", None)),
                                             (c.OPLEIDER, k.opleider_id, getattr(before, "opleider_id", None))])
            k.valideer(self.repo.koppelingen(aios_id=k.aios_id), today)
            if before is None:
                self._check_vrij(k.opleider_id)
            elif before.opleider_id != k.opleider_id:
                # Another opleider on an existing koppeling is a new aios for that opleider.
                self._check_vrij(k.opleider_id)
            k.id = self.repo.write_koppeling(k)
        return Changes.of(c.KOPPELING, k.id, created=k.id)

    def set_gearchiveerd(self, table: str, ids: Collection[int], gearchiveerd: bool, *,
                         today: dt.date | None = None) -> Changes:
        if table not in ARCHIVABLE:
            raise ValueError(table)
        ids = list(ids)
        if not all(is_id(i) for i in ids):
            raise ValidatieFout([f"{niet_gevonden(SOORT[table], next(i for i in ids if not is_id(i)))}."
                                 .capitalize()])
        with self._tx.transaction():
            if table in VAN_INSTITUUT and self.repo.van_instituut(table, ids):
                raise ValidatieFout([VAN_INSTITUUT_MELDING.format(
                    wie="Wat u koos" if len(ids) > 1 else SOORT[table].capitalize(), wat="archiveren")])
            if table == c.KOPPELING and not gearchiveerd:
                # Restoring a koppeling makes it count again: the same rules as a new one.
                for k in self.repo.koppelingen(archief=True, ids=ids):
                    k.gearchiveerd = False
                    k.valideer(self.repo.koppelingen(aios_id=k.aios_id), today)
                    if k.einddatum is None or k.einddatum >= (today or dt.date.today()):
                        self._check_vrij(k.opleider_id)
            self.repo.set_gearchiveerd(table, ids, gearchiveerd)
        return Changes.of_ids(table, ids)

    def _bestaat(self, table: str, row_id: int | None) -> Any | None:
        """The stored row a save updates (None for a new one); ValidatieFout when it no longer exists."""
        if row_id is None:
            return None
        rij = self.rij(table, row_id)
        if rij is None:
            raise ValidatieFout([f"Dit gegeven bestaat niet meer ({niet_gevonden(SOORT[table], row_id)}); het is "
                                 "misschien intussen verwijderd."])
        return rij

    def _eigen(self, table: str, row: object, before: Any | None) -> None:
        """ValidatieFout when a save changes what the institute keeps of a row that mirrors the institute's."""
        if before is None or not self.repo.van_instituut(table, [before.id]):
            return
        naam = str(getattr(before.naam, "volledig", before.naam))
        soort = SOORT[table].capitalize()
        wie = in_zin(naam) if naam.casefold().startswith(soort.casefold()) else f"{soort} {in_zin(naam)}"
        anders = [veld for veld in VAN_INSTITUUT[table] if getattr(row, veld) != getattr(before, veld)]
        if anders:
            wat = {"naam": "de naam", "opleidingsjaar": "het opleidingsjaar", "startdatum_opleiding": "de startdatum",
                   "deeltijdpercentage": "het deeltijdpercentage", "groep_id": "de groep", "praktijk_id": "de praktijk",
                   "plaats": "de plaats", "gearchiveerd": "archiveren"}
            raise ValidatieFout([VAN_INSTITUUT_MELDING.format(wie=wie, wat=", ".join(wat[v] for v in anders))])

    def _verwijzingen(self, wie: str, refs: Sequence[tuple[str, object, object]]) -> None:
        """Each (table, id, id before) that is set passes check_verwijzing, or ValidatieFout lists every one that
        does not. Inside the write's transaction: a row archived meanwhile in another window is seen."""
        problemen = [fout for table, row_id, before in refs
                     if row_id is not None and (fout := self.check_verwijzing(wie, table, row_id, before))]
        if problemen:
            raise ValidatieFout(problemen)

    def _check_vrij(self, opleider_id: int) -> None:
        if self.trajecten is not None:
            self.trajecten.check_opleider_vrij(opleider_id)

    def van_instituut(self, table: str, ids: Collection[int]) -> set[int]:
        """Those of these rows that mirror the institute's Personen (one query; Personen marks them)."""
        return self.repo.van_instituut(table, ids)


__all__ = ["ARCHIVABLE", "SOORT", "PersonenRepository", "PersonenService", "TrajectRegels", "niet_gevonden"]
