"""A demo store as a jaarassistent's laptop connected to an institute sees it: for screenshots and benches of the
Instituut section without a server. Only the demo's made-up trajecten; nothing is sent anywhere (the address is
an example domain and the token a placeholder)."""

from __future__ import annotations

import json

from ontkoppel_desktop.instituut import outbox
from ontkoppel_desktop.store.database import transaction
from ontkoppel_desktop.store.store import Store


def als_gedeeld(store: Store, jaar: int | None = None) -> None:
    """Make a demo store look connected to an institute as a jaarassistent of `jaar` (every year: None): its own
    trajecten of that year copied to the shared tables, with the headers the starting laptop would send."""
    conn = store.conn
    groepen = [{"id": i, "naam": n, "opleidingsjaar": j} for i, n, j in conn.execute(
        "SELECT id, naam, opleidingsjaar FROM groep")]
    aanmelding = {"token": "demo", "account": {"gebruikersnaam": "jaarassistent", "naam": "Jaarassistent (demo)"},
                  "laptop": {"id": "demo", "naam": "Demo"}, "groepen": groepen,
                  "rollen": [{"rol": "jaarassistent", "label": "Jaarassistent", "groep": None,
                              "opleidingsjaar": j} for j in ((jaar,) if jaar else (1, 2, 3))]}
    outbox.verbind(conn, "https://ontkoppel.instituut.example", aanmelding)
    uuids = [r[0] for r in conn.execute(
        "SELECT t.uuid FROM traject t JOIN aios a ON a.id = t.aios_id WHERE ? IS NULL OR a.opleidingsjaar = ?",
        (jaar, jaar))]
    koppen = outbox.koppen_voor(conn, set(uuids), groepen)
    namen = {g["id"]: g["naam"] for g in groepen}
    with transaction(conn):
        conn.execute("DELETE FROM uitgaand")
        volgnummer = 0
        for uuid in uuids:
            kop = koppen[uuid]
            if isinstance(kop, str):
                continue
            kop = {**kop, "id": uuid, "groep_naam": namen.get(kop["groep"], "")}
            conn.execute("INSERT INTO gedeeld_traject (uuid, kop) VALUES (?, ?)", (uuid, json.dumps(kop)))
            for (payload,) in conn.execute("SELECT e.payload FROM traject_event e JOIN traject t ON t.id = "
                                           "e.traject_id WHERE t.uuid = ? ORDER BY e.seq", (uuid,)).fetchall():
                volgnummer += 1
                event = json.loads(payload)
                conn.execute("INSERT INTO gedeeld_event (event_id, traject_uuid, volgnummer, payload) VALUES "
                             "(?, ?, ?, ?)", (event["id"], uuid, volgnummer, payload))
    opleiders = {o.id: o.naam.volledig for o in store.personen.opleiders(archief=True)}
    traject_uuid = dict(conn.execute("SELECT id, uuid FROM traject").fetchall())
    blokkades = [{"traject": traject_uuid[b.traject_id], "opleider_id": b.opleider_id,
                  "opleider_naam": opleiders.get(b.opleider_id, ""), "sinds": b.sinds.isoformat(),
                  "wacht_op": b.wacht_op}
                 for lijst in store.trajecten.blokkades().values() for b in lijst]
    outbox.bewaar_blokkades(conn, blokkades)


def met_ontvangen_verslagen(store: Store, jaar: int | None = None) -> int:
    """After `als_gedeeld`: the definitief verslagen of those trajecten as if their docent sealed them to this
    jaarassistent (a made-up institute key confirms both keys), so the list of received verslagen can be read
    and shown. Returns how many."""
    from nacl.signing import SigningKey

    from ontkoppel_desktop.instituut import sleutels, verslagen
    from ontkoppel_desktop.instituut.verzegeling import HERSTEL, _b64, maak_sleutelpaar, onderteken_binding, verzegel

    conn = store.conn
    instituut = SigningKey.generate()
    eigen = sleutels.eigen_paar(conn)
    docent = maak_sleutelpaar()
    herstel = maak_sleutelpaar()
    with transaction(conn):
        conn.execute("UPDATE instituut SET instituut_ondertekening = ?, herstel_versleuteling = ?, "
                     "sleutel_ondertekend = 1 WHERE id = 1",
                     (_b64(bytes(instituut.verify_key)), _b64(herstel.publiek.versleuteling)))
    sleutels.bewaar_lezers(conn, [
        {"account": naam, "naam": label, "rollen": rollen, **paar.publiek.naar_json(),
         "handtekening": _b64(onderteken_binding(instituut, naam, paar.publiek))}
        for naam, label, rollen, paar in (
            ("jaarassistent", "Jaarassistent (demo)", [{"rol": "jaarassistent", "opleidingsjaar": jaar or 1}], eigen),
            ("docent", "Docent (demo)", [{"rol": "docenten", "groep": None}], docent))])
    rows = conn.execute(
        "SELECT v.id, t.uuid FROM verslag v JOIN traject t ON t.id = v.traject_id JOIN aios a ON a.id = t.aios_id "
        "WHERE v.status = 'definitief' AND (? IS NULL OR a.opleidingsjaar = ?) ORDER BY v.id", (jaar, jaar)).fetchall()
    nu = "2026-11-23T09:00:00"
    with transaction(conn):
        for volgnummer, (verslag_id, traject_uuid) in enumerate(rows, start=1):
            verslag = store.verslagen.get(verslag_id)
            datum = verslag.datum(store.verslagen.formulier(verslag))
            metadata: dict[str, str | int | bool | None] = {
                "traject": traject_uuid, "gesprek": verslag.gesprek, "versie": verslag.versie,
                "datum": datum.isoformat() if datum else None, "procedure_id": verslag.procedure[0],
                "procedure_version": verslag.procedure[1]}
            envelop = verzegel(verslagen.inhoud(store, verslag), metadata, docent, "docent", {
                "jaarassistent": eigen.publiek.versleuteling, "docent": docent.publiek.versleuteling,
                HERSTEL: herstel.publiek.versleuteling})
            conn.execute(
                "INSERT INTO ontvangen_verslag (uuid, traject_uuid, auteur, auteur_naam, gesprek, versie, datum, "
                "metadata, envelop, volgnummer, ontvangen_op) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (str(conn.execute("SELECT uuid FROM verslag WHERE id = ?", (verslag_id,)).fetchone()[0]),
                 traject_uuid, "docent", verslag.auteur, verslag.gesprek, verslag.versie,
                 metadata["datum"], json.dumps(metadata), envelop, volgnummer, nu))
    return len(rows)


def met_personen(store: Store, jaar: int | None = None) -> None:
    """After `als_gedeeld`: the demo's aios (of `jaar`), their koppelingen, opleiders and praktijken as the
    institute's Personen this laptop keeps (schema v15), with the demo's own ids, and mirrored in this laptop's own
    Personen (v16)."""
    conn = store.conn
    with transaction(conn):
        conn.execute("INSERT INTO inst_groep (id, naam, opleidingsjaar) SELECT id, naam, opleidingsjaar FROM groep")
        conn.execute(
            "INSERT INTO inst_aios (id, voornaam, tussenvoegsel, achternaam, opleidingsjaar, startdatum_opleiding, "
            "deeltijdpercentage, groep, gearchiveerd, versie) SELECT id, voornaam, tussenvoegsel, achternaam, "
            "opleidingsjaar, startdatum_opleiding, deeltijdpercentage, groep_id, 0, 1 FROM aios "
            "WHERE ? IS NULL OR opleidingsjaar = ?", (jaar, jaar))
        conn.execute(
            "INSERT INTO inst_koppeling (id, aios, opleider, startdatum, einddatum, versie) SELECT id, aios_id, "
            "opleider_id, startdatum, einddatum, 1 FROM koppeling WHERE aios_id IN (SELECT id FROM inst_aios)")
        conn.execute(
            "INSERT INTO inst_opleider (id, voornaam, tussenvoegsel, achternaam, praktijk, gearchiveerd, versie) "
            "SELECT id, voornaam, tussenvoegsel, achternaam, praktijk_id, 0, 1 FROM opleider "
            "WHERE id IN (SELECT opleider FROM inst_koppeling)")
        conn.execute(
            "INSERT INTO inst_praktijk (id, naam, plaats, gearchiveerd, versie) SELECT id, naam, plaats, 0, 1 "
            "FROM praktijk WHERE id IN (SELECT praktijk FROM inst_opleider)")
        # This laptop's own Personen mirror them (schema v16), as a synchronisation leaves them: the same rows.
        for tabel in ("groep", "praktijk", "opleider", "aios", "koppeling"):
            conn.execute(f"UPDATE {tabel} SET instituut_id = id "  # noqa: S608 - fixed names
                         f"WHERE id IN (SELECT id FROM inst_{tabel})")
