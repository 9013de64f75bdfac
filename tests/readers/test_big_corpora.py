"""OpenAlex works and Semantic Scholar datasets: read from their real layouts, joined, sniffed, refused.

Fixtures (tests/fixtures/big_corpora): an OpenAlex works partition of four works (two arXiv papers
found through the primary location and through a secondary location's versioned url, one journal
work without an abstract, one work with neither DOI nor arXiv id) whose abstract_inverted_index was
computed from shared/data/dev_abstracts.jsonl; a Semantic Scholar release of the same papers (papers
and abstracts, two partitions each, in different orders, one paper without an abstract); and the
same abstracts as plain JSON lines.
"""

from __future__ import annotations

import gzip
import itertools
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tracker import pipeline
from tracker.readers import ReaderError, S2Dataset, detect_format, group_inputs, input_files, read_papers, skips
from tracker.readers.openalex import rebuild_abstract

ROOT = Path(__file__).resolve().parents[2]
FIX = ROOT / "tests" / "fixtures" / "big_corpora"
OPENALEX = FIX / "openalex_part_000.jsonl"
S2 = FIX / "s2"
PLAIN = FIX / "plain.jsonl"
DEV = {r["id"]: r for r in map(json.loads, (FIX / "dev_abstracts.jsonl").read_text("utf-8").splitlines())}

# (id, published, authors, url, abstract of dev id)
OPENALEX_EXPECTED = [
    ("2211.10438", "2022-11-18", ("Guangxuan Xiao", "Ji Lin", "Song Han"), "https://arxiv.org/abs/2211.10438", "d008"),
    ("2205.13542", "2023-05-29", ("Zhijian Liu", "Haotian Tang", "Song Han"), "https://doi.org/10.1109/icra48891.2023.10160968", "d009"),
    ("W4403389716", "2024-01-01", ("Junyu Chen", "Song Han"), "https://hanlab.mit.edu/projects/dc-ae", "d012"),
]
S2_EXPECTED = [  # corpusid order
    ("2205.13542", "2022-05-26", ("Zhijian Liu", "Haotian Tang", "Song Han"), "https://arxiv.org/abs/2205.13542", "d009"),
    ("2211.10438", "2022-11-18", ("Guangxuan Xiao", "Ji Lin", "Song Han"), "https://arxiv.org/abs/2211.10438", "d008"),
    ("CorpusId:273346312", "2024-01-01", ("Junyu Chen", "Song Han"), None, "d012"),
]


def summary(papers: list) -> list[tuple]:
    return [(p.id, p.published.isoformat(), p.authors, p.url, p.abstract) for p in papers]


def expected(rows: list[tuple]) -> list[tuple]:
    return [(pid, d, a, u, DEV[k]["abstract"]) for pid, d, a, u, k in rows]


def s2_files() -> list[Path]:
    return sorted((S2 / "papers").iterdir()) + sorted((S2 / "abstracts").iterdir())


# --- OpenAlex ---


def test_openalex_partition_reads_works_with_abstracts_and_counts_the_others() -> None:
    papers = list(read_papers(OPENALEX))
    assert summary(papers) == expected(OPENALEX_EXPECTED)
    assert {p.source for p in papers} == {"openalex"}
    assert skips.take(OPENALEX) == 1


def test_openalex_snapshot_tree_is_expanded_and_gzip_parts_without_extension_are_sniffed(tmp_path: Path) -> None:
    works = tmp_path / "works"
    part_dirs = [works / "updated_date=2024-03-26", works / "updated_date=2024-03-27"]
    lines = OPENALEX.read_bytes().splitlines(keepends=True)
    for d, chunk in zip(part_dirs, (lines[:2], lines[2:])):
        d.mkdir(parents=True)
        (d / "part_000.gz").write_bytes(gzip.compress(b"".join(chunk)))
    (works / "manifest").write_text('{"entries": [{"url": "s3://openalex/data/works/updated_date=2024-03-26/part_000.gz"}]}\n')
    files = input_files(works)
    assert files == [d / "part_000.gz" for d in part_dirs]
    assert {detect_format(f) for f in files} == {"openalex"}
    papers = [p for f in files for p in read_papers(f)]
    assert summary(papers) == expected(OPENALEX_EXPECTED)
    assert [skips.take(f) for f in files] == [0, 1]


def test_openalex_partition_of_works_without_abstracts_only_is_not_an_error(tmp_path: Path) -> None:
    p = tmp_path / "part_001"
    p.write_bytes(OPENALEX.read_bytes().splitlines(keepends=True)[2] * 3)
    assert list(read_papers(p)) == []
    assert skips.take(p) == 3


WORDS = "We reach 84.1% top-1 accuracy on ImageNet-1K , and 2.5x faster ( 1.6 ms ) than ResNet-50 : we reach it .".split()


@pytest.mark.parametrize("order", ["as written", "reversed", "sorted by word"])
def test_inverted_index_is_rebuilt_exactly_whatever_the_key_order(order: str) -> None:
    index: dict[str, list[int]] = {}
    for i, w in enumerate(WORDS):
        index.setdefault(w, []).append(i)
    items = list(index.items())
    if order == "reversed":
        items.reverse()
    elif order == "sorted by word":
        items.sort()
    assert rebuild_abstract(OPENALEX, "line 1", dict(items)) == " ".join(WORDS)


def test_inverted_index_gap_is_joined_over() -> None:
    assert rebuild_abstract(OPENALEX, "line 1", {"FID": [0], "2.06": [3], "of": [1]}) == "FID of 2.06"


# --- Semantic Scholar ---


@pytest.mark.parametrize("perm", list(itertools.permutations(range(4)))[::5])
def test_s2_partitions_join_in_any_order(perm: tuple[int, ...]) -> None:
    files = [s2_files()[i] for i in perm]
    grouped = group_inputs(files)
    assert len(grouped) == 1 and isinstance(grouped[0], S2Dataset)
    papers = list(read_papers(grouped[0]))
    got = summary(papers)
    assert [g[:3] + (g[4],) for g in got] == [e[:3] + (e[4],) for e in expected(S2_EXPECTED)]
    assert got[2][3].startswith("https://www.semanticscholar.org/paper/")
    assert skips.take(grouped[0]) == 1  # the membrane transporter paper has no abstract


def test_s2_release_directory_and_gzip_partitions(tmp_path: Path) -> None:
    release = tmp_path / "2024-03-26"
    for sub in ("papers", "abstracts"):
        (release / sub).mkdir(parents=True)
        for f in sorted((S2 / sub).iterdir()):
            (release / sub / (f.stem + ".gz")).write_bytes(gzip.compress(f.read_bytes()))
    other = tmp_path / "plain.jsonl"
    shutil.copy(PLAIN, other)
    inputs = pipeline.expand_inputs([other, release])
    assert inputs[0] == other and isinstance(inputs[1], S2Dataset) and len(inputs) == 2
    assert [p.id for p in read_papers(inputs[1])] == [e[0] for e in S2_EXPECTED]
    skips.take(inputs[1])


# --- the same abstract from every source gives the same claims ---


def _claims(inputs: list[Path]) -> dict[str, list[dict]]:
    out: dict[str, list[dict]] = {}
    for c in pipeline.extract(inputs, jobs=1):
        out.setdefault(c["paper_id"], []).append(c)
    return out


def test_same_abstract_from_openalex_semantic_scholar_and_jsonl_gives_the_same_claims() -> None:
    plain, oa, s2 = _claims([PLAIN]), _claims([OPENALEX]), _claims([S2])
    assert sum(map(len, plain.values())) >= 10  # d008, d009, d012 report numbers
    for pid in ("2211.10438", "2205.13542"):  # arXiv ids: the very same claims, paper id included
        assert oa[pid] == plain[pid] == s2[pid]
    no_id = [{**c, "paper_id": "-"} for c in plain["W4403389716"]]  # no arXiv id: each source's own id
    assert [{**c, "paper_id": "-"} for c in oa["W4403389716"]] == no_id
    assert [{**c, "paper_id": "-"} for c in s2["CorpusId:273346312"]] == no_id


# --- bad records: one line naming the file, the record and the problem ---

OA_LINES = OPENALEX.read_text("utf-8").splitlines()


def _oa(k: int, **change: object) -> str:
    rec = json.loads(OA_LINES[k])
    rec.update(change)
    return json.dumps(rec)


OA_BAD = [
    ("invalid json", [OA_LINES[0], OA_LINES[1][:500]], "line 2", "invalid JSON"),
    ("index is a list", [_oa(0, abstract_inverted_index=["We", "reach"])], "line 1", "'abstract_inverted_index' is an array, expected an object"),
    ("negative position", [_oa(1, abstract_inverted_index={"FID": [0], "2.06": [-1]})], "line 1", "has position -1"),
    ("position not a number", [_oa(1, abstract_inverted_index={"FID": [0], "2.06": ["1"]})], "line 1", "has position '1'"),
    ("positions not a list", [_oa(1, abstract_inverted_index={"FID": 0})], "line 1", "expected a list of positions"),
    ("two words at one position", [OA_LINES[0], _oa(1, abstract_inverted_index={"FID": [0, 1], "2.06": [1]})], "line 2", "at the same position 1"),
    ("id not a work", [_oa(0, id="https://openalex.org/A5023888391")], "line 1", "is not an OpenAlex work id"),
    ("authorships not a list", [_oa(0, authorships={"author": "x"})], "line 1", "'authorships' is an object"),
    ("bad date", [_oa(0, publication_date="18/11/2022")], "line 1", "cannot parse 'publication_date'"),
]


@pytest.mark.parametrize("lines,record,problem", [c[1:] for c in OA_BAD], ids=[c[0] for c in OA_BAD])
def test_openalex_bad_record(lines: list[str], record: str, problem: str, tmp_path: Path) -> None:
    p = tmp_path / "part_000.gz"
    p.write_bytes(gzip.compress(("\n".join(lines) + "\n").encode()))
    with pytest.raises(ReaderError) as e:
        list(read_papers(p))
    assert e.value.file == str(p) and e.value.record == record and problem in e.value.problem
    assert "\n" not in str(e.value)


PAPERS0 = (S2 / "papers" / "part-0000.jsonl").read_text("utf-8").splitlines()
S2_BAD = [
    ("truncated json", "papers", [PAPERS0[0], PAPERS0[1][:200]], "line 2", "invalid JSON"),
    ("corpusid not a number", "abstracts", ['{"corpusid": "x12", "openaccessinfo": null, "abstract": "FID 2.06."}'], "line 1", "'corpusid' is a string, expected an integer"),
    ("no corpusid", "abstracts", ['{"corpusid": 5, "openaccessinfo": null, "abstract": "a"}', '{"openaccessinfo": null, "abstract": "FID 2.06."}'], "file", "has no 'corpusid'"),
]


@pytest.mark.parametrize("kind,lines,record,problem", [c[1:] for c in S2_BAD], ids=[c[0] for c in S2_BAD])
def test_s2_bad_partition(kind: str, lines: list[str], record: str, problem: str, tmp_path: Path) -> None:
    release = tmp_path / "release"
    shutil.copytree(S2, release)
    bad = release / kind / "part-0001.jsonl"
    bad.write_text("\n".join(lines) + "\n")
    with pytest.raises(ReaderError) as e:
        list(read_papers(group_inputs(input_files(release))[0]))
    assert (e.value.file, e.value.record) == (str(bad), record) and problem in e.value.problem
    assert "\n" not in str(e.value)


@pytest.mark.parametrize("kind,missing", [("papers", "abstracts"), ("abstracts", "papers")])
def test_s2_one_dataset_alone_says_which_is_missing(kind: str, missing: str) -> None:
    part = S2 / kind / "part-0000.jsonl"
    assert detect_format(part) == "semantic_scholar"
    with pytest.raises(ReaderError) as e:
        list(read_papers(part))
    assert f"needs the {missing} dataset too" in str(e.value)


def test_cli_load_reports_skips_and_a_bad_partition_is_one_line(tmp_path: Path) -> None:
    db = tmp_path / "c.duckdb"
    run = [sys.executable, "-m", "tracker", "load", str(S2), str(OPENALEX), "--db", str(db), "-q", "--jobs", "1"]
    out = subprocess.run(run, capture_output=True, text=True, check=True).stdout
    assert "1 skipped (no abstract)" in out and "2 records without an abstract skipped" in out
    bad = tmp_path / "part_009.gz"
    bad.write_bytes(gzip.compress(("\n".join([OA_LINES[0], _oa(1, abstract_inverted_index=[1])]) + "\n").encode()))
    res = subprocess.run([*run[:4], str(bad), "--db", str(db), "-q"], capture_output=True, text=True)
    assert res.returncode == 1
    assert res.stderr.strip().splitlines() == [f"error: {bad}: line 2: 'abstract_inverted_index' is an array, expected an object"]
