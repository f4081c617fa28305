"""The center's keys by role: which key seals each event, and which stations hold it.

A kiosk stands in the public lobby and a board in the waiting room: neither may hold a key
that opens a citizen's data, since whoever takes one home takes the key with it. So the
center's events are sealed under one of two classes of keys:

- **ticket keys** (ids `t1`, `t2`...): tickets, ratings, pauses and the center's settings,
  which carry no citizen's data and no staff secret. Every role holds them.
- **personal keys**: the center's shared store keys (ids `k1`, `k2`...; the index key
  beside them), which also seal a dossier's row field by field. Dossiers, papers, online
  dossiers, **accounts** and any content not known to be of the ticket class are sealed
  under them. Only counters and hub nodes hold them; a kiosk or a board has store keys of
  its own and skips such events unopened.

Accounts go under the personal keys, not a class of their own: an account event carries a
clerk's name and the scrypt hash of their password, which a kiosk in the lobby must not
hold (a stolen hash is an offline guess at a clerk's password), and exactly the roles that
hold the personal keys sign clerks in (a kiosk or a board signs in only its own local
operator, made at join: center/join.py). A separate staff class would have to be made at
every center already running and granted before any hub sealed under it, for the same set
of holders; the personal class already reaches them, in every package and every rotation.

Hub nodes also hold **hub keys** (`h1`...), which seal the stations' NATS credentials in
the hub's record: the `hub` bucket opens for no station, even one holding the personal keys.

`hub rotate-keys` makes a new key of each class and sends each live station the keys of its
role in one **grant** event, sealed to each station under a key derived from its own NATS
user and password (which only it and the hub nodes know; whoever has them can already read
all that station may read). A revoked station is left out of the grant. Old keys are kept:
the stream keeps old events, and a new station replays it from the start.
"""

from __future__ import annotations

import base64
import json
import os
import re
from dataclasses import dataclass

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from counter_app.core.crypto import PREFIX, FieldCrypto, new_master_key
from counter_app.core.errors import DomainError

TICKET_CONTENT = frozenset({"ticket", "rating", "pause", "setting"})
PERSONAL_ROLES = frozenset({"counter", "hub"})
# A kiosk or a board keeps no center account: it signs in an operator of its own, made at join.
LOCAL_ACCOUNT_ROLES = frozenset({"kiosk", "display"})
GRANT_PREFIX = "g1:"


class NotForThisRole(Exception):
    """An event sealed under a class of keys this station's role never holds."""


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.b64decode(text)


def is_ticket_class(payload: dict) -> bool:
    """Ticket class only when the event's content is known to carry no citizen's data;
    anything else (a dossier, a paper, a kind added later) is personal: closed by default."""
    content = set(payload) & (TICKET_CONTENT | {"dossier", "paper", "online", "user"})
    return bool(content) and content <= TICKET_CONTENT


def _key_id(token: str) -> str:
    parts = token.split(":", 2)
    return parts[1] if len(parts) == 3 else ""


def _next_id(prefix: str, existing: dict) -> str:
    numbers = [int(k[len(prefix) :]) for k in existing if k[len(prefix) :].isdigit()]
    return f"{prefix}{max(numbers, default=0) + 1}"


@dataclass(frozen=True)
class CenterKeys:
    """What this station seals its center events with, and what it can open."""

    store: FieldCrypto  # the store's own keys: the center's personal keys at a counter or hub
    holds_personal: bool
    ticket: FieldCrypto | None
    hub: FieldCrypto | None

    @classmethod
    def from_keyset(cls, keyset: dict, store: FieldCrypto) -> CenterKeys:
        entry = keyset.get("center")
        if entry is None:  # alone, or a center from before keys by role: one keyset for all
            return cls(store, True, None, None)

        def crypto(keys: dict, current: str | None) -> FieldCrypto | None:
            if not keys or current is None:
                return None
            sealing = {k: _unb64(v) for k, v in keys.items()}
            return FieldCrypto(key_id=current, seal_keys=sealing, index_key=b"")

        hub = crypto(entry.get("hub", {}), entry.get("hub_current"))
        if hub is not None:  # the hub's record from before keys by role: sealed under k*
            hub = FieldCrypto(hub.key_id, {**store.seal_keys, **hub.seal_keys}, b"")
        return cls(
            store,
            bool(entry.get("personal")),
            crypto(entry.get("ticket", {}), entry.get("ticket_current")),
            hub,
        )

    def seal_event(self, payload: dict, aad: str) -> str:
        if "grant" in payload:  # a rotation's keys, each station's sealed to it alone
            return seal_grant(payload["grant"], aad)
        text = json.dumps(payload, ensure_ascii=False)
        if self.ticket is not None and is_ticket_class(payload):
            return self.ticket.seal(text, aad)
        return self.store.seal(text, aad)

    def open_event(self, token: str, aad: str) -> str:
        """The event's text; NotForThisRole for a personal one at a kiosk or a board,
        DomainError("crypto.damaged") for one that does not open."""
        key_id = _key_id(token)
        if key_id.startswith("t") and self.ticket is not None:
            return self.ticket.open(token, aad)
        if self.holds_personal:
            return self.store.open(token, aad)
        if token.startswith(f"{PREFIX}:") and re.fullmatch(r"k\d+", key_id):
            raise NotForThisRole(key_id)
        raise DomainError("crypto.damaged")  # junk: reported here as at every station

    @property
    def secrets(self) -> FieldCrypto:
        """What seals the stations' credentials in the hub's record."""
        return self.hub or self.store


def keys_for_role(keyset: dict, role: str) -> dict:
    """The part of the hub's keyset a station of `role` receives, at enrolment and in a
    rotation's grant. A center from before keys by role (no "center" entry) gives all."""
    entry = keyset.get("center")
    if entry is None:
        return dict(keyset)
    mine = {
        "ticket": entry["ticket"],
        "ticket_current": entry["ticket_current"],
        "personal": role in PERSONAL_ROLES,
    }
    if role == "hub":
        mine |= {"hub": entry["hub"], "hub_current": entry["hub_current"]}
    out: dict = {"center": mine}
    if role in PERSONAL_ROLES:
        out |= {k: keyset[k] for k in ("index", "seal", "current")}
    return out


def newest_only(keys: dict) -> dict:
    """A role's keys with only the current one of each class: what a grant carries (the
    station holds the older ones already, from its package or the grants before), so a
    grant stays the same size however many rotations came before."""
    out = {k: v for k, v in keys.items() if k not in ("seal", "index")}
    if "seal" in keys:
        out["seal"] = {keys["current"]: keys["seal"][keys["current"]]}
    entry = dict(keys["center"])
    for name in ("ticket", "hub"):
        if name in entry:
            current = entry[f"{name}_current"]
            entry[name] = {current: entry[name][current]}
    out["center"] = entry
    return out


def install_keys(keyset: dict, received: dict) -> dict:
    """This station's keyset with the keys of a grant added (never any taken away) and
    the newest made current."""
    out = dict(keyset)
    if "seal" in received:
        out["seal"] = {**keyset["seal"], **received["seal"]}
        out["current"] = _newer(keyset.get("current"), received["current"])
    entry = dict(keyset.get("center") or {})
    got = received.get("center", {})
    for name in ("ticket", "hub"):
        if got.get(name):
            entry[name] = {**entry.get(name, {}), **got[name]}
            entry[f"{name}_current"] = _newer(entry.get(f"{name}_current"), got[f"{name}_current"])
    entry["personal"] = bool(got.get("personal"))
    out["center"] = entry
    return out


def _newer(mine: str | None, theirs: str) -> str:
    """The later of two key ids of a class: an old grant seen again never rolls back."""
    if mine is None:
        return theirs
    return max(mine, theirs, key=lambda k: int(k[1:]) if k[1:].isdigit() else 0)


def new_generation(keyset: dict) -> dict:
    """The hub's keyset with a new key of each class made current (old ones kept)."""
    out = dict(keyset)
    seal_id = _next_id("k", keyset["seal"])
    out["seal"] = {**keyset["seal"], seal_id: _b64(new_master_key())}
    out["current"] = seal_id
    entry = dict(keyset.get("center") or {"ticket": {}, "hub": {}, "personal": True})
    for name, prefix in (("ticket", "t"), ("hub", "h")):
        new_id = _next_id(prefix, entry[name])
        entry[name] = {**entry[name], new_id: _b64(new_master_key())}
        entry[f"{name}_current"] = new_id
    out["center"] = entry
    return out


def first_generation() -> dict:
    """A new center's ticket and hub keys (its personal keys are the hub's store keys)."""
    return {
        "ticket": {"t1": _b64(new_master_key())},
        "ticket_current": "t1",
        "hub": {"h1": _b64(new_master_key())},
        "hub_current": "h1",
        "personal": True,
    }


def _grant_key(user: str, password: str) -> bytes:
    hkdf = HKDF(
        algorithm=hashes.SHA256(), length=32, salt=None, info=b"counter-app grant " + user.encode()
    )
    return hkdf.derive(password.encode())


def seal_grant(grants: dict[str, tuple[str, dict] | list], aad: str) -> str:
    """One event for every station (user -> (its password, its keys)), so that no event
    sealed under the new keys can come before a station's own grant in the stream."""
    body = {}
    for user, (password, keys) in sorted(grants.items()):
        nonce = os.urandom(12)
        plain = json.dumps(keys).encode()
        sealed = AESGCM(_grant_key(user, password)).encrypt(nonce, plain, f"{aad}|{user}".encode())
        body[user] = _b64(nonce + sealed)
    return GRANT_PREFIX + _b64(json.dumps(body).encode())


def open_grant(token: str, aad: str, user: str, password: str) -> dict | None:
    """This station's keys from a grant, or None when the grant leaves it out. A grant
    that does not open raises ValueError (forged or damaged: set aside)."""
    try:
        body = json.loads(_unb64(token[len(GRANT_PREFIX) :]))
        mine = body.get(user)
        if mine is None:
            return None
        raw = _unb64(mine)
        plain = AESGCM(_grant_key(user, password)).decrypt(
            raw[:12], raw[12:], f"{aad}|{user}".encode()
        )
        return json.loads(plain)
    except (InvalidTag, ValueError, TypeError, AttributeError) as error:
        raise ValueError("grant does not open") from error
