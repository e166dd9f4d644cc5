"""Sealed verslagen (issue 16): the table `verslag`, its volgnummer sequence, its grants and row-level security.

Run as the owner of the tables, like 0002, 0003 and 0005. A verslag row holds an envelope the server cannot open,
the metadata its author signed (which gesprek, version, date: what the terms need), and the account names of its
readers. So:

- read: only by an account named in `lezers` (`ontkoppel_rls.gebruikersnaam()`, SECURITY DEFINER like the
  functions of 0002): whoever else sees the traject does not get the envelope, not even sealed;
- insert: only in the account's own name, on a traject it sees (the subquery passes traject's own policy, as for
  `gebeurtenis`), with itself and the recovery key (`herstel`) among the readers;
- no update and no delete for the application: adding a reader (re-sealing with the recovery key) is IT's command
  verslagen-herverzegelen, which writes as the owner, like sleutels-ondertekenen.

The volgnummer comes from its own sequence (`verslag_volgnummer`, owned by the column), given under an advisory
lock held until commit (verslagen.py), so a laptop that has pulled up to n never misses a smaller one.
"""

from __future__ import annotations

import django.contrib.postgres.fields
import django.contrib.postgres.indexes
import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models

ROL = "ontkoppel_toepassing"

SQL = f"""
CREATE SEQUENCE verslag_volgnummer AS bigint OWNED BY verslag.volgnummer;
REVOKE ALL ON SEQUENCE verslag_volgnummer FROM {ROL};
GRANT USAGE ON SEQUENCE verslag_volgnummer TO {ROL};

REVOKE ALL ON verslag FROM {ROL};
GRANT SELECT, INSERT ON verslag TO {ROL};

-- The account name of the account the transaction speaks for, when it is active; NULL otherwise.
CREATE FUNCTION ontkoppel_rls.gebruikersnaam() RETURNS text
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
    AS $$
        SELECT a.username::text FROM public.account a
        WHERE a.id = ontkoppel_rls.account() AND a.is_active
    $$;
REVOKE ALL ON FUNCTION ontkoppel_rls.gebruikersnaam() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION ontkoppel_rls.gebruikersnaam() TO {ROL};

ALTER TABLE verslag ENABLE ROW LEVEL SECURITY;

-- `@>` rather than `= ANY`: the GIN index on lezers serves it.
CREATE POLICY verslag_lezen ON verslag FOR SELECT TO {ROL} USING (
    lezers @> ARRAY[(SELECT ontkoppel_rls.gebruikersnaam())]
);
CREATE POLICY verslag_versturen ON verslag FOR INSERT TO {ROL} WITH CHECK (
    auteur_id = ontkoppel_rls.account()
    AND traject_id IN (SELECT id FROM public.traject)
    AND lezers @> ARRAY[(SELECT ontkoppel_rls.gebruikersnaam()), 'herstel']
);
"""

TERUG = f"""
DROP POLICY verslag_versturen ON verslag;
DROP POLICY verslag_lezen ON verslag;
ALTER TABLE verslag DISABLE ROW LEVEL SECURITY;
DROP FUNCTION ontkoppel_rls.gebruikersnaam();
REVOKE ALL ON verslag FROM {ROL};
DROP SEQUENCE verslag_volgnummer;
"""


class Migration(migrations.Migration):
    dependencies = [
        ("instituut", "0005_sleutels"),
    ]

    operations = [
        migrations.CreateModel(
            name="Verslag",
            fields=[
                ("uuid", models.UUIDField(editable=False, primary_key=True, serialize=False)),
                ("gesprek", models.CharField(max_length=60)),
                ("versie", models.PositiveIntegerField()),
                ("datum", models.DateField(null=True)),
                ("metadata", models.JSONField(default=dict)),
                ("lezers", django.contrib.postgres.fields.ArrayField(base_field=models.TextField(), size=None)),
                ("envelop", models.BinaryField(editable=False)),
                ("volgnummer", models.BigIntegerField(editable=False, unique=True)),
                ("ontvangen_op", models.DateTimeField(default=django.utils.timezone.now)),
                ("bijgewerkt_op", models.DateTimeField(default=django.utils.timezone.now)),
                (
                    "auteur",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT, related_name="+", to=settings.AUTH_USER_MODEL
                    ),
                ),
                (
                    "traject",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT, related_name="verslagen",
                        to="instituut.traject",
                    ),
                ),
            ],
            options={
                "verbose_name": "verslag",
                "verbose_name_plural": "verslagen",
                "db_table": "verslag",
                "indexes": [django.contrib.postgres.indexes.GinIndex(fields=["lezers"], name="verslag_lezers")],
            },
        ),
        migrations.RunSQL(SQL, TERUG),
    ]
