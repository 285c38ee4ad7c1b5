#!/usr/bin/env bash
# PostgreSQL for the storage conformance tests: a throw-away cluster owned by the postgres user,
# listening on loopback only, trust auth (nothing but this machine can reach it).
# Prints: export STATEWARD_TEST_PG=postgresql://postgres@127.0.0.1:<port>/stateward_test
set -euo pipefail
. "$(dirname "$0")/common.bash"

port="${STATEWARD_PG_PORT:-55432}"
dir="$STATEWARD_SERVICES_DIR/postgres"
data="$dir/data"
url="postgresql://postgres@127.0.0.1:$port/stateward_test"

need_packages postgresql
bin="$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)"
as_pg() { runuser -u postgres -- "$@"; }

# Healthy = answers a query (pg_isready only says the postmaster accepts connections).
healthy() {
  [ "$("$bin/psql" -h 127.0.0.1 -p "$port" -U postgres -d postgres -Atc 'SELECT 1' 2>/dev/null)" = 1 ]
}

start_server() {
  mkdir -p "$dir"
  chown postgres: "$dir"
  if [ ! -s "$data/PG_VERSION" ]; then
    say "postgres: initdb in $data"
    ( cd "$dir" && as_pg "$bin/initdb" -D "$data" -U postgres --auth=trust --no-sync -E UTF8 ) \
      >"$dir/initdb.log" 2>&1 || { cat "$dir/initdb.log" >&2; return 1; }
  fi
  say "postgres: starting on 127.0.0.1:$port"
  # From its own directory, detached (pg_ctl daemonizes the server in its own session).
  # fsync off: a test cluster is disposable and this keeps the suite fast.
  ( cd "$dir" && as_pg "$bin/pg_ctl" -D "$data" -l "$dir/server.log" -w -t 60 start \
    -o "-c listen_addresses=127.0.0.1 -p $port -k $dir -c fsync=off -c max_connections=200" ) \
    </dev/null >/dev/null || { tail -n 20 "$dir/server.log" >&2; return 1; }
}

if ! healthy; then
  if [ -s "$data/postmaster.pid" ]; then
    say "postgres: not answering a query; restarting"
    as_pg "$bin/pg_ctl" -D "$data" -m immediate -w -t 30 stop >/dev/null 2>&1 \
      || stop_service postgres "$bin/postgres -D $data"
    rm -f "$data/postmaster.pid"
  fi
  start_server || exit 1
  healthy || { say "postgres: started but does not answer a query"; exit 1; }
fi

exists="$("$bin/psql" -h 127.0.0.1 -p "$port" -U postgres -Atc \
  "SELECT 1 FROM pg_database WHERE datname = 'stateward_test'")"
[ "$exists" = 1 ] || "$bin/createdb" -h 127.0.0.1 -p "$port" -U postgres stateward_test >&2
echo "export STATEWARD_TEST_PG=$url"
