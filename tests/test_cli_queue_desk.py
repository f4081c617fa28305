"""The counter beyond "next", from the command line: the call policy, a call out of turn
with its reason, a transfer to a named counter or clerk, a pause, and the rules moved out of
the windows (a birth date after today, a counter with no group)."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest

from counter_app.core.clock import system_now  # the program's day is Vietnam's
from tests.test_cli import INIT, run, table_counts


@pytest.fixture
def data(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("COUNTER_APP_USER", "admin")
    monkeypatch.setenv("COUNTER_APP_PASSWORD", "mat-khau-dai")
    folder = tmp_path / "data"
    assert run(capsys, folder, *INIT, "--counters", "2")[0] == 0
    return folder


def take(capsys, data, *priorities: str) -> None:
    for priority in priorities:
        args = ["--priority", priority] if priority else []
        assert run(capsys, data, "ticket", "take", "--group", "A", *args)[0] == 0


def call_next(capsys, data, counter: int = 1) -> str:
    code, out, err = run(capsys, data, "queue", "call-next", "--counter", str(counter),
                         "--current", "served", "--json")  # fmt: skip
    assert code == 0, err
    return json.loads(out)["label"]


def as_clerk(capsys, data, monkeypatch, name: str = "canbo") -> None:
    monkeypatch.setenv("COUNTER_APP_NEW_PASSWORD", "can-bo-mot-cua")
    assert run(capsys, data, "users", "add", name, "--role", "clerk")[0] == 0
    monkeypatch.setenv("COUNTER_APP_USER", name)
    monkeypatch.setenv("COUNTER_APP_PASSWORD", "can-bo-mot-cua")


def test_policy_is_shown_set_by_an_admin_and_obeyed_by_call_next(capsys, data, monkeypatch):
    code, out, _ = run(capsys, data, "queue", "policy")
    assert code == 0 and "Ưu tiên tuyệt đối (strict)" in out
    code, out, _ = run(capsys, data, "queue", "policy", "ratio", "--ratio", "2", "--json")
    assert code == 0 and json.loads(out) == {"kind": "ratio", "ratio": 2, "max_wait_minutes": 30}
    take(capsys, data, "", "", "", "elderly", "pregnant")  # A001-A003 ordinary, A004-A005 not
    # the heavier priority first (pregnant), then 2 ordinary, then the next priority
    assert [call_next(capsys, data) for _ in range(5)] == ["A005", "A001", "A002", "A004", "A003"]
    as_clerk(capsys, data, monkeypatch)
    before = table_counts(data)
    code, _, err = run(capsys, data, "queue", "policy", "strict")
    assert code == 1 and "không được phép thay đổi cài đặt" in err
    assert table_counts(data) == before


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (["fifo"], "strict (ưu tiên tuyệt đối)"),
        (["ratio", "--ratio", "0"], "từ 1 đến 20"),
        (["max_wait", "--max-wait", "2"], "từ 5 đến 240 phút"),
        (["ratio", "--ratio", "x"], "không phải số nguyên"),
    ],
)
def test_a_bad_policy_is_refused_in_vietnamese_and_changes_nothing(capsys, data, args, said):
    before = table_counts(data)
    code, _, err = run(capsys, data, "queue", "policy", *args)
    assert code == 2 and said in err
    assert table_counts(data) == before
    assert "strict" in run(capsys, data, "queue", "policy", "--json")[1]


def test_call_out_of_turn_keeps_its_reason_and_reports_count_it(capsys, data):
    take(capsys, data, "", "", "")
    code, out, _ = run(capsys, data, "queue", "call", "--counter", "1", "--ticket", "a003",
                       "--reason", "late_elderly")  # fmt: skip
    assert code == 0 and out.strip() == (
        "Mời số A003 đến quầy số 1 (gọi trước: Người cao tuổi đến muộn)."
    )
    code, out, _ = run(capsys, data, "queue", "call", "--counter", "1", "--ticket", "A002",
                       "--reason", "other", "--note", "Xin lại phiếu hẹn", "--current",
                       "served", "--json")  # fmt: skip
    ticket = json.loads(out)
    assert code == 0 and ticket["call_reason"] == "other"
    assert ticket["call_note"] == "Xin lại phiếu hẹn"
    today = system_now().date().isoformat()
    code, out, _ = run(capsys, data, "queue", "figures", "--from", today, "--to", today)
    assert code == 0 and "Người cao tuổi đến muộn: 1" in out and "Khác: 1" in out


@pytest.mark.parametrize(
    ("args", "code", "said"),
    [
        (["--ticket", "A001", "--reason", "friend"], 2, "late_elderly (Người cao tuổi đến muộn)"),
        (["--ticket", "A001", "--reason", "other"], 2, "cần ghi chú ngắn"),
        (["--ticket", "A001", "--reason", "other", "--note", "gọi 0912 345 678"], 2,
         "không ghi số giấy tờ"),
        (["--ticket", "A001", "--reason", "supplement", "--note", "x" * 81], 2, "tối đa 80"),
        (["--ticket", "A009", "--reason", "supplement"], 2, "Không tìm thấy số A009"),
        (["--ticket", "B001", "--reason", "supplement"], 2, "Không tìm thấy số B001"),
    ],
)  # fmt: skip
def test_a_bad_call_out_of_turn_writes_nothing(capsys, data, args, code, said):
    take(capsys, data, "")
    before = table_counts(data)
    got, _, err = run(capsys, data, "queue", "call", "--counter", "1", *args)
    assert got == code and said in err, err
    assert table_counts(data) == before


def test_a_ticket_already_called_cannot_be_called_out_of_turn(capsys, data):
    take(capsys, data, "", "")
    call_next(capsys, data, 2)
    code, _, err = run(capsys, data, "queue", "call", "--counter", "1", "--ticket", "A001",
                       "--reason", "supplement")  # fmt: skip
    assert code == 1 and "không đang chờ" in err


def test_pause_refuses_calls_until_resume_and_states_show_it(capsys, data):
    take(capsys, data, "", "")
    code, out, _ = run(capsys, data, "queue", "pause", "--counter", "1", "--reason", "lunch")
    assert code == 0 and "Quầy số 1 tạm nghỉ (Nghỉ trưa) từ" in out
    before = table_counts(data)
    code, _, err = run(capsys, data, "queue", "call-next", "--counter", "1")
    assert code == 1 and "đang tạm nghỉ (Nghỉ trưa)" in err
    assert "counter-app queue resume" in err  # the command line names its own command
    code, _, err = run(capsys, data, "queue", "call", "--counter", "1", "--ticket", "A002",
                       "--reason", "supplement")  # fmt: skip
    assert code == 1 and "đang tạm nghỉ" in err
    assert table_counts(data) == before
    code, out, _ = run(capsys, data, "queue", "states", "--json")
    states = {s["counter"]: s for s in json.loads(out)}
    assert states[1]["pause"]["reason"] == "lunch" and states[1]["pause"]["paused"]
    assert states[2]["pause"] is None
    assert call_next(capsys, data, 2) == "A001"  # the other counter goes on
    code, _, err = run(capsys, data, "queue", "pause", "--counter", "2", "--reason", "meeting")
    assert code == 1 and "số A001" in err  # finish the citizen first
    code, _, err = run(capsys, data, "queue", "pause", "--counter", "1", "--reason", "nap")
    assert code == 2 and "lunch (Nghỉ trưa)" in err
    code, out, _ = run(capsys, data, "queue", "resume", "--counter", "1")
    assert code == 0 and "làm việc trở lại" in out
    assert call_next(capsys, data, 1) == "A002"
    code, _, err = run(capsys, data, "queue", "resume", "--counter", "1")
    assert code == 1 and "không tạm nghỉ" in err


def test_transfer_to_a_named_counter_or_clerk(capsys, data, monkeypatch):
    take(capsys, data, "", "", "")
    assert call_next(capsys, data, 1) == "A001"
    code, out, _ = run(capsys, data, "queue", "transfer", "--counter", "1", "--to-counter", "2")
    assert code == 0 and out.strip() == "Đã chuyển số A001 đến quầy số 2 (nhóm A)."
    assert call_next(capsys, data, 1) == "A002"  # counter 1 does not take it
    assert call_next(capsys, data, 2) == "A001"  # counter 2 calls it first
    code, _, err = run(capsys, data, "queue", "transfer", "--counter", "2", "--to-clerk", "ai")
    assert code == 2 and "Không có cán bộ «ai»" in err
    code, _, err = run(capsys, data, "queue", "transfer", "--counter", "2")
    assert code == 2 and "--to-counter" in err
    code, _, err = run(capsys, data, "queue", "transfer", "--counter", "2", "--to-clerk",
                       "admin")  # fmt: skip
    assert code == 2 and "Không có cán bộ «admin»" in err  # an admin account serves no one
    as_clerk(capsys, data, monkeypatch)
    monkeypatch.setenv("COUNTER_APP_USER", "admin")
    monkeypatch.setenv("COUNTER_APP_PASSWORD", "mat-khau-dai")
    code, out, _ = run(capsys, data, "queue", "transfer", "--counter", "2", "--to-clerk",
                       "canbo", "--json")  # fmt: skip
    assert code == 0 and json.loads(out)["target_clerk"] == "canbo"
    assert call_next(capsys, data, 1) == "A003"  # another clerk's citizen: not the admin's
    monkeypatch.setenv("COUNTER_APP_USER", "canbo")
    monkeypatch.setenv("COUNTER_APP_PASSWORD", "can-bo-mot-cua")
    assert call_next(capsys, data, 2) == "A001"  # the clerk named, at their counter


RECEIVE_AN = ["dossier", "receive", "--documents", "all", "--procedure", "1.001193"]
RECEIVE_AN += ["--name", "Lê Văn An"]


def test_a_birth_date_after_today_is_refused_by_the_command_line(capsys, data):
    before = table_counts(data)
    tomorrow = (system_now().date() + timedelta(days=1)).strftime("%d/%m/%Y")
    code, _, err = run(capsys, data, *RECEIVE_AN, "--birth-date", tomorrow)
    assert code == 2 and "Ngày sinh không được sau ngày hôm nay" in err
    code, _, err = run(capsys, data, *RECEIVE_AN, "--birth-date", "31/02/1990")  # fmt: skip
    assert code == 2 and "ngày/tháng/năm" in err
    assert table_counts(data) == before
    code, _, _ = run(capsys, data, *RECEIVE_AN, "--birth-date", "05/03/1990")  # fmt: skip
    assert code == 0


def test_a_period_that_runs_backwards_is_refused_by_the_services(capsys, data):
    code, _, err = run(capsys, data, "queue", "figures", "--from", "2026-05-02", "--to",
                       "2026-05-01")  # fmt: skip
    assert code == 2 and "Ngày kết thúc phải sau hoặc bằng ngày bắt đầu" in err
    code, _, err = run(capsys, data, "queue", "figures", "--from", "hôm qua", "--to", "2026-05-01")
    assert code == 2 and "năm-tháng-ngày" in err


def test_ticket_take_addresses_the_citizen_politely(capsys, data):
    code, out, _ = run(capsys, data, "ticket", "take", "--group", "A", "--priority", "elderly")
    assert code == 0 and out.splitlines() == [
        "Số thứ tự của Quý khách: A001",
        "Số người đang chờ trước Quý khách: 0",
        "Thời gian chờ dự kiến: dưới 5 phút",
    ]
    assert "bạn" not in out
