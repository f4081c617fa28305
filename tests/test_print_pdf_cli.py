"""Form 01 on A5 and the tracking book on A4 through Qt; `counter-app print` end to end."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from datetime import date

from counter_app.cli import main
from counter_app.services.dossiers import ApplicantInput, receive_dossier
from printers.documents import form01_document
from printers.escpos_decode import decode_escpos
from printers.pdf import document_pdf, tracking_book_pdf
from printers.raster import render_raster
from printers.samples import SAMPLE_HEADER, sample_dossier


def _pages(path) -> int:
    return len(re.findall(rb"/Type\s*/Page[^s]", path.read_bytes()))


def test_form01_on_a5_pdf(qapp, tmp_path):
    out = tmp_path / "form01.pdf"
    doc = form01_document(sample_dossier(), header=SAMPLE_HEADER, copy=1, processing="3 ngày")
    assert document_pdf(doc, out) == 1
    data = out.read_bytes()
    assert data.startswith(b"%PDF") and _pages(out) == 1
    assert b"/MediaBox [0 0 419" in data or b"/MediaBox [0 0 420" in data  # A5: 148 mm wide
    if shutil.which("pdftoppm"):
        subprocess.run(["pdftoppm", "-r", "40", "-png", str(out), str(tmp_path / "p")], check=True)
        assert (tmp_path / "p-1.png").exists()


def test_tracking_book_breaks_pages_on_a4(qapp, tmp_path):
    out = tmp_path / "book.pdf"
    pages = tracking_book_pdf(
        [sample_dossier()] * 40,
        out,
        center_name="Trung tâm xã Tân Lập",
        start=date(2026, 4, 1),
        end=date(2026, 4, 30),
    )
    assert pages > 1 and _pages(out) == pages


def test_print_receipt_through_a_file_printer(ctx, tmp_path, capsys):
    d = receive_dossier(
        ctx,
        procedure_code="1.000689",
        applicant=ApplicantInput(full_name="nguyễn thị đường", address="Thôn Thượng Đồng"),
    )
    data_dir = ctx.store.path.parent if hasattr(ctx.store, "path") else tmp_path / "data"
    out = tmp_path / "slip.bin"
    args = [
        "--data-dir",
        str(data_dir),
        "print",
        "receipt",
        d.code,
        "--copies",
        "2",
        "--printer",
        f"file://{out}?width=58",
    ]
    assert main(args) == 0
    printed = capsys.readouterr().out
    assert printed.count("Đã in Giấy tiếp nhận hồ sơ") == 2
    decoded = decode_escpos(out.read_bytes())
    assert decoded.cuts == 2 and decoded.picture().width == 384

    # the same command again prints nothing more
    assert main(args) == 0
    assert "không in thêm" in capsys.readouterr().out
    assert decode_escpos(out.read_bytes()).cuts == 2

    # a reprint is asked for: one more slip, marked as such
    assert main([*args[:5], "--printer", f"file://{out}?width=58", "--reprint"]) == 0
    capsys.readouterr()
    assert decode_escpos(out.read_bytes()).cuts == 3

    assert main(["--data-dir", str(data_dir), "printers", "jobs", "--all", "--json"]) == 0
    jobs = json.loads(capsys.readouterr().out)
    assert [j["state"] for j in jobs] == ["printed"] * 3
    assert sum(j["reprint"] for j in jobs) == 1


def test_print_to_an_absent_printer_keeps_the_job_and_says_so(ctx, tmp_path, capsys):
    d = receive_dossier(
        ctx, procedure_code="1.000689", applicant=ApplicantInput(full_name="Trần Văn Ẩn")
    )
    data_dir = tmp_path / "data"
    code = main(
        [
            "--data-dir",
            str(data_dir),
            "print",
            "receipt",
            d.code,
            "--printer",
            "tcp://127.0.0.1:9?timeout=1",
        ]
    )
    out, err = capsys.readouterr()
    assert code == 1 and "được giữ lại" in out and "printers jobs" in err
    assert main(["--data-dir", str(data_dir), "printers", "jobs"]) == 0
    assert "Đang chờ in" in capsys.readouterr().out


def test_decoded_receipt_matches_a_fresh_render():
    doc = form01_document(sample_dossier(), header=SAMPLE_HEADER, copy=2, processing="3 ngày")
    from printers.escpos_render import encode_document

    assert decode_escpos(encode_document(doc)).picture().tobytes() == render_raster(doc).tobytes()


def test_pdf_folder_printer_gets_each_spooled_job_once_as_a_readable_pdf(qapp, tmp_path):
    from datetime import datetime

    from counter_app.core.clock import VN_TZ
    from printers.spool import PRINTED, QUEUED, Spool

    folder = tmp_path / "phieu-in"
    folder.write_text("not a folder yet")  # the share is not mounted: nothing can be written
    url = f"pdf://{folder}"
    doc = form01_document(sample_dossier(), header=SAMPLE_HEADER, copy=1, processing="3 ngày")
    clock = lambda: datetime(2026, 4, 29, 9, 0, tzinfo=VN_TZ)  # noqa: E731
    with Spool(tmp_path / "spool.db", clock=clock) as spool:
        job = spool.deliver(spool.enqueue(doc, url).job.id)
        assert job.state == QUEUED and "Không ghi được tệp PDF" in job.reason
        folder.unlink()  # the share is back
        assert [j.state for j in spool.run_due(force=True)] == [PRINTED]
        assert spool.run_due(force=True) == []
        assert not spool.enqueue(doc, url).created  # asked again: held, not printed again
        assert spool.run_due(force=True) == []
        bytes_sent = spool.get(job.id).bytes_sent
    with Spool(tmp_path / "spool.db", clock=clock) as again:  # and after a restart
        assert again.run_due(force=True) == []

    files = sorted(folder.iterdir())
    assert [f.name for f in files] == [f"{job.id:06d}-form01.pdf"]  # no .part left behind
    data = files[0].read_bytes()
    assert data.startswith(b"%PDF-") and data.rstrip().endswith(b"%%EOF")
    assert len(data) == bytes_sent and _pages(files[0]) == 1
    if shutil.which("pdftoppm"):
        subprocess.run(
            ["pdftoppm", "-r", "40", "-png", str(files[0]), str(tmp_path / "job")], check=True
        )
        from PIL import Image

        with Image.open(tmp_path / "job-1.png") as page:
            assert page.width < page.height  # A5 portrait
            assert page.convert("L").getextrema()[0] < 128  # there is ink on it
