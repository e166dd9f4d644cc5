"""The beheer pages where IT manages accounts, their roles and scopes, groepen and laptops.

Trajecten and their events are not here: IT manages access, it does not read trajecten (and the policies in
PostgreSQL would show it none). Revoking a laptop is one action, on the laptops or on whole accounts.

The access log (`Toegang`) is shown read-only, read as the owner of the tables: the application role these pages
otherwise run as may only insert into it (migrations/0008_toegangslog.py). The running service deliberately does
not know the owner's password (whoever holds it can switch off the log's trigger), so there the page says so and
points to the command toegangslog-exporteren; a beheer process started with the owner's settings (server/README.md,
Wie keek wat in) shows the rows.

Personen (praktijken, opleiders, aios, koppelingen; issue 17) are under row-level security that opens them to the
roles of the institute, and these pages name no account: as the application role they would show none. So they
read and write as the owner too, in a beheer process with the owner's settings (IT's first fill, a correction);
the running service shows a message instead. The rows' own rules are the desktop's (the models' `clean`), and the
trigger gives every save a new versie, so the laptops pull it. Nothing is deleted: archive, or end a koppeling.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin
from django.db.models import F, Q, QuerySet
from django.http import HttpRequest, HttpResponse

from ontkoppel_server.instituut import laptops, toegangslog
from ontkoppel_server.instituut.models import (
    Account,
    AccountRol,
    Aios,
    Groep,
    Koppeling,
    Laptop,
    Opleider,
    Praktijk,
    Toegang,
)


class AccountRolInline(admin.TabularInline):
    model = AccountRol
    extra = 0
    verbose_name = "rol"
    verbose_name_plural = "rollen (met groep of opleidingsjaar waar de rol dat vraagt)"


class LaptopInline(admin.TabularInline):
    model = Laptop
    extra = 0
    can_delete = False
    fields = ("naam", "aangemeld_op", "laatst_gezien", "verloopt_op", "ingetrokken_op")
    readonly_fields = fields
    verbose_name_plural = "laptops (intrekken: op de pagina Laptops, of met de actie hierboven)"

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


def _meld_ingetrokken(modeladmin: admin.ModelAdmin, request: HttpRequest, aantal: int) -> None:
    modeladmin.message_user(request, f"{aantal} laptop(s) ingetrokken; hun tokens worden vanaf nu geweigerd.",
                            messages.SUCCESS)


@admin.register(Account)
class AccountAdmin(UserAdmin):
    inlines = (AccountRolInline, LaptopInline)
    list_display = ("username", "first_name", "last_name", "rollen_tekst", "is_active", "is_staff")
    list_filter = ("is_active", "is_staff", "rollen__rol")
    actions = ("laptops_intrekken",)

    @admin.display(description="rollen")
    def rollen_tekst(self, obj: Account) -> str:
        return "; ".join(str(rol) for rol in obj.rollen.select_related("groep"))

    @admin.action(description="Alle laptops van de gekozen accounts intrekken")
    def laptops_intrekken(self, request: HttpRequest, queryset: QuerySet[Account]) -> None:
        _meld_ingetrokken(self, request, laptops.trek_in(Laptop.objects.filter(account__in=queryset)))

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        if any(formset.model is AccountRol and formset.has_changed() for formset in formsets):
            # The account's laptops get everything they may now see from the start (gebeurtenissen.haal_op).
            Account.objects.filter(pk=form.instance.pk).update(scope_versie=F("scope_versie") + 1)


@admin.register(Groep)
class GroepAdmin(admin.ModelAdmin):
    list_display = ("naam", "opleidingsjaar")
    list_filter = ("opleidingsjaar",)
    search_fields = ("naam",)


@admin.register(Laptop)
class LaptopAdmin(admin.ModelAdmin):
    list_display = ("naam", "account", "aangemeld_op", "laatst_gezien", "verloopt_op", "ingetrokken_op")
    list_filter = ("ingetrokken_op",)
    search_fields = ("naam", "account__username", "account__last_name")
    readonly_fields = ("account", "naam", "aangemeld_op", "laatst_gezien", "verloopt_op", "ingetrokken_op")
    actions = ("intrekken",)

    @admin.action(description="Toegang van de gekozen laptops intrekken")
    def intrekken(self, request: HttpRequest, queryset: QuerySet[Laptop]) -> None:
        _meld_ingetrokken(self, request, laptops.trek_in(queryset))

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # a laptop enrols itself (Verbinden met instituut…)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # its events name it; revoke instead


@admin.register(Toegang)
class ToegangAdmin(admin.ModelAdmin):
    list_display = ("moment", "account", "naam", "laptop", "soort", "traject", "verslag", "aantal")
    list_filter = ("soort",)
    search_fields = ("account__username", "account__first_name", "account__last_name")
    search_help_text = "Zoek op gebruikersnaam of naam, of op het UUID van een traject of verslag."
    date_hierarchy = "moment"
    fields = ("moment", "account", "laptop", "soort", "traject", "verslag", "aantal", "details")
    readonly_fields = fields
    list_select_related = ("account", "laptop")
    actions = None

    @admin.display(description="naam")
    def naam(self, obj: Toegang) -> str:
        return str(obj.account.naam)

    def get_queryset(self, request: HttpRequest) -> QuerySet[Toegang]:
        try:
            return super().get_queryset(request).using(toegangslog.eigenaar())
        except toegangslog.GeenEigenaar:
            return Toegang.objects.none()

    def get_search_results(self, request: HttpRequest, queryset: QuerySet[Toegang], search_term: str
                           ) -> tuple[QuerySet[Toegang], bool]:
        try:
            gezocht = uuid.UUID(search_term.strip())
        except ValueError:
            gevonden: tuple[QuerySet[Toegang], bool] = super().get_search_results(request, queryset, search_term)
            return gevonden
        return queryset.filter(Q(traject=gezocht) | Q(verslag=gezocht)), False

    def changelist_view(self, request: HttpRequest, extra_context: dict[str, Any] | None = None) -> HttpResponse:
        try:
            toegangslog.eigenaar()
        except toegangslog.GeenEigenaar:
            self.message_user(
                request,
                "Deze server leest het toegangslog niet: dat kan alleen de eigenaar van de tabellen, en de draaiende "
                "server kent diens wachtwoord bewust niet. Exporteer het met de opdracht toegangslog-exporteren, of "
                "open deze pagina in een beheerproces met de instellingen van de eigenaar (server/README.md, Wie "
                "keek wat in).",
                messages.WARNING,
            )
        return super().changelist_view(request, extra_context)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # written by the server, with every read

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # append-only

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # append-only


PERSONEN_ALS_EIGENAAR = (
    "Personen staan onder rijbeveiliging en deze server leest ze niet zonder account: beheer ze in een beheerproces "
    "met de instellingen van de eigenaar (server/README.md, Personen op de server). Wie een rol heeft, wijzigt ze "
    "ook in de app."
)


class _AlsEigenaar(admin.ModelAdmin):
    """Reads and writes as the owner of the tables (the module's docstring); without the owner's settings, shows
    nothing and says why."""

    readonly_fields: Any = ("versie",)
    actions = None

    def _eigenaar(self) -> str | None:
        try:
            return toegangslog.eigenaar()
        except toegangslog.GeenEigenaar:
            return None

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        using = self._eigenaar()
        if using is None:
            return self.model._default_manager.none()
        return super().get_queryset(request).using(using)

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if (using := self._eigenaar()) is not None:
            kwargs["using"] = using
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_form(self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any) -> Any:
        form = super().get_form(request, obj, change, **kwargs)
        using = self._eigenaar()

        class AlsEigenaar(form):  # type: ignore[valid-type,misc]
            def __init__(self, *args: Any, **kw: Any) -> None:
                super().__init__(*args, **kw)
                # A new row's `clean` reads its neighbours (a koppeling's other koppelingen) where it will be saved.
                if using is not None and self.instance._state.db is None:
                    self.instance._state.db = using

        return AlsEigenaar

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        obj.save(using=self._eigenaar())

    def changelist_view(self, request: HttpRequest, extra_context: dict[str, Any] | None = None) -> HttpResponse:
        if self._eigenaar() is None:
            self.message_user(request, PERSONEN_ALS_EIGENAAR, messages.WARNING)
        return super().changelist_view(request, extra_context)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return self._eigenaar() is not None and super().has_add_permission(request)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._eigenaar() is not None and super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # archive instead, or end a koppeling: a laptop's traject may name the row


@admin.register(Praktijk)
class PraktijkAdmin(_AlsEigenaar):
    list_display = ("naam", "plaats", "gearchiveerd", "versie")
    list_filter = ("gearchiveerd",)
    search_fields = ("naam", "plaats")


@admin.register(Opleider)
class OpleiderAdmin(_AlsEigenaar):
    list_display = ("achternaam", "tussenvoegsel", "voornaam", "praktijk", "gearchiveerd", "versie")
    list_filter = ("gearchiveerd",)
    search_fields = ("achternaam", "voornaam", "praktijk__naam")


@admin.register(Aios)
class AiosAdmin(_AlsEigenaar):
    list_display = ("achternaam", "tussenvoegsel", "voornaam", "opleidingsjaar", "groep", "gearchiveerd", "versie")
    list_filter = ("opleidingsjaar", "groep", "gearchiveerd")
    search_fields = ("achternaam", "voornaam")


@admin.register(Koppeling)
class KoppelingAdmin(_AlsEigenaar):
    list_display = ("aios", "opleider", "startdatum", "einddatum", "versie")
    search_fields = ("aios__achternaam", "opleider__achternaam")
    date_hierarchy = "startdatum"
