"""Every process that draws with Qt runs with the None guard: a long tracking book in a fresh
`counter-app` process finishes, and its PDF holds every row (read back with pdftotext)."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from counter_app.cli import main
from counter_app.core.clock import system_now
from counter_app.services.dossiers import ApplicantInput, receive_dossier
from counter_app.services.setup import open_context
from counter_app.store import open_store

INIT = [
    "init", "--agency-code", "000.00.01.H22", "--center-name", "Trung tâm xã Tân Lập",
    "--admin-password", "mat-khau-dai",
]  # fmt: skip
PEOPLE = 210
FAMILY = ("Nguyễn", "Trần", "Lê", "Phạm", "Đặng")
GIVEN = ("Hồng", "Đường", "Ẩn", "Lựu", "Nguyệt", "Thủy", "Yến")


def pdf_text(path) -> str:
    """The PDF's text layer as a reader sees it."""
    assert shutil.which("pdftotext"), "pdftotext (poppler-utils) is needed: .ci/run installs it"
    done = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    )
    return done.stdout


@pytest.fixture
def busy_store(tmp_path, monkeypatch, capsys):
    """A store holding PEOPLE dossiers received today, with an admin who can log in."""
    monkeypatch.setenv("COUNTER_APP_USER", "admin")
    monkeypatch.setenv("COUNTER_APP_PASSWORD", "mat-khau-dai")
    data = tmp_path / "data"
    assert main(["--data-dir", str(data), *INIT]) == 0
    capsys.readouterr()
    store = open_store(data)
    try:
        ctx = open_context(store, clock=system_now)
        codes = [
            receive_dossier(
                ctx,
                procedure_code="1.000689",
                applicant=ApplicantInput(full_name=f"{FAMILY[i % 5]} Thị {GIVEN[i % 7]}"),
            ).code
            for i in range(PEOPLE)
        ]
    finally:
        store.close()
    return data, codes


@pytest.mark.parametrize(
    "display",
    [
        pytest.param({"QT_QPA_PLATFORM": "offscreen"}, id="headless"),
        # a PDF needs no display: a broken one (no X server here, or missing xcb
        # libraries) must not abort the command
        pytest.param({"QT_QPA_PLATFORM": "xcb", "DISPLAY": ":97"}, id="broken-display"),
    ],
)
def test_a_long_tracking_book_in_a_fresh_process_ends_well_and_lists_every_row(
    busy_store, tmp_path, display
):
    data, codes = busy_store
    out = tmp_path / "so-theo-doi.pdf"
    today = f"{system_now():%Y-%m-%d}"
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "QT_QPA_PLATFORM")}
    env.update(display, COUNTER_APP_USER="admin", COUNTER_APP_PASSWORD="mat-khau-dai")
    done = subprocess.run(
        [sys.executable, "-c", "from counter_app.cli import main; raise SystemExit(main())",
         "--data-dir", str(data), "print", "tracking-book", "--from", today, "--to", today,
         "--out", str(out)],
        capture_output=True, text=True, env=env, timeout=300,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-2000:]
    assert f"{PEOPLE} hồ sơ" in done.stdout
    text = pdf_text(out)
    assert "SỔ THEO DÕI HỒ SƠ" in text
    for i, code in enumerate(codes):
        assert code in text, f"row {i} ({code}) is missing from the PDF"
    assert f"Tổng số: {PEOPLE} hồ sơ." in text


def test_only_qt_process_creates_a_qt_application():
    """A second place that builds an application would run without the None guard."""
    root = Path(__file__).resolve().parents[1]
    makers = re.compile(r"\b(QApplication|QGuiApplication|QCoreApplication)\(")
    found = [
        str(path.relative_to(root))
        for package in ("counter_app", "printers", "sync", "bench")
        for path in (root / package).rglob("*.py")
        if makers.search(path.read_text(encoding="utf-8"))
    ]
    # bench/ui_startup.py times a bare QApplication on purpose, as the floor to compare with
    assert sorted(found) == ["bench/ui_startup.py", "counter_app/qt_process.py"]
