"""The price of sealing personal data: receiving a dossier and searching by name, with the
store's real keys against the same operations with sealing switched off (target: 1.3x).

Both stores are built the same way in the same run; "clear" replaces the field crypto by one
that stores values as they are, so only the encryption differs.
"""

from __future__ import annotations

import os
import statistics
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path

from counter_app.core.text import fold


class ClearCrypto:
    """Same interface as FieldCrypto, no secrecy: the baseline."""

    key_id = "clear"

    def seal(self, value: str, aad: str) -> str:
        return value

    def open(self, token: str | None, aad: str) -> str:
        return token or ""

    def blind_index(self, kind: str, value: str) -> str:
        return value

    def name_tokens(self, name: str) -> str:
        words = fold(name).split()
        return " ".join(w[:end] for w in words for end in range(min(2, len(w)), len(w) + 1))

    def query_tokens(self, text: str) -> list[str]:
        return fold(text).split()


def _store(folder: Path, clear: bool, durable: bool):
    from counter_app.core.clock import VN_TZ
    from counter_app.core.roles import Actor, Role
    from counter_app.services.context import ServiceContext
    from counter_app.services.setup import initialise_store
    from counter_app.store import open_store

    store = open_store(folder)
    start = datetime(2026, 4, 29, 8, 0, tzinfo=VN_TZ)
    station = initialise_store(
        store, agency_code="000.00.01.H22", center_name="Bench", now=start,
        actor=Actor("admin", Role.ADMIN), data_passphrase="bench-passphrase",
    )  # fmt: skip
    if clear:
        store._crypto = ClearCrypto()
        store._reseal_checked = True
    if not durable:
        store.conn.execute("PRAGMA synchronous=OFF")
    clock = [start]
    return store, ServiceContext(store, lambda: clock[0], station, Actor("c", Role.CLERK)), clock


def _measure(folder: Path, clear: bool, durable: bool, rounds: int) -> dict:
    import random

    from counter_app.services import dossiers
    from counter_app.services.demo_people import make_person

    rng = random.Random(7)
    store, ctx, clock = _store(folder, clear, durable)
    receive, search = [], []
    people = [make_person(rng) for _ in range(rounds)]
    for person in people:
        clock[0] += timedelta(seconds=30)
        applicant = dossiers.ApplicantInput(
            full_name=person.full_name, citizen_id=person.citizen_id, phone=person.phone,
            address=person.address, birth_date=person.birth_date, sex=person.sex,
        )  # fmt: skip
        t0 = time.perf_counter()
        dossiers.receive_dossier(ctx, procedure_code="1.001193", applicant=applicant)
        receive.append((time.perf_counter() - t0) * 1000)
    for person in people:
        t0 = time.perf_counter()
        found = store.dossiers.by_name(fold(person.full_name), 20)
        search.append((time.perf_counter() - t0) * 1000)
        assert found, "the name search must find the person"
    store.close()
    return {"receive_ms": statistics.median(receive), "search_ms": statistics.median(search)}


def run(quick: bool = False) -> dict:
    os.environ.setdefault("COUNTER_APP_KEYRING", "off")
    rounds = 100 if quick else 400
    figures: dict = {"name": "crypto_cost", "rounds": rounds}
    with tempfile.TemporaryDirectory(prefix="counter-crypto-") as tmp:
        for durable in (True, False):
            label = "durable" if durable else "cpu_only"
            sealed = _measure(Path(tmp) / f"sealed-{label}", False, durable, rounds)
            clear = _measure(Path(tmp) / f"clear-{label}", True, durable, rounds)
            figures[label] = {
                "receive_sealed_ms": round(sealed["receive_ms"], 3),
                "receive_clear_ms": round(clear["receive_ms"], 3),
                "receive_ratio": round(sealed["receive_ms"] / clear["receive_ms"], 2),
                "search_sealed_ms": round(sealed["search_ms"], 3),
                "search_clear_ms": round(clear["search_ms"], 3),
                "search_ratio": round(sealed["search_ms"] / clear["search_ms"], 2),
            }
    return figures


if __name__ == "__main__":
    import json
    import sys

    print(json.dumps(run(quick="--quick" in sys.argv), indent=2))
