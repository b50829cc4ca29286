#!/usr/bin/env python3
"""Simulated robots: a load generator that polls the control plane as N robots (one robot token each, read from
TOKENS, one per line) and, with --apply, reports every dispatched deployment as applied, as a real agent would
after a good install. It is a separate process on purpose: it is the control plane's client, not its code.

Each robot polls every --interval seconds (+-10% jitter, like the agent), its first poll at a random moment in the
first interval. A few keep-alive connections (--connections) carry all robots, as a reverse proxy would see a
fleet. A failed poll or report (connection error, 5xx) is retried at the robot's next poll; a report is sent again
with the same event_id, so the control plane records it once.

SIGTERM ends the run early (the summary is still written). Prints one line `FLEET_SIM {json}` at the end (polls, polls/s, p50/p99/max ms, answers by status, errors) and with
--out writes the same JSON plus every acknowledged event and every 5xx body to that file.

Usage: fleet_sim.py --url URL --tokens FILE [--interval 60] [--duration 300] [--connections 32] [--apply]
                    [--until-applied N]
                    (runs --duration seconds, longer until N reports are acknowledged) [--out FILE]"""
import argparse
import asyncio
import heapq
import json
import random
import signal
import sys
import time
import urllib.parse
import uuid

METRICS = "applied=0 failed=0 rolled_back=0 poll_errors=0 outbox=0 download_bytes=0 simulated=1"
EVENT_NAMESPACE = uuid.UUID("5f0d6a53-7a55-4bde-9bb1-32a4d0a1c0de")


class Http:
    """One keep-alive HTTP/1.1 connection; reconnects after any error or a Connection: close."""

    def __init__(self, host, port, timeout):
        self.host, self.port, self.timeout = host, port, timeout
        self.reader = self.writer = None

    async def request(self, method, path, headers, body=b""):
        try:
            return await asyncio.wait_for(self._request(method, path, headers, body), self.timeout)
        except BaseException:
            self.close()
            raise

    async def _request(self, method, path, headers, body):
        if self.writer is None:
            self.reader, self.writer = await asyncio.open_connection(self.host, self.port)
        lines = ["%s %s HTTP/1.1" % (method, path), "Host: %s:%d" % (self.host, self.port),
                 "Content-Length: %d" % len(body)]
        lines += ["%s: %s" % kv for kv in headers.items()]
        self.writer.write(("\r\n".join(lines) + "\r\n\r\n").encode() + body)
        await self.writer.drain()
        status_line = await self.reader.readline()
        if not status_line:
            raise ConnectionError("connection closed before the answer")
        status = int(status_line.split()[1])
        length, chunked, close = 0, False, False
        while True:
            line = (await self.reader.readline()).decode("latin-1").strip()
            if not line:
                break
            name, _, value = line.partition(":")
            name, value = name.strip().lower(), value.strip()
            if name == "content-length":
                length = int(value)
            elif name == "transfer-encoding" and "chunked" in value.lower():
                chunked = True
            elif name == "connection" and value.lower() == "close":
                close = True
        if chunked:
            data = b""
            while True:
                size = int((await self.reader.readline()).split(b";")[0], 16)
                if size == 0:
                    await self.reader.readline()
                    break
                data += await self.reader.readexactly(size)
                await self.reader.readline()
        else:
            data = await self.reader.readexactly(length) if length else b""
        if close:
            self.close()
        return status, data

    def close(self):
        if self.writer is not None:
            self.writer.close()
        self.reader = self.writer = None


class Fleet:
    def __init__(self, args, tokens):
        self.args, self.tokens = args, tokens
        self.seq = [0] * len(tokens)
        self.latencies = []
        self.lags = []  # how late each poll started: the generator keeping up, or not
        self.answers = {}  # "poll 200", "event 201", ...
        self.errors = {}  # "poll ConnectionRefusedError", ...
        self.server_errors = []  # every 5xx: what answered it, when
        self.acked = {}  # (robot, deployment) -> event
        self.pending = {}  # (robot, deployment) -> event not acknowledged yet (same event_id on retry)
        self.polls = 0

    def count(self, table, key):
        table[key] = table.get(key, 0) + 1

    async def visit(self, http, robot):
        headers = {"Authorization": "Bearer " + self.tokens[robot], "Roboflare-Agent-Metrics": METRICS,
                   "Roboflare-Clock-Skew-Ms": "0"}
        started = time.monotonic()
        try:
            status, body = await http.request("GET", "/api/agent/deployments", headers)
        except Exception as e:  # noqa: BLE001 - every failure is counted, the robot retries at its next poll
            self.count(self.errors, "poll " + type(e).__name__)
            return
        self.latencies.append(time.monotonic() - started)
        self.polls += 1
        self.count(self.answers, "poll %d" % status)
        if status >= 500:
            self.server_errors.append({"at": time.time(), "request": "poll", "status": status,
                                       "body": body[:300].decode("utf-8", "replace")})
        if status != 200 or not self.args.apply:
            return
        for d in json.loads(body)["deployments"]:
            await self.report(http, robot, d["id"], headers)

    async def report(self, http, robot, deployment, headers):
        key = (robot, deployment)
        event = self.pending.get(key)
        if event is None:
            self.seq[robot] += 1
            event = {"event_id": str(uuid.uuid5(EVENT_NAMESPACE, "%d/%s" % (robot, deployment))),
                     "status": "applied", "detail": "simulated robot %d" % robot, "seq": self.seq[robot]}
            self.pending[key] = event
        h = dict(headers, **{"Content-Type": "application/json"})
        try:
            status, body = await http.request("POST", "/api/agent/deployments/%s/events" % deployment, h,
                                              json.dumps(event).encode())
        except Exception as e:  # noqa: BLE001
            self.count(self.errors, "event " + type(e).__name__)
            return
        self.count(self.answers, "event %d" % status)
        if status >= 500:
            self.server_errors.append({"at": time.time(), "request": "event", "status": status,
                                       "body": body[:300].decode("utf-8", "replace")})
        if status in (200, 201):
            self.acked[key] = dict(event, robot=robot, deployment_id=deployment, answer=status)
            del self.pending[key]
        elif status in (404, 409):  # cancelled or superseded meanwhile: a real agent drops the event too
            del self.pending[key]

    def summary(self, seconds):
        lat, lags = sorted(self.latencies), sorted(self.lags)

        def pct(p, values=lat):
            return round(values[min(len(values) - 1, int(len(values) * p))] * 1000, 2) if values else None

        return {"robots": len(self.tokens), "seconds": round(seconds, 1), "polls": self.polls,
                "polls_per_second": round(self.polls / seconds, 1) if seconds else 0,
                "p50_ms": pct(0.50), "p99_ms": pct(0.99), "max_ms": pct(1.0),
                "start_lag_p99_ms": pct(0.99, lags), "answers": self.answers,
                "errors": self.errors, "server_errors": len(self.server_errors), "applied": len(self.acked),
                "pending": len(self.pending)}


async def run(args):
    tokens = [t.strip() for t in open(args.tokens) if t.strip()]
    url = urllib.parse.urlparse(args.url)
    fleet = Fleet(args, tokens)
    rng = random.Random(args.seed)
    start = time.monotonic()
    due = [(start + rng.uniform(0, args.interval), robot) for robot in range(len(tokens))]
    heapq.heapify(due)
    queue = asyncio.Queue(maxsize=args.connections * 4)
    stop = asyncio.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):  # stop early, still report
        asyncio.get_running_loop().add_signal_handler(sig, stop.set)

    async def worker():
        http = Http(url.hostname, url.port or 80, args.timeout)
        while True:
            due_at, robot = await queue.get()
            fleet.lags.append(time.monotonic() - due_at)
            await fleet.visit(http, robot)
            heapq.heappush(due, (time.monotonic() + args.interval * rng.uniform(0.9, 1.1), robot))
            queue.task_done()

    workers = [asyncio.create_task(worker()) for _ in range(args.connections)]
    while not stop.is_set():
        now = time.monotonic()
        if now - start >= args.duration and (len(fleet.acked) >= args.until_applied
                                              or now - start >= 2 * args.duration):
            break
        if due and due[0][0] <= now:
            await queue.put(heapq.heappop(due))
        else:
            await asyncio.sleep(min(0.05, due[0][0] - now) if due else 0.05)
    await queue.join()
    for w in workers:
        w.cancel()
    result = fleet.summary(time.monotonic() - start)
    print("FLEET_SIM " + json.dumps(result), flush=True)
    if args.out:
        with open(args.out, "w") as f:
            json.dump(dict(result, acked=list(fleet.acked.values()), server_error_list=fleet.server_errors), f)


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--url", required=True)
    p.add_argument("--tokens", required=True)
    p.add_argument("--interval", type=float, default=60)
    p.add_argument("--duration", type=float, default=300)
    p.add_argument("--connections", type=int, default=32)
    p.add_argument("--timeout", type=float, default=10)
    p.add_argument("--apply", action="store_true", help="report each dispatched deployment as applied")
    p.add_argument("--until-applied", type=int, default=0, help="after --duration, go on (up to twice as long) until this many reports are acknowledged")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--out")
    args = p.parse_args()
    asyncio.run(run(args))


if __name__ == "__main__":
    sys.exit(main())
