"""A load killed with SIGKILL at random points never leaves a broken or half-loaded database.

Setup: a small JSONL file is loaded first (a committed earlier load); then `tracker load` of a
few-thousand-record arXiv-snapshot file (built here from the real abstracts, ids varied) is started
and killed with SIGKILL after a delay drawn from fixed seeds. After each kill:
  * the database opens,
  * the earlier load is intact (same papers and claims as before),
  * no paper is half-loaded: each stored paper of the big file has exactly the claims a clean
    reference load gives it, and no claim lacks its paper,
  * running the same `tracker load` again completes it: every table equals the reference.
All loads of this test run one copy of the packages taken at its start (conftest.frozen_code), so an
edit of the working tree during the test cannot make the reference and the reload disagree.
"""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

from conftest import copy_db, frozen_code, load_real_abstracts, run_tracker, stable_rows, tracker_cmd, tracker_env

N_RECORDS = 2000
SEEDS = (11, 22, 33, 44, 55)


def write_small(path: Path, abstracts) -> Path:
    with path.open("w", encoding="utf-8") as fh:
        for k, (title, abstract) in enumerate(abstracts[:20]):
            fh.write(json.dumps({"id": f"small-{k:03d}", "title": title, "abstract": abstract}) + "\n")
    return path


def write_snapshot(path: Path, abstracts, n: int) -> Path:
    """arXiv metadata snapshot format (Kaggle `arxiv-metadata-oai-snapshot.json`): one JSON object a line."""
    rnd = random.Random(2024)
    with path.open("w", encoding="utf-8") as fh:
        for k in range(n):
            title, abstract = abstracts[k % len(abstracts)]
            yymm = f"{19 + (k // 1200) % 6:02d}{1 + k % 12:02d}"
            aid = f"{yymm}.{10000 + k:05d}"
            day = 1 + k % 28
            rec = {
                "id": aid,
                "submitter": "Jane Doe",
                "authors": "Jane Doe, John Roe and Ada Lovelace",
                "title": title if k < len(abstracts) else f"{title} ({k // len(abstracts)})",
                "comments": f"{rnd.randint(5, 30)} pages, {rnd.randint(1, 9)} figures",
                "journal-ref": None,
                "doi": None,
                "report-no": None,
                "categories": rnd.choice(["cs.CV", "cs.CL cs.LG", "cs.LG stat.ML", "cs.CV cs.AI"]),
                "license": "http://arxiv.org/licenses/nonexclusive-distrib/1.0/",
                "abstract": "  " + abstract.replace(". ", ".\n", 2) + "\n",
                "versions": [{"version": "v1", "created": f"Mon, {day} Mar 20{yymm[:2]} 10:00:00 GMT"}],
                "update_date": f"20{yymm[:2]}-{yymm[2:]}-{day:02d}",
                "authors_parsed": [["Doe", "Jane", ""], ["Roe", "John", ""], ["Lovelace", "Ada", ""]],
            }
            fh.write(json.dumps(rec) + "\n")
    return path


def all_tables(con) -> list[str]:
    return [r[0] for r in con.execute(
        "SELECT table_name FROM duckdb_tables() WHERE NOT temporary AND database_name = current_database() ORDER BY 1"
    ).fetchall()]  # fmt: skip


def full_state(db: Path) -> dict[str, list[tuple]]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return {t: stable_rows(con, t) for t in all_tables(con)}
    finally:
        con.close()


def claims_by_paper(con) -> dict[str, list[tuple]]:
    out: dict[str, list[tuple]] = {}
    cols = [r[0] for r in con.execute(
        "SELECT column_name FROM duckdb_columns() WHERE table_name = 'claims' AND database_name = current_database() ORDER BY column_index"
    ).fetchall()]  # fmt: skip
    pi = cols.index("paper_id")
    for row in stable_rows(con, "claims"):
        out.setdefault(row[pi], []).append(row)
    return out


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    d = tmp_path_factory.mktemp("crash")
    code = frozen_code(d / "code")  # the reference and every killed load run the same extractor
    where = subprocess.run(
        [sys.executable, "-c", "import tracker.cli, extractors; print(extractors.__file__)"],
        cwd=code, env=tracker_env(code), capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert where.stdout.strip().startswith(str(code)), where
    abstracts = load_real_abstracts()
    small = write_small(d / "small.jsonl", abstracts)
    big = write_snapshot(d / "arxiv-metadata-oai-snapshot.json", abstracts, N_RECORDS)

    pre = d / "pre.duckdb"
    proc = run_tracker("load", small, "--db", pre, code_dir=code)
    assert proc.returncode == 0, proc.stderr[-3000:]

    ref = copy_db(pre, d / "ref.duckdb")
    t0 = time.monotonic()
    proc = run_tracker("load", big, "--db", ref, timeout=300, code_dir=code)
    load_s = time.monotonic() - t0
    assert proc.returncode == 0, proc.stderr[-3000:]

    con = duckdb.connect(str(ref), read_only=True)
    try:
        n_papers = con.execute("SELECT count(*) FROM papers").fetchone()[0]
        ref_claims = claims_by_paper(con)
    finally:
        con.close()
    assert n_papers == N_RECORDS + 20, f"reference load stored {n_papers} papers, expected {N_RECORDS + 20}"
    assert sum(len(v) for v in ref_claims.values()) > N_RECORDS // 4, "the reference load extracted (almost) no claims"

    con = duckdb.connect(str(pre), read_only=True)
    try:
        small_state = {t: stable_rows(con, t, *_small_filter(con, t)) for t in ("papers", "claims")}
    finally:
        con.close()
    return {
        "dir": d, "big": big, "pre": pre, "ref_state": full_state(ref), "ref_claims": ref_claims,
        "small_state": small_state, "load_s": load_s, "code": code,
    }  # fmt: skip


def _diff_sample(state: dict, ref: dict, tables: list[str]) -> str:
    out = []
    for t in tables:
        a, b = set(state.get(t, [])), set(ref.get(t, []))
        out.append(f"{t}: {len(a - b)} rows only after reload, e.g. {sorted(a - b, key=repr)[:2]}; "
                   f"{len(b - a)} only in reference, e.g. {sorted(b - a, key=repr)[:2]}")
    return "\n".join(out)


def _small_filter(con, table: str) -> tuple[str, tuple]:
    return "WHERE paper_id LIKE ?", ("small-%",)


def test_kill_at_random_points(corpus):
    load_s = corpus["load_s"]
    report = []
    killed_mid_load = 0
    for seed in SEEDS:
        delay = random.Random(seed).uniform(0.15, 0.95) * load_s
        db = copy_db(corpus["pre"], corpus["dir"] / f"kill-{seed}.duckdb")
        p = subprocess.Popen(
            tracker_cmd("load", corpus["big"], "--db", db), cwd=corpus["code"], env=tracker_env(corpus["code"]),
            start_new_session=True,
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        time.sleep(delay)
        still_running = p.poll() is None
        if still_running:
            os.killpg(p.pid, signal.SIGKILL)  # the load and any worker processes it started
            killed_mid_load += 1
        p.wait(timeout=60)

        # 1. the database opens (read-write, so the WAL is replayed) and reads back
        con = duckdb.connect(str(db))
        try:
            n = con.execute("SELECT count(*) FROM papers WHERE paper_id NOT LIKE 'small-%'").fetchone()[0]
            # 2. the earlier load is intact
            for t in ("papers", "claims"):
                assert stable_rows(con, t, *_small_filter(con, t)) == corpus["small_state"][t], (
                    f"seed {seed}: the earlier load's {t} changed after a kill at {delay:.2f}s"
                )
            # 3. no half-loaded paper, no orphan claim
            got = claims_by_paper(con)
            ids = {r[0] for r in con.execute("SELECT paper_id FROM papers").fetchall()}
            orphans = set(got) - ids
            assert not orphans, f"seed {seed}: claims without a paper: {sorted(orphans)[:5]}"
            bad = [pid for pid in ids if sorted(got.get(pid, [])) != sorted(corpus["ref_claims"].get(pid, []))]
            assert not bad, (
                f"seed {seed}: {len(bad)} papers half-loaded after a kill at {delay:.2f}s, e.g. {sorted(bad)[:5]}"
            )
        finally:
            con.close()
        report.append(f"seed {seed}: delay {delay:.2f}s of {load_s:.2f}s, killed={still_running}, big-file papers stored={n}")

        # 4. the next load completes it: every table as in the clean reference
        proc = run_tracker("load", corpus["big"], "--db", db, timeout=300, code_dir=corpus["code"])
        assert proc.returncode == 0, f"seed {seed}: reload after the kill failed: {proc.stderr[-2000:]}"
        state = full_state(db)
        diff = sorted(t for t in set(state) | set(corpus["ref_state"]) if state.get(t) != corpus["ref_state"].get(t))
        assert not diff, f"seed {seed}: after the reload, tables differ from the reference: {diff}\n" + _diff_sample(
            state, corpus["ref_state"], diff
        )
    print("\n".join(report))
    assert killed_mid_load >= 3, f"only {killed_mid_load} of {len(SEEDS)} runs were killed mid-load:\n" + "\n".join(report)
