"""A throttling TCP proxy on 127.0.0.1: a slow provincial link between a station and an
upstream, for the benchmarks (bench/paper_upload.py).

Each direction of each connection is one pipe with a bandwidth and half the round trip:
a block read at time t leaves at max(t, when the pipe is free) + size / bandwidth, and
arrives half a round trip later, so a request waits a whole round trip for its answer and
bytes queue behind bytes as on a real line. Every direction of every connection shares one
pipe per direction (a line is one line, however many connections cross it). Bounded: blocks
of 4 KB, at most 64 queued per direction of a connection (the reader waits), at most 16
connections at once.

Run: `python -m bench.throttle --listen PORT --target HOST:PORT [--bandwidth B] [--rtt S]`.
"""

from __future__ import annotations

import argparse
import contextlib
import queue
import socket
import threading
import time

BLOCK = 4096
QUEUED = 64
CONNECTIONS = 16


class Line:
    """One direction of the link: when it is free again, shared by every connection."""

    def __init__(self, bandwidth: float) -> None:
        self.bandwidth = bandwidth
        self._free = 0.0
        self._lock = threading.Lock()

    def leaves_at(self, size: int) -> float:
        with self._lock:
            start = max(time.monotonic(), self._free)
            self._free = start + size / self.bandwidth
            return self._free


def _pipe(src: socket.socket, dst: socket.socket, line: Line, one_way: float) -> None:
    blocks: queue.Queue = queue.Queue(maxsize=QUEUED)

    def deliver() -> None:
        while True:
            item = blocks.get()
            if item is None:
                with contextlib.suppress(OSError):
                    dst.shutdown(socket.SHUT_WR)
                return
            due, data = item
            delay = due - time.monotonic()
            if delay > 0:
                time.sleep(delay)
            try:
                dst.sendall(data)
            except OSError:
                return

    writer = threading.Thread(target=deliver, daemon=True)
    writer.start()
    try:
        while data := src.recv(BLOCK):
            blocks.put((line.leaves_at(len(data)) + one_way, data))
    except OSError:
        pass
    blocks.put(None)
    writer.join()


def _serve_one(client: socket.socket, target: tuple[str, int], lines: tuple[Line, Line],
               one_way: float, slots: threading.Semaphore) -> None:  # fmt: skip
    try:
        upstream = socket.create_connection(target)
    except OSError:
        client.close()
        slots.release()
        return
    for s in (client, upstream):
        s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    up = threading.Thread(target=_pipe, args=(client, upstream, lines[0], one_way), daemon=True)
    up.start()
    _pipe(upstream, client, lines[1], one_way)
    up.join()
    client.close()
    upstream.close()
    slots.release()


def serve(listen: int, target: tuple[str, int], bandwidth: float, rtt: float,
          ready: threading.Event | None = None) -> None:  # fmt: skip
    lines = (Line(bandwidth), Line(bandwidth))
    slots = threading.Semaphore(CONNECTIONS)
    server = socket.create_server(("127.0.0.1", listen))
    if ready is not None:
        ready.set()
    print(f"throttle 127.0.0.1:{server.getsockname()[1]} -> {target}", flush=True)
    while True:
        slots.acquire()
        client, _ = server.accept()
        args = (client, target, lines, rtt / 2, slots)
        threading.Thread(target=_serve_one, args=args, daemon=True).start()


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.throttle")
    parser.add_argument("--listen", type=int, required=True)
    parser.add_argument("--target", required=True, help="HOST:PORT")
    parser.add_argument("--bandwidth", type=float, default=125_000, help="bytes/s each way")
    parser.add_argument("--rtt", type=float, default=0.3, help="round trip, seconds")
    args = parser.parse_args()
    host, _, port = args.target.rpartition(":")
    serve(args.listen, (host, int(port)), args.bandwidth, args.rtt)


if __name__ == "__main__":
    main()
