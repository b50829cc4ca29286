# shellcheck shell=bash
# Sourced by scripts/bench. Section 3, rollback latency: from the new app's exit to the previous app running again.
# Symlink executor: the apps write the times themselves (date +%s%N just before `exit 1`, and first thing when the
# previous app starts again). Docker executor: the engine's own State.FinishedAt of the new container and
# State.StartedAt of the previous one. The watch window is 3 s: its check interval is then 250 ms, the same as
# with the shipped 30 s (min(250 ms, window / 10)), so the figure includes up to one tick of detection.

# 1 s plus a random fraction, so the exit does not fall at the same point of the watch's 250 ms tick every run
crash_after() { printf '1.%03d' $((RANDOM % 1000)); }

# bench_rollback RUNS
bench_rollback() {
  local runs=$1 dir=$BENCH_OUT/rollback r
  echo "==> rollback latency, symlink executor: $runs runs"
  mkdir -p "$dir/robot"
  cp_start "$dir/cp"
  local robot status
  robot=$(enroll rollback "$dir/robot/token")
  BENCH_APP_PIDFILES+=("$dir/app.pids")
  agent_start "$dir/robot" --executor symlink --poll-interval 1s --watch-window 3s
  local pid=$AGENT_PID
  app_tarball "$dir/good.tar" 'date +%s%N >>"$START_FILE"; echo $$ >>"$PID_FILE"; exec sleep 3600'
  status=$(await_final "$(deploy "$(publish "$dir/good.tar" app_tarball 1.0.0 \
    "{\"entrypoint\":[\"bin/app\"],\"env\":{\"START_FILE\":\"$dir/starts\",\"PID_FILE\":\"$dir/app.pids\"}}")" \
    robot "$robot")" 120)
  [[ $status == applied ]] || die "the good release ended $status; see $dir/robot/agent.log"
  app_tarball "$dir/crash.tar" 'sleep "$CRASH_AFTER"; date +%s%N >"$EXIT_FILE"; echo "fatal: bench crash" >&2; exit 1'
  local crash_artifact
  crash_artifact=$(upload "$dir/crash.tar" app_tarball)
  for ((r = 1; r <= runs; r++)); do
    local rel exit_ns start_ns
    rel=$(release "$crash_artifact" "1.1.$r" "{\"entrypoint\":[\"bin/app\"],\"env\":{\"EXIT_FILE\":\"$dir/exit-$r\",\"CRASH_AFTER\":\"$(crash_after)\"}}")
    status=$(await_final "$(deploy "$rel" robot "$robot")" 120)
    [[ $status == rolled_back ]] || die "the crashing release ended $status, not rolled_back; see $dir/robot/agent.log"
    exit_ns=$(cat "$dir/exit-$r")
    start_ns=$(tail -1 "$dir/starts")
    ((start_ns > exit_ns)) || die "the previous app did not start again after the crash"
    record rollback "symlink: new app exit → previous app running" ms - - $(((start_ns - exit_ns) / 1000000))
  done
  agent_stop "$pid"
  cp_stop
}

# bench_docker_rollback RUNS: the same with container images on the Docker-API engine of
# scripts/lib/services/podman.sh (Podman's service and its busybox image, no internet needed). The crashed
# container is removed by the rollback, so the engine's FinishedAt is gone; the apps write the times instead, from
# /proc/uptime (the host kernel's clock, 10 ms steps: busybox date has no %N) into a bind-mounted directory.
bench_docker_rollback() {
  local runs=$1 dir=$BENCH_OUT/docker r
  echo "==> rollback latency, Docker executor (Podman's Docker API): $runs runs"
  start_service podman
  mkdir -p "$dir/robot" "$dir/marks"
  cp_start "$dir/cp"
  local robot status image good
  robot=$(enroll docker-rollback "$dir/robot/token")
  agent_start "$dir/robot" --executor docker --poll-interval 1s --watch-window 3s
  local pid=$AGENT_PID
  image=$(upload "$ROBOFLARE_TEST_BASE_IMAGE" container_image)
  good=$(release "$image" 1.0.0 "$(container_manifest 'read up rest </proc/uptime; echo $up >>/marks/starts; exec sleep 3600')")
  status=$(await_final "$(deploy "$good" robot "$robot")" 300)
  [[ $status == applied ]] || die "the good image ended $status; see $dir/robot/agent.log"
  for ((r = 1; r <= runs; r++)); do
    local rel exited started
    rel=$(release "$image" "1.1.$r" \
      "$(container_manifest "sleep $(crash_after); read up rest </proc/uptime; echo \$up >/marks/exit-$r; exit 1")")
    status=$(await_final "$(deploy "$rel" robot "$robot")" 300)
    [[ $status == rolled_back ]] || die "the crashing image ended $status, not rolled_back; see $dir/robot/agent.log"
    exited=$(cat "$dir/marks/exit-$r")
    started=$(tail -1 "$dir/marks/starts")
    record docker "docker: new container exit → previous running" ms - - \
      "$(awk -v s="$started" -v e="$exited" 'BEGIN { if (s <= e) exit 1; printf "%d", (s - e) * 1000 }')" ||
      die "the previous container did not start again after the crash"
  done
  agent_stop "$pid"
  cp_stop
}

# container_manifest SHELL_COMMAND -> manifest_json running it with the marks directory mounted
container_manifest() {
  python3 -c 'import json, sys; print(json.dumps({"cmd": ["sh", "-c", sys.argv[1]], "binds": [sys.argv[2] + ":/marks"]}))' \
    "$1" "$BENCH_OUT/docker/marks"
}
