"""Numbered schema migrations, applied at start.

`PRAGMA user_version` records how many have run. Each migration runs in its own transaction
together with the version bump, so a crash mid-upgrade leaves the previous schema intact.
(A 20-line runner instead of the sqlite-migrate package: that package is still alpha and we
need the version bump inside the same transaction.)
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable

Migration = Callable[[sqlite3.Connection], None]


def m001_initial(conn: sqlite3.Connection) -> None:
    conn.executescript(
        """
        CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL);
        CREATE TABLE catalogue (
            id INTEGER PRIMARY KEY CHECK (id = 1),
            version TEXT NOT NULL, data TEXT NOT NULL, loaded_at TEXT NOT NULL);
        CREATE TABLE calendar_overrides (
            day TEXT PRIMARY KEY, kind TEXT NOT NULL CHECK (kind IN ('off', 'work')),
            note TEXT NOT NULL DEFAULT '');
        CREATE TABLE sequences (
            name TEXT NOT NULL, day TEXT NOT NULL, last INTEGER NOT NULL,
            PRIMARY KEY (name, day));

        CREATE TABLE tickets (
            id INTEGER PRIMARY KEY,
            day TEXT NOT NULL, grp TEXT NOT NULL, letter TEXT NOT NULL, number INTEGER NOT NULL,
            state TEXT NOT NULL, arrived_at TEXT NOT NULL, station_id TEXT NOT NULL,
            priority TEXT NOT NULL DEFAULT '', priority_weight INTEGER NOT NULL DEFAULT 0,
            counter INTEGER, recalls INTEGER NOT NULL DEFAULT 0,
            called_at TEXT, serving_at TEXT, finished_at TEXT,
            transferred_from INTEGER REFERENCES tickets(id), dossier_code TEXT);
        CREATE UNIQUE INDEX tickets_paper_number ON tickets(day, letter, number, station_id)
            WHERE transferred_from IS NULL;
        CREATE INDEX tickets_by_state ON tickets(day, state, grp);
        CREATE INDEX tickets_by_counter ON tickets(day, counter, state);
        CREATE TABLE ticket_events (
            id INTEGER PRIMARY KEY, ticket_id INTEGER NOT NULL REFERENCES tickets(id),
            at TEXT NOT NULL, state TEXT NOT NULL, counter INTEGER, actor TEXT NOT NULL);
        CREATE INDEX ticket_events_by_ticket ON ticket_events(ticket_id);

        CREATE TABLE dossiers (
            code TEXT PRIMARY KEY,
            procedure_code TEXT NOT NULL, procedure_name TEXT NOT NULL,
            status INTEGER NOT NULL CHECK (status BETWEEN 1 AND 10),
            received_at TEXT NOT NULL, due_at TEXT,
            applicant_name TEXT NOT NULL, name_folded TEXT NOT NULL,
            citizen_id TEXT NOT NULL DEFAULT '', phone TEXT NOT NULL DEFAULT '',
            address TEXT NOT NULL DEFAULT '', email TEXT NOT NULL DEFAULT '',
            birth_date TEXT, sex TEXT NOT NULL DEFAULT '',
            documents TEXT NOT NULL, sets INTEGER NOT NULL, fee_vnd INTEGER NOT NULL DEFAULT 0,
            return_method TEXT NOT NULL, receiver TEXT NOT NULL,
            book_volume INTEGER NOT NULL DEFAULT 1, book_entry INTEGER,
            ticket_id INTEGER REFERENCES tickets(id),
            with_verification INTEGER NOT NULL DEFAULT 0, note TEXT NOT NULL DEFAULT '',
            result_at TEXT, returned_at TEXT, updated_at TEXT NOT NULL,
            station_id TEXT NOT NULL);
        CREATE INDEX dossiers_by_citizen_id ON dossiers(citizen_id);
        CREATE INDEX dossiers_by_phone ON dossiers(phone);
        CREATE INDEX dossiers_by_status_due ON dossiers(status, due_at);
        CREATE INDEX dossiers_by_received ON dossiers(received_at);
        CREATE INDEX dossiers_by_procedure ON dossiers(procedure_code, received_at);
        CREATE INDEX dossiers_by_ticket ON dossiers(ticket_id);
        CREATE TABLE dossier_events (
            id INTEGER PRIMARY KEY, code TEXT NOT NULL REFERENCES dossiers(code),
            at TEXT NOT NULL, kind TEXT NOT NULL, from_status INTEGER, to_status INTEGER,
            note TEXT NOT NULL DEFAULT '', actor TEXT NOT NULL);
        CREATE INDEX dossier_events_by_code ON dossier_events(code);

        CREATE TABLE outbox (
            seq INTEGER PRIMARY KEY AUTOINCREMENT,
            idem_key TEXT NOT NULL UNIQUE,
            entity TEXT NOT NULL, entity_id TEXT NOT NULL, op TEXT NOT NULL,
            payload TEXT NOT NULL, created_at TEXT NOT NULL,
            state TEXT NOT NULL DEFAULT 'waiting', tries INTEGER NOT NULL DEFAULT 0,
            last_error TEXT NOT NULL DEFAULT '', next_try_at TEXT);
        CREATE INDEX outbox_by_state ON outbox(state, seq);

        CREATE TABLE audit (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            at TEXT NOT NULL, actor TEXT NOT NULL, station_id TEXT NOT NULL,
            action TEXT NOT NULL, entity TEXT NOT NULL, entity_id TEXT NOT NULL,
            detail TEXT NOT NULL, prev_hash TEXT NOT NULL, hash TEXT NOT NULL);
        """
    )


def m002_dossier_name_search(conn: sqlite3.Connection) -> None:
    """Full-text index over folded names; rebuilt from rows an older store already holds."""
    conn.executescript(
        """
        CREATE VIRTUAL TABLE dossiers_fts USING fts5(
            name_folded, content='dossiers', content_rowid='rowid',
            tokenize='unicode61 remove_diacritics 2');
        CREATE TRIGGER dossiers_fts_insert AFTER INSERT ON dossiers BEGIN
            INSERT INTO dossiers_fts(rowid, name_folded) VALUES (new.rowid, new.name_folded);
        END;
        CREATE TRIGGER dossiers_fts_delete AFTER DELETE ON dossiers BEGIN
            INSERT INTO dossiers_fts(dossiers_fts, rowid, name_folded)
                VALUES ('delete', old.rowid, old.name_folded);
        END;
        CREATE TRIGGER dossiers_fts_update AFTER UPDATE OF name_folded ON dossiers BEGIN
            INSERT INTO dossiers_fts(dossiers_fts, rowid, name_folded)
                VALUES ('delete', old.rowid, old.name_folded);
            INSERT INTO dossiers_fts(rowid, name_folded) VALUES (new.rowid, new.name_folded);
        END;
        INSERT INTO dossiers_fts(dossiers_fts) VALUES ('rebuild');
        """
    )


def m003_sync_state(conn: sqlite3.Connection) -> None:
    """Sync with the portal: cursor and other state, portal ids, conflicts, when to retry."""
    conn.executescript(
        """
        CREATE TABLE sync_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
        CREATE TABLE sync_portal_ids (
            idem_key TEXT PRIMARY KEY REFERENCES outbox(idem_key),
            entity TEXT NOT NULL, entity_id TEXT NOT NULL, portal_id TEXT NOT NULL,
            acked_at TEXT NOT NULL);
        CREATE INDEX sync_portal_ids_by_entity ON sync_portal_ids(entity, entity_id);
        CREATE TABLE sync_conflicts (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            at TEXT NOT NULL, change_seq INTEGER NOT NULL, kind TEXT NOT NULL,
            entity_id TEXT NOT NULL, local_status INTEGER, portal_status INTEGER,
            reason TEXT NOT NULL, change TEXT NOT NULL,
            resolved_at TEXT, resolved_by TEXT);
        CREATE INDEX sync_conflicts_open ON sync_conflicts(resolved_at, id);
        CREATE TABLE sync_rounds (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            started_at TEXT NOT NULL, finished_at TEXT NOT NULL, ok INTEGER NOT NULL,
            pushed INTEGER NOT NULL, pulled INTEGER NOT NULL, set_aside INTEGER NOT NULL,
            clock_offset REAL, error TEXT NOT NULL DEFAULT '');
        ALTER TABLE outbox ADD COLUMN next_try_epoch REAL NOT NULL DEFAULT 0;
        CREATE INDEX outbox_due ON outbox(state, next_try_epoch, seq);
        """
    )


def m004_accounts_and_ratings(conn: sqlite3.Connection) -> None:
    """Accounts with hashed passwords and lock-out; satisfaction ratings, anonymous to clerks."""
    conn.executescript(
        """
        CREATE TABLE users (
            username TEXT PRIMARY KEY, role TEXT NOT NULL
                CHECK (role IN ('admin', 'clerk', 'volunteer')),
            password_hash TEXT NOT NULL, failed_logins INTEGER NOT NULL DEFAULT 0,
            locked_until TEXT, locked INTEGER NOT NULL DEFAULT 0,
            created_at TEXT NOT NULL, last_login_at TEXT);
        CREATE TABLE ratings (
            id INTEGER PRIMARY KEY, at TEXT NOT NULL, score INTEGER NOT NULL,
            ticket_id INTEGER REFERENCES tickets(id), dossier_code TEXT REFERENCES dossiers(code),
            station_id TEXT NOT NULL);
        CREATE INDEX ratings_by_at ON ratings(at);
        CREATE INDEX ratings_by_ticket ON ratings(ticket_id);
        """
    )


def m005_sealed_personal_fields(conn: sqlite3.Connection) -> None:
    """ID number and phone become blind indexes with sealed copies beside them.

    Rows an older store holds in clear are sealed at the next unlock (the key is not known
    here): the flag `reseal_pending` asks for it.
    """
    conn.execute("ALTER TABLE dossiers ADD COLUMN citizen_id_sealed TEXT NOT NULL DEFAULT ''")
    conn.execute("ALTER TABLE dossiers ADD COLUMN phone_sealed TEXT NOT NULL DEFAULT ''")
    if conn.execute("SELECT count(*) FROM dossiers").fetchone()[0]:
        conn.execute("INSERT INTO settings(key, value) VALUES ('reseal_pending', 'true')")


def m006_sealed_event_notes(conn: sqlite3.Connection) -> None:
    """The reasons of status changes are sealed like other personal fields.

    As in m005, the key is not known here: `reseal_pending` has them sealed at the next
    unlock. The schema does not change.
    """
    if conn.execute("SELECT count(*) FROM dossier_events WHERE note != ''").fetchone()[0]:
        conn.execute(
            "INSERT INTO settings(key, value) VALUES ('reseal_pending', 'true') "
            "ON CONFLICT(key) DO NOTHING"
        )


def m007_center_deliveries(conn: sqlite3.Connection) -> None:
    """A center: the deliveries to the center stream beside the portal's (the outbox), a
    station-independent identity for tickets, what this replica applied; pulled changes
    that wait for a local change to be sent first. Written to run again harmlessly (a store
    whose version was set back by hand, as tests of older stores do)."""
    conn.executescript(
        """
        CREATE TABLE IF NOT EXISTS center_outbox (
            seq INTEGER PRIMARY KEY AUTOINCREMENT,
            idem_key TEXT NOT NULL UNIQUE,
            entity TEXT NOT NULL, entity_id TEXT NOT NULL, op TEXT NOT NULL,
            payload TEXT NOT NULL, created_at TEXT NOT NULL,
            state TEXT NOT NULL DEFAULT 'waiting', published_at TEXT);
        CREATE INDEX IF NOT EXISTS center_outbox_waiting ON center_outbox(state, seq);
        CREATE TABLE IF NOT EXISTS center_applied (
            idem_key TEXT PRIMARY KEY, stream_seq INTEGER NOT NULL, applied_at TEXT NOT NULL);
        CREATE TABLE IF NOT EXISTS sync_held (
            id INTEGER PRIMARY KEY AUTOINCREMENT, entity_id TEXT NOT NULL,
            change TEXT NOT NULL, held_at TEXT NOT NULL);
        """
    )
    columns = {row[1] for row in conn.execute("PRAGMA table_info(tickets)").fetchall()}
    if "uid" not in columns:
        conn.execute("ALTER TABLE tickets ADD COLUMN uid TEXT")
    conn.execute("UPDATE tickets SET uid = station_id || '#' || id WHERE uid IS NULL")
    conn.execute("CREATE UNIQUE INDEX IF NOT EXISTS tickets_by_uid ON tickets(uid)")


def m008_queue_calls_and_pauses(conn: sqlite3.Connection) -> None:
    """Transfers to a named counter or clerk, calls out of turn with their reason, and
    counter pauses with their times (for the board and the pause minutes in reports).
    Safe to run again over its own result, as m007 (a store set back to an older version)."""
    columns = {row[1] for row in conn.execute("PRAGMA table_info(tickets)").fetchall()}
    for name, kind in (
        ("target_counter", "INTEGER"),
        ("target_clerk", "TEXT NOT NULL DEFAULT ''"),
        ("reserved_at", "TEXT"),
        ("call_reason", "TEXT NOT NULL DEFAULT ''"),
        ("call_note", "TEXT NOT NULL DEFAULT ''"),
    ):
        if name not in columns:
            conn.execute(f"ALTER TABLE tickets ADD COLUMN {name} {kind}")
    conn.executescript(
        """
        CREATE TABLE IF NOT EXISTS counter_pauses (
            id INTEGER PRIMARY KEY, uid TEXT NOT NULL UNIQUE, counter INTEGER NOT NULL,
            reason TEXT NOT NULL, started_at TEXT NOT NULL, ended_at TEXT,
            actor TEXT NOT NULL);
        CREATE INDEX IF NOT EXISTS counter_pauses_by_counter
            ON counter_pauses(counter, started_at);
        """
    )


def m009_code_pool(conn: sqlite3.Connection) -> None:
    """Dossier codes issued by a `motcua` upstream and kept for intake while offline
    (services/code_pool.py), and the codes intake took from the station's reserved offline
    block: one row a code, its day, and whether it is free, used or left unused."""
    conn.executescript(
        """
        CREATE TABLE IF NOT EXISTS code_pool (
            code TEXT PRIMARY KEY,
            day TEXT NOT NULL,
            source TEXT NOT NULL CHECK (source IN ('server', 'offline')),
            state TEXT NOT NULL CHECK (state IN ('free', 'used', 'unused')),
            fetched_at TEXT NOT NULL,
            used_at TEXT);
        CREATE INDEX IF NOT EXISTS code_pool_by_day ON code_pool(day, state, fetched_at);
        """
    )


def m010_account_full_names(conn: sqlite3.Connection) -> None:
    """Accounts gain the officer's full name and title (Họ và tên, Chức danh): every printed
    form names the officer who received a dossier, not their login. Empty for older
    accounts until an admin fills them (forms then fall back to the login). Written to run
    again harmlessly, as m007 and m008."""
    columns = {row[1] for row in conn.execute("PRAGMA table_info(users)").fetchall()}
    for column in ("full_name", "title"):
        if column not in columns:
            conn.execute(f"ALTER TABLE users ADD COLUMN {column} TEXT NOT NULL DEFAULT ''")


def m011_papers(conn: sqlite3.Connection) -> None:
    """Papers digitised for a dossier (at intake) or returned with its result: one row a
    file, its bytes sealed in the papers folder beside the store (store/paper_files.py),
    never here. A paper scanned again replaces the row's place (`removed_at` on the old),
    so the portal can be told of the removal too."""
    conn.executescript(
        """
        CREATE TABLE IF NOT EXISTS papers (
            paper_id TEXT PRIMARY KEY,
            dossier_code TEXT NOT NULL,
            paper_no INTEGER NOT NULL CHECK (paper_no >= 1),
            kind TEXT NOT NULL CHECK (kind IN ('intake', 'result')),
            title TEXT NOT NULL,
            sha256 TEXT NOT NULL,
            size INTEGER NOT NULL,
            pages INTEGER NOT NULL,
            added_at TEXT NOT NULL,
            added_by TEXT NOT NULL,
            station_id TEXT NOT NULL,
            removed_at TEXT,
            removed_by TEXT);
        CREATE INDEX IF NOT EXISTS papers_by_dossier ON papers(dossier_code, kind, paper_no);
        CREATE INDEX IF NOT EXISTS papers_by_day ON papers(added_at);
        """
    )


def m012_paper_uploads(conn: sqlite3.Connection) -> None:
    """Which paper files an upstream holds: its id (and link) for each paper and destination,
    written in the transaction that learns it, so a file goes up once across kills and
    retries (sync/dialects/paper_upload.py)."""
    conn.executescript(
        """
        CREATE TABLE IF NOT EXISTS paper_uploads (
            paper_id TEXT NOT NULL,
            destination TEXT NOT NULL,
            upstream_id TEXT NOT NULL,
            link TEXT NOT NULL,
            sha256 TEXT NOT NULL,
            uploaded_at TEXT NOT NULL,
            PRIMARY KEY (paper_id, destination));
        """
    )


def m013_online_dossiers(conn: sqlite3.Connection) -> None:
    """Online dossiers taken in from the upstream's inbox (issue 18): the upstream's code
    beside the local dossier, the submission round (LanNop), the citizen's notice channel
    and whether a clerk still has to check it. No personal data here: the citizen's fields
    live sealed in `dossiers` like any other dossier's."""
    conn.executescript(
        """
        CREATE TABLE IF NOT EXISTS online_dossiers (
            upstream_code TEXT PRIMARY KEY,
            dossier_code TEXT NOT NULL UNIQUE,
            round INTEGER NOT NULL CHECK (round >= 1),
            submitted_at TEXT NOT NULL,
            notify_email INTEGER NOT NULL DEFAULT 0,
            notify_sms INTEGER NOT NULL DEFAULT 0,
            waiting INTEGER NOT NULL DEFAULT 1,
            taken_at TEXT NOT NULL,
            decided_at TEXT,
            decided_by TEXT NOT NULL DEFAULT '',
            station_id TEXT NOT NULL);
        CREATE INDEX IF NOT EXISTS online_waiting ON online_dossiers(waiting, submitted_at);
        """
    )


def m014_name_index_merges_off_the_commit(conn: sqlite3.Connection) -> None:
    """FTS5 merges its index segments inside the writing transaction by default: 400 pages
    in one intake commit at 300,000 dossiers. Merges now run in small steps when the store
    is quiet (store/upkeep.py); FTS5 keeps this setting in the index itself."""
    conn.execute("INSERT INTO dossiers_fts(dossiers_fts, rank) VALUES ('automerge', 0)")


def m015_name_pair_tokens(conn: sqlite3.Connection) -> None:
    """Name search drives from keyed tokens of pairs of words (core/crypto.py name_tokens):
    an older store's rows lack them, and the index key is not known here. The flag asks the
    store, once unlocked, to rebuild every row's tokens on its upkeep thread, in batches
    (store/name_rebuild.py); until then a search uses single words' tokens, as before."""
    if conn.execute("SELECT 1 FROM dossiers LIMIT 1").fetchone():
        conn.execute(
            "INSERT OR REPLACE INTO settings(key, value) VALUES ('name_pairs_pending', 'true')"
        )


MIGRATIONS: tuple[Migration, ...] = (
    m001_initial,
    m002_dossier_name_search,
    m003_sync_state,
    m004_accounts_and_ratings,
    m005_sealed_personal_fields,
    m006_sealed_event_notes,
    m007_center_deliveries,
    m008_queue_calls_and_pauses,
    m009_code_pool,
    m010_account_full_names,
    m011_papers,
    m012_paper_uploads,
    m013_online_dossiers,
    m014_name_index_merges_off_the_commit,
    m015_name_pair_tokens,
)


def schema_version(conn: sqlite3.Connection) -> int:
    return conn.execute("PRAGMA user_version").fetchone()[0]


def migrate(conn: sqlite3.Connection, *, upto: int | None = None) -> int:
    """Apply the migrations not yet applied (up to `upto`, for tests); return the version."""
    target = len(MIGRATIONS) if upto is None else upto
    version = schema_version(conn)
    while version < target:
        conn.execute("BEGIN IMMEDIATE")
        try:
            version = schema_version(conn)  # another process may have migrated meanwhile
            if version >= target:
                conn.execute("ROLLBACK")
                break
            # executescript would COMMIT first; run the statements one by one instead.
            _run_in_transaction(conn, MIGRATIONS[version])
            conn.execute(f"PRAGMA user_version = {version + 1}")
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")
        version += 1
    return version


def _run_in_transaction(conn: sqlite3.Connection, migration: Migration) -> None:
    migration(_NoCommitConnection(conn))  # type: ignore[arg-type]


class _NoCommitConnection:
    """Lets a migration write `executescript` while keeping it inside our transaction."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self._conn = conn

    def executescript(self, script: str) -> None:
        for statement in _split_statements(script):
            self._conn.execute(statement)

    def execute(self, sql: str, params: tuple = ()) -> sqlite3.Cursor:
        return self._conn.execute(sql, params)


def _split_statements(script: str) -> list[str]:
    statements, buffer = [], ""
    for line in script.splitlines(keepends=True):
        buffer += line
        if sqlite3.complete_statement(buffer):
            statements.append(buffer.strip())
            buffer = ""
    if buffer.strip():
        statements.append(buffer.strip())
    return statements
