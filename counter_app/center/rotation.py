"""`hub rotate-keys`: new center keys for every role, sent to each live station.

One transaction on the hub makes a new ticket, personal and hub key (store/center_keys.py),
seals the stations' credentials in the hub's record again under the new hub key, and
journals one grant event: each live station's keys for its role, sealed to that station.
The grant travels as any event does (the hub's center outbox, then the stream), so a hub
killed after the command publishes it at its next start, and every station receives it at
its next contact, before any event sealed under the new keys (those come after it in the
stream). A revoked station is left out: what is sealed from now on is closed to it.
"""

from __future__ import annotations

from datetime import datetime

from counter_app.center.hub import hub_password, hub_settings, open_secret, seal_secret
from counter_app.core.roles import Permission
from counter_app.services.context import ServiceContext
from counter_app.services.events import EVENT_VERSION
from counter_app.store import Store
from counter_app.store.center_keys import keys_for_role, new_generation, newest_only

GRANT_ACTION = "keys.grant"


def rotate_center_keys(ctx: ServiceContext, *, now: datetime) -> dict:
    """On the hub: returns the new key ids and the stations granted them."""
    ctx.actor.require(Permission.CHANGE_SETTINGS)
    store = ctx.store
    with store.transaction():
        hub = hub_settings(store)
        live = {
            user: (open_secret(store, r["password"], f"station.{user}"), r["role"])
            for user, r in hub["stations"].items()
            if not r["revoked_at"] and r["role"] != "hub"
        }
        # hub nodes all sign in as the hub user: one grant for every node
        live["hub"] = (hub_password(store), "hub")
        clear = _open_credentials(store, hub)
        keyset = new_generation(store.keys.keyset())
        store.keys.replace_keyset(keyset)
        store.relock()
        store.settings.set("hub", _seal_credentials(store, hub, clear))
        grants = {
            user: (pw, newest_only(keys_for_role(keyset, role)))
            for user, (pw, role) in live.items()
        }
        ids = {
            "ticket": keyset["center"]["ticket_current"],
            "personal": keyset["current"],
            "hub": keyset["center"]["hub_current"],
        }
        ctx.journal(
            at=now, action=GRANT_ACTION, entity="center", entity_id=ids["ticket"],
            detail={"keys": ids, "stations": sorted(live)},
            payload={"v": EVENT_VERSION, "grant": grants}, portal=False,
        )  # fmt: skip
    return {"keys": ids, "stations": sorted(u for u in live if u != "hub")}


def _open_credentials(store: Store, hub: dict) -> dict[str, str]:
    """Every sealed credential of the record in clear, by its place (kept in memory only)."""
    clear = {}
    for user, record in hub["stations"].items():
        clear[f"station.{user}"] = open_secret(store, record["password"], f"station.{user}")
    for invite_id, entry in hub["invites"].items():
        for aad, name in ((f"invite.{invite_id}", "secret"),
                          (f"invite.{invite_id}.password", "password")):  # fmt: skip
            if name in entry:
                clear[aad] = open_secret(store, entry[name], aad)
    if hub.get("tls_key"):
        clear["hub.tls_key"] = open_secret(store, hub["tls_key"], "hub.tls_key")
    return clear


def _seal_credentials(store: Store, hub: dict, clear: dict[str, str]) -> dict:
    """The record with each credential sealed again under the (new) hub key."""
    for user, record in hub["stations"].items():
        record["password"] = seal_secret(store, clear[f"station.{user}"], f"station.{user}")
    for invite_id, entry in hub["invites"].items():
        for aad, name in ((f"invite.{invite_id}", "secret"),
                          (f"invite.{invite_id}.password", "password")):  # fmt: skip
            if name in entry:
                entry[name] = seal_secret(store, clear[aad], aad)
    if hub.get("tls_key"):
        hub["tls_key"] = seal_secret(store, clear["hub.tls_key"], "hub.tls_key")
    return hub
