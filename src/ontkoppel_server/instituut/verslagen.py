"""Sealed verslagen (issue 16): receiving the definitief verslagen a laptop sends, handing each to its readers only,
and adding a reader with the institute's recovery key (IT's command verslagen-herverzegelen).

The server cannot read a verslag: the laptop sealed it to its readers' keys and signed it (verzegeling.py). What
the server can do is refuse what it should not carry, before any reader trusts it:

- an envelope on a traject the account does not see, or not in the account's own name, or not signed by a key the
  institute bound to that account (the current one, or one it replaced: a laptop may send what it sealed before
  its new key);
- an envelope without the recovery key among its readers (it could never reach next year's jaarassistent), without
  its author, or sealed to a name that is not an active account;
- metadata beyond what the terms need (`METADATA_SLEUTELS`): the server keeps the metadata in a column, so free
  text there would be readable; it belongs in the sealed content.

Sending again is harmless: a uuid the server has answers with its volgnummer, as long as it is the same verslag
(the same bytes, or the same signed verslag with readers added since). Other content under the same uuid is
refused: a correction is a new version, with a uuid of its own.

Order. As for the events (gebeurtenissen.py), volgnummers are given under one transaction-scoped advisory lock held
until commit, from a sequence of their own: a laptop that has pulled up to n never misses a smaller number that
commits later. Adding a reader gives the verslag a new volgnummer, so the new reader's laptop pulls it (and the
others pull it again, with one reader more).
"""

from __future__ import annotations

import base64
import contextlib
import datetime as dt
import json
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from django.db import IntegrityError, connection, connections, transaction
from django.db.models import QuerySet
from django.utils import timezone

from ontkoppel_desktop.instituut.verzegeling import (
    HERSTEL,
    PubliekeSleutels,
    Sleutelpaar,
    Waarde,
    ZegelFout,
    lezers_van,
    metadata_van,
    uit_b64,
    voeg_lezer_toe,
)
from ontkoppel_server.instituut import toegang
from ontkoppel_server.instituut.gebeurtenissen import Onleesbaar
from ontkoppel_server.instituut.models import Account, Verslag
from ontkoppel_server.instituut.toegangslog import Gelezen, Lezer, schrijf
from ontkoppel_server.instituut.zegels import auteur_account, ondertekend_met, ondertekensleutels

MAX_BATCH = 100
PAGINA = 200
# pg_advisory_xact_lock key under which verslagen get their volgnummers ("OKvs").
VOLGNUMMER_SLOT = 0x4F4B7673
SEQUENCE = "verslag_volgnummer"

METADATA_SLEUTELS = frozenset({
    "traject", "gesprek", "versie", "datum", "afgerond_op", "gebeurtenis", "vorige", "procedure_id",
    "procedure_version",
})
"""What the envelope's metadata may hold: what the terms and the receivers' lists need, nothing personal."""

ONLEESBAAR = "Verwacht: een JSON-object met een lijst 'verslagen'."
TE_VEEL = f"Stuur ten hoogste {MAX_BATCH} verslagen tegelijk."
GEEN_OBJECT = "Een verslag moet een JSON-object zijn met 'id', 'traject' en 'envelop'."
GEEN_BASE64 = "De envelop van het verslag ontbreekt of is geen geldige base64."
ONBEKEND_TRAJECT = (
    "Dit traject is niet bekend op de server, of u mag het niet zien. Een verslag gaat pas mee als de "
    "gebeurtenissen van zijn traject op de server staan."
)
GEEN_SLEUTEL = (
    "Uw sleutel is nog niet door het instituut ondertekend, dus de server kan niet nagaan dat dit verslag van u is. "
    "Laat IT de vingerafdruk van uw sleutel bevestigen; daarna gaat het verslag alsnog mee."
)
HANDTEKENING = (
    "De handtekening onder dit verslag past bij geen sleutel die het instituut voor uw account heeft ondertekend: "
    "het is onderweg veranderd of met een andere sleutel ondertekend. Het is niet aangenomen."
)
ZONDER_HERSTEL = (
    "Dit verslag is niet verzegeld voor de herstelsleutel van het instituut: zonder die lezer kan het nooit aan een "
    "nieuwe jaarassistent worden gegeven. Verbind opnieuw met het instituut en rond het verslag opnieuw af."
)
AUTEUR_GEEN_LEZER = "De auteur moet zelf een van de lezers van het verslag zijn."
GESPREK_VERSIE = (
    "De gegevens bij het verslag missen het gesprek (tekst, ten hoogste 60 tekens) of de versie (een geheel getal)."
)
GEEN_DATUM = "De datum in de gegevens bij het verslag is geen datum (JJJJ-MM-DD)."
TRAJECT_PAST_NIET = "De gegevens bij het verslag noemen een ander traject dan het traject waarbij het is verstuurd."
ANDERE_INHOUD = "Dit verslag is al ontvangen met een andere inhoud; een correctie is een nieuwe versie."

Status = Literal["aanvaard", "geweigerd"]


@dataclass(slots=True)
class Resultaat:
    id: str
    status: Status
    volgnummer: int | None = None
    melding: str = ""

    def as_json(self) -> dict[str, object]:
        out: dict[str, object] = {"id": self.id, "status": self.status}
        if self.status == "aanvaard":
            out["volgnummer"] = self.volgnummer
        else:
            out["melding"] = self.melding
        return out


class _Geweigerd(Exception):
    """One verslag refused; the message is Dutch."""


@dataclass(frozen=True, slots=True)
class _Verslag:
    """A verslag that passed every check, waiting for its volgnummer."""

    index: int
    id: uuid.UUID
    traject: uuid.UUID
    envelop: bytes
    metadata: dict[str, Waarde]
    lezers: list[str]
    datum: dt.date | None


def lees_batch(body: object) -> list[object]:
    if not isinstance(body, Mapping) or not isinstance(body.get("verslagen"), list):
        raise Onleesbaar(ONLEESBAAR)
    items: list[object] = body["verslagen"]
    if len(items) > MAX_BATCH:
        raise Onleesbaar(TE_VEEL)
    return items


def _uuid(value: object, wat: str) -> uuid.UUID:
    if not isinstance(value, str):
        raise _Geweigerd(f"{wat} ontbreekt.")
    try:
        return uuid.UUID(value)
    except ValueError:
        raise _Geweigerd(f"{wat} is geen geldige UUID.") from None


def _ondertekend_deel(envelop: bytes) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(envelop)
    return {k: v for k, v in data.items() if k != "lezers"}


def zelfde_verslag(bewaard: bytes, ontvangen: bytes) -> bool:
    """Whether `ontvangen` is the verslag the server keeps: the same bytes, or the same signed verslag to which the
    server's copy has readers more (IT added one since the laptop first sent it)."""
    if bewaard == ontvangen:
        return True
    try:
        return (_ondertekend_deel(bewaard) == _ondertekend_deel(ontvangen)
                and set(lezers_van(ontvangen)) <= set(lezers_van(bewaard)))
    except (ValueError, ZegelFout):
        return False


def _datum(metadata: Mapping[str, Waarde]) -> dt.date | None:
    waarde = metadata.get("datum")
    if waarde is None:
        return None
    if not isinstance(waarde, str):
        raise _Geweigerd(GEEN_DATUM)
    try:
        return dt.date.fromisoformat(waarde)
    except ValueError:
        raise _Geweigerd(GEEN_DATUM) from None


def _controleer_metadata(metadata: Mapping[str, Waarde], traject: uuid.UUID) -> None:
    extra = sorted(set(metadata) - METADATA_SLEUTELS)
    if extra:
        raise _Geweigerd(f"De gegevens bij het verslag bevatten velden die de server niet bewaart ("
                         f"{', '.join(extra)}): vrije tekst hoort in het verzegelde verslag.")
    gesprek, versie = metadata.get("gesprek"), metadata.get("versie")
    if (not isinstance(gesprek, str) or not gesprek or len(gesprek) > 60 or isinstance(versie, bool)
            or not isinstance(versie, int) or versie < 0):
        raise _Geweigerd(GESPREK_VERSIE)
    genoemd = metadata.get("traject")
    try:
        if not isinstance(genoemd, str) or uuid.UUID(genoemd) != traject:
            raise _Geweigerd(TRAJECT_PAST_NIET)
    except ValueError:
        raise _Geweigerd(TRAJECT_PAST_NIET) from None


class _Ontvangst:
    def __init__(self, account: Account) -> None:
        self.account = account
        self.sleutels = ondertekensleutels(account)
        self.zichtbaar: set[uuid.UUID] = set()
        self.bestaand: dict[uuid.UUID, Verslag] = {}
        self.actief: set[str] = set()
        self.in_batch: dict[uuid.UUID, _Verslag] = {}

    def run(self, items: list[object]) -> list[Resultaat]:
        gelezen: list[tuple[str, uuid.UUID, uuid.UUID, bytes] | Resultaat] = [self._lees(raw) for raw in items]
        ruw = [g for g in gelezen if not isinstance(g, Resultaat)]
        self.zichtbaar = set(toegang.trajecten(self.account).filter(pk__in={g[2] for g in ruw})
                             .values_list("pk", flat=True))
        # Under row-level security the account finds only what it reads; the author is always a reader.
        self.bestaand = {v.uuid: v for v in toegang.verslagen(self.account).filter(uuid__in={g[1] for g in ruw})}
        namen: set[str] = set()
        for _, _, _, envelop in ruw:
            with contextlib.suppress(ZegelFout):  # refused with the reason below
                namen.update(lezers_van(envelop))
        self.actief = set(Account.objects.filter(username__in=namen, is_active=True).values_list("username",
                                                                                                flat=True))
        results: list[Resultaat] = []
        te_schrijven: list[_Verslag] = []
        for index, item in enumerate(gelezen):
            if isinstance(item, Resultaat):
                results.append(item)
                continue
            try:
                resultaat, nieuw = self._verwerk(index, *item)
            except _Geweigerd as fout:
                resultaat, nieuw = Resultaat(item[0], "geweigerd", melding=str(fout)), None
            results.append(resultaat)
            if nieuw is not None:
                te_schrijven.append(nieuw)
        self._schrijf(te_schrijven, results)
        return results

    def _lees(self, raw: object) -> tuple[str, uuid.UUID, uuid.UUID, bytes] | Resultaat:
        if not isinstance(raw, Mapping):
            return Resultaat("", "geweigerd", melding=GEEN_OBJECT)
        verslag_id = str(raw.get("id", ""))[:64]
        try:
            verslag = _uuid(raw.get("id"), "Het id van het verslag")
            traject = _uuid(raw.get("traject"), "Het traject van het verslag")
            try:
                envelop = uit_b64(raw.get("envelop"))
            except ValueError:
                raise _Geweigerd(GEEN_BASE64) from None
        except _Geweigerd as fout:
            return Resultaat(verslag_id, "geweigerd", melding=str(fout))
        return verslag_id, verslag, traject, envelop

    def _verwerk(self, index: int, verslag_id: str, verslag: uuid.UUID, traject: uuid.UUID,
                 envelop: bytes) -> tuple[Resultaat, _Verslag | None]:
        bewaard = self.bestaand.get(verslag)
        if bewaard is not None:
            if (bewaard.auteur_id == self.account.pk and bewaard.traject_id == traject
                    and zelfde_verslag(bytes(bewaard.envelop), envelop)):
                return Resultaat(verslag_id, "aanvaard", volgnummer=bewaard.volgnummer), None
            raise _Geweigerd(ANDERE_INHOUD)
        eerder = self.in_batch.get(verslag)
        if eerder is not None:  # the same uuid twice in one batch
            if eerder.traject == traject and eerder.envelop == envelop:
                return Resultaat(verslag_id, "aanvaard"), None  # its volgnummer follows in _schrijf
            raise _Geweigerd(ANDERE_INHOUD)
        if traject not in self.zichtbaar:
            raise _Geweigerd(ONBEKEND_TRAJECT)
        try:
            metadata = metadata_van(envelop)
            lezers = lezers_van(envelop)
        except ZegelFout as fout:
            raise _Geweigerd(str(fout)) from None
        auteur = auteur_account(envelop)
        if auteur != self.account.username:
            raise _Geweigerd(f"Dit verslag is verzegeld op naam van een ander account (‘{str(auteur)[:150]}’); een "
                             "laptop verstuurt alleen de verslagen van zijn eigen account.")
        if not self.sleutels:
            raise _Geweigerd(GEEN_SLEUTEL)
        if not any(ondertekend_met(envelop, sleutel) for sleutel in self.sleutels):
            raise _Geweigerd(HANDTEKENING)
        if HERSTEL not in lezers:
            raise _Geweigerd(ZONDER_HERSTEL)
        if self.account.username not in lezers:
            raise _Geweigerd(AUTEUR_GEEN_LEZER)
        onbekend = [lezer for lezer in lezers if lezer != HERSTEL and lezer not in self.actief]
        if onbekend:
            raise _Geweigerd(f"Dit verslag is verzegeld voor {', '.join(f'‘{n[:150]}’' for n in onbekend[:5])}: "
                             "geen actief account van het instituut.")
        _controleer_metadata(metadata, traject)
        nieuw = _Verslag(index, verslag, traject, envelop, metadata, lezers, _datum(metadata))
        self.in_batch[verslag] = nieuw
        return Resultaat(verslag_id, "aanvaard"), nieuw

    def _schrijf(self, te_schrijven: list[_Verslag], results: list[Resultaat]) -> None:
        """Store the accepted verslagen with their volgnummers, under the volgnummer lock (see the docstring)."""
        if not te_schrijven:
            return
        volgnummers: dict[uuid.UUID, Resultaat] = {}
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [VOLGNUMMER_SLOT])
            nu = timezone.now()
            for verslag in te_schrijven:
                cursor.execute("SELECT nextval(%s)", [SEQUENCE])
                (volgnummer,) = cursor.fetchone()
                row = Verslag(
                    uuid=verslag.id, traject_id=verslag.traject, auteur=self.account,
                    gesprek=str(verslag.metadata["gesprek"]), versie=verslag.metadata["versie"], datum=verslag.datum,
                    metadata=verslag.metadata, lezers=verslag.lezers, envelop=verslag.envelop, volgnummer=volgnummer,
                    ontvangen_op=nu, bijgewerkt_op=nu,
                )
                try:
                    with transaction.atomic():
                        row.save(force_insert=True)
                    resultaat = Resultaat(results[verslag.index].id, "aanvaard", volgnummer=volgnummer)
                except IntegrityError:
                    # The uuid arrived meanwhile: a resend that overtook its first try (then it is the same
                    # verslag, with its volgnummer), or another account's verslag.
                    bewaard = toegang.verslagen(self.account).filter(uuid=verslag.id).first()
                    if (bewaard is not None and bewaard.auteur_id == self.account.pk
                            and zelfde_verslag(bytes(bewaard.envelop), verslag.envelop)):
                        resultaat = Resultaat(results[verslag.index].id, "aanvaard", volgnummer=bewaard.volgnummer)
                    else:
                        resultaat = Resultaat(results[verslag.index].id, "geweigerd", melding=ANDERE_INHOUD)
                results[verslag.index] = resultaat
                volgnummers[verslag.id] = resultaat
        # The same uuid again later in the batch: the answer of its first.
        for index, resultaat in enumerate(results):
            if resultaat.status == "aanvaard" and resultaat.volgnummer is None:
                try:
                    eerste = volgnummers[uuid.UUID(resultaat.id)]
                except (KeyError, ValueError):
                    continue
                results[index] = Resultaat(resultaat.id, eerste.status, eerste.volgnummer, eerste.melding)


def ontvang(account: Account, body: object) -> list[Resultaat]:
    """Check and store a laptop's definitief verslagen (see the module's docstring); one transaction."""
    items = lees_batch(body)
    with toegang.als_account(account):
        return _Ontvangst(account).run(items)


# ---- handing out ---------------------------------------------------------------------------------------------


def verslag_json(v: Verslag) -> dict[str, object]:
    return {
        "id": str(v.uuid),
        "traject": str(v.traject_id),
        "auteur": v.auteur.username,
        "auteur_naam": v.auteur.naam,
        "gesprek": v.gesprek,
        "versie": v.versie,
        "datum": v.datum.isoformat() if v.datum else None,
        "metadata": v.metadata,
        "envelop": base64.b64encode(bytes(v.envelop)).decode("ascii"),
        "volgnummer": v.volgnummer,
    }


def haal_op(lezer: Lezer, na: int, *, pagina: int = PAGINA) -> dict[str, object]:
    """The verslagen sealed to this account with a volgnummer above `na`, in order, a page at a time; each one
    handed out is logged in the same transaction (toegangslog.py)."""
    with toegang.als_account(lezer.account):
        rows = list(toegang.verslagen(lezer.account).filter(volgnummer__gt=na).select_related("auteur")
                    .order_by("volgnummer")[: pagina + 1])
        meer = len(rows) > pagina
        rows = rows[:pagina]
        schrijf(lezer, "verslag", [Gelezen(v.traject_id, 1, v.uuid) for v in rows], na=na)
    return {"verslagen": [verslag_json(v) for v in rows], "tot": rows[-1].volgnummer if rows else na, "meer": meer,
            "reeks": toegang.reeks()}


# ---- IT's half, as the owner of the tables ----------------------------------------------------------------------


def te_herverzegelen(using: str, *, jaren: Iterable[int] | None = None, traject: uuid.UUID | None = None
                     ) -> QuerySet[Verslag]:
    """The verslagen of these opleidingsjaren, or of one traject, or (neither) all, oldest first."""
    verslagen = Verslag.objects.using(using).all()
    if jaren is not None:
        verslagen = verslagen.filter(traject__opleidingsjaar__in=sorted(set(jaren)))
    if traject is not None:
        verslagen = verslagen.filter(traject_id=traject)
    return verslagen.order_by("volgnummer")


@dataclass(slots=True)
class Herverzegeld:
    gedaan: int = 0
    al_lezer: int = 0
    mislukt: list[tuple[uuid.UUID, str]] = field(default_factory=list)


def voeg_lezer_toe_aan(verslagen: QuerySet[Verslag], herstel: Sleutelpaar, account: Account,
                       publiek: PubliekeSleutels, using: str, *, opnieuw: bool = False) -> Herverzegeld:
    """Seal each verslag's content key also to `account` (unsealed with the recovery key), add its name to the
    readers and give it a new volgnummer. The caller checked that `publiek` is bound to the account by the
    institute. A verslag the account already reads is left alone unless `opnieuw` (a new key of the account)."""
    uit = Herverzegeld()
    with transaction.atomic(using=using), connections[using].cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", [VOLGNUMMER_SLOT])
        for verslag in verslagen.select_for_update().iterator():
            if account.username in verslag.lezers and not opnieuw:
                uit.al_lezer += 1
                continue
            try:
                envelop = voeg_lezer_toe(bytes(verslag.envelop), HERSTEL, herstel, account.username,
                                         publiek.versleuteling)
            except ZegelFout as fout:
                uit.mislukt.append((verslag.uuid, str(fout)))
                continue
            cursor.execute("SELECT nextval(%s)", [SEQUENCE])
            (volgnummer,) = cursor.fetchone()
            Verslag.objects.using(using).filter(pk=verslag.pk).update(
                envelop=envelop, lezers=sorted({*verslag.lezers, account.username}), volgnummer=volgnummer,
                bijgewerkt_op=timezone.now())
            uit.gedaan += 1
    return uit
