"""The beheer pages where IT manages accounts, their roles and scopes, groepen and laptops.

Trajecten and their events are not here: IT manages access, it does not read trajecten (and the policies in
PostgreSQL would show it none). Revoking a laptop is one action, on the laptops or on whole accounts.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin
from django.db.models import F, QuerySet
from django.http import HttpRequest

from ontkoppel_server.instituut import laptops
from ontkoppel_server.instituut.models import Account, AccountRol, Groep, Laptop


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
