"""The laptop's side of the institute, against the real server: gunicorn on 127.0.0.1 (plain HTTP, allowed by the
server's test setting) on tests/server's throwaway PostgreSQL, two stores as two laptops, and a proxy between
laptop and server that can cut the connection at the worst moment."""

from __future__ import annotations

import datetime as dt
import socket
import subprocess
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from ontkoppel_desktop.core.personen import Aios, Groep, Koppeling, Naam, Opleider, Praktijk
from ontkoppel_desktop.core.procedure import Categorie, Startreden
from ontkoppel_desktop.core.rollen import Rol
from ontkoppel_desktop.instituut import outbox, sleutels, sync
from ontkoppel_desktop.store.store import Store
from ontkoppel_server import pgcluster
from tests.conftest import FAST_KDF
from tests.conftest import WACHTWOORD as STORE_WACHTWOORD
from tests.server.conftest import WACHTWOORD, account, groep, leeg, postgres  # noqa: F401 - fixtures
from tests.server.test_proces import _gunicorn, _wait


@dataclass
class Server:
    port: int
    process: subprocess.Popen[bytes]
    cluster: pgcluster.Cluster

    @property
    def adres(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(10)

    def start(self) -> None:
        self.process = _gunicorn(self.port, self.cluster, ONTKOPPEL_SERVER_HTTP_TOESTAAN="1")
        _wait(f"{self.adres}/api/v1/ik", self.process)


@pytest.fixture
def server(postgres: pgcluster.Cluster) -> Iterator[Server]:  # noqa: F811
    s = Server(pgcluster.vrije_poort(), None, postgres)  # type: ignore[arg-type]
    s.start()
    yield s
    if s.process.poll() is None:
        s.stop()


class Proxy:
    """A TCP proxy in front of the server. With `knip` set, it forwards the next POST to the server, lets the
    server answer in full, and closes the laptop's side before passing a byte of the answer on: the server has
    stored the events, the laptop never hears so."""

    def __init__(self, upstream: int) -> None:
        self.upstream = upstream
        self.knip = False
        self.geknipt = 0
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.port = self.sock.getsockname()[1]
        threading.Thread(target=self._accept, daemon=True).start()

    @property
    def adres(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self.sock.accept()
            except OSError:
                return
            threading.Thread(target=self._serve, args=(client,), daemon=True).start()

    def _serve(self, client: socket.socket) -> None:
        with client, socket.create_connection(("127.0.0.1", self.upstream)) as up:
            request = _lees_verzoek(client)
            up.sendall(request)
            answer = b""
            while chunk := up.recv(65536):
                answer += chunk
                if _compleet(answer):
                    break
            if self.knip and request.startswith(b"POST"):
                self.knip = False
                self.geknipt += 1
                client.shutdown(socket.SHUT_RDWR)
                return
            client.sendall(answer)

    def close(self) -> None:
        self.sock.close()


def _lees_verzoek(client: socket.socket) -> bytes:
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = client.recv(65536)
        if not chunk:
            return data
        data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    length = 0
    for line in head.split(b"\r\n"):
        if line.lower().startswith(b"content-length:"):
            length = int(line.split(b":")[1])
    while len(body) < length:
        body += client.recv(65536)
    # One request per connection: the server closes after answering.
    head = b"\r\n".join(h for h in head.split(b"\r\n") if not h.lower().startswith(b"connection:"))
    return head + b"\r\nConnection: close\r\n\r\n" + body


def _compleet(answer: bytes) -> bool:
    head, sep, body = answer.partition(b"\r\n\r\n")
    if not sep:
        return False
    for line in head.split(b"\r\n"):
        if line.lower().startswith(b"content-length:"):
            return len(body) >= int(line.split(b":")[1])
    return False


@pytest.fixture
def proxy(server: Server) -> Iterator[Proxy]:
    p = Proxy(server.port)
    yield p
    p.close()


# ---- laptops -------------------------------------------------------------------------------------------------


@dataclass
class Laptop:
    store: Store
    koppeling_id: int

    def synchroniseer(self) -> sync.Verslag:
        return sync.synchroniseer(self.store.conn, self.store.trajecten.record_event, self.store)

    def verbind(self, adres: str, gebruikersnaam: str, wachtwoord: str = WACHTWOORD) -> None:
        publiek = sleutels.eigen_paar(self.store.conn).publiek.naar_json()  # as the Verbinden window does
        server, answer = sync.aanmelden(adres, gebruikersnaam, wachtwoord, laptop=f"Laptop {gebruikersnaam}",
                                        http_toegestaan=True, sleutels=publiek)
        outbox.verbind(self.store.conn, server, answer, http_toegestaan=True)

    def start(self, dagen_terug: int = 30) -> int:
        changes = self.store.trajecten.start(
            self.koppeling_id, Startreden.SIGNAAL_DOCENTEN, Categorie.OPLEIDINGSSITUATIE,
            dt.date.today() - dt.timedelta(days=dagen_terug), user="Docent", omschrijving="Onvrede",
        )
        assert isinstance(changes.created, int)
        return changes.created

    def uuid(self, traject_id: int) -> str:
        return str(self.store.conn.execute("SELECT uuid FROM traject WHERE id = ?", (traject_id,)).fetchone()[0])

    def events(self) -> list[str]:
        return [r[0] for r in self.store.conn.execute("SELECT event_id FROM traject_event ORDER BY seq")]


def nieuwe_laptop(path: Path, groep_naam: str = "Groep A", aios: str = "Visser") -> Laptop:
    store = Store.create(path, STORE_WACHTWOORD, FAST_KDF).store
    personen = store.personen
    g = Groep(groep_naam, 1)
    personen.save_groep(g)
    praktijk = Praktijk("Praktijk Het Plein", "Zeist")
    personen.save_praktijk(praktijk)
    a = Aios(Naam("Noor", "", aios), 1, dt.date.today() - dt.timedelta(days=400), groep_id=g.id)
    personen.save_aios(a)
    o = Opleider(Naam("Eva", "", "Oud"), praktijk.id)
    personen.save_opleider(o)
    assert a.id and o.id
    k = Koppeling(a.id, o.id, dt.date.today() - dt.timedelta(days=300))
    personen.save_koppeling(k)
    assert k.id
    return Laptop(store, k.id)


@pytest.fixture
def laptops(tmp_path: Path) -> Iterator[tuple[Laptop, Laptop]]:
    a, b = nieuwe_laptop(tmp_path / "a.okdb"), nieuwe_laptop(tmp_path / "b.okdb", aios="Jansen")
    yield a, b
    a.store.close()
    b.store.close()


def docenten(*namen: str) -> None:
    """Accounts that are docenten of Groep A (jaar 1), hashed as the real server hashes."""
    from django.contrib.auth.hashers import make_password

    g = groep("Groep A")
    for naam in namen:
        acc = account(naam, (Rol.DOCENTEN, g))
        acc.password = make_password(WACHTWOORD, hasher="argon2")
        acc.save()


# ---- IT's keys (issue 16) --------------------------------------------------------------------------------------

SLEUTELWACHTWOORD = "Kluis-stick-paardenbloem-42"


class _Uit:
    """A stdout for call_command that keeps what was written."""

    def __init__(self) -> None:
        self.tekst = ""

    def write(self, tekst: str) -> None:
        self.tekst += tekst

    def flush(self) -> None:
        pass


@pytest.fixture
def snelle_sleutelbestanden(monkeypatch: pytest.MonkeyPatch) -> None:
    """IT's key files with the cheapest Argon2id (the machinery, not the cost), the passphrase from the
    environment as a script gives it."""
    import nacl.pwhash.argon2id

    from ontkoppel_server.instituut.management.commands import _sleutelbestand

    monkeypatch.setattr(_sleutelbestand, "KDF", {"opslimit": nacl.pwhash.argon2id.OPSLIMIT_MIN,
                                                 "memlimit": nacl.pwhash.argon2id.MEMLIMIT_MIN})
    monkeypatch.setenv(_sleutelbestand.WACHTWOORD_VAR, SLEUTELWACHTWOORD)


@pytest.fixture
def it(tmp_path: Path, server: Server, snelle_sleutelbestanden: None) -> dict[str, Path]:
    """IT's keys, made once, offline: the institute's signing key and the recovery key."""
    from django.core.management import call_command

    instituut, herstel = tmp_path / "instituut.sleutel", tmp_path / "herstel.sleutel"
    call_command("instituutssleutel-maken", "--bestand", str(instituut), stdout=_Uit())
    call_command("herstelsleutel-maken", "--bestand", str(herstel), "--instituutssleutel", str(instituut),
                 stdout=_Uit())
    return {"instituut": instituut, "herstel": herstel}


def it_ondertekent(instituut: Path, *extra: str) -> None:
    """IT confirms the keys that wait (having compared their fingerprints with the users)."""
    from django.core.management import call_command

    call_command("sleutels-ondertekenen", "--instituutssleutel", str(instituut), "--ja", *extra, stdout=_Uit())


@pytest.fixture
def anna_en_jan(tmp_path: Path, server: Server, it: dict[str, Path]) -> Iterator[tuple[Laptop, Laptop]]:
    """A docent's laptop (anna, Groep A) and a jaarassistent's of year 1 (jan), connected, their keys confirmed by
    IT, jan's laptop knowing the directory: what anna seals reaches jan."""
    from django.contrib.auth.hashers import make_password

    docenten("anna")
    jan = account("jan", (Rol.JAARASSISTENT, 1))
    jan.password = make_password(WACHTWOORD, hasher="argon2")
    jan.save()
    a, j = nieuwe_laptop(tmp_path / "docent.okdb"), nieuwe_laptop(tmp_path / "jan.okdb", aios="Jaar")
    a.verbind(server.adres, "anna")
    j.verbind(server.adres, "jan")
    it_ondertekent(it["instituut"])
    j.synchroniseer()
    yield a, j
    for laptop in (a, j):
        if not laptop.store.locked:
            laptop.store.close()
