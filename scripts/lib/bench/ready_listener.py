#!/usr/bin/env python3
"""A NOTIFY_SOCKET as systemd provides it: binds a unix datagram socket and prints the wall-clock time (epoch
microseconds) at which the first READY=1 datagram arrives, then exits. Usage: ready_listener.py SOCKET TIMEOUT_S"""
import socket
import sys
import time

path, timeout = sys.argv[1], float(sys.argv[2])
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind(path)
print("listening", flush=True)  # the caller starts the agent only after this line
deadline = time.monotonic() + timeout
while True:
    left = deadline - time.monotonic()
    if left <= 0:
        sys.exit("no READY=1 within %s s" % timeout)
    s.settimeout(left)
    try:
        data = s.recv(4096)
    except socket.timeout:
        continue
    if b"READY=1" in data.split(b"\n"):
        print(time.time_ns() // 1000, flush=True)
        break
