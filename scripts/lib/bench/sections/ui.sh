# shellcheck shell=bash
# Sourced by scripts/bench. Section 5, the status page at fleet size: GET /ui with a read-write operator token over
# N robots that each have a history (two fleet deployments with applied, rolled back, failed and still dispatched
# outcomes, reported through the agent API by scripts/lib/bench/outcomes.py), timed by curl.

UI_TARGET_MS=300
UI_REQUESTS=5 # per figure and run: the median of these, after one warm-up request

# bench_ui RUNS N DATABASES
bench_ui() {
  local runs=$1 n=$2 databases=$3 db r
  fact "status page" "GET /ui with a bearer operator token, curl on keep-alive-less requests, median of $UI_REQUESTS after a warm-up"
  for db in ${databases//,/ }; do
    local dir=$BENCH_OUT/ui/$db
    echo "==> status page: $db, $n robots, $runs runs"
    cp_start_on "$db" "$dir/cp"
    python3 scripts/lib/bench/enroll.py "$CP_URL" "$OP_TOKEN" "$n" "$dir" >/dev/null
    local fleet rel1 rel2
    fleet=$(python3 -c 'import json, sys; print(json.dumps({"name": "bench", "robot_ids": open(sys.argv[1]).read().split()}))' \
      "$dir/ids" | api POST /api/fleets -H 'Content-Type: application/json' --data-binary @- | field id)
    app_tarball "$dir/app.tar" 'exec sleep 3600'
    rel1=$(publish "$dir/app.tar" app_tarball 1.0.0 '{"entrypoint":["bin/app"]}')
    rel2=$(publish "$dir/app.tar" app_tarball 1.1.0 '{"entrypoint":["bin/app"]}')
    local rel
    for rel in "$rel1" "$rel2"; do
      api POST /api/deployments -H 'Content-Type: application/json' -H "Idempotency-Key: bench-ui-$rel" \
        -d "{\"release_id\":\"$rel\",\"target_kind\":\"fleet\",\"target_id\":\"$fleet\",\"force\":true}" >/dev/null
      python3 scripts/lib/bench/outcomes.py "$CP_URL" "$dir/tokens" || die "the robots' outcomes were not stored"
    done
    for ((r = 1; r <= runs; r++)); do
      record ui "$db, $n robots: /ui, first page (attention first)" ms le $UI_TARGET_MS "$(ui_ms "/ui")"
      record ui "$db, $n robots: /ui?q=bench-99 (name search)" ms le $UI_TARGET_MS "$(ui_ms "/ui?q=bench-99")"
      record ui "$db, $n robots: /ui?status=attention" ms le $UI_TARGET_MS "$(ui_ms "/ui?status=attention")"
      record ui "$db, $n robots: /ui?page=100" ms le $UI_TARGET_MS "$(ui_ms "/ui?page=100")"
    done
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
