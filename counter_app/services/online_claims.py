"""Two clerks of a center never check the same online dossier (issue 18).

Before a clerk's decision is written, the counter claims the dossier in the center's
`claims` bucket (center/claims.py: key `o.<hash of the upstream code>`, value
`station/username`, a 30 s lease made lasting when the decision's event is published). The
first clerk wins; the other is told so in Vietnamese and decides nothing. Cut off from the
center, nobody can know whether another counter took it, so the decision waits for the link
(the inbox itself stays readable). Alone (no center), there is nobody to ask.
"""

from __future__ import annotations

from counter_app.core.errors import DomainError
from counter_app.core.messages import register
from counter_app.services.context import ServiceContext
from counter_app.services.queue import CLAIM_LEASE_SECONDS

register(
    {
        "online.claimed_elsewhere": {
            "vi": "Hồ sơ trực tuyến {code} đang được một cán bộ ở quầy khác kiểm tra; quầy "
            "này không quyết định được. Nếu quầy kia không xử lý, hồ sơ sẽ trả lại danh sách "
            "sau khoảng {seconds} giây.",
            "en": "Online dossier {code} is being checked by a clerk at another counter; this "
            "counter cannot decide it. If that counter does not, it returns to the list after "
            "about {seconds} seconds.",
        },
        "online.center_unreachable": {
            "vi": "Không liên lạc được máy chủ trung tâm nên chưa quyết định được hồ sơ trực "
            "tuyến {code} (một quầy khác có thể đang kiểm tra). Hãy thử lại khi có kết nối.",
            "en": "The center's hub is out of reach, so online dossier {code} cannot be "
            "decided yet (another counter may be checking it). Try again once linked.",
        },
    }
)


def take_online(ctx: ServiceContext, upstream_code: str) -> None:
    """Claim the dossier for this clerk, or raise the refusal (see the module)."""
    if ctx.claims is None:
        return
    owner = f"{ctx.station.id}/{ctx.actor.username}"
    won = ctx.claims.claim_online(upstream_code, owner)
    if won is None:
        raise DomainError("online.center_unreachable", code=upstream_code)
    if not won:
        raise DomainError(
            "online.claimed_elsewhere", code=upstream_code, seconds=CLAIM_LEASE_SECONDS
        )
