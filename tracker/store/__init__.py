"""DuckDB store: schema (`sql/*.sql`), writes (`store.py`), read queries (`queries.py`), user SQL (`safe_sql.py`)."""

from tracker.store.store import DatabaseLocked, Store, StoreError, connect_readonly

__all__ = ["DatabaseLocked", "Store", "StoreError", "connect_readonly"]
