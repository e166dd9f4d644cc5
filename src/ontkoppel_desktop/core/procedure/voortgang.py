"""Voortgangsbeoordeling (Utrecht 5.2.3): the training month at the ontkoppeling and what it means.

The month is counted in calendar months since the startdatum opleiding, not corrected for deeltijd. Why: the
procedure speaks of "na de derde en vóór de negende maand" without any correction, and the question it answers
is whether a new opleider still has time to reach a correct beoordeling; that time runs in calendar months
whatever the aios's percentage. For a part-time aios the beoordeling lies later in calendar time, so calendar
months make the decision task appear rather too early than too late, and the plv. hoofd decides anyway.
Interruptions of the training (ziekte, zwangerschapsverlof) are not subtracted either; the decision records
what applies.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from ontkoppel_desktop.core.kalender import months_between
from ontkoppel_desktop.core.procedure.definition import ProcedureDefinition, VoortgangRule
from ontkoppel_desktop.core.procedure.errors import RuleError
from ontkoppel_desktop.core.procedure.traject import AiosFacts, Traject


def opleidingsmaand(startdatum_opleiding: dt.date, op: dt.date) -> int:
    """Which month of the training `op` falls in: 1 in the first calendar month after the start, 4 once three
    whole calendar months have passed. "Na de derde maand" is month 4 or later; "vóór de negende" is month 8
    or earlier; "na de vijfde" is month 6 or later."""
    return months_between(startdatum_opleiding, op) + 1


@dataclass(frozen=True, slots=True)
class VoortgangAdvies:
    ontkoppeld_op: dt.date
    maand: int  # the training month at the ontkoppeling
    besluit_nodig: bool  # after month `after_month` and before month `before_month` of the rule's year
    verlenging_voorgesteld: bool  # after month `verlenging_default_after_month`: verlenging is the rule


def advise(rule: VoortgangRule, ontkoppeld_op: dt.date, facts: AiosFacts) -> VoortgangAdvies | None:
    """None when the rule does not concern this aios (another opleidingsjaar) or the start date is unknown."""
    if facts.opleidingsjaar != rule.opleidingsjaar or facts.startdatum_opleiding is None:
        return None
    maand = opleidingsmaand(facts.startdatum_opleiding, ontkoppeld_op)
    return VoortgangAdvies(
        ontkoppeld_op=ontkoppeld_op,
        maand=maand,
        besluit_nodig=rule.after_month < maand < rule.before_month,
        verlenging_voorgesteld=maand > rule.verlenging_default_after_month,
    )


def voortgang_advies(
    definition: ProcedureDefinition, traject: Traject, facts: AiosFacts
) -> VoortgangAdvies | None:
    """The advice for this traject: None before the ontkoppeling, or when the rule does not apply."""
    rule = definition.voortgang
    if rule is None:
        return None
    event = definition.moments[rule.at_moment].first(traject.effective_events)
    if event is None:
        return None
    return advise(rule, event.date, facts)


def check_voortgang_besluit(advies: VoortgangAdvies | None, *, verlenging: bool, motivatie: str) -> None:
    """Utrecht 5.2.3: after the fifth month verlenging is the rule "tenzij er heel sterke argumenten tegen een
    verlenging zijn": deciding against it needs a motivation."""
    if advies is not None and advies.verlenging_voorgesteld and not verlenging and not motivatie.strip():
        raise RuleError(
            f"De ontkoppeling viel in maand {advies.maand} van de opleiding: verlenging is dan het "
            "uitgangspunt. Geef een motivatie als er niet verlengd wordt."
        )
