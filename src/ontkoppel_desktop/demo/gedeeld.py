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
