"""Grants and row-level security: the second half of "each person sees only what their role needs".

Run as the owner of the tables (`migrate --database eigenaar`). The server itself connects as a login role that
is a member of `ontkoppel_toepassing` (inrichting.py creates both): it owns no table and has no BYPASSRLS, so
every query it sends passes these policies. The owner is not subject to them (no FORCE): it runs migrations only.

Each request names its account inside its transaction (`SELECT set_config('app.account', id, true)`,
toegang.als_account). The policies ask three SECURITY DEFINER functions, owned by the owner and with a fixed
search_path, what that account's roles open: its groepen as docent, its opleidingsjaren as jaarassistent or manager
opleiding, and whether it sees trajecten after the advies tot ontkoppeling. Without a named account they answer
nothing, so nothing is visible. Written `(SELECT f())`, each is evaluated once per query, not once per row.

- traject: read, insert and update only where the account sees the traject; insert only in its own name; no
  delete; update only of the two columns the server changes (who sees it, and from which volgnummer).
- gebeurtenis: read and insert only on a traject the account sees (the subquery passes traject's own policy),
  only in the account's name and from one of its laptops that is neither revoked nor expired; no update, no
  delete: events are append-only.
"""

from __future__ import annotations

from django.db import migrations

ROL = "ontkoppel_toepassing"

SQL = f"""
DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '{ROL}') THEN
        RAISE EXCEPTION 'De databaserol {ROL} ontbreekt: richt de database eerst in '
                        '(python -m ontkoppel_server inrichten, zie server/README.md).';
    END IF;
END $$;

-- What the application role may do at all. Tables of later migrations (and Django's own) get the same by
-- default; a table that must be append-only or hidden revokes it in its own migration, as below.
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {ROL};
GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {ROL};
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO {ROL};
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO {ROL};

REVOKE ALL ON traject, gebeurtenis FROM {ROL};
GRANT SELECT, INSERT ON traject, gebeurtenis TO {ROL};
GRANT UPDATE (advies_ontkoppeling, kop_volgnummer) ON traject TO {ROL};

CREATE SCHEMA ontkoppel_rls;
REVOKE ALL ON SCHEMA ontkoppel_rls FROM PUBLIC;
GRANT USAGE ON SCHEMA ontkoppel_rls TO {ROL};

-- The account the current transaction speaks for; NULL when none was named.
CREATE FUNCTION ontkoppel_rls.account() RETURNS bigint
    LANGUAGE sql STABLE
    SET search_path = pg_catalog, pg_temp
    AS $$ SELECT nullif(current_setting('app.account', true), '')::bigint $$;

-- The groepen of which the account is docent.
CREATE FUNCTION ontkoppel_rls.groepen() RETURNS bigint[]
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
    AS $$
        SELECT coalesce(array_agg(r.groep_id), '{{}}')
        FROM public.account_rol r JOIN public.account a ON a.id = r.account_id
        WHERE r.account_id = ontkoppel_rls.account() AND a.is_active
          AND r.rol = 'docenten' AND r.groep_id IS NOT NULL
    $$;

-- The opleidingsjaren for which the account is jaarassistent or manager opleiding.
CREATE FUNCTION ontkoppel_rls.opleidingsjaren() RETURNS integer[]
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
    AS $$
        SELECT coalesce(array_agg(r.opleidingsjaar::integer), '{{}}')
        FROM public.account_rol r JOIN public.account a ON a.id = r.account_id
        WHERE r.account_id = ontkoppel_rls.account() AND a.is_active
          AND r.rol IN ('jaarassistent', 'manager_opleiding') AND r.opleidingsjaar IS NOT NULL
    $$;

-- Whether the account sees trajecten from the advies tot ontkoppeling on.
CREATE FUNCTION ontkoppel_rls.ziet_na_advies() RETURNS boolean
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
    AS $$
        SELECT EXISTS (
            SELECT 1 FROM public.account_rol r JOIN public.account a ON a.id = r.account_id
            WHERE r.account_id = ontkoppel_rls.account() AND a.is_active
              AND r.rol IN ('manager_opleiders', 'assistent_manager_opleiders', 'plv_hoofd'))
    $$;

-- Whether the laptop is one of the account's own, neither revoked nor expired.
CREATE FUNCTION ontkoppel_rls.eigen_laptop(laptop uuid) RETURNS boolean
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
    AS $$
        SELECT EXISTS (
            SELECT 1 FROM public.laptop l
            WHERE l.id = laptop AND l.account_id = ontkoppel_rls.account()
              AND l.ingetrokken_op IS NULL AND l.verloopt_op > now())
    $$;

REVOKE ALL ON ALL FUNCTIONS IN SCHEMA ontkoppel_rls FROM PUBLIC;
GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA ontkoppel_rls TO {ROL};

ALTER TABLE traject ENABLE ROW LEVEL SECURITY;
ALTER TABLE gebeurtenis ENABLE ROW LEVEL SECURITY;

CREATE POLICY traject_zien ON traject FOR SELECT TO {ROL} USING (
    groep_id = ANY ((SELECT ontkoppel_rls.groepen())::bigint[])
    OR opleidingsjaar = ANY ((SELECT ontkoppel_rls.opleidingsjaren())::integer[])
    OR (advies_ontkoppeling AND (SELECT ontkoppel_rls.ziet_na_advies()))
);
CREATE POLICY traject_starten ON traject FOR INSERT TO {ROL} WITH CHECK (
    aangemaakt_door_id = ontkoppel_rls.account()
    AND (groep_id = ANY ((SELECT ontkoppel_rls.groepen())::bigint[])
         OR opleidingsjaar = ANY ((SELECT ontkoppel_rls.opleidingsjaren())::integer[]))
);
CREATE POLICY traject_bijwerken ON traject FOR UPDATE TO {ROL}
    USING (
        groep_id = ANY ((SELECT ontkoppel_rls.groepen())::bigint[])
        OR opleidingsjaar = ANY ((SELECT ontkoppel_rls.opleidingsjaren())::integer[])
        OR (advies_ontkoppeling AND (SELECT ontkoppel_rls.ziet_na_advies()))
    )
    WITH CHECK (
        groep_id = ANY ((SELECT ontkoppel_rls.groepen())::bigint[])
        OR opleidingsjaar = ANY ((SELECT ontkoppel_rls.opleidingsjaren())::integer[])
        OR (advies_ontkoppeling AND (SELECT ontkoppel_rls.ziet_na_advies()))
    );

CREATE POLICY gebeurtenis_zien ON gebeurtenis FOR SELECT TO {ROL} USING (
    traject_id IN (SELECT id FROM public.traject)
);
CREATE POLICY gebeurtenis_vastleggen ON gebeurtenis FOR INSERT TO {ROL} WITH CHECK (
    traject_id IN (SELECT id FROM public.traject)
    AND auteur_id = ontkoppel_rls.account()
    AND ontkoppel_rls.eigen_laptop(laptop_id)
);
"""

TERUG = f"""
DROP POLICY gebeurtenis_vastleggen ON gebeurtenis;
DROP POLICY gebeurtenis_zien ON gebeurtenis;
DROP POLICY traject_bijwerken ON traject;
DROP POLICY traject_starten ON traject;
DROP POLICY traject_zien ON traject;
ALTER TABLE gebeurtenis DISABLE ROW LEVEL SECURITY;
ALTER TABLE traject DISABLE ROW LEVEL SECURITY;
DROP SCHEMA ontkoppel_rls CASCADE;
ALTER DEFAULT PRIVILEGES IN SCHEMA public REVOKE ALL ON TABLES FROM {ROL};
ALTER DEFAULT PRIVILEGES IN SCHEMA public REVOKE ALL ON SEQUENCES FROM {ROL};
REVOKE ALL ON ALL TABLES IN SCHEMA public FROM {ROL};
REVOKE ALL ON ALL SEQUENCES IN SCHEMA public FROM {ROL};
"""


class Migration(migrations.Migration):
    dependencies = [("instituut", "0001_initial")]

    operations = [migrations.RunSQL(SQL, TERUG)]
