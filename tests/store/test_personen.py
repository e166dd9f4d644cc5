from __future__ import annotations

from datetime import date

import pytest

from ontkoppel_desktop.core.errors import ValidatieFout
from ontkoppel_desktop.core.personen import (
    Aios,
    Docent,
    DocentSoort,
    Groep,
    Koppeling,
    Medewerker,
    Naam,
    Opleider,
    Praktijk,
)
from ontkoppel_desktop.core.rollen import Rol
from ontkoppel_desktop.store.store import Store


def _opleider(store: Store, **kwargs: object) -> Opleider:
    praktijk = Praktijk("Huisartsenpraktijk De Linde", "Zeist")
    store.personen.save_praktijk(praktijk)
    return Opleider(Naam("Eva", "de", "Vries"), praktijk.id, **kwargs)  # type: ignore[arg-type]


def test_every_kind_round_trips(store: Store) -> None:
    repo = store.personen
    ha = Docent(Naam("Tim", "", "Bakker"), DocentSoort.HUISARTS)
    repo.save_docent(ha)
    gw = Docent(Naam("Iris", "", "Smit"), DocentSoort.GEDRAGSWETENSCHAPPER)
    repo.save_docent(gw)
    groep = Groep("Groep 1A", 1, ha.id, gw.id)
    repo.save_groep(groep)
    aios = Aios(Naam("Jan", "van", "Dijk"), 1, date(2026, 3, 1), 80, groep.id)
    repo.save_aios(aios)
    opleider = _opleider(store, curriculumjaar=2, begeleidt_coassistent=True)
    repo.save_opleider(opleider)
    mw = Medewerker(Naam("Sanne", "", "Kok"), Rol.JAARASSISTENT, 1)
    repo.save_medewerker(mw)
    k = Koppeling(aios.id, opleider.id, date(2026, 3, 1))  # type: ignore[arg-type]
    repo.save_koppeling(k)
    assert repo.groepen() == [groep]
    assert repo.aios() == [aios]
    assert repo.opleiders() == [opleider] and opleider.voorrang
    assert repo.medewerkers() == [mw]
    assert repo.koppelingen() == [k]
    assert repo.docenten() == [ha, gw]


def test_editing_keeps_the_id(store: Store) -> None:
    a = Aios(Naam("Jan", "", "Dijk"), 1, date(2026, 3, 1))
    store.personen.save_aios(a)
    a.opleidingsjaar = 3
    store.personen.save_aios(a)
    assert [(x.id, x.opleidingsjaar) for x in store.personen.aios()] == [(a.id, 3)]


def test_duo_opleider_must_be_present_at_least_40_percent(store: Store) -> None:
    with pytest.raises(ValidatieFout, match="minimaal 40 %"):
        store.personen.save_opleider(_opleider(store, duo_opleider=True, aanwezigheidspercentage=39))
    saved = _opleider(store, duo_opleider=True, aanwezigheidspercentage=40)
    store.personen.save_opleider(saved)
    assert saved.id is not None


def test_all_problems_are_reported_at_once() -> None:
    with pytest.raises(ValidatieFout) as caught:
        Aios(Naam("", "", ""), 4, None, 20).valideer()
    assert len(caught.value.problemen) == 4


@pytest.mark.parametrize(
    ("rol", "jaar", "ok"),
    [(Rol.JAARASSISTENT, None, False), (Rol.JAARASSISTENT, 2, True), (Rol.MANAGER_OPLEIDERS, None, True),
     (Rol.DOCENTEN, None, False)],
)
def test_medewerker_roles(rol: Rol, jaar: int | None, ok: bool) -> None:
    m = Medewerker(Naam("A", "", "B"), rol, jaar)
    if ok:
        m.valideer()
    else:
        with pytest.raises(ValidatieFout):
            m.valideer()


def test_an_aios_has_one_koppeling_at_a_time(store: Store) -> None:
    repo = store.personen
    aios = Aios(Naam("Jan", "", "Dijk"), 1, date(2026, 3, 1))
    repo.save_aios(aios)
    o = _opleider(store)
    repo.save_opleider(o)
    assert aios.id and o.id
    repo.save_koppeling(Koppeling(aios.id, o.id, date(2026, 3, 1), date(2026, 6, 30)))
    with pytest.raises(ValidatieFout, match="al een koppeling"):
        repo.save_koppeling(Koppeling(aios.id, o.id, date(2026, 6, 1)))
    repo.save_koppeling(Koppeling(aios.id, o.id, date(2026, 7, 1)))
    with pytest.raises(ValidatieFout, match="vóór de startdatum"):
        repo.save_koppeling(Koppeling(aios.id, o.id, date(2027, 7, 1), date(2027, 6, 1)))


def test_archived_rows_are_hidden_unless_asked_for(store: Store) -> None:
    a = Aios(Naam("Jan", "", "Dijk"), 1, date(2026, 3, 1))
    store.personen.save_aios(a)
    assert a.id
    store.personen.set_gearchiveerd("aios", [a.id], True)
    assert store.personen.aios() == []
    assert [x.gearchiveerd for x in store.personen.aios(archief=True)] == [True]


def test_dutch_name_order() -> None:
    naam = Naam("Jan", "van der", "Meer")
    assert naam.volledig == "Jan van der Meer"
    assert naam.sorteernaam == "Meer, Jan van der"
