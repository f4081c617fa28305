"""Messages are read in windows: they say what to do there and never name a command.

The command line adds the command on a line of its own (`cli_vi`/`cli_en`, messages.py).
"""

from __future__ import annotations

import importlib
import pkgutil
import re

import counter_app
import printers
import sync
from counter_app.core.messages import LANGS, MESSAGES, command_hint
from counter_app.services import reports

# Every module that registers messages, whatever the other tests happened to import before
# this one (the commands load theirs lazily): the windows' own modules and entry points aside.
for _package in (counter_app, printers, sync):
    for _module in pkgutil.walk_packages(_package.__path__, _package.__name__ + "."):
        if "__main__" not in _module.name and ".ui" not in _module.name:
            importlib.import_module(_module.name)

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
