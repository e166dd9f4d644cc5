"""Defect 4, the other half: no stored value may stop the engine. Whatever dates a store holds (year 1, year 9999,
a date field that is no date, a traject recorded before any rule checked it), every derivation answers, with None
or "unknown" where it cannot compute, and never raises."""

from __future__ import annotations

import contextlib
import datetime as dt
from dataclasses import replace
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ontkoppel_desktop.core.procedure import (
    AiosFacts,
    Categorie,
    EventKind,
    FieldType,
    RuleError,
    Startreden,
    Traject,
    TrajectEvent,
    blokkades,
    check,
    default_registry,
    derive,
    history,
    open_steps,
    open_tasks,
    task_sort_key,
    verwachte_einddatum_traject,
    voortgang_advies,
    wachttijd,
)
from ontkoppel_desktop.core.procedure.koppeling_gevolgen import koppeling_wijzigingen
from ontkoppel_desktop.core.procedure.wachttijd import Wachttijd

from .builders import D

EXTREME = [dt.date.min, dt.date(1, 1, 31), dt.date(9999, 12, 1), dt.date.max, dt.date(9000, 1, 1)]
days = st.one_of(st.sampled_from(EXTREME), st.dates(), st.dates(dt.date(2024, 1, 1), dt.date(2026, 12, 31)))
moments = st.datetimes(min_value=dt.datetime(1, 1, 2), max_value=dt.datetime(9999, 12, 30), timezones=st.just(dt.UTC))
STEP_IDS = [s.id for s in D.steps]


def _value(spec_type: FieldType, choices: tuple[str, ...], ids: list[str]) -> st.SearchStrategy[Any]:
    if spec_type is FieldType.DATE:
        return st.one_of(days.map(dt.date.isoformat), st.sampled_from(["", "gisteren", "2025-02-30", "99999-01-01"]))
    if spec_type is FieldType.BOOL:
        return st.booleans()
    if spec_type in (FieldType.INT, FieldType.ID):
        return st.one_of(st.integers(-(10**12), 10**12), st.sampled_from([0, 14, 10, 20, 30]))
    if spec_type is FieldType.CHOICE:
        return st.sampled_from([*choices, "onzin"])
    if spec_type is FieldType.CHOICES:
        return st.lists(st.sampled_from([*choices, "onzin"]), max_size=3)
    if spec_type is FieldType.STEP:
        return st.sampled_from([*STEP_IDS, "bestaat_niet"])
    if spec_type is FieldType.EVENT:
        return st.sampled_from([*ids, "bestaat-niet"]) if ids else st.just("bestaat-niet")
    if spec_type is FieldType.DATA:
        return st.dictionaries(st.sampled_from(["startdatum", "laatste_dag_oude_praktijk", "uitkomst", "besluit",
                                                "opleider_id", "onbekend"]),
                               st.one_of(days.map(dt.date.isoformat), st.integers(), st.text(max_size=3), st.none()),
                               max_size=3)
    return st.text(max_size=5)


@st.composite
def trajecten(draw: st.DrawFn, traject_id: int = 1) -> Traject:
    events: list[TrajectEvent] = []
    first = draw(st.sampled_from([EventKind.SIGNAAL, EventKind.ZIEKMELDING]))
    kinds = [first, *draw(st.lists(st.sampled_from(list(EventKind)), max_size=18))]
    for n, kind in enumerate(kinds):
        ids = [e.id for e in events]
        data: dict[str, Any] = {}
        for name, spec in kind.fields.items():
            if spec.required or draw(st.booleans()):
                data[name] = draw(_value(spec.type, spec.choices, ids))
        events.append(TrajectEvent(f"e{n}", kind, draw(days), data, draw(moments), "Test"))
    return Traject(traject_id, 5, 10, 20, D.id, D.version, Startreden.SIGNAAL_AIOS, Categorie.OVERIG, tuple(events))


facts = st.one_of(st.none(), st.builds(AiosFacts, st.integers(0, 4), st.one_of(st.none(), days),
                                       st.one_of(st.none(), days), st.integers(0, 100)))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(trajecten(), facts, days, st.lists(days, max_size=3))
def test_no_stored_value_stops_the_engine(traject: Traject, aios: AiosFacts | None, today: dt.date,
                                          agenda_days: list[dt.date]) -> None:
    registry = default_registry()
    agenda = {"opleidersterugkomdagen": sorted(agenda_days)}
    overview = derive(D, traject, aios, today, agenda)
    for status in overview.statuses:
        _ = (status.days_left, status.due_warning, status.term_label, status.window_text, status.days_text,
             status.done_late, status.key)
    open_steps(D, traject, aios, today, agenda)
    for task in open_tasks([traject], registry, today, facts={10: aios} if aios else None, agenda=agenda):
        _ = (task.days_text, task.uid, task.due_warning, task.term_label, task_sort_key(task))
    blokkades([traject], registry)
    w = wachttijd(traject, today)
    if w is not None:
        assert isinstance(w, Wachttijd) and w.dagen >= 0
        _ = (w.uitleg, w.dagen_niet_meegeteld)
    if aios is not None:
        verwachte_einddatum_traject(traject, aios, today)
        voortgang_advies(D, traject, aios)
    for line in history(D, traject, names={20: "Oud"}):
        _ = line.line
    for i, event in enumerate(traject.events):
        if event.kind.is_correctie:
            koppeling_wijzigingen(replace(traject, events=traject.events[:i]), event)


@st.composite
def new_events(draw: st.DrawFn, traject: Traject) -> TrajectEvent:
    kind = draw(st.sampled_from(list(EventKind)))
    ids = [e.id for e in traject.events]
    data: dict[str, Any] = {}
    for name, spec in kind.fields.items():
        if spec.required or draw(st.booleans()):
            data[name] = draw(_value(spec.type, spec.choices, ids))
    return TrajectEvent("nieuw", kind, draw(days), data)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data(), facts, days)
def test_the_rules_say_no_in_dutch_and_never_crash(data: st.DataObject, aios: AiosFacts | None,
                                                    today: dt.date) -> None:
    traject = data.draw(trajecten())
    event = data.draw(new_events(traject))
    with contextlib.suppress(RuleError):  # a refusal is fine; any other exception is the failure
        check(D, traject, event, facts=aios, today=today)


def test_a_range_around_a_stored_year_1_does_not_crash_the_rules() -> None:
    y1 = dt.date(1, 3, 1)
    stored = (
        TrajectEvent("a", EventKind.SIGNAAL, y1, {"bron": "aios"}),
        TrajectEvent("b", EventKind.DRIEHOEKSGESPREK, y1, {}),
        TrajectEvent("c", EventKind.UITKOMST, y1, {"uitkomst": "advies_ontkoppeling"}),
        TrajectEvent("d", EventKind.BESLUIT_ONTKOPPELING, y1, {"besluit": "ontkoppelen", "door": "x"}),
        TrajectEvent("e", EventKind.KENNISMAKINGSGESPREK, y1, {"opleider_id": 3, "aios_ja": True, "opleider_ja": True}),
    )
    traject = Traject(1, 5, 10, 20, D.id, D.version, Startreden.SIGNAAL_AIOS, Categorie.OVERIG, stored)
    event = TrajectEvent("n", EventKind.NIEUWE_KOPPELING_BEVESTIGD, y1, {"opleider_id": 3, "startdatum": "0001-04-01"})
    check(D, traject, event, today=dt.date(2026, 1, 1))


def test_far_future_today_computes_every_open_step() -> None:
    """The store computes the open steps once with a far-future `today` and compares with today in SQL."""
    from ontkoppel_desktop.demo.trajecten import DemoKoppeling, demo_trajecten

    today = dt.date(2026, 11, 23)
    trajecten_ = demo_trajecten(D, [DemoKoppeling(i, 100 + i, 200 + i) for i in range(20)], [300, 301], today)
    for traject in trajecten_:
        far = {s.key: s for s in open_steps(D, traject, None, dt.date(9000, 1, 1))}
        for status in open_steps(D, traject, None, today):
            if status.due is not None:
                assert far[status.key].due == status.due and far[status.key].due_from == status.due_from
        for end in (dt.date(9999, 12, 31), dt.date.max):
            open_steps(D, traject, None, end)


@pytest.mark.parametrize("stap", ["\x08", "geen\x1b[31mstap", "x" * 500, "stap\nmet regel"])
def test_an_unknown_step_is_quoted_escaped_and_short(stap: str) -> None:
    """Found by the forms corpus: the message quoted the typed step as is, a control character included."""
    from ontkoppel_desktop.core.procedure import EventKind, RuleError
    from tests.procedure.builders import build, day

    with pytest.raises(RuleError) as raised:
        build((EventKind.STAP_UITGEVOERD, day("2025-03-10"), {"stap": stap, "bij": "Test"}))
    message = str(raised.value)
    assert "de procedure kent geen stap" in message or "ongeldige waarde" in message
    assert not any(ord(c) < 32 for c in message), repr(message)
    assert len(message) < 200
