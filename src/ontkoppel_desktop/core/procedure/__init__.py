"""The ontkoppeling procedure as data and the engine that derives steps, terms and tasks per role for a
traject.

No Qt, no SQL. The procedure's content (steps, titles, roles, terms, where verslagen go) lives in versioned
TOML files under resources/procedures/; this package knows event kinds and generic rules only.
"""

from __future__ import annotations

from ontkoppel_desktop.core.kalender import add_months, dutch_date, shift
from ontkoppel_desktop.core.procedure.blokkade import Blokkade, blokkade_of, blokkades, opleider_geblokkeerd
from ontkoppel_desktop.core.procedure.correcties import new_correctie, new_intrekking
from ontkoppel_desktop.core.procedure.definition import (
    PhaseDefinition,
    ProcedureDefinition,
    StepDefinition,
    Term,
    VerslagBestemming,
    Window,
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
from ontkoppel_desktop.core.procedure.events import (
    CORRECTIE_KINDS,
    EventKind,
    FieldSpec,
    FieldType,
    TrajectEvent,
    new_event,
)
from ontkoppel_desktop.core.procedure.feestdagen import day_warning
from ontkoppel_desktop.core.procedure.history import HistoryLine, describe, history, wijziging
from ontkoppel_desktop.core.procedure.koppeling_gevolgen import (
    KoppelingActie,
    KoppelingWijziging,
    koppeling_wijzigingen,
)
from ontkoppel_desktop.core.procedure.loader import (
    ProcedureRegistry,
    default_registry,
    load_definition,
    load_registry,
    parse_definition,
)
from ontkoppel_desktop.core.procedure.rules import (
    check,
    event_for_step,
    event_label,
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
    laatste_dag_oude_praktijk,
    verwachte_einddatum,
    verwachte_einddatum_traject,
    wachttijd,
)

__all__ = [
    "CORRECTIE_KINDS",
    "Agenda",
    "AiosFacts",
    "Blokkade",
    "Categorie",
    "DefinitionError",
    "EventKind",
    "FieldSpec",
    "FieldType",
    "HistoryLine",
    "KoppelingActie",
    "KoppelingWijziging",
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
    "Window",
    "add_months",
    "blokkade_of",
    "blokkades",
    "check",
    "day_warning",
    "default_registry",
    "derive",
    "describe",
    "dutch_date",
    "event_for_step",
    "event_label",
    "history",
    "is_ontkoppeld",
    "koppeling_wijzigingen",
    "laatste_dag_oude_praktijk",
    "load_definition",
    "load_registry",
    "new_correctie",
    "new_intrekking",
    "new_event",
    "open_steps",
    "open_tasks",
    "opleider_geblokkeerd",
    "opleidingsmaand",
    "parse_definition",
    "record",
    "record_new",
    "require_ontkoppeld",
    "shift",
    "start_traject",
    "task_of",
    "task_sort_key",
    "tasks_of",
    "verwachte_einddatum",
    "verwachte_einddatum_traject",
    "voortgang_advies",
    "wachttijd",
    "wijziging",
]
