"""Messages are read in windows: they say what to do there and never name a command.

The command line adds the command on a line of its own (`cli_vi`/`cli_en`, messages.py).
"""

from __future__ import annotations

import re

import counter_app.cli.app  # noqa: F401 (registers every command's messages)
import printers.service  # noqa: F401
from counter_app.core.messages import LANGS, MESSAGES, command_hint
from counter_app.services import reports

COMMAND = re.compile(r"counter-app|\b(queue|sync|dossier|catalogue) [a-z-]+['»]")


def test_no_message_a_window_shows_names_a_command():
    assert len(MESSAGES) > 100
    named = {
        (code, lang): texts[lang]
        for code, texts in MESSAGES.items()
        for lang in LANGS
        if COMMAND.search(texts[lang]) and not code.startswith("cli.")  # said only there
    }
    assert named == {}
    meanings = [text for pair in reports.MEANINGS.values() for text in pair]
    assert not [text for text in meanings if COMMAND.search(text)]


def test_the_command_line_keeps_its_commands_as_hints():
    assert command_hint("desk.paused", "vi") == "Tiếp tục làm việc: counter-app queue resume"
    assert "counter-app sync code-pool" in command_hint("code_pool.no_block", "en")
    assert command_hint("desk.busy", "vi") == ""
