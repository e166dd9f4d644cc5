"""Terms straight from the procedure, table-driven: given event dates, the exact due date of every step."""

from __future__ import annotations

import datetime as dt

import pytest

from ontkoppel_desktop.core.procedure import Startreden, StepState, derive, parse_definition
from ontkoppel_desktop.core.procedure.loader import procedures_directory

from .builders import FACTS, D, Ev, build, day, nieuwe_koppeling, ontkoppeld

# (what the procedure says, events, {step key: due date})
CASES: list[tuple[str, tuple[Ev, ...], dict[str, str | None]]] = [
    (
        # Utrecht 5.1: "binnen 1 week telefonisch contact opnemen met de aios en met de opleider"
        "ziekmelding: contact binnen 1 week",
        (),
        {"contact_na_ziekmelding": "2025-03-10", "driehoeksgesprek": None},
    ),
    (
        # 5.1: verslag "binnen één week na het gesprek" naar de jaarassistent; 5.3.2: check-up "ongeveer een week"
        # erna, a window of 5 to 10 days: due on its last day
        "driehoeksgesprek: verslag en check-up",
        (("driehoeksgesprek", day("2025-03-12"), {}),),
        {"verslag_driehoeksgesprek": "2025-03-19", "check_up": "2025-03-22", "uitkomst": None},
    ),
    (
        # every driehoeksgesprek has its own verslag term
        "twee driehoeksgesprekken: twee verslagtermijnen",
        (
            ("driehoeksgesprek", day("2025-03-12"), {}),
            ("verslag_naar_jaarassistent", day("2025-03-18"), {"gesprek": "driehoeksgesprek"}),
            ("driehoeksgesprek", day("2025-03-26"), {}),
        ),
        {
            "verslag_driehoeksgesprek": "2025-03-19",
            "verslag_driehoeksgesprek#2": "2025-04-02",
            "check_up": "2025-03-22",
            "archiveren_verslag_driehoeksgesprek": None,
        },
    ),
    (
        # 5.2.1 plan right after the decision; 5.3.1 within 2 weeks; 5.3.2 after 3 weeks, ~1 month (3 to 5 weeks)
        "besluit tot ontkoppeling op 1 april",
        ontkoppeld("2025-04-01"),
        {
            "contact_opleider_plannen": "2025-04-01",
            "evaluatie_aios": "2025-04-15",
            "evaluatie_opleider": "2025-04-22",
            "contact_manager_opleiders": "2025-05-06",
            "uitnodiging_opleidersterugkomdag": None,
            "besluit_communiceren": None,
        },
    ),
    (
        # 5.3.1: "binnen 2 weken (en voor de start van de aios in de nieuwe praktijk)": the earlier one wins
        "evaluatie aios: start in nieuwe praktijk vóór 2 weken",
        ontkoppeld("2025-04-01") + nieuwe_koppeling("2025-04-04", "2025-04-07", "2025-04-10"),
        {"evaluatie_aios": "2025-04-09", "start_nieuwe_koppeling": "2025-04-10"},
    ),
    (
        "evaluatie aios: start in nieuwe praktijk na 2 weken",
        ontkoppeld("2025-04-01") + nieuwe_koppeling("2025-04-04", "2025-04-07", "2025-04-28"),
        {"evaluatie_aios": "2025-04-15", "start_nieuwe_koppeling": "2025-04-28"},
    ),
    (
        # 5.3.1/5.3.2: verslagen archived within 3 weeks after the gesprek; contact verslag within 3 weeks
        "archivering na de evaluatiegesprekken",
        ontkoppeld("2025-04-01")
        + (
            ("evaluatiegesprek_aios", day("2025-04-08"), {}),
            ("evaluatiegesprek_opleider", day("2025-04-22"), {}),
            ("contact_manager_opleiders", day("2025-05-02"), {}),
        ),
        {
            "archiveren_verslag_evaluatie_aios": "2025-04-29",
            "archiveren_verslag_evaluatie_opleider_aios": "2025-05-13",
            "archiveren_verslag_evaluatie_opleider_opleider": "2025-05-13",
            "verslag_contact_naar_assistent": "2025-05-23",
        },
    ),
    (
        # 5.3.1: "circa 2 maanden na de aanvang bij de nieuwe opleider": 7 to 9 weeks
        "evaluatie met de nieuwe opleider",
        ontkoppeld("2025-04-01")
        + nieuwe_koppeling("2025-04-04", "2025-04-07", "2025-04-14")
        + (("nieuwe_koppeling_gestart", day("2025-04-14"), {"in_oude_praktijk_gebleven": True}),),
        {"evaluatie_nieuwe_opleider": "2025-06-16", "evaluatie_aios": "2025-04-13"},
    ),
    (
        # the window of "ongeveer 1 maand" counts 5 weeks, whatever the month's length
        "ongeveer 1 maand na 31 maart",
        ontkoppeld("2025-03-31", gesprek="2025-03-10"),
        {"contact_manager_opleiders": "2025-05-05"},
    ),
]


@pytest.mark.parametrize(("name", "events", "expected"), CASES, ids=[c[0] for c in CASES])
def test_due_dates(name: str, events: tuple[Ev, ...], expected: dict[str, str | None]) -> None:
    reden = Startreden.ZIEKMELDING if name.startswith("ziekmelding") else Startreden.SIGNAAL_AIOS
    traject = build(*events, reden=reden)
    overview = derive(D, traject, FACTS, dt.date(2025, 3, 5))
    for key, due in expected.items():
        status = overview.status(key)
        assert status.due == (day(due) if due else None), key
        assert status.triggered_on is not None, key


def test_month_end_from_january() -> None:
    # calendar months: one month after 31 January is the last day of February (a term in months, no window)
    text = procedures_directory().joinpath("utrecht-2023-03.toml").read_text(encoding="utf-8")
    exact = parse_definition(text.replace("window = { from_weeks = 3, until_weeks = 5 }\n", ""), "exact.toml")
    traject = build(*ontkoppeld("2025-01-31", gesprek="2025-01-15"), start=dt.date(2025, 1, 6), definition=exact)
    status = derive(exact, traject, FACTS, dt.date(2025, 2, 1)).status("contact_manager_opleiders")
    assert status.due == dt.date(2025, 2, 28) and status.due_from is None


def test_next_opleidersterugkomdag_from_agenda() -> None:
    agenda = {"opleidersterugkomdagen": [day("2025-04-01"), day("2025-05-15"), day("2025-06-12")]}
    traject = build(*ontkoppeld("2025-04-01"))
    status = derive(D, traject, FACTS, day("2025-04-02"), agenda).status("uitnodiging_opleidersterugkomdag")
    # Utrecht 5.3.2: "de volgende opleidersterugkomdag": the one after the ontkoppeling, not on the same day.
    assert status.due == day("2025-05-15")
    assert status.state is StepState.DUE


def test_states_and_days_left() -> None:
    traject = build(*ontkoppeld("2025-04-01"), ("evaluatiegesprek_opleider", day("2025-04-20"), {}))
    overview = derive(D, traject, FACTS, day("2025-04-20"))
    aios = overview.status("evaluatie_aios")
    assert aios.state is StepState.OVERDUE and aios.days_left == -5
    opleider = overview.status("evaluatie_opleider")
    assert (
        opleider.state is StepState.DONE and opleider.done_on == day("2025-04-20") and not opleider.done_late
    )
    contact = overview.status("contact_manager_opleiders")
    assert contact.state is StepState.DUE and contact.days_left == 16
    assert overview.status("besluit_communiceren").state is StepState.OPEN
    assert overview.status("wachttijd_besluit").state is StepState.NOT_YET
    assert overview.status("contact_na_ziekmelding").state is StepState.NOT_YET
    assert overview.phase == 2


def test_due_today_is_not_overdue() -> None:
    traject = build(("driehoeksgesprek", day("2025-03-12"), {}))
    status = derive(D, traject, FACTS, day("2025-03-19")).status("verslag_driehoeksgesprek")
    assert status.state is StepState.DUE and status.days_left == 0
    status = derive(D, traject, FACTS, day("2025-03-20")).status("verslag_driehoeksgesprek")
    assert status.state is StepState.OVERDUE and status.days_left == -1


def test_phone_contact_needs_both_aios_and_opleider() -> None:
    traject = build(
        ("telefonisch_contact", day("2025-03-04"), {"met": ["aios"]}), reden=Startreden.ZIEKMELDING
    )
    assert (
        derive(D, traject, FACTS, day("2025-03-05")).status("contact_na_ziekmelding").state is StepState.DUE
    )
    from .builders import add

    traject = add(traject, ("telefonisch_contact", day("2025-03-06"), {"met": ["opleider"]}))
    status = derive(D, traject, FACTS, day("2025-03-12")).status("contact_na_ziekmelding")
    assert status.state is StepState.DONE and status.done_on == day("2025-03-06")


def test_verslag_bij_names_its_gesprek() -> None:
    traject = build(("driehoeksgesprek", day("2025-03-12"), {}), ("driehoeksgesprek", day("2025-03-26"), {}))
    second = traject.events[-1].id
    from .builders import add

    traject = add(
        traject,
        ("verslag_naar_jaarassistent", day("2025-03-27"), {"gesprek": "driehoeksgesprek", "bij": second}),
    )
    overview = derive(D, traject, FACTS, day("2025-03-28"))
    assert overview.status("verslag_driehoeksgesprek").state is StepState.OVERDUE
    assert overview.status("verslag_driehoeksgesprek#2").state is StepState.DONE
    # the archiving step follows the verslag of the second gesprek only
    archive = [s for s in overview.statuses if s.step.id == "archiveren_verslag_driehoeksgesprek"]
    assert [(s.state, s.origin_event_id) for s in archive] == [(StepState.OPEN, second)]


def test_weekend_and_holiday_flagged_not_moved() -> None:
    # Hemelvaartsdag 2025 is Thursday 29 May: a driehoeksgesprek on 22 May puts the verslag term on it.
    traject = build(("driehoeksgesprek", day("2025-05-22"), {}))
    status = derive(D, traject, FACTS, day("2025-05-23")).status("verslag_driehoeksgesprek")
    assert status.due == day("2025-05-29")
    assert status.due_warning == "Hemelvaartsdag"
    traject = build(("driehoeksgesprek", day("2025-03-08"), {}))
    status = derive(D, traject, FACTS, day("2025-03-09")).status("verslag_driehoeksgesprek")
    assert status.due == day("2025-03-15") and status.due_warning == "zaterdag"
    traject = build(("driehoeksgesprek", day("2025-03-12"), {}))
    assert derive(D, traject, FACTS, day("2025-03-12")).status("verslag_driehoeksgesprek").due_warning is None
