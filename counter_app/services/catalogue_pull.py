"""Pulling the procedure catalogue from the portal (dialect `dvcqg`) into ours.

Pulled procedures are upserted in one transaction that ends with the write path: the audit
entry and, in a center, the new catalogue for the other stations. A procedure that fails our
checks is reported with its reason and not stored; nothing the portal does not list is
deleted unless asked (`prune`), and never a procedure a dossier was received under, since
its dossiers, reports and receipts name it.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from datetime import datetime

from counter_app.core.catalogue import Catalogue, catalogue_to_dict
from counter_app.core.clock import VN_TZ
from counter_app.core.errors import DomainError, ValidationError
from counter_app.core.messages import register
from counter_app.core.roles import Permission
from counter_app.services.context import ServiceContext
from counter_app.services.events import center_setting_event
from counter_app.services.portal_port import PortalPort

register(
    {
        "catalogue.pull_needs_dvcqg": {
            "vi": "Lấy danh mục thủ tục từ Cổng cần chuẩn kết nối dvcqg (đang dùng «{dialect}»): "
            "chọn trong Cài đặt › Cổng DVC.",
            "en": "Pulling the catalogue needs the dvcqg interface (now '{dialect}'): choose "
            "it in Settings › Portal.",
            "cli_vi": "Dòng lệnh: counter-app sync configure",
            "cli_en": "Command line: counter-app sync configure",
        },
        "catalogue.pull_partial": {
            "vi": "{n} thủ tục không lấy được vì không qua kiểm tra (lý do ở trên).",
            "en": "{n} procedures were not taken because they failed our checks (see above).",
        },
        "catalogue.no_portal": {
            "vi": "Chưa có địa chỉ Cổng: nhập trong Cài đặt › Cổng DVC.",
            "en": "No portal address yet: enter it in Settings › Portal.",
            "cli_vi": "Dòng lệnh: counter-app sync configure",
            "cli_en": "Command line: counter-app sync configure",
        },
    }
)
EPOCH = datetime(1970, 1, 1, tzinfo=VN_TZ)


@dataclass
class PullReport:
    version: str = ""
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    problems: list[tuple[str, DomainError]] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    kept_in_use: list[str] = field(default_factory=list)  # not listed, but dossiers use it
    not_listed: list[str] = field(default_factory=list)  # not listed, kept (no prune)

    def to_dict(self, lang: str = "vi") -> dict:
        data = {k: v for k, v in self.__dict__.items() if k != "problems"}
        data["problems"] = [{"code": c, "reason": e.message(lang)} for c, e in self.problems]
        return data


def _fetch(ctx: ServiceContext, portal: PortalPort) -> list[dict]:
    """What the portal lists, in full (network, before any transaction)."""
    settings = portal.load_link(ctx.store)
    if settings.dialect != "dvcqg":
        raise ValidationError("catalogue.pull_needs_dvcqg", field="dialect",
                              dialect=settings.dialect)  # fmt: skip
    if not settings.portal_url:
        raise ValidationError("catalogue.no_portal", field="portal_url")
    return portal.fetch_procedures(ctx.store, settings.portal_url, settings.credentials)


def pull_catalogue(ctx: ServiceContext, *, portal: PortalPort, prune: bool = False) -> PullReport:
    """Upsert what the portal lists; with `prune`, drop what it no longer lists unless a
    dossier uses it."""
    ctx.actor.require(Permission.CHANGE_SETTINGS)
    items = _fetch(ctx, portal)
    now = ctx.check_clock()
    report = PullReport()
    with ctx.store.transaction():
        portal.remember_procedures(ctx.store, items)  # the portal's names, sent back with dossiers
        current = ctx.catalogue()
        by_code = {p.code: p for p in current.procedures}
        listed = set()
        for pulled in portal.convert_procedures(items, current):
            listed.add(pulled.code)
            if pulled.procedure is None:
                report.problems.append((pulled.code, pulled.problem))
                continue
            before = by_code.get(pulled.code)
            target = report.added if before is None else (
                report.unchanged if before == pulled.procedure else report.updated)  # fmt: skip
            target.append(pulled.code)
            by_code[pulled.code] = pulled.procedure
        in_use = ctx.store.dossiers.uses_by_procedure(EPOCH)
        for code in [c for c in by_code if c not in listed]:
            if not prune:
                report.not_listed.append(code)
            elif in_use.get(code):
                report.kept_in_use.append(code)
            else:
                report.removed.append(code)
                del by_code[code]
        if not (report.added or report.updated or report.removed):
            report.version = current.version
            return report  # nothing to write: the catalogue in force stays as it is
        procedures = tuple(by_code.values())
        # The content's hash in the version: parsed catalogues are cached by version and
        # load time (store/catalogue_repo.py), so two different pulls never share a name.
        digest = hashlib.sha256(
            json.dumps(catalogue_to_dict(Catalogue("", current.groups, procedures)),
                       ensure_ascii=False, sort_keys=True).encode()
        ).hexdigest()[:8]  # fmt: skip
        report.version = f"{current.version.split('+')[0]}+dvcqg-{now:%Y%m%d%H%M}-{digest}"
        catalogue = Catalogue(report.version, current.groups, procedures)
        ctx.store.catalogue.replace(catalogue, at=now)
        ctx.journal(
            at=now,
            action="catalogue.pull",
            entity="catalogue",
            entity_id=report.version,
            detail={"added": report.added, "updated": report.updated,
                    "removed": report.removed, "problems": [c for c, _ in report.problems]},
            payload=center_setting_event("catalogue", catalogue_to_dict(catalogue), at=now),
            portal=False,  # the portal's own data: it does not need it back
        )  # fmt: skip
    return report
