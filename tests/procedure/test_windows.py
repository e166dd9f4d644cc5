"""Defect 8: "ongeveer" and "circa" give a window; a step is late only after the window."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from ontkoppel_desktop.core.procedure import (
    DefinitionError,
    StepState,
    StepStatus,
    default_registry,
    derive,
    open_tasks,
    parse_definition,
)
from ontkoppel_desktop.core.procedure.loader import procedures_directory

from .builders import FACTS, D, Ev, build, day, nieuwe_koppeling, ontkoppeld

FILE = "utrecht-2023-03.toml"
TEXT = procedures_directory().joinpath(FILE).read_text(encoding="utf-8")


def _status(events: tuple[Ev, ...], key: str, on: str) -> StepStatus:
    traject = build(*events)
    return derive(D, traject, FACTS, day(on)).status(key)


GESPREK: tuple[Ev, ...] = (("driehoeksgesprek", day("2025-03-12"), {}),)
GESTART: tuple[Ev, ...] = (
    *ontkoppeld("2025-04-01"),
    *nieuwe_koppeling("2025-04-04", "2025-04-07", "2025-04-14"),
    ("nieuwe_koppeling_gestart", day("2025-04-14"), {"in_oude_praktijk_gebleven": True}),
)

# (events, step, window start, window end, the term in words)
WINDOWS = [
    # Utrecht 5.3.2: "Ongeveer een week na het driehoeksgesprek": 5 to 10 days.
    (GESPREK, "check_up", "2025-03-17", "2025-03-22",
     "ongeveer een week na het driehoeksgesprek (tussen 5 en 10 dagen)"),
    # 5.3.2: "Ongeveer 1 maand na de ontkoppeling": 3 to 5 weeks.
    (ontkoppeld("2025-04-01"), "contact_manager_opleiders", "2025-04-22", "2025-05-06",
     "ongeveer 1 maand na de ontkoppeling (tussen 3 en 5 weken)"),
    # 5.3.1: "Circa 2 maanden na de aanvang bij de nieuwe opleider": 7 to 9 weeks.
    (GESTART, "evaluatie_nieuwe_opleider", "2025-06-02", "2025-06-16",
     "circa 2 maanden na de aanvang bij de nieuwe opleider (tussen 7 en 9 weken)"),
]


@pytest.mark.parametrize(("events", "key", "start", "end", "label"), WINDOWS, ids=[w[1] for w in WINDOWS])
def test_an_approximate_term_is_a_window(events: tuple[Ev, ...], key: str, start: str, end: str, label: str) -> None:
    status = _status(events, key, start)
    assert (status.due_from, status.due) == (day(start), day(end))
    assert status.term_label == label
    assert status.state is StepState.DUE
    # On the window's last day the step is not late yet; the day after it is.
    last = _status(events, key, end)
    assert last.state is StepState.DUE and last.days_left == 0
    after = _status(events, key, (day(end) + dt.timedelta(days=1)).isoformat())
    assert after.state is StepState.OVERDUE and after.days_left == -1


def test_a_window_in_days_text_and_window_text() -> None:
    traject = build(*GESPREK, traject_id=4)
    registry = default_registry()

    def check_up(on: str) -> str:
        task = next(t for t in open_tasks([traject], registry, day(on)) if t.step_id == "check_up")
        return task.days_text

    assert check_up("2025-03-13") == "over 4 tot 9 dagen"  # the window opens on 17 March
    assert check_up("2025-03-17") == "nu (nog 5 dagen)"
    assert check_up("2025-03-21") == "nu (nog 1 dag)"
    assert check_up("2025-03-22") == "vandaag (laatste dag)"
    assert check_up("2025-03-24") == "2 dagen te laat"
    status = derive(D, traject, FACTS, day("2025-03-13")).status("check_up")
    assert status.window_text == "tussen 17 maart 2025 en 22 maart 2025"


def test_terms_without_a_window_behave_as_before() -> None:
    status = _status(GESPREK, "verslag_driehoeksgesprek", "2025-03-13")
    assert status.due_from is None and status.due == day("2025-03-19")
    assert status.term_label == "binnen één week na het gesprek"
    assert status.window_text == ""
    assert _status(GESPREK, "verslag_driehoeksgesprek", "2025-03-20").state is StepState.OVERDUE
    traject = build(*GESPREK, traject_id=4)
    tasks = open_tasks([traject], default_registry(), day("2025-03-13"))
    assert next(t for t in tasks if t.step_id == "verslag_driehoeksgesprek").days_text == "nog 6 dagen"


def test_done_inside_the_window_is_not_late() -> None:
    traject = build(*GESPREK, ("check_up", day("2025-03-21"), {}))
    status = derive(D, traject, FACTS, day("2025-03-25")).status("check_up")
    assert status.state is StepState.DONE and not status.done_late


def test_only_the_approximate_steps_have_a_window_and_the_file_says_so() -> None:
    with_window = {s.id for s in D.steps if s.term is not None and s.term.window is not None}
    assert with_window == {"check_up", "contact_manager_opleiders", "evaluatie_nieuwe_opleider"}
    assert all(s.term.approx for s in D.steps if s.id in with_window)  # type: ignore[union-attr]
    header = TEXT.split("[procedure]")[0]
    assert "window" in header and "beleidsmedewerker" in header
    for step_id in with_window:
        block = re.search(rf'id = "{step_id}"\n.*?(?=\n\[\[step\]\]|\Z)', TEXT, re.S)
        assert block is not None and "beleidsmedewerker" in block.group(0), step_id


def _mutate(step_id: str, old: str, new: str) -> str:
    match = re.search(rf'\[\[step\]\]\nid = "{step_id}"\n.*?(?=\n\[\[step\]\]|\Z)', TEXT, re.S)
    assert match is not None
    block = match.group(0)
    assert old in block, (step_id, old)
    return TEXT[: match.start()] + block.replace(old, new, 1) + TEXT[match.end() :]


BAD_WINDOWS = [
    ("from after until", "check_up", "from_days = 5, until_days = 10", "from_days = 10, until_days = 5",
     "'window': het begin (10 dagen) moet vóór het einde (5 dagen) liggen"),
    ("term outside the window", "check_up", "from_days = 5, until_days = 10", "from_days = 8, until_days = 10",
     "'window' (tussen 8 en 10 dagen) moet de termijn zelf (1 week) bevatten"),
    ("unknown key", "check_up", "from_days = 5", "from_dagen = 5", "onbekend veld 'from_dagen' in 'window'"),
    ("no end", "check_up", ", until_days = 10", "", "'window' moet een begin (from_*) en een einde (until_*) hebben"),
    ("not approximate", "check_up", "approx = true", "approx = false",
     "'window' hoort bij een termijn met approx = true (ongeveer, circa)"),
]


@pytest.mark.parametrize(("name", "step", "old", "new", "fault"), BAD_WINDOWS, ids=[b[0] for b in BAD_WINDOWS])
def test_a_bad_window_is_refused_naming_file_step_and_fault(name: str, step: str, old: str, new: str,
                                                              fault: str) -> None:
    with pytest.raises(DefinitionError) as info:
        parse_definition(_mutate(step, old, new), FILE)
    assert info.value.file == FILE and info.value.step == step
    assert info.value.fault == fault
    assert str(info.value) == f"Procedurebestand '{FILE}', stap '{step}': {fault}"
