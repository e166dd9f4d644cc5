"""Trajecten kept on the institute's Personen (issue 17): every role but the beleidsmedewerker reads every opleider
and praktijk, and a blokkade says whether its opleider is one of the institute's.

Run as the owner of the tables, like 0002 and later.

- read: a traject whose header says `"personen": "instituut"` names its kandidaat opleider and new opleider by the
  server's id before a koppeling with them exists (gebeurtenissen.py), and the docent, jaarassistent and manager
  opleiding of its aios must be able to read who that is; the opleiders' names are known institute-wide already,
  through the blokkades. So `opleider_zien` and `praktijk_zien` (0010) become: every row, archived or not, for a
  named active account with a role other than beleidsmedewerker (`ontkoppel_rls.ziet_opleiders()`). Aios and
  koppelingen stay as 0010 has them. `ziet_opleider` (0010: whom a new or changed koppeling may name) follows: a
  koppeling may name any opleider its maker sees, as the service checks (personen.py, `_verwijzingen`). Who edits
  what does not change.
- every opleider and praktijk gets a new versie (an update that changes nothing, through 0010's trigger): a laptop
  that pulled under the old rule lacks the rows it now sees, and gets them with its next pull after `na`.
- blokkade: the column `instituut`, true when the blocking traject is kept on the institute's Personen, so that
  `opleider_id` is the server's opleider (blokkades.py); the application role may update it like the other columns
  the server derives. The rows already there are of trajecten from before this migration, so false; false is also
  the column's default in the database, for a server of before this migration that is still running.
"""

from __future__ import annotations

from django.db import migrations, models

ROL = "ontkoppel_toepassing"
# An update that changes nothing: 0010's trigger gives each row a new versie.
NIEUWE_VERSIES = """
UPDATE praktijk SET naam = naam;
UPDATE opleider SET achternaam = achternaam;
"""

SQL = f"""
GRANT UPDATE (instituut) ON blokkade TO {ROL};

-- Whether the account reads every opleider and praktijk: active, with a role other than beleidsmedewerker.
CREATE FUNCTION ontkoppel_rls.ziet_opleiders() RETURNS boolean
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
    AS $$
        SELECT EXISTS (
            SELECT 1 FROM public.account_rol r JOIN public.account a ON a.id = r.account_id
            WHERE r.account_id = ontkoppel_rls.account() AND a.is_active AND r.rol <> 'beleidsmedewerker')
    $$;
REVOKE ALL ON FUNCTION ontkoppel_rls.ziet_opleiders() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION ontkoppel_rls.ziet_opleiders() TO {ROL};

-- Whether the account sees this opleider: the rule of opleider_zien, read as the owner.
CREATE OR REPLACE FUNCTION ontkoppel_rls.ziet_opleider(opleider bigint) RETURNS boolean
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
    AS $$
        SELECT ontkoppel_rls.ziet_opleiders() AND EXISTS (SELECT 1 FROM public.opleider o WHERE o.id = opleider)
    $$;

DROP POLICY opleider_zien ON opleider;
CREATE POLICY opleider_zien ON opleider FOR SELECT TO {ROL} USING ((SELECT ontkoppel_rls.ziet_opleiders()));
DROP POLICY praktijk_zien ON praktijk;
CREATE POLICY praktijk_zien ON praktijk FOR SELECT TO {ROL} USING ((SELECT ontkoppel_rls.ziet_opleiders()));

{NIEUWE_VERSIES}
"""

# Back to 0010's rules (the new versies stay: a pull brings those rows once more, which is harmless).
TERUG = f"""
DROP POLICY praktijk_zien ON praktijk;
CREATE POLICY praktijk_zien ON praktijk FOR SELECT TO {ROL} USING (
    (SELECT ontkoppel_rls.ziet_alle_personen()) OR id IN (SELECT praktijk_id FROM public.opleider)
);
DROP POLICY opleider_zien ON opleider;
CREATE POLICY opleider_zien ON opleider FOR SELECT TO {ROL} USING (
    (SELECT ontkoppel_rls.ziet_alle_personen()) OR id IN (SELECT opleider_id FROM public.koppeling)
);
CREATE OR REPLACE FUNCTION ontkoppel_rls.ziet_opleider(opleider bigint) RETURNS boolean
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
    AS $$
        SELECT ontkoppel_rls.ziet_alle_personen() OR EXISTS (
            SELECT 1 FROM public.koppeling k JOIN public.aios a ON a.id = k.aios_id
            WHERE k.opleider_id = opleider
              AND (a.opleidingsjaar = ANY (ontkoppel_rls.opleidingsjaren())
                   OR a.groep_id = ANY (ontkoppel_rls.groepen())))
    $$;
DROP FUNCTION ontkoppel_rls.ziet_opleiders();
REVOKE UPDATE (instituut) ON blokkade FROM {ROL};
"""


class Migration(migrations.Migration):
    dependencies = [
        ("instituut", "0010_personen"),
    ]

    operations = [
        migrations.AddField(
            model_name="blokkade",
            name="instituut",
            field=models.BooleanField(db_default=False, default=False, verbose_name="opleider van het instituut"),
        ),
        migrations.RunSQL(SQL, TERUG),
    ]
