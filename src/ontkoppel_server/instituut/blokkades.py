"""The blokkades of opleiders, known institute-wide: kept from the trajecten's events, read by every role.

A traject blocks its opleider from one moment until a step, both named by the procedure ([rules.blokkade];
Utrecht: from the formal besluit until the manager opleiders' contact, 5.2.1 and 5.3.2). Who sees a traject is
limited (toegang.py), but whether an opleider may get a new aios matters to everyone who plans or guides
koppelingen. The table `blokkade` therefore holds one row per blocking traject: the opleider, since when, and what
it waits for; nothing of the aios. On a traject kept on the institute's Personen (`instituut`) the opleider is the
server's own, by its id; on another, the id is the starting laptop's and only the name says who it is. The server
rewrites a traject's row in the transaction that accepts its events (`werk_bij`, from gebeurtenissen.py), from the
same core rule the laptop uses (`blokkade_of`).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable

from ontkoppel_desktop.core.procedure import ProcedureDefinition, blokkade_of
from ontkoppel_desktop.core.procedure import Traject as CoreTraject
from ontkoppel_server.instituut import toegang
from ontkoppel_server.instituut.models import PERSONEN_INSTITUUT, Account, Blokkade, Traject

_VELDEN = ("opleider_id", "opleider_naam", "instituut", "sinds", "wacht_op")


def _rij(row: Traject, definition: ProcedureDefinition, traject: CoreTraject) -> Blokkade | None:
    blokkade = blokkade_of(definition, traject)
    if blokkade is None:
        return None
    return Blokkade(
        traject_id=row.pk, opleider_id=blokkade.opleider_id, opleider_naam=str(row.kop.get("opleider_naam") or ""),
        instituut=row.kop.get("personen") == PERSONEN_INSTITUUT, sinds=blokkade.sinds, wacht_op=blokkade.wacht_op,
    )


def werk_bij(trajecten: Iterable[tuple[Traject, ProcedureDefinition, CoreTraject]]) -> None:
    """Bring the rows of these trajecten (each with its accepted events) in line: insert, update or delete, and
    nothing where nothing changed. In the caller's transaction, as the caller's account."""
    nu: dict[uuid.UUID, Blokkade | None] = {row.pk: _rij(row, definition, traject) for row, definition, traject
                                            in trajecten}
    if not nu:
        return
    bestaand = {b.traject_id: b for b in Blokkade.objects.filter(traject_id__in=list(nu))}
    opgeheven = [pk for pk, rij in nu.items() if rij is None and pk in bestaand]
    if opgeheven:
        Blokkade.objects.filter(traject_id__in=opgeheven).delete()
    for pk, rij in nu.items():
        if rij is None:
            continue
        oud = bestaand.get(pk)
        if oud is None:
            rij.save(force_insert=True)
        elif any(getattr(oud, veld) != getattr(rij, veld) for veld in _VELDEN):
            rij.save(force_update=True, update_fields=_VELDEN)


def blokkade_json(b: Blokkade) -> dict[str, object]:
    return {
        "traject": str(b.traject_id),
        "opleider_id": b.opleider_id,
        "opleider_naam": b.opleider_naam,
        "instituut": b.instituut,
        "sinds": b.sinds.isoformat(),
        "wacht_op": b.wacht_op,
    }


def lijst(account: Account) -> list[dict[str, object]]:
    """Every blokkade at the institute, by the opleider's name (for an account with a role)."""
    with toegang.als_account(account):
        rows = toegang.blokkades(account).order_by("opleider_naam", "sinds", "traject_id")
        return [blokkade_json(b) for b in rows]
