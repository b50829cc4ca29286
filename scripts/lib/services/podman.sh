#!/usr/bin/env bash
# A real Docker-API engine for the Docker executor's tests: podman's Docker-compatible service on a unix socket
# under $RUN_DIR, a tiny busybox image built offline (no internet needed), and a local registry on
# 127.0.0.1:5000 for pulls by digest. Appends DOCKER_HOST, CONTAINERS_CONF, CONTAINERS_REGISTRIES_CONF,
# ROBOFLARE_TEST_BASE_IMAGE (a docker-save archive of localhost/tiny:1) and ROBOFLARE_TEST_REGISTRY to $RUN_DIR/env.
set -euo pipefail
cd "$(dirname "$0")/../../.."
: "${RUN_DIR:?RUN_DIR must be set (scripts/test sets it)}"
D="$RUN_DIR/podman"
REGISTRY_PORT=5000

start() {
  # shellcheck source=scripts/lib/prerequisites.sh
  source scripts/lib/prerequisites.sh
  ensure_commands podman:podman runc:runc busybox:busybox-static docker-registry:docker-registry curl:curl
  # the image has no libc: its busybox must be the static one (Debian's plain busybox package is dynamic)
  if ldd "$(command -v busybox)" >/dev/null 2>&1; then
    if [ "$(id -u)" = 0 ]; then
      DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends busybox-static >/dev/null
    fi
    if ldd "$(command -v busybox)" >/dev/null 2>&1; then
      echo "podman: $(command -v busybox) is dynamically linked; install busybox-static" >&2
      exit 1
    fi
  fi
  mkdir -p "$D"
  # shellcheck source=scripts/lib/podman-conf.sh
  source scripts/lib/podman-conf.sh
  write_podman_conf "$D/containers.conf"
  cat >"$D/registries.conf" <<CONF
unqualified-search-registries = []

[[registry]]
location = "127.0.0.1:$REGISTRY_PORT"
insecure = true
CONF
  export CONTAINERS_CONF="$D/containers.conf" CONTAINERS_REGISTRIES_CONF="$D/registries.conf"

  podman system service --time=0 "unix://$D/podman.sock" >"$D/podman.log" 2>&1 &
  echo $! >"$D/podman.pid"
  local i
  for ((i = 0; i < 100; i++)); do
    [[ $(curl -s --max-time 2 --unix-socket "$D/podman.sock" http://d/_ping 2>/dev/null) == OK ]] && break
    sleep 0.2
  done
  if [[ $(curl -s --max-time 2 --unix-socket "$D/podman.sock" http://d/_ping 2>/dev/null) != OK ]]; then
    echo "podman: the engine at $D/podman.sock does not answer /_ping; its log:" >&2
    cat "$D/podman.log" >&2
    exit 1
  fi

  # The base image, without internet: busybox-static and one symlink per applet the tests use.
  local root="$D/rootfs"
  rm -rf "$root"
  mkdir -p "$root/bin" "$root/etc" "$root/tmp"
  cp "$(command -v busybox)" "$root/bin/busybox"
  for a in sh sleep echo cat ls true false env seq kill; do ln -s busybox "$root/bin/$a"; done
  echo 'root:x:0:0:root:/root:/bin/sh' >"$root/etc/passwd"
  tar -C "$root" -cf "$D/rootfs.tar" .
  # imported once per machine: importing again would leave the previous copy behind as a dangling image
  podman image exists localhost/tiny:1 ||
    podman import -q --change 'CMD ["/bin/sh"]' "$D/rootfs.tar" localhost/tiny:1 >/dev/null
  rm -f "$D/tiny.tar"
  podman save -q --format docker-archive -o "$D/tiny.tar" localhost/tiny:1 >/dev/null

  cat >"$D/registry.yml" <<CONF
version: 0.1
storage:
  filesystem:
    rootdirectory: $D/registry
http:
  addr: 127.0.0.1:$REGISTRY_PORT
CONF
  docker-registry serve "$D/registry.yml" >"$D/registry.log" 2>&1 &
  echo $! >"$D/registry.pid"
  for ((i = 0; i < 100; i++)); do
    curl -sf --max-time 2 "http://127.0.0.1:$REGISTRY_PORT/v2/" >/dev/null 2>&1 && break
    sleep 0.2
  done
  if ! curl -sf --max-time 2 "http://127.0.0.1:$REGISTRY_PORT/v2/" >/dev/null; then
    echo "podman: the registry on 127.0.0.1:$REGISTRY_PORT does not answer; its log:" >&2
    cat "$D/registry.log" >&2
    exit 1
  fi

  cat >>"$RUN_DIR/env" <<ENV
export DOCKER_HOST=unix://$D/podman.sock
export CONTAINERS_CONF=$D/containers.conf
export CONTAINERS_REGISTRIES_CONF=$D/registries.conf
export ROBOFLARE_TEST_BASE_IMAGE=$D/tiny.tar
export ROBOFLARE_TEST_REGISTRY=127.0.0.1:$REGISTRY_PORT
ENV
  echo "podman: engine on unix://$D/podman.sock, registry on 127.0.0.1:$REGISTRY_PORT"
}

stop() {
  local f pid
  export CONTAINERS_CONF="$D/containers.conf" CONTAINERS_REGISTRIES_CONF="$D/registries.conf"
  # containers the tests left behind (they carry the roboflare labels) go with the engine
  if [[ -f $D/podman.pid ]]; then
    podman ps -aq --filter label=roboflare.release_id 2>/dev/null | xargs -r podman rm -f -t 1 >/dev/null 2>&1 || true
  fi
  for f in "$D/registry.pid" "$D/podman.pid"; do
    [[ -f $f ]] || continue
    pid=$(cat "$f")
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$pid" 2>/dev/null || true
    rm -f "$f"
  done
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  *) echo "usage: $0 start|stop" >&2; exit 2 ;;
esac
