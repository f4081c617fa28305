"""`dossier attach`, `dossier scan`, `dossier paper` and the papers in `dossier show`, run
as a clerk and a volunteer would: the same rules as the windows, Vietnamese answers."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import pytest

from tests.test_cli import INIT, RECEIVE_AN, run
from tests.test_papers import text_page

SHA = re.compile(r"SHA-256 ([0-9a-f]{64})")


@pytest.fixture(autouse=True)
def logged_in(monkeypatch) -> None:
    monkeypatch.setenv("COUNTER_APP_USER", "admin")
    monkeypatch.setenv("COUNTER_APP_PASSWORD", "mat-khau-dai")


@pytest.fixture
def data(tmp_path, capsys) -> Path:
    folder = tmp_path / "data"
    assert run(capsys, folder, *INIT)[0] == 0
    return folder


def received(capsys, data: Path) -> str:
    code, out, _ = run(capsys, data, *RECEIVE_AN)
    assert code == 0
    return re.search(r"Mã hồ sơ: (\S+)", out).group(1)


def test_attach_scan_show_and_write_out(data, capsys, tmp_path):
    code = received(capsys, data)
    page = text_page(tmp_path / "to-khai.png")
    rc, out, err = run(capsys, data, "dossier", "attach", code, "--paper", "1", str(page))
    assert rc == 0, err
    assert "1 trang" in out
    attached = SHA.search(out).group(1)
    rc, out, err = run(
        capsys, data, "dossier", "scan", code, "--paper", "2", "--device", "test", "--pages", "2"
    )
    assert rc == 0, err
    assert "2 trang" in out
    rc, out, _ = run(capsys, data, "dossier", "show", code)
    assert rc == 0 and "Giấy tờ đã số hóa:" in out
    assert f"1 trang · SHA-256 {attached}" in out and "2 trang · SHA-256" in out
    paper_id = re.search(r"mã tệp ([0-9a-f]{32})", out).group(1)
    target = tmp_path / "ra.pdf"
    assert run(capsys, data, "dossier", "paper", paper_id, "--out", str(target))[0] == 0
    assert hashlib.sha256(target.read_bytes()).hexdigest() == attached


def test_results_only_once_done_and_with_who_and_when(data, capsys, tmp_path):
    code = received(capsys, data)
    page = text_page(tmp_path / "kq.png")
    rc, _, err = run(capsys, data, "dossier", "attach", code, "--paper", "1", "--result", str(page))
    assert rc == 1 and "không đính kèm giấy tờ kết quả được" in err
    for status in ("4", "9"):
        assert run(capsys, data, "dossier", "status", code, "--to", status)[0] == 0
    rc, out, err = run(
        capsys, data, "dossier", "attach", code, "--paper", "1", "--result",
        "--title", "Giấy khai sinh (bản chính)", str(page),
    )  # fmt: skip
    assert rc == 0, err
    _, out, _ = run(capsys, data, "dossier", "show", code)
    assert "Kết quả 1. Giấy khai sinh (bản chính): 1 trang" in out and "(admin)" in out


def test_a_volunteer_cannot_attach_to_an_accepted_dossier(data, capsys, tmp_path, monkeypatch):
    code = received(capsys, data)
    monkeypatch.setenv("COUNTER_APP_NEW_PASSWORD", "mat-khau-tnv")
    assert run(capsys, data, "users", "add", "tnv1", "--role", "volunteer")[0] == 0
    monkeypatch.setenv("COUNTER_APP_USER", "tnv1")
    monkeypatch.setenv("COUNTER_APP_PASSWORD", "mat-khau-tnv")
    page = text_page(tmp_path / "p.png")
    rc, _, err = run(capsys, data, "dossier", "attach", code, "--paper", "1", str(page))
    assert rc == 1 and "Tài khoản tình nguyện viên không được phép tiếp nhận hồ sơ" in err


def test_bad_input_is_one_vietnamese_line_and_nothing_written(data, capsys, tmp_path):
    code = received(capsys, data)
    bad = tmp_path / "Le Van An.jpg"
    bad.write_bytes(b"\xff\xd8 not really")
    rc, out, err = run(capsys, data, "dossier", "attach", code, "--paper", "1", str(bad))
    assert rc == 2 and "Tệp thứ 1 không phải PDF, JPEG hay PNG" in err
    assert "Traceback" not in err and "Le Van An" not in err
    rc, _, err = run(capsys, data, "dossier", "attach", code, "--paper", "1")
    assert rc == 2 and "ít nhất một tệp" in err
    rc, _, err = run(
        capsys, data, "dossier", "scan", code, "--paper", "1", "--device", "khong-co-may"
    )
    assert rc == 1 and "Máy quét báo lỗi" in err
    _, out, _ = run(capsys, data, "dossier", "show", code)
    assert "Giấy tờ đã số hóa: chưa có." in out
    assert not list((data / "papers").glob("*")) if (data / "papers").exists() else True
