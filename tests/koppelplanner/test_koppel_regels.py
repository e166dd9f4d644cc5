"""Validation returns every problem, each in Dutch naming the aios or opleider and the rule; the pair rules
(bezwaren) say why a koppeling is refused or flagged."""

from __future__ import annotations

from dataclasses import fields, replace
from datetime import date

import pytest
from hypothesis import given, settings
from koppel_voorbeelden import C, E, aios, opleider, ronde, small_rondes

from ontkoppel_desktop.core.koppelplanner import (
    Afwijzing,
    Bezoek,
    Koppelplanner,
    Onderdeel,
    Opleider,
    Regel,
    RondeIndex,
    RondeOngeldig,
    Uitzondering,
    Vastzetting,
    validate,
)

A1 = aios("A1", naam="Sanne Visser")
A3 = aios("A3", 3, naam="Daan Mulder")
O1 = opleider("O1", naam="Eva Kok")
OC = opleider("OC", C, naam="Joost Smit")


def _base(**changes: object):
    r = ronde([A1, A3], [O1, OC, opleider("O2"), opleider("O3"), opleider("O4"), opleider("O5"), opleider("O6")],
              {"A1": ["O1", "O2", "O3", "O4"], "A3": ["O1", "O2"]})
    return replace(r, **changes)


def _bezoeken(aios_id: str, scores: dict[str, int | None]):
    return tuple(Bezoek(aios_id, o, s) for o, s in scores.items())


def test_a_valid_ronde_has_no_problems():
    assert validate(_base()) == []


# Each row: a change to the valid base ronde, the rule it breaks, and words the message must hold.
CASES = [
    ("6e bezoek",
     dict(bezoeken=_bezoeken("A1", {"O1": 1, "O2": 2, "O3": 3, "O4": 4, "O5": 5, "O6": 6})),
     Regel.TE_VEEL_BEZOEKEN, ["Sanne Visser", "6e bezoek", "maximaal 5"]),
    ("dubbele score",
     dict(bezoeken=_bezoeken("A1", {"O1": 1, "O2": 2, "O3": 2, "O4": 3})),
     Regel.DUBBELE_SCORE, ["Sanne Visser", "score 2", "O2", "O3", "één keer"]),
    ("ontbrekende score (gat)",
     dict(bezoeken=_bezoeken("A1", {"O1": 1, "O2": 2, "O3": 4})),
     Regel.ONTBREKENDE_SCORE, ["Sanne Visser", "mist score 3", "1 t/m 3"]),
    ("bezoek zonder score",
     dict(bezoeken=_bezoeken("A1", {"O1": 1, "O2": None})),
     Regel.ONTBREKENDE_SCORE, ["Sanne Visser", "O2", "geen score"]),
    ("score 5 na 4 bezoeken",
     dict(bezoeken=_bezoeken("A1", {"O1": 1, "O2": 2, "O3": 3, "O4": 5})),
     Regel.SCORE_BUITEN_BEREIK, ["Sanne Visser", "score 5", "5 gesprekken"]),
    ("score 0",
     dict(bezoeken=_bezoeken("A1", {"O1": 0})),
     Regel.SCORE_BUITEN_BEREIK, ["score 0", "1 t/m 4"]),
    ("dubbel bezoek",
     dict(bezoeken=(Bezoek("A1", "O1", 1), Bezoek("A1", "O1", 2))),
     Regel.DUBBEL_BEZOEK, ["Sanne Visser", "Eva Kok", "meer dan één keer"]),
    ("tweede afwijzing",
     dict(afwijzingen=(Afwijzing("O1", "A1", "Familie."), Afwijzing("O1", "A3", "Eerder gewerkt."))),
     Regel.TWEEDE_AFWIJZING, ["Eva Kok", "Sanne Visser", "Daan Mulder", "één kandidaat"]),
    ("afwijzing zonder motivatie",
     dict(afwijzingen=(Afwijzing("O1", "A1", "  "),)),
     Regel.AFWIJZING_ZONDER_MOTIVATIE, ["Eva Kok", "Sanne Visser", "duidelijke motivatie"]),
    ("duo-opleider onder 40%",
     dict(opleiders=(O1, OC, opleider("O2", duo=True, aanwezigheid=30, naam="Bas Bos"), opleider("O3"),
                     opleider("O4"))),
     Regel.DUO_AANWEZIGHEID, ["Bas Bos", "30 %", "minimaal 40%"]),
    ("opleidingsjaar 2",
     dict(aios=(aios("A1", 2, naam="Sanne Visser"), A3)),
     Regel.OPLEIDINGSJAAR, ["Sanne Visser", "opleidingsjaar 2", "1e en 3e jaars"]),
    ("onbekende aios in voorkeuren",
     dict(bezoeken=(Bezoek("A9", "O1", 1),)),
     Regel.ONBEKENDE_AIOS, ["A9", "niet bij de aios"]),
    ("onbekende opleider in voorkeuren",
     dict(bezoeken=(Bezoek("A1", "O9", 1),)),
     Regel.ONBEKENDE_OPLEIDER, ["O9", "niet bij de opleiders"]),
    ("onbekende opleider in afwijzing",
     dict(afwijzingen=(Afwijzing("O9", "A1", "Reden."),)),
     Regel.ONBEKENDE_OPLEIDER, ["O9"]),
    ("dubbel aios-id",
     dict(aios=(A1, A3, aios("A1", naam="Ander"))),
     Regel.DUBBEL_ID, ["A1", "meer dan één keer"]),
    ("dubbel opleider-id",
     dict(opleiders=(O1, OC, opleider("O2"), opleider("O3"), opleider("O4"), opleider("O1"))),
     Regel.DUBBEL_ID, ["O1"]),
    ("capaciteit 0",
     dict(opleiders=(O1, OC, opleider("O2", capaciteit=0), opleider("O3"), opleider("O4"))),
     Regel.CAPACITEIT, ["capaciteit 0"]),
    ("deeltijd 30",
     dict(aios=(aios("A1", naam="Sanne Visser", deeltijd=30), A3)),
     Regel.DEELTIJD, ["Sanne Visser", "30"]),
    ("startdatum in april",
     dict(startdatum=date(2027, 4, 1)),
     Regel.STARTDATUM, ["1 april 2027", "maart, juni, september of december"]),
    ("vastzetting zonder reden",
     dict(vastzettingen=(Vastzetting("A1", "O5", ""),)),
     Regel.VASTZETTING_ZONDER_REDEN, ["Sanne Visser", "geen reden"]),
    ("vastzetting van een 3e jaars bij een curriculum-opleider",
     dict(vastzettingen=(Vastzetting("A3", "OC", "Terug na verlof."),)),
     Regel.OPLEIDINGSJAAR, ["Daan Mulder", "Joost Smit", "1e jaars"]),
    ("aios twee keer vastgezet",
     dict(vastzettingen=(Vastzetting("A1", "O5", "R."), Vastzetting("A1", "O6", "R."))),
     Regel.DUBBELE_VASTZETTING, ["Sanne Visser", "al vastgezet"]),
    ("twee vastzettingen bij een opleider met capaciteit 1",
     dict(vastzettingen=(Vastzetting("A1", "O5", "R."), Vastzetting("A3", "O5", "R."))),
     Regel.CAPACITEIT_VOL, ["capaciteit 1", "Daan Mulder"]),
    ("vastzetting van een afgewezen paar",
     dict(afwijzingen=(Afwijzing("O5", "A1", "Familie."),), vastzettingen=(Vastzetting("A1", "O5", "R."),)),
     Regel.AFGEWEZEN, ["afgewezen"]),
    ("uitzondering zonder reden",
     dict(uitzonderingen=(Uitzondering("A1", "O5", ""),)),
     Regel.UITZONDERING_ZONDER_REDEN, ["Sanne Visser", "zwaarwegende"]),
    ("uitzondering voor een afgewezen paar",
     dict(afwijzingen=(Afwijzing("O5", "A1", "Familie."),), uitzonderingen=(Uitzondering("A1", "O5", "Ziek."),)),
     Regel.AFGEWEZEN, ["afgewezen"]),
    ("geen aios", dict(aios=(), bezoeken=()), Regel.GEEN_AIOS, ["geen aios"]),
]


@pytest.mark.parametrize(("beschrijving", "changes", "regel", "woorden"), CASES, ids=[c[0] for c in CASES])
def test_each_rule_is_reported_in_dutch(beschrijving, changes, regel, woorden):
    problemen = validate(_base(**changes))
    matching = [p for p in problemen if p.regel is regel]
    assert matching, f"{beschrijving}: {[str(p) for p in problemen]}"
    bericht = matching[0].bericht
    for woord in woorden:
        assert woord in bericht, f"{beschrijving}: {woord!r} not in {bericht!r}"


def test_all_problems_are_returned_not_the_first():
    r = _base(
        aios=(aios("A1", 2, naam="Sanne Visser"), A3),
        bezoeken=_bezoeken("A1", {"O1": 1, "O2": 1, "O3": 3, "O4": 4, "O5": 5, "O6": 6}),
        afwijzingen=(Afwijzing("O1", "A1", ""), Afwijzing("O1", "A3", "Reden.")),
    )
    regels = {p.regel for p in validate(r)}
    assert {
        Regel.OPLEIDINGSJAAR, Regel.TE_VEEL_BEZOEKEN, Regel.DUBBELE_SCORE, Regel.SCORE_BUITEN_BEREIK,
        Regel.AFWIJZING_ZONDER_MOTIVATIE, Regel.TWEEDE_AFWIJZING,
    } <= regels
    with pytest.raises(RondeOngeldig) as refused:
        Koppelplanner(r)
    assert len(refused.value.details) == len(validate(r))
    assert len(refused.value.problemen) == len(validate(r))


def test_problems_point_at_their_record_and_field():
    r = _base(bezoeken=_bezoeken("A1", {"O1": 1, "O2": 2, "O3": 2}))
    (probleem,) = [p for p in validate(r) if p.regel is Regel.DUBBELE_SCORE]
    assert probleem.onderdeel is Onderdeel.BEZOEK
    assert probleem.index == 2 and probleem.veld == "score"
    assert probleem.aios_id == "A1" and probleem.opleider_id == "O3"


@pytest.mark.parametrize(
    ("scores", "ok"),
    [
        ([1, 2, 3, 4], True),
        ([4, 3, 2, 1], True),
        ([1, 2, 3, 4, 5], True),
        ([1, 2, 3], True),  # fewer bezoeken after consultation: ranked 1..n
        ([1], True),
        ([], True),
        ([2], False),  # 1 is missing
        ([1, 2, 4], False),  # 3 is missing
        ([1, 2, 3, 5], False),  # 5 only after 5 gesprekken
        ([1, 1, 2, 3], False),
        ([1, 2, 3, 4, 6], False),
        ([1, 2, 3, 4, 5, 6], False),
    ],
)
def test_score_reading(scores, ok):
    visits = {f"O{i}": s for i, s in enumerate(scores, start=1)}
    opleiders = tuple(opleider(f"O{i}") for i in range(1, 7))
    r = _base(opleiders=opleiders, bezoeken=_bezoeken("A1", visits))
    assert (validate(r) == []) is ok, [str(p) for p in validate(r)]


def test_no_field_lets_an_opleider_prefer_fulltime_or_parttime():
    names = {f.name.lower() for f in fields(Opleider)}
    for forbidden in ("fulltime", "parttime", "deeltijd", "voorkeur"):
        assert not any(forbidden in name for name in names)


# --- bezwaren (the pair rules) -------------------------------------------------------------------------------

PAIRS = [
    # aios, opleider, expected rules, blokkerend
    ("A1", "O1", set(), None),
    ("A1", "OC", set(), None),  # curriculum takes a 1st year
    ("A3", "OC", {Regel.OPLEIDINGSJAAR}, True),
    ("A1", "OB", {Regel.BLOKKADE}, True),
    ("A1", "OR", {Regel.AFGEWEZEN}, True),
    ("A1", "ON", {Regel.NIET_BEZOCHT}, False),
    ("A1", "OU", set(), None),  # not visited, but an uitzondering
    ("AV", "O1", {Regel.VASTGEZET_ELDERS}, True),
    ("AV", "OV", set(), None),
]


@pytest.mark.parametrize(("aios_id", "opleider_id", "regels", "blokkerend"), PAIRS)
def test_bezwaren(aios_id, opleider_id, regels, blokkerend):
    r = ronde(
        [A1, A3, aios("AV")],
        [O1, OC, opleider("OB", blokkade=True), opleider("OR"), opleider("ON"), opleider("OU"), opleider("OV")],
        {"A1": ["O1", "OC", "OB", "OR"], "A3": ["OC", "O1"]},
        afwijzingen=[("OR", "A1")], vast=[("AV", "OV")], uitzonderingen=[("A1", "OU")],
    )
    assert validate(r) == []
    idx = RondeIndex.build(r)
    bezwaren = idx.bezwaren(aios_id, opleider_id)
    assert {b.regel for b in bezwaren} == regels
    if blokkerend is not None:
        assert all(b.blokkerend is blokkerend for b in bezwaren)
    assert idx.allowed(aios_id, opleider_id) is (not bezwaren)


@settings(max_examples=150, deadline=None)
@given(small_rondes())
def test_allowed_is_exactly_no_bezwaar(r):
    idx = RondeIndex.build(r)
    for a in idx.aios_ids:
        for o in idx.opleider_ids:
            assert idx.allowed(a, o) is (not idx.bezwaren(a, o))


def test_curriculum_takes_only_first_years_ervaren_both():
    r = ronde([A1, A3], [OC, opleider("OE", E)], {"A1": ["OC", "OE"], "A3": ["OE", "OC"]})
    idx = RondeIndex.build(r)
    assert idx.allowed("A1", "OC") and idx.allowed("A1", "OE") and idx.allowed("A3", "OE")
    assert not idx.allowed("A3", "OC")


def test_a_planner_on_an_index_validate_found_geldig_does_not_validate_again(monkeypatch):
    """Issue 8: an import validates the ronde with the index it builds; the planner takes both as they are."""
    from ontkoppel_desktop.core.koppelplanner import planner as planner_module

    r = _base()
    idx = RondeIndex.build(r)
    assert not idx.geldig
    assert validate(r, idx) == [] and idx.geldig
    monkeypatch.setattr(planner_module, "validate", lambda *_: pytest.fail("validated again"))
    assert Koppelplanner(r, idx).index is idx


def test_a_planner_validates_an_index_not_yet_validated_and_refuses_another_rondes():
    bad = _base(aios=(A1, replace(A3, opleidingsjaar=2)))
    with pytest.raises(RondeOngeldig):
        Koppelplanner(bad, RondeIndex.build(bad))
    idx = RondeIndex.build(bad)
    assert validate(bad, idx) and not idx.geldig
    r = _base()
    other = RondeIndex.build(_base(naam="Een andere"))
    validate(other.ronde, other)
    with pytest.raises(ValueError):
        Koppelplanner(r, other)
    with pytest.raises(ValueError):
        validate(r, other)
