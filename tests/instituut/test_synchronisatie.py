"""Two laptops share a traject through the real server; a cut connection, a restarting server, a stale or
forged token and a replayed upload lose nothing and double nothing."""

from __future__ import annotations

import datetime as dt
import json
import urllib.request
from pathlib import Path

import pytest

from ontkoppel_desktop.core.gedeeld import VERZEGELD
from ontkoppel_desktop.core.procedure import EventKind
from ontkoppel_desktop.instituut import outbox
from ontkoppel_desktop.instituut.client import Client, Geweigerd, InstituutFout, Onbereikbaar
from ontkoppel_server.instituut.models import Gebeurtenis, Traject
from ontkoppel_server.instituut.models import Laptop as ServerLaptop
from tests.instituut.conftest import Laptop, Proxy, Server, docenten, nieuwe_laptop


def _op_server() -> list[str]:
    return [g.uuid.hex for g in Gebeurtenis.objects.using("eigenaar").order_by("volgnummer")]


def test_without_a_connection_nothing_is_queued(laptops: tuple[Laptop, Laptop]) -> None:
    a, _ = laptops
    a.start()
    assert outbox.verbinding(a.store.conn) is None
    assert outbox.wachtrij(a.store.conn).aantal == 0
    assert a.uuid(1)  # every traject has its UUID, connected or not


def test_two_laptops_share_a_traject(server: Server, laptops: tuple[Laptop, Laptop]) -> None:
    docenten("anna", "bram")
    a, b = laptops
    a.verbind(server.adres, "anna")
    b.verbind(server.adres, "bram")
    traject = a.start()
    a.store.trajecten.record(traject, EventKind.DRIEHOEKSGESPREK, dt.date.today() - dt.timedelta(days=20),
                             {"initiatief": "docenten"}, user="Docent")
    wacht = outbox.wachtrij(a.store.conn)
    assert wacht.aantal == 2 and wacht.sinds is not None

    verslag = a.synchroniseer()
    assert verslag.fout is None and verslag.verstuurd == 2
    assert outbox.wachtrij(a.store.conn).aantal == 0
    assert _op_server() == a.events()

    b.synchroniseer()
    [gedeeld] = outbox.gedeelde_trajecten(b.store.conn)
    assert gedeeld.uuid == a.uuid(traject)
    assert [e.kind for e in gedeeld.events] == [EventKind.SIGNAAL, EventKind.DRIEHOEKSGESPREK]
    # Without the institute's keys (IT has not made them here) the aios's name and the free text stay on the
    # starting laptop: the server and the others get placeholders (issue 16); the opleider's name is shared.
    assert gedeeld.kop["aios_naam"] == "" and gedeeld.kop["opleider_naam"] == "Eva Oud"
    assert gedeeld.events[0].data["omschrijving"] == VERZEGELD
    assert gedeeld.events[0].user == "Anna"
    assert b.events() == []  # read-only: not a local traject on B's Personen
    assert outbox.wachtrij(b.store.conn).aantal == 0  # and nothing of it goes back

    # A pulls its own events back: nothing doubles.
    a.synchroniseer()
    assert len(a.events()) == 2 and outbox.gedeelde_trajecten(a.store.conn) == []


def test_an_event_from_another_laptop_lands_on_the_traject_this_laptop_has(
    server: Server, laptops: tuple[Laptop, Laptop], tmp_path: Path
) -> None:
    docenten("anna")
    a, _ = laptops
    a.verbind(server.adres, "anna")
    traject = a.start()
    a.synchroniseer()
    # The same account on a second laptop (its own enrolment) sends an event on the same traject.
    tweede = nieuwe_laptop(tmp_path / "c.okdb")
    tweede.verbind(server.adres, "anna")
    tweede.synchroniseer()
    [gedeeld] = outbox.gedeelde_trajecten(tweede.store.conn)
    token = outbox.verbinding(tweede.store.conn).token  # type: ignore[union-attr]
    client = Client(server.adres, token, http_toegestaan=True)
    from ontkoppel_desktop.core.procedure import new_event

    gesprek = new_event(EventKind.DRIEHOEKSGESPREK, dt.date.today() - dt.timedelta(days=5), {"initiatief": "aios"},
                        user="x")
    [r] = client.verstuur([{**gesprek.to_dict(), "traject": gedeeld.uuid}], 0)
    assert r["status"] == "aanvaard"
    tweede.store.close()

    verslag = a.synchroniseer()
    assert verslag.toegepast.vastgelegd == 1 and verslag.toegepast.trajecten == {traject}
    kinds = [e.kind for e in a.store.trajecten.get(traject).events]
    assert kinds == [EventKind.SIGNAAL, EventKind.DRIEHOEKSGESPREK]
    assert outbox.wachtrij(a.store.conn).aantal == 0  # a pulled event is not sent back


def test_a_cut_connection_mid_send_loses_nothing_and_doubles_nothing(
    server: Server, proxy: Proxy, laptops: tuple[Laptop, Laptop]
) -> None:
    docenten("anna")
    a, _ = laptops
    a.verbind(proxy.adres, "anna")
    a.start()
    proxy.knip = True

    verslag = a.synchroniseer()
    assert isinstance(verslag.fout, Onbereikbaar) and proxy.geknipt == 1
    assert _op_server() == a.events()  # the server stored it ...
    wacht = outbox.wachtrij(a.store.conn)
    assert wacht.aantal == 1  # ... the laptop does not know, and keeps it
    assert a.store.conn.execute("SELECT pogingen FROM uitgaand").fetchone()[0] == 1

    verslag = a.synchroniseer()  # the resend
    assert verslag.fout is None and verslag.verstuurd == 1
    assert outbox.wachtrij(a.store.conn).aantal == 0
    assert _op_server() == a.events() and Traject.objects.using("eigenaar").count() == 1


def test_the_server_restarts_mid_sync(server: Server, laptops: tuple[Laptop, Laptop]) -> None:
    docenten("anna", "bram")
    a, b = laptops
    a.verbind(server.adres, "anna")
    b.verbind(server.adres, "bram")
    traject = a.start()
    a.synchroniseer()
    a.store.trajecten.record(traject, EventKind.DRIEHOEKSGESPREK, dt.date.today() - dt.timedelta(days=20),
                             {"initiatief": "docenten"}, user="Docent")
    server.stop()

    verslag = a.synchroniseer()
    assert isinstance(verslag.fout, Onbereikbaar)
    assert "niets verloren" in str(verslag.fout)
    assert outbox.wachtrij(a.store.conn).aantal == 1
    assert outbox.verbinding(a.store.conn).laatste_fout  # type: ignore[union-attr]

    server.start()
    assert a.synchroniseer().fout is None
    b.synchroniseer()
    assert len(_op_server()) == 2 and _op_server() == a.events()
    [gedeeld] = outbox.gedeelde_trajecten(b.store.conn)
    assert len(gedeeld.events) == 2


def test_a_stale_or_forged_token_is_refused_and_the_outbox_keeps_waiting(
    server: Server, laptops: tuple[Laptop, Laptop]
) -> None:
    docenten("anna")
    a, _ = laptops
    a.verbind(server.adres, "anna")
    a.start()
    a.store.conn.execute("UPDATE instituut SET token = 'vervalst'")
    verslag = a.synchroniseer()
    assert isinstance(verslag.fout, Geweigerd) and "niet (meer) aangemeld" in str(verslag.fout)
    assert outbox.wachtrij(a.store.conn).aantal == 1 and _op_server() == []

    # Enrolled again, then IT revokes that laptop: refused with the reason, and still nothing lost.
    a.verbind(server.adres, "anna")
    ServerLaptop.objects.using("eigenaar").update(ingetrokken_op=dt.datetime.now(dt.UTC))
    verslag = a.synchroniseer()
    assert isinstance(verslag.fout, Geweigerd) and "ingetrokken" in str(verslag.fout)
    assert outbox.wachtrij(a.store.conn).aantal == 1


def test_a_replayed_upload_is_harmless(server: Server, laptops: tuple[Laptop, Laptop]) -> None:
    docenten("anna")
    a, _ = laptops
    a.verbind(server.adres, "anna")
    traject = a.start()
    werk_body = outbox.zending(a.store.conn)
    a.synchroniseer()
    verbinding = outbox.verbinding(a.store.conn)
    assert verbinding is not None
    # Someone replays the captured request: the same answer, nothing new stored.
    [r] = Client(server.adres, verbinding.token, http_toegestaan=True).verstuur(werk_body, 0)
    assert r["status"] == "aanvaard" and r["nieuw"] is False
    assert len(_op_server()) == 1
    # Replayed without the token: refused.
    request = urllib.request.Request(f"{server.adres}/api/v1/gebeurtenissen", method="POST",
                                     data=json.dumps({"gebeurtenissen": werk_body}).encode(),
                                     headers={"Content-Type": "application/json"})
    with pytest.raises(urllib.error.HTTPError) as info:
        urllib.request.urlopen(request, timeout=10)
    assert info.value.code == 401
    assert a.store.trajecten.get(traject).events  # the laptop is untouched


def test_a_refused_event_stays_marked_with_the_servers_message(
    server: Server, laptops: tuple[Laptop, Laptop]
) -> None:
    docenten("anna")
    a, _ = laptops
    a.verbind(server.adres, "anna")
    # The aios's groep has no counterpart on the server: refused on the laptop, with the reason.
    a.store.conn.execute("UPDATE groep SET naam = 'Groep Z', opleidingsjaar = 2")
    a.store.conn.execute("UPDATE aios SET opleidingsjaar = 2")
    traject = a.start()
    verslag = a.synchroniseer()
    assert verslag.fout is None
    [w] = outbox.weigeringen(a.store.conn)
    assert w.traject_id == traject and "Groep Z" in w.melding
    assert a.store.trajecten.get(traject).events  # nothing typed is lost
    assert _op_server() == []


def test_wrong_wachtwoord_and_unreachable_are_dutch(server: Server, laptops: tuple[Laptop, Laptop]) -> None:
    docenten("anna")
    a, _ = laptops
    with pytest.raises(Geweigerd, match="gebruikersnaam of het wachtwoord is onjuist"):
        a.verbind(server.adres, "anna", "fout")
    with pytest.raises(Onbereikbaar, match="niet bereikbaar"):
        a.verbind("http://127.0.0.1:1", "anna")
    with pytest.raises(InstituutFout, match="https://"):
        from ontkoppel_desktop.instituut.client import normaliseer_adres

        normaliseer_adres("http://server.instituut.nl")
