"""The question files: the bundled ones load and agree with the procedure; a faulty file is refused naming file
and field; the two verslagen of the evaluatiegesprek opleider never share a word."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from ontkoppel_desktop.core.procedure import default_registry
from ontkoppel_desktop.core.procedure.definition import VerslagBestemming
from ontkoppel_desktop.core.rollen import Rol
from ontkoppel_desktop.core.verslagen import (
    FormulierFout,
    VeldSoort,
    Verslag,
    bundled_formulieren,
    inhoud,
    load_formulieren,
    parse_formulier,
    zegels,
)
from ontkoppel_desktop.core.verslagen.formulier_lezen import formulier_map

DEFINITION = default_registry().current()
FORMULIEREN = bundled_formulieren(DEFINITION)
BRON = Path(str(formulier_map(DEFINITION))) / "driehoeksgesprek.toml"


def test_the_three_gesprekken_of_an_ontkoppeling_have_their_questions() -> None:
    assert {"driehoeksgesprek", "evaluatie_aios", "evaluatie_opleider"} <= set(FORMULIEREN)
    drie = FORMULIEREN["driehoeksgesprek"]
    assert drie.ontvanger is Rol.JAARASSISTENT
    assert drie.bestemmingen == {VerslagBestemming.E_PORTFOLIO, VerslagBestemming.DOSSIER_OPLEIDER}
    assert [k.value for k in drie.gebeurtenissen] == ["driehoeksgesprek", "uitkomst"]
    assert drie.handvat is not None and drie.handvat.voorbeeld and drie.handvat.onderwerpen
    opleider = FORMULIEREN["evaluatie_opleider"]
    assert [(d.id, d.bestemming) for d in opleider.delen] == [
        ("over_aios", VerslagBestemming.E_PORTFOLIO), ("over_opleider", VerslagBestemming.DOSSIER_OPLEIDER)]
    keuze = FORMULIEREN["evaluatie_aios"].veld("reflectie_in_eportfolio")
    assert keuze.soort is VeldSoort.JA_NEE and keuze.verplicht


def _antwoorden(formulier_id: str) -> dict[str, object]:
    """Every field answered with a marker unique to that field."""
    formulier = FORMULIEREN[formulier_id]
    result: dict[str, object] = {}
    for veld in formulier.velden:
        if veld.soort is VeldSoort.DATUM:
            result[veld.id] = "2026-10-06"
        elif veld.soort is VeldSoort.JA_NEE:
            result[veld.id] = True
        elif veld.soort is VeldSoort.KEUZE:
            result[veld.id] = veld.keuzes[0].waarde
        else:
            result[veld.id] = f"MARKER-{veld.id}-ĳ-🙂"
    return result


@pytest.mark.parametrize("formulier_id", sorted(FORMULIEREN))
def test_each_field_appears_only_in_the_verslagen_it_names(formulier_id: str) -> None:
    formulier = FORMULIEREN[formulier_id]
    antwoorden = _antwoorden(formulier_id)
    verslag = Verslag(id=1, traject_id=1, gesprek=formulier.id, procedure=formulier.procedure, auteur="A",
                      antwoorden=antwoorden, gebeurtenis_id="e1")  # type: ignore[arg-type]
    moment = dt.datetime(2026, 10, 7, 12, tzinfo=dt.UTC)
    from ontkoppel_desktop.core.verslagen import canonical

    for deel in formulier.delen:
        text = canonical(formulier, verslag, deel.id, moment).decode("utf-8")
        shown = {v.id for v, _ in inhoud(formulier, antwoorden, deel.id)}  # type: ignore[arg-type]
        for veld in formulier.velden:
            if not veld.soort.is_tekst:
                continue
            marker = f"MARKER-{veld.id}-"
            belongs = deel.id in veld.verslagen and veld.gevraagd(antwoorden)
            assert (marker in text) == belongs, (deel.id, veld.id)
            assert (veld.id in shown) == belongs
    if formulier_id == "evaluatie_opleider":
        seals = zegels(formulier, verslag, moment)
        assert len(set(seals.values())) == 2


def test_the_evaluatie_opleider_split_is_total() -> None:
    """Every free-text field of the evaluatiegesprek opleider is in exactly one of its two verslagen."""
    for veld in FORMULIEREN["evaluatie_opleider"].velden:
        if veld.soort is VeldSoort.TEKST and veld.id != "aanwezigen":
            assert len(veld.verslagen) == 1, veld.id


def _text() -> str:
    return BRON.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("change", "field", "fault"),
    [
        (lambda t: t.replace('soort = "tekst"\nlabel = "Aanleiding"', 'soort = "tekts"\nlabel = "Aanleiding"'),
         "aanleiding", "onbekende soort 'tekts'"),
        (lambda t: t.replace('id = "plaats"\nsoort = "regel"\nlabel = "Plaats"\nverslag = "alle"',
                             'id = "plaats"\nsoort = "regel"\nlabel = "Plaats"'), "plaats", "'verslag' ontbreekt"),
        (lambda t: t.replace('gebeurtenis = "uitkomst.uitkomst"', 'gebeurtenis = "uitkomst.uitkomsten"'),
         "uitkomst", "bestaat niet"),
        (lambda t: t.replace('is = ["advies_ontkoppeling"]', 'is = ["advies"]'), "argumentatie", "kent niet"),
        (lambda t: t.replace('id = "perspectief_aios"\nsoort = "tekst"\nlabel = "Perspectief van de aios"\n'
                             'verplicht = true\nverslag = "alle"',
                             'id = "perspectief_aios"\nsoort = "tekst"\nlabel = "Perspectief van de aios"\n'
                             'verplicht = true\nverslag = ["over_aios"]'), "perspectief_aios", "onbekend verslag"),
        (lambda t: t.replace('titel = "Afspraken"', 'titel = "Afspraken"\nkleur = "rood"'), None, "kleur"),
    ],
)
def test_a_faulty_file_is_refused_naming_file_and_field(change, field: str | None, fault: str) -> None:  # type: ignore[no-untyped-def]
    text = change(_text())
    assert text != _text(), "the test's change must apply"
    with pytest.raises(FormulierFout) as info:
        parse_formulier(text, "driehoeksgesprek.toml", DEFINITION)
    assert "driehoeksgesprek.toml" in str(info.value) and fault in str(info.value)
    if field is not None:
        assert info.value.veld == field and f"veld '{field}'" in str(info.value)


def test_a_required_event_field_needs_a_required_question() -> None:
    text = _text().replace('label = "Uitkomst van het gesprek"\nverplicht = true',
                           'label = "Uitkomst van het gesprek"\nverplicht = false')
    with pytest.raises(FormulierFout, match="uitkomst.uitkomst"):
        parse_formulier(text, "driehoeksgesprek.toml", DEFINITION)


def test_two_verslagen_must_cover_where_the_procedure_sends_them(tmp_path: Path) -> None:
    source = Path(str(formulier_map(DEFINITION))) / "evaluatie_opleider.toml"
    text = source.read_text(encoding="utf-8").replace('bestemming = "dossier_opleider"', 'bestemming = "e_portfolio"')
    with pytest.raises(FormulierFout, match="de procedure zegt 'beide'"):
        parse_formulier(text, "evaluatie_opleider.toml", DEFINITION)


def test_a_procedure_version_keeps_its_own_questions(tmp_path: Path) -> None:
    """The files are looked up beside the definition file a traject started with: another version's folder is
    another set of questions, and a version without a folder has none."""
    folder = tmp_path / DEFINITION.file.removesuffix(".toml") / "gesprekken"
    folder.mkdir(parents=True)
    (folder / "driehoeksgesprek.toml").write_text(_text().replace('titel = "Driehoeksgesprek"',
                                                                   'titel = "Driehoeksgesprek (test)"'),
                                                  encoding="utf-8")
    own = load_formulieren(DEFINITION, tmp_path)
    assert list(own) == ["driehoeksgesprek"] and own["driehoeksgesprek"].titel == "Driehoeksgesprek (test)"
    assert load_formulieren(DEFINITION, tmp_path / "elders") == {}
