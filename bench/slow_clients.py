#!/usr/bin/env python3
"""Latency of well-behaved requests while slow ("slowloris") connections hold a server.

    bench/slow_clients.py URL [--slow 200] [--requests 50] [-H 'X-API-Key: k'] [--data BODY]
                          [--hold SECONDS]

Opens --slow connections to URL's host that send a request line and then one header byte every
--trickle seconds (never finishing their headers), each from its own loopback source address
(127.0.0.2, 127.0.0.3, ...) so that a per-address limit does not hide the effect; a connection the
server closes (e.g. at a header deadline) is opened again at once, as an attacker would. While they are
open it sends --requests well-behaved requests one after the other, each on a new connection,
and prints the latency percentiles (ms) and the status codes. Exits 1 when any well-behaved
request took longer than --budget-ms (default 100) unless --no-fail. --hold keeps the slow
connections open (and trickling) that much longer, e.g. while wrk runs. Loopback only.
"""
import argparse
import http.client
import select
import socket
import sys
import threading
import time
import urllib.parse


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("url")
    ap.add_argument("--slow", type=int, default=200)
    ap.add_argument("--requests", type=int, default=50)
    ap.add_argument("--trickle", type=float, default=0.5)
    ap.add_argument("--settle", type=float, default=1.0, help="seconds between opening and measuring")
    ap.add_argument("-H", "--header", action="append", default=[])
    ap.add_argument("--data", default=None, help="POST this body (else GET)")
    ap.add_argument("--budget-ms", type=float, default=100.0)
    ap.add_argument("--timeout", type=float, default=10.0, help="seconds per well-behaved request")
    ap.add_argument("--hold", type=float, default=0.0,
                    help="seconds to keep the slow connections open after measuring")
    ap.add_argument("--no-fail", action="store_true")
    args = ap.parse_args()

    u = urllib.parse.urlsplit(args.url)
    host, port = u.hostname, u.port or 80
    if not host.startswith("127.") and host not in ("localhost", "::1"):
        print("slow_clients.py: loopback targets only", file=sys.stderr)
        return 2
    path = u.path + ("?" + u.query if u.query else "")
    headers = dict(h.split(":", 1) for h in args.header)
    headers = {k.strip(): v.strip() for k, v in headers.items()}

    stop = threading.Event()
    reopened = [0]

    def open_slow(i):
        s = socket.socket()
        s.bind((f"127.0.{(i + 2) // 250}.{(i + 2) % 250 + 1}", 0))
        s.settimeout(2)
        try:
            s.connect((host, port))
            s.sendall(f"GET {path} HTTP/1.1\r\nHost: {host}\r\nX-Slow: ".encode())
            s.setblocking(False)
            return s
        except OSError as e:
            print(f"slow connection {i}: {e}", file=sys.stderr)
            s.close()
            return None

    socks = [open_slow(i) for i in range(args.slow)]

    def trickle():
        # Like an attacker, a connection the server closes (a header deadline) is opened again,
        # so that --slow connections stay open the whole time.
        while not stop.wait(args.trickle):
            for i, s in enumerate(socks):
                if s is None:
                    continue
                closed = False
                try:
                    s.send(b"a")
                    readable, _, _ = select.select([s], [], [], 0)
                    if readable and not s.recv(65536):
                        closed = True
                except OSError:
                    closed = True
                if closed:
                    s.close()
                    socks[i] = open_slow(i)
                    reopened[0] += 1

    t = threading.Thread(target=trickle, daemon=True)
    t.start()
    time.sleep(args.settle)
    print(f"ready: {sum(1 for s in socks if s is not None)} slow connections open", flush=True)

    lat, codes = [], {}
    for _ in range(args.requests):
        start = time.perf_counter()
        try:
            c = http.client.HTTPConnection(host, port, timeout=args.timeout)
            if args.data is None:
                c.request("GET", path, headers=headers)
            else:
                c.request("POST", path, body=args.data.encode(), headers=headers)
            r = c.getresponse()
            r.read()
            code = r.status
            c.close()
        except OSError as e:
            code = type(e).__name__
        lat.append((time.perf_counter() - start) * 1000)
        codes[code] = codes.get(code, 0) + 1

    if args.hold > 0:
        time.sleep(args.hold)

    stop.set()
    t.join()
    alive = sum(1 for s in socks if s is not None)
    for s in socks:
        if s is not None:
            s.close()

    lat.sort()
    pct = lambda p: lat[min(len(lat) - 1, int(p / 100 * len(lat)))]
    print(f"slow connections: {alive} open at the end, {reopened[0]} reopened after the server "
          f"closed them; well-behaved requests: {len(lat)}, statuses {codes}")
    print(f"latency ms: p50 {pct(50):.1f}  p90 {pct(90):.1f}  p99 {pct(99):.1f}  max {lat[-1]:.1f}")
    over = [x for x in lat if x > args.budget_ms]
    if over:
        print(f"{len(over)} request(s) over the {args.budget_ms:.0f} ms budget")
        return 0 if args.no_fail else 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
