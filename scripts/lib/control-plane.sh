# shellcheck shell=bash
# The shipped control plane as a background process, and its operator API from bash. Sourced by scripts/demo,
# scripts/bench (scripts/lib/bench/common.sh) and packaging/test/systemd-e2e.sh.

# cp_launch JAR DATA_DIR LOG [serve flags...]: `serve --port 0` on loopback (the kernel picks a free port, which the
# start-up line names: a port chosen here could be taken meanwhile, e.g. by a client's ephemeral port). Sets CP_PID
# and CP_URL, and OP_TOKEN once it answers. When it exits first or does not answer within 60 s: the log's tail on
# stderr, the process stopped, return 1.
cp_launch() {
  local jar=$1 data=$2 log=$3 port="" i
  shift 3
  java -jar "$jar" serve --port 0 --bind 127.0.0.1 --data-dir "$data" "$@" >"$log" 2>&1 &
  CP_PID=$!
  for ((i = 0; i < 300; i++)); do
    [[ -n $port ]] || port=$(sed -n 's|.*control plane listening on http://127\.0\.0\.1:\([0-9][0-9]*\).*|\1|p' "$log")
    CP_URL=http://127.0.0.1:$port
    if [[ -n $port && -f $data/operator-token ]] && curl -s -o /dev/null "$CP_URL/api/robots"; then
      OP_TOKEN=$(cat "$data/operator-token")
      return 0
    fi
    kill -0 "$CP_PID" 2>/dev/null || break
    sleep 0.2
  done
  tail -20 "$log" >&2
  echo "the control plane did not start (its log: $log)" >&2
  kill "$CP_PID" 2>/dev/null || true
  return 1
}

# api METHOD PATH [curl args...]: the body on 2xx; otherwise "METHOD PATH -> STATUS: problem detail" on stderr and
# return 1 (in `x=$(api ...)` under set -e that ends the script).
api() {
  local method=$1 path=$2 out status
  shift 2
  out=$(curl -sS -X "$method" -H "Authorization: Bearer $OP_TOKEN" -w '\n%{http_code}' "$@" "$CP_URL$path")
  status=${out##*$'\n'}
  out=${out%$'\n'*}
  if [[ $status != 2* ]]; then
    echo "$method $path -> $status: $out" >&2
    return 1
  fi
  printf '%s' "$out"
}

# field NAME < json: the first string value of NAME (the API's ids, tokens and statuses are plain strings).
field() { grep -o "\"$1\":\"[^\"]*\"" | head -1 | cut -d'"' -f4; }
