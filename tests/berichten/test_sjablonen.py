"""The standaardberichten as data: the bundled templates fill for a traject in every phase, a folder of the
institute's own wins file by file, a faulty file is refused naming the file and the fault, and a placeholder this
traject has no value for yet is marked so the user sees what to fill in."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from ontkoppel_desktop.berichten_bestanden import kopieer_standaard
from ontkoppel_desktop.core.berichten import (
    PLAATSHOUDERS,
    BerichtFout,
    BerichtGegevens,
    Persoon,
    bundled_map,
    load_sjablonen,
    open_plekken,
    parse_sjabloon,
    plaatshouders_in,
    traject_feiten,
    volgende_datum,
    vul,
    waarden,
)
from ontkoppel_desktop.core.procedure import ProcedureDefinition, default_registry
from ontkoppel_desktop.store.store import Store
from tests.berichten.conftest import TERUGKOMDAG, gegevens, traject_in_fase
from tests.verslagen.conftest import AUTEUR, TODAY

BERICHTEN = ("ontkoppelingsmail", "bevestiging_nieuwe_koppeling", "uitnodiging_evaluatiegesprek_aios",
             "uitnodiging_evaluatiegesprek_opleider", "uitnodiging_opleidersterugkomdag", "informatie_resterend_jaar")


@pytest.fixture
def definition() -> ProcedureDefinition:
    return default_registry().current()


def _bestand(sjabloon_id: str = "ontkoppelingsmail", **velden: str) -> str:
    base = {"id": f'"{sjabloon_id}"', "titel": '"Eigen ontkoppelingsmail"', "aan": '["aios", "opleider"]',
            "onderwerp": '"Ontkoppeling {aios}"', "tekst": '"""\nBeste {aios},\n\nTot ziens.\n"""'}
    base.update(velden)
    return "\n".join(f"{k} = {v}" for k, v in base.items()) + "\n"


def test_the_bundled_berichten_are_the_ones_of_the_checklist(definition: ProcedureDefinition) -> None:
    found = load_sjablonen(definition)
    assert not found.fouten and not found.map_fout
    assert tuple(s.id for s in found.sjablonen) == BERICHTEN  # in the order of the menu
    for sjabloon in found.sjablonen:
        assert not sjabloon.eigen
        assert sjabloon.stap is None or definition.has_step(sjabloon.stap)
    mail = found.get("ontkoppelingsmail")
    assert mail is not None and mail.stap == "administratieve_afhandeling"
    for steun in ("{lovah}", "{sboh}", "{vertrouwenspersoon}"):  # section 3
        assert steun in mail.tekst
    uitnodiging = found.get("uitnodiging_opleidersterugkomdag")
    assert uitnodiging is not None and "rapporteren over het proces van ontkoppeling" in uitnodiging.tekst  # 5.3.2
    assert (bundled_map(definition) / "README.md").is_file()


@pytest.mark.parametrize("fase", [1, 2, 3])
def test_every_bundled_bericht_fills_for_a_traject_in_each_phase(store: Store, definition: ProcedureDefinition,
                                                                 fase: int) -> None:
    data = gegevens(store, traject_in_fase(store, fase))
    for sjabloon in load_sjablonen(definition).sjablonen:
        bericht = vul(sjabloon, data)
        for text in (bericht.onderwerp, bericht.tekst):
            assert plaatshouders_in(text) == [], (sjabloon.id, text)  # every placeholder replaced
        assert "Noor Visser" in bericht.onderwerp + bericht.tekst or "{aios}" not in sjabloon.tekst
        # Marked are exactly the placeholders this traject has no value for yet.
        values = waarden(data, sjabloon)
        used = set(plaatshouders_in(sjabloon.onderwerp) + plaatshouders_in(sjabloon.tekst))
        assert set(bericht.ontbrekend) == {PLAATSHOUDERS[n].ontbreekt for n in used if not values[n]}, sjabloon.id
        if fase == 3:
            assert bericht.ontbrekend == (), sjabloon.id
        assert bericht.aan and all(o.rol in sjabloon.aan for o in bericht.aan)


def test_what_each_phase_knows(store: Store, definition: ProcedureDefinition) -> None:
    sjablonen = load_sjablonen(definition)
    mail, bevestiging, terugkomdag = (sjablonen.get(i) for i in ("ontkoppelingsmail", "bevestiging_nieuwe_koppeling",
                                                                 "uitnodiging_opleidersterugkomdag"))
    assert mail is not None and bevestiging is not None and terugkomdag is not None
    fase1 = gegevens(store, traject_in_fase(store, 1))
    assert vul(mail, fase1).ontbrekend == ("[datum besluit nog onbekend]",)
    assert "[nieuwe opleider nog onbekend]" in vul(bevestiging, fase1).ontbrekend


def test_the_data_of_a_traject_after_the_new_start(store: Store, definition: ProcedureDefinition) -> None:
    data = gegevens(store, traject_in_fase(store, 3))
    sjablonen = load_sjablonen(definition)
    mail = vul(sjablonen.get("ontkoppelingsmail"), data)  # type: ignore[arg-type]
    assert mail.onderwerp == "Ontkoppeling Noor Visser en Eva Smit"
    assert "op 15 september 2026 het formele besluit" in mail.tekst
    assert "De docenten, Mila Bakker en Daan de Wit," in mail.tekst
    assert "https://example.nl/vp" in mail.tekst and "Sanne de Boer\nHuisartsopleiding Utrecht" in mail.tekst
    assert [(o.naam, o.email) for o in mail.aan] == [("Noor Visser", "noor.visser@example.nl"),
                                                     ("Eva Smit", "eva@example.nl")]
    # The docenten of the group, and the manager opleiding of the aios's own year only (section 4).
    assert [(o.rol, o.naam, o.email) for o in mail.cc] == [
        ("docenten", "Mila Bakker", "mila.bakker@example.nl"), ("docenten", "Daan de Wit", ""),
        ("manager_opleiding", "Lotte Jansen", "lotte@example.nl")]
    bevestiging = vul(sjablonen.get("bevestiging_nieuwe_koppeling"), data)  # type: ignore[arg-type]
    assert "start op 1 oktober 2026 als aios bij Bram Nieuw (Praktijk De Linde (Houten))" in bevestiging.tekst
    assert [o.naam for o in bevestiging.aan] == ["Noor Visser", "Bram Nieuw"]
    uitnodiging = vul(sjablonen.get("uitnodiging_opleidersterugkomdag"), data)  # type: ignore[arg-type]
    assert "dinsdag 8 december 2026" in uitnodiging.tekst and data.opleidersterugkomdag == TERUGKOMDAG
    evaluatie = vul(sjablonen.get("uitnodiging_evaluatiegesprek_aios"), data)  # type: ignore[arg-type]
    assert "uiterlijk op 29 september 2026" in evaluatie.tekst  # 2 weeks after the besluit (5.3.1)


def test_the_institutes_folder_wins_file_by_file(tmp_path: Path, definition: ProcedureDefinition) -> None:
    eigen = tmp_path / "eigen"
    eigen.mkdir()
    (eigen / "ontkoppelingsmail.toml").write_text(_bestand(volgorde="5"), encoding="utf-8")
    (eigen / "welkom_terug.toml").write_text(_bestand("welkom_terug", titel='"Welkom terug"'), encoding="utf-8")
    (eigen / "notities.txt").write_text("geen bericht", encoding="utf-8")
    found = load_sjablonen(definition, eigen)
    assert not found.fouten
    mail = found.get("ontkoppelingsmail")
    assert mail is not None and mail.eigen and mail.titel == "Eigen ontkoppelingsmail"
    assert mail.bestand == str(eigen / "ontkoppelingsmail.toml")
    assert [s.id for s in found.sjablonen if s.eigen] == ["ontkoppelingsmail", "welkom_terug"]
    assert {s.id for s in found.sjablonen if not s.eigen} == set(BERICHTEN) - {"ontkoppelingsmail"}
    assert len(found.sjablonen) == len(BERICHTEN) + 1


def test_a_faulty_file_is_named_and_the_others_stay(tmp_path: Path, definition: ProcedureDefinition) -> None:
    (tmp_path / "ontkoppelingsmail.toml").write_text(
        _bestand(tekst='"""\nBeste {aios} en {nieuwe_oplieder},\n"""'), encoding="utf-8")
    (tmp_path / "informatie_resterend_jaar.toml").write_text('id = "informatie_resterend_jaar"\ntitel = "x\n',
                                                             encoding="utf-8")
    found = load_sjablonen(definition, tmp_path)
    # Neither the broken file nor, silently, the bundled text it was meant to replace.
    assert found.get("ontkoppelingsmail") is None and found.get("informatie_resterend_jaar") is None
    assert len(found.sjablonen) == len(BERICHTEN) - 2
    fouten = {Path(f.bestand).name: str(f) for f in found.fouten}
    assert "{nieuwe_oplieder}" in fouten["ontkoppelingsmail.toml"]
    assert str(tmp_path / "ontkoppelingsmail.toml") in fouten["ontkoppelingsmail.toml"]
    assert "bekend zijn: {aios}" in fouten["ontkoppelingsmail.toml"]
    assert "geen geldige TOML (regel 2" in fouten["informatie_resterend_jaar.toml"]
    assert "Traceback" not in "".join(fouten.values())


@pytest.mark.parametrize(("velden", "fout"), [
    ({"onderwerp": '"Ontkoppeling {aios"'}, "losse '{'"),
    ({"tekst": '"Een {} leeg"'}, "onbekende plaatshouder {}"),
    ({"aan": '["aios", "buurman"]'}, "onbekende rol 'buurman'"),
    ({"aan": "[]"}, "'aan' noemt geen enkele rol"),
    ({"stap": '"koffie_drinken"'}, "onbekende stap 'koffie_drinken'"),
    ({"id": '"andere_naam"'}, "moet gelijk zijn aan de bestandsnaam (ontkoppelingsmail.toml)"),
    ({"onderwep": '"x"'}, "onbekende sleutel 'onderwep'"),
    ({"volgorde": '"eerst"'}, "'volgorde' moet een geheel getal zijn"),
    ({"onderwerp": '""'}, "'onderwerp' ontbreekt of is leeg"),
])
def test_faults_in_a_template(definition: ProcedureDefinition, velden: dict[str, str], fout: str) -> None:
    with pytest.raises(BerichtFout, match=r"^Standaardbericht 'ontkoppelingsmail.toml': ") as raised:
        parse_sjabloon(_bestand(**velden), "ontkoppelingsmail.toml", definition, stam="ontkoppelingsmail")
    assert fout in str(raised.value)


def test_a_file_not_in_utf8_is_refused(tmp_path: Path, definition: ProcedureDefinition) -> None:
    (tmp_path / "ontkoppelingsmail.toml").write_bytes(_bestand(titel='"Beëindiging"').encode("cp1252"))
    found = load_sjablonen(definition, tmp_path)
    assert "niet als UTF-8 opgeslagen" in str(found.fouten[0])


def test_a_folder_that_is_gone_leaves_the_bundled_ones(tmp_path: Path, definition: ProcedureDefinition) -> None:
    found = load_sjablonen(definition, tmp_path / "weg")
    assert "bestaat niet" in found.map_fout and len(found.sjablonen) == len(BERICHTEN)


def test_braces_and_unfilled_placeholders(definition: ProcedureDefinition) -> None:
    sjabloon = parse_sjabloon(_bestand(tekst='"Beste {aios}, start {startdatum} bij {nieuwe_opleider} {{niet}}."'),
                              "x.toml", definition)
    bericht = vul(sjabloon, BerichtGegevens(personen={"aios": (Persoon("Şükrü Yılmaz"),)}))
    assert bericht.tekst == ("Beste Şükrü Yılmaz, start [startdatum nog onbekend] bij [nieuwe opleider nog onbekend] "
                             "{niet}.")
    assert bericht.ontbrekend == ("[startdatum nog onbekend]", "[nieuwe opleider nog onbekend]")
    assert [o.weergave for o in bericht.aan] == ["Şükrü Yılmaz (aios), geen e-mailadres", "opleider: niet in Personen"]
    # The user fills one in by hand: only the other is still open.
    edited = bericht.tekst.replace("[startdatum nog onbekend]", "1 maart 2027")
    assert open_plekken(bericht.onderwerp, edited) == ["[nieuwe opleider nog onbekend]"]


def test_copying_the_bundled_ones_never_overwrites(tmp_path: Path, definition: ProcedureDefinition) -> None:
    (tmp_path / "ontkoppelingsmail.toml").write_text("eigen", encoding="utf-8")
    gekopieerd, behouden = kopieer_standaard(definition, tmp_path)
    assert behouden == ["ontkoppelingsmail.toml"]
    assert "README.md" in gekopieerd and len(gekopieerd) == len(BERICHTEN)
    assert (tmp_path / "ontkoppelingsmail.toml").read_text(encoding="utf-8") == "eigen"
    (tmp_path / "ontkoppelingsmail.toml").unlink()
    kopieer_standaard(definition, tmp_path)
    assert not load_sjablonen(definition, tmp_path).fouten  # the copies are valid templates
    assert all(s.eigen for s in load_sjablonen(definition, tmp_path).sjablonen)


def test_the_new_opleider_is_the_confirmed_one_or_the_candidate_not_refused(store: Store) -> None:
    from ontkoppel_desktop.core.procedure import EventKind
    from tests.berichten.conftest import nieuw_id
    from tests.verslagen.conftest import maak_traject, ontkoppel

    traject_id = maak_traject(store)
    ontkoppel(store, traject_id)
    svc = store.trajecten
    nieuw = nieuw_id(store)
    assert traject_feiten(svc.get(traject_id)).nieuwe_opleider_id is None
    svc.record(traject_id, EventKind.KANDIDAAT_OPLEIDER, date(2026, 9, 23), {"opleider_id": nieuw}, user=AUTEUR,
               today=TODAY)
    assert traject_feiten(svc.get(traject_id)).nieuwe_opleider_id == nieuw
    svc.record(traject_id, EventKind.KENNISMAKINGSGESPREK, date(2026, 9, 24),
               {"opleider_id": nieuw, "aios_ja": True, "opleider_ja": False}, user=AUTEUR, today=TODAY)
    feiten = traject_feiten(svc.get(traject_id))
    assert feiten.nieuwe_opleider_id is None and feiten.datum_besluit == date(2026, 9, 15)


def test_the_next_opleidersterugkomdag_is_after_today() -> None:
    dagen = [date(2026, 12, 8), date(2026, 11, 30), date(2027, 3, 2), date(2026, 6, 2)]
    assert volgende_datum(dagen, date(2026, 11, 30)) == date(2026, 12, 8)
    assert volgende_datum(dagen, date(2027, 3, 2)) is None
