"""The blokkades of opleiders, known institute-wide (issue 15): the table `blokkade`, its grants and row-level
security, and its rows for the trajecten already on the server.

Run as the owner of the tables, like 0002. A blokkade says which opleider gets no new aios yet, since when and
until which step; it holds nothing of the aios. So:

- read: every row, for a named active account that holds at least one role (`ontkoppel_rls.heeft_rol()`,
  SECURITY DEFINER like the functions of 0002): whoever plans or guides koppelingen needs to know it, also for a
  traject they do not see;
- insert, update, delete: only for a traject the account sees. As for `gebeurtenis`, the subquery on `traject`
  passes traject's own policy, so the visibility rule stays in one place. Update only of the columns the server
  derives (never of which traject it is).
"""

from __future__ import annotations

from typing import Any

import django.db.models.deletion
from django.db import migrations, models

ROL = "ontkoppel_toepassing"

SQL = f"""
REVOKE ALL ON blokkade FROM {ROL};
GRANT SELECT, INSERT, DELETE ON blokkade TO {ROL};
GRANT UPDATE (opleider_id, opleider_naam, sinds, wacht_op) ON blokkade TO {ROL};

-- Whether the account is active and holds any role at the institute.
CREATE FUNCTION ontkoppel_rls.heeft_rol() RETURNS boolean
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
    AS $$
        SELECT EXISTS (
            SELECT 1 FROM public.account_rol r JOIN public.account a ON a.id = r.account_id
            WHERE r.account_id = ontkoppel_rls.account() AND a.is_active)
    $$;
REVOKE ALL ON FUNCTION ontkoppel_rls.heeft_rol() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION ontkoppel_rls.heeft_rol() TO {ROL};

ALTER TABLE blokkade ENABLE ROW LEVEL SECURITY;

CREATE POLICY blokkade_zien ON blokkade FOR SELECT TO {ROL} USING (
    (SELECT ontkoppel_rls.heeft_rol())
);
CREATE POLICY blokkade_vastleggen ON blokkade FOR INSERT TO {ROL} WITH CHECK (
    traject_id IN (SELECT id FROM public.traject)
);
CREATE POLICY blokkade_bijwerken ON blokkade FOR UPDATE TO {ROL}
    USING (traject_id IN (SELECT id FROM public.traject))
    WITH CHECK (traject_id IN (SELECT id FROM public.traject));
CREATE POLICY blokkade_opheffen ON blokkade FOR DELETE TO {ROL} USING (
    traject_id IN (SELECT id FROM public.traject)
);
"""

TERUG = f"""
DROP POLICY blokkade_opheffen ON blokkade;
DROP POLICY blokkade_bijwerken ON blokkade;
DROP POLICY blokkade_vastleggen ON blokkade;
DROP POLICY blokkade_zien ON blokkade;
ALTER TABLE blokkade DISABLE ROW LEVEL SECURITY;
DROP FUNCTION ontkoppel_rls.heeft_rol();
REVOKE ALL ON blokkade FROM {ROL};
"""


def vul(apps: Any, schema_editor: Any) -> None:
    """A row for every traject on the server that blocks its opleider now (as gebeurtenissen.py keeps them from
    here on). As the owner: no policy applies."""
    from ontkoppel_desktop.core.procedure import (
        Categorie,
        EventKind,
        Startreden,
        TrajectEvent,
        UnknownProcedureError,
        blokkade_of,
        default_registry,
    )
    from ontkoppel_desktop.core.procedure import Traject as CoreTraject

    alias = schema_editor.connection.alias
    traject_model = apps.get_model("instituut", "Traject")
    gebeurtenis_model = apps.get_model("instituut", "Gebeurtenis")
    blokkade_model = apps.get_model("instituut", "Blokkade")
    registry = default_registry()
    for row in traject_model.objects.using(alias).order_by("id").iterator():
        try:
            definition = registry.get(row.procedure_id, row.procedure_versie)
        except UnknownProcedureError:
            continue
        kop = row.kop
        events = tuple(
            TrajectEvent(id=g.uuid.hex, kind=EventKind(g.soort), date=g.datum, data=dict(g.gegevens),
                         recorded_at=g.vastgelegd_op)
            for g in gebeurtenis_model.objects.using(alias).filter(traject_id=row.id).order_by("volgnummer")
        )
        if not events:
            continue
        traject = CoreTraject(
            id=None, koppeling_id=int(kop["koppeling_id"]), aios_id=int(kop["aios_id"]),
            opleider_id=int(kop["opleider_id"]), procedure_id=row.procedure_id, procedure_version=row.procedure_versie,
            startreden=Startreden(kop["startreden"]),
            # Since 0007 the categorie is sealed (a placeholder here); no rule reads it, so one stands in.
            categorie=Categorie(kop["categorie"]) if kop.get("categorie") in Categorie._value2member_map_
            else Categorie.OVERIG,
            events=events,
        )
        blokkade = blokkade_of(definition, traject)
        if blokkade is not None:
            blokkade_model.objects.using(alias).create(
                traject_id=row.id, opleider_id=blokkade.opleider_id, opleider_naam=str(kop.get("opleider_naam") or ""),
                sinds=blokkade.sinds, wacht_op=blokkade.wacht_op,
            )


class Migration(migrations.Migration):
    dependencies = [("instituut", "0002_rijbeveiliging")]

    operations = [
        migrations.CreateModel(
            name="Blokkade",
            fields=[
                (
                    "traject",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE, primary_key=True, related_name="blokkade",
                        serialize=False, to="instituut.traject",
                    ),
                ),
                ("opleider_id", models.BigIntegerField(verbose_name="nummer van de opleider")),
                ("opleider_naam", models.CharField(blank=True, max_length=200, verbose_name="naam van de opleider")),
                ("sinds", models.DateField(verbose_name="sinds")),
                ("wacht_op", models.TextField(verbose_name="wacht op")),
            ],
            options={
                "verbose_name": "blokkade",
                "verbose_name_plural": "blokkades",
                "db_table": "blokkade",
                "ordering": ["opleider_naam", "sinds"],
            },
        ),
        migrations.RunSQL(SQL, TERUG),
        migrations.RunPython(vul, migrations.RunPython.noop),
    ]
