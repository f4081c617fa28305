"""The services' port onto the upstream portal: what Settings' portal page and the catalogue
pull need from it, as an interface, so the services never import `sync/` (which sits above
them and writes through them). sync implements it (`sync/portal_port.py`); the edges, the CLI
and the UI, pass that implementation to the services that take a `portal`."""

from __future__ import annotations

from collections.abc import Sequence
from enum import StrEnum
from pathlib import Path
from typing import Protocol, runtime_checkable

from counter_app.core.catalogue import Catalogue, Procedure
from counter_app.core.errors import DomainError
from counter_app.core.messages import register
from counter_app.store import Store

register(
    {
        "catalogue.pull_failed": {
            "vi": "Không lấy được danh mục từ Cổng: {error}. Danh mục đang dùng giữ nguyên.",
            "en": "The catalogue could not be pulled: {error}. The catalogue in force is kept.",
        },
    }
)


class LinkCheck(StrEnum):
    OK = "ok"
    WRONG_CREDENTIALS = "wrong_credentials"
    NO_ANSWER = "no_answer"
    WRONG_DIALECT = "wrong_dialect"


class StoredLink(Protocol):
    """The center's link as stored, its secret opened."""

    @property
    def portal_url(self) -> str: ...
    @property
    def dialect(self) -> str: ...
    @property
    def credentials(self) -> dict[str, str]: ...


class PulledProcedure(Protocol):
    """One procedure the portal lists, converted to ours, or why it could not be."""

    @property
    def code(self) -> str: ...
    @property
    def procedure(self) -> Procedure | None: ...
    @property
    def problem(self) -> DomainError | None: ...


@runtime_checkable
class PortalPort(Protocol):
    def load_link(self, store: Store) -> StoredLink:
        """The stored link (defaults when none is stored)."""

    def save_link(
        self, store: Store, *, portal_url: str, dialect: str, credentials: dict[str, str]
    ) -> None:
        """Store the link inside the caller's transaction, the secret sealed."""

    def check_dialect(self, name: str) -> str:
        """`name` when sync speaks that dialect, else a ValidationError."""

    def try_login(
        self,
        store: Store,
        data_dir: Path | str,
        portal_url: str,
        *,
        dialect: str,
        credentials: dict[str, str],
    ) -> tuple[LinkCheck, Exception | None]:
        """Log in once, sending no record: the outcome, and for NO_ANSWER what failed (an
        exception whose `message(lang)`, when it has one, says it in our words)."""

    def fetch_procedures(
        self, store: Store, portal_url: str, credentials: dict[str, str]
    ) -> list[dict]:
        """Every procedure a dvcqg portal lists, in full (network; no transaction open). A
        failed link is a DomainError `catalogue.pull_failed`, never the portal's bytes."""

    def convert_procedures(
        self, items: list[dict], catalogue: Catalogue
    ) -> Sequence[PulledProcedure]:
        """What `fetch_procedures` returned, as our procedures checked against `catalogue`."""

    def remember_procedures(self, store: Store, items: list[dict]) -> None:
        """Keep the portal's own name and sector code of each procedure in `items` (inside
        the caller's transaction), which the dossier push sends back as it was listed."""
