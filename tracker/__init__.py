"""claimtrack: benchmark claims from ML abstracts, stored in DuckDB, served as leaderboards."""

__version__ = "0.1.0"
