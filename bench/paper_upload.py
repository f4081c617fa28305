"""Benchmark: a day's papers uploaded upstream over a slow provincial link.

60 papers of about 300 KB (quick: 10), digitised and sealed in a real store, are uploaded by
the `motcua` (or `dvcqg`) dialect's own upload path (sync/dialects/paper_upload.py) to the
emulator, run as `counter-app portal-emulator` in its own process, through a throttling proxy
(bench/throttle.py, its own process too) at 1 Mbit/s with a 300 ms round trip. Figures:
- time_ratio: wall time (login included) / the link's lower bound for those bytes (the
  files' bytes / bandwidth). Target <= 1.2.
- send_memory_ratio: the most memory this process held while sending one file (Python's
  allocations by tracemalloc, from the upload's start to its answer, the file itself
  counted) / that file's size, the worst file. Target <= 2.
- open_memory_ratio: the same while opening the sealed file to its clear bytes, before the
  send (reported, not a target of the issue).
- held_once: every file at the emulator once with the station's SHA-256.

Run: `python -m bench.paper_upload [--quick] [--dialect motcua|dvcqg]`.
"""

from __future__ import annotations

import argparse
import io
import json
import random
import socket
import subprocess
import sys
import tempfile
import time
import tracemalloc
import urllib.request
from datetime import datetime
from pathlib import Path

import img2pdf
from PIL import Image

from counter_app.core.clock import VN_TZ
from counter_app.core.paper_pdf import PaperPdf
from counter_app.core.roles import Actor, Role
from counter_app.services import dossiers as service
from counter_app.services.context import ServiceContext
from counter_app.services.papers import attach_pdf
from counter_app.services.setup import initialise_store
from counter_app.store import open_store

BANDWIDTH = 125_000  # bytes/s = 1 Mbit/s
RTT = 0.3
FILE_SIZE = 300_000


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait(url: str, seconds: float = 30.0) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url, timeout=2).read()
            return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"nothing answers at {url}")


def a_paper(rng: random.Random) -> PaperPdf:
    """A one-page PDF of about FILE_SIZE bytes: a noisy greyscale scan no encoder shrinks."""
    side = int((FILE_SIZE * 0.95) ** 0.5)
    image = Image.frombytes("L", (side, side), rng.randbytes(side * side))
    raw = io.BytesIO()
    image.save(raw, format="PNG")
    return PaperPdf(pdf=img2pdf.convert(raw.getvalue()), pages=1)


def _dialect(store, name: str, url: str):
    if name == "dvcqg":
        from sync.dialects.dvcqg import DvcqgDialect
        from sync.emulator_dvcqg import DEFAULT_ACCOUNT

        return DvcqgDialect(store, url, DEFAULT_ACCOUNT)
    from sync.dialects.motcua import MotcuaDialect
    from sync.emulator_motcua import DEFAULT_CLIENT

    return MotcuaDialect(store, url, DEFAULT_CLIENT)


class _Meter:
    """tracemalloc's peak around a call, over what was held before it (minus `held`)."""

    def __init__(self) -> None:
        self.ratios: list[float] = []

    def around(self, call, size_of):
        def measured(*args):
            held = size_of(*args)
            before = tracemalloc.get_traced_memory()[0] - held
            tracemalloc.reset_peak()
            result = call(*args)
            size = held or len(result)
            self.ratios.append((tracemalloc.get_traced_memory()[1] - before) / size)
            return result

        return measured


def run(quick: bool = False, dialect: str = "motcua") -> dict:
    files = 10 if quick else 60
    rng = random.Random(2026)
    with tempfile.TemporaryDirectory(prefix="bench-papers-") as tmp:
        folder = Path(tmp)
        store = open_store(folder / "data")
        now = datetime.now(VN_TZ).replace(hour=9, minute=0, second=0, microsecond=0)
        admin = Actor("admin", Role.ADMIN)  # demo_key: a key file, no passphrase to type
        station = initialise_store(store, agency_code="000.00.01.H22", center_name="Xã Tân Lập",
                                   now=now, actor=admin, demo_key=True)  # fmt: skip
        ctx = ServiceContext(store, lambda: now, station, Actor("canbo1", Role.CLERK))
        codes, sizes = [], []
        while len(sizes) < files:
            applicant = service.ApplicantInput("Trần Thị Bình")
            d = service.receive_dossier(ctx, procedure_code="1.001193", applicant=applicant)
            codes.append(d.code)
            for paper_no in range(1, min(3, len(d.documents), files - len(sizes)) + 1):
                sizes.append(attach_pdf(ctx, d.code, paper_no, a_paper(rng)).size)

        port, proxy_port = _free_port(), _free_port()
        agency = f"{station.agency_code}=9000-9999"
        emulator = subprocess.Popen(
            [sys.executable, "-m", "counter_app", "portal-emulator", "--dialect", dialect,
             "--port", str(port), "--data", str(folder / "emulator")]
            + (["--reserve", agency] if dialect == "motcua" else []),
            stdout=subprocess.DEVNULL,
        )  # fmt: skip
        proxy = subprocess.Popen(
            [sys.executable, "-m", "bench.throttle", "--listen", str(proxy_port), "--target",
             f"127.0.0.1:{port}", "--bandwidth", str(BANDWIDTH), "--rtt", str(RTT)],
            stdout=subprocess.DEVNULL,
        )  # fmt: skip
        try:
            direct = f"http://127.0.0.1:{port}"
            _wait(direct + "/_emulator/stats")
            _wait(f"http://127.0.0.1:{proxy_port}/_emulator/stats")
            upstream = _dialect(store, dialect, f"http://127.0.0.1:{proxy_port}")
            send, opening = _Meter(), _Meter()
            shipper = upstream.papers
            shipper.upload = send.around(shipper.upload, lambda row, clear: len(clear))
            shipper._clear = opening.around(shipper._clear, lambda row: 0)
            tracemalloc.start()
            started = time.perf_counter()
            upstream.login()
            for code in codes:
                shipper.held(code, "intake")
            seconds = time.perf_counter() - started
            tracemalloc.stop()
            with urllib.request.urlopen(direct + "/_emulator/files", timeout=10) as answer:
                held = json.loads(answer.read())["files"]
        finally:
            for child in (proxy, emulator):
                child.terminate()
                child.wait(10)
        local = {(r["dossier_code"], r["sha256"]) for r in store.query("SELECT * FROM papers")}
        store.close()
    payload = sum(sizes)
    bound = payload / BANDWIDTH
    return {
        "dialect": dialect,
        "files": len(sizes),
        "mean_file_kb": round(payload / len(sizes) / 1000, 1),
        "payload_mb": round(payload / 1e6, 2),
        "seconds": round(seconds, 1),
        "lower_bound_s": round(bound, 1),
        "time_ratio": round(seconds / bound, 3),
        "send_memory_ratio": round(max(send.ratios), 3),
        "open_memory_ratio": round(max(opening.ratios), 3),
        "held_once": sorted(local) == sorted((f["dossier_code"], f["sha256"]) for f in held),
        "targets": {"time_ratio": 1.2, "send_memory_ratio": 2.0},
    }


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.paper_upload")
    parser.add_argument("--quick", action="store_true", help="10 files instead of 60")
    parser.add_argument("--dialect", choices=("motcua", "dvcqg"), default="motcua")
    args = parser.parse_args()
    print(json.dumps(run(args.quick, args.dialect), indent=2))


if __name__ == "__main__":
    main()
