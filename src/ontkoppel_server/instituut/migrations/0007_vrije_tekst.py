"""Free text leaves the server (issue 16): events stored before it held their notities, omschrijvingen, motivaties
(every free-text field, core/gedeeld.py `vrije_velden`) in plain, and trajecten their LOVAH categorie and the aios's
name. From now on a laptop sends these only sealed to the traject's readers; what is already stored is replaced here
by the placeholders a laptop sends now (`VERZEGELD`, categorie `verzegeld`, no name). The text then exists only on
the laptops that recorded or pulled it; nothing is sealed afterwards, since the server holds no reader's key.

Run as the owner of the tables, like every migration: the application role may neither update nor delete events.
PostgreSQL keeps the old row versions in its files until they are vacuumed (server/README.md says what to run).
"""

from __future__ import annotations

import uuid
from typing import Any

from django.db import migrations

from ontkoppel_desktop.core.gedeeld import VERZEGELD, VERZEGELDE_CATEGORIE, vrije_velden
from ontkoppel_desktop.core.procedure import EventKind


def _zonder(kind: EventKind, data: dict[str, Any]) -> dict[str, Any]:
    """`data` with every non-empty free text replaced by the placeholder."""
    uit = dict(data)
    for name in vrije_velden(kind):
        if uit.get(name) not in (None, "", VERZEGELD):
            uit[name] = VERZEGELD
    return uit


def _hex(value: object) -> str:
    try:
        return uuid.UUID(str(value)).hex
    except ValueError:
        return ""


def verzegel_vrije_tekst(apps: Any, schema_editor: Any) -> None:
    """Replace the free text of stored events and the categorie and aios's name of stored headers."""
    alias = schema_editor.connection.alias
    Gebeurtenis = apps.get_model("instituut", "Gebeurtenis")
    Traject = apps.get_model("instituut", "Traject")
    soorten: dict[str, str] = {}  # event uuid (hex) -> kind, for the correcties
    for event_id, soort in Gebeurtenis.objects.using(alias).values_list("uuid", "soort").iterator():
        soorten[event_id.hex] = soort
    for pk, soort, gegevens in Gebeurtenis.objects.using(alias).values_list("pk", "soort", "gegevens").iterator():
        if soort not in EventKind._value2member_map_ or not isinstance(gegevens, dict):
            continue
        kind = EventKind(soort)
        nieuw = _zonder(kind, gegevens)
        binnen = nieuw.get("gegevens")
        if kind is EventKind.GEBEURTENIS_GECORRIGEERD and isinstance(binnen, dict):
            doel = soorten.get(_hex(nieuw.get("gebeurtenis")))
            if doel is not None and doel in EventKind._value2member_map_:
                nieuw["gegevens"] = _zonder(EventKind(doel), binnen)
            else:
                # The corrected event's kind unknown: any text in the corrected values might be free text.
                nieuw["gegevens"] = {k: VERZEGELD if isinstance(v, str) and v and v != VERZEGELD else v
                                     for k, v in binnen.items()}
        if nieuw != gegevens:
            Gebeurtenis.objects.using(alias).filter(pk=pk).update(gegevens=nieuw)
    for pk, kop in Traject.objects.using(alias).values_list("pk", "kop").iterator():
        if not isinstance(kop, dict):
            continue
        nieuw = {**kop, "categorie": VERZEGELDE_CATEGORIE, "aios_naam": ""}
        if nieuw != kop:
            Traject.objects.using(alias).filter(pk=pk).update(kop=nieuw)


class Migration(migrations.Migration):
    dependencies = [
        ("instituut", "0006_verslagen"),
    ]

    operations = [
        migrations.RunPython(verzegel_vrije_tekst, migrations.RunPython.noop, elidable=False),
    ]
