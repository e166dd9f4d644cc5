"""Taken & termijnen as an Excel workbook: the tasks the list shows, in its order (late first), for a jaarassistent
who plans in Excel or mails a week's list. Written through exchange/werkmap_schrijven like every workbook of the
app: text as text and neutralised against formulas, dates as dates (Excel sorts and filters them), whole or not
at all; the state in the list's words (task_status), never only a colour."""

from __future__ import annotations

import os
from collections.abc import Sequence
from datetime import date

from ontkoppel_desktop.core.procedure.readmodel import TaakRij
from ontkoppel_desktop.exchange.werkmap_schrijven import Werkmap, write_cells, write_workbook
from ontkoppel_desktop.ui.trajecten.common import roles_text, task_status

# (title, width in characters); the Taak and the term in words wrap.
KOLOMMEN: tuple[tuple[str, float], ...] = (
    ("Status", 12), ("Dagen", 20), ("Termijn", 12), ("Venster vanaf", 13), ("Weekend of feestdag", 18),
    ("Taak", 42), ("Paragraaf", 10), ("Wie", 32), ("Aios", 26), ("Opleider", 26), ("Termijn in woorden", 50),
)


def rij(r: TaakRij) -> tuple[object, ...]:
    task = r.task
    status = task.status
    return (
        task_status(task), task.days_text, task.due, status.due_from, task.due_warning or "", task.title,
        task.section, roles_text(task.roles), r.aios_naam.sorteernaam, r.opleider_naam.sorteernaam,
        " — ".join(t for t in (status.term_label, status.window_text) if t),
    )


def write_taken(pad: str | os.PathLike[str], rows: Sequence[TaakRij], today: date) -> None:
    """The rows at `pad`. Raises NietGeschreven or BestandBezet (Dutch), as every export."""

    def fill(werkmap: Werkmap) -> None:
        ws = werkmap.sheet("Taken", [t for t, _ in KOLOMMEN], [w for _, w in KOLOMMEN],
                           wrapped={5, len(KOLOMMEN) - 1})
        for number, r in enumerate(rows, start=1):
            write_cells(ws, number, rij(r))
        ws.autofilter(0, 0, max(len(rows), 1), len(KOLOMMEN) - 1)
        # Where the list stood, so a printed or mailed sheet says which day "te laat" is counted from.
        ws.set_header(f"&LTaken && termijnen&R{today.strftime('%d-%m-%Y')}")  # "&&": a literal "&" there

    write_workbook(pad, fill)


__all__ = ["KOLOMMEN", "rij", "write_taken"]
