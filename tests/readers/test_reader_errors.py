"""Every kind of bad input is ONE ReaderError line naming the file, the record and the problem.

Each case builds its input in tmp_path (mostly from the real fixtures, broken in one place) and
gives the exact record and a distinctive part of the problem that `str(e)` must contain.
"""

from __future__ import annotations

import gzip
import json
import pickle
import zlib
from dataclasses import dataclass
from pathlib import Path

import pytest

from tracker.readers import ReaderError, read_papers
from tracker.readers.common import build_paper

ROOT = Path(__file__).resolve().parents[2]
FIX = ROOT / "tests" / "fixtures" / "readers"
DEV = [json.loads(ln) for ln in Path("/work/shared/data/dev_abstracts.jsonl").read_text("utf-8").splitlines()]


def rec(k: int) -> dict:
    r = DEV[k]
    return {"id": r["id"], "title": r["title"], "abstract": r["abstract"]}


def jsonl(records: list) -> bytes:
    return b"".join(
        (r if isinstance(r, bytes) else json.dumps(r, ensure_ascii=False).encode("utf-8")) + b"\n" for r in records
    )


def fixture_lines(name: str) -> list[bytes]:
    return (FIX / name).read_bytes().splitlines()


def truncated_gz(tmp: Path) -> tuple[Path, str]:
    """A gzip'd snapshot cut in the middle; the expected line is the first one not fully readable."""
    raw = jsonl([json.loads(ln) for ln in fixture_lines("arxiv_snapshot.jsonl")] * 30)
    data = gzip.compress(raw)
    cut = data[: len(data) // 2]
    readable = zlib.decompressobj(wbits=31).decompress(cut)
    p = tmp / "snapshot.jsonl.gz"
    p.write_bytes(cut)
    return p, "line %d" % (readable.count(b"\n") + 1)


@dataclass(frozen=True)
class Case:
    id: str
    name: str  # file name in tmp_path
    content: bytes | None  # None: do not create the file
    record: str
    problem: str
    fmt: str | None = None


BIG = 10 * 1024 * 1024
BROKEN = b'{"id": "b-12", "title": "Broken" "abstract": "x"}'
SNAP = fixture_lines("arxiv_snapshot.jsonl")
CSV_HEADER = b"paper_id,title,summary,published,authors,link"
ATOM = (FIX / "arxiv_api.atom").read_bytes()
SWIN_ID = b"<id>http://arxiv.org/abs/2103.14030"
HF = json.loads((FIX / "hf_daily_papers.json").read_text("utf-8"))


def _snap(k: int, **change: object) -> bytes:
    r = json.loads(SNAP[k])
    for key, value in change.items():
        if value is None:
            r.pop(key, None)
        else:
            r[key] = value
    return json.dumps(r).encode()


def _hf(**paper_change: object) -> list:
    items = json.loads(json.dumps(HF))
    for key, value in paper_change.items():
        if value is None:
            items[1]["paper"].pop(key)
        else:
            items[1]["paper"][key] = value
    return items


CASES = [
    Case("file not found", "missing.jsonl", None, "file", "not found"),
    Case("empty jsonl", "empty.jsonl", b"", "line 1", "empty file: no papers found"),
    Case("empty atom", "empty.atom", b"", "line 1", "empty file: no papers found"),
    Case("empty hf json", "empty.json", b"", "line 1", "empty file: no papers found"),
    Case("empty csv", "empty.csv", b"", "line 1", "empty file: no papers found"),
    Case("blank lines only", "blank.jsonl", b"\n  \n\n", "line 1", "empty file: no papers found"),
    Case("BOM only", "bom.txt", b"\xef\xbb\xbf", "line 1", "empty file: no papers found"),
    Case("empty JSON array", "none.json", b"[]", "line 1", "no papers found"),
    Case("CSV header only", "header.csv", CSV_HEADER + b"\n", "line 1", "no papers found"),
    Case("atom feed without entries", "none.atom", ATOM[: ATOM.index(b"<entry>")] + b"</feed>\n", "line 1", "no papers found"),
    Case("broken JSON on line 12", "broken.jsonl", jsonl([rec(k) for k in range(11)] + [BROKEN]), "line 12",
         "invalid JSON: Expecting ',' delimiter at column 34"),
    Case("broken JSON in snapshot", "snap.jsonl", b"\n".join(SNAP[:2] + [SNAP[2][:500]]), "line 3",
         "invalid JSON: Unterminated string starting at column"),
    Case("JSON line not an object", "arr.jsonl", jsonl([rec(0), [rec(1)]]), "line 2", "expected a JSON object, got an array"),
    Case("missing abstract on line 7", "noabs.jsonl", jsonl([rec(k) for k in range(6)] + [{"id": "x", "title": "T"}]),
         "line 7", "missing 'abstract'"),
    Case("blank abstract", "blank_abs.jsonl", jsonl([rec(0), {"id": "x", "title": "T", "summary": " \t "}]),
         "line 2", "'abstract' is blank"),
    Case("missing title", "notitle.jsonl", jsonl([rec(0), rec(1), {"id": "x", "abstract": "An abstract."}]),
         "line 3", "missing 'title'"),
    Case("title not text", "numtitle.jsonl", jsonl([{"id": "x", "title": 42, "abstract": "An abstract."}]),
         "line 1", "'title' is a number, expected text"),
    Case("snapshot without abstract", "snap2.jsonl", b"\n".join([SNAP[0], _snap(1, abstract=None)]), "line 2",
         "missing 'abstract'"),
    Case("hf json paper without summary", "hf.json", json.dumps(_hf(summary=None)).encode(), "paper 2",
         "missing 'abstract'"),
    Case("hf json array cut in paper 2", "cut.json", json.dumps(HF, indent=1).encode()[:-300], "paper 2",
         "invalid JSON"),
    Case("hf json garbage between papers", "garbage.json", json.dumps(HF).encode().replace(b'false}, {"paper"', b'false} x {"paper"', 1),
         "paper 2", "invalid JSON: "),
    Case("hf json item not an object", "str.json", json.dumps([HF[0], "2410.13925"]).encode(), "paper 2",
         "expected a JSON object, got a string"),
    Case("hf json invalid UTF-8", "latin.json", json.dumps(HF, ensure_ascii=False).encode().replace(b"Bernt", b"B\xe9rnt"),
         "paper 1", "not valid UTF-8"),
    Case("hf json authors not names", "auth.json", json.dumps(_hf(authors=[{"name": 5}])).encode(), "paper 2",
         "'authors' must be a list of names"),
    Case("binary file", "image.jsonl", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4, "line 3",
         "binary data (NUL byte)"),
    Case("binary as text page", "blob.txt", b"GIF89a\x01\x00\x01\x00\x00\xff", "line 1", "binary data (NUL byte)"),
    Case("NUL later in the file", "late_nul.jsonl", jsonl([rec(k) for k in range(40)]) + b"{\x00}\n", "line 41",
         "binary data (NUL byte)"),
    Case("invalid UTF-8 on line 4", "latin1.jsonl",
         jsonl([rec(0), rec(1), rec(2), json.dumps(rec(3), ensure_ascii=False).encode().replace(b"the", "thé".encode("latin-1"), 1)]),
         "line 4", "not valid UTF-8 (byte 0xe9"),
    Case("invalid UTF-8 in a text page", "page.txt",
         "Some title\n\nAn abstract\n".encode() + "Caf\xe9\n".encode("latin-1"), "line 4", "not valid UTF-8"),
    Case("abstract over the limit on line 9", "huge.jsonl",
         jsonl([rec(k) for k in range(8)] + [{"id": "h", "title": "Huge", "abstract": ("x" * 1023 + " ") * (BIG // 1024)}]),
         "line 9", "abstract is 10485760 characters, over the 100000 limit"),
    Case("snapshot abstract over the limit", "huge_snap.jsonl", b"\n".join([SNAP[0], _snap(1, abstract="word " * 30000)]),
         "line 2", "abstract is 149999 characters, over the 100000 limit"),
    Case("CSV without title and abstract columns", "cols.csv", b"id,name,published\n1,x,2021\n", "line 1",
         "missing column(s) 'title' (or paper_title) and 'abstract' (or summary, paper_abstract); the header has: id, name, published"),
    Case("CSV row with missing fields", "short.csv",
         CSV_HEADER + b"\n" + b'1,"A title","An abstract.",2021,,\n' + b"2,Only two\n", "line 3",
         "row has 2 fields, the header has 6"),
    Case("CSV row without abstract value", "noabs.csv", CSV_HEADER + b'\n1,"A title",,2021,,\n', "line 2",
         "'abstract' is blank"),
    Case("CSV field over the csv limit", "bigfield.csv", CSV_HEADER + b'\n1,T,"' + b"y" * 200_000 + b'",,,\n', "line 2",
         "invalid CSV: field larger than field limit"),
    Case("unparseable date in jsonl", "date.jsonl", jsonl([rec(0), {**rec(1), "published": "last Tuesday"}]), "line 2",
         "cannot parse 'published' 'last Tuesday' as a date"),
    Case("unparseable date in csv", "date.csv", CSV_HEADER + b'\n1,T,An abstract.,2021-13-45,,\n', "line 2",
         "cannot parse 'published' '2021-13-45' as a date"),
    Case("unparseable v1 date in snapshot", "date_snap.jsonl",
         _snap(0, versions=[{"version": "v1", "created": "yesterday"}]), "line 1",
         "cannot parse 'versions[v1].created' 'yesterday' as a date"),
    Case("unparseable date in atom", "date.atom", ATOM.replace(b"<published>2021-03-25T17:59:31Z", b"<published>soon", 1),
         "entry 2", "cannot parse 'published' 'soon' as a date"),
    Case("atom that is an HTML page", "page.atom",
         b"<!DOCTYPE html>\n<html lang=\"en\">\n<head><title>arXiv.org - 503 Service Unavailable</title></head>\n"
         b"<body><p>Please try again later.</p></body>\n</html>\n", "line 1", "not an Atom feed: this is an HTML page"),
    Case("atom that is RSS", "rss.xml", b"<?xml version='1.0'?><rss version='2.0'><channel/></rss>", "line 1",
         "the root element is <rss>, expected <feed>"),
    Case("atom feed without namespace", "nons.atom", b"<feed><entry/></feed>", "line 1", "not in the Atom namespace"),
    Case("atom cut in entry 2", "cut.atom", ATOM[: ATOM.index(b"using Shifted")], "line 66",
         "invalid XML at column 62 (after entry 1): no element found (the feed is truncated?)"),
    Case("atom entry without summary", "nosum.atom",
         ATOM[: ATOM.index(b"<summary>", ATOM.index(SWIN_ID))] + ATOM[ATOM.index(b"</summary>", ATOM.index(SWIN_ID)) + 10 :],
         "entry 2", "missing 'abstract'"),
    Case("arXiv API error feed", "err.atom",
         b'<?xml version="1.0" encoding="UTF-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom">\n  <entry>\n'
         b"    <id>http://arxiv.org/api/errors#incorrect_id_format_for_1234.12345v</id>\n    <title>Error</title>\n"
         b"    <summary>incorrect id format for 1234.12345v</summary>\n  </entry>\n</feed>\n", "entry 1",
         "the arXiv API returned an error instead of papers: incorrect id format for 1234.12345v"),
    Case("unknown format", "x.jsonl", jsonl([rec(0)]), "file", "unknown format 'yaml'", fmt="yaml"),
]


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_bad_input_is_one_line_naming_file_record_and_problem(case: Case, tmp_path: Path) -> None:
    path = tmp_path / case.name
    if case.content is not None:
        path.write_bytes(case.content)
    with pytest.raises(ReaderError) as info:
        for _ in read_papers(path, case.fmt):
            pass
    _assert_message(info.value, path, case.record, case.problem)


def _assert_message(err: ReaderError, path: Path, record: str, problem: str) -> None:
    msg = str(err)
    assert "\n" not in msg and "\r" not in msg, msg
    assert (err.file, err.record) == (str(path), record), msg
    assert msg == f"{path}: {record}: {err.problem}"
    assert problem in err.problem, msg
    assert isinstance(err, ValueError)


def test_truncated_gzip_names_the_first_unreadable_line(tmp_path: Path) -> None:
    path, record = truncated_gz(tmp_path)
    assert record != "line 1"
    got = []
    with pytest.raises(ReaderError) as info:
        for p in read_papers(path):
            got.append(p)
    _assert_message(info.value, path, record, "truncated gzip stream")
    assert len(got) == int(record.split()[1]) - 1  # every complete line before it was read


@pytest.mark.parametrize(
    "name,content",
    [
        ("snap.jsonl.gz", b"\n".join(SNAP) + b"\n"),
        ("feed.atom.gz", ATOM),
        ("daily.json.gz", (FIX / "hf_daily_papers.json").read_bytes()),
    ],
)
def test_truncated_gzip_in_every_streaming_parser(name: str, content: bytes, tmp_path: Path) -> None:
    data = gzip.compress(content * 40 if name.startswith("snap") else content)
    path = tmp_path / name
    path.write_bytes(data[: len(data) * 2 // 3])
    with pytest.raises(ReaderError) as info:
        list(read_papers(path))
    msg = str(info.value)
    assert msg.startswith(f"{path}: ") and "\n" not in msg
    assert "truncated gzip stream" in msg or "invalid XML" in msg or "invalid JSON" in msg, msg


def test_corrupt_gzip_crc(tmp_path: Path) -> None:
    data = bytearray(gzip.compress(b"\n".join(SNAP) + b"\n"))
    data[-8] ^= 0xFF  # the CRC32 in the gzip trailer
    path = tmp_path / "crc.jsonl.gz"
    path.write_bytes(bytes(data))
    with pytest.raises(ReaderError) as info:
        list(read_papers(path))
    _assert_message(info.value, path, "line 4", "corrupt gzip stream (CRC check failed")


def test_invalid_utf8_inside_gzip_keeps_the_line_number(tmp_path: Path) -> None:
    raw = jsonl([rec(0), json.dumps(rec(1), ensure_ascii=False).encode().replace(b"the", b"th\xe9", 1), rec(2)])
    path = tmp_path / "latin1.jsonl.gz"
    path.write_bytes(gzip.compress(raw))
    with pytest.raises(ReaderError) as info:
        list(read_papers(path))
    _assert_message(info.value, path, "line 2", "not valid UTF-8")


def test_validation_error_becomes_reader_error_naming_the_field() -> None:
    with pytest.raises(ReaderError) as info:
        build_paper(Path("x.jsonl"), "line 3", source="jsonl", title="T", abstract="A", categories=[1])  # type: ignore[list-item]
    _assert_message(info.value, Path("x.jsonl"), "line 3", "invalid 'categories.0': Input should be a valid string")


def test_problem_with_newlines_is_flattened_and_error_pickles() -> None:
    err = ReaderError("a.json", "paper 2", "parse error:\n   (right here) ------^\n")
    assert str(err) == "a.json: paper 2: parse error: (right here) ------^"
    again = pickle.loads(pickle.dumps(err))
    assert (again.file, again.record, again.problem, str(again)) == (err.file, err.record, err.problem, str(err))


def test_errors_are_lazy_papers_before_the_bad_record_are_yielded(tmp_path: Path) -> None:
    path = tmp_path / "late.jsonl"
    path.write_bytes(jsonl([rec(0), rec(1), BROKEN]))
    it = read_papers(path)
    assert [next(it).id, next(it).id] == [DEV[0]["id"], DEV[1]["id"]]
    with pytest.raises(ReaderError, match=r"late\.jsonl: line 3: invalid JSON"):
        next(it)

