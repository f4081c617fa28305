"""`queue call-next` asks what became of a called citizen; `queue restore` brings one back."""

from __future__ import annotations

import json

import pytest

from tests.test_cli import INIT, run, table_counts


@pytest.fixture
def data(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("COUNTER_APP_USER", "admin")
    monkeypatch.setenv("COUNTER_APP_PASSWORD", "mat-khau-dai")
    folder = tmp_path / "data"
    assert run(capsys, folder, *INIT)[0] == 0
    for _ in range(2):
        assert run(capsys, folder, "ticket", "take", "--group", "A")[0] == 0
    return folder


def test_call_next_refuses_until_told_and_restore_brings_the_citizen_back(capsys, data):
    assert run(capsys, data, "queue", "call-next", "--counter", "1")[0] == 0
    before = table_counts(data)
    code, _, err = run(capsys, data, "queue", "call-next", "--counter", "1")
    assert code == 1 and "A001" in err and "vắng mặt" in err
    assert table_counts(data) == before
    code, out, _ = run(
        capsys, data, "queue", "call-next", "--counter", "1", "--current", "absent", "--json"
    )
    assert code == 0 and json.loads(out)["label"] == "A002"
    code, out, _ = run(capsys, data, "queue", "restore", "a001", "--counter", "2")
    assert code == 0 and out.strip() == "Số A001 đã trở lại hàng chờ nhóm A."
    code, out, _ = run(capsys, data, "queue", "list", "--json")
    assert [t["label"] for t in json.loads(out)["waiting"]["A"]] == ["A001"]
    code, _, err = run(capsys, data, "queue", "restore", "A001", "--counter", "1")
    assert code == 1 and "Đang chờ" in err  # only an absent ticket comes back
    code, _, err = run(capsys, data, "queue", "restore", "A001")
    assert code == 2 and "--counter" in err
