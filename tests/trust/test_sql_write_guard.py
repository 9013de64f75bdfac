"""`tracker sql --write` cannot corrupt the store (issue 16, section 5), and a file whose schema was
changed by other means is refused at open with exactly what differs.

The write-attack corpus: statements an administrator (or a hostile colleague) may run with `--write`
that would change the schema the store owns — ALTER/DROP/RENAME of its tables, CREATE OR REPLACE of its
tables and views, any macro (one that shadows a built-in first of all), hidden in quoting, schema
qualification, multi-statement text or transactions. Each is refused with one line, nothing is changed,
and the leaderboards read the same afterwards. Writes of plain data and of the user's own tables pass.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pytest

from conftest import FIXTURES, assert_one_line_error, run_tracker
from test_sql_escape import snapshot_in_subprocess

# (name, statement(s), words the refusal names)
WRITE_ATTACKS: list[tuple[str, str, str]] = [
    ("macro shadowing a built-in", "CREATE MACRO lower(x) AS 'pwned'", "shadows the built-in function lower"),
    ("CREATE FUNCTION shadowing a built-in", "CREATE FUNCTION round(a) AS a", "shadows the built-in function round"),
    ("macro shadowing, upper case name", 'CREATE MACRO "LOWER"(x) AS 1', "shadows the built-in"),
    ("CREATE OR REPLACE MACRO", "CREATE OR REPLACE MACRO abs(x) AS 0", "shadows the built-in function abs"),
    ("any macro at all", "CREATE MACRO plus_one(x) AS x + 1", "macro plus_one is not claimtrack's"),
    ("table macro", "CREATE MACRO tm() AS TABLE SELECT 1 AS x", "macro tm"),
    ("temporary macro", "CREATE TEMP MACRO lower(x) AS 'pwned'", "temporary macro lower"),
    ("replace one of the store's macros", "CREATE OR REPLACE MACRO pwc_agree(a, a_si, b, b_si) AS true",
     "macro pwc_agree is not claimtrack's (it was replaced"),
    ("temporary macro named like the store's", "CREATE TEMP MACRO pwc_decimals(v) AS 0", "temporary macro pwc_decimals"),
    ("macro behind a harmless select", "SELECT 1; CREATE MACRO upper(x) AS x", "shadows the built-in function upper"),
    ("a temporary macro with a store macro's name", "CREATE TEMP MACRO pwc_title_key(t) AS 'x'", "temporary macro pwc_title_key"),
    ("DROP COLUMN", "ALTER TABLE papers DROP COLUMN url", "table papers: column url VARCHAR is missing"),
    ("ADD COLUMN", "ALTER TABLE claims ADD COLUMN pwned INTEGER", "column pwned INTEGER is not claimtrack's"),
    ("column type", "ALTER TABLE claims ALTER value TYPE VARCHAR", "column value is VARCHAR, claimtrack's is DOUBLE"),
    ("DROP NOT NULL", "ALTER TABLE claims ALTER metric DROP NOT NULL", "column metric may be NULL"),
    ("RENAME COLUMN", "ALTER TABLE papers RENAME COLUMN title TO name", "column title VARCHAR is missing"),
    ("RENAME TABLE", "ALTER TABLE papers RENAME TO papers_old", "table papers is missing"),
    ("RENAME, quoted and qualified", 'ALTER TABLE main."claims" RENAME TO c2', "table claims is missing"),
    ("DROP TABLE", "DROP TABLE metrics", "table metrics is missing"),
    ("DROP TABLE CASCADE", "DROP TABLE claims CASCADE", "table claims is missing"),
    ("DROP reviews", "DROP TABLE reviews CASCADE", "table reviews is missing"),
    ("CREATE OR REPLACE TABLE", "CREATE OR REPLACE TABLE units AS SELECT 'x' AS unit", "table units"),
    ("CREATE OR REPLACE VIEW", "CREATE OR REPLACE VIEW leaderboard AS SELECT 1 AS rank", "view leaderboard is not claimtrack's"),
    ("replace the view every board reads", "CREATE OR REPLACE VIEW claims_effective AS SELECT * FROM claims WHERE false",
     "view claims_effective is not claimtrack's"),
    ("DROP VIEW", "DROP VIEW review_resolution CASCADE", "view review_resolution is missing"),
    ("view replaced by a table", "DROP VIEW leaderboard; CREATE TABLE leaderboard AS SELECT 1 AS rank",
     "leaderboard is a table"),
    ("damage after a good statement", "UPDATE claims SET model = model; ALTER TABLE papers DROP COLUMN source",
     "column source VARCHAR is missing"),
    ("transaction control", "BEGIN; DROP TABLE claims; COMMIT", "no BEGIN/COMMIT/ROLLBACK"),
    ("COMMIT alone", "COMMIT", "no BEGIN/COMMIT/ROLLBACK"),
]

# (name, statement): writes that leave the store's schema as it is
ALLOWED_WRITES = [
    ("update data", "UPDATE claims SET conditions = 'checked' WHERE claim_id = (SELECT min(claim_id) FROM claims)"),
    ("own table", "CREATE TABLE my_notes AS SELECT paper_id, 'todo' AS note FROM papers"),
    ("own view", "CREATE VIEW my_view AS SELECT count(*) AS n FROM claims"),
    ("drop own table", "DROP TABLE my_notes"),
]


@pytest.fixture(scope="module")
def write_db(tmp_path_factory) -> dict:
    db = tmp_path_factory.mktemp("write_guard") / "w.duckdb"
    proc = run_tracker("load", FIXTURES / "good.jsonl", "--db", db)
    assert proc.returncode == 0, proc.stderr[-3000:]
    return {"db": db, "before": snapshot_in_subprocess(db)}


def test_write_corpus_is_large_and_distinct():
    assert len(WRITE_ATTACKS) >= 25
    assert len({s for _, s, _ in WRITE_ATTACKS}) == len(WRITE_ATTACKS)


@pytest.mark.parametrize("sql, said", [(s, w) for _, s, w in WRITE_ATTACKS], ids=[n for n, _, _ in WRITE_ATTACKS])
def test_schema_changing_write_is_refused_and_rolled_back(write_db, sql: str, said: str) -> None:
    from tracker.store.safe_sql import UnsafeSQLError, run_user_sql
    from tracker.store.store import connect_admin

    con = connect_admin(write_db["db"])
    try:
        with pytest.raises(UnsafeSQLError) as ei:
            run_user_sql(con, sql, allow_writes=True)
        msg = str(ei.value)
        assert said.lower() in msg.lower() and "\n" not in msg, msg
        # The connection is usable, with no transaction left open.
        assert con.execute("SELECT count(*) FROM papers").fetchall()[0][0] == 3
    finally:
        con.close()


@pytest.mark.parametrize("sql", [
    "CREATE MACRO lower(x) AS 'pwned'",
    "ALTER TABLE papers DROP COLUMN url",
    "ALTER TABLE papers RENAME TO p",
    "CREATE OR REPLACE VIEW leaderboard AS SELECT 1 AS rank",
], ids=["macro", "drop column", "rename", "replace view"])  # fmt: skip
def test_cli_write_refused_with_one_line(write_db, sql: str) -> None:
    proc = run_tracker("sql", sql, "--write", "--db", write_db["db"], timeout=120)
    line = assert_one_line_error(proc, "refused", "nothing was changed", what=f"tracker sql {sql!r} --write")
    assert "`" not in line  # rolled back: no undo statement to suggest


def test_zz_refused_writes_changed_nothing(write_db) -> None:
    """Runs after the attacks above (definition order): every table holds what it held."""
    assert snapshot_in_subprocess(write_db["db"]) == write_db["before"]


@pytest.mark.parametrize("name, sql", ALLOWED_WRITES, ids=[n for n, _ in ALLOWED_WRITES])
def test_writes_that_keep_the_schema_pass(write_db, tmp_path: Path, name: str, sql: str) -> None:
    db = tmp_path / "a.duckdb"
    shutil.copyfile(write_db["db"], db)
    if name == "drop own table":
        assert run_tracker("sql", ALLOWED_WRITES[1][1], "--write", "--db", db).returncode == 0
    proc = run_tracker("sql", sql, "--write", "--db", db)
    assert proc.returncode == 0, proc.stderr
    assert "warning" not in proc.stderr
    assert run_tracker("load", FIXTURES / "good.jsonl", "--db", db).returncode == 0  # the store still opens


# --- a file whose schema was changed behind claimtrack's back: refused at every writable open ---

# (name, damage done with plain duckdb, words of the one-line refusal, the repair the message suggests)
DAMAGES = [
    ("macro shadowing lower", "CREATE MACRO lower(x) AS 'pwned'", "macro lower shadows the built-in", "DROP MACRO lower"),
    ("store's macro replaced", "CREATE OR REPLACE MACRO pwc_title_key(t) AS 'x'", "macro pwc_title_key is not claimtrack's",
     "DROP MACRO pwc_title_key"),
    ("dropped column", "ALTER TABLE papers DROP COLUMN url", "table papers: column url VARCHAR is missing",
     "ALTER TABLE papers ADD COLUMN url VARCHAR"),
    ("renamed table", "ALTER TABLE papers RENAME TO papers_old", "table papers is missing (renamed?",
     "ALTER TABLE papers_old RENAME TO papers"),
    ("extra column", "ALTER TABLE claims ADD COLUMN pwned INTEGER", "column pwned INTEGER is not claimtrack's",
     "ALTER TABLE claims DROP COLUMN pwned"),
    ("changed type", "ALTER TABLE metrics ALTER higher_is_better TYPE VARCHAR",
     "column higher_is_better is VARCHAR, claimtrack's is BOOLEAN", "ALTER TABLE metrics ALTER higher_is_better TYPE BOOLEAN"),
]


@pytest.mark.parametrize("name, damage, said, repair", DAMAGES, ids=[d[0] for d in DAMAGES])
def test_changed_schema_is_refused_at_open_and_the_suggested_repair_works(write_db, tmp_path: Path, name, damage, said, repair) -> None:
    db = tmp_path / "d.duckdb"
    shutil.copyfile(write_db["db"], db)
    con = duckdb.connect(str(db))
    con.execute(damage)
    con.close()
    proc = run_tracker("load", FIXTURES / "good.jsonl", "--db", db)
    line = assert_one_line_error(proc, said, f"`{repair}`", what=f"load after {damage!r}")
    assert "cannot use this file" in line
    # The repair named in the message, run as the message says (a damaged file opens for it, with a warning).
    proc = run_tracker("sql", repair, "--write", "--db", db)
    assert proc.returncode == 0, proc.stderr
    assert run_tracker("load", FIXTURES / "good.jsonl", "--db", db).returncode == 0
    assert snapshot_in_subprocess(db) == write_db["before"] or name in ("dropped column", "changed type")


def test_reader_opens_a_store_with_its_own_macros(write_db) -> None:
    """The store's SQL defines macros (sql/pwc_tables.sql); those, unchanged, are not a user's macro."""
    proc = run_tracker("sql", "SELECT pwc_agree(0.8428, 0.8428, 84.28, 84.28) AS same", "--db", write_db["db"])
    assert proc.returncode == 0, proc.stderr
    assert "True" in proc.stdout or "true" in proc.stdout
    # a read-only open compares with the store's macros alone: the same ones the whole reference holds
    from tracker.store.store import reference_catalog, reference_macros

    assert sorted(reference_macros().macros) == sorted(reference_catalog().macros) and reference_macros().macros


def test_reader_refuses_a_file_with_a_macro(write_db, tmp_path: Path) -> None:
    db = tmp_path / "m.duckdb"
    shutil.copyfile(write_db["db"], db)
    con = duckdb.connect(str(db))
    con.execute("CREATE MACRO lower(x) AS 'pwned'")
    con.close()
    proc = run_tracker("sql", "SELECT count(*) FROM claims", "--db", db)
    assert_one_line_error(proc, "shadows the built-in function lower", "DROP MACRO lower")


def test_dropped_materialised_table_is_rebuilt_not_refused(write_db, tmp_path: Path) -> None:
    db = tmp_path / "b.duckdb"
    shutil.copyfile(write_db["db"], db)
    con = duckdb.connect(str(db))
    con.execute("DROP TABLE leaderboard_points")
    con.execute("ALTER TABLE leaderboard_best ADD COLUMN junk INTEGER")
    con.close()
    assert run_tracker("load", FIXTURES / "good.jsonl", "--db", db).returncode == 0
    assert snapshot_in_subprocess(db) == write_db["before"]


# --- deleting reviews through SQL ---


def test_sql_delete_of_reviews_warns_that_the_journal_restores_them(write_db, tmp_path: Path) -> None:
    db = tmp_path / "r.duckdb"
    shutil.copyfile(write_db["db"], db)
    claim = run_tracker("sql", "SELECT min(claim_id) FROM claims", "--db", db, "-f", "csv").stdout.splitlines()[1]
    assert run_tracker("review", "reject", claim, "--db", db).returncode == 0
    proc = run_tracker("sql", "DELETE FROM reviews", "--write", "--db", db)
    assert proc.returncode == 0, proc.stderr
    warnings = [x for x in proc.stderr.splitlines() if x.startswith("warning:")]
    assert len(warnings) == 1 and "deleted 1 review(s)" in warnings[0] and "1 came back" in warnings[0], proc.stderr
    assert "tracker review delete" in warnings[0]
    assert run_tracker("sql", "SELECT count(*) FROM reviews", "--db", db, "-f", "csv").stdout.split() == ["count_star()", "1"]
    copy = ("INSERT INTO reviews SELECT * REPLACE (review_id || 'x' AS review_id, seq + 1 AS seq, "
            "json_merge_patch(body, json_object('review_id', review_id || 'x')) AS body) FROM reviews")
    proc = run_tracker("sql", copy, "--write", "--db", db)
    assert proc.returncode == 0 and "added 1 review(s) to the reviews table only" in proc.stderr, proc.stderr
    proc = run_tracker("reviews", "check", "--db", db)
    assert proc.returncode == 1 and "1 review(s) are only in the table" in proc.stdout, proc.stdout
    assert run_tracker("reviews", "check", "--db", db, "--repair").returncode == 0
    assert len(Path(f"{db}.reviews.jsonl").read_text().splitlines()) == 2
