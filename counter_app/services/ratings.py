"""Citizens rate the service when they leave; the rating is tied to the ticket, not the clerk."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from counter_app.core.errors import DomainError, ValidationError
from counter_app.core.messages import register
from counter_app.core.roles import Permission
from counter_app.services.context import ServiceContext
from counter_app.services.events import rating_event

# Decision 766/QĐ-TTg practice: five levels; a province may configure its own in settings.
DEFAULT_SCALE: tuple[tuple[int, str, str], ...] = (
    (5, "Rất hài lòng", "Very satisfied"),
    (4, "Hài lòng", "Satisfied"),
    (3, "Bình thường", "Neutral"),
    (2, "Không hài lòng", "Dissatisfied"),
    (1, "Rất không hài lòng", "Very dissatisfied"),
)
SATISFIED_FROM = 4

register(
    {
        "rating.bad_score": {
            "vi": "Mức đánh giá không có trong thang đánh giá.",
            "en": "That score is not on the rating scale.",
        },
        "rating.twice": {
            "vi": "Lượt phục vụ này đã được đánh giá.",
            "en": "This visit has already been rated.",
        },
        "rating.nothing_to_rate": {
            "vi": "Cần gắn đánh giá với một số thứ tự hoặc một hồ sơ.",
            "en": "A rating needs a ticket or a dossier.",
        },
    }
)


@dataclass(frozen=True)
class Rating:
    id: int
    at: datetime
    score: int
    ticket_id: int | None
    dossier_code: str | None


def scale(ctx: ServiceContext) -> list[tuple[int, str, str]]:
    stored = ctx.store.settings.get("satisfaction_scale")
    return [tuple(level) for level in stored] if stored else list(DEFAULT_SCALE)


def rate_service(
    ctx: ServiceContext,
    *,
    score: int,
    ticket_id: int | None = None,
    dossier_code: str | None = None,
) -> Rating:
    """Record one rating. The kiosk account (volunteer role) may do it; the clerk never sees who."""
    ctx.actor.require(Permission.TAKE_TICKET)
    if ticket_id is None and dossier_code is None:
        raise ValidationError("rating.nothing_to_rate", field="ticket")
    if score not in {level[0] for level in scale(ctx)}:
        raise ValidationError("rating.bad_score", field="score")
    if ticket_id is not None and ctx.store.ratings.for_ticket(ticket_id) is not None:
        raise DomainError("rating.twice")
    now = ctx.check_clock()
    with ctx.store.transaction():
        rating_id = ctx.store.ratings.insert(
            at=now,
            score=score,
            ticket_id=ticket_id,
            dossier_code=dossier_code,
            station_id=ctx.station.id,
        )
        ctx.journal(
            at=now,
            action="rating.add",
            entity="rating",
            entity_id=str(rating_id),
            payload=rating_event(ctx, score, ticket_id, dossier_code, at=now),
        )
    return Rating(rating_id, now, score, ticket_id, dossier_code)
