"""The status bar: passing messages never hide the link, sync and printer indicators; sync
says its phase and counts the Vietnamese way; a record the portal set aside says why and
what to do. The sync runs for real (Housekeeping against the emulator on 127.0.0.1)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication

from counter_app.core.roles import Actor, Role
from counter_app.services import admin as admin_service
from counter_app.ui import gateway
from counter_app.ui.i18n import install_language
from counter_app.ui.qtapp import make_app
from counter_app.ui.session import Session
from tests.conftest import make_ctx


@pytest.fixture
def session(qapp, store, clock, station):
    make_app("vi")
    s = Session(store, clock=clock, actor=Actor("canbo1", Role.CLERK))
    yield s
    s.close()


def _window(qtbot, session):
    from counter_app.ui.shell import StationWindow

    window = StationWindow()
    qtbot.addWidget(window)
    window.attach(session)
    window.resize(1366, 768)
    window.show()
    bar = window.statusBar()
    bar.refresh()
    return window, bar


def _close(window) -> None:
    window.close()
    for timer in window.findChildren(QTimer):
        timer.stop()


def test_a_passing_message_never_hides_the_indicators(qtbot, session, store, clock, station):
    admin_service.save_settings(make_ctx(store, clock, station, Role.ADMIN, "admin"),
                                sync={"portal_url": "http://127.0.0.1:9/api"})  # fmt: skip
    window, bar = _window(qtbot, session)
    indicators = (bar.link, bar.outbox, bar.sync_button, bar.printer, bar.user)  # left to right
    before = [w.text() for w in indicators]
    assert all(w.isVisible() for w in indicators)
    bar.showMessage("Đã in: giấy tiếp nhận 000.00.01.H22-260429-0001", 8000)
    assert bar.currentMessage().startswith("Đã in")
    assert all(w.isVisible() for w in indicators)
    assert [w.text() for w in indicators] == before
    # and nothing overlaps: the message area ends where the first indicator begins
    shown = [w for w in indicators if w.isVisible()]
    for a, b in zip(shown, shown[1:], strict=False):
        assert a.geometry().right() < b.geometry().left()
    _close(window)


def test_sync_phase_counts_and_a_set_aside_record_explained(
    qtbot, session, store, clock, station, tmp_path
):
    from sync.emulator import PortalEmulator
    from sync.testing import admin

    emulator = PortalEmulator(tmp_path / "portal").start()
    try:
        admin_service.save_settings(make_ctx(store, clock, station, Role.ADMIN, "admin"),
                                    sync={"portal_url": emulator.url})  # fmt: skip
        codes = [
            gateway.receive_dossier(
                session.ctx(), procedure_code="1.001193",
                applicant=gateway.ApplicantInput(full_name=name, phone="0912345678"),
            ).code
            for name in ("Lò Văn Páo", "Hà Thị Mai", "Vàng A Dơ")
        ]  # fmt: skip
        admin(emulator.url, "poison", {"entity_id": codes[1], "mode": "permanent"})
        window, bar = _window(qtbot, session)
        assert not bar.set_aside.isVisible()
        phases: list[str] = []
        housekeeping = session.housekeeping()
        # connected after the bar: each report reads what the bar shows at that moment
        housekeeping.sync_progress.connect(lambda *_: phases.append(bar.sync_phase.text()))
        with qtbot.waitSignal(housekeeping.sync_done, timeout=60_000):
            qtbot.mouseClick(bar.sync_button, Qt.LeftButton)
            assert bar.sync_phase.isVisible() and not bar.sync_button.isEnabled()
        assert any(p.startswith("Đang gửi ") and p.endswith(" bản ghi") for p in phases)
        assert not bar.sync_phase.isVisible()
        # the portal set one record aside: counted in red, explained on click
        assert bar.set_aside.isVisible()
        assert bar.set_aside.text() == "1 bản ghi bị Cổng để riêng"
        assert "lý do" in bar.set_aside.toolTip()
        qtbot.mouseClick(bar.set_aside, Qt.LeftButton)
        title = "Bản ghi bị Cổng để riêng"
        dialog = next(w for w in QApplication.topLevelWidgets()
                      if w.windowTitle() == title and w.isVisible())  # fmt: skip
        texts = [dialog.items.item(i).text() for i in range(dialog.items.count())]
        assert texts == [
            f"Hồ sơ {codes[1]}: Cổng từ chối bản ghi mà không nói rõ lý do. Quản trị viên "
            "hỏi đơn vị quản lý Cổng, rồi gửi lại."
        ]
        dialog.close()
        # counts the Vietnamese way: "." between thousands
        housekeeping.sync_progress.emit("push", 120, 4975)
        assert bar.sync_phase.text() == "Đang gửi 120/4.975 bản ghi"
        housekeeping.sync_progress.emit("pull", 1200, 1200)
        assert bar.sync_phase.text() == "Đang nhận thay đổi từ Cổng: 1.200"
        _close(window)
    finally:
        emulator.stop()


def test_portal_reasons_are_explained_and_unknown_ones_quoted() -> None:
    from counter_app.services.station_status import SetAside, explain

    def text(reason: str, lang: str = "vi") -> str:
        code, params = explain(reason)
        return SetAside("dossier", "X", "create", 1, code, params).text(lang)

    assert text("missing_fields:phone,address").startswith(
        "Cổng báo thiếu thông tin (số điện thoại, địa chỉ). Mở hồ sơ, bổ sung"
    )
    assert "Không tạo lại hồ sơ" in text("dossier_code_exists")
    assert text("something new").startswith("Cổng từ chối bản ghi, lý do Cổng ghi: «something new»")
    assert text("bad_status", "en").startswith("The portal refused this status change")


def test_english_status_bar_counts_agree(qtbot, session, store, clock, station) -> None:
    try:
        install_language("en")
        window, bar = _window(qtbot, session)
        session.housekeeping().sync_progress.emit("push", 1, 4975)
        assert bar.sync_phase.text() == "Sending records: 1/4,975"
        gateway.receive_dossier(
            session.ctx(), procedure_code="1.001193",
            applicant=gateway.ApplicantInput(full_name="Lò Văn Páo"),
        )  # fmt: skip
        bar.refresh()
        assert bar.outbox.text().startswith("Waiting to sync: ")
        _close(window)
    finally:
        install_language("vi")


def test_the_status_bar_names_the_signed_in_officer(qtbot, session, store, clock, station):
    from counter_app.services.accounts import add_user

    add_user(make_ctx(store, clock, station, Role.ADMIN, "admin"), username="canbo1",
             role=Role.CLERK, password="mat-khau-dai", full_name="Nguyễn Thị Đường")  # fmt: skip
    window, bar = _window(qtbot, session)
    assert bar.user.text().startswith("Nguyễn Thị Đường · ")
    _close(window)
