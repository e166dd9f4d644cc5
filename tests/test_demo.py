from __future__ import annotations

from datetime import date
from pathlib import Path

from ontkoppel_desktop.demo.opslag import DEMO_WACHTWOORD, create_demo_store
from ontkoppel_desktop.store.store import Store
from tests.conftest import FAST_KDF

TODAY = date(2026, 11, 23)


def test_demo_store_is_full_and_plausible(tmp_path: Path) -> None:
    store = create_demo_store(tmp_path / "demo.okdb", TODAY, FAST_KDF)
    repo = store.personen
    counts = repo.counts()
    assert counts["aios"] == 126 and counts["opleider"] == 70 and counts["groep"] == 9
    assert {a.opleidingsjaar for a in repo.aios()} == {1, 2, 3}
    assert all(a.startdatum_opleiding and a.startdatum_opleiding <= TODAY for a in repo.aios())
    assert all(a.startdatum_opleiding.month in (3, 6, 9, 12) for a in repo.aios())  # type: ignore[union-attr]
    assert any(o.duo_opleider for o in repo.opleiders())
    assert all(o.aanwezigheidspercentage >= 40 for o in repo.opleiders())
    # Year 2 has external stages: no koppeling with an opleider.
    by_id = {a.id: a for a in repo.aios()}
    assert counts["koppeling"] > 50
    assert all(by_id[k.aios_id].opleidingsjaar in (1, 3) for k in repo.koppelingen())
    store.close()
    Store.open(tmp_path / "demo.okdb", DEMO_WACHTWOORD).close()


def test_demo_is_deterministic(tmp_path: Path) -> None:
    a = create_demo_store(tmp_path / "a.okdb", TODAY, FAST_KDF)
    b = create_demo_store(tmp_path / "b.okdb", TODAY, FAST_KDF)
    assert [x.naam for x in a.personen.aios()] == [x.naam for x in b.personen.aios()]
