"""Two documents about a traject (Utrecht section 6 and 7):

- the **overzicht van gesprekken en verslagen**: every step of the traject with its term, the day it was done,
  its state and, for a verslag, where it was archived — what the jaarassistent checks before closing a traject;
- the **stappenplan** per rol: the steps a role takes, in the procedure's order, with their terms; for a traject
  with its dates and states, or without any personal data, to hand out (section 7).

Plain data in, a `Document` out; the renderers (pdf, docx) make the files.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from ontkoppel_desktop.core.kalender import dutch_date
from ontkoppel_desktop.core.procedure.definition import ProcedureDefinition
from ontkoppel_desktop.core.procedure.engine import StepState, StepStatus, TrajectOverview
from ontkoppel_desktop.core.rollen import Rol
from ontkoppel_desktop.core.verslagen.verslag import ARCHIEFPLEKKEN, Verslag
from ontkoppel_desktop.documents.model import Block, Column, Document, Heading, KeyValues, Paragraph, Row, Table, Tone

_TONE: dict[StepState, Tone] = {
    StepState.DONE: "positive",
    StepState.OVERDUE: "negative",
    StepState.DUE: "accent",
    StepState.DEVIATED: "warning",
    StepState.SKIPPED: "warning",
}


def _datum(day: dt.date | None) -> str:
    return dutch_date(day) if day is not None else ""


# In a table of six columns a date stays on one line: "21 aug. 2026" (the Dutch abbreviations).
_MAANDEN = ("jan.", "feb.", "mrt.", "apr.", "mei", "jun.", "jul.", "aug.", "sep.", "okt.", "nov.", "dec.")


def _kort(day: dt.date | None) -> str:
    return f"{day.day} {_MAANDEN[day.month - 1]} {day.year}" if day is not None else ""


def _state(status: StepStatus) -> str:
    text = status.state.label
    if status.motivatie:
        text += f": {status.motivatie}"
    return text


def _archief(status: StepStatus, verslagen: Sequence[Verslag]) -> str:
    """Where the verslag of this gesprek (the one its recorded event has) was archived, and when; "" for a step
    that is no gesprek with a verslag."""
    event_id = status.done_event_id
    found = [v for v in verslagen if event_id is not None and v.gebeurtenis_id == event_id and v.definitief]
    if not found:
        return ""
    newest = max(found, key=lambda v: v.versie)
    parts = [f"{plek.label} {_kort(newest.gearchiveerd_op[plek])}" for plek in ARCHIEFPLEKKEN
             if plek in newest.gearchiveerd_op]
    if parts:
        return "; ".join(parts)
    return f"verstuurd {_kort(newest.verstuurd_op)}" if newest.verstuurd_op else "definitief, nog niet verstuurd"


def overzicht_document(overview: TrajectOverview, *, aios: str, opleider: str, verslagen: Sequence[Verslag],
                       today: dt.date) -> Document:
    """Every step of the traject: term, done, state and where its verslag was archived."""
    definition = overview.definition
    traject = overview.traject
    fase = "gesloten" if traject.closed else f"fase {overview.phase}" if overview.phase else "—"
    blocks: list[Block] = [KeyValues((
        ("Aios", aios),
        ("Opleider", opleider),
        ("Traject gestart", _datum(traject.start_date)),
        ("Stand", fase),
        ("Procedure", f"{definition.title} {definition.version}"),
    ))]
    for phase in definition.phases:
        statuses = [s for s in overview.statuses if s.step.phase == phase.number]
        if not statuses:
            continue
        blocks.append(Heading(f"Fase {phase.number}: {phase.title} ({phase.section})", 2))
        rows = [Row((s.step.short or s.step.title, s.term_label or "—", _kort(s.due), _kort(s.done_on), _state(s),
                     _archief(s, verslagen)), _TONE.get(s.state)) for s in statuses]
        blocks.append(Table((Column("Stap", 2.3), Column("Termijn", 2.0), Column("Uiterlijk", 1.2),
                             Column("Gedaan", 1.2), Column("Stand", 1.3), Column("Gearchiveerd", 1.8)),
                            tuple(rows), small=True))
    return Document(
        title="Overzicht van gesprekken en verslagen",
        subtitle=f"{aios}, traject sinds {_datum(traject.start_date)}",
        kicker=definition.institute or definition.title,
        header="Overzicht van gesprekken en verslagen",
        header_right=aios,
        footer_centre=f"Afgedrukt op {dutch_date(today)}",
        blocks=tuple(blocks),
    )


def stappenplan_document(definition: ProcedureDefinition, rol: Rol, *, overview: TrajectOverview | None = None,
                         aios: str = "", today: dt.date) -> Document:
    """The steps of one role in the procedure's order, with their terms; with `overview` the traject's dates and
    states, without it nothing personal (to hand out)."""
    blocks: list[Block] = [Paragraph(
        f"De stappen van de {rol.label.lower()} in de {definition.title.lower()} ({definition.version}), in de "
        "volgorde van de procedure. Termijnen zijn kalenderdagen zoals de procedure ze schrijft.")]
    statuses = {s.step.id: s for s in overview.for_role(rol)} if overview is not None else {}
    for phase in definition.phases:
        steps = [s for s in definition.steps_for_role(rol) if s.phase == phase.number]
        if not steps:
            continue
        blocks.append(Heading(f"Fase {phase.number}: {phase.title} ({phase.section})", 2))
        if overview is None:
            rows = tuple(Row((step.title, step.term.text if step.term else "—", step.section)) for step in steps)
            blocks.append(Table((Column("Stap", 4.0), Column("Termijn", 2.2), Column("Paragraaf", 0.8)), rows,
                                small=True))
        else:
            rows = tuple(
                Row((step.title, step.term.text if step.term else "—",
                     _kort(statuses[step.id].due) if step.id in statuses else "",
                     _state(statuses[step.id]) if step.id in statuses else "nog niet aan de orde"),
                    _TONE.get(statuses[step.id].state) if step.id in statuses else None)
                for step in steps)
            blocks.append(Table((Column("Stap", 3.4), Column("Termijn", 2.0), Column("Uiterlijk", 1.2),
                                 Column("Stand", 1.3)), rows, small=True))
    title = f"Stappenplan {rol.label.lower()}"
    return Document(
        title=title,
        subtitle=aios if overview is not None else f"{definition.title} {definition.version}",
        kicker=definition.institute or definition.title,
        header=title,
        header_right=aios if overview is not None else "",
        # Without personal data it may be handed out; with a traject it is confidential like every other.
        footer="Vertrouwelijk" if overview is not None else "",
        footer_centre=f"Afgedrukt op {dutch_date(today)}",
        blocks=tuple(blocks),
    )


__all__ = ["overzicht_document", "stappenplan_document"]
