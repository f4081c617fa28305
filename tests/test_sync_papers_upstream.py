"""Papers' files upstream, exactly once: the real emulators of `dvcqg` and `motcua` on
127.0.0.1 hold each paper's file once, with the SHA-256 the station recorded, after the
sync process was SIGKILLed at random moments with faults on (a lost answer makes the
station upload again; the emulator keeps one copy per dossier and hash and answers the same
id; the station records the id in the transaction that learns it). A file over the
emulator's cap is set aside with a Vietnamese reason; the dossier's records name the files."""

from __future__ import annotations

import hashlib
import io
import multiprocessing
import os
import random
import signal
import time
from datetime import timedelta

import img2pdf
import pytest
import requests
from PIL import Image, ImageDraw

from counter_app.core.dossier import DossierStatus
from counter_app.core.paper_pdf import PaperPdf
from counter_app.services import dossiers as service
from counter_app.services.papers import attach_files, attach_pdf
from counter_app.store.paper_uploads import PaperUploads
from sync.dialects import make_engine
from sync.dialects.settings import save_settings
from sync.emulator_dvcqg import DEFAULT_ACCOUNT, DvcqgEmulator
from sync.emulator_motcua import DEFAULT_CLIENT, MotcuaEmulator
from sync.emulator_state import Faults
from sync.engine import SyncConfig
from sync.testing_dialects import OFFLINE_BLOCK, configure_motcua, dialect_sync_child
from tests.conftest import AGENCY

KINDS = {"dvcqg": (DvcqgEmulator, DEFAULT_ACCOUNT), "motcua": (MotcuaEmulator, DEFAULT_CLIENT)}
FAULTS = "5xx=0.1,drop_after=0.3,drop_before=0.05,latency=0.01,seed=7"
FAST = SyncConfig(max_tries=1000, backoff_base=0.01, backoff_cap=0.02, pause_base=0.01)
KILLS = 12


def page(path, seed: int, size=(700, 990)):
    """A small scanned-looking page, different for every seed (so every file differs)."""
    image = Image.new("L", size, 240)
    draw = ImageDraw.Draw(image)
    rng = random.Random(seed)
    for y in range(40, size[1] - 40, 24):
        x = 30
        while x < size[0] - 60:
            width = rng.randint(10, 50)
            draw.rectangle([x, y, x + width, y + 9], fill=rng.randint(10, 60))
            x += width + 8
    image.save(path, dpi=(200, 200))
    return path


def noise_pdf() -> PaperPdf:
    """A one-page PDF no compression shrinks (noise), kept as is: well over a small cap."""
    raw = io.BytesIO()
    Image.frombytes("L", (400, 400), random.Random(3).randbytes(400 * 400)).save(raw, "PNG")
    return PaperPdf(pdf=img2pdf.convert(raw.getvalue()), pages=1)


def configure(store, dialect: str, url: str) -> None:
    with store.transaction():
        save_settings(store, portal_url=url, dialect=dialect, credentials=KINDS[dialect][1])
    if dialect == "motcua":
        configure_motcua(store, url)


def emulator_files(url: str) -> list[dict]:
    return requests.get(f"{url}/_emulator/files", timeout=10).json()["files"]


def named_ids(dialect: str, url: str) -> dict[str, set[str]]:
    """The file ids each dossier's records name at the emulator."""
    held = requests.get(f"{url}/_emulator/dossiers", timeout=10).json()["dossiers"]
    named: dict[str, set[str]] = {}
    for d in held:
        if dialect == "dvcqg":
            ids = {f["TepDinhKemId"] for f in d["TaiLieuNop"]}
            ids |= {f["GiayToId"] for f in d["DanhSachGiayToKetQua"]}
            named[d["MaHoSo"]] = ids
        else:
            record = d["record"]
            ids = {f["IdTepTin"] for p in record["ThanhPhanHoSo"] for f in p["GiayToDinhKem"]}
            ids |= {f["IdTepTin"] for f in d["GiayToKetQua"] + d["GiayToDinhKem"]}
            named[record["MaHoSo"]] = ids
    return named


def kill_later(mp, args: tuple, rng: random.Random) -> None:
    """The sync in a forkserver child, SIGKILLed 0.3-1.5 s in (such a child needs some
    0.3 s to start): killed inside uploads as well as between them."""
    child = mp.Process(target=dialect_sync_child, args=args, daemon=True)
    child.start()
    time.sleep(rng.uniform(0.3, 1.5))
    os.kill(child.pid, signal.SIGKILL)
    child.join(5)
    assert child.exitcode == -signal.SIGKILL


@pytest.fixture(params=sorted(KINDS))
def dialect(request):
    return request.param


@pytest.fixture
def emulator(tmp_path, dialect):
    kind, _ = KINDS[dialect]
    extra = {"reserved": {AGENCY: OFFLINE_BLOCK}} if dialect == "motcua" else {}
    emu = kind(tmp_path / dialect, faults=FAULTS, **extra).start()
    yield emu
    emu.stop()


def test_each_paper_is_held_once_with_its_sha256_after_sigkills(
    store, ctx, clock, station, tmp_path, emulator, dialect
):
    rng = random.Random(17)
    configure(store, dialect, emulator.url)
    mp = multiprocessing.get_context("forkserver")
    mp.set_forkserver_preload(
        ["sync.testing_dialects", "sync.item_engine", "sync.dialects.dvcqg",
         "sync.dialects.motcua", "counter_app.services.papers"]
    )  # fmt: skip
    data_dir = str(tmp_path / "data")
    codes = []
    for round_no in range(KILLS):
        if round_no < 6:  # a dossier with two papers, one imported after the other
            d = service.receive_dossier(
                ctx,
                procedure_code="1.001193",
                applicant=service.ApplicantInput(full_name="Nguyễn Văn An"),
            )
            codes.append(d.code)
            for paper_no in (1, 2):
                png = page(tmp_path / f"p{round_no}-{paper_no}.png", round_no * 10 + paper_no)
                attach_files(ctx, d.code, paper_no, [png])
            clock.now += timedelta(seconds=30)
        if round_no == 7:  # a result returned with its file
            service.change_status(ctx, code=codes[0], to=DossierStatus.PROCESSING)
            service.change_status(ctx, code=codes[0], to=DossierStatus.DONE)
            result = page(tmp_path / "ketqua.png", 999)
            attach_files(ctx, codes[0], 1, [result], kind="result", title="Giấy khai sinh")
        args = (data_dir, emulator.url, clock.now.isoformat(), round_no, dialect)
        kill_later(mp, args, rng)

    emulator.state.set_faults(Faults())  # the link heals; one clean run finishes the job
    with store.transaction():
        store.conn.execute("UPDATE outbox SET next_try_epoch = 0")
    engine = make_engine(store, data_dir, emulator.url, clock=clock, config=FAST)
    report = engine.run_until_idle(max_rounds=30, horizon=1.0)
    assert report.ok and report.waiting == 0, (report, store.outbox.attention())

    papers = store.query("SELECT * FROM papers WHERE removed_at IS NULL")
    assert len(papers) == 6 * 2 + 1
    held = emulator_files(emulator.url)
    by_hash = {}
    for f in held:
        by_hash.setdefault((f["dossier_code"], f["sha256"]), []).append(f)
    for paper in papers:
        copies = by_hash.get((paper["dossier_code"], paper["sha256"]), [])
        assert len(copies) == 1, (paper["paper_no"], copies)  # held once, same SHA-256
        assert copies[0]["size"] == paper["size"]
        assert "Nguyễn" not in copies[0]["name"] and copies[0]["name"].endswith(".pdf")
    assert len(held) == len(papers)
    repeated = sum(f["uploads"] for f in held) - len(held)
    assert repeated > 0  # answers were lost after the emulator kept a file: sent again, held once
    # every paper's upstream id recorded, and the records name exactly those files
    destination = f"{dialect}:{emulator.url}"
    recorded = {p["paper_id"]: PaperUploads(store).get(p["paper_id"], destination) for p in papers}
    assert all(recorded.values())
    named = named_ids(dialect, emulator.url)
    for code in codes:
        ids = {recorded[p["paper_id"]].upstream_id for p in papers if p["dossier_code"] == code}
        assert named[code] == ids, code
    if dialect == "dvcqg":  # the link is the province's copy: same bytes as the station's
        first = next(p for p in papers if p["kind"] == "result")
        link = recorded[first["paper_id"]].link
        body = requests.get(link, timeout=10).content
        assert hashlib.sha256(body).hexdigest() == first["sha256"]
    print(f"{dialect}: files={len(held)} repeated uploads absorbed={repeated}")


def test_a_file_over_the_cap_is_set_aside_with_a_vietnamese_reason(
    store, ctx, clock, station, tmp_path, dialect
):
    kind, _ = KINDS[dialect]
    extra = {"reserved": {AGENCY: OFFLINE_BLOCK}} if dialect == "motcua" else {}
    emulator = kind(tmp_path / "cap", max_file_bytes=100_000, **extra).start()
    try:
        configure(store, dialect, emulator.url)
        d = service.receive_dossier(
            ctx, procedure_code="1.001193", applicant=service.ApplicantInput("Trần Thị Bình")
        )
        paper = attach_pdf(ctx, d.code, 1, noise_pdf())
        assert paper.size > 100_000
        engine = make_engine(store, tmp_path, emulator.url, clock=clock, config=FAST)
        engine.run_until_idle(max_rounds=5, horizon=0.5)
        aside = store.outbox.attention()
        # the paper's own event is set aside; the dossier went up without that file
        assert [i.op for i in aside] == ["paper.attach"], store.outbox.counts()
        held = requests.get(f"{emulator.url}/_emulator/dossiers", timeout=10).json()
        assert len(held["dossiers"]) == 1
        reason = aside[0].last_error
        assert reason.startswith("Tệp giấy tờ số 1 (") and "lớn hơn dung lượng tối đa" in reason
        assert "(0,1 MB)" in reason  # the emulator's cap, from its answer, in our words
        assert "Tệp vượt quá" not in reason  # never the upstream's own message
        assert emulator_files(emulator.url) == []
        refused = emulator.state.stats()["refused"]
        service.change_status(ctx, code=d.code, to=DossierStatus.PROCESSING)
        report = engine.run_until_idle(max_rounds=3, horizon=0.3)
        assert report.pushed == 1  # the dossier moves on, without the refused file
        assert emulator.state.stats()["refused"] == refused  # never sent again
    finally:
        emulator.stop()


def test_the_emulators_check_the_hash_and_keep_one_copy_per_dossier_and_hash(tmp_path, dialect):
    from sync.dialects.paper_upload import MultipartBody

    kind, account = KINDS[dialect]
    emulator = kind(tmp_path / "files").start()
    try:
        url = emulator.url
        if dialect == "motcua":
            token = requests.post(f"{url}/token", data={"grant_type": "client_credentials",
                                  **account}, timeout=10).json()["access_token"]  # fmt: skip
            path, headers, extra = "/UploadFile", {"Authorization": f"Bearer {token}"}, {}
        else:
            login = requests.post(f"{url}/auth", json={k: account[k] for k in
                                  ("username", "password")}, headers={"dstcode":
                                  account["dstcode"]}, timeout=10).json()  # fmt: skip
            path, headers = "/files", {"dstcode": account["dstcode"]}
            extra = {"session": login["session"]}
        data = noise_pdf().pdf
        digest = hashlib.sha256(data).hexdigest()

        def upload(declared: str) -> requests.Response:
            body = MultipartBody({**extra, "MaHoSo": "H22-1", "HashTepTin": declared},
                                 "giay-to-intake-1.pdf", data)  # fmt: skip
            sent = {**headers, "Content-Type": body.content_type}
            return requests.post(url + path, data=body, headers=sent, timeout=10)

        wrong = upload("0" * 64)
        assert wrong.status_code == 400 and "HashTepTin" in wrong.json()["message"]
        first, again = upload(digest).json(), upload(digest).json()
        key = "data" if dialect == "motcua" else "result"
        ident = "IdTepTin" if dialect == "motcua" else "TepDinhKemId"
        assert first[key][ident] == again[key][ident] and first[key]["HashTepTin"] == digest
        listed = emulator_files(url)
        assert [(f["dossier_code"], f["sha256"], f["size"], f["uploads"]) for f in listed] == [
            ("H22-1", digest, len(data), 2)
        ]
        if dialect == "dvcqg":  # the link serves the province's copy
            link = url + first["result"]["DuongDanTaiTepTin"]
            assert requests.get(link, timeout=10).content == data
    finally:
        emulator.stop()
