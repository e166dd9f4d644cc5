"""The Koppelplanner: the koppelingsprocedure of the AMC kaders as a Qt-free model, its rules, the group optimum
and its explanation. The board (ui/) and the store build on this; nothing here knows Qt, SQL or files."""

from __future__ import annotations

from ontkoppel_desktop.core.koppelplanner.een_op_een import Kandidaat, candidates
from ontkoppel_desktop.core.koppelplanner.paarregels import Bezwaar, Regel, RondeIndex
from ontkoppel_desktop.core.koppelplanner.planner import Koppelplanner
from ontkoppel_desktop.core.koppelplanner.ronde import (
    Afwijzing,
    Aios,
    Bezoek,
    Opleider,
    OpleiderStatus,
    Ronde,
    Rondeplanning,
    Uitzondering,
    Vastzetting,
    plan_ronde,
)
from ontkoppel_desktop.core.koppelplanner.rondes import (
    Bord,
    Bordstand,
    Rondebord,
    RondeOnbekend,
    RondeRepository,
    RondeRij,
    RondeService,
)
from ontkoppel_desktop.core.koppelplanner.solver import (
    Doelwaarde,
    Herkomst,
    Koppeling,
    Uitslag,
    doelwaarde,
    solve,
    uitslag_van,
)
from ontkoppel_desktop.core.koppelplanner.uitleg import AiosUitleg, Keuzereden, Uitleg, explain
from ontkoppel_desktop.core.koppelplanner.validatie import Onderdeel, Probleem, RondeOngeldig, validate
from ontkoppel_desktop.core.koppelplanner.verplaatsing import Zetoordeel, check_move, check_moves, check_swap

__all__ = [
    "Afwijzing", "Aios", "AiosUitleg", "Bezoek", "Bezwaar", "Bord", "Bordstand", "Doelwaarde", "Herkomst",
    "Kandidaat", "Keuzereden", "Koppeling", "Koppelplanner", "Onderdeel", "Opleider", "OpleiderStatus", "Probleem",
    "Regel", "Ronde", "RondeIndex", "RondeOnbekend", "RondeOngeldig", "RondeRepository", "RondeRij", "RondeService",
    "Rondebord", "Rondeplanning", "Uitleg", "Uitslag", "Uitzondering", "Vastzetting", "Zetoordeel", "candidates",
    "check_move", "check_moves", "check_swap", "doelwaarde", "explain", "plan_ronde", "solve", "uitslag_van",
    "validate",
]
