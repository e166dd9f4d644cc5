"""What the institute's server may hold of an event (core/gedeeld.py, issue 16): every free text replaced by a
placeholder, the real values kept apart to travel sealed, and put back as recorded."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from ontkoppel_desktop.core.gedeeld import (
    VERZEGELD,
    VERZEGELDE_CATEGORIE,
    kop_scheid,
    scheid,
    traject_uit_kop,
    voeg_samen,
    vrije_velden,
)
from ontkoppel_desktop.core.procedure import Categorie, EventKind, FieldType


def test_every_text_field_but_the_checklists_own_points_is_free_text() -> None:
    for kind in EventKind:
        teksten = {n for n, s in kind.fields.items() if s.type is FieldType.TEXT}
        assert set(vrije_velden(kind)) == teksten - {"punt"}
    assert vrije_velden(EventKind.BESLUIT_ONTKOPPELING) == ("door", "toelichting")


@given(st.sampled_from(list(EventKind)), st.text(min_size=1))
def test_the_server_copy_holds_no_free_text_and_the_parts_make_the_whole(kind: EventKind, tekst: str) -> None:
    data = {name: tekst for name in vrije_velden(kind)} | {"bron": "docenten"}
    openbaar, geheim = scheid(kind, data)
    assert all(openbaar[name] in (VERZEGELD, tekst) for name in vrije_velden(kind))
    assert all(openbaar[name] == VERZEGELD for name in geheim)
    assert voeg_samen(openbaar, geheim) == data
    assert openbaar["bron"] == "docenten"


def test_a_correction_keeps_its_corrected_free_text_sealed_too() -> None:
    data = {"gebeurtenis": "e1", "motivatie": "Typfout", "gegevens": {"notitie": "Geheim", "initiatief": "aios"}}
    openbaar, geheim = scheid(EventKind.GEBEURTENIS_GECORRIGEERD, data, EventKind.DRIEHOEKSGESPREK)
    assert openbaar == {"gebeurtenis": "e1", "motivatie": VERZEGELD,
                        "gegevens": {"notitie": VERZEGELD, "initiatief": "aios"}}
    assert voeg_samen(openbaar, geheim) == data


def test_the_header_keeps_the_lovah_category_and_the_aios_name_sealed() -> None:
    kop = {"categorie": "ziekte_zwangerschap_prive", "aios_naam": "Noor Visser", "opleider_naam": "Eva Oud",
           "startreden": "ziekmelding", "koppeling_id": 1, "aios_id": 2, "opleider_id": 3}
    openbaar, geheim = kop_scheid(kop)
    assert openbaar["categorie"] == VERZEGELDE_CATEGORIE and openbaar["aios_naam"] == ""
    assert openbaar["opleider_naam"] == "Eva Oud"  # the blokkade is known institute-wide
    assert geheim == {"categorie": "ziekte_zwangerschap_prive", "aios_naam": "Noor Visser"}
    # The rules still read the header: a sealed categorie stands in as any.
    assert traject_uit_kop(openbaar, "utrecht", "2023-03", ()).categorie in Categorie
    assert traject_uit_kop(kop, "utrecht", "2023-03", ()).categorie is Categorie.ZIEKTE_ZWANGERSCHAP_PRIVE
