"""What the Trajecten and Taken views share: state colours and words, names of people, today."""

from __future__ import annotations

from datetime import date

from ontkoppel_desktop.core.procedure import StepState, Task
from ontkoppel_desktop.core.rollen import Rol

# Colour is a second signal only: every row also says its state in words.
STATE_COLOURS: dict[StepState, str] = {
    StepState.OVERDUE: "#f9d6d2",
    StepState.DONE: "#e3f2e5",
    StepState.DEVIATED: "#e8e1f5",
    StepState.SKIPPED: "#e8e1f5",
}
SOON_COLOUR = "#fff1c2"
SOON_DAYS = 7


def state_colour(state: StepState, days_left: int | None) -> str | None:
    if state in STATE_COLOURS:
        return STATE_COLOURS[state]
    if state is StepState.DUE and days_left is not None and days_left <= SOON_DAYS:
        return SOON_COLOUR
    return None


def task_status(task: Task) -> str:
    if task.state is StepState.OVERDUE:
        return "Te laat"
    if task.days_left == 0:
        return "Vandaag"
    if task.days_left is not None and task.days_left <= SOON_DAYS:
        return "Binnenkort"
    return "Open" if task.due is None else "Lopend"


def roles_text(roles: tuple[Rol, ...]) -> str:
    return ", ".join(r.label.lower() if i else r.label for i, r in enumerate(roles))


def today() -> date:
    return date.today()
