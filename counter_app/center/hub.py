"""The hub: the center's record of its stations, their credentials and number ranges, and
the nats-server configuration written from it.

The hub is itself a station (role "hub") with its own store: it holds the center's keys,
its accounts, and a replica of every station's events, from which it alone syncs with the
portal. Each station gets its own NATS user; revoking one removes it from the server's
configuration, so it can neither read nor publish from then on. The stations' credentials
in the record are sealed under the hub key, which only hub nodes hold (store/center_keys.py).
"""

from __future__ import annotations

import secrets
from dataclasses import replace
from datetime import datetime, timedelta
from pathlib import Path

from counter_app.center.enrol import make_code, proof_matches, seal_package
from counter_app.center.permissions import config_user, enrol_permissions, station_permissions
from counter_app.center.tls import make_certificate
from counter_app.core.dossier_code import SequenceBlock
from counter_app.core.errors import DomainError, NotFound, ValidationError
from counter_app.core.messages import register
from counter_app.core.queue import TicketRange
from counter_app.core.roles import Permission
from counter_app.services.context import ServiceContext
from counter_app.services.station import CounterDesk, Station
from counter_app.store import Store
from counter_app.store.center_keys import PERSONAL_ROLES, first_generation, keys_for_role

ROLES = ("counter", "kiosk", "display", "hub")
INVITE_TTL = timedelta(hours=24)
DOSSIER_BLOCK = 400  # daily dossier numbers per station: 24 stations fit in 0001-9999
ROUTE_OFFSET = 2000  # a hub node's cluster (route) port: its client port + this

register(
    {
        "hub.not_hub": {
            "vi": "Kho dữ liệu này không phải máy chủ trung tâm. Hãy chạy «hub init» trước.",
            "en": "This store is not a center hub. Run 'hub init' first.",
        },
        "hub.bad_role": {
            "vi": "Vai trò phải là counter (quầy), kiosk, display (màn hình gọi số) hoặc hub "
            "(một máy chủ nữa của cụm).",
            "en": "The role must be counter, kiosk, display or hub (another cluster node).",
        },
        "hub.unknown_station": {
            "vi": "Không có trạm «{station}» trong trung tâm.",
            "en": "There is no station '{station}' in this center.",
        },
        "hub.full": {
            "vi": "Trung tâm đã đủ số trạm tối đa ({count}).",
            "en": "The center already has the most stations it can ({count}).",
        },
        "hub.counter_taken": {
            "vi": "Quầy số {counter} đã được giao cho trạm {station}; mỗi quầy chỉ thuộc một máy.",
            "en": "Counter {counter} is already given to station {station}; a counter "
            "belongs to one PC only.",
        },
        "hub.counters_only": {
            "vi": "Chỉ máy trạm quầy (counter) mới được giao số quầy.",
            "en": "Only a counter station is given counter numbers.",
        },
        "hub.bad_listen": {
            "vi": "Địa chỉ phải có dạng MÁY:CỔNG, ví dụ 192.168.1.10:4222.",
            "en": "The address must look like HOST:PORT, e.g. 192.168.1.10:4222.",
        },
    }
)


def parse_address(text: str) -> tuple[str, int]:
    host, _, port = text.strip().rpartition(":")
    if not host or not port.isdigit() or not 0 < int(port) < 65536 or len(text) > 255:
        raise ValidationError("hub.bad_listen", field="listen")
    return host.strip("[]"), int(port)


def ranges_for(
    number: int, role: str, *, first_kiosk: bool = True
) -> tuple[TicketRange, SequenceBlock]:
    """A station's own ticket numbers and dossier block: the kiosk hands out 1-499 (what a
    citizen expects to see), every other station 100 numbers above 500, so numbers issued
    while cut off never meet; the daily dossier sequence is split in blocks of 400."""
    if number > 24:
        raise DomainError("hub.full", count=24)
    tickets = (
        TicketRange(1, 499)
        if role == "kiosk" and first_kiosk
        else TicketRange(400 + number * 100, 499 + number * 100)
    )
    start = (number - 1) * DOSSIER_BLOCK + 1
    return tickets, SequenceBlock(start, start + DOSSIER_BLOCK - 1)


def seal_secret(store: Store, value: str, aad: str) -> str:
    """A credential in the hub's record, sealed under the hub key (hub nodes only)."""
    return store.center_keys.secrets.seal(value, aad)


def open_secret(store: Store, token: str, aad: str) -> str:
    """A credential from the hub's record; read with the keys again once when another
    process rotated them meanwhile (the record is sealed under the new hub key)."""
    try:
        return store.center_keys.secrets.open(token, aad)
    except DomainError:
        if not store.refresh_keys():
            raise
        return store.center_keys.secrets.open(token, aad)


def hub_password(store: Store) -> str:
    return store.crypto.open(store.settings.get("center")["password"], "center.password")


def hub_settings(store: Store) -> dict:
    data = store.settings.get("hub")
    if data is None:
        raise DomainError("hub.not_hub")
    return data


def move_listen(store: Store, listen: str) -> None:
    """`hub start --listen` on another address than `hub init`: the join codes name the new
    one from now on (the host the stations use is kept when it listens on every address)."""
    host, port = parse_address(listen)
    with store.transaction():
        hub = hub_settings(store)
        old_host, _ = parse_address(hub["advertise"])
        advertise = f"{old_host if host in ('0.0.0.0', '::') else host}:{port}"
        nodes = [n for n in hub.get("nodes", []) if n != hub["advertise"]]
        retired = sorted({*hub.get("retired_nodes", []), hub["advertise"]} - {advertise})
        hub.update(
            listen=listen,
            advertise=advertise,
            nodes=sorted({*nodes, advertise}),
            retired_nodes=retired,  # kept out of the nodes the cluster's record merges
        )
        store.settings.set("hub", hub)
        center = store.settings.get("center")
        scheme = "tls" if hub.get("tls_cert") else "nats"
        store.settings.set("center", {**center, "urls": [f"{scheme}://127.0.0.1:{port}"]})


def make_hub(
    store: Store, station: Station, *, listen: str, advertise: str, tls: bool = False
) -> Station:
    """Inside `hub init`'s transaction, after the store was initialised as station 1."""
    parse_address(listen)
    parse_address(advertise)
    cert = key = None
    if tls:
        cert, key = make_certificate([parse_address(advertise)[0]])
    hub = replace(station, in_center=True, role="hub")
    store.settings.set("station", hub.to_settings())
    # keys by role: a ticket key for every station, a hub key for the credentials
    store.keys.replace_keyset({**store.keys.keyset(), "center": first_generation()})
    store.relock()
    password = secrets.token_urlsafe(24)
    store.settings.set(
        "hub",
        {
            "listen": listen,
            "advertise": advertise,
            "nodes": [advertise],
            "next_number": 2,
            "stations": {},
            "invites": {},
            "tls_cert": cert,
            "tls_key": seal_secret(store, key, "hub.tls_key") if key else None,
        },
    )
    store.settings.set(
        "center",
        {
            "urls": [f"{'tls' if tls else 'nats'}://127.0.0.1:{parse_address(listen)[1]}"],
            "user": "hub",
            "password": store.crypto.seal(password, "center.password"),
            "ca": cert,
        },
    )
    return hub


def _assign_counters(hub: dict, role: str, wanted: list[int] | None) -> list[int]:
    """Counter numbers are the center's: each belongs to one live station. A counter
    station gets the numbers asked for, or the lowest free one."""
    if role != "counter":
        if wanted:
            raise ValidationError("hub.counters_only", field="counter")
        return []
    taken = {
        n: user
        for user, r in hub["stations"].items()
        if not r["revoked_at"]
        for n in r.get("counters", [])
    }
    for number in wanted or []:
        if number in taken:
            raise DomainError("hub.counter_taken", counter=number, station=taken[number])
    if wanted:
        return sorted(set(wanted))
    return [min(n for n in range(1, len(taken) + 2) if n not in taken)]


def invite(
    ctx: ServiceContext, *, role: str, now: datetime, counters: list[int] | None = None
) -> dict:
    """A one-time join code for a new station; the station is listed (not yet joined) with
    the counter numbers it will act as."""
    ctx.actor.require(Permission.CHANGE_SETTINGS)
    if role not in ROLES:
        raise ValidationError("hub.bad_role", field="role")
    with ctx.store.transaction():
        hub = hub_settings(ctx.store)
        own = _assign_counters(hub, role, counters)
        number = hub["next_number"]
        kiosks = sum(1 for r in hub["stations"].values() if r["role"] == "kiosk")
        tickets, block = ranges_for(number, role, first_kiosk=kiosks == 0)
        user = f"st{number}"
        password = secrets.token_urlsafe(24)
        secret = secrets.token_bytes(32)
        invite_id = secrets.token_hex(8)
        enrol_password = secrets.token_urlsafe(24)
        hub["next_number"] = number + 1
        hub["stations"][user] = {
            "number": number,
            "role": role,
            "password": seal_secret(ctx.store, password, f"station.{user}"),
            "tickets": [tickets.start, tickets.end],
            "block": [block.start, block.end],
            "counters": own,
            "invited_at": now.isoformat(),
            "joined_at": None,
            "revoked_at": None,
        }
        hub["invites"][invite_id] = {
            "user": user,
            "secret": seal_secret(ctx.store, secret.hex(), f"invite.{invite_id}"),
            "password": seal_secret(ctx.store, enrol_password, f"invite.{invite_id}.password"),
            "expires_at": (now + INVITE_TTL).isoformat(),
        }
        ctx.store.settings.set("hub", hub)
        ctx.journal(
            at=now, action="hub.invite", entity="station", entity_id=user, detail={"role": role}
        )
    scheme = "tls" if hub.get("tls_cert") else "nats"
    # this node first: the join code's user lives only in this node's configuration
    nodes = [hub["advertise"], *(n for n in hub.get("nodes", []) if n != hub["advertise"])]
    code = make_code(
        cert=hub.get("tls_cert"),
        urls=[f"{scheme}://{node}" for node in nodes],
        user=enrol_user(invite_id),
        password=enrol_password,
        invite=invite_id,
        secret=secret,
        role=role,
    )
    return {
        "station": user,
        "number": number,
        "role": role,
        "counters": own,
        "code": code,
        "expires_at": (now + INVITE_TTL).isoformat(),
    }


def enrolment_package(
    store: Store, station_ctx: Station, invite_id: str, now: datetime, offered: bytes
) -> bytes:
    """What a joining station receives, encrypted for it; the invite is used up, but only
    by a joiner that proves it holds the code's secret (a wrong one leaves it usable)."""
    with store.transaction():
        hub = hub_settings(store)
        entry = hub["invites"].get(invite_id)
        if entry is not None:
            secret = bytes.fromhex(open_secret(store, entry["secret"], f"invite.{invite_id}"))
            if not proof_matches(secret, invite_id, offered):
                raise ValidationError("center.wrong_code", field="code")
        hub["invites"].pop(invite_id, None)
        if entry is None or datetime.fromisoformat(entry["expires_at"]) < now:
            store.settings.set("hub", hub)
            raise NotFound("center.bad_code")
        user = entry["user"]
        record = hub["stations"][user]
        if record["revoked_at"]:
            raise NotFound("center.bad_code")
        record["joined_at"] = now.isoformat()
        store.settings.set("hub", hub)
    station = replace(
        station_ctx,
        id=f"{station_ctx.agency_code}/{record['number']}/{secrets.token_hex(4)}",
        number=record["number"],
        role=record["role"],
        counters=center_desks(station_ctx, record.get("counters", [])),
        ticket_range=TicketRange(*record["tickets"]),
        dossier_block=SequenceBlock(*record["block"]),
        in_center=True,
        own_counters=tuple(record.get("counters", [])) if record["role"] != "hub" else None,
    )
    # the center's accounts go where clerks sign in; a kiosk or a board makes its own
    # operator at join and never holds a clerk's password hash
    users = []
    if record["role"] in PERSONAL_ROLES:
        users = [dict(r) for r in store.query("SELECT * FROM users")]
    package = {
        "station": station.to_settings(),
        # what this role may hold: a kiosk or a board no key that opens personal data
        "keyset": keys_for_role(store.keys.keyset(), record["role"]),
        "users": users,
        # the station's own NATS credentials travel sealed, never in the join code
        "nats": {
            "user": user,
            "password": open_secret(store, record["password"], f"station.{user}"),
        },
    }
    if record["role"] == "hub":  # a cluster node: the center's record and the hub user
        package["hub"] = {**hub, "invites": {}}
        package["center_password"] = store.settings.get("center")["password"]
    return seal_package(package, secret=secret, invite=invite_id)


def center_desks(hub: Station, own: list[int]) -> tuple[CounterDesk, ...]:
    """Every counter of the center (for transfers and the board), with a station's own
    numbers added when the hub's list is shorter (they call every group)."""
    letters = tuple(sorted({g for d in hub.counters for g in d.groups}))
    known = {d.number for d in hub.counters}
    extra = tuple(CounterDesk(n, letters) for n in own if n not in known)
    return tuple(sorted(hub.counters + extra, key=lambda d: d.number))


def stations(store: Store) -> list[dict]:
    """Each station with its role, the time of the last event the hub applied from it, and
    whether it was last seen speaking an older protocol (center/upgrade.py) since then."""
    hub = hub_settings(store)
    outdated = hub.get("outdated", {})
    last = {
        r["origin"]: r["at"]
        for r in store.query(
            "SELECT substr(idem_key, 1, instr(idem_key, ':') - 1) AS origin, "
            "max(applied_at) AS at FROM center_applied GROUP BY origin"
        )
    }
    set_aside: dict[str, int] = {}
    for row in store.center.set_aside_rows():
        set_aside[row["publisher"]] = set_aside.get(row["publisher"], 0) + 1
    out = []
    for user, record in sorted(hub["stations"].items(), key=lambda kv: kv[1]["number"]):
        contact = max(
            (
                at
                for origin, at in last.items()
                if origin.split("/")[1:2] == [str(record["number"])]
            ),
            default=None,
        )
        out.append(
            {
                "station": user,
                "number": record["number"],
                "role": record["role"],
                "counters": record.get("counters", []),
                "joined_at": record["joined_at"],
                "revoked_at": record["revoked_at"],
                "last_event_at": contact,
                "set_aside": set_aside.get(user, 0),
                "outdated": bool(outdated.get(user) and outdated[user] > (contact or "")),
            }
        )
    return out


def revoke(ctx: ServiceContext, *, station: str, now: datetime) -> None:
    ctx.actor.require(Permission.CHANGE_SETTINGS)
    with ctx.store.transaction():
        hub = hub_settings(ctx.store)
        record = hub["stations"].get(station)
        if record is None:
            raise NotFound("hub.unknown_station", station=station)
        record["revoked_at"] = now.isoformat()
        hub["invites"] = {k: v for k, v in hub["invites"].items() if v["user"] != station}
        ctx.store.settings.set("hub", hub)
        ctx.journal(at=now, action="hub.revoke", entity="station", entity_id=station)


def enrol_user(invite_id: str) -> str:
    return f"en{invite_id}"


def server_config(
    store: Store, data_dir: Path, *, listen: str, peers: list[str], now: datetime
) -> str:
    """nats-server's configuration: JetStream on this PC, one user per live station with
    its role's permissions, and one per open invite that may only enrol."""
    hub = hub_settings(store)
    host, port = parse_address(listen)
    users = [config_user("hub", hub_password(store), None)] + [
        config_user(
            user,
            open_secret(store, r["password"], f"station.{user}"),
            station_permissions(user, r["role"]),
        )
        for user, r in hub["stations"].items()
        if not r["revoked_at"] and r["role"] != "hub"
    ]
    for invite_id, entry in sorted(hub["invites"].items()):
        if "password" not in entry or datetime.fromisoformat(entry["expires_at"]) < now:
            continue  # expired: its user is gone from the server
        password = open_secret(store, entry["password"], f"invite.{invite_id}.password")
        user = enrol_user(invite_id)
        users.append(config_user(user, password, enrol_permissions(user, invite_id)))
    js_dir = (data_dir / "nats").as_posix()
    tls_dir = (data_dir / "tls").as_posix()
    lines = [
        f'listen: "{host}:{port}"',
        f'server_name: "hub-{port}"',
        f'jetstream {{ store_dir: "{js_dir}" }}',
        *(
            [f'tls {{ cert_file: "{tls_dir}/hub.pem", key_file: "{tls_dir}/hub.key" }}']
            if hub.get("tls_cert")
            else []
        ),
        "authorization {",
        "  users = [",
        *(f"    {entry}" for entry in users),
        "  ]",
        "}",
    ]
    if peers:  # a peer's route port is its client port + ROUTE_OFFSET
        routes = ", ".join(
            f'"nats://{h}:{p + ROUTE_OFFSET}"' for h, p in (parse_address(x) for x in peers)
        )
        lines += [
            f'cluster {{ name: "center", listen: "{host}:{port + ROUTE_OFFSET}", '
            f"routes: [{routes}] }}"
        ]
    return "\n".join(lines) + "\n"


def merge_records(local: dict, remote: dict) -> dict:
    """The hub's record as the cluster's nodes agree on it: every station any node knows,
    a revocation or a join seen anywhere kept, the highest station number taken."""
    stations = dict(remote.get("stations", {}))
    for user, mine in local.get("stations", {}).items():
        theirs = stations.get(user)
        if theirs is None:
            stations[user] = mine
            continue
        stations[user] = {
            **mine,  # what an older record lacks (counters given at an upgrade) is kept
            **theirs,
            # the same password either way: each node keeps its own sealing of it (a node
            # that rotated the keys sealed it again under the new hub key)
            "password": mine["password"],
            "joined_at": theirs["joined_at"] or mine["joined_at"],
            "revoked_at": theirs["revoked_at"] or mine["revoked_at"],
        }
    retired = set(local.get("retired_nodes", [])) | set(remote.get("retired_nodes", []))
    nodes = set(local.get("nodes", [])) | set(remote.get("nodes", []))
    return {
        "stations": stations,
        "nodes": sorted(nodes - retired),
        "retired_nodes": sorted(retired),
        "next_number": max(local.get("next_number", 2), remote.get("next_number", 2)),
    }
