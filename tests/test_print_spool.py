"""The spool against a real TCP printer on 127.0.0.1 that refuses, hangs up or runs out of paper."""

from __future__ import annotations

import socket
import socketserver
import sqlite3
import threading
import time
from datetime import datetime, timedelta

import pytest

from counter_app.core.clock import VN_TZ
from printers.documents import form01_document
from printers.escpos_decode import DecodeError, decode_escpos
from printers.samples import SAMPLE_HEADER, sample_dossier
from printers.spool import FAILED, PRINTED, QUEUED, UNKNOWN, Spool


class FakeLanPrinter:
    """A raw-port printer: keeps every connection's bytes, answers DLE EOT status queries.

    mode: "ok", "paper_out" (answers status with paper end), "runs_out" (paper ends during
    the job: fine before it, paper end after it), "hangup" (closes after a few
    hundred bytes of a job), "no_status" (reads everything, answers no status query, closes
    when the client has finished sending). A stopped printer refuses connections.
    """

    def __init__(self) -> None:
        self.mode = "ok"
        self.connections: list[bytes] = []
        self.lock = threading.Lock()
        probe = socket.socket()
        probe.bind(("127.0.0.1", 0))
        self.port = probe.getsockname()[1]
        probe.close()
        self.server: socketserver.ThreadingTCPServer | None = None

    @property
    def url(self) -> str:
        return f"tcp://127.0.0.1:{self.port}?timeout=2"

    def start(self) -> None:
        printer = self

        class Handler(socketserver.BaseRequestHandler):
            def handle(self) -> None:
                data = bytearray()
                self.request.settimeout(0.05)
                idle = 0
                while idle < 100:  # 5 s without a byte: the client is gone
                    try:
                        chunk = self.request.recv(65536)
                    except TimeoutError:
                        idle += 1
                        # a status query is answered when it is the last thing received
                        if (
                            printer.mode != "no_status"
                            and data[-3:-1] == b"\x10\x04"
                            and not data.endswith(b"\x10\x04\x00")
                        ):
                            self.request.sendall(printer.answer(data[-1], len(data)))
                            data += b"\x00"  # marks the query as answered
                        continue
                    if not chunk:
                        break
                    idle = 0
                    data += chunk
                    if printer.mode == "hangup" and len(data) > 400:
                        self.request.shutdown(socket.SHUT_RDWR)
                        break
                with printer.lock:
                    printer.connections.append(bytes(data))

        socketserver.ThreadingTCPServer.allow_reuse_address = True
        self.server = socketserver.ThreadingTCPServer(("127.0.0.1", self.port), Handler)
        self.server.daemon_threads = True
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def stop(self) -> None:
        if self.server is not None:
            self.server.shutdown()
            self.server.server_close()
            self.server = None

    def answer(self, n: int, received: int) -> bytes:
        # "runs_out": the paper ends while the job prints (asked after the job's bytes)
        out = self.mode == "paper_out" or (self.mode == "runs_out" and received > 1000)
        if n == 4:  # roll paper sensor: bits 5-6 paper end
            return bytes((0x12 | (0x60 if out else 0),))
        return bytes((0x12,))  # printer status: online

    def printed(self) -> list:
        """The jobs that reached the paper whole: streams with a cut at the end."""
        jobs = []
        with self.lock:
            for data in self.connections:
                # status queries (each followed by our "answered" marker) come before and
                # after the job, never inside it
                while data.startswith(b"\x10\x04") and data[3:4] == b"\x00":
                    data = data[4:]
                while data[-4:-2] == b"\x10\x04" and data.endswith(b"\x00"):
                    data = data[:-4]
                try:
                    decoded = decode_escpos(data)
                except DecodeError:  # cut short: nothing whole reached the paper
                    continue
                if decoded.cuts and decoded.images:
                    jobs.append(decoded)
        return jobs

    def wait_connections(self, n: int) -> None:
        deadline = time.monotonic() + 5
        while len(self.connections) < n and time.monotonic() < deadline:
            time.sleep(0.02)


class Clock:
    def __init__(self) -> None:
        self.now = datetime(2026, 4, 29, 9, 0, tzinfo=VN_TZ)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)


@pytest.fixture
def lan():
    printer = FakeLanPrinter()
    yield printer
    printer.stop()


@pytest.fixture
def clock():
    return Clock()


def doc(copy: int = 1):
    return form01_document(sample_dossier(), header=SAMPLE_HEADER, copy=copy, processing="3 ngày")


def test_a_job_waits_for_a_printer_that_is_off_and_prints_once_when_it_answers(
    tmp_path, lan, clock
):
    with Spool(tmp_path / "spool.db", clock=clock) as spool:
        job = spool.enqueue(doc(), lan.url).job
        refused = spool.deliver(job.id)
        assert refused.state == QUEUED and "Không kết nối được" in refused.reason
        assert spool.run_due() == []  # backoff: not yet
        lan.start()
        clock.advance(6)
        assert [j.state for j in spool.run_due()] == [PRINTED]
        assert spool.run_due(force=True) == []
    lan.wait_connections(1)
    assert len(lan.printed()) == 1


def test_jobs_survive_a_restart_and_print_exactly_once(tmp_path, lan, clock):
    spool = Spool(tmp_path / "spool.db", clock=clock)
    ids = [spool.enqueue(doc(copy), lan.url).job.id for copy in (1, 2)]
    spool.run_due()
    assert {spool.get(i).state for i in ids} == {QUEUED}
    spool.close()  # the program is closed while the printer is off

    lan.start()
    clock.advance(3600)
    with Spool(tmp_path / "spool.db", clock=clock) as again:
        done = again.run_due()
        assert [j.id for j in done] == ids and {j.state for j in done} == {PRINTED}
        again.run_due(force=True)
    with Spool(tmp_path / "spool.db", clock=clock) as third:
        assert third.run_due(force=True) == []
    lan.wait_connections(2)
    printed = lan.printed()
    assert len(printed) == 2
    expected = [doc(1), doc(2)]
    from printers.raster import render_raster

    for decoded, document in zip(printed, expected, strict=True):
        assert decoded.picture().tobytes() == render_raster(document).tobytes()


def test_paper_out_keeps_the_job_and_sends_no_slip(tmp_path, lan, clock):
    lan.mode = "paper_out"
    lan.start()
    with Spool(tmp_path / "spool.db", clock=clock) as spool:
        job = spool.deliver(spool.enqueue(doc(), lan.url).job.id)
        assert job.state == QUEUED and "hết giấy" in job.reason
        lan.mode = "ok"
        clock.advance(600)
        assert [j.state for j in spool.run_due()] == [PRINTED]
    lan.wait_connections(2)
    assert len(lan.printed()) == 1


def test_a_hang_up_mid_job_is_unknown_and_only_a_clerk_prints_it_again(tmp_path, lan, clock):
    lan.mode = "hangup"
    lan.start()
    with Spool(tmp_path / "spool.db", clock=clock) as spool:
        job = spool.deliver(spool.enqueue(doc(), lan.url).job.id)
        assert job.state == UNKNOWN
        lan.mode = "ok"
        clock.advance(3600)
        assert spool.run_due(force=True) == []  # never resent by itself
        again = spool.retry(job.id)
        assert again.state == PRINTED and again.reprint
    lan.wait_connections(2)
    printed = lan.printed()
    assert len(printed) == 1
    from printers.raster import render_raster

    assert printed[0].picture().tobytes() == render_raster(doc().as_reprint()).tobytes()


def test_a_job_left_printing_by_a_crash_becomes_unknown(tmp_path, clock):
    with Spool(tmp_path / "spool.db", clock=clock) as spool:
        job = spool.enqueue(doc(), "file:///dev/null").job
    raw = sqlite3.connect(tmp_path / "spool.db")
    raw.execute("UPDATE jobs SET state = 'printing' WHERE id = ?", (job.id,))
    raw.commit()
    raw.close()
    with Spool(tmp_path / "spool.db", clock=clock) as spool:
        assert spool.get(job.id).state == UNKNOWN
        assert spool.run_due(force=True) == []


def test_the_same_document_is_spooled_once_unless_a_reprint_is_asked(tmp_path, clock):
    out = tmp_path / "out.bin"
    url = f"file://{out}"
    with Spool(tmp_path / "spool.db", clock=clock) as spool:
        first = spool.enqueue(doc(), url)
        second = spool.enqueue(doc(), url)
        assert first.created and not second.created and first.job.id == second.job.id
        reprint = spool.enqueue(doc().as_reprint(), url)
        assert reprint.created
        assert {j.state for j in spool.run_due()} == {PRINTED}
    decoded = decode_escpos(out.read_bytes())
    assert decoded.cuts == 2


def test_a_job_that_never_gets_through_ends_failed_with_the_reason(tmp_path, lan, clock):
    with Spool(tmp_path / "spool.db", clock=clock, max_attempts=3) as spool:
        job = spool.enqueue(doc(), lan.url).job
        for _ in range(3):
            spool.run_due(force=True)
        final = spool.get(job.id)
        assert final.state == FAILED and "Không kết nối được" in final.reason
        assert [j.id for j in spool.stuck()] == [job.id]
        spool.cancel(job.id)
        assert spool.stuck() == []


class SilentPrinter:
    """A printer whose firmware hung: the TCP stack accepts the connection, nothing reads."""

    def __init__(self) -> None:
        self.listener = socket.socket()
        self.listener.bind(("127.0.0.1", 0))
        self.listener.listen(4)
        self.port = self.listener.getsockname()[1]
        self.held: list[socket.socket] = []
        self.stopped = threading.Event()
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        self.listener.settimeout(0.1)
        while not self.stopped.is_set():
            try:
                conn, _ = self.listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            self.held.append(conn)  # never read, never closed

    def url(self, **query: str) -> str:
        extra = "".join(f"&{k}={v}" for k, v in query.items())
        return f"tcp://127.0.0.1:{self.port}?timeout=1{extra}"

    def close(self) -> None:
        self.stopped.set()
        for conn in self.held:
            conn.close()
        self.listener.close()


@pytest.fixture
def silent():
    printer = SilentPrinter()
    yield printer
    printer.close()


@pytest.mark.parametrize("status", ["1", "0"])
def test_a_printer_that_accepts_and_reads_nothing_leaves_the_job_unknown(
    tmp_path, silent, clock, status
):
    with Spool(tmp_path / "spool.db", clock=clock) as spool:
        started = time.monotonic()
        job = spool.deliver(spool.enqueue(doc(), silent.url(status=status)).job.id)
        took = time.monotonic() - started
        assert job.state == UNKNOWN, job.reason
        assert "không xác nhận" in job.reason and job.printed_at is None
        assert took < 10  # bounded: the clerk hears about it while the citizen is there
        assert spool.run_due(force=True) == []  # never resent by itself
        assert [j.id for j in spool.stuck()] == [job.id]  # visible to the clerk


def test_a_hung_printer_with_a_full_buffer_is_broken_off_in_bounded_time(silent):
    """A payload larger than every socket buffer on the way cannot be sent whole."""
    from printers.backends import ConnectionBroken, open_backend

    backend = open_backend(silent.url(status="0"))
    started = time.monotonic()
    with pytest.raises(ConnectionBroken, match="không xác nhận"):
        backend.send(b"\x1b@" + b"\x00" * (64 * 1024 * 1024))
    assert time.monotonic() - started < 15


@pytest.mark.parametrize("mode", ["ok", "no_status"])
def test_a_printer_proves_the_job_by_its_status_or_by_closing_after_the_end(
    tmp_path, lan, clock, mode
):
    lan.mode = mode
    lan.start()
    with Spool(tmp_path / "spool.db", clock=clock) as spool:
        job = spool.deliver(spool.enqueue(doc(), lan.url).job.id)
        assert job.state == PRINTED and job.bytes_sent > 0
    lan.wait_connections(1)
    assert len(lan.printed()) == 1


def test_a_printer_that_takes_bytes_too_slowly_is_broken_off_at_the_deadline():
    """It never stalls long enough for the per-send timeout, yet the whole must end in time.

    The link's slowest acceptable rate is set high here so the deadline comes in seconds."""
    from printers.backends import ConnectionBroken, TcpBackend, open_backend, parse_printer_url

    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(1)
    done = threading.Event()

    def dribble() -> None:
        conn, _ = listener.accept()
        with conn:
            conn.settimeout(0.2)
            while not done.is_set():
                try:
                    conn.recv(65536)
                except TimeoutError:
                    continue
                time.sleep(0.05)

    threading.Thread(target=dribble, daemon=True).start()

    class QuickLink(TcpBackend):
        SLOW_LINK_BYTES = 10_000_000

    plain = open_backend(f"tcp://127.0.0.1:{listener.getsockname()[1]}?timeout=1&status=0")
    backend = QuickLink(parse_printer_url(plain.url), plain.profile)  # a tighter deadline
    started = time.monotonic()
    try:
        with pytest.raises(ConnectionBroken, match="không xác nhận"):
            backend.send(b"\x00" * (32 * 1024 * 1024))
        assert time.monotonic() - started < 8
    finally:
        done.set()
        listener.close()


def test_the_cli_tells_the_clerk_a_job_to_a_hung_printer_is_unknown(ctx, silent, capsys):
    from counter_app.cli import main
    from counter_app.services.dossiers import ApplicantInput, receive_dossier

    d = receive_dossier(
        ctx, procedure_code="1.000689", applicant=ApplicantInput(full_name="Lê Thị Lựu")
    )
    data_dir = ctx.store.path.parent
    code = main(
        ["--data-dir", str(data_dir), "print", "receipt", d.code, "--printer", silent.url()]
    )
    out, err = capsys.readouterr()
    assert code == 1 and "Đã in" not in out
    assert f"Không rõ Giấy tiếp nhận hồ sơ {d.code} đã in xong chưa" in out
    assert "không xác nhận" in out
    assert "printers retry" in out


@pytest.mark.parametrize("timeout", ["inf", "nan", "0", "-1", "1e9"])
def test_an_implausible_printer_timeout_is_refused(timeout):
    from counter_app.core.errors import ValidationError
    from printers.backends import open_backend

    with pytest.raises(ValidationError, match="timeout"):
        open_backend(f"tcp://127.0.0.1:9100?timeout={timeout}")


class HeldPrinter:
    """Takes the connection, then reads nothing until the test lets it; then reads the whole
    job and closes, as a printer busy with the slip before does."""

    def __init__(self) -> None:
        self.listener = socket.socket()
        self.listener.bind(("127.0.0.1", 0))
        self.listener.listen(4)
        self.go = threading.Event()
        self.connected = threading.Event()
        self.jobs: list[bytes] = []
        threading.Thread(target=self._serve, daemon=True).start()

    @property
    def url(self) -> str:
        return f"tcp://127.0.0.1:{self.listener.getsockname()[1]}?timeout=30&status=0"

    def _serve(self) -> None:
        while True:
            try:
                conn, _ = self.listener.accept()
            except OSError:
                return
            self.connected.set()
            self.go.wait()
            data = bytearray()
            with conn:
                conn.settimeout(5)
                try:
                    while chunk := conn.recv(65536):
                        data += chunk
                except OSError:
                    pass
            self.jobs.append(bytes(data))


def _child(spool_path, url):
    import subprocess
    import sys
    from pathlib import Path

    helper = Path(__file__).parent / "helpers" / "print_one_job.py"
    return subprocess.Popen(
        [sys.executable, str(helper), str(spool_path), url], stdout=subprocess.PIPE, text=True
    )


def _wait_state(spool_path, state: str) -> None:
    """Reads the spool file without opening a Spool (opening is what is under test)."""
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if spool_path.exists():
            raw = sqlite3.connect(spool_path, timeout=10)
            try:
                row = raw.execute("SELECT state FROM jobs").fetchone()
            except sqlite3.OperationalError:
                row = None
            finally:
                raw.close()
            if row and row[0] == state:
                return
        time.sleep(0.05)
    raise AssertionError(f"the job never reached {state}")


def test_a_second_process_leaves_a_job_in_flight_alone_and_it_prints_once(tmp_path, clock):
    from counter_app.core.errors import DomainError
    from printers.spool import PRINTING

    printer = HeldPrinter()
    path = tmp_path / "spool.db"
    child = _child(path, printer.url)
    try:
        _wait_state(path, PRINTING)
        assert printer.connected.wait(10)
        with Spool(path, clock=clock) as other:  # a second counter opens the spool
            (job,) = other.jobs()
            assert job.state == PRINTING
            assert other.run_due(force=True) == []
            with pytest.raises(DomainError):  # a clerk cannot print it a second time
                other.retry(job.id)
        printer.go.set()
        out, _ = child.communicate(timeout=60)
    finally:
        printer.go.set()
        child.kill()
        printer.listener.close()
    assert out.split() == ["state", PRINTED]
    with Spool(path, clock=clock) as again:
        assert again.get(job.id).state == PRINTED
    assert len(printer.jobs) == 1
    assert decode_escpos(printer.jobs[0]).cuts == 1
    assert list((tmp_path / "spool.db.owners").iterdir()) == []  # each spool took its own away


def test_a_job_whose_printing_process_was_killed_becomes_unknown(tmp_path, clock):
    printer = HeldPrinter()
    path = tmp_path / "spool.db"
    child = _child(path, printer.url)
    try:
        _wait_state(path, "printing")
        assert printer.connected.wait(10)
        child.kill()  # SIGKILL: no chance to say anything; the OS drops its lock
        child.wait(10)
        with Spool(path, clock=clock) as other:
            (job,) = other.jobs()
            assert job.state == UNKNOWN and "dừng khi đang in" in job.reason
            assert other.run_due(force=True) == []
    finally:
        printer.go.set()
        printer.listener.close()
    assert list((tmp_path / "spool.db.owners").glob("*.lock")) == []  # the dead owner's file


def test_lock_files_of_dead_spools_are_swept_and_living_ones_kept(tmp_path, clock):
    import os

    from printers.file_lock import FileLock

    owners = tmp_path / "spool.db.owners"
    owners.mkdir()
    dead, living = owners / ("d" * 32 + ".lock"), owners / ("a" * 32 + ".lock")
    dead.touch()
    held = FileLock(living)
    assert held.try_acquire()
    fresh = owners / ("f" * 32 + ".lock")
    fresh.touch()  # a spool that has just created its file and is about to lock it
    hour_ago = time.time() - 3600
    for path in (dead, living):
        os.utime(path, (hour_ago, hour_ago))
    try:
        Spool(tmp_path / "spool.db", clock=clock).close()
        assert sorted(p.name for p in owners.iterdir()) == sorted([living.name, fresh.name])
    finally:
        held.release()


def test_a_spool_written_before_owners_were_recorded_opens_and_recovers(tmp_path, clock):
    from printers.spool import _SCHEMA

    old = _SCHEMA.replace(",\n    owner TEXT NOT NULL DEFAULT ''", "")
    assert "owner" not in old
    raw = sqlite3.connect(tmp_path / "spool.db")
    raw.executescript(old)
    raw.execute(
        "INSERT INTO jobs(created_at, updated_at, printer, job_key, title, document, state, "
        "next_try_at) VALUES ('2026-04-29T09:00:00+07:00', '2026-04-29T09:00:00+07:00', "
        "'file:///dev/null', 'k', 't', '{}', 'printing', '2026-04-29T09:00:00+07:00')"
    )
    raw.commit()
    raw.close()
    with Spool(tmp_path / "spool.db", clock=clock) as spool:
        state = spool.conn.execute("SELECT state FROM jobs").fetchone()[0]
        assert state == UNKNOWN


def test_a_transport_whose_package_is_missing_fails_at_once_and_names_it(tmp_path, clock):
    """CUPS needs pycups, which no default install brings: no retry can cure that."""
    import importlib.util

    if importlib.util.find_spec("cups") is not None:
        pytest.skip("pycups is installed here")
    with Spool(tmp_path / "spool.db", clock=clock) as spool:
        job = spool.deliver(spool.enqueue(doc(), "cups://quay1").job.id)
        assert job.state == FAILED and job.attempts == 1
        assert "chưa cài gói «pycups»" in job.reason and "pip" not in job.reason
        clock.advance(3600)
        assert spool.run_due(force=True) == []


def test_declared_transports_are_installed_with_the_program():
    """USB and serial printers work on a clean install: pyproject brings their packages."""
    import escpos.printer

    from printers.backends import SerialBackend, UsbBackend

    for backend in (UsbBackend, SerialBackend):
        assert getattr(escpos.printer, backend.escpos_class).is_usable(), backend.package


def test_paper_that_runs_out_during_the_job_leaves_it_unknown(tmp_path, lan, clock):
    lan.mode = "runs_out"
    lan.start()
    with Spool(tmp_path / "spool.db", clock=clock) as spool:
        job = spool.deliver(spool.enqueue(doc(), lan.url).job.id)
        assert job.state == UNKNOWN and "hết giấy hoặc ngừng hoạt động trong khi in" in job.reason
        assert spool.run_due(force=True) == []


def test_a_printer_that_hangs_up_before_the_job_gets_it_again_later(tmp_path, clock):
    """Nothing of the job went out: it waits for the next try, it is not `unknown`."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(4)

    def slam() -> None:
        while True:
            try:
                conn, _ = listener.accept()
            except OSError:
                return
            conn.close()

    threading.Thread(target=slam, daemon=True).start()
    url = f"tcp://127.0.0.1:{listener.getsockname()[1]}?timeout=1"
    try:
        with Spool(tmp_path / "spool.db", clock=clock) as spool:
            job = spool.deliver(spool.enqueue(doc(), url).job.id)
            assert job.state == QUEUED and "không trả lời" in job.reason
    finally:
        listener.close()
