# shellcheck shell=bash
# Sourced by scripts/bench. Section 5, the status page at fleet size: GET /ui with an operator token over N robots
# that each have a history: two fleet deployments to all of them made through the API (1.0.0, then 1.1.0), whose
# outcomes are written straight into the database (bench_sql) after each: one robot in 16 rolled back, one in 16
# failed, one in 16 still dispatched (superseded by the second), the rest applied; one in 16 never seen, the others
# seen now. Through the agent API that is 2N event reports, which a busy SQLite takes minutes for at N = 10,000.

UI_TARGET_MS=300
UI_REQUESTS=5 # per figure and run: the median of these, after one warm-up request
UI_CPU_REQUESTS=20

# bench_ui RUNS N DATABASES
bench_ui() {
  local runs=$1 n=$2 databases=$3 db r
  fact "status page" "GET /ui with a bearer operator token (curl, a new connection each), median of $UI_REQUESTS after a warm-up"
  for db in ${databases//,/ }; do
    local dir=$BENCH_OUT/ui/$db
    echo "==> status page: $db, $n robots, $runs runs"
    cp_start_on "$db" "$dir/cp"
    python3 scripts/lib/bench/enroll.py "$CP_URL" "$OP_TOKEN" "$n" "$dir" >/dev/null
    local fleet rel parent semver
    fleet=$(python3 -c 'import json, sys; print(json.dumps({"name": "bench", "robot_ids": open(sys.argv[1]).read().split()}))' \
      "$dir/ids" | api POST /api/fleets -H 'Content-Type: application/json' --data-binary @- | field id)
    app_tarball "$dir/app.tar" 'exec sleep 3600'
    for semver in 1.0.0 1.1.0; do
      rel=$(publish "$dir/app.tar" app_tarball "$semver" '{"entrypoint":["bin/app"]}')
      parent=$(api POST /api/deployments -H 'Content-Type: application/json' -H "Idempotency-Key: bench-ui-$semver" \
        -d "{\"release_id\":\"$rel\",\"target_kind\":\"fleet\",\"target_id\":\"$fleet\"}" |
        python3 -c 'import json, sys; print(json.load(sys.stdin)["id"])') # 10,000 children: not for grep | head
      bench_sql "$db" "$dir/cp" "INSERT INTO deployment_events (deployment_id, seq, event_id, status, detail,
        reported_by, created_at) SELECT id, 3, 'bench-' || id, CASE substr(robot_id, 1, 1) WHEN '0' THEN 'rolled_back'
        WHEN '1' THEN 'failed' ELSE 'applied' END, 'bench outcome of release $semver', 'robot', $(now_us)
        FROM deployments WHERE parent_id = '$parent' AND substr(robot_id, 1, 1) <> '2';
        UPDATE robots SET last_seen_at = $(now_us) WHERE substr(id, 1, 1) <> '3';"
    done
    for ((r = 1; r <= runs; r++)); do
      record ui "$db, $n robots: /ui, first page (attention first)" ms le $UI_TARGET_MS "$(ui_ms "/ui")"
      record ui "$db, $n robots: /ui?q=bench-99 (name search)" ms le $UI_TARGET_MS "$(ui_ms "/ui?q=bench-99")"
      record ui "$db, $n robots: /ui?status=attention" ms le $UI_TARGET_MS "$(ui_ms "/ui?status=attention")"
      record ui "$db, $n robots: /ui?page=100 (the 100th page of 50)" ms le $UI_TARGET_MS "$(ui_ms "/ui?page=100")"
    done
    local ticks i
    ticks=$(proc_cpu_ticks "$CP_PID")
    for ((i = 0; i < UI_CPU_REQUESTS; i++)); do
      curl -sS -o /dev/null -H "Authorization: Bearer $OP_TOKEN" "$CP_URL/ui" || die "GET /ui failed"
    done
    # CPU the control plane process spent per page: what a busy machine does not inflate (with SQLite it includes
    # the queries, which run in the process; PostgreSQL's side is not counted)
    record ui "$db, $n robots: control-plane CPU time per first page" ms - - \
      "$(awk -v t="$(($(proc_cpu_ticks "$CP_PID") - ticks))" -v hz="$CLK_TCK" -v n="$UI_CPU_REQUESTS" \
        'BEGIN { printf "%.0f", t * 1000 / hz / n }')"
    record ui "$db, $n robots: size of the first page" KiB - - \
      "$(curl -sS -o /dev/null -w '%{size_download}' -H "Authorization: Bearer $OP_TOKEN" "$CP_URL/ui" |
        awk '{ printf "%.0f", $1 / 1024 }')"
    cp_stop
  done
}

# ui_ms PATH -> the median time_total in ms of UI_REQUESTS GETs, after one warm-up; dies on a non-200 answer
ui_ms() {
  local i out status secs times=()
  for ((i = 0; i <= UI_REQUESTS; i++)); do
    out=$(curl -sS -o /dev/null -w '%{http_code} %{time_total}' -H "Authorization: Bearer $OP_TOKEN" "$CP_URL$1")
    read -r status secs <<<"$out"
    [[ $status == 200 ]] || die "GET $1 -> $status"
    ((i == 0)) || times+=("$secs")
  done
  printf '%s\n' "${times[@]}" | sort -n | awk '{ a[NR] = $1 } END { printf "%.0f", a[int((NR + 1) / 2)] * 1000 }'
}
