#!/usr/bin/python3
"""Hostile clients against a real deskgate: /healthz latency and the server's
memory while slow clients, header floods, deep and wide bodies and a setup
flood run, against the same server quiet.

Usage: tools/bench/hostile_clients.py [DESKGATE_BIN] [SECONDS]
Prints /healthz p50/p99 and failures, quiet and under attack, and the
server's resident memory (peak while quiet, peak under attack, after).
"""
import os
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time

BIN = sys.argv[1] if len(sys.argv) > 1 else "build/native/bin/deskgate"
SECONDS = float(sys.argv[2]) if len(sys.argv) > 2 else 10.0


def start_server(db_dir):
    proc = subprocess.Popen([BIN, "serve", "--port", "0", "--db", os.path.join(db_dir, "b.db")],
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    for line in proc.stdout:
        match = re.search(r"serving at http://[^:]+:(\d+)/", line)
        if match:
            threading.Thread(target=lambda: [None for _ in proc.stdout], daemon=True).start()
            return proc, int(match.group(1))
    raise SystemExit("deskgate did not start")


def rss_kb(pid):
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def probe(port, timeout=2.0):
    """One /healthz on a new connection: seconds, or None on failure."""
    start = time.perf_counter()
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=timeout) as s:
            s.settimeout(timeout)
            s.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
            data = s.recv(4096)
            if not data.startswith(b"HTTP/1.1 200"):
                return None
    except OSError:
        return None
    return time.perf_counter() - start


class Sampler(threading.Thread):
    """Probes /healthz every 20 ms and samples the server's memory."""

    def __init__(self, port, pid):
        super().__init__(daemon=True)
        self.port, self.pid = port, pid
        self.latencies, self.failures, self.peak_rss = [], 0, 0
        self.stop = threading.Event()

    def run(self):
        while not self.stop.is_set():
            t = probe(self.port)
            if t is None:
                self.failures += 1
            else:
                self.latencies.append(t)
            self.peak_rss = max(self.peak_rss, rss_kb(self.pid))
            time.sleep(0.02)


def report(label, sampler):
    lat = sorted(sampler.latencies)
    p50 = statistics.median(lat) * 1000 if lat else float("nan")
    p99 = lat[min(len(lat) - 1, int(len(lat) * 0.99))] * 1000 if lat else float("nan")
    print(f"{label:<24} /healthz p50 {p50:6.2f} ms  p99 {p99:7.2f} ms  "
          f"({len(lat)} answered, {sampler.failures} failed)  peak RSS {sampler.peak_rss / 1024:6.1f} MB")


def until(stop, fn):
    while not stop.is_set():
        try:
            fn()
        except OSError:
            time.sleep(0.01)


def slow_clients(port, stop, count=150):
    conns = []
    for _ in range(count):
        try:
            c = socket.create_connection(("127.0.0.1", port))
            c.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n")
            conns.append(c)
        except OSError:
            pass
    while not stop.is_set():
        for i, c in enumerate(conns):
            try:
                c.sendall(b"X-Slow: 1\r\n")
            except OSError:  # closed by the server (deadline): open another
                try:
                    conns[i] = socket.create_connection(("127.0.0.1", port))
                    conns[i].sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n")
                except OSError:
                    pass
        stop.wait(1.0)
    for c in conns:
        c.close()


def header_flood(port, stop):
    line = b"X-Filler: " + b"a" * 8180 + b"\r\n"

    def once():
        with socket.create_connection(("127.0.0.1", port)) as s:
            s.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n")
            for _ in range(2000):
                if stop.is_set():
                    return
                s.sendall(line)
    until(stop, once)


def post(port, path, body):
    with socket.create_connection(("127.0.0.1", port), timeout=10) as s:
        s.settimeout(10)
        s.sendall(f"POST {path} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                  f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n".encode() + body)
        while s.recv(65536):
            pass


def bodies(port, stop, body, path="/api/agent/login"):
    until(stop, lambda: post(port, path, body))


def main():
    deep = b"[" * 100_000 + b"]" * 100_000
    wide = b"{" + b",".join(b'"k%d":1' % i for i in range(85_000)) + b"}"
    setup = b'{"token":"not-the-token","email":"a@example.com","name":"A","password":"plum orchard lantern 42"}'
    with tempfile.TemporaryDirectory() as tmp:
        proc, port = start_server(tmp)
        try:
            quiet = Sampler(port, proc.pid)
            quiet.start()
            time.sleep(min(SECONDS, 5.0))
            quiet.stop.set()
            quiet.join()

            stop = threading.Event()
            attackers = [threading.Thread(target=slow_clients, args=(port, stop), daemon=True)]
            attackers += [threading.Thread(target=header_flood, args=(port, stop), daemon=True) for _ in range(2)]
            attackers += [threading.Thread(target=bodies, args=(port, stop, deep), daemon=True) for _ in range(2)]
            attackers += [threading.Thread(target=bodies, args=(port, stop, wide), daemon=True) for _ in range(2)]
            attackers += [threading.Thread(target=bodies, args=(port, stop, setup, "/api/setup"), daemon=True)]
            for a in attackers:
                a.start()
            time.sleep(0.5)
            loud = Sampler(port, proc.pid)
            loud.start()
            time.sleep(SECONDS)
            loud.stop.set()
            loud.join()
            stop.set()
            for a in attackers:
                a.join(timeout=5)
            time.sleep(6.0)  # the server hands freed memory back every 5 s
            after = rss_kb(proc.pid)
            alive = proc.poll() is None
        finally:
            proc.terminate()
            proc.wait(timeout=10)
    print(f"attack: 150 slow clients (a header line a second), 2 header floods (8 KB lines), "
          f"2 x 100,000-deep bodies, 2 x 85,000-key bodies, 1 setup flood; {SECONDS:.0f} s")
    report("quiet", quiet)
    report("under attack", loud)
    print(f"{'6 s after the attack':<24} RSS {after / 1024:6.1f} MB; server "
          f"{'still running' if alive else 'DIED'}")


if __name__ == "__main__":
    main()
