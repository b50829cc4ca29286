# shellcheck shell=bash
# Sourced by scripts/bench. Section 1, agent footprint: time from exec to sd_notify READY=1, then RSS and CPU of
# an idle agent (nothing to deploy) polling every 10 s, with the unit's JVM flags and the shipped agent.conf
# defaults (--executor auto: no engine here, so it settles on symlink after the /_ping, as on an OT-2).

# bench_footprint RUNS IDLE_SECONDS
bench_footprint() {
  local runs=$1 idle=$2 r dir
  echo "==> agent footprint: $runs runs, ${idle} s idle each (poll interval 10 s)"
  cp_start "$BENCH_OUT/footprint/cp"
  fact "agent JVM flags (from $UNIT)" "${AGENT_JVM_FLAGS:-$(unit_jvm_flags)}"
  fact "agent environment (Environment= of $UNIT)" "$(unit_environment)"
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
    rss=$(proc_status_kb "$pid" VmRSS)
    ((rss > max_rss)) && max_rss=$rss
  done
  cpu1=$(proc_cpu_ticks "$pid")
  t_end=$(now_us)
  rss=$(proc_status_kb "$pid" VmRSS)
  record footprint "idle RSS at the end" MiB le 64 "$(awk -v k="$rss" 'BEGIN { printf "%.1f", k / 1024 }')"
  record footprint "idle RSS, highest sample" MiB le 64 "$(awk -v k="$max_rss" 'BEGIN { printf "%.1f", k / 1024 }')"
  record footprint "peak RSS since start (VmHWM)" MiB - - \
    "$(awk -v k="$(proc_status_kb "$pid" VmHWM)" 'BEGIN { printf "%.1f", k / 1024 }')"
  record footprint "idle CPU, % of one core" % le 0.5 \
    "$(awk -v t="$((cpu1 - cpu0))" -v hz="$CLK_TCK" -v us="$((t_end - t_start))" 'BEGIN { printf "%.3f", 100 * (t / hz) / (us / 1e6) }')"
  record footprint "CPU time until READY=1" ms - - "$((ready_cpu * 1000 / CLK_TCK))"
  agent_stop "$pid"
}
