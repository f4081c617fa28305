"""The center's link to its upstream, as an admin sets it in Settings: which interface
(dialect), where, with which account, and whether that account gets in.

The secret (dvcqg password, motcua client secret) is sealed with the store's key by
sync/dialects/settings.py, the same way `counter-app sync configure` stores it, and never
comes back out of this module: the form only learns whether one is stored. An empty secret
field keeps the stored one.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from counter_app.core.errors import ValidationError
from counter_app.core.messages import MESSAGES, register
from counter_app.core.roles import Permission
from counter_app.services.context import ServiceContext
from counter_app.services.portal_port import LinkCheck, PortalPort

register(
    {
        "portal.bad_url": {
            "vi": "Địa chỉ Cổng phải bắt đầu bằng http:// hoặc https://.",
            "en": "The portal address must start with http:// or https://.",
        },
        "portal.bad_path": {
            "vi": "Đường dẫn phải bắt đầu bằng «/» và không có dấu cách, ví dụ /auth.",
            "en": "A path starts with '/' and has no spaces, e.g. /auth.",
        },
        "portal.missing": {
            "vi": "Cần nhập {what} cho chuẩn kết nối {dialect}.",
            "en": "{what_en} is needed for the {dialect} interface.",
        },
        "portal.check.ok": {
            "vi": "Kết nối tốt: Cổng ({dialect}) đã nhận tài khoản.",
            "en": "Link OK: the portal ({dialect}) accepted the account.",
        },
        "portal.check.wrong_credentials": {
            "vi": "Cổng trả lời nhưng không nhận tài khoản: kiểm tra tên đăng nhập, mật khẩu, "
            "mã đơn vị, dstcode.",
            "en": "The portal answered but refused the account: check the user name, "
            "password, unit code and dstcode.",
        },
        "portal.check.no_answer": {
            "vi": "Không có gì trả lời ở địa chỉ này ({reason}): kiểm tra địa chỉ Cổng và mạng.",
            "en": "Nothing answers at this address ({reason}): check the portal address and "
            "the network.",
        },
        "portal.check.wrong_dialect": {
            "vi": "Có máy chủ trả lời nhưng không nói chuẩn {dialect}: kiểm tra chuẩn kết nối "
            "và địa chỉ (đường dẫn) Cổng.",
            "en": "A server answers but does not speak {dialect}: check the interface and the "
            "portal address (path).",
        },
    }
)

SECRET_NAME = {"dvcqg": "password", "motcua": "client_secret"}
# What each dialect cannot log in without, with the field's name for the message.
NEEDED = {
    "dvcqg": (("username", "tên đăng nhập", "The user name"),
              ("madonvi", "mã đơn vị", "The unit code"),
              ("password", "mật khẩu", "The password")),
    "motcua": (("client_id", "mã ứng dụng", "The client id"),
               ("client_secret", "khóa bí mật", "The client secret")),
}  # fmt: skip
FIELDS = ("username", "madonvi", "dstcode", "client_id", "auth_endpoint", "integration_endpoint")
PATHS = ("auth_endpoint", "integration_endpoint")  # dvcqg's paths under the address


@dataclass(frozen=True)
class PortalForm:
    portal_url: str = ""
    dialect: str = "reference"
    username: str = ""
    madonvi: str = ""
    dstcode: str = ""
    client_id: str = ""
    auth_endpoint: str = ""  # "" is the dialect's default (/auth)
    integration_endpoint: str = ""  # "" is the dialect's default (/integration)
    has_secret: bool = False  # whether a password / client secret is stored (never itself)

    def __repr__(self) -> str:
        return f"PortalForm({self.dialect}, {self.portal_url})"


@dataclass(frozen=True)
class CheckResult:
    outcome: LinkCheck
    dialect: str
    fault: Exception | None = None  # why nothing answered, in our words (sync/errors.py)

    def message(self, lang: str = "vi") -> str:
        texts = MESSAGES[f"portal.check.{self.outcome.value}"]
        fault = self.fault
        reason = fault.message(lang) if hasattr(fault, "message") else str(fault or "")
        return texts.get(lang, texts["vi"]).format(dialect=self.dialect, reason=reason)


def portal_form(ctx: ServiceContext, *, portal: PortalPort) -> PortalForm:
    """What Settings shows: the stored link without its secret."""
    ctx.actor.require(Permission.CHANGE_SETTINGS)
    settings = portal.load_link(ctx.store)
    creds = settings.credentials
    return PortalForm(
        portal_url=settings.portal_url,
        dialect=settings.dialect,
        **{name: creds.get(name, "") for name in FIELDS},
        has_secret=bool(creds.get(SECRET_NAME.get(settings.dialect, ""), "")),
    )


def _credentials(
    ctx: ServiceContext, form: PortalForm, secret: str, portal: PortalPort
) -> tuple[str, str, dict]:
    """The checked URL, dialect and account the form describes; the stored secret stands in
    for an empty secret field when the dialect did not change."""
    url = form.portal_url.strip()
    if not url.startswith(("http://", "https://")):
        raise ValidationError("portal.bad_url", field="portal_url")
    dialect = portal.check_dialect(form.dialect)
    creds = {name: getattr(form, name).strip() for name in FIELDS if getattr(form, name).strip()}
    for name in PATHS:
        path = creds.get(name, "")
        if path and (not path.startswith("/") or " " in path):
            raise ValidationError("portal.bad_path", field=name)
    stored = portal.load_link(ctx.store)
    secret_name = SECRET_NAME.get(dialect)
    if secret_name:
        kept = stored.credentials.get(secret_name, "") if stored.dialect == dialect else ""
        if secret or kept:
            creds[secret_name] = secret or kept
    for name, what, what_en in NEEDED.get(dialect, ()):
        if not creds.get(name):
            field = "secret" if name == secret_name else name
            raise ValidationError("portal.missing", field=field, what=what, what_en=what_en,
                                  dialect=dialect)  # fmt: skip
    return url, dialect, creds


def save_portal(
    ctx: ServiceContext, form: PortalForm, *, portal: PortalPort, secret: str = ""
) -> PortalForm:
    """Store the center's link (admin only), checked first; the audit names what changed,
    never the secret."""
    ctx.actor.require(Permission.CHANGE_SETTINGS)
    url, dialect, creds = _credentials(ctx, form, secret, portal)
    now = ctx.now()
    with ctx.store.transaction():
        portal.save_link(ctx.store, portal_url=url, dialect=dialect, credentials=creds)
        ctx.journal(at=now, action="settings.portal", entity="settings", entity_id="sync",
                    detail={"dialect": dialect, "secret_changed": bool(secret)})  # fmt: skip
    return portal_form(ctx, portal=portal)


def check_portal(
    ctx: ServiceContext,
    data_dir: Path | str,
    form: PortalForm,
    *,
    portal: PortalPort,
    secret: str = "",
) -> CheckResult:
    """Log in with what the form says (saved or not), sending no record: the same check as
    `counter-app sync test`, its failure sorted into what an admin can act on."""
    ctx.actor.require(Permission.CHANGE_SETTINGS)
    url, dialect, creds = _credentials(ctx, form, secret, portal)
    outcome, fault = portal.try_login(ctx.store, data_dir, url, dialect=dialect, credentials=creds)
    return CheckResult(outcome, dialect, fault)
