"""sync's side of the services' port onto the portal (counter_app/services/portal_port.py):
the stored link, the login check and the catalogue fetch, spoken through the dialects. The
CLI and the UI hand `DIALECT_PORTAL` to the services that take a `portal`."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from counter_app.core.catalogue import Catalogue
from counter_app.core.errors import DomainError
from counter_app.services.portal_port import LinkCheck
from counter_app.store import Store
from sync.dialects import check_dialect
from sync.dialects.settings import SyncSettings, load_settings, save_settings

if TYPE_CHECKING:
    from sync.dialects.dvcqg_catalogue import PulledProcedure


class DialectPortal:
    """The PortalPort of sync/dialects (stateless: one instance serves every caller)."""

    def load_link(self, store: Store) -> SyncSettings:
        return load_settings(store)

    def save_link(
        self, store: Store, *, portal_url: str, dialect: str, credentials: dict[str, str]
    ) -> None:
        save_settings(store, portal_url=portal_url, dialect=dialect, credentials=credentials)

    def check_dialect(self, name: str) -> str:
        return check_dialect(name)

    def try_login(
        self,
        store: Store,
        data_dir: Path | str,
        portal_url: str,
        *,
        dialect: str,
        credentials: dict[str, str],
    ) -> tuple[LinkCheck, Exception | None]:
        from sync.dialects import connection_test
        from sync.dialects.base import LoginRefused
        from sync.errors import PortalError, Refused, UpstreamFault

        try:
            connection_test(store, data_dir, portal_url, dialect=dialect, credentials=credentials)
        except LoginRefused:
            return LinkCheck.WRONG_CREDENTIALS, None
        except Refused as refused:  # the reference API's own refusal of this station
            outcome = LinkCheck.WRONG_CREDENTIALS if refused.status in (401, 403) else (
                LinkCheck.WRONG_DIALECT)  # fmt: skip
            return outcome, None
        except UpstreamFault as fault:
            if fault.code.startswith("sync.answer."):
                return LinkCheck.WRONG_DIALECT, None
            return LinkCheck.NO_ANSWER, fault
        except PortalError as error:
            return LinkCheck.NO_ANSWER, error
        return LinkCheck.OK, None

    def fetch_procedures(
        self, store: Store, portal_url: str, credentials: dict[str, str]
    ) -> list[dict]:
        from sync.dialects.dvcqg import DvcqgDialect
        from sync.dialects.dvcqg_catalogue import fetch_procedures
        from sync.errors import PortalError

        upstream = DvcqgDialect(store, portal_url, credentials)
        try:
            return fetch_procedures(upstream.call)
        except PortalError as error:  # our own words for what failed, never the portal's bytes
            raise DomainError("catalogue.pull_failed", error=str(error)) from None

    def convert_procedures(self, items: list[dict], catalogue: Catalogue) -> list[PulledProcedure]:
        from sync.dialects.dvcqg_catalogue import convert

        return convert(items, catalogue)

    def remember_procedures(self, store: Store, items: list[dict]) -> None:
        from sync.dialects.dvcqg import remember_procedures

        remember_procedures(store, items)


DIALECT_PORTAL = DialectPortal()
