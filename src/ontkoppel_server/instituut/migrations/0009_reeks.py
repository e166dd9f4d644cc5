"""The lineage of the database (`reeks`, issue 17): one row with a random UUID, read by the application role and
handed to the laptops with every page; changed only by IT's `na-herstel` after putting back a back-up (as the
owner, like the key commands)."""

from __future__ import annotations

import uuid

import django.utils.timezone
from django.db import migrations, models

ROL = "ontkoppel_toepassing"


class Migration(migrations.Migration):
    dependencies = [("instituut", "0008_toegangslog")]

    operations = [
        migrations.CreateModel(
            name="Reeks",
            fields=[
                ("id", models.PositiveSmallIntegerField(default=1, editable=False, primary_key=True,
                                                        serialize=False)),
                ("reeks", models.UUIDField(default=uuid.uuid4)),
                ("sinds", models.DateTimeField(default=django.utils.timezone.now)),
            ],
            options={"db_table": "reeks", "verbose_name": "reeks", "verbose_name_plural": "reeks"},
        ),
        migrations.RunSQL(
            f"""
            INSERT INTO reeks (id, reeks, sinds) VALUES (1, gen_random_uuid(), now());
            REVOKE ALL ON reeks FROM {ROL};
            GRANT SELECT ON reeks TO {ROL};
            """,
            reverse_sql=migrations.RunSQL.noop,
        ),
    ]
