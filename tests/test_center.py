"""A center of real processes: a hub running nats-server, a kiosk and three counters, each
its own data folder and process. No part of NATS is mocked."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from counter_app.center.lab import Center, cli, cli_json
from counter_app.store import open_store
from sync.emulator import Faults, PortalEmulator
from sync.testing import admin
from tests.helpers.center import receive_args


def _replica(data_dir):
    """What a station's store holds, for comparing replicas."""
    store = open_store(data_dir)
    try:
        tickets = {
            (r["uid"], r["state"], r["counter"])
            for r in store.query("SELECT uid, state, counter FROM tickets")
        }
        dossiers = {
            (r["code"], r["status"]) for r in store.query("SELECT code, status FROM dossiers")
        }
        assert store.integrity_check() == "ok"
        assert store.audit.verify() is None
        return tickets, dossiers, store.center.waiting_count()
    finally:
        store.close()


def _receive(station, name: str):
    return cli(station, *receive_args(name))


def test_a_center_day_with_the_hub_killed_converges(center):
    kiosk = center.join("kiosk", "kiosk")
    counters = [center.join(f"c{n}", "counter") for n in (1, 2, 3)]
    labels = [cli_json(kiosk, "ticket", "take", "--group", "A")["label"] for _ in range(6)]
    assert labels == [f"A00{n}" for n in range(1, 7)]

    # every counter sees the kiosk's tickets at once
    for station in counters:
        waiting = cli(station, "queue", "list").stdout
        assert all(label in waiting for label in labels), waiting

    # three counters press "next" at the same moment, twice: nobody is called twice
    def call(args):
        station, number, more = args
        return cli_json(station, "queue", "call-next", "--counter", str(number), *more)["label"]

    called = []
    for more in ((), ("--current", "served")):
        with ThreadPoolExecutor(3) as pool:
            jobs = [(s, n, more) for n, s in enumerate(counters, 1)]
            called += list(pool.map(call, jobs))
    assert sorted(called) == labels, called

    first = _receive(counters[0], "Nguyễn Thị Đường").stdout
    code = next(w for w in first.split() if w.startswith("000.00.01.H22-"))
    # a citizen back for the result at another counter is found there
    found = cli(counters[2], "search", "nguyen thi duong").stdout
    assert code in found

    # the hub loses power: counters go on, the kiosk goes on from its own range
    center.kill_hub()
    offline = _receive(counters[1], "Trần Văn Bình")
    assert offline.returncode == 0 and "không kết nối được" in offline.stderr
    walk_in = cli(kiosk, "ticket", "take", "--group", "B")
    assert "B001" in walk_in.stdout and "không kết nối được" in walk_in.stderr
    status = cli_json(counters[1], "center", "status")
    assert not status["linked"] and status["cut_since"] and status["waiting"] >= 1

    # the hub comes back: everything converges, nothing lost or duplicated
    center.start_hub()
    for _ in range(2):
        for station in [kiosk, *counters]:
            cli(station, "center", "sync")
    replicas = [_replica(s) for s in counters]
    assert all(r == replicas[0] for r in replicas), replicas
    tickets, dossiers, waiting = replicas[0]
    # the kiosk holds the same tickets and no dossier: their events do not open there
    assert _replica(kiosk) == (tickets, set(), 0)
    assert waiting == 0
    assert len(tickets) == 7 and len(dossiers) == 2
    # the second "next" finished each counter's first citizen
    assert sorted(state for _, state, _ in tickets) == ["called"] * 3 + ["done"] * 3 + ["waiting"]

    # the hub's replica queues each dossier once for the portal, under the origin's key,
    # and the hub alone sends them, with faults on the way: the portal holds each once
    hub = open_store(center.hub_dir)
    try:
        rows = hub.query(
            "SELECT entity_id, count(*) AS n FROM outbox WHERE op = 'dossier.receive' "
            "GROUP BY entity_id"
        )
        assert {r["entity_id"]: r["n"] for r in rows} == {c: 1 for c, _ in dossiers}
    finally:
        hub.close()
    portal = PortalEmulator(center.root / "portal").start()
    try:
        portal.state.set_faults(Faults(error_5xx=0.3, drop_after=0.3))
        for _ in range(6):
            cli(center.hub_dir, "sync", "--once", "--portal", portal.url, check=False)
        portal.state.set_faults(Faults())
        cli(center.hub_dir, "sync", "--once", "--portal", portal.url)
        assert admin(portal.url, "stats")["dossiers_stored"] == 2
    finally:
        portal.stop()


def test_the_stream_holds_no_personal_data(center):
    counter = center.join("c1", "counter")
    _receive(counter, "Nguyễn Thị Đường")
    cli(counter, "center", "sync")
    center.kill_hub()
    blob = b"".join(p.read_bytes() for p in (center.hub_dir / "nats").rglob("*") if p.is_file())
    assert blob, "the stream stored nothing"
    for secret in ("Nguyễn Thị Đường", "Nguyen Thi Duong", "001190012345", "0912345678", "Thôn 3"):
        assert secret.encode() not in blob, secret


def test_a_revoked_or_unknown_station_cannot_read_or_publish(center):
    counter = center.join("c1", "counter")
    assert cli_json(counter, "center", "status")["linked"]
    cli(center.hub_dir, "hub", "revoke", "st2")
    import time

    time.sleep(2.5)  # the hub reloads nats-server's users on its next turn
    refused = cli(counter, "center", "sync", check=False)
    # not "cut off": it learns it was revoked, and says so (tests/test_center_enrol.py)
    assert refused.returncode == 1 and "đã bị thu hồi" in refused.stdout + refused.stderr
    stations = cli_json(center.hub_dir, "hub", "stations")
    assert stations[0]["station"] == "st2" and stations[0]["revoked_at"]


def test_a_join_code_works_once(center):
    code = cli_json(center.hub_dir, "hub", "invite", "--role", "counter")["code"]
    cli(center.root / "a", "center", "join", code)
    again = cli(center.root / "b", "center", "join", code, check=False)
    assert again.returncode != 0 and "từ chối" in again.stdout + again.stderr
    broken = cli(center.root / "c", "center", "join", code[:-10], check=False)
    assert broken.returncode == 2 and "CA1-" in broken.stdout + broken.stderr


def test_a_stale_counter_loses_the_claim_and_takes_the_next(center):
    """Both counters saw A001 waiting; the first claims it, the second (not yet told) must
    not call it again but take A002."""
    from counter_app.center.link import CenterLink
    from counter_app.core.clock import system_now
    from counter_app.core.roles import Actor, Role
    from counter_app.services import queue
    from counter_app.services.context import ServiceContext
    from counter_app.services.station import load_station

    kiosk = center.join("kiosk", "kiosk")
    dirs = [center.join(f"c{n}", "counter") for n in (1, 2)]
    for _ in range(2):
        cli(kiosk, "ticket", "take", "--group", "A")
    stores = [open_store(d) for d in dirs]
    links = []
    try:
        contexts = []
        for store in stores:
            station = load_station(store)
            link = CenterLink(store, station)
            links.append(link)
            assert link.sync().reachable
            contexts.append(
                ServiceContext(store, system_now, station, Actor("admin", Role.ADMIN), link)
            )
        first = queue.call_next(contexts[0], counter=1)
        second = queue.call_next(contexts[1], counter=2)  # its replica still shows A001 waiting
        assert (first.label, second.label) == ("A001", "A002")
    finally:
        for link in links:
            link.close()
        for store in stores:
            store.close()


def test_a_no_show_brought_back_can_be_called_at_another_counter(center):
    kiosk = center.join("kiosk", "kiosk")
    first, second = center.join("c1", "counter"), center.join("c2", "counter")
    cli(kiosk, "ticket", "take", "--group", "A")
    assert cli_json(first, "queue", "call-next", "--counter", "1")["label"] == "A001"
    cli(first, "queue", "no-show", "--counter", "1")
    cli(second, "queue", "restore", "A001", "--counter", "2")
    # the first claim belongs to counter 1; the ticket's second wait is claimed afresh
    assert cli_json(second, "queue", "call-next", "--counter", "2")["label"] == "A001"


def test_an_account_made_at_the_hub_signs_in_at_every_counter(center):
    counter = center.join("c1", "counter")
    new = {"COUNTER_APP_NEW_PASSWORD": "mat-khau-can-bo-2"}
    cli(center.hub_dir, "users", "add", "canbo2", "--role", "clerk", env=new)
    cli(center.hub_dir, "center", "sync")
    cli(counter, "center", "sync")
    as_clerk = {"COUNTER_APP_USER": "canbo2", "COUNTER_APP_PASSWORD": "mat-khau-can-bo-2"}
    done = cli(counter, "queue", "list", env=as_clerk)
    assert done.returncode == 0 and "Nhóm A" in done.stdout
    cli(center.hub_dir, "users", "lock", "canbo2")
    cli(center.hub_dir, "center", "sync")
    cli(counter, "center", "sync")
    locked = cli(counter, "queue", "list", env=as_clerk, check=False)
    assert locked.returncode != 0


def test_a_center_station_cannot_rotate_its_shared_key_alone(center):
    counter = center.join("c1", "counter")
    refused = cli(counter, "keys", "rotate", check=False)
    assert refused.returncode == 1 and "dùng chung khóa" in refused.stdout + refused.stderr


def test_a_rating_at_the_kiosk_counts_in_every_station_and_reaches_the_hub(center):
    from counter_app.core.clock import system_now
    from counter_app.core.queue import TicketState
    from counter_app.core.roles import Actor, Role
    from counter_app.services.context import ServiceContext
    from counter_app.services.ratings import rate_service
    from counter_app.services.station import load_station

    kiosk = center.join("kiosk", "kiosk")
    counter = center.join("c1", "counter")
    cli_json(kiosk, "ticket", "take", "--group", "A")
    store = open_store(kiosk)
    try:
        ctx = ServiceContext(store, system_now, load_station(store), Actor("kiosk", Role.VOLUNTEER))
        ticket = store.tickets.in_states(system_now().date(), [TicketState.WAITING])[0]
        rate_service(ctx, score=5, ticket_id=ticket.id)
    finally:
        store.close()
    cli(kiosk, "center", "sync")
    cli(counter, "center", "sync")
    cli(center.hub_dir, "center", "sync")  # the hub's own turn may not have come yet
    for folder in (counter, center.hub_dir):
        replica = open_store(folder)
        try:
            assert [r["score"] for r in replica.query("SELECT score FROM ratings")] == [5]
            ops = [r["op"] for r in replica.query("SELECT op FROM outbox")]
            # the hub tells the portal; a counter of a center never does
            assert ("rating.add" in ops) == (folder == center.hub_dir)
        finally:
            replica.close()


def test_a_day_off_set_at_the_hub_moves_due_dates_at_every_counter(center):
    counter = center.join("c1", "counter")

    def due(folder) -> str:
        at = "2026-12-03T16:00"  # a Thursday after the cut-off: due the next working day
        return cli_json(folder, "appointment", "--procedure", "1.001193", "--at", at)["due_at"]

    before = due(counter)
    cli(center.hub_dir, "calendar", "set", "2026-12-04", "--kind", "off", "--note", "QĐ 12/UBND")
    cli(center.hub_dir, "center", "sync")
    cli(counter, "center", "sync")
    after = due(counter)
    assert before.startswith("2026-12-04") and after.startswith("2026-12-07"), (before, after)


def test_with_tls_the_center_works_and_refuses_clear_connections(tmp_path):
    import json
    import socket

    center = Center(tmp_path, tls=True)
    center.start_hub()
    try:
        kiosk = center.join("kiosk", "kiosk")
        counter = center.join("c1", "counter")
        cli(kiosk, "ticket", "take", "--group", "A")
        called = cli_json(counter, "queue", "call-next", "--counter", "1")
        assert called["label"] == "A001"
        settings = open_store(counter)
        try:
            assert settings.settings.get("center")["urls"][0].startswith("tls://")
        finally:
            settings.close()

        # the server says so before anything else: no client may speak to it in clear
        with socket.create_connection(("127.0.0.1", center.port), timeout=5) as raw:
            info = json.loads(raw.recv(4096).decode().split(" ", 1)[1])
        assert info["tls_required"] is True
    finally:
        center.close()
