#!/bin/bash
# A back-up of the institute server's database: pg_dump in its custom format (-Fc: compressed, restorable table by
# table with pg_restore), checked readable, kept ONTKOPPEL_BACKUP_DAGEN days. Run as PostgreSQL's superuser over the
# local socket (ontkoppel-backup.service). Install: /usr/local/sbin/ontkoppel-backup (server/README.md, "Back-ups").
#
# The dump holds what the server holds: verslagen and the free text of events only sealed (the server has no key
# to open them), and the rest readable: accounts with their password hashes, token hashes, the trajecten's
# events, the access log. Keep the back-ups as strictly as the database.
set -euo pipefail
umask 077

map="${ONTKOPPEL_BACKUP_MAP:-/var/backups/ontkoppel}"
dagen="${ONTKOPPEL_BACKUP_DAGEN:-35}"
database="${ONTKOPPEL_SERVER_DB_NAAM:-ontkoppel}"
# Debian's pg_dump wrapper picks the version of the cluster; PGPORT/PGHOST choose another cluster.
doel="$map/$database-$(date +%Y%m%d-%H%M%S).dump"

pg_dump --format=custom --no-password --dbname="$database" --file="$doel.deel"
# A dump that pg_restore cannot read is no back-up: list its contents before it counts.
pg_restore --list "$doel.deel" > /dev/null
mv "$doel.deel" "$doel"
echo "Back-up gemaakt: $doel ($(du -h "$doel" | cut -f1))"

# Retention: older dumps go, and half-written ones of an interrupted run. The newest is never removed here.
find "$map" -maxdepth 1 -name "$database-*.dump" -mtime +"$dagen" ! -path "$doel" -print -delete
find "$map" -maxdepth 1 -name "$database-*.dump.deel" -mmin +720 -print -delete
