"""Free text in events, sealed (issue 16): a notitie, an omschrijving, a motivatie, the LOVAH categorie and the aios's
name reach the server only as placeholders, the real values sealed to the traject's readers. The server refuses them
in plain, keeps an envelope only when its author's bound key signed it for this event, hands it out with the event,
and neither it nor a dump of its database can read the text. Migration 0007 scrubs what was stored before."""

from __future__ import annotations

import base64
import importlib
import json
import os
import subprocess
import uuid
from types import SimpleNamespace
from typing import Any

import pytest
from django.apps import apps
from django.db import connections

from ontkoppel_desktop.core.gedeeld import VERZEGELD, VERZEGELDE_CATEGORIE, kop_scheid
from ontkoppel_desktop.core.rollen import Rol
from ontkoppel_desktop.instituut.verzegeling import (
    HERSTEL,
    Sleutelpaar,
    maak_sleutelpaar,
    open_zegel,
    uit_b64,
    verzegel,
)
from ontkoppel_server import pgcluster
from ontkoppel_server.instituut import gebeurtenissen, zegels
from ontkoppel_server.instituut.models import Gebeurtenis, Traject
from tests.server.conftest import EIGENAAR_WACHTWOORD, event, kop, nieuw_traject, signaal
from tests.server.test_verslagen import Wereld, snelle_sleutelbestanden, wereld  # noqa: F401 - the fixtures


@pytest.fixture
def w(wereld: Wereld) -> Wereld:  # noqa: F811 - the fixture
    """Groep A with docent dirk, jaarassistent jas of year 1 and bea of groep B, their keys bound by the institute,
    and a traject of groep A on the server (test_verslagen.py)."""
    return wereld


MARKER = "Vertrouwelijk: aios Ëlise is zwanger en ziek thuis (c41e7d)"


def _zegel(w: Wereld, inhoud: dict[str, Any], metadata: dict[str, Any], *, paar: Sleutelpaar | None = None,
           lezers: dict[str, bytes] | None = None) -> str:
    """An envelope as dirk's laptop seals an event's free text (or a header's) to the traject's readers."""
    envelop = verzegel(json.dumps(inhoud).encode(), metadata, paar or w.paren["dirk"], "dirk",
                       w.lezers("dirk", "jas") if lezers is None else lezers)
    return base64.b64encode(envelop).decode("ascii")


def _driehoeksgesprek(w: Wereld, notitie: str = VERZEGELD) -> dict[str, Any]:
    return event(w.traject, "driehoeksgesprek", 25, {"initiatief": "docenten", "notitie": notitie})


def _open(w: Wereld, b64: str, lezer: str = "jas") -> dict[str, Any]:
    geopend = open_zegel(uit_b64(b64), lezer, w.paren[lezer], w.paren["dirk"].publiek.ondertekening)
    inhoud: dict[str, Any] = json.loads(geopend.inhoud)
    return inhoud


# ---- plaintext refused ------------------------------------------------------------------------------------------


def test_a_notitie_an_omschrijving_or_a_motivatie_in_plain_is_refused(w: Wereld) -> None:
    dirk = w.laptops["dirk"]
    nieuw, ziek = nieuw_traject(), nieuw_traject()
    gesprek = _driehoeksgesprek(w)
    [vooraf] = dirk.stuur(gesprek)
    assert vooraf["status"] == "aanvaard"
    pogingen = [
        _driehoeksgesprek(w, MARKER),
        event(nieuw, "signaal", 30, {"bron": "docenten", "omschrijving": MARKER}, met_kop=kop(w.a)),
        event(ziek, "ziekmelding", 30, {"omschrijving": MARKER}, met_kop=kop(w.a, startreden="ziekmelding")),
        event(w.traject, "gebeurtenis_ingetrokken", 0, {"gebeurtenis": gesprek["id"], "motivatie": MARKER}),
        # A correctie's corrected values are the driehoeksgesprek's data: its notitie is free text too.
        event(w.traject, "gebeurtenis_gecorrigeerd", 0, {"gebeurtenis": gesprek["id"], "motivatie": VERZEGELD,
                                                        "gegevens": {"notitie": MARKER}}),
        event(w.traject, "besluit_ontkoppeling", 10, {"besluit": "ontkoppelen", "door": "Dr. H. de Hoofd"}),
    ]
    for poging in pogingen:
        [resultaat] = dirk.stuur(poging)
        assert resultaat == {"id": poging["id"], "status": "geweigerd", "melding": gebeurtenissen.VRIJE_TEKST}
    assert gebeurtenissen.VRIJE_TEKST == (
        "Vrije tekst in een gebeurtenis gaat alleen verzegeld naar het instituut. Werk de app bij.")
    assert Gebeurtenis.objects.using("eigenaar").count() == 2  # the signaal and the gesprek
    assert set(Traject.objects.using("eigenaar").values_list("pk", flat=True)) == {uuid.UUID(w.traject)}

    # A correctie that clears a notitie, or corrects its choices only, holds no text: it goes.
    [leeg] = dirk.stuur(event(w.traject, "gebeurtenis_gecorrigeerd", 0, {
        "gebeurtenis": gesprek["id"], "motivatie": VERZEGELD, "gegevens": {"notitie": None, "initiatief": "aios"}}))
    assert leeg["status"] == "aanvaard", leeg


@pytest.mark.parametrize("plain", [{"categorie": "ziekte_zwangerschap_prive"}, {"categorie": "overig"},
                                   {"aios_naam": "Ëlise de Vries"}])
def test_a_header_with_a_real_categorie_or_the_aios_name_is_refused(w: Wereld, plain: dict[str, str]) -> None:
    traject = nieuw_traject()
    eerste = event(traject, "signaal", 30, {"bron": "docenten"}, met_kop=kop(w.a, **plain))
    [resultaat] = w.laptops["dirk"].stuur(eerste)
    assert resultaat == {"id": eerste["id"], "status": "geweigerd", "melding": gebeurtenissen.KOP_VRIJE_TEKST}
    assert not Traject.objects.using("eigenaar").filter(pk=traject).exists()


# ---- placeholders, with or without an envelope ------------------------------------------------------------------


def test_a_placeholder_without_an_envelope_is_accepted_and_handed_out_without_one(w: Wereld) -> None:
    [resultaat] = w.laptops["dirk"].stuur(_driehoeksgesprek(w))
    assert resultaat["status"] == "aanvaard"
    w.laptops["jas"].haal()
    events = w.laptops["jas"].trajecten[w.traject]
    assert [e["verzegeld"] for e in events] == [None, None]
    assert events[1]["data"] == {"initiatief": "docenten", "notitie": VERZEGELD}
    status, traject = w.laptops["jas"].get(f"/api/v1/trajecten/{w.traject}")
    assert status == 200
    assert traject["kop_verzegeld"] is None and traject["categorie"] == VERZEGELDE_CATEGORIE
    assert traject["aios_naam"] == ""
    assert Gebeurtenis.objects.using("eigenaar").filter(sealed__isnull=False).count() == 0


def test_sealed_free_text_and_header_are_kept_and_handed_to_whoever_sees_the_traject(w: Wereld) -> None:
    dirk, jas = w.laptops["dirk"], w.laptops["jas"]
    traject = nieuw_traject()
    openbaar_kop, geheim_kop = kop_scheid({**kop(w.a), "categorie": "ziekte_zwangerschap_prive",
                                           "aios_naam": "Ëlise de Vries"})
    eerste = event(traject, "ziekmelding", 30, {"omschrijving": VERZEGELD},
                   met_kop={**openbaar_kop, "startreden": "ziekmelding"})
    eerste["verzegeld"] = _zegel(w, {"omschrijving": MARKER}, {"traject": traject, "gebeurtenis": eerste["id"]})
    eerste["traject_kop_verzegeld"] = _zegel(w, geheim_kop, {"traject": traject})
    gesprek = event(traject, "driehoeksgesprek", 25, {"notitie": VERZEGELD})
    # The event's id in another spelling than the laptop sent it still names it.
    gesprek["verzegeld"] = _zegel(w, {"notitie": "Goed gesprek"}, {"traject": traject.replace("-", ""),
                                                                  "gebeurtenis": str(uuid.UUID(gesprek["id"]))})
    assert [r["status"] for r in dirk.stuur(eerste, gesprek)] == ["aanvaard", "aanvaard"]

    rij = Gebeurtenis.objects.using("eigenaar").get(uuid=eerste["id"])
    assert rij.gegevens == {"omschrijving": VERZEGELD} and bytes(rij.sealed) == uit_b64(eerste["verzegeld"])
    kop_rij = Traject.objects.using("eigenaar").get(pk=traject)
    assert kop_rij.kop["categorie"] == VERZEGELDE_CATEGORIE and kop_rij.kop["aios_naam"] == ""
    assert bytes(kop_rij.sealed) == uit_b64(eerste["traject_kop_verzegeld"])

    antwoord = jas.haal()
    [kop_json] = [t for t in antwoord["trajecten"] if t["id"] == traject]
    assert kop_json["kop_verzegeld"] == eerste["traject_kop_verzegeld"]
    assert _open(w, kop_json["kop_verzegeld"]) == {"categorie": "ziekte_zwangerschap_prive",
                                                   "aios_naam": "Ëlise de Vries"}
    ontvangen = {e["id"]: e for e in jas.trajecten[traject]}
    assert _open(w, ontvangen[eerste["id"]]["verzegeld"]) == {"omschrijving": MARKER}
    assert _open(w, ontvangen[gesprek["id"]]["verzegeld"]) == {"notitie": "Goed gesprek"}
    status, enkel = jas.get(f"/api/v1/trajecten/{traject}")
    assert status == 200 and enkel["kop_verzegeld"] == eerste["traject_kop_verzegeld"]
    assert [e["verzegeld"] for e in enkel["gebeurtenissen"]] == [eerste["verzegeld"], gesprek["verzegeld"]]
    # Sending again is harmless.
    assert [r["nieuw"] for r in dirk.stuur(eerste, gesprek)] == [False, False]


# ---- envelopes refused ------------------------------------------------------------------------------------------


def test_an_envelope_the_server_cannot_vouch_for_refuses_the_event(w: Wereld) -> None:
    dirk = w.laptops["dirk"]
    gevallen: list[tuple[dict[str, Any], str]] = []

    def geval(melding: str, metadata: dict[str, Any] | None = None, **zegel: Any) -> dict[str, Any]:
        ev = _driehoeksgesprek(w)
        ev["verzegeld"] = _zegel(w, {"notitie": MARKER}, {"traject": w.traject, "gebeurtenis": ev["id"]}
                                 if metadata is None else metadata, **zegel)
        gevallen.append((ev, melding))
        return ev

    geval(zegels.HANDTEKENING, paar=maak_sleutelpaar())  # not the key the institute bound to dirk
    geval(zegels.METADATA, {"traject": w.traject, "gebeurtenis": uuid.uuid4().hex})
    geval(zegels.METADATA, {"traject": nieuw_traject(), "gebeurtenis": "x"})
    geval(zegels.METADATA, {"traject": w.traject})
    andere = geval(zegels.METADATA, {"traject": w.traject, "notitie": "x"})
    andere["verzegeld"] = _zegel(w, {}, {"traject": w.traject, "gebeurtenis": andere["id"], "notitie": "x"})
    # The readers are not signed (the institute adds one later): an envelope with herstel taken out still verifies.
    zonder = geval(zegels.ZONDER_HERSTEL)
    data = json.loads(uit_b64(zonder["verzegeld"]))
    del data["lezers"][HERSTEL]
    zonder["verzegeld"] = base64.b64encode(json.dumps(data).encode()).decode()
    geval(zegels.ONLEESBAAR)["verzegeld"] = base64.b64encode(b"not an envelope").decode()
    geval(zegels.ONLEESBAAR)["verzegeld"] = "@@"
    # Jas's own, valid envelope is not dirk's to send.
    namens_jas = geval(zegels.ANDER_ACCOUNT)
    namens_jas["verzegeld"] = base64.b64encode(verzegel(
        b"{}", {"traject": w.traject, "gebeurtenis": namens_jas["id"]}, w.paren["jas"], "jas",
        w.lezers("dirk", "jas"))).decode()

    for ev, melding in gevallen:
        [resultaat] = dirk.stuur(ev)
        assert resultaat == {"id": ev["id"], "status": "geweigerd", "melding": melding}, melding
    assert Gebeurtenis.objects.using("eigenaar").count() == 1  # the signaal only


def test_a_header_envelope_with_wrong_metadata_refuses_the_new_traject(w: Wereld) -> None:
    traject = nieuw_traject()
    eerste = signaal(traject, w.a)
    eerste["traject_kop_verzegeld"] = _zegel(w, {"categorie": "overig"}, {"traject": w.traject})
    [resultaat] = w.laptops["dirk"].stuur(eerste)
    assert resultaat["status"] == "geweigerd" and resultaat["melding"] == zegels.METADATA
    assert not Traject.objects.using("eigenaar").filter(pk=traject).exists()


def test_an_account_without_a_signed_key_shares_its_steps_without_the_text(w: Wereld) -> None:
    w.nieuw("anna", (Rol.DOCENTEN, w.a), onderteken=False)
    anna = w.laptops["anna"]
    ev = event(w.traject, "check_up", 20, {"notitie": VERZEGELD})
    ev["verzegeld"] = base64.b64encode(verzegel(b"{}", {"traject": w.traject, "gebeurtenis": ev["id"]},
                                                w.paren["anna"], "anna", w.lezers("dirk", "jas"))).decode()
    [resultaat] = anna.stuur(ev)
    assert resultaat["status"] == "geweigerd" and resultaat["melding"] == zegels.GEEN_SLEUTEL
    del ev["verzegeld"]
    [resultaat] = anna.stuur(ev)
    assert resultaat["status"] == "aanvaard"


# ---- the database --------------------------------------------------------------------------------------------


def test_the_database_dump_holds_neither_the_free_text_nor_the_categorie(w: Wereld,
                                                                         postgres: pgcluster.Cluster) -> None:
    traject = nieuw_traject()
    openbaar_kop, geheim_kop = kop_scheid({**kop(w.a), "categorie": "ziekte_zwangerschap_prive",
                                           "aios_naam": "Ëlise de Vries"})
    eerste = signaal(traject, w.a)
    eerste["traject_kop"] = openbaar_kop
    eerste["traject_kop_verzegeld"] = _zegel(w, geheim_kop, {"traject": traject})
    gesprek = event(traject, "driehoeksgesprek", 25, {"notitie": VERZEGELD})
    gesprek["verzegeld"] = _zegel(w, {"notitie": MARKER}, {"traject": traject, "gebeurtenis": gesprek["id"]})
    assert [r["status"] for r in w.laptops["dirk"].stuur(eerste, gesprek)] == ["aanvaard", "aanvaard"]

    dump = subprocess.run(
        [str(pgcluster.bin_map() / "pg_dump"), "--host", "127.0.0.1", "--port", str(postgres.port), "--username",
         "ontkoppel_eigenaar", "--no-password", "--dbname", "ontkoppel"],
        env={**os.environ, "PGPASSWORD": EIGENAAR_WACHTWOORD}, capture_output=True, check=True,
    ).stdout
    # The rows are in the dump, envelopes and all (bytea as hex): a plaintext there would be found below.
    assert str(uuid.UUID(gesprek["id"])).encode() in dump and VERZEGELD.encode() in dump
    assert uit_b64(gesprek["verzegeld"]).hex().encode() in dump
    assert uit_b64(eerste["traject_kop_verzegeld"]).hex().encode() in dump
    for tekst in (MARKER, "ziekte_zwangerschap_prive", "zwanger", "Ëlise"):
        for vorm in (tekst.encode(), tekst.encode().hex().encode()):
            assert vorm not in dump, tekst
        assert tekst not in dump.decode("utf-8", errors="replace")


def _migratie_0007() -> Any:
    return importlib.import_module("ontkoppel_server.instituut.migrations.0007_vrije_tekst")


def test_migration_0007_replaces_the_plaintext_stored_before(w: Wereld) -> None:
    dirk = w.laptops["dirk"]
    gesprek = _driehoeksgesprek(w)
    correctie = event(w.traject, "gebeurtenis_gecorrigeerd", 0, {
        "gebeurtenis": gesprek["id"], "motivatie": VERZEGELD, "gegevens": {"notitie": VERZEGELD,
                                                                          "initiatief": "aios"}})
    besluit = event(w.traject, "uitkomst", 20, {"uitkomst": "advies_ontkoppeling"})
    assert [r["status"] for r in dirk.stuur(gesprek, correctie, besluit)] == ["aanvaard"] * 3
    signaal_id = Gebeurtenis.objects.using("eigenaar").get(traject_id=w.traject, soort="signaal").uuid
    # As a server from before issue 16 stored them (the owner may write what the application may not).
    voor = {
        signaal_id: {"bron": "docenten", "omschrijving": MARKER},
        uuid.UUID(gesprek["id"]): {"initiatief": "docenten", "notitie": MARKER},
        uuid.UUID(correctie["id"]): {"gebeurtenis": gesprek["id"], "motivatie": MARKER,
                                     "gegevens": {"notitie": MARKER, "initiatief": "aios"}},
        uuid.UUID(besluit["id"]): {"uitkomst": "advies_ontkoppeling"},
    }
    for event_id, gegevens in voor.items():
        Gebeurtenis.objects.using("eigenaar").filter(uuid=event_id).update(gegevens=gegevens)
    rij = Traject.objects.using("eigenaar").get(pk=w.traject)
    Traject.objects.using("eigenaar").filter(pk=w.traject).update(
        kop={**rij.kop, "categorie": "ziekte_zwangerschap_prive", "aios_naam": "Ëlise de Vries",
             "opleider_naam": "Dr. P. de Vries"})

    with connections["eigenaar"].schema_editor() as editor:
        _migratie_0007().verzegel_vrije_tekst(apps, editor)

    na = dict(Gebeurtenis.objects.using("eigenaar").values_list("uuid", "gegevens"))
    assert na == {
        signaal_id: {"bron": "docenten", "omschrijving": VERZEGELD},
        uuid.UUID(gesprek["id"]): {"initiatief": "docenten", "notitie": VERZEGELD},
        uuid.UUID(correctie["id"]): {"gebeurtenis": gesprek["id"], "motivatie": VERZEGELD,
                                     "gegevens": {"notitie": VERZEGELD, "initiatief": "aios"}},
        uuid.UUID(besluit["id"]): {"uitkomst": "advies_ontkoppeling"},
    }
    kop_na = Traject.objects.using("eigenaar").get(pk=w.traject).kop
    assert kop_na == {**rij.kop, "categorie": VERZEGELDE_CATEGORIE, "aios_naam": "",
                      "opleider_naam": "Dr. P. de Vries"}
    # The traject reads as before (the rules never read what was replaced), and a second run changes nothing.
    dirk.gezien = 0
    assert len(dirk.haal()["gebeurtenissen"]) == 4
    _migratie_0007().verzegel_vrije_tekst(apps, SimpleNamespace(connection=SimpleNamespace(alias="eigenaar")))
    assert dict(Gebeurtenis.objects.using("eigenaar").values_list("uuid", "gegevens")) == na
