"""Personen on the server (issue 17): the tables `praktijk`, `opleider`, `aios` and `koppeling`, their shared
`versie`, grants and row-level security.

Run as the owner of the tables, like 0002 and later. The service holds the same rules (personen.py); these are the
second half, so a forgotten filter or check there shows or changes nothing extra.

- versie: one sequence for the four tables (`personen_versie`), set by a trigger on every insert and update (also
  the owner's, in the beheer pages), so a laptop pulls `?na=versie`. The trigger takes a transaction-scoped advisory
  lock first, held until commit: versies become visible in the order they were given, so a laptop that has pulled
  up to n never misses a smaller one that commits later. It is SECURITY DEFINER: the application role has no right
  on the sequence, and no UPDATE on the column, so it cannot choose a versie.
- read: the institute-wide roles (manager opleiders, assistent manager opleiders, plv. hoofd) every row; a
  jaarassistent or manager opleiding the aios of their opleidingsjaren, a docent those of their groepen; then the
  koppelingen of the aios one sees, and the opleiders and praktijken of those koppelingen. Each subquery passes the
  policy of the table it reads, so the aios rule is written once.
- insert and update: an aios only by the jaarassistent or manager opleiding of its opleidingsjaar, before and after
  (moving it to another year needs both); opleiders and praktijken only by the manager opleiders and assistent
  manager opleiders; a koppeling by those two and by the jaarassistent of its aios's year, with an opleider that
  account sees (`ziet_opleider`, SECURITY DEFINER: koppeling's policy cannot ask opleider's, which asks
  koppeling's). Update only of the fields a user edits: never id, versie or a koppeling's aios. An UPDATE of a row
  one may not edit changes nothing (the USING clause hides it); an INSERT is refused with an error.
- no delete: a row is archived (gearchiveerd), a koppeling ends (einddatum).
"""

from __future__ import annotations

import django.db.models.deletion
from django.db import migrations, models

ROL = "ontkoppel_toepassing"
# pg_advisory_xact_lock key under which versies are given ("OKpv"; personen.VERSIE_SLOT).
VERSIE_SLOT = 0x4F4B7076
TABELLEN = ("praktijk", "opleider", "aios", "koppeling")

_JAREN = "((SELECT ontkoppel_rls.opleidingsjaren())::integer[])"
_GROEPEN = "((SELECT ontkoppel_rls.groepen())::bigint[])"
_OPLEIDERS = "(SELECT ontkoppel_rls.beheert_opleiders())"
# Who edits a koppeling: the manager opleiders and assistent, or the jaarassistent of its aios's year.
_KOPPELAAR = f"""(
    {_OPLEIDERS}
    OR aios_id IN (SELECT id FROM public.aios
                   WHERE opleidingsjaar = ANY ((SELECT ontkoppel_rls.jaarassistent_jaren())::integer[]))
)"""
_TRIGGERS = "\n".join(
    f"CREATE TRIGGER {t}_nieuwe_versie BEFORE INSERT OR UPDATE ON {t}\n"
    "    FOR EACH ROW EXECUTE FUNCTION ontkoppel_rls.personen_versie();"
    for t in TABELLEN
)
_FUNCTIES = (
    "ontkoppel_rls.ziet_alle_personen(), ontkoppel_rls.beheert_opleiders(), ontkoppel_rls.jaarassistent_jaren(), "
    "ontkoppel_rls.ziet_opleider(bigint)"
)

SQL = f"""
CREATE SEQUENCE personen_versie AS bigint;
REVOKE ALL ON SEQUENCE personen_versie FROM {ROL};

CREATE FUNCTION ontkoppel_rls.personen_versie() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
    AS $$
    BEGIN
        PERFORM pg_advisory_xact_lock({VERSIE_SLOT});
        NEW.versie := nextval('public.personen_versie');
        RETURN NEW;
    END
    $$;
REVOKE ALL ON FUNCTION ontkoppel_rls.personen_versie() FROM PUBLIC;
{_TRIGGERS}

REVOKE ALL ON praktijk, opleider, aios, koppeling FROM {ROL};
GRANT SELECT, INSERT ON praktijk, opleider, aios, koppeling TO {ROL};
GRANT UPDATE (naam, plaats, gearchiveerd) ON praktijk TO {ROL};
GRANT UPDATE (voornaam, tussenvoegsel, achternaam, praktijk_id, gearchiveerd) ON opleider TO {ROL};
GRANT UPDATE (voornaam, tussenvoegsel, achternaam, opleidingsjaar, startdatum_opleiding, deeltijdpercentage, groep_id,
              gearchiveerd) ON aios TO {ROL};
GRANT UPDATE (opleider_id, startdatum, einddatum) ON koppeling TO {ROL};

-- Whether the account sees every aios, opleider, praktijk and koppeling.
CREATE FUNCTION ontkoppel_rls.ziet_alle_personen() RETURNS boolean
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
    AS $$
        SELECT EXISTS (
            SELECT 1 FROM public.account_rol r JOIN public.account a ON a.id = r.account_id
            WHERE r.account_id = ontkoppel_rls.account() AND a.is_active
              AND r.rol IN ('manager_opleiders', 'assistent_manager_opleiders', 'plv_hoofd'))
    $$;

-- Whether the account edits opleiders and praktijken, and every koppeling.
CREATE FUNCTION ontkoppel_rls.beheert_opleiders() RETURNS boolean
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
    AS $$
        SELECT EXISTS (
            SELECT 1 FROM public.account_rol r JOIN public.account a ON a.id = r.account_id
            WHERE r.account_id = ontkoppel_rls.account() AND a.is_active
              AND r.rol IN ('manager_opleiders', 'assistent_manager_opleiders'))
    $$;

-- The opleidingsjaren for which the account is jaarassistent: it edits the koppelingen of their aios.
CREATE FUNCTION ontkoppel_rls.jaarassistent_jaren() RETURNS integer[]
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
    AS $$
        SELECT coalesce(array_agg(r.opleidingsjaar::integer), '{{}}')
        FROM public.account_rol r JOIN public.account a ON a.id = r.account_id
        WHERE r.account_id = ontkoppel_rls.account() AND a.is_active
          AND r.rol = 'jaarassistent' AND r.opleidingsjaar IS NOT NULL
    $$;

-- Whether the account sees this opleider: the rule of opleider_zien and aios_zien, read as the owner.
CREATE FUNCTION ontkoppel_rls.ziet_opleider(opleider bigint) RETURNS boolean
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
    AS $$
        SELECT ontkoppel_rls.ziet_alle_personen() OR EXISTS (
            SELECT 1 FROM public.koppeling k JOIN public.aios a ON a.id = k.aios_id
            WHERE k.opleider_id = opleider
              AND (a.opleidingsjaar = ANY (ontkoppel_rls.opleidingsjaren())
                   OR a.groep_id = ANY (ontkoppel_rls.groepen())))
    $$;

REVOKE ALL ON FUNCTION {_FUNCTIES} FROM PUBLIC;
GRANT EXECUTE ON FUNCTION {_FUNCTIES} TO {ROL};

ALTER TABLE praktijk ENABLE ROW LEVEL SECURITY;
ALTER TABLE opleider ENABLE ROW LEVEL SECURITY;
ALTER TABLE aios ENABLE ROW LEVEL SECURITY;
ALTER TABLE koppeling ENABLE ROW LEVEL SECURITY;

CREATE POLICY aios_zien ON aios FOR SELECT TO {ROL} USING (
    (SELECT ontkoppel_rls.ziet_alle_personen())
    OR opleidingsjaar = ANY {_JAREN}
    OR groep_id = ANY {_GROEPEN}
);
CREATE POLICY aios_toevoegen ON aios FOR INSERT TO {ROL} WITH CHECK (opleidingsjaar = ANY {_JAREN});
CREATE POLICY aios_wijzigen ON aios FOR UPDATE TO {ROL}
    USING (opleidingsjaar = ANY {_JAREN})
    WITH CHECK (opleidingsjaar = ANY {_JAREN});

CREATE POLICY koppeling_zien ON koppeling FOR SELECT TO {ROL} USING (aios_id IN (SELECT id FROM public.aios));
CREATE POLICY koppeling_toevoegen ON koppeling FOR INSERT TO {ROL} WITH CHECK (
    {_KOPPELAAR} AND ontkoppel_rls.ziet_opleider(opleider_id)
);
CREATE POLICY koppeling_wijzigen ON koppeling FOR UPDATE TO {ROL}
    USING {_KOPPELAAR}
    WITH CHECK ({_KOPPELAAR} AND ontkoppel_rls.ziet_opleider(opleider_id));

CREATE POLICY opleider_zien ON opleider FOR SELECT TO {ROL} USING (
    (SELECT ontkoppel_rls.ziet_alle_personen()) OR id IN (SELECT opleider_id FROM public.koppeling)
);
CREATE POLICY opleider_toevoegen ON opleider FOR INSERT TO {ROL} WITH CHECK ({_OPLEIDERS});
CREATE POLICY opleider_wijzigen ON opleider FOR UPDATE TO {ROL} USING ({_OPLEIDERS}) WITH CHECK ({_OPLEIDERS});

CREATE POLICY praktijk_zien ON praktijk FOR SELECT TO {ROL} USING (
    (SELECT ontkoppel_rls.ziet_alle_personen()) OR id IN (SELECT praktijk_id FROM public.opleider)
);
CREATE POLICY praktijk_toevoegen ON praktijk FOR INSERT TO {ROL} WITH CHECK ({_OPLEIDERS});
CREATE POLICY praktijk_wijzigen ON praktijk FOR UPDATE TO {ROL} USING ({_OPLEIDERS}) WITH CHECK ({_OPLEIDERS});
"""

_TERUG_PER_TABEL = "\n".join(
    f"DROP POLICY {t}_zien ON {t}; DROP POLICY {t}_toevoegen ON {t}; DROP POLICY {t}_wijzigen ON {t};\n"
    f"ALTER TABLE {t} DISABLE ROW LEVEL SECURITY;\n"
    f"DROP TRIGGER {t}_nieuwe_versie ON {t};\n"
    f"REVOKE ALL ON {t} FROM {ROL};"
    for t in TABELLEN
)
TERUG = f"""
{_TERUG_PER_TABEL}
DROP FUNCTION ontkoppel_rls.ziet_opleider(bigint);
DROP FUNCTION ontkoppel_rls.jaarassistent_jaren();
DROP FUNCTION ontkoppel_rls.beheert_opleiders();
DROP FUNCTION ontkoppel_rls.ziet_alle_personen();
DROP FUNCTION ontkoppel_rls.personen_versie();
DROP SEQUENCE personen_versie;
"""


class Migration(migrations.Migration):
    dependencies = [
        ("instituut", "0009_reeks"),
    ]

    operations = [
        migrations.CreateModel(
            name="Opleider",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("voornaam", models.CharField(blank=True, default="", max_length=200, verbose_name="voornaam")),
                (
                    "tussenvoegsel",
                    models.CharField(blank=True, default="", max_length=200, verbose_name="tussenvoegsel"),
                ),
                ("achternaam", models.CharField(max_length=200, verbose_name="achternaam")),
                ("gearchiveerd", models.BooleanField(default=False, verbose_name="gearchiveerd")),
                ("versie", models.BigIntegerField(default=0, editable=False, verbose_name="versie")),
            ],
            options={
                "verbose_name": "opleider",
                "verbose_name_plural": "opleiders",
                "db_table": "opleider",
                "ordering": ["achternaam", "voornaam"],
            },
        ),
        migrations.CreateModel(
            name="Aios",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("voornaam", models.CharField(blank=True, default="", max_length=200, verbose_name="voornaam")),
                (
                    "tussenvoegsel",
                    models.CharField(blank=True, default="", max_length=200, verbose_name="tussenvoegsel"),
                ),
                ("achternaam", models.CharField(max_length=200, verbose_name="achternaam")),
                ("gearchiveerd", models.BooleanField(default=False, verbose_name="gearchiveerd")),
                ("versie", models.BigIntegerField(default=0, editable=False, verbose_name="versie")),
                (
                    "opleidingsjaar",
                    models.PositiveSmallIntegerField(
                        choices=[(1, "Jaar 1"), (2, "Jaar 2"), (3, "Jaar 3")], verbose_name="opleidingsjaar"
                    ),
                ),
                ("startdatum_opleiding", models.DateField(blank=True, null=True, verbose_name="startdatum opleiding")),
                (
                    "deeltijdpercentage",
                    models.PositiveSmallIntegerField(default=100, verbose_name="deeltijdpercentage"),
                ),
                (
                    "groep",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="aios",
                        to="instituut.groep",
                        verbose_name="groep",
                    ),
                ),
            ],
            options={
                "verbose_name": "aios",
                "verbose_name_plural": "aios",
                "db_table": "aios",
                "ordering": ["achternaam", "voornaam"],
            },
        ),
        migrations.CreateModel(
            name="Koppeling",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("startdatum", models.DateField(verbose_name="startdatum")),
                ("einddatum", models.DateField(blank=True, null=True, verbose_name="einddatum")),
                ("versie", models.BigIntegerField(default=0, editable=False, verbose_name="versie")),
                (
                    "aios",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="koppelingen",
                        to="instituut.aios",
                        verbose_name="aios",
                    ),
                ),
                (
                    "opleider",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="koppelingen",
                        to="instituut.opleider",
                        verbose_name="opleider",
                    ),
                ),
            ],
            options={
                "verbose_name": "koppeling",
                "verbose_name_plural": "koppelingen",
                "db_table": "koppeling",
                "ordering": ["aios", "startdatum"],
            },
        ),
        migrations.CreateModel(
            name="Praktijk",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("naam", models.CharField(max_length=200, verbose_name="naam")),
                ("plaats", models.CharField(blank=True, default="", max_length=200, verbose_name="plaats")),
                ("gearchiveerd", models.BooleanField(default=False, verbose_name="gearchiveerd")),
                ("versie", models.BigIntegerField(default=0, editable=False, verbose_name="versie")),
            ],
            options={
                "verbose_name": "praktijk",
                "verbose_name_plural": "praktijken",
                "db_table": "praktijk",
                "ordering": ["naam", "plaats"],
                "indexes": [models.Index(fields=["versie"], name="praktijk_versie")],
            },
        ),
        migrations.AddField(
            model_name="opleider",
            name="praktijk",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="opleiders",
                to="instituut.praktijk",
                verbose_name="praktijk",
            ),
        ),
        migrations.AddIndex(
            model_name="aios",
            index=models.Index(fields=["versie"], name="aios_versie"),
        ),
        migrations.AddConstraint(
            model_name="aios",
            constraint=models.CheckConstraint(
                condition=models.Q(("opleidingsjaar__in", (1, 2, 3))), name="aios_opleidingsjaar"
            ),
        ),
        migrations.AddConstraint(
            model_name="aios",
            constraint=models.CheckConstraint(
                condition=models.Q(("deeltijdpercentage__gte", 50), ("deeltijdpercentage__lte", 100)),
                name="aios_deeltijdpercentage",
            ),
        ),
        migrations.AddIndex(
            model_name="koppeling",
            index=models.Index(fields=["versie"], name="koppeling_versie"),
        ),
        migrations.AddConstraint(
            model_name="koppeling",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("einddatum__isnull", True), ("einddatum__gte", models.F("startdatum")), _connector="OR"
                ),
                name="koppeling_einde_na_start",
            ),
        ),
        migrations.AddIndex(
            model_name="opleider",
            index=models.Index(fields=["versie"], name="opleider_versie"),
        ),
        migrations.RunSQL(SQL, TERUG),
    ]
