"""The server's data: groepen, accounts and their roles, laptops, trajecten as the events the laptops sent, and
the blokkades of opleiders that follow from those events.

Tables have plain names (`traject`, `gebeurtenis`, ...) because the row-level security policies name them
(migrations/0002_rijbeveiliging.py, 0003_blokkade.py). Free text never gets a column of its own: an event's data
is one JSON value (`gegevens`) in which every free text is a placeholder (core/gedeeld.py); the text itself is in
`sealed`, an envelope sealed to the traject's readers that the server cannot open, as are a traject's LOVAH
category and the aios's name (`Traject.sealed`). The server holds only what the rules and terms need.

The key directory (`Sleutel`, `InstituutSleutels`, sleutels.py) holds public keys only: what a laptop seals to.
The server is not trusted with them; the institute's signature (made by IT, offline) is what a laptop believes.

A `Verslag` is a definitief verslag as its author's laptop sealed it (verzegeling.py): the envelope, which the
server cannot open, and beside it only what the terms need (which gesprek, its version and date) and who may
fetch it (`lezers`). Its text is never in a column.

`Praktijk`, `Opleider`, `Aios` and `Koppeling` are Personen as the institute keeps them (issue 17; personen.py): the
desktop's own model (core/personen.py) with its rules, each row numbered by `versie` from one shared sequence, so a
laptop pulls what changed. Nothing is deleted: rows are archived, koppelingen end (migrations/0010_personen.py).

`Toegang` is the access log (issue 17): one row for every traject, page of events or verslag handed to a laptop,
written in the same transaction as the read (toegangslog.py). Append-only, for the owner's eyes only
(migrations/0008_toegangslog.py).
"""

from __future__ import annotations

import uuid
from typing import Any, Final

from django.contrib.auth.models import AbstractUser
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import BrinIndex, GinIndex
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Now
from django.utils import timezone

from ontkoppel_desktop.core import personen as kern
from ontkoppel_desktop.core.errors import ValidatieFout
from ontkoppel_desktop.core.personen import NAAM_MAX, OPLEIDINGSJAREN
from ontkoppel_desktop.core.rollen import MEDEWERKER_ROLLEN, Rol

# The roles an account of the institute can hold: the docenten and the medewerkers (core/rollen.py); an aios or
# opleider has no account in this milestone.
ACCOUNT_ROLLEN: tuple[Rol, ...] = (Rol.DOCENTEN, *MEDEWERKER_ROLLEN)
# Roles that see a traject once it is on its way to an ontkoppeling (the advies, the besluit): they find the new
# opleider, take the formal decisions, and need to know that an opleider is blocked (Utrecht 5.1, 5.2).
ROLLEN_NA_ADVIES: tuple[Rol, ...] = (Rol.MANAGER_OPLEIDERS, Rol.ASSISTENT_MANAGER_OPLEIDERS, Rol.PLV_HOOFD)
JAAR_KEUZES = [(jaar, f"Jaar {jaar}") for jaar in OPLEIDINGSJAREN]


class Groep(models.Model):
    """A terugkomdaggroep, with the opleidingsjaar it is in (core.personen.Groep). Its docenten see its
    trajecten."""

    naam = models.CharField("naam", max_length=100, unique=True)
    opleidingsjaar = models.PositiveSmallIntegerField("opleidingsjaar", choices=JAAR_KEUZES)

    class Meta:
        db_table = "groep"
        verbose_name = "groep"
        verbose_name_plural = "groepen"
        ordering = ["naam"]

    def __str__(self) -> str:
        return f"{self.naam} (jaar {self.opleidingsjaar})"


class Account(AbstractUser):
    """A person who works with the app at the institute, or IT (staff, in the beheer pages)."""

    # Raised whenever IT changes the account's roles: a laptop that pulled with an older scope gets everything
    # it may now see from the start (api.py, GET gebeurtenissen).
    scope_versie = models.PositiveIntegerField("versie van de rollen", default=1, editable=False)

    class Meta:
        db_table = "account"
        verbose_name = "account"
        verbose_name_plural = "accounts"

    def __str__(self) -> str:
        return self.naam

    @property
    def naam(self) -> str:
        return str(self.get_full_name() or self.username)


class AccountRol(models.Model):
    """One role of an account, with its scope: docenten of one groep, a jaarassistent or manager opleiding of one
    opleidingsjaar, the other roles institute-wide. An account may hold several."""

    account = models.ForeignKey(Account, models.CASCADE, related_name="rollen", verbose_name="account")
    rol = models.CharField("rol", max_length=40, choices=[(r.value, r.label) for r in ACCOUNT_ROLLEN])
    groep = models.ForeignKey(
        Groep, models.PROTECT, null=True, blank=True, related_name="+", verbose_name="groep",
        help_text="Alleen bij docenten: de groep waarvan deze persoon docent is.",
    )
    opleidingsjaar = models.PositiveSmallIntegerField(
        "opleidingsjaar", null=True, blank=True, choices=JAAR_KEUZES,
        help_text="Alleen bij jaarassistent en manager opleiding: het jaar waarvoor deze persoon werkt.",
    )

    class Meta:
        db_table = "account_rol"
        verbose_name = "rol"
        verbose_name_plural = "rollen"
        constraints = [
            models.UniqueConstraint(
                fields=["account", "rol", "groep", "opleidingsjaar"], nulls_distinct=False, name="account_rol_uniek"
            ),
            models.CheckConstraint(
                condition=(
                    Q(rol=Rol.DOCENTEN.value, groep__isnull=False, opleidingsjaar__isnull=True)
                    | Q(rol__in=[r.value for r in ACCOUNT_ROLLEN if r.per_opleidingsjaar], groep__isnull=True,
                        opleidingsjaar__isnull=False)
                    | (
                        ~Q(rol=Rol.DOCENTEN.value)
                        & ~Q(rol__in=[r.value for r in ACCOUNT_ROLLEN if r.per_opleidingsjaar])
                        & Q(groep__isnull=True, opleidingsjaar__isnull=True)
                    )
                ),
                name="account_rol_scope",
            ),
        ]

    def __str__(self) -> str:
        rol = Rol(self.rol)
        if self.groep is not None:
            return f"{rol.label}, groep {self.groep.naam}"
        if self.opleidingsjaar is not None:
            return f"{rol.label}, jaar {self.opleidingsjaar}"
        return rol.label

    def clean(self) -> None:
        rol = Rol(self.rol) if self.rol in Rol._value2member_map_ else None
        if rol is Rol.DOCENTEN:
            if self.groep is None:
                raise ValidationError({"groep": "Kies de groep waarvan deze persoon docent is."})
            if self.opleidingsjaar is not None:
                raise ValidationError({"opleidingsjaar": "Docenten horen bij een groep, niet bij een jaar."})
        elif rol is not None and rol.per_opleidingsjaar:
            if self.opleidingsjaar is None:
                raise ValidationError({"opleidingsjaar": f"Een {rol.label.lower()} hoort bij een opleidingsjaar."})
            if self.groep is not None:
                raise ValidationError({"groep": f"Een {rol.label.lower()} hoort bij een jaar, niet bij een groep."})
        elif self.groep is not None or self.opleidingsjaar is not None:
            label = rol.label if rol else "Deze rol"
            raise ValidationError(f"{label} geldt voor het hele instituut: laat groep en opleidingsjaar leeg.")


class Laptop(models.Model):
    """An enrolled laptop: its token (kept hashed) says which account speaks, from which laptop."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    account = models.ForeignKey(Account, models.PROTECT, related_name="laptops", verbose_name="account")
    naam = models.CharField("naam van de laptop", max_length=100)
    # SHA-256 of the token: the token is 256 random bits, so a slow hash would add nothing (tokens.py).
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    # The token before the last renewal, valid until the laptop first uses the new one: a renewal whose answer
    # never reached the laptop (a cut connection) must not lock it out (laptops.vernieuw).
    vorig_token_hash = models.CharField(max_length=64, unique=True, null=True, editable=False)
    aangemeld_op = models.DateTimeField("aangemeld op", default=timezone.now, editable=False)
    verloopt_op = models.DateTimeField("token verloopt op")
    ingetrokken_op = models.DateTimeField("ingetrokken op", null=True, blank=True)
    laatst_gezien = models.DateTimeField("laatst gezien", null=True, blank=True, editable=False)

    class Meta:
        db_table = "laptop"
        verbose_name = "laptop"
        verbose_name_plural = "laptops"
        ordering = ["-aangemeld_op"]

    def __str__(self) -> str:
        return f"{self.naam} ({self.account})"

    @property
    def ingetrokken(self) -> bool:
        return self.ingetrokken_op is not None


# A traject header's `personen` when the traject is kept on the institute's Personen: its ids of koppeling, aios and
# opleider, and those in its events, are the server's (gebeurtenissen.Kop).
PERSONEN_INSTITUUT: Final = "instituut"


class Traject(models.Model):
    """The header of one ontkoppelingstraject; its events are `Gebeurtenis` rows. Who may see it follows from
    `groep`, `opleidingsjaar` and `advies_ontkoppeling` (toegang.py, and the policies in PostgreSQL)."""

    id = models.UUIDField(primary_key=True, editable=False)  # made by the laptop that started the traject
    groep = models.ForeignKey(Groep, models.PROTECT, related_name="+", verbose_name="groep")
    opleidingsjaar = models.PositiveSmallIntegerField("opleidingsjaar van de aios", choices=JAAR_KEUZES)
    procedure_id = models.CharField(max_length=60)
    procedure_versie = models.CharField(max_length=40)
    # startreden, the aios's facts the rules need, the ids of koppeling, aios and opleider (the server's own when
    # `"personen": "instituut"`, else the starting laptop's), the opleider's name (gebeurtenissen.Kop). The categorie
    # is the placeholder `verzegeld` and the aios's name empty: both are in `sealed`, when the starting laptop could
    # seal them (zegels.py).
    kop = models.JSONField(default=dict)
    sealed = models.BinaryField(null=True, editable=False)
    # Set by the first event that matches the procedure's advies tot ontkoppeling or besluit; from then on the
    # institute-wide roles see the traject (it stays set: they were informed).
    advies_ontkoppeling = models.BooleanField(default=False)
    # The volgnummer of the event that last changed the header or who sees it: a pull resends the whole traject.
    kop_volgnummer = models.BigIntegerField(default=0)
    aangemaakt_door = models.ForeignKey(Account, models.PROTECT, related_name="+")
    aangemaakt_op = models.DateTimeField(default=timezone.now)

    class Meta:
        db_table = "traject"
        verbose_name = "traject"
        verbose_name_plural = "trajecten"


class Gebeurtenis(models.Model):
    """One event of a traject as received: append-only, numbered in the order the server accepted it."""

    volgnummer = models.BigAutoField(primary_key=True)
    uuid = models.UUIDField(unique=True)  # made by the laptop (core: TrajectEvent.id)
    traject = models.ForeignKey(Traject, models.PROTECT, related_name="gebeurtenissen")
    soort = models.CharField(max_length=60)  # core.procedure.EventKind
    datum = models.DateField()
    gegevens = models.JSONField(default=dict)  # TrajectEvent.data, as the core validated it; free text a placeholder
    sealed = models.BinaryField(null=True, editable=False)  # the free text, sealed to the traject's readers
    vastgelegd_op = models.DateTimeField()  # TrajectEvent.recorded_at, on the laptop
    auteur = models.ForeignKey(Account, models.PROTECT, related_name="+")
    laptop = models.ForeignKey(Laptop, models.PROTECT, related_name="+")
    ontvangen_op = models.DateTimeField(default=timezone.now)

    class Meta:
        db_table = "gebeurtenis"
        verbose_name = "gebeurtenis"
        verbose_name_plural = "gebeurtenissen"
        indexes = [models.Index(fields=["traject", "volgnummer"], name="gebeurtenis_traject_volgnr")]


class Blokkade(models.Model):
    """An opleider who gets no new aios yet because of this traject (core.procedure.blokkade, Utrecht 5.2.1 and
    5.3.2): kept by the server whenever it accepts events of the traject (gebeurtenissen.py), so that every role
    knows it, not only those who see the traject. It holds nothing of the aios."""

    traject = models.OneToOneField(Traject, models.CASCADE, primary_key=True, related_name="blokkade")
    # From Traject.kop: the opleider's id, the server's own (an `Opleider`) when `instituut`, else the starting
    # laptop's; and the opleider's name, the server's when `instituut`, else as that laptop knew it (may be empty).
    opleider_id = models.BigIntegerField("nummer van de opleider")
    opleider_naam = models.CharField("naam van de opleider", max_length=200, blank=True)
    # Whether the traject is kept on the institute's Personen (its header's `"personen": "instituut"`,
    # gebeurtenissen.Kop): laptops then match the blokkade to the institute's opleider by id.
    # Also the database's default: a server of before this column, still running while the migration is applied,
    # inserts rows without it.
    instituut = models.BooleanField("opleider van het instituut", default=False, db_default=False)
    sinds = models.DateField("sinds")  # the day of the moment that started it (the formal besluit)
    wacht_op = models.TextField("wacht op")  # the title of the step that lifts it

    class Meta:
        db_table = "blokkade"
        verbose_name = "blokkade"
        verbose_name_plural = "blokkades"
        ordering = ["opleider_naam", "sinds"]

    def __str__(self) -> str:
        return f"{self.opleider_naam or f'opleider {self.opleider_id}'} (sinds {self.sinds:%d-%m-%Y})"


class InstituutSleutels(models.Model):
    """The institute's public keys (one row, pk 1): its signing key, with which IT binds every account's keys to
    that account, and the recovery key, a reader of every verslag, bound to `herstel` by the signing key. Their
    private halves are in files IT keeps offline; this server never sees them. Written by IT's commands as the
    owner of the tables (sleutels.py); the application role only reads it."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1, editable=False)
    # base64 of the 32-byte Ed25519 public key
    ondertekening = models.CharField("ondertekensleutel van het instituut", max_length=44)
    # The recovery key's public halves (base64 of X25519 and Ed25519, 32 bytes each) and the institute's binding
    # signature over both (base64 of 64 bytes): a laptop checks the binding over the pair, then seals to the
    # X25519 half.
    herstel_versleuteling = models.CharField("herstelsleutel (versleuteling)", max_length=44, null=True, blank=True)
    herstel_ondertekening = models.CharField("herstelsleutel (ondertekening)", max_length=44, null=True, blank=True)
    herstel_handtekening = models.CharField("handtekening onder de herstelsleutel", max_length=88, null=True,
                                            blank=True)
    gewijzigd_op = models.DateTimeField("gewijzigd op", default=timezone.now)

    class Meta:
        db_table = "instituut_sleutels"
        verbose_name = "sleutels van het instituut"
        verbose_name_plural = "sleutels van het instituut"
        constraints = [
            models.CheckConstraint(condition=Q(id=1), name="instituut_sleutels_een_rij"),
            models.CheckConstraint(
                condition=Q(herstel_versleuteling__isnull=True, herstel_ondertekening__isnull=True,
                            herstel_handtekening__isnull=True)
                | Q(herstel_versleuteling__isnull=False, herstel_ondertekening__isnull=False),
                name="instituut_sleutels_herstel_heel",
            ),
        ]


class Sleutel(models.Model):
    """An account's public keys, as a laptop sent them (at enrolment, or later), and the institute's signature
    that they are this account's once IT has compared the fingerprint with the user. An account has at most one
    current key; a new one replaces it (`vervangen_op`), and the old row stays: verslagen signed or sealed with it
    remain what they were."""

    account = models.ForeignKey(Account, models.PROTECT, related_name="sleutels", verbose_name="account")
    laptop = models.ForeignKey(Laptop, models.PROTECT, null=True, blank=True, related_name="+",
                               verbose_name="laptop")
    # base64 of 32 bytes each: X25519 (to seal to) and Ed25519 (the account's signatures)
    versleuteling = models.CharField("versleutelsleutel", max_length=44)
    ondertekening = models.CharField("ondertekensleutel", max_length=44)
    vingerafdruk = models.CharField("vingerafdruk", max_length=39)  # verzegeling.vingerafdruk: 8 groups of 4
    # base64 of verzegeling.onderteken_binding(institute, account.username, keys): 64 bytes
    handtekening = models.CharField("handtekening van het instituut", max_length=88, null=True, blank=True)
    aangemeld_op = models.DateTimeField("aangemeld op", default=timezone.now)
    ondertekend_op = models.DateTimeField("ondertekend op", null=True, blank=True)
    vervangen_op = models.DateTimeField("vervangen op", null=True, blank=True)

    class Meta:
        db_table = "sleutel"
        verbose_name = "sleutel"
        verbose_name_plural = "sleutels"
        ordering = ["account__username", "-aangemeld_op"]
        constraints = [
            models.UniqueConstraint(fields=["account"], condition=Q(vervangen_op__isnull=True),
                                    name="sleutel_een_actuele_per_account"),
            models.CheckConstraint(
                condition=Q(handtekening__isnull=True, ondertekend_op__isnull=True)
                | Q(handtekening__isnull=False, ondertekend_op__isnull=False),
                name="sleutel_handtekening_met_datum",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.account} ({self.vingerafdruk})"

    @property
    def ondertekend(self) -> bool:
        return self.handtekening is not None


class Verslag(models.Model):
    """A definitief verslag, sealed by its author to its readers (issue 16; verslagen.py receives and hands them
    out). The envelope is what the author's laptop sent, with readers added later by IT's recovery key
    (verslagen-herverzegelen); the columns beside it hold the envelope's own metadata, which the author signed, and
    nothing else. Read only by the accounts in `lezers` (migrations/0006_verslagen.py)."""

    uuid = models.UUIDField(primary_key=True, editable=False)  # made by the author's laptop
    traject = models.ForeignKey(Traject, models.PROTECT, related_name="verslagen")
    auteur = models.ForeignKey(Account, models.PROTECT, related_name="+")
    gesprek = models.CharField(max_length=60)  # e.g. "driehoeksgesprek": the step the verslag belongs to
    versie = models.PositiveIntegerField()  # a correction is a new version, under a new uuid
    datum = models.DateField(null=True)  # of the gesprek
    # Exactly the envelope's metadata (verslagen.METADATA_SLEUTELS): signed by the author, no free text.
    metadata = models.JSONField(default=dict)
    # The readers' account names, and "herstel" (verzegeling.HERSTEL): who may fetch the envelope.
    lezers = ArrayField(models.TextField())
    envelop = models.BinaryField(editable=False)
    # From the sequence verslag_volgnummer under the verslagen lock (verslagen.py); given anew when a reader is
    # added, so that the new reader's laptop pulls it.
    volgnummer = models.BigIntegerField(unique=True, editable=False)
    ontvangen_op = models.DateTimeField(default=timezone.now)
    bijgewerkt_op = models.DateTimeField(default=timezone.now)

    class Meta:
        db_table = "verslag"
        verbose_name = "verslag"
        verbose_name_plural = "verslagen"
        indexes = [GinIndex(fields=["lezers"], name="verslag_lezers")]  # the policy's and haal_op's `@>`


class Toegang(models.Model):
    """One read of traject data by an account (toegangslog.py writes it): who, when, from which laptop, which traject
    or verslag, and how many of its events or verslagen the answer held.

    `traject` and `verslag` are plain UUIDs, not foreign keys: the log must outlive whatever it names (a traject
    archived or removed later), and it holds only what was handed out. Written by the application role with INSERT
    only; no one updates or deletes a row (a trigger refuses it, also for the owner: migrations/0008_toegangslog.py).
    """

    id = models.BigAutoField(primary_key=True)
    moment = models.DateTimeField("moment", db_default=Now())
    account = models.ForeignKey(Account, models.PROTECT, related_name="+", verbose_name="account")
    laptop = models.ForeignKey(Laptop, models.PROTECT, null=True, blank=True, related_name="+", db_index=False,
                               verbose_name="laptop")
    soort = models.CharField("soort", max_length=20, choices=[(s, s) for s in ("traject", "verslag", "gebeurtenissen")])
    traject = models.UUIDField("traject", null=True, blank=True)
    verslag = models.UUIDField("verslag", null=True, blank=True)
    aantal = models.PositiveIntegerField("aantal")  # the traject's events, or verslagen, in that answer
    details = models.JSONField("details", default=dict, blank=True)  # the request: path and `na`

    class Meta:
        db_table = "toegangslog"
        verbose_name = "toegang"
        verbose_name_plural = "toegangslog"
        ordering = ["-moment", "-id"]
        indexes = [
            # Appended in time order: a BRIN index serves a period (--van/--tot) for next to nothing per insert.
            BrinIndex(fields=["moment"], name="toegangslog_moment"),
            models.Index(fields=["traject"], name="toegangslog_traject"),  # an inzage request
        ]

    def __str__(self) -> str:
        return f"{self.soort} door account {self.account_id} op {self.moment:%d-%m-%Y %H:%M}"


class Reeks(models.Model):
    """Which lineage of the database the laptops speak to (one row, pk 1). A back-up put back loses what was
    accepted after it; IT's command `na-herstel` then starts a new reeks, and a laptop that sees another reeks
    than it last heard sends again what the server may miss and pulls everything from the start."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1, editable=False)
    reeks = models.UUIDField(default=uuid.uuid4)
    sinds = models.DateTimeField(default=timezone.now)

    class Meta:
        db_table = "reeks"
        verbose_name = "reeks"
        verbose_name_plural = "reeks"


# ---- Personen (issue 17) ----------------------------------------------------------------------------------------
#
# Who sees and who edits which row is personen.py's rule, held a second time by the policies of
# migrations/0010_personen.py. The rules of a row itself are the desktop's (core/personen.py): `clean` hands the
# values to the core object's `valideer`, takes back the names as the core keeps them (naam_tekst) and turns its
# Dutch problems into a ValidationError, for the API (personen.py) and the beheer pages alike.


def _valideer(kern_object: Any) -> None:
    try:
        kern_object.valideer()
    except ValidatieFout as fout:
        raise ValidationError(fout.problemen) from None


class Praktijk(models.Model):
    """A huisartsenpraktijk where opleiders work (core.personen.Praktijk)."""

    naam = models.CharField("naam", max_length=NAAM_MAX)
    plaats = models.CharField("plaats", max_length=NAAM_MAX, blank=True, default="")
    gearchiveerd = models.BooleanField("gearchiveerd", default=False)
    # From the sequence personen_versie, set by a trigger on every insert and update (migrations/0010_personen.py).
    versie = models.BigIntegerField("versie", default=0, editable=False)

    class Meta:
        db_table = "praktijk"
        verbose_name = "praktijk"
        verbose_name_plural = "praktijken"
        ordering = ["naam", "plaats"]
        indexes = [models.Index(fields=["versie"], name="praktijk_versie")]

    def __str__(self) -> str:
        return f"{self.naam} ({self.plaats})" if self.plaats else self.naam

    def clean(self) -> None:
        praktijk = kern.Praktijk(naam=self.naam, plaats=self.plaats, id=self.pk, gearchiveerd=self.gearchiveerd)
        _valideer(praktijk)
        self.naam, self.plaats = praktijk.naam, praktijk.plaats


class _Persoon(models.Model):
    """A person's name as the core keeps it (core.personen.Naam)."""

    voornaam = models.CharField("voornaam", max_length=NAAM_MAX, blank=True, default="")
    tussenvoegsel = models.CharField("tussenvoegsel", max_length=NAAM_MAX, blank=True, default="")
    achternaam = models.CharField("achternaam", max_length=NAAM_MAX)
    gearchiveerd = models.BooleanField("gearchiveerd", default=False)
    versie = models.BigIntegerField("versie", default=0, editable=False)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.naam.volledig

    @property
    def naam(self) -> kern.Naam:
        return kern.Naam(self.voornaam, self.tussenvoegsel, self.achternaam)

    def _neem_naam(self, naam: kern.Naam) -> None:
        self.voornaam, self.tussenvoegsel, self.achternaam = naam.voornaam, naam.tussenvoegsel, naam.achternaam


class Opleider(_Persoon):
    """A huisarts-opleider (core.personen.Opleider): the fields the institute shares; the rest (curriculum, duo)
    stays on the laptop that plans."""

    praktijk = models.ForeignKey(Praktijk, models.PROTECT, null=True, blank=True, related_name="opleiders",
                                 verbose_name="praktijk")

    class Meta:
        db_table = "opleider"
        verbose_name = "opleider"
        verbose_name_plural = "opleiders"
        ordering = ["achternaam", "voornaam"]
        indexes = [models.Index(fields=["versie"], name="opleider_versie")]

    def clean(self) -> None:
        opleider = kern.Opleider(naam=self.naam, praktijk_id=self.praktijk_id, id=self.pk,
                                 gearchiveerd=self.gearchiveerd)
        _valideer(opleider)
        self._neem_naam(opleider.naam)


class Aios(_Persoon):
    """An aios in training (core.personen.Aios), in one terugkomdaggroep. Its opleidingsjaar says which
    jaarassistent and manager opleiding see and edit it; its groep which docenten see it."""

    opleidingsjaar = models.PositiveSmallIntegerField("opleidingsjaar", choices=JAAR_KEUZES)
    startdatum_opleiding = models.DateField("startdatum opleiding", null=True, blank=True)
    deeltijdpercentage = models.PositiveSmallIntegerField("deeltijdpercentage", default=100)
    groep = models.ForeignKey(Groep, models.PROTECT, related_name="aios", verbose_name="groep")

    class Meta:
        db_table = "aios"
        verbose_name = "aios"
        verbose_name_plural = "aios"
        ordering = ["achternaam", "voornaam"]
        indexes = [models.Index(fields=["versie"], name="aios_versie")]
        constraints = [
            models.CheckConstraint(condition=Q(opleidingsjaar__in=OPLEIDINGSJAREN), name="aios_opleidingsjaar"),
            models.CheckConstraint(condition=Q(deeltijdpercentage__gte=50, deeltijdpercentage__lte=100),
                                   name="aios_deeltijdpercentage"),
        ]

    def clean(self) -> None:
        aios = kern.Aios(naam=self.naam, opleidingsjaar=self.opleidingsjaar,
                         startdatum_opleiding=self.startdatum_opleiding, deeltijdpercentage=self.deeltijdpercentage,
                         groep_id=self.groep_id, id=self.pk, gearchiveerd=self.gearchiveerd)
        _valideer(aios)
        self._neem_naam(aios.naam)


class Koppeling(models.Model):
    """An aios with an opleider from a startdatum (core.personen.Koppeling). It is never deleted: it ends."""

    aios = models.ForeignKey(Aios, models.PROTECT, related_name="koppelingen", verbose_name="aios")
    opleider = models.ForeignKey(Opleider, models.PROTECT, related_name="koppelingen", verbose_name="opleider")
    startdatum = models.DateField("startdatum")
    einddatum = models.DateField("einddatum", null=True, blank=True)
    versie = models.BigIntegerField("versie", default=0, editable=False)

    class Meta:
        db_table = "koppeling"
        verbose_name = "koppeling"
        verbose_name_plural = "koppelingen"
        ordering = ["aios", "startdatum"]
        indexes = [models.Index(fields=["versie"], name="koppeling_versie")]
        constraints = [
            models.CheckConstraint(condition=Q(einddatum__isnull=True) | Q(einddatum__gte=F("startdatum")),
                                   name="koppeling_einde_na_start"),
        ]

    def __str__(self) -> str:
        return f"{self.aios} bij {self.opleider} vanaf {self.startdatum:%d-%m-%Y}"

    def clean(self) -> None:
        if self.startdatum is None or self.aios_id is None:
            return  # the form names the missing field
        andere = Koppeling.objects.using(self._state.db or "default").filter(aios_id=self.aios_id)
        if self.pk is not None:
            andere = andere.exclude(pk=self.pk)
        koppeling = kern.Koppeling(aios_id=self.aios_id, opleider_id=self.opleider_id or 0,
                                   startdatum=self.startdatum, einddatum=self.einddatum, id=self.pk)
        try:
            koppeling.valideer([
                kern.Koppeling(aios_id=k.aios_id, opleider_id=k.opleider_id, startdatum=k.startdatum,
                               einddatum=k.einddatum, id=k.pk)
                for k in andere
            ])
        except ValidatieFout as fout:
            raise ValidationError(fout.problemen) from None
