"""Who may record an event on a traject they see: each role records its own steps (issue 15).

Seeing a traject (toegang.py) is not enough to write on it. The docent of the traject's groep may record anything
the procedure's rules allow: the docent's laptop records on behalf of others, as the single-laptop app always
did. Any other account records only
- an event that finishes a step of the procedure whose `roles` include one of its roles on this traject: the step
  a stap_uitgevoerd or afwijking names, the step a checklist_punt's checklist completes, otherwise every step the
  event is `done_by`;
- an intrekking or correctie of an event it recorded itself.

An account's roles on a traject are those whose scope covers it: a jaarassistent or manager opleiding of the
traject's opleidingsjaar, and the institute-wide roles (a docent of another groep is no docent here). Plain Python,
no Django: the rule is tested on its own as well as through the API.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass

from ontkoppel_desktop.core.procedure import EventKind, ProcedureDefinition, StepDefinition, TrajectEvent
from ontkoppel_desktop.core.procedure.checklist import bundled_checklist
from ontkoppel_desktop.core.rollen import Rol

# Roles of the procedure that no account holds (the aios and the opleider themselves): the docent records their
# steps, so a refusal does not send the user to them.
_ZONDER_ACCOUNT = (Rol.AIOS, Rol.OPLEIDER)


@dataclass(frozen=True, slots=True)
class RolBereik:
    """One role of an account with its scope, as plain values (models.AccountRol)."""

    rol: Rol
    groep_id: int | None = None
    opleidingsjaar: int | None = None

    def omvat(self, groep_id: int, opleidingsjaar: int) -> bool:
        """Whether this role counts on a traject of this groep and opleidingsjaar."""
        if self.rol is Rol.DOCENTEN:
            return self.groep_id == groep_id
        if self.rol.per_opleidingsjaar:
            return self.opleidingsjaar == opleidingsjaar
        return True


def stappen_van(definition: ProcedureDefinition, event: TrajectEvent) -> tuple[StepDefinition, ...]:
    """The steps of the procedure this event finishes, or works on."""
    if event.kind in (EventKind.STAP_UITGEVOERD, EventKind.AFWIJKING):
        # Their done_by names only the kind (any stap_uitgevoerd): the step is the one in the event.
        stap = event.text("stap")
        return (definition.step(stap),) if definition.has_step(stap) else ()
    if event.kind is EventKind.CHECKLIST_PUNT:
        checklist = bundled_checklist(definition)
        if checklist is None or not definition.has_step(checklist.stap):
            return ()
        return (definition.step(checklist.stap),)
    if event.kind is EventKind.VERSLAG_GEARCHIVEERD:
        # Archiving in one place of two works on the step that the second place finishes (`bestemming = "beide"`
        # in its done_by): the step is the one of the same gesprek, wherever this event archived it.
        gesprek = event.text("gesprek")
        return tuple(
            step for step in definition.steps_completed_by(EventKind.VERSLAG_GEARCHIVEERD)
            if all(gesprek in allowed for key, allowed in step.done_by.data if key == "gesprek")
        )
    return tuple(step for step in definition.steps if step.done_by.matches(event))


def _opsomming(woorden: list[str], voegwoord: str) -> str:
    """'a', 'a en b', 'a, b en c'."""
    if len(woorden) < 2:
        return "".join(woorden)
    return f"{', '.join(woorden[:-1])} {voegwoord} {woorden[-1]}"


def _uniek(rollen: Iterable[Rol]) -> list[Rol]:
    return list(dict.fromkeys(rollen))


def weigering(
    definition: ProcedureDefinition,
    rollen: Iterable[RolBereik],
    groep_id: int,
    opleidingsjaar: int,
    eigen: Collection[str],
    event: TrajectEvent,
) -> str | None:
    """None when an account with these `rollen` may record `event` on a traject of this groep and opleidingsjaar;
    otherwise why not, in Dutch, to follow "... is niet vastgelegd: ". `eigen` holds the ids of the traject's
    events this account recorded (for an intrekking or correctie)."""
    rollen = tuple(rollen)
    if any(r.rol is Rol.DOCENTEN and r.groep_id == groep_id for r in rollen):
        return None
    hier = _uniek(r.rol for r in rollen if r.omvat(groep_id, opleidingsjaar))
    if event.kind.is_correctie:
        if event.text("gebeurtenis") in eigen:
            return None
        wat = "intrekken" if event.kind is EventKind.GEBEURTENIS_INGETROKKEN else "corrigeren"
        return (
            f"u kunt alleen een gebeurtenis {wat} die u zelf hebt vastgelegd. Vraag de docent van de groep, of "
            "wie haar heeft vastgelegd, dit te doen."
        )
    stappen = stappen_van(definition, event)
    if any(rol in step.roles for step in stappen for rol in hier):
        return None
    if hier:
        labels = _opsomming([r.label.lower() for r in hier], "en")
        reden = f"dit is geen stap voor uw {'rol' if len(hier) == 1 else 'rollen'} ({labels})."
    else:
        reden = "uw rol bij het instituut omvat dit traject niet."
    verantwoordelijk = _uniek(
        rol for step in stappen for rol in step.roles if rol is not Rol.DOCENTEN and rol not in _ZONDER_ACCOUNT
    )
    if verantwoordelijk:
        wie = _opsomming([r.label.lower() for r in verantwoordelijk], "of")
        return f"{reden} Vraag de docent van de groep of de verantwoordelijke rol ({wie}) dit vast te leggen."
    return f"{reden} Vraag de docent van de groep dit vast te leggen."
