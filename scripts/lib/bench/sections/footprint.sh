# shellcheck shell=bash
# Sourced by scripts/bench. Section 1, agent footprint: time from exec to sd_notify READY=1, then RSS and CPU of
# an idle agent (nothing to deploy) polling every 10 s, with the unit's JVM flags and the shipped agent.conf
# defaults (--executor auto: no engine here, so it settles on symlink after the /_ping, as on an OT-2).
# Beside it, started just before it and sampled at the same moments: a bare JVM with the same flags that only
# sleeps (what the agent costs on top of the JVM) and Debian's mender-client (`mender daemon`, Go), polling an
# unreachable server every 10 s.

# bench_footprint RUNS IDLE_SECONDS
bench_footprint() {
  local runs=$1 idle=$2 r dir
  echo "==> agent footprint: $runs runs, ${idle} s idle each (poll interval 10 s)"
  cp_start "$BENCH_OUT/footprint/cp"
  fact "agent JVM flags (from $UNIT)" "$(agent_jvm_flags)"
  fact "agent environment (Environment= of $UNIT)" "$(unit_environment)"
  fact "mender-client" "$(mender --version 2>&1 | head -1 | tr '\t' ' ')"
  mkdir -p "$BENCH_OUT/footprint/sleep"
  javac -d "$BENCH_OUT/footprint/sleep" scripts/lib/bench/idle/Sleep.java
  for ((r = 1; r <= runs; r++)); do
    dir=$BENCH_OUT/footprint/run-$r
    mkdir -p "$dir"
    local robot
    robot=$(enroll "footprint-$r" "$dir/token")
    footprint_run "$dir" "$robot" "$idle"
  done
  cp_stop
}

footprint_run() {
  local dir=$1 robot=$2 idle=$3 listener ready_us line
  # systemd's side of Type=notify: a datagram socket in NOTIFY_SOCKET, READY=1 awaited
  coproc LISTEN { exec python3 scripts/lib/bench/ready_listener.py "$dir/notify.sock" 30; }
  listener=$LISTEN_PID
  read -r line <&"${LISTEN[0]}"
  [[ $line == listening ]] || die "the NOTIFY_SOCKET listener did not start"
  local bare mender
  bare_jvm_start "$dir/bare-jvm"
  bare=$STARTED_PID
  mender_start "$dir/mender"
  mender=$STARTED_PID
  NOTIFY_SOCKET=$dir/notify.sock agent_start "$dir" --poll-interval 10s
  local pid=$AGENT_PID t0=$AGENT_T0
  read -r ready_us <&"${LISTEN[0]}" || true
  wait "$listener" 2>/dev/null || true
  [[ $ready_us =~ ^[0-9]+$ ]] || { tail -5 "$dir/agent.log" >&2; die "the agent never sent READY=1"; }
  record footprint "time from exec to READY=1" ms le 1000 "$(((ready_us - t0) / 1000))"
  local ready_cpu
  ready_cpu=$(proc_cpu_ticks "$pid")

  # idle starts after the first poll has been answered (the control plane saw the robot)
  await_first_poll "$robot"
  sleep 1
  local i cpu0 cpu1 t_start t_end rss max_rss=0
  cpu0=$(proc_cpu_ticks "$pid")
  t_start=$(now_us)
  for ((i = 0; i < idle; i++)); do
    sleep 1
    kill -0 "$pid" 2>/dev/null || die "the agent exited while idle; see $dir/agent.log"
    kill -0 "$mender" 2>/dev/null || die "mender daemon exited; see $dir/mender/mender.log"
    rss=$(proc_status_kb "$pid" VmRSS)
    ((rss > max_rss)) && max_rss=$rss
  done
  cpu1=$(proc_cpu_ticks "$pid")
  t_end=$(now_us)
  rss=$(proc_status_kb "$pid" VmRSS)
  local bare_rss mender_rss
  bare_rss=$(proc_status_kb "$bare" VmRSS)
  mender_rss=$(proc_status_kb "$mender" VmRSS)
  record footprint "idle RSS at the end" MiB le 64 "$(kib_to_mib "$rss")"
  record footprint "bare JVM, same flags: idle RSS at the end" MiB - - "$(kib_to_mib "$bare_rss")"
  record footprint "mender-client: idle RSS at the end" MiB - - "$(kib_to_mib "$mender_rss")"
  record footprint "agent's share above the bare JVM" MiB le 8 "$(kib_to_mib "$((rss - bare_rss))")"
  record footprint "agent / mender-client, idle RSS" x - - "$(awk -v a="$rss" -v m="$mender_rss" 'BEGIN { printf "%.2f", a / m }')"
  record footprint "idle RSS, highest sample" MiB le 64 "$(kib_to_mib "$max_rss")"
  record footprint "peak RSS since start (VmHWM)" MiB - - "$(kib_to_mib "$(proc_status_kb "$pid" VmHWM)")"
  record footprint "idle CPU, % of one core" % le 0.5 \
    "$(awk -v t="$((cpu1 - cpu0))" -v hz="$CLK_TCK" -v us="$((t_end - t_start))" 'BEGIN { printf "%.3f", 100 * (t / hz) / (us / 1e6) }')"
  record footprint "CPU time until READY=1" ms - - "$((ready_cpu * 1000 / CLK_TCK))"
  agent_stop "$pid"
  agent_stop "$bare"
  agent_stop "$mender"
}

# bare_jvm_start DIR: a JVM with the unit's flags and environment that loads one class and sleeps; sets STARTED_PID.
# Without the agent's CDS archive, which is made for the agent's jar (the JDK's own archive is used, as by default).
bare_jvm_start() {
  mkdir -p "$1"
  (JVM_FLAGS=$(agent_jvm_flags | sed 's/ -XX:SharedArchiveFile=[^ ]*//') exec_unit_java -cp "$BENCH_OUT/footprint/sleep" Sleep) \
    >"$1/out.log" 2>&1 &
  STARTED_PID=$!
  BENCH_PIDS+=("$STARTED_PID")
}

# mender_start DIR: `mender daemon` with its state in DIR, polling an address where nothing listens every 10 s
# (update check, inventory, retry), without syslog; sets STARTED_PID. It reads the artifact name from the fixed
# /etc/mender/artifact_info, left alone here: each update check ends there, after the inventory attempt.
mender_start() {
  local dir=$1
  mkdir -p "$dir/data"
  echo "device_type=roboflare-bench" >"$dir/data/device_type"
  printf '{"ServerURL": "https://127.0.0.1:9", "UpdatePollIntervalSeconds": 10, "InventoryPollIntervalSeconds": 10, "RetryPollIntervalSeconds": 10, "DeviceTypeFile": "%s"}\n' \
    "$dir/data/device_type" >"$dir/mender.conf"
  mender --config "$dir/mender.conf" --fallback-config "$dir/none.conf" --data "$dir/data" --no-syslog \
    --log-file "$dir/mender.log" daemon >"$dir/out.log" 2>&1 &
  STARTED_PID=$!
  BENCH_PIDS+=("$STARTED_PID")
}
