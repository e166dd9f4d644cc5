"""The beheer pages for IT (Django's admin) and the laptops' API."""

from __future__ import annotations

from django.contrib import admin
from django.urls import path

from ontkoppel_server.instituut import api

admin.site.site_header = "Ontkoppel – beheer van het instituut"
admin.site.site_title = "Ontkoppel beheer"
admin.site.index_title = "Accounts, rollen, groepen en laptops"

urlpatterns = [
    path("beheer/", admin.site.urls),
    path("api/v1/aanmelden", api.aanmelden),
    path("api/v1/ik", api.ik),
    path("api/v1/token/vernieuwen", api.vernieuwen),
    path("api/v1/gebeurtenissen", api.gebeurtenissen_view),
    path("api/v1/trajecten/<uuid:traject_id>", api.traject),
    path("api/v1/blokkades", api.blokkades_view),
    path("api/v1/sleutels", api.sleutels_view),
    path("api/v1/sleutels/eigen", api.eigen_sleutel),
    path("api/v1/verslagen", api.verslagen_view),
    path("api/v1/personen", api.personen_view),
]
