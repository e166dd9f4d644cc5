"""Trajecten shared through the institute, on the laptops of the other roles: the jaarassistent sees every
traject of their year with its terms; the manager opleiding records the besluit on the docent's traject from
their own laptop; a besluit recorded twice comes back refused with what happened, nothing typed lost; the token
is renewed before it expires; the roles follow what IT changed."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from django.contrib.auth.hashers import make_password

from ontkoppel_desktop.core.gedeeld import VERZEGELD, VERZEGELDE_CATEGORIE
from ontkoppel_desktop.core.procedure import EventKind, RuleError, StepState, default_registry, event_for_step
from ontkoppel_desktop.core.rollen import Rol
from ontkoppel_desktop.instituut import gedeeld, outbox, sync
from ontkoppel_desktop.instituut.client import Client, Geweigerd
from ontkoppel_server.instituut.models import Account, AccountRol, Gebeurtenis
from tests.instituut.conftest import Laptop, Server, docenten, it_ondertekent, nieuwe_laptop
from tests.server.conftest import WACHTWOORD, account, groep

VANDAAG = dt.date.today()


def _dag(terug: int) -> dt.date:
    return VANDAAG - dt.timedelta(days=terug)


def medewerker(naam: str, rol: Rol, scope: int | None) -> None:
    acc = account(naam, (rol, scope))
    acc.password = make_password(WACHTWOORD, hasher="argon2")
    acc.save()


def tot_advies(a: Laptop) -> int:
    """On the docent's laptop: a traject from its signaal to the advies tot ontkoppeling."""
    traject = a.start(dagen_terug=30)
    a.store.trajecten.record(traject, EventKind.DRIEHOEKSGESPREK, _dag(25), {"initiatief": "docenten"}, user="Docent")
    a.store.trajecten.record(traject, EventKind.UITKOMST, _dag(20), {"uitkomst": "advies_ontkoppeling"},
                             user="Docent")
    a.store.trajecten.record(traject, EventKind.VERSLAG_NAAR_JAARASSISTENT, _dag(19), {"gesprek": "driehoeksgesprek"},
                             user="Docent")
    return traject


def besluit_stap(laptop: Laptop, traject_uuid: str, dagen_terug: int = 10) -> None:
    definition = default_registry().current()
    event = event_for_step(definition, "besluit_ontkoppeling", _dag(dagen_terug),
                           {"besluit": "ontkoppelen", "door": "plv. hoofd"}, user="Mia")
    gedeeld.leg_vast(laptop.store.conn, traject_uuid, event)


@pytest.fixture
def drie(tmp_path: Path, server: Server, it: dict[str, Path]) -> tuple[Laptop, Laptop, Laptop]:
    """A docent's laptop, a manager opleiding's and a jaarassistent's (year 1), all connected, their keys
    confirmed by IT and known to each other (free text and names travel sealed to the traject's readers)."""
    docenten("anna")
    medewerker("mia", Rol.MANAGER_OPLEIDING, 1)
    medewerker("jan", Rol.JAARASSISTENT, 1)
    a = nieuwe_laptop(tmp_path / "a.okdb")
    m = nieuwe_laptop(tmp_path / "m.okdb", aios="Manager")
    j = nieuwe_laptop(tmp_path / "j.okdb", aios="Jaar")
    for laptop, naam in ((a, "anna"), (m, "mia"), (j, "jan")):
        laptop.verbind(server.adres, naam)
    it_ondertekent(it["instituut"])
    for laptop in (a, m, j):
        laptop.synchroniseer()
    yield a, m, j
    for laptop in (a, m, j):
        laptop.store.close()


def test_the_jaarassistent_sees_the_traject_of_their_year_with_its_terms(drie: tuple[Laptop, Laptop, Laptop]) -> None:
    a, _, j = drie
    traject = tot_advies(a)
    a.synchroniseer()
    j.synchroniseer()
    [g] = gedeeld.lijst(j.store.conn)
    assert g.uuid == a.uuid(traject)
    assert (g.aios_naam, g.opleider_naam, g.opleidingsjaar) == ("Noor Visser", "Eva Oud", 1)
    # The aios's name, the LOVAH category and the omschrijving came sealed to the jaarassistent, not in plain.
    assert g.kop["categorie"] == "opleidingssituatie" and g.traject.events[0].data["omschrijving"] == "Onvrede"
    from ontkoppel_server.instituut.models import Traject as ServerTraject
    [kop] = [t.kop for t in ServerTraject.objects.using("eigenaar").all()]
    assert (kop["aios_naam"], kop["categorie"]) == ("", VERZEGELDE_CATEGORIE)
    # The same engine as on the docent's laptop: the same open steps with the same terms.
    lokaal = a.store.trajecten.overview(a.store.trajecten.get(traject), VANDAAG)
    assert {(s.step.id, s.due) for s in g.overview.open_statuses()} == {
        (s.step.id, s.due) for s in lokaal.open_statuses()}
    verslag = [s for s in g.open_stappen(frozenset({Rol.JAARASSISTENT}))]
    assert verslag and all(Rol.JAARASSISTENT in s.step.roles for s in verslag)
    assert gedeeld.rollen(outbox.verbinding(j.store.conn)) == {Rol.JAARASSISTENT}
    # A manager opleiding's steps are not the jaarassistent's.
    assert "besluit_ontkoppeling" not in {s.step.id for s in verslag}


def test_the_manager_opleiding_records_the_besluit_on_the_docents_traject(
        drie: tuple[Laptop, Laptop, Laptop]) -> None:
    a, m, j = drie
    traject = tot_advies(a)
    a.synchroniseer()
    m.synchroniseer()
    [g] = gedeeld.lijst(m.store.conn)
    mijn = {s.step.id for s in g.open_stappen(gedeeld.rollen(outbox.verbinding(m.store.conn)))}
    assert {"besluit_ontkoppeling", "manager_opleiders_informeren"} <= mijn

    besluit_stap(m, g.uuid)
    # Offline first: it waits in the outbox, and the traject's terms already count from it on this laptop.
    assert outbox.wachtrij(m.store.conn).aantal == 1
    [g] = gedeeld.lijst(m.store.conn)
    assert g.wachtend and g.wachtend[0][1] is None
    assert g.overview.status("besluit_ontkoppeling").state is StepState.DONE

    verslag = m.synchroniseer()
    assert verslag.fout is None and verslag.verstuurd == 1 and verslag.geweigerd == 0
    assert outbox.wachtrij(m.store.conn).aantal == 0
    [g] = gedeeld.lijst(m.store.conn)
    assert not g.wachtend and g.traject.events[-1].kind is EventKind.BESLUIT_ONTKOPPELING
    assert Gebeurtenis.objects.using("eigenaar").filter(soort="besluit_ontkoppeling").count() == 1

    # The docent's laptop gets it on its own traject, through the same door as typing it.
    a.synchroniseer()
    lokaal = a.store.trajecten.get(traject)
    assert lokaal.events[-1].kind is EventKind.BESLUIT_ONTKOPPELING and lokaal.events[-1].user == "Mia"
    # Its free text travelled sealed (the server holds a placeholder) and reads as typed on the docent's laptop.
    assert lokaal.events[-1].data["door"] == "plv. hoofd"
    [opgeslagen] = Gebeurtenis.objects.using("eigenaar").filter(soort="besluit_ontkoppeling")
    assert opgeslagen.gegevens["door"] == VERZEGELD and opgeslagen.sealed
    # And the jaarassistent sees the traject move on: the steps after the ontkoppeling are now theirs.
    j.synchroniseer()
    [gj] = gedeeld.lijst(j.store.conn)
    assert gj.overview.status("besluit_ontkoppeling").state is StepState.DONE


def test_a_besluit_recorded_twice_comes_back_refused_and_nothing_typed_is_lost(
        drie: tuple[Laptop, Laptop, Laptop]) -> None:
    a, m, _ = drie
    traject = tot_advies(a)
    a.synchroniseer()
    m.synchroniseer()
    [g] = gedeeld.lijst(m.store.conn)
    besluit_stap(m, g.uuid, dagen_terug=9)  # offline on the manager's laptop
    # Meanwhile the docent records the besluit as it was decided, and syncs first.
    a.store.trajecten.record(traject, EventKind.BESLUIT_ONTKOPPELING, _dag(10),
                             {"besluit": "ontkoppelen", "door": "plv. hoofd"}, user="Docent")
    a.synchroniseer()

    verslag = m.synchroniseer()
    assert verslag.geweigerd == 1
    [w] = outbox.weigeringen(m.store.conn)
    assert w.soort == "besluit_ontkoppeling" and "niet vastgelegd" in w.melding and "Anna" in w.melding
    [g] = gedeeld.lijst(m.store.conn)
    assert g.geweigerd and g.wachtend[0][0].data["door"] == "plv. hoofd"  # the data are kept
    # The docent's besluit is there, read-only; the manager's laptop builds nothing on the refused one.
    assert [e.kind for e in g.traject.events].count(EventKind.BESLUIT_ONTKOPPELING) == 1
    with pytest.raises(RuleError, match="eerder iets van u geweigerd"):
        gedeeld.leg_vast(m.store.conn, g.uuid, event_for_step(
            default_registry().current(), "manager_opleiders_informeren", _dag(8), {}, user="Mia"))
    # The user lets it go: it never was a local record.
    outbox.vergeet_wachtend(m.store.conn, w.event_id)
    [g] = gedeeld.lijst(m.store.conn)
    assert not g.wachtend and outbox.weigeringen(m.store.conn) == []


def test_the_rules_refuse_a_step_on_a_shared_traject_before_anything_is_queued(
        drie: tuple[Laptop, Laptop, Laptop]) -> None:
    a, m, _ = drie
    tot_advies(a)
    a.synchroniseer()
    m.synchroniseer()
    [g] = gedeeld.lijst(m.store.conn)
    with pytest.raises(RuleError):
        besluit_stap(m, g.uuid, dagen_terug=40)  # before the traject started
    assert outbox.wachtrij(m.store.conn).aantal == 0


def test_disconnecting_keeps_steps_on_shared_trajecten(drie: tuple[Laptop, Laptop, Laptop]) -> None:
    a, m, _ = drie
    tot_advies(a)
    a.synchroniseer()
    m.synchroniseer()
    [g] = gedeeld.lijst(m.store.conn)
    besluit_stap(m, g.uuid)
    outbox.verbreek(m.store.conn)
    assert outbox.wachtend_gedeeld(m.store.conn)[g.uuid][0][0].kind is EventKind.BESLUIT_ONTKOPPELING


def test_a_token_that_expires_soon_is_renewed_and_the_old_one_stops_working(
        server: Server, laptops: tuple[Laptop, Laptop]) -> None:
    docenten("anna")
    a, _ = laptops
    a.verbind(server.adres, "anna")
    oud = outbox.verbinding(a.store.conn)
    assert oud is not None and not sync.verloopt_binnenkort(oud)
    with a.store.conn:
        a.store.conn.execute("UPDATE instituut SET token_verloopt = ?",
                             ((dt.datetime.now(dt.UTC) + dt.timedelta(days=2)).isoformat(),))
    assert a.synchroniseer().fout is None
    nieuw = outbox.verbinding(a.store.conn)
    assert nieuw is not None and nieuw.token != oud.token and not sync.verloopt_binnenkort(nieuw)
    with pytest.raises(Geweigerd):
        Client(server.adres, oud.token, http_toegestaan=True).ik()
    assert a.synchroniseer().fout is None  # and the laptop goes on with the new one


def test_roles_follow_what_it_changed(drie: tuple[Laptop, Laptop, Laptop]) -> None:
    a, _, j = drie
    tot_advies(a)
    a.synchroniseer()
    j.synchroniseer()
    assert gedeeld.rollen(outbox.verbinding(j.store.conn)) == {Rol.JAARASSISTENT}
    # As the beheer pages do on a change of roles: the role, and the account's scope_versie raised.
    AccountRol.objects.using("eigenaar").filter(account__username="jan").update(rol=Rol.MANAGER_OPLEIDING.value)
    Account.objects.using("eigenaar").filter(username="jan").update(scope_versie=2)
    j.synchroniseer()
    assert gedeeld.rollen(outbox.verbinding(j.store.conn)) == {Rol.MANAGER_OPLEIDING}
    assert len(gedeeld.lijst(j.store.conn)) == 1  # the same year: the traject came again


def test_a_traject_the_new_role_may_not_see_leaves_the_laptop(drie: tuple[Laptop, Laptop, Laptop]) -> None:
    a, _, j = drie
    tot_advies(a)
    a.synchroniseer()
    j.synchroniseer()
    assert len(gedeeld.lijst(j.store.conn)) == 1
    # IT moves the jaarassistent to year 2: the year-1 traject must not stay on their laptop.
    AccountRol.objects.using("eigenaar").filter(account__username="jan").update(opleidingsjaar=2)
    Account.objects.using("eigenaar").filter(username="jan").update(scope_versie=2)
    j.synchroniseer()
    assert gedeeld.lijst(j.store.conn) == []
    assert j.store.conn.execute("SELECT count(*) FROM gedeeld_event").fetchone()[0] == 0


def test_a_docent_of_another_groep_gets_nothing_of_it(server: Server, tmp_path: Path) -> None:
    docenten("anna")
    acc = account("bob", (Rol.DOCENTEN, groep("Groep B")))
    acc.password = make_password(WACHTWOORD, hasher="argon2")
    acc.save()
    a, b = nieuwe_laptop(tmp_path / "a.okdb"), nieuwe_laptop(tmp_path / "b.okdb", "Groep B", aios="Bos")
    a.verbind(server.adres, "anna")
    b.verbind(server.adres, "bob")
    tot_advies(a)
    a.synchroniseer()
    b.synchroniseer()
    assert gedeeld.lijst(b.store.conn) == []
    a.store.close()
    b.store.close()
