"""The local SQLite store: migrations, repositories, the outbox and the audit log."""

from counter_app.store.database import STORE_FILE, Store, open_store

__all__ = ["STORE_FILE", "Store", "open_store"]
