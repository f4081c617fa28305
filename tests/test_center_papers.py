"""Papers in a center of real processes (a hub running nats-server, counters, a kiosk): a
paper scanned at counter 1 opens at counter 2 and is kept at the hub, travelling sealed
through JetStream's object store; a kiosk never holds one."""

from __future__ import annotations

import hashlib
import re
import time

from counter_app.center.lab import cli
from counter_app.store import open_store
from tests.test_papers import text_page


def _wait_for_file(folder, name: str, timeout: float = 30) -> bytes:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if (folder / name).is_file():
            return (folder / name).read_bytes()
        time.sleep(0.3)
    raise AssertionError("the hub never kept the paper")


def test_a_paper_scanned_at_one_counter_opens_at_another_and_at_the_hub(center, tmp_path):
    kiosk = center.join("kiosk", "kiosk")
    first, second = center.join("c1", "counter"), center.join("c2", "counter")
    received = cli(first, "dossier", "receive", "--documents", "all", "--procedure", "1.001193",
                   "--name", "Nguyễn Thị Đường", "--citizen-id", "001190012345").stdout  # fmt: skip
    code = re.search(r"Mã hồ sơ: (\S+)", received).group(1)
    page = text_page(tmp_path / "to-khai.png")
    attached = cli(first, "dossier", "attach", code, "--paper", "1", str(page)).stdout
    sha = re.search(r"SHA-256 ([0-9a-f]{64})", attached).group(1)
    paper_id = re.search(r"Mã tệp: ([0-9a-f]{32})", attached).group(1)

    # counter 2 sees the paper in the dossier and opens it: fetched from the hub, same bytes
    shown = cli(second, "dossier", "show", code).stdout
    assert f"SHA-256 {sha}" in shown
    assert not (second / "papers" / paper_id).exists()  # fetched on demand only
    out = tmp_path / "c2.pdf"
    cli(second, "dossier", "paper", paper_id, "--out", str(out))
    assert hashlib.sha256(out.read_bytes()).hexdigest() == sha
    assert (second / "papers" / paper_id).exists()  # kept sealed for next time

    # the hub keeps its own copy for the portal (its `hub start` turn fetches it)
    kept = _wait_for_file(center.hub_dir / "papers", paper_id)
    hub = open_store(center.hub_dir)
    try:
        row = hub.papers.get(paper_id)
        assert row["sha256"] == sha and row["dossier_code"] == code
        assert kept == (first / "papers" / paper_id).read_bytes()  # the blob as sealed at rest
    finally:
        hub.close()

    # a kiosk never holds papers: it does not fetch one, even for an admin
    target = tmp_path / "k.pdf"
    refused = cli(kiosk, "dossier", "paper", paper_id, "--out", str(target), check=False)
    assert refused.returncode == 1 and "chưa có trên máy này" in refused.stderr
    assert not (kiosk / "papers").exists() or not any((kiosk / "papers").iterdir())

    # nothing readable in the hub's JetStream folder: no PDF, no page bytes
    center.kill_hub()
    pdf = out.read_bytes()
    stored = b"".join(p.read_bytes() for p in (center.hub_dir / "nats").rglob("*") if p.is_file())
    assert kept[-200:] in stored  # the object store did hold the sealed file
    assert b"%PDF" not in stored and pdf[300:364] not in stored
