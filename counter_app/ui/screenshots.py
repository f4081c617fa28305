"""`counter-app screenshots`: every window on a demo store, drawn offscreen to PNG files."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

NORMAL = (1366, 768)
BIG = (1920, 1080)
QR_SAMPLE = (
    "001190012345|012345678|Nguyễn Thị Đường|12031990|Nữ|"
    "Thôn Nà Pồng, xã Tân Lập, tỉnh Tuyên Quang|15082021"
)


def _settle(app, rounds: int = 5) -> None:
    for _ in range(rounds):
        app.processEvents()


def _save(app, widget, size, path: Path) -> Path:
    widget.resize(*size)
    widget.show()
    _settle(app)
    widget.grab().save(str(path))
    return path


ONLINE_SAMPLES = (  # name, hours since it was filed, round
    ("Hoàng Thị Thanh Hương", 30, 1),
    ("Lò Văn Páo", 20, 2),
    ("Nguyễn Văn Đức", 2, 1),
)


def _seed_online(ctx) -> None:
    """Three dossiers filed online, as the pull takes them in: late, urgent and fresh."""
    import hashlib
    import io
    from datetime import timedelta

    from PIL import Image, ImageDraw

    from counter_app.services.dossiers import ApplicantInput
    from counter_app.services.online_intake import (
        OnlineComponent,
        OnlineFile,
        OnlineSubmission,
        take_in,
    )

    page = Image.new("L", (620, 880), 245)
    draw = ImageDraw.Draw(page)
    for y in range(60, 820, 40):
        draw.rectangle([50, y, 50 + (y * 7) % 480, y + 14], fill=40)
    png = io.BytesIO()
    page.save(png, "PNG")
    paper = OnlineFile(hashlib.sha256(png.getvalue()).hexdigest(), png.getvalue())
    for n, (name, hours, round_no) in enumerate(ONLINE_SAMPLES, start=1):
        take_in(ctx, OnlineSubmission(
            upstream_code=f"G22.99-DEMO-{n:04d}", procedure_code="1.001193",
            submitted_at=ctx.now() - timedelta(hours=hours), round=round_no,
            applicant=ApplicantInput(full_name=name),
            components=(OnlineComponent("Tờ khai đăng ký khai sinh", (paper,)),),
        ))  # fmt: skip


def render_all(out: Path, *, lang: str = "vi") -> list[Path]:
    """Draw every window on a fresh demo store in a temporary folder, removed afterwards.

    The pictures take tickets and call one: on a real store (COUNTER_APP_DATA set) that
    wrote eight tickets and a call into a center's record. So no data folder is accepted.
    """
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="counter-app-shots-") as folder:
        return _render(out, Path(folder), lang)


def _render(out: Path, folder: Path, lang: str) -> list[Path]:
    from counter_app.core.clock import system_now
    from counter_app.services.demo import DEMO_ACCOUNTS, ensure_demo_store
    from counter_app.ui import gateway
    from counter_app.ui.qtapp import make_app
    from counter_app.ui.session import Session
    from counter_app.ui.shell import StationWindow, make_screen

    app = make_app(lang)
    store, _ = ensure_demo_store(folder, now=system_now())
    clock = system_now
    files: list[Path] = []

    def window_for(username: str) -> StationWindow:
        session = Session(store, clock=clock, data_dir=str(folder), demo=True)
        window = StationWindow()
        window.attach(session, demo_accounts=DEMO_ACCOUNTS)
        window.resize(*NORMAL)
        window.show()
        window.login.username.setText(username)
        window.login.password.setText(DEMO_ACCOUNTS[username][1])
        window.login.submit.click()
        return window

    login = StationWindow()
    login.attach(Session(store, clock=clock, data_dir=str(folder)), demo_accounts=DEMO_ACCOUNTS)
    files.append(_save(app, login, NORMAL, out / "login.png"))

    clerk = window_for("canbo")
    session = clerk.session
    kiosk_ctx = session.kiosk_ctx()
    for group, priority in (("A", ""), ("A", "elderly"), ("B", ""), ("A", ""), ("C", ""),
                            ("B", "pregnant"), ("E", ""), ("A", "")):  # fmt: skip
        gateway.take_ticket(kiosk_ctx, group=group, priority=priority)
    display = make_screen("display", session)
    display.announcer.announce = lambda text, **_call: "silent"  # no sound while drawing pictures
    display.resize(*BIG)
    display.show()
    _settle(app)
    counter = clerk.show_page("counter")
    counter.view.call_next.click()
    _settle(app)
    files.append(_save(app, clerk, NORMAL, out / "counter.png"))
    files.append(_save(app, display, BIG, out / "display.png"))

    intake = clerk.show_page("intake")
    intake.start(counter.current)
    intake.view.procedure_search.setText("khai sinh")
    intake.view.procedure_search.returnPressed.emit()
    intake.view.qr.setText(QR_SAMPLE)
    intake.view.qr.returnPressed.emit()
    intake.view.phone.setText("0912 345 67")
    intake.view.phone.editingFinished.emit()
    files.append(_save(app, clerk, NORMAL, out / "intake.png"))

    dossiers = clerk.show_page("dossiers")
    _settle(app)
    dossiers.view.table.selectRow(0)
    files.append(_save(app, clerk, NORMAL, out / "dossiers.png"))

    _seed_online(session.ctx())
    online = clerk.show_page("online")
    _settle(app)
    online.reload()
    online.view.table.selectRow(0)
    files.append(_save(app, clerk, NORMAL, out / "online.png"))

    reports = clerk.show_page("reports")
    reports.period.setCurrentIndex(reports.period.findData("month"))
    _settle(app)
    reports.refresh()
    files.append(_save(app, clerk, NORMAL, out / "reports.png"))

    satisfaction = make_screen("satisfaction", session)
    if counter.current is not None:
        satisfaction.ask(counter.current)
    files.append(_save(app, satisfaction, NORMAL, out / "satisfaction.png"))

    kiosk = make_screen("kiosk", session)
    files.append(_save(app, kiosk, BIG, out / "kiosk.png"))

    admin = window_for("admin")
    admin.show_page("settings")
    settings = admin.pages["settings"]
    settings.tabs.setCurrentIndex(2)
    files.append(_save(app, admin, NORMAL, out / "settings.png"))

    for widget in (login, clerk, display, satisfaction, kiosk, admin):
        widget.close()
    store.close()
    return files
