"""A PostgreSQL cluster of its own on loopback, for the tests and for `scripts/server dev`. Not for production
(server/README.md describes that).

initdb and postgres refuse to run as root, so as root the cluster belongs to an unprivileged user: `postgres`
(which Debian's package creates), else `nobody`, started through runuser. It listens on 127.0.0.1 only, with
scram-sha-256 passwords for every role, and its socket in its own folder.
"""

from __future__ import annotations

import contextlib
import os
import pwd
import re
import secrets
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

SUPERUSER = "ontkoppel_super"


def bin_map() -> Path:
    """The newest PostgreSQL (15 or later) on this machine; ONTKOPPEL_SERVER_PG_BIN names another."""
    if chosen := os.environ.get("ONTKOPPEL_SERVER_PG_BIN"):
        return Path(chosen)
    found = []
    for initdb in Path("/usr/lib/postgresql").glob("*/bin/initdb"):
        match = re.fullmatch(r"\d+", initdb.parent.parent.name)
        if match:
            found.append((int(match.group()), initdb.parent))
    if found:
        version, folder = max(found)
        if version >= 15:
            return folder
    on_path = shutil.which("initdb")
    if on_path:
        return Path(on_path).parent
    raise RuntimeError(
        "PostgreSQL 15 of nieuwer is niet gevonden (initdb). Installeer het pakket postgresql, of zet "
        "ONTKOPPEL_SERVER_PG_BIN op de map met initdb en pg_ctl."
    )


def _run_as() -> str | None:
    """The user the cluster runs as when we are root; None: as ourselves."""
    if os.geteuid() != 0:
        return None
    for name in ("postgres", "nobody"):
        with contextlib.suppress(KeyError):
            pwd.getpwnam(name)
            return name
    raise RuntimeError("Als root is een gewone gebruiker nodig voor PostgreSQL (postgres of nobody).")


def vrije_poort() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


@dataclass
class Cluster:
    map: Path
    port: int
    wachtwoord: str
    user: str | None  # the OS user it runs as (None: the current one)

    @property
    def data(self) -> Path:
        return self.map / "data"

    def conninfo(self, dbname: str = "postgres", user: str = SUPERUSER, password: str | None = None) -> str:
        return (
            f"host=127.0.0.1 port={self.port} dbname={dbname} user={user} "
            f"password={self.wachtwoord if password is None else password}"
        )

    def _cmd(self, *args: str) -> list[str]:
        command = [str(bin_map() / args[0]), *args[1:]]
        return ["runuser", "-u", self.user, "--", *command] if self.user else command

    def _own(self, path: Path) -> None:
        if self.user:
            entry = pwd.getpwnam(self.user)
            os.chown(path, entry.pw_uid, entry.pw_gid)

    def initdb(self) -> None:
        pwfile = self.map / "pw"
        pwfile.write_text(self.wachtwoord + "\n", encoding="utf-8")
        pwfile.chmod(0o600)
        self._own(pwfile)
        try:
            subprocess.run(
                self._cmd("initdb", "-D", str(self.data), "-U", SUPERUSER, f"--pwfile={pwfile}",
                          "--auth=scram-sha-256", "-E", "UTF8", "--locale=C.UTF-8", "--no-sync", "--no-instructions"),
                check=True, capture_output=True, cwd=self.map,
            )
        finally:
            pwfile.unlink()

    def start(self, *, snel: bool = True) -> None:
        sockets = self.map / "sockets"
        sockets.mkdir(exist_ok=True)
        self._own(sockets)
        options = [f"-p {self.port}", "-c listen_addresses=127.0.0.1", f"-c unix_socket_directories={sockets}"]
        if snel:
            # A throwaway cluster: durability buys nothing here.
            options += ["-c fsync=off", "-c synchronous_commit=off", "-c full_page_writes=off"]
        result = subprocess.run(
            self._cmd("pg_ctl", "-D", str(self.data), "-l", str(self.map / "postgresql.log"), "-w", "-t", "60",
                      "-o", " ".join(options), "start"),
            capture_output=True, text=True, cwd=self.map,
        )
        if result.returncode != 0:
            log = (self.map / "postgresql.log").read_text(errors="replace")[-2000:]
            raise RuntimeError(f"PostgreSQL start niet: {result.stdout}{result.stderr}\n{log}")

    def stop(self) -> None:
        subprocess.run(self._cmd("pg_ctl", "-D", str(self.data), "-m", "fast", "-w", "stop"),
                       capture_output=True, cwd=self.map)

    def draait(self) -> bool:
        result = subprocess.run(self._cmd("pg_ctl", "-D", str(self.data), "status"), capture_output=True, cwd=self.map)
        return result.returncode == 0


def nieuw(map: Path | None = None, port: int | None = None) -> Cluster:
    """A new cluster in `map` (default: a new temporary folder), initialised but not started."""
    user = _run_as()
    if map is None:
        map = Path(tempfile.mkdtemp(prefix="ontkoppel-pg-"))
    map.mkdir(parents=True, exist_ok=True)
    map.chmod(0o700)
    cluster = Cluster(map, port or vrije_poort(), secrets.token_urlsafe(24), user)
    cluster._own(map)
    cluster.initdb()
    return cluster


@contextlib.contextmanager
def wegwerp(port: int | None = None) -> Iterator[Cluster]:
    """A started throwaway cluster (on `port` if it is free), stopped and removed afterwards."""
    cluster = nieuw(port=port)
    try:
        for attempt in range(3):
            try:
                cluster.start()
                break
            except RuntimeError:
                if attempt == 2:
                    raise
                cluster.port = vrije_poort()  # someone took the port meanwhile
                time.sleep(0.2)
        yield cluster
    finally:
        cluster.stop()
        shutil.rmtree(cluster.map, ignore_errors=True)
