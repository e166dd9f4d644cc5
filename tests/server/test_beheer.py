"""The beheer pages where IT manages accounts, roles and laptops (Django's admin, in Dutch)."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from ontkoppel_desktop.core.rollen import Rol
from ontkoppel_server.instituut.models import Account, AccountRol, Laptop
from tests.server.conftest import aanmelden, account, groep


def _it() -> Client:
    it = Account.objects.create_superuser("it", password="Beheer-wachtwoord-42")
    client = Client()
    client.force_login(it)
    return client


def test_it_revokes_a_laptop_in_one_action_and_its_token_is_refused() -> None:
    account("anna")
    laptop = aanmelden("anna")
    client = _it()

    page = client.get("/beheer/instituut/laptop/", secure=True)
    assert page.status_code == 200 and "Toegang van de gekozen laptops intrekken" in page.content.decode()
    response = client.post("/beheer/instituut/laptop/", {"action": "intrekken",
                                                         "_selected_action": [str(Laptop.objects.get().pk)]},
                           secure=True, follow=True)
    assert "1 laptop(s) ingetrokken" in response.content.decode()
    status, body = laptop.get("/api/v1/ik")
    assert status == 401 and body["fout"].startswith("IT heeft de toegang van deze laptop")


def test_it_revokes_every_laptop_of_an_account_that_leaves() -> None:
    anna = account("anna")
    laptops = [aanmelden("anna", "Thuis"), aanmelden("anna", "Werk")]
    client = _it()
    client.post("/beheer/instituut/account/", {"action": "laptops_intrekken", "_selected_action": [str(anna.pk)]},
                secure=True)
    assert [laptop.get("/api/v1/ik")[0] for laptop in laptops] == [401, 401]


def test_it_gives_an_account_a_role_and_its_laptops_see_from_the_start_again() -> None:
    g = groep("Groep A")
    anna = account("anna", last_name="Jansen")
    client = _it()
    page = client.get(f"/beheer/instituut/account/{anna.pk}/change/", secure=True)
    html = page.content.decode()
    assert page.status_code == 200 and "Rollen (met groep of opleidingsjaar waar de rol dat vraagt)" in html
    assert "Ontkoppel – beheer van het instituut" in html

    form = {
        "username": "anna", "first_name": "Anna", "last_name": "Jansen", "email": "", "is_active": "on",
        "last_login_0": "", "last_login_1": "", "date_joined_0": "2026-01-01", "date_joined_1": "09:00:00",
        "initial-date_joined_0": "2026-01-01", "initial-date_joined_1": "09:00:00",
        "rollen-TOTAL_FORMS": "1", "rollen-INITIAL_FORMS": "0", "rollen-MIN_NUM_FORMS": "0",
        "rollen-MAX_NUM_FORMS": "1000", "rollen-0-rol": "docenten", "rollen-0-groep": str(g.pk),
        "rollen-0-opleidingsjaar": "", "rollen-0-account": str(anna.pk),
        "laptops-TOTAL_FORMS": "0", "laptops-INITIAL_FORMS": "0", "laptops-MIN_NUM_FORMS": "0",
        "laptops-MAX_NUM_FORMS": "1000", "_save": "Opslaan",
    }
    response = client.post(f"/beheer/instituut/account/{anna.pk}/change/", form, secure=True)
    assert response.status_code == 302, response.content.decode()[:3000]
    assert [str(r) for r in AccountRol.objects.filter(account=anna)] == ["Docenten, groep Groep A"]
    assert Account.objects.get(pk=anna.pk).scope_versie == anna.scope_versie + 1


@pytest.mark.parametrize(
    ("rol", "groep_nodig", "jaar", "fout"),
    [
        (Rol.DOCENTEN, False, None, "Kies de groep waarvan deze persoon docent is."),
        (Rol.JAARASSISTENT, False, None, "Een jaarassistent hoort bij een opleidingsjaar."),
        (Rol.MANAGER_OPLEIDING, True, 1, "Een manager opleiding hoort bij een jaar, niet bij een groep."),
        (Rol.PLV_HOOFD, False, 2, "Plaatsvervangend hoofd geldt voor het hele instituut"),
    ],
)
def test_a_role_asks_for_the_scope_it_needs_in_dutch(rol: Rol, groep_nodig: bool, jaar: int | None,
                                                     fout: str) -> None:
    rol_rij = AccountRol(account=account("anna"), rol=rol.value, groep=groep("G") if groep_nodig else None,
                         opleidingsjaar=jaar)
    with pytest.raises(ValidationError) as raised:
        rol_rij.full_clean()
    assert fout in str(raised.value)
