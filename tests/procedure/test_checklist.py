"""The checklist ontkoppeling for jaarassistenten as data: its points ticked in the traject (each a gebeurtenis
with who and when), the administratieve afhandeling done with the last one, and undone by unticking one."""

from __future__ import annotations

import datetime as dt

import pytest

from ontkoppel_desktop.core.procedure import EventKind, RuleError, StepState, default_registry
from ontkoppel_desktop.core.procedure.checklist import bundled_checklist, parse_checklist
from ontkoppel_desktop.core.procedure.errors import DefinitionError
from ontkoppel_desktop.store.store import Store
from tests.verslagen.conftest import AUTEUR, TODAY, ontkoppel
from tests.verslagen.conftest import traject_id as traject_id  # noqa: F401 (the fixture)

DEFINITION = default_registry().current()


def _state(store: Store, traject_id: int, step: str) -> StepState:
    overview = store.trajecten.overview(store.trajecten.get(traject_id), TODAY)
    state = next(s.state for s in overview.statuses if s.step.id == step)
    return StepState.OPEN if state.is_open else state


def test_the_bundled_checklist_names_the_points_of_the_procedure() -> None:
    checklist = bundled_checklist(DEFINITION)
    assert checklist is not None and checklist.stap == "administratieve_afhandeling"
    ids = [p.id for p in checklist.punten]
    assert ids[:3] == ["ontkoppelingsmail", "family_traject", "family_koppeling"]
    assert "verslagen_archiveren" in ids


def test_a_faulty_checklist_is_refused_naming_the_file() -> None:
    with pytest.raises(DefinitionError, match="checklist.toml.*onbekende stap 'administratief'"):
        parse_checklist('[checklist]\ntitel = "x"\nstap = "administratief"\n[[punt]]\nid = "a"\ntekst = "b"\n',
                        "checklist.toml", DEFINITION)


def test_ticking_every_point_does_the_administratieve_afhandeling(store: Store, traject_id: int) -> None:
    svc = store.trajecten
    with pytest.raises(RuleError, match="formele besluit"):
        svc.vink(traject_id, "ontkoppelingsmail", dt.date(2026, 9, 16), user=AUTEUR, today=TODAY)
    ontkoppel(store, traject_id)
    checklist = bundled_checklist(DEFINITION)
    assert checklist is not None
    for i, punt in enumerate(checklist.punten):
        assert _state(store, traject_id, "administratieve_afhandeling") is StepState.OPEN
        svc.vink(traject_id, punt.id, dt.date(2026, 9, 16 + i), user=AUTEUR, today=TODAY)
    assert _state(store, traject_id, "administratieve_afhandeling") is StepState.DONE
    events = store.trajecten.get(traject_id).effective_events
    assert sum(e.kind is EventKind.CHECKLIST_PUNT for e in events) == len(checklist.punten)
    # A slip: unticking one opens the step again; the history keeps both.
    svc.ontvink(traject_id, "family_koppeling", user=AUTEUR, today=TODAY)
    assert _state(store, traject_id, "administratieve_afhandeling") is StepState.OPEN
    svc.vink(traject_id, "family_koppeling", dt.date(2026, 9, 25), user=AUTEUR, today=TODAY)
    assert _state(store, traject_id, "administratieve_afhandeling") is StepState.DONE
    with pytest.raises(RuleError, match="kent dit punt"):
        svc.vink(traject_id, "bestaat_niet", dt.date(2026, 9, 25), user=AUTEUR, today=TODAY)
