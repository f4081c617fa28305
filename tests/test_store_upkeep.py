"""Checkpoints and name-index merges run beside the commits, never inside one (issue 19).

Nothing here is timed: each test looks at what the WAL and the FTS5 index hold. A commit
must leave the WAL's backlog and the index's small segments alone; the upkeep thread must
fold them in once the store is quiet, and keep the WAL bounded when it never is.
"""

from __future__ import annotations

import time

from counter_app.services.dossiers import ApplicantInput, receive_dossier
from counter_app.services.search import search_dossiers

NAMES = ("Nguyễn Văn An", "Trần Thị Bích", "Lê Hoàng Cường", "Phạm Thu Dung", "Võ Minh Em")


def _write(store, rows: int, size: int = 3000) -> None:
    """`rows` commits of about a page each, through the store's one transaction path."""
    store.conn.execute("CREATE TABLE IF NOT EXISTS filler (id INTEGER PRIMARY KEY, blob)")
    for _ in range(rows):
        with store.transaction():
            store.conn.execute("INSERT INTO filler(blob) VALUES (randomblob(?))", (size,))


def _segments(store) -> int:
    return store.query_one("SELECT count(DISTINCT segid) FROM dossiers_fts_idx")[0]


def _receive(ctx, clock, name: str):
    clock.now = clock.now.replace(minute=clock.now.minute + 1)
    return receive_dossier(ctx, procedure_code="1.001193", applicant=ApplicantInput(name))


def _wal_frames(store) -> int:
    """The WAL file's length in frames: its high-water mark (SQLite reuses it from the start
    after a complete checkpoint, and never shrinks it here)."""
    wal = store.path.with_name(store.path.name + "-wal")
    return wal.stat().st_size // (4096 + 24) if wal.exists() else 0


def test_a_commit_never_checkpoints(store, station) -> None:
    store.upkeep.stop()  # no thread: only what the commits themselves do
    _write(store, 1500)  # past SQLite's default automatic checkpoint (1000 pages)
    assert _wal_frames(store) > 1200


def test_a_quiet_store_is_checkpointed(store, station) -> None:
    store.upkeep.quiet = 0.05
    _write(store, 50)
    assert store.upkeep.wait_idle()
    assert store.upkeep.checkpoints >= 1
    busy, frames, done = store.upkeep.last_checkpoint
    assert frames >= 50 and done == frames  # every frame copied into the database


def test_a_store_never_quiet_keeps_its_wal_bounded(store) -> None:
    store.upkeep.quiet = 3600  # never a quiet second: only the count of commits checkpoints
    store.upkeep.busy_commits = 50
    for _ in range(16):  # 800 commits of a page or two, as bursts of a busy morning
        done = store.upkeep.checkpoints
        _write(store, 50)
        deadline = time.monotonic() + 30  # the gap between two citizens, however short
        while store.upkeep.checkpoints == done and time.monotonic() < deadline:
            time.sleep(0.01)
    assert store.upkeep.checkpoints >= 15
    assert _wal_frames(store) < 700  # reused from its start, not grown to 1,600


def test_no_commit_merges_the_name_index(store) -> None:
    """FTS5 keeps the setting in the index: it holds for stores made before it too (m014)."""
    row = store.query_one("SELECT v FROM dossiers_fts_config WHERE k = 'automerge'")
    assert row is not None and row[0] == 0


def test_the_name_index_is_merged_when_quiet_and_finds_every_new_dossier(store, ctx, clock) -> None:
    store.upkeep.quiet = 3600  # a busy morning: no merge yet
    before = _segments(store)
    received = []
    for name in NAMES * 2:
        dossier = _receive(ctx, clock, name)
        received.append(dossier)
        found = search_dossiers(ctx, name)  # found at once, before any merge
        assert dossier.code in [d.code for d in found]
    assert _segments(store) >= before + len(received)  # one segment per commit, unmerged
    store.upkeep.quiet = 0.05
    store.upkeep.committed()  # the thread sees the quiet that follows
    assert store.upkeep.wait_idle()
    assert store.upkeep.merge_steps >= 1
    assert _segments(store) == 1  # past MAX_SEGMENTS: folded into one
    store.conn.execute("INSERT INTO dossiers_fts(dossiers_fts) VALUES ('integrity-check')")
    for dossier in received:
        found = search_dossiers(ctx, dossier.applicant.full_name)
        assert dossier.code in [d.code for d in found]


def test_closing_stops_the_thread_and_checkpoints(tmp_path) -> None:
    from counter_app.store import open_store

    store = open_store(tmp_path / "data")
    store.upkeep.quiet = 3600
    _write(store, 30)
    thread = store.upkeep._thread
    assert thread is not None and thread.is_alive()
    store.close()
    assert not thread.is_alive()
    reopened = open_store(tmp_path / "data")
    try:
        assert reopened.query_one("SELECT count(*) FROM filler")[0] == 30
    finally:
        reopened.close()
