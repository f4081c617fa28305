"""Whatever a person types, the CLI answers with a message and an exit code, never a crash."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from counter_app.cli import main

COMMANDS = [
    ["ticket", "take"], ["queue", "call-next"], ["queue", "recall"], ["queue", "finish"],
    ["queue", "transfer"], ["queue", "list"], ["dossier", "receive"], ["dossier", "show"],
    ["dossier", "status"], ["search"], ["appointment"], ["catalogue", "list"],
    ["catalogue", "show"], ["users", "list"], ["audit", "verify"], ["calendar", "set"],
]  # fmt: skip
OPTIONS = [
    "--group", "--priority", "--counter", "--to", "--procedure", "--name", "--citizen-id",
    "--phone", "--address", "--at", "--note", "--sets", "--json", "--kind", "--ticket", "--fee",
]  # fmt: skip
VALUES = st.one_of(
    st.sampled_from(["A", "Z", "1", "-1", "0", "9999999", "1.001193", "2026-04-29T09:00",
                     "Nguyễn Thị Đường", "001190012345", "0912345678", "", "off", "elderly"]),
    st.text(max_size=30),
)  # fmt: skip


@pytest.fixture(scope="module")
def data(tmp_path_factory):
    folder = tmp_path_factory.mktemp("fuzz")
    with pytest.MonkeyPatch.context() as env:
        env.setenv("COUNTER_APP_USER", "admin")
        env.setenv("COUNTER_APP_PASSWORD", "mat-khau-dai")
        assert main(["--data-dir", str(folder), "init", "--agency-code", "000.00.01.H22",
                     "--center-name", "Trung tâm xã Tân Lập"]) == 0  # fmt: skip
        yield folder


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    command=st.sampled_from(COMMANDS),
    rest=st.lists(st.one_of(st.sampled_from(OPTIONS), VALUES), max_size=6),
)
def test_random_arguments_never_crash(data, capsys, command, rest) -> None:
    code = main(["--data-dir", str(data), *command, *rest])
    out, err = capsys.readouterr()
    assert code in (0, 1, 2)
    assert "Traceback" not in out + err
    if code == 2:
        assert err.startswith("Lỗi: ")
