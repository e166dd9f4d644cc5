"""The ontkoppeling procedure as data and the engine that derives steps, terms and tasks per role for a
traject.

No Qt, no SQL. The procedure's content (steps, titles, roles, terms, where verslagen go) lives in versioned
TOML files under resources/procedures/; this package knows event kinds and generic rules only.
"""

from __future__ import annotations

from ontkoppel_desktop.core.procedure.blokkade import Blokkade, blokkade_of, blokkades, opleider_geblokkeerd
from ontkoppel_desktop.core.procedure.dates import add_months, day_warning, dutch_date
from ontkoppel_desktop.core.procedure.definition import (
    PhaseDefinition,
    ProcedureDefinition,
    StepDefinition,
    Term,
    VerslagBestemming,
)
from ontkoppel_desktop.core.procedure.engine import (
    Agenda,
    StepState,
    StepStatus,
    TrajectOverview,
    derive,
    open_steps,
)
from ontkoppel_desktop.core.procedure.errors import DefinitionError, RuleError, UnknownProcedureError
from ontkoppel_desktop.core.procedure.events import EventKind, FieldSpec, FieldType, TrajectEvent, new_event
from ontkoppel_desktop.core.procedure.history import HistoryLine, describe, history
from ontkoppel_desktop.core.procedure.loader import (
    ProcedureRegistry,
    default_registry,
    load_definition,
    load_registry,
    parse_definition,
)
from ontkoppel_desktop.core.procedure.rules import (
    event_for_step,
    is_ontkoppeld,
    record,
    record_new,
    require_ontkoppeld,
)
from ontkoppel_desktop.core.procedure.tasks import Task, open_tasks, task_of, task_sort_key, tasks_of
from ontkoppel_desktop.core.procedure.traject import AiosFacts, Categorie, Startreden, Traject, start_traject
from ontkoppel_desktop.core.procedure.voortgang import VoortgangAdvies, opleidingsmaand, voortgang_advies
from ontkoppel_desktop.core.procedure.wachttijd import (
    Wachttijd,
    verwachte_einddatum,
    verwachte_einddatum_traject,
    wachttijd,
)

__all__ = [
    "Agenda",
    "AiosFacts",
    "Blokkade",
    "Categorie",
    "DefinitionError",
    "EventKind",
    "FieldSpec",
    "FieldType",
    "HistoryLine",
    "PhaseDefinition",
    "ProcedureDefinition",
    "ProcedureRegistry",
    "RuleError",
    "Startreden",
    "StepDefinition",
    "StepState",
    "StepStatus",
    "Task",
    "Term",
    "Traject",
    "TrajectEvent",
    "TrajectOverview",
    "UnknownProcedureError",
    "VerslagBestemming",
    "VoortgangAdvies",
    "Wachttijd",
    "add_months",
    "blokkade_of",
    "blokkades",
    "day_warning",
    "default_registry",
    "derive",
    "describe",
    "dutch_date",
    "event_for_step",
    "history",
    "is_ontkoppeld",
    "load_definition",
    "load_registry",
    "new_event",
    "open_steps",
    "open_tasks",
    "opleider_geblokkeerd",
    "opleidingsmaand",
    "parse_definition",
    "record",
    "record_new",
    "require_ontkoppeld",
    "start_traject",
    "task_of",
    "task_sort_key",
    "tasks_of",
    "verwachte_einddatum",
    "verwachte_einddatum_traject",
    "voortgang_advies",
    "wachttijd",
]
