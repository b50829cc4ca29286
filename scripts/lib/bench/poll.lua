-- wrk script: every request is one agent poll (GET /api/agent/deployments) as the agent sends it, with the
-- robot's bearer token, its metrics summary and clock skew headers; the robots are taken round-robin from
-- $BENCH_TOKENS, each wrk thread starting at its own offset. With $BENCH_PAUSE_MS each connection waits that
-- long before its next request (a paced load, as a fleet polls; wrk 4 has no fixed-rate mode). done() prints
-- one machine-readable line.
local tokens = {}
local next_token = 1
local threads = {}

function setup(thread)
  thread:set("offset", #threads)
  table.insert(threads, thread)
end

function init(args)
  for line in io.lines(os.getenv("BENCH_TOKENS")) do
    tokens[#tokens + 1] = line
  end
  next_token = (offset * 7919) % #tokens + 1
end

local pause = tonumber(os.getenv("BENCH_PAUSE_MS") or "0")

function delay()
  return pause
end

function request()
  local token = tokens[next_token]
  next_token = next_token % #tokens + 1
  return wrk.format("GET", "/api/agent/deployments", {
    ["Authorization"] = "Bearer " .. token,
    ["Roboflare-Agent-Metrics"] = "applied=1 failed=0 rolled_back=0 poll_errors=0 outbox=0 download_bytes=1048576",
    ["Roboflare-Clock-Skew-Ms"] = "12",
  }, nil)
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("BENCH requests=%d duration_us=%d p50_us=%d p99_us=%d max_us=%d socket_errors=%d "
    .. "timeouts=%d non2xx=%d\n", summary.requests, summary.duration, latency:percentile(50),
    latency:percentile(99), latency.max, e.connect + e.read + e.write, e.timeout, e.status))
end
