#!/usr/bin/env bash
# The agent's .deb under real systemd: a Debian 12 rootfs (packaging/test/rootfs.sh, cached) booted in Podman with
# systemd as PID 1, the package installed inside, the agent pointed at the shipped control plane running on the
# host (the container shares the host's network). Checks, in order:
#   - installed without a token: not enabled, not started; the postinst says what to do
#   - token configured + dpkg-reconfigure: enabled, and active through Type=notify (READY=1, STATUS=)
#   - a deployment is applied and `journalctl -u roboflare-agent DEPLOYMENT_ID=…` shows its structured fields
#   - kill -9 of the agent during a deployment's watch: systemd restarts it, the deployment still ends applied,
#     and the app keeps running (same pid) while the agent restarts
#   - an upgrade to a newer .deb restarts the agent only, keeps config, state and the running app
#   - remove stops the agent, keeps config and state; purge removes them
# Run by scripts/test. Needs root, podman + runc, debootstrap (installed when missing). Fails loudly; never skips.
set -euo pipefail
cd "$(dirname "$0")/../.."
# shellcheck source=scripts/lib/prerequisites.sh
source scripts/lib/prerequisites.sh
ensure_commands podman:podman runc:runc debootstrap:debootstrap curl:curl dpkg-deb:dpkg fakeroot:fakeroot
[[ $(id -u) == 0 ]] || { echo "systemd-e2e: needs root (podman with systemd as PID 1)" >&2; exit 1; }

t0=$SECONDS
step() { echo "==> [$((SECONDS - t0))s] $*"; }
fail() { echo "systemd-e2e: FAILED: $*" >&2; exit 1; }

work=$(mktemp -d /tmp/roboflare-systemd-e2e.XXXXXX)
ctr=roboflare-systemd-e2e-$$
cp_pid=""
cleanup() {
  local rc=$?
  if ((rc != 0)); then
    echo "---- agent journal (last 60 lines)" >&2
    podman exec "$ctr" journalctl -u roboflare-agent --no-pager -n 60 >&2 2>/dev/null || true
    echo "---- control plane log (last 30 lines)" >&2
    tail -n 30 "$work/control-plane.log" >&2 2>/dev/null || true
  fi
  podman rm -f -t 2 "$ctr" >/dev/null 2>&1 || true
  [[ -n $cp_pid ]] && kill "$cp_pid" 2>/dev/null && wait "$cp_pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

# shellcheck source=scripts/lib/podman-conf.sh
source scripts/lib/podman-conf.sh
# shellcheck source=packaging/test/systemd-container.sh
source packaging/test/systemd-container.sh
write_podman_conf "$work/containers.conf"
export CONTAINERS_CONF=$work/containers.conf

step "building the jars (if missing) and two .debs (the second one to test an upgrade)"
if [[ ! -f control-plane/target/roboflare-control-plane.jar || ! -f agent/target/roboflare-agent.jar ]]; then
  mvn -B -q -pl control-plane,agent -am package -DskipTests
fi
deb1=$(scripts/package 2>/dev/null)
cp "$deb1" "$work/agent-1.deb"
base=$(dpkg-deb -f "$deb1" Version)
deb2=$(VERSION="$base+e2e1" scripts/package 2>/dev/null)
cp "$deb2" "$work/agent-2.deb"

step "the Debian 12 + systemd image (debootstrap once, then cached)"
image=$(packaging/test/rootfs.sh)

step "starting the control plane on the host"
# shellcheck source=scripts/lib/control-plane.sh
source scripts/lib/control-plane.sh
cp_launch control-plane/target/roboflare-control-plane.jar "$work/cp" "$work/control-plane.log" \
  || fail "the control plane exited at start"
cp_pid=$CP_PID cp_url=$CP_URL
robot_json=$(api POST /api/robots -H 'Content-Type: application/json' -d '{"name":"e2e-systemd"}')
robot_id=$(field id <<<"$robot_json")
robot_token=$(field token <<<"$robot_json")

step "booting $image with systemd as PID 1"
boot_systemd_container "$ctr" "$image"

step "installing the .deb without a token: it must not be enabled or started"
podman cp "$work/agent-1.deb" "$ctr:/tmp/agent-1.deb"
podman cp "$work/agent-2.deb" "$ctr:/tmp/agent-2.deb"
out=$(inside dpkg -i /tmp/agent-1.deb 2>&1) || fail "dpkg -i: $out"
grep -q 'no robot token' <<<"$out" || fail "the postinst did not say that the token is missing: $out"
[[ $(inside systemctl is-enabled roboflare-agent 2>&1) == disabled ]] || fail "enabled without a token"
[[ $(inside systemctl is-active roboflare-agent 2>&1) == inactive ]] || fail "started without a token"
inside test -f /usr/share/roboflare-agent/roboflare-agent.jar || fail "the jar is not where ExecStart looks"
inside getent passwd roboflare >/dev/null || fail "no roboflare user"
inside test -s /var/cache/roboflare-agent/agent.jsa ||
  fail "the postinst made no CDS archive: $(inside cat /var/cache/roboflare-agent/agent.jsa.log 2>&1 | tail -5)"

step "configuring the token and the control plane, dpkg-reconfigure: enabled and active through Type=notify"
inside sh -c "umask 027 && printf '%s\n' '$robot_token' >/etc/roboflare/robot-token && chgrp roboflare /etc/roboflare/robot-token"
inside sed -i "s|^control-plane=.*|control-plane=$cp_url|; s|^poll-interval=.*|poll-interval=1s|; s|^watch-window=.*|watch-window=8s|" \
  /etc/roboflare/agent.conf
inside sh -c 'echo robot-id=e2e-systemd >>/etc/roboflare/agent.conf'
inside env DEBIAN_FRONTEND=noninteractive dpkg-reconfigure roboflare-agent >/dev/null
[[ $(inside systemctl is-enabled roboflare-agent) == enabled ]] || fail "not enabled after the token was configured"
prop() { inside systemctl show -p "$1" --value roboflare-agent; }
for _ in $(seq 1 240); do
  [[ $(prop ActiveState) != activating ]] && break
  sleep 0.5
done
[[ $(prop ActiveState)/$(prop SubState) == active/running ]] || fail "the unit is $(prop ActiveState)/$(prop SubState)"
[[ $(prop Type) == notify ]] || fail "Type is $(prop Type)"
status_text=$(prop StatusText)
[[ -n $status_text ]] || fail "no STATUS= from the agent"
# the hardening is in force, not skipped: the agent's own mount namespace has /usr read-only, no new privileges
main=$(prop MainPID)
[[ $(inside awk '$5 == "/usr" { print $6 }' "/proc/$main/mountinfo") == ro,* ]] || fail "ProtectSystem=full is not in force"
inside grep -Eq '^NoNewPrivs:[[:space:]]+1' "/proc/$main/status" || fail "NoNewPrivileges=yes is not in force"
if inside journalctl -u roboflare-agent --no-pager | grep -Ei 'ignoring namespace|containerized'; then
  fail "systemd ignored part of the unit's sandboxing (see above)"
fi
# the agent runs with its class-data sharing archive (the JVM maps it; it would warn and go on without it)
inside grep -q /var/cache/roboflare-agent/agent.jsa "/proc/$main/maps" || fail "the agent does not use its CDS archive"
echo "    active/running, Status: $status_text, watchdog $(prop WatchdogUSec), /usr read-only for the agent, CDS archive mapped"

make_release() { # VERSION -> release id; the app writes its pid to /tmp/app-VERSION.pid and sleeps
  local v=$1 dir=$work/build/$1 artifact_id
  mkdir -p "$dir/bin"
  printf '#!/bin/sh\necho "lab app %s up, pid $$"\necho $$ >/tmp/app-%s.pid\nexec sleep 3600\n' "$v" "$v" >"$dir/bin/app"
  chmod 755 "$dir/bin/app"
  tar -C "$dir" -czf "$work/build/app-$v.tar.gz" .
  artifact_id=$(api POST "/api/artifacts?kind=app_tarball&name=lab-app" --data-binary "@$work/build/app-$v.tar.gz" | field id)
  api POST /api/releases -H 'Content-Type: application/json' \
    -d "{\"artifact_id\":\"$artifact_id\",\"semver\":\"$v\",\"notes\":\"e2e\",\"manifest_json\":{\"entrypoint\":[\"bin/app\"]}}" |
    field id
}
deploy() { # RELEASE_ID -> deployment id
  api POST /api/deployments -H 'Content-Type: application/json' -H "Idempotency-Key: e2e-$1" \
    -d "{\"release_id\":\"$1\",\"target_kind\":\"robot\",\"target_id\":\"$robot_id\"}" | field id
}
await_final() { # DEPLOYMENT -> final status
  local status=""
  for _ in $(seq 1 240); do
    status=$(api GET "/api/deployments/$1" | field status)
    case $status in applied | failed | rolled_back) echo "$status"; return 0 ;; esac
    sleep 0.5
  done
  echo "timeout (last status: $status)"
}
app_pid() { inside cat "/tmp/app-$1.pid" 2>/dev/null; }
alive() { inside kill -0 "$1" 2>/dev/null; }

step "deployment 1 (release 1.0.0): applied, with its structured fields in the journal"
r1=$(make_release 1.0.0)
d1=$(deploy "$r1")
s=$(await_final "$d1")
[[ $s == applied ]] || fail "deployment $d1 ended $s: $(api GET "/api/deployments/$d1/events")"
j=$(inside journalctl -u roboflare-agent --no-pager -o verbose "DEPLOYMENT_ID=$d1")
for f in "DEPLOYMENT_ID=$d1" RELEASE_SEMVER=1.0.0 PHASE=download PHASE=watch ROBOT_ID=e2e-systemd \
  SYSLOG_IDENTIFIER=roboflare-agent OUTCOME=; do
  grep -q "^ *$f" <<<"$j" || fail "journalctl -u roboflare-agent DEPLOYMENT_ID=$d1 has no $f:\n$j"
done
echo "    journal: $(grep -c '^ *MESSAGE=' <<<"$j") entries for DEPLOYMENT_ID=$d1"
p1=$(app_pid 1.0.0)
[[ -n $p1 ]] && alive "$p1" || fail "app 1.0.0 is not running"

step "deployment 2 (release 1.1.0): kill -9 of the agent during the watch"
r2=$(make_release 1.1.0)
d2=$(deploy "$r2")
for _ in $(seq 1 240); do
  inside grep -q '"phase" *: *"watch"' /var/lib/roboflare-agent/state.json 2>/dev/null && break
  sleep 0.25
done
inside grep -q '"phase" *: *"watch"' /var/lib/roboflare-agent/state.json || fail "the agent never reached the watch phase"
p2=""
for _ in $(seq 1 40); do p2=$(app_pid 1.1.0) && [[ -n $p2 ]] && break; sleep 0.25; done
[[ -n $p2 ]] || fail "app 1.1.0 did not write its pid"
main=$(prop MainPID)
restarts=$(prop NRestarts)
s=$(api GET "/api/deployments/$d2" | field status)
[[ $s == dispatched ]] || fail "deployment $d2 is already '$s' before the kill"
inside kill -9 "$main"
for _ in $(seq 1 120); do
  [[ $(prop NRestarts) -gt $restarts && $(prop ActiveState) == active ]] && break
  sleep 0.25
done
[[ $(prop NRestarts) -gt $restarts ]] || fail "systemd did not restart the agent after kill -9"
[[ $(prop ActiveState) == active ]] || fail "the unit is $(prop ActiveState) after the restart"
[[ $(prop MainPID) != "$main" ]] || fail "MainPID did not change"
alive "$p2" || fail "app 1.1.0 (pid $p2) died with the agent"
s=$(await_final "$d2")
[[ $s == applied ]] || fail "deployment $d2 ended $s after the kill: $(api GET "/api/deployments/$d2/events")"
alive "$p2" || fail "app 1.1.0 (pid $p2) is not running after the deployment ended"
echo "    agent $main killed, restarted as $(prop MainPID) (NRestarts=$(prop NRestarts)); app pid $p2 kept running; $d2 applied"

step "upgrading the package: only the agent restarts; config, state and the app stay"
main=$(prop MainPID)
out=$(inside dpkg -i /tmp/agent-2.deb 2>&1) || fail "upgrade: $out"
for _ in $(seq 1 240); do [[ $(prop ActiveState) == active ]] && break; sleep 0.5; done
[[ $(prop ActiveState) == active && $(prop MainPID) != "$main" ]] || fail "the agent was not restarted by the upgrade"
inside grep -q "^control-plane=$cp_url" /etc/roboflare/agent.conf || fail "the upgrade lost the config"
inside grep -q '1.1.0' /var/lib/roboflare-agent/state.json || fail "the upgrade lost the state"
alive "$p2" || fail "the upgrade stopped the app"

step "remove: the agent stops, config and state stay; purge: they go"
inside dpkg -r roboflare-agent >/dev/null
[[ $(inside systemctl is-active roboflare-agent 2>&1) != active ]] || fail "still active after remove"
inside test -f /etc/roboflare/agent.conf || fail "remove deleted agent.conf"
inside test -f /etc/roboflare/robot-token || fail "remove deleted the token"
inside test -f /var/lib/roboflare-agent/state.json || fail "remove deleted the state"
inside dpkg -P roboflare-agent >/dev/null
inside test ! -e /etc/roboflare || fail "purge left /etc/roboflare: $(inside ls -la /etc/roboflare)"
inside test ! -e /var/lib/roboflare-agent || fail "purge left /var/lib/roboflare-agent"

step "systemd end-to-end: all checks passed"
