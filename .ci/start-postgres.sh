#!/usr/bin/env bash
# Start a throwaway PostgreSQL server for the store tests and print the lines that export its
# URL. Usage (bash):  eval "$(.ci/start-postgres.sh)"
# stdout carries only `export ...` lines; progress goes to stderr. Installs the server with
# apt-get when the machine has none (needs root). The server lives until the machine goes or
# "$ZJTX_TEST_PG_STOP" is run.
set -euo pipefail

pg_bin() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1; }

PGBIN=$(pg_bin || true)
if [ -z "$PGBIN" ] || [ ! -x "$PGBIN/initdb" ]; then
    echo "start-postgres: PostgreSQL server not found, installing with apt-get" >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >&2
    apt-get install -y -qq postgresql >&2
    PGBIN=$(pg_bin)
fi

PGTMP=$(mktemp -d -t zjtx-pg.XXXXXX)
PGPORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
if [ "$(id -u)" = 0 ]; then
    # initdb refuses to run as root: run the server as the postgres user.
    chown postgres:postgres "$PGTMP"
    AS_PG=(runuser -u postgres --)
else
    AS_PG=()
fi
"${AS_PG[@]}" "$PGBIN/initdb" -D "$PGTMP/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 \
    >"$PGTMP/initdb.log" 2>&1 || { cat "$PGTMP/initdb.log" >&2; exit 1; }
"${AS_PG[@]}" "$PGBIN/pg_ctl" -D "$PGTMP/data" -l "$PGTMP/log" -w \
    -o "-c listen_addresses=127.0.0.1 -p $PGPORT -k $PGTMP -c fsync=off" start >&2
"$PGBIN/psql" -h 127.0.0.1 -p "$PGPORT" -U postgres -qAtc "CREATE DATABASE zjtx_test" postgres >&2

URL="postgresql+psycopg://postgres@127.0.0.1:$PGPORT/zjtx_test"
STOP="${AS_PG[*]} $PGBIN/pg_ctl -D $PGTMP/data -m fast -w stop && rm -rf $PGTMP"
echo "start-postgres: PostgreSQL on 127.0.0.1:$PGPORT ($PGTMP)" >&2
printf 'export ZJTX_TEST_DATABASE_URL=%q\n' "$URL"
printf 'export ZJTX_TEST_PG_STOP=%q\n' "$STOP"
