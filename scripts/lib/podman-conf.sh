# Sourced by the scripts that drive Podman on this kind of host.

# write_podman_conf FILE — a containers.conf that works here: crun fails with these hosts' cgroups, runc with
# cgroupfs works; events go to a file so no journald is needed; ulimits are capped at what the host allows.
write_podman_conf() {
  local n
  n=$(ulimit -Hn)
  cat >"$1" <<CONF
[containers]
default_ulimits = ["nofile=$n:$n", "nproc=32768:32768"]

[engine]
runtime = "runc"
cgroup_manager = "cgroupfs"
events_logger = "file"
CONF
}
