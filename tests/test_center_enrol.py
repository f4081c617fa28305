"""Enrolment: the join code's credentials can only enrol and die with the code; a wrong
secret leaves the invite usable; a revoked station learns it at its next contact and
stops, saying so. Real nats-server under `hub start`, real station processes."""

from __future__ import annotations

import asyncio
import base64
import json
import time

from counter_app.center.enrol import CODE_PREFIX, read_code
from counter_app.center.lab import Center, cli, cli_json
from counter_app.store import open_store


def _with_secret(code: str, secret: bytes) -> str:
    body = json.loads(base64.urlsafe_b64decode(code[len(CODE_PREFIX) :] + "=="))
    body["s"] = base64.urlsafe_b64encode(secret).decode().rstrip("=")
    raw = json.dumps(body, separators=(",", ":")).encode()
    return CODE_PREFIX + base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _logs_in(center: Center, user: str, password: str) -> bool:
    import nats

    async def attempt() -> None:
        nc = await nats.connect(
            f"nats://127.0.0.1:{center.port}", user=user, password=password,
            allow_reconnect=False, max_reconnect_attempts=0, connect_timeout=2,
        )  # fmt: skip
        await nc.close()

    try:
        asyncio.run(attempt())
        return True
    except Exception as error:
        assert "authorization" in str(error).lower(), error
        return False


def test_a_wrong_secret_leaves_the_invite_usable(center):
    code = cli_json(center.hub_dir, "hub", "invite", "--role", "counter")["code"]
    wrong = _with_secret(code, b"\x01" * 32)
    refused = cli(center.root / "a", "center", "join", wrong, check=False)
    said = refused.stdout + refused.stderr
    assert refused.returncode != 0 and "mã tham gia không đúng" in said, said
    assert "InvalidTag" not in said and "Traceback" not in said
    # the genuine code then joins, in the same folder (nothing half-made there)
    joined = cli_json(center.root / "a", "center", "join", code)
    assert joined["station"]["role"] == "counter"


def test_join_credentials_die_when_the_code_expires(center):
    code = cli_json(center.hub_dir, "hub", "invite", "--role", "kiosk")["code"]
    creds = read_code(code)
    time.sleep(2.0)  # the hub's next turn writes the code's user
    assert _logs_in(center, creds["user"], creds["password"])
    store = open_store(center.hub_dir)
    try:
        with store.transaction():
            hub = store.settings.get("hub")
            for entry in hub["invites"].values():
                entry["expires_at"] = "2020-01-01T00:00:00+07:00"
            store.settings.set("hub", hub)
    finally:
        store.close()
    time.sleep(2.5)  # the hub reloads nats-server's users on its next turn
    assert not _logs_in(center, creds["user"], creds["password"])
    late = cli(center.root / "k", "center", "join", code, check=False)
    assert late.returncode != 0 and "từ chối" in late.stdout + late.stderr


def test_a_revoked_station_learns_it_and_stops(center):
    counter = center.join("c1", "counter")
    kiosk = center.join("kiosk", "kiosk")
    cli(kiosk, "ticket", "take", "--group", "A")
    cli(center.hub_dir, "hub", "revoke", "st3")  # the kiosk
    time.sleep(2.5)  # the hub reloads nats-server's users on its next turn
    refused = cli(kiosk, "ticket", "take", "--group", "A", check=False)
    said = refused.stdout + refused.stderr
    assert refused.returncode == 1 and "đã bị thu hồi khỏi trung tâm" in said, said
    status = cli(kiosk, "center", "status", check=False)
    assert status.returncode == 1 and "thu hồi" in status.stdout + status.stderr
    # still known with the hub switched off: it does not go on as if merely cut off
    center.kill_hub()
    again = cli(kiosk, "ticket", "take", "--group", "A", check=False)
    assert again.returncode == 1 and "thu hồi" in again.stdout + again.stderr
    # the other stations never see a ticket the revoked one issued after it knew
    store = open_store(kiosk)
    try:
        assert store.query_one("SELECT count(*) FROM tickets")[0] == 1
    finally:
        store.close()
    assert counter.exists()
