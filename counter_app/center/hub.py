"""The hub: the center's record of its stations, their credentials and number ranges, and
the nats-server configuration written from it.

The hub is itself a station (role "hub") with its own store: it holds the center's keys,
its accounts, and a replica of every station's events, from which it alone syncs with the
portal. Each station gets its own NATS user; revoking one removes it from the server's
configuration, so it can neither read nor publish from then on.
"""

from __future__ import annotations

import secrets
from dataclasses import replace
from datetime import datetime, timedelta
from pathlib import Path

from counter_app.center.enrol import make_code, seal_package
from counter_app.center.tls import make_certificate
from counter_app.core.dossier_code import SequenceBlock
from counter_app.core.errors import DomainError, NotFound, ValidationError
from counter_app.core.messages import register
from counter_app.core.queue import TicketRange
from counter_app.core.roles import Permission
from counter_app.services.context import ServiceContext
from counter_app.services.station import Station
from counter_app.store import Store

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


def hub_password(store: Store) -> str:
    return store.crypto.open(store.settings.get("center")["password"], "center.password")


def hub_settings(store: Store) -> dict:
    data = store.settings.get("hub")
    if data is None:
        raise DomainError("hub.not_hub")
    return data


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
            "tls_key": store.crypto.seal(key, "hub.tls_key") if key else None,
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


def invite(ctx: ServiceContext, *, role: str, now: datetime) -> dict:
    """A one-time join code for a new station; the station is listed (not yet joined)."""
    ctx.actor.require(Permission.CHANGE_SETTINGS)
    if role not in ROLES:
        raise ValidationError("hub.bad_role", field="role")
    with ctx.store.transaction():
        hub = hub_settings(ctx.store)
        number = hub["next_number"]
        kiosks = sum(1 for r in hub["stations"].values() if r["role"] == "kiosk")
        tickets, block = ranges_for(number, role, first_kiosk=kiosks == 0)
        user = f"st{number}"
        password = secrets.token_urlsafe(24)
        if role == "hub":  # another node of the cluster: it serves as the hub user
            password = hub_password(ctx.store)
        secret = secrets.token_bytes(32)
        invite_id = secrets.token_hex(8)
        hub["next_number"] = number + 1
        hub["stations"][user] = {
            "number": number,
            "role": role,
            "password": ctx.store.crypto.seal(password, f"station.{user}"),
            "tickets": [tickets.start, tickets.end],
            "block": [block.start, block.end],
            "invited_at": now.isoformat(),
            "joined_at": None,
            "revoked_at": None,
        }
        hub["invites"][invite_id] = {
            "user": user,
            "secret": ctx.store.crypto.seal(secret.hex(), f"invite.{invite_id}"),
            "expires_at": (now + INVITE_TTL).isoformat(),
        }
        ctx.store.settings.set("hub", hub)
        ctx.journal(
            at=now, action="hub.invite", entity="station", entity_id=user, detail={"role": role}
        )
    scheme = "tls" if hub.get("tls_cert") else "nats"
    code = make_code(
        cert=hub.get("tls_cert"),
        urls=[f"{scheme}://{node}" for node in hub.get("nodes", [hub["advertise"]])],
        user="hub" if role == "hub" else user,
        password=password,
        invite=invite_id,
        secret=secret,
    )
    return {
        "station": user,
        "number": number,
        "role": role,
        "code": code,
        "expires_at": (now + INVITE_TTL).isoformat(),
    }


def enrolment_package(store: Store, station_ctx: Station, invite_id: str, now: datetime) -> bytes:
    """What a joining station receives, encrypted for it; the invite is used up."""
    with store.transaction():
        hub = hub_settings(store)
        entry = hub["invites"].pop(invite_id, None)
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
        ticket_range=TicketRange(*record["tickets"]),
        dossier_block=SequenceBlock(*record["block"]),
        in_center=True,
    )
    users = [dict(r) for r in store.query("SELECT * FROM users")]
    package = {
        "station": station.to_settings(),
        "keyset": store.keys.keyset(),
        "users": users,
    }
    if record["role"] == "hub":  # a cluster node: the center's record and the hub user
        package["hub"] = {**hub, "invites": {}}
        package["center_password"] = store.settings.get("center")["password"]
    secret = bytes.fromhex(store.crypto.open(entry["secret"], f"invite.{invite_id}"))
    return seal_package(package, secret=secret, invite=invite_id)


def stations(store: Store) -> list[dict]:
    """Each station with its role and the time of the last event the hub applied from it."""
    hub = hub_settings(store)
    last = {
        r["origin"]: r["at"]
        for r in store.query(
            "SELECT substr(idem_key, 1, instr(idem_key, ':') - 1) AS origin, "
            "max(applied_at) AS at FROM center_applied GROUP BY origin"
        )
    }
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
                "joined_at": record["joined_at"],
                "revoked_at": record["revoked_at"],
                "last_event_at": contact,
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


def server_config(store: Store, data_dir: Path, *, listen: str, peers: list[str]) -> str:
    """nats-server's configuration: JetStream on this PC, one user per live station."""
    hub = hub_settings(store)
    host, port = parse_address(listen)
    users = [("hub", hub_password(store))] + [
        (user, store.crypto.open(r["password"], f"station.{user}"))
        for user, r in hub["stations"].items()
        if not r["revoked_at"] and r["role"] != "hub"
    ]
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
        *(f'    {{ user: "{u}", password: "{p}" }}' for u, p in users),
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
            **theirs,
            "joined_at": theirs["joined_at"] or mine["joined_at"],
            "revoked_at": theirs["revoked_at"] or mine["revoked_at"],
        }
    return {
        "stations": stations,
        "nodes": sorted(set(local.get("nodes", [])) | set(remote.get("nodes", []))),
        "next_number": max(local.get("next_number", 2), remote.get("next_number", 2)),
    }
