"""The local SQLite store: migrations, repositories, the outbox and the audit log."""

from counter_app.store.database import Store, open_store

__all__ = ["Store", "open_store"]
