# shellcheck shell=bash
# Sourced by scripts/bench. Section 5, a fleet at scale: three control-plane instances on one PostgreSQL database
# behind HAProxy (round robin, as scripts/lib/services/haproxy.sh's test runs it), N robots enrolled through the
# API, and scripts/lib/bench/fleet_sim.py (a separate process) polling as those N robots at a 60 s interval with
# jittered starts for the whole run (longer, up to twice, until every robot has applied). While it polls, one fleet deployment to all N robots is created in waves of
# N/4; the simulated robots report each dispatched deployment as applied, which lets the next wave go out.
# Figures: polls/s, p50/p99, errors, time to create the deployment, to dispatch the last wave, to see all applied.
# Artifacts stay in each instance's data dir: the simulated robots never download (the polls and the fan-out are
# what is measured).

SCALE_INSTANCES=3

# haproxy_start DIR PORT BACKEND_URL...: HAProxy on 127.0.0.1:PORT in front of the instances; sets HAPROXY_PID
haproxy_start() {
  local dir=$1 port=$2 i=0 url
  shift 2
  # 10 minutes: creating a 100k-robot fleet deployment is one long request on a busy machine
  {
    printf 'global\n  maxconn 4096\ndefaults\n  mode http\n  timeout connect 1s\n  timeout client 10m\n'
    printf '  timeout server 10m\n  retries 3\n  option redispatch 1\nfrontend api\n  bind 127.0.0.1:%s\n' "$port"
    printf '  default_backend control_planes\nbackend control_planes\n  balance roundrobin\n'
    for url in "$@"; do
      i=$((i + 1))
      printf '  server cp%d %s check inter 1s\n' "$i" "${url#http://}"
    done
  } >"$dir/haproxy.cfg"
  /usr/sbin/haproxy -db -f "$dir/haproxy.cfg" >"$dir/haproxy.log" 2>&1 &
  HAPROXY_PID=$!
  BENCH_PIDS+=("$HAPROXY_PID")
  for ((i = 0; i < 50; i++)); do
    curl -s -o /dev/null "http://127.0.0.1:$port/api/robots" && return 0
    sleep 0.2
  done
  die "haproxy did not answer on $port: $(tail -5 "$dir/haproxy.log")"
}

# scale_sql QUERY: one row, columns separated by spaces, from the database of cp_start_on
scale_sql() {
  local hostport=${CP_DATABASE_URL#jdbc:postgresql://}
  local name=${hostport#*/}
  hostport=${hostport%%/*}
  PGPASSWORD=$ROBOFLARE_TEST_PG_PASSWORD "$(pg_bin_dir)/psql" -qAt -F ' ' -h "${hostport%:*}" -p "${hostport#*:}" \
    -U "$ROBOFLARE_TEST_PG_USER" -d "$name" -c "$1"
}

# bench_scale N SECONDS INTERVAL
bench_scale() {
  local n=$1 secs=$2 interval=$3 dir=$BENCH_OUT/scale i urls=() pids=()
  fact "fleet at scale" "$SCALE_INSTANCES instances on one PostgreSQL behind HAProxy; fleet_sim.py as $n robots polling every ${interval}s (±10%, jittered starts), 32 connections, for ${secs}s"
  echo "==> fleet at scale: $n robots on $SCALE_INSTANCES instances, ${secs}s at a ${interval}s interval"
  mkdir -p "$dir"
  cp_start_on postgres "$dir/cp1" --scheduler-interval 5s
  urls+=("$CP_URL")
  pids+=("$CP_PID")
  local admin_url=$CP_URL admin_token=$OP_TOKEN
  for ((i = 2; i <= SCALE_INSTANCES; i++)); do
    cp_start "$dir/cp$i" --scheduler-interval 5s --database-url "$CP_DATABASE_URL" --database-user "$ROBOFLARE_TEST_PG_USER" \
      --database-password-file "$dir/cp1/pg-password"
    urls+=("$CP_URL")
    pids+=("$CP_PID")
  done
  # Each instance has its own admin token; a token issued through the API lives in the shared database.
  CP_URL=$admin_url OP_TOKEN=$admin_token
  api POST /api/orgs -H 'Content-Type: application/json' -d '{"name":"bench"}' >/dev/null
  OP_TOKEN=$(api POST /api/operator-tokens -H 'Content-Type: application/json' \
    -d '{"name":"bench","org":"bench"}' | field token)
  local port
  port=$(free_port)
  haproxy_start "$dir" "$port" "${urls[@]}"
  CP_URL=http://127.0.0.1:$port

  record scale "$n robots: enrolment rate through HAProxy (setup)" robots/s - - \
    "$(python3 scripts/lib/bench/enroll.py "$CP_URL" "$OP_TOKEN" "$n" "$dir")"
  local fleet rel
  # One request takes about 25,000 ids (1 MB JSON bodies) and PUT /api/fleets/{id}/robots/{robot_id} answers with the
  # whole fleet, so the first 20,000 members go through the API and the rest straight into fleet_robots (setup only).
  fleet=$(head -n 20000 "$dir/ids" | python3 -c 'import json, sys; print(json.dumps({"name": "scale", "robot_ids": sys.stdin.read().split()}))' |
    api POST /api/fleets -H 'Content-Type: application/json' --data-binary @- | field id)
  [[ -n $fleet ]] || die "cannot create the fleet"
  scale_sql "INSERT INTO fleet_robots (fleet_id, robot_id, added_at) SELECT '$fleet', id, created_at FROM robots
    WHERE org = 'bench' ON CONFLICT DO NOTHING" >/dev/null
  app_tarball "$dir/app.tar" 'exec sleep 3600'
  rel=$(publish "$dir/app.tar" app_tarball 1.0.0 '{"entrypoint":["bin/app"]}')

  python3 scripts/lib/bench/fleet_sim.py --url "$CP_URL" --tokens "$dir/tokens" --interval "$interval" \
    --duration "$secs" --connections 32 --apply --until-applied "$n" --out "$dir/sim.json" >"$dir/sim.log" 2>&1 &
  local sim=$! load_start load_end
  BENCH_PIDS+=("$sim")
  load_start=$(cut -d' ' -f1 /proc/loadavg) # the machine may be shared: the figures below are taken under this load
  sleep $((interval < 10 ? interval : 10)) # the first polls are out: the deployment lands on a fleet that polls
  local wave=$(((n + 3) / 4)) out status secs_create t0 parent dispatched_at="" applied_at=""
  t0=$(now_us)
  out=$(curl -sS -o "$dir/deployment.json" -w '%{http_code} %{time_total}' -X POST \
    -H "Authorization: Bearer $OP_TOKEN" -H 'Content-Type: application/json' -H "Idempotency-Key: bench-scale" \
    -d "{\"release_id\":\"$rel\",\"target_kind\":\"fleet\",\"target_id\":\"$fleet\",\"batch_size\":$wave,\"max_failure_ratio\":1}" \
    "$CP_URL/api/deployments")
  read -r status secs_create <<<"$out"
  [[ $status == 201 ]] || die "fleet deployment -> $status: $(head -c 300 "$dir/deployment.json")"
  # not `field`: its grep | head would end on SIGPIPE over a 100k-child answer
  parent=$(python3 -c 'import json, sys; print(json.load(sys.stdin)["id"])' <"$dir/deployment.json")
  record scale "create a $n-robot fleet deployment (waves of $wave)" ms le 10000 \
    "$(awk -v s="$secs_create" 'BEGIN { printf "%.0f", s * 1000 }')"
  # Progress from the database itself (psql), not the API: a 100k-child view every second would be load of its own.
  local waves=$(((n + wave - 1) / wave)) dispatched applied running=true
  while $running; do
    kill -0 "$sim" 2>/dev/null || running=false # one more look after the simulator's last report
    read -r dispatched applied < <(scale_sql "SELECT
        (SELECT count(*) FROM deployment_events WHERE deployment_id = '$parent' AND status = 'dispatched'),
        (SELECT count(*) FROM deployments d JOIN deployment_events e ON e.deployment_id = d.id
          WHERE d.parent_id = '$parent' AND e.status = 'applied')")
    [[ -z $dispatched_at ]] && ((dispatched >= waves)) && dispatched_at=$(now_us)
    [[ -z $applied_at ]] && ((applied >= n)) && applied_at=$(now_us)
    if $running; then sleep 1; fi
  done
  wait "$sim" || die "fleet_sim.py failed: $(tail -5 "$dir/sim.log")"
  load_end=$(cut -d' ' -f1 /proc/loadavg)
  local line
  line=$(grep '^FLEET_SIM ' "$dir/sim.log") || die "fleet_sim.py printed no result"
  python3 - "${line#FLEET_SIM }" >"$dir/figures" <<'PY'
import json, sys
r = json.loads(sys.argv[1])
errors = sum(r["errors"].values()) + sum(v for k, v in r["answers"].items() if not k.split()[1].startswith("2"))
print(r["polls_per_second"], r["p50_ms"], r["p99_ms"], errors, r["start_lag_p99_ms"])
PY
  local pps p50 p99 errors lag
  read -r pps p50 p99 errors lag <"$dir/figures"
  record scale "load average (1 min) when the polling started, on $(nproc) cores" load - - "$load_start"
  record scale "load average (1 min) when the polling ended" load - - "$load_end"
  record scale "$n robots every ${interval}s: polls per second (offered: $((n / interval))/s)" polls/s - - "$pps"
  record scale "$n robots every ${interval}s: p50 latency (poll, through HAProxy)" ms - - "$p50"
  record scale "$n robots every ${interval}s: p99 latency (poll, through HAProxy)" ms le 50 "$p99"
  record scale "$n robots every ${interval}s: p99 of how late the simulator started a poll (its own lag)" ms - - "$lag"
  record scale "$n robots every ${interval}s: errors (non-2xx answers, connection errors, timeouts)" errors le 0 "$errors"
  # after the poll figures: a rollout that did not finish still leaves them in the table
  record scale "$n-robot fleet deployment: children applied when the run ended" children - - \
    "$applied"
  record scale "$n-robot fleet deployment: waves dispatched when the run ended" waves - - "$dispatched"
  # A rollout that did not finish leaves these two out (the counts above say how far it got) and the report is
  # still written: the poll figures are what the run is for.
  if [[ -n $dispatched_at ]]; then
    record scale "$n-robot fleet deployment: last wave dispatched after" s - - \
      "$(awk -v a="$t0" -v b="$dispatched_at" 'BEGIN { printf "%.1f", (b - a) / 1e6 }')"
  else
    echo "    (the last wave was not dispatched within the run)"
  fi
  if [[ -n $applied_at ]]; then
    record scale "$n-robot fleet deployment: all $n applied after" s - - \
      "$(awk -v a="$t0" -v b="$applied_at" 'BEGIN { printf "%.1f", (b - a) / 1e6 }')"
  else
    echo "    (not every robot had applied within the run)"
  fi
  kill "$HAPROXY_PID" 2>/dev/null || true
  for i in "${pids[@]}"; do kill "$i" 2>/dev/null || true; done
  for i in "${pids[@]}"; do wait "$i" 2>/dev/null || true; done
}
