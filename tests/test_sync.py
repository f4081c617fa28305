"""Sync against the real portal emulator on 127.0.0.1: exactly once, pull, refusals, CLI."""

from __future__ import annotations

import gzip
import json
import os
import secrets
import time

import pytest
import requests

from counter_app.core.dossier import DossierStatus
from counter_app.services import dossiers as service
from counter_app.services import queue as queue_service
from sync import protocol as p
from sync.adapters import portal_view
from sync.emulator import Faults, PortalEmulator
from sync.engine import SyncConfig, SyncEngine
from sync.status import sync_status
from sync.testing import admin, check_exactly_once, pulled_seqs, station_view

NAMES = ("Nguyễn Văn An", "Trần Thị Bình", "Lê Văn Cường", "Phạm Thị Dung")
FAST = SyncConfig(max_tries=200, backoff_base=0.01, backoff_cap=0.05, pause_base=0.01)


@pytest.fixture
def emulator(tmp_path):
    emu = PortalEmulator(tmp_path / "portal").start()
    yield emu
    emu.stop()


def engine_for(store, tmp_path, emulator, clock, config=FAST, **kw):
    return SyncEngine(store, tmp_path / "data", emulator.url, config=config, clock=clock, **kw)


def receive(ctx, n: int) -> list[str]:
    codes = []
    for i in range(n):
        d = service.receive_dossier(
            ctx,
            procedure_code="1.001193",
            applicant=service.ApplicantInput(full_name=NAMES[i % len(NAMES)]),
        )
        codes.append(d.code)
    return codes


def sync_until_done(engine, rounds: int = 60):
    for _ in range(rounds):
        report = engine.run_until_idle(max_rounds=5, horizon=1.0)
        if report.ok and report.waiting == 0:
            return report
    raise AssertionError(f"sync did not finish: {report}")


def test_push_exactly_once_through_heavy_faults(store, ctx, clock, station, tmp_path, emulator):
    codes = receive(ctx, 30)
    for code in codes[:10]:
        service.change_status(ctx, code=code, to=DossierStatus.PROCESSING)
    queue_service.take_ticket(ctx, group=ctx.catalogue().groups[0].letter)
    emulator.state.set_faults(
        Faults.parse(
            "5xx=0.3,drop_before=0.2,drop_after=0.3,slow=0.1,slow_s=0.05,clock_skew=3600,seed=7"
        )
    )
    engine = engine_for(
        store, tmp_path, emulator, clock, SyncConfig(**{**FAST.__dict__, "batch_items": 8})
    )
    sync_until_done(engine)
    emulator.state.set_faults(Faults())
    figures = check_exactly_once(store, emulator.url, station.id)
    assert figures["dossiers"] == 30
    stats = admin(emulator.url, "stats")
    assert stats["dossiers_stored"] == 30
    assert stats["status_updates"] == 10  # each local change applied once on the portal
    assert stats["duplicates"] > 0  # answers were lost after commit, and deduplicated
    assert stats["faults_drop_after"] > 0 and stats["faults_5xx"] > 0
    info = sync_status(store)
    assert info["waiting"] == 0 and info["attention"] == 0
    assert 3590 < info["clock_offset_s"] < 3610 and info["clock_warning"]
    # The signing key and the portal secret are sealed in the store, never in clear files.
    assert store.settings.get("station_signing_key").startswith("e1:")
    assert store.sync_state.get("client_secret").startswith("e1:")


def test_pulled_statuses_holidays_and_catalogue_arrive(
    store, ctx, clock, station, tmp_path, emulator
):
    codes = receive(ctx, 5)
    engine = engine_for(store, tmp_path, emulator, clock)
    sync_until_done(engine)
    admin(emulator.url, "advance", {"steps": 1})
    admin(
        emulator.url,
        "upstream",
        {"kind": "holiday", "data": {"day": "2026-05-04", "kind": "off", "note": "Nghỉ bù"}},
    )
    from counter_app.core.catalogue import catalogue_to_dict

    cat = catalogue_to_dict(ctx.catalogue())
    cat["version"] = "2026.05-sync"
    admin(emulator.url, "upstream", {"kind": "catalogue", "data": {"catalogue": cat}})
    report = sync_until_done(engine)
    assert report.pulled == 5 + 2
    assert {store.dossiers.get(c).status for c in codes} == {DossierStatus.PROCESSING}
    admin(emulator.url, "advance", {"steps": 1})
    sync_until_done(engine)
    assert {store.dossiers.get(c).status for c in codes} == {DossierStatus.DONE}
    assert any(e.kind == "portal" for e in store.dossiers.events(codes[0]))
    assert any(o.day.isoformat() == "2026-05-04" for o in store.catalogue.overrides())
    assert store.catalogue.current().version == "2026.05-sync"
    # applied once each; the cursor moved with them
    assert sorted(pulled_seqs(store)) == sorted(set(pulled_seqs(store)))
    assert store.sync_state.cursor() == str(station_view(emulator.url, station.id)["changes"] + 2)
    # a second pull brings nothing new
    assert sync_until_done(engine).pulled == 0
    # the local clerk now returns the result; it goes up and nothing comes back down
    service.change_status(ctx, code=codes[0], to=DossierStatus.RETURNED)
    sync_until_done(engine)
    assert station_view(emulator.url, station.id)["dossiers"][codes[0]]["status"] == 10


def test_conflicting_upstream_status_is_stored_never_dropped(
    store, ctx, clock, station, tmp_path, emulator
):
    (code,) = receive(ctx, 1)
    engine = engine_for(store, tmp_path, emulator, clock)
    sync_until_done(engine)
    service.change_status(ctx, code=code, to=DossierStatus.DONE)
    service.change_status(ctx, code=code, to=DossierStatus.RETURNED)
    # meanwhile a higher level sets it to "processing", from "received"
    admin(emulator.url, "advance", {"steps": 1})
    # unknown kinds and unknown dossiers are kept aside too
    admin(emulator.url, "upstream", {"station_id": station.id, "kind": "mystery", "data": {}})
    admin(
        emulator.url,
        "upstream",
        {
            "station_id": station.id,
            "kind": "dossier.status",
            "entity_id": "NOPE",
            "data": {"MaHoSo": "NOPE", "TrangThai": 4},
        },
    )
    report = sync_until_done(engine)
    assert report.conflicts == 3
    assert store.dossiers.get(code).status == DossierStatus.RETURNED  # local kept
    conflicts = store.sync_state.conflicts()
    # our moves from "received" were refused (the portal had it "processing" already),
    # and the portal's own move, pulled after, joined that one conflict
    assert conflicts[0].reason.startswith("Cổng từ chối chuyển hồ sơ từ «Được tiếp nhận»")
    assert "trên Cổng hồ sơ đã ở «Đang xử lý»" in conflicts[0].reason
    assert conflicts[0].change["seq"] > 0  # the pulled change, with the portal's note
    assert [c.reason.split(":")[0] for c in conflicts[1:]] == [
        "unknown change kind",
        "unknown dossier",
    ]
    assert conflicts[0].local_status == 10 and conflicts[0].portal_status == 4
    assert len(sync_status(store)["conflicts"]) == 3


def test_rejected_items_are_set_aside_without_blocking(
    store, ctx, clock, station, tmp_path, emulator
):
    codes = receive(ctx, 6)
    admin(emulator.url, "poison", {"entity_id": codes[1], "mode": "permanent"})
    admin(emulator.url, "poison", {"entity_id": codes[3], "mode": "retryable"})
    config = SyncConfig(max_tries=4, backoff_base=0.01, backoff_cap=0.02, pause_base=0.01)
    engine = engine_for(store, tmp_path, emulator, clock, config)
    for _ in range(10):
        engine.run_until_idle(max_rounds=5, horizon=1.0)
    states = {i.entity_id: (i.state, i.tries, i.last_error) for i in _items(store)}
    assert states[codes[1]] == ("attention", 1, "refused_by_portal")
    assert states[codes[3]] == ("attention", 4, "refused_by_portal")
    assert all(states[c][0] == "synced" for c in codes if c not in (codes[1], codes[3]))
    info = sync_status(store)
    assert info["attention"] == 2 and len(info["attention_items"]) == 2
    # the portal is fixed; an admin requeues; both go through
    admin(emulator.url, "poison", {"entity_id": codes[1], "mode": None})
    admin(emulator.url, "poison", {"entity_id": codes[3], "mode": None})
    with store.transaction():
        assert store.outbox.requeue() == 2
    sync_until_done(engine)
    check_exactly_once(store, emulator.url, station.id)


def _items(store):
    return store.outbox.all_items()


def test_tampered_replayed_unsigned_and_stale_batches_are_refused(
    store, ctx, clock, station, tmp_path, emulator
):
    receive(ctx, 1)
    engine = engine_for(store, tmp_path, emulator, clock)
    client = engine.client
    token = client.token()
    items = [
        {
            "key": f"{station.id}:999",
            "op": "ticket.waiting",
            "entity": "ticket",
            "entity_id": "t1",
            "created_at": "x",
            "payload": {"label": "A001"},
        }
    ]
    body = p.gzip_bytes(json.dumps({"items": items}).encode())
    url = emulator.url + p.PATH_PUSH
    auth = {"Authorization": f"Bearer {token}"}

    def post(headers, data):
        return requests.post(url, data=data, headers={**auth, **headers}, timeout=10)

    signed = client.signed_batch(body)
    assert post(signed, body).status_code == 200
    replay = post(signed, body)  # the same request again, byte for byte
    assert (replay.status_code, replay.json()["error"]) == (409, "replayed")
    tampered_body = p.gzip_bytes(
        json.dumps({"items": [{**items[0], "key": f"{station.id}:998"}]}).encode()
    )
    fresh = client.signed_batch(body)
    tampered = post(fresh, tampered_body)
    assert (tampered.status_code, tampered.json()["error"]) == (401, "bad_signature")
    unsigned = post({p.H_STATION: station.id, "Content-Encoding": "gzip"}, body)
    assert (unsigned.status_code, unsigned.json()["error"]) == (401, "unsigned")
    ts = f"{time.time() - 3600:.3f}"
    nonce = secrets.token_hex(16)
    stale_headers = {
        p.H_STATION: station.id,
        p.H_TIMESTAMP: ts,
        p.H_NONCE: nonce,
        p.H_SIGNATURE: p.sign(client.key, p.signing_message(ts, nonce, body)),
    }
    stale = post(stale_headers, body)
    assert (stale.status_code, stale.json()["error"]) == (401, "stale_timestamp")
    other_key = __import__(
        "cryptography.hazmat.primitives.asymmetric.ed25519", fromlist=["x"]
    ).Ed25519PrivateKey.generate()
    forged = dict(client.signed_batch(body))
    forged[p.H_SIGNATURE] = p.sign(
        other_key, p.signing_message(forged[p.H_TIMESTAMP], forged[p.H_NONCE], body)
    )
    assert post(forged, body).status_code == 401
    no_token = requests.post(url, data=body, headers=client.signed_batch(body), timeout=10)
    assert no_token.status_code == 401
    stats = admin(emulator.url, "stats")
    assert stats["rejected_batches"] == 5
    assert set(station_view(emulator.url, station.id)["items"]) == {f"{station.id}:999"}
    assert gzip.decompress(body)  # the body really was gzip


def test_idempotency_same_answer_and_conflict(store, ctx, clock, station, tmp_path, emulator):
    engine = engine_for(store, tmp_path, emulator, clock)
    item = {
        "key": f"{station.id}:500",
        "op": "ticket.waiting",
        "entity": "ticket",
        "entity_id": "t1",
        "created_at": "x",
        "payload": {"label": "A001"},
    }
    first = engine.client.push([item])[0]
    again = engine.client.push([item])[0]
    assert first["status"] == "accepted" and again["portal_id"] == first["portal_id"]
    assert again["duplicate"] is True
    changed = engine.client.push([{**item, "payload": {"label": "A002"}}])[0]
    assert changed["status"] == "rejected" and changed["reason"] == "idempotency_conflict"
    assert changed["retryable"] is False
    stats = admin(emulator.url, "stats")
    assert stats["duplicates"] == 1 and stats["conflicts"] == 1


def test_expired_token_is_renewed_and_station_reregisters(
    store, ctx, clock, station, tmp_path, emulator
):
    receive(ctx, 2)
    engine = engine_for(store, tmp_path, emulator, clock)
    sync_until_done(engine)
    admin(emulator.url, "expire-tokens", {})
    receive(ctx, 1)
    assert sync_until_done(engine).pushed == 1
    # a new portal (or a lost registration): the station registers its key again
    with store.transaction():
        store.sync_state.set("client_secret", store.crypto.seal("wrong", "client_secret"))
    engine2 = engine_for(store, tmp_path, emulator, clock)
    receive(ctx, 1)
    assert sync_until_done(engine2).pushed == 1
    check_exactly_once(store, emulator.url, station.id)


def test_unreachable_portal_leaves_everything_waiting(store, ctx, clock, station, tmp_path):
    receive(ctx, 2)
    engine = SyncEngine(store, tmp_path / "data", "http://127.0.0.1:9", config=FAST, clock=clock)
    report = engine.run_once()
    assert not report.ok and report.waiting == 2
    assert store.outbox.counts() == {"waiting": 2}
    assert sync_status(store)["last_sync_ok"] is False


def test_emulator_advance_timer_and_bandwidth(store, ctx, clock, station, tmp_path):
    emu = PortalEmulator(
        tmp_path / "p2", advance=0.2, faults="bandwidth=200000,latency=0.05"
    ).start()
    try:
        codes = receive(ctx, 3)
        engine = engine_for(store, tmp_path, emu, clock)
        sync_until_done(engine)
        time.sleep(0.8)
        sync_until_done(engine)
        assert {store.dossiers.get(c).status for c in codes} <= {
            DossierStatus.PROCESSING,
            DossierStatus.DONE,
        }
        assert store.dossiers.get(codes[0]).status != DossierStatus.RECEIVED
        assert admin(emu.url, "stats")["bytes_in"] > 0
    finally:
        emu.stop()


def test_cli_sync_once_and_status(store, ctx, station, tmp_path, emulator, capsys):
    from counter_app.cli.app import main

    receive(ctx, 3)
    data = str(tmp_path / "data")
    assert main(["--data-dir", data, "sync", "--portal", emulator.url, "--once", "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["pushed"] == 3 and report["ok"]
    assert main(["--data-dir", data, "sync", "status", "--json"]) == 0
    info = json.loads(capsys.readouterr().out)
    assert info["waiting"] == 0 and info["synced"] == 3 and info["last_sync_ok"]
    assert main(["--data-dir", data, "sync", "--portal", emulator.url, "--once"]) == 0
    assert "Đã gửi: 0" in capsys.readouterr().out
    assert main(["--data-dir", data, "sync", "status"]) == 0
    assert "Chờ gửi: 0" in capsys.readouterr().out
    assert main(["--data-dir", data, "sync", "--portal", "http://127.0.0.1:9", "--once"]) == 1
    assert not any(name.endswith(".pem") for name in os.listdir(data))


def _diverge(ctx, emulator, station, engine):
    """A dossier moved to 'processing' here while a higher level set it to 'done'."""
    (code,) = receive(ctx, 1)
    sync_until_done(engine)
    service.change_status(ctx, code=code, to=DossierStatus.PROCESSING)
    admin(
        emulator.url,
        "upstream",
        {
            "station_id": station.id,
            "kind": "dossier.status",
            "entity_id": code,
            "data": {
                "MaHoSo": code,
                "TrangThaiTruoc": 2,
                "TrangThai": 9,
                "NoiDungXuLy": "Đã có kết quả",
            },
        },
    )
    assert sync_until_done(engine).conflicts == 1
    return code


def test_clerk_resolves_conflicts_keep_portal_or_local(
    store, ctx, clock, station, tmp_path, emulator
):
    from counter_app.core.errors import Forbidden
    from counter_app.core.roles import Actor, Role
    from sync.conflicts import list_conflicts, resolve_conflict

    engine = engine_for(store, tmp_path, emulator, clock)
    code = _diverge(ctx, emulator, station, engine)
    (c,) = list_conflicts(store)
    assert (c.entity_id, c.local_status, c.portal_status) == (code, 4, 9)
    assert c.portal_note == "Đã có kết quả" and c.local_status_name
    with pytest.raises(Forbidden):
        resolve_conflict(store, c.id, actor=Actor("tnv", Role.VOLUNTEER), keep="portal")
    outbox_before = len(store.outbox.all_items())
    result = resolve_conflict(
        store, c.id, actor=ctx.actor, keep="portal", note="Theo Cổng", clock=clock
    )
    assert result["applied"] == {"from": 4, "to": 9}
    assert store.dossiers.get(code).status == DossierStatus.DONE
    events = store.dossiers.events(code)
    assert events[-1].actor == ctx.actor.username and events[-1].to_status == 9
    (pushed,) = store.outbox.all_items()[outbox_before:]  # the portal is told, like any move
    assert pushed.op == "dossier.status" and portal_view(store, pushed)["TrangThai"] == 9
    audit = store.query("SELECT * FROM audit WHERE action = 'sync.conflict.resolved'")
    assert len(audit) == 1 and json.loads(audit[0]["detail"])["keep"] == "portal"
    assert list_conflicts(store) == []
    sync_until_done(engine)
    check_exactly_once(store, emulator.url, station.id)
    assert station_view(emulator.url, station.id)["dossiers"][code]["status"] == 9

    # keep local: nothing moves, the note is kept in the audit log
    code2 = _diverge(ctx, emulator, station, engine)
    (c2,) = list_conflicts(store)
    resolve_conflict(
        store, c2.id, actor=ctx.actor, keep="local", note="Hồ sơ đang xử lý", clock=clock
    )
    assert store.dossiers.get(code2).status == DossierStatus.PROCESSING
    detail = json.loads(
        store.query("SELECT detail FROM audit WHERE action = 'sync.conflict.resolved'")[-1][0]
    )
    assert detail["note"] == "Hồ sơ đang xử lý" and detail["applied"] is None
    from counter_app.core.errors import NotFound

    with pytest.raises(NotFound):  # already resolved
        resolve_conflict(store, c2.id, actor=ctx.actor, keep="local", clock=clock)


def test_keep_portal_refused_by_status_machine_leaves_conflict_open(
    store, ctx, clock, station, tmp_path, emulator
):
    from counter_app.core.errors import DomainError
    from sync.conflicts import list_conflicts, resolve_conflict

    engine = engine_for(store, tmp_path, emulator, clock)
    code = _diverge(ctx, emulator, station, engine)
    service.change_status(ctx, code=code, to=DossierStatus.WITHDRAWN)  # final here
    (c,) = list_conflicts(store)
    n_items = len(store.outbox.all_items())
    with pytest.raises(DomainError, match="bad_transition"):
        resolve_conflict(store, c.id, actor=ctx.actor, keep="portal", clock=clock)
    assert store.dossiers.get(code).status == DossierStatus.WITHDRAWN
    assert len(store.outbox.all_items()) == n_items  # nothing half-written
    assert [x.id for x in list_conflicts(store)] == [c.id]


def test_cli_conflicts_and_resolve(store, ctx, clock, station, tmp_path, emulator, capsys):
    from counter_app.cli.app import main

    engine = engine_for(store, tmp_path, emulator, clock)
    code = _diverge(ctx, emulator, station, engine)
    data = str(tmp_path / "data")
    assert main(["--data-dir", data, "sync", "conflicts", "--json"]) == 0
    (listed,) = json.loads(capsys.readouterr().out)
    assert listed["entity_id"] == code and listed["portal_status"] == 9
    assert main(["--data-dir", data, "sync", "conflicts"]) == 0
    assert "trên Cổng" in capsys.readouterr().out
    assert main(["--data-dir", data, "sync", "resolve", str(listed["id"]), "--keep", "x"]) == 2
    capsys.readouterr()
    args = ["--data-dir", data, "sync", "resolve", str(listed["id"]), "--keep", "portal"]
    assert main([*args, "--note", "Theo Cổng"]) == 0
    assert "áp dụng trạng thái của Cổng" in capsys.readouterr().out
    assert main(args) != 0  # resolved already
    assert "Không có xung đột số" in capsys.readouterr().err
    assert main(["--data-dir", data, "sync", "conflicts"]) == 0
    assert "Không có xung đột nào" in capsys.readouterr().out


@pytest.mark.parametrize("skew, behind", [(900, True), (-900, False), (60, False)])
def test_clock_offset_recorded_and_warned(
    store, ctx, clock, station, tmp_path, emulator, capsys, skew, behind
):
    from counter_app.cli.app import main

    receive(ctx, 1)
    emulator.state.set_faults(Faults(clock_skew=skew))
    last_at = "SELECT max(at) FROM audit"
    before = store.query_one(last_at)[0]
    sync_until_done(engine_for(store, tmp_path, emulator, clock))
    offset = store.sync_state.get("clock_offset")
    assert abs(offset - skew) < 5
    assert (store.sync_state.local_clock_behind() is not None) is behind
    # nothing is ever written at the portal's time
    assert store.query_one(last_at)[0] <= max(before, clock.now.isoformat())
    assert store.audit.trusted_time() <= clock.now
    info = sync_status(store)
    assert main(["--data-dir", str(tmp_path / "data"), "sync", "status"]) == 0
    err = capsys.readouterr().err
    if abs(skew) > 120:
        assert "Đồng hồ máy lệch 15 phút so với Cổng" in info["clock_message"]
        assert "Đồng hồ máy lệch 15 phút so với Cổng" in err
        assert ("Không cấp mã hồ sơ mới" in err) is behind
    else:
        assert info["clock_message"] == "" and "Đồng hồ" not in err
    # the clock is set right: the next measurement clears the flag
    emulator.state.set_faults(Faults())
    sync_until_done(engine_for(store, tmp_path, emulator, clock))
    assert store.sync_state.local_clock_behind() is None


def test_compact_acks_round_trip():
    results = [
        {"key": "S/1:5", "status": "accepted", "portal_id": "TK-00000009"},
        {"key": "S/1:6", "status": "accepted", "portal_id": "TK-00000010", "duplicate": True},
        {"key": "S/1:7", "status": "rejected", "reason": "x", "retryable": True},
        {"key": "S/1:8", "status": "accepted", "portal_id": "HS-99"},
        {"key": "S/1:9", "status": "accepted", "portal_id": "HS-100"},  # width changes
        {"key": "other:1", "status": "accepted", "portal_id": "HS-101"},
    ]
    compact = p.encode_ack_runs("S/1", results)
    assert compact["accepted"][0] == [5, 2, "TK-00000009"] and compact["duplicates"] == [6]
    assert sorted(map(repr, p.decode_ack_runs("S/1", compact))) == sorted(map(repr, results))
