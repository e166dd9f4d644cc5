"""Personen from the server (issue 17): who sees and who edits the institute's aios, opleiders, praktijken and
koppelingen, handing each laptop what is new for it, and taking in the changes a laptop sends.

Who sees (the service's half; the policies of migrations/0010_personen.py and 0011_trajecten_op_personen.py hold
the same rule a second time):
- the manager opleiders, the assistent manager opleiders and the plv. hoofd see every row;
- a jaarassistent or manager opleiding sees the aios of their opleidingsjaren, a docent those of their groepen;
  both see the koppelingen of those aios;
- every account with a role other than beleidsmedewerker sees every opleider and praktijk, archived or not: a
  traject kept on the institute's Personen names its kandidaat opleider and new opleider by the server's id before
  a koppeling with them exists, and the docent and jaarassistent of its aios must be able to read who that is (and
  the opleiders' names are known institute-wide already, through the blokkades);
- a beleidsmedewerker (with no other role), and an account without a role, sees none.
Every account with a role reads all groepen (name and year) and the institute's staff (`medewerkers`): whom to
send a verslag, who to ask.

Who edits:
- an aios: the jaarassistent or manager opleiding of its opleidingsjaar; moving it to another year needs both;
- an opleider or praktijk: the manager opleiders and the assistent manager opleiders;
- a koppeling: those two, and the jaarassistent of its aios's year;
- docenten, the plv. hoofd and the beleidsmedewerker edit nothing.
A refusal says in Dutch which roles may. The rules of a row itself are the desktop's (core/personen.py), asked
through the models' `clean`. Nothing is deleted: a row is archived, a koppeling ends.

Versies. Every insert and update gives the row the next value of one sequence (a trigger, under an advisory lock
held until commit), so versies become visible in order. A pull (`haal_op`) reads in one snapshot (REPEATABLE READ)
and hands out what changed after `na`, with `tot` the highest versie it saw. A row that came into view without
changing itself (the koppelingen of an aios moved into a docent's groep) comes along with what brought it: the
koppelingen of a changed aios. Opleiders and praktijken never come into view that way: an account sees all of them
or none, and only a change of its roles changes that (then it pulls from the start, `scope_versie`). `zichtbaar`
lists every id in view now, so a laptop drops what left it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, Literal

from django.core.exceptions import ValidationError
from django.db import DatabaseError, connection, transaction
from django.db.models import Model, Q, QuerySet

from ontkoppel_desktop.core.personen import is_id
from ontkoppel_desktop.core.rollen import Rol
from ontkoppel_server.instituut import toegang
from ontkoppel_server.instituut.fouten import Onleesbaar
from ontkoppel_server.instituut.models import Account, Aios, Groep, Koppeling, Opleider, Praktijk

MAX_WIJZIGINGEN = 200
# pg_advisory_xact_lock key under which versies are given ("OKpv"; the trigger of migrations/0010_personen.py).
VERSIE_SLOT = 0x4F4B7076

ROLLEN_ALLES = (Rol.MANAGER_OPLEIDERS, Rol.ASSISTENT_MANAGER_OPLEIDERS, Rol.PLV_HOOFD)
ROLLEN_OPLEIDERS = (Rol.MANAGER_OPLEIDERS, Rol.ASSISTENT_MANAGER_OPLEIDERS)

Soort = Literal["praktijk", "opleider", "aios", "koppeling"]
SOORTEN: tuple[Soort, ...] = ("praktijk", "opleider", "aios", "koppeling")

ONLEESBAAR = "Verwacht: een JSON-object met een lijst 'wijzigingen'."
TE_VEEL = f"Stuur ten hoogste {MAX_WIJZIGINGEN} wijzigingen tegelijk."
GEEN_WIJZIGING = (
    "Een wijziging is een JSON-object met 'soort' (aios, opleider, praktijk of koppeling), 'id' (een nummer, of "
    "null voor een nieuwe) en 'velden' (een object)."
)
ALLEEN_OPLEIDERS = "dat kan alleen de manager opleiders of de assistent manager opleiders."
NIET_OPGESLAGEN = "De server kon deze wijziging niet opslaan; probeer het later opnieuw of vraag IT."


# ---- who sees ---------------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Bereik:
    """What an account's roles open among Personen (the module's docstring)."""

    alles: bool
    opleidingsjaren: frozenset[int]  # as jaarassistent or manager opleiding
    groepen: frozenset[int]  # as docent
    alle_opleiders: bool  # sees every opleider and praktijk: a role other than beleidsmedewerker
    opleiders: bool  # edits opleiders, praktijken and every koppeling
    jaarassistent: frozenset[int]  # edits the koppelingen of these years' aios
    heeft_rol: bool

    @classmethod
    def van(cls, account: Account) -> Bereik:
        rollen = list(account.rollen.all()) if account.is_active else []
        return cls(
            alles=any(r.rol in ROLLEN_ALLES for r in rollen),
            opleidingsjaren=frozenset(r.opleidingsjaar for r in rollen
                                      if r.opleidingsjaar is not None and Rol(r.rol).per_opleidingsjaar),
            groepen=frozenset(r.groep_id for r in rollen if r.rol == Rol.DOCENTEN and r.groep_id is not None),
            alle_opleiders=any(r.rol != Rol.BELEIDSMEDEWERKER for r in rollen),
            opleiders=any(r.rol in ROLLEN_OPLEIDERS for r in rollen),
            jaarassistent=frozenset(r.opleidingsjaar for r in rollen
                                    if r.rol == Rol.JAARASSISTENT and r.opleidingsjaar is not None),
            heeft_rol=bool(rollen),
        )

    def aios(self) -> QuerySet[Aios]:
        if self.alles:
            return Aios.objects.all()
        return Aios.objects.filter(Q(opleidingsjaar__in=sorted(self.opleidingsjaren))
                                   | Q(groep_id__in=sorted(self.groepen)))

    def koppelingen(self) -> QuerySet[Koppeling]:
        if self.alles:
            return Koppeling.objects.all()
        return Koppeling.objects.filter(aios__in=self.aios())

    def opleiders_qs(self) -> QuerySet[Opleider]:
        if self.alle_opleiders:
            return Opleider.objects.all()
        return Opleider.objects.none()

    def praktijken(self) -> QuerySet[Praktijk]:
        if self.alle_opleiders:
            return Praktijk.objects.all()
        return Praktijk.objects.none()

    # ---- who edits: None when this account may, else why not (Dutch) -------------------------------------------

    def weigering_aios(self, oud_jaar: int | None, nieuw_jaar: int) -> str | None:
        if oud_jaar is None:
            if nieuw_jaar in self.opleidingsjaren:
                return None
            return (f"U mag geen aios aan jaar {nieuw_jaar} toevoegen: dat kan alleen de jaarassistent of de manager "
                    f"opleiding van jaar {nieuw_jaar}.")
        if oud_jaar != nieuw_jaar:
            if oud_jaar in self.opleidingsjaren and nieuw_jaar in self.opleidingsjaren:
                return None
            return (f"U mag deze aios niet van jaar {oud_jaar} naar jaar {nieuw_jaar} verplaatsen: dat kan alleen wie "
                    "jaarassistent of manager opleiding is van beide jaren.")
        if oud_jaar in self.opleidingsjaren:
            return None
        return (f"U mag deze aios niet wijzigen: dat kan alleen de jaarassistent of de manager opleiding van jaar "
                f"{oud_jaar}.")

    def weigering_opleiders(self, soort: Literal["praktijk", "opleider"]) -> str | None:
        if self.opleiders:
            return None
        wat = "praktijken" if soort == "praktijk" else "opleiders"
        return f"U mag {wat} niet wijzigen of toevoegen: {ALLEEN_OPLEIDERS}"

    def weigering_koppeling(self, aios_jaar: int) -> str | None:
        if self.opleiders or aios_jaar in self.jaarassistent:
            return None
        return ("U mag de koppelingen van deze aios niet wijzigen of toevoegen: dat kan alleen de manager opleiders, "
                f"de assistent manager opleiders of de jaarassistent van jaar {aios_jaar}.")


# ---- handing out ------------------------------------------------------------------------------------------------


def praktijk_json(p: Praktijk) -> dict[str, object]:
    return {"id": p.pk, "naam": p.naam, "plaats": p.plaats, "gearchiveerd": p.gearchiveerd, "versie": p.versie}


def opleider_json(o: Opleider) -> dict[str, object]:
    return {"id": o.pk, "voornaam": o.voornaam, "tussenvoegsel": o.tussenvoegsel, "achternaam": o.achternaam,
            "praktijk": o.praktijk_id, "gearchiveerd": o.gearchiveerd, "versie": o.versie}


def aios_json(a: Aios) -> dict[str, object]:
    return {"id": a.pk, "voornaam": a.voornaam, "tussenvoegsel": a.tussenvoegsel, "achternaam": a.achternaam,
            "opleidingsjaar": a.opleidingsjaar, "startdatum_opleiding": _iso(a.startdatum_opleiding),
            "deeltijdpercentage": a.deeltijdpercentage, "groep": a.groep_id, "gearchiveerd": a.gearchiveerd,
            "versie": a.versie}


def koppeling_json(k: Koppeling) -> dict[str, object]:
    return {"id": k.pk, "aios": k.aios_id, "opleider": k.opleider_id, "startdatum": _iso(k.startdatum),
            "einddatum": _iso(k.einddatum), "versie": k.versie}


def _iso(dag: dt.date | None) -> str | None:
    return dag.isoformat() if dag is not None else None


@contextmanager
def _momentopname(account: Account) -> Iterator[None]:
    """One read-only transaction in one snapshot, naming the account for the policies: the four tables are read as
    they were at one moment, so `tot` never passes a versie that committed between two of the queries."""
    buitenste = not connection.in_atomic_block  # then its transaction has not read yet
    with transaction.atomic():
        with connection.cursor() as cursor:
            if buitenste:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            cursor.execute("SELECT set_config(%s, %s, true)", [toegang.ACCOUNT_SETTING, str(account.pk)])
        yield


def haal_op(account: Account, na: int, scope_versie: int | None) -> dict[str, object]:
    """What changed for this account after versie `na` (everything with na 0, or when IT changed its roles), what
    it sees now, the groepen and the staff."""
    vanaf_begin = na == 0 or (scope_versie is not None and scope_versie != account.scope_versie)
    if vanaf_begin:
        na = 0
    with _momentopname(account):
        bereik = Bereik.van(account)
        aios = list(bereik.aios().filter(versie__gt=na).order_by("pk"))
        koppelingen = list(bereik.koppelingen().filter(Q(versie__gt=na) | Q(aios__versie__gt=na)).order_by("pk"))
        # All or none (Bereik.alle_opleiders): what this account sees of them changes only with its roles.
        opleiders = list(bereik.opleiders_qs().filter(versie__gt=na).order_by("pk"))
        praktijken = list(bereik.praktijken().filter(versie__gt=na).order_by("pk"))
        zichtbaar = {
            "praktijken": list(bereik.praktijken().order_by("pk").values_list("pk", flat=True)),
            "opleiders": list(bereik.opleiders_qs().order_by("pk").values_list("pk", flat=True)),
            "aios": list(bereik.aios().order_by("pk").values_list("pk", flat=True)),
            "koppelingen": list(bereik.koppelingen().order_by("pk").values_list("pk", flat=True)),
        }
        rijen: list[Praktijk | Opleider | Aios | Koppeling] = [*praktijken, *opleiders, *aios, *koppelingen]
        return {
            "praktijken": [praktijk_json(p) for p in praktijken],
            "opleiders": [opleider_json(o) for o in opleiders],
            "aios": [aios_json(a) for a in aios],
            "koppelingen": [koppeling_json(k) for k in koppelingen],
            "groepen": groepen(bereik),
            "medewerkers": medewerkers(bereik),
            "zichtbaar": zichtbaar,
            "tot": max([na, *(r.versie for r in rijen)]),
            "scope_versie": account.scope_versie,
            "vanaf_begin": vanaf_begin,
        }


def groepen(bereik: Bereik) -> list[dict[str, object]]:
    """Every groep (names only), for an account with a role."""
    if not bereik.heeft_rol:
        return []
    return [{"id": g.pk, "naam": g.naam, "opleidingsjaar": g.opleidingsjaar} for g in Groep.objects.order_by("naam")]


def medewerkers(bereik: Bereik) -> list[dict[str, object]]:
    """Every active account with a role, with its name and roles, for an account with a role."""
    if not bereik.heeft_rol:
        return []
    accounts = (Account.objects.filter(is_active=True, rollen__isnull=False).distinct()
                .prefetch_related("rollen").order_by("username"))
    return [
        {
            "account": a.username,
            "naam": a.naam,
            "rollen": [{"rol": r.rol, "groep": r.groep_id, "opleidingsjaar": r.opleidingsjaar}
                       for r in sorted(a.rollen.all(), key=lambda r: (r.rol, r.groep_id or 0, r.opleidingsjaar or 0))],
        }
        for a in accounts
    ]


# ---- taking in --------------------------------------------------------------------------------------------------


class _Geweigerd(Exception):
    """One change refused; the message is Dutch."""


@dataclass(frozen=True, slots=True)
class Resultaat:
    status: Literal["aanvaard", "geweigerd"]
    id: int | None = None
    versie: int | None = None
    melding: str = ""

    def as_json(self) -> dict[str, object]:
        if self.status == "aanvaard":
            return {"status": "aanvaard", "id": self.id, "versie": self.versie}
        return {"status": "geweigerd", "melding": self.melding}


def _tekst(naam: str, waarde: object) -> str:
    # The content (control characters, length, normalisation) is the core's rule (naam_tekst, through `clean`).
    if not isinstance(waarde, str):
        raise _Geweigerd(f"'{naam}' moet tekst zijn.")
    return waarde


def _waarheid(naam: str, waarde: object) -> bool:
    if not isinstance(waarde, bool):
        raise _Geweigerd(f"'{naam}' moet true of false zijn.")
    return waarde


def _getal(naam: str, waarde: object) -> int:
    if isinstance(waarde, bool) or not isinstance(waarde, int):
        raise _Geweigerd(f"'{naam}' moet een geheel getal zijn.")
    return waarde


def _nummer(naam: str, waarde: object) -> int | None:
    if waarde is None:
        return None
    if not is_id(waarde):
        raise _Geweigerd(f"'{naam}' moet het nummer van een {naam} zijn.")
    assert isinstance(waarde, int)
    return waarde


def _datum(naam: str, waarde: object) -> dt.date | None:
    if waarde is None:
        return None
    try:
        if not isinstance(waarde, str):
            raise ValueError(waarde)
        return dt.date.fromisoformat(waarde)
    except ValueError:
        raise _Geweigerd(f"'{naam}' is geen datum (JJJJ-MM-DD).") from None


VeldLezer = Callable[[str, object], object]
# The fields a laptop may send per soort, with how each is read; the model's field is the key without its "_id".
VELDEN: dict[Soort, dict[str, VeldLezer]] = {
    "praktijk": {"naam": _tekst, "plaats": _tekst, "gearchiveerd": _waarheid},
    "opleider": {"voornaam": _tekst, "tussenvoegsel": _tekst, "achternaam": _tekst, "praktijk": _nummer,
                 "gearchiveerd": _waarheid},
    "aios": {"voornaam": _tekst, "tussenvoegsel": _tekst, "achternaam": _tekst, "opleidingsjaar": _getal,
             "startdatum_opleiding": _datum, "deeltijdpercentage": _getal, "groep": _nummer,
             "gearchiveerd": _waarheid},
    "koppeling": {"aios": _nummer, "opleider": _nummer, "startdatum": _datum, "einddatum": _datum},
}
_FK = frozenset({"praktijk", "groep", "aios", "opleider"})
_NIET_GEZIEN: dict[Soort, str] = {
    "praktijk": "Deze praktijk is niet bekend op de server, of u mag die niet zien.",
    "opleider": "Deze opleider is niet bekend op de server, of u mag die niet zien.",
    "aios": "Deze aios is niet bekend op de server, of u mag die niet zien.",
    "koppeling": "Deze koppeling is niet bekend op de server, of u mag die niet zien.",
}


def lees(body: object) -> list[object]:
    if not isinstance(body, Mapping) or not isinstance(body.get("wijzigingen"), list):
        raise Onleesbaar(ONLEESBAAR)
    items: list[object] = body["wijzigingen"]
    if len(items) > MAX_WIJZIGINGEN:
        raise Onleesbaar(TE_VEEL)
    return items


def ontvang(account: Account, body: object) -> list[Resultaat]:
    """Apply a laptop's changes in order, each in its own savepoint: one refusal does not stop the others."""
    items = lees(body)
    with toegang.als_account(account):
        # The versie lock (the trigger takes it too) from the start: held until commit, outside every savepoint.
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [VERSIE_SLOT])
        bereik = Bereik.van(account)
        resultaten = []
        for item in items:
            try:
                with transaction.atomic():
                    resultaten.append(_wijzig(bereik, item))
            except _Geweigerd as fout:
                resultaten.append(Resultaat("geweigerd", melding=str(fout)))
        return resultaten


def _wijzig(bereik: Bereik, item: object) -> Resultaat:
    if not isinstance(item, Mapping) or item.get("soort") not in SOORTEN or not isinstance(item.get("velden"),
                                                                                            Mapping):
        raise _Geweigerd(GEEN_WIJZIGING)
    soort: Soort = item["soort"]
    rij_id = item.get("id")
    if rij_id is not None and not is_id(rij_id):
        raise _Geweigerd(GEEN_WIJZIGING)
    velden = _lees_velden(soort, item["velden"])
    rij = _rij(bereik, soort, rij_id)
    _mag(bereik, soort, rij, velden)
    oud = {veld: getattr(rij, veld) for veld in _model_velden(soort)} if rij_id is not None else {}
    for veld, waarde in velden.items():
        setattr(rij, f"{veld}_id" if veld in _FK else veld, waarde)
    _verwijzingen(bereik, soort, rij, nieuw=rij_id is None)
    try:
        rij.clean()
    except ValidationError as fout:
        raise _Geweigerd(" ".join(fout.messages)) from None
    gewijzigd = [veld for veld in _model_velden(soort) if rij_id is None or getattr(rij, veld) != oud[veld]]
    try:
        with transaction.atomic():
            if rij_id is None:
                rij.save(force_insert=True)
            elif gewijzigd:
                rij.save(update_fields=gewijzigd)
    except DatabaseError:
        # Row-level security or a constraint refused what the checks above let through.
        raise _Geweigerd(NIET_OPGESLAGEN) from None
    versie = type(rij)._default_manager.filter(pk=rij.pk).values_list("versie", flat=True).first()
    return Resultaat("aanvaard", id=rij.pk, versie=versie)


def _model_velden(soort: Soort) -> list[str]:
    """The model's field names a laptop may change (a koppeling keeps its aios)."""
    return [f"{veld}_id" if veld in _FK else veld for veld in VELDEN[soort] if (soort, veld) != ("koppeling", "aios")]


def _lees_velden(soort: Soort, velden: Mapping[object, object]) -> dict[str, object]:
    onbekend = sorted(str(k) for k in velden if k not in VELDEN[soort])
    if onbekend:
        raise _Geweigerd(f"Onbekende velden voor een {soort}: {', '.join(onbekend)}.")
    return {str(k): VELDEN[soort][str(k)](str(k), v) for k, v in velden.items()}


def _rij(bereik: Bereik, soort: Soort, rij_id: int | None) -> Any:
    """The row to change, as this account sees it, or a new one with the core's defaults."""
    modellen: dict[Soort, tuple[type[Model], Callable[[], QuerySet[Any]]]] = {
        "praktijk": (Praktijk, bereik.praktijken),
        "opleider": (Opleider, bereik.opleiders_qs),
        "aios": (Aios, bereik.aios),
        "koppeling": (Koppeling, bereik.koppelingen),
    }
    model, zichtbaar = modellen[soort]
    if rij_id is None:
        return model()
    rij = zichtbaar().filter(pk=rij_id).first()
    if rij is None:
        raise _Geweigerd(_NIET_GEZIEN[soort])
    return rij


def _mag(bereik: Bereik, soort: Soort, rij: Any, velden: Mapping[str, object]) -> None:
    """Refuse (Dutch, naming the roles that may) what this account may not change."""
    weigering: str | None
    if soort in ("praktijk", "opleider"):
        weigering = bereik.weigering_opleiders(soort)
    elif soort == "aios":
        nieuw_jaar = velden.get("opleidingsjaar", rij.opleidingsjaar)
        if not isinstance(nieuw_jaar, int):
            raise _Geweigerd("Aios: vul het opleidingsjaar in (1, 2 of 3).")
        weigering = bereik.weigering_aios(rij.opleidingsjaar if rij.pk is not None else None, nieuw_jaar)
    else:
        if rij.pk is not None:
            if "aios" in velden and velden["aios"] != rij.aios_id:
                raise _Geweigerd("De aios van een koppeling verandert niet: beëindig deze koppeling en maak een "
                                 "nieuwe voor de andere aios.")
            aios = rij.aios
        else:
            aios_id = velden.get("aios")
            if aios_id is None:
                raise _Geweigerd("Koppeling: kies een aios.")
            aios = bereik.aios().filter(pk=aios_id).first()
            if aios is None:
                raise _Geweigerd(_NIET_GEZIEN["aios"])
        weigering = bereik.weigering_koppeling(aios.opleidingsjaar)
    if weigering is not None:
        raise _Geweigerd(weigering)


def _verwijzingen(bereik: Bereik, soort: Soort, rij: Any, *, nieuw: bool) -> None:
    """The rows this one names exist and are in view; an archived opleider or aios gets no new koppeling."""
    if soort == "opleider" and rij.praktijk_id is not None and not bereik.praktijken().filter(
            pk=rij.praktijk_id).exists():
        raise _Geweigerd(_NIET_GEZIEN["praktijk"])
    if soort == "aios":
        if rij.groep_id is None:
            raise _Geweigerd("Aios: kies een groep.")
        if not Groep.objects.filter(pk=rij.groep_id).exists():
            raise _Geweigerd("Deze groep is niet bekend op de server.")
    if soort == "koppeling":
        if rij.opleider_id is None:
            raise _Geweigerd("Koppeling: kies een opleider.")
        if rij.startdatum is None:
            raise _Geweigerd("Koppeling: vul de startdatum in.")
        opleider = bereik.opleiders_qs().filter(pk=rij.opleider_id).first()
        if opleider is None:
            raise _Geweigerd(_NIET_GEZIEN["opleider"])
        opleider_gewijzigd = nieuw or rij.opleider_id != Koppeling.objects.filter(pk=rij.pk).values_list(
            "opleider_id", flat=True).first()
        if opleider.gearchiveerd and opleider_gewijzigd:
            raise _Geweigerd(f"Opleider {opleider.naam.volledig} is gearchiveerd en krijgt geen nieuwe koppeling.")
        if nieuw and rij.aios.gearchiveerd:
            raise _Geweigerd(f"Aios {rij.aios.naam.volledig} is gearchiveerd en krijgt geen nieuwe koppeling.")
