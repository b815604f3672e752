#!/usr/bin/env bash
# Run a command with a throw-away PostgreSQL server on a private Unix socket.
# Exports INTAKE_TEST_POSTGRES_URL for the command, and removes the server afterwards.
# Fails loudly if no server can be started: the suite must run on PostgreSQL too.
set -euo pipefail

bindir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
if [[ -z "$bindir" || ! -x "$bindir/initdb" ]]; then
  echo "ERROR: no PostgreSQL server binaries under /usr/lib/postgresql (apt-get install postgresql)." >&2
  exit 1
fi

workdir=$(mktemp -d /tmp/intake-pg.XXXXXX)
chmod 755 "$workdir"
as_pg=()
if [[ $(id -u) -eq 0 ]]; then
  # initdb refuses to run as root.
  chown postgres:postgres "$workdir"
  as_pg=(runuser -u postgres --)
fi

cleanup() {
  "${as_pg[@]}" "$bindir/pg_ctl" -D "$workdir/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$workdir"
}
trap cleanup EXIT

"${as_pg[@]}" "$bindir/initdb" -D "$workdir/data" -U postgres --auth=trust \
  --encoding=UTF8 --locale=C.UTF-8 >"$workdir/initdb.log" 2>&1 || {
  echo "ERROR: initdb failed:" >&2; cat "$workdir/initdb.log" >&2; exit 1; }
# No TCP at all: only a socket in our own directory.
"${as_pg[@]}" "$bindir/pg_ctl" -D "$workdir/data" -l "$workdir/server.log" -w -t 60 \
  -o "-c listen_addresses='' -k $workdir -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
  start >/dev/null || {
  echo "ERROR: PostgreSQL did not start:" >&2; cat "$workdir/server.log" >&2; exit 1; }

export INTAKE_TEST_POSTGRES_URL="postgresql+psycopg://postgres@/postgres?host=$workdir"
echo "PostgreSQL $("$bindir/postgres" --version | awk '{print $3}') running for the tests on $workdir"
"$@"
