"""Between Personen and a koppelronde: a ronde to fill in, made from the people in the store, and the
trajecten's blokkade applied to any ronde whose opleiders are store opleiders (Utrecht 5.2.1: no new aios
for an ontkoppelde opleider before the manager opleiders' contact)."""

from __future__ import annotations

from datetime import date

from ontkoppel_desktop.core.koppelplanner import Aios, Opleider, OpleiderStatus, Ronde
from ontkoppel_desktop.core.koppelplanner.rondes import met_blokkades
from ontkoppel_desktop.core.personen import Naam
from ontkoppel_desktop.store import instituut_personen
from ontkoppel_desktop.store.store import Store


def next_start(today: date) -> date:
    """The next start date (March, June, September or December) at least three months ahead."""
    index = today.year * 12 + (today.month - 1) + 3  # 0-based month, three months on
    index += (2 - index % 3) % 3
    year, month0 = divmod(index, 12)
    return date(year, month0 + 1, 1)


def ronde_from_personen(store: Store, today: date) -> Ronde:
    """Every active aios in opleidingsjaar 1 or 3 and every active opleider, with the store's ids: the
    managers remove who is not in this ronde and add the bezoeken and scores."""
    personen = store.personen
    praktijken = {p.id: p.weergave for p in personen.praktijken(archief=True)}
    blocked = set(store.trajecten.blokkades())
    aios = tuple(
        Aios(str(a.id), a.naam.volledig, a.opleidingsjaar, a.deeltijdpercentage)
        for a in personen.aios() if a.opleidingsjaar in (1, 3)
    )
    opleiders = tuple(
        Opleider(str(o.id), o.naam.volledig, praktijken.get(o.praktijk_id, ""),
                 OpleiderStatus.ERVAREN if o.ervaren else OpleiderStatus.CURRICULUM,
                 coassistent=o.begeleidt_coassistent, blokkade=o.id in blocked, duo_opleider=o.duo_opleider,
                 aanwezigheidspercentage=o.aanwezigheidspercentage)
        for o in personen.opleiders()
    )
    start = next_start(today)
    return Ronde(aios, opleiders, startdatum=start, naam=f"Ronde {start:%m-%Y}")


def ronde_from_instituut(store: Store, today: date) -> Ronde:
    """As `ronde_from_personen`, from the institute's Personen this laptop keeps (the server's picture, issue 17):
    every active aios in opleidingsjaar 1 or 3 and every active opleider the user's role sees, the blokkade as the
    institute knows it. The opleider's status, duo and presence are not on the server: the managers fill them in
    the workbook (ervaren by default)."""
    conn = store.conn
    praktijken = dict(conn.execute("SELECT id, naam FROM inst_praktijk").fetchall())
    blocked = instituut_personen.geblokkeerd(conn)
    aios = tuple(
        Aios(f"{instituut_personen.PREFIX}{i}", Naam(v, t, a).volledig, int(j), int(d))
        for i, v, t, a, j, d in conn.execute(
            "SELECT id, voornaam, tussenvoegsel, achternaam, opleidingsjaar, deeltijdpercentage FROM inst_aios "
            "WHERE gearchiveerd = 0 AND opleidingsjaar IN (1, 3) ORDER BY achternaam, voornaam")
    )
    opleiders = tuple(
        Opleider(ronde_id, Naam(v, t, a).volledig, praktijken.get(p, "") or "", OpleiderStatus.ERVAREN,
                 blokkade=ronde_id in blocked)
        for i, v, t, a, p in conn.execute(
            "SELECT id, voornaam, tussenvoegsel, achternaam, praktijk FROM inst_opleider WHERE gearchiveerd = 0 "
            "ORDER BY achternaam, voornaam")
        for ronde_id in (f"{instituut_personen.PREFIX}{i}",)
    )
    start = next_start(today)
    return Ronde(aios, opleiders, startdatum=start, naam=f"Ronde {start:%m-%Y}")


def with_personen_blokkade(store: Store, ronde: Ronde) -> tuple[Ronde, list[str]]:
    """The ronde with every opleider that a traject blocks marked as blocked; and the names so marked. (The
    RondeService does the same for every ronde it shows or changes.)"""
    return met_blokkades(ronde, {str(i) for i in store.trajecten.blokkades()})
