"""Each role records its own steps on a shared traject: the docent of the groep records anything the rules allow,
the manager opleiding, the jaarassistent and the plv. hoofd record the steps the procedure gives their role, and
only the author takes back an event. Through the API, and the rule (schrijfrecht.py) on its own."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from ontkoppel_desktop.core.kalender import dutch_date
from ontkoppel_desktop.core.procedure import TrajectEvent, default_registry, new_event
from ontkoppel_desktop.core.rollen import Rol
from ontkoppel_server.instituut.models import Gebeurtenis
from ontkoppel_server.instituut.schrijfrecht import RolBereik, weigering
from tests.server.conftest import (
    VERZEGELD,
    LaptopSessie,
    aanmelden,
    account,
    besluit,
    dag,
    event,
    groep,
    nieuw_traject,
    tot_advies,
)

JA_WEIGERING = (
    "is niet vastgelegd: dit is geen stap voor uw rol (jaarassistent). Vraag de docent van de groep of de "
    "verantwoordelijke rol (manager opleiding of plaatsvervangend hoofd) dit vast te leggen."
)


def _statussen(resultaten: list[dict[str, Any]]) -> list[str]:
    return [r["status"] for r in resultaten]


def _verslag_gearchiveerd(traject: str, dagen_terug: int) -> dict[str, Any]:
    return event(traject, "verslag_gearchiveerd", dagen_terug, {"gesprek": "driehoeksgesprek", "bestemming": "beide"})


def _gestart_met_advies(docent: LaptopSessie, g: Any) -> str:
    """A traject of groep `g` that the docent started and brought to the advies tot ontkoppeling, with the verslag
    of the driehoeksgesprek sent to the jaarassistent."""
    traject = nieuw_traject()
    resultaten = docent.stuur(
        *tot_advies(traject, g),
        event(traject, "verslag_naar_jaarassistent", 19, {"gesprek": "driehoeksgesprek"}),
    )
    assert _statussen(resultaten) == ["aanvaard"] * 4, resultaten
    return traject


def test_the_manager_opleiding_records_besluit_wachttijd_and_voortgang_on_a_traject_of_its_year() -> None:
    g = groep("Groep A", 1)
    account("anna", (Rol.DOCENTEN, g))
    account("mo", (Rol.MANAGER_OPLEIDING, 1))
    a, mo = aanmelden("anna"), aanmelden("mo")
    traject = nieuw_traject()
    signaal_, gesprek, uitkomst = tot_advies(traject, g)
    signaal_["date"] = dag(60).isoformat()
    gesprek["date"] = dag(55).isoformat()
    uitkomst["date"] = dag(50).isoformat()
    assert _statussen(a.stuur(signaal_, gesprek, uitkomst)) == ["aanvaard"] * 3

    [r] = mo.stuur(besluit(traject, 45))
    assert r["status"] == "aanvaard", r
    # The docent records the new koppeling; the wachttijd (24 days) is more than the 14 of Utrecht 5.2.2.
    assert _statussen(a.stuur(
        event(traject, "koppeling_beeindigd", 44),
        event(traject, "kandidaat_opleider", 40, {"opleider_id": 99}),
        event(traject, "kennismakingsgesprek", 38, {"opleider_id": 99, "aios_ja": True, "opleider_ja": True}),
        event(traject, "nieuwe_koppeling_bevestigd", 36, {"opleider_id": 99, "startdatum": dag(20).isoformat()}),
        event(traject, "nieuwe_koppeling_gestart", 20, {"in_oude_praktijk_gebleven": False}),
    )) == ["aanvaard"] * 5
    # The besluit fell in month 6 of the first year: verlenging is the starting point (Utrecht 5.2.3).
    resultaten = mo.stuur(
        event(traject, "wachttijd_besluit", 5, {"dagen_opleidingstijd": 10, "door": VERZEGELD}),
        event(traject, "voortgang_besluit", 5, {"uitstel_voortgangsbeoordeling": True, "verlenging": True,
                                                "verlenging_maanden": 3, "door": VERZEGELD}),
    )
    assert _statussen(resultaten) == ["aanvaard", "aanvaard"], resultaten
    auteurs = dict(Gebeurtenis.objects.using("eigenaar").filter(traject_id=traject)
                   .values_list("soort", "auteur__username"))
    assert auteurs["besluit_ontkoppeling"] == auteurs["wachttijd_besluit"] == auteurs["voortgang_besluit"] == "mo"


def test_the_jaarassistent_records_its_own_step_but_not_the_besluit() -> None:
    g = groep("Groep A", 1)
    account("anna", (Rol.DOCENTEN, g))
    account("jet", (Rol.JAARASSISTENT, 1))
    a, jet = aanmelden("anna"), aanmelden("jet")
    traject = _gestart_met_advies(a, g)
    jet.haal()

    weigering_, daarna = jet.stuur(besluit(traject, 10), _verslag_gearchiveerd(traject, 9),
                                   laatst_opgehaald=jet.gezien)

    assert weigering_ == {
        "id": weigering_["id"], "status": "geweigerd",
        "melding": f"'Formeel besluit over ontkoppeling' van {dutch_date(dag(10))} {JA_WEIGERING}",
    }
    # It builds on the refused besluit as far as the laptop knows: it waits, unchecked.
    assert daarna["status"] == "wacht" and "eerdere gebeurtenis" in daarna["melding"]
    soorten = set(Gebeurtenis.objects.using("eigenaar").filter(traject_id=traject).values_list("soort", flat=True))
    assert "besluit_ontkoppeling" not in soorten and "verslag_gearchiveerd" not in soorten

    # The besluit left out, archiving the verslag of the driehoeksgesprek is the jaarassistent's own step.
    [gearchiveerd] = jet.stuur(_verslag_gearchiveerd(traject, 9))
    assert gearchiveerd["status"] == "aanvaard", gearchiveerd


def test_the_plv_hoofd_records_the_besluit_after_the_advies_but_not_a_docents_step() -> None:
    g = groep("Groep A", 1)
    account("anna", (Rol.DOCENTEN, g))
    account("hoofd", (Rol.PLV_HOOFD, None))
    a, hoofd = aanmelden("anna"), aanmelden("hoofd")
    traject = _gestart_met_advies(a, g)

    [r] = hoofd.stuur(besluit(traject, 10))
    assert r["status"] == "aanvaard", r
    [check_up] = hoofd.stuur(event(traject, "check_up", 9))
    assert check_up["status"] == "geweigerd"
    assert check_up["melding"].endswith(
        "is niet vastgelegd: dit is geen stap voor uw rol (plaatsvervangend hoofd). Vraag de docent van de groep "
        "dit vast te leggen."
    ), check_up


def test_only_the_author_takes_back_an_event_unless_the_docent_does() -> None:
    g = groep("Groep A", 1)
    account("anna", (Rol.DOCENTEN, g))
    account("mo", (Rol.MANAGER_OPLEIDING, 1))
    a, mo = aanmelden("anna"), aanmelden("mo")
    traject = _gestart_met_advies(a, g)
    [eigen] = mo.stuur(besluit(traject, 10))
    assert eigen["status"] == "aanvaard"
    driehoeksgesprek = Gebeurtenis.objects.using("eigenaar").get(traject_id=traject, soort="driehoeksgesprek")

    [ander, intrekking] = mo.stuur(
        event(traject, "gebeurtenis_gecorrigeerd", 0, {"gebeurtenis": driehoeksgesprek.uuid.hex,
                                                      "motivatie": VERZEGELD, "datum": dag(24).isoformat()}),
        event(traject, "gebeurtenis_ingetrokken", 0, {"gebeurtenis": driehoeksgesprek.uuid.hex,
                                                     "motivatie": VERZEGELD}),
    )
    assert ander["status"] == "geweigerd"
    assert ("is niet vastgelegd: u kunt alleen een gebeurtenis corrigeren die u zelf hebt vastgelegd. Vraag de "
            "docent van de groep, of wie haar heeft vastgelegd, dit te doen.") in ander["melding"]
    assert intrekking["status"] == "wacht"

    # Its own besluit the manager opleiding may correct; the docent of the groep corrects anyone's event.
    [zelf] = mo.stuur(event(traject, "gebeurtenis_gecorrigeerd", 0, {
        "gebeurtenis": eigen["id"], "motivatie": VERZEGELD, "gegevens": {"toelichting": VERZEGELD},
    }))
    assert zelf["status"] == "aanvaard", zelf
    [docent] = a.stuur(event(traject, "gebeurtenis_gecorrigeerd", 0, {
        "gebeurtenis": eigen["id"], "motivatie": VERZEGELD, "datum": dag(11).isoformat(),
    }))
    assert docent["status"] == "aanvaard", docent


# ---- the rule on its own ---------------------------------------------------------------------------------------


GROEP, ANDERE_GROEP, JAAR = 1, 2, 1
JA = RolBereik(Rol.JAARASSISTENT, opleidingsjaar=JAAR)
MO = RolBereik(Rol.MANAGER_OPLEIDING, opleidingsjaar=JAAR)
AMO = RolBereik(Rol.ASSISTENT_MANAGER_OPLEIDERS)


def _event(kind: str, data: dict[str, Any] | None = None) -> TrajectEvent:
    return new_event(kind, dt.date(2026, 3, 2), data or {}, user="test")


def _weigering(rollen: list[RolBereik], ev: TrajectEvent, eigen: frozenset[str] = frozenset()) -> str | None:
    return weigering(default_registry().current(), rollen, GROEP, JAAR, eigen, ev)


@pytest.mark.parametrize(
    ("rol", "ev"),
    [
        (JA, _event("koppeling_beeindigd")),
        (JA, _event("stap_uitgevoerd", {"stap": "informatie_resterend_jaar"})),
        (JA, _event("checklist_punt", {"punt": "ontkoppelingsmail"})),
        (JA, _event("afwijking", {
            "stap": "einde_oude_koppeling", "wijze": "overgeslagen", "motivatie": "Elders geregeld"})),
        (MO, _event("manager_opleiders_geinformeerd")),
        (MO, _event("stap_uitgevoerd", {"stap": "besluit_communiceren"})),
        (RolBereik(Rol.MANAGER_OPLEIDERS), _event("contact_manager_opleiders")),
        (RolBereik(Rol.MANAGER_OPLEIDERS), _event("kandidaat_opleider", {"opleider_id": 5})),
        (AMO, _event("kandidaat_opleider", {"opleider_id": 5})),
        (AMO, _event("verslag_gearchiveerd", {"gesprek": "contact_manager_opleiders"})),
        # Archived in one place of two: it works on the step that "beide" finishes.
        (JA, _event("verslag_gearchiveerd", {"gesprek": "driehoeksgesprek", "bestemming": "e_portfolio"})),
        (JA, _event("verslag_gearchiveerd", {"gesprek": "evaluatie_aios", "bestemming": "dossier_opleider"})),
        (RolBereik(Rol.PLV_HOOFD), _event("wachttijd_besluit", {"dagen_opleidingstijd": 3})),
    ],
)
def test_a_role_records_the_steps_the_procedure_gives_it(rol: RolBereik, ev: TrajectEvent) -> None:
    assert _weigering([rol], ev) is None


@pytest.mark.parametrize(
    ("rollen", "ev", "reden"),
    [
        # A stap_uitgevoerd counts for the step it names, not for every step done by a stap_uitgevoerd.
        ([JA], _event("stap_uitgevoerd", {"stap": "nazorg_groep"}),
         "dit is geen stap voor uw rol (jaarassistent). Vraag de docent van de groep dit vast te leggen."),
        ([JA], _event("afwijking", {
            "stap": "contact_manager_opleiders", "wijze": "overgeslagen", "motivatie": "x"}),
         "dit is geen stap voor uw rol (jaarassistent). Vraag de docent van de groep of de verantwoordelijke rol "
         "(manager opleiders) dit vast te leggen."),
        # A verslag_gearchiveerd of the contact is the assistent manager opleiders' step, not the jaarassistent's.
        ([JA],
         _event("verslag_gearchiveerd", {"gesprek": "contact_manager_opleiders"}),
         "dit is geen stap voor uw rol (jaarassistent). Vraag de docent van de groep of de verantwoordelijke rol "
         "(assistent manager opleiders) dit vast te leggen."),
        # Docent of another groep: that role does not count here; the year's role does.
        ([RolBereik(Rol.DOCENTEN, groep_id=ANDERE_GROEP), MO],
         _event("driehoeksgesprek"),
         "dit is geen stap voor uw rol (manager opleiding). Vraag de docent van de groep dit vast te leggen."),
        # A manager opleiding of another year is none on this traject.
        ([RolBereik(Rol.MANAGER_OPLEIDING, opleidingsjaar=JAAR + 1), RolBereik(Rol.MANAGER_OPLEIDERS)],
         _event("besluit_ontkoppeling", {"besluit": "ontkoppelen", "door": "x"}),
         "dit is geen stap voor uw rol (manager opleiders). Vraag de docent van de groep of de verantwoordelijke "
         "rol (manager opleiding of plaatsvervangend hoofd) dit vast te leggen."),
        ([JA, RolBereik(Rol.BELEIDSMEDEWERKER)],
         _event("traject_gesloten"),
         "dit is geen stap voor uw rollen (jaarassistent en beleidsmedewerker). Vraag de docent van de groep dit "
         "vast te leggen."),
        ([], _event("check_up"), "uw rol bij het instituut omvat dit traject niet. Vraag de docent van de groep dit "
                                 "vast te leggen."),
    ],
)
def test_another_roles_step_is_refused_with_who_may(rollen: list[RolBereik], ev: TrajectEvent, reden: str) -> None:
    assert _weigering(rollen, ev) == reden


def test_the_docent_of_the_groep_records_anything_and_only_the_author_corrects() -> None:
    docent = RolBereik(Rol.DOCENTEN, groep_id=GROEP)
    for kind, data in (("besluit_ontkoppeling", {"besluit": "ontkoppelen", "door": "x"}), ("traject_gesloten", {}),
                       ("kennismakingsgesprek", {"opleider_id": 5, "aios_ja": True, "opleider_ja": True})):
        assert _weigering([docent], _event(kind, data)) is None
        assert _weigering([JA], _event(kind, data)) is not None

    intrekking = _event("gebeurtenis_ingetrokken", {"gebeurtenis": "abc", "motivatie": "Dubbel"})
    assert _weigering([JA], intrekking, frozenset({"abc"})) is None
    assert _weigering([docent], intrekking) is None
    assert _weigering([JA], intrekking, frozenset({"def"})) == (
        "u kunt alleen een gebeurtenis intrekken die u zelf hebt vastgelegd. Vraag de docent van de groep, of wie "
        "haar heeft vastgelegd, dit te doen."
    )
