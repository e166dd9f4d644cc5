"""The laptops' JSON API, version 1 (server/README.md describes it in Dutch).

Every answer is JSON; every refusal is {"fout": "..."} in Dutch, with the HTTP status that says which kind:
400 the request cannot be read, 401 the laptop may not (or no longer) speak, 403 not over HTTPS, 404 not there
for this account, 405 wrong method. Requests carry the laptop's token as `Authorization: Bearer TOKEN`, so
there are no cookies and no CSRF token; plain HTTP is refused unless settings.HTTP_TOESTAAN (tests, development).
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable
from functools import wraps
from typing import Any, cast

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.db import transaction
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.csrf import csrf_exempt

from ontkoppel_desktop.core.rollen import Rol
from ontkoppel_server.instituut import blokkades, gebeurtenissen, laptops, personen, sleutels, toegang, verslagen
from ontkoppel_server.instituut.models import Laptop
from ontkoppel_server.instituut.toegangslog import Lezer

ALLEEN_HTTPS = "Deze server neemt alleen verbindingen via HTTPS aan."


def _antwoord(data: object, status: int = 200) -> JsonResponse:
    return JsonResponse(data, status=status, safe=False, json_dumps_params={"ensure_ascii": False})


def fout(melding: str, status: int) -> JsonResponse:
    response = _antwoord({"fout": melding}, status)
    if status == 401:
        response["WWW-Authenticate"] = 'Bearer realm="ontkoppel"'
    return response


def _body(request: HttpRequest) -> Any:
    try:
        return json.loads(request.body or b"null")
    except RequestDataTooBig:
        raise gebeurtenissen.Onleesbaar("Het verzoek is te groot; stuur minder tegelijk.") from None
    except (ValueError, UnicodeDecodeError):
        raise gebeurtenissen.Onleesbaar("De inhoud van het verzoek is geen geldige JSON.") from None


View = Callable[..., HttpResponse]


def endpoint(*methods: str, token: bool = True) -> Callable[[View], View]:
    """HTTPS, the method, and (with `token`) the laptop behind the bearer token, passed to the view."""

    def decorate(view: View) -> View:
        @csrf_exempt
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not request.is_secure() and not settings.HTTP_TOESTAAN:
                return fout(ALLEEN_HTTPS, 403)
            if request.method not in methods:
                response = fout(f"Deze methode ({request.method}) kan hier niet; wel: {', '.join(methods)}.", 405)
                response["Allow"] = ", ".join(methods)
                return response
            try:
                if token:
                    scheme, _, value = request.headers.get("Authorization", "").partition(" ")
                    laptop = laptops.laptop_van(value.strip() if scheme.lower() == "bearer" else "")
                    return view(request, laptop, *args, **kwargs)
                return view(request, *args, **kwargs)
            except laptops.Geweigerd as geweigerd:
                return fout(str(geweigerd), 401)
            except gebeurtenissen.Onleesbaar as onleesbaar:
                return fout(str(onleesbaar), 400)

        return cast(View, wrapped)

    return decorate


def _laptop_json(laptop: Laptop) -> dict[str, object]:
    return {"id": str(laptop.id), "naam": laptop.naam, "verloopt_op": laptop.verloopt_op.isoformat()}


def _ik(laptop: Laptop) -> dict[str, object]:
    """Who this laptop speaks for. In an als_account transaction: the keys are under row-level security."""
    account = laptop.account
    rollen = [
        {"rol": r.rol, "label": Rol(r.rol).label, "groep": r.groep_id, "opleidingsjaar": r.opleidingsjaar}
        for r in account.rollen.all().order_by("rol", "groep_id", "opleidingsjaar")
    ]
    return {
        "account": {"gebruikersnaam": account.username, "naam": account.naam},
        "rollen": rollen,
        "groepen": [
            {"id": g.pk, "naam": g.naam, "opleidingsjaar": g.opleidingsjaar} for g in toegang.groepen(account)
        ],
        "scope_versie": account.scope_versie,
        "laptop": _laptop_json(laptop),
        "instituut": sleutels.instituut_json(),
        "sleutel": sleutels.sleutel_json(sleutels.huidige(account)),
    }


@endpoint("POST", token=False)
def aanmelden(request: HttpRequest) -> HttpResponse:
    """Enrol this laptop: {gebruikersnaam, wachtwoord, laptop, sleutels?} -> {token, laptop, account, rollen,
    ..., instituut, sleutel}. `sleutels` (PubliekeSleutels.naar_json()) become the account's current key,
    unsigned until IT signs it."""
    body = _body(request)
    if not isinstance(body, dict) or not all(isinstance(body.get(k), str) for k in ("gebruikersnaam", "wachtwoord")):
        return fout("Geef gebruikersnaam, wachtwoord en de naam van de laptop.", 400)
    publiek = sleutels.lees(body["sleutels"]) if body.get("sleutels") is not None else None
    with transaction.atomic():
        laptop, token = laptops.meld_aan(body["gebruikersnaam"], body["wachtwoord"], str(body.get("laptop") or ""))
        with toegang.als_account(laptop.account):
            if publiek is not None:
                sleutels.bewaar(laptop, publiek)
            antwoord = {"token": token, **_ik(laptop)}
    return _antwoord(antwoord, 201)


@endpoint("GET")
def ik(request: HttpRequest, laptop: Laptop) -> HttpResponse:
    """Who this laptop speaks for: account, roles, the groepen it may start trajecten in, the token's expiry, the
    institute's public keys and whether the account's own key is signed yet."""
    with toegang.als_account(laptop.account):
        return _antwoord(_ik(laptop))


@endpoint("POST")
def vernieuwen(request: HttpRequest, laptop: Laptop) -> HttpResponse:
    """A fresh token (and expiry) for this laptop; the old token stops working."""
    token = laptops.vernieuw(laptop)
    return _antwoord({"token": token, "laptop": _laptop_json(laptop)})


def _na_en_scope(request: HttpRequest, wat: str) -> tuple[int, int | None] | HttpResponse:
    """A pull's `na` (0 or more) and optional `scope_versie`, or the Dutch 400 that says what is wrong."""
    try:
        na = int(request.GET.get("na", "0"))
        scope = request.GET.get("scope_versie")
        scope_versie = int(scope) if scope is not None else None
    except ValueError:
        return fout("'na' en 'scope_versie' zijn gehele getallen.", 400)
    if na < 0:
        return fout(f"'na' is {wat} (0 of meer).", 400)
    return na, scope_versie


@endpoint("GET", "POST")
def gebeurtenissen_view(request: HttpRequest, laptop: Laptop) -> HttpResponse:
    """GET ?na=N[&scope_versie=V]: what is new for me; POST {gebeurtenissen: [...]}: my outbox, in order."""
    if request.method == "POST":
        resultaten = gebeurtenissen.ontvang(laptop, _body(request))
        return _antwoord({"resultaten": [r.as_json() for r in resultaten]})
    gelezen = _na_en_scope(request, "een volgnummer")
    if isinstance(gelezen, HttpResponse):
        return gelezen
    return _antwoord(gebeurtenissen.haal_op(Lezer.van(request, laptop), *gelezen))


@endpoint("GET")
def traject(request: HttpRequest, laptop: Laptop, traject_id: uuid.UUID) -> HttpResponse:
    """One traject with all its events; the read is logged (toegangslog.py)."""
    found = gebeurtenissen.traject(Lezer.van(request, laptop), traject_id)
    if found is None:
        return fout("Dit traject bestaat niet, of u mag het niet zien.", 404)
    return _antwoord(found)


@endpoint("GET")
def blokkades_view(request: HttpRequest, laptop: Laptop) -> HttpResponse:
    """Every opleider at the institute who may get no new aios now, with the traject that blocks them."""
    return _antwoord({"blokkades": blokkades.lijst(laptop.account)})


@endpoint("POST")
def eigen_sleutel(request: HttpRequest, laptop: Laptop) -> HttpResponse:
    """{versleuteling, ondertekening} (PubliekeSleutels.naar_json()): this account's keys, sent after enrolment
    or replacing the ones before -> {vingerafdruk, ondertekend}."""
    publiek = sleutels.lees(_body(request))
    with toegang.als_account(laptop.account):
        sleutel = sleutels.bewaar(laptop, publiek)
    return _antwoord(sleutels.sleutel_json(sleutel))


@endpoint("GET")
def sleutels_view(request: HttpRequest, laptop: Laptop) -> HttpResponse:
    """The directory: every active account's current key that the institute signed, with its roles. A laptop
    checks each signature against the institute key it pinned; the server is not trusted for this."""
    with toegang.als_account(laptop.account):
        return _antwoord({"sleutels": sleutels.lijst(laptop.account)})


@endpoint("GET", "POST")
def verslagen_view(request: HttpRequest, laptop: Laptop) -> HttpResponse:
    """POST {verslagen: [{id, traject, envelop}]}: definitief verslagen, sealed to their readers -> {resultaten};
    GET ?na=N: the verslagen sealed to this account with a volgnummer above N -> {verslagen, tot, meer}."""
    if request.method == "POST":
        resultaten = verslagen.ontvang(laptop.account, _body(request))
        return _antwoord({"resultaten": [r.as_json() for r in resultaten]})
    try:
        na = int(request.GET.get("na", "0"))
    except ValueError:
        return fout("'na' is een geheel getal.", 400)
    if na < 0:
        return fout("'na' is een volgnummer (0 of meer).", 400)
    return _antwoord(verslagen.haal_op(Lezer.van(request, laptop), na))


@endpoint("GET", "POST")
def personen_view(request: HttpRequest, laptop: Laptop) -> HttpResponse:
    """GET ?na=N[&scope_versie=V]: the Personen this account sees that changed after versie N, with the ids it sees
    now, the groepen and the staff -> {praktijken, opleiders, aios, koppelingen, groepen, medewerkers, zichtbaar, tot,
    scope_versie, vanaf_begin}; POST {wijzigingen: [{soort, id, velden}]} -> {resultaten} (personen.py)."""
    if request.method == "POST":
        resultaten = personen.ontvang(laptop.account, _body(request))
        return _antwoord({"resultaten": [r.as_json() for r in resultaten]})
    gelezen = _na_en_scope(request, "een versie")
    if isinstance(gelezen, HttpResponse):
        return gelezen
    return _antwoord(personen.haal_op(laptop.account, *gelezen))
