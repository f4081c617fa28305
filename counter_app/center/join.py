"""`center join`: make an empty data folder a station of a center from a join code."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import datetime

from cryptography.exceptions import InvalidTag

from counter_app.center.enrol import WRONG_SECRET, open_package, proof, read_code
from counter_app.core.catalogue import Catalogue
from counter_app.core.errors import DomainError, ValidationError
from counter_app.core.messages import register
from counter_app.core.passwords import check_strength
from counter_app.services.accounts import add_first_admin, check_username
from counter_app.services.station import Station
from counter_app.store import Store
from counter_app.store.center_keys import LOCAL_ACCOUNT_ROLES
from counter_app.store.station_key import create_station_key

ENROL_TRIES = 30  # half a second apart

register(
    {
        "center.unreachable": {
            "vi": "Không kết nối được với máy chủ trung tâm ({url}). Kiểm tra máy chủ đã "
            "bật, cáp mạng, và mã tham gia.",
            "en": "Could not reach the center hub ({url}). Check that the hub is on, the "
            "network cable, and the join code.",
        },
        "center.refused": {
            "vi": "Máy chủ trung tâm từ chối mã này (đã dùng, hết hạn hoặc bị thu hồi). Hãy "
            "xin mã mới.",
            "en": "The hub refused this code (used, expired or revoked). Ask for a new one.",
        },
        "center.need_local_admin": {
            "vi": "Máy bảng gọi số hoặc máy lấy số không nhận tài khoản của trung tâm: hãy "
            "đặt tài khoản quản trị riêng của máy này (--admin-user, --admin-password hoặc "
            "COUNTER_APP_PASSWORD).",
            "en": "A kiosk or a board receives none of the center's accounts: give this PC its "
            "own admin account (--admin-user, --admin-password or COUNTER_APP_PASSWORD).",
        },
        "center.already": {
            "vi": "Thư mục dữ liệu này đã có kho dữ liệu; hãy dùng một thư mục trống.",
            "en": "This data folder already holds a store; use an empty folder.",
        },
    }
)


async def _fetch_package(code: dict, timeout: float) -> bytes:
    """The sealed enrolment package, b"" for a code the hub refuses, WRONG_SECRET."""
    import nats.errors

    try:
        return await _ask_once(code, timeout)
    except nats.errors.TimeoutError:
        # the hub may have cut this code's user off while we asked (another holder had just
        # used it): ask once more, and a refused login then says so
        return await _ask_once(code, timeout)


async def _ask_once(code: dict, timeout: float) -> bytes:
    nc = await _connect_enrolling(code, timeout)
    try:
        reply = await nc.request(
            f"center.enrol.{code['invite']}",
            proof(code["secret"], code["invite"]),
            timeout=timeout * 3,
        )
        return reply.data
    finally:
        await nc.close()


async def _connect_enrolling(code: dict, timeout: float):
    from counter_app.center.link import connect, refused_login

    # A fresh invite's user reaches nats-server at the hub's next turn (a second, more on a
    # busy hub): a code used at once may be refused a few times before it is known.
    # Any refusal on the way counts: the last try may end on a timeout or "no servers"
    # instead, which would call a used code a hub out of reach.
    refused = False
    for attempt in range(ENROL_TRIES):
        try:
            nc = await connect(code["urls"], code["user"], code["password"], timeout, code["cert"])
            break
        except ConnectionRefusedError:
            raise
        except Exception as error:
            refused = refused or refused_login(error)
            if attempt == ENROL_TRIES - 1:
                if refused:
                    raise DomainError("center.refused") from error
                raise
            await asyncio.sleep(0.5)
    return nc


def join_center(
    store: Store,
    text: str,
    *,
    now: datetime,
    catalogue: Catalogue,
    passphrase: str | None,
    timeout: float = 3.0,
    on_recovery_code=None,
    listen: str | None = None,
    advertise: str | None = None,
    local_admin: Callable[[], tuple[str, str]] | None = None,
) -> Station:
    """A station (or, with `listen`, another hub node of a cluster) from a join code.

    A counter or a hub node receives the center's accounts. A kiosk or a board receives
    none (no clerk's password hash in the lobby): `local_admin()` gives the (username,
    password) of its own operator, asked before the invite is used up when the code names
    the role."""
    code = read_code(text)
    if store.settings.get("station") is not None:
        raise DomainError("center.already")
    operator = _local_operator(local_admin) if code["role"] in LOCAL_ACCOUNT_ROLES else None
    try:
        blob = asyncio.run(_fetch_package(code, timeout))
    except DomainError:
        raise
    except Exception as error:
        raise DomainError("center.unreachable", url=", ".join(code["urls"])) from error
    if not blob:
        raise DomainError("center.refused")
    if blob == WRONG_SECRET:
        raise ValidationError("center.wrong_code", field="code")
    try:
        package = open_package(blob, secret=code["secret"], invite=code["invite"])
    except InvalidTag as error:  # never a cryptography error's name in front of a user
        raise ValidationError("center.wrong_code", field="code") from error
    station = Station.from_settings(package["station"])
    if station.role in LOCAL_ACCOUNT_ROLES and operator is None:  # a code of an older hub
        operator = _local_operator(local_admin)
    with store.transaction():
        recovery = store.keys.create(passphrase=passphrase, keyset=package["keyset"])
        if on_recovery_code is not None:
            on_recovery_code(recovery)
        store.settings.set("station", station.to_settings())
        if "hub" in package:
            _become_hub_node(store, package, listen or "0.0.0.0:4222", advertise)
        else:
            store.settings.set(
                "center",
                {
                    "urls": code["urls"],
                    "user": package["nats"]["user"],
                    "password": store.crypto.seal(package["nats"]["password"], "center.password"),
                    "ca": code["cert"],
                },
            )
        for user in package["users"]:
            store.conn.execute(
                f"INSERT INTO users({', '.join(user)}) VALUES ({', '.join('?' * len(user))})",
                tuple(user.values()),
            )
        if operator is not None:  # checked before the invite was used: see _local_operator
            add_first_admin(store, username=operator[0], password=operator[1], now=now)
        create_station_key(store)
        store.catalogue.replace(catalogue, at=now)
        store.audit.append(
            at=now,
            actor="center",
            station_id=station.id,
            action="station.join",
            entity="station",
            entity_id=station.id,
            detail={"role": station.role, "number": station.number},
        )
    return station


def _local_operator(local_admin: Callable[[], tuple[str, str]] | None) -> tuple[str, str]:
    """The kiosk's or the board's own admin: the one account it signs in (the command
    line, setting the PC up)."""
    if local_admin is None:
        raise ValidationError("center.need_local_admin", field="password")
    username, password = local_admin()
    check_strength(password)
    return check_username(username), password


def _become_hub_node(store: Store, package: dict, listen: str, advertise: str | None) -> None:
    """Another node of the center's cluster: the hub's record, served on its own address."""
    from counter_app.center.hub import parse_address

    host, port = parse_address(listen)
    advertise = advertise or (f"127.0.0.1:{port}" if host in ("0.0.0.0", "::") else listen)
    hub = package["hub"]
    hub.update(listen=listen, advertise=advertise)
    hub["nodes"] = sorted(set(hub.get("nodes", [])) | {advertise})
    store.settings.set("hub", hub)
    store.settings.set(
        "center",
        {
            "urls": [f"nats://127.0.0.1:{port}"],
            "user": "hub",
            "password": package["center_password"],  # sealed with the personal key already
        },
    )
