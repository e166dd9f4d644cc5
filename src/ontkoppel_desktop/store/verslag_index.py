"""The search index of the verslagen (schema v6: a contentless FTS5 table inside the encrypted file): what a
verslag's row in it holds, written by the repository with every save and by the migration that made it.

Apart from store/verslagen.py so the schema's migration can fill the index without importing the repository
(which needs the database module, which needs the schema).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping

from ontkoppel_desktop.core.errors import OntkoppelError
from ontkoppel_desktop.core.procedure.events import JsonValue
from ontkoppel_desktop.core.verslagen.formulier import GesprekFormulier
from ontkoppel_desktop.core.verslagen.verslag import as_date
from ontkoppel_desktop.core.verslagen.zoeken import Zoekrij, zoekrij
from ontkoppel_desktop.store.connection import Connection

FormulierVan = Callable[[tuple[str, str], str], GesprekFormulier | None]


def bundled_formulier(procedure: tuple[str, str], gesprek: str) -> GesprekFormulier | None:
    """The bundled questions of a gesprek (what the index takes the text fields from)."""
    from ontkoppel_desktop.core.procedure import default_registry
    from ontkoppel_desktop.core.verslagen.formulier_lezen import bundled_formulieren

    registry = default_registry()
    if procedure not in registry:
        return None
    try:
        return bundled_formulieren(registry.get(*procedure)).get(gesprek)
    except OntkoppelError:  # a faulty question file: the verslag is indexed by all of its text
        return None


class VerslagIndex:
    """A verslag's row of the search index and its `datum`, from its answers."""

    def __init__(self, formulier_van: FormulierVan) -> None:
        self._formulier_van = formulier_van
        self._formulieren: dict[tuple[tuple[str, str], str], GesprekFormulier | None] = {}

    def formulier(self, procedure: tuple[str, str], gesprek: str) -> GesprekFormulier | None:
        key = (procedure, gesprek)
        if key not in self._formulieren:
            self._formulieren[key] = self._formulier_van(procedure, gesprek)
        return self._formulieren[key]

    def rij(self, procedure: tuple[str, str], gesprek: str,
            antwoorden: Mapping[str, JsonValue]) -> tuple[Zoekrij, str | None]:
        """What the index holds for these answers, and the gesprek's date (ISO) for the `datum` column."""
        formulier = self.formulier(procedure, gesprek)
        rij = zoekrij(formulier.titel if formulier is not None else gesprek, formulier, antwoorden)
        datum = as_date(antwoorden.get(formulier.datum_veld.id if formulier is not None else "datum"))
        return rij, datum.isoformat() if datum is not None else None

    @staticmethod
    def schrijf(conn: Connection, verslag_id: int, rij: Zoekrij) -> None:
        # contentless_delete: the row with this rowid is replaced, its old words leave the index.
        conn.execute("INSERT OR REPLACE INTO verslag_zoek (rowid, titel, tekst) VALUES (?, ?, ?)",
                     (verslag_id, rij.titel, rij.tekst))


def indexeer_alle(conn: Connection, formulier_van: FormulierVan = bundled_formulier) -> int:
    """Index every verslag anew (the migration that made the index, and any that changes what it holds)."""
    index = VerslagIndex(formulier_van)
    rows = conn.execute("SELECT id, procedure_id, procedure_version, gesprek, antwoorden FROM verslag").fetchall()
    conn.execute("DELETE FROM verslag_zoek")
    for verslag_id, procedure_id, version, gesprek, antwoorden in rows:
        rij, datum = index.rij((procedure_id, version), gesprek, json.loads(antwoorden))
        index.schrijf(conn, verslag_id, rij)
        conn.execute("UPDATE verslag SET datum = ? WHERE id = ?", (datum, verslag_id))
    return len(rows)


__all__ = ["FormulierVan", "VerslagIndex", "bundled_formulier", "indexeer_alle"]
