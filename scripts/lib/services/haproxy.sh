#!/usr/bin/env bash
# HAProxy for the replica test (e2e ReplicasBehindHaproxyTest): several control-plane instances on one PostgreSQL
# and one S3 store behind one load balancer. The backends' ports exist only once the test has started the
# instances, so the test writes its own configuration and runs this haproxy as its own process (and stops it);
# this script only makes sure the binary and the load generator's python3 are there. Appends ROBOFLARE_TEST_HAPROXY
# (the haproxy binary) to $RUN_DIR/env.
set -euo pipefail
cd "$(dirname "$0")/../../.."
: "${RUN_DIR:?RUN_DIR must be set (scripts/test sets it)}"

start() {
  # shellcheck source=scripts/lib/prerequisites.sh
  source scripts/lib/prerequisites.sh
  # Debian keeps haproxy in /usr/sbin, off a normal user's PATH.
  ensure_commands /usr/sbin/haproxy:haproxy python3:python3
  local version
  version=$(/usr/sbin/haproxy -v) || { echo "haproxy: /usr/sbin/haproxy -v failed" >&2; exit 1; }
  version=${version%%$'\n'*}
  echo "export ROBOFLARE_TEST_HAPROXY=/usr/sbin/haproxy" >>"$RUN_DIR/env"
  echo "haproxy: ${version%% - *} (each test starts its own, with its own backends)"
}

stop() {
  : # nothing runs between tests: each test stops the haproxy it started
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  *) echo "usage: $0 start|stop" >&2; exit 2 ;;
esac
