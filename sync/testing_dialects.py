"""Helpers shared by the dialect tests (no pytest import here): the process a kill test
SIGKILLs, and the exactly-once check against what the dvcqg emulator holds."""

from __future__ import annotations

import json
import random
import time
import urllib.request
from datetime import datetime
from pathlib import Path

from counter_app.store import Store, open_store
from sync.dialects.dvcqg_fields import dossier_item
from sync.testing import FixedClock


def emulator_get(url: str, name: str) -> dict:
    with urllib.request.urlopen(f"{url}/_emulator/{name}", timeout=10) as answer:
        return json.loads(answer.read())


def check_dvcqg_exactly_once(store: Store, url: str, center_name: str) -> dict:
    """Every local dossier held once, as it stands here, in the portal's fields; every
    progress step once; nothing waiting or set aside; no second create."""
    counts = store.outbox.counts()
    aside = [(i.op, i.tries, i.last_error) for i in store.outbox.attention(5)]
    assert set(counts) == {"synced"}, f"not all synced: {counts} {aside}"
    portal = emulator_get(url, "dossiers")
    by_code = {d["MaHoSo"]: d for d in portal["dossiers"]}
    codes = [r["code"] for r in store.query("SELECT code FROM dossiers")]
    assert len(by_code) == len(portal["dossiers"]) == len(codes), "dossiers differ"
    for code in codes:
        sent = by_code[code]
        assert sent == sent_as(store.dossiers.get(code), sent, center_name), f"{code} differs"
    steps = [(p["MaHoSo"], p["ThoiDiemXuLy"], p["TrangThai"]) for p in portal["progress"]]
    expected = store.query_one(  # intake's step too, as the public integration sends it
        "SELECT count(*) FROM outbox WHERE op IN ('dossier.status', 'dossier.receive')"
    )[0]
    assert len(steps) == len(set(steps)) == expected, "progress steps lost or repeated"
    stats = emulator_get(url, "stats")
    assert stats["creates"] == len(codes), "a dossier was created twice"
    return {"dossiers": len(codes), "steps": len(steps), **stats}


def sent_as(local, sent: dict, center_name: str) -> dict:
    """The DongBoHoSoMC item for a local dossier, with what the portal's own data (its
    procedure name and sector code) and the files uploaded put in the one it holds."""
    procedure = {"TENTTHC": sent["TenTTHC"], "MALINHVUC": sent["MaLinhVuc"]}
    return dossier_item(local, sector=sent["TenLinhVuc"], agency_name=center_name,
                        procedure=procedure, handed=sent["TaiLieuNop"],
                        results=sent["DanhSachGiayToKetQua"])  # fmt: skip


def check_motcua_exactly_once(store: Store, url: str, agency_code: str) -> dict:
    """Every local dossier created once as received, its status as it stands here; every
    step once; nothing waiting or set aside."""
    from sync.dialects.motcua_fields import dossier_record

    counts = store.outbox.counts()
    assert set(counts) == {"synced"}, f"not all synced: {counts}"
    held = emulator_get(url, "dossiers")
    by_code = {d["record"]["MaHoSo"]: d for d in held["dossiers"]}
    codes = [r["code"] for r in store.query("SELECT code FROM dossiers")]
    assert sorted(by_code) == sorted(codes) and len(held["dossiers"]) == len(codes)
    for code in codes:
        local = store.dossiers.get(code)
        sent = by_code[code]["record"]
        files = {n: p["GiayToDinhKem"] for n, p in enumerate(sent["ThanhPhanHoSo"], 1)}
        assert sent == {
            **dossier_record(local, agency_code=agency_code, files=files),
            "NgayHenTra": sent["NgayHenTra"],
        }, f"{code} differs"
        assert by_code[code]["TrangThai"] == int(local.status), f"{code} status differs"
    steps = [(s["MaHoSo"], s["ThoiDiemXuLy"], s["TrangThai"]) for s in held["steps"]]
    expected = store.query_one("SELECT count(*) FROM outbox WHERE op = 'dossier.status'")[0]
    assert len(steps) == len(set(steps)) == expected, "progress steps lost or repeated"
    stats = emulator_get(url, "stats")
    assert stats["creates"] == len(codes), "a dossier was created twice"
    return {"dossiers": len(codes), "steps": len(steps), **stats}


OFFLINE_BLOCK = (9000, 9999)  # the tests' reserved offline block, as agreed with the "province"


def configure_motcua(store, url: str, *, offline_block=OFFLINE_BLOCK, **extra) -> None:
    """Point a store at a motcua emulator, with the offline block the emulator reserves
    for its agency (`MotcuaEmulator(..., reserved={agency: OFFLINE_BLOCK})`)."""
    from sync.dialects.settings import save_settings
    from sync.emulator_motcua import DEFAULT_CLIENT

    with store.transaction():
        save_settings(store, portal_url=url, dialect="motcua", credentials=DEFAULT_CLIENT)
        raw = {"offline_block": list(offline_block), **extra}
        store.settings.set("code_pool", raw)


def dialect_sync_child(data_dir: str, url: str, at_iso: str, seed: int, dialect: str) -> None:
    """Body of the process the kill test SIGKILLs: sync rounds forever in a dialect."""
    from sync.dialects import make_engine
    from sync.engine import SyncConfig

    random.seed(seed)
    store = open_store(Path(data_dir))
    engine = make_engine(
        store,
        data_dir,
        url,
        dialect=dialect,
        clock=FixedClock(datetime.fromisoformat(at_iso)),
        config=SyncConfig(max_tries=1000, backoff_base=0.01, backoff_cap=0.05, pause_base=0.01),
    )
    while True:
        engine.run_once()
        time.sleep(0.005)


def intake_child(data_dir: str, at_iso: str) -> None:
    """Body of the process the code-pool kill test SIGKILLs: dossiers received back to back,
    each taking a code from the pool (then the offline block) in its own transaction."""
    from counter_app.core.roles import Actor, Role
    from counter_app.services.context import ServiceContext
    from counter_app.services.dossiers import ApplicantInput, receive_dossier
    from counter_app.services.station import load_station

    store = open_store(Path(data_dir))
    clock = FixedClock(datetime.fromisoformat(at_iso))
    ctx = ServiceContext(store, clock, load_station(store), Actor("canbo1", Role.CLERK))
    while True:  # until killed; the test keeps it from running out of codes
        receive_dossier(
            ctx, procedure_code="1.001193", applicant=ApplicantInput(full_name="Trần Thị Bình")
        )
