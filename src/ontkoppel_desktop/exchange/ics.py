"""Export of terms to an .ics calendar file, so a docent can import them in Outlook.

One all-day VEVENT per open task with a term, on the term's day as the procedure counts it (never moved; a
weekend or holiday is said in the description). UIDs are stable (traject id + step occurrence), so importing a
newer export updates the same appointments instead of adding copies.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from pathlib import Path

from icalendar import Calendar, Event

from ontkoppel_desktop import APP_NAME, __version__
from ontkoppel_desktop.core.kalender import dutch_date
from ontkoppel_desktop.core.procedure.tasks import Task
from ontkoppel_desktop.exchange.bestand_schrijven import schrijf_export

UID_DOMAIN = "ontkoppel-desktop"


def task_uid(task: Task) -> str:
    return f"{task.uid}@{UID_DOMAIN}"


def tasks_to_ics(
    tasks: Iterable[Task],
    *,
    label_of: Callable[[Task], str] | None = None,
    now: dt.datetime | None = None,
    calendar_name: str = "Termijnen ontkoppelingstrajecten",
) -> bytes:
    """The tasks with a term as an iCalendar file. `label_of` names the traject in the summary (e.g. the
    aios); leave it out to export without names."""
    stamp = now or dt.datetime.now(dt.UTC)
    cal = Calendar()
    cal.add("prodid", f"-//{APP_NAME}//{__version__}//NL")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", calendar_name)
    for task in tasks:
        if task.due is None:
            continue
        who = label_of(task) if label_of is not None else ""
        summary = f"Termijn: {task.short}" + (f" ({who})" if who else "")
        lines = [
            task.title,
            f"Wie: {', '.join(r.label for r in task.roles)}",
            f"Termijn: {task.term_label} — {dutch_date(task.due, weekday=True)}",
            f"Procedure: paragraaf {task.section}, fase {task.phase}",
        ]
        if task.due_warning:
            lines.append(f"Let op: de termijn valt op {task.due_warning}.")
        event = Event()
        event.add("uid", task_uid(task))
        event.add("dtstamp", stamp)
        event.add("dtstart", task.due)
        event.add("dtend", task.due + dt.timedelta(days=1))
        event.add("summary", summary)
        event.add("description", "\n".join(lines))
        event.add("categories", [r.label for r in task.roles])
        event.add("transp", "TRANSPARENT")
        cal.add_component(event)
    data: bytes = cal.to_ical()
    return data


def write_ics(
    path: Path,
    tasks: Iterable[Task],
    *,
    label_of: Callable[[Task], str] | None = None,
    now: dt.datetime | None = None,
) -> None:
    """Write the tasks' terms to `path` as an .ics file. Raises NietGeschreven or BestandBezet (Dutch)."""
    data = tasks_to_ics(tasks, label_of=label_of, now=now)

    def write(tmp: Path) -> None:
        tmp.write_bytes(data)

    schrijf_export(path, write)
