"""Finding a procedure by what a clerk types, ranked with this center's own use of each one.

The ranking itself is the core's (core.procedure_search); this use case adds how many
dossiers the center received per procedure over the past year, so that among equally good
matches the procedure this center handles most comes first. The counts are aggregates, no
citizen's data, so a volunteer who may look up procedures may use them too.
"""

from __future__ import annotations

from datetime import timedelta

from counter_app.core.procedure_search import Ranked, rank_procedures
from counter_app.core.roles import Permission
from counter_app.services.context import ServiceContext

USAGE_WINDOW = timedelta(days=365)


def procedure_uses(ctx: ServiceContext) -> dict[str, int]:
    """Dossiers received per procedure code over the past year."""
    ctx.actor.require(Permission.LOOK_UP_PROCEDURES)
    return ctx.store.dossiers.uses_by_procedure(ctx.now() - USAGE_WINDOW)


def search_procedures(
    ctx: ServiceContext, text: str, *, limit: int = 20, uses: dict[str, int] | None = None
) -> list[Ranked]:
    """Procedures matching `text`, best first; `uses` may be passed in when already known."""
    ctx.actor.require(Permission.LOOK_UP_PROCEDURES)
    counts = procedure_uses(ctx) if uses is None else uses
    return rank_procedures(ctx.catalogue().procedures, text, uses=counts, limit=limit)
