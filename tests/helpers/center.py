"""What the center tests share: a hub running under `hub start` (real nats-server), and a
station's own NATS credentials read from its store, as a thief of its data folder would."""

from __future__ import annotations

import pytest

from counter_app.center.lab import Center
from counter_app.center.link import link_settings
from counter_app.store import open_store


def receive_args(name: str) -> tuple[str, ...]:
    """A birth registration received at a counter of the center tests, for `name`."""
    return ("dossier", "receive", "--documents", "all", "--procedure", "1.001193",
            "--name", name, "--citizen-id", "001190012345", "--phone", "0912345678",
            "--address", "Thôn 3, xã Tân Lập")  # fmt: skip


@pytest.fixture
def center(tmp_path):
    """A center of real processes: a hub (nats-server under `hub start`) in tmp_path, its
    stations joined by the test (counter_app/center/lab.py)."""
    c = Center(tmp_path)
    c.start_hub()
    yield c
    c.close()


@pytest.fixture
def short_lease(monkeypatch) -> int:
    """A claim lease of 8 seconds (30 in use) for every station process the test starts
    from here on (list it before `center`): for the tests that wait a lease out."""
    seconds = 8
    monkeypatch.setenv("COUNTER_APP_CLAIM_LEASE", str(seconds))
    return seconds


def credentials(folder) -> dict:
    store = open_store(folder)
    try:
        return link_settings(store)
    finally:
        store.close()
