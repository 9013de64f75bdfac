"""The dashboard's pages, in navigation order. To add a page (e.g. reviews), add one PageSpec here.

Kept apart from app.py so that tests and other modules can list the pages without running the app.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent


@dataclass(frozen=True)
class PageSpec:
    """One navigation entry: the page file (relative to dashboard/, e.g. views/x.py), title, icon, URL path."""

    file: str
    title: str
    icon: str
    url_path: str

    @property
    def path(self) -> Path:
        return HERE / self.file


PAGES: list[PageSpec] = [
    PageSpec("views/overview.py", "Overview", ":material/dashboard:", "overview"),
    PageSpec("views/leaderboards.py", "Leaderboards", ":material/leaderboard:", "leaderboards"),
    PageSpec("views/sota.py", "State of the art", ":material/timeline:", "sota"),
    PageSpec("views/paper.py", "Paper", ":material/article:", "paper"),
    PageSpec("views/explorer.py", "Claims explorer", ":material/filter_list:", "explorer"),
    PageSpec("views/conflicts.py", "Conflicts", ":material/compare_arrows:", "conflicts"),
    PageSpec("views/review.py", "Review", ":material/rate_review:", "review"),
    PageSpec("views/sql.py", "SQL", ":material/terminal:", "sql"),
]
