"""Trajecten kept on the institute's Personen (issue 17): a header with `"personen": "instituut"` names the server's
koppeling, aios and opleider, checked against the Personen as the starting account sees them; the opleiders and
koppelingen in the traject's events must be the institute's too; the blokkade says so. A header without it works
as before (the laptop's own ids, checked against nothing)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

import pytest

from ontkoppel_desktop.core.rollen import Rol
from ontkoppel_server.instituut.models import Aios, Blokkade, Groep, Koppeling, Opleider, Praktijk, Traject
from tests.server.conftest import (
    VERZEGELD,
    LaptopSessie,
    aanmelden,
    account,
    besluit,
    dag,
    event,
    groep,
    kop,
    nieuw_traject,
    signaal,
    tot_advies,
)

EIGENAAR = "eigenaar"
KOPPELING_ONBEKEND = "Deze koppeling is niet bekend bij het instituut, of u mag die niet zien."
ANDERE_AIOS = "Deze koppeling is bij het instituut van een andere aios dan die van dit traject."
OPLEIDER_ONBEKEND = (
    "De opleider in deze gebeurtenis is niet bekend bij het instituut; kies een opleider uit de Personen van het "
    "instituut."
)


@dataclass
class Personen:
    """Groepen A and B (year 1); aios X in A with opleider O1, aios Y in B with opleider O2; opleider O4 (in
    praktijk P4) is linked to no aios: the new opleider."""

    a: Groep
    b: Groep
    o1: Opleider
    o2: Opleider
    o4: Opleider
    x: Aios
    y: Aios
    xo1: Koppeling
    yo2: Koppeling


@pytest.fixture
def p() -> Personen:
    a, b = groep("Groep A", 1), groep("Groep B", 1)
    account("docent_a", (Rol.DOCENTEN, a))
    account("ja1", (Rol.JAARASSISTENT, 1))
    account("mop", (Rol.MANAGER_OPLEIDERS, None))
    account("amo", (Rol.ASSISTENT_MANAGER_OPLEIDERS, None))
    account("hoofd", (Rol.PLV_HOOFD, None))
    start = dag(400)
    praktijk = Praktijk.objects.using(EIGENAAR).create(naam="De Linde", plaats="Zeist")
    vier = Praktijk.objects.using(EIGENAAR).create(naam="Het Anker", plaats="Baarn")
    o1, o2 = (Opleider.objects.using(EIGENAAR).create(voornaam="Olga", achternaam=f"Opleider {n}", praktijk=praktijk)
              for n in "12")
    o4 = Opleider.objects.using(EIGENAAR).create(voornaam="Piet", tussenvoegsel="de", achternaam="Vries",
                                                  praktijk=vier)
    x, y = (Aios.objects.using(EIGENAAR).create(voornaam="Anna", achternaam=f"Aios {n}", opleidingsjaar=1,
                                                startdatum_opleiding=start, groep=g) for n, g in (("X", a), ("Y", b)))
    xo1 = Koppeling.objects.using(EIGENAAR).create(aios=x, opleider=o1, startdatum=start)
    yo2 = Koppeling.objects.using(EIGENAAR).create(aios=y, opleider=o2, startdatum=start)
    return Personen(a, b, o1, o2, o4, x, y, xo1, yo2)


def _kop(g: Groep, k: Koppeling, **extra: Any) -> dict[str, Any]:
    """The header of a laptop whose Personen are the institute's: the server's ids, and its own idea of the name."""
    return kop(g, koppeling_id=k.pk, aios_id=k.aios_id, opleider_id=k.opleider_id, personen="instituut",
               opleider_naam="Zoals de laptop hem noemt", **extra)


def _start(laptop: LaptopSessie, g: Groep, header: dict[str, Any]) -> dict[str, Any]:
    traject = nieuw_traject()
    eerste = signaal(traject, g)
    eerste["traject_kop"] = header
    [r] = laptop.stuur(eerste)
    return r


def _statussen(resultaten: list[dict[str, Any]]) -> list[str]:
    return [r["status"] for r in resultaten]


def test_a_traject_on_the_institutes_personen_keeps_the_servers_ids_and_the_servers_opleider_name(
    p: Personen,
) -> None:
    docent, ja1 = aanmelden("docent_a"), aanmelden("ja1")
    r = _start(docent, p.a, _kop(p.a, p.xo1))
    assert r["status"] == "aanvaard", r
    [row] = Traject.objects.using(EIGENAAR).all()
    assert row.kop["personen"] == "instituut"
    assert (row.kop["koppeling_id"], row.kop["aios_id"], row.kop["opleider_id"]) == (p.xo1.pk, p.x.pk, p.o1.pk)
    assert row.kop["opleider_naam"] == "Olga Opleider 1"  # the server's, not what the laptop sent

    # Other laptops get it with the traject.
    [gedeeld] = ja1.haal()["trajecten"]
    assert gedeeld["personen"] == "instituut" and gedeeld["opleider_naam"] == "Olga Opleider 1"
    assert (gedeeld["koppeling_id"], gedeeld["aios_id"], gedeeld["opleider_id"]) == (p.xo1.pk, p.x.pk, p.o1.pk)

    # A header without it (or with null) is what it always was: the laptop's own ids and name, checked against
    # nothing, and no `personen` in what is kept and handed out.
    oud, leeg = nieuw_traject(), nieuw_traject()
    zonder = signaal(leeg, p.a)
    zonder["traject_kop"] = kop(p.a, personen=None, opleider_naam="Dr. Eigen")
    assert _statussen(docent.stuur(signaal(oud, p.a), zonder)) == ["aanvaard", "aanvaard"]
    for traject in (oud, leeg):
        opgeslagen = Traject.objects.using(EIGENAAR).get(pk=traject).kop
        assert "personen" not in opgeslagen and opgeslagen["opleider_id"] == 13
    assert Traject.objects.using(EIGENAAR).get(pk=leeg).kop["opleider_naam"] == "Dr. Eigen"
    assert all("personen" not in t for t in ja1.haal()["trajecten"])


def test_a_header_that_does_not_match_the_institutes_personen_is_refused_in_dutch(p: Personen) -> None:
    docent, ja1 = aanmelden("docent_a"), aanmelden("ja1")
    gevallen = [
        (docent, p.a, {**_kop(p.a, p.xo1), "personen": "laptop"},
         "Traject: 'personen' is 'instituut' (de Personen van het instituut) of ontbreekt."),
        (docent, p.a, {**_kop(p.a, p.xo1), "koppeling_id": 999999}, KOPPELING_ONBEKEND),
        (docent, p.a, {**_kop(p.a, p.xo1), "koppeling_id": 2**70}, KOPPELING_ONBEKEND),  # no bigint: not looked up
        # Aios Y is in groep B: docent A does not see its koppeling.
        (docent, p.a, _kop(p.a, p.yo2), KOPPELING_ONBEKEND),
        (docent, p.a, {**_kop(p.a, p.xo1), "aios_id": p.y.pk}, ANDERE_AIOS),
        (docent, p.a, {**_kop(p.a, p.xo1), "opleider_id": p.o4.pk},
         "Deze koppeling is bij het instituut met een andere opleider dan die van dit traject."),
        (docent, p.a, _kop(p.a, p.xo1, opleidingsjaar=2),
         "De aios van dit traject staat bij het instituut in een ander opleidingsjaar (jaar 1)."),
        # The jaarassistent sees aios Y, in groep B, not in the groep of the header.
        (ja1, p.a, _kop(p.a, p.yo2), "De aios van dit traject staat bij het instituut in een andere groep (Groep B)."),
    ]
    for laptop, g, header, melding in gevallen:
        r = _start(laptop, g, header)
        assert (r["status"], r["melding"]) == ("geweigerd", melding), header
    assert Traject.objects.using(EIGENAAR).count() == 0
    # The control: the jaarassistent starts on aios Y in its own groep.
    assert _start(ja1, p.b, _kop(p.b, p.yo2))["status"] == "aanvaard"


def _traject_tot_besluit(docent: LaptopSessie, p: Personen, header: dict[str, Any]) -> str:
    """A traject of aios X, from its signaal (60 days ago) to the formal besluit (45 days ago), by the docent."""
    traject = nieuw_traject()
    signaal_, gesprek, uitkomst = tot_advies(traject, p.a)
    signaal_["traject_kop"] = header
    for e, dagen in ((signaal_, 60), (gesprek, 55), (uitkomst, 50)):
        e["date"] = dag(dagen).isoformat()
    resultaten = docent.stuur(signaal_, gesprek, uitkomst, besluit(traject, 45),
                              event(traject, "koppeling_beeindigd", 44))
    assert _statussen(resultaten) == ["aanvaard"] * 5, resultaten
    return traject


def test_the_opleiders_and_koppelingen_in_its_events_are_the_institutes(p: Personen) -> None:
    docent, ja1, mop, amo = aanmelden("docent_a"), aanmelden("ja1"), aanmelden("mop"), aanmelden("amo")
    traject = _traject_tot_besluit(docent, p, _kop(p.a, p.xo1))
    [b] = Blokkade.objects.using(EIGENAAR).all()
    assert (b.opleider_id, b.opleider_naam, b.instituut) == (p.o1.pk, "Olga Opleider 1", True)
    assert docent.get("/api/v1/blokkades")[1]["blokkades"][0]["instituut"] is True

    # The manager opleiders name the kandidaat opleider: one the institute has, also one no aios is linked to yet.
    [onbekend] = mop.stuur(event(traject, "kandidaat_opleider", 40, {"opleider_id": 999999}))
    assert onbekend["status"] == "geweigerd"
    assert onbekend["melding"].endswith(f"is niet vastgelegd: {OPLEIDER_ONBEKEND}"), onbekend
    [kandidaat] = mop.stuur(event(traject, "kandidaat_opleider", 40, {"opleider_id": p.o4.pk}))
    assert kandidaat["status"] == "aanvaard", kandidaat
    # The docent records the kennismakingsgesprek: it reads opleider O4 (every role reads every opleider).
    kennismaking = event(traject, "kennismakingsgesprek", 38, {"opleider_id": p.o4.pk, "aios_ja": True,
                                                               "opleider_ja": True})
    assert _statussen(docent.stuur(kennismaking)) == ["aanvaard"]
    # A correctie names an opleider too: the corrected values count.
    [correctie] = docent.stuur(event(traject, "gebeurtenis_gecorrigeerd", 37, {
        "gebeurtenis": kennismaking["id"], "motivatie": VERZEGELD, "gegevens": {"opleider_id": 999999}}))
    assert correctie["status"] == "geweigerd" and correctie["melding"].endswith(OPLEIDER_ONBEKEND), correctie

    # The new koppeling must be one of aios X's.
    def bevestigd(koppeling_id: int) -> dict[str, Any]:
        return event(traject, "nieuwe_koppeling_bevestigd", 36, {
            "opleider_id": p.o4.pk, "startdatum": dag(20).isoformat(), "koppeling_id": koppeling_id})

    [ander, geen] = [amo.stuur(bevestigd(k))[0] for k in (p.yo2.pk, 999999)]
    assert ander["status"] == geen["status"] == "geweigerd"
    assert ander["melding"].endswith(ANDERE_AIOS) and geen["melding"].endswith(KOPPELING_ONBEKEND)
    # The jaarassistent ends the old koppeling and makes the new one on the server; the assistent manager opleiders
    # confirm it, the jaarassistent records its start.
    status, answer = ja1.post("/api/v1/personen", {"wijzigingen": [
        {"soort": "koppeling", "id": p.xo1.pk, "velden": {"einddatum": dag(21).isoformat()}},
        {"soort": "koppeling", "id": None, "velden": {"aios": p.x.pk, "opleider": p.o4.pk,
                                                       "startdatum": dag(20).isoformat()}},
    ]})
    assert status == 200 and _statussen(answer["resultaten"]) == ["aanvaard", "aanvaard"], answer
    nieuw = answer["resultaten"][1]["id"]
    assert _statussen(amo.stuur(bevestigd(nieuw))) == ["aanvaard"]
    [gestart] = ja1.stuur(event(traject, "nieuwe_koppeling_gestart", 20, {"in_oude_praktijk_gebleven": False,
                                                                          "koppeling_id": nieuw}))
    assert gestart["status"] == "aanvaard", gestart
    soorten = list(Traject.objects.using(EIGENAAR).get(pk=traject).gebeurtenissen.order_by("volgnummer")
                   .values_list("soort", flat=True))
    assert soorten[-4:] == ["kandidaat_opleider", "kennismakingsgesprek", "nieuwe_koppeling_bevestigd",
                            "nieuwe_koppeling_gestart"]


def test_on_a_traject_without_personen_the_ids_in_its_events_are_the_laptops_own(p: Personen) -> None:
    docent = aanmelden("docent_a")
    traject = _traject_tot_besluit(docent, p, kop(p.a))
    [b] = Blokkade.objects.using(EIGENAAR).all()
    assert (b.opleider_id, b.instituut) == (13, False)
    resultaten = docent.stuur(
        event(traject, "kandidaat_opleider", 40, {"opleider_id": 999999}),
        event(traject, "kennismakingsgesprek", 38, {"opleider_id": 999999, "aios_ja": True, "opleider_ja": True}),
        event(traject, "nieuwe_koppeling_bevestigd", 36, {"opleider_id": 999999, "startdatum": dag(20).isoformat(),
                                                          "koppeling_id": 888888}),
    )
    assert _statussen(resultaten) == ["aanvaard"] * 3, resultaten


def test_a_new_traject_and_its_later_events_in_one_batch_are_checked_against_the_personen(p: Personen) -> None:
    docent = aanmelden("docent_a")
    traject = nieuw_traject()
    signaal_, gesprek, uitkomst = tot_advies(traject, p.a)
    signaal_["traject_kop"] = _kop(p.a, p.xo1)
    resultaten = docent.stuur(
        signaal_, gesprek, uitkomst, besluit(traject, 15),
        event(traject, "kandidaat_opleider", 12, {"opleider_id": 999999}),
        event(traject, "kennismakingsgesprek", 10, {"opleider_id": p.o4.pk, "aios_ja": True, "opleider_ja": True}),
    )
    assert _statussen(resultaten) == ["aanvaard"] * 4 + ["geweigerd", "wacht"], resultaten
    assert resultaten[4]["melding"].endswith(OPLEIDER_ONBEKEND)
    assert Traject.objects.using(EIGENAAR).get().pk == uuid.UUID(traject)
    assert Blokkade.objects.using(EIGENAAR).get().sinds == dag(15)
