from __future__ import annotations

from django.apps import AppConfig


class InstituutConfig(AppConfig):
    name = "ontkoppel_server.instituut"
    label = "instituut"
    verbose_name = "Instituut"
    default_auto_field = "django.db.models.BigAutoField"
