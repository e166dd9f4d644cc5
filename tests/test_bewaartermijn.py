"""core.bewaartermijn without a store: which records have passed their term on a given day, and which go together."""

from __future__ import annotations

import datetime as dt

from ontkoppel_desktop.core.bewaartermijn import (
    AIOS,
    OPLEIDER,
    RONDE,
    TRAJECT,
    Bewaartermijnen,
    Feiten,
    KoppelingFeit,
    PersoonFeiten,
    RondeFeiten,
    TrajectFeiten,
    na_jaren,
    samen,
    verlopen,
    vouw,
)

T = Bewaartermijnen(trajecten=7, rondes=2, personen=2)
DAG = dt.date(2020, 3, 1)


def _traject(gesloten_op: dt.date | None, *personen: tuple[str, int], traject_id: int = 1) -> TrajectFeiten:
    return TrajectFeiten(traject_id, "Noor Visser", "Eva Smit", gesloten_op, frozenset(personen), 12, 3, 1)


def _persoon(soort: str, pid: int, naam: str, op: dt.date | None, *koppelingen: KoppelingFeit) -> PersoonFeiten:
    return PersoonFeiten(soort, pid, naam, op, koppelingen)


def test_a_closed_traject_is_listed_on_the_day_its_term_ends_and_an_open_one_never() -> None:
    feiten = Feiten((_traject(DAG), _traject(None, traject_id=2)))
    assert verlopen(feiten, T, dt.date(2027, 2, 28)) == []
    [item] = verlopen(feiten, T, dt.date(2027, 3, 1))
    assert item.sleutel == (TRAJECT, 1) and item.verlopen_op == dt.date(2027, 3, 1)
    assert item.inhoud == "12 gebeurtenissen, 3 verslagen (alle versies), 1 bijlage"
    assert item.termijn == "7 jaar na het sluiten (gesloten op 1 maart 2020)"
    assert [i.id for i in verlopen(feiten, T, dt.date(9999, 1, 1))] == [1]


def test_a_person_goes_only_with_what_names_them_and_when_the_other_side_of_a_koppeling_left_too() -> None:
    noor = _persoon(AIOS, 1, "Noor Visser", DAG, KoppelingFeit(5, (OPLEIDER, 2), True, dt.date(2021, 6, 30)))
    eva = _persoon(OPLEIDER, 2, "Eva Smit", DAG, KoppelingFeit(5, (AIOS, 1), True, dt.date(2021, 6, 30)))
    bram = _persoon(OPLEIDER, 3, "Bram Nieuw", DAG, KoppelingFeit(6, (AIOS, 9), False, None))
    ronde = RondeFeiten(4, "Ronde 03-2020", dt.date(2020, 3, 1), {AIOS: frozenset({"A01"})},
                        {AIOS: frozenset({"noor visser"})})
    feiten = Feiten((_traject(DAG, (AIOS, 1), (OPLEIDER, 2)),), (ronde,), (noor, eva, bram))
    # Two years after the last koppeling ended (later than the archiving), but the traject (7 years) keeps them.
    assert {i.sleutel for i in verlopen(feiten, T, dt.date(2026, 1, 1))} == {(RONDE, 4)}
    items = {i.sleutel: i for i in verlopen(feiten, T, dt.date(2027, 3, 1))}
    # Bram has a koppeling with an aios who has not left: he stays.
    assert set(items) == {(TRAJECT, 1), (RONDE, 4), (AIOS, 1), (OPLEIDER, 2)}
    assert items[(AIOS, 1)].vereist == {(TRAJECT, 1), (RONDE, 4)}  # the ronde names Noor by name
    assert items[(AIOS, 1)].sinds == dt.date(2021, 6, 30)
    assert items[(AIOS, 1)].sinds_wat == "laatste koppeling beëindigd"
    assert items[(OPLEIDER, 2)].vereist == {(TRAJECT, 1)}
    # Keeping the ronde keeps Noor; Eva can still go with the traject.
    assert samen(items.values(), {(TRAJECT, 1), (AIOS, 1), (OPLEIDER, 2)}) == {(TRAJECT, 1), (OPLEIDER, 2)}


def test_a_person_not_archived_is_never_listed() -> None:
    feiten = Feiten(personen=(_persoon(AIOS, 1, "Noor Visser", None),))
    assert verlopen(feiten, T, dt.date(9999, 1, 1)) == []


def test_a_ronde_names_someone_by_store_id_or_by_name_whatever_the_case_and_spaces() -> None:
    ronde = RondeFeiten(1, "R", DAG, {OPLEIDER: frozenset({"12"})}, {OPLEIDER: frozenset({vouw("Eva  Smit")})})
    assert ronde.noemt(OPLEIDER, 12, "Iemand Anders")
    assert ronde.noemt(OPLEIDER, 99, "EVA   Smit")
    assert not ronde.noemt(AIOS, 12, "Eva Smit")


def test_terms_are_whole_years_within_bounds() -> None:
    assert na_jaren(dt.date(2020, 2, 29), 1) == dt.date(2021, 2, 28)
    assert na_jaren(dt.date(9995, 1, 1), 7) == dt.date.max
    assert Bewaartermijnen(0, 99, -3).geldig() == Bewaartermijnen(1, 30, 1)
