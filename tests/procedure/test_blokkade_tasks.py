"""Blokkade of an ontkoppelde opleider, and the open tasks per role over many trajecten."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from ontkoppel_desktop.core.procedure import (
    AiosFacts,
    ProcedureRegistry,
    StepState,
    StepStatus,
    blokkade_of,
    blokkades,
    default_registry,
    derive,
    open_tasks,
    opleider_geblokkeerd,
)
from ontkoppel_desktop.core.procedure.engine import open_steps
from ontkoppel_desktop.core.rollen import Rol
from ontkoppel_desktop.demo.trajecten import DemoKoppeling, demo_trajecten

from .builders import FACTS, OPLEIDER, D, add, build, day, ontkoppeld


def test_blokkade_from_besluit_until_contact_manager_opleiders() -> None:
    registry = default_registry()
    advies = build(
        ("driehoeksgesprek", day("2025-03-12"), {}),
        ("uitkomst", day("2025-03-12"), {"uitkomst": "advies_ontkoppeling"}),
    )
    assert blokkade_of(D, advies) is None  # a possible ontkoppeling does not block yet
    traject = add(
        advies, ("besluit_ontkoppeling", day("2025-04-01"), {"besluit": "ontkoppelen", "door": "X"})
    )
    b = opleider_geblokkeerd(OPLEIDER, [traject], registry)
    assert b is not None and b.sinds == day("2025-04-01") and b.traject_id == traject.id
    assert b.reden.startswith("Geen nieuwe aios: ontkoppeld op 1 april 2025")
    assert opleider_geblokkeerd(OPLEIDER + 1, [traject], registry) is None
    assert list(blokkades([traject, advies], registry)) == [OPLEIDER]
    lifted = add(traject, ("contact_manager_opleiders", day("2025-05-02"), {}))
    assert opleider_geblokkeerd(OPLEIDER, [lifted], registry) is None


def test_blokkade_lifted_by_afwijking_with_motivatie() -> None:
    traject = build(
        *ontkoppeld(),
        (
            "afwijking",
            day("2025-04-20"),
            {
                "stap": "contact_manager_opleiders",
                "wijze": "anders_gedaan",
                "motivatie": "Contact tijdens het evaluatiegesprek gehad.",
            },
        ),
    )
    assert blokkade_of(D, traject) is None


def test_niet_ontkoppelen_blocks_nobody() -> None:
    traject = build(
        ("driehoeksgesprek", day("2025-03-12"), {}),
        ("uitkomst", day("2025-03-12"), {"uitkomst": "advies_ontkoppeling"}),
        ("besluit_ontkoppeling", day("2025-04-01"), {"besluit": "niet_ontkoppelen", "door": "X"}),
    )
    assert blokkade_of(D, traject) is None


def test_open_tasks_per_role_sorted_overdue_first() -> None:
    registry = default_registry()
    late = build(*ontkoppeld("2025-04-01"), traject_id=1)
    fresh = build(("driehoeksgesprek", day("2025-04-25"), {}), traject_id=2, start=day("2025-04-20"))
    closed = build(
        ("driehoeksgesprek", day("2025-03-12"), {}),
        ("uitkomst", day("2025-03-12"), {"uitkomst": "geen_ontkoppeling", "aandachtspunten": "x"}),
        ("traject_gesloten", day("2025-03-13"), {}),
        traject_id=3,
    )
    today = day("2025-04-28")
    tasks = open_tasks([fresh, closed, late], registry, today, facts={10: FACTS})
    assert {t.traject_id for t in tasks} == {1, 2}
    ranks = [0 if t.overdue else (1 if t.due else 2) for t in tasks]
    assert ranks == sorted(ranks)
    first = tasks[0]  # the longest overdue: the verslag of the driehoeksgesprek of 12 March
    assert (first.traject_id, first.step_id, first.days_left) == (1, "verslag_driehoeksgesprek", -40)
    evaluatie = next(t for t in tasks if t.step_id == "evaluatie_aios")
    assert evaluatie.days_text == "13 dagen te laat" and evaluatie.state is StepState.OVERDUE
    docenten = open_tasks([fresh, late], registry, today, rol=Rol.DOCENTEN)
    assert docenten and all(Rol.DOCENTEN in t.roles for t in docenten)
    assert {t.step_id for t in docenten} >= {
        "evaluatie_aios",
        "evaluatie_opleider",
        "verslag_driehoeksgesprek",
    }
    jaarassistent = open_tasks([fresh, late], registry, today, rol=Rol.JAARASSISTENT)
    assert {t.step_id for t in jaarassistent} == {"administratieve_afhandeling", "einde_oude_koppeling"}
    due = [t for t in tasks if t.step_id == "verslag_driehoeksgesprek" and t.traject_id == 2][0]
    assert due.days_text == "nog 4 dagen" and due.uid == "traject-2-verslag_driehoeksgesprek"


def test_open_tasks_follow_each_trajects_version() -> None:
    registry = ProcedureRegistry(default_registry().definitions())
    traject = build(("driehoeksgesprek", day("2025-03-12"), {}))
    tasks = open_tasks([traject], registry, dt.date(2025, 3, 13))
    assert [t.step_id for t in tasks if t.due] == ["verslag_driehoeksgesprek", "check_up"]


def test_open_steps_agrees_with_derive() -> None:
    """`open_steps` (the fast path for task lists) gives exactly the open statuses `derive` gives."""

    def view(statuses: Iterable[StepStatus]) -> list[tuple[str, StepState, dt.date | None, dt.date | None]]:
        return [(s.key, s.state, s.due, s.triggered_on) for s in statuses]

    first_year = AiosFacts(1, dt.date(2026, 3, 1))
    agenda = {"opleidersterugkomdagen": [dt.date(2026, 9, 10), dt.date(2026, 12, 3), dt.date(2027, 3, 4)]}
    for today in (dt.date(2026, 9, 1), dt.date(2026, 11, 23), dt.date(2027, 2, 1)):
        koppelingen = [DemoKoppeling(i, 100 + i, 200 + i) for i in range(30)]
        for traject in demo_trajecten(D, koppelingen, [300, 301], today, seed=today.toordinal()):
            for facts in (None, FACTS, first_year):
                for on in (today, today + dt.timedelta(days=20)):
                    full = derive(D, traject, facts, on, agenda).open_statuses()
                    assert view(open_steps(D, traject, facts, on, agenda)) == view(full)
