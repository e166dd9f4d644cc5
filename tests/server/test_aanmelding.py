"""Enrolling a laptop, and the token that binds it: random, stored hashed, expiring, revocable; a refused token
says in Dutch why."""

from __future__ import annotations

import datetime as dt
import hashlib

from django.test import Client, override_settings
from django.utils import timezone

from ontkoppel_desktop.core.rollen import Rol
from ontkoppel_server.instituut.models import Laptop
from tests.server.conftest import WACHTWOORD, LaptopSessie, aanmelden, account, groep


def _ik(laptop: LaptopSessie) -> tuple[int, dict[str, object]]:
    return laptop.get("/api/v1/ik")


def test_a_laptop_enrols_with_the_account_and_gets_a_token_kept_only_hashed() -> None:
    g = groep("Groep A")
    account("anna", (Rol.DOCENTEN, g), last_name="Jansen")
    laptop = aanmelden("anna", "Laptop van Anna")

    status, ik = _ik(laptop)
    assert status == 200
    assert ik["account"] == {"gebruikersnaam": "anna", "naam": "Anna Jansen"}
    assert ik["rollen"] == [{"rol": "docenten", "label": "Docenten", "groep": g.pk, "opleidingsjaar": None}]
    assert ik["groepen"] == [{"id": g.pk, "naam": "Groep A", "opleidingsjaar": 1}]
    stored = Laptop.objects.get()
    assert stored.naam == "Laptop van Anna" and str(stored.id) == ik["laptop"]["id"]  # type: ignore[index]
    assert stored.token_hash == hashlib.sha256(laptop.token.encode()).hexdigest()
    assert len(laptop.token) >= 40 and laptop.token not in str(Laptop.objects.values_list().get())


def test_a_wrong_wachtwoord_or_a_switched_off_account_gets_no_token() -> None:
    account("anna")
    account("oud", is_active=False)
    client = Client()
    for naam, wachtwoord in (("anna", "fout"), ("niemand", WACHTWOORD), ("oud", WACHTWOORD)):
        response = client.post("/api/v1/aanmelden", {"gebruikersnaam": naam, "wachtwoord": wachtwoord, "laptop": "L"},
                               content_type="application/json", secure=True)
        assert response.status_code == 401
        assert response.json() == {"fout": "De gebruikersnaam of het wachtwoord is onjuist."}
    assert not Laptop.objects.exists()


def test_an_expired_revoked_or_forged_token_is_refused_in_dutch() -> None:
    account("anna")
    laptop = aanmelden("anna")
    assert _ik(laptop)[0] == 200

    Laptop.objects.update(verloopt_op=timezone.now() - dt.timedelta(minutes=1))
    status, body = _ik(laptop)
    assert status == 401
    assert body["fout"].startswith("De aanmelding van deze laptop is verlopen op ")
    assert body["fout"].endswith("Meld de laptop opnieuw aan met Verbinden met instituut…")

    Laptop.objects.update(verloopt_op=timezone.now() + dt.timedelta(days=1), ingetrokken_op=timezone.now())
    status, body = _ik(laptop)
    assert status == 401 and body["fout"].startswith("IT heeft de toegang van deze laptop (Laptop) op ")

    for vals in (laptop.token[:-1] + ("A" if laptop.token[-1] != "A" else "B"), "", "x" * 43):
        status, body = LaptopSessie(laptop.client, vals).get("/api/v1/ik")
        assert status == 401 and "niet" in body["fout"]
    response = laptop.client.get("/api/v1/ik", secure=True)
    assert response.status_code == 401 and response["WWW-Authenticate"].startswith("Bearer")


def test_a_switched_off_account_speaks_no_more_from_its_laptops() -> None:
    anna = account("anna")
    laptop = aanmelden("anna")
    anna.is_active = False
    anna.save()
    status, body = _ik(laptop)
    assert status == 401 and body["fout"].startswith("Uw account bij het instituut is uitgeschakeld.")


def test_a_renewed_token_replaces_the_old_one() -> None:
    account("anna")
    laptop = aanmelden("anna")
    Laptop.objects.update(verloopt_op=timezone.now() + dt.timedelta(days=2))
    status, body = laptop.post("/api/v1/token/vernieuwen", {})
    assert status == 200
    nieuw = LaptopSessie(laptop.client, body["token"])
    assert _ik(nieuw)[0] == 200
    assert _ik(laptop)[0] == 401  # the old token, once the new one was used
    assert Laptop.objects.get().verloopt_op > timezone.now() + dt.timedelta(days=29)


def test_a_renewal_whose_answer_never_arrived_does_not_lock_the_laptop_out() -> None:
    account("anna")
    laptop = aanmelden("anna")
    # The answer with the new token is lost (a cut connection): the laptop still has only the old one.
    status, verloren = laptop.post("/api/v1/token/vernieuwen", {})
    assert status == 200
    assert _ik(laptop)[0] == 200  # the old token still speaks, until the new one is used
    # It asks again with the old token, and this time hears the answer; the lost token never worked and now
    # does not, and the old one stops at the first use of the new.
    status, body = laptop.post("/api/v1/token/vernieuwen", {})
    assert status == 200
    assert _ik(LaptopSessie(laptop.client, verloren["token"]))[0] == 401
    nieuw = LaptopSessie(laptop.client, body["token"])
    assert _ik(nieuw)[0] == 200
    assert _ik(laptop)[0] == 401
    assert _ik(nieuw)[0] == 200


def test_plain_http_is_refused_unless_a_test_setting_allows_it() -> None:
    account("anna")
    laptop = aanmelden("anna")
    response = laptop.client.get("/api/v1/ik", headers={"Authorization": f"Bearer {laptop.token}"})
    assert response.status_code == 403
    assert response.json() == {"fout": "Deze server neemt alleen verbindingen via HTTPS aan."}
    with override_settings(HTTP_TOESTAAN=True):
        response = laptop.client.get("/api/v1/ik", headers={"Authorization": f"Bearer {laptop.token}"})
        assert response.status_code == 200


def test_a_wrong_method_is_named() -> None:
    response = Client().get("/api/v1/aanmelden", secure=True)
    assert response.status_code == 405 and response["Allow"] == "POST"
    assert response.json() == {"fout": "Deze methode (GET) kan hier niet; wel: POST."}
