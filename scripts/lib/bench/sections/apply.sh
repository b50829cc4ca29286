# shellcheck shell=bash
# Sourced by scripts/bench. Section 2, apply throughput: an app tarball served by the control plane on loopback,
# download + verify + extract by the agent (the sum of its three phase timers, from --metrics-port) against the
# baseline `curl -s URL | tee >(sha256sum) | tar -x` of the same signed URL, alternating, in the same run.

# bench_apply RUNS TARBALL_MIB
bench_apply() {
  local runs=$1 mib=$2 dir=$BENCH_OUT/apply r
  echo "==> apply throughput: ${mib} MiB tarball, $runs runs (each: baseline, then the agent)"
  mkdir -p "$dir/agent" "$dir/baseline"
  cp_start "$dir/cp"
  app_tarball "$dir/app.tar" 'echo $$ >>"$PID_FILE"; exec sleep 3600' "$mib"
  local artifact agent_robot baseline_robot metrics_port
  artifact=$(upload "$dir/app.tar" app_tarball)
  agent_robot=$(enroll apply-agent "$dir/agent/token")
  baseline_robot=$(enroll apply-baseline "$dir/baseline/token")
  metrics_port=$(free_port)
  BENCH_APP_PIDFILES+=("$dir/app.pids")
  # --chunk-cache 0: every run downloads the artifact whole, as the baseline does (with the default cache the
  # second run of the same bytes becomes a delta download, which the delta section measures)
  agent_start "$dir/agent" --executor symlink --poll-interval 1s --watch-window 3s --metrics-port "$metrics_port" \
    --chunk-cache 0
  local pid=$AGENT_PID hwm_before manifest
  await_first_poll "$agent_robot"
  sleep 1
  hwm_before=$(proc_status_kb "$pid" VmHWM)
  manifest="{\"entrypoint\":[\"bin/app\"],\"env\":{\"PID_FILE\":\"$dir/app.pids\"}}"
  for ((r = 1; r <= runs; r++)); do
    local rel base_ms agent_ms phases
    rel=$(release "$artifact" "1.0.$r" "$manifest")
    base_ms=$(baseline_apply "$dir/baseline" "$rel" "$baseline_robot")
    read -r -a phases <<<"$(agent_apply "$dir" "$rel" "$agent_robot" "$metrics_port")"
    agent_ms=$((phases[0] + phases[1] + phases[2]))
    record apply "baseline curl | tee >(sha256sum) | tar -x" ms - - "$base_ms"
    record apply "agent download + verify + extract" ms - - "$agent_ms"
    record apply "agent download (hashing and extracting as it writes)" ms - - "${phases[0]}"
    record apply "agent verify" ms - - "${phases[1]}"
    record apply "agent extract (the rename)" ms - - "${phases[2]}"
    record apply "agent / baseline" x le 1.0 "$(awk -v a="$agent_ms" -v b="$base_ms" 'BEGIN { printf "%.2f", a / b }')"
    record apply "agent throughput" MiB/s - - "$(awk -v a="$agent_ms" -v m="$mib" 'BEGIN { printf "%.0f", m / (a / 1000) }')"
  done
  record apply "agent peak RSS (VmHWM) after start-up, before applying" MiB - - "$(kib_to_mib "$hwm_before")"
  record apply "agent peak RSS (VmHWM) after the applies" MiB - - "$(kib_to_mib "$(proc_status_kb "$pid" VmHWM)")"
  agent_stop "$pid"
  cp_stop
}

# baseline_apply DIR RELEASE ROBOT -> ms: what a shell script would do with the same signed URL
baseline_apply() {
  local dir=$1 rel=$2 robot=$3 url t0 t1 sum
  deploy "$rel" robot "$robot" >/dev/null
  url=$(curl -sS -H "Authorization: Bearer $(cat "$dir/token")" "$CP_URL/api/agent/deployments" | field download_url)
  [[ -n $url ]] || die "no download_url for the baseline robot"
  rm -rf "$dir/x" "$dir/sum"
  mkdir -p "$dir/x"
  t0=$(now_us)
  curl -s "$url" | tee >(sha256sum >"$dir/sum") | tar -x -C "$dir/x"
  wait $! # the sha256sum of the process substitution
  t1=$(now_us)
  sum=$(cut -d' ' -f1 "$dir/sum")
  [[ $sum == "$(sha256sum <"$BENCH_OUT/apply/app.tar" | cut -d' ' -f1)" ]] || die "baseline: wrong sha256 $sum"
  rm -rf "$dir/x"
  echo $(((t1 - t0) / 1000))
}

# agent_apply DIR RELEASE ROBOT METRICS_PORT -> "DOWNLOAD_MS VERIFY_MS EXTRACT_MS" of the agent's phase timers
agent_apply() {
  local dir=$1 rel=$2 robot=$3 port=$4 before after status
  before=$(phase_seconds "$port")
  status=$(await_final "$(deploy "$rel" robot "$robot")" 3600)
  [[ $status == applied ]] || die "the agent's deployment of $rel ended $status; see $dir/agent/agent.log"
  after=$(phase_seconds "$port")
  echo "$before $after" | awk '{ printf "%d %d %d", ($4 - $1) * 1000, ($5 - $2) * 1000, ($6 - $3) * 1000 }'
}

# phase_seconds PORT: the agent's total seconds so far in download, verify and extract
phase_seconds() {
  curl -sf "http://127.0.0.1:$1/metrics" | awk '
    /^roboflare_agent_phase_duration_seconds_sum\{/ { for (p in s) if ($0 ~ "phase=\"" p "\"") s[p] += $NF }
    BEGIN { s["download"] = 0; s["verify"] = 0; s["extract"] = 0 }
    END { printf "%.6f %.6f %.6f", s["download"], s["verify"], s["extract"] }'
}
