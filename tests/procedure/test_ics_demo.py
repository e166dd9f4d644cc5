"""The .ics export round-trips; the demo helper fills every phase; the core stays free of Qt."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from pathlib import Path

from icalendar import Calendar

from ontkoppel_desktop.core.procedure import StepState, default_registry, derive, open_tasks
from ontkoppel_desktop.demo.trajecten import DemoKoppeling, demo_trajecten
from ontkoppel_desktop.exchange.ics import tasks_to_ics, write_ics

from .builders import FACTS, D, build, day, ontkoppeld

NOW = dt.datetime(2025, 4, 28, 8, 0, tzinfo=dt.UTC)


def test_ics_round_trip(tmp_path: Path) -> None:
    traject = build(*ontkoppeld("2025-04-01"), traject_id=7)
    tasks = open_tasks([traject], default_registry(), day("2025-04-28"))
    with_term = [t for t in tasks if t.due is not None]
    data = tasks_to_ics(tasks, label_of=lambda t: f"aios {t.aios_id}", now=NOW)
    cal = Calendar.from_ical(data)
    events = cal.walk("VEVENT")
    assert len(events) == len(with_term) > 0
    by_uid = {str(e["UID"]): e for e in events}
    evaluatie = by_uid["traject-7-evaluatie_aios@ontkoppel-desktop"]
    assert evaluatie.decoded("DTSTART") == day("2025-04-15")
    assert evaluatie.decoded("DTEND") == day("2025-04-16")
    assert str(evaluatie["SUMMARY"]) == "Termijn: Evaluatiegesprek aios (aios 10)"
    assert str(evaluatie["DESCRIPTION"]).startswith("Evaluatiegesprek met de aios en de docenten")
    assert "binnen 2 weken na de ontkoppeling" in str(evaluatie["DESCRIPTION"])
    # stable: the same tasks give the same file
    assert tasks_to_ics(tasks, label_of=lambda t: f"aios {t.aios_id}", now=NOW) == data
    path = tmp_path / "termijnen.ics"
    write_ics(path, tasks, now=NOW)
    again = Calendar.from_ical(path.read_bytes())
    assert {str(e["UID"]) for e in again.walk("VEVENT")} == set(by_uid)


def test_ics_mentions_weekend() -> None:
    traject = build(("driehoeksgesprek", day("2025-03-08"), {}), traject_id=8)
    tasks = open_tasks([traject], default_registry(), day("2025-03-09"))
    cal = Calendar.from_ical(tasks_to_ics(tasks, now=NOW))
    verslag = next(e for e in cal.walk("VEVENT") if "verslag_driehoeksgesprek" in str(e["UID"]))
    assert "Let op: de termijn valt op zaterdag." in str(verslag["DESCRIPTION"])


def test_demo_trajecten_cover_every_phase() -> None:
    today = dt.date(2026, 11, 23)
    koppelingen = [DemoKoppeling(i, 100 + i, 200 + i) for i in range(20)]
    trajecten = demo_trajecten(D, koppelingen, [300, 301, 302], today)
    assert len(trajecten) == 20
    overviews = [derive(D, t, FACTS, today) for t in trajecten]
    assert {o.phase for o in overviews} == {1, 2, 3, None}
    states = {s.state for o in overviews for s in o.statuses}
    assert {StepState.OVERDUE, StepState.DUE, StepState.DONE, StepState.OPEN, StepState.DEVIATED} <= states
    assert all(t.id is None for t in trajecten)
    assert demo_trajecten(D, koppelingen, [300], today)[5].events[-1].date == trajecten[5].events[-1].date


def test_core_procedure_does_not_load_qt() -> None:
    code = (
        "import sys, ontkoppel_desktop.core.procedure, ontkoppel_desktop.demo.trajecten, "
        "ontkoppel_desktop.exchange.ics; "
        "assert not any(m.startswith('PySide6') for m in sys.modules), 'Qt loaded'"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
