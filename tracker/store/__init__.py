"""DuckDB store: schema (`sql/*.sql`), writes (`store.py`), read queries (`queries.py`), user SQL (`safe_sql.py`)."""

from tracker.store.store import Store, StoreError, connect_readonly

__all__ = ["Store", "StoreError", "connect_readonly"]
