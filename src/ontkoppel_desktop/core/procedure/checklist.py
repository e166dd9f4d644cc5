"""The checklist ontkoppeling for jaarassistenten (Utrecht, section 4) as data: its points, read from
`checklist.toml` beside the procedure version's definition file, and which of them a traject has ticked.

A tick is a gebeurtenis of the traject (`checklist_punt`), so it has its who and when in the history and an
untick is an intrekking. When every point is ticked, the step the checklist completes (`stap`, the
administratieve afhandeling) is recorded as done; `TrajectService.vink` and `.ontvink` do that.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from importlib.abc import Traversable
from pathlib import Path

from ontkoppel_desktop.core.procedure.definition import ProcedureDefinition
from ontkoppel_desktop.core.procedure.errors import DefinitionError
from ontkoppel_desktop.core.procedure.events import EventKind, TrajectEvent
from ontkoppel_desktop.core.procedure.loader import procedures_directory
from ontkoppel_desktop.core.procedure.traject import Traject


@dataclass(frozen=True, slots=True)
class Punt:
    id: str
    tekst: str
    toelichting: str = ""


@dataclass(frozen=True, slots=True)
class Checklist:
    titel: str
    stap: str  # the step of the procedure that is done when every point is ticked
    punten: tuple[Punt, ...]

    def punt(self, punt_id: str) -> Punt | None:
        return next((p for p in self.punten if p.id == punt_id), None)


def parse_checklist(text: str, file: str, definition: ProcedureDefinition) -> Checklist:
    """The checklist of one procedure version; a fault is refused naming the file and what is wrong."""
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise DefinitionError(file, None, f"geen geldige TOML ({exc})") from None
    head = raw.get("checklist")
    if not isinstance(head, dict) or not isinstance(head.get("titel"), str) or not isinstance(head.get("stap"), str):
        raise DefinitionError(file, None, "[checklist] met 'titel' en 'stap' ontbreekt")
    if not definition.has_step(head["stap"]):
        raise DefinitionError(file, None, f"[checklist] noemt onbekende stap '{head['stap']}'")
    punten: list[Punt] = []
    for item in raw.get("punt", []):
        if not isinstance(item, dict) or not all(isinstance(item.get(k, ""), str) for k in ("id", "tekst",
                                                                                          "toelichting")):
            raise DefinitionError(file, None, "een [[punt]] heeft 'id' en 'tekst' als tekst")
        if not item.get("id") or not item.get("tekst"):
            raise DefinitionError(file, None, "een [[punt]] zonder 'id' of 'tekst'")
        if any(p.id == item["id"] for p in punten):
            raise DefinitionError(file, None, f"punt '{item['id']}' staat twee keer in de checklist")
        punten.append(Punt(item["id"], item["tekst"].strip(), str(item.get("toelichting", "")).strip()))
    if not punten:
        raise DefinitionError(file, None, "de checklist heeft geen punten ([[punt]])")
    return Checklist(head["titel"].strip(), head["stap"], tuple(punten))


def load_checklist(definition: ProcedureDefinition, root: Traversable | Path | None = None) -> Checklist | None:
    """The checklist beside this procedure version's definition file, or None when it has none."""
    folder = (root if root is not None else procedures_directory()).joinpath(definition.file.removesuffix(".toml"))
    path = folder.joinpath("checklist.toml")
    if not path.is_file():
        return None
    return parse_checklist(path.read_text(encoding="utf-8"), path.name, definition)


_BUNDLED: dict[tuple[str, str], Checklist | None] = {}


def bundled_checklist(definition: ProcedureDefinition) -> Checklist | None:
    if definition.key not in _BUNDLED:
        _BUNDLED[definition.key] = load_checklist(definition)
    return _BUNDLED[definition.key]


def afgevinkt(traject: Traject, checklist: Checklist) -> dict[str, TrajectEvent]:
    """Per ticked point the event that ticked it (withdrawn ticks do not count)."""
    result: dict[str, TrajectEvent] = {}
    for event in traject.effective_events:
        if event.kind is EventKind.CHECKLIST_PUNT and checklist.punt(event.text("punt")) is not None:
            result.setdefault(event.text("punt"), event)
    return result


__all__ = ["Checklist", "Punt", "afgevinkt", "bundled_checklist", "load_checklist", "parse_checklist"]
