# shellcheck shell=bash
# Sourced by scripts/bench: the shipped jars as real processes, the operator API, result rows.
# Every helper fails loudly: a measurement that cannot be taken ends the run, it is never reported as a number.

CP_JAR=control-plane/target/roboflare-control-plane.jar
AGENT_JAR=agent/target/roboflare-agent.jar
UNIT=systemd/roboflare-agent.service

# Pids and app process groups this run started; stopped on exit, each by its own id.
BENCH_PIDS=()
BENCH_APP_PIDFILES=()

die() {
  echo "bench: $*" >&2
  exit 1
}

bench_cleanup() {
  local f pgid pid
  for f in "${BENCH_APP_PIDFILES[@]}"; do # apps live in their own session: they outlive the agent by design
    [[ -f $f ]] || continue
    while read -r pid; do
      pgid=$(ps -o pgid= -p "$pid" 2>/dev/null | tr -d ' ') || true
      [[ -n $pgid ]] && kill -TERM -- "-$pgid" 2>/dev/null || true
    done <"$f"
  done
  for pid in "${BENCH_PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${BENCH_PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
}

now_us() { echo "${EPOCHREALTIME/./}"; }

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

# ---- result rows: SECTION<TAB>FIGURE<TAB>UNIT<TAB>OP<TAB>TARGET<TAB>VALUE, one per run; report.py takes medians.
# OP is le (value must be at most TARGET), ge (at least) or - (no target; reported only).
record() {
  local section=$1 figure=$2 unit=$3 op=$4 target=$5 value=$6
  [[ $value =~ ^-?[0-9]+([.][0-9]+)?$ ]] || die "$section / $figure: no measurement (got '$value')"
  printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$section" "$figure" "$unit" "$op" "$target" "$value" >>"$BENCH_OUT/results.tsv"
  printf '    %-44s %s %s\n' "$figure" "$value" "$unit"
}

# A fact about the run (the machine, the JVM, the flags), shown above the tables.
fact() { printf '%s\t%s\n' "$1" "$2" >>"$BENCH_OUT/facts.tsv"; }

# ---- the control plane
# shellcheck source=scripts/lib/control-plane.sh
source scripts/lib/control-plane.sh
# cp_start DIR [serve flags...]: sets CP_PID, CP_URL, OP_TOKEN (scripts/lib/control-plane.sh, which also gives
# api and field).
cp_start() {
  local dir=$1
  shift
  mkdir -p "$dir"
  cp_launch "$CP_JAR" "$dir/data" "$dir/control-plane.log" "$@" || die "the control plane did not start"
  BENCH_PIDS+=("$CP_PID")
}

cp_stop() {
  kill "$CP_PID" 2>/dev/null || true
  wait "$CP_PID" 2>/dev/null || true
}

# enroll NAME TOKEN_FILE -> robot id
enroll() {
  local json
  json=$(api POST /api/robots -H 'Content-Type: application/json' -d "{\"name\":\"$1\"}")
  field token <<<"$json" >"$2"
  chmod 600 "$2"
  field id <<<"$json"
}

# upload FILE KIND -> artifact id
upload() {
  api POST "/api/artifacts?kind=$2&name=bench-app" -H "Content-Type: application/octet-stream" \
    -T "$1" | field id # -T streams the file; --data-binary would read it all into memory
}

# release ARTIFACT SEMVER MANIFEST_JSON -> release id
release() {
  api POST /api/releases -H 'Content-Type: application/json' \
    -d "{\"artifact_id\":\"$1\",\"semver\":\"$2\",\"notes\":\"bench\",\"manifest_json\":$3}" | field id
}

# publish FILE KIND SEMVER MANIFEST_JSON -> release id
publish() { release "$(upload "$1" "$2")" "$3" "$4"; }

# deploy RELEASE TARGET_KIND TARGET_ID -> deployment id
deploy() {
  api POST /api/deployments -H 'Content-Type: application/json' -H "Idempotency-Key: bench-$RANDOM$RANDOM" \
    -d "{\"release_id\":\"$1\",\"target_kind\":\"$2\",\"target_id\":\"$3\"}" | field id
}

# await_final DEPLOYMENT TIMEOUT_S -> final status (applied, failed, rolled_back); dies on timeout.
await_final() {
  local status="" end=$((SECONDS + $2))
  while ((SECONDS < end)); do
    status=$(api GET "/api/deployments/$1" | field status)
    case $status in applied | failed | rolled_back) echo "$status"; return 0 ;; esac
    sleep 0.1
  done
  die "deployment $1 did not finish within $2 s (last status: ${status:-none})"
}

# ---- the agent, with the JVM flags of the shipped unit
# The words between the java binary and -jar on ExecStart (continuation lines joined).
unit_jvm_flags() {
  sed -n '/^ExecStart=/,/[^\\]$/p' "$UNIT" | tr -d '\\\n' | sed 's/^ExecStart=[^ ]*//; s/ -jar .*//' | xargs
}

# The unit's Environment= assignments (KEY=VALUE words), which systemd gives the agent's JVM as well.
unit_environment() {
  sed -n 's/^Environment=//p' "$UNIT" | xargs
}

# The unit's class-data sharing archive (made by the package from a training run); the bench makes its own of
# $AGENT_JAR the same way, once per run, and gives the agent that one.
UNIT_CDS_ARCHIVE=/var/cache/roboflare-agent/agent.jsa

# The JVM flags the bench runs the agent with: AGENT_JVM_FLAGS, or the unit's with the bench's CDS archive (left
# out when none could be made).
agent_jvm_flags() {
  local f=${AGENT_JVM_FLAGS:-$(unit_jvm_flags)}
  if [[ -s $BENCH_OUT/agent.jsa ]]; then
    echo "${f//$UNIT_CDS_ARCHIVE/$BENCH_OUT/agent.jsa}"
  else
    echo "${f// -XX:SharedArchiveFile=$UNIT_CDS_ARCHIVE/}"
  fi
}

# make_cds_archive: $BENCH_OUT/agent.jsa for $AGENT_JAR, by the packages' own script (as a robot does at install);
# a jar that cannot make one (an older agent, compared with AGENT_JAR=...) runs without, and the report says so
make_cds_archive() {
  if packaging/make-cds-archive "$BENCH_OUT/agent.jsa" "$AGENT_JAR" 2>/dev/null; then
    fact "agent CDS archive" "made for $AGENT_JAR by packaging/make-cds-archive, as the packages do at install"
  else
    fact "agent CDS archive" "none: packaging/make-cds-archive failed for $AGENT_JAR ($BENCH_OUT/agent.jsa.log)"
  fi
}

# exec_unit_java ARGS...: replaces the (sub)shell with java, with the agent's JVM flags (JVM_FLAGS when set) and
# the unit's environment
exec_unit_java() {
  local flags env_words
  read -r -a flags <<<"${JVM_FLAGS:-$(agent_jvm_flags)}"
  read -r -a env_words <<<"$(unit_environment)"
  ((${#env_words[@]} == 0)) || export "${env_words[@]}"
  exec java "${flags[@]}" "$@"
}

# agent_start DIR [agent flags...]: a robot's agent with the unit's JVM flags and environment; sets AGENT_PID and AGENT_T0
# (epoch µs just before exec). NOTIFY_SOCKET, when exported by the caller, reaches it like systemd's.
agent_start() {
  local dir=$1
  shift
  mkdir -p "$dir"
  (
    now_us >"$dir/t0"
    exec_unit_java -jar "$AGENT_JAR" --control-plane "$CP_URL" --token-file "$dir/token" --state-dir "$dir/state" "$@"
  ) >"$dir/agent.log" 2>&1 &
  AGENT_PID=$!
  BENCH_PIDS+=("$AGENT_PID")
  local i
  for ((i = 0; i < 50; i++)); do [[ -s $dir/t0 ]] && break; sleep 0.01; done
  # shellcheck disable=SC2034 # read by the sections
  AGENT_T0=$(cat "$dir/t0")
}

# await_first_poll ROBOT: until the control plane has seen the robot's agent poll (its start-up is over)
await_first_poll() {
  local i
  for ((i = 0; i < 300; i++)); do
    [[ -n $(api GET "/api/robots/$1" | field last_seen_at) ]] && return 0
    sleep 0.1
  done
  die "the agent of robot $1 never polled"
}

agent_stop() {
  kill "$1" 2>/dev/null || true
  wait "$1" 2>/dev/null || true
}

# ---- /proc readings (kB and clock ticks)
proc_status_kb() { awk -v k="$2:" '$1 == k { print $2 }' "/proc/$1/status"; } # proc_status_kb PID VmRSS|VmHWM
proc_cpu_ticks() { awk '{ sub(/^.*\) /, ""); print $12 + $13 }' "/proc/$1/stat"; } # utime + stime
# shellcheck disable=SC2034 # read by the sections
CLK_TCK=$(getconf CLK_TCK)

# median of the arguments
median() { printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

# ---- apps: shell scripts in a tarball, as scripts/demo and e2e's TestApps build them
# app_tarball OUT SCRIPT_BODY [PAD_MIB]: bin/app runs SCRIPT_BODY; PAD_MIB of random data in share/ (the bulk
# of an app: a model, firmware blobs), written as 64 MiB files so the extract handles several files.
app_tarball() {
  local out=$1 body=$2 pad=${3:-0} dir
  dir=$(mktemp -d "$BENCH_OUT/app.XXXXXX")
  mkdir -p "$dir/bin" "$dir/share"
  printf '#!/bin/sh\n%s\n' "$body" >"$dir/bin/app"
  chmod 755 "$dir/bin/app"
  local left=$pad i=0 n
  while ((left > 0)); do
    n=$((left < 64 ? left : 64))
    head -c "$((n * 1024 * 1024))" /dev/urandom >"$dir/share/blob-$i.bin"
    left=$((left - n))
    i=$((i + 1))
  done
  tar -C "$dir" -cf "$out" .
  rm -rf "$dir"
}

# ---- the machine, for the report's header
machine_facts() {
  local disk dev
  fact date "$(date -u +'%Y-%m-%d %H:%M UTC')"
  fact CPU "$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo), $(nproc) cores"
  fact RAM "$(awk '/^MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo)"
  fact kernel "$(uname -sr)"
  dev=$(df --output=source . | tail -1)
  disk="$dev, $(df -h --output=fstype,size . | tail -1 | xargs)"
  local name=${dev##*/}
  name=${name%%[0-9]*}
  [[ -r /sys/block/$name/queue/rotational ]] &&
    disk="$disk, $([[ $(cat "/sys/block/$name/queue/rotational") == 1 ]] && echo rotational || echo non-rotational)"
  fact disk "$disk"
  fact JVM "$(java -version 2>&1 | sed -n 2p)"
  fact "load average at start" "$(cut -d' ' -f1-3 /proc/loadavg)"
}

kib_to_mib() { awk -v k="$1" 'BEGIN { printf "%.1f", k / 1024 }'; }
