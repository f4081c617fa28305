"""Who may do what. Enforced in the services, so the CLI and the UI obey the same rules."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from counter_app.core.errors import Forbidden
from counter_app.core.messages import register


class Role(StrEnum):
    ADMIN = "admin"
    CLERK = "clerk"
    VOLUNTEER = "volunteer"


class Permission(StrEnum):
    TAKE_TICKET = "take_ticket"
    CALL_TICKETS = "call_tickets"
    LOOK_UP_PROCEDURES = "look_up_procedures"
    DRAFT_DOSSIER = "draft_dossier"
    RECEIVE_DOSSIER = "receive_dossier"
    CHANGE_STATUS = "change_status"
    READ_DOSSIERS = "read_dossiers"
    CHECK_ONLINE = "check_online"
    CHANGE_SETTINGS = "change_settings"


PERMISSION_NAMES = {
    Permission.TAKE_TICKET: ("lấy số thứ tự", "take a ticket"),
    Permission.CALL_TICKETS: ("gọi số", "call tickets"),
    Permission.LOOK_UP_PROCEDURES: ("tra cứu thủ tục", "look up procedures"),
    Permission.DRAFT_DOSSIER: ("soạn trước hồ sơ", "pre-fill a dossier"),
    Permission.RECEIVE_DOSSIER: ("tiếp nhận hồ sơ", "accept a dossier"),
    Permission.CHANGE_STATUS: ("chuyển trạng thái hồ sơ", "change a dossier's status"),
    Permission.READ_DOSSIERS: ("xem hồ sơ của công dân", "read citizens' dossiers"),
    Permission.CHECK_ONLINE: ("kiểm tra hồ sơ trực tuyến", "check online dossiers"),
    Permission.CHANGE_SETTINGS: ("thay đổi cài đặt", "change settings"),
}

_VOLUNTEER = {Permission.TAKE_TICKET, Permission.LOOK_UP_PROCEDURES, Permission.DRAFT_DOSSIER}
_CLERK = _VOLUNTEER | {
    Permission.CALL_TICKETS,
    Permission.RECEIVE_DOSSIER,
    Permission.CHANGE_STATUS,
    Permission.READ_DOSSIERS,
    Permission.CHECK_ONLINE,
}
ROLE_PERMISSIONS: dict[Role, frozenset[Permission]] = {
    Role.VOLUNTEER: frozenset(_VOLUNTEER),
    Role.CLERK: frozenset(_CLERK),
    Role.ADMIN: frozenset(Permission),
}

register(
    {
        "auth.forbidden": {
            "vi": "Tài khoản {role} không được phép {action}.",
            "en": "A {role_en} account may not {action_en}.",
        },
    }
)

ROLE_NAMES = {
    Role.ADMIN: ("quản trị", "admin"),
    Role.CLERK: ("cán bộ một cửa", "clerk"),
    Role.VOLUNTEER: ("tình nguyện viên", "volunteer"),
}


@dataclass(frozen=True)
class Actor:
    """The person acting: recorded in every event and audit entry."""

    username: str
    role: Role

    @property
    def permissions(self) -> frozenset[Permission]:
        return ROLE_PERMISSIONS[self.role]

    def require(self, permission: Permission) -> None:
        if permission not in ROLE_PERMISSIONS[self.role]:
            raise Forbidden(
                "auth.forbidden",
                role=ROLE_NAMES[self.role][0],
                role_en=ROLE_NAMES[self.role][1],
                action=PERMISSION_NAMES[permission][0],
                action_en=PERMISSION_NAMES[permission][1],
            )


def may_check_online(actor: Actor) -> bool:
    """Whether this account sees the online inbox ("Hồ sơ trực tuyến") and decides on its
    dossiers: the window shows the page and the CLI runs `dossier inbox` by this same
    rule (a volunteer does not: the papers are a citizen's data and the decision a clerk's)."""
    return Permission.CHECK_ONLINE in actor.permissions
