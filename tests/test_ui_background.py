"""Printing through the spool, stuck jobs, settings saved through the admin services, the
first-run wizard with a data passphrase and its one-time recovery code, background work."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from counter_app.core.dossier import DossierStatus
from counter_app.core.roles import Actor, Role
from counter_app.services import admin
from counter_app.ui import gateway
from counter_app.ui.qtapp import make_app
from counter_app.ui.session import Session
from tests.conftest import make_ctx


@pytest.fixture
def session(qapp, store, clock, station):
    make_app("vi")
    s = Session(store, clock=clock, actor=Actor("canbo1", Role.CLERK))
    yield s
    s.close()


def set_printer(store, clock, station, url: str) -> None:
    admin.save_settings(make_ctx(store, clock, station, Role.ADMIN, "admin"),
                        printers={"quay1": url, "default": "quay1"})  # fmt: skip


def receive(session, **extra):
    return gateway.receive_dossier(
        session.ctx(),
        procedure_code=session.ctx().catalogue().procedures[0].code,
        applicant=gateway.ApplicantInput(full_name="Lò Văn Páo", phone="0912345678"),
        **extra,
    )


def station_window(qtbot, session):
    from counter_app.ui.shell import StationWindow

    window = StationWindow()
    qtbot.addWidget(window)
    window.attach(session)
    return window


def test_accepted_dossier_prints_form01_twice_through_the_spool(qtbot, session, store, clock,
                                                                station, tmp_path):  # fmt: skip
    out = tmp_path / "printer.bin"
    set_printer(store, clock, station, f"file://{out}")
    window = station_window(qtbot, session)
    printing = session.printing()
    qtbot.waitUntil(lambda: printing.state.configured, timeout=5000)
    dossier = receive(session)
    with qtbot.waitSignal(printing.printed, timeout=10_000) as printed:
        window._after_intake(dossier)
    result = printed.args[0]
    assert result.ok and len(result.jobs) == 2
    assert [j.state for j in result.jobs] == ["printed", "printed"]
    assert out.stat().st_size > 0
    assert window.preview is None  # printed, so no on-screen preview
    bar = window.statusBar()
    qtbot.waitUntil(lambda: "sẵn sàng" in bar.printer.text())
    assert "Đã in" in bar.currentMessage()


def test_refusal_at_intake_is_one_transaction_and_prints_form03(qtbot, session, store, clock,
                                                                station, tmp_path):  # fmt: skip
    out = tmp_path / "printer.bin"
    set_printer(store, clock, station, f"file://{out}")
    window = station_window(qtbot, session)
    printing = session.printing()
    qtbot.waitUntil(lambda: printing.state.configured, timeout=5000)
    ctx = session.ctx()
    with pytest.raises(Exception):  # noqa: B017 - no reason, nothing written
        gateway.refuse_at_intake(
            ctx,
            reasons=" ",
            procedure_code=ctx.catalogue().procedures[0].code,
            applicant=gateway.ApplicantInput(full_name="A B"),
        )
    assert gateway.list_dossiers(ctx) == []
    refused = gateway.refuse_at_intake(
        ctx,
        reasons="Không đúng thẩm quyền",
        procedure_code=ctx.catalogue().procedures[0].code,
        applicant=gateway.ApplicantInput(full_name="Lò Văn Páo", phone="0912345678"),
    )
    assert refused.status is DossierStatus.REFUSED
    with qtbot.waitSignal(printing.printed, timeout=10_000) as printed:
        window._after_intake(refused)
    assert printed.args[0].ok and out.stat().st_size > 0


def test_without_a_printer_the_receipt_is_previewed_on_screen(qtbot, session):
    window = station_window(qtbot, session)
    printing = session.printing()
    printing.wait_idle()
    qtbot.wait(50)
    assert not printing.state.configured
    assert "chưa cài đặt" in window.statusBar().printer.text()
    window._after_intake(receive(session))
    assert window.preview is not None and window.preview.isVisible()


def test_kiosk_prints_the_ticket(qtbot, session, store, clock, station, tmp_path):
    from counter_app.ui.kiosk import KioskWidget

    out = tmp_path / "kiosk.bin"
    set_printer(store, clock, station, f"file://{out}")
    kiosk = KioskWidget(session)
    qtbot.addWidget(kiosk)
    kiosk.show()
    printing = session.printing()
    qtbot.waitUntil(lambda: printing.state.configured, timeout=5000)
    with qtbot.waitSignal(printing.printed, timeout=10_000) as printed:
        qtbot.mouseClick(kiosk.group_buttons["A"], Qt.LeftButton)
        qtbot.mouseClick(kiosk.view.ask_none, Qt.LeftButton)  # no priority
    assert printed.args[0].ok and out.stat().st_size > 0
    assert printed.args[0].jobs[0].document.kind == "ticket"


def test_stuck_jobs_are_listed_and_can_be_cancelled(qtbot, session, store, clock, station):
    set_printer(store, clock, station, "tcp://127.0.0.1:9?timeout=0.5")  # nobody listens
    window = station_window(qtbot, session)
    printing = session.printing()
    qtbot.waitUntil(lambda: printing.state.configured, timeout=5000)
    with qtbot.waitSignal(printing.printed, timeout=10_000) as printed:
        window._after_intake(receive(session))
    assert not printed.args[0].ok
    bar = window.statusBar()
    qtbot.waitUntil(lambda: printing.state.stuck == 2)
    assert "2 lệnh in chưa xong" in bar.printer.text()
    assert "Chưa in được" in bar.currentMessage()
    with qtbot.waitSignal(printing.stuck_loaded, timeout=5000):
        dialog = bar.show_stuck()
    assert dialog.jobs.count() == 2 and dialog.windowTitle() == "Lệnh in bị kẹt"
    with qtbot.waitSignal(printing.stuck_loaded, timeout=5000):
        qtbot.mouseClick(dialog.cancel, Qt.LeftButton)
    assert dialog.jobs.count() == 1
    with qtbot.waitSignal(printing.stuck_loaded, timeout=5000):
        qtbot.mouseClick(dialog.retry, Qt.LeftButton)  # still no printer: still waiting
    assert dialog.jobs.count() == 1
    with qtbot.waitSignal(printing.stuck_loaded, timeout=5000):
        qtbot.mouseClick(dialog.cancel, Qt.LeftButton)
    assert dialog.jobs.count() == 0 and dialog.empty.isVisible()
    qtbot.waitUntil(lambda: printing.state.stuck == 0)


def test_queued_jobs_print_when_the_timer_finds_the_printer_back(qtbot, session, store, clock,
                                                                 station, tmp_path):  # fmt: skip
    from datetime import timedelta

    from counter_app.ui import background

    assert background.RUN_DUE_MS == 30_000 and session.printing().timer.interval() == 30_000
    folder = tmp_path / "later"
    out = folder / "printer.bin"
    set_printer(store, clock, station, f"file://{out}")
    window = station_window(qtbot, session)
    printing = session.printing()
    qtbot.waitUntil(lambda: printing.state.configured, timeout=5000)
    with qtbot.waitSignal(printing.printed, timeout=10_000) as printed:
        window._after_intake(receive(session))
    if printed.args[0].ok:  # the file backend made the folder itself: nothing to wait for
        return
    folder.mkdir()
    clock.now += timedelta(minutes=30)
    with qtbot.waitSignal(printing.state_changed, timeout=10_000):
        printing.timer.timeout.emit()
    qtbot.waitUntil(lambda: out.exists() and out.stat().st_size > 0, timeout=5000)


def admin_session(store, clock):
    make_app("vi")
    return Session(store, clock=clock, actor=Actor("admin", Role.ADMIN))


def test_settings_save_through_the_services_and_show_errors_by_the_field(
    qtbot, store, clock, station, tmp_path
):
    from counter_app.ui.settings import SettingsWidget

    session = admin_session(store, clock)
    widget = SettingsWidget(session)
    qtbot.addWidget(widget)
    widget.show()
    center, counters, hours, printer, portal, language, backup, _calling, _accounts = widget.pages

    # a bad portal address: the message sits under the field and nothing is saved
    portal.portal.setText("ftp://cong.example")
    qtbot.mouseClick(portal.save_button, Qt.LeftButton)
    error = portal.errors["portal_url"]
    assert not error.isHidden() and "https://" in error.text()
    assert gateway.read_settings(session.ctx())["sync"] == {}
    portal.portal.setText("https://dichvucong.example/api")
    qtbot.mouseClick(portal.save_button, Qt.LeftButton)
    assert portal.errors["portal_url"].isHidden()
    assert gateway.read_settings(session.ctx())["sync"] == {
        "portal_url": "https://dichvucong.example/api",
        "dialect": "reference",
        "credentials": {},
    }

    # printers: a bad address is refused next to it, a good one becomes the default
    printer.url.setText("192.168.1.50")
    qtbot.mouseClick(printer.save_button, Qt.LeftButton)
    assert not printer.errors["printers"].isHidden()
    printer.name.setText("quay1")
    printer.url.setText(f"file://{tmp_path / 'test.bin'}")
    qtbot.mouseClick(printer.save_button, Qt.LeftButton)
    assert gateway.read_settings(session.ctx())["printers"]["default"] == "quay1"
    with qtbot.waitSignal(session.printing().printed, timeout=10_000) as printed:
        qtbot.mouseClick(printer.test, Qt.LeftButton)
    assert printed.args[0].ok and (tmp_path / "test.bin").stat().st_size > 0

    # the center: an empty name is refused by the field
    center.center_name.setText("   ")
    qtbot.mouseClick(center.save_button, Qt.LeftButton)
    assert not center.errors["center_name"].isHidden()
    center.center_name.setText("Trung tâm PVHCC xã Tân Lập")
    center.center_address.setText("Thôn 3, xã Tân Lập")
    qtbot.mouseClick(center.save_button, Qt.LeftButton)
    assert session.station.center_name == "Trung tâm PVHCC xã Tân Lập"
    assert session.station.center_address == "Thôn 3, xã Tân Lập"

    # counters and their groups
    counters.count.setValue(4)
    counters.checks[4]["A"].setChecked(False)
    qtbot.mouseClick(counters.save_button, Qt.LeftButton)
    assert len(session.station.counters) == 4
    assert "A" not in session.station.counter(4).groups
    for box in counters.checks[2].values():
        box.setChecked(False)
    qtbot.mouseClick(counters.save_button, Qt.LeftButton)
    assert not counters.errors["counters"].isHidden()
    assert session.station.counter(2).groups  # unchanged

    # opening hours: a bad time is explained, a good week is saved
    hours.days["sat"].setText("07:30-25:00")
    qtbot.mouseClick(hours.save_hours, Qt.LeftButton)
    assert not hours.errors["hours"].isHidden()
    assert session.station.opening_hours.to_dict()["sat"] == []
    hours.days["sat"].setText("07:30-11:30")
    qtbot.mouseClick(hours.save_hours, Qt.LeftButton)
    assert session.station.opening_hours.to_dict()["sat"] == [["07:30", "11:30"]]

    # backup folder and language
    backup.folder.setText(str(tmp_path / "usb"))
    qtbot.mouseClick(backup.save_button, Qt.LeftButton)
    assert gateway.read_settings(session.ctx())["backup_folder"] == str(tmp_path / "usb")
    language.language.setCurrentIndex(language.language.findData("en"))
    qtbot.mouseClick(language.apply, Qt.LeftButton)
    assert gateway.read_settings(session.ctx())["language"] == "en"
    session.close()


def test_first_run_asks_a_data_passphrase_and_shows_the_recovery_code_once(qtbot, store,
                                                                           clock):  # fmt: skip
    from counter_app.store.keys import os_keyring_available
    from counter_app.ui.first_run import FirstRunWidget

    assert not os_keyring_available()  # COUNTER_APP_KEYRING=off (tests/conftest.py)
    make_app("vi")
    wizard = FirstRunWidget(store, clock=clock)
    qtbot.addWidget(wizard)
    wizard.show()
    assert wizard.needs_passphrase and wizard.setup_steps == 6
    wizard.center_name.setText("Trung tâm PVHCC xã Tân Lập")  # keyClicks is Latin-1 only
    qtbot.keyClicks(wizard.agency_code, "000.00.01.H22")
    qtbot.mouseClick(wizard.next, Qt.LeftButton)
    qtbot.keyClicks(wizard.admin_password, "Quan-tri-2026!")
    qtbot.keyClicks(wizard.admin_repeat, "Quan-tri-2026!")
    qtbot.mouseClick(wizard.next, Qt.LeftButton)
    assert "Bảo vệ dữ liệu" in wizard.step.text()
    # too short, then two different passphrases: the wizard does not move on
    qtbot.keyClicks(wizard.passphrase, "ngan")
    qtbot.keyClicks(wizard.passphrase_repeat, "ngan")
    qtbot.mouseClick(wizard.next, Qt.LeftButton)
    assert "8 ký tự" in wizard.errors["passphrase"].text() and "Bảo vệ" in wizard.step.text()
    wizard.passphrase.setText("mat-khau-du-lieu-xa")
    wizard.passphrase_repeat.setText("mat-khau-du-lieu-xb")
    qtbot.mouseClick(wizard.next, Qt.LeftButton)
    assert "không giống" in wizard.errors["passphrase"].text()
    wizard.passphrase_repeat.setText("mat-khau-du-lieu-xa")
    qtbot.mouseClick(wizard.next, Qt.LeftButton)
    assert "Quầy" in wizard.step.text()
    qtbot.mouseClick(wizard.next, Qt.LeftButton)  # counters
    qtbot.mouseClick(wizard.next, Qt.LeftButton)  # printer left empty
    wizard.portal.setText("cong.example")
    qtbot.mouseClick(wizard.next, Qt.LeftButton)
    assert not wizard.errors["portal"].isHidden() and store.settings.get("station") is None
    wizard.portal.setText("https://dichvucong.example/api")
    with qtbot.assertNotEmitted(wizard.finished):
        qtbot.mouseClick(wizard.next, Qt.LeftButton)
    # the station exists now; the recovery code is on screen, large, once
    assert store.settings.get("station") is not None
    assert "passphrase" in store.settings.get("keys")["wraps"]
    code = wizard.recovery_label.text()
    assert len(code) >= 16 and wizard.recovery_page.isVisible()
    assert wizard.recovery_label.font().pointSize() != 0
    assert not wizard.next.isEnabled()
    wizard.written_down.setChecked(True)
    with qtbot.waitSignal(wizard.finished) as finished:
        qtbot.mouseClick(wizard.next, Qt.LeftButton)
    assert finished.args[0].center_name == "Trung tâm PVHCC xã Tân Lập"
    assert wizard.recovery_label.text() == "" and wizard.recovery_code == ""
    ctx = make_ctx(store, clock, finished.args[0], Role.ADMIN, "admin")
    assert admin.read_settings(ctx)["sync"] == {"portal_url": "https://dichvucong.example/api"}
    # the recovery code opens the data key
    from counter_app.store.keys import forget_unlocked_keys

    forget_unlocked_keys()
    assert store.keys.unlock(recovery=code) is not None
    login = gateway.login(store, username="admin", password="Quan-tri-2026!", now=clock())
    assert login.role is Role.ADMIN


def test_background_backup_and_checkpoint_run_off_the_ui_thread(qtbot, session, store, clock,
                                                                station, tmp_path):  # fmt: skip
    import threading

    admin.save_settings(make_ctx(store, clock, station, Role.ADMIN, "admin"),
                        backup_folder=str(tmp_path / "usb"))  # fmt: skip
    keeping = session.housekeeping()
    threads: list[str] = []
    keeping.worker.submit("probe", lambda w: threads.append(threading.current_thread().name))
    qtbot.waitUntil(lambda: bool(threads) and not keeping.worker.pending())
    with qtbot.waitSignal(keeping.backup_done, timeout=10_000) as done:
        keeping.last_activity -= 3600  # idle for an hour: the checkpoint runs too
        keeping.tick()
    assert threads == ["counter-app-housekeeping"]
    assert (tmp_path / "usb").exists() and done.args[0].startswith(str(tmp_path / "usb"))
    assert store.settings.get("last_backup_at") is not None


def test_sync_now_without_a_reachable_portal_reports_and_keeps_working(qtbot, session, store,
                                                                       clock, station):  # fmt: skip
    admin.save_settings(make_ctx(store, clock, station, Role.ADMIN, "admin"),
                        sync={"portal_url": "http://127.0.0.1:9/api"})  # fmt: skip
    window = station_window(qtbot, session)
    bar = window.statusBar()
    bar.refresh()
    assert bar.sync_button.isVisibleTo(window)
    with qtbot.waitSignal(session.housekeeping().sync_done, timeout=60_000) as done:
        bar.sync_now()
        assert not bar.sync_button.isEnabled()
    report = done.args[0]
    assert isinstance(report, str) or not report.ok
    assert bar.sync_button.isEnabled() and not bar.progress.isVisible()
    assert "Cổng" in bar.currentMessage() or "Đồng bộ" in bar.currentMessage()
