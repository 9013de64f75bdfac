"""Writing output never destroys a file (issue 16 §1): every command with an output path, through the real CLI.

For each command that writes a file (`export -o`, `export --out`, `extract -o`, `reviews export -o`,
`sql -o`) and each path it must never replace (the database, a hard link or a symlink to it, its WAL,
its review journal, one of the inputs), the command exits 1 with one line and every protected file
keeps its bytes. Then what a *good* output path gets: a regular file is replaced atomically with the
umask's mode (or the old file's), a symlink stays a symlink, a FIFO and /dev/null are written into
and stay what they are, `-o -` is stdout. `tracker/output.py` is also exercised directly.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import stat
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from conftest import FIXTURES, ROOT, assert_one_line_error, run_tracker, tracker_env
from tracker.output import OutputError, open_output, protected_paths, write_output

IMAGENET = ("--dataset", "ImageNet-1K", "--metric", "top1_accuracy")


def _digest(p: Path) -> str:
    return hashlib.sha256(p.read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def reviewed_db(tmp_path_factory) -> Path:
    """The bundled sample, loaded, with one accepted review (so the journal exists)."""
    d = tmp_path_factory.mktemp("out")
    db = d / "claims.duckdb"
    proc = run_tracker("load", "--sample", "--db", db, "-q")
    assert proc.returncode == 0, proc.stderr
    board = run_tracker("leaderboard", *IMAGENET, "--db", db, "-f", "json")
    claim = board.stdout.splitlines()[0].split('"claim_id": "')[1].split('"')[0]
    proc = run_tracker("review", "accept", claim, "--db", db)
    assert proc.returncode == 0, proc.stderr
    assert (d / "claims.duckdb.reviews.jsonl").stat().st_size > 0
    return db


@pytest.fixture
def work(reviewed_db: Path, tmp_path: Path) -> dict[str, Path]:
    """A private copy of the database and journal, an input file, and the links that point at them."""
    db = tmp_path / "claims.duckdb"
    shutil.copy2(reviewed_db, db)
    shutil.copy2(f"{reviewed_db}.reviews.jsonl", f"{db}.reviews.jsonl")
    inp = tmp_path / "papers.jsonl"
    shutil.copy2(FIXTURES / "good.jsonl", inp)
    os.link(db, tmp_path / "hard.duckdb")
    os.symlink(db.name, tmp_path / "soft.duckdb")
    return {"db": db, "journal": Path(f"{db}.reviews.jsonl"), "wal": Path(f"{db}.wal"), "input": inp,
            "hard link to the db": tmp_path / "hard.duckdb", "symlink to the db": tmp_path / "soft.duckdb",
            "symlink to the input": tmp_path / "soft.jsonl", "dir": tmp_path}  # fmt: skip


# command -> the argument list for output path OUT (db and input filled in from `work`)
COMMANDS = {
    "export -o": lambda w, out: ["export", "--db", w["db"], *IMAGENET, "-o", out],
    "extract -o": lambda w, out: ["extract", w["input"], "-o", out, "-j", "1"],
    "reviews export -o": lambda w, out: ["reviews", "export", "--db", w["db"], "-o", out],
    "sql -o": lambda w, out: ["sql", "SELECT * FROM claims", "--db", w["db"], "-f", "csv", "-o", out],
}
# (command, the protected path given as the output)
REFUSED = [
    ("export -o", "db"), ("export -o", "hard link to the db"), ("export -o", "symlink to the db"),
    ("export -o", "journal"), ("export -o", "wal"),
    ("reviews export -o", "journal"), ("reviews export -o", "db"), ("reviews export -o", "symlink to the db"),
    ("sql -o", "db"), ("sql -o", "journal"), ("sql -o", "hard link to the db"),
    ("extract -o", "input"), ("extract -o", "symlink to the input"),
]  # fmt: skip


@pytest.mark.parametrize("command, target", REFUSED, ids=[f"{c} {t}" for c, t in REFUSED])
def test_output_over_a_protected_file_is_refused_and_nothing_changes(work, command, target):
    os.symlink(work["input"].name, work["symlink to the input"])
    keep = [work["db"], work["journal"], work["input"]]
    before = {p: _digest(p) for p in keep}
    proc = run_tracker(*COMMANDS[command](work, work[target]))
    line = assert_one_line_error(proc, "refusing", what=f"{command} -> {target}")
    assert str(work[target].name) in line
    assert {p: _digest(p) for p in keep} == before
    assert not work["wal"].exists() or target != "wal"
    for name in ("hard link to the db", "symlink to the db"):
        assert work[name].samefile(work["db"])
    assert work["symlink to the db"].is_symlink()
    # The database still opens and answers.
    assert run_tracker("sql", "SELECT count(*) FROM papers", "--db", work["db"]).returncode == 0


def test_extract_refuses_an_output_inside_an_input_directory(tmp_path):
    d = tmp_path / "in"
    d.mkdir()
    shutil.copy2(FIXTURES / "good.jsonl", d / "good.jsonl")
    proc = run_tracker("extract", d, "-o", d / "claims.jsonl", "-j", "1")
    assert_one_line_error(proc, "input directory")
    assert sorted(p.name for p in d.iterdir()) == ["good.jsonl"]


def test_export_out_dir_never_writes_over_the_database(work):
    """`--out DIR` where DIR holds the database under an export's own file name (index.csv)."""
    db = work["dir"] / "index.csv"
    shutil.copy2(work["db"], db)
    before = _digest(db)
    proc = run_tracker("export", "--db", db, "--out", work["dir"])
    assert_one_line_error(proc, "refusing", "index.csv")
    assert _digest(db) == before


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_a_symlink_output_stays_a_symlink_and_its_target_is_replaced(work, command):
    target = work["dir"] / "real_output.txt"
    target.write_text("old content\n")
    link = work["dir"] / "out-link"
    os.symlink(target.name, link)
    proc = run_tracker(*COMMANDS[command](work, link))
    assert proc.returncode == 0, proc.stderr
    assert link.is_symlink() and os.readlink(link) == target.name
    text = target.read_text()
    assert text != "old content\n" and len(text) > 20


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_a_fifo_is_written_into_and_stays_a_fifo(work, command):
    fifo = work["dir"] / "pipe"
    os.mkfifo(fifo)
    got: list[bytes] = []
    reader = threading.Thread(target=lambda: got.append(fifo.read_bytes()), daemon=True)
    reader.start()
    proc = run_tracker(*COMMANDS[command](work, fifo), timeout=120)
    reader.join(timeout=30)
    assert proc.returncode == 0, proc.stderr
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode), "the FIFO was replaced"
    assert got and len(got[0]) > 20
    assert not [p for p in work["dir"].iterdir() if p.name.endswith(".tmp")]


@pytest.mark.skipif(not os.access("/dev/null", os.W_OK), reason="/dev/null not writable here")
@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_dev_null_stays_a_character_device(work, command):
    before = os.stat("/dev/null")
    assert stat.S_ISCHR(before.st_mode)
    proc = run_tracker(*COMMANDS[command](work, "/dev/null"))
    after = os.stat("/dev/null")
    assert proc.returncode == 0, proc.stderr
    assert stat.S_ISCHR(after.st_mode) and after.st_rdev == before.st_rdev
    assert stat.S_IMODE(after.st_mode) == stat.S_IMODE(before.st_mode)


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_dash_is_stdout(work, command):
    proc = run_tracker(*COMMANDS[command](work, "-"))
    assert proc.returncode == 0, proc.stderr
    assert len(proc.stdout) > 20 and not (work["dir"] / "-").exists()


@pytest.mark.parametrize("umask, existing_mode, expected", [
    (0o022, None, 0o644), (0o002, None, 0o664), (0o077, None, 0o600), (0o022, 0o640, 0o640), (0o022, 0o600, 0o600),
])  # fmt: skip
def test_file_mode_follows_the_umask_or_the_existing_file(work, umask, existing_mode, expected):
    out = work["dir"] / "board.csv"
    if existing_mode is not None:
        out.write_text("old\n")
        os.chmod(out, existing_mode)
    cmd = [sys.executable, "-m", "tracker", *map(str, COMMANDS["export -o"](work, out))]
    proc = subprocess.run(cmd, cwd=ROOT, env=tracker_env(), capture_output=True, text=True, timeout=120,
                          preexec_fn=lambda: os.umask(umask))  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    assert stat.S_IMODE(out.stat().st_mode) == expected
    assert out.read_text().startswith("rank,")


# --- tracker/output.py directly ---------------------------------------------------------------


def test_a_failed_write_leaves_the_old_file_and_no_temporary(tmp_path):
    out = tmp_path / "o.txt"
    out.write_text("precious\n")
    with pytest.raises(RuntimeError):
        with open_output(out) as f:
            f.write("half of the new ")
            raise RuntimeError("the writer failed midway")
    assert out.read_text() == "precious\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["o.txt"]


@pytest.mark.parametrize("make, message", [
    (lambda d: d, "a directory"),
    (lambda d: d / "missing_dir" / "o.csv", "does not exist"),
])  # fmt: skip
def test_unwritable_targets_are_one_line_errors(tmp_path, make, message):
    with pytest.raises(OutputError, match=message):
        write_output(make(tmp_path), "x\n")


def test_protected_paths_name_the_database_family(tmp_path):
    db = tmp_path / "x.duckdb"
    names = {str(p) for p, _ in protected_paths(db=db, inputs=[tmp_path / "in.jsonl"])}
    assert names == {str(db), f"{db}.wal", f"{db}.reviews.jsonl", str(tmp_path / "in.jsonl")}
    for p in names:
        with pytest.raises(OutputError, match="refusing"):
            write_output(p, "x\n", protect=protected_paths(db=db, inputs=[tmp_path / "in.jsonl"]))
    assert not any(tmp_path.iterdir())
