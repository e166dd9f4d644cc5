"""Names by id for the columns and pick lists of Personen and the forms.

The small tables (praktijken, groepen, docenten) are read at once; aios and opleiders, thousands at an
institute, only when a column or pick list first asks for one of them.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ontkoppel_desktop.core.personen import Aios, Docent, Groep, Opleider, Praktijk
from ontkoppel_desktop.core.personen_service import PersonenService
from ontkoppel_desktop.ui.dutch import collator


@dataclass
class Lookups:
    praktijken: dict[int, Praktijk] = field(default_factory=dict)
    groepen: dict[int, Groep] = field(default_factory=dict)
    docenten: dict[int, Docent] = field(default_factory=dict)
    source: PersonenService | None = field(default=None, repr=False)
    _aios: dict[int, Aios] | None = field(default=None, repr=False)
    _opleiders: dict[int, Opleider] | None = field(default=None, repr=False)

    @classmethod
    def load(cls, repo: PersonenService, *, with_people: bool = True) -> Lookups:
        """`with_people` is kept for callers that know they need every aios and opleider at once."""
        lookups = cls(
            praktijken={p.id: p for p in repo.praktijken(archief=True) if p.id is not None},
            groepen={g.id: g for g in repo.groepen(archief=True) if g.id is not None},
            docenten={d.id: d for d in repo.docenten(archief=True) if d.id is not None},
            source=repo,
        )
        return lookups

    @property
    def aios(self) -> dict[int, Aios]:
        if self._aios is None:
            found = self.source.aios(archief=True) if self.source is not None else []
            self._aios = {a.id: a for a in found if a.id is not None}
        return self._aios

    @property
    def opleiders(self) -> dict[int, Opleider]:
        if self._opleiders is None:
            found = self.source.opleiders(archief=True) if self.source is not None else []
            self._opleiders = {o.id: o for o in found if o.id is not None}
        return self._opleiders

    def praktijk_naam(self, praktijk_id: int | None) -> str:
        p = self.praktijken.get(praktijk_id) if praktijk_id is not None else None
        return p.weergave if p else ""

    def groep_naam(self, groep_id: int | None) -> str:
        g = self.groepen.get(groep_id) if groep_id is not None else None
        return g.naam if g else ""

    def docenten_van_groep(self, groep_id: int | None) -> str:
        g = self.groepen.get(groep_id) if groep_id is not None else None
        if g is None:
            return ""
        names = [self.docenten[d].naam.volledig for d in (g.huisarts_docent_id, g.gedragswetenschapper_docent_id)
                 if d is not None and d in self.docenten]
        return " en ".join(names)

    def aios_naam(self, aios_id: int) -> str:
        a = self.aios.get(aios_id)
        return a.naam.volledig if a else f"aios {aios_id}"

    def opleider_naam(self, opleider_id: int) -> str:
        o = self.opleiders.get(opleider_id)
        return o.naam.volledig if o else f"opleider {opleider_id}"

    def aios_sorteernaam(self, aios_id: int) -> str:
        a = self.aios.get(aios_id)
        return a.naam.sorteernaam if a else f"aios {aios_id}"

    def opleider_sorteernaam(self, opleider_id: int) -> str:
        o = self.opleiders.get(opleider_id)
        return o.naam.sorteernaam if o else f"opleider {opleider_id}"

    def opleider_praktijk(self, opleider_id: int) -> str:
        o = self.opleiders.get(opleider_id)
        return self.praktijk_naam(o.praktijk_id) if o else ""

    # Pick lists show only what is not archived, sorted as a Dutch reader expects.
    def praktijken_sorted(self) -> list[Praktijk]:
        key = collator().sortKey
        return sorted((p for p in self.praktijken.values() if not p.gearchiveerd), key=lambda p: key(p.weergave))

    def groepen_sorted(self) -> list[Groep]:
        key = collator().sortKey
        return sorted((g for g in self.groepen.values() if not g.gearchiveerd), key=lambda g: key(g.naam))

    def docenten_sorted(self) -> list[Docent]:
        key = collator().sortKey
        return sorted((d for d in self.docenten.values() if not d.gearchiveerd),
                      key=lambda d: key(d.naam.sorteernaam))

    def aios_sorted(self) -> list[Aios]:
        key = collator().sortKey
        return sorted((a for a in self.aios.values() if not a.gearchiveerd), key=lambda a: key(a.naam.sorteernaam))

    def opleiders_sorted(self) -> list[Opleider]:
        key = collator().sortKey
        return sorted((o for o in self.opleiders.values() if not o.gearchiveerd),
                      key=lambda o: key(o.naam.sorteernaam))
