#!/usr/bin/env python3
"""A static HTTP server for the delta bench's casync store that counts the bytes it sends.

Usage: counting_http.py DIR PORT_FILE
Serves DIR on a free loopback port (written to PORT_FILE) over HTTP/1.1 with keep-alive, as a real web server
would. GET /__bytes answers the bytes sent so far, status lines and headers included (casync asks once a chunk,
so they are part of what its link carries; the agent counts its responses' headers the same way), that request
itself not counted, and starts the count again, so each casync run reads what its link carried.
"""
import functools
import http.server
import sys
import threading

root, port_file = sys.argv[1:3]
lock = threading.Lock()
sent = [0]


class Handler(http.server.SimpleHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def flush_headers(self):
        if self.path != "/__bytes" and hasattr(self, "_headers_buffer"):
            with lock:
                sent[0] += sum(len(h) for h in self._headers_buffer)
        super().flush_headers()

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
