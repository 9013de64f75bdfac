"""The readers stream: memory stays far below the file size, and the first paper comes before the
rest of the file has been looked at. Also `input_files`.

The multi-MB inputs are generated in tmp_path from the real fixtures (ids made unique per copy).
"""

from __future__ import annotations

import gzip
import json
import os
import tracemalloc
from collections.abc import Callable
from pathlib import Path

import pytest

from tracker.readers import ReaderError, input_files, read_papers

ROOT = Path(__file__).resolve().parents[2]
FIX = ROOT / "tests" / "fixtures" / "readers"
SAMPLE = ROOT / "tracker" / "sample" / "daily_papers_transformers.txt"
TARGET = 8 * 1024 * 1024  # bytes of (uncompressed) input per format


def _repeat(piece: Callable[[int], bytes]) -> tuple[bytes, int]:
    """Concatenate piece(0), piece(1), ... until TARGET bytes; returns (data, pieces)."""
    parts, size, n = [], 0, 0
    while size < TARGET:
        part = piece(n)
        parts.append(part)
        size += len(part)
        n += 1
    return b"".join(parts), n


def gen_snapshot(tmp: Path) -> tuple[Path, int]:
    lines = (FIX / "arxiv_snapshot.jsonl").read_bytes().splitlines()
    data, n = _repeat(lambda i: lines[i % 3].replace(b'"id": "', b'"id": "%d.' % i, 1) + b"\n")
    p = tmp / "big_snapshot.jsonl"
    p.write_bytes(data)
    return p, n


def gen_snapshot_gz(tmp: Path) -> tuple[Path, int]:
    p, n = gen_snapshot(tmp)
    gz = tmp / "big_snapshot.jsonl.gz"
    gz.write_bytes(gzip.compress(p.read_bytes(), compresslevel=1))
    p.unlink()
    return gz, n


def gen_jsonl(tmp: Path) -> tuple[Path, int]:
    lines = (FIX / "papers_aliases.jsonl").read_bytes().split(b"\n")
    recs = [json.loads(ln) for ln in lines if ln.strip()]
    data, n = _repeat(lambda i: json.dumps({**recs[i % 3], "paper_id": f"p{i}"}).encode() + b"\n")
    p = tmp / "big.jsonl"
    p.write_bytes(data)
    return p, n


def gen_csv(tmp: Path) -> tuple[Path, int]:
    header, body = (FIX / "papers_aliases.csv").read_bytes().split(b"\n", 1)
    data, n = _repeat(lambda i: body)
    p = tmp / "big.csv"
    p.write_bytes(header + b"\n" + data)
    return p, n * 3


def gen_atom(tmp: Path) -> tuple[Path, int]:
    feed = (FIX / "arxiv_api.atom").read_bytes()
    head, rest = feed.split(b"  <entry>", 1)
    entries = b"  <entry>" + rest[: rest.rindex(b"</feed>")]
    data, n = _repeat(lambda i: entries.replace(b"abs/2103.", b"abs/%d." % i))
    p = tmp / "big.atom"
    p.write_bytes(head + data + b"</feed>\n")
    return p, n * 3


def gen_hf_json(tmp: Path) -> tuple[Path, int]:
    items = json.loads((FIX / "hf_daily_papers.json").read_text("utf-8"))
    data, n = _repeat(lambda i: (b"," if i else b"") + json.dumps(items[i % 2]).encode())
    p = tmp / "big.json"
    p.write_bytes(b"[" + data + b"]")
    return p, n


def gen_hf_text(tmp: Path) -> tuple[Path, int]:
    lines = SAMPLE.read_bytes().split(b"\n")
    papers = b"\n".join(lines[12:]) + b"\n\n"  # everything after the page chrome: 96 papers
    data, n = _repeat(lambda i: papers)
    p = tmp / "big.txt"
    p.write_bytes(b"\n".join(lines[:12]) + b"\n" + data)
    return p, n * 96


GENERATORS = [gen_snapshot, gen_snapshot_gz, gen_jsonl, gen_csv, gen_atom, gen_hf_json, gen_hf_text]


@pytest.mark.timeout(600)
@pytest.mark.parametrize("gen", GENERATORS, ids=[g.__name__[4:] for g in GENERATORS])
def test_memory_stays_far_below_file_size(gen: Callable[[Path], tuple[Path, int]], tmp_path: Path) -> None:
    path, expected = gen(tmp_path)
    size = os.path.getsize(path)
    tracemalloc.start()
    try:
        count = sum(1 for _ in read_papers(path))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert count == expected
    uncompressed = TARGET if path.suffix == ".gz" else size
    assert uncompressed >= TARGET
    assert peak < 2 * 1024 * 1024, f"peak {peak / 1e6:.1f} MB while reading {uncompressed / 1e6:.1f} MB: not streaming"


@pytest.mark.parametrize("gen", [gen_snapshot_gz, gen_jsonl, gen_atom, gen_hf_json, gen_hf_text, gen_csv],
                         ids=["snapshot_gz", "jsonl", "atom", "hf_json", "hf_text", "csv"])
def test_first_paper_arrives_before_the_broken_end_is_read(gen: Callable[[Path], tuple[Path, int]], tmp_path: Path) -> None:
    """A multi-MB file whose last bytes are broken still yields its first paper: nothing reads ahead."""
    path, _ = gen(tmp_path)
    data = path.read_bytes()
    if path.suffix == ".gz":
        data = data[: len(data) - 50]  # cut the gzip stream: reading to the end would raise
    else:
        data = data + b"\n\x00broken"  # a NUL at the very end: reading to the end would raise
    path.write_bytes(data)
    tracemalloc.start()
    try:
        papers = read_papers(path)
        first = next(papers)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert first.title and first.abstract
    assert peak < 1024 * 1024, f"peak {peak / 1e6:.1f} MB for the first paper of a {len(data) / 1e6:.0f} MB file"
    with pytest.raises(ReaderError):
        for _ in papers:
            pass


# --- input_files -----------------------------------------------------------------------------


def test_input_files_of_a_file_is_that_file(tmp_path: Path) -> None:
    p = tmp_path / "a.jsonl"
    p.write_text("{}\n")
    assert input_files(p) == [p]


def test_input_files_of_a_directory_sorted_without_hidden_files_or_subdirectories(tmp_path: Path) -> None:
    for name in ["b.jsonl", "a.csv", ".hidden.jsonl", "c.atom.gz"]:
        (tmp_path / name).write_text("x")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "d.jsonl").write_text("x")
    assert input_files(tmp_path) == [tmp_path / "a.csv", tmp_path / "b.jsonl", tmp_path / "c.atom.gz"]


@pytest.mark.parametrize(
    "setup,record,problem",
    [
        (lambda d: d / "nothing-here", "file", "not found"),
        (lambda d: d, "directory", "no input files"),
        (lambda d: ((d / ".only_hidden").write_text("x"), d)[1], "directory", "no input files"),
    ],
    ids=["missing", "empty dir", "only hidden"],
)
def test_input_files_errors(setup: Callable[[Path], Path], record: str, problem: str, tmp_path: Path) -> None:
    path = setup(tmp_path)
    with pytest.raises(ReaderError) as info:
        input_files(path)
    assert str(info.value).startswith(f"{path}: {record}: ")
    assert problem in str(info.value)
