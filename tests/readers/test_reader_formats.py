"""Each format's fixture reads into the expected papers; detection picks the right reader.

Fixtures (tests/fixtures/readers/) are small files in the real public shapes; their titles and
abstracts come from tracker/sample/daily_papers_transformers.txt and shared/data/dev_abstracts.jsonl,
so the expected texts below are looked up there rather than retyped.
"""

from __future__ import annotations

import gzip
import json
from datetime import date
from pathlib import Path

import pytest

from tracker.readers import FORMATS, detect_format, read_papers
from tracker.readers.common import normalise_ws

ROOT = Path(__file__).resolve().parents[2]
FIX = ROOT / "tests" / "fixtures" / "readers"
SAMPLE = ROOT / "tracker" / "sample" / "daily_papers_transformers.txt"
DEV = {r["id"]: r for r in map(json.loads, Path("/work/shared/data/dev_abstracts.jsonl").read_text("utf-8").splitlines())}


def sample_abstract(title: str) -> str:
    """The abstract line that follows `title` (one blank line between) in the sample page."""
    lines = SAMPLE.read_text("utf-8").splitlines()
    return lines[lines.index(title) + 2]


# (fixture, format, [(id, title, published, first author, n authors, url, categories, abstract source)])
EXPECTED = [
    ("arxiv_api.atom", "arxiv_atom", [
        ("2103.00112", "Transformer in Transformer", date(2021, 2, 27), "Kai Han", 6,
         "http://arxiv.org/abs/2103.00112v3", ("cs.CV", "cs.AI"), "sample"),
        ("2103.14030", "Swin Transformer: Hierarchical Vision Transformer using Shifted Windows", date(2021, 3, 25),
         "Ze Liu", 8, "http://arxiv.org/abs/2103.14030v2", ("cs.CV", "cs.LG"), "sample"),
        ("2103.15808", "CvT: Introducing Convolutions to Vision Transformers", date(2021, 3, 29), "Haiping Wu", 7,
         "http://arxiv.org/abs/2103.15808v1", ("cs.CV",), "sample"),
    ]),
    ("arxiv_snapshot.jsonl", "arxiv_snapshot", [
        ("2101.11986", "Tokens-to-Token ViT: Training Vision Transformers from Scratch on ImageNet", date(2021, 1, 28),
         "Li Yuan", 9, "https://arxiv.org/abs/2101.11986", ("cs.CV",), "sample"),
        ("2201.03545", "A ConvNet for the 2020s", date(2022, 1, 10), "Zhuang Liu", 6,
         "https://arxiv.org/abs/2201.03545", ("cs.CV",), "sample"),
        ("2011.04006", "Long Range Arena: A Benchmark for Efficient Transformers", date(2020, 11, 8), "Yi Tay", 10,
         "https://arxiv.org/abs/2011.04006", ("cs.LG", "cs.AI", "cs.CL", "cs.CV", "cs.IR"), "sample"),
    ]),
    ("hf_daily_papers.json", "hf_daily_json", [
        ("2410.23168", "TokenFormer: Rethinking Transformer Scaling with Tokenized Model Parameters", date(2024, 10, 30),
         "Haiyang Wang", 8, "https://arxiv.org/abs/2410.23168", (), "sample"),
        ("2410.13925", "FiTv2: Scalable and Improved Flexible Vision Transformer for Diffusion Model", date(2024, 10, 17),
         "ZiDong Wang", 6, "https://arxiv.org/abs/2410.13925", (), "sample"),
    ]),
    ("papers_aliases.csv", "csv", [
        ("2106.12423", DEV["d001"]["title"], date(2021, 6, 23), "Tero Karras", 7, "https://arxiv.org/abs/2106.12423", (), "d001"),
        ("hifi-gan-generative-adversarial-networks-for-efficient-and-high-fidelit-08c3099e", DEV["d025"]["title"],
         date(2020, 1, 1), "Jungil Kong", 3, "https://github.com/jik876/hifi-gan", (), "d025"),
        ("1905.04899", DEV["d034"]["title"], date(2019, 5, 13), None, 0, "https://arxiv.org/abs/1905.04899", (), "d034"),
    ]),
    ("papers_aliases.jsonl", "jsonl", [
        ("2211.10438", DEV["d008"]["title"], date(2023, 1, 1), "Guangxuan Xiao", 6, "https://github.com/mit-han-lab/smoothquant", (), "d008"),
        ("streaming-llm", DEV["d011"]["title"], date(2023, 9, 29), "Guangxuan Xiao", 5, None, (), "d011"),
        ("alias-free-generative-adversarial-networks", DEV["d001"]["title"], date(2021, 6, 23), "Tero Karras", 2,
         "https://nvlabs.github.io/stylegan3", ("cs.CV", "cs.LG"), "d001"),
    ]),
]


def _expected_abstract(source: str, title: str) -> str:
    return sample_abstract(title) if source == "sample" else DEV[source]["abstract"]


def _check(papers: list, fmt: str, expected: list) -> None:
    assert [p.id for p in papers] == [e[0] for e in expected]
    for p, (pid, title, published, first, n_authors, url, cats, src) in zip(papers, expected):
        assert p.source == fmt
        assert p.title == title
        assert p.published == published, p.id
        assert len(p.authors) == n_authors, p.authors
        assert (p.authors[0] if p.authors else None) == first
        assert p.url == url
        assert p.categories == cats
        want = _expected_abstract(src, title)
        if fmt == "csv":  # the HiFi-GAN row's quoted abstract spans two lines: kept as written
            assert normalise_ws(p.abstract) == want
        else:
            assert p.abstract == want, f"{p.id}: abstract differs"


@pytest.mark.parametrize("name,fmt,expected", EXPECTED, ids=[e[0] for e in EXPECTED])
def test_fixture_reads_into_expected_papers(name: str, fmt: str, expected: list) -> None:
    path = FIX / name
    assert detect_format(path) == fmt
    _check(list(read_papers(path)), fmt, expected)


@pytest.mark.parametrize("name,fmt,expected", EXPECTED, ids=[e[0] for e in EXPECTED])
def test_gzip_variant_reads_the_same(name: str, fmt: str, expected: list, tmp_path: Path) -> None:
    path = tmp_path / (name + ".gz")
    path.write_bytes(gzip.compress((FIX / name).read_bytes()))
    assert detect_format(path) == fmt
    _check(list(read_papers(path)), fmt, expected)


@pytest.mark.parametrize("name,fmt,expected", EXPECTED, ids=[e[0] for e in EXPECTED])
def test_utf8_bom_and_crlf_are_tolerated(name: str, fmt: str, expected: list, tmp_path: Path) -> None:
    raw = (FIX / name).read_bytes()
    if fmt != "csv":  # CSV: the multi-line quoted field would keep a \r; the BOM alone is tested there
        raw = raw.replace(b"\n", b"\r\n")
    path = tmp_path / name
    path.write_bytes(b"\xef\xbb\xbf" + raw)
    _check(list(read_papers(path)), fmt, expected)


def test_csv_multiline_field_keeps_its_newline_and_records_are_numbered_by_first_line() -> None:
    papers = list(read_papers(FIX / "papers_aliases.csv"))
    assert "\n" in papers[1].abstract
    assert papers[1].abstract.replace("\n", " ") == DEV["d025"]["abstract"]


def test_snapshot_authors_fall_back_to_the_string_and_date_to_update_date(tmp_path: Path) -> None:
    rec = json.loads((FIX / "arxiv_snapshot.jsonl").read_text("utf-8").splitlines()[1])
    del rec["authors_parsed"]
    rec["versions"] = [{"version": "v2", "created": "Wed, 2 Mar 2022 15:08:16 GMT"}]
    path = tmp_path / "snap.jsonl"
    path.write_text(json.dumps(rec) + "\n", encoding="utf-8")
    (paper,) = read_papers(path)
    assert paper.authors == ("Zhuang Liu", "Hanzi Mao", "Chao-Yuan Wu", "Christoph Feichtenhofer", "Trevor Darrell", "Saining Xie")
    assert paper.published == date(2022, 3, 3)  # update_date: there is no v1


@pytest.mark.parametrize(
    "item",
    [
        {"id": "2410.13925", "title": "T", "summary": "An abstract.", "publishedAt": "2024-10-17T15:51:49.000Z"},
        {"paper": {"id": "2410.13925", "title": "T", "summary": "An abstract."}, "publishedAt": "2024-10-17T00:00:00.000Z"},
    ],
    ids=["no wrapper", "date from the wrapper"],
)
def test_hf_json_single_object_without_array(item: dict, tmp_path: Path) -> None:
    path = tmp_path / "paper.json"
    path.write_text(json.dumps(item, indent=2), encoding="utf-8")
    (paper,) = read_papers(path)
    assert (paper.id, paper.title, paper.abstract, paper.published) == ("2410.13925", "T", "An abstract.", date(2024, 10, 17))
    assert paper.url == "https://arxiv.org/abs/2410.13925"


SNAP_LINE = (FIX / "arxiv_snapshot.jsonl").read_bytes().split(b"\n", 1)[0] + b"\n"
PLAIN_LINE = (FIX / "papers_aliases.jsonl").read_bytes().split(b"\n", 1)[0] + b"\n"

DETECT = [
    ("page.txt", b"new\n\nDaily Papers\n", "hf_daily_text"),
    ("feed.xml", b"<?xml version='1.0'?><feed/>", "arxiv_atom"),
    ("feed.atom", b"<feed/>", "arxiv_atom"),
    ("Papers.CSV", b"id,title,abstract\n", "csv"),
    ("daily.json", b'[{"paper": {}}]', "hf_daily_json"),
    ("one.json", b'{\n  "paper": {"id": "2410.13925"}\n}', "hf_daily_json"),
    ("arxiv-metadata-oai-snapshot.json", SNAP_LINE * 2, "arxiv_snapshot"),
    ("snap.jsonl", SNAP_LINE, "arxiv_snapshot"),
    ("plain.jsonl", PLAIN_LINE, "jsonl"),
    ("plain.ndjson", PLAIN_LINE, "jsonl"),
    ("update_only.jsonl", b'{"id": "x", "update_date": "2008-11-13"}\n', "arxiv_snapshot"),
    ("noext", b"  \n<feed xmlns='http://www.w3.org/2005/Atom'/>", "arxiv_atom"),
    ("noext", b"[]", "hf_daily_json"),
    ("noext", SNAP_LINE, "arxiv_snapshot"),
    ("noext", PLAIN_LINE, "jsonl"),
    ("export.tsv_like", b"paper_id,title,summary\n1,A,B\n", "csv"),
    ("noext", b"Transformer in Transformer\n\nTransformer is a new kind", "hf_daily_text"),
    ("bom_noext", b"\xef\xbb\xbf[{}]", "hf_daily_json"),
]


@pytest.mark.parametrize("name,content,fmt", DETECT, ids=[f"{d[0]}->{d[2]}" for d in DETECT])
def test_detect_format(name: str, content: bytes, fmt: str, tmp_path: Path) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    assert detect_format(path) == fmt
    gz = tmp_path / (name + ".gz")
    gz.write_bytes(gzip.compress(content))
    assert detect_format(gz) == fmt, "the inner name and the decompressed bytes decide for .gz"


def test_gzip_is_recognised_by_magic_bytes_without_gz_suffix(tmp_path: Path) -> None:
    path = tmp_path / "snapshot.jsonl"
    path.write_bytes(gzip.compress((FIX / "arxiv_snapshot.jsonl").read_bytes()))
    assert [p.id for p in read_papers(path)] == ["2101.11986", "2201.03545", "2011.04006"]


def test_fmt_argument_overrides_detection(tmp_path: Path) -> None:
    path = tmp_path / "papers.txt"  # .txt would mean hf_daily_text
    path.write_bytes((FIX / "papers_aliases.jsonl").read_bytes())
    assert detect_format(path) == "hf_daily_text"
    papers = list(read_papers(path, "jsonl"))
    assert [p.source for p in papers] == ["jsonl"] * 3
    assert papers[0].id == "2211.10438"


def test_formats_tuple_is_the_documented_one() -> None:
    assert FORMATS == ("hf_daily_text", "hf_daily_json", "arxiv_atom", "arxiv_snapshot", "jsonl", "csv", "pwc_papers")
