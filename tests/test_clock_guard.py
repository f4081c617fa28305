"""The clock guard: a PC clock gone back is refused from every door, whoever logs in first.

The reference is the latest trusted time (a use case that passed the guard, or an admin's
confirmation), never an entry written at a time nobody checked, such as a login's.
"""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from counter_app.cli import main
from counter_app.core.clock import VN_TZ
from counter_app.core.errors import ClockError, DomainError, Forbidden, ValidationError
from counter_app.core.roles import Actor, Role
from counter_app.services import accounts, dossiers, queue, ratings
from counter_app.services.setup import confirm_clock, initialise_store
from counter_app.store import open_store
from tests.conftest import AGENCY, RECEIVE, make_ctx

CLI_AT = Path(__file__).parent / "helpers" / "cli_at.py"
DUONG = dossiers.ApplicantInput(full_name="Nguyễn Thị Đường", phone="0912345678")


def receive(ctx, **kw):
    return dossiers.receive_dossier(ctx, procedure_code="1.001193", applicant=DUONG, **kw)


def counts(folder: Path) -> dict[str, int]:
    store = open_store(folder)
    try:
        return {
            t: store.query_one(f"SELECT count(*) FROM {t}")[0]
            for t in ("tickets", "dossiers", "outbox", "sequences")
        }
    finally:
        store.close()


def cli_at(
    when: str, folder: Path, *args: str, user: str = "admin", password: str = "mat-khau-dai"
):
    """The real command line in a child process whose clock shows `when`."""
    env = dict(os.environ, COUNTER_APP_USER=user, COUNTER_APP_PASSWORD=password)
    env["PYTHONPATH"] = os.pathsep.join([str(Path(__file__).parents[1]), env.get("PYTHONPATH", "")])
    return subprocess.run(
        [sys.executable, str(CLI_AT), when, "--data-dir", str(folder), *args],
        capture_output=True, text=True, env=env, timeout=120,
    )  # fmt: skip


@pytest.fixture
def cli_store(tmp_path, monkeypatch) -> Path:
    """A store set up today (the real clock), with a clerk account."""
    monkeypatch.setenv("COUNTER_APP_USER", "admin")
    monkeypatch.setenv("COUNTER_APP_PASSWORD", "mat-khau-dai")
    folder = tmp_path / "data"
    assert (
        main(
            [
                "--data-dir",
                str(folder),
                "init",
                "--agency-code",
                AGENCY,
                "--center-name",
                "Trung tâm xã Tân Lập",
                "--admin-password",
                "mat-khau-dai",
            ]
        )
        == 0
    )
    monkeypatch.setenv("COUNTER_APP_NEW_PASSWORD", "mat-khau-can-bo")
    assert main(["--data-dir", str(folder), "users", "add", "canbo1", "--role", "clerk"]) == 0
    return folder


def test_a_pc_clock_in_2000_refuses_receipt_and_ticket_from_the_cli(cli_store) -> None:
    before = counts(cli_store)
    # A failed login first: it writes an audit entry at the wrong time, which must not count.
    failed = cli_at("2000-01-03T09:00", cli_store, "ticket", "take", "--group", "A",
                    user="canbo1", password="sai-mat-khau")  # fmt: skip
    assert failed.returncode == 1
    for command in (RECEIVE, ("ticket", "take", "--group", "A")):
        for user, password in (("canbo1", "mat-khau-can-bo"), ("admin", "mat-khau-dai")):
            done = cli_at("2000-01-03T09:00", cli_store, *command, user=user, password=password)
            assert done.returncode == 1, done.stdout
            assert "Đồng hồ máy tính (09:00 03/01/2000) đang chậm hơn" in done.stderr
            assert "quản trị viên xác nhận" in done.stderr
            assert "Traceback" not in done.stderr
    assert counts(cli_store) == before


def test_a_clerk_cannot_backdate_a_receipt_from_the_cli(cli_store) -> None:
    # a day after the store was set up: a receipt may not go back before the store began
    now = datetime.now(VN_TZ).replace(second=0, microsecond=0) + timedelta(days=1)
    clerk = {"user": "canbo1", "password": "mat-khau-can-bo"}
    done = cli_at(now.isoformat(), cli_store, *RECEIVE, "--at", "2000-01-03T09:00", **clerk)
    assert done.returncode == 1
    assert "Chỉ quản trị viên mới được ghi thời điểm tiếp nhận sớm hơn" in done.stderr
    assert counts(cli_store)["dossiers"] == 0
    recent = (now - timedelta(minutes=20)).isoformat()
    assert cli_at(now.isoformat(), cli_store, *RECEIVE, "--at", recent, **clerk).returncode == 0
    later = now + timedelta(days=1)  # two days after the store was set up
    admin = cli_at(
        later.isoformat(), cli_store, *RECEIVE, "--at", (later - timedelta(days=1)).isoformat()
    )
    assert admin.returncode == 0, admin.stderr


def test_not_even_an_admin_backdates_a_receipt_to_2000(cli_store) -> None:
    """Issue 20 #8: the code `…-000103-0001`, 26 years before the store existed."""
    now = datetime.now(VN_TZ).replace(second=0, microsecond=0) + timedelta(days=2)
    for at in ("2000-01-03T09:00", (now - timedelta(hours=25)).isoformat()):
        done = cli_at(now.isoformat(), cli_store, *RECEIVE, "--at", at)
        assert done.returncode == 2, done.stdout
        assert "Thời điểm tiếp nhận không được sớm hơn" in done.stderr
        assert "không lùi quá 24 giờ" in done.stderr and "Traceback" not in done.stderr
    assert counts(cli_store)["dossiers"] == 0


def test_a_step_back_of_20_minutes_is_refused_everywhere(store, clock, station) -> None:
    clerk = make_ctx(store, clock, station)
    volunteer = make_ctx(store, clock, station, Role.VOLUNTEER, "tnv")
    clock.now += timedelta(hours=2)  # later in the day than the set-up
    taken = queue.take_ticket(clerk, group="A")
    receive(clerk)
    clock.now -= timedelta(minutes=20)
    attempts = [
        lambda: receive(clerk),
        lambda: queue.take_ticket(volunteer, group="A"),
        lambda: queue.call_next(clerk, counter=1),
        lambda: ratings.rate_service(volunteer, score=5, ticket_id=taken.ticket.id),
    ]
    for attempt in attempts:
        with pytest.raises(ClockError):
            attempt()
    clock.now += timedelta(minutes=16)  # within the 5 minutes' tolerance again
    queue.take_ticket(volunteer, group="A")


def test_logins_never_move_the_reference(store, clock, station) -> None:
    admin = make_ctx(store, clock, station, Role.ADMIN, "admin")
    accounts.add_user(admin, username="canbo1", role=Role.CLERK, password="mat-khau-can-bo")
    clerk = make_ctx(store, clock, station)
    receive(clerk)
    trusted = store.audit.trusted_time()
    # A clock in the future at login, then a failed login: neither is a checked time.
    accounts.login(store, username="canbo1", password="mat-khau-can-bo",
                   now=clock.now + timedelta(days=365))  # fmt: skip
    with pytest.raises(DomainError):
        accounts.login(store, username="canbo1", password="sai", now=clock.now + timedelta(days=2))
    assert store.audit.trusted_time() == trusted
    clock.now += timedelta(minutes=1)
    receive(clerk)  # the year-ahead login did not block the station
    accounts.login(store, username="canbo1", password="mat-khau-can-bo",
                   now=datetime(2000, 1, 3, 9, 0, tzinfo=VN_TZ))  # fmt: skip
    clock.set(2000, 1, 3, 9, 0)
    with pytest.raises(ClockError):
        queue.take_ticket(clerk, group="A")


def test_an_admin_confirmation_moves_the_reference_back(store, clock, station) -> None:
    clerk = make_ctx(store, clock, station)
    admin = make_ctx(store, clock, station, Role.ADMIN, "admin")
    receive(clerk)
    clock.set(2026, 4, 28, 9, 0)  # the day before: the admin says this is right
    confirm_clock(admin)
    assert store.audit.trusted_time() == clock.now
    assert receive(clerk).code.endswith("-260428-0001")


def test_backdating_a_receipt_beyond_the_window_is_for_admins(store, clock, station) -> None:
    clerk = make_ctx(store, clock, station)
    admin = make_ctx(store, clock, station, Role.ADMIN, "admin")
    clock.now += timedelta(hours=1)  # the store was set up at 09:00
    with pytest.raises(Forbidden) as err:
        receive(clerk, received_at=clock.now - timedelta(minutes=31))
    assert "30 phút" in err.value.message("vi")
    assert store.dossiers.count() == 0
    assert receive(clerk, received_at=clock.now - timedelta(minutes=29)).received_at < clock.now
    clock.now += timedelta(days=2)
    day_before = clock.now - timedelta(days=1)
    assert receive(admin, received_at=day_before).code.endswith("-260430-0001")


def test_no_receipt_before_the_store_or_beyond_a_day_back_admin_or_not(store, clock, station):
    admin = make_ctx(store, clock, station, Role.ADMIN, "admin")
    set_up = clock.now
    clock.now += timedelta(hours=3)
    with pytest.raises(ValidationError) as err:
        receive(admin, received_at=set_up - timedelta(minutes=1))  # before the store began
    assert "không trước ngày lập kho" in err.value.message("vi")
    assert receive(admin, received_at=set_up).received_at == set_up
    clock.now += timedelta(days=3)
    for too_early in (
        clock.now - timedelta(hours=24, minutes=1),
        datetime(2000, 1, 3, 9, 0, tzinfo=VN_TZ),
    ):
        with pytest.raises(ValidationError) as err:
            receive(admin, received_at=too_early)
        assert "24 giờ" in err.value.message("vi")
    assert receive(admin, received_at=clock.now - timedelta(hours=23)).code.endswith("-260501-0001")
    assert store.dossiers.count() == 2


def test_a_store_from_before_the_mark_takes_its_last_entry_but_no_login(store, clock) -> None:
    station = initialise_store(
        store, agency_code=AGENCY, center_name="Trung tâm xã Tân Lập", now=clock.now,
        actor=Actor("admin", Role.ADMIN), admin_password="mat-khau-dai",
    )  # fmt: skip
    store.conn.execute("DELETE FROM settings WHERE key = 'clock_trusted_at'")  # older store
    accounts.login(store, username="admin", password="mat-khau-dai",
                   now=datetime(2000, 1, 3, 9, 0, tzinfo=VN_TZ))  # fmt: skip
    assert store.audit.trusted_time() == clock.now
    clock.set(2000, 1, 3, 9, 0)
    with pytest.raises(ClockError):
        receive(make_ctx(store, clock, station))


def test_an_unguarded_admin_entry_at_a_wrong_time_is_no_reference(store, clock, station):
    """Right after set-up: managing accounts is not guarded (an admin must be able to mend
    things), so its audit entry, written at the wrong time, must not vouch for the clock."""
    admin = make_ctx(store, clock, station, Role.ADMIN, "admin")
    clock.set(2000, 1, 3, 9, 0)
    accounts.add_user(admin, username="canbo1", role=Role.CLERK, password="mat-khau-can-bo")
    with pytest.raises(ClockError):
        receive(make_ctx(store, clock, station))


def test_the_mark_moves_by_the_minute_not_by_the_ticket(store, clock, station) -> None:
    """Each move is a commit of its own: a busy kiosk must not pay one per ticket."""
    kiosk = make_ctx(store, clock, station, Role.VOLUNTEER, "kiosk")
    clock.now += timedelta(minutes=2)
    queue.take_ticket(kiosk, group="A")
    moved = clock.now
    assert store.audit.trusted_time() == moved
    clock.now += timedelta(seconds=59)
    queue.take_ticket(kiosk, group="A")
    assert store.audit.trusted_time() == moved
    clock.now += timedelta(seconds=2)
    queue.take_ticket(kiosk, group="A")
    assert store.audit.trusted_time() == clock.now
