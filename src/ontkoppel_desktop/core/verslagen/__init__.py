"""Gespreksverslagen: the questions of each gesprek as data, a verslag's life from concept to definitief, and
the service that records a gesprek in its traject. No Qt, no SQL."""

from __future__ import annotations

from ontkoppel_desktop.core.verslagen.formulier import (
    Eerder,
    GesprekFormulier,
    Handvat,
    Keuze,
    Onderwerp,
    Pagina,
    Veld,
    VeldSoort,
    VerslagDeel,
    Voorwaarde,
)
from ontkoppel_desktop.core.verslagen.formulier_lezen import (
    FormulierFout,
    bundled_formulieren,
    load_formulieren,
    parse_formulier,
)
from ontkoppel_desktop.core.verslagen.service import (
    VERSTUURD_EVENT,
    EerderAntwoord,
    GesprekContext,
    VerslagFout,
    VerslagRepository,
    VerslagService,
)
from ontkoppel_desktop.core.verslagen.verslag import (
    ARCHIEFPLEKKEN,
    Status,
    Verslag,
    as_date,
    canonical,
    gevraagde_velden,
    inhoud,
    is_leeg,
    klopt,
    ontbrekend,
    weergave,
    zegel,
    zegels,
)

__all__ = [
    "ARCHIEFPLEKKEN",
    "VERSTUURD_EVENT",
    "Eerder",
    "EerderAntwoord",
    "FormulierFout",
    "GesprekContext",
    "GesprekFormulier",
    "Handvat",
    "Keuze",
    "Onderwerp",
    "Pagina",
    "Status",
    "Veld",
    "VeldSoort",
    "Verslag",
    "VerslagDeel",
    "VerslagFout",
    "VerslagRepository",
    "VerslagService",
    "Voorwaarde",
    "as_date",
    "bundled_formulieren",
    "canonical",
    "gevraagde_velden",
    "inhoud",
    "is_leeg",
    "klopt",
    "load_formulieren",
    "ontbrekend",
    "parse_formulier",
    "weergave",
    "zegel",
    "zegels",
]
