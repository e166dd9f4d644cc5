"""`ontkoppel-desktop --self-test`: proves, without a display, that this installation can keep data safe.

It creates an encrypted store in a temporary folder, writes and reads back a marker, checks that no file
in that folder holds the marker or any table name in plain text, and that a wrong wachtwoord is refused.
The installer runs it after installing.
"""

from __future__ import annotations

import secrets
import tempfile
from collections.abc import Callable
from datetime import date
from pathlib import Path

from ontkoppel_desktop.core.errors import OntkoppelError
from ontkoppel_desktop.core.personen import Aios, Naam
from ontkoppel_desktop.store.keys import KdfParams
from ontkoppel_desktop.store.store import Store


def _files_containing(folder: Path, needles: list[bytes]) -> list[str]:
    hits = []
    for path in folder.rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            hits += [f"{path.name}: {n.decode()}" for n in needles if n in data]
    return hits


def run(say: Callable[[str], None] = print) -> int:
    marker = "ZELFTEST-" + secrets.token_hex(8)
    wachtwoord = "Zelftest-" + secrets.token_hex(8)
    try:
        with tempfile.TemporaryDirectory(prefix="ontkoppel-zelftest-") as tmp:
            path = Path(tmp) / "zelftest.okdb"
            # A light KDF: this checks the machinery, not the tuning.
            store = Store.create(path, wachtwoord, KdfParams(time_cost=1, memory_kib=8 * 1024)).store
            store.personen.save_aios(Aios(Naam(marker, "", marker), 1, date(2026, 3, 1)))
            store.close()
            store = Store.open(path, wachtwoord)
            names = [a.naam.voornaam for a in store.personen.aios()]
            if names != [marker]:
                say(f"Zelftest mislukt: teruggelezen {names!r}, verwacht {marker!r}.")
                return 1
            hits = _files_containing(Path(tmp), [marker.encode(), b"CREATE TABLE", b"SQLite format 3"])
            store.close()
            if hits:
                say("Zelftest mislukt: onversleutelde gegevens gevonden in " + ", ".join(hits))
                return 1
            try:
                Store.open(path, wachtwoord + "x")
            except OntkoppelError:
                pass
            else:
                say("Zelftest mislukt: een onjuist wachtwoord opende de opslag.")
                return 1
        # The procedure definitions are resources: this proves they load, also in a frozen build.
        from ontkoppel_desktop.core.procedure import default_registry
        from ontkoppel_desktop.core.verslagen import bundled_formulieren

        definitions = default_registry().definitions()
        if not definitions:
            say("Zelftest mislukt: geen proceduredefinitie gevonden in de resources.")
            return 1
        # The questions of the gesprekken lie beside their procedure file; a fault in one is named here.
        gesprekken = sum(len(bundled_formulieren(d)) for d in definitions)
        if not gesprekken:
            say("Zelftest mislukt: geen gespreksbestanden gevonden bij de procedure in de resources.")
            return 1
        # The Dutch names of the holidays beside a term come from the holidays package's translation files, which
        # are data: this proves they are there, also frozen (they were not, and the Trajecten screen failed).
        from ontkoppel_desktop.core.procedure import day_warning

        kerst = day_warning(date(2026, 12, 25))
        if kerst != "Eerste kerstdag":
            say(f"Zelftest mislukt: de feestdagen hebben geen Nederlandse namen ({kerst!r}).")
            return 1
        # Word and PDF in memory, with names our users have (the fonts, the shaping of Arabic and python-docx's
        # template are loaded by path or compiled: this proves they are there, also frozen).
        from ontkoppel_desktop.documents import Document, Paragraph, render_docx, render_pdf

        proef = Document("Zelftest", (Paragraph("Çağlar Yılmaz, Ĳsbrand, مرحبا"),))
        if not render_pdf(proef).startswith(b"%PDF") or not render_docx(proef).startswith(b"PK"):
            say("Zelftest mislukt: een document kon niet worden gemaakt.")
            return 1
        # Sealing for the institute (libsodium, through PyNaCl's compiled binding): proves it is there, also frozen.
        from ontkoppel_desktop.instituut.verzegeling import HERSTEL, maak_sleutelpaar, open_zegel, verzegel

        auteur, herstel = maak_sleutelpaar(), maak_sleutelpaar()
        envelop = verzegel(marker.encode(), {"gesprek": "zelftest"}, auteur, "zelftest", {
            "zelftest": auteur.publiek.versleuteling, HERSTEL: herstel.publiek.versleuteling})
        if open_zegel(envelop, HERSTEL, herstel, auteur.publiek.ondertekening).inhoud != marker.encode():
            say("Zelftest mislukt: verzegelen en openen gaven niet hetzelfde terug.")
            return 1
    except Exception as exc:  # the installer shows this line; a traceback would help nobody there
        say(f"Zelftest mislukt: {type(exc).__name__}: {exc}")
        return 1
    say(
        "Zelftest geslaagd: versleutelde opslag gemaakt, geschreven en teruggelezen; geen leesbare gegevens op "
        f"schijf; {len(definitions)} proceduredefinitie(s) en {gesprekken} gespreksformulier(en) geladen; "
        "feestdagen met Nederlandse namen; Word en PDF gemaakt; verzegelen en openen werkt."
    )
    return 0
