"""Setting up the database for the server, once, as a PostgreSQL superuser (a DBA's step, before `migrate`).

Three roles, so that the server cannot step around row-level security:
- the owner (ONTKOPPEL_SERVER_DB_EIGENAAR): owns the database and every table; runs the migrations;
- `ontkoppel_toepassing` (no login): what the application may do; the migrations grant to it and its policies
  name it;
- the application's login (ONTKOPPEL_SERVER_DB_GEBRUIKER): a member of ontkoppel_toepassing, owns nothing, no
  BYPASSRLS, cannot create roles, databases or tables.

`richt_in` runs the statements over a superuser connection; `sql` writes them as a psql script, for a DBA who
prefers `psql` (`python -m ontkoppel_server inrichten --sql | sudo -u postgres psql`).
"""

from __future__ import annotations

from dataclasses import dataclass

import psycopg
from psycopg import sql

TOEPASSING = "ontkoppel_toepassing"


@dataclass(frozen=True, slots=True)
class Inrichting:
    database: str
    eigenaar: str
    eigenaar_wachtwoord: str
    gebruiker: str
    gebruiker_wachtwoord: str

    def cluster(self) -> list[sql.SQL | sql.Composed]:
        """Statements on the cluster: the roles and the database."""
        return [
            sql.SQL(
                "CREATE ROLE {} LOGIN PASSWORD {} NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS"
            ).format(sql.Identifier(self.eigenaar), sql.Literal(self.eigenaar_wachtwoord)),
            sql.SQL("CREATE ROLE {} NOLOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS").format(
                sql.Identifier(TOEPASSING)
            ),
            sql.SQL(
                "CREATE ROLE {} LOGIN PASSWORD {} NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS "
                "IN ROLE {}"
            ).format(
                sql.Identifier(self.gebruiker), sql.Literal(self.gebruiker_wachtwoord), sql.Identifier(TOEPASSING)
            ),
            sql.SQL("CREATE DATABASE {} OWNER {} ENCODING 'UTF8' TEMPLATE template0").format(
                sql.Identifier(self.database), sql.Identifier(self.eigenaar)
            ),
            sql.SQL("REVOKE ALL ON DATABASE {} FROM PUBLIC").format(sql.Identifier(self.database)),
            sql.SQL("GRANT CONNECT ON DATABASE {} TO {}").format(
                sql.Identifier(self.database), sql.Identifier(TOEPASSING)
            ),
        ]

    def database_statements(self) -> list[sql.SQL | sql.Composed]:
        """Statements inside the new database: only the owner creates objects in it."""
        return [
            sql.SQL("REVOKE CREATE ON SCHEMA public FROM PUBLIC"),
            sql.SQL("ALTER SCHEMA public OWNER TO {}").format(sql.Identifier(self.eigenaar)),
        ]

    def richt_in(self, conninfo: str) -> None:
        """Run every statement over a superuser connection (`conninfo` names a database such as postgres)."""
        with psycopg.connect(conninfo, autocommit=True) as conn:
            for statement in self.cluster():
                conn.execute(statement)
        database = psycopg.conninfo.make_conninfo(conninfo, dbname=self.database)
        with psycopg.connect(database, autocommit=True) as conn:
            for statement in self.database_statements():
                conn.execute(statement)

    def sql(self) -> str:
        """The same as a psql script."""
        lines = [s.as_string(None) + ";" for s in self.cluster()]
        lines.append(f"\\connect {sql.Identifier(self.database).as_string(None)}")
        lines += [s.as_string(None) + ";" for s in self.database_statements()]
        return "\n".join(lines) + "\n"
