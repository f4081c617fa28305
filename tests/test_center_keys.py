"""Keys by role and center-wide rotation, with real nats-server and real station processes.

A kiosk's or a board's data folder, stolen from the lobby, gives its NATS credentials and
its keys: read the stream with them through nats-py directly, and no dossier or paper event
opens under any key it holds, while a counter's keys open them. The hub's record opens for
no station. After `hub rotate-keys` (the hub killed once on the way), the live stations open
the new events and the revoked one does not, old events still open, and every replica,
one joined after the rotation included, converges.
"""

from __future__ import annotations

import asyncio
import base64
import json
import re

import pytest
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from counter_app.center.lab import cli, cli_json
from counter_app.center.link import STREAM
from counter_app.core.errors import DomainError
from counter_app.store import open_store
from counter_app.store.center_keys import GRANT_PREFIX, NotForThisRole, open_grant
from tests.helpers.center import credentials

PERSONAL_ACTIONS = ("dossier.", "paper.")


def _read_stream(creds: dict, start: int = 1) -> list[dict]:
    """Every message of the center stream from `start`, read with these credentials."""
    import nats

    async def read():
        nc = await nats.connect(
            creds["urls"][0], user=creds["user"], password=creds["password"],
            inbox_prefix=f"_INBOX_{creds['user']}".encode(),
        )  # fmt: skip
        try:
            js = nc.jetstream(timeout=3)
            last = (await js.stream_info(STREAM)).state.last_seq
            out = []
            for seq in range(start, last + 1):
                msg = await js.get_msg(STREAM, seq)
                action = msg.subject.split(".", 3)[3]
                out.append({"seq": seq, "action": action, "key": msg.headers["Nats-Msg-Id"],
                            "sealed": msg.data.decode("ascii")})  # fmt: skip
            return out
        finally:
            await nc.close()

    return asyncio.run(read())


def _hub_creds(center) -> dict:
    return {**credentials(center.hub_dir), "urls": [f"nats://127.0.0.1:{center.port}"]}


def _keyset(folder) -> dict:
    store = open_store(folder)
    try:
        _ = store.crypto
        return store.keys.keyset()
    finally:
        store.close()


def _every_key(keyset: dict) -> list[bytes]:
    """Every key a keyset holds, whatever its class: a thief would try them all."""
    found = [keyset["index"], *keyset["seal"].values()]
    for name in ("ticket", "hub"):
        found += (keyset.get("center") or {}).get(name, {}).values()
    return [base64.b64decode(k) for k in found]


def _opens_with_any(keys: list[bytes], sealed: str, aad: str) -> bool:
    raw = base64.b64decode(sealed.split(":", 2)[2])
    for key in keys:
        try:
            AESGCM(key).decrypt(raw[:12], raw[12:], aad.encode())
            return True
        except InvalidTag:
            continue
    return False


def _open_with(folder, messages: list[dict]) -> dict[int, str]:
    """What a station's own keys make of each message: 'open', 'not-mine' or 'fails'."""
    store = open_store(folder)
    out = {}
    try:
        keys = store.center_keys
        for m in messages:
            try:
                keys.open_event(m["sealed"], m["key"])
                out[m["seq"]] = "open"
            except NotForThisRole:
                out[m["seq"]] = "not-mine"
            except DomainError:
                out[m["seq"]] = "fails"
    finally:
        store.close()
    return out


def _opened_text(folder, messages: list[dict]) -> str:
    """Every message these keys open, in clear, one after the other."""
    store = open_store(folder)
    try:
        keys = store.center_keys
        return "".join(keys.open_event(m["sealed"], m["key"]) for m in messages)
    finally:
        store.close()


def _receive(counter, name: str, citizen_id: str) -> str:
    received = cli(counter, "dossier", "receive", "--documents", "all", "--procedure",
                   "1.001193", "--name", name, "--citizen-id", citizen_id).stdout  # fmt: skip
    return re.search(r"Mã hồ sơ: (\S+)", received).group(1)


def _rows(folder, sql: str) -> set:
    store = open_store(folder)
    try:
        return {tuple(r) for r in store.query(sql)}
    finally:
        store.close()


TICKETS = "SELECT uid, state FROM tickets"
DOSSIERS = "SELECT code, status FROM dossiers"


def test_a_kiosk_and_a_board_open_no_personal_data_a_counter_does(center, tmp_path):
    from tests.test_papers import text_page

    kiosk, board = center.join("kiosk", "kiosk"), center.join("board", "display")
    counter = center.join("c1", "counter")
    cli(kiosk, "ticket", "take", "--group", "A")
    cli(counter, "queue", "call-next", "--counter", "1")
    code = _receive(counter, "Nguyễn Thị Đường", "001190012345")
    page = text_page(tmp_path / "to-khai.png")
    cli(counter, "dossier", "attach", code, "--paper", "1", str(page))
    for folder in (counter, kiosk, board, center.hub_dir):
        cli(folder, "center", "sync")

    for thief in (kiosk, board):  # its own credentials read the stream: it may
        messages = _read_stream(credentials(thief))
        personal = [m for m in messages if m["action"].startswith(PERSONAL_ACTIONS)]
        tickets = [m for m in messages if m["action"].startswith("ticket.")]
        assert {m["action"].split(".")[0] for m in personal} == {"dossier", "paper"}
        keys = _every_key(_keyset(thief))
        assert not [m["seq"] for m in personal if _opens_with_any(keys, m["sealed"], m["key"])]
        assert all(_opens_with_any(keys, m["sealed"], m["key"]) for m in tickets)
        assert set(_open_with(thief, personal).values()) == {"not-mine"}
        # and what it does open, every event under the ticket key, names nobody
        readable = _opened_text(thief, [m for m in messages if m not in personal])
        assert readable and not any(w in readable for w in ("Đường", "001190012345", code))
        # its replica passed them over quietly: nothing set aside, no dossier row
        assert _rows(thief, DOSSIERS) == set()
        store = open_store(thief)
        try:
            assert store.center.set_aside_rows() == []
        finally:
            store.close()
    # a counter's keys open every one of them, the citizen's name inside
    messages = _read_stream(credentials(counter))
    assert set(_open_with(counter, messages).values()) == {"open"}
    store = open_store(counter)
    try:
        dossier = next(m for m in messages if m["action"] == "dossier.receive")
        row = json.loads(store.center_keys.open_event(dossier["sealed"], dossier["key"]))
        name = store.crypto.open(row["dossier"]["applicant_name"], f"{code}:applicant_name")
        assert name == "Nguyễn Thị Đường"
    finally:
        store.close()

    # the hub's record: the stations' passwords open under the hub key alone
    record = _hub_record(center)
    sealed = record["stations"]["st2"]["password"]
    assert sealed.startswith("e1:h1:")
    for station in (kiosk, board, counter):
        assert not _opens_with_any(_every_key(_keyset(station)), sealed, "station.st2")


def _hub_record(center, *, closed: bool = True) -> dict:
    """The `hub` bucket's record as the hub user reads it (no station may), opened with
    the hub's keys; `closed`: checked to open under no station's keys."""
    import nats

    async def read() -> str:
        creds = _hub_creds(center)
        nc = await nats.connect(creds["urls"][0], user="hub", password=creds["password"])
        try:
            kv = await nc.jetstream().key_value("hub")
            return (await kv.get("record")).value.decode()
        finally:
            await nc.close()

    sealed = asyncio.run(read())
    for station in ("kiosk", "board", "c1") if closed else ():
        folder = center.root / station
        if folder.exists():
            assert not _opens_with_any(_every_key(_keyset(folder)), sealed, "hub.record")
    store = open_store(center.hub_dir)
    try:
        return json.loads(store.center_keys.secrets.open(sealed, "hub.record"))
    finally:
        store.close()


def _position(folder) -> int:
    store = open_store(folder)
    try:
        return store.center.position()
    finally:
        store.close()


def test_rotation_reaches_the_live_stations_not_a_revoked_one_and_the_center_converges(center):
    kiosk, board = center.join("kiosk", "kiosk"), center.join("board", "display")
    first, gone = center.join("c1", "counter"), center.join("c2", "counter")
    gone_creds = credentials(gone)
    cli(kiosk, "ticket", "take", "--group", "A")
    cli(first, "queue", "call-next", "--counter", "1", "--current", "served")
    old_code = _receive(first, "Trần Văn Bình", "001190054321")
    for folder in (first, gone, kiosk, board):
        cli(folder, "center", "sync")
    cli(center.hub_dir, "hub", "revoke", gone_creds["user"])

    rotated = cli_json(center.hub_dir, "hub", "rotate-keys")
    assert rotated["keys"] == {"ticket": "t2", "personal": "k2", "hub": "h2"}
    assert gone_creds["user"] not in rotated["stations"]
    center.kill_hub()  # before or after it published the grant: it is in its store
    center.start_hub()
    for folder in (kiosk, first, board):
        cli(folder, "center", "sync")
    assert {"t1", "t2"} <= set(_keyset(kiosk)["center"]["ticket"])
    assert "k2" not in _keyset(kiosk)["seal"] and "k2" not in _keyset(board)["seal"]
    assert _keyset(first)["current"] == "k2" and _keyset(first)["center"]["ticket_current"] == "t2"

    # new events: under the new keys, open at the live stations, never at the revoked one
    mark = _position(first)
    cli(kiosk, "ticket", "take", "--group", "A")
    cli(first, "center", "sync")
    cli(first, "queue", "call-next", "--counter", "1", "--current", "served")
    new_code = _receive(first, "Lê Thị Cúc", "001190067890")
    messages = _read_stream(_hub_creds(center))
    grant = next(m for m in messages if m["sealed"].startswith(GRANT_PREFIX))
    new = [m for m in messages if m["seq"] > mark]
    assert {m["sealed"].split(":")[1] for m in new} == {"t2", "k2"}
    assert set(_open_with(first, new).values()) == {"open"}
    assert set(_open_with(gone, new).values()) == {"fails"}
    assert not _opens_with_any(_every_key(_keyset(gone)), new[-1]["sealed"], new[-1]["key"])
    user, password = gone_creds["user"], gone_creds["password"]
    assert open_grant(grant["sealed"], grant["key"], user, password) is None
    kiosk_view = _open_with(kiosk, new)
    assert {kiosk_view[m["seq"]] for m in new if m["action"].startswith("ticket.")} == {"open"}
    assert {kiosk_view[m["seq"]] for m in new if m["action"].startswith("dossier.")} == {"not-mine"}
    old = [m for m in messages if m["seq"] < grant["seq"]]
    assert set(_open_with(first, old).values()) == {"open"}

    # a counter joined after the rotation replays the whole stream: old and new converge
    late = center.join("c3", "counter")
    for folder in (kiosk, board, first, late, center.hub_dir):
        cli(folder, "center", "sync")
    tickets = [_rows(f, TICKETS) for f in (kiosk, board, first, late, center.hub_dir)]
    assert all(t == tickets[0] for t in tickets) and len(tickets[0]) == 2
    dossiers = [_rows(f, DOSSIERS) for f in (first, late, center.hub_dir)]
    assert all(d == dossiers[0] for d in dossiers)
    assert {code for code, _ in dossiers[0]} == {old_code, new_code}
    found = cli(late, "search", "le thi cuc").stdout + cli(late, "search", "tran van binh").stdout
    assert new_code in found and old_code in found
    # the credentials in the hub's record are sealed again under the new hub key
    record = _hub_record(center)
    assert {r["password"].split(":")[1] for r in record["stations"].values()} == {"h2"}


def _kiosk_and_counter_keys():
    """A center's hub keyset, and the keys a kiosk and a counter receive from it."""
    from counter_app.core.crypto import FieldCrypto, new_master_key
    from counter_app.store.center_keys import CenterKeys, first_generation, keys_for_role

    seal = base64.b64encode(new_master_key()).decode()
    hub = {"index": seal, "seal": {"k1": seal}, "current": "k1", "center": first_generation()}

    def unlocked(keyset: dict) -> CenterKeys:
        keyset = {"index": seal, "seal": {"k1": base64.b64encode(new_master_key()).decode()},
                  "current": "k1", **keyset}  # fmt: skip
        store = FieldCrypto(
            keyset["current"],
            {k: base64.b64decode(v) for k, v in keyset["seal"].items()},
            b"",
        )
        return CenterKeys.from_keyset(keyset, store)

    return hub, unlocked(keys_for_role(hub, "kiosk")), unlocked(keys_for_role(hub, "counter"))


def test_only_content_known_to_carry_no_citizen_data_goes_under_the_ticket_key():
    from counter_app.store.center_keys import is_ticket_class

    for content in ("ticket", "rating", "pause", "setting"):
        assert is_ticket_class({"v": 1, content: {}, "at": ""})
    for payload in ({"dossier": {}}, {"paper": {}}, {"online": {}}, {"ticket": {}, "dossier": {}},
                    {"user": {}}, {"something_new": {}}, {}):  # fmt: skip
        assert not is_ticket_class(payload)


def test_a_kiosk_passes_over_personal_events_but_reports_junk():
    _, kiosk, counter = _kiosk_and_counter_keys()
    dossier = counter.seal_event({"v": 1, "dossier": {"code": "X"}}, "st3/1:1")
    ticket = counter.seal_event({"v": 1, "ticket": {"uid": "u"}}, "st3/1:2")
    assert dossier.startswith("e1:k1:") and ticket.startswith("e1:t1:")
    assert json.loads(kiosk.open_event(ticket, "st3/1:2"))["ticket"] == {"uid": "u"}
    with pytest.raises(NotForThisRole):
        kiosk.open_event(dossier, "st3/1:1")
    for junk in ("not sealed", "e1:zz:AAAA", ""):
        with pytest.raises(DomainError):
            kiosk.open_event(junk, "st3/1:3")


def test_an_old_grant_seen_again_never_rolls_the_keys_back():
    from counter_app.store.center_keys import install_keys, keys_for_role, new_generation

    hub, _, _ = _kiosk_and_counter_keys()
    first = keys_for_role(new_generation(hub), "counter")
    second = keys_for_role(new_generation(new_generation(hub)), "counter")
    held = install_keys(install_keys(hub, second), first)
    assert held["current"] == "k3" and held["center"]["ticket_current"] == "t3"
    assert {"k1", "k2", "k3"} <= set(held["seal"])


def test_a_grant_copied_under_another_event_key_does_not_open():
    from counter_app.store.center_keys import seal_grant

    token = seal_grant({"st2": ("mat-khau-st2", {"center": {}})}, "hub/1/ab:7")
    assert open_grant(token, "hub/1/ab:7", "st2", "mat-khau-st2") == {"center": {}}
    assert open_grant(token, "hub/1/ab:7", "st3", "mat-khau-st3") is None
    for key, password in (("st9/1/cd:1", "mat-khau-st2"), ("hub/1/ab:7", "doan-sai")):
        with pytest.raises(ValueError):
            open_grant(token, key, "st2", password)


def _until(check, timeout: float = 60) -> None:
    import time

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.5)
    raise AssertionError("never came")


def test_a_cluster_rotates_on_one_node_and_the_others_read_the_new_events(tmp_path):
    from counter_app.center.lab import Center

    center = Center(tmp_path, nodes=3)
    try:
        center.start_cluster()
        kiosk, counter = center.join("kiosk", "kiosk"), center.join("c1", "counter")
        _until(lambda: cli_json(counter, "center", "status")["linked"])
        cli(center.hub_dir, "hub", "rotate-keys")
        # the node that rotated publishes the grant, then loses power
        _until(lambda: _rows(center.hub_dir, "SELECT state FROM center_outbox "
                             "WHERE op = 'keys.grant'") == {("published",)})  # fmt: skip
        center.kill_hub(0)
        for folder in (kiosk, counter):
            cli(folder, "center", "sync")
        assert _keyset(counter)["current"] == "k2"
        cli(kiosk, "ticket", "take", "--group", "A")
        cli(counter, "queue", "call-next", "--counter", "1")
        code = _receive(counter, "Phạm Văn Dũng", "001190011111")
        # another node applies the new events with the keys the grant gave it, and still
        # opens its record's credentials (its server keeps every station's user)
        node = center.dirs[1]
        _until(lambda: code in {c for c, _ in _rows(node, DOSSIERS)})
        held = _keyset(node)
        assert {"k2", "t2", "h2"} <= {
            *held["seal"],
            *held["center"]["ticket"],
            *held["center"]["hub"],
        }
        _until(lambda: _rows(node, TICKETS) == _rows(counter, TICKETS))
        assert "st2" in cli(node, "hub", "stations").stdout
    finally:
        center.close()


def _as_before_keys_by_role(hub_dir) -> None:
    """The hub's store as a version before keys by role left it: one keyset, no ticket or
    hub key (so every station it enrols receives the whole keyset, as they did then)."""
    store = open_store(hub_dir)
    try:
        _ = store.crypto
        with store.transaction():
            keyset = store.keys.keyset()
            keyset.pop("center")
            store.keys.replace_keyset(keyset)
    finally:
        store.close()


def test_a_center_from_before_keys_by_role_closes_new_personal_events_to_its_kiosk(tmp_path):
    from counter_app.center.lab import Center

    center = Center(tmp_path)
    try:
        _as_before_keys_by_role(center.hub_dir)
        center.start_hub()
        kiosk, counter = center.join("kiosk", "kiosk"), center.join("c1", "counter")
        assert "center" not in _keyset(kiosk) and _keyset(kiosk)["seal"] == _keyset(counter)["seal"]
        cli(kiosk, "ticket", "take", "--group", "A")
        cli(counter, "queue", "call-next", "--counter", "1", "--current", "served")
        _receive(counter, "Đỗ Thị Hoa", "001190022222")
        # as then: the record opens under the keys every station holds
        before = _hub_record(center, closed=False)["stations"]["st2"]["password"]
        assert before.startswith("e1:k1:")

        rotated = cli_json(center.hub_dir, "hub", "rotate-keys")
        assert rotated["keys"] == {"ticket": "t1", "personal": "k2", "hub": "h1"}
        for folder in (kiosk, counter, kiosk):
            cli(folder, "center", "sync")
        mark = _position(kiosk)
        cli(kiosk, "ticket", "take", "--group", "A")
        cli(counter, "center", "sync")
        cli(counter, "queue", "call-next", "--counter", "1", "--current", "served")
        code = _receive(counter, "Vũ Văn Nam", "001190033333")
        cli(kiosk, "center", "sync")
        new = [m for m in _read_stream(credentials(kiosk)) if m["seq"] > mark]
        personal = [m for m in new if m["action"].startswith(PERSONAL_ACTIONS)]
        assert personal and {m["sealed"].split(":")[1] for m in personal} == {"k2"}
        assert not any(_opens_with_any(_every_key(_keyset(kiosk)), m["sealed"], m["key"])
                       for m in personal)  # fmt: skip
        assert set(_open_with(counter, new).values()) == {"open"}
        cli(center.hub_dir, "center", "sync")
        assert code in {c for c, _ in _rows(center.hub_dir, DOSSIERS)}
        assert _rows(kiosk, TICKETS) == _rows(counter, TICKETS)
        # the credentials are now under the hub key, which no station holds
        _until(lambda: "e1:h1:" in str(_hub_record(center, closed=False)["stations"]))
        sealed = _hub_record(center)["stations"]["st2"]["password"]
        assert sealed.startswith("e1:h1:")
        assert not _opens_with_any(_every_key(_keyset(counter)), sealed, "station.st2")
    finally:
        center.close()
