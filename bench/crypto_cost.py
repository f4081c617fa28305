"""The price of sealing personal data: receiving a dossier and searching by name, with the
store's real keys against the same operations with sealing switched off (target: 1.3x).

Both stores are built the same way in the same run (20,000 dossiers loaded first, so a
name search returns a realistic page); "clear" replaces the field crypto by one that stores
values as they are, so only the encryption differs.
"""

from __future__ import annotations

import os
import statistics
import tempfile
import time
from datetime import date, datetime, timedelta
from pathlib import Path

from counter_app.core.crypto import FieldCrypto
from counter_app.core.text import fold


class ClearCrypto(FieldCrypto):
    """FieldCrypto with no secrecy, the baseline: values stored as they are, tokens in
    clear. Its name tokens and queries are FieldCrypto's own (prefixes, pairs of words), so
    the two sides search the same way whatever the search does."""

    def __init__(self) -> None:
        super().__init__("clear", {}, b"")

    def seal(self, value: str, aad: str) -> str:
        return value

    def open(self, token: str | None, aad: str) -> str:
        return token or ""

    def open_many(self, fields: list[tuple[str | None, str]]) -> list[str]:
        return [token or "" for token, _ in fields]

    def blind_index(self, kind: str, value: str) -> str:
        return value

    def _token(self, prefix: str) -> str:
        return prefix.replace(" ", "0")  # a pair "nguyen thi": one token, no word has a digit


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


BULK = 20_000  # dossiers already in the store, so searches return realistic pages


def _preload(store, ctx, rng, count: int) -> None:
    """Dossiers written through the repository in one transaction (sealed or clear)."""
    from counter_app.core.dossier import Applicant, Dossier, DossierStatus
    from counter_app.services.demo_people import person

    at = ctx.now() - timedelta(days=30)
    with store.transaction():
        for n in range(1, count + 1):
            p = person(rng, at.date())
            store.dossiers.insert(
                Dossier(
                    code=f"000.00.01.H22-260330-{n % 10000:04d}-{n}",
                    procedure_code="1.001193",
                    procedure_name="Thủ tục đăng ký khai sinh",
                    status=DossierStatus.RETURNED,
                    applicant=Applicant(p.full_name, p.citizen_id, p.phone, p.address),
                    received_at=at,
                    due_at=at,
                    updated_at=at,
                ),
                station_id="bench",
            )


def _measure(folder: Path, durable: bool, rounds: int) -> dict:
    """Both stores side by side; each round times the sealed and the clear operation in turn,
    so drift in the machine's load falls on both alike."""
    import random

    from counter_app.services import dossiers
    from counter_app.services.demo_people import person

    rng = random.Random(7)
    sides = {}
    for name, clear in (("sealed", False), ("clear", True)):
        store, ctx, clock = _store(folder / name, clear, durable)
        _preload(store, ctx, random.Random(11), BULK)
        sides[name] = (store, ctx, clock)
    times = {f"{op}_{name}": [] for op in ("receive", "search") for name in sides}
    for _ in range(rounds):
        someone = person(rng, date(2026, 4, 29))
        applicant = someone.typed
        for name, (store, ctx, clock) in sides.items():
            clock[0] += timedelta(seconds=30)
            t0 = time.perf_counter()
            dossiers.receive_dossier(ctx, procedure_code="1.001193", applicant=applicant)
            times[f"receive_{name}"].append((time.perf_counter() - t0) * 1000)
            t0 = time.perf_counter()
            found = store.dossiers.by_name(fold(someone.full_name), 50)
            times[f"search_{name}"].append((time.perf_counter() - t0) * 1000)
            assert found, "the name search must find the person"
    for store, _, _ in sides.values():
        store.close()
    medians = {key: statistics.median(values) for key, values in times.items()}
    return {
        "receive_sealed_ms": round(medians["receive_sealed"], 3),
        "receive_clear_ms": round(medians["receive_clear"], 3),
        "receive_ratio": round(medians["receive_sealed"] / medians["receive_clear"], 2),
        "search_sealed_ms": round(medians["search_sealed"], 3),
        "search_clear_ms": round(medians["search_clear"], 3),
        "search_ratio": round(medians["search_sealed"] / medians["search_clear"], 2),
    }


def run(quick: bool = False) -> dict:
    os.environ.setdefault("COUNTER_APP_KEYRING", "off")
    rounds = 100 if quick else 400
    figures: dict = {"name": "crypto_cost", "rounds": rounds, "preloaded": BULK}
    with tempfile.TemporaryDirectory(prefix="counter-crypto-") as tmp:
        for durable in (True, False):
            label = "durable" if durable else "cpu_only"
            figures[label] = _measure(Path(tmp) / label, durable, rounds)
    return figures


if __name__ == "__main__":
    import json
    import sys

    print(json.dumps(run(quick="--quick" in sys.argv), indent=2))
