"""What a loaded directory reads and what it skips, each skip with a note (issue 16 §6).

A symlink in a directory that points outside it (`passwd.jsonl -> /etc/passwd`) was followed; dangling
links, loops, FIFOs and subdirectories were dropped without a word. Each kind of entry below is made
for real in a temporary directory beside one real input file.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import duckdb
import pytest

from tests.trust.conftest import FIXTURES, run_tracker
from tracker.readers import ReaderError, input_files
from tracker.readers.directory import scan_directory

GOOD = FIXTURES / "good.jsonl"
OUTSIDE_ID = "outside-001"


def _outside_file(d: Path) -> Path:
    """A valid input outside the loaded directory (a sibling folder), whose paper must not be loaded."""
    other = d.parent / "elsewhere"
    other.mkdir(exist_ok=True)
    p = other / "secret.jsonl"
    p.write_text(
        '{"id": "%s", "title": "Outside", "abstract": "Our model reaches 91.2%% top-1 accuracy on ImageNet."}\n' % OUTSIDE_ID,
        encoding="utf-8",
    )
    return p


def _link_out(d: Path) -> None:
    (d / "passwd.jsonl").symlink_to(_outside_file(d))


def _link_abs_system(d: Path) -> None:
    (d / "hosts.jsonl").symlink_to("/etc/hosts")


def _dangling(d: Path) -> None:
    (d / "gone.jsonl").symlink_to(d / "nothing-there.jsonl")


def _loop(d: Path) -> None:
    (d / "a.jsonl").symlink_to(d / "b.jsonl")
    (d / "b.jsonl").symlink_to(d / "a.jsonl")


def _fifo(d: Path) -> None:
    os.mkfifo(d / "pipe.jsonl")


def _subdir(d: Path) -> None:
    (d / "more").mkdir()
    (d / "more" / "x.jsonl").write_bytes(GOOD.read_bytes())


def _hidden(d: Path) -> None:
    (d / ".cache.jsonl").write_bytes(GOOD.read_bytes())


def _link_to_dir_outside(d: Path) -> None:
    (d / "etc").symlink_to("/etc")


# (name, make the entry, the name of the skipped entry, words of its reason)
SKIPS: list[tuple[str, Callable[[Path], None], str, str]] = [
    ("symlink to a file outside", _link_out, "passwd.jsonl", "outside the directory"),
    ("symlink to a system file", _link_abs_system, "hosts.jsonl", "a symlink to /etc/hosts, outside"),
    ("dangling symlink", _dangling, "gone.jsonl", "dangling symlink"),
    ("symlink loop", _loop, "a.jsonl", "symlink loop"),
    ("FIFO", _fifo, "pipe.jsonl", "FIFO"),
    ("subdirectory", _subdir, "more", "subdirectory"),
    ("hidden file", _hidden, ".cache.jsonl", "hidden"),
    ("symlink to a directory outside", _link_to_dir_outside, "etc", "outside the directory"),
]


def _dir_with(tmp_path: Path, make: Callable[[Path], None]) -> Path:
    d = tmp_path / "inputs"
    d.mkdir()
    (d / "good.jsonl").write_bytes(GOOD.read_bytes())
    make(d)
    return d


@pytest.mark.parametrize("name, make, entry, reason", SKIPS, ids=[s[0] for s in SKIPS])
def test_each_kind_of_entry_is_skipped_with_its_reason(tmp_path: Path, name, make, entry, reason):
    d = _dir_with(tmp_path, make)
    scan = scan_directory(d)
    assert scan.files == [d / "good.jsonl"]
    skipped = {s.path.name: s.reason for s in scan.skipped}
    assert entry in skipped, skipped
    assert reason in skipped[entry]
    noted: list[str] = []
    assert input_files(d, on_skip=lambda s: noted.append(s.note())) == [d / "good.jsonl"]
    assert any(n.startswith(f"{d / entry}: skipped: ") for n in noted), noted


def test_a_symlink_inside_the_directory_is_read(tmp_path: Path):
    d = _dir_with(tmp_path, lambda d: (d / "sub").mkdir())
    (d / "sub" / "real.jsonl").write_bytes(GOOD.read_bytes())
    (d / "alias.jsonl").symlink_to(d / "sub" / "real.jsonl")
    scan = scan_directory(d)
    assert scan.files == [d / "alias.jsonl", d / "good.jsonl"]
    assert [s.path.name for s in scan.skipped] == ["sub"]


def test_a_directory_of_only_skipped_entries_names_them(tmp_path: Path):
    d = tmp_path / "inputs"
    d.mkdir()
    _dangling(d)
    _fifo(d)
    with pytest.raises(ReaderError) as info:
        input_files(d)
    msg = str(info.value)
    assert msg.startswith(f"{d}: directory: no input files (skipped ")
    assert "gone.jsonl: a dangling symlink" in msg and "pipe.jsonl: a FIFO" in msg


def test_load_of_a_directory_notes_every_skip_and_reads_nothing_outside(tmp_path: Path):
    """Through the CLI: exit 0, the good file loaded, one note per skipped entry, the outside paper absent."""
    d = _dir_with(tmp_path, _link_out)
    for make in (_dangling, _loop, _fifo, _subdir):
        make(d)
    db = tmp_path / "t.duckdb"
    proc = run_tracker("load", d, "--db", db, "-q", timeout=180)
    assert proc.returncode == 0, proc.stderr
    notes = [ln for ln in proc.stderr.splitlines() if ln.startswith("note: ")]
    assert sorted(ln.split(": skipped: ")[0].removeprefix("note: ") for ln in notes) == sorted(
        str(d / n) for n in ("passwd.jsonl", "gone.jsonl", "a.jsonl", "b.jsonl", "pipe.jsonl", "more")
    )
    con = duckdb.connect(str(db), read_only=True)
    try:
        ids = {r[0] for r in con.execute("SELECT paper_id FROM papers").fetchall()}
    finally:
        con.close()
    assert OUTSIDE_ID not in ids and {"good-001", "good-002", "good-003"} <= ids
