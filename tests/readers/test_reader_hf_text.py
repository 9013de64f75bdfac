"""The Hugging Face daily-papers text page: every paper of the real sample, exactly as written.

Expected values are taken from the sample file itself (a title line, one blank line, the abstract
line), independently of the reader's parsing, so a parser that shifts by one line fails here.
"""

from __future__ import annotations

import gzip
from datetime import date
from pathlib import Path

import pytest

from tracker.readers import ReaderError, detect_format, read_papers
from tracker.readers import hf_daily_text

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "tracker" / "sample" / "daily_papers_transformers.txt"
LINES = SAMPLE.read_text("utf-8").splitlines()
TODAY = date(2025, 10, 29)  # the page's own date line says "Oct 29"


@pytest.fixture(scope="module")
def papers() -> list:
    return list(hf_daily_text.read(SAMPLE, today=TODAY))


def by_title(papers: list, title: str):
    (found,) = [p for p in papers if p.title == title]
    return found


def test_sample_has_96_papers_with_unique_ids(papers: list) -> None:
    assert detect_format(SAMPLE) == "hf_daily_text"
    assert len(papers) == 96
    assert len({p.id for p in papers}) == 96
    assert {p.source for p in papers} == {"hf_daily_text"}


def test_every_paper_is_a_title_line_followed_by_its_abstract_line_in_page_order(papers: list) -> None:
    pos = 0
    for p in papers:
        k = LINES.index(p.title, pos)
        assert LINES[k + 1] == "" and LINES[k + 2] == p.abstract, f"line {k + 1}: {p.title!r}"
        pos = k + 3
    # nothing after the last paper's abstract but its meta block
    assert all(not ln.strip() or ln.strip() in ("·", "• 6 authors") or ln.startswith("Oct 17") for ln in LINES[pos:])


@pytest.mark.parametrize(
    "title,title_line",
    [
        ("Large-Scale Chemical Language Representations Capture Molecular Structure and Properties", 13),
        ("Transformer in Transformer", 165),
        ("DiffSpectra: Molecular Structure Elucidation from Spectra using Diffusion Models", 293),
        ("FiTv2: Scalable and Improved Flexible Vision Transformer for Diffusion Model", 761),
    ],
    ids=["first", "TNT", "no meta block", "last"],
)
def test_exact_title_and_abstract(papers: list, title: str, title_line: int) -> None:
    assert LINES[title_line - 1] == title
    p = by_title(papers, title)
    assert p.abstract == LINES[title_line + 1]
    assert p.abstract.startswith(("Models based", "Transformer is a new", "Molecular structure", "Nature is"))


def test_first_and_last_paper_positions(papers: list) -> None:
    assert papers[0].title == LINES[12]
    assert papers[-1].title.startswith("FiTv2: ")
    assert papers[-1].published == date(2024, 10, 17)  # "Oct 17, 2024 3": 3 is the upvote count


@pytest.mark.parametrize(
    "title,published",
    [
        ("Large-Scale Chemical Language Representations Capture Molecular Structure and Properties", date(2021, 6, 17)),
        ("FMViT: A multiple-frequency mixing Vision Transformer", date(2023, 11, 9)),  # "Nov 9, 2023 1"
        ("Transformers for molecular property prediction: Domain adaptation efficiently improves performance",
         date(2025, 3, 5)),  # "Mar 5": the year of today
        ("Vision Transformers with Self-Distilled Registers", date(2025, 5, 27)),  # "May 27 2": no year, 2 upvotes
        ("DiffSpectra: Molecular Structure Elucidation from Spectra using Diffusion Models", None),
        ("Energy-Based Transformers are Scalable Learners and Thinkers", None),
        ("Transformers Discover Molecular Structure Without Graph Priors", None),
    ],
)
def test_dates(papers: list, title: str, published: date | None) -> None:
    assert by_title(papers, title).published == published


@pytest.mark.parametrize(
    "today,expected",
    [
        (date(2025, 10, 29), date(2025, 3, 5)),
        (date(2026, 1, 15), date(2025, 3, 5)),  # "Mar 5" would be in the future: the page is from last year
        (date(2024, 3, 5), date(2024, 3, 5)),
    ],
)
def test_year_less_date_takes_the_year_from_today(today: date, expected: date) -> None:
    title = "Transformers for molecular property prediction: Domain adaptation efficiently improves performance"
    assert by_title(list(hf_daily_text.read(SAMPLE, today=today)), title).published == expected


def test_ids_are_title_slugs(papers: list) -> None:
    assert by_title(papers, "Transformer in Transformer").id == "transformer-in-transformer"
    assert by_title(papers, "A ConvNet for the 2020s").id == "a-convnet-for-the-2020s"
    assert by_title(papers, "Scaling Diffusion Transformers Efficiently via μP").id == (
        "scaling-diffusion-transformers-efficiently-via-p"
    )
    long_id = papers[0].id
    assert len(long_id) == 80 and long_id.startswith("large-scale-chemical-language-representations-capture-molecular")
    assert all(len(p.id) <= 80 for p in papers)
    # stable across reads
    assert [p.id for p in hf_daily_text.read(SAMPLE, today=TODAY)] == [p.id for p in papers]


def test_gzipped_page_reads_the_same(papers: list, tmp_path: Path) -> None:
    gz = tmp_path / "daily.txt.gz"
    gz.write_bytes(gzip.compress(SAMPLE.read_bytes()))
    assert [(p.title, p.abstract) for p in read_papers(gz)] == [(p.title, p.abstract) for p in papers]


ENTRY = "{title}\n\n{abstract}\n\n  • 3 authors\n·\n{date}\n\n"
ABS = LINES[166]  # TNT's abstract


@pytest.mark.parametrize(
    "text,expected",
    [
        # no chrome at all, no trailing newline
        (ENTRY.format(title="A", abstract=ABS, date="Jun 2, 2022").rstrip(), [("A", date(2022, 6, 2))]),
        # unknown chrome line before the first paper is dropped
        ("Trending\n\n" + ENTRY.format(title="A", abstract=ABS, date="Jun 2, 2022"), [("A", date(2022, 6, 2))]),
        # a paper without meta block in front of the first anchored one
        ("B\n\n" + ABS + "\n\n" + ENTRY.format(title="A", abstract=ABS, date="Jun 2, 2022"),
         [("B", None), ("A", date(2022, 6, 2))]),
        # two papers after the anchor without meta blocks, last one at EOF
        (ENTRY.format(title="A", abstract=ABS, date="Jun 2, 2022") + f"B\n\n{ABS}\n\nC\n\n{ABS}\n",
         [("A", date(2022, 6, 2)), ("B", None), ("C", None)]),
        # meta block without a date line, then the next paper
        ("A\n\n" + ABS + "\n  • 1 author\n·\n" + ENTRY.format(title="B", abstract=ABS, date="Dec 1, 2024 12"),
         [("A", None), ("B", date(2024, 12, 1))]),
        # CRLF line endings
        (ENTRY.format(title="A", abstract=ABS, date="Jun 2, 2022").replace("\n", "\r\n"), [("A", date(2022, 6, 2))]),
    ],
    ids=["bare", "unknown chrome", "meta-less first", "meta-less after", "no date", "crlf"],
)
def test_small_pages(text: str, expected: list, tmp_path: Path) -> None:
    path = tmp_path / "page.txt"
    path.write_bytes(text.encode("utf-8"))
    got = list(hf_daily_text.read(path, today=TODAY))
    assert [(p.title, p.published) for p in got] == expected
    assert all(p.abstract == ABS for p in got)


@pytest.mark.parametrize(
    "text,record,problem",
    [
        ("Just some notes\n\nabout a paper I liked.\n\nAnd more notes.\n", "line 1", "no Hugging Face daily-papers structure"),
        (ENTRY.format(title="A", abstract=ABS, date="Jun 2, 2022") + "B\n\n  • 4 authors\n·\nJun 3, 2022\n",
         "line 9", "missing 'abstract': title 'B' is followed by the author line 11"),
        (ENTRY.format(title="A", abstract=ABS, date="Jun 2, 2022") + "B\n", "line 9", "missing 'abstract': title 'B' is followed by the end of the file"),
        (ENTRY.format(title="A", abstract=ABS, date="Feb 30, 2021"), "line 7", "cannot parse date 'Feb 30, 2021'"),
        (ENTRY.format(title="A", abstract=ABS, date="Jun 2, 2022") + "  • 2 authors\n", "line 9", "author line without a title and abstract"),
    ],
    ids=["prose", "title without abstract", "title at EOF", "bad date", "orphan author line"],
)
def test_bad_pages(text: str, record: str, problem: str, tmp_path: Path) -> None:
    path = tmp_path / "page.txt"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ReaderError) as info:
        list(read_papers(path))
    msg = str(info.value)
    assert "\n" not in msg
    assert msg.startswith(f"{path}: {record}: "), msg
    assert problem in msg, msg
