#!/usr/bin/env python3
"""Enrolls N robots through the operator API (POST /api/robots, the documented path; there is no bulk one) over
a few keep-alive connections. Writes OUT/tokens and OUT/ids, one per line, and prints robots per second.
Usage: enroll.py BASE_URL OPERATOR_TOKEN N OUT_DIR"""
import http.client
import json
import sys
import threading
import time
import urllib.parse

base, token, n, out = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
url = urllib.parse.urlparse(base)
THREADS = 4
results = [None] * n
failures = []


def work(first):
    conn = http.client.HTTPConnection(url.hostname, url.port, timeout=60)
    headers = {"Authorization": "Bearer " + token, "Content-Type": "application/json"}
    for i in range(first, n, THREADS):
        conn.request("POST", "/api/robots", json.dumps({"name": "bench-%d" % i}), headers)
        r = conn.getresponse()
        body = r.read()
        if r.status != 201:
            failures.append("POST /api/robots -> %d: %s" % (r.status, body[:200]))
            return
        robot = json.loads(body)
        results[i] = (robot["id"], robot["token"])


started = time.monotonic()
threads = [threading.Thread(target=work, args=(t,)) for t in range(THREADS)]
for t in threads:
    t.start()
for t in threads:
    t.join()
if failures or None in results:
    sys.exit("enrolment failed: " + (failures[0] if failures else "missing robots"))
with open(out + "/ids", "w") as ids, open(out + "/tokens", "w") as tokens:
    for robot_id, robot_token in results:
        ids.write(robot_id + "\n")
        tokens.write(robot_token + "\n")
print("%.0f" % (n / (time.monotonic() - started)))
