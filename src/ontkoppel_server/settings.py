"""Django settings, read from environment variables (ONTKOPPEL_SERVER_*; server/README.md lists them).

Two database roles: the server runs as the application role (ONTKOPPEL_SERVER_DB_GEBRUIKER), which owns no table
and has no BYPASSRLS, so PostgreSQL's row-level security holds for every query it sends. Migrations run as the
owner of the tables (alias "eigenaar"), configured only where `migrate` runs: the running server never needs the
owner's password.
"""

from __future__ import annotations

import os
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured


def _env(name: str, default: str | None = None) -> str:
    value = os.environ.get(f"ONTKOPPEL_SERVER_{name}", default)
    if value is None:
        raise ImproperlyConfigured(f"Zet de omgevingsvariabele ONTKOPPEL_SERVER_{name} (zie server/README.md).")
    return value


def _flag(name: str) -> bool:
    return _env(name, "0").strip().lower() in ("1", "ja", "true", "yes")


def _list(name: str, default: str = "") -> list[str]:
    return [part.strip() for part in _env(name, default).split(",") if part.strip()]


DEBUG = _flag("DEBUG")
# Development only: with DEBUG a fixed key, so that `scripts/server dev` starts without configuration.
SECRET_KEY = _env("SECRET_KEY", "ontwikkeling-niet-voor-productie" if DEBUG else None)
ALLOWED_HOSTS = _list("ALLOWED_HOSTS", "127.0.0.1,localhost" if DEBUG else "")

# The laptops speak HTTPS only. Plain HTTP is accepted only when this says so: for tests and development on
# loopback. In production TLS ends at the reverse proxy (issue 17), which says so in X-Forwarded-Proto.
HTTP_TOESTAAN = _flag("HTTP_TOESTAAN")
if _flag("ACHTER_PROXY"):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    USE_X_FORWARDED_HOST = True
SESSION_COOKIE_SECURE = not HTTP_TOESTAAN
CSRF_COOKIE_SECURE = not HTTP_TOESTAAN
CSRF_TRUSTED_ORIGINS = _list("CSRF_TRUSTED_ORIGINS")
X_FRAME_OPTIONS = "DENY"

# How long a laptop's token is valid after enrolment or its last renewal.
TOKEN_DAGEN = int(_env("TOKEN_DAGEN", "30"))
if TOKEN_DAGEN < 1:
    raise ImproperlyConfigured("ONTKOPPEL_SERVER_TOKEN_DAGEN is ten minste 1.")
# A laptop sends up to 100 sealed verslagen at once (instituut/verslagen.py), each base64 in JSON: more than
# Django's 2.5 MB.
DATA_UPLOAD_MAX_MEMORY_SIZE = 32 * 1024 * 1024

INSTALLED_APPS = [
    "ontkoppel_server.instituut",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "ontkoppel_server.urls"
WSGI_APPLICATION = "ontkoppel_server.wsgi.application"
AUTH_USER_MODEL = "instituut.Account"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]


def _database(user: str, password: str) -> dict[str, object]:
    options: dict[str, object] = {"application_name": "ontkoppel-server"}
    if sslmode := _env("DB_SSLMODE", ""):
        options["sslmode"] = sslmode
    return {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": _env("DB_NAAM", "ontkoppel"),
        "HOST": _env("DB_HOST", "127.0.0.1"),
        "PORT": _env("DB_POORT", "5432"),
        "USER": user,
        "PASSWORD": password,
        "OPTIONS": options,
        "CONN_MAX_AGE": 60,
        "CONN_HEALTH_CHECKS": True,
    }


DATABASES = {"default": _database(_env("DB_GEBRUIKER", "ontkoppel_app"), _env("DB_WACHTWOORD", ""))}
if eigenaar := _env("DB_EIGENAAR", ""):
    # Only for `migrate --database eigenaar` (scripts/server migreren).
    DATABASES["eigenaar"] = _database(eigenaar, _env("DB_EIGENAAR_WACHTWOORD", ""))

# argon2-cffi is already a dependency of the app (the store's key derivation).
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "nl"
LANGUAGES = [("nl", "Nederlands")]
TIME_ZONE = "Europe/Amsterdam"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
# `python -m ontkoppel_server collectstatic` writes the admin's style sheets here; the reverse proxy serves them.
STATIC_ROOT = _env("STATIC_MAP", str(Path.cwd() / "static"))

# The server's own loggers only: the root logger is left to gunicorn (or to whoever embeds the settings).
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "loggers": {
        name: {"handlers": ["console"], "level": _env("LOG_NIVEAU", "INFO"), "propagate": False}
        for name in ("django", "ontkoppel_server")
    },
}
