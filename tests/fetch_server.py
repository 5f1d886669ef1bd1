#!/usr/bin/env python3
"""A local HTTP server for odl-fetch's tests: API fixtures, files and faults.

Binds 127.0.0.1 on a free port, prints the port on the first line of
stdout, and exits by itself after --lifetime seconds.  Every request is
logged to --log as one line: "<time> <method> <path> range=<Range>
inm=<If-None-Match> ims=<If-Modified-Since> ae=<Accept-Encoding> ua=<User-Agent>".

  /api/1/<path>/?<query>   testdata/fetch/api/<path>[@<query>].json, with
                           {{BASE}} replaced by http://127.0.0.1:PORT; the
                           page_size argument is ignored, other arguments
                           are sorted and '/' becomes '_'; 404 JSON otherwise
  /files/<name>            a file (testdata/fetch/files/ or generated), with
                           ETag, Last-Modified, 304 and byte ranges
  /redirect/<name>         302 to /files/<name>
  /fr/datasets/r/<id>      302 to the resource's file (as data.gouv.fr does)
  /fault/500/<name>        500 the first time, then the file
  /fault/429/<name>        429 with Retry-After: 1 the first time, then the file
  /fault/slow/<name>       the first 10 bytes, then silence for 30 s
  /fault/truncated/<name>  always half the body, then the connection closes
  /fault/gzip/<name>       the file with Content-Encoding: gzip
  /fault/loop/<n>          302 to /fault/loop/<n+1>, forever
  /fault/chunked/<name>    the file without Content-Length (chunked)
  /fault/disconnect/<name> half the body then a closed connection the first
                           time; later requests honour Range
  /fault/norange/<name>    same, but later requests ignore Range (200)
  /fault/stall/<name>      half the body then 30 s of silence the first time;
                           later requests honour Range
  /fault/any/<anything>    hello.csv under any name, as sent (%2F, %00, ../...)
  /fault/location?to=URL   302 to URL, whatever its scheme (file://, ftp://...)
  /fault/bomb/<mib>        a gzip bomb: <mib> MiB of zeros, a few kB on the wire
Generated files: big.bin (1,036,000 bytes), n<k>.csv for bench-style names
(/files/n17.csv), huge<k>.bin (--huge-mb MiB each).
"""
import argparse
import gzip
import hashlib
import json
import os
import re
import sys
import threading
import time
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, parse_qsl, urlsplit

# /fr/datasets/r/<id>: data.gouv.fr's stable links, redirected like the real ones
RESOURCES = {"7d6c5b4a-1111-4c2b-9d8e-000000000001": "subventions-2024.csv"}
LAST_MODIFIED = formatdate(1700000000, usegmt=True)
counts = {}
lock = threading.Lock()
args = None
big = (bytes(range(256)) + b"odl") * 4000
huge_cache = {}
bombs = {}
etags = {}


def first_time(key):
    with lock:
        n = counts.get(key, 0)
        counts[key] = n + 1
    return n == 0


def file_bytes(name):
    if name == "big.bin":
        return big
    m = re.fullmatch(r"n(\d+)\.csv", name)
    if m:
        k = int(m.group(1))
        return ("id;commune;montant\n" + "".join(
            "%d;Commune %d;%d.%02d\n" % (i, k, k * 13 + i, i % 100) for i in range(20))).encode()
    m = re.fullmatch(r"huge(\d+)\.bin", name)
    if m:
        # one buffer per name, generated once: the benchmark serves 10 of them
        with lock:
            if name not in huge_cache:
                seed = hashlib.sha256(name.encode()).digest()
                block = seed * (65536 // len(seed))
                huge_cache[name] = block * (args.huge_mb * 16)
        return huge_cache[name]
    path = os.path.join(args.root, "files", name)
    if "/" in name or name.startswith(".") or not os.path.isfile(path):
        return None
    with open(path, "rb") as f:
        return f.read()


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "odl-test"
    sys_version = ""

    def log_message(self, fmt, *a):
        pass

    def log_request_line(self):
        h = self.headers
        line = "%.3f %s %s range=%s inm=%s ims=%s ae=%s ua=%s\n" % (
            time.time(), self.command, self.path, h.get("Range", "-"),
            h.get("If-None-Match", "-"), h.get("If-Modified-Since", "-"),
            h.get("Accept-Encoding", "-"), h.get("User-Agent", "-"))
        if args.log:
            with lock, open(args.log, "a") as f:
                f.write(line)

    def send(self, code, body=b"", headers=(), length=None):
        self.send_response(code)
        for k, v in headers:
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(body) if length is None else length))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def not_found(self):
        self.send(404, json.dumps({"message": "The requested URL was not found on the server.  "
                                   "If you entered the URL manually please check your spelling "
                                   "and try again."}).encode(), [("Content-Type", "application/json")])

    def cut(self, body, n, stall=0):
        """Announce the whole body, send n bytes, then stall or close."""
        self.send_response(200)
        self.send_header("Content-Type", "application/octet-stream")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("ETag", '"%s"' % hashlib.sha1(body).hexdigest())
        self.send_header("Accept-Ranges", "bytes")
        self.end_headers()
        self.wfile.write(body[:n])
        self.wfile.flush()
        if stall:
            time.sleep(stall)
        self.close_connection = True

    def serve_file(self, body, ranges=True, ctype="text/csv; charset=utf-8"):
        key = id(body) if len(body) > 1 << 20 else None
        etag = etags.get(key) if key else None
        if not etag:
            etag = '"%s"' % hashlib.sha1(body).hexdigest()
            if key:
                etags[key] = etag
        common = [("ETag", etag), ("Last-Modified", LAST_MODIFIED), ("Content-Type", ctype)]
        if self.headers.get("If-None-Match") == etag:
            return self.send(304, b"", [("ETag", etag), ("Last-Modified", LAST_MODIFIED)], 0)
        rng = self.headers.get("Range")
        m = re.fullmatch(r"bytes=(\d+)-", rng or "")
        if ranges and m:
            start = int(m.group(1))
            if start >= len(body):
                return self.send(416, b"", [("Content-Range", "bytes */%d" % len(body))])
            return self.send(206, body[start:], common + [
                ("Content-Range", "bytes %d-%d/%d" % (start, len(body) - 1, len(body)))])
        self.send(200, body, common + ([("Accept-Ranges", "bytes")] if ranges else []))

    def api(self, path, query):
        rel = path[len("/api/1/"):].strip("/")
        q = sorted((k, v) for k, v in parse_qsl(query) if k != "page_size")
        name = rel + ("@" + "&".join("%s=%s" % (k, v.replace("/", "_")) for k, v in q) if q else "")
        f = os.path.join(args.root, "api", name + ".json")
        if ".." in name or not os.path.isfile(f):
            return self.not_found()
        with open(f, encoding="utf-8") as fh:
            text = fh.read().replace("{{BASE}}", "http://127.0.0.1:%d" % self.server.server_port)
        self.send(200, text.encode(), [("Content-Type", "application/json")])

    def do_GET(self):
        self.log_request_line()
        u = urlsplit(self.path)
        p = u.path
        if p.startswith("/api/1/"):
            return self.api(p, u.query)
        m = re.fullmatch(r"/fr/datasets/r/([0-9a-f-]+)", p)
        if m:
            target = RESOURCES.get(m.group(1))
            if not target:
                return self.not_found()
            return self.send(302, b"", [("Location", "/files/" + target)])
        if p.startswith("/fault/any/"):
            return self.serve_file(file_bytes("hello.csv"))
        if p == "/fault/location":
            to = parse_qs(u.query).get("to", ["/files/hello.csv"])[0]
            return self.send(302, b"", [("Location", to)])
        m = re.fullmatch(r"/fault/bomb/(\d+)", p)
        if m:
            mib = int(m.group(1))
            with lock:
                if mib not in bombs:
                    bombs[mib] = gzip.compress(bytes(mib << 20), compresslevel=9, mtime=0)
            return self.send(200, bombs[mib], [("Content-Encoding", "gzip"),
                                               ("Content-Type", "text/csv")])
        m = re.fullmatch(r"/fault/loop/(\d+)", p)
        if m:
            return self.send(302, b"", [("Location", "/fault/loop/%d" % (int(m.group(1)) + 1))])
        m = re.fullmatch(r"/(files|redirect|fault/[a-z0-9]+)/([^/]+)", p)
        if not m:
            return self.not_found()
        kind, name = m.group(1), m.group(2)
        body = file_bytes(name)
        if body is None:
            return self.not_found()
        if kind == "files":
            return self.serve_file(body)
        if kind == "redirect":
            return self.send(302, b"", [("Location", "/files/" + name)])
        fault = kind[len("fault/"):]
        key = (fault, name)
        if fault == "500" and first_time(key):
            return self.send(500, b'{"message": "Internal Server Error", "status": 500}',
                             [("Content-Type", "application/json")])
        if fault == "429" and first_time(key):
            return self.send(429, b'{"message": "Too Many Requests", "status": 429}',
                             [("Retry-After", "1"), ("Content-Type", "application/json")])
        if fault == "slow":
            return self.cut(body, 10, stall=30)
        if fault == "truncated":
            return self.cut(body, len(body) // 2)
        if fault == "gzip":
            if "gzip" not in self.headers.get("Accept-Encoding", ""):
                return self.serve_file(body, ranges=False)
            z = gzip.compress(body, mtime=0)
            return self.send(200, z, [("Content-Encoding", "gzip"), ("Content-Type", "text/csv")])
        if fault == "chunked":
            self.send_response(200)
            self.send_header("Transfer-Encoding", "chunked")
            self.send_header("Content-Type", "application/octet-stream")
            self.end_headers()
            for i in range(0, len(body), 65536):
                chunk = body[i:i + 65536]
                self.wfile.write(b"%x\r\n%s\r\n" % (len(chunk), chunk))
            self.wfile.write(b"0\r\n\r\n")
            return
        if fault in ("disconnect", "norange", "stall"):
            if first_time(key):
                return self.cut(body, len(body) // 2, stall=30 if fault == "stall" else 0)
            return self.serve_file(body, ranges=fault != "norange")
        if fault in ("500", "429"):
            return self.serve_file(body)
        self.not_found()


def main():
    global args
    ap = argparse.ArgumentParser()
    ap.add_argument("--root", required=True)
    ap.add_argument("--lifetime", type=float, default=60)
    ap.add_argument("--log")
    ap.add_argument("--huge-mb", type=int, default=50)
    args = ap.parse_args()
    # a listen backlog of 5 (the default) drops connections when odl-fetch
    # opens more at once; the client then waits a second to retry the SYN
    ThreadingHTTPServer.request_queue_size = 128
    srv = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    srv.daemon_threads = True
    print(srv.server_port, flush=True)
    threading.Timer(args.lifetime, lambda: os._exit(0)).start()
    srv.serve_forever()


if __name__ == "__main__":
    main()
