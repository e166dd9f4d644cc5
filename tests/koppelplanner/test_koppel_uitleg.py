"""The explanation: per aios the keuze and why not a better one, per ongekoppelde aios why, the profile and the
voorrangsopleiders filled."""

from __future__ import annotations

from koppel_voorbeelden import C, aios, opleider, ronde

from ontkoppel_desktop.core.koppelplanner import Koppelplanner
from ontkoppel_desktop.core.koppelplanner.ronde import natural_key
from ontkoppel_desktop.demo.rondes import maak_demo_ronde


def _explained(r):
    planner = Koppelplanner(r)
    uitslag = planner.solve()
    return uitslag, planner.explain(uitslag)


def test_first_choice():
    _, uitleg = _explained(ronde([aios("A1", naam="Sanne Visser")], [opleider("O1", naam="Eva Kok")],
                                 {"A1": ["O1"]}))
    a1 = uitleg.voor("A1")
    assert a1.keuze == "1e keuze" and a1.score == 1 and a1.opleider_id == "O1"
    assert "Sanne Visser" in a1.toelichting and "Eva Kok" in a1.toelichting and "1e keuze" in a1.toelichting
    assert a1.redenen == ()


def test_why_not_the_better_choices():
    r = ronde(
        [aios("A1", naam="Sanne Visser"), aios("A2", naam="Bram Bos")],
        [opleider("O1", naam="Eva Kok"), opleider("O2", naam="Joost Smit"), opleider("O3", naam="Iris Post")],
        {"A1": ["O1", "O2", "O3"], "A2": ["O2"]},
        afwijzingen=[("O1", "A1")],
    )
    _, uitleg = _explained(r)
    a1 = uitleg.voor("A1")
    assert a1.keuze == "3e keuze"
    assert [reden.soort for reden in a1.redenen] == ["afgewezen", "bezet"]
    assert "afgewezen door de opleider" in a1.toelichting
    assert "gekoppeld aan Bram Bos (1e keuze)" in a1.toelichting


def test_why_unmatched_is_specific():
    r = ronde(
        [aios("A1", naam="Sanne Visser"), aios("A2", naam="Bram Bos"), aios("A3", 3, naam="Noor Vos")],
        [opleider("O1", naam="Eva Kok"), opleider("O2", blokkade=True), opleider("O3", coassistent=True),
         opleider("O4", C)],
        {"A1": ["O1", "O2", "O3"], "A2": ["O3"], "A3": ["O4"]},
        afwijzingen=[("O1", "A1")],
    )
    uitslag, uitleg = _explained(r)
    assert uitslag.ongekoppeld == ("A1", "A3")
    a1 = uitleg.voor("A1")
    assert a1.keuze == "niet gekoppeld" and a1.opleider_id is None
    assert "alle bezochte praktijken zijn afgewezen, geblokkeerd of bezet door andere aios" in a1.toelichting
    assert "bij voorrangsopleiders" in a1.toelichting
    assert "gekoppeld aan Bram Bos" in a1.toelichting
    a3 = uitleg.voor("A3")
    assert "de enige bezochte praktijk is alleen voor een 1e jaars aios" in a3.toelichting


def test_unmatched_without_visits():
    r = ronde([aios("A1"), aios("A2")], [opleider("O1")], {"A2": ["O1"]})
    _, uitleg = _explained(r)
    assert "geen bezochte praktijken" in uitleg.voor("A1").toelichting


def test_vastgezet_and_uitzondering_are_named():
    r = ronde([aios("A1"), aios("A2")], [opleider("O1"), opleider("O2")], {"A2": []},
              vast=[("A1", "O1")], uitzonderingen=[("A2", "O2")])
    _, uitleg = _explained(r)
    assert uitleg.voor("A1").keuze == "vastgezet"
    assert "Terug na zwangerschapsverlof" in uitleg.voor("A1").toelichting
    assert uitleg.voor("A2").keuze == "uitzondering"
    assert "uitzondering van de manager opleiders" in uitleg.voor("A2").toelichting
    assert uitleg.zonder_score == 2


def test_profile_and_voorrang_counts():
    r = ronde(
        [aios("A1"), aios("A2"), aios("A3"), aios("A4")],
        [opleider("O1", C), opleider("O2", coassistent=True), opleider("O3"), opleider("O4", C, blokkade=True)],
        {"A1": ["O1", "O2"], "A2": ["O1", "O2"], "A3": ["O3"], "A4": ["O1"]},
    )
    uitslag, uitleg = _explained(r)
    assert uitleg.aantal_aios == 4
    assert sum(n for _, n in uitleg.profiel) + uitleg.zonder_score == uitslag.doelwaarde.gekoppeld
    assert dict(uitleg.profiel)[1] + dict(uitleg.profiel)[2] == 3
    # O4 has a blokkade: two voorrangsopleiders can be filled, not three.
    assert (uitleg.voorrang_gevuld, uitleg.voorrang_totaal) == (2, 2)
    tekst = uitleg.samenvatting
    assert "Gekoppeld: 3 van 4 aios." in tekst
    assert "Voorrangsopleiders gevuld: 2 van 2." in tekst
    assert "Niet gekoppeld (1):" in tekst


def test_every_aios_of_a_demo_ronde_is_explained():
    r = maak_demo_ronde(120, 150, seed=7)
    uitslag, uitleg = _explained(r)
    assert [u.aios_id for u in uitleg.per_aios] == sorted((a.id for a in r.aios), key=natural_key)
    for u in uitleg.per_aios:
        assert u.toelichting
        if u.opleider_id is not None and u.score is not None and u.keuze.endswith("keuze"):
            assert len(u.redenen) == u.score - 1



def test_unmatched_with_an_uitzondering_names_it():
    r = ronde([aios("A1"), aios("A2", naam="Bram Bos")], [opleider("O1")], {"A2": ["O1"]},
              uitzonderingen=[("A1", "O1")])
    _, uitleg = _explained(r)
    tekst = uitleg.voor("A1").toelichting
    assert "de enige toegestane praktijk is bezet door andere aios" in tekst
    assert "uitzondering Opleider O1 (Praktijk O1): gekoppeld aan Bram Bos (1e keuze)" in tekst


def test_kept_free_for_a_voorrangsopleider():
    # A1 prefers O2, but only A1 can fill voorrangsopleider O1: O2 stays free for the group.
    r = ronde([aios("A1")], [opleider("O1", C, naam="Eva Kok"), opleider("O2")], {"A1": ["O2", "O1"]})
    _, uitleg = _explained(r)
    (reden,) = uitleg.voor("A1").redenen
    assert reden.soort == "groepsbelang" and "voorrangsopleider Eva Kok gevuld" in reden.reden
