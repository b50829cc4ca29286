#!/usr/bin/env python3
"""Plays each robot's agent once through the agent API: polls (GET /api/agent/deployments) and reports the outcome
of its dispatched deployment, so a status page has real history to show. Every ROLLBACK_EVERY-th robot reports
rolled_back, every FAIL_EVERY-th failed, every SKIP_EVERY-th nothing (it stays dispatched), the rest applied.
Usage: outcomes.py BASE_URL TOKENS_FILE"""
import http.client
import json
import sys
import threading
import time
import urllib.parse
import uuid

base, tokens_file = sys.argv[1], sys.argv[2]
url = urllib.parse.urlparse(base)
tokens = open(tokens_file).read().split()
THREADS = 4
ROLLBACK_EVERY, FAIL_EVERY, SKIP_EVERY = 50, 97, 10
failures = []


def outcome(i):
    if i % ROLLBACK_EVERY == 0:
        return "rolled_back"
    if i % FAIL_EVERY == 0:
        return "failed"
    return "applied"


def work(first):
    conn = http.client.HTTPConnection(url.hostname, url.port, timeout=60)
    for i in range(first, len(tokens), THREADS):
        headers = {"Authorization": "Bearer " + tokens[i], "Content-Type": "application/json"}
        conn.request("GET", "/api/agent/deployments", headers=headers)
        r = conn.getresponse()
        body = r.read()
        if r.status != 200:
            failures.append("poll -> %d: %s" % (r.status, body[:200]))
            return
        if i % SKIP_EVERY == 1:
            continue
        for d in json.loads(body)["deployments"]:
            event = {"event_id": str(uuid.uuid4()), "status": outcome(i), "detail": "bench: " + outcome(i)}
            for attempt in range(5):  # a 5xx stores nothing: the agent retries the same event, so do we
                conn.request("POST", "/api/agent/deployments/%s/events" % d["id"], json.dumps(event), headers)
                r = conn.getresponse()
                body = r.read()
                if r.status < 500:
                    break
                time.sleep(1)
            if r.status != 201:
                failures.append("event -> %d: %s" % (r.status, body[:200]))
                return


threads = [threading.Thread(target=work, args=(t,)) for t in range(THREADS)]
for t in threads:
    t.start()
for t in threads:
    t.join()
if failures:
    sys.exit("outcomes failed: " + failures[0])
