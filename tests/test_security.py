"""Personal data at rest: a stolen store file, WAL, spool, backup or log gives nothing away."""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest

from counter_app.core.errors import DomainError
from counter_app.core.messages import command_hint
from counter_app.core.roles import Actor, Role
from counter_app.core.text import fold
from counter_app.logs import PersonalDataFilter, mask_personal, setup_logging
from counter_app.services import backup, citizen_data, dossiers
from counter_app.services.keys import rotate_keys
from counter_app.services.search import search_dossiers
from counter_app.services.setup import initialise_store
from counter_app.store import open_store
from counter_app.store.keys import forget_unlocked_keys
from tests.conftest import make_ctx

PEOPLE = [
    ("Nguyễn Thị Đường", "001190012345", "0912345678", "Thôn Nà Pồng, xã Tân Lập"),
    ("Hoàng Văn Khánh", "002085001234", "0387654321", "Bản Pá Khoang, xã Mường Phăng"),
]
PASSPHRASE = "cum-mat-khau-rieng"
SUPPLEMENT_NOTE = "Đề nghị bà Nguyễn Thị Đường (0912345678) bổ sung bản sao giấy chứng sinh."


def secrets_of(name: str, cid: str, phone: str, address: str) -> list[bytes]:
    texts = [name, fold(name), name.split()[-1], cid, phone, phone[1:], address, address[:12]]
    return [t.encode("utf-8") for t in texts] + [name.encode("utf-16-le")]


@pytest.fixture
def sealed(tmp_path, clock, monkeypatch):
    monkeypatch.setenv("COUNTER_APP_PASSPHRASE", PASSPHRASE)
    forget_unlocked_keys()
    data = tmp_path / "data"
    setup_logging(data)
    store = open_store(data)
    codes: list[str] = []
    station = initialise_store(
        store,
        agency_code="000.00.01.H22",
        center_name="Trung tâm xã Tân Lập",
        now=clock.now,
        actor=Actor("admin", Role.ADMIN),
        admin_password="mat-khau-dai",
        on_recovery_code=codes.append,
    )
    ctx = make_ctx(store, clock, station)
    for name, cid, phone, address in PEOPLE:
        d = dossiers.receive_dossier(
            ctx,
            procedure_code="1.001193",
            applicant=dossiers.ApplicantInput(
                full_name=name, citizen_id=cid, phone=phone, address=address
            ),
        )
        dossiers.change_status(ctx, code=d.code, to=4)
    yield data, store, ctx, codes[0]
    store.close()
    forget_unlocked_keys()


def files_under(folder: Path) -> list[Path]:
    return [p for p in folder.rglob("*") if p.is_file()]


def assert_no_clear_data(paths: list[Path]) -> None:
    assert paths
    for path in paths:
        content = path.read_bytes()
        for person in PEOPLE:
            for secret in secrets_of(*person):
                assert secret not in content, f"{secret!r} in clear in {path.name}"


def test_store_wal_spool_and_logs_hold_no_personal_data(sealed, clock) -> None:
    data, store, ctx, _ = sealed
    from printers.service import open_spool, receipt_docs

    code = search_dossiers(ctx, "duong")[0].code
    # A supplement request naming the applicant and her phone: the reason is sealed too.
    dossiers.change_status(ctx, code=code, to=5, note=SUPPLEMENT_NOTE)
    with open_spool(data, clock=clock, sealer=store.crypto) as spool:
        for document in receipt_docs(ctx, code, copies=2):
            spool.enqueue(document, "file:///dev/null")
    logging.getLogger("counter_app.test").info("received for %s", PEOPLE[0][1])
    names = {p.name for p in files_under(data)}
    assert {"counter.db", "counter.db-wal", "spool.db"} <= names
    assert_no_clear_data(files_under(data))
    assert store.dossiers.events(code)[-1].note == SUPPLEMENT_NOTE


def test_clear_notes_of_an_older_store_are_sealed_at_the_next_start(sealed) -> None:
    data, store, ctx, _ = sealed
    code = search_dossiers(ctx, "duong")[0].code
    with store.transaction():  # as an older version wrote it
        store.conn.execute(
            "INSERT INTO dossier_events(code, at, kind, from_status, to_status, note, actor) "
            "VALUES (?, '2026-04-29T09:30:00+07:00', 'status', 4, 5, ?, 'canbo1')",
            (code, SUPPLEMENT_NOTE),
        )
        store.conn.execute("PRAGMA user_version = 5")
    store.close()
    forget_unlocked_keys()
    reopened = open_store(data)
    try:
        assert reopened.dossiers.get(code) is not None  # the first read unlocks and reseals
        assert reopened.dossiers.events(code)[-1].note == SUPPLEMENT_NOTE
        raw = reopened.query("SELECT note FROM dossier_events WHERE note != ''")
        assert raw and all(r["note"].startswith("e1:") for r in raw)
        reopened.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        assert_no_clear_data(files_under(data))
    finally:
        reopened.close()


def test_clerks_still_find_people_by_name_id_and_phone(sealed) -> None:
    _, _, ctx, _ = sealed
    for text in ("nguyen duong", "Đường", "001190012345", "0912 345 678", "khanh", "hoang van"):
        assert len(search_dossiers(ctx, text)) == 1, text
    found = search_dossiers(ctx, "nguyen duong")[0]
    assert found.applicant.full_name == "Nguyễn Thị Đường"
    assert found.applicant.address == "Thôn Nà Pồng, xã Tân Lập"


def test_a_tampered_field_is_detected(sealed) -> None:
    _, store, ctx, _ = sealed
    code = search_dossiers(ctx, "duong")[0].code
    other = search_dossiers(ctx, "khanh")[0].code
    # Swap two sealed names: each is bound to its own dossier, so the swap is found.
    store.conn.execute(
        "UPDATE dossiers SET applicant_name = (SELECT applicant_name FROM dossiers "
        "WHERE code = ?) WHERE code = ?",
        (other, code),
    )
    with pytest.raises(DomainError) as err:
        store.dossiers.get(code)
    assert err.value.code == "crypto.damaged"


def _open_in_child(data: Path, passphrase: str) -> subprocess.CompletedProcess:
    script = (
        "import sys; from counter_app.store import open_store; from counter_app.core.errors "
        "import DomainError\ns = open_store(sys.argv[1])\ntry:\n"
        "    print(len(s.dossiers.by_name('duong', 5)))\n"
        "except DomainError as e:\n    print(e.message('vi')); sys.exit(3)"
    )
    env = {**os.environ, "COUNTER_APP_PASSPHRASE": passphrase}
    return subprocess.run(
        [sys.executable, "-c", script, str(data)], capture_output=True, text=True, env=env
    )


def test_wrong_passphrase_gives_a_clear_error_and_changes_nothing(sealed) -> None:
    data, store, _, _ = sealed
    assert store.upkeep.wait_idle()  # the store's own merges and checkpoint done first
    store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    before = (data / "counter.db").read_bytes()
    wrong = _open_in_child(data, "khong-dung")
    assert wrong.returncode == 3
    assert wrong.stdout.strip() == "Sai cụm mật khẩu bảo vệ dữ liệu (hoặc sai mã khôi phục)."
    assert (data / "counter.db").read_bytes() == before
    right = _open_in_child(data, PASSPHRASE)
    assert right.returncode == 0 and right.stdout.strip() == "1"


def test_backup_restores_exactly_what_was_saved(sealed, clock, tmp_path) -> None:
    data, store, ctx, recovery = sealed
    target = backup.backup_now(ctx, to=tmp_path / "usb")
    assert_no_clear_data([target])
    saved = {d.code: d for d in store.dossiers.listing()}
    clock.now += timedelta(minutes=5)
    dossiers.receive_dossier(
        ctx, procedure_code="1.001193", applicant=dossiers.ApplicantInput(full_name="Lê Văn An")
    )
    store.close()
    forget_unlocked_keys()
    kept = backup.restore(data, target, now=clock.now, recovery=recovery)
    assert kept.exists()
    forget_unlocked_keys()
    restored = open_store(data)
    assert {d.code: d for d in restored.dossiers.listing()} == saved
    assert restored.integrity_check() == "ok"
    restored.close()


def test_a_damaged_or_foreign_backup_changes_nothing(sealed, clock, tmp_path) -> None:
    data, store, ctx, _ = sealed
    target = backup.backup_now(ctx, to=tmp_path / "usb")
    store.close()
    before = sorted(p.name for p in files_under(data))
    damaged = tmp_path / "damaged.cabak"
    raw = bytearray(target.read_bytes())
    raw[-40] ^= 0xFF
    damaged.write_bytes(bytes(raw))
    forget_unlocked_keys()
    with pytest.raises(DomainError) as err:
        backup.restore(data, damaged, now=clock.now)
    assert "bị hỏng hoặc bị sửa" in err.value.message("vi")
    with pytest.raises(DomainError) as err:
        backup.restore(data, target, now=clock.now, passphrase="khong-dung")
    assert err.value.code == "crypto.wrong_key"
    assert sorted(p.name for p in files_under(data)) == before


def test_key_rotation_reseals_everything_and_search_still_works(sealed, clock) -> None:
    _, store, ctx, _ = sealed
    before = {d.code: d for d in store.dossiers.listing()}
    with pytest.raises(DomainError):
        rotate_keys(ctx)  # a clerk may not
    count = rotate_keys(make_ctx(store, clock, ctx.station, Role.ADMIN, "admin"))
    assert count >= len(PEOPLE)
    rows = store.query("SELECT applicant_name FROM dossiers")
    assert all(r[0].startswith("e1:k2:") for r in rows)
    assert {d.code: d for d in store.dossiers.listing()} == before
    assert len(search_dossiers(ctx, "nguyen duong")) == 1


def test_interrupted_rotation_finishes_at_the_next_start(sealed, monkeypatch) -> None:
    data, store, ctx, _ = sealed
    with store.transaction():
        store.keys.rotate_seal_key()
        store.settings.set("reseal_pending", True)
    store.relock()
    calls = {"n": 0}
    real = store.dossiers.reseal_batch

    def crash_after_one(limit: int) -> int:
        calls["n"] += 1
        if calls["n"] > 1:
            raise KeyboardInterrupt  # the power goes off mid-way
        return real(1)

    monkeypatch.setattr(store.dossiers, "reseal_batch", crash_after_one)
    with pytest.raises(KeyboardInterrupt):
        store.reseal()
    store.close()
    forget_unlocked_keys()
    again = open_store(data)
    assert len(again.dossiers.by_name("duong", 5)) == 1  # unlock resumes the re-sealing
    assert again.settings.get("reseal_pending") is None
    rows = again.query("SELECT applicant_name FROM dossiers")
    assert all(r[0].startswith("e1:k2:") for r in rows)
    again.close()


def test_citizen_export_then_erase(sealed, clock, tmp_path) -> None:
    data, store, ctx, _ = sealed
    admin = make_ctx(store, clock, ctx.station, Role.ADMIN, "admin")
    out = citizen_data.export_citizen(admin, citizen_id="001190012345", out=tmp_path / "x.json")
    exported = json.loads(out.read_text(encoding="utf-8"))
    assert exported["ho_so"][0]["nguoi_nop"]["ho_ten"] == "Nguyễn Thị Đường"
    assert [h["trang_thai"] for h in exported["ho_so"][0]["lich_su"]] == [2, 4]
    with pytest.raises(DomainError) as err:  # still being processed
        citizen_data.erase_citizen(admin, citizen_id="001190012345")
    assert err.value.code == "citizen.still_open"
    code = exported["ho_so"][0]["ma_ho_so"]
    for status in (9, 10):
        dossiers.change_status(ctx, code=code, to=status, note=SUPPLEMENT_NOTE)
    for key in [i.idem_key for i in store.outbox.pending(1000)]:
        store.outbox.mark_synced(key)  # as if the portal had them all
    assert citizen_data.erase_citizen(admin, citizen_id="001190012345") == 1
    kept = store.dossiers.get(code)
    assert kept.applicant.full_name == citizen_data.ANONYMOUS and kept.status == 10
    assert search_dossiers(ctx, "001190012345") == []
    assert [e.note for e in store.dossiers.events(code)] == ["", "", "", ""]  # named her
    store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")


def test_log_lines_and_crash_reports_are_masked(tmp_path) -> None:
    assert mask_personal("id 001190012345 phone +84 912 345 678 a@b.vn") == (
        "id [số] phone [số] [email]"
    )
    record = logging.LogRecord(
        "counter_app", logging.ERROR, __file__, 1, "x %s", ("0912345678",), None
    )
    try:
        raise ValueError("Nguyễn Thị Đường 001190012345")
    except ValueError:
        record.exc_info = sys.exc_info()
    PersonalDataFilter().filter(record)
    assert "0912345678" not in record.getMessage()
    assert "Đường" not in record.exc_text and "ValueError (message withheld)" in record.exc_text


def test_a_damaged_store_is_reported_with_the_last_good_backup(sealed, tmp_path) -> None:
    data, store, ctx, _ = sealed
    target = backup.backup_now(ctx, to=tmp_path / "usb")
    store.close()
    for leftover in ("counter.db-wal", "counter.db-shm"):
        (data / leftover).unlink(missing_ok=True)
    raw = bytearray((data / "counter.db").read_bytes())
    raw[:100] = b"\0" * 100  # the header is gone: the disk failed
    (data / "counter.db").write_bytes(bytes(raw))
    with pytest.raises(DomainError) as err:
        open_store(data)
    assert str(target) in err.value.message("vi")
    assert "quản trị viên khôi phục" in err.value.message("vi")
    assert "counter-app restore" in command_hint(err.value.code, "vi")


def test_retention_anonymises_old_finished_dossiers_once_a_day(sealed, clock) -> None:
    _, store, ctx, _ = sealed
    admin = make_ctx(store, clock, ctx.station, Role.ADMIN, "admin")
    code = search_dossiers(ctx, "khanh")[0].code
    for status in (9, 10):
        dossiers.change_status(ctx, code=code, to=status)
    for key in [i.idem_key for i in store.outbox.pending(1000)]:
        store.outbox.mark_synced(key)
    assert citizen_data.retention_if_due(admin) == 0  # too recent
    assert citizen_data.retention_if_due(admin) is None  # already ran today
    clock.now += timedelta(days=5 * 365 + 2)
    assert citizen_data.retention_if_due(admin) == 1
    assert store.dossiers.get(code).applicant.full_name == citizen_data.ANONYMOUS
    still_open = search_dossiers(ctx, "duong")[0]
    assert still_open.applicant.full_name == "Nguyễn Thị Đường"  # status 4: kept
