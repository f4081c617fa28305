"""The resident client sends a command's own station folder, absolute: the service runs in
another working folder, where a relative `--data-dir` would name another station."""

from __future__ import annotations

import pytest

from counter_app.resident.client import _absolute, _option, data_folder

WRITTEN = (
    ["--data-dir", "tram", "queue", "list"],
    ["--data-dir=tram", "queue", "list"],
    ["--lang", "en", "--data-dir", "tram", "queue", "call-next"],
    ["--lang=en", "--data-dir=tram", "ticket", "take"],
)


@pytest.mark.parametrize("args", WRITTEN)
def test_a_relative_data_folder_goes_to_the_service_absolute(args, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("COUNTER_APP_DATA", raising=False)
    folder = data_folder(args, default=lambda: "/nowhere")
    assert folder == str(tmp_path / "tram")
    sent = _absolute(args, folder)
    assert _option(sent, "--data-dir") == folder
    assert len(sent) == len(args) and sent[-2:] == args[-2:]  # the command's words as typed
    assert _option(sent, "--lang") == _option(args, "--lang")


def test_an_option_without_its_value_is_left_as_typed():
    assert _option(["--data-dir"], "--data-dir") is None
    assert _absolute(["--data-dir"], "/abs") == ["--data-dir"]
