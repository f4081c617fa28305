"""The m015 rebuild of the names' tokens runs beside the work, never inside the unlock
(issue 19): in one transaction it held the write lock 34 s at 300,000 dossiers.

An upgraded store is made from the names of test_name_search_pairs (their tokens written as
a store before m015 wrote them); the rebuild then runs in batches of a few rows. What is
checked: the unlock leaves every row as it was; a kill in the middle loses nothing and the
next run goes on from where it was; the result is the tokens and index a full rebuild makes;
a take or a receive waits for one batch at most, and rows written meanwhile keep their own
tokens; searches in the middle find what the rule of name search says.
"""

from __future__ import annotations

import itertools
import signal
import sqlite3
import subprocess
import sys
import time
from dataclasses import replace
from pathlib import Path

import pytest

from counter_app.core.dossier import Applicant
from counter_app.core.roles import Actor, Role
from counter_app.services.dossiers import ApplicantInput, receive_dossier
from counter_app.services.queue import take_ticket
from counter_app.services.search import search_dossiers
from counter_app.services.setup import open_context
from counter_app.store import open_store
from counter_app.store.dossiers import NAME_PAIRS_PENDING
from counter_app.store.name_rebuild import NAME_PAIRS_DONE, NameRebuild
from tests.test_name_search_pairs import NOW, QUERIES, _old_tokens, meant
from tests.test_name_search_pairs import searched as searched  # the fixture

HELPER = Path(__file__).parent / "helpers" / "rebuild_names.py"
ROWS = 12  # per batch: the 162 dossiers take 14 batches


@pytest.fixture
def upgraded(searched) -> Path:
    """The data folder of a store from before m015, migrated again: the flag is set."""
    ctx, _, _ = searched
    store = ctx.store
    with store.transaction():
        for row in store.query("SELECT rowid, code FROM dossiers"):
            name = store.dossiers.get(row["code"]).applicant.full_name
            store.conn.execute(
                "UPDATE dossiers SET name_folded = ? WHERE rowid = ?",
                (_old_tokens(store.crypto, name), row["rowid"]),
            )
        store.conn.execute("PRAGMA user_version = 14")
    store.close()
    data = store.path.parent
    open_store(data).close()  # m015, nothing unlocked
    return data


def _names(store) -> dict[int, str]:
    rows = store.query("SELECT rowid, code FROM dossiers")
    return {r["rowid"]: store.dossiers.get(r["code"]).applicant.full_name for r in rows}


def _old_rows(store) -> set[int]:
    crypto = store.crypto
    rows = store.query("SELECT rowid, code, name_folded FROM dossiers")
    names = _names(store)
    return {r["rowid"] for r in rows if r["name_folded"] == _old_tokens(crypto, names[r[0]])}


def _found(ctx, query: str) -> list[str]:
    return sorted(d.applicant.full_name for d in search_dossiers(ctx, query, limit=500))


def _clerk(store):
    return open_context(store, clock=lambda: NOW, actor=Actor("canbo1", Role.CLERK))


def assert_rebuilt(store, queries) -> None:
    """What a full rebuild makes: every row's tokens from its name, an index holding exactly
    the rows' tokens (each token matches the rows that hold it), the flag gone."""
    assert store.settings.get(NAME_PAIRS_PENDING) is None
    assert store.settings.get(NAME_PAIRS_DONE) is None
    names, crypto = _names(store), store.crypto
    holders: dict[str, set[int]] = {}
    for row in store.query("SELECT rowid, name_folded FROM dossiers"):
        assert row["name_folded"] == crypto.name_tokens(names[row["rowid"]])
        for token in row["name_folded"].split():
            holders.setdefault(token, set()).add(row["rowid"])
    store.conn.execute("INSERT INTO dossiers_fts(dossiers_fts, rank) VALUES ('integrity-check', 1)")
    for token, rows in holders.items():
        matched = store.query("SELECT rowid FROM dossiers_fts WHERE dossiers_fts MATCH ?", (token,))
        assert {r[0] for r in matched} == rows
    ctx = _clerk(store)
    assert store.dossiers.pairs_ready()
    for query in queries:
        assert _found(ctx, query) == sorted(n for n in names.values() if meant(query, n)), query


def test_the_unlock_leaves_the_rebuild_to_the_upkeep_thread(upgraded) -> None:
    store = open_store(upgraded)
    try:
        store.upkeep.quiet = 3600  # no quiet moment yet: only the unlock's own work
        store.upkeep.batch_rows = ROWS
        count = store.dossiers.count()
        assert store.crypto is not None  # the unlock, outside any transaction
        assert store.settings.get(NAME_PAIRS_PENDING) is True
        assert store.settings.get(NAME_PAIRS_DONE) is None
        assert len(_old_rows(store)) == count  # no row rebuilt inside the unlock
        store.upkeep.quiet = 0.01
        assert store.upkeep.wait_idle()
        batches = store.upkeep.name_batches
        assert len(batches) >= count / ROWS and max(b.rows for b in batches) <= ROWS
        assert batches[-1].finished and not any(b.finished for b in batches[:-1])
        assert_rebuilt(store, QUERIES)
    finally:
        store.close()


def test_a_locked_store_is_not_rebuilt(upgraded) -> None:
    store = open_store(upgraded)
    try:
        store.upkeep.quiet = 0.01
        with store.transaction():  # a write that needs no keys
            store.settings.set("display_theme", "light")
        assert store.upkeep.wait_idle()  # its thread ran (a checkpoint), without the keys
        assert store.upkeep.checkpoints >= 1 and store.upkeep.name_batches == []
        assert store.settings.get(NAME_PAIRS_PENDING) is True
        assert store.settings.get(NAME_PAIRS_DONE) is None
    finally:
        store.close()


def test_a_store_that_cannot_be_written_is_not_rebuilt(upgraded) -> None:
    """A store file the system will not let this process write (made immutable here: root
    writes through file modes) is opened read-only by SQLite: the rebuild gives up at its
    first write, instead of trying again at every quiet second."""
    path = upgraded / "counter.db"
    if subprocess.run(["chattr", "+i", str(path)], capture_output=True).returncode != 0:
        pytest.skip("chattr +i is not allowed here")
    try:
        store = open_store(upgraded)
        try:
            store.upkeep.quiet = 0.01
            assert store.crypto is not None and store.upkeep.rebuilding
            assert store.upkeep.wait_idle()
            assert not store.upkeep.rebuilding and store.upkeep.name_batches == []
            assert store.settings.get(NAME_PAIRS_PENDING) is True
        finally:
            store.close()
    finally:
        subprocess.run(["chattr", "-i", str(path)], check=True)


def _kill_after(data: Path, batches: int) -> str:
    """Run the child until it has committed `batches` batches, then SIGKILL it; the line it
    printed last."""
    child = subprocess.Popen(
        [sys.executable, str(HELPER), str(data), str(ROWS)], stdout=subprocess.PIPE, text=True
    )
    line = ""
    for line in child.stdout:
        if line.strip() in (f"batch {batches}", "done"):
            break
    child.send_signal(signal.SIGKILL)
    child.wait(timeout=30)
    child.stdout.close()
    return line.strip()


def test_a_rebuild_killed_in_the_middle_goes_on_from_where_it_was(upgraded) -> None:
    positions = []
    for _ in range(3):
        assert _kill_after(upgraded, 2) == "batch 2"
        store = open_store(upgraded)
        try:
            assert store.settings.get(NAME_PAIRS_PENDING) is True
            done = store.settings.get(NAME_PAIRS_DONE)
            old = _old_rows(store)
            # A batch's rows and the position are written together: none half done.
            assert old == {r[0] for r in store.query("SELECT rowid FROM dossiers")} - set(
                range(done + 1)
            )
            assert store.integrity_check() == "ok"
        finally:
            store.close()
        positions.append(done)
    assert positions == sorted(positions) and len(set(positions)) == 3  # never from the start
    store = open_store(upgraded)
    try:
        store.upkeep.quiet = 0.01
        _ = store.crypto
        assert store.upkeep.wait_idle()
        assert_rebuilt(store, QUERIES)
    finally:
        store.close()


def test_searches_and_writes_between_batches_find_what_the_rule_says(upgraded) -> None:
    """Each batch is planned, then a clerk renames a dossier of that very batch (its tokens
    made by the write), then every query is compared with a reading of the rule, then the
    batch is written: the renamed row keeps its own tokens."""
    store = open_store(upgraded)
    store.upkeep.stop()  # the batches are run here, one by one
    rebuild = NameRebuild(store.crypto, max_rows=ROWS)
    conn = sqlite3.connect(store.path, isolation_level=None)
    renamed = []
    try:
        ctx = _clerk(store)
        while (plan := rebuild.plan(conn)) is not None:
            rowid = plan.changes[0][1]
            code = store.query_one("SELECT code FROM dossiers WHERE rowid = ?", (rowid,))[0]
            dossier = store.dossiers.get(code)
            name = f"Khổng Minh Khôi {len(renamed)}"
            with store.transaction():
                store.dossiers.update(replace(dossier, applicant=Applicant(name)))
            renamed.append(code)
            names = _names(store).values()
            for query in (*QUERIES, "khong khoi", "khoi minh"):
                assert _found(ctx, query) == sorted(n for n in names if meant(query, n)), query
            assert rebuild.write(conn, plan) is not None
        assert len(renamed) >= 162 / ROWS
        assert_rebuilt(store, (*QUERIES, "khong khoi minh", "minh khoi"))
    finally:
        conn.close()
        store.close()


def test_a_take_or_a_receive_waits_for_one_batch_at_most(upgraded) -> None:
    """The rebuild runs in the clerk's window (its upkeep thread); the kiosk and a second
    window are other connections. Their writes may find a batch holding the lock, and get
    it when that batch ends: the batches committed while one waits in BEGIN IMMEDIATE (from
    its start to the next statement, SQLite's trace) are counted. Their rows come out with
    their own tokens, a dossier renamed ahead of the rebuild too."""
    window = open_store(upgraded)
    others = open_store(upgraded)
    try:
        others.upkeep.quiet = 3600  # this one takes part in nothing but its own writes
        kiosk = open_context(others, clock=lambda: NOW, actor=Actor("kiosk", Role.VOLUNTEER))
        clerk = _clerk(others)
        last = others.query_one("SELECT code FROM dossiers ORDER BY rowid DESC LIMIT 1")[0]
        window.upkeep.quiet = 0.01
        window.upkeep.batch_rows = ROWS // 2
        batches = window.upkeep.name_batches
        statements: list[tuple[str, int]] = []
        others.conn.set_trace_callback(lambda sql: statements.append((sql, len(batches))))
        _ = window.crypto
        received = []
        while window.upkeep.rebuilding:
            seen = len(batches)
            while len(batches) == seen and window.upkeep.rebuilding:
                time.sleep(0.001)  # until the next batch is committed
            time.sleep(len(received) % 8 * 0.004)  # then at another moment of the next one
            if len(received) == 1:
                with others.transaction():
                    renamed = others.dossiers.get(last)
                    others.dossiers.update(replace(renamed, applicant=Applicant("Tạ Thị Nhung")))
            take_ticket(kiosk, group="A")
            dossier = receive_dossier(
                clerk, procedure_code="1.001193", applicant=ApplicantInput("Tạ Đình Phong")
            )
            received.append(dossier.code)
        others.conn.set_trace_callback(None)
        waits = [
            after - before
            for (sql, before), (_, after) in itertools.pairwise(statements)
            if sql == "BEGIN IMMEDIATE"
        ]
        # The batch under way (and the one just before it, were it not yet counted).
        assert max(waits) <= 2, waits
        assert len(received) >= 5
        assert window.upkeep.wait_idle()
        assert_rebuilt(window, (*QUERIES, "ta dinh phong", "nhung ta"))
        found = {d.code for d in search_dossiers(_clerk(window), "phong dinh ta", limit=500)}
        assert found == set(received)
        assert [d.code for d in search_dossiers(_clerk(window), "ta thi nhung")] == [last]
    finally:
        others.close()
        window.close()


def test_two_stores_of_one_process_share_the_rows_between_them(upgraded) -> None:
    """The window and its background worker each open the store: each row's tokens are made
    once, by one or the other."""
    stores = [open_store(upgraded), open_store(upgraded)]
    try:
        count = stores[0].dossiers.count()
        for store in stores:
            store.upkeep.quiet = 0.01
            store.upkeep.batch_rows = ROWS
            _ = store.crypto
        assert all(store.upkeep.wait_idle() for store in stores)
        assert sum(b.written for s in stores for b in s.upkeep.name_batches) == count
        assert all(store.upkeep.name_batches for store in stores)  # both took part
        assert_rebuilt(stores[0], QUERIES)
    finally:
        for store in stores:
            store.close()
