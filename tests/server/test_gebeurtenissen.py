"""Trajecten shared as events: laptops send their outbox, the server re-checks each event with the core rules,
numbers it, and hands it to the other laptops that may see it."""

from __future__ import annotations

import threading

from ontkoppel_desktop.core.rollen import Rol
from ontkoppel_server.instituut.models import Gebeurtenis, Traject
from tests.server.conftest import (
    VERZEGELD,
    aanmelden,
    account,
    besluit,
    event,
    groep,
    kop,
    nieuw_traject,
    ruw,
    signaal,
    tot_advies,
)


def test_two_docenten_of_a_groep_share_a_traject() -> None:
    g = groep("Groep A")
    account("anna", (Rol.DOCENTEN, g))
    account("bram", (Rol.DOCENTEN, g))
    a, b = aanmelden("anna", "Laptop Anna"), aanmelden("bram", "Laptop Bram")
    traject = nieuw_traject()
    eerste = signaal(traject, g)

    [resultaat] = a.stuur(eerste)
    assert resultaat["status"] == "aanvaard" and resultaat["nieuw"] is True

    answer = b.haal()
    [gedeeld] = b.trajecten[traject]
    assert gedeeld["id"] == eerste["id"] and gedeeld["kind"] == "signaal"
    assert gedeeld["volgnummer"] == resultaat["volgnummer"]
    assert gedeeld["data"] == {"bron": "docenten", "omschrijving": VERZEGELD}
    assert gedeeld["user"] == "Anna"  # the account that sent it, not what the laptop wrote
    [kop] = answer["trajecten"]
    assert kop["id"] == traject and kop["groep"] == g.pk and kop["startreden"] == "signaal_docenten"

    # B continues the traject; A pulls B's event.
    [tweede] = b.stuur(event(traject, "driehoeksgesprek", 25, {"initiatief": "aios"}))
    assert tweede["status"] == "aanvaard" and tweede["volgnummer"] > resultaat["volgnummer"]
    a.haal()
    assert [e["kind"] for e in a.trajecten[traject]] == ["signaal", "driehoeksgesprek"]


def test_the_same_event_twice_is_one_row_with_one_volgnummer() -> None:
    g = groep("Groep A")
    account("anna", (Rol.DOCENTEN, g))
    a = aanmelden("anna")
    traject = nieuw_traject()
    eerste = signaal(traject, g)
    gesprek = event(traject, "driehoeksgesprek", 25)

    eerst = a.stuur(eerste, gesprek)
    # The connection broke before the answer arrived: the laptop sends its whole outbox again, and one event
    # twice within one batch.
    opnieuw = a.stuur(eerste, gesprek, gesprek)

    assert [r["volgnummer"] for r in opnieuw] == [*(r["volgnummer"] for r in eerst), eerst[1]["volgnummer"]]
    assert [r["nieuw"] for r in opnieuw] == [False, False, False]
    assert Gebeurtenis.objects.using("eigenaar").count() == 2
    assert Traject.objects.using("eigenaar").count() == 1


def test_a_second_besluit_is_refused_in_dutch_and_not_stored() -> None:
    g = groep("Groep A")
    account("anna", (Rol.DOCENTEN, g))
    account("hoofd", (Rol.PLV_HOOFD, None), first_name="Hanna", last_name="de Hoofd")
    account("mo", (Rol.MANAGER_OPLEIDING, 1))
    a = aanmelden("anna")
    traject = nieuw_traject()
    a.stuur(*tot_advies(traject, g))
    hoofd, mo = aanmelden("hoofd"), aanmelden("mo")
    hoofd.haal()
    mo.haal()
    gezien = mo.gezien

    # Both record the besluit offline; the plv. hoofd's laptop is online first.
    [eerste] = hoofd.stuur(besluit(traject, 10))
    ander_traject = nieuw_traject()
    tweede, daarna, elders = mo.stuur(
        besluit(traject, 9),
        event(traject, "manager_opleiders_geinformeerd", 8),
        signaal(ander_traject, g),
        laatst_opgehaald=gezien,
    )

    assert eerste["status"] == "aanvaard"
    assert tweede["status"] == "geweigerd"
    assert tweede["melding"].startswith("'Formeel besluit over ontkoppeling' van ")
    assert "Het besluit tot ontkoppeling is al vastgelegd." in tweede["melding"]
    assert "Intussen is op de server vastgelegd: 'Formeel besluit over ontkoppeling'" in tweede["melding"]
    assert "door Hanna de Hoofd" in tweede["melding"]
    # The later event of that traject waits for the refused one; another traject goes on (the manager
    # opleiding of jaar 1 may start one in a groep of jaar 1).
    assert daarna["status"] == "wacht" and "eerdere gebeurtenis" in daarna["melding"]
    assert elders["status"] == "aanvaard"
    soorten = list(Gebeurtenis.objects.using("eigenaar").filter(traject_id=traject).values_list("soort", flat=True))
    assert soorten.count("besluit_ontkoppeling") == 1
    assert "manager_opleiders_geinformeerd" not in soorten


def test_two_laptops_sending_a_besluit_at_once_get_one_accepted() -> None:
    g = groep("Groep A")
    account("anna", (Rol.DOCENTEN, g))
    account("bram", (Rol.DOCENTEN, g))
    a, b = aanmelden("anna"), aanmelden("bram")
    traject = nieuw_traject()
    a.stuur(*tot_advies(traject, g))
    [[van_a], [van_b]] = _tegelijk((a, [besluit(traject, 10)]), (b, [besluit(traject, 9)]))
    results = {"a": van_a, "b": van_b}

    assert sorted(r["status"] for r in results.values()) == ["aanvaard", "geweigerd"]
    assert Gebeurtenis.objects.using("eigenaar").filter(soort="besluit_ontkoppeling").count() == 1


def test_events_the_rules_refuse_come_back_in_dutch() -> None:
    g = groep("Groep A")
    andere = groep("Groep B")
    account("anna", (Rol.DOCENTEN, g))
    a = aanmelden("anna")
    traject = nieuw_traject()

    [onbekend] = a.stuur(event(traject, "driehoeksgesprek", 5))
    assert onbekend["status"] == "geweigerd" and "niet bekend op de server" in onbekend["melding"]

    [elders] = a.stuur(signaal(nieuw_traject(), andere))
    assert elders["status"] == "geweigerd"
    assert "U kunt geen traject starten in groep Groep B" in elders["melding"]

    [start, verplicht, toekomst, voor_besluit] = a.stuur(
        signaal(traject, g),
        ruw(traject, "uitkomst", 3, {}),
        event(nieuw_traject(), "signaal", -3, {"bron": "aios"}, met_kop=kop(g, startreden="signaal_aios")),
        event(traject, "koppeling_beeindigd", 2),
    )
    assert start["status"] == "aanvaard"
    assert verplicht == {"id": verplicht["id"], "status": "geweigerd",
                         "melding": "Uitkomst driehoeksgesprek: 'Uitkomst' is verplicht."}
    assert toekomst["status"] == "geweigerd" and "toekomst" in toekomst["melding"], toekomst
    assert voor_besluit["status"] == "wacht"

    # Once the traject's refused event is dealt with (left out), the next one is checked on its own.
    [voor_besluit] = a.stuur(event(traject, "koppeling_beeindigd", 2))
    assert voor_besluit["status"] == "geweigerd"
    assert "pas als ontkoppeld worden vastgelegd nadat het formele besluit" in voor_besluit["melding"]
    assert Gebeurtenis.objects.using("eigenaar").count() == 1


def test_a_batch_that_cannot_be_read_is_refused_whole() -> None:
    g = groep("Groep A")
    account("anna", (Rol.DOCENTEN, g))
    a = aanmelden("anna")
    status, answer = a.post("/api/v1/gebeurtenissen", {"iets": []})
    assert status == 400 and "gebeurtenissen" in answer["fout"]
    response = a.client.post("/api/v1/gebeurtenissen", "{niet json", content_type="application/json", secure=True,
                             headers={"Authorization": f"Bearer {a.token}"})
    assert response.status_code == 400
    assert response.json() == {"fout": "De inhoud van het verzoek is geen geldige JSON."}


def _tegelijk(*zendingen: tuple[object, list[dict[str, object]]]) -> list[list[dict[str, object]]]:
    """Send each (laptop, events) from its own thread at the same moment; the answers in the same order."""
    from django.db import connection

    answers: list[list[dict[str, object]]] = [[] for _ in zendingen]
    start = threading.Barrier(len(zendingen))

    def send(index: int, laptop: object, events: list[dict[str, object]]) -> None:
        start.wait()
        try:
            answers[index] = laptop.stuur(*events)  # type: ignore[attr-defined]
        finally:
            connection.close()

    threads = [threading.Thread(target=send, args=(i, *z)) for i, z in enumerate(zendingen)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    return answers


def test_a_resend_that_overtakes_its_first_try_gets_the_same_volgnummers() -> None:
    g = groep("Groep A")
    account("anna", (Rol.DOCENTEN, g))
    a = aanmelden("anna")
    bekend, nieuw = nieuw_traject(), nieuw_traject()
    a.stuur(signaal(bekend, g))
    outbox = [*tot_advies(nieuw, g)[:2], event(bekend, "driehoeksgesprek", 25), event(bekend, "check_up", 20)]

    # The laptop timed out and sent its outbox again while the first request was still being handled.
    eerste, tweede = _tegelijk((a, outbox), (a, outbox))

    for answer in (eerste, tweede):
        assert [r["status"] for r in answer][2:] == ["aanvaard", "aanvaard"]
        # The first event of a new traject has its volgnummer; what followed it in the losing request was
        # checked against a record that did not exist, and waits for the next send.
        assert answer[0]["status"] == "aanvaard" and answer[1]["status"] in ("aanvaard", "wacht")
    assert [r.get("volgnummer") for r in eerste][2:] == [r.get("volgnummer") for r in tweede][2:]
    assert eerste[0]["volgnummer"] == tweede[0]["volgnummer"]
    assert Gebeurtenis.objects.using("eigenaar").count() == 5
    opnieuw = a.stuur(*outbox)
    assert [(r["status"], r["nieuw"]) for r in opnieuw] == [("aanvaard", False)] * 4
    assert opnieuw[0]["volgnummer"] == eerste[0]["volgnummer"]
    assert Gebeurtenis.objects.using("eigenaar").count() == 5
