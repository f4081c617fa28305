"""The registry of user-facing messages, Vietnamese (vi) first, English (en) second.

Each module registers the messages of the errors it raises, next to the rule that raises
them, so a new rule cannot forget its Vietnamese text: `DomainError` refuses unknown codes.
"""

from __future__ import annotations

MESSAGES: dict[str, dict[str, str]] = {}
# A message is read in a window as often as at the command line: its "vi"/"en" text says what
# to do in the window and never names a command; "cli_vi"/"cli_en", when given, is the command
# the command line adds on a line of its own.
LANGS = ("vi", "en")


def register(messages: dict[str, dict[str, str]]) -> None:
    for code, texts in messages.items():
        if "vi" not in texts or "en" not in texts:
            raise ValueError(f"message {code!r} needs both 'vi' and 'en'")
        if code in MESSAGES and MESSAGES[code] != texts:
            raise ValueError(f"message {code!r} registered twice with different texts")
        MESSAGES[code] = texts


def command_hint(code: str, lang: str) -> str:
    """The command that does what the message asks, for the command line only ("" if none)."""
    return MESSAGES.get(code, {}).get(f"cli_{lang}", "")
