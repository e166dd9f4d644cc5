"""The key directory (issue 16): the institute's public keys (`instituut_sleutels`, one row) and every account's
public keys (`sleutel`), with their grants and row-level security.

Run as the owner of the tables, like 0002 and 0003. Public keys are not secret, but they are the institute's
directory, not the world's, and a server that could rewrite them could hand out its own: a laptop believes a key
only with the institute's signature (verzegeling.controleer_binding), so the database adds defence in depth:

- instituut_sleutels: the application role reads it, for a named account; only the owner writes it (IT's
  commands, sleutels-ondertekenen and the like, run as the owner, as migrations do).
- sleutel: read by a named account its own keys, and every key when it is active and holds a role
  (`ontkoppel_rls.heeft_rol()` of 0003: whoever seals to readers); insert only in the account's own name, from one
  of its laptops (`ontkoppel_rls.eigen_laptop()` of 0002), and unsigned; update only of `vervangen_op`, of its own
  keys, and never back to current. Signing (`handtekening`, `ondertekend_op`) is the owner's, that is IT's; no
  delete: verslagen sealed or signed with a replaced key still name it.
"""

from __future__ import annotations

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models

ROL = "ontkoppel_toepassing"

SQL = f"""
REVOKE ALL ON instituut_sleutels, sleutel FROM {ROL};
GRANT SELECT ON instituut_sleutels TO {ROL};
GRANT SELECT, INSERT ON sleutel TO {ROL};
GRANT UPDATE (vervangen_op) ON sleutel TO {ROL};

ALTER TABLE instituut_sleutels ENABLE ROW LEVEL SECURITY;
ALTER TABLE sleutel ENABLE ROW LEVEL SECURITY;

CREATE POLICY instituut_sleutels_zien ON instituut_sleutels FOR SELECT TO {ROL} USING (
    (SELECT ontkoppel_rls.account()) IS NOT NULL
);

CREATE POLICY sleutel_zien ON sleutel FOR SELECT TO {ROL} USING (
    account_id = (SELECT ontkoppel_rls.account()) OR (SELECT ontkoppel_rls.heeft_rol())
);
CREATE POLICY sleutel_aanmelden ON sleutel FOR INSERT TO {ROL} WITH CHECK (
    account_id = ontkoppel_rls.account()
    AND laptop_id IS NOT NULL AND ontkoppel_rls.eigen_laptop(laptop_id)
    AND handtekening IS NULL AND ondertekend_op IS NULL AND vervangen_op IS NULL
);
CREATE POLICY sleutel_vervangen ON sleutel FOR UPDATE TO {ROL}
    USING (account_id = (SELECT ontkoppel_rls.account()))
    WITH CHECK (account_id = (SELECT ontkoppel_rls.account()) AND vervangen_op IS NOT NULL);
"""

TERUG = f"""
DROP POLICY sleutel_vervangen ON sleutel;
DROP POLICY sleutel_aanmelden ON sleutel;
DROP POLICY sleutel_zien ON sleutel;
DROP POLICY instituut_sleutels_zien ON instituut_sleutels;
ALTER TABLE sleutel DISABLE ROW LEVEL SECURITY;
ALTER TABLE instituut_sleutels DISABLE ROW LEVEL SECURITY;
REVOKE ALL ON instituut_sleutels, sleutel FROM {ROL};
"""


class Migration(migrations.Migration):
    dependencies = [
        ("instituut", "0004_vorig_token"),
    ]

    operations = [
        migrations.CreateModel(
            name="InstituutSleutels",
            fields=[
                ("id", models.PositiveSmallIntegerField(default=1, editable=False, primary_key=True, serialize=False)),
                ("ondertekening", models.CharField(max_length=44, verbose_name="ondertekensleutel van het instituut")),
                (
                    "herstel_versleuteling",
                    models.CharField(
                        blank=True, max_length=44, null=True, verbose_name="herstelsleutel (versleuteling)"
                    ),
                ),
                (
                    "herstel_ondertekening",
                    models.CharField(
                        blank=True, max_length=44, null=True, verbose_name="herstelsleutel (ondertekening)"
                    ),
                ),
                (
                    "herstel_handtekening",
                    models.CharField(
                        blank=True, max_length=88, null=True, verbose_name="handtekening onder de herstelsleutel"
                    ),
                ),
                ("gewijzigd_op", models.DateTimeField(default=django.utils.timezone.now, verbose_name="gewijzigd op")),
            ],
            options={
                "verbose_name": "sleutels van het instituut",
                "verbose_name_plural": "sleutels van het instituut",
                "db_table": "instituut_sleutels",
                "constraints": [
                    models.CheckConstraint(condition=models.Q(("id", 1)), name="instituut_sleutels_een_rij"),
                    models.CheckConstraint(
                        condition=models.Q(
                            models.Q(
                                ("herstel_handtekening__isnull", True),
                                ("herstel_ondertekening__isnull", True),
                                ("herstel_versleuteling__isnull", True),
                            ),
                            models.Q(
                                ("herstel_ondertekening__isnull", False), ("herstel_versleuteling__isnull", False)
                            ),
                            _connector="OR",
                        ),
                        name="instituut_sleutels_herstel_heel",
                    ),
                ],
            },
        ),
        migrations.CreateModel(
            name="Sleutel",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("versleuteling", models.CharField(max_length=44, verbose_name="versleutelsleutel")),
                ("ondertekening", models.CharField(max_length=44, verbose_name="ondertekensleutel")),
                ("vingerafdruk", models.CharField(max_length=39, verbose_name="vingerafdruk")),
                (
                    "handtekening",
                    models.CharField(
                        blank=True, max_length=88, null=True, verbose_name="handtekening van het instituut"
                    ),
                ),
                ("aangemeld_op", models.DateTimeField(default=django.utils.timezone.now, verbose_name="aangemeld op")),
                ("ondertekend_op", models.DateTimeField(blank=True, null=True, verbose_name="ondertekend op")),
                ("vervangen_op", models.DateTimeField(blank=True, null=True, verbose_name="vervangen op")),
                (
                    "account",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="sleutels",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="account",
                    ),
                ),
                (
                    "laptop",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="instituut.laptop",
                        verbose_name="laptop",
                    ),
                ),
            ],
            options={
                "verbose_name": "sleutel",
                "verbose_name_plural": "sleutels",
                "db_table": "sleutel",
                "ordering": ["account__username", "-aangemeld_op"],
                "constraints": [
                    models.UniqueConstraint(
                        condition=models.Q(("vervangen_op__isnull", True)),
                        fields=("account",),
                        name="sleutel_een_actuele_per_account",
                    ),
                    models.CheckConstraint(
                        condition=models.Q(
                            models.Q(("handtekening__isnull", True), ("ondertekend_op__isnull", True)),
                            models.Q(("handtekening__isnull", False), ("ondertekend_op__isnull", False)),
                            _connector="OR",
                        ),
                        name="sleutel_handtekening_met_datum",
                    ),
                ],
            },
        ),
        migrations.RunSQL(SQL, TERUG),
    ]
