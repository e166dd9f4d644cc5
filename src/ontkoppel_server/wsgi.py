"""The WSGI application for gunicorn: `gunicorn ontkoppel_server.wsgi` (server/README.md)."""

from __future__ import annotations

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ontkoppel_server.settings")

application = get_wsgi_application()
