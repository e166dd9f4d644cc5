"""Personen from the institute on the laptops (issue 17): each laptop keeps a read-only copy of what its user's
role needs, no more — a docent their groep's aios with their koppelingen, a jaarassistent their year, the manager
opleiders everything; every role the opleiders and praktijken — and what leaves a user's view leaves their laptop."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from django.contrib.auth.hashers import make_password

from ontkoppel_desktop.core.rollen import Rol
from ontkoppel_desktop.instituut import personen
from ontkoppel_server.instituut.models import Aios, Groep, Koppeling, Opleider, Praktijk
from tests.instituut.conftest import Laptop, Server, nieuwe_laptop
from tests.server.conftest import WACHTWOORD, account, groep

START = dt.date(2025, 9, 1)


def _account(naam: str, rol: Rol, scope: object) -> None:
    acc = account(naam, (rol, scope))
    acc.password = make_password(WACHTWOORD, hasher="argon2")
    acc.save()


def _instituut() -> dict[str, int]:
    """Two groepen of year 1 and one of year 2, an aios in each with a koppeling, and an opleider without one: as
    IT or the roles that may put them on the server (here as the owner of the tables)."""
    db = "eigenaar"
    g1a, g1b, g2 = groep("Groep 1A", 1), groep("Groep 1B", 1), groep("Groep 2A", 2)
    ids: dict[str, int] = {"g1a": g1a.pk, "g1b": g1b.pk, "g2": g2.pk}
    for naam, g in (("Visser", g1a), ("Bos", g1b), ("Smit", g2)):
        praktijk = Praktijk.objects.using(db).create(naam=f"Praktijk {naam}", plaats="Utrecht")
        opleider = Opleider.objects.using(db).create(voornaam="Eva", achternaam=f"Oud-{naam}", praktijk=praktijk)
        aios = Aios.objects.using(db).create(voornaam="Noor", achternaam=naam, opleidingsjaar=g.opleidingsjaar,
                                             startdatum_opleiding=START, groep=g)
        Koppeling.objects.using(db).create(aios=aios, opleider=opleider, startdatum=START)
        ids[naam] = aios.pk
    Opleider.objects.using(db).create(voornaam="Piet", achternaam="Vrij",
                                      praktijk=Praktijk.objects.using(db).create(naam="Praktijk Vrij"))
    return ids


def _namen(laptop: Laptop) -> tuple[set[str], set[str]]:
    conn = laptop.store.conn
    return ({a.naam.achternaam for a in personen.aios(conn)}, {o.naam.achternaam for o in personen.opleiders(conn)})


def test_each_laptop_keeps_only_what_its_role_needs(tmp_path: Path, server: Server) -> None:
    ids = _instituut()
    _account("dora", Rol.DOCENTEN, Groep.objects.get(pk=ids["g1a"]))
    _account("jan", Rol.JAARASSISTENT, 1)
    _account("mo", Rol.MANAGER_OPLEIDERS, None)
    _account("bea", Rol.BELEIDSMEDEWERKER, None)
    laptops = {naam: nieuwe_laptop(tmp_path / f"{naam}.okdb", aios=naam.title()) for naam in ("dora", "jan", "mo",
                                                                                                "bea")}
    for naam, laptop in laptops.items():
        laptop.verbind(server.adres, naam)
        assert laptop.synchroniseer().fout is None

    # Aios and koppelingen by role; the opleiders (and praktijken) every role reads: who a kandidaat opleider is.
    alle = {"Oud-Visser", "Oud-Bos", "Oud-Smit", "Vrij"}
    assert _namen(laptops["dora"]) == ({"Visser"}, alle)
    assert _namen(laptops["jan"]) == ({"Visser", "Bos"}, alle)
    assert _namen(laptops["mo"]) == ({"Visser", "Bos", "Smit"}, alle)
    assert _namen(laptops["bea"]) == (set(), set())
    stand = personen.stand(laptops["dora"].store.conn)
    assert (stand.aios, stand.koppelingen, stand.opleiders, stand.praktijken) == (1, 1, 4, 4)
    # The laptop's own Personen mirror the copy (trajecten start on the institute's koppelingen), next to its own.
    dora = laptops["dora"].store.personen
    assert sorted(a.naam.achternaam for a in dora.aios()) == ["Dora", "Visser"]
    assert len(dora.koppelingen()) == 2

    # The aios moves to Groep 1B: she leaves the docent's laptop (with her koppeling) at the next pull.
    Aios.objects.using("eigenaar").filter(pk=ids["Visser"]).update(groep_id=ids["g1b"])
    for laptop in laptops.values():
        assert laptop.synchroniseer().fout is None
    assert _namen(laptops["dora"]) == (set(), alle)
    assert personen.stand(laptops["dora"].store.conn).koppelingen == 0
    assert _namen(laptops["jan"])[0] == {"Visser", "Bos"}
    assert [a.naam.achternaam for a in dora.aios()] == ["Dora"]
    assert len(dora.koppelingen()) == 1
    for laptop in laptops.values():
        laptop.store.close()


def test_the_koppelplanner_template_and_board_use_the_institutes_picture(tmp_path: Path, server: Server) -> None:
    from ontkoppel_desktop.instituut import outbox
    from ontkoppel_desktop.store.ronde_personen import ronde_from_instituut

    _instituut()
    _account("mo", Rol.MANAGER_OPLEIDERS, None)
    mo = nieuwe_laptop(tmp_path / "mo.okdb", aios="Eigen")
    mo.verbind(server.adres, "mo")
    assert mo.synchroniseer().fout is None
    # The institute knows Eva Oud-Bos as blocked (the list as the server gave it: tests/server covers how).
    outbox.bewaar_blokkades(mo.store.conn, [{"traject": "00000000-0000-4000-8000-000000000001", "opleider_id": 1,
                                             "opleider_naam": "Eva  Oud-Bos", "sinds": "2026-11-01",
                                             "wacht_op": "Contact manager opleiders"}])
    ronde = ronde_from_instituut(mo.store, dt.date(2026, 12, 1))
    assert sorted(a.naam for a in ronde.aios) == ["Noor Bos", "Noor Visser"]  # years 1 and 3 only
    assert sorted(o.naam for o in ronde.opleiders) == ["Eva Oud-Bos", "Eva Oud-Smit", "Eva Oud-Visser", "Piet Vrij"]
    assert {o.naam for o in ronde.opleiders if o.blokkade} == {"Eva Oud-Bos"}
    assert all(o.id.startswith("instituut:") for o in ronde.opleiders)  # never a local Personen id
    # On the board the blokkade holds too, also for a ronde stored before the institute knew it.
    from dataclasses import replace
    ronde_id = mo.store.rondes.add(replace(ronde, opleiders=tuple(replace(o, blokkade=False)
                                                                   for o in ronde.opleiders))).created
    assert isinstance(ronde_id, int)
    bord = mo.store.rondes.bord(ronde_id)
    assert {o.naam for o in bord.ronde.opleiders if o.blokkade} == {"Eva Oud-Bos"}
    mo.store.close()
