#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for the control plane's tests: initdb + pg_ctl under $RUN_DIR/postgres, listening
# on 127.0.0.1 only (no unix socket outside $RUN_DIR), on a free port. Appends ROBOFLARE_TEST_PG_URL,
# ROBOFLARE_TEST_PG_USER and ROBOFLARE_TEST_PG_PASSWORD to $RUN_DIR/env. Tests create their own databases in it.
set -euo pipefail
cd "$(dirname "$0")/../../.."
: "${RUN_DIR:?RUN_DIR must be set (scripts/test sets it)}"
D="$RUN_DIR/postgres"
PG_USER=roboflare
PG_PASSWORD=roboflare-test

pg_bin() {
  local dir
  for dir in /usr/lib/postgresql/*/bin; do
    [[ -x $dir/pg_ctl ]] && { echo "$dir"; return 0; }
  done
  command -v pg_ctl >/dev/null && { dirname "$(command -v pg_ctl)"; return 0; }
  return 1
}

# Runs a PostgreSQL binary as the cluster's owner: initdb and postgres refuse to run as root.
as_owner() {
  if [[ $(id -u) == 0 ]]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

start() {
  # shellcheck source=scripts/lib/prerequisites.sh
  source scripts/lib/prerequisites.sh
  if ! pg_bin >/dev/null; then
    # Debian's postgresql package keeps initdb/pg_ctl in /usr/lib/postgresql/<major>/bin, off PATH.
    ensure_commands /usr/lib/postgresql/15/bin/pg_ctl:postgresql
  fi
  local bin port
  bin=$(pg_bin)
  mkdir -p "$D"
  if [[ $(id -u) == 0 ]]; then
    chown postgres: "$D"
    chmod 0711 "$RUN_DIR" # the postgres user must reach $D
  fi
  echo "$PG_PASSWORD" >"$D/pwfile"
  [[ $(id -u) == 0 ]] && chown postgres: "$D/pwfile"
  as_owner "$bin/initdb" -D "$D/data" -U "$PG_USER" --pwfile="$D/pwfile" -A scram-sha-256 -E UTF8 \
    --no-locale --no-sync >"$D/initdb.log" 2>&1 || { cat "$D/initdb.log" >&2; exit 1; }
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])' 2>/dev/null \
    || shuf -i 20000-60000 -n 1)
  # fsync off: a test cluster that dies is thrown away anyway. max_connections covers several pools at once.
  if ! as_owner "$bin/pg_ctl" -D "$D/data" -l "$D/server.log" -w -t 30 \
      -o "-h 127.0.0.1 -p $port -k $D -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" \
      start >/dev/null; then
    echo "postgres: the server did not start; its log:" >&2
    cat "$D/server.log" >&2
    exit 1
  fi
  echo "$port" >"$D/port"
  {
    echo "export ROBOFLARE_TEST_PG_URL=jdbc:postgresql://127.0.0.1:$port/postgres"
    echo "export ROBOFLARE_TEST_PG_USER=$PG_USER"
    echo "export ROBOFLARE_TEST_PG_PASSWORD=$PG_PASSWORD"
  } >>"$RUN_DIR/env"
  echo "postgres: listening on 127.0.0.1:$port (data $D/data)"
}

stop() {
  [[ -d $D/data ]] || return 0
  as_owner "$(pg_bin)/pg_ctl" -D "$D/data" -m immediate -w stop >/dev/null 2>&1 || true
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  *) echo "usage: $0 start|stop" >&2; exit 2 ;;
esac
