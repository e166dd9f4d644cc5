"""`scripts/server dev`: the server for development on this machine, with its own PostgreSQL cluster.

The first time it makes a cluster in ONTKOPPEL_SERVER_DEV_MAP (default /var/tmp/ontkoppel-server-dev-UID), sets it
up as in production (inrichting.py: owner, application role under row-level security), and makes an account `it`
for the beheer pages; the passwords are in wachtwoorden.json in that folder. Every time it starts that cluster if
it is not running, migrates, and runs Django's development server on 127.0.0.1 with plain HTTP allowed. That is
not a production server: server/README.md says how the server runs for real. `scripts/server dev-stop` stops the
cluster.
"""

from __future__ import annotations

import json
import os
import secrets
import sys
from pathlib import Path

from ontkoppel_server import pgcluster
from ontkoppel_server.inrichting import Inrichting

POORT = int(os.environ.get("ONTKOPPEL_SERVER_DEV_DB_POORT", "54329"))
ADRES = os.environ.get("ONTKOPPEL_SERVER_DEV_ADRES", "127.0.0.1:8000")


def _map() -> Path:
    return Path(os.environ.get("ONTKOPPEL_SERVER_DEV_MAP", f"/var/tmp/ontkoppel-server-dev-{os.getuid()}"))


def _cluster() -> tuple[pgcluster.Cluster, dict[str, str], bool]:
    """The development cluster, started; its passwords; whether it was just made."""
    map = _map()
    bestand = map / "wachtwoorden.json"
    if bestand.exists():
        wachtwoorden: dict[str, str] = json.loads(bestand.read_text(encoding="utf-8"))
        cluster = pgcluster.Cluster(map, POORT, wachtwoorden["superuser"], pgcluster._run_as())
        if not cluster.draait():
            cluster.start(snel=False)
        return cluster, wachtwoorden, False
    cluster = pgcluster.nieuw(map, POORT)
    wachtwoorden = {
        "superuser": cluster.wachtwoord,
        "eigenaar": secrets.token_urlsafe(18),
        "app": secrets.token_urlsafe(18),
        "it": secrets.token_urlsafe(12),
    }
    cluster.start(snel=False)
    Inrichting("ontkoppel", "ontkoppel_eigenaar", wachtwoorden["eigenaar"], "ontkoppel_app",
               wachtwoorden["app"]).richt_in(cluster.conninfo())
    bestand.write_text(json.dumps(wachtwoorden, indent=2), encoding="utf-8")
    bestand.chmod(0o600)
    return cluster, wachtwoorden, True


def stop() -> None:
    bestand = _map() / "wachtwoorden.json"
    if bestand.exists():
        pgcluster.Cluster(_map(), POORT, "", pgcluster._run_as()).stop()
        print("De PostgreSQL van de ontwikkelserver is gestopt.")


def main() -> None:
    if sys.argv[1:] == ["stop"]:
        stop()
        return
    cluster, wachtwoorden, nieuw = _cluster()
    os.environ.update({
        "DJANGO_SETTINGS_MODULE": "ontkoppel_server.settings",
        "ONTKOPPEL_SERVER_DEBUG": "1",
        "ONTKOPPEL_SERVER_HTTP_TOESTAAN": "1",
        "ONTKOPPEL_SERVER_DB_NAAM": "ontkoppel",
        "ONTKOPPEL_SERVER_DB_HOST": "127.0.0.1",
        "ONTKOPPEL_SERVER_DB_POORT": str(cluster.port),
        "ONTKOPPEL_SERVER_DB_GEBRUIKER": "ontkoppel_app",
        "ONTKOPPEL_SERVER_DB_WACHTWOORD": wachtwoorden["app"],
        "ONTKOPPEL_SERVER_DB_EIGENAAR": "ontkoppel_eigenaar",
        "ONTKOPPEL_SERVER_DB_EIGENAAR_WACHTWOORD": wachtwoorden["eigenaar"],
    })
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", database="eigenaar", verbosity=1)
    if nieuw:
        from ontkoppel_server.instituut.models import Account

        Account.objects.create_superuser("it", password=wachtwoorden["it"])
    print(f"\nOntwikkelserver (niet voor productie): http://{ADRES}/beheer/ — gebruiker it, wachtwoord in "
          f"{_map() / 'wachtwoorden.json'}\n", flush=True)
    # The server runs as the application role only: the owner's password is not passed on.
    os.environ.pop("ONTKOPPEL_SERVER_DB_EIGENAAR")
    os.environ.pop("ONTKOPPEL_SERVER_DB_EIGENAAR_WACHTWOORD")
    os.execv(sys.executable, [sys.executable, "-m", "ontkoppel_server", "runserver", ADRES])


if __name__ == "__main__":
    main()
