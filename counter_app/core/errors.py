"""Errors that reach a user, with their message in Vietnamese first and English second.

An error carries a code and parameters instead of a finished sentence, so the CLI and the UI
choose the language, and no personal value needs to be formatted into a log line.
"""

from __future__ import annotations

from typing import Any

from counter_app.core.messages import MESSAGES


class DomainError(Exception):
    """A rule said no. `code` names the message; `params` fill it in."""

    def __init__(self, code: str, /, **params: Any) -> None:
        if code not in MESSAGES:
            raise KeyError(f"no message for error code {code!r}")
        self.code = code
        self.params = params
        super().__init__(code)

    def message(self, lang: str = "vi") -> str:
        texts = MESSAGES[self.code]
        return texts.get(lang, texts["vi"]).format(**self.params)

    def __str__(self) -> str:  # English for developers; never contains personal data
        return f"{self.code}: {self.message('en')}"


class ValidationError(DomainError):
    """Bad input from a person: the CLI exits 2 and nothing is written."""

    def __init__(self, code: str, /, *, field: str | None = None, **params: Any) -> None:
        self.field = field
        super().__init__(code, **params)


class NotFound(DomainError):
    """The thing asked for does not exist."""


class Forbidden(DomainError):
    """The acting user's role does not allow this."""


class ClockError(DomainError):
    """The local clock looks wrong; an admin must confirm the date."""
