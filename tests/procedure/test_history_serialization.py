"""History lines in Dutch, and events/trajecten to and from JSON-able dicts (the store's rows)."""

from __future__ import annotations

import datetime as dt
import json

from hypothesis import given
from hypothesis import strategies as st

from ontkoppel_desktop.core.kalender import months_between
from ontkoppel_desktop.core.procedure import Traject, TrajectEvent, add_months, dutch_date, history

from .builders import NIEUW, D, build, day, nieuwe_koppeling, ontkoppeld


def _full() -> Traject:
    return build(
        *ontkoppeld(),
        *nieuwe_koppeling("2025-04-04", "2025-04-07", "2025-04-14"),
        ("nieuwe_koppeling_gestart", day("2025-04-14"), {"in_oude_praktijk_gebleven": True}),
        (
            "afwijking",
            day("2025-04-15"),
            {"stap": "check_up", "wijze": "overgeslagen", "motivatie": "Niet nodig."},
        ),
        ("verslag_gearchiveerd", day("2025-04-16"), {"gesprek": "driehoeksgesprek", "bestemming": "beide"}),
    )


def test_history_has_a_dutch_line_per_event() -> None:
    traject = _full()
    lines = history(D, traject, names={NIEUW: "dr. A. de Vries"})
    assert len(lines) == len(traject.events)
    texts = [line.text for line in lines]
    assert texts[0] == "Signaal van onvrede van de aios."
    assert "Formeel besluit: ontkoppelen (door Plv. hoofd)." in texts
    assert "Kennismakingsgesprek met dr. A. de Vries: aios ja, opleider ja." in texts
    assert "Nieuwe koppeling met dr. A. de Vries bevestigd, start 14 april 2025." in texts
    assert (
        "Afwijking van de procedure, overgeslagen: Check-up met de opleider. Motivatie: Niet nodig." in texts
    )
    assert "Verslag (Driehoeksgesprek) gearchiveerd in e-portfolio aios en dossier opleider." in texts
    line = lines[0].line
    assert line.startswith("3 maart 2025: Signaal van onvrede van de aios. (vastgelegd door Test op ")


def test_events_round_trip_through_json() -> None:
    traject = _full()
    rows = [json.loads(json.dumps(e.to_dict())) for e in traject.events]
    events = tuple(TrajectEvent.from_dict(r) for r in rows)
    assert events == traject.events
    header = json.loads(json.dumps(traject.to_dict()))
    assert Traject.from_dict(header, events) == traject
    row = traject.events[-1].to_dict()
    assert set(row) == {"id", "kind", "date", "data", "recorded_at", "user"}
    assert row["kind"] == "verslag_gearchiveerd" and row["date"] == "2025-04-16"


def test_dutch_date() -> None:
    assert dutch_date(dt.date(2026, 11, 23)) == "23 november 2026"
    assert dutch_date(dt.date(2026, 11, 23), weekday=True) == "maandag 23 november 2026"


@given(st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2090, 12, 31)), st.integers(0, 120))
def test_add_months_and_months_between_agree(start: dt.date, months: int) -> None:
    later = add_months(start, months)
    assert later >= start
    assert months_between(start, later) == months or (later.day < start.day)
    assert months_between(start, later + dt.timedelta(days=31)) >= months
