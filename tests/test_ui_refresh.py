"""One refresh signal: what the center or the portal brings in refreshes the open windows.

The changes come through the same code the running program uses: the center link applied
by CenterWatch (a real hub, other stations driven by the command line), and a sync run by
Housekeeping against the portal emulator on 127.0.0.1. Nobody presses a refresh key, and
the counter's own 5 s poll is stopped so only the signal can do it.
"""

from __future__ import annotations

from PySide6.QtCore import QDate, QTimer

from counter_app.core.roles import Actor, Role
from counter_app.ui.ops import DOSSIERS, TICKETS, Changes, run_op
from counter_app.ui.qtapp import make_app
from counter_app.ui.session import Session


def _codes(dossiers) -> dict[str, str]:
    """Code -> status, as the dossier list shows them."""
    table = dossiers.view.table
    return {table.item(r, 0).text(): table.item(r, 3).text() for r in range(table.rowCount())}


def _close(session, *widgets) -> None:
    session.close()
    for widget in widgets:
        widget.close()
        for timer in widget.findChildren(QTimer):
            timer.stop()


def test_the_center_refreshes_an_open_counter_and_dossier_window(qtbot, qapp, tmp_path):
    from counter_app.center.lab import Center, cli, cli_json
    from counter_app.core.clock import system_now
    from counter_app.store import open_store
    from counter_app.ui.counter import CounterWidget
    from counter_app.ui.dossiers import DossiersWidget

    center = Center(tmp_path)
    center.start_hub()
    store = None
    try:
        kiosk = center.join("kiosk", "kiosk")
        other = center.join("c2", "counter")
        here = center.join("c1", "counter")
        make_app("vi")
        store = open_store(here)
        session = Session(
            store, clock=system_now, actor=Actor("admin", Role.ADMIN), data_dir=str(here)
        )
        counter, dossiers = CounterWidget(session), DossiersWidget(session)
        seen: list[Changes] = []
        session.changed.connect(seen.append)
        for widget in (counter, dossiers):
            qtbot.addWidget(widget)
            widget.show()
        for timer in counter.findChildren(QTimer):
            timer.stop()  # no poll: only the signal may refresh it
        qtbot.waitUntil(lambda: dossiers.view.count.text() != "", timeout=5_000)
        assert counter.waiting_labels() == [] and _codes(dossiers) == {}
        session.center()  # the link the station window starts

        cli(kiosk, "ticket", "take", "--group", "A")
        qtbot.waitUntil(lambda: counter.waiting_labels() == ["A001"], timeout=10_000)
        received = cli_json(
            other, "dossier", "receive", "--documents", "all", "--procedure", "1.001193",
            "--name", "Nguyễn Thị Đường", "--phone", "0912345678",
        )  # fmt: skip
        qtbot.waitUntil(lambda: received["code"] in _codes(dossiers), timeout=10_000)
        assert _codes(dossiers)[received["code"]] == "Được tiếp nhận"
        assert any(c.tickets and c.dossiers for c in seen)  # one signal said both
        _close(session, counter, dossiers)
    finally:
        if store is not None:
            store.close()
        center.close()


def test_a_sync_that_brings_statuses_refreshes_the_dossier_window(
    qtbot, qapp, store, clock, station, tmp_path
):
    from counter_app.services import admin as admin_service
    from counter_app.ui import gateway
    from counter_app.ui.dossiers import DossiersWidget
    from sync.emulator import PortalEmulator
    from sync.testing import admin
    from tests.conftest import make_ctx

    emulator = PortalEmulator(tmp_path / "portal").start()
    make_app("vi")
    session = Session(store, clock=clock, actor=Actor("canbo1", Role.CLERK))
    try:
        admin_service.save_settings(make_ctx(store, clock, station, Role.ADMIN, "admin"),
                                    sync={"portal_url": emulator.url})  # fmt: skip
        codes = [
            gateway.receive_dossier(
                session.ctx(), procedure_code="1.001193",
                applicant=gateway.ApplicantInput(full_name=name, phone="0912345678"),
            ).code
            for name in ("Lò Văn Páo", "Hà Thị Mai")
        ]  # fmt: skip
        dossiers = DossiersWidget(session)
        qtbot.addWidget(dossiers)
        dossiers.show()
        qtbot.waitUntil(lambda: dossiers.view.count.text() != "", timeout=5_000)
        dossiers.view.since.setDate(QDate(2026, 4, 1))  # the test's day is in April
        dossiers.view.search.click()
        assert set(_codes(dossiers).values()) == {"Được tiếp nhận"}
        housekeeping = session.housekeeping()
        with qtbot.waitSignal(housekeeping.sync_done, timeout=60_000) as first:
            assert housekeeping.sync_now()
        assert first.args[0].ok and first.args[0].pushed
        admin(emulator.url, "advance", {"steps": 1})  # a higher level starts processing
        with qtbot.waitSignal(housekeeping.sync_done, timeout=60_000) as second:
            assert housekeeping.sync_now()
        assert second.args[0].pulled >= 2
        shown = _codes(dossiers)  # no click on "Tìm": the signal refreshed the list
        assert {shown[c] for c in codes} == {"Đang xử lý"}, shown
        _close(session, dossiers)
    finally:
        session.close()
        emulator.stop()


def test_run_op_announces_changes_and_reports_refusals_in_vietnamese(
    qtbot, qapp, store, clock, station
):
    from counter_app.ui import gateway

    make_app("vi")
    session = Session(store, clock=clock, actor=Actor("canbo1", Role.CLERK))
    seen: list[Changes] = []
    told: list[tuple[str, str]] = []
    session.changed.connect(seen.append)
    group = session.ctx().catalogue().groups[0].letter
    result = run_op(session, lambda ctx: gateway.take_ticket(ctx, group=group),
                    changes=TICKETS, done="Đã lấy số.",
                    report=lambda text, kind: told.append((text, kind)))  # fmt: skip
    assert result.ok and result.value.ticket.label == f"{group}001"
    assert seen == [TICKETS] and told == [("Đã lấy số.", "ok")]
    # a refusal: its message, nothing announced
    refused = run_op(session, lambda ctx: gateway.take_ticket(ctx, group="Z"),
                     changes=TICKETS, report=lambda t, k: told.append((t, k)))  # fmt: skip
    assert not refused.ok and refused.error is not None
    assert told[-1] == (refused.text, "error") and seen == [TICKETS]
    assert "Z" in refused.text or "nhóm" in refused.text

    # an unexpected failure: one plain sentence, no traceback, nothing announced
    def broken(ctx):
        raise RuntimeError("Nguyễn Văn An 001190012345")  # personal data in the exception

    failed = run_op(session, broken, changes=DOSSIERS, report=lambda t, k: told.append((t, k)))
    assert not failed.ok and "lỗi không mong đợi" in failed.text
    assert "Nguyễn" not in failed.text and "Traceback" not in failed.text
    assert seen == [TICKETS]
    # the older per-topic signals still reach the one signal, once
    session.queue_changed.emit()
    assert seen == [TICKETS, TICKETS]
    session.notify(DOSSIERS | TICKETS)
    assert seen[-1] == Changes(tickets=True, dossiers=True) and len(seen) == 3
    session.close()


def test_failures_from_the_background_threads_are_worded_for_the_user(qapp) -> None:
    from counter_app.core.oserrors import cannot_write
    from counter_app.ui.ops import failure_text
    from sync.errors import UpstreamFault

    make_app("vi")
    assert failure_text(UpstreamFault("sync.link.down")) == (
        "không kết nối được tới Cổng dịch vụ công"
    )
    full = OSError(28, "No space left on device", "/media/usb/ho-so-Nguyen-Van-An.zip")
    assert failure_text(cannot_write("E:/SaoLuu", full)).startswith("Không ghi được vào E:/SaoLuu")
    plain = failure_text(full)  # English, with a citizen's name in the path: never shown
    assert "No space" not in plain and "Nguyen" not in plain
    assert plain.startswith("Ổ đĩa đã đầy nên không ghi được")  # the cause, what to do
    assert "giải phóng chỗ trống" in plain
    plain = failure_text(OSError(5, "Input/output error", "/media/usb/Nguyen-Van-An.zip"))
    assert "Nguyen" not in plain
    assert plain.startswith("Không thực hiện được do lỗi không mong đợi")
