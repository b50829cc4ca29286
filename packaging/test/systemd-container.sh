# Sourced by the systemd end-to-end tests: the image from rootfs.sh booted with systemd as PID 1.

# boot_systemd_container NAME IMAGE — starts the container on the host's network with CAP_SYS_ADMIN, as systemd
# has on a robot (without it systemd cannot make a unit's mount namespace and silently drops ProtectSystem=,
# ReadWritePaths=, ProtectKernelTunables= and the like: "assuming containerized execution"), and waits until the
# system is running. `inside CMD...` runs a command in it. Calls the sourcing script's fail() otherwise.
boot_systemd_container() {
  ctr=$1
  podman run -d --name "$ctr" --cap-add SYS_ADMIN --systemd=always --network host "$2" /sbin/init >/dev/null
  local state="" _
  for _ in $(seq 1 120); do
    state=$(inside systemctl is-system-running 2>/dev/null) || true
    [[ $state == running || $state == degraded ]] && break
    sleep 0.5
  done
  [[ $state == running ]] ||
    fail "systemd in the container is '$state' (failed units: $(inside systemctl --failed --no-legend 2>&1))"
}

inside() { podman exec "$ctr" "$@"; }
