# Start and stop a throwaway PostgreSQL server on loopback (sourced by .ci/run).
#
# pg_start initialises a cluster in a fresh temporary directory (owned by user postgres when
# run as root, since the server refuses to run as root), starts it on
# 127.0.0.1:${IMF_TEST_PG_PORT:-54329} with durability switched off (the data is thrown away),
# creates database imf_test and exports IMF_TEST_PG_URL for the tests. pg_stop stops the
# server and removes the directory. Both print the server's own log when something fails.

pg_bin() {
  ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1
}

# Run a server command as the cluster owner.
_pg_as() {
  if [ "$(id -u)" = 0 ]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

pg_start() {
  local bin port
  bin="${PG_BIN:-$(pg_bin)}"
  port="${IMF_TEST_PG_PORT:-54329}"
  if [ -z "$bin" ] || [ ! -x "$bin/initdb" ]; then
    echo "pg_start: PostgreSQL server binaries not found under /usr/lib/postgresql" >&2
    return 1
  fi
  PG_BIN="$bin"
  PG_DATA="$(mktemp -d /tmp/imf-pg.XXXXXX)"
  if [ "$(id -u)" = 0 ]; then
    chown postgres: "$PG_DATA"
  fi
  if ! _pg_as "$bin/initdb" -D "$PG_DATA/data" -U imf --auth=trust -E UTF8 --no-locale \
      --no-sync --no-instructions >"$PG_DATA/initdb.log" 2>&1; then
    echo "pg_start: initdb failed:" >&2
    cat "$PG_DATA/initdb.log" >&2
    pg_stop
    return 1
  fi
  # The server options must stay on one line: pg_ctl passes them through a shell.
  local options="-h 127.0.0.1 -p $port -k $PG_DATA -c max_connections=200"
  options+=" -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
  if ! _pg_as "$bin/pg_ctl" -D "$PG_DATA/data" -l "$PG_DATA/log" -w -t 60 -o "$options" \
      start >/dev/null; then
    echo "pg_start: the server did not start on 127.0.0.1:$port:" >&2
    cat "$PG_DATA/log" >&2
    pg_stop
    return 1
  fi
  if ! "$bin/createdb" -h 127.0.0.1 -p "$port" -U imf imf_test; then
    pg_stop
    return 1
  fi
  export PG_BIN PG_DATA
  export IMF_TEST_PG_URL="postgresql://imf@127.0.0.1:$port/imf_test"
}

pg_stop() {
  [ -n "${PG_DATA:-}" ] || return 0
  if [ -f "$PG_DATA/data/postmaster.pid" ]; then
    _pg_as "$PG_BIN/pg_ctl" -D "$PG_DATA/data" -m fast -w stop >/dev/null 2>&1 || true
  fi
  rm -rf "$PG_DATA"
  unset PG_DATA IMF_TEST_PG_URL
}
