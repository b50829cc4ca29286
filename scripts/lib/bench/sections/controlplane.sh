# shellcheck shell=bash
# Sourced by scripts/bench. Section 4, the control plane under a fleet: agent polls per second with p50/p99 from
# wrk (a separate process, scripts/lib/bench/poll.lua) over N enrolled robots, and the time to create one fleet
# deployment that fans out to N robots. SQLite in the data dir, or a throwaway PostgreSQL
# (scripts/lib/services/postgres.sh, fsync off as for the tests: the figures are the control plane's, not the disk's).

WRK_THREADS=2
WRK_CONNECTIONS=32
POLL_TARGET=5000 # polls/s: 300,000 robots at a 60 s interval

# cp_start_on DB DIR [serve flags...]: the control plane on sqlite or on a fresh PostgreSQL database
cp_start_on() {
  local db=$1 dir=$2
  shift 2
  if [[ $db == sqlite ]]; then
    cp_start "$dir" "$@"
    return
  fi
  start_service postgres
  local name hostport=${ROBOFLARE_TEST_PG_URL#jdbc:postgresql://}
  name=bench_$(date +%s%N)
  hostport=${hostport%%/*}
  PGPASSWORD=$ROBOFLARE_TEST_PG_PASSWORD "$(pg_bin_dir)/psql" -q -h "${hostport%:*}" -p "${hostport#*:}" \
    -U "$ROBOFLARE_TEST_PG_USER" -d postgres -c "CREATE DATABASE $name" || die "cannot create database $name"
  mkdir -p "$dir"
  echo "$ROBOFLARE_TEST_PG_PASSWORD" >"$dir/pg-password"
  BENCH_PG_HOSTPORT=$hostport BENCH_PG_DB=$name # for bench_sql
  CP_DATABASE_URL=jdbc:postgresql://$hostport/$name # for more instances on the same database (section scale)
  cp_start "$dir" --database-url "$CP_DATABASE_URL" --database-user "$ROBOFLARE_TEST_PG_USER" \
    --database-password-file "$dir/pg-password" "$@"
}

# bench_sql DB DIR SQL: runs SQL on the database of the control plane cp_start_on DB DIR started (fixtures too big
# for the API's pace on a busy machine)
bench_sql() {
  if [[ $1 == sqlite ]]; then
    sqlite3 -cmd ".timeout 60000" "$2/data/roboflare.db" "$3" >/dev/null || die "sqlite3 failed: $3"
  else
    PGPASSWORD=$ROBOFLARE_TEST_PG_PASSWORD "$(pg_bin_dir)/psql" -q -v ON_ERROR_STOP=1 -h "${BENCH_PG_HOSTPORT%:*}" \
      -p "${BENCH_PG_HOSTPORT#*:}" -U "$ROBOFLARE_TEST_PG_USER" -d "$BENCH_PG_DB" -c "$3" >/dev/null ||
      die "psql failed: $3"
  fi
}

pg_bin_dir() {
  local d
  for d in /usr/lib/postgresql/*/bin; do [[ -x $d/psql ]] && { echo "$d"; return; }; done
  dirname "$(command -v psql)"
}

# bench_polls RUNS WRK_SECONDS DATABASES N...
bench_polls() {
  local runs=$1 secs=$2 databases=$3 db n r
  shift 3
  fact "poll load" "wrk -t$WRK_THREADS -c$WRK_CONNECTIONS (keep-alive), $secs s per run after a warm-up, robots round-robin"
  for db in ${databases//,/ }; do
    for n in "$@"; do
      local dir=$BENCH_OUT/polls/$db-$n
      echo "==> agent polls: $db, $n robots, $runs runs of $secs s"
      cp_start_on "$db" "$dir/cp"
      record polls "$db, $n robots: enrolment rate (setup)" robots/s - - \
        "$(python3 scripts/lib/bench/enroll.py "$CP_URL" "$OP_TOKEN" "$n" "$dir")"
      wrk_polls "$dir" "$((secs < 5 ? secs : 5))" >/dev/null # warm-up: JIT and connection pools
      for ((r = 1; r <= runs; r++)); do
        local mode pause label op requests duration p50 p99 max timeouts
        for mode in flat paced; do
          # paced: each connection pauses so the total is near the target rate, the load a fleet of that size makes
          pause=0 label="flat out" op=ge
          [[ $mode == paced ]] && pause=$((WRK_CONNECTIONS * 1000 / POLL_TARGET)) label="paced to $POLL_TARGET/s" op=-
          read -r requests duration p50 p99 max timeouts <<<"$(BENCH_PAUSE_MS=$pause wrk_polls "$dir" "$secs")"
          [[ -n $timeouts ]] || die "no wrk result for $db, $n robots"
          record polls "$db, $n robots, $label: polls per second" polls/s "$op" $POLL_TARGET "$(per_second "$requests" "$duration")"
          record polls "$db, $n robots, $label: p50 latency" ms - - "$(us_to_ms "$p50")"
          if [[ $mode == paced ]]; then
            record polls "$db, $n robots, $label: p99 latency" ms le 20 "$(us_to_ms "$p99")"
          else
            record polls "$db, $n robots, $label: p99 latency" ms - - "$(us_to_ms "$p99")"
          fi
          record polls "$db, $n robots, $label: slowest poll" ms - - "$(us_to_ms "$max")"
          record polls "$db, $n robots, $label: polls over wrk's 2 s timeout" polls - - "$timeouts"
        done
      done
      cp_stop
    done
  done
}

per_second() { awk -v q="$1" -v d="$2" 'BEGIN { printf "%.0f", q / (d / 1e6) }'; }
us_to_ms() { awk -v u="$1" 'BEGIN { printf "%.2f", u / 1000 }'; }

# wrk_polls DIR SECONDS -> "REQUESTS DURATION_US P50_US P99_US MAX_US TIMEOUTS". Dies on a non-2xx answer or a
# socket error (the poll was not measured); a request slower than wrk's 2 s timeout is counted and reported.
wrk_polls() {
  local line kv requests duration p50 p99 max socket_errors timeouts non2xx
  line=$(BENCH_TOKENS=$1/tokens wrk -t"$WRK_THREADS" -c"$WRK_CONNECTIONS" -d"${2}s" -s scripts/lib/bench/poll.lua \
    "$CP_URL" | grep '^BENCH ') || die "wrk printed no result"
  for kv in ${line#BENCH }; do
    case ${kv%%=*} in
      requests) requests=${kv#*=} ;; duration_us) duration=${kv#*=} ;; p50_us) p50=${kv#*=} ;;
      p99_us) p99=${kv#*=} ;; max_us) max=${kv#*=} ;; socket_errors) socket_errors=${kv#*=} ;;
      timeouts) timeouts=${kv#*=} ;; non2xx) non2xx=${kv#*=} ;;
    esac
  done
  ((socket_errors == 0 && non2xx == 0)) || die "wrk: $socket_errors socket errors, $non2xx non-2xx answers: $line"
  ((requests > 0)) || die "wrk made no requests"
  echo "$requests $duration $p50 $p99 $max $timeouts"
}

# bench_fleet RUNS N DATABASES: POST /api/deployments for a fleet of N robots, timed by curl; a new
# Idempotency-Key each run, so each run fans out N new child deployments
bench_fleet() {
  local runs=$1 n=$2 databases=$3 db r
  for db in ${databases//,/ }; do
    local dir=$BENCH_OUT/fleet/$db
    echo "==> fleet deployment: $db, $n robots, $runs runs"
    cp_start_on "$db" "$dir/cp"
    python3 scripts/lib/bench/enroll.py "$CP_URL" "$OP_TOKEN" "$n" "$dir" >/dev/null
    local fleet rel
    fleet=$(python3 -c 'import json, sys; print(json.dumps({"name": "bench", "robot_ids": open(sys.argv[1]).read().split()}))' \
      "$dir/ids" | api POST /api/fleets -H 'Content-Type: application/json' --data-binary @- | field id)
    app_tarball "$dir/app.tar" 'exec sleep 3600'
    rel=$(publish "$dir/app.tar" app_tarball 1.0.0 '{"entrypoint":["bin/app"]}')
    for ((r = 1; r <= runs; r++)); do
      local out status secs
      out=$(curl -sS -o "$dir/deployment-$r.json" -w '%{http_code} %{time_total}' -X POST \
        -H "Authorization: Bearer $OP_TOKEN" -H 'Content-Type: application/json' -H "Idempotency-Key: bench-fleet-$r" \
        -d "{\"release_id\":\"$rel\",\"target_kind\":\"fleet\",\"target_id\":\"$fleet\"}" "$CP_URL/api/deployments")
      read -r status secs <<<"$out"
      [[ $status == 201 ]] || die "fleet deployment -> $status: $(cat "$dir/deployment-$r.json")"
      record fleet "$db: create a $n-robot fleet deployment" ms le 1000 \
        "$(awk -v s="$secs" 'BEGIN { printf "%.0f", s * 1000 }')"
    done
    cp_stop
  done
}
