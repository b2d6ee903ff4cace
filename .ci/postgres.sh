# Source this file (bash) to get a throwaway PostgreSQL for the tests: installs the Debian package
# when missing (as root), starts a server as an unprivileged user in a temporary data directory,
# listening on 127.0.0.1 only on a free port, and exports TEST_DATABASE_URL. `pg_test_stop` (also
# run on exit) stops it and removes the directory.

pg_test_start() {
  local bin
  bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
  if [ -z "$bin" ]; then
    if [ "$(id -u)" -ne 0 ]; then
      echo "postgres.sh: PostgreSQL is not installed; run as root or: apt-get install postgresql" >&2
      return 1
    fi
    apt-get update -qq >/dev/null
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
    bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
  fi

  # The server refuses to run as root: run it as `postgres` (created by the package) when root.
  local user as
  user=$(id -un)
  if [ "$(id -u)" -eq 0 ]; then
    user=postgres
    id postgres >/dev/null 2>&1 || useradd --system --no-create-home postgres
  fi
  as() { if [ "$(id -un)" = "$user" ]; then "$@"; else runuser -u "$user" -- "$@"; fi; }

  PG_TEST_DIR=$(mktemp -d /tmp/peacedesk-pg.XXXXXX)
  chmod 700 "$PG_TEST_DIR"
  [ "$(id -u)" -eq 0 ] && chown "$user" "$PG_TEST_DIR"
  local password port
  password=$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')
  printf '%s\n' "$password" >"$PG_TEST_DIR/pwfile"
  [ "$(id -u)" -eq 0 ] && chown "$user" "$PG_TEST_DIR/pwfile"
  as "$bin/initdb" -D "$PG_TEST_DIR/data" -U peacedesk --pwfile="$PG_TEST_DIR/pwfile" \
    --auth-host=scram-sha-256 --auth-local=peer -E UTF8 --no-instructions >"$PG_TEST_DIR/initdb.log" 2>&1 ||
    { cat "$PG_TEST_DIR/initdb.log" >&2; return 1; }
  # A free port: ask the kernel for one, then let the server take it.
  port=$(node -e "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})")
  as "$bin/pg_ctl" -D "$PG_TEST_DIR/data" -l "$PG_TEST_DIR/server.log" -w -t 60 start \
    -o "-c listen_addresses=127.0.0.1 -p $port -k $PG_TEST_DIR -c max_connections=300 -c fsync=off" >/dev/null ||
    { cat "$PG_TEST_DIR/server.log" >&2; return 1; }
  PG_TEST_BIN=$bin
  PG_TEST_USER=$user
  export TEST_DATABASE_URL="postgres://peacedesk:$password@127.0.0.1:$port/postgres"
  trap pg_test_stop EXIT
  echo "PostgreSQL $("$bin/postgres" --version | awk '{print $3}') for the tests on 127.0.0.1:$port" >&2
}

pg_test_stop() {
  [ -n "${PG_TEST_DIR:-}" ] || return 0
  if [ "$(id -un)" = "$PG_TEST_USER" ]; then
    "$PG_TEST_BIN/pg_ctl" -D "$PG_TEST_DIR/data" -m fast -w stop >/dev/null 2>&1 || true
  else
    runuser -u "$PG_TEST_USER" -- "$PG_TEST_BIN/pg_ctl" -D "$PG_TEST_DIR/data" -m fast -w stop >/dev/null 2>&1 || true
  fi
  rm -rf "$PG_TEST_DIR"
  PG_TEST_DIR=
}
