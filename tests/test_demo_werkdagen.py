"""Issue 14: the demo put an opleidersterugkomdag on Eerste Kerstdag. Every day the demo makes up for something an
institute does (a gesprek, a call, a decision, a verslag sent or archived, an opleidersterugkomdag, a start in a
practice or in the training, a ronde's start) is a working day: not a Saturday, a Sunday or a Dutch public holiday
of the procedure's own calendar (core/procedure/feestdagen.py). Over several demo years and seeds, with a "today"
just before a holiday and one on a Sunday."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from ontkoppel_desktop.core.procedure import day_warning
from ontkoppel_desktop.core.trajecten import OPLEIDERSTERUGKOMDAG
from ontkoppel_desktop.demo import opslag
from ontkoppel_desktop.demo.opslag import DemoOmvang
from ontkoppel_desktop.demo.werkdagen import is_werkdag, werkdag_na, werkdag_voor
from ontkoppel_desktop.store.store import Store
from tests.conftest import FAST_KDF


def _dates(store: Store) -> list[tuple[str, dt.date]]:
    """Every day of the demo that says when something happened or will happen, with what it is."""
    found: list[tuple[str, dt.date]] = []
    personen = store.personen
    for aios in personen.aios():
        if aios.startdatum_opleiding is not None:
            found.append((f"start opleiding {aios.naam.volledig}", aios.startdatum_opleiding))
    found += [(f"start koppeling {k.id}", k.startdatum) for k in personen.koppelingen()]
    for soort, dagen in store.trajecten.agenda().items():
        found += [(soort, d) for d in dagen]
    for ronde in store.rondes.list():
        found.append((f"ronde {ronde.naam}", ronde.startdatum))
    for traject in store.trajecten.all():
        found.append((f"traject {traject.id} gestart", traject.start_date))
        for event in traject.effective_events:
            found.append((f"traject {traject.id}: {event.kind.value}", event.date))
            for key, value in event.data.items():
                if isinstance(value, str) and len(value) == 10 and value[4] == "-":
                    found.append((f"traject {traject.id}: {event.kind.value} {key}", dt.date.fromisoformat(value)))
        assert traject.id is not None
        for verslag in store.verslagen.van_traject(traject.id):
            wat = f"verslag {verslag.id} ({verslag.gesprek})"
            gesprek = verslag.datum(store.verslagen.formulier(verslag))
            if gesprek is not None:
                found.append((f"{wat}: gesprek", gesprek))
            if verslag.afgerond_op is not None:
                found.append((f"{wat}: afgerond", verslag.afgerond_op.date()))
            if verslag.verstuurd_op is not None:
                found.append((f"{wat}: verstuurd", verslag.verstuurd_op))
            found += [(f"{wat}: gearchiveerd {plek}", d) for plek, d in verslag.gearchiveerd_op.items()]
    return found


@pytest.mark.parametrize(("today", "seed"), [
    (dt.date(2026, 12, 1), 2023),   # the issue's: today + 24 days was Eerste Kerstdag
    (dt.date(2026, 11, 23), 11),    # the tests' demo day
    (dt.date(2027, 4, 24), 2023),   # a Saturday, Koningsdag and Easter behind
    (dt.date(2028, 12, 24), 5),     # a Sunday before Christmas
    (dt.date(2028, 6, 5), 2023),    # Tweede Pinksterdag
])
def test_no_demo_date_falls_on_a_weekend_or_a_public_holiday(tmp_path: Path, today: dt.date, seed: int) -> None:
    store = Store.create(tmp_path / "demo.okdb", "demo-wachtwoord-lang", FAST_KDF, controleer_sterkte=False).store
    opslag.fill(store, today, DemoOmvang(), seed=seed)
    found = _dates(store)
    store.close()
    assert len(found) > 400
    wrong = [(wat, d.isoformat(), day_warning(d)) for wat, d in found if not is_werkdag(d)]
    assert wrong == []
    # The opleidersterugkomdag that fell on Eerste Kerstdag is on the next working day.
    if today == dt.date(2026, 12, 1):
        assert dt.date(2026, 12, 28) in [d for wat, d in found if wat == OPLEIDERSTERUGKOMDAG]


def test_the_working_days_follow_the_holiday_calendar() -> None:
    kerst = dt.date(2026, 12, 25)
    assert day_warning(kerst) and not is_werkdag(kerst)
    assert werkdag_na(kerst) == dt.date(2026, 12, 28)  # Tweede Kerstdag, then the weekend
    assert werkdag_voor(kerst) == dt.date(2026, 12, 24)
    assert werkdag_na(dt.date(2027, 4, 27)) == dt.date(2027, 4, 28)  # Koningsdag
    # Tweede Paasdag, the weekend and Goede Vrijdag before it.
    assert werkdag_voor(dt.date(2027, 3, 29)) == dt.date(2027, 3, 25)
    monday = dt.date(2026, 11, 23)
    assert werkdag_na(monday) == werkdag_voor(monday) == monday
