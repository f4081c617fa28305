"""Claims in the center's `claims` bucket: which counter takes a shared ticket, which clerk
takes an online dossier.

A claim is a key-value `create`: the first station to make it wins, and the value says who
(`station id/counter` for a ticket, `station id/username` for an online dossier). It is a
lease of 30 s (a per-message TTL that nats-server enforces), so a counter killed between
its claim and its act strands nothing; publishing the act's event makes the claim lasting.
Keys are single subject tokens (counters may write `$KV.claims.t.*` and `$KV.claims.o.*`
only), so the names are hashed: a ticket's wait (`t.`), an online dossier's upstream code,
whose dots would split the token (`o.`).
"""

from __future__ import annotations

import hashlib
import logging

from counter_app.services.queue import CLAIM_LEASE_SECONDS

log = logging.getLogger(__name__)

CLAIM_LEASE = float(CLAIM_LEASE_SECONDS)
# the journal actions of a clerk's decision on an online dossier (services/online_inbox.py)
ONLINE_DECISIONS = frozenset(
    {"dossier.online.accept", "dossier.online.supplement", "dossier.online.refuse"}
)


def _token(name: str) -> str:
    return hashlib.sha256(name.encode()).hexdigest()[:32]


def ticket_key(name: str) -> str:
    """A ticket's wait (`uid#times waited`)."""
    return "t." + _token(name)


def online_key(upstream_code: str) -> str:
    """An online dossier, by its upstream code (the same at every station)."""
    return "o." + _token(upstream_code)


async def claim(kv, key: str, owner: str) -> bool:
    """True when `owner` holds the claim now (made now, or already its own)."""
    from nats.js.errors import KeyWrongLastSequenceError

    try:
        await kv.create(key, owner.encode(), msg_ttl=CLAIM_LEASE)
        return True
    except KeyWrongLastSequenceError:
        entry = await kv.get(key)
        return entry.value.decode() == owner


async def make_lasting(kv, key: str, owner: str) -> bool:
    """Before an act's event is published its claim is made lasting (no lease): the act made
    while linked confirms its lease; one made while cut off claims now, before anyone sees
    it. False: another owner holds it (a ticket called twice, after a cut or a lapse)."""
    from nats.js.errors import KeyNotFoundError, KeyWrongLastSequenceError

    try:
        try:
            entry = await kv.get(key)
        except KeyNotFoundError:  # cut off, or the lease lapsed and nobody took it
            await kv.create(key, owner.encode())
            return True
        if entry.value.decode() == owner:
            await kv.update(key, owner.encode(), last=entry.revision)
            return True
    except KeyWrongLastSequenceError:  # taken in between
        return (await kv.get(key)).value.decode() == owner
    return False
