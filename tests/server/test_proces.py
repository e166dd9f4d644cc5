"""The server as it runs: the production command (gunicorn) on 127.0.0.1, spoken to over real HTTP; and the
layers: the desktop app carries none of the server, the server loads no Qt."""

from __future__ import annotations

import ast
import json
import os
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

from django.contrib.auth.hashers import make_password

from ontkoppel_desktop.core.rollen import Rol
from ontkoppel_server import pgcluster
from tests.server.conftest import ENV, WACHTWOORD, account, groep, nieuw_traject, signaal

ROOT = Path(__file__).resolve().parents[2]


def _request(url: str, body: Any = None, token: str | None = None) -> tuple[int, Any]:
    headers = {"Content-Type": "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(url, data=data, headers=headers, method="POST" if data else "GET")
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


def _gunicorn(port: int, cluster: pgcluster.Cluster, **extra: str) -> subprocess.Popen[bytes]:
    env = {**os.environ, **ENV, "ONTKOPPEL_SERVER_DB_POORT": str(cluster.port), **extra}
    env.pop("ONTKOPPEL_SERVER_DB_EIGENAAR", None)  # the running server never has the owner's password
    env.pop("ONTKOPPEL_SERVER_DB_EIGENAAR_WACHTWOORD", None)
    return subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "--bind", f"127.0.0.1:{port}", "--workers", "2", "ontkoppel_server.wsgi"],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
    )


def _wait(url: str, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        assert process.poll() is None, process.stdout.read().decode() if process.stdout else ""
        try:
            urllib.request.urlopen(url, timeout=1)
            return
        except urllib.error.HTTPError:
            return  # it answers
        except OSError:
            time.sleep(0.1)
    raise AssertionError("gunicorn answered not within 30 s")


def test_two_laptops_share_a_traject_through_the_real_server_on_loopback(postgres: pgcluster.Cluster) -> None:
    g = groep("Groep A")
    for naam in ("anna", "bram"):
        acc = account(naam, (Rol.DOCENTEN, g))
        acc.password = make_password(WACHTWOORD, hasher="argon2")  # as the real server hashes
        acc.save()
    port = pgcluster.vrije_poort()
    base = f"http://127.0.0.1:{port}/api/v1"
    process = _gunicorn(port, postgres, ONTKOPPEL_SERVER_HTTP_TOESTAAN="1")
    try:
        _wait(f"{base}/ik", process)
        tokens = []
        for naam in ("anna", "bram"):
            status, body = _request(f"{base}/aanmelden", {"gebruikersnaam": naam, "wachtwoord": WACHTWOORD,
                                                          "laptop": f"Laptop {naam}"})
            assert status == 201, body
            tokens.append(body["token"])
        traject = nieuw_traject()
        status, body = _request(f"{base}/gebeurtenissen", {"gebeurtenissen": [signaal(traject, g)]}, tokens[0])
        assert status == 200 and body["resultaten"][0]["status"] == "aanvaard"
        status, body = _request(f"{base}/gebeurtenissen?na=0", token=tokens[1])
        assert status == 200 and [e["traject"] for e in body["gebeurtenissen"]] == [traject]
        status, body = _request(f"{base}/ik", token="vervalst")
        assert status == 401 and "niet (meer) aangemeld" in body["fout"]
    finally:
        process.terminate()
        process.wait(10)


def test_without_the_test_setting_the_real_server_refuses_plain_http(postgres: pgcluster.Cluster) -> None:
    port = pgcluster.vrije_poort()
    process = _gunicorn(port, postgres)
    try:
        _wait(f"http://127.0.0.1:{port}/api/v1/ik", process)
        status, body = _request(f"http://127.0.0.1:{port}/api/v1/ik")
        assert status == 403 and body == {"fout": "Deze server neemt alleen verbindingen via HTTPS aan."}
    finally:
        process.terminate()
        process.wait(10)


def _imports(path: Path) -> set[str]:
    """The top-level packages a module imports (a docstring may name the server; an import may not)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            found.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            found.add(node.module.split(".")[0])
    return found


def test_the_desktop_app_carries_no_server_and_the_server_no_qt() -> None:
    for path in (ROOT / "src/ontkoppel_desktop").rglob("*.py"):
        assert not _imports(path) & {"ontkoppel_server", "django"}, path
    code = (
        "import os, sys\n"
        "os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'ontkoppel_server.settings')\n"
        "import django; django.setup()\n"
        "import ontkoppel_server.urls, ontkoppel_server.instituut.admin, ontkoppel_server.instituut.api\n"
        "import ontkoppel_server.pgcluster, ontkoppel_server.inrichting\n"
        "bad = sorted(m for m in sys.modules if m.startswith(('PySide6', 'shiboken6', 'sqlcipher3')))\n"
        "print(bad); sys.exit(1 if bad else 0)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env={**os.environ, **ENV})
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_setup_can_be_given_to_a_dba_as_a_psql_script() -> None:
    result = subprocess.run([sys.executable, "-m", "ontkoppel_server", "inrichten", "--sql"], capture_output=True,
                            text=True, env={**os.environ, **ENV}, check=True)
    lines = result.stdout.splitlines()
    assert lines[0].startswith('CREATE ROLE "ontkoppel_eigenaar" LOGIN PASSWORD ')
    assert any("NOBYPASSRLS IN ROLE \"ontkoppel_toepassing\"" in line for line in lines)
    assert '\\connect "ontkoppel"' in lines
