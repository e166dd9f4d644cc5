"""The institute's Personen as this laptop keeps them (schema v15, filled by instituut/personen.py), read for the
koppelplanner: a ronde to fill in from the institute's aios and opleiders, and which of those opleiders the
institute knows as blocked (Utrecht 5.2.1). Their ids in a ronde are the server's, marked `instituut:`, so they
never meet this laptop's own Personen ids.

A blokkade of a traject kept on the institute's Personen names the institute's opleider by id (`instituut`); one
of a traject started before names the opleider as its header carried the name (the starting laptop's own ids mean
nothing here), and an opleider of the copy is blocked when that name matches theirs, folded as search folds names.
"""

from __future__ import annotations

from ontkoppel_desktop.core.personen import Naam, zoek_normaal
from ontkoppel_desktop.store.connection import Connection

PREFIX = "instituut:"


def heeft_kopie(conn: Connection) -> bool:
    """Whether this laptop keeps any of the institute's opleiders (connected, and the role sees some)."""
    return bool(conn.execute("SELECT EXISTS (SELECT 1 FROM inst_opleider WHERE gearchiveerd = 0)").fetchone()[0])


def geblokkeerd(conn: Connection) -> frozenset[str]:
    """The ronde ids (instituut:<id>) of the institute's opleiders the institute knows as blocked."""
    op_id = {int(i) for (i,) in conn.execute(
        "SELECT opleider_id FROM instituut_blokkade WHERE instituut = 1 AND opleider_id IS NOT NULL")}
    namen = {_vouw(n) for (n,) in conn.execute("SELECT opleider_naam FROM instituut_blokkade WHERE instituut = 0")
             if n}
    if not namen and not op_id:
        return frozenset()
    return frozenset(
        f"{PREFIX}{i}" for i, v, t, a in conn.execute(
            "SELECT id, voornaam, tussenvoegsel, achternaam FROM inst_opleider WHERE gearchiveerd = 0")
        if i in op_id or _vouw(Naam(v, t, a).volledig) in namen
    )


def _vouw(naam: str) -> str:
    """A name as search compares it (case, accents), its spaces as one."""
    return zoek_normaal(" ".join(naam.split()))
