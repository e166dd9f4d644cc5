"""A task is a row: traject, koppeling, aios and opleider ids with the step status, so a task list can be built from
stored rows without loading trajecten."""

from __future__ import annotations

import dataclasses

from ontkoppel_desktop.core.procedure import Task, default_registry, derive, open_tasks, task_of, task_sort_key

from .builders import AIOS, FACTS, OPLEIDER, D, build, day


def test_a_task_holds_ids_and_the_status_not_the_traject() -> None:
    assert [f.name for f in dataclasses.fields(Task)] == [
        "traject_id", "koppeling_id", "aios_id", "opleider_id", "status"]
    traject = build(("driehoeksgesprek", day("2025-03-12"), {}), traject_id=9)
    status = derive(D, traject, FACTS, day("2025-03-20")).status("verslag_driehoeksgesprek")
    from_row = Task(traject_id=9, koppeling_id=5, aios_id=AIOS, opleider_id=OPLEIDER, status=status)
    assert from_row == task_of(traject, status)
    assert (from_row.uid, from_row.days_text, from_row.step_id, from_row.overdue) == (
        "traject-9-verslag_driehoeksgesprek", "1 dag te laat", "verslag_driehoeksgesprek", True)
    assert task_sort_key(from_row) == (0, day("2025-03-19"), 9, status.step.order)
    listed = next(t for t in open_tasks([traject], default_registry(), day("2025-03-20"))
                  if t.step_id == "verslag_driehoeksgesprek")
    assert listed == from_row
    assert not hasattr(listed, "traject")
