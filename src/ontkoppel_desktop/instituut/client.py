"""The laptop's side of the institute server's JSON API (server/README.md): plain HTTP requests, no store.

HTTPS only, with the certificate verified against the system's CAs or the CA bundle the user chose; plain HTTP
only when the connection says so explicitly (`http_toegestaan`, for tests and development on 127.0.0.1, as the
server's own ONTKOPPEL_SERVER_HTTP_TOESTAAN). The standard library's urllib is enough for a handful of JSON
requests: no new dependency in the desktop bundle. Every failure is an InstituutFout with a Dutch message that
says what happened and what to do; this module does network I/O only and may run on a worker thread.
"""

from __future__ import annotations

import http.client
import json
import socket
import ssl
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from ontkoppel_desktop.core.errors import OntkoppelError

TIMEOUT = 30.0
API = "/api/v1"


class InstituutFout(OntkoppelError):
    """Talking to the institute server failed; the message is Dutch, for the user."""


class Onbereikbaar(InstituutFout):
    """No answer (no network, wrong address, server down, connection cut): try again later, nothing is lost."""


class CertificaatFout(InstituutFout):
    """The server's certificate could not be verified."""


class Geweigerd(InstituutFout):
    """The server refused this laptop or account (HTTP 401): wrong wachtwoord, revoked, expired, unknown token."""


class ServerFout(InstituutFout):
    """The server answered, but not with what the API promises (another 4xx or a 5xx)."""


def normaliseer_adres(adres: str, *, http_toegestaan: bool = False) -> str:
    """The server's base address (scheme and host, no trailing slash); 'https://' when none is given. Plain
    http only with http_toegestaan (tests, development)."""
    adres = adres.strip().rstrip("/")
    if not adres:
        raise InstituutFout("Vul het adres van de instituutsserver in, bijvoorbeeld https://ontkoppel.instituut.nl.")
    if "://" not in adres:
        adres = "https://" + adres
    parts = urllib.parse.urlsplit(adres)
    if parts.scheme not in ("https", "http") or not parts.hostname:
        raise InstituutFout(f"'{adres}' is geen adres van een server; begin met https://.")
    if parts.scheme == "http" and not http_toegestaan:
        raise InstituutFout("De verbinding met het instituut moet beveiligd zijn: gebruik een adres dat met "
                            "https:// begint.")
    if parts.path.rstrip("/").endswith(API):
        adres = adres[: -len(API)]
    return adres.rstrip("/")


@dataclass(frozen=True, slots=True)
class Client:
    """Requests to one server; `token` is the laptop's (None only for enrolling)."""

    server: str
    token: str | None = None
    ca_bundel: str | None = None
    http_toegestaan: bool = False
    timeout: float = TIMEOUT

    def _context(self) -> ssl.SSLContext:
        try:
            return ssl.create_default_context(cafile=self.ca_bundel or None)
        except (OSError, ssl.SSLError):
            raise CertificaatFout(f"De CA-bundel {self.ca_bundel} kan niet worden gelezen. Kies het bestand dat "
                                  "IT van het instituut u gaf.") from None

    def request(self, method: str, path: str, body: object = None, params: Mapping[str, object] | None = None
                ) -> Any:
        """One request; the decoded JSON answer of a 2xx, else the matching InstituutFout."""
        url = normaliseer_adres(self.server, http_toegestaan=self.http_toegestaan) + API + path
        if params:
            url += "?" + urllib.parse.urlencode({k: str(v) for k, v in params.items()})
        headers = {"Accept": "application/json"}
        data = None
        if body is not None:
            data = json.dumps(body, ensure_ascii=False).encode("utf-8")
            headers["Content-Type"] = "application/json"
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        request = urllib.request.Request(url, data=data, headers=headers, method=method)
        context = self._context() if url.startswith("https:") else None
        # No proxies from the environment: the token goes to this server and nowhere else.
        opener = urllib.request.build_opener(urllib.request.ProxyHandler({}),
                                             urllib.request.HTTPSHandler(context=context))
        host = urllib.parse.urlsplit(url).netloc
        try:
            with opener.open(request, timeout=self.timeout) as response:
                raw = response.read()
        except urllib.error.HTTPError as error:
            raise _http_fout(error) from None
        except urllib.error.URLError as error:
            raise _verbindingsfout(error.reason, host) from None
        except (OSError, http.client.HTTPException) as error:  # cut mid-answer, reset, timeout
            raise _verbindingsfout(error, host) from None
        try:
            return json.loads(raw)
        except ValueError:
            raise ServerFout(f"{host} gaf een antwoord dat geen instituutsserver geeft. Controleer het adres."
                             ) from None

    # ---- the API -------------------------------------------------------------------------------------

    def aanmelden(self, gebruikersnaam: str, wachtwoord: str, laptop: str,
                  sleutels: Mapping[str, str] | None = None) -> dict[str, Any]:
        body: dict[str, object] = {"gebruikersnaam": gebruikersnaam, "wachtwoord": wachtwoord, "laptop": laptop}
        if sleutels is not None:
            body["sleutels"] = dict(sleutels)  # this user's public keys (instituut/sleutels.py)
        answer: dict[str, Any] = self.request("POST", "/aanmelden", body)
        return answer

    def sleutels(self) -> list[dict[str, Any]]:
        """The directory: every account's public keys with the institute's signature (checked by the caller)."""
        answer = self.request("GET", "/sleutels")
        sleutels: list[dict[str, Any]] = answer["sleutels"]
        return sleutels

    def eigen_sleutel(self, sleutels: Mapping[str, str]) -> dict[str, Any]:
        """Send this user's public keys (a laptop enrolled before keys existed, or a new key pair)."""
        answer: dict[str, Any] = self.request("POST", "/sleutels/eigen", dict(sleutels))
        return answer

    def ik(self) -> dict[str, Any]:
        answer: dict[str, Any] = self.request("GET", "/ik")
        return answer

    def vernieuw(self) -> dict[str, Any]:
        """A fresh token for this laptop ({token, laptop: {verloopt_op, ...}}); the old one stops working."""
        answer: dict[str, Any] = self.request("POST", "/token/vernieuwen", {})
        return answer

    def blokkades(self) -> list[dict[str, Any]]:
        """The institute's blocked opleiders: [{traject, opleider_id, opleider_naam, sinds, wacht_op}]."""
        answer = self.request("GET", "/blokkades")
        blokkades: list[dict[str, Any]] = answer["blokkades"]
        return blokkades

    def haal_personen(self, na: int, scope_versie: int | None) -> dict[str, Any]:
        """The institute's Personen this account sees, changed since versie `na` (everything after a change of
        roles), with the ids visible now."""
        params: dict[str, object] = {"na": na}
        if scope_versie is not None:
            params["scope_versie"] = scope_versie
        answer: dict[str, Any] = self.request("GET", "/personen", params=params)
        return answer

    def wijzig_personen(self, wijzigingen: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """Changes to the institute's Personen ({soort, id, velden}); the server's answer per change."""
        answer = self.request("POST", "/personen", {"wijzigingen": wijzigingen})
        resultaten: list[dict[str, Any]] = answer["resultaten"]
        return resultaten

    def verstuur_verslagen(self, verslagen: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """Sealed verslagen ({id, traject, envelop}); the server's answer per verslag."""
        answer = self.request("POST", "/verslagen", {"verslagen": verslagen})
        resultaten: list[dict[str, Any]] = answer["resultaten"]
        return resultaten

    def haal_verslagen(self, na: int) -> dict[str, Any]:
        """The sealed verslagen this user reads with a volgnummer above `na`: one page."""
        answer: dict[str, Any] = self.request("GET", "/verslagen", params={"na": na})
        return answer

    def verstuur(self, gebeurtenissen: list[dict[str, Any]], laatst_opgehaald: int) -> list[dict[str, Any]]:
        answer = self.request("POST", "/gebeurtenissen", {"gebeurtenissen": gebeurtenissen,
                                                          "laatst_opgehaald": laatst_opgehaald})
        resultaten: list[dict[str, Any]] = answer["resultaten"]
        return resultaten

    def haal_op(self, na: int, scope_versie: int | None) -> dict[str, Any]:
        params: dict[str, object] = {"na": na}
        if scope_versie is not None:
            params["scope_versie"] = scope_versie
        answer: dict[str, Any] = self.request("GET", "/gebeurtenissen", params=params)
        return answer


def _http_fout(error: urllib.error.HTTPError) -> InstituutFout:
    try:
        melding = str(json.loads(error.read()).get("fout") or "")
    except (ValueError, AttributeError, OSError):
        melding = ""
    if error.code == 401:
        return Geweigerd(melding or "De server weigert deze laptop. Meld de laptop opnieuw aan met Verbinden met "
                                    "instituut…")
    if melding:
        return ServerFout(melding)
    if error.code >= 500:
        return ServerFout(f"De instituutsserver heeft een storing (HTTP {error.code}). Probeer het later opnieuw; "
                          "er gaat niets verloren.")
    return ServerFout(f"De instituutsserver weigerde het verzoek (HTTP {error.code}). Controleer het adres.")


def _verbindingsfout(reason: object, host: str) -> InstituutFout:
    if isinstance(reason, ssl.SSLCertVerificationError):
        return CertificaatFout(
            f"Het certificaat van {host} kan niet worden gecontroleerd ({reason.verify_message}). Is dit echt de "
            "server van het instituut? Gebruikt het instituut een eigen certificaatautoriteit, kies dan de "
            "CA-bundel die IT u gaf."
        )
    if isinstance(reason, ssl.SSLError):
        return CertificaatFout(f"Er kan geen beveiligde verbinding met {host} worden gemaakt. Controleer het adres "
                               "(https://) of vraag IT van het instituut.")
    if isinstance(reason, socket.gaierror):
        return Onbereikbaar(f"De server {host} is niet te vinden. Controleer het adres en de internetverbinding.")
    if isinstance(reason, (TimeoutError, socket.timeout)):
        return Onbereikbaar(f"{host} antwoordt niet op tijd. Probeer het later opnieuw; er gaat niets verloren.")
    return Onbereikbaar(f"De instituutsserver {host} is niet bereikbaar. Controleer de internetverbinding en "
                        "probeer het later opnieuw; er gaat niets verloren.")
