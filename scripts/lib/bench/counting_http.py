#!/usr/bin/env python3
"""A static HTTP server for the delta bench's casync store that counts the body bytes it sends.

Usage: counting_http.py DIR PORT_FILE
Serves DIR on a free loopback port (written to PORT_FILE). GET /__bytes answers the body bytes sent so far (that
request itself not counted) and starts the count again, so each casync run reads what its link carried.
"""
import functools
import http.server
import sys
import threading

root, port_file = sys.argv[1:3]
lock = threading.Lock()
sent = [0]


class Handler(http.server.SimpleHTTPRequestHandler):
    def do_GET(self):
        if self.path == "/__bytes":
            with lock:
                body, sent[0] = str(sent[0]).encode(), 0
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
            return
        super().do_GET()

    def copyfile(self, source, outputfile):
        while True:
            buf = source.read(64 * 1024)
            if not buf:
                break
            outputfile.write(buf)
            with lock:
                sent[0] += len(buf)

    def log_message(self, *args):
        pass


server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Handler, directory=root))
with open(port_file, "w") as f:
    f.write(str(server.server_address[1]))
server.serve_forever()
