#!/usr/bin/env python3
"""Creates one fleet of every robot in IDS (one id per line) through the operator API, as a script would for a fleet
too big for one request (JSON bodies are limited to 1 MB, about 25,000 ids): POST /api/fleets with the first
20,000, then PUT /api/fleets/{id}/robots/{robot_id} for the rest over a few keep-alive connections. Prints the
fleet id. Usage: make_fleet.py BASE_URL OPERATOR_TOKEN NAME IDS"""
import http.client
import json
import sys
import threading
import urllib.parse

base, token, name, ids_file = sys.argv[1:5]
url = urllib.parse.urlparse(base)
FIRST = 20000
THREADS = 4
ids = open(ids_file).read().split()
headers = {"Authorization": "Bearer " + token, "Content-Type": "application/json"}
conn = http.client.HTTPConnection(url.hostname, url.port, timeout=120)
conn.request("POST", "/api/fleets", json.dumps({"name": name, "robot_ids": ids[:FIRST]}), headers)
r = conn.getresponse()
body = r.read()
if r.status != 201:
    sys.exit("POST /api/fleets -> %d: %s" % (r.status, body[:300]))
fleet = json.loads(body)["id"]
failures = []


def add(first):
    c = http.client.HTTPConnection(url.hostname, url.port, timeout=60)
    for i in range(FIRST + first, len(ids), THREADS):
        c.request("PUT", "/api/fleets/%s/robots/%s" % (fleet, ids[i]), None, headers)
        a = c.getresponse()
        a.read()
        if a.status != 200:
            failures.append("PUT /api/fleets/%s/robots/%s -> %d" % (fleet, ids[i], a.status))
            return


threads = [threading.Thread(target=add, args=(t,)) for t in range(THREADS)]
for t in threads:
    t.start()
for t in threads:
    t.join()
if failures:
    sys.exit(failures[0])
print(fleet)
