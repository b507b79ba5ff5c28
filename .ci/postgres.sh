# Start and stop a throwaway PostgreSQL server on loopback (sourced by .ci/run).
# pg_start exports IMF_TEST_PG_URL for the tests.

pg_bin() {
  ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1
}

pg_start() {
  local bin port
  bin="$(pg_bin)"
  PG_DATA="$(mktemp -d /tmp/imf-pg.XXXXXX)"
  port=54329
  chown -R postgres "$PG_DATA" 2>/dev/null || true
  local as=()
  [ "$(id -u)" = 0 ] && as=(runuser -u postgres --)
  "${as[@]}" "$bin/initdb" -q -D "$PG_DATA/data" -U imf --auth=trust >/dev/null
  "${as[@]}" "$bin/pg_ctl" -D "$PG_DATA/data" -l "$PG_DATA/log" -w \
    -o "-h 127.0.0.1 -p $port -k $PG_DATA" start >/dev/null
  "${as[@]}" "$bin/createdb" -h 127.0.0.1 -p "$port" -U imf imf_test
  export IMF_TEST_PG_URL="postgresql://imf@127.0.0.1:$port/imf_test"
  export PG_BIN="$bin"
}

pg_stop() {
  [ -n "${PG_DATA:-}" ] || return 0
  local as=()
  [ "$(id -u)" = 0 ] && as=(runuser -u postgres --)
  "${as[@]}" "$PG_BIN/pg_ctl" -D "$PG_DATA/data" -m fast -w stop >/dev/null 2>&1 || true
  rm -rf "$PG_DATA"
}
