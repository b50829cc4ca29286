#!/usr/bin/env bash
# The control plane's .deb under real systemd, in the same Debian 12 + systemd container as the agent's test
# (packaging/test/rootfs.sh, cached). Checks, in order:
#   - installed: the roboflare-cp user exists, the service is enabled and active and answers the operator token
#     from its data dir (--port 0 in /etc/default/roboflare-control-plane; the port is read from the journal)
#   - the data dir is 0700 and the database, its -wal/-shm, the token and an uploaded artifact are 0600, all owned
#     by roboflare-cp; UMask=0077 and the sandbox (read-only /usr, NoNewPrivs, no capabilities) are in force
#   - an upgrade restarts it and keeps the data; remove stops it; purge keeps the data dir and says so
# Run by packaging/test/run. Needs root, podman + runc, debootstrap (installed when missing). Fails loudly; never skips.
set -euo pipefail
cd "$(dirname "$0")/../.."
# shellcheck source=scripts/lib/prerequisites.sh
source scripts/lib/prerequisites.sh
ensure_commands podman:podman runc:runc debootstrap:debootstrap curl:curl dpkg-deb:dpkg fakeroot:fakeroot
[[ $(id -u) == 0 ]] || { echo "systemd-e2e-control-plane: needs root (podman with systemd as PID 1)" >&2; exit 1; }

t0=$SECONDS
step() { echo "==> [$((SECONDS - t0))s] $*"; }
fail() { echo "systemd-e2e-control-plane: FAILED: $*" >&2; exit 1; }

work=$(mktemp -d /tmp/roboflare-cp-systemd-e2e.XXXXXX)
ctr=roboflare-cp-systemd-e2e-$$
unit=roboflare-control-plane
data=/var/lib/roboflare-control-plane
cleanup() {
  local rc=$?
  if ((rc != 0)); then
    echo "---- control plane journal (last 60 lines)" >&2
    podman exec "$ctr" journalctl -u "$unit" --no-pager -n 60 >&2 2>/dev/null || true
  fi
  podman rm -f -t 2 "$ctr" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

# shellcheck source=scripts/lib/podman-conf.sh
source scripts/lib/podman-conf.sh
# shellcheck source=packaging/test/systemd-container.sh
source packaging/test/systemd-container.sh
write_podman_conf "$work/containers.conf"
export CONTAINERS_CONF=$work/containers.conf

step "building the jar (if missing) and two .debs (the second one to test an upgrade)"
if [[ ! -f control-plane/target/roboflare-control-plane.jar ]]; then
  mvn -B -q -pl control-plane -am package -DskipTests
fi
deb1=$(scripts/package control-plane 2>/dev/null)
cp "$deb1" "$work/cp-1.deb"
base=$(dpkg-deb -f "$deb1" Version)
deb2=$(VERSION="$base+e2e1" scripts/package control-plane 2>/dev/null)
cp "$deb2" "$work/cp-2.deb"

step "the Debian 12 + systemd image (debootstrap once, then cached)"
image=$(packaging/test/rootfs.sh)

step "booting $image with systemd as PID 1"
boot_systemd_container "$ctr" "$image"

step "installing the .deb (options: --bind 127.0.0.1 --port 0): enabled, active, answering"
podman cp "$work/cp-1.deb" "$ctr:/tmp/cp-1.deb"
podman cp "$work/cp-2.deb" "$ctr:/tmp/cp-2.deb"
# the options file is a conffile: written before the install, dpkg keeps it (as an admin's would be kept)
# --port 0: the server picks a free port and says which in its start-up line (read back from the journal below)
inside sh -c "mkdir -p /etc/default && echo 'ROBOFLARE_CONTROL_PLANE_ARGS=\"--bind 127.0.0.1 --port 0\"' >/etc/default/$unit"
out=$(inside env DEBIAN_FRONTEND=noninteractive dpkg -i --force-confold /tmp/cp-1.deb 2>&1) || fail "dpkg -i: $out"
grep -q 'operator token is in' <<<"$out" || fail "the postinst did not say where the operator token is: $out"
inside getent passwd roboflare-cp >/dev/null || fail "no roboflare-cp user"
[[ $(inside systemctl is-enabled "$unit" 2>&1) == enabled ]] || fail "not enabled"
prop() { inside systemctl show -p "$1" --value "$unit"; }
port=""
listening_port() { # the port of the running server's start-up line ("listening on http://127.0.0.1:PORT ...")
  inside journalctl -u "$unit" --no-pager _PID="$(prop MainPID)" 2>/dev/null |
    sed -n 's|.*listening on http://127\.0\.0\.1:\([0-9]*\).*|\1|p' | tail -n 1
}
answer() { curl -s -o /dev/null -w '%{http_code}' -m 5 -H "Authorization: Bearer $1" "http://127.0.0.1:$port/api/robots" || true; }
token=""
for _ in $(seq 1 120); do
  token=$(inside cat "$data/operator-token" 2>/dev/null || true)
  port=$(listening_port)
  [[ -n $token && -n $port && $(answer "$token") == 200 ]] && break
  sleep 0.5
done
[[ $(prop ActiveState)/$(prop SubState) == active/running ]] || fail "the unit is $(prop ActiveState)/$(prop SubState)"
[[ $(answer "$token") == 200 ]] || fail "GET /api/robots with the data dir's token did not answer 200"
[[ $(answer wrong) == 401 ]] || fail "a wrong token was not refused"

step "the data dir and its files belong to roboflare-cp alone; the sandbox is in force"
curl -sf -m 10 -H "Authorization: Bearer $token" --data-binary @packaging/control-plane.default \
  "http://127.0.0.1:$port/api/artifacts?kind=app_tarball&name=e2e" >/dev/null || fail "upload failed"
[[ $(inside stat -c '%a %U' "$data") == "700 roboflare-cp" ]] || fail "$data is $(inside stat -c '%a %U' "$data")"
for f in roboflare.db roboflare.db-wal roboflare.db-shm operator-token download-signing-key; do
  [[ $(inside stat -c '%a %U' "$data/$f") == "600 roboflare-cp" ]] || fail "$f is $(inside stat -c '%a %U' "$data/$f")"
done
blob=$(inside sh -c "ls $data/artifacts/sha256/* | head -n 1")
[[ $(inside stat -c '%a %U' "$blob") == "600 roboflare-cp" ]] || fail "the artifact blob is $(inside stat -c '%a %U' "$blob")"
[[ $(prop UMask) == 0077 ]] || fail "UMask is $(prop UMask)"
main=$(prop MainPID)
# ProtectSystem=strict: the root file system itself is read-only for the server (ReadWritePaths= excepted)
[[ $(inside awk '$5 == "/" { print $6 }' "/proc/$main/mountinfo" | tail -n 1) == ro,* ]] || fail "ProtectSystem=strict is not in force"
[[ $(inside awk '$5 == "/var/lib/roboflare-control-plane" { print $6 }' "/proc/$main/mountinfo" | tail -n 1) == rw,* ]] ||
  fail "the data dir is not writable for the server"
inside grep -Eq '^NoNewPrivs:[[:space:]]+1' "/proc/$main/status" || fail "NoNewPrivileges=yes is not in force"
inside grep -Eq '^CapEff:[[:space:]]+0+$' "/proc/$main/status" || fail "the server has capabilities"
if inside journalctl -u "$unit" --no-pager | grep -Ei 'ignoring namespace|containerized'; then
  fail "systemd ignored part of the unit's sandboxing (see above)"
fi

step "upgrade: restarted, the data and the token kept"
out=$(inside env DEBIAN_FRONTEND=noninteractive dpkg -i --force-confold /tmp/cp-2.deb 2>&1) || fail "upgrade: $out"
for _ in $(seq 1 120); do
  port=$(listening_port)
  [[ $(prop MainPID) != "$main" && -n $port && $(answer "$token") == 200 ]] && break
  sleep 0.5
done
[[ $(prop MainPID) != "$main" ]] || fail "the upgrade did not restart the server"
[[ $(answer "$token") == 200 ]] || fail "the token from before the upgrade does not work"
[[ $(curl -s -m 5 -H "Authorization: Bearer $token" "http://127.0.0.1:$port/api/artifacts") == *'"name":"e2e"'* ]] \
  || fail "the upgrade lost the artifact"

step "remove stops it; purge keeps the data dir and says so"
inside dpkg -r "$unit" >/dev/null
[[ $(inside systemctl is-active "$unit" 2>&1) != active ]] || fail "still active after remove"
out=$(inside dpkg -P "$unit" 2>&1)
grep -q 'is kept' <<<"$out" || fail "purge did not say that the data dir is kept: $out"
inside test -f "$data/roboflare.db" || fail "purge deleted the database"
inside test ! -e "/etc/default/$unit" || fail "purge left /etc/default/$unit"

step "control plane systemd end-to-end: all checks passed"
