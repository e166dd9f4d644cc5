"""Trajecten kept on the institute's Personen (issue 17): each laptop's own Personen mirror what the institute shares
with its user, a traject starts on the institute's koppeling and its header carries the institute's ids, and a step
that names a person (the manager opleiders' kandidaat opleider) is recorded on a shared traject from another laptop
and arrives on the docent's traject as that same opleider."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.contrib.auth.hashers import make_password

from ontkoppel_desktop.core.procedure import EventKind, RuleError, default_registry, event_for_step
from ontkoppel_desktop.core.rollen import Rol
from ontkoppel_desktop.instituut import gedeeld, outbox, spiegel
from ontkoppel_desktop.store.instituut_personen import PREFIX, geblokkeerd
from ontkoppel_server.instituut.models import Aios, Blokkade, Gebeurtenis, Groep, Koppeling, Opleider, Praktijk
from ontkoppel_server.instituut.models import Traject as ServerTraject
from tests.instituut.conftest import Laptop, Server, docenten, it_ondertekent, nieuwe_laptop
from tests.instituut.test_gedeeld import besluit_stap, tot_advies
from tests.server.conftest import WACHTWOORD, account

VANDAAG = dt.date.today()
START = VANDAAG - dt.timedelta(days=300)


def _medewerker(naam: str, rol: Rol, scope: int | None) -> None:
    acc = account(naam, (rol, scope))
    acc.password = make_password(WACHTWOORD, hasher="argon2")
    acc.save()


def _instituut() -> dict[str, int]:
    """The institute's Personen for Groep A, as its roles put them on the server: the docent's aios Noor Visser with
    her opleider Eva Oud (the names the docent's laptop has too), and an opleider without an aios, Piet Vrij."""
    db = "eigenaar"
    g = Groep.objects.get_or_create(naam="Groep A", defaults={"opleidingsjaar": 1})[0]
    plein = Praktijk.objects.using(db).create(naam="Praktijk Het Plein", plaats="Zeist")
    eva = Opleider.objects.using(db).create(voornaam="Eva", achternaam="Oud", praktijk=plein)
    piet = Opleider.objects.using(db).create(voornaam="Piet", achternaam="Vrij", praktijk=Praktijk.objects.using(
        db).create(naam="Praktijk De Brug", plaats="Houten"))
    noor = Aios.objects.using(db).create(voornaam="Noor", achternaam="Visser", opleidingsjaar=1,
                                         startdatum_opleiding=VANDAAG - dt.timedelta(days=400), groep=g)
    koppeling = Koppeling.objects.using(db).create(aios=noor, opleider=eva, startdatum=START)
    return {"eva": eva.pk, "piet": piet.pk, "noor": noor.pk, "koppeling": koppeling.pk}


@pytest.fixture
def vier(tmp_path: Path, server: Server, it: dict[str, Path]) -> Iterator[tuple[dict[str, int], Laptop, Laptop,
                                                                                  Laptop, Laptop]]:
    """The institute's Personen, and four connected laptops with confirmed keys: the docent anna (Groep A), the
    manager opleiding mia and the jaarassistent jan (year 1), and the manager opleiders mo."""
    docenten("anna")
    ids = _instituut()
    _medewerker("mia", Rol.MANAGER_OPLEIDING, 1)
    _medewerker("jan", Rol.JAARASSISTENT, 1)
    _medewerker("mo", Rol.MANAGER_OPLEIDERS, None)
    laptops = [nieuwe_laptop(tmp_path / f"{naam}.okdb", aios=aios) for naam, aios in
               (("anna", "Visser"), ("mia", "Manager"), ("jan", "Jaar"), ("mo", "Eigen"))]
    for laptop, naam in zip(laptops, ("anna", "mia", "jan", "mo"), strict=True):
        laptop.verbind(server.adres, naam)
    it_ondertekent(it["instituut"])
    for laptop in laptops:
        assert laptop.synchroniseer().fout is None
    yield ids, *laptops  # type: ignore[misc]
    for laptop in laptops:
        laptop.store.close()


def _instituut_id(laptop: Laptop, tabel: str, local_id: int) -> int | None:
    row = laptop.store.conn.execute(f"SELECT instituut_id FROM {tabel} WHERE id = ?", (local_id,)).fetchone()
    return row[0] if row else None


def test_the_docents_own_personen_are_linked_to_the_institutes_not_doubled(
        vier: tuple[dict[str, int], Laptop, Laptop, Laptop, Laptop]) -> None:
    ids, anna, *_ = vier
    personen = anna.store.personen
    # Her own Noor Visser, Eva Oud and their koppeling are the institute's: linked, not added a second time.
    assert sorted(a.naam.volledig for a in personen.aios()) == ["Noor Visser"]
    assert sorted(o.naam.volledig for o in personen.opleiders()) == ["Eva Oud", "Piet Vrij"]
    assert len(personen.koppelingen()) == 1
    assert _instituut_id(anna, "koppeling", anna.koppeling_id) == ids["koppeling"]
    koppeling = personen.get_koppeling(anna.koppeling_id)
    assert _instituut_id(anna, "aios", koppeling.aios_id) == ids["noor"]
    assert koppeling.startdatum == START  # the institute's date

    # A change at the institute arrives in her Personen; what only her laptop keeps (an e-mail) stays.
    aios = personen.get_aios(koppeling.aios_id)
    from dataclasses import replace
    personen.save_aios(replace(aios, email="noor@example.org"))
    Aios.objects.using("eigenaar").filter(pk=ids["noor"]).update(achternaam="Visser-Bos")
    verslag = anna.synchroniseer()
    assert verslag.fout is None and verslag.personen.touches("aios", koppeling.aios_id)
    aios = personen.get_aios(koppeling.aios_id)
    assert (aios.naam.volledig, aios.email) == ("Noor Visser-Bos", "noor@example.org")


def test_a_traject_starts_on_the_institutes_koppeling_and_names_a_new_opleider_across_laptops(
        vier: tuple[dict[str, int], Laptop, Laptop, Laptop, Laptop]) -> None:
    ids, anna, mia, jan, mo = vier
    traject = tot_advies(anna)
    assert anna.synchroniseer().fout is None
    # The server keeps the traject on its own Personen: its ids, its groep, the opleider's name from its table.
    [kop] = [t.kop for t in ServerTraject.objects.using("eigenaar").all()]
    assert kop["personen"] == "instituut"
    assert (kop["koppeling_id"], kop["aios_id"], kop["opleider_id"]) == (ids["koppeling"], ids["noor"], ids["eva"])

    # The jaarassistent reads the names from her own mirror of the institute's Personen.
    jan.synchroniseer()
    [g] = gedeeld.lijst(jan.store.conn)
    assert g.op_instituut and g.namen == ("Noor Visser", "Eva Oud")
    assert _instituut_id(jan, "aios", g.traject.aios_id) == ids["noor"]

    # The manager opleiding takes the besluit; the manager opleiders then name the kandidaat opleider from their
    # laptop, an opleider of the institute, by this laptop's id.
    mia.synchroniseer()
    besluit_stap(mia, g.uuid)
    assert mia.synchroniseer().geweigerd == 0
    mo.synchroniseer()
    [g] = gedeeld.lijst(mo.store.conn)
    stap = g.overview.status("match_nieuwe_opleider")
    assert stap.state.is_open and gedeeld.niet_hier(stap, g) is None
    keuzes = gedeeld.personen(mo.store.conn)
    piet_mo = next(i for i, naam in keuzes.items() if naam == "Piet Vrij")
    event = event_for_step(default_registry().current(), "match_nieuwe_opleider", VANDAAG,
                           {"opleider_id": piet_mo}, user="Mo")
    gedeeld.leg_vast(mo.store.conn, g.uuid, event)
    assert mo.synchroniseer().geweigerd == 0
    [opgeslagen] = Gebeurtenis.objects.using("eigenaar").filter(soort="kandidaat_opleider")
    assert opgeslagen.gegevens["opleider_id"] == ids["piet"]  # travels by the institute's id

    # On the docent's laptop it is her own traject's event, naming her own (mirrored) Piet Vrij.
    assert anna.synchroniseer().toegepast.conflicten == []
    laatste = anna.store.trajecten.get(traject).events[-1]
    assert laatste.kind is EventKind.KANDIDAAT_OPLEIDER
    piet_anna = laatste.data["opleider_id"]
    assert isinstance(piet_anna, int)
    assert anna.store.personen.opleiders(ids=[piet_anna])[0].naam.volledig == "Piet Vrij"
    assert _instituut_id(anna, "opleider", piet_anna) == ids["piet"]

    # The institute knows Eva Oud as blocked by id, and the manager opleiders' board marks her.
    [blokkade] = Blokkade.objects.using("eigenaar").all()
    assert blokkade.opleider_id == ids["eva"]
    assert {b.instituut for b in outbox.blokkades(mo.store.conn)} == {True}
    assert geblokkeerd(mo.store.conn) == {f"{PREFIX}{ids['eva']}"}


def test_a_step_naming_an_opleider_the_institute_does_not_know_is_stopped_on_the_laptop(
        vier: tuple[dict[str, int], Laptop, Laptop, Laptop, Laptop]) -> None:
    _, anna, mia, _, mo = vier
    tot_advies(anna)
    anna.synchroniseer()
    mia.synchroniseer()
    [g] = gedeeld.lijst(mia.store.conn)
    besluit_stap(mia, g.uuid)
    mia.synchroniseer()
    mo.synchroniseer()
    [g] = gedeeld.lijst(mo.store.conn)
    # Mo's own opleider (only on this laptop) cannot be named on a traject kept on the institute's Personen.
    from ontkoppel_desktop.core.personen import Naam, Opleider
    eigen = Opleider(Naam("Lot", "", "Lokaal"), mo.store.personen.praktijken()[0].id)
    mo.store.personen.save_opleider(eigen)
    assert eigen.id is not None and eigen.id not in gedeeld.personen(mo.store.conn)
    event = event_for_step(default_registry().current(), "match_nieuwe_opleider", VANDAAG,
                           {"opleider_id": eigen.id}, user="Mo")
    with pytest.raises(RuleError, match="Lot Lokaal, die niet bij het instituut bekend is"):
        gedeeld.leg_vast(mo.store.conn, g.uuid, event)
    assert outbox.wachtrij(mo.store.conn).aantal == 0


def test_disconnecting_lets_go_of_the_mirror_but_keeps_what_a_traject_needs(
        vier: tuple[dict[str, int], Laptop, Laptop, Laptop, Laptop]) -> None:
    _, anna, _, jan, _ = vier
    anna.start()
    outbox.verbreek(anna.store.conn)
    personen = anna.store.personen
    # Piet Vrij came only from the institute and nothing here names him: gone. Noor, Eva and their koppeling carry
    # a traject: they stay, as the laptop's own.
    assert sorted(o.naam.volledig for o in personen.opleiders()) == ["Eva Oud"]
    assert [a.naam.volledig for a in personen.aios()] == ["Noor Visser"]
    assert anna.store.conn.execute("SELECT count(*) FROM aios WHERE instituut_id IS NOT NULL").fetchone()[0] == 0
    # The jaarassistent's mirror had no trajecten on it: only her own remain.
    outbox.verbreek(jan.store.conn)
    assert [a.naam.volledig for a in jan.store.personen.aios()] == ["Noor Jaar"]
    assert spiegel.Ids(jan.store.conn).van_instituut("aios", 1) is None
