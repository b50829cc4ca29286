# shellcheck shell=bash
# Sourced by scripts/bench. Section "delta" (issue 18): a gzipped app tarball of APP_MIB MiB whose one CHANGED_MIB
# MiB file changes in each new release. The agent (warm chunk cache: it applied the previous release) downloads
# only the missing chunks; beside it, in the same run, Debian's casync on the same pair of tars: `casync make` on
# the control-plane side, `casync extract --seed=<previous tar>` on the robot side, its store served over HTTP by a
# server that counts the bytes it sends.

# bench_delta RUNS APP_MIB CHANGED_MIB
bench_delta() {
  local runs=$1 mib=$2 changed=$3 dir=$BENCH_OUT/delta r
  echo "==> delta: a ${mib} MiB app tarball whose ${changed} MiB file changes, $runs runs (the agent, then casync)"
  mkdir -p "$dir/tree/bin" "$dir/tree/share" "$dir/agent" "$dir/casync/store" "$dir/casync/out"
  printf '#!/bin/sh\necho $$ >>"$PID_FILE"; exec sleep 3600\n' >"$dir/tree/bin/app"
  chmod 755 "$dir/tree/bin/app"
  head -c "$(((mib - changed) * 1024 * 1024))" /dev/urandom >"$dir/tree/share/model.bin"
  cp_start "$dir/cp"
  local robot metrics_port manifest rel dep status before after base_ms whole_robot whole_port
  robot=$(enroll delta-agent "$dir/agent/token")
  metrics_port=$(free_port)
  BENCH_APP_PIDFILES+=("$dir/app.pids")
  agent_start "$dir/agent" --executor symlink --poll-interval 1s --watch-window 3s --metrics-port "$metrics_port" \
    --chunk-cache "$((2 * mib + 64))M"
  local pid=$AGENT_PID
  await_first_poll "$robot"
  # the baseline: today's robot, no chunk cache, downloading each release whole on the same loopback
  mkdir -p "$dir/whole"
  whole_robot=$(enroll delta-whole "$dir/whole/token")
  whole_port=$(free_port)
  agent_start "$dir/whole" --executor symlink --poll-interval 1s --watch-window 3s --metrics-port "$whole_port" \
    --chunk-cache 0
  local whole_pid=$AGENT_PID
  await_first_poll "$whole_robot"
  manifest="{\"entrypoint\":[\"bin/app\"],\"env\":{\"PID_FILE\":\"$dir/app.pids\"}}"
  python3 scripts/lib/bench/counting_http.py "$dir/casync" "$dir/casync/port" &
  BENCH_PIDS+=("$!")
  local i
  for ((i = 0; i < 50; i++)); do [[ -s $dir/casync/port ]] && break; sleep 0.1; done
  local store_url=http://127.0.0.1:$(cat "$dir/casync/port")

  delta_version "$dir" 0 "$changed"
  rel=$(publish "$dir/v0.tar.gz" app_tarball 1.0.0 "$manifest")
  before=$(phase_seconds "$metrics_port")
  status=$(await_final "$(deploy "$rel" robot "$robot")" 3600)
  [[ $status == applied ]] || die "the base release ended $status; see $dir/agent/agent.log"
  after=$(phase_seconds "$metrics_port")
  base_ms=$(echo "$before $after" | awk '{ printf "%d", ($4 - $1 + $5 - $2 + $6 - $3) * 1000 }')
  casync make --store="$dir/casync/store" "$dir/casync/v0.caibx" "$dir/v0.tar" >/dev/null

  for ((r = 1; r <= runs; r++)); do
    local t0 t1 make_ms upload_ms rf_bytes rf_fetch_ms rf_apply_ms cs_bytes cs_ms artifact_bytes
    delta_version "$dir" "$r" "$changed"
    artifact_bytes=$(stat -c %s "$dir/v$r.tar.gz")
    t0=$(now_us)
    rel=$(publish "$dir/v$r.tar.gz" app_tarball "1.0.$r" "$manifest")
    t1=$(now_us)
    upload_ms=$(((t1 - t0) / 1000))
    # Each apply starts with nothing left to write back (the upload's 2 x 500 MiB, the other robot's release are
    # flushed first), and the two robots take turns going first, so neither pays for the other's writes.
    local whole_ms
    if ((r % 2)); then
      delta_apply "$rel" "$r"
      whole_apply "$rel" "$r"
    else
      whole_apply "$rel" "$r"
      delta_apply "$rel" "$r"
    fi

    t0=$(now_us)
    casync make --store="$dir/casync/store" "$dir/casync/v$r.caibx" "$dir/v$r.tar" >/dev/null
    t1=$(now_us)
    make_ms=$(((t1 - t0) / 1000))
    curl -sf "$store_url/__bytes" >/dev/null # start counting
    rm -f "$dir/casync/out/v$r.tar"
    sync
    t0=$(now_us)
    casync extract --store="$store_url/store" --seed="$dir/v$((r - 1)).tar" "$store_url/v$r.caibx" \
      "$dir/casync/out/v$r.tar" >/dev/null 2>&1 || die "casync extract of v$r failed"
    t1=$(now_us)
    cs_ms=$(((t1 - t0) / 1000))
    cs_bytes=$(curl -sf "$store_url/__bytes")
    cmp -s "$dir/casync/out/v$r.tar" "$dir/v$r.tar" || die "casync rebuilt another v$r.tar"
    rm -f "$dir/v$((r - 1)).tar" "$dir/v$((r - 1)).tar.gz" "$dir/casync/out/v$r.tar"

    record delta "artifact (gzipped tarball)" MiB - - "$(awk -v b="$artifact_bytes" 'BEGIN { printf "%.1f", b / 1048576 }')"
    record delta "Roboflare bytes on the wire (index + missing chunks)" MiB - - "$(awk -v b="$rf_bytes" 'BEGIN { printf "%.2f", b / 1048576 }')"
    record delta "casync bytes on the wire (caibx + missing chunks)" MiB - - "$(awk -v b="$cs_bytes" 'BEGIN { printf "%.2f", b / 1048576 }')"
    record delta "Roboflare bytes / artifact" % le 5 "$(awk -v a="$rf_bytes" -v b="$artifact_bytes" 'BEGIN { printf "%.2f", 100 * a / b }')"
    record delta "Roboflare bytes / casync bytes" x le 1 "$(awk -v a="$rf_bytes" -v b="$cs_bytes" 'BEGIN { printf "%.3f", a / b }')"
    record delta "Roboflare fetch + rebuild + verify (agent download + verify)" ms - - "$rf_fetch_ms"
    record delta "casync extract --seed (fetch + rebuild)" ms - - "$cs_ms"
    record delta "Roboflare / casync wall time" x le 1 "$(awk -v a="$rf_fetch_ms" -v b="$cs_ms" 'BEGIN { printf "%.2f", a / b }')"
    record delta "delta apply (download + verify + extract), warm cache" ms - - "$rf_apply_ms"
    record delta "whole apply of the same release, no chunk cache (--chunk-cache 0)" ms - - "$whole_ms"
    record delta "delta apply / whole apply without a cache" x le 1 "$(awk -v a="$rf_apply_ms" -v b="$whole_ms" 'BEGIN { printf "%.2f", a / b }')"
    record delta "control plane: upload + chunk index" ms - - "$upload_ms"
    record delta "casync make" ms - - "$make_ms"
  done
  record delta "whole apply of the first release, cold cache (includes seeding the cache)" ms - - "$base_ms"
  agent_stop "$pid"
  agent_stop "$whole_pid"
  cp_stop
}

# delta_apply RELEASE N: the cached robot applies it; sets rf_fetch_ms, rf_apply_ms, rf_bytes (the caller's locals)
delta_apply() {
  local rel=$1 r=$2 before after dep status
  sync
  before=$(phase_seconds "$metrics_port")
  dep=$(deploy "$rel" robot "$robot")
  status=$(await_final "$dep" 3600)
  [[ $status == applied ]] || die "release 1.0.$r ended $status; see $dir/agent/agent.log"
  after=$(phase_seconds "$metrics_port")
  rf_fetch_ms=$(echo "$before $after" | awk '{ printf "%d", ($4 - $1 + $5 - $2) * 1000 }')
  rf_apply_ms=$(echo "$before $after" | awk '{ printf "%d", ($4 - $1 + $5 - $2 + $6 - $3) * 1000 }')
  rf_bytes=$(api GET "/api/deployments/$dep/events" | grep -o 'bytes_downloaded=[0-9]* via=[a-z]*' | tail -1)
  [[ $rf_bytes == *via=delta ]] || die "release 1.0.$r was not a delta download ($rf_bytes); see $dir/agent/agent.log"
  rf_bytes=${rf_bytes#bytes_downloaded=}
  rf_bytes=${rf_bytes% via=*}
}

# whole_apply RELEASE N: the robot without a cache applies it; sets whole_ms
whole_apply() {
  local rel=$1 r=$2 before after status
  sync
  before=$(phase_seconds "$whole_port")
  status=$(await_final "$(deploy "$rel" robot "$whole_robot")" 3600)
  [[ $status == applied ]] || die "release 1.0.$r ended $status on the no-cache robot; see $dir/whole/agent.log"
  after=$(phase_seconds "$whole_port")
  whole_ms=$(echo "$before $after" | awk '{ printf "%d", ($4 - $1 + $5 - $2 + $6 - $3) * 1000 }')
}

# delta_version DIR N CHANGED_MIB: DIR/vN.tar and DIR/vN.tar.gz with a fresh CHANGED_MIB MiB share/calibration.bin
delta_version() {
  local dir=$1 n=$2 changed=$3
  head -c "$((changed * 1024 * 1024))" /dev/urandom >"$dir/tree/share/calibration.bin"
  tar --sort=name --mtime=@1700000000 --owner=0 --group=0 --numeric-owner -C "$dir/tree" -cf "$dir/v$n.tar" .
  gzip -1 -n -c "$dir/v$n.tar" >"$dir/v$n.tar.gz"
}
