#!/usr/bin/env python3
"""A small HTTP server for the feed poller's tests, started by the test itself on loopback.

It listens on 127.0.0.1 on a free port and prints "PORT <n>" on its first line of output.
The test controls it over HTTP:

  POST /_control/set?path=/feed    body: JSON list of responses served in turn (the last repeats):
      [{"status": 200, "body_b64": "...", "delay": 0.0, "etag": true, "last_modified": "...", "headers": {}}]
      A 200 response with "etag": true carries a strong ETag of its body and answers a matching
      If-None-Match with 304. Hostile answers, for the limits: "endless": true sends a chunked
      body that never ends (until the client hangs up); "gzip_zeros": n sends n zero bytes
      gzip-compressed with Content-Encoding: gzip, asked for or not.
  GET  /_control/log?path=/feed    JSON list of the requests made to that path:
      {"headers": {...}, "status": n, "concurrent": how many requests to that path were being answered, this one included}

Everything else is served from the configured responses; unknown paths answer 404.
Standard library only; no third-party code.
"""
import base64
import gzip
import hashlib
import json
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse

lock = threading.Lock()
responses = {}   # path -> list of response dicts
served = {}      # path -> how many requests were answered
log = {}         # path -> list of {"headers", "status", "concurrent"}
in_flight = {}   # path -> requests being answered now


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, format, *args):
        pass

    def reply(self, status, body=b"", headers=None):
        self.send_response(status)
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        if status != 304:
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if status != 304 and body:
            try:
                self.wfile.write(body)
            except (BrokenPipeError, ConnectionResetError):
                pass

    def do_POST(self):
        url = urlparse(self.path)
        length = int(self.headers.get("Content-Length") or 0)
        data = self.rfile.read(length)
        if url.path == "/_control/set":
            path = parse_qs(url.query)["path"][0]
            with lock:
                responses[path] = json.loads(data)
                served[path] = 0
            self.reply(204)
        else:
            self.reply(404)

    def do_GET(self):
        url = urlparse(self.path)
        if url.path == "/_control/log":
            path = parse_qs(url.query)["path"][0]
            with lock:
                body = json.dumps(log.get(path, [])).encode()
            self.reply(200, body, {"Content-Type": "application/json"})
            return
        with lock:
            in_flight[url.path] = in_flight.get(url.path, 0) + 1
            concurrent = in_flight[url.path]
        try:
            self.answer(url, concurrent)
        finally:
            with lock:
                in_flight[url.path] -= 1

    def answer(self, url, concurrent):
        with lock:
            listed = responses.get(url.path)
            if not listed:
                response = None
            else:
                index = min(served[url.path], len(listed) - 1)
                served[url.path] += 1
                response = listed[index]
        if response is None:
            self.record(url.path, 404, concurrent)
            self.reply(404)
            return
        delay = response.get("delay", 0)
        if delay:
            time.sleep(delay)
        status = response.get("status", 200)
        body = base64.b64decode(response.get("body_b64", ""))
        headers = dict(response.get("headers", {}))
        if status == 200:
            if response.get("etag", True):
                etag = '"' + hashlib.sha256(body).hexdigest()[:32] + '"'
                headers["ETag"] = etag
                if self.headers.get("If-None-Match") == etag:
                    status = 304
            if response.get("last_modified"):
                headers["Last-Modified"] = response["last_modified"]
                if self.headers.get("If-Modified-Since") == response["last_modified"] and "ETag" not in headers:
                    status = 304
        self.record(url.path, status, concurrent)
        if response.get("endless"):
            self.endless()
            return
        if response.get("gzip_zeros"):
            body = gzip.compress(bytes(response["gzip_zeros"]), compresslevel=9)
            headers["Content-Encoding"] = "gzip"
            headers.pop("ETag", None)
        self.reply(status, body, headers)

    def endless(self):
        self.send_response(200)
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()
        chunk = b"x" * 65536
        frame = b"%x\r\n" % len(chunk) + chunk + b"\r\n"
        try:
            while True:
                self.wfile.write(frame)
        except (BrokenPipeError, ConnectionResetError):
            pass

    def record(self, path, status, concurrent):
        with lock:
            log.setdefault(path, []).append({"headers": {k.lower(): v for k, v in self.headers.items()},
                                             "status": status, "concurrent": concurrent})


def main():
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    print("PORT %d" % server.server_address[1], flush=True)
    # Ends when the test closes our standard input, or kills us.
    threading.Thread(target=lambda: (sys.stdin.read(), server.shutdown()), daemon=True).start()
    server.serve_forever()


if __name__ == "__main__":
    main()
