"""The access log (issue 17, "who looked at what"): the table `toegangslog`, its grants, row-level security and the
trigger that keeps it append-only.

Run as the owner of the tables, like 0002, 0003, 0005 and 0006. Every read of traject data or a verslag writes a
row in the same transaction as the read (toegangslog.py). So:

- the application role may only INSERT: no SELECT (a taken-over service cannot look up who read what), no UPDATE,
  DELETE or TRUNCATE. Its INSERT carries no RETURNING, which would need SELECT;
- insert only in the name of the account the transaction speaks for (`ontkoppel_rls.account()` of 0002), and from
  none or one of that account's own laptops;
- reading is the owner's: the functional administrator's command toegangslog-exporteren and the beheer page run
  as the owner, who is not subject to the policies (no FORCE, as for every table);
- a trigger refuses UPDATE, DELETE and TRUNCATE for everyone, the owner included: whoever must change the log (a
  court order, a restore gone wrong) drops or disables the trigger deliberately, as the owner, and that is a DDL
  statement PostgreSQL can log (log_statement = 'ddl'). ENABLE ALWAYS: it fires even under
  session_replication_role = replica, the usual way to step around triggers.

The identity column's sequence needs no grant: PostgreSQL takes the next value of an identity column without
checking privileges on its sequence, so the default grant of 0002 (USAGE, SELECT on sequences) is revoked.
"""

from __future__ import annotations

import django.contrib.postgres.indexes
import django.db.models.deletion
import django.db.models.functions.datetime
from django.conf import settings
from django.db import migrations, models

ROL = "ontkoppel_toepassing"

SQL = f"""
REVOKE ALL ON toegangslog FROM {ROL};
GRANT INSERT ON toegangslog TO {ROL};
REVOKE ALL ON SEQUENCE toegangslog_id_seq FROM {ROL};

ALTER TABLE toegangslog ENABLE ROW LEVEL SECURITY;

-- The laptop subquery is uncorrelated: evaluated once per statement, not once per row of a page.
CREATE POLICY toegangslog_schrijven ON toegangslog FOR INSERT TO {ROL} WITH CHECK (
    account_id = ontkoppel_rls.account()
    AND (laptop_id IS NULL
         OR laptop_id IN (SELECT l.id FROM public.laptop l WHERE l.account_id = ontkoppel_rls.account()))
);

CREATE FUNCTION ontkoppel_rls.toegangslog_alleen_toevoegen() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path = pg_catalog, pg_temp
    AS $$
    BEGIN
        RAISE EXCEPTION 'Het toegangslog is alleen-toevoegen: % is niet toegestaan.', TG_OP
            USING ERRCODE = 'insufficient_privilege',
                  HINT = 'Alleen de eigenaar kan dit, door bewust de trigger toegangslog_alleen_toevoegen uit te '
                         'zetten (server/README.md, Wie keek wat in).';
    END
    $$;
REVOKE ALL ON FUNCTION ontkoppel_rls.toegangslog_alleen_toevoegen() FROM PUBLIC;

CREATE TRIGGER toegangslog_alleen_toevoegen BEFORE UPDATE OR DELETE OR TRUNCATE ON toegangslog
    FOR EACH STATEMENT EXECUTE FUNCTION ontkoppel_rls.toegangslog_alleen_toevoegen();
ALTER TABLE toegangslog ENABLE ALWAYS TRIGGER toegangslog_alleen_toevoegen;
"""

TERUG = f"""
DROP TRIGGER toegangslog_alleen_toevoegen ON toegangslog;
DROP FUNCTION ontkoppel_rls.toegangslog_alleen_toevoegen();
DROP POLICY toegangslog_schrijven ON toegangslog;
ALTER TABLE toegangslog DISABLE ROW LEVEL SECURITY;
REVOKE ALL ON toegangslog FROM {ROL};
"""


class Migration(migrations.Migration):
    dependencies = [
        ("instituut", "0007_vrije_tekst"),
    ]

    operations = [
        migrations.CreateModel(
            name="Toegang",
            fields=[
                ("id", models.BigAutoField(primary_key=True, serialize=False)),
                ("moment", models.DateTimeField(db_default=django.db.models.functions.datetime.Now(),
                                                verbose_name="moment")),
                ("soort", models.CharField(choices=[("traject", "traject"), ("verslag", "verslag"),
                                                    ("gebeurtenissen", "gebeurtenissen")],
                                           max_length=20, verbose_name="soort")),
                ("traject", models.UUIDField(blank=True, null=True, verbose_name="traject")),
                ("verslag", models.UUIDField(blank=True, null=True, verbose_name="verslag")),
                ("aantal", models.PositiveIntegerField(verbose_name="aantal")),
                ("details", models.JSONField(blank=True, default=dict, verbose_name="details")),
                ("account", models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name="+",
                                              to=settings.AUTH_USER_MODEL, verbose_name="account")),
                ("laptop", models.ForeignKey(blank=True, db_index=False, null=True,
                                             on_delete=django.db.models.deletion.PROTECT, related_name="+",
                                             to="instituut.laptop", verbose_name="laptop")),
            ],
            options={
                "verbose_name": "toegang",
                "verbose_name_plural": "toegangslog",
                "db_table": "toegangslog",
                "ordering": ["-moment", "-id"],
                "indexes": [
                    django.contrib.postgres.indexes.BrinIndex(fields=["moment"], name="toegangslog_moment"),
                    models.Index(fields=["traject"], name="toegangslog_traject"),
                ],
            },
        ),
        migrations.RunSQL(SQL, TERUG),
    ]
