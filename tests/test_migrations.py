"""Meta-tests of the migration chain: every old store upgrades, keeps its rows, and stays sound.

A store written by any earlier release (schema version k, for every k) is filled with
representative rows by plain SQL in *that version's* schema, then opened the way the program
opens it. A migration that fails (an error or a power cut halfway) must leave the previous
schema and version untouched.
"""

from __future__ import annotations

import json
import re
import sqlite3
import subprocess
import sys
import threading
from collections import Counter
from datetime import datetime
from pathlib import Path

import pytest
from sqlite_utils import Database

from counter_app.core.calendar import DEFAULT_OPENING_HOURS
from counter_app.core.catalogue import catalogue_to_dict, load_default_catalogue
from counter_app.core.clock import VN_TZ
from counter_app.core.dossier import DossierStatus
from counter_app.core.errors import DomainError
from counter_app.core.roles import Actor, Role
from counter_app.services.dossiers import ApplicantInput, change_status, receive_dossier
from counter_app.services.setup import initialise_store, open_context
from counter_app.services.station import CounterDesk, Station
from counter_app.store import migrations, open_store
from counter_app.store.audit import GENESIS, entry_hash
from counter_app.store.database import STORE_FILE, connect
from counter_app.store.keys import forget_unlocked_keys
from counter_app.store.migrations import MIGRATIONS, migrate, schema_version

HELPERS = Path(__file__).parent / "helpers"
LATEST = len(MIGRATIONS)

AGENCY = "000.00.01.H22"
STATION_ID = f"{AGENCY}/1/0a1b2c3d"
AT = "2026-04-29T09:00:00+07:00"
CODE = f"{AGENCY}-260429-0007"
NAME = "Nguyễn Thị Thùy Dương"  # NFC, with đ/ư/ơ and tone marks
NAME_FOLDED = "nguyen thi thuy duong"


def _station_settings() -> dict:
    station = Station(
        id=STATION_ID,
        number=1,
        role="all-in-one",
        agency_code=AGENCY,
        center_name="Trung tâm phục vụ hành chính công xã Tân Lập",
        counters=(CounterDesk(1, ("A",)),),
        opening_hours=DEFAULT_OPENING_HOURS,  # no usable default (see the report)
    )
    return station.to_settings()


def _audit_rows() -> list[dict]:
    rows, prev = [], GENESIS
    for action, entity, entity_id in (
        ("station.init", "station", STATION_ID),
        ("ticket.serving", "ticket", "2026-04-29/A003/1"),
        ("dossier.receive", "dossier", CODE),
    ):
        fields = {
            "at": AT,
            "actor": "canbo1",
            "station_id": STATION_ID,
            "action": action,
            "entity": entity,
            "entity_id": entity_id,
            "detail": json.dumps({"note": "Ghi chú có dấu"}, ensure_ascii=False),
        }
        digest = entry_hash(prev, fields)
        rows.append({**fields, "prev_hash": prev, "hash": digest})
        prev = digest
    return rows


# Rows an old store holds, written by plain SQL in the schema of the migration that created
# each table (not by today's repositories, which may expect columns added later). A row is
# written when its table exists at the version under test. Parents come before children.
# A new migration that creates tables should add a row for each of them here.
OLD_ROWS: list[tuple[str, dict]] = [
    ("settings", {"key": "station", "value": json.dumps(_station_settings(), ensure_ascii=False)}),
    (
        "catalogue",
        {
            "id": 1,
            "version": load_default_catalogue().version,
            "data": json.dumps(catalogue_to_dict(load_default_catalogue()), ensure_ascii=False),
            "loaded_at": AT,
        },
    ),
    ("calendar_overrides", {"day": "2026-05-02", "kind": "work", "note": "Làm bù ngày 30/4"}),
    ("sequences", {"name": f"dossier:{AGENCY}", "day": "2026-04-29", "last": 7}),
    ("sequences", {"name": "book", "day": "2026", "last": 7}),
    ("sequences", {"name": "ticket:A", "day": "2026-04-29", "last": 3}),
    ("sequences", {"name": "outbox", "day": "-", "last": 2}),
    (
        "tickets",
        {
            "id": 1,
            "day": "2026-04-29",
            "grp": "A",
            "letter": "A",
            "number": 3,
            "state": "serving",
            "arrived_at": AT,
            "station_id": STATION_ID,
            "priority": "",
            "priority_weight": 0,
            "counter": 1,
            "recalls": 0,
            "called_at": AT,
            "serving_at": AT,
            "finished_at": None,
            "transferred_from": None,
            "dossier_code": CODE,
        },
    ),
    (
        "ticket_events",
        {"ticket_id": 1, "at": AT, "state": "serving", "counter": 1, "actor": "canbo1"},
    ),
    (
        "dossiers",
        {
            "code": CODE,
            "procedure_code": "1.001193",
            "procedure_name": "Thủ tục đăng ký khai sinh",
            "status": 2,
            "received_at": AT,
            "due_at": "2026-04-29T17:00:00+07:00",
            "applicant_name": NAME,
            "name_folded": NAME_FOLDED,
            "citizen_id": "001190012345",
            "phone": "0912345678",
            "address": "Thôn Đông, xã Tân Lập",
            "email": "",
            "birth_date": "1990-01-02",
            "sex": "",
            "documents": json.dumps([["Tờ khai đăng ký khai sinh", "original", 1, True]]),
            "sets": 1,
            "fee_vnd": 0,
            "return_method": "counter",
            "receiver": "canbo1",
            "book_volume": 1,
            "book_entry": 7,
            "ticket_id": 1,
            "with_verification": 0,
            "note": "",
            "result_at": None,
            "returned_at": None,
            "updated_at": AT,
            "station_id": STATION_ID,
        },
    ),
    (
        "dossier_events",
        {
            "code": CODE,
            "at": AT,
            "kind": "received",
            "from_status": None,
            "to_status": 2,
            "note": "",
            "actor": "canbo1",
        },
    ),
    (
        "outbox",
        {
            "seq": 1,
            "idem_key": f"{STATION_ID}:1",
            "entity": "ticket",
            "entity_id": "2026-04-29/A003/1",
            "op": "ticket.serving",
            "payload": "{}",
            "created_at": AT,
        },
    ),
    (
        "outbox",
        {
            "seq": 2,
            "idem_key": f"{STATION_ID}:2",
            "entity": "dossier",
            "entity_id": CODE,
            "op": "dossier.receive",
            "payload": json.dumps({"ChuHoSo": NAME}, ensure_ascii=False),
            "created_at": AT,
        },
    ),
    *(("audit", row) for row in _audit_rows()),
    # m003_sync_state
    ("sync_meta", {"key": "pull_cursor", "value": json.dumps("c-41")}),
    (
        "sync_portal_ids",
        {
            "idem_key": f"{STATION_ID}:2",
            "entity": "dossier",
            "entity_id": CODE,
            "portal_id": "G22.99-260429-0001",
            "acked_at": AT,
        },
    ),
    (
        "sync_conflicts",
        {
            "at": AT,
            "change_seq": 5,
            "kind": "status",
            "entity_id": CODE,
            "local_status": 2,
            "portal_status": 3,
            "reason": "Cổng trả về trạng thái khác",
            "change": "{}",
            "resolved_at": None,
            "resolved_by": None,
        },
    ),
    (
        "sync_rounds",
        {
            "started_at": AT,
            "finished_at": AT,
            "ok": 1,
            "pushed": 2,
            "pulled": 0,
            "set_aside": 0,
            "clock_offset": 0.5,
            "error": "",
        },
    ),
    # m004_accounts_and_ratings
    (
        "users",
        {
            "username": "canbo1",
            "role": "clerk",
            "password_hash": "scrypt$16384$8$1$c2FsdA$aGFzaA",
            "failed_logins": 1,
            "locked_until": None,
            "locked": 0,
            "created_at": AT,
            "last_login_at": AT,
        },
    ),
    (
        "ratings",
        {"at": AT, "score": 5, "ticket_id": 1, "dossier_code": CODE, "station_id": STATION_ID},
    ),
    # m007_center_deliveries
    (
        "center_outbox",
        {
            "idem_key": f"{STATION_ID}:2",
            "entity": "dossier",
            "entity_id": CODE,
            "op": "dossier.receive",
            "payload": "e1:k1:x",
            "created_at": AT,
        },
    ),
    ("center_applied", {"idem_key": "other/2/ab:7", "stream_seq": 12, "applied_at": AT}),
    ("sync_held", {"entity_id": CODE, "change": "{}", "held_at": AT}),
    # m008_queue_calls_and_pauses
    (
        "counter_pauses",
        {
            "uid": f"{STATION_ID}#p1",
            "counter": 1,
            "reason": "lunch",
            "started_at": AT,
            "ended_at": AT,
            "actor": "canbo",
        },
    ),
    # m009_code_pool
    (
        "code_pool",
        {
            "code": "G09.20-20260429-0000001",
            "day": "2026-04-29",
            "source": "server",
            "state": "free",
            "fetched_at": AT,
        },
    ),
    # m011_papers
    (
        "papers",
        {
            "paper_id": "0123456789abcdef0123456789abcdef",
            "dossier_code": CODE,
            "paper_no": 1,
            "kind": "intake",
            "title": "Tờ khai đăng ký khai sinh",
            "sha256": "0" * 64,
            "size": 1000,
            "pages": 1,
            "added_at": AT,
            "added_by": "canbo1",
            "station_id": STATION_ID,
        },
    ),
    # m012_paper_uploads
    (
        "paper_uploads",
        {
            "paper_id": "0123456789abcdef0123456789abcdef",
            "destination": "motcua:http://127.0.0.1:8765",
            "upstream_id": "f" * 32,
            "link": "",
            "sha256": "0" * 64,
            "uploaded_at": AT,
        },
    ),
    # m013_online_dossiers
    (
        "online_dossiers",
        {
            "upstream_code": CODE,
            "dossier_code": CODE,
            "round": 2,
            "submitted_at": AT,
            "notify_email": 1,
            "notify_sms": 0,
            "waiting": 1,
            "taken_at": AT,
            "station_id": STATION_ID,
        },
    ),
]


def _tables(conn: sqlite3.Connection) -> set[str]:
    rows = conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'").fetchall()
    return {r[0] for r in rows}


def _plain_tables(conn: sqlite3.Connection) -> list[str]:
    """Ordinary tables, without SQLite's own and without full-text indexes and their shadows."""
    rows = conn.execute("SELECT name, sql FROM sqlite_master WHERE type = 'table'").fetchall()
    virtual = [r[0] for r in rows if (r[1] or "").upper().startswith("CREATE VIRTUAL TABLE")]
    return sorted(
        r[0]
        for r in rows
        if not r[0].startswith("sqlite_")
        and r[0] not in virtual
        and not any(r[0].startswith(v + "_") for v in virtual)
    )


def _snapshot(conn: sqlite3.Connection) -> dict[str, tuple[list[str], list[tuple]]]:
    snap = {}
    db = Database(conn, execute_plugins=False)  # sqlite-utils for the introspection
    for table in _plain_tables(conn):
        columns = [c.name for c in db[table].columns]
        rows = conn.execute(f"SELECT {', '.join(columns)} FROM {table} ORDER BY rowid")
        snap[table] = (columns, [tuple(r) for r in rows])
    return snap


def _schema(conn: sqlite3.Connection) -> set[tuple[str, str, str]]:
    rows = conn.execute("SELECT type, name, sql FROM sqlite_master WHERE sql IS NOT NULL")
    return {(r[0], r[1], " ".join(r[2].split())) for r in rows}


def _make_old_store(data_dir: Path, version: int) -> dict[str, tuple[list[str], list[tuple]]]:
    """A store left at schema `version` holding the rows that version can hold."""
    data_dir.mkdir(parents=True)
    conn = connect(data_dir / STORE_FILE)
    try:
        assert migrate(conn, upto=version) == version
        assert schema_version(conn) == version
        existing = _tables(conn)
        conn.execute("BEGIN IMMEDIATE")
        for table, row in OLD_ROWS:
            if table in existing:
                conn.execute(
                    f"INSERT INTO {table}({', '.join(row)}) VALUES "
                    f"({', '.join(':' + c for c in row)})",
                    row,
                )
        conn.execute("COMMIT")
        return _snapshot(conn)
    finally:
        conn.close()


@pytest.mark.parametrize("version", range(LATEST + 1))
def test_store_at_every_old_version_upgrades_and_keeps_its_rows(tmp_path, version):
    before = _make_old_store(tmp_path / "data", version)

    store = open_store(tmp_path / "data")
    try:
        conn = store.conn
        assert schema_version(conn) == LATEST
        assert store.integrity_check() == "ok"
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
        # Every row of every table that existed survives, column for column (a migration
        # may add rows, e.g. a flag in settings, and columns, but not lose or change any).
        for table, (columns, rows) in before.items():
            now = conn.execute(f"SELECT {', '.join(columns)} FROM {table}")
            missing = Counter(rows) - Counter(tuple(r) for r in now)
            assert not missing, f"rows of {table} lost or changed: {list(missing)}"
        # The upgrade path ends at the same schema as a brand-new store.
        fresh = open_store(tmp_path / "fresh")
        try:
            assert _schema(conn) == _schema(fresh.conn)
        finally:
            fresh.close()
        if version == 0:
            return
        assert store.audit.verify() is None
        dossier = store.dossiers.get(CODE)
        assert dossier is not None and dossier.applicant.full_name == NAME
        # The full-text index (migration 2) covers rows written before it existed.
        assert [d.code for d in store.dossiers.by_name("nguyen duong", 10)] == [CODE]
        assert [d.code for d in store.dossiers.by_name("Thùy Dương", 10)] == [CODE]
        # And the program works on: numbering continues after what the old store used.
        clock = datetime(2026, 4, 29, 10, 0, tzinfo=VN_TZ)
        ctx = open_context(store, clock=lambda: clock, actor=Actor("canbo1", Role.CLERK))
        new = receive_dossier(
            ctx, procedure_code="1.001193", applicant=ApplicantInput("Trần Văn Dương")
        )
        assert new.code == f"{AGENCY}-260429-0008"
        assert new.book_entry == 8
        assert {d.code for d in store.dossiers.by_name("duong", 10)} == {CODE, new.code}
        assert store.audit.verify() is None
        assert store.outbox.pending()[-1].idem_key == f"{STATION_ID}:3"
    finally:
        store.close()


def test_every_table_has_a_representative_row(tmp_path):
    """So the upgrade test really carries data through every table (add rows for new ones)."""
    store = open_store(tmp_path)
    try:
        missing = set(_plain_tables(store.conn)) - {table for table, _ in OLD_ROWS}
    finally:
        store.close()
    assert not missing, f"add representative rows to OLD_ROWS for {sorted(missing)}"


def test_opening_twice_and_asking_for_less_changes_nothing(tmp_path):
    open_store(tmp_path).close()
    store = open_store(tmp_path)
    try:
        schema = _schema(store.conn)
        assert migrate(store.conn) == LATEST
        assert migrate(store.conn, upto=0) == LATEST  # never downgrades
        assert schema_version(store.conn) == LATEST
        assert _schema(store.conn) == schema
    finally:
        store.close()


def test_migrations_are_numbered_in_order():
    assert LATEST >= 1
    names = [m.__name__ for m in MIGRATIONS]
    assert len(set(names)) == len(names)
    for index, name in enumerate(names, start=1):
        match = re.fullmatch(r"m(\d{3})_[a-z0-9_]+", name)
        assert match, f"{name}: a migration is named m001_what_it_does"
        assert int(match.group(1)) == index, f"{name} is migration number {index}"
        assert getattr(migrations, name) is MIGRATIONS[index - 1]


def test_migrations_say_what_they_do():
    """Each migration explains itself (what it does to data already there).

    The initial schema is exempt: its name says it all and there is no older data.
    """
    module_doc = migrations.__doc__ or ""
    for index, migration in enumerate(MIGRATIONS):
        if index == 0 and migration.__name__.endswith("_initial"):
            continue
        doc = (migration.__doc__ or "").strip()
        assert doc or migration.__name__ in module_doc, f"{migration.__name__} has no docstring"


def _store_with_a_dossier(tmp_path: Path) -> Path:
    data = tmp_path / "data"
    store = open_store(data)
    try:
        now = datetime(2026, 4, 29, 9, 0, tzinfo=VN_TZ)
        station = initialise_store(
            store,
            agency_code=AGENCY,
            center_name="Xã Tân Lập",
            now=now,
            actor=Actor("a", Role.ADMIN),
        )
        ctx = open_context(store, clock=lambda: now, actor=Actor("canbo1", Role.CLERK))
        assert ctx.station == station
        receive_dossier(ctx, procedure_code="1.001193", applicant=ApplicantInput(NAME))
    finally:
        store.close()
    return data


def m900_breaks_halfway(conn: sqlite3.Connection) -> None:
    """Creates a table, changes another, then hits an error."""
    conn.executescript(
        """
        CREATE TABLE partial_thing (id INTEGER PRIMARY KEY);
        ALTER TABLE dossiers ADD COLUMN half_done TEXT;
        INSERT INTO partial_thing VALUES (1);
        UPDATE dossiers SET note = 'migrated';
        INSERT INTO no_such_table VALUES (1);
        """
    )


def m900_raises_after_sql(conn: sqlite3.Connection) -> None:
    """Does its SQL, then fails in Python code."""
    conn.execute("CREATE TABLE partial_thing (id INTEGER PRIMARY KEY)")
    conn.execute("ALTER TABLE dossiers ADD COLUMN half_done TEXT")
    conn.execute("UPDATE dossiers SET note = 'migrated'")
    raise RuntimeError("bug in the migration")


@pytest.mark.parametrize(
    ("broken", "error"),
    [(m900_breaks_halfway, sqlite3.OperationalError), (m900_raises_after_sql, RuntimeError)],
)
def test_failed_migration_leaves_version_and_schema_unchanged(tmp_path, monkeypatch, broken, error):
    data = _store_with_a_dossier(tmp_path)
    conn = connect(data / STORE_FILE)
    schema, rows = _schema(conn), _snapshot(conn)
    conn.close()

    monkeypatch.setattr(migrations, "MIGRATIONS", (*MIGRATIONS, broken))
    with pytest.raises(error):
        open_store(data)

    conn = connect(data / STORE_FILE)
    try:
        assert schema_version(conn) == LATEST
        assert "partial_thing" not in _tables(conn)
        assert _schema(conn) == schema
        assert _snapshot(conn) == rows
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    finally:
        conn.close()

    # With the faulty migration gone (the fixed release), the store opens as before.
    monkeypatch.setattr(migrations, "MIGRATIONS", MIGRATIONS)
    store = open_store(data)
    try:
        assert schema_version(store.conn) == LATEST
        assert len(store.dossiers.by_name("nguyen duong", 10)) == 1
    finally:
        store.close()


def test_power_cut_in_the_middle_of_a_migration_leaves_the_old_schema(tmp_path):
    """The process dies (no rollback, no close) while a migration runs."""
    data = _store_with_a_dossier(tmp_path)
    conn = connect(data / STORE_FILE)
    schema, rows = _schema(conn), _snapshot(conn)
    conn.close()

    result = subprocess.run(
        [sys.executable, str(HELPERS / "die_in_migration.py"), str(data)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 77, result.stderr

    store = open_store(data)
    try:
        assert schema_version(store.conn) == LATEST
        assert "partial_thing" not in _tables(store.conn)
        assert _schema(store.conn) == schema
        assert _snapshot(store.conn) == rows
        assert store.integrity_check() == "ok"
        assert store.audit.verify() is None
    finally:
        store.close()


def test_two_processes_upgrading_at_once_both_open_the_store(tmp_path, monkeypatch):
    """The counter and the display start together after an update with a pending migration.

    Made deterministic with two connections: the second reads the version while the first
    is in the middle of the last migration, then waits for the lock.
    """
    data = tmp_path / "data"
    _make_old_store(data, LATEST - 1)
    first, second = connect(data / STORE_FILE), connect(data / STORE_FILE)
    second_has_read = threading.Event()
    real_schema_version = migrations.schema_version
    real_last = MIGRATIONS[-1]
    runs: list[sqlite3.Connection] = []
    errors: list[BaseException] = []

    def schema_version_spy(conn):
        version = real_schema_version(conn)
        if conn is second:
            second_has_read.set()
        return version

    def last_migration(conn):
        runs.append(conn)
        if len(runs) == 1:  # the first opener, holding the write lock
            other.start()
            assert second_has_read.wait(10)
        real_last(conn)

    def open_second():
        try:
            migrate(second)
        except BaseException as exc:  # reported in the main thread
            errors.append(exc)

    last_migration.__name__ = real_last.__name__
    other = threading.Thread(target=open_second)
    monkeypatch.setattr(migrations, "schema_version", schema_version_spy)
    monkeypatch.setattr(migrations, "MIGRATIONS", (*MIGRATIONS[:-1], last_migration))
    try:
        assert migrate(first) == LATEST
        other.join(30)
        assert not other.is_alive()
        if errors:
            raise errors[0]
        assert len(runs) == 1, "the last migration ran twice"
        assert real_schema_version(second) == LATEST
        assert second.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    finally:
        first.close()
        second.close()


def _run_together(commands: list[list[str]]) -> list[str]:
    """Start helper scripts, wait until each says "ready", release them at once, and return
    what each printed."""
    procs = [
        subprocess.Popen(
            [sys.executable, *command],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for command in commands
    ]
    try:
        for proc in procs:
            assert proc.stdout.readline().strip() == "ready", proc.stderr.read()
        for proc in procs:
            proc.stdin.write("go\n")
            proc.stdin.flush()
        return [proc.communicate(timeout=120)[0].strip() for proc in procs]
    finally:
        for proc in procs:
            if proc.poll() is None:
                proc.kill()
                proc.wait()


def test_processes_starting_together_after_an_update_all_open_the_store(tmp_path):
    for round_ in range(3):
        data = tmp_path / f"round{round_}"
        _make_old_store(data, LATEST - 1)  # already in WAL mode, one migration pending
        results = _run_together([[str(HELPERS / "open_at_once.py"), str(data)]] * 4)
        assert results == [f"ok {LATEST}"] * 4
        conn = connect(data / STORE_FILE)
        try:
            assert schema_version(conn) == LATEST
            assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        finally:
            conn.close()


# --- a store from before encryption (schema 1 here) gets its keys at its first use ---------

NEW_NAME = "Phạm Văn Lộc"


def _names_after_restart(data: Path) -> dict[str, str]:
    """Every dossier's applicant name as a freshly started process reads it."""
    forget_unlocked_keys()
    store = open_store(data)
    try:
        names = {}
        for (code,) in store.query("SELECT code FROM dossiers ORDER BY code"):
            try:
                names[code] = store.dossiers.get(code).applicant.full_name
            except DomainError as exc:
                names[code] = f"unreadable ({exc.code})"
        return names
    finally:
        store.close()
        forget_unlocked_keys()


def _upgraded_pre_encryption_store(tmp_path: Path) -> Path:
    data = tmp_path / "data"
    _make_old_store(data, 1)
    open_store(data).close()  # migrated to the latest schema; nothing unlocked yet
    return data


def test_a_refused_first_use_case_after_the_upgrade_loses_nothing(tmp_path):
    data = _upgraded_pre_encryption_store(tmp_path)
    forget_unlocked_keys()
    store = open_store(data)
    try:
        now = datetime(2026, 4, 29, 10, 0, tzinfo=VN_TZ)
        ctx = open_context(store, clock=lambda: now, actor=Actor("canbo1", Role.CLERK))
        with pytest.raises(DomainError):  # received -> returned is not a move
            change_status(ctx, code=CODE, to=DossierStatus.RETURNED)
        new = receive_dossier(ctx, procedure_code="1.001193", applicant=ApplicantInput(NEW_NAME))
    finally:
        store.close()
    assert _names_after_restart(data) == {CODE: NAME, new.code: NEW_NAME}


def test_search_and_receive_starting_together_after_the_upgrade_lose_nothing(tmp_path):
    for round_ in range(3):
        data = _upgraded_pre_encryption_store(tmp_path / f"round{round_}")
        helper = str(HELPERS / "first_use_after_upgrade.py")
        modes = ("search", "receive", "search", "receive")
        results = _run_together([[helper, str(data), mode] for mode in modes])
        assert all(r.startswith("ok") for r in results), results
        received = {r.split()[1] for r in results[1::2]}
        assert _names_after_restart(data) == {CODE: NAME} | dict.fromkeys(received, NEW_NAME)
